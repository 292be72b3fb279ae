//! The browser's side of the pages: reading form inputs, converting the date inputs' local time,
//! performance marks for the benchmark, and hooks over timers and frames.

use chrono::{DateTime, Local, Utc};
use yew::prelude::*;

pub fn input_value(e: &web_sys::Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                .or_else(|| t.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|s| s.value()))
        })
        .unwrap_or_default()
}

/// A text state bound to an input/select/textarea: `oninput={bind(&state)}` or `onchange=...`.
pub fn bind<E: AsRef<web_sys::Event> + 'static>(state: &UseStateHandle<String>) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| state.set(input_value(e.as_ref())))
}

/// `<datetime-local>` text (local time) to UTC.
pub fn local_input_to_utc(text: &str) -> Option<DateTime<Utc>> {
    if text.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&text.into()).get_time();
    if ms.is_nan() {
        return None;
    }
    DateTime::<Utc>::from_timestamp_millis(ms as i64)
}

pub fn utc_to_local_input(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%Y-%m-%dT%H:%M").to_string()
}

/// `performance.mark(name)`: a named instant the benchmark reads (tests/e2e/bench_desktop.py).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Marks, in the page's performance timeline, when the first frame after this component mounted
/// has been painted (`performance.mark(name)` at the start of the frame after it, so the figure errs
/// long by up to a frame). The benchmark (tests/e2e/bench_desktop.py) reads the mark to time launch
/// to the unlock screen exactly, instead of polling for it.
#[hook]
pub fn use_painted_mark(name: &'static str) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use_effect_with((), move |_| {
        let after_paint = Closure::once_into_js(move || mark(name));
        let next_frame = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(after_paint.unchecked_ref());
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(next_frame.unchecked_ref());
        }
    });
}

/// `value` once it has stayed the same for `ms`: for work too heavy to redo at every key press.
#[hook]
pub fn use_settled<T: Clone + PartialEq + 'static>(value: T, ms: u32) -> T {
    let settled = use_state(|| value.clone());
    {
        let settled = settled.clone();
        use_effect_with(value, move |v| {
            let v = v.clone();
            let timer = gloo_timers::callback::Timeout::new(ms, move || settled.set(v));
            move || drop(timer)
        });
    }
    (*settled).clone()
}

/// An entry that takes dropped files (`data-drop-kind`, `data-drop-entry` and `data-drop-title`
/// on its element): which kind, its id and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct DropEntry {
    pub kind: wisdom_model::EntryKind,
    pub id: String,
    pub title: String,
}

/// The entry under a point of the window given in physical pixels (as Tauri gives a drop's), if
/// one takes dropped files.
pub fn entry_under(at: crate::api::DropPoint) -> Option<DropEntry> {
    let window = web_sys::window()?;
    let scale = window.device_pixel_ratio().max(1.0);
    let hit = window.document()?.element_from_point((at.x / scale) as f32, (at.y / scale) as f32)?;
    let entry = hit.closest("[data-drop-entry]").ok()??;
    Some(DropEntry {
        kind: wisdom_model::EntryKind::parse(&entry.get_attribute("data-drop-kind")?)?,
        id: entry.get_attribute("data-drop-entry")?,
        title: entry.get_attribute("data-drop-title").unwrap_or_default(),
    })
}
