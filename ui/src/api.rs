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

/// Calls `on_drop` with the paths of the files dropped on the window (Tauri's `tauri://drag-drop`
/// event, which the window's own drag and drop turns into). For the life of the page.
pub fn on_file_drop(on_drop: impl Fn(Vec<String>) + 'static) -> Result<(), ShellError> {
    let listen = tauri_fn("event", "listen")?;
    #[derive(serde::Deserialize)]
    struct Dropped {
        payload: Payload,
    }
    #[derive(serde::Deserialize)]
    struct Payload {
        paths: Vec<String>,
    }
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        if let Ok(d) = from_js::<Dropped>(&event) {
            on_drop(d.payload.paths);
        }
    });
    listen
        .call2(&JsValue::NULL, &"tauri://drag-drop".into(), handler.as_ref())
        .map_err(|_| ShellError::other("listen failed"))?;
    handler.forget();
    Ok(())
}
