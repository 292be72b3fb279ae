//! Attachments' sealed chunks in a tenant's schema (`migrations/tenant/V2__attachment_chunks.sql`):
//! claimed by the attachments that are made of them, stored once, deleted with their last
//! reference, counted against the tenant's quota. Claims, stores and releases each lock the
//! tenant's one `chunk_usage` row first, so they never interleave.

use tokio_postgres::types::Type;

use super::{checked_schema, Database, DbResult};

/// What [`Database::store_chunk`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored now; the bytes the tenant holds after it.
    New { used: i64 },
    /// Held already (sent twice, or by another device meanwhile).
    Had { used: i64 },
    /// No attachment claimed this chunk: nothing is stored that nothing refers to.
    Unclaimed,
    /// Storing it would pass the quota.
    Full { used: i64 },
}

impl Database {
    /// A transaction whose `search_path` is the tenant's schema only, on a pooled connection.
    async fn in_tenant<'a>(
        c: &'a mut deadpool_postgres::Object,
        schema: &str,
    ) -> DbResult<deadpool_postgres::Transaction<'a>> {
        let schema = checked_schema(schema)?;
        let tx = c.transaction().await?;
        let pin = tx.prepare_cached("SELECT set_config('search_path', $1, true)").await?;
        tx.query_one(&pin, &[&format!("\"{schema}\"")]).await?;
        Ok(tx)
    }

    /// Records that attachment `owner` is made of `chunks`; answers those not stored yet.
    pub async fn claim_chunks(&self, schema: &str, owner: &str, chunks: &[String]) -> DbResult<Vec<String>> {
        let mut c = self.pool.get().await?;
        let tx = Self::in_tenant(&mut c, schema).await?;
        // Statements on tenant tables are sent unnamed (query_typed), as in push and pull. The
        // usage row's lock orders this claim with a concurrent release: either the release sees
        // these references and keeps the chunks, or this claim sees them gone and asks for them.
        tx.query_typed("SELECT bytes FROM chunk_usage FOR UPDATE", &[]).await?;
        tx.query_typed(
            "INSERT INTO chunk_refs (owner, chunk) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
            &[(&owner, Type::TEXT), (&chunks, Type::TEXT_ARRAY)],
        )
        .await?;
        let missing = tx
            .query_typed(
                "SELECT i.id FROM unnest($1::text[]) WITH ORDINALITY AS i (id, n)
                 WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.id = i.id) ORDER BY i.n",
                &[(&chunks, Type::TEXT_ARRAY)],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        tx.commit().await?;
        Ok(missing)
    }

    /// Stores one sealed chunk if some attachment claimed it and the quota allows.
    pub async fn store_chunk(&self, schema: &str, id: &str, sealed: &[u8], quota: i64) -> DbResult<Stored> {
        let mut c = self.pool.get().await?;
        let tx = Self::in_tenant(&mut c, schema).await?;
        let used: i64 = tx.query_typed_one("SELECT bytes FROM chunk_usage FOR UPDATE", &[]).await?.get(0);
        let claimed = tx
            .query_typed_opt("SELECT 1 FROM chunk_refs WHERE chunk = $1 LIMIT 1", &[(&id, Type::TEXT)])
            .await?
            .is_some();
        if !claimed {
            return Ok(Stored::Unclaimed);
        }
        let held = tx.query_typed_opt("SELECT 1 FROM chunks WHERE id = $1", &[(&id, Type::TEXT)]).await?.is_some();
        if held {
            return Ok(Stored::Had { used });
        }
        let size = sealed.len() as i64;
        if used + size > quota {
            return Ok(Stored::Full { used });
        }
        let size32 = size as i32;
        tx.query_typed(
            "INSERT INTO chunks (id, size, ciphertext) VALUES ($1, $2, $3)",
            &[(&id, Type::TEXT), (&size32, Type::INT4), (&sealed, Type::BYTEA)],
        )
        .await?;
        let used = used + size;
        tx.query_typed("UPDATE chunk_usage SET bytes = $1", &[(&used, Type::INT8)]).await?;
        tx.commit().await?;
        Ok(Stored::New { used })
    }

    /// One sealed chunk, if the tenant holds it.
    pub async fn chunk(&self, schema: &str, id: &str) -> DbResult<Option<Vec<u8>>> {
        let mut c = self.pool.get().await?;
        let tx = Self::in_tenant(&mut c, schema).await?;
        let row = tx.query_typed_opt("SELECT ciphertext FROM chunks WHERE id = $1", &[(&id, Type::TEXT)]).await?;
        tx.commit().await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Drops the references of deleted attachments and deletes the chunks nothing refers to any
    /// more; returns (chunks deleted, bytes held after).
    pub async fn release_chunks(&self, schema: &str, owners: &[String]) -> DbResult<(u32, i64)> {
        let mut c = self.pool.get().await?;
        let tx = Self::in_tenant(&mut c, schema).await?;
        let used: i64 = tx.query_typed_one("SELECT bytes FROM chunk_usage FOR UPDATE", &[]).await?.get(0);
        let dropped: Vec<String> = tx
            .query_typed(
                "DELETE FROM chunk_refs WHERE owner = ANY($1::text[]) RETURNING chunk",
                &[(&owners, Type::TEXT_ARRAY)],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let deleted = tx
            .query_typed(
                "DELETE FROM chunks c WHERE c.id = ANY($1::text[])
                   AND NOT EXISTS (SELECT 1 FROM chunk_refs r WHERE r.chunk = c.id)
                 RETURNING c.size",
                &[(&dropped, Type::TEXT_ARRAY)],
            )
            .await?;
        let freed: i64 = deleted.iter().map(|r| r.get::<_, i32>(0) as i64).sum();
        let used = used - freed;
        tx.query_typed("UPDATE chunk_usage SET bytes = $1", &[(&used, Type::INT8)]).await?;
        tx.commit().await?;
        Ok((deleted.len() as u32, used))
    }

    /// Bytes of sealed chunks the tenant holds.
    pub async fn chunk_usage(&self, schema: &str) -> DbResult<i64> {
        let mut c = self.pool.get().await?;
        let tx = Self::in_tenant(&mut c, schema).await?;
        let used: i64 = tx.query_typed_one("SELECT bytes FROM chunk_usage", &[]).await?.get(0);
        tx.commit().await?;
        Ok(used)
    }
}
