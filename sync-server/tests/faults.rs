//! Faults between device and server: the server killed mid-push, a connection dropped after the
//! server applied a push, the same push twice, stale and impossible cursors. Nothing is lost and
//! nothing is doubled.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use wisdom_core::{Passphrase, Workspace};

/// The real binary, as a process that can be killed.
struct ServerProcess {
    child: Child,
    port: u16,
}

impl ServerProcess {
    fn start(pg: &Pg, port: u16) -> ServerProcess {
        let child = Command::new(env!("CARGO_BIN_EXE_wisdom-sync-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("WISDOM_SYNC_DATABASE_URL", pg.url())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Owned from here on, so it is killed and reaped (Drop) on every path.
        let server = ServerProcess { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(format!("{}/health", server.url())).is_ok_and(|r| r.status() == 200) {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not come up");
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn metric(&self, name: &str) -> u64 {
        let text = reqwest::blocking::get(format!("{}/metrics", self.url())).and_then(|r| r.text()).unwrap_or_default();
        text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok())).unwrap_or(0)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn event_rows(pg: &Pg) -> (String, String) {
    let schema = pg.psql("SELECT schema_name FROM tenants");
    (
        pg.psql(&format!("SELECT count(*) FROM {schema}.sealed_rows WHERE entity = 'event'")),
        pg.psql(&format!("SELECT count(*) FROM {schema}.change_log WHERE entity = 'event'")),
    )
}

#[test]
fn server_killed_mid_push_and_restarted_loses_nothing_and_doubles_nothing() {
    let pg = Pg::start();
    let port = pg::free_port();
    let mut server = ServerProcess::start(&pg, port);
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    const N: usize = 1600;
    for i in 0..N {
        a.add_event("work", &format!("Entry {i}"), &["bulk"]);
    }
    register_at(&server.url(), &mut a, "crash@example.org");
    let pushing = std::thread::spawn(move || {
        let r = a.ws.sync_now();
        (a, r)
    });
    // Kill the server as soon as the first batch is in, while the rest is still being sent.
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.metric("wisdom_sync_pushes_total") < 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    server.kill();
    let (mut a, first) = pushing.join().unwrap();
    assert!(first.is_err(), "the sync was cut off: {first:?}");
    let pending = a.ws.sync_status().unwrap().unwrap().pending;
    assert!(pending > 0 && pending < N as u64 + 32, "part is still queued: {pending}");

    let server = ServerProcess::start(&pg, port);
    let report = a.sync();
    assert_eq!(a.ws.sync_status().unwrap().unwrap().pending, 0, "{report:?}");
    let mut b = Device::link_at(&server.url(), "crash@example.org", "phone", &clock);
    assert_converged(&[&a, &b]);
    assert_eq!(b.ws.event_count().unwrap(), N as u64);
    assert_eq!(event_rows(&pg), (N.to_string(), N.to_string()), "each event stored and logged once");
    b.sync();
}

/// Forwards to `target`; when armed, swallows the response to the next push and cuts the
/// connection, as a network failure after the server committed would.
fn dropping_proxy(target: u16, armed: Arc<AtomicBool>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let server = TcpStream::connect(("127.0.0.1", target)).unwrap();
            let cut = Arc::new(AtomicBool::new(false));
            let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (armed, cut_up) = (armed.clone(), cut.clone());
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n) = c_in.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let chunk = &buf[..n];
                    if chunk.windows(5).any(|w| w == b"/push") && armed.swap(false, Ordering::SeqCst) {
                        cut_up.store(true, Ordering::SeqCst);
                    }
                    if s_out.write_all(chunk).is_err() {
                        break;
                    }
                }
                let _ = s_out.shutdown(Shutdown::Write);
            });
            let (mut s_in, mut c_out) = (server, client);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n) = s_in.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if cut.load(Ordering::SeqCst) {
                        let _ = c_out.shutdown(Shutdown::Both);
                        let _ = s_in.shutdown(Shutdown::Both);
                        return;
                    }
                    if c_out.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = c_out.shutdown(Shutdown::Both);
            });
        }
    });
    port
}

#[test]
fn a_connection_dropped_after_the_server_applied_a_push_is_retried_without_doubling() {
    let stack = Stack::start();
    let armed = Arc::new(AtomicBool::new(false));
    let proxy = dropping_proxy(stack.server.addr.port(), armed.clone());
    let via_proxy = format!("http://127.0.0.1:{proxy}");
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    for i in 0..20 {
        a.add_event("work", &format!("Entry {i}"), &[]);
    }
    a.ws.sync_register(&via_proxy, "drop@example.org", &Passphrase::new(PASSWORD), "laptop").unwrap();
    armed.store(true, Ordering::SeqCst);
    let err = a.ws.sync_now().unwrap_err();
    assert!(matches!(err, wisdom_core::Error::SyncUnreachable(_)), "{err}");
    assert_eq!(event_rows(&stack.pg).0, "20", "the server did apply the push");
    assert!(a.ws.sync_status().unwrap().unwrap().pending > 0, "but the device did not hear so");

    let retry = a.sync();
    assert_eq!(retry.pushed, 0, "the same versions again are not new: {retry:?}");
    assert!(retry.stale >= 20, "{retry:?}");
    assert_eq!(a.ws.sync_status().unwrap().unwrap().pending, 0);
    assert_eq!(event_rows(&stack.pg), ("20".into(), "20".into()));
    let b = Device::link(&stack, "drop@example.org", "phone", &clock);
    assert_converged(&[&a, &b]);
}

