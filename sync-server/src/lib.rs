//! The WisdomOS sync server: accounts, devices and sessions in Postgres' public schema, and one
//! schema per tenant (workspace) holding that workspace's rows as sealed envelopes.
//!
//! Invariant: this crate never holds a workspace key and never sees plaintext; it orders, stores and
//! serves ciphertext. It depends on `model` (the protocol types), never on `core`.
#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod metrics;
pub mod tenancy;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tracing::info;

pub use config::Config;
pub use db::{Database, DbError};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
}

/// Connects to Postgres, migrates the system schema and binds the listener; returns the app, ready
/// to serve, and the address it is bound to (useful when `listen` asked for port 0).
pub async fn bind(config: Config) -> Result<(axum::Router, TcpListener, SocketAddr), StartError> {
    let db = Database::connect(&config.database_url, config.pool_size).await?;
    let listener =
        TcpListener::bind(config.listen).await.map_err(|source| StartError::Listen { addr: config.listen, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen { addr: config.listen, source })?;
    let state = Arc::new(api::AppState {
        throttle: auth::Throttle::new(config.login_attempts, config.login_window),
        metrics: metrics::Metrics::default(),
        db,
        config,
    });
    Ok((api::router(state), listener, addr))
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    app: axum::Router,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    info!(addr = %listener.local_addr()?, "sync server listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// A server on its own thread and runtime, for tests, benchmarks and embedding. Stops on drop.
pub struct Background {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    pub fn start(config: Config) -> Result<Self, StartError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
            rt.block_on(async move {
                match bind(config).await {
                    Ok((app, listener, addr)) => {
                        let _ = ready_tx.send(Ok(addr));
                        let _ = serve(app, listener, async move {
                            let _ = stop_rx.await;
                        })
                        .await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        });
        let addr = ready_rx.recv().expect("server thread ended before starting")?;
        Ok(Background { addr, stop: Some(stop_tx), thread: Some(thread) })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
