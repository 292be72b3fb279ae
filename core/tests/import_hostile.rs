//! Imports of damaged or hostile files: each is refused whole with an error that says what is
//! wrong and where, and nothing is written, in the journal or anywhere else.

mod common;

use std::path::Path;

use common::apps::*;
use common::*;
use wisdom_core::{Error, ImportFormat, ImportProblem, Workspace};

/// Imports `path` expecting a refusal; checks that nothing was written and returns the error.
fn refused(ws: &mut Workspace, path: &Path, format: ImportFormat) -> Error {
    refused_with(ws, path, opts(format))
}

fn refused_with(ws: &mut Workspace, path: &Path, o: wisdom_core::ImportOptions) -> Error {
    assert!(ws.preview_import(path, &o, &mut |_| {}).is_err(), "the preview refuses it too");
    let err = ws.import_path(path, &o, &mut |_| {}).unwrap_err();
    assert_eq!(err.kind(), wisdom_core::ErrorKind::BadInput, "{err}");
    assert!(err.to_string().ends_with("(nothing was imported)"), "{err}");
    assert_eq!(ws.event_count().unwrap(), 0, "nothing written");
    err
}

fn source_problem(err: &Error) -> &ImportProblem {
    match err {
        Error::ImportSource { problem, .. } => problem,
        other => panic!("expected a source problem, got {other:?}"),
    }
}

#[test]
fn a_zip_bomb_is_refused_before_it_fills_memory() {
    let (f, mut ws) = Fixture::new();
    // 4 MB of spaces inside a valid journal deflate to a few kilobytes.
    let padded = DAYONE_WORK.replacen('{', &format!("{{{}", " ".repeat(4 << 20)), 1);
    let zip = zip(&f.dir.path().join("bomb.zip"), &[("Journal.json", padded.as_bytes())]);
    assert!(std::fs::metadata(&zip).unwrap().len() < 64 << 10);
    let o = wisdom_core::ImportOptions { max_source_bytes: 1 << 20, ..opts(ImportFormat::DayOne) };
    let err = refused_with(&mut ws, &zip, o);
    assert_eq!(source_problem(&err), &ImportProblem::TooLarge { limit: 1 << 20 });
    assert!(err.to_string().contains("bomb.zip: Journal.json"), "{err}");
}

#[test]
fn an_entry_longer_than_an_entry_holds_names_itself() {
    let (f, mut ws) = Fixture::new();
    let long = DAYONE_WORK.replace("Shipped the importer\\\\!", &format!("Shipped\\n{}", "words ".repeat(40_000)));
    let file = write(&f.dir.path().join("Work.json"), &long);
    let err = refused(&mut ws, &file, ImportFormat::DayOne);
    match &err {
        Error::Import { location, message } => {
            assert_eq!(location, "Work.json: entries[0]");
            assert!(message.contains("narrative"), "{message}");
        }
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn a_name_that_climbs_out_of_the_zip_refuses_the_whole_zip() {
    let (f, mut ws) = Fixture::new();
    let zip = zip(
        &f.dir.path().join("evil.zip"),
        &[("Journal.json", DAYONE_JOURNAL.as_bytes()), ("../../etc/passwd", b"root:x:0:0")],
    );
    let err = refused(&mut ws, &zip, ImportFormat::DayOne);
    assert_eq!(source_problem(&err), &ImportProblem::UnsafePath("../../etc/passwd".into()));
    assert!(!walk(f.dir.path()).iter().any(|p| p.ends_with("passwd")), "nothing unpacked");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&e.path()));
        }
        out.push(e.path());
    }
    out
}

#[test]
fn a_truncated_zip_is_a_damaged_archive() {
    let (f, mut ws) = Fixture::new();
    let whole = std::fs::read(dayone_zip(f.dir.path())).unwrap();
    let cut = f.dir.path().join("cut.zip");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let err = refused(&mut ws, &cut, ImportFormat::DayOne);
    assert!(matches!(source_problem(&err), ImportProblem::BadArchive(_)), "{err}");
    assert!(err.to_string().contains("damaged or truncated"), "{err}");
}

#[test]
fn a_zip_with_a_corrupted_journal_fails_its_checksum() {
    let (f, mut ws) = Fixture::new();
    let mut bytes =
        std::fs::read(zip(&f.dir.path().join("j.zip"), &[("Journal.json", DAYONE_JOURNAL.as_bytes())])).unwrap();
    // Flip a byte in the compressed data (after the 30-byte local header and the name).
    bytes[30 + "Journal.json".len() + 40] ^= 0x55;
    let bad = f.dir.path().join("flipped.zip");
    std::fs::write(&bad, bytes).unwrap();
    let err = refused(&mut ws, &bad, ImportFormat::DayOne);
    assert!(matches!(source_problem(&err), ImportProblem::BadArchive(_)), "{err}");
}

