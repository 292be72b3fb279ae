//! The desktop shell's commands: for each, its name, its arguments (one struct) and its reply.
//! The shell's `#[tauri::command]` handlers take these structs and return these replies, and the
//! UI sends them through one typed call (`ui/src/api.rs`), so a renamed command, field or reply
//! type fails to compile on both sides instead of failing at run time. A command's arguments
//! cross as `{"args": {...}}` (camelCase fields); errors as [`crate::ShellError`].

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::check::CheckReport;
use crate::chooser::FilePurpose;
use crate::jobs::DueReport;
use crate::sync::{Conflict, DeviceInfo, SyncActivity, SyncReport, SyncStatus};
use crate::*;

/// One command of the desktop shell.
pub trait Command: Serialize + DeserializeOwned {
    /// The name the shell registers it under (its handler's function name).
    const NAME: &'static str;
    /// What it answers on success.
    type Reply: Serialize + DeserializeOwned;
}

/// The event the shell sends while an import runs, with a [`Progress`] (at most one a per cent).
pub const IMPORT_PROGRESS: &str = "wisdom://import-progress";

/// Whether `handler` is the name `C` is registered under: for a compile-time check beside the
/// shell's list of handlers (`const` so a mismatch fails the build).
pub const fn registered_as<C: Command>(handler: &str) -> bool {
    let (a, b) = (C::NAME.as_bytes(), handler.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// What command `C` answers with.
pub type Reply<C> = <C as Command>::Reply;

/// A passphrase or password on its way to the shell: never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Declares each command's argument struct and its [`Command`] impl, and [`ALL`], their names.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $name:ident => $ty:ident { $($field:ident : $fty:ty),* $(,)? } -> $reply:ty;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(rename_all = "camelCase")]
            pub struct $ty { $(pub $field: $fty),* }

            impl Command for $ty {
                const NAME: &'static str = stringify!($name);
                type Reply = $reply;
            }
        )*

        /// Every command's name, in the order above.
        pub const ALL: &[&str] = &[$(stringify!($name)),*];
    };
}

