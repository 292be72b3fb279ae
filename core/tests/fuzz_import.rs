//! Fuzzing every import parser: inputs mutated from realistic exports (bytes flipped, inserted,
//! deleted, cut short, spliced with the characters parsers trip on) and arbitrary bytes. Every input
//! gives a report or a typed error, never a panic; a failed import leaves the journal exactly as it
//! was, and a successful one adds what its report says.
//!
//! The test command runs a short bounded run; a longer one:
//! `PROPTEST_CASES=20000 cargo test -p wisdom-core --release --test fuzz_import`.

mod common;

use std::cell::RefCell;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::apps::*;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use wisdom_core::model::*;
use wisdom_core::{ImportFormat, Workspace};

/// Cases per property: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    // No regression files written into the source tree: a failure prints its input.
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// One change to an input's bytes; positions wrap around its length.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Cut(usize),
    Splice(usize, &'static [u8]),
}

/// What parsers of dates, CSV, JSON, front matter, zips and paths trip on.
const TRICKY: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\n",
    b"\r\n",
    b"\xff\xfe",
    b"\0",
    b"---\n",
    b": ",
    b"0000-00-00",
    b"2025-02-30",
    b"25:61",
    b"99999999999999999999",
    b"-1",
    b"null",
    b"../../etc/passwd",
    b"\xe2\x80\xae",
    b"![[",
    b"dayone-moment://",
    b" | ",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), prop::sample::select(TRICKY)).prop_map(|(p, s)| Edit::Splice(p, s)),
    ]
}

fn mutated(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *e {
            Edit::Flip(p, x) if !b.is_empty() => {
                let i = p % b.len();
                b[i] ^= x | 1;
            }
            Edit::Flip(..) => {}
            Edit::Insert(p, x) => b.insert(at(p, b.len()), x),
            Edit::Delete(p, n) => {
                let i = at(p, b.len());
                b.drain(i..(i + n).min(b.len()));
            }
            Edit::Cut(p) => b.truncate(at(p, b.len())),
            Edit::Splice(p, s) => {
                let i = at(p, b.len());
                b.splice(i..i, s.iter().copied());
            }
        }
    }
    b
}

