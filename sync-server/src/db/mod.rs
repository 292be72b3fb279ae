//! The one place that knows the server's SQL. System tables live in `public`; each tenant's rows in
//! its own schema, reached only through [`Database::in_tenant`], which pins `search_path` to that
//! schema for one transaction (`set_config(..., true)`, parameterised) so no query of a request can
//! see another tenant's tables.
//!
//! Schema names are made here from server-generated ids and checked again before use; the only
//! statements not parameterised are `CREATE SCHEMA`/`DROP SCHEMA`, whose identifier cannot be a
//! parameter and is built solely from such a name.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{error::SqlState, types::Type, NoTls};
use tracing::info;
use wisdom_model::sync::{DeviceInfo, Envelope, PushResponse, TenantInfo};

use crate::auth;
use crate::tenancy::{self, Backend};

mod system_migrations {
    refinery::embed_migrations!("../migrations/server");
}

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
    fn from_pg(e: tokio_postgres::Error) -> DbError {
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

/// Who a valid session token belongs to.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub device_id: String,
    pub token_hash: Vec<u8>,
}

/// A tenant the caller may reach, with the caller's role in it.
#[derive(Debug, Clone)]
pub struct TenantAccess {
    pub schema: String,
    pub role: String,
    pub status: String,
}

/// What [`Database::register`] made.
#[derive(Debug)]
pub struct Registered {
    pub user_id: String,
    pub device_id: String,
    pub expires_at: i64,
    pub tenant: Option<TenantInfo>,
}

async fn insert_session(
    tx: &tokio_postgres::Transaction<'_>,
    user_id: &str,
    device_name: &str,
    token_hash: &[u8],
    ttl_secs: i64,
) -> DbResult<(String, i64)> {
    let device_id = auth::new_id();
    tx.execute("INSERT INTO devices (id, user_id, name) VALUES ($1, $2, $3)", &[&device_id, &user_id, &device_name])
        .await?;
    let row = tx
        .query_one(
            "INSERT INTO sessions (token_hash, user_id, device_id, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(secs => $4::bigint))
             RETURNING extract(epoch FROM expires_at)::bigint",
            &[&token_hash, &user_id, &device_id, &ttl_secs],
        )
        .await?;
    Ok((device_id, row.get(0)))
}

async fn insert_tenant(
    tx: &tokio_postgres::Transaction<'_>,
    user_id: &str,
    tenant_id: &str,
    schema: &str,
    workspace_id: &str,
    wrapped_key: &str,
) -> DbResult<()> {
    tx.execute(
        "INSERT INTO tenants (id, schema_name, workspace_id, wrapped_key) VALUES ($1, $2, $3, $4)",
        &[&tenant_id, &schema, &workspace_id, &wrapped_key],
    )
    .await?;
    tx.execute("INSERT INTO user_tenants (user_id, tenant_id, role) VALUES ($1, $2, 'OWNER')", &[&user_id, &tenant_id])
        .await?;
    Ok(())
}

