//! Parts of pages that more than one page (or the app's frame) shows, or that a page holds as a
//! section of its own: the commitment card and form, the event form, the language model's reading
//! progress, and the Settings page's sections (sync, daily practice, prompts, templates, an import's preview, backups, the journal check),
//! and the recovery key (the unlock screen's "Forgot passphrase?" and Settings > Security).

pub mod backups;
pub mod check;
pub mod commitment;
pub mod event_form;
pub mod import;
pub mod import_preview;
pub mod meaning;
pub mod practice;
pub mod prompts;
pub mod recovery;
pub mod sync;
pub mod templates;
