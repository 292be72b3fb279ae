//! The attachment chunk routes: claim, store, fetch, release. A chunk travels as raw bytes
//! (`application/octet-stream`), sealed on the device; the server checks only its id's form, its
//! size, that some attachment claimed it, and the tenant's quota.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use wisdom_model::sync::{
    is_chunk_id, ChunkClaim, ChunkClaimResponse, ChunkRelease, ChunkReleaseResponse, ChunkStored, MAX_BATCH,
    MAX_CHUNK_CIPHERTEXT,
};

use super::{caller, is_token_text, tenant, tenant_schema, AppRef, Body, Fail};
use crate::db::Stored;

/// A file of 100 MiB (the devices' per-file limit) is 100 chunks; the claim allows ten times that.
const MAX_CLAIM: usize = 1000;

fn check_owner(owner: &str, at: &str) -> Result<(), Fail> {
    if is_token_text(owner, 128) {
        Ok(())
    } else {
        Err(Fail::BadRequest(format!("{at}: an attachment id, 1 to 128 letters, digits, '_', '-', '.', ':'")))
    }
}

fn check_chunk_ids(ids: &[String]) -> Result<(), Fail> {
    if ids.len() > MAX_CLAIM {
        return Err(Fail::TooLarge(format!("at most {MAX_CLAIM} chunks per claim")));
    }
    match ids.iter().position(|id| !is_chunk_id(id)) {
        Some(i) => Err(Fail::BadRequest(format!("chunks[{i}]: 64 lowercase hex characters"))),
        None => Ok(()),
    }
}

fn full(used: i64, quota: i64) -> Fail {
    let gib = |b: i64| b as f64 / (1u64 << 30) as f64;
    Fail::Full(format!(
        "this workspace's files on the server are full ({:.2} of {:.2} GiB used): delete attachments, or ask \
         the server's operator for more room",
        gib(used),
        gib(quota)
    ))
}

/// The tenant and chunk id a chunk route names; a chunk id of the wrong form is the same 404 as
/// a chunk that is not there.
async fn tenant_and_chunk(
    app: &AppRef,
    headers: &HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    write: bool,
) -> Result<(String, String), Fail> {
    let c = caller(app, headers).await?;
    let Ok(Path((tenant_id, chunk_id))) = path else { return Err(Fail::NotFound("no such workspace")) };
    let schema = tenant_schema(app, &c, &tenant_id, write).await?;
    if !is_chunk_id(&chunk_id) {
        return Err(Fail::NotFound("no such chunk"));
    }
    Ok((schema, chunk_id))
}

pub(super) async fn claim(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    Body(req): Body<ChunkClaim>,
) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    let schema = tenant(&app, &c, path, true).await?;
    check_owner(&req.owner, "owner")?;
    check_chunk_ids(&req.chunks)?;
    let missing = app.db.claim_chunks(&schema, &req.owner, &req.chunks).await?;
    Ok(Json(ChunkClaimResponse { missing }).into_response())
}

pub(super) async fn store(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Fail> {
    let (schema, id) = tenant_and_chunk(&app, &headers, path, true).await?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Fail::TooLarge("the request body is larger than this server accepts".into())
        } else {
            Fail::BadRequest(format!("could not read the request body: {e}"))
        }
    })?;
    if !(40..=MAX_CHUNK_CIPHERTEXT).contains(&body.len()) {
        return Err(Fail::BadRequest(format!("body: a sealed chunk, 40 to {MAX_CHUNK_CIPHERTEXT} bytes")));
    }
    let quota = app.config.tenant_quota;
    let (stored, used) = match app.db.store_chunk(&schema, &id, &body, quota).await? {
        Stored::New { used } => (true, used),
        Stored::Had { used } => (false, used),
        Stored::Unclaimed => {
            return Err(Fail::Conflict("unclaimed: claim this chunk for an attachment before sending it".into()))
        }
        Stored::Full { used } => return Err(full(used, quota)),
    };
    app.metrics.record_chunk(body.len(), stored);
    Ok(Json(ChunkStored { stored, used_bytes: used, quota_bytes: quota }).into_response())
}

pub(super) async fn fetch(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, Fail> {
    let (schema, id) = tenant_and_chunk(&app, &headers, path, false).await?;
    let sealed = app.db.chunk(&schema, &id).await?.ok_or(Fail::NotFound("no such chunk"))?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], sealed).into_response())
}

pub(super) async fn release(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    Body(req): Body<ChunkRelease>,
) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    let schema = tenant(&app, &c, path, true).await?;
    if req.owners.len() > MAX_BATCH {
        return Err(Fail::TooLarge(format!("at most {MAX_BATCH} attachments per release")));
    }
    for (i, owner) in req.owners.iter().enumerate() {
        check_owner(owner, &format!("owners[{i}]"))?;
    }
    let (deleted, used) = app.db.release_chunks(&schema, &req.owners).await?;
    Ok(Json(ChunkReleaseResponse { deleted, used_bytes: used, quota_bytes: app.config.tenant_quota }).into_response())
}
