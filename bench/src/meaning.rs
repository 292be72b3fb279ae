//! The language model's figures (issue 11): loading it (time and memory), reading a whole journal
//! written as people write (the back-fill, in entries per second), search by meaning, and
//! detection with every vector stored.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};
use serde::Serialize;
use wisdom_core::meaning::{language_model, Model};
use wisdom_core::model::NewEvent;
use wisdom_core::{Clock, ImportFormat, ImportOptions, Passphrase, Workspace};

use crate::measure::{once, repeat};
use crate::report::{Sample, System};
use crate::{push, Plan};

/// Loading the model once per process.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelFigures {
    pub load_ms: f64,
    /// Resident memory the process gained by loading it.
    pub added_mib: f64,
}

/// Reading one journal: how many entries, in how long.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackfillFigures {
    pub events: usize,
    pub stored: u64,
    pub seconds: f64,
    pub per_second: f64,
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .map_or(0.0, |kb: f64| kb / 1024.0)
}

/// Loads the model (the first call in the process does the work) and says what it cost.
pub fn load() -> anyhow::Result<(Arc<Model>, ModelFigures)> {
    let before = rss_mib();
    let (model, stat) = once(|| Ok(language_model()?))?;
    Ok((model, ModelFigures { load_ms: stat.median_ms, added_mib: rss_mib() - before }))
}

/// A journal of `n` entries written as people write them (the evaluation corpus, one seed's 90 days
/// after another, 17 of them laid over each stretch of 90 days so that it holds about 5,000
/// entries, as the other journals of this suite do).
fn written_journal(n: usize) -> Vec<NewEvent> {
    let end = Utc::now();
    let mut out = Vec::with_capacity(n);
    let mut seed = 1u64;
    while out.len() < n {
        let stretch = ((seed - 1) / 17) as i64;
        let journal = wisdom_core::corpus::written_journal(seed, end - Duration::days(90 * stretch));
        out.extend(journal.entries.into_iter().map(|e| e.event).take(n - out.len()));
        seed += 1;
    }
    out
}

/// On a journal of `n` written entries: the model reads it all (the back-fill), then detection by
/// meaning over 90 days and over everything, then search by meaning (cold: the first query loads
/// the vectors; then warm).
pub fn run(
    samples: &mut Vec<Sample>,
    n: usize,
    dir: &Path,
    plan: &Plan,
    model: &Model,
) -> anyhow::Result<BackfillFigures> {
    let events = written_journal(n);
    let span = events.iter().filter_map(|e| e.occurred_at).min().unwrap_or_else(Utc::now);
    let path = dir.join("written.wisdom");
    let mut ws =
        Workspace::create(&path, "Written", &Passphrase::new("benchmark passphrase"), plan.kdf, Clock::system())?;
    let text = crate::jsonl(&events)?;
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    ws.import(&mut Cursor::new(text.as_bytes()), &opts, &mut |_| {})?;
    let (stored, stat) = once(|| Ok(ws.embed_backlog(model, &mut |_| {})?))?;
    push(samples, "language model reads the journal", System::Ours, n, stat);
    let seconds = stat.median_ms / 1000.0;
    let figures = BackfillFigures { events: n, stored, seconds, per_second: stored as f64 / seconds.max(1e-9) };
    eprintln!("  read {stored} entries in {seconds:.1} s: {:.0}/s", figures.per_second);
    let mut engine = wisdom_core::model::PatternEngine::Keywords;
    push(
        samples,
        "detection by meaning (90 days)",
        System::Ours,
        n,
        repeat(3, |_| {
            engine = ws.detect_patterns()?.engine;
            Ok(())
        })?,
    );
    anyhow::ensure!(engine == wisdom_core::model::PatternEngine::Meaning, "detection fell back to {engine:?}");
    push(
        samples,
        "detection by meaning (all)",
        System::Ours,
        n,
        repeat(2, |_| {
            ws.detect_patterns_between(span - Duration::days(1), Utc::now())?;
            Ok(())
        })?,
    );
    // After detection, as a journal is once its daily run has looked for recurring situations:
    // search then also asks which situations its best hits belong to.
    let queries = [
        "my boss criticised me in front of everyone",
        "money worries",
        "a lovely evening with my partner",
        "learning the guitar",
    ];
    let (_, cold) = once(|| Ok(ws.search_by_meaning(queries[0], 20)?))?;
    push(samples, "search by meaning, first query", System::Ours, n, cold);
    push(
        samples,
        "search by meaning (top 20)",
        System::Ours,
        n,
        repeat(plan.reps, |i| {
            ws.search_by_meaning(queries[i % queries.len()], 20)?;
            Ok(())
        })?,
    );
    Ok(figures)
}
