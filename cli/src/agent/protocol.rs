//! What the CLI and its agent say to each other: one request, one reply, then the connection
//! closes. Each message is a frame: a 4-byte big-endian length, then that many bytes of JSON
//! (serde's externally tagged enums, unknown fields refused). A frame over [`MAX_FRAME`] is refused
//! from its length alone, before a byte of it is read.
//!
//! Buffers that may hold a key are allocated once at their final size and wiped when dropped, so
//! no copy is left behind by a reallocation.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The largest frame either side reads.
pub const MAX_FRAME: usize = 64 * 1024;
/// How long the agent waits for a request (a client sends it as soon as it connects). The agent
/// answers one connection at a time, so this is also the longest a silent client delays others.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a client waits for the reply, and either side to hand over a frame.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Request {
    /// Hold this workspace's data key (replacing any held for it) with these timeouts.
    Hold(Hold),
    /// The data key of a workspace, if held; counts as use (resets its idle timeout).
    Key { workspace: String },
    /// Forget one workspace's key.
    Forget { workspace: String },
    /// What is held and until when (never a key).
    Status,
    /// Forget every key and exit.
    Lock,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hold {
    pub workspace: String,
    pub name: String,
    pub path: PathBuf,
    pub key: SecretKey,
    pub idle_secs: u64,
    pub max_secs: u64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Reply {
    Done,
    Key {
        key: SecretKey,
    },
    NotHeld,
    Status(AgentStatus),
    /// The request was not understood or not allowed; the agent closes the connection.
    Refused {
        message: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgentStatus {
    pub pid: u32,
    /// Whether the keys' memory is locked in RAM (mlock); when not, it is still kept out of dumps.
    pub memory_locked: bool,
    /// Whether the agent could be dumped or ptraced by its own uid (it makes itself not).
    pub dumpable: bool,
    pub workspaces: Vec<HeldWorkspace>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeldWorkspace {
    pub workspace_id: String,
    pub name: String,
    pub path: PathBuf,
    pub unlocked_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// When it locks unless used before: the idle timeout from its last use, or the absolute one.
    pub locks_at: DateTime<Utc>,
    pub idle_seconds: u64,
    pub max_seconds: u64,
}

/// A 256-bit data key on the wire (64 hex digits). Decoded straight from the frame's bytes into a
/// wiped array; its `Debug` never shows it.
pub struct SecretKey(pub Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl Serialize for SecretKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = Zeroizing::new([0u8; 64]);
        for (i, b) in self.0.iter().enumerate() {
            hex[2 * i] = DIGITS[(b >> 4) as usize];
            hex[2 * i + 1] = DIGITS[(b & 15) as usize];
        }
        s.serialize_str(std::str::from_utf8(&hex[..]).expect("hex digits"))
    }
}

impl<'de> Deserialize<'de> for SecretKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = SecretKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("64 hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SecretKey, E> {
                let v = v.as_bytes();
                if v.len() != 64 {
                    return Err(E::custom("a key is 64 hex digits"));
                }
                let mut key = Zeroizing::new([0u8; 32]);
                for (i, pair) in v.chunks(2).enumerate() {
                    let digit = |c: u8| (c as char).to_digit(16).ok_or_else(|| E::custom("a key is 64 hex digits"));
                    key[i] = (digit(pair[0])? << 4 | digit(pair[1])?) as u8;
                }
                Ok(SecretKey(key))
            }
        }
        d.deserialize_str(Hex)
    }
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("request of {0} bytes refused (at most {MAX_FRAME})")]
    TooLarge(usize),
    #[error("empty request")]
    Empty,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Serialises `message` into one frame, in a buffer sized once and wiped when dropped.
pub fn encode<T: Serialize>(message: &T) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_FRAME + 4));
    buf.extend_from_slice(&[0; 4]);
    serde_json::to_writer(&mut *buf, message)?;
    let len = buf.len() - 4;
    if len > MAX_FRAME {
        return Err(io::Error::other(FrameError::TooLarge(len)));
    }
    buf[..4].copy_from_slice(&(len as u32).to_be_bytes());
    Ok(buf)
}

pub fn write_frame(stream: &mut UnixStream, frame: &[u8]) -> io::Result<()> {
    stream.set_write_timeout(Some(REPLY_TIMEOUT))?;
    stream.write_all(frame)?;
    stream.flush()
}

/// Reads one frame; the whole of it must arrive within `timeout`.
pub fn read_frame(stream: &mut UnixStream, timeout: Duration) -> Result<Zeroizing<Vec<u8>>, FrameError> {
    let deadline = Instant::now() + timeout;
    let mut len = [0u8; 4];
    read_by(stream, &mut len, deadline)?;
    let len = u32::from_be_bytes(len) as usize;
    if len == 0 {
        return Err(FrameError::Empty);
    }
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = Zeroizing::new(vec![0u8; len]);
    read_by(stream, &mut body, deadline)?;
    Ok(body)
}

fn read_by(stream: &mut UnixStream, mut buf: &mut [u8], deadline: Instant) -> io::Result<()> {
    while !buf.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(buf) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => buf = &mut buf[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_travels_as_hex_and_never_prints() {
        let key = SecretKey(Zeroizing::new([0xab; 32]));
        let frame = encode(&Reply::Key { key }).unwrap();
        let text = std::str::from_utf8(&frame[4..]).unwrap();
        assert_eq!(text, format!("{{\"key\":{{\"key\":\"{}\"}}}}", "ab".repeat(32)));
        let back: Reply = serde_json::from_str(text).unwrap();
        assert!(matches!(&back, Reply::Key { key } if *key.0 == [0xab; 32]));
        assert_eq!(format!("{back:?}"), "Key { key: SecretKey(<redacted>) }");
    }

    #[test]
    fn unknown_requests_fields_and_bad_keys_are_refused() {
        for text in [
            r#""export""#,
            r#"{"key":{"workspace":"ws_1","also":1}}"#,
            r#"{"hold":{"workspace":"w","name":"n","path":"/p","key":"zz","idleSecs":1,"maxSecs":1}}"#,
            r#"{"status":null,"lock":null}"#,
            "not json",
        ] {
            assert!(serde_json::from_str::<Request>(text).is_err(), "{text}");
        }
        assert!(matches!(serde_json::from_str::<Request>(r#""status""#), Ok(Request::Status)));
    }

    #[test]
    fn frames_over_the_limit_are_refused_before_reading_them() {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_all(&((MAX_FRAME + 1) as u32).to_be_bytes()).unwrap();
        assert!(matches!(read_frame(&mut b, REQUEST_TIMEOUT), Err(FrameError::TooLarge(n)) if n == MAX_FRAME + 1));
        a.write_all(&0u32.to_be_bytes()).unwrap();
        assert!(matches!(read_frame(&mut b, REQUEST_TIMEOUT), Err(FrameError::Empty)));
        a.write_all(&10u32.to_be_bytes()).unwrap();
        a.write_all(b"short").unwrap();
        drop(a);
        assert!(matches!(read_frame(&mut b, REQUEST_TIMEOUT), Err(FrameError::Io(_))));
    }
}
