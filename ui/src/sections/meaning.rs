//! The language model in the window: whether search by meaning can be offered, and how far the
//! model has read the journal ("Reading your journal… 1,240 of 9,800" while the shell's reader
//! back-fills an import or a sync). The reading itself runs in the shell (src-tauri/src/reader.rs).

use wasm_bindgen_futures::spawn_local;
use wisdom_model::commands::GetMeaningStatus;
use wisdom_model::MeaningActivity;
use yew::prelude::*;

use crate::api;
use crate::store::{go_locked, use_store};

/// How often the reader's progress is asked for while entries wait to be read.
const POLL_MS: u32 = 1_500;

/// The reader's state: fetched on mount and after every write, and polled while the model has
/// entries left to read. `None` until the first reply.
#[hook]
pub fn use_meaning() -> Option<MeaningActivity> {
    let store = use_store();
    let activity = use_state(|| None::<MeaningActivity>);
    let tick = use_state(|| 0u32);
    let behind = activity.as_ref().is_some_and(|a| a.status.model_available && !a.status.is_complete());
    {
        let tick = tick.clone();
        use_effect_with(behind, move |behind| {
            let timer = behind.then(|| {
                let count = std::rc::Rc::new(std::cell::Cell::new(0u32));
                gloo_timers::callback::Interval::new(POLL_MS, move || {
                    count.set(count.get() + 1);
                    tick.set(count.get());
                })
            });
            move || drop(timer)
        });
    }
    {
        let activity = activity.clone();
        use_effect_with((*tick, store.version), move |_| {
            spawn_local(async move {
                match api::invoke(&GetMeaningStatus {}).await {
                    Ok(a) => activity.set(Some(a)),
                    Err(e) if e.is_locked() => go_locked(&store),
                    // The progress line is a courtesy: a failed poll leaves the last one showing.
                    Err(_) => {}
                }
            });
        });
    }
    (*activity).clone()
}

/// 9800 -> "9,800".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct ReadingProps {
    pub activity: Option<MeaningActivity>,
}

/// "Reading your journal… N of M" while the model reads; nothing otherwise.
#[function_component]
pub fn ReadingProgress(p: &ReadingProps) -> Html {
    match &p.activity {
        Some(a) if a.reading && !a.status.is_complete() => html! {
            <p class="reading muted" id="meaning-progress" role="status">
                <span class="reading-dot" aria-hidden="true"></span>
                { format!("Reading your journal… {} of {}", thousands(a.status.embedded), thousands(a.status.total)) }
            </p>
        },
        _ => html! {},
    }
}
