//! A commitment's card (status, review date, "reviewed") and the form that makes one: shown on the
//! Commitments page and on a life area's page.

use chrono::Utc;
use wisdom_model::commands::{CreateCommitment, SetCommitmentStatus, UpdateCommitment};
use wisdom_model::{Commitment, CommitmentPatch, CommitmentStatus, NewCommitment};
use yew::prelude::*;

use crate::components::Field;
use crate::dom::{bind, input_value, local_input_to_utc};
use crate::format::{area_name, area_options, day, title_case};
use crate::store::{use_store, write, Action, StoreHandle};

fn fail(store: &StoreHandle) -> impl FnOnce(crate::api::ShellError) + 'static {
    let s = store.clone();
    move |e| s.dispatch(Action::Fail(e.message))
}

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub commitment: Commitment,
}

#[function_component]
pub fn CommitmentCard(p: &CardProps) -> Html {
    let store = use_store();
    let c = &p.commitment;
    let set_status = {
        let (store, id) = (store.clone(), c.id.clone());
        Callback::from(move |e: Event| {
            let Ok(status) = input_value(&e).parse::<CommitmentStatus>() else { return };
            let s = store.clone();
            write(
                &store,
                SetCommitmentStatus { id: id.clone(), status },
                move |c| {
                    s.dispatch(Action::Notify(format!("Marked {}.", title_case(c.status.as_str()).to_lowercase())))
                },
                fail(&store),
            );
        })
    };
    let set_review = {
        let (store, id) = (store.clone(), c.id.clone());
        Callback::from(move |e: Event| {
            let at = local_input_to_utc(&format!("{}T09:00", input_value(&e)));
            let patch = CommitmentPatch { next_review_at: Some(at), ..Default::default() };
            write(&store, UpdateCommitment { id: id.clone(), patch }, |_| {}, fail(&store));
        })
    };
    let reviewed = {
        let (store, id) = (store.clone(), c.id.clone());
        Callback::from(move |_: MouseEvent| {
            let s = store.clone();
            let patch = CommitmentPatch { reviewed: true, ..Default::default() };
            write(
                &store,
                UpdateCommitment { id: id.clone(), patch },
                move |_| s.dispatch(Action::Notify("Reviewed. Well done for looking.".into())),
                fail(&store),
            );
        })
    };
    let overdue = c.next_review_at.map(|r| r < Utc::now()).unwrap_or(false);
    let sel_id = format!("cs-{}", c.id);
    let rev_id = format!("cr-{}", c.id);
    html! {
        <article class={classes!("card", "commitment-card", format!("cs-{}", c.status.as_str().to_lowercase()))} data-commitment-id={c.id.clone()}>
            <div class="commitment-main">
                <h3>{ &c.statement }</h3>
                <p>{ &c.intention }</p>
                <p class="meta">
                    if let Some(a) = &c.life_area_id { <span class="chip">{ area_name(a) }</span> }
                    if c.insight_id.is_some() { <span class="chip warm">{ "From an insight" }</span> }
                    if let Some(m) = &c.measurable { <span>{ format!("Measure: {m}") }</span> }
                    <span class="muted">{ format!("Since {}", day(&c.created_at)) }</span>
                    if let Some(r) = &c.reviewed_at { <span class="muted">{ format!("Last reviewed {}", day(r)) }</span> }
                </p>
            </div>
            <div class="commitment-side">
                <label for={sel_id.clone()}>{ "Status" }</label>
                <select id={sel_id} onchange={set_status}>
                    { for CommitmentStatus::ALL.iter().map(|s| html! { <option value={s.as_str()} selected={*s == c.status}>{ title_case(s.as_str()) }</option> }) }
                </select>
                <label for={rev_id.clone()}>{ if overdue { "Review (overdue)" } else { "Next review" } }</label>
                <input id={rev_id} type="date" class={classes!(overdue.then_some("overdue"))}
                       value={c.next_review_at.map(|r| r.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string()).unwrap_or_default()}
                       onchange={set_review} />
                <button class="ghost small" onclick={reviewed}>{ "Mark reviewed" }</button>
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormProps {
    #[prop_or_else(|| "personal-growth".to_string())]
    pub area: String,
}

#[function_component]
pub fn CommitmentForm(p: &FormProps) -> Html {
    let store = use_store();
    let statement = use_state(String::new);
    let intention = use_state(String::new);
    let area = use_state(|| p.area.clone());
    let review = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, statement, intention, area, review, error) =
            (store.clone(), statement.clone(), intention.clone(), area.clone(), review.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if statement.trim().is_empty() || intention.trim().is_empty() {
                return error.set(Some("Write both what you commit to and why.".into()));
            }
            let args = CreateCommitment {
                commitment: NewCommitment::from_form(
                    &area,
                    &statement,
                    &intention,
                    "",
                    local_input_to_utc(&format!("{}T09:00", *review)),
                ),
            };
            let (s, st, it, err) = (store.clone(), statement.clone(), intention.clone(), error.clone());
            let err2 = error.clone();
            write(
                &store,
                args,
                move |_| {
                    st.set(String::new());
                    it.set(String::new());
                    err.set(None);
                    s.dispatch(Action::Notify("Commitment added.".into()));
                },
                move |e| err2.set(Some(e.message)),
            );
        })
    };
    html! {
        <form class="stack" onsubmit={submit} aria-label="New commitment" novalidate=true>
            <Field label="I commit to" id="nc-statement"><input id="nc-statement" value={(*statement).clone()} oninput={bind(&statement)} /></Field>
            <Field label="Because" id="nc-intention"><input id="nc-intention" value={(*intention).clone()} oninput={bind(&intention)} /></Field>
            <Field label="Life area" id="nc-area"><select id="nc-area" onchange={bind(&area)}>{ area_options(&area) }</select></Field>
            <Field label="First review" id="nc-review"><input id="nc-review" type="date" value={(*review).clone()} oninput={bind(&review)} /></Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end"><button type="submit" class="primary">{ "Add commitment" }</button></div>
        </form>
    }
}
