//! Where the agent listens: `$XDG_RUNTIME_DIR/wisdomos/agent.sock` (the per-user runtime
//! directory, which the system empties at logout), else `/tmp/wisdomos-<uid>/agent.sock`. The
//! directory must be a real directory (not a symlink) owned by this uid with no access for group
//! or others; anything else is refused, never repaired, as it may be another user's trap.

use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::os;

/// The agent's directory for this user.
pub fn dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(run) if run.is_absolute() && run.is_dir() => run.join("wisdomos"),
        _ => std::env::temp_dir().join(format!("wisdomos-{}", os::uid())),
    }
}

pub fn socket(dir: &Path) -> PathBuf {
    dir.join("agent.sock")
}

/// The file an agent holds an flock on while it runs: whoever holds it owns the socket's name,
/// so a socket file found while holding it is stale.
pub fn lock_file(dir: &Path) -> PathBuf {
    dir.join("agent.lock")
}

/// Why the directory is not used.
#[derive(Debug, thiserror::Error)]
pub enum Unsafe {
    #[error("{0} is a symlink or not a directory")]
    NotADirectory(PathBuf),
    #[error("{path} belongs to uid {owner}, not to this user (uid {me})")]
    NotOurs { path: PathBuf, owner: u32, me: u32 },
    #[error("{path} has mode {mode:o}; it must be 700 (remove it and run `wisdom unlock` again)")]
    Open { path: PathBuf, mode: u32 },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Checks the directory; `Ok(false)` when it does not exist.
pub fn verify(dir: &Path) -> Result<bool, Unsafe> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(Unsafe::Io { path: dir.into(), source }),
    };
    if !meta.file_type().is_dir() {
        return Err(Unsafe::NotADirectory(dir.into()));
    }
    if meta.uid() != os::uid() {
        return Err(Unsafe::NotOurs { path: dir.into(), owner: meta.uid(), me: os::uid() });
    }
    if meta.mode() & 0o077 != 0 {
        return Err(Unsafe::Open { path: dir.into(), mode: meta.mode() & 0o7777 });
    }
    Ok(true)
}

/// Makes the directory (0700) if missing, then checks it.
pub fn prepare(dir: &Path) -> Result<(), Unsafe> {
    if !verify(dir)? {
        match DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(source) => return Err(Unsafe::Io { path: dir.into(), source }),
        }
        if !verify(dir)? {
            return Err(Unsafe::NotADirectory(dir.into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_missing_directory_is_made_private() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("wisdomos");
        assert!(!verify(&d).unwrap());
        prepare(&d).unwrap();
        assert_eq!(fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(verify(&d).unwrap());
    }

    #[test]
    fn a_directory_others_can_enter_or_a_symlink_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("wisdomos");
        prepare(&d).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(matches!(verify(&d), Err(Unsafe::Open { mode: 0o755, .. })));
        assert!(matches!(prepare(&d), Err(Unsafe::Open { .. })), "refused, not repaired");
        let link = tmp.path().join("link");
        fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::symlink(&d, &link).unwrap();
        assert!(matches!(verify(&link), Err(Unsafe::NotADirectory(_))));
    }

    #[test]
    fn a_directory_of_another_user_is_refused() {
        if os::uid() != 0 {
            return; // only root can give a directory away; the check itself is the uid comparison
        }
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("wisdomos");
        prepare(&d).unwrap();
        std::os::unix::fs::chown(&d, Some(65534), None).unwrap();
        assert!(matches!(verify(&d), Err(Unsafe::NotOurs { owner: 65534, .. })));
    }
}
