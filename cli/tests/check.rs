//! `wisdom check`, and what every command says about a damaged file or a missing key file: one
//! line on stderr that says what happened and what to do, no SQLCipher log lines.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{stderr, wisdom_without_model, PASS};

fn wisdom(dir: &Path, ws: &Path, args: &[&str]) -> Output {
    wisdom_without_model(&dir.join("home"), ws, PASS, args)
}

fn journal(dir: &Path) -> PathBuf {
    let ws = dir.join("journal.wisdom");
    let init = wisdom(dir, &ws, &["init", "--name", "Checked", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    for title in ["Got promoted", "Argued with my sister"] {
        let add = wisdom(dir, &ws, &["event", "add", title, "--area", "work", "--type", "breakthrough"]);
        assert!(add.status.success(), "{}", stderr(&add));
    }
    ws
}

/// Exactly one line, ours, and nothing from SQLCipher's own log.
fn assert_one_clean_line(o: &Output, says: &str) {
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains(says), "{err}");
    assert!(!err.contains("sqlcipher") && !err.contains("hmac"), "{err}");
}

fn flip_bytes(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    for b in &mut bytes[at..at + 64] {
        *b ^= 0xff;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn check_passes_on_a_sound_journal() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let out = wisdom(dir.path(), &ws, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("The journal is sound."));
    let json = wisdom(dir.path(), &ws, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let names: Vec<_> = report["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cipher", "structure", "foreignKeys", "searchIndex"]);
}

#[test]
fn damage_in_the_middle_of_the_file_fails_the_check_with_one_clean_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let len = std::fs::metadata(&ws).unwrap().len() as usize;
    flip_bytes(&ws, len / 2);
    let out = wisdom(dir.path(), &ws, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clean_line(&out, "the journal is damaged");
    assert!(stderr(&out).contains("restore it and its key file from a backup"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("HMAC verification failed"));
}

#[test]
fn damage_in_the_first_page_is_one_clean_line_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    flip_bytes(&ws, 100);
    for args in [&["check"][..], &["areas"], &["event", "list"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "this file is damaged");
    }
}

#[test]
fn a_missing_key_file_is_one_clean_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    std::fs::remove_file(dir.path().join("journal.wisdom.key")).unwrap();
    for args in [&["check"][..], &["areas"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "the key file beside the workspace is missing");
    }
}

#[test]
fn an_emptied_file_is_refused_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    std::fs::write(&ws, b"").unwrap();
    let out = wisdom(dir.path(), &ws, &["areas"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clean_line(&out, "the workspace file is empty");
    assert_eq!(std::fs::metadata(&ws).unwrap().len(), 0);
}
