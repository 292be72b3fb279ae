//! How the window's web view is set up on Linux (WebKitGTK): a journal is a document-like app, so
//! it gets WebKit's smallest caches and plain software rendering.
//!
//! Measured on a 100,000-event journal (tests/e2e/bench_desktop.py): GPU compositing through
//! Mesa's software GL (what a machine without a usable GPU gets) loads LLVM into both the shell and
//! the web process and made unlock-to-dashboard 3.1 s; without compositing it is about 1 s and the
//! web process holds about 60 MiB less. `WISDOM_GPU=1` turns compositing back on.

use tauri::WebviewWindow;

pub fn tune(window: &WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
        let gpu = std::env::var_os("WISDOM_GPU").is_some_and(|v| v == "1");
        let done = window.with_webview(move |webview| {
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                if !gpu {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                    settings.set_enable_webgl(false);
                }
                // No back/forward navigation, audio, or video in this app.
                settings.set_enable_page_cache(false);
                settings.set_enable_media(false);
                settings.set_enable_webaudio(false);
                settings.set_enable_mediasource(false);
                settings.set_enable_encrypted_media(false);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = done {
            tracing::warn!(error = %e, "could not configure the web view");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
