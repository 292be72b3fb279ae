//! Export and import: the shell's part is the file (opening it, the default folder).

use std::path::{Path, PathBuf};

use tauri::State;
use wisdom_core::{home_dir, ImportOptions};
use wisdom_model::commands::*;

use super::AppState;
use crate::error::{Answer, CmdResult, CommandError};

/// Where exports go unless the person names a file: their home folder's Documents, else home.
#[tauri::command]
pub async fn default_export_dir(args: DefaultExportDir) -> Answer<DefaultExportDir> {
    let DefaultExportDir {} = args;
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(home_dir);
    let docs = home.join("Documents");
    Ok(if docs.is_dir() { docs } else { home })
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

#[tauri::command]
pub async fn import_file(state: State<'_, AppState>, args: ImportFile) -> Answer<ImportFile> {
    if !args.path.exists() {
        return Err(CommandError::bad_input(format!("{}: no such file or folder", args.path.display())));
    }
    let opts = ImportOptions::new(args.format);
    state.write(|ws| ws.import_path(&args.path, &opts, &mut |_| {}))
}
