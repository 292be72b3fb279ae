//! Where a workspace's backups live: `backups/<file name>/` beside it, or `<chosen>/<file name>/`
//! when the person chose a folder on this machine (another disk, a synced folder). The choice is
//! kept in the device registry by workspace id, never in the workspace, so it needs no passphrase
//! to read (a journal that no longer opens can still be restored) and does not travel to other
//! devices, whose folders are their own.

use std::fs;
use std::path::{Path, PathBuf};

use tracing::{info, warn};
use wisdom_model::{BackupFolder, Invalid};

use super::{list_in, verify};
use crate::error::{Error, Result};
use crate::fsutil::{self, FileLock};
use crate::keys::KeyFile;
use crate::registry::Registry;
use crate::workspace::Workspace;

/// Where the backups of the workspace at `path` live (its id read from its key file, for callers
/// that have no unlocked workspace).
pub fn folder(path: &Path) -> PathBuf {
    let id = KeyFile::read(&KeyFile::path_for(path)).map(|k| k.workspace_id).ok();
    folder_with(path, id.as_deref())
}

/// The same for the workspace `id` at `path`, whose id the caller knows.
pub(crate) fn folder_of(path: &Path, id: &str) -> PathBuf {
    folder_with(path, Some(id))
}

fn folder_with(path: &Path, id: Option<&str>) -> PathBuf {
    let name = path.file_name().unwrap_or_default();
    match chosen(path, id) {
        Some(dir) => dir.join(name),
        None => beside(path),
    }
}

/// `backups/<file name>/` in the workspace's own folder.
fn beside(path: &Path) -> PathBuf {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.join("backups").join(path.file_name().unwrap_or_default())
}

/// The folder chosen for workspace `id` on this machine; without an id (its key file is gone), the
/// registry's entry for its path says which workspace it is.
fn chosen(path: &Path, id: Option<&str>) -> Option<PathBuf> {
    let registry = match Registry::load(&Registry::default_path()) {
        Ok(r) => r,
        Err(e) => {
            warn!(error = %e, "the registry cannot be read; backups go beside the workspace");
            return None;
        }
    };
    let id = id.map(str::to_string).or_else(|| registry.find_by_path(path).map(|e| e.id.clone()))?;
    registry.backup_folder(&id).map(Path::to_path_buf)
}

impl Workspace {
    /// Keeps this workspace's backups in `dir` on this machine (None: beside the workspace again).
    /// The backups taken so far move there, each checked on arrival before its old copy goes, so
    /// none is lost if the move stops half-way. Returns the folder the backups are now in.
    pub fn set_backup_folder(&self, dir: Option<&Path>) -> Result<PathBuf> {
        if let Some(d) = dir {
            if !d.is_absolute() {
                return Err(Invalid::new("backup folder", d.display(), "a full path (starting with /)").into());
            }
            if d.starts_with(beside(&self.path)) {
                return Err(Invalid::new("backup folder", d.display(), "a folder outside the backups' own").into());
            }
        }
        let from = folder_of(&self.path, self.id());
        let to = match dir {
            Some(d) => d.join(self.path.file_name().unwrap_or_default()),
            None => beside(&self.path),
        };
        fs::create_dir_all(&to).map_err(|e| unusable(dir, &to, e))?;
        if from != to {
            let _held = FileLock::acquire(&from.join(".lock"))?;
            let _lock = FileLock::acquire(&to.join(".lock")).map_err(|e| match e {
                Error::Io { source, .. } => unusable(dir, &to, source),
                e => e,
            })?;
            let moved = move_all(&from, &to, self)?;
            info!(count = moved, to = %to.display(), "backups moved");
        }
        Registry::load(&Registry::default_path())?.set_backup_folder(self.id(), dir)?;
        Ok(to)
    }

    /// Where this workspace's backups go, and whether the person chose the folder (else they go
    /// beside the workspace).
    pub fn backup_folder(&self) -> BackupFolder {
        let chosen = chosen(&self.path, Some(self.id())).is_some();
        BackupFolder { path: folder_of(&self.path, self.id()), chosen }
    }
}

/// A chosen folder the backups cannot go to, said as what to choose instead (with the system's
/// reason in words: "permission denied", "not a directory", "read-only filesystem ...").
fn unusable(dir: Option<&Path>, to: &Path, e: std::io::Error) -> Error {
    match dir {
        Some(d) => {
            Invalid::new("backup folder", d.display(), format!("a folder this account can write in ({})", e.kind()))
                .into()
        }
        None => Error::Io { path: to.to_path_buf(), source: e },
    }
}

/// Moves every backup in `from` to `to`, oldest first: renamed when both are on one disk, else
/// copied, checked with `ws`'s key and then removed. A backup already in `to` is not copied again.
fn move_all(from: &Path, to: &Path, ws: &Workspace) -> Result<usize> {
    let mut backups = list_in(from)?;
    backups.reverse();
    for b in &backups {
        let name = b.path.file_name().unwrap_or_default();
        let (db, key) = (to.join(name), KeyFile::path_for(&to.join(name)));
        let key_from = KeyFile::path_for(&b.path);
        // The key file is copied first: at every moment one of the two places holds the database
        // with its key file (a key file alone is not a backup and is ignored).
        fs::copy(&key_from, &key).map_err(Error::io(&key))?;
        fsutil::sync_dir(to);
        if fs::rename(&b.path, &db).is_ok() {
            fs::remove_file(&key_from).map_err(Error::io(&key_from))?;
            continue;
        }
        // Another disk: the database under a temporary name, checked, then given its name; only
        // then are the originals removed.
        let tmp = to.join(format!(".{}.moving.tmp", b.id));
        fs::copy(&b.path, &tmp).map_err(Error::io(&tmp))?;
        if let Err(e) = verify(&tmp, ws.data_key()) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        fs::rename(&tmp, &db).map_err(Error::io(&db))?;
        fsutil::sync_dir(to);
        fs::remove_file(&b.path).map_err(Error::io(&b.path))?;
        fs::remove_file(&key_from).map_err(Error::io(&key_from))?;
    }
    let _ = fs::remove_file(from.join(".lock"));
    let _ = fs::remove_dir(from);
    Ok(backups.len())
}
