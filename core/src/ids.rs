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
}
