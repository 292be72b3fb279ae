//! The rules a value must satisfy before it is stored. An [`Invalid`] names the field, the bad value
//! and what is allowed, so every front end can show a person exactly what to fix.

use std::fmt;

use chrono::{DateTime, Duration, TimeZone, Utc};

/// Size limits on free text. Generous for a journal, but bounded so one paste cannot bloat a
/// workspace or a sync payload.
pub struct Limits;

impl Limits {
    pub const TITLE: usize = 200;
    pub const DESCRIPTION: usize = 20_000;
    pub const NARRATIVE: usize = 200_000;
    pub const NAME: usize = 120;
    pub const TAG: usize = 48;
    pub const TAGS: usize = 32;
    pub const NOTE: usize = 2_000;
    pub const IDS: usize = 500;
    pub const EMOTIONAL_CHARGE: std::ops::RangeInclusive<i64> = -5..=5;
    pub const EARLIEST_YEAR: i32 = 1900;
    /// How far ahead of now a date may lie (clock skew between devices, time zones).
    pub const FUTURE_SLACK_DAYS: i64 = 1;
    /// The most one text an import reads may hold once unpacked: a Day One journal's JSON, a
    /// Daylio CSV, one Markdown note. Ten thousand long entries fit many times over; a zip bomb
    /// does not.
    pub const IMPORT_TEXT_BYTES: u64 = 256 << 20;
    /// The most files one Markdown import reads.
    pub const IMPORT_FILES: usize = 100_000;
    /// The largest file one attachment may be: a long voice memo or a scanned document fits; a
    /// video does not (the journal file is copied whole by every backup).
    pub const ATTACHMENT_BYTES: u64 = 100 << 20;
    /// The most all of a journal's attachments may take (each distinct file counted once).
    pub const WORKSPACE_ATTACHMENT_BYTES: u64 = 4 << 30;
    /// The longest file name an attachment keeps.
    pub const FILE_NAME: usize = 255;
}

