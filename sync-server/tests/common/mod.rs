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
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.wisdom");
        let (ws, _) = Workspace::sync_link_device(
            &path,
            &stack.url(),
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
    first.ws.sync_register(&stack.url(), email, &Passphrase::new(PASSWORD), "laptop").unwrap();
}

/// Asserts every device holds the same journal.
pub fn assert_converged(devices: &[&Device]) {
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
