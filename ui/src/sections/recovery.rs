//! The recovery key: "Forgot passphrase?" on the unlock screen (the key and a new passphrase
//! twice, then the journal opens), and Settings > Security (whether a key is set; a new one,
//! shown once); a key on screen can be saved as a sheet to print or keep. The key's format and the passphrase's rules are core's and model's: the form asks
//! `validate::passphrase` early, as onboarding does, and shows what the shell answers beside the
//! field it names.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::{HasRecoveryKey, RecoverWorkspace, RotateRecoveryKey, SaveRecoveryKey, Secret};
use wisdom_model::validate::{self, passphrase_advice};
use wisdom_model::{ErrorKind, ShellError, WorkspaceEntry, WorkspaceInfo};
use yew::prelude::*;

use crate::api;
use crate::components::{Breakable, Field, StrengthMeter};
use crate::dom::bind;
use crate::store::{use_load, use_store, write, Action, Load, Session};

#[derive(Properties, PartialEq)]
pub struct RecoverProps {
    /// The journal whose passphrase was forgotten (the one chosen on the unlock screen).
    pub workspace: WorkspaceEntry,
    pub on_cancel: Callback<MouseEvent>,
    /// The journal, unlocked with the new passphrase.
    pub on_recovered: Callback<WorkspaceInfo>,
}

/// Which of the form's inputs an error from the shell belongs beside.
fn field_of(e: &ShellError) -> Option<&'static str> {
    match (e.field.as_deref(), e.kind) {
        (Some("recovery key"), _) | (None, ErrorKind::WrongPassphrase) => Some("key"),
        (Some("passphrase"), _) => Some("pass"),
        _ => None,
    }
}

/// "Forgot passphrase?": sets a new passphrase with the recovery key, then unlocks.
#[function_component]
pub fn RecoverForm(p: &RecoverProps) -> Html {
    let key = use_state(String::new);
    let pass = use_state(String::new);
    let confirm = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<(Option<&'static str>, String)>);
    let submit = {
        let (key, pass, confirm, busy, error) =
            (key.clone(), pass.clone(), confirm.clone(), busy.clone(), error.clone());
        let (id, done) = (p.workspace.id.clone(), p.on_recovered.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if key.trim().is_empty() {
                return error.set(Some((
                    Some("key"),
                    "Type the recovery key you were shown when the journal was made.".into(),
                )));
            }
            if validate::passphrase("passphrase", &pass).is_err() {
                return error.set(Some((Some("pass"), passphrase_advice())));
            }
            if *pass != *confirm {
                return error.set(Some((Some("confirm"), "The two passphrases are not the same.".into())));
            }
            error.set(None);
            busy.set(true);
            let args = RecoverWorkspace {
                id: id.clone(),
                recovery_key: Secret((*key).clone()),
                new_passphrase: Secret((*pass).clone()),
            };
            let (busy, error, done) = (busy.clone(), error.clone(), done.clone());
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(info) => done.emit(info),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some((field_of(&e), e.message)));
                    }
                }
            });
        })
    };
    let err_for = |f: &str| error.as_ref().filter(|(field, _)| *field == Some(f)).map(|(_, m)| m.clone());
    let general = error.as_ref().filter(|(f, _)| f.is_none()).map(|(_, m)| m.clone());
    let mismatch = !confirm.is_empty() && *confirm != *pass;
    html! {
        <form class="stack" onsubmit={submit} id="recover-form" aria-label="Set a new passphrase with the recovery key">
            <h2>{ "Forgot your passphrase?" }</h2>
            <p class="muted">{ format!("Your recovery key sets a new passphrase for “{}”. The journal is backed up first.", p.workspace.name) }</p>
            <Field label="Recovery key" id="rk-key" error={err_for("key")}
                   hint={Some(AttrValue::from("8 groups of 4 letters and digits, as you wrote it down; case and dashes do not matter."))}>
                <input id="rk-key" class="mono" autocomplete="off" spellcheck="false" autofocus=true
                       placeholder="ABCD-EFGH-…" value={(*key).clone()} oninput={bind(&key)} />
            </Field>
            <Field label="New passphrase" id="rk-pass" error={err_for("pass")}>
                <input id="rk-pass" type="password" autocomplete="new-password" value={(*pass).clone()} oninput={bind(&pass)} />
            </Field>
            <StrengthMeter pass={(*pass).clone()} of="New passphrase" />
            <Field label="Repeat new passphrase" id="rk-confirm"
                   error={err_for("confirm").or(mismatch.then(|| "Not the same as above yet.".to_string()))}>
                <input id="rk-confirm" type="password" autocomplete="new-password" value={(*confirm).clone()} oninput={bind(&confirm)} />
            </Field>
            <p class="muted">{ "Your recovery key goes on working. If it may have been seen, make a new one in Settings > Security." }</p>
            if let Some(m) = general { <p class="field-error" role="alert">{ m }</p> }
            <div class="row">
                <button type="button" class="ghost" id="rk-cancel" onclick={p.on_cancel.clone()}>{ "Back" }</button>
                <button type="submit" class="primary wide" id="rk-submit" disabled={*busy}>
                    { if *busy { "Setting the new passphrase…" } else { "Set new passphrase and unlock" } }
                </button>
            </div>
        </form>
    }
}

