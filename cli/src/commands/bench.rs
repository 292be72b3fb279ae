//! `wisdom bench`: the product's hot paths timed on a generated journal, each against its budget.
//! Runs in a temporary folder; never touches a real workspace.

use std::io::Cursor;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;
use serde::Serialize;
use wisdom_core::model::{EventFilter, EventType, NewEvent};
use wisdom_core::synth::{journal, JournalSpec, Rng};
use wisdom_core::{Clock, ImportFormat, ImportOptions, KdfParams, Passphrase, Workspace};

use crate::output::{self, Table};
use crate::Global;

#[derive(Args)]
pub struct BenchArgs {
    /// Events in the generated journal.
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    /// Seconds-long smoke run on a tiny journal (used by the test suite so the bench never rots).
    #[arg(long)]
    quick: bool,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    operation: String,
    runs: usize,
    median_ms: f64,
    p99_ms: f64,
    budget_ms: Option<f64>,
    met: Option<bool>,
}

fn stats(name: &str, mut samples: Vec<Duration>, budget_ms: Option<f64>, on: Budget) -> Row {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p99 = ms(samples[((samples.len() as f64 * 0.99).ceil() as usize).clamp(1, samples.len()) - 1]);
    let measured = match on {
        Budget::Median => median,
        Budget::P99 => p99,
    };
    Row {
        operation: name.to_string(),
        runs: samples.len(),
        median_ms: median,
        p99_ms: p99,
        budget_ms,
        met: budget_ms.map(|b| measured < b),
    }
}

#[derive(Clone, Copy)]
enum Budget {
    Median,
    P99,
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn repeat(n: usize, mut f: impl FnMut(usize) -> anyhow::Result<()>) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        f(i)?;
        out.push(start.elapsed());
    }
    Ok(out)
}

