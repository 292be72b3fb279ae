//! Nothing lost while a device syncs: the `wisdom` binary pulling from a real server (real
//! Postgres) at the same time as other processes add, import and change the passphrase, and
//! killed with SIGKILL in the middle of its pulls.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{Rng, Stack, PASSPHRASE, PASSWORD};
use serde_json::Value;

const NEW_PASSPHRASE: &str = "a brand new passphrase 7";

/// One device: its registry folder and workspace file.
#[derive(Clone)]
struct Device {
    home: PathBuf,
    ws: PathBuf,
}

impl Device {
    fn new(dir: &Path, name: &str) -> Device {
        Device { home: dir.join(name), ws: dir.join(format!("{name}.wisdom")) }
    }

    /// The built `wisdom` on this device with `pass`, no unlock agent and no language model.
    fn command(&self, pass: &str, args: &[&str]) -> Command {
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(Path::parent).unwrap().join("wisdom");
        assert!(bin.exists(), "build the CLI first: {}", bin.display());
        let mut c = Command::new(bin);
        c.args(["--workspace", self.ws.to_str().unwrap()])
            .args(args)
            .env("WISDOM_HOME", &self.home)
            .env("WISDOM_PASSPHRASE", pass)
            .env("WISDOM_SYNC_PASSWORD", PASSWORD)
            .env("WISDOM_NO_AGENT", "1")
            .env("WISDOM_MODEL_DIR", self.home.join("no-model"))
            .env_remove("WISDOM_LOG")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, pass: &str, args: &[&str]) -> Output {
        self.command(pass, args).output().unwrap()
    }

