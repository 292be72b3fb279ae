//! The `Workspace` handle: one unlocked, encrypted journal. Creating, opening, locking and changing
//! the passphrase live here; each entity's operations live in their own module as `impl Workspace`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};

use crate::store::{self, connect, migrate};
use tracing::{debug, info, warn};

use crate::error::{Error, Result};
use crate::ids::{self, prefix};
use crate::keys::{DataKey, KdfParams, KeyFile, Passphrase, RecoveryKey};
use crate::time::{self, Clock};
use wisdom_model::{validate, BackupReason, LIFE_AREAS};

/// An unlocked workspace. Dropping it (or [`Workspace::lock`]) closes the database and wipes the key.
pub struct Workspace {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    id: String,
    key: DataKey,
    pub(crate) clock: Clock,
    /// Stored text vectors in memory for search by meaning, loaded on its first use.
    pub(crate) vectors: std::cell::RefCell<crate::meaning::VectorIndex>,
    /// Backups by themselves (daily, before an import); off only for the plaintext benchmark store.
    pub(crate) auto_backup: bool,
    /// The recovery key made with a new workspace, until a front end takes it to show it.
    recovery: Option<RecoveryKey>,
    /// How large an attachment, and all of them, may be.
    pub(crate) attachment_limits: crate::attachments::AttachmentLimits,
    /// SQLite's `data_version` when [`Workspace::changed_elsewhere`] last looked (None: never).
    seen_data_version: std::cell::Cell<Option<i64>>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace").field("id", &self.id).field("path", &self.path).finish_non_exhaustive()
    }
}

impl Workspace {
    /// Creates a new workspace file (and its key file beside it), seeded with the 30 life areas,
    /// with a recovery key that the front end shows once ([`Workspace::take_recovery_key`]).
    pub fn create(path: &Path, name: &str, pass: &Passphrase, kdf: KdfParams, clock: Clock) -> Result<Self> {
        validate::title("name", name, wisdom_model::Limits::NAME)?;
        let id = ids::new_id(prefix::WORKSPACE, clock.now());
        let recovery = Some(RecoveryKey::generate());
        Self::create_with_key(path, name.trim(), pass, kdf, clock, id, DataKey::generate(), recovery)
    }

    /// Creates the local file of a workspace that already exists elsewhere (a device linking through
    /// the sync server): same workspace id and data key, a key file of its own under `pass`, and
    /// no recovery key of its own until the person makes one.
    pub(crate) fn create_linked(
        path: &Path,
        pass: &Passphrase,
        kdf: KdfParams,
        clock: Clock,
        id: String,
        key: DataKey,
    ) -> Result<Self> {
        // The real name arrives with the first pull.
        Self::create_with_key(path, "Linked workspace", pass, kdf, clock, id, key, None)
    }

