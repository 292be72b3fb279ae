//! Search by meaning: the query's vector against every stored one, mixed with the keyword search
//! where both apply. An entry found both ways ranks higher; one found only by keywords (its vector
//! not computed yet, or a rare word the model does not weigh) still shows.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use wisdom_model::{Invalid, SearchHit};

use super::store::{Kind, KINDS};
use super::{dequantise, language_model};
use crate::db::opt_ts_at;
use crate::error::Result;
use crate::workspace::Workspace;

/// What a keyword match adds to a cosine: enough to lift a close match above a near-tie, not
/// enough to lift an unrelated entry that shares one word above real paraphrases.
const KEYWORD_BONUS: f64 = 0.08;
/// A keyword match without a vector ranks as if it had this cosine.
const KEYWORD_ONLY: f64 = 0.35;

/// The kind of entry a search hit names.
fn kind_named(name: &str) -> &'static Kind {
    KINDS.iter().find(|k| k.name == name).unwrap_or(&KINDS[0])
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
                let kind = index.kind(position);
                let rid = index.keys[position].1;
                let row = self.conn.prepare_cached(kind.entry)?.query_row([rid], |r| {
                    Ok(SearchHit {
                        kind: kind.name.to_string(),
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
        let complete = self.all_read()?;
        if complete {
            if let Some(fts) = &fts {
                for ((kind, id), entry) in scored.iter_mut() {
                    let matches: bool = self
                        .conn
                        .prepare_cached(kind_named(kind).matches)?
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
            let stored: Option<Vec<u8>> = self
                .conn
                .prepare_cached(kind_named(&hit.kind).vector_by_id)?
                .query_row([&hit.id], |r| r.get(0))
                .optional()?;
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