commands! {
    // ---- journals on this device ----
    /// The journals this device knows (its registry), for the unlock screen.
    list_workspaces => ListWorkspaces {} -> Vec<WorkspaceEntry>;
    /// The unlocked journal, if any.
    current_workspace => CurrentWorkspace {} -> Option<WorkspaceInfo>;
    /// Creates a journal in the default place and unlocks it; its recovery key is in the reply.
    create_workspace => CreateWorkspace { name: String, passphrase: Secret } -> CreatedWorkspace;
    unlock_workspace => UnlockWorkspace { id: String, passphrase: Secret } -> WorkspaceInfo;
    /// "Forgot passphrase?": sets a new passphrase with the recovery key (the journal is backed up
    /// first), then unlocks with it. A wrong or malformed key changes nothing.
    recover_workspace => RecoverWorkspace { id: String, recovery_key: Secret, new_passphrase: Secret } -> WorkspaceInfo;
    lock_workspace => LockWorkspace {} -> ();
    /// The backups of the open journal (`workspace` None) or, from the unlock screen, of this
    /// device's journal with that id: one that no longer opens can still be restored.
    list_backups => ListBackups { workspace: Option<String> } -> Vec<Backup>;
    backup_now => BackupNow {} -> Backup;
    /// Checks the open journal's file: encrypted pages, structure, references, search index.
    check_journal => CheckJournal {} -> CheckReport;
    /// Restores a backup of the open journal (`workspace` None) or of this device's journal with
    /// that id, then locks (the journal was replaced under the open one).
    restore_backup => RestoreBackup { workspace: Option<String>, id: String, passphrase: Secret } -> RestoreReport;
    change_passphrase => ChangePassphrase { old: Secret, new: Secret } -> ();
    /// Whether the open journal has a recovery key.
    has_recovery_key => HasRecoveryKey {} -> bool;
    /// Makes a new recovery key (the passphrase unlocks), to be shown once; the old one stops working.
    rotate_recovery_key => RotateRecoveryKey { passphrase: Secret } -> Secret;
    /// Saves a recovery key on screen as a sheet to print or keep (the system's save chooser, in
    /// front of the window; None if the person cancels); only a well-formed key is written.
    save_recovery_key => SaveRecoveryKey { journal: String, key: Secret } -> Option<PathBuf>;
    /// Where the open journal's backups go, and whether the person chose that folder.
    backup_folder => GetBackupFolder {} -> BackupFolder;
    /// Keeps the backups in `folder` on this device (None: beside the journal again); those taken
    /// so far move there.
    set_backup_folder => SetBackupFolder { folder: Option<PathBuf> } -> BackupFolder;
    rename_workspace => RenameWorkspace { name: String } -> WorkspaceInfo;

    // ---- life areas and the dashboard ----
    life_areas => LifeAreas {} -> Vec<LifeArea>;
    life_area => GetLifeArea { area: String } -> LifeArea;
    score_breakdown => GetScoreBreakdown { area: String } -> ScoreBreakdown;
    refresh_scores => RefreshScores {} -> ();
    dashboard => GetDashboard {} -> Dashboard;

    // ---- the daily practice ----
    today_overview => TodayOverview {} -> Today;
    calendar => GetCalendar { year: i32 } -> Calendar;
    list_prompts => ListPrompts {} -> Vec<ReflectionPrompt>;
    add_prompt => AddPrompt { prompt: NewPrompt } -> ReflectionPrompt;
    edit_prompt => EditPrompt { id: String, text: String } -> ReflectionPrompt;
    set_prompt_hidden => SetPromptHidden { id: String, hidden: bool } -> ReflectionPrompt;
    practice_settings => GetPracticeSettings {} -> PracticeSettings;
    set_practice_settings => SetPracticeSettings { settings: PracticeSettings } -> PracticeSettings;

    // ---- an entry's files ----
    /// The files on an event or autobiography entry, each photo with its thumbnail.
    entry_attachments => EntryAttachments { kind: EntryKind, entry_id: String } -> Vec<AttachmentPreview>;
    /// Attaches the file at `path` (typed or pasted by the person) to an entry.
    attach_file => AttachFile { kind: EntryKind, entry_id: String, path: PathBuf } -> Vec<Attachment>;
    /// Attaches a file pasted into the window: its name and its bytes as a `data:` URL (what the
    /// web view's `FileReader` gives).
    attach_pasted => AttachPasted { kind: EntryKind, entry_id: String, file_name: String, data_url: String } -> Attachment;
    delete_attachment => DeleteAttachment { id: String } -> Attachment;
    /// A photo at full size as a `data:` URL, for the window to show
    /// ([`Attachment::shows_full_size`]); a bad-input error for any other file.
    attachment_image => AttachmentImage { id: String } -> String;

    // ---- events, templates and search ----
    create_event => CreateEvent { event: NewEvent } -> EventCreated;
    update_event => UpdateEvent { id: String, patch: EventPatch } -> Event;
    delete_event => DeleteEvent { id: String } -> Event;
    list_events => ListEvents { filter: EventFilter } -> Vec<Event>;
    /// Every tag in use, with how many events carry it.
    tags => Tags {} -> Vec<(String, u64)>;
    list_templates => ListTemplates {} -> Vec<Template>;
    /// Saves a template (a known name is replaced).
    save_template => SaveTemplate { template: NewTemplate } -> Template;
    delete_template => DeleteTemplate { name: String } -> Template;
    search => Search { query: String, limit: u32 } -> Vec<SearchHit>;
    /// Entries that mean what the query says, even without a shared word, mixed with keyword matches.
    search_by_meaning => SearchByMeaning { query: String, limit: u32 } -> Vec<SearchHit>;
    /// The area, type and tone a new entry most likely has; nothing without the language model.
    suggest_for_text => SuggestForText { text: String } -> Option<EntrySuggestion>;
    /// How much of the journal the language model has read, and whether it is reading now.
    meaning_status => GetMeaningStatus {} -> MeaningActivity;

    // ---- insights, patterns and snapshots ----
    list_insights => ListInsights { filter: InsightFilter } -> Vec<Insight>;
    create_insight => CreateInsight { insight: NewInsight } -> Insight;
    apply_insight => ApplyInsight { id: String } -> Insight;
    dismiss_insight => DismissInsight { id: String } -> Insight;
    /// Applies an insight and records the commitment it leads to, in one step.
    commit_to_insight => CommitToInsight { insight: String, commitment: NewCommitment } -> InsightCommitted;
    detect_patterns => DetectPatterns {} -> DetectReport;
    /// Catch-up work after an unlock (missed snapshots, the daily pattern run, the daily backup).
    run_due_jobs => RunDueJobs {} -> DueReport;
    snapshots => Snapshots { area: String, period: SnapshotPeriod, from: NaiveDate, to: NaiveDate } -> Vec<MetricSnapshot>;

    // ---- commitments and boundaries ----
    list_commitments => ListCommitments { filter: CommitmentFilter } -> Vec<Commitment>;
    create_commitment => CreateCommitment { commitment: NewCommitment } -> Commitment;
    update_commitment => UpdateCommitment { id: String, patch: CommitmentPatch } -> Commitment;
    set_commitment_status => SetCommitmentStatus { id: String, status: CommitmentStatus } -> Commitment;
    list_boundaries => ListBoundaries { filter: BoundaryFilter } -> Vec<Boundary>;
    create_boundary => CreateBoundary { boundary: NewBoundary } -> Boundary;
    log_violation => LogViolation { boundary: String, violation: NewViolation } -> ViolationLogged;

    // ---- the autobiography ----
    eras => Eras {} -> Vec<Era>;
    create_era => CreateEra { era: NewEra } -> Era;
    list_autobiography => ListAutobiography { filter: AutobiographyFilter } -> Vec<AutobiographyEntry>;
    create_autobiography_entry => CreateAutobiographyEntry { entry: NewAutobiographyEntry } -> AutobiographyEntry;
    update_autobiography_entry => UpdateAutobiographyEntry { id: String, patch: AutobiographyPatch } -> AutobiographyEntry;

    // ---- export and import ----
    /// Where exports go unless the person names a file.
    default_export_dir => DefaultExportDir {} -> PathBuf;
    /// Whether `path` is a folder (false when it is a file or is not there): for a dropped path.
    is_folder => IsFolder { path: PathBuf } -> bool;
    /// The system's file chooser, asked as `purpose` says; None when the person closed it.
    pick_file => PickFile { purpose: FilePurpose } -> Option<PathBuf>;
    /// Writes the whole journal to `path` as `json` or `markdown`.
    export_workspace => ExportWorkspace { path: PathBuf, format: ExportFormat } -> PathBuf;
    /// Imports `path` as `format`, filing entries by the person's `rules`; while it runs the shell
    /// sends [`IMPORT_PROGRESS`] events.
    import_file => ImportFile { path: PathBuf, format: ImportFormat, rules: ImportRules } -> ImportReport;
    /// What importing `path` would do (formats from other apps, `ImportFormat::keeps_source_ids`):
    /// counts, dates, where entries go and why, what is left out; nothing is written.
    preview_import => PreviewImport { path: PathBuf, format: ImportFormat, rules: ImportRules } -> ImportPreview;

    // ---- sync ----
    /// Creates an account on a server and puts this journal on it.
    sync_register => SyncRegister { account: SyncAccount } -> SyncStatus;
    /// Signs this device in to an existing account and links this journal.
    sync_login => SyncLogin { account: SyncAccount } -> SyncStatus;
    /// Sets this device up with a journal already synced from another; it is unlocked afterwards.
    sync_link_device => SyncLinkDevice { account: SyncAccount, passphrase: Secret } -> WorkspaceInfo;
    sync_now => SyncNow {} -> SyncReport;
    sync_status => GetSyncStatus {} -> Option<SyncStatus>;
    /// The background sync's state, for the sidebar (never waits on a running sync).
    sync_activity => GetSyncActivity {} -> SyncActivity;
    sync_logout => SyncLogout {} -> ();
    sync_devices => SyncDevices {} -> Vec<DeviceInfo>;
    sync_revoke_device => SyncRevokeDevice { device_id: String } -> ();
    /// Versions that lost a sync conflict on any device of the account: open ones, or all.
    sync_conflicts => SyncConflicts { all: bool } -> Vec<Conflict>;
    /// Keeps the current version, restores the losing one or keeps both; the decision syncs.
    resolve_conflict => ResolveConflict { id: String, how: Resolution } -> Conflict;
}

