//! The one place that knows the server's SQL. System tables live in `public`; each tenant's rows in
//! its own schema, reached only through [`Database::in_tenant`], which pins `search_path` to that
//! schema for one transaction (`set_config(..., true)`, parameterised) so no query of a request can
//! see another tenant's tables, or through a function of that schema called by its qualified name
//! (a push), which pins its own `search_path` to the schema it was made in.
//!
//! Schema names are made here from server-generated ids and checked again before use; the only
//! statements not parameterised are `CREATE SCHEMA`/`DROP SCHEMA` and the push's function call,
//! whose identifier cannot be a parameter and is built solely from such a name.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tracing::info;
use wisdom_model::sync::TenantInfo;

use crate::auth;
use crate::tenancy::{self, Backend};

mod accounts;
mod chunks;
mod error;
mod rows;

pub use chunks::Stored;

pub use error::{chain, pg_detail, DbError, DbResult};

mod system_migrations {
    refinery::embed_migrations!("../migrations/server");
}

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
        let orphans = tenancy::drop_orphans(&client).await?;
        if orphans > 0 {
            info!(orphans, "half-made tenant schemas dropped");
        }
        let applied = tenancy::upgrade_all(&mut client, &db.backend).await?;
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
}
