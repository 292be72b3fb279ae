//! Sync in the window: the Settings section (sign up / sign in, status, Sync now, devices,
//! conflicts), the sidebar's status line, and the link form that sets this device up with a journal
//! already synced from another one. The syncing itself runs in the shell (background thread).

use chrono::{DateTime, TimeZone, Utc};
use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::GetSyncActivity;
use wisdom_model::sync::SyncPhase;
use wisdom_model::validate;
use yew::prelude::*;

use crate::api;
use crate::format::day;
use crate::store::{use_store, Action, Page};

mod account;
mod conflicts;
mod link;

pub use account::SyncSection;
pub use link::LinkForm;

/// "just now", "3 min ago", "2 h ago", else the date.
pub fn ago(at: &DateTime<Utc>) -> String {
    let secs = ((js_sys::Date::now() / 1000.0) as i64 - at.timestamp()).max(0);
    match secs {
        0..=44 => "just now".into(),
        45..=89 => "1 min ago".into(),
        90..=3_599 => format!("{} min ago", (secs + 30) / 60),
        3_600..=86_399 => format!("{} h ago", secs / 3_600),
        _ => day(at),
    }
}

pub(super) fn epoch(secs: i64) -> String {
    Utc.timestamp_opt(secs, 0).single().map(|t| ago(&t)).unwrap_or_default()
}

pub(super) fn waiting(n: Option<u64>) -> String {
    match n {
        Some(1) => "1 change waiting".into(),
        Some(n) => format!("{n} changes waiting"),
        None => "changes waiting".into(),
    }
}

/// The sidebar's one line: what background sync is doing, polled every few seconds. When a sync
/// brought changes from another device, or the CLI wrote to the journal, every view refreshes.
#[function_component]
pub fn SyncBadge() -> Html {
    let store = use_store();
    let activity = use_state(|| None::<wisdom_model::sync::SyncActivity>);
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let count = std::rc::Rc::new(std::cell::Cell::new(0u32));
            let t = gloo_timers::callback::Interval::new(4_000, move || {
                count.set(count.get() + 1);
                tick.set(count.get());
            });
            move || drop(t)
        });
    }
    {
        let (activity, store) = (activity.clone(), store.clone());
        use_effect_with((*tick, store.version), move |_| {
            spawn_local(async move {
                if let Ok(a) = api::invoke(&GetSyncActivity {}).await {
                    let seen = activity.as_ref().map(|p| p.received);
                    if seen.is_some_and(|r| r != a.received) {
                        store.dispatch(Action::Changed);
                    }
                    activity.set(Some(a));
                }
            });
        });
    }
    let Some(a) = (*activity).clone() else { return html! {} };
    let (text, class) = match a.phase {
        SyncPhase::Syncing => ("Syncing…".to_string(), "busy"),
        SyncPhase::Idle => match &a.last_sync_at {
            Some(t) => (format!("Synced {}", ago(t)), "ok"),
            None => ("Not synced yet".to_string(), "ok"),
        },
        SyncPhase::Offline => match a.pending.unwrap_or(0) {
            0 => ("Offline".to_string(), "warn"),
            n => (format!("Offline · {n} waiting"), "warn"),
        },
        SyncPhase::Stopped => ("Sync paused".to_string(), "warn"),
        SyncPhase::Off => ("Sync off".to_string(), "off"),
    };
    let detail = a.error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
    let label = format!("Sync status: {text}. {detail} Open sync settings.");
    let open = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::Navigate(Page::Settings)))
    };
    html! {
        <div role="status" aria-live="polite" class="sync-line">
            <button class={classes!("ghost", "sync-badge", class)} id="sync-badge" data-phase={a.phase.as_str()}
                    aria-label={label} title={detail} onclick={open}>
                <span class="sync-dot" aria-hidden="true"></span>{ text }
            </button>
        </div>
    }
}

/// The checks that can be made before asking the server, beside their fields.
pub(super) fn check_account(server: &str, email: &str, password: &str) -> Option<(&'static str, String)> {
    let server = server.trim();
    if !(server.starts_with("http://") || server.starts_with("https://")) || server.len() < 10 {
        return Some(("server", "Give the server's address, like https://sync.example.org".into()));
    }
    if validate::email("email", email).is_err() {
        return Some(("email", "Give the email address of your sync account.".into()));
    }
    if validate::passphrase("password", password).is_err() {
        let min = validate::MIN_PASSPHRASE_CHARS;
        return Some(("password", format!("Account passwords have at least {min} characters.")));
    }
    None
}
