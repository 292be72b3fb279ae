//! Before a journal is open: create one (onboarding), unlock one (or set a new passphrase with the
//! recovery key: sections/recovery.rs; or, when its files do not open, restore one of its backups:
//! sections/backups.rs), or link this device to a journal already synced from
//! another (sections/sync).

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use wisdom_model::commands::{CreateWorkspace, Secret, UnlockWorkspace};
use wisdom_model::validate::{self, passphrase_advice};
use wisdom_model::{CreatedWorkspace, ErrorKind, WorkspaceInfo};

use crate::api;
use crate::components::{Breakable, Field, StrengthMeter};
use crate::dom::bind;
use crate::store::{use_store, Action, WorkspaceEntry};

#[derive(Properties, PartialEq)]
pub struct GateProps {
    pub workspaces: Vec<WorkspaceEntry>,
    pub creating: bool,
}

#[function_component]
pub fn Gate(p: &GateProps) -> Html {
    crate::dom::use_painted_mark("wisdom:gate");
    let linking = use_state(|| false);
    // Once the journal is made (recovery key, then the reminder), linking this device is no longer
    // the question.
    let made = use_state(|| false);
    let on_made = {
        let made = made.clone();
        Callback::from(move |()| made.set(true))
    };
    let link = {
        let linking = linking.clone();
        Callback::from(move |_: MouseEvent| linking.set(true))
    };
    let back = {
        let linking = linking.clone();
        Callback::from(move |_: MouseEvent| linking.set(false))
    };
    // "Forgot passphrase?" for the journal chosen on the unlock form.
    let recovering = use_state(|| None::<WorkspaceEntry>);
    // "Restore a backup" for a chosen journal whose files do not open.
    let restoring = use_state(|| None::<WorkspaceEntry>);
    let restore = {
        let restoring = restoring.clone();
        Callback::from(move |w: WorkspaceEntry| restoring.set(Some(w)))
    };
    let back_from_restore = {
        let restoring = restoring.clone();
        Callback::from(move |_: MouseEvent| restoring.set(None))
    };
    let restored = {
        let restoring = restoring.clone();
        Callback::from(move |()| restoring.set(None))
    };
    let forgot = {
        let recovering = recovering.clone();
        Callback::from(move |w: WorkspaceEntry| recovering.set(Some(w)))
    };
    let back_to_unlock = {
        let recovering = recovering.clone();
        Callback::from(move |_: MouseEvent| recovering.set(None))
    };
    let recovered = {
        let store = use_store();
        Callback::from(move |info: WorkspaceInfo| {
            let store = store.clone();
            spawn_local(async move {
                super::prepare_first_page().await;
                store.dispatch(Action::Unlocked(info));
                store.dispatch(Action::Notify(
                    "New passphrase set. Your recovery key still works; make a new one in Settings > Security if it may have been seen."
                        .into(),
                ));
            });
        })
    };
    html! {
        <div class="gate">
            <div class="gate-art" aria-hidden="true">
                <div class="emblem huge"></div>
                <h1>{ "WisdomOS" }</h1>
                <p>{ "A private journal for your whole life. Everything stays on this device, encrypted with a passphrase only you know." }</p>
            </div>
            <div class="gate-card">
              <div class="gate-panel" id="gate-panel">
                if *linking {
                    <crate::sections::sync::LinkForm on_cancel={back} />
                } else if p.creating || p.workspaces.is_empty() {
                    <CreateForm can_cancel={!p.workspaces.is_empty()} on_made={on_made} />
                } else if let Some(w) = (*recovering).clone() {
                    <crate::sections::recovery::RecoverForm workspace={w} on_cancel={back_to_unlock} on_recovered={recovered} />
                } else if let Some(w) = (*restoring).clone() {
                    <crate::sections::backups::RestoreLocked workspace={w} on_cancel={back_from_restore} on_restored={restored} />
                } else {
                    <UnlockForm workspaces={p.workspaces.clone()} on_forgot={forgot} on_restore={restore} />
                }
                if !*linking && recovering.is_none() && restoring.is_none() && !*made {
                    <button type="button" class="link gate-alt" id="link-device" onclick={link}>
                        { "Already syncing on another device? Link this one" }
                    </button>
                }
              </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    can_cancel: bool,
    /// The journal was made and its recovery key is on screen.
    on_made: Callback<()>,
}

#[function_component]
fn CreateForm(p: &CreateProps) -> Html {
    let store = use_store();
    let name = use_state(|| "My journal".to_string());
    let pass = use_state(String::new);
    let confirm = use_state(String::new);
    let understood = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<(Option<String>, String)>);
    let created = use_state(|| None::<CreatedWorkspace>);
    let mismatch = !confirm.is_empty() && *confirm != *pass;

    let submit = {
        let on_made = p.on_made.clone();
        let (store, name, pass, confirm, understood, busy, error, created) = (
            store.clone(),
            name.clone(),
            pass.clone(),
            confirm.clone(),
            understood.clone(),
            busy.clone(),
            error.clone(),
            created.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if name.trim().is_empty() {
                return error.set(Some((Some("name".into()), "Give your journal a name.".into())));
            }
            if validate::passphrase("passphrase", &pass).is_err() {
                return error.set(Some((Some("passphrase".into()), passphrase_advice())));
            }
            if *pass != *confirm {
                return error.set(Some((Some("confirm".into()), "The two passphrases are not the same.".into())));
            }
            if !*understood {
                return error.set(Some((
                    Some("understood".into()),
                    "Please confirm you understand that only the recovery key can replace a lost passphrase.".into(),
                )));
            }
            error.set(None);
            busy.set(true);
            let (store, busy, error, created) = (store.clone(), busy.clone(), error.clone(), created.clone());
            let on_made = on_made.clone();
            let args = CreateWorkspace { name: name.trim().to_string(), passphrase: Secret((*pass).clone()) };
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(c) if c.recovery_key.is_some() => {
                        created.set(Some(c));
                        on_made.emit(());
                    }
                    Ok(c) => store.dispatch(Action::Unlocked(c.info)),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some((e.field, e.message)));
                    }
                }
            });
        })
    };
    // A field's error shows until the field is put right, not until the next submit.
    let still_wrong = |f: &str| match f {
        "name" => name.trim().is_empty(),
        "passphrase" => validate::passphrase("passphrase", &pass).is_err(),
        "confirm" => *confirm != *pass,
        "understood" => !*understood,
        _ => true,
    };
    let err_for = |f: &str| {
        error.as_ref().filter(|(field, _)| field.as_deref() == Some(f) && still_wrong(f)).map(|(_, m)| m.clone())
    };
    let general = error.as_ref().filter(|(f, _)| f.is_none()).map(|(_, m)| m.clone());
    let cancel = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::StartCreating(false)))
    };
    let toggle = {
        let understood = understood.clone();
        Callback::from(move |_: Event| understood.set(!*understood))
    };
    if let Some(c) = (*created).clone() {
        return html! { <RecoveryKeyShown created={c} /> };
    }
    html! {
        <form class="stack" onsubmit={submit} id="create-form" aria-label="Create a journal">
            <h2>{ "Create your journal" }</h2>
            <p class="muted">{ "It is stored encrypted on this computer. Nobody can read it without your passphrase." }</p>
            <Field label="Journal name" id="ws-name" error={err_for("name")}>
                <input id="ws-name" value={(*name).clone()} oninput={bind(&name)} maxlength="120" />
            </Field>
            <Field label="Passphrase" id="ws-pass" error={err_for("passphrase")} hint={Some(AttrValue::from("A few unrelated words are easy to remember and hard to guess."))}>
                <input id="ws-pass" type="password" autocomplete="new-password" value={(*pass).clone()} oninput={bind(&pass)} />
            </Field>
            <StrengthMeter pass={(*pass).clone()} />
            <Field label="Repeat passphrase" id="ws-confirm"
                   error={err_for("confirm").or(mismatch.then(|| "Not the same as above yet.".to_string()))}>
                <input id="ws-confirm" type="password" autocomplete="new-password" value={(*confirm).clone()} oninput={bind(&confirm)} />
            </Field>
            <div class="warning" role="note">
                <strong>{ "Keep your passphrase safe." }</strong>
                { " There is no reset link and no back door: only the recovery key shown next can replace a lost passphrase. Write both down somewhere safe." }
            </div>
            <label class="check">
                <input type="checkbox" id="ws-understood" checked={*understood} onchange={toggle} />
                { "I understand that only my recovery key can replace a lost passphrase." }
            </label>
            if let Some(m) = err_for("understood").or(general) { <p class="field-error" role="alert">{ m }</p> }
            <div class="row">
                if p.can_cancel { <button type="button" class="ghost" onclick={cancel}>{ "Back" }</button> }
                <button type="submit" class="primary wide" id="create-submit" disabled={*busy}>
                    { if *busy { "Creating… (securing your key)" } else { "Create journal" } }
                </button>
            </div>
        </form>
    }
}

