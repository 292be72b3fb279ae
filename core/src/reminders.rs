//! Reminders: what is due when, in the workspace's time zone. The desktop shell only asks and
//! fires; the rule lives here once, as pure functions of a [`ReminderSchedule`] and two instants
//! (`after`, `upto`).
//!
//! - The daily reminder comes at the chosen local time every day. A time the clocks skip (the
//!   spring-forward night) comes as many minutes after the jump as it was after the last valid
//!   minute before it (02:30 in New York on the jump day is 03:30); a time that happens twice (the
//!   fall-back night) comes once, the first time.
//! - It does not come on a day the journal already has an entry for (the day counts in the
//!   streak), as far as the schedule knows: see [`ReminderSchedule::wrote_on`].
//! - With review reminders on, at that same instant of a day on which commitments are due for
//!   review (their review falls within that local day), one more notification counts them.
//! - When several days fell due at once (the machine slept, the app was busy), only the latest
//!   day's reminders come: a backlog of "reflect today" is noise.
//! - The words never quote the journal (no entry title, no commitment statement): a notification
//!   shows on a lock screen. With reminders from several journals, each names its journal
//!   ([`due_between_journals`]).
//!
//! A schedule is what the rule needs and nothing more, so that the desktop can keep it outside the
//! encrypted journal (in the device registry, `Registry::remember_reminders`) and remind while the
//! journal is locked: the time, the zone, the days with reviews due and how many, and one date.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use wisdom_model::{Reminder, ReminderKind};

use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;
use crate::zone::{day_end, day_start};

/// How many days ahead a schedule knows the reviews due: a journal left locked longer still gets
/// its daily reminder, but no review reminder past this until it is unlocked again.
pub const REVIEW_DAYS_AHEAD: i64 = 35;

/// What the reminders of one journal need, as of the moment it was made: never a word of the
/// journal. None of it is secret beyond what it says: a time of day, a time zone, dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSchedule {
    /// The daily reminder's local time.
    pub time: NaiveTime,
    /// The workspace's IANA time zone.
    pub zone: String,
    /// The local days with commitments due for review, and how many, from the day before the
    /// schedule was made to [`REVIEW_DAYS_AHEAD`] days after (none with review reminders off).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub review_days: BTreeMap<NaiveDate, u32>,
    /// The local day the schedule was made on, when the journal already had an entry for it then.
    /// An entry written after that (on another device, by the CLI, while the desktop's journal was
    /// locked) is not known: that day's reminder still comes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrote_on: Option<NaiveDate>,
}

/// The instant of `day`'s reminder at the local time `at`.
pub fn reminder_instant(tz: Tz, day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(at);
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return t.with_timezone(&Utc);
    }
    // In a gap: read the local time with the offset in force before the jump.
    let before = tz.from_local_datetime(&(local - Duration::hours(3))).earliest();
    let offset = before.map_or(0, |b| b.offset().fix().local_minus_utc());
    Utc.from_utc_datetime(&(local - Duration::seconds(offset as i64)))
}

impl ReminderSchedule {
    /// The zone the times are read in (a name this build does not know reads as UTC).
    fn tz(&self) -> Tz {
        self.zone.parse().unwrap_or(Tz::UTC)
    }

