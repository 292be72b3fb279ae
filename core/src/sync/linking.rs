//! The hidden file a device is linked into before its journal's name is known
//! (`<home>/workspaces/.linking-<workspace id>-<pid>.wisdom`), and the sweep of those a crashed or
//! killed link left behind: each is a full copy of a journal, so none may linger unseen.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tracing::info;

const PREFIX: &str = ".linking-";
/// A left-over whose process cannot be checked (no /proc) is swept once this old.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The hidden file this process links workspace `workspace_id` into, in `dir`.
pub(super) fn hidden_path(dir: &Path, workspace_id: &str) -> PathBuf {
    dir.join(format!("{PREFIX}{workspace_id}-{}.wisdom", std::process::id()))
}

/// Removes from `dir` every hidden link file (with its key file and SQLite's side files) whose
/// process is gone; returns how many files went. Another program's link in progress is left alone.
pub(super) fn sweep_abandoned(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = linking_pid(name) else { continue };
        if pid == std::process::id() || !abandoned(pid, &entry.path()) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        info!(files = removed, "removed what an interrupted device link left behind");
    }
    removed
}

/// The process id in a hidden link file's name (`.linking-<id>-<pid>.wisdom`, `.wisdom.key`,
/// `.wisdom-wal`, `.wisdom-shm`), or `None` for any other file.
fn linking_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    let stem = [".wisdom", ".wisdom.key", ".wisdom-wal", ".wisdom-shm", ".wisdom-journal"]
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix))?;
    stem.rsplit_once('-')?.1.parse().ok()
}

/// Whether the process `pid` that made `file` is gone: no such process where /proc tells, else
/// the file is untouched for a day.
fn abandoned(pid: u32, file: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    let modified = std::fs::metadata(file).and_then(|m| m.modified());
    modified.is_ok_and(|m| SystemTime::now().duration_since(m).is_ok_and(|age| age > ABANDONED_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_hidden_link_files_give_their_process() {
        assert_eq!(linking_pid(".linking-ws_01J9-4242.wisdom"), Some(4242));
        assert_eq!(linking_pid(".linking-ws_01J9-4242.wisdom.key"), Some(4242));
        assert_eq!(linking_pid(".linking-ws-with-dashes-7.wisdom-wal"), Some(7));
        assert_eq!(linking_pid("linking-ws-1.wisdom"), None);
        assert_eq!(linking_pid(".linking-ws-1.wisdom.bak"), None);
        assert_eq!(linking_pid(".linking-ws-x.wisdom"), None);
        assert_eq!(linking_pid("journal.wisdom"), None);
    }

    #[test]
    fn only_files_of_gone_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id (above Linux's largest pid); ours is alive.
        let gone = 4_000_000_000u32;
        let mine = std::process::id();
        let mut left = Vec::new();
        for suffix in [".wisdom", ".wisdom.key", ".wisdom-wal", ".wisdom-shm"] {
            left.push(dir.path().join(format!(".linking-ws_a-{gone}{suffix}")));
        }
        let kept = [
            dir.path().join(format!(".linking-ws_b-{mine}.wisdom")),
            dir.path().join(format!(".linking-ws_b-{mine}.wisdom.key")),
            dir.path().join("journal.wisdom"),
            dir.path().join("journal.wisdom.key"),
        ];
        for p in left.iter().chain(&kept) {
            std::fs::write(p, b"x").unwrap();
        }
        assert_eq!(sweep_abandoned(dir.path()), 4);
        assert!(left.iter().all(|p| !p.exists()));
        assert!(kept.iter().all(|p| p.exists()));
        assert_eq!(sweep_abandoned(dir.path()), 0);
    }
}
