//! The HTTP side of sync: one blocking client, JSON bodies from `model::sync`, and every non-2xx
//! answer turned into [`Error::SyncServer`] with the server's own message.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wisdom_model::sync::*;

use crate::error::{Error, Result};

/// One HTTP client per process: building one loads the system's TLS roots and starts a runtime
/// thread, which would cost more than a small sync itself. Connections are pooled across syncs.
fn shared_client() -> Result<Client> {
    static CLIENT: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c.clone());
    }
    let built = Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| Error::Sync(format!("starting the HTTP client: {e}")))?;
    Ok(CLIENT.get_or_init(|| built).clone())
}

/// A non-2xx answer, with the server's own code and message.
fn server_error(status: StatusCode, bytes: &[u8]) -> Error {
    let (code, message) = match serde_json::from_slice::<ApiError>(bytes) {
        Ok(e) => (e.code, e.message),
        Err(_) => ("http".to_string(), String::from_utf8_lossy(bytes).chars().take(200).collect()),
    };
    Error::SyncServer { status: status.as_u16(), code, message }
}

/// A 2xx answer's body as `T` (an empty body reads as JSON `null`): whatever the bytes, `T` or
/// [`Error::Sync`], never a panic (`sync::fuzz` feeds it raw bytes).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], server: &str) -> Result<T> {
    let body: &[u8] = if body.is_empty() { b"null" } else { body };
    serde_json::from_slice(body).map_err(|e| Error::Sync(format!("unexpected answer from {server}: {e}")))
}

pub(crate) struct Api {
    http: Client,
    base: String,
    token: Option<zeroize::Zeroizing<String>>,
}

impl Api {
    pub fn new(server: &str, token: Option<String>) -> Result<Self> {
        let base = server.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::Sync(format!("server address {base:?}: expected http(s)://host[:port]")));
        }
        Ok(Api { http: shared_client()?, base, token: token.map(zeroize::Zeroizing::new) })
    }

    pub fn server(&self) -> &str {
        &self.base
    }

    fn send<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let req = match &self.token {
            Some(t) => req.bearer_auth(t.as_str()),
            None => req,
        };
        let res = req.send().map_err(|e| Error::SyncUnreachable(format!("{}: {e}", self.base)))?;
        let status = res.status();
        let bytes = res.bytes().map_err(|e| Error::SyncUnreachable(format!("{}: {e}", self.base)))?;
        if status.is_success() {
            return decode(if status == StatusCode::NO_CONTENT { b"" } else { &bytes }, &self.base);
        }
        Err(server_error(status, &bytes))
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let json = serde_json::to_vec(body)?;
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json),
        )
    }

    pub fn register(&self, req: &RegisterRequest) -> Result<Session> {
        self.post("/auth/register", req)
    }

    pub fn login(&self, req: &LoginRequest) -> Result<Session> {
        self.post("/auth/login", req)
    }

    pub fn logout(&self) -> Result<()> {
        self.post::<_, Option<()>>("/auth/logout", &serde_json::json!({})).map(|_| ())
    }

    pub fn tenants(&self) -> Result<Vec<TenantInfo>> {
        self.send(self.http.get(format!("{}/tenants", self.base)))
    }

    pub fn create_tenant(&self, req: &CreateTenant) -> Result<TenantInfo> {
        self.post("/tenants", req)
    }

    pub fn set_wrapped_key(&self, tenant: &str, req: &WrappedKey) -> Result<()> {
        let json = serde_json::to_vec(req)?;
        self.send::<Option<()>>(
            self.http
                .put(format!("{}/tenants/{tenant}/key", self.base))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json),
        )
        .map(|_| ())
    }

    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.send(self.http.get(format!("{}/devices", self.base)))
    }

    pub fn revoke_device(&self, device_id: &str) -> Result<()> {
        self.send::<Option<()>>(self.http.delete(format!("{}/devices/{device_id}", self.base))).map(|_| ())
    }

    pub fn push(&self, tenant: &str, req: &PushRequest) -> Result<PushResponse> {
        self.post(&format!("/tenants/{tenant}/push"), req)
    }

    pub fn claim_chunks(&self, tenant: &str, req: &ChunkClaim) -> Result<ChunkClaimResponse> {
        self.post(&format!("/tenants/{tenant}/chunks/claim"), req)
    }

    pub fn release_chunks(&self, tenant: &str, req: &ChunkRelease) -> Result<ChunkReleaseResponse> {
        self.post(&format!("/tenants/{tenant}/chunks/release"), req)
    }

    pub fn put_chunk(&self, tenant: &str, id: &str, sealed: Vec<u8>) -> Result<ChunkStored> {
        self.send(
            self.http
                .put(format!("{}/tenants/{tenant}/chunks/{id}", self.base))
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(sealed),
        )
    }

    /// One sealed chunk; None when the server does not hold it (its attachment was deleted
    /// meanwhile on another device).
    pub fn chunk(&self, tenant: &str, id: &str) -> Result<Option<Vec<u8>>> {
        let mut req = self.http.get(format!("{}/tenants/{tenant}/chunks/{id}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t.as_str());
        }
        let res = req.send().map_err(|e| Error::SyncUnreachable(format!("{}: {e}", self.base)))?;
        let status = res.status();
        let bytes = res.bytes().map_err(|e| Error::SyncUnreachable(format!("{}: {e}", self.base)))?;
        if status.is_success() {
            return Ok(Some(bytes.to_vec()));
        }
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Err(server_error(status, &bytes))
    }

    pub fn pull(&self, tenant: &str, after: i64, limit: usize) -> Result<PullResponse> {
        self.send(self.http.get(format!("{}/tenants/{tenant}/pull?after={after}&limit={limit}", self.base)))
    }
}
