//! Tenant schemas: made, distributed (on Citus) and migrated here, and nowhere else.
//!
//! Citus rule. refinery sends each migration file as one query. Citus forwards the raw text of some
//! DDL (`CREATE INDEX`, `ALTER TABLE ... ADD CONSTRAINT`, `... RENAME ...`) to the worker that holds
//! the tenant's schema, and the worker refuses several statements in one prepared query ("cannot
//! insert multiple commands into a prepared statement"). So a tenant migration holding such a
//! statement must hold nothing else; [`citus_rule_violation`] says whether one breaks that, and a
//! test runs it over every embedded tenant migration.
//!
//! Revised migrations. V1 was rewritten in place for that rule (its separate `CREATE UNIQUE INDEX
//! sealed_rows_seq` became a constraint of the same name inside `CREATE TABLE`): the same unique
//! index under the same name, so tenants made with the first form are the same schema. Their history
//! still holds the first form's checksum, which refinery would refuse as divergent the next time it
//! runs there; [`migrate`] records the current checksum for a history row that holds a checksum
//! listed in [`REVISED`], and nothing else.

use tokio_postgres::Client;
use tracing::{info, warn};

use crate::db::{DbError, DbResult};

mod embedded {
    refinery::embed_migrations!("../migrations/tenant");
}

/// (version, checksum of an earlier form of that migration that makes the same schema).
pub const REVISED: &[(i32, u64)] = &[
    // V1__tenant before the Citus rule: sync-server/tests/fixtures/V1__tenant.before-citus.sql.
    (1, 17_199_429_056_570_793_340),
];

pub fn runner() -> refinery::Runner {
    embedded::migrations::runner()
}

/// What the database is: plain PostgreSQL, or a Citus coordinator with some workers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Citus { version: String, workers: i64 },
}

impl Backend {
    /// Asks the database once, at start.
    pub async fn detect(client: &Client) -> DbResult<Backend> {
        let row = client.query_opt("SELECT extversion FROM pg_extension WHERE extname = 'citus'", &[]).await?;
        let Some(row) = row else { return Ok(Backend::Postgres) };
        let version: String = row.get(0);
        let workers: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0",
                &[],
            )
            .await?
            .get(0);
        Ok(Backend::Citus { version, workers })
    }

    pub fn is_citus(&self) -> bool {
        matches!(self, Backend::Citus { .. })
    }
}

/// Creates `schema`, distributes it when the database is a Citus coordinator, and runs the tenant
/// migrations in it. On failure the schema is dropped again, so nothing is left behind.
pub async fn provision(client: &mut Client, backend: &Backend, schema: &str) -> DbResult<()> {
    // Identifiers cannot be bind parameters; callers pass only server-made, checked names. The
    // comment dates the schema, so one a crash left without its tenant row can be told from one
    // being made right now (see [`drop_orphans`]).
    let made = unix_now();
    client
        .batch_execute(&format!(
            "CREATE SCHEMA \"{schema}\"; COMMENT ON SCHEMA \"{schema}\" IS '{}'",
            made_comment(made)
        ))
        .await
        .map_err(|e| DbError::statement("CREATE SCHEMA", e))?;
    let made: DbResult<()> = async {
        if backend.is_citus() {
            distribute(client, schema).await?;
        }
        migrate(client, schema).await?;
        if backend.is_citus() {
            colocate_functions(client, schema).await?;
        }
        Ok(())
    }
    .await;
    if let Err(e) = made {
        drop_schema(client, schema).await;
        return Err(e);
    }
    Ok(())
}

/// Drops a schema this module made; a failure is logged (the schema is then an orphan with no
/// tenant row, which [`drop_orphans`] takes at a later start). Whether it was dropped.
pub async fn drop_schema(client: &Client, schema: &str) -> bool {
    match client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE")).await {
        Ok(()) => true,
        Err(e) => {
            warn!(%schema, error = %DbError::Pg(e), "could not drop a half-made tenant schema");
            false
        }
    }
}

/// How old a tenant schema with no tenant row must be before the server drops it at start: a
/// registration takes well under a second, so such a schema is what a crash between making the
/// schema and writing its rows left, and not another server's registration in flight.
pub const ORPHAN_AFTER_SECONDS: i64 = 3600;
const MADE_PREFIX: &str = "wisdom tenant schema, made at unix time ";

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The comment [`provision`] puts on a schema it makes at `unix_seconds`.
pub fn made_comment(unix_seconds: i64) -> String {
    format!("{MADE_PREFIX}{unix_seconds}")
}

