//! The system layer's accounts: users, devices and sessions, and registering (an account, its
//! first device and session, and its first tenant, all or nothing).

use tracing::info;
use wisdom_model::sync::DeviceInfo;

use super::{insert_tenant, owner_view, Caller, Database, DbError, DbResult, Registered};
use crate::{auth, tenancy};

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

impl Database {
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
}
