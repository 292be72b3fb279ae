//! The autobiography: eras (chapters of a life) and entries that tell a year or a month of it,
//! linked to the events and life areas they are about.

use rusqlite::{params, Connection};

use crate::areas::resolve_area;
use crate::db::{list_at, resolve_id, ts_at, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{AutobiographyEntry, AutobiographyFilter, AutobiographyPatch, Era, NewAutobiographyEntry, NewEra};

const ERA_SELECT: &str = "SELECT id, name, start_year, end_year, description, created_at, updated_at FROM eras";

const ENTRY_SELECT: &str = "SELECT a.id, a.era_id, a.year, a.month, a.title, a.narrative, a.is_public, a.created_at,
    a.updated_at,
    (SELECT json_group_array(event_id) FROM autobiography_entry_events WHERE entry_id = a.id),
    (SELECT json_group_array(life_area_id) FROM autobiography_entry_areas WHERE entry_id = a.id)
    FROM autobiography_entries a";

fn era_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Era> {
    Ok(Era {
        id: r.get(0)?,
        name: r.get(1)?,
        start_year: r.get(2)?,
        end_year: r.get(3)?,
        description: r.get(4)?,
        created_at: ts_at(r, 5)?,
        updated_at: ts_at(r, 6)?,
    })
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AutobiographyEntry> {
    Ok(AutobiographyEntry {
        id: r.get(0)?,
        era_id: r.get(1)?,
        year: r.get(2)?,
        month: r.get(3)?,
        title: r.get(4)?,
        narrative: r.get(5)?,
        is_public: r.get(6)?,
        created_at: ts_at(r, 7)?,
        updated_at: ts_at(r, 8)?,
        event_ids: list_at(r, 9)?,
        life_area_ids: list_at(r, 10)?,
    })
}

fn load_entry(conn: &Connection, id: &str) -> Result<AutobiographyEntry> {
    let sql = format!("{ENTRY_SELECT} WHERE a.id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], entry_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("autobiography entry", id),
        e => e.into(),
    })
}

fn load_era(conn: &Connection, id: &str) -> Result<Era> {
    let sql = format!("{ERA_SELECT} WHERE id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], era_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("era", id),
        e => e.into(),
    })
}

pub(crate) fn insert_era(conn: &Connection, e: &Era) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO eras (id, name, start_year, end_year, description, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.id,
        e.name,
        e.start_year,
        e.end_year,
        e.description,
        time::to_db(e.created_at),
        time::to_db(e.updated_at)
    ])?;
    Ok(())
}

/// Replaces an entry's links; events must exist, areas may be given by id or slug.
fn set_links(conn: &Connection, entry: &str, events: &[String], areas: &[String]) -> Result<()> {
    conn.prepare_cached("DELETE FROM autobiography_entry_events WHERE entry_id = ?1")?.execute([entry])?;
    conn.prepare_cached("DELETE FROM autobiography_entry_areas WHERE entry_id = ?1")?.execute([entry])?;
    let mut add_event =
        conn.prepare_cached("INSERT OR IGNORE INTO autobiography_entry_events (entry_id, event_id) VALUES (?1, ?2)")?;
    for e in events {
        add_event.execute(params![entry, resolve_id(conn, Table::Events, e)?])?;
    }
    let mut add_area = conn
        .prepare_cached("INSERT OR IGNORE INTO autobiography_entry_areas (entry_id, life_area_id) VALUES (?1, ?2)")?;
    for a in areas {
        add_area.execute(params![entry, resolve_area(conn, a)?])?;
    }
    Ok(())
}

pub(crate) fn insert_entry(conn: &Connection, a: &AutobiographyEntry) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO autobiography_entries (id, era_id, year, month, title, narrative, is_public, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        a.id,
        a.era_id,
        a.year,
        a.month,
        a.title,
        a.narrative,
        a.is_public,
        time::to_db(a.created_at),
        time::to_db(a.updated_at)
    ])?;
    set_links(conn, &a.id, &a.event_ids, &a.life_area_ids)
}

impl Workspace {
    pub fn create_era(&mut self, new: &NewEra) -> Result<Era> {
        new.validate()?;
        let now = self.now();
        let era = Era {
            id: new_id(prefix::ERA, now),
            name: new.name.trim().to_string(),
            start_year: new.start_year,
            end_year: new.end_year,
            description: new.description.clone().filter(|d| !d.trim().is_empty()),
            created_at: now,
            updated_at: now,
        };
        insert_era(&self.conn, &era)?;
        Ok(era)
    }

    pub fn era(&self, id: &str) -> Result<Era> {
        let id = resolve_id(&self.conn, Table::Eras, id)?;
        load_era(&self.conn, &id)
    }

