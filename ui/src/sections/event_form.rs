//! The event form: recording an event on the Events page, on a life area's page and in the Ctrl+N
//! quick capture. It asks the language model's suggestion once the words settle, and fills from a
//! template by model/'s rule.

use chrono::Utc;
use wisdom_model::commands::{CreateEvent, ListTemplates, SuggestForText};
use wisdom_model::{EventCategory, EventTone, EventType, Invalid, NewEvent, TemplateFields};
use yew::prelude::*;

use crate::components::Field;
use crate::dom::{bind, local_input_to_utc, use_settled, utc_to_local_input};
use crate::format::{area_name, area_options, options, title_case};
use crate::store::{use_load, use_load_when, use_store, write, Action};

/// What to tell a person about a field the rules refuse.
fn advice(inv: &Invalid) -> String {
    match inv.field.as_str() {
        "title" if inv.allowed.contains("non-empty") => "Give the event a title.".into(),
        "title" if inv.allowed.contains("single line") => "Keep the title to one line.".into(),
        f => format!("{}: use {}.", title_case(f), inv.allowed),
    }
}

#[derive(Properties, PartialEq)]
pub struct EventFormProps {
    #[prop_or_default]
    pub on_done: Option<Callback<()>>,
    #[prop_or_else(|| "personal-growth".to_string())]
    pub area: String,
}

