//! Inputs for fuzzing, shared by core's tests/ and its unit tests (`sync/fuzz.rs` includes this
//! file by path): realistic inputs mutated byte by byte (flipped, inserted, deleted, cut short,
//! spliced with the characters parsers trip on) or arbitrary bytes, and the number of cases a run
//! tries (`PROPTEST_CASES` for a long run).

use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property: `PROPTEST_CASES` when set, else `default`.
pub fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    // No regression files written into the source tree: a failure prints its input.
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// One change to an input's bytes; positions wrap around its length.
#[derive(Debug, Clone)]
pub enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Cut(usize),
    Splice(usize, &'static [u8]),
}

/// What parsers of dates, CSV, JSON, front matter, zips and paths trip on.
pub const TRICKY: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\n",
    b"\r\n",
    b"\xff\xfe",
    b"\0",
    b"---\n",
    b": ",
    b"0000-00-00",
    b"2025-02-30",
    b"25:61",
    b"99999999999999999999",
    b"-1",
    b"null",
    b"../../etc/passwd",
    b"\xe2\x80\xae",
    b"![[",
    b"dayone-moment://",
    b" | ",
];

pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), prop::sample::select(TRICKY)).prop_map(|(p, s)| Edit::Splice(p, s)),
    ]
}

pub fn mutated(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *e {
            Edit::Flip(p, x) if !b.is_empty() => {
                let i = p % b.len();
                b[i] ^= x | 1;
            }
            Edit::Flip(..) => {}
            Edit::Insert(p, x) => b.insert(at(p, b.len()), x),
            Edit::Delete(p, n) => {
                let i = at(p, b.len());
                b.drain(i..(i + n).min(b.len()));
            }
            Edit::Cut(p) => b.truncate(at(p, b.len())),
            Edit::Splice(p, s) => {
                let i = at(p, b.len());
                b.splice(i..i, s.iter().copied());
            }
        }
    }
    b
}

/// A realistic input mutated, or (one case in eight) arbitrary bytes.
pub fn input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    prop_oneof![
        7 => (0..n, prop::collection::vec(edit(), 0..6)).prop_map(move |(i, e)| mutated(&seeds[i], &e)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}
