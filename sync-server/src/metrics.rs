//! Counters for `/metrics`, in Prometheus' text format. Plain atomics: no registry, no labels
//! beyond the status class.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn inc(&self) {
        self.add(1);
    }
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Relaxed);
    }
    pub fn get(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

#[derive(Default)]
pub struct Metrics {
    pub requests_2xx: Counter,
    pub requests_4xx: Counter,
    pub requests_5xx: Counter,
    pub request_micros: Counter,
    pub registrations: Counter,
    pub login_failures: Counter,
    pub logins_throttled: Counter,
    pub pushes: Counter,
    pub push_micros: Counter,
    pub rows_accepted: Counter,
    pub rows_stale: Counter,
    pub pulls: Counter,
    pub rows_pulled: Counter,
    pub chunks_stored: Counter,
    pub chunk_bytes_stored: Counter,
    pub chunks_already_held: Counter,
}

impl Metrics {
    pub fn record_request(&self, status: u16, took: Duration) {
        match status {
            500.. => self.requests_5xx.inc(),
            400..=499 => self.requests_4xx.inc(),
            _ => self.requests_2xx.inc(),
        }
        self.request_micros.add(took.as_micros() as u64);
    }

    pub fn record_push(&self, accepted: u32, stale: u32, took: Duration) {
        self.pushes.inc();
        self.rows_accepted.add(accepted.into());
        self.rows_stale.add(stale.into());
        self.push_micros.add(took.as_micros() as u64);
    }

    pub fn record_pull(&self, rows: usize) {
        self.pulls.inc();
        self.rows_pulled.add(rows as u64);
    }

    pub fn record_chunk(&self, bytes: usize, stored: bool) {
        if stored {
            self.chunks_stored.inc();
            self.chunk_bytes_stored.add(bytes as u64);
        } else {
            self.chunks_already_held.inc();
        }
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let mut line = |name: &str, help: &str, kind: &str, value: String| {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        let secs = |c: &Counter| format!("{:.6}", c.get() as f64 / 1e6);
        line(
            "wisdom_sync_requests_2xx_total",
            "Requests answered 1xx-3xx.",
            "counter",
            self.requests_2xx.get().to_string(),
        );
        line("wisdom_sync_requests_4xx_total", "Requests refused 4xx.", "counter", self.requests_4xx.get().to_string());
        line("wisdom_sync_requests_5xx_total", "Requests failed 5xx.", "counter", self.requests_5xx.get().to_string());
        line(
            "wisdom_sync_request_seconds_total",
            "Time spent answering requests.",
            "counter",
            secs(&self.request_micros),
        );
        line(
            "wisdom_sync_registrations_total",
            "Accounts registered.",
            "counter",
            self.registrations.get().to_string(),
        );
        line("wisdom_sync_login_failures_total", "Logins refused.", "counter", self.login_failures.get().to_string());
        line(
            "wisdom_sync_logins_throttled_total",
            "Logins rate-limited.",
            "counter",
            self.logins_throttled.get().to_string(),
        );
        line("wisdom_sync_pushes_total", "Push batches applied.", "counter", self.pushes.get().to_string());
        line("wisdom_sync_push_seconds_total", "Time spent on pushes.", "counter", secs(&self.push_micros));
        line(
            "wisdom_sync_rows_accepted_total",
            "Row versions stored.",
            "counter",
            self.rows_accepted.get().to_string(),
        );
        line(
            "wisdom_sync_rows_stale_total",
            "Row versions already superseded.",
            "counter",
            self.rows_stale.get().to_string(),
        );
        line("wisdom_sync_pulls_total", "Pull pages served.", "counter", self.pulls.get().to_string());
        line("wisdom_sync_rows_pulled_total", "Row versions served.", "counter", self.rows_pulled.get().to_string());
        line(
            "wisdom_sync_chunks_stored_total",
            "Attachment chunks stored.",
            "counter",
            self.chunks_stored.get().to_string(),
        );
        line(
            "wisdom_sync_chunk_bytes_stored_total",
            "Sealed attachment bytes stored.",
            "counter",
            self.chunk_bytes_stored.get().to_string(),
        );
        line(
            "wisdom_sync_chunks_already_held_total",
            "Attachment chunks sent that the server held already.",
            "counter",
            self.chunks_already_held.get().to_string(),
        );
        s
    }
}
