//! An evaluation corpus: journals written the way people write them, to measure whether the
//! recurring-situation detector finds what a person would recognise as "this keeps happening", and
//! whether search by meaning finds entries from a query in other words. Each journal covers the 90
//! days before a given end. Eight of twelve hand-written recurring situations ([`SITUATIONS`]) are
//! planted, each four to eight times over at least three weeks, told in different words every time
//! (paraphrases, some lowercase, abbreviated or misspelt), now and then filed under a neighbouring
//! area, with a type and charge that wander a little. Around them sit five times as many everyday
//! entries from templates across all thirty areas, many sharing plain words with the situations
//! ("Late lunch with the team", "Read a report on sleep science"), and one or two one-off episodes
//! whose entries resemble each other but all fall within four days of one week, which a detector
//! should not call recurring. Every entry knows its situation, or none, so clusters and search hits
//! can be scored against it. The text was written by hand, independently of the engines it
//! measures; the generator only chooses, fills slots and places entries in time, seeded by
//! [`crate::synth::Rng`]: same seed and end, same journal.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use wisdom_model::{areas, EventTone, EventType, NewEvent};

use crate::synth::Rng;

mod bursts;
mod everyday;
mod situations;

pub use situations::SITUATIONS;

/// A situation that keeps coming back in one person's life, and the many ways they write it down.
#[derive(Debug)]
pub struct Situation {
    /// A short label for reports, e.g. "Boss belittles me at work".
    pub name: &'static str,
    /// The life-area slug it is usually filed under.
    pub area: &'static str,
    /// A plausible neighbouring area some entries get filed under instead.
    pub neighbour: &'static str,
    /// Its typical event type.
    pub kind: EventType,
    /// Its typical emotional charge range, within -5..=5 and of one sign.
    pub charge: (i64, i64),
    /// Paraphrased titles, one per entry.
    pub titles: &'static [&'static str],
    /// Short descriptions, used on about half of the entries.
    pub details: &'static [&'static str],
    /// The tag variants a person uses for it, inconsistently.
    pub tags: &'static [&'static str],
    /// What a person would type to find these entries again.
    pub queries: &'static [&'static str],
}

/// One entry of a written journal, and the index in [`SITUATIONS`] it tells of (None for everyday
/// entries and one-off episodes).
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenEntry {
    pub event: NewEvent,
    pub situation: Option<usize>,
}

/// A written journal, oldest entry first, and which of [`SITUATIONS`] were planted in it.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenJournal {
    pub entries: Vec<WrittenEntry>,
    pub situations: Vec<usize>,
}

/// The span a journal covers, ending at `end`.
const DAYS: i64 = 90;
/// How many of the situations each journal plants.
const PLANTED: usize = 8;
/// Entries per planted situation (inclusive).
const PER_SITUATION: (i64, i64) = (4, 8);
/// Everyday entries per situational entry.
const EVERYDAY_RATIO: usize = 5;
/// How often an entry is filed under the situation's neighbouring area.
const NEIGHBOUR_SHARE: f64 = 0.15;

