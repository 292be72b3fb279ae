//! What checking a journal file found (`wisdom check`, Settings > Check journal).

use serde::{Deserialize, Serialize};

/// Every check, in the order run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub checks: Vec<CheckResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// Short and stable: `cipher`, `structure`, `foreignKeys`, `searchIndex`.
    pub name: String,
    /// What was checked, in words.
    pub label: String,
    /// What is wrong; empty when the check passed.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.problems.is_empty())
    }

    pub fn problem_count(&self) -> usize {
        self.checks.iter().map(|c| c.problems.len()).sum()
    }
}
