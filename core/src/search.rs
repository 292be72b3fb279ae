//! Full-text search over events, insights and autobiography entries (FTS5, porter stemming,
//! bm25 ranking, highlighted snippets).

use rusqlite::{params, OptionalExtension};

use crate::db::opt_ts_at;
use crate::error::Result;
use crate::workspace::Workspace;
use wisdom_model::{Invalid, SearchHit};

/// Turns what a person typed into a safe FTS5 query: words are all required, `"quoted phrases"`
/// stay phrases, and a trailing `*` on a word matches any ending. No other FTS5 syntax gets through,
/// so no input can make the query fail to parse.
pub fn fts_query(input: &str) -> Result<String, Invalid> {
    let mut parts = Vec::new();
    for (i, chunk) in input.split('"').enumerate() {
        if i % 2 == 1 {
            let words: Vec<&str> = chunk.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            if !words.is_empty() {
                parts.push(format!("\"{}\"", words.join(" ")));
            }
            continue;
        }
        for raw in chunk.split_whitespace() {
            let prefix = raw.ends_with('*');
            let word: String = raw.chars().filter(|c| c.is_alphanumeric()).collect();
            if word.is_empty() {
                continue;
            }
            parts.push(if prefix { format!("\"{word}\"*") } else { format!("\"{word}\"") });
        }
    }
    if parts.is_empty() {
        return Err(Invalid::new("query", input, "at least one word to search for"));
    }
    Ok(parts.join(" "))
}

// Each index first ranks its own matches and keeps the best ?2 (cheap: rowid and rank only); only
// those few rows are joined and get a snippet. The three short lists are then merged by rank.
const SEARCH_SQL: &str = "
SELECT * FROM (
  SELECT 'event', e.id, e.title, snippet(events_fts, -1, '[', ']', '…', 16), events_fts.rank AS r, e.occurred_at
    FROM events_fts JOIN events e ON e.rid = events_fts.rowid
   WHERE events_fts MATCH ?1
     AND events_fts.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?1 ORDER BY rank LIMIT ?2)
  UNION ALL
  SELECT 'insight', i.id, i.title, snippet(insights_fts, -1, '[', ']', '…', 16), insights_fts.rank, i.created_at
    FROM insights_fts JOIN insights i ON i.rid = insights_fts.rowid
   WHERE insights_fts MATCH ?1
     AND insights_fts.rowid IN (SELECT rowid FROM insights_fts WHERE insights_fts MATCH ?1 ORDER BY rank LIMIT ?2)
  UNION ALL
  SELECT 'autobiography', a.id, a.title, snippet(autobiography_fts, -1, '[', ']', '…', 16), autobiography_fts.rank, NULL
    FROM autobiography_fts JOIN autobiography_entries a ON a.rid = autobiography_fts.rowid
   WHERE autobiography_fts MATCH ?1
     AND autobiography_fts.rowid IN
         (SELECT rowid FROM autobiography_fts WHERE autobiography_fts MATCH ?1 ORDER BY rank LIMIT ?2)
) ORDER BY r LIMIT ?2";

/// Starts a bulk write's deferred search indexing (migrations/workspace/V5): events inserted from
/// now until [`index_deferred`] are indexed together by it, in one statement. Call both in the same
/// transaction.
pub(crate) fn defer_indexing(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute("INSERT OR REPLACE INTO fts_deferred (one, floor) SELECT 1, coalesce(max(rid), 0) FROM events", [])?;
    Ok(())
}

/// Indexes the events inserted since [`defer_indexing`] and ends the deferral.
pub(crate) fn index_deferred(conn: &rusqlite::Connection) -> Result<()> {
    let floor: Option<i64> = conn.query_row("SELECT floor FROM fts_deferred", [], |r| r.get(0)).optional()?;
    if let Some(floor) = floor {
        conn.execute("DELETE FROM fts_deferred", [])?;
        conn.execute(
            "INSERT INTO events_fts (rowid, title, description, narrative)
             SELECT rid, title, description, narrative FROM events WHERE rid > ?1",
            [floor],
        )?;
    }
    Ok(())
}

/// Merges the events index's segments, in bounded steps (automatic merging is off; see
/// migrations/workspace/V3). Called by the daily jobs and after imports, off the write path.
pub(crate) fn merge_search_index(conn: &rusqlite::Connection) -> Result<()> {
    for _ in 0..50 {
        let before = conn.total_changes();
        conn.execute("INSERT INTO events_fts (events_fts, rank) VALUES ('merge', 500)", [])?;
        // The merge command itself counts as one change; more means it did work.
        if conn.total_changes() - before <= 1 {
            break;
        }
    }
    Ok(())
}

impl Workspace {
    /// Checks that the search indexes hold exactly what their tables hold (FTS5's integrity check);
    /// an error names the index that is off.
    pub fn verify_search_index(&self) -> Result<()> {
        for index in ["events_fts", "insights_fts", "autobiography_fts"] {
            self.conn
                .execute(&format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)"), [])
                .map_err(|e| crate::Error::Corrupt {
                    path: self.path().to_path_buf(),
                    message: format!("the search index {index} does not match its table: {e}"),
                })?;
        }
        Ok(())
    }

    /// The best `limit` matches for `query` across events, insights and the autobiography.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let q = fts_query(query)?;
        let mut stmt = self.conn.prepare_cached(SEARCH_SQL)?;
        let hits = stmt
            .query_map(params![q, limit.clamp(1, 1000)], |r| {
                let rank: f64 = r.get(4)?;
                Ok(SearchHit {
                    kind: r.get(0)?,
                    id: r.get(1)?,
                    title: r.get(2)?,
                    snippet: r.get(3)?,
                    score: -rank,
                    date: opt_ts_at(r, 5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn queries_are_quoted_so_syntax_cannot_break_them() {
        assert_eq!(fts_query("late night").unwrap(), "\"late\" \"night\"");
        assert_eq!(fts_query("\"deep work\" promo*").unwrap(), "\"deep work\" \"promo\"*");
        assert_eq!(fts_query("NEAR(a b) -x ^y").unwrap(), "\"NEARa\" \"b\" \"x\" \"y\"");
        assert!(fts_query("  *** \"\" ").is_err());
    }
}
