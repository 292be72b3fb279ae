//! `wisdom`: the WisdomOS journal from a terminal. A thin front end over `wisdom_core::Workspace`;
//! its flags, JSON output and exit codes are a contract scripts rely on (see README).
// `unsafe` is allowed in exactly one module, `agent::os` (the unlock agent's system calls).
#![deny(unsafe_code)]

mod agent;
mod commands;
mod generate;
mod output;
mod session;
mod when;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser};
use wisdom_core::ErrorKind;

#[derive(Parser)]
#[command(name = "wisdom", version, about = "WisdomOS: a private, encrypted journal for personal growth")]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: commands::Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// The workspace file (default: the only workspace on this device).
    #[arg(long, global = true, env = "WISDOM_WORKSPACE", value_name = "PATH")]
    pub workspace: Option<PathBuf>,
    /// Read the passphrase from the first line of FILE (else env WISDOM_PASSPHRASE, else a prompt).
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print JSON (the seed's camelCase shapes) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

fn main() -> ExitCode {
    let matches = Cli::command().subcommand(generate::GenerateArgs::command()).get_matches();
    if let Some(("generate", m)) = matches.subcommand() {
        let args = generate::GenerateArgs::from_arg_matches(m).unwrap_or_else(|e| e.exit());
        return report(generate::run(args));
    }
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(match std::env::var("WISDOM_LOG").as_deref() {
            Ok("debug") => tracing::Level::DEBUG,
            Ok("info") => tracing::Level::INFO,
            _ => tracing::Level::WARN,
        })
        .with_target(false)
        .init();
    report(commands::run(&cli.global, cli.command))
}

/// The exit code and the one `error:` line of the contract (README) for a command's result.
fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let core = e.downcast_ref::<wisdom_core::Error>();
            let msg = match core {
                Some(c) => c.to_string(),
                None => format!("{e:#}"),
            };
            eprintln!("error: {}", msg.replace('\n', " "));
            ExitCode::from(match core.map(wisdom_core::Error::kind) {
                Some(ErrorKind::Busy) => 4,
                Some(ErrorKind::WrongPassphrase) => 3,
                Some(ErrorKind::BadInput | ErrorKind::NotFound) => 2,
                _ => 1,
            })
        }
    }
}

/// `wisdom event list | head` closes our stdout early; that is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
