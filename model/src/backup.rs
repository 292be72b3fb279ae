//! A workspace's backups as front ends list them (`wisdom backups`, the desktop's Settings).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupReason {
    /// The first use of the day.
    Daily,
    /// Asked for (`wisdom backup`).
    Manual,
    BeforeMigration,
    BeforeImport,
    BeforePassphraseChange,
    BeforeRestore,
}

impl BackupReason {
    pub const ALL: [BackupReason; 6] = [
        BackupReason::Daily,
        BackupReason::Manual,
        BackupReason::BeforeMigration,
        BackupReason::BeforeImport,
        BackupReason::BeforePassphraseChange,
        BackupReason::BeforeRestore,
    ];

    /// The kebab-case name used in file names and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::Manual => "manual",
            BackupReason::BeforeMigration => "before-migration",
            BackupReason::BeforeImport => "before-import",
            BackupReason::BeforePassphraseChange => "before-passphrase-change",
            BackupReason::BeforeRestore => "before-restore",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// In words, for tables and the desktop.
    pub fn label(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::Manual => "asked for",
            BackupReason::BeforeMigration => "before an upgrade",
            BackupReason::BeforeImport => "before an import",
            BackupReason::BeforePassphraseChange => "before a passphrase change",
            BackupReason::BeforeRestore => "before a restore",
        }
    }
}

/// Where a journal's backups go on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupFolder {
    /// The folder that holds this journal's backups (its own folder under the one chosen).
    pub path: PathBuf,
    /// Whether the person chose it; `false` is the default, `backups/` beside the journal.
    pub chosen: bool,
}

/// One backup: a copy of the encrypted workspace file and of the key file that opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    /// What `wisdom restore` takes, e.g. `20261130-182942-123` (its time in UTC).
    pub id: String,
    pub taken_at: DateTime<Utc>,
    /// The database copy's size in bytes (the key file adds well under 1 KiB).
    pub size_bytes: u64,
    pub reason: BackupReason,
    /// The database copy; its key file is beside it, with `.key` added.
    pub path: PathBuf,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub restored: Backup,
    /// The backup of the state just before the restore (none when that file could not be opened).
    pub safety_backup: Option<Backup>,
    /// Where a workspace file that could not be opened was set aside, instead of backed up.
    pub set_aside: Option<PathBuf>,
    /// The restored key file is the backup's own: the passphrase is now the one in force when the
    /// backup was taken, which differs from the one used to restore.
    pub passphrase_reverted: bool,
}
