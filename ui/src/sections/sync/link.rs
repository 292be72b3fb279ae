//! On the unlock and onboarding screens: this device gets a journal already synced elsewhere.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::{Secret, SyncAccount, SyncLinkDevice};
use wisdom_model::ErrorKind;
use yew::prelude::*;

use super::check_account;
use crate::api;
use crate::components::Field;
use crate::dom::bind;
use crate::store::{use_store, Action};

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
            let args = SyncLinkDevice {
                account: SyncAccount {
                    server: server.trim().to_string(),
                    email: email.trim().to_string(),
                    password: Secret((*password).clone()),
                    device: None,
                },
                passphrase: Secret((*passphrase).clone()),
            };
            let (store, busy, error, passphrase) = (store.clone(), busy.clone(), error.clone(), passphrase.clone());
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(info) => store.dispatch(Action::Unlocked(info)),
                    Err(e) => {
                        busy.set(false);
                        let field = match e.kind {
                            ErrorKind::WrongPassphrase => Some("passphrase".to_string()),
                            ErrorKind::SyncAuth => Some("password".to_string()),
                            ErrorKind::SyncUnreachable => Some("server".to_string()),
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