/// Settings > Security: whether the journal has a recovery key, and a new one (the old one stops
/// working), shown once.
#[function_component]
pub fn RecoveryKeySection() -> Html {
    let store = use_store();
    let status = use_load(HasRecoveryKey {});
    let asking = use_state(|| false);
    let pass = use_state(String::new);
    let error = use_state(|| None::<String>);
    let shown = use_state(|| None::<Secret>);
    {
        let (asking, pass, error, shown) = (asking.clone(), pass.clone(), error.clone(), shown.clone());
        crate::kept::use_forget_on_visit(move || {
            crate::kept::clear(&pass);
            if *asking || error.is_some() || shown.is_some() {
                asking.set(false);
                error.set(None);
                shown.set(None);
            }
        });
    }
    let open = {
        let (asking, error) = (asking.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            asking.set(true)
        })
    };
    let cancel = {
        let (asking, pass) = (asking.clone(), pass.clone());
        Callback::from(move |_: MouseEvent| {
            pass.set(String::new());
            asking.set(false)
        })
    };
    let rotate = {
        let (store, asking, pass, error, shown) =
            (store.clone(), asking.clone(), pass.clone(), error.clone(), shown.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (asking, pass2, shown, error) = (asking.clone(), pass.clone(), shown.clone(), error.clone());
            write(
                &store,
                RotateRecoveryKey { passphrase: Secret((*pass).clone()) },
                move |key| {
                    pass2.set(String::new());
                    asking.set(false);
                    shown.set(Some(key));
                },
                move |e| error.set(Some(e.message)),
            );
        })
    };
    let done = {
        let (store, shown) = (store.clone(), shown.clone());
        Callback::from(move |_: MouseEvent| {
            shown.set(None);
            store.dispatch(Action::Notify("New recovery key in force; the one before it no longer works.".into()));
        })
    };
    if let Some(key) = &*shown {
        let journal = match &store.session {
            Session::Unlocked(info) => info.name.clone(),
            _ => String::new(),
        };
        return html! {
            <section class="stack" id="new-recovery-key-panel" aria-label="Your new recovery key">
                <h3>{ "Your new recovery key" }</h3>
                <p>{ "It is shown only now: write it down, or save it as a file and print it; keep it away from this computer." }</p>
                <code id="new-recovery-key" class="recovery-key"><Breakable text={key.expose().to_string()} after='-' /></code>
                <SaveKeyButton journal={journal.clone()} recovery_key={key.expose().to_string()} />
                <div class="warning" role="note">{ "The recovery key you had before no longer works, here or in the backups." }</div>
                <div class="row end"><button type="button" class="primary" id="rk-rotate-done" onclick={done}>{ "I have written it down" }</button></div>
            </section>
        };
    }
    html! {
        <div class="stack" id="recovery-key-section">
            <h3>{ "Recovery key" }</h3>
            { match &*status {
                Load::Ready(true) => html! { <p id="recovery-key-status" data-set="true">{ "A recovery key is set: it replaces a forgotten passphrase. If it may have been seen, make a new one." }</p> },
                Load::Ready(false) => html! { <p id="recovery-key-status" class="field-error" data-set="false">{ "No recovery key is set: a forgotten passphrase would lose this journal. Make one now." }</p> },
                Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
            } }
            if *asking {
                <form class="stack" onsubmit={rotate} id="rk-rotate-form" aria-label="Make a new recovery key">
                    <div class="warning" role="note">{ "The recovery key you have now will stop working." }</div>
                    <Field label="Current passphrase" id="rk-rotate-pass" error={(*error).clone()}>
                        <input id="rk-rotate-pass" type="password" autocomplete="current-password" value={(*pass).clone()} oninput={bind(&pass)} />
                    </Field>
                    <div class="row end">
                        <button type="button" class="ghost" onclick={cancel}>{ "Cancel" }</button>
                        <button type="submit" class="primary" id="rk-rotate-submit" disabled={pass.is_empty()}>{ "Make the new key" }</button>
                    </div>
                </form>
            } else {
                <div class="row end"><button type="button" class="ghost" id="rk-rotate" onclick={open}>{ "Make a new recovery key…" }</button></div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SaveKeyProps {
    /// The journal the key opens (named on the sheet and in the file's name).
    pub journal: AttrValue,
    /// The key as shown.
    pub recovery_key: AttrValue,
}

/// "Save as a file…" beside a recovery key on screen: the shell asks where (the system's save
/// chooser) and writes the key's sheet there; the place it went, or why not, is said below.
#[function_component]
pub fn SaveKeyButton(p: &SaveKeyProps) -> Html {
    let said = use_state(|| None::<Result<String, String>>);
    let save = {
        let (said, journal, key) = (said.clone(), p.journal.to_string(), p.recovery_key.to_string());
        Callback::from(move |_: MouseEvent| {
            let (said, args) = (said.clone(), SaveRecoveryKey { journal: journal.clone(), key: Secret(key.clone()) });
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(Some(path)) => said.set(Some(Ok(path.display().to_string()))),
                    Ok(None) => {}
                    Err(e) => said.set(Some(Err(e.message))),
                }
            });
        })
    };
    html! {
        <div class="stack">
            <div class="row end">
                <button type="button" class="ghost" id="recovery-save" onclick={save}>{ "Save as a file…" }</button>
            </div>
            { match &*said {
                Some(Ok(path)) => html! {
                    <p class="muted" id="recovery-saved" data-path={path.clone()}>
                        { format!("Saved as {path}. Print it, or move it to a drive you keep away from this computer.") }
                    </p>
                },
                Some(Err(m)) => html! { <p class="field-error" role="alert">{ m }</p> },
                None => html! {},
            } }
        </div>
    }
}
