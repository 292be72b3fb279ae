//! The SQLite side of a workspace file: opening a keyed connection, bringing its schema up to date,
//! and the rule that lets many programs (CLI processes, the desktop app, its background sync) write
//! to one file at once.
//!
//! Concurrency rule: WAL, so readers never block the writer; every write transaction starts as a
//! writer (`BEGIN IMMEDIATE`, [`begin`]), so it queues for the write lock in SQLite's busy handler
//! for up to [`busy_wait`] instead of upgrading a read snapshot later (a deferred upgrade that meets
//! a newer commit fails at once with `database is locked`, bypassing the handler). A wait that runs
//! out is [`Error::Busy`], naming the other program where the system says which it is.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::keys::DataKey;

mod embedded {
    refinery::embed_migrations!("../migrations/workspace");
}

/// How long a write waits for another program's write to finish before giving up with
/// [`Error::Busy`], unless `WISDOM_BUSY_WAIT` says otherwise. A single CLI write holds the lock
/// for milliseconds; a large import or a first sync pull for seconds.
const BUSY_WAIT: Duration = Duration::from_secs(20);

/// The wait every connection, backup and busy message of this process uses: [`BUSY_WAIT`], or
/// env `WISDOM_BUSY_WAIT` in whole seconds (tests that make a write time out; a machine whose
/// large imports hold the lock longer). Read once, so the message says the wait that was waited.
pub(crate) fn busy_wait() -> Duration {
    static WAIT: OnceLock<Duration> = OnceLock::new();
    *WAIT.get_or_init(|| {
        std::env::var("WISDOM_BUSY_WAIT")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(BUSY_WAIT)
    })
}

pub(crate) fn connect(path: &Path, key: &DataKey, extra: OpenFlags) -> Result<Connection> {
    connect_with(path, Some(key), extra)
}

/// A connection's page cache unless a front end limits it (`Workspace::limit_page_cache`).
pub(crate) const PAGE_CACHE_MIB: i64 = 32;

pub(crate) fn connect_with(path: &Path, key: Option<&DataKey>, extra: OpenFlags) -> Result<Connection> {
    let conn = open_keyed(path, key, extra)?;
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA wal_autocheckpoint = 16000;
         PRAGMA cache_size = -{};
         PRAGMA temp_store = MEMORY;",
        PAGE_CACHE_MIB * 1024
    ))?;
    Ok(conn)
}

/// A read-write connection keyed with `key` (none: plaintext, for the benchmark), proven to open the
/// file by a first read, with none of a workspace's settings (backups keep their own journal mode).
pub(crate) fn open_keyed(path: &Path, key: Option<&DataKey>, extra: OpenFlags) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
    let conn = Connection::open_with_flags(path, flags)?;
    // Even the first read may wait (another process recovering the WAL), so wait from the start.
    conn.busy_timeout(busy_wait())?;
    if let Some(key) = key {
        conn.execute_batch(&key.sqlcipher_pragma())?;
    }
    quiet_sqlcipher(&conn)?;
    // The first read proves the key opens this file.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        return Err(match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::damaged(
                path,
                "this file is damaged or cut short, or the key file beside it belongs to another journal",
            ),
            _ => Error::from(e).at(path),
        });
    }
    Ok(conn)
}

/// SQLCipher logs a failed page check (`ERROR CORE sqlcipher_page_cipher: hmac check failed ...`)
/// to stderr; errors reach the person through us instead. Its log settings are process-wide and
/// its first keyed connection resets them to WARN on stderr (`sqlcipher_activate`), so a
/// `cipher_log_level` set before the key is undone: turn the log off after keying.
fn quiet_sqlcipher(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA cipher_log = off", [], |_| Ok(()))?;
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))?;
    Ok(())
}

/// Starts a write transaction as a writer (see the module's concurrency rule).
pub(crate) fn begin<'c>(conn: &'c mut Connection, path: &Path) -> Result<Transaction<'c>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| Error::from(e).at(path))
}

/// The version of the last migration in migrations/workspace: what an up-to-date file has applied.
/// Kept as a number so that opening an up-to-date file never builds refinery's runner (which
/// compiles a regex to read the migrations' names: an eighth of a whole CLI command's work); a
/// test checks it against the embedded migrations.
const SCHEMA_VERSION: i64 = 15;

