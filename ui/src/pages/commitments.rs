//! Commitments: what you promised yourself, their status and when to review them.

use chrono::Utc;
use serde_json::json;
use wisdom_model::{Commitment, CommitmentStatus};
use yew::prelude::*;

use crate::components::{area_name, area_options, bind, day, input_value, local_input_to_utc, title_case, Field};
use crate::store::{use_load, use_store, write, Action, Load, StoreHandle};

fn fail(store: &StoreHandle) -> impl FnOnce(crate::api::ApiError) + 'static {
    let s = store.clone();
    move |e| s.dispatch(Action::Fail(e.message))
}

#[function_component]
pub fn CommitmentsPage() -> Html {
    let status = use_state(|| "ACTIVE".to_string());
    let list = use_load::<Vec<Commitment>>(
        "list_commitments",
        json!({ "filter": { "status": (!status.is_empty()).then(|| (*status).clone()) } }),
    );
    let tabs = [
        ("ACTIVE", "Active"),
        ("PAUSED", "Paused"),
        ("COMPLETED", "Completed"),
        ("INTEGRATED", "Integrated"),
        ("ABANDONED", "Abandoned"),
        ("", "All"),
    ];
    html! {
        <div class="page commitments" id="page-commitments">
            <header class="page-head">
                <div><h1>{ "Commitments" }</h1><p class="muted">{ "What you have promised yourself, and when you will look again." }</p></div>
            </header>
            <div class="tabs" role="tablist" aria-label="Filter by status">
                { for tabs.iter().map(|(value, label)| {
                    let s = status.clone();
                    let v = value.to_string();
                    html! { <button role="tab" aria-selected={(*status == *value).to_string()}
                        class={classes!("tab", (*status == *value).then_some("active"))}
                        onclick={Callback::from(move |_: MouseEvent| s.set(v.clone()))}>{ *label }</button> }
                }) }
            </div>
            <div class="two-col">
                <section aria-label="Commitments" class="stack">
                    { match &*list {
                        Load::Ready(l) if l.is_empty() => html! { <p class="empty card">{ "Nothing here yet." }</p> },
                        Load::Ready(l) => html! { <>{ for l.iter().map(|c| html! { <CommitmentCard key={c.id.clone()} commitment={c.clone()} /> }) }</> },
                        Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                        Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                    } }
                </section>
                <aside class="card sticky"><h2>{ "New commitment" }</h2><CommitmentForm /></aside>
            </div>
        </div>
    }
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
            let status = input_value(&e);
            let s = store.clone();
            write(
                &store,
                "set_commitment_status",
                json!({ "id": id, "status": status }),
                move |c: Commitment| {
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
            write(
                &store,
                "update_commitment",
                json!({ "id": id, "patch": { "nextReviewAt": at } }),
                |_: Commitment| {},
                fail(&store),
            );
        })
    };
    let reviewed = {
        let (store, id) = (store.clone(), c.id.clone());
        Callback::from(move |_: MouseEvent| {
            let s = store.clone();
            write(
                &store,
                "update_commitment",
                json!({ "id": id, "patch": { "reviewed": true } }),
                move |_: Commitment| s.dispatch(Action::Notify("Reviewed. Well done for looking.".into())),
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
            let args = json!({ "commitment": { "lifeArea": *area, "statement": statement.trim(), "intention": intention.trim(),
                "nextReviewAt": local_input_to_utc(&format!("{}T09:00", *review)) } });
            let (s, st, it, err) = (store.clone(), statement.clone(), intention.clone(), error.clone());
            let err2 = error.clone();
            write(
                &store,
                "create_commitment",
                args,
                move |_: Commitment| {
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
