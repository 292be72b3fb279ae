//! The journals on this device: create, unlock, lock, rename, change the passphrase, back up
//! (where to), and restore. The registry entry is core's (`Registry::remember`); the shell only calls it.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;
use tauri::State;
use tracing::debug;
use wisdom_core::{new_workspace_path, Clock, KdfParams, Passphrase, Workspace};
use wisdom_model::commands::*;
use wisdom_model::{BackupReason, CreatedWorkspace};

use super::{registry, AppState};
use crate::error::{Answer, CmdResult};

#[tauri::command]
pub async fn list_workspaces(args: ListWorkspaces) -> Answer<ListWorkspaces> {
    let ListWorkspaces {} = args;
    Ok(registry()?.entries().iter().map(|e| e.summary()).collect())
}

#[tauri::command]
pub async fn current_workspace(state: State<'_, AppState>, args: CurrentWorkspace) -> Answer<CurrentWorkspace> {
    let CurrentWorkspace {} = args;
    Ok(state.slot().as_ref().map(Workspace::info).transpose()?)
}

#[tauri::command]
pub async fn create_workspace(state: State<'_, AppState>, args: CreateWorkspace) -> Answer<CreateWorkspace> {
    let path = new_workspace_path(&args.name);
    let pass = Passphrase::new(args.passphrase.0);
    let mut ws = Workspace::create(&path, &args.name, &pass, KdfParams::calibrate(), Clock::system())?;
    let recovery_key = ws.take_recovery_key().map(|k| k.display().to_string());
    registry()?.remember(&ws, Some(Utc::now()))?;
    let out = CreatedWorkspace { info: ws.info()?, recovery_key };
    state.opened(ws);
    Ok(out)
}

#[tauri::command]
pub async fn unlock_workspace(state: State<'_, AppState>, args: UnlockWorkspace) -> Answer<UnlockWorkspace> {
    let asked = Instant::now();
    let mut reg = registry()?;
    let entry = reg.entry(&args.id)?.clone();
    // Lock whatever is open first, so two journals are never unlocked at once.
    state.slot().take();
    let started = Instant::now();
    let ws = Workspace::open(&entry.path, &Passphrase::new(args.passphrase.0), Clock::system())?;
    debug!(op = "unlock_workspace", ran_ms = started.elapsed().as_millis() as u64, "key derived and workspace opened");
    reg.remember(&ws, None)?;
    let out = ws.info()?;
    state.opened(ws);
    debug!(op = "unlock_workspace", total_ms = asked.elapsed().as_millis() as u64, "unlocked");
    Ok(out)
}

#[tauri::command]
pub async fn lock_workspace(state: State<'_, AppState>, args: LockWorkspace) -> Answer<LockWorkspace> {
    let LockWorkspace {} = args;
    state.lock();
    Ok(())
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>, args: ListBackups) -> Answer<ListBackups> {
    let path = journal_path(&state, args.workspace.as_deref())?;
    Ok(Workspace::backups_of(&path)?)
}

/// The file of the journal a backup command is about: the open one, or one of this device's by
/// its id (from the unlock screen, where a journal that no longer opens is restored).
fn journal_path(state: &AppState, workspace: Option<&str>) -> CmdResult<PathBuf> {
    match workspace {
        None => state.with(|ws| Ok(ws.path().to_path_buf())),
        Some(id) => Ok(registry()?.entry(id)?.path.clone()),
    }
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>, args: BackupNow) -> Answer<BackupNow> {
    let BackupNow {} = args;
    state.with(|ws| ws.backup(BackupReason::Manual))
}

#[tauri::command]
pub async fn backup_folder(state: State<'_, AppState>, args: GetBackupFolder) -> Answer<GetBackupFolder> {
    let GetBackupFolder {} = args;
    state.with(|ws| Ok(ws.backup_folder()))
}

/// Moves the backups to the folder the person typed (or back beside the journal), as `wisdom
/// backups --folder DIR | --default-folder` does; a folder that cannot be used changes nothing.
#[tauri::command]
pub async fn set_backup_folder(state: State<'_, AppState>, args: SetBackupFolder) -> Answer<SetBackupFolder> {
    state.with(|ws| {
        ws.set_backup_folder(args.folder.as_deref())?;
        Ok(ws.backup_folder())
    })
}

/// Settings > Check journal: the same checks as `wisdom check`, on the open journal (reads only).
#[tauri::command]
pub async fn check_journal(state: State<'_, AppState>, args: CheckJournal) -> Answer<CheckJournal> {
    let CheckJournal {} = args;
    state.with(|ws| Ok(ws.check()))
}

/// Restores a backup (core backs the journal up first), then locks: the journal was replaced under
/// the open one, and its passphrase is now the backup's. A refused restore changes nothing.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, args: RestoreBackup) -> Answer<RestoreBackup> {
    let path = journal_path(&state, args.workspace.as_deref())?;
    let report = Workspace::restore_backup(&path, &args.id, &Passphrase::new(args.passphrase.0), Clock::system())?;
    state.lock();
    Ok(report)
}

#[tauri::command]
pub async fn change_passphrase(state: State<'_, AppState>, args: ChangePassphrase) -> Answer<ChangePassphrase> {
    let path = state.with(|ws| Ok(ws.path().to_path_buf()))?;
    let (old, new) = (Passphrase::new(args.old.0), Passphrase::new(args.new.0));
    Workspace::change_passphrase(&path, &old, &new, None, Clock::system())?;
    Ok(())
}

#[tauri::command]
pub async fn rename_workspace(state: State<'_, AppState>, args: RenameWorkspace) -> Answer<RenameWorkspace> {
    let mut reg = registry()?;
    state.write(|ws| {
        ws.rename(&args.name)?;
        reg.remember(ws, None)?;
        ws.info()
    })
}
