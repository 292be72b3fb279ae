//! Backups through the real `wisdom` binary: taken by themselves, listed, restored to exactly the
//! journal that was backed up, and never put back unasked.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{wisdom_command, wisdom_without_model, PASS};

fn wisdom_with(dir: &Path, ws: &Path, pass: &str, args: &[&str]) -> Output {
    wisdom_without_model(&dir.join("home"), ws, pass, args)
}

fn wisdom(dir: &Path, ws: &Path, args: &[&str]) -> Output {
    wisdom_with(dir, ws, PASS, args)
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn journal(dir: &Path) -> PathBuf {
    let ws = dir.join("journal.wisdom");
    ok(wisdom(dir, &ws, &["init", "--name", "Backed up", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]));
    for title in ["Got promoted", "Argued with my sister", "Ran ten kilometres"] {
        ok(wisdom(dir, &ws, &["event", "add", title, "--area", "work", "--type", "breakthrough"]));
    }
    ws
}

fn backups(dir: &Path, ws: &Path) -> Vec<serde_json::Value> {
    let out: serde_json::Value = serde_json::from_str(&ok(wisdom(dir, ws, &["backups", "--json"]))).unwrap();
    out["backups"].as_array().unwrap().clone()
}

/// The export without its own timestamp, the one line that differs between two exports of one state.
fn export(dir: &Path, ws: &Path) -> String {
    let out = ok(wisdom(dir, ws, &["export", "--format", "json", "-o", "-"]));
    out.lines().filter(|l| !l.trim_start().starts_with("\"exportedAt\"")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_first_use_of_the_day_leaves_an_encrypted_daily_backup() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let list = backups(dir.path(), &ws);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "daily");
    let path = PathBuf::from(list[0]["path"].as_str().unwrap());
    assert!(path.starts_with(dir.path().join("backups")));
    let head = &std::fs::read(&path).unwrap()[..16];
    assert_ne!(head, b"SQLite format 3\0", "a backup must never be a plaintext database");
    assert!(Path::new(&format!("{}.key", path.display())).exists(), "the key file is backed up with it");
    for field in ["id", "takenAt", "sizeBytes", "reason"] {
        assert!(!list[0][field].is_null(), "{field} missing: {:?}", list[0]);
    }
}

#[test]
fn backups_restore_to_byte_identical_exports() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let taken: serde_json::Value = serde_json::from_str(&ok(wisdom(dir.path(), &ws, &["backup", "--json"]))).unwrap();
    let id = taken["id"].as_str().unwrap().to_string();
    let before = export(dir.path(), &ws);

    ok(wisdom(
        dir.path(),
        &ws,
        &["event", "add", "Written after the backup", "--area", "physical-health", "--type", "upset"],
    ));
    ok(wisdom(
        dir.path(),
        &ws,
        &["commitment", "add", "Call my sister", "--intention", "Stay close", "--area", "family"],
    ));
    assert_ne!(export(dir.path(), &ws), before);

    let said = ok(wisdom(dir.path(), &ws, &["restore", &id, "--yes"]));
    assert!(said.contains(&format!("Restored backup {id}")), "{said}");
    assert!(said.contains("the passphrase is the one in force when the backup was taken"), "{said}");
    assert_eq!(export(dir.path(), &ws), before);
    ok(wisdom(dir.path(), &ws, &["check"]));

    let reasons: Vec<_> = backups(dir.path(), &ws).iter().map(|b| b["reason"].as_str().unwrap().to_string()).collect();
    assert!(reasons.contains(&"before-restore".to_string()), "{reasons:?}");
}

#[test]
fn restore_without_yes_and_without_a_terminal_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let id = backups(dir.path(), &ws)[0]["id"].as_str().unwrap().to_string();
    ok(wisdom(dir.path(), &ws, &["event", "add", "Kept", "--area", "work", "--type", "breakthrough"]));
    let before = export(dir.path(), &ws);
    let out = wisdom(dir.path(), &ws, &["restore", &id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("confirm with --yes"));
    assert_eq!(export(dir.path(), &ws), before);
    let unknown = wisdom(dir.path(), &ws, &["restore", "20200101-000000-000", "--yes"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn restoring_from_before_a_passphrase_change_says_the_old_passphrase_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    let new = "a brand new passphrase";
    let passwd = wisdom_command(&dir.path().join("home"), &ws, &["passwd"])
        .env("WISDOM_PASSPHRASE", PASS)
        .env("WISDOM_NEW_PASSPHRASE", new)
        .output()
        .unwrap();
    ok(passwd);
    let list = backups(dir.path(), &ws);
    assert_eq!(list[0]["reason"], "before-passphrase-change");
    let id = list[0]["id"].as_str().unwrap().to_string();

    let said = ok(wisdom_with(dir.path(), &ws, new, &["restore", &id, "--yes"]));
    assert!(said.contains("That is an older passphrase"), "{said}");
    assert_eq!(wisdom_with(dir.path(), &ws, new, &["areas"]).status.code(), Some(3), "the new passphrase is gone");
    ok(wisdom(dir.path(), &ws, &["areas"]));
}

#[test]
fn backups_move_to_a_chosen_folder_and_keep_going_there_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = journal(dir.path());
    ok(wisdom(dir.path(), &ws, &["backup"]));
    ok(wisdom(dir.path(), &ws, &["backup"]));
    let before = backups(dir.path(), &ws);
    assert!(before.len() >= 2, "{before:?}");

    // A file is not a folder: refused, and nothing moves.
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let refused = wisdom(dir.path(), &ws, &["backups", "--folder", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert_eq!(backups(dir.path(), &ws), before);

    let usb = dir.path().join("usb");
    let moved: serde_json::Value =
        serde_json::from_str(&ok(wisdom(dir.path(), &ws, &["backups", "--folder", usb.to_str().unwrap(), "--json"])))
            .unwrap();
    let folder = usb.join("journal.wisdom");
    assert_eq!(moved["folder"], folder.to_str().unwrap());
    let ids =
        |list: &[serde_json::Value]| list.iter().map(|b| b["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(moved["backups"].as_array().unwrap()), ids(&before), "every backup moved");
    for b in moved["backups"].as_array().unwrap() {
        assert!(Path::new(b["path"].as_str().unwrap()).starts_with(&folder), "{b}");
    }
    assert!(!dir.path().join("backups").join("journal.wisdom").exists(), "the old folder is left empty and removed");

    // New backups go there, and a moved one restores.
    ok(wisdom(dir.path(), &ws, &["backup"]));
    let now = backups(dir.path(), &ws);
    assert_eq!(now.len(), before.len() + 1);
    assert!(Path::new(now[0]["path"].as_str().unwrap()).starts_with(&folder));
    let oldest = before.last().unwrap()["id"].as_str().unwrap().to_string();
    ok(wisdom(dir.path(), &ws, &["restore", &oldest, "--yes"]));

    // Found without the key file too (a journal that no longer opens can still be restored).
    let key = dir.path().join("journal.wisdom.key");
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let listed = backups(dir.path(), &ws);
    assert!(listed.len() > before.len(), "{listed:?}");
    std::fs::write(&key, saved).unwrap();

    let back: serde_json::Value =
        serde_json::from_str(&ok(wisdom(dir.path(), &ws, &["backups", "--default-folder", "--json"]))).unwrap();
    let beside = dir.path().join("backups").join("journal.wisdom");
    assert_eq!(back["folder"], beside.to_str().unwrap());
    assert_eq!(back["backups"].as_array().unwrap().len(), listed.len());
    assert!(!folder.exists());
}
