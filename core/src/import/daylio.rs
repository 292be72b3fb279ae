//! Daylio's CSV export: UTF-8 with a byte-order mark, one row per mood entry, columns
//! `full_date, date, weekday, time, mood, activities, scales, note_title, note` (older exports
//! lack `scales` and `note_title`; columns are found by name). Times are local, written `6:50 pm`
//! or `14:58`, and read in the workspace's time zone. Activities, separated by ` | `, become tags;
//! the mood becomes the emotional charge ([`mood_charge`]); an entry without a note still becomes
//! an event, titled from its mood and activities.
//!
//! Daylio gives rows no id: an entry's id here is its local date and minute (and its place among
//! entries of the same minute), which a later export of the same journal gives again.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::csv::records;
use super::plan::{skip, Label, SourceEntry, SourceRead};
use super::text::{tidy_blank_lines, title_and_body};
use super::{bad, file_name, problem, read_text_file, ImportProblem};
use crate::error::Result;
use wisdom_model::{validate as v, ImportPart, MappingTarget};

/// Daylio's five moods, as it names them unless the person renamed them.
pub(crate) const DEFAULT_MOODS: [(&str, i64); 5] = [("rad", 4), ("good", 2), ("meh", 0), ("bad", -2), ("awful", -4)];

/// Words people name custom moods with, and the charge each reads as. A mood none of these
/// words is in gets no charge (0), and the preview says so.
const MOOD_WORDS: &[(&str, i64)] = &[
    ("ecstatic", 5),
    ("euphoric", 5),
    ("amazing", 4),
    ("awesome", 4),
    ("fantastic", 4),
    ("great", 4),
    ("excellent", 4),
    ("blissful", 4),
    ("happy", 3),
    ("joyful", 3),
    ("excited", 3),
    ("grateful", 3),
    ("proud", 3),
    ("loved", 3),
    ("content", 2),
    ("calm", 2),
    ("relaxed", 2),
    ("peaceful", 2),
    ("productive", 2),
    ("hopeful", 2),
    ("motivated", 2),
    ("ok", 1),
    ("okay", 1),
    ("fine", 1),
    ("alright", 1),
    ("decent", 1),
    ("neutral", 0),
    ("normal", 0),
    ("so-so", 0),
    ("tired", -1),
    ("bored", -1),
    ("low", -1),
    ("meh", 0),
    ("sad", -2),
    ("down", -2),
    ("stressed", -2),
    ("anxious", -2),
    ("worried", -2),
    ("annoyed", -2),
    ("frustrated", -2),
    ("lonely", -2),
    ("sick", -2),
    ("angry", -3),
    ("upset", -3),
    ("depressed", -3),
    ("exhausted", -3),
    ("miserable", -3),
    ("terrible", -4),
    ("horrible", -4),
    ("awful", -4),
    ("devastated", -4),
    ("hopeless", -4),
];

/// A mood's charge and why: the person's `--mood`, Daylio's default moods, a mood word in its
/// name, else none.
pub(crate) fn mood_charge(mood: &str, given: &HashMap<String, i64>) -> (i64, &'static str) {
    let name = mood.trim().to_lowercase();
    if let Some(&c) = given.get(&name) {
        return (c, "--mood");
    }
    if let Some(&(_, c)) = DEFAULT_MOODS.iter().find(|(m, _)| *m == name) {
        return (c, "Daylio's default mood");
    }
    let words: Vec<&str> = name.split(|c: char| !(c.is_alphanumeric() || c == '-')).collect();
    if let Some(&(_, c)) = MOOD_WORDS.iter().find(|(w, _)| words.contains(w)) {
        return (c, "custom mood, read from its name (set it with --mood NAME=CHARGE)");
    }
    (0, "unknown custom mood: no charge (set it with --mood NAME=CHARGE)")
}

/// `6:50 pm`, `6:50 PM`, `6:50 p.m.`, `14:58`, `14:58:03`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().to_lowercase().replace('.', "");
    let (clock, pm) = match (s.strip_suffix("pm"), s.strip_suffix("am")) {
        (Some(c), _) => (c.trim(), Some(true)),
        (_, Some(c)) => (c.trim(), Some(false)),
        _ => (s.as_str(), None),
    };
    let t = NaiveTime::parse_from_str(clock, "%H:%M").or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M:%S")).ok()?;
    use chrono::Timelike;
    match pm {
        None => Some(t),
        Some(_) if t.hour() == 0 || t.hour() > 12 => None,
        Some(pm) => t.with_hour(t.hour() % 12 + if pm { 12 } else { 0 }),
    }
}

/// Daylio writes notes with HTML line breaks and entities in some versions.
fn plain(note: &str) -> String {
    let mut s = note.to_string();
    for br in ["<br>", "<br/>", "<br />", "<BR>"] {
        s = s.replace(br, "\n");
    }
    for (entity, c) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
    {
        s = s.replace(entity, c);
    }
    tidy_blank_lines(&s)
}

