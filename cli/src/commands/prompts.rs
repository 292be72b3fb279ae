//! `wisdom prompt add|edit|hide|unhide|list`: the prompts the person shapes. (`wisdom prompt [DATE]`,
//! the day's prompt, is in practice.rs.)

use clap::Subcommand;
use wisdom_core::model::{NewPrompt, PromptScope, ReflectionPrompt};

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Subcommand)]
pub enum PromptCommand {
    /// Write a prompt of your own, e.g. `wisdom prompt add "What did I learn from a stranger?"`;
    /// `--area SLUG` asks it on days about that area, `--weekly` on Sundays.
    Add {
        text: String,
        /// Life area slug or id.
        #[arg(long, conflicts_with = "weekly")]
        area: Option<String>,
        #[arg(long)]
        weekly: bool,
    },
    /// Change a prompt's words (yours or the library's; giving the library's words back restores it).
    Edit { id: String, text: String },
    /// Never offer this prompt.
    Hide { id: String },
    /// Offer a hidden prompt again.
    Unhide { id: String },
    /// Every prompt: the library's and yours (`--mine`: only yours, edited or hidden).
    List {
        #[arg(long)]
        mine: bool,
    },
}

pub fn run(g: &Global, c: PromptCommand) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let shown = match c {
        PromptCommand::Add { text, area, weekly } => ws.add_prompt(&NewPrompt { text, area, weekly })?,
        PromptCommand::Edit { id, text } => ws.edit_prompt(&id, &text)?,
        PromptCommand::Hide { id } => ws.set_prompt_hidden(&id, true)?,
        PromptCommand::Unhide { id } => ws.set_prompt_hidden(&id, false)?,
        PromptCommand::List { mine } => {
            let all: Vec<ReflectionPrompt> =
                ws.prompts()?.into_iter().filter(|p| !mine || p.own || p.edited || p.hidden).collect();
            if g.json {
                return output::json(&serde_json::json!({ "prompts": all }));
            }
            let mut t = Table::new(&[("ID", 30), ("FOR", 20), ("", 8), ("PROMPT", 90)]);
            for p in &all {
                t.row(vec![p.id.clone(), scope(p), marks(p), p.text.clone()]);
            }
            return t.print();
        }
    };
    if g.json {
        return output::json(&shown);
    }
    let marks = marks(&shown);
    let sep = if marks.is_empty() { "" } else { ", " };
    println!("{} ({}{sep}{marks}): {}", shown.id, scope(&shown), shown.text);
    Ok(())
}

fn scope(p: &ReflectionPrompt) -> String {
    match (p.scope, &p.area) {
        (PromptScope::Area, Some(a)) => a.clone(),
        (PromptScope::Weekly, _) => "weekly".into(),
        _ => "daily".into(),
    }
}

fn marks(p: &ReflectionPrompt) -> String {
    let m: Vec<&str> = [(p.own, "mine"), (p.edited, "edited"), (p.hidden, "hidden")]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect();
    m.join(", ")
}