/// Writes a journal of the 90 days before `end`. Same seed and end, same journal.
pub fn written_journal(seed: u64, end: DateTime<Utc>) -> WrittenJournal {
    let mut rng = Rng::new(seed);
    let today = end.date_naive();
    let mut entries = Vec::new();

    let mut order: Vec<usize> = (0..SITUATIONS.len()).collect();
    shuffle(&mut rng, &mut order);
    let mut planted = order[..PLANTED.min(order.len())].to_vec();
    planted.sort_unstable();

    for &index in &planted {
        let s = &SITUATIONS[index];
        let n = rng.range(PER_SITUATION.0, PER_SITUATION.1) as usize;
        let days = spread_days(&mut rng, today, n);
        let mut titles = s.titles.to_vec();
        shuffle(&mut rng, &mut titles);
        let mut details = s.details.to_vec();
        shuffle(&mut rng, &mut details);
        let positive = s.charge.0 > 0;
        for (k, back) in days.into_iter().enumerate() {
            let area = if rng.chance(NEIGHBOUR_SHARE) { s.neighbour } else { s.area };
            let kind = wander_kind(&mut rng, s.kind, positive);
            let charge = wander_charge(&mut rng, s.charge);
            let description = if rng.chance(0.5) {
                details[k % details.len()].to_string()
            } else if rng.chance(0.5) {
                String::new()
            } else {
                rng.pick(everyday::NOTES).to_string()
            };
            let occurred = at(&mut rng, today, back);
            let tags = some_tags(&mut rng, s.tags);
            let event = new_event(area, kind, charge, titles[k], description, occurred, tags);
            entries.push(WrittenEntry { event, situation: Some(index) });
        }
    }

    // Everyday entries: each template once before any comes back, and at most twice, preferring
    // a retelling in other slot words to a title already written, so everyday life does not itself
    // become a recurring situation.
    let wanted = entries.len() * EVERYDAY_RATIO;
    let templates = everyday::TEMPLATES;
    let mut uses = vec![0usize; templates.len()];
    let mut deck: Vec<usize> = Vec::new();
    let mut written: HashSet<String> = HashSet::new();
    for _ in 0..wanted {
        let mut choice = None;
        for _ in 0..8 {
            if deck.is_empty() {
                deck = (0..templates.len()).filter(|&t| uses[t] < 2).collect();
                if deck.is_empty() {
                    deck = (0..templates.len()).collect();
                }
                shuffle(&mut rng, &mut deck);
            }
            let t = deck.pop().unwrap_or(0);
            let title = (0..4).map(|_| render(&mut rng, templates[t].text)).find(|title| !written.contains(title));
            match title {
                Some(title) => {
                    choice = Some((t, title));
                    break;
                }
                None => choice = choice.or(Some((t, render(&mut rng, templates[t].text)))),
            }
        }
        let Some((t, title)) = choice else { break };
        uses[t] += 1;
        written.insert(title.clone());
        let template = &templates[t];
        let charge = rng.range(template.charge.0, template.charge.1);
        let description = if rng.chance(0.3) { rng.pick(everyday::NOTES).to_string() } else { String::new() };
        let back = rng.range(1, DAYS - 1);
        let occurred = at(&mut rng, today, back);
        let tags = some_tags(&mut rng, everyday::tags_for(template.area));
        let event = new_event(template.area, template.kind, charge, &title, description, occurred, tags);
        entries.push(WrittenEntry { event, situation: None });
    }

    // One-off episodes: three or four entries within four days of one ISO week.
    let mut episodes: Vec<usize> = (0..bursts::BURSTS.len()).collect();
    shuffle(&mut rng, &mut episodes);
    let count = 1 + rng.below(2);
    for &b in episodes.iter().take(count) {
        let burst = &bursts::BURSTS[b];
        let mut steps: Vec<_> = burst.steps.to_vec();
        if steps.len() > 3 && rng.chance(0.5) {
            steps.remove(1 + rng.below(steps.len() - 2));
        }
        let first = loop {
            let back = rng.range(4, DAYS - 1);
            if (today - Duration::days(back)).weekday().num_days_from_monday() <= 3 {
                break back;
            }
        };
        let mut times = Vec::with_capacity(steps.len());
        for _ in 0..steps.len() {
            let back = first - rng.range(0, 3);
            times.push(at(&mut rng, today, back));
        }
        times.sort_unstable();
        for ((title, kind, charge), occurred) in steps.into_iter().zip(times) {
            let tags = some_tags(&mut rng, everyday::tags_for(burst.area));
            let event = new_event(burst.area, kind, charge, title, String::new(), occurred, tags);
            entries.push(WrittenEntry { event, situation: None });
        }
    }

    entries.sort_by_key(|e| e.event.occurred_at);
    WrittenJournal { entries, situations: planted }
}

