//! Whether commands use the agent. Env `WISDOM_NO_AGENT=1` or `WISDOM_AGENT=off|on|auto` first,
//! else `"agent"` in `<home>/cli.json` (set with `wisdom agent mode`), else `on`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Never: every command asks for the passphrase, as before the agent.
    Off,
    /// Use the agent when `wisdom unlock` started one (the default).
    On,
    /// Also start one on the first command that asks for the passphrase.
    Auto,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::On => "on",
            Mode::Auto => "auto",
        }
    }

    fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "0" | "no" | "false" => Some(Mode::Off),
            "on" | "1" | "yes" | "true" | "" => Some(Mode::On),
            "auto" => Some(Mode::Auto),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CliSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agent: Option<Mode>,
}

fn file() -> PathBuf {
    wisdom_core::home_dir().join("cli.json")
}

/// The mode in force, and where it comes from.
pub fn mode_and_source() -> (Mode, &'static str) {
    if std::env::var_os("WISDOM_NO_AGENT").is_some_and(|v| !v.is_empty() && v != "0") {
        return (Mode::Off, "WISDOM_NO_AGENT");
    }
    if let Some(v) = std::env::var_os("WISDOM_AGENT") {
        // An unreadable value turns the agent off rather than on.
        return (Mode::parse(&v.to_string_lossy()).unwrap_or(Mode::Off), "WISDOM_AGENT");
    }
    match std::fs::read(file()).ok().and_then(|b| serde_json::from_slice::<CliSettings>(&b).ok()) {
        Some(CliSettings { agent: Some(m) }) => (m, "cli.json"),
        _ => (Mode::On, "default"),
    }
}

pub fn mode() -> Mode {
    mode_and_source().0
}

pub fn set_mode(mode: Mode) -> anyhow::Result<PathBuf> {
    let path = file();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec_pretty(&CliSettings { agent: Some(mode) })?)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
