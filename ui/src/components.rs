//! Small building blocks shared by the pages: score gauge, wheel-of-life radar, status badge,
//! dialog, labelled field, event card.

use chrono::{DateTime, Local, Utc};
use wisdom_model::areas::area_id;
use wisdom_model::{AreaStatus, Event, LifeArea, LIFE_AREAS};
use yew::prelude::*;

pub fn status_class(status: AreaStatus) -> &'static str {
    match status {
        AreaStatus::Flourishing => "st-flourishing",
        AreaStatus::Thriving => "st-thriving",
        AreaStatus::Balanced => "st-balanced",
        AreaStatus::Struggling => "st-struggling",
        AreaStatus::Crisis => "st-crisis",
    }
}

pub fn status_label(status: AreaStatus) -> &'static str {
    match status {
        AreaStatus::Flourishing => "Flourishing",
        AreaStatus::Thriving => "Thriving",
        AreaStatus::Balanced => "Balanced",
        AreaStatus::Struggling => "Struggling",
        AreaStatus::Crisis => "Crisis",
    }
}

/// The area's display name for an id (`area_work`) or slug (`work`).
pub fn area_name(id_or_slug: &str) -> String {
    LIFE_AREAS
        .iter()
        .find(|a| a.slug == id_or_slug || area_id(a.slug) == id_or_slug)
        .map(|a| a.name.to_string())
        .unwrap_or_else(|| id_or_slug.to_string())
}

pub fn area_slug(id: &str) -> String {
    id.strip_prefix("area_").unwrap_or(id).to_string()
}

pub fn day(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%b %-d, %Y").to_string()
}

pub fn day_time(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%b %-d, %Y · %H:%M").to_string()
}

