//! Export and import: the shell's part is the file (opening it, the default folder), and the
//! system's file chooser, which every part of the app that takes a file or folder asks through.

use std::path::{Path, PathBuf};

use tauri::Emitter;
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use wisdom_core::{home_dir, ImportFormat, ImportOptions, ImportRules, Progress};
use wisdom_model::chooser::Chooser;
use wisdom_model::commands::*;

use super::AppState;
use crate::error::{Answer, CmdResult, CommandError};

/// Where exports go unless the person names a file: their home folder's Documents, else home.
#[tauri::command]
pub async fn default_export_dir(args: DefaultExportDir) -> Answer<DefaultExportDir> {
    let DefaultExportDir {} = args;
    Ok(documents_dir())
}

/// The person's Documents folder, else their home folder: where files the app writes for them go
/// unless they choose.
pub(crate) fn documents_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(home_dir);
    let docs = home.join("Documents");
    if docs.is_dir() {
        docs
    } else {
        home
    }
}

#[tauri::command]
pub async fn is_folder(args: IsFolder) -> Answer<IsFolder> {
    Ok(args.path.is_dir())
}

/// The system's file chooser (GTK's on Linux), in front of the window, asked as model's
/// `FilePurpose` says. The shell shows it so the window needs no file-system permission.
#[tauri::command]
pub async fn pick_file(window: tauri::Window, args: PickFile) -> Answer<PickFile> {
    let purpose = args.purpose;
    let mut dialog = window.dialog().file().set_parent(&window).set_title(purpose.title());
    if let Some((name, extensions)) = purpose.filter() {
        dialog = dialog.add_filter(name, extensions).add_filter("All files", &["*"]);
    }
    if let Some(suggested) = purpose.suggested() {
        if let Some(folder) = suggested.parent().filter(|f| f.is_dir()) {
            dialog = dialog.set_directory(folder);
        }
        if let Some(name) = suggested.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
    }
    let chooser = purpose.chooser();
    let picked = tauri::async_runtime::spawn_blocking(move || match chooser {
        Chooser::OpenFile => dialog.blocking_pick_file(),
        Chooser::OpenFolder => dialog.blocking_pick_folder(),
        Chooser::SaveFile => dialog.blocking_save_file(),
    })
    .await
    .map_err(|e| CommandError::other(format!("The file chooser did not open: {e}")))?;
    picked
        .map(|p| p.into_path().map_err(|e| CommandError::other(format!("Not a file on this device: {e}"))))
        .transpose()
}

fn create_file(path: &Path) -> CmdResult<std::fs::File> {
    if path.as_os_str().is_empty() {
        return Err(CommandError::bad_input("Choose a file to write to."));
    }
    std::fs::File::create(path).map_err(|e| CommandError::other(format!("{}: {e}", path.display())))
}

#[tauri::command]
pub async fn export_workspace(state: State<'_, AppState>, args: ExportWorkspace) -> Answer<ExportWorkspace> {
    let mut file = std::io::BufWriter::new(create_file(&args.path)?);
    state.with(|ws| match args.format {
        ExportFormat::Markdown => ws.export_markdown(&mut file, &mut |_| {}),
        ExportFormat::Json => ws.export_json(&mut file, &mut |_| {}),
    })?;
    Ok(args.path)
}

/// Imports, telling the window how far it has got ([`IMPORT_PROGRESS`], once a per cent).
#[tauri::command]
pub async fn import_file(window: tauri::Window, state: State<'_, AppState>, args: ImportFile) -> Answer<ImportFile> {
    let opts = import_options(&args.path, args.format, args.rules)?;
    let mut shown: Option<u64> = None;
    let mut progress = |p: Progress| {
        let percent = p.percent();
        if shown != Some(percent) {
            shown = Some(percent);
            if let Err(e) = window.emit(IMPORT_PROGRESS, p) {
                tracing::debug!(error = %e, "import progress not sent");
            }
        }
    };
    state.write(|ws| ws.import_path(&args.path, &opts, &mut progress))
}

#[tauri::command]
pub async fn preview_import(state: State<'_, AppState>, args: PreviewImport) -> Answer<PreviewImport> {
    let opts = import_options(&args.path, args.format, args.rules)?;
    state.with(|ws| ws.preview_import(&args.path, &opts, &mut |_| {}))
}

/// The desktop's options for importing `path`: the format and the person's rules, once the path
/// is there.
fn import_options(path: &Path, format: ImportFormat, rules: ImportRules) -> CmdResult<ImportOptions> {
    if !path.exists() {
        return Err(CommandError::bad_input(format!("{}: no such file or folder", path.display())));
    }
    Ok(ImportOptions { rules, ..ImportOptions::new(format) })
}
