//! Commitments: what you promised yourself, their status and when to review them.

use wisdom_model::commands::ListCommitments;
use wisdom_model::{CommitmentFilter, CommitmentStatus};
use yew::prelude::*;

use crate::sections::commitment::{CommitmentCard, CommitmentForm};
use crate::store::{use_load, Load};

#[function_component]
pub fn CommitmentsPage() -> Html {
    let status = use_state(|| "ACTIVE".to_string());
    let list = use_load(ListCommitments {
        filter: CommitmentFilter { status: status.parse::<CommitmentStatus>().ok(), ..Default::default() },
    });
    let tabs = [
        ("ACTIVE", "Active"),
        ("PAUSED", "Paused"),
        ("COMPLETED", "Completed"),
        ("INTEGRATED", "Integrated"),
        ("ABANDONED", "Abandoned"),
        ("", "All"),
    ];
    html! {
        <div class="page commitments" id="page-commitments">
            <header class="page-head">
                <div><h1>{ "Commitments" }</h1><p class="muted">{ "What you have promised yourself, and when you will look again." }</p></div>
            </header>
            <div class="tabs" role="tablist" aria-label="Filter by status">
                { for tabs.iter().map(|(value, label)| {
                    let s = status.clone();
                    let v = value.to_string();
                    html! { <button role="tab" aria-selected={(*status == *value).to_string()}
                        class={classes!("tab", (*status == *value).then_some("active"))}
                        onclick={Callback::from(move |_: MouseEvent| s.set(v.clone()))}>{ *label }</button> }
                }) }
            </div>
            <div class="two-col">
                <section aria-label="Commitments" class="stack">
                    { match &*list {
                        Load::Ready(l) if l.is_empty() => html! { <p class="empty card">{ "Nothing here yet." }</p> },
                        Load::Ready(l) => html! { <>{ for l.iter().map(|c| html! { <CommitmentCard key={c.id.clone()} commitment={c.clone()} /> }) }</> },
                        Load::Failed(m) => html! { <p class="field-error">{ m }</p> },
                        Load::Loading => html! { <p class="muted">{ "Loading…" }</p> },
                    } }
                </section>
                <aside class="card sticky"><h2>{ "New commitment" }</h2><CommitmentForm /></aside>
            </div>
        </div>
    }
}
