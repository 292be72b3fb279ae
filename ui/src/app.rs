//! The app frame: the store, the lock/unlock gate, the sidebar, keyboard shortcuts (Ctrl+N quick
//! capture, Esc closes dialogs) and the idle auto-lock.

use gloo_timers::callback::Interval;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::Dialog;
use crate::kept::{Freshness, KeptPages, Slot};
use crate::pages;
use crate::store::{go_locked, use_store, Action, Page, Session, Store, StoreHandle, Theme, WorkspaceInfo};
use wisdom_model::commands::{CurrentWorkspace, LockWorkspace, RunDueJobs};

fn stored_theme() -> Theme {
    let saved = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("wisdom.theme").ok().flatten());
    match saved.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|m| m.matches())
                .unwrap_or(false);
            if dark {
                Theme::Dark
            } else {
                Theme::Light
            }
        }
    }
}

#[function_component]
pub fn App() -> Html {
    let store = use_reducer(Store::default);
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            store.dispatch(Action::SetTheme(stored_theme()));
            let store = store.clone();
            spawn_local(async move {
                match api::invoke(&CurrentWorkspace {}).await {
                    Ok(Some(info)) => store.dispatch(Action::Unlocked(info)),
                    _ => go_locked(&store),
                }
            });
        });
    }
    {
        // Files dropped on an entry are attached to it; a file dropped anywhere else is an import
        // to make (Settings > Export and import).
        let store = store.clone();
        use_effect_with((), move |_| {
            let _ = api::on_file_drop(move |drop| match drop.position.and_then(crate::dom::entry_under) {
                Some(entry) => crate::files::attach_dropped(&store, entry, drop.paths),
                None => {
                    let with = drop.paths.len().saturating_sub(1);
                    if let Some(path) = drop.paths.into_iter().next() {
                        store.dispatch(Action::FileDropped { path, with });
                    }
                }
            });
        });
    }
    {
        let theme = store.theme;
        use_effect_with(theme, move |theme| {
            if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = root.set_attribute("data-theme", theme.as_str());
            }
            if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = s.set_item("wisdom.theme", theme.as_str());
            }
        });
    }
    html! {
        <ContextProvider<StoreHandle> context={store.clone()}>
            { match &store.session {
                Session::Starting => html! { <div class="splash" aria-busy="true"><div class="emblem big"></div></div> },
                Session::Locked { workspaces, creating } => html! {
                    <pages::onboarding::Gate workspaces={workspaces.clone()} creating={*creating} />
                },
                Session::Unlocked(info) => html! { <Shell info={info.clone()} /> },
            } }
        </ContextProvider<StoreHandle>>
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    info: WorkspaceInfo,
}

const NAV: [(Page, &str, &str); 8] = [
    (Page::Today, "Today", "☀"),
    (Page::Dashboard, "Dashboard", "◎"),
    (Page::Events, "Events", "✎"),
    (Page::Insights, "Insights", "✦"),
    (Page::Commitments, "Commitments", "✓"),
    (Page::Autobiography, "Autobiography", "❧"),
    (Page::Year(None), "Year", "▦"),
    (Page::Settings, "Settings", "⚙"),
];

pub fn lock(store: &StoreHandle) {
    let store = store.clone();
    spawn_local(async move {
        let _ = api::invoke(&LockWorkspace {}).await;
        go_locked(&store);
    });
}

#[hook]
fn use_shortcuts(store: StoreHandle) {
    use_effect_with(store.capture_open, move |_| {
        let s = store.clone();
        let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let key = e.key();
            // (Esc is handled by each open dialog.)
            if (e.ctrl_key() || e.meta_key()) && (key == "n" || key == "N") {
                e.prevent_default();
                s.dispatch(Action::Capture(true));
            } else if (e.ctrl_key() || e.meta_key()) && (key == "l" || key == "L") {
                e.prevent_default();
                lock(&s);
            }
        });
        let window = web_sys::window().expect("window");
        let _ = window.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        move || {
            let _ = window.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
    });
}

/// Locks the journal after `minutes` without a key press, click or pointer move.
#[hook]
fn use_idle_lock(store: StoreHandle) {
    let minutes = store.auto_lock_minutes;
    use_effect_with(minutes, move |minutes| {
        let minutes = *minutes;
        let last = std::rc::Rc::new(std::cell::Cell::new(js_sys::Date::now()));
        let touch = {
            let last = last.clone();
            Closure::<dyn Fn()>::new(move || last.set(js_sys::Date::now()))
        };
        let window = web_sys::window().expect("window");
        for ev in ["keydown", "mousedown", "mousemove", "wheel"] {
            let _ = window.add_event_listener_with_callback(ev, touch.as_ref().unchecked_ref());
        }
        let timer = Interval::new(5_000, move || {
            if minutes > 0 && js_sys::Date::now() - last.get() > minutes as f64 * 60_000.0 {
                lock(&store);
            }
        });
        move || {
            drop(timer);
            for ev in ["keydown", "mousedown", "mousemove", "wheel"] {
                let _ = window.remove_event_listener_with_callback(ev, touch.as_ref().unchecked_ref());
            }
        }
    });
}

/// Once per unlock, after the dashboard shows: missed snapshots and the daily pattern run. They hold
/// the journal while they run, so they wait until the first page has had its data.
#[hook]
fn use_due_jobs(store: StoreHandle, workspace: String) {
    use_effect_with(workspace, move |_| {
        let timer = gloo_timers::callback::Timeout::new(2_500, move || {
            spawn_local(async move {
                if let Ok(report) = api::invoke(&RunDueJobs {}).await {
                    let created = report.patterns.map_or(0, |p| p.created);
                    let snaps = report.snapshots.map_or(0, |s| s.created);
                    if created + snaps > 0 {
                        store.dispatch(Action::Changed);
                    }
                    if created > 0 {
                        store.dispatch(Action::Notify(format!(
                            "{created} new patterns found in your journal. See Insights."
                        )));
                    }
                }
            })
        });
        move || drop(timer)
    });
}

