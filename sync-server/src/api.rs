//! The HTTP surface: routes, request checks, and the mapping of every failure to a JSON
//! [`ApiError`] with a 4xx status (5xx only for the server's own faults, never for bad input).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::{Json, Router};
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tracing::{error, info, warn};
use wisdom_model::sync::{
    ApiError, CreateTenant, Envelope, LoginRequest, PullResponse, PushRequest, RegisterRequest, Session, WrappedKey,
    MAX_BATCH, MAX_CIPHERTEXT,
};
use wisdom_model::validate;

use crate::auth::{self, Throttle};
use crate::db::{Caller, Database, DbError};
use crate::metrics::Metrics;
use crate::Config;

mod chunks;

pub struct AppState {
    pub db: Database,
    pub config: Config,
    pub throttle: Throttle,
    pub metrics: Metrics,
}

type AppRef = Arc<AppState>;

/// The sync API's contract, served at `GET /openapi.json`; `tests/openapi.rs` keeps it true.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Every endpoint: method, path (as the OpenAPI document writes it) and handler.
fn endpoints() -> Vec<(Method, &'static str, MethodRouter<AppRef>)> {
    vec![
        (Method::GET, "/health", get(health)),
        (Method::GET, "/metrics", get(metrics)),
        (Method::GET, "/openapi.json", get(openapi)),
        (Method::POST, "/auth/register", post(register)),
        (Method::POST, "/auth/login", post(login)),
        (Method::POST, "/auth/logout", post(logout)),
        (Method::GET, "/devices", get(devices)),
        (Method::DELETE, "/devices/{device_id}", delete(revoke_device)),
        (Method::GET, "/tenants", get(tenants)),
        (Method::POST, "/tenants", post(create_tenant)),
        (Method::POST, "/tenants/{tenant_id}/push", post(push)),
        (Method::GET, "/tenants/{tenant_id}/pull", get(pull)),
        (Method::PUT, "/tenants/{tenant_id}/key", put(set_key)),
        (Method::POST, "/tenants/{tenant_id}/chunks/claim", post(chunks::claim)),
        (Method::POST, "/tenants/{tenant_id}/chunks/release", post(chunks::release)),
        (Method::PUT, "/tenants/{tenant_id}/chunks/{chunk_id}", put(chunks::store)),
        (Method::GET, "/tenants/{tenant_id}/chunks/{chunk_id}", get(chunks::fetch)),
    ]
}

/// (method, path) of every endpoint the router serves, for the test that compares them with the
/// OpenAPI document.
pub fn endpoint_list() -> Vec<(String, String)> {
    endpoints().into_iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect()
}

pub fn router(state: AppRef) -> Router {
    let max_body = state.config.max_body;
    endpoints()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| r.route(path, handler))
        .fallback(|| async { Fail::NotFound("no such endpoint") })
        .method_not_allowed_fallback(|| async { Fail::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Every way a request can fail.
#[derive(Debug)]
pub enum Fail {
    BadRequest(String),
    Unauthorized(&'static str),
    Forbidden(&'static str),
    NotFound(&'static str),
    MethodNotAllowed,
    Conflict(String),
    TooLarge(String),
    TooMany,
    /// The tenant's attachment space on the server is used up.
    Full(String),
    Internal(String),
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Fail::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            Fail::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "unauthorized", m.into()),
            Fail::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.into()),
            Fail::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m.into()),
            Fail::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not take that method".into())
            }
            Fail::Conflict(m) => (StatusCode::CONFLICT, "conflict", m),
            Fail::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", m),
            Fail::Full(m) => (StatusCode::INSUFFICIENT_STORAGE, "quota_exceeded", m),
            Fail::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many login attempts; wait a minute and try again".into(),
            ),
            Fail::Internal(detail) => {
                // The whole chain goes to the log, under the id the client is given; the client gets
                // no detail of the server's inside.
                let request_id = REQUEST_ID.try_with(|id| id.clone()).unwrap_or_else(|_| auth::new_id());
                error!(%request_id, error = %detail, "request failed");
                let message = format!("the server failed; try again later (request {request_id})");
                let body = ApiError { code: "internal".into(), message, request_id: Some(request_id) };
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
            }
        };
        (status, Json(ApiError { code: code.into(), message, request_id: None })).into_response()
    }
}

impl From<DbError> for Fail {
    fn from(e: DbError) -> Self {
        Fail::Internal(e.to_string())
    }
}

