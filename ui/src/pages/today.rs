//! The daily practice's Today page: what was written today, the rhythm, reviews due, on this day.
//! The core computes all of it (`today_overview`); this page lays it out.

use wisdom_model::commands::{SetPromptHidden, TodayOverview};
use wisdom_model::{OnThisDay, Rhythm};
use yew::prelude::*;

use crate::components::EventCard;
use crate::format::tone_class;
use crate::store::{use_load, use_store, write, Action, Load, Page, StoreHandle};

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
                            { for t.on_this_day.iter().map(|o| on_this_day(o, &store)) }
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

fn on_this_day(o: &OnThisDay, store: &StoreHandle) -> Html {
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
                <button class="link more" id={format!("more-{}", o.date)} onclick={{
                    let (s, day) = (store.clone(), o.date);
                    Callback::from(move |_: MouseEvent| s.dispatch(Action::Navigate(Page::Year(Some(day)))))
                }}>{ format!("and {more} more that day") }</button>
            }
        </div>
    }
}
