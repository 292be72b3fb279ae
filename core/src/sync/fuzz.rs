//! Fuzzing what a pull applies. The server cannot forge a row (every one is sealed under the
//! workspace's key and bound to its entity, id and version), so the rows that matter are the ones a
//! device of the same account could send: sealed with the right key, their contents mutated from
//! real rows or replaced by arbitrary JSON, with the envelope's entity, id, version and tombstone
//! flag changed too; and envelopes whose ciphertext is damaged or not base64 at all. Every page is
//! applied whole or not at all: an error says what happened and leaves the journal as it was, and
//! the database passes its checks after every case. No panic.
//!
//! The decoder is fuzzed too, fed raw bytes as a server's answer to a pull: a real page's JSON
//! mutated byte by byte, arbitrary bytes, arbitrary JSON. Each is a typed error or a page, and a
//! page is then applied whole or refused whole.
//!
//! A longer run: `PROPTEST_CASES=20000 cargo test -p wisdom-core --release --lib sync::fuzz`.

use std::cell::RefCell;

use super::SyncReport;
use base64::Engine;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};
use wisdom_model::sync::{Envelope, PullResponse};

use super::run::Pulled;
use super::seal::{self, Binding};
use super::{rows, Sealed};
use crate::error::Error;
use crate::fuzz_inputs::{config, input};
use crate::keys::{KdfParams, Passphrase};
use crate::time::Clock;
use crate::workspace::Workspace;

/// A creation input from its JSON, as the front ends send them.
fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

/// A journal with one of every synced kind of row, and those rows as a pull would carry them.
fn journal(dir: &std::path::Path) -> (Workspace, Vec<(String, String, Value)>) {
    let mut ws = Workspace::create(
        &dir.join("fuzzed.wisdom"),
        "Fuzzed",
        &Passphrase::new("correct horse battery"),
        KdfParams::MINIMUM,
        Clock::system(),
    )
    .unwrap();
    let event = ws
        .create_event(&from(json!({"lifeArea": "work", "type": "UPSET", "category": "PROFESSIONAL",
            "tone": "NEGATIVE", "title": "Boss snapped at me in the standup", "description": "Again.",
            "emotionalCharge": -3, "tags": ["work", "boss"]})))
        .unwrap()
        .event;
    let insight = ws
        .create_insight(&from(json!({"type": "PATTERN_RECOGNIZED", "title": "Standups go badly",
            "description": "Three times now.", "relatedEvents": [event.id]})))
        .unwrap();
    let commitment = ws
        .create_commitment(&from(json!({"lifeArea": "work", "insightId": insight.id,
            "statement": "Prepare before standups", "intention": "Feel steady"})))
        .unwrap();
    let boundary = ws
        .create_boundary(&from(json!({"lifeArea": "work", "statement": "No calls after 7pm",
            "reason": "Evenings are mine"})))
        .unwrap();
    let era = ws.create_era(&from(json!({"name": "The London years", "startYear": 2019}))).unwrap();
    let entry = ws
        .create_autobiography_entry(&from(json!({"eraId": era.id, "year": 2021, "title": "New job",
            "narrative": "The first week was hard.", "eventIds": [event.id]})))
        .unwrap();
    let mut rows_out = Vec::new();
    for (entity, id) in [
        ("event", event.id),
        ("insight", insight.id),
        ("commitment", commitment.id),
        ("boundary", boundary.id),
        ("era", era.id),
        ("autobiography", entry.id),
        ("life_area", "area_work".to_string()),
    ] {
        let data = rows::read(&ws.conn, entity, &id).unwrap().expect("a row just written");
        rows_out.push((entity.to_string(), id, data));
    }
    (ws, rows_out)
}

