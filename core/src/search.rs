//! Full-text search over events, insights and autobiography entries (FTS5, porter stemming,
//! bm25 ranking, highlighted snippets).

use rusqlite::{params, OptionalExtension};

use crate::db::opt_ts_at;
use crate::error::Result;
use crate::workspace::Workspace;
use wisdom_model::{Invalid, SearchHit, Snippet};

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

/// What FTS5 puts around each matched term of a snippet (`char(2)` and `char(3)` in the queries
/// below): control characters that nobody types, read back into [`Snippet`] parts by
/// [`read_snippet`] so that no front end ever parses markers out of text.
const MARK_OPEN: char = '\u{2}';
const MARK_CLOSE: char = '\u{3}';

/// Reads a snippet FTS5 made with [`MARK_OPEN`] and [`MARK_CLOSE`]. `clean` says the entry's own
/// text holds neither character; when it does (only an import of damaged text could bring one),
/// a marker cannot be told from the text, so the passage comes unmarked, both characters dropped,
/// rather than marked in the wrong place.
pub(crate) fn read_snippet(raw: &str, clean: bool) -> Snippet {
    let mut snippet = Snippet::default();
    if !clean {
        snippet.push(&raw.replace([MARK_OPEN, MARK_CLOSE], ""), false);
        return snippet;
    }
    let mut marked = false;
    for piece in raw.split_inclusive([MARK_OPEN, MARK_CLOSE]) {
        let text = piece.trim_end_matches([MARK_OPEN, MARK_CLOSE]);
        snippet.push(text, marked);
        if piece.len() > text.len() {
            marked = piece.ends_with(MARK_OPEN);
        }
    }
    snippet
}

/// One search index: what it is called in results, its FTS5 table, its ranking query and the
/// query that dresses ranked rows (title, snippet, date, and whether the entry's own text is free
/// of the snippet's markers: see [`read_snippet`]), to be completed by a [`RowsKept`] condition.
struct Index {
    kind: &'static str,
    table: &'static str,
    rank: &'static str,
    hit: &'static str,
}

// Ranking calls bm25() with the weights of each index's `rank` setting (migrations/workspace/V1)
// rather than ordering by `rank`: FTS5 answers `ORDER BY rank` by sorting every match in full,
// while an ordinary ORDER BY ... LIMIT keeps only the best ?2 as it goes (measured at 100k events
// on a common word, 23,000 matches: 22 ms against 12 ms). Only the few rows kept are then joined
// to their table and given a snippet (see [`RowsKept`]). Ties are broken by rowid, so the order is
// the same on every run.
const INDEXES: [Index; 3] = [
    Index {
        kind: "event",
        table: "events_fts",
        rank: "SELECT rowid, bm25(events_fts, 4.0, 2.0, 1.0) AS r FROM events_fts
                WHERE events_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2",
        hit: "SELECT events_fts.rowid, e.id, e.title, snippet(events_fts, -1, char(2), char(3), '…', 16), e.occurred_at,
                     NOT (instr(e.title || e.description || coalesce(e.narrative, ''), char(2))
                          OR instr(e.title || e.description || coalesce(e.narrative, ''), char(3)))
                FROM events_fts JOIN events e ON e.rid = events_fts.rowid
               WHERE events_fts MATCH ?1 AND ",
    },
    Index {
        kind: "insight",
        table: "insights_fts",
        rank: "SELECT rowid, bm25(insights_fts, 4.0, 2.0) AS r FROM insights_fts
                WHERE insights_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2",
        hit: "SELECT insights_fts.rowid, i.id, i.title, snippet(insights_fts, -1, char(2), char(3), '…', 16), i.created_at,
                     NOT (instr(i.title || i.description, char(2)) OR instr(i.title || i.description, char(3)))
                FROM insights_fts JOIN insights i ON i.rid = insights_fts.rowid
               WHERE insights_fts MATCH ?1 AND ",
    },
    Index {
        kind: "autobiography",
        table: "autobiography_fts",
        rank: "SELECT rowid, bm25(autobiography_fts, 4.0, 1.0) AS r FROM autobiography_fts
                WHERE autobiography_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2",
        hit: "SELECT autobiography_fts.rowid, a.id, a.title, snippet(autobiography_fts, -1, char(2), char(3), '…', 16), NULL,
                     NOT (instr(a.title || a.narrative, char(2)) OR instr(a.title || a.narrative, char(3)))
                FROM autobiography_fts JOIN autobiography_entries a ON a.rid = autobiography_fts.rowid
               WHERE autobiography_fts MATCH ?1 AND ",
    },
];

