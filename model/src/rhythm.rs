//! The daily practice's figures: streaks, a year at a glance, and entries from this day in earlier
//! years and months. Computed by the core from the journal, in the person's time zone.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::entities::Event;

/// How regularly the person writes. A day counts when it holds at least one entry, in the
/// workspace's time zone. A day not written yet does not break the streak: it runs through
/// yesterday until today ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rhythm {
    /// The workspace's today.
    pub today: NaiveDate,
    pub wrote_today: bool,
    /// Days in a row with an entry, ending today (or yesterday, when today has none yet).
    pub current_streak: u32,
    pub longest_streak: u32,
    /// The last day of the longest streak (the most recent of equals).
    pub longest_ended: Option<NaiveDate>,
    /// Entries in each of the last 12 weeks (7-day spans ending today), oldest first.
    pub weekly_entries: Vec<u32>,
    /// Days with an entry, ever.
    pub days_written: u32,
}

/// One day of a year at a glance: how many entries, their average emotional charge, and the
/// overall score (the mean of the areas' daily snapshots) when a snapshot exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub entries: u32,
    pub average_charge: Option<f64>,
    pub overall_score: Option<f64>,
}

/// A year in pixels: the days of `year` that have entries or a score, in date order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Calendar {
    pub year: i32,
    pub days: Vec<CalendarDay>,
}

/// Entries written on the same calendar day in an earlier year or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnThisDay {
    pub date: NaiveDate,
    /// 0 for an earlier month of the past year.
    pub years_ago: u32,
    /// 0 for a whole number of years ago.
    pub months_ago: u32,
    /// How many entries that day holds.
    pub count: u32,
    /// Its entries, the latest first: all of them, or the first few where the caller asked for
    /// a glance (the Today page shows three a day and says how many more).
    pub events: Vec<Event>,
}

impl OnThisDay {
    /// The entries of that day not carried in `events`.
    pub fn more(&self) -> u32 {
        self.count.saturating_sub(self.events.len() as u32)
    }
}

/// The Today page: the day's entries, the rhythm, the commitments whose review is due by the end
/// of the day, and on this day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Today {
    pub date: NaiveDate,
    pub entries: Vec<Event>,
    pub rhythm: Rhythm,
    pub due_reviews: Vec<crate::dashboard::UpcomingReview>,
    /// Empty when the person turned on this day off (`on_this_day_shown` false).
    pub on_this_day: Vec<OnThisDay>,
    #[serde(default = "shown")]
    pub on_this_day_shown: bool,
    pub prompt: DailyPrompt,
}

fn shown() -> bool {
    true
}

/// Today's reflection prompt, and why it was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyPrompt {
    /// Stable: `work-3`, `daily-7`, `weekly-2`.
    pub id: String,
    pub text: String,
    /// The life area it is about (slug), if any.
    pub area: Option<String>,
    /// Why this area today, in words ("Nothing written about Family for 3 weeks").
    pub reason: Option<String>,
}
