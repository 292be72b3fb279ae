//! Meaning: each entry's text as a sentence vector (all-MiniLM-L6-v2 through `wisdom_embed`),
//! stored in the workspace and used by the pattern engine's recurring situations and by search by
//! meaning.
//!
//! Vectors are derived data. They are computed off the write path, by [`Workspace::embed_backlog`]
//! (the CLI, with a progress bar) or [`embed_in_steps`] (the desktop's worker thread, holding the
//! workspace only to read texts and to store vectors), newest entries first, so the recent pattern
//! window is ready long before an imported decade is. They never travel through sync: each device
//! computes its own. The model is loaded once per process and only when needed; where it is
//! missing the journal works as before (keyword patterns, keyword search) and says so.

mod backfill;
mod search;
mod store;
mod suggest;

use std::sync::{Arc, OnceLock};

pub use backfill::embed_in_steps;
pub(crate) use store::{event_vectors_between, VectorIndex};
pub use wisdom_embed::{Model, DIM, MODEL_NAME};

use crate::error::{Error, Result};

static MODEL: OnceLock<std::result::Result<Arc<Model>, String>> = OnceLock::new();

/// The language model, loaded on first use (about 0.1 s and 90 MB) and shared for the life of the
/// process. Fails, every time and cheaply, when its files are not installed.
pub fn language_model() -> Result<Arc<Model>> {
    MODEL
        .get_or_init(|| {
            let started = std::time::Instant::now();
            let loaded = wisdom_embed::locate().and_then(|dir| Model::load(&dir)).map(Arc::new);
            match &loaded {
                Ok(_) => tracing::info!(ms = started.elapsed().as_millis() as u64, "language model loaded"),
                Err(e) => tracing::info!(error = %e, "language model unavailable; keyword patterns and search only"),
            }
            loaded.map_err(|e| e.to_string())
        })
        .clone()
        .map_err(Error::ModelUnavailable)
}

/// Whether the model is (or can be) loaded, without loading it: its files are found, or it is
/// already in memory. Cheap enough for a status line.
pub fn language_model_installed() -> bool {
    MODEL.get().map_or_else(|| wisdom_embed::locate().is_ok(), |m| m.is_ok())
}

/// A unit vector as stored: scaled so its largest component is ±127, rounded to bytes.
pub fn quantise(v: &[f32]) -> Vec<u8> {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-12);
    v.iter().map(|x| ((x / max * 127.0).round() as i8) as u8).collect()
}

/// A stored vector back to unit length.
pub fn dequantise(bytes: &[u8]) -> Vec<f32> {
    let mut v: Vec<f32> = bytes.iter().map(|&b| b as i8 as f32).collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// The text a vector stands for: the title, and the body's opening when there is one (the model
/// reads at most 128 word pieces anyway).
pub fn text_of(title: &str, body: &str) -> String {
    let title = title.trim();
    let body = body.trim();
    if body.is_empty() || body == title {
        return title.to_string();
    }
    let cut = body.char_indices().nth(600).map_or(body.len(), |(i, _)| i);
    let sep = if title.ends_with(['.', '!', '?']) { " " } else { ". " };
    format!("{title}{sep}{}", &body[..cut])
}

impl crate::workspace::Workspace {
    /// True the first time a front end asks about `notice` in this journal: for a message (such
    /// as "no language model on this device") that should be said once, not on every command.
    pub fn first_notice(&mut self, notice: &str) -> Result<bool> {
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, '1')",
            [format!("notice_shown:{notice}")],
        )?;
        Ok(added == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantised_vectors_keep_their_cosines() {
        let a: Vec<f32> = (0..DIM).map(|i| ((i * 7919) % 101) as f32 - 50.0).collect();
        let b: Vec<f32> = (0..DIM).map(|i| ((i * 104_729) % 97) as f32 - 48.0).collect();
        let unit = |v: &[f32]| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let (a, b) = (unit(&a), unit(&b));
        let cos = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
        let (qa, qb) = (dequantise(&quantise(&a)), dequantise(&quantise(&b)));
        assert!((cos(&a, &b) - cos(&qa, &qb)).abs() < 0.01, "{} vs {}", cos(&a, &b), cos(&qa, &qb));
        assert!(cos(&a, &qa) > 0.999);
    }

    #[test]
    fn text_joins_title_and_body_once() {
        assert_eq!(text_of(" Rough day ", ""), "Rough day");
        assert_eq!(text_of("Rough day", "Boss yelled again"), "Rough day. Boss yelled again");
        assert_eq!(text_of("Rough day!", "Boss yelled again"), "Rough day! Boss yelled again");
        assert_eq!(text_of("Same", "Same"), "Same");
    }
}
