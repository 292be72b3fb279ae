//! Today's reflection prompt: about a part of life the person has neglected, never the same prompt
//! twice in seven days, the same for the same day and journal.
//!
//! Which part of life: each area's neglect is how long since its last entry (up to 60 days), how
//! far its score fell over the last two weeks of daily snapshots, and whether an insight drawn from
//! its entries waits to be applied. One of the three most neglected is taken, rotating by day.
//!
//! What can be offered: the library's prompts (in the person's words where they edited one) and the
//! person's own (`own.rs`), minus every hidden one, in pools: one per area, general daily ones and
//! weekly ones, each in a fixed order (the library's, then the person's by creation).
//!
//! Which prompt, without remembering what was shown: day `N` (days since 1970 in the workspace's
//! zone), week `W = N / 7`, has the slot `N mod 7`. Sundays take the weekly pool's prompt `W`.
//! Slots 0-4 ask about an area: its pool's prompt `5W + slot` (modulo its size) when it holds five
//! or more, else prompt `slot`, and an area with fewer prompts than that is not asked that day.
//! Slots 5 and 6 take the daily pool's prompt `2W + slot - 5` (modulo its size; slot 6 needs two).
//! Any seven days in a row hold at most five area days, numbered consecutively, and two daily days,
//! also consecutive, so no prompt comes twice in them, whatever was hidden or added (only when
//! nothing at all is left to ask does the open page come back). With nothing hidden or added this
//! is the library's own rotation.

mod library;
mod own;
pub(crate) use own::insert_shaped;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::OptionalExtension;
use wisdom_model::{DailyPrompt, LIFE_AREAS};

#[cfg(test)]
use library::Scope;

use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;

/// Days after which an area counts as fully neglected.
const NEGLECT_DAYS: f64 = 60.0;
/// A fall of this many points over two weeks counts as much as a fully neglected area.
const FALL_POINTS: f64 = 20.0;
/// What a waiting insight adds.
const WAITING_INSIGHT: f64 = 0.3;
/// How many of the most neglected areas the day rotates among.
const ROTATE_AMONG: usize = 3;

/// What is known about one area on the day.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AreaState {
    pub slug: &'static str,
    pub days_since_entry: Option<i64>,
    /// Score now minus two weeks ago (negative: fell).
    pub change: Option<f64>,
    pub waiting_insight: bool,
}

impl AreaState {
    fn neglect(&self) -> f64 {
        let quiet = self.days_since_entry.map_or(1.0, |d| (d as f64 / NEGLECT_DAYS).min(1.0));
        let fall = self.change.map_or(0.0, |c| (-c / FALL_POINTS).clamp(0.0, 1.0));
        quiet + fall + if self.waiting_insight { WAITING_INSIGHT } else { 0.0 }
    }

    fn reason(&self, name: &str) -> String {
        match (self.change, self.days_since_entry, self.waiting_insight) {
            (Some(c), _, _) if c <= -5.0 => format!("{name} fell {:.0} points in two weeks", -c),
            (_, None, _) => format!("Nothing written about {name} yet"),
            (_, Some(d), _) if d >= 14 => format!("Nothing written about {name} for {}", quiet_for(d)),
            (_, _, true) => format!("An insight about {name} is waiting"),
            _ => format!("A look at {name}"),
        }
    }
}

/// "3 weeks", "4 months", "over a year".
fn quiet_for(days: i64) -> String {
    if days <= 62 {
        format!("{} weeks", days / 7)
    } else if days < 365 {
        format!("{} months", days / 30)
    } else {
        "over a year".into()
    }
}

/// A small, stable mix of a number, so that equal days do not always favour the same area.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A prompt that can be offered, in the words to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offer {
    pub id: String,
    pub text: String,
}

/// Everything that can be offered, by when.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Pools {
    /// By area slug.
    pub areas: HashMap<String, Vec<Offer>>,
    pub daily: Vec<Offer>,
    pub weekly: Vec<Offer>,
}

