//! The recovery key through the real `wisdom` binary: shown once at `init`, it sets a new
//! passphrase when the old one is forgotten; a rotated-out or wrong key is refused.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{wisdom_command, PASS};

fn wisdom(dir: &Path, ws: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = wisdom_command(&dir.join("home"), ws, args);
    cmd.env("WISDOM_MODEL_DIR", dir.join("no-model"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// A new journal and the recovery key `init` showed, read from its human output.
fn journal(dir: &Path) -> (PathBuf, String) {
    let ws = dir.join("journal.wisdom");
    let said = ok(wisdom(
        dir,
        &ws,
        &[("WISDOM_PASSPHRASE", PASS)],
        &["init", "--name", "Recoverable", "--kdf-memory-mib", "19", "--kdf-iterations", "2"],
    ));
    assert!(said.contains("Recovery key (shown only now"), "{said}");
    let key = said
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 39 && l.split('-').count() == 8)
        .unwrap_or_else(|| panic!("no recovery key in {said}"))
        .to_string();
    (ws, key)
}

fn recover(dir: &Path, ws: &Path, key: &str, new: &str) -> Output {
    wisdom(
        dir,
        ws,
        &[("WISDOM_RECOVERY_KEY", key), ("WISDOM_NEW_PASSPHRASE", new), ("WISDOM_LOG", "debug")],
        &["recover"],
    )
}

#[test]
fn a_forgotten_passphrase_is_replaced_with_the_recovery_key_shown_at_init() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, key) = journal(dir.path());
    ok(wisdom(
        dir.path(),
        &ws,
        &[("WISDOM_PASSPHRASE", PASS)],
        &["event", "add", "Before forgetting", "--area", "work", "--type", "breakthrough"],
    ));

    let new = "remembered this time";
    let out = recover(dir.path(), &ws, &key.to_lowercase(), new);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(ok(out).contains("New passphrase set"));
    assert!(!stderr.contains(&key) && !stderr.contains(new), "secrets in the log: {stderr}");
    let key_file = std::fs::read_to_string(format!("{}.key", ws.display())).unwrap();
    assert!(!key_file.contains(&key) && !key_file.contains(&key.replace('-', "")), "recovery key stored in clear");

    let old = wisdom(dir.path(), &ws, &[("WISDOM_PASSPHRASE", PASS)], &["event", "list"]);
    assert_eq!(old.status.code(), Some(3), "the forgotten passphrase no longer opens it");
    let listed = ok(wisdom(dir.path(), &ws, &[("WISDOM_PASSPHRASE", new)], &["event", "list"]));
    assert!(listed.contains("Before forgetting"), "{listed}");
    let status = ok(wisdom(dir.path(), &ws, &[], &["recovery-key", "status", "--json"]));
    assert!(status.contains("\"recoveryKeySet\": true"), "{status}");
}

#[test]
fn a_rotated_out_wrong_or_mistyped_recovery_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, old_key) = journal(dir.path());
    let rotated = ok(wisdom(dir.path(), &ws, &[("WISDOM_PASSPHRASE", PASS)], &["recovery-key", "rotate", "--json"]));
    let rotated: serde_json::Value = serde_json::from_str(&rotated).unwrap();
    let new_key = rotated["recoveryKey"].as_str().unwrap();
    assert_ne!(new_key, old_key);

    let refused = recover(dir.path(), &ws, &old_key, "a brand new passphrase");
    assert_eq!(refused.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("this recovery key does not open the journal"));
    let wrong = recover(dir.path(), &ws, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "a brand new passphrase");
    assert_eq!(wrong.status.code(), Some(3));
    let mistyped = recover(dir.path(), &ws, "AAAA-BBBB", "a brand new passphrase");
    assert_eq!(mistyped.status.code(), Some(2), "{}", String::from_utf8_lossy(&mistyped.stderr));

    ok(wisdom(dir.path(), &ws, &[("WISDOM_PASSPHRASE", PASS)], &["areas"]));
    ok(recover(dir.path(), &ws, new_key, "a brand new passphrase"));
    ok(wisdom(dir.path(), &ws, &[("WISDOM_PASSPHRASE", "a brand new passphrase")], &["areas"]));
}
