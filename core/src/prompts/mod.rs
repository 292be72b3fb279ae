//! Today's reflection prompt: about a part of life the person has neglected, never the same prompt
//! twice in seven days, the same for the same day and journal.
//!
//! Which part of life: each area's neglect is how long since its last entry (up to 60 days), how
//! far its score fell over the last two weeks of daily snapshots, and whether an insight drawn from
//! its entries waits to be applied. One of the three most neglected is taken, rotating by day.
//!
//! Which prompt, without remembering what was shown: day `N` (days since 1970 in the workspace's
//! zone) has the slot `N mod 7`. Slots 0-4 take that numbered prompt of the chosen area, slots 5
//! and 6 a general one (`2 * (N / 7) + slot - 5`, mod 10), and Sundays a weekly one (`N / 7`,
//! mod 6). In any seven days in a row every slot comes once, so no prompt can come twice.

mod library;

use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::OptionalExtension;
use wisdom_model::{DailyPrompt, LIFE_AREAS};

pub use library::{Prompt, Scope};

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

/// The prompt for `day` given each area's state: pure.
pub(crate) fn choose(day: NaiveDate, areas: &[AreaState]) -> DailyPrompt {
    let n = day.signed_duration_since(NaiveDate::default()).num_days().max(0) as u64;
    let general = |p: &Prompt| DailyPrompt { id: p.id.into(), text: p.text.into(), area: None, reason: None };
    if day.weekday() == Weekday::Sun {
        return general(&library::WEEKLY[(n / 7) as usize % library::WEEKLY.len()]);
    }
    let slot = (n % 7) as usize;
    if slot >= 5 || areas.is_empty() {
        return general(&library::DAILY[(2 * (n / 7) as usize + slot.saturating_sub(5)) % library::DAILY.len()]);
    }
    let mut ranked: Vec<&AreaState> = areas.iter().collect();
    let shuffle = |slug: &str| mix(slug.bytes().fold(n, |h, b| mix(h ^ b as u64)));
    ranked.sort_by(|a, b| {
        b.neglect()
            .total_cmp(&a.neglect())
            .then_with(|| shuffle(a.slug).cmp(&shuffle(b.slug)))
            .then_with(|| a.slug.cmp(b.slug))
    });
    let pick = ranked[(mix(n) as usize) % ranked.len().min(ROTATE_AMONG)];
    let index = library::AREAS.iter().position(|set| set[0].scope == Scope::Area(pick.slug)).unwrap_or(0);
    let prompt = &library::AREAS[index][slot];
    let name = LIFE_AREAS.iter().find(|a| a.slug == pick.slug).map_or(pick.slug, |a| a.name);
    DailyPrompt {
        id: prompt.id.into(),
        text: prompt.text.into(),
        area: Some(pick.slug.into()),
        reason: Some(pick.reason(name)),
    }
}

impl Workspace {
    /// Today's reflection prompt (see the module's notes on how it is chosen).
    pub fn prompt_for(&self, day: NaiveDate) -> Result<DailyPrompt> {
        Ok(choose(day, &self.area_states(day)?))
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
            shown.push(choose(start + chrono::Duration::days(i as i64), &states).id);
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
        let p = choose(day, &states);
        let area = p.area.clone().expect("an area prompt on this day");
        assert!(["family", "nature", "wisdom"].contains(&area.as_str()), "{p:?}");
        assert!(p.reason.as_deref().unwrap().contains("fell 10 points"), "{p:?}");
        assert_eq!(choose(day, &states), p);
        // Sundays ask about the week.
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert!(choose(sunday, &states).id.starts_with("weekly-"));
    }
}
