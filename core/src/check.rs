//! Checking a journal file: SQLCipher's page checks, SQLite's structure and foreign-key checks and
//! the search index's own check, each reported with what it found (`wisdom check`).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::keys::{DataKey, KeyFile, Passphrase};
use crate::store;
use crate::time::Clock;
use crate::workspace::{read_key_file, unlock, Workspace};

pub use wisdom_model::check::{CheckReport, CheckResult};

/// A check that could not run at all (its pages unreadable) is one problem, not an abort, so the
/// report always covers every check.
fn run(name: &'static str, label: &'static str, check: impl FnOnce() -> Result<Vec<String>>) -> CheckResult {
    let problems = check().unwrap_or_else(|e| vec![format!("could not run: {e}")]);
    CheckResult { name: name.into(), label: label.into(), problems }
}

/// The rows of a check pragma; SQLite's integrity check answers a single "ok" when all is well.
fn pragma_rows(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let rows = conn.prepare(sql)?.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn foreign_key_problems(conn: &Connection) -> Result<Vec<String>> {
    let rows = conn
        .prepare(r#"SELECT "table", rowid, parent FROM pragma_foreign_key_check"#)?
        .query_map([], |r| {
            let (table, rowid, parent): (String, Option<i64>, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let row = rowid.map_or_else(|| "a row".to_string(), |id| format!("row {id}"));
            Ok(format!("{table} {row} refers to a missing {parent} row"))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Workspace {
    /// Runs every check on this workspace's file. Reads only (the search index's check is an FTS5
    /// command statement, which changes nothing).
    pub fn check(&self) -> CheckReport {
        let conn = &self.conn;
        CheckReport {
            checks: vec![
                run("cipher", "encrypted pages (SQLCipher cipher_integrity_check)", || {
                    pragma_rows(conn, "PRAGMA cipher_integrity_check")
                }),
                run("structure", "database structure (SQLite integrity_check)", || {
                    pragma_rows(conn, "PRAGMA integrity_check")
                }),
                run("foreignKeys", "links between records (SQLite foreign_key_check)", || foreign_key_problems(conn)),
                run("searchIndex", "search index (FTS5 integrity-check)", || {
                    self.verify_search_index().map(|()| Vec::new())
                }),
            ],
        }
    }

    /// Opens the file at `path` only as far as checking it needs (the key unwrapped, no schema
    /// upgrade, no score recompute: a check writes nothing) and checks it. A file that cannot be
    /// opened at all (damaged first page, missing key file, written by a newer app) is an error
    /// that says so.
    pub fn check_file(path: &Path, pass: &Passphrase, clock: Clock) -> Result<CheckReport> {
        (|| {
            let (key_file, key) = unlock(path, pass)?;
            Self::check_keyed(path, key_file, key, clock)
        })()
        .map_err(|e: Error| e.at(path))
    }

    /// [`Workspace::check_file`] with the data key already unwrapped (the CLI's unlock agent).
    pub fn check_file_with_key(path: &Path, key: DataKey, clock: Clock) -> Result<CheckReport> {
        (|| Self::check_keyed(path, read_key_file(path)?, key, clock))().map_err(|e: Error| e.at(path))
    }

    fn check_keyed(path: &Path, key_file: KeyFile, key: DataKey, clock: Clock) -> Result<CheckReport> {
        let conn = store::connect(path, &key, OpenFlags::empty())?;
        store::check_version(&conn)?;
        let ws = Workspace::with(conn, path, key_file.workspace_id, key, clock);
        Ok(ws.check())
    }
}
