//! What a synced row is: one record of a table with its link lists (an event and its tag names, an
//! insight and its events, an autobiography entry and its events and areas), as a JSON object
//! `{"row": {column: value}, "links": {...}}`. Reading and writing go through the table's own
//! columns (read from the schema, never from the payload), so a new column syncs without code here.
//!
//! Derived columns (scores, violation counts) are not synced; each device recomputes them, which is
//! what makes every device converge on them too.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// One synced entity: which table holds it, and which of its columns stay on the device.
pub(crate) struct Spec {
    pub entity: &'static str,
    pub table: &'static str,
    pub local_columns: &'static [&'static str],
    /// Rows that exist on every device from the start (seeded): updated, never inserted or deleted.
    pub update_only: bool,
}

/// Every synced entity, parents before children (the order a first upload queues them in).
pub(crate) const SPECS: &[Spec] = &[
    Spec {
        entity: "life_area",
        table: "life_areas",
        local_columns: &["current_score", "status", "updated_at"],
        update_only: true,
    },
    Spec { entity: "era", table: "eras", local_columns: &[], update_only: false },
    Spec { entity: "event", table: "events", local_columns: &["rid"], update_only: false },
    Spec { entity: "insight", table: "insights", local_columns: &["rid"], update_only: false },
    Spec { entity: "commitment", table: "commitments", local_columns: &[], update_only: false },
    Spec {
        entity: "boundary",
        table: "boundaries",
        local_columns: &["violation_count", "last_violated_at"],
        update_only: false,
    },
    Spec { entity: "violation", table: "boundary_violations", local_columns: &[], update_only: false },
    Spec { entity: "autobiography", table: "autobiography_entries", local_columns: &["rid"], update_only: false },
    // A file on an event or entry; its bytes travel as chunks (sync/files.rs), announced by the
    // row's `blob` link (size and chunk ids).
    Spec { entity: "attachment", table: "attachments", local_columns: &["rid", "upload_state"], update_only: false },
    Spec { entity: "template", table: "templates", local_columns: &[], update_only: false },
    Spec { entity: "prompt", table: "prompts", local_columns: &[], update_only: false },
    Spec { entity: "preference", table: "preferences", local_columns: &[], update_only: false },
    // A version that lost a conflict (conflicts.rs): after the rows it may name.
    Spec { entity: "conflict", table: "conflicts", local_columns: &[], update_only: false },
];

/// The workspace's own settings that travel (its name), as entity `workspace`, id `name`.
pub(crate) const WORKSPACE: &str = "workspace";

pub(crate) fn is_known(entity: &str) -> bool {
    entity == WORKSPACE || SPECS.iter().any(|s| s.entity == entity)
}

pub(crate) fn spec(entity: &str) -> Result<&'static Spec> {
    SPECS.iter().find(|s| s.entity == entity).ok_or_else(|| Error::Sync(format!("unknown entity {entity:?}")))
}

/// A table's columns, read from the schema once per process (the schema is this build's migrations).
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    static SEEN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, Vec<String>>>> =
        std::sync::OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Some(cols) = seen.lock().unwrap_or_else(|p| p.into_inner()).get(table) {
        return Ok(cols.clone());
    }
    let mut stmt = conn.prepare_cached("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let cols = stmt.query_map([table], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    seen.lock().unwrap_or_else(|p| p.into_inner()).insert(table.to_string(), cols.clone());
    Ok(cols)
}

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(crate::keys::hex(b)),
    }
}

