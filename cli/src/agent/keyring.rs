//! The keys an agent holds, in one locked page, each with its timeouts. Time is the boot clock
//! (sleep counts), passed in, so expiry is tested with plain numbers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use zeroize::{Zeroize, Zeroizing};

use super::os::LockedPage;
use super::protocol::{HeldWorkspace, Hold};

const KEY_LEN: usize = 32;
/// At most this many workspaces held at once (a page holds 128 keys; nobody has 64 journals).
pub const MAX_HELD: usize = 64;

struct Entry {
    workspace_id: String,
    name: String,
    path: PathBuf,
    /// The workspace's key file as it was when the key was handed over (no secret: the data key
    /// wrapped under the passphrase and the recovery key).
    key_file: Vec<u8>,
    slot: usize,
    unlocked: Duration,
    unlocked_at: DateTime<Utc>,
    last_used: Duration,
    idle: Duration,
    max: Duration,
}

impl Entry {
    fn deadline(&self) -> Duration {
        (self.last_used + self.idle).min(self.unlocked + self.max)
    }
}

pub struct Keyring {
    page: LockedPage,
    entries: Vec<Entry>,
}

impl Keyring {
    pub fn new() -> std::io::Result<Keyring> {
        Ok(Keyring { page: LockedPage::new()?, entries: Vec::new() })
    }

    pub fn memory_locked(&self) -> bool {
        self.page.locked()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Holds `hold`'s key from `now`, replacing what was held for that workspace, with the bytes
    /// of its key file then.
    pub fn hold(
        &mut self,
        hold: &Hold,
        key_file: Vec<u8>,
        now: Duration,
        wall: DateTime<Utc>,
    ) -> Result<(), &'static str> {
        self.forget(&hold.workspace);
        let used: Vec<usize> = self.entries.iter().map(|e| e.slot).collect();
        let Some(slot) = (0..MAX_HELD).find(|s| !used.contains(s)) else {
            return Err("the agent holds as many workspaces as it can");
        };
        self.slot_mut(slot).copy_from_slice(&hold.key.0[..]);
        self.entries.push(Entry {
            workspace_id: hold.workspace.clone(),
            name: hold.name.clone(),
            path: hold.path.clone(),
            key_file,
            slot,
            unlocked: now,
            unlocked_at: wall,
            last_used: now,
            idle: Duration::from_secs(hold.idle_secs),
            max: Duration::from_secs(hold.max_secs),
        });
        Ok(())
    }

