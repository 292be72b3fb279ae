//! How values are shown: score bands and their words, area names, dates, counts; the option
//! lists of the area picker.

use chrono::{DateTime, Local, Utc};
use wisdom_model::areas::area_id;
use wisdom_model::{AreaStatus, LIFE_AREAS};
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

pub fn tone_class(charge: i64) -> &'static str {
    match charge {
        c if c > 0 => "charge-pos",
        c if c < 0 => "charge-neg",
        _ => "charge-zero",
    }
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

/// `<option>`s for an enum's values, by their names, the `selected` one chosen.
pub fn options<T: Copy + PartialEq>(all: &[T], name: impl Fn(T) -> &'static str, selected: &str) -> Html {
    html! { <>{ for all.iter().map(|v| {
        let n = name(*v);
        html! { <option value={n} selected={n == selected}>{ title_case(n) }</option> }
    }) }</> }
}
