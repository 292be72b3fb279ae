//! The key hierarchy. A passphrase goes through Argon2id (salt and parameters stored in the clear in
//! the key file beside the workspace) to a key-encryption key (KEK), which unwraps a random 256-bit
//! data key with XChaCha20-Poly1305. The data key opens the SQLCipher database as a raw key and will
//! seal sync payloads. Changing the passphrase rewraps the data key and re-encrypts nothing.
//!
//! Every secret lives in a `Zeroizing` buffer and is wiped when dropped; none has a `Debug` that
//! prints it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{rand_core::RngCore, Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsutil;
pub use crate::recovery::RecoveryKey;
use wisdom_model::Invalid;

/// A passphrase as typed. Wiped on drop; `Debug` never shows it.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(text.into()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Rules for a passphrase that will protect a journal ([`wisdom_model::validate::passphrase`]).
    pub fn check_strength(&self) -> Result<(), Invalid> {
        wisdom_model::validate::passphrase("passphrase", &self.0)
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// The 256-bit key that opens a workspace.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(k.as_mut());
        DataKey(k)
    }

    /// A key handed over from elsewhere (the CLI's unlock agent); the caller wipes its own copy.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        DataKey(Zeroizing::new(*bytes))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A second handle on the same key (the sync client holds one while the workspace is borrowed).
    pub(crate) fn duplicate(&self) -> DataKey {
        DataKey(Zeroizing::new(*self.0))
    }

    /// The SQLCipher `PRAGMA key` value for a raw key: `x'<64 hex digits>'`.
    pub(crate) fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(80));
        s.push_str("PRAGMA key = \"x'");
        for b in self.0.iter() {
            s.push(char::from_digit((b >> 4) as u32, 16).unwrap());
            s.push(char::from_digit((b & 15) as u32, 16).unwrap());
        }
        s.push_str("'\";");
        s
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Argon2id cost. Stored per workspace so it can be raised later without breaking old files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    pub const MINIMUM: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    /// Where calibration starts: 64 MiB, which old laptops still afford.
    pub const BASELINE: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 2, parallelism: 1 };
    /// What an unlock should cost on this machine.
    pub const TARGET: Duration = Duration::from_millis(600);

    pub fn check(&self) -> Result<(), Invalid> {
        if self.memory_kib < Self::MINIMUM.memory_kib {
            return Err(Invalid::new("kdf memory", format!("{} KiB", self.memory_kib), "at least 19 MiB"));
        }
        if self.iterations < Self::MINIMUM.iterations {
            return Err(Invalid::new("kdf iterations", self.iterations, "at least 2"));
        }
        if !(1..=16).contains(&self.parallelism) {
            return Err(Invalid::new("kdf parallelism", self.parallelism, "1 to 16"));
        }
        if self.memory_kib > 4 * 1024 * 1024 || self.iterations > 100 {
            return Err(Invalid::new("kdf", format!("{self:?}"), "at most 4 GiB and 100 passes"));
        }
        Ok(())
    }

    /// Raises the pass count from [`KdfParams::BASELINE`] until one derivation takes about
    /// [`KdfParams::TARGET`] here (never less than the baseline). The pass time is the fastest of
    /// three probes, so a moment of load on the machine does not make the result weaker.
    pub fn calibrate() -> Self {
        let mut params = Self::BASELINE;
        let probe = Passphrase::new("calibration probe");
        let salt = [7u8; 16];
        let per_pass = (0..3)
            .map(|_| {
                let started = Instant::now();
                let _ = derive_kek(probe.as_bytes(), &salt, &params);
                started.elapsed().as_secs_f64() / params.iterations as f64
            })
            .fold(f64::MAX, f64::min);
        if per_pass > 0.0 && per_pass < f64::MAX {
            let passes = (Self::TARGET.as_secs_f64() / per_pass).round() as u32;
            params.iterations = passes.clamp(Self::BASELINE.iterations, 20);
        }
        params
    }
}