    fn ok(&self, pass: &str, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.run(pass, &all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn titles(&self, pass: &str) -> Vec<String> {
        let list = self.ok(pass, &["event", "list", "--limit", "100000"]);
        list["events"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_string()).collect()
    }

    /// The server sequence this device has applied up to.
    fn cursor(&self) -> i64 {
        self.ok(PASSPHRASE, &["sync", "status"])["status"]["cursor"].as_i64().unwrap()
    }

    fn check(&self, pass: &str) {
        let out = self.run(pass, &["check"]);
        assert!(out.status.success(), "check: {}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    }

    /// `wisdom sync now` until a run pulls and pushes nothing.
    fn sync_until_quiet(&self, pass: &str) {
        for _ in 0..20 {
            let r = self.ok(pass, &["sync", "now"]);
            if r["applied"] == 0 && r["pushed"] == 0 {
                return;
            }
        }
        panic!("sync did not settle in 20 runs");
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A JSON-lines journal of `n` entries titled `{prefix} {i}`, as another app would export it.
fn jsonl(dir: &Path, prefix: &str, n: usize) -> PathBuf {
    let areas = ["work", "family", "friendships", "physical-health", "finance"];
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"lifeArea":"{}","type":"PROGRESS","category":"RELATIONAL","tone":"POSITIVE","title":"{prefix} {i}","description":"Walked to the park after lunch, the light was lovely","occurredAt":"2025-{:02}-{:02}T{:02}:30:00Z","emotionalCharge":2}}"#,
                areas[i % areas.len()],
                1 + i % 12,
                1 + i % 28,
                i % 24
            )
        })
        .collect();
    let path = dir.join(format!("{prefix}.jsonl"));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// Two devices of one account: `laptop` registered with `sent` entries already on the server,
/// `desktop` linked (and so holding them too).
fn account(stack: &Stack, dir: &Path, email: &str) -> (Device, Device) {
    let (laptop, desktop) = (Device::new(dir, "laptop"), Device::new(dir, "desktop"));
    let kdf = ["--kdf-memory-mib", "19", "--kdf-iterations", "2"];
    laptop.ok(PASSPHRASE, &[&["init", "--name", "Shared"][..], &kdf[..]].concat());
    laptop.ok(PASSPHRASE, &["sync", "register", "--server", &stack.url(), "--email", email, "--device", "laptop"]);
    desktop.ok(PASSPHRASE, &["sync", "link", "--server", &stack.url(), "--email", email, "--device", "desktop"]);
    (laptop, desktop)
}

/// Adds until `count` are acknowledged, retrying with the new passphrase once the old one stops
/// working (as a person would). Returns the acknowledged titles and every failure that was not
/// the passphrase having changed.
fn add_events(device: Device, writer: usize, count: usize) -> (Vec<String>, Vec<String>) {
    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    let mut pass = PASSPHRASE;
    for i in 0..count {
        let title = format!("desktop writer {writer} entry {i}");
        let args = ["event", "add", title.as_str(), "--area", "work", "--type", "progress", "--json"];
        let mut out = device.run(pass, &args);
        if !out.status.success() && stderr(&out).contains("wrong passphrase") && pass == PASSPHRASE {
            pass = NEW_PASSPHRASE;
            out = device.run(pass, &args);
        }
        if out.status.success() {
            acked.push(title.clone());
        }
        if !out.status.success() || !out.stderr.is_empty() {
            failed.push(format!("{title}: {}", stderr(&out)));
        }
    }
    (acked, failed)
}

/// The same with any command: runs `args` with the passphrase in force, switching once.
fn run_either(device: &Device, args: &[&str]) -> Output {
    let out = device.run(PASSPHRASE, args);
    if !out.status.success() && stderr(&out).contains("wrong passphrase") {
        return device.run(NEW_PASSPHRASE, args);
    }
    out
}

#[test]
fn a_pull_a_passphrase_change_an_import_and_adds_at_once_lose_nothing() {
    let stack = Stack::start();
    let dir = tempfile::tempdir().unwrap();
    let (laptop, desktop) = account(&stack, dir.path(), "concurrent@example.org");
    // What the desktop will pull: 600 entries written on the laptop and pushed.
    laptop.ok(PASSPHRASE, &["import", jsonl(dir.path(), "laptop entry", 600).to_str().unwrap(), "--format", "jsonl"]);
    laptop.ok(PASSPHRASE, &["sync", "now"]);
    let import = jsonl(dir.path(), "desktop import", 100);

    let adders: Vec<_> = (0..2)
        .map(|w| {
            let d = desktop.clone();
            thread::spawn(move || add_events(d, w, 100))
        })
        .collect();
    let importer = {
        let d = desktop.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(200));
            run_either(&d, &["import", import.to_str().unwrap(), "--format", "jsonl", "--json"])
        })
    };
    let puller = {
        let d = desktop.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            (0..3).map(|_| run_either(&d, &["sync", "now", "--json"])).collect::<Vec<_>>()
        })
    };
    thread::sleep(Duration::from_millis(400));
    let mut passwd = desktop.command(PASSPHRASE, &["passwd"]);
    let passwd = passwd.env("WISDOM_NEW_PASSPHRASE", NEW_PASSPHRASE).output().unwrap();

    let (mut acked, mut failed) = (Vec::new(), Vec::new());
    for a in adders {
        let (ok, bad) = a.join().unwrap();
        acked.extend(ok);
        failed.extend(bad);
    }
    let imported = importer.join().unwrap();
    let pulls = puller.join().unwrap();

    assert!(passwd.status.success(), "passwd: {}", stderr(&passwd));
    assert!(failed.is_empty(), "{} adds failed:\n{}", failed.len(), failed.join(""));
    assert!(imported.status.success() && imported.stderr.is_empty(), "import: {}", stderr(&imported));
    for pull in &pulls {
        assert!(pull.status.success(), "sync now: {}", stderr(pull));
        assert!(!stderr(pull).contains("locked"), "{}", stderr(pull));
    }

    // Only the new passphrase opens the desktop's journal, and it holds every write of all four.
    assert!(!desktop.run(PASSPHRASE, &["event", "list", "--limit", "1"]).status.success());
    desktop.sync_until_quiet(NEW_PASSPHRASE);
    let titles: BTreeSet<String> = desktop.titles(NEW_PASSPHRASE).into_iter().collect();
    assert_eq!(titles.len(), 600 + 200 + 100, "no entry lost and none twice");
    for t in &acked {
        assert!(titles.contains(t), "acknowledged {t:?} is missing");
    }
    for i in 0..600 {
        assert!(titles.contains(&format!("laptop entry {i}")), "pulled entry {i} is missing");
    }
    desktop.check(NEW_PASSPHRASE);

    // And the laptop, whose passphrase did not change, gets all of it.
    laptop.sync_until_quiet(PASSPHRASE);
    let on_laptop: BTreeSet<String> = laptop.titles(PASSPHRASE).into_iter().collect();
    assert_eq!(on_laptop, titles);
}

/// How a `wisdom sync now` started with a kill timer ended.
#[derive(Debug, PartialEq)]
enum Ended {
    Finished,
    /// Killed before it began to pull (unlocking, signing in, pushing).
    KilledBeforePulling,
    /// Killed while fetching and applying the pulled pages.
    KilledWhilePulling,
    /// Killed after the pulled pages were applied in its transaction: while indexing, settling,
    /// committing or pushing what the pull caused.
    KilledAfterApplying,
}

