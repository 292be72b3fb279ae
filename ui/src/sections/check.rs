//! Settings > Check journal: runs `wisdom check`'s checks on the open journal and says, in words,
//! what each found and what to do when something is wrong.

use wasm_bindgen_futures::spawn_local;
use wisdom_model::check::CheckReport;
use wisdom_model::commands::CheckJournal;
use yew::prelude::*;

use crate::api;

#[function_component]
pub fn CheckSection() -> Html {
    let report = use_state(|| None::<Result<CheckReport, String>>);
    let busy = use_state(|| false);
    let run = {
        let (report, busy) = (report.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (report, busy) = (report.clone(), busy.clone());
            spawn_local(async move {
                let answer = api::invoke(&CheckJournal {}).await.map_err(|e| e.message);
                report.set(Some(answer));
                busy.set(false);
            });
        })
    };
    html! {
        <div class="stack" id="check-journal">
            <p class="muted">{ "Reads every page of the journal and checks its encryption, its structure, the links between entries and the search index. Nothing is changed." }</p>
            { match &*report {
                None => html! {},
                Some(Err(m)) => html! { <p class="field-error">{ m }</p> },
                Some(Ok(r)) => html! {
                    <>
                        <p id="check-verdict" class={if r.ok() { "ok-note" } else { "field-error" }}>
                            { if r.ok() {
                                "All checks passed: the journal is whole.".to_string()
                            } else {
                                format!("{} problem(s) found. Restore the newest backup taken before they began (Backups, above), or keep this file aside and ask for help.", r.problem_count())
                            } }
                        </p>
                        <ul class="check-list">{ for r.checks.iter().map(|c| html! {
                            <li data-check={c.name.clone()}>
                                <span aria-hidden="true">{ if c.problems.is_empty() { "✓ " } else { "✗ " } }</span>
                                { &c.label }
                                { for c.problems.iter().take(5).map(|p| html! { <div class="field-error">{ p }</div> }) }
                            </li>
                        }) }</ul>
                    </>
                },
            } }
            <div class="row end"><button class="ghost" id="check-now" onclick={run} disabled={*busy}>{ if *busy { "Checking…" } else { "Check journal" } }</button></div>
        </div>
    }
}
