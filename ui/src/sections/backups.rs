//! Settings > Backups: the journal's backups with their dates, sizes and reasons, one more now,
//! and Restore (asks for the passphrase; the journal is backed up first, then locks).

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::{BackupNow, ListBackups, RestoreBackup, Secret};
use wisdom_model::Backup;
use yew::prelude::*;

use crate::api;
use crate::dom::bind;
use crate::format::day_time;
use crate::store::{go_locked, use_load, use_store, write, Action, Load};

#[function_component]
pub fn BackupsSection() -> Html {
    let store = use_store();
    let list = use_load(ListBackups {});
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
            <p class="muted">{ "Taken by themselves once a day and before every upgrade, import, passphrase change and restore; 7 daily, 4 weekly and 12 monthly are kept, encrypted, beside the journal." }</p>
            { match &*list {
                Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ "No backups yet." }</p> },
                Load::Ready(list) => html! {
                    <ul class="backup-list">{ for list.iter().map(|b| html! { <BackupRow key={b.id.clone()} backup={b.clone()} /> }) }</ul>
                },
                Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
            } }
            <div class="row end"><button class="ghost" id="backup-now" onclick={back_up} disabled={*busy}>{ "Back up now" }</button></div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    backup: Backup,
}

#[function_component]
fn BackupRow(p: &RowProps) -> Html {
    let store = use_store();
    let asking = use_state(|| false);
    let pass = use_state(String::new);
    let error = use_state(|| None::<String>);
    let b = &p.backup;
    let ask = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(true))
    };
    let restore = {
        let (store, pass, error, id) = (store.clone(), pass.clone(), error.clone(), b.id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args = RestoreBackup { id: id.clone(), passphrase: Secret((*pass).clone()) };
            let (store, error) = (store.clone(), error.clone());
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(r) => {
                        let reverted = if r.passphrase_reverted { " Its passphrase is the older one." } else { "" };
                        store.dispatch(Action::Notify(format!(
                            "Backup of {} restored; unlock with the passphrase in force then.{reverted}",
                            day_time(&r.restored.taken_at)
                        )));
                        go_locked(&store);
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    html! {
        <li class="backup-row">
            <span>{ day_time(&b.taken_at) }</span>
            <span class="muted">{ size(b.size_bytes) }</span>
            <span class="muted">{ b.reason.label() }</span>
            if *asking {
                <form class="row" onsubmit={restore} aria-label="Restore this backup">
                    <input type="password" placeholder="Passphrase" aria-label="Passphrase" value={(*pass).clone()} oninput={bind(&pass)} />
                    <button class="primary" type="submit">{ "Replace the journal" }</button>
                </form>
                if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            } else {
                <button class="ghost" onclick={ask}>{ "Restore…" }</button>
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
