//! The pattern engine: offline, deterministic, explainable. [`cluster`] groups similar events;
//! [`signals`] finds cross-area, weekday, time-of-day and trend patterns; `suggest` is the cheap
//! check run on each new event; `detect` turns findings into PATTERN_RECOGNIZED insights that are
//! updated, never duplicated, and never revived once dismissed.

pub mod cluster;
mod detect;
pub mod quality;
pub mod signals;
pub mod situations;
mod suggest;

pub use detect::{DetectReport, DEFAULT_WINDOW_DAYS};
pub(crate) use suggest::suggest_for;
