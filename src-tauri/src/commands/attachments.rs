//! An entry's files: its attachments with their thumbnails, attaching a file by its path, removing
//! one. Each is one call into core's `Workspace`; the shell adds only the thumbnail's `data:` URL,
//! so the webview gets no file access of its own.

use base64::Engine;
use tauri::State;
use wisdom_model::commands::*;
use wisdom_model::AttachmentPreview;

use super::AppState;
use crate::error::{Answer, CommandError};

/// The files on an event or autobiography entry, in their order, each photo with its thumbnail
/// (made now, once, if an import or a sync left it for later).
#[tauri::command]
pub async fn entry_attachments(state: State<'_, AppState>, args: EntryAttachments) -> Answer<EntryAttachments> {
    state.with(|ws| {
        let list = ws.attachments(Some((args.kind, &args.entry_id)))?;
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

#[tauri::command]
pub async fn attach_file(state: State<'_, AppState>, args: AttachFile) -> Answer<AttachFile> {
    if !args.path.is_file() {
        return Err(CommandError::bad_input(format!("{}: no such file", args.path.display())));
    }
    state.write(|ws| ws.attach_files(args.kind, &args.entry_id, &[args.path]))
}

#[tauri::command]
pub async fn delete_attachment(state: State<'_, AppState>, args: DeleteAttachment) -> Answer<DeleteAttachment> {
    state.write(|ws| ws.delete_attachment(&args.id))
}
