//! What the work that falls due with time did (snapshots, the daily pattern run, the daily
//! backup), as a front end receives it after an unlock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Backup, DetectReport};

/// What a snapshot back-fill took.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub created: usize,
    /// Snapshots that already existed for their (area, date, period) and were left as they were.
    pub existing: usize,
}

/// What one catch-up run did; each part is absent when it was not due.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DueReport {
    pub snapshots: Option<SnapshotReport>,
    pub patterns: Option<DetectReport>,
    /// The day's automatic backup, when this run took it.
    pub backup: Option<Backup>,
}
