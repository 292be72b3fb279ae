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
//! hot_path insert-times /tmp/j.wisdom 1000   # each insert's wall time, and whether it was preempted
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
    let rss = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().to_string()))
        .unwrap_or_default();
    eprintln!(
        "imported {} events in {wall:.2} s, {cpu:.2} s of CPU: {:.0}/s; resident afterwards {rss}",
        report.events,
        report.events as f64 / wall
    );
    Ok(ws)
}

/// How many times this thread was taken off the CPU for another (involuntary context switches).
fn preemptions() -> u64 {
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("nonvoluntary_ctxt_switches:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Percentiles of `ms`, in order.
fn percentiles(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms.get(((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len().max(1)) - 1).copied();
    let show = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.3}"));
    format!("p50 {} p90 {} p99 {} max {} ms", show(at(0.5)), show(at(0.9)), show(at(0.99)), show(at(1.0)))
}

/// Times `n` single inserts: a slow one that was preempted waited for another process (the
/// machine's load), one that was not did the work itself (an FTS5 merge, a checkpoint).
fn insert_times(path: &Path, n: usize) -> anyhow::Result<()> {
    let mut ws = Workspace::open(path, &Passphrase::new(PASS), Clock::system())?;
    let mut runs = Vec::with_capacity(n);
    for i in 0..n {
        let (start, switched) = (std::time::Instant::now(), preemptions());
        ws.create_event(&new_event(i))?;
        runs.push((start.elapsed().as_secs_f64() * 1000.0, preemptions() > switched));
    }
    let alone: Vec<f64> = runs.iter().filter(|r| !r.1).map(|r| r.0).collect();
    eprintln!("all {} inserts: {}", runs.len(), percentiles(runs.iter().map(|r| r.0).collect()));
    eprintln!("{} not preempted: {}", alone.len(), percentiles(alone));
    let slow: Vec<String> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0 >= 1.0)
        .map(|(i, r)| format!("#{i} {:.2} ms{}", r.0, if r.1 { " (preempted)" } else { "" }))
        .collect();
    eprintln!("1 ms or more: {}", slow.join(", "));
    Ok(())
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
    let arg = |i: usize| {
        args.get(i).map(String::as_str).context("usage: hot_path make|make-plain|insert|insert-times|import|search ...")
    };
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
        "insert-times" => insert_times(Path::new(arg(1)?), number(2)?)?,
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
