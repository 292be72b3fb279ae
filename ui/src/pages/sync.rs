//! Sync in the window: the Settings section (sign up / sign in, status, Sync now, devices,
//! conflicts), the sidebar's status line, and the link form that sets this device up with a journal
//! already synced from another one. The syncing itself runs in the shell (background thread).

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::json;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::{bind, day, day_time, Field};
use crate::store::{use_load, use_store, write, Action, Load, Page, WorkspaceInfo};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server: String,
    pub email: String,
    pub device_id: String,
    pub logged_in: bool,
    pub pending: u64,
    pub last_sync_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub phase: String,
    pub error: Option<ApiError>,
    pub pending: Option<u64>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub received: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device {
    device_id: String,
    name: String,
    created_at: i64,
    last_seen_at: i64,
    revoked: bool,
    current: bool,
}

/// A version that lost a sync conflict (declared once in model/).
type Conflict = wisdom_model::sync::SyncConflict<serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    pushed: u32,
    applied: u32,
    conflicts: u32,
}

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

fn epoch(secs: i64) -> String {
    Utc.timestamp_opt(secs, 0).single().map(|t| ago(&t)).unwrap_or_default()
}

fn waiting(n: Option<u64>) -> String {
    match n {
        Some(1) => "1 change waiting".into(),
        Some(n) => format!("{n} changes waiting"),
        None => "changes waiting".into(),
    }
}

/// The sidebar's one line: what background sync is doing, polled every few seconds. When a sync
/// brought changes from another device, every view refreshes.
#[function_component]
pub fn SyncBadge() -> Html {
    let store = use_store();
    let activity = use_state(|| None::<Activity>);
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
                if let Ok(a) = api::call::<Activity>("sync_activity", json!({})).await {
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
    let (text, class) = match a.phase.as_str() {
        "syncing" => ("Syncing…".to_string(), "busy"),
        "idle" => match &a.last_sync_at {
            Some(t) => (format!("Synced {}", ago(t)), "ok"),
            None => ("Not synced yet".to_string(), "ok"),
        },
        "offline" => match a.pending.unwrap_or(0) {
            0 => ("Offline".to_string(), "warn"),
            n => (format!("Offline · {n} waiting"), "warn"),
        },
        "stopped" => ("Sync paused".to_string(), "warn"),
        _ => ("Sync off".to_string(), "off"),
    };
    let detail = a.error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
    let label = format!("Sync status: {text}. {detail} Open sync settings.");
    let open = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::Navigate(Page::Settings)))
    };
    html! {
        <div role="status" aria-live="polite" class="sync-line">
            <button class={classes!("ghost", "sync-badge", class)} id="sync-badge" data-phase={a.phase.clone()}
                    aria-label={label} title={detail} onclick={open}>
                <span class="sync-dot" aria-hidden="true"></span>{ text }
            </button>
        </div>
    }
}

