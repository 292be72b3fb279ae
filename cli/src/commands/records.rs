//! Commitments, boundaries and insights: the feedback loop's records.

use clap::{Args, Subcommand};
use wisdom_core::model::*;

use super::enum_arg;
use crate::output::{self, Table};
use crate::session;
use crate::when::{self, DayPart};
use crate::Global;

#[derive(Subcommand)]
pub enum CommitmentCommand {
    /// Make a commitment, e.g. `wisdom commitment add "No email after 7pm" --intention "Protect evenings" --area work`.
    Add(CommitmentAdd),
    List {
        #[arg(long)]
        area: Option<String>,
        #[arg(long, value_parser = enum_arg::<CommitmentStatus>)]
        status: Option<CommitmentStatus>,
    },
    Show {
        id: String,
    },
    /// Change a commitment; `--status completed` records when it was kept.
    Edit(CommitmentEdit),
    Rm {
        id: String,
    },
}

#[derive(Args)]
pub struct CommitmentAdd {
    statement: String,
    #[arg(long)]
    intention: String,
    #[arg(long)]
    measurable: Option<String>,
    #[arg(long)]
    area: Option<String>,
    /// The event it came from.
    #[arg(long)]
    event: Option<String>,
    /// The insight it came from.
    #[arg(long)]
    insight: Option<String>,
    /// When to review it, e.g. 2026-12-01.
    #[arg(long)]
    review: Option<String>,
}

#[derive(Args)]
pub struct CommitmentEdit {
    id: String,
    #[arg(long)]
    statement: Option<String>,
    #[arg(long)]
    intention: Option<String>,
    #[arg(long)]
    measurable: Option<String>,
    #[arg(long, value_parser = enum_arg::<CommitmentStatus>)]
    status: Option<CommitmentStatus>,
    #[arg(long)]
    area: Option<String>,
    /// Next review date.
    #[arg(long)]
    review: Option<String>,
    /// Mark as reviewed now.
    #[arg(long)]
    reviewed: bool,
}

pub fn commitment(g: &Global, c: CommitmentCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let one = match c {
        CommitmentCommand::Add(a) => ws.create_commitment(&NewCommitment {
            life_area: a.area,
            event_id: a.event,
            insight_id: a.insight,
            statement: a.statement,
            intention: a.intention,
            measurable: a.measurable,
            status: None,
            next_review_at: a.review.as_deref().map(|r| when::parse("review", r, DayPart::Noon)).transpose()?,
        })?,
        CommitmentCommand::List { area, status } => {
            let list = ws.list_commitments(&CommitmentFilter { area, status })?;
            if g.json {
                return output::json(&serde_json::json!({ "commitments": list }));
            }
            let mut t = Table::new(&[("ID", 30), ("STATUS", 10), ("REVIEW", 16), ("STATEMENT", 60)]);
            for c in list {
                t.row(vec![c.id, c.status.to_string(), output::opt_date(&c.next_review_at), c.statement]);
            }
            return t.print();
        }
        CommitmentCommand::Show { id } => ws.commitment(&id)?,
        CommitmentCommand::Edit(a) => ws.update_commitment(
            &a.id,
            &CommitmentPatch {
                life_area: a.area.map(Some),
                statement: a.statement,
                intention: a.intention,
                measurable: a.measurable.map(Some),
                status: a.status,
                next_review_at: a
                    .review
                    .as_deref()
                    .map(|r| when::parse("review", r, DayPart::Noon))
                    .transpose()?
                    .map(Some),
                reviewed: a.reviewed,
            },
        )?,
        CommitmentCommand::Rm { id } => {
            let c = ws.delete_commitment(&id)?;
            if !g.json {
                println!("Deleted commitment {}", c.id);
                return Ok(());
            }
            c
        }
    };
    if g.json {
        return output::json(&one);
    }
    output::fields(&[
        ("id", one.id),
        ("statement", one.statement),
        ("intention", one.intention),
        ("measurable", one.measurable.unwrap_or_default()),
        ("status", one.status.to_string()),
        ("area", one.life_area_id.unwrap_or_default()),
        ("next review", output::opt_date(&one.next_review_at)),
        ("completed", output::opt_date(&one.completed_at)),
    ])
}