#[test]
fn a_zip_without_a_journal_says_how_to_export_one() {
    let (f, mut ws) = Fixture::new();
    let zip = zip(&f.dir.path().join("photos.zip"), &[("photos/a.jpeg", b"jpeg")]);
    let err = refused(&mut ws, &zip, ImportFormat::DayOne);
    assert!(err.to_string().contains("export from Day One as JSON"), "{err}");
}

#[test]
fn text_that_is_not_utf8_says_where() {
    let (f, mut ws) = Fixture::new();
    let mut bytes = DAYLIO.as_bytes().to_vec();
    bytes.splice(120..120, [0xff, 0xfe]);
    let csv = f.dir.path().join("latin1.csv");
    std::fs::write(&csv, bytes).unwrap();
    let err = refused(&mut ws, &csv, ImportFormat::Daylio);
    assert_eq!(source_problem(&err), &ImportProblem::NotUtf8 { offset: 120 });

    let zip = zip(&f.dir.path().join("j.zip"), &[("Journal.json", b"{\"entries\": [\xc3\x28]}")]);
    let err = refused(&mut ws, &zip, ImportFormat::DayOne);
    assert!(matches!(source_problem(&err), ImportProblem::NotUtf8 { .. }), "{err}");
}

#[test]
fn a_csv_that_is_not_daylios_names_the_columns_it_wants() {
    let (f, mut ws) = Fixture::new();
    let csv = write(&f.dir.path().join("bank.csv"), "Date,Payee,Amount\n2025-01-02,Grocer,-12.50\n");
    let err = refused(&mut ws, &csv, ImportFormat::Daylio);
    assert!(matches!(source_problem(&err), ImportProblem::BadHeader(_)), "{err}");
    assert!(err.to_string().contains("full_date, date, weekday, time, mood"), "{err}");
    assert!(err.to_string().contains("found: Date, Payee, Amount"), "{err}");
}

#[test]
fn a_daylio_row_with_a_bad_time_or_an_open_quote_names_its_line() {
    let (f, mut ws) = Fixture::new();
    let csv = write(&f.dir.path().join("d.csv"), &DAYLIO.replace("14:58", "teatime"));
    let err = refused(&mut ws, &csv, ImportFormat::Daylio);
    assert!(err.to_string().starts_with("d.csv: line 4: time \"teatime\""), "{err}");
    let open = format!("{DAYLIO}2025-10-08,October 8,Wednesday,9:00 am,good,,,,\"never closed\n");
    let csv = write(&f.dir.path().join("d.csv"), &open);
    let err = refused(&mut ws, &csv, ImportFormat::Daylio);
    assert!(err.to_string().starts_with("d.csv: line 8: a quoted field is never closed"), "{err}");
}

#[test]
fn a_note_with_a_date_that_does_not_exist_names_the_file_and_line() {
    let (f, mut ws) = Fixture::new();
    let v = vault(f.dir.path());
    write(&v.join("Daily/2025-02-30.md"), "Leap of faith\n");
    let err = refused(&mut ws, &v, ImportFormat::Markdown);
    assert_eq!(
        err.to_string(),
        "Daily/2025-02-30.md: the date 2025-02-30 in its name does not exist (nothing was imported)"
    );

    std::fs::remove_file(v.join("Daily/2025-02-30.md")).unwrap();
    write(&v.join("Daily/Trip.md"), "---\ntitle: Trip\ndate: 2025-13-01\n---\nPacked.\n");
    let err = refused(&mut ws, &v, ImportFormat::Markdown);
    assert!(err.to_string().starts_with("Daily/Trip.md: line 3: date \"2025-13-01\""), "{err}");

    write(&v.join("Daily/Trip.md"), "---\ntitle: Trip\ndate: 2025-06-01\n\nPacked.\n");
    let err = refused(&mut ws, &v, ImportFormat::Markdown);
    assert!(err.to_string().starts_with("Daily/Trip.md: line 1: front matter"), "{err}");
}

#[test]
fn an_unknown_area_in_a_mapping_is_refused_before_anything_is_read_into_the_journal() {
    let (f, mut ws) = Fixture::new();
    let csv = write(&f.dir.path().join("daylio.csv"), DAYLIO);
    let mut o = opts(ImportFormat::Daylio);
    o.rules.area_map = vec![("activity:work".into(), "gardening".into())];
    let err = refused_with(&mut ws, &csv, o);
    assert!(err.to_string().starts_with("--area-map activity:work: no life area \"gardening\""), "{err}");
    let mut o = opts(ImportFormat::Daylio);
    o.rules.moods = vec![("zonked".into(), -9)];
    let err = refused_with(&mut ws, &csv, o);
    assert!(err.to_string().starts_with("--mood zonked"), "{err}");
}

#[test]
fn a_stream_import_of_a_format_that_needs_a_path_says_so() {
    let (_f, mut ws) = Fixture::new();
    let err =
        ws.import(&mut std::io::Cursor::new(DAYLIO.as_bytes()), &opts(ImportFormat::Daylio), &mut |_| {}).unwrap_err();
    assert_eq!(source_problem(&err), &ImportProblem::NeedsPath { format: ImportFormat::Daylio });
}
