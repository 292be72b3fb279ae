//! Sync budgets, measured on loopback against a throwaway Postgres (not a test: it prints figures).
//!
//!     cargo run --release -p wisdom-sync-server --example sync_bench [-- ROWS CLIENTS SECONDS]
//!
//! 1. A new device links to a workspace of ROWS (default 100,000) rows and pulls all of it.
//! 2. One change round-trips from device to device (edit, sync on A, sync on B), 50 times.
//! 3. CLIENTS (default 200) concurrent clients each sync about once a second for SECONDS (default
//!    20): push a few sealed rows, then pull; push latency percentiles. Then the same clients with
//!    no pause at all (saturation), to show where the server tops out.

#[path = "../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::io::Cursor;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use wisdom_core::{Clock, ImportFormat, ImportOptions, KdfParams, Passphrase, Workspace};
use wisdom_sync_server::{Background, Config};

const PASSPHRASE: &str = "correct horse battery";
const PASSWORD: &str = "account password 42";

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// CPU time this thread has used (user + system), from /proc: wall time on a shared, busy machine
/// says more about the neighbours than about us.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<&str> = after.split_whitespace().collect();
    // After the command name come field 3 (state) onwards: utime and stime (fields 14 and 15) are
    // at 11 and 12; in ticks of 1/100 s.
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    let ticks = tick(11) + tick(12);
    Duration::from_millis(ticks * 10)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_string()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    // WISDOM_LOG=debug shows what each sync did (off by default: it would skew the figures).
    if std::env::var("WISDOM_LOG").is_ok_and(|v| v == "debug") {
        tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_writer(std::io::stderr).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let clients: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let seconds: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);

    let pg = pg::Pg::start();
    let mut config = Config::new(pg.url());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.pool_size = 32;
    config.login_attempts = 100_000;
    let server = Background::start(config).unwrap();
    let url = server.url();
    println!("server {url}, postgres on port {}", pg.port);
    // With WISDOM_SYNC_BENCH_JSON=FILE the figures are also written as JSON (scripts/bench puts
    // them into the benchmark report).
    let mut figures = serde_json::Map::new();

    // 1. A workspace of `rows` events, pushed, then pulled whole by a new device.
    let dir = tempfile::tempdir().unwrap();
    let mut a = Workspace::create(
        &dir.path().join("a.wisdom"),
        "Bench",
        &Passphrase::new(PASSPHRASE),
        KdfParams::MINIMUM,
        Clock::system(),
    )
    .unwrap();
    let mut lines = String::with_capacity(rows * 300);
    let areas = ["work", "family", "nature", "physical-health", "friendships"];
    for i in 0..rows {
        let line = json!({"lifeArea": areas[i % areas.len()], "type": "PROGRESS", "category": "PERSONAL",
            "tone": "POSITIVE", "title": format!("Entry number {i}"),
            "description": format!("A day's note, number {i}, long enough to look like one: walked, worked, read."),
            "emotionalCharge": (i % 11) as i64 - 5, "tags": [format!("t{}", i % 50)],
            "occurredAt": "2025-06-01T10:00:00Z"});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let t = Instant::now();
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    a.import(&mut Cursor::new(lines.into_bytes()), &opts, &mut |_| {}).unwrap();
    println!("setup: imported {rows} events in {:.1} s", t.elapsed().as_secs_f64());
    a.sync_register(&url, "bench@example.org", &Passphrase::new(PASSWORD), "a").unwrap();
    let t = Instant::now();
    let pushed = a.sync_now().unwrap();
    println!("setup: first push of {} rows took {:.1} s", pushed.pushed, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let cpu = thread_cpu();
    let (mut b, report) = Workspace::sync_link_device(
        Some(&dir.path().join("b.wisdom")),
        &url,
        "bench@example.org",
        &Passphrase::new(PASSWORD),
        &Passphrase::new(PASSPHRASE),
        "b",
        None,
        KdfParams::MINIMUM,
        Clock::system(),
    )
    .unwrap();
    let link = t.elapsed();
    let link_cpu = thread_cpu() - cpu;
    assert_eq!(b.event_count().unwrap(), rows as u64);
    println!(
        "BUDGET new device links and pulls {} rows: {:.2} s wall, {:.2} s CPU on the applying thread, load average {} (budget < 10 s) {}",
        report.applied,
        link.as_secs_f64(),
        link_cpu.as_secs_f64(),
        load(),
        if link < Duration::from_secs(10) { "OK" } else { "OVER" }
    );
    figures.insert("rows".into(), json!(rows));
    figures.insert("pullMs".into(), json!(link.as_secs_f64() * 1e3));
    figures.insert("pullCpuMs".into(), json!(link_cpu.as_secs_f64() * 1e3));

    // 2. Device-to-device round trip of one change.
    let id = b.list_events(&Default::default()).unwrap()[0].id.clone();
    let mut trips = Vec::new();
    let mut steps = Vec::new();
    for i in 0..50 {
        let title = format!("Round trip {i}");
        let t = Instant::now();
        a.update_event(&id, &serde_json::from_value(json!({"title": title})).unwrap()).unwrap();
        let edited = t.elapsed();
        a.sync_now().unwrap();
        let pushed = t.elapsed();
        b.sync_now().unwrap();
        trips.push(t.elapsed());
        steps.push((edited, pushed - edited, t.elapsed() - pushed));
        assert_eq!(b.event(&id).unwrap().title, title);
    }
    let slowest = trips.iter().enumerate().max_by_key(|(_, d)| **d).map_or(0, |(i, _)| i);
    let (edit, push, pull) = steps[slowest];
    println!(
        "round trips: the slowest is #{slowest} of {}: edit {}, sync A {}, sync B {}",
        trips.len(),
        ms(edit),
        ms(push),
        ms(pull)
    );
    trips.sort();
    println!(
        "BUDGET one change device to device (edit + sync A + sync B, {rows}-row workspace): p50 {} p99 {} max {} (budget < 50 ms) {}",
        ms(pct(&trips, 0.5)),
        ms(pct(&trips, 0.99)),
        ms(*trips.last().unwrap()),
        if pct(&trips, 0.99) < Duration::from_millis(50) { "OK" } else { "OVER" }
    );
    figures.insert("roundTripP50Ms".into(), json!(pct(&trips, 0.5).as_secs_f64() * 1e3));
    figures.insert("roundTripP99Ms".into(), json!(pct(&trips, 0.99).as_secs_f64() * 1e3));
    drop((a, b));

    // 3. Concurrent clients at the protocol level: one account and tenant per two clients.
    let http = reqwest::blocking::Client::builder().pool_max_idle_per_host(400).build().unwrap();
    let mut sessions = Vec::new();
    for i in 0..clients.div_ceil(2) {
        let reg: Value = http
            .post(format!("{url}/auth/register"))
            .header("content-type", "application/json")
            .body(
                serde_json::to_vec(
                    &json!({"email": format!("load{i}@example.org"), "credential": "c".repeat(64), "deviceName": "l1"}),
                )
                .unwrap(),
            )
            .send()
            .map(|r| serde_json::from_slice(&r.bytes().unwrap()).unwrap())
            .unwrap();
        let token = reg["token"].as_str().unwrap().to_string();
        let tenant: Value = http
            .post(format!("{url}/tenants"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&json!({"workspaceId": format!("ws_{i}"), "wrappedKey": "{}"})).unwrap())
            .send()
            .map(|r| serde_json::from_slice(&r.bytes().unwrap()).unwrap())
            .unwrap();
        let tenant = tenant["tenantId"].as_str().unwrap().to_string();
        sessions.push((token, reg["deviceId"].as_str().unwrap().to_string(), tenant.clone()));
        let login: Value = http
            .post(format!("{url}/auth/login"))
            .header("content-type", "application/json")
            .body(
                serde_json::to_vec(
                    &json!({"email": format!("load{i}@example.org"), "credential": "c".repeat(64), "deviceName": "l2"}),
                )
                .unwrap(),
            )
            .send()
            .map(|r| serde_json::from_slice(&r.bytes().unwrap()).unwrap())
            .unwrap();
        sessions.push((
            login["token"].as_str().unwrap().to_string(),
            login["deviceId"].as_str().unwrap().to_string(),
            tenant,
        ));
    }
    sessions.truncate(clients);
    for (label, pause) in [("about once a second", true), ("back to back (saturation)", false)] {
        let lat = Arc::new(Mutex::new(Vec::new()));
        let barrier = Arc::new(Barrier::new(sessions.len()));
        let deadline_secs = if pause { seconds } else { seconds.min(10) };
        let handles: Vec<_> = sessions
            .iter()
            .cloned()
            .enumerate()
            .map(|(n, (token, device, tenant))| {
                let (http, url, lat, barrier) = (http.clone(), url.clone(), lat.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let blob = base64::engine::general_purpose::STANDARD.encode([42u8; 300]);
                    let mut cursor = 0i64;
                    let mut mine = Vec::new();
                    barrier.wait();
                    let end = Instant::now() + Duration::from_secs(deadline_secs);
                    let mut k = 0u64;
                    while Instant::now() < end {
                        if pause {
                            std::thread::sleep(Duration::from_millis(700 + ((n as u64 * 37 + k * 101) % 600)));
                        }
                        k += 1;
                        let hlc = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
                            as i64)
                            << 16;
                        let changes: Vec<Value> = (0..5)
                            .map(|j| json!({"entity": "event", "id": format!("evt_{n}_{}", (k * 5 + j) % 40), "hlc": hlc + j as i64,
                                "device": device, "tombstone": false, "ciphertext": blob}))
                            .collect();
                        let t = Instant::now();
                        let res = http
                            .post(format!("{url}/tenants/{tenant}/push"))
                            .bearer_auth(&token)
                            .header("content-type", "application/json").body(serde_json::to_vec(&json!({"pushId": format!("p{n}-{k}-{pause}"), "changes": changes})).unwrap())
                            .send()
                            .unwrap();
                        assert!(res.status().is_success(), "{}", res.text().unwrap_or_default());
                        let _ = res.bytes();
                        mine.push(t.elapsed());
                        let page: Value = http
                            .get(format!("{url}/tenants/{tenant}/pull?after={cursor}"))
                            .bearer_auth(&token)
                            .send()
                            .map(|r| serde_json::from_slice(&r.bytes().unwrap()).unwrap())
                            .unwrap();
                        cursor = page["next"].as_i64().unwrap();
                    }
                    lat.lock().unwrap().extend(mine);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut lat = lat.lock().unwrap().clone();
        lat.sort();
        let secs = deadline_secs as f64;
        println!(
            "BUDGET {} clients syncing {label} for {deadline_secs} s: {} pushes ({:.0}/s), push latency p50 {} p99 {} max {}{}",
            sessions.len(),
            lat.len(),
            lat.len() as f64 / secs,
            ms(pct(&lat, 0.5)),
            ms(pct(&lat, 0.99)),
            ms(*lat.last().unwrap()),
            if pause {
                format!(
                    " (budget p99 < 100 ms) {}",
                    if pct(&lat, 0.99) < Duration::from_millis(100) { "OK" } else { "OVER" }
                )
            } else {
                String::new()
            }
        );
        if pause {
            figures.insert("clients".into(), json!(sessions.len()));
            figures.insert("pushP50Ms".into(), json!(pct(&lat, 0.5).as_secs_f64() * 1e3));
            figures.insert("pushP99Ms".into(), json!(pct(&lat, 0.99).as_secs_f64() * 1e3));
        }
    }
    // 4. Sequential pushes, here and (with WISDOM_CITUS_URL) on a Citus coordinator.
    let plain = sequential_push_p50(&http, &url, "postgres");
    figures.insert("sequentialPushP50Ms".into(), json!(plain.as_secs_f64() * 1e3));
    if let Some(citus_db) = std::env::var("WISDOM_CITUS_URL").ok().filter(|v| !v.is_empty()) {
        let mut config = Config::new(&citus_db);
        config.listen = "127.0.0.1:0".parse().unwrap();
        let citus = Background::start(config).expect("the sync server starts on the Citus coordinator");
        let on_citus = sequential_push_p50(&http, &citus.url(), "citus");
        println!(
            "BUDGET pushes on Citus: p50 {} against {} on plain Postgres, {:.2}x (budget within 2x) {}",
            ms(on_citus),
            ms(plain),
            on_citus.as_secs_f64() / plain.as_secs_f64(),
            if on_citus <= plain * 2 { "OK" } else { "OVER" }
        );
        figures.insert("citusSequentialPushP50Ms".into(), json!(on_citus.as_secs_f64() * 1e3));
    }
    drop(server);
    if let Some(path) = std::env::var_os("WISDOM_SYNC_BENCH_JSON") {
        figures.insert("load".into(), json!(load()));
        std::fs::write(path, serde_json::to_string_pretty(&figures).unwrap()).unwrap();
    }
}

/// One new account and tenant on the server at `url`, then 200 pushes of 5 rows one after another:
/// their median latency.
fn sequential_push_p50(http: &reqwest::blocking::Client, url: &str, label: &str) -> Duration {
    let post = |path: &str, token: Option<&str>, body: Value| -> Value {
        let mut req = http.post(format!("{url}{path}")).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.body(serde_json::to_vec(&body).unwrap()).send().unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        serde_json::from_slice(&res.bytes().unwrap()).unwrap()
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let email = format!("sequential-{label}-{nanos}@example.org");
    let reg = post("/auth/register", None, json!({"email": email, "credential": "c".repeat(64), "deviceName": "s"}));
    let (token, device) = (reg["token"].as_str().unwrap(), reg["deviceId"].as_str().unwrap());
    let tenant = post("/tenants", Some(token), json!({"workspaceId": format!("ws_{nanos}"), "wrappedKey": "{}"}));
    let tenant = tenant["tenantId"].as_str().unwrap();
    let blob = base64::engine::general_purpose::STANDARD.encode([42u8; 300]);
    let mut lat: Vec<Duration> = (0..200)
        .map(|i| {
            let changes: Vec<Value> = (0..5)
                .map(|j| {
                    json!({"entity": "event", "id": format!("evt_{i}_{j}"), "hlc": i * 5 + j + 1,
                    "device": device, "tombstone": false, "ciphertext": blob})
                })
                .collect();
            let t = Instant::now();
            post(
                &format!("/tenants/{tenant}/push"),
                Some(token),
                json!({"pushId": format!("p{i}"), "changes": changes}),
            );
            t.elapsed()
        })
        .collect();
    lat.sort();
    println!("{label}: 200 sequential pushes of 5 rows, p50 {} p99 {}", ms(pct(&lat, 0.5)), ms(pct(&lat, 0.99)));
    pct(&lat, 0.5)
}
