//! The sync protocol between a device (core's sync client) and the sync server: the JSON bodies of
//! each endpoint. The server only ever sees [`Envelope`]s: routing metadata in the clear, the row
//! itself as ciphertext (base64) sealed under a key the server never holds.

use serde::{Deserialize, Serialize};

/// Largest number of envelopes in one push or one pull page.
pub const MAX_BATCH: usize = 1000;
/// Largest ciphertext of one row, in bytes (a long narrative plus its links, sealed).
pub const MAX_CIPHERTEXT: usize = 1 << 20;

/// `POST /auth/register`: a new account, signed in on its first device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    /// Derived on the device from the account password (never the password, never the data key).
    pub credential: String,
    pub device_name: String,
    /// The account's first workspace, made in the same step: the account, its device, its session
    /// and the tenant are created together or not at all, so a failed register can be sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<CreateTenant>,
}

/// `POST /auth/login`: a session for a (new) device of an existing account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub credential: String,
    pub device_name: String,
}

/// The answer to register and login. The token is shown once; the server keeps only its hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub token: String,
    pub user_id: String,
    pub device_id: String,
    /// Seconds since the Unix epoch.
    pub expires_at: i64,
    /// The tenant made by a register that named a workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantInfo>,
}

/// `POST /tenants`: put a workspace on the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTenant {
    pub workspace_id: String,
    /// The workspace's key file (data key wrapped under the passphrase KEK), opaque to the server.
    pub wrapped_key: String,
}

/// `PUT /tenants/{tenant}/key`: the workspace's key file again, after its passphrase changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WrappedKey {
    pub wrapped_key: String,
}

/// One workspace the signed-in user can reach (`GET /tenants`, `POST /tenants`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantInfo {
    pub tenant_id: String,
    pub workspace_id: String,
    pub role: String,
    pub status: String,
    pub wrapped_key: String,
}

/// A device of the signed-in user (`GET /devices`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub device_id: String,
    pub name: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub last_seen_at: i64,
    pub revoked: bool,
    /// The device asking.
    pub current: bool,
}

/// One version of one row. `hlc` and `device` order versions (last writer wins, ties by device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Envelope {
    pub entity: String,
    pub id: String,
    pub hlc: i64,
    pub device: String,
    pub tombstone: bool,
    /// XChaCha20-Poly1305 nonce and ciphertext, base64 (standard alphabet, padded).
    pub ciphertext: String,
    /// The server's change sequence; set on pull, absent on push.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
}

/// `POST /tenants/{tenant}/push`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushRequest {
    /// Random per batch; a retried batch with the same id is answered from the first attempt.
    pub push_id: String,
    pub changes: Vec<Envelope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// Versions newer than what the server held, now stored.
    pub accepted: u32,
    /// Versions the server already had, or older than what it had (a newer one will come on pull).
    pub stale: u32,
    /// The newest sequence number after this push.
    pub head: i64,
    /// True when this push id had been applied before and nothing was applied now.
    pub duplicate: bool,
}

/// `GET /tenants/{tenant}/pull?after=<seq>&limit=<n>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    pub changes: Vec<Envelope>,
    /// The cursor to ask from next time.
    pub next: i64,
    pub head: i64,
    pub more: bool,
}

/// Largest plaintext of one attachment chunk, in bytes: files are stored (core's attachments) and
/// sent in pieces of this size, so no file needs to be whole in memory on either side.
pub const CHUNK_BYTES: usize = 1 << 20;
/// Largest sealed chunk the server takes: a chunk plus its 24-byte nonce and 16-byte tag.
pub const MAX_CHUNK_CIPHERTEXT: usize = CHUNK_BYTES + 40;

/// A chunk's id: 64 lowercase hex characters, a keyed hash of its plaintext made on the devices
/// (the key never leaves them), so equal chunks of one workspace share an id and are stored
/// once, while the server learns nothing of their content.
pub fn is_chunk_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `POST /tenants/{tenant}/chunks/claim`: the chunks one attachment (`owner`, its id) is made of.
/// The server keeps the reference and answers which chunks it does not hold yet; only those are
/// sent (`PUT /tenants/{tenant}/chunks/{id}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChunkClaim {
    pub owner: String,
    pub chunks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkClaimResponse {
    /// The claimed chunks the server does not hold: the device sends these.
    pub missing: Vec<String>,
}

/// The answer to `PUT /tenants/{tenant}/chunks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkStored {
    /// False when the server held this chunk already (sent twice, or by another device meanwhile).
    pub stored: bool,
    pub used_bytes: i64,
    pub quota_bytes: i64,
}

/// `POST /tenants/{tenant}/chunks/release`: attachments deleted on a device. Their references go,
/// and every chunk no other attachment refers to is deleted from the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChunkRelease {
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkReleaseResponse {
    /// Chunks deleted from the server (no attachment referred to them any more).
    pub deleted: u32,
    /// Bytes of sealed chunks the workspace now holds on the server, and its quota.
    pub used_bytes: i64,
    pub quota_bytes: i64,
}

/// Every non-2xx answer: a stable code and a message a person can act on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// On a 5xx: the id of the server's log line that says what failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A version of a row that lost a sync conflict, as every device of the account sees it: the
/// record itself syncs (entity `conflict`), so it is listed, and can be resolved, anywhere.
/// `Row` is the losing row as JSON (`{"row": {column: value}, "links": {...}}`); it is a type
/// parameter so this crate stays free of a JSON library (core and the UI use `serde_json::Value`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict<Row> {
    /// The record's id: derived from the row and the losing version, so two devices that record
    /// the same loss agree on one record.
    pub id: String,
    /// The kind of row (`event`, `insight`, `autobiography`, ...).
    pub entity: String,
    /// The row's id.
    pub row_id: String,
    /// Why the version lost, in words.
    pub reason: String,
    /// The losing version's title (or name, or statement), for a list.
    pub title: String,
    /// The losing version's longer text, if it has one.
    pub text: Option<String>,
    pub lost: Row,
    /// The device that wrote the losing version, and the one whose version won (ids).
    pub lost_device: Option<String>,
    pub won_device: Option<String>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// The device that recorded the loss.
    pub recorded_by: Option<String>,
    pub state: crate::ConflictState,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The device where it was resolved.
    pub resolved_by: Option<String>,
    /// After "keep both": the id of the new entry made from the losing version.
    pub copy_id: Option<String>,
}

