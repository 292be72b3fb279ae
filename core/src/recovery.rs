//! The recovery key: 160 random bits shown once, as 8 groups of 4 base32 characters, that also
//! unwrap the data key (a second wrapping in the key file, Argon2id -> KEK -> XChaCha20-Poly1305,
//! like the passphrase's). With it a person who forgot the passphrase sets a new one
//! ([`Workspace::recover`]); rotating it ([`Workspace::rotate_recovery_key`]) replaces the
//! wrapping, here and in the backups' key files, so the old key opens nothing we keep.
//! Neither the key nor the passphrase is stored in clear or logged: each lives in a `Zeroizing`
//! buffer with a redacted `Debug`.

use std::path::Path;

use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
use chrono::NaiveDate;
use tracing::{info, warn};
use wisdom_model::Invalid;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keys::{KdfParams, KeyFile, Passphrase};
use crate::time::Clock;
use crate::workspace::Workspace;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BYTES: usize = 20;
const CHARS: usize = BYTES * 8 / 5;

/// A recovery key, held as its 32 base32 characters without separators. Wiped on drop.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    /// Argon2id cost of the recovery wrapping: the minimum, as 160 random bits need no stretching
    /// to resist guessing; the KDF is there so both wrappings work alike.
    pub const KDF: KdfParams = KdfParams::MINIMUM;

    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; BYTES]);
        OsRng.fill_bytes(bytes.as_mut());
        let mut text = Zeroizing::new(String::with_capacity(CHARS));
        for chunk in bytes.chunks(5) {
            let n = chunk.iter().fold(0u64, |n, b| n << 8 | u64::from(*b));
            for i in (0..8).rev() {
                text.push(ALPHABET[(n >> (i * 5)) as usize & 31] as char);
            }
        }
        RecoveryKey(text)
    }

    /// Reads a key as typed: case, spaces and dashes do not matter; 0, 1 and 8 are read as the
    /// letters O, I and B they are mistaken for.
    pub fn parse(typed: &str) -> Result<Self, Invalid> {
        let mut text = Zeroizing::new(String::with_capacity(CHARS));
        for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return Err(Invalid::new("recovery key", "", "letters A-Z and digits 2-7 only"));
            }
            text.push(c);
        }
        if text.len() != CHARS {
            return Err(Invalid::new("recovery key", "", "32 characters (8 groups of 4)"));
        }
        Ok(RecoveryKey(text))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The key as the person writes it down: `ABCD-EFGH-...`.
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(CHARS + 7));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }
}

impl RecoveryKey {
    /// The key on a sheet of its own, to save or print: which journal it opens, where to use it,
    /// and how to keep it.
    pub fn sheet(&self, journal: &str, on: NaiveDate) -> Zeroizing<String> {
        let key = self.display();
        Zeroizing::new(format!(
            "WisdomOS recovery key\n\
             Journal: {journal}\n\
             Written: {on}\n\
             \n\
             {key}\n\
             \n\
             If you forget the journal's passphrase, this key sets a new one: \"Forgot passphrase?\"\n\
             on the app's unlock screen, or `wisdom recover` in a terminal. Case and dashes do not matter.\n\
             \n\
             Anyone with this key and the journal's files can read the journal. Print this sheet\n\
             or keep it on a drive you put away, not on the computer that holds the journal.\n\
             A new recovery key (Settings > Security, or `wisdom recovery-key rotate`) replaces this one.\n",
            key = key.as_str(),
        ))
    }

