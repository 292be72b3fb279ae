//! The recovery key from the desktop: "Forgot passphrase?" on the unlock screen sets a new
//! passphrase with it and unlocks; Settings > Security says whether one is set and makes a new
//! one; a key on screen can be saved as a sheet to print. The key's format and sheet, the
//! passphrase's strength and the backup taken before the change are core's
//! (`Workspace::recover`, as `wisdom recover` uses it).

use std::path::Path;

use tauri::State;
use wisdom_core::{Clock, Passphrase, RecoveryKey, Workspace};
use wisdom_model::chooser::FilePurpose;
use wisdom_model::commands::*;
use zeroize::Zeroizing;

use super::{registry, AppState};
use crate::error::{Answer, CmdResult};

/// Sets a new passphrase with the recovery key, then unlocks the journal with it (as unlocking
/// does: any open journal is locked first, and the registry notes the opening).
#[tauri::command]
pub async fn recover_workspace(state: State<'_, AppState>, args: RecoverWorkspace) -> Answer<RecoverWorkspace> {
    let mut reg = registry()?;
    let entry = reg.entry(&args.id)?.clone();
    state.slot().take();
    let ws = recover_and_open(&entry.path, args.recovery_key, args.new_passphrase)?;
    reg.remember(&ws, None)?;
    let out = ws.info()?;
    state.opened(ws);
    Ok(out)
}

#[tauri::command]
pub async fn has_recovery_key(state: State<'_, AppState>, args: HasRecoveryKey) -> Answer<HasRecoveryKey> {
    let HasRecoveryKey {} = args;
    state.with(|ws| Workspace::has_recovery_key(ws.path()))
}

/// A new recovery key, to be shown once; the one before it no longer opens anything we keep.
#[tauri::command]
pub async fn rotate_recovery_key(state: State<'_, AppState>, args: RotateRecoveryKey) -> Answer<RotateRecoveryKey> {
    let path = state.with(|ws| Ok(ws.path().to_path_buf()))?;
    let key = Workspace::rotate_recovery_key(&path, &Passphrase::new(args.passphrase.0))?;
    let shown = key.display();
    Ok(Secret(shown.as_str().to_string()))
}

/// Saves a recovery key shown on screen as a sheet where the person chooses, in the system's save
/// chooser (so the window names no path itself); the text is parsed as a key first, so nothing
/// else can be written this way.
#[tauri::command]
pub async fn save_recovery_key(window: tauri::Window, args: SaveRecoveryKey) -> Answer<SaveRecoveryKey> {
    let SaveRecoveryKey { journal, key } = args;
    let key = RecoveryKey::parse(&Zeroizing::new(key.0)).map_err(wisdom_core::Error::from)?;
    let purpose = FilePurpose::recovery_key(super::files::documents_dir(), &journal);
    let Some(path) = super::files::pick_file(window, PickFile { purpose }).await? else {
        return Ok(None);
    };
    key.save_sheet(&path, &journal, chrono::Local::now().date_naive())?;
    tracing::info!("recovery key saved as a sheet");
    Ok(Some(path))
}

/// The journal at `path` with a new passphrase set by the recovery key as the person typed it,
/// opened with that passphrase. The typed key and the passphrase are wiped once used; a wrong or
/// malformed key, or a weak passphrase, changes nothing.
fn recover_and_open(path: &Path, typed: Secret, new: Secret) -> CmdResult<Workspace> {
    let typed = Zeroizing::new(typed.0);
    let key = RecoveryKey::parse(&typed).map_err(wisdom_core::Error::from)?;
    drop(typed);
    let new = Passphrase::new(new.0);
    Workspace::recover(path, &key, &new, None, Clock::system())?;
    drop(key);
    Ok(Workspace::open(path, &new, Clock::system())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisdom_core::{Error, KdfParams, KeyFile};
    use wisdom_model::ErrorKind;

    const OLD: &str = "maple window seventeen";
    const NEW: &str = "harbour lantern quietly";

    fn journal(dir: &Path) -> (std::path::PathBuf, String) {
        let path = dir.join("diary.wisdom");
        let mut ws =
            Workspace::create(&path, "Diary", &Passphrase::new(OLD), KdfParams::MINIMUM, Clock::system()).unwrap();
        let key = ws.take_recovery_key().unwrap().display().to_string();
        (path, key)
    }

    fn secret(s: &str) -> Secret {
        Secret(s.to_string())
    }

    #[test]
    fn a_wrong_or_malformed_key_changes_nothing_and_says_so_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = journal(dir.path());
        let key_file = std::fs::read(KeyFile::path_for(&path)).unwrap();

        let malformed = recover_and_open(&path, secret("ABCD-EFGH-1234"), secret(NEW)).err().unwrap();
        assert_eq!(malformed.kind(), ErrorKind::BadInput);
        assert_eq!(malformed.0.field.as_deref(), Some("recovery key"));
        assert_eq!(malformed.0.message, "Recovery key: use 32 characters (8 groups of 4).");

        let someone_elses = RecoveryKey::generate().display().to_string();
        let wrong = recover_and_open(&path, secret(&someone_elses), secret(NEW)).err().unwrap();
        assert_eq!(wrong.kind(), ErrorKind::WrongPassphrase);
        assert!(wrong.0.message.starts_with("That recovery key does not open this journal"), "{}", wrong.0.message);
        assert!(!wrong.0.message.contains("wisdom "), "no CLI command in the desktop's words: {}", wrong.0.message);

        assert_eq!(std::fs::read(KeyFile::path_for(&path)).unwrap(), key_file, "the key file is untouched");
        assert!(Workspace::backups_of(&path).unwrap().is_empty(), "nothing was backed up: nothing changed");
        Workspace::open(&path, &Passphrase::new(OLD), Clock::system()).unwrap();
    }

    #[test]
    fn the_key_as_typed_sets_the_new_passphrase_and_opens_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let (path, key) = journal(dir.path());
        let typed = key.to_lowercase().replace('-', " ");

        let weak = recover_and_open(&path, secret(&typed), secret("short")).err().unwrap();
        assert_eq!(weak.0.field.as_deref(), Some("passphrase"), "{:?}", weak.0);
        Workspace::open(&path, &Passphrase::new(OLD), Clock::system()).unwrap();

        let ws = recover_and_open(&path, secret(&typed), secret(NEW)).unwrap();
        assert_eq!(ws.name().unwrap(), "Diary");
        drop(ws);
        let old = Workspace::open(&path, &Passphrase::new(OLD), Clock::system());
        assert!(matches!(old, Err(Error::WrongPassphrase)), "the forgotten passphrase no longer opens it");
        Workspace::open(&path, &Passphrase::new(NEW), Clock::system()).unwrap();
        let before = Workspace::backups_of(&path).unwrap();
        assert_eq!(before.len(), 1, "the journal as it was is backed up first: {before:?}");
        assert_eq!(before[0].reason, wisdom_model::BackupReason::BeforePassphraseChange);
    }
}
