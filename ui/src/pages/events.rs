//! The timeline with its filters and search: by keywords, or by meaning (the language model;
//! entries that say the same thing in other words). The event form is `sections::event_form`.

use wisdom_model::commands::{DeleteEvent, ListEvents, Search, SearchByMeaning, Tags};
use wisdom_model::{EventFilter, EventTone, EventType};
use yew::prelude::*;

use crate::components::{EventCard, Field};
use crate::dom::{bind, local_input_to_utc, use_settled};
use crate::format::{area_options, day_time, options, title_case};
use crate::sections::event_form::EventForm;
use crate::sections::meaning::{use_meaning, ReadingProgress};
use crate::store::{use_load, use_load_when, use_store, write, Action, Load};

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
    let filter = EventFilter {
        area: opt(&area),
        kind: opt(&kind).and_then(|k| k.parse().ok()),
        tone: opt(&tone).and_then(|t| t.parse().ok()),
        tag: opt(&tag),
        from: opt(&from).and_then(|s| day_start(&s)),
        to: opt(&to).and_then(|s| day_end(&s)),
        limit: Some(*shown + 1),
        ..Default::default()
    };
    let events = use_load(ListEvents { filter });
    let meant = *by_meaning && !model_missing;
    // Search by meaning runs the model and ranks every entry: asked once typing pauses, not per key.
    let settled = use_settled(query.trim().to_string(), 250);
    let q = if meant { settled } else { query.trim().to_string() };
    let keyword_hits = use_load_when((!q.is_empty() && !meant).then(|| Search { query: q.clone(), limit: 50 }));
    let meaning_hits = use_load_when((!q.is_empty() && meant).then(|| SearchByMeaning { query: q.clone(), limit: 50 }));
    let hits = if meant { meaning_hits } else { keyword_hits };
    let tags = use_load(Tags {});
    let delete = {
        let store = store.clone();
        Callback::from(move |id: String| {
            let s = store.clone();
            write(
                &store,
                DeleteEvent { id: id.clone() },
                move |_| s.dispatch(Action::Notify("Event deleted.".into())),
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
                                        <p class="snippet">{ for hit.snippet.0.iter().map(|p| if p.marked { html! { <mark>{ &p.text }</mark> } } else { html! { { &p.text } } }) }</p>
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
