//! `wisdom check`, and what every command says about a journal whose files do not open (damaged,
//! cut short, emptied, a key file missing or from another journal, a newer version): one line on
//! stderr that says what happened and what to do (the newest backup to restore, by its id), no
//! SQLCipher log lines.

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
    let backup = wisdom(dir, &ws, &["backup"]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    ws
}

/// Exactly one line, ours, and nothing from SQLCipher's own log.
fn assert_one_clean_line(o: &Output, says: &str) {
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains(says), "{err}");
    assert!(!err.contains("sqlcipher") && !err.contains("hmac"), "{err}");
}

/// The id of the journal's newest backup (taken once it holds both events).
fn newest_backup(dir: &Path, ws: &Path) -> String {
    let out = wisdom(dir, ws, &["backups", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list["backups"][0]["id"].as_str().expect("a backup").to_string()
}

/// The advice to restore: the newest backup by id, and the commands to list and restore them.
fn assert_says_restore(o: &Output, newest: &str) {
    let err = stderr(o);
    assert!(err.contains(&format!("`wisdom restore {newest}`")) && err.contains("`wisdom backups`"), "{err}");
}

/// `wisdom restore ID` brings back the journal as it was, whatever its files had become.
fn assert_restores(dir: &Path, ws: &Path, id: &str) {
    let out = wisdom(dir, ws, &["restore", id, "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = wisdom(dir, ws, &["event", "list", "--json"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap()["events"].as_array().unwrap().len(),
        2
    );
    let check = wisdom(dir, ws, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
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
    assert_one_clean_line(&out, "the journal is damaged (");
    assert_says_restore(&out, &newest_backup(dir.path(), &ws));
    assert!(String::from_utf8_lossy(&out.stdout).contains("HMAC verification failed"));
}

#[test]
fn damage_in_the_first_page_is_one_clean_line_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let newest = newest_backup(dir.path(), &ws);
    flip_bytes(&ws, 100);
    for args in [&["check"][..], &["areas"], &["event", "list"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "this file is damaged or cut short");
        assert_says_restore(&out, &newest);
    }
}

#[test]
fn a_missing_key_file_is_one_clean_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let newest = newest_backup(dir.path(), &ws);
    std::fs::remove_file(dir.path().join("journal.wisdom.key")).unwrap();
    for args in [&["check"][..], &["areas"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "journal.wisdom.key) is missing");
        assert_says_restore(&out, &newest);
    }
    assert_restores(dir.path(), &ws, &newest);
}

#[test]
fn an_emptied_file_is_refused_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let newest = newest_backup(dir.path(), &ws);
    std::fs::write(&ws, b"").unwrap();
    let out = wisdom(dir.path(), &ws, &["areas"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clean_line(&out, "the workspace file is empty");
    assert_says_restore(&out, &newest);
    assert_eq!(std::fs::metadata(&ws).unwrap().len(), 0);
}

#[test]
fn a_file_cut_short_mid_page_is_one_clean_line_naming_the_backup_that_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let newest = newest_backup(dir.path(), &ws);
    let len = std::fs::metadata(&ws).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&ws).unwrap().set_len(len / 2 + 100).unwrap();
    for args in [&["check"][..], &["areas"], &["event", "list"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "the journal file is damaged");
        assert_says_restore(&out, &newest);
    }
    assert_restores(dir.path(), &ws, &newest);
}

#[test]
fn another_journals_key_file_in_place_is_one_clean_line_naming_the_backup_that_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let newest = newest_backup(dir.path(), &ws);
    let other = dir.path().join("other.wisdom");
    let init =
        wisdom(dir.path(), &other, &["init", "--name", "Other", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let foreign = std::fs::read(dir.path().join("other.wisdom.key")).unwrap();
    std::fs::write(dir.path().join("journal.wisdom.key"), &foreign).unwrap();
    for args in [&["check"][..], &["areas"], &["event", "add", "lost?", "--area", "work", "--type", "breakthrough"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "the key file beside it belongs to another journal");
        assert_says_restore(&out, &newest);
    }
    assert_restores(dir.path(), &ws, &newest);
    let other_id =
        serde_json::from_slice::<serde_json::Value>(&foreign).unwrap()["workspaceId"].as_str().unwrap().to_string();
    let aside = dir.path().join(format!("journal.wisdom.key.{other_id}"));
    assert_eq!(std::fs::read(aside).unwrap(), foreign, "the other journal's key file is set aside, not lost");
}

#[test]
fn a_file_from_a_newer_version_is_one_clean_line_that_says_to_update_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    common::keyed_connection(&ws)
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
            [],
        )
        .unwrap();
    let before = std::fs::read(&ws).unwrap();
    for args in [&["check"][..], &["areas"], &["event", "add", "kept?", "--area", "work", "--type", "breakthrough"]] {
        let out = wisdom(dir.path(), &ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_clean_line(&out, "written by a newer WisdomOS (schema 999 > ");
        assert!(stderr(&out).trim_end().ends_with("update the app to open it"), "{}", stderr(&out));
    }
    assert!(std::fs::read(&ws).unwrap() == before, "a newer version's file was written to");
}
