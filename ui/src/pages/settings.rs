//! Settings: lock, switch or create a journal, sync (sections/sync), security (change the
//! passphrase; the recovery key: sections/recovery.rs), export and import (sections/import.rs), backups and where they go
//! (sections/backups.rs), theme, the daily practice (sections/practice.rs), the prompts
//! (sections/prompts.rs), templates (sections/templates.rs) and the journal check.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::{
    ChangePassphrase, DefaultExportDir, ExportFormat, ExportWorkspace, ListWorkspaces, LockWorkspace, Secret,
};
use wisdom_model::validate::passphrase_advice;
use yew::prelude::*;

use crate::api;
use crate::app::lock;
use crate::components::{ChooseButton, Field, StrengthMeter};
use crate::dom::bind;
use crate::sections::import::ImportSection;
use crate::store::{go_locked, use_store, write, Action, Session, Theme};

#[function_component]
pub fn SettingsPage() -> Html {
    let store = use_store();
    let info = match &store.session {
        Session::Unlocked(i) => i.clone(),
        _ => return html! {},
    };
    let on_lock = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| lock(&s))
    };
    let switch = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| {
            let s = s.clone();
            spawn_local(async move {
                let _ = api::invoke(&LockWorkspace {}).await;
                go_locked(&s);
            });
        })
    };
    let create = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| {
            let s = s.clone();
            spawn_local(async move {
                let _ = api::invoke(&LockWorkspace {}).await;
                let list = api::invoke(&ListWorkspaces {}).await.unwrap_or_default();
                s.dispatch(Action::Locked(list));
                s.dispatch(Action::StartCreating(true));
            });
        })
    };
    let set_theme = |t: Theme| {
        let s = store.clone();
        Callback::from(move |_: Event| s.dispatch(Action::SetTheme(t)))
    };
    let set_lock = {
        let s = store.clone();
        Callback::from(move |e: Event| {
            s.dispatch(Action::SetAutoLock(crate::dom::input_value(&e).parse().unwrap_or(10)))
        })
    };
    html! {
        <div class="page settings" id="page-settings">
            <header class="page-head"><div><h1>{ "Settings" }</h1><p class="muted">{ format!("Journal “{}”", info.name) }</p></div></header>
            <div class="settings-grid">
                <section class="card">
                    <h2>{ "This journal" }</h2>
                    <dl class="facts"><dt>{ "Name" }</dt><dd>{ &info.name }</dd><dt>{ "File" }</dt><dd class="mono">{ &info.path }</dd></dl>
                    <div class="row wrap">
                        <button class="primary" onclick={on_lock}>{ "Lock now" }</button>
                        <button class="ghost" onclick={switch}>{ "Switch journal" }</button>
                        <button class="ghost" onclick={create}>{ "Create a new journal" }</button>
                    </div>
                    <Field label="Lock automatically after" id="auto-lock">
                        <select id="auto-lock" onchange={set_lock}>
                            { for [1u32, 5, 10, 30, 60].iter().map(|m| html! {
                                <option value={m.to_string()} selected={*m == store.auto_lock_minutes}>{ format!("{m} minute{} idle", if *m == 1 { "" } else { "s" }) }</option>
                            }) }
                        </select>
                    </Field>
                </section>
                <section class="card">
                    <h2>{ "Appearance" }</h2>
                    <div class="radio-row" role="radiogroup" aria-label="Theme">
                        <label class="check"><input type="radio" name="theme" id="theme-light" checked={store.theme == Theme::Light} onchange={set_theme(Theme::Light)} />{ "Light" }</label>
                        <label class="check"><input type="radio" name="theme" id="theme-dark" checked={store.theme == Theme::Dark} onchange={set_theme(Theme::Dark)} />{ "Dark" }</label>
                    </div>
                </section>
                <section class="card sync-card" id="sync-section" aria-labelledby="sync-heading">
                    <h2 id="sync-heading">{ "Sync" }</h2><crate::sections::sync::SyncSection />
                </section>
                <section class="card" id="practice-card"><h2>{ "Daily practice" }</h2><crate::sections::practice::PracticeSection /></section>
                <section class="card" id="prompts-card"><h2>{ "Prompts" }</h2><crate::sections::prompts::PromptsSection /></section>
                <section class="card" id="templates-card"><h2>{ "Templates" }</h2><crate::sections::templates::TemplatesSection /></section>
                <section class="card" id="security-card">
                    <h2>{ "Security" }</h2>
                    <h3>{ "Change passphrase" }</h3><PassphraseForm />
                    <hr class="divider" /><crate::sections::recovery::RecoveryKeySection />
                </section>
                <section class="card"><h2>{ "Export and import" }</h2><ExportImport /></section>
                <section class="card" id="backups-card"><h2>{ "Backups" }</h2><crate::sections::backups::BackupsSection /></section>
                <section class="card"><h2>{ "Check journal" }</h2><crate::sections::check::CheckSection /></section>
            </div>
        </div>
    }
}

