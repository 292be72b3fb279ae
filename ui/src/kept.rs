//! The sidebar's pages are built once and kept while the journal is unlocked.
//!
//! Building a page's DOM again on every visit costs more than time: WebKitGTK keeps part of every
//! subtree the page builds and throws away (about 100-175 KB per visit of Settings, and the same
//! for static HTML parsed with none of our code involved), so switching pages for three minutes
//! grew the web process by 76 MiB (tests/e2e/bench_desktop.py, BENCH_SOAK_MINUTES). The same
//! subtree detached and attached again keeps nothing.
//!
//! So each kept page lives in an element of its own, outside the document, that Yew renders into
//! (a portal); a visit attaches that element to the main area and detaches the one shown before.
//! Only the page shown is in the document, so element ids stay unique. A kept page fetches its
//! data again on every visit and after every write while shown ([`Freshness`], read by
//! `store::use_load`), as a page built anew would; while hidden it fetches nothing. Where the
//! data did not change, its DOM is left as it is. Locking drops every kept page with the shell.

use yew::prelude::*;

use crate::store::Page;

/// A page kept between visits: the sidebar's pages (a life area's page is built per visit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Today,
    Dashboard,
    Events,
    Insights,
    Commitments,
    Autobiography,
    Year,
    Settings,
}

impl Slot {
    pub fn of(page: &Page) -> Option<Slot> {
        Some(match page {
            Page::Today => Slot::Today,
            Page::Dashboard => Slot::Dashboard,
            Page::Events => Slot::Events,
            Page::Insights => Slot::Insights,
            Page::Commitments => Slot::Commitments,
            Page::Autobiography => Slot::Autobiography,
            Page::Year(_) => Slot::Year,
            Page::Settings => Slot::Settings,
            Page::Area(_) => return None,
        })
    }
}

/// What a kept page's loads are keyed on: the journal's version and the visit, both as they were
/// when the page was last shown (frozen while it is hidden).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Freshness {
    pub version: u32,
    pub visit: u32,
}

/// Runs `forget` each time the kept page it is on is shown again (and once when built): for what
/// must not wait, hidden, for the next visit, such as a passphrase typed and left or a recovery
/// key on screen. The fields are emptied, not rebuilt (rebuilding is what WebKit keeps memory of).
#[hook]
pub fn use_forget_on_visit(forget: impl FnOnce() + 'static) {
    let visit = use_context::<Freshness>().map_or(0, |f| f.visit);
    use_effect_with(visit, move |_| forget());
}

/// Empties a text field's state (without a render when it is empty already).
pub fn clear(field: &UseStateHandle<String>) {
    if !field.is_empty() {
        field.set(String::new());
    }
}

/// The kept pages' elements and what each was last shown with, held by the shell.
#[derive(Default)]
pub struct KeptPages {
    /// In the order first shown: each page, its element, and what it was last shown with.
    pages: Vec<(Slot, web_sys::Element, Freshness)>,
}

impl KeptPages {
    /// Notes that `slot` is shown at `now`, making its element on the first visit.
    pub fn show(&mut self, slot: Slot, now: Freshness) {
        match self.pages.iter_mut().find(|(s, ..)| *s == slot) {
            Some((.., shown)) => *shown = now,
            None => {
                let document = web_sys::window().and_then(|w| w.document()).expect("a document");
                let host = document.create_element("div").expect("a div");
                host.set_class_name("kept-page");
                self.pages.push((slot, host, now));
            }
        }
    }

    pub fn host(&self, slot: Slot) -> Option<web_sys::Element> {
        self.pages.iter().find(|(s, ..)| *s == slot).map(|(_, h, _)| h.clone())
    }

    /// Each kept page rendered into its own element with what it was last shown with.
    pub fn render(&self, page: impl Fn(Slot) -> Html) -> Html {
        self.pages
            .iter()
            .map(|(slot, host, fresh)| {
                html! {
                    <ContextProvider<Freshness> key={format!("{slot:?}")} context={*fresh}>
                        { create_portal(page(*slot), host.clone()) }
                    </ContextProvider<Freshness>>
                }
            })
            .collect()
    }
}

/// Puts `host` (or nothing) into `container`, taking out what was there.
pub fn attach(container: &web_sys::Element, host: Option<&web_sys::Element>) {
    if let (Some(h), Some(first)) = (host, container.first_element_child()) {
        if &first == h && container.child_element_count() == 1 {
            return;
        }
    }
    container.set_text_content(None);
    if let Some(h) = host {
        let _ = container.append_child(h);
    }
}
