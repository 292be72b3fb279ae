//! Versions that lost a sync conflict, kept so nothing is lost silently, and seen on every device.
//!
//! The device that applies a winning version records the one it overwrote as a row of table
//! `conflicts` (V9), which is itself a synced entity (`conflict`): the record travels like an
//! event does, sealed, so the server sees one more opaque row and nothing else. Its id is derived
//! from (entity, row id, losing version), so two devices that record the same loss write one record.
//!
//! Resolving is a local change to that record (state, when, where), so it syncs too. "Restore"
//! writes the losing version back as a normal local change: it is stamped after the version that
//! won, so it wins on every device; "keep both" writes it under a new id. A record's versions merge
//! last-writer-wins like any row, except that a resolution is never undone by an "open" copy of
//! the same record (two devices recording one loss before either synced): the device holding the
//! resolution sends it again.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use wisdom_model::{ConflictState, Resolution};

use super::{hlc, rows, SyncConflict};
use crate::db::Table;
use crate::error::{Error, Result};
use crate::ids;
use crate::time;
use crate::workspace::Workspace;

/// The entity name of a conflict record.
pub(crate) const ENTITY: &str = "conflict";

const COLUMNS: &str = "id, entity, row_id, reason, lost, lost_device, won_device, recorded_at, recorded_by, state, \
                       resolved_at, resolved_by, copy_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncConflict> {
    let lost: String = r.get(4)?;
    let lost: Value = serde_json::from_str(&lost).unwrap_or(Value::String(lost));
    let state: String = r.get(9)?;
    let row = lost.get("row").unwrap_or(&lost);
    let text_of = |keys: &[&str]| keys.iter().find_map(|k| row.get(*k).and_then(Value::as_str)).map(str::to_string);
    let row_id: String = r.get(2)?;
    Ok(SyncConflict {
        id: r.get(0)?,
        entity: r.get(1)?,
        title: text_of(&["title", "name", "statement"]).unwrap_or_else(|| row_id.clone()),
        text: text_of(&["description", "narrative", "intention", "note", "reason"]),
        row_id,
        reason: r.get(3)?,
        lost,
        lost_device: r.get(5)?,
        won_device: r.get(6)?,
        recorded_at: crate::db::ts_at(r, 7)?,
        recorded_by: r.get(8)?,
        state: state.parse().unwrap_or(ConflictState::Open),
        resolved_at: crate::db::opt_ts_at(r, 10)?,
        resolved_by: r.get(11)?,
        copy_id: r.get(12)?,
    })
}

fn this_device(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT device_id FROM sync_state WHERE one = 1", [], |r| r.get(0)).optional()?)
}

/// Queues a row for push with a stamp past `after` (a version just seen), whatever guard is set:
/// what a pull causes must travel even while the pulled rows' own triggers are silenced. The
/// stamp's clock is the wall clock, as in the triggers that tick it (and `rows::enqueue_all`).
pub(crate) fn queue(conn: &Connection, entity: &str, id: &str, after: i64) -> Result<()> {
    let last: i64 = conn.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0))?;
    let stamp = hlc::tick(last.max(after), Utc::now());
    conn.prepare_cached("UPDATE sync_clock SET hlc = ?1")?.execute([stamp])?;
    conn.prepare_cached(
        "INSERT INTO sync_outbox (entity, id, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc",
    )?
    .execute(params![entity, id, stamp])?;
    Ok(())
}