/// A realistic input mutated, or (one case in eight) arbitrary bytes.
fn input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    prop_oneof![
        7 => (0..n, prop::collection::vec(edit(), 0..6)).prop_map(move |(i, e)| mutated(&seeds[i], &e)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// What must hold of any input: no panic (the runner fails on one), a typed error that says
/// something, and nothing half-written: the journal's events and search index as they were, or
/// grown by exactly what the report says.
fn import_once(ws: &mut Workspace, path: &Path, format: ImportFormat) -> Result<(), TestCaseError> {
    let before = ws.event_count().unwrap();
    match ws.import_path(path, &opts(format), &mut |_| {}) {
        Ok(report) => {
            prop_assert_eq!(ws.event_count().unwrap(), before + report.events, "{:?}", report);
        }
        Err(e) => {
            prop_assert!(!e.to_string().trim().is_empty());
            prop_assert_eq!(ws.event_count().unwrap(), before, "a failed import wrote: {}", e);
        }
    }
    prop_assert!(ws.verify_search_index().is_ok());
    Ok(())
}

/// The preview reads and files everything an import would, and writes nothing.
fn preview_once(ws: &Workspace, path: &Path, format: ImportFormat) -> Result<(), TestCaseError> {
    let before = ws.event_count().unwrap();
    if let Err(e) = ws.preview_import(path, &opts(format), &mut |_| {}) {
        prop_assert!(!e.to_string().trim().is_empty());
    }
    prop_assert_eq!(ws.event_count().unwrap(), before);
    Ok(())
}

/// Runs `cases` previews and a quarter as many imports of mutated `seeds` written to `name`.
fn fuzz_file(name: &str, format: ImportFormat, seeds: Vec<Vec<u8>>, cases: u32) {
    let (f, ws) = Fixture::new();
    // The runner takes a shared closure; the journal is borrowed inside it, one case at a time.
    let ws = RefCell::new(ws);
    let path: PathBuf = f.dir.path().join(name);
    let mut runner = TestRunner::new(config(cases));
    runner
        .run(&input(seeds.clone()), |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            preview_once(&ws.borrow(), &path, format)
        })
        .unwrap();
    let mut runner = TestRunner::new(config(cases / 4));
    runner
        .run(&input(seeds), |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            import_once(&mut ws.borrow_mut(), &path, format)
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn daylio_csv_never_panics_nor_half_imports() {
    let short = "full_date,date,weekday,time,mood,activities,note\r\n2019-05-01,May 1,Wednesday,07:45,good,gym,\"Leg day, finally.\"\r\n";
    fuzz_file("daylio.csv", ImportFormat::Daylio, vec![DAYLIO.as_bytes().to_vec(), short.as_bytes().to_vec()], 400);
}

#[test]
fn day_one_journals_never_panic_nor_half_import() {
    let (f, _ws) = Fixture::new();
    // The bare journal files, and the export zip (whose bytes mostly fail their checksums).
    let zip = std::fs::read(dayone_zip(f.dir.path())).unwrap();
    fuzz_file("Journal.json", ImportFormat::DayOne, vec![DAYONE_JOURNAL.into(), DAYONE_WORK.into()], 400);
    fuzz_file("Export.zip", ImportFormat::DayOne, vec![zip], 100);
}

#[test]
fn a_day_one_zip_of_mutated_journals_never_panics_nor_half_imports() {
    // Valid archives around damaged journals and media names: what the zip reader lets through.
    let (f, ws) = Fixture::new();
    let ws = RefCell::new(ws);
    let mut runner = TestRunner::new(config(60));
    let strategy = (input(vec![DAYONE_JOURNAL.into(), DAYONE_WORK.into()]), prop::sample::select(TRICKY));
    runner
        .run(&strategy, |(journal, name)| {
            let media = format!("photos/{}.jpeg", String::from_utf8_lossy(name));
            let path = zip(
                &f.dir.path().join("Mutated.zip"),
                &[("Journal.json", &journal), (&media, b"\xff\xd8\xff\xe0 not really a jpeg")],
            );
            import_once(&mut ws.borrow_mut(), &path, ImportFormat::DayOne)
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn markdown_notes_never_panic_nor_half_import() {
    let seeds: Vec<Vec<u8>> = [
        "---\ntags: [running]\n---\n# Friday\n\nEasy 5k before work. Knee felt fine. #health\n",
        "# 2025-08-02\n\n## 07:10 Run by the river\nFelt strong, negative splits. #running\n\n## 9:30 pm - Call with Mum\nShe's worried about Dad's knee.\n",
        "---\ntitle: Grandma's 90th\ndate: 2025-08-04 18:30\narea: family\ntype: milestone\ncharge: 4\n---\nThe whole family in one garden.\n\n![[cake.jpg]]\n",
        "- Long walk with [[Ana]] along the coast #nature\n- Ate sardines\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz_file("2025-08-04.md", ImportFormat::Markdown, seeds, 400);
}

#[test]
fn json_exports_never_panic_nor_half_import() {
    let (_f, mut source) = Fixture::new();
    for (i, title) in ["Long run by the river", "Argued about the dishes", "Promotion!"].iter().enumerate() {
        let e =
            event("work", EventType::Progress, title, i as i64 - 1, t0() - chrono::Duration::days(i as i64), &["x"]);
        source.create_event(&e).unwrap();
    }
    let mut ours = Vec::new();
    source.export_json(&mut ours, &mut |_| {}).unwrap();
    let jrnl = br#"{"tags": {"@work": 1}, "entries": [
        {"title": "Long day at the office.", "body": "Too many meetings.", "date": "2026-02-01", "time": "18:30", "tags": ["@work", "@meetings"], "starred": false},
        {"title": "Quiet Sunday.", "body": "", "date": "2026-02-02", "time": "09:00", "tags": [], "starred": true}
    ]}"#
    .to_vec();
    let lines = serde_json::to_vec(&event("family", EventType::Milestone, "Grandma's 90th", 4, t0(), &[])).unwrap();
    let (_f, ws) = Fixture::new();
    let ws = RefCell::new(ws);
    for (format, seed, cases) in
        [(ImportFormat::Json, ours, 60), (ImportFormat::Jrnl, jrnl, 60), (ImportFormat::JsonLines, lines, 60)]
    {
        let mut runner = TestRunner::new(config(cases));
        runner
            .run(&input(vec![seed]), |bytes| {
                let mut ws = ws.borrow_mut();
                let before = ws.event_count().unwrap();
                match ws.import(&mut Cursor::new(bytes), &opts(format), &mut |_| {}) {
                    Ok(r) => prop_assert_eq!(ws.event_count().unwrap(), before + r.events),
                    Err(e) => {
                        prop_assert!(!e.to_string().trim().is_empty());
                        prop_assert_eq!(ws.event_count().unwrap(), before, "a failed import wrote: {}", e);
                    }
                }
                Ok(())
            })
            .unwrap();
    }
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}
