//! Insights: what the journal has taught you. Apply one and turn it into a commitment, or dismiss it.

use wisdom_model::commands::{
    ApplyInsight, CommitToInsight, CreateInsight, DetectPatterns, DismissInsight, ListInsights,
};
use wisdom_model::{DetectReport, Insight, InsightFilter, InsightType, NewCommitment, NewInsight, PatternEngine};
use yew::prelude::*;

use crate::components::{Dialog, Field};
use crate::dom::bind;
use crate::format::{area_options, day, title_case};
use crate::sections::meaning::{use_meaning, ReadingProgress};
use crate::store::{use_load, use_store, write, Action, Load};

#[function_component]
pub fn InsightsPage() -> Html {
    let store = use_store();
    let show_dismissed = use_state(|| false);
    // Recurring situations are found among the entries the language model has read.
    let meaning = use_meaning();
    let insights =
        use_load(ListInsights { filter: InsightFilter { include_dismissed: *show_dismissed, ..Default::default() } });
    let applying = use_state(|| None::<Insight>);
    let on_apply = {
        let applying = applying.clone();
        Callback::from(move |i: Insight| applying.set(Some(i)))
    };
    let find_patterns = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let (s, f) = (store.clone(), store.clone());
            write(
                &store,
                DetectPatterns {},
                move |r| s.dispatch(Action::Notify(detect_summary(&r))),
                move |e| f.dispatch(Action::Fail(e.message)),
            );
        })
    };
    let on_dismiss = {
        let store = store.clone();
        Callback::from(move |i: Insight| {
            let (s1, s2) = (store.clone(), store.clone());
            write(
                &store,
                DismissInsight { id: i.id },
                move |_| s1.dispatch(Action::Notify("Insight dismissed.".into())),
                move |e| s2.dispatch(Action::Fail(e.message)),
            );
        })
    };
    let toggle = {
        let s = show_dismissed.clone();
        Callback::from(move |_: Event| s.set(!*s))
    };
    let close = {
        let a = applying.clone();
        Callback::from(move |_| a.set(None))
    };
    html! {
        <div class="page insights" id="page-insights">
            <header class="page-head">
                <div><h1>{ "Insights" }</h1><p class="muted">{ "Truths, strengths and patterns you have noticed. Apply one to turn it into a commitment." }</p>
                    <ReadingProgress activity={meaning} /></div>
                <div class="row">
                <button class="ghost" id="find-patterns" onclick={find_patterns}>{ "Find patterns" }</button>
                <label class="check"><input type="checkbox" id="show-dismissed" checked={*show_dismissed} onchange={toggle} />{ "Show dismissed" }</label>
                </div>
            </header>
            <div class="two-col">
                <section class="insight-grid" aria-label="Insights">
                    { match &*insights {
                        Load::Ready(list) if list.is_empty() => html! { <p class="empty card">{ "No insights yet. Record one on the right when something clicks." }</p> },
                        Load::Ready(list) => html! { <>{ for list.iter().map(|i| html! {
                            <InsightCard key={i.id.clone()} insight={i.clone()} on_apply={on_apply.clone()} on_dismiss={on_dismiss.clone()} />
                        }) }</> },
                        Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                        Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                    } }
                </section>
                <aside class="card sticky"><h2>{ "Record an insight" }</h2><InsightForm /></aside>
            </div>
            if let Some(i) = &*applying {
                <Dialog title="Turn this insight into a commitment" on_close={close.clone()}>
                    <CommitFromInsight insight={i.clone()} on_done={close} />
                </Dialog>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    insight: Insight,
    on_apply: Callback<Insight>,
    on_dismiss: Callback<Insight>,
}

#[function_component]
fn InsightCard(p: &CardProps) -> Html {
    let i = &p.insight;
    let apply = {
        let (cb, i) = (p.on_apply.clone(), i.clone());
        Callback::from(move |_: MouseEvent| cb.emit(i.clone()))
    };
    let dismiss = {
        let (cb, i) = (p.on_dismiss.clone(), i.clone());
        Callback::from(move |_: MouseEvent| cb.emit(i.clone()))
    };
    let state = if i.dismissed_at.is_some() {
        "dismissed"
    } else if i.applied {
        "applied"
    } else {
        "open"
    };
    html! {
        <article class={classes!("card", "insight-card", state)} data-insight-id={i.id.clone()}>
            <header>
                <span class="chip">{ title_case(i.kind.as_str()) }</span>
                if i.is_recurring { <span class="chip warm">{ format!("Recurring ×{}", i.frequency) }</span> }
                if i.applied { <span class="chip ok">{ "Applied" }</span> }
            </header>
            <h3>{ &i.title }</h3>
            <p>{ &i.description }</p>
            <footer>
                <small class="muted">{ day(&i.created_at) }
                    { if i.related_events.is_empty() { String::new() } else { format!(" · {} related events", i.related_events.len()) } }</small>
                if state == "open" {
                    <div class="row">
                        <button class="ghost small" onclick={dismiss} aria-label={format!("Dismiss insight {}", i.title)}>{ "Dismiss" }</button>
                        <button class="primary small apply-btn" onclick={apply} aria-label={format!("Apply insight {}", i.title)}>{ "Apply" }</button>
                    </div>
                }
            </footer>
        </article>
    }
}

#[function_component]
fn InsightForm() -> Html {
    let store = use_store();
    let kind = use_state(|| "TRUTH_REVEALED".to_string());
    let title = use_state(String::new);
    let description = use_state(String::new);
    let error = use_state(|| None::<(String, String)>);
    let submit = {
        let (store, kind, title, description, error) =
            (store.clone(), kind.clone(), title.clone(), description.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if title.trim().is_empty() {
                return error.set(Some(("title".into(), "Give the insight a title.".into())));
            }
            if description.trim().is_empty() {
                return error.set(Some(("description".into(), "Say what you realised, in a sentence or two.".into())));
            }
            let Ok(kind) = kind.parse::<InsightType>() else { return };
            let args = CreateInsight {
                insight: NewInsight {
                    event_id: None,
                    kind,
                    title: title.trim().to_string(),
                    description: description.trim().to_string(),
                    is_recurring: false,
                    frequency: 1,
                    related_events: Vec::new(),
                },
            };
            let (s, t, d, err) = (store.clone(), title.clone(), description.clone(), error.clone());
            let err2 = error.clone();
            write(
                &store,
                args,
                move |_| {
                    t.set(String::new());
                    d.set(String::new());
                    err.set(None);
                    s.dispatch(Action::Notify("Insight recorded.".into()));
                },
                move |e| err2.set(Some((e.field.unwrap_or_default(), e.message))),
            );
        })
    };
    let err = |f: &str| error.as_ref().filter(|(x, _)| x == f).map(|(_, m)| m.clone());
    html! {
        <form class="stack" id="insight-form" onsubmit={submit} aria-label="New insight" novalidate=true>
            <Field label="Kind" id="in-type">
                <select id="in-type" onchange={bind(&kind)}>
                    { for InsightType::ALL.iter().map(|t| html! { <option value={t.as_str()} selected={t.as_str() == *kind}>{ title_case(t.as_str()) }</option> }) }
                </select>
            </Field>
            <Field label="Title" id="in-title" error={err("title")}>
                <input id="in-title" value={(*title).clone()} oninput={bind(&title)} maxlength="200" />
            </Field>
            <Field label="What you realised" id="in-desc" error={err("description")}>
                <textarea id="in-desc" rows="4" value={(*description).clone()} oninput={bind(&description)} />
            </Field>
            <div class="row end"><button type="submit" class="primary" id="in-submit">{ "Save insight" }</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CommitProps {
    insight: Insight,
    on_done: Callback<()>,
}

/// The apply → commitment flow: a commitment that remembers the insight it came from.
#[function_component]
fn CommitFromInsight(p: &CommitProps) -> Html {
    let store = use_store();
    let statement = use_state(|| format!("Live by this: {}", p.insight.title));
    let intention = use_state(String::new);
    let measurable = use_state(String::new);
    let area = use_state(|| "personal-growth".to_string());
    let review = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = {
        let (store, statement, intention, measurable, area, review, error) = (
            store.clone(),
            statement.clone(),
            intention.clone(),
            measurable.clone(),
            area.clone(),
            review.clone(),
            error.clone(),
        );
        let (insight_id, done) = (p.insight.id.clone(), p.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if statement.trim().is_empty() || intention.trim().is_empty() {
                return error.set(Some("Write both what you commit to and why.".into()));
            }
            let review_at = crate::dom::local_input_to_utc(&format!("{}T09:00", *review));
            let args = CommitToInsight {
                insight: insight_id.clone(),
                commitment: NewCommitment::from_form(&area, &statement, &intention, &measurable, review_at),
            };
            let (s, done, err) = (store.clone(), done.clone(), error.clone());
            write(
                &store,
                args,
                move |_| {
                    s.dispatch(Action::Notify("Commitment created. You will find it under Commitments.".into()));
                    done.emit(());
                },
                move |e| err.set(Some(e.message)),
            );
        })
    };
    let apply_only = {
        let (store, id, done) = (store.clone(), p.insight.id.clone(), p.on_done.clone());
        Callback::from(move |_: MouseEvent| {
            let (s, f, done) = (store.clone(), store.clone(), done.clone());
            write(
                &store,
                ApplyInsight { id: id.clone() },
                move |_| {
                    s.dispatch(Action::Notify("Insight applied.".into()));
                    done.emit(());
                },
                move |e| f.dispatch(Action::Fail(e.message)),
            );
        })
    };
    html! {
        <form class="stack" id="commit-form" onsubmit={submit} novalidate=true>
            <p class="quote">{ &p.insight.description }</p>
            <Field label="I commit to" id="cm-statement">
                <input id="cm-statement" value={(*statement).clone()} oninput={bind(&statement)} />
            </Field>
            <Field label="Because" id="cm-intention">
                <input id="cm-intention" value={(*intention).clone()} oninput={bind(&intention)} placeholder="Why this matters to you" />
            </Field>
            <div class="grid2">
                <Field label="Life area" id="cm-area"><select id="cm-area" onchange={bind(&area)}>{ area_options(&area) }</select></Field>
                <Field label="Review on" id="cm-review"><input id="cm-review" type="date" value={(*review).clone()} oninput={bind(&review)} /></Field>
            </div>
            <Field label="How you will know (optional)" id="cm-measure">
                <input id="cm-measure" value={(*measurable).clone()} oninput={bind(&measurable)} />
            </Field>
            if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
            <div class="row end">
                <button type="button" class="ghost" id="cm-apply-only" onclick={apply_only}>{ "Apply without a commitment" }</button>
                <button type="submit" class="primary" id="cm-submit">{ "Create commitment" }</button>
            </div>
        </form>
    }
}

/// One line on what a detection run did, and why recurring situations waited if they did.
fn detect_summary(r: &DetectReport) -> String {
    let mut line = match (r.created, r.updated) {
        (0, 0) => format!("No new patterns in {} recent events.", r.events_considered),
        (c, u) => format!("Found {c} new and {u} updated patterns in {} recent events.", r.events_considered),
    };
    if r.retired > 0 {
        line.push_str(&format!(" {} no longer found.", r.retired));
    }
    if r.engine == PatternEngine::Reading {
        line.push_str(" Recurring situations wait until the language model has read your entries.");
    }
    line
}
