//! Settings > Backups: where they go (a folder the person types, or the default beside the
//! journal, as `wisdom backups --folder DIR | --default-folder`), the journal's backups with their
//! dates, sizes and reasons, one more now, and Restore (asks for the passphrase; the journal is
//! backed up first, then locks). The same rows serve the unlock screen's "Restore a backup" for a
//! journal that no longer opens ([`RestoreLocked`]).

use wasm_bindgen_futures::spawn_local;
use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::{BackupNow, GetBackupFolder, ListBackups, RestoreBackup, Secret, SetBackupFolder};
use wisdom_model::{Backup, WorkspaceEntry};
use yew::prelude::*;

use crate::api;
use crate::components::{Breakable, ChooseButton, Field};
use crate::dom::bind;
use crate::format::day_time;
use crate::store::{go_locked, use_load, use_store, write, Action, Load};

#[function_component]
pub fn BackupsSection() -> Html {
    let store = use_store();
    let list = use_load(ListBackups { workspace: None });
    let busy = use_state(|| false);
    let back_up = {
        let (store, busy) = (store.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (s, b, b2) = (store.clone(), busy.clone(), busy.clone());
            write(
                &store,
                BackupNow {},
                move |_| {
                    b.set(false);
                    s.dispatch(Action::Notify("Backed up and checked.".into()));
                },
                move |_| b2.set(false),
            );
        })
    };
    html! {
        <div class="stack" id="backups">
            <p class="muted">{ "Taken by themselves once a day and before every upgrade, import, passphrase change and restore; 7 daily, 4 weekly and 12 monthly are kept, encrypted." }</p>
            <FolderChoice />
            { match &*list {
                Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ "No backups yet." }</p> },
                Load::Ready(list) => html! {
                    <ul class="backup-list">{ for list.iter().map(|b| html! { <BackupRow key={b.id.clone()} backup={b.clone()} workspace={None::<String>} on_restored={Callback::noop()} /> }) }</ul>
                },
                Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
            } }
            <div class="row end"><button class="ghost" id="backup-now" onclick={back_up} disabled={*busy}>{ "Back up now" }</button></div>
        </div>
    }
}

