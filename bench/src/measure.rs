//! Timing: medians and 99th percentiles over repeated runs.

use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stat {
    pub runs: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
    /// CPU time of this thread, which load from other processes inflates far less than wall time.
    pub cpu_median_ms: f64,
    pub cpu_p99_ms: f64,
}

fn median_p99(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = samples.len().max(1);
    (
        samples.get(n / 2).copied().map_or(0.0, ms),
        samples.get(((n as f64 * 0.99).ceil() as usize).clamp(1, n) - 1).copied().map_or(0.0, ms),
    )
}

impl Stat {
    /// From wall times alone (CPU unknown: whole processes, or runs timed elsewhere).
    pub fn of(samples: Vec<Duration>) -> Stat {
        Stat::with_cpu(samples, Vec::new())
    }

    pub fn with_cpu(wall: Vec<Duration>, cpu: Vec<Duration>) -> Stat {
        let runs = wall.len();
        let (median_ms, p99_ms) = median_p99(wall);
        let (cpu_median_ms, cpu_p99_ms) = if cpu.is_empty() { (0.0, 0.0) } else { median_p99(cpu) };
        Stat { runs, median_ms, p99_ms, cpu_median_ms, cpu_p99_ms }
    }
}

/// This thread's CPU time so far. The thread's own clock (clock_gettime) is brought up to date
/// when read; /proc/thread-self/schedstat only moves at the scheduler's ticks (4 ms here), which
/// made the CPU time of sub-millisecond operations read 0 or 4 ms.
pub fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `f` `reps` times and times each run.
pub fn repeat(reps: usize, f: impl FnMut(usize) -> anyhow::Result<()>) -> anyhow::Result<Stat> {
    let mut pool = Pool::default();
    pool.repeat(reps, f)?;
    Ok(pool.stat())
}

/// Timings of several operations pooled into one distribution (a query mix), each also kept alone.
#[derive(Default)]
pub struct Pool {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Pool {
    /// Runs `f` `reps` times, adds the timings to the pool and returns their own statistics.
    pub fn repeat(&mut self, reps: usize, mut f: impl FnMut(usize) -> anyhow::Result<()>) -> anyhow::Result<Stat> {
        let (mut wall, mut cpu) = (Vec::with_capacity(reps), Vec::with_capacity(reps));
        for i in 0..reps {
            let c = thread_cpu();
            let start = Instant::now();
            f(i)?;
            wall.push(start.elapsed());
            cpu.push(thread_cpu().saturating_sub(c));
        }
        self.wall.extend(&wall);
        self.cpu.extend(&cpu);
        Ok(Stat::with_cpu(wall, cpu))
    }

    pub fn stat(self) -> Stat {
        Stat::with_cpu(self.wall, self.cpu)
    }
}

/// Times one run.
pub fn once<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(T, Stat)> {
    let c = thread_cpu();
    let start = Instant::now();
    let out = f()?;
    Ok((out, Stat::with_cpu(vec![start.elapsed()], vec![thread_cpu().saturating_sub(c)])))
}
