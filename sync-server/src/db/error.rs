//! What a database failure says: the whole chain down to the database's own words.

use tokio_postgres::error::SqlState;

use super::system_migrations;
use crate::tenancy;

/// A database failure. Each message carries the whole chain down to the database's own words
/// (severity, SQLSTATE, message, detail, hint, context) and, where known, the statement that
/// failed: tokio-postgres alone says only `db error`.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("postgres: {}", pg_detail(.0))]
    Pg(#[source] tokio_postgres::Error),
    #[error("postgres, in {statement}: {}", pg_detail(.source))]
    Statement { statement: String, source: tokio_postgres::Error },
    #[error("connection pool: {}", chain(.0))]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("migrations in schema {schema}: {detail}")]
    Migration { schema: String, detail: String },
    #[error("bad database address: {0}")]
    Config(String),
    #[error("already exists")]
    Duplicate,
    #[error("server-generated name {0:?} failed its own check")]
    BadSchemaName(String),
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        DbError::Pg(e)
    }
}

impl DbError {
    pub(super) fn from_pg(e: tokio_postgres::Error) -> DbError {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            DbError::Duplicate
        } else {
            DbError::Pg(e)
        }
    }

    pub(crate) fn statement(statement: &str, source: tokio_postgres::Error) -> DbError {
        DbError::Statement { statement: statement.to_string(), source }
    }

    /// refinery's error (which names the migration) with the database's own message under it and
    /// the statement that failed: the one at the error's position, else the migration's statements.
    pub(crate) fn migration(e: refinery::Error, schema: &str) -> DbError {
        let mut detail = e.to_string();
        let pg = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<tokio_postgres::Error>());
        if let Some(pg) = pg {
            detail = format!("{detail}: {}", pg_detail(pg));
        } else if let Some(src) = std::error::Error::source(&e) {
            detail = format!("{detail}: {}", chain(src));
        }
        let failed = tenancy::runner()
            .get_migrations()
            .iter()
            .chain(system_migrations::migrations::runner().get_migrations())
            .find(|m| e.to_string().contains(&format!("migration {m}")) || e.to_string().ends_with(&m.to_string()))
            .and_then(|m| m.sql())
            .map(|sql| failing_statement(sql, pg.and_then(|p| p.as_db_error()).and_then(|d| d.position())));
        if let Some(statement) = failed {
            detail = format!("{detail}; statement: {statement}");
        }
        DbError::Migration { schema: schema.to_string(), detail }
    }
}

/// A tokio-postgres error in full: the database's own fields when the server answered, else the
/// error and its sources.
pub fn pg_detail(e: &tokio_postgres::Error) -> String {
    use tokio_postgres::error::ErrorPosition;
    let Some(db) = e.as_db_error() else { return chain(e) };
    let mut s = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
    for (label, v) in [("detail", db.detail()), ("hint", db.hint()), ("context", db.where_())] {
        if let Some(v) = v {
            s.push_str(&format!("; {label}: {v}"));
        }
    }
    match db.position() {
        Some(ErrorPosition::Original(n)) => s.push_str(&format!("; at character {n}")),
        Some(ErrorPosition::Internal { position, query }) => {
            s.push_str(&format!("; at character {position} of internal query {query:?}"))
        }
        None => {}
    }
    s
}

/// An error and every source under it, each once.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(x) = next {
        let t = x.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        next = x.source();
    }
    s
}

/// The statement of `sql` at `position` (1-based characters, as Postgres counts), else all of its
/// statements, each cut to a line.
fn failing_statement(sql: &str, position: Option<&tokio_postgres::error::ErrorPosition>) -> String {
    use tokio_postgres::error::ErrorPosition;
    if let Some(ErrorPosition::Original(n)) = position {
        let at: usize = sql.chars().take(*n as usize).map(char::len_utf8).sum();
        let start = sql[..at.min(sql.len())].rfind(';').map_or(0, |i| i + 1);
        let end = sql[at.min(sql.len())..].find(';').map_or(sql.len(), |i| at + i);
        if let Some(s) = tenancy::statements(&sql[start..end]).into_iter().next() {
            return format!("{s:?}");
        }
    }
    let all: Vec<String> = tenancy::statements(sql)
        .into_iter()
        .map(|s| if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s })
        .collect();
    format!("one of {all:?}")
}

pub type DbResult<T> = Result<T, DbError>;
