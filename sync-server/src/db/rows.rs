//! A tenant's rows: push (last writer by HLC, idempotent by push id) and pull (by the server's
//! sequence). On a Citus coordinator a push is sent as routed plain statements.

use tokio_postgres::types::Type;
use wisdom_model::sync::{Envelope, PushResponse};

use super::{checked_schema, Database, DbResult};

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

impl Database {
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
