//! The journal itself: life areas and the dashboard, the daily practice, events, templates,
//! search and the language model's reading.

use tauri::State;
use wisdom_model::commands::*;
use wisdom_model::MeaningActivity;

use super::{blocking, AppState};
use crate::error::Answer;

// ---- areas and dashboard ----------------------------------------------------------------------

#[tauri::command]
pub async fn life_areas(state: State<'_, AppState>, args: LifeAreas) -> Answer<LifeAreas> {
    let LifeAreas {} = args;
    state.with(|ws| ws.life_areas())
}

#[tauri::command]
pub async fn life_area(state: State<'_, AppState>, args: GetLifeArea) -> Answer<GetLifeArea> {
    state.with(|ws| ws.life_area(&args.area))
}

#[tauri::command]
pub async fn score_breakdown(state: State<'_, AppState>, args: GetScoreBreakdown) -> Answer<GetScoreBreakdown> {
    state.with(|ws| ws.score_breakdown(&args.area))
}

#[tauri::command]
pub async fn refresh_scores(state: State<'_, AppState>, args: RefreshScores) -> Answer<RefreshScores> {
    let RefreshScores {} = args;
    state.with(|ws| ws.refresh_scores())
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, args: GetDashboard) -> Answer<GetDashboard> {
    let GetDashboard {} = args;
    state.with(|ws| ws.dashboard())
}

// ---- the daily practice -----------------------------------------------------------------------

#[tauri::command]
pub async fn today_overview(state: State<'_, AppState>, args: TodayOverview) -> Answer<TodayOverview> {
    let TodayOverview {} = args;
    state.with(|ws| ws.today_overview())
}

#[tauri::command]
pub async fn calendar(state: State<'_, AppState>, args: GetCalendar) -> Answer<GetCalendar> {
    state.with(|ws| ws.calendar(args.year))
}

#[tauri::command]
pub async fn list_prompts(state: State<'_, AppState>, args: ListPrompts) -> Answer<ListPrompts> {
    let ListPrompts {} = args;
    state.with(|ws| ws.prompts())
}

#[tauri::command]
pub async fn add_prompt(state: State<'_, AppState>, args: AddPrompt) -> Answer<AddPrompt> {
    state.write(|ws| ws.add_prompt(&args.prompt))
}

#[tauri::command]
pub async fn edit_prompt(state: State<'_, AppState>, args: EditPrompt) -> Answer<EditPrompt> {
    state.write(|ws| ws.edit_prompt(&args.id, &args.text))
}

#[tauri::command]
pub async fn set_prompt_hidden(state: State<'_, AppState>, args: SetPromptHidden) -> Answer<SetPromptHidden> {
    state.write(|ws| ws.set_prompt_hidden(&args.id, args.hidden))
}

#[tauri::command]
pub async fn practice_settings(state: State<'_, AppState>, args: GetPracticeSettings) -> Answer<GetPracticeSettings> {
    let GetPracticeSettings {} = args;
    state.with(|ws| ws.practice_settings())
}

/// Saves the practice's settings (the reminders thread looks at the new time at once, as after
/// every write).
#[tauri::command]
pub async fn set_practice_settings(
    state: State<'_, AppState>,
    args: SetPracticeSettings,
) -> Answer<SetPracticeSettings> {
    state.write(|ws| ws.set_practice_settings(&args.settings))
}

// ---- events, templates and search -------------------------------------------------------------

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, args: CreateEvent) -> Answer<CreateEvent> {
    state.write(|ws| ws.create_event(&args.event))
}

#[tauri::command]
pub async fn update_event(state: State<'_, AppState>, args: UpdateEvent) -> Answer<UpdateEvent> {
    state.write(|ws| ws.update_event(&args.id, &args.patch))
}

#[tauri::command]
pub async fn delete_event(state: State<'_, AppState>, args: DeleteEvent) -> Answer<DeleteEvent> {
    state.write(|ws| ws.delete_event(&args.id))
}

#[tauri::command]
pub async fn list_events(state: State<'_, AppState>, args: ListEvents) -> Answer<ListEvents> {
    state.with(|ws| ws.list_events(&args.filter))
}

#[tauri::command]
pub async fn tags(state: State<'_, AppState>, args: Tags) -> Answer<Tags> {
    let Tags {} = args;
    state.with(|ws| ws.tags())
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>, args: ListTemplates) -> Answer<ListTemplates> {
    let ListTemplates {} = args;
    state.with(|ws| ws.templates())
}

#[tauri::command]
pub async fn save_template(state: State<'_, AppState>, args: SaveTemplate) -> Answer<SaveTemplate> {
    state.write(|ws| ws.save_template(&args.template))
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, args: DeleteTemplate) -> Answer<DeleteTemplate> {
    state.write(|ws| ws.delete_template(&args.name))
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, args: Search) -> Answer<Search> {
    state.with(|ws| ws.search(&args.query, args.limit))
}

#[tauri::command]
pub async fn search_by_meaning(state: State<'_, AppState>, args: SearchByMeaning) -> Answer<SearchByMeaning> {
    // The first search may load the model (0.1 s): done before taking the journal.
    blocking(|| wisdom_core::meaning::language_model().map(|_| ())).await??;
    state.with(|ws| ws.search_by_meaning(&args.query, args.limit))
}

/// Nothing when the model is missing or the journal has too few read entries.
#[tauri::command]
pub async fn suggest_for_text(state: State<'_, AppState>, args: SuggestForText) -> Answer<SuggestForText> {
    if !blocking(|| wisdom_core::meaning::language_model().is_ok()).await? {
        return Ok(None);
    }
    state.with(|ws| ws.suggest_for_text(&args.text))
}

#[tauri::command]
pub async fn meaning_status(state: State<'_, AppState>, args: GetMeaningStatus) -> Answer<GetMeaningStatus> {
    let GetMeaningStatus {} = args;
    let status = state.with(|ws| ws.meaning_status())?;
    Ok(MeaningActivity { status, reading: state.reader.reading() })
}
