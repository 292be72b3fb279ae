//! One module per page. Each page fetches what it shows through `use_load` and writes through
//! `store::write`; none holds state another page needs.

pub mod area;
pub mod autobiography;
pub mod backups;
pub mod commitments;
pub mod dashboard;
pub mod events;
pub mod insights;
pub mod meaning;
pub mod onboarding;
pub mod practice;
pub mod prompts;
pub mod settings;
pub mod sync;
pub mod templates;
pub mod today;
