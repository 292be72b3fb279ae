// Loads the Yew app (wasm-bindgen --target web output). Its exports stay reachable for the desktop
// bench's memory gauges (wasm memory, live JS references held by Rust): page scripts are only ours
// (CSP), and they can already ask the shell for everything the wasm side holds.
import init from "./wisdom_ui.js";
init().then((wasm) => { window.wisdomWasm = wasm; });
