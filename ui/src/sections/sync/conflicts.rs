//! The open sync conflicts, each with its three choices (keep current, restore, keep both).

use wisdom_model::commands::ResolveConflict;
use wisdom_model::sync::Conflict;
use wisdom_model::Resolution;
use yew::prelude::*;

use crate::api::ShellError;
use crate::format::day_time;
use crate::store::{use_store, write, Action};

#[derive(Properties, PartialEq)]
pub(super) struct ConflictListProps {
    pub conflicts: Vec<Conflict>,
}

/// Each open conflict with its three choices. A choice is a write: it syncs to the other devices,
/// and the list (and every page) reloads.
#[function_component]
pub(super) fn ConflictList(p: &ConflictListProps) -> Html {
    let store = use_store();
    let busy = use_state(|| None::<String>);
    let choose = |c: &Conflict, how: Resolution, done: String| {
        let (store, busy, id) = (store.clone(), busy.clone(), c.id.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(Some(id.clone()));
            let (s1, s2, b1, b2, done) = (store.clone(), store.clone(), busy.clone(), busy.clone(), done.clone());
            write(
                &store,
                ResolveConflict { id: id.clone(), how },
                move |_| {
                    b1.set(None);
                    s1.dispatch(Action::Notify(done));
                },
                move |e: ShellError| {
                    b2.set(None);
                    s2.dispatch(Action::Fail(e.message));
                },
            );
        })
    };
    html! {
        <ul class="conflict-list" id="sync-conflicts">
            { for p.conflicts.iter().map(|c| {
                let kind = crate::format::title_case(&c.entity.replace('_', " "));
                let waiting = busy.as_deref() == Some(c.id.as_str());
                let keep = choose(c, Resolution::KeepCurrent, format!("Kept the current {}.", c.entity.replace('_', " ")));
                let restore = choose(c, Resolution::Restore, format!("Restored “{}”.", c.title));
                let both = choose(c, Resolution::KeepBoth, format!("Kept both: “{}” is now a separate entry.", c.title));
                // What core cannot keep twice: the journal's name, a life area, a template (names are unique), a prompt or a setting.
                let can_copy = !matches!(c.entity.as_str(), "workspace" | "life_area" | "template" | "prompt" | "preference");
                html! {
                    <li class="conflict" id={format!("conflict-{}", c.id)} data-conflict={c.id.clone()} data-row={c.row_id.clone()}>
                        <div><span class="chip">{ kind }</span>
                            <strong>{ format!(" {}", c.title) }</strong>
                            <span class="muted fine">{ format!(" · {}", day_time(&c.recorded_at)) }</span></div>
                        <p class="muted fine">{ format!("{}. The version that lost:", crate::format::title_case(&c.reason)) }</p>
                        if let Some(text) = c.text.as_ref().filter(|t| !t.is_empty()) { <blockquote class="quote">{ text }</blockquote> }
                        <div class="row wrap" role="group" aria-label={format!("Resolve the conflict about {}", c.title)}>
                            <button class="ghost small conflict-keep" id={format!("conflict-keep-{}", c.id)} disabled={waiting} onclick={keep}
                                    title="The version in force stays; this one is set aside.">{ "Keep current" }</button>
                            <button class="ghost small conflict-restore" id={format!("conflict-restore-{}", c.id)} disabled={waiting} onclick={restore}
                                    title="This version becomes the current one again, on every device.">{ "Restore this version" }</button>
                            if can_copy {
                                <button class="ghost small conflict-both" id={format!("conflict-both-{}", c.id)} disabled={waiting} onclick={both}
                                        title="This version is kept as a separate entry beside the current one.">{ "Keep both" }</button>
                            }
                        </div>
                    </li>
                }
            }) }
        </ul>
    }
}
