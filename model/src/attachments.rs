//! Attachments: photos, audio, PDFs and other files kept with an event or an autobiography entry,
//! as every front end sees them (the bytes themselves stay in the core).

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Which kind of entry a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    Event,
    Autobiography,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Event => "event",
            EntryKind::Autobiography => "autobiography",
        }
    }

    /// The kind [`EntryKind::as_str`] names.
    pub fn parse(name: &str) -> Option<EntryKind> {
        [EntryKind::Event, EntryKind::Autobiography].into_iter().find(|k| k.as_str() == name)
    }
}

/// One attached file: what it is and where it belongs, never its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: String,
    pub entry_kind: EntryKind,
    /// The event's or autobiography entry's id.
    pub entry_id: String,
    /// The name the file had when it was attached (no folders).
    pub file_name: String,
    /// e.g. `image/jpeg`, `audio/mpeg`, `application/pdf`; `application/octet-stream` if unknown.
    pub media_type: String,
    pub size: u64,
    /// BLAKE2b-256 of the content, lower-case hex: equal files are stored once.
    pub hash: String,
    pub created_at: Timestamp,
    /// Whether a thumbnail is stored (JPEG, PNG and WebP photos; not HEIC, audio or documents).
    pub has_thumbnail: bool,
}

impl Attachment {
    /// Whether it is a picture a front end may show inline.
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }

    /// Whether a window can show it at full size as it is (the formats every web view decodes;
    /// not HEIC, which the person saves a copy of instead).
    pub fn shows_full_size(&self) -> bool {
        matches!(self.media_type.as_str(), "image/jpeg" | "image/png" | "image/webp" | "image/gif")
    }
}

/// An attachment as an entry's page shows it: the record and, for a photo, its thumbnail as a
/// `data:image/jpeg;base64,...` URL (the desktop shell's reply to `entry_attachments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentPreview {
    #[serde(flatten)]
    pub attachment: Attachment,
    pub thumbnail: Option<String>,
}

/// How much of the journal's attachment space is in use (each distinct file counted once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentUsage {
    pub attachments: u64,
    pub files: u64,
    pub bytes: u64,
    pub limit_bytes: u64,
}
