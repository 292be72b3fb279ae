//! The tray: where WisdomOS stays when its window is closed, so reminders keep coming. Its menu
//! opens the window again or quits.
//!
//! A tray is only useful where the desktop shows it. On Linux an icon is shown by a StatusNotifier
//! host (KDE, Xfce, Cinnamon, GNOME with the AppIndicator extension...), found on the session bus
//! through the `org.kde.StatusNotifierWatcher`; without one (plain GNOME) an icon would be invisible
//! and a window hidden "to the tray" could never be opened again. So the tray is made only when a
//! host is registered, and only then does closing the window hide it instead of quitting. Tauri
//! loads the appindicator library at run time: when it is missing there is no tray either, and the
//! app behaves as it did without one. The host is looked for off the start-up path, once.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, CloseRequestApi, Manager, Window, Wry};
use tauri_plugin_notification::NotificationExt;
use tracing::{info, warn};

const OPEN: &str = "open";
const QUIT: &str = "quit";

/// Whether the tray is shown (then a closed window hides instead of quitting).
#[derive(Default)]
pub struct Tray {
    shown: AtomicBool,
}

/// Looks for a tray host in the background, and makes the tray if there is one.
pub fn start(app: &AppHandle<Wry>) {
    app.manage(Tray::default());
    let app = app.clone();
    let looked = std::thread::Builder::new().name("tray".into()).spawn(move || {
        if !host_present() {
            info!("no tray host on this desktop: closing the window quits");
            return;
        }
        let handle = app.clone();
        let made = app.run_on_main_thread(move || match make(&handle) {
            Ok(()) => {
                handle.state::<Tray>().shown.store(true, Ordering::SeqCst);
                info!("tray shown: closing the window keeps the app running");
            }
            Err(why) => warn!(error = %why, "no tray"),
        });
        if let Err(e) = made {
            warn!(error = %e, "could not make the tray");
        }
    });
    if let Err(e) = looked {
        warn!(error = %e, "could not look for a tray host");
    }
}

/// The window was asked to close: with a tray shown it is hidden instead (the app and its
/// reminders keep running), and the first time ever a notification says where the app went.
pub fn on_close_requested(window: &Window<Wry>, api: &CloseRequestApi) {
    let app = window.app_handle();
    if !app.try_state::<Tray>().is_some_and(|t| t.shown.load(Ordering::SeqCst)) {
        return;
    }
    api.prevent_close();
    if let Err(e) = window.hide() {
        warn!(error = %e, "could not hide the window");
        return;
    }
    info!("window hidden to the tray");
    tell_once(app);
}

/// Makes the tray icon and its menu. The appindicator library is loaded on first use and a
/// missing one panics inside Tauri's dependency, so that first use is fenced here.
fn make(app: &AppHandle<Wry>) -> Result<(), String> {
    let open = MenuItem::with_id(app, OPEN, "Open WisdomOS", true, None::<&str>).map_err(|e| e.to_string())?;
    let quit = MenuItem::with_id(app, QUIT, "Quit WisdomOS", true, None::<&str>).map_err(|e| e.to_string())?;
    let line = PredefinedMenuItem::separator(app).map_err(|e| e.to_string())?;
    let menu = Menu::with_items(app, &[&open, &line, &quit]).map_err(|e| e.to_string())?;
    let mut builder =
        TrayIconBuilder::with_id("main").tooltip("WisdomOS").menu(&menu).show_menu_on_left_click(true).on_menu_event(
            |app, event| match event.id().as_ref() {
                OPEN => show_window(app),
                QUIT => {
                    info!("quit from the tray");
                    app.exit(0);
                }
                _ => {}
            },
        );
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let built = quietly(std::panic::AssertUnwindSafe(|| builder.build(app)));
    match built {
        // The tray lives as long as the app: Tauri keeps it by its id.
        Ok(Ok(_tray)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(()) => Err("the appindicator library (libayatana-appindicator3) could not be loaded".into()),
    }
}

/// Runs `f`, turning a panic into `Err` without the panic's message on stderr.
fn quietly<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, ()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f).map_err(|_| ());
    std::panic::set_hook(hook);
    result
}

fn show_window(app: &AppHandle<Wry>) {
    let Some(window) = app.get_webview_window("main") else { return };
    let shown = window.show().and_then(|()| window.unminimize()).and_then(|()| window.set_focus());
    match shown {
        Ok(()) => info!("window opened from the tray"),
        Err(e) => warn!(error = %e, "could not open the window from the tray"),
    }
}

/// The first time the window goes to the tray, says so (no word of the journal, as every
/// notification); a marker file beside the window's geometry remembers it was said.
fn tell_once(app: &AppHandle<Wry>) {
    let Some(marker) = told_marker(app) else { return };
    if marker.exists() {
        return;
    }
    let shown = app
        .notification()
        .builder()
        .title("WisdomOS is still running")
        .body("It stays in the tray so reminders can come. Open or quit it from the tray icon's menu.")
        .show();
    if let Err(e) = shown {
        warn!(error = %e, "could not say the app went to the tray");
        return;
    }
    if let Some(dir) = marker.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(&marker, b"") {
        warn!(error = %e, "could not remember that the tray was explained");
    }
}

fn told_marker(app: &AppHandle<Wry>) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("tray-explained"))
}

/// Whether the desktop shows tray icons: on Linux, a StatusNotifier host registered with the
/// watcher on the session bus; elsewhere the system always has a tray.
#[cfg(target_os = "linux")]
fn host_present() -> bool {
    let asked = zbus::blocking::Connection::session().and_then(|bus| {
        let watcher = zbus::blocking::Proxy::new(
            &bus,
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.kde.StatusNotifierWatcher",
        )?;
        watcher.get_property::<bool>("IsStatusNotifierHostRegistered")
    });
    asked.unwrap_or_else(|e| {
        tracing::debug!(error = %e, "no StatusNotifier watcher");
        false
    })
}

#[cfg(not(target_os = "linux"))]
fn host_present() -> bool {
    true
}
