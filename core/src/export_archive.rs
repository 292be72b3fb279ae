//! Our export as one zip, for moving a whole journal with its files: `wisdomos.json` (our JSON
//! export, the same document `export_json` writes), `attachments.json` (each attachment's record
//! and where its file is in the zip), `files/<attachment id>/<file name>` (the bytes, stored as
//! they are: photos do not compress), and `journal.md`, the Markdown journal whose images and files
//! are relative links into `files/`, so the unpacked folder reads anywhere.
//! `Workspace::import_path` with the JSON format reads it back (`import/ours.rs`).

use std::collections::HashMap;
use std::io::{Seek, Write};

use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;

use crate::error::{Error, Result};
use crate::export::{Progress, ProgressFn};
use crate::workspace::Workspace;
use wisdom_model::Attachment;

pub(crate) const DOCUMENT: &str = "wisdomos.json";
pub(crate) const ATTACHMENTS: &str = "attachments.json";
pub(crate) const JOURNAL: &str = "journal.md";

/// One attachment as the zip lists it: its record, and its file's path in the zip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ArchivedAttachment {
    #[serde(flatten)]
    pub attachment: Attachment,
    pub file: String,
}

/// Where an attachment's file goes in the zip (and the Markdown's relative link to it).
pub(crate) fn path_in_zip(a: &Attachment) -> String {
    format!("files/{}/{}", a.id, crate::attachments::file_name(&a.file_name))
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Io { path: "export".into(), source: std::io::Error::other(e) }
}

impl Workspace {
    /// Writes the whole journal and its attachments as one zip (see the module's layout).
    pub fn export_zip<W: Write + Seek>(&self, out: W, progress: ProgressFn<'_>) -> Result<()> {
        let mut zip = zip::ZipWriter::new(out);
        let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let attachments = self.attachments(None)?;
        let total = attachments.len() as u64 + 2;

        zip.start_file(DOCUMENT, deflated).map_err(zip_error)?;
        self.export_json(&mut zip, &mut |_| {})?;
        progress(Progress { done: 1, total });

        let listed: Vec<ArchivedAttachment> =
            attachments.iter().map(|a| ArchivedAttachment { attachment: a.clone(), file: path_in_zip(a) }).collect();
        zip.start_file(ATTACHMENTS, deflated).map_err(zip_error)?;
        serde_json::to_writer_pretty(&mut zip, &listed)?;

        let mut links: HashMap<String, Vec<(String, String, bool)>> = HashMap::new();
        for a in &listed {
            let (name, file, image) = (a.attachment.file_name.clone(), a.file.clone(), a.attachment.is_image());
            links.entry(a.attachment.entry_id.clone()).or_default().push((name, file, image));
        }
        zip.start_file(JOURNAL, deflated).map_err(zip_error)?;
        self.export_markdown_linked(&mut zip, &mut |_| {}, &links)?;
        progress(Progress { done: 2, total });

        for (i, a) in listed.iter().enumerate() {
            zip.start_file(a.file.as_str(), stored.large_file(a.attachment.size >= u32::MAX as u64))
                .map_err(zip_error)?;
            self.attachment_content(&a.attachment.id, &mut zip)?;
            progress(Progress { done: 3 + i as u64, total });
        }
        zip.finish().map_err(zip_error)?;
        Ok(())
    }
}
