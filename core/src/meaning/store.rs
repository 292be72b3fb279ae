//! The vectors in the workspace (table `text_vectors`, migrations/workspace/V6): what still needs
//! one, storing them, and the index search by meaning ranks against.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use wisdom_model::MeaningStatus;

use super::{dequantise, quantise, text_of, DIM, MODEL_NAME};
use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;

/// One kind of entry that has vectors: its name in `text_vectors.kind` and how its text is read.
pub(crate) struct Kind {
    pub(crate) name: &'static str,
    /// (rid, title, body) of the entries without a vector, the newest first.
    backlog: &'static str,
    /// (title, body) of one entry by rid.
    text: &'static str,
    count: &'static str,
    /// (id, title, text for a snippet, date, life area or NULL) of one entry by rid.
    pub(crate) entry: &'static str,
    /// The stored vector of one entry by id.
    pub(crate) vector_by_id: &'static str,
    /// Whether entry ?2 (by id) matches the full-text query ?1 (the index seeks its rowid).
    pub(crate) matches: &'static str,
}

/// Index of events in [`KINDS`].
pub(crate) const EVENTS: usize = 0;

pub(crate) const KINDS: [Kind; 3] = [
    Kind {
        name: "event",
        backlog: "SELECT e.rid, e.title, e.description FROM events e INDEXED BY events_occurred_at
                  WHERE NOT EXISTS (SELECT 1 FROM text_vectors v WHERE v.kind = 'event' AND v.rid = e.rid)
                  ORDER BY e.occurred_at DESC LIMIT ?1",
        text: "SELECT title, description FROM events WHERE rid = ?1",
        count: "SELECT count(*) FROM events",
        entry: "SELECT id, title, description, occurred_at, life_area_id FROM events WHERE rid = ?1",
        vector_by_id: "SELECT v.vector FROM events e JOIN text_vectors v ON v.kind = 'event' AND v.rid = e.rid
                       WHERE e.id = ?1",
        matches: "SELECT EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ?1
                      AND rowid = (SELECT rid FROM events WHERE id = ?2))",
    },
    Kind {
        name: "insight",
        backlog: "SELECT i.rid, i.title, i.description FROM insights i
                  WHERE NOT EXISTS (SELECT 1 FROM text_vectors v WHERE v.kind = 'insight' AND v.rid = i.rid)
                  ORDER BY i.rid DESC LIMIT ?1",
        text: "SELECT title, description FROM insights WHERE rid = ?1",
        count: "SELECT count(*) FROM insights",
        entry: "SELECT id, title, description, created_at, NULL FROM insights WHERE rid = ?1",
        vector_by_id: "SELECT v.vector FROM insights i JOIN text_vectors v ON v.kind = 'insight' AND v.rid = i.rid
                       WHERE i.id = ?1",
        matches: "SELECT EXISTS (SELECT 1 FROM insights_fts WHERE insights_fts MATCH ?1
                      AND rowid = (SELECT rid FROM insights WHERE id = ?2))",
    },
    Kind {
        name: "autobiography",
        backlog: "SELECT a.rid, a.title, a.narrative FROM autobiography_entries a
                  WHERE NOT EXISTS (SELECT 1 FROM text_vectors v WHERE v.kind = 'autobiography' AND v.rid = a.rid)
                  ORDER BY a.rid DESC LIMIT ?1",
        text: "SELECT title, narrative FROM autobiography_entries WHERE rid = ?1",
        count: "SELECT count(*) FROM autobiography_entries",
        entry: "SELECT id, title, narrative, NULL, NULL FROM autobiography_entries WHERE rid = ?1",
        vector_by_id: "SELECT v.vector FROM autobiography_entries a
                       JOIN text_vectors v ON v.kind = 'autobiography' AND v.rid = a.rid WHERE a.id = ?1",
        matches: "SELECT EXISTS (SELECT 1 FROM autobiography_fts WHERE autobiography_fts MATCH ?1
                      AND rowid = (SELECT rid FROM autobiography_entries WHERE id = ?2))",
    },
];

/// An entry's text waiting for its vector.
#[derive(Debug, Clone)]
pub struct PendingText {
    pub(crate) kind: usize,
    rid: i64,
    pub text: String,
}

/// Forgets every vector when they were made by another model than this one.
fn check_model(conn: &Connection) -> Result<()> {
    let stored: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'text_vectors_model'", [], |r| r.get(0)).ok();
    if stored.as_deref() != Some(MODEL_NAME) {
        conn.execute("DELETE FROM text_vectors", [])?;
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('text_vectors_model', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            [MODEL_NAME],
        )?;
    }
    Ok(())
}

