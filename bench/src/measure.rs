//! Timing: medians and 99th percentiles over repeated runs.

use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stat {
    pub runs: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
}

impl Stat {
    pub fn of(mut samples: Vec<Duration>) -> Stat {
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let n = samples.len().max(1);
        Stat {
            runs: samples.len(),
            median_ms: samples.get(n / 2).copied().map_or(0.0, ms),
            p99_ms: samples.get(((n as f64 * 0.99).ceil() as usize).clamp(1, n) - 1).copied().map_or(0.0, ms),
        }
    }
}

/// Runs `f` `reps` times and times each run.
pub fn repeat(reps: usize, mut f: impl FnMut(usize) -> anyhow::Result<()>) -> anyhow::Result<Stat> {
    let mut samples = Vec::with_capacity(reps);
    for i in 0..reps {
        let start = Instant::now();
        f(i)?;
        samples.push(start.elapsed());
    }
    Ok(Stat::of(samples))
}

/// Times one run.
pub fn once<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(T, Stat)> {
    let start = Instant::now();
    let out = f()?;
    Ok((out, Stat::of(vec![start.elapsed()])))
}
