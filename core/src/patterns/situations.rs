//! Recurring situations found by meaning: the pattern engine's first pass when the language model
//! has read the journal. Pure and deterministic: events, their sentence vectors and the time zone
//! in, groups of events out.
//!
//! 1. Centring: the window's mean vector is taken off every vector before cosines (shrunk for a
//!    short journal). Journal entries all look alike to the model (first person, everyday life);
//!    what is left is what sets an entry apart.
//! 2. Baseline: the person's own emotional charge over the window (mean and spread, starting from
//!    an ordinary journal's for the first few dozen entries). An entry stands out by how far its
//!    charge lies from that baseline; ordinary days do not.
//! 3. Within each life area, two entries' affinity is their centred cosine, plus a little for the
//!    same type, minus [`OPPOSITE_SIGN`] when one is positive and the other negative, plus
//!    [`SALIENCE`] times the lesser of their two distances from the baseline (both stand out, up to
//!    [`SALIENCE_CAP`], so that standing out never links two entries on its own) and a little for
//!    standing out the same way. Areas are the journal's own structure: on realistic
//!    journals an entry filed under a neighbouring area mostly belongs to another story.
//! 4. Average-linkage clustering (nearest-neighbour chain, deterministic tie-breaks) merges groups
//!    while their mean affinity reaches [`LINK`].
//! 5. A group is a recurring situation when it has at least [`MIN_EVENTS`] entries over at least
//!    two distinct weeks (a three-day trip is an episode, not a pattern) and its average charge
//!    differs from the baseline beyond chance (z of at least [`MIN_Z`]).
//!
//! The weights were fitted on seeds 11-20 of the evaluation corpus (`crate::corpus`) and are
//! measured on seeds 1-10 (`quality::written_journal_quality`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use chrono_tz::Tz;

use super::cluster::PatternEvent;

pub const MIN_EVENTS: usize = 3;
pub const MIN_WEEKS: usize = 2;
pub const LINK: f32 = 0.9;
pub const SAME_TYPE: f32 = 0.1;
pub const OPPOSITE_SIGN: f32 = 0.6;
pub const SALIENCE: f32 = 0.85;
/// Standing out counts up to this many spreads: beyond it the words must do the linking.
pub const SALIENCE_CAP: f32 = 0.5;
pub const SAME_WAY: f32 = 0.1;
pub const MIN_Z: f64 = 2.0;
/// An ordinary journal's charge, as (entries it counts for, mean, spread): mildly positive days.
pub const BASELINE_PRIOR: (f64, f64, f64) = (20.0, 0.5, 1.5);

/// A recurring situation: its events (indices into the input, in input order) and the one that
/// says it best (the member closest in meaning to all the others).
#[derive(Debug, Clone, PartialEq)]
pub struct Situation {
    pub members: Vec<usize>,
    pub typical: usize,
}

/// Finds the recurring situations among `events`, whose unit sentence vectors are `vectors` (one
/// per event, in order).
pub fn situations(events: &[PatternEvent<'_>], vectors: &[&[f32]], tz: Tz) -> Vec<Situation> {
    assert_eq!(events.len(), vectors.len());
    let n = events.len();
    if n < MIN_EVENTS {
        return Vec::new();
    }
    let centred = centre(vectors);
    let charges: Vec<f64> = events.iter().map(|e| e.charge as f64).collect();
    // The baseline starts from an ordinary journal's and becomes the person's own as entries come:
    // in a journal of four upsets, the upsets are not the baseline.
    let weight = BASELINE_PRIOR.0;
    let mean = (charges.iter().sum::<f64>() + weight * BASELINE_PRIOR.1) / (n as f64 + weight);
    let spread = ((charges.iter().map(|c| (c - mean).powi(2)).sum::<f64>() + weight * BASELINE_PRIOR.2.powi(2))
        / (n as f64 + weight))
        .sqrt()
        .max(0.5);
    let standing: Vec<f32> = charges.iter().map(|c| ((c - mean) / spread) as f32).collect();

    let mut by_area: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        by_area.entry(e.area).or_default().push(i);
    }
    let mut found = Vec::new();
    for members in by_area.values().filter(|m| m.len() >= MIN_EVENTS) {
        // The area's centred cosines in one matrix product, indexed by position in `members`.
        let rows: Vec<f32> = members.iter().flat_map(|&i| centred[i].iter().copied()).collect();
        let cosines = wisdom_embed::dot_products(&rows, centred[members[0]].len());
        let m = members.len();
        let affinity = |i: usize, j: usize| {
            let (a, b) = (members[i], members[j]);
            let (x, y) = (&events[a], &events[b]);
            let mut s = cosines[i * m + j];
            if x.kind == y.kind {
                s += SAME_TYPE;
            }
            if x.charge.signum() * y.charge.signum() < 0 {
                s -= OPPOSITE_SIGN;
            }
            s + SALIENCE * standing[a].abs().min(standing[b].abs()).min(SALIENCE_CAP)
                + SAME_WAY * standing[a] * standing[b]
        };
        for group in average_linkage(m, affinity, LINK) {
            let group: Vec<usize> = group.into_iter().map(|g| members[g]).collect();
            if group.len() < MIN_EVENTS {
                continue;
            }
            let weeks: BTreeSet<(i32, u32)> = group
                .iter()
                .map(|&i| {
                    let w = events[i].occurred_at.with_timezone(&tz).iso_week();
                    (w.year(), w.week())
                })
                .collect();
            let avg = group.iter().map(|&i| charges[i]).sum::<f64>() / group.len() as f64;
            let z = (avg - mean).abs() / (spread / (group.len() as f64).sqrt());
            if weeks.len() >= MIN_WEEKS && z >= MIN_Z {
                let typical = most_typical(&group, &centred);
                found.push(Situation { members: group, typical });
            }
        }
    }
    found.sort_by_key(|s| s.members[0]);
    found
}

