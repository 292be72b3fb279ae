//! What a front end sends to create, change or find things. Creation inputs accept the seed's
//! POST shapes (camelCase, unknown fields refused so a typo is an error, not silently dropped).
//! A life area may be named by id (`lifeAreaId`) or by slug (`lifeArea`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::enums::*;
use crate::validate::{self as v, Invalid, Limits};

type Timestamp = DateTime<Utc>;

/// Distinguishes "field absent" (`None`) from "set to null" (`Some(None)`) in patches.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_area_id: Option<String>,
    /// The area's slug, e.g. `work`; an alternative to `lifeAreaId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_area: Option<String>,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub category: EventCategory,
    pub tone: EventTone,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub narrative: Option<String>,
    /// Defaults to now.
    #[serde(default)]
    pub occurred_at: Option<Timestamp>,
    pub emotional_charge: i64,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl NewEvent {
    /// The area as given, by id or by slug.
    pub fn area_ref(&self) -> Result<&str, Invalid> {
        self.life_area_id
            .as_deref()
            .or(self.life_area.as_deref())
            .ok_or_else(|| Invalid::new("lifeAreaId", "", "a life area id or slug"))
    }

    /// Checks every field and returns the normalised tags.
    pub fn validate(&self, now: Timestamp) -> Result<Vec<String>, Invalid> {
        self.area_ref()?;
        v::title("title", &self.title, Limits::TITLE)?;
        v::max_len("description", &self.description, Limits::DESCRIPTION)?;
        v::optional_text("narrative", self.narrative.as_deref(), Limits::NARRATIVE)?;
        v::emotional_charge(self.emotional_charge)?;
        if let Some(at) = self.occurred_at {
            v::moment("occurredAt", at, now)?;
        }
        v::normalise_tags(&self.tags)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventPatch {
    /// A new area, by id or slug.
    #[serde(default)]
    pub life_area: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<EventType>,
    #[serde(default)]
    pub category: Option<EventCategory>,
    #[serde(default)]
    pub tone: Option<EventTone>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub narrative: Option<Option<String>>,
    #[serde(default)]
    pub occurred_at: Option<Timestamp>,
    #[serde(default)]
    pub emotional_charge: Option<i64>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

impl EventPatch {
    /// Checks the fields that are present; returns the normalised tags when tags are replaced.
    pub fn validate(&self, now: Timestamp) -> Result<Option<Vec<String>>, Invalid> {
        if let Some(t) = &self.title {
            v::title("title", t, Limits::TITLE)?;
        }
        if let Some(d) = &self.description {
            v::max_len("description", d, Limits::DESCRIPTION)?;
        }
        if let Some(n) = &self.narrative {
            v::optional_text("narrative", n.as_deref(), Limits::NARRATIVE)?;
        }
        if let Some(c) = self.emotional_charge {
            v::emotional_charge(c)?;
        }
        if let Some(at) = self.occurred_at {
            v::moment("occurredAt", at, now)?;
        }
        self.tags.as_deref().map(v::normalise_tags).transpose()
    }
}

/// Which events to list. Every field narrows the result; all empty lists everything, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventFilter {
    /// Area id or slug.
    pub area: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<EventType>,
    pub category: Option<EventCategory>,
    pub tone: Option<EventTone>,
    pub tag: Option<String>,
    /// Inclusive lower bound on `occurredAt`.
    pub from: Option<Timestamp>,
    /// Exclusive upper bound on `occurredAt`.
    pub to: Option<Timestamp>,
    /// Full-text query over title, description and narrative.
    pub text: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// Keyset paging: only the events listed after this one (an event id: the last of the
    /// previous page). A deep page then costs what the first does, where `offset` walks every
    /// event before it.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewInsight {
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: InsightType,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub is_recurring: bool,
    #[serde(default = "one")]
    pub frequency: i64,
    #[serde(default)]
    pub related_events: Vec<String>,
}

fn one() -> i64 {
    1
}

impl NewInsight {
    pub fn validate(&self) -> Result<(), Invalid> {
        v::title("title", &self.title, Limits::TITLE)?;
        v::required_text("description", &self.description, Limits::DESCRIPTION)?;
        if self.frequency < 1 {
            return Err(Invalid::new("frequency", self.frequency, "a count of 1 or more"));
        }
        v::id_list("relatedEvents", &self.related_events)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InsightPatch {
    #[serde(default, rename = "type")]
    pub kind: Option<InsightType>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub related_events: Option<Vec<String>>,
}

impl InsightPatch {
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(t) = &self.title {
            v::title("title", t, Limits::TITLE)?;
        }
        if let Some(d) = &self.description {
            v::required_text("description", d, Limits::DESCRIPTION)?;
        }
        self.related_events.as_deref().map_or(Ok(()), |ids| v::id_list("relatedEvents", ids))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightFilter {
    #[serde(rename = "type")]
    pub kind: Option<InsightType>,
    pub applied: Option<bool>,
    /// Dismissed insights are hidden unless this is set.
    pub include_dismissed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCommitment {
    /// Area id or slug.
    #[serde(default, alias = "lifeAreaId")]
    pub life_area: Option<String>,
    #[serde(default)]
    pub event_id: Option<String>,
    #[serde(default)]
    pub insight_id: Option<String>,
    pub statement: String,
    pub intention: String,
    #[serde(default)]
    pub measurable: Option<String>,
    #[serde(default)]
    pub status: Option<CommitmentStatus>,
    #[serde(default)]
    pub next_review_at: Option<Timestamp>,
}

impl NewCommitment {
    /// A commitment as a form holds it: every text trimmed, an empty area or measure left out.
    pub fn from_form(
        area: &str,
        statement: &str,
        intention: &str,
        measurable: &str,
        review: Option<Timestamp>,
    ) -> Self {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        NewCommitment {
            life_area: given(area),
            event_id: None,
            insight_id: None,
            statement: statement.trim().to_string(),
            intention: intention.trim().to_string(),
            measurable: given(measurable),
            status: None,
            next_review_at: review,
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        v::required_text("statement", &self.statement, Limits::DESCRIPTION)?;
        v::required_text("intention", &self.intention, Limits::DESCRIPTION)?;
        v::optional_text("measurable", self.measurable.as_deref(), Limits::DESCRIPTION)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommitmentPatch {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub life_area: Option<Option<String>>,
    #[serde(default)]
    pub statement: Option<String>,
    #[serde(default)]
    pub intention: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub measurable: Option<Option<String>>,
    #[serde(default)]
    pub status: Option<CommitmentStatus>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub next_review_at: Option<Option<Timestamp>>,
    /// Marks the commitment as reviewed now.
    #[serde(default)]
    pub reviewed: bool,
}

impl CommitmentPatch {
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(s) = &self.statement {
            v::required_text("statement", s, Limits::DESCRIPTION)?;
        }
        if let Some(s) = &self.intention {
            v::required_text("intention", s, Limits::DESCRIPTION)?;
        }
        if let Some(m) = &self.measurable {
            v::optional_text("measurable", m.as_deref(), Limits::DESCRIPTION)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentFilter {
    pub area: Option<String>,
    pub status: Option<CommitmentStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewBoundary {
    /// Area id or slug.
    #[serde(alias = "lifeAreaId")]
    pub life_area: String,
    pub statement: String,
    pub reason: String,
    #[serde(default)]
    pub consequence: Option<String>,
    #[serde(default)]
    pub status: Option<BoundaryStatus>,
}

impl NewBoundary {
    pub fn validate(&self) -> Result<(), Invalid> {
        v::required_text("statement", &self.statement, Limits::DESCRIPTION)?;
        v::required_text("reason", &self.reason, Limits::DESCRIPTION)?;
        v::optional_text("consequence", self.consequence.as_deref(), Limits::DESCRIPTION)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BoundaryPatch {
    #[serde(default)]
    pub life_area: Option<String>,
    #[serde(default)]
    pub statement: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub consequence: Option<Option<String>>,
    #[serde(default)]
    pub status: Option<BoundaryStatus>,
}

impl BoundaryPatch {
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(s) = &self.statement {
            v::required_text("statement", s, Limits::DESCRIPTION)?;
        }
        if let Some(s) = &self.reason {
            v::required_text("reason", s, Limits::DESCRIPTION)?;
        }
        if let Some(c) = &self.consequence {
            v::optional_text("consequence", c.as_deref(), Limits::DESCRIPTION)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoundaryFilter {
    pub area: Option<String>,
    pub status: Option<BoundaryStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewViolation {
    /// Defaults to now.
    #[serde(default)]
    pub occurred_at: Option<Timestamp>,
    #[serde(default)]
    pub note: Option<String>,
}

impl NewViolation {
    pub fn validate(&self, now: Timestamp) -> Result<(), Invalid> {
        if let Some(at) = self.occurred_at {
            v::moment("occurredAt", at, now)?;
        }
        v::optional_text("note", self.note.as_deref(), Limits::NOTE)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewEra {
    pub name: String,
    pub start_year: i64,
    #[serde(default)]
    pub end_year: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
}

impl NewEra {
    pub fn validate(&self) -> Result<(), Invalid> {
        v::title("name", &self.name, Limits::NAME)?;
        v::year("startYear", self.start_year)?;
        if let Some(end) = self.end_year {
            v::year("endYear", end)?;
            if end < self.start_year {
                return Err(Invalid::new("endYear", end, format!("a year from startYear ({})", self.start_year)));
            }
        }
        v::optional_text("description", self.description.as_deref(), Limits::DESCRIPTION)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAutobiographyEntry {
    pub era_id: String,
    pub year: i64,
    #[serde(default)]
    pub month: Option<i64>,
    pub title: String,
    pub narrative: String,
    #[serde(default)]
    pub event_ids: Vec<String>,
    /// Area ids or slugs.
    #[serde(default)]
    pub life_area_ids: Vec<String>,
    #[serde(default)]
    pub is_public: bool,
}

impl NewAutobiographyEntry {
    pub fn validate(&self) -> Result<(), Invalid> {
        v::year("year", self.year)?;
        v::month(self.month)?;
        v::title("title", &self.title, Limits::TITLE)?;
        v::required_text("narrative", &self.narrative, Limits::NARRATIVE)?;
        v::id_list("eventIds", &self.event_ids)?;
        v::id_list("lifeAreaIds", &self.life_area_ids)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AutobiographyPatch {
    #[serde(default)]
    pub era_id: Option<String>,
    #[serde(default)]
    pub year: Option<i64>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub month: Option<Option<i64>>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub narrative: Option<String>,
    #[serde(default)]
    pub event_ids: Option<Vec<String>>,
    #[serde(default)]
    pub life_area_ids: Option<Vec<String>>,
    #[serde(default)]
    pub is_public: Option<bool>,
}

impl AutobiographyPatch {
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(y) = self.year {
            v::year("year", y)?;
        }
        if let Some(m) = self.month {
            v::month(m)?;
        }
        if let Some(t) = &self.title {
            v::title("title", t, Limits::TITLE)?;
        }
        if let Some(n) = &self.narrative {
            v::required_text("narrative", n, Limits::NARRATIVE)?;
        }
        if let Some(ids) = &self.event_ids {
            v::id_list("eventIds", ids)?;
        }
        if let Some(ids) = &self.life_area_ids {
            v::id_list("lifeAreaIds", ids)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutobiographyFilter {
    pub era_id: Option<String>,
    pub year: Option<i64>,
    /// Area id or slug.
    pub area: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_post_events_shape_parses_and_typos_are_refused() {
        let json = r#"{"lifeAreaId":"area_work","type":"BREAKTHROUGH","category":"PROFESSIONAL",
            "tone":"POSITIVE","title":"Got promoted","description":"After 2 years",
            "narrative":"Full story","occurredAt":"2025-10-29T10:00:00Z","emotionalCharge":5,
            "tags":["career","recognition"]}"#;
        let e: NewEvent = serde_json::from_str(json).unwrap();
        assert_eq!(e.area_ref().unwrap(), "area_work");
        assert_eq!(e.kind, EventType::Breakthrough);
        let typo = json.replace("\"tone\"", "\"tonne\"");
        assert!(serde_json::from_str::<NewEvent>(&typo).is_err());
        let bad_enum = json.replace("\"POSITIVE\"", "\"GREAT\"");
        let err = serde_json::from_str::<NewEvent>(&bad_enum).unwrap_err().to_string();
        assert!(err.contains("allowed: POSITIVE"), "{err}");
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let p: EventPatch = serde_json::from_str(r#"{"narrative":null}"#).unwrap();
        assert_eq!(p.narrative, Some(None));
        let p: EventPatch = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(p.narrative, None);
    }
}