/// Starts `wisdom sync now` and kills it with SIGKILL after `delay` unless it ended first; its
/// debug log says how far it got.
fn sync_killed(device: &Device, delay: Duration) -> Ended {
    let mut child = device
        .command(PASSPHRASE, &["sync", "now"])
        .env("WISDOM_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        thread::sleep(Duration::from_millis(2));
    }
    let finished = child.try_wait().unwrap().is_some();
    if !finished {
        child.kill().unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let log = stderr(&out);
    if finished {
        assert!(out.status.success(), "sync now: {log}");
        Ended::Finished
    } else if log.contains(" pulled ") {
        Ended::KilledAfterApplying
    } else if log.contains(" pulling ") {
        Ended::KilledWhilePulling
    } else {
        Ended::KilledBeforePulling
    }
}

/// Syncs of the desktop to kill, entries the laptop sends before each pull (two pages of the
/// server's 1,000), and the most `wisdom sync now` runs the test starts.
const KILLS: usize = 15;
const BATCH: usize = 1500;
const MAX_RUNS: usize = 40;

#[test]
fn pulls_killed_at_random_moments_lose_nothing_and_apply_nothing_twice() {
    let stack = Stack::start();
    let dir = tempfile::tempdir().unwrap();
    let (laptop, desktop) = account(&stack, dir.path(), "killed@example.org");
    let mut rng = Rng::new(7);
    let (mut ended, mut acked, mut batches) = (Vec::new(), Vec::new(), 0);
    // A sync with a batch to pull takes about this long here (re-measured by each that finishes);
    // kills land anywhere from the unlock to the end.
    let mut whole = Duration::from_millis(3000);
    while ended.iter().filter(|e| **e != Ended::Finished).count() < KILLS && ended.len() < MAX_RUNS {
        if ended.last().is_none_or(|e| *e == Ended::Finished) {
            // Something new to pull: a batch from the laptop, and one entry of the desktop's own,
            // which the killed syncs may or may not have pushed.
            let batch = format!("batch {batches} from the laptop");
            let file = jsonl(dir.path(), &batch, BATCH);
            laptop.ok(PASSPHRASE, &["import", file.to_str().unwrap(), "--format", "jsonl"]);
            laptop.ok(PASSPHRASE, &["sync", "now"]);
            let own = format!("entry {batches} written on the desktop");
            desktop.ok(PASSPHRASE, &["event", "add", &own, "--area", "family", "--type", "milestone"]);
            acked.push(own);
            batches += 1;
        }
        let before = desktop.cursor();
        let delay = Duration::from_millis(30 + rng.below(whole.as_millis() as usize) as u64);
        let started = Instant::now();
        let end = sync_killed(&desktop, delay);
        match end {
            Ended::Finished => whole = started.elapsed(),
            // Pages are applied in one transaction: nothing of an unfinished pull is kept.
            Ended::KilledBeforePulling | Ended::KilledWhilePulling => {
                assert_eq!(desktop.cursor(), before, "a killed pull moved the cursor")
            }
            Ended::KilledAfterApplying => {}
        }
        // After every run: the journal opens and passes its checks.
        desktop.check(PASSPHRASE);
        ended.push(end);
    }
    let count = |e: Ended| ended.iter().filter(|x| **x == e).count();
    let (before, pulling, after) =
        (count(Ended::KilledBeforePulling), count(Ended::KilledWhilePulling), count(Ended::KilledAfterApplying));
    println!(
        "sync runs killed: {before} before pulling, {pulling} while pulling, {after} after applying; {} finished",
        count(Ended::Finished)
    );
    assert!(
        before + pulling + after >= KILLS,
        "only {} syncs were killed in {MAX_RUNS} runs",
        before + pulling + after
    );
    assert!(pulling + after >= KILLS / 5, "too few syncs were killed during their pull to prove anything");

    desktop.sync_until_quiet(PASSPHRASE);
    laptop.sync_until_quiet(PASSPHRASE);
    let on_desktop = desktop.titles(PASSPHRASE);
    let unique: BTreeSet<String> = on_desktop.iter().cloned().collect();
    assert_eq!(unique.len(), on_desktop.len(), "an entry was applied twice");
    assert_eq!(unique.len(), batches * (BATCH + 1));
    for t in &acked {
        assert!(unique.contains(t), "acknowledged {t:?} is missing");
    }
    let on_laptop: BTreeSet<String> = laptop.titles(PASSPHRASE).into_iter().collect();
    assert_eq!(on_laptop, unique);
    desktop.check(PASSPHRASE);
}