/// Records that `row` (the version of `entity` `id` held here) lost. `lost` is the losing
/// version, `won` the winner, where known. A loss already recorded (by this device or another) is
/// left as it is, resolved or not.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    conn: &Connection,
    entity: &str,
    id: &str,
    reason: &str,
    lost: Option<(i64, &str)>,
    won: Option<(i64, &str)>,
    row: &Value,
    now: DateTime<Utc>,
) -> Result<()> {
    // The losing version names the record; a row set aside without one (its era went) is named
    // by the version this device held of it, which every device holding that row agrees on.
    let held: Option<(i64, String)> = match lost {
        Some((h, d)) => Some((h, d.to_string())),
        None => conn
            .prepare_cached("SELECT hlc, device FROM sync_versions WHERE entity = ?1 AND id = ?2")?
            .query_row([entity, id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    // Its time part is the losing version's own, so every device derives the same id.
    let (h, d) = held.unwrap_or((0, "none".into()));
    let at = hlc::hlc_time(h).unwrap_or_default();
    let record_id = ids::derived_id(ids::prefix::CONFLICT, at, format!("{entity}\0{id}\0{h}\0{d}").as_bytes());
    let added = conn
        .prepare_cached(
            "INSERT INTO conflicts (id, entity, row_id, reason, lost_hlc, lost_device, won_hlc, won_device, lost,
                                    recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![
            record_id,
            entity,
            id,
            reason,
            lost.map(|l| l.0),
            lost.map(|l| l.1),
            won.map(|w| w.0),
            won.map(|w| w.1),
            row.to_string(),
            time::to_db(now),
            this_device(conn)?,
        ])?;
    if added > 0 {
        queue(conn, ENTITY, &record_id, won.map(|w| w.0).unwrap_or(0))?;
    }
    Ok(())
}

/// True when a pulled version of a conflict record would reopen one this device holds resolved:
/// the local record is kept and must be sent again (the caller queues it).
pub(crate) fn keeps_local(conn: &Connection, id: &str, incoming: Option<&Value>) -> Result<bool> {
    let incoming_open = incoming
        .and_then(|d| d.get("row"))
        .and_then(|r| r.get("state"))
        .and_then(Value::as_str)
        .is_none_or(|s| s == ConflictState::Open.as_str());
    if !incoming_open {
        return Ok(false);
    }
    let local: Option<String> =
        conn.prepare_cached("SELECT state FROM conflicts WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    Ok(local.is_some_and(|s| s != ConflictState::Open.as_str()))
}

fn load(conn: &Connection, id: &str) -> Result<SyncConflict> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM conflicts WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("conflict", id))
}

/// How a person names the kind of row a table holds.
fn noun(table: &str) -> String {
    match table {
        "life_areas" => "life area".into(),
        "autobiography_entries" => "autobiography entry".into(),
        "boundaries" => "boundary".into(),
        t => t.strip_suffix('s').unwrap_or(t).into(),
    }
}

/// Makes `data` fit the journal as it is now, or says why it cannot: a column whose parent was
/// deleted and whose schema says "set null" on delete is set to null (what the delete did to
/// every other row); a required parent that is gone refuses the whole resolution; links to
/// entries that are gone are dropped (the schema's cascade did the same to the current rows).
fn fit(conn: &Connection, entity: &str, data: &Value) -> Result<Value> {
    let table = rows::spec(entity)?.table;
    let mut data = data.clone();
    let fks: Vec<(String, String, Option<String>, String)> = conn
        .prepare_cached("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1)")?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (from, parent, to, on_delete) in fks {
        let Some(value) = data.get("row").and_then(|r| r.get(&from)).filter(|v| !v.is_null()).cloned() else {
            continue;
        };
        let to = to.unwrap_or_else(|| "id".into());
        // Names from the schema (pragma_foreign_key_list), never from the payload.
        let sql = format!("SELECT EXISTS (SELECT 1 FROM \"{parent}\" WHERE \"{to}\" = ?1)");
        let exists: bool = conn.query_row(&sql, [rows::to_sql(&value)], |r| r.get(0))?;
        if exists {
            continue;
        }
        if on_delete.eq_ignore_ascii_case("SET NULL") {
            data["row"][from.as_str()] = Value::Null;
        } else {
            let needs_id = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
            return Err(Error::DependencyGone { entity: entity.to_string(), needs: noun(&parent), needs_id });
        }
    }
    let exists = |table: &str, id: &str| -> Result<bool> {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE id = ?1)");
        Ok(conn.query_row(&sql, [id], |r| r.get(0))?)
    };
    for (list, target) in [("events", "events"), ("areas", "life_areas")] {
        let Some(items) = data.get_mut("links").and_then(|l| l.get_mut(list)).and_then(Value::as_array_mut) else {
            continue;
        };
        let mut kept = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            // An insight's event links are [event id, position]; the others are bare ids.
            let id = item.get(0).unwrap_or(&item).as_str().unwrap_or_default().to_string();
            if exists(target, &id)? {
                kept.push(item);
            }
        }
        *items = kept;
    }
    Ok(data)
}

