//! Import: our JSON export, jrnl's JSON export, and a JSON-lines stream of events in the seed's
//! POST /events shape (`json.rs`). An import is one transaction, after a backup: the first bad
//! record rolls everything back and names where it is.

mod json;

use std::collections::BTreeSet;
use std::io::BufRead;

use crate::areas::recompute_area;
use crate::error::{Error, Result};
use crate::export::ProgressFn;
use crate::workspace::Workspace;
pub use wisdom_model::{ImportFormat, ImportPreview, ImportReport};

/// The longest line a JSON-lines import accepts (an event at its size limits fits easily).
pub const MAX_LINE_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    pub format: ImportFormat,
    /// Area for entries that do not name one (jrnl entries), by slug or id. Default: personal-growth.
    pub default_area: Option<String>,
    /// Size of the input in bytes, if known, for progress.
    pub size_hint: Option<u64>,
}

impl ImportOptions {
    pub fn new(format: ImportFormat) -> Self {
        ImportOptions { format, default_area: None, size_hint: None }
    }
}

/// Why a source cannot be imported at all. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    #[error("{format} imports read a file or folder by its path")]
    NeedsPath { format: ImportFormat },
}

/// Adds the location of a record to an error from deeper down.
pub(crate) fn at(location: impl Into<String>) -> impl FnOnce(Error) -> Error {
    let location = location.into();
    move |e| match e {
        Error::Import { .. } | Error::ImportSource { .. } => e,
        other => Error::Import { location, message: other.to_string() },
    }
}

pub(crate) fn problem(location: impl std::fmt::Display, problem: ImportProblem) -> Error {
    Error::ImportSource { location: location.to_string(), problem }
}

/// serde_json's message without its "at line 1 column 9" tail (the line is given separately).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rsplit_once(" at line ") {
        Some((head, _)) => format!("{head} (column {})", e.column()),
        None => s,
    }
}

impl Workspace {
    /// Imports a JSON stream (our export, jrnl's, JSON lines). Other apps' exports are not
    /// streams (a zip, a folder): they are refused here.
    pub fn import(
        &mut self,
        input: &mut dyn BufRead,
        opts: &ImportOptions,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        if opts.format.keeps_source_ids() {
            return Err(problem("import", ImportProblem::NeedsPath { format: opts.format }));
        }
        self.in_import_transaction(opts.format, |tx, now, touched| {
            json::import(tx, input, opts, now, touched, progress)
        })
    }

    /// Backup, one write transaction with search indexing deferred, the touched areas rescored.
    fn in_import_transaction(
        &mut self,
        format: ImportFormat,
        work: impl FnOnce(
            &rusqlite::Connection,
            chrono::DateTime<chrono::Utc>,
            &mut BTreeSet<String>,
        ) -> Result<ImportReport>,
    ) -> Result<ImportReport> {
        if self.auto_backup {
            self.backup(wisdom_model::BackupReason::BeforeImport)?;
        }
        let now = self.now();
        let tx = self.tx()?;
        crate::search::defer_indexing(&tx)?;
        let mut touched = BTreeSet::new();
        let report = work(&tx, now, &mut touched)?;
        for area in touched {
            recompute_area(&tx, &area, now)?;
        }
        crate::search::index_deferred(&tx)?;
        tx.commit()?;
        // The import is saved: a merge that cannot run now (another program writing) runs later.
        if let Err(e) = crate::search::merge_search_index(&self.conn) {
            tracing::warn!(error = %e, "search index merge after import postponed");
        }
        tracing::info!(format = %format, events = report.events, "import committed");
        Ok(report)
    }
}