pub(crate) fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => {
            n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0)))
        }
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn strings(conn: &Connection, sql: &str, id: &str) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([id], |r| {
            if n == 1 {
                Ok(to_json(r.get_ref(0)?))
            } else {
                Ok(Value::Array((0..n).map(|i| r.get_ref(i).map(to_json)).collect::<rusqlite::Result<_>>()?))
            }
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The row as it is on this device, or None if it does not exist (deleted).
pub(crate) fn read(conn: &Connection, entity: &str, id: &str) -> Result<Option<Value>> {
    if entity == WORKSPACE {
        let name: Option<String> =
            conn.query_row("SELECT value FROM settings WHERE key = 'name'", [], |r| r.get(0)).optional()?;
        return Ok(name.map(|n| json!({"row": {"name": n}})));
    }
    let s = spec(entity)?;
    let sql = format!("SELECT * FROM \"{}\" WHERE id = ?1", s.table);
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let row: Option<Map<String, Value>> = stmt
        .query_row([id], |r| {
            let mut m = Map::new();
            for (i, name) in names.iter().enumerate() {
                if !s.local_columns.contains(&name.as_str()) {
                    m.insert(name.clone(), to_json(r.get_ref(i)?));
                }
            }
            Ok(m)
        })
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let mut links = Map::new();
    match entity {
        "event" => {
            let tags = strings(
                conn,
                "SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = ?1 ORDER BY t.name",
                id,
            )?;
            links.insert("tags".into(), Value::Array(tags));
        }
        "insight" => {
            let evs = strings(
                conn,
                "SELECT event_id, position FROM insight_events WHERE insight_id = ?1 ORDER BY position, event_id",
                id,
            )?;
            links.insert("events".into(), Value::Array(evs));
        }
        "autobiography" => {
            let evs = strings(
                conn,
                "SELECT event_id FROM autobiography_entry_events WHERE entry_id = ?1 ORDER BY event_id",
                id,
            )?;
            let areas = strings(
                conn,
                "SELECT life_area_id FROM autobiography_entry_areas WHERE entry_id = ?1 ORDER BY life_area_id",
                id,
            )?;
            links.insert("events".into(), Value::Array(evs));
            links.insert("areas".into(), Value::Array(areas));
        }
        "attachment" => {
            let hash = row.get("hash").and_then(Value::as_str).unwrap_or_default();
            links.insert("blob".into(), crate::attachments::remote::manifest(conn, hash)?);
        }
        _ => {}
    }
    Ok(Some(json!({"row": row, "links": links})))
}

fn link_list(data: &Value, name: &str) -> Vec<Value> {
    data.get("links").and_then(|l| l.get(name)).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Makes the row on this device what `data` says (insert or update), links included.
pub(crate) fn write(conn: &Connection, entity: &str, id: &str, data: &Value) -> Result<()> {
    let row = data.get("row").and_then(Value::as_object).ok_or_else(|| Error::Sync("a row without columns".into()))?;
    if entity == WORKSPACE {
        if let Some(name) = row.get("name").and_then(Value::as_str) {
            conn.execute("UPDATE settings SET value = ?1 WHERE key = 'name'", [name])?;
        }
        return Ok(());
    }
    let s = spec(entity)?;
    if entity == "attachment" {
        crate::attachments::remote::announce(
            conn,
            &Value::Object(row.clone()),
            data.get("links").and_then(|l| l.get("blob")),
        )?;
    }
    // Only the table's own columns, in the table's spelling: the payload names nothing in the SQL.
    let mut cols: BTreeMap<String, SqlValue> = BTreeMap::new();
    for c in columns(conn, s.table)? {
        if c == "id" || s.local_columns.contains(&c.as_str()) {
            continue;
        }
        if let Some(v) = row.get(&c) {
            cols.insert(c, to_sql(v));
        }
    }
    let names: Vec<&String> = cols.keys().collect();
    let sql = if s.update_only {
        let sets: Vec<String> = names.iter().enumerate().map(|(i, c)| format!("\"{c}\" = ?{}", i + 2)).collect();
        format!("UPDATE \"{}\" SET {} WHERE id = ?1", s.table, sets.join(", "))
    } else {
        let list: Vec<String> = names.iter().map(|c| format!("\"{c}\"")).collect();
        let holes: Vec<String> = (0..names.len()).map(|i| format!("?{}", i + 2)).collect();
        let sets: Vec<String> = names.iter().map(|c| format!("\"{c}\" = excluded.\"{c}\"")).collect();
        let update = if sets.is_empty() { "NOTHING".to_string() } else { format!("UPDATE SET {}", sets.join(", ")) };
        format!(
            "INSERT INTO \"{}\" (id{}{}) VALUES (?1{}{}) ON CONFLICT (id) DO {update}",
            s.table,
            if list.is_empty() { "" } else { ", " },
            list.join(", "),
            if holes.is_empty() { "" } else { ", " },
            holes.join(", ")
        )
    };
    if s.update_only && names.is_empty() {
        return Ok(());
    }
    let mut values: Vec<SqlValue> = Vec::with_capacity(names.len() + 1);
    values.push(SqlValue::Text(id.to_string()));
    values.extend(cols.into_values());
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;

    match entity {
        "event" => {
            let tags: Vec<String> =
                link_list(data, "tags").iter().filter_map(|t| t.as_str().map(str::to_string)).collect();
            crate::events::set_tags(conn, id, &tags)?;
        }
        "insight" => {
            conn.prepare_cached("DELETE FROM insight_events WHERE insight_id = ?1")?.execute([id])?;
            let mut add = conn.prepare_cached(
                "INSERT OR IGNORE INTO insight_events (insight_id, event_id, position) VALUES (?1, ?2, ?3)",
            )?;
            for pair in link_list(data, "events") {
                if let (Some(ev), Some(pos)) =
                    (pair.get(0).and_then(Value::as_str), pair.get(1).and_then(Value::as_i64))
                {
                    add.execute(params![id, ev, pos])?;
                }
            }
        }
        "autobiography" => {
            conn.prepare_cached("DELETE FROM autobiography_entry_events WHERE entry_id = ?1")?.execute([id])?;
            conn.prepare_cached("DELETE FROM autobiography_entry_areas WHERE entry_id = ?1")?.execute([id])?;
            let mut add_ev = conn.prepare_cached(
                "INSERT OR IGNORE INTO autobiography_entry_events (entry_id, event_id) VALUES (?1, ?2)",
            )?;
            for ev in link_list(data, "events") {
                if let Some(ev) = ev.as_str() {
                    add_ev.execute([id, ev])?;
                }
            }
            let mut add_area = conn.prepare_cached(
                "INSERT OR IGNORE INTO autobiography_entry_areas (entry_id, life_area_id) VALUES (?1, ?2)",
            )?;
            for a in link_list(data, "areas") {
                if let Some(a) = a.as_str() {
                    add_area.execute([id, a])?;
                }
            }
        }
        "attachment" => crate::attachments::remote::received(conn, id)?,
        _ => {}
    }
    Ok(())
}

/// Two devices' pattern engines can each find the same theme and each write an insight for it, with
/// different ids but one `pattern_key` (unique). The smaller id wins on every device: the other is
/// deleted and its tombstone queued. Returns false when the incoming row is the one that loses (it
/// is then not written, and its tombstone is queued so the device that wrote it drops it too).
pub(crate) fn settle_unique(conn: &Connection, entity: &str, id: &str, data: &Value) -> Result<bool> {
    if entity != "insight" {
        return Ok(true);
    }
    let Some(key) = data.get("row").and_then(|r| r.get("pattern_key")).and_then(Value::as_str) else {
        return Ok(true);
    };
    let other: Option<String> = conn
        .prepare_cached("SELECT id FROM insights WHERE pattern_key = ?1 AND id <> ?2")?
        .query_row([key, id], |r| r.get(0))
        .optional()?;
    match other {
        None => Ok(true),
        Some(other) if id < other.as_str() => {
            // Not guarded: the delete queues the loser's tombstone.
            conn.prepare_cached("DELETE FROM insights WHERE id = ?1")?.execute([&other])?;
            Ok(true)
        }
        Some(_) => {
            let last: i64 = conn.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0))?;
            let stamp = super::hlc::tick(last, Utc::now());
            conn.execute("UPDATE sync_clock SET hlc = ?1", [stamp])?;
            conn.execute(
                "INSERT INTO sync_outbox (entity, id, hlc) VALUES ('insight', ?1, ?2)
                 ON CONFLICT (entity, id) DO UPDATE SET n = n + 1, hlc = excluded.hlc",
                params![id, stamp],
            )?;
            Ok(false)
        }
    }
}

/// Deletes the row on this device (a tombstone arrived). Deleting an era takes its autobiography
/// entries with it, into the conflicts table: an era deleted on one device while another wrote in
/// it must not block either device, and the entries stay retrievable.
pub(crate) fn remove(conn: &Connection, entity: &str, id: &str, now: DateTime<Utc>) -> Result<()> {
    if entity == WORKSPACE {
        return Ok(());
    }
    let s = spec(entity)?;
    if s.update_only {
        return Ok(());
    }
    if entity == "era" {
        let entries: Vec<String> = conn
            .prepare_cached("SELECT id FROM autobiography_entries WHERE era_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for entry in entries {
            set_aside(conn, "autobiography", &entry, "its era was deleted on another device", now)?;
        }
    }
    conn.prepare_cached(&format!("DELETE FROM \"{}\" WHERE id = ?1", s.table))?.execute([id])?;
    Ok(())
}

/// Moves a row into the conflicts table and deletes it.
fn set_aside(conn: &Connection, entity: &str, id: &str, reason: &str, now: DateTime<Utc>) -> Result<()> {
    if let Some(row) = read(conn, entity, id)? {
        super::conflicts::record(conn, entity, id, reason, None, None, &row, now)?;
    }
    let s = spec(entity)?;
    conn.prepare_cached(&format!("DELETE FROM \"{}\" WHERE id = ?1", s.table))?.execute([id])?;
    Ok(())
}

/// After a batch of pulled rows: what foreign keys would have done had the rows arrived in another
/// order (a parent deleted on one device while a child was written on another), then the derived
/// columns. (Every `NOT IN` is guarded by `IS NOT NULL`: `NULL NOT IN (<no rows>)` is true.) The
/// rows this changes are queued by their triggers like any local change, so the fix
/// becomes a version of its own and every device converges on it.
pub(crate) fn settle(conn: &Connection, now: DateTime<Utc>, fixups: bool) -> Result<()> {
    if !fixups {
        crate::areas::recompute_all(conn, now)?;
        return Ok(());
    }
    let orphaned_entries: Vec<String> = conn
        .prepare("SELECT id FROM autobiography_entries WHERE era_id NOT IN (SELECT id FROM eras)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for entry in orphaned_entries {
        set_aside(conn, "autobiography", &entry, "its era was deleted on another device", now)?;
    }
    conn.execute_batch(
        "DELETE FROM event_tags WHERE event_id NOT IN (SELECT id FROM events);
         DELETE FROM insight_events WHERE event_id NOT IN (SELECT id FROM events)
             OR insight_id NOT IN (SELECT id FROM insights);
         DELETE FROM autobiography_entry_events WHERE event_id NOT IN (SELECT id FROM events)
             OR entry_id NOT IN (SELECT id FROM autobiography_entries);
         DELETE FROM autobiography_entry_areas WHERE entry_id NOT IN (SELECT id FROM autobiography_entries);
         DELETE FROM boundary_violations WHERE boundary_id NOT IN (SELECT id FROM boundaries);
         DELETE FROM attachments WHERE (event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events))
             OR (entry_id IS NOT NULL AND entry_id NOT IN (SELECT id FROM autobiography_entries));
         UPDATE insights SET event_id = NULL
             WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events);
         UPDATE commitments SET event_id = NULL
             WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events);
         UPDATE commitments SET insight_id = NULL
             WHERE insight_id IS NOT NULL AND insight_id NOT IN (SELECT id FROM insights);
         UPDATE commitments SET life_area_id = NULL
             WHERE life_area_id IS NOT NULL AND life_area_id NOT IN (SELECT id FROM life_areas);
         UPDATE boundaries SET
             violation_count = (SELECT count(*) FROM boundary_violations v WHERE v.boundary_id = boundaries.id),
             last_violated_at = (SELECT max(occurred_at) FROM boundary_violations v WHERE v.boundary_id = boundaries.id)
         WHERE violation_count != (SELECT count(*) FROM boundary_violations v WHERE v.boundary_id = boundaries.id)
            OR last_violated_at IS NOT (SELECT max(occurred_at) FROM boundary_violations v WHERE v.boundary_id = boundaries.id);",
    )?;
    crate::areas::recompute_all(conn, now)?;
    Ok(())
}

/// Queues every synced row for upload (the first push of a workspace to a server).
pub(crate) fn enqueue_all(conn: &Connection) -> Result<()> {
    // One stamp for all: each is the first version of its row on this server. The clock is the wall
    // clock, as in the triggers that tick it.
    let last: i64 = conn.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0))?;
    let stamp = super::hlc::tick(last, Utc::now());
    conn.execute("UPDATE sync_clock SET hlc = ?1", [stamp])?;
    conn.execute(
        "INSERT INTO sync_outbox (entity, id, hlc) VALUES ('workspace', 'name', ?1) ON CONFLICT (entity, id) DO NOTHING",
        [stamp],
    )?;
    for s in SPECS {
        let order = if columns(conn, s.table)?.iter().any(|c| c == "rid") { "rid" } else { "rowid" };
        conn.execute(
            &format!(
                "INSERT INTO sync_outbox (entity, id, hlc) SELECT ?1, id, ?2 FROM \"{}\" WHERE true ORDER BY {order}
                 ON CONFLICT (entity, id) DO NOTHING",
                s.table
            ),
            params![s.entity, stamp],
        )?;
    }
    Ok(())
}
