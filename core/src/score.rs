//! The fulfilment score of one life area: the seed's formula as a pure function of its inputs and
//! `now`. This module is the one place that defines what the seed left open.
//!
//! Definitions (all over the **window**: the [`WINDOW_DAYS`] days up to `now`, by `occurredAt`):
//! - **Event momentum**, within +/-20: each event in the window contributes its *valence*, the mean
//!   of its emotional charge scaled to -1..+1 and its type's weight ([`type_weight`]), times its
//!   *recency* (1 for an event at `now`, falling linearly to 0 at the window's start). Momentum is
//!   `20 * tanh(sum / 3)`: about three strong recent events move an area by 15 points, and no
//!   number of events can pass 20.
//! - **Commitment ratio**, 0..1, times 15: commitments of the area that were kept (COMPLETED or
//!   INTEGRATED) over all its commitments (whatever their age); 0 when it has none.
//! - **Boundary violations**: violations of the area's boundaries logged in the window; -10 each,
//!   at most -30.
//! - **Upsets**: UPSET events in the window; -5 each, at most -20.
//! - **Breakthroughs**: BREAKTHROUGH events in the window; +15 each, at most +30.
//!
//! The sum is clamped to 0..100 and rounded to one decimal; the status comes from the seed's bands.

use chrono::{DateTime, Duration, Utc};
pub use wisdom_model::ScoreBreakdown;
use wisdom_model::{AreaStatus, EventType};

pub const WINDOW_DAYS: i64 = 30;
pub const BASE: f64 = 50.0;
pub const MOMENTUM_CAP: f64 = 20.0;
pub const COMMITMENT_WEIGHT: f64 = 15.0;
pub const VIOLATION_PENALTY: f64 = 10.0;
pub const VIOLATION_CAP: f64 = 30.0;
pub const UPSET_PENALTY: f64 = 5.0;
pub const UPSET_CAP: f64 = 20.0;
pub const BREAKTHROUGH_BONUS: f64 = 15.0;
pub const BREAKTHROUGH_CAP: f64 = 30.0;

/// How an event's type pulls on momentum, -1..+1.
pub fn type_weight(kind: EventType) -> f64 {
    match kind {
        EventType::Breakthrough | EventType::Milestone => 1.0,
        EventType::Progress => 0.6,
        EventType::Learning => 0.4,
        EventType::Pattern => 0.0,
        EventType::Setback => -0.6,
        EventType::Upset => -1.0,
    }
}

/// What the score needs to know about one event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventSignal {
    pub kind: EventType,
    pub emotional_charge: i64,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreInputs {
    /// The area's events; those outside the window are ignored.
    pub events: Vec<EventSignal>,
    pub commitments_kept: u32,
    pub commitments_total: u32,
    /// When each of the area's boundary violations happened; those outside the window are ignored.
    pub violations: Vec<DateTime<Utc>>,
}

pub fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(WINDOW_DAYS)
}

fn in_window(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at > window_start(now) && at <= now
}

pub fn momentum(events: &[EventSignal], now: DateTime<Utc>) -> f64 {
    let window = Duration::days(WINDOW_DAYS).num_seconds() as f64;
    let sum: f64 = events
        .iter()
        .filter(|e| in_window(e.occurred_at, now))
        .map(|e| {
            let charge = e.emotional_charge.clamp(-5, 5) as f64 / 5.0;
            let valence = (charge + type_weight(e.kind)) / 2.0;
            let age = (now - e.occurred_at).num_seconds() as f64;
            valence * (1.0 - age / window)
        })
        .sum();
    MOMENTUM_CAP * (sum / 3.0).tanh()
}

