//! kill -9 at random moments, 200 times: during adds, edits, imports, backups, restores and
//! passphrase changes of the real `wisdom` binary. After every kill the workspace opens with the
//! passphrase in force, `wisdom check` passes, and every acknowledged write is there: an add or edit
//! that printed its result, a whole import (a killed import is all there or not at all), and after
//! a restore the state that was backed up (a killed restore leaves the one before or the restored
//! one, never a mix).
//!
//! Half the kill delays are drawn within 300 ms, half within 1.5 s, so that many commands are cut
//! short and many finish (and what they wrote must survive the kills that follow).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::{stderr, wisdom_command};

const KILLS: usize = 200;
const IMPORTED: usize = 150;

/// A small deterministic generator (xorshift64*): the same sequence of operations and delays.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// What the journal must hold: each acknowledged event with the titles it may have (two after a
/// killed edit), the import batches that must be whole (all or none), and the passphrases one of
/// which is in force.
#[derive(Clone, Default)]
struct Expected {
    events: BTreeMap<String, BTreeSet<String>>,
    batches: Vec<(String, bool)>,
    passphrases: Vec<String>,
}

struct Journal {
    home: PathBuf,
    ws: PathBuf,
    dir: PathBuf,
}

impl Journal {
    fn command(&self, pass: &str, args: &[&str]) -> Command {
        let mut c = wisdom_command(&self.home, &self.ws, args);
        c.env("WISDOM_PASSPHRASE", pass)
            .env("WISDOM_MODEL_DIR", self.home.join("no-model"))
            .env("WISDOM_NO_AGENT", "1");
        c
    }

    fn run(&self, pass: &str, args: &[&str]) -> Output {
        self.command(pass, args).output().unwrap()
    }

