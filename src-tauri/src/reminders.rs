//! Reminders while the app runs: one thread that asks the unlocked journal which reminders fell
//! due since it last asked (core's `reminders_due`, which holds the whole rule: the time, the
//! zone, the reviews, the words) and shows each as the OS's own notification. It sleeps until the
//! next one (`next_reminder_at`), at most a minute (settings may arrive by sync), and wakes at once
//! when the settings change here. Locked, it asks nothing and shows nothing; a reminder whose time
//! passed while the journal was locked or the app closed is not shown late.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Wry};
use tauri_plugin_notification::NotificationExt;
use tracing::{debug, info, warn};
use wisdom_model::Reminder;

use crate::sync::{lock_slot, start_once, Slot};

/// The longest sleep: settings that arrive by sync, or a clock that moved, are seen this late.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);

#[derive(Default)]
struct State {
    /// Reminders due after this instant are still to be shown (None while locked).
    since: Option<DateTime<Utc>>,
    /// Something changed: look again now.
    woken: bool,
    started: bool,
}

#[derive(Default)]
pub struct Reminders {
    state: Mutex<State>,
    wake: Condvar,
    app: Mutex<Option<AppHandle<Wry>>>,
}

impl Reminders {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where notifications are shown from (set once the app is built).
    pub fn attach(&self, app: AppHandle<Wry>) {
        *self.app.lock().unwrap_or_else(|p| p.into_inner()) = Some(app);
    }

    /// Starts the thread on first use; it lives as long as the app.
    pub fn start(self: &Arc<Self>, slot: &Slot) {
        let (me, slot) = (self.clone(), slot.clone());
        start_once(&mut self.state().started, "reminders", "the reminders thread", move || me.run_forever(&slot));
    }

    /// A journal was unlocked: reminders from now on.
    pub fn kick(&self) {
        let mut st = self.state();
        st.since = Some(Utc::now());
        st.woken = true;
        self.wake.notify_one();
    }

    /// The settings changed: look again now.
    pub fn nudge(&self) {
        let mut st = self.state();
        st.woken = true;
        self.wake.notify_one();
    }

    /// The journal was locked: nothing until the next unlock.
    pub fn reset(&self) {
        let mut st = self.state();
        st.since = None;
        st.woken = true;
        self.wake.notify_one();
    }

    fn run_forever(&self, slot: &Slot) {
        loop {
            let since = {
                let mut st = self.state();
                st.woken = false;
                st.since
            };
            let sleep = match since {
                Some(since) => self.look(slot, since),
                None => None,
            };
            let mut st = self.state();
            while !st.woken {
                st = match sleep {
                    Some(d) => {
                        let (st, timeout) = self.wake.wait_timeout(st, d).unwrap_or_else(|p| p.into_inner());
                        if timeout.timed_out() {
                            break;
                        }
                        st
                    }
                    None => self.wake.wait(st).unwrap_or_else(|p| p.into_inner()),
                };
            }
        }
    }

    /// Shows what fell due in `(since, now]`; returns how long to sleep.
    fn look(&self, slot: &Slot, since: DateTime<Utc>) -> Option<Duration> {
        let now = Utc::now();
        let asked = {
            let guard = lock_slot(slot);
            let ws = guard.as_ref()?;
            ws.reminders_due(since, now).and_then(|due| Ok((due, ws.next_reminder_at(now)?)))
        };
        let (due, next) = match asked {
            Ok(found) => found,
            Err(e) => {
                warn!(error = %e, "could not look for reminders");
                return Some(LONGEST_SLEEP);
            }
        };
        {
            // Only if no lock or unlock came meanwhile.
            let mut st = self.state();
            if st.since == Some(since) {
                st.since = Some(now);
            }
        }
        for r in &due {
            self.show(r);
        }
        let until = next.map(|at| (at - now).to_std().unwrap_or_default());
        debug!(next = ?next, "reminders: sleeping");
        Some(until.map_or(LONGEST_SLEEP, |d| d.min(LONGEST_SLEEP)))
    }

    fn show(&self, r: &Reminder) {
        let app = self.app.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let Some(app) = app else { return };
        match app.notification().builder().title(&r.title).body(&r.body).show() {
            Ok(()) => info!(kind = ?r.kind, "reminder shown"),
            Err(e) => warn!(error = %e, "could not show a reminder"),
        }
    }
}