#[function_component]
fn PassphraseForm() -> Html {
    let store = use_store();
    let old = use_state(String::new);
    let new = use_state(String::new);
    let confirm = use_state(String::new);
    let error = use_state(|| None::<String>);
    {
        let (old, new, confirm, error) = (old.clone(), new.clone(), confirm.clone(), error.clone());
        crate::kept::use_forget_on_visit(move || {
            [&old, &new, &confirm].into_iter().for_each(crate::kept::clear);
            if error.is_some() {
                error.set(None);
            }
        });
    }
    let submit = {
        let (store, old, new, confirm, error) =
            (store.clone(), old.clone(), new.clone(), confirm.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *new != *confirm {
                return error.set(Some("The new passphrases are not the same.".into()));
            }
            if wisdom_model::validate::passphrase("passphrase", &new).is_err() {
                return error.set(Some(passphrase_advice()));
            }
            let (s, o, n, c, err, err2) =
                (store.clone(), old.clone(), new.clone(), confirm.clone(), error.clone(), error.clone());
            write(
                &store,
                ChangePassphrase { old: Secret((*old).clone()), new: Secret((*new).clone()) },
                move |_| {
                    for st in [o, n, c] {
                        st.set(String::new());
                    }
                    err.set(None);
                    s.dispatch(Action::Notify("Passphrase changed. Use the new one next time you unlock.".into()));
                },
                move |e| err2.set(Some(e.message)),
            );
        })
    };
    html! {
        <form class="stack" onsubmit={submit} aria-label="Change passphrase">
            <Field label="Current passphrase" id="pp-old"><input id="pp-old" type="password" autocomplete="current-password" value={(*old).clone()} oninput={bind(&old)} /></Field>
            <Field label="New passphrase" id="pp-new"><input id="pp-new" type="password" autocomplete="new-password" value={(*new).clone()} oninput={bind(&new)} /></Field>
            <StrengthMeter pass={(*new).clone()} of="New passphrase" />
            <Field label="Repeat new passphrase" id="pp-confirm"><input id="pp-confirm" type="password" autocomplete="new-password" value={(*confirm).clone()} oninput={bind(&confirm)} /></Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end"><button class="primary" type="submit">{ "Change passphrase" }</button></div>
        </form>
    }
}

#[function_component]
fn ExportImport() -> Html {
    let store = use_store();
    let dir = use_state(String::new);
    {
        let dir = dir.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(d) = api::invoke(&DefaultExportDir {}).await {
                    dir.set(d.display().to_string());
                }
            });
        });
    }
    let export_path = use_state(String::new);
    let format = use_state(|| "json".to_string());
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let suggested = format!("{}/wisdomos-{today}.{}", *dir, if *format == "markdown" { "md" } else { "json" });
    let shown_path = if export_path.is_empty() { suggested.clone() } else { (*export_path).clone() };
    let export = {
        let (store, path, format) = (store.clone(), shown_path.clone(), format.clone());
        Callback::from(move |_: MouseEvent| {
            let (s1, s2) = (store.clone(), store.clone());
            let format = if *format == "markdown" { ExportFormat::Markdown } else { ExportFormat::Json };
            let args = ExportWorkspace { path: path.clone().into(), format };
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(p) => s1.dispatch(Action::Notify(format!("Exported to {}", p.display()))),
                    Err(e) => s2.dispatch(Action::Fail(e.message)),
                }
            });
        })
    };
    html! {
        <div class="stack">
            <p class="muted">{ "Exports are plain, unencrypted files: keep them somewhere safe." }</p>
            <Field label="Export format" id="ex-format"><select id="ex-format" onchange={bind(&format)}>
                <option value="json" selected={*format == "json"}>{ "JSON (complete, re-importable)" }</option>
                <option value="markdown" selected={*format == "markdown"}>{ "Markdown (readable)" }</option>
            </select></Field>
            <Field label="Save to" id="ex-path"><div class="row">
                <input id="ex-path" class="mono" value={shown_path.clone()} oninput={bind(&export_path)} />
                <ChooseButton id="ex-choose" purpose={FilePurpose::Export { suggested: shown_path.into() }}
                    onchosen={{ let p = export_path.clone(); Callback::from(move |path| p.set(path)) }} />
            </div></Field>
            <div class="row end"><button class="ghost" id="ex-export" onclick={export}>{ "Export" }</button></div>
            <ImportSection />
        </div>
    }
}
