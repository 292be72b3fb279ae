//! Search by meaning: the query's vector against every stored one, mixed with the keyword search
//! where both apply. An entry found both ways ranks higher; one found only by keywords (its vector
//! not computed yet, or a rare word the model does not weigh) still shows.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use wisdom_model::{Invalid, SearchHit};

use super::{dequantise, language_model};
use crate::db::opt_ts_at;
use crate::error::Result;
use crate::workspace::Workspace;

/// What a keyword match adds to a cosine: enough to lift a close match above a near-tie, not
/// enough to lift an unrelated entry that shares one word above real paraphrases.
const KEYWORD_BONUS: f64 = 0.08;
/// A keyword match without a vector ranks as if it had this cosine.
const KEYWORD_ONLY: f64 = 0.35;

/// (kind, id, title, text for the snippet, date) of an entry by rid.
fn entry_sql(kind: &str) -> &'static str {
    match kind {
        "event" => "SELECT id, title, description, occurred_at FROM events WHERE rid = ?1",
        "insight" => "SELECT id, title, description, created_at FROM insights WHERE rid = ?1",
        _ => "SELECT id, title, narrative, NULL FROM autobiography_entries WHERE rid = ?1",
    }
}

/// Whether entry ?2 matches the keyword query ?1 (the full-text index, seeking its rowid).
fn keyword_match_sql(kind: &str) -> &'static str {
    match kind {
        "event" => {
            "SELECT EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ?1
                 AND rowid = (SELECT rid FROM events WHERE id = ?2))"
        }
        "insight" => {
            "SELECT EXISTS (SELECT 1 FROM insights_fts WHERE insights_fts MATCH ?1
                 AND rowid = (SELECT rid FROM insights WHERE id = ?2))"
        }
        _ => {
            "SELECT EXISTS (SELECT 1 FROM autobiography_fts WHERE autobiography_fts MATCH ?1
                 AND rowid = (SELECT rid FROM autobiography_entries WHERE id = ?2))"
        }
    }
}

fn vector_sql(kind: &str) -> &'static str {
    match kind {
        "event" => "SELECT v.vector FROM events e JOIN text_vectors v ON v.kind = 'event' AND v.rid = e.rid WHERE e.id = ?1",
        "insight" => {
            "SELECT v.vector FROM insights i JOIN text_vectors v ON v.kind = 'insight' AND v.rid = i.rid WHERE i.id = ?1"
        }
        _ => {
            "SELECT v.vector FROM autobiography_entries a JOIN text_vectors v ON v.kind = 'autobiography' AND v.rid = a.rid
             WHERE a.id = ?1"
        }
    }
}

/// The opening of a text, about twenty words.
fn opening(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut s = words.iter().take(20).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 20 {
        s.push('…');
    }
    s
}

impl Workspace {
    /// The best `limit` entries for `query` by meaning, mixed with its keyword matches. Needs the
    /// language model; entries whose vector is not computed yet are found by keywords only.
    pub fn search_by_meaning(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let query = query.trim();
        if !query.chars().any(char::is_alphanumeric) {
            return Err(Invalid::new("query", query, "a few words to search for").into());
        }
        let model = language_model()?;
        let q = model.embed(&[query]).remove(0);
        let limit = limit.clamp(1, 200) as usize;
        let mut scored: HashMap<(String, String), (f64, Option<SearchHit>)> = HashMap::new();
        {
            let mut index = self.vectors.borrow_mut();
            index.refresh(&self.conn)?;
            for (position, cos) in index.nearest(&q, limit * 2) {
                let kind = index.kind_name(position);
                let rid = index.keys[position].1;
                let row = self.conn.prepare_cached(entry_sql(kind))?.query_row([rid], |r| {
                    Ok(SearchHit {
                        kind: kind.to_string(),
                        id: r.get(0)?,
                        title: r.get(1)?,
                        snippet: opening(&r.get::<_, String>(2)?),
                        score: 0.0,
                        date: opt_ts_at(r, 3)?,
                    })
                });
                if let Some(hit) = row.optional()? {
                    scored.insert((hit.kind.clone(), hit.id.clone()), (cos as f64, Some(hit)));
                }
            }
        }
        // Keyword matches: a query with no searchable word simply has none. Once every entry is
        // read, only the candidates need checking (the whole keyword search costs more than the
        // rest at 100k entries); while entries are still unread, their keyword matches show too.
        let fts = crate::search::fts_query(query).ok();
        let complete = self.meaning_status()?.is_complete();
        if complete {
            if let Some(fts) = &fts {
                for ((kind, id), entry) in scored.iter_mut() {
                    let matches: bool = self
                        .conn
                        .prepare_cached(keyword_match_sql(kind))?
                        .query_row(rusqlite::params![fts, id], |r| r.get(0))?;
                    if matches {
                        entry.0 += KEYWORD_BONUS;
                    }
                }
            }
        }
        let keyword = match (&fts, complete) {
            (Some(_), false) => self.search(query, limit as u32 * 2).unwrap_or_default(),
            _ => Vec::new(),
        };
        for hit in keyword {
            let key = (hit.kind.clone(), hit.id.clone());
            if let Some(entry) = scored.get_mut(&key) {
                entry.0 += KEYWORD_BONUS;
                // The keyword snippet shows why it matched.
                entry.1 = Some(hit);
                continue;
            }
            let stored: Option<Vec<u8>> =
                self.conn.prepare_cached(vector_sql(&hit.kind))?.query_row([&hit.id], |r| r.get(0)).optional()?;
            let cos = stored.map_or(KEYWORD_ONLY, |v| {
                dequantise(&v).iter().zip(&q).map(|(a, b)| a * b).sum::<f32>() as f64 + KEYWORD_BONUS
            });
            scored.insert(key, (cos, Some(hit)));
        }
        let mut hits: Vec<SearchHit> =
            scored.into_values().filter_map(|(score, hit)| hit.map(|h| SearchHit { score, ..h })).collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        Ok(hits)
    }
}