    /// Saves [`RecoveryKey::sheet`] at `path` (replacing a file there), readable by its owner only.
    pub fn save_sheet(&self, path: &Path, journal: &str, on: NaiveDate) -> Result<()> {
        crate::fsutil::write_private(path, self.sheet(journal, on).as_bytes())
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

impl Workspace {
    /// Sets a new passphrase with the recovery key, when the passphrase is forgotten. The recovery
    /// key goes on working; the journal and its key file as they were are backed up first.
    pub fn recover(
        path: &Path,
        recovery: &RecoveryKey,
        new: &Passphrase,
        kdf: Option<KdfParams>,
        clock: Clock,
    ) -> Result<KdfParams> {
        new.check_strength()?;
        let key_path = existing_key_file(path)?;
        let _changing = KeyFile::lock_changes(path)?;
        let current = KeyFile::read(&key_path)?;
        let key = current.open_with_recovery(recovery, &key_path)?;
        let kdf = kdf.unwrap_or(current.kdf());
        Self::rewrap(path, &current, &key, new, kdf, clock)?;
        info!(workspace = %current.workspace_id, "passphrase set with the recovery key");
        Ok(kdf)
    }

    /// Makes a new recovery key (the passphrase unlocks) and returns it to be shown once; the one
    /// before it stops working, in the backups' key files too. Also how a journal made before
    /// recovery keys gets one.
    pub fn rotate_recovery_key(path: &Path, pass: &Passphrase) -> Result<RecoveryKey> {
        let key_path = existing_key_file(path)?;
        let _changing = KeyFile::lock_changes(path)?;
        let mut key_file = KeyFile::read(&key_path)?;
        let key = key_file.open(pass, &key_path)?;
        let recovery = RecoveryKey::generate();
        key_file.set_recovery(&recovery, &key)?;
        key_file.write(&key_path)?;
        for backup in Self::backups_of(path)? {
            if let Err(e) = replace_recovery(&KeyFile::path_for(&backup.path), &key_file) {
                warn!(error = %e, backup = %backup.id, "could not replace the recovery key of a backup");
            }
        }
        info!(workspace = %key_file.workspace_id, "recovery key rotated");
        Ok(recovery)
    }

    /// Whether the workspace at `path` has a recovery key. Needs no passphrase.
    pub fn has_recovery_key(path: &Path) -> Result<bool> {
        Ok(KeyFile::read(&existing_key_file(path)?)?.recovery.is_some())
    }
}

fn existing_key_file(path: &Path) -> Result<std::path::PathBuf> {
    let key_path = KeyFile::path_for(path);
    if !key_path.exists() {
        return Err(Error::NoWorkspace(path.to_path_buf()));
    }
    Ok(key_path)
}

/// Gives a backup's key file the current recovery wrapping (the data key is the same).
fn replace_recovery(backup_key_path: &Path, current: &KeyFile) -> Result<()> {
    let mut key_file = KeyFile::read(backup_key_path)?;
    if key_file.workspace_id == current.workspace_id {
        key_file.recovery = current.recovery.clone();
        key_file.write(backup_key_path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wisdom_model::BackupReason;

    const PASS: &str = "correct horse battery";

    fn created(dir: &Path) -> (std::path::PathBuf, RecoveryKey) {
        let path = dir.join("journal.wisdom");
        let mut ws =
            Workspace::create(&path, "Recoverable", &Passphrase::new(PASS), KdfParams::MINIMUM, Clock::system())
                .unwrap();
        let key = ws.take_recovery_key().expect("a new journal has a recovery key");
        assert!(ws.take_recovery_key().is_none(), "shown once");
        (path, key)
    }

    #[test]
    fn a_forgotten_passphrase_is_replaced_with_the_recovery_key() {
        let dir = tempfile::tempdir().unwrap();
        let (path, key) = created(dir.path());
        let typed = RecoveryKey::parse(&key.display()).unwrap();
        let new = Passphrase::new("remembered this time");
        Workspace::recover(&path, &typed, &new, None, Clock::system()).unwrap();

        assert!(matches!(Workspace::open(&path, &Passphrase::new(PASS), Clock::system()), Err(Error::WrongPassphrase)));
        Workspace::open(&path, &new, Clock::system()).unwrap();
        assert!(Workspace::has_recovery_key(&path).unwrap(), "the recovery key goes on working");
        let text = std::fs::read_to_string(KeyFile::path_for(&path)).unwrap();
        assert!(!text.contains(&*key.0) && !text.contains(&*key.display()), "never stored in clear");
    }

    #[test]
    fn a_saved_sheet_is_private_and_its_key_recovers_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let (path, key) = created(dir.path());
        let sheet = dir.path().join("recovery key.txt");
        std::fs::write(&sheet, "an older sheet").unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        key.save_sheet(&sheet, "Recoverable", on).unwrap();

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&sheet).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "only its owner reads it");
        }
        let text = std::fs::read_to_string(&sheet).unwrap();
        assert!(text.contains("Journal: Recoverable") && text.contains("Written: 2026-12-02"), "{text}");
        // The person types the key back from the sheet: the one line that parses as a key.
        let typed: Vec<RecoveryKey> = text.lines().filter_map(|l| RecoveryKey::parse(l).ok()).collect();
        assert_eq!(typed.len(), 1, "one key on the sheet: {text}");
        let new = Passphrase::new("from the printed sheet");
        Workspace::recover(&path, &typed[0], &new, None, Clock::system()).unwrap();
        Workspace::open(&path, &new, Clock::system()).unwrap();
    }

