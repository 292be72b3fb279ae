//! `wisdom generate DIR` (hidden): the shell completions for bash, zsh and fish and the man pages,
//! made from this binary's own clap definition so they cannot drift from it. `scripts/package` runs
//! it at package time and installs what it writes; nothing it makes is committed. It is added to the
//! parser in `main` rather than declared in `Cli`, so the completions and pages never offer it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{CommandFactory, Parser};
use clap_complete::Shell;

use crate::Cli;

/// Write the shell completions and man pages of `wisdom` (for packagers).
#[derive(Parser)]
#[command(name = "generate", hide = true)]
pub struct GenerateArgs {
    /// The folder to write into: `completions/` (wisdom.bash, _wisdom, wisdom.fish) and `man/`
    /// (wisdom.1 and a page per subcommand, e.g. wisdom-event-add.1).
    out: PathBuf,
}

pub fn run(a: GenerateArgs) -> anyhow::Result<()> {
    let completions = folder(&a.out.join("completions"))?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut Cli::command(), "wisdom", &completions)
            .with_context(|| format!("writing the {shell} completions into {}", completions.display()))?;
    }
    let man = folder(&a.out.join("man"))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    man_pages(cmd, &man).with_context(|| format!("writing the man pages into {}", man.display()))
}

/// wisdom.1, then wisdom-event.1, wisdom-event-add.1 and so on, each footed "WisdomOS 0.1.0".
fn man_pages(cmd: clap::Command, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub.clone(), dir)?;
    }
    let source = format!("WisdomOS {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(cmd).source(source).manual("WisdomOS Manual").generate_to(dir)?;
    Ok(())
}

fn folder(path: &Path) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(path.to_path_buf())
}
