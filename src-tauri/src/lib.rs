//! WisdomOS Desktop: a thin Tauri v2 shell. The window shows the Yew UI (ui/); every command it
//! invokes is a direct call into wisdom-core's `Workspace` (see commands.rs).
//!
//! Invariant: no business logic here; the shell owns only the unlocked workspace and the window.
#![forbid(unsafe_code)]

mod attachments;
mod commands;
pub mod error;
mod reader;
mod reminders;
mod sync;
pub mod webview;
mod window_state;

use tauri::{Context, Manager, WindowEvent, Wry};

/// Runs the app until its window closes. The context (config and embedded UI) comes from the
/// binary's `generate_context!`, so the UI is embedded by exactly one compilation unit.
pub fn run(context: Context<Wry>) -> tauri::Result<()> {
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(commands::AppState::default())
        .setup(|app| {
            app.state::<commands::AppState>().reminders.attach(app.handle().clone());
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
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_workspaces,
            commands::current_workspace,
            commands::create_workspace,
            commands::unlock_workspace,
            commands::lock_workspace,
            commands::list_backups,
            commands::backup_now,
            commands::restore_backup,
            commands::change_passphrase,
            commands::rename_workspace,
            commands::life_areas,
            commands::life_area,
            commands::score_breakdown,
            commands::refresh_scores,
            commands::dashboard,
            commands::today_overview,
            commands::calendar,
            commands::list_prompts,
            commands::add_prompt,
            commands::edit_prompt,
            commands::set_prompt_hidden,
            commands::practice_settings,
            commands::set_practice_settings,
            commands::create_event,
            commands::update_event,
            commands::delete_event,
            commands::list_events,
            commands::tags,
            commands::list_templates,
            commands::save_template,
            commands::delete_template,
            commands::search,
            commands::search_by_meaning,
            commands::suggest_for_text,
            commands::meaning_status,
            commands::list_insights,
            commands::create_insight,
            commands::apply_insight,
            commands::dismiss_insight,
            commands::commit_to_insight,
            commands::detect_patterns,
            commands::run_due_jobs,
            commands::snapshots,
            commands::list_commitments,
            commands::create_commitment,
            commands::update_commitment,
            commands::set_commitment_status,
            commands::list_boundaries,
            commands::create_boundary,
            commands::log_violation,
            commands::eras,
            commands::create_era,
            commands::list_autobiography,
            commands::create_autobiography_entry,
            commands::update_autobiography_entry,
            commands::default_export_dir,
            commands::export_workspace,
            commands::import_file,
            commands::sync_register,
            commands::sync_login,
            commands::sync_link_device,
            commands::sync_now,
            commands::sync_status,
            commands::sync_activity,
            commands::sync_logout,
            commands::sync_devices,
            commands::sync_revoke_device,
            commands::sync_conflicts,
            commands::resolve_conflict,
            attachments::entry_attachments,
            attachments::attach_file,
            attachments::delete_attachment,
        ])
        .run(context)
}
