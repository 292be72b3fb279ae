//! Small building blocks shared by the pages, components only: score gauge, wheel-of-life radar,
//! status badge, dialog, labelled field, passphrase strength meter, text that wraps where it
//! should, event card. How values read is `format.rs`; the
//! browser's side (inputs, marks, timer hooks) is `dom.rs`.

use wisdom_model::{AreaStatus, Event, LifeArea};
use yew::prelude::*;

use crate::format::{area_name, day_time, status_class, status_label, title_case, tone_class, whole};

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

#[derive(Properties, PartialEq)]
pub struct StrengthProps {
    /// The passphrase being typed.
    pub pass: AttrValue,
    /// What the meter measures, for screen readers ("Passphrase", "New passphrase").
    #[prop_or(AttrValue::Static("Passphrase"))]
    pub of: AttrValue,
}

/// Four bars and a word for how hard a new passphrase is to guess (model's
/// `validate::passphrase_strength`, the one measure every form shows).
#[function_component]
pub fn StrengthMeter(p: &StrengthProps) -> Html {
    let (level, label) = wisdom_model::validate::passphrase_strength(&p.pass);
    html! {
        <div class="meter" role="meter" aria-label={format!("{} strength: {label}", p.of)}
             aria-valuemin="0" aria-valuemax="4" aria-valuenow={level.to_string()}>
            { for (0..4u8).map(|i| html! { <span class={classes!("bar", (i < level).then_some(format!("lvl{level}")))}></span> }) }
            <em>{ label }</em>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BreakableProps {
    pub text: AttrValue,
    /// The character a line may break after (and nowhere else, unless a part is wider than the line).
    pub after: char,
}

/// Text that wraps only after `after`: a recovery key between its groups, a path after a `/`.
/// The text itself is unchanged (a copy or a read of it is the same characters).
#[function_component]
pub fn Breakable(p: &BreakableProps) -> Html {
    let parts: Vec<&str> = p.text.split_inclusive(p.after).collect();
    html! { <>{ for parts.into_iter().map(|part| html! { <>{ part }<wbr /></> }) }</> }
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
        <article class="event-card" data-event-id={e.id.clone()}
                 data-drop-kind="event" data-drop-entry={e.id.clone()} data-drop-title={e.title.clone()}>
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

#[derive(Properties, PartialEq)]
pub struct ChooseProps {
    pub id: AttrValue,
    pub purpose: wisdom_model::chooser::FilePurpose,
    /// The path the person chose (nothing is called when they close the chooser).
    pub onchosen: Callback<String>,
    #[prop_or(AttrValue::from("Choose…"))]
    pub label: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
}

/// A button that opens the system's file chooser (through the shell) and hands back the path,
/// beside a field where the path can still be typed or pasted.
#[function_component]
pub fn ChooseButton(p: &ChooseProps) -> Html {
    let open = use_state(|| false);
    let onclick = {
        let (purpose, onchosen, open) = (p.purpose.clone(), p.onchosen.clone(), open.clone());
        Callback::from(move |_: MouseEvent| {
            let (purpose, onchosen, open) = (purpose.clone(), onchosen.clone(), open.clone());
            open.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let picked = crate::api::invoke(&wisdom_model::commands::PickFile { purpose }).await;
                open.set(false);
                if let Ok(Some(path)) = picked {
                    onchosen.emit(path.display().to_string());
                }
            });
        })
    };
    html! {
        <button type="button" class="ghost choose" id={p.id.clone()} {onclick} disabled={p.disabled || *open}>{ p.label.clone() }</button>
    }
}