fn derive_kek(secret: &[u8], salt: &[u8], p: &KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .map_err(|e| Error::Migration(format!("invalid KDF parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut kek = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret, salt, kek.as_mut())
        .map_err(|e| Error::Migration(format!("key derivation failed: {e}")))?;
    Ok(kek)
}

/// The data key wrapped under a KEK derived from a secret (a passphrase or a recovery key):
/// the salt and cost in the clear, the key sealed with XChaCha20-Poly1305.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wrap {
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    pub wrapped_key: String,
}

impl Wrap {
    /// Wraps `key` under a KEK derived from `secret` with fresh salt and nonce; `aad` binds what the
    /// wrapping belongs to.
    fn seal(secret: &[u8], kdf: KdfParams, key: &DataKey, aad: &str) -> Result<Self> {
        kdf.check()?;
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut nonce);
        let kek = derive_kek(secret, &salt, &kdf)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let wrapped = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.bytes(), aad: aad.as_bytes() })
            .map_err(|_| Error::Migration("sealing the data key failed".into()))?;
        Ok(Wrap { kdf, salt: hex(&salt), nonce: hex(&nonce), wrapped_key: hex(&wrapped) })
    }

    /// Unwraps the data key; a wrong secret (or a tampered file) is `refused`.
    fn open(&self, secret: &[u8], aad: &str, path: &Path, refused: Error) -> Result<DataKey> {
        let corrupt = |message: &str| Error::Corrupt { path: path.to_path_buf(), message: message.into() };
        let salt = unhex(&self.salt).ok_or_else(|| corrupt("bad salt"))?;
        let nonce = unhex(&self.nonce).ok_or_else(|| corrupt("bad nonce"))?;
        let wrapped = Zeroizing::new(unhex(&self.wrapped_key).ok_or_else(|| corrupt("bad wrapped key"))?);
        if nonce.len() != 24 || salt.len() < 16 {
            return Err(corrupt("bad salt or nonce length"));
        }
        let started = Instant::now();
        let kek = derive_kek(secret, &salt, &self.kdf)?;
        tracing::debug!(kdf_ms = started.elapsed().as_millis() as u64, "key derived");
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: aad.as_bytes() })
                .map_err(|_| refused)?,
        );
        let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| corrupt("bad data key length"))?;
        Ok(DataKey(Zeroizing::new(bytes)))
    }
}

/// The clear-text file beside a workspace: who it is, how to derive the KEK, and the wrapped data
/// key; optionally the same data key wrapped a second time under the recovery key (a field older
/// files lack, which older apps ignore).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyFile {
    pub format: String,
    pub workspace_id: String,
    #[serde(flatten)]
    pub passphrase: Wrap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Wrap>,
}

const KEY_FORMAT: &str = "wisdomos-key/1";

impl KeyFile {
    /// Where the key file of the workspace at `db` lives.
    pub fn path_for(db: &Path) -> PathBuf {
        let mut p = db.as_os_str().to_owned();
        p.push(".key");
        PathBuf::from(p)
    }

    /// Serialises the changes of the key file of the workspace at `db` between programs (a
    /// passphrase change in the desktop, a recovery key rotated by the CLI, a restore): each reads
    /// the file, works for seconds (a backup first) and writes it whole, so without this one's
    /// write could bring back what the other replaced, a revoked recovery key say. Held until
    /// dropped; the lock is a hidden file beside the key file (not the database file, whose
    /// SQLite locks another descriptor's close would release).
    pub(crate) fn lock_changes(db: &Path) -> Result<crate::fsutil::FileLock> {
        let key_path = Self::path_for(db);
        let name = key_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::fsutil::FileLock::acquire(&key_path.with_file_name(format!(".{name}.lock")))
    }

    /// Wraps `key` under a KEK derived from `pass` with fresh salt and nonce (no recovery key).
    pub fn seal(workspace_id: &str, kdf: KdfParams, pass: &Passphrase, key: &DataKey) -> Result<Self> {
        let passphrase = Wrap::seal(pass.as_bytes(), kdf, key, &associated_data(workspace_id, &kdf))?;
        Ok(KeyFile { format: KEY_FORMAT.into(), workspace_id: workspace_id.into(), passphrase, recovery: None })
    }

