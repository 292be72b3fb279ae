//! The open journal, as the desktop shell hands it to the UI.

use serde::{Deserialize, Serialize};

/// The unlocked journal: who it is, where it lives, and whether it holds anything yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInfo {
    pub id: String,
    pub name: String,
    pub path: String,
    /// Whether any event has been recorded.
    pub has_entries: bool,
}

impl WorkspaceInfo {
    /// Whether the desktop opens on the Today page: once there is a day to look back on. A new
    /// journal opens on the dashboard, which shows where to begin.
    pub fn opens_on_today(&self) -> bool {
        self.has_entries
    }
}

/// A journal just created, with its recovery key, shown to the person once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWorkspace {
    #[serde(flatten)]
    pub info: WorkspaceInfo,
    pub recovery_key: Option<String>,
}

/// A journal on this device's list (the registry), as an unlock screen offers it: no secret, and
/// nothing about its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceEntry {
    pub id: String,
    pub name: String,
    pub path: std::path::PathBuf,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_opened_at: Option<chrono::DateTime<chrono::Utc>>,
}
