//! Stored metric snapshots (one per area, local day and period).

use rusqlite::{params, Connection};

use crate::db::{enum_at, ts_at};
use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::MetricSnapshot;

const SNAPSHOT_SELECT: &str = "SELECT id, life_area_id, date, period, score, status, event_count, upset_count,
    breakthrough_count, notes, created_at FROM metric_snapshots";

fn snapshot_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MetricSnapshot> {
    let date: String = r.get(2)?;
    Ok(MetricSnapshot {
        id: r.get(0)?,
        life_area_id: r.get(1)?,
        date: date
            .parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?,
        period: enum_at(r, 3)?,
        score: r.get(4)?,
        status: enum_at(r, 5)?,
        event_count: r.get(6)?,
        upset_count: r.get(7)?,
        breakthrough_count: r.get(8)?,
        notes: r.get(9)?,
        created_at: ts_at(r, 10)?,
    })
}

/// Stores a snapshot unless one exists for its (area, date, period); returns whether it was new.
pub(crate) fn insert_snapshot(conn: &Connection, s: &MetricSnapshot) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO metric_snapshots (id, life_area_id, date, period, score, status, event_count, upset_count,
                 breakthrough_count, notes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (life_area_id, date, period) DO NOTHING",
        )?
        .execute(params![
            s.id,
            s.life_area_id,
            s.date.to_string(),
            s.period.as_str(),
            s.score,
            s.status.as_str(),
            s.event_count,
            s.upset_count,
            s.breakthrough_count,
            s.notes,
            time::to_db(s.created_at),
        ])?;
    Ok(n == 1)
}

impl Workspace {
    pub(crate) fn all_snapshots(&self) -> Result<Vec<MetricSnapshot>> {
        let sql = format!("{SNAPSHOT_SELECT} ORDER BY date, period, life_area_id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], snapshot_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
