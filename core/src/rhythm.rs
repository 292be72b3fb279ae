//! The daily practice: how regularly the person writes (streaks, entries per week), the year in
//! pixels, and entries from this day in earlier years and months. All in the workspace's time zone,
//! computed from the journal when asked, nothing stored.
//!
//! Local days come from one pass over the `events_occurred_at` index (occurred_at only, in order),
//! each instant placed in its local day ([`LocalDays`]: one time-zone conversion a day, not an
//! entry); the streak rules are pure functions of the sorted days.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::params;
use wisdom_model::{Calendar, CalendarDay, EventFilter, Invalid, OnThisDay, Rhythm, Today};

use crate::error::{Error, Result};
use crate::time;
use crate::workspace::Workspace;
use crate::zone::{day_end, day_start};

/// Weeks shown in the rhythm's entries-per-week.
const WEEKS: usize = 12;
/// Earlier months of the past year searched by "on this day".
const MONTHS_BACK: u32 = 11;
/// Entries of each earlier day shown on the Today page (the rest are counted, one click away on
/// the year in pixels): a day of a busy journal holds hundreds.
const ON_THIS_DAY_GLANCE: u32 = 3;

/// Each event's instant and charge in a span, in date order. The date index holds the charge (V15),
/// so a year (a third of a 100k journal) is read from the index alone.
const YEAR_OF_CHARGES: &str = "SELECT occurred_at, emotional_charge FROM events INDEXED BY events_occurred_at
    WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at";

/// The local day of a stored instant.
fn local_day(text: &str, tz: Tz) -> Result<NaiveDate> {
    let at = time::from_db(text).map_err(|e| Error::Corrupt {
        path: Default::default(),
        message: format!("a stored date is not a date ({text}: {e})"),
    })?;
    Ok(at.with_timezone(&tz).date_naive())
}

/// Local days of stored instants read in date order: an instant inside the last day found is
/// placed by comparing its text with that day's bounds (stored instants are fixed-width UTC text,
/// so text order is time order), and only the first instant of each day is parsed and placed in
/// the zone. At 100k events that is a few hundred conversions instead of 100k.
struct LocalDays {
    tz: Tz,
    last: Option<(NaiveDate, String, String)>,
}

impl LocalDays {
    fn new(tz: Tz) -> Self {
        LocalDays { tz, last: None }
    }

    fn day_of(&mut self, text: &str) -> Result<NaiveDate> {
        if let Some((day, start, end)) = &self.last {
            if text.len() == start.len() && start.as_str() <= text && text < end.as_str() {
                return Ok(*day);
            }
        }
        let day = local_day(text, self.tz)?;
        self.last = Some((day, time::to_db(day_start(self.tz, day)), time::to_db(day_end(self.tz, day))));
        Ok(day)
    }
}

