//! WisdomOS Desktop's front end: Yew function components compiled to wasm32, shown in the Tauri
//! window and talking to the shell only through `api::invoke` with model/'s typed commands.
//!
//! Invariant: no business rules here beyond wisdom-model's validation (shared with the core), used
//! to put a message next to the field before a round trip.
#![forbid(unsafe_code)]

mod api;
mod app;
mod components;
mod dom;
mod files;
mod format;
mod kept;
mod pages;
mod sections;
mod store;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
