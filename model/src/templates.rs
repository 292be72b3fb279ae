//! Templates for quick capture: a reusable start for an entry the person writes often (a title
//! pattern, an area, a type, a tone, tags and a body scaffold), picked by name.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::{self as v, Invalid, Limits};
use crate::{EventTone, EventType};

/// A template as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: String,
    pub name: String,
    /// The entry's title; `{date}` and `{weekday}` become the day's (e.g. "Evening review, {weekday}").
    pub title: String,
    /// The area it files entries under, if any.
    pub life_area_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<EventType>,
    pub tone: Option<EventTone>,
    pub tags: Vec<String>,
    /// The scaffold the description starts from (headings, questions).
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A template to create, or to replace the one of the same name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTemplate {
    pub name: String,
    pub title: String,
    /// The area, by slug or id.
    #[serde(default)]
    pub life_area: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<EventType>,
    #[serde(default)]
    pub tone: Option<EventTone>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub body: String,
}

/// The longest template name.
pub const TEMPLATE_NAME_CHARS: usize = 40;

impl NewTemplate {
    /// Checks every field; returns the normalised name (trimmed, lower case: names are typed on a
    /// command line) and tags.
    pub fn validate(&self) -> Result<(String, Vec<String>), Invalid> {
        let name = template_name(&self.name)?;
        v::title("title", &self.title, Limits::TITLE)?;
        v::max_len("body", &self.body, Limits::DESCRIPTION)?;
        Ok((name, v::normalise_tags(&self.tags)?))
    }
}

/// A template's name as it is stored and looked up: letters, digits, `-` and `_`, lower case.
pub fn template_name(name: &str) -> Result<String, Invalid> {
    let n = name.trim().to_lowercase();
    let ok = !n.is_empty()
        && n.chars().count() <= TEMPLATE_NAME_CHARS
        && n.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(n)
    } else {
        Err(Invalid::new("name", name, format!("1 to {TEMPLATE_NAME_CHARS} letters, digits, - or _")))
    }
}

impl Template {
    /// The title for an entry written on `day`: the pattern with `{date}` and `{weekday}` filled.
    pub fn title_on(&self, day: NaiveDate) -> String {
        self.title.replace("{date}", &day.to_string()).replace("{weekday}", &format!("{}", day.format("%A")))
    }

    /// What the template gives an entry whose own fields are `given`: each field the person gave
    /// wins, the template fills the rest, and tags are the union.
    pub fn fill(&self, day: NaiveDate, given: TemplateFields) -> TemplateFields {
        let mut tags = self.tags.clone();
        tags.extend(given.tags.into_iter().filter(|t| !self.tags.contains(t)));
        TemplateFields {
            title: given.title.or_else(|| Some(self.title_on(day))),
            life_area: given.life_area.or_else(|| self.life_area_id.clone()),
            kind: given.kind.or(self.kind),
            tone: given.tone.or(self.tone),
            tags,
            body: given.body.filter(|b| !b.is_empty()).or_else(|| Some(self.body.clone()).filter(|b| !b.is_empty())),
        }
    }
}

/// The fields of an entry a template can fill (the area by slug or id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateFields {
    pub title: Option<String>,
    pub life_area: Option<String>,
    pub kind: Option<EventType>,
    pub tone: Option<EventTone>,
    pub tags: Vec<String>,
    pub body: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evening() -> Template {
        Template {
            id: "tpl_1".into(),
            name: "evening".into(),
            title: "Evening review, {weekday} {date}".into(),
            life_area_id: Some("area_personal-growth".into()),
            kind: Some(EventType::Learning),
            tone: None,
            tags: vec!["review".into()],
            body: "What went well?\nWhat would I do differently?".into(),
            created_at: DateTime::default(),
            updated_at: DateTime::default(),
        }
    }

    #[test]
    fn the_template_fills_only_what_the_person_did_not_give() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let filled = evening().fill(day, TemplateFields::default());
        assert_eq!(filled.title.as_deref(), Some("Evening review, Monday 2026-11-30"));
        assert_eq!(
            (filled.life_area.as_deref(), filled.kind),
            (Some("area_personal-growth"), Some(EventType::Learning))
        );
        assert!(filled.body.unwrap().starts_with("What went well?"));
        let given = TemplateFields {
            title: Some("Hard day".into()),
            kind: Some(EventType::Setback),
            tags: vec!["work".into(), "review".into()],
            ..Default::default()
        };
        let filled = evening().fill(day, given);
        assert_eq!((filled.title.as_deref(), filled.kind), (Some("Hard day"), Some(EventType::Setback)));
        assert_eq!(filled.tags, vec!["review".to_string(), "work".to_string()]);
    }

    #[test]
    fn names_are_words_a_command_line_can_take() {
        assert_eq!(template_name(" Evening-Review ").unwrap(), "evening-review");
        for bad in ["", "two words", "semi;colon", &"x".repeat(TEMPLATE_NAME_CHARS + 1)] {
            assert!(template_name(bad).is_err(), "{bad:?}");
        }
    }
}
