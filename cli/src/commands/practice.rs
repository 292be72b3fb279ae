//! The daily practice: `wisdom today`, `wisdom prompt [DATE]`, `wisdom streak`,
//! `wisdom on-this-day [DATE]`, `wisdom calendar [--year Y] [--score]` and `wisdom settings`. The core computes; this only lays it out.

use chrono::{Datelike, NaiveDate};
use clap::Args;
use wisdom_core::model::practice::reminder_time;
use wisdom_core::model::{Calendar, DailyPrompt, Event, OnThisDay, Rhythm};
use wisdom_core::Workspace;

use crate::output::{self, Table};
use crate::session;
use crate::when::{self, DayPart};
use crate::Global;

#[derive(Args)]
pub struct SettingsArgs {
    /// Show entries from this day in earlier years and months (Today, `wisdom on-this-day`).
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    on_this_day: Option<bool>,
    /// A daily reminder at this local time (e.g. 21:30), or `off` (the default: no reminders).
    /// Reminders come from the desktop app while it runs.
    #[arg(long, value_name = "HH:MM|off")]
    reminder: Option<String>,
    /// With reminders on, also remind on the day commitments are due for review.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    review_reminders: Option<bool>,
}

fn on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("on or off".into()),
    }
}

/// `wisdom settings`: show the practice's settings, or change those given.
pub fn settings(g: &Global, a: SettingsArgs) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let mut s = ws.practice_settings()?;
    if a.on_this_day.is_some() || a.reminder.is_some() || a.review_reminders.is_some() {
        s.on_this_day = a.on_this_day.unwrap_or(s.on_this_day);
        s.review_reminders = a.review_reminders.unwrap_or(s.review_reminders);
        if let Some(r) = a.reminder {
            s.reminder_time = match r.trim() {
                "off" => None,
                t => Some(reminder_time(t).map_err(wisdom_core::Error::from)?),
            };
        }
        s = ws.set_practice_settings(&s)?;
        // The desktop reminds from this while the journal is locked there.
        session::registry()?.remember_reminders(&ws)?;
    }
    if g.json {
        return output::json(&s);
    }
    let word = |on: bool| if on { "on" } else { "off" };
    println!("On this day:       {}", word(s.on_this_day));
    match s.reminder_time {
        Some(t) => {
            println!("Daily reminder:    {}", t.format("%H:%M"));
            println!("Review reminders:  {}", word(s.review_reminders));
        }
        None => println!("Daily reminder:    off"),
    }
    Ok(())
}

#[derive(Args)]
pub struct CalendarArgs {
    /// The year to show (default: this year).
    #[arg(long)]
    year: Option<i32>,
    /// Shade days by the overall score of their snapshot instead of the entries' average charge.
    #[arg(long)]
    score: bool,
}

pub fn today(g: &Global) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let t = ws.today_overview()?;
    if g.json {
        return output::json(&t);
    }
    println!("{}", t.date.format("%A %-d %B %Y"));
    println!("{}", rhythm_line(&t.rhythm));
    println!("\n{}", prompt_line(&t.prompt));
    if t.entries.is_empty() {
        println!("\nNothing written today yet.");
    } else {
        println!("\nToday:");
        entries(&t.entries)?;
    }
    if !t.due_reviews.is_empty() {
        println!("\nCommitments to review:");
        for r in &t.due_reviews {
            let when = if r.overdue { "overdue" } else { "today" };
            println!("  {when}: {} ({})", r.statement, r.commitment_id);
        }
    }
    if !t.on_this_day.is_empty() {
        println!("\nOn this day:");
        on_this_day_lines(&t.on_this_day);
    }
    Ok(())
}

pub fn prompt(g: &Global, date: Option<&str>) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let day = day_or_today(&ws, date)?;
    let p = ws.prompt_for(day)?;
    if g.json {
        return output::json(&p);
    }
    println!("{}", prompt_line(&p));
    Ok(())
}

fn prompt_line(p: &DailyPrompt) -> String {
    match &p.reason {
        Some(why) => format!("Prompt: {}\n  ({why})", p.text),
        None => format!("Prompt: {}", p.text),
    }
}

/// The day `date` names (`2026-02-28`, or as `when` reads it: `yesterday`, `3d`...) in the
/// workspace's time zone; without one, today there.
fn day_or_today(ws: &Workspace, date: Option<&str>) -> anyhow::Result<NaiveDate> {
    let Some(text) = date else { return Ok(ws.today()?) };
    if let Ok(day) = text.trim().parse::<NaiveDate>() {
        return Ok(day);
    }
    let at = when::parse("date", text, DayPart::Noon).map_err(wisdom_core::Error::from)?;
    Ok(at.with_timezone(&ws.timezone()?).date_naive())
}

