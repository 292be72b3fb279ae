//! The reader: one background thread that lets the language model read the entries of the unlocked
//! journal that have no sentence vector yet (after an unlock, after writes, after a sync brought rows
//! from another device), for search by meaning and the pattern engine's recurring situations.
//!
//! It asks the journal first whether anything is unread, and loads the model (0.1 s, 90 MB) only
//! then: a journal that is fully read costs no model at unlock. The work runs through core's
//! `embed_in_steps`, which holds the journal only to read a batch of texts and to store their
//! vectors, never while the model runs, so the window stays usable during a long back-fill. A lock
//! stops it between two batches; what was stored stays. A reading that finishes what an import or
//! a first sync brought runs the pattern engine again (`detect_patterns_after_reading`).

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tracing::{debug, info, warn};
use wisdom_core::meaning::{embed_in_steps, language_model};
use wisdom_core::sync::SyncAccess;
use wisdom_core::{Error, Workspace};

use crate::sync::{lock_slot, start_once, Slot};

/// After an unlock the dashboard and the catch-up jobs go first.
const AFTER_UNLOCK: Duration = Duration::from_secs(3);
/// Writes come in bursts (an import, a few quick captures): read them together.
const AFTER_WRITE: Duration = Duration::from_millis(800);

#[derive(Default)]
struct State {
    /// When the next look at the journal is due.
    due: Option<Instant>,
    /// Bumped by every lock and unlock: a back-fill of an earlier session stops.
    session: u64,
    reading: bool,
    started: bool,
}

#[derive(Default)]
pub struct Reader {
    state: Mutex<State>,
    wake: Condvar,
}

/// Lends the shared journal to the back-fill one step at a time, while the session it started in
/// lasts.
struct Lent<'a> {
    slot: &'a Slot,
    reader: &'a Reader,
    session: u64,
}

impl SyncAccess for Lent<'_> {
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> wisdom_core::Result<T>) -> wisdom_core::Result<T> {
        let mut slot = lock_slot(self.slot);
        match slot.as_mut() {
            Some(ws) if !self.reader.ended(self.session) => f(ws),
            _ => Err(Error::Conflict("the journal was locked while the language model read it".into())),
        }
    }
}

impl Reader {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn ended(&self, session: u64) -> bool {
        self.state().session != session
    }

    /// Starts the reader thread on first use; it lives as long as the app.
    pub fn start(self: &Arc<Self>, slot: &Slot) {
        let (me, slot) = (self.clone(), slot.clone());
        let what = "the language model's reader thread";
        start_once(&mut self.state().started, "reader", what, move || me.run_forever(&slot));
    }

    /// A journal was unlocked: look for unread entries once the first page has its data.
    pub fn kick(&self) {
        let mut st = self.state();
        st.session += 1;
        self.schedule(&mut st, AFTER_UNLOCK);
    }

    /// Entries were written or received: read them soon.
    pub fn nudge(&self) {
        let mut st = self.state();
        self.schedule(&mut st, AFTER_WRITE);
    }

    fn schedule(&self, st: &mut State, after: Duration) {
        let at = Instant::now() + after;
        if st.due.is_none_or(|d| d > at) {
            st.due = Some(at);
            self.wake.notify_one();
        }
    }

    /// The journal was locked: a running back-fill stops after its batch.
    pub fn reset(&self) {
        let mut st = self.state();
        st.session += 1;
        st.due = None;
    }

    /// Whether the model is reading the journal right now.
    pub fn reading(&self) -> bool {
        self.state().reading
    }

    fn run_forever(&self, slot: &Slot) {
        loop {
            let session = {
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
                st.session
            };
            self.read(slot, session);
        }
    }

    /// Reads what is unread in the journal of `session`, if anything is.
    fn read(&self, slot: &Slot, session: u64) {
        let access = Lent { slot, reader: self, session };
        // Comparing counts: a few ms at 20k entries, and the model is not loaded for it.
        let asked = Instant::now();
        let unread = access.with_workspace(|ws| Ok(!ws.meaning_status()?.is_complete()));
        debug!(ms = asked.elapsed().as_millis() as u64, ?unread, "reader: looked for unread entries");
        match unread {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => return debug!(error = %e, "reader: journal not available"),
        }
        // Loaded once per process; a missing model is reported (once) by the load itself.
        let Ok(model) = language_model() else { return };
        self.state().reading = true;
        let started = Instant::now();
        let outcome = embed_in_steps(&access, &model, &mut |_| {}, &|| self.ended(session));
        self.state().reading = false;
        match outcome {
            Ok(0) => {}
            Ok(stored) => {
                info!(stored, ms = started.elapsed().as_millis() as u64, "language model read new entries");
                // An import or a first sync waits for this reading to find its recurring situations.
                match access.with_workspace(|ws| ws.detect_patterns_after_reading()) {
                    Ok(Some(r)) => info!(created = r.created, retired = r.retired, "patterns looked for again"),
                    Ok(None) => {}
                    Err(e) => debug!(error = %e, "reader: patterns not looked for again"),
                }
            }
            Err(_) if self.ended(session) => debug!("reader stopped: the journal was locked"),
            Err(e) => warn!(error = %e, "the language model could not read the journal"),
        }
    }
}