#[derive(Subcommand)]
pub enum BoundaryCommand {
    /// Set a boundary, e.g. `wisdom boundary add "No work calls on weekends" --reason "Family time" --area family`.
    Add {
        statement: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        area: String,
        #[arg(long)]
        consequence: Option<String>,
    },
    List {
        #[arg(long)]
        area: Option<String>,
        #[arg(long, value_parser = enum_arg::<BoundaryStatus>)]
        status: Option<BoundaryStatus>,
    },
    Show {
        id: String,
    },
    Edit {
        id: String,
        #[arg(long)]
        statement: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        consequence: Option<String>,
        #[arg(long, value_parser = enum_arg::<BoundaryStatus>)]
        status: Option<BoundaryStatus>,
        #[arg(long)]
        area: Option<String>,
    },
    Rm {
        id: String,
    },
    /// Log that a boundary was crossed.
    Violate {
        id: String,
        /// When (default now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

pub fn boundary(g: &Global, c: BoundaryCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let one = match c {
        BoundaryCommand::Add { statement, reason, area, consequence } => {
            ws.create_boundary(&NewBoundary { life_area: area, statement, reason, consequence, status: None })?
        }
        BoundaryCommand::List { area, status } => {
            let list = ws.list_boundaries(&BoundaryFilter { area, status })?;
            if g.json {
                return output::json(&serde_json::json!({ "boundaries": list }));
            }
            let mut t = Table::new(&[("ID", 30), ("STATUS", 10), ("VIOLATIONS", 10), ("LAST", 16), ("STATEMENT", 60)]);
            for b in list {
                t.row(vec![
                    b.id,
                    b.status.to_string(),
                    b.violation_count.to_string(),
                    output::opt_date(&b.last_violated_at),
                    b.statement,
                ]);
            }
            return t.print();
        }
        BoundaryCommand::Show { id } => ws.boundary(&id)?,
        BoundaryCommand::Edit { id, statement, reason, consequence, status, area } => ws.update_boundary(
            &id,
            &BoundaryPatch { life_area: area, statement, reason, consequence: consequence.map(Some), status },
        )?,
        BoundaryCommand::Rm { id } => {
            let b = ws.delete_boundary(&id)?;
            if !g.json {
                println!("Deleted boundary {}", b.id);
                return Ok(());
            }
            b
        }
        BoundaryCommand::Violate { id, at, note } => {
            let occurred_at = at.as_deref().map(|s| when::parse("occurredAt", s, DayPart::Noon)).transpose()?;
            let (b, v) = ws.log_violation(&id, &NewViolation { occurred_at, note })?;
            if g.json {
                return output::json(&serde_json::json!({ "boundary": b, "violation": v }));
            }
            let area = ws.life_area(&b.life_area_id)?;
            println!("Logged violation of {:?} ({} so far)", b.statement, b.violation_count);
            println!("{}: {:.1} ({})", area.name, area.current_score, area.status);
            return Ok(());
        }
    };
    if g.json {
        return output::json(&one);
    }
    output::fields(&[
        ("id", one.id),
        ("statement", one.statement),
        ("reason", one.reason),
        ("consequence", one.consequence.unwrap_or_default()),
        ("status", one.status.to_string()),
        ("area", one.life_area_id),
        ("violations", one.violation_count.to_string()),
        ("last violated", output::opt_date(&one.last_violated_at)),
    ])
}

#[derive(Subcommand)]
pub enum InsightCommand {
    /// Note an insight, e.g. `wisdom insight add "I say yes to avoid conflict" --type limiting-belief -d "..."`.
    Add {
        title: String,
        #[arg(long = "type", value_parser = enum_arg::<InsightType>)]
        kind: InsightType,
        #[arg(long, short = 'd')]
        description: String,
        /// The event it came from.
        #[arg(long)]
        event: Option<String>,
        /// Related events; repeat for several.
        #[arg(long = "related")]
        related: Vec<String>,
    },
    List {
        #[arg(long = "type", value_parser = enum_arg::<InsightType>)]
        kind: Option<InsightType>,
        /// Include dismissed insights.
        #[arg(long)]
        all: bool,
    },
    Show {
        id: String,
    },
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, short = 'd')]
        description: Option<String>,
        #[arg(long = "type", value_parser = enum_arg::<InsightType>)]
        kind: Option<InsightType>,
    },
    Rm {
        id: String,
    },
    /// Mark an insight as applied.
    Apply {
        id: String,
    },
    /// Act on an insight: a commitment linked to it (and its event and area); marks it applied.
    Commit {
        id: String,
        statement: String,
        #[arg(long)]
        intention: String,
        #[arg(long)]
        measurable: Option<String>,
        /// When to review the commitment, e.g. 2026-12-01.
        #[arg(long)]
        review: Option<String>,
    },
    /// Hide an insight for good.
    Dismiss {
        id: String,
    },
}

