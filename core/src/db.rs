//! Small helpers for reading rows: enums and timestamps from their text columns, link lists from
//! `json_group_array`, and resolving ids (or unique id prefixes) that a person typed.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, Row};

use crate::error::{Error, Result};
use crate::time;

fn conversion(idx: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
}

/// A text column borrowed from the row (listings read several per row: no copy each).
fn text_at<'r>(row: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    match row.get_ref(idx)? {
        ValueRef::Text(t) => std::str::from_utf8(t).map(Some).map_err(|e| conversion(idx, e)),
        ValueRef::Null => Ok(None),
        other => Err(rusqlite::Error::InvalidColumnType(idx, String::new(), other.data_type())),
    }
}

fn required(idx: usize, text: Option<&str>) -> rusqlite::Result<&str> {
    text.ok_or(rusqlite::Error::InvalidColumnType(idx, String::new(), Type::Null))
}

pub(crate) fn enum_at<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    required(idx, text_at(row, idx)?)?.parse().map_err(|e| conversion(idx, e))
}

pub(crate) fn ts_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    time::from_db(required(idx, text_at(row, idx)?)?).map_err(|e| conversion(idx, e))
}

pub(crate) fn opt_ts_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text_at(row, idx)?.map(|t| time::from_db(t).map_err(|e| conversion(idx, e))).transpose()
}

/// A column holding `json_group_array(...)` of strings (or NULL for none).
pub(crate) fn list_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: Option<String> = row.get(idx)?;
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(&t).map_err(|e| conversion(idx, e)),
    }
}

/// The tables whose ids a person may type, shortened to a unique prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Table {
    Events,
    Insights,
    Commitments,
    Boundaries,
    Eras,
    Autobiography,
    Conflicts,
    Attachments,
}

impl Table {
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Table::Events => ("event", "SELECT id FROM events WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Insights => ("insight", "SELECT id FROM insights WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Commitments => ("commitment", "SELECT id FROM commitments WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Boundaries => ("boundary", "SELECT id FROM boundaries WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Eras => ("era", "SELECT id FROM eras WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Conflicts => ("conflict", "SELECT id FROM conflicts WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Attachments => ("attachment", "SELECT id FROM attachments WHERE id >= ?1 AND id < ?2 LIMIT 2"),
            Table::Autobiography => {
                ("autobiography entry", "SELECT id FROM autobiography_entries WHERE id >= ?1 AND id < ?2 LIMIT 2")
            }
        }
    }
}

/// The full id for `given`: itself if it exists, else the one id it is a prefix of.
pub(crate) fn resolve_id(conn: &Connection, table: Table, given: &str) -> Result<String> {
    let (entity, sql) = table.sql();
    let given = given.trim();
    if given.is_empty() {
        return Err(Error::not_found(entity, given));
    }
    // Ids are ASCII below '~', so [given, given~) is exactly the ids starting with `given`.
    let upper = format!("{given}~");
    let mut stmt = conn.prepare_cached(sql)?;
    let found: Vec<String> = stmt.query_map([given, upper.as_str()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [] => Err(Error::not_found(entity, given)),
        [one] => Ok(one.clone()),
        many => {
            if many.iter().any(|id| id == given) {
                Ok(given.to_string())
            } else {
                Err(Error::Ambiguous { entity, prefix: given.to_string(), count: many.len() })
            }
        }
    }
}
