//! An empty Tauri window built as the app is (same crate, profile, Tauri and WebKitGTK, the same
//! web view settings), showing an empty page: the yardstick `scripts/bench-desktop` measures the
//! app's memory against. Built only with the `empty-window` feature.
#![forbid(unsafe_code)]

use tauri::Manager;

fn main() -> anyhow::Result<()> {
    tauri::Builder::default()
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                wisdom_desktop::webview::tune(&window);
            }
            Ok(())
        })
        .run(tauri::generate_context!("empty-window.conf.json"))?;
    Ok(())
}
