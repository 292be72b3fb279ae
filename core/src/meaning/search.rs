//! Search by meaning: the query's vector against every stored one, mixed with the keyword search
//! where both apply, then with the journal's own structure. An entry found both ways ranks higher;
//! one found only by keywords (its vector not computed yet, or a rare word the model does not
//! weigh) still shows. When most of the best few hits share a life area, the query is about that
//! part of life, and the other entries of that area among the candidates move up (relevance
//! feedback from the person's own filing): on the written corpus this doubles the situations whose
//! top five hold four of their own entries (seeds 1-10: 17 to 30 of 80 by numpy, before keywords).
//! Then, when several of the best hits belong to one recurring situation the pattern engine found,
//! its other entries come up with them: with both, 50 of 80 queries on seeds 1-10 (31 without the
//! situations), and 40 and 42 of 80 for the second and third way of asking, which nothing here
//! was fitted on (20 and 31 without).

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use wisdom_model::{Invalid, SearchHit, Snippet};

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
/// Candidates taken by cosine before re-ranking, at least.
const POOL: usize = 100;
/// The best few hits whose areas are counted, and how many of them must share one.
const FEEDBACK_HITS: usize = 5;
const FEEDBACK_AGREE: usize = 2;
/// How much more common the shared area must be among the best hits than among all candidates:
/// in a journal filed mostly under one area, sharing it says nothing about the query.
const FEEDBACK_LIFT: f64 = 2.0;
/// What belonging to the leading area adds.
const AREA_BONUS: f64 = 0.2;
/// The best hits looked at for a recurring situation, how many of them must belong to one, and
/// what belonging to it adds.
const SITUATION_HITS: usize = 10;
const SITUATION_AGREE: usize = 2;
const SITUATION_BONUS: f64 = 0.5;

/// The recurring situations, found by meaning and not dismissed, that an event belongs to.
const SITUATIONS_OF: &str = "SELECT ie.insight_id FROM insight_events ie JOIN insights i ON i.id = ie.insight_id
     WHERE ie.event_id = ?1 AND i.pattern_key LIKE 'situation:%' AND i.dismissed_at IS NULL
     ORDER BY ie.insight_id";
/// The entries of a recurring situation.
const SITUATION_MEMBERS: &str = "SELECT event_id FROM insight_events WHERE insight_id = ?1 ORDER BY event_id";
/// One event as a search hit, with its stored vector if it has one.
const EVENT_HIT: &str = "SELECT e.id, e.title, e.description, e.occurred_at, e.life_area_id, v.vector
     FROM events e LEFT JOIN text_vectors v ON v.kind = 'event' AND v.rid = e.rid WHERE e.id = ?1";

/// A candidate hit: its score so far and its life area (events only).
struct Candidate {
    score: f64,
    hit: SearchHit,
    area: Option<String>,
}

type Candidates = HashMap<(String, String), Candidate>;

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
        let mut candidates = self.nearest_entries(&q, (limit * 2).max(POOL))?;
        self.add_keyword_matches(query, &q, limit, &mut candidates)?;
        let mut ranked: Vec<Candidate> = candidates.into_values().collect();
        favour_the_leading_area(&mut ranked);
        self.favour_a_recurring_situation(&q, &mut ranked)?;
        let mut hits: Vec<SearchHit> = ranked.into_iter().map(|c| SearchHit { score: c.score, ..c.hit }).collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// The `k` entries nearest to the query vector `q`, scored by cosine.
    fn nearest_entries(&self, q: &[f32], k: usize) -> Result<Candidates> {
        let mut index = self.vectors.borrow_mut();
        index.refresh(&self.conn)?;
        let mut found = Candidates::new();
        for (position, cos) in index.nearest(q, k) {
            let kind = index.kind(position);
            let rid = index.keys[position].1;
            let row = self.conn.prepare_cached(kind.entry)?.query_row([rid], |r| {
                let hit = SearchHit {
                    kind: kind.name.to_string(),
                    id: r.get(0)?,
                    title: r.get(1)?,
                    snippet: Snippet::plain(opening(&r.get::<_, String>(2)?)),
                    score: 0.0,
                    date: opt_ts_at(r, 3)?,
                };
                Ok(Candidate { score: cos as f64, hit, area: r.get(4)? })
            });
            if let Some(c) = row.optional()? {
                found.insert((c.hit.kind.clone(), c.hit.id.clone()), c);
            }
        }
        Ok(found)
    }

    /// Keyword matches: a query with no searchable word simply has none. Once every entry is
    /// read, only the best `2 * limit` candidates by cosine are checked (one full-text probe each;
    /// the whole keyword search costs more than the rest at 100k entries); while entries are
    /// still unread, their keyword matches show too.
    fn add_keyword_matches(&self, query: &str, q: &[f32], limit: usize, candidates: &mut Candidates) -> Result<()> {
        let Ok(fts) = crate::search::fts_query(query) else { return Ok(()) };
        if self.all_read()? {
            let mut best: Vec<(&(String, String), &mut Candidate)> = candidates.iter_mut().collect();
            best.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(b.0)));
            for ((kind, id), c) in best.into_iter().take(limit * 2) {
                let matches: bool = self
                    .conn
                    .prepare_cached(kind_named(kind).matches)?
                    .query_row(rusqlite::params![fts, id], |r| r.get(0))?;
                if matches {
                    c.score += KEYWORD_BONUS;
                }
            }
            return Ok(());
        }
        for hit in self.search(query, limit as u32 * 2).unwrap_or_default() {
            let key = (hit.kind.clone(), hit.id.clone());
            if let Some(c) = candidates.get_mut(&key) {
                c.score += KEYWORD_BONUS;
                // The keyword snippet shows why it matched.
                c.hit = hit;
                continue;
            }
            let stored: Option<Vec<u8>> = self
                .conn
                .prepare_cached(kind_named(&hit.kind).vector_by_id)?
                .query_row([&hit.id], |r| r.get(0))
                .optional()?;
            let score = stored.map_or(KEYWORD_ONLY, |v| {
                dequantise(&v).iter().zip(q).map(|(a, b)| a * b).sum::<f32>() as f64 + KEYWORD_BONUS
            });
            candidates.insert(key, Candidate { score, hit, area: None });
        }
        Ok(())
    }
}