/// A value that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field in the seed's camelCase JSON, e.g. `emotionalCharge`.
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl Invalid {
    pub fn new(field: &str, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        let mut value = value.to_string();
        if value.chars().count() > 60 {
            value = value.chars().take(57).collect::<String>() + "...";
        }
        Self { field: field.to_string(), value, allowed: allowed.into() }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {:?} (allowed: {})", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for Invalid {}

/// The fewest characters a passphrase may have: a journal's, or a sync account's password.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// A passphrase that will protect a journal (or a sync account): at least
/// [`MIN_PASSPHRASE_CHARS`] characters. Every front end asks this, and the core enforces it.
pub fn passphrase(field: &str, value: &str) -> Result<(), Invalid> {
    let n = value.chars().count();
    if n < MIN_PASSPHRASE_CHARS {
        return Err(Invalid::new(
            field,
            format!("{n} characters"),
            format!("at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// What a person is told when a new passphrase is too short, in every front end.
pub fn passphrase_advice() -> String {
    format!("Use at least {MIN_PASSPHRASE_CHARS} characters; a few words is best.")
}

/// A sync account's email in the one form the device and the server both use (trimmed,
/// lowercased), or why it is not an address.
pub fn email(field: &str, value: &str) -> Result<String, Invalid> {
    let e = value.trim().to_lowercase();
    let ok = (3..=254).contains(&e.len())
        && e.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(e)
    } else {
        Err(Invalid::new(field, value, "an address like name@example.org"))
    }
}

/// The most characters a device's name on the sync server may have.
pub const DEVICE_NAME_CHARS: usize = 100;

/// A device's name as the sync server lists it: trimmed, 1 to [`DEVICE_NAME_CHARS`] characters,
/// no control characters.
pub fn device_name(field: &str, value: &str) -> Result<String, Invalid> {
    let n = value.trim();
    if (1..=DEVICE_NAME_CHARS).contains(&n.chars().count()) && !n.chars().any(char::is_control) {
        Ok(n.to_string())
    } else {
        Err(Invalid::new(field, value, format!("1 to {DEVICE_NAME_CHARS} characters, no control characters")))
    }
}

/// 0..=4 and a word for it: how hard a passphrase looks to guess, from its length, the kinds of
/// characters in it and its words. A guide, not a guarantee; below the minimum it is 0.
pub fn passphrase_strength(pass: &str) -> (u8, &'static str) {
    let n = pass.chars().count();
    if n == 0 {
        return (0, "");
    }
    let classes = [
        pass.chars().any(|c| c.is_lowercase()),
        pass.chars().any(|c| c.is_uppercase()),
        pass.chars().any(|c| c.is_ascii_digit()),
        pass.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let words = pass.split_whitespace().count();
    let score = if n < MIN_PASSPHRASE_CHARS {
        0
    } else {
        (match n {
            0..=11 => 1,
            12..=15 => 2,
            16..=23 => 3,
            _ => 4,
        } + usize::from(classes >= 3)
            + usize::from(words >= 4))
        .min(4)
    };
    let label = ["Too short", "Weak", "Fair", "Strong", "Very strong"][score];
    (score as u8, label)
}

/// A required single-line text: trimmed, not empty, at most `max` characters.
pub fn title(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new(field, value, "a non-empty text"));
    }
    if value.contains(['\n', '\r']) {
        return Err(Invalid::new(field, value, "a single line of text"));
    }
    max_len(field, value, max)
}

/// Required free text (may span lines): not blank, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::new(field, value, "a non-empty text"));
    }
    max_len(field, value, max)
}

pub fn max_len(field: &str, value: &str, max: usize) -> Result<(), Invalid> {
    let n = value.chars().count();
    if n > max {
        return Err(Invalid::new(field, format!("{n} characters"), format!("at most {max} characters")));
    }
    Ok(())
}

pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<(), Invalid> {
    value.map_or(Ok(()), |v| max_len(field, v, max))
}

pub fn emotional_charge(value: i64) -> Result<(), Invalid> {
    if Limits::EMOTIONAL_CHARGE.contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new("emotionalCharge", value, "an integer from -5 to +5"))
    }
}

/// A moment in a life: not before 1900 and not more than a day ahead of `now`.
pub fn moment(field: &str, value: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Invalid> {
    let earliest = Utc.with_ymd_and_hms(Limits::EARLIEST_YEAR, 1, 1, 0, 0, 0).unwrap();
    let latest = now + Duration::days(Limits::FUTURE_SLACK_DAYS);
    if value < earliest || value > latest {
        return Err(Invalid::new(
            field,
            value.to_rfc3339(),
            format!("a date from {} up to {}", earliest.format("%Y-%m-%d"), latest.format("%Y-%m-%d")),
        ));
    }
    Ok(())
}

pub fn year(field: &str, value: i64) -> Result<(), Invalid> {
    if (Limits::EARLIEST_YEAR as i64..=2200).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(field, value, "a year from 1900 to 2200"))
    }
}

pub fn month(value: Option<i64>) -> Result<(), Invalid> {
    match value {
        Some(m) if !(1..=12).contains(&m) => Err(Invalid::new("month", m, "a month from 1 to 12")),
        _ => Ok(()),
    }
}