#[function_component]
fn Shell(p: &ShellProps) -> Html {
    let store = use_store();
    use_due_jobs(store.clone(), p.info.id.clone());
    use_shortcuts(store.clone());
    use_idle_lock(store.clone());
    let page = store.page.clone();
    let slot = Slot::of(&page);
    // The year's day stays with the kept Year page while another page shows.
    let year_day = use_mut_ref(|| None);
    if let Page::Year(day) = &page {
        *year_day.borrow_mut() = *day;
    }
    let kept = use_mut_ref(KeptPages::default);
    if let Some(slot) = slot {
        kept.borrow_mut().show(slot, Freshness { version: store.version, visit: store.visits });
    }
    let year_day = *year_day.borrow();
    let kept_pages = kept.borrow().render(|slot| match slot {
        Slot::Today => html! { <pages::today::TodayPage /> },
        Slot::Year => html! { <pages::year::YearPage key={format!("{year_day:?}")} day={year_day} /> },
        Slot::Dashboard => html! { <pages::dashboard::DashboardPage /> },
        Slot::Events => html! { <pages::events::EventsPage /> },
        Slot::Insights => html! { <pages::insights::InsightsPage /> },
        Slot::Commitments => html! { <pages::commitments::CommitmentsPage /> },
        Slot::Autobiography => html! { <pages::autobiography::AutobiographyPage /> },
        Slot::Settings => html! { <pages::settings::SettingsPage /> },
    });
    let body = match &page {
        Page::Area(slug) => html! { <pages::area::AreaPage slug={slug.clone()} /> },
        _ => html! {},
    };
    let host_slot = use_node_ref();
    {
        // A page shown starts at its top, as one built anew did.
        let (host_slot, kept) = (host_slot.clone(), kept.clone());
        use_effect_with(page.clone(), move |_| {
            if let Some(container) = host_slot.cast::<web_sys::Element>() {
                crate::kept::attach(&container, slot.and_then(|s| kept.borrow().host(s)).as_ref());
                if let Some(main) = container.parent_element() {
                    main.set_scroll_top(0);
                }
            }
        });
    }
    let capture = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::Capture(true)))
    };
    let close_capture = {
        let s = store.clone();
        Callback::from(move |_| s.dispatch(Action::Capture(false)))
    };
    let on_lock = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| lock(&s))
    };
    let theme_toggle = {
        let s = store.clone();
        Callback::from(move |_: MouseEvent| {
            s.dispatch(Action::SetTheme(if s.theme == Theme::Dark { Theme::Light } else { Theme::Dark }))
        })
    };
    html! {
        <div class="shell">
            <nav class="sidebar" aria-label="Main">
                <div class="brand"><div class="emblem" aria-hidden="true"></div>
                    <div><strong>{ "WisdomOS" }</strong><span class="ws-name" title={p.info.path.clone()}>{ &p.info.name }</span></div>
                </div>
                <button class="primary capture-btn" onclick={capture} aria-keyshortcuts="Control+N">
                    { "+ New event" }<kbd>{ "Ctrl N" }</kbd>
                </button>
                <ul>
                { for NAV.iter().map(|(target, label, icon)| {
                    let active = match (&page, target) {
                        (Page::Area(_), Page::Dashboard) | (Page::Year(_), Page::Year(_)) => true,
                        (a, b) => a == b,
                    };
                    let s = store.clone();
                    let t = target.clone();
                    html! { <li><button class={classes!("nav-item", active.then_some("active"))}
                        id={format!("nav-{}", label.to_lowercase())}
                        aria-current={active.then_some("page")}
                        onclick={Callback::from(move |_: MouseEvent| s.dispatch(Action::Navigate(t.clone())))}>
                        <span class="nav-icon" aria-hidden="true">{ *icon }</span>{ *label }</button></li> }
                }) }
                </ul>
                <div class="sidebar-foot">
                    <crate::sections::sync::SyncBadge />
                    <button class="ghost" onclick={theme_toggle} aria-label="Switch between light and dark theme">
                        { if store.theme == Theme::Dark { "☀ Light theme" } else { "☾ Dark theme" } }
                    </button>
                    <button class="ghost" id="lock-btn" onclick={on_lock} aria-keyshortcuts="Control+L">{ "⊘ Lock" }</button>
                </div>
            </nav>
            <main class="content" id="main" data-page={page.title()}>
                <div class="kept-pages" ref={host_slot}></div>
                { body }
            </main>
            { kept_pages }
            if let Some(n) = &store.notice {
                <Toast text={n.text.clone()} error={n.error} />
            }
            if store.capture_open {
                <Dialog title="New event" on_close={close_capture.clone()}>
                    <crate::sections::event_form::EventForm on_done={close_capture} />
                </Dialog>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ToastProps {
    text: String,
    error: bool,
}

#[function_component]
fn Toast(p: &ToastProps) -> Html {
    let store = use_store();
    {
        let store = store.clone();
        use_effect_with(p.text.clone(), move |_| {
            let t = gloo_timers::callback::Timeout::new(4_000, move || store.dispatch(Action::ClearNotice));
            move || drop(t)
        });
    }
    let close = Callback::from(move |_: MouseEvent| store.dispatch(Action::ClearNotice));
    html! {
        <div class={classes!("toast", p.error.then_some("error"))} role={if p.error { "alert" } else { "status" }}>
            <span>{ &p.text }</span>
            <button class="icon-btn" aria-label="Dismiss message" onclick={close}>{ "×" }</button>
        </div>
    }
}
