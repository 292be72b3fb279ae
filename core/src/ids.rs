//! The one id scheme: `<prefix>_<26 characters>`, a ULID-like value (48 bits of milliseconds, 80
//! random bits) in Crockford base32, so ids sort by creation time and never collide across devices.

use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
use chrono::{DateTime, Utc};

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

pub fn new_id(prefix: &str, now: DateTime<Utc>) -> String {
    let millis = now.timestamp_millis().max(0) as u128 & ((1 << 48) - 1);
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    let mut value = millis << 80;
    for (i, b) in random.iter().enumerate() {
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

/// An id in the same shape as [`new_id`] but derived from `parts` (a hash), for a record that
/// several devices may create independently and must agree on (a sync conflict's record).
pub fn derived_id(prefix: &str, parts: &[&str]) -> String {
    use blake2::{digest::consts::U16, Blake2b, Digest};
    let mut h = Blake2b::<U16>::new();
    for p in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let value = u128::from_be_bytes(h.finalize().into()) >> 2;
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
    fn derived_ids_agree_on_the_same_parts_only() {
        let a = derived_id("cfl", &["event", "evt_1", "42", "dev_a"]);
        assert_eq!(a.len(), 30);
        assert_eq!(a, derived_id("cfl", &["event", "evt_1", "42", "dev_a"]));
        assert_ne!(a, derived_id("cfl", &["event", "evt_1", "42", "dev_b"]));
        assert_ne!(derived_id("cfl", &["ab", "c"]), derived_id("cfl", &["a", "bc"]));
    }
}
