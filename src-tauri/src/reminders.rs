//! Reminders while the app runs, its journal unlocked or locked (idle lock, the tray): one thread
//! that, for every journal of this device with reminders on, asks core's rule
//! (`due_between_journals`: the time, the zone, the reviews, a day already written, the words,
//! each journal named when several remind) which reminders fell due since it last looked, and
//! shows each as the OS's own notification. A locked journal cannot be read, so the rule runs on
//! its schedule as core keeps it in the device registry (`Registry::remember_reminders`: a time,
//! a zone, dates, no word of the journal); the unlocked journal's schedule is made afresh at each
//! look and kept there, and once more as the journal locks. The thread sleeps until the next
//! reminder, at most a minute (settings may arrive by sync), and wakes at once after a write here.
//! A reminder whose time passed while the app was closed is not shown late.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Wry};
use tauri_plugin_notification::NotificationExt;
use tracing::{debug, info, warn};
use wisdom_core::reminders::{due_between_journals, ReminderSchedule};
use wisdom_core::{Registry, Workspace};
use wisdom_model::Reminder;

use crate::sync::{lock_slot, start_once, Slot};

/// The longest sleep: settings that arrive by sync, or a clock that moved, are seen this late.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);

#[derive(Default)]
struct State {
    /// Reminders due after this instant are still to be shown (set when the thread starts).
    since: Option<DateTime<Utc>>,
    /// Something changed: look again now.
    woken: bool,
    started: bool,
}

pub struct Reminders {
    state: Mutex<State>,
    wake: Condvar,
    app: Mutex<Option<AppHandle<Wry>>>,
    /// The device registry, where the schedules are kept.
    registry: PathBuf,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            state: Mutex::default(),
            wake: Condvar::new(),
            app: Mutex::default(),
            registry: Registry::default_path(),
        }
    }
}

impl Reminders {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where notifications are shown from (set once the app is built).
    pub fn attach(&self, app: AppHandle<Wry>) {
        *self.app.lock().unwrap_or_else(|p| p.into_inner()) = Some(app);
    }

    /// Starts the thread (once, as the app starts); reminders from now on, for as long as the app
    /// runs.
    pub fn start(self: &Arc<Self>, slot: &Slot) {
        let (me, slot) = (self.clone(), slot.clone());
        let mut st = self.state();
        st.since.get_or_insert_with(Utc::now);
        start_once(&mut st.started, "reminders", "the reminders thread", move || me.run_forever(&slot));
    }

    /// A journal was unlocked, written or its settings changed: look again now (and keep its
    /// schedule as it is now).
    pub fn nudge(&self) {
        let mut st = self.state();
        st.woken = true;
        self.wake.notify_one();
    }

    /// The journal is about to lock: keeps its schedule as it is now, for while it is locked.
    pub fn remember(&self, ws: &Workspace) {
        let kept = Registry::load(&self.registry).and_then(|mut reg| reg.remember_reminders(ws));
        if let Err(e) = kept {
            warn!(error = %e, "could not keep the reminders' schedule for while the journal is locked");
        }
        self.nudge();
    }

    fn run_forever(&self, slot: &Slot) {
        loop {
            let since = {
                let mut st = self.state();
                st.woken = false;
                st.since
            };
            let sleep = since.map_or(LONGEST_SLEEP, |since| {
                let (due, sleep) = self.look(slot, since, Utc::now());
                for r in &due {
                    self.show(r);
                }
                sleep
            });
            let mut st = self.state();
            while !st.woken {
                let (next, timeout) = self.wake.wait_timeout(st, sleep).unwrap_or_else(|p| p.into_inner());
                st = next;
                if timeout.timed_out() {
                    break;
                }
            }
        }
    }

