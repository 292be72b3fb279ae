//! The attachment sync budgets (issue 14), on loopback against a throwaway Postgres; prints figures.
//!
//!     cargo run --release -p wisdom-sync-server --example attachment_sync_bench [-- MIB FILE_MIB]
//!
//! A journal with MIB (default 1024) MiB of attachments in files of FILE_MIB (default 5) MiB, one
//! per entry, is pushed to the server; then a new device links and pulls everything (rows and
//! files). Then syncs with nothing new: on that device, and on a device of a journal with the same
//! entries and no files, to compare. The files are incompressible bytes (as photos and audio are),
//! so nothing is smaller on the wire than on disk. With WISDOM_ATTACHMENT_BENCH_JSON=FILE the
//! figures are also written as JSON.

#[path = "../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::time::{Duration, Instant};

use serde_json::json;
use wisdom_core::model::EntryKind;
use wisdom_core::{Clock, KdfParams, Passphrase, SyncReport, Workspace};
use wisdom_sync_server::{Background, Config};

const PASSPHRASE: &str = "correct horse battery";
const PASSWORD: &str = "account password 42";
const MIB: usize = 1 << 20;

fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.extend_from_slice(&s.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The process's peak resident memory (VmHWM) in MiB; `reset` starts a new peak from now.
fn peak_mib(reset: bool) -> f64 {
    if reset {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time of this whole process (user + system; the server runs in it too, Postgres does not):
/// on a busy machine wall time says more about the neighbours than about us.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis((tick(11) + tick(12)) * 10)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_string()
}

fn journal(path: &std::path::Path, entries: usize) -> (Workspace, Vec<String>) {
    let mut ws =
        Workspace::create(path, "Photos", &Passphrase::new(PASSPHRASE), KdfParams::MINIMUM, Clock::system()).unwrap();
    let ids = (0..entries)
        .map(|i| {
            let new = serde_json::from_value(json!({
                "lifeArea": "travel-adventure", "type": "PROGRESS", "category": "PERSONAL", "tone": "POSITIVE",
                "title": format!("Day {i} of the coast trip"), "description": "Recorded the waves at the harbour.",
                "emotionalCharge": 2, "tags": ["trip"],
            }))
            .unwrap();
            ws.create_event(&new).unwrap().event.id
        })
        .collect();
    (ws, ids)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn quiet_syncs(ws: &mut Workspace) -> (Duration, SyncReport) {
    let mut times = Vec::new();
    let mut last = SyncReport::default();
    for _ in 0..21 {
        let t = Instant::now();
        last = ws.sync_now().unwrap();
        times.push(t.elapsed());
    }
    (median(times), last)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let total_mib = args.first().copied().unwrap_or(1024);
    let file_mib = args.get(1).copied().unwrap_or(5).max(1);
    let files = total_mib.div_ceil(file_mib);
    println!("load before: {}", load());

    let pg = pg::Pg::start();
    let mut config = Config::new(pg.url());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tenant_quota = ((total_mib + 64) * MIB) as i64 * 2;
    let server = Background::start(config).unwrap();
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();

    let (mut a, ids) = journal(&dir.path().join("a.wisdom"), files);
    let t = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        a.attach_bytes(EntryKind::Event, id, &format!("waves-{i:04}.m4a"), noise(file_mib * MIB, i as u64 + 1))
            .unwrap();
    }
    println!("attached {files} files of {file_mib} MiB ({total_mib} MiB) in {:.1} s", t.elapsed().as_secs_f64());
    a.sync_register(&url, "coast@example.org", &Passphrase::new(PASSWORD), "laptop").unwrap();
    let (t, cpu) = (Instant::now(), process_cpu());
    let pushed = a.sync_now().unwrap();
    let push_s = t.elapsed().as_secs_f64();
    let push_cpu = (process_cpu() - cpu).as_secs_f64();
    let sent_mb = pushed.bytes_sent as f64 / 1e6;
    println!(
        "push: {} files, {} chunks, {sent_mb:.0} MB in {push_s:.1} s = {:.0} MB/s (process CPU {push_cpu:.1} s)",
        pushed.files_sent,
        pushed.chunks_sent,
        sent_mb / push_s
    );

    peak_mib(true);
    let (t, cpu) = (Instant::now(), process_cpu());
    let (mut b, linked) = new_laptop(&dir.path().join("b.wisdom"), &url, "coast@example.org");
    let pull_s = t.elapsed().as_secs_f64();
    let pull_cpu = (process_cpu() - cpu).as_secs_f64();
    let peak = peak_mib(false);
    let got_mb = linked.bytes_received as f64 / 1e6;
    assert_eq!(linked.files_received as usize, files, "{linked:?}");
    let rate = got_mb / pull_s;
    println!(
        "new device pulls {} rows and {} files ({got_mb:.0} MB sealed) in {pull_s:.1} s = {rate:.0} MB/s \
         (budget >= 50 MB/s); process CPU {pull_cpu:.1} s (client and server); peak memory of the process \
         meanwhile {peak:.0} MiB",
        linked.applied, linked.files_received
    );
    let (_, check) = b.attachment_bytes(&b.attachments(None).unwrap()[files / 2].id).unwrap();
    assert_eq!(check.len(), file_mib * MIB);

    // Nothing new: the same journal with its files, and one with the same entries and none.
    let (quiet, last) = quiet_syncs(&mut b);
    assert_eq!((last.chunks_sent, last.chunks_received), (0, 0));
    // The comparison is a device linked the same way to a journal of the same entries, no files.
    let (mut c, _) = journal(&dir.path().join("c.wisdom"), files);
    c.sync_register(&url, "plain@example.org", &Passphrase::new(PASSWORD), "laptop").unwrap();
    c.sync_now().unwrap();
    let (mut d, _) = new_laptop(&dir.path().join("d.wisdom"), &url, "plain@example.org");
    let (plain, _) = quiet_syncs(&mut d);
    // Once more on the device with files, so neither figure is only the first of the two runs.
    let (quiet2, _) = quiet_syncs(&mut b);
    let quiet = quiet.min(quiet2);
    println!(
        "sync with nothing new: {:.2} ms with {files} files, {:.2} ms with none (median of 21)",
        quiet.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3
    );
    println!("load after: {}", load());

    if let Ok(out) = std::env::var("WISDOM_ATTACHMENT_BENCH_JSON") {
        let figures = json!({
            "files": files, "fileMib": file_mib, "totalMib": total_mib,
            "pushSeconds": push_s, "pushMBps": sent_mb / push_s,
            "pullSeconds": pull_s, "pullMBps": rate, "pullPeakMib": peak, "pullCpuSeconds": pull_cpu,
            "pushCpuSeconds": push_cpu,
            "quietSyncMs": quiet.as_secs_f64() * 1e3, "quietSyncNoFilesMs": plain.as_secs_f64() * 1e3,
            "load": load(),
        });
        std::fs::write(out, serde_json::to_string_pretty(&figures).unwrap()).unwrap();
    }
}

/// A second device of the account `email` linked at `path`: everything pulled, files included.
fn new_laptop(path: &std::path::Path, url: &str, email: &str) -> (Workspace, wisdom_core::SyncReport) {
    Workspace::sync_link_device(
        Some(path),
        url,
        email,
        &Passphrase::new(PASSWORD),
        &Passphrase::new(PASSPHRASE),
        "new laptop",
        None,
        KdfParams::MINIMUM,
        Clock::system(),
    )
    .unwrap()
}
