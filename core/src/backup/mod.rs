//! Backups that happen by themselves: a rolling set of copies of a workspace file, each with the
//! key file that opens it, in `backups/<file name>/` beside the workspace. Taken at the first use of
//! a day (`run_due_jobs`, never inside a write), before every migration, import, passphrase change
//! and restore, and when asked; kept by [`retention`]'s rule.
//!
//! A copy is made with SQLite's online backup API from the keyed connection into a new file keyed
//! with the same data key: SQLCipher re-encrypts every page on the way, so the copy is never in the
//! clear. The copy runs as one step, which is one read transaction on the source: under WAL other
//! programs go on writing and the copy is the state as of its start. Every copy is checked (the
//! same checks as `wisdom check`) before it gets its final name; a file in the folder whose name
//! parses is a whole, checked backup.

mod folder;
mod restore;
pub mod retention;

pub use folder::folder;
use folder::folder_of;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};
use tracing::{info, warn};
use wisdom_model::{Backup, BackupReason};

use crate::error::{Error, Result};
use crate::fsutil::{self, FileLock};
use crate::keys::{DataKey, KeyFile};
use crate::store::{self, busy_wait};
use crate::time::Clock;
use crate::workspace::Workspace;
use crate::zone::system_zone;

/// A backup's id is its time in UTC, to the millisecond: sortable, and unique in its folder.
const ID_FORMAT: &str = "%Y%m%d-%H%M%S-%3f";
const ID_LEN: usize = 19;

fn file_name(id: &str, reason: BackupReason) -> String {
    format!("{id}-{}.wisdom", reason.as_str())
}

fn parse_name(name: &str) -> Option<(String, DateTime<Utc>, BackupReason)> {
    let stem = name.strip_suffix(".wisdom")?;
    let id = stem.get(..ID_LEN)?;
    let reason = BackupReason::parse(stem.get(ID_LEN..)?.strip_prefix('-')?)?;
    let taken_at = NaiveDateTime::parse_from_str(id, ID_FORMAT).ok()?.and_utc();
    Some((id.to_string(), taken_at, reason))
}

/// The backups in `dir`, newest first. A database copy without its key file is not a backup.
fn list_in(dir: &Path) -> Result<Vec<Backup>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::Io { path: dir.to_path_buf(), source: e }),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some((id, taken_at, reason)) = entry.file_name().to_str().and_then(parse_name) else { continue };
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if KeyFile::path_for(&path).exists() {
            found.push(Backup { id, taken_at, size_bytes: meta.len(), reason, path });
        }
    }
    found.sort_by(|a, b| b.id.cmp(&a.id));
    Ok(found)
}

/// Takes a backup of the database behind `source` (the workspace at `ws_path`), with `key_file`
/// as its key file, waiting for any other backup of the same workspace to finish first.
pub(crate) fn take(
    source: &Connection,
    ws_path: &Path,
    key: &DataKey,
    key_file: &KeyFile,
    reason: BackupReason,
    now: DateTime<Utc>,
) -> Result<Backup> {
    let dir = folder_of(ws_path, &key_file.workspace_id);
    let _lock = FileLock::acquire(&dir.join(".lock"))?;
    write(source, &dir, key, key_file, reason, now)
}

fn write(
    source: &Connection,
    dir: &Path,
    key: &DataKey,
    key_file: &KeyFile,
    reason: BackupReason,
    now: DateTime<Utc>,
) -> Result<Backup> {
    let started = Instant::now();
    let (id, taken_at) = free_id(dir, now);
    let path = dir.join(file_name(&id, reason));
    let tmp = dir.join(format!(".{id}.{}.tmp", std::process::id()));
    let written = copy(source, &tmp, key).and_then(|()| checked(&tmp, key)).and_then(|()| {
        key_file.write(&KeyFile::path_for(&path))?;
        fs::rename(&tmp, &path).map_err(Error::io(&path))?;
        fsutil::sync_dir(dir);
        Ok(())
    });
    if let Err(e) = written {
        for p in [tmp.clone(), with_suffix(&tmp, "-journal")] {
            let _ = fs::remove_file(p);
        }
        return Err(e);
    }
    let size_bytes = fs::metadata(&path).map_err(Error::io(&path))?.len();
    info!(id = %id, reason = reason.as_str(), bytes = size_bytes, ms = started.elapsed().as_millis() as u64, "backup taken");
    if let Err(e) = prune(dir, now) {
        warn!(error = %e, "pruning old backups failed; they stay until the next backup");
    }
    Ok(Backup { id, taken_at, size_bytes, reason, path })
}

/// The id for `now`, moved on by a millisecond while one is taken (two backups in one instant).
fn free_id(dir: &Path, now: DateTime<Utc>) -> (String, DateTime<Utc>) {
    let taken: Vec<String> = list_in(dir).unwrap_or_default().into_iter().map(|b| b.id).collect();
    let mut at = chrono::SubsecRound::trunc_subsecs(now, 3);
    loop {
        let id = at.format(ID_FORMAT).to_string();
        if !taken.contains(&id) {
            return (id, at);
        }
        at += chrono::Duration::milliseconds(1);
    }
}

