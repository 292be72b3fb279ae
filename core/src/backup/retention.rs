//! Which backups to keep: of the last 24 hours, every one the person asked for, the [`RECENT`]
//! newest and the newest of each hour (so a backup taken before an import or a restore outlives
//! the day, and a hundred imports in a day do not keep a hundred copies), then the newest of each of the 7 most recent days, 4 most
//! recent weeks and 12 most recent months that have one. Pure: times in, a verdict per backup out.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// How many days, weeks and months keep their newest backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

/// A calendar period a date falls in (a day, an ISO week, a month), as comparable numbers.
type PeriodOf = fn(NaiveDate) -> (i32, u32);

pub const RETENTION: Retention = Retention { daily: 7, weekly: 4, monthly: 12 };
/// Backups of the last day kept whatever their hour.
pub const RECENT: usize = 10;

/// For each backup time (in any order), whether to keep it; `asked[i]` says the person asked for
/// backup `i` (missing: not). Days, ISO weeks and months are drawn in `tz`, the zone of the machine
/// the backups live on.
pub fn keep(taken: &[DateTime<Utc>], asked: &[bool], now: DateTime<Utc>, tz: Tz, rule: Retention) -> Vec<bool> {
    let mut keep = vec![false; taken.len()];
    let mut newest_first: Vec<usize> = (0..taken.len()).collect();
    newest_first.sort_by_key(|&i| std::cmp::Reverse(taken[i]));
    let mut hours = Vec::new();
    for (n, &i) in newest_first.iter().enumerate().take_while(|(_, &i)| now - taken[i] < Duration::days(1)) {
        let hour = (now - taken[i]).num_hours();
        if n < RECENT || !hours.contains(&hour) || asked.get(i).copied().unwrap_or(false) {
            keep[i] = true;
        }
        hours.push(hour);
    }
    let periods: [(usize, PeriodOf); 3] = [
        (rule.daily, |d| (d.year(), d.ordinal())),
        (rule.weekly, |d| (d.iso_week().year(), d.iso_week().week())),
        (rule.monthly, |d| (d.year(), d.month())),
    ];
    for (count, period_of) in periods {
        let mut seen = Vec::with_capacity(count);
        for &i in &newest_first {
            let period = period_of(taken[i].with_timezone(&tz).date_naive());
            if seen.contains(&period) {
                continue;
            }
            if seen.len() == count {
                break;
            }
            seen.push(period);
            keep[i] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn kept(taken: &[DateTime<Utc>], now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let verdict = keep(taken, &[], now, Tz::UTC, RETENTION);
        let mut out: Vec<_> = taken.iter().zip(verdict).filter(|(_, k)| *k).map(|(t, _)| *t).collect();
        out.sort();
        out
    }

    fn a_year_of_daily_backups() -> Vec<DateTime<Utc>> {
        let first = at(2025, 11, 1, 9);
        (0..395).map(|d| first + Duration::days(d)).filter(|t| *t <= at(2026, 11, 30, 9)).collect()
    }

    #[test]
    fn a_year_of_dailies_keeps_seven_days_four_weeks_and_twelve_months() {
        let now = at(2026, 11, 30, 12); // a Monday
        let mut expected: Vec<_> = (24..=30).map(|d| at(2026, 11, d, 9)).collect();
        // Weeks: this week's newest is today; last week's is Sunday the 29th; then the 22nd and 15th.
        expected.extend([at(2026, 11, 22, 9), at(2026, 11, 15, 9)]);
        // Months: the last day of each of the eleven months before November, back to December 2025.
        for (y, m, d) in [
            (2025, 12, 31),
            (2026, 1, 31),
            (2026, 2, 28),
            (2026, 3, 31),
            (2026, 4, 30),
            (2026, 5, 31),
            (2026, 6, 30),
            (2026, 7, 31),
            (2026, 8, 31),
            (2026, 9, 30),
            (2026, 10, 31),
        ] {
            expected.push(at(y, m, d, 9));
        }
        expected.sort();
        assert_eq!(kept(&a_year_of_daily_backups(), now), expected);
    }

    #[test]
    fn pruning_again_keeps_everything_that_was_kept() {
        let now = at(2026, 11, 30, 12);
        let once = kept(&a_year_of_daily_backups(), now);
        assert_eq!(kept(&once, now), once);
    }

    #[test]
    fn every_backup_of_the_last_day_is_kept_and_older_days_keep_their_newest() {
        let now = at(2026, 11, 30, 12);
        let today = [at(2026, 11, 30, 1), at(2026, 11, 30, 2), at(2026, 11, 30, 11)];
        let yesterday = [at(2026, 11, 28, 8), at(2026, 11, 28, 20)];
        let all: Vec<_> = today.iter().chain(&yesterday).copied().collect();
        let mut expected = today.to_vec();
        expected.push(at(2026, 11, 28, 20));
        expected.sort();
        assert_eq!(kept(&all, now), expected);
    }

    #[test]
    fn a_lone_old_backup_is_kept() {
        let old = [at(2020, 1, 1, 0)];
        assert_eq!(kept(&old, at(2026, 11, 30, 12)), old);
        assert!(kept(&[], at(2026, 11, 30, 12)).is_empty());
    }

    #[test]
    fn days_are_drawn_in_the_given_zone() {
        // 23:30 and 00:30 UTC fall on one local day in New York: only the newer survives the day rule.
        let now = at(2026, 11, 30, 12);
        let evening = Utc.with_ymd_and_hms(2026, 11, 20, 23, 30, 0).unwrap();
        let night = Utc.with_ymd_and_hms(2026, 11, 21, 0, 30, 0).unwrap();
        let rule = Retention { daily: 7, weekly: 0, monthly: 0 };
        let ny: Tz = "America/New_York".parse().unwrap();
        assert_eq!(keep(&[evening, night], &[], now, ny, rule), [false, true]);
        assert_eq!(keep(&[evening, night], &[], now, Tz::UTC, rule), [true, true]);
    }

    #[test]
    fn a_day_of_many_imports_keeps_the_ten_newest_and_one_an_hour() {
        let now = at(2026, 11, 30, 23);
        // A backup every ten minutes for a day: before each of 144 imports.
        let taken: Vec<_> = (0..144).map(|k| now - Duration::minutes(10 * k)).collect();
        let kept = kept(&taken, now);
        // The ten newest (the last 100 minutes: hours 0 and 1), one in each of hours 2 to 23, and
        // the day before's newest (23:50, a daily).
        assert_eq!(kept.len(), 10 + 22 + 1, "{kept:?}");
        assert!(kept.contains(&(at(2026, 11, 29, 23) + Duration::minutes(50))));
        let newest: Vec<_> = taken[..10].to_vec();
        assert!(newest.iter().all(|t| kept.contains(t)));
        for hour in 2..24 {
            let in_hour = kept.iter().filter(|t| (now - **t).num_hours() == hour && t.day() == 30).count();
            assert_eq!(in_hour, 1, "hour {hour}");
        }
    }

    #[test]
    fn a_backup_the_person_asked_for_outlives_the_day_however_many_follow() {
        let now = at(2026, 11, 30, 23);
        let taken: Vec<_> = (0..40).map(|k| now - Duration::minutes(k)).collect();
        let mut asked = vec![false; 40];
        asked[30] = true;
        let verdict = keep(&taken, &asked, now, Tz::UTC, RETENTION);
        assert!(verdict[30], "asked for, thirty minutes ago");
        assert!(!verdict[29], "an automatic one of the same hour, not among the ten newest");
    }
}