/// Drops the tenant schemas that no tenant row names and that were made more than
/// [`ORPHAN_AFTER_SECONDS`] ago (by the database's clock): what a server killed in the middle of a
/// registration leaves. One whose age is unknown (made before schemas were dated) is logged for an
/// operator and left alone. Returns how many were dropped.
pub async fn drop_orphans(client: &Client) -> DbResult<usize> {
    let rows = client
        .query(
            "SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace'), extract(epoch FROM now())::bigint
             FROM pg_namespace n
             WHERE n.nspname LIKE 'tenant\\_%' AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.schema_name = n.nspname)
             ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| DbError::statement("orphan tenant schemas", e))?;
    let mut dropped = 0;
    for r in &rows {
        let (name, comment, now): (String, Option<String>, i64) = (r.get(0), r.get(1), r.get(2));
        let Ok(schema) = crate::db::checked_schema(&name) else { continue };
        let made = comment.as_deref().and_then(|c| c.strip_prefix(MADE_PREFIX)).and_then(|t| t.parse::<i64>().ok());
        match made {
            Some(made) if now - made > ORPHAN_AFTER_SECONDS => {
                if !drop_schema(client, schema).await {
                    continue;
                }
                info!(%schema, age_s = now - made, "dropped a tenant schema a failed registration left behind");
                dropped += 1;
            }
            Some(_) => {}
            None => warn!(%schema, "a tenant schema without a tenant row, of unknown age: left for an operator"),
        }
    }
    Ok(dropped)
}

/// Makes the schema a distributed schema explicitly, whatever `citus.enable_schema_based_sharding`
/// says; a schema that setting already distributed is left as it is.
async fn distribute(client: &Client, schema: &str) -> DbResult<()> {
    let done: bool = client
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_dist_schema WHERE schemaid = $1::text::regnamespace)", &[&schema])
        .await
        .map_err(|e| DbError::statement("pg_dist_schema lookup", e))?
        .get(0);
    if !done {
        client
            .query_one("SELECT citus_schema_distribute($1::text::regnamespace)::text", &[&schema])
            .await
            .map_err(|e| DbError::statement("SELECT citus_schema_distribute(...)", e))?;
    }
    Ok(())
}

/// The tenant's functions, by signature: on Citus each is distributed with the tenant's tables.
const FUNCTIONS: &[&str] = &["push_changes(text[], text[], bigint[], text[], boolean[], bytea[], text, text)"];

/// On Citus, makes the tenant's functions run where its tables are: a call made outside a
/// transaction block is then sent to that worker whole, one routed command instead of one per
/// statement of the function. A function already colocated with the tenant's `head` is left alone:
/// `create_distributed_function` rewrites its metadata, takes Citus's metadata locks and syncs
/// every worker each time (some 50 ms a tenant), and [`upgrade_all`] passes here for every tenant
/// at every start.
async fn colocate_functions(client: &Client, schema: &str) -> DbResult<()> {
    let head = format!("\"{schema}\".head");
    for f in FUNCTIONS {
        let function = format!("\"{schema}\".{f}");
        let colocated: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_dist_object d JOIN pg_dist_partition p ON p.colocationid = d.colocationid
                 WHERE d.classid = 'pg_proc'::regclass AND d.objid = $1::text::regprocedure
                   AND p.logicalrelid = $2::text::regclass)",
                &[&function, &head],
            )
            .await
            .map_err(|e| DbError::statement("pg_dist_object lookup", e))?
            .get(0);
        if colocated {
            continue;
        }
        client
            .execute(
                "SELECT create_distributed_function($1::text::regprocedure, colocate_with := $2)",
                &[&function, &head],
            )
            .await
            .map_err(|e| DbError::statement("SELECT create_distributed_function(...)", e))?;
    }
    Ok(())
}

/// Brings one tenant schema up to date on `client`, whose `search_path` it leaves at `public`.
pub async fn migrate(client: &mut Client, schema: &str) -> DbResult<refinery::Report> {
    client.query_one("SELECT set_config('search_path', $1, false)", &[&format!("\"{schema}\"")]).await?;
    let result = async {
        record_revisions(client).await?;
        runner().run_async(client).await.map_err(|e| DbError::migration(e, schema))
    }
    .await;
    client.query_one("SELECT set_config('search_path', 'public', false)", &[]).await?;
    result
}

/// For a history row holding an earlier form's checksum (see [`REVISED`]), records the current one.
async fn record_revisions(client: &Client) -> DbResult<()> {
    let has_history: bool =
        client.query_one("SELECT to_regclass('refinery_schema_history') IS NOT NULL", &[]).await?.get(0);
    if !has_history {
        return Ok(());
    }
    for m in runner().get_migrations() {
        let version = m.version();
        for (v, old) in REVISED.iter().filter(|(v, _)| *v == version) {
            let n = client
                .execute(
                    "UPDATE refinery_schema_history SET checksum = $1 WHERE version = $2 AND checksum = $3",
                    &[&m.checksum().to_string(), v, &old.to_string()],
                )
                .await?;
            if n > 0 {
                info!(migration = %m, "recorded the revised checksum of a migration applied in its earlier form");
            }
        }
    }
    Ok(())
}

