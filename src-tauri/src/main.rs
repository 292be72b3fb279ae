//! The `wisdom-desktop` binary: logging, then the shell (see lib.rs).
#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("WISDOM_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    // The benchmark reads this line's timestamp as the moment the app started.
    tracing::debug!(pid = std::process::id(), "wisdom-desktop starting");
    wisdom_desktop::run(tauri::generate_context!())?;
    Ok(())
}
