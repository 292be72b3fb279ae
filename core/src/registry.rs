//! The device's list of workspaces: a small clear-text JSON file with no secret in it (id, name,
//! path, KDF cost), so a front end can offer "open one of your journals" before any unlock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::keys::KdfParams;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryEntry {
    pub id: String,
    pub name: String,
    pub path: PathBuf,
    pub kdf: KdfParams,
    pub created_at: DateTime<Utc>,
    pub last_opened_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistryFile {
    workspaces: Vec<RegistryEntry>,
    /// Where the person chose to keep a workspace's backups on this machine, by workspace id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    backup_folders: BTreeMap<String, PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Registry {
    path: PathBuf,
    file: RegistryFile,
}

/// The folder for WisdomOS's own files: `$WISDOM_HOME`, else `$XDG_DATA_HOME/wisdomos`, else
/// `~/.local/share/wisdomos`.
pub fn home_dir() -> PathBuf {
    if let Some(h) = std::env::var_os("WISDOM_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(h);
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(x).join("wisdomos");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/wisdomos")
}

/// Where a new workspace named `name` goes when the person gives no path, for every front end:
/// `<home>/workspaces/<slug>.wisdom`, or `<slug>-2.wisdom`, `-3`, ... when that file exists. The
/// slug keeps the name's letters and digits (of any script), lowercased, joined by single dashes.
pub fn new_workspace_path(name: &str) -> PathBuf {
    let dir = home_dir().join("workspaces");
    let stem = slug(name);
    (1..)
        .map(|n| if n == 1 { dir.join(format!("{stem}.wisdom")) } else { dir.join(format!("{stem}-{n}.wisdom")) })
        .find(|p| !p.exists())
        .expect("an unused file name")
}

fn slug(name: &str) -> String {
    let s = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "journal".into()
    } else {
        s
    }
}

impl Registry {
    pub fn default_path() -> PathBuf {
        home_dir().join("registry.json")
    }

    /// Reads the registry; a missing file is an empty registry.
    pub fn load(path: &Path) -> Result<Self> {
        let file = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| Error::Corrupt {
                path: path.to_path_buf(),
                message: format!("not a workspace registry ({e})"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => RegistryFile::default(),
            Err(e) => return Err(Error::Io { path: path.to_path_buf(), source: e }),
        };
        Ok(Registry { path: path.to_path_buf(), file })
    }

    pub fn entries(&self) -> &[RegistryEntry] {
        &self.file.workspaces
    }

    pub fn find_by_path(&self, path: &Path) -> Option<&RegistryEntry> {
        let wanted = canonical(path);
        self.file.workspaces.iter().find(|e| canonical(&e.path) == wanted)
    }

    /// Adds or replaces the entry with the same id, and saves.
    pub fn upsert(&mut self, entry: RegistryEntry) -> Result<()> {
        self.update(|file| {
            file.workspaces.retain(|e| e.id != entry.id);
            file.workspaces.push(entry);
            file.workspaces.sort_by_key(|a| a.name.to_lowercase());
        })
    }

    /// The folder chosen on this machine for the backups of workspace `id`, if one was.
    pub fn backup_folder(&self, id: &str) -> Option<&Path> {
        self.file.backup_folders.get(id).map(PathBuf::as_path)
    }

    /// Chooses (or with None, forgets) the folder for the backups of workspace `id`, and saves.
    pub fn set_backup_folder(&mut self, id: &str, folder: Option<&Path>) -> Result<()> {
        self.update(|file| {
            match folder {
                Some(f) => file.backup_folders.insert(id.to_string(), f.to_path_buf()),
                None => file.backup_folders.remove(id),
            };
        })
    }

    pub fn remove(&mut self, id: &str) -> Result<()> {
        self.update(|file| file.workspaces.retain(|e| e.id != id))
    }

    /// Applies `change` to the file as it is on disk now, under a lock: other programs (CLI
    /// processes, the desktop app) update the same registry, and a change made to a copy read
    /// earlier would drop theirs.
    fn update(&mut self, change: impl FnOnce(&mut RegistryFile)) -> Result<()> {
        let mut lock_path = self.path.as_os_str().to_owned();
        lock_path.push(".lock");
        let _lock = fsutil::FileLock::acquire(Path::new(&lock_path))?;
        self.file = Registry::load(&self.path)?.file;
        change(&mut self.file);
        fsutil::write_atomic(&self.path, serde_json::to_string_pretty(&self.file)?.as_bytes())
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_becomes_a_lowercase_dashed_slug_in_any_script() {
        assert_eq!(slug("My  journal!"), "my-journal");
        assert_eq!(slug("Journal d'Éloïse 2026"), "journal-d-éloïse-2026");
        assert_eq!(slug(" ?? "), "journal");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
    }
}
