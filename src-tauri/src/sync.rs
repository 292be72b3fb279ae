//! Background sync: one thread that syncs the unlocked journal, if it is signed in to a sync server,
//! soon after it is unlocked, a few seconds after local writes, and every minute; after a failure it
//! waits longer each time (5 s doubling to 5 min). It syncs through core's `sync_in_steps`, so the
//! journal is held only between the server's requests and the window never waits on the network.
//!
//! Its state (`SyncActivity`) is what the sidebar shows: syncing, synced at, offline with changes
//! waiting, or stopped with a reason (signed out by the server, say). Offline is not an error.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tracing::{debug, info, warn};
use wisdom_core::sync::{sync_in_steps, SyncAccess};
use wisdom_core::{Error, SyncReport, Workspace};
use wisdom_model::sync::{SyncActivity, SyncPhase};
use wisdom_model::{ErrorKind, ShellError};

use crate::error::{CmdResult, CommandError};

/// The unlocked workspace, shared by the commands and the sync thread.
pub type Slot = Arc<Mutex<Option<Workspace>>>;

/// Starts a worker thread named `name` once per app: `started` is its flag, held under the
/// caller's lock; a thread that cannot start leaves it unset and says why (`what`).
pub fn start_once(started: &mut bool, name: &str, what: &str, run: impl FnOnce() + Send + 'static) {
    if *started {
        return;
    }
    *started = true;
    if let Err(e) = std::thread::Builder::new().name(name.into()).spawn(run) {
        warn!(error = %e, "could not start {what}");
        *started = false;
    }
}

pub fn lock_slot(slot: &Slot) -> MutexGuard<'_, Option<Workspace>> {
    // A panic inside a command poisons the lock; the workspace inside is still consistent
    // (every core write is one transaction), so carry on with it.
    slot.lock().unwrap_or_else(|p| p.into_inner())
}

const PERIOD: Duration = Duration::from_secs(60);
const AFTER_WRITE: Duration = Duration::from_secs(3);
const AFTER_UNLOCK: Duration = Duration::from_secs(1);
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(300);

struct State {
    phase: SyncPhase,
    error: Option<ShellError>,
    failures: u32,
    due: Option<Instant>,
    /// The journal is linked and signed in: writes schedule a sync.
    armed: bool,
    received: u64,
    started: bool,
}

pub struct Background {
    state: Mutex<State>,
    wake: Condvar,
    /// One sync at a time (the background thread or the Sync now button).
    running: Mutex<()>,
    /// Called after a sync that applied rows from other devices.
    received: Box<dyn Fn() + Send + Sync>,
}

impl Background {
    /// `received` is called after each sync that brought rows from other devices.
    pub fn new(received: impl Fn() + Send + Sync + 'static) -> Self {
        Background {
            state: Mutex::new(State {
                phase: SyncPhase::Off,
                error: None,
                failures: 0,
                due: None,
                armed: false,
                received: 0,
                started: false,
            }),
            wake: Condvar::new(),
            running: Mutex::new(()),
            received: Box::new(received),
        }
    }
}

/// Lends the shared workspace to a sync run one step at a time, as long as it is still the journal
/// the run started on.
struct Held<'a> {
    slot: &'a Slot,
    workspace_id: String,
}

impl SyncAccess for Held<'_> {
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> wisdom_core::Result<T>) -> wisdom_core::Result<T> {
        let mut slot = lock_slot(self.slot);
        match slot.as_mut() {
            Some(ws) if ws.id() == self.workspace_id => f(ws),
            _ => Err(Error::Sync("the journal was locked during the sync".into())),
        }
    }
}

impl Background {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts the sync thread on first use; it lives as long as the app.
    pub fn start(self: &Arc<Self>, slot: &Slot) {
        let (me, slot) = (self.clone(), slot.clone());
        start_once(&mut self.state().started, "sync", "the background sync thread", move || me.run_forever(&slot));
    }

    /// A journal was unlocked, or just signed in: sync it shortly.
    pub fn kick(&self) {
        self.schedule(AFTER_UNLOCK, true);
    }

    /// Something was written: sync it soon, if this journal syncs at all.
    pub fn nudge(&self) {
        self.schedule(AFTER_WRITE, false);
    }

    fn schedule(&self, after: Duration, always: bool) {
        let mut st = self.state();
        if !always && (!st.armed || st.phase == SyncPhase::Stopped) {
            return;
        }
        let at = Instant::now() + after;
        // A sync already due sooner stays; an offline journal keeps its backoff unless asked.
        if always || st.due.is_none_or(|d| d > at) && st.phase != SyncPhase::Offline {
            st.due = Some(at);
            self.wake.notify_one();
        }
    }

    /// The journal was locked: nothing to sync until the next unlock.
    pub fn reset(&self) {
        let mut st = self.state();
        st.phase = SyncPhase::Off;
        st.error = None;
        st.failures = 0;
        st.due = None;
        st.armed = false;
    }

