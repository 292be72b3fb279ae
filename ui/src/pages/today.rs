//! The daily practice: Today (what was written today, the rhythm, reviews due, on this day) and
//! the year in pixels (one cell a day, by average charge or overall score; a day's entries on
//! click). The core computes all of it (`today_overview`, `calendar`); these pages lay it out.

use chrono::{Datelike, NaiveDate};
use wisdom_model::commands::{GetCalendar, ListEvents, SetPromptHidden, TodayOverview};
use wisdom_model::{Calendar, CalendarDay, EventFilter, OnThisDay, Rhythm};
use yew::prelude::*;

use crate::components::EventCard;
use crate::dom::local_input_to_utc;
use crate::format::tone_class;
use crate::store::{use_load, use_store, write, Action, Load};

#[function_component]
pub fn TodayPage() -> Html {
    let store = use_store();
    let today = use_load(TodayOverview {});
    let capture = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::Capture(true)))
    };
    let hide = {
        let (s, today) = (store.clone(), today.clone());
        Callback::from(move |_: MouseEvent| {
            let Load::Ready(t) = &*today else { return };
            let (s1, s2) = (s.clone(), s.clone());
            write(
                &s,
                SetPromptHidden { id: t.prompt.id.clone(), hidden: true },
                move |_| {
                    s1.dispatch(Action::Notify(
                        "That prompt will not come again. Settings > Prompts brings it back.".into(),
                    ))
                },
                move |e| s2.dispatch(Action::Fail(e.message)),
            );
        })
    };
    let t = match &*today {
        Load::Ready(t) => t,
        Load::Failed(m) => return html! { <p class="error-box" role="alert">{ m }</p> },
        Load::Loading => return html! { <div class="loading" aria-busy="true">{ "Loading today…" }</div> },
    };
    html! {
        <div class="page today" id="page-today">
            <header class="page-head">
                <div>
                    <h1>{ "Today" }</h1>
                    <p class="muted">{ t.date.format("%A %-d %B %Y").to_string() }</p>
                </div>
                <button class="primary" id="write-today" onclick={capture}>{ "Write about today" }</button>
            </header>
            <section class="today-grid">
                <div class="card prompt" id="prompt" data-prompt-id={t.prompt.id.clone()}>
                    <h2>{ "Something to write about" }</h2>
                    <p class="prompt-text">{ &t.prompt.text }</p>
                    if let Some(why) = &t.prompt.reason { <p class="muted">{ why }</p> }
                    <div class="row end"><button class="ghost small" id="hide-prompt" onclick={hide}>{ "Hide this prompt" }</button></div>
                </div>
                <div class="card rhythm" id="rhythm">{ rhythm_card(&t.rhythm) }</div>
                <div class="card">
                    <h2>{ "Written today" }</h2>
                    if t.entries.is_empty() {
                        <p class="empty">{ "Nothing yet. A line is enough." }</p>
                    } else {
                        { for t.entries.iter().map(|e| html! { <EventCard event={e.clone()} /> }) }
                    }
                </div>
                if !t.due_reviews.is_empty() {
                    <div class="card">
                        <h2>{ "Commitments to review" }</h2>
                        <ul class="plain">
                            { for t.due_reviews.iter().map(|r| html! {
                                <li>{ &r.statement }
                                    if r.overdue { <span class="pill warn">{ "overdue" }</span> }</li>
                            }) }
                        </ul>
                    </div>
                }
                if t.on_this_day_shown {
                    <div class="card" id="on-this-day">
                        <h2>{ "On this day" }</h2>
                        if t.on_this_day.is_empty() {
                            <p class="empty">{ "Nothing from this day in earlier months or years yet." }</p>
                        } else {
                            { for t.on_this_day.iter().map(on_this_day) }
                        }
                    </div>
                }
            </section>
        </div>
    }
}

