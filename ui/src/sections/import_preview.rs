//! Settings > Export and import: what an import from another app would do, before it is made
//! (core's `preview_import`, the CLI's `--dry-run`): how many entries, which are new, their dates,
//! where each goes and why, what is left out, and the first few as they would be filed.

use wisdom_model::{ImportPreview, MappingTarget};
use yew::prelude::*;

use crate::format::{area_name, day_time, title_case};

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
}

#[function_component]
pub fn ImportPreviewPanel(p: &PreviewProps) -> Html {
    let p = &p.preview;
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
            if !p.sample.is_empty() {
                <h4>{ "The first entries, as they would be filed" }</h4>
                <ul class="plain sample">{ for p.sample.iter().map(|e| html! {
                    <li><span>{ &e.title }<small class="muted">{ format!("{} · {} · {:+}", day_time(&e.occurred_at), area_name(&e.life_area_id), e.emotional_charge) }</small></span></li>
                }) }</ul>
            }
        </div>
    }
}
