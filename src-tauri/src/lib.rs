//! WisdomOS Desktop: a thin Tauri v2 shell. The window shows the Yew UI (ui/); every command it
//! invokes is a direct call into wisdom-core's `Workspace` (see commands/), declared once in
//! wisdom-model's `commands` module with its arguments and reply.
//!
//! Invariant: no business logic here; the shell owns only the unlocked workspace and the window.
#![forbid(unsafe_code)]

mod commands;
pub mod error;
mod reader;
mod reminders;
mod sync;
mod tray;
pub mod webview;
mod window_state;

use tauri::{Context, Manager, WindowEvent, Wry};
use wisdom_model::commands::*;

/// Lists each handler with the model/ command it serves: the build fails when a handler's name is
/// not its command's name, and [`REGISTERED`] lets a test check that every command has a handler.
macro_rules! handlers {
    ($($module:ident :: $name:ident ( $args:ty )),* $(,)?) => {
        /// The names of the registered handlers.
        #[cfg(test)]
        const REGISTERED: &[&str] = &[$(stringify!($name)),*];

        fn handlers() -> impl Fn(tauri::ipc::Invoke<Wry>) -> bool + Send + Sync + 'static {
            $(const _: () = assert!(
                registered_as::<$args>(stringify!($name)),
                concat!("the handler ", stringify!($name), " is not named as its command")
            );)*
            tauri::generate_handler![$(commands::$module::$name),*]
        }
    };
}

handlers! {
    workspaces::list_workspaces(ListWorkspaces),
    workspaces::current_workspace(CurrentWorkspace),
    workspaces::create_workspace(CreateWorkspace),
    workspaces::unlock_workspace(UnlockWorkspace),
    recovery::recover_workspace(RecoverWorkspace),
    workspaces::lock_workspace(LockWorkspace),
    workspaces::list_backups(ListBackups),
    workspaces::backup_now(BackupNow),
    workspaces::backup_folder(GetBackupFolder),
    workspaces::set_backup_folder(SetBackupFolder),
    workspaces::check_journal(CheckJournal),
    workspaces::restore_backup(RestoreBackup),
    workspaces::change_passphrase(ChangePassphrase),
    recovery::has_recovery_key(HasRecoveryKey),
    recovery::rotate_recovery_key(RotateRecoveryKey),
    recovery::save_recovery_key(SaveRecoveryKey),
    workspaces::rename_workspace(RenameWorkspace),
    journal::life_areas(LifeAreas),
    journal::life_area(GetLifeArea),
    journal::score_breakdown(GetScoreBreakdown),
    journal::refresh_scores(RefreshScores),
    journal::dashboard(GetDashboard),
    journal::today_overview(TodayOverview),
    journal::calendar(GetCalendar),
    journal::list_prompts(ListPrompts),
    journal::add_prompt(AddPrompt),
    journal::edit_prompt(EditPrompt),
    journal::set_prompt_hidden(SetPromptHidden),
    journal::practice_settings(GetPracticeSettings),
    journal::set_practice_settings(SetPracticeSettings),
    journal::create_event(CreateEvent),
    journal::update_event(UpdateEvent),
    journal::delete_event(DeleteEvent),
    journal::list_events(ListEvents),
    journal::tags(Tags),
    journal::list_templates(ListTemplates),
    journal::save_template(SaveTemplate),
    journal::delete_template(DeleteTemplate),
    journal::search(Search),
    journal::search_by_meaning(SearchByMeaning),
    journal::suggest_for_text(SuggestForText),
    journal::meaning_status(GetMeaningStatus),
    growth::list_insights(ListInsights),
    growth::create_insight(CreateInsight),
    growth::apply_insight(ApplyInsight),
    growth::dismiss_insight(DismissInsight),
    growth::commit_to_insight(CommitToInsight),
    growth::detect_patterns(DetectPatterns),
    growth::run_due_jobs(RunDueJobs),
    growth::snapshots(Snapshots),
    growth::list_commitments(ListCommitments),
    growth::create_commitment(CreateCommitment),
    growth::update_commitment(UpdateCommitment),
    growth::set_commitment_status(SetCommitmentStatus),
    growth::list_boundaries(ListBoundaries),
    growth::create_boundary(CreateBoundary),
    growth::log_violation(LogViolation),
    growth::eras(Eras),
    growth::create_era(CreateEra),
    growth::list_autobiography(ListAutobiography),
    growth::create_autobiography_entry(CreateAutobiographyEntry),
    growth::update_autobiography_entry(UpdateAutobiographyEntry),
    attachments::entry_attachments(EntryAttachments),
    attachments::attach_file(AttachFile),
    attachments::attach_pasted(AttachPasted),
    attachments::attachment_image(AttachmentImage),
    attachments::delete_attachment(DeleteAttachment),
    files::default_export_dir(DefaultExportDir),
    files::is_folder(IsFolder),
    files::pick_file(PickFile),
    files::export_workspace(ExportWorkspace),
    files::import_file(ImportFile),
    files::preview_import(PreviewImport),
    sync::sync_register(SyncRegister),
    sync::sync_login(SyncLogin),
    sync::sync_link_device(SyncLinkDevice),
    sync::sync_now(SyncNow),
    sync::sync_status(GetSyncStatus),
    sync::sync_activity(GetSyncActivity),
    sync::sync_logout(SyncLogout),
    sync::sync_devices(SyncDevices),
    sync::sync_revoke_device(SyncRevokeDevice),
    sync::sync_conflicts(SyncConflicts),
    sync::resolve_conflict(ResolveConflict),
}

/// Runs the app until its window closes (with a tray shown: until Quit in the tray's menu). The
/// context (config and embedded UI) comes from the binary's `generate_context!`, so the UI is
/// embedded by exactly one compilation unit.
pub fn run(context: Context<Wry>) -> tauri::Result<()> {
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::AppState::default())
        .setup(|app| {
            app.state::<commands::AppState>().start_reminders(app.handle().clone());
            tray::start(app.handle());
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
                window_state::restore(app.handle(), &window);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_) | WindowEvent::CloseRequested { .. }) {
                window_state::save(window.app_handle(), window);
            }
            if let WindowEvent::CloseRequested { api, .. } = event {
                tray::on_close_requested(window, api);
            }
        })
        .invoke_handler(handlers())
        .run(context)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_of_the_contract_has_exactly_one_handler() {
        let mut registered = super::REGISTERED.to_vec();
        let mut declared = wisdom_model::commands::ALL.to_vec();
        registered.sort_unstable();
        declared.sort_unstable();
        assert_eq!(registered, declared);
    }
}