/// The streak without reproach: a missed day simply starts a new one.
fn rhythm_card(r: &Rhythm) -> Html {
    let most = r.weekly_entries.iter().copied().max().unwrap_or(0).max(1);
    let line = match (r.current_streak, r.wrote_today) {
        (0, _) => "A new streak starts with the next entry.".to_string(),
        (n, true) => format!("{} in a row, today included.", days(n)),
        (n, false) => format!("{} in a row until yesterday.", days(n)),
    };
    html! {
        <>
            <h2>{ "Your rhythm" }</h2>
            <p class="big-number" id="streak" data-streak={r.current_streak.to_string()}>{ r.current_streak }</p>
            <p>{ line }</p>
            <p class="muted">{ format!("Longest: {} · {} written", r.longest_streak, days(r.days_written)) }</p>
            <div class="weeks" role="img" aria-label="Entries in each of the last 12 weeks">
                { for r.weekly_entries.iter().map(|n| html! {
                    <span class="week" style={format!("height:{}%", 8 + 92 * n / most)} title={format!("{n} entries")}></span>
                }) }
            </div>
        </>
    }
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn on_this_day(o: &OnThisDay) -> Html {
    let ago = match (o.years_ago, o.months_ago) {
        (0, 1) => "A month ago".to_string(),
        (0, m) => format!("{m} months ago"),
        (1, _) => "A year ago".to_string(),
        (y, _) => format!("{y} years ago"),
    };
    let more = o.more();
    html! {
        <div class="memory">
            <h3>{ ago }<small>{ o.date.format(" · %-d %b %Y").to_string() }</small></h3>
            <ul class="plain">
                { for o.events.iter().map(|e| html! {
                    <li><span class={classes!("charge", tone_class(e.emotional_charge))}>{ format!("{:+}", e.emotional_charge) }</span>
                        { &e.title }</li>
                }) }
            </ul>
            if more > 0 {
                <p class="muted more">{ format!("and {more} more that day, on the year in pixels") }</p>
            }
        </div>
    }
}

/// A cell's colour: charge -5..5 from red through grey to green, or the score's band.
fn cell_style(value: Option<f64>, by_score: bool) -> String {
    match value {
        None => String::new(),
        Some(v) if by_score => format!("background:hsl({:.0} 60% 50%)", (v.clamp(0.0, 100.0) * 1.3)),
        Some(v) => {
            let hue = if v < 0.0 { 0 } else { 140 };
            let sat = (v.abs() / 5.0 * 70.0).clamp(8.0, 70.0);
            format!("background:hsl({hue} {sat:.0}% 50%)")
        }
    }
}

#[function_component]
pub fn YearPage() -> Html {
    let year = use_state(|| chrono::Local::now().year());
    let by_score = use_state(|| false);
    let picked = use_state(|| None::<NaiveDate>);
    let cal = use_load(GetCalendar { year: *year });
    let step = |by: i32| {
        let (year, picked) = (year.clone(), picked.clone());
        Callback::from(move |_: MouseEvent| {
            year.set(*year + by);
            picked.set(None);
        })
    };
    let switch = |score: bool| {
        let by_score = by_score.clone();
        Callback::from(move |_: MouseEvent| by_score.set(score))
    };
    let grid = match &*cal {
        Load::Ready(c) => pixels(c, *by_score, &picked),
        Load::Failed(m) => html! { <p class="error-box" role="alert">{ m }</p> },
        Load::Loading => html! { <div class="loading" aria-busy="true">{ "Loading the year…" }</div> },
    };
    html! {
        <div class="page year" id="page-year">
            <header class="page-head">
                <div>
                    <h1>{ "Year in pixels" }</h1>
                    <p class="muted">{ "One square a day. Click a day to read it." }</p>
                </div>
                <div class="row">
                    <button class="ghost" id="year-prev" aria-label="Previous year" onclick={step(-1)}>{ "‹" }</button>
                    <strong id="year-shown">{ *year }</strong>
                    <button class="ghost" id="year-next" aria-label="Next year" onclick={step(1)}>{ "›" }</button>
                    <div class="segmented" role="group" aria-label="Colour by">
                        <button id="by-charge" class={classes!((!*by_score).then_some("on"))} onclick={switch(false)}>{ "Charge" }</button>
                        <button id="by-score" class={classes!(by_score.then_some("on"))} onclick={switch(true)}>{ "Score" }</button>
                    </div>
                </div>
            </header>
            <div class="card">{ grid }</div>
            if let Some(day) = *picked { <DayEntries day={day} /> }
        </div>
    }
}

fn pixels(cal: &Calendar, by_score: bool, picked: &UseStateHandle<Option<NaiveDate>>) -> Html {
    let months = (1..=12u32).filter_map(|m| NaiveDate::from_ymd_opt(cal.year, m, 1));
    let shown = **picked;
    // One listener for the whole year: a click names its day by the cell's `data-date`.
    let onclick = {
        let picked = picked.clone();
        Callback::from(move |e: MouseEvent| {
            let cell = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("[data-date]").ok().flatten());
            if let Some(date) = cell.and_then(|c| c.get_attribute("data-date")).and_then(|d| d.parse().ok()) {
                picked.set(Some(date));
            }
        })
    };
    let cell = |date: NaiveDate| {
        // The core lists the days in date order.
        let day: Option<&CalendarDay> = cal.days.binary_search_by_key(&date, |d| d.date).ok().map(|i| &cal.days[i]);
        let value = day.and_then(|x| if by_score { x.overall_score } else { x.average_charge });
        let entries = day.map_or(0, |x| x.entries);
        let label = match value {
            Some(v) => format!("{date}: {entries} entries, {} {v:.1}", if by_score { "score" } else { "charge" }),
            None => format!("{date}: nothing recorded"),
        };
        let on = shown == Some(date);
        html! { <td>
            <button class={classes!("pixel", value.is_some().then_some("filled"), on.then_some("picked"))}
                id={format!("px-{date}")} data-date={date.to_string()} style={cell_style(value, by_score)} title={label}>
            </button>
        </td> }
    };
    html! {
        <table class="pixels" aria-label={format!("{} in pixels", cal.year)} {onclick}>
            <tbody>
            { for months.map(|first| html! {
                <tr>
                    <th scope="row">{ first.format("%b").to_string() }</th>
                    { for (1..=31u32).map(|d| match first.with_day(d) {
                        Some(date) => cell(date),
                        None => html! { <td><span class="pixel none"></span></td> },
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct DayProps {
    day: NaiveDate,
}

/// The entries of one local day.
#[function_component]
fn DayEntries(p: &DayProps) -> Html {
    let from = local_input_to_utc(&format!("{}T00:00", p.day));
    let to = p.day.succ_opt().and_then(|d| local_input_to_utc(&format!("{d}T00:00")));
    let events = use_load(ListEvents { filter: EventFilter { from, to, ..Default::default() } });
    html! {
        <div class="card" id="day-entries">
            <h2>{ p.day.format("%A %-d %B %Y").to_string() }</h2>
            { match &*events {
                Load::Ready(list) if list.is_empty() => html! { <p class="empty">{ "Nothing written that day." }</p> },
                Load::Ready(list) => html! { <>{ for list.iter().map(|e| html! { <EventCard event={e.clone()} /> }) }</> },
                Load::Failed(m) => html! { <p class="error-box" role="alert">{ m }</p> },
                Load::Loading => html! { <div class="loading" aria-busy="true">{ "Loading…" }</div> },
            } }
        </div>
    }
}
