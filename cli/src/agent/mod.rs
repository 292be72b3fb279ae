//! Unlock once: a per-user agent that holds unwrapped data keys for a limited time, so commands
//! after `wisdom unlock` skip the passphrase and its Argon2id derivation (0.4-0.6 s each).
//!
//! The agent is the `wisdom` binary itself (`wisdom agent serve`, hidden), started detached by
//! `wisdom unlock`. It holds keys only: a command asks it for its workspace's key over a Unix
//! socket only this user can reach, and opens the file itself, the same way as with a passphrase
//! (`Workspace::open_with_key`). Why keys and not commands: ARCHITECTURE.md, `cli/`.

pub mod client;
mod keyring;
mod os;
pub mod place;
pub mod protocol;
pub mod server;
pub mod settings;

/// How long a key stays unused before the agent forgets it, unless `--idle` says otherwise.
pub const DEFAULT_IDLE: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// How long a key stays at most, used or not, unless `--max` says otherwise.
pub const DEFAULT_MAX: std::time::Duration = std::time::Duration::from_secs(8 * 3600);
