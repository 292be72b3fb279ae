//! A zip archive read the way an import needs it: its names, checked before anything else is
//! read (a name that climbs out of the archive refuses the whole archive), and the few text files
//! asked for, each bounded ([`wisdom_model::Limits::IMPORT_TEXT_BYTES`] unless an import lowers it) whatever its header claims. Nothing is ever
//! written to disk from an archive.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

use super::{problem, shown, text_from_bytes, ImportProblem};
use crate::error::{Error, Result};

pub(crate) struct Archive {
    zip: zip::ZipArchive<File>,
    names: Vec<String>,
    /// The archive's path, for messages.
    shown: String,
    /// The most one file may unpack to.
    limit: u64,
}

/// Whether a zip entry's name stays inside the archive: relative, no `..`, no drive or root,
/// whichever slash it uses.
fn is_safe(name: &str) -> bool {
    let name = name.replace('\\', "/");
    if name.contains('\0') || name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return false;
    }
    Path::new(&name).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl Archive {
    pub fn open(path: &Path, limit: u64) -> Result<Self> {
        let file = File::open(path).map_err(Error::io(path))?;
        let shown = shown(path);
        let zip = zip::ZipArchive::new(file).map_err(|e| problem(&shown, ImportProblem::BadArchive(e.to_string())))?;
        let mut names = Vec::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.map_err(|e| problem(&shown, ImportProblem::BadArchive(e.to_string())))?;
            if !is_safe(&name) {
                return Err(problem(&shown, ImportProblem::UnsafePath(name.into_owned())));
            }
            names.push(name.into_owned());
        }
        Ok(Archive { zip, names, shown, limit })
    }

    /// Every name in the archive, folders included (as the archive lists them).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// One file's bytes, whole (an attachment), refused past `limit` from its header and by the
    /// read itself. `Ok(None)` when the archive has no such file.
    pub fn read_bytes(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        let location = format!("{}: {name}", self.shown);
        let bad = |e: &dyn std::fmt::Display| problem(&location, ImportProblem::BadArchive(e.to_string()));
        let file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(bad(&e)),
        };
        if file.size() > limit {
            return Err(Error::AttachmentTooLarge {
                name: crate::attachments::file_name(name),
                size: file.size(),
                limit,
            });
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| bad(&e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::AttachmentTooLarge {
                name: crate::attachments::file_name(name),
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(Some(bytes))
    }

    /// The size a file's header declares, if the archive has it.
    pub fn declared_size(&mut self, name: &str) -> Option<u64> {
        self.zip.by_name(name).ok().map(|f| f.size())
    }

    /// One file's text, whole. Refused if it unpacks past the limit, is damaged, or is not UTF-8.
    pub fn read_text(&mut self, name: &str) -> Result<String> {
        let location = format!("{}: {name}", self.shown);
        let bad = |e: &dyn std::fmt::Display| problem(&location, ImportProblem::BadArchive(e.to_string()));
        let file = self.zip.by_name(name).map_err(|e| bad(&e))?;
        if file.size() > self.limit {
            return Err(problem(&location, ImportProblem::TooLarge { limit: self.limit }));
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        // The header's size may lie: the read itself is bounded.
        file.take(self.limit + 1).read_to_end(&mut bytes).map_err(|e| bad(&e))?;
        text_from_bytes(bytes, &location, self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn names_that_leave_the_archive_are_unsafe() {
        for name in ["Journal.json", "photos/abc.jpeg", "./Work.json", "a/b/../c.json"] {
            let expect = !name.contains("..");
            assert_eq!(is_safe(name), expect, "{name}");
        }
        for name in ["../../etc/passwd", "/etc/passwd", "..\\..\\x.json", "C:\\x.json", "photos/\0.jpeg"] {
            assert!(!is_safe(name), "{name}");
        }
    }

    /// A zip whose headers claim its one file is small while it unpacks to far more.
    #[test]
    fn a_file_whose_header_understates_its_size_is_still_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("liar.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("Journal.json", o).unwrap();
        w.write_all(&[b' '; 10_000]).unwrap();
        w.finish().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        // The uncompressed size: at 22 in the local header, at 24 in the central directory's.
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        for at in [22, central + 24] {
            bytes[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        std::fs::write(&path, bytes).unwrap();

        let mut archive = Archive::open(&path, 1_000).unwrap();
        // The zip reader itself stops past the declared size ("larger than its declared
        // uncompressed size"); the import's own bound stands behind it.
        let err = archive.read_text("Journal.json").unwrap_err();
        assert!(
            matches!(
                err,
                Error::ImportSource { problem: ImportProblem::BadArchive(_) | ImportProblem::TooLarge { .. }, .. }
            ),
            "{err:?}"
        );
    }
}
