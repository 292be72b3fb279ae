//! The shell's commands: one per core operation, each a direct call on the unlocked [`Workspace`].
//! No business logic lives here; what a command adds is only the desktop's glue (the device
//! registry entry on create/open, a file path for export/import).

use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use tauri::State;
use tracing::debug;
use wisdom_core::model::*;
use wisdom_core::score::ScoreBreakdown;
use wisdom_core::{
    home_dir, new_workspace_path, Clock, DetectReport, DueReport, ImportFormat, ImportOptions, ImportReport, KdfParams,
    Passphrase, Registry, RegistryEntry, SyncConflict, SyncReport, SyncStatus, Workspace,
};

use crate::error::{CmdResult, CommandError};
use crate::reader::Reader;
use crate::reminders::Reminders;
use crate::sync::{default_device_name, lock_slot, sign_in_error, Background, Slot, SyncActivity};

/// The app's state: the unlocked workspace (`None` while locked), shared with the background sync
/// and the language model's reader.
pub struct AppState {
    workspace: Slot,
    sync: Arc<Background>,
    reader: Arc<Reader>,
    pub(crate) reminders: Arc<Reminders>,
}

impl Default for AppState {
    fn default() -> Self {
        let reader = Arc::new(Reader::default());
        // Rows received from another device are read like local writes.
        let sync = Arc::new(Background::new({
            let reader = reader.clone();
            move || reader.nudge()
        }));
        AppState { workspace: Slot::default(), sync, reader, reminders: Arc::default() }
    }
}

impl AppState {
    fn slot(&self) -> MutexGuard<'_, Option<Workspace>> {
        lock_slot(&self.workspace)
    }

    /// A journal is now unlocked: background sync starts (if it is signed in), and the reader
    /// looks for entries the language model has not read.
    fn opened(&self, ws: Workspace) {
        *self.slot() = Some(ws);
        self.sync.start(&self.workspace);
        self.sync.kick();
        self.reader.start(&self.workspace);
        self.reader.kick();
        self.reminders.start(&self.workspace);
        self.reminders.kick();
    }

    /// [`AppState::with`] for a command that changes the journal: a sync follows soon, and the
    /// reader reads what is new.
    pub(crate) fn write<T, F: FnOnce(&mut Workspace) -> wisdom_core::Result<T>>(&self, f: F) -> CmdResult<T> {
        let out = self.with(f)?;
        self.sync.nudge();
        self.reader.nudge();
        Ok(out)
    }

    pub(crate) fn with<T, F: FnOnce(&mut Workspace) -> wisdom_core::Result<T>>(&self, f: F) -> CmdResult<T> {
        let asked = Instant::now();
        let mut slot = self.slot();
        let waited = asked.elapsed();
        let ws = slot.as_mut().ok_or_else(CommandError::locked)?;
        let out = f(ws);
        // The closure's type name carries the command's name; no argument is ever logged.
        let op = std::any::type_name::<F>().trim_start_matches("wisdom_desktop::commands::");
        let op = op.split("::").next().unwrap_or(op);
        debug!(op, waited_ms = waited.as_millis() as u64, ran_ms = (asked.elapsed() - waited).as_millis() as u64);
        Ok(out?)
    }
}

fn registry() -> CmdResult<Registry> {
    Ok(Registry::load(&Registry::default_path())?)
}

// ---- workspaces -------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_workspaces() -> CmdResult<Vec<RegistryEntry>> {
    Ok(registry()?.entries().to_vec())
}

#[tauri::command]
pub async fn current_workspace(state: State<'_, AppState>) -> CmdResult<Option<WorkspaceInfo>> {
    Ok(state.slot().as_ref().map(Workspace::info).transpose()?)
}

#[tauri::command]
pub async fn create_workspace(
    state: State<'_, AppState>,
    name: String,
    passphrase: String,
) -> CmdResult<CreatedWorkspace> {
    let pass = Passphrase::new(passphrase);
    pass.check_strength().map_err(wisdom_core::Error::from)?;
    let path = new_workspace_path(&name);
    let kdf = KdfParams::calibrate();
    let mut ws = Workspace::create(&path, &name, &pass, kdf, Clock::system())?;
    let recovery_key = ws.take_recovery_key().map(|k| k.display().to_string());
    let now = Utc::now();
    registry()?.upsert(RegistryEntry {
        id: ws.id().to_string(),
        name: name.trim().to_string(),
        path: path.clone(),
        kdf,
        created_at: now,
        last_opened_at: Some(now),
    })?;
    let out = CreatedWorkspace { info: ws.info()?, recovery_key };
    state.opened(ws);
    Ok(out)
}

