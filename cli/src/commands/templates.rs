//! `wisdom template`: the templates quick capture starts from (`wisdom event add --template NAME`).

use clap::{Args, Subcommand};
use wisdom_core::model::{EventTone, EventType, NewTemplate, Template};

use super::enum_arg;
use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// Save a template (a known name is replaced), e.g. `wisdom template add evening --title
    /// "Evening review, {weekday}" --area personal-growth --type learning --body "What went well?"`.
    Add(AddArgs),
    /// Every template.
    List,
    /// One template, with its body.
    Show { name: String },
    /// Delete a template (entries written from it stay).
    Rm { name: String },
}

#[derive(Args)]
pub struct AddArgs {
    /// Letters, digits, - and _.
    name: String,
    /// The entry's title; {date} and {weekday} become the day's.
    #[arg(long)]
    title: String,
    /// Life area slug or id.
    #[arg(long)]
    area: Option<String>,
    #[arg(long = "type", value_parser = enum_arg::<EventType>)]
    kind: Option<EventType>,
    #[arg(long, value_parser = enum_arg::<EventTone>)]
    tone: Option<EventTone>,
    /// A tag; repeat for several.
    #[arg(long = "tag", short = 't')]
    tags: Vec<String>,
    /// The scaffold the entry's description starts from.
    #[arg(long, default_value = "")]
    body: String,
}

pub fn run(g: &Global, c: TemplateCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let shown = match c {
        TemplateCommand::Add(a) => ws.save_template(&NewTemplate {
            name: a.name,
            title: a.title,
            life_area: a.area,
            kind: a.kind,
            tone: a.tone,
            tags: a.tags,
            body: a.body,
        })?,
        TemplateCommand::List => {
            let all = ws.templates()?;
            if g.json {
                return output::json(&serde_json::json!({ "templates": all }));
            }
            let mut t = Table::new(&[("NAME", 20), ("TITLE", 40), ("AREA", 22), ("TYPE", 12), ("TAGS", 30)]);
            for x in &all {
                t.row(vec![
                    x.name.clone(),
                    x.title.clone(),
                    x.life_area_id.as_deref().unwrap_or("-").trim_start_matches("area_").into(),
                    x.kind.map_or("-", |k| k.as_str()).into(),
                    x.tags.join(", "),
                ]);
            }
            return t.print();
        }
        TemplateCommand::Show { name } => ws.template(&name)?,
        TemplateCommand::Rm { name } => {
            let t = ws.delete_template(&name)?;
            if g.json {
                return output::json(&t);
            }
            println!("Deleted template {}", t.name);
            return Ok(());
        }
    };
    if g.json {
        return output::json(&shown);
    }
    show(&shown);
    Ok(())
}

fn show(t: &Template) {
    println!("{}: {}", t.name, t.title);
    let area = t.life_area_id.as_deref().map_or("-", |a| a.trim_start_matches("area_"));
    let kind = t.kind.map_or("-", |k| k.as_str());
    let tone = t.tone.map_or("-", |k| k.as_str());
    println!(
        "  area {area} · type {kind} · tone {tone} · tags {}",
        if t.tags.is_empty() { "-".into() } else { t.tags.join(", ") }
    );
    if !t.body.is_empty() {
        println!("\n{}", t.body);
    }
}