    /// Starts `args` and kills it with SIGKILL after `delay` unless it ended first: its output if
    /// it ended by itself, None if it was killed.
    fn run_killed(&self, pass: &str, args: &[&str], new_pass: Option<&str>, delay: Duration) -> Option<Output> {
        let mut c = self.command(pass, args);
        if let Some(p) = new_pass {
            c.env("WISDOM_NEW_PASSPHRASE", p);
        }
        let mut child = c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let deadline = std::time::Instant::now() + delay;
        while std::time::Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                return Some(child.wait_with_output().unwrap());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        match child.try_wait().unwrap() {
            Some(_) => Some(child.wait_with_output().unwrap()),
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                None
            }
        }
    }

    /// The passphrase among `candidates` that opens the workspace; exactly one must.
    fn passphrase_in_force(&self, candidates: &[String]) -> String {
        let opening: Vec<&String> = candidates
            .iter()
            .filter(|p| self.run(p, &["event", "list", "--limit", "1", "--json"]).status.success())
            .collect();
        assert_eq!(opening.len(), 1, "passphrases that open the workspace: {opening:?} of {candidates:?}");
        opening[0].clone()
    }

    fn events(&self, pass: &str) -> BTreeMap<String, String> {
        let out = self.run(pass, &["event", "list", "--limit", "100000", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        list["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["id"].as_str().unwrap().to_string(), e["title"].as_str().unwrap().to_string()))
            .collect()
    }

    fn import_file(&self, batch: &str) -> PathBuf {
        let lines: Vec<String> = (0..IMPORTED)
            .map(|i| {
                format!(
                    r#"{{"lifeArea":"family","type":"MILESTONE","category":"RELATIONAL","tone":"POSITIVE","title":"{batch} entry {i}","occurredAt":"2025-06-01T15:00:00Z","emotionalCharge":3}}"#
                )
            })
            .collect();
        let path = self.dir.join(format!("{batch}.jsonl"));
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    }
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Checks the journal against what must hold, and returns the passphrase in force.
fn verify(j: &Journal, want: &Expected, round: usize, what: &str) -> String {
    let pass = j.passphrase_in_force(&want.passphrases);
    let check = j.run(&pass, &["check"]);
    assert!(
        check.status.success(),
        "round {round} ({what}): {}{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );
    let found = j.events(&pass);
    for (id, titles) in &want.events {
        let title = found.get(id).unwrap_or_else(|| panic!("round {round} ({what}): acknowledged event {id} lost"));
        assert!(titles.contains(title), "round {round} ({what}): {id} is {title:?}, expected one of {titles:?}");
    }
    for (batch, done) in &want.batches {
        let n = found.values().filter(|t| t.starts_with(&format!("{batch} entry "))).count();
        match done {
            true => assert_eq!(n, IMPORTED, "round {round} ({what}): acknowledged import {batch} has {n} entries"),
            false => assert!(n == 0 || n == IMPORTED, "round {round} ({what}): killed import {batch} half there ({n})"),
        }
    }
    pass
}

#[test]
fn two_hundred_kills_lose_no_acknowledged_write_and_never_damage_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let j =
        Journal { home: tmp.path().join("home"), ws: tmp.path().join("journal.wisdom"), dir: tmp.path().to_path_buf() };
    let first = "correct horse battery".to_string();
    let init = j.run(&first, &["init", "--name", "Crashed", "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let mut want = Expected { passphrases: vec![first.clone()], ..Default::default() };
    let mut pass = first;
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    // The last acknowledged backup: its id and what the journal held when it was taken.
    let mut backup: Option<(String, Expected)> = None;
    let (mut acknowledged, mut killed) = (0usize, 0usize);
    let mut kills = 0;
    let mut round = 0;
    while kills < KILLS {
        round += 1;
        // Half the time within the first 300 ms (most commands are cut short, many while they
        // write), else up to 1.5 s (most finish, and what they wrote must survive later kills).
        let delay = Duration::from_millis(if rng.below(2) == 0 { rng.below(300) } else { rng.below(1500) });
        let op = rng.below(6);
        let ids: Vec<String> = want.events.keys().cloned().collect();
        let what;
        let out = match op {
            0 | 1 if ids.is_empty() || op == 0 => {
                what = "add";
                let title = format!("round {round} add");
                let out = j.run_killed(
                    &pass,
                    &["event", "add", &title, "--area", "work", "--type", "progress", "--json"],
                    None,
                    delay,
                );
                if let Some(o) = &out {
                    let id = json(o)["event"]["id"].as_str().unwrap().to_string();
                    want.events.insert(id, BTreeSet::from([title]));
                }
                out
            }
            1 => {
                what = "edit";
                let id = ids[rng.below(ids.len() as u64) as usize].clone();
                let title = format!("round {round} edit");
                let out = j.run_killed(&pass, &["event", "edit", &id, "--title", &title, "--json"], None, delay);
                let titles = want.events.get_mut(&id).unwrap();
                match &out {
                    Some(o) => {
                        json(o);
                        *titles = BTreeSet::from([title]);
                    }
                    None => {
                        titles.insert(title);
                    }
                }
                out
            }
            2 => {
                what = "import";
                let batch = format!("batch{round}");
                let file = j.import_file(&batch);
                let out = j.run_killed(
                    &pass,
                    &["import", file.to_str().unwrap(), "--format", "jsonl", "--json"],
                    None,
                    delay,
                );
                if let Some(o) = &out {
                    assert_eq!(json(o)["events"], IMPORTED as u64);
                }
                want.batches.push((batch, out.is_some()));
                out
            }
            3 => {
                what = "backup";
                let out = j.run_killed(&pass, &["backup", "--json"], None, delay);
                if let Some(o) = &out {
                    let id = json(o)["id"].as_str().unwrap().to_string();
                    let mut then = want.clone();
                    then.passphrases = vec![pass.clone()];
                    backup = Some((id, then));
                }
                out
            }
            4 => {
                what = "passphrase change";
                let new = format!("passphrase of round {round} is long");
                let out = j.run_killed(&pass, &["passwd"], Some(&new), delay);
                if let Some(o) = &out {
                    assert!(o.status.success(), "{}", stderr(o));
                    want.passphrases = vec![new];
                } else {
                    want.passphrases = vec![pass.clone(), new];
                }
                out
            }
            _ => {
                what = "restore";
                let Some((id, then)) = backup.clone() else { continue };
                let out = j.run_killed(&pass, &["restore", &id, "--yes"], None, delay);
                match &out {
                    Some(o) => {
                        assert!(o.status.success(), "{}", stderr(o));
                        want = then;
                    }
                    // Either state, whole: which one is told by the passphrase in force and the entries.
                    None => want = restored_or_not(&j, &want, &then),
                }
                out
            }
        };
        match out {
            // What it wrote is checked after the next kill, with everything else; a passphrase
            // change or restore that finished says which passphrase is in force.
            Some(_) => {
                acknowledged += 1;
                pass = want.passphrases[0].clone();
            }
            None => {
                killed += 1;
                kills += 1;
                pass = verify(&j, &want, round, what);
                want.passphrases = vec![pass.clone()];
            }
        }
    }
    eprintln!(
        "{round} rounds: {killed} commands killed, {acknowledged} finished; {} events acknowledged",
        want.events.len()
    );
    assert!(
        acknowledged >= KILLS / 4,
        "too few commands finished before the kill to prove they survive: {acknowledged}"
    );
}

/// Whether the journal's entries are what `want` says must be there.
fn holds(found: &BTreeMap<String, String>, want: &Expected) -> bool {
    want.events.iter().all(|(id, titles)| found.get(id).is_some_and(|t| titles.contains(t)))
        && want.batches.iter().all(|(batch, done)| {
            let n = found.values().filter(|t| t.starts_with(&format!("{batch} entry "))).count();
            n == IMPORTED || (n == 0 && !done)
        })
}

/// After a killed restore: the state that was restored (`then`) if the entries read as the
/// backup's, else the one before (`now`), with the passphrases of both possible.
fn restored_or_not(j: &Journal, now: &Expected, then: &Expected) -> Expected {
    let mut candidates = now.passphrases.clone();
    candidates.extend(then.passphrases.iter().cloned());
    candidates.sort();
    candidates.dedup();
    let pass = j.passphrase_in_force(&candidates);
    let found = j.events(&pass);
    let mut want = if holds(&found, now) { now.clone() } else { then.clone() };
    want.passphrases = candidates;
    want
}
