//! The practice's settings (on this day, reminders): table `preferences`, one row a key, synced
//! as entity `preference` so every device of the person shows and reminds alike. A key never
//! written reads as its default.

use chrono::NaiveTime;
use rusqlite::{params, Connection};
use wisdom_model::PracticeSettings;

use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;

const ON_THIS_DAY: &str = "on_this_day";
const REMINDER_TIME: &str = "reminder_time";
const REVIEW_REMINDERS: &str = "review_reminders";

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

pub(crate) fn practice_settings(conn: &Connection) -> Result<PracticeSettings> {
    let mut s = PracticeSettings::default();
    let mut stmt = conn.prepare_cached("SELECT id, value FROM preferences")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            ON_THIS_DAY => s.on_this_day = value != "off",
            REVIEW_REMINDERS => s.review_reminders = value != "off",
            // Anything but a time (e.g. "off", or a newer app's form) means no reminders.
            REMINDER_TIME => s.reminder_time = NaiveTime::parse_from_str(&value, "%H:%M:%S").ok(),
            _ => {}
        }
    }
    Ok(s)
}

/// Takes settings brought by an import, only if this workspace's own were never set: a journal
/// imported into another keeps the settings of the one it joins. True if they were taken.
pub(crate) fn adopt_settings(
    tx: &Connection,
    s: &PracticeSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    let set: i64 = tx.query_row("SELECT count(*) FROM preferences", [], |r| r.get(0))?;
    if set > 0 {
        return Ok(false);
    }
    write_settings(tx, s, now)?;
    Ok(true)
}

/// Writes each setting whose value changed.
fn write_settings(tx: &Connection, s: &PracticeSettings, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let now = time::to_db(now);
    let values = [
        (ON_THIS_DAY, on_off(s.on_this_day)),
        (REMINDER_TIME, s.reminder_time.map_or("off".into(), |t| t.format("%H:%M:%S").to_string())),
        (REVIEW_REMINDERS, on_off(s.review_reminders)),
    ];
    for (key, value) in values {
        tx.prepare_cached(
            "INSERT INTO preferences (id, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET value = ?2, updated_at = ?3 WHERE value IS NOT ?2",
        )?
        .execute(params![key, value, now])?;
    }
    Ok(())
}

impl Workspace {
    /// The practice's settings (defaults where never set: on this day shown, no reminders).
    pub fn practice_settings(&self) -> Result<PracticeSettings> {
        practice_settings(&self.conn)
    }

    /// Saves the practice's settings; only a value that changed is written (and synced).
    pub fn set_practice_settings(&mut self, s: &PracticeSettings) -> Result<PracticeSettings> {
        let now = self.now();
        let tx = self.tx()?;
        write_settings(&tx, s, now)?;
        let saved = practice_settings(&tx)?;
        tx.commit()?;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;

    #[test]
    fn settings_start_with_on_this_day_and_no_reminders_and_only_changes_are_queued() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(
            &dir.path().join("j.wisdom"),
            "J",
            &Passphrase::new("correct horse battery"),
            KdfParams::MINIMUM,
            Clock::system(),
        )
        .unwrap();
        let s = ws.practice_settings().unwrap();
        assert_eq!(s, PracticeSettings::default());
        assert!(s.on_this_day && s.reminder_time.is_none());
        let want = PracticeSettings {
            on_this_day: false,
            reminder_time: NaiveTime::from_hms_opt(21, 30, 0),
            review_reminders: true,
        };
        assert_eq!(ws.set_practice_settings(&want).unwrap(), want);
        let queued = |ws: &Workspace| -> i64 {
            ws.conn.query_row("SELECT sum(n) FROM sync_outbox WHERE entity = 'preference'", [], |r| r.get(0)).unwrap()
        };
        let before = queued(&ws);
        ws.set_practice_settings(&want).unwrap();
        assert_eq!(queued(&ws), before, "an unchanged value is not written again");
    }
}
