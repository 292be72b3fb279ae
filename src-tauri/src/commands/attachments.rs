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
                ws.attachment_thumbnail(&attachment.id)?.map(|jpeg| data_url("image/jpeg", &jpeg))
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
pub async fn attach_pasted(state: State<'_, AppState>, args: AttachPasted) -> Answer<AttachPasted> {
    let encoded = args.data_url.split_once(";base64,").map(|(_, data)| data);
    let bytes = encoded
        .and_then(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .ok_or_else(|| CommandError::bad_input("The pasted file did not arrive whole: paste it again."))?;
    let name = if args.file_name.trim().is_empty() { "pasted" } else { args.file_name.trim() };
    state.write(|ws| ws.attach_bytes(args.kind, &args.entry_id, name, bytes))
}

/// A photo at full size, for the window's viewer.
#[tauri::command]
pub async fn attachment_image(state: State<'_, AppState>, args: AttachmentImage) -> Answer<AttachmentImage> {
    let (attachment, bytes) = state.with(|ws| ws.attachment_bytes(&args.id))?;
    if !attachment.shows_full_size() {
        return Err(CommandError::bad_input(format!(
            "{} ({}) cannot be shown here: save a copy to open it in another program.",
            attachment.file_name, attachment.media_type
        )));
    }
    Ok(data_url(&attachment.media_type, &bytes))
}

fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[tauri::command]
pub async fn delete_attachment(state: State<'_, AppState>, args: DeleteAttachment) -> Answer<DeleteAttachment> {
    state.write(|ws| ws.delete_attachment(&args.id))
}
