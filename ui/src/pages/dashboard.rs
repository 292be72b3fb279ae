//! The Phoenix Fulfillment Display: the 30 areas by cluster, the wheel of life, the overall score
//! and what needs attention now.

use wisdom_model::commands::{GetDashboard, LifeAreas, ListCommitments};
use wisdom_model::{AreaStatus, CommitmentFilter, CommitmentStatus, LifeArea, LifeAreaCluster};
use yew::prelude::*;

use crate::components::{Gauge, Radar, StatusBadge};
use crate::format::{area_name, area_slug, day, status_class, status_label, tone_class, whole};
use crate::store::{use_load, use_store, Action, Load, Page};

fn active_commitments() -> ListCommitments {
    ListCommitments { filter: CommitmentFilter { status: Some(CommitmentStatus::Active), ..Default::default() } }
}

/// Fetches what the dashboard loads, ahead of showing it ([`crate::store::prefetch`]), so its
/// first frame is drawn whole.
pub async fn prefetch() {
    crate::store::clear_prefetched();
    crate::store::prefetch(&LifeAreas {}).await;
    crate::store::prefetch(&GetDashboard {}).await;
    crate::store::prefetch(&active_commitments()).await;
}

#[function_component]
pub fn DashboardPage() -> Html {
    let areas = use_load(LifeAreas {});
    let dash = use_load(GetDashboard {});
    let active = use_load(active_commitments());
    let (Load::Ready(areas), Load::Ready(d)) = (&*areas, &*dash) else {
        if let Load::Failed(m) = &*dash {
            return html! { <p class="error-box" role="alert">{ m }</p> };
        }
        return html! { <div class="loading" aria-busy="true">{ "Loading your dashboard…" }</div> };
    };
    let overall_status = AreaStatus::from_score(d.overall_score);
    let dist = &d.distribution;
    let bands = [
        (AreaStatus::Flourishing, dist.flourishing),
        (AreaStatus::Thriving, dist.thriving),
        (AreaStatus::Balanced, dist.balanced),
        (AreaStatus::Struggling, dist.struggling),
        (AreaStatus::Crisis, dist.crisis),
    ];
    let total: u32 = bands.iter().map(|b| b.1).sum::<u32>().max(1);
    let commitments = active.ready().cloned().unwrap_or_default();
    html! {
        <div class="page dashboard" id="page-dashboard">
            <header class="page-head">
                <div>
                    <h1>{ "Phoenix Fulfillment Display" }</h1>
                    <p class="muted">{ "Thirty areas of your life, scored from what you record." }</p>
                </div>
            </header>
            <section class="dash-top">
                <div class="card overall">
                    <h2>{ "Overall" }</h2>
                    <div class="overall-row">
                        <Gauge score={d.overall_score} status={overall_status} size={132} label="Overall " />
                        <div>
                            <p class="big-number" id="overall-score">{ format!("{:.1}", d.overall_score) }</p>
                            <StatusBadge status={overall_status} />
                        </div>
                    </div>
                    <h3>{ "Distribution" }</h3>
                    <div class="dist-bar" role="img" aria-label="How many areas are in each state">
                        { for bands.iter().filter(|b| b.1 > 0).map(|(s, n)| html! {
                            <span class={classes!("seg", status_class(*s))} style={format!("flex-grow:{}", n * 100 / total)}
                                  title={format!("{}: {n}", status_label(*s))}></span>
                        }) }
                    </div>
                    <ul class="legend">
                        { for bands.iter().map(|(s, n)| html! {
                            <li><span class={classes!("dot", status_class(*s))}></span>{ status_label(*s) }<b>{ n }</b></li>
                        }) }
                    </ul>
                </div>
                <div class="card wheel">
                    <h2>{ "Wheel of life" }</h2>
                    <Radar areas={areas.clone()} />
                </div>
                <div class="card attention">
                    <h2>{ "Needs attention" }</h2>
                    if d.needs_attention.is_empty() {
                        <p class="empty">{ "No area is struggling. Keep going." }</p>
                    } else {
                        <ul class="plain">
                            { for d.needs_attention.iter().map(|a| html! {
                                <li><AreaLink slug={a.slug.clone()} name={a.name.clone()} />
                                    <span class={classes!("pill", status_class(a.status))}>{ whole(a.score) }</span></li>
                            }) }
                        </ul>
                    }
                    <h2 class="mt">{ "Top areas" }</h2>
                    <ul class="plain">
                        { for d.top_areas.iter().map(|a| html! {
                            <li><AreaLink slug={a.slug.clone()} name={a.name.clone()} />
                                <span class={classes!("pill", status_class(a.status))}>{ whole(a.score) }</span></li>
                        }) }
                    </ul>
                </div>
            </section>
            <section class="dash-mid">
                <div class="card">
                    <h2>{ "Recent activity" }</h2>
                    if d.recent_activity.is_empty() {
                        <p class="empty">{ "Nothing recorded yet. Press Ctrl+N to add your first event." }</p>
                    } else {
                        <ul class="activity">
                            { for d.recent_activity.iter().take(6).map(|r| html! {
                                <li>
                                    <span class={classes!("charge", tone_class(r.emotional_charge))}>{ format!("{:+}", r.emotional_charge) }</span>
                                    <div><strong>{ &r.title }</strong>
                                        <small>{ format!("{} · {}", area_name(&r.life_area), day(&r.occurred_at)) }</small></div>
                                </li>
                            }) }
                        </ul>
                    }
                </div>
                <div class="card">
                    <h2>{ format!("Active commitments ({})", d.active_commitments) }</h2>
                    if commitments.is_empty() {
                        <p class="empty">{ "No active commitments. Apply an insight to make one." }</p>
                    } else {
                        <ul class="plain">
                            { for commitments.iter().take(5).map(|c| html! {
                                <li><span>{ &c.statement }</span>
                                    <small class="muted">{ c.life_area_id.as_deref().map(area_name).unwrap_or_default() }</small></li>
                            }) }
                        </ul>
                    }
                    <h2 class="mt">{ "Upcoming reviews" }</h2>
                    if d.upcoming_reviews.is_empty() {
                        <p class="empty">{ "No reviews due in the next two weeks." }</p>
                    } else {
                        <ul class="plain">
                            { for d.upcoming_reviews.iter().map(|r| html! {
                                <li><span>{ &r.statement }</span>
                                    <span class={classes!("pill", if r.overdue { "st-crisis" } else { "st-balanced" })}>
                                        { if r.overdue { "Overdue".to_string() } else { day(&r.next_review_at) } }</span></li>
                            }) }
                        </ul>
                    }
                </div>
            </section>
            { for LifeAreaCluster::ALL.iter().map(|c| {
                let in_cluster: Vec<&LifeArea> = areas.iter().filter(|a| a.cluster == *c).collect();
                let mean = in_cluster.iter().map(|a| a.current_score).sum::<f64>() / in_cluster.len().max(1) as f64;
                html! {
                    <section class="cluster" aria-label={c.label()}>
                        <h2>{ c.label() }<span class="muted">{ format!(" · average {mean:.0}") }</span></h2>
                        <div class="area-grid">
                            { for in_cluster.into_iter().map(|a| html! { <AreaCard area={a.clone()} /> }) }
                        </div>
                    </section>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AreaLinkProps {
    slug: String,
    name: String,
}

#[function_component]
fn AreaLink(p: &AreaLinkProps) -> Html {
    let store = use_store();
    let slug = p.slug.clone();
    let go = Callback::from(move |_: MouseEvent| store.dispatch(Action::Navigate(Page::Area(slug.clone()))));
    html! { <button class="link" onclick={go}>{ &p.name }</button> }
}

#[derive(Properties, PartialEq)]
struct AreaCardProps {
    area: LifeArea,
}

#[function_component]
fn AreaCard(p: &AreaCardProps) -> Html {
    let store = use_store();
    let a = &p.area;
    let slug = area_slug(&a.id);
    let go = {
        let slug = slug.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Navigate(Page::Area(slug.clone()))))
    };
    html! {
        <button class={classes!("area-card", status_class(a.status))} onclick={go} id={format!("area-{slug}")}
                aria-label={format!("{}: score {:.0}, {}. Open area.", a.name, a.current_score, status_label(a.status))}>
            <Gauge score={a.current_score} status={a.status} size={64} />
            <div class="area-card-text">
                <strong>{ &a.name }</strong>
                <span class="status-text">{ status_label(a.status) }</span>
                <span class="area-score" data-score={format!("{:.1}", a.current_score)}>{ format!("{:.1}", a.current_score) }</span>
            </div>
        </button>
    }
}
