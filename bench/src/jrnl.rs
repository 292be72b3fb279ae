//! jrnl, the tool many people journal with today, driven as a person would: one process per
//! command, on an encrypted journal (its password kept in a file-backed keyring so no prompt
//! appears). Every timing is a whole process: start, decrypt the whole journal, answer, exit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use wisdom_core::model::NewEvent;

use crate::measure::Stat;

pub struct Jrnl {
    bin: PathBuf,
    python: PathBuf,
    dir: PathBuf,
    config: PathBuf,
}

impl Jrnl {
    /// A fresh encrypted journal in `dir`, using the jrnl of the venv at `venv`.
    pub fn new(venv: &Path, dir: &Path) -> anyhow::Result<Self> {
        let bin = venv.join("bin/jrnl");
        let python = venv.join("bin/python");
        if !bin.exists() {
            bail!("no jrnl at {}", bin.display());
        }
        std::fs::create_dir_all(dir.join("data"))?;
        let config = dir.join("jrnl.yaml");
        let journal = dir.join("journal.txt");
        std::fs::write(
            &config,
            format!(
                "colors: {{body: none, date: none, tags: none, title: none}}\ndefault_hour: 9\ndefault_minute: 0\n\
                 editor: ''\nencrypt: true\nhighlight: false\nindent_character: '|'\njournals:\n  default:\n    \
                 journal: {}\n    encrypt: true\nlinewrap: 79\ntagsymbols: '#@'\ntemplate: false\n\
                 timeformat: '%Y-%m-%d %H:%M'\nversion: v4.6\ndisplay_format: text\n",
                journal.display()
            ),
        )?;
        let j = Jrnl { bin, python, dir: dir.to_path_buf(), config };
        let status = j
            .env(&mut Command::new(&j.python))
            .args(["-c", "import keyring; keyring.set_password('jrnl', 'default', 'benchmark passphrase')"])
            .status()?;
        if !status.success() {
            bail!("could not store the jrnl password in the keyring (is keyrings.alt installed?)");
        }
        Ok(j)
    }

    fn env<'a>(&self, c: &'a mut Command) -> &'a mut Command {
        c.env("XDG_DATA_HOME", self.dir.join("data"))
            .env("XDG_CONFIG_HOME", &self.dir)
            .env("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
    }

    /// Runs one jrnl command and times the whole process.
    pub fn run(&self, args: &[&str]) -> anyhow::Result<std::time::Duration> {
        let start = Instant::now();
        let out = self.env(&mut Command::new(&self.bin)).arg("--config-file").arg(&self.config).args(args).output()?;
        let took = start.elapsed();
        if !out.status.success() {
            bail!("jrnl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(took)
    }

    pub fn times(&self, reps: usize, args: &[&str]) -> anyhow::Result<Stat> {
        let mut samples = Vec::with_capacity(reps);
        for _ in 0..reps {
            samples.push(self.run(args)?);
        }
        Ok(Stat::of(samples))
    }

    /// The same entries in jrnl's text format, imported in one command.
    pub fn import(&self, events: &[NewEvent]) -> anyhow::Result<Stat> {
        let mut text = String::with_capacity(events.len() * 400);
        for e in events {
            entry(&mut text, e);
        }
        let file = self.dir.join("entries.txt");
        std::fs::write(&file, text).context("writing the jrnl import file")?;
        Ok(Stat::of(vec![self.run(&["--import", "--file", file.to_str().unwrap_or_default()])?]))
    }
}

/// `[2026-01-01 09:00] Title. Body @tag`
pub fn entry(out: &mut String, e: &NewEvent) {
    let at: DateTime<Utc> = e.occurred_at.unwrap_or_else(Utc::now);
    let tags: Vec<String> = e.tags.iter().map(|t| format!("@{}", t.replace('-', "_"))).collect();
    let _ = write!(out, "[{}] {}. {}", at.format("%Y-%m-%d %H:%M"), e.title, e.description);
    if let Some(n) = &e.narrative {
        let _ = write!(out, "\n{n}");
    }
    let _ = writeln!(out, " {}\n", tags.join(" "));
}
