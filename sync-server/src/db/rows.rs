//! A tenant's rows: push (last writer by HLC, idempotent by push id) and pull (by the server's
//! sequence). A push is one call of a function in the tenant's schema, which Citus runs on the
//! tenant's worker.

use tokio_postgres::types::Type;
use wisdom_model::sync::{Envelope, PushResponse};

use super::{checked_schema, Database, DbResult};

impl Database {
    /// Stores the versions that are newer than what the tenant holds (last writer by HLC, ties by
    /// device); older or equal ones are counted as stale. A push id seen before is answered from the
    /// record of its first application. One call of the tenant's `push_changes` (migrations/tenant
    /// V3), outside a transaction block: one round trip, and on Citus one command routed to the
    /// tenant's worker, where the function runs whole.
    pub async fn push(
        &self,
        schema: &str,
        push_id: &str,
        device: &str,
        changes: &[Envelope],
    ) -> DbResult<PushResponse> {
        let schema = checked_schema(schema)?;
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
        let c = self.pool.get().await?;
        // The schema is named in the statement (a checked, server-made name; the function pins its
        // own search_path), so the connection's session state is never touched. query_typed sends
        // it unnamed: nothing tenant-specific stays in the connection's plan cache.
        let r = c
            .query_typed_one(
                &format!(
                    "SELECT n_accepted, n_stale, new_head, was_duplicate
                     FROM \"{schema}\".push_changes($1, $2, $3, $4, $5, $6, $7, $8)"
                ),
                &[
                    (&entities, Type::TEXT_ARRAY),
                    (&ids, Type::TEXT_ARRAY),
                    (&hlcs, Type::INT8_ARRAY),
                    (&devices, Type::TEXT_ARRAY),
                    (&tombs, Type::BOOL_ARRAY),
                    (&blobs, Type::BYTEA_ARRAY),
                    (&push_id, Type::TEXT),
                    (&device, Type::TEXT),
                ],
            )
            .await?;
        Ok(PushResponse {
            accepted: r.get::<_, i32>(0) as u32,
            stale: r.get::<_, i32>(1) as u32,
            head: r.get(2),
            duplicate: r.get(3),
        })
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
