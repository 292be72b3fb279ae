//! Metric snapshots: one per area, local calendar day and period (DAILY every day, WEEKLY on
//! Sundays, MONTHLY on a month's last day), taken as of the end of that day in the person's time
//! zone. A desktop app is not always running, so missed days are back-filled, each from the data
//! as it was at the end of its day (events and violations up to then; commitments that existed
//! then, counted as kept if they were completed by then).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rusqlite::{params, Connection};

use crate::db::{enum_at, opt_ts_at, ts_at};
use crate::error::Result;
use crate::ids::{new_id, prefix};
use crate::score::{self, EventSignal, ScoreInputs};
use crate::time;
use crate::workspace::Workspace;
use crate::zone::{day_end, day_start, workspace_zone};
use wisdom_model::{EventType, MetricSnapshot, SnapshotPeriod};

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

pub use wisdom_model::SnapshotReport;

struct AreaHistory {
    id: String,
    /// (occurred_at, kind, charge), oldest first.
    events: Vec<EventSignal>,
    violations: Vec<DateTime<Utc>>,
    /// (created_at, kept_at) per commitment.
    commitments: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

fn histories(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AreaHistory>> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM life_areas ORDER BY sort_order")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (from_s, to_s) = (time::to_db(from), time::to_db(to));
    let mut ev = conn.prepare_cached(
        "SELECT type, emotional_charge, occurred_at FROM events WHERE life_area_id = ?1 AND occurred_at > ?2
         AND occurred_at <= ?3 ORDER BY occurred_at",
    )?;
    let mut vio = conn.prepare_cached(
        "SELECT v.occurred_at FROM boundary_violations v JOIN boundaries b ON b.id = v.boundary_id
         WHERE b.life_area_id = ?1 AND v.occurred_at > ?2 AND v.occurred_at <= ?3 ORDER BY v.occurred_at",
    )?;
    let mut com = conn.prepare_cached(
        "SELECT created_at, CASE WHEN status IN ('COMPLETED','INTEGRATED') THEN coalesce(completed_at, updated_at) END
         FROM commitments WHERE life_area_id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let events = ev
            .query_map(params![id, from_s, to_s], |r| {
                Ok(EventSignal { kind: enum_at(r, 0)?, emotional_charge: r.get(1)?, occurred_at: ts_at(r, 2)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let violations = vio.query_map(params![id, from_s, to_s], |r| ts_at(r, 0))?.collect::<rusqlite::Result<_>>()?;
        let commitments =
            com.query_map([&id], |r| Ok((ts_at(r, 0)?, opt_ts_at(r, 1)?)))?.collect::<rusqlite::Result<_>>()?;
        out.push(AreaHistory { id, events, violations, commitments });
    }
    Ok(out)
}

fn last_day_of_month(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

/// The periods that end on `day`, with the local day their counts start from.
fn periods_ending(day: NaiveDate) -> Vec<(SnapshotPeriod, NaiveDate)> {
    let mut out = vec![(SnapshotPeriod::Daily, day)];
    if day.weekday() == Weekday::Sun {
        out.push((SnapshotPeriod::Weekly, day - Duration::days(6)));
    }
    if last_day_of_month(day) {
        out.push((SnapshotPeriod::Monthly, day.with_day(1).unwrap_or(day)));
    }
    out
}

pub(crate) fn backfill(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    created_at: DateTime<Utc>,
) -> Result<SnapshotReport> {
    let mut report = SnapshotReport { from: Some(from), to: Some(to), ..Default::default() };
    if from > to {
        return Ok(SnapshotReport::default());
    }
    let tz = workspace_zone(conn)?;
    let earliest = day_start(tz, from.with_day(1).unwrap_or(from).min(from - Duration::days(6)))
        - Duration::days(score::WINDOW_DAYS + 1);
    let areas = histories(conn, earliest, day_end(tz, to))?;
    let mut day = from;
    while day <= to {
        let as_of = day_end(tz, day);
        let window_start = score::window_start(as_of);
        for area in &areas {
            let lo = area.events.partition_point(|e| e.occurred_at <= window_start);
            let hi = area.events.partition_point(|e| e.occurred_at <= as_of);
            let vlo = area.violations.partition_point(|v| *v <= window_start);
            let vhi = area.violations.partition_point(|v| *v <= as_of);
            let existing = area.commitments.iter().filter(|c| c.0 <= as_of);
            let (mut kept, mut total) = (0u32, 0u32);
            for c in existing {
                total += 1;
                if c.1.is_some_and(|k| k <= as_of) {
                    kept += 1;
                }
            }
            let inputs = ScoreInputs {
                events: area.events[lo..hi].to_vec(),
                commitments_kept: kept,
                commitments_total: total,
                violations: area.violations[vlo..vhi].to_vec(),
            };
            let b = score::score(&inputs, as_of);
            for (period, first_day) in periods_ending(day) {
                let start = day_start(tz, first_day);
                let plo = area.events.partition_point(|e| e.occurred_at < start);
                let in_period = &area.events[plo..hi];
                let count = |k: EventType| in_period.iter().filter(|e| e.kind == k).count() as i64;
                let snap = MetricSnapshot {
                    id: new_id(prefix::SNAPSHOT, created_at),
                    life_area_id: area.id.clone(),
                    date: day,
                    period,
                    score: b.score,
                    status: b.status,
                    event_count: in_period.len() as i64,
                    upset_count: count(EventType::Upset),
                    breakthrough_count: count(EventType::Breakthrough),
                    notes: None,
                    created_at,
                };
                if insert_snapshot(conn, &snap)? {
                    report.created += 1;
                } else {
                    report.existing += 1;
                }
            }
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    Ok(report)
}

impl Workspace {
    /// Takes every snapshot for the local days `from..=to` (daily; weekly on Sundays; monthly on a
    /// month's last day), each as of the end of its day from the data as it was then. Idempotent:
    /// a snapshot that exists is kept.
    pub fn backfill_snapshots(&mut self, from: NaiveDate, to: NaiveDate) -> Result<SnapshotReport> {
        let now = self.now();
        let tx = self.tx()?;
        let report = backfill(&tx, from, to, now)?;
        tx.commit()?;
        Ok(report)
    }

    /// An area's snapshots of one period between two dates (inclusive), oldest first.
    pub fn snapshots(
        &self,
        area: &str,
        period: SnapshotPeriod,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MetricSnapshot>> {
        let id = crate::areas::resolve_area(&self.conn, area)?;
        let sql = format!(
            "{SNAPSHOT_SELECT} WHERE life_area_id = ?1 AND period = ?2 AND date >= ?3 AND date <= ?4 ORDER BY date"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![id, period.as_str(), from.to_string(), to.to_string()], snapshot_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every area's snapshot of one period on one date, in area order.
    pub fn snapshots_on(&self, date: NaiveDate, period: SnapshotPeriod) -> Result<Vec<MetricSnapshot>> {
        let sql = "SELECT s.id, s.life_area_id, s.date, s.period, s.score, s.status, s.event_count, s.upset_count,
                 s.breakthrough_count, s.notes, s.created_at
             FROM metric_snapshots s JOIN life_areas a ON a.id = s.life_area_id
             WHERE s.date = ?1 AND s.period = ?2 ORDER BY a.sort_order"
            .to_string();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![date.to_string(), period.as_str()], snapshot_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
