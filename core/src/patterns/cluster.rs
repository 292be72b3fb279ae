//! Semantic clustering of events: the heart of the pattern engine. Pure, deterministic and
//! explainable: the same events give the same clusters, and each cluster says which words bind it.
//!
//! 1. Each event becomes a weighted bag of terms: its tags (`#tag`, weight 3), title words (2),
//!    description words (1) and narrative words (0.5), stemmed, stop words removed.
//! 2. Terms are weighted by rarity (idf). Terms in fewer than 2 events cannot link anything and terms
//!    in too many ([`ClusterParams::max_df_share`]) are everyday words: neither links events, but
//!    both still count in a vector's length, so a shared rare word matters less in a long entry.
//! 3. Two events are *neighbours* when the cosine similarity of their term vectors, plus small
//!    bonuses for sharing area, type, tone and the sign of their charge, reaches
//!    [`ClusterParams::link_threshold`], and they share two terms (or one that dominates both).
//!    Only pairs that share a term are ever compared (inverted
//!    index), so the cost follows the overlap, not the square of the event count.
//! 4. Density clustering (DBSCAN-like): an event with at least `min_events - 1` neighbours is a
//!    core; cores that are neighbours join one cluster, and other neighbours of a core join it too.
//!    A cluster of `min_events` or more is a pattern.
//! 5. A cluster's theme is the terms most of its members share, tags first.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use wisdom_model::{EventTone, EventType};

use crate::text;

/// What the clustering sees of one event.
#[derive(Debug, Clone, Copy)]
pub struct PatternEvent<'a> {
    pub id: &'a str,
    pub area: &'a str,
    pub kind: EventType,
    pub tone: EventTone,
    pub charge: i64,
    pub occurred_at: DateTime<Utc>,
    pub title: &'a str,
    pub description: &'a str,
    pub narrative: Option<&'a str>,
    pub tags: &'a [String],
}

#[derive(Debug, Clone)]
pub struct ClusterParams {
    pub min_events: usize,
    pub link_threshold: f32,
    /// Terms found in more than this share of events (and more than `min_df_cap` events) are ignored.
    pub max_df_share: f32,
    pub min_df_cap: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams { min_events: 3, link_threshold: 0.32, max_df_share: 0.02, min_df_cap: 12 }
    }
}

/// A group of similar events and the terms that bind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Indices into the input, in input order.
    pub members: Vec<usize>,
    /// The binding terms as people wrote them (tags without `#`), strongest first.
    pub theme: Vec<String>,
    /// The same terms as stems, for stable keys.
    pub stems: Vec<String>,
}

const TAG_WEIGHT: f32 = 3.0;
const TITLE_WEIGHT: f32 = 2.0;
const DESCRIPTION_WEIGHT: f32 = 1.0;
const NARRATIVE_WEIGHT: f32 = 0.5;
/// Narratives can be long; their opening carries the theme.
const NARRATIVE_WORDS: usize = 200;

/// A fast, non-cryptographic hash (the multiply-rotate of Firefox and rustc) for term lookups:
/// keys come from the person's own journal, so hash flooding is not a concern here.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

struct Vocabulary {
    ids: FxMap<String, u32>,
    stems: Vec<String>,
}

impl Vocabulary {
    fn id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(stem.to_string());
        self.ids.insert(stem.to_string(), id);
        id
    }
}

