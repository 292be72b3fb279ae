//! The year in pixels: one cell a day, coloured by that day's average charge or overall score; a
//! month up close, with each day's number and count; a day's entries on click; year and month
//! navigation. The core computes the calendar (`calendar`); this page lays it out.

use chrono::{Datelike, NaiveDate};
use wisdom_model::commands::{GetCalendar, ListEvents};
use wisdom_model::{Calendar, CalendarDay, EventFilter};
use yew::prelude::*;

use crate::components::EventCard;
use crate::dom::local_input_to_utc;
use crate::store::{use_load, Load};

/// What the page shows: a whole year, or one month of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shown {
    year: i32,
    month: Option<u32>,
}

impl Shown {
    /// The year (or month) `by` steps away; months roll over into the next or previous year.
    fn step(self, by: i32) -> Shown {
        match self.month {
            None => Shown { year: self.year + by, month: None },
            Some(m) => {
                let index = self.year * 12 + m as i32 - 1 + by;
                Shown { year: index.div_euclid(12), month: Some(index.rem_euclid(12) as u32 + 1) }
            }
        }
    }

    fn label(self) -> String {
        match self.month.and_then(|m| NaiveDate::from_ymd_opt(self.year, m, 1)) {
            Some(first) => first.format("%B %Y").to_string(),
            None => self.year.to_string(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct YearProps {
    /// A day to open on (its month, with its entries shown), as "and 4 more that day" asks.
    pub day: Option<NaiveDate>,
}

#[function_component]
pub fn YearPage(p: &YearProps) -> Html {
    let shown = {
        let day = p.day;
        use_state(move || match day {
            Some(d) => Shown { year: d.year(), month: Some(d.month()) },
            None => Shown { year: chrono::Local::now().year(), month: None },
        })
    };
    let by_score = use_state(|| false);
    let picked = use_state(|| p.day);
    let cal = use_load(GetCalendar { year: shown.year });
    let go = |to: Shown| {
        let (shown, picked) = (shown.clone(), picked.clone());
        Callback::from(move |_: MouseEvent| {
            if to.year != shown.year || to.month.is_none() {
                picked.set(None);
            }
            shown.set(to);
        })
    };
    let switch = |score: bool| {
        let by_score = by_score.clone();
        Callback::from(move |_: MouseEvent| by_score.set(score))
    };
    // One listener for all the days: a click names its day by the cell's `data-date`.
    let pick = {
        let picked = picked.clone();
        Callback::from(move |e: MouseEvent| {
            let cell = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("[data-date]").ok().flatten());
            if let Some(date) = cell.and_then(|c| c.get_attribute("data-date")).and_then(|d| d.parse().ok()) {
                picked.set(Some(date));
            }
        })
    };
    let grid = match (&*cal, shown.month) {
        (Load::Ready(c), None) => {
            year_grid(c, *by_score, *picked, pick, &|m| go(Shown { year: c.year, month: Some(m) }))
        }
        (Load::Ready(c), Some(m)) => month_grid(c, m, *by_score, *picked, pick),
        (Load::Failed(m), _) => html! { <p class="error-box" role="alert">{ m }</p> },
        (Load::Loading, _) => html! { <div class="loading" aria-busy="true">{ "Loading the year…" }</div> },
    };
    let unit = if shown.month.is_some() { "month" } else { "year" };
    html! {
        <div class="page year" id="page-year" data-shown={shown.label()}>
            <header class="page-head">
                <div>
                    <h1>{ "Year in pixels" }</h1>
                    <p class="muted">{ if shown.month.is_some() { "One day a square. Click a day to read it." } else { "One square a day. Click a month to see it up close, a day to read it." } }</p>
                </div>
                <div class="row">
                    if shown.month.is_some() {
                        <button class="ghost" id="show-year" onclick={go(Shown { month: None, ..*shown })}>{ "Whole year" }</button>
                    }
                    <button class="ghost" id="year-prev" aria-label={format!("Previous {unit}")} onclick={go(shown.step(-1))}>{ "‹" }</button>
                    <strong id="year-shown">{ shown.label() }</strong>
                    <button class="ghost" id="year-next" aria-label={format!("Next {unit}")} onclick={go(shown.step(1))}>{ "›" }</button>
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

/// One day's square: its colour, its tooltip, and (up close) its number and count.
fn day_cell(cal: &Calendar, date: NaiveDate, by_score: bool, picked: Option<NaiveDate>, close: bool) -> Html {
    // The core lists the days in date order.
    let day: Option<&CalendarDay> = cal.days.binary_search_by_key(&date, |d| d.date).ok().map(|i| &cal.days[i]);
    let value = day.and_then(|x| if by_score { x.overall_score } else { x.average_charge });
    let entries = day.map_or(0, |x| x.entries);
    let label = match value {
        Some(v) => format!("{date}: {entries} entries, {} {v:.1}", if by_score { "score" } else { "charge" }),
        None => format!("{date}: nothing recorded"),
    };
    html! { <td>
        <button class={classes!("pixel", close.then_some("day"), value.is_some().then_some("filled"), (picked == Some(date)).then_some("picked"))}
            id={format!("px-{date}")} data-date={date.to_string()} style={cell_style(value, by_score)} title={label}>
            if close {
                <span class="day-number">{ date.day() }</span>
                if entries > 0 { <span class="day-count">{ entries }</span> }
            }
        </button>
    </td> }
}

fn year_grid(
    cal: &Calendar,
    by_score: bool,
    picked: Option<NaiveDate>,
    onclick: Callback<MouseEvent>,
    open_month: &dyn Fn(u32) -> Callback<MouseEvent>,
) -> Html {
    let months = (1..=12u32).filter_map(|m| NaiveDate::from_ymd_opt(cal.year, m, 1));
    html! {
        <table class="pixels" aria-label={format!("{} in pixels", cal.year)} {onclick}>
            <tbody>
            { for months.map(|first| html! {
                <tr>
                    <th scope="row"><button class="link month-link" id={format!("month-{}", first.month())}
                        title={first.format("%B %Y up close").to_string()} onclick={open_month(first.month())}>
                        { first.format("%b").to_string() }</button></th>
                    { for (1..=31u32).map(|d| match first.with_day(d) {
                        Some(date) => day_cell(cal, date, by_score, picked, false),
                        None => html! { <td><span class="pixel none"></span></td> },
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
    }
}

/// A month as a wall calendar: weeks from Monday, each day with its number and count.
fn month_grid(
    cal: &Calendar,
    month: u32,
    by_score: bool,
    picked: Option<NaiveDate>,
    onclick: Callback<MouseEvent>,
) -> Html {
    let Some(first) = NaiveDate::from_ymd_opt(cal.year, month, 1) else { return Html::default() };
    let lead = first.weekday().num_days_from_monday() as usize;
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| d.month() == month).collect();
    let mut slots: Vec<Option<NaiveDate>> = vec![None; lead];
    slots.extend(days.into_iter().map(Some));
    slots.resize(slots.len().div_ceil(7) * 7, None);
    html! {
        <table class="pixels month" aria-label={format!("{} in pixels", first.format("%B %Y"))} {onclick}>
            <thead><tr>{ for ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].iter().map(|d| html! { <th scope="col">{ *d }</th> }) }</tr></thead>
            <tbody>
            { for slots.chunks(7).map(|week| html! {
                <tr>{ for week.iter().map(|slot| match slot {
                    Some(date) => day_cell(cal, *date, by_score, picked, true),
                    None => html! { <td><span class="pixel day none"></span></td> },
                }) }</tr>
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
