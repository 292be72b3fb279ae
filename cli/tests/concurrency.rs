//! Many `wisdom` processes writing to one workspace at once: every acknowledged write lands, none
//! fails with `database is locked`, and the device registry keeps its entry; a write that another
//! program keeps waiting past the busy wait fails as busy (exit 4), naming that program.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::thread;

use serde_json::Value;

mod common;
use common::{stderr, wisdom_without_model, PASS};

const WRITERS: usize = 4;
const ADDS_EACH: usize = 100;
const IMPORTED: usize = 50;

fn wisdom(home: &Path, ws: &Path, args: &[&str]) -> Output {
    wisdom_without_model(home, ws, PASS, args)
}

/// One writer: `ADDS_EACH` sequential `wisdom event add` processes. Returns the acknowledged
/// (id, title) pairs and the failures' stderr (a success that printed a warning counts as one).
fn add_events(home: PathBuf, ws: PathBuf, writer: usize) -> (Vec<(String, String)>, Vec<String>) {
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    for i in 0..ADDS_EACH {
        let title = format!("writer {writer} event {i}");
        let out = wisdom(&home, &ws, &["event", "add", &title, "--area", "work", "--type", "breakthrough", "--json"]);
        if out.status.success() {
            let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
            acked.push((reply["event"]["id"].as_str().unwrap().to_string(), title.clone()));
        }
        if !out.status.success() || !out.stderr.is_empty() {
            failed.push(format!("{title}: {}", stderr(&out)));
        }
    }
    (acked, failed)
}

fn import_file(dir: &Path) -> PathBuf {
    let lines: Vec<String> = (0..IMPORTED)
        .map(|i| {
            format!(
                r#"{{"lifeArea":"family","type":"MILESTONE","category":"RELATIONAL","tone":"POSITIVE","title":"imported {i}","occurredAt":"2025-06-01T15:00:00Z","emotionalCharge":3}}"#
            )
        })
        .collect();
    let path = dir.join("import.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn concurrent_processes_lose_no_write_and_never_report_a_locked_database() {
    let dir = tempfile::tempdir().unwrap();
    let (home, ws) = (dir.path().join("home"), dir.path().join("journal.wisdom"));
    let init = wisdom(&home, &ws, &["init", "--name", "Shared", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let import = import_file(dir.path());

    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (home, ws) = (home.clone(), ws.clone());
            thread::spawn(move || add_events(home, ws, w))
        })
        .collect();
    let importer = {
        let (home, ws) = (home.clone(), ws.clone());
        thread::spawn(move || {
            thread::sleep(std::time::Duration::from_millis(300));
            wisdom(&home, &ws, &["import", import.to_str().unwrap(), "--format", "jsonl", "--json"])
        })
    };
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    for w in writers {
        let (a, f) = w.join().unwrap();
        acked.extend(a);
        failed.extend(f);
    }
    let imported = importer.join().unwrap();

    assert!(failed.is_empty(), "{} of {} adds failed:\n{}", failed.len(), WRITERS * ADDS_EACH, failed.join(""));
    assert!(imported.status.success(), "import failed: {}", stderr(&imported));
    assert!(stderr(&imported).is_empty(), "{}", stderr(&imported));
    let report: Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(report["events"], IMPORTED as u64);

    let list = wisdom(&home, &ws, &["event", "list", "--limit", "1000", "--json"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let list: Value = serde_json::from_slice(&list.stdout).unwrap();
    let found: BTreeSet<(String, String)> = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e["title"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(found.len(), WRITERS * ADDS_EACH + IMPORTED);
    for pair in &acked {
        assert!(found.contains(pair), "acknowledged event {pair:?} is missing");
    }
    assert_eq!(found.iter().filter(|(_, t)| t.starts_with("imported ")).count(), IMPORTED);

    let registry: Value = serde_json::from_str(&std::fs::read_to_string(home.join("registry.json")).unwrap()).unwrap();
    let entries = registry["workspaces"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{registry}");
    assert_eq!(entries[0]["name"], "Shared");

    let check = wisdom(&home, &ws, &["check"]);
    assert!(check.status.success(), "{}{}", String::from_utf8_lossy(&check.stdout), stderr(&check));
}

/// This test process plays "another WisdomOS program": it opens the journal with its data key and
/// holds a write transaction (`BEGIN IMMEDIATE`, as every write of ours starts) until dropped.
fn hold_write_lock(ws: &Path) -> rusqlite::Connection {
    let conn = common::keyed_connection(ws);
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

#[test]
fn a_write_that_waits_too_long_is_busy_names_the_other_program_and_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let (home, ws) = (dir.path().join("home"), dir.path().join("journal.wisdom"));
    let init = wisdom(&home, &ws, &["init", "--name", "Held", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let add = |title: &str| {
        common::wisdom_command(&home, &ws, &["event", "add", title, "--area", "work", "--type", "breakthrough"])
            .env("WISDOM_PASSPHRASE", PASS)
            .env("WISDOM_MODEL_DIR", home.join("no-model"))
            .env("WISDOM_BUSY_WAIT", "1")
            .output()
            .unwrap()
    };

    let holder = hold_write_lock(&ws);
    let started = std::time::Instant::now();
    let out = add("waits for the lock");
    let waited = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: the journal is busy in another WisdomOS program"), "{err}");
    let me = std::fs::read_to_string("/proc/self/comm").unwrap();
    let named = format!("({} (pid {}))", me.trim(), std::process::id());
    assert!(err.contains(&named), "the holder {named} is not named: {err}");
    assert!(err.contains("held it for 1 s") && !err.contains("locked"), "{err}");
    assert!(waited >= std::time::Duration::from_secs(1), "gave up after {waited:?}, before the wait it names");

    drop(holder);
    let out = add("lands once the other program is done");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
    let list = wisdom(&home, &ws, &["event", "list", "--json"]);
    let titles: Vec<String> = serde_json::from_slice::<Value>(&list.stdout).unwrap()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["lands once the other program is done"], "the timed-out write saved nothing");
}
