//! New rows written many at a time (an import's events) are queued for upload by one statement for
//! the lot instead of by the triggers, which fire once per row and once more per link (each of an
//! event's tags queues its event again): at 10,000 imported events the triggers were an eighth of
//! the import's instructions (callgrind). What lands in `sync_outbox` is what the triggers would
//! have put there: one row per new row, its `n` bumped if it was queued already.

use chrono::Utc;
use rusqlite::Connection;

use crate::error::Result;

/// Runs `write` with the sync triggers off (the blanket guard a pull applies rows under), then
/// queues the rows of `entity` with `ids` for upload, all under one clock stamp (as a first upload
/// does, `rows::enqueue_all`). Only for writes that insert those rows and touch nothing else that
/// syncs: anything else `write` changes is not queued. Under a blanket guard already (a pull),
/// the rows are not queued, as the triggers would not have queued them.
pub(crate) fn queue_in_bulk<T>(
    conn: &Connection,
    entity: &str,
    ids: &[&str],
    write: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let guarded: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_guard WHERE entity = '*')")?
        .query_row([], |r| r.get(0))?;
    if guarded {
        return write();
    }
    conn.prepare_cached("INSERT INTO sync_guard (entity, id) VALUES ('*', '*')")?.execute([])?;
    let written = write();
    conn.prepare_cached("DELETE FROM sync_guard WHERE entity = '*'")?.execute([])?;
    let written = written?;
    let last: i64 = conn.prepare_cached("SELECT hlc FROM sync_clock")?.query_row([], |r| r.get(0))?;
    let stamp = super::hlc::tick(last, Utc::now());
    conn.prepare_cached("UPDATE sync_clock SET hlc = ?1")?.execute([stamp])?;
    conn.prepare_cached(
        "INSERT INTO sync_outbox (entity, id, hlc) SELECT ?1, value, ?2 FROM json_each(?3) WHERE true
             ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc",
    )?
    .execute(rusqlite::params![entity, stamp, serde_json::to_string(ids)?])?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use crate::import::{ImportFormat, ImportOptions};
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use crate::workspace::Workspace;

    const LINES: &str = r#"{"lifeArea":"physical-health","type":"PROGRESS","category":"HEALTH","tone":"POSITIVE","title":"Ran 5 km before work","emotionalCharge":3,"occurredAt":"2026-03-02T07:10:00Z","tags":["running","morning"]}
{"lifeArea":"family","type":"UPSET","category":"RELATIONAL","tone":"NEGATIVE","title":"Argued with Sam about the holidays","emotionalCharge":-3,"occurredAt":"2026-03-03T21:40:00Z","tags":["sam"]}
{"lifeArea":"work","type":"LEARNING","category":"PROFESSIONAL","tone":"NEUTRAL","title":"Read the incident review","emotionalCharge":0,"occurredAt":"2026-03-04T12:00:00Z"}
"#;

    fn queued(ws: &Workspace) -> Vec<(String, String, i64, i64)> {
        let mut stmt = ws.conn.prepare("SELECT entity, id, hlc, n FROM sync_outbox ORDER BY seq").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn an_import_queues_each_new_event_once_and_leaves_the_triggers_on() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery");
        let mut ws =
            Workspace::create(&dir.path().join("j.wisdom"), "J", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        ws.conn.execute("DELETE FROM sync_outbox", []).unwrap();
        let clock_before: i64 = ws.conn.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0)).unwrap();

        let opts = ImportOptions::new(ImportFormat::JsonLines);
        let report = ws.import(&mut Cursor::new(LINES), &opts, &mut |_| {}).unwrap();
        assert_eq!(report.events, 3);

        // One outbox row per imported event (its tags travel inside it), in the order imported,
        // stamped after everything the clock had seen, and the clock moved to that stamp.
        let rows = queued(&ws);
        let mut imported: Vec<String> = ws
            .conn
            .prepare("SELECT id FROM events ORDER BY rid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(), imported);
        assert!(rows.iter().all(|r| r.0 == "event" && r.2 > clock_before && r.3 >= 1), "{rows:?}");
        let clock_after: i64 = ws.conn.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0)).unwrap();
        assert_eq!(clock_after, rows.iter().map(|r| r.2).max().unwrap());

        // The blanket guard is gone: the next change is queued by its trigger as before.
        let guards: i64 = ws.conn.query_row("SELECT count(*) FROM sync_guard", [], |r| r.get(0)).unwrap();
        assert_eq!(guards, 0);
        let event = ws.create_event(&crate::testing::work_event("Shipped the release")).unwrap().event;
        imported.push(event.id.clone());
        let rows = queued(&ws);
        assert_eq!(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(), imported);
        assert!(rows.last().unwrap().2 > clock_after);
    }

    #[test]
    fn a_failed_import_queues_nothing_and_leaves_no_guard() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery");
        let mut ws =
            Workspace::create(&dir.path().join("j.wisdom"), "J", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        ws.conn.execute("DELETE FROM sync_outbox", []).unwrap();
        let bad = format!(
            "{LINES}{}\n",
            r#"{"lifeArea":"nowhere","type":"PROGRESS","category":"HEALTH","tone":"POSITIVE","title":"x","emotionalCharge":0}"#
        );
        let err = ws.import(&mut Cursor::new(bad), &ImportOptions::new(ImportFormat::JsonLines), &mut |_| {});
        assert!(err.is_err());
        assert!(queued(&ws).is_empty());
        let guards: i64 = ws.conn.query_row("SELECT count(*) FROM sync_guard", [], |r| r.get(0)).unwrap();
        assert_eq!(guards, 0);
        assert_eq!(ws.event_count().unwrap(), 0);
    }
}