    /// The Argon2id cost of the passphrase.
    pub fn kdf(&self) -> KdfParams {
        self.passphrase.kdf
    }

    /// Unwraps the data key; a wrong passphrase (or a tampered file) is [`Error::WrongPassphrase`].
    pub fn open(&self, pass: &Passphrase, path: &Path) -> Result<DataKey> {
        let aad = associated_data(&self.workspace_id, &self.passphrase.kdf);
        self.passphrase.open(pass.as_bytes(), &aad, path, Error::WrongPassphrase)
    }

    /// Wraps `key` a second time under `recovery`, replacing any recovery key set before.
    pub fn set_recovery(&mut self, recovery: &RecoveryKey, key: &DataKey) -> Result<()> {
        let kdf = RecoveryKey::KDF;
        self.recovery = Some(Wrap::seal(recovery.as_bytes(), kdf, key, &recovery_data(&self.workspace_id, &kdf))?);
        Ok(())
    }

    /// Unwraps the data key with the recovery key: [`Error::NoRecoveryKey`] when none is set,
    /// [`Error::WrongRecoveryKey`] for any other key (a mistyped one, or one rotated out).
    pub fn open_with_recovery(&self, recovery: &RecoveryKey, path: &Path) -> Result<DataKey> {
        let wrap = self.recovery.as_ref().ok_or_else(|| Error::NoRecoveryKey(path.to_path_buf()))?;
        wrap.open(recovery.as_bytes(), &recovery_data(&self.workspace_id, &wrap.kdf), path, Error::WrongRecoveryKey)
    }

    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| Error::Corrupt {
            path: path.to_path_buf(),
            message: format!("not a WisdomOS key file ({e})"),
        })?;
        if file.format != KEY_FORMAT {
            return Err(Error::Corrupt {
                path: path.to_path_buf(),
                message: format!("unsupported key format {:?}", file.format),
            });
        }
        Ok(file)
    }

    /// Replaces the file atomically: a crash leaves the old or the new key, never half of one.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        fsutil::write_atomic(path, text.as_bytes())
    }
}

/// Binds the wrapped key to its workspace and to the KDF cost, so neither can be swapped or lowered.
fn associated_data(workspace_id: &str, kdf: &KdfParams) -> String {
    format!("{KEY_FORMAT}|{workspace_id}|m={},t={},p={}", kdf.memory_kib, kdf.iterations, kdf.parallelism)
}

/// The same for the recovery wrapping, marked so the two wrappings cannot stand in for each other.
fn recovery_data(workspace_id: &str, kdf: &KdfParams) -> String {
    format!("{}|recovery", associated_data(workspace_id, kdf))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passphrase_and_tampered_cost_are_refused() {
        let key = DataKey::generate();
        let kf = KeyFile::seal("ws_1", KdfParams::MINIMUM, &Passphrase::new("correct horse"), &key).unwrap();
        let p = Path::new("x");
        let opened = kf.open(&Passphrase::new("correct horse"), p).unwrap();
        assert_eq!(opened.bytes(), key.bytes());
        assert!(matches!(kf.open(&Passphrase::new("correct horsf"), p), Err(Error::WrongPassphrase)));
        let mut weaker = kf.clone();
        weaker.passphrase.kdf.iterations = 3;
        assert!(matches!(weaker.open(&Passphrase::new("correct horse"), p), Err(Error::WrongPassphrase)));
        let mut moved = kf.clone();
        moved.workspace_id = "ws_2".into();
        assert!(matches!(moved.open(&Passphrase::new("correct horse"), p), Err(Error::WrongPassphrase)));
    }

    #[test]
    fn cost_below_owasp_minimum_is_refused() {
        let weak = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };
        assert!(KeyFile::seal("ws", weak, &Passphrase::new("correct horse"), &DataKey::generate()).is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Passphrase::new("hunter22")), "Passphrase(<redacted>)");
        assert_eq!(format!("{:?}", DataKey::generate()), "DataKey(<redacted>)");
    }
}