/// How people wrote a stem in these events: its most frequent surface form (tags without `#`).
fn surface(stem: &str, members: &[&PatternEvent<'_>]) -> String {
    if let Some(tag) = stem.strip_prefix('#') {
        return tag.to_string();
    }
    let mut counts: HashMap<String, u32> = HashMap::new();
    for e in members {
        let texts = [e.title, e.description, e.narrative.unwrap_or("")];
        for (s, w) in texts.iter().flat_map(|t| text::terms(t)) {
            if s == stem {
                *counts.entry(w.to_lowercase()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map_or_else(|| stem.to_string(), |c| c.0)
}

fn bag(e: &PatternEvent<'_>, vocab: &mut Vocabulary) -> Vec<(u32, f32)> {
    let mut weights: FxMap<u32, f32> = FxMap::default();
    for tag in e.tags {
        *weights.entry(vocab.id(&format!("#{tag}"))).or_default() += TAG_WEIGHT;
    }
    text::each_stem(e.title, |s| *weights.entry(vocab.id(s)).or_default() += TITLE_WEIGHT);
    text::each_stem(e.description, |s| *weights.entry(vocab.id(s)).or_default() += DESCRIPTION_WEIGHT);
    if let Some(n) = e.narrative {
        let mut seen = 0;
        text::each_stem(n, |s| {
            if seen < NARRATIVE_WORDS {
                *weights.entry(vocab.id(s)).or_default() += NARRATIVE_WEIGHT;
                seen += 1;
            }
        });
    }
    let mut v: Vec<(u32, f32)> = weights.into_iter().collect();
    v.sort_unstable_by_key(|p| p.0);
    v
}

fn structure_bonus(a: &PatternEvent<'_>, b: &PatternEvent<'_>) -> f32 {
    let mut bonus = 0.0;
    if a.area == b.area {
        bonus += 0.10;
    }
    if a.kind == b.kind {
        bonus += 0.05;
    }
    if a.tone == b.tone {
        bonus += 0.03;
    }
    if a.charge.signum() == b.charge.signum() {
        bonus += 0.02;
    }
    bonus
}

/// Finds the clusters among `events`.
pub fn cluster(events: &[PatternEvent<'_>], p: &ClusterParams) -> Vec<Cluster> {
    Corpus::new(events).cluster(events, 0..events.len(), p)
}

/// Events turned into bags of terms once, so that overlapping time windows share the work.
pub struct Corpus {
    vocab: Vocabulary,
    bags: Vec<Vec<(u32, f32)>>,
}

impl Corpus {
    pub fn new(events: &[PatternEvent<'_>]) -> Self {
        let mut vocab = Vocabulary { ids: FxMap::default(), stems: Vec::new() };
        let bags = events.iter().map(|e| bag(e, &mut vocab)).collect();
        Corpus { vocab, bags }
    }

    /// Clusters the events in `range` (indices into the `events` the corpus was built from);
    /// rarity is measured within the range. Members are indices into `events`.
    pub fn cluster(&self, all: &[PatternEvent<'_>], range: std::ops::Range<usize>, p: &ClusterParams) -> Vec<Cluster> {
        let events = &all[range.clone()];
        let bags = &self.bags[range.clone()];
        let vocab = &self.vocab;
        let offset = range.start;
        let n = events.len();
        if n < p.min_events {
            return Vec::new();
        }
        let mut df = vec![0u32; vocab.stems.len()];
        for b in bags {
            for (t, _) in b {
                df[*t as usize] += 1;
            }
        }
        let cap = ((n as f32 * p.max_df_share) as usize).max(p.min_df_cap) as u32;
        let mut idf = vec![0f32; df.len()];
        for b in bags {
            for &(t, _) in b {
                if idf[t as usize] == 0.0 {
                    idf[t as usize] = (1.0 + n as f32 / df[t as usize] as f32).ln();
                }
            }
        }
        let links = |t: u32| (2..=cap).contains(&df[t as usize]);

        // Weighted, normalised vectors and the inverted index.
        let mut vectors: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab.stems.len()];
        for (i, b) in bags.iter().enumerate() {
            // Everyday and one-off words still count in the norm: an entry that shares one tag with
            // another but is otherwise about something else is not similar to it.
            let norm = b.iter().map(|&(t, w)| (w * idf[t as usize]).powi(2)).sum::<f32>().sqrt();
            let mut v: Vec<(u32, f32)> =
                b.iter().filter(|&&(t, _)| links(t)).map(|&(t, w)| (t, w * idf[t as usize])).collect();
            if norm > 0.0 {
                for (_, w) in &mut v {
                    *w /= norm;
                }
            }
            for &(t, w) in &v {
                postings[t as usize].push((i as u32, w));
            }
            vectors.push(v);
        }

        // Neighbours through shared terms only.
        let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut acc = vec![0f32; n];
        let mut shared = vec![0u16; n];
        let mut touched: Vec<u32> = Vec::new();
        for i in 0..n {
            for &(t, w) in &vectors[i] {
                for &(j, wj) in &postings[t as usize] {
                    if j as usize <= i {
                        continue;
                    }
                    if acc[j as usize] == 0.0 {
                        touched.push(j);
                    }
                    acc[j as usize] += w * wj;
                    shared[j as usize] += 1;
                }
            }
            for &j in &touched {
                let (cos, terms) = (acc[j as usize], shared[j as usize]);
                acc[j as usize] = 0.0;
                shared[j as usize] = 0;
                // One shared word is a coincidence unless it dominates both entries, or the entries
                // also share their area and kind.
                let (a, b) = (&events[i], &events[j as usize]);
                let enough = terms >= 2 || cos >= 0.6 || (a.area == b.area && a.kind == b.kind && cos >= 0.2);
                if enough && cos >= 0.15 && cos + structure_bonus(&events[i], &events[j as usize]) >= p.link_threshold {
                    neighbours[i].push(j);
                    neighbours[j as usize].push(i as u32);
                }
            }
            touched.clear();
        }

        // Density clustering, in input order so the result is deterministic.
        let is_core = |i: usize| neighbours[i].len() + 1 >= p.min_events;
        let mut label: Vec<Option<usize>> = vec![None; n];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for start in 0..n {
            if label[start].is_some() || !is_core(start) {
                continue;
            }
            let g = groups.len();
            let mut members = vec![start];
            label[start] = Some(g);
            let mut queue = vec![start];
            while let Some(i) = queue.pop() {
                for &j in &neighbours[i] {
                    let j = j as usize;
                    if label[j].is_some() {
                        continue;
                    }
                    label[j] = Some(g);
                    members.push(j);
                    if is_core(j) {
                        queue.push(j);
                    }
                }
            }
            members.sort_unstable();
            groups.push(members);
        }

        groups
            .into_iter()
            .filter(|m| m.len() >= p.min_events)
            .map(|members| {
                let mut share: HashMap<u32, (usize, f32)> = HashMap::new();
                for &m in &members {
                    for &(t, w) in &vectors[m] {
                        let e = share.entry(t).or_default();
                        e.0 += 1;
                        e.1 += w;
                    }
                }
                let need = ((members.len() as f32 * 0.4).ceil() as usize).max(2);
                let mut terms: Vec<(u32, usize, f32)> =
                    share.into_iter().filter(|(_, (c, _))| *c >= need).map(|(t, (c, w))| (t, c, w)).collect();
                let is_tag = |t: u32| vocab.stems[t as usize].starts_with('#');
                terms.sort_by(|a, b| {
                    is_tag(b.0)
                        .cmp(&is_tag(a.0))
                        .then(b.1.cmp(&a.1))
                        .then(b.2.total_cmp(&a.2))
                        .then_with(|| vocab.stems[a.0 as usize].cmp(&vocab.stems[b.0 as usize]))
                });
                terms.truncate(3);
                Cluster {
                    members: members.iter().map(|m| m + offset).collect(),
                    theme: {
                        let members: Vec<&PatternEvent<'_>> = members.iter().map(|&m| &events[m]).collect();
                        terms.iter().map(|t| surface(&vocab.stems[t.0 as usize], &members)).collect()
                    },
                    stems: terms.iter().map(|t| vocab.stems[t.0 as usize].clone()).collect(),
                }
            })
            .collect()
    }
}
