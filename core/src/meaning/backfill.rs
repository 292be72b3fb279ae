//! Computing the vectors the journal lacks, in batches, each committed on its own: an interrupted
//! back-fill keeps what it did, and the journal stays usable while it runs.

use std::cell::RefCell;

use super::store::EVENTS;
use super::Model;
use crate::error::Result;
use crate::export::{Progress, ProgressFn};
use crate::sync::{Exclusive, SyncAccess};
use crate::workspace::Workspace;

/// Texts per batch: about half a second of the model here, so a stepwise back-fill lets go of the
/// workspace often.
const BATCH: usize = 128;

impl Workspace {
    /// Computes and stores the vector of every entry that has none, newest first, calling
    /// `progress` after each batch. Returns how many were stored.
    pub fn embed_backlog(&mut self, model: &Model, progress: ProgressFn<'_>) -> Result<u64> {
        embed_in_steps(&Exclusive(RefCell::new(self)), model, progress, &|| false)
    }

    /// Reads the events that have no vector yet (not insights or autobiography entries): what a
    /// detection run needs, on the spot when there are few.
    pub(crate) fn embed_event_backlog(&mut self, model: &Model) -> Result<u64> {
        fill(&Exclusive(RefCell::new(self)), model, Some(EVENTS), &mut |_| {}, &|| false)
    }
}

/// [`Workspace::embed_backlog`] for a workspace shared between threads (the desktop): the
/// workspace is held (through `access`, the same seam a stepwise sync uses) only to read a batch
/// of texts and to store its vectors, never while the model runs. Stops early when `stop` says so.
pub fn embed_in_steps(
    access: &impl SyncAccess,
    model: &Model,
    progress: ProgressFn<'_>,
    stop: &dyn Fn() -> bool,
) -> Result<u64> {
    fill(access, model, None, progress, stop)
}

/// The back-fill: batches of texts of `only` one kind (or of all), read, embedded with the
/// workspace free, stored.
fn fill(
    access: &impl SyncAccess,
    model: &Model,
    only: Option<usize>,
    progress: ProgressFn<'_>,
    stop: &dyn Fn() -> bool,
) -> Result<u64> {
    let status = access.with_workspace(|ws| ws.meaning_status())?;
    let total = status.total.saturating_sub(status.embedded);
    let mut done = 0u64;
    while !stop() {
        let batch: Vec<_> = access
            .with_workspace(|ws| ws.vector_backlog(BATCH))?
            .into_iter()
            .filter(|p| only.is_none_or(|k| p.kind == k))
            .collect();
        if batch.is_empty() {
            break;
        }
        let texts: Vec<&str> = batch.iter().map(|p| p.text.as_str()).collect();
        let vectors = model.embed(&texts);
        let stored = access.with_workspace(|ws| ws.store_vectors(&batch, &vectors))?;
        if stored == 0 {
            // Every text changed under us, or the journal is somehow refusing: try again next time.
            break;
        }
        done += stored as u64;
        progress(Progress { done, total: total.max(done) });
    }
    if done > 0 {
        tracing::debug!(stored = done, "text vectors back-filled");
    }
    Ok(done)
}
