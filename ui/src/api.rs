//! Calls into the desktop shell: `window.__TAURI__.core.invoke(command, args)`, with arguments and
//! results crossing as JSON so the shapes are exactly wisdom-model's serde shapes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The shell's error shape (src-tauri/src/error.rs).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub field: Option<String>,
}

impl ApiError {
    fn local(message: impl Into<String>) -> Self {
        ApiError { kind: "other".into(), message: message.into(), field: None }
    }

    pub fn is_locked(&self) -> bool {
        self.kind == "locked"
    }
}

fn invoke_fn() -> Result<js_sys::Function, ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::local("no window"))?;
    let tauri = js_sys::Reflect::get(&window, &"__TAURI__".into()).ok().filter(|v| !v.is_undefined());
    let tauri = tauri.ok_or_else(|| ApiError::local("This page must run inside the WisdomOS app."))?;
    let core = js_sys::Reflect::get(&tauri, &"core".into()).map_err(|_| ApiError::local("no Tauri core"))?;
    js_sys::Reflect::get(&core, &"invoke".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| ApiError::local("no Tauri invoke"))
}

fn to_js(value: &impl Serialize) -> Result<JsValue, ApiError> {
    let text = serde_json::to_string(value).map_err(|e| ApiError::local(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| ApiError::local("could not encode the request"))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, ApiError> {
    if value.is_undefined() {
        return serde_json::from_str("null").map_err(|e| ApiError::local(e.to_string()));
    }
    let text: String = js_sys::JSON::stringify(value).map(String::from).unwrap_or_else(|_| "null".into());
    serde_json::from_str(&text).map_err(|e| ApiError::local(format!("unexpected reply: {e}")))
}

/// Runs one shell command. `args` is an object whose keys are the command's argument names.
pub async fn call<T: DeserializeOwned>(command: &str, args: serde_json::Value) -> Result<T, ApiError> {
    let invoke = invoke_fn()?;
    let promise = invoke
        .call2(&JsValue::NULL, &command.into(), &to_js(&args)?)
        .map_err(|e| from_js(&e).unwrap_or_else(|_: ApiError| ApiError::local("invoke failed")))?;
    match JsFuture::from(js_sys::Promise::from(promise)).await {
        Ok(v) => from_js(&v),
        Err(e) => Err(from_js::<ApiError>(&e)
            .unwrap_or_else(|_| ApiError::local(e.as_string().unwrap_or_else(|| "the app did not answer".into())))),
    }
}
