//! The prompts as the person shaped them (table `prompts`, synced as entity `prompt`): library
//! prompts they edited or hid keep the library's id; prompts they wrote have ids `prm_…`.

use rusqlite::{params, Connection};
use wisdom_model::practice::prompt_text;
use wisdom_model::{NewPrompt, PromptScope, ReflectionPrompt, LIFE_AREAS};

use super::library::{self, Prompt, Scope};
use super::{Offer, Pools};
use crate::areas::resolve_area;
use crate::error::{Error, Result};
use crate::ids;
use crate::time;
use crate::workspace::Workspace;

/// What a person changes about a prompt.
enum Change {
    /// New words; none: the library's own.
    Text(Option<String>),
    Hidden(bool),
}

/// One row of `prompts`, its area as a slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shaped {
    pub id: String,
    pub text: Option<String>,
    pub area: Option<String>,
    pub weekly: bool,
    pub hidden: bool,
}

/// Every row, in creation order (the order own prompts join their pools in).
pub(crate) fn shaped(conn: &Connection) -> Result<Vec<Shaped>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.text, a.slug, p.weekly, p.hidden FROM prompts p
           LEFT JOIN life_areas a ON a.id = p.life_area_id
          ORDER BY p.created_at, p.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Shaped { id: r.get(0)?, text: r.get(1)?, area: r.get(2)?, weekly: r.get(3)?, hidden: r.get(4)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn library_prompts() -> impl Iterator<Item = &'static Prompt> {
    library::AREAS.iter().flatten().chain(&library::DAILY).chain(&library::WEEKLY)
}

fn is_own(id: &str) -> bool {
    id.starts_with(ids::prefix::PROMPT) && id.as_bytes().get(ids::prefix::PROMPT.len()) == Some(&b'_')
}

/// The whole library as the person sees it: the library's prompts (their words where edited),
/// then their own.
pub(crate) fn everything(rows: &[Shaped]) -> Vec<ReflectionPrompt> {
    let by_id: std::collections::HashMap<&str, &Shaped> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out: Vec<ReflectionPrompt> = library_prompts()
        .map(|p| {
            let row = by_id.get(p.id);
            let edited = row.and_then(|r| r.text.as_deref()).filter(|t| *t != p.text);
            let (scope, area) = match p.scope {
                Scope::Area(slug) => (PromptScope::Area, Some(slug.to_string())),
                Scope::Daily => (PromptScope::Daily, None),
                Scope::Weekly => (PromptScope::Weekly, None),
            };
            ReflectionPrompt {
                id: p.id.into(),
                text: edited.unwrap_or(p.text).into(),
                scope,
                area,
                own: false,
                edited: edited.is_some(),
                hidden: row.is_some_and(|r| r.hidden),
            }
        })
        .collect();
    out.extend(rows.iter().filter(|r| is_own(&r.id)).map(|r| ReflectionPrompt {
        id: r.id.clone(),
        text: r.text.clone().unwrap_or_default(),
        scope: match (&r.area, r.weekly) {
            (Some(_), _) => PromptScope::Area,
            (None, true) => PromptScope::Weekly,
            (None, false) => PromptScope::Daily,
        },
        area: r.area.clone(),
        own: true,
        edited: false,
        hidden: r.hidden,
    }));
    out
}

/// What can be offered: everything not hidden, in pools.
pub(crate) fn pools(rows: &[Shaped]) -> Pools {
    let mut pools = Pools::default();
    for spec in LIFE_AREAS {
        pools.areas.insert(spec.slug.to_string(), Vec::new());
    }
    for p in everything(rows).into_iter().filter(|p| !p.hidden) {
        let offer = Offer { id: p.id, text: p.text };
        match (p.scope, p.area) {
            (PromptScope::Area, Some(slug)) => pools.areas.entry(slug).or_default().push(offer),
            (PromptScope::Weekly, _) => pools.weekly.push(offer),
            _ => pools.daily.push(offer),
        }
    }
    pools
}