    /// The one way a workspace file comes to be: the key file sealed under `pass` (and `recovery`),
    /// the schema migrated and seeded; on any failure nothing half-made is left behind.
    #[allow(clippy::too_many_arguments)]
    fn create_with_key(
        path: &Path,
        name: &str,
        pass: &Passphrase,
        kdf: KdfParams,
        clock: Clock,
        id: String,
        key: DataKey,
        recovery: Option<RecoveryKey>,
    ) -> Result<Self> {
        pass.check_strength()?;
        kdf.check()?;
        let key_path = KeyFile::path_for(path);
        if path.exists() || key_path.exists() {
            return Err(Error::AlreadyExists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        let now = clock.now();
        let mut key_file = KeyFile::seal(&id, kdf, pass, &key)?;
        if let Some(r) = &recovery {
            key_file.set_recovery(r, &key)?;
        }
        let result = (|| {
            let mut conn = connect(path, &key, OpenFlags::SQLITE_OPEN_CREATE)?;
            migrate(&mut conn)?;
            seed(&mut conn, &id, name, now)?;
            key_file.write(&key_path)?;
            Ok(conn)
        })();
        match result {
            Ok(conn) => {
                info!(workspace = %id, path = %path.display(), "workspace created");
                let mut ws = Workspace::with(conn, path, id, key, clock);
                ws.recovery = recovery;
                Ok(ws)
            }
            Err(e) => {
                remove_files(path);
                Err(e)
            }
        }
    }

    /// Unlocks an existing workspace. A wrong passphrase fails before the database file is touched.
    pub fn open(path: &Path, pass: &Passphrase, clock: Clock) -> Result<Self> {
        (|| {
            let (key_file, key) = unlock(path, pass)?;
            Self::open_keyed(path, key_file, key, clock)
        })()
        .map_err(|e| e.at(path))
    }

    /// Opens an existing workspace with its data key already unwrapped (the CLI's unlock agent
    /// holds it), skipping the key derivation. A key that does not open this file fails at the
    /// first read, before anything is written.
    pub fn open_with_key(path: &Path, key: DataKey, clock: Clock) -> Result<Self> {
        (|| {
            let key_file = read_key_file(path)?;
            Self::open_keyed(path, key_file, key, clock)
        })()
        .map_err(|e| e.at(path))
    }

    fn open_keyed(path: &Path, key_file: KeyFile, key: DataKey, clock: Clock) -> Result<Self> {
        let started = std::time::Instant::now();
        let mut conn = connect(path, &key, OpenFlags::empty())?;
        if store::check_version(&conn)? {
            // An upgrade that goes wrong must not cost the journal; one that cannot be backed up
            // (a full disk) still goes ahead rather than lock the person out.
            let taken = crate::backup::take(&conn, path, &key, &key_file, BackupReason::BeforeMigration, clock.now());
            if let Err(e) = taken {
                warn!(error = %e, "no backup before the upgrade");
            }
        }
        migrate(&mut conn)?;
        debug!(ms = started.elapsed().as_millis() as u64, "database opened and migrated");
        let stored: Option<String> =
            conn.query_row("SELECT value FROM settings WHERE key = 'workspace_id'", [], |r| r.get(0)).optional()?;
        if stored.as_deref() != Some(key_file.workspace_id.as_str()) {
            return Err(Error::Corrupt {
                path: path.to_path_buf(),
                message: "the key file belongs to a different workspace".into(),
            });
        }
        debug!(workspace = %key_file.workspace_id, "workspace unlocked");
        let mut ws = Workspace::with(conn, path, key_file.workspace_id, key, clock);
        ws.on_open()?;
        Ok(ws)
    }

    pub(crate) fn with(conn: Connection, path: &Path, id: String, key: DataKey, clock: Clock) -> Self {
        Workspace {
            conn,
            path: path.to_path_buf(),
            id,
            key,
            clock,
            vectors: Default::default(),
            auto_backup: true,
            recovery: None,
            attachment_limits: Default::default(),
            seen_data_version: Default::default(),
        }
    }

    /// Rewraps the data key under a new passphrase (and optionally a new KDF cost). The database
    /// itself is not rewritten. Returns the KDF cost now in effect.
    /// The key file as it was is backed up with the database first.
    pub fn change_passphrase(
        path: &Path,
        old: &Passphrase,
        new: &Passphrase,
        kdf: Option<KdfParams>,
        clock: Clock,
    ) -> Result<KdfParams> {
        new.check_strength()?;
        let key_path = KeyFile::path_for(path);
        if !key_path.exists() {
            return Err(Error::NoWorkspace(path.to_path_buf()));
        }
        let _changing = KeyFile::lock_changes(path)?;
        let current = KeyFile::read(&key_path)?;
        let key = current.open(old, &key_path)?;
        let kdf = kdf.unwrap_or(current.kdf());
        Self::rewrap(path, &current, &key, new, kdf, clock)?;
        info!(workspace = %current.workspace_id, "passphrase changed");
        Ok(kdf)
    }

    /// Backs the journal up with its key file as it is, then wraps the data key under `new`,
    /// keeping the recovery key's wrapping.
    pub(crate) fn rewrap(
        path: &Path,
        current: &KeyFile,
        key: &DataKey,
        new: &Passphrase,
        kdf: KdfParams,
        clock: Clock,
    ) -> Result<()> {
        let conn = connect(path, key, OpenFlags::empty()).map_err(|e| e.at(path))?;
        crate::backup::take(&conn, path, key, current, BackupReason::BeforePassphraseChange, clock.now())?;
        drop(conn);
        let mut next = KeyFile::seal(&current.workspace_id, kdf, new, key)?;
        next.recovery = current.recovery.clone();
        next.write(&KeyFile::path_for(path))
    }

    /// The recovery key made with this workspace, once: to show the person, who must write it down.
    /// `None` afterwards, and for a workspace that was opened rather than created.
    pub fn take_recovery_key(&mut self) -> Option<RecoveryKey> {
        self.recovery.take()
    }

    /// Closes the database and wipes the key from memory.
    pub fn lock(self) {
        debug!(workspace = %self.id, "workspace locked");
        drop(self);
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn name(&self) -> Result<String> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = 'name'", [], |r| r.get(0))?)
    }

    /// Who this journal is, where it lives, and whether it holds any event yet.
    pub fn info(&self) -> Result<wisdom_model::WorkspaceInfo> {
        let has_entries = self.conn.query_row("SELECT EXISTS (SELECT 1 FROM events)", [], |r| r.get(0))?;
        Ok(wisdom_model::WorkspaceInfo {
            id: self.id.clone(),
            name: self.name()?,
            path: self.path.display().to_string(),
            has_entries,
        })
    }

    pub fn rename(&mut self, name: &str) -> Result<()> {
        validate::title("name", name, wisdom_model::Limits::NAME)?;
        self.conn.execute("UPDATE settings SET value = ?1 WHERE key = 'name'", [name.trim()])?;
        Ok(())
    }

    /// Moves a workspace no front end knows yet (a linked journal that learns its name with its
    /// first pull) to `to`, where nothing may be. The database is closed first (its log folded in),
    /// then moved with any side file, and its key file last: until the key is beside it nothing
    /// opens at `to`, and the front ends register the journal only once this returns.
    pub(crate) fn move_to(self, to: &Path) -> Result<Workspace> {
        let to_key = KeyFile::path_for(to);
        if to.exists() || to_key.exists() {
            return Err(Error::AlreadyExists(to.to_path_buf()));
        }
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let Workspace {
            conn,
            path,
            id,
            key,
            clock,
            auto_backup,
            attachment_limits,
            recovery,
            vectors: _,
            seen_data_version: _,
        } = self;
        conn.close().map_err(|(_, e)| e)?;
        for suffix in ["-wal", "-shm"] {
            let side = sidecar(&path, suffix);
            if side.exists() {
                std::fs::rename(&side, sidecar(to, suffix)).map_err(Error::io(&side))?;
            }
        }
        std::fs::rename(&path, to).map_err(Error::io(&path))?;
        std::fs::rename(KeyFile::path_for(&path), &to_key).map_err(Error::io(&to_key))?;
        if let Some(dir) = to.parent() {
            crate::fsutil::sync_dir(dir);
        }
        let conn = connect(to, &key, OpenFlags::empty())?;
        let mut ws = Workspace::with(conn, to, id, key, clock);
        (ws.auto_backup, ws.attachment_limits, ws.recovery) = (auto_backup, attachment_limits, recovery);
        info!(workspace = %ws.id, from = %path.display(), to = %to.display(), "workspace moved");
        Ok(ws)
    }

    /// The data key, for sealing sync payloads.
    pub fn data_key(&self) -> &DataKey {
        &self.key
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Whether another program (the CLI, another window) committed a change to this journal's
    /// file since the last time this was asked; false the first time. A front end that stays
    /// open polls it to refresh what it shows. Cheap: one pragma, no read of the data.
    pub fn changed_elsewhere(&self) -> Result<bool> {
        let now: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let before = self.seen_data_version.replace(Some(now));
        Ok(before.is_some_and(|b| b != now))
    }

    /// Caps how much of the file this connection keeps decrypted in memory, SQLite's page cache
    /// (`store::PAGE_CACHE_MIB` by default, which suits a command's bulk work). A program that
    /// holds the journal open for hours keeps less: the desktop, whose pages draw as fast with a
    /// quarter of it on a 100,000-event journal.
    pub fn limit_page_cache(&self, mib: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -(i64::from(mib) * 1024))?;
        Ok(())
    }

    /// A write transaction, started as a writer (see `store`'s concurrency rule).
    pub(crate) fn tx(&mut self) -> Result<Transaction<'_>> {
        store::begin(&mut self.conn, &self.path)
    }

    /// Work due because time passed while the workspace was closed: scores whose window moved.
    fn on_open(&mut self) -> Result<()> {
        let started = std::time::Instant::now();
        let now = self.now();
        // Every CLI command opens the workspace: take the write lock only when a score moved.
        if crate::areas::scores_current(&self.conn, now)? {
            return Ok(());
        }
        let tx = self.tx()?;
        crate::areas::recompute_all(&tx, now)?;
        tx.commit()?;
        debug!(ms = started.elapsed().as_millis() as u64, "scores brought up to date");
        Ok(())
    }
}

/// Reads the key file beside `path` and unwraps the data key with `pass`; refuses a missing or
/// empty workspace file before anything opens it.
pub(crate) fn unlock(path: &Path, pass: &Passphrase) -> Result<(KeyFile, DataKey)> {
    let key_file = read_key_file(path)?;
    let key = key_file.open(pass, &KeyFile::path_for(path))?;
    Ok((key_file, key))
}

/// The key file beside `path`, once the workspace file is known to exist and not be empty.
pub(crate) fn read_key_file(path: &Path) -> Result<KeyFile> {
    let key_path = KeyFile::path_for(path);
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoWorkspace(path.to_path_buf())),
        Err(e) => return Err(Error::Io { path: path.to_path_buf(), source: e }),
    };
    if !key_path.exists() {
        return Err(Error::damaged(
            path,
            format!(
                "the key file beside the workspace ({}) is missing; without it the journal cannot be opened",
                key_path.display()
            ),
        ));
    }
    if len == 0 {
        // SQLite would take an empty file for a new database and write a fresh schema into it.
        return Err(Error::damaged(path, "the workspace file is empty (truncated)"));
    }
    KeyFile::read(&key_path)
}