#[tauri::command]
pub async fn unlock_workspace(state: State<'_, AppState>, id: String, passphrase: String) -> CmdResult<WorkspaceInfo> {
    let asked = Instant::now();
    let mut reg = registry()?;
    let mut entry = reg
        .entries()
        .iter()
        .find(|e| e.id == id)
        .cloned()
        .ok_or_else(|| CommandError::from(wisdom_core::Error::NotFound { entity: "workspace", id: id.clone() }))?;
    // Lock whatever is open first, so two journals are never unlocked at once.
    state.slot().take();
    let started = Instant::now();
    let ws = Workspace::open(&entry.path, &Passphrase::new(passphrase), Clock::system())?;
    debug!(op = "unlock_workspace", ran_ms = started.elapsed().as_millis() as u64, "key derived and workspace opened");
    entry.last_opened_at = Some(Utc::now());
    entry.name = ws.name()?;
    reg.upsert(entry)?;
    let out = ws.info()?;
    state.opened(ws);
    debug!(op = "unlock_workspace", total_ms = asked.elapsed().as_millis() as u64, "unlocked");
    Ok(out)
}

#[tauri::command]
pub async fn lock_workspace(state: State<'_, AppState>) -> CmdResult<()> {
    lock(&state);
    Ok(())
}

fn lock(state: &AppState) {
    state.reader.reset();
    state.reminders.reset();
    if let Some(ws) = state.slot().take() {
        ws.lock();
    }
    state.sync.reset();
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<Backup>> {
    state.with(|ws| Workspace::backups_of(ws.path()))
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<Backup> {
    state.with(|ws| ws.backup(BackupReason::Manual))
}

/// Restores a backup (core backs the journal up first), then locks: the journal was replaced under
/// the open one, and its passphrase is now the backup's. A refused restore changes nothing.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, id: String, passphrase: String) -> CmdResult<RestoreReport> {
    let path = state.with(|ws| Ok(ws.path().to_path_buf()))?;
    let report = Workspace::restore_backup(&path, &id, &Passphrase::new(passphrase), Clock::system())?;
    lock(&state);
    Ok(report)
}

#[tauri::command]
pub async fn change_passphrase(state: State<'_, AppState>, old: String, new: String) -> CmdResult<()> {
    let path = state.with(|ws| Ok(ws.path().to_path_buf()))?;
    Workspace::change_passphrase(&path, &Passphrase::new(old), &Passphrase::new(new), None, Clock::system())?;
    Ok(())
}

#[tauri::command]
pub async fn rename_workspace(state: State<'_, AppState>, name: String) -> CmdResult<WorkspaceInfo> {
    let out = state.write(|ws| {
        ws.rename(&name)?;
        ws.info()
    })?;
    let mut reg = registry()?;
    if let Some(mut entry) = reg.entries().iter().find(|e| e.id == out.id).cloned() {
        entry.name = out.name.clone();
        reg.upsert(entry)?;
    }
    Ok(out)
}

// ---- areas and dashboard ----------------------------------------------------------------------

#[tauri::command]
pub async fn life_areas(state: State<'_, AppState>) -> CmdResult<Vec<LifeArea>> {
    state.with(|ws| ws.life_areas())
}

#[tauri::command]
pub async fn life_area(state: State<'_, AppState>, area: String) -> CmdResult<LifeArea> {
    state.with(|ws| ws.life_area(&area))
}

#[tauri::command]
pub async fn score_breakdown(state: State<'_, AppState>, area: String) -> CmdResult<ScoreBreakdown> {
    state.with(|ws| ws.score_breakdown(&area))
}

#[tauri::command]
pub async fn refresh_scores(state: State<'_, AppState>) -> CmdResult<()> {
    state.with(|ws| ws.refresh_scores())
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> CmdResult<Dashboard> {
    state.with(|ws| ws.dashboard())
}

// ---- the daily practice -----------------------------------------------------------------------

#[tauri::command]
pub async fn today_overview(state: State<'_, AppState>) -> CmdResult<Today> {
    state.with(|ws| ws.today_overview())
}

#[tauri::command]
pub async fn calendar(state: State<'_, AppState>, year: i32) -> CmdResult<Calendar> {
    state.with(|ws| ws.calendar(year))
}

#[tauri::command]
pub async fn list_prompts(state: State<'_, AppState>) -> CmdResult<Vec<ReflectionPrompt>> {
    state.with(|ws| ws.prompts())
}

#[tauri::command]
pub async fn add_prompt(state: State<'_, AppState>, prompt: NewPrompt) -> CmdResult<ReflectionPrompt> {
    state.write(|ws| ws.add_prompt(&prompt))
}

#[tauri::command]
pub async fn edit_prompt(state: State<'_, AppState>, id: String, text: String) -> CmdResult<ReflectionPrompt> {
    state.write(|ws| ws.edit_prompt(&id, &text))
}

#[tauri::command]
pub async fn set_prompt_hidden(state: State<'_, AppState>, id: String, hidden: bool) -> CmdResult<ReflectionPrompt> {
    state.write(|ws| ws.set_prompt_hidden(&id, hidden))
}

#[tauri::command]
pub async fn practice_settings(state: State<'_, AppState>) -> CmdResult<PracticeSettings> {
    state.with(|ws| ws.practice_settings())
}

/// Saves the practice's settings; the reminders thread looks at the new time at once.
#[tauri::command]
pub async fn set_practice_settings(
    state: State<'_, AppState>,
    settings: PracticeSettings,
) -> CmdResult<PracticeSettings> {
    let saved = state.write(|ws| ws.set_practice_settings(&settings))?;
    state.reminders.nudge();
    Ok(saved)
}

// ---- events and search ------------------------------------------------------------------------

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, event: NewEvent) -> CmdResult<EventCreated> {
    state.write(|ws| ws.create_event(&event))
}

#[tauri::command]
pub async fn update_event(state: State<'_, AppState>, id: String, patch: EventPatch) -> CmdResult<Event> {
    state.write(|ws| ws.update_event(&id, &patch))
}

#[tauri::command]
pub async fn delete_event(state: State<'_, AppState>, id: String) -> CmdResult<Event> {
    state.write(|ws| ws.delete_event(&id))
}

#[tauri::command]
pub async fn list_events(state: State<'_, AppState>, filter: EventFilter) -> CmdResult<Vec<Event>> {
    state.with(|ws| ws.list_events(&filter))
}

#[tauri::command]
pub async fn tags(state: State<'_, AppState>) -> CmdResult<Vec<(String, u64)>> {
    state.with(|ws| ws.tags())
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> CmdResult<Vec<Template>> {
    state.with(|ws| ws.templates())
}

/// Saves a template (a known name is replaced).
#[tauri::command]
pub async fn save_template(state: State<'_, AppState>, template: NewTemplate) -> CmdResult<Template> {
    state.write(|ws| ws.save_template(&template))
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, name: String) -> CmdResult<Template> {
    state.write(|ws| ws.delete_template(&name))
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, limit: u32) -> CmdResult<Vec<SearchHit>> {
    state.with(|ws| ws.search(&query, limit))
}

/// Entries that mean what `query` says, even without a shared word, mixed with its keyword matches.
#[tauri::command]
pub async fn search_by_meaning(state: State<'_, AppState>, query: String, limit: u32) -> CmdResult<Vec<SearchHit>> {
    // The first search may load the model (0.1 s): done before taking the journal.
    let loaded = tauri::async_runtime::spawn_blocking(|| wisdom_core::meaning::language_model().map(|_| ()))
        .await
        .map_err(|e| CommandError::other(format!("the app failed: {e}")))?;
    loaded?;
    state.with(|ws| ws.search_by_meaning(&query, limit))
}

/// The area, type and tone a new entry most likely has, from the entries it resembles; nothing
/// when the model is missing or the journal has too few read entries.
#[tauri::command]
pub async fn suggest_for_text(state: State<'_, AppState>, text: String) -> CmdResult<Option<EntrySuggestion>> {
    let loaded = tauri::async_runtime::spawn_blocking(|| wisdom_core::meaning::language_model().is_ok())
        .await
        .map_err(|e| CommandError::other(format!("the app failed: {e}")))?;
    if !loaded {
        return Ok(None);
    }
    state.with(|ws| ws.suggest_for_text(&text))
}

/// How much of the journal the language model has read, and whether it is reading now.
#[tauri::command]
pub async fn meaning_status(state: State<'_, AppState>) -> CmdResult<MeaningActivity> {
    let status = state.with(|ws| ws.meaning_status())?;
    Ok(MeaningActivity { status, reading: state.reader.reading() })
}

// ---- insights ---------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_insights(state: State<'_, AppState>, filter: InsightFilter) -> CmdResult<Vec<Insight>> {
    state.with(|ws| ws.list_insights(&filter))
}

#[tauri::command]
pub async fn create_insight(state: State<'_, AppState>, insight: NewInsight) -> CmdResult<Insight> {
    state.write(|ws| ws.create_insight(&insight))
}

#[tauri::command]
pub async fn apply_insight(state: State<'_, AppState>, id: String) -> CmdResult<Insight> {
    state.write(|ws| ws.apply_insight(&id))
}

#[tauri::command]
pub async fn dismiss_insight(state: State<'_, AppState>, id: String) -> CmdResult<Insight> {
    state.write(|ws| ws.dismiss_insight(&id))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightCommitted {
    pub insight: Insight,
    pub commitment: Commitment,
}

/// Applies an insight and records the commitment it leads to, in one step.
#[tauri::command]
pub async fn commit_to_insight(
    state: State<'_, AppState>,
    insight: String,
    commitment: NewCommitment,
) -> CmdResult<InsightCommitted> {
    let (insight, commitment) = state.write(|ws| ws.commit_to_insight(&insight, &commitment))?;
    Ok(InsightCommitted { insight, commitment })
}

#[tauri::command]
pub async fn detect_patterns(state: State<'_, AppState>) -> CmdResult<DetectReport> {
    state.write(|ws| ws.detect_patterns())
}

/// Catch-up work after an unlock (missed snapshots, the daily pattern run); the UI calls it once
/// the dashboard is showing, so it never delays the unlock.
#[tauri::command]
pub async fn run_due_jobs(state: State<'_, AppState>) -> CmdResult<DueReport> {
    state.write(|ws| ws.run_due_jobs())
}

#[tauri::command]
pub async fn snapshots(
    state: State<'_, AppState>,
    area: String,
    period: SnapshotPeriod,
    from: NaiveDate,
    to: NaiveDate,
) -> CmdResult<Vec<MetricSnapshot>> {
    state.with(|ws| ws.snapshots(&area, period, from, to))
}

// ---- commitments ------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_commitments(state: State<'_, AppState>, filter: CommitmentFilter) -> CmdResult<Vec<Commitment>> {
    state.with(|ws| ws.list_commitments(&filter))
}

#[tauri::command]
pub async fn create_commitment(state: State<'_, AppState>, commitment: NewCommitment) -> CmdResult<Commitment> {
    state.write(|ws| ws.create_commitment(&commitment))
}

#[tauri::command]
pub async fn update_commitment(
    state: State<'_, AppState>,
    id: String,
    patch: CommitmentPatch,
) -> CmdResult<Commitment> {
    state.write(|ws| ws.update_commitment(&id, &patch))
}

#[tauri::command]
pub async fn set_commitment_status(
    state: State<'_, AppState>,
    id: String,
    status: CommitmentStatus,
) -> CmdResult<Commitment> {
    state.write(|ws| ws.set_commitment_status(&id, status))
}

// ---- boundaries -------------------------------------------------------------------------------

#[tauri::command]
pub async fn list_boundaries(state: State<'_, AppState>, filter: BoundaryFilter) -> CmdResult<Vec<Boundary>> {
    state.with(|ws| ws.list_boundaries(&filter))
}

#[tauri::command]
pub async fn create_boundary(state: State<'_, AppState>, boundary: NewBoundary) -> CmdResult<Boundary> {
    state.write(|ws| ws.create_boundary(&boundary))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViolationLogged {
    pub boundary: Boundary,
    pub violation: BoundaryViolation,
}

#[tauri::command]
pub async fn log_violation(
    state: State<'_, AppState>,
    boundary: String,
    violation: NewViolation,
) -> CmdResult<ViolationLogged> {
    let (boundary, violation) = state.write(|ws| ws.log_violation(&boundary, &violation))?;
    Ok(ViolationLogged { boundary, violation })
}

// ---- autobiography ----------------------------------------------------------------------------

#[tauri::command]
pub async fn eras(state: State<'_, AppState>) -> CmdResult<Vec<Era>> {
    state.with(|ws| ws.eras())
}

#[tauri::command]
pub async fn create_era(state: State<'_, AppState>, era: NewEra) -> CmdResult<Era> {
    state.write(|ws| ws.create_era(&era))
}

#[tauri::command]
pub async fn list_autobiography(
    state: State<'_, AppState>,
    filter: AutobiographyFilter,
) -> CmdResult<Vec<AutobiographyEntry>> {
    state.with(|ws| ws.list_autobiography(&filter))
}

#[tauri::command]
pub async fn create_autobiography_entry(
    state: State<'_, AppState>,
    entry: NewAutobiographyEntry,
) -> CmdResult<AutobiographyEntry> {
    state.write(|ws| ws.create_autobiography_entry(&entry))
}

#[tauri::command]
pub async fn update_autobiography_entry(
    state: State<'_, AppState>,
    id: String,
    patch: AutobiographyPatch,
) -> CmdResult<AutobiographyEntry> {
    state.write(|ws| ws.update_autobiography_entry(&id, &patch))
}

// ---- export / import --------------------------------------------------------------------------

/// Where exports go unless the person names a file: their home folder's Documents, else home.
#[tauri::command]
pub async fn default_export_dir() -> CmdResult<PathBuf> {
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
pub async fn export_workspace(state: State<'_, AppState>, path: PathBuf, format: String) -> CmdResult<PathBuf> {
    let mut file = std::io::BufWriter::new(create_file(&path)?);
    state.with(|ws| match format.as_str() {
        "markdown" => ws.export_markdown(&mut file, &mut |_| {}),
        _ => ws.export_json(&mut file, &mut |_| {}),
    })?;
    Ok(path)
}

#[tauri::command]
pub async fn import_file(state: State<'_, AppState>, path: PathBuf, format: String) -> CmdResult<ImportReport> {
    let format: ImportFormat = format.parse().map_err(wisdom_core::Error::from)?;
    if !path.exists() {
        return Err(CommandError::bad_input(format!("{}: no such file or folder", path.display())));
    }
    let opts = ImportOptions::new(format);
    state.write(|ws| ws.import_path(&path, &opts, &mut |_| {}))
}

// ---- sync -------------------------------------------------------------------------------------

fn device_or_default(device: Option<String>) -> String {
    device.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).unwrap_or_else(default_device_name)
}

/// Runs `f` on a thread of its own, outside the async runtime: core's sync client uses blocking
/// HTTP, which must not run (or even be created) inside a tokio context.
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
    let joined = tauri::async_runtime::spawn_blocking(move || std::thread::spawn(f).join())
        .await
        .map_err(|e| CommandError::other(format!("the app failed: {e}")))?;
    joined.map_err(|_| CommandError::other("the sync failed unexpectedly; see the app's log"))?
}

impl AppState {
    /// [`AppState::with`] for a call that talks to the sync server: run off the async runtime.
    async fn with_network<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Workspace) -> CmdResult<T> + Send + 'static,
    {
        let slot = self.workspace.clone();
        off_runtime(move || {
            let mut guard = lock_slot(&slot);
            f(guard.as_mut().ok_or_else(CommandError::locked)?)
        })
        .await
    }
}