impl Pools {
    /// The library as it ships.
    #[cfg(test)]
    pub(crate) fn library() -> Pools {
        own::pools(&[])
    }
}

/// What is offered when every prompt is hidden: not a library prompt, so it cannot be hidden.
const OPEN_PAGE: (&str, &str) = ("open-page", "What is on your mind today?");

/// The prompt for `day` given each area's state and what can be offered: pure.
pub(crate) fn choose(day: NaiveDate, areas: &[AreaState], pools: &Pools) -> DailyPrompt {
    let n = day.signed_duration_since(NaiveDate::default()).num_days().max(0) as usize;
    let (week, slot) = (n / 7, n % 7);
    let general = |p: &Offer| DailyPrompt { id: p.id.clone(), text: p.text.clone(), area: None, reason: None };
    if day.weekday() == Weekday::Sun && !pools.weekly.is_empty() {
        return general(&pools.weekly[week % pools.weekly.len()]);
    }
    // An area with fewer than five prompts keeps each to its own slot, so none comes twice a week.
    let askable: Vec<&AreaState> =
        areas.iter().filter(|a| pools.areas.get(a.slug).is_some_and(|p| p.len() >= 5 || slot < p.len())).collect();
    if slot >= 5 || askable.is_empty() {
        let second = slot.saturating_sub(5);
        return match pools.daily.len() {
            len if len > second => general(&pools.daily[(2 * week + second) % len]),
            _ => DailyPrompt { id: OPEN_PAGE.0.into(), text: OPEN_PAGE.1.into(), area: None, reason: None },
        };
    }
    let mut ranked = askable;
    let shuffle = |slug: &str| mix(slug.bytes().fold(n as u64, |h, b| mix(h ^ b as u64)));
    ranked.sort_by(|a, b| {
        b.neglect()
            .total_cmp(&a.neglect())
            .then_with(|| shuffle(a.slug).cmp(&shuffle(b.slug)))
            .then_with(|| a.slug.cmp(b.slug))
    });
    let pick = ranked[(mix(n as u64) as usize) % ranked.len().min(ROTATE_AMONG)];
    let pool = &pools.areas[pick.slug];
    let prompt = if pool.len() >= 5 { &pool[(5 * week + slot) % pool.len()] } else { &pool[slot] };
    let name = LIFE_AREAS.iter().find(|a| a.slug == pick.slug).map_or(pick.slug, |a| a.name);
    DailyPrompt {
        id: prompt.id.clone(),
        text: prompt.text.clone(),
        area: Some(pick.slug.into()),
        reason: Some(pick.reason(name)),
    }
}

impl Workspace {
    /// Today's reflection prompt (see the module's notes on how it is chosen).
    pub fn prompt_for(&self, day: NaiveDate) -> Result<DailyPrompt> {
        Ok(choose(day, &self.area_states(day)?, &own::pools(&own::shaped(&self.conn)?)))
    }

