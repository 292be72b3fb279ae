//! Life events: create (with score recompute), read, edit, delete, and list with filters.

use std::collections::HashMap;

use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};

use crate::areas::{recompute_area, resolve_area};
use crate::db::{enum_at, list_at, resolve_id, ts_at, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::search::fts_query;
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{Event, EventCreated, EventFilter, EventPatch, NewEvent};

pub(crate) const EVENT_SELECT: &str = "SELECT e.id, e.life_area_id, e.type, e.category, e.tone, e.title,
    e.description, e.narrative, e.occurred_at, e.emotional_charge, e.created_at, e.updated_at,
    (SELECT json_group_array(name) FROM (SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id
        WHERE et.event_id = e.id ORDER BY t.name))
    FROM events e";

/// The same columns with an empty tag list, for callers that gather tags themselves.
pub(crate) const EVENT_SELECT_NO_TAGS: &str = "SELECT e.id, e.life_area_id, e.type, e.category, e.tone, e.title,
    e.description, e.narrative, e.occurred_at, e.emotional_charge, e.created_at, e.updated_at, NULL
    FROM events e";

pub(crate) fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        life_area_id: r.get(1)?,
        kind: enum_at(r, 2)?,
        category: enum_at(r, 3)?,
        tone: enum_at(r, 4)?,
        title: r.get(5)?,
        description: r.get(6)?,
        narrative: r.get(7)?,
        occurred_at: ts_at(r, 8)?,
        emotional_charge: r.get(9)?,
        created_at: ts_at(r, 10)?,
        updated_at: ts_at(r, 11)?,
        tags: list_at(r, 12)?,
    })
}

pub(crate) fn load_event(conn: &Connection, id: &str) -> Result<Event> {
    let sql = format!("{EVENT_SELECT} WHERE e.id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], event_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("event", id),
        e => e.into(),
    })
}

/// Replaces an event's tags.
pub(crate) fn set_tags(conn: &Connection, event_id: &str, tags: &[String]) -> Result<()> {
    // A new event has no tags yet: asking is a cheap index probe, while the DELETE (its sync
    // trigger makes SQLite stage the rows and journal the statement) showed in bulk-pull profiles.
    let has_tags: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM event_tags WHERE event_id = ?1)")?
        .query_row([event_id], |r| r.get(0))?;
    if has_tags {
        conn.prepare_cached("DELETE FROM event_tags WHERE event_id = ?1")?.execute([event_id])?;
    }
    let mut add_tag = conn.prepare_cached("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?;
    let mut tag_id = conn.prepare_cached("SELECT id FROM tags WHERE name = ?1")?;
    // VALUES rather than INSERT ... SELECT: the latter stages its rows in a temporary b-tree, as
    // the table has triggers, which cost more than the insert itself.
    let mut link = conn.prepare_cached("INSERT OR IGNORE INTO event_tags (event_id, tag_id) VALUES (?1, ?2)")?;
    for tag in tags {
        add_tag.execute([tag])?;
        let id: i64 = tag_id.query_row([tag], |r| r.get(0))?;
        link.execute(params![event_id, id])?;
    }
    Ok(())
}

/// Inserts a validated event with the given id and timestamps (shared by create and import).
pub(crate) fn insert_event(conn: &Connection, e: &Event) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO events (id, life_area_id, type, category, tone, title, description, narrative,
             occurred_at, emotional_charge, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.id,
        e.life_area_id,
        e.kind.as_str(),
        e.category.as_str(),
        e.tone.as_str(),
        e.title.trim(),
        e.description,
        e.narrative,
        time::to_db(e.occurred_at),
        e.emotional_charge,
        time::to_db(e.created_at),
        time::to_db(e.updated_at),
    ])?;
    set_tags(conn, &e.id, &e.tags)
}

/// Bulk writes (an import) insert events many to a statement: SQLite copies every page a
/// statement changes to its statement journal (the events table's triggers and foreign key make
/// each insert one that may need undoing alone), and a statement of its own per event made that
/// copying, with the statement's own start and end, most of an import's time. A batch that fails
/// is tried again one event at a time, so the error names the event at fault.
pub(crate) struct EventBatch {
    pending: Vec<(Event, String)>,
    tag_ids: HashMap<String, i64>,
}