/// Creates an account on `server` and puts this journal on it; the first sync follows in the
/// background.
#[tauri::command]
pub async fn sync_register(
    state: State<'_, AppState>,
    server: String,
    email: String,
    password: String,
    device: Option<String>,
) -> CmdResult<SyncStatus> {
    let password = Passphrase::new(password);
    let device = device_or_default(device);
    let status = state
        .with_network(move |ws| ws.sync_register(&server, &email, &password, &device).map_err(sign_in_error))
        .await?;
    state.sync.kick();
    Ok(status)
}

/// Signs this device in to an existing account and links this journal (to its copy on the server,
/// or as a new journal of the account).
#[tauri::command]
pub async fn sync_login(
    state: State<'_, AppState>,
    server: String,
    email: String,
    password: String,
    device: Option<String>,
) -> CmdResult<SyncStatus> {
    let password = Passphrase::new(password);
    let device = device_or_default(device);
    let status =
        state.with_network(move |ws| ws.sync_login(&server, &email, &password, &device).map_err(sign_in_error)).await?;
    state.sync.kick();
    Ok(status)
}

/// Sets this device up with a journal already synced from another device: signs in, opens the
/// journal's key with its passphrase, creates the local file and receives everything. The journal
/// is unlocked afterwards.
#[tauri::command]
pub async fn sync_link_device(
    state: State<'_, AppState>,
    server: String,
    email: String,
    password: String,
    passphrase: String,
    device: Option<String>,
) -> CmdResult<WorkspaceInfo> {
    let (password, passphrase) = (Passphrase::new(password), Passphrase::new(passphrase));
    let device = device_or_default(device);
    let path = new_workspace_path("synced journal");
    let (ws, report) = off_runtime(move || {
        let kdf = KdfParams::calibrate();
        Workspace::sync_link_device(&path, &server, &email, &password, &passphrase, &device, None, kdf, Clock::system())
            .map_err(sign_in_error)
    })
    .await?;
    let now = Utc::now();
    let kdf = wisdom_core::KeyFile::read(&wisdom_core::KeyFile::path_for(ws.path()))?.kdf();
    registry()?.upsert(RegistryEntry {
        id: ws.id().to_string(),
        name: ws.name()?,
        path: ws.path().to_path_buf(),
        kdf,
        created_at: now,
        last_opened_at: Some(now),
    })?;
    debug!(op = "sync_link_device", rows = report.applied, "linked");
    let out = ws.info()?;
    state.slot().take();
    state.opened(ws);
    Ok(out)
}

