//! An entry's files: thumbnails of its photos (a click opens one at full size), the name and size
//! of everything else, a field to attach a file by its path, a photo pasted from the clipboard,
//! and a button to remove each one. Shown inside an entry's card; files dropped on the card are
//! attached by [`attach_dropped`].

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::{AttachFile, AttachPasted, AttachmentImage, DeleteAttachment, EntryAttachments};
use wisdom_model::{AttachmentPreview, EntryKind};
use yew::prelude::*;

use crate::api;
use crate::components::{ChooseButton, Dialog};
use crate::dom::{bind, DropEntry};
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

/// Attaches files dropped on an entry, each by its path, and says so.
pub fn attach_dropped(store: &StoreHandle, entry: DropEntry, paths: Vec<String>) {
    for path in paths {
        let (s1, s2, title) = (store.clone(), store.clone(), entry.title.clone());
        write(
            store,
            AttachFile { kind: entry.kind, entry_id: entry.id.clone(), path: path.into() },
            move |added| {
                let names: Vec<&str> = added.iter().map(|a| a.file_name.as_str()).collect();
                s1.dispatch(Action::Notify(format!("Attached {} to “{title}”.", names.join(", "))));
            },
            move |e| s2.dispatch(Action::Fail(e.message)),
        );
    }
}

/// Reads a pasted file or picture and attaches it to the entry under `name`.
fn attach_blob(store: &StoreHandle, kind: EntryKind, entry_id: &str, blob: &web_sys::Blob, name: String) {
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let (store, entry_id) = (store.clone(), entry_id.to_string());
    let reader2 = reader.clone();
    let onload = Closure::once(move || {
        let Some(data_url) = reader2.result().ok().and_then(|r| r.as_string()) else {
            return store.dispatch(Action::Fail("The pasted file could not be read.".into()));
        };
        let (s1, s2) = (store.clone(), store.clone());
        write(
            &store,
            AttachPasted { kind, entry_id, file_name: name, data_url },
            move |a| s1.dispatch(Action::Notify(format!("Attached {}.", a.file_name))),
            move |e| s2.dispatch(Action::Fail(e.message)),
        );
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    let _ = reader.read_as_data_url(blob);
}

/// The pictures WebKitGTK pasted into the paste area (it gives a pasted image to the page only
/// that way, as an `<img>` with a `blob:` URL, never in the paste event's data): each is fetched
/// and attached, and the area is emptied.
fn attach_pasted_pictures(store: &StoreHandle, kind: EntryKind, entry_id: &str, area: web_sys::Element) {
    let Ok(pictures) = area.query_selector_all("img") else { return };
    let sources: Vec<String> = (0..pictures.length())
        .filter_map(|i| pictures.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute("src"))
        .filter(|src| src.starts_with("blob:") || src.starts_with("data:"))
        .collect();
    area.set_inner_html("");
    for src in sources {
        let (store, entry_id) = (store.clone(), entry_id.to_string());
        spawn_local(async move {
            let Some(blob) = fetch_blob(&src).await else {
                return store.dispatch(Action::Fail("The pasted picture could not be read.".into()));
            };
            let kind_of = blob.type_();
            let extension = kind_of.strip_prefix("image/").unwrap_or("png").replace("jpeg", "jpg");
            attach_blob(&store, kind, &entry_id, &blob, format!("pasted.{extension}"));
        });
    }
}

async fn fetch_blob(url: &str) -> Option<web_sys::Blob> {
    let response = wasm_bindgen_futures::JsFuture::from(web_sys::window()?.fetch_with_str(url)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    let blob = wasm_bindgen_futures::JsFuture::from(response.blob().ok()?).await.ok()?;
    blob.dyn_into().ok()
}

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
    // The photo open at full size: its name, and its picture once the shell has sent it.
    let viewing = use_state(|| None::<(String, Load<String>)>);
    let view = {
        let (store, viewing) = (store.clone(), viewing.clone());
        Callback::from(move |(id, name): (String, String)| {
            viewing.set(Some((name.clone(), Load::Loading)));
            let (store, viewing) = (store.clone(), viewing.clone());
            spawn_local(async move {
                match api::invoke(&AttachmentImage { id }).await {
                    Ok(url) => viewing.set(Some((name, Load::Ready(url)))),
                    Err(e) => {
                        viewing.set(None);
                        store.dispatch(Action::Fail(e.message));
                    }
                }
            });
        })
    };
    let onpaste = {
        let (store, kind, entry) = (store.clone(), p.kind, p.entry_id.to_string());
        Callback::from(move |e: Event| {
            // (web-sys keeps ClipboardEvent behind its unstable APIs: the field is read directly.)
            let files = js_sys::Reflect::get(&e, &"clipboardData".into())
                .ok()
                .and_then(|d| d.dyn_into::<web_sys::DataTransfer>().ok())
                .and_then(|d| d.files());
            if let Some(files) = files.filter(|f| f.length() > 0) {
                e.prevent_default();
                for file in (0..files.length()).filter_map(|i| files.get(i)) {
                    attach_blob(&store, kind, &entry, &file, file.name());
                }
            }
        })
    };
    let on_paste_area = {
        let (store, kind, entry) = (store.clone(), p.kind, p.entry_id.to_string());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                attach_pasted_pictures(&store, kind, &entry, area);
            }
        })
    };
    let input_id = format!("attach-path-{}", p.entry_id);
    html! {
        <section class="entry-files" id={format!("files-{}", p.entry_id)} {onpaste}
                 aria-label={format!("Files of {}", p.title)}>
            { match &*files {
                Load::Ready(list) if list.is_empty() => html! { <p class="muted">{ "No files yet." }</p> },
                Load::Ready(list) => html! {
                    <ul class="file-grid">{ for list.iter().map(|f| file_tile(f, &remove, &view)) }</ul>
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
            <div class="paste-area" id={format!("paste-{}", p.entry_id)} contenteditable="true" role="textbox"
                 data-placeholder="Paste a photo here (Ctrl+V), or drop files on the entry"
                 aria-label={format!("Paste a photo into {}", p.title)} oninput={on_paste_area}></div>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            if let Some((name, picture)) = &*viewing {
                <Dialog title={name.clone()} on_close={{ let v = viewing.clone(); Callback::from(move |_| v.set(None)) }}>
                    { match picture {
                        Load::Ready(url) => html! { <img id="photo-full" class="photo-full" src={url.clone()} alt={name.clone()} /> },
                        _ => html! { <p class="muted">{ "Opening…" }</p> },
                    } }
                </Dialog>
            }
        </section>
    }
}

fn file_tile(f: &AttachmentPreview, remove: &Callback<String>, view: &Callback<(String, String)>) -> Html {
    let a = &f.attachment;
    let onclick = {
        let (remove, id) = (remove.clone(), a.id.clone());
        Callback::from(move |_: MouseEvent| remove.emit(id.clone()))
    };
    let open = {
        let (view, id, name) = (view.clone(), a.id.clone(), a.file_name.clone());
        Callback::from(move |_: MouseEvent| view.emit((id.clone(), name.clone())))
    };
    html! {
        <li class="file-tile" data-attachment-id={a.id.clone()}>
            { match &f.thumbnail {
                Some(url) if a.shows_full_size() => html! {
                    <button class="thumb-open" aria-label={format!("Open {} full size", a.file_name)} onclick={open}>
                        <img class="thumb" src={url.clone()} alt={a.file_name.clone()} loading="lazy" />
                    </button>
                },
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