impl EventBatch {
    const SIZE: usize = 64;
    const COLUMNS: &'static str = "INSERT INTO events (id, life_area_id, type, category, tone, title, description,
        narrative, occurred_at, emotional_charge, created_at, updated_at) VALUES ";

    pub(crate) fn new() -> Self {
        EventBatch { pending: Vec::with_capacity(Self::SIZE), tag_ids: HashMap::new() }
    }

    /// Queues `e`; `location` names it in an error (an import's line).
    pub(crate) fn push(&mut self, conn: &Connection, e: Event, location: String) -> Result<()> {
        self.pending.push((e, location));
        if self.pending.len() == Self::SIZE {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes what is queued; call it once more at the end.
    pub(crate) fn flush(&mut self, conn: &Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if let Err(batch_error) = self.insert_all(conn) {
            for (e, location) in &self.pending {
                insert_event(conn, e).map_err(crate::import::at(location.clone()))?;
            }
            return Err(batch_error);
        }
        self.pending.clear();
        Ok(())
    }

    fn insert_all(&mut self, conn: &Connection) -> Result<()> {
        let ids: Vec<&str> = self.pending.iter().map(|(e, _)| e.id.as_str()).collect();
        let (pending, tag_ids) = (&self.pending, &mut self.tag_ids);
        crate::sync::queue_in_bulk(conn, "event", &ids, || Self::write_rows(conn, pending, tag_ids))
    }

    fn write_rows(conn: &Connection, pending: &[(Event, String)], tag_ids: &mut HashMap<String, i64>) -> Result<()> {
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; pending.len()].join(", ");
        let mut args: Vec<Value> = Vec::with_capacity(pending.len() * 12);
        for (e, _) in pending {
            args.extend([
                e.id.clone().into(),
                e.life_area_id.clone().into(),
                e.kind.as_str().to_string().into(),
                e.category.as_str().to_string().into(),
                e.tone.as_str().to_string().into(),
                e.title.trim().to_string().into(),
                e.description.clone().into(),
                e.narrative.clone().map_or(Value::Null, Value::Text),
                time::to_db(e.occurred_at).into(),
                e.emotional_charge.into(),
                time::to_db(e.created_at).into(),
                time::to_db(e.updated_at).into(),
            ]);
        }
        conn.prepare_cached(&format!("{}{rows}", Self::COLUMNS))?.execute(params_from_iter(args))?;
        let mut links: Vec<Value> = Vec::new();
        for (e, _) in pending {
            for tag in &e.tags {
                let id = match tag_ids.get(tag) {
                    Some(&id) => id,
                    None => {
                        conn.prepare_cached("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")?
                            .execute([tag])?;
                        let id: i64 = conn
                            .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
                            .query_row([tag], |r| r.get(0))?;
                        tag_ids.insert(tag.clone(), id);
                        id
                    }
                };
                links.extend([e.id.clone().into(), id.into()]);
            }
        }
        for chunk in links.chunks(2 * Self::SIZE * 4) {
            let rows = vec!["(?, ?)"; chunk.len() / 2].join(", ");
            conn.prepare_cached(&format!("INSERT OR IGNORE INTO event_tags (event_id, tag_id) VALUES {rows}"))?
                .execute(params_from_iter(chunk))?;
        }
        Ok(())
    }
}

/// Turns a validated [`NewEvent`] into the event to store.
pub(crate) fn build_event(conn: &Connection, new: &NewEvent, now: chrono::DateTime<chrono::Utc>) -> Result<Event> {
    build_event_as(conn, new, now, new_id(prefix::EVENT, now))
}

/// [`build_event`] with the id given (a bulk write's from an [`crate::ids::IdSequence`]).
pub(crate) fn build_event_as(
    conn: &Connection,
    new: &NewEvent,
    now: chrono::DateTime<chrono::Utc>,
    id: String,
) -> Result<Event> {
    let tags = new.validate(now)?;
    let life_area_id = resolve_area(conn, new.area_ref()?)?;
    Ok(Event {
        id,
        life_area_id,
        kind: new.kind,
        category: new.category,
        tone: new.tone,
        title: new.title.trim().to_string(),
        description: new.description.clone(),
        narrative: new.narrative.clone().filter(|n| !n.trim().is_empty()),
        occurred_at: new.occurred_at.unwrap_or(now),
        emotional_charge: new.emotional_charge,
        tags,
        created_at: now,
        updated_at: now,
    })
}