/// The shell's answer to `create_workspace`: the journal, and its recovery key to show once.
#[derive(Properties, PartialEq)]
struct RecoveryKeyProps {
    created: CreatedWorkspace,
}

/// The new journal's recovery key, shown once before the journal opens; then the offer of a
/// daily reminder (sections/practice.rs), and the journal opens.
#[function_component]
fn RecoveryKeyShown(p: &RecoveryKeyProps) -> Html {
    let store = use_store();
    let noted = use_state(|| false);
    let done = {
        let noted = noted.clone();
        Callback::from(move |_: MouseEvent| noted.set(true))
    };
    if *noted {
        let info = p.created.info.clone();
        let open = Callback::from(move |notice: Option<String>| {
            store.dispatch(Action::Unlocked(info.clone()));
            if let Some(n) = notice {
                store.dispatch(Action::Notify(n));
            }
        });
        return html! { <crate::sections::practice::FirstReminder on_done={open} /> };
    }
    html! {
        <section class="stack" id="recovery-key-panel" aria-label="Your recovery key">
            <h2>{ "Your recovery key" }</h2>
            <p>{ "If you ever forget your passphrase, this key sets a new one. It is shown only now: write it down, or save it as a file and print it, and keep it away from this computer." }</p>
            <code id="recovery-key" class="recovery-key"><Breakable text={p.created.recovery_key.clone().unwrap_or_default()} after='-' /></code>
            <crate::sections::recovery::SaveKeyButton journal={p.created.info.name.clone()} recovery_key={p.created.recovery_key.clone().unwrap_or_default()} />
            <div class="warning" role="note">{ "Anyone with this key and your journal's files can read your journal." }</div>
            <button type="button" class="primary wide" id="recovery-continue" onclick={done}>{ "I have written it down" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UnlockProps {
    workspaces: Vec<WorkspaceEntry>,
    /// "Forgot passphrase?", for the chosen journal.
    on_forgot: Callback<WorkspaceEntry>,
    /// "Restore a backup", offered for the chosen journal when its files did not open.
    on_restore: Callback<WorkspaceEntry>,
}

#[function_component]
fn UnlockForm(p: &UnlockProps) -> Html {
    let store = use_store();
    let mut sorted = p.workspaces.clone();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.last_opened_at));
    let chosen = use_state(|| sorted.first().map(|w| w.id.clone()).unwrap_or_default());
    let pass = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    // The chosen journal's files did not open: its backups are offered.
    let damaged = use_state(|| false);
    let shake = use_state(|| 0u32);
    let submit = {
        let (store, chosen, pass, busy, error, shake) =
            (store.clone(), chosen.clone(), pass.clone(), busy.clone(), error.clone(), shake.clone());
        let damaged = damaged.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let args = UnlockWorkspace { id: (*chosen).clone(), passphrase: Secret((*pass).clone()) };
            let (store, busy, error, pass, shake, damaged) =
                (store.clone(), busy.clone(), error.clone(), pass.clone(), shake.clone(), damaged.clone());
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(info) => {
                        crate::dom::mark("wisdom:unlocked");
                        // The dashboard's data first, so it appears whole in one frame.
                        super::prepare_first_page().await;
                        crate::dom::mark("wisdom:prefetched");
                        store.dispatch(Action::Unlocked(info))
                    }
                    Err(e) => {
                        busy.set(false);
                        pass.set(String::new());
                        shake.set(*shake + 1);
                        damaged.set(e.kind == ErrorKind::Damaged);
                        error.set(Some(e.message));
                    }
                }
            });
        })
    };
    let create = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::StartCreating(true)))
    };
    let forgot = {
        let (chosen, on_forgot, list) = (chosen.clone(), p.on_forgot.clone(), sorted.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = list.iter().find(|w| w.id == *chosen) {
                on_forgot.emit(w.clone());
            }
        })
    };
    let restore = {
        let (chosen, on_restore, list) = (chosen.clone(), p.on_restore.clone(), sorted.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = list.iter().find(|w| w.id == *chosen) {
                on_restore.emit(w.clone());
            }
        })
    };
    html! {
        <form class={classes!("stack", (*shake % 2 == 1).then_some("shake"), (*shake > 0 && *shake % 2 == 0).then_some("shake2"))}
              onsubmit={submit} id="unlock-form" aria-label="Unlock a journal">
            <h2>{ "Welcome back" }</h2>
            <p class="muted">{ "Enter your passphrase to unlock your journal." }</p>
            <Field label="Journal" id="unlock-ws">
                <select id="unlock-ws" onchange={bind(&chosen)}>
                    { for sorted.iter().map(|w| html! {
                        <option value={w.id.clone()} selected={w.id == *chosen}>{ &w.name }</option>
                    }) }
                </select>
            </Field>
            <Field label="Passphrase" id="unlock-pass" error={(*error).clone()}>
                <input id="unlock-pass" type="password" autocomplete="current-password" autofocus=true
                       value={(*pass).clone()} oninput={bind(&pass)} />
            </Field>
            <button type="submit" class="primary wide" id="unlock-submit" disabled={*busy || pass.is_empty()}>
                { if *busy { "Unlocking…" } else { "Unlock" } }
            </button>
            if *damaged {
                <button type="button" class="primary wide" onclick={restore} id="unlock-restore">{ "Restore a backup…" }</button>
            }
            <button type="button" class="link" onclick={forgot} id="forgot-pass">{ "Forgot passphrase?" }</button>
            <button type="button" class="link" onclick={create} id="new-journal">{ "Create another journal" }</button>
        </form>
    }
}