pub fn score(inputs: &ScoreInputs, now: DateTime<Utc>) -> ScoreBreakdown {
    let momentum = momentum(&inputs.events, now);
    let ratio = if inputs.commitments_total == 0 {
        0.0
    } else {
        inputs.commitments_kept.min(inputs.commitments_total) as f64 / inputs.commitments_total as f64
    };
    let commitments = ratio * COMMITMENT_WEIGHT;
    let count =
        |k: EventType| inputs.events.iter().filter(|e| e.kind == k && in_window(e.occurred_at, now)).count() as f64;
    let violations = inputs.violations.iter().filter(|at| in_window(**at, now)).count() as f64;
    let boundaries = -(violations * VIOLATION_PENALTY).min(VIOLATION_CAP);
    let upsets = -(count(EventType::Upset) * UPSET_PENALTY).min(UPSET_CAP);
    let breakthroughs = (count(EventType::Breakthrough) * BREAKTHROUGH_BONUS).min(BREAKTHROUGH_CAP);
    let raw = BASE + momentum + commitments + boundaries + upsets + breakthroughs;
    let score = (raw.clamp(0.0, 100.0) * 10.0).round() / 10.0;
    ScoreBreakdown {
        momentum,
        commitments,
        boundaries,
        upsets,
        breakthroughs,
        score,
        status: AreaStatus::from_score(score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    fn ev(kind: EventType, charge: i64, days_ago: f64) -> EventSignal {
        EventSignal {
            kind,
            emotional_charge: charge,
            occurred_at: now() - Duration::seconds((days_ago * 86400.0) as i64),
        }
    }

    fn inputs(events: Vec<EventSignal>) -> ScoreInputs {
        ScoreInputs { events, ..Default::default() }
    }

    #[test]
    fn empty_area_sits_at_base_and_balanced() {
        let b = score(&ScoreInputs::default(), now());
        assert_eq!(b.score, 50.0);
        assert_eq!(b.status, AreaStatus::Balanced);
    }

    #[test]
    fn momentum_is_bounded_signed_and_decays_with_age() {
        let many_good: Vec<_> = (0..100).map(|i| ev(EventType::Milestone, 5, i as f64 * 0.1)).collect();
        let m = momentum(&many_good, now());
        assert!(m > 19.9 && m <= 20.0, "{m}");
        let many_bad: Vec<_> = (0..100).map(|i| ev(EventType::Setback, -5, i as f64 * 0.1)).collect();
        let m = momentum(&many_bad, now());
        assert!((-20.0..-19.0).contains(&m), "{m}");
        let fresh = momentum(&[ev(EventType::Progress, 3, 0.0)], now());
        let old = momentum(&[ev(EventType::Progress, 3, 25.0)], now());
        assert!(fresh > old && old > 0.0, "fresh {fresh} old {old}");
        assert_eq!(momentum(&[ev(EventType::Progress, 3, 31.0)], now()), 0.0);
        // A neutral PATTERN with zero charge moves nothing.
        assert_eq!(momentum(&[ev(EventType::Pattern, 0, 1.0)], now()), 0.0);
    }

    #[test]
    fn each_factor_and_cap_in_a_table() {
        let t = now();
        // (description, inputs, expected factor getter, expected value)
        type Getter = fn(&ScoreBreakdown) -> f64;
        let cases: Vec<(&str, ScoreInputs, Getter, f64)> = vec![
            ("no commitments", ScoreInputs::default(), |b| b.commitments, 0.0),
            (
                "half kept",
                ScoreInputs { commitments_kept: 1, commitments_total: 2, ..Default::default() },
                |b| b.commitments,
                7.5,
            ),
            (
                "all kept",
                ScoreInputs { commitments_kept: 4, commitments_total: 4, ..Default::default() },
                |b| b.commitments,
                15.0,
            ),
            (
                "one violation",
                ScoreInputs { violations: vec![t - Duration::days(1)], ..Default::default() },
                |b| b.boundaries,
                -10.0,
            ),
            (
                "violations capped",
                ScoreInputs { violations: vec![t; 5], ..Default::default() },
                |b| b.boundaries,
                -30.0,
            ),
            (
                "old violation ignored",
                ScoreInputs { violations: vec![t - Duration::days(31)], ..Default::default() },
                |b| b.boundaries,
                0.0,
            ),
            ("two upsets", inputs(vec![ev(EventType::Upset, -2, 1.0); 2]), |b| b.upsets, -10.0),
            ("upsets capped", inputs(vec![ev(EventType::Upset, -2, 1.0); 7]), |b| b.upsets, -20.0),
            ("old upset ignored", inputs(vec![ev(EventType::Upset, -2, 40.0)]), |b| b.upsets, 0.0),
            ("one breakthrough", inputs(vec![ev(EventType::Breakthrough, 4, 2.0)]), |b| b.breakthroughs, 15.0),
            ("breakthroughs capped", inputs(vec![ev(EventType::Breakthrough, 4, 2.0); 3]), |b| b.breakthroughs, 30.0),
            ("future event ignored", inputs(vec![ev(EventType::Breakthrough, 4, -1.0)]), |b| b.breakthroughs, 0.0),
        ];
        for (what, input, get, want) in cases {
            let b = score(&input, t);
            assert!((get(&b) - want).abs() < 1e-9, "{what}: got {} want {want}", get(&b));
        }
    }

    #[test]
    fn total_is_clamped_to_0_and_100() {
        let best = ScoreInputs {
            events: vec![ev(EventType::Breakthrough, 5, 0.0); 10],
            commitments_kept: 3,
            commitments_total: 3,
            violations: vec![],
        };
        let b = score(&best, now());
        assert_eq!(b.score, 100.0);
        assert_eq!(b.status, AreaStatus::Flourishing);
        let worst = ScoreInputs {
            events: vec![ev(EventType::Upset, -5, 0.0); 10],
            commitments_kept: 0,
            commitments_total: 3,
            violations: vec![now(); 4],
        };
        let b = score(&worst, now());
        assert_eq!(b.score, 0.0);
        assert_eq!(b.status, AreaStatus::Crisis);
    }

    #[test]
    fn factors_add_up_before_clamping() {
        let i = ScoreInputs {
            events: vec![ev(EventType::Upset, -3, 3.0)],
            commitments_kept: 1,
            commitments_total: 1,
            violations: vec![now() - Duration::days(2)],
        };
        let b = score(&i, now());
        let expect = 50.0 + b.momentum + 15.0 - 10.0 - 5.0;
        assert!((b.score - (expect * 10.0).round() / 10.0).abs() < 1e-9);
        assert!(b.momentum < 0.0);
    }
}
