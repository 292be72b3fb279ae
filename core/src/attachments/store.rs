//! The one place that knows the attachment tables' SQL (`migrations/workspace/V10__attachments.sql`):
//! content-addressed chunks, the attachment rows that point at them, and the quota count.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{AttachmentLimits, Incoming, CHUNK_BYTES};
use crate::error::{Error, Result};
use crate::time::{from_db, to_db};
use wisdom_model::{Attachment, EntryKind};

const SELECT: &str = "SELECT a.id, a.event_id, a.entry_id, a.file_name, a.media_type, b.size, a.hash, a.created_at,
            b.thumb_state = 'done'
     FROM attachments a JOIN attachment_blobs b ON b.hash = a.hash";

fn row(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    let event: Option<String> = r.get(1)?;
    let entry: Option<String> = r.get(2)?;
    let (entry_kind, entry_id) = match (event, entry) {
        (Some(e), _) => (EntryKind::Event, e),
        (None, e) => (EntryKind::Autobiography, e.unwrap_or_default()),
    };
    let created: String = r.get(7)?;
    Ok(Attachment {
        id: r.get(0)?,
        entry_kind,
        entry_id,
        file_name: r.get(3)?,
        media_type: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        hash: r.get(6)?,
        created_at: from_db(&created)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e)))?,
        has_thumbnail: r.get(8)?,
    })
}

pub(crate) fn load(conn: &Connection, id: &str) -> Result<Attachment> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or_else(|| Error::not_found("attachment", id))
}

