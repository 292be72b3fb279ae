//! The daily practice the person shapes: the reflection prompts (the library's, edited or hidden,
//! and their own), the practice's settings (on this day, reminders), and the reminders due.

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::{self as v, Invalid};

/// The longest prompt.
pub const PROMPT_CHARS: usize = 500;

/// When a prompt may be offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PromptScope {
    /// On a day that asks about one life area.
    Area,
    /// On any day that asks no area.
    Daily,
    /// At the end of a week (Sunday).
    Weekly,
}

/// A reflection prompt as the person sees it in their library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReflectionPrompt {
    /// A library prompt's stable id (`work-3`, `daily-7`), or `prm_…` for one the person wrote.
    pub id: String,
    pub text: String,
    pub scope: PromptScope,
    /// The life area (slug) an area prompt is about.
    pub area: Option<String>,
    /// Written by the person (not from the library).
    pub own: bool,
    /// A library prompt whose words the person changed.
    pub edited: bool,
    /// Never offered while hidden.
    pub hidden: bool,
}

/// A prompt the person writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPrompt {
    pub text: String,
    /// The area (slug or id) it asks about; none for a general prompt.
    #[serde(default)]
    pub area: Option<String>,
    /// A general prompt for the end of a week rather than any day.
    #[serde(default)]
    pub weekly: bool,
}

/// A prompt's words, trimmed: 1 to `PROMPT_CHARS` characters.
pub fn prompt_text(text: &str) -> Result<String, Invalid> {
    v::title("text", text, PROMPT_CHARS)?;
    Ok(text.trim().to_string())
}

/// The practice's settings, synced between the person's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSettings {
    /// Entries from this day in earlier years and months on the Today page and `wisdom on-this-day`.
    pub on_this_day: bool,
    /// The daily reminder's local time; none: no reminders at all (the default).
    pub reminder_time: Option<NaiveTime>,
    /// With reminders on, also one on the day commitments are due for review.
    pub review_reminders: bool,
}

impl Default for PracticeSettings {
    fn default() -> Self {
        PracticeSettings { on_this_day: true, reminder_time: None, review_reminders: true }
    }
}

/// A reminder time as the person types it (`21:30`, `7:05`, `21:30:15`).
pub fn reminder_time(text: &str) -> Result<NaiveTime, Invalid> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .map_err(|_| Invalid::new("reminderTime", text, "a time of day such as 21:30"))
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReminderKind {
    Daily,
    Reviews,
}

/// A reminder that fell due: what the notification says. Its words never quote the journal, as a
/// notification shows on a lock screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub kind: ReminderKind,
    pub at: DateTime<Utc>,
    pub title: String,
    pub body: String,
}
