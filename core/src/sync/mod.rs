//! End-to-end encrypted sync through a sync server (sync-server/).
//!
//! Every change to a synced row is queued by SQLite triggers (migrations/workspace/V2__sync.sql)
//! in `sync_outbox`. [`Workspace::sync_now`] first pushes the queue: each row is read whole (with its
//! links), stamped with the hybrid logical clock, sealed under the workspace data key and sent as an
//! envelope; then it pulls every version the server has after this device's cursor and applies the
//! ones newer than what it holds (last writer by HLC, ties by device id), all in one transaction.
//! A version that overwrites a local version it was not written on top of is a conflict: the local
//! loser is kept as a conflict record (`conflicts.rs`), itself a synced row, so every device lists
//! it ([`Workspace::sync_conflicts`]) and any can resolve it ([`Workspace::resolve_conflict`]).
//!
//! The server sees entity names, ids, versions and ciphertext, never content. It authenticates the
//! account with a credential derived from the account password by Argon2id under an account salt,
//! which is unrelated to the workspace passphrase's KEK, so the server cannot derive any key.

mod bulk;
mod client;
mod conflicts;
mod files;
#[cfg(test)]
mod fuzz;
mod hlc;
mod linking;
pub(crate) mod rows;
mod run;
mod seal;

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tracing::{debug, info};
use zeroize::Zeroizing;

pub(crate) use bulk::queue_in_bulk;
pub use hlc::hlc_time;
pub(crate) use run::Exclusive;
pub use run::{sync_in_steps, SyncAccess};
pub use wisdom_model::sync::DeviceInfo;

use crate::error::{Error, Result};
use crate::keys::{DataKey, KdfParams, KeyFile, Passphrase};
use crate::time::Clock;
use crate::workspace::Workspace;
use client::Api;
use seal::Binding;

/// Rows per push request, and the sealed bytes after which a batch is cut short.
const PUSH_BATCH: usize = 500;
const PUSH_BYTES: usize = 4 << 20;
const PULL_PAGE: usize = 1000;

/// What one [`Workspace::sync_now`] did, and a workspace's link to a server (declared in model/).
pub use wisdom_model::sync::{SyncReport, SyncStatus};

/// A version that lost a conflict, as every device of the account sees it.
pub type SyncConflict = wisdom_model::sync::SyncConflict<Value>;

/// Queued changes sealed for one push request, and what to take off the queue once it is accepted.
struct PushBatch {
    changes: Vec<wisdom_model::sync::Envelope>,
    /// (seq, n) of each change, in step with `changes`.
    sent: Vec<(i64, i64)>,
    /// Queue entries of entities this version does not know.
    unknown: Vec<i64>,
}

/// What is sealed inside an envelope.
#[derive(Serialize, Deserialize)]
struct Sealed {
    /// The version this one was written on top of (None for a new row).
    base: Option<(i64, String)>,
    /// The row, or None for a tombstone.
    data: Option<Value>,
}

struct Link {
    server: String,
    tenant_id: String,
    device_id: String,
    token: Option<Zeroizing<String>>,
    cursor: i64,
}

/// The credential the server sees: Argon2id of the account password under a salt made from the
/// account's email. The workspace KEK uses a random salt and the passphrase, so neither this value
/// nor anything the server stores leads to the data key.
fn credential(email: &str, password: &Passphrase) -> Result<Zeroizing<String>> {
    let params = Params::new(KdfParams::MINIMUM.memory_kib, KdfParams::MINIMUM.iterations, 1, Some(32))
        .map_err(|e| Error::Sync(format!("credential parameters: {e}")))?;
    let salt = format!("wisdomos-account/1|{email}");
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt.as_bytes(), out.as_mut())
        .map_err(|e| Error::Sync(format!("deriving the account credential: {e}")))?;
    Ok(Zeroizing::new(crate::keys::hex(out.as_ref())))
}