pub(super) fn read(path: &Path, moods: &[(String, i64)], tz: Tz, limit: u64) -> Result<SourceRead> {
    let name = file_name(path);
    let text = read_text_file(path, limit)?;
    let mut given = HashMap::new();
    for (mood, charge) in moods {
        v::emotional_charge(*charge).map_err(|e| bad(format!("--mood {mood}"), e.to_string()))?;
        given.insert(mood.trim().to_lowercase(), *charge);
    }
    let rows = records(&text).map_err(|e| bad(format!("{name}: line {}", e.line), e.message))?;
    let Some((header, rows)) = rows.split_first() else {
        return Err(problem(&name, ImportProblem::NothingToImport("the file is empty".into())));
    };
    let columns: Vec<String> = header.fields.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |wanted: &str| columns.iter().position(|c| c == wanted);
    let (Some(full_date), Some(time), Some(mood), Some(activities), Some(note)) =
        (col("full_date"), col("time"), col("mood"), col("activities"), col("note"))
    else {
        return Err(problem(
            format!("{name}: line 1"),
            ImportProblem::BadHeader(format!(
                "not a Daylio export: its first line should name the columns full_date, date, weekday, time, mood, activities, note_title, note (found: {})",
                header.fields.join(", ")
            )),
        ));
    };
    let (note_title, scales) = (col("note_title"), col("scales"));
    let needed = [full_date, time, mood, activities, note].into_iter().max().unwrap_or(0) + 1;

    let mut out = SourceRead::default();
    let mut per_minute: HashMap<String, u32> = HashMap::new();
    for row in rows {
        let loc = format!("{name}: line {}", row.line);
        let field = |i: usize| row.fields.get(i).map(|s| s.trim()).unwrap_or("");
        if row.fields.len() < needed {
            return Err(bad(&loc, format!("{} columns where the header has {}", row.fields.len(), columns.len())));
        }
        let date = NaiveDate::parse_from_str(field(full_date), "%Y-%m-%d")
            .map_err(|_| bad(&loc, format!("full_date {:?} is not a date YYYY-MM-DD", field(full_date))))?;
        let clock = parse_time(field(time))
            .ok_or_else(|| bad(&loc, format!("time {:?} is not a time like 6:50 pm or 14:58", field(time))))?;
        let occurred_at = tz
            .from_local_datetime(&date.and_time(clock))
            .earliest()
            // A time skipped by a clock change: an hour later is the same moment on the wall.
            .or_else(|| tz.from_local_datetime(&(date.and_time(clock) + chrono::Duration::hours(1))).earliest())
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| bad(&loc, format!("{date} {clock} does not exist in {tz}")))?;
        let minute = format!("{date} {}", clock.format("%H:%M"));
        let n = per_minute.entry(minute.clone()).or_default();
        *n += 1;
        let source_id = if *n == 1 { minute } else { format!("{minute}#{n}") };

        let mood_name = field(mood).to_string();
        let (charge, why) = mood_charge(&mood_name, &given);
        let acts: Vec<String> =
            field(activities).split('|').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        let mut mapped =
            vec![(MappingTarget::Charge, format!("mood:{mood_name}"), format!("{charge:+}"), why.to_string())];
        for a in &acts {
            mapped.push((MappingTarget::Tag, format!("activity:{a}"), a.to_lowercase(), "activity".to_string()));
        }
        let given_title = note_title.map(|i| plain(field(i))).unwrap_or_default();
        let note = plain(field(note));
        let (title, body) = if given_title.is_empty() {
            title_and_body(&note)
        } else {
            title_and_body(&format!("{given_title}\n{note}"))
        };
        let mut fallback = capitalised(&mood_name);
        if !acts.is_empty() {
            fallback = format!("{fallback}: {}", acts.join(", "));
        }
        let fallback = title_and_body(&fallback).0;
        if scales.is_some_and(|i| !field(i).is_empty()) {
            skip(&mut out.skipped, "scale", "Daylio's scales have no place in an entry yet", Some(loc.clone()));
        }
        out.entries.push(SourceEntry {
            source_id,
            location: loc,
            occurred_at,
            title,
            body,
            fallback_title: if fallback.is_empty() { format!("Mood on {date}") } else { fallback },
            labels: acts.iter().map(|a| Label::new("activity", a.clone())).collect(),
            tags: acts,
            charge: Some(charge),
            mapped,
            metadata: Some(serde_json::json!({ "mood": mood_name })),
            ..Default::default()
        });
    }
    out.parts.push(ImportPart { name, entries: out.entries.len() as u64 });
    Ok(out)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_twelve_and_twenty_four_hour_clocks() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("6:50 pm"), t(18, 50));
        assert_eq!(parse_time("12:05 AM"), t(0, 5));
        assert_eq!(parse_time("12:30 p.m."), t(12, 30));
        assert_eq!(parse_time("14:58"), t(14, 58));
        assert_eq!(parse_time("13:00 pm"), None);
        assert_eq!(parse_time("noonish"), None);
    }

    #[test]
    fn moods_map_to_charges_the_persons_own_first() {
        let given = HashMap::from([("zonked".to_string(), -3), ("good".to_string(), 3)]);
        assert_eq!(mood_charge("Rad", &given).0, 4);
        assert_eq!(mood_charge("good", &given), (3, "--mood"));
        assert_eq!(mood_charge("zonked", &given).0, -3);
        assert_eq!(mood_charge("super happy", &given).0, 3);
        let (charge, why) = mood_charge("blorp", &given);
        assert_eq!(charge, 0);
        assert!(why.starts_with("unknown"));
    }

    #[test]
    fn html_breaks_and_entities_in_notes_become_plain_text() {
        assert_eq!(plain("Tom &amp; me<br>went out<br/><br/>late"), "Tom & me\nwent out\n\nlate");
    }
}