/// Gives listed events their tags (sorted by name), in one query for all of them: a tag subquery
/// per row, as in [`EVENT_SELECT`], sorts each row's tags in a sorter of its own, which was 5 ms
/// of a 30-day listing's 6 at 100k events.
fn fill_tags(conn: &Connection, events: &mut [Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>())?;
    let mut stmt = conn.prepare_cached(
        "SELECT et.event_id, t.name FROM json_each(?1) j
           JOIN event_tags et ON et.event_id = j.value JOIN tags t ON t.id = et.tag_id",
    )?;
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        tags.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    for e in events {
        if let Some(mut names) = tags.remove(&e.id) {
            names.sort_unstable();
            e.tags = names;
        }
    }
    Ok(())
}

/// Whether a tag filter should lead (its events fetched, then sorted by date) rather than follow
/// (the newest events walked by date, each checked for the tag), judged by cost in pages read: a
/// fresh process reads every page from disk and decrypts it. Leading costs one row per tagged
/// event; following costs about `limit x events / tagged` rows. A common tag follows, a rare one
/// leads; a listing with no limit, or one narrowed by text, always leads.
fn tag_leads(conn: &Connection, tag_id: i64, f: &EventFilter) -> Result<bool> {
    let (Some(limit), None) = (f.limit, &f.text) else { return Ok(true) };
    let wanted = u64::from(limit) + u64::from(f.offset.unwrap_or(0));
    // rid only grows, so the largest is an upper bound on the events held, read from one index leaf.
    let events: u64 = conn.prepare_cached("SELECT coalesce(max(rid), 0) FROM events")?.query_row([], |r| r.get(0))?;
    // Counting stops where following is sure to be cheaper.
    let enough = ((wanted * events) as f64).sqrt().ceil() as i64 + 1;
    let tagged: u64 = conn
        .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM event_tags WHERE tag_id = ?1 LIMIT ?2)")?
        .query_row(params![tag_id, enough], |r| r.get(0))?;
    Ok(tagged * tagged <= wanted * events)
}

impl Workspace {
    /// Records an event, recomputes its area's score and checks for patterns it completes
    /// (the seed's POST /events).
    pub fn create_event(&mut self, new: &NewEvent) -> Result<EventCreated> {
        let now = self.now();
        let tx = self.tx()?;
        let event = build_event(&tx, new, now)?;
        insert_event(&tx, &event)?;
        let updated_score = recompute_area(&tx, &event.life_area_id, now)?;
        let suggested_insights = crate::patterns::suggest_for(&tx, &event, now)?;
        let event = load_event(&tx, &event.id)?;
        tx.commit()?;
        tracing::debug!(event = %event.id, area = %event.life_area_id, "event created");
        Ok(EventCreated { event, updated_score, suggested_insights })
    }

    /// One event, by id or unique id prefix.
    pub fn event(&self, id: &str) -> Result<Event> {
        let id = resolve_id(&self.conn, Table::Events, id)?;
        load_event(&self.conn, &id)
    }

