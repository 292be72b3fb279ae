//! Putting a backup back. The state being replaced is backed up first; the database is restored
//! through SQLite's backup API into the live file (one write transaction: other programs see the
//! old journal or the restored one, never a mix, and a stale WAL can never be replayed onto it),
//! then the backup's key file replaces the current one. Both key files wrap the same data key, so
//! a crash between the two steps leaves a journal that opens either way.
//! A workspace file that does not open or check is set aside (renamed, never deleted) and the
//! backup copied into its place; so is another journal's key file put beside it by mistake.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;
use tracing::{info, warn};
use wisdom_model::{Backup, BackupReason, RestoreReport};

use super::{copy_pages, take, verify, with_suffix};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::keys::{DataKey, KeyFile, Passphrase};
use crate::store;
use crate::time::Clock;
use crate::workspace::Workspace;

impl Workspace {
    /// Restores backup `id` over the workspace at `path`, unlocking with `pass`: the passphrase in
    /// force now or the one in force when the backup was taken. The restored key file is the
    /// backup's, so afterwards the passphrase is the backup's ([`RestoreReport::passphrase_reverted`]).
    pub fn restore_backup(path: &Path, id: &str, pass: &Passphrase, clock: Clock) -> Result<RestoreReport> {
        let restored =
            Self::backups_of(path)?.into_iter().find(|b| b.id == id).ok_or_else(|| Error::not_found("backup", id))?;
        let key_path = KeyFile::path_for(path);
        let _changing = KeyFile::lock_changes(path)?;
        let backup_key_file = KeyFile::read(&KeyFile::path_for(&restored.path))?;
        let mut current_key_file = KeyFile::read(&key_path).ok();
        if let Some(foreign) = current_key_file.take_if(|c| is_foreign(c, path, &restored, &backup_key_file, pass)) {
            let aside = with_suffix(&key_path, &format!(".{}", foreign.workspace_id));
            warn!(aside = %aside.display(), "the key file beside the workspace belongs to another journal; setting it aside");
            fs::rename(&key_path, &aside).map_err(Error::io(&key_path))?;
        }
        let current = current_key_file.as_ref().map(|k| (k, key_path.as_path()));
        let (key, passphrase_reverted) = unwrap_key(&restored, &backup_key_file, current, pass)?;
        verify(&restored.path, &key)?;

        let (safety_backup, set_aside) =
            match restore_into_live(path, &restored, &key, current_key_file.as_ref(), &clock) {
                Ok(safety) => (Some(safety), None),
                Err(e) if unopenable(&e) => {
                    warn!(error = %e, "the current workspace file does not open or check; setting it aside");
                    let aside = set_aside(path, &restored.id)?;
                    place_copy(&restored.path, path)?;
                    (None, Some(aside))
                }
                Err(e) => return Err(e.at(path)),
            };
        // The recovery key is the person's, not the journal's state: the current one stays.
        let mut key_file = backup_key_file;
        if let Some(r) = current_key_file.and_then(|c| c.recovery) {
            key_file.recovery = Some(r);
        }
        key_file.write(&key_path)?;
        info!(id = %restored.id, "backup restored");
        Ok(RestoreReport { restored, safety_backup, set_aside, passphrase_reverted })
    }
}

/// Whether `current`, the key file beside the workspace, is another journal's put there by mistake:
/// it names another workspace than the backup, yet the backup's key opens the workspace file, so
/// the file is the backup's journal (a data key is random to its journal). Restoring then brings
/// back the journal's own key file; a workspace file that is really another journal's (the
/// backup's key does not open it) is refused by [`unwrap_key`].
fn is_foreign(current: &KeyFile, path: &Path, backup: &Backup, backup_key_file: &KeyFile, pass: &Passphrase) -> bool {
    current.workspace_id != backup_key_file.workspace_id
        && backup_key_file
            .open(pass, &KeyFile::path_for(&backup.path))
            .is_ok_and(|key| store::open_keyed(path, Some(&key), OpenFlags::empty()).is_ok())
}

/// The data key, from the backup's key file or else the current one (the same key, wrapped under
/// the passphrase of its time); whether the backup's passphrase differs from `pass`.
fn unwrap_key(
    backup: &Backup,
    backup_key_file: &KeyFile,
    current: Option<(&KeyFile, &Path)>,
    pass: &Passphrase,
) -> Result<(DataKey, bool)> {
    if let Some((c, _)) = current.filter(|(c, _)| c.workspace_id != backup_key_file.workspace_id) {
        return Err(Error::Conflict(format!(
            "backup {} belongs to workspace {}, not to {}",
            backup.id, backup_key_file.workspace_id, c.workspace_id
        )));
    }
    match backup_key_file.open(pass, &KeyFile::path_for(&backup.path)) {
        Ok(key) => Ok((key, false)),
        Err(Error::WrongPassphrase) => match current {
            Some((c, at)) => Ok((c.open(pass, at)?, true)),
            None => Err(Error::WrongPassphrase),
        },
        Err(e) => Err(e),
    }
}

/// Backs up the live file, then copies the backup's pages into it.
fn restore_into_live(
    path: &Path,
    restored: &Backup,
    key: &DataKey,
    current_key_file: Option<&KeyFile>,
    clock: &Clock,
) -> Result<Backup> {
    if fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        return Err(Error::NoWorkspace(path.to_path_buf()));
    }
    let mut live = store::connect(path, key, OpenFlags::empty())?;
    let key_file = match current_key_file {
        Some(k) => k.clone(),
        None => KeyFile::read(&KeyFile::path_for(&restored.path))?,
    };
    let safety = take(&live, path, key, &key_file, BackupReason::BeforeRestore, clock.now())?;
    let source = store::open_keyed(&restored.path, Some(key), OpenFlags::empty())?;
    copy_pages(&source, &mut live)?;
    Ok(safety)
}

/// Errors that mean the live file cannot be backed up or restored into, only replaced.
fn unopenable(e: &Error) -> bool {
    matches!(e, Error::NoWorkspace(_) | Error::Corrupt { .. } | Error::Damaged { .. } | Error::BackupFailed { .. })
}

/// Renames the workspace file (and its WAL files, which belong to it) to `NAME.damaged-ID`.
fn set_aside(path: &Path, id: &str) -> Result<PathBuf> {
    let aside = with_suffix(path, &format!(".damaged-{id}"));
    if path.exists() {
        fs::rename(path, &aside).map_err(Error::io(path))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(path, suffix);
        if side.exists() {
            fs::rename(&side, with_suffix(&aside, suffix)).map_err(Error::io(&side))?;
        }
    }
    Ok(aside)
}

/// Copies `from` to `to` through a synced temporary file and a rename.
fn place_copy(from: &Path, to: &Path) -> Result<()> {
    let tmp = with_suffix(to, &format!(".{}.restore.tmp", std::process::id()));
    let copied = fs::copy(from, &tmp).and_then(|_| fs::File::open(&tmp)?.sync_all());
    if let Err(e) = copied {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io { path: tmp, source: e });
    }
    fs::rename(&tmp, to).map_err(Error::io(to))?;
    if let Some(dir) = to.parent() {
        fsutil::sync_dir(dir);
    }
    Ok(())
}