    /// Signed out on purpose: no more background syncs until signed in again.
    pub fn disarm(&self) {
        let mut st = self.state();
        st.armed = false;
        st.due = None;
        st.phase = SyncPhase::Off;
        st.error = None;
    }

    fn run_forever(&self, slot: &Slot) {
        loop {
            {
                let mut st = self.state();
                loop {
                    let now = Instant::now();
                    match st.due {
                        Some(at) if at <= now => break,
                        Some(at) => st = self.wake.wait_timeout(st, at - now).unwrap_or_else(|p| p.into_inner()).0,
                        None => st = self.wake.wait(st).unwrap_or_else(|p| p.into_inner()),
                    }
                }
                st.due = None;
            }
            // A failure is already recorded in the activity; the thread carries on.
            let _ = self.sync(slot);
        }
    }

    /// Syncs the unlocked journal now (the thread, or the Sync now button) and records the outcome.
    pub fn sync(&self, slot: &Slot) -> CmdResult<SyncReport> {
        let _one_at_a_time = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let linked = {
            let guard = lock_slot(slot);
            match guard.as_ref() {
                None => None,
                Some(ws) => {
                    let signed_in = ws.sync_status()?.is_some_and(|s| s.logged_in);
                    signed_in.then(|| ws.id().to_string())
                }
            }
        };
        let Some(workspace_id) = linked else {
            self.disarm();
            return Err(CommandError::from(Error::Sync(
                "This journal is not signed in to a sync server. Sign in on the Settings page.".into(),
            )));
        };
        {
            let mut st = self.state();
            st.armed = true;
            st.phase = SyncPhase::Syncing;
        }
        let started = Instant::now();
        let outcome = sync_in_steps(&Held { slot, workspace_id });
        let mut st = self.state();
        match outcome {
            Ok(report) => {
                debug!(ms = started.elapsed().as_millis() as u64, ?report, "background sync");
                if report.applied > 0 {
                    st.received += 1;
                    (self.received)();
                }
                st.phase = SyncPhase::Idle;
                st.error = None;
                st.failures = 0;
                st.due = Some(st.due.map_or(Instant::now() + PERIOD, |d| d.min(Instant::now() + PERIOD)));
                Ok(report)
            }
            Err(e) => {
                let offline = matches!(e, Error::SyncUnreachable(_));
                let refused = matches!(e, Error::SyncServer { status: 401 | 403, .. });
                let err = CommandError::from(e);
                st.failures += 1;
                if refused {
                    info!(reason = %err, "background sync stopped");
                    st.phase = SyncPhase::Stopped;
                    st.due = None;
                } else {
                    let wait = FIRST_RETRY.saturating_mul(1 << (st.failures - 1).min(6)).min(LONGEST_RETRY);
                    debug!(retry_in_secs = wait.as_secs(), offline, "sync failed");
                    st.phase = if offline { SyncPhase::Offline } else { SyncPhase::Stopped };
                    st.due = Some(Instant::now() + wait);
                }
                st.error = Some(err.0.clone());
                Err(err)
            }
        }
    }

    /// What to show. Asks the journal for its queue only if it is free this instant, so the sidebar's
    /// poll never waits behind a sync.
    pub fn activity(&self, slot: &Slot) -> SyncActivity {
        let (status, elsewhere) = match slot.try_lock() {
            Ok(guard) => (
                guard.as_ref().map(|ws| ws.sync_status().ok().flatten()),
                guard.as_ref().is_some_and(|ws| ws.changed_elsewhere().unwrap_or(false)),
            ),
            Err(_) => (None, false),
        };
        if elsewhere {
            // Another program on this machine (the CLI) wrote to the journal: the window refreshes
            // as for rows from another device, the reader reads the new entries, and they sync.
            debug!("the journal was changed by another program");
            self.state().received += 1;
            (self.received)();
            self.nudge();
        }
        let st = self.state();
        let (pending, last_sync_at, phase) = match status {
            Some(None) => (None, None, SyncPhase::Off),
            Some(Some(s)) if !s.logged_in => (Some(s.pending), s.last_sync_at, SyncPhase::Off),
            // Signed in, not synced yet since the unlock: shown as of the last sync.
            Some(Some(s)) if st.phase == SyncPhase::Off => (Some(s.pending), s.last_sync_at, SyncPhase::Idle),
            Some(Some(s)) => (Some(s.pending), s.last_sync_at, st.phase),
            None => (None, None, st.phase),
        };
        SyncActivity {
            phase,
            error: st.error.clone().filter(|_| matches!(phase, SyncPhase::Offline | SyncPhase::Stopped)),
            retry_in_secs: st.due.map(|d| d.saturating_duration_since(Instant::now()).as_secs()),
            pending,
            last_sync_at,
            received: st.received,
        }
    }
}

/// A failed sign-in or sign-up: a 401 there means the account details, not an expired session.
pub fn sign_in_error(e: Error) -> CommandError {
    let mut err = CommandError::from(e);
    if err.kind() == ErrorKind::SyncAuth {
        err.0.message = "That email and account password do not match an account on this server.".into();
    }
    err
}
