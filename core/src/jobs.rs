//! Work that falls due with time: the daily snapshots and the daily full pattern run. A desktop
//! app is not always running, so front ends call [`Workspace::run_due_jobs`] after unlocking (off
//! the unlock path itself); it catches up on every missed day.

use chrono::{Duration, NaiveDate};
use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::snapshots::backfill;
use crate::time;
use crate::workspace::Workspace;
use crate::zone::workspace_zone;

pub use wisdom_model::DueReport;

impl Workspace {
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Takes the day's backup if none was taken today, back-fills snapshots for every ended day not
    /// yet taken, and runs the full pattern engine if it has not run today. Cheap when nothing is
    /// due (a look at the backups folder and two settings).
    pub fn run_due_jobs(&mut self) -> Result<DueReport> {
        let now = self.now();
        let tz = workspace_zone(&self.conn)?;
        let today = now.with_timezone(&tz).date_naive();
        let yesterday = today - Duration::days(1);
        let mut report = DueReport::default();
        if self.auto_backup {
            // A journal that cannot be backed up today (a full disk) still opens; tomorrow tries again.
            report.backup = self.backup_if_due().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the daily backup failed");
                None
            });
        }

        let through = self.setting("snapshots_through")?.and_then(|d| d.parse::<NaiveDate>().ok());
        let created = self
            .setting("created_at")?
            .and_then(|c| time::from_db(&c).ok())
            .map(|c| c.with_timezone(&tz).date_naive())
            .unwrap_or(today);
        let from = through.map_or(created, |d| d + Duration::days(1));
        if from <= yesterday {
            let tx = self.tx()?;
            let r = backfill(&tx, from, yesterday, now)?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('snapshots_through', ?1) ON CONFLICT (key) DO UPDATE SET value = ?1",
                [yesterday.to_string()],
            )?;
            tx.commit()?;
            report.snapshots = Some(r);
        }

        let last_run = self
            .setting("patterns_last_run")?
            .and_then(|c| time::from_db(&c).ok())
            .map(|c| c.with_timezone(&tz).date_naive());
        if last_run.is_none_or(|d| d < today) {
            report.patterns = Some(self.detect_patterns()?);
            crate::search::merge_search_index(&self.conn)?;
        }
        Ok(report)
    }
}