    fn area_states(&self, day: NaiveDate) -> Result<Vec<AreaState>> {
        let tz = self.timezone()?;
        let tonight = time::to_db(crate::zone::day_end(tz, day));
        let two_weeks_ago = (day - chrono::Duration::days(14)).to_string();
        let mut last = self
            .conn
            .prepare_cached("SELECT max(occurred_at) FROM events WHERE life_area_id = ?1 AND occurred_at < ?2")?;
        let mut score_then = self.conn.prepare_cached(
            "SELECT score FROM metric_snapshots WHERE life_area_id = ?1 AND period = 'DAILY' AND date = ?2",
        )?;
        // From the waiting insights to their entries' areas (CROSS JOIN keeps that order: from the
        // events' side, every entry of an area would look through the links one by one).
        let waiting: std::collections::HashSet<String> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT e.life_area_id FROM insights i
                   CROSS JOIN insight_events ie ON ie.insight_id = i.id
                   CROSS JOIN events e ON e.id = ie.event_id
                  WHERE i.applied = 0 AND i.dismissed_at IS NULL",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for a in self.life_areas()?.into_iter().filter(|a| a.is_active) {
            let Some(spec) = LIFE_AREAS.iter().find(|s| s.slug == a.slug) else { continue };
            let last_at: Option<String> = last.query_row(rusqlite::params![a.id, tonight], |r| r.get(0))?;
            let days_since_entry = match last_at {
                Some(t) => {
                    let at = time::from_db(&t).map_err(|e| crate::error::Error::Corrupt {
                        path: Default::default(),
                        message: format!("a stored date is not a date ({t}: {e})"),
                    })?;
                    Some((day - at.with_timezone(&tz).date_naive()).num_days())
                }
                None => None,
            };
            let then: Option<f64> =
                score_then.query_row(rusqlite::params![a.id, two_weeks_ago], |r| r.get(0)).optional()?;
            let waiting_insight = waiting.contains(&a.id);
            out.push(AreaState {
                slug: spec.slug,
                days_since_entry,
                change: then.map(|t| a.current_score - t),
                waiting_insight,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn quiet(slug: &'static str, days: Option<i64>) -> AreaState {
        AreaState { slug, days_since_entry: days, change: None, waiting_insight: false }
    }

    fn areas() -> Vec<AreaState> {
        LIFE_AREAS.iter().map(|a| quiet(a.slug, Some(1))).collect()
    }

    #[test]
    fn every_area_has_five_prompts_and_ids_are_unique() {
        let mut ids = HashSet::new();
        for (set, spec) in library::AREAS.iter().zip(LIFE_AREAS.iter()) {
            assert!(set.iter().all(|p| p.scope == Scope::Area(spec.slug)), "{}", spec.slug);
        }
        let all = library::AREAS.iter().flatten().chain(&library::DAILY).chain(&library::WEEKLY);
        for p in all {
            assert!(ids.insert(p.id), "{} twice", p.id);
            assert!(p.text.len() > 20 && (p.text.ends_with('?') || p.text.ends_with('.')), "{}", p.id);
        }
        assert_eq!(ids.len(), 150 + 10 + 6);
    }

    #[test]
    fn no_prompt_comes_twice_in_any_seven_days_whatever_the_journal_does() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut shown = Vec::new();
        for i in 0..400 {
            // The neglected area changes every day: the guarantee must not depend on it.
            let mut states = areas();
            states[(i * 7) % 30].days_since_entry = None;
            states[(i * 11) % 30].change = Some(-12.0);
            shown.push(choose(start + chrono::Duration::days(i as i64), &states, &Pools::library()).id);
        }
        for w in shown.windows(7) {
            let distinct: HashSet<&String> = w.iter().collect();
            assert_eq!(distinct.len(), 7, "{w:?}");
        }
    }

    #[test]
    fn the_most_neglected_areas_are_asked_about_and_the_choice_is_stable() {
        // The first day from 2 March 2026 whose slot asks about an area.
        let epoch = NaiveDate::default();
        let day = (0..7)
            .map(|i| NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + chrono::Duration::days(i))
            .find(|d| d.weekday() != Weekday::Sun && (*d - epoch).num_days() % 7 < 5)
            .unwrap();
        let mut states = areas();
        for s in states.iter_mut().filter(|s| ["family", "nature", "wisdom"].contains(&s.slug)) {
            s.days_since_entry = Some(40);
            s.change = Some(-10.0);
        }
        let p = choose(day, &states, &Pools::library());
        let area = p.area.clone().expect("an area prompt on this day");
        assert!(["family", "nature", "wisdom"].contains(&area.as_str()), "{p:?}");
        assert!(p.reason.as_deref().unwrap().contains("fell 10 points"), "{p:?}");
        assert_eq!(choose(day, &states, &Pools::library()), p);
        // Sundays ask about the week.
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert!(choose(sunday, &states, &Pools::library()).id.starts_with("weekly-"));
    }
}