    /// Replaces an era's fields.
    pub fn update_era(&mut self, id: &str, new: &NewEra) -> Result<Era> {
        new.validate()?;
        let id = resolve_id(&self.conn, Table::Eras, id)?;
        self.conn.execute(
            "UPDATE eras SET name = ?2, start_year = ?3, end_year = ?4, description = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, new.name.trim(), new.start_year, new.end_year, new.description, time::to_db(self.now())],
        )?;
        load_era(&self.conn, &id)
    }

    /// Deletes an era that has no entries; one with entries is refused so no story is lost.
    pub fn delete_era(&mut self, id: &str) -> Result<Era> {
        let id = resolve_id(&self.conn, Table::Eras, id)?;
        let era = load_era(&self.conn, &id)?;
        let entries: i64 =
            self.conn.query_row("SELECT count(*) FROM autobiography_entries WHERE era_id = ?1", [&id], |r| r.get(0))?;
        if entries > 0 {
            return Err(Error::Conflict(format!(
                "era {:?} still has {entries} entries; move or delete them first",
                era.name
            )));
        }
        self.conn.execute("DELETE FROM eras WHERE id = ?1", [&id])?;
        Ok(era)
    }

    /// Eras in the order they were lived.
    pub fn eras(&self) -> Result<Vec<Era>> {
        let sql = format!("{ERA_SELECT} ORDER BY start_year, end_year IS NULL, end_year, name");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], era_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn create_autobiography_entry(&mut self, new: &NewAutobiographyEntry) -> Result<AutobiographyEntry> {
        new.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let entry = AutobiographyEntry {
            id: new_id(prefix::AUTOBIOGRAPHY, now),
            era_id: resolve_id(&tx, Table::Eras, &new.era_id)?,
            year: new.year,
            month: new.month,
            title: new.title.trim().to_string(),
            narrative: new.narrative.clone(),
            event_ids: new.event_ids.clone(),
            life_area_ids: new.life_area_ids.clone(),
            is_public: new.is_public,
            created_at: now,
            updated_at: now,
        };
        insert_entry(&tx, &entry)?;
        let out = load_entry(&tx, &entry.id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn autobiography_entry(&self, id: &str) -> Result<AutobiographyEntry> {
        let id = resolve_id(&self.conn, Table::Autobiography, id)?;
        load_entry(&self.conn, &id)
    }

    pub fn update_autobiography_entry(&mut self, id: &str, patch: &AutobiographyPatch) -> Result<AutobiographyEntry> {
        patch.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Autobiography, id)?;
        let mut a = load_entry(&tx, &id)?;
        if let Some(e) = &patch.era_id {
            a.era_id = resolve_id(&tx, Table::Eras, e)?;
        }
        if let Some(y) = patch.year {
            a.year = y;
        }
        if let Some(m) = patch.month {
            a.month = m;
        }
        if let Some(t) = &patch.title {
            a.title = t.trim().to_string();
        }
        if let Some(n) = &patch.narrative {
            a.narrative = n.clone();
        }
        if let Some(p) = patch.is_public {
            a.is_public = p;
        }
        tx.execute(
            "UPDATE autobiography_entries SET era_id = ?2, year = ?3, month = ?4, title = ?5, narrative = ?6,
                 is_public = ?7, updated_at = ?8 WHERE id = ?1",
            params![id, a.era_id, a.year, a.month, a.title, a.narrative, a.is_public, time::to_db(now)],
        )?;
        if patch.event_ids.is_some() || patch.life_area_ids.is_some() {
            let events = patch.event_ids.clone().unwrap_or(a.event_ids.clone());
            let areas = patch.life_area_ids.clone().unwrap_or(a.life_area_ids.clone());
            set_links(&tx, &id, &events, &areas)?;
        }
        let out = load_entry(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn delete_autobiography_entry(&mut self, id: &str) -> Result<AutobiographyEntry> {
        let id = resolve_id(&self.conn, Table::Autobiography, id)?;
        let a = load_entry(&self.conn, &id)?;
        self.conn.execute("DELETE FROM autobiography_entries WHERE id = ?1", [&id])?;
        Ok(a)
    }

    /// Entries in the order they were lived.
    pub fn list_autobiography(&self, f: &AutobiographyFilter) -> Result<Vec<AutobiographyEntry>> {
        let era = f.era_id.as_deref().map(|e| resolve_id(&self.conn, Table::Eras, e)).transpose()?;
        let area = f.area.as_deref().map(|a| resolve_area(&self.conn, a)).transpose()?;
        let sql = format!(
            "{ENTRY_SELECT} WHERE (?1 IS NULL OR a.era_id = ?1) AND (?2 IS NULL OR a.year = ?2)
             AND (?3 IS NULL OR a.id IN (SELECT entry_id FROM autobiography_entry_areas WHERE life_area_id = ?3))
             ORDER BY a.year, a.month IS NOT NULL, a.month, a.created_at"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![era, f.year, area], entry_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
