//! What is stored in a workspace, in the seed's camelCase JSON shape.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::enums::*;

pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifeArea {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub cluster: LifeAreaCluster,
    pub sort_order: i64,
    pub is_active: bool,
    pub current_score: f64,
    pub status: AreaStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub life_area_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub category: EventCategory,
    pub tone: EventTone,
    pub title: String,
    pub description: String,
    pub narrative: Option<String>,
    pub occurred_at: Timestamp,
    pub emotional_charge: i64,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Insight {
    pub id: String,
    pub event_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: InsightType,
    pub title: String,
    pub description: String,
    pub is_recurring: bool,
    pub frequency: i64,
    pub related_events: Vec<String>,
    pub applied: bool,
    pub applied_at: Option<Timestamp>,
    /// Set when the person dismissed the insight; the pattern engine never revives it.
    pub dismissed_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    pub id: String,
    pub life_area_id: Option<String>,
    pub event_id: Option<String>,
    pub insight_id: Option<String>,
    pub statement: String,
    pub intention: String,
    pub measurable: Option<String>,
    pub status: CommitmentStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    pub reviewed_at: Option<Timestamp>,
    /// When the person means to look at this commitment again (feeds "upcoming reviews").
    pub next_review_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Boundary {
    pub id: String,
    pub life_area_id: String,
    pub statement: String,
    pub reason: String,
    pub consequence: Option<String>,
    pub status: BoundaryStatus,
    pub last_violated_at: Option<Timestamp>,
    pub violation_count: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One logged crossing of a boundary; scores count these within a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoundaryViolation {
    pub id: String,
    pub boundary_id: String,
    pub occurred_at: Timestamp,
    pub note: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricSnapshot {
    pub id: String,
    pub life_area_id: String,
    /// The local calendar day the period ends on.
    pub date: NaiveDate,
    pub period: SnapshotPeriod,
    pub score: f64,
    pub status: AreaStatus,
    pub event_count: i64,
    pub upset_count: i64,
    pub breakthrough_count: i64,
    pub notes: Option<String>,
    pub created_at: Timestamp,
}

/// A chapter of a life, e.g. "University years" 1994-1999.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Era {
    pub id: String,
    pub name: String,
    pub start_year: i64,
    pub end_year: Option<i64>,
    pub description: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutobiographyEntry {
    pub id: String,
    pub era_id: String,
    pub year: i64,
    pub month: Option<i64>,
    pub title: String,
    pub narrative: String,
    pub event_ids: Vec<String>,
    pub life_area_ids: Vec<String>,
    pub is_public: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The response to creating an event (the seed's POST /events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventCreated {
    pub event: Event,
    pub updated_score: f64,
    pub suggested_insights: Vec<String>,
}

/// What a full-text search returns: where the text lives, and the matching passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// "event", "insight" or "autobiography".
    pub kind: String,
    pub id: String,
    pub title: String,
    /// The best matching passage, its matched terms marked.
    pub snippet: Snippet,
    /// Higher is a better match.
    pub score: f64,
    pub date: Option<Timestamp>,
}

/// A passage of an entry, in order, as parts that a search matched (`marked`) or did not. The
/// parts are the text itself: a front end draws a marked part as a highlight and never has to
/// look for markers inside text, so whatever a person wrote (brackets included) shows as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Snippet(pub Vec<SnippetPart>);

/// One run of a [`Snippet`]'s text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    /// Whether this run is a term the search matched.
    pub marked: bool,
}

impl Snippet {
    /// A passage with nothing marked (a hit found by meaning alone).
    pub fn plain(text: impl Into<String>) -> Self {
        let text = text.into();
        Snippet(if text.is_empty() { Vec::new() } else { vec![SnippetPart { text, marked: false }] })
    }

    /// Appends a run, joining it to the last one when both are marked or both are not.
    pub fn push(&mut self, text: &str, marked: bool) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.marked == marked => last.text.push_str(text),
            _ => self.0.push(SnippetPart { text: text.to_string(), marked }),
        }
    }

    /// The passage's text, marks dropped.
    pub fn text(&self) -> String {
        self.0.iter().map(|p| p.text.as_str()).collect()
    }

    /// The terms marked, in order.
    pub fn marked(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter(|p| p.marked).map(|p| p.text.as_str())
    }
}

/// An insight applied and the commitment it led to, made in one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightCommitted {
    pub insight: Insight,
    pub commitment: Commitment,
}

/// A boundary as it is after a violation was logged, and the violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViolationLogged {
    pub boundary: Boundary,
    pub violation: BoundaryViolation,
}
