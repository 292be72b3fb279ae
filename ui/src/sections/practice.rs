//! Settings > Daily practice: on this day on or off, and reminders (off until a time is picked).
//! The core keeps the settings and the shell fires the reminders; this shows and sends them.

use wisdom_model::commands::{GetPracticeSettings, SetPracticeSettings};
use wisdom_model::practice::reminder_time;
use wisdom_model::PracticeSettings;
use yew::prelude::*;

use crate::components::Field;
use crate::dom::input_value;
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

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
                hint={AttrValue::from("A notification while the app is open. It never shows what you wrote.")}>
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