    pub fn update_event(&mut self, id: &str, patch: &EventPatch) -> Result<Event> {
        let now = self.now();
        let tags = patch.validate(now)?;
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Events, id)?;
        let mut e = load_event(&tx, &id)?;
        let old_area = e.life_area_id.clone();
        if let Some(a) = &patch.life_area {
            e.life_area_id = resolve_area(&tx, a)?;
        }
        if let Some(k) = patch.kind {
            e.kind = k;
        }
        if let Some(c) = patch.category {
            e.category = c;
        }
        if let Some(t) = patch.tone {
            e.tone = t;
        }
        if let Some(t) = &patch.title {
            e.title = t.trim().to_string();
        }
        if let Some(d) = &patch.description {
            e.description = d.clone();
        }
        if let Some(n) = &patch.narrative {
            e.narrative = n.clone().filter(|n| !n.trim().is_empty());
        }
        if let Some(at) = patch.occurred_at {
            e.occurred_at = at;
        }
        if let Some(c) = patch.emotional_charge {
            e.emotional_charge = c;
        }
        tx.prepare_cached(
            "UPDATE events SET life_area_id = ?2, type = ?3, category = ?4, tone = ?5, title = ?6,
                 description = ?7, narrative = ?8, occurred_at = ?9, emotional_charge = ?10, updated_at = ?11
             WHERE id = ?1",
        )?
        .execute(params![
            e.id,
            e.life_area_id,
            e.kind.as_str(),
            e.category.as_str(),
            e.tone.as_str(),
            e.title,
            e.description,
            e.narrative,
            time::to_db(e.occurred_at),
            e.emotional_charge,
            time::to_db(now),
        ])?;
        if let Some(tags) = tags {
            set_tags(&tx, &e.id, &tags)?;
        }
        recompute_area(&tx, &e.life_area_id, now)?;
        if old_area != e.life_area_id {
            recompute_area(&tx, &old_area, now)?;
        }
        let e = load_event(&tx, &e.id)?;
        tx.commit()?;
        Ok(e)
    }

    /// Deletes an event; insights and commitments that pointed at it keep existing (link set to null).
    pub fn delete_event(&mut self, id: &str) -> Result<Event> {
        let now = self.now();
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Events, id)?;
        let e = load_event(&tx, &id)?;
        tx.execute("DELETE FROM events WHERE id = ?1", [&id])?;
        recompute_area(&tx, &e.life_area_id, now)?;
        tx.commit()?;
        Ok(e)
    }

    /// Events matching every given filter, newest first.
    pub fn list_events(&self, f: &EventFilter) -> Result<Vec<Event>> {
        // The filters pick rows by index alone; tags are gathered afterwards for the rows returned.
        let mut sql = format!("{EVENT_SELECT_NO_TAGS} WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(a) = &f.area {
            arg(&mut sql, " AND e.life_area_id = ?", resolve_area(&self.conn, a)?.into());
        }
        if let Some(k) = f.kind {
            arg(&mut sql, " AND e.type = ?", k.as_str().to_string().into());
        }
        if let Some(c) = f.category {
            arg(&mut sql, " AND e.category = ?", c.as_str().to_string().into());
        }
        if let Some(t) = f.tone {
            arg(&mut sql, " AND e.tone = ?", t.as_str().to_string().into());
        }
        if let Some(tag) = &f.tag {
            let name = tag.trim().trim_start_matches(['#', '@']).to_lowercase();
            let tag_id: Option<i64> = self
                .conn
                .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
                .query_row([&name], |r| r.get(0))
                .optional()?;
            let Some(tag_id) = tag_id else { return Ok(Vec::new()) };
            let clause = if tag_leads(&self.conn, tag_id, f)? {
                " AND e.id IN (SELECT event_id FROM event_tags WHERE tag_id = ?)"
            } else {
                " AND EXISTS (SELECT 1 FROM event_tags et WHERE et.event_id = e.id AND et.tag_id = ?)"
            };
            arg(&mut sql, clause, tag_id.into());
        }
        if let Some(from) = f.from {
            arg(&mut sql, " AND e.occurred_at >= ?", time::to_db(from).into());
        }
        if let Some(to) = f.to {
            arg(&mut sql, " AND e.occurred_at < ?", time::to_db(to).into());
        }
        if let Some(after) = &f.after {
            // The mark's own place in the order, so the index range starts right after it.
            let (at, id): (String, String) = self
                .conn
                .prepare_cached("SELECT occurred_at, id FROM events WHERE id = ?1")?
                .query_row([after], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| Error::not_found("event", after))?;
            arg(&mut sql, " AND (e.occurred_at, e.id) < (?", at.into());
            arg(&mut sql, ", ?)", id.into());
        }
        if let Some(text) = &f.text {
            arg(
                &mut sql,
                " AND e.rid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)",
                fts_query(text)?.into(),
            );
        }
        sql.push_str(" ORDER BY e.occurred_at DESC, e.id DESC");
        arg(&mut sql, " LIMIT ?", Value::Integer(f.limit.map_or(-1, i64::from)));
        arg(&mut sql, " OFFSET ?", Value::Integer(f.offset.unwrap_or(0).into()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut events: Vec<Event> =
            stmt.query_map(params_from_iter(args), event_from_row)?.collect::<rusqlite::Result<_>>()?;
        fill_tags(&self.conn, &mut events)?;
        Ok(events)
    }

    /// Every tag in use, with how many events carry it, most used first.
    pub fn tags(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name, count(*) AS n FROM tags t JOIN event_tags et ON et.tag_id = t.id
             GROUP BY t.id ORDER BY n DESC, t.name",
        )?;
        let tags = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    }

    pub fn event_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
    }
}
