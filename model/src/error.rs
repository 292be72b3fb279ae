//! How a front end should react to a failure, and the error every desktop command answers with.
//! Core classifies each of its errors into an [`ErrorKind`] once (`wisdom_core::Error::kind`); the
//! CLI turns the kind into an exit code, the shell sends it to the UI inside a [`ShellError`].

use serde::{Deserialize, Serialize};

/// What kind of failure it was, as far as any front end needs to know to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The passphrase (or recovery key) does not open this journal. Nothing was opened or written.
    WrongPassphrase,
    /// Input a person can fix: a rule broken, a name taken, an import file that cannot be read.
    BadInput,
    /// The record (or journal) asked for does not exist.
    NotFound,
    /// No journal is unlocked (the desktop goes back to its unlock screen).
    Locked,
    /// Another program holds the journal's write lock; nothing was saved, trying again is safe.
    Busy,
    /// The sync server could not be reached (offline, wrong address, server down).
    SyncUnreachable,
    /// The sync server did not accept the account or the session (wrong password, revoked device).
    SyncAuth,
    /// The sync server refused the request for another reason (e.g. the email already has an account).
    SyncRefused,
    /// The language model is not installed on this device: search by meaning is off (keyword
    /// search and everything else work).
    ModelUnavailable,
    /// The journal's files do not open or check (damaged, cut short, another journal's key file):
    /// nothing was changed, and one of its backups can replace it (the desktop offers them on the
    /// unlock screen, where such a journal stops).
    Damaged,
    Other,
}

/// The desktop shell's error, as the UI receives it: `{kind, message, field?}`. `kind` lets the UI
/// choose how to react (a wrong passphrase shakes the unlock form; bad input is shown beside its
/// field); `message` is already in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShellError {
    pub kind: ErrorKind,
    pub message: String,
    /// The camelCase input field at fault, when the core names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ShellError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ShellError { kind, message: message.into(), field: None }
    }

    pub fn locked() -> Self {
        ShellError::new(ErrorKind::Locked, "The journal is locked. Unlock it to continue.")
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        ShellError::new(ErrorKind::BadInput, message)
    }

    pub fn other(message: impl Into<String>) -> Self {
        ShellError::new(ErrorKind::Other, message)
    }

    pub fn is_locked(&self) -> bool {
        self.kind == ErrorKind::Locked
    }
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ShellError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_error_crosses_as_camel_case_json_without_an_empty_field() {
        let e = ShellError::new(ErrorKind::SyncUnreachable, "Cannot reach the sync server.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "syncUnreachable", "message": "Cannot reach the sync server." }));
        let back: ShellError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
