//! One module per page the sidebar (or the lock gate) shows. Each page fetches what it shows
//! through `use_load` and writes through `store::write`; none holds state another page needs,
//! and no page imports another: what two pages (or the frame) both show is in `crate::sections`.

pub mod area;
pub mod autobiography;
pub mod commitments;
pub mod dashboard;
pub mod events;
pub mod insights;
pub mod onboarding;
pub mod settings;
pub mod today;
pub mod year;

/// Gets the first page's data before it shows, so it is drawn whole (see `store::prefetch`).
pub async fn prepare_first_page() {
    dashboard::prefetch().await;
}