/// Eight running sums, so the compiler can use vector registers (a single sum must be added in
/// order, which it cannot vectorise).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail: f32 = a.chunks_exact(8).remainder().iter().zip(b.chunks_exact(8).remainder()).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

/// Entries a journal's mean is worth trusting: the mean taken off is shrunk by n / (n + this), as a
/// short journal's mean is mostly its few stories, not the way the person writes.
const CENTRING_PRIOR: f32 = 50.0;

/// The vectors less their (shrunk) mean, back to unit length.
fn centre(vectors: &[&[f32]]) -> Vec<Vec<f32>> {
    let dim = vectors.first().map_or(0, |v| v.len());
    let mut mean = vec![0f32; dim];
    for v in vectors {
        mean.iter_mut().zip(v.iter()).for_each(|(m, x)| *m += x);
    }
    let n = vectors.len() as f32;
    mean.iter_mut().for_each(|m| *m /= n + CENTRING_PRIOR);
    vectors
        .iter()
        .map(|v| {
            let mut c: Vec<f32> = v.iter().zip(&mean).map(|(x, m)| x - m).collect();
            let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            c.iter_mut().for_each(|x| *x /= norm);
            c
        })
        .collect()
}

/// The member whose meaning is closest to all the others (ties: the earlier one).
fn most_typical(group: &[usize], centred: &[Vec<f32>]) -> usize {
    let mut best = (group[0], f32::NEG_INFINITY);
    for &i in group {
        let s: f32 = group.iter().filter(|&&j| j != i).map(|&j| dot(&centred[i], &centred[j])).sum();
        if s > best.1 {
            best = (i, s);
        }
    }
    best.0
}

/// Average-linkage agglomerative clustering of `n` items by `affinity`, merging while the best
/// mean affinity between two groups reaches `threshold`. Nearest-neighbour chain: O(n²) time and
/// memory, the same result as merging the globally best pair each time (average linkage is
/// reducible); ties go to the lower index, so the result is deterministic.
fn average_linkage(n: usize, affinity: impl Fn(usize, usize) -> f32, threshold: f32) -> Vec<Vec<usize>> {
    let mut sim = vec![0f32; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let s = affinity(i, j);
            sim[i * n + j] = s;
            sim[j * n + i] = s;
        }
    }
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut active: Vec<bool> = vec![true; n];
    let mut done: Vec<Vec<usize>> = Vec::new();
    let mut chain: Vec<usize> = Vec::new();
    let mut remaining = n;
    while remaining > 0 {
        if chain.is_empty() {
            chain.push(active.iter().position(|&a| a).expect("an active group"));
        }
        let a = *chain.last().expect("non-empty chain");
        let mut best: Option<(usize, f32)> = None;
        for c in (0..n).filter(|&c| active[c] && c != a) {
            let s = sim[a * n + c];
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((c, s));
            }
        }
        let Some((b, s)) = best else {
            // The last group standing.
            active[a] = false;
            remaining -= 1;
            done.push(std::mem::take(&mut members[a]));
            chain.clear();
            continue;
        };
        // Prefer the previous link of the chain on a tie, so the chain always ends.
        let prev = chain.len().checked_sub(2).map(|p| chain[p]);
        let b = match prev {
            Some(p) if sim[a * n + p] >= s => p,
            _ => b,
        };
        if prev != Some(b) {
            chain.push(b);
            continue;
        }
        chain.truncate(chain.len() - 2);
        if sim[a * n + b] < threshold {
            // Reciprocal nearest neighbours below the threshold: neither can merge any more.
            for g in [a, b] {
                active[g] = false;
                remaining -= 1;
                done.push(std::mem::take(&mut members[g]));
            }
            chain.clear();
            continue;
        }
        let (keep, gone) = (a.min(b), a.max(b));
        let (wk, wg) = (members[keep].len() as f32, members[gone].len() as f32);
        for c in (0..n).filter(|&c| active[c] && c != keep && c != gone) {
            let s = (wk * sim[keep * n + c] + wg * sim[gone * n + c]) / (wk + wg);
            sim[keep * n + c] = s;
            sim[c * n + keep] = s;
        }
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
        members[keep].sort_unstable();
        active[gone] = false;
        remaining -= 1;
    }
    done.sort_by_key(|g| g[0]);
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_linkage_merges_only_above_the_threshold() {
        // Two tight pairs and a loner: {0,1} and {2,3} link, the pairs do not link each other.
        let pts = [0.0f32, 0.1, 5.0, 5.2, 20.0];
        let groups = average_linkage(5, |i, j| -(pts[i] - pts[j]).abs(), -1.0);
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3], vec![4]]);
        // A lower threshold joins the pairs (mean distance 5.05) but not the loner.
        let groups = average_linkage(5, |i, j| -(pts[i] - pts[j]).abs(), -6.0);
        assert_eq!(groups, vec![vec![0, 1, 2, 3], vec![4]]);
    }
}
