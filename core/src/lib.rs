//! The engine room of WisdomOS. Every front end (the `wisdom` CLI, the desktop shell) goes through
//! one API: a [`Workspace`], an unlocked encrypted journal.
//!
//! Invariant: this crate knows nothing about Tauri, terminals or HTTP frameworks.
#![forbid(unsafe_code)]

pub mod api;
mod areas;
mod attachments;
mod autobiography;
mod backup;
mod boundaries;
mod check;
mod commitments;
pub mod corpus;
mod dashboard;
mod db;
mod error;
mod events;
mod export;
mod export_archive;
mod fsutil;
/// The fuzzing inputs core's tests/ use, for the unit tests' fuzzing too: one definition.
#[cfg(test)]
#[path = "../tests/common/fuzz.rs"]
mod fuzz_inputs;
mod ids;
mod import;
mod insights;
mod jobs;
mod keys;
pub mod meaning;
pub mod patterns;
mod practice;
mod prompts;
mod recovery;
mod registry;
pub mod reminders;
mod rhythm;
pub mod score;
mod search;
#[cfg(test)]
mod search_reference;
mod snapshots;
mod store;
pub mod sync;
pub mod synth;
mod templates;
#[cfg(test)]
mod testing;
pub mod text;
mod time;
mod workspace;
pub mod zone;

pub use attachments::AttachmentLimits;
pub use backup::retention;
pub use check::{CheckReport, CheckResult};
pub use error::{Error, ErrorKind, Restore, Result};
pub use export::{ExportDocument, Progress, ProgressFn};
pub use import::{
    parse_area_map, ImportFormat, ImportOptions, ImportPreview, ImportProblem, ImportReport, ImportRules, Suggest,
};
pub use jobs::DueReport;
pub use keys::{DataKey, KdfParams, KeyFile, Passphrase, RecoveryKey, Wrap};
pub use patterns::DetectReport;
pub use registry::{device_name, home_dir, new_workspace_path, Registry, RegistryEntry};
pub use search::fts_query;
pub use snapshots::SnapshotReport;
pub use sync::{SyncConflict, SyncReport, SyncStatus};
pub use time::Clock;
pub use wisdom_model as model;
pub use workspace::Workspace;
