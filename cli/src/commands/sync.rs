//! `wisdom sync`: end-to-end encrypted sync with a WisdomOS sync server.

use chrono::{TimeZone, Utc};
use clap::{Args, Subcommand, ValueEnum};
use wisdom_core::model::Resolution;
use wisdom_core::{Clock, KdfParams, Passphrase, Workspace};

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct Account {
    /// The sync server, e.g. https://sync.example.org.
    #[arg(long)]
    server: String,
    #[arg(long)]
    email: String,
    /// How this device is listed (default: the host name).
    #[arg(long)]
    device: Option<String>,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Create an account and put this workspace on it.
    Register(Account),
    /// Sign this device in to an existing account and link this workspace to it.
    Login(Account),
    /// Set up this workspace on a new device from the account: creates the file at --workspace, or
    /// without it one named after the journal in the workspaces folder.
    Link {
        #[command(flatten)]
        account: Account,
        /// Which workspace of the account, when it has several.
        #[arg(long)]
        workspace_id: Option<String>,
    },
    /// Push local changes and pull everyone else's.
    Now,
    /// Where this workspace syncs, and what is waiting.
    Status,
    /// Sign this device out (local data stays).
    Logout,
    /// The account's devices.
    Devices,
    /// Sign a lost device out for good.
    Revoke { device_id: String },
    /// Versions that lost a sync conflict, on any of the account's devices (open ones; --all for
    /// resolved ones too). Resolve one with `wisdom sync resolve ID keep|restore|both`.
    Conflicts {
        /// Resolved conflicts too.
        #[arg(long)]
        all: bool,
    },
    /// Resolve a conflict (ID or a unique start of it): keep the current version, restore the
    /// losing one, or keep both as separate entries. The decision syncs to every device.
    Resolve { id: String, how: How },
}

/// `wisdom sync resolve`'s choices.
#[derive(Clone, Copy, ValueEnum)]
pub enum How {
    /// Keep the current version; the other is marked as seen.
    Keep,
    /// Bring the losing version back as the current one.
    Restore,
    /// Keep the losing version as a new, separate entry beside the current one.
    Both,
}

impl From<How> for Resolution {
    fn from(h: How) -> Resolution {
        match h {
            How::Keep => Resolution::KeepCurrent,
            How::Restore => Resolution::Restore,
            How::Both => Resolution::KeepBoth,
        }
    }
}

/// What a conflict's state says, in words.
fn state_words(c: &wisdom_core::SyncConflict) -> String {
    use wisdom_core::model::ConflictState::*;
    match c.state {
        Open => "open".into(),
        KeptCurrent => "kept current".into(),
        Restored => "restored".into(),
        KeptBoth => format!("kept both ({})", c.copy_id.as_deref().unwrap_or("?")),
    }
}

fn password() -> anyhow::Result<Passphrase> {
    if let Some(p) = std::env::var_os("WISDOM_SYNC_PASSWORD") {
        return Ok(Passphrase::new(p.to_string_lossy().into_owned()));
    }
    let text = zeroize::Zeroizing::new(rpassword::prompt_password("Sync account password: ")?);
    Ok(Passphrase::new(text.as_str()))
}

fn device(given: &Option<String>) -> String {
    wisdom_core::device_name(given.as_deref())
}

fn epoch(secs: i64) -> String {
    Utc.timestamp_opt(secs, 0).single().map(|t| output::date(&t)).unwrap_or_default()
}