    /// The first reminder instant strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> DateTime<Utc> {
        let tz = self.tz();
        let today = after.with_timezone(&tz).date_naive();
        (-1..=2)
            .map(|d| reminder_instant(tz, today + Duration::days(d), self.time))
            .find(|t| *t > after)
            .unwrap_or_else(|| reminder_instant(tz, today + Duration::days(3), self.time))
    }

    /// The reminders due in `(after, upto]` (see the module's rules).
    pub fn due_between(&self, after: DateTime<Utc>, upto: DateTime<Utc>) -> Vec<Reminder> {
        if upto <= after {
            return Vec::new();
        }
        let tz = self.tz();
        let last_day = upto.with_timezone(&tz).date_naive();
        let first_day = after.with_timezone(&tz).date_naive() - Duration::days(1);
        let Some(day) = (0..=(last_day - first_day).num_days()).map(|back| last_day - Duration::days(back)).find(|d| {
            let t = reminder_instant(tz, *d, self.time);
            t > after && t <= upto
        }) else {
            return Vec::new();
        };
        let when = reminder_instant(tz, day, self.time);
        let mut out = Vec::new();
        if self.wrote_on != Some(day) {
            out.push(Reminder {
                kind: ReminderKind::Daily,
                at: when,
                title: "Time to reflect".into(),
                body: "A few lines about today, whenever you are ready.".into(),
            });
        }
        let due = self.review_days.get(&day).copied().unwrap_or(0);
        if due > 0 {
            let body = if due == 1 {
                "A commitment is due for review today.".to_string()
            } else {
                format!("{due} commitments are due for review today.")
            };
            out.push(Reminder { kind: ReminderKind::Reviews, at: when, title: "Commitments to review".into(), body });
        }
        out
    }
}

/// The reminders due in `(after, upto]` across journals, each given as (its name, its schedule):
/// with more than one, every reminder's title names its journal (as the person named it and the
/// unlock screen lists it), so that two "Time to reflect" are not one twice.
pub fn due_between_journals(
    journals: &[(String, ReminderSchedule)],
    after: DateTime<Utc>,
    upto: DateTime<Utc>,
) -> Vec<Reminder> {
    let named = journals.len() > 1;
    let mut due = Vec::new();
    for (journal, schedule) in journals {
        for mut r in schedule.due_between(after, upto) {
            if named {
                r.title = format!("{} · {journal}", r.title);
            }
            due.push(r);
        }
    }
    due
}

/// Counts review instants by their local day.
fn review_days(tz: Tz, reviews: impl IntoIterator<Item = DateTime<Utc>>) -> BTreeMap<NaiveDate, u32> {
    let mut days = BTreeMap::new();
    for r in reviews {
        *days.entry(r.with_timezone(&tz).date_naive()).or_insert(0) += 1;
    }
    days
}

impl Workspace {
    /// The reminders' schedule as of now (none: reminders are off).
    pub fn reminder_schedule(&self) -> Result<Option<ReminderSchedule>> {
        let settings = self.practice_settings()?;
        let Some(at) = settings.reminder_time else { return Ok(None) };
        let tz = self.timezone()?;
        let today = self.now().with_timezone(&tz).date_naive();
        let reviews = if settings.review_reminders {
            let (from, to) =
                (day_start(tz, today - Duration::days(1)), day_end(tz, today + Duration::days(REVIEW_DAYS_AHEAD)));
            let mut stmt = self.conn.prepare_cached(
                "SELECT next_review_at FROM commitments
                  WHERE status = 'ACTIVE' AND next_review_at >= ?1 AND next_review_at < ?2",
            )?;
            let instants = stmt
                .query_map([time::to_db(from), time::to_db(to)], |r| r.get::<_, String>(0))?
                .filter_map(|r| r.ok().and_then(|t| time::from_db(&t).ok()))
                .collect::<Vec<_>>();
            review_days(tz, instants)
        } else {
            BTreeMap::new()
        };
        let wrote_today: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM events WHERE occurred_at >= ?1 AND occurred_at < ?2)")?
            .query_row([time::to_db(day_start(tz, today)), time::to_db(day_end(tz, today))], |r| r.get(0))?;
        Ok(Some(ReminderSchedule {
            time: at,
            zone: tz.name().to_string(),
            review_days: reviews,
            wrote_on: wrote_today.then_some(today),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use wisdom_model::{NewCommitment, PracticeSettings};

    fn at(tz: Tz, h: u32, m: u32) -> ReminderSchedule {
        ReminderSchedule {
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
            zone: tz.name().into(),
            review_days: BTreeMap::new(),
            wrote_on: None,
        }
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().with_timezone(&Utc)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_daily_reminder_comes_once_at_the_local_time() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let s = at(tz, 21, 30);
        let when = local(tz, 2026, 5, 1, 21, 30);
        assert_eq!(s.next_after(when - Duration::minutes(5)), when);
        assert_eq!(s.next_after(when), local(tz, 2026, 5, 2, 21, 30));
        let due = s.due_between(when - Duration::seconds(10), when);
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].kind, due[0].at), (ReminderKind::Daily, when));
        // The next window starts where this one ended: not again.
        assert!(s.due_between(when, when + Duration::hours(2)).is_empty());
        assert!(s.due_between(when - Duration::hours(2), when - Duration::seconds(1)).is_empty());
    }

