//! `wisdom-sync-server`: the thin binary. Configuration from the environment and the command line
//! (see `--help`), logs as structured lines on stderr.
#![forbid(unsafe_code)]

use anyhow::Context;
use tracing_subscriber::filter::Targets;
use wisdom_sync_server::{bind, serve, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| "info".parse().expect("constant filter"));
    let json = std::env::var("WISDOM_SYNC_LOG_FORMAT").is_ok_and(|v| v == "json");
    use tracing_subscriber::prelude::*;
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    if json {
        tracing_subscriber::registry().with(fmt.json().with_filter(filter)).init();
    } else {
        tracing_subscriber::registry().with(fmt.with_filter(filter)).init();
    }

    let config = match Config::from_env_and_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    tracing::info!(config = ?config, "starting");
    let (app, listener, _addr) = bind(config).await.context("starting the sync server")?;
    serve(app, listener, shutdown_signal()).await.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
