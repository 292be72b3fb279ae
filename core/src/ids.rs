//! The one id scheme: `<prefix>_<26 characters>`, a ULID-like value (48 bits of milliseconds, 80
//! random bits) in Crockford base32, so ids sort by creation time and never collide across devices.

use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
use chrono::{DateTime, Utc};

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

pub fn new_id(prefix: &str, now: DateTime<Utc>) -> String {
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    encode(prefix, now, &random)
}

/// An id in the same scheme whose 80 low bits come from `key` instead of chance: the same key
/// (an imported entry's app and its id there) gives the same id on every device, so an export
/// imported again on another device finds the entries the first import synced there.
pub fn derived_id(prefix: &str, at: DateTime<Utc>, key: &[u8]) -> String {
    use blake2::digest::{Update, VariableOutput};
    let mut h = blake2::Blake2bVar::new(10).expect("10 is a valid blake2b output size");
    h.update(prefix.as_bytes());
    h.update(&[0]);
    h.update(key);
    let mut bits = [0u8; 10];
    h.finalize_variable(&mut bits).expect("the output is 10 bytes");
    encode(prefix, at, &bits)
}

fn encode(prefix: &str, at: DateTime<Utc>, low: &[u8; 10]) -> String {
    let millis = at.timestamp_millis().max(0) as u128 & ((1 << 48) - 1);
    let mut value = millis << 80;
    for (i, b) in low.iter().enumerate() {
        value |= (*b as u128) << (8 * (9 - i));
    }
    let mut out = String::with_capacity(prefix.len() + 27);
    out.push_str(prefix);
    out.push('_');
    for i in (0..26).rev() {
        out.push(ALPHABET[((value >> (5 * i)) & 31) as usize] as char);
    }
    out
}

pub mod prefix {
    pub const EVENT: &str = "evt";
    pub const INSIGHT: &str = "ins";
    pub const COMMITMENT: &str = "cmt";
    pub const BOUNDARY: &str = "bnd";
    pub const VIOLATION: &str = "vio";
    pub const SNAPSHOT: &str = "snp";
    pub const ERA: &str = "era";
    pub const AUTOBIOGRAPHY: &str = "bio";
    pub const WORKSPACE: &str = "ws";
    pub const CONFLICT: &str = "cfl";
    pub const ATTACHMENT: &str = "att";
    pub const PROMPT: &str = "prm";
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ids_are_unique_and_sort_by_time() {
        let t = Utc::now();
        let a = new_id("evt", t);
        let b = new_id("evt", t + Duration::milliseconds(1));
        assert_eq!(a.len(), 30);
        assert!(a < b);
        assert_ne!(new_id("evt", t), new_id("evt", t));
    }

    #[test]
    fn derived_ids_are_stable_per_key_and_look_like_any_other() {
        let t = Utc::now();
        assert_eq!(derived_id("evt", t, b"dayone\0ABC"), derived_id("evt", t, b"dayone\0ABC"));
        assert_ne!(derived_id("evt", t, b"dayone\0ABC"), derived_id("evt", t, b"dayone\0ABD"));
        assert_eq!(derived_id("evt", t, b"k").len(), new_id("evt", t).len());
        assert_eq!(derived_id("evt", t, b"k")[..13], new_id("evt", t)[..13]);
    }
}
