//! Attaching an import's media to the entries it just wrote (Day One's photos, audio and PDFs
//! from its zip; a Markdown note's embedded images and files from its folder), in text order,
//! inside the import's transaction. What cannot be attached is listed, never fatal: a file the
//! export lacks, one too large for an attachment. Past the journal's whole limit the import stops
//! (nothing of it is written): that is the person's call, not a skip. Thumbnails are left for
//! `Workspace::make_thumbnails`, so thousands of photos cost their storage only.

use std::path::Path;

use rusqlite::Connection;

use super::archive::Archive;
use super::plan::{skip, MediaFrom, Planned};
use crate::attachments::{read_file, store_as, AttachmentLimits, Incoming, Quota};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use wisdom_model::{EntryKind, ImportReport, Limits};

pub(super) fn attach(
    tx: &Connection,
    planned: &Planned,
    limits: AttachmentLimits,
    now: chrono::DateTime<chrono::Utc>,
    report: &mut ImportReport,
) -> Result<()> {
    let (from, entries) = planned.media();
    let mut archive = match from {
        MediaFrom::Zip(path) => Some(Archive::open(path, Limits::IMPORT_TEXT_BYTES)?),
        _ => None,
    };
    let mut quota = Quota::new(tx, limits)?;
    let mut event_exists = tx.prepare_cached("SELECT 1 FROM events WHERE id = ?1")?;
    report.media_pending = 0;
    for (event, media) in entries {
        if !event_exists.exists([event])? {
            continue;
        }
        for m in media {
            let Some(file) = m.file.as_deref().filter(|_| m.in_export && m.refused.is_none()) else {
                report.media_pending += 1;
                continue;
            };
            let read = match (&mut archive, from) {
                (Some(a), _) => a.read_bytes(file, limits.per_file).map(|b| b.map(|b| Incoming::new(file, b))),
                (None, MediaFrom::Folder(root)) => read_file(&root.join(file), limits.per_file).map(Some),
                (None, _) => Ok(None),
            };
            let incoming = match read {
                Ok(Some(f)) => f,
                Ok(None) => {
                    skip(
                        &mut report.skipped,
                        m.kind,
                        "referred to by an entry but missing from the export",
                        Some(file.into()),
                    );
                    report.media_pending += 1;
                    continue;
                }
                Err(Error::AttachmentTooLarge { .. }) => {
                    skip(&mut report.skipped, m.kind, "larger than one attachment may be", Some(file.into()));
                    report.media_pending += 1;
                    continue;
                }
                Err(e) => return Err(super::at(file.to_string())(e)),
            };
            let id = new_id(prefix::ATTACHMENT, now);
            let (_, added) = store_as(tx, &mut quota, EntryKind::Event, event, &incoming, id, now)
                .map_err(super::at(shown(file)))?;
            report.attachments += u64::from(added);
        }
    }
    Ok(())
}

fn shown(file: &str) -> String {
    Path::new(file).display().to_string()
}