impl Workspace {
    /// Up to `limit` entries whose text has no vector yet: events first, the newest first.
    pub fn vector_backlog(&mut self, limit: usize) -> Result<Vec<PendingText>> {
        check_model(&self.conn)?;
        let mut out = Vec::new();
        for (k, kind) in KINDS.iter().enumerate() {
            if out.len() >= limit {
                break;
            }
            let mut stmt = self.conn.prepare_cached(kind.backlog)?;
            let rows = stmt.query_map([(limit - out.len()) as i64], |r| {
                Ok(PendingText {
                    kind: k,
                    rid: r.get(0)?,
                    text: text_of(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?),
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Stores the vectors of `texts` (as many, in order). An entry whose text changed or that was
    /// deleted since it was read is skipped: the back-fill reads it again.
    pub fn store_vectors(&mut self, texts: &[PendingText], vectors: &[Vec<f32>]) -> Result<usize> {
        let tx = self.tx()?;
        let mut stored = 0;
        {
            // An update, not a replace, when another program stored it meanwhile: the counts kept by
            // triggers stay right.
            let mut insert = tx.prepare_cached(
                "INSERT INTO text_vectors (kind, rid, vector) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, rid) DO UPDATE SET vector = excluded.vector",
            )?;
            for (p, v) in texts.iter().zip(vectors) {
                let kind = &KINDS[p.kind];
                let now: Option<(String, String)> =
                    tx.prepare_cached(kind.text)?.query_row([p.rid], |r| Ok((r.get(0)?, r.get(1)?))).ok();
                if now.is_some_and(|(t, b)| text_of(&t, &b) == p.text) && v.len() == DIM {
                    insert.execute(params![kind.name, p.rid, quantise(v)])?;
                    stored += 1;
                }
            }
        }
        tx.commit()?;
        Ok(stored)
    }

    /// (entries read, entries in all) of one kind of entry.
    fn read_of(&self, kind: &Kind) -> Result<(u64, u64)> {
        let total: i64 = self.conn.prepare_cached(kind.count)?.query_row([], |r| r.get(0))?;
        let read: i64 = self
            .conn
            .prepare_cached("SELECT n FROM text_vectors_state WHERE kind = ?1")?
            .query_row([kind.name], |r| r.get(0))?;
        Ok((read as u64, total as u64))
    }

    /// Events whose text has no vector yet.
    pub(crate) fn events_without_vectors(&self) -> Result<u64> {
        let (read, total) = self.read_of(&KINDS[EVENTS])?;
        Ok(total.saturating_sub(read))
    }

    /// Whether every entry has its vector (the counts only: no look for the model's files).
    pub(crate) fn all_read(&self) -> Result<bool> {
        for kind in &KINDS {
            let (read, total) = self.read_of(kind)?;
            if read < total {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How much of the journal has vectors, and whether this device has the model.
    pub fn meaning_status(&self) -> Result<MeaningStatus> {
        let (mut embedded, mut total) = (0, 0);
        for kind in &KINDS {
            let (r, t) = self.read_of(kind)?;
            (embedded, total) = (embedded + r, total + t);
        }
        Ok(MeaningStatus { model_available: super::language_model_installed(), embedded, total })
    }
}

/// The unit vectors of the events in `from..=to` that have one, by event id.
pub(crate) fn event_vectors_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<HashMap<String, Vec<f32>>> {
    let mut stmt = conn.prepare_cached(
        // CROSS JOIN keeps events (by date) outside: the other order scans the range once per vector.
        "SELECT e.id, v.vector FROM events e INDEXED BY events_occurred_at
             CROSS JOIN text_vectors v ON v.kind = 'event' AND v.rid = e.rid
         WHERE e.occurred_at > ?1 AND e.occurred_at <= ?2",
    )?;
    let rows = stmt.query_map(params![time::to_db(from), time::to_db(to)], |r| {
        Ok((r.get::<_, String>(0)?, dequantise(&r.get::<_, Vec<u8>>(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every stored vector in memory, for ranking a query against all of them: 384 bytes an entry,
/// reloaded when the table changed (a counter kept by triggers says so).
#[derive(Default)]
pub(crate) struct VectorIndex {
    version: i64,
    /// (kind index into KINDS, rid) per vector.
    pub(crate) keys: Vec<(u8, i64)>,
    bytes: Vec<i8>,
    /// 1 / length of each stored (scaled) vector.
    inverse_norms: Vec<f32>,
}

impl VectorIndex {
    /// Brings the index up to date with the table; cheap when nothing changed.
    pub(crate) fn refresh(&mut self, conn: &Connection) -> Result<()> {
        let version: i64 =
            conn.prepare_cached("SELECT n FROM text_vectors_state WHERE kind = '*'")?.query_row([], |r| r.get(0))?;
        if version == self.version && !self.keys.is_empty() {
            return Ok(());
        }
        let mut fresh = VectorIndex { version, ..Default::default() };
        debug_assert_eq!(DIM % 16, 0);
        let mut stmt = conn.prepare_cached("SELECT kind, rid, vector FROM text_vectors")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(0)?;
            let kind = KINDS.iter().position(|k| k.name == name).unwrap_or(0);
            let bytes: Vec<u8> = r.get(2)?;
            let norm = bytes.iter().map(|&b| (b as i8 as f32).powi(2)).sum::<f32>().sqrt().max(1e-12);
            fresh.keys.push((kind as u8, r.get(1)?));
            fresh.bytes.extend(bytes.iter().map(|&b| b as i8));
            fresh.inverse_norms.push(1.0 / norm);
        }
        *self = fresh;
        Ok(())
    }

    /// The `k` stored vectors closest to `query` (a unit vector): (position, cosine), best first.
    /// Integer arithmetic (the query scaled to 16-bit integers against the stored bytes), the
    /// index split between two threads.
    pub(crate) fn nearest(&self, query: &[f32], k: usize) -> Vec<(usize, f32)> {
        let max = query.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-12);
        let scale = 32_000.0 / max;
        let q: Vec<i16> = query.iter().map(|x| (x * scale).round() as i16).collect();
        let n = self.inverse_norms.len();
        let half = n.div_ceil(2);
        let scan = |from: usize, to: usize| {
            let mut best: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
            let mut floor = f32::NEG_INFINITY;
            for i in from..to {
                let v = &self.bytes[i * DIM..(i + 1) * DIM];
                let mut acc = [0i32; 16];
                for (qc, vc) in q.chunks_exact(16).zip(v.chunks_exact(16)) {
                    for l in 0..16 {
                        acc[l] += qc[l] as i32 * vc[l] as i32;
                    }
                }
                let cos = acc.iter().map(|&a| a as i64).sum::<i64>() as f32 / scale * self.inverse_norms[i];
                if cos > floor || best.len() < k {
                    let at = best.partition_point(|b| b.1 >= cos);
                    best.insert(at, (i, cos));
                    best.truncate(k);
                    if best.len() == k {
                        floor = best[k - 1].1;
                    }
                }
            }
            best
        };
        let mut best = if n < 4096 {
            scan(0, n)
        } else {
            std::thread::scope(|s| {
                let other = s.spawn(|| scan(half, n));
                let mut mine = scan(0, half);
                mine.extend(other.join().expect("a search thread"));
                mine
            })
        };
        // Best first; equal cosines in index order, so the result does not depend on the split.
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(k);
        best
    }

    pub(crate) fn kind(&self, position: usize) -> &'static Kind {
        &KINDS[self.keys[position].0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer scan ranks as the float cosine does, and reports the same cosines.
    #[test]
    fn nearest_matches_float_cosines() {
        let mut rng = crate::synth::Rng::new(3);
        let unit = |rng: &mut crate::synth::Rng| {
            let v: Vec<f32> = (0..DIM).map(|_| rng.range(-1000, 1000) as f32).collect();
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let vectors: Vec<Vec<f32>> = (0..500).map(|_| unit(&mut rng)).collect();
        let mut index = VectorIndex::default();
        for (i, v) in vectors.iter().enumerate() {
            let bytes = quantise(v);
            let norm = bytes.iter().map(|&b| (b as i8 as f32).powi(2)).sum::<f32>().sqrt();
            index.keys.push((0, i as i64));
            index.bytes.extend(bytes.iter().map(|&b| b as i8));
            index.inverse_norms.push(1.0 / norm);
        }
        let q = unit(&mut rng);
        let exact: Vec<f32> = vectors.iter().map(|v| v.iter().zip(&q).map(|(a, b)| a * b).sum()).collect();
        let found = index.nearest(&q, 5);
        let mut order: Vec<usize> = (0..vectors.len()).collect();
        order.sort_by(|&a, &b| exact[b].total_cmp(&exact[a]));
        assert_eq!(found[0].0, order[0]);
        for (p, cos) in found {
            assert!((cos - exact[p]).abs() < 0.01, "{cos} vs {}", exact[p]);
        }
    }
}
