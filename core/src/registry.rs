//! The device's list of workspaces: a small clear-text JSON file with no secret in it (id, name,
//! path, KDF cost), so a front end can offer "open one of your journals" before any unlock. By
//! workspace id it also keeps what this machine needs without a passphrase: the backups' folder
//! the person chose, and the reminders' schedule (`reminders.rs`: a time, a zone, dates), so the
//! desktop reminds while the journal is locked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::keys::{KdfParams, KeyFile};
use crate::reminders::ReminderSchedule;
use crate::workspace::Workspace;
use wisdom_model::WorkspaceEntry;

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

impl RegistryEntry {
    /// The entry as an unlock screen lists it: nothing about the key.
    pub fn summary(&self) -> WorkspaceEntry {
        WorkspaceEntry {
            id: self.id.clone(),
            name: self.name.clone(),
            path: self.path.clone(),
            created_at: self.created_at,
            last_opened_at: self.last_opened_at,
        }
    }
}

/// How stale "last opened" may be in the registry before opening the journal writes it again.
const OPENED_AT_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// This device's name on a sync server when the person gives none (model's rule, over the
/// machine's host name).
pub fn device_name(given: Option<&str>) -> String {
    let host = std::fs::read_to_string("/etc/hostname").ok();
    wisdom_model::sync::device_name(given, host.as_deref())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistryFile {
    workspaces: Vec<RegistryEntry>,
    /// Where the person chose to keep a workspace's backups on this machine, by workspace id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    backup_folders: BTreeMap<String, PathBuf>,
    /// The reminders' schedule of each workspace that has reminders on, by workspace id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    reminders: BTreeMap<String, ReminderSchedule>,
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

    /// The journal of this device with workspace id `id`, or [`Error::NotFound`].
    pub fn entry(&self, id: &str) -> Result<&RegistryEntry> {
        self.file.workspaces.iter().find(|e| e.id == id).ok_or_else(|| Error::not_found("workspace", id))
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

    /// The reminders' schedules kept for the workspaces listed here, with their entries.
    pub fn reminder_schedules(&self) -> impl Iterator<Item = (&RegistryEntry, &ReminderSchedule)> {
        self.file
            .reminders
            .iter()
            .filter_map(|(id, s)| self.file.workspaces.iter().find(|e| &e.id == id).map(|e| (e, s)))
    }

    /// Keeps the open journal's reminders' schedule as of now (or forgets it when reminders are
    /// off), so they come while it is locked; writes the file only when the schedule changed.
    /// Returns the schedule.
    pub fn remember_reminders(&mut self, ws: &Workspace) -> Result<Option<ReminderSchedule>> {
        let schedule = ws.reminder_schedule()?;
        if self.file.reminders.get(ws.id()) != schedule.as_ref() {
            let (id, kept) = (ws.id().to_string(), schedule.clone());
            self.update(|file| {
                match kept {
                    Some(s) => file.reminders.insert(id, s),
                    None => file.reminders.remove(&id),
                };
            })?;
        }
        Ok(schedule)
    }

    /// Records (or refreshes) an open journal, for every front end: its name, its canonical path,
    /// its key's cost and "last opened" now. `created` is given when the journal was just made
    /// (else the entry keeps its own, else now). A burst of openings writes the file once: an
    /// entry that is the same and was opened under [`OPENED_AT_RESOLUTION`] ago is left alone.
    pub fn remember(&mut self, ws: &Workspace, created: Option<DateTime<Utc>>) -> Result<()> {
        let existing = self.entries().iter().find(|e| e.id == ws.id()).cloned();
        let now = ws.now();
        let entry = RegistryEntry {
            id: ws.id().to_string(),
            name: ws.name()?,
            path: canonical(ws.path()),
            kdf: KeyFile::read(&KeyFile::path_for(ws.path()))?.kdf(),
            created_at: created.or(existing.as_ref().map(|e| e.created_at)).unwrap_or(now),
            last_opened_at: Some(now),
        };
        let fresh = existing.is_some_and(|e| {
            e.name == entry.name
                && e.path == entry.path
                && e.kdf == entry.kdf
                && e.created_at == entry.created_at
                && e.last_opened_at.is_some_and(|t| now - t < OPENED_AT_RESOLUTION && t <= now)
        });
        if fresh {
            return Ok(());
        }
        self.upsert(entry)
    }

    pub fn remove(&mut self, id: &str) -> Result<()> {
        self.update(|file| {
            file.workspaces.retain(|e| e.id != id);
            file.reminders.remove(id);
        })
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

    #[test]
    fn remembering_an_open_journal_writes_once_per_burst_and_follows_a_rename() {
        use crate::{Clock, Passphrase};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("maria.wisdom");
        let pass = Passphrase::new("tram lemon quietly orbit");
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 14, 8, 30, 0).unwrap();
        let mut ws = Workspace::create(&path, "Maria's journal", &pass, KdfParams::MINIMUM, Clock::fixed(at)).unwrap();
        let reg_path = dir.path().join("registry.json");
        let mut reg = Registry::load(&reg_path).unwrap();
        reg.remember(&ws, Some(at)).unwrap();
        let first = std::fs::metadata(&reg_path).unwrap().modified().unwrap();
        let entry = Registry::load(&reg_path).unwrap().entries()[0].clone();
        assert_eq!((entry.name.as_str(), entry.created_at, entry.last_opened_at), ("Maria's journal", at, Some(at)));
        assert_eq!(entry.summary().path, canonical(&path));

        std::thread::sleep(std::time::Duration::from_millis(20));
        reg.remember(&ws, None).unwrap();
        assert_eq!(std::fs::metadata(&reg_path).unwrap().modified().unwrap(), first, "unchanged: not rewritten");

        ws.rename("Journal 2026").unwrap();
        reg.remember(&ws, None).unwrap();
        let entry = Registry::load(&reg_path).unwrap().entries()[0].clone();
        assert_eq!((entry.name.as_str(), entry.created_at), ("Journal 2026", at));
    }

    /// Programs that open different journals at the same moment each register theirs through
    /// `update`'s lock; without it, each would write back the registry it read before the others
    /// wrote and drop their entries. A reader meanwhile never finds a half-written file.
    #[test]
    fn journals_registered_at_once_are_all_kept_and_the_file_always_parses() {
        use crate::{Clock, Passphrase};
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Barrier};
        const OPENERS: usize = 12;
        let dir = tempfile::tempdir().unwrap();
        let reg_path = dir.path().join("registry.json");
        let start = Arc::new(Barrier::new(OPENERS));
        let done = Arc::new(AtomicBool::new(false));
        let reader = {
            let (reg_path, done) = (reg_path.clone(), done.clone());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !done.load(Ordering::Relaxed) {
                    if let Err(e) = Registry::load(&reg_path) {
                        return Err(format!("read {reads}: {e}"));
                    }
                    reads += 1;
                }
                Ok(reads)
            })
        };
        let openers: Vec<_> = (0..OPENERS)
            .map(|i| {
                let (path, reg_path, start) =
                    (dir.path().join(format!("j{i}.wisdom")), reg_path.clone(), start.clone());
                std::thread::spawn(move || {
                    let pass = Passphrase::new("tram lemon quietly orbit");
                    let ws =
                        Workspace::create(&path, &format!("Journal {i}"), &pass, KdfParams::MINIMUM, Clock::system())
                            .unwrap();
                    start.wait();
                    Registry::load(&reg_path).unwrap().remember(&ws, None).unwrap();
                    ws.id().to_string()
                })
            })
            .collect();
        let mut ids: Vec<String> = openers.into_iter().map(|t| t.join().unwrap()).collect();
        done.store(true, Ordering::Relaxed);
        let reads = reader.join().unwrap().unwrap();
        assert!(reads > 0, "the reader never read the registry");

        let mut kept: Vec<String> = Registry::load(&reg_path).unwrap().entries().iter().map(|e| e.id.clone()).collect();
        ids.sort();
        kept.sort();
        assert_eq!(kept, ids, "{} of {OPENERS} journals registered at once were lost", OPENERS - kept.len());
    }

    #[test]
    fn a_journals_reminders_are_kept_without_its_words_and_forgotten_when_off() {
        use crate::{Clock, Passphrase};
        use wisdom_model::PracticeSettings;
        let dir = tempfile::tempdir().unwrap();
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 14, 8, 30, 0).unwrap();
        let pass = Passphrase::new("tram lemon quietly orbit");
        let mut ws = Workspace::create(
            &dir.path().join("secret-diary.wisdom"),
            "Secret diary",
            &pass,
            KdfParams::MINIMUM,
            Clock::fixed(at),
        )
        .unwrap();
        ws.create_event(&crate::testing::work_event("Told nobody about the job offer")).unwrap();
        let reg_path = dir.path().join("registry.json");
        let mut reg = Registry::load(&reg_path).unwrap();
        reg.remember(&ws, Some(at)).unwrap();
        assert_eq!(reg.remember_reminders(&ws).unwrap(), None);
        assert_eq!(Registry::load(&reg_path).unwrap().reminder_schedules().count(), 0);

        let on = PracticeSettings { reminder_time: chrono::NaiveTime::from_hms_opt(21, 0, 0), ..Default::default() };
        ws.set_practice_settings(&on).unwrap();
        let kept = reg.remember_reminders(&ws).unwrap().unwrap();
        let text = std::fs::read_to_string(&reg_path).unwrap();
        assert!(!text.contains("job offer"), "no word of the journal in the clear: {text}");
        let loaded = Registry::load(&reg_path).unwrap();
        let listed: Vec<_> = loaded.reminder_schedules().map(|(e, s)| (e.id.as_str(), e.name.as_str(), s)).collect();
        assert_eq!(listed, vec![(ws.id(), ws.name().unwrap().as_str(), &kept)]);
        assert_eq!(kept.wrote_on, Some(at.date_naive()), "today already has an entry");
        let first = std::fs::metadata(&reg_path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        reg.remember_reminders(&ws).unwrap();
        assert_eq!(std::fs::metadata(&reg_path).unwrap().modified().unwrap(), first, "unchanged: not rewritten");

        ws.set_practice_settings(&PracticeSettings::default()).unwrap();
        reg.remember_reminders(&ws).unwrap();
        assert_eq!(Registry::load(&reg_path).unwrap().reminder_schedules().count(), 0, "off: forgotten");
        ws.set_practice_settings(&on).unwrap();
        reg.remember_reminders(&ws).unwrap();
        reg.remove(ws.id()).unwrap();
        assert!(!std::fs::read_to_string(&reg_path).unwrap().contains("reminders"), "a forgotten journal's too");
    }
}