/// Each local day with entries and how many, oldest first.
fn days_with_entries(conn: &rusqlite::Connection, tz: Tz) -> Result<Vec<(NaiveDate, u32)>> {
    let mut stmt =
        conn.prepare_cached("SELECT occurred_at FROM events INDEXED BY events_occurred_at ORDER BY occurred_at")?;
    let mut rows = stmt.query([])?;
    let mut days: Vec<(NaiveDate, u32)> = Vec::new();
    let mut local = LocalDays::new(tz);
    while let Some(row) = rows.next()? {
        let day = local.day_of(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?;
        match days.last_mut() {
            Some((d, n)) if *d == day => *n += 1,
            _ => days.push((day, 1)),
        }
    }
    Ok(days)
}

/// (current streak, longest streak, the day the longest ended) of `days` (sorted, distinct) on
/// `today`. The current streak runs through yesterday while today has no entry yet.
pub(crate) fn streaks(days: &[NaiveDate], today: NaiveDate) -> (u32, u32, Option<NaiveDate>) {
    let (mut longest, mut ended, mut run) = (0u32, None, 0u32);
    for (i, d) in days.iter().enumerate() {
        run = if i > 0 && days[i - 1].succ_opt() == Some(*d) { run + 1 } else { 1 };
        if run >= longest {
            (longest, ended) = (run, Some(*d));
        }
    }
    let last = days.iter().rev().find(|d| **d <= today);
    let current = match last {
        Some(d) if *d == today || d.succ_opt() == Some(today) => {
            let at = days.partition_point(|x| x <= d) - 1;
            let mut n = 1;
            while at >= n && days[at - n].succ_opt() == Some(days[at - n + 1]) {
                n += 1;
            }
            n as u32
        }
        _ => 0,
    };
    (current, longest, ended)
}

/// Entries in each of the `WEEKS` 7-day spans ending `today`, oldest first.
fn weekly_entries(days: &[(NaiveDate, u32)], today: NaiveDate) -> Vec<u32> {
    let mut weeks = vec![0u32; WEEKS];
    for (d, n) in days.iter().rev() {
        let back = (today - *d).num_days();
        if back < 0 {
            continue;
        }
        let week = back as usize / 7;
        if week >= WEEKS {
            break;
        }
        weeks[WEEKS - 1 - week] += n;
    }
    weeks
}

/// The days `years` years and `months` months before `day` that share its calendar day: none when
/// that month has no such day, and also 29 February when `day` is 28 February of a common year
/// and the earlier year is a leap year (so those entries are not skipped for three years in four).
fn same_calendar_days(day: NaiveDate, years: u32, months: u32) -> Vec<NaiveDate> {
    let Some(first) = NaiveDate::from_ymd_opt(day.year(), day.month(), 1) else { return Vec::new() };
    let Some(month_start) = first.checked_sub_months(Months::new(years * 12 + months)) else { return Vec::new() };
    let mut out: Vec<NaiveDate> = month_start.with_day(day.day()).into_iter().collect();
    if months == 0 && day.month() == 2 && day.day() == 28 && !day.leap_year() {
        out.extend(NaiveDate::from_ymd_opt(month_start.year(), 2, 29));
    }
    out
}

impl Workspace {
    /// Streaks and entries per week, in the workspace's time zone.
    pub fn rhythm(&self) -> Result<Rhythm> {
        let tz = self.timezone()?;
        let today = self.now().with_timezone(&tz).date_naive();
        let days = days_with_entries(&self.conn, tz)?;
        let dates: Vec<NaiveDate> = days.iter().map(|(d, _)| *d).collect();
        let (current_streak, longest_streak, longest_ended) = streaks(&dates, today);
        Ok(Rhythm {
            today,
            wrote_today: dates.binary_search(&today).is_ok(),
            current_streak,
            longest_streak,
            longest_ended,
            weekly_entries: weekly_entries(&days, today),
            days_written: dates.len() as u32,
        })
    }

    /// The year in pixels: each day of `year` with entries (their count and average charge) or a
    /// daily snapshot (the mean of the areas' scores).
    pub fn calendar(&self, year: i32) -> Result<Calendar> {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return Err(Invalid::new("year", year, "a year between 1 and 9999").into());
        };
        if !(1..=9999).contains(&year) {
            return Err(Invalid::new("year", year, "a year between 1 and 9999").into());
        }
        let tz = self.timezone()?;
        let mut days: std::collections::BTreeMap<NaiveDate, CalendarDay> = Default::default();
        let blank = |date| CalendarDay { date, entries: 0, average_charge: None, overall_score: None };
        let mut stmt = self.conn.prepare_cached(YEAR_OF_CHARGES)?;
        let mut rows = stmt.query(params![time::to_db(day_start(tz, first)), time::to_db(day_end(tz, last))])?;
        let mut sums: std::collections::BTreeMap<NaiveDate, i64> = Default::default();
        let mut local = LocalDays::new(tz);
        while let Some(row) = rows.next()? {
            let day = local.day_of(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?;
            days.entry(day).or_insert_with(|| blank(day)).entries += 1;
            *sums.entry(day).or_default() += row.get::<_, i64>(1)?;
        }
        for (day, sum) in sums {
            let d = days.get_mut(&day).expect("counted above");
            d.average_charge = Some(sum as f64 / d.entries as f64);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT date, avg(score) FROM metric_snapshots
              WHERE period = 'DAILY' AND date BETWEEN ?1 AND ?2 GROUP BY date",
        )?;
        let scores = stmt.query_map(params![first.to_string(), last.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
        })?;
        for s in scores {
            let (date, score) = s?;
            if let Ok(day) = date.parse::<NaiveDate>() {
                days.entry(day).or_insert_with(|| blank(day)).overall_score = Some(score);
            }
        }
        Ok(Calendar { year, days: days.into_values().collect() })
    }

    /// Entries from `day`'s calendar day in earlier years (back to the first entry) and in the
    /// eleven months before it, the most recent first; of each day at most `per_day` entries (the
    /// latest), all when `None`, and always how many there are.
    pub fn on_this_day(&self, day: NaiveDate, per_day: Option<u32>) -> Result<Vec<OnThisDay>> {
        let tz = self.timezone()?;
        let earliest: Option<String> = self.conn.query_row("SELECT min(occurred_at) FROM events", [], |r| r.get(0))?;
        let Some(earliest) = earliest else { return Ok(Vec::new()) };
        let first_year = local_day(&earliest, tz)?.year();
        let mut when: Vec<(u32, u32)> = (1..=MONTHS_BACK).map(|m| (0, m)).collect();
        when.extend((1..=(day.year() - first_year).max(0) as u32).map(|y| (y, 0)));
        let mut out = Vec::new();
        for (years_ago, months_ago) in when {
            for date in same_calendar_days(day, years_ago, months_ago) {
                let count = self.count_on(tz, date)?;
                if count > 0 {
                    let events = self.events_on(tz, date, per_day)?;
                    out.push(OnThisDay { date, years_ago, months_ago, count, events });
                }
            }
        }
        out.sort_by_key(|o| std::cmp::Reverse(o.date));
        Ok(out)
    }

    /// The Today page: today's entries, the rhythm, reviews due by tonight, on this day (unless
    /// the person turned it off), and a prompt to write about.
    pub fn today_overview(&self) -> Result<Today> {
        let tz = self.timezone()?;
        let date = self.now().with_timezone(&tz).date_naive();
        let tonight = day_end(tz, date);
        let due_reviews =
            self.dashboard()?.upcoming_reviews.into_iter().filter(|r| r.next_review_at < tonight).collect();
        let on_this_day_shown = self.practice_settings()?.on_this_day;
        Ok(Today {
            date,
            entries: self.events_on(tz, date, None)?,
            rhythm: self.rhythm()?,
            due_reviews,
            on_this_day: if on_this_day_shown { self.on_this_day(date, Some(ON_THIS_DAY_GLANCE))? } else { Vec::new() },
            on_this_day_shown,
            prompt: self.prompt_for(date)?,
        })
    }

    /// The entries of a local day, the latest first, at most `limit`.
    fn events_on(&self, tz: Tz, date: NaiveDate, limit: Option<u32>) -> Result<Vec<wisdom_model::Event>> {
        let (from, to): (DateTime<Utc>, DateTime<Utc>) = (day_start(tz, date), day_end(tz, date));
        self.list_events(&EventFilter { from: Some(from), to: Some(to), limit, ..Default::default() })
    }

    /// How many entries a local day holds (from the `events_occurred_at` index alone).
    fn count_on(&self, tz: Tz, date: NaiveDate) -> Result<u32> {
        let (from, to) = (time::to_db(day_start(tz, date)), time::to_db(day_end(tz, date)));
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM events WHERE occurred_at >= ?1 AND occurred_at < ?2")?
            .query_row(params![from, to], |r| r.get(0))?;
        Ok(n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_year_is_read_from_the_date_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let pass = crate::keys::Passphrase::new("correct horse battery");
        let ws = Workspace::create(
            &dir.path().join("j.wisdom"),
            "J",
            &pass,
            crate::keys::KdfParams::MINIMUM,
            crate::time::Clock::system(),
        )
        .unwrap();
        let mut stmt = ws.conn.prepare(&format!("EXPLAIN QUERY PLAN {YEAR_OF_CHARGES}")).unwrap();
        let plan: Vec<String> =
            stmt.query_map(["2026", "2027"], |r| r.get(3)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        assert!(plan.iter().any(|p| p.contains("COVERING INDEX events_occurred_at")), "{plan:?}");
    }

    #[test]
    fn local_days_by_bounds_agree_with_placing_each_instant_in_its_zone() {
        // Every 37 minutes over two years, through DST changes of an hour (New York), of half an
        // hour (Lord Howe) and a zone a quarter hour off (Kathmandu); the last instant of a day
        // and the first of the next; and an instant not in the stored form.
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let mut texts: Vec<String> =
            (0..2 * 365 * 39).map(|i| time::to_db(start + chrono::Duration::minutes(37 * i))).collect();
        for tz in [chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe, chrono_tz::Asia::Kathmandu] {
            let end = day_end(tz, d(2025, 11, 2));
            texts.extend([time::to_db(end - chrono::Duration::milliseconds(1)), time::to_db(end)]);
        }
        texts.sort();
        texts.insert(texts.len() / 2, "2025-12-31T23:30:00+00:00".into());
        for tz in [chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe, chrono_tz::Asia::Kathmandu] {
            let mut local = LocalDays::new(tz);
            for t in &texts {
                assert_eq!(local.day_of(t).unwrap(), local_day(t, tz).unwrap(), "{t} in {tz}");
            }
        }
    }

    #[test]
    fn a_streak_runs_through_yesterday_until_today_ends_and_a_gap_ends_it() {
        let days = [d(2026, 3, 1), d(2026, 3, 2), d(2026, 3, 3), d(2026, 3, 5), d(2026, 3, 6)];
        assert_eq!(streaks(&days, d(2026, 3, 6)), (2, 3, Some(d(2026, 3, 3))));
        // Nothing written yet on the 7th: the streak still stands.
        assert_eq!(streaks(&days, d(2026, 3, 7)).0, 2);
        // A whole day missed: it is over, without fuss.
        assert_eq!(streaks(&days, d(2026, 3, 8)).0, 0);
        assert_eq!(streaks(&[], d(2026, 3, 8)), (0, 0, None));
        // Equal runs: the most recent is the longest.
        let days = [d(2026, 1, 1), d(2026, 1, 2), d(2026, 1, 10), d(2026, 1, 11)];
        assert_eq!(streaks(&days, d(2026, 2, 1)), (0, 2, Some(d(2026, 1, 11))));
    }

    #[test]
    fn on_this_day_skips_months_without_the_day_and_shows_leap_days_on_the_28th() {
        assert_eq!(same_calendar_days(d(2026, 3, 31), 0, 1), vec![]);
        assert_eq!(same_calendar_days(d(2026, 3, 31), 0, 2), vec![d(2026, 1, 31)]);
        assert_eq!(same_calendar_days(d(2028, 2, 29), 4, 0), vec![d(2024, 2, 29)]);
        assert_eq!(same_calendar_days(d(2028, 2, 29), 1, 0), vec![]);
        assert_eq!(same_calendar_days(d(2025, 2, 28), 1, 0), vec![d(2024, 2, 28), d(2024, 2, 29)]);
        assert_eq!(same_calendar_days(d(2025, 2, 28), 2, 0), vec![d(2023, 2, 28)]);
    }

    #[test]
    fn weekly_entries_count_back_from_today_in_seven_day_spans() {
        let days = [(d(2026, 3, 1), 2), (d(2026, 3, 8), 1), (d(2026, 3, 14), 4), (d(2026, 3, 15), 3)];
        let w = weekly_entries(&days, d(2026, 3, 15));
        assert_eq!(w.len(), WEEKS);
        assert_eq!(&w[WEEKS - 3..], &[2, 1, 7]);
        assert_eq!(w.iter().sum::<u32>(), 10);
    }
}
