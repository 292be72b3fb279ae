//! Dates as people type them: `2025-10-29`, `2025-10-29 14:30`, RFC 3339, `now`, `today`,
//! `yesterday`, or `3d` / `2w` ago. Plain dates are local days.

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use wisdom_core::model::Invalid;

/// Which moment of a plain date is meant.
#[derive(Clone, Copy)]
pub enum DayPart {
    /// Midday: a day-only event stays on its day in every time zone near ours.
    Noon,
    Start,
    /// The start of the next day (for exclusive upper bounds).
    End,
}

pub fn parse(field: &str, text: &str, part: DayPart) -> Result<DateTime<Utc>, Invalid> {
    let t = text.trim();
    let bad = || Invalid::new(field, text, "a date like 2025-10-29, 2025-10-29 14:30, now, today, yesterday or 3d");
    let today = Local::now().date_naive();
    let day = |d: NaiveDate| -> Result<DateTime<Utc>, Invalid> {
        let (d, time) = match part {
            DayPart::Noon => (d, NaiveTime::from_hms_opt(12, 0, 0).unwrap()),
            DayPart::Start => (d, NaiveTime::MIN),
            DayPart::End => (d.succ_opt().ok_or_else(bad)?, NaiveTime::MIN),
        };
        local(d.and_time(time)).ok_or_else(bad)
    };
    match t.to_ascii_lowercase().as_str() {
        "now" => return Ok(Utc::now()),
        "today" => return day(today),
        "yesterday" => return day(today.pred_opt().ok_or_else(bad)?),
        _ => {}
    }
    if let Some(n) = t.strip_suffix(['d', 'w']).and_then(|n| n.parse::<i64>().ok()) {
        let days = if t.ends_with('w') { n * 7 } else { n };
        return Ok(Utc::now() - Duration::days(days));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return local(n).ok_or_else(bad);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return day(d);
    }
    Err(bad())
}

fn local(n: NaiveDateTime) -> Option<DateTime<Utc>> {
    Local.from_local_datetime(&n).earliest().map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_forms_and_names_the_field_otherwise() {
        assert!(parse("at", "2025-10-29", DayPart::Noon).is_ok());
        assert!(parse("at", "2025-10-29 14:30", DayPart::Noon).is_ok());
        assert!(parse("at", "2025-10-29T10:00:00Z", DayPart::Noon).is_ok());
        assert!(parse("at", "3d", DayPart::Noon).unwrap() < Utc::now());
        let e = parse("from", "last tuesday", DayPart::Start).unwrap_err();
        assert_eq!(e.field, "from");
        let start = parse("from", "2025-10-29", DayPart::Start).unwrap();
        let end = parse("to", "2025-10-29", DayPart::End).unwrap();
        assert_eq!(end - start, Duration::days(1));
    }
}
