//! Boundaries and the log of their violations. Logging a violation is a score trigger; the
//! boundary's `violationCount` and `lastViolatedAt` are kept by the database from the log.

use rusqlite::{params, Connection};

use crate::areas::{recompute_area, resolve_area};
use crate::db::{enum_at, opt_ts_at, resolve_id, ts_at, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{
    Boundary, BoundaryFilter, BoundaryPatch, BoundaryStatus, BoundaryViolation, NewBoundary, NewViolation,
};

const BOUNDARY_SELECT: &str = "SELECT id, life_area_id, statement, reason, consequence, status, last_violated_at,
    violation_count, created_at, updated_at FROM boundaries";

fn boundary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Boundary> {
    Ok(Boundary {
        id: r.get(0)?,
        life_area_id: r.get(1)?,
        statement: r.get(2)?,
        reason: r.get(3)?,
        consequence: r.get(4)?,
        status: enum_at(r, 5)?,
        last_violated_at: opt_ts_at(r, 6)?,
        violation_count: r.get(7)?,
        created_at: ts_at(r, 8)?,
        updated_at: ts_at(r, 9)?,
    })
}

fn violation_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BoundaryViolation> {
    Ok(BoundaryViolation {
        id: r.get(0)?,
        boundary_id: r.get(1)?,
        occurred_at: ts_at(r, 2)?,
        note: r.get(3)?,
        created_at: ts_at(r, 4)?,
    })
}

fn load(conn: &Connection, id: &str) -> Result<Boundary> {
    let sql = format!("{BOUNDARY_SELECT} WHERE id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], boundary_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("boundary", id),
        e => e.into(),
    })
}

pub(crate) fn insert_boundary(conn: &Connection, b: &Boundary) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO boundaries (id, life_area_id, statement, reason, consequence, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        b.id,
        b.life_area_id,
        b.statement,
        b.reason,
        b.consequence,
        b.status.as_str(),
        time::to_db(b.created_at),
        time::to_db(b.updated_at),
    ])?;
    Ok(())
}

pub(crate) fn insert_violation(conn: &Connection, v: &BoundaryViolation) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO boundary_violations (id, boundary_id, occurred_at, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![v.id, v.boundary_id, time::to_db(v.occurred_at), v.note, time::to_db(v.created_at)])?;
    Ok(())
}

pub(crate) fn all_violations(conn: &Connection) -> Result<Vec<BoundaryViolation>> {
    let mut stmt = conn.prepare(
        "SELECT id, boundary_id, occurred_at, note, created_at FROM boundary_violations ORDER BY occurred_at, id",
    )?;
    let rows = stmt.query_map([], violation_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Workspace {
    pub fn create_boundary(&mut self, new: &NewBoundary) -> Result<Boundary> {
        new.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let b = Boundary {
            id: new_id(prefix::BOUNDARY, now),
            life_area_id: resolve_area(&tx, &new.life_area)?,
            statement: new.statement.trim().to_string(),
            reason: new.reason.trim().to_string(),
            consequence: new.consequence.clone().filter(|c| !c.trim().is_empty()),
            status: new.status.unwrap_or(BoundaryStatus::Active),
            last_violated_at: None,
            violation_count: 0,
            created_at: now,
            updated_at: now,
        };
        insert_boundary(&tx, &b)?;
        tx.commit()?;
        Ok(b)
    }

    pub fn boundary(&self, id: &str) -> Result<Boundary> {
        let id = resolve_id(&self.conn, Table::Boundaries, id)?;
        load(&self.conn, &id)
    }

    pub fn update_boundary(&mut self, id: &str, patch: &BoundaryPatch) -> Result<Boundary> {
        patch.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Boundaries, id)?;
        let mut b = load(&tx, &id)?;
        let old_area = b.life_area_id.clone();
        if let Some(a) = &patch.life_area {
            b.life_area_id = resolve_area(&tx, a)?;
        }
        if let Some(s) = &patch.statement {
            b.statement = s.trim().to_string();
        }
        if let Some(s) = &patch.reason {
            b.reason = s.trim().to_string();
        }
        if let Some(c) = &patch.consequence {
            b.consequence = c.clone().filter(|c| !c.trim().is_empty());
        }
        if let Some(s) = patch.status {
            b.status = s;
        }
        tx.execute(
            "UPDATE boundaries SET life_area_id = ?2, statement = ?3, reason = ?4, consequence = ?5, status = ?6,
                 updated_at = ?7 WHERE id = ?1",
            params![id, b.life_area_id, b.statement, b.reason, b.consequence, b.status.as_str(), time::to_db(now)],
        )?;
        if old_area != b.life_area_id {
            recompute_area(&tx, &old_area, now)?;
            recompute_area(&tx, &b.life_area_id, now)?;
        }
        let out = load(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn delete_boundary(&mut self, id: &str) -> Result<Boundary> {
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Boundaries, id)?;
        let b = load(&tx, &id)?;
        tx.execute("DELETE FROM boundaries WHERE id = ?1", [&id])?;
        recompute_area(&tx, &b.life_area_id, now)?;
        tx.commit()?;
        Ok(b)
    }

    /// Logs that a boundary was crossed, and recomputes its area's score.
    pub fn log_violation(&mut self, boundary: &str, v: &NewViolation) -> Result<(Boundary, BoundaryViolation)> {
        let now = self.now();
        v.validate(now)?;
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Boundaries, boundary)?;
        let violation = BoundaryViolation {
            id: new_id(prefix::VIOLATION, now),
            boundary_id: id.clone(),
            occurred_at: v.occurred_at.unwrap_or(now),
            note: v.note.clone().filter(|n| !n.trim().is_empty()),
            created_at: now,
        };
        insert_violation(&tx, &violation)?;
        let b = load(&tx, &id)?;
        recompute_area(&tx, &b.life_area_id, now)?;
        tx.commit()?;
        Ok((b, violation))
    }

    pub fn violations(&self, boundary: &str) -> Result<Vec<BoundaryViolation>> {
        let id = resolve_id(&self.conn, Table::Boundaries, boundary)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, boundary_id, occurred_at, note, created_at FROM boundary_violations
             WHERE boundary_id = ?1 ORDER BY occurred_at DESC",
        )?;
        let rows = stmt.query_map([id], violation_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn list_boundaries(&self, f: &BoundaryFilter) -> Result<Vec<Boundary>> {
        let area = f.area.as_deref().map(|a| resolve_area(&self.conn, a)).transpose()?;
        let sql = format!(
            "{BOUNDARY_SELECT} WHERE (?1 IS NULL OR life_area_id = ?1) AND (?2 IS NULL OR status = ?2)
             ORDER BY status != 'ACTIVE', created_at DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![area, f.status.map(|s| s.as_str())], boundary_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
