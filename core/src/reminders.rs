//! Reminders: what is due when, in the workspace's time zone. The desktop shell only asks and
//! fires; the rule lives here once, as pure functions of the settings, the zone, the commitments'
//! review instants and two instants (`after`, `upto`).
//!
//! - The daily reminder comes at the chosen local time every day. A time the clocks skip (the
//!   spring-forward night) comes as many minutes after the jump as it was after the last valid
//!   minute before it (02:30 in New York on the jump day is 03:30); a time that happens twice (the
//!   fall-back night) comes once, the first time.
//! - With review reminders on, at that same instant of a day on which commitments are due for
//!   review (their review falls within that local day), one more notification counts them.
//! - When several days fell due at once (the machine slept, the app was busy), only the latest
//!   day's reminders come: a backlog of "reflect today" is noise.
//! - The words never quote the journal (no entry title, no commitment statement): a notification
//!   shows on a lock screen.

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use wisdom_model::{PracticeSettings, Reminder, ReminderKind};

use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;
use crate::zone::{day_end, day_start};

/// The instant of `day`'s reminder at the local time `at`.
pub fn reminder_instant(tz: Tz, day: NaiveDate, at: chrono::NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(at);
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return t.with_timezone(&Utc);
    }
    // In a gap: read the local time with the offset in force before the jump.
    let before = tz.from_local_datetime(&(local - Duration::hours(3))).earliest();
    let offset = before.map_or(0, |b| b.offset().fix().local_minus_utc());
    Utc.from_utc_datetime(&(local - Duration::seconds(offset as i64)))
}

/// The first reminder instant strictly after `after`, if reminders are on.
pub fn next_after(settings: &PracticeSettings, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let at = settings.reminder_time?;
    let today = after.with_timezone(&tz).date_naive();
    (-1..=2).map(|d| reminder_instant(tz, today + Duration::days(d), at)).find(|t| *t > after)
}

/// The reminders due in `(after, upto]` (see the module's rules). `reviews` are the instants the
/// active commitments are next due for review.
pub fn due_between(
    settings: &PracticeSettings,
    tz: Tz,
    reviews: &[DateTime<Utc>],
    after: DateTime<Utc>,
    upto: DateTime<Utc>,
) -> Vec<Reminder> {
    let Some(at) = settings.reminder_time else { return Vec::new() };
    if upto <= after {
        return Vec::new();
    }
    let last_day = upto.with_timezone(&tz).date_naive();
    let first_day = after.with_timezone(&tz).date_naive() - Duration::days(1);
    let Some(day) = (0..=(last_day - first_day).num_days()).map(|back| last_day - Duration::days(back)).find(|d| {
        let t = reminder_instant(tz, *d, at);
        t > after && t <= upto
    }) else {
        return Vec::new();
    };
    let when = reminder_instant(tz, day, at);
    let mut out = vec![Reminder {
        kind: ReminderKind::Daily,
        at: when,
        title: "Time to reflect".into(),
        body: "A few lines about today, whenever you are ready.".into(),
    }];
    let (from, to) = (day_start(tz, day), day_end(tz, day));
    let due = reviews.iter().filter(|r| (from..to).contains(*r)).count();
    if settings.review_reminders && due > 0 {
        let body = if due == 1 {
            "A commitment is due for review today.".to_string()
        } else {
            format!("{due} commitments are due for review today.")
        };
        out.push(Reminder { kind: ReminderKind::Reviews, at: when, title: "Commitments to review".into(), body });
    }
    out
}

impl Workspace {
    /// The reminders due in `(after, upto]`.
    pub fn reminders_due(&self, after: DateTime<Utc>, upto: DateTime<Utc>) -> Result<Vec<Reminder>> {
        let settings = self.practice_settings()?;
        if settings.reminder_time.is_none() {
            return Ok(Vec::new());
        }
        let tz = self.timezone()?;
        let (from, to) = (after - Duration::days(2), upto + Duration::days(2));
        let mut stmt = self.conn.prepare_cached(
            "SELECT next_review_at FROM commitments
              WHERE status = 'ACTIVE' AND next_review_at >= ?1 AND next_review_at < ?2",
        )?;
        let reviews = stmt
            .query_map([time::to_db(from), time::to_db(to)], |r| r.get::<_, String>(0))?
            .filter_map(|r| r.ok().and_then(|t| time::from_db(&t).ok()))
            .collect::<Vec<_>>();
        Ok(due_between(&settings, tz, &reviews, after, upto))
    }

