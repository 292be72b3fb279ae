//! Commitments: what a person decided to do about an insight or an event, tracked through
//! ACTIVE / PAUSED / COMPLETED / ABANDONED / INTEGRATED with review dates. A status change is a
//! score trigger for the commitment's area.

use rusqlite::{params, Connection};

use crate::areas::{recompute_area, resolve_area};
use crate::db::{enum_at, opt_ts_at, resolve_id, ts_at, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{Commitment, CommitmentFilter, CommitmentPatch, CommitmentStatus, NewCommitment};

const COMMITMENT_SELECT: &str = "SELECT id, life_area_id, event_id, insight_id, statement, intention, measurable,
    status, created_at, updated_at, completed_at, reviewed_at, next_review_at FROM commitments";

fn commitment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Commitment> {
    Ok(Commitment {
        id: r.get(0)?,
        life_area_id: r.get(1)?,
        event_id: r.get(2)?,
        insight_id: r.get(3)?,
        statement: r.get(4)?,
        intention: r.get(5)?,
        measurable: r.get(6)?,
        status: enum_at(r, 7)?,
        created_at: ts_at(r, 8)?,
        updated_at: ts_at(r, 9)?,
        completed_at: opt_ts_at(r, 10)?,
        reviewed_at: opt_ts_at(r, 11)?,
        next_review_at: opt_ts_at(r, 12)?,
    })
}

fn load(conn: &Connection, id: &str) -> Result<Commitment> {
    let sql = format!("{COMMITMENT_SELECT} WHERE id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], commitment_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("commitment", id),
        e => e.into(),
    })
}

pub(crate) fn insert_commitment(conn: &Connection, c: &Commitment) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO commitments (id, life_area_id, event_id, insight_id, statement, intention, measurable,
             status, created_at, updated_at, completed_at, reviewed_at, next_review_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.id,
        c.life_area_id,
        c.event_id,
        c.insight_id,
        c.statement,
        c.intention,
        c.measurable,
        c.status.as_str(),
        time::to_db(c.created_at),
        time::to_db(c.updated_at),
        c.completed_at.map(time::to_db),
        c.reviewed_at.map(time::to_db),
        c.next_review_at.map(time::to_db),
    ])?;
    Ok(())
}

fn is_done(s: CommitmentStatus) -> bool {
    matches!(s, CommitmentStatus::Completed | CommitmentStatus::Integrated)
}

impl Workspace {
    pub fn create_commitment(&mut self, new: &NewCommitment) -> Result<Commitment> {
        new.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let event_id = new.event_id.as_deref().map(|e| resolve_id(&tx, Table::Events, e)).transpose()?;
        let insight_id = new.insight_id.as_deref().map(|i| resolve_id(&tx, Table::Insights, i)).transpose()?;
        // A commitment made from an event belongs to the event's area unless told otherwise.
        let life_area_id = match (&new.life_area, &event_id) {
            (Some(a), _) => Some(resolve_area(&tx, a)?),
            (None, Some(e)) => Some(crate::events::load_event(&tx, e)?.life_area_id),
            (None, None) => None,
        };
        let status = new.status.unwrap_or(CommitmentStatus::Active);
        let c = Commitment {
            id: new_id(prefix::COMMITMENT, now),
            life_area_id,
            event_id,
            insight_id,
            statement: new.statement.trim().to_string(),
            intention: new.intention.trim().to_string(),
            measurable: new.measurable.clone().filter(|m| !m.trim().is_empty()),
            status,
            created_at: now,
            updated_at: now,
            completed_at: is_done(status).then_some(now),
            reviewed_at: None,
            next_review_at: new.next_review_at,
        };
        insert_commitment(&tx, &c)?;
        if let Some(a) = &c.life_area_id {
            recompute_area(&tx, a, now)?;
        }
        tx.commit()?;
        Ok(c)
    }

    pub fn commitment(&self, id: &str) -> Result<Commitment> {
        let id = resolve_id(&self.conn, Table::Commitments, id)?;
        load(&self.conn, &id)
    }

    pub fn update_commitment(&mut self, id: &str, patch: &CommitmentPatch) -> Result<Commitment> {
        patch.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Commitments, id)?;
        let mut c = load(&tx, &id)?;
        let old_area = c.life_area_id.clone();
        if let Some(a) = &patch.life_area {
            c.life_area_id = a.as_deref().map(|a| resolve_area(&tx, a)).transpose()?;
        }
        if let Some(s) = &patch.statement {
            c.statement = s.trim().to_string();
        }
        if let Some(s) = &patch.intention {
            c.intention = s.trim().to_string();
        }
        if let Some(m) = &patch.measurable {
            c.measurable = m.clone().filter(|m| !m.trim().is_empty());
        }
        if let Some(s) = patch.status {
            if is_done(s) && !is_done(c.status) {
                c.completed_at = Some(now);
            } else if !is_done(s) {
                c.completed_at = None;
            }
            c.status = s;
        }
        if let Some(r) = patch.next_review_at {
            c.next_review_at = r;
        }
        if patch.reviewed {
            c.reviewed_at = Some(now);
        }
        tx.execute(
            "UPDATE commitments SET life_area_id = ?2, statement = ?3, intention = ?4, measurable = ?5,
                 status = ?6, completed_at = ?7, reviewed_at = ?8, next_review_at = ?9, updated_at = ?10
             WHERE id = ?1",
            params![
                id,
                c.life_area_id,
                c.statement,
                c.intention,
                c.measurable,
                c.status.as_str(),
                c.completed_at.map(time::to_db),
                c.reviewed_at.map(time::to_db),
                c.next_review_at.map(time::to_db),
                time::to_db(now),
            ],
        )?;
        for area in [old_area, c.life_area_id.clone()].into_iter().flatten() {
            recompute_area(&tx, &area, now)?;
        }
        let out = load(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn set_commitment_status(&mut self, id: &str, status: CommitmentStatus) -> Result<Commitment> {
        self.update_commitment(id, &CommitmentPatch { status: Some(status), ..Default::default() })
    }

    pub fn delete_commitment(&mut self, id: &str) -> Result<Commitment> {
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Commitments, id)?;
        let c = load(&tx, &id)?;
        tx.execute("DELETE FROM commitments WHERE id = ?1", [&id])?;
        if let Some(a) = &c.life_area_id {
            recompute_area(&tx, a, now)?;
        }
        tx.commit()?;
        Ok(c)
    }

    /// Commitments, open ones first, then by next review date and age.
    pub fn list_commitments(&self, f: &CommitmentFilter) -> Result<Vec<Commitment>> {
        let area = f.area.as_deref().map(|a| resolve_area(&self.conn, a)).transpose()?;
        let sql = format!(
            "{COMMITMENT_SELECT} WHERE (?1 IS NULL OR life_area_id = ?1) AND (?2 IS NULL OR status = ?2)
             ORDER BY status != 'ACTIVE', next_review_at IS NULL, next_review_at, created_at DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![area, f.status.map(|s| s.as_str())], commitment_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
