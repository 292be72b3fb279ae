use std::fs::{self, File};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` via a synced temporary file and a rename, then syncs the directory.
/// The temporary file's name is this write's own (process id and a counter): two programs saving
/// the same file at once must not write into, or rename away, each other's temporary file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, false)
}

/// [`write_atomic`] for a file only its owner may read (mode 0600 on Unix from the first byte):
/// a recovery key's sheet.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_via_temp(path, bytes, true)
}

fn write_via_temp(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(format!(".{}.{}.tmp", std::process::id(), WRITES.fetch_add(1, Ordering::Relaxed)));
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io { path: tmp, source: e });
    }
    fs::rename(&tmp, path).map_err(Error::io(path))?;
    sync_dir(dir);
    Ok(())
}

/// Makes a rename in `dir` durable (best effort: some file systems cannot sync a directory).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Holds an exclusive advisory lock (flock) on `path`, created if missing, until dropped. For
/// read-modify-write of a small file shared by several programs; the lock file itself stays.
pub struct FileLock(#[allow(dead_code)] File);

impl FileLock {
    pub fn acquire(path: &Path) -> Result<FileLock> {
        let file = Self::open(path)?;
        file.lock().map_err(Error::io(path))?;
        Ok(FileLock(file))
    }

    /// The lock if no one else holds it, else `None` at once.
    pub fn try_acquire(path: &Path) -> Result<Option<FileLock>> {
        let file = Self::open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock(file))),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(Error::Io { path: path.to_path_buf(), source: e }),
        }
    }

    fn open(path: &Path) -> Result<File> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        File::options().create(true).truncate(false).write(true).open(path).map_err(Error::io(path))
    }
}