/// Copies every page in one step (one consistent read of the source), into a file keyed with the
/// same key and set back to a rollback journal, so the copy is one self-contained file.
fn copy(source: &Connection, to: &Path, key: &DataKey) -> Result<()> {
    let mut dest = store::open_keyed(to, Some(key), OpenFlags::SQLITE_OPEN_CREATE)?;
    copy_pages(source, &mut dest)?;
    dest.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(())
}

/// SQLite's online backup of every page of `source` into `dest`, in one step; waits like a write
/// for a lock another program holds.
fn copy_pages(source: &Connection, dest: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(source, dest)?;
    let deadline = Instant::now() + busy_wait();
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if Instant::now() >= deadline => {
                return Err(Error::Busy { holder: None })
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// A copy just written, checked before it may get its name. Under test a hook may damage it first
/// (`tests::DAMAGE_BEFORE_CHECK`), which is how a test proves the check runs.
fn checked(copy: &Path, key: &DataKey) -> Result<()> {
    #[cfg(test)]
    tests::DAMAGE_BEFORE_CHECK.with(|hook| hook.get().map(|damage| damage(copy)));
    verify(copy, key)
}

/// Opens a copy with `key` and runs `wisdom check`'s checks on it.
pub(crate) fn verify(path: &Path, key: &DataKey) -> Result<()> {
    let conn = store::open_keyed(path, Some(key), OpenFlags::empty())?;
    let ws = Workspace::with(conn, path, String::new(), key.duplicate(), Clock::system());
    let report = ws.check();
    if report.ok() {
        return Ok(());
    }
    let problems: Vec<String> = report.checks.into_iter().flat_map(|c| c.problems).take(3).collect();
    Err(Error::BackupFailed { path: path.to_path_buf(), message: problems.join("; ") })
}

/// Removes the backups the retention rule no longer keeps, and what a crashed backup left.
fn prune(dir: &Path, now: DateTime<Utc>) -> Result<()> {
    let backups = list_in(dir)?;
    let taken: Vec<_> = backups.iter().map(|b| b.taken_at).collect();
    let asked: Vec<bool> = backups.iter().map(|b| b.reason == BackupReason::Manual).collect();
    let verdict = retention::keep(&taken, &asked, now, system_zone(), retention::RETENTION);
    for (b, keep) in backups.iter().zip(verdict) {
        if !keep {
            fs::remove_file(&b.path).map_err(Error::io(&b.path))?;
            let _ = fs::remove_file(KeyFile::path_for(&b.path));
        }
    }
    for entry in fs::read_dir(dir).map_err(Error::io(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let orphan_key = name.strip_suffix(".key").is_some_and(|db| !dir.join(db).exists());
        let stale_tmp = name.contains(".tmp")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|m| m.elapsed().unwrap_or_default().as_secs() > 86_400);
        if orphan_key || stale_tmp {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

impl Workspace {
    /// Takes a backup now, checked, and prunes old ones.
    pub fn backup(&self, reason: BackupReason) -> Result<Backup> {
        let key_file = KeyFile::read(&KeyFile::path_for(&self.path))?;
        take(&self.conn, &self.path, self.data_key(), &key_file, reason, self.now())
    }

    /// The backups of the workspace at `path`, newest first. Needs no passphrase, so a workspace
    /// that no longer opens can still be restored.
    pub fn backups_of(path: &Path) -> Result<Vec<Backup>> {
        list_in(&folder(path))
    }

    /// The folder the backups of the workspace at `path` are in (and go to).
    pub fn backup_folder_of(path: &Path) -> PathBuf {
        folder(path)
    }

    /// The daily backup, unless one (of any kind) was taken today on this machine's calendar or
    /// another program is taking one right now.
    pub(crate) fn backup_if_due(&self) -> Result<Option<Backup>> {
        let dir = folder_of(&self.path, self.id());
        let now = self.now();
        let today = now.with_timezone(&system_zone()).date_naive();
        let taken_today = |dir: &Path| -> Result<bool> {
            Ok(list_in(dir)?.iter().any(|b| b.taken_at.with_timezone(&system_zone()).date_naive() == today))
        };
        if taken_today(&dir)? {
            return Ok(None);
        }
        let Some(_lock) = FileLock::try_acquire(&dir.join(".lock"))? else { return Ok(None) };
        if taken_today(&dir)? {
            return Ok(None);
        }
        let key_file = KeyFile::read(&KeyFile::path_for(&self.path))?;
        write(&self.conn, &dir, self.data_key(), &key_file, BackupReason::Daily, now).map(Some)
    }
}

#[cfg(test)]
mod tests;