/// Normalises tags the way people type them (`#Career`, `@career`, ` career `) to one form
/// (`career`), drops duplicates, and checks count and length.
pub fn normalise_tags(tags: &[String]) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for raw in tags {
        let tag = raw.trim().trim_start_matches(['#', '@']).trim().to_lowercase();
        if tag.is_empty() {
            return Err(Invalid::new("tags", raw, "non-empty tags"));
        }
        if tag.chars().any(|c| c.is_control() || c == ',') {
            return Err(Invalid::new("tags", raw, "tags without commas or control characters"));
        }
        if tag.chars().count() > Limits::TAG {
            return Err(Invalid::new("tags", raw, format!("tags of at most {} characters", Limits::TAG)));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > Limits::TAGS {
        return Err(Invalid::new("tags", format!("{} tags", out.len()), format!("at most {} tags", Limits::TAGS)));
    }
    Ok(out)
}

pub fn id_list(field: &str, ids: &[String]) -> Result<(), Invalid> {
    if ids.len() > Limits::IDS {
        return Err(Invalid::new(field, format!("{} ids", ids.len()), format!("at most {}", Limits::IDS)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lowercased_once_for_device_and_server() {
        assert_eq!(email("email", "  Maria.Lopez@Example.ORG ").unwrap(), "maria.lopez@example.org");
        assert_eq!(email("email", "maria@").unwrap_err().field, "email");
        assert!(email("email", "maria lopez@example.org").is_err());
        assert!(email("email", "@example.org").is_err());
    }

    #[test]
    fn a_device_name_is_one_to_a_hundred_printable_characters() {
        assert_eq!(device_name("deviceName", "  Maria's laptop ").unwrap(), "Maria's laptop");
        assert!(device_name("deviceName", "   ").is_err());
        assert!(device_name("deviceName", "tab\tname").is_err());
        assert!(device_name("deviceName", &"é".repeat(100)).is_ok());
        assert!(device_name("deviceName", &"é".repeat(101)).is_err());
    }

    #[test]
    fn passphrases_need_eight_characters_counted_as_characters_not_bytes() {
        assert!(passphrase("passphrase", "seven77").is_err());
        assert!(passphrase("passphrase", "eight888").is_ok());
        // Seven characters, fourteen bytes.
        let e = passphrase("password", "ééééééé").unwrap_err();
        assert_eq!((e.field.as_str(), e.value.as_str()), ("password", "7 characters"));
        assert!(passphrase("passphrase", "éééééééé").is_ok());
    }

    #[test]
    fn strength_grows_with_length_variety_and_words_and_is_nil_below_the_minimum() {
        assert_eq!(passphrase_strength(""), (0, ""));
        assert_eq!(passphrase_strength("Ab1!xyz"), (0, "Too short"));
        assert_eq!(passphrase_strength("abcdefgh"), (1, "Weak"));
        assert_eq!(passphrase_strength("abcdefghijkl"), (2, "Fair"));
        assert_eq!(passphrase_strength("Abcdefghijk1!"), (3, "Strong"));
        assert_eq!(passphrase_strength("correct horse battery staple"), (4, "Very strong"));
    }

    #[test]
    fn charge_outside_range_names_field_value_and_range() {
        assert!(emotional_charge(5).is_ok());
        assert!(emotional_charge(-5).is_ok());
        let e = emotional_charge(6).unwrap_err();
        assert_eq!(e.field, "emotionalCharge");
        assert_eq!(e.to_string(), "invalid emotionalCharge: \"6\" (allowed: an integer from -5 to +5)");
        assert!(emotional_charge(-6).is_err());
    }

    #[test]
    fn blank_and_overlong_titles_are_refused() {
        assert!(title("title", "  ", 10).is_err());
        assert!(title("title", "a\nb", 10).is_err());
        assert!(title("title", "ok", 10).is_ok());
        let e = title("title", &"x".repeat(11), 10).unwrap_err();
        assert_eq!(e.value, "11 characters");
    }

    #[test]
    fn tags_are_normalised_and_deduplicated() {
        let tags = vec!["#Career".into(), "@career".into(), " growth ".into()];
        assert_eq!(normalise_tags(&tags).unwrap(), vec!["career", "growth"]);
        assert!(normalise_tags(&["#".into()]).is_err());
        assert!(normalise_tags(&["a,b".into()]).is_err());
        let many: Vec<String> = (0..40).map(|i| format!("t{i}")).collect();
        assert!(normalise_tags(&many).is_err());
    }

    #[test]
    fn dates_must_be_sane() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert!(moment("occurredAt", now, now).is_ok());
        assert!(moment("occurredAt", now + Duration::days(2), now).is_err());
        assert!(moment("occurredAt", Utc.with_ymd_and_hms(1899, 12, 31, 0, 0, 0).unwrap(), now).is_err());
    }
}