/// The push's writes as Citus routes them to the tenant's worker: plain statements on the schema's
/// tables, rows as `VALUES` lists. (The one statement used on plain Postgres, data-modifying CTEs
/// over `unnest`, is split by Citus into plans pulled through the coordinator: 24 ms a push.) The
/// statement text is made from the number of rows only; every value is a parameter.
async fn push_routed(
    tx: &tokio_postgres::Transaction<'_>,
    changes: &[Envelope],
    blobs: &[Vec<u8>],
    head: i64,
    push_id: &str,
    device: &str,
) -> DbResult<u32> {
    use tokio_postgres::types::ToSql;
    let n = changes.len() as i64;
    let seqs: Vec<i64> = (1..=n).map(|i| head + i).collect();
    let mut accepted = 0;
    if !changes.is_empty() {
        let mut params: Vec<(&(dyn ToSql + Sync), Type)> = Vec::with_capacity(changes.len() * 7);
        for ((e, blob), seq) in changes.iter().zip(blobs).zip(&seqs) {
            params.push((&e.entity, Type::TEXT));
            params.push((&e.id, Type::TEXT));
            params.push((&e.hlc, Type::INT8));
            params.push((&e.device, Type::TEXT));
            params.push((&e.tombstone, Type::BOOL));
            params.push((blob, Type::BYTEA));
            params.push((seq, Type::INT8));
        }
        let stored = tx
            .query_typed(
                &format!(
                    "INSERT INTO sealed_rows AS r (entity, id, hlc, device, tombstone, ciphertext, seq) VALUES {}
                     ON CONFLICT (entity, id) DO UPDATE SET hlc = EXCLUDED.hlc, device = EXCLUDED.device,
                         tombstone = EXCLUDED.tombstone, ciphertext = EXCLUDED.ciphertext, seq = EXCLUDED.seq
                     WHERE (r.hlc, r.device COLLATE \"C\") < (EXCLUDED.hlc, EXCLUDED.device COLLATE \"C\")
                     RETURNING seq, entity, id, hlc, device, tombstone",
                    placeholders(changes.len(), 7, 0)
                ),
                &params,
            )
            .await?;
        accepted = stored.len() as u32;
        if !stored.is_empty() {
            let cols: Vec<(i64, String, String, i64, String, bool)> =
                stored.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5))).collect();
            let mut params: Vec<(&(dyn ToSql + Sync), Type)> = Vec::with_capacity(cols.len() * 7);
            for (seq, entity, id, hlc, dev, tomb) in &cols {
                params.push((seq, Type::INT8));
                params.push((entity, Type::TEXT));
                params.push((id, Type::TEXT));
                params.push((hlc, Type::INT8));
                params.push((dev, Type::TEXT));
                params.push((tomb, Type::BOOL));
                params.push((&push_id, Type::TEXT));
            }
            // VALUES, not INSERT ... SELECT: Citus pulls any INSERT ... SELECT through the coordinator.
            tx.query_typed(
                &format!(
                    "INSERT INTO change_log (seq, entity, id, hlc, device, tombstone, push_id) VALUES {}",
                    placeholders(cols.len(), 7, 0)
                ),
                &params,
            )
            .await?;
        }
    }
    let new_head = head + n;
    tx.query_typed("UPDATE head SET seq = $1", &[(&new_head, Type::INT8)]).await?;
    let (acc, stale) = (accepted as i32, (n as i32) - accepted as i32);
    tx.query_typed(
        "INSERT INTO pushes (push_id, device, accepted, stale, head) VALUES ($1, $2, $3, $4, $5)",
        &[
            (&push_id, Type::TEXT),
            (&device, Type::TEXT),
            (&acc, Type::INT4),
            (&stale, Type::INT4),
            (&new_head, Type::INT8),
        ],
    )
    .await?;
    Ok(accepted)
}