/// Every attachment (of one entry, when given), in the entry's order, oldest entries first.
pub(crate) fn list(conn: &Connection, entry: Option<(EntryKind, &str)>) -> Result<Vec<Attachment>> {
    let (sql, arg) = match entry {
        None => (format!("{SELECT} ORDER BY a.created_at, a.rid"), None),
        Some((EntryKind::Event, id)) => {
            (format!("{SELECT} WHERE a.event_id = ?1 ORDER BY a.position, a.rid"), Some(id))
        }
        Some((EntryKind::Autobiography, id)) => {
            (format!("{SELECT} WHERE a.entry_id = ?1 ORDER BY a.position, a.rid"), Some(id))
        }
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = match arg {
        Some(id) => stmt.query_map([id], row)?.collect::<rusqlite::Result<Vec<_>>>()?,
        None => stmt.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

/// Whether these bytes are stored already (then nothing but a row is written).
pub(crate) fn has_blob(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM attachment_blobs WHERE hash = ?1")?.exists([hash])?)
}

/// Bytes of every distinct stored file, and how many attachments and files there are.
pub(crate) fn usage(conn: &Connection) -> Result<(u64, u64, u64)> {
    let (bytes, files): (i64, i64) =
        conn.query_row("SELECT coalesce(sum(size), 0), count(*) FROM attachment_blobs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let attachments: i64 = conn.query_row("SELECT count(*) FROM attachments", [], |r| r.get(0))?;
    Ok((attachments as u64, files as u64, bytes as u64))
}

/// The attachment `file` already is on this entry, if it is (the same bytes attached twice).
fn existing(conn: &Connection, kind: EntryKind, entry: &str, hash: &str) -> Result<Option<String>> {
    let sql = match kind {
        EntryKind::Event => "SELECT id FROM attachments WHERE event_id = ?1 AND hash = ?2",
        EntryKind::Autobiography => "SELECT id FROM attachments WHERE entry_id = ?1 AND hash = ?2",
    };
    Ok(conn.prepare_cached(sql)?.query_row([entry, hash], |r| r.get(0)).optional()?)
}

/// What one write transaction has added so far, so the workspace limit is counted once.
pub(crate) struct Quota {
    used: u64,
    limits: AttachmentLimits,
}

impl Quota {
    pub(crate) fn new(conn: &Connection, limits: AttachmentLimits) -> Result<Self> {
        Ok(Quota { used: usage(conn)?.2, limits })
    }
}

/// Stores one file on one entry inside the caller's transaction (an import keeps the
/// attachment's own id and time): its bytes once per workspace,
/// then its row. Returns the attachment and whether anything new was written. The entry must
/// exist (checked here: a row for a missing entry would fail the foreign key only at commit).
pub(crate) fn store(
    tx: &Connection,
    quota: &mut Quota,
    kind: EntryKind,
    entry: &str,
    file: &Incoming,
    id: String,
    created_at: DateTime<Utc>,
) -> Result<(Attachment, bool)> {
    let size = file.bytes.len() as u64;
    if size > quota.limits.per_file {
        return Err(Error::AttachmentTooLarge { name: file.name.clone(), size, limit: quota.limits.per_file });
    }
    let owner_exists = match kind {
        EntryKind::Event => tx.prepare_cached("SELECT 1 FROM events WHERE id = ?1")?.exists([entry])?,
        EntryKind::Autobiography => {
            tx.prepare_cached("SELECT 1 FROM autobiography_entries WHERE id = ?1")?.exists([entry])?
        }
    };
    if !owner_exists {
        return Err(Error::not_found(if kind == EntryKind::Event { "event" } else { "autobiography entry" }, entry));
    }
    if let Some(id) = existing(tx, kind, entry, &file.hash)? {
        return Ok((load(tx, &id)?, false));
    }
    if !has_blob(tx, &file.hash)? {
        if quota.used + size > quota.limits.per_workspace {
            return Err(Error::AttachmentQuota {
                name: file.name.clone(),
                size,
                used: quota.used,
                limit: quota.limits.per_workspace,
            });
        }
        let (thumbnail, state) = match &file.thumbnail {
            Some(Some(t)) => (Some(t.as_slice()), "done"),
            Some(None) => (None, "none"),
            None if super::media::can_thumbnail(file.media_type) => (None, "pending"),
            None => (None, "none"),
        };
        let chunks = file.bytes.chunks(CHUNK_BYTES).count();
        tx.prepare_cached(
            "INSERT INTO attachment_blobs (hash, size, chunks, thumbnail, thumb_state) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![file.hash, size as i64, chunks as i64, thumbnail, state])?;
        let mut put = tx.prepare_cached("INSERT INTO attachment_chunks (hash, seq, bytes) VALUES (?1, ?2, ?3)")?;
        for (seq, chunk) in file.bytes.chunks(CHUNK_BYTES).enumerate() {
            put.execute(params![file.hash, seq as i64, chunk])?;
        }
        quota.used += size;
    }
    let column = match kind {
        EntryKind::Event => "event_id",
        EntryKind::Autobiography => "entry_id",
    };
    let position: i64 = tx
        .prepare_cached(&format!("SELECT coalesce(max(position) + 1, 0) FROM attachments WHERE {column} = ?1"))?
        .query_row([entry], |r| r.get(0))?;
    tx.prepare_cached(&format!(
        "INSERT INTO attachments (id, {column}, hash, file_name, media_type, position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![id, entry, file.hash, file.name, file.media_type, position, to_db(created_at)])?;
    Ok((load(tx, &id)?, true))
}

/// The stored bytes of `hash`, chunk by chunk, in order.
pub(crate) fn read_chunks(conn: &Connection, hash: &str, mut each: impl FnMut(&[u8]) -> Result<()>) -> Result<u64> {
    let mut stmt = conn.prepare_cached("SELECT bytes FROM attachment_chunks WHERE hash = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([hash])?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let bytes = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        n += bytes.len() as u64;
        each(bytes)?;
    }
    Ok(n)
}

/// The kept thumbnail and its state (`pending`, `done`, `none`).
pub(crate) fn thumbnail(conn: &Connection, hash: &str) -> Result<(Option<Vec<u8>>, String)> {
    Ok(conn
        .prepare_cached("SELECT thumbnail, thumb_state FROM attachment_blobs WHERE hash = ?1")?
        .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub(crate) fn keep_thumbnail(conn: &Connection, hash: &str, thumbnail: Option<&[u8]>) -> Result<()> {
    let state = if thumbnail.is_some() { "done" } else { "none" };
    conn.prepare_cached("UPDATE attachment_blobs SET thumbnail = ?2, thumb_state = ?3 WHERE hash = ?1")?
        .execute(params![hash, thumbnail, state])?;
    Ok(())
}

/// Up to `max` files still waiting for a thumbnail: (hash, media type).
pub(crate) fn pending_thumbnails(conn: &Connection, max: usize) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.hash, (SELECT media_type FROM attachments a WHERE a.hash = b.hash LIMIT 1)
         FROM attachment_blobs b WHERE b.thumb_state = 'pending' AND b.content = 'here' LIMIT ?1",
    )?;
    let rows = stmt.query_map([max as i64], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn pending_thumbnail_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM attachment_blobs WHERE thumb_state = 'pending' AND content = 'here'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

pub(crate) fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM attachments WHERE id = ?1")?.execute([id])?;
    Ok(())
}