pub fn run(g: &Global, c: SyncCommand) -> anyhow::Result<()> {
    if let SyncCommand::Link { account, workspace_id } = &c {
        return link(g, account, workspace_id.as_deref());
    }
    let mut ws = session::open(g)?;
    match c {
        SyncCommand::Register(a) => {
            let status = ws.sync_register(&a.server, &a.email, &password()?, &device(&a.device))?;
            let report = ws.sync_now()?;
            if g.json {
                return output::json(&serde_json::json!({ "status": status, "report": report }));
            }
            println!(
                "Registered {} on {} as device {}; {} changes sent.",
                status.email, status.server, status.device_id, report.pushed
            );
        }
        SyncCommand::Login(a) => {
            let status = ws.sync_login(&a.server, &a.email, &password()?, &device(&a.device))?;
            let report = ws.sync_now()?;
            if g.json {
                return output::json(&serde_json::json!({ "status": status, "report": report }));
            }
            println!(
                "Signed in to {} as {}; sent {}, applied {}.",
                status.server, status.email, report.pushed, report.applied
            );
        }
        SyncCommand::Link { .. } => unreachable!("handled above"),
        SyncCommand::Now => {
            let r = ws.sync_now()?;
            if g.json {
                return output::json(&r);
            }
            println!(
                "Sent {}, received {} ({} applied), {} conflicts kept; cursor {}.",
                r.pushed, r.pulled, r.applied, r.conflicts, r.cursor
            );
            if r.files_sent + r.files_received + r.files_waiting > 0 {
                println!(
                    "Files: {} sent ({:.1} MB), {} received ({:.1} MB){}.",
                    r.files_sent,
                    r.bytes_sent as f64 / 1e6,
                    r.files_received,
                    r.bytes_received as f64 / 1e6,
                    if r.files_waiting > 0 {
                        format!(", {} no longer on the server (deleted on another device)", r.files_waiting)
                    } else {
                        String::new()
                    }
                );
            }
        }
        SyncCommand::Status => {
            let s = ws.sync_status()?;
            if g.json {
                return output::json(&serde_json::json!({ "status": s }));
            }
            match s {
                None => println!("Not syncing. `wisdom sync register` or `wisdom sync login` to start."),
                Some(s) => output::fields(&[
                    ("server", s.server),
                    ("account", s.email),
                    ("device", s.device_id),
                    ("signed in", if s.logged_in { "yes".into() } else { "no: run `wisdom sync login`".into() }),
                    ("waiting to send", s.pending.to_string()),
                    ("last sync", output::opt_date(&s.last_sync_at)),
                ])?,
            }
        }
        SyncCommand::Logout => {
            ws.sync_logout()?;
            if g.json {
                return output::json(&serde_json::json!({ "loggedOut": true }));
            }
            println!("Signed out. Local data is untouched.");
        }
        SyncCommand::Devices => {
            let devices = ws.sync_devices()?;
            if g.json {
                return output::json(&serde_json::json!({ "devices": devices }));
            }
            let mut t = Table::new(&[("ID", 30), ("NAME", 30), ("ADDED", 16), ("LAST SEEN", 16), ("STATE", 12)]);
            for d in devices {
                let state = if d.revoked {
                    "revoked"
                } else if d.current {
                    "this device"
                } else {
                    "active"
                };
                t.row(vec![d.device_id, d.name, epoch(d.created_at), epoch(d.last_seen_at), state.into()]);
            }
            t.print()?;
        }
        SyncCommand::Revoke { device_id } => {
            ws.sync_revoke_device(&device_id)?;
            if g.json {
                return output::json(&serde_json::json!({ "revoked": device_id }));
            }
            println!("Device {device_id} signed out for good.");
        }
        SyncCommand::Conflicts { all } => {
            let conflicts = ws.sync_conflicts(all)?;
            if g.json {
                return output::json(&serde_json::json!({ "conflicts": conflicts }));
            }
            if conflicts.is_empty() {
                println!("No {}conflicts.", if all { "" } else { "open " });
                return Ok(());
            }
            let mut t = Table::new(&[
                ("ID", 30),
                ("WHEN", 16),
                ("ENTITY", 13),
                ("LOST VERSION", 36),
                ("WHY", 48),
                ("STATE", 14),
            ]);
            for c in conflicts {
                let state = state_words(&c);
                t.row(vec![c.id, output::date(&c.recorded_at), c.entity, c.title, c.reason, state]);
            }
            t.print()?;
        }
        SyncCommand::Resolve { id, how } => {
            let c = ws.resolve_conflict(&id, how.into())?;
            if g.json {
                return output::json(&serde_json::json!({ "conflict": c }));
            }
            let done = match how {
                How::Keep => format!("Kept the current {}; the other version stays listed under --all.", c.entity),
                How::Restore => format!("Restored the other version of {} {:?}.", c.entity, c.title),
                How::Both => {
                    format!("Kept both: the other version is now {} {}.", c.entity, c.copy_id.as_deref().unwrap_or("?"))
                }
            };
            println!("{done} It reaches your other devices with the next sync.");
        }
    }
    Ok(())
}

fn link(g: &Global, a: &Account, workspace_id: Option<&str>) -> anyhow::Result<()> {
    // Without --workspace, the copy is named after the journal (core picks the file once it knows it).
    let path = g.workspace.as_deref();
    if let Some(path) = path.filter(|p| p.exists()) {
        anyhow::bail!(wisdom_core::Error::AlreadyExists(path.to_path_buf()));
    }
    let account = password()?;
    let pass = session::passphrase(g)?;
    let (ws, report) = Workspace::sync_link_device(
        path,
        &a.server,
        &a.email,
        &account,
        &pass,
        &device(&a.device),
        workspace_id,
        KdfParams::calibrate(),
        Clock::system(),
    )?;
    drop(pass);
    session::remember(&ws, Some(Utc::now()))?;
    if g.json {
        return output::json(&serde_json::json!({ "id": ws.id(), "path": ws.path(), "report": report }));
    }
    println!("Linked {:?} at {}: {} rows received.", ws.name()?, ws.path().display(), report.applied);
    Ok(())
}
