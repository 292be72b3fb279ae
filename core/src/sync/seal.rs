//! Sealing one row version for the server: XChaCha20-Poly1305 under the workspace data key, with a
//! fresh random nonce, and associated data that binds the ciphertext to its workspace, entity, id and
//! version, so the server can neither read a row nor pass one row (or one version) off as another.

use chacha20poly1305::aead::{rand_core::RngCore, Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::{Error, Result};
use crate::keys::DataKey;

const NONCE: usize = 24;

/// What a sealed row is bound to.
pub(crate) struct Binding<'a> {
    pub workspace: &'a str,
    pub entity: &'a str,
    pub id: &'a str,
    pub hlc: i64,
    pub device: &'a str,
    pub tombstone: bool,
}

impl Binding<'_> {
    fn aad(&self) -> String {
        format!(
            "wisdomos-row/1|{}|{}|{}|{}|{}|{}",
            self.workspace, self.entity, self.id, self.hlc, self.device, self.tombstone as u8
        )
    }
}

pub(crate) fn seal(key: &DataKey, to: &Binding<'_>, plaintext: &[u8]) -> Vec<u8> {
    seal_with(key, &to.aad(), plaintext)
}

/// An attachment chunk's associated data: its workspace and its id (itself a keyed hash of the
/// plaintext), so the server cannot pass one chunk off as another.
fn chunk_aad(workspace: &str, cid: &str) -> String {
    format!("wisdomos-chunk/1|{workspace}|{cid}")
}

pub(crate) fn seal_chunk(key: &DataKey, workspace: &str, cid: &str, plaintext: &[u8]) -> Vec<u8> {
    seal_with(key, &chunk_aad(workspace, cid), plaintext)
}

pub(crate) fn open_chunk(key: &DataKey, workspace: &str, cid: &str, blob: &[u8]) -> Result<Vec<u8>> {
    open_with(key, &chunk_aad(workspace, cid), blob).map(|p| p.to_vec()).ok_or_else(|| {
        Error::Sync(format!(
            "an attachment chunk from the server ({cid}) failed authentication: it was not sealed by this \
             workspace's key, or it was altered; it was not kept"
        ))
    })
}

fn seal_with(key: &DataKey, aad: &str, plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE];
    OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: aad.as_bytes() })
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
    let mut out = Vec::with_capacity(NONCE + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

pub(crate) fn open(key: &DataKey, from: &Binding<'_>, blob: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let refused = || {
        Error::Sync(format!(
            "a {} row from the server ({}) failed authentication: it was not sealed by this workspace's key, or it \
             was altered; nothing was applied",
            from.entity, from.id
        ))
    };
    open_with(key, &from.aad(), blob).ok_or_else(refused)
}

fn open_with(key: &DataKey, aad: &str, blob: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    if blob.len() < NONCE + 16 {
        return None;
    }
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    cipher
        .decrypt(XNonce::from_slice(&blob[..NONCE]), Payload { msg: &blob[NONCE..], aad: aad.as_bytes() })
        .map(zeroize::Zeroizing::new)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(id: &'a str, hlc: i64) -> Binding<'a> {
        Binding { workspace: "ws_1", entity: "event", id, hlc, device: "d1", tombstone: false }
    }

    #[test]
    fn sealed_rows_open_only_with_the_same_key_and_binding() {
        let key = DataKey::generate();
        let blob = seal(&key, &at("evt_1", 7), b"secret text");
        assert!(!blob.windows(6).any(|w| w == b"secret"));
        assert_eq!(open(&key, &at("evt_1", 7), &blob).unwrap().as_slice(), b"secret text");
        assert!(open(&key, &at("evt_2", 7), &blob).is_err(), "moved to another id");
        assert!(open(&key, &at("evt_1", 8), &blob).is_err(), "replayed as another version");
        assert!(open(&DataKey::generate(), &at("evt_1", 7), &blob).is_err(), "another workspace's key");
        let mut tampered = blob.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(open(&key, &at("evt_1", 7), &tampered).is_err());
    }
}
