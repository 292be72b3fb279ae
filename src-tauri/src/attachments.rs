//! The shell's attachment commands: an entry's files with their thumbnails, attaching a file by
//! its path, removing one. Each is one call into core's `Workspace`; the shell adds only the
//! thumbnail's `data:` URL, so the webview gets no file access of its own.

use std::path::PathBuf;

use base64::Engine;
use tauri::State;
use wisdom_core::model::{Attachment, AttachmentPreview, EntryKind};

use crate::commands::AppState;
use crate::error::{CmdResult, CommandError};

/// The files on an event or autobiography entry, in their order, each photo with its thumbnail
/// (made now, once, if an import or a sync left it for later).
#[tauri::command]
pub async fn entry_attachments(
    state: State<'_, AppState>,
    kind: EntryKind,
    entry_id: String,
) -> CmdResult<Vec<AttachmentPreview>> {
    state.with(|ws| {
        let list = ws.attachments(Some((kind, &entry_id)))?;
        let mut out = Vec::with_capacity(list.len());
        for attachment in list {
            let thumbnail = if attachment.is_image() {
                ws.attachment_thumbnail(&attachment.id)?.map(|jpeg| {
                    format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(jpeg))
                })
            } else {
                None
            };
            out.push(AttachmentPreview { attachment, thumbnail });
        }
        Ok(out)
    })
}

/// Attaches the file at `path` (typed or pasted by the person) to an entry.
#[tauri::command]
pub async fn attach_file(
    state: State<'_, AppState>,
    kind: EntryKind,
    entry_id: String,
    path: PathBuf,
) -> CmdResult<Vec<Attachment>> {
    if !path.is_file() {
        return Err(CommandError::bad_input(format!("{}: no such file", path.display())));
    }
    state.write(|ws| ws.attach_files(kind, &entry_id, &[path]))
}

#[tauri::command]
pub async fn delete_attachment(state: State<'_, AppState>, id: String) -> CmdResult<Attachment> {
    state.write(|ws| ws.delete_attachment(&id))
}
