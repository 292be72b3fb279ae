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
            (_, ErrorKind::WrongPassphrase) => CommandErrorKind::WrongPassphrase,
            (_, ErrorKind::BadInput) => CommandErrorKind::BadInput,
            (_, ErrorKind::Other) => CommandErrorKind::Other,
        };
        let message = match kind {
            CommandErrorKind::WrongPassphrase => "That passphrase does not unlock this journal.".to_string(),
            _ => e.to_string(),
        };
        CommandError { kind, message, field }
    }
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
}