/// A JSON body, read within the size limit, with serde's message (field, line, column) on a 400.
pub struct Body<T>(T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Fail;

    async fn from_request(req: Request, state: &S) -> Result<Self, Fail> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Fail::TooLarge("the request body is larger than this server accepts".into())
            } else {
                Fail::BadRequest(format!("could not read the request body: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes).map(Body).map_err(|e| Fail::BadRequest(format!("invalid JSON body: {e}")))
    }
}

tokio::task_local! {
    /// The id of the request being served: in its log lines, its `x-request-id` header and a 5xx body.
    static REQUEST_ID: String;
}

async fn observe(State(app): State<AppRef>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    // Only the path: query strings and headers (tokens) are never logged.
    let path = req.uri().path().to_string();
    let request_id = auth::new_id();
    let mut res = REQUEST_ID.scope(request_id.clone(), next.run(req)).await;
    let status = res.status().as_u16();
    app.metrics.record_request(status, started.elapsed());
    if status >= 500 {
        warn!(%request_id, %method, %path, status, ms = started.elapsed().as_millis() as u64, "request");
    } else {
        tracing::debug!(%request_id, %method, %path, status, ms = started.elapsed().as_millis() as u64, "request");
    }
    if let Ok(v) = header::HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

async fn health(State(app): State<AppRef>) -> Response {
    match app.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))).into_response(),
        Err(e) => {
            warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "database unreachable"})))
                .into_response()
        }
    }
}

async fn metrics(State(app): State<AppRef>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], app.metrics.render()).into_response()
}

/// The one form of an account's email (model's rule, which the devices apply too).
fn normalise_email(email: &str) -> Result<String, Fail> {
    validate::email("email", email)
        .map_err(|_| Fail::BadRequest("email: expected an address like name@example.org".into()))
}

fn check_credential(c: &str) -> Result<(), Fail> {
    if (32..=512).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Fail::BadRequest("credential: expected 32 to 512 printable characters derived on the device".into()))
    }
}

fn check_device_name(n: &str) -> Result<String, Fail> {
    validate::device_name("deviceName", n).map_err(|e| Fail::BadRequest(format!("deviceName: {}", e.allowed)))
}

fn client_addr(app: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if app.config.trust_forwarded_for {
        if let Some(first) =
            headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    peer.ip().to_string()
}

async fn hash_blocking(credential: String) -> Result<String, Fail> {
    tokio::task::spawn_blocking(move || auth::hash_credential(&credential))
        .await
        .map_err(|e| Fail::Internal(format!("hashing task: {e}")))?
        .map_err(|e| Fail::Internal(format!("hashing the credential: {e}")))
}

async fn start_session(app: &AppState, user_id: String, device_name: &str) -> Result<Session, Fail> {
    let (token, hash) = auth::new_token();
    let ttl = app.config.session_ttl.as_secs() as i64;
    let (device_id, expires_at) = app.db.open_session(&user_id, device_name, &hash, ttl).await?;
    Ok(Session { token: token.to_string(), user_id, device_id, expires_at, tenant: None })
}

async fn register(State(app): State<AppRef>, Body(req): Body<RegisterRequest>) -> Result<Response, Fail> {
    let email = normalise_email(&req.email)?;
    check_credential(&req.credential)?;
    let device = check_device_name(&req.device_name)?;
    if let Some(w) = &req.workspace {
        check_workspace(w)?;
    }
    let phc = hash_blocking(req.credential).await?;
    let (token, hash) = auth::new_token();
    let ttl = app.config.session_ttl.as_secs() as i64;
    let workspace = req.workspace.as_ref().map(|w| (w.workspace_id.as_str(), w.wrapped_key.as_str()));
    let made = match app.db.register(&email, &phc, &device, &hash, ttl, workspace).await {
        Ok(made) => made,
        Err(DbError::Duplicate) => {
            return Err(Fail::Conflict("an account with this email already exists; log in".into()))
        }
        Err(e) => return Err(e.into()),
    };
    app.metrics.registrations.inc();
    info!(user = %made.user_id, device = %made.device_id, "account registered");
    let session = Session {
        token: token.to_string(),
        user_id: made.user_id,
        device_id: made.device_id,
        expires_at: made.expires_at,
        tenant: made.tenant,
    };
    Ok((StatusCode::CREATED, Json(session)).into_response())
}

async fn login(
    State(app): State<AppRef>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> Result<Json<Session>, Fail> {
    let email = normalise_email(&req.email)?;
    check_credential(&req.credential)?;
    let device = check_device_name(&req.device_name)?;
    let keys = [format!("email:{email}"), format!("addr:{}", client_addr(&app, &headers, peer))];
    if !app.throttle.allow(&keys) {
        app.metrics.logins_throttled.inc();
        warn!("login throttled");
        return Err(Fail::TooMany);
    }
    let found = app.db.user_by_email(&email).await?;
    let phc = found.as_ref().map_or(auth::decoy_hash().to_string(), |(_, h)| h.clone());
    let credential = req.credential;
    let ok = tokio::task::spawn_blocking(move || auth::verify_credential(&credential, &phc))
        .await
        .map_err(|e| Fail::Internal(e.to_string()))?;
    let Some((user_id, _)) = found.filter(|_| ok) else {
        app.metrics.login_failures.inc();
        return Err(Fail::Unauthorized("wrong email or password"));
    };
    let session = start_session(&app, user_id, &device).await?;
    info!(user = %session.user_id, device = %session.device_id, "logged in");
    Ok(Json(session))
}

async fn caller(app: &AppState, headers: &HeaderMap) -> Result<Caller, Fail> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Fail::Unauthorized("sign in first: no bearer token"))?;
    if token.len() > 200 {
        return Err(Fail::Unauthorized("session expired or revoked; log in again"));
    }
    app.db
        .caller(&auth::token_hash(token.trim()))
        .await?
        .ok_or(Fail::Unauthorized("session expired or revoked; log in again"))
}

