//! Remembers the main window's size and position in `<app config dir>/window.json`. A few lines of
//! our own instead of a plugin: the file is tiny and read once at start.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, PhysicalPosition, PhysicalSize, WebviewWindow};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowState {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

fn file(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("window.json"))
}

/// Puts the window back where it was; a missing or unreadable file leaves the configured default.
pub fn restore(app: &AppHandle, window: &WebviewWindow) {
    let Some(path) = file(app) else { return };
    let Ok(text) = std::fs::read_to_string(&path) else { return };
    let Ok(state) = serde_json::from_str::<WindowState>(&text) else {
        tracing::warn!(path = %path.display(), "ignoring an unreadable window state file");
        return;
    };
    // A window smaller than the minimum, or one saved on a monitor that is gone, is not restored.
    if state.width < 640 || state.height < 480 {
        return;
    }
    let on_screen = window.available_monitors().unwrap_or_default().iter().any(|m| {
        let (p, s) = (m.position(), m.size());
        state.x + 40 >= p.x
            && state.y + 40 >= p.y
            && state.x < p.x + s.width as i32 - 40
            && state.y < p.y + s.height as i32 - 40
    });
    let _ = window.set_size(PhysicalSize::new(state.width, state.height));
    if on_screen {
        let _ = window.set_position(PhysicalPosition::new(state.x, state.y));
    }
    if state.maximized {
        let _ = window.maximize();
    }
}

/// Writes the window's current geometry (called when it moves, resizes or closes).
pub fn save(app: &AppHandle, window: &tauri::Window) {
    let Some(path) = file(app) else { return };
    let (Ok(pos), Ok(size)) = (window.outer_position(), window.inner_size()) else { return };
    let maximized = window.is_maximized().unwrap_or(false);
    let state = WindowState { x: pos.x, y: pos.y, width: size.width, height: size.height, maximized };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match serde_json::to_vec_pretty(&state) {
        Ok(bytes) => {
            if let Err(e) = std::fs::write(&path, bytes) {
                tracing::warn!(error = %e, "could not save the window state");
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not encode the window state"),
    }
}