impl Workspace {
    /// Relevance feedback from the recurring situations the journal has found (the cluster
    /// hypothesis: entries the pattern engine grouped are about one thing, so a query that finds
    /// several of them is about that thing): see [`situation_to_favour`]. Its entries gain
    /// [`SITUATION_BONUS`], fetched when they were not among the candidates.
    fn favour_a_recurring_situation(&self, q: &[f32], candidates: &mut Vec<Candidate>) -> Result<()> {
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.hit.id.cmp(&b.hit.id)));
        let mut memberships: Vec<Vec<String>> = Vec::new();
        for c in candidates.iter().filter(|c| c.hit.kind == "event").take(SITUATION_HITS) {
            let mut rows = self.conn.prepare_cached(SITUATIONS_OF)?;
            memberships.push(rows.query_map([&c.hit.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?);
        }
        let Some(situation) = situation_to_favour(&memberships) else { return Ok(()) };
        let members: Vec<String> = self
            .conn
            .prepare_cached(SITUATION_MEMBERS)?
            .query_map([situation], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in members {
            if let Some(c) = candidates.iter_mut().find(|c| c.hit.kind == "event" && c.hit.id == id) {
                c.score += SITUATION_BONUS;
                continue;
            }
            let found = self.conn.prepare_cached(EVENT_HIT)?.query_row([&id], |r| {
                let cos = r
                    .get::<_, Option<Vec<u8>>>(5)?
                    .map_or(0.0, |v| dequantise(&v).iter().zip(q).map(|(a, b)| a * b).sum::<f32>() as f64);
                let hit = SearchHit {
                    kind: "event".to_string(),
                    id: r.get(0)?,
                    title: r.get(1)?,
                    snippet: Snippet::plain(opening(&r.get::<_, String>(2)?)),
                    score: 0.0,
                    date: opt_ts_at(r, 3)?,
                };
                Ok(Candidate { score: cos + SITUATION_BONUS, hit, area: r.get(4)? })
            });
            if let Some(c) = found.optional()? {
                candidates.push(c);
            }
        }
        Ok(())
    }
}

/// Given the recurring situations each of the best hits belongs to (best first), the one that at
/// least [`SITUATION_AGREE`] of them belong to, the most of them (ties: the one with the
/// better-ranked hit).
fn situation_to_favour(memberships: &[Vec<String>]) -> Option<&str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for situation in memberships.iter().flatten() {
        match counts.iter_mut().find(|(s, _)| *s == situation.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((situation.as_str(), 1)),
        }
    }
    // max_by_key keeps the last of equals: reversed, that is the first met.
    counts.into_iter().rev().max_by_key(|(_, n)| *n).filter(|(_, n)| *n >= SITUATION_AGREE).map(|(s, _)| s)
}

