//! Settings > Templates: the templates quick capture starts from, listed, written, changed and
//! deleted. Core validates and keeps them (`save_template` replaces one of the same name).

use wisdom_model::commands::{DeleteTemplate, ListTemplates, SaveTemplate};
use wisdom_model::{EventTone, EventType, NewTemplate, Template};
use yew::prelude::*;

use crate::components::Field;
use crate::dom::bind;
use crate::format::{area_name, area_options, title_case};
use crate::store::{use_load, use_store, write, Action, Load};

#[function_component]
pub fn TemplatesSection() -> Html {
    let store = use_store();
    let templates = use_load(ListTemplates {});
    let editing = use_state(|| None::<Template>);
    // Bumped after each save, so the form starts empty again.
    let saved = use_state(|| 0u32);
    let list = match &*templates {
        Load::Ready(all) => all.clone(),
        Load::Failed(m) => return html! { <p class="error-box" role="alert">{ m }</p> },
        Load::Loading => return html! { <div class="loading" aria-busy="true">{ "Loading templates…" }</div> },
    };
    let rows = list.into_iter().map(|t| {
        let edit = {
            let (editing, t) = (editing.clone(), t.clone());
            Callback::from(move |_: MouseEvent| editing.set(Some(t.clone())))
        };
        let delete = {
            let (store, name) = (store.clone(), t.name.clone());
            Callback::from(move |_: MouseEvent| {
                let (s1, s2) = (store.clone(), store.clone());
                write(
                    &store,
                    DeleteTemplate { name: name.clone() },
                    move |t| s1.dispatch(Action::Notify(format!("Template “{}” deleted.", t.name))),
                    move |e| s2.dispatch(Action::Fail(e.message)),
                );
            })
        };
        let area = t.life_area_id.as_deref().map(area_name).unwrap_or_else(|| "Any area".into());
        html! {
            <li class="prompt-row" data-template={t.name.clone()}>
                <span><strong>{ &t.name }</strong>{ format!(" · {}", t.title) }</span>
                <small class="muted">{ format!("{area} · {}", t.kind.map_or("Any type".into(), |k| title_case(k.as_str()))) }</small>
                <div class="row">
                    <button class="ghost small" onclick={edit}>{ "Edit" }</button>
                    <button class="ghost small" onclick={delete}>{ "Delete" }</button>
                </div>
            </li>
        }
    });
    let done = {
        let (editing, saved) = (editing.clone(), saved.clone());
        Callback::from(move |_: ()| {
            editing.set(None);
            saved.set(*saved + 1);
        })
    };
    let key = format!("{}-{}", editing.as_ref().map_or("", |t| t.name.as_str()), *saved);
    html! {
        <div class="stack" id="templates-section">
            <ul class="plain prompt-list">{ for rows }</ul>
            <TemplateForm {key} template={(*editing).clone()} {done} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    /// The template being changed; none for a new one.
    template: Option<Template>,
    done: Callback<()>,
}

fn options<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, selected: &str) -> Html {
    html! { <>
        <option value="" selected={selected.is_empty()}>{ "Any" }</option>
        { for all.iter().map(|v| html! { <option value={name(*v)} selected={name(*v) == selected}>{ title_case(name(*v)) }</option> }) }
    </> }
}

#[function_component]
fn TemplateForm(p: &FormProps) -> Html {
    let store = use_store();
    let t = p.template.clone();
    let name = use_state(|| t.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let title = use_state(|| t.as_ref().map(|t| t.title.clone()).unwrap_or_default());
    let area = use_state(|| {
        t.as_ref()
            .and_then(|t| t.life_area_id.clone())
            .map(|a| a.trim_start_matches("area_").to_string())
            .unwrap_or_default()
    });
    let kind = use_state(|| t.as_ref().and_then(|t| t.kind).map(|k| k.as_str().to_string()).unwrap_or_default());
    let tone = use_state(|| t.as_ref().and_then(|t| t.tone).map(|k| k.as_str().to_string()).unwrap_or_default());
    let tags = use_state(|| t.as_ref().map(|t| t.tags.join(", ")).unwrap_or_default());
    let body = use_state(|| t.as_ref().map(|t| t.body.clone()).unwrap_or_default());
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, done, error) = (store.clone(), p.done.clone(), error.clone());
        let fields =
            (name.clone(), title.clone(), area.clone(), kind.clone(), tone.clone(), tags.clone(), body.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (name, title, area, kind, tone, tags, body) = &fields;
            let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let template = NewTemplate {
                name: (**name).clone(),
                title: (**title).clone(),
                life_area: none_if_empty(area),
                kind: kind.parse::<EventType>().ok(),
                tone: tone.parse::<EventTone>().ok(),
                tags: tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect(),
                body: (**body).clone(),
            };
            let (s, done, err, err2) = (store.clone(), done.clone(), error.clone(), error.clone());
            write(
                &store,
                SaveTemplate { template },
                move |t| {
                    err.set(None);
                    done.emit(());
                    s.dispatch(Action::Notify(format!("Template “{}” saved.", t.name)));
                },
                move |e| err2.set(Some(e.message)),
            );
        })
    };
    let cancel = {
        let done = p.done.clone();
        Callback::from(move |_: MouseEvent| done.emit(()))
    };
    let editing = p.template.is_some();
    html! {
        <form class="stack" onsubmit={submit} aria-label="Template" id="template-form">
            <h3>{ if editing { "Change the template" } else { "A new template" } }</h3>
            <div class="grid2">
                <Field label="Name" id="tpl-name" hint={AttrValue::from("Letters, digits, - and _")}>
                    <input id="tpl-name" value={(*name).clone()} oninput={bind(&name)} disabled={editing} />
                </Field>
                <Field label="Title" id="tpl-title" hint={AttrValue::from("{date} and {weekday} become the day's")}>
                    <input id="tpl-title" placeholder="Evening review, {weekday}" value={(*title).clone()} oninput={bind(&title)} />
                </Field>
                <Field label="Area" id="tpl-area">
                    <select id="tpl-area" onchange={bind(&area)}>
                        <option value="" selected={area.is_empty()}>{ "Any" }</option>{ area_options(&area) }
                    </select>
                </Field>
                <Field label="Type" id="tpl-type"><select id="tpl-type" onchange={bind(&kind)}>{ options(EventType::ALL, |v| v.as_str(), &kind) }</select></Field>
                <Field label="Tone" id="tpl-tone"><select id="tpl-tone" onchange={bind(&tone)}>{ options(EventTone::ALL, |v| v.as_str(), &tone) }</select></Field>
                <Field label="Tags (comma separated)" id="tpl-tags"><input id="tpl-tags" value={(*tags).clone()} oninput={bind(&tags)} /></Field>
            </div>
            <Field label="Body: what the entry starts from" id="tpl-body">
                <textarea id="tpl-body" rows="4" value={(*body).clone()} oninput={bind(&body)} />
            </Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end">
                if editing { <button class="ghost" type="button" onclick={cancel}>{ "Cancel" }</button> }
                <button class="primary" type="submit" id="tpl-save" disabled={name.trim().is_empty() || title.trim().is_empty()}>{ "Save template" }</button>
            </div>
        </form>
    }
}
