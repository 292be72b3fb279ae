//! What the front ends show of the language model's work: how much of the journal it has read,
//! and what it suggests for a new entry.

use serde::{Deserialize, Serialize};

use crate::{EventTone, EventType};

/// How far the language model has read the journal (for recurring situations and search by meaning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeaningStatus {
    /// Whether this device has the language model installed.
    pub model_available: bool,
    /// Entries (events, insights, autobiography entries) read so far, and in all.
    pub embedded: u64,
    pub total: u64,
}

impl MeaningStatus {
    pub fn is_complete(&self) -> bool {
        self.embedded >= self.total
    }
}

/// The desktop's reader (the thread that lets the model read new entries): how far the journal is
/// read, and whether it is reading right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeaningActivity {
    #[serde(flatten)]
    pub status: MeaningStatus,
    pub reading: bool,
}

/// The area, type and tone a new entry most likely has, from the entries it resembles most.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntrySuggestion {
    pub life_area_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub tone: EventTone,
    /// 0..1: the share of the similar entries that agree on the area.
    pub confidence: f64,
    /// How many earlier entries the suggestion rests on.
    pub based_on: usize,
}
