//! One hot path at a time, for profiling under callgrind (instruction counts do not move with the
//! machine's load, wall times do). The journal is the benchmark's (same generator, same seed) and
//! is made once, outside the profiler, with the cheapest key derivation so that opening it under
//! valgrind does not take a minute:
//!
//! ```text
//! cargo build --release -p wisdom-bench --example hot_path
//! hot_path make /tmp/j.wisdom 100000
//! hot_path make-plain /tmp/j.sqlite 100000 [INSERTS]   # unencrypted, for the sqlite3 shell
//! valgrind --tool=callgrind --toggle-collect='*create_event*' hot_path insert /tmp/j.wisdom 200
//! valgrind --tool=callgrind --toggle-collect='*Workspace*import*' hot_path import 10000
//! valgrind --tool=callgrind --toggle-collect='*Workspace*search*' hot_path search /tmp/j.wisdom garden 20
//! ```
#![forbid(unsafe_code)]

use std::io::Cursor;
use std::path::Path;

use anyhow::Context;
use chrono::Utc;
use wisdom_core::model::{EventCategory, EventTone, EventType, NewEvent};
use wisdom_core::synth::{journal, JournalSpec};
use wisdom_core::{Clock, ImportFormat, ImportOptions, KdfParams, Passphrase, Workspace};

const PASS: &str = "benchmark passphrase";

/// The benchmark's journal of `n` events (bench/src/main.rs).
fn events(n: usize) -> Vec<NewEvent> {
    let spec = JournalSpec {
        seed: 42,
        noise_events: n - n / 20,
        themes: (n / 20 / 6).max(1),
        per_theme: (4, 8),
        days: ((n as f64 / 5_000.0) * 90.0).max(90.0) as i64,
        end: Utc::now(),
    };
    journal(&spec).into_iter().map(|g| g.event).collect()
}

fn jsonl(events: &[NewEvent]) -> anyhow::Result<String> {
    let mut s = String::new();
    for e in events {
        s.push_str(&serde_json::to_string(e)?);
        s.push('\n');
    }
    Ok(s)
}

fn import(path: &Path, n: usize) -> anyhow::Result<Workspace> {
    let mut ws = Workspace::create(path, "Hot path", &Passphrase::new(PASS), KdfParams::MINIMUM, Clock::system())?;
    let text = jsonl(&events(n))?;
    let (wall, cpu) = (std::time::Instant::now(), cpu_time());
    let report = ws.import(&mut Cursor::new(text), &ImportOptions::new(ImportFormat::JsonLines), &mut |_| {})?;
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), (cpu_time() - cpu).as_secs_f64());
    eprintln!(
        "imported {} events in {wall:.2} s, {cpu:.2} s of CPU: {:.0}/s",
        report.events,
        report.events as f64 / wall
    );
    Ok(ws)
}

/// This process's CPU time (user and system), which the machine's load inflates far less than
/// wall time.
fn cpu_time() -> std::time::Duration {
    let stat = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    std::time::Duration::from_nanos(stat.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0))
}

/// The benchmark's single insert (bench/src/main.rs `new_event`).
fn new_event(i: usize) -> NewEvent {
    NewEvent {
        life_area_id: None,
        life_area: Some(["work", "family", "nature", "finance"][i % 4].into()),
        kind: EventType::ALL[i % EventType::ALL.len()],
        category: EventCategory::Personal,
        tone: EventTone::Neutral,
        title: format!("Benchmark entry {i}"),
        description: "A short note written during the benchmark, about the garden and the day".into(),
        narrative: None,
        occurred_at: None,
        emotional_charge: (i % 11) as i64 - 5,
        tags: vec!["home".into(), "bench".into()],
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).context("usage: hot_path make|insert|import|search ...");
    let number = |i: usize| -> anyhow::Result<usize> { Ok(arg(i)?.parse()?) };
    match arg(0)? {
        "make" => drop(import(Path::new(arg(1)?), number(2)?)?),
        // The same journal unencrypted, for the sqlite3 shell (EXPLAIN QUERY PLAN and the like).
        "make-plain" => {
            let mut ws = Workspace::create_plaintext_for_benchmark(Path::new(arg(1)?), Clock::system())?;
            let text = jsonl(&events(number(2)?))?;
            ws.import(&mut Cursor::new(text), &ImportOptions::new(ImportFormat::JsonLines), &mut |_| {})?;
            // Then as many inserts as asked, left in the WAL (the process ends without closing
            // the file), to see which pages an insert writes: each WAL frame names its page.
            if let Ok(inserts) = number(3) {
                for i in 0..inserts {
                    ws.create_event(&new_event(i))?;
                }
                std::process::exit(0);
            }
        }
        "import" => {
            let dir = tempfile::tempdir()?;
            drop(import(&dir.path().join("import.wisdom"), number(1)?)?);
        }
        "insert" => {
            let mut ws = Workspace::open(Path::new(arg(1)?), &Passphrase::new(PASS), Clock::system())?;
            let mut suggested = 0;
            for i in 0..number(2)? {
                suggested += ws.create_event(&new_event(i))?.suggested_insights.len();
            }
            eprintln!("{suggested} suggestions");
        }
        "search" => {
            let ws = Workspace::open(Path::new(arg(1)?), &Passphrase::new(PASS), Clock::system())?;
            for _ in 0..number(3)? {
                ws.search(arg(2)?, 20)?;
            }
        }
        other => anyhow::bail!("unknown command {other}"),
    }
    Ok(())
}