    #[test]
    fn a_time_the_clocks_skip_comes_after_the_jump_and_a_repeated_one_comes_once() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 8 March 2026: 02:00 becomes 03:00. 02:30 is read as 03:30 EDT (07:30 UTC).
        let s = at(ny, 2, 30);
        let t = reminder_instant(ny, day(2026, 3, 8), NaiveTime::from_hms_opt(2, 30, 0).unwrap());
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap());
        let night = s.due_between(local(ny, 2026, 3, 7, 23, 0), local(ny, 2026, 3, 8, 12, 0));
        assert_eq!(night.iter().map(|r| r.at).collect::<Vec<_>>(), vec![t]);
        // 1 November 2026: 01:30 happens twice; the reminder comes at the first (05:30 UTC) only.
        let s = at(ny, 1, 30);
        let first = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
        assert_eq!(s.next_after(local(ny, 2026, 11, 1, 0, 0)), first);
        let whole_night = s.due_between(local(ny, 2026, 10, 31, 23, 0), local(ny, 2026, 11, 1, 9, 0));
        assert_eq!(whole_night.len(), 1);
        assert_eq!(s.next_after(first), local(ny, 2026, 11, 2, 1, 30));
        // A day with a jump still has exactly one reminder, and the days around it theirs.
        let s = at(ny, 21, 0);
        for d in 6..=10 {
            let got = s.due_between(local(ny, 2026, 3, d, 0, 0), local(ny, 2026, 3, d, 23, 59));
            assert_eq!(got.len(), 1, "8 March ± 2: day {d}");
            assert_eq!(got[0].at.with_timezone(&ny).time(), NaiveTime::from_hms_opt(21, 0, 0).unwrap());
        }
    }

    #[test]
    fn reviews_due_that_day_are_counted_without_their_words() {
        let tz: Tz = "Asia/Tokyo".parse().unwrap();
        let reviews = [
            local(tz, 2026, 6, 10, 18, 0),
            local(tz, 2026, 6, 10, 0, 5),
            local(tz, 2026, 6, 11, 0, 5), // tomorrow: not today's
        ];
        let s = ReminderSchedule { review_days: review_days(tz, reviews), ..at(tz, 8, 0) };
        let when = local(tz, 2026, 6, 10, 8, 0);
        let due = s.due_between(when - Duration::seconds(30), when);
        assert_eq!(due.iter().map(|r| r.kind).collect::<Vec<_>>(), vec![ReminderKind::Daily, ReminderKind::Reviews]);
        assert_eq!(due[1].body, "2 commitments are due for review today.");
        let tomorrow = s.due_between(when, when + Duration::days(1));
        assert_eq!(tomorrow[1].body, "A commitment is due for review today.");
    }

    #[test]
    fn a_day_already_written_gets_no_daily_reminder_but_still_its_reviews() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let s = ReminderSchedule {
            wrote_on: Some(day(2026, 4, 2)),
            review_days: BTreeMap::from([(day(2026, 4, 2), 1)]),
            ..at(tz, 9, 0)
        };
        let on = |d| s.due_between(local(tz, 2026, 4, d, 8, 0), local(tz, 2026, 4, d, 10, 0));
        assert_eq!(on(2).iter().map(|r| r.kind).collect::<Vec<_>>(), vec![ReminderKind::Reviews]);
        assert_eq!(on(3).iter().map(|r| r.kind).collect::<Vec<_>>(), vec![ReminderKind::Daily], "the next day is new");
    }

    #[test]
    fn after_a_long_sleep_only_the_latest_day_comes() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let due = at(tz, 9, 0).due_between(local(tz, 2026, 4, 1, 12, 0), local(tz, 2026, 4, 5, 10, 0));
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].at, local(tz, 2026, 4, 5, 9, 0));
    }

    #[test]
    fn a_journal_has_a_schedule_once_a_time_is_set_with_its_reviews_and_todays_entry() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let now = local(tz, 2026, 6, 10, 7, 0);
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery");
        let mut ws =
            Workspace::create(&dir.path().join("j.wisdom"), "J", &pass, KdfParams::MINIMUM, Clock::fixed(now)).unwrap();
        ws.set_timezone("Europe/Paris").unwrap();
        assert_eq!(ws.reminder_schedule().unwrap(), None, "off by default");
        let mut settings = PracticeSettings { reminder_time: NaiveTime::from_hms_opt(21, 0, 0), ..Default::default() };
        ws.set_practice_settings(&settings).unwrap();
        for (statement, review) in [
            ("Walk daily", Some(local(tz, 2026, 6, 12, 9, 0))),
            ("Call mum", Some(local(tz, 2026, 6, 12, 23, 30))),
            ("Far ahead", Some(local(tz, 2026, 9, 1, 9, 0))),
            ("No review", None),
        ] {
            ws.create_commitment(&NewCommitment {
                life_area: Some("work".into()),
                statement: statement.into(),
                intention: "Because".into(),
                next_review_at: review,
                event_id: None,
                insight_id: None,
                measurable: None,
                status: None,
            })
            .unwrap();
        }
        let s = ws.reminder_schedule().unwrap().unwrap();
        assert_eq!(
            (s.time, s.zone.as_str(), s.wrote_on),
            (NaiveTime::from_hms_opt(21, 0, 0).unwrap(), "Europe/Paris", None)
        );
        assert_eq!(s.review_days, BTreeMap::from([(day(2026, 6, 12), 2)]), "the next five weeks only, by local day");
        let text = serde_json::to_string(&s).unwrap();
        for words in ["Walk", "mum", "Because"] {
            assert!(!text.contains(words), "a schedule holds no word of the journal: {text}");
        }

        ws.create_event(&crate::testing::work_event("Wrote this morning")).unwrap();
        let s = ws.reminder_schedule().unwrap().unwrap();
        assert_eq!(s.wrote_on, Some(day(2026, 6, 10)));
        assert!(s.due_between(now, local(tz, 2026, 6, 10, 22, 0)).is_empty(), "today is written: no reminder");

        settings.review_reminders = false;
        ws.set_practice_settings(&settings).unwrap();
        assert!(ws.reminder_schedule().unwrap().unwrap().review_days.is_empty());
        ws.set_practice_settings(&PracticeSettings::default()).unwrap();
        assert_eq!(ws.reminder_schedule().unwrap(), None);
    }

    #[test]
    fn reminders_of_several_journals_name_their_journal_and_of_one_do_not() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let (after, upto) = (local(tz, 2026, 5, 4, 8, 0), local(tz, 2026, 5, 4, 10, 0));
        let one = vec![("Diary".to_string(), at(tz, 9, 0))];
        let titles = |js: &[(String, ReminderSchedule)]| -> Vec<String> {
            due_between_journals(js, after, upto).into_iter().map(|r| r.title).collect()
        };
        assert_eq!(titles(&one), vec!["Time to reflect"]);
        let two = vec![("Diary".to_string(), at(tz, 9, 0)), ("Work log".to_string(), at(tz, 9, 30))];
        assert_eq!(titles(&two), vec!["Time to reflect · Diary", "Time to reflect · Work log"]);
        let later = vec![("Diary".to_string(), at(tz, 9, 0)), ("Night pages".to_string(), at(tz, 22, 0))];
        assert_eq!(titles(&later), vec!["Time to reflect · Diary"], "only what fell due, still named");
    }
}
