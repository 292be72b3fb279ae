//! Import. Two families:
//! - JSON (`json.rs`): our own export, jrnl's JSON export, and a JSON-lines stream of events in
//!   the seed's POST /events shape. Read as a stream; records keep their own ids.
//! - Other journal apps (Day One, Daylio, a folder of Markdown notes): each reader (`dayone.rs`,
//!   `daylio.rs`, `markdown.rs`) turns its source into [`plan::SourceEntry`]s, each with the id the
//!   app gave it; `plan.rs` files them (area, type, tone, charge, tags), finds those an earlier
//!   import brought in (`import_sources`, V7) and either previews the result (`--dry-run`) or
//!   writes it.
//!
//! Either way an import is one transaction, after a backup: the first bad record rolls everything
//! back and names where it is, and nothing is half-imported.

mod archive;
mod csv;
mod daylio;
mod dayone;
mod frontmatter;
mod json;
mod markdown;
mod media;
mod ours;
mod plan;
mod text;

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::Path;

use crate::areas::recompute_area;
use crate::error::{Error, Result};
use crate::export::ProgressFn;
use crate::workspace::Workspace;
pub use wisdom_model::import::{parse_area_map, ImportOptions, Suggest, SUGGEST_AUTO_MAX};
pub use wisdom_model::{ImportFormat, ImportPreview, ImportReport, ImportRules};

/// The longest line a JSON-lines import accepts (an event at its size limits fits easily).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a source cannot be imported at all. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    #[error("not a zip archive, or a damaged or truncated one ({0})")]
    BadArchive(String),
    #[error("the archive names a file outside itself ({0:?}); a real export never does, so it was not read")]
    UnsafePath(String),
    #[error("unpacks to more than {limit} bytes, more than any journal export holds; not read")]
    TooLarge { limit: u64 },
    #[error("more than {limit} files; import a smaller folder")]
    TooManyFiles { limit: usize },
    #[error("not valid UTF-8 text (byte {offset}); export it again as UTF-8")]
    NotUtf8 { offset: usize },
    #[error("{0} is listed in the export but missing from it")]
    MissingFile(String),
    #[error("no journal found: {0}")]
    NothingToImport(String),
    #[error("{0}")]
    BadHeader(String),
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

pub(crate) fn bad(location: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Import { location: location.into(), message: message.into() }
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

/// A path as the person gave it, for messages.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl Workspace {
    /// Imports a JSON stream (our export, jrnl's, JSON lines). Other apps' exports are read from
    /// a path: see [`Workspace::import_path`].
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

    /// Imports the file (or, for Markdown, the folder) at `path` in any format.
    pub fn import_path(&mut self, path: &Path, opts: &ImportOptions, progress: ProgressFn<'_>) -> Result<ImportReport> {
        if opts.format == ImportFormat::Json && ours::is_zip(path)? {
            return ours::import(self, path, opts, progress);
        }
        if !opts.format.keeps_source_ids() {
            let file = std::fs::File::open(path).map_err(Error::io(path))?;
            let opts = ImportOptions { size_hint: file.metadata().ok().map(|m| m.len()), ..opts.clone() };
            return self.import(&mut std::io::BufReader::new(file), &opts, progress);
        }
        let source = read_source(path, opts, self.timezone()?)?;
        let planned = plan::plan(self, source, opts, progress)?;
        if let Some(report) = planned.nothing_to_write() {
            // Everything was imported before: no backup, no transaction.
            return Ok(report);
        }
        let limits = self.attachment_limits;
        self.in_import_transaction(opts.format, |tx, now, touched| {
            let mut report = plan::write(tx, &planned, now, touched, progress)?;
            media::attach(tx, &planned, limits, now, &mut report)?;
            let mut skipped = planned.skipped().to_vec();
            for s in std::mem::take(&mut report.skipped) {
                for example in
                    s.examples.iter().cloned().map(Some).chain(std::iter::repeat(None)).take(s.count as usize)
                {
                    plan::skip(&mut skipped, &s.what, &s.reason, example);
                }
            }
            report.skipped = skipped;
            Ok(report)
        })
    }

    /// What importing `path` would do, worked out in full (the same reading, filing and checks
    /// for entries already imported) without writing anything.
    pub fn preview_import(&self, path: &Path, opts: &ImportOptions, progress: ProgressFn<'_>) -> Result<ImportPreview> {
        if !opts.format.keeps_source_ids() {
            return Err(wisdom_model::Invalid::new(
                "--dry-run",
                opts.format,
                "a preview of a dayone, daylio or markdown import",
            )
            .into());
        }
        let source = read_source(path, opts, self.timezone()?)?;
        let planned = plan::plan(self, source, opts, progress)?;
        Ok(planned.preview())
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
        if report.events > 0 {
            // Recurring situations are looked for again once the language model has read them.
            crate::patterns::set_look_again(&tx, true)?;
        }
        tx.commit()?;
        // The import is saved: a merge that cannot run now (another program writing) runs later.
        if let Err(e) = crate::search::merge_search_index(&self.conn) {
            tracing::warn!(error = %e, "search index merge after import postponed");
        }
        tracing::info!(format = %format, events = report.events, "import committed");
        Ok(report)
    }
}

fn read_source(path: &Path, opts: &ImportOptions, tz: chrono_tz::Tz) -> Result<plan::SourceRead> {
    let meta = std::fs::metadata(path).map_err(Error::io(path))?;
    match opts.format {
        ImportFormat::DayOne => dayone::read(path, tz, opts.max_source_bytes),
        ImportFormat::Daylio => daylio::read(path, &opts.rules.moods, tz, opts.max_source_bytes),
        ImportFormat::Markdown => markdown::read(path, meta.is_dir(), tz, opts.max_source_bytes),
        other => Err(problem(shown(path), ImportProblem::NeedsPath { format: other })),
    }
}

/// Reads a whole file of text, refusing one past `limit` bytes or not UTF-8.
pub(crate) fn read_text_file(path: &Path, limit: u64) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(Error::io(path))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(Error::io(path))?;
    text_from_bytes(bytes, &shown(path), limit)
}

pub(crate) fn text_from_bytes(bytes: Vec<u8>, location: &str, limit: u64) -> Result<String> {
    if bytes.len() as u64 > limit {
        return Err(problem(location, ImportProblem::TooLarge { limit }));
    }
    let mut text = String::from_utf8(bytes)
        .map_err(|e| problem(location, ImportProblem::NotUtf8 { offset: e.utf8_error().valid_up_to() }))?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// The name of a path's last part, for messages and labels.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| shown(path))
}
