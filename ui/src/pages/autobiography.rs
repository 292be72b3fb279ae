//! Autobiography: the eras of your life on a timeline, and the stories written into each.

use wisdom_model::commands::{CreateAutobiographyEntry, CreateEra, Eras, ListAutobiography, UpdateAutobiographyEntry};
use wisdom_model::{AutobiographyEntry, AutobiographyFilter, AutobiographyPatch, Era};
use yew::prelude::*;

use crate::components::{Dialog, Field};
use crate::dom::bind;
use crate::store::{use_load, use_store, write, Action, Load};

#[function_component]
pub fn AutobiographyPage() -> Html {
    let eras = use_load(Eras {});
    let entries = use_load(ListAutobiography { filter: AutobiographyFilter::default() });
    let editing = use_state(|| None::<Option<AutobiographyEntry>>);
    let era_form = use_state(|| false);
    let eras_list = eras.ready().cloned().unwrap_or_default();
    let entries_list = entries.ready().cloned().unwrap_or_default();
    let new_entry = {
        let e = editing.clone();
        Callback::from(move |_: MouseEvent| e.set(Some(None)))
    };
    let new_era = {
        let e = era_form.clone();
        Callback::from(move |_: MouseEvent| e.set(true))
    };
    let close_entry = {
        let e = editing.clone();
        Callback::from(move |_| e.set(None))
    };
    let close_era = {
        let e = era_form.clone();
        Callback::from(move |_| e.set(false))
    };
    html! {
        <div class="page autobiography" id="page-autobiography">
            <header class="page-head">
                <div><h1>{ "Autobiography" }</h1><p class="muted">{ "The chapters of your life, and the stories that shaped them." }</p></div>
                <div class="row">
                    <button class="ghost" onclick={new_era} id="new-era">{ "+ New era" }</button>
                    <button class="primary" onclick={new_entry} disabled={eras_list.is_empty()} id="new-entry">{ "+ Write a story" }</button>
                </div>
            </header>
            { match &*eras {
                Load::Ready(l) if l.is_empty() => html! {
                    <div class="card empty-hero"><h2>{ "Begin with an era" }</h2>
                        <p>{ "An era is a chapter: “Childhood in Lyon”, “The startup years”. Add your first one, then write the stories inside it." }</p></div>
                },
                Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                _ => html! {
                    <ol class="era-timeline">
                        { for eras_list.iter().map(|era| {
                            let inside: Vec<&AutobiographyEntry> = entries_list.iter().filter(|x| x.era_id == era.id).collect();
                            html! {
                                <li class="era">
                                    <div class="era-years">{ format!("{}–{}", era.start_year, era.end_year.map(|y| y.to_string()).unwrap_or_else(|| "now".into())) }</div>
                                    <div class="era-card card">
                                        <h2>{ &era.name }</h2>
                                        if let Some(d) = &era.description { <p class="muted">{ d }</p> }
                                        if inside.is_empty() { <p class="empty">{ "No stories yet." }</p> }
                                        { for inside.into_iter().map(|entry| {
                                            let (e, en) = (editing.clone(), entry.clone());
                                            html! {
                                                <button class="story" onclick={Callback::from(move |_: MouseEvent| e.set(Some(Some(en.clone()))))}
                                                        aria-label={format!("Edit story {}", entry.title)}>
                                                    <span class="story-date">{ match entry.month { Some(m) => format!("{}/{}", m, entry.year), None => entry.year.to_string() } }</span>
                                                    <strong>{ &entry.title }</strong>
                                                    <span class="story-text">{ entry.narrative.chars().take(180).collect::<String>() }</span>
                                                </button>
                                            }
                                        }) }
                                    </div>
                                </li>
                            }
                        }) }
                    </ol>
                },
            } }
            if *era_form {
                <Dialog title="New era" on_close={close_era.clone()}><EraForm on_done={close_era} /></Dialog>
            }
            if let Some(entry) = &*editing {
                <Dialog title={if entry.is_some() { "Edit story" } else { "Write a story" }} on_close={close_entry.clone()}>
                    <EntryEditor eras={eras_list.clone()} entry={entry.clone()} on_done={close_entry} />
                </Dialog>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EraFormProps {
    on_done: Callback<()>,
}

#[function_component]
fn EraForm(p: &EraFormProps) -> Html {
    let store = use_store();
    let name = use_state(String::new);
    let start = use_state(String::new);
    let end = use_state(String::new);
    let description = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, name, start, end, description, error, done) = (
            store.clone(),
            name.clone(),
            start.clone(),
            end.clone(),
            description.clone(),
            error.clone(),
            p.on_done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(start_year) = start.trim().parse::<i64>() else {
                return error.set(Some("Give the year the era began, e.g. 2015.".into()));
            };
            let end_year = end.trim().parse::<i64>().ok();
            let new = wisdom_model::NewEra {
                name: name.trim().to_string(),
                start_year,
                end_year,
                description: (!description.trim().is_empty()).then(|| description.trim().to_string()),
            };
            if let Err(inv) = new.validate() {
                return error.set(Some(format!("{}: use {}.", inv.field, inv.allowed)));
            }
            let (s, done, err) = (store.clone(), done.clone(), error.clone());
            write(
                &store,
                CreateEra { era: new },
                move |_| {
                    s.dispatch(Action::Notify("Era added.".into()));
                    done.emit(());
                },
                move |e| err.set(Some(e.message)),
            );
        })
    };
    html! {
        <form class="stack" onsubmit={submit} novalidate=true>
            <Field label="Name" id="era-name"><input id="era-name" value={(*name).clone()} oninput={bind(&name)} placeholder="The startup years" /></Field>
            <div class="grid2">
                <Field label="From year" id="era-start"><input id="era-start" inputmode="numeric" value={(*start).clone()} oninput={bind(&start)} /></Field>
                <Field label="To year (empty if ongoing)" id="era-end"><input id="era-end" inputmode="numeric" value={(*end).clone()} oninput={bind(&end)} /></Field>
            </div>
            <Field label="Description" id="era-desc"><textarea id="era-desc" rows="3" value={(*description).clone()} oninput={bind(&description)} /></Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end"><button class="primary" type="submit">{ "Add era" }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    eras: Vec<Era>,
    entry: Option<AutobiographyEntry>,
    on_done: Callback<()>,
}

#[function_component]
fn EntryEditor(p: &EditorProps) -> Html {
    let store = use_store();
    let e = p.entry.clone();
    let era = use_state(|| {
        e.as_ref().map(|x| x.era_id.clone()).or_else(|| p.eras.last().map(|x| x.id.clone())).unwrap_or_default()
    });
    let year = use_state(|| e.as_ref().map(|x| x.year.to_string()).unwrap_or_default());
    let month = use_state(|| e.as_ref().and_then(|x| x.month).map(|m| m.to_string()).unwrap_or_default());
    let title = use_state(|| e.as_ref().map(|x| x.title.clone()).unwrap_or_default());
    let narrative = use_state(|| e.as_ref().map(|x| x.narrative.clone()).unwrap_or_default());
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, era, year, month, title, narrative, error, done) = (
            store.clone(),
            era.clone(),
            year.clone(),
            month.clone(),
            title.clone(),
            narrative.clone(),
            error.clone(),
            p.on_done.clone(),
        );
        let existing = p.entry.as_ref().map(|x| x.id.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let Ok(y) = year.trim().parse::<i64>() else {
                return error.set(Some("Give the year this happened.".into()));
            };
            let m = month.trim().parse::<i64>().ok();
            let new = wisdom_model::NewAutobiographyEntry {
                era_id: (*era).clone(),
                year: y,
                month: m,
                title: title.trim().to_string(),
                narrative: (*narrative).clone(),
                event_ids: vec![],
                life_area_ids: vec![],
                is_public: false,
            };
            if let Err(inv) = new.validate() {
                return error.set(Some(format!("{}: use {}.", inv.field, inv.allowed)));
            }
            let (s, d, err) = (store.clone(), done.clone(), error.clone());
            let ok = move |_: AutobiographyEntry| {
                s.dispatch(Action::Notify("Story saved.".into()));
                d.emit(());
            };
            let failed = move |e: crate::api::ShellError| err.set(Some(e.message));
            match &existing {
                Some(id) => {
                    let patch = AutobiographyPatch {
                        era_id: Some(new.era_id),
                        year: Some(new.year),
                        month: Some(new.month),
                        title: Some(new.title),
                        narrative: Some(new.narrative),
                        ..Default::default()
                    };
                    write(&store, UpdateAutobiographyEntry { id: id.clone(), patch }, ok, failed)
                }
                None => write(&store, CreateAutobiographyEntry { entry: new }, ok, failed),
            }
        })
    };
    html! {
        <form class="stack editor" onsubmit={submit} novalidate=true>
            <div class="grid3">
                <Field label="Era" id="ae-era"><select id="ae-era" onchange={bind(&era)}>
                    { for p.eras.iter().map(|x| html! { <option value={x.id.clone()} selected={x.id == *era}>{ &x.name }</option> }) }
                </select></Field>
                <Field label="Year" id="ae-year"><input id="ae-year" inputmode="numeric" value={(*year).clone()} oninput={bind(&year)} /></Field>
                <Field label="Month (optional)" id="ae-month"><input id="ae-month" inputmode="numeric" value={(*month).clone()} oninput={bind(&month)} /></Field>
            </div>
            <Field label="Title" id="ae-title"><input id="ae-title" value={(*title).clone()} oninput={bind(&title)} /></Field>
            <Field label="The story" id="ae-text"><textarea id="ae-text" rows="10" value={(*narrative).clone()} oninput={bind(&narrative)} /></Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end"><button class="primary" type="submit">{ "Save story" }</button></div>
        </form>
    }
}
