//! Attachments: photos (JPEG, PNG, WebP, HEIC), audio, PDFs and other files kept with events and
//! autobiography entries.
//!
//! They live inside the workspace's SQLCipher file (V10), never beside it: every page is
//! encrypted with the data key like the rest of the journal, a write is part of the same
//! transaction as the entry (deleting an entry deletes its files by cascade, and a failed write
//! leaves nothing behind), and the daily backups (SQLite's backup API) and restores carry them
//! with no second mechanism to keep in step. Why not an encrypted side store: ARCHITECTURE.md.
//!
//! Content-addressed: a file's bytes are stored once per workspace under their BLAKE2b-256 hash,
//! in chunks of [`CHUNK_BYTES`]; each attachment is a row that points at them. A thumbnail is made
//! once per distinct photo and kept: at once when a person attaches one, later (in
//! [`Workspace::make_thumbnails`]) for the thousands an import brings in.

mod media;
pub(crate) mod remote;
mod store;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::db::{resolve_id, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::workspace::Workspace;
use wisdom_model::{Attachment, AttachmentUsage, EntryKind, Limits};

pub(crate) use store::Quota;

/// Stores one file on an entry inside an import's transaction, under the given id and time.
pub(crate) fn store_as(
    tx: &rusqlite::Connection,
    quota: &mut Quota,
    kind: EntryKind,
    entry: &str,
    file: &Incoming,
    id: String,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Result<(Attachment, bool)> {
    store::store(tx, quota, kind, entry, file, id, created_at)
}

/// The size of one stored chunk (and, later, of one sync transfer unit).
pub(crate) const CHUNK_BYTES: usize = 1 << 20;

/// How large one attachment, and all of a journal's attachments together, may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub per_file: u64,
    pub per_workspace: u64,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits { per_file: Limits::ATTACHMENT_BYTES, per_workspace: Limits::WORKSPACE_ATTACHMENT_BYTES }
    }
}

/// A file on its way in: read, hashed and recognised before the write transaction starts.
pub(crate) struct Incoming {
    pub name: String,
    pub bytes: Vec<u8>,
    pub hash: String,
    pub media_type: &'static str,
    /// `None`: not made yet (made later if it can be); `Some(None)`: none can be made.
    pub thumbnail: Option<Option<Vec<u8>>>,
}

impl Incoming {
    pub(crate) fn new(name: &str, bytes: Vec<u8>) -> Self {
        let name = file_name(name);
        let media_type = media::media_type(&bytes, &name);
        Incoming { hash: hash(&bytes), name, bytes, media_type, thumbnail: None }
    }

    fn with_thumbnail(mut self) -> Self {
        self.thumbnail = Some(if media::can_thumbnail(self.media_type) {
            media::thumbnail(&self.bytes, self.media_type)
        } else {
            None
        });
        self
    }
}

/// BLAKE2b-256 of `bytes`, lower-case hex.
pub(crate) fn hash(bytes: &[u8]) -> String {
    use blake2::digest::{consts::U32, Digest};
    let digest = blake2::Blake2b::<U32>::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name a file is kept under: its last part only (whichever slash), no control characters,
/// at most [`Limits::FILE_NAME`] bytes; `file` when nothing is left.
pub(crate) fn file_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let mut name = if clean.is_empty() { "file".to_string() } else { clean.to_string() };
    while name.len() > Limits::FILE_NAME {
        name.pop();
    }
    name
}