pub fn title_case(text: &str) -> String {
    let lower = text.replace('_', " ").to_lowercase();
    let mut c = lower.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A score as a whole number, rounded down so it agrees with its band (69.6 is BALANCED, shown 69).
pub fn whole(score: f64) -> String {
    format!("{}", score.clamp(0.0, 100.0).floor() as i64)
}

fn polar(cx: f64, cy: f64, r: f64, deg: f64) -> (f64, f64) {
    let rad = (deg - 90.0).to_radians();
    (cx + r * rad.cos(), cy + r * rad.sin())
}

fn arc(cx: f64, cy: f64, r: f64, from: f64, to: f64) -> String {
    let (x1, y1) = polar(cx, cy, r, from);
    let (x2, y2) = polar(cx, cy, r, to);
    let large = if to - from > 180.0 { 1 } else { 0 };
    format!("M {x1:.2} {y1:.2} A {r} {r} 0 {large} 1 {x2:.2} {y2:.2}")
}

#[derive(Properties, PartialEq)]
pub struct GaugeProps {
    pub score: f64,
    pub status: AreaStatus,
    #[prop_or(72)]
    pub size: u32,
    #[prop_or_default]
    pub label: AttrValue,
}

/// A 240° arc gauge, filled to the score, in the status colour.
#[function_component]
pub fn Gauge(p: &GaugeProps) -> Html {
    let score = p.score.clamp(0.0, 100.0);
    let end = -120.0 + 240.0 * score / 100.0;
    let aria = format!("{}score {:.0} of 100, {}", p.label, score, status_label(p.status));
    html! {
        <svg class={classes!("gauge", status_class(p.status))} width={p.size.to_string()} height={p.size.to_string()}
             viewBox="0 0 100 100" role="img" aria-label={aria}>
            <path class="gauge-track" d={arc(50.0, 54.0, 40.0, -120.0, 120.0)} />
            if score > 0.5 {
                <path class="gauge-fill" d={arc(50.0, 54.0, 40.0, -120.0, end)} />
            }
            <text x="50" y="60" class="gauge-text">{ whole(score) }</text>
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct RadarProps {
    pub areas: Vec<LifeArea>,
}

/// The wheel of life: one spoke per area, in cluster order, the polygon at each area's score.
#[function_component]
pub fn Radar(p: &RadarProps) -> Html {
    let (cx, cy, r) = (170.0, 170.0, 118.0);
    let n = p.areas.len().max(1) as f64;
    let step = 360.0 / n;
    let points: Vec<String> = p
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (x, y) = polar(cx, cy, r * a.current_score.clamp(0.0, 100.0) / 100.0, i as f64 * step);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let rings = [20.0, 40.0, 70.0, 90.0, 100.0];
    html! {
        <svg class="radar" viewBox="-24 0 388 340" role="img" aria-label="Wheel of life: all 30 area scores">
            { for (0..6).map(|c| {
                let from = c as f64 * 5.0 * step - step / 2.0;
                html! { <path class={format!("radar-sector c{c}")}
                    d={format!("M {cx} {cy} L {} Z", arc(cx, cy, r, from, from + 5.0 * step).trim_start_matches("M "))} /> }
            }) }
            { for rings.iter().map(|v| html! {
                <circle class="radar-ring" cx={cx.to_string()} cy={cy.to_string()} r={(r * v / 100.0).to_string()} />
            }) }
            { for p.areas.iter().enumerate().map(|(i, a)| {
                let (x, y) = polar(cx, cy, r, i as f64 * step);
                let (lx, ly) = polar(cx, cy, r + 14.0, i as f64 * step);
                let anchor = if (lx - cx).abs() < 8.0 { "middle" } else if lx > cx { "start" } else { "end" };
                let short: String = a.name.split([' ', '&']).next().unwrap_or_default().chars().take(13).collect();
                html! { <>
                    <line class="radar-spoke" x1={cx.to_string()} y1={cy.to_string()} x2={format!("{x:.1}")} y2={format!("{y:.1}")} />
                    <text class="radar-label" x={format!("{lx:.1}")} y={format!("{:.1}", ly + 3.0)} text-anchor={anchor}>
                        <title>{ format!("{}: {:.0}", a.name, a.current_score) }</title>{ short }
                    </text>
                </> }
            }) }
            <polygon class="radar-shape" points={points.join(" ")} />
            { for p.areas.iter().enumerate().map(|(i, a)| {
                let (x, y) = polar(cx, cy, r * a.current_score.clamp(0.0, 100.0) / 100.0, i as f64 * step);
                html! { <circle class={classes!("radar-dot", status_class(a.status))} cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3" /> }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    pub status: AreaStatus,
}

#[function_component]
pub fn StatusBadge(p: &BadgeProps) -> Html {
    html! { <span class={classes!("badge", status_class(p.status))}>{ status_label(p.status) }</span> }
}

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog. Esc, the close button or a click outside closes it.
#[function_component]
pub fn Dialog(p: &DialogProps) -> Html {
    {
        let on_close = p.on_close.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::JsCast;
            let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(
                move |e: web_sys::KeyboardEvent| {
                    if e.key() == "Escape" {
                        on_close.emit(());
                    }
                },
            );
            let window = web_sys::window().expect("window");
            let _ = window.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        });
    }
    let close = p.on_close.reform(|_: MouseEvent| ());
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="scrim" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-label={p.title.clone()} onclick={stop}>
                <header class="dialog-head">
                    <h2>{ p.title.clone() }</h2>
                    <button class="icon-btn" aria-label="Close dialog" title="Close (Esc)" onclick={close}>{ "×" }</button>
                </header>
                { p.children.clone() }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub label: AttrValue,
    pub id: AttrValue,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// A label, its control, and the message that says what to fix.
#[function_component]
pub fn Field(p: &FieldProps) -> Html {
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            { p.children.clone() }
            if let Some(e) = &p.error {
                <p class="field-error" role="alert" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            } else if let Some(h) = &p.hint {
                <p class="field-hint">{ h.clone() }</p>
            }
        </div>
    }
}

pub fn tone_class(charge: i64) -> &'static str {
    match charge {
        c if c > 0 => "charge-pos",
        c if c < 0 => "charge-neg",
        _ => "charge-zero",
    }
}

#[derive(Properties, PartialEq)]
pub struct EventCardProps {
    pub event: Event,
    #[prop_or_default]
    pub on_delete: Option<Callback<String>>,
}

#[function_component]
pub fn EventCard(p: &EventCardProps) -> Html {
    let e = &p.event;
    let delete = p.on_delete.clone().map(|cb| {
        let id = e.id.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    });
    // The entry's files (crate::files), opened on request: thumbnails cost a call each card.
    let files_open = use_state(|| false);
    let toggle_files = {
        let open = files_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <article class="event-card" data-event-id={e.id.clone()}>
            <div class={classes!("event-dot", format!("type-{}", e.kind.as_str().to_lowercase()))} aria-hidden="true"></div>
            <div class="event-body">
                <header>
                    <h3>{ &e.title }</h3>
                    <span class={classes!("charge", tone_class(e.emotional_charge))}
                          title="Emotional charge">{ format!("{:+}", e.emotional_charge) }</span>
                </header>
                <p class="meta">
                    <span class="chip">{ title_case(e.kind.as_str()) }</span>
                    <span>{ area_name(&e.life_area_id) }</span>
                    <span>{ title_case(e.tone.as_str()) }</span>
                    <time>{ day_time(&e.occurred_at) }</time>
                </p>
                if !e.description.is_empty() { <p class="desc">{ &e.description }</p> }
                if !e.tags.is_empty() {
                    <p class="tags">{ for e.tags.iter().map(|t| html! { <span class="tag">{ format!("#{t}") }</span> }) }</p>
                }
                if *files_open {
                    <crate::files::EntryFiles kind={wisdom_model::EntryKind::Event} entry_id={e.id.clone()} title={e.title.clone()} />
                }
            </div>
            <button class="ghost small files-toggle" aria-expanded={files_open.to_string()}
                    aria-label={format!("Files of {}", e.title)} onclick={toggle_files}>
                { if *files_open { "Hide files" } else { "Files" } }
            </button>
            if let Some(d) = delete {
                <button class="ghost small" aria-label={format!("Delete event {}", e.title)} onclick={d}>{ "Delete" }</button>
            }
        </article>
    }
}

pub fn input_value(e: &web_sys::Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                .or_else(|| t.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|s| s.value()))
        })
        .unwrap_or_default()
}

/// A text state bound to an input/select/textarea: `oninput={bind(&state)}` or `onchange=...`.
pub fn bind<E: AsRef<web_sys::Event> + 'static>(state: &UseStateHandle<String>) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| state.set(input_value(e.as_ref())))
}

/// `<datetime-local>` text (local time) to UTC.
pub fn local_input_to_utc(text: &str) -> Option<DateTime<Utc>> {
    if text.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&text.into()).get_time();
    if ms.is_nan() {
        return None;
    }
    DateTime::<Utc>::from_timestamp_millis(ms as i64)
}

