//! The incremental pattern check run when an event is recorded: does this event complete a
//! recurring theme in its area? A few indexed counts over the area's recent events, so it stays
//! cheap on any size of journal; the full clustering engine runs once a day (see `detect`).

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::time;
use wisdom_model::{Event, EventType};

/// Events sharing a tag in one area within this many days form a theme.
pub const TAG_WINDOW_DAYS: i64 = 90;
/// Upsets (or setbacks) in one area within this many days are worth naming.
pub const UPSET_WINDOW_DAYS: i64 = 30;
pub const MIN_OCCURRENCES: i64 = 3;

/// Plain-language suggestions for the person, e.g. "Recurring: #overwork in Work & Purpose (4 events
/// in the past 90 days)". Cheap: a few indexed counts.
pub(crate) fn suggest_for(conn: &Connection, event: &Event, now: DateTime<Utc>) -> Result<Vec<String>> {
    let area_name: String = conn
        .prepare_cached("SELECT name FROM life_areas WHERE id = ?1")?
        .query_row([&event.life_area_id], |r| r.get(0))?;
    let mut out = Vec::new();
    let since = time::to_db(now - Duration::days(TAG_WINDOW_DAYS));
    let mut by_tag = conn.prepare_cached(
        "SELECT count(*) FROM events e INDEXED BY events_life_area
             JOIN event_tags et ON et.event_id = e.id JOIN tags t ON t.id = et.tag_id
         WHERE t.name = ?1 AND e.life_area_id = ?2 AND e.occurred_at > ?3",
    )?;
    for tag in &event.tags {
        let n: i64 = by_tag.query_row(params![tag, event.life_area_id, since], |r| r.get(0))?;
        if n >= MIN_OCCURRENCES {
            out.push(format!("Recurring: #{tag} in {area_name} ({n} events in the past {TAG_WINDOW_DAYS} days)"));
        }
    }
    if matches!(event.kind, EventType::Upset | EventType::Setback) {
        let since = time::to_db(now - Duration::days(UPSET_WINDOW_DAYS));
        let n: i64 = conn
            .prepare_cached("SELECT count(*) FROM events WHERE life_area_id = ?1 AND type = ?2 AND occurred_at > ?3")?
            .query_row(params![event.life_area_id, event.kind.as_str(), since], |r| r.get(0))?;
        if n >= MIN_OCCURRENCES {
            let what = if event.kind == EventType::Upset { "upsets" } else { "setbacks" };
            out.push(format!(
                "You've logged {n} {what} in {area_name} in the past {UPSET_WINDOW_DAYS} days: worth an inquiry"
            ));
        }
    }
    Ok(out)
}
