//! Insights: what a person (or the pattern engine) noticed. Applying one marks it integrated;
//! dismissing one hides it and keeps the pattern engine from raising it again.

use rusqlite::{params, Connection};

use crate::db::{enum_at, list_at, opt_ts_at, resolve_id, ts_at, Table};
use crate::error::{Error, Result};
use crate::ids::{new_id, prefix};
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{Commitment, Insight, InsightFilter, InsightPatch, NewCommitment, NewInsight};

const INSIGHT_SELECT: &str = "SELECT i.id, i.event_id, i.type, i.title, i.description, i.is_recurring, i.frequency,
    i.applied, i.applied_at, i.dismissed_at, i.created_at, i.updated_at,
    (SELECT json_group_array(event_id) FROM (SELECT event_id FROM insight_events WHERE insight_id = i.id
        ORDER BY position, event_id))
    FROM insights i";

fn insight_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Insight> {
    Ok(Insight {
        id: r.get(0)?,
        event_id: r.get(1)?,
        kind: enum_at(r, 2)?,
        title: r.get(3)?,
        description: r.get(4)?,
        is_recurring: r.get(5)?,
        frequency: r.get(6)?,
        applied: r.get(7)?,
        applied_at: opt_ts_at(r, 8)?,
        dismissed_at: opt_ts_at(r, 9)?,
        created_at: ts_at(r, 10)?,
        updated_at: ts_at(r, 11)?,
        related_events: list_at(r, 12)?,
    })
}

pub(crate) fn load_insight(conn: &Connection, id: &str) -> Result<Insight> {
    let sql = format!("{INSIGHT_SELECT} WHERE i.id = ?1");
    conn.prepare_cached(&sql)?.query_row([id], insight_from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found("insight", id),
        e => e.into(),
    })
}

/// Replaces the events an insight refers to; every id must name an existing event.
pub(crate) fn set_related(conn: &Connection, insight_id: &str, events: &[String]) -> Result<Vec<String>> {
    let mut resolved = Vec::with_capacity(events.len());
    for e in events {
        let id = resolve_id(conn, Table::Events, e)?;
        if !resolved.contains(&id) {
            resolved.push(id);
        }
    }
    conn.prepare_cached("DELETE FROM insight_events WHERE insight_id = ?1")?.execute([insight_id])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO insight_events (insight_id, event_id, position) VALUES (?1, ?2, ?3)")?;
    for (i, e) in resolved.iter().enumerate() {
        stmt.execute(params![insight_id, e, i as i64])?;
    }
    Ok(resolved)
}

pub(crate) fn insert_insight(conn: &Connection, i: &Insight, pattern_key: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO insights (id, event_id, type, title, description, is_recurring, frequency, applied,
             applied_at, dismissed_at, pattern_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        i.id,
        i.event_id,
        i.kind.as_str(),
        i.title.trim(),
        i.description,
        i.is_recurring,
        i.frequency,
        i.applied,
        i.applied_at.map(time::to_db),
        i.dismissed_at.map(time::to_db),
        pattern_key,
        time::to_db(i.created_at),
        time::to_db(i.updated_at),
    ])?;
    set_related(conn, &i.id, &i.related_events)?;
    Ok(())
}

impl Workspace {
    pub fn create_insight(&mut self, new: &NewInsight) -> Result<Insight> {
        new.validate()?;
        let now = self.now();
        let tx = self.tx()?;
        let event_id = new.event_id.as_deref().map(|e| resolve_id(&tx, Table::Events, e)).transpose()?;
        let insight = Insight {
            id: new_id(prefix::INSIGHT, now),
            event_id,
            kind: new.kind,
            title: new.title.trim().to_string(),
            description: new.description.clone(),
            is_recurring: new.is_recurring,
            frequency: new.frequency,
            related_events: new.related_events.clone(),
            applied: false,
            applied_at: None,
            dismissed_at: None,
            created_at: now,
            updated_at: now,
        };
        insert_insight(&tx, &insight, None)?;
        let out = load_insight(&tx, &insight.id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn insight(&self, id: &str) -> Result<Insight> {
        let id = resolve_id(&self.conn, Table::Insights, id)?;
        load_insight(&self.conn, &id)
    }

    pub fn update_insight(&mut self, id: &str, patch: &InsightPatch) -> Result<Insight> {
        patch.validate()?;
        let now = time::to_db(self.now());
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Insights, id)?;
        let mut i = load_insight(&tx, &id)?;
        if let Some(k) = patch.kind {
            i.kind = k;
        }
        if let Some(t) = &patch.title {
            i.title = t.trim().to_string();
        }
        if let Some(d) = &patch.description {
            i.description = d.clone();
        }
        tx.execute(
            "UPDATE insights SET type = ?2, title = ?3, description = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, i.kind.as_str(), i.title, i.description, now],
        )?;
        if let Some(ids) = &patch.related_events {
            let ids = set_related(&tx, &id, ids)?;
            tx.execute("UPDATE insights SET frequency = max(1, ?2) WHERE id = ?1", params![id, ids.len() as i64])?;
        }
        let out = load_insight(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn delete_insight(&mut self, id: &str) -> Result<Insight> {
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Insights, id)?;
        let i = load_insight(&tx, &id)?;
        tx.execute("DELETE FROM insights WHERE id = ?1", [&id])?;
        tx.commit()?;
        Ok(i)
    }

    /// Marks an insight as applied (integrated into how the person lives).
    pub fn apply_insight(&mut self, id: &str) -> Result<Insight> {
        let now = time::to_db(self.now());
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Insights, id)?;
        tx.execute(
            "UPDATE insights SET applied = 1, applied_at = coalesce(applied_at, ?2), dismissed_at = NULL,
                 updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let out = load_insight(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    /// Hides an insight for good: the pattern engine will not raise the same pattern again.
    pub fn dismiss_insight(&mut self, id: &str) -> Result<Insight> {
        let now = time::to_db(self.now());
        let tx = self.tx()?;
        let id = resolve_id(&tx, Table::Insights, id)?;
        tx.execute(
            "UPDATE insights SET dismissed_at = coalesce(dismissed_at, ?2), updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let out = load_insight(&tx, &id)?;
        tx.commit()?;
        Ok(out)
    }

    /// Turns an insight into action: a commitment linked to the insight, to its event (or the
    /// latest event it relates to) and to that event's area, and the insight marked applied.
    pub fn commit_to_insight(&mut self, insight: &str, commitment: &NewCommitment) -> Result<(Insight, Commitment)> {
        let id = resolve_id(&self.conn, Table::Insights, insight)?;
        let i = load_insight(&self.conn, &id)?;
        let new = NewCommitment {
            insight_id: Some(id.clone()),
            event_id: commitment.event_id.clone().or(i.event_id.clone()).or(i.related_events.last().cloned()),
            ..commitment.clone()
        };
        let c = self.create_commitment(&new)?;
        let i = self.apply_insight(&id)?;
        Ok((i, c))
    }

    /// Insights, newest first; dismissed ones only when asked for.
    pub fn list_insights(&self, f: &InsightFilter) -> Result<Vec<Insight>> {
        let sql = format!(
            "{INSIGHT_SELECT} WHERE (?1 IS NULL OR i.type = ?1) AND (?2 IS NULL OR i.applied = ?2)
             AND (?3 OR i.dismissed_at IS NULL) ORDER BY i.updated_at DESC, i.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![f.kind.map(|k| k.as_str()), f.applied, f.include_dismissed], insight_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