fn new_event(
    area: &str,
    kind: EventType,
    charge: i64,
    title: &str,
    description: String,
    occurred: DateTime<Utc>,
    tags: Vec<String>,
) -> NewEvent {
    NewEvent {
        life_area_id: None,
        life_area: Some(area.to_string()),
        kind,
        category: areas::default_category(area),
        tone: tone_for(charge),
        title: title.to_string(),
        description,
        narrative: None,
        occurred_at: Some(occurred),
        emotional_charge: charge,
        tags,
    }
}

fn tone_for(charge: i64) -> EventTone {
    match charge {
        c if c > 0 => EventTone::Positive,
        c if c < 0 => EventTone::Negative,
        _ => EventTone::Neutral,
    }
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// A moment `back` days before `today`, at a waking hour (07:00-22:59).
fn at(rng: &mut Rng, today: NaiveDate, back: i64) -> DateTime<Utc> {
    let day = today - Duration::days(back);
    // Most people write in the evening, some first thing in the morning, a few during the day.
    let hour = match rng.below(20) {
        0..=11 => rng.range(18, 22),
        12..=15 => rng.range(7, 9),
        _ => rng.range(10, 17),
    } as u32;
    let minute = rng.range(0, 59) as u32;
    day.and_hms_opt(hour, minute, 0).expect("a valid time of day").and_utc()
}

fn iso_week(day: NaiveDate) -> (i32, u32) {
    let week = day.iso_week();
    (week.year(), week.week())
}

/// `n` distinct days back from `today` (1..DAYS) that fall in at least three ISO weeks.
fn spread_days(rng: &mut Rng, today: NaiveDate, n: usize) -> Vec<i64> {
    loop {
        let mut days: Vec<i64> = Vec::with_capacity(n);
        while days.len() < n {
            let back = rng.range(1, DAYS - 1);
            if !days.contains(&back) {
                days.push(back);
            }
        }
        let weeks: HashSet<_> = days.iter().map(|&back| iso_week(today - Duration::days(back))).collect();
        if weeks.len() >= 3 {
            return days;
        }
    }
}

/// Mostly the situation's type; now and then another one of the same mood.
fn wander_kind(rng: &mut Rng, kind: EventType, positive: bool) -> EventType {
    if !rng.chance(0.15) {
        return kind;
    }
    let pool: &[EventType] = if positive {
        &[EventType::Progress, EventType::Breakthrough, EventType::Learning]
    } else {
        &[EventType::Setback, EventType::Upset, EventType::Pattern]
    };
    let others: Vec<EventType> = pool.iter().copied().filter(|k| *k != kind).collect();
    *rng.pick(&others)
}

/// Mostly within the range; now and then one step outside it, never changing sign.
fn wander_charge(rng: &mut Rng, (lo, hi): (i64, i64)) -> i64 {
    let charge = if rng.chance(0.12) {
        if rng.chance(0.5) {
            lo - 1
        } else {
            hi + 1
        }
    } else {
        rng.range(lo, hi)
    };
    if lo > 0 {
        charge.clamp(1, 5)
    } else {
        charge.clamp(-5, -1)
    }
}

/// About one entry in four gets a tag, rarely two, typed the way people type them.
fn some_tags(rng: &mut Rng, variants: &[&str]) -> Vec<String> {
    if variants.is_empty() || !rng.chance(0.25) {
        return Vec::new();
    }
    let first = *rng.pick(variants);
    let mut tags = vec![typed(rng, first)];
    if rng.chance(0.15) {
        let second = *rng.pick(variants);
        if !second.eq_ignore_ascii_case(first) {
            tags.push(typed(rng, second));
        }
    }
    tags
}

fn typed(rng: &mut Rng, tag: &str) -> String {
    let mut out = tag.to_string();
    if rng.chance(0.15) {
        if let Some(first) = out.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
    }
    out
}

/// Fills a template: `{slot}` from the slot list of that name, `{a|b}` with one alternative.
fn render(rng: &mut Rng, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 24);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("a closed slot");
        let inner = &rest[open + 1..close];
        if inner.contains('|') {
            let options: Vec<&str> = inner.split('|').collect();
            let word = *rng.pick(&options);
            out.push_str(word);
        } else {
            let word = *rng.pick(everyday::slot(inner).expect("a known slot"));
            out.push_str(word);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};
    use std::collections::HashMap;
    use wisdom_model::areas::spec;

    fn end() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 18, 30, 0).unwrap()
    }

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn burst_of(title: &str) -> Option<usize> {
        bursts::BURSTS.iter().position(|b| b.steps.iter().any(|(t, _, _)| *t == title))
    }

    #[test]
    fn same_seed_same_journal_other_seed_other_journal() {
        assert_eq!(written_journal(7, end()), written_journal(7, end()));
        assert_ne!(written_journal(7, end()), written_journal(8, end()));
        assert_ne!(written_journal(7, end()).situations, written_journal(9, end()).situations);
    }

    #[test]
    fn situations_are_well_formed() {
        assert_eq!(SITUATIONS.len(), 12);
        let homes: HashSet<_> = SITUATIONS.iter().map(|s| s.area).collect();
        assert!(homes.len() >= 8, "{} areas", homes.len());
        for s in SITUATIONS {
            assert!(spec(s.area).is_some() && spec(s.neighbour).is_some(), "{}", s.name);
            assert_ne!(s.area, s.neighbour, "{}", s.name);
            let (lo, hi) = s.charge;
            assert!(lo <= hi && (-5..=5).contains(&lo) && (-5..=5).contains(&hi) && lo * hi > 0, "{}", s.name);
            let titles: HashSet<_> = s.titles.iter().collect();
            assert!(titles.len() == s.titles.len() && (16..=20).contains(&titles.len()), "{}", s.name);
            for t in s.titles {
                let n = t.split_whitespace().count();
                assert!((3..=12).contains(&n), "{}: {t:?} has {n} words", s.name);
            }
            // No key word runs through every title of a situation.
            for w in words(s.titles[0]).into_iter().filter(|w| w.len() >= 4) {
                assert!(!s.titles.iter().all(|t| words(t).contains(&w)), "{}: {w:?} in every title", s.name);
            }
            assert!((8..=12).contains(&s.details.len()), "{}", s.name);
            assert!((2..=4).contains(&s.tags.len()), "{}", s.name);
            assert_eq!(s.queries.len(), 3, "{}", s.name);
        }
        let names: HashSet<_> = SITUATIONS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), SITUATIONS.len());
    }

    #[test]
    fn everyday_templates_cover_every_area_and_render() {
        let templates = everyday::TEMPLATES;
        assert!(templates.len() >= 120, "{} templates", templates.len());
        // Twice each per pass is enough for the largest journal.
        assert!(templates.len() * 2 >= EVERYDAY_RATIO * PLANTED * PER_SITUATION.1 as usize);
        let covered: HashSet<_> = templates.iter().map(|t| t.area).collect();
        for area in wisdom_model::LIFE_AREAS.iter() {
            assert!(covered.contains(area.slug), "no everyday template for {}", area.slug);
        }
        let mut rng = Rng::new(1);
        for t in templates {
            assert!(spec(t.area).is_some(), "{}", t.text);
            assert!(t.charge.0 <= t.charge.1 && t.charge.0 >= -5 && t.charge.1 <= 5, "{}", t.text);
            for _ in 0..5 {
                let title = render(&mut rng, t.text);
                assert!(!title.contains(['{', '}', '|']), "{title}");
            }
        }
        for b in bursts::BURSTS {
            assert!(spec(b.area).is_some() && (3..=4).contains(&b.steps.len()), "{}", b.steps[0].0);
        }
    }

    #[test]
    fn journals_plant_recurring_situations_among_everyday_life() {
        for seed in 0..40 {
            let journal = written_journal(seed, end());
            assert_eq!(journal.situations.len(), PLANTED, "seed {seed}");
            let mut by_situation: HashMap<usize, Vec<&NewEvent>> = HashMap::new();
            let mut by_burst: HashMap<usize, Vec<&NewEvent>> = HashMap::new();
            let mut everyday = 0;
            let mut previous = None;
            for entry in &journal.entries {
                let e = &entry.event;
                let at = e.occurred_at.unwrap();
                assert!(at < end() && at > end() - Duration::days(DAYS), "seed {seed}: {at}");
                assert!((7..23).contains(&at.hour()), "seed {seed}: {at}");
                assert!(previous <= Some(at), "seed {seed}: not sorted");
                previous = Some(at);
                e.validate(end()).unwrap_or_else(|err| panic!("seed {seed}: {err}"));
                let area = e.life_area.as_deref().unwrap();
                assert!(spec(area).is_some(), "{area}");
                assert_eq!(e.category, areas::default_category(area));
                assert_eq!(e.tone, tone_for(e.emotional_charge));
                assert!(e.tags.len() <= 2, "{:?}", e.tags);
                match entry.situation {
                    Some(i) => by_situation.entry(i).or_default().push(e),
                    None => match burst_of(&e.title) {
                        Some(b) => by_burst.entry(b).or_default().push(e),
                        None => everyday += 1,
                    },
                }
            }
            let situational: usize = by_situation.values().map(Vec::len).sum();
            assert!(everyday >= EVERYDAY_RATIO * situational, "seed {seed}: {everyday} for {situational}");
            let planted: Vec<usize> = {
                let mut keys: Vec<usize> = by_situation.keys().copied().collect();
                keys.sort_unstable();
                keys
            };
            assert_eq!(planted, journal.situations, "seed {seed}");
            for (i, events) in &by_situation {
                let s = &SITUATIONS[*i];
                assert!((4..=8).contains(&events.len()), "seed {seed}: {}", s.name);
                let titles: HashSet<_> = events.iter().map(|e| e.title.as_str()).collect();
                assert_eq!(titles.len(), events.len(), "seed {seed}: {} repeats a title", s.name);
                let weeks: HashSet<_> = events.iter().map(|e| iso_week(e.occurred_at.unwrap().date_naive())).collect();
                assert!(weeks.len() >= 3, "seed {seed}: {} in {} weeks", s.name, weeks.len());
                for e in events {
                    assert!(e.emotional_charge.signum() == s.charge.0.signum(), "seed {seed}: {}", s.name);
                    assert!([s.area, s.neighbour].contains(&e.life_area.as_deref().unwrap()));
                }
            }
            assert!((1..=2).contains(&by_burst.len()), "seed {seed}: {} bursts", by_burst.len());
            for (b, events) in &by_burst {
                let name = bursts::BURSTS[*b].steps[0].0;
                assert!((3..=4).contains(&events.len()), "seed {seed}: {name}");
                let first = events.iter().map(|e| e.occurred_at.unwrap()).min().unwrap();
                let last = events.iter().map(|e| e.occurred_at.unwrap()).max().unwrap();
                assert!(last - first < Duration::days(4), "seed {seed}: {name}");
                let weeks: HashSet<_> = events.iter().map(|e| iso_week(e.occurred_at.unwrap().date_naive())).collect();
                assert_eq!(weeks.len(), 1, "seed {seed}: {name} straddles a week");
            }
        }
    }

    #[test]
    fn everyday_entries_never_reuse_a_situation_title() {
        let all: HashSet<&str> = SITUATIONS.iter().flat_map(|s| s.titles.iter().copied()).collect();
        for seed in 0..10 {
            for entry in written_journal(seed, end()).entries.iter().filter(|e| e.situation.is_none()) {
                assert!(!all.contains(entry.event.title.as_str()), "{}", entry.event.title);
            }
        }
    }
}
