use std::path::{Path, PathBuf};

use wisdom_model::Invalid;

/// Everything the core can refuse or fail at. Messages are meant for the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The passphrase does not unwrap this workspace's data key. Nothing was opened or written.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The recovery key does not unwrap this workspace's data key: mistyped, or replaced by a
    /// newer one. Nothing was changed.
    #[error("this recovery key does not open the journal: check it for typos; a key replaced by `wisdom recovery-key rotate` no longer works")]
    WrongRecoveryKey,
    #[error("{}: this journal has no recovery key; with its passphrase, make one with `wisdom recovery-key rotate`", .0.display())]
    NoRecoveryKey(PathBuf),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("{entity} {id:?} not found")]
    NotFound { entity: &'static str, id: String },
    /// An id prefix that matches more than one record.
    #[error("{entity} id {prefix:?} is ambiguous: it matches {count} records; give more characters")]
    Ambiguous { entity: &'static str, prefix: String, count: usize },
    /// A change the data's integrity does not allow, e.g. deleting an era that still has entries.
    #[error("{0}")]
    Conflict(String),
    /// A losing version cannot come back: a row it belongs to (or links to) was deleted since.
    #[error("cannot bring back this {entity}: the {needs} it refers to ({needs_id}) no longer exists; keep the current version, or recreate the {needs} first")]
    DependencyGone { entity: String, needs: String, needs_id: String },
    /// The conflict was already resolved (here or on another device); nothing was changed.
    #[error("conflict {id} is already resolved ({state}); nothing was changed")]
    AlreadyResolved { id: String, state: String },
    /// A bad record in an import; the whole import was rolled back.
    #[error("{location}: {message} (nothing was imported)")]
    Import { location: String, message: String },
    /// A source an import cannot read at all (a damaged archive, a file in another format, a
    /// zip bomb); nothing was imported.
    #[error("{location}: {problem} (nothing was imported)")]
    ImportSource { location: String, problem: crate::import::ImportProblem },
    /// A file larger than one attachment may be; nothing was attached.
    #[error("{name} is {}, more than the {} one attachment may be; nothing was attached", crate::attachments::shown_size(*.size), crate::attachments::shown_size(*.limit))]
    AttachmentTooLarge { name: String, size: u64, limit: u64 },
    /// Attaching would take the journal's attachments past their limit; nothing was attached.
    #[error("attaching {name} ({}) would take this journal's attachments past their limit ({} of {} used); remove some with `wisdom attachment rm`, nothing was attached", crate::attachments::shown_size(*.size), crate::attachments::shown_size(*.used), crate::attachments::shown_size(*.limit))]
    AttachmentQuota { name: String, size: u64, used: u64, limit: u64 },
    #[error("no workspace at {}: run `wisdom init` to create one", .0.display())]
    NoWorkspace(PathBuf),
    #[error("a workspace already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Another program kept the journal's write lock for longer than a write waits
    /// ([`crate::store::busy_wait`]). Nothing of this write was saved; trying again is safe.
    #[error(
        "the journal is busy in another WisdomOS program{}, which has held it for {} s; nothing was saved, try again when it is done",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default(),
        crate::store::busy_wait().as_secs()
    )]
    Busy { holder: Option<String> },
    /// The journal's files do not open or do not pass their checks: a damaged page, a file cut
    /// short or emptied, a key file missing or from another journal. `what` says which; `restore`
    /// is what to do about it, the same words for each.
    #[error("{}{what}; {restore}", path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Damaged { path: Option<PathBuf>, what: String, restore: Restore },
    /// A backup that did not pass its checks once written; it was removed, nothing else changed.
    #[error("the backup {} failed its check ({message}); it was not kept", path.display())]
    BackupFailed { path: PathBuf, message: String },
    #[error("database: {0}")]
    Db(rusqlite::Error),
    #[error("upgrading the workspace failed: {0}")]
    Migration(String),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The sync server answered with a refusal (its message says why).
    #[error("sync server refused ({status} {code}): {message}")]
    SyncServer { status: u16, code: String, message: String },
    /// No answer from the sync server; local changes stay queued.
    #[error("cannot reach the sync server ({0}); changes stay queued until the next sync")]
    SyncUnreachable(String),
    #[error("sync: {0}")]
    Sync(String),
    /// The language model is not installed on this device: meaning-based features are off.
    #[error("the language model is not available: {0}")]
    ModelUnavailable(String),
}

