//! The app's state, in one place: which journal is unlocked, which page is showing, the theme, the
//! open dialog and the last notice. Pages fetch their own data through [`use_load`], keyed on
//! `version`, which every successful write bumps so all views refresh together.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::{ListWorkspaces, Reply};
use yew::prelude::*;

use crate::api::{self, Command, ShellError};
pub use wisdom_model::{WorkspaceEntry, WorkspaceInfo};

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    Starting,
    /// No journal is unlocked. `creating` shows onboarding instead of the unlock form.
    Locked {
        workspaces: Vec<WorkspaceEntry>,
        creating: bool,
    },
    Unlocked(WorkspaceInfo),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Today,
    Dashboard,
    Area(String),
    Events,
    Insights,
    Commitments,
    Autobiography,
    /// The year in pixels, opened on a day (its month, its entries) or on this year.
    Year(Option<chrono::NaiveDate>),
    Settings,
}

impl Page {
    pub fn title(&self) -> &'static str {
        match self {
            Page::Today => "Today",
            Page::Year(_) => "Year",
            Page::Dashboard => "Dashboard",
            Page::Area(_) => "Life area",
            Page::Events => "Events",
            Page::Insights => "Insights",
            Page::Commitments => "Commitments",
            Page::Autobiography => "Autobiography",
            Page::Settings => "Settings",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    pub session: Session,
    pub page: Page,
    pub theme: Theme,
    pub notice: Option<Notice>,
    /// The quick-capture dialog (new event from any page).
    pub capture_open: bool,
    /// Minutes of inactivity before the journal locks itself.
    pub auto_lock_minutes: u32,
    pub version: u32,
    /// Counts the visits to pages (every navigation): a kept page fetches its data again on each
    /// (see `kept`).
    pub visits: u32,
    /// The last file dropped on the window to import, numbered so the same file dropped again is
    /// news too, and how many were dropped with it (one import at a time).
    pub dropped: Option<(u32, String, usize)>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            session: Session::Starting,
            page: Page::Dashboard,
            theme: Theme::Light,
            notice: None,
            capture_open: false,
            auto_lock_minutes: 10,
            version: 0,
            visits: 0,
            dropped: None,
        }
    }
}

pub enum Action {
    Locked(Vec<WorkspaceEntry>),
    StartCreating(bool),
    Unlocked(WorkspaceInfo),
    Navigate(Page),
    SetTheme(Theme),
    SetAutoLock(u32),
    Notify(String),
    Fail(String),
    ClearNotice,
    Capture(bool),
    /// Something was written: every view refetches.
    Changed,
    /// A file was dropped on the window: Settings > Export and import takes it (while unlocked).
    FileDropped {
        path: String,
        with: usize,
    },
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Locked(workspaces) => {
                let creating = workspaces.is_empty();
                s.session = Session::Locked { workspaces, creating };
                s.page = Page::Dashboard;
                s.capture_open = false;
            }
            Action::StartCreating(creating) => {
                if let Session::Locked { creating: c, .. } = &mut s.session {
                    *c = creating;
                }
            }
            Action::Unlocked(info) => {
                s.page = if info.opens_on_today() { Page::Today } else { Page::Dashboard };
                s.session = Session::Unlocked(info);
                s.version += 1;
            }
            Action::Navigate(page) => {
                s.page = page;
                s.visits += 1;
            }
            Action::SetTheme(theme) => s.theme = theme,
            Action::SetAutoLock(minutes) => s.auto_lock_minutes = minutes,
            Action::Notify(text) => s.notice = Some(Notice { text, error: false }),
            Action::Fail(text) => s.notice = Some(Notice { text, error: true }),
            Action::ClearNotice => s.notice = None,
            Action::Capture(open) => s.capture_open = open,
            Action::Changed => s.version += 1,
            Action::FileDropped { path, with } => {
                if matches!(s.session, Session::Unlocked(_)) {
                    s.page = Page::Settings;
                    s.visits += 1;
                    s.capture_open = false;
                    s.dropped = Some((s.dropped.as_ref().map_or(1, |d| d.0 + 1), path, with));
                }
            }
        }
        Rc::new(s)
    }
}

pub type StoreHandle = UseReducerHandle<Store>;

#[hook]
pub fn use_store() -> StoreHandle {
    use_context::<StoreHandle>().expect("the store is provided by App")
}

