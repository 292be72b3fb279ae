//! Credentials, session tokens and login throttling.
//!
//! The client never sends its password: it sends a credential derived from it on the device
//! (Argon2id under an account-specific salt). The server hashes that credential again with Argon2id
//! and a random salt before storing it. Session tokens are 256 random bits; only their BLAKE2b hash
//! is stored, so a copy of the database does not yield a working token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use blake2::{digest::consts::U32, Blake2b, Digest};
use zeroize::Zeroizing;

const TOKEN_PREFIX: &str = "wst_";

/// Random bytes from the OS.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).expect("the operating system's random source failed");
    b
}

/// A server-side id: 26 lowercase base32 characters (130 random bits), safe inside an identifier.
pub fn new_id() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    random_bytes::<26>().iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect()
}

/// True for exactly the ids [`new_id`] makes; anything else is refused before it reaches SQL.
pub fn is_id(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A new opaque session token (shown to the client once) and the hash the server keeps.
pub fn new_token() -> (Zeroizing<String>, Vec<u8>) {
    let raw = Zeroizing::new(random_bytes::<32>());
    let token = Zeroizing::new(format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.as_ref())
    ));
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Blake2b::<U32>::digest(token.as_bytes()).to_vec()
}

/// Argon2id (19 MiB, 2 passes: OWASP's minimum) with a fresh salt, as a PHC string.
pub fn hash_credential(credential: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&random_bytes::<16>())?;
    Ok(Argon2::default().hash_password(credential.as_bytes(), &salt)?.to_string())
}

pub fn verify_credential(credential: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(credential.as_bytes(), &h).is_ok())
}

/// A stored hash to verify against when the email is unknown, so both cases cost the same.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_credential("decoy credential for unknown accounts").expect("hashing a constant"))
}

/// Fixed-window throttle of login attempts per key (an email, a client address). In memory, per
/// server process: several instances each allow the limit (documented in docs/sync-server.md).
pub struct Throttle {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Throttle {
    pub fn new(limit: u32, window: Duration) -> Self {
        Throttle { limit, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt for every key; false when any of them is over its limit.
    pub fn allow(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let mut ok = true;
        for key in keys {
            let entry = seen.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(entry.0) >= self.window {
                *entry = (now, 0);
            }
            entry.1 += 1;
            ok &= entry.1 <= self.limit;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_verify_and_tokens_hash() {
        let phc = hash_credential("abc").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_credential("abc", &phc));
        assert!(!verify_credential("abd", &phc));
        assert!(!verify_credential("abc", "not a hash"));
        let (t, h) = new_token();
        assert!(t.starts_with("wst_") && t.len() > 40);
        assert_eq!(token_hash(&t), h);
        assert!(is_id(&new_id()) && !is_id("x; DROP TABLE users") && !is_id(&"A".repeat(26)));
    }

    #[test]
    fn throttle_refuses_past_the_limit_per_key() {
        let t = Throttle::new(2, Duration::from_secs(60));
        let k = vec!["email:a".to_string()];
        assert!(t.allow(&k) && t.allow(&k));
        assert!(!t.allow(&k));
        assert!(t.allow(&["email:b".to_string()]));
    }
}