#[function_component]
pub fn EventForm(p: &EventFormProps) -> Html {
    let store = use_store();
    let area = use_state(|| p.area.clone());
    let kind = use_state(|| "PROGRESS".to_string());
    let category = use_state(|| "PERSONAL".to_string());
    let tone = use_state(|| "POSITIVE".to_string());
    let title = use_state(String::new);
    let description = use_state(String::new);
    let occurred = use_state(|| utc_to_local_input(&Utc::now()));
    let charge = use_state(|| "2".to_string());
    let tags = use_state(String::new);
    let errors = use_state(|| None::<(String, String)>);
    let busy = use_state(|| false);
    // What the entry most likely is, from the person's entries that mean the most similar things
    // (the language model, in the core); asked once the words settle, applied only on request.
    let text = format!("{}. {}", title.trim(), description.trim());
    let settled = use_settled(text, 400);
    let ask = (settled.split_whitespace().count() >= 3).then_some(SuggestForText { text: settled });
    let suggestion = use_load_when(ask);
    let suggested = suggestion.ready().cloned().flatten().filter(|s| {
        s.life_area_id.trim_start_matches("area_") != area.as_str()
            || s.kind.as_str() != *kind
            || s.tone.as_str() != *tone
    });
    // Templates (wisdom template add): picking one fills the form by the model's rule; what the
    // person already wrote in the title, description and tags stays.
    let templates = use_load(ListTemplates {});
    let templates = templates.ready().cloned().unwrap_or_default();
    let use_template = {
        let (area, kind, tone, title, description, tags, occurred) = (
            area.clone(),
            kind.clone(),
            tone.clone(),
            title.clone(),
            description.clone(),
            tags.clone(),
            occurred.clone(),
        );
        let all = templates.clone();
        Callback::from(move |e: yew::Event| {
            let name = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let Some(t) = all.iter().find(|t| t.name == name) else { return };
            // The local day the entry is for, as the "When" field has it (YYYY-MM-DDTHH:MM).
            let day = chrono::NaiveDate::parse_from_str(occurred.get(..10).unwrap_or_default(), "%Y-%m-%d")
                .unwrap_or_else(|_| Utc::now().date_naive());
            let given = TemplateFields {
                title: Some((*title).clone()).filter(|s| !s.trim().is_empty()),
                tags: tags.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect(),
                body: Some((*description).clone()).filter(|s| !s.trim().is_empty()),
                ..Default::default()
            };
            let f = t.fill(day, given);
            title.set(f.title.unwrap_or_default());
            description.set(f.body.unwrap_or_default());
            tags.set(f.tags.join(", "));
            if let Some(a) = f.life_area {
                area.set(a.trim_start_matches("area_").to_string());
            }
            if let Some(k) = f.kind {
                kind.set(k.as_str().to_string());
            }
            if let Some(t) = f.tone {
                tone.set(t.as_str().to_string());
            }
        })
    };
    let use_suggestion = {
        let (area, kind, tone, s) = (area.clone(), kind.clone(), tone.clone(), suggested.clone());
        Callback::from(move |_| {
            if let Some(s) = &s {
                area.set(s.life_area_id.trim_start_matches("area_").to_string());
                kind.set(s.kind.as_str().to_string());
                tone.set(s.tone.as_str().to_string());
            }
        })
    };

    let submit = {
        let (store, area, kind, category, tone, title, description, occurred, charge, tags, errors, busy) = (
            store.clone(),
            area.clone(),
            kind.clone(),
            category.clone(),
            tone.clone(),
            title.clone(),
            description.clone(),
            occurred.clone(),
            charge.clone(),
            tags.clone(),
            errors.clone(),
            busy.clone(),
        );
        let on_done = p.on_done.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(at) = local_input_to_utc(&occurred) else {
                return errors.set(Some(("occurredAt".into(), "Pick the date and time it happened.".into())));
            };
            let new = NewEvent {
                life_area_id: None,
                life_area: Some((*area).clone()),
                kind: kind.parse().unwrap_or(EventType::Progress),
                category: category.parse().unwrap_or(EventCategory::Personal),
                tone: tone.parse().unwrap_or(EventTone::Neutral),
                title: (*title).clone(),
                description: (*description).clone(),
                narrative: None,
                occurred_at: Some(at),
                emotional_charge: charge.parse().unwrap_or(0),
                tags: tags.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            };
            // The same rules the core applies, checked here first so the message sits by its field.
            if let Err(inv) = new.validate(Utc::now()) {
                return errors.set(Some((inv.field.clone(), advice(&inv))));
            }
            errors.set(None);
            busy.set(true);
            let (s2, busy2, errors2, title2, desc2, tags2) =
                (store.clone(), busy.clone(), errors.clone(), title.clone(), description.clone(), tags.clone());
            let busy3 = busy.clone();
            let on_done = on_done.clone();
            write(
                &store,
                CreateEvent { event: new },
                move |created| {
                    busy2.set(false);
                    title2.set(String::new());
                    desc2.set(String::new());
                    tags2.set(String::new());
                    s2.dispatch(Action::Notify(format!(
                        "Saved “{}”. {} is now {:.1}.",
                        created.event.title,
                        area_name(&created.event.life_area_id),
                        created.updated_score
                    )));
                    if let Some(cb) = on_done {
                        cb.emit(());
                    }
                },
                move |e| {
                    busy3.set(false);
                    errors2.set(Some((e.field.unwrap_or_default(), e.message)));
                },
            );
        })
    };
    let err = |f: &str| errors.as_ref().filter(|(field, _)| field == f).map(|(_, m)| m.clone());
    let general = errors
        .as_ref()
        .filter(|(f, _)| {
            !["title", "description", "occurredAt", "emotionalCharge", "tags", "lifeAreaId"].contains(&f.as_str())
        })
        .map(|(_, m)| m.clone());
    html! {
        <form class="event-form" id="event-form" onsubmit={submit} aria-label="New event" novalidate=true>
            if !templates.is_empty() {
                <Field label="Start from a template" id="ev-template">
                    <select id="ev-template" onchange={use_template}>
                        <option value="" selected=true>{ "None" }</option>
                        { for templates.iter().map(|t| html! { <option value={t.name.clone()}>{ &t.name }</option> }) }
                    </select>
                </Field>
            }
            <Field label="Title" id="ev-title" error={err("title")}>
                <input id="ev-title" value={(*title).clone()} oninput={bind(&title)} placeholder="What happened?"
                       maxlength="200" autofocus=true aria-invalid={err("title").is_some().to_string()} />
            </Field>
            if let Some(s) = &suggested {
                <p class="suggestion" id="ev-suggestion" role="status">
                    { "Looks like " }
                    <strong>{ format!("{} · {} · {}", area_name(&s.life_area_id), title_case(s.kind.as_str()), title_case(s.tone.as_str())) }</strong>
                    { " " }
                    <button type="button" class="link" id="ev-use-suggestion" onclick={use_suggestion}>{ "Use it" }</button>
                </p>
            }
            <div class="grid2">
                <Field label="Life area" id="ev-area" error={err("lifeAreaId")}>
                    <select id="ev-area" onchange={bind(&area)}>{ area_options(&area) }</select>
                </Field>
                <Field label="When" id="ev-when" error={err("occurredAt")}>
                    <input id="ev-when" type="datetime-local" value={(*occurred).clone()} oninput={bind(&occurred)} />
                </Field>
                <Field label="Type" id="ev-type">
                    <select id="ev-type" onchange={bind(&kind)}>{ options(EventType::ALL, |v| v.as_str(), &kind) }</select>
                </Field>
                <Field label="Tone" id="ev-tone">
                    <select id="ev-tone" onchange={bind(&tone)}>{ options(EventTone::ALL, |v| v.as_str(), &tone) }</select>
                </Field>
                <Field label="Category" id="ev-category">
                    <select id="ev-category" onchange={bind(&category)}>{ options(EventCategory::ALL, |v| v.as_str(), &category) }</select>
                </Field>
                <Field label={format!("Emotional charge: {:+}", charge.parse::<i64>().unwrap_or(0))} id="ev-charge" error={err("emotionalCharge")}>
                    <input id="ev-charge" type="range" min="-5" max="5" step="1" value={(*charge).clone()} oninput={bind(&charge)} />
                </Field>
            </div>
            <Field label="Description" id="ev-desc" error={err("description")}>
                <textarea id="ev-desc" rows="3" value={(*description).clone()} oninput={bind(&description)}
                          placeholder="A few lines about it (optional)" />
            </Field>
            <Field label="Tags" id="ev-tags" error={err("tags")} hint={Some(AttrValue::from("Comma separated, e.g. career, courage"))}>
                <input id="ev-tags" value={(*tags).clone()} oninput={bind(&tags)} />
            </Field>
            if let Some(m) = general { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end">
                <button type="submit" class="primary" id="ev-submit" disabled={*busy}>{ if *busy { "Saving…" } else { "Save event" } }</button>
            </div>
        </form>
    }
}
