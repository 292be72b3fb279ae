//! The one error shape the UI sees: model's [`ShellError`] (`{kind, message, field?}`). The kind is
//! core's own classification ([`wisdom_core::Error::kind`]); what the shell adds is only the
//! desktop's wording for the few errors whose core message speaks of the CLI or of transport detail.

use serde::Serialize;
use wisdom_core::Error;
use wisdom_model::commands::Reply;
use wisdom_model::{ErrorKind, ShellError};

/// [`ShellError`] as a command returns it: the same JSON, and `?` converts core's errors into it.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{0}")]
pub struct CommandError(pub ShellError);

impl CommandError {
    pub fn locked() -> Self {
        CommandError(ShellError::locked())
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        CommandError(ShellError::bad_input(message))
    }

    pub fn other(message: impl Into<String>) -> Self {
        CommandError(ShellError::other(message))
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let message = match &e {
            Error::WrongPassphrase => "That passphrase does not unlock this journal.".to_string(),
            Error::WrongRecoveryKey => "That recovery key does not open this journal. Check it for typos; a key \
                replaced by a newer one (Settings > Security) no longer works."
                .to_string(),
            Error::NoRecoveryKey(_) => "This journal has no recovery key, so its passphrase cannot be replaced. If \
                you remember the passphrase, unlock and make a recovery key in Settings > Security."
                .to_string(),
            // Said beside its field: what to put there, without the value back or the rule's syntax.
            Error::Invalid(inv) => format!("{}: use {}.", field_words(&inv.field), inv.allowed),
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
            // Core's advice names the CLI's commands; the desktop restores from the unlock screen
            // (where a journal that does not open stops; kind Damaged offers its backups there) or
            // from Settings while it is open.
            Error::Damaged { what, restore, .. } => {
                let then = match &restore.newest {
                    Some(id) => format!("Its newest backup, {id}, can replace it: Restore a backup."),
                    None => "No backup of it was found on this device.".to_string(),
                };
                format!("{} Nothing was changed. {then}", sentence(what))
            }
            _ => e.to_string(),
        };
        CommandError(ShellError { kind: e.kind(), message, field: e.field().map(str::to_string) })
    }
}

/// "recovery key" -> "Recovery key", "emotionalCharge" -> "Emotional charge".
fn field_words(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 2);
    for (i, c) in field.chars().enumerate() {
        match (i, c.is_uppercase()) {
            (0, _) => out.extend(c.to_uppercase()),
            (_, true) => {
                out.push(' ');
                out.extend(c.to_lowercase());
            }
            _ => out.push(c),
        }
    }
    out
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

/// What the handler of command `C` returns: `C`'s reply as model/ declares it, or the error.
pub type Answer<C> = CmdResult<Reply<C>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_kind_and_field() {
        let e: CommandError = Error::WrongPassphrase.into();
        assert_eq!(e.kind(), ErrorKind::WrongPassphrase);
        let e: CommandError = Error::NotFound { entity: "event", id: "evt_x".into() }.into();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let e: CommandError = Error::Invalid(wisdom_model::Invalid::new("title", "", "1 to 200 characters")).into();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert_eq!(e.0.field.as_deref(), Some("title"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "badInput");
        assert_eq!(json["field"], "title");
    }

    #[test]
    fn sync_failures_reach_the_ui_typed_and_in_plain_words() {
        let e: CommandError = Error::SyncUnreachable("http://127.0.0.1:9: connection refused".into()).into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "syncUnreachable");
        assert!(e.0.message.starts_with("Cannot reach the sync server"), "{}", e.0.message);
        assert!(!e.0.message.contains("127.0.0.1"), "no transport detail in the sentence: {}", e.0.message);
        let e: CommandError =
            Error::SyncServer { status: 401, code: "unauthorized".into(), message: "wrong email or password".into() }
                .into();
        assert_eq!(e.kind(), ErrorKind::SyncAuth);
        let e: CommandError = Error::SyncServer {
            status: 409,
            code: "conflict".into(),
            message: "an account with this email already exists; log in".into(),
        }
        .into();
        assert_eq!(e.kind(), ErrorKind::SyncRefused);
        assert_eq!(e.0.message, "An account with this email already exists; log in.");
    }

    #[test]
    fn a_missing_language_model_is_its_own_kind_in_plain_words() {
        let e: CommandError = Error::ModelUnavailable("no language model found (looked in /x)".into()).into();
        assert_eq!(serde_json::to_value(&e).unwrap()["kind"], "modelUnavailable");
        assert!(e.0.message.starts_with("Search by meaning needs the language model"), "{}", e.0.message);
        assert!(!e.0.message.contains("/x"), "no folder list in the sentence: {}", e.0.message);
    }

    #[test]
    fn bad_input_reads_as_what_to_put_in_the_field() {
        let e: CommandError = Error::Invalid(wisdom_model::Invalid::new("emotionalCharge", 9, "-5 to 5")).into();
        assert_eq!(e.0.message, "Emotional charge: use -5 to 5.");
        assert_eq!(e.0.field.as_deref(), Some("emotionalCharge"), "the field stays the core's name");
        let folder = wisdom_model::Invalid::new(
            "backup folder",
            "/etc/hostname",
            "a folder this account can write in (not a directory)",
        );
        let e: CommandError = Error::Invalid(folder).into();
        assert_eq!(e.0.message, "Backup folder: use a folder this account can write in (not a directory).");
    }

    #[test]
    fn recovery_key_failures_speak_of_the_desktop_not_the_cli() {
        let cases = [
            (Error::WrongRecoveryKey, ErrorKind::WrongPassphrase),
            (Error::NoRecoveryKey("/home/maria/diary.wisdom".into()), ErrorKind::BadInput),
        ];
        for (e, kind) in cases {
            let e: CommandError = e.into();
            assert_eq!(e.kind(), kind);
            assert!(e.0.message.contains("Settings > Security"), "{}", e.0.message);
            assert!(!e.0.message.contains("wisdom ") && !e.0.message.contains('`'), "{}", e.0.message);
        }
    }

    #[test]
    fn a_damaged_journal_names_its_newest_backup_in_the_desktops_words() {
        let damaged = |newest: Option<&str>| Error::Damaged {
            path: Some("/home/maria/diary.wisdom".into()),
            what: "the workspace file is empty (truncated)".into(),
            restore: wisdom_core::Restore { newest: newest.map(str::to_string) },
        };
        assert!(damaged(None).to_string().contains("`wisdom backups`"), "the CLI's words are core's");
        let e: CommandError = damaged(Some("20261202-132428-712")).into();
        assert_eq!(
            e.0.message,
            "The workspace file is empty (truncated). Nothing was changed. Its newest backup, 20261202-132428-712, \
             can replace it: Restore a backup."
        );
        assert_eq!(e.kind(), ErrorKind::Damaged, "the unlock screen offers the backups on this kind");
        let e: CommandError = damaged(None).into();
        assert!(e.0.message.ends_with("No backup of it was found on this device."), "{}", e.0.message);
        assert!(!e.0.message.contains("wisdom ") && !e.0.message.contains('`'), "{}", e.0.message);
    }

    #[test]
    fn a_busy_journal_is_told_apart_from_other_failures() {
        let e: CommandError = Error::Busy { holder: Some("wisdom import".into()) }.into();
        assert_eq!(e.kind(), ErrorKind::Busy);
        assert!(e.0.message.contains("try again"), "{}", e.0.message);
    }
}
