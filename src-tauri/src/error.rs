//! The one error shape the UI sees: `{kind, message, field?}`. `kind` lets the UI choose how to react
//! (a wrong passphrase shakes the unlock form; bad input is shown beside its field); `message` is
//! already in plain words, straight from the core.

use serde::Serialize;
use wisdom_core::{Error, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CommandErrorKind {
    WrongPassphrase,
    BadInput,
    NotFound,
    /// No workspace is unlocked (the UI goes back to the unlock screen).
    Locked,
    /// The sync server could not be reached (offline, wrong address, server down).
    SyncUnreachable,
    /// The sync server did not accept the account or the session (wrong password, revoked device).
    SyncAuth,
    /// The sync server refused the request for another reason (e.g. the email already has an account).
    SyncRefused,
    /// The language model is not installed on this device: search by meaning is off (keyword search
    /// and everything else work).
    ModelUnavailable,
    Other,
}

#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct CommandError {
    pub kind: CommandErrorKind,
    pub message: String,
    /// The camelCase input field at fault, when the core names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CommandError {
    pub fn locked() -> Self {
        CommandError {
            kind: CommandErrorKind::Locked,
            message: "The journal is locked. Unlock it to continue.".into(),
            field: None,
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        CommandError { kind: CommandErrorKind::BadInput, message: message.into(), field: None }
    }

    pub fn other(message: impl Into<String>) -> Self {
        CommandError { kind: CommandErrorKind::Other, message: message.into(), field: None }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let field = match &e {
            Error::Invalid(inv) => Some(inv.field.clone()),
            _ => None,
        };
        let kind = match (&e, e.kind()) {
            (Error::NotFound { .. }, _) => CommandErrorKind::NotFound,
            (Error::SyncUnreachable(_), _) => CommandErrorKind::SyncUnreachable,
            (Error::SyncServer { status: 401, .. }, _) => CommandErrorKind::SyncAuth,
            (Error::SyncServer { .. }, _) => CommandErrorKind::SyncRefused,
            (Error::ModelUnavailable(_), _) => CommandErrorKind::ModelUnavailable,
            (_, ErrorKind::WrongPassphrase) => CommandErrorKind::WrongPassphrase,
            (_, ErrorKind::BadInput) => CommandErrorKind::BadInput,
            (_, ErrorKind::Other) => CommandErrorKind::Other,
        };
        let message = match &e {
            Error::WrongPassphrase => "That passphrase does not unlock this journal.".to_string(),
            Error::SyncUnreachable(_) => {
                "Cannot reach the sync server. Check its address and your connection; changes wait on this device."
                    .to_string()
            }
            Error::SyncServer { status: 401, .. } => {
                "The sync server no longer accepts this device (signed out or revoked). Sign in again.".to_string()
            }
            // The server's own words, which say what to do ("an account with this email already exists; log in").
            Error::SyncServer { message, .. } => sentence(message),
            Error::Sync(message) => sentence(message),
            // Where the app looked for it is in the log; the person needs to know what still works.
            Error::ModelUnavailable(_) => {
                "Search by meaning needs the language model, which is not installed on this device. Keyword search still works."
                    .to_string()
            }
            _ => e.to_string(),
        };
        CommandError { kind, message, field }
    }
}

/// "an account exists; log in" -> "An account exists; log in."
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String =
        chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

pub type CmdResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_kind_and_field() {
        let e: CommandError = Error::WrongPassphrase.into();
        assert_eq!(e.kind, CommandErrorKind::WrongPassphrase);
        let e: CommandError = Error::NotFound { entity: "event", id: "evt_x".into() }.into();
        assert_eq!(e.kind, CommandErrorKind::NotFound);
        let e: CommandError = Error::Invalid(wisdom_model::Invalid::new("title", "", "1 to 200 characters")).into();
        assert_eq!(e.kind, CommandErrorKind::BadInput);
        assert_eq!(e.field.as_deref(), Some("title"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "badInput");
        assert_eq!(json["field"], "title");
    }

    #[test]
    fn sync_failures_reach_the_ui_typed_and_in_plain_words() {
        let e: CommandError = Error::SyncUnreachable("http://127.0.0.1:9: connection refused".into()).into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "syncUnreachable");
        assert!(e.message.starts_with("Cannot reach the sync server"), "{}", e.message);
        assert!(!e.message.contains("127.0.0.1"), "no transport detail in the sentence: {}", e.message);
        let e: CommandError =
            Error::SyncServer { status: 401, code: "unauthorized".into(), message: "wrong email or password".into() }
                .into();
        assert_eq!(e.kind, CommandErrorKind::SyncAuth);
        let e: CommandError = Error::SyncServer {
            status: 409,
            code: "conflict".into(),
            message: "an account with this email already exists; log in".into(),
        }
        .into();
        assert_eq!(e.kind, CommandErrorKind::SyncRefused);
        assert_eq!(e.message, "An account with this email already exists; log in.");
    }

    #[test]
    fn a_missing_language_model_is_its_own_kind_in_plain_words() {
        let e: CommandError = Error::ModelUnavailable("no language model found (looked in /x)".into()).into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "modelUnavailable");
        assert!(e.message.starts_with("Search by meaning needs the language model"), "{}", e.message);
        assert!(!e.message.contains("/x"), "no folder list in the sentence: {}", e.message);
    }
}
