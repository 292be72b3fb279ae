//! The autobiography: eras and entries.

use clap::Subcommand;
use wisdom_core::model::*;

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Subcommand)]
pub enum EraCommand {
    /// Add an era, e.g. `wisdom era add "University years" --start 1994 --end 1999`.
    Add {
        name: String,
        #[arg(long)]
        start: i64,
        #[arg(long)]
        end: Option<i64>,
        #[arg(long, short = 'd')]
        description: Option<String>,
    },
    List,
    Edit {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        start: Option<i64>,
        #[arg(long)]
        end: Option<i64>,
        #[arg(long, short = 'd')]
        description: Option<String>,
    },
    /// Delete an era (refused while it has entries).
    Rm {
        id: String,
    },
}

pub fn era(g: &Global, c: EraCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let one = match c {
        EraCommand::Add { name, start, end, description } => {
            ws.create_era(&NewEra { name, start_year: start, end_year: end, description })?
        }
        EraCommand::List => {
            let eras = ws.eras()?;
            if g.json {
                return output::json(&serde_json::json!({ "eras": eras }));
            }
            let mut t = Table::new(&[("ID", 30), ("YEARS", 11), ("NAME", 60)]);
            for e in eras {
                let end = e.end_year.map_or("now".into(), |y| y.to_string());
                t.row(vec![e.id, format!("{}-{end}", e.start_year), e.name]);
            }
            return t.print();
        }
        EraCommand::Edit { id, name, start, end, description } => {
            let cur = ws.era(&id)?;
            ws.update_era(
                &id,
                &NewEra {
                    name: name.unwrap_or(cur.name),
                    start_year: start.unwrap_or(cur.start_year),
                    end_year: end.or(cur.end_year),
                    description: description.or(cur.description),
                },
            )?
        }
        EraCommand::Rm { id } => ws.delete_era(&id)?,
    };
    if g.json {
        return output::json(&one);
    }
    let end = one.end_year.map_or("now".into(), |y| y.to_string());
    println!("{}  {}-{end}  {}", one.id, one.start_year, one.name);
    Ok(())
}

#[derive(Subcommand)]
pub enum BioCommand {
    /// Write an entry, e.g. `wisdom bio add "Leaving home" --era ERA --year 1994 --narrative "..."`.
    Add {
        title: String,
        #[arg(long)]
        era: String,
        #[arg(long)]
        year: i64,
        #[arg(long)]
        month: Option<i64>,
        #[arg(long)]
        narrative: String,
        /// A linked event; repeat for several.
        #[arg(long = "event")]
        events: Vec<String>,
        /// A linked life area (slug); repeat for several.
        #[arg(long = "area")]
        areas: Vec<String>,
        #[arg(long)]
        public: bool,
    },
    List {
        #[arg(long)]
        era: Option<String>,
        #[arg(long)]
        year: Option<i64>,
        #[arg(long)]
        area: Option<String>,
    },
    Show {
        id: String,
    },
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        era: Option<String>,
        #[arg(long)]
        year: Option<i64>,
        #[arg(long)]
        month: Option<i64>,
        #[arg(long)]
        narrative: Option<String>,
        #[arg(long = "event")]
        events: Option<Vec<String>>,
        #[arg(long = "area")]
        areas: Option<Vec<String>>,
        #[arg(long)]
        public: Option<bool>,
    },
    Rm {
        id: String,
    },
    /// Attach files (old photos, letters, recordings) to an entry, e.g.
    /// `wisdom bio attach bio_01 graduation.jpg`.
    Attach {
        id: String,
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

pub fn bio(g: &Global, c: BioCommand) -> anyhow::Result<()> {
    if let BioCommand::Attach { id, files } = &c {
        return super::attachments::attach(g, wisdom_core::model::EntryKind::Autobiography, id, files);
    }
    let mut ws = session::open(g)?;
    let one = match c {
        BioCommand::Add { title, era, year, month, narrative, events, areas, public } => ws
            .create_autobiography_entry(&NewAutobiographyEntry {
                era_id: era,
                year,
                month,
                title,
                narrative,
                event_ids: events,
                life_area_ids: areas,
                is_public: public,
            })?,
        BioCommand::List { era, year, area } => {
            let entries = ws.list_autobiography(&AutobiographyFilter { era_id: era, year, area })?;
            if g.json {
                return output::json(&serde_json::json!({ "entries": entries }));
            }
            let mut t = Table::new(&[("ID", 30), ("WHEN", 7), ("TITLE", 50), ("NARRATIVE", 60)]);
            for a in entries {
                let when = a.month.map_or(a.year.to_string(), |m| format!("{}-{m:02}", a.year));
                t.row(vec![a.id, when, a.title, a.narrative]);
            }
            return t.print();
        }
        BioCommand::Show { id } => ws.autobiography_entry(&id)?,
        BioCommand::Edit { id, title, era, year, month, narrative, events, areas, public } => ws
            .update_autobiography_entry(
                &id,
                &AutobiographyPatch {
                    era_id: era,
                    year,
                    month: month.map(Some),
                    title,
                    narrative,
                    event_ids: events,
                    life_area_ids: areas,
                    is_public: public,
                },
            )?,
        BioCommand::Rm { id } => ws.delete_autobiography_entry(&id)?,
        BioCommand::Attach { .. } => unreachable!("handled above"),
    };
    if g.json {
        return output::json(&one);
    }
    let when = one.month.map_or(one.year.to_string(), |m| format!("{}-{m:02}", one.year));
    output::fields(&[
        ("id", one.id),
        ("era", one.era_id),
        ("when", when),
        ("title", one.title),
        ("narrative", one.narrative),
        ("events", one.event_ids.join(", ")),
        ("areas", one.life_area_ids.join(", ")),
    ])
}
