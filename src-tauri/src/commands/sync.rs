//! Sync from the window: sign up, sign in, link this device to a journal synced elsewhere, sync
//! now, devices and conflicts. Calls that reach the server run off the async runtime (core's HTTP
//! client blocks); the background sync itself lives in `crate::sync`.

use chrono::Utc;
use tauri::State;
use tracing::debug;
use wisdom_core::{device_name, Clock, KdfParams, Passphrase, Workspace};
use wisdom_model::commands::*;
use wisdom_model::sync::{Conflict, Json};

use super::{off_runtime, registry, AppState};
use crate::error::Answer;
use crate::sync::sign_in_error;

/// The account's fields as core takes them: the password sealed, this device named.
fn account(a: SyncAccount) -> (String, String, Passphrase, String) {
    let device = device_name(a.device.as_deref());
    (a.server, a.email, Passphrase::new(a.password.0), device)
}

/// Creates an account and puts this journal on it; the first sync follows in the background.
#[tauri::command]
pub async fn sync_register(state: State<'_, AppState>, args: SyncRegister) -> Answer<SyncRegister> {
    let (server, email, password, device) = account(args.account);
    let status = state
        .with_network(move |ws| ws.sync_register(&server, &email, &password, &device).map_err(sign_in_error))
        .await?;
    state.sync.kick();
    Ok(status)
}

/// Links this journal to an existing account (to its copy on the server, or as a new journal).
#[tauri::command]
pub async fn sync_login(state: State<'_, AppState>, args: SyncLogin) -> Answer<SyncLogin> {
    let (server, email, password, device) = account(args.account);
    let status =
        state.with_network(move |ws| ws.sync_login(&server, &email, &password, &device).map_err(sign_in_error)).await?;
    state.sync.kick();
    Ok(status)
}

/// Signs in, opens the journal's key with its passphrase, creates the local file and receives
/// everything; the journal is unlocked afterwards.
#[tauri::command]
pub async fn sync_link_device(state: State<'_, AppState>, args: SyncLinkDevice) -> Answer<SyncLinkDevice> {
    let (server, email, password, device) = account(args.account);
    let passphrase = Passphrase::new(args.passphrase.0);
    let (ws, report) = off_runtime(move || {
        let kdf = KdfParams::calibrate();
        // No path: core names the file after the journal once the first pull has brought its name.
        Workspace::sync_link_device(None, &server, &email, &password, &passphrase, &device, None, kdf, Clock::system())
            .map_err(sign_in_error)
    })
    .await?;
    registry()?.remember(&ws, Some(Utc::now()))?;
    debug!(op = "sync_link_device", rows = report.applied, "linked");
    let out = ws.info()?;
    state.slot().take();
    state.opened(ws);
    Ok(out)
}

/// Failures come back typed (offline, signed out, ...).
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>, args: SyncNow) -> Answer<SyncNow> {
    let SyncNow {} = args;
    let (slot, sync) = (state.workspace.clone(), state.sync.clone());
    off_runtime(move || sync.sync(&slot)).await
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>, args: GetSyncStatus) -> Answer<GetSyncStatus> {
    let GetSyncStatus {} = args;
    state.with(|ws| ws.sync_status())
}

#[tauri::command]
pub async fn sync_activity(state: State<'_, AppState>, args: GetSyncActivity) -> Answer<GetSyncActivity> {
    let GetSyncActivity {} = args;
    Ok(state.sync.activity(&state.workspace))
}

#[tauri::command]
pub async fn sync_logout(state: State<'_, AppState>, args: SyncLogout) -> Answer<SyncLogout> {
    let SyncLogout {} = args;
    state.with_network(|ws| Ok(ws.sync_logout()?)).await?;
    state.sync.disarm();
    Ok(())
}

#[tauri::command]
pub async fn sync_devices(state: State<'_, AppState>, args: SyncDevices) -> Answer<SyncDevices> {
    let SyncDevices {} = args;
    state.with_network(|ws| Ok(ws.sync_devices()?)).await
}

#[tauri::command]
pub async fn sync_revoke_device(state: State<'_, AppState>, args: SyncRevokeDevice) -> Answer<SyncRevokeDevice> {
    state.with_network(move |ws| Ok(ws.sync_revoke_device(&args.device_id)?)).await
}

/// Core's losing row (its JSON value) in model's JSON shape, for the window.
fn shown(c: wisdom_core::SyncConflict) -> Conflict {
    c.map_lost(|row| serde_json::from_value(row).unwrap_or(Json::Null))
}

#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>, args: SyncConflicts) -> Answer<SyncConflicts> {
    Ok(state.with(|ws| ws.sync_conflicts(args.all))?.into_iter().map(shown).collect())
}

#[tauri::command]
pub async fn resolve_conflict(state: State<'_, AppState>, args: ResolveConflict) -> Answer<ResolveConflict> {
    state.write(|ws| ws.resolve_conflict(&args.id, args.how)).map(shown)
}
