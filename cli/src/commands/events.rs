use clap::{Args, Subcommand};
use wisdom_core::model::{
    areas, Event, EventCategory, EventFilter, EventPatch, EventTone, EventType, NewEvent, TemplateFields,
};

use super::enum_arg;
use crate::output::{self, Table};
use crate::session;
use crate::when::{self, DayPart};
use crate::Global;

#[derive(Subcommand)]
pub enum EventCommand {
    /// Record an event, e.g. `wisdom event add "Got promoted" --area work --type breakthrough --charge 5`.
    Add(AddArgs),
    /// List events, newest first.
    List(ListArgs),
    /// Show one event (an id or a unique id prefix).
    Show { id: String },
    /// Change an event.
    Edit(EditArgs),
    /// Delete an event (and its attachments).
    Rm { id: String },
    /// Attach files (photos, audio, PDFs, anything) to an event, e.g. `wisdom event attach evt_01 beach.jpg memo.m4a`.
    Attach {
        id: String,
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// The area, type and tone an entry with this text most likely has, from your entries that
    /// mean the most similar things (the language model).
    Suggest { text: String },
}

#[derive(Args)]
pub struct AddArgs {
    /// The title (a template can give it).
    #[arg(required_unless_present = "template")]
    title: Option<String>,
    /// Start from a template (`wisdom template list`): it fills what is not given here.
    #[arg(long)]
    template: Option<String>,
    /// Life area slug (e.g. work, family) or id.
    #[arg(long, required_unless_present = "template")]
    area: Option<String>,
    #[arg(long = "type", value_parser = enum_arg::<EventType>, required_unless_present = "template")]
    kind: Option<EventType>,
    /// Default: the area's usual category.
    #[arg(long, value_parser = enum_arg::<EventCategory>)]
    category: Option<EventCategory>,
    /// Default: from the charge (positive, negative or neutral).
    #[arg(long, value_parser = enum_arg::<EventTone>)]
    tone: Option<EventTone>,
    /// Emotional charge from -5 to +5.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    charge: i64,
    #[arg(long, short = 'd', default_value = "")]
    description: String,
    #[arg(long)]
    narrative: Option<String>,
    /// When it happened (default now): 2025-10-29, "2025-10-29 14:30", yesterday, 3d.
    #[arg(long)]
    at: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", short = 't')]
    tags: Vec<String>,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    area: Option<String>,
    #[arg(long = "type", value_parser = enum_arg::<EventType>)]
    kind: Option<EventType>,
    #[arg(long, value_parser = enum_arg::<EventCategory>)]
    category: Option<EventCategory>,
    #[arg(long, value_parser = enum_arg::<EventTone>)]
    tone: Option<EventTone>,
    #[arg(long)]
    tag: Option<String>,
    /// From this date (inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Up to this date (inclusive).
    #[arg(long)]
    to: Option<String>,
    /// Words that must appear in the title, description or narrative.
    #[arg(long)]
    text: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// Only events listed after this one (the last id of the previous page): paging that costs
    /// the same however deep.
    #[arg(long)]
    after: Option<String>,
}

#[derive(Args)]
pub struct EditArgs {
    id: String,
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    area: Option<String>,
    #[arg(long = "type", value_parser = enum_arg::<EventType>)]
    kind: Option<EventType>,
    #[arg(long, value_parser = enum_arg::<EventCategory>)]
    category: Option<EventCategory>,
    #[arg(long, value_parser = enum_arg::<EventTone>)]
    tone: Option<EventTone>,
    #[arg(long, allow_hyphen_values = true)]
    charge: Option<i64>,
    #[arg(long, short = 'd')]
    description: Option<String>,
    #[arg(long, conflicts_with = "clear_narrative")]
    narrative: Option<String>,
    #[arg(long)]
    clear_narrative: bool,
    #[arg(long)]
    at: Option<String>,
    /// Replace the tags; repeat for several.
    #[arg(long = "tag", short = 't')]
    tags: Option<Vec<String>>,
    /// Remove all tags.
    #[arg(long, conflicts_with = "tags")]
    clear_tags: bool,
}

pub fn run(g: &Global, c: EventCommand) -> anyhow::Result<()> {
    match c {
        EventCommand::Add(a) => add(g, a),
        EventCommand::List(a) => list(g, a),
        EventCommand::Show { id } => {
            let ws = session::open(g)?;
            let e = ws.event(&id)?;
            if g.json {
                return output::json(&e);
            }
            show(&ws, &e)
        }
        EventCommand::Edit(a) => edit(g, a),
        EventCommand::Attach { id, files } => {
            super::attachments::attach(g, wisdom_core::model::EntryKind::Event, &id, &files)
        }
        EventCommand::Suggest { text } => {
            let mut ws = session::open(g)?;
            super::meaning::backfill(g, &mut ws)?;
            let s = ws.suggest_for_text(&text)?;
            if g.json {
                return output::json(&serde_json::json!({ "suggestion": s }));
            }
            match s {
                Some(s) => println!(
                    "{} · {} · {} ({:.0}% of {} similar entries agree on the area)",
                    s.life_area_id.trim_start_matches("area_"),
                    s.kind.as_str(),
                    s.tone.as_str(),
                    s.confidence * 100.0,
                    s.based_on
                ),
                None => println!("Not enough entries read yet to suggest anything."),
            }
            Ok(())
        }
        EventCommand::Rm { id } => {
            let mut ws = session::open(g)?;
            let e = ws.delete_event(&id)?;
            if g.json {
                return output::json(&e);
            }
            println!("Deleted event {} ({})", e.id, e.title);
            Ok(())
        }
    }
}

fn add(g: &Global, a: AddArgs) -> anyhow::Result<()> {
    let occurred_at = a.at.as_deref().map(|s| when::parse("occurredAt", s, DayPart::Noon)).transpose()?;
    let mut ws = session::open(g)?;
    let given = TemplateFields {
        title: a.title,
        life_area: a.area,
        kind: a.kind,
        tone: a.tone,
        tags: a.tags,
        body: Some(a.description),
    };
    let fields = match &a.template {
        Some(name) => ws.fill_from_template(name, given, occurred_at)?,
        None => given,
    };
    let template = a.template.as_deref().unwrap_or_default();
    let missing = |what: &str| anyhow::anyhow!("give {what}: template {template:?} has none");
    let area = ws.life_area(&fields.life_area.ok_or_else(|| missing("--area"))?)?;
    let tone = fields.tone.unwrap_or(match a.charge {
        c if c > 0 => EventTone::Positive,
        c if c < 0 => EventTone::Negative,
        _ => EventTone::Neutral,
    });
    let new = NewEvent {
        life_area_id: Some(area.id.clone()),
        life_area: None,
        kind: fields.kind.ok_or_else(|| missing("--type"))?,
        category: a.category.unwrap_or_else(|| areas::default_category(&area.slug)),
        tone,
        title: fields.title.unwrap_or_default(),
        description: fields.body.unwrap_or_default(),
        narrative: a.narrative,
        occurred_at,
        emotional_charge: a.charge,
        tags: fields.tags,
    };
    let created = ws.create_event(&new)?;
    if g.json {
        return output::json(&created);
    }
    let after = ws.life_area(&area.id)?;
    println!("Recorded {} in {}", created.event.id, area.name);
    println!("{}: {:.1} -> {:.1} ({})", area.name, area.current_score, created.updated_score, after.status);
    for s in &created.suggested_insights {
        println!("  noticed: {s}");
    }
    Ok(())
}

fn list(g: &Global, a: ListArgs) -> anyhow::Result<()> {
    let filter = EventFilter {
        area: a.area,
        kind: a.kind,
        category: a.category,
        tone: a.tone,
        tag: a.tag,
        from: a.from.as_deref().map(|s| when::parse("from", s, DayPart::Start)).transpose()?,
        to: a.to.as_deref().map(|s| when::parse("to", s, DayPart::End)).transpose()?,
        text: a.text,
        limit: Some(a.limit),
        offset: Some(a.offset),
        after: a.after,
    };
    let ws = session::open(g)?;
    let events = ws.list_events(&filter)?;
    if g.json {
        return output::json(&serde_json::json!({ "events": events }));
    }
    let slugs: std::collections::HashMap<String, String> =
        ws.life_areas()?.into_iter().map(|a| (a.id, a.slug)).collect();
    let mut t =
        Table::new(&[("ID", 30), ("WHEN", 16), ("AREA", 20), ("TYPE", 12), ("CHARGE", 6), ("TITLE", 50), ("TAGS", 30)]);
    for e in events {
        t.row(vec![
            e.id.clone(),
            output::date(&e.occurred_at),
            slugs.get(&e.life_area_id).cloned().unwrap_or_default(),
            e.kind.to_string(),
            format!("{:+}", e.emotional_charge),
            e.title,
            e.tags.join(", "),
        ]);
    }
    t.print()
}

fn show(ws: &wisdom_core::Workspace, e: &Event) -> anyhow::Result<()> {
    let area = ws.life_area(&e.life_area_id)?;
    let mut f = vec![
        ("id", e.id.clone()),
        ("title", e.title.clone()),
        ("area", format!("{} ({})", area.name, area.slug)),
        ("when", output::date(&e.occurred_at)),
        ("type", e.kind.to_string()),
        ("category", e.category.to_string()),
        ("tone", e.tone.to_string()),
        ("charge", format!("{:+}", e.emotional_charge)),
        ("tags", e.tags.join(", ")),
    ];
    if !e.description.is_empty() {
        f.push(("description", e.description.clone()));
    }
    if let Some(n) = &e.narrative {
        f.push(("narrative", n.clone()));
    }
    let files = ws.attachments(Some((wisdom_core::model::EntryKind::Event, &e.id)))?;
    if !files.is_empty() {
        let names: Vec<String> =
            files.iter().map(|a| format!("{} ({})", a.file_name, super::attachments::size(a.size))).collect();
        f.push(("attachments", names.join(", ")));
    }
    output::fields(&f)
}

fn edit(g: &Global, a: EditArgs) -> anyhow::Result<()> {
    let patch = EventPatch {
        life_area: a.area,
        kind: a.kind,
        category: a.category,
        tone: a.tone,
        title: a.title,
        description: a.description,
        narrative: if a.clear_narrative { Some(None) } else { a.narrative.map(Some) },
        occurred_at: a.at.as_deref().map(|s| when::parse("occurredAt", s, DayPart::Noon)).transpose()?,
        emotional_charge: a.charge,
        tags: if a.clear_tags { Some(vec![]) } else { a.tags },
    };
    let mut ws = session::open(g)?;
    let e = ws.update_event(&a.id, &patch)?;
    if g.json {
        return output::json(&e);
    }
    show(&ws, &e)
}