/// The one form of an account's email (model's rule, which the server applies too): the
/// credential is derived from it.
fn normalise_email(email: &str) -> Result<String> {
    Ok(wisdom_model::validate::email("email", email)?)
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn push_id() -> String {
    use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    format!("p_{}", crate::keys::hex(&b))
}

impl Workspace {
    fn sync_link(&self) -> Result<Link> {
        self.conn
            .query_row("SELECT server, tenant_id, device_id, token, cursor FROM sync_state WHERE one = 1", [], |r| {
                Ok(Link {
                    server: r.get(0)?,
                    tenant_id: r.get(1)?,
                    device_id: r.get(2)?,
                    token: r.get::<_, Option<String>>(3)?.map(Zeroizing::new),
                    cursor: r.get(4)?,
                })
            })
            .optional()?
            .ok_or_else(|| {
                Error::Sync("this workspace is not linked to a sync server: run `wisdom sync register`".into())
            })
    }

    fn signed_in(&self) -> Result<(Link, Api)> {
        let link = self.sync_link()?;
        let token = link
            .token
            .as_ref()
            .map(|t| t.to_string())
            .ok_or_else(|| Error::Sync("logged out of the sync server: run `wisdom sync login`".into()))?;
        let api = Api::new(&link.server, Some(token))?;
        Ok((link, api))
    }

    fn save_link(
        &mut self,
        server: &str,
        email: &str,
        session: &wisdom_model::sync::Session,
        tenant: &str,
    ) -> Result<()> {
        let tx = self.tx()?;
        let kept: Option<String> =
            tx.query_row("SELECT tenant_id FROM sync_state WHERE one = 1", [], |r| r.get(0)).optional()?;
        if kept.as_deref().is_some_and(|k| k != tenant) {
            // Another server or tenant: start from scratch there.
            tx.execute_batch("DELETE FROM sync_versions; UPDATE sync_state SET cursor = 0;")?;
        }
        tx.execute(
            "INSERT INTO sync_state (one, server, email, user_id, tenant_id, device_id, token)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (one) DO UPDATE SET server = excluded.server, email = excluded.email,
                 user_id = excluded.user_id, tenant_id = excluded.tenant_id, device_id = excluded.device_id,
                 token = excluded.token",
            params![server, email, session.user_id, tenant, session.device_id, session.token],
        )?;
        if kept.as_deref() != Some(tenant) {
            rows::enqueue_all(&tx)?;
            crate::attachments::remote::forget_uploads(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Puts this workspace on the account as a new tenant, with its wrapped key (which the server
    /// cannot open) so other devices can link.
    fn new_tenant(&self, api: &Api) -> Result<wisdom_model::sync::TenantInfo> {
        api.create_tenant(&wisdom_model::sync::CreateTenant {
            workspace_id: self.id().to_string(),
            wrapped_key: self.wrapped_key()?,
        })
    }

    /// The key file as the server keeps it: the passphrase's wrapping only. The recovery key's
    /// wrapping never leaves this device.
    fn wrapped_key(&self) -> Result<String> {
        let mut key_file = KeyFile::read(&KeyFile::path_for(self.path()))?;
        key_file.recovery = None;
        Ok(serde_json::to_string_pretty(&key_file)?)
    }

    /// Creates an account on `server` and puts this workspace on it (a new tenant). Every row is
    /// queued for the first [`Workspace::sync_now`].
    pub fn sync_register(
        &mut self,
        server: &str,
        email: &str,
        password: &Passphrase,
        device: &str,
    ) -> Result<SyncStatus> {
        password.check_strength()?;
        let email = normalise_email(email)?;
        let api = Api::new(server, None)?;
        let cred = credential(&email, password)?;
        // One request makes the account and the tenant together: a failure leaves nothing on the
        // server, so running `sync register` again simply retries.
        let session = api.register(&wisdom_model::sync::RegisterRequest {
            email: email.clone(),
            credential: cred.to_string(),
            device_name: device.into(),
            workspace: Some(wisdom_model::sync::CreateTenant {
                workspace_id: self.id().to_string(),
                wrapped_key: self.wrapped_key()?,
            }),
        })?;
        let api = Api::new(server, Some(session.token.clone()))?;
        let tenant = match session.tenant.clone() {
            Some(t) => t,
            None => self.new_tenant(&api)?,
        };
        self.save_link(api.server(), &email, &session, &tenant.tenant_id)?;
        info!(tenant = %tenant.tenant_id, device = %session.device_id, "workspace registered for sync");
        self.sync_status()?.ok_or_else(|| Error::Sync("sync state missing after register".into()))
    }

    /// Signs this device in to an existing account and links this workspace: to its tenant if the
    /// server has it already, else to a new tenant.
    pub fn sync_login(&mut self, server: &str, email: &str, password: &Passphrase, device: &str) -> Result<SyncStatus> {
        let (email, session, api) = sign_in(server, email, password, device)?;
        let existing = api.tenants()?.into_iter().find(|t| t.workspace_id == self.id());
        let tenant = match existing {
            Some(t) => t,
            None => self.new_tenant(&api)?,
        };
        self.save_link(api.server(), &email, &session, &tenant.tenant_id)?;
        self.sync_status()?.ok_or_else(|| Error::Sync("sync state missing after login".into()))
    }

    /// A second (third, ...) device: signs in to `server`, fetches the workspace's wrapped key, opens
    /// it with the workspace `passphrase`, creates the local file at `path` for that same workspace and
    /// pulls everything. `workspace_id` picks one when the account has several. Without a `path`,
    /// the file is named after the journal by the rule for new workspaces ([`new_workspace_path`]);
    /// its name comes with the first pull, so the file is made under a hidden name beside it and
    /// moved there once the pull is done (and removed if it fails; what a killed link left behind
    /// is swept at the next link).
    ///
    /// [`new_workspace_path`]: crate::new_workspace_path
    #[allow(clippy::too_many_arguments)]
    pub fn sync_link_device(
        path: Option<&Path>,
        server: &str,
        email: &str,
        password: &Passphrase,
        passphrase: &Passphrase,
        device: &str,
        workspace_id: Option<&str>,
        kdf: KdfParams,
        clock: Clock,
    ) -> Result<(Workspace, SyncReport)> {
        let (email, session, api) = sign_in(server, email, password, device)?;
        let tenants = api.tenants()?;
        let tenant = match workspace_id {
            Some(w) => tenants.into_iter().find(|t| t.workspace_id == w),
            None if tenants.len() == 1 => tenants.into_iter().next(),
            None if tenants.is_empty() => None,
            None => {
                let ids: Vec<String> = tenants.iter().map(|t| t.workspace_id.clone()).collect();
                return Err(Error::Sync(format!(
                    "this account has several workspaces ({}); say which to link",
                    ids.join(", ")
                )));
            }
        }
        .ok_or_else(|| Error::Sync("no such workspace on this account".into()))?;
        let key_file: KeyFile = serde_json::from_str(&tenant.wrapped_key)
            .map_err(|e| Error::Sync(format!("the server's copy of the workspace key is not a key file: {e}")))?;
        let key = key_file.open(passphrase, Path::new("the workspace key on the sync server"))?;
        let Some(path) = path else {
            let dir = crate::home_dir().join("workspaces");
            linking::sweep_abandoned(&dir);
            let hidden = linking::hidden_path(&dir, &key_file.workspace_id);
            let linked =
                Self::link_into(&hidden, &api, &email, &session, &tenant, key_file, key, passphrase, kdf, clock)
                    .and_then(|(ws, report)| {
                        let named = crate::new_workspace_path(&ws.name()?);
                        Ok((ws.move_to(&named)?, report))
                    });
            if linked.is_err() {
                crate::workspace::remove_files(&hidden);
            }
            return linked;
        };
        Self::link_into(path, &api, &email, &session, &tenant, key_file, key, passphrase, kdf, clock)
    }

    /// [`Self::sync_link_device`] once signed in: the file at `path`, linked and filled.
    #[allow(clippy::too_many_arguments)]
    fn link_into(
        path: &Path,
        api: &Api,
        email: &str,
        session: &wisdom_model::sync::Session,
        tenant: &wisdom_model::sync::TenantInfo,
        key_file: KeyFile,
        key: DataKey,
        passphrase: &Passphrase,
        kdf: KdfParams,
        clock: Clock,
    ) -> Result<(Workspace, SyncReport)> {
        let mut ws = Workspace::create_linked(path, passphrase, kdf, clock, key_file.workspace_id.clone(), key)?;
        let tx = ws.tx()?;
        tx.execute(
            "INSERT INTO sync_state (one, server, email, user_id, tenant_id, device_id, token)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![api.server(), email, session.user_id, tenant.tenant_id, session.device_id, session.token],
        )?;
        // Nothing local is worth pushing: the seeded rows are the same on every device.
        tx.execute("DELETE FROM sync_outbox", [])?;
        tx.commit()?;
        let report = ws.sync_now()?;
        info!(workspace = %ws.id(), device = %session.device_id, rows = report.applied, "device linked");
        Ok((ws, report))
    }

    /// Pushes every queued local change, then pulls and applies every newer version on the server.
    /// Offline, it fails with [`Error::SyncUnreachable`] and keeps the queue for next time.
    /// (A front end that shares the workspace between threads uses [`sync_in_steps`] instead.)
    pub fn sync_now(&mut self) -> Result<SyncReport> {
        run::sync_exclusive(self)
    }
    /// The next batch of queued changes, sealed and ready to send; None when the queue is empty.
    fn next_push_batch(&mut self) -> Result<Option<PushBatch>> {
        let link = self.sync_link()?;
        let queued: Vec<(i64, String, String, i64, i64)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT seq, entity, id, n, hlc FROM sync_outbox WHERE {} ORDER BY seq LIMIT ?1",
                crate::attachments::remote::HELD_BACK
            ))?
            .query_map([PUSH_BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if queued.is_empty() {
            return Ok(None);
        }
        let mut changes = Vec::with_capacity(queued.len());
        let mut sent = Vec::with_capacity(queued.len());
        let mut bytes = 0usize;
        for (seq, entity, id, n, hlc) in &queued {
            let hlc = *hlc;
            if !rows::is_known(entity) {
                continue;
            }
            let data = rows::read(&self.conn, entity, id)?;
            let base: Option<(i64, String)> = self
                .conn
                .prepare_cached("SELECT hlc, device FROM sync_versions WHERE entity = ?1 AND id = ?2")?
                .query_row([entity, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let tombstone = data.is_none();
            let plain = Zeroizing::new(serde_json::to_vec(&Sealed { base, data })?);
            let to = Binding { workspace: self.id(), entity, id, hlc, device: &link.device_id, tombstone };
            let blob = seal::seal(self.data_key(), &to, &plain);
            bytes += blob.len();
            changes.push(wisdom_model::sync::Envelope {
                entity: entity.clone(),
                id: id.clone(),
                hlc,
                device: link.device_id.clone(),
                tombstone,
                ciphertext: b64(&blob),
                seq: None,
            });
            sent.push((*seq, *n));
            if bytes > PUSH_BYTES {
                break;
            }
        }
        // Rows of an entity this version does not know (from a newer app) are dropped from the queue.
        let unknown = queued.iter().filter(|(_, entity, ..)| !rows::is_known(entity)).map(|(seq, ..)| *seq).collect();
        Ok(Some(PushBatch { changes, sent, unknown }))
    }

    /// Takes a batch the server has accepted off the queue. A row changed again while the batch was
    /// in flight has a higher change count and stays queued.
    fn record_push(&mut self, batch: &PushBatch) -> Result<()> {
        let tx = self.tx()?;
        for ((seq, n), e) in batch.sent.iter().zip(&batch.changes) {
            tx.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1 AND n = ?2")?.execute([seq, n])?;
            tx.prepare_cached(
                "INSERT INTO sync_versions (entity, id, hlc, device) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (entity, id) DO UPDATE SET hlc = excluded.hlc, device = excluded.device",
            )?
            .execute(params![e.entity, e.id, e.hlc, e.device])?;
        }
        for seq in &batch.unknown {
            tx.execute("DELETE FROM sync_outbox WHERE seq = ?1", [seq])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn outbox_len(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?)
    }

    /// Queued changes a push would send now (an attachment's row waits for its bytes to be sent).
    fn pushable_len(&self) -> Result<u64> {
        let sql = format!("SELECT count(*) FROM sync_outbox WHERE {}", crate::attachments::remote::HELD_BACK);
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }

    /// Applies pulled pages, which began after cursor `start`, in one transaction: a row may point at
    /// one that comes pages later, so nothing is committed until every page is in.
    fn apply_pulled(
        &mut self,
        mut pages: impl Iterator<Item = Result<run::Pulled>>,
        start: i64,
        report: &mut SyncReport,
    ) -> Result<()> {
        let now = self.now();
        let ws_id = self.id().to_string();
        let key = self.data_key().duplicate();
        let tx = crate::store::begin(&mut self.conn, &self.path)?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
        // New events are indexed for search together at the end (one FTS segment, not one each).
        crate::search::defer_indexing(&tx)?;
        let mut cursor = start;
        let mut hlc: i64 = tx.query_row("SELECT hlc FROM sync_clock", [], |r| r.get(0))?;
        let mut needs_fixups = false;
        let mut bulk = false;
        let (mut waited, mut applying) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        loop {
            let t_wait = std::time::Instant::now();
            let Some(pulled) = pages.next() else { break };
            waited += t_wait.elapsed();
            let run::Pulled { after, page } = pulled?;
            // A page from before the cursor: the server had no such cursor and is being read again
            // from the start (versions already held are skipped, so nothing is applied twice).
            cursor = cursor.min(after);
            let t_apply = std::time::Instant::now();
            for env in &page.changes {
                report.pulled += 1;
                hlc = hlc::observe(hlc, env.hlc);
                if env.tombstone || env.entity == "insight" {
                    // Changes this apply may cause (cascades, a pattern insight's loser) are stamped
                    // after every version seen so far.
                    tx.prepare_cached("UPDATE sync_clock SET hlc = max(hlc, ?1)")?.execute([hlc])?;
                }
                // Upserts cannot cascade, so they run under the blanket guard (cheaper than one per
                // row); deletes, and insights (whose unique theme may delete another), run under their
                // own row's guard so what they cause is queued.
                let blanket = !env.tombstone && env.entity != "insight";
                if blanket != bulk {
                    let sql = if blanket {
                        "INSERT OR IGNORE INTO sync_guard (entity, id) VALUES ('*', '*')"
                    } else {
                        "DELETE FROM sync_guard WHERE entity = '*'"
                    };
                    tx.prepare_cached(sql)?.execute([])?;
                    bulk = blanket;
                }
                let outcome = apply(&tx, &key, &ws_id, env, now, bulk)?;
                // Only a delete, or a row that points at others, can leave a dangling reference.
                needs_fixups |= !matches!(outcome, Outcome::Skipped)
                    && (env.tombstone
                        || !matches!(env.entity.as_str(), "event" | "era" | "life_area" | "workspace" | "conflict"));
                match outcome {
                    Outcome::Skipped => {}
                    Outcome::Applied => report.applied += 1,
                    Outcome::Conflict => {
                        report.applied += 1;
                        report.conflicts += 1;
                    }
                }
            }
            applying += t_apply.elapsed();
            cursor = page.next.max(cursor);
        }
        tx.prepare_cached("DELETE FROM sync_guard WHERE entity = '*'")?.execute([])?;
        if report.applied > 0 {
            rows::settle(&tx, now, needs_fixups)?;
        }
        debug!(?waited, ?applying, rows = report.pulled, "pulled");
        crate::search::index_deferred(&tx)?;
        if report.applied >= BULK_ROWS {
            // Many entries at once (a first sync): patterns are looked for once the model read them.
            crate::patterns::set_look_again(&tx, true)?;
        }
        tx.execute("UPDATE sync_state SET cursor = ?1 WHERE one = 1", [cursor])?;
        tx.execute("UPDATE sync_clock SET hlc = max(hlc, ?1)", [hlc])?;
        tx.commit()?;
        if report.applied >= BULK_ROWS {
            // As after an import: the search index's new segments are merged now, as part of the
            // bulk write, not by whichever small write comes next (it cost a one-row pull 240 ms).
            crate::search::merge_search_index(&self.conn)?;
        }
        report.cursor = cursor;
        Ok(())
    }

    /// This workspace's sync link, or None if it was never registered or linked.
    pub fn sync_status(&self) -> Result<Option<SyncStatus>> {
        let status = self
            .conn
            .query_row(
                "SELECT server, email, tenant_id, device_id, token IS NOT NULL, cursor, last_sync_at
                 FROM sync_state WHERE one = 1",
                [],
                |r| {
                    Ok(SyncStatus {
                        server: r.get(0)?,
                        email: r.get(1)?,
                        tenant_id: r.get(2)?,
                        device_id: r.get(3)?,
                        logged_in: r.get(4)?,
                        pending: 0,
                        cursor: r.get(5)?,
                        last_sync_at: crate::db::opt_ts_at(r, 6)?,
                    })
                },
            )
            .optional()?;
        // The queue is counted only for a journal that syncs: a big never-synced journal's queue
        // costs tens of milliseconds to count, and the desktop asks every few seconds.
        status.map(|s| Ok(SyncStatus { pending: self.outbox_len()?, ..s })).transpose()
    }

    /// Ends this device's session on the server and forgets the token. Local data and the queue stay;
    /// `sync_login` resumes.
    pub fn sync_logout(&mut self) -> Result<()> {
        if let Ok((_, api)) = self.signed_in() {
            match api.logout() {
                Ok(()) | Err(Error::SyncServer { status: 401, .. }) => {}
                Err(e) => return Err(e),
            }
        }
        self.conn.execute("UPDATE sync_state SET token = NULL WHERE one = 1", [])?;
        Ok(())
    }

    /// The account's devices, as the server knows them.
    pub fn sync_devices(&self) -> Result<Vec<DeviceInfo>> {
        self.signed_in()?.1.devices()
    }

    /// Revokes one of the account's devices (a lost laptop): its sessions stop working at once.
    pub fn sync_revoke_device(&self, device_id: &str) -> Result<()> {
        self.signed_in()?.1.revoke_device(device_id)
    }
}

enum Outcome {
    Skipped,
    Applied,
    Conflict,
}

/// A pull that applied this many rows or more is a bulk write: its search segments are merged at once.
const BULK_ROWS: u32 = 1000;

fn apply(
    tx: &rusqlite::Transaction<'_>,
    key: &crate::keys::DataKey,
    ws_id: &str,
    env: &wisdom_model::sync::Envelope,
    now: DateTime<Utc>,
    blanket_guard: bool,
) -> Result<Outcome> {
    let local: Option<(i64, String)> = tx
        .prepare_cached("SELECT hlc, device FROM sync_versions WHERE entity = ?1 AND id = ?2")?
        .query_row([&env.entity, &env.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((h, d)) = &local {
        if (*h, d.as_str()) >= (env.hlc, env.device.as_str()) {
            return Ok(Outcome::Skipped);
        }
    }
    if !rows::is_known(&env.entity) {
        // Written by a newer app: leave it on the server, do not hold up the rest.
        return Ok(Outcome::Skipped);
    }
    let blob = base64::engine::general_purpose::STANDARD
        .decode(&env.ciphertext)
        .map_err(|_| Error::Sync(format!("the server sent a {} row ({}) that is not base64", env.entity, env.id)))?;
    let from = Binding {
        workspace: ws_id,
        entity: &env.entity,
        id: &env.id,
        hlc: env.hlc,
        device: &env.device,
        tombstone: env.tombstone,
    };
    let plain = seal::open(key, &from, &blob)?;
    let sealed: Sealed = serde_json::from_slice(&plain)
        .map_err(|e| Error::Sync(format!("a {} row ({}) from the server is unreadable: {e}", env.entity, env.id)))?;
    if env.tombstone != sealed.data.is_none() {
        return Err(Error::Sync(format!("a {} row ({}) disagrees with its own tombstone flag", env.entity, env.id)));
    }
    let mut outcome = Outcome::Applied;
    let is_record = env.entity == conflicts::ENTITY;
    if is_record && conflicts::keeps_local(tx, &env.id, sealed.data.as_ref())? {
        // An "open" copy of a record resolved here: the resolution stays and is sent again, after
        // this version, so every device ends on it.
        conflicts::queue(tx, &env.entity, &env.id, env.hlc)?;
        tx.prepare_cached(
            "INSERT INTO sync_versions (entity, id, hlc, device) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (entity, id) DO UPDATE SET hlc = excluded.hlc, device = excluded.device",
        )?
        .execute(params![env.entity, env.id, env.hlc, env.device])?;
        return Ok(Outcome::Skipped);
    }
    // A row this device never had a version of has nothing to lose (the first pull of a new device).
    // A conflict record is not itself kept as a conflict: its versions differ only in their state.
    let current = if local.is_some() && !is_record { rows::read(tx, &env.entity, &env.id)? } else { None };
    if let (Some(lv), Some(cur)) = (&local, &current) {
        let concurrent = sealed.base.as_ref() != Some(lv);
        if concurrent && sealed.data.as_ref() != Some(cur) {
            let reason = if env.tombstone {
                "deleted on another device while edited here"
            } else {
                "edited on two devices at once; the later edit won"
            };
            conflicts::record(
                tx,
                &env.entity,
                &env.id,
                reason,
                Some((lv.0, &lv.1)),
                Some((env.hlc, &env.device)),
                cur,
                now,
            )?;
            outcome = Outcome::Conflict;
        }
    }
    // A row that cannot be stored here (a constraint this device's data breaks) is set aside, not
    // allowed to block every later row.
    tx.prepare_cached("SAVEPOINT sync_row")?.execute([])?;
    // This row's own triggers stay silent: the version is already on the server.
    if !blanket_guard {
        tx.prepare_cached("INSERT OR IGNORE INTO sync_guard (entity, id) VALUES (?1, ?2)")?
            .execute([&env.entity, &env.id])?;
    }
    let written = match &sealed.data {
        Some(data) => match rows::settle_unique(tx, &env.entity, &env.id, data) {
            Ok(true) => rows::write(tx, &env.entity, &env.id, data),
            other => other.map(|_| ()),
        },
        None => rows::remove(tx, &env.entity, &env.id, now),
    };
    if !blanket_guard {
        tx.prepare_cached("DELETE FROM sync_guard WHERE entity = ?1 AND id = ?2")?.execute([&env.entity, &env.id])?;
    }
    match written {
        Ok(()) => {
            tx.prepare_cached("RELEASE sync_row")?.execute([])?;
        }
        Err(Error::Db(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            tx.execute_batch("ROLLBACK TO sync_row; RELEASE sync_row")?;
            let row = sealed.data.clone().unwrap_or(Value::Null);
            conflicts::record(
                tx,
                &env.entity,
                &env.id,
                &format!("could not be applied on this device: {e}"),
                Some((env.hlc, &env.device)),
                None,
                &row,
                now,
            )?;
            outcome = Outcome::Conflict;
        }
        Err(e) => return Err(e),
    }
    tx.prepare_cached(
        "INSERT INTO sync_versions (entity, id, hlc, device) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, id) DO UPDATE SET hlc = excluded.hlc, device = excluded.device",
    )?
    .execute(params![env.entity, env.id, env.hlc, env.device])?;
    Ok(outcome)
}

/// Signs in to an existing account: the normalised email, the new session, and a client that
/// carries its token.
fn sign_in(
    server: &str,
    email: &str,
    password: &Passphrase,
    device: &str,
) -> Result<(String, wisdom_model::sync::Session, Api)> {
    let email = normalise_email(email)?;
    let cred = credential(&email, password)?;
    let session = Api::new(server, None)?.login(&wisdom_model::sync::LoginRequest {
        email: email.clone(),
        credential: cred.to_string(),
        device_name: device.into(),
    })?;
    let api = Api::new(server, Some(session.token.clone()))?;
    Ok((email, session, api))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_never_gets_the_recovery_wrapping() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("synced.wisdom");
        let pass = Passphrase::new("correct horse battery");
        let ws = Workspace::create(&path, "Synced", &pass, KdfParams::MINIMUM, Clock::system()).unwrap();
        assert!(KeyFile::read(&KeyFile::path_for(&path)).unwrap().recovery.is_some());
        let sent: KeyFile = serde_json::from_str(&ws.wrapped_key().unwrap()).unwrap();
        assert!(sent.recovery.is_none());
        assert_eq!(sent.open(&pass, &path).unwrap().bytes(), ws.data_key().bytes());
    }
}