pub fn insight(g: &Global, c: InsightCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let one = match c {
        InsightCommand::Add { title, kind, description, event, related } => ws.create_insight(&NewInsight {
            event_id: event,
            kind,
            title,
            description,
            is_recurring: related.len() > 1,
            frequency: related.len().max(1) as i64,
            related_events: related,
        })?,
        InsightCommand::List { kind, all } => {
            let insights = ws.list_insights(&InsightFilter { kind, applied: None, include_dismissed: all })?;
            if g.json {
                return output::json(&Insights { insights });
            }
            let mut t = Table::new(&[("ID", 30), ("TYPE", 20), ("FREQ", 5), ("STATE", 9), ("TITLE", 70)]);
            for i in insights {
                let state = if i.applied {
                    "applied"
                } else if i.dismissed_at.is_some() {
                    "dismissed"
                } else {
                    "open"
                };
                t.row(vec![i.id, i.kind.to_string(), i.frequency.to_string(), state.into(), i.title]);
            }
            return t.print();
        }
        InsightCommand::Show { id } => ws.insight(&id)?,
        InsightCommand::Edit { id, title, description, kind } => {
            ws.update_insight(&id, &InsightPatch { kind, title, description, related_events: None })?
        }
        InsightCommand::Rm { id } => {
            let i = ws.delete_insight(&id)?;
            if !g.json {
                println!("Deleted insight {}", i.id);
                return Ok(());
            }
            i
        }
        InsightCommand::Apply { id } => ws.apply_insight(&id)?,
        InsightCommand::Commit { id, statement, intention, measurable, review } => {
            let new = NewCommitment {
                life_area: None,
                event_id: None,
                insight_id: None,
                statement,
                intention,
                measurable,
                status: None,
                next_review_at: review.as_deref().map(|r| when::parse("review", r, DayPart::Noon)).transpose()?,
            };
            let (insight, commitment) = ws.commit_to_insight(&id, &new)?;
            if g.json {
                return output::json(&serde_json::json!({ "insight": insight, "commitment": commitment }));
            }
            println!("Committed: {} ({})", commitment.statement, commitment.id);
            println!("Insight {:?} marked applied.", insight.title);
            return Ok(());
        }
        InsightCommand::Dismiss { id } => ws.dismiss_insight(&id)?,
    };
    if g.json {
        return output::json(&one);
    }
    output::fields(&[
        ("id", one.id),
        ("type", one.kind.to_string()),
        ("title", one.title),
        ("description", one.description),
        ("frequency", one.frequency.to_string()),
        ("related events", one.related_events.join(", ")),
        ("applied", output::opt_date(&one.applied_at)),
        ("dismissed", output::opt_date(&one.dismissed_at)),
    ])
}

#[derive(Subcommand)]
pub enum InsightsAction {
    /// Run the full pattern engine now over the pattern window (default 90 days).
    Detect {
        /// Look back this many days instead (and remember it).
        #[arg(long)]
        window_days: Option<i64>,
    },
}

/// `wisdom insights`: the seed's GET /insights, or a detection run.
pub fn insights(g: &Global, action: Option<InsightsAction>, all: bool) -> anyhow::Result<()> {
    match action {
        None => insight(g, InsightCommand::List { kind: None, all }),
        Some(InsightsAction::Detect { window_days }) => {
            let mut ws = session::open(g)?;
            if let Some(d) = window_days {
                ws.set_pattern_window(d)?;
            }
            super::meaning::backfill(g, &mut ws)?;
            let r = ws.detect_patterns()?;
            if g.json {
                return output::json(&r);
            }
            // (A missing model was said once, when the journal opened.)
            if let (wisdom_core::model::PatternEngine::Reading, Some(notice)) = (r.engine, &r.notice) {
                eprintln!("note: {notice}");
            }
            println!(
                "Looked at {} events: {} new patterns, {} updated, {} unchanged, {} dismissed earlier, {} no longer found.",
                r.events_considered, r.created, r.updated, r.unchanged, r.dismissed, r.retired
            );
            for i in &r.insights {
                println!("\n{}  {}\n  {}", i.id, i.title, i.description);
            }
            Ok(())
        }
    }
}