/// Reads a file to attach, refusing one past `limit` from its size alone (a 2 GB file is never
/// read) and bounding the read itself (a file that grows meanwhile).
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Incoming> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = std::fs::File::open(path).map_err(Error::io(path))?;
    let size = file.metadata().map_err(Error::io(path))?.len();
    if size > limit {
        return Err(Error::AttachmentTooLarge { name: file_name(&name), size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(Error::io(path))?;
    if bytes.len() as u64 > limit {
        return Err(Error::AttachmentTooLarge { name: file_name(&name), size: bytes.len() as u64, limit });
    }
    Ok(Incoming::new(&name, bytes))
}

impl Workspace {
    /// The limits attachments are held to (the defaults of [`Limits`] unless changed).
    pub fn set_attachment_limits(&mut self, limits: AttachmentLimits) {
        self.attachment_limits = limits;
    }

    /// Attaches files to an event or autobiography entry (an id or unique prefix), all or none:
    /// a file too large, past the journal's limit or unreadable attaches nothing. Thumbnails of
    /// photos are made now. A file already on the entry is given back as it is.
    pub fn attach_files(&mut self, kind: EntryKind, entry: &str, files: &[PathBuf]) -> Result<Vec<Attachment>> {
        let limit = self.attachment_limits.per_file;
        let incoming = files.iter().map(|p| read_file(p, limit)).collect::<Result<Vec<_>>>()?;
        self.attach(kind, entry, incoming)
    }

    /// Attaches bytes under a file name (the desktop's paste and drop).
    pub fn attach_bytes(&mut self, kind: EntryKind, entry: &str, name: &str, bytes: Vec<u8>) -> Result<Attachment> {
        let mut out = self.attach(kind, entry, vec![Incoming::new(name, bytes)])?;
        Ok(out.remove(0))
    }

    fn attach(&mut self, kind: EntryKind, entry: &str, incoming: Vec<Incoming>) -> Result<Vec<Attachment>> {
        let entry = resolve_id(&self.conn, entry_table(kind), entry)?;
        let limit = self.attachment_limits.per_file;
        // Thumbnails are the slow part: made before the write lock is taken, and only for bytes
        // not stored already.
        let mut ready = Vec::with_capacity(incoming.len());
        for f in incoming {
            if f.bytes.len() as u64 > limit {
                return Err(Error::AttachmentTooLarge { name: f.name, size: f.bytes.len() as u64, limit });
            }
            ready.push(if store::has_blob(&self.conn, &f.hash)? { f } else { f.with_thumbnail() });
        }
        let now = self.now();
        let limits = self.attachment_limits;
        let tx = self.tx()?;
        let mut quota = Quota::new(&tx, limits)?;
        let mut out = Vec::with_capacity(ready.len());
        for f in &ready {
            let (a, _) = store::store(&tx, &mut quota, kind, &entry, f, new_id(prefix::ATTACHMENT, now), now)?;
            out.push(a);
        }
        tx.commit()?;
        tracing::info!(attachments = out.len(), "attached");
        Ok(out)
    }

    /// Every attachment, or those of one entry (in their order).
    pub fn attachments(&self, entry: Option<(EntryKind, &str)>) -> Result<Vec<Attachment>> {
        match entry {
            Some((kind, id)) => {
                let id = resolve_id(&self.conn, entry_table(kind), id)?;
                store::list(&self.conn, Some((kind, &id)))
            }
            None => store::list(&self.conn, None),
        }
    }

    /// One attachment by id or unique prefix.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        let id = resolve_id(&self.conn, Table::Attachments, id)?;
        store::load(&self.conn, &id)
    }

    /// Writes an attachment's bytes to `out`, checking them against their hash as they go: a
    /// mismatch (a damaged file) is an error, never a silently different file.
    pub fn attachment_content(&self, id: &str, out: &mut dyn Write) -> Result<Attachment> {
        use blake2::digest::{consts::U32, Digest};
        let a = self.attachment(id)?;
        if !remote::is_here(&self.conn, &a.hash)? {
            return Err(Error::Sync(format!(
                "{} ({}) is still being fetched from the sync server: sync again to finish it",
                a.file_name, a.id
            )));
        }
        let mut h = blake2::Blake2b::<U32>::new();
        let n = store::read_chunks(&self.conn, &a.hash, |chunk| {
            h.update(chunk);
            out.write_all(chunk).map_err(Error::io(&a.file_name))
        })?;
        let got: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if got != a.hash || n != a.size {
            return Err(Error::damaged(
                &self.path,
                format!("the journal file is damaged (attachment {} ({}) does not match its hash)", a.id, a.file_name),
            ));
        }
        Ok(a)
    }

    /// An attachment's bytes in memory.
    pub fn attachment_bytes(&self, id: &str) -> Result<(Attachment, Vec<u8>)> {
        let mut bytes = Vec::new();
        let a = self.attachment_content(id, &mut bytes)?;
        Ok((a, bytes))
    }

    /// A photo's thumbnail (a JPEG), made now and kept if an import left it for later; `None`
    /// for files that have none.
    pub fn attachment_thumbnail(&mut self, id: &str) -> Result<Option<Vec<u8>>> {
        let a = self.attachment(id)?;
        let (thumb, state) = store::thumbnail(&self.conn, &a.hash)?;
        if state != "pending" || !remote::is_here(&self.conn, &a.hash)? {
            return Ok(thumb);
        }
        let (_, bytes) = self.attachment_bytes(&a.id)?;
        let made = media::thumbnail(&bytes, &a.media_type);
        let tx = self.tx()?;
        store::keep_thumbnail(&tx, &a.hash, made.as_deref())?;
        tx.commit()?;
        Ok(made)
    }

    /// Makes up to `max` of the thumbnails imports left for later, committing each batch, and
    /// returns how many are still waiting.
    pub fn make_thumbnails(&mut self, max: usize, progress: crate::ProgressFn<'_>) -> Result<u64> {
        let total = store::pending_thumbnail_count(&self.conn)?.min(max as u64);
        let mut done = 0u64;
        while done < total {
            let batch = store::pending_thumbnails(&self.conn, 16.min((total - done) as usize))?;
            if batch.is_empty() {
                break;
            }
            let mut made = Vec::with_capacity(batch.len());
            for (hash, media_type) in batch {
                let mut bytes = Vec::new();
                store::read_chunks(&self.conn, &hash, |c| {
                    bytes.extend_from_slice(c);
                    Ok(())
                })?;
                made.push((hash, media::thumbnail(&bytes, &media_type)));
            }
            let tx = self.tx()?;
            for (hash, t) in &made {
                store::keep_thumbnail(&tx, hash, t.as_deref())?;
            }
            tx.commit()?;
            done += made.len() as u64;
            progress(crate::Progress { done, total });
        }
        store::pending_thumbnail_count(&self.conn)
    }

    /// Removes one attachment; its bytes go too unless another attachment shares them.
    pub fn delete_attachment(&mut self, id: &str) -> Result<Attachment> {
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Attachments, id)?;
        let a = store::load(&tx, &id)?;
        store::delete(&tx, &id)?;
        tx.commit()?;
        Ok(a)
    }

    /// How much attachment space is used, against the journal's limit.
    pub fn attachment_usage(&self) -> Result<AttachmentUsage> {
        let (attachments, files, bytes) = store::usage(&self.conn)?;
        Ok(AttachmentUsage { attachments, files, bytes, limit_bytes: self.attachment_limits.per_workspace })
    }
}

fn entry_table(kind: EntryKind) -> Table {
    match kind {
        EntryKind::Event => Table::Events,
        EntryKind::Autobiography => Table::Autobiography,
    }
}

/// A size as a person reads it: `5.2 MB`, `100 MB`, `812 bytes`.
pub(crate) fn shown_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests;
