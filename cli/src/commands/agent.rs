//! `wisdom unlock`, `wisdom lock` and `wisdom agent`: unlock once, then commands skip the
//! passphrase until the agent forgets the key (see `crate::agent`).

use std::time::Duration;

use anyhow::bail;
use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};
use wisdom_core::{Clock, Workspace};

use crate::agent::protocol::{AgentStatus, HeldWorkspace};
use crate::agent::settings::{self, Mode};
use crate::agent::{self, client, server};
use crate::output;
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct UnlockArgs {
    /// Lock again after this long without a command (e.g. 90s, 15m, 2h).
    #[arg(long, default_value = "15m", value_parser = parse_duration, value_name = "TIME")]
    idle: Duration,
    /// Lock after this long however busy (at most 24h).
    #[arg(long, default_value = "8h", value_parser = parse_duration, value_name = "TIME")]
    max: Duration,
    /// Show what is unlocked and until when, and unlock nothing.
    #[arg(long)]
    status: bool,
}

#[derive(Subcommand)]
pub enum AgentCommand {
    /// What is unlocked and until when (the same as `wisdom unlock --status`).
    Status,
    /// Whether commands use the agent: `on` (when `wisdom unlock` started it; the default),
    /// `auto` (the first command that asks for the passphrase starts it), `off` (never). Env
    /// WISDOM_AGENT=off|on|auto or WISDOM_NO_AGENT=1 overrides it.
    Mode { mode: Option<Mode> },
    /// Run the agent (started by `wisdom unlock`, not by hand).
    #[command(hide = true)]
    Serve,
}

/// `90`, `90s`, `15m`, `8h`: from one second to 24 hours.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("{text:?}: a number and s, m or h, e.g. 15m"))?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{text:?}: a number and s, m or h, e.g. 15m")),
    };
    let d = Duration::from_secs(seconds);
    if d.is_zero() || d > server::LONGEST {
        return Err(format!("{text:?}: from 1s to 24h"));
    }
    Ok(d)
}

pub fn unlock(g: &Global, a: UnlockArgs) -> anyhow::Result<()> {
    if a.status {
        return status(g);
    }
    let (mode, source) = settings::mode_and_source();
    if mode == Mode::Off {
        bail!(session::usage(format!("the unlock agent is turned off (by {source})")));
    }
    let path = session::workspace_path(g)?;
    let pass = session::passphrase(g)?;
    let ws = Workspace::open(&path, &pass, Clock::system())?;
    drop(pass);
    client::hold(&ws, a.idle.min(a.max), a.max)?;
    let held = client::status()?.and_then(|s| s.workspaces.into_iter().find(|w| w.workspace_id == ws.id()));
    let Some(held) = held else { bail!("the unlock agent did not keep the key") };
    if g.json {
        return output::json(&serde_json::json!({ "unlocked": held }));
    }
    println!(
        "Unlocked \"{}\": commands need no passphrase until {}; `wisdom lock` locks it now.",
        held.name,
        until(&held)
    );
    Ok(())
}

pub fn lock(g: &Global) -> anyhow::Result<()> {
    let was_running = client::lock()?;
    if g.json {
        return output::json(&serde_json::json!({ "locked": was_running }));
    }
    if was_running {
        println!("Locked: the agent wiped every key and stopped.");
    } else {
        println!("Nothing was unlocked (no agent running).");
    }
    Ok(())
}

pub fn run(g: &Global, command: AgentCommand) -> anyhow::Result<()> {
    match command {
        AgentCommand::Status => status(g),
        AgentCommand::Mode { mode: None } => {
            let (mode, source) = settings::mode_and_source();
            if g.json {
                return output::json(&serde_json::json!({ "mode": mode.as_str(), "source": source }));
            }
            println!("{} (from {source})", mode.as_str());
            Ok(())
        }
        AgentCommand::Mode { mode: Some(mode) } => {
            let file = settings::set_mode(mode)?;
            if mode == Mode::Off {
                client::lock()?;
            }
            if g.json {
                return output::json(&serde_json::json!({ "mode": mode.as_str() }));
            }
            println!("Agent mode {} (saved in {}).", mode.as_str(), file.display());
            Ok(())
        }
        AgentCommand::Serve => {
            // Nothing to say to: stdio is /dev/null. The reason is for a debugger's eyes only.
            let _why = server::serve()?;
            Ok(())
        }
    }
}

fn status(g: &Global) -> anyhow::Result<()> {
    let status = client::status()?;
    if g.json {
        return output::json(&serde_json::json!({ "agent": status }));
    }
    match status {
        Some(AgentStatus { workspaces, pid, memory_locked, .. }) if !workspaces.is_empty() => {
            println!(
                "Unlocked by the agent (pid {pid}{}):",
                if memory_locked { "" } else { "; its memory could not be locked against swapping" }
            );
            for w in &workspaces {
                println!("  {}  {}", w.name, w.path.display());
                println!("      unlocked {}, until {}", clock(w.unlocked_at), until(w));
            }
        }
        _ => println!("Nothing is unlocked: every command asks for the passphrase."),
    }
    Ok(())
}

/// "14:32 unless used (15m idle), 22:10 at the latest".
fn until(w: &HeldWorkspace) -> String {
    let latest = w.unlocked_at + chrono::Duration::seconds(w.max_seconds as i64);
    if w.locks_at >= latest {
        return format!("{} (the {} limit)", clock(latest), span(w.max_seconds));
    }
    format!("{} unless used ({} idle), {} at the latest", clock(w.locks_at), span(w.idle_seconds), clock(latest))
}

fn clock(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%H:%M:%S").to_string()
}

fn span(seconds: u64) -> String {
    match seconds {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// After a passphrase-based open in `auto` mode: hand the key over with the default timeouts.
pub fn hold_after_prompt(ws: &Workspace, quiet: bool) {
    match client::hold(ws, agent::DEFAULT_IDLE, agent::DEFAULT_MAX) {
        Ok(()) if !quiet => eprintln!(
            "(unlocked until {} without a command; `wisdom lock` locks now)",
            span(agent::DEFAULT_IDLE.as_secs())
        ),
        Ok(()) => {}
        Err(e) => tracing::warn!("could not start the unlock agent: {e:#}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_seconds_minutes_and_hours_within_a_day() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("8h").unwrap(), Duration::from_secs(28800));
        for bad in ["0", "25h", "15 minutes", "m", "-1s", "1d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