/// A sync account as a sign-up or sign-in form gives it. `device` is this device's name on the
/// server (the host name when absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncAccount {
    pub server: String,
    pub email: String,
    pub password: Secret,
    pub device: Option<String>,
}

impl From<SyncAccount> for SyncRegister {
    fn from(account: SyncAccount) -> Self {
        SyncRegister { account }
    }
}

impl From<SyncAccount> for SyncLogin {
    fn from(account: SyncAccount) -> Self {
        SyncLogin { account }
    }
}

/// How a journal is exported from the desktop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Everything, re-importable.
    #[default]
    Json,
    /// One readable document.
    Markdown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_own_name() {
        let mut names = ALL.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert_eq!(ListEvents::NAME, "list_events");
    }

    #[test]
    fn a_patch_crosses_with_only_what_it_changes() {
        // "Absent" keeps a field and null clears it: an untouched field must not cross as null.
        let args =
            UpdateCommitment { id: "cmt_1".into(), patch: CommitmentPatch { reviewed: true, ..Default::default() } };
        let json = serde_json::to_value(&args).unwrap();
        for kept in ["lifeArea", "measurable", "nextReviewAt"] {
            assert!(json["patch"].get(kept).is_none(), "{kept} must not cross: {json}");
        }
        let back: UpdateCommitment = serde_json::from_value(json).unwrap();
        assert_eq!(back, args);
        let cleared = EventPatch { narrative: Some(None), ..Default::default() };
        let back: EventPatch = serde_json::from_value(serde_json::to_value(&cleared).unwrap()).unwrap();
        assert_eq!(back, cleared);
        fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Default>() {
            let back: T = serde_json::from_value(serde_json::to_value(T::default()).unwrap()).unwrap();
            assert_eq!(back, T::default());
        }
        round_trips::<EventPatch>();
        round_trips::<InsightPatch>();
        round_trips::<BoundaryPatch>();
        round_trips::<AutobiographyPatch>();
    }

    #[test]
    fn arguments_cross_in_camel_case_and_secrets_never_reach_debug() {
        let args = SyncLinkDevice {
            account: SyncAccount {
                server: "https://sync.example.org".into(),
                email: "maria@example.org".into(),
                password: Secret("correct horse battery".into()),
                device: None,
            },
            passphrase: Secret("tram lemon quietly orbit".into()),
        };
        let json = serde_json::to_value(&args).unwrap();
        assert_eq!(json["passphrase"], "tram lemon quietly orbit");
        assert_eq!(json["account"]["password"], "correct horse battery");
        let shown = format!("{args:?}");
        assert!(!shown.contains("horse") && !shown.contains("lemon"), "{shown}");
        let recover = RecoverWorkspace {
            id: "ws_1".into(),
            recovery_key: Secret("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567".into()),
            new_passphrase: Secret("tram lemon quietly orbit".into()),
        };
        let json = serde_json::to_value(&recover).unwrap();
        assert_eq!(json["recoveryKey"], "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567");
        assert_eq!(json["newPassphrase"], "tram lemon quietly orbit");
        let shown = format!("{recover:?}");
        assert!(!shown.contains("ABCD") && !shown.contains("lemon"), "{shown}");
        let revoke = serde_json::to_value(SyncRevokeDevice { device_id: "dev_1".into() }).unwrap();
        assert_eq!(revoke, serde_json::json!({ "deviceId": "dev_1" }));
    }
}