    #[test]
    fn key_file_changes_wait_for_one_another() {
        // Each change reads the key file, works, then writes it whole: one that ran while another
        // was working would write back what the other replaced (a rotated-out recovery key).
        let dir = tempfile::tempdir().unwrap();
        let (path, recovery) = created(dir.path());
        let backup = Workspace::open(&path, &Passphrase::new(PASS), Clock::system())
            .unwrap()
            .backup(BackupReason::Manual)
            .unwrap()
            .id;
        let second = "second passphrase here";
        type Change = Box<dyn FnOnce(&Path) -> Result<()> + Send>;
        let changes: Vec<(&str, Change)> = vec![
            (
                "change",
                Box::new(move |p: &Path| {
                    let (old, new) = (Passphrase::new(PASS), Passphrase::new(second));
                    Workspace::change_passphrase(p, &old, &new, None, Clock::system()).map(drop)
                }),
            ),
            (
                "recover",
                Box::new(move |p: &Path| {
                    Workspace::recover(p, &recovery, &Passphrase::new(PASS), None, Clock::system()).map(drop)
                }),
            ),
            ("rotate", Box::new(|p: &Path| Workspace::rotate_recovery_key(p, &Passphrase::new(PASS)).map(drop))),
            (
                "restore",
                Box::new(move |p: &Path| {
                    Workspace::restore_backup(p, &backup, &Passphrase::new(PASS), Clock::system()).map(drop)
                }),
            ),
        ];
        for (name, change) in changes {
            let held = KeyFile::lock_changes(&path).unwrap();
            let before = std::fs::read(KeyFile::path_for(&path)).unwrap();
            let p = path.clone();
            let running = std::thread::spawn(move || change(&p));
            std::thread::sleep(std::time::Duration::from_millis(300));
            assert!(!running.is_finished(), "{name} waits while another change holds the key file");
            assert_eq!(std::fs::read(KeyFile::path_for(&path)).unwrap(), before, "{name} wrote nothing yet");
            drop(held);
            running.join().unwrap().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_ne!(std::fs::read(KeyFile::path_for(&path)).unwrap(), before, "{name} then did its change");
        }
    }

    #[test]
    fn a_rotated_out_or_wrong_recovery_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (path, old) = created(dir.path());
        Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap().backup(BackupReason::Manual).unwrap();
        let current = Workspace::rotate_recovery_key(&path, &Passphrase::new(PASS)).unwrap();
        let new = Passphrase::new("a brand new passphrase");

        let rotated_out = Workspace::recover(&path, &old, &new, None, Clock::system());
        assert!(matches!(rotated_out, Err(Error::WrongRecoveryKey)), "{rotated_out:?}");
        let wrong = Workspace::recover(&path, &RecoveryKey::generate(), &new, None, Clock::system());
        assert!(matches!(wrong, Err(Error::WrongRecoveryKey)), "{wrong:?}");
        for b in Workspace::backups_of(&path).unwrap() {
            let kf = KeyFile::read(&KeyFile::path_for(&b.path)).unwrap();
            let in_backup = kf.open_with_recovery(&old, &b.path);
            assert!(matches!(in_backup, Err(Error::WrongRecoveryKey)), "backup {}: {in_backup:?}", b.id);
        }
        Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap();
        Workspace::recover(&path, &current, &new, None, Clock::system()).unwrap();
        Workspace::open(&path, &new, Clock::system()).unwrap();
    }

    #[test]
    fn a_journal_from_before_recovery_keys_opens_and_can_get_one() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = created(dir.path());
        let key_path = KeyFile::path_for(&path);
        let mut old_format: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&key_path).unwrap()).unwrap();
        old_format.as_object_mut().unwrap().remove("recovery");
        std::fs::write(&key_path, old_format.to_string()).unwrap();

        Workspace::open(&path, &Passphrase::new(PASS), Clock::system()).unwrap();
        assert!(!Workspace::has_recovery_key(&path).unwrap());
        let none = Workspace::recover(
            &path,
            &RecoveryKey::generate(),
            &Passphrase::new("whatever it is"),
            None,
            Clock::system(),
        );
        assert!(matches!(none, Err(Error::NoRecoveryKey(_))), "{none:?}");
        let key = Workspace::rotate_recovery_key(&path, &Passphrase::new(PASS)).unwrap();
        assert!(Workspace::has_recovery_key(&path).unwrap());
        Workspace::recover(&path, &key, &Passphrase::new("set with the new key"), None, Clock::system()).unwrap();
    }

    #[test]
    fn rotating_needs_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let (path, key) = created(dir.path());
        let refused = Workspace::rotate_recovery_key(&path, &Passphrase::new("not the passphrase"));
        assert!(matches!(refused, Err(Error::WrongPassphrase)), "{refused:?}");
        let still = Workspace::recover(&path, &key, &Passphrase::new("a brand new passphrase"), None, Clock::system());
        assert!(still.is_ok(), "a refused rotation changes nothing: {still:?}");
    }

    #[test]
    fn a_key_reads_back_however_it_is_typed() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.len(), 39);
        assert_eq!(shown.split('-').count(), 8);
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&typed).unwrap().as_bytes(), key.as_bytes());
        assert!(RecoveryKey::parse("ABCD-EFGH").is_err(), "too short");
        assert!(RecoveryKey::parse(&shown.replace('A', "!")).is_err() || !shown.contains('A'));
    }

    #[test]
    fn two_keys_differ_and_neither_prints() {
        let (a, b) = (RecoveryKey::generate(), RecoveryKey::generate());
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_eq!(format!("{a:?}"), "RecoveryKey(<redacted>)");
    }
}
