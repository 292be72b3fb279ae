//! The shell's commands: one per core operation, each a direct call on the unlocked [`Workspace`],
//! taking its arguments and returning its reply as model/'s `commands` module declares them. No
//! business logic lives here; what a command adds is only the desktop's glue (the registry entry
//! on create/open, a file path for export/import, the background threads' nudges).
//!
//! One file per part of the product: `workspaces` (create, unlock, backups), `recovery` (the
//! recovery key: a forgotten passphrase, a new key), `journal` (areas,
//! the dashboard, the daily practice, events, templates, search), `growth` (insights, patterns,
//! snapshots, commitments, boundaries, the autobiography), `files` (export and import), `sync`.

pub mod attachments;
pub mod files;
pub mod growth;
pub mod journal;
pub mod recovery;
pub mod sync;
pub mod workspaces;

use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use tracing::{debug, warn};
use wisdom_core::{Registry, Workspace};

use crate::error::{CmdResult, CommandError};
use crate::reader::Reader;
use crate::reminders::Reminders;
use crate::sync::{lock_slot, Background, Slot};

/// SQLite's page cache of the unlocked journal, in MiB (see [`AppState::opened`]).
const PAGE_CACHE_MIB: u32 = 8;

/// The app's state: the unlocked workspace (`None` while locked), shared with the background sync,
/// the language model's reader and the reminders.
pub struct AppState {
    workspace: Slot,
    sync: Arc<Background>,
    reader: Arc<Reader>,
    reminders: Arc<Reminders>,
}

impl Default for AppState {
    fn default() -> Self {
        let reader = Arc::new(Reader::default());
        // Rows received from another device are read like local writes.
        let sync = Arc::new(Background::new({
            let reader = reader.clone();
            move || reader.nudge()
        }));
        AppState { workspace: Slot::default(), sync, reader, reminders: Arc::default() }
    }
}

impl AppState {
    fn slot(&self) -> MutexGuard<'_, Option<Workspace>> {
        lock_slot(&self.workspace)
    }

    /// A journal is now unlocked: background sync starts (if it is signed in), and the reader
    /// looks for entries the language model has not read. The window stays open for hours, so the
    /// journal keeps a small page cache: 8 MiB instead of core's 32 cost the app 10 MiB less with
    /// a 100,000-event journal and no page drew slower (scripts/bench-desktop).
    fn opened(&self, ws: Workspace) {
        if let Err(e) = ws.limit_page_cache(PAGE_CACHE_MIB) {
            warn!(error = %e, "the page cache keeps its default size");
        }
        *self.slot() = Some(ws);
        self.sync.start(&self.workspace);
        self.sync.kick();
        self.reader.start(&self.workspace);
        self.reader.kick();
        self.reminders.nudge();
    }

    /// Starts what runs whether a journal is unlocked or not: the reminders.
    pub(crate) fn start_reminders(&self, app: tauri::AppHandle<tauri::Wry>) {
        self.reminders.attach(app);
        self.reminders.start(&self.workspace);
    }

    /// Locks: the background threads stop looking at the journal, and its key is dropped. The
    /// reminders' schedule is kept first, as the journal is now, for while it is locked.
    fn lock(&self) {
        self.reader.reset();
        if let Some(ws) = self.slot().take() {
            self.reminders.remember(&ws);
            ws.lock();
        }
        self.sync.reset();
    }

    /// [`AppState::with`] for a command that changes the journal: a sync follows soon, the
    /// reader reads what is new, and the reminders look again (a first entry today, a review date).
    fn write<T, F: FnOnce(&mut Workspace) -> wisdom_core::Result<T>>(&self, f: F) -> CmdResult<T> {
        let out = self.with(f)?;
        self.sync.nudge();
        self.reader.nudge();
        self.reminders.nudge();
        Ok(out)
    }

    fn with<T, F: FnOnce(&mut Workspace) -> wisdom_core::Result<T>>(&self, f: F) -> CmdResult<T> {
        let asked = Instant::now();
        let mut slot = self.slot();
        let waited = asked.elapsed();
        let ws = slot.as_mut().ok_or_else(CommandError::locked)?;
        let out = f(ws);
        // The closure's type name carries the command's name; no argument is ever logged.
        let op = std::any::type_name::<F>().trim_start_matches("wisdom_desktop::commands::");
        let op = op.split("::").take(2).collect::<Vec<_>>().join("::");
        debug!(op, waited_ms = waited.as_millis() as u64, ran_ms = (asked.elapsed() - waited).as_millis() as u64);
        Ok(out?)
    }

    /// [`AppState::with`] for a call that talks to the sync server: run off the async runtime.
    async fn with_network<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Workspace) -> CmdResult<T> + Send + 'static,
    {
        let slot = self.workspace.clone();
        off_runtime(move || {
            let mut guard = lock_slot(&slot);
            f(guard.as_mut().ok_or_else(CommandError::locked)?)
        })
        .await
    }
}

fn registry() -> CmdResult<Registry> {
    Ok(Registry::load(&Registry::default_path())?)
}

/// Runs `f` on a thread of its own, outside the async runtime: core's sync client uses blocking
/// HTTP, which must not run (or even be created) inside a tokio context.
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
    let joined = tauri::async_runtime::spawn_blocking(move || std::thread::spawn(f).join())
        .await
        .map_err(|e| CommandError::other(format!("the app failed: {e}")))?;
    joined.map_err(|_| CommandError::other("the sync failed unexpectedly; see the app's log"))?
}

/// Runs `f` on the blocking pool (loading the language model, say), so the journal is not held
/// and the async runtime not stalled meanwhile.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| CommandError::other(format!("the app failed: {e}")))
}