pub fn utc_to_local_input(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%Y-%m-%dT%H:%M").to_string()
}

/// Options for an area `<select>`, grouped by cluster.
pub fn area_options(selected: &str) -> Html {
    use wisdom_model::LifeAreaCluster;
    html! { <>{ for LifeAreaCluster::ALL.iter().map(|c| html! {
        <optgroup label={c.label()}>
            { for LIFE_AREAS.iter().filter(|a| a.cluster == *c).map(|a| html! {
                <option value={a.slug} selected={a.slug == selected}>{ a.name }</option>
            }) }
        </optgroup>
    }) }</> }
}

/// `performance.mark(name)`: a named instant the benchmark reads (tests/e2e/bench_desktop.py).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Marks, in the page's performance timeline, when the first frame after this component mounted
/// has been painted (`performance.mark(name)` at the start of the frame after it, so the figure errs
/// long by up to a frame). The benchmark (tests/e2e/bench_desktop.py) reads the mark to time launch
/// to the unlock screen exactly, instead of polling for it.
#[hook]
pub fn use_painted_mark(name: &'static str) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use_effect_with((), move |_| {
        let after_paint = Closure::once_into_js(move || mark(name));
        let next_frame = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(after_paint.unchecked_ref());
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(next_frame.unchecked_ref());
        }
    });
}

/// `value` once it has stayed the same for `ms`: for work too heavy to redo at every key press.
#[hook]
pub fn use_settled<T: Clone + PartialEq + 'static>(value: T, ms: u32) -> T {
    let settled = use_state(|| value.clone());
    {
        let settled = settled.clone();
        use_effect_with(value, move |v| {
            let v = v.clone();
            let timer = gloo_timers::callback::Timeout::new(ms, move || settled.set(v));
            move || drop(timer)
        });
    }
    (*settled).clone()
}
