//! The Settings page's Sync card: sign up or in, then the account's status, Sync now, sign out,
//! the devices and the open conflicts.

use wisdom_model::commands::{
    Command, GetSyncStatus, Secret, SyncAccount, SyncConflicts, SyncDevices, SyncLogin, SyncLogout, SyncNow,
    SyncRegister, SyncRevokeDevice,
};
use wisdom_model::sync::{DeviceInfo as Device, SyncStatus};
use yew::prelude::*;

use super::conflicts::ConflictList;
use super::{ago, check_account, epoch, waiting};
use crate::api::ShellError;
use crate::components::Field;
use crate::dom::bind;
use crate::format::day_time;
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

/// The Settings page's Sync card.
#[function_component]
pub fn SyncSection() -> Html {
    let status = use_load(GetSyncStatus {});
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

/// Signs up (`SyncRegister`) or in (`SyncLogin`) with `account`: both answer the sync status.
fn sign_in<C: Command<Reply = SyncStatus> + From<SyncAccount> + 'static>(
    store: &StoreHandle,
    account: SyncAccount,
    done: impl FnOnce(SyncStatus) + 'static,
    failed: impl FnOnce(ShellError) + 'static,
) {
    write(store, C::from(account), done, failed)
}

#[function_component]
fn SignInForm(p: &SignInProps) -> Html {
    let store = use_store();
    let server = use_state(|| p.previous.as_ref().map(|s| s.server.clone()).unwrap_or_default());
    let email = use_state(|| p.previous.as_ref().map(|s| s.email.clone()).unwrap_or_default());
    let password = use_state(String::new);
    {
        let password = password.clone();
        crate::kept::use_forget_on_visit(move || crate::kept::clear(&password));
    }
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
            let device = (!device.trim().is_empty()).then(|| device.trim().to_string());
            let account = SyncAccount {
                server: server.trim().to_string(),
                email: email.trim().to_string(),
                password: Secret((*password).clone()),
                device,
            };
            let (s, busy2, error2, password) = (store.clone(), busy.clone(), error.clone(), password.clone());
            let busy3 = busy.clone();
            let sign_in = if *creating { sign_in::<SyncRegister> } else { sign_in::<SyncLogin> };
            sign_in(
                &store,
                account,
                move |st: SyncStatus| {
                    busy2.set(false);
                    password.set(String::new());
                    s.dispatch(Action::Notify(format!(
                        "Signed in to sync as {}. Syncing in the background.",
                        st.email
                    )));
                },
                move |e: ShellError| {
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
    let devices = use_load(SyncDevices {});
    let conflicts = use_load(SyncConflicts { all: false });
    let busy = use_state(|| false);
    let sync_now = {
        let (store, busy) = (store.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (s1, s2, b1, b2) = (store.clone(), store.clone(), busy.clone(), busy.clone());
            write(
                &store,
                SyncNow {},
                move |r| {
                    b1.set(false);
                    let kept =
                        if r.conflicts > 0 { format!(", {} conflicts kept", r.conflicts) } else { String::new() };
                    s1.dispatch(Action::Notify(format!("Synced: sent {}, received {}{kept}.", r.pushed, r.applied)));
                },
                move |e: ShellError| {
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
                SyncLogout {},
                move |_| s1.dispatch(Action::Notify("Signed out of sync. Your journal stays on this device.".into())),
                move |e: ShellError| s2.dispatch(Action::Fail(e.message)),
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
                        write(&store, SyncRevokeDevice { device_id: id.clone() },
                            move |_| s1.dispatch(Action::Notify(format!("{name} is signed out for good."))),
                            move |e: ShellError| s2.dispatch(Action::Fail(e.message)));
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
