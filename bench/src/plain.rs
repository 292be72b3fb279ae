//! The machine's limit: plain SQLite (the same library, no key, so no encryption), a minimal
//! events table with tags and an FTS5 index, no engines, doing the same inserts and queries.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use wisdom_core::model::NewEvent;

pub struct Plain {
    conn: Connection,
    next: i64,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
CREATE TABLE events (id INTEGER PRIMARY KEY, area TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL, narrative TEXT, occurred_at TEXT NOT NULL, charge INTEGER NOT NULL);
CREATE INDEX events_time ON events (occurred_at, id);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE event_tags (event_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (event_id, tag_id)) WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags (tag_id, event_id);
CREATE VIRTUAL TABLE events_fts USING fts5(title, description, narrative, content = 'events', content_rowid = 'id');
";

fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Plain {
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Plain { conn, next: 1 })
    }

    fn insert(conn: &Connection, id: i64, e: &NewEvent) -> anyhow::Result<()> {
        let at = e.occurred_at.unwrap_or_else(Utc::now);
        conn.prepare_cached(
            "INSERT INTO events (id, area, type, title, description, narrative, occurred_at, charge)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            e.life_area.as_deref().unwrap_or(""),
            e.kind.as_str(),
            e.title,
            e.description,
            e.narrative,
            ts(at),
            e.emotional_charge
        ])?;
        conn.prepare_cached("INSERT INTO events_fts (rowid, title, description, narrative) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, e.title, e.description, e.narrative])?;
        for t in &e.tags {
            conn.prepare_cached("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?.execute([t])?;
            conn.prepare_cached("INSERT OR IGNORE INTO event_tags SELECT ?1, id FROM tags WHERE name = ?2")?
                .execute(params![id, t])?;
        }
        Ok(())
    }

    /// All events in one transaction.
    pub fn import(&mut self, events: &[NewEvent]) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        for e in events {
            Self::insert(&tx, self.next, e)?;
            self.next += 1;
        }
        tx.commit()?;
        Ok(())
    }

    /// One event in its own transaction.
    pub fn insert_one(&mut self, e: &NewEvent) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        Self::insert(&tx, self.next, e)?;
        self.next += 1;
        tx.commit()?;
        Ok(())
    }

    pub fn tag_filter(&self, tag: &str, limit: i64) -> anyhow::Result<usize> {
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.title, e.description, e.occurred_at FROM events e
             WHERE e.id IN (SELECT et.event_id FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE t.name = ?1)
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![tag, limit], |r| r.get::<_, String>(1))?;
        Ok(rows.count())
    }

    /// The best `limit` matches by bm25 with a snippet each, in the shape core's search found
    /// fastest (bm25 under an ordinary ORDER BY ... LIMIT, then a snippet per row kept).
    pub fn search(&self, query: &str, limit: i64) -> anyhow::Result<usize> {
        let q = wisdom_core::fts_query(query)?;
        let mut rank = self.conn.prepare_cached(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ?1 ORDER BY bm25(events_fts), rowid LIMIT ?2",
        )?;
        let best: Vec<i64> = rank.query_map(params![q, limit], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut hit = self.conn.prepare_cached(
            "SELECT e.id, e.title, snippet(events_fts, -1, '[', ']', '…', 16) FROM events_fts
             JOIN events e ON e.id = events_fts.rowid WHERE events_fts MATCH ?1 AND events_fts.rowid = ?2",
        )?;
        for id in &best {
            hit.query_row(params![q, id], |r| r.get::<_, String>(2))?;
        }
        Ok(best.len())
    }

    /// The same listing as the store's: every column of the events in the range, newest first,
    /// each with its tags (gathered in one query for all of them), read into owned values.
    pub fn date_range(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, area, type, title, description, narrative, occurred_at, charge FROM events
             WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at DESC, id DESC",
        )?;
        type Row = (i64, String, String, String, String, Option<String>, String, i64, Vec<String>);
        let mut rows: Vec<Row> = st
            .query_map(params![ts(from), ts(to)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, Vec::new()))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut tags = self.conn.prepare_cached(
            "SELECT e.id, t.name FROM events e JOIN event_tags et ON et.event_id = e.id JOIN tags t ON t.id = et.tag_id
             WHERE e.occurred_at >= ?1 AND e.occurred_at < ?2",
        )?;
        let mut by_id: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
        for pair in tags.query_map(params![ts(from), ts(to)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = pair?;
            by_id.entry(id).or_default().push(name);
        }
        for row in &mut rows {
            row.8 = by_id.remove(&row.0).unwrap_or_default();
        }
        Ok(rows.len())
    }

    /// The listing as the first benchmarks measured it: the rows' text, no tags (kept for
    /// comparison with earlier results).
    pub fn date_range_rows_only(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, title, description, narrative, occurred_at FROM events
             WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at DESC, id DESC",
        )?;
        let rows = st.query_map(params![ts(from), ts(to)], |r| r.get::<_, String>(1))?;
        Ok(rows.count())
    }
}
