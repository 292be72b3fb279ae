//! `Workspace`'s public API, in one place: what every front end (the CLI, the desktop shell) can
//! ask of an unlocked journal, grouped by part of the product, one line each. The methods are
//! written in the module of their part (`events.rs`, `sync/`, ...); this list is checked against
//! them by the test below, so a new public method is listed here or the build's tests fail.
//!
//! ## Opening and keeping a journal
//! - [`Workspace::create`] (`workspace`): Creates a new workspace file (and its key file beside it)
//! - [`Workspace::open`] (`workspace`): Unlocks an existing workspace
//! - [`Workspace::open_with_key`] (`workspace`): Opens an existing workspace with its data key already unwrapped
//! - [`Workspace::change_passphrase`] (`workspace`): Rewraps the data key under a new passphrase
//! - [`Workspace::take_recovery_key`] (`workspace`): The recovery key made with this workspace, once
//! - [`Workspace::lock`] (`workspace`): Closes the database and wipes the key from memory
//! - [`Workspace::id`] (`workspace`)
//! - [`Workspace::path`] (`workspace`)
//! - [`Workspace::name`] (`workspace`)
//! - [`Workspace::info`] (`workspace`): Who this journal is, where it lives, and whether it holds any event yet
//! - [`Workspace::rename`] (`workspace`)
//! - [`Workspace::data_key`] (`workspace`): The data key, for sealing sync payloads
//! - [`Workspace::now`] (`workspace`)
//! - [`Workspace::changed_elsewhere`] (`workspace`): Whether another program committed a change to this journal's
//! - [`Workspace::limit_page_cache`] (`workspace`): Caps how much of the file this connection keeps decrypted in memory, SQLite's page cache
//! - [`Workspace::create_plaintext_for_benchmark`] (`workspace`)
//! - [`Workspace::recover`] (`recovery`): Sets a new passphrase with the recovery key
//! - [`Workspace::rotate_recovery_key`] (`recovery`): Makes a new recovery key
//! - [`Workspace::has_recovery_key`] (`recovery`): Whether the workspace at `path` has a recovery key
//! - [`Workspace::backup`] (`backup`): Takes a backup now, checked, and prunes old ones
//! - [`Workspace::backups_of`] (`backup`): The backups of the workspace at `path`, newest first
//! - [`Workspace::backup_folder_of`] (`backup`): The folder the backups of the workspace at `path` are in
//! - [`Workspace::set_backup_folder`] (`backup::folder`): Keeps the backups in a folder the person chose, on this machine
//! - [`Workspace::backup_folder`] (`backup::folder`): Where this workspace's backups go, and whether the person chose the folder
//! - [`Workspace::restore_backup`] (`backup::restore`): Restores backup `id` over the workspace at `path`
//! - [`Workspace::check`] (`check`): Runs every check on this workspace's file
//! - [`Workspace::check_file`] (`check`): Opens the file at `path` only as far as checking it needs
//! - [`Workspace::check_file_with_key`] (`check`): [`Workspace::check_file`] with the data key already unwrapped
//! - [`Workspace::run_due_jobs`] (`jobs`): Takes the day's backup if none was taken today
//! - [`Workspace::timezone`] (`zone`): The workspace's time zone (IANA name)
//! - [`Workspace::set_timezone`] (`zone`)
//! - [`Workspace::today`] (`zone`): Today's date where the person is
//!
//! ## Life areas, scores and the dashboard
//! - [`Workspace::life_areas`] (`areas`): All life areas with their current scores, in display order
//! - [`Workspace::life_area`] (`areas`): One area, by id or slug
//! - [`Workspace::score_breakdown`] (`areas`): Why an area has its score, factor by factor, as of now
//! - [`Workspace::refresh_scores`] (`areas`): Recomputes every area's score (the manual refresh)
//! - [`Workspace::dashboard`] (`dashboard`)
//! - [`Workspace::backfill_snapshots`] (`snapshots`): Takes every snapshot for the local days `from..=to`
//! - [`Workspace::snapshots`] (`snapshots`): An area's snapshots of one period between two dates (inclusive)
//! - [`Workspace::snapshots_on`] (`snapshots`): Every area's snapshot of one period on one date, in area order
//!
//! ## Events, search and tags
//! - [`Workspace::create_event`] (`events`): Records an event
//! - [`Workspace::event`] (`events`): One event, by id or unique id prefix
//! - [`Workspace::update_event`] (`events`)
//! - [`Workspace::delete_event`] (`events`): Deletes an event
//! - [`Workspace::list_events`] (`events`): Events matching every given filter, newest first
//! - [`Workspace::tags`] (`events`): Every tag in use, with how many events carry it, most used first
//! - [`Workspace::event_count`] (`events`)
//! - [`Workspace::verify_search_index`] (`search`): Checks that the search indexes hold exactly what their tables
//! - [`Workspace::search`] (`search`): The best `limit` matches for `query` across events
//!
//! ## The language model: meaning, suggestions
//! - [`Workspace::vector_backlog`] (`meaning::store`): Up to `limit` entries whose text has no vector yet
//! - [`Workspace::store_vectors`] (`meaning::store`): Stores the vectors of `texts` (as many, in order)
//! - [`Workspace::meaning_status`] (`meaning::store`): How much of the journal has vectors
//! - [`Workspace::embed_backlog`] (`meaning::backfill`): Computes and stores the vector of every entry that has none
//! - [`Workspace::search_by_meaning`] (`meaning::search`): The best `limit` entries for `query` by meaning
//! - [`Workspace::suggest_for_text`] (`meaning::suggest`): The likely area, type and tone of an entry with this text
//!
//! ## Insights and the pattern engine
//! - [`Workspace::create_insight`] (`insights`)
//! - [`Workspace::insight`] (`insights`)
//! - [`Workspace::update_insight`] (`insights`)
//! - [`Workspace::delete_insight`] (`insights`)
//! - [`Workspace::apply_insight`] (`insights`): Marks an insight as applied (integrated into how the person lives)
//! - [`Workspace::dismiss_insight`] (`insights`): Hides an insight for good
//! - [`Workspace::commit_to_insight`] (`insights`): Turns an insight into action
//! - [`Workspace::list_insights`] (`insights`): Insights, newest first
//! - [`Workspace::detect_patterns`] (`patterns::detect`): Runs the full pattern engine over the pattern window
//! - [`Workspace::detect_patterns_between`] (`patterns::detect`): Runs the engine over `from..to`, window by window
//! - [`Workspace::detect_patterns_after_reading`] (`patterns::detect`): Runs the engine again
//! - [`Workspace::set_pattern_window`] (`patterns::detect`): Sets how many days back the daily pattern run looks
//!
//! ## Commitments and boundaries
//! - [`Workspace::create_commitment`] (`commitments`)
//! - [`Workspace::commitment`] (`commitments`)
//! - [`Workspace::update_commitment`] (`commitments`)
//! - [`Workspace::set_commitment_status`] (`commitments`)
//! - [`Workspace::delete_commitment`] (`commitments`)
//! - [`Workspace::list_commitments`] (`commitments`): Commitments, open ones first, then by next review date and age
//! - [`Workspace::create_boundary`] (`boundaries`)
//! - [`Workspace::boundary`] (`boundaries`)
//! - [`Workspace::update_boundary`] (`boundaries`)
//! - [`Workspace::delete_boundary`] (`boundaries`)
//! - [`Workspace::log_violation`] (`boundaries`): Logs that a boundary was crossed, and recomputes its area's score
//! - [`Workspace::violations`] (`boundaries`)
//! - [`Workspace::list_boundaries`] (`boundaries`)
//!
//! ## The autobiography
//! - [`Workspace::create_era`] (`autobiography`)
//! - [`Workspace::era`] (`autobiography`)
//! - [`Workspace::update_era`] (`autobiography`): Replaces an era's fields
//! - [`Workspace::delete_era`] (`autobiography`): Deletes an era that has no entries
//! - [`Workspace::eras`] (`autobiography`): Eras in the order they were lived
//! - [`Workspace::create_autobiography_entry`] (`autobiography`)
//! - [`Workspace::autobiography_entry`] (`autobiography`)
//! - [`Workspace::update_autobiography_entry`] (`autobiography`)
//! - [`Workspace::delete_autobiography_entry`] (`autobiography`)
//! - [`Workspace::list_autobiography`] (`autobiography`): Entries in the order they were lived
//!
//! ## The daily practice: rhythm, prompts, templates, reminders
//! - [`Workspace::rhythm`] (`rhythm`): Streaks and entries per week, in the workspace's time zone
//! - [`Workspace::calendar`] (`rhythm`): The year in pixels
//! - [`Workspace::on_this_day`] (`rhythm`): Entries from `day`'s calendar day in earlier years
//! - [`Workspace::today_overview`] (`rhythm`): The Today page
//! - [`Workspace::practice_settings`] (`practice`): The practice's settings
//! - [`Workspace::set_practice_settings`] (`practice`): Saves the practice's settings
//! - [`Workspace::prompt_for`] (`prompts`): Today's reflection prompt (see the module's notes on how it is chosen)
//! - [`Workspace::prompts`] (`prompts::own`): Every prompt
//! - [`Workspace::prompt`] (`prompts::own`): The prompt `id`, as the person sees it
//! - [`Workspace::add_prompt`] (`prompts::own`): Adds a prompt of the person's own
//! - [`Workspace::edit_prompt`] (`prompts::own`): Changes a prompt's words
//! - [`Workspace::set_prompt_hidden`] (`prompts::own`): Hides a prompt (it is never offered) or shows it again
//! - [`Workspace::templates`] (`templates`): Every template, by name
//! - [`Workspace::template`] (`templates`): The template called `name` (any case)
//! - [`Workspace::save_template`] (`templates`): Saves a template
//! - [`Workspace::fill_from_template`] (`templates`): An entry's fields filled from the template called `name`
//! - [`Workspace::delete_template`] (`templates`): Deletes the template called `name`
//! - [`Workspace::reminder_schedule`] (`reminders`): The reminders' schedule as of now (none: reminders are off)
//!
//! ## Attachments
//! - [`Workspace::set_attachment_limits`] (`attachments`): The limits attachments are held to
//! - [`Workspace::attach_files`] (`attachments`): Attaches files to an event or autobiography entry
//! - [`Workspace::attach_bytes`] (`attachments`): Attaches bytes under a file name (the desktop's paste and drop)
//! - [`Workspace::attachments`] (`attachments`): Every attachment, or those of one entry (in their order)
//! - [`Workspace::attachment`] (`attachments`): One attachment by id or unique prefix
//! - [`Workspace::attachment_content`] (`attachments`): Writes an attachment's bytes to `out`
//! - [`Workspace::attachment_bytes`] (`attachments`): An attachment's bytes in memory
//! - [`Workspace::attachment_thumbnail`] (`attachments`): A photo's thumbnail (a JPEG)
//! - [`Workspace::make_thumbnails`] (`attachments`): Makes up to `max` of the thumbnails imports left for later
//! - [`Workspace::delete_attachment`] (`attachments`): Removes one attachment
//! - [`Workspace::attachment_usage`] (`attachments`): How much attachment space is used, against the journal's limit
//!
//! ## Import and export
//! - [`Workspace::import`] (`import`): Imports a JSON stream (our export, jrnl's, JSON lines)
//! - [`Workspace::import_path`] (`import`): Imports the file (or, for Markdown, the folder) at `path` in any format
//! - [`Workspace::preview_import`] (`import`): What importing `path` would do, worked out in full
//! - [`Workspace::export_document`] (`export`): Everything in the workspace as one document (oldest events first)
//! - [`Workspace::export_json`] (`export`): Writes our JSON, reporting progress per record
//! - [`Workspace::export_markdown`] (`export`): Writes a Markdown journal a person can read anywhere
//! - [`Workspace::export_zip`] (`export_archive`): Writes the whole journal and its attachments as one zip
//!
//! ## Sync
//! - [`Workspace::sync_register`] (`sync`): Creates an account on `server` and puts this workspace on it
//! - [`Workspace::sync_login`] (`sync`): Signs this device in to an existing account and links this workspace
//! - [`Workspace::sync_link_device`] (`sync`)
//! - [`Workspace::sync_now`] (`sync`): Pushes every queued local change
//! - [`Workspace::sync_status`] (`sync`): This workspace's sync link, or None if it was never registered or linked
//! - [`Workspace::sync_logout`] (`sync`): Ends this device's session on the server and forgets the token
//! - [`Workspace::sync_devices`] (`sync`): The account's devices, as the server knows them
//! - [`Workspace::sync_revoke_device`] (`sync`): Revokes one of the account's devices (a lost laptop)
//! - [`Workspace::sync_conflicts`] (`sync::conflicts`): Versions that lost a sync conflict
//! - [`Workspace::sync_conflict`] (`sync::conflicts`): One conflict record, by id or unique id prefix
//! - [`Workspace::resolve_conflict`] (`sync::conflicts`): Resolves an open conflict (by id or unique id prefix)
//!
//! Built on these: `Workspace::tx` (one write transaction, as a writer) and the `Clock`.

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The public methods of every `impl Workspace` block under `src/`.
    fn public_methods(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                public_methods(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for block in text.split("\nimpl Workspace {\n").skip(1) {
                let body = &block[..block.find("\n}\n").unwrap_or(block.len())];
                for line in body.lines().filter(|l| l.starts_with("    pub fn ")) {
                    let name = line["    pub fn ".len()..].split(['(', '<']).next().unwrap();
                    found.push(name.to_string());
                }
            }
        }
    }

    #[test]
    fn every_public_method_of_workspace_is_in_the_table_of_contents_once() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut methods = Vec::new();
        public_methods(&src, &mut methods);
        let toc = include_str!("api.rs");
        let listed: Vec<&str> = toc
            .lines()
            .filter_map(|l| l.strip_prefix("//! - [`Workspace::"))
            .filter_map(|l| l.split('`').next())
            .collect();
        methods.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, methods, "core/src/api.rs lists exactly Workspace's public methods");
    }
}