/// Brings every tenant schema up to date, one at a time (run once at start; a schema already
/// current costs two short queries, and one more on Citus).
pub async fn upgrade_all(client: &mut Client, backend: &Backend) -> DbResult<usize> {
    let schemas: Vec<String> = client
        .query("SELECT schema_name FROM tenants WHERE status <> 'DELETED' ORDER BY created_at, id", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut applied = 0;
    for schema in &schemas {
        let schema = crate::db::checked_schema(schema)?;
        applied += migrate(client, schema).await?.applied_migrations().len();
        if backend.is_citus() {
            colocate_functions(client, schema).await?;
        }
    }
    Ok(applied)
}

/// Why a migration's SQL breaks the Citus rule, if it does: it holds a statement of a kind Citus
/// forwards as raw text, together with other statements.
pub fn citus_rule_violation(sql: &str) -> Option<String> {
    let statements = statements(sql);
    if statements.len() < 2 {
        return None;
    }
    statements.iter().find(|s| forwarded_raw(s)).map(|s| {
        format!(
            "{:?} shares its migration with {} other statement(s); Citus refuses it there: \
             put it in a migration file of its own",
            s,
            statements.len() - 1
        )
    })
}

/// DDL that Citus forwards to the worker as the query's raw text.
fn forwarded_raw(statement: &str) -> bool {
    let words: Vec<String> = statement.split_whitespace().take(64).map(|w| w.to_ascii_uppercase()).collect();
    let starts = |p: &[&str]| words.len() >= p.len() && words.iter().zip(p).all(|(w, p)| w == p);
    let has = |w: &str| words.iter().any(|x| x.trim_end_matches([',', ';']) == w);
    starts(&["CREATE", "INDEX"])
        || starts(&["CREATE", "UNIQUE", "INDEX"])
        || starts(&["DROP", "INDEX"])
        || starts(&["REINDEX"])
        || (starts(&["ALTER"]) && (has("RENAME") || (has("ADD") && has("CONSTRAINT"))))
}

/// The statements of a SQL text, without comments, split on semicolons outside quotes, quoted
/// identifiers and dollar-quoted bodies.
pub fn statements(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let (mut out, mut cur, mut i) = (Vec::new(), String::new(), 0);
    while i < b.len() {
        let rest = &sql[i..];
        if rest.starts_with("--") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
            cur.push(' ');
        } else if b[i] == b'\'' || b[i] == b'"' {
            let q = b[i] as char;
            let end = rest[1..].find(q).map_or(rest.len(), |e| e + 2);
            cur.push_str(&rest[..end]);
            i += end;
        } else if let Some(tag) = dollar_tag(rest) {
            let end = rest[tag.len()..].find(tag).map_or(rest.len(), |e| e + 2 * tag.len());
            cur.push_str(&rest[..end]);
            i += end;
        } else if b[i] == b';' {
            out.push(std::mem::take(&mut cur));
            i += 1;
        } else {
            let c = rest.chars().next().expect("not at the end");
            cur.push(c);
            i += c.len_utf8();
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty()).collect()
}

fn dollar_tag(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('$')?;
    let end = rest.find('$')?;
    rest[..end].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_').then(|| &s[..end + 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tenant_migration_keeps_the_citus_rule() {
        for m in runner().get_migrations() {
            let sql = m.sql().expect("embedded migrations carry their SQL");
            assert_eq!(citus_rule_violation(sql), None, "tenant migration {m}");
        }
    }

    #[test]
    fn the_rule_catches_what_citus_refuses() {
        let before = include_str!("../tests/fixtures/V1__tenant.before-citus.sql");
        assert!(citus_rule_violation(before).unwrap().contains("CREATE UNIQUE INDEX sealed_rows_seq"));
        for bad in [
            "CREATE TABLE a (x int); create index a_x on a (x);",
            "ALTER TABLE a ADD COLUMN y int; ALTER TABLE a ADD CONSTRAINT y_pos CHECK (y > 0)",
            "ALTER TABLE a RENAME COLUMN x TO z;\nCOMMENT ON TABLE a IS 'x'",
            "ALTER INDEX a_x RENAME TO a_z; SELECT 1",
        ] {
            assert!(citus_rule_violation(bad).is_some(), "{bad}");
        }
        for good in [
            "CREATE INDEX a_x ON a (x);",
            "-- a comment; with a semicolon\nALTER TABLE a RENAME COLUMN x TO z",
            "CREATE TABLE a (x int UNIQUE, CONSTRAINT c CHECK (x > 0)); INSERT INTO a VALUES (1); COMMENT ON TABLE a IS 'index; rename'",
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; CREATE INDEX i ON a (x) $body$ LANGUAGE sql; SELECT 1",
        ] {
            assert_eq!(citus_rule_violation(good), None, "{good}");
        }
    }

    #[test]
    fn the_revised_checksum_is_that_of_the_first_form_of_v1() {
        let before = include_str!("../tests/fixtures/V1__tenant.before-citus.sql");
        let first = refinery::Migration::unapplied("V1__tenant", before).unwrap();
        assert_eq!(REVISED, &[(1, first.checksum())]);
        let now = runner().get_migrations()[0].checksum();
        assert_ne!(now, first.checksum(), "V1 was revised; REVISED would be moot");
    }
}
