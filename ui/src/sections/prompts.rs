//! Settings > Prompts: write prompts of your own, edit their words, and bring back the ones hidden
//! from the Today page. The core keeps the library and chooses; this lists and sends.

use wisdom_model::commands::{AddPrompt, Command, EditPrompt, ListPrompts, SetPromptHidden};
use wisdom_model::{NewPrompt, PromptScope, ReflectionPrompt};
use yew::prelude::*;

use crate::components::Field;
use crate::dom::bind;
use crate::format::{area_name, area_options};
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

#[function_component]
pub fn PromptsSection() -> Html {
    let prompts = use_load(ListPrompts {});
    let mine: Vec<ReflectionPrompt> = match &*prompts {
        Load::Ready(all) => all.iter().filter(|p| p.own || p.edited || p.hidden).cloned().collect(),
        Load::Failed(m) => return html! { <p class="error-box" role="alert">{ m }</p> },
        Load::Loading => return html! { <div class="loading" aria-busy="true">{ "Loading prompts…" }</div> },
    };
    html! {
        <div class="stack" id="prompts-section">
            <NewPromptForm />
            if mine.is_empty() {
                <p class="empty">{ "No prompts of your own yet, and none hidden." }</p>
            } else {
                <ul class="plain prompt-list">{ for mine.into_iter().map(|p| {
                    let key = p.id.clone();
                    html! { <PromptRow {key} prompt={p} /> }
                }) }</ul>
            }
            <p class="muted">{ format!("{} prompts in all.", match &*prompts { Load::Ready(a) => a.len(), _ => 0 }) }</p>
        </div>
    }
}

#[function_component]
fn NewPromptForm() -> Html {
    let store = use_store();
    let text = use_state(String::new);
    let about = use_state(|| "daily".to_string());
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, text, about, error) = (store.clone(), text.clone(), about.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (area, weekly) = match about.as_str() {
                "daily" => (None, false),
                "weekly" => (None, true),
                slug => (Some(slug.to_string()), false),
            };
            let (s, t, err, err2) = (store.clone(), text.clone(), error.clone(), error.clone());
            write(
                &store,
                AddPrompt { prompt: NewPrompt { text: (*text).clone(), area, weekly } },
                move |_| {
                    t.set(String::new());
                    err.set(None);
                    s.dispatch(Action::Notify("Your prompt joins the ones Today chooses from.".into()));
                },
                move |e| err2.set(Some(e.message)),
            );
        })
    };
    html! {
        <form class="stack" onsubmit={submit} aria-label="Add a prompt">
            <Field label="A prompt of your own" id="prompt-new" error={(*error).clone()}>
                <input id="prompt-new" placeholder="What did I learn from someone today?" value={(*text).clone()} oninput={bind(&text)} />
            </Field>
            <div class="row">
                <Field label="Asked" id="prompt-about">
                    <select id="prompt-about" onchange={bind(&about)}>
                        <option value="daily" selected={*about == "daily"}>{ "On any day" }</option>
                        <option value="weekly" selected={*about == "weekly"}>{ "At the end of a week" }</option>
                        { area_options(&about) }
                    </select>
                </Field>
                <button class="ghost" type="submit" id="prompt-add" disabled={text.trim().is_empty()}>{ "Add prompt" }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    prompt: ReflectionPrompt,
}

/// One prompt: its words (editable), when it is asked, and hide / show again.
#[function_component]
fn PromptRow(p: &RowProps) -> Html {
    let store = use_store();
    let editing = use_state(|| None::<String>);
    let prompt = &p.prompt;
    let when = match (prompt.scope, &prompt.area) {
        (PromptScope::Area, Some(a)) => area_name(a),
        (PromptScope::Weekly, _) => "End of a week".into(),
        _ => "Any day".into(),
    };
    let note = [(prompt.own, "yours"), (prompt.edited, "edited"), (prompt.hidden, "hidden")]
        .into_iter()
        .filter_map(|(on, w)| on.then_some(w))
        .collect::<Vec<_>>()
        .join(" · ");
    let toggle = send(&store, SetPromptHidden { id: prompt.id.clone(), hidden: !prompt.hidden }, None);
    let start = {
        let (editing, text) = (editing.clone(), prompt.text.clone());
        Callback::from(move |_: MouseEvent| editing.set(Some(text.clone())))
    };
    let body = match &*editing {
        Some(text) => {
            let save = send(&store, EditPrompt { id: prompt.id.clone(), text: text.clone() }, Some(editing.clone()));
            let edit = {
                let editing = editing.clone();
                Callback::from(move |e: InputEvent| editing.set(Some(crate::dom::input_value(&e))))
            };
            html! { <div class="row"><input class="grow" aria-label="The prompt's words" value={text.clone()} oninput={edit} />
            <button class="primary small" onclick={save}>{ "Save" }</button></div> }
        }
        None => html! { <span class={classes!(prompt.hidden.then_some("muted"))}>{ &prompt.text }</span> },
    };
    html! {
        <li class="prompt-row" data-prompt-id={prompt.id.clone()}>
            { body }
            <small class="muted">{ format!("{when} · {note}") }</small>
            <div class="row">
                if editing.is_none() { <button class="ghost small" onclick={start}>{ "Edit" }</button> }
                <button class="ghost small" onclick={toggle}>{ if prompt.hidden { "Show again" } else { "Hide" } }</button>
            </div>
        </li>
    }
}

/// A button's click: run the command, then close the editor if there is one.
fn send<C: Command<Reply = ReflectionPrompt> + Clone + 'static>(
    store: &StoreHandle,
    args: C,
    editing: Option<UseStateHandle<Option<String>>>,
) -> Callback<MouseEvent> {
    let store = store.clone();
    Callback::from(move |_: MouseEvent| {
        let (editing, s) = (editing.clone(), store.clone());
        write(
            &store,
            args.clone(),
            move |_| {
                if let Some(e) = editing {
                    e.set(None);
                }
            },
            move |e| s.dispatch(Action::Fail(e.message)),
        );
    })
}
