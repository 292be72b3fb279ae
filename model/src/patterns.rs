//! What a run of the pattern engine did, as the CLI and the desktop show it.

use serde::{Deserialize, Serialize};

use crate::Insight;

/// What one run of the engine did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetectReport {
    pub events_considered: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Patterns found again that the person had dismissed (left dismissed).
    pub dismissed: usize,
    /// The engine's insights it no longer finds in the weeks it looked at (removed).
    #[serde(default)]
    pub retired: usize,
    /// The insights created or updated by this run.
    pub insights: Vec<Insight>,
    /// How recurring situations were looked for.
    pub engine: PatternEngine,
    /// A sentence for the person when recurring situations were not found by meaning, saying why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// How a detection run looked for recurring situations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatternEngine {
    /// By meaning: the language model's sentence vectors.
    Meaning,
    /// By shared keywords: this device has no language model.
    #[default]
    Keywords,
    /// Not yet: the model has not read enough of these weeks. Recurring situations wait for it,
    /// and the run after the reading looks again.
    Reading,
}