/// Loads the workspace list and shows the unlock (or onboarding) screen.
pub fn go_locked(store: &StoreHandle) {
    let store = store.clone();
    spawn_local(async move {
        let list = api::invoke(&ListWorkspaces {}).await;
        store.dispatch(Action::Locked(list.unwrap_or_default()));
    });
}

/// Runs a command that changes the journal; on success every view refreshes and `done` gets the
/// reply; on failure the error goes to `failed` (or, if the journal locked meanwhile, the unlock
/// screen shows).
pub fn write<C: Command + 'static>(
    store: &StoreHandle,
    args: C,
    done: impl FnOnce(Reply<C>) + 'static,
    failed: impl FnOnce(ShellError) + 'static,
) {
    let store = store.clone();
    spawn_local(async move {
        match api::invoke(&args).await {
            Ok(v) => {
                store.dispatch(Action::Changed);
                done(v);
            }
            Err(e) if e.is_locked() => go_locked(&store),
            Err(e) => failed(e),
        }
    });
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

thread_local! {
    /// Replies fetched ahead of the page that shows them (see [`prefetch`]), each used once.
    static PREFETCHED: std::cell::RefCell<Vec<(String, serde_json::Value)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn load_key<C: Command>(args: &C) -> String {
    format!("{} {}", C::NAME, serde_json::to_string(args).unwrap_or_default())
}

/// Starts a new round of [`prefetch`]: replies fetched ahead of an earlier page are dropped.
pub fn clear_prefetched() {
    PREFETCHED.with(|p| p.borrow_mut().clear());
}

/// Fetches, before a page mounts, what that page will ask [`use_load`] for, so the page's first
/// frame is drawn with its data (no "Loading" frame in between). Used on unlock for the dashboard.
pub async fn prefetch<C: Command>(args: &C) {
    if let Ok(reply) = api::invoke_as::<C, serde_json::Value>(args).await {
        PREFETCHED.with(|p| p.borrow_mut().push((load_key(args), reply)));
    }
}

fn take_prefetched<C: Command>(args: &C) -> Option<Reply<C>> {
    let key = load_key(args);
    PREFETCHED.with(|p| {
        let mut p = p.borrow_mut();
        let at = p.iter().position(|(k, _)| *k == key)?;
        serde_json::from_value(p.swap_remove(at).1).ok()
    })
}

/// Fetches `args`' reply when mounted, when `args` change and after every write. The previous
/// value stays on screen while a refetch runs, so nothing flickers. A reply [`prefetch`]ed for
/// this exact request is shown at once instead of the first fetch.
#[hook]
pub fn use_load<C>(args: C) -> UseStateHandle<Load<Reply<C>>>
where
    C: Command + 'static,
    Reply<C>: Clone + PartialEq + 'static,
{
    use_load_when(Some(args))
}

/// [`use_load`] that fetches nothing while `args` is `None` (e.g. a search with no words yet).
#[hook]
pub fn use_load_when<C>(args: Option<C>) -> UseStateHandle<Load<Reply<C>>>
where
    C: Command + 'static,
    Reply<C>: Clone + PartialEq + 'static,
{
    let store = use_store();
    let prefetched = use_mut_ref(|| false);
    let state = {
        let (prefetched, first) = (prefetched.clone(), args.as_ref().and_then(take_prefetched));
        use_state(move || match first {
            Some(v) => {
                *prefetched.borrow_mut() = true;
                Load::Ready(v)
            }
            None => Load::Loading,
        })
    };
    // On a kept page: the version and visit it was last shown with, so a hidden page fetches
    // nothing and a shown one fetches on every visit (see `kept`).
    let fresh =
        use_context::<crate::kept::Freshness>().unwrap_or(crate::kept::Freshness { version: store.version, visit: 0 });
    let key = (args.as_ref().map(load_key), fresh);
    {
        let state = state.clone();
        use_effect_with(key, move |_| {
            let Some(args) = args else { return };
            if std::mem::take(&mut *prefetched.borrow_mut()) {
                return;
            }
            spawn_local(async move {
                match api::invoke(&args).await {
                    Ok(v) => state.set(Load::Ready(v)),
                    Err(e) if e.is_locked() => go_locked(&store),
                    Err(e) => state.set(Load::Failed(e.message)),
                }
            });
        });
    }
    state
}
