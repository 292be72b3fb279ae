//! The agent process itself (`wisdom agent serve`, started by `wisdom unlock`): one thread, one
//! loop that waits on the socket and on the signals, answers one request per connection, and
//! exits, keys wiped, when it holds nothing, on `wisdom lock`, on SIGTERM/SIGINT/SIGHUP, when the
//! machine has slept, or when its socket is gone (the runtime directory is removed at logout).

use std::fs::{self, File};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;

use super::keyring::Keyring;
use super::os;
use super::place;
use super::protocol::{self, AgentStatus, FrameError, Reply, Request, SecretKey};

/// How often the loop looks at the clock and the socket when nothing happens.
const TICK: Duration = Duration::from_secs(1);
/// An agent that is handed no key this long after it starts goes away.
const FIRST_HOLD: Duration = Duration::from_secs(10);
/// The boot clock ran this much ahead of the monotonic one between two ticks: the machine slept.
const SLEPT: Duration = Duration::from_secs(2);
/// The longest a key may be held, whatever `wisdom unlock --max` asked.
pub const LONGEST: Duration = Duration::from_secs(24 * 3600);

/// Runs the agent until it has a reason to stop; returns it, in words.
pub fn serve() -> anyhow::Result<&'static str> {
    os::harden_process().context("making the agent's process private")?;
    let signals = os::Signals::catch().context("catching signals")?;
    let dir = place::dir();
    place::prepare(&dir)?;
    let lock_path = place::lock_file(&dir);
    let lock = File::options().create(true).truncate(false).write(true).mode(0o600).open(&lock_path)?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Ok("another agent is running"),
        Err(fs::TryLockError::Error(e)) => return Err(e).context("locking the agent's lock file"),
    }
    // Holding the lock, any socket file left here is a dead agent's.
    let socket = place::socket(&dir);
    match fs::remove_file(&socket) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e).context("removing a stale socket"),
        _ => {}
    }
    let listener = UnixListener::bind(&socket).context("binding the agent's socket")?;
    fs::set_permissions(&socket, fs::Permissions::from_mode(0o600))?;
    listener.set_nonblocking(true)?;
    let identity = inode(&socket);
    let mut agent = Agent { keyring: Keyring::new()?, uid: os::uid(), started: os::boot_time(), held_once: false };
    let why = agent.run(&listener, &signals, &socket, identity);
    agent.keyring.clear();
    if inode(&socket) == identity {
        let _ = fs::remove_file(&socket);
    }
    drop(lock);
    why
}

fn inode(path: &Path) -> Option<(u64, u64)> {
    fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

struct Agent {
    keyring: Keyring,
    uid: u32,
    started: Duration,
    held_once: bool,
}

impl Agent {
    fn run(
        &mut self,
        listener: &UnixListener,
        signals: &os::Signals,
        socket: &Path,
        identity: Option<(u64, u64)>,
    ) -> anyhow::Result<&'static str> {
        let mut slept_before = os::boot_time().saturating_sub(os::monotonic());
        loop {
            let now = os::boot_time();
            let slept = now.saturating_sub(os::monotonic());
            if slept.saturating_sub(slept_before) >= SLEPT {
                return Ok("the machine slept");
            }
            slept_before = slept;
            self.keyring.expire(now);
            if self.keyring.is_empty() && (self.held_once || now >= self.started + FIRST_HOLD) {
                return Ok("it holds no key");
            }
            if inode(socket) != identity {
                return Ok("its socket is gone");
            }
            let wait = self
                .keyring
                .next_deadline()
                .map_or(TICK, |d| d.saturating_sub(now))
                .clamp(Duration::from_millis(1), TICK);
            let ready = os::wait_readable(&[listener.as_raw_fd(), signals.as_raw_fd()], wait)?;
            if ready[1] && signals.take().is_some() {
                return Ok("a signal");
            }
            if ready[0] {
                loop {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            if self.answer(stream) {
                                return Ok("wisdom lock");
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e).context("accepting a connection"),
                    }
                }
            }
        }
    }

    /// Answers one connection; true when asked to lock.
    fn answer(&mut self, mut stream: UnixStream) -> bool {
        if stream.set_nonblocking(false).is_err() {
            return false;
        }
        // The directory already keeps other users out; the kernel's word on the peer is the check
        // that does not depend on the file system.
        if os::peer_uid(&stream).ok() != Some(self.uid) {
            send(&mut stream, &refused("this agent serves only the user who started it"));
            return false;
        }
        let (reply, lock) = match protocol::read_frame(&mut stream, protocol::REQUEST_TIMEOUT) {
            Ok(frame) => match serde_json::from_slice::<Request>(&frame) {
                Ok(request) => self.handle(request),
                Err(_) => (refused("not a request this agent understands"), false),
            },
            Err(FrameError::Io(_)) => return false, // gone or too slow: nobody to tell
            Err(e) => (refused(&e.to_string()), false),
        };
        send(&mut stream, &reply);
        lock
    }

    fn handle(&mut self, request: Request) -> (Reply, bool) {
        let now = os::boot_time();
        let reply = match request {
            Request::Hold(hold) => {
                let longest = LONGEST.as_secs();
                if hold.idle_secs == 0 || hold.max_secs == 0 || hold.idle_secs > longest || hold.max_secs > longest {
                    refused("timeouts must be from 1 second to 24 hours")
                } else if hold.workspace.is_empty() || hold.workspace.len() > 100 {
                    refused("not a workspace id")
                } else {
                    let Some(key_file) = read_key_file(&hold.path) else {
                        return (refused("the workspace's key file cannot be read"), false);
                    };
                    match self.keyring.hold(&hold, key_file, now, Utc::now()) {
                        Ok(()) => {
                            self.held_once = true;
                            Reply::Done
                        }
                        Err(message) => refused(message),
                    }
                }
            }
            Request::Key { workspace } => {
                if self.keyring.forget_if_rewritten(&workspace, read_key_file) {
                    tracing::info!(workspace = %workspace, "key file rewritten (passphrase changed, recovered or restored): key forgotten");
                }
                match self.keyring.key(&workspace, now) {
                    Some(key) => Reply::Key { key: SecretKey(key) },
                    None => Reply::NotHeld,
                }
            }
            Request::Forget { workspace } => {
                self.keyring.forget(&workspace);
                Reply::Done
            }
            Request::Status => {
                self.keyring.expire(now);
                Reply::Status(AgentStatus {
                    pid: std::process::id(),
                    memory_locked: self.keyring.memory_locked(),
                    dumpable: os::dumpable(),
                    workspaces: self.keyring.held(now, Utc::now()),
                })
            }
            Request::Lock => {
                self.keyring.clear();
                return (Reply::Done, true);
            }
        };
        (reply, false)
    }
}

/// The bytes of the key file beside the workspace at `path`.
fn read_key_file(path: &Path) -> Option<Vec<u8>> {
    fs::read(wisdom_core::KeyFile::path_for(path)).ok()
}

fn refused(message: &str) -> Reply {
    Reply::Refused { message: message.into() }
}

/// Best effort: a client that went away misses its reply.
fn send(stream: &mut UnixStream, reply: &Reply) {
    if let Ok(frame) = protocol::encode(reply) {
        let _ = protocol::write_frame(stream, &frame);
    }
}
