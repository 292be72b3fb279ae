//! Recording events (the form is also the Ctrl+N quick capture) and the timeline with its filters
//! and search: by keywords, or by meaning (the language model; entries that say the same thing in
//! other words).

use chrono::Utc;
use serde_json::json;
use wisdom_model::{
    EntrySuggestion, Event, EventCategory, EventCreated, EventTone, EventType, Invalid, NewEvent, SearchHit, Template,
    TemplateFields,
};
use yew::prelude::*;

use crate::components::{
    area_name, area_options, bind, day_time, local_input_to_utc, title_case, use_settled, utc_to_local_input,
    EventCard, Field,
};
use crate::pages::meaning::{use_meaning, ReadingProgress};
use crate::store::{use_load, use_store, write, Action, Load};

fn options<T: Copy + PartialEq>(all: &[T], name: impl Fn(T) -> &'static str, selected: &str) -> Html {
    html! { <>{ for all.iter().map(|v| {
        let n = name(*v);
        html! { <option value={n} selected={n == selected}>{ title_case(n) }</option> }
    }) }</> }
}

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
    let ask = if settled.split_whitespace().count() >= 3 { "suggest_for_text" } else { "" };
    let suggestion = use_load::<Option<EntrySuggestion>>(ask, json!({ "text": settled }));
    let suggested = suggestion.ready().cloned().flatten().filter(|s| {
        s.life_area_id.trim_start_matches("area_") != area.as_str()
            || s.kind.as_str() != *kind
            || s.tone.as_str() != *tone
    });
    // Templates (wisdom template add): picking one fills the form by the model's rule; what the
    // person already wrote in the title, description and tags stays.
    let templates = use_load::<Vec<Template>>("list_templates", json!({}));
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
                "create_event",
                json!({ "event": new }),
                move |created: EventCreated| {
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

const PAGE: u32 = 40;

#[function_component]
pub fn EventsPage() -> Html {
    let store = use_store();
    let area = use_state(String::new);
    let kind = use_state(String::new);
    let tone = use_state(String::new);
    let tag = use_state(String::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let query = use_state(String::new);
    let by_meaning = use_state(|| false);
    let meaning = use_meaning();
    let model_missing = meaning.as_ref().is_some_and(|a| !a.status.model_available);
    // The timeline shows a page at a time; a long journal is not drawn all at once.
    let shown = use_state(|| PAGE);
    let opt = |s: &UseStateHandle<String>| (!s.is_empty()).then(|| (**s).clone());
    let day_start = |s: &str| local_input_to_utc(&format!("{s}T00:00"));
    let day_end = |s: &str| local_input_to_utc(&format!("{s}T23:59"));
    let filter = json!({ "filter": {
        "area": opt(&area), "type": opt(&kind), "tone": opt(&tone), "tag": opt(&tag),
        "from": opt(&from).and_then(|s| day_start(&s)), "to": opt(&to).and_then(|s| day_end(&s)),
        "limit": *shown + 1 } });
    let events = use_load::<Vec<Event>>("list_events", filter);
    let meant = *by_meaning && !model_missing;
    // Search by meaning runs the model and ranks every entry: asked once typing pauses, not per key.
    let settled = use_settled(query.trim().to_string(), 250);
    let q = if meant { settled } else { query.trim().to_string() };
    let search = match (q.is_empty(), meant) {
        (true, _) => "",
        (false, true) => "search_by_meaning",
        (false, false) => "search",
    };
    let hits = use_load::<Vec<SearchHit>>(search, json!({ "query": q, "limit": 50 }));
    let tags = use_load::<Vec<(String, u64)>>("tags", json!({}));
    let delete = {
        let store = store.clone();
        Callback::from(move |id: String| {
            let s = store.clone();
            write(
                &store,
                "delete_event",
                json!({ "id": id }),
                move |_: Event| s.dispatch(Action::Notify("Event deleted.".into())),
                {
                    let s = store.clone();
                    move |e| s.dispatch(Action::Fail(e.message))
                },
            );
        })
    };
    let clear = {
        let states = [area.clone(), kind.clone(), tone.clone(), tag.clone(), from.clone(), to.clone(), query.clone()];
        Callback::from(move |_: MouseEvent| states.iter().for_each(|s| s.set(String::new())))
    };
    let toggle_meaning = {
        let b = by_meaning.clone();
        Callback::from(move |_: web_sys::Event| b.set(!*b))
    };
    // For the end-to-end test: how far the model has read (it waits for the whole journal).
    let (read, total, reading) =
        meaning.as_ref().map_or((0, 0, false), |a| (a.status.embedded, a.status.total, a.reading));
    html! {
        <div class="page events" id="page-events">
            <header class="page-head">
                <div><h1>{ "Events" }</h1><p class="muted">{ "Everything you have recorded, newest first." }</p></div>
                <div class="search">
                    <label for="search-box" class="sr-only">{ "Search your journal" }</label>
                    <input id="search-box" type="search" placeholder="Search events, insights, stories…"
                           value={(*query).clone()} oninput={bind(&query)} />
                    <div class="search-options" id="meaning-state" data-read={read.to_string()}
                         data-total={total.to_string()} data-reading={reading.to_string()}>
                        <ReadingProgress activity={meaning.clone()} />
                        <label class="check" title="Also find entries that say the same thing in other words">
                            <input type="checkbox" role="switch" id="by-meaning" checked={meant}
                                   disabled={model_missing} onchange={toggle_meaning}
                                   aria-describedby={model_missing.then_some("by-meaning-note")} />
                            { "By meaning" }
                        </label>
                    </div>
                    if model_missing {
                        <small class="muted" id="by-meaning-note">
                            { "Search by meaning needs the language model, which is not installed on this device." }
                        </small>
                    }
                </div>
            </header>
            <div class="two-col">
                <div>
                    <div class="filters card" role="group" aria-label="Filter the timeline">
                        <Field label="Area" id="f-area">
                            <select id="f-area" onchange={bind(&area)}>
                                <option value="" selected={area.is_empty()}>{ "All areas" }</option>{ area_options(&area) }
                            </select>
                        </Field>
                        <Field label="Type" id="f-type">
                            <select id="f-type" onchange={bind(&kind)}>
                                <option value="" selected={kind.is_empty()}>{ "Any type" }</option>{ options(EventType::ALL, |v| v.as_str(), &kind) }
                            </select>
                        </Field>
                        <Field label="Tone" id="f-tone">
                            <select id="f-tone" onchange={bind(&tone)}>
                                <option value="" selected={tone.is_empty()}>{ "Any tone" }</option>{ options(EventTone::ALL, |v| v.as_str(), &tone) }
                            </select>
                        </Field>
                        <Field label="Tag" id="f-tag">
                            <select id="f-tag" onchange={bind(&tag)}>
                                <option value="" selected={tag.is_empty()}>{ "Any tag" }</option>
                                { for tags.ready().cloned().unwrap_or_default().iter().map(|(t, n)| html! {
                                    <option value={t.clone()} selected={*t == *tag}>{ format!("#{t} ({n})") }</option>
                                }) }
                            </select>
                        </Field>
                        <Field label="From" id="f-from"><input id="f-from" type="date" value={(*from).clone()} oninput={bind(&from)} /></Field>
                        <Field label="To" id="f-to"><input id="f-to" type="date" value={(*to).clone()} oninput={bind(&to)} /></Field>
                        <button class="ghost small" onclick={clear}>{ "Clear" }</button>
                    </div>
                    if !q.is_empty() {
                        <section class="card" aria-label="Search results" id="search-results">
                            <h2>{ if meant { format!("Entries meaning “{q}”") } else { format!("Results for “{q}”") } }</h2>
                            { match &*hits {
                                Load::Ready(h) if h.is_empty() => html! { <p class="empty">{ "Nothing matches." }</p> },
                                Load::Ready(h) => html! { <ul class="hits">{ for h.iter().map(|hit| html! {
                                    <li class="hit"><span class="chip">{ title_case(&hit.kind) }</span>
                                        <strong>{ &hit.title }</strong>
                                        <p class="snippet">{ &hit.snippet }</p>
                                        if let Some(d) = hit.date { <small class="muted">{ day_time(&d) }</small> }
                                    </li> }) }</ul> },
                                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                                Load::Loading => html! { <p class="muted">{ "Searching…" }</p> },
                            } }
                        </section>
                    }
                    <section class="timeline" aria-label="Timeline" id="timeline">
                        { match &*events {
                            Load::Ready(list) if list.is_empty() => html! { <p class="empty card">{ "No events match. Record one with the form, or press Ctrl+N anywhere." }</p> },
                            Load::Ready(list) => html! { <>
                                { for list.iter().take(*shown as usize).map(|e| html! { <EventCard key={e.id.clone()} event={e.clone()} on_delete={Some(delete.clone())} /> }) }
                                if list.len() > *shown as usize {
                                    <button class="ghost" id="more-events" onclick={{ let s = shown.clone(); Callback::from(move |_: MouseEvent| s.set(*s + PAGE)) }}>{ "Show more" }</button>
                                }
                            </> },
                            Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                            Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                        } }
                    </section>
                </div>
                <aside class="card sticky">
                    <h2>{ "Record an event" }</h2>
                    <EventForm />
                </aside>
            </div>
        </div>
    }
}