    /// The key of `workspace` if held and not expired at `now`; the use resets its idle timeout.
    pub fn key(&mut self, workspace: &str, now: Duration) -> Option<Zeroizing<[u8; KEY_LEN]>> {
        self.expire(now);
        let e = self.entries.iter_mut().find(|e| e.workspace_id == workspace)?;
        e.last_used = now;
        let slot = e.slot;
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&self.page.bytes()[slot * KEY_LEN..(slot + 1) * KEY_LEN]);
        Some(key)
    }

    /// Wipes the key of `workspace` when its key file no longer reads as it did when it was held
    /// (`read` gives the bytes of the key file of a workspace path, `None` when it cannot): a
    /// passphrase change, a recovery or a restore by any program ends the unlock. Whether it did.
    pub fn forget_if_rewritten(&mut self, workspace: &str, read: impl Fn(&Path) -> Option<Vec<u8>>) -> bool {
        let Some(e) = self.entries.iter().find(|e| e.workspace_id == workspace) else { return false };
        if read(&e.path).is_some_and(|now| now == e.key_file) {
            return false;
        }
        self.forget(workspace)
    }

    /// Wipes one workspace's key; whether it was held.
    pub fn forget(&mut self, workspace: &str) -> bool {
        let Some(i) = self.entries.iter().position(|e| e.workspace_id == workspace) else {
            return false;
        };
        let e = self.entries.swap_remove(i);
        self.slot_mut(e.slot).zeroize();
        true
    }

    /// Wipes every key whose idle or absolute timeout has passed at `now`.
    pub fn expire(&mut self, now: Duration) {
        let due: Vec<String> =
            self.entries.iter().filter(|e| e.deadline() <= now).map(|e| e.workspace_id.clone()).collect();
        for id in due {
            self.forget(&id);
        }
    }

    /// Wipes every key.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.page.bytes_mut().zeroize();
    }

    /// The earliest time something expires.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.entries.iter().map(Entry::deadline).min()
    }

    /// What is held, with times on the wall clock (`now` on the boot clock is `wall`).
    pub fn held(&self, now: Duration, wall: DateTime<Utc>) -> Vec<HeldWorkspace> {
        let at = |t: Duration| wall + chrono::Duration::milliseconds(t.as_millis() as i64 - now.as_millis() as i64);
        self.entries
            .iter()
            .map(|e| HeldWorkspace {
                workspace_id: e.workspace_id.clone(),
                name: e.name.clone(),
                path: e.path.clone(),
                unlocked_at: e.unlocked_at,
                last_used_at: at(e.last_used),
                locks_at: at(e.deadline()),
                idle_seconds: e.idle.as_secs(),
                max_seconds: e.max.as_secs(),
            })
            .collect()
    }

    fn slot_mut(&mut self, slot: usize) -> &mut [u8] {
        &mut self.page.bytes_mut()[slot * KEY_LEN..(slot + 1) * KEY_LEN]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::protocol::SecretKey;

    fn hold(id: &str, byte: u8, idle: u64, max: u64) -> Hold {
        Hold {
            workspace: id.into(),
            name: "Journal".into(),
            path: "/j.wisdom".into(),
            key: SecretKey(Zeroizing::new([byte; 32])),
            idle_secs: idle,
            max_secs: max,
        }
    }

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn use_resets_the_idle_timeout_but_not_the_absolute_one() {
        let mut ring = Keyring::new().unwrap();
        ring.hold(&hold("ws_a", 7, 10, 25), b"key file".to_vec(), s(100), Utc::now()).unwrap();
        assert_eq!(*ring.key("ws_a", s(109)).unwrap(), [7; 32]);
        assert!(ring.key("ws_a", s(118)).is_some(), "used at 109: idle until 119");
        assert!(ring.key("ws_a", s(124)).is_some());
        assert!(
            ring.key("ws_a", s(125)).is_none(),
            "the absolute timeout, 25 s after unlock, holds however recent the use"
        );
        assert!(ring.is_empty());
    }

    #[test]
    fn an_idle_key_is_wiped_from_the_page() {
        let mut ring = Keyring::new().unwrap();
        ring.hold(&hold("ws_a", 7, 10, 100), b"key file".to_vec(), s(0), Utc::now()).unwrap();
        ring.hold(&hold("ws_b", 9, 50, 100), b"key file".to_vec(), s(0), Utc::now()).unwrap();
        assert_eq!(ring.next_deadline(), Some(s(10)));
        ring.expire(s(10));
        assert!(ring.key("ws_a", s(10)).is_none());
        assert!(ring.page.bytes().iter().all(|b| *b == 0 || *b == 9));
        assert_eq!(ring.page.bytes().iter().filter(|b| **b == 9).count(), 32);
        ring.clear();
        assert!(ring.page.bytes().iter().all(|b| *b == 0));
    }

    #[test]
    fn holding_again_replaces_and_forgetting_wipes() {
        let mut ring = Keyring::new().unwrap();
        ring.hold(&hold("ws_a", 1, 10, 100), b"key file".to_vec(), s(0), Utc::now()).unwrap();
        ring.hold(&hold("ws_a", 2, 10, 100), b"key file".to_vec(), s(5), Utc::now()).unwrap();
        assert_eq!(ring.held(s(5), Utc::now()).len(), 1);
        assert_eq!(*ring.key("ws_a", s(6)).unwrap(), [2; 32]);
        assert!(ring.forget("ws_a"));
        assert!(!ring.forget("ws_a"));
        assert!(ring.page.bytes().iter().all(|b| *b == 0));
    }

    #[test]
    fn a_rewritten_or_unreadable_key_file_wipes_the_key() {
        let mut ring = Keyring::new().unwrap();
        ring.hold(&hold("ws_a", 1, 10, 100), b"wrapped v1".to_vec(), s(0), Utc::now()).unwrap();
        ring.hold(&hold("ws_b", 2, 10, 100), b"wrapped b".to_vec(), s(0), Utc::now()).unwrap();
        assert!(!ring.forget_if_rewritten("ws_a", |_| Some(b"wrapped v1".to_vec())));
        assert!(ring.key("ws_a", s(1)).is_some());
        assert!(ring.forget_if_rewritten("ws_a", |_| Some(b"wrapped v2".to_vec())));
        assert!(ring.key("ws_a", s(1)).is_none());
        assert!(ring.forget_if_rewritten("ws_b", |_| None));
        assert!(ring.page.bytes().iter().all(|b| *b == 0));
        assert!(!ring.forget_if_rewritten("ws_c", |_| None));
    }

    #[test]
    fn status_times_are_on_the_wall_clock() {
        let mut ring = Keyring::new().unwrap();
        let wall = Utc::now();
        ring.hold(&hold("ws_a", 1, 900, 28800), b"key file".to_vec(), s(1000), wall).unwrap();
        let held = ring.held(s(1060), wall + chrono::Duration::seconds(60));
        assert_eq!(held[0].locks_at, wall + chrono::Duration::seconds(900));
        assert_eq!(held[0].last_used_at, wall);
    }
}