fn schema_versions(conn: &Connection) -> Result<(i64, i64)> {
    let known = SCHEMA_VERSION;
    let has_history: bool =
        conn.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'refinery_schema_history'", [], |r| {
            r.get(0)
        })?;
    if !has_history {
        return Ok((0, known));
    }
    let applied: Option<i64> = conn.query_row("SELECT max(version) FROM refinery_schema_history", [], |r| r.get(0))?;
    Ok((applied.unwrap_or(0), known))
}

/// Refuses a file written by a newer app (its schema is ahead of ours); returns whether the file
/// needs migrating.
pub(crate) fn check_version(conn: &Connection) -> Result<bool> {
    let (applied, known) = schema_versions(conn)?;
    if applied > known {
        return Err(Error::Migration(format!(
            "this workspace was written by a newer WisdomOS (schema {applied} > {known}); update the app to open it"
        )));
    }
    Ok(applied < known)
}

/// Brings the file to this app's schema. A file written by a newer app is refused, not damaged;
/// an up-to-date file is not written to.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    if !check_version(conn)? {
        return Ok(());
    }
    loop {
        let (before, known) = schema_versions(conn)?;
        match embedded::migrations::runner().run(conn) {
            Ok(_) => return Ok(()),
            // Another program opening the same file may migrate it at the same moment; each
            // migration is its own transaction, so the slower one fails on a change the other made.
            // Start again from what is now applied while the other one is making progress.
            Err(e) => {
                let (after, _) = schema_versions(conn)?;
                if after >= known {
                    return Ok(());
                }
                if after <= before {
                    return Err(Error::Migration(e.to_string()));
                }
            }
        }
    }
}

/// Other processes that have the workspace file open, as `name (pid N)`: best effort, from
/// Linux's /proc (a process of another user, or another system, is not seen).
pub(crate) fn programs_using(path: &Path) -> Option<String> {
    let target = std::fs::canonicalize(path).ok()?;
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else { continue };
        if fds.flatten().any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target)) {
            let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            found.push(format!("{} (pid {pid})", name.trim()));
        }
    }
    if found.len() > 3 {
        let more = found.len() - 3;
        found.truncate(3);
        found.push(format!("{more} more"));
    }
    (!found.is_empty()).then(|| found.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KdfParams, Passphrase};
    use crate::time::Clock;
    use crate::workspace::Workspace;

    #[test]
    fn the_schema_version_is_the_last_embedded_migration() {
        let last = embedded::migrations::runner().get_migrations().iter().map(|m| m.version() as i64).max();
        assert_eq!(Some(SCHEMA_VERSION), last, "a new migration: raise SCHEMA_VERSION with it");
    }

    #[test]
    fn a_write_that_waits_too_long_is_busy_not_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.wisdom");
        let pass = Passphrase::new("correct horse battery");
        let mut holder = Workspace::create(&path, "Busy", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        let mut waiter = Workspace::open(&path, &pass, Clock::system()).unwrap();
        waiter.conn.busy_timeout(Duration::from_millis(200)).unwrap();

        let tx = holder.tx().unwrap();
        let err = waiter.create_event(&crate::testing::work_event("waits")).unwrap_err();
        assert!(matches!(err, Error::Busy { .. }), "{err:?}");
        assert!(err.to_string().starts_with("the journal is busy in another WisdomOS program"), "{err}");
        drop(tx);
        waiter.create_event(&crate::testing::work_event("lands once the other write is done")).unwrap();
    }

    #[test]
    fn a_file_from_a_newer_app_is_refused_by_open_and_check_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.wisdom");
        let pass = Passphrase::new("correct horse battery");
        let ws = Workspace::create(&path, "Newer", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        ws.conn
            .execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
                 VALUES (999, 'future', '2030-01-01T00:00:00Z', '0')",
                [],
            )
            .unwrap();
        drop(ws);
        let opened = Workspace::open(&path, &pass, Clock::system()).unwrap_err();
        let checked = Workspace::check_file(&path, &pass, Clock::system()).unwrap_err();
        for err in [opened, checked] {
            assert!(err.to_string().contains("written by a newer WisdomOS (schema 999"), "{err}");
            assert!(err.to_string().ends_with("update the app to open it"), "{err}");
        }
    }
}