/// `($o+1, ..., $o+width), (...)` for `rows` rows.
fn placeholders(rows: usize, width: usize, offset: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (1..=width).map(|c| format!("${}", offset + r * width + c)).collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn owner_view(tenant_id: String, workspace_id: &str, wrapped_key: &str) -> TenantInfo {
    TenantInfo {
        tenant_id,
        workspace_id: workspace_id.into(),
        role: "OWNER".into(),
        status: "ACTIVE".into(),
        wrapped_key: wrapped_key.into(),
    }
}

#[derive(Clone)]
pub struct Database {
    pool: Pool,
    pg: tokio_postgres::Config,
    seen: std::sync::Arc<LastSeen>,
    backend: Backend,
}

/// When each device's `last_seen_at` was last written by this process: at most once a minute, so a
/// busy device does not cost a write per request.
#[derive(Default)]
struct LastSeen(std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>);

impl LastSeen {
    fn due(&self, device: &str) -> bool {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        if m.len() > 100_000 {
            m.retain(|_, t| now.duration_since(*t).as_secs() < 60);
        }
        match m.get(device) {
            Some(t) if now.duration_since(*t).as_secs() < 60 => false,
            _ => {
                m.insert(device.to_string(), now);
                true
            }
        }
    }
}

fn schema_name(tenant_id: &str) -> DbResult<String> {
    let name = format!("tenant_{tenant_id}");
    if auth::is_id(tenant_id) {
        Ok(name)
    } else {
        Err(DbError::BadSchemaName(name))
    }
}

pub(crate) fn checked_schema(name: &str) -> DbResult<&str> {
    match name.strip_prefix("tenant_") {
        Some(id) if auth::is_id(id) => Ok(name),
        _ => Err(DbError::BadSchemaName(name.to_string())),
    }
}

impl Database {
    /// Connects and brings the system layer (public schema) up to date.
    pub async fn connect(url: &str, pool_size: usize) -> DbResult<Self> {
        let pg: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| DbError::Config(e.to_string()))?;
        let mgr = Manager::from_config(pg.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(mgr).max_size(pool_size).build().map_err(|e| DbError::Config(e.to_string()))?;
        let mut db = Database { pool, pg, seen: Default::default(), backend: Backend::Postgres };
        let mut client = db.dedicated().await?;
        let report = system_migrations::migrations::runner()
            .run_async(&mut client)
            .await
            .map_err(|e| DbError::migration(e, "public"))?;
        info!(applied = report.applied_migrations().len(), "system schema ready");
        db.backend = Backend::detect(&client).await?;
        match &db.backend {
            Backend::Citus { version, workers } => {
                info!(citus = true, %version, workers, "database is a Citus coordinator: each new tenant schema is distributed")
            }
            Backend::Postgres => info!(citus = false, "database is plain PostgreSQL (no citus extension)"),
        }
        if matches!(db.backend, Backend::Citus { workers: 0, .. }) {
            tracing::warn!("Citus sees no active worker: tenant schemas stay on the coordinator");
        }
        let applied = tenancy::upgrade_all(&mut client).await?;
        info!(applied, "tenant schemas up to date");
        Ok(db)
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A connection of its own (not pooled), for work that changes session state.
    async fn dedicated(&self) -> DbResult<tokio_postgres::Client> {
        let (client, conn) = self.pg.connect(NoTls).await?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::warn!(error = %e, "dedicated connection ended");
            }
        });
        Ok(client)
    }

    pub async fn ping(&self) -> DbResult<()> {
        self.pool.get().await?.query_one("SELECT 1", &[]).await?;
        Ok(())
    }

    /// The user id and stored hash for an email.
    pub async fn user_by_email(&self, email: &str) -> DbResult<Option<(String, String)>> {
        let c = self.pool.get().await?;
        let row = c.query_opt("SELECT id, password_hash FROM users WHERE email = $1", &[&email]).await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// A new account, its first device and session, and (when `workspace` is given) its first
    /// tenant: all of it or, on any failure, none of it (no user, device, session or schema left),
    /// so the same request can be sent again. An email already taken is [`DbError::Duplicate`].
    pub async fn register(
        &self,
        email: &str,
        phc: &str,
        device_name: &str,
        token_hash: &[u8],
        ttl_secs: i64,
        workspace: Option<(&str, &str)>,
    ) -> DbResult<Registered> {
        // Cheap refusal before a schema is made for nothing; the unique index still decides races.
        if self.user_by_email(email).await?.is_some() {
            return Err(DbError::Duplicate);
        }
        let user_id = auth::new_id();
        let provisioned = match workspace {
            Some(_) => Some(self.provision().await?),
            None => None,
        };
        let rows: DbResult<(String, i64)> = async {
            let mut c = self.pool.get().await?;
            let tx = c.transaction().await?;
            tx.execute("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)", &[&user_id, &email, &phc])
                .await
                .map_err(DbError::from_pg)?;
            let session = insert_session(&tx, &user_id, device_name, token_hash, ttl_secs).await?;
            if let (Some((tenant_id, schema, _)), Some((workspace_id, wrapped_key))) = (&provisioned, workspace) {
                insert_tenant(&tx, &user_id, tenant_id, schema, workspace_id, wrapped_key).await?;
            }
            tx.commit().await?;
            Ok(session)
        }
        .await;
        let (device_id, expires_at) = match rows {
            Ok(r) => r,
            Err(e) => {
                if let Some((_, schema, client)) = &provisioned {
                    tenancy::drop_schema(client, schema).await;
                }
                return Err(e);
            }
        };
        let tenant = provisioned.zip(workspace).map(|((tenant_id, ..), (workspace_id, wrapped_key))| {
            info!(tenant = %tenant_id, "tenant provisioned");
            owner_view(tenant_id, workspace_id, wrapped_key)
        });
        Ok(Registered { user_id, device_id, expires_at, tenant })
    }

    /// A new device and a session on it; returns (device id, expiry in Unix seconds).
    pub async fn open_session(
        &self,
        user_id: &str,
        device_name: &str,
        token_hash: &[u8],
        ttl_secs: i64,
    ) -> DbResult<(String, i64)> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        let session = insert_session(&tx, user_id, device_name, token_hash, ttl_secs).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The caller behind a token, if the session and its device are live.
    pub async fn caller(&self, token_hash: &[u8]) -> DbResult<Option<Caller>> {
        let c = self.pool.get().await?;
        let stmt = c
            .prepare_cached(
                "SELECT s.user_id, s.device_id FROM sessions s JOIN devices d ON d.id = s.device_id
                 WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
                   AND d.revoked_at IS NULL",
            )
            .await?;
        let Some(row) = c.query_opt(&stmt, &[&token_hash]).await? else { return Ok(None) };
        let caller = Caller { user_id: row.get(0), device_id: row.get(1), token_hash: token_hash.to_vec() };
        if self.seen.due(&caller.device_id) {
            c.execute("UPDATE devices SET last_seen_at = now() WHERE id = $1", &[&caller.device_id]).await?;
        }
        Ok(Some(caller))
    }

    pub async fn revoke_session(&self, token_hash: &[u8]) -> DbResult<()> {
        let c = self.pool.get().await?;
        c.execute(
            "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL",
            &[&token_hash],
        )
        .await?;
        Ok(())
    }

    /// Revokes one of the user's devices and every session on it. False if the user has no such device.
    pub async fn revoke_device(&self, user_id: &str, device_id: &str) -> DbResult<bool> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        let n = tx
            .execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2",
                &[&device_id, &user_id],
            )
            .await?;
        tx.execute(
            "UPDATE sessions SET revoked_at = now() WHERE device_id = $1 AND user_id = $2 AND revoked_at IS NULL",
            &[&device_id, &user_id],
        )
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub async fn devices(&self, caller: &Caller) -> DbResult<Vec<DeviceInfo>> {
        let c = self.pool.get().await?;
        let rows = c
            .query(
                "SELECT id, name, extract(epoch FROM created_at)::bigint, extract(epoch FROM last_seen_at)::bigint,
                        revoked_at IS NOT NULL
                 FROM devices WHERE user_id = $1 ORDER BY created_at, id",
                &[&caller.user_id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get(0);
                DeviceInfo {
                    current: id == caller.device_id,
                    device_id: id,
                    name: r.get(1),
                    created_at: r.get(2),
                    last_seen_at: r.get(3),
                    revoked: r.get(4),
                }
            })
            .collect())
    }

    /// A new schema (distributed on Citus) with the tenant tables in it, on a connection of its own
    /// (its `search_path` is changed while migrating); returns (tenant id, schema, that connection).
    async fn provision(&self) -> DbResult<(String, String, tokio_postgres::Client)> {
        let tenant_id = auth::new_id();
        let schema = schema_name(&tenant_id)?;
        let mut client = self.dedicated().await?;
        tenancy::provision(&mut client, &self.backend, &schema).await?;
        Ok((tenant_id, schema, client))
    }

    /// Creates a tenant owned by `user_id`: its schema, its tables (tenant migrations), its rows in the
    /// system layer. On any failure the schema is dropped again and no row is left.
    pub async fn create_tenant(&self, user_id: &str, workspace_id: &str, wrapped_key: &str) -> DbResult<TenantInfo> {
        let (tenant_id, schema, client) = self.provision().await?;
        let rows: DbResult<()> = async {
            let mut c = self.pool.get().await?;
            let tx = c.transaction().await?;
            insert_tenant(&tx, user_id, &tenant_id, &schema, workspace_id, wrapped_key).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = rows {
            tenancy::drop_schema(&client, &schema).await;
            return Err(e);
        }
        info!(tenant = %tenant_id, "tenant provisioned");
        Ok(owner_view(tenant_id, workspace_id, wrapped_key))
    }

    /// Replaces a tenant's wrapped key (its passphrase changed on a device). False if no such tenant.
    pub async fn set_wrapped_key(&self, tenant_id: &str, wrapped_key: &str) -> DbResult<bool> {
        let c = self.pool.get().await?;
        let n = c.execute("UPDATE tenants SET wrapped_key = $2 WHERE id = $1", &[&tenant_id, &wrapped_key]).await?;
        Ok(n == 1)
    }

    pub async fn tenants(&self, user_id: &str) -> DbResult<Vec<TenantInfo>> {
        let c = self.pool.get().await?;
        let rows = c
            .query(
                "SELECT t.id, t.workspace_id, ut.role, t.status, t.wrapped_key
                 FROM user_tenants ut JOIN tenants t ON t.id = ut.tenant_id
                 WHERE ut.user_id = $1 AND t.status <> 'DELETED' ORDER BY t.created_at, t.id",
                &[&user_id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| TenantInfo {
                tenant_id: r.get(0),
                workspace_id: r.get(1),
                role: r.get(2),
                status: r.get(3),
                wrapped_key: r.get(4),
            })
            .collect())
    }

    /// The caller's access to a tenant; None when the tenant does not exist or is not theirs.
    pub async fn access(&self, user_id: &str, tenant_id: &str) -> DbResult<Option<TenantAccess>> {
        if !auth::is_id(tenant_id) {
            return Ok(None);
        }
        let c = self.pool.get().await?;
        let stmt = c
            .prepare_cached(
                "SELECT t.schema_name, ut.role, t.status FROM user_tenants ut JOIN tenants t ON t.id = ut.tenant_id
                 WHERE ut.user_id = $1 AND t.id = $2 AND t.status <> 'DELETED'",
            )
            .await?;
        let row = c.query_opt(&stmt, &[&user_id, &tenant_id]).await?;
        Ok(row.map(|r| TenantAccess { schema: r.get(0), role: r.get(1), status: r.get(2) }))
    }

    /// Stores the versions that are newer than what the tenant holds (last writer by HLC, ties by
    /// device); older or equal ones are counted as stale. A push id seen before is answered from the
    /// record of its first application.
    pub async fn push(
        &self,
        schema: &str,
        push_id: &str,
        device: &str,
        changes: &[Envelope],
    ) -> DbResult<PushResponse> {
        let schema = checked_schema(schema)?;
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        let pin = tx.prepare_cached("SELECT set_config('search_path', $1, true)").await?;
        tx.query_one(&pin, &[&format!("\"{schema}\"")]).await?;
        // Statements naming tenant tables are never prepared-and-cached on the pooled connection:
        // isolation must not rest on the plan cache noticing a changed search_path. query_typed
        // sends them unnamed, parse and execute in one round trip.
        // Serialises pushes within this tenant (see migrations/tenant): sequence numbers commit in order.
        let head: i64 = tx.query_typed_one("SELECT seq FROM head FOR UPDATE", &[]).await?.get(0);
        if let Some(r) = tx
            .query_typed_opt("SELECT accepted, stale, head FROM pushes WHERE push_id = $1", &[(&push_id, Type::TEXT)])
            .await?
        {
            return Ok(PushResponse {
                accepted: r.get::<_, i32>(0) as u32,
                stale: r.get::<_, i32>(1) as u32,
                head: r.get(2),
                duplicate: true,
            });
        }
        let mut entities = Vec::with_capacity(changes.len());
        let mut ids = Vec::with_capacity(changes.len());
        let mut hlcs = Vec::with_capacity(changes.len());
        let mut devices = Vec::with_capacity(changes.len());
        let mut tombs = Vec::with_capacity(changes.len());
        let mut blobs: Vec<Vec<u8>> = Vec::with_capacity(changes.len());
        for e in changes {
            entities.push(e.entity.as_str());
            ids.push(e.id.as_str());
            hlcs.push(e.hlc);
            devices.push(e.device.as_str());
            tombs.push(e.tombstone);
            blobs.push(crate::api::decode_ciphertext(&e.ciphertext).unwrap_or_default());
        }
        let n = changes.len() as i64;
        if self.backend.is_citus() {
            let accepted = push_routed(&tx, changes, &blobs, head, push_id, device).await?;
            tx.commit().await?;
            return Ok(PushResponse { accepted, stale: n as u32 - accepted, head: head + n, duplicate: false });
        }
        // Store the newer versions, log them, move the head and remember the push: one statement.
        let accepted: i64 = tx
            .query_typed_one(
                "WITH up AS (
                     INSERT INTO sealed_rows AS r (entity, id, hlc, device, tombstone, ciphertext, seq)
                     SELECT entity, id, hlc, device, tombstone, ciphertext, $7 + ord
                     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bool[], $6::bytea[])
                          WITH ORDINALITY AS i (entity, id, hlc, device, tombstone, ciphertext, ord)
                     ON CONFLICT (entity, id) DO UPDATE SET hlc = EXCLUDED.hlc, device = EXCLUDED.device,
                         tombstone = EXCLUDED.tombstone, ciphertext = EXCLUDED.ciphertext, seq = EXCLUDED.seq
                     WHERE (r.hlc, r.device COLLATE \"C\") < (EXCLUDED.hlc, EXCLUDED.device COLLATE \"C\")
                     RETURNING entity, id, hlc, device, tombstone, seq
                 ),
                 logged AS (
                     INSERT INTO change_log (seq, entity, id, hlc, device, tombstone, push_id)
                     SELECT seq, entity, id, hlc, device, tombstone, $8 FROM up
                 ),
                 moved AS (UPDATE head SET seq = $7 + $9),
                 remembered AS (
                     INSERT INTO pushes (push_id, device, accepted, stale, head)
                     SELECT $8, $10, count(*), $9 - count(*), $7 + $9 FROM up
                 )
                 SELECT count(*) FROM up",
                &[
                    (&entities, Type::TEXT_ARRAY),
                    (&ids, Type::TEXT_ARRAY),
                    (&hlcs, Type::INT8_ARRAY),
                    (&devices, Type::TEXT_ARRAY),
                    (&tombs, Type::BOOL_ARRAY),
                    (&blobs, Type::BYTEA_ARRAY),
                    (&head, Type::INT8),
                    (&push_id, Type::TEXT),
                    (&n, Type::INT8),
                    (&device, Type::TEXT),
                ],
            )
            .await?
            .get(0);
        tx.commit().await?;
        Ok(PushResponse { accepted: accepted as u32, stale: (n - accepted) as u32, head: head + n, duplicate: false })
    }

    /// Versions after `after`, oldest first, and the tenant's head. None when `after` is past the head
    /// (the client's cursor is from a different life of this tenant).
    pub async fn pull(&self, schema: &str, after: i64, limit: i64) -> DbResult<Option<(Vec<Envelope>, i64)>> {
        let schema = checked_schema(schema)?;
        let mut c = self.pool.get().await?;
        let tx = c.build_transaction().read_only(true).start().await?;
        let pin = tx.prepare_cached("SELECT set_config('search_path', $1, true)").await?;
        tx.query_one(&pin, &[&format!("\"{schema}\"")]).await?;
        let head: i64 = tx.query_typed_one("SELECT seq FROM head", &[]).await?.get(0);
        if after > head {
            return Ok(None);
        }
        let rows = tx
            .query_typed(
                "SELECT entity, id, hlc, device, tombstone, ciphertext, seq FROM sealed_rows
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[(&after, Type::INT8), (&limit, Type::INT8)],
            )
            .await?;
        tx.commit().await?;
        let changes = rows
            .iter()
            .map(|r| Envelope {
                entity: r.get(0),
                id: r.get(1),
                hlc: r.get(2),
                device: r.get(3),
                tombstone: r.get(4),
                ciphertext: crate::api::encode_ciphertext(r.get::<_, &[u8]>(5)),
                seq: Some(r.get(6)),
            })
            .collect();
        Ok(Some((changes, head)))
    }
}