/// How the dressing query finds the rows ranking kept (?2: the rowids as a JSON array).
/// FTS5 answers a rowid it is given by evaluating the query again for that row: for words and
/// phrases a seek into each one's list of entries (at 100k events, 20 rows of a common word:
/// 0.2 ms), but for a prefix it first merges the lists of every word the prefix starts, again for
/// each rowid. A query with a prefix therefore passes once over its matches between the lowest
/// and highest rowid kept (the `+` stops the rowid list from being handed to FTS5 as a
/// constraint), which costs a pass over most of them (1.2-1.7 ms on the same journal).
#[derive(Clone, Copy)]
enum RowsKept {
    ByRowid,
    InOnePass,
}

impl RowsKept {
    fn for_query(fts: &str) -> Self {
        // [`fts_query`] writes a prefix as `"word"*` and nothing else with a star.
        if fts.contains("\"*") {
            RowsKept::InOnePass
        } else {
            RowsKept::ByRowid
        }
    }

    fn sql(self, index: &Index) -> String {
        let t = index.table;
        match self {
            RowsKept::ByRowid => format!("{}{t}.rowid IN (SELECT value FROM json_each(?2))", index.hit),
            RowsKept::InOnePass => {
                format!("{}{t}.rowid BETWEEN ?3 AND ?4 AND +{t}.rowid IN (SELECT value FROM json_each(?2))", index.hit)
            }
        }
    }
}

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

    /// The best `limit` matches for `query` across events, insights and the autobiography, best
    /// first (bm25; ties: events, insights, autobiography, then oldest row first).
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let q = fts_query(query)?;
        let limit = limit.clamp(1, 1000);
        // (rank, index, rowid) of each index's best `limit`, merged.
        let mut ranked: Vec<(f64, usize, i64)> = Vec::new();
        for (i, index) in INDEXES.iter().enumerate() {
            let mut stmt = self.conn.prepare_cached(index.rank)?;
            let rows = stmt.query_map(params![q, limit], |r| Ok((r.get::<_, f64>(1)?, i, r.get::<_, i64>(0)?)))?;
            for row in rows {
                ranked.push(row?);
            }
        }
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        ranked.truncate(limit as usize);
        let mut hits: Vec<(usize, SearchHit)> = Vec::with_capacity(ranked.len());
        let shape = RowsKept::for_query(&q);
        for (i, index) in INDEXES.iter().enumerate() {
            let kept: Vec<i64> = ranked.iter().filter(|k| k.1 == i).map(|k| k.2).collect();
            let (Some(&low), Some(&high)) = (kept.iter().min(), kept.iter().max()) else { continue };
            let rowids = serde_json::to_string(&kept)?;
            let mut stmt = self.conn.prepare_cached(&shape.sql(index))?;
            let mut rows = match shape {
                RowsKept::ByRowid => stmt.query(params![q, rowids])?,
                RowsKept::InOnePass => stmt.query(params![q, rowids, low, high])?,
            };
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                let Some(at) = ranked.iter().position(|k| k.1 == i && k.2 == rowid) else { continue };
                hits.push((
                    at,
                    SearchHit {
                        kind: index.kind.into(),
                        id: r.get(1)?,
                        title: r.get(2)?,
                        snippet: read_snippet(&r.get::<_, String>(3)?, r.get(5)?),
                        score: -ranked[at].0,
                        date: opt_ts_at(r, 4)?,
                    },
                ));
            }
        }
        hits.sort_by_key(|h| h.0);
        let hits = hits.into_iter().map(|h| h.1).collect();
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::{fts_query, read_snippet};
    use wisdom_model::{Snippet, SnippetPart};

    fn part(text: &str, marked: bool) -> SnippetPart {
        SnippetPart { text: text.into(), marked }
    }

    #[test]
    fn snippet_markers_become_marked_parts_and_brackets_stay_text() {
        let raw = "…said [draft] \u{2}burnout\u{3} twice, \u{2}burnout\u{3}]";
        let s = read_snippet(raw, true);
        assert_eq!(
            s,
            Snippet(vec![
                part("…said [draft] ", false),
                part("burnout", true),
                part(" twice, ", false),
                part("burnout", true),
                part("]", false),
            ])
        );
        assert_eq!(s.text(), "…said [draft] burnout twice, burnout]");
        // Text that itself held a marker character is given unmarked.
        assert_eq!(read_snippet("a \u{2}b\u{3} \u{3}c", false), Snippet(vec![part("a b c", false)]));
    }

    #[test]
    fn queries_are_quoted_so_syntax_cannot_break_them() {
        assert_eq!(fts_query("late night").unwrap(), "\"late\" \"night\"");
        assert_eq!(fts_query("\"deep work\" promo*").unwrap(), "\"deep work\" \"promo\"*");
        assert_eq!(fts_query("NEAR(a b) -x ^y").unwrap(), "\"NEARa\" \"b\" \"x\" \"y\"");
        assert!(fts_query("  *** \"\" ").is_err());
    }
}
