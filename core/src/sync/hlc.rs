//! The hybrid logical clock that orders row versions across devices: 48 bits of wall-clock
//! milliseconds and a 16-bit counter in one i64, so it never goes backwards on one device even when
//! the wall clock does, and always moves past every version this device has seen.

use chrono::{DateTime, Utc};

/// The next value after `last`, at wall time `now`.
pub(crate) fn tick(last: i64, now: DateTime<Utc>) -> i64 {
    let physical = now.timestamp_millis().max(0) << 16;
    physical.max(last + 1)
}

/// `last` after seeing a remote value.
pub(crate) fn observe(last: i64, remote: i64) -> i64 {
    last.max(remote)
}

/// The wall-clock part of an HLC value.
pub fn hlc_time(hlc: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(hlc >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ticks_are_monotonic_even_when_the_wall_clock_steps_back() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let a = tick(0, t);
        let b = tick(a, t);
        let c = tick(b, t - chrono::Duration::hours(1));
        assert!(a < b && b < c);
        assert_eq!(hlc_time(a), Some(t));
        let remote = tick(0, t + chrono::Duration::hours(2));
        assert!(tick(observe(c, remote), t) > remote);
    }
}
