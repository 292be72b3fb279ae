//! The CLI's side of the agent: ask it for a workspace's key, hand it one (starting it first when
//! none runs), make it forget one or all. Every failure to reach it means "no agent": the command
//! goes on as without one. The agent is trusted only when its directory passes [`place::verify`]
//! and the kernel says the process behind the socket is this user's.

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use wisdom_core::{DataKey, KeyFile, Workspace};

use super::place;
use super::protocol::{self, AgentStatus, Hold, Reply, Request, SecretKey};
use super::{os, settings};

/// How long `wisdom unlock` waits for an agent it started to answer.
const START_WAIT: Duration = Duration::from_secs(5);

/// A connection to this user's agent; `None` when none is listening.
fn connect() -> anyhow::Result<Option<UnixStream>> {
    let dir = place::dir();
    if !place::verify(&dir)? {
        return Ok(None);
    }
    let stream = match UnixStream::connect(place::socket(&dir)) {
        Ok(s) => s,
        // No socket, or a dead agent's (stale) socket: no agent.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused) => {
            return Ok(None);
        }
        Err(e) => return Err(e).context("reaching the unlock agent"),
    };
    let peer = os::peer_uid(&stream)?;
    if peer != os::uid() {
        bail!("the unlock agent's socket is served by uid {peer}, not by this user");
    }
    Ok(Some(stream))
}

/// One request and its reply; `None` when no agent runs.
fn ask(request: &Request) -> anyhow::Result<Option<Reply>> {
    let Some(mut stream) = connect()? else { return Ok(None) };
    protocol::write_frame(&mut stream, &protocol::encode(request)?)?;
    let body = protocol::read_frame(&mut stream, protocol::REPLY_TIMEOUT)?;
    let reply = serde_json::from_slice(&body).context("an answer the CLI does not understand")?;
    Ok(Some(reply))
}

/// The workspace id written in the key file beside `path` (clear text; no secret read).
fn workspace_id(path: &Path) -> Option<String> {
    KeyFile::read(&KeyFile::path_for(path)).ok().map(|k| k.workspace_id)
}

/// The agent's copy of the data key of the workspace at `path`, with the workspace's id; `None`
/// when the agent is off, not running or does not hold it.
pub fn key_for(path: &Path) -> Option<(String, DataKey)> {
    if settings::mode() == settings::Mode::Off {
        return None;
    }
    let id = workspace_id(path)?;
    match ask(&Request::Key { workspace: id.clone() }) {
        Ok(Some(Reply::Key { key })) => Some((id, DataKey::from_bytes(&key.0))),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("not using the unlock agent: {e:#}");
            None
        }
    }
}

/// Makes the agent forget the workspace at `path` (after its passphrase changed, it was restored,
/// or its key no longer opens it). Best effort: no agent, nothing to forget.
pub fn forget(path: &Path) {
    if let Some(id) = workspace_id(path) {
        forget_id(&id);
    }
}

pub fn forget_id(workspace: &str) {
    if let Err(e) = ask(&Request::Forget { workspace: workspace.into() }) {
        tracing::warn!("could not reach the unlock agent to lock the workspace: {e:#}");
    }
}

/// What the agent holds; `None` when none runs.
pub fn status() -> anyhow::Result<Option<AgentStatus>> {
    match ask(&Request::Status)? {
        None => Ok(None),
        Some(Reply::Status(s)) => Ok(Some(s)),
        Some(other) => bail!("unexpected answer from the unlock agent: {other:?}"),
    }
}

/// Ends the agent, every key wiped; whether one was running.
pub fn lock() -> anyhow::Result<bool> {
    match ask(&Request::Lock)? {
        None => Ok(false),
        Some(Reply::Done) => Ok(true),
        Some(other) => bail!("unexpected answer from the unlock agent: {other:?}"),
    }
}

/// Hands the open workspace's key to the agent, starting one when none runs.
pub fn hold(ws: &Workspace, idle: Duration, max: Duration) -> anyhow::Result<()> {
    let request = Request::Hold(Hold {
        workspace: ws.id().to_string(),
        name: ws.name()?,
        path: std::fs::canonicalize(ws.path()).unwrap_or_else(|_| ws.path().to_path_buf()),
        key: SecretKey(zeroize::Zeroizing::new(*ws.data_key().bytes())),
        idle_secs: idle.as_secs(),
        max_secs: max.as_secs(),
    });
    let reply = match ask(&request)? {
        Some(reply) => reply,
        None => {
            start()?;
            ask(&request)?.context("the unlock agent started but does not answer")?
        }
    };
    match reply {
        Reply::Done => Ok(()),
        Reply::Refused { message } => bail!("the unlock agent refused: {message}"),
        other => bail!("unexpected answer from the unlock agent: {other:?}"),
    }
}

/// Starts `wisdom agent serve` detached (its own session, no terminal, stdio on /dev/null, no
/// secrets in its environment) and waits until it answers.
fn start() -> anyhow::Result<()> {
    place::prepare(&place::dir())?;
    let exe = std::env::current_exe().context("finding the wisdom binary to start the agent")?;
    let mut child = Command::new(exe)
        .args(["agent", "serve"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir("/")
        .env_remove("WISDOM_PASSPHRASE")
        .env_remove("WISDOM_NEW_PASSPHRASE")
        .env_remove("WISDOM_RECOVERY_KEY")
        .env_remove("WISDOM_SYNC_PASSWORD")
        .spawn()
        .context("starting the unlock agent")?;
    let started = Instant::now();
    loop {
        if connect()?.is_some() {
            return Ok(());
        }
        // It exits at once when another agent won the race to start; that one will answer.
        if let Some(status) = child.try_wait()? {
            if started.elapsed() > Duration::from_millis(500) {
                bail!("the unlock agent stopped at start ({status})");
            }
        }
        if started.elapsed() > START_WAIT {
            bail!("the unlock agent did not answer within {} s", START_WAIT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
