//! The pattern engine: offline, deterministic, explainable. [`cluster`] groups similar events;
//! [`signals`] finds cross-area, weekday, time-of-day and trend patterns; `suggest` is the cheap
//! check run on each new event; `detect` runs them over the journal and `keep` turns their findings into
//! PATTERN_RECOGNIZED insights that are updated, never duplicated, never revived once dismissed,
//! and retired once no longer found.

pub mod cluster;
mod detect;
mod keep;
pub mod quality;
pub mod signals;
pub mod situations;
mod suggest;

pub(crate) use detect::set_look_again;
pub use detect::DEFAULT_WINDOW_DAYS;
pub(crate) use suggest::suggest_for;
pub use wisdom_model::DetectReport;
