//! The attachment tables as sync sees them (`migrations/workspace/V13__attachment_sync.sql`): the
//! chunk ids a file has on the server, what is still to send and to fetch, and the manifest an
//! attachment row carries so another device knows what to fetch. The SQL of V13's columns and
//! tables lives here; the transfers themselves are `sync/files.rs`.

use blake2::digest::{consts::U32, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::{media, store, CHUNK_BYTES};
use crate::error::{Error, Result};
use crate::keys::DataKey;

/// Attachments whose chunks this device has not sent yet: their rows wait in the outbox (a device
/// that pulled a row must be able to fetch its chunks). For `WHERE` clauses over `sync_outbox`.
pub(crate) const HELD_BACK: &str =
    "NOT (entity = 'attachment' AND id IN (SELECT id FROM attachments WHERE upload_state = 'pending'))";

/// A chunk's id on the server: BLAKE2b-256 of its plaintext keyed with the data key (personalised,
/// so the value is used for nothing else). Equal chunks of one workspace share an id; the server,
/// without the key, cannot test a guess of a chunk's content against it.
pub(crate) fn chunk_id(key: &DataKey, plain: &[u8]) -> String {
    let mut mac = blake2::Blake2bMac::<U32>::new_with_salt_and_personal(key.bytes(), b"", b"wisdomos-chunk/1")
        .expect("a 32-byte key and a 16-byte personalisation are valid for BLAKE2b");
    mac.update(plain);
    crate::keys::hex(&mac.finalize().into_bytes())
}

/// One attachment to send: its id, its file's hash and the chunk ids in order.
pub(crate) struct Upload {
    pub id: String,
    pub hash: String,
    pub chunks: Vec<String>,
}

/// The next attachment to send after `after_rid` (files here only). Its chunk ids are empty when
/// not computed yet (a file attached before V13, or on a device that never synced): then
/// [`keep_chunk_ids`] makes them.
pub(crate) fn next_upload(conn: &Connection, after_rid: i64) -> Result<Option<(i64, Upload)>> {
    let next: Option<(i64, String, String, i64)> = conn
        .prepare_cached(
            "SELECT a.rid, a.id, a.hash, b.chunks FROM attachments a JOIN attachment_blobs b ON b.hash = a.hash
             WHERE a.upload_state = 'pending' AND a.rid > ?1 AND b.content = 'here' ORDER BY a.rid LIMIT 1",
        )?
        .query_row([after_rid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((rid, id, hash, expected)) = next else { return Ok(None) };
    let mut chunks = chunk_ids(conn, &hash)?;
    if chunks.len() as i64 != expected {
        chunks.clear();
    }
    Ok(Some((rid, Upload { id, hash, chunks })))
}

/// Computes and keeps the chunk ids of a stored file, in order.
pub(crate) fn keep_chunk_ids(conn: &Connection, key: &DataKey, hash: &str) -> Result<Vec<String>> {
    let mut chunks = Vec::new();
    store::read_chunks(conn, hash, |c| {
        chunks.push(chunk_id(key, c));
        Ok(())
    })?;
    let mut put =
        conn.prepare_cached("INSERT OR REPLACE INTO attachment_chunk_ids (hash, seq, cid) VALUES (?1, ?2, ?3)")?;
    for (seq, cid) in chunks.iter().enumerate() {
        put.execute(params![hash, seq as i64, cid])?;
    }
    Ok(chunks)
}

fn chunk_ids(conn: &Connection, hash: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT cid FROM attachment_chunk_ids WHERE hash = ?1 ORDER BY seq")?;
    let ids = stmt.query_map([hash], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// One stored chunk's plaintext, by the file's hash and the chunk's place in it.
pub(crate) fn chunk(conn: &Connection, hash: &str, seq: i64) -> Result<Vec<u8>> {
    conn.prepare_cached("SELECT bytes FROM attachment_chunks WHERE hash = ?1 AND seq = ?2")?
        .query_row(params![hash, seq], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("attachment chunk", &format!("{hash}/{seq}")))
}

/// The attachment's chunks are on the server: its row may go.
pub(crate) fn mark_uploaded(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE attachments SET upload_state = 'done' WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// What an attachment row carries besides its columns: its file's size and chunk ids.
pub(crate) fn manifest(conn: &Connection, hash: &str) -> Result<Value> {
    let size: Option<i64> = conn
        .prepare_cached("SELECT size FROM attachment_blobs WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?;
    Ok(json!({"size": size.unwrap_or(0), "chunks": chunk_ids(conn, hash)?}))
}

/// Before a pulled attachment row is written: its file, announced (to be fetched) unless its
/// bytes are here already, with the chunk ids to fetch them by.
pub(crate) fn announce(conn: &Connection, row: &Value, manifest: Option<&Value>) -> Result<()> {
    let bad = |what: &str| Error::Sync(format!("a pulled attachment row has {what}"));
    let hash = row.get("hash").and_then(Value::as_str).ok_or_else(|| bad("no file hash"))?;
    if store::has_blob(conn, hash)? {
        return Ok(());
    }
    let manifest = manifest.ok_or_else(|| bad("no manifest"))?;
    let size = manifest.get("size").and_then(Value::as_u64).ok_or_else(|| bad("no size"))?;
    let chunks: Vec<&str> = manifest
        .get("chunks")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let expected = size.div_ceil(CHUNK_BYTES as u64) as usize;
    if chunks.len() != expected || !chunks.iter().all(|c| wisdom_model::sync::is_chunk_id(c)) {
        return Err(bad("a manifest that does not match its size"));
    }
    let media_type = row.get("media_type").and_then(Value::as_str).unwrap_or("");
    // Thumbnails are made on each device (derived data never travels): on first sight, or by
    // `make_thumbnails`, once the bytes are here. An empty file has nothing to fetch.
    let thumb = if media::can_thumbnail(media_type) { "pending" } else { "none" };
    let content = if size == 0 { "here" } else { "fetch" };
    conn.prepare_cached(
        "INSERT INTO attachment_blobs (hash, size, chunks, thumbnail, thumb_state, content)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
    )?
    .execute(params![hash, size as i64, chunks.len() as i64, thumb, content])?;
    let mut put = conn.prepare_cached("INSERT INTO attachment_chunk_ids (hash, seq, cid) VALUES (?1, ?2, ?3)")?;
    for (seq, cid) in chunks.iter().enumerate() {
        put.execute(params![hash, seq as i64, cid])?;
    }
    Ok(())
}

/// One chunk still to fetch: the file's hash, its place and its id.
pub(crate) struct Wanted {
    pub hash: String,
    pub seq: i64,
    pub cid: String,
}

/// About `max` chunks still to fetch (whole files: the last file's missing chunks all come), file
/// by file, skipping the files in `skip` (whose chunks the server did not have this run).
pub(crate) fn wanted(conn: &Connection, max: usize, skip: &[String]) -> Result<Vec<Wanted>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.hash, i.seq, i.cid FROM attachment_blobs b JOIN attachment_chunk_ids i ON i.hash = b.hash
         WHERE b.content = 'fetch'
           AND NOT EXISTS (SELECT 1 FROM attachment_chunks c WHERE c.hash = i.hash AND c.seq = i.seq)
         ORDER BY b.hash, i.seq",
    )?;
    let mut out: Vec<Wanted> = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let hash: String = r.get(0)?;
        if skip.contains(&hash) {
            continue;
        }
        if out.len() >= max && out.last().is_some_and(|w| w.hash != hash) {
            break;
        }
        out.push(Wanted { hash, seq: r.get(1)?, cid: r.get(2)? });
    }
    Ok(out)
}

/// Whether any file announced by a pulled row is still being fetched.
pub(crate) fn any_to_fetch(conn: &Connection) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM attachment_blobs WHERE content = 'fetch' LIMIT 1")?.exists([])?)
}

/// Copies the chunks still to fetch that another file here already has (the same bytes at any
/// place in it), then finishes the files that are whole by that; returns how many were.
pub(crate) fn reuse_local_chunks(conn: &Connection) -> Result<u32> {
    let copied = conn
        .prepare_cached(
            "INSERT INTO attachment_chunks (hash, seq, bytes)
             SELECT i.hash, i.seq,
                    (SELECT c.bytes FROM attachment_chunk_ids j
                     JOIN attachment_chunks c ON c.hash = j.hash AND c.seq = j.seq
                     WHERE j.cid = i.cid AND j.hash <> i.hash LIMIT 1) AS bytes
             FROM attachment_blobs b JOIN attachment_chunk_ids i ON i.hash = b.hash
             WHERE b.content = 'fetch'
               AND NOT EXISTS (SELECT 1 FROM attachment_chunks c WHERE c.hash = i.hash AND c.seq = i.seq)
               AND bytes IS NOT NULL",
        )?
        .execute([])?;
    if copied == 0 {
        return Ok(0);
    }
    let fetching: Vec<String> = conn
        .prepare_cached("SELECT hash FROM attachment_blobs WHERE content = 'fetch'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut whole = 0;
    for hash in fetching {
        whole += finish(conn, &hash, None)? as u32;
    }
    Ok(whole)
}

/// Keeps fetched chunks (each opened and checked against its id by the caller).
pub(crate) fn keep_chunk(conn: &Connection, hash: &str, seq: i64, plain: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO attachment_chunks (hash, seq, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![hash, seq, plain])?;
    Ok(())
}

/// What the fetching loop hashed of a file as its chunks arrived, all of them in order.
pub(crate) struct Seen {
    pub hash: String,
    pub chunks: i64,
    pub size: u64,
}

/// A fetched file whose chunks are all here: checked against its hash (from `seen`, when every
/// chunk was hashed as it arrived; else read back), then usable. A file that does not match
/// loses its chunks (fetched again next time) and is an error.
pub(crate) fn finish(conn: &Connection, hash: &str, seen: Option<&Seen>) -> Result<bool> {
    use blake2::digest::Digest;
    let Some((size, chunks)) = conn
        .prepare_cached("SELECT size, chunks FROM attachment_blobs WHERE hash = ?1 AND content = 'fetch'")?
        .query_row([hash], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .optional()?
    else {
        return Ok(false);
    };
    let have: i64 = conn
        .prepare_cached("SELECT count(*) FROM attachment_chunks WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))?;
    if have < chunks {
        return Ok(false);
    }
    let (got, n) = match seen.filter(|s| s.chunks == chunks) {
        Some(s) => (s.hash.clone(), s.size),
        None => {
            let mut h = blake2::Blake2b::<U32>::new();
            let n = store::read_chunks(conn, hash, |c| {
                h.update(c);
                Ok(())
            })?;
            (crate::keys::hex(&h.finalize()), n)
        }
    };
    if got != hash || n as i64 != size {
        conn.prepare_cached("DELETE FROM attachment_chunks WHERE hash = ?1")?.execute([hash])?;
        return Err(Error::Sync(format!("a fetched file ({hash}) does not match its hash; it will be fetched again")));
    }
    conn.prepare_cached("UPDATE attachment_blobs SET content = 'here' WHERE hash = ?1")?.execute([hash])?;
    Ok(true)
}

/// Whether a file's bytes are all here.
pub(crate) fn is_here(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT content = 'here' FROM attachment_blobs WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Up to `max` attachments deleted here whose server references are still to drop.
pub(crate) fn releases(conn: &Connection, max: usize) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM attachment_releases LIMIT ?1")?;
    let ids = stmt.query_map([max as i64], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

pub(crate) fn released(conn: &Connection, ids: &[String]) -> Result<()> {
    let mut del = conn.prepare_cached("DELETE FROM attachment_releases WHERE id = ?1")?;
    for id in ids {
        del.execute([id])?;
    }
    Ok(())
}

/// A pulled attachment row: its chunks came from the device that wrote it, nothing to send.
pub(crate) fn received(conn: &Connection, id: &str) -> Result<()> {
    mark_uploaded(conn, id)
}

/// This journal now syncs with another server or tenant: every file is sent again.
pub(crate) fn forget_uploads(conn: &Connection) -> Result<()> {
    conn.execute_batch("UPDATE attachments SET upload_state = 'pending'; DELETE FROM attachment_releases;")?;
    Ok(())
}
