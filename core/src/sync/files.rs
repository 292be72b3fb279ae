//! Attachments' bytes through the sync server, beside the rows.
//!
//! An attachment row travels like any row, carrying its file's size and chunk ids (a keyed hash of
//! each 1 MiB chunk's plaintext: `attachments/remote.rs`). The bytes travel as sealed chunks:
//! - Before a push, each attachment not sent yet is *claimed* (the server records which chunks it
//!   is made of and answers which it lacks), the missing chunks are sent one by one, and only then
//!   is the row let out of the outbox: a device that pulls a row can always fetch its chunks.
//!   A chunk the tenant holds already (the same photo on another entry, or sent by another device)
//!   is not sent again; a run cut short resends only what the server still lacks.
//! - After the pull, the files that pulled rows announced are made of the chunks other files here
//!   already have (copied, not fetched), and the rest are fetched chunk by chunk, a few
//!   requests ahead of the one being stored, each chunk committed as it arrives (a dropped
//!   connection resumes where it stopped), and each whole file checked against its hash.
//! - Attachments deleted here are *released*: the server drops their references and deletes
//!   the chunks no other attachment refers to.
//!
//! No file is ever whole in memory: one chunk per request, `FETCH_AHEAD` in flight. The workspace
//! is held only to read or store a chunk, never during a request.

use std::collections::VecDeque;
use std::sync::Arc;
use std::thread::JoinHandle;

use blake2::digest::{consts::U32, Digest};
use wisdom_model::sync::{ChunkClaim, ChunkRelease, MAX_BATCH};

use super::client::Api;
use super::{seal, SyncAccess, SyncReport};
use crate::attachments::remote::{self, Wanted};
use crate::error::{Error, Result};

/// Chunk requests in flight while one chunk is stored.
const FETCH_AHEAD: usize = 4;
/// Chunks listed from the database per round of fetching.
const FETCH_ROUND: usize = 256;

/// Sends the chunks of every attachment not sent yet. A full quota on the server stops the
/// sending and is handed back (not raised), so the rest of the sync goes on; the rows of the
/// attachments not sent wait in the outbox.
pub(super) fn upload(
    access: &impl SyncAccess,
    api: &Api,
    tenant: &str,
    report: &mut SyncReport,
) -> Result<Option<Error>> {
    let mut after = 0;
    loop {
        let next = access.with_workspace(|ws| {
            let Some((rid, mut up)) = remote::next_upload(&ws.conn, after)? else { return Ok(None) };
            if up.chunks.is_empty() {
                let key = ws.data_key().duplicate();
                let tx = ws.tx()?;
                up.chunks = remote::keep_chunk_ids(&tx, &key, &up.hash)?;
                tx.commit()?;
            }
            Ok(Some((rid, up)))
        })?;
        let Some((rid, up)) = next else { return Ok(None) };
        after = rid;
        let claim = ChunkClaim { owner: up.id.clone(), chunks: up.chunks.clone() };
        let missing = api.claim_chunks(tenant, &claim)?.missing;
        for cid in &missing {
            let Some(seq) = up.chunks.iter().position(|c| c == cid) else { continue };
            let sealed = access.with_workspace(|ws| {
                let plain = remote::chunk(&ws.conn, &up.hash, seq as i64)?;
                Ok(seal::seal_chunk(ws.data_key(), ws.id(), cid, &plain))
            })?;
            let size = sealed.len() as u64;
            match api.put_chunk(tenant, cid, sealed) {
                Ok(stored) => {
                    report.chunks_sent += 1;
                    if stored.stored {
                        report.bytes_sent += size;
                    }
                }
                Err(full @ Error::SyncServer { status: 507, .. }) => return Ok(Some(full)),
                Err(e) => return Err(e),
            }
        }
        access.with_workspace(|ws| {
            let tx = ws.tx()?;
            remote::mark_uploaded(&tx, &up.id)?;
            tx.commit()?;
            Ok(())
        })?;
        report.files_sent += 1;
    }
}

/// Tells the server which attachments were deleted here.
pub(super) fn release(access: &impl SyncAccess, api: &Api, tenant: &str) -> Result<()> {
    loop {
        let owners = access.with_workspace(|ws| remote::releases(&ws.conn, MAX_BATCH))?;
        if owners.is_empty() {
            return Ok(());
        }
        api.release_chunks(tenant, &ChunkRelease { owners: owners.clone() })?;
        access.with_workspace(|ws| {
            let tx = ws.tx()?;
            remote::released(&tx, &owners)?;
            tx.commit()?;
            Ok(())
        })?;
    }
}