/// Arbitrary JSON, a few levels deep, with the values row columns trip on.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::sample::select(vec![0i64, -1, 1, -5, 5, 6, 101, i64::MAX, i64::MIN]).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec![
            "",
            "2026-02-30T25:61:00Z",
            "not a date",
            "area_nowhere",
            "evt_missing",
            "UPSET",
            "NEGATIVE",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A change to a row: one of its columns removed, replaced or added.
#[derive(Debug, Clone)]
enum Change {
    Remove(usize),
    Replace(usize, Value),
    Add(String, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        any::<usize>().prop_map(Change::Remove),
        (any::<usize>(), json_value()).prop_map(|(k, v)| Change::Replace(k, v)),
        ("[a-zA-Z_]{1,16}", json_value()).prop_map(|(k, v)| Change::Add(k, v)),
    ]
}

fn changed(row: &Value, changes: &[Change]) -> Value {
    let mut row = row.clone();
    let Some(map) = row.as_object_mut() else { return row };
    for c in changes {
        let keys: Vec<String> = map.keys().cloned().collect();
        match c {
            Change::Remove(k) if !keys.is_empty() => {
                map.remove(&keys[k % keys.len()]);
            }
            Change::Replace(k, v) if !keys.is_empty() => {
                map.insert(keys[k % keys.len()].clone(), v.clone());
            }
            Change::Add(k, v) => {
                map.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
    row
}

/// How the envelope around the sealed row is damaged, if at all.
#[derive(Debug, Clone)]
enum Wrapping {
    Sealed,
    /// Sealed, then one byte of the ciphertext flipped.
    Flipped(usize),
    NotBase64,
    /// Arbitrary bytes sealed: authentic, but not a row at all.
    Garbage(Vec<u8>),
}

/// One fuzzed version: which real row it starts from, what happens to it, and to its envelope.
#[derive(Debug, Clone)]
struct Case {
    row: usize,
    changes: Vec<Change>,
    replaced: Option<Value>,
    entity: Option<&'static str>,
    id: Option<String>,
    hlc: i64,
    tombstone: bool,
    wrapping: Wrapping,
}

fn case(rows: usize) -> impl Strategy<Value = Case> {
    let entity = prop::option::weighted(
        0.2,
        prop::sample::select(vec![
            "event",
            "insight",
            "commitment",
            "boundary",
            "violation",
            "era",
            "autobiography",
            "template",
            "conflict",
            "workspace",
            "life_area",
            "from_a_newer_app",
        ]),
    );
    let wrapping = prop_oneof![
        8 => Just(Wrapping::Sealed),
        1 => any::<usize>().prop_map(Wrapping::Flipped),
        1 => Just(Wrapping::NotBase64),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Wrapping::Garbage),
    ];
    (
        0..rows,
        prop::collection::vec(change(), 0..4),
        prop::option::weighted(0.1, json_value()),
        entity,
        prop::option::weighted(0.2, "[a-z_0-9]{0,20}"),
        prop_oneof![1i64..1_000_000_000_000_000, any::<i64>()],
        prop::bool::weighted(0.1),
        wrapping,
    )
        .prop_map(|(row, changes, replaced, entity, id, hlc, tombstone, wrapping)| Case {
            row,
            changes,
            replaced,
            entity,
            id,
            hlc,
            tombstone,
            wrapping,
        })
}

fn envelope(ws: &Workspace, seeds: &[(String, String, Value)], c: &Case) -> Envelope {
    let (entity, id, row) = &seeds[c.row];
    let entity = c.entity.map_or(entity.clone(), str::to_string);
    let id = c.id.clone().unwrap_or_else(|| id.clone());
    let data = if c.tombstone { None } else { Some(c.replaced.clone().unwrap_or_else(|| changed(row, &c.changes))) };
    let to = Binding {
        workspace: ws.id(),
        entity: &entity,
        id: &id,
        hlc: c.hlc,
        device: "dev_other",
        tombstone: c.tombstone,
    };
    let plain = match &c.wrapping {
        Wrapping::Garbage(bytes) => bytes.clone(),
        _ => serde_json::to_vec(&Sealed { base: None, data }).unwrap(),
    };
    let mut blob = seal::seal(ws.data_key(), &to, &plain);
    if let Wrapping::Flipped(i) = c.wrapping {
        let i = i % blob.len();
        blob[i] ^= 0x20;
    }
    let ciphertext = match c.wrapping {
        Wrapping::NotBase64 => "not base64 at all!".to_string(),
        _ => base64::engine::general_purpose::STANDARD.encode(&blob),
    };
    Envelope { entity, id, hlc: c.hlc, device: "dev_other".into(), tombstone: c.tombstone, ciphertext, seq: Some(1) }
}

/// Every table's row count and the versions held: what a page that fails must leave unchanged.
fn fingerprint(ws: &Workspace) -> Vec<(String, i64)> {
    let tables: Vec<String> = ws
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out: Vec<(String, i64)> = tables
        .into_iter()
        .map(|t| {
            let n = ws.conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
            (t, n)
        })
        .collect();
    let versions = ws.conn.query_row("SELECT coalesce(sum(hlc % 1000003), 0) FROM sync_versions", [], |r| r.get(0));
    out.push(("versions".into(), versions.unwrap()));
    out
}

#[test]
fn any_page_a_device_could_send_is_applied_whole_or_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, seeds) = journal(dir.path());
    let ws = RefCell::new(ws);
    let page = prop::collection::vec(case(seeds.len()), 1..4);
    let mut runner = TestRunner::new(config(300));
    runner
        .run(&page, |cases| {
            let mut ws = ws.borrow_mut();
            let changes: Vec<Envelope> = cases.iter().map(|c| envelope(&ws, &seeds, c)).collect();
            apply_whole_or_not_at_all(&mut ws, PullResponse { changes, next: 1, head: 1, more: false })
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}

/// Applies one pulled page: it lands whole, or it is refused with an error that says something
/// and the journal as it was; its rows never break a foreign key.
fn apply_whole_or_not_at_all(ws: &mut Workspace, page: PullResponse) -> Result<(), TestCaseError> {
    let before = fingerprint(ws);
    let mut report = SyncReport::default();
    let result = ws.apply_pulled(std::iter::once(Ok(Pulled { after: 0, page })), 0, &mut report);
    if let Err(e) = &result {
        prop_assert!(!e.to_string().trim().is_empty());
        prop_assert_eq!(&fingerprint(ws), &before, "a refused page wrote: {}", e);
    }
    let problems: i64 = ws.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    prop_assert_eq!(problems, 0, "{:?}", result.map(|_| report));
    Ok(())
}

#[test]
fn any_bytes_answered_to_a_pull_are_a_typed_error_or_a_page_applied_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, seeds) = journal(dir.path());
    let sealed = |row: usize| Case {
        row,
        changes: Vec::new(),
        replaced: None,
        entity: None,
        id: None,
        hlc: 1_000_000_000_000_000 + row as i64,
        tombstone: false,
        wrapping: Wrapping::Sealed,
    };
    let changes: Vec<Envelope> = (0..seeds.len()).map(|row| envelope(&ws, &seeds, &sealed(row))).collect();
    let real = serde_json::to_vec(&PullResponse { changes, next: 7, head: 7, more: false }).unwrap();
    let answers = prop_oneof![
        4 => input(vec![real]),
        1 => json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ];
    let ws = RefCell::new(ws);
    let mut runner = TestRunner::new(config(300));
    runner
        .run(&answers, |bytes| match super::client::decode::<PullResponse>(&bytes, "https://sync.example") {
            Ok(page) => apply_whole_or_not_at_all(&mut ws.borrow_mut(), page),
            Err(e) => {
                prop_assert!(matches!(e, Error::Sync(_)), "{:?}", e);
                prop_assert!(e.to_string().starts_with("sync: unexpected answer from https://sync.example: "));
                Ok(())
            }
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}
