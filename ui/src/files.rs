//! An entry's files: thumbnails of its photos, the name and size of everything else, a field to
//! attach a file by its path and a button to remove each one. Shown inside an entry's card.

use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::{AttachFile, DeleteAttachment, EntryAttachments};
use wisdom_model::{AttachmentPreview, EntryKind};
use yew::prelude::*;

use crate::components::ChooseButton;

use crate::dom::bind;
use crate::store::{use_load, use_store, write, Action, Load};

#[derive(Properties, PartialEq)]
pub struct EntryFilesProps {
    pub kind: EntryKind,
    pub entry_id: AttrValue,
    /// The entry's title, for the labels a screen reader reads.
    pub title: AttrValue,
}

/// A size as a person reads it: `812 bytes`, `4.2 KB`, `1.6 MB`.
fn shown_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{b} bytes"),
    }
}

#[function_component]
pub fn EntryFiles(p: &EntryFilesProps) -> Html {
    let store = use_store();
    let files = use_load(EntryAttachments { kind: p.kind, entry_id: p.entry_id.to_string() });
    let path = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let attach = {
        let (store, path, error, busy) = (store.clone(), path.clone(), error.clone(), busy.clone());
        let (kind, entry) = (p.kind, p.entry_id.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = path.trim().to_string();
            if typed.is_empty() {
                return error.set(Some("Type the full path of a file, e.g. /home/ines/Pictures/harbour.jpg".into()));
            }
            busy.set(true);
            let (s, path2, busy2, busy3) = (store.clone(), path.clone(), busy.clone(), busy.clone());
            let (error2, error3) = (error.clone(), error.clone());
            write(
                &store,
                AttachFile { kind, entry_id: entry.clone(), path: typed.into() },
                move |added| {
                    busy2.set(false);
                    path2.set(String::new());
                    error2.set(None);
                    let names: Vec<&str> = added.iter().map(|a| a.file_name.as_str()).collect();
                    s.dispatch(Action::Notify(format!("Attached {}.", names.join(", "))));
                },
                move |e| {
                    busy3.set(false);
                    error3.set(Some(e.message));
                },
            );
        })
    };
    let remove = {
        let store = store.clone();
        Callback::from(move |id: String| {
            let s = store.clone();
            write(
                &store,
                DeleteAttachment { id },
                move |gone| s.dispatch(Action::Notify(format!("Removed {}.", gone.file_name))),
                {
                    let s = store.clone();
                    move |e| s.dispatch(Action::Fail(e.message))
                },
            );
        })
    };
    let input_id = format!("attach-path-{}", p.entry_id);
    html! {
        <section class="entry-files" aria-label={format!("Files of {}", p.title)}>
            { match &*files {
                Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ "No files yet." }</p> },
                Load::Ready(list) => html! {
                    <ul class="file-grid">{ for list.iter().map(|f| file_tile(f, &remove)) }</ul>
                },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                Load::Loading => html! { <p class="muted">{ "Loading files…" }</p> },
            } }
            <form class="attach-form" onsubmit={attach} aria-label={format!("Attach a file to {}", p.title)}>
                <label for={input_id.clone()} class="muted">{ "Attach a file" }</label>
                <input id={input_id} class="attach-path" value={(*path).clone()} oninput={bind(&path)}
                       placeholder="/home/you/Pictures/photo.jpg" aria-invalid={error.is_some().to_string()} />
                <ChooseButton id={format!("attach-choose-{}", p.entry_id)} purpose={FilePurpose::Attachment} disabled={*busy}
                    onchosen={{ let path = path.clone(); Callback::from(move |chosen| path.set(chosen)) }} />
                <button type="submit" class="small" disabled={*busy}>{ if *busy { "Attaching…" } else { "Attach" } }</button>
            </form>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
        </section>
    }
}

fn file_tile(f: &AttachmentPreview, remove: &Callback<String>) -> Html {
    let a = &f.attachment;
    let onclick = {
        let (remove, id) = (remove.clone(), a.id.clone());
        Callback::from(move |_: MouseEvent| remove.emit(id.clone()))
    };
    html! {
        <li class="file-tile" data-attachment-id={a.id.clone()}>
            { match &f.thumbnail {
                Some(url) => html! { <img class="thumb" src={url.clone()} alt={a.file_name.clone()} loading="lazy" /> },
                None => html! { <div class="thumb file-kind" aria-hidden="true">{ kind_label(&a.media_type) }</div> },
            } }
            <div class="file-name" title={a.file_name.clone()}>{ &a.file_name }</div>
            <small class="muted">{ shown_size(a.size) }</small>
            <button class="ghost small" aria-label={format!("Remove {}", a.file_name)} {onclick}>{ "Remove" }</button>
        </li>
    }
}

/// A short label for a file without a thumbnail: its kind, from its media type.
fn kind_label(media_type: &str) -> String {
    match media_type.split_once('/') {
        Some(("audio", _)) => "Audio".into(),
        Some(("video", _)) => "Video".into(),
        Some((_, "pdf")) => "PDF".into(),
        Some(("image", sub)) => sub.to_uppercase(),
        Some(("text", _)) => "Text".into(),
        _ => "File".into(),
    }
}
