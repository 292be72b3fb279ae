//! The incremental pattern check run when an event is recorded: does this event complete a
//! recurring theme in its area? A few indexed counts over the area's recent events, so it stays
//! cheap on any size of journal; the full clustering engine runs once a day (see `detect`).

use std::collections::HashMap;

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
    let counts = tag_counts(conn, event, now)?;
    for tag in &event.tags {
        let n = counts.get(tag).copied().unwrap_or(0);
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

/// How many of the area's events in the tag window carry each of `event`'s tags. One walk over
/// the area's recent events, each one's tags read by a single seek: a count per tag walked the
/// window once per tag (a third of an insert's instructions at 100k events, callgrind).
fn tag_counts(conn: &Connection, event: &Event, now: DateTime<Utc>) -> Result<HashMap<String, i64>> {
    if event.tags.is_empty() {
        return Ok(HashMap::new());
    }
    let since = time::to_db(now - Duration::days(TAG_WINDOW_DAYS));
    // The `+` keeps the tag out of the seek, so each event's tags are one range of the key.
    let mut stmt = conn.prepare_cached(
        "SELECT t.name, c.n FROM (
             SELECT et.tag_id AS id, count(*) AS n FROM events e INDEXED BY events_life_area
               JOIN event_tags et ON et.event_id = e.id
              WHERE e.life_area_id = ?1 AND e.occurred_at > ?2
                AND +et.tag_id IN (SELECT id FROM tags WHERE name IN (SELECT value FROM json_each(?3)))
              GROUP BY et.tag_id) c
           JOIN tags t ON t.id = c.id",
    )?;
    let tags = serde_json::to_string(&event.tags)?;
    let counts = stmt
        .query_map(params![event.life_area_id, since, tags], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use crate::workspace::Workspace;

    fn entry(area: &str, title: &str, days_ago: i64, tags: &[&str], now: DateTime<Utc>) -> wisdom_model::NewEvent {
        wisdom_model::NewEvent {
            life_area: Some(area.into()),
            kind: EventType::Progress,
            occurred_at: Some(now - Duration::days(days_ago)),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..crate::testing::work_event(title)
        }
    }

    #[test]
    fn each_tag_counts_only_its_own_area_inside_the_window() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 20, 0, 0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery");
        let path = dir.path().join("j.wisdom");
        let mut ws = Workspace::create(&path, "J", &pass, KdfParams::MINIMUM, Clock::fixed(now)).unwrap();
        for (title, days_ago, tags) in [
            ("Late call with the Singapore team", 3, &["overwork", "calls"][..]),
            ("Stayed after seven to finish the deck", 20, &["overwork"]),
            ("Weekend emails again", 60, &["overwork", "weekend"]),
            // Outside the 90 days: not counted.
            ("Crunch before the spring release", 120, &["overwork"]),
        ] {
            ws.create_event(&entry("work", title, days_ago, tags, now)).unwrap();
        }
        // Same tag, another area: not counted for work.
        ws.create_event(&entry("family", "Up late sorting the move", 5, &["overwork"], now)).unwrap();
        ws.create_event(&entry("family", "Another late night of boxes", 6, &["overwork", "calls"], now)).unwrap();

        let created = ws
            .create_event(&entry("work", "Answered calls until ten", 0, &["calls", "overwork", "weekend"], now))
            .unwrap();
        // Each tag in the order the person gave them; #calls (2) and #weekend (2) are below three.
        assert_eq!(
            created.suggested_insights,
            vec!["Recurring: #overwork in Work & Purpose (4 events in the past 90 days)".to_string()]
        );
        let one_more =
            ws.create_event(&entry("work", "Weekend call with the board", 1, &["weekend", "calls"], now)).unwrap();
        assert_eq!(
            one_more.suggested_insights,
            vec![
                "Recurring: #weekend in Work & Purpose (3 events in the past 90 days)".to_string(),
                "Recurring: #calls in Work & Purpose (3 events in the past 90 days)".to_string(),
            ]
        );
    }
}
