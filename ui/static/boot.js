// Loads the Yew app (wasm-bindgen --target web output).
import init from "./wisdom_ui.js";
init();