pub fn run(g: &Global, a: BenchArgs) -> anyhow::Result<()> {
    let n = if a.quick { 1_000 } else { a.events };
    let reps = if a.quick { 20 } else { 200 };
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.wisdom");
    let pass = Passphrase::new("benchmark passphrase");
    let now = Utc::now();
    let mut rows = Vec::new();
    let say = |s: &str| {
        if !g.json {
            eprintln!("{s}");
        }
    };

    let kdf = if a.quick { KdfParams::MINIMUM } else { KdfParams::calibrate() };
    say(&format!("KDF: Argon2id {} MiB x{}", kdf.memory_kib / 1024, kdf.iterations));
    let ws = Workspace::create(&path, "Bench", &pass, kdf, Clock::system())?;
    drop(ws);

    // A journal spanning about five years at ~55 events a day per 90 days, themes planted throughout.
    let days = ((n as f64 / 5_000.0) * 90.0).max(90.0) as i64;
    let spec = JournalSpec {
        seed: a.seed,
        noise_events: n - n / 20,
        themes: (n / 20 / 6).max(3),
        per_theme: (4, 8),
        days,
        end: now,
    };
    let generated = journal(&spec);
    let mut jsonl = String::with_capacity(generated.len() * 400);
    for g in &generated {
        jsonl.push_str(&serde_json::to_string(&g.event)?);
        jsonl.push('\n');
    }
    say(&format!("generated {} events over {days} days", generated.len()));

    let (ws, open) = time(|| Workspace::open(&path, &pass, Clock::system()));
    let mut ws = ws?;
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    let (report, import) = time(|| ws.import(&mut Cursor::new(jsonl.as_bytes()), &opts, &mut |_| {}));
    let report = report?;
    rows.push(stats(&format!("bulk import ({} events)", report.events), vec![import], None, Budget::Median));
    drop(ws);

    // Unlock: the KDF alone, then the whole open (KDF + database + score refresh).
    let key_file = wisdom_core::KeyFile::read(&wisdom_core::KeyFile::path_for(&path))?;
    let kdf_runs = repeat(if a.quick { 3 } else { 5 }, |_| {
        key_file.open(&pass, &path)?;
        Ok(())
    })?;
    rows.push(stats("unlock: KDF only", kdf_runs.clone(), Some(1000.0), Budget::Median));
    let open_runs = repeat(if a.quick { 3 } else { 5 }, |_| {
        Workspace::open(&path, &pass, Clock::system())?;
        Ok(())
    })?;
    let kdf_median = kdf_runs[kdf_runs.len() / 2];
    let mut without_kdf: Vec<Duration> = open_runs.iter().map(|d| d.saturating_sub(kdf_median)).collect();
    without_kdf.sort();
    rows.push(stats("unlock: open minus KDF", without_kdf, None, Budget::Median));
    let _ = open;

    let mut ws = Workspace::open(&path, &pass, Clock::system())?;
    let mut rng = Rng::new(a.seed ^ 0xBEEF);
    let areas = ws.life_areas()?;
    let inserts = repeat(reps * 5, |i| {
        let area = &areas[rng.below(areas.len())];
        let new = NewEvent {
            life_area_id: Some(area.id.clone()),
            life_area: None,
            kind: *rng.pick(EventType::ALL),
            category: wisdom_core::model::areas::default_category(&area.slug),
            tone: wisdom_core::model::EventTone::Neutral,
            title: format!("Benchmark entry {i}"),
            description: "A short note written during the benchmark".into(),
            narrative: None,
            occurred_at: None,
            emotional_charge: rng.range(-5, 5),
            tags: vec!["bench".into(), "routine".into()],
        };
        ws.create_event(&new)?;
        Ok(())
    })?;
    rows.push(stats("create event (+score, +pattern check)", inserts, Some(2.0), Budget::P99));

    rows.push(stats(
        "dashboard",
        repeat(reps, |_| {
            let _: () = drop(ws.dashboard()?);
            Ok(())
        })?,
        None,
        Budget::Median,
    ));
    let words = ["coffee", "garden", "deadline", "overtime", "meditation", "museum", "train", "insomnia"];
    rows.push(stats(
        "full-text search (top 20)",
        repeat(reps, |i| {
            let _: () = drop(ws.search(words[i % words.len()], 20)?);
            Ok(())
        })?,
        None,
        Budget::Median,
    ));
    let tags = ["home", "food", "overwork", "sleep", "gratitude"];
    rows.push(stats(
        "tag filter (50 newest)",
        repeat(reps, |i| {
            let f = EventFilter { tag: Some(tags[i % tags.len()].into()), limit: Some(50), ..Default::default() };
            let _: () = drop(ws.list_events(&f)?);
            Ok(())
        })?,
        None,
        Budget::Median,
    ));
    rows.push(stats(
        "date range (30 days, all)",
        repeat(reps, |i| {
            let to = now - chrono::Duration::days((i as i64 * 7) % days.max(31));
            let f = EventFilter { from: Some(to - chrono::Duration::days(30)), to: Some(to), ..Default::default() };
            let _: () = drop(ws.list_events(&f)?);
            Ok(())
        })?,
        None,
        Budget::Median,
    ));
    let in_window =
        ws.list_events(&EventFilter { from: Some(now - chrono::Duration::days(90)), ..Default::default() })?.len();
    rows.push(stats(
        &format!("pattern detection, 90 days ({in_window} events)"),
        repeat(if a.quick { 3 } else { 5 }, |_| {
            let _: () = drop(ws.detect_patterns()?);
            Ok(())
        })?,
        Some(200.0),
        Budget::Median,
    ));
    let first = now - chrono::Duration::days(days + 1);
    rows.push(stats(
        &format!("pattern detection, all ({} events)", ws.event_count()?),
        repeat(if a.quick { 2 } else { 3 }, |_| {
            let _: () = drop(ws.detect_patterns_between(first, now)?);
            Ok(())
        })?,
        Some(3000.0),
        Budget::Median,
    ));
    let today = ws.today()?;
    let mut backfills = Vec::new();
    for k in 0..(if a.quick { 2 } else { 3 }) {
        // A fresh year each time (the job is idempotent, so a repeat would write nothing).
        let end = today - chrono::Duration::days(1 + 366 * k);
        let start = end - chrono::Duration::days(364);
        let (r, t) = time(|| ws.backfill_snapshots(start, end));
        anyhow::ensure!(r?.created >= 365 * 30, "back-fill wrote fewer snapshots than expected");
        backfills.push(t);
    }
    rows.push(stats("snapshot back-fill, 1 year x 30 areas", backfills, Some(1000.0), Budget::Median));
    // The daily practice (issue 15), with the year's snapshots and the insights found above.
    let runs = if a.quick { 5 } else { 20 };
    let overview = repeat(runs, |_| {
        ws.today_overview()?;
        Ok(())
    })?;
    rows.push(stats("Today overview", overview, Some(50.0), Budget::Median));
    let year = chrono::Datelike::year(&today);
    let pixels = repeat(runs, |_| {
        ws.calendar(year)?;
        Ok(())
    })?;
    rows.push(stats("year in pixels", pixels, Some(50.0), Budget::Median));
    rows.push(stats(
        "export JSON (everything)",
        repeat(if a.quick { 2 } else { 3 }, |_| Ok(ws.export_json(&mut std::io::sink(), &mut |_| {})?))?,
        None,
        Budget::Median,
    ));

    if g.json {
        return output::json(&serde_json::json!({ "events": n, "rows": rows }));
    }
    let mut t =
        Table::new(&[("OPERATION", 48), ("RUNS", 5), ("MEDIAN ms", 10), ("P99 ms", 10), ("BUDGET", 12), ("MET", 4)]);
    for r in rows {
        t.row(vec![
            r.operation,
            r.runs.to_string(),
            format!("{:.3}", r.median_ms),
            format!("{:.3}", r.p99_ms),
            r.budget_ms.map_or(String::new(), |b| format!("< {b} ms")),
            r.met.map_or(String::new(), |m| if m { "yes" } else { "NO" }.into()),
        ]);
    }
    t.print()
}
