//! What the journal grows into: insights and the pattern engine, snapshots, commitments,
//! boundaries and the autobiography.

use tauri::State;
use wisdom_model::commands::*;
use wisdom_model::{InsightCommitted, ViolationLogged};

use super::AppState;
use crate::error::Answer;

// ---- insights, patterns and snapshots ---------------------------------------------------------

#[tauri::command]
pub async fn list_insights(state: State<'_, AppState>, args: ListInsights) -> Answer<ListInsights> {
    state.with(|ws| ws.list_insights(&args.filter))
}

#[tauri::command]
pub async fn create_insight(state: State<'_, AppState>, args: CreateInsight) -> Answer<CreateInsight> {
    state.write(|ws| ws.create_insight(&args.insight))
}

#[tauri::command]
pub async fn apply_insight(state: State<'_, AppState>, args: ApplyInsight) -> Answer<ApplyInsight> {
    state.write(|ws| ws.apply_insight(&args.id))
}

#[tauri::command]
pub async fn dismiss_insight(state: State<'_, AppState>, args: DismissInsight) -> Answer<DismissInsight> {
    state.write(|ws| ws.dismiss_insight(&args.id))
}

#[tauri::command]
pub async fn commit_to_insight(state: State<'_, AppState>, args: CommitToInsight) -> Answer<CommitToInsight> {
    let (insight, commitment) = state.write(|ws| ws.commit_to_insight(&args.insight, &args.commitment))?;
    Ok(InsightCommitted { insight, commitment })
}

#[tauri::command]
pub async fn detect_patterns(state: State<'_, AppState>, args: DetectPatterns) -> Answer<DetectPatterns> {
    let DetectPatterns {} = args;
    state.write(|ws| ws.detect_patterns())
}

/// The UI calls it once the dashboard is showing, so it never delays the unlock.
#[tauri::command]
pub async fn run_due_jobs(state: State<'_, AppState>, args: RunDueJobs) -> Answer<RunDueJobs> {
    let RunDueJobs {} = args;
    state.write(|ws| ws.run_due_jobs())
}

#[tauri::command]
pub async fn snapshots(state: State<'_, AppState>, args: Snapshots) -> Answer<Snapshots> {
    state.with(|ws| ws.snapshots(&args.area, args.period, args.from, args.to))
}

// ---- commitments and boundaries ---------------------------------------------------------------

#[tauri::command]
pub async fn list_commitments(state: State<'_, AppState>, args: ListCommitments) -> Answer<ListCommitments> {
    state.with(|ws| ws.list_commitments(&args.filter))
}

#[tauri::command]
pub async fn create_commitment(state: State<'_, AppState>, args: CreateCommitment) -> Answer<CreateCommitment> {
    state.write(|ws| ws.create_commitment(&args.commitment))
}

#[tauri::command]
pub async fn update_commitment(state: State<'_, AppState>, args: UpdateCommitment) -> Answer<UpdateCommitment> {
    state.write(|ws| ws.update_commitment(&args.id, &args.patch))
}

#[tauri::command]
pub async fn set_commitment_status(
    state: State<'_, AppState>,
    args: SetCommitmentStatus,
) -> Answer<SetCommitmentStatus> {
    state.write(|ws| ws.set_commitment_status(&args.id, args.status))
}

#[tauri::command]
pub async fn list_boundaries(state: State<'_, AppState>, args: ListBoundaries) -> Answer<ListBoundaries> {
    state.with(|ws| ws.list_boundaries(&args.filter))
}

#[tauri::command]
pub async fn create_boundary(state: State<'_, AppState>, args: CreateBoundary) -> Answer<CreateBoundary> {
    state.write(|ws| ws.create_boundary(&args.boundary))
}

#[tauri::command]
pub async fn log_violation(state: State<'_, AppState>, args: LogViolation) -> Answer<LogViolation> {
    let (boundary, violation) = state.write(|ws| ws.log_violation(&args.boundary, &args.violation))?;
    Ok(ViolationLogged { boundary, violation })
}

// ---- the autobiography ------------------------------------------------------------------------

#[tauri::command]
pub async fn eras(state: State<'_, AppState>, args: Eras) -> Answer<Eras> {
    let Eras {} = args;
    state.with(|ws| ws.eras())
}

#[tauri::command]
pub async fn create_era(state: State<'_, AppState>, args: CreateEra) -> Answer<CreateEra> {
    state.write(|ws| ws.create_era(&args.era))
}

#[tauri::command]
pub async fn list_autobiography(state: State<'_, AppState>, args: ListAutobiography) -> Answer<ListAutobiography> {
    state.with(|ws| ws.list_autobiography(&args.filter))
}

#[tauri::command]
pub async fn create_autobiography_entry(
    state: State<'_, AppState>,
    args: CreateAutobiographyEntry,
) -> Answer<CreateAutobiographyEntry> {
    state.write(|ws| ws.create_autobiography_entry(&args.entry))
}

#[tauri::command]
pub async fn update_autobiography_entry(
    state: State<'_, AppState>,
    args: UpdateAutobiographyEntry,
) -> Answer<UpdateAutobiographyEntry> {
    state.write(|ws| ws.update_autobiography_entry(&args.id, &args.patch))
}
