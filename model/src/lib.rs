//! Pure domain types of WisdomOS: the entities a person records, their enums, the rules a value must
//! satisfy before it is stored, and the camelCase JSON shapes every front end speaks.
//!
//! Invariant: this crate does no I/O and depends only on serde and chrono, so the Yew UI (wasm32) and
//! every native crate share one definition of each type.
#![forbid(unsafe_code)]

pub mod areas;
pub mod attachments;
pub mod backup;
pub mod check;
pub mod chooser;
pub mod commands;
pub mod dashboard;
pub mod entities;
pub mod enums;
pub mod error;
pub mod import;
pub mod inputs;
pub mod jobs;
pub mod meaning;
pub mod patterns;
pub mod practice;
pub mod rhythm;
pub mod sync;
pub mod templates;
pub mod validate;
pub mod workspace;

pub use areas::{AreaSpec, LIFE_AREAS};
pub use attachments::{Attachment, AttachmentPreview, AttachmentUsage, EntryKind};
pub use backup::{Backup, BackupFolder, BackupReason, RestoreReport};
pub use dashboard::*;
pub use entities::*;
pub use enums::*;
pub use error::{ErrorKind, ShellError};
pub use import::{
    ImportFormat, ImportMapping, ImportOptions, ImportPart, ImportPreview, ImportReport, ImportRules, ImportSample,
    ImportSkip, MappingTarget, Progress, Suggest,
};
pub use inputs::*;
pub use jobs::{DueReport, SnapshotReport};
pub use meaning::{EntrySuggestion, MeaningActivity, MeaningStatus};
pub use patterns::{DetectReport, PatternEngine};
pub use practice::{NewPrompt, PracticeSettings, PromptScope, ReflectionPrompt, Reminder, ReminderKind};
pub use rhythm::{Calendar, CalendarDay, DailyPrompt, OnThisDay, Rhythm, Today};
pub use templates::{NewTemplate, Template, TemplateFields};
pub use validate::{Invalid, Limits};
pub use workspace::{CreatedWorkspace, WorkspaceEntry, WorkspaceInfo};