/// Removes a workspace that was never handed out: its file, key file and SQLite's side files.
pub(crate) fn remove_files(path: &Path) {
    for p in [path.to_path_buf(), KeyFile::path_for(path), sidecar(path, "-wal"), sidecar(path, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn seed(conn: &mut Connection, id: &str, name: &str, now: DateTime<Utc>) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let at = time::to_db(now);
    tx.execute(
        "INSERT INTO settings (key, value)
         VALUES ('workspace_id', ?1), ('name', ?2), ('created_at', ?3), ('timezone', ?4)",
        params![id, name, at, crate::zone::system_zone().name()],
    )?;
    {
        let mut stmt = tx.prepare(
            "INSERT OR IGNORE INTO life_areas (id, slug, name, description, cluster, sort_order, is_active,
                 current_score, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 50.0, 'BALANCED', ?7, ?7)",
        )?;
        for (i, a) in LIFE_AREAS.iter().enumerate() {
            stmt.execute(params![a.id(), a.slug, a.name, a.description, a.cluster.as_str(), i as i64 + 1, at])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The same store without encryption, only to measure what SQLCipher costs (`wisdom-bench`).
/// Compiled only with the `bench-plaintext` feature, which no shipped binary enables.
#[cfg(feature = "bench-plaintext")]
impl Workspace {
    #[doc(hidden)]
    pub fn create_plaintext_for_benchmark(path: &Path, clock: Clock) -> Result<Self> {
        let now = clock.now();
        let id = ids::new_id(prefix::WORKSPACE, now);
        let mut conn = store::connect_with(path, None, OpenFlags::SQLITE_OPEN_CREATE)?;
        migrate(&mut conn)?;
        seed(&mut conn, &id, "Plaintext benchmark", now)?;
        Ok(Workspace {
            conn,
            path: path.to_path_buf(),
            id,
            key: DataKey::generate(),
            clock,
            vectors: Default::default(),
            auto_backup: false,
            recovery: None,
            attachment_limits: Default::default(),
            seen_data_version: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_kib(ws: &Workspace) -> i64 {
        ws.conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_front_end_that_stays_open_keeps_a_smaller_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.wisdom");
        let ws = Workspace::create(
            &path,
            "Cached",
            &Passphrase::new("correct horse battery"),
            KdfParams::MINIMUM,
            Clock::system(),
        )
        .unwrap();
        assert_eq!(cache_kib(&ws), -store::PAGE_CACHE_MIB * 1024, "negative: a size in KiB, not pages");
        ws.limit_page_cache(8).unwrap();
        assert_eq!(cache_kib(&ws), -8 * 1024);
        assert_eq!(ws.event_count().unwrap(), 0, "the connection still reads");
    }
}
