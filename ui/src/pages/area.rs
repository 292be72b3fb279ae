//! One life area: its score and why, its events, commitments and boundaries.

use wisdom_model::commands::{
    CreateBoundary, GetLifeArea, GetScoreBreakdown, ListBoundaries, ListCommitments, ListEvents, LogViolation,
    Snapshots,
};
use wisdom_model::{
    Boundary, BoundaryFilter, CommitmentFilter, EventFilter, MetricSnapshot, NewBoundary, NewViolation, ScoreBreakdown,
    SnapshotPeriod,
};
use yew::prelude::*;

use crate::components::{Dialog, EventCard, Field, Gauge, StatusBadge};
use crate::dom::bind;
use crate::format::{day, status_label, title_case};
use crate::sections::commitment::{CommitmentCard, CommitmentForm};
use crate::sections::event_form::EventForm;
use crate::store::{use_load, use_store, write, Action, Load, Page};

#[derive(Properties, PartialEq)]
pub struct AreaProps {
    pub slug: String,
}

#[function_component]
pub fn AreaPage(p: &AreaProps) -> Html {
    let store = use_store();
    let area_slug = Some(p.slug.clone());
    let area = use_load(GetLifeArea { area: p.slug.clone() });
    let breakdown = use_load(GetScoreBreakdown { area: p.slug.clone() });
    let events =
        use_load(ListEvents { filter: EventFilter { area: area_slug.clone(), limit: Some(30), ..Default::default() } });
    let commitments =
        use_load(ListCommitments { filter: CommitmentFilter { area: area_slug.clone(), ..Default::default() } });
    let boundaries = use_load(ListBoundaries { filter: BoundaryFilter { area: area_slug, ..Default::default() } });
    let today = chrono::Local::now().date_naive();
    let trend = use_load(Snapshots {
        area: p.slug.clone(),
        period: SnapshotPeriod::Daily,
        from: today - chrono::Duration::days(90),
        to: today,
    });
    let adding = use_state(|| false);
    let Some(a) = area.ready() else {
        return match &*area {
            Load::Failed(m) => html! { <p class="error-box" role="alert">{ m }</p> },
            _ => html! { <div class="loading">{ "Loading…" }</div> },
        };
    };
    let back = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::Navigate(Page::Dashboard)))
    };
    let open_add = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(true))
    };
    let close_add = {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(false))
    };
    html! {
        <div class="page area" id="page-area" data-area={p.slug.clone()}>
            <button class="link back" onclick={back}>{ "← Dashboard" }</button>
            <header class="area-hero card">
                <Gauge score={a.current_score} status={a.status} size={120} label={format!("{} ", a.name)} />
                <div class="hero-text">
                    <p class="eyebrow">{ a.cluster.label() }</p>
                    <h1>{ &a.name }</h1>
                    <p class="muted">{ a.description.clone().unwrap_or_default() }</p>
                    <p><StatusBadge status={a.status} /><span class="hero-score" id="area-score">{ format!(" {:.1} / 100", a.current_score) }</span></p>
                </div>
                <button class="primary" onclick={open_add}>{ "+ Event in this area" }</button>
            </header>
            <section class="card">
                <h2>{ "Trend, last 90 days" }</h2>
                <TrendChart points={trend.ready().cloned().unwrap_or_default()} current={a.current_score} />
            </section>
            <div class="area-grid-2">
                <section class="card">
                    <h2>{ "Why this score" }</h2>
                    if let Some(b) = breakdown.ready() { <Breakdown b={b.clone()} /> }
                </section>
                <section class="card">
                    <h2>{ "Boundaries" }</h2>
                    <Boundaries slug={p.slug.clone()} list={boundaries.ready().cloned().unwrap_or_default()} />
                </section>
            </div>
            <div class="area-grid-2">
                <section>
                    <h2 class="section-title">{ "Recent events" }</h2>
                    { match events.ready() {
                        Some(l) if l.is_empty() => html! { <p class="empty card">{ "No events in this area yet." }</p> },
                        Some(l) => html! { <>{ for l.iter().map(|e| html! { <EventCard key={e.id.clone()} event={e.clone()} /> }) }</> },
                        None => html! {},
                    } }
                </section>
                <section class="stack">
                    <h2 class="section-title">{ "Commitments" }</h2>
                    { for commitments.ready().cloned().unwrap_or_default().into_iter().map(|c| { let key = c.id.clone(); html! { <CommitmentCard key={key} commitment={c} /> } }) }
                    <div class="card"><h3>{ "New commitment" }</h3><CommitmentForm area={p.slug.clone()} /></div>
                </section>
            </div>
            if *adding {
                <Dialog title={format!("New event · {}", a.name)} on_close={close_add.clone()}>
                    <EventForm area={p.slug.clone()} on_done={Some(close_add)} />
                </Dialog>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BreakdownProps {
    b: ScoreBreakdown,
}

#[function_component]
fn Breakdown(p: &BreakdownProps) -> Html {
    let b = &p.b;
    let rows = [
        ("Starting point", 50.0, "Every area starts balanced."),
        (
            "Momentum of recent events",
            b.momentum,
            "Positive and negative events of the last weeks, recent ones weigh more.",
        ),
        ("Commitments kept", b.commitments, "The share of this area's commitments you are keeping."),
        ("Boundary violations", b.boundaries, "Each recent violation costs 10, at most 30."),
        ("Upsets", b.upsets, "Each recent upset costs 5, at most 20."),
        ("Breakthroughs", b.breakthroughs, "Each recent breakthrough adds 15, at most 30."),
    ];
    html! {
        <table class="breakdown">
            <tbody>
                { for rows.iter().map(|(label, v, why)| html! {
                    <tr title={*why}>
                        <th scope="row">{ *label }</th>
                        <td class="bar-cell"><span class={classes!("mini-bar", if *v < 0.0 { "neg" } else { "pos" })}
                            style={format!("width:{}%", (v.abs() / 50.0 * 100.0).min(100.0))}></span></td>
                        <td class="num">{ if *label == "Starting point" { format!("{v:.0}") } else { format!("{v:+.1}") } }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot><tr><th scope="row">{ "Score" }</th><td></td><td class="num"><strong>{ format!("{:.1}", b.score) }</strong>{ format!(" · {}", status_label(b.status)) }</td></tr></tfoot>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct BoundariesProps {
    slug: String,
    list: Vec<Boundary>,
}

#[function_component]
fn Boundaries(p: &BoundariesProps) -> Html {
    let store = use_store();
    let statement = use_state(String::new);
    let reason = use_state(String::new);
    let error = use_state(|| None::<String>);
    let log = {
        let store = store.clone();
        Callback::from(move |id: String| {
            let s = store.clone();
            let f = store.clone();
            write(
                &store,
                LogViolation { boundary: id, violation: NewViolation::default() },
                move |_| {
                    s.dispatch(Action::Notify(
                        "Violation logged. Be kind to yourself, and notice what led to it.".into(),
                    ))
                },
                move |e| f.dispatch(Action::Fail(e.message)),
            );
        })
    };
    let submit = {
        let (store, statement, reason, error, slug) =
            (store.clone(), statement.clone(), reason.clone(), error.clone(), p.slug.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if statement.trim().is_empty() || reason.trim().is_empty() {
                return error.set(Some("Write the boundary and why it matters.".into()));
            }
            let args = CreateBoundary {
                boundary: NewBoundary {
                    life_area: slug.clone(),
                    statement: statement.trim().to_string(),
                    reason: reason.trim().to_string(),
                    consequence: None,
                    status: None,
                },
            };
            let (st, re, err, err2) = (statement.clone(), reason.clone(), error.clone(), error.clone());
            write(
                &store,
                args,
                move |_| {
                    st.set(String::new());
                    re.set(String::new());
                    err.set(None);
                },
                move |e| err2.set(Some(e.message)),
            );
        })
    };
    html! {
        <div class="stack">
            if p.list.is_empty() { <p class="empty">{ "No boundaries here yet." }</p> }
            <ul class="plain boundaries">
                { for p.list.iter().map(|b| {
                    let (log, id) = (log.clone(), b.id.clone());
                    html! { <li>
                        <div><strong>{ &b.statement }</strong>
                            <small class="muted">{ format!("{} · {} violation{}{}", title_case(b.status.as_str()), b.violation_count,
                                if b.violation_count == 1 { "" } else { "s" },
                                b.last_violated_at.map(|d| format!(", last {}", day(&d))).unwrap_or_default()) }</small></div>
                        <button class="ghost small" aria-label={format!("Log a violation of {}", b.statement)}
                                onclick={Callback::from(move |_: MouseEvent| log.emit(id.clone()))}>{ "Log violation" }</button>
                    </li> }
                }) }
            </ul>
            <form class="stack compact" onsubmit={submit} aria-label="New boundary" novalidate=true>
                <Field label="New boundary" id="nb-statement"><input id="nb-statement" value={(*statement).clone()} oninput={bind(&statement)} placeholder="I don't answer work mail after 7pm" /></Field>
                <Field label="Why it matters" id="nb-reason"><input id="nb-reason" value={(*reason).clone()} oninput={bind(&reason)} /></Field>
                if let Some(m) = &*error { <p class="field-error" role="alert">{ m }</p> }
                <div class="row end"><button type="submit" class="ghost">{ "Add boundary" }</button></div>
            </form>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TrendProps {
    points: Vec<MetricSnapshot>,
    current: f64,
}

/// The area's daily snapshots as a line over the status bands, ending at today's live score.
#[function_component]
fn TrendChart(p: &TrendProps) -> Html {
    let (w, h, left, bottom) = (720.0, 180.0, 34.0, 22.0);
    let plot_h = h - bottom - 6.0;
    let y = |score: f64| 6.0 + plot_h * (1.0 - score.clamp(0.0, 100.0) / 100.0);
    let mut values: Vec<(String, f64)> =
        p.points.iter().map(|s| (s.date.format("%b %-d").to_string(), s.score)).collect();
    values.push(("Today".into(), p.current));
    let n = values.len();
    let x = |i: usize| if n <= 1 { w - 10.0 } else { left + (w - left - 10.0) * i as f64 / (n - 1) as f64 };
    let line: Vec<String> = values.iter().enumerate().map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v))).collect();
    let bands = [
        (90.0, 100.0, "st-flourishing"),
        (70.0, 90.0, "st-thriving"),
        (40.0, 70.0, "st-balanced"),
        (20.0, 40.0, "st-struggling"),
        (0.0, 20.0, "st-crisis"),
    ];
    let ticks: Vec<usize> = if n <= 1 { vec![0] } else { vec![0, n / 2, n - 1] };
    html! {
        <svg class="trend" viewBox={format!("0 0 {w} {h}")} role="img"
             aria-label={format!("Score trend over {} daily snapshots, now {:.0}", n - 1, p.current)}>
            { for bands.iter().map(|(lo, hi, class)| html! {
                <rect class={classes!("trend-band", *class)} x={left.to_string()} y={format!("{:.1}", y(*hi))}
                      width={format!("{:.1}", w - left - 10.0)} height={format!("{:.1}", y(*lo) - y(*hi))} />
            }) }
            { for [0.0, 20.0, 40.0, 70.0, 90.0, 100.0].iter().map(|v| html! {
                <text class="trend-axis" x={(left - 6.0).to_string()} y={format!("{:.1}", y(*v) + 3.0)} text-anchor="end">{ format!("{v:.0}") }</text>
            }) }
            { for ticks.iter().map(|i| html! {
                <text class="trend-axis" x={format!("{:.1}", x(*i))} y={(h - 4.0).to_string()}
                      text-anchor={if *i == 0 { "start" } else if *i == n - 1 { "end" } else { "middle" }}>{ values[*i].0.clone() }</text>
            }) }
            if n > 1 { <polyline class="trend-line" points={line.join(" ")} /> }
            <circle class="trend-now" cx={format!("{:.1}", x(n - 1))} cy={format!("{:.1}", y(p.current))} r="4" />
        </svg>
    }
}