impl<Row> SyncConflict<Row> {
    /// The same record with its losing row in another form (e.g. core's JSON value to [`Json`]).
    pub fn map_lost<To>(self, f: impl FnOnce(Row) -> To) -> SyncConflict<To> {
        SyncConflict {
            id: self.id,
            entity: self.entity,
            row_id: self.row_id,
            reason: self.reason,
            title: self.title,
            text: self.text,
            lost: f(self.lost),
            lost_device: self.lost_device,
            won_device: self.won_device,
            recorded_at: self.recorded_at,
            recorded_by: self.recorded_by,
            state: self.state,
            resolved_at: self.resolved_at,
            resolved_by: self.resolved_by,
            copy_id: self.copy_id,
        }
    }
}

/// Any JSON value: for the one reply that carries data of no fixed shape, a conflict's losing row
/// (this crate has no JSON library). Integers stay exact (a version's clock does not fit an f64).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Json>),
    Object(std::collections::BTreeMap<String, Json>),
}

/// A conflict record as the desktop lists it.
pub type Conflict = SyncConflict<Json>;

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// Row versions sent and stored by the server.
    pub pushed: u32,
    /// Row versions sent that the server already had or had newer.
    pub stale: u32,
    /// Row versions received.
    pub pulled: u32,
    /// Received versions newer than this device's, applied.
    pub applied: u32,
    /// Local versions overwritten by a concurrent one (kept in the conflicts table).
    pub conflicts: u32,
    /// The server sequence this device has now seen.
    pub cursor: i64,
    /// Attachments whose bytes this run put on the server, the chunks sent for them (those the
    /// server held already are counted but not sent twice) and the sealed bytes stored.
    #[serde(default)]
    pub files_sent: u32,
    #[serde(default)]
    pub chunks_sent: u32,
    #[serde(default)]
    pub bytes_sent: u64,
    /// Attachments whose bytes this run fetched whole, the chunks and sealed bytes received.
    #[serde(default)]
    pub files_received: u32,
    #[serde(default)]
    pub chunks_received: u32,
    #[serde(default)]
    pub bytes_received: u64,
    /// Files announced by pulled rows that the server no longer holds (deleted on another device;
    /// the deletion arrives with the next pull).
    #[serde(default)]
    pub files_waiting: u32,
}

/// A workspace's link to a sync server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server: String,
    pub email: String,
    pub tenant_id: String,
    pub device_id: String,
    /// False after a sign-out (or when the server revoked this device): sign in again to sync.
    pub logged_in: bool,
    /// Local changes not yet accepted by the server.
    pub pending: u64,
    pub cursor: i64,
    pub last_sync_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What the desktop's background sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncPhase {
    /// No journal unlocked, or it is not linked to a sync server / signed out.
    Off,
    Syncing,
    /// The last sync went through.
    Idle,
    /// The server could not be reached; retrying with backoff.
    Offline,
    /// The server refused (e.g. this device was revoked); not retried until the person acts.
    Stopped,
}

impl SyncPhase {
    /// Its name in the JSON shapes (and the sidebar's `data-phase`).
    pub fn as_str(self) -> &'static str {
        match self {
            SyncPhase::Off => "off",
            SyncPhase::Syncing => "syncing",
            SyncPhase::Idle => "idle",
            SyncPhase::Offline => "offline",
            SyncPhase::Stopped => "stopped",
        }
    }
}

/// What the sidebar and the settings page show about background sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncActivity {
    pub phase: SyncPhase,
    /// The last failure, in plain words (offline or stopped).
    pub error: Option<crate::ShellError>,
    /// When the next background attempt is due, in seconds from now.
    pub retry_in_secs: Option<u64>,
    /// Local changes not yet on the server (None when the journal was busy and not asked).
    pub pending: Option<u64>,
    pub last_sync_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Bumped whenever a sync applied rows from other devices, or another program on this machine
    /// (the CLI) wrote to the journal, so the window refreshes its views.
    pub received: u64,
}

/// The name this device is listed under on the sync server when the person gives none: the
/// machine's host name (read by the caller), else a plain description.
pub fn device_name(given: Option<&str>, host_name: Option<&str>) -> String {
    [given, host_name]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|n| !n.is_empty())
        .map(|n| n.chars().filter(|c| !c.is_control()).take(crate::validate::DEVICE_NAME_CHARS).collect())
        .unwrap_or_else(|| "this device".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_the_person_then_the_host_then_plainly() {
        assert_eq!(device_name(Some(" Laptop "), Some("host")), "Laptop");
        assert_eq!(device_name(Some("  "), Some("maria-thinkpad\n")), "maria-thinkpad");
        assert_eq!(device_name(None, None), "this device");
        assert_eq!(device_name(None, Some(&"x".repeat(300))).chars().count(), 100);
    }

    #[test]
    fn a_losing_row_keeps_exact_integers_and_nested_shapes() {
        let text = r#"{"row":{"charge":-2.5,"done":true,"hlc":1764553200000123456,"tags":["work",null]}}"#;
        let row: Json = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), text);
    }
}
