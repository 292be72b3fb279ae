//! Which workspace a command works on, and how it is unlocked: the unlock agent's copy of its key
//! when `wisdom unlock` left one, else the passphrase from env `WISDOM_PASSPHRASE`,
//! `--passphrase-file`, or a no-echo prompt on the terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::Utc;
use wisdom_core::{Clock, DataKey, Passphrase, RecoveryKey, Registry, Workspace};

use crate::agent;
use crate::Global;

pub fn registry() -> anyhow::Result<Registry> {
    Ok(Registry::load(&Registry::default_path())?)
}

/// The workspace path: `--workspace`/`WISDOM_WORKSPACE`, else the only one in the registry.
pub fn workspace_path(g: &Global) -> anyhow::Result<PathBuf> {
    if let Some(p) = &g.workspace {
        return Ok(p.clone());
    }
    let reg = registry()?;
    match reg.entries() {
        [] => bail!(wisdom_core::Error::NoWorkspace(wisdom_core::home_dir().join("workspaces"))),
        [one] => Ok(one.path.clone()),
        many => bail!(usage(format!(
            "{} workspaces on this device ({}); choose one with --workspace PATH",
            many.len(),
            many.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// A bad-input error from the CLI itself (exit code 2).
pub fn usage(msg: impl Into<String>) -> wisdom_core::Error {
    wisdom_core::Error::Invalid(wisdom_core::model::Invalid::new("arguments", "", msg.into()))
}

fn read_file_secret(path: &Path) -> anyhow::Result<Passphrase> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path).with_context(|| format!("reading passphrase file {}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or("");
    Ok(Passphrase::new(line))
}

fn prompt(label: &str) -> anyhow::Result<Passphrase> {
    if !std::io::stdin().is_terminal() && std::fs::File::open("/dev/tty").is_err() {
        bail!(usage("no passphrase: set WISDOM_PASSPHRASE, pass --passphrase-file, or run in a terminal"));
    }
    let text = zeroize::Zeroizing::new(rpassword::prompt_password(label)?);
    Ok(Passphrase::new(text.as_str()))
}

/// The passphrase of an existing workspace.
pub fn passphrase(g: &Global) -> anyhow::Result<Passphrase> {
    if let Some(p) = std::env::var_os("WISDOM_PASSPHRASE") {
        return Ok(Passphrase::new(p.to_string_lossy().into_owned()));
    }
    if let Some(f) = &g.passphrase_file {
        return read_file_secret(f);
    }
    prompt("Passphrase: ")
}

/// A new passphrase, typed twice when prompted.
pub fn new_passphrase(env: &str, file: Option<&Path>, label: &str) -> anyhow::Result<Passphrase> {
    if let Some(p) = std::env::var_os(env) {
        return Ok(Passphrase::new(p.to_string_lossy().into_owned()));
    }
    if let Some(f) = file {
        return read_file_secret(f);
    }
    let min = wisdom_core::model::validate::MIN_PASSPHRASE_CHARS;
    eprintln!(
        "Choose a passphrase of at least {min} characters. Only the journal's recovery key can replace a lost one."
    );
    let first = prompt(&format!("{label}: "))?;
    let again = prompt(&format!("{label} (again): "))?;
    if first.as_bytes() != again.as_bytes() {
        bail!(usage("the two passphrases differ"));
    }
    Ok(first)
}

/// A recovery key: env `WISDOM_RECOVERY_KEY`, else the first line of `file`, else a no-echo prompt.
pub fn recovery_key(file: Option<&Path>) -> anyhow::Result<RecoveryKey> {
    let typed = if let Some(k) = std::env::var_os("WISDOM_RECOVERY_KEY") {
        Passphrase::new(k.to_string_lossy().into_owned())
    } else if let Some(f) = file {
        read_file_secret(f)?
    } else {
        prompt("Recovery key: ")?
    };
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(typed.as_bytes()).into_owned());
    Ok(RecoveryKey::parse(&text).map_err(wisdom_core::Error::from)?)
}

/// Notes a workspace's passphrase cost in the registry after its key file changed.
pub fn note_kdf(path: &Path, kdf: wisdom_core::KdfParams) -> anyhow::Result<()> {
    if let Some(mut e) = registry()?.find_by_path(path).cloned() {
        e.kdf = kdf;
        registry()?.upsert(e)?;
    }
    Ok(())
}

/// Unlocks the workspace for a command, and notes the opening in the registry.
pub fn open(g: &Global) -> anyhow::Result<Workspace> {
    let path = workspace_path(g)?;
    if !path.exists() {
        bail!(wisdom_core::Error::NoWorkspace(path));
    }
    let (mut ws, prompted) = with_key_or_passphrase(
        g,
        &path,
        |key| Workspace::open_with_key(&path, key, Clock::system()),
        |pass| Workspace::open(&path, pass, Clock::system()),
    )?;
    if prompted && agent::settings::mode() == agent::settings::Mode::Auto {
        crate::commands::hold_after_prompt(&ws, g.json || !std::io::stderr().is_terminal());
    }
    if let Err(e) = remember(&ws, None) {
        tracing::warn!(error = %e, "could not update the workspace registry");
    }
    // The first command of a day catches up on snapshots and the daily pattern run.
    let due = ws.run_due_jobs()?;
    if let Some(p) = due.patterns.filter(|p| p.created > 0) {
        if !g.json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("({} new pattern insights; see `wisdom insights`)", p.created);
        }
    }
    Ok(ws)
}

/// Runs `with_key` on the unlock agent's copy of the workspace's data key when it holds one,
/// else `with_pass` on the passphrase; says whether the passphrase was used. A key the agent
/// holds that no longer opens the file (the workspace was deleted, replaced or damaged) is
/// forgotten there, and the passphrase asked for instead.
pub fn with_key_or_passphrase<T>(
    g: &Global,
    path: &Path,
    with_key: impl FnOnce(DataKey) -> wisdom_core::Result<T>,
    with_pass: impl FnOnce(&Passphrase) -> wisdom_core::Result<T>,
) -> anyhow::Result<(T, bool)> {
    if let Some((id, key)) = agent::client::key_for(path) {
        match with_key(key) {
            Ok(t) => return Ok((t, false)),
            Err(e @ wisdom_core::Error::Busy { .. }) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(
                    "the unlock agent's key did not open {} ({e}); asking for the passphrase",
                    path.display()
                );
                agent::client::forget_id(&id);
            }
        }
    }
    let pass = passphrase(g)?;
    let t = with_pass(&pass)?;
    Ok((t, true))
}

/// Records (or refreshes) the workspace in this device's registry (core's one rule for the entry).
pub fn remember(ws: &Workspace, created: Option<chrono::DateTime<Utc>>) -> anyhow::Result<()> {
    Ok(registry()?.remember(ws, created)?)
}
