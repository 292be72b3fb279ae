//! Calls into the desktop shell: one typed call per command of model/'s contract
//! (`wisdom_model::commands`): `invoke(&ListEvents { filter })` answers `Vec<Event>`, and a
//! failure is the shell's [`ShellError`]. Underneath it is `window.__TAURI__.core.invoke(name,
//! {args})`, with the arguments and the reply crossing as JSON in model's serde shapes.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
pub use wisdom_model::commands::Command;
pub use wisdom_model::ShellError;

/// `window.__TAURI__[module][name]`, the function Tauri's global API puts there.
fn tauri_fn(module: &str, name: &str) -> Result<js_sys::Function, ShellError> {
    let window = web_sys::window().ok_or_else(|| ShellError::other("no window"))?;
    let tauri = js_sys::Reflect::get(&window, &"__TAURI__".into()).ok().filter(|v| !v.is_undefined());
    let tauri = tauri.ok_or_else(|| ShellError::other("This page must run inside the WisdomOS app."))?;
    js_sys::Reflect::get(&tauri, &module.into())
        .and_then(|m| js_sys::Reflect::get(&m, &name.into()))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| ShellError::other(format!("no Tauri {module}.{name}")))
}

fn to_js(value: &impl Serialize) -> Result<JsValue, ShellError> {
    let text = serde_json::to_string(value).map_err(|e| ShellError::other(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| ShellError::other("could not encode the request"))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, ShellError> {
    if value.is_undefined() {
        return serde_json::from_str("null").map_err(|e| ShellError::other(e.to_string()));
    }
    let text: String = js_sys::JSON::stringify(value).map(String::from).unwrap_or_else(|_| "null".into());
    serde_json::from_str(&text).map_err(|e| ShellError::other(format!("unexpected reply: {e}")))
}

/// Runs one command of the contract.
pub async fn invoke<C: Command>(args: &C) -> Result<C::Reply, ShellError> {
    invoke_as(args).await
}

/// [`invoke`], reading the reply as `T`: for [`crate::store::prefetch`], which keeps replies of
/// several commands as JSON until their page takes them.
pub async fn invoke_as<C: Command, T: DeserializeOwned>(args: &C) -> Result<T, ShellError> {
    #[derive(Serialize)]
    struct Envelope<'a, C> {
        args: &'a C,
    }
    let invoke = tauri_fn("core", "invoke")?;
    let promise = invoke
        .call2(&JsValue::NULL, &C::NAME.into(), &to_js(&Envelope { args })?)
        .map_err(|e| from_js(&e).unwrap_or_else(|_: ShellError| ShellError::other("invoke failed")))?;
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(v) => from_js(&v),
        Err(e) => Err(from_js::<ShellError>(&e)
            .unwrap_or_else(|_| ShellError::other(e.as_string().unwrap_or_else(|| "the app did not answer".into())))),
    }
}

/// Listening to one of the shell's events: stops when dropped.
pub struct Listening {
    handler: Option<Closure<dyn Fn(JsValue)>>,
    unlisten: std::rc::Rc<std::cell::RefCell<Unlisten>>,
}

/// Tauri's function that stops a listener, which arrives once `listen`'s promise resolves.
enum Unlisten {
    Pending,
    Ready(js_sys::Function),
    /// Dropped before the promise resolved: stop as soon as it does.
    Dropped,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let before = std::mem::replace(&mut *self.unlisten.borrow_mut(), Unlisten::Dropped);
        match before {
            Unlisten::Ready(stop) => {
                let _ = stop.call0(&JsValue::NULL);
            }
            // Tauri may still call the handler until it has stopped: keep it alive.
            _ => std::mem::forget(self.handler.take()),
        }
    }
}

/// Calls `on_event` with the payload of every `event` the shell sends (Tauri's `event.listen`),
/// until the returned [`Listening`] is dropped. A payload that does not read as `T` is ignored.
pub fn listen<T: DeserializeOwned + 'static>(
    event: &str,
    on_event: impl Fn(T) + 'static,
) -> Result<Listening, ShellError> {
    #[derive(serde::Deserialize)]
    struct Event<T> {
        payload: T,
    }
    let listen = tauri_fn("event", "listen")?;
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        if let Ok(e) = from_js::<Event<T>>(&event) {
            on_event(e.payload);
        }
    });
    let promise = listen
        .call2(&JsValue::NULL, &event.into(), handler.as_ref())
        .map_err(|_| ShellError::other("listen failed"))?;
    let unlisten = std::rc::Rc::new(std::cell::RefCell::new(Unlisten::Pending));
    let slot = unlisten.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(stop) = JsFuture::from(js_sys::Promise::from(promise)).await {
            if let Ok(stop) = stop.dyn_into::<js_sys::Function>() {
                let mut slot = slot.borrow_mut();
                if matches!(*slot, Unlisten::Dropped) {
                    let _ = stop.call0(&JsValue::NULL);
                } else {
                    *slot = Unlisten::Ready(stop);
                }
            }
        }
    });
    Ok(Listening { handler: Some(handler), unlisten })
}

/// Files dropped on the window: their paths, and where the pointer let go (in the window's
/// physical pixels).
#[derive(serde::Deserialize)]
pub struct FileDrop {
    pub paths: Vec<String>,
    #[serde(default)]
    pub position: Option<DropPoint>,
}

#[derive(serde::Deserialize, Clone, Copy)]
pub struct DropPoint {
    pub x: f64,
    pub y: f64,
}

/// Calls `on_drop` with each drop of files on the window (Tauri's `tauri://drag-drop` event,
/// which the window's own drag and drop turns into). For the life of the page.
pub fn on_file_drop(on_drop: impl Fn(FileDrop) + 'static) -> Result<(), ShellError> {
    std::mem::forget(listen("tauri://drag-drop", on_drop)?);
    Ok(())
}
