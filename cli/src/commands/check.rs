//! `wisdom check`: every integrity check on the workspace file, a report, and an exit code.

use anyhow::bail;
use wisdom_core::{Clock, Workspace};

use crate::output;
use crate::session;
use crate::Global;

pub fn check(g: &Global) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    let (report, _) = session::with_key_or_passphrase(
        g,
        &path,
        |key| Workspace::check_file_with_key(&path, key, Clock::system()),
        |pass| Workspace::check_file(&path, pass, Clock::system()),
    )?;
    if g.json {
        output::json(&report)?;
    } else {
        println!("Checked {}", path.display());
        for c in &report.checks {
            println!("  {:<8} {}", if c.problems.is_empty() { "ok" } else { "PROBLEM" }, c.label);
            for p in &c.problems {
                println!("           {p}");
            }
        }
    }
    if !report.ok() {
        let n = report.problem_count();
        bail!(wisdom_core::Error::damaged(
            &path,
            format!("the journal is damaged ({n} problem{} found)", if n == 1 { "" } else { "s" }),
        ));
    }
    if !g.json {
        println!("The journal is sound.");
    }
    Ok(())
}
