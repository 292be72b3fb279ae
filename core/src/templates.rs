//! Templates for quick capture (`wisdom event add --template NAME`): stored per workspace, synced
//! like entries (entity `template`, its id derived from its name), picked by name.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use wisdom_model::templates::template_name;
use wisdom_model::{NewTemplate, Template, TemplateFields};

use crate::areas::resolve_area;
use crate::db::{enum_at, ts_at};
use crate::error::{Error, Result};
use crate::time;
use crate::workspace::Workspace;

const SELECT: &str =
    "SELECT id, name, title, life_area_id, type, tone, tags, body, created_at, updated_at FROM templates";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Template> {
    let optional_enum = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    Ok(Template {
        id: r.get(0)?,
        name: r.get(1)?,
        title: r.get(2)?,
        life_area_id: r.get(3)?,
        kind: optional_enum(4)?.map(|_| enum_at(r, 4)).transpose()?,
        tone: optional_enum(5)?.map(|_| enum_at(r, 5)).transpose()?,
        tags: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
        body: r.get(7)?,
        created_at: ts_at(r, 8)?,
        updated_at: ts_at(r, 9)?,
    })
}

fn load(conn: &Connection, name: &str) -> Result<Option<Template>> {
    let name = template_name(name)?;
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE name = ?1"))?.query_row([&name], from_row).optional()?)
}

/// Inserts a template as it was exported (its id, name and times kept); the caller checked that
/// none of that name is here.
pub(crate) fn insert_template(tx: &Connection, t: &Template) -> Result<()> {
    let new = NewTemplate {
        name: t.name.clone(),
        title: t.title.clone(),
        life_area: t.life_area_id.clone(),
        kind: t.kind,
        tone: t.tone,
        tags: t.tags.clone(),
        body: t.body.clone(),
    };
    let (name, tags) = new.validate()?;
    let area = t.life_area_id.as_deref().map(|a| resolve_area(tx, a)).transpose()?;
    tx.execute(
        "INSERT INTO templates (id, name, title, life_area_id, type, tone, tags, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            format!("tpl_{name}"),
            name,
            t.title.trim(),
            area,
            t.kind.map(|k| k.as_str()),
            t.tone.map(|t| t.as_str()),
            serde_json::to_string(&tags)?,
            t.body,
            time::to_db(t.created_at),
            time::to_db(t.updated_at)
        ],
    )?;
    Ok(())
}

impl Workspace {
    /// Every template, by name.
    pub fn templates(&self) -> Result<Vec<Template>> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT} ORDER BY name"))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The template called `name` (any case).
    pub fn template(&self, name: &str) -> Result<Template> {
        load(&self.conn, name)?.ok_or_else(|| Error::not_found("template", name.trim()))
    }

    /// Saves a template: a new name creates one, a known name replaces it (keeping when it was
    /// first made).
    pub fn save_template(&mut self, new: &NewTemplate) -> Result<Template> {
        let (name, tags) = new.validate()?;
        let now = time::to_db(self.now());
        let tx = self.tx()?;
        let area = new.life_area.as_deref().map(|a| resolve_area(&tx, a)).transpose()?;
        tx.execute(
            "INSERT INTO templates (id, name, title, life_area_id, type, tone, tags, body, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT (id) DO UPDATE SET title = ?3, life_area_id = ?4, type = ?5, tone = ?6, tags = ?7,
                 body = ?8, updated_at = ?9",
            params![
                format!("tpl_{name}"),
                name,
                new.title.trim(),
                area,
                new.kind.map(|k| k.as_str()),
                new.tone.map(|t| t.as_str()),
                serde_json::to_string(&tags)?,
                new.body,
                now
            ],
        )?;
        let saved = load(&tx, &name)?.expect("the template just saved");
        tx.commit()?;
        Ok(saved)
    }

    /// An entry's fields filled from the template called `name`, for an entry at `at` (default
    /// now; the title pattern takes that local day): what the person gave wins.
    pub fn fill_from_template(
        &self,
        name: &str,
        given: TemplateFields,
        at: Option<DateTime<Utc>>,
    ) -> Result<TemplateFields> {
        let template = self.template(name)?;
        let day = at.unwrap_or_else(|| self.now()).with_timezone(&self.timezone()?).date_naive();
        Ok(template.fill(day, given))
    }

    /// Deletes the template called `name`; entries written from it stay as they are.
    pub fn delete_template(&mut self, name: &str) -> Result<Template> {
        let tx = self.tx()?;
        let t = load(&tx, name)?.ok_or_else(|| Error::not_found("template", name.trim()))?;
        tx.execute("DELETE FROM templates WHERE id = ?1", [&t.id])?;
        tx.commit()?;
        Ok(t)
    }
}