async fn logout(State(app): State<AppRef>, headers: HeaderMap) -> Result<StatusCode, Fail> {
    let c = caller(&app, &headers).await?;
    app.db.revoke_session(&c.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn devices(State(app): State<AppRef>, headers: HeaderMap) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    Ok(Json(app.db.devices(&c).await?).into_response())
}

async fn revoke_device(
    State(app): State<AppRef>,
    headers: HeaderMap,
    device: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<StatusCode, Fail> {
    let c = caller(&app, &headers).await?;
    let Ok(Path(device_id)) = device else { return Err(Fail::NotFound("no such device")) };
    if !auth::is_id(&device_id) || !app.db.revoke_device(&c.user_id, &device_id).await? {
        return Err(Fail::NotFound("no such device"));
    }
    info!(user = %c.user_id, device = %device_id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

async fn tenants(State(app): State<AppRef>, headers: HeaderMap) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    Ok(Json(app.db.tenants(&c.user_id).await?).into_response())
}

fn is_token_text(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.:".contains(&b))
}

fn check_workspace(req: &CreateTenant) -> Result<(), Fail> {
    if !is_token_text(&req.workspace_id, 64) {
        return Err(Fail::BadRequest("workspaceId: 1 to 64 letters, digits, '_', '-', '.', ':'".into()));
    }
    if req.wrapped_key.is_empty() || req.wrapped_key.len() > 8192 {
        return Err(Fail::BadRequest("wrappedKey: 1 to 8192 characters".into()));
    }
    Ok(())
}

async fn create_tenant(
    State(app): State<AppRef>,
    headers: HeaderMap,
    Body(req): Body<CreateTenant>,
) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    check_workspace(&req)?;
    let info = app.db.create_tenant(&c.user_id, &req.workspace_id, &req.wrapped_key).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// Replaces the wrapped key (only the owner or an admin: it decides who can link a device).
async fn set_key(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    Body(req): Body<WrappedKey>,
) -> Result<StatusCode, Fail> {
    let c = caller(&app, &headers).await?;
    let Ok(Path(tenant_id)) = path else { return Err(Fail::NotFound("no such workspace")) };
    let access = app.db.access(&c.user_id, &tenant_id).await?.ok_or(Fail::NotFound("no such workspace"))?;
    if access.role != "OWNER" && access.role != "ADMIN" {
        return Err(Fail::Forbidden("only the workspace's owner or an admin can replace its key"));
    }
    if req.wrapped_key.is_empty() || req.wrapped_key.len() > 8192 {
        return Err(Fail::BadRequest("wrappedKey: 1 to 8192 characters".into()));
    }
    if !app.db.set_wrapped_key(&tenant_id, &req.wrapped_key).await? {
        return Err(Fail::NotFound("no such workspace"));
    }
    info!(user = %c.user_id, tenant = %tenant_id, "wrapped key replaced");
    Ok(StatusCode::NO_CONTENT)
}

/// The tenant a request names, if the caller may reach it; every other case is the same 404.
async fn tenant(
    app: &AppState,
    c: &Caller,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    write: bool,
) -> Result<String, Fail> {
    let Ok(Path(tenant_id)) = path else { return Err(Fail::NotFound("no such workspace")) };
    tenant_schema(app, c, &tenant_id, write).await
}

/// [`tenant`] for a tenant id already taken from the path.
async fn tenant_schema(app: &AppState, c: &Caller, tenant_id: &str, write: bool) -> Result<String, Fail> {
    let access = app.db.access(&c.user_id, tenant_id).await?.ok_or(Fail::NotFound("no such workspace"))?;
    if access.status != "ACTIVE" {
        return Err(Fail::Forbidden("this workspace is suspended on the server"));
    }
    if write && access.role == "VIEWER" {
        return Err(Fail::Forbidden("a viewer cannot change this workspace"));
    }
    Ok(access.schema)
}

pub fn decode_ciphertext(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

pub fn encode_ciphertext(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn check_envelopes(changes: &[Envelope], device: &str) -> Result<(), Fail> {
    if changes.len() > MAX_BATCH {
        return Err(Fail::TooLarge(format!("at most {MAX_BATCH} changes per push")));
    }
    let mut seen = HashSet::with_capacity(changes.len());
    for (i, e) in changes.iter().enumerate() {
        let bad = |m: &str| Fail::BadRequest(format!("changes[{i}].{m}"));
        if !(1..=32).contains(&e.entity.len()) || !e.entity.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(bad("entity: 1 to 32 lowercase letters or '_'"));
        }
        if !is_token_text(&e.id, 128) {
            return Err(bad("id: 1 to 128 letters, digits, '_', '-', '.', ':'"));
        }
        if e.hlc < 0 {
            return Err(bad("hlc: must not be negative"));
        }
        if e.device != device {
            return Err(bad("device: must be the device this session belongs to"));
        }
        if e.seq.is_some() {
            return Err(bad("seq: set by the server, not by a push"));
        }
        match decode_ciphertext(&e.ciphertext) {
            Some(b) if (40..=MAX_CIPHERTEXT).contains(&b.len()) => {}
            Some(_) => return Err(bad(&format!("ciphertext: 40 to {MAX_CIPHERTEXT} bytes sealed"))),
            None => return Err(bad("ciphertext: not base64")),
        }
        if !seen.insert((e.entity.as_str(), e.id.as_str())) {
            return Err(bad("the same row twice in one push"));
        }
    }
    Ok(())
}

async fn push(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    Body(req): Body<PushRequest>,
) -> Result<Response, Fail> {
    let started = Instant::now();
    let c = caller(&app, &headers).await?;
    let schema = tenant(&app, &c, path, true).await?;
    if !is_token_text(&req.push_id, 64) {
        return Err(Fail::BadRequest("pushId: 1 to 64 letters, digits, '_', '-', '.', ':'".into()));
    }
    check_envelopes(&req.changes, &c.device_id)?;
    let res = app.db.push(&schema, &req.push_id, &c.device_id, &req.changes).await?;
    app.metrics.record_push(res.accepted, res.stale, started.elapsed());
    Ok(Json(res).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
}

async fn pull(
    State(app): State<AppRef>,
    headers: HeaderMap,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Fail> {
    let c = caller(&app, &headers).await?;
    let schema = tenant(&app, &c, path, false).await?;
    let Query(q) = query.map_err(|e| Fail::BadRequest(format!("query: {}", e.body_text())))?;
    if q.after < 0 {
        return Err(Fail::BadRequest("after: must not be negative".into()));
    }
    let limit = q.limit.unwrap_or(MAX_BATCH as i64);
    if !(1..=MAX_BATCH as i64).contains(&limit) {
        return Err(Fail::BadRequest(format!("limit: 1 to {MAX_BATCH}")));
    }
    let Some((changes, head)) = app.db.pull(&schema, q.after, limit).await? else {
        return Err(Fail::Conflict("cursor_ahead: this cursor is past the server's head; pull again from 0".into()));
    };
    let next = changes.last().and_then(|e| e.seq).unwrap_or(q.after);
    let more = changes.len() as i64 == limit && next < head;
    app.metrics.record_pull(changes.len());
    Ok(Json(PullResponse { changes, next, head, more }).into_response())
}