pub fn streak(g: &Global) -> anyhow::Result<()> {
    let r = session::open(g)?.rhythm()?;
    if g.json {
        return output::json(&r);
    }
    println!("{}", rhythm_line(&r));
    let weeks: Vec<String> = r.weekly_entries.iter().map(u32::to_string).collect();
    println!("Entries a week, last {} weeks: {}", weeks.len(), weeks.join(" "));
    Ok(())
}

pub fn on_this_day(g: &Global, date: Option<&str>) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let day = day_or_today(&ws, date)?;
    if !ws.practice_settings()?.on_this_day {
        if g.json {
            return output::json(&serde_json::json!({ "date": day, "onThisDay": [], "off": true }));
        }
        println!("On this day is turned off (`wisdom settings --on-this-day on` turns it back on).");
        return Ok(());
    }
    let found = ws.on_this_day(day, None)?;
    if g.json {
        return output::json(&serde_json::json!({ "date": day, "onThisDay": found }));
    }
    if found.is_empty() {
        println!("Nothing written on this day in earlier months or years.");
    }
    on_this_day_lines(&found);
    Ok(())
}

pub fn calendar(g: &Global, a: CalendarArgs) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let year = match a.year {
        Some(y) => y,
        None => ws.today()?.year(),
    };
    let cal = ws.calendar(year)?;
    if g.json {
        return output::json(&cal);
    }
    print!("{}", pixels(&cal, a.score));
    Ok(())
}

/// "Streak: 4 days (longest 12, ended 2026-03-01) · 57 days written", without reproach.
fn rhythm_line(r: &Rhythm) -> String {
    let mut s = match r.current_streak {
        0 => "No streak running".to_string(),
        1 => "Streak: 1 day".to_string(),
        n => format!("Streak: {n} days"),
    };
    if r.longest_streak > r.current_streak {
        let ended = r.longest_ended.map(|d| format!(", ended {d}")).unwrap_or_default();
        s.push_str(&format!(" (longest {}{ended})", r.longest_streak));
    }
    s.push_str(&format!(" · {} days written", r.days_written));
    s
}

fn entries(events: &[Event]) -> anyhow::Result<()> {
    let mut t = Table::new(&[("ID", 30), ("WHEN", 16), ("CHARGE", 6), ("TITLE", 60)]);
    for e in events {
        t.row(vec![e.id.clone(), output::date(&e.occurred_at), format!("{:+}", e.emotional_charge), e.title.clone()]);
    }
    t.print()
}

fn on_this_day_lines(found: &[OnThisDay]) {
    for o in found {
        let ago = match (o.years_ago, o.months_ago) {
            (0, 1) => "1 month ago".to_string(),
            (0, m) => format!("{m} months ago"),
            (1, _) => "1 year ago".to_string(),
            (y, _) => format!("{y} years ago"),
        };
        println!("  {} ({ago})", o.date);
        for e in &o.events {
            println!("    {:+} {}", e.emotional_charge, e.title);
        }
        let more = o.more();
        if more > 0 {
            println!("    and {more} more (wisdom on-this-day)");
        }
    }
}

/// One line a month, one character a day: `·` for a day without one, else a shade from low to high
/// (charge -5..5, or score 0..100).
fn pixels(cal: &Calendar, by_score: bool) -> String {
    const SHADES: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let shade = |x: f64, lo: f64, hi: f64| SHADES[(((x - lo) / (hi - lo)) * 7.0).round().clamp(0.0, 7.0) as usize];
    let mut out = format!("{}  {}\n", cal.year, if by_score { "overall score" } else { "average charge" });
    for month in 1..=12u32 {
        let mut line = String::new();
        for day in 1..=31u32 {
            let Some(date) = NaiveDate::from_ymd_opt(cal.year, month, day) else { break };
            let value = cal.days.iter().find(|d| d.date == date).and_then(|d| {
                if by_score {
                    d.overall_score.map(|s| shade(s, 0.0, 100.0))
                } else {
                    d.average_charge.map(|c| shade(c, -5.0, 5.0))
                }
            });
            line.push(value.unwrap_or('·'));
        }
        let name = NaiveDate::from_ymd_opt(cal.year, month, 1).map(|d| d.format("%b").to_string()).unwrap_or_default();
        out.push_str(&format!("{name} {line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisdom_core::model::CalendarDay;

    #[test]
    fn the_year_in_pixels_has_a_line_a_month_and_a_cell_a_day() {
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let day = CalendarDay { date, entries: 2, average_charge: Some(5.0), overall_score: Some(0.0) };
        let cal = Calendar { year: 2024, days: vec![day] };
        let text = pixels(&cal, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 13);
        assert_eq!(lines[2].chars().count(), 4 + 29);
        assert!(lines[2].ends_with('█'), "{}", lines[2]);
        assert!(pixels(&cal, true).lines().nth(2).unwrap().ends_with('▁'));
    }
}
