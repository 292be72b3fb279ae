//! Settings > Export and import, the import half: a file from this app or another (typed, chosen
//! in the system's file chooser, or dropped on the window), a preview of what it would do with
//! the person's own rules (sections/import_preview.rs), and the import itself with a progress bar
//! fed by the shell's `IMPORT_PROGRESS` events.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::{ImportFile, IsFolder, PreviewImport, IMPORT_PROGRESS};
use wisdom_model::{ImportFormat, ImportPreview, ImportRules, Progress};
use yew::prelude::*;

use crate::api;
use crate::components::{ChooseButton, Field};
use crate::dom::bind;
use crate::sections::import_preview::ImportPreviewPanel;
use crate::store::{use_store, write, Action};

/// Where an import is: not started, running with how far it has got, or done.
#[derive(Clone, Copy, PartialEq)]
enum Running {
    Idle,
    Importing(Progress),
    Done(Progress),
}

#[function_component]
pub fn ImportSection() -> Html {
    let store = use_store();
    let path = use_state(String::new);
    let format = use_state(|| "json".to_string());
    let rules = use_state(ImportRules::default);
    let preview = use_state(|| None::<ImportPreview>);
    let running = use_state(|| Running::Idle);
    // While an import runs, the last progress the shell sent (the listener outlives renders).
    let importing = use_mut_ref(|| None::<Progress>);
    {
        // A file or folder dropped on the window: here to be imported, in the format it is if that
        // is beyond doubt (a folder is a vault of notes).
        let (path, format, store) = (path.clone(), format.clone(), store.clone());
        use_effect_with(store.dropped.clone(), move |dropped| {
            if let Some((_, dropped, with)) = dropped.clone() {
                path.set(dropped.clone());
                if let Some(field) =
                    web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("im-path"))
                {
                    field.scroll_into_view();
                }
                spawn_local(async move {
                    let folder = api::invoke(&IsFolder { path: dropped.clone().into() }).await.unwrap_or(false);
                    if let Some(f) = ImportFormat::for_dropped(&dropped, folder) {
                        format.set(f.as_str().to_string());
                    }
                    let what = if folder { "folder" } else { "file" };
                    let others = match with {
                        0 => String::new(),
                        n => format!(" (the first of {}: one import at a time)", n + 1),
                    };
                    store.dispatch(Action::Notify(format!(
                        "Ready to import the {what} you dropped{others}: check its format, then Import."
                    )));
                });
            }
        });
    }
    let chosen: ImportFormat = format.parse().unwrap_or(ImportFormat::Json);
    {
        // A preview and its rules speak of one file in one format; a finished bar of the last import.
        let (preview, rules, running) = (preview.clone(), rules.clone(), running.clone());
        use_effect_with(((*path).clone(), chosen), move |_| {
            preview.set(None);
            rules.set(ImportRules::default());
            if matches!(*running, Running::Done(_)) {
                running.set(Running::Idle);
            }
        });
    }
    {
        // The shell's progress events, while this section is on screen.
        let (running, importing) = (running.clone(), importing.clone());
        use_effect_with((), move |_| {
            let listening = api::listen(IMPORT_PROGRESS, move |p: Progress| {
                if let Some(last) = importing.borrow_mut().as_mut() {
                    *last = p;
                    running.set(Running::Importing(p));
                }
            });
            move || drop(listening)
        });
    }
    let ask_preview = {
        let (store, path, preview) = (store.clone(), path.clone(), preview.clone());
        Callback::from(move |r: ImportRules| {
            let (store, preview) = (store.clone(), preview.clone());
            let args = PreviewImport { path: (*path).clone().into(), format: chosen, rules: r };
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(p) => preview.set(Some(p)),
                    Err(e) => store.dispatch(Action::Fail(e.message)),
                }
            });
        })
    };
    let on_rules = {
        let (rules, ask_preview) = (rules.clone(), ask_preview.clone());
        Callback::from(move |r: ImportRules| {
            rules.set(r.clone());
            ask_preview.emit(r);
        })
    };
    let import = {
        let (store, path, rules, preview, running, importing) =
            (store.clone(), path.clone(), rules.clone(), preview.clone(), running.clone(), importing.clone());
        Callback::from(move |_: MouseEvent| {
            let (s1, s2, preview) = (store.clone(), store.clone(), preview.clone());
            let (r1, r2, i1, i2) = (running.clone(), running.clone(), importing.clone(), importing.clone());
            *importing.borrow_mut() = Some(Progress { done: 0, total: 0 });
            running.set(Running::Importing(Progress { done: 0, total: 0 }));
            write(
                &store,
                ImportFile { path: (*path).clone().into(), format: chosen, rules: (*rules).clone() },
                move |r| {
                    // What the preview said is no longer true.
                    preview.set(None);
                    // The bar as the shell's last event left it.
                    let last = i1.borrow_mut().take().unwrap_or(Progress { done: 0, total: 0 });
                    r1.set(Running::Done(last));
                    s1.dispatch(Action::Notify(format!(
                        "Imported {} events, {} insights, {} commitments ({} already present).",
                        r.events, r.insights, r.commitments, r.already_present
                    )))
                },
                move |e| {
                    *i2.borrow_mut() = None;
                    r2.set(Running::Idle);
                    s2.dispatch(Action::Fail(e.message))
                },
            );
        })
    };
    let busy = matches!(*running, Running::Importing(_));
    html! {
        <div class="stack">
            <Field label="Import format" id="im-format"><select id="im-format" onchange={bind(&format)} disabled={busy}>
                { for ImportFormat::ALL.iter().map(|f| html! {
                    <option value={f.as_str()} selected={*format == f.as_str()}>{ f.label() }</option>
                }) }
            </select></Field>
            <Field label={if chosen.reads_folders() { "Folder to import" } else { "File to import" }} id="im-path"><div class="row">
                <input id="im-path" class="mono" placeholder="/home/you/journal.json" value={(*path).clone()} oninput={bind(&path)} disabled={busy} />
                <ChooseButton id="im-choose" purpose={FilePurpose::Import { format: chosen }} disabled={busy}
                    onchosen={{ let p = path.clone(); Callback::from(move |chosen| p.set(chosen)) }} />
            </div></Field>
            if let Some(p) = &*preview {
                <ImportPreviewPanel preview={p.clone()} rules={(*rules).clone()} on_rules={on_rules} />
            }
            { progress_bar(*running) }
            <div class="row end">
                if chosen.keeps_source_ids() {
                    <button class="ghost" id="im-preview" disabled={path.is_empty() || busy}
                        onclick={{ let (ask, rules) = (ask_preview, rules.clone()); Callback::from(move |_: MouseEvent| ask.emit((*rules).clone())) }}>
                        { "Preview" }
                    </button>
                }
                <button class="ghost" id="im-import" onclick={import} disabled={path.is_empty() || busy}>
                    { if busy { "Importing…" } else { "Import" } }
                </button>
            </div>
        </div>
    }
}

/// The bar under the import: how far it has got, then that it is done.
fn progress_bar(running: Running) -> Html {
    let (p, label) = match running {
        Running::Idle => return html! {},
        Running::Importing(p) => (p, format!("Importing… {}%", p.percent())),
        Running::Done(p) => (p, format!("Imported: {}%", p.percent())),
    };
    html! {
        <div class="import-progress" id="import-progress" data-state={if matches!(running, Running::Done(_)) { "done" } else { "running" }}>
            <progress max="100" value={p.percent().to_string()} aria-label="Import progress"></progress>
            <span class="muted" role="status">{ label }</span>
        </div>
    }
}