    /// When the next reminder falls due after `after` (none: reminders are off).
    pub fn next_reminder_at(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        Ok(next_after(&self.practice_settings()?, self.timezone()?, after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn on_at(h: u32, m: u32) -> PracticeSettings {
        PracticeSettings { reminder_time: NaiveTime::from_hms_opt(h, m, 0), ..Default::default() }
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().with_timezone(&Utc)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn off_by_default_and_nothing_is_ever_due() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let s = PracticeSettings::default();
        let t = local(tz, 2026, 5, 1, 12, 0);
        assert!(due_between(&s, tz, &[t], t - Duration::days(3), t).is_empty());
        assert_eq!(next_after(&s, tz, t), None);
    }

    #[test]
    fn the_daily_reminder_comes_once_at_the_local_time() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let s = on_at(21, 30);
        let at = local(tz, 2026, 5, 1, 21, 30);
        assert_eq!(next_after(&s, tz, at - Duration::minutes(5)), Some(at));
        assert_eq!(next_after(&s, tz, at), Some(local(tz, 2026, 5, 2, 21, 30)));
        let due = due_between(&s, tz, &[], at - Duration::seconds(10), at);
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].kind, due[0].at), (ReminderKind::Daily, at));
        // The next window starts where this one ended: not again.
        assert!(due_between(&s, tz, &[], at, at + Duration::hours(2)).is_empty());
        assert!(due_between(&s, tz, &[], at - Duration::hours(2), at - Duration::seconds(1)).is_empty());
    }

    #[test]
    fn a_time_the_clocks_skip_comes_after_the_jump_and_a_repeated_one_comes_once() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 8 March 2026: 02:00 becomes 03:00. 02:30 is read as 03:30 EDT (07:30 UTC).
        let s = on_at(2, 30);
        let t = reminder_instant(ny, day(2026, 3, 8), NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap());
        let night = due_between(&s, ny, &[], local(ny, 2026, 3, 7, 23, 0), local(ny, 2026, 3, 8, 12, 0));
        assert_eq!(night.iter().map(|r| r.at).collect::<Vec<_>>(), vec![t]);
        // 1 November 2026: 01:30 happens twice; the reminder comes at the first (05:30 UTC) only.
        let s = on_at(1, 30);
        let first = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
        assert_eq!(next_after(&s, ny, local(ny, 2026, 11, 1, 0, 0)), Some(first));
        let whole_night = due_between(&s, ny, &[], local(ny, 2026, 10, 31, 23, 0), local(ny, 2026, 11, 1, 9, 0));
        assert_eq!(whole_night.len(), 1);
        assert_eq!(next_after(&s, ny, first), Some(local(ny, 2026, 11, 2, 1, 30)));
        // A day with a jump still has exactly one reminder, and the days around it theirs.
        let s = on_at(21, 0);
        for d in 6..=10 {
            let got = due_between(&s, ny, &[], local(ny, 2026, 3, d, 0, 0), local(ny, 2026, 3, d, 23, 59));
            assert_eq!(got.len(), 1, "8 March ± 2: day {d}");
            assert_eq!(got[0].at.with_timezone(&ny).time(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
        }
    }

    #[test]
    fn reviews_due_that_day_are_counted_without_their_words() {
        let tz: Tz = "Asia/Tokyo".parse().unwrap();
        let s = on_at(8, 0);
        let at = local(tz, 2026, 6, 10, 8, 0);
        let reviews = [
            local(tz, 2026, 6, 10, 18, 0),
            local(tz, 2026, 6, 10, 0, 5),
            local(tz, 2026, 6, 11, 0, 5), // tomorrow: not today's
        ];
        let due = due_between(&s, tz, &reviews, at - Duration::seconds(30), at);
        assert_eq!(due.iter().map(|r| r.kind).collect::<Vec<_>>(), vec![ReminderKind::Daily, ReminderKind::Reviews]);
        assert_eq!(due[1].body, "2 commitments are due for review today.");
        let off = PracticeSettings { review_reminders: false, ..s };
        assert_eq!(due_between(&off, tz, &reviews, at - Duration::seconds(30), at).len(), 1);
    }

    #[test]
    fn after_a_long_sleep_only_the_latest_day_comes() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let s = on_at(9, 0);
        let due = due_between(&s, tz, &[], local(tz, 2026, 4, 1, 12, 0), local(tz, 2026, 4, 5, 10, 0));
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].at, local(tz, 2026, 4, 5, 9, 0));
    }
}