/// Syncs now and says what happened; failures come back typed (offline, signed out, ...).
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> CmdResult<SyncReport> {
    let (slot, sync) = (state.workspace.clone(), state.sync.clone());
    off_runtime(move || sync.sync(&slot)).await
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> CmdResult<Option<SyncStatus>> {
    state.with(|ws| ws.sync_status())
}

/// The background sync's state, for the sidebar (never waits on a running sync).
#[tauri::command]
pub async fn sync_activity(state: State<'_, AppState>) -> CmdResult<SyncActivity> {
    Ok(state.sync.activity(&state.workspace))
}

#[tauri::command]
pub async fn sync_logout(state: State<'_, AppState>) -> CmdResult<()> {
    state.with_network(|ws| Ok(ws.sync_logout()?)).await?;
    state.sync.disarm();
    Ok(())
}

#[tauri::command]
pub async fn sync_devices(state: State<'_, AppState>) -> CmdResult<Vec<wisdom_core::sync::DeviceInfo>> {
    state.with_network(|ws| Ok(ws.sync_devices()?)).await
}

#[tauri::command]
pub async fn sync_revoke_device(state: State<'_, AppState>, device_id: String) -> CmdResult<()> {
    state.with_network(move |ws| Ok(ws.sync_revoke_device(&device_id)?)).await
}

/// Versions that lost a sync conflict on any device of the account: open ones, or all.
#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>, all: Option<bool>) -> CmdResult<Vec<SyncConflict>> {
    state.with(|ws| ws.sync_conflicts(all.unwrap_or(false)))
}

/// Keeps the current version, restores the losing one or keeps both; the decision syncs.
#[tauri::command]
pub async fn resolve_conflict(state: State<'_, AppState>, id: String, how: Resolution) -> CmdResult<SyncConflict> {
    state.write(|ws| ws.resolve_conflict(&id, how))
}
