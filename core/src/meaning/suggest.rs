//! What a new entry most likely is, from the person's own entries that mean the most similar
//! things: their area, type and tone, weighted by how close each one is. Used by quick capture
//! and by importers for entries that arrive without an area.

use std::collections::BTreeMap;

use wisdom_model::{EntrySuggestion, EventTone, EventType};

use super::language_model;
use crate::error::Result;
use crate::workspace::Workspace;

/// Entries a suggestion looks at.
const NEIGHBOURS: usize = 15;
/// Fewer read entries than this, and there is nothing to learn from yet.
const MIN_READ: usize = 5;

impl Workspace {
    /// The likely area, type and tone of an entry with this text, or None when the journal has
    /// too few read entries to tell (or the text is empty). Needs the language model.
    pub fn suggest_for_text(&self, text: &str) -> Result<Option<EntrySuggestion>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let model = language_model()?;
        let q = model.embed(&[text]).remove(0);
        let mut index = self.vectors.borrow_mut();
        index.refresh(&self.conn)?;
        let near: Vec<(usize, f32)> = index
            .nearest(&q, NEIGHBOURS * 3)
            .into_iter()
            .filter(|&(p, _)| index.kind(p).name == "event")
            .take(NEIGHBOURS)
            .collect();
        if near.len() < MIN_READ {
            return Ok(None);
        }
        let mut areas: BTreeMap<String, f64> = BTreeMap::new();
        let mut kinds: BTreeMap<String, f64> = BTreeMap::new();
        let mut tones: BTreeMap<String, f64> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached("SELECT life_area_id, type, tone FROM events WHERE rid = ?1")?;
        for &(p, cos) in &near {
            let (area, kind, tone): (String, String, String) =
                stmt.query_row([index.keys[p].1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            // Closer entries count for more; far ones hardly at all.
            let w = (cos.max(0.0) as f64).powi(3);
            *areas.entry(area).or_default() += w;
            *kinds.entry(kind).or_default() += w;
            *tones.entry(tone).or_default() += w;
        }
        let best = |m: &BTreeMap<String, f64>| {
            m.iter().max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, v)| (k.clone(), *v))
        };
        let total: f64 = areas.values().sum();
        let (Some((area, weight)), Some((kind, _)), Some((tone, _))) = (best(&areas), best(&kinds), best(&tones))
        else {
            return Ok(None);
        };
        Ok(Some(EntrySuggestion {
            life_area_id: area,
            kind: kind.parse::<EventType>().unwrap_or(EventType::Progress),
            tone: tone.parse::<EventTone>().unwrap_or(EventTone::Neutral),
            confidence: if total > 0.0 { weight / total } else { 0.0 },
            based_on: near.len(),
        }))
    }
}
