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

/// Ids for rows made many at one instant (an import): the first as random as [`new_id`]'s, each
/// next one the one before plus one (ULID's monotonic mode). They still do not collide across
/// devices (79 random bits to start from), and they sort in the order made, so every index keyed by
/// id grows at its end instead of taking each new id at a random place (a page split each time one
/// fills up, and pages left part empty).
pub struct IdSequence {
    prefix: &'static str,
    at: DateTime<Utc>,
    next: u128,
}

impl IdSequence {
    pub fn new(prefix: &'static str, at: DateTime<Utc>) -> Self {
        let mut random = [0u8; 16];
        OsRng.fill_bytes(&mut random[6..]);
        // The top random bit starts clear, so counting up never carries into the time.
        random[6] &= 0x7f;
        IdSequence { prefix, at, next: u128::from_be_bytes(random) }
    }

    pub fn next_id(&mut self) -> String {
        let low: [u8; 10] = self.next.to_be_bytes()[6..].try_into().expect("ten bytes");
        self.next += 1;
        encode(self.prefix, self.at, &low)
    }
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
    fn a_sequence_counts_up_in_order_from_a_random_start() {
        let t = Utc::now();
        let (mut a, mut b) = (IdSequence::new("evt", t), IdSequence::new("evt", t));
        let run: Vec<String> = (0..1000).map(|_| a.next_id()).collect();
        assert!(run.windows(2).all(|w| w[0] < w[1]), "sorted in the order made");
        assert!(run.iter().all(|id| id.len() == 30 && id[..13] == new_id("evt", t)[..13]), "same scheme and time");
        assert_ne!(run[0], b.next_id(), "each sequence starts at its own random place");
    }

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