/// How a front end should treat an error: declared in model/ (the CLI's exit code, the desktop's
/// reaction); every core error is classified here, once.
pub use wisdom_model::ErrorKind;

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::WrongPassphrase | Error::WrongRecoveryKey => ErrorKind::WrongPassphrase,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Busy { .. } => ErrorKind::Busy,
            Error::SyncUnreachable(_) => ErrorKind::SyncUnreachable,
            Error::SyncServer { status: 401, .. } => ErrorKind::SyncAuth,
            Error::SyncServer { .. } => ErrorKind::SyncRefused,
            Error::ModelUnavailable(_) => ErrorKind::ModelUnavailable,
            Error::Damaged { .. } => ErrorKind::Damaged,
            Error::Invalid(_)
            | Error::Ambiguous { .. }
            | Error::Conflict(_)
            | Error::DependencyGone { .. }
            | Error::AlreadyResolved { .. }
            | Error::Import { .. }
            | Error::ImportSource { .. }
            | Error::AttachmentTooLarge { .. }
            | Error::AttachmentQuota { .. }
            | Error::AlreadyExists(_)
            | Error::NoRecoveryKey(_)
            | Error::NoWorkspace(_) => ErrorKind::BadInput,
            _ => ErrorKind::Other,
        }
    }

    /// The input field at fault, when the error names one (camelCase, as in the JSON shapes).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid(inv) => Some(&inv.field),
            _ => None,
        }
    }

    /// Adds what only the caller knows, the workspace file, to an error: which other program holds
    /// it when busy, which file is damaged.
    pub fn at(self, path: &Path) -> Error {
        match self {
            Error::Busy { holder: None } => Error::Busy { holder: crate::store::programs_using(path) },
            Error::Damaged { path: None, what, .. } => Error::damaged(path, what),
            e => e,
        }
    }

    /// The journal at `path` is damaged as `what` says; the advice names its newest backup.
    pub fn damaged(path: &Path, what: impl Into<String>) -> Error {
        Error::Damaged { path: Some(path.to_path_buf()), what: what.into(), restore: Restore::for_journal(path) }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    pub(crate) fn not_found(entity: &'static str, id: &str) -> Error {
        Error::NotFound { entity, id: id.to_string() }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => Error::Busy { holder: None },
            // SQLite's own words ("database disk image is malformed") mean nothing to the person:
            // they go to the log.
            Some(DatabaseCorrupt | NotADatabase) => {
                tracing::debug!(error = %e, "the journal file is damaged");
                Error::Damaged { path: None, what: "the journal file is damaged".into(), restore: Restore::default() }
            }
            _ => Error::Db(e),
        }
    }
}

/// What a person can do about a journal that is damaged: put a backup back, the newest when there
/// is one. The one wording of that advice for every damage (a front end without the CLI, the
/// desktop, words it its own way from `newest`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restore {
    /// The id of the journal's newest backup, when it has one.
    pub newest: Option<String>,
}

impl Restore {
    /// The advice for the journal at `path`, from its backups (read without a passphrase).
    pub(crate) fn for_journal(path: &Path) -> Restore {
        let backups = crate::Workspace::backups_of(path).unwrap_or_default();
        Restore { newest: backups.into_iter().next().map(|b| b.id) }
    }
}

impl std::fmt::Display for Restore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.newest {
            Some(id) => write!(
                f,
                "restore it and its key file from the newest backup with `wisdom restore {id}` (`wisdom backups` lists them all)"
            ),
            None => f.write_str(
                "restore it and its key file from a backup: `wisdom backups` lists them, `wisdom restore ID` puts one back",
            ),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
