//! The person's time zone (an IANA name kept in the workspace), for local days, weeks and months.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::workspace::Workspace;
use wisdom_model::Invalid;

/// This machine's zone: `$TZ` if it names one, else the target of /etc/localtime, else UTC.
pub fn system_zone() -> Tz {
    if let Some(tz) = std::env::var("TZ").ok().and_then(|t| t.trim_start_matches(':').parse().ok()) {
        return tz;
    }
    std::fs::read_link("/etc/localtime")
        .ok()
        .and_then(|p| {
            let s = p.to_string_lossy().into_owned();
            s.split_once("zoneinfo/").and_then(|(_, name)| name.parse().ok())
        })
        .unwrap_or(Tz::UTC)
}

pub(crate) fn workspace_zone(conn: &Connection) -> Result<Tz> {
    let name: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'timezone'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(name.and_then(|n| n.parse().ok()).unwrap_or_else(system_zone))
}

/// The instant a local day starts (the earliest, if the clock jumps at midnight).
pub fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut t = NaiveTime::MIN;
    // A day whose midnight does not exist (DST jump) starts at the first minute that does.
    for _ in 0..180 {
        if let Some(d) = tz.from_local_datetime(&day.and_time(t)).earliest() {
            return d.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(1);
    }
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

/// The instant a local day ends: the start of the next.
pub fn day_end(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    day_start(tz, day.succ_opt().unwrap_or(day))
}

impl Workspace {
    /// The workspace's time zone (IANA name); unset means this machine's.
    pub fn timezone(&self) -> Result<Tz> {
        workspace_zone(&self.conn)
    }

    pub fn set_timezone(&mut self, name: &str) -> Result<Tz> {
        let tz: Tz =
            name.parse().map_err(|_| Invalid::new("timezone", name, "an IANA time zone such as Europe/Paris"))?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('timezone', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
            [tz.name()],
        )?;
        Ok(tz)
    }

    /// Today's date where the person is.
    pub fn today(&self) -> Result<NaiveDate> {
        Ok(self.now().with_timezone(&self.timezone()?).date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spring_forward_day_is_23_hours_long() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!((day_end(tz, day) - day_start(tz, day)).num_hours(), 23);
        let fall = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!((day_end(tz, fall) - day_start(tz, fall)).num_hours(), 25);
    }
}