#[test]
fn a_duplicate_push_is_answered_once_and_cursors_past_the_head_are_refused() {
    let stack = Stack::start();
    let raw = Raw::new(&stack.url());
    let (token, tenant, device) = raw.account("dup@example.org");
    let push = format!("/tenants/{tenant}/push");
    let body = json!({"pushId": "batch-1", "changes": [
        Raw::envelope("event", "evt_1", 10, &device), Raw::envelope("event", "evt_2", 10, &device)]});
    let (s, first) = raw.json("POST", &push, Some(&token), body.clone());
    assert_eq!(s, 200);
    assert_eq!((first["accepted"].as_u64(), first["duplicate"].as_bool()), (Some(2), Some(false)));
    let (_, again) = raw.json("POST", &push, Some(&token), body.clone());
    assert_eq!((again["accepted"].as_u64(), again["duplicate"].as_bool()), (Some(2), Some(true)));
    assert_eq!(again["head"], first["head"]);
    let mut renamed = body.clone();
    renamed["pushId"] = json!("batch-2");
    let (_, replay) = raw.json("POST", &push, Some(&token), renamed);
    assert_eq!((replay["accepted"].as_u64(), replay["stale"].as_u64()), (Some(0), Some(2)));
    let schema = format!("tenant_{tenant}");
    assert_eq!(stack.pg.psql(&format!("SELECT count(*) FROM {schema}.change_log")), "2");

    let (_, page) = raw.send("GET", &format!("/tenants/{tenant}/pull?after=0"), Some(&token), None);
    assert_eq!(page["changes"].as_array().unwrap().len(), 2);
    let head = page["head"].as_i64().unwrap();
    let (s, r) = raw.send("GET", &format!("/tenants/{tenant}/pull?after={}", head + 100), Some(&token), None);
    assert_eq!(s, 409, "{r}");
    assert!(r["message"].as_str().unwrap().contains("pull again from 0"));
}

#[test]
fn a_push_retried_while_its_first_attempt_still_commits_is_answered_as_a_duplicate() {
    let stack = Stack::start();
    let raw = Raw::new(&stack.url());
    let (token, tenant, device) = raw.account("retry@example.org");
    let schema = stack.pg.psql(&format!("SELECT schema_name FROM tenants WHERE id = '{tenant}'"));
    // The first attempt is applied in a transaction that commits only after the retry has come
    // in and waits for the tenant's lock (a push whose answer was lost, retried at once).
    let first = format!(
        "BEGIN; SELECT * FROM \"{schema}\".push_changes(ARRAY['event'], ARRAY['evt_1'], ARRAY[10::bigint], \
         ARRAY['{device}'], ARRAY[false], ARRAY['\\x07'::bytea], 'retried', '{device}'); \
         SELECT pg_sleep(2); COMMIT"
    );
    let body = json!({"pushId": "retried", "changes": [Raw::envelope("event", "evt_1", 10, &device)]});
    let (status, answer) = std::thread::scope(|s| {
        s.spawn(|| stack.pg.psql(&first));
        let holding =
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%push_changes%'";
        let deadline = Instant::now() + Duration::from_secs(20);
        while stack.pg.psql(holding) != "1" {
            assert!(Instant::now() < deadline, "the first attempt never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        raw.json("POST", &format!("/tenants/{tenant}/push"), Some(&token), body)
    });
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["duplicate"].as_bool(), answer["accepted"].as_u64(), answer["head"].as_i64()),
        (Some(true), Some(1), Some(1))
    );
    assert_eq!(stack.pg.psql(&format!("SELECT count(*) FROM \"{schema}\".change_log")), "1");
}

#[test]
fn a_device_restored_from_an_old_backup_catches_up_without_losing_or_doubling() {
    let stack = Stack::start();
    let clock = TestClock::new();
    let mut a = Device::create(&clock);
    register(&stack, &mut a, "backup@example.org");
    a.add_event("work", "Before the backup", &[]);
    a.sync();
    let unsent = a.add_event("family", "Written before the backup, not yet synced", &[]);
    // Back up A's files (closed, so the copy is whole).
    let (dir, path) = (a.dir, a.path.clone());
    a.ws.lock();
    let backup = tempfile::tempdir().unwrap();
    for f in ["journal.wisdom", "journal.wisdom.key"] {
        std::fs::copy(dir.path().join(f), backup.path().join(f)).unwrap();
    }
    let mut a = Device { ws: Workspace::open(&path, &Passphrase::new(PASSPHRASE), clock.clock()).unwrap(), dir, path };
    a.sync();
    let mut b = Device::link(&stack, "backup@example.org", "phone", &clock);
    for i in 0..5 {
        b.add_event("work", &format!("After the backup {i}"), &[]);
    }
    b.sync();
    a.sync();
    // Restore the old files: their cursor and queue are stale.
    let (dir, path) = (a.dir, a.path.clone());
    a.ws.lock();
    for f in ["journal.wisdom", "journal.wisdom.key"] {
        std::fs::copy(backup.path().join(f), dir.path().join(f)).unwrap();
    }
    let mut a = Device { ws: Workspace::open(&path, &Passphrase::new(PASSPHRASE), clock.clock()).unwrap(), dir, path };
    assert!(a.ws.sync_status().unwrap().unwrap().pending > 0);
    let report = a.sync();
    assert_eq!(report.pushed, 0, "what the backup queued was already on the server: {report:?}");
    b.sync();
    assert_converged(&[&a, &b]);
    assert_eq!(a.ws.event_count().unwrap(), 7);
    assert!(a.ws.event(&unsent).is_ok());
    assert_eq!(event_rows(&stack.pg), ("7".into(), "7".into()));
}