/// Relevance feedback from the journal's structure: when at least [`FEEDBACK_AGREE`] of the best
/// [`FEEDBACK_HITS`] share a life area (the most of them; ties to the better-ranked), and it is
/// [`FEEDBACK_LIFT`] times as common among them as among all candidates, every candidate of that
/// area gains [`AREA_BONUS`].
fn favour_the_leading_area(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.hit.id.cmp(&b.hit.id)));
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for area in candidates.iter().take(FEEDBACK_HITS).filter_map(|c| c.area.as_deref()) {
        match counts.iter_mut().find(|(a, _)| *a == area) {
            Some((_, n)) => *n += 1,
            None => counts.push((area, 1)),
        }
    }
    // max_by_key keeps the last of equals: reversed, that is the first counted.
    let Some((leading, n)) = counts.iter().rev().max_by_key(|(_, n)| *n).map(|(a, n)| (a.to_string(), *n)) else {
        return;
    };
    let top = candidates.len().min(FEEDBACK_HITS) as f64;
    let share = candidates.iter().filter(|c| c.area.as_deref() == Some(leading.as_str())).count() as f64
        / candidates.len() as f64;
    if n >= FEEDBACK_AGREE && n as f64 / top >= FEEDBACK_LIFT * share {
        candidates
            .iter_mut()
            .filter(|c| c.area.as_deref() == Some(leading.as_str()))
            .for_each(|c| c.score += AREA_BONUS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str, score: f64, area: Option<&str>) -> Candidate {
        let hit = SearchHit {
            kind: "event".into(),
            id: id.into(),
            title: id.into(),
            snippet: Snippet::default(),
            score: 0.0,
            date: None,
        };
        Candidate { score, hit, area: area.map(str::to_string) }
    }

    fn scores(candidates: &[Candidate]) -> Vec<(&str, f64)> {
        let mut s: Vec<(&str, f64)> = candidates.iter().map(|c| (c.hit.id.as_str(), c.score)).collect();
        s.sort_by(|a, b| a.0.cmp(b.0));
        s
    }

    /// The candidates given, then `filler` more of scores below theirs, each in an area of its own.
    fn with_filler(mut given: Vec<Candidate>, filler: usize) -> Vec<Candidate> {
        for i in 0..filler {
            let (id, area) = (format!("z{i:02}"), format!("area{i}"));
            given.push(candidate(&id, 0.1 - i as f64 * 0.001, Some(&area)));
        }
        given
    }

    #[test]
    fn the_area_most_of_the_best_hits_share_lifts_its_other_entries() {
        let mut c = with_filler(
            vec![
                candidate("a", 0.60, Some("family")),
                candidate("b", 0.58, Some("work")),
                candidate("c", 0.55, Some("family")),
                candidate("d", 0.50, None),
                candidate("e", 0.45, Some("fun")),
                candidate("f", 0.30, Some("family")),
                candidate("g", 0.40, Some("work")),
            ],
            20,
        );
        favour_the_leading_area(&mut c);
        let s = scores(&c);
        assert!((s[5].1 - 0.50).abs() < 1e-9, "{s:?}");
        assert!((s[0].1 - 0.80).abs() < 1e-9 && (s[6].1 - 0.40).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn no_area_is_favoured_when_the_best_hits_all_differ() {
        let given = vec![
            candidate("a", 0.60, Some("family")),
            candidate("b", 0.58, Some("work")),
            candidate("c", 0.55, None),
            candidate("d", 0.50, None),
            candidate("e", 0.45, Some("fun")),
            candidate("f", 0.30, Some("family")),
        ];
        let mut c = with_filler(given, 20);
        favour_the_leading_area(&mut c);
        assert_eq!(&scores(&c)[..6], &[("a", 0.60), ("b", 0.58), ("c", 0.55), ("d", 0.50), ("e", 0.45), ("f", 0.30)]);
    }

    fn of(situations: &[&str]) -> Vec<String> {
        situations.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_situation_most_of_the_best_hits_belong_to_is_favoured() {
        let best = [of(&["a"]), of(&[]), of(&["b"]), of(&["b", "a"]), of(&["b"])];
        assert_eq!(situation_to_favour(&best), Some("b"));
        // A tie goes to the situation of the better-ranked hit.
        let best = [of(&["b"]), of(&["a"]), of(&["a"]), of(&["b"])];
        assert_eq!(situation_to_favour(&best), Some("b"));
    }

    #[test]
    fn one_hit_of_a_situation_is_not_enough() {
        assert_eq!(situation_to_favour(&[of(&["a"]), of(&["b"]), of(&[]), of(&["c"])]), None);
        assert_eq!(situation_to_favour(&[]), None);
    }

    #[test]
    fn no_area_is_favoured_when_nearly_everything_is_filed_under_it() {
        let mut c: Vec<Candidate> =
            (0..6).map(|i| candidate(&format!("h{i}"), 0.5 - i as f64 * 0.01, Some("hobbies"))).collect();
        c.push(candidate("w", 0.45, Some("work")));
        favour_the_leading_area(&mut c);
        assert!(c.iter().all(|c| c.score <= 0.5), "{:?}", scores(&c));
    }
}