/// Writes `data` as row `id`, as a local change (its triggers queue it), or says plainly why the
/// journal refuses it.
fn put(conn: &Connection, entity: &str, id: &str, data: &Value) -> Result<()> {
    conn.execute_batch("SAVEPOINT resolve_row")?;
    match rows::write(conn, entity, id, data) {
        Ok(()) => {
            conn.execute_batch("RELEASE resolve_row")?;
            Ok(())
        }
        Err(Error::Db(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            conn.execute_batch("ROLLBACK TO resolve_row; RELEASE resolve_row")?;
            Err(Error::Conflict(format!(
                "the other version of this {entity} cannot be stored as it is ({e}); keep the current version instead"
            )))
        }
        Err(e) => Err(e),
    }
}

/// Writes the losing version of `entity` under a new id: the second entry of "keep both".
fn copy(conn: &Connection, entity: &str, data: &Value, now: DateTime<Utc>) -> Result<String> {
    use ids::prefix::*;
    let prefix = match entity {
        "event" => EVENT,
        "insight" => INSIGHT,
        "commitment" => COMMITMENT,
        "boundary" => BOUNDARY,
        "violation" => VIOLATION,
        "era" => ERA,
        "autobiography" => AUTOBIOGRAPHY,
        other => {
            return Err(Error::Conflict(format!(
                "a {} cannot be kept twice; keep the current version or restore the other one",
                other.replace('_', " ")
            )))
        }
    };
    let id = ids::new_id(prefix, now);
    let mut data = fit(conn, entity, data)?;
    if let Some(row) = data.get_mut("row").and_then(Value::as_object_mut) {
        row.insert("id".into(), Value::String(id.clone()));
        // A pattern's key is unique: the copy is the person's own insight, not the engine's.
        if entity == "insight" {
            row.insert("pattern_key".into(), Value::Null);
        }
    }
    put(conn, entity, &id, &data)?;
    Ok(id)
}

impl Workspace {
    /// Versions that lost a sync conflict, on any device of the account: open ones first, newest
    /// first; resolved ones too when `include_resolved`.
    pub fn sync_conflicts(&self, include_resolved: bool) -> Result<Vec<SyncConflict>> {
        let filter = if include_resolved { "" } else { "WHERE state = 'OPEN'" };
        let sql = format!("SELECT {COLUMNS} FROM conflicts {filter} ORDER BY state <> 'OPEN', recorded_at DESC, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One conflict record, by id or unique id prefix.
    pub fn sync_conflict(&self, id: &str) -> Result<SyncConflict> {
        let id = crate::db::resolve_id(&self.conn, Table::Conflicts, id)?;
        load(&self.conn, &id)
    }

    /// Resolves an open conflict (by id or unique id prefix), in one transaction: `KeepCurrent`
    /// marks it resolved; `Restore` writes the losing version back as the current row; `KeepBoth`
    /// writes it as a new entry beside the current one. Both writes are local changes, so they
    /// sync and win everywhere; so does the record's new state. Refuses, changing nothing, when
    /// the conflict is already resolved or the version needs a row that was deleted since.
    pub fn resolve_conflict(&mut self, id: &str, how: Resolution) -> Result<SyncConflict> {
        let now = self.now();
        let tx = self.tx()?;
        let id = crate::db::resolve_id(&tx, Table::Conflicts, id)?;
        let c = load(&tx, &id)?;
        if c.state != ConflictState::Open {
            return Err(Error::AlreadyResolved { id, state: c.state.as_str().to_string() });
        }
        let usable = rows::is_known(&c.entity) && c.entity != ENTITY && c.lost.get("row").is_some();
        if !usable && how != Resolution::KeepCurrent {
            return Err(Error::Conflict(format!(
                "this {} version cannot be brought back here; keep the current version",
                c.entity
            )));
        }
        let copy_id = match how {
            Resolution::KeepCurrent => None,
            Resolution::Restore => {
                let data = if c.entity == rows::WORKSPACE { c.lost.clone() } else { fit(&tx, &c.entity, &c.lost)? };
                put(&tx, &c.entity, &c.row_id, &data)?;
                None
            }
            Resolution::KeepBoth => Some(copy(&tx, &c.entity, &c.lost, now)?),
        };
        if how != Resolution::KeepCurrent {
            crate::areas::recompute_all(&tx, now)?;
        }
        tx.execute(
            "UPDATE conflicts SET state = ?2, resolved_at = ?3, resolved_by = ?4, copy_id = ?5 WHERE id = ?1",
            params![id, how.state().as_str(), time::to_db(now), this_device(&tx)?, copy_id],
        )?;
        tx.commit()?;
        load(&self.conn, &id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use serde_json::json;
    use wisdom_model::{NewBoundary, NewViolation};

    fn journal() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.wisdom");
        let ws = Workspace::create(
            &path,
            "J",
            &Passphrase::new("correct horse battery"),
            KdfParams::MINIMUM,
            Clock::system(),
        )
        .unwrap();
        (dir, ws)
    }

    /// Records the current version of `entity` `id` as a loss, as a pull would.
    fn lose(ws: &Workspace, entity: &str, id: &str) -> String {
        let row = rows::read(&ws.conn, entity, id).unwrap().unwrap();
        record(
            &ws.conn,
            entity,
            id,
            "edited on two devices at once",
            Some((7, "dev_a")),
            Some((9, "dev_b")),
            &row,
            ws.now(),
        )
        .unwrap();
        ws.sync_conflicts(false).unwrap().into_iter().find(|c| c.row_id == id).unwrap().id
    }

    #[test]
    fn the_same_loss_recorded_twice_is_one_record_and_a_resolution_survives_it() {
        let (_dir, mut ws) = journal();
        let e = ws.create_event(&crate::testing::work_event("Offsite")).unwrap().event.id;
        let id = lose(&ws, "event", &e);
        assert_eq!(lose(&ws, "event", &e), id);
        assert_eq!(ws.sync_conflicts(true).unwrap().len(), 1);
        ws.resolve_conflict(&id, Resolution::KeepCurrent).unwrap();
        let open_copy = json!({"row": {"state": "OPEN"}});
        assert!(keeps_local(&ws.conn, &id, Some(&open_copy)).unwrap(), "an open copy does not reopen it");
        let resolved_copy = json!({"row": {"state": "RESTORED"}});
        assert!(!keeps_local(&ws.conn, &id, Some(&resolved_copy)).unwrap());
        assert!(ws.sync_conflicts(false).unwrap().is_empty());
    }

    #[test]
    fn a_version_whose_boundary_was_deleted_cannot_come_back_and_nothing_changes() {
        let (_dir, mut ws) = journal();
        let b = ws
            .create_boundary(&NewBoundary {
                life_area: "work".into(),
                statement: "No email after 8pm".into(),
                reason: "Sleep".into(),
                consequence: None,
                status: None,
            })
            .unwrap();
        let (_, v) = ws.log_violation(&b.id, &NewViolation { occurred_at: None, note: Some("11pm".into()) }).unwrap();
        let id = lose(&ws, "violation", &v.id);
        ws.delete_boundary(&b.id).unwrap();
        for how in [Resolution::Restore, Resolution::KeepBoth] {
            match ws.resolve_conflict(&id, how) {
                Err(Error::DependencyGone { needs, needs_id, .. }) => {
                    assert_eq!((needs.as_str(), needs_id.as_str()), ("boundary", b.id.as_str()))
                }
                other => panic!("{how}: {other:?}"),
            }
        }
        assert_eq!(ws.sync_conflict(&id).unwrap().state, ConflictState::Open, "refused without a trace");
        assert_eq!(ws.resolve_conflict(&id, Resolution::KeepCurrent).unwrap().state, ConflictState::KeptCurrent);
    }

    #[test]
    fn restoring_queues_the_row_and_the_record_for_sync() {
        let (_dir, mut ws) = journal();
        let e = ws.create_event(&crate::testing::work_event("Offsite")).unwrap().event.id;
        let id = lose(&ws, "event", &e);
        ws.update_event(&e, &serde_json::from_value(json!({"title": "Renamed"})).unwrap()).unwrap();
        ws.conn.execute("DELETE FROM sync_outbox", []).unwrap();
        ws.resolve_conflict(&id, Resolution::Restore).unwrap();
        assert_eq!(ws.event(&e).unwrap().title, "Offsite");
        let queued: Vec<(String, String)> = ws
            .conn
            .prepare("SELECT entity, id FROM sync_outbox ORDER BY entity")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(queued, vec![("conflict".to_string(), id), ("event".to_string(), e)]);
    }

    #[test]
    fn conflicts_kept_by_an_older_version_are_carried_over_open_and_queued() {
        let (_dir, ws) = journal();
        let path = ws.path().to_path_buf();
        // The file as an older version left it (before V9 and the migrations after it): V2's device-local table with one
        // kept loss.
        ws.conn
            .execute_batch(
                "DROP TABLE conflicts;
                 DROP TABLE attachment_releases;
                 DROP TABLE attachment_chunk_ids;
                 DROP TABLE attachments;
                 DROP TABLE attachment_chunks;
                 DROP TABLE attachment_blobs;
                 DROP TABLE prompts;
                 DROP TABLE preferences;
                 CREATE INDEX events_type ON events (type);
                 CREATE INDEX events_created_at ON events (created_at);
                 CREATE INDEX life_areas_status ON life_areas (status);
                 DELETE FROM refinery_schema_history WHERE version >= 9;
                 CREATE TABLE sync_conflicts (rid INTEGER PRIMARY KEY, entity TEXT NOT NULL, id TEXT NOT NULL,
                     reason TEXT NOT NULL, lost_hlc INTEGER, lost_device TEXT, won_hlc INTEGER, won_device TEXT,
                     lost TEXT NOT NULL, recorded_at TEXT NOT NULL) STRICT;
                 INSERT INTO sync_conflicts (entity, id, reason, lost, recorded_at) VALUES ('event', 'evt_old',
                     'edited on two devices at once; the later edit won', '{\"row\": {\"title\": \"Old loss\"}}',
                     '2026-01-02T03:04:05.000Z');
                 DELETE FROM sync_outbox;",
            )
            .unwrap();
        drop(ws);
        let ws = Workspace::open(&path, &Passphrase::new("correct horse battery"), Clock::system()).unwrap();
        let kept = ws.sync_conflicts(false).unwrap();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!((kept[0].row_id.as_str(), kept[0].title.as_str()), ("evt_old", "Old loss"));
        assert_eq!(kept[0].state, ConflictState::Open);
        let queued: i64 = ws
            .conn
            .query_row("SELECT count(*) FROM sync_outbox WHERE entity = 'conflict' AND id = ?1", [&kept[0].id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(queued, 1, "the old loss now travels to the other devices");
    }
}