/// Inserts a prompt as it was exported: one the person wrote (its id kept), or a library prompt
/// they edited or hid (its words stored only where they differ from the library's). The caller
/// checked that no row of that id is here. False for a library id this version does not know.
pub(crate) fn insert_shaped(tx: &Connection, p: &ReflectionPrompt, now: chrono::DateTime<chrono::Utc>) -> Result<bool> {
    let now = time::to_db(now);
    if is_own(&p.id) {
        let text = prompt_text(&p.text)?;
        let area = p.area.as_deref().map(|a| resolve_area(tx, a)).transpose()?;
        tx.execute(
            "INSERT INTO prompts (id, text, life_area_id, weekly, hidden, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![p.id, text, area, p.scope == PromptScope::Weekly && area.is_none(), p.hidden, now],
        )?;
        return Ok(true);
    }
    let Some(library) = library_prompts().find(|l| l.id == p.id) else { return Ok(false) };
    let text = if p.edited && p.text != library.text { Some(prompt_text(&p.text)?) } else { None };
    if text.is_none() && !p.hidden {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO prompts (id, text, hidden, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![p.id, text, p.hidden, now],
    )?;
    Ok(true)
}

impl Workspace {
    /// Every prompt: the library's (in the person's words where edited) and the person's own,
    /// hidden ones included and marked.
    pub fn prompts(&self) -> Result<Vec<ReflectionPrompt>> {
        Ok(everything(&shaped(&self.conn)?))
    }

    /// The prompt `id`, as the person sees it.
    pub fn prompt(&self, id: &str) -> Result<ReflectionPrompt> {
        self.prompts()?.into_iter().find(|p| p.id == id.trim()).ok_or_else(|| Error::not_found("prompt", id.trim()))
    }

    /// Adds a prompt of the person's own: about an area, or general (daily or weekly).
    pub fn add_prompt(&mut self, new: &NewPrompt) -> Result<ReflectionPrompt> {
        let text = prompt_text(&new.text)?;
        let now = self.now();
        let id = ids::new_id(ids::prefix::PROMPT, now);
        let tx = self.tx()?;
        let area = new.area.as_deref().map(|a| resolve_area(&tx, a)).transpose()?;
        tx.execute(
            "INSERT INTO prompts (id, text, life_area_id, weekly, hidden, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
            params![id, text, area, new.weekly && area.is_none(), time::to_db(now)],
        )?;
        tx.commit()?;
        self.prompt(&id)
    }

    /// Changes a prompt's words: the person's own, or a library one (the library's words come back
    /// when given again).
    pub fn edit_prompt(&mut self, id: &str, text: &str) -> Result<ReflectionPrompt> {
        let text = prompt_text(text)?;
        let current = self.prompt(id)?;
        let library_text = library_prompts().find(|p| p.id == current.id).map(|p| p.text);
        let stored = if library_text == Some(text.as_str()) { None } else { Some(text) };
        self.shape(&current.id, Change::Text(stored))
    }

    /// Hides a prompt (it is never offered) or shows it again.
    pub fn set_prompt_hidden(&mut self, id: &str, hidden: bool) -> Result<ReflectionPrompt> {
        let current = self.prompt(id)?;
        if current.hidden == hidden {
            return Ok(current);
        }
        self.shape(&current.id, Change::Hidden(hidden))
    }

    /// Writes one change to the prompt's row, making the row for a library prompt touched first.
    /// (An update, then an insert if nothing was there: an upsert's insert half would be checked
    /// against the table's rules before finding the row.)
    fn shape(&mut self, id: &str, change: Change) -> Result<ReflectionPrompt> {
        let now = time::to_db(self.now());
        let tx = self.tx()?;
        let changed = match &change {
            Change::Text(t) => {
                tx.execute("UPDATE prompts SET text = ?2, updated_at = ?3 WHERE id = ?1", params![id, t, now])?
            }
            Change::Hidden(h) => {
                tx.execute("UPDATE prompts SET hidden = ?2, updated_at = ?3 WHERE id = ?1", params![id, h, now])?
            }
        };
        if changed == 0 {
            let (text, hidden) = match change {
                Change::Text(t) => (t, false),
                Change::Hidden(h) => (None, h),
            };
            tx.execute(
                "INSERT INTO prompts (id, text, hidden, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, text, hidden, now],
            )?;
        }
        // A library prompt back in its own words and shown is no longer the person's business.
        tx.execute("DELETE FROM prompts WHERE id = ?1 AND text IS NULL AND hidden = 0", [id])?;
        tx.commit()?;
        self.prompt(id)
    }
}
