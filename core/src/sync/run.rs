//! One sync run as a series of short steps on the workspace, with the server's requests in between.
//!
//! A front end that shares its workspace between threads (the desktop shell keeps it behind a
//! mutex) must not hold it while a request waits on a slow or unreachable server. [`sync_in_steps`]
//! takes the workspace through a [`SyncAccess`] only to read or write it: to seal a batch for
//! push, to take an accepted batch off the queue, and to apply what was pulled. Every request runs
//! with the workspace free.
//!
//! Pulled pages are applied together, in one transaction, because a row may point at one that
//! arrives pages later. While the pages were being fetched the person may have changed a row; the
//! apply step only runs with an empty queue (so a pending local edit is never overwritten unseen:
//! it is pushed first and meets the remote version as a normal concurrent write), and otherwise
//! pushes again and fetches again.

use std::cell::RefCell;
use std::sync::Arc;
use std::thread::JoinHandle;

use tracing::debug;
use wisdom_model::sync::{PullResponse, PushRequest, WrappedKey};

use super::client::Api;
use super::{push_id, SyncReport, PULL_PAGE};
use crate::error::{Error, Result};
use crate::time;
use crate::workspace::Workspace;

/// How a sync run reaches the workspace, one step at a time.
pub trait SyncAccess {
    /// Runs `f` on the workspace, held for the length of `f` only. Fails without calling `f` when
    /// the workspace is no longer there (locked, or another one opened in its place).
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> Result<T>) -> Result<T>;
}

/// The workspace owned by the caller for the whole run (the CLI; also a back-fill of vectors).
pub(crate) struct Exclusive<'a>(pub(crate) RefCell<&'a mut Workspace>);

impl SyncAccess for Exclusive<'_> {
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> Result<T>) -> Result<T> {
        f(&mut self.0.borrow_mut())
    }
}

/// How many times a run pushes edits made while it was fetching, before leaving the pull to the
/// next run (someone typing steadily should not keep a run going for ever).
const SETTLE_ROUNDS: usize = 3;

pub(super) fn sync_exclusive(ws: &mut Workspace) -> Result<SyncReport> {
    // Nothing else can write meanwhile, so pages are applied as they arrive (the next one is fetched
    // while this one is applied).
    run(&Exclusive(RefCell::new(ws)), true)
}

/// [`Workspace::sync_now`] for a workspace shared between threads: pushes the queue, pulls and
/// applies everything newer, holding the workspace (through `access`) only while reading or writing
/// it, never while waiting on the server.
pub fn sync_in_steps(access: &impl SyncAccess) -> Result<SyncReport> {
    run(access, false)
}

fn run(access: &impl SyncAccess, streamed: bool) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let (link, api) = access.with_workspace(|ws| ws.signed_in())?;
    let api = Arc::new(api);
    let tenant = link.tenant_id;
    upload_key_if_changed(access, &api, &tenant)?;
    let mut files_refused = push(access, &api, &tenant, &mut report)?;
    if streamed {
        access.with_workspace(|ws| {
            let start = ws.sync_link()?.cursor;
            debug!(start, "pulling");
            ws.apply_pulled(Pages::new(api.clone(), &tenant, start), start, &mut report)
        })?;
    } else {
        let mut rounds = 0;
        loop {
            let start = access.with_workspace(|ws| Ok(ws.sync_link()?.cursor))?;
            debug!(start, "pulling");
            let pages = Pages::new(api.clone(), &tenant, start).collect::<Result<Vec<_>>>()?;
            let applied = access.with_workspace(|ws| {
                let now = ws.sync_link()?;
                if now.tenant_id != tenant || now.cursor != start {
                    return Err(Error::Sync("the sync link changed during a sync; sync again".into()));
                }
                if ws.pushable_len()? > 0 {
                    return Ok(false);
                }
                ws.apply_pulled(pages.into_iter().map(Ok), start, &mut report)?;
                Ok(true)
            })?;
            if applied {
                break;
            }
            rounds += 1;
            if rounds == SETTLE_ROUNDS {
                debug!("local edits kept coming; the pull waits for the next sync");
                return Ok(report);
            }
            files_refused = files_refused.or(push(access, &api, &tenant, &mut report)?);
        }
    }
    // What the pull caused here (a conflict record, a foreign-key fix-up) goes out in this run, so
    // the other devices see it on their next sync, not only after this device's next one.
    files_refused = files_refused.or(push(access, &api, &tenant, &mut report)?);
    // Attachments' bytes: what was deleted here leaves the server, what pulled rows announced comes.
    super::files::release(access, &api, &tenant)?;
    super::files::download(access, &api, &tenant, &mut report)?;
    access.with_workspace(|ws| {
        ws.conn.execute("UPDATE sync_state SET last_sync_at = ?1 WHERE one = 1", [time::to_db(ws.now())])?;
        Ok(())
    })?;
    debug!(?report, "synced");
    if let Some(refused) = files_refused {
        // Rows went both ways; attachments past the server's quota wait, and the person is told.
        return Err(refused);
    }
    Ok(report)
}

