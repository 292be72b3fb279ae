#![allow(dead_code)]
pub mod apps;
pub mod fuzz;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use wisdom_core::model::*;
use wisdom_core::{Clock, KdfParams, Passphrase, Workspace};

pub const PASS: &str = "correct horse battery";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

/// A clock tests can move forward.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        TestClock(Arc::new(Mutex::new(at)))
    }
    pub fn clock(&self) -> Clock {
        let c = self.0.clone();
        Clock::from_fn(move || *c.lock().unwrap())
    }
    pub fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub clock: TestClock,
}

impl Fixture {
    pub fn new() -> (Self, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.wisdom");
        let clock = TestClock::new(t0());
        let ws = Workspace::create(&path, "Test Journal", &Passphrase::new(PASS), KdfParams::MINIMUM, clock.clock())
            .unwrap();
        (Fixture { dir, path, clock }, ws)
    }

    pub fn reopen(&self) -> Workspace {
        Workspace::open(&self.path, &Passphrase::new(PASS), self.clock.clock()).unwrap()
    }
}

pub fn event(area: &str, kind: EventType, title: &str, charge: i64, at: DateTime<Utc>, tags: &[&str]) -> NewEvent {
    NewEvent {
        life_area_id: None,
        life_area: Some(area.into()),
        kind,
        category: EventCategory::Personal,
        tone: if charge >= 0 { EventTone::Positive } else { EventTone::Negative },
        title: title.into(),
        description: format!("About {title}"),
        narrative: None,
        occurred_at: Some(at),
        emotional_charge: charge,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}
