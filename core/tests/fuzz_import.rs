//! Fuzzing every import parser: inputs mutated from realistic exports (bytes flipped, inserted,
//! deleted, cut short, spliced with the characters parsers trip on) and arbitrary bytes. Every input
//! gives a report or a typed error, never a panic; a failed import leaves the journal exactly as it
//! was, and a successful one adds what its report says.
//!
//! The test command runs a short bounded run (a few seconds a target); a longer one:
//! `PROPTEST_CASES=20000 cargo test -p wisdom-core --release --test fuzz_import`.

mod common;

use std::cell::RefCell;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::apps::*;
use common::fuzz::*;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use wisdom_core::model::*;
use wisdom_core::{ImportFormat, Workspace};

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

/// Notes as Obsidian and Logseq write them: front matter, daily headings, embeds, links, tags.
fn markdown_seeds() -> Vec<Vec<u8>> {
    [
        "---\ntags: [running]\n---\n# Friday\n\nEasy 5k before work. Knee felt fine. #health\n",
        "# 2025-08-02\n\n## 07:10 Run by the river\nFelt strong, negative splits. #running\n\n## 9:30 pm - Call with Mum\nShe's worried about Dad's knee.\n",
        "---\ntitle: Grandma's 90th\ndate: 2025-08-04 18:30\narea: family\ntype: milestone\ncharge: 4\n---\nThe whole family in one garden.\n\n![[cake.jpg]]\n",
        "- Long walk with [[Ana]] along the coast #nature\n- Ate sardines\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

#[test]
fn markdown_notes_never_panic_nor_half_import() {
    fuzz_file("2025-08-04.md", ImportFormat::Markdown, markdown_seeds(), 400);
}

/// A file name in a vault: a plausible one, one parsers of dates and paths trip on, or any bytes
/// Linux allows in a name (not UTF-8 either), with `.md` or without; a few go in a subfolder.
fn note_name() -> impl Strategy<Value = std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    let stem = prop_oneof![
        "[a-zA-Z0-9 ._-]{1,24}".prop_map(String::into_bytes),
        prop::sample::select(vec!["2025-02-30", "0000-00-00", ".hidden", "ünïcødé ✨", "\u{202e}gpj.md", " ", "-"])
            .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(1u8..=255, 1..24).prop_map(|b| b.into_iter().filter(|&c| c != b'/').collect()),
    ];
    let ext = prop::sample::select(vec![".md", ".md", ".MD", ".markdown", ".txt", ""]);
    let folder = prop::sample::select(vec!["", "", "", "daily/", "../", "a/b/"]);
    (folder, stem, ext).prop_map(|(folder, mut stem, ext)| {
        if stem.is_empty() || stem == b"." || stem == b".." {
            stem = b"note".to_vec();
        }
        let mut name = folder.as_bytes().to_vec();
        name.extend(stem);
        name.extend(ext.as_bytes());
        std::ffi::OsString::from_vec(name)
    })
}

#[test]
fn markdown_folders_of_any_names_and_bytes_never_panic_nor_half_import() {
    let (f, ws) = Fixture::new();
    let ws = RefCell::new(ws);
    let vault = f.dir.path().join("vault");
    let notes = prop::collection::vec((note_name(), input(markdown_seeds())), 1..6);
    let write_vault = |notes: &[(std::ffi::OsString, Vec<u8>)]| {
        let _ = std::fs::remove_dir_all(&vault);
        std::fs::create_dir_all(vault.join("daily")).unwrap();
        for (name, bytes) in notes {
            // "../" puts a note beside the vault, outside what is imported.
            let path = vault.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
    };
    let mut runner = TestRunner::new(config(150));
    runner
        .run(&notes, |notes| {
            write_vault(&notes);
            preview_once(&ws.borrow(), &vault, ImportFormat::Markdown)
        })
        .unwrap();
    let mut runner = TestRunner::new(config(40));
    runner
        .run(&notes, |notes| {
            write_vault(&notes);
            import_once(&mut ws.borrow_mut(), &vault, ImportFormat::Markdown)
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
}

/// Our own export zip: its bytes mutated (what a damaged download gives), and sound zips around a
/// mutated member (`wisdomos.json`, `attachments.json`, an attachment's bytes), which the zip
/// reader lets through to our checks.
#[test]
fn our_export_zips_never_panic_nor_half_import() {
    use std::io::Read;
    let (f, mut source) = Fixture::new();
    let e = event("family", EventType::Milestone, "First steps", 5, t0(), &["kids"]);
    let e = source.create_event(&e).unwrap().event;
    source.attach_bytes(EntryKind::Event, &e.id, "first steps.jpg", jpeg(32, 24, 1)).unwrap();
    let export = f.dir.path().join("export.zip");
    source.export_zip(std::fs::File::create(&export).unwrap(), &mut |_| {}).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&export).unwrap()).unwrap();
    let members: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut m = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            m.read_to_end(&mut bytes).unwrap();
            (m.name().unwrap().to_string(), bytes)
        })
        .collect();
    assert!(members.len() >= 3, "the document, the attachments' list and a file: {members:?}");

    let (_g, ws) = Fixture::new();
    let ws = RefCell::new(ws);
    let whole = std::fs::read(&export).unwrap();
    let path = f.dir.path().join("fuzzed.zip");
    let mut runner = TestRunner::new(config(60));
    runner
        .run(&input(vec![whole]), |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            import_once(&mut ws.borrow_mut(), &path, ImportFormat::Json)
        })
        .unwrap();
    let one_member = (0..members.len(), prop::collection::vec(edit(), 1..6), any::<bool>());
    let mut runner = TestRunner::new(config(60));
    runner
        .run(&one_member, |(at, edits, dropped)| {
            let files: Vec<(&str, Vec<u8>)> = members
                .iter()
                .enumerate()
                .filter(|(i, _)| !(dropped && *i == at))
                .map(|(i, (name, bytes))| {
                    (name.as_str(), if i == at { mutated(bytes, &edits) } else { bytes.to_vec() })
                })
                .collect();
            let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
            import_once(&mut ws.borrow_mut(), &zip(&path, &files), ImportFormat::Json)
        })
        .unwrap();
    let report = ws.borrow().check();
    assert!(report.ok(), "{report:?}");
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