    /// What fell due in `(since, now]`, and how long to sleep then.
    fn look(&self, slot: &Slot, since: DateTime<Utc>, now: DateTime<Utc>) -> (Vec<Reminder>, Duration) {
        let schedules = schedules(&self.registry, slot);
        {
            // Only if nobody moved it meanwhile.
            let mut st = self.state();
            if st.since == Some(since) {
                st.since = Some(now);
            }
        }
        let due = due_between_journals(&schedules, since, now);
        let next = schedules.iter().map(|(_, s)| s.next_after(now)).min();
        debug!(next = ?next, journals = schedules.len(), "reminders: sleeping");
        (due, next.map_or(LONGEST_SLEEP, |at| (at - now).to_std().unwrap_or_default().min(LONGEST_SLEEP)))
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

/// The schedule of every journal of this device with reminders on, with its name: the unlocked
/// one's made from the journal now (and kept in the registry), the others' as the registry keeps
/// them.
fn schedules(registry: &Path, slot: &Slot) -> Vec<(String, ReminderSchedule)> {
    let mut registry =
        Registry::load(registry).inspect_err(|e| warn!(error = %e, "could not read the reminders' schedules")).ok();
    let live = {
        let guard = lock_slot(slot);
        guard.as_ref().map(|ws| {
            let made = match registry.as_mut() {
                Some(reg) => reg.remember_reminders(ws).or_else(|e| {
                    warn!(error = %e, "could not keep the reminders' schedule");
                    ws.reminder_schedule()
                }),
                None => ws.reminder_schedule(),
            };
            let made = made.inspect_err(|e| warn!(error = %e, "could not look for reminders")).ok().flatten();
            (ws.id().to_string(), ws.name().unwrap_or_default(), made)
        })
    };
    let mut out: Vec<(String, ReminderSchedule)> = registry
        .iter()
        .flat_map(|reg| reg.reminder_schedules())
        .filter(|(entry, _)| live.as_ref().is_none_or(|(open, _, _)| *open != entry.id))
        .map(|(entry, s)| (entry.name.clone(), s.clone()))
        .collect();
    out.extend(live.and_then(|(_, name, s)| Some((name, s?))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration as Span, Timelike};
    use wisdom_core::{Clock, KdfParams, Passphrase};
    use wisdom_model::{PracticeSettings, ReminderKind};

    /// A journal with reminders at `at` (UTC), listed in the registry as the shell lists it.
    fn journal(dir: &Path, name: &str, registry: &Path, at: DateTime<Utc>) -> Workspace {
        let path = dir.join(format!("{name}.wisdom"));
        let mut ws = Workspace::create(
            &path,
            name,
            &Passphrase::new("maple window seventeen"),
            KdfParams::MINIMUM,
            Clock::system(),
        )
        .unwrap();
        ws.set_timezone("UTC").unwrap();
        let time = at.time().with_nanosecond(0);
        ws.set_practice_settings(&PracticeSettings { reminder_time: time, ..Default::default() }).unwrap();
        Registry::load(registry).unwrap().remember(&ws, None).unwrap();
        ws
    }

    #[test]
    fn a_locked_journal_still_reminds_from_its_kept_schedule_and_the_open_one_from_itself() {
        let dir = tempfile::tempdir().unwrap();
        let reminders = Reminders { registry: dir.path().join("registry.json"), ..Default::default() };
        // Noon of the system's today (the workspaces' clock), so the half hour looked at never
        // crosses midnight: past it, the entry written "today" would be yesterday's.
        let t0 = Utc::now().date_naive().and_hms_opt(12, 0, 0).unwrap().and_utc();
        let slot: Slot = Arc::default();
        let diary = journal(dir.path(), "diary", &reminders.registry, t0 + Span::minutes(30));
        *lock_slot(&slot) = Some(diary);

        // Locked as the shell locks: the schedule kept first, then the key dropped.
        let diary = lock_slot(&slot).take().unwrap();
        reminders.remember(&diary);
        diary.lock();
        let (due, sleep) = reminders.look(&slot, t0, t0 + Span::minutes(29));
        assert!(due.is_empty(), "not yet: {due:?}");
        assert_eq!(sleep, Duration::from_secs(60), "the next one is further than a minute");
        let (due, sleep) = reminders.look(&slot, t0, t0 + Span::seconds(30 * 60 - 20));
        assert!(due.is_empty());
        assert_eq!(sleep, Duration::from_secs(20), "woken for the next one");
        let (due, _) = reminders.look(&slot, t0, t0 + Span::minutes(31));
        assert_eq!(due.iter().map(|r| r.kind).collect::<Vec<_>>(), vec![ReminderKind::Daily], "locked, and reminded");

        // Another journal open: its own reminder (read from it), and the locked one's still.
        let mut work = journal(dir.path(), "work", &reminders.registry, t0 + Span::minutes(10));
        work.create_event(&wisdom_model::NewEvent {
            life_area: Some("work".into()),
            kind: wisdom_model::EventType::Progress,
            category: wisdom_model::EventCategory::Professional,
            tone: wisdom_model::EventTone::Positive,
            title: "Already wrote today".into(),
            description: String::new(),
            narrative: None,
            occurred_at: Some(t0),
            emotional_charge: 1,
            tags: Vec::new(),
            life_area_id: None,
        })
        .unwrap();
        *lock_slot(&slot) = Some(work);
        let (due, _) = reminders.look(&slot, t0, t0 + Span::minutes(31));
        assert_eq!(due.len(), 1, "the open journal has today's entry: only the locked one reminds: {due:?}");
        assert_eq!(due[0].title, "Time to reflect · diary", "two journals remind: each names its own");
        let kept = Registry::load(&reminders.registry).unwrap();
        assert_eq!(kept.reminder_schedules().count(), 2, "the open journal's schedule is kept too");
    }
}
