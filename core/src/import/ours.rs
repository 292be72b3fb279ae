//! Our export zip read back (`export_archive.rs` writes it): `wisdomos.json` through the JSON
//! import, then each attachment of `attachments.json` from `files/`, checked against its hash, with
//! its own id, entry and time. One transaction with the records: a file missing from the zip, one
//! whose bytes do not match, one too large or past the journal's limit refuses the whole import.

use std::path::Path;

use super::archive::Archive;
use super::{json, problem, shown, ImportProblem};
use crate::attachments::{Incoming, Quota};
use crate::error::{Error, Result};
use crate::export_archive::{ArchivedAttachment, ATTACHMENTS, DOCUMENT};
use crate::workspace::Workspace;
use wisdom_model::{ImportOptions, ImportReport};

/// Whether a file is a zip (our export zip, given to the JSON import).
pub(super) fn is_zip(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).map_err(Error::io(path))?;
    Ok(n == 4 && head == *b"PK\x03\x04")
}

pub(super) fn import(
    ws: &mut Workspace,
    path: &Path,
    opts: &ImportOptions,
    progress: crate::ProgressFn<'_>,
) -> Result<ImportReport> {
    let mut archive = Archive::open(path, opts.max_source_bytes)?;
    if !archive.names().iter().any(|n| n == DOCUMENT) {
        return Err(problem(
            shown(path),
            ImportProblem::NothingToImport(format!("the zip has no {DOCUMENT}; is it a WisdomOS export zip?")),
        ));
    }
    let document = archive.read_text(DOCUMENT)?;
    let listed: Vec<ArchivedAttachment> = if archive.names().iter().any(|n| n == ATTACHMENTS) {
        let text = archive.read_text(ATTACHMENTS)?;
        serde_json::from_str(&text).map_err(|e| super::bad(format!("{}: {ATTACHMENTS}", shown(path)), e.to_string()))?
    } else {
        Vec::new()
    };
    let limits = ws.attachment_limits;
    let location = shown(path);
    ws.in_import_transaction(opts.format, |tx, now, touched| {
        let mut report = json::import(tx, &mut document.as_bytes(), opts, now, touched, progress)?;
        let mut quota = Quota::new(tx, limits)?;
        for item in &listed {
            let a = &item.attachment;
            let at = format!("{location}: {}", item.file);
            let bytes = archive
                .read_bytes(&item.file, limits.per_file)?
                .ok_or_else(|| problem(&at, ImportProblem::MissingFile(item.file.clone())))?;
            let file = Incoming::new(&a.file_name, bytes);
            if file.hash != a.hash {
                return Err(problem(
                    &at,
                    ImportProblem::BadArchive("its bytes do not match the hash listed for it".into()),
                ));
            }
            if tx.prepare_cached("SELECT 1 FROM attachments WHERE id = ?1")?.exists([&a.id])? {
                report.already_present += 1;
                continue;
            }
            let (_, added) = crate::attachments::store_as(
                tx,
                &mut quota,
                a.entry_kind,
                &a.entry_id,
                &file,
                a.id.clone(),
                a.created_at,
            )
            .map_err(super::at(at.clone()))?;
            report.attachments += u64::from(added);
        }
        Ok(report)
    })
}
