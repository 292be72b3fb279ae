//! The seed's GET /life-areas, GET /dashboard and GET /insights response shapes.

use serde::{Deserialize, Serialize};

use crate::entities::{Insight, LifeArea, Timestamp};
use crate::enums::{AreaStatus, EventType};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifeAreas {
    pub life_areas: Vec<LifeArea>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Insights {
    pub insights: Vec<Insight>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    pub flourishing: u32,
    pub thriving: u32,
    pub balanced: u32,
    pub struggling: u32,
    pub crisis: u32,
}

impl Distribution {
    pub fn count(&mut self, status: AreaStatus) {
        match status {
            AreaStatus::Flourishing => self.flourishing += 1,
            AreaStatus::Thriving => self.thriving += 1,
            AreaStatus::Balanced => self.balanced += 1,
            AreaStatus::Struggling => self.struggling += 1,
            AreaStatus::Crisis => self.crisis += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaScore {
    pub slug: String,
    pub name: String,
    pub score: f64,
    pub status: AreaStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentActivity {
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub life_area: String,
    pub occurred_at: Timestamp,
    pub emotional_charge: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpcomingReview {
    pub commitment_id: String,
    pub statement: String,
    pub life_area: Option<String>,
    pub next_review_at: Timestamp,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Mean score of the active areas, one decimal.
    pub overall_score: f64,
    pub distribution: Distribution,
    /// The five highest-scoring areas.
    pub top_areas: Vec<AreaScore>,
    /// Areas STRUGGLING or in CRISIS, lowest first.
    pub needs_attention: Vec<AreaScore>,
    /// The ten most recent events.
    pub recent_activity: Vec<RecentActivity>,
    pub active_commitments: u32,
    /// Active commitments whose review is due within 14 days or overdue, soonest first.
    pub upcoming_reviews: Vec<UpcomingReview>,
}

/// An area's score and how it came about, factor by factor ("why this score"). Computed by the
/// score engine in core; shown by every front end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreBreakdown {
    pub momentum: f64,
    pub commitments: f64,
    pub boundaries: f64,
    pub upsets: f64,
    pub breakthroughs: f64,
    pub score: f64,
    pub status: AreaStatus,
}
