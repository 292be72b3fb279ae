//! Settings > Export and import: what an import from another app would do, before it is made
//! (core's `preview_import`, the CLI's `--dry-run`): how many entries, which are new, their dates,
//! where each goes and why, what is left out, and the first few as they would be filed; and the
//! person's own rules (the CLI's `--area`, `--area-map` and `--mood`): where entries with a label
//! go, where the rest go, what each mood weighs. Changing a rule asks for the preview again.

use std::collections::BTreeMap;

use wisdom_model::{ImportPreview, ImportRules, MappingTarget};
use yew::prelude::*;

use crate::dom::input_value;
use crate::format::{area_name, area_options, day_time, title_case};

fn target(t: MappingTarget) -> &'static str {
    match t {
        MappingTarget::Area => "Area",
        MappingTarget::Charge => "Charge",
        MappingTarget::Tag => "Tag",
        MappingTarget::Type => "Type",
        MappingTarget::Tone => "Tone",
    }
}

fn entries(n: u64) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub preview: ImportPreview,
    /// The rules the preview was made with.
    pub rules: ImportRules,
    /// The rules as the person changed them.
    pub on_rules: Callback<ImportRules>,
}

/// A label of the source that can carry a rule (`journal:Work`, `tag:gym`, `activity:running`),
/// as the preview's mappings name it.
fn is_label(from: &str) -> bool {
    ["journal:", "tag:", "activity:"].iter().any(|p| from.starts_with(p))
}

#[function_component]
pub fn ImportPreviewPanel(props: &PreviewProps) -> Html {
    let p = &props.preview;
    let range = match (&p.first, &p.last) {
        (Some(a), Some(b)) => format!(", {} to {}", day_time(a), day_time(b)),
        _ => String::new(),
    };
    html! {
        <div class="import-preview" id="import-preview">
            <h3>{ format!("{}: nothing written yet", p.format.label()) }</h3>
            <p id="import-preview-counts">
                { format!("{} found, {} to add{range}.", entries(p.found), entries(p.new)) }
                if p.already_present > 0 {
                    { format!(" {} already imported, left as they are.", entries(p.already_present)) }
                }
            </p>
            if !p.mappings.is_empty() {
                <table class="preview-table" aria-label="Where the entries go">
                    <thead><tr><th>{ "Sets" }</th><th>{ "From" }</th><th>{ "To" }</th><th>{ "Entries" }</th><th>{ "Why" }</th></tr></thead>
                    <tbody>{ for p.mappings.iter().map(|m| html! {
                        <tr><td>{ target(m.target) }</td><td>{ &m.from }</td>
                            <td>{ match m.target {
                                MappingTarget::Area => area_name(&m.to),
                                MappingTarget::Type | MappingTarget::Tone => title_case(&m.to),
                                _ => m.to.clone(),
                            } }</td>
                            <td class="num">{ m.entries }</td><td class="muted">{ &m.why }</td></tr>
                    }) }</tbody>
                </table>
            }
            if !p.skipped.is_empty() {
                <ul class="plain skipped">{ for p.skipped.iter().map(|s| html! {
                    <li><span>{ format!("Left out: {} {}: {}", s.count, s.what, s.reason) }
                        if !s.examples.is_empty() { <small class="muted">{ s.examples.join(", ") }</small> }</span></li>
                }) }</ul>
            }
            { rules_table(p, &props.rules, &props.on_rules) }
            if !p.sample.is_empty() {
                <h4>{ "The first entries, as they would be filed" }</h4>
                <ul class="plain sample">{ for p.sample.iter().map(|e| html! {
                    <li><span>{ &e.title }<small class="muted">{ format!("{} · {} · {:+}", day_time(&e.occurred_at), area_name(&e.life_area_id), e.emotional_charge) }</small></span></li>
                }) }</ul>
            }
        </div>
    }
}

/// The person's rules for this import: where the entries nothing else files go, an area for each
/// label of the source, a charge for each mood.
fn rules_table(p: &ImportPreview, rules: &ImportRules, on_rules: &Callback<ImportRules>) -> Html {
    // Each label once, with the new entries it is on.
    let mut labels: BTreeMap<&str, u64> = BTreeMap::new();
    for m in p.mappings.iter().filter(|m| matches!(m.target, MappingTarget::Tag | MappingTarget::Area)) {
        if is_label(&m.from) {
            let n = labels.entry(m.from.as_str()).or_default();
            *n = (*n).max(m.entries);
        }
    }
    let moods: Vec<(&str, &str, u64)> = p
        .mappings
        .iter()
        .filter(|m| m.target == MappingTarget::Charge)
        .filter_map(|m| m.from.strip_prefix("mood:").map(|name| (name, m.to.as_str(), m.entries)))
        .collect();
    let default = rules.default_area.clone().unwrap_or_else(|| "personal-growth".into());
    let on_default = {
        let (rules, on_rules) = (rules.clone(), on_rules.clone());
        Callback::from(move |e: Event| {
            let mut r = rules.clone();
            r.default_area = Some(input_value(&e));
            on_rules.emit(r);
        })
    };
    let label_row = |(label, entries): (&str, u64)| {
        let chosen = rules.area_map.iter().find(|(l, _)| l.eq_ignore_ascii_case(label)).map(|(_, a)| a.clone());
        let onchange = {
            let (rules, on_rules, label) = (rules.clone(), on_rules.clone(), label.to_string());
            Callback::from(move |e: Event| {
                let mut r = rules.clone();
                let area = input_value(&e);
                r.set_area(&label, Some(area.as_str()).filter(|a| !a.is_empty()));
                on_rules.emit(r);
            })
        };
        html! {
            <tr><td>{ label }</td><td class="num">{ entries }</td><td>
                <select class="map-area" data-label={label.to_string()} aria-label={format!("Area for {label}")} {onchange}>
                    <option value="" selected={chosen.is_none()}>{ "As the preview says" }</option>
                    { area_options(chosen.as_deref().unwrap_or("")) }
                </select>
            </td></tr>
        }
    };
    let mood_row = |(name, charge, entries): (&str, &str, u64)| {
        let onchange = {
            let (rules, on_rules, name) = (rules.clone(), on_rules.clone(), name.to_string());
            Callback::from(move |e: Event| {
                if let Ok(c) = input_value(&e).trim().parse::<i64>() {
                    let mut r = rules.clone();
                    r.set_mood(&name, c);
                    on_rules.emit(r);
                }
            })
        };
        let value = charge.trim_start_matches('+').to_string();
        html! {
            <tr><td>{ format!("mood: {name}") }</td><td class="num">{ entries }</td><td>
                <input type="number" min="-5" max="5" class="map-mood" data-mood={name.to_string()} {value}
                       aria-label={format!("Charge for the mood {name}")} {onchange} />
            </td></tr>
        }
    };
    html! {
        <div class="import-rules" id="import-rules">
            <h4>{ "Your rules" }</h4>
            <div class="row">
                <label for="map-default">{ "Entries nothing else files go to" }</label>
                <select id="map-default" onchange={on_default}>{ area_options(&default) }</select>
            </div>
            if !labels.is_empty() || !moods.is_empty() {
                <table class="preview-table" aria-label="Your rules">
                    <thead><tr><th>{ "Label" }</th><th>{ "Entries" }</th><th>{ "Files them under / weighs" }</th></tr></thead>
                    <tbody>
                        { for labels.into_iter().map(label_row) }
                        { for moods.into_iter().map(mood_row) }
                    </tbody>
                </table>
            }
        </div>
    }
}
