//! The one time source of the core, and the one text form timestamps take in the database.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

/// Where "now" comes from. The system clock in the product; a fixed or stepped clock in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(move || at))
    }

    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// `2025-10-29T10:00:00.000Z`: fixed width, so text order is time order.
pub fn to_db(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn from_db(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fixed_width(text) {
        Some(at) => Ok(at),
        None => DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&Utc)),
    }
}

/// The form [`to_db`] writes, read without the general RFC 3339 parser: a listing reads three
/// timestamps per event, and the general parser was a sixth of a 30-day listing at 100k events.
/// Anything else (another offset, a leap second) is left to the general parser.
fn fixed_width(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let shape = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'.'), (23, b'Z')];
    if b.len() != 24 || shape.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let num = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let (second, milli) = (num(17, 19)?, num(20, 23)?);
    if second > 59 {
        return None;
    }
    let time = chrono::NaiveTime::from_hms_milli_opt(num(11, 13)?, num(14, 16)?, second, milli)?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn general(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text).ok().map(|d| d.with_timezone(&Utc))
    }

    proptest! {
        #[test]
        fn the_fixed_width_reader_agrees_with_the_general_parser(ms in -62_135_596_800_000i64..253_402_300_799_999i64) {
            let at = DateTime::from_timestamp_millis(ms).unwrap();
            let text = to_db(at);
            prop_assert_eq!(fixed_width(&text), Some(at));
            prop_assert_eq!(from_db(&text).ok(), general(&text));
        }

        #[test]
        fn anything_else_is_read_as_the_general_parser_reads_it(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,4})?(Z|[+-][0-9]{2}:[0-9]{2})") {
            prop_assert_eq!(from_db(&text).ok(), general(&text));
        }
    }
}