/// After `change_passphrase` the server's copy of the key file opens only with the old
/// passphrase; send the new one, so a device linking later uses the passphrase in force.
fn upload_key_if_changed(access: &impl SyncAccess, api: &Api, tenant: &str) -> Result<()> {
    let changed = access.with_workspace(|ws| {
        let current = ws.wrapped_key()?;
        let uploaded: Option<String> =
            ws.conn.query_row("SELECT uploaded_key FROM sync_state WHERE one = 1", [], |r| r.get(0))?;
        Ok((uploaded.as_deref() != Some(current.as_str())).then_some(current))
    })?;
    let Some(current) = changed else { return Ok(()) };
    match api.set_wrapped_key(tenant, &WrappedKey { wrapped_key: current.clone() }) {
        // A member's device cannot replace the key; the owner's will.
        Ok(()) | Err(Error::SyncServer { status: 403, .. }) => {}
        Err(e) => return Err(e),
    }
    access.with_workspace(|ws| {
        ws.conn.execute("UPDATE sync_state SET uploaded_key = ?1 WHERE one = 1", [current])?;
        Ok(())
    })
}

/// Sends attachments' bytes, then the queued rows. Hands back the server's refusal of a file when
/// the tenant's quota is full (the rows of the attachments not sent stay queued).
fn push(access: &impl SyncAccess, api: &Api, tenant: &str, report: &mut SyncReport) -> Result<Option<Error>> {
    let refused = super::files::upload(access, api, tenant, report)?;
    while let Some(batch) = access.with_workspace(|ws| ws.next_push_batch())? {
        if !batch.changes.is_empty() {
            let req = PushRequest { push_id: push_id(), changes: batch.changes };
            let res = api.push(tenant, &req)?;
            report.pushed += res.accepted;
            report.stale += res.stale;
            let batch = super::PushBatch { changes: req.changes, ..batch };
            access.with_workspace(|ws| ws.record_push(&batch))?;
        } else {
            access.with_workspace(|ws| ws.record_push(&batch))?;
        }
    }
    Ok(refused)
}

/// One page of versions, and the cursor it was asked for after.
pub(super) struct Pulled {
    pub after: i64,
    pub page: PullResponse,
}

/// The server's versions after a cursor, page by page; the next page is fetched on another thread
/// while the caller works on this one.
struct Pages {
    api: Arc<Api>,
    tenant: String,
    next: Option<(i64, JoinHandle<Result<PullResponse>>)>,
    restarted: bool,
}

impl Pages {
    fn new(api: Arc<Api>, tenant: &str, after: i64) -> Pages {
        let mut pages = Pages { api, tenant: tenant.to_string(), next: None, restarted: false };
        pages.fetch(after);
        pages
    }

    fn fetch(&mut self, after: i64) {
        let (api, tenant) = (self.api.clone(), self.tenant.clone());
        self.next = Some((after, std::thread::spawn(move || api.pull(&tenant, after, PULL_PAGE))));
    }
}

impl Iterator for Pages {
    type Item = Result<Pulled>;

    fn next(&mut self) -> Option<Result<Pulled>> {
        loop {
            let (after, fetching) = self.next.take()?;
            let fetched = match fetching.join() {
                Ok(fetched) => fetched,
                Err(_) => return Some(Err(Error::Sync("fetching a page from the server panicked".into()))),
            };
            match fetched {
                Err(Error::SyncServer { status: 409, .. }) if !self.restarted => {
                    // The server has no such cursor (restored from a backup, say): read it all again.
                    self.restarted = true;
                    self.fetch(0);
                }
                Err(e) => return Some(Err(e)),
                Ok(page) => {
                    if page.more {
                        self.fetch(page.next);
                    }
                    return Some(Ok(Pulled { after, page }));
                }
            }
        }
    }
}