type Fetching = JoinHandle<Result<Option<Vec<u8>>>>;

/// A file's chunks hashed in order as they arrive, from its first.
struct Running {
    hash: String,
    digest: blake2::Blake2b<U32>,
    next_seq: i64,
    size: u64,
}

impl Running {
    fn next(before: Option<Running>, w: &Wanted, plain: &[u8]) -> Option<Running> {
        let mut r = match before {
            _ if w.seq == 0 => Running { hash: w.hash.clone(), digest: Default::default(), next_seq: 0, size: 0 },
            Some(r) if r.hash == w.hash && r.next_seq == w.seq => r,
            _ => return None,
        };
        r.digest.update(plain);
        r.next_seq += 1;
        r.size += plain.len() as u64;
        Some(r)
    }

    fn seen(self) -> remote::Seen {
        remote::Seen { hash: crate::keys::hex(&self.digest.finalize()), chunks: self.next_seq, size: self.size }
    }
}

/// Fetches every chunk pulled rows announced, file by file.
pub(super) fn download(access: &impl SyncAccess, api: &Arc<Api>, tenant: &str, report: &mut SyncReport) -> Result<()> {
    // Files whose chunks the server no longer has (deleted on another device meanwhile; the
    // tombstone comes with the next pull).
    let mut gone: Vec<String> = Vec::new();
    // A sync with nothing to fetch reads one partial index and writes nothing.
    if !access.with_workspace(|ws| remote::any_to_fetch(&ws.conn))? {
        return Ok(());
    }
    // Chunks are opened and hashed without holding the workspace.
    let (key, ws_id) = access.with_workspace(|ws| Ok((ws.data_key().duplicate(), ws.id().to_string())))?;
    // The file fetched from its first chunk in this run is hashed as it arrives, so checking it
    // whole needs no second read (a file resumed from an earlier run is read back instead).
    let mut running: Option<Running> = None;
    report.files_received += access.with_workspace(|ws| {
        let tx = ws.tx()?;
        let whole = remote::reuse_local_chunks(&tx)?;
        tx.commit()?;
        Ok(whole)
    })?;
    loop {
        let wanted = access.with_workspace(|ws| remote::wanted(&ws.conn, FETCH_ROUND, &gone))?;
        if wanted.is_empty() {
            return Ok(());
        }
        let before = (report.chunks_received, gone.len());
        let mut queue = wanted.into_iter();
        let mut ahead: VecDeque<(Wanted, Fetching)> = VecDeque::with_capacity(FETCH_AHEAD);
        let fetch = |w: Wanted| {
            let (api, tenant, cid) = (api.clone(), tenant.to_string(), w.cid.clone());
            (w, std::thread::spawn(move || api.chunk(&tenant, &cid)))
        };
        ahead.extend(queue.by_ref().take(FETCH_AHEAD).map(fetch));
        while let Some((w, fetching)) = ahead.pop_front() {
            ahead.extend(queue.next().map(fetch));
            let fetched = fetching.join().map_err(|_| Error::Sync("fetching a chunk panicked".into()))??;
            if gone.contains(&w.hash) {
                continue;
            }
            let Some(sealed) = fetched else {
                gone.push(w.hash);
                report.files_waiting += 1;
                continue;
            };
            let plain = seal::open_chunk(&key, &ws_id, &w.cid, &sealed)?;
            running = Running::next(running.take(), &w, &plain);
            access.with_workspace(|ws| {
                let tx = ws.tx()?;
                remote::keep_chunk(&tx, &w.hash, w.seq, &plain)?;
                tx.commit()?;
                Ok(())
            })?;
            report.chunks_received += 1;
            report.bytes_received += sealed.len() as u64;
            let last_of_file = ahead.front().is_none_or(|(next, _)| next.hash != w.hash);
            if last_of_file {
                let seen = running.take().filter(|r| r.hash == w.hash).map(Running::seen);
                let whole = access.with_workspace(|ws| {
                    let tx = ws.tx()?;
                    let whole = remote::finish(&tx, &w.hash, seen.as_ref());
                    // A file that failed its check lost its chunks: that must commit too.
                    tx.commit()?;
                    whole
                })?;
                report.files_received += whole as u32;
            }
        }
        if (report.chunks_received, gone.len()) == before {
            // Nothing moved (cannot happen unless the database refuses to change): stop, do not spin.
            return Ok(());
        }
    }
}