/// The Settings page's Sync card.
#[function_component]
pub fn SyncSection() -> Html {
    let status = use_load::<Option<SyncStatus>>("sync_status", json!({}));
    match &*status {
        Load::Ready(Some(s)) if s.logged_in => html! { <SignedIn status={s.clone()} /> },
        Load::Ready(s) => html! { <SignInForm previous={s.clone()} /> },
        Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
        Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    previous: Option<SyncStatus>,
}

/// The checks that can be made before asking the server, beside their fields.
fn check_account(server: &str, email: &str, password: &str) -> Option<(&'static str, String)> {
    let server = server.trim();
    if !(server.starts_with("http://") || server.starts_with("https://")) || server.len() < 10 {
        return Some(("server", "Give the server's address, like https://sync.example.org".into()));
    }
    if !email.contains('@') || email.trim().len() < 3 {
        return Some(("email", "Give the email address of your sync account.".into()));
    }
    if wisdom_model::validate::passphrase("password", password).is_err() {
        let min = wisdom_model::validate::MIN_PASSPHRASE_CHARS;
        return Some(("password", format!("Account passwords have at least {min} characters.")));
    }
    None
}

#[function_component]
fn SignInForm(p: &SignInProps) -> Html {
    let store = use_store();
    let server = use_state(|| p.previous.as_ref().map(|s| s.server.clone()).unwrap_or_default());
    let email = use_state(|| p.previous.as_ref().map(|s| s.email.clone()).unwrap_or_default());
    let password = use_state(String::new);
    let device = use_state(String::new);
    let creating = use_state(|| p.previous.is_none());
    let busy = use_state(|| false);
    let error = use_state(|| None::<(Option<String>, String)>);
    let submit = {
        let (store, server, email, password, device, creating, busy, error) = (
            store.clone(),
            server.clone(),
            email.clone(),
            password.clone(),
            device.clone(),
            creating.clone(),
            busy.clone(),
            error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some((field, m)) = check_account(&server, &email, &password) {
                return error.set(Some((Some(field.into()), m)));
            }
            error.set(None);
            busy.set(true);
            let command = if *creating { "sync_register" } else { "sync_login" };
            let device = (!device.trim().is_empty()).then(|| device.trim().to_string());
            let args =
                json!({ "server": server.trim(), "email": email.trim(), "password": *password, "device": device });
            let (s, busy2, error2, password) = (store.clone(), busy.clone(), error.clone(), password.clone());
            let busy3 = busy.clone();
            write(
                &store,
                command,
                args,
                move |st: SyncStatus| {
                    busy2.set(false);
                    password.set(String::new());
                    s.dispatch(Action::Notify(format!(
                        "Signed in to sync as {}. Syncing in the background.",
                        st.email
                    )));
                },
                move |e: ApiError| {
                    busy3.set(false);
                    let field = match e.field.as_deref() {
                        Some("passphrase") | Some("password") => Some("password".to_string()),
                        other => other.map(str::to_string),
                    };
                    error2.set(Some((field, e.message)));
                },
            );
        })
    };
    let err_for = |f: &str| error.as_ref().filter(|(field, _)| field.as_deref() == Some(f)).map(|(_, m)| m.clone());
    let general = error.as_ref().filter(|(f, _)| f.is_none()).map(|(_, m)| m.clone());
    let mode = |to_create: bool| {
        let (creating, error) = (creating.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            creating.set(to_create);
            error.set(None);
        })
    };
    let signed_out = p.previous.is_some();
    html! {
        <form class="stack" id="sync-form" onsubmit={submit} aria-label="Sync account">
            if signed_out {
                <p class="muted">{ "This device is signed out of sync. Sign in again to carry on; nothing local was lost." }</p>
            } else {
                <p class="muted">{ "Keep this journal on your other devices. Everything is encrypted here before it leaves: the server stores only ciphertext and never sees your passphrase." }</p>
            }
            <div class="tabs" role="tablist" aria-label="Account">
                <button type="button" role="tab" id="sync-mode-register" class={classes!("tab", creating.then_some("active"))}
                        aria-selected={(*creating).to_string()} onclick={mode(true)}>{ "Create account" }</button>
                <button type="button" role="tab" id="sync-mode-login" class={classes!("tab", (!*creating).then_some("active"))}
                        aria-selected={(!*creating).to_string()} onclick={mode(false)}>{ "Sign in" }</button>
            </div>
            <Field label="Sync server" id="sync-server" error={err_for("server")}>
                <input id="sync-server" class="mono" placeholder="https://sync.example.org" value={(*server).clone()} oninput={bind(&server)} />
            </Field>
            <div class="grid2">
                <Field label="Email" id="sync-email" error={err_for("email")}>
                    <input id="sync-email" type="email" autocomplete="username" value={(*email).clone()} oninput={bind(&email)} />
                </Field>
                <Field label="Account password" id="sync-password" error={err_for("password")}
                       hint={creating.then(|| AttrValue::from("Not your journal passphrase: a separate password for the account."))}>
                    <input id="sync-password" type="password" autocomplete={if *creating { "new-password" } else { "current-password" }}
                           value={(*password).clone()} oninput={bind(&password)} />
                </Field>
            </div>
            <Field label="This device's name (optional)" id="sync-device">
                <input id="sync-device" placeholder="e.g. Laptop" value={(*device).clone()} oninput={bind(&device)} maxlength="100" />
            </Field>
            if let Some(m) = general { <p class="field-error" role="alert" id="sync-error">{ m }</p> }
            <div class="row end">
                <button class="primary" type="submit" id="sync-submit" disabled={*busy}>
                    { match (*busy, *creating) {
                        (true, _) => "Contacting the server…",
                        (false, true) => "Create account and sync",
                        (false, false) => "Sign in and sync",
                    } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct SignedInProps {
    status: SyncStatus,
}

#[function_component]
fn SignedIn(p: &SignedInProps) -> Html {
    let store = use_store();
    let s = &p.status;
    let devices = use_load::<Vec<Device>>("sync_devices", json!({}));
    let conflicts = use_load::<Vec<Conflict>>("sync_conflicts", json!({}));
    let busy = use_state(|| false);
    let sync_now = {
        let (store, busy) = (store.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (s1, s2, b1, b2) = (store.clone(), store.clone(), busy.clone(), busy.clone());
            write(
                &store,
                "sync_now",
                json!({}),
                move |r: Report| {
                    b1.set(false);
                    let kept =
                        if r.conflicts > 0 { format!(", {} conflicts kept", r.conflicts) } else { String::new() };
                    s1.dispatch(Action::Notify(format!("Synced: sent {}, received {}{kept}.", r.pushed, r.applied)));
                },
                move |e: ApiError| {
                    b2.set(false);
                    s2.dispatch(Action::Fail(e.message));
                },
            );
        })
    };
    let logout = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let (s1, s2) = (store.clone(), store.clone());
            write(
                &store,
                "sync_logout",
                json!({}),
                move |_: ()| {
                    s1.dispatch(Action::Notify("Signed out of sync. Your journal stays on this device.".into()))
                },
                move |e: ApiError| s2.dispatch(Action::Fail(e.message)),
            );
        })
    };
    let this_name = devices.ready().and_then(|d| d.iter().find(|d| d.current).map(|d| d.name.clone()));
    html! {
        <div class="stack" id="sync-signed-in">
            <dl class="facts">
                <dt>{ "Signed in as" }</dt><dd id="sync-email-shown">{ &s.email }</dd>
                <dt>{ "Server" }</dt><dd class="mono">{ &s.server }</dd>
                <dt>{ "This device" }</dt><dd>{ this_name.unwrap_or_else(|| s.device_id.clone()) }</dd>
                <dt>{ "Last synced" }</dt>
                <dd id="sync-last">{ s.last_sync_at.as_ref().map(|t| format!("{} ({})", ago(t), day_time(t))).unwrap_or_else(|| "Not yet".into()) }</dd>
                <dt>{ "Waiting to send" }</dt>
                <dd id="sync-pending">{ if s.pending == 0 { "Nothing: all changes are on the server".to_string() } else { waiting(Some(s.pending)) } }</dd>
            </dl>
            <div class="row wrap">
                <button class="primary" id="sync-now" onclick={sync_now} disabled={*busy}>{ if *busy { "Syncing…" } else { "Sync now" } }</button>
                <button class="ghost" id="sync-logout" onclick={logout}>{ "Sign out of sync" }</button>
            </div>
            <h3 class="section-title">{ "Devices" }</h3>
            { match &*devices {
                Load::Ready(list) => html! { <DeviceList devices={list.clone()} /> },
                Load::Loading => html! { <p class="muted">{ "Asking the server…" }</p> },
                Load::Failed(m) => html! { <p class="muted">{ format!("Devices are not available right now: {m}") }</p> },
            } }
            <h3 class="section-title">{ "Conflicts" }</h3>
            { match conflicts.ready() {
                Some(list) if !list.is_empty() => html! { <ConflictList conflicts={list.clone()} /> },
                _ => html! { <p class="muted" id="sync-no-conflicts">{ "None open. When the same entry is changed on two devices at once, the later change wins and the other version is kept here, on every device, until you decide." }</p> },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DeviceListProps {
    devices: Vec<Device>,
}

#[function_component]
fn DeviceList(p: &DeviceListProps) -> Html {
    let store = use_store();
    html! {
        <ul class="device-list" id="sync-devices">
            { for p.devices.iter().map(|d| {
                let revoke = {
                    let (store, id, name) = (store.clone(), d.device_id.clone(), d.name.clone());
                    Callback::from(move |_: MouseEvent| {
                        let (s1, s2, name) = (store.clone(), store.clone(), name.clone());
                        write(&store, "sync_revoke_device", json!({ "deviceId": id }),
                            move |_: ()| s1.dispatch(Action::Notify(format!("{name} is signed out for good."))),
                            move |e: ApiError| s2.dispatch(Action::Fail(e.message)));
                    })
                };
                html! {
                    <li class={classes!("device", d.revoked.then_some("revoked"))} data-device={d.device_id.clone()}>
                        <div><strong>{ &d.name }</strong>
                            <span class="muted fine">{ format!(" · added {} · last seen {}", epoch(d.created_at), epoch(d.last_seen_at)) }</span></div>
                        { if d.current { html! { <span class="chip ok">{ "This device" }</span> } }
                          else if d.revoked { html! { <span class="chip">{ "Revoked" }</span> } }
                          else { html! { <button class="ghost small revoke-btn" onclick={revoke}
                                   aria-label={format!("Revoke {}", d.name)}>{ "Revoke" }</button> } } }
                    </li>
                }
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct ConflictListProps {
    conflicts: Vec<Conflict>,
}

/// Each open conflict with its three choices. A choice is a write: it syncs to the other devices,
/// and the list (and every page) reloads.
#[function_component]
fn ConflictList(p: &ConflictListProps) -> Html {
    let store = use_store();
    let busy = use_state(|| None::<String>);
    let choose = |c: &Conflict, how: &'static str, done: String| {
        let (store, busy, id) = (store.clone(), busy.clone(), c.id.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(Some(id.clone()));
            let (s1, s2, b1, b2, done) = (store.clone(), store.clone(), busy.clone(), busy.clone(), done.clone());
            write(
                &store,
                "resolve_conflict",
                json!({ "id": id, "how": how }),
                move |_: Conflict| {
                    b1.set(None);
                    s1.dispatch(Action::Notify(done));
                },
                move |e: ApiError| {
                    b2.set(None);
                    s2.dispatch(Action::Fail(e.message));
                },
            );
        })
    };
    html! {
        <ul class="conflict-list" id="sync-conflicts">
            { for p.conflicts.iter().map(|c| {
                let kind = crate::components::title_case(&c.entity.replace('_', " "));
                let waiting = busy.as_deref() == Some(c.id.as_str());
                let keep = choose(c, "KEEP_CURRENT", format!("Kept the current {}.", c.entity.replace('_', " ")));
                let restore = choose(c, "RESTORE", format!("Restored “{}”.", c.title));
                let both = choose(c, "KEEP_BOTH", format!("Kept both: “{}” is now a separate entry.", c.title));
                // What core cannot keep twice: the journal's name, a life area, a template (names are unique), a prompt or a setting.
                let can_copy = !matches!(c.entity.as_str(), "workspace" | "life_area" | "template" | "prompt" | "preference");
                html! {
                    <li class="conflict" id={format!("conflict-{}", c.id)} data-conflict={c.id.clone()} data-row={c.row_id.clone()}>
                        <div><span class="chip">{ kind }</span>
                            <strong>{ format!(" {}", c.title) }</strong>
                            <span class="muted fine">{ format!(" · {}", day_time(&c.recorded_at)) }</span></div>
                        <p class="muted fine">{ format!("{}. The version that lost:", crate::components::title_case(&c.reason)) }</p>
                        if let Some(text) = c.text.as_ref().filter(|t| !t.is_empty()) { <blockquote class="quote">{ text }</blockquote> }
                        <div class="row wrap" role="group" aria-label={format!("Resolve the conflict about {}", c.title)}>
                            <button class="ghost small conflict-keep" id={format!("conflict-keep-{}", c.id)} disabled={waiting} onclick={keep}
                                    title="The version in force stays; this one is set aside.">{ "Keep current" }</button>
                            <button class="ghost small conflict-restore" id={format!("conflict-restore-{}", c.id)} disabled={waiting} onclick={restore}
                                    title="This version becomes the current one again, on every device.">{ "Restore this version" }</button>
                            if can_copy {
                                <button class="ghost small conflict-both" id={format!("conflict-both-{}", c.id)} disabled={waiting} onclick={both}
                                        title="This version is kept as a separate entry beside the current one.">{ "Keep both" }</button>
                            }
                        </div>
                    </li>
                }
            }) }
        </ul>
    }
}

/// On the unlock and onboarding screens: this device gets a journal already synced elsewhere.
#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub on_cancel: Callback<MouseEvent>,
}

#[function_component]
pub fn LinkForm(p: &LinkProps) -> Html {
    let store = use_store();
    let server = use_state(String::new);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let passphrase = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<(Option<String>, String)>);
    let submit = {
        let (store, server, email, password, passphrase, busy, error) = (
            store.clone(),
            server.clone(),
            email.clone(),
            password.clone(),
            passphrase.clone(),
            busy.clone(),
            error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some((field, m)) = check_account(&server, &email, &password) {
                return error.set(Some((Some(field.into()), m)));
            }
            if passphrase.is_empty() {
                return error.set(Some((Some("passphrase".into()), "Enter the journal's passphrase.".into())));
            }
            error.set(None);
            busy.set(true);
            let args = json!({ "server": server.trim(), "email": email.trim(), "password": *password,
                               "passphrase": *passphrase, "device": null });
            let (store, busy, error, passphrase) = (store.clone(), busy.clone(), error.clone(), passphrase.clone());
            spawn_local(async move {
                match api::call::<WorkspaceInfo>("sync_link_device", args).await {
                    Ok(info) => store.dispatch(Action::Unlocked(info)),
                    Err(e) => {
                        busy.set(false);
                        let field = match e.kind.as_str() {
                            "wrongPassphrase" => Some("passphrase".to_string()),
                            "syncAuth" => Some("password".to_string()),
                            "syncUnreachable" => Some("server".to_string()),
                            _ => None,
                        };
                        if field.as_deref() == Some("passphrase") {
                            passphrase.set(String::new());
                        }
                        error.set(Some((field, e.message)));
                    }
                }
            });
        })
    };
    let err_for = |f: &str| error.as_ref().filter(|(field, _)| field.as_deref() == Some(f)).map(|(_, m)| m.clone());
    let general = error.as_ref().filter(|(f, _)| f.is_none()).map(|(_, m)| m.clone());
    html! {
        <form class="stack" id="link-form" onsubmit={submit} aria-label="Set up a journal from another device">
            <h2>{ "Use a journal from another device" }</h2>
            <p class="muted">{ "Sign in to the sync account your other device uses, then unlock the journal with its passphrase. It is copied here and kept in sync." }</p>
            <Field label="Sync server" id="link-server" error={err_for("server")}>
                <input id="link-server" class="mono" placeholder="https://sync.example.org" value={(*server).clone()} oninput={bind(&server)} />
            </Field>
            <Field label="Email" id="link-email" error={err_for("email")}>
                <input id="link-email" type="email" autocomplete="username" value={(*email).clone()} oninput={bind(&email)} />
            </Field>
            <Field label="Account password" id="link-password" error={err_for("password")}>
                <input id="link-password" type="password" autocomplete="current-password" value={(*password).clone()} oninput={bind(&password)} />
            </Field>
            <Field label="Journal passphrase" id="link-passphrase" error={err_for("passphrase")}
                   hint={Some(AttrValue::from("The passphrase you unlock this journal with on your other device."))}>
                <input id="link-passphrase" type="password" autocomplete="current-password" value={(*passphrase).clone()} oninput={bind(&passphrase)} />
            </Field>
            if let Some(m) = general { <p class="field-error" role="alert" id="link-error">{ m }</p> }
            <div class="row">
                <button type="button" class="ghost" onclick={p.on_cancel.clone()} id="link-cancel">{ "Back" }</button>
                <button type="submit" class="primary wide" id="link-submit" disabled={*busy}>
                    { if *busy { "Linking… receiving your journal" } else { "Link this device" } }
                </button>
            </div>
        </form>
    }
}
