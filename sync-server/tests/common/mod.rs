#![allow(dead_code)]
pub mod pg;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use wisdom_core::{Clock, KdfParams, Passphrase, Workspace};
use wisdom_sync_server::{Background, Config};

pub use pg::Pg;

pub const PASSPHRASE: &str = "correct horse battery";
pub const PASSWORD: &str = "account password 42";

/// One clock for every device of a test, moved by hand.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new() -> Self {
        TestClock(Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap())))
    }
    pub fn clock(&self) -> Clock {
        let c = self.0.clone();
        Clock::from_fn(move || *c.lock().unwrap())
    }
    pub fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += Duration::seconds(secs);
    }
    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// A real Postgres and a real server on loopback.
pub struct Stack {
    pub server: Background,
    pub pg: Pg,
}

impl Stack {
    pub fn start() -> Stack {
        let pg = Pg::start();
        let mut config = Config::new(pg.url());
        config.listen = "127.0.0.1:0".parse().unwrap();
        let server = Background::start(config).expect("sync server starts");
        Stack { server, pg }
    }
    pub fn url(&self) -> String {
        self.server.url()
    }
}

pub struct Device {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub ws: Workspace,
}

impl Device {
    pub fn create(clock: &TestClock) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.wisdom");
        let ws =
            Workspace::create(&path, "Shared journal", &Passphrase::new(PASSPHRASE), KdfParams::MINIMUM, clock.clock())
                .unwrap();
        Device { dir, path, ws }
    }

    pub fn link(stack: &Stack, email: &str, name: &str, clock: &TestClock) -> Device {
        Device::link_at(&stack.url(), email, name, clock)
    }

    pub fn link_at(server: &str, email: &str, name: &str, clock: &TestClock) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.wisdom");
        let (ws, _) = Workspace::sync_link_device(
            Some(&path),
            server,
            email,
            &Passphrase::new(PASSWORD),
            &Passphrase::new(PASSPHRASE),
            name,
            None,
            KdfParams::MINIMUM,
            clock.clock(),
        )
        .unwrap();
        Device { dir, path, ws }
    }

    pub fn sync(&mut self) -> wisdom_core::SyncReport {
        self.ws.sync_now().unwrap()
    }

    /// The export minus the moment it was taken, and minus each life area's `updatedAt`: that one
    /// is device-local by design (when this device seeded the area or last recomputed its score;
    /// scores themselves are compared, and agree).
    pub fn export(&self) -> Value {
        let mut v = serde_json::to_value(self.ws.export_document().unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("exportedAt");
        for area in v["lifeAreas"].as_array_mut().unwrap() {
            area.as_object_mut().unwrap().remove("updatedAt");
        }
        v
    }

    pub fn add_event(&mut self, area: &str, title: &str, tags: &[&str]) -> String {
        let new = serde_json::from_value(json!({
            "lifeArea": area, "type": "PROGRESS", "category": "PERSONAL", "tone": "POSITIVE",
            "title": title, "description": format!("About {title}"), "emotionalCharge": 2, "tags": tags,
        }))
        .unwrap();
        self.ws.create_event(&new).unwrap().event.id
    }

    pub fn edit_event(&mut self, id: &str, patch: Value) {
        self.ws.update_event(id, &serde_json::from_value(patch).unwrap()).unwrap();
    }
}

/// Registers `first` on the stack under `email`.
pub fn register(stack: &Stack, first: &mut Device, email: &str) {
    register_at(&stack.url(), first, email);
}

pub fn register_at(server: &str, first: &mut Device, email: &str) {
    first.ws.sync_register(server, email, &Passphrase::new(PASSWORD), "laptop").unwrap();
}

/// Asserts every device holds the same journal.
pub fn assert_converged(devices: &[&Device]) {
    // Every device's search index matches its rows (pulls index new events in bulk, see
    // migrations/workspace/V5), whatever mix of inserts, edits and deletes a pull carried.
    for (i, d) in devices.iter().enumerate() {
        d.ws.verify_search_index().unwrap_or_else(|e| panic!("device {i}: {e}"));
    }
    let first = devices[0].export();
    for (i, d) in devices.iter().enumerate().skip(1) {
        let other = d.export();
        if other != first {
            let a = serde_json::to_string_pretty(&first).unwrap();
            let b = serde_json::to_string_pretty(&other).unwrap();
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .take(20)
                .map(|(n, (x, y))| format!("line {n}:\n  0: {x}\n  {i}: {y}"))
                .collect();
            panic!("device {i} differs from device 0:\n{}", diff.join("\n"));
        }
    }
}

/// Raw HTTP against the server, for what a well-behaved client would never send.
pub struct Raw {
    pub base: String,
    http: reqwest::blocking::Client,
}

impl Raw {
    pub fn new(base: &str) -> Raw {
        // A fresh connection per request: after a 413 the server closes a connection mid-body, and a
        // pooled one would carry that into the next request.
        let http = reqwest::blocking::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        Raw { base: base.to_string(), http }
    }

    /// Sends `body` as-is (any bytes) and returns the status and the body as JSON (Null if not JSON).
    pub fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<Vec<u8>>) -> (u16, Value) {
        self.try_send(method, path, token, body).unwrap()
    }

    /// As [`Raw::send`], but a connection the server closed is an `Err` (it may answer 413 and stop
    /// reading a body that is too large before the client has finished sending it).
    pub fn try_send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Value), reqwest::Error> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let res = req.send()?;
        let status = res.status().as_u16();
        let bytes = res.bytes()?;
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    pub fn json(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.send(method, path, token, Some(serde_json::to_vec(&body).unwrap()))
    }

    /// A new account with one tenant; returns (token, tenant id, device id).
    pub fn account(&self, email: &str) -> (String, String, String) {
        let (s, session) = self.json(
            "POST",
            "/auth/register",
            None,
            json!({"email": email, "credential": "c".repeat(64), "deviceName": "raw"}),
        );
        assert_eq!(s, 201, "{session}");
        let token = session["token"].as_str().unwrap().to_string();
        let (s, tenant) =
            self.json("POST", "/tenants", Some(&token), json!({"workspaceId": "ws_raw", "wrappedKey": "{}"}));
        assert_eq!(s, 201, "{tenant}");
        (token, tenant["tenantId"].as_str().unwrap().to_string(), session["deviceId"].as_str().unwrap().to_string())
    }

    /// An envelope with `n` bytes of (fake) ciphertext.
    pub fn envelope(entity: &str, id: &str, hlc: i64, device: &str) -> Value {
        use base64::Engine;
        json!({"entity": entity, "id": id, "hlc": hlc, "device": device, "tombstone": false,
               "ciphertext": base64::engine::general_purpose::STANDARD.encode([7u8; 64])})
    }
}

/// A small deterministic random source (xorshift64*), so a failing seed can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Syncs every device in turn until a whole round moves nothing (a device's fix-ups are themselves
/// changes the others must hear of), at most six rounds.
pub fn sync_until_quiet(devices: &mut [&mut Device]) {
    let mut reports = Vec::new();
    for _ in 0..6 {
        let mut quiet = true;
        reports.clear();
        for d in devices.iter_mut() {
            let r = d.sync();
            quiet &= r.pushed == 0 && r.applied == 0;
            reports.push(r);
        }
        if quiet {
            return;
        }
    }
    panic!("the devices did not settle within six rounds; the last: {reports:?}");
}
