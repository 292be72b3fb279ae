//! `wisdom recover`, `wisdom recovery-key rotate|status`: the recovery key that replaces a
//! forgotten passphrase. Showing a new key, and nothing else, is this module's own.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use wisdom_core::{Clock, RecoveryKey, Workspace};

use crate::output;
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct RecoverArgs {
    /// Read the recovery key from the first line of FILE (else env WISDOM_RECOVERY_KEY, else a prompt).
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
    /// Read the new passphrase from the first line of FILE (else env WISDOM_NEW_PASSPHRASE, else a prompt).
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum RecoveryKeyCommand {
    /// Make a new recovery key (needs the passphrase); the old one stops working. Also how a
    /// journal made before recovery keys gets one.
    Rotate,
    /// Whether this journal has a recovery key.
    Status,
}

pub fn recover(g: &Global, a: RecoverArgs) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    let key = session::recovery_key(a.recovery_key_file.as_deref())?;
    let new = session::new_passphrase("WISDOM_NEW_PASSPHRASE", a.new_passphrase_file.as_deref(), "New passphrase")?;
    let kdf = Workspace::recover(&path, &key, &new, None, Clock::system())?;
    drop((key, new));
    crate::agent::client::forget(&path);
    session::note_kdf(&path, kdf)?;
    if g.json {
        return output::json(&serde_json::json!({ "passphraseChanged": true }));
    }
    println!("New passphrase set. The recovery key still works; `wisdom recovery-key rotate` replaces it.");
    Ok(())
}

pub fn run(g: &Global, command: RecoveryKeyCommand) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    match command {
        RecoveryKeyCommand::Status => {
            let set = Workspace::has_recovery_key(&path)?;
            if g.json {
                return output::json(&serde_json::json!({ "recoveryKeySet": set }));
            }
            if set {
                println!("A recovery key is set. If it may have been seen, `wisdom recovery-key rotate`.");
            } else {
                println!("No recovery key: a forgotten passphrase would lose the journal. `wisdom recovery-key rotate` makes one.");
            }
            Ok(())
        }
        RecoveryKeyCommand::Rotate => {
            let pass = session::passphrase(g)?;
            let key = Workspace::rotate_recovery_key(&path, &pass)?;
            drop(pass);
            show_new_key(g, &key, "The recovery key before it no longer works.")
        }
    }
}

/// Prints a new recovery key once, with what it is for (stdout, so it can go straight to a printer).
pub fn show_new_key(g: &Global, key: &RecoveryKey, note: &str) -> anyhow::Result<()> {
    let shown = key.display();
    if g.json {
        return output::json(&serde_json::json!({ "recoveryKey": shown.as_str() }));
    }
    show_new_key_text(&shown);
    println!("{note}");
    Ok(())
}

pub fn show_new_key_text(shown: &str) {
    println!();
    println!("Recovery key (shown only now: write it down or print it, and keep it away from this computer):");
    println!();
    println!("    {shown}");
    println!();
    println!("It sets a new passphrase if you forget yours (`wisdom recover`). Anyone with it and the");
    println!("journal's files can read the journal.");
}
