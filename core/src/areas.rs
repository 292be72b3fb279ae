//! Life areas and keeping their scores current. Every trigger (an event created, edited or deleted,
//! a commitment's status changed, a boundary violation logged, a manual refresh, the workspace
//! opened after time passed) ends in [`recompute_area`] or [`recompute_all`].

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::db::{enum_at, ts_at};
use crate::error::{Error, Result};
use crate::score::{self, EventSignal, ScoreBreakdown, ScoreInputs};
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::LifeArea;

const AREA_COLUMNS: &str = "id, slug, name, description, cluster, sort_order, is_active, current_score, status,
    created_at, updated_at";

fn area_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LifeArea> {
    Ok(LifeArea {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        cluster: enum_at(r, 4)?,
        sort_order: r.get(5)?,
        is_active: r.get(6)?,
        current_score: r.get(7)?,
        status: enum_at(r, 8)?,
        created_at: ts_at(r, 9)?,
        updated_at: ts_at(r, 10)?,
    })
}

/// The id of the area named by `given`, an id or a slug.
pub(crate) fn resolve_area(conn: &Connection, given: &str) -> Result<String> {
    let given = given.trim();
    conn.prepare_cached("SELECT id FROM life_areas WHERE id = ?1 OR slug = lower(?1)")?
        .query_row([given], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("life area", given))
}

/// Gathers an area's score inputs as of `now`.
pub(crate) fn score_inputs(conn: &Connection, area_id: &str, now: DateTime<Utc>) -> Result<ScoreInputs> {
    let from = time::to_db(score::window_start(now));
    let to = time::to_db(now);
    let mut stmt = conn.prepare_cached(
        "SELECT type, emotional_charge, occurred_at FROM events
         WHERE life_area_id = ?1 AND occurred_at > ?2 AND occurred_at <= ?3",
    )?;
    let events = stmt
        .query_map(params![area_id, from, to], |r| {
            Ok(EventSignal { kind: enum_at(r, 0)?, emotional_charge: r.get(1)?, occurred_at: ts_at(r, 2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (kept, total): (u32, u32) = conn
        .prepare_cached(
            "SELECT coalesce(sum(status IN ('COMPLETED','INTEGRATED')), 0), count(*) FROM commitments
         WHERE life_area_id = ?1",
        )?
        .query_row([area_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT v.occurred_at FROM boundary_violations v JOIN boundaries b ON b.id = v.boundary_id
         WHERE b.life_area_id = ?1 AND v.occurred_at > ?2 AND v.occurred_at <= ?3",
    )?;
    let violations =
        stmt.query_map(params![area_id, from, to], |r| ts_at(r, 0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ScoreInputs { events, commitments_kept: kept, commitments_total: total, violations })
}

/// Recomputes and stores one area's score; returns the new score.
pub(crate) fn recompute_area(conn: &Connection, area_id: &str, now: DateTime<Utc>) -> Result<f64> {
    let b = score::score(&score_inputs(conn, area_id, now)?, now);
    conn.prepare_cached(
        "UPDATE life_areas SET current_score = ?2, status = ?3, updated_at = ?4
         WHERE id = ?1 AND (current_score != ?2 OR status != ?3)",
    )?
    .execute(params![area_id, b.score, b.status.as_str(), time::to_db(now)])?;
    Ok(b.score)
}

/// Whether every stored score is what [`recompute_all`] would store now (a read only).
pub(crate) fn scores_current(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    let stored: Vec<(String, f64, String)> = conn
        .prepare_cached("SELECT id, current_score, status FROM life_areas")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, score, status) in stored {
        let b = score::score(&score_inputs(conn, &id, now)?, now);
        if b.score != score || b.status.as_str() != status {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) fn recompute_all(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM life_areas")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        recompute_area(conn, &id, now)?;
    }
    Ok(())
}

impl Workspace {
    /// All life areas with their current scores, in display order (the seed's GET /life-areas).
    pub fn life_areas(&self) -> Result<Vec<LifeArea>> {
        let sql = format!("SELECT {AREA_COLUMNS} FROM life_areas ORDER BY sort_order, slug");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let areas = stmt.query_map([], area_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(areas)
    }

    /// One area, by id or slug.
    pub fn life_area(&self, given: &str) -> Result<LifeArea> {
        let id = resolve_area(&self.conn, given)?;
        let sql = format!("SELECT {AREA_COLUMNS} FROM life_areas WHERE id = ?1");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id], area_from_row)?)
    }

    /// Why an area has its score, factor by factor, as of now.
    pub fn score_breakdown(&self, given: &str) -> Result<ScoreBreakdown> {
        let id = resolve_area(&self.conn, given)?;
        let now = self.now();
        Ok(score::score(&score_inputs(&self.conn, &id, now)?, now))
    }

    /// Recomputes every area's score (the manual refresh).
    pub fn refresh_scores(&mut self) -> Result<()> {
        let now = self.now();
        let tx = self.tx()?;
        recompute_all(&tx, now)?;
        tx.commit()?;
        Ok(())
    }
}
