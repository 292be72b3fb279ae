//! Settings > Daily practice: on this day on or off, and reminders (off until a time is picked),
//! and the same reminder offered once in onboarding, after a new journal's recovery key. The core
//! keeps the settings and the shell fires the reminders; this shows and sends them.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::{GetPracticeSettings, SetPracticeSettings};
use wisdom_model::practice::reminder_time;
use wisdom_model::PracticeSettings;
use yew::prelude::*;

use crate::api;
use crate::components::Field;
use crate::dom::input_value;
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

/// What a reminder is, wherever one is offered.
const REMINDER_HINT: &str =
    "A notification while WisdomOS runs, even locked or in the tray. It never shows what you wrote.";

/// Saves `settings`; a notice says what changed.
fn save(store: &StoreHandle, settings: PracticeSettings, notice: &'static str) {
    let (s1, s2) = (store.clone(), store.clone());
    write(
        store,
        SetPracticeSettings { settings },
        move |_| s1.dispatch(Action::Notify(notice.into())),
        move |e| s2.dispatch(Action::Fail(e.message)),
    );
}

#[function_component]
pub fn PracticeSection() -> Html {
    let store = use_store();
    let loaded = use_load(GetPracticeSettings {});
    let error = use_state(|| None::<String>);
    let s = match &*loaded {
        Load::Ready(s) => *s,
        Load::Failed(m) => return html! { <p class="error-box" role="alert">{ m }</p> },
        Load::Loading => return html! { <div class="loading" aria-busy="true">{ "Loading…" }</div> },
    };
    let on_this_day = {
        let store = store.clone();
        Callback::from(move |_: Event| {
            let notice = if s.on_this_day { "On this day is off." } else { "On this day is back on Today." };
            save(&store, PracticeSettings { on_this_day: !s.on_this_day, ..s }, notice)
        })
    };
    let set_time = {
        let (store, error) = (store.clone(), error.clone());
        Callback::from(move |e: Event| {
            let text = input_value(&e);
            if text.trim().is_empty() {
                error.set(None);
                return save(&store, PracticeSettings { reminder_time: None, ..s }, "Reminders are off.");
            }
            match reminder_time(&text) {
                Ok(t) => {
                    error.set(None);
                    save(&store, PracticeSettings { reminder_time: Some(t), ..s }, "Reminder set.")
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let turn_off = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            save(&store, PracticeSettings { reminder_time: None, ..s }, "Reminders are off.")
        })
    };
    let reviews = {
        let store = store.clone();
        Callback::from(move |_: Event| {
            save(&store, PracticeSettings { review_reminders: !s.review_reminders, ..s }, "Saved.")
        })
    };
    let shown_time = s.reminder_time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    html! {
        <div class="stack" id="practice-section">
            <label class="check"><input type="checkbox" id="on-this-day-setting" checked={s.on_this_day} onchange={on_this_day} />
                { "Show entries from this day in earlier years and months on Today" }</label>
            <Field label="Remind me to write every day at" id="reminder-time" error={(*error).clone()}
                hint={AttrValue::from(REMINDER_HINT)}>
                <div class="row">
                    <input id="reminder-time" type="time" value={shown_time} onchange={set_time} />
                    if s.reminder_time.is_some() { <button class="ghost small" id="reminder-off" onclick={turn_off}>{ "Turn off" }</button> }
                </div>
            </Field>
            if s.reminder_time.is_some() {
                <label class="check"><input type="checkbox" id="review-reminders" checked={s.review_reminders} onchange={reviews} />
                    { "Also remind me on the day commitments are due for review" }</label>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FirstReminderProps {
    /// The step is over: a reminder was set (its words for a notice) or skipped (None).
    pub on_done: Callback<Option<String>>,
}

/// Onboarding's last step: a daily reminder at a time the person picks, or none ("Not now"). The
/// time is saved as the practice's setting, the same one Settings > Daily practice changes.
#[function_component]
pub fn FirstReminder(p: &FirstReminderProps) -> Html {
    let time = use_state(|| "21:00".to_string());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let remind = {
        let (time, busy, error, on_done) = (time.clone(), busy.clone(), error.clone(), p.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let at = match reminder_time(&time) {
                Ok(t) => t,
                Err(e) => return error.set(Some(e.to_string())),
            };
            error.set(None);
            busy.set(true);
            let (busy, error, on_done) = (busy.clone(), error.clone(), on_done.clone());
            spawn_local(async move {
                let saved = async {
                    let settings = api::invoke(&GetPracticeSettings {}).await?;
                    api::invoke(&SetPracticeSettings {
                        settings: PracticeSettings { reminder_time: Some(at), ..settings },
                    })
                    .await
                }
                .await;
                match saved {
                    Ok(_) => on_done.emit(Some(format!(
                        "A reminder every day at {}. Settings > Daily practice changes it.",
                        at.format("%H:%M")
                    ))),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e.message));
                    }
                }
            });
        })
    };
    let skip = {
        let on_done = p.on_done.clone();
        Callback::from(move |_: MouseEvent| on_done.emit(None))
    };
    html! {
        <form class="stack" id="first-reminder" aria-label="A daily reminder" onsubmit={remind} novalidate=true>
            <h2>{ "A daily reminder?" }</h2>
            <p>{ "A few lines a day add up. WisdomOS can remind you once a day, at a time you choose." }</p>
            <Field label="Remind me to write every day at" id="first-reminder-time" error={(*error).clone()}
                hint={AttrValue::from(REMINDER_HINT)}>
                <input id="first-reminder-time" type="time" value={(*time).clone()} onchange={crate::dom::bind(&time)} />
            </Field>
            <p class="muted">{ "You can change the time or turn reminders off in Settings > Daily practice." }</p>
            <div class="row">
                <button type="button" class="ghost" id="first-reminder-skip" onclick={skip} disabled={*busy}>{ "Not now" }</button>
                <button type="submit" class="primary wide" id="first-reminder-set" disabled={*busy}>
                    { if *busy { "Saving…" } else { "Remind me" } }
                </button>
            </div>
        </form>
    }
}
