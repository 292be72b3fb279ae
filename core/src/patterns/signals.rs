//! Patterns that are not about words: upsets in one area that follow boundary violations in
//! another, events bunched on one weekday or at one time of day, and an area's score falling.
//! Pure functions over plain data; every finding names its events and says why.
//!
//! Weekday and time-of-day bunching must be unlikely by chance: the one-sided binomial tail of the
//! count, against the person's own rhythm (for times of day) or an even week (for weekdays), must
//! be below [`SIGNIFICANCE`], with at least [`MIN_BUNCH`] events in the bunch.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use wisdom_model::EventType;

pub const SIGNIFICANCE: f64 = 0.001;
pub const MIN_BUNCH: usize = 4;
/// An upset within this long after a violation counts as following it.
pub const FOLLOW_HOURS: i64 = 48;
pub const MIN_FOLLOWS: usize = 3;
/// A fall of this many points over [`TREND_DAYS`] raises an alert.
pub const TREND_DROP: f64 = 15.0;
pub const TREND_DAYS: i64 = 30;

#[derive(Debug, Clone)]
pub struct SignalEvent {
    pub id: String,
    pub area: String,
    pub kind: EventType,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Violation {
    pub area: String,
    pub occurred_at: DateTime<Utc>,
}

/// A finding before it has words: which kind, where, and which events.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// Upsets or setbacks in `area` within two days after violations in `after_area`.
    CrossArea { after_area: String, area: String, events: Vec<String>, violations: usize },
    /// `kind` events in `area` bunched on one weekday (0 = Monday).
    Weekday { area: String, kind: EventType, weekday: u32, events: Vec<String>, of: usize },
    /// `kind` events in `area` bunched in one part of the day.
    TimeOfDay { area: String, kind: EventType, part: DayPart, events: Vec<String>, of: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    Night,
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    pub fn of_hour(h: u32) -> Self {
        match h {
            5..=11 => DayPart::Morning,
            12..=16 => DayPart::Afternoon,
            17..=21 => DayPart::Evening,
            _ => DayPart::Night,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DayPart::Night => "at night",
            DayPart::Morning => "in the morning",
            DayPart::Afternoon => "in the afternoon",
            DayPart::Evening => "in the evening",
        }
    }

    const ALL: [DayPart; 4] = [DayPart::Night, DayPart::Morning, DayPart::Afternoon, DayPart::Evening];
}

/// P(X >= k) for X ~ Binomial(n, p).
pub fn binomial_tail(n: usize, k: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // Each term's logarithm from the one before, P(X = i + 1) = P(X = i) · (n - i) / (i + 1) ·
    // p / (1 - p), rather than every binomial coefficient from scratch: a hot path (eleven calls
    // per (area, type) group of every window), and logarithms keep far-off terms from underflowing.
    let mut ln_term = (1..=k).map(|i| ((n - k + i) as f64 / i as f64).ln()).sum::<f64>()
        + k as f64 * p.ln()
        + (n - k) as f64 * (1.0 - p).ln();
    let ln_odds = (p / (1.0 - p)).ln();
    let mut sum = 0.0;
    for i in k..=n {
        sum += ln_term.exp();
        if i < n {
            ln_term += ((n - i) as f64 / (i + 1) as f64).ln() + ln_odds;
        }
    }
    sum.min(1.0)
}

fn negative(kind: EventType) -> bool {
    matches!(kind, EventType::Upset | EventType::Setback)
}

pub fn cross_area(events: &[SignalEvent], violations: &[Violation]) -> Vec<Signal> {
    let follow = Duration::hours(FOLLOW_HOURS);
    let mut pairs: std::collections::BTreeMap<(String, String), Vec<String>> = Default::default();
    for v in violations {
        for e in events.iter().filter(|e| negative(e.kind) && e.area != v.area) {
            if e.occurred_at >= v.occurred_at && e.occurred_at <= v.occurred_at + follow {
                let entry = pairs.entry((v.area.clone(), e.area.clone())).or_default();
                if !entry.contains(&e.id) {
                    entry.push(e.id.clone());
                }
            }
        }
    }
    pairs
        .into_iter()
        .filter(|(_, ev)| ev.len() >= MIN_FOLLOWS)
        .map(|((after_area, area), events)| {
            let violations = violations.iter().filter(|v| v.area == after_area).count();
            Signal::CrossArea { after_area, area, events, violations }
        })
        .collect()
}

/// Weekday and time-of-day bunching per (area, kind), in the person's time zone.
pub fn rhythms(events: &[SignalEvent], tz: Tz) -> Vec<Signal> {
    let local: Vec<_> = events.iter().map(|e| e.occurred_at.with_timezone(&tz)).collect();
    let total = events.len().max(1) as f64;
    let part_share: Vec<f64> = DayPart::ALL
        .iter()
        .map(|p| local.iter().filter(|t| DayPart::of_hour(t.hour()) == *p).count() as f64 / total)
        .collect();
    let mut groups: std::collections::BTreeMap<(String, &'static str), Vec<usize>> = Default::default();
    for (i, e) in events.iter().enumerate() {
        groups.entry((e.area.clone(), e.kind.as_str())).or_default().push(i);
    }
    let mut out = Vec::new();
    for ((area, kind), idx) in groups {
        if idx.len() < MIN_BUNCH {
            continue;
        }
        let kind: EventType = kind.parse().expect("own enum name");
        for weekday in 0..7u32 {
            let hits: Vec<usize> =
                idx.iter().copied().filter(|&i| local[i].weekday().num_days_from_monday() == weekday).collect();
            if hits.len() >= MIN_BUNCH && binomial_tail(idx.len(), hits.len(), 1.0 / 7.0) < SIGNIFICANCE {
                out.push(Signal::Weekday {
                    area: area.clone(),
                    kind,
                    weekday,
                    events: hits.iter().map(|&i| events[i].id.clone()).collect(),
                    of: idx.len(),
                });
            }
        }
        for (p, part) in DayPart::ALL.iter().enumerate() {
            let hits: Vec<usize> =
                idx.iter().copied().filter(|&i| DayPart::of_hour(local[i].hour()) == *part).collect();
            if hits.len() >= MIN_BUNCH && binomial_tail(idx.len(), hits.len(), part_share[p]) < SIGNIFICANCE {
                out.push(Signal::TimeOfDay {
                    area: area.clone(),
                    kind,
                    part: *part,
                    events: hits.iter().map(|&i| events[i].id.clone()).collect(),
                    of: idx.len(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ev(id: &str, area: &str, kind: EventType, at: DateTime<Utc>) -> SignalEvent {
        SignalEvent { id: id.into(), area: area.into(), kind, occurred_at: at }
    }

    #[test]
    fn binomial_tail_matches_known_values() {
        assert!((binomial_tail(4, 4, 0.5) - 0.0625).abs() < 1e-12);
        assert!((binomial_tail(10, 0, 0.3) - 1.0).abs() < 1e-12);
        assert!((binomial_tail(3, 2, 0.5) - 0.5).abs() < 1e-12);
        // Far below and above the mean: 1 - P(X = 0), and P(X = n).
        assert!((binomial_tail(1000, 1, 0.5) - 1.0).abs() < 1e-12);
        assert!((binomial_tail(200, 200, 0.5) - 0.5f64.powi(200)).abs() < 1e-70);
        assert!((binomial_tail(60, 12, 1.0 / 7.0) - 0.140_743_837_799_6).abs() < 1e-12);
    }

    #[test]
    fn upsets_after_violations_elsewhere_are_linked() {
        let t = Utc.with_ymd_and_hms(2026, 5, 1, 20, 0, 0).unwrap();
        let mut events = Vec::new();
        let mut violations = Vec::new();
        for i in 0..3 {
            let at = t + Duration::days(7 * i);
            violations.push(Violation { area: "area_work".into(), occurred_at: at });
            events.push(ev(&format!("e{i}"), "area_family", EventType::Upset, at + Duration::hours(20)));
        }
        events.push(ev("late", "area_family", EventType::Upset, t + Duration::days(3)));
        let s = cross_area(&events, &violations);
        assert_eq!(s.len(), 1);
        match &s[0] {
            Signal::CrossArea { after_area, area, events, violations } => {
                assert_eq!((after_area.as_str(), area.as_str()), ("area_work", "area_family"));
                assert_eq!(events, &vec!["e0".to_string(), "e1".into(), "e2".into()]);
                assert_eq!(*violations, 3);
            }
            other => panic!("{other:?}"),
        }
        assert!(cross_area(&events[..2], &violations).is_empty(), "two is not a pattern");
    }

    #[test]
    fn monday_upsets_stand_out_and_spread_ones_do_not() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let monday = Utc.with_ymd_and_hms(2026, 4, 6, 8, 0, 0).unwrap();
        let mut events: Vec<SignalEvent> =
            (0..5).map(|i| ev(&format!("m{i}"), "area_work", EventType::Upset, monday + Duration::weeks(i))).collect();
        let found = rhythms(&events, tz);
        assert!(
            found.iter().any(|s| matches!(s, Signal::Weekday { weekday: 0, events, .. } if events.len() == 5)),
            "{found:?}"
        );
        events = (0..7)
            .map(|i| {
                ev(&format!("d{i}"), "area_work", EventType::Upset, monday + Duration::days(i) + Duration::hours(i * 3))
            })
            .collect();
        assert!(rhythms(&events, tz).iter().all(|s| !matches!(s, Signal::Weekday { .. })));
    }

    #[test]
    fn night_bunching_is_measured_against_the_persons_own_rhythm() {
        let tz: Tz = "UTC".parse().unwrap();
        let day = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        // Many daytime events elsewhere, and five late-night setbacks in finance.
        let mut events: Vec<SignalEvent> = (0..40)
            .map(|i| {
                ev(
                    &format!("n{i}"),
                    "area_nature",
                    EventType::Progress,
                    day + Duration::days(i % 20) + Duration::hours(10 + i % 6),
                )
            })
            .collect();
        for i in 0..5 {
            events.push(ev(
                &format!("f{i}"),
                "area_finance",
                EventType::Setback,
                day + Duration::days(i * 4 + 1) + Duration::hours(23),
            ));
        }
        let found = rhythms(&events, tz);
        assert!(
            found
                .iter()
                .any(|s| matches!(s, Signal::TimeOfDay { part: DayPart::Night, area, .. } if area == "area_finance")),
            "{found:?}"
        );
    }
}
