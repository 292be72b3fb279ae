//! The `wisdom sync` commands end to end: two workspaces on one account through a real server and
//! a real Postgres, driven from the shell the way a person (or a script) would.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{Stack, PASSPHRASE, PASSWORD};
use serde_json::Value;

/// The `wisdom` binary built beside this test (scripts/test builds the whole workspace first).
fn wisdom() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join("wisdom");
    assert!(bin.exists(), "build the CLI first: {}", bin.display());
    bin
}

fn run(home: &Path, ws: &Path, args: &[&str]) -> Output {
    Command::new(wisdom())
        .args(["--workspace", ws.to_str().unwrap()])
        .args(args)
        .env("WISDOM_HOME", home)
        .env("WISDOM_PASSPHRASE", PASSPHRASE)
        .env("WISDOM_SYNC_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(home: &Path, ws: &Path, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let out = run(home, ws, &a);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn two_workspaces_on_one_account_converge_through_the_cli() {
    let stack = Stack::start();
    let url = stack.url();
    let dir = tempfile::tempdir().unwrap();
    let (home_a, home_b) = (dir.path().join("a"), dir.path().join("b"));
    let (laptop, desktop) = (dir.path().join("laptop.wisdom"), dir.path().join("desktop.wisdom"));

    ok(&home_a, &laptop, &["init", "--name", "Shared", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    ok(&home_a, &laptop, &["event", "add", "Written on the laptop", "--area", "work", "--type", "progress"]);
    let reg = ok(
        &home_a,
        &laptop,
        &["sync", "register", "--server", &url, "--email", "ana@example.org", "--device", "laptop"],
    );
    assert!(reg["report"]["pushed"].as_u64().unwrap() >= 1);

    let linked =
        ok(&home_b, &desktop, &["sync", "link", "--server", &url, "--email", "ana@example.org", "--device", "desktop"]);
    assert!(linked["report"]["applied"].as_u64().unwrap() >= 1);
    let titles = |home: &Path, ws: &Path| -> Vec<String> {
        ok(home, ws, &["event", "list"])["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&home_b, &desktop), vec!["Written on the laptop"]);

    ok(
        &home_b,
        &desktop,
        &["event", "add", "Written on the desktop", "--area", "family", "--type", "milestone", "--charge", "4"],
    );
    ok(&home_b, &desktop, &["sync", "now"]);
    let now = ok(&home_a, &laptop, &["sync", "now"]);
    assert_eq!(now["applied"], 1);
    let mut a = titles(&home_a, &laptop);
    let mut b = titles(&home_b, &desktop);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);

    let status = ok(&home_a, &laptop, &["sync", "status"]);
    assert_eq!(status["status"]["pending"], 0);
    assert_eq!(status["status"]["loggedIn"], true);
    let devices = ok(&home_a, &laptop, &["sync", "devices"]);
    let list = devices["devices"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let other = list.iter().find(|d| d["current"] == false).unwrap()["deviceId"].as_str().unwrap().to_string();
    ok(&home_a, &laptop, &["sync", "revoke", &other]);
    let refused = run(&home_b, &desktop, &["sync", "now"]);
    assert_ne!(refused.status.code(), Some(0), "a revoked device cannot sync");
    assert_eq!(String::from_utf8_lossy(&refused.stderr).lines().count(), 1);

    let wrong = Command::new(wisdom())
        .args(["--workspace", dir.path().join("third.wisdom").to_str().unwrap(), "sync", "link", "--server", &url])
        .args(["--email", "ana@example.org"])
        .env("WISDOM_HOME", dir.path().join("c"))
        .env("WISDOM_PASSPHRASE", "not the passphrase")
        .env("WISDOM_SYNC_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3), "{}", String::from_utf8_lossy(&wrong.stderr));
    assert!(!dir.path().join("third.wisdom").exists(), "a failed link leaves no file");
}

/// Linked without --workspace, this device's copy is named after the journal as the other device
/// has it, by the rule for new workspaces (a second copy gets `-2`), and the hidden file it was
/// made under is gone.
#[test]
fn a_linked_copy_without_a_path_is_named_after_the_journal() {
    let stack = Stack::start();
    let url = stack.url();
    let dir = tempfile::tempdir().unwrap();
    let (home_a, home_b) = (dir.path().join("a"), dir.path().join("b"));
    let laptop = dir.path().join("laptop.wisdom");
    ok(&home_a, &laptop, &["init", "--name", "Ana's Notes 2026", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    ok(&home_a, &laptop, &["event", "add", "Written on the laptop", "--area", "work", "--type", "progress"]);
    ok(&home_a, &laptop, &["sync", "register", "--server", &url, "--email", "cai@example.org", "--device", "laptop"]);

    let link = || -> Value {
        let out = Command::new(wisdom())
            .args(["sync", "link", "--server", &url, "--email", "cai@example.org", "--device", "desktop", "--json"])
            .env("WISDOM_HOME", &home_b)
            .env("WISDOM_PASSPHRASE", PASSPHRASE)
            .env("WISDOM_SYNC_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let folder = home_b.join("workspaces");
    let first = link();
    let named = folder.join("ana-s-notes-2026.wisdom");
    assert_eq!(first["path"].as_str(), named.to_str(), "{first}");
    let events = ok(&home_b, &named, &["event", "list"]);
    assert_eq!(events["events"][0]["title"], "Written on the laptop");
    let second = link();
    assert_eq!(second["path"].as_str(), folder.join("ana-s-notes-2026-2.wisdom").to_str(), "{second}");
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    assert_eq!(
        names(&folder),
        [
            "ana-s-notes-2026-2.wisdom",
            "ana-s-notes-2026-2.wisdom.key",
            "ana-s-notes-2026.wisdom",
            "ana-s-notes-2026.wisdom.key",
            "backups"
        ]
    );
    // Backups are kept by the file's name: none under the hidden one.
    let backups = names(&folder.join("backups"));
    assert!(backups.iter().all(|n| !n.starts_with(".linking")), "{backups:?}");
}

#[test]
fn a_conflict_is_listed_and_resolved_from_either_device_through_the_cli() {
    let stack = Stack::start();
    let url = stack.url();
    let dir = tempfile::tempdir().unwrap();
    let (home_a, home_b) = (dir.path().join("a"), dir.path().join("b"));
    let (laptop, desktop) = (dir.path().join("laptop.wisdom"), dir.path().join("desktop.wisdom"));
    ok(&home_a, &laptop, &["init", "--name", "Shared", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    let added = ok(&home_a, &laptop, &["event", "add", "Offsite", "--area", "work", "--type", "progress"]);
    let event = added["event"]["id"].as_str().or(added["id"].as_str()).expect("the new event's id").to_string();
    ok(&home_a, &laptop, &["sync", "register", "--server", &url, "--email", "bo@example.org", "--device", "laptop"]);
    ok(&home_b, &desktop, &["sync", "link", "--server", &url, "--email", "bo@example.org", "--device", "desktop"]);

    // Both edit the same event before syncing; the desktop's later edit wins.
    ok(&home_a, &laptop, &["event", "edit", &event, "--title", "Offsite in Lisbon"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    ok(&home_b, &desktop, &["event", "edit", &event, "--title", "Offsite, day one"]);
    for (home, ws) in [(&home_a, &laptop), (&home_b, &desktop), (&home_a, &laptop), (&home_b, &desktop)] {
        ok(home, ws, &["sync", "now"]);
    }
    let listed = |home: &Path, ws: &Path, all: bool| -> Vec<Value> {
        let args: &[&str] = if all { &["sync", "conflicts", "--all"] } else { &["sync", "conflicts"] };
        ok(home, ws, args)["conflicts"].as_array().unwrap().clone()
    };
    let on_laptop = listed(&home_a, &laptop, false);
    assert_eq!(on_laptop.len(), 1, "{on_laptop:?}");
    assert_eq!(on_laptop, listed(&home_b, &desktop, false), "the winner lists the same record");
    assert_eq!(on_laptop[0]["rowId"], event.as_str());
    assert_eq!(on_laptop[0]["title"], "Offsite in Lisbon");
    assert_eq!(on_laptop[0]["state"], "OPEN");

    // Restored from the desktop with the start of the id; the laptop follows after a sync.
    let id = on_laptop[0]["id"].as_str().unwrap();
    let done = ok(&home_b, &desktop, &["sync", "resolve", &id[..10], "restore"]);
    assert_eq!(done["conflict"]["state"], "RESTORED");
    ok(&home_b, &desktop, &["sync", "now"]);
    ok(&home_a, &laptop, &["sync", "now"]);
    for (home, ws) in [(&home_a, &laptop), (&home_b, &desktop)] {
        assert_eq!(ok(home, ws, &["event", "show", &event])["title"], "Offsite in Lisbon");
        assert!(listed(home, ws, false).is_empty());
        assert_eq!(listed(home, ws, true)[0]["state"], "RESTORED");
    }
    let again = run(&home_a, &laptop, &["sync", "resolve", id, "keep"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "already resolved is a refusal: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already resolved"));
}