/// Where the backups go on this device, and a control to move them: another folder typed in
/// full, or back beside the journal. Those taken so far move along, each checked on arrival.
#[function_component]
fn FolderChoice() -> Html {
    let store = use_store();
    let folder = use_load(GetBackupFolder {});
    let typed = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let set = {
        let (store, typed, busy, error) = (store.clone(), typed.clone(), busy.clone(), error.clone());
        Callback::from(move |to: Option<String>| {
            busy.set(true);
            let (s, t, b, b2, e, e2) =
                (store.clone(), typed.clone(), busy.clone(), busy.clone(), error.clone(), error.clone());
            write(
                &store,
                SetBackupFolder { folder: to.map(Into::into) },
                move |f| {
                    b.set(false);
                    t.set(String::new());
                    e.set(None);
                    s.dispatch(Action::Notify(format!("Backups now go to {}.", f.path.display())));
                },
                move |err| {
                    b2.set(false);
                    e2.set(Some(err.message));
                },
            );
        })
    };
    let move_there = {
        let (set, typed) = (set.clone(), typed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            set.emit(Some(typed.trim().to_string()))
        })
    };
    let back_home = Callback::from(move |_: MouseEvent| set.emit(None));
    let (shown, chosen) = match &*folder {
        Load::Ready(f) => (f.path.display().to_string(), f.chosen),
        Load::Failed(m) => (m.clone(), false),
        Load::Loading => ("…".to_string(), false),
    };
    html! {
        <div class="stack" id="backup-folder">
            <p class="backup-folder">
                { if chosen { "They go to a folder you chose (on this device only):" } else { "They go to the default folder, beside the journal:" } }
                <code id="backup-folder-path" class="mono" data-chosen={chosen.to_string()}><Breakable text={shown} after='/' /></code>
                if chosen {
                    <button type="button" class="link" id="backup-folder-default" onclick={back_home} disabled={*busy}>{ "Back to the default folder" }</button>
                }
            </p>
            <form class="stack" onsubmit={move_there} aria-label="Keep the backups in another folder">
                <Field label="Keep them in another folder" id="backup-folder-input" error={(*error).clone()}
                       hint={Some(AttrValue::from("A full path, such as a second disk; the backups taken so far move there."))}>
                    <div class="row">
                        <input id="backup-folder-input" class="mono" placeholder="/media/you/backup-disk/wisdomos"
                               value={(*typed).clone()} oninput={bind(&typed)} />
                        <ChooseButton id="backup-folder-choose" purpose={FilePurpose::BackupFolder} disabled={*busy}
                            onchosen={{ let typed = typed.clone(); Callback::from(move |chosen| typed.set(chosen)) }} />
                    </div>
                </Field>
                <div class="row end">
                    <button type="submit" class="ghost" id="backup-folder-move" disabled={*busy || typed.trim().is_empty()}>
                        { if *busy { "Moving the backups…" } else { "Move backups there" } }
                    </button>
                </div>
            </form>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RestoreLockedProps {
    /// The journal that did not open.
    pub workspace: WorkspaceEntry,
    pub on_cancel: Callback<MouseEvent>,
    /// A backup was restored (the unlock screen shows again).
    pub on_restored: Callback<()>,
}

/// From the unlock screen, for a journal whose files no longer open: its backups, newest first,
/// each with Restore (the passphrase in force when it was taken).
#[function_component]
pub fn RestoreLocked(p: &RestoreLockedProps) -> Html {
    let list = use_load(ListBackups { workspace: Some(p.workspace.id.clone()) });
    let id = p.workspace.id.clone();
    html! {
        <div class="stack" id="restore-locked" aria-label="Restore a backup">
            <h2>{ "Restore a backup" }</h2>
            <p class="muted">{ format!("A backup replaces the files of “{}” as they were when it was taken; unlock it with the passphrase in force then. The file that does not open is kept aside.", p.workspace.name) }</p>
            { match &*list {
                Load::Ready(list) if list.is_empty() => html! { <p class="field-error">{ "No backup of this journal was found on this device." }</p> },
                Load::Ready(list) => html! {
                    <ul class="backup-list">{ for list.iter().map(|b| html! {
                        <BackupRow key={b.id.clone()} backup={b.clone()} workspace={Some(id.clone())} on_restored={p.on_restored.clone()} />
                    }) }</ul>
                },
                Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
            } }
            <div class="row"><button type="button" class="ghost" id="restore-locked-back" onclick={p.on_cancel.clone()}>{ "Back" }</button></div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    backup: Backup,
    /// None: the open journal's; else the id of a locked journal of this device.
    workspace: Option<String>,
    on_restored: Callback<()>,
}

#[function_component]
fn BackupRow(p: &RowProps) -> Html {
    let store = use_store();
    let asking = use_state(|| false);
    let pass = use_state(String::new);
    let error = use_state(|| None::<String>);
    {
        let pass = pass.clone();
        crate::kept::use_forget_on_visit(move || crate::kept::clear(&pass));
    }
    let b = &p.backup;
    let ask = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(true))
    };
    let restore = {
        let (store, pass, error, id) = (store.clone(), pass.clone(), error.clone(), b.id.clone());
        let (workspace, on_restored) = (p.workspace.clone(), p.on_restored.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args =
                RestoreBackup { workspace: workspace.clone(), id: id.clone(), passphrase: Secret((*pass).clone()) };
            let (store, error, on_restored) = (store.clone(), error.clone(), on_restored.clone());
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(r) => {
                        let reverted = if r.passphrase_reverted { " Its passphrase is the older one." } else { "" };
                        store.dispatch(Action::Notify(format!(
                            "Backup of {} restored; unlock with the passphrase in force then.{reverted}",
                            day_time(&r.restored.taken_at)
                        )));
                        go_locked(&store);
                        on_restored.emit(());
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    html! {
        <li class="backup-row" data-id={b.id.clone()} data-reason={b.reason.label()}>
            <div class="backup-facts">
                <span class="backup-taken">{ day_time(&b.taken_at) }</span>
                <span class="muted backup-size">{ size(b.size_bytes) }</span>
                <span class="muted">{ b.reason.label() }</span>
            </div>
            if *asking {
                <form class="row" onsubmit={restore} aria-label="Restore this backup">
                    <input type="password" class="restore-pass" placeholder="Passphrase" aria-label="Passphrase" value={(*pass).clone()} oninput={bind(&pass)} />
                    <button class="primary restore-submit" type="submit">{ "Replace the journal" }</button>
                </form>
                if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            } else {
                <button class="ghost restore-open" onclick={ask}>{ "Restore…" }</button>
            }
        </li>
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b => format!("{} KiB", b.div_ceil(1024)),
    }
}
