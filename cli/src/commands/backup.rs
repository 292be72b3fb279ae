//! `wisdom backup`, `wisdom backups`, `wisdom restore`: the journal's backups, taken by hand,
//! listed, and put back. Taking them by themselves, and what to keep, is the core's business.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::bail;
use clap::Args;
use wisdom_core::model::{Backup, BackupReason};
use wisdom_core::{Clock, KeyFile, Workspace};

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup's id, from `wisdom backups`.
    id: String,
    /// Restore without asking (needed when not run in a terminal).
    #[arg(long)]
    yes: bool,
}

pub fn backup(g: &Global) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let b = ws.backup(BackupReason::Manual)?;
    if g.json {
        return output::json(&b);
    }
    println!("Backed up and checked: {} ({}), id {}", b.path.display(), size(b.size_bytes), b.id);
    Ok(())
}

#[derive(Args)]
pub struct ListArgs {
    /// Keep the backups in this folder from now on (another disk, say), on this machine only;
    /// those taken so far move there.
    #[arg(long, value_name = "DIR", conflicts_with = "default_folder")]
    folder: Option<std::path::PathBuf>,
    /// Keep them beside the journal again (in `backups/`), where they start.
    #[arg(long)]
    default_folder: bool,
}

pub fn list(g: &Global, a: ListArgs) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    if a.folder.is_some() || a.default_folder {
        let folder = a.folder.map(|f| std::path::absolute(&f)).transpose()?;
        let ws = session::open(g)?;
        ws.set_backup_folder(folder.as_deref())?;
    }
    let folder = Workspace::backup_folder_of(&path);
    let backups = Workspace::backups_of(&path)?;
    if g.json {
        return output::json(&serde_json::json!({ "folder": folder, "backups": backups }));
    }
    println!("Backups in {}", folder.display());
    let mut t = Table::new(&[("ID", 19), ("TAKEN", 16), ("SIZE", 10), ("REASON", 30)]);
    for b in &backups {
        t.row(vec![b.id.clone(), output::date(&b.taken_at), size(b.size_bytes), b.reason.label().into()]);
    }
    t.print()
}

pub fn restore(g: &Global, a: RestoreArgs) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    let Some(backup) = Workspace::backups_of(&path)?.into_iter().find(|b| b.id == a.id) else {
        bail!(wisdom_core::Error::NotFound { entity: "backup", id: a.id });
    };
    if !a.yes && !confirm(&backup)? {
        println!("Nothing restored.");
        return Ok(());
    }
    let pass = session::passphrase(g)?;
    let report = Workspace::restore_backup(&path, &backup.id, &pass, Clock::system())?;
    drop(pass);
    // The journal was replaced under any unlocked copy (the desktop locks too after a restore).
    crate::agent::client::forget(&path);
    session::note_kdf(&path, KeyFile::read(&KeyFile::path_for(&path))?.kdf())?;
    if g.json {
        return output::json(&report);
    }
    let b = &report.restored;
    println!("Restored backup {} (taken {}, {}).", b.id, output::date(&b.taken_at), b.reason.label());
    if let Some(s) = &report.safety_backup {
        println!("The journal as it was just before is backup {} (`wisdom restore {}` undoes this).", s.id, s.id);
    }
    if let Some(aside) = &report.set_aside {
        println!("The workspace file that would not open was kept at {}.", aside.display());
    }
    println!("Its key file was restored with it: the passphrase is the one in force when the backup was taken.");
    if report.passphrase_reverted {
        println!("That is an older passphrase, not the one you just used: unlock with the old one from now on.");
    }
    Ok(())
}

/// Asks on the terminal; without one, refuses rather than replace a journal unasked.
fn confirm(b: &Backup) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(session::usage("restoring replaces the journal; confirm with --yes (there is no terminal to ask on)"));
    }
    eprint!(
        "Replace the journal with backup {} (taken {}, {})? It is backed up first. [y/N] ",
        b.id,
        output::date(&b.taken_at),
        b.reason.label()
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1 << 20) as f64),
        b => format!("{} KiB", b.div_ceil(1024)),
    }
}
