//! The daily practice on a real encrypted workspace: streaks counted in the person's local days
//! (across a DST change, east and west of UTC), the year in pixels, and on this day.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use common::*;
use wisdom_core::model::*;
use wisdom_core::Workspace;

fn at_local(tz: &str, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    let tz: Tz = tz.parse().unwrap();
    tz.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn write(ws: &mut Workspace, at: DateTime<Utc>, charge: i64) -> String {
    ws.create_event(&event("work", EventType::Progress, "Wrote a little", charge, at, &[])).unwrap().event.id
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_streak_counts_local_days_across_the_spring_forward_night() {
    let (f, mut ws) = Fixture::new();
    ws.set_timezone("America/New_York").unwrap();
    // Evenings and a morning around 8 March 2026 (clocks jump at 2am): in UTC the first and last
    // fall on the next day, so counted in UTC the three local days would not be three in a row.
    let ny = "America/New_York";
    for at in [at_local(ny, 2026, 3, 7, 20, 30), at_local(ny, 2026, 3, 8, 9, 0), at_local(ny, 2026, 3, 9, 20, 30)] {
        write(&mut ws, at, 1);
    }
    f.clock.advance(at_local(ny, 2026, 3, 9, 22, 0) - t0());
    let r = ws.rhythm().unwrap();
    assert_eq!((r.today, r.wrote_today, r.current_streak, r.longest_streak), (day(2026, 3, 9), true, 3, 3));
    assert_eq!(r.days_written, 3);
    assert_eq!(r.weekly_entries.last(), Some(&3));
    // The next evening, nothing written yet: the streak stands; a day later it has ended.
    f.clock.advance(Duration::hours(24));
    let r = ws.rhythm().unwrap();
    assert_eq!((r.today, r.wrote_today, r.current_streak), (day(2026, 3, 10), false, 3));
    f.clock.advance(Duration::hours(24));
    assert_eq!(ws.rhythm().unwrap().current_streak, 0);
    assert_eq!(ws.rhythm().unwrap().longest_ended, Some(day(2026, 3, 9)));
}

#[test]
fn east_of_utc_an_early_morning_entry_belongs_to_the_local_day() {
    let (f, mut ws) = Fixture::new();
    ws.set_timezone("Pacific/Auckland").unwrap();
    let akl = "Pacific/Auckland";
    // 7:30 in Auckland is the previous evening in UTC.
    for d in 1..=4 {
        write(&mut ws, at_local(akl, 2026, 3, d, 7, 30), 2);
    }
    f.clock.advance(at_local(akl, 2026, 3, 4, 12, 0) - t0());
    let r = ws.rhythm().unwrap();
    assert_eq!((r.today, r.current_streak), (day(2026, 3, 4), 4));
    let cal = ws.calendar(2026).unwrap();
    let dates: Vec<NaiveDate> = cal.days.iter().map(|d| d.date).collect();
    assert_eq!(dates, (1..=4).map(|d| day(2026, 3, d)).collect::<Vec<_>>());
}

#[test]
fn the_year_in_pixels_averages_each_days_charge_and_shows_its_score() {
    let (_f, mut ws) = Fixture::new();
    ws.set_timezone("UTC").unwrap();
    write(&mut ws, Utc.with_ymd_and_hms(2025, 2, 3, 9, 0, 0).unwrap(), 3);
    write(&mut ws, Utc.with_ymd_and_hms(2025, 2, 3, 18, 0, 0).unwrap(), -2);
    write(&mut ws, Utc.with_ymd_and_hms(2024, 12, 31, 23, 0, 0).unwrap(), 5);
    write(&mut ws, Utc.with_ymd_and_hms(2026, 1, 1, 0, 30, 0).unwrap(), 5);
    ws.backfill_snapshots(day(2025, 2, 3), day(2025, 2, 4)).unwrap();
    let cal = ws.calendar(2025).unwrap();
    let feb3 = cal.days.iter().find(|d| d.date == day(2025, 2, 3)).unwrap();
    assert_eq!((feb3.entries, feb3.average_charge), (2, Some(0.5)));
    let score = feb3.overall_score.expect("a daily snapshot was taken");
    assert!((0.0..=100.0).contains(&score));
    // The entries of the years on either side are not this year's.
    assert_eq!(cal.days.iter().map(|d| d.entries).sum::<u32>(), 2);
    assert!(cal.days.iter().any(|d| d.date == day(2025, 2, 4) && d.entries == 0 && d.overall_score.is_some()));
    assert!(ws.calendar(0).is_err());
}

#[test]
fn on_this_day_finds_earlier_years_and_months_and_leap_days() {
    let (_f, mut ws) = Fixture::new();
    ws.set_timezone("UTC").unwrap();
    let leap = write(&mut ws, Utc.with_ymd_and_hms(2024, 2, 29, 10, 0, 0).unwrap(), 1);
    let year_ago = write(&mut ws, Utc.with_ymd_and_hms(2025, 2, 28, 10, 0, 0).unwrap(), 1);
    let month_ago = write(&mut ws, Utc.with_ymd_and_hms(2026, 1, 28, 10, 0, 0).unwrap(), 1);
    write(&mut ws, Utc.with_ymd_and_hms(2026, 1, 27, 10, 0, 0).unwrap(), 1);
    let found = ws.on_this_day(day(2026, 2, 28), None).unwrap();
    let seen: Vec<(NaiveDate, u32, u32, &str)> =
        found.iter().map(|o| (o.date, o.years_ago, o.months_ago, o.events[0].id.as_str())).collect();
    assert_eq!(
        seen,
        vec![
            (day(2026, 1, 28), 0, 1, month_ago.as_str()),
            (day(2025, 2, 28), 1, 0, year_ago.as_str()),
            (day(2024, 2, 29), 2, 0, leap.as_str()),
        ]
    );
    // On a leap day, only the leap days of earlier years.
    let found = ws.on_this_day(day(2028, 2, 29), None).unwrap();
    assert_eq!(found.iter().map(|o| o.date).collect::<Vec<_>>(), vec![day(2024, 2, 29)]);
}

#[test]
fn today_glances_at_a_busy_earlier_day_and_counts_the_rest() {
    let (f, mut ws) = Fixture::new();
    ws.set_timezone("Asia/Tokyo").unwrap();
    let tokyo = "Asia/Tokyo";
    // Seven entries of 10 March 2025 in Tokyo, the first two before 9am there (still 9 March in
    // UTC), and one of 11 March just after midnight there (10 March in UTC).
    let mut ids: Vec<String> = [1, 7, 12, 15, 18, 21, 23]
        .iter()
        .enumerate()
        .map(|(i, h)| write(&mut ws, at_local(tokyo, 2025, 3, 10, *h, i as u32), 1))
        .collect();
    write(&mut ws, at_local(tokyo, 2025, 3, 11, 0, 30), 1);
    f.clock.advance(at_local(tokyo, 2026, 3, 10, 12, 0) - t0());
    ids.reverse();
    let t = ws.today_overview().unwrap();
    assert_eq!(t.on_this_day.len(), 1);
    let o = &t.on_this_day[0];
    assert_eq!((o.date, o.years_ago, o.count), (day(2025, 3, 10), 1, 7));
    let shown: Vec<&str> = o.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(shown, ids[..3].iter().map(String::as_str).collect::<Vec<_>>(), "the latest three");
    let all = ws.on_this_day(day(2026, 3, 10), None).unwrap();
    assert_eq!(all[0].events.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ids);
    assert_eq!(all[0].count, 7);
}

#[test]
fn the_prompt_asks_about_a_part_of_life_left_unwritten() {
    let (_f, mut ws) = Fixture::new();
    ws.set_timezone("UTC").unwrap();
    let quiet = ["family", "nature", "wisdom"];
    for a in wisdom_core::model::LIFE_AREAS.iter().filter(|a| !quiet.contains(&a.slug)) {
        ws.create_event(&event(a.slug, EventType::Progress, "A good day", 2, t0() - Duration::days(2), &[])).unwrap();
    }
    // Over a week, the days that ask about an area ask about one of the three left unwritten.
    let mut asked = 0;
    for i in 0..7 {
        let p = ws.prompt_for(day(2026, 3, 10) + Duration::days(i)).unwrap();
        if let Some(area) = &p.area {
            assert!(quiet.contains(&area.as_str()), "{p:?}");
            assert!(p.reason.as_deref().unwrap().starts_with("Nothing written about"), "{p:?}");
            asked += 1;
        }
    }
    assert!(asked >= 4, "four or five days a week ask about an area (Sunday asks about the week): {asked}");
    assert_eq!(ws.today_overview().unwrap().prompt, ws.prompt_for(ws.today().unwrap()).unwrap());
}

#[test]
fn an_insight_waiting_to_be_applied_brings_its_area_up() {
    let (_f, mut ws) = Fixture::new();
    ws.set_timezone("UTC").unwrap();
    let mut family = None;
    for a in wisdom_core::model::LIFE_AREAS.iter() {
        let id = ws
            .create_event(&event(a.slug, EventType::Progress, "A good day", 2, t0() - Duration::days(2), &[]))
            .unwrap();
        if a.slug == "family" {
            family = Some(id.event.id);
        }
    }
    let insight = NewInsight {
        event_id: None,
        kind: InsightType::PatternRecognized,
        title: "Sunday calls with dad ground me".into(),
        description: "Every week the call sets the tone.".into(),
        is_recurring: true,
        frequency: 3,
        related_events: vec![family.unwrap()],
    };
    ws.create_insight(&insight).unwrap();
    let reasons: Vec<String> =
        (0..21).filter_map(|i| ws.prompt_for(day(2026, 3, 10) + Duration::days(i)).unwrap().reason).collect();
    assert!(reasons.iter().any(|r| r == "An insight about Family is waiting"), "{reasons:?}");
}

#[test]
fn the_desktop_opens_on_today_once_the_journal_has_an_entry() {
    let (_f, mut ws) = Fixture::new();
    let info = ws.info().unwrap();
    assert!(!info.has_entries && !info.opens_on_today(), "a new journal opens on the dashboard");
    let id = write(&mut ws, t0() - Duration::hours(2), 2);
    assert!(ws.info().unwrap().opens_on_today());
    ws.delete_event(&id).unwrap();
    assert!(!ws.info().unwrap().opens_on_today());
}

#[test]
fn on_this_day_turned_off_leaves_the_today_page_without_it() {
    let (f, mut ws) = Fixture::new();
    ws.set_timezone("Europe/Paris").unwrap();
    write(&mut ws, at_local("Europe/Paris", 2025, 3, 10, 12, 0), 2);
    f.clock.advance(at_local("Europe/Paris", 2026, 3, 10, 12, 0) - t0());
    let t = ws.today_overview().unwrap();
    assert!(t.on_this_day_shown);
    assert_eq!(t.on_this_day.len(), 1);
    let off = PracticeSettings { on_this_day: false, ..ws.practice_settings().unwrap() };
    ws.set_practice_settings(&off).unwrap();
    let t = ws.today_overview().unwrap();
    assert!(!t.on_this_day_shown && t.on_this_day.is_empty());
    // Turned off on this device, it is off after a reopen too.
    drop(ws);
    assert!(!f.reopen().practice_settings().unwrap().on_this_day);
}
