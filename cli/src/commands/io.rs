//! Import and export, with a progress bar when a person is watching.

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wisdom_core::{ImportFormat, ImportOptions, Progress};

use crate::output;
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// jsonl: one POST /events object per line; json: a WisdomOS export; jrnl: `jrnl --export json`.
    #[arg(long, value_parser = ["jsonl", "json", "jrnl"])]
    format: String,
    /// The area for entries that name none (jrnl), by slug. Default: personal-growth.
    #[arg(long)]
    area: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
    Markdown,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Where to write ("-" for stdout).
    #[arg(long, short = 'o')]
    output: PathBuf,
}

pub(crate) fn bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {percent}% ({eta} left)").unwrap().progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

pub fn import(g: &Global, a: ImportArgs) -> anyhow::Result<()> {
    let format: ImportFormat = a.format.parse()?;
    let file = File::open(&a.file).with_context(|| format!("opening {}", a.file.display()))?;
    let size = file.metadata().map(|m| m.len()).ok();
    let mut ws = session::open(g)?;
    let pb = bar(size.unwrap_or(0), "importing");
    let mut on_progress = |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    };
    let opts = ImportOptions { format, default_area: a.area, size_hint: size };
    let report = ws.import(&mut BufReader::new(file), &opts, &mut on_progress)?;
    pb.finish_and_clear();
    // The imported entries are read by the language model now; each batch is committed, so the
    // journal can be used meanwhile and an interrupted run resumes next time.
    super::meaning::backfill(g, &mut ws)?;
    if g.json {
        return output::json(&report);
    }
    println!(
        "Imported {} events, {} insights, {} commitments, {} boundaries, {} autobiography entries{}.",
        report.events,
        report.insights,
        report.commitments,
        report.boundaries,
        report.autobiography_entries,
        if report.already_present > 0 {
            format!(" ({} already present)", report.already_present)
        } else {
            String::new()
        }
    );
    Ok(())
}

pub fn export(g: &Global, a: ExportArgs) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let to_stdout = a.output.as_os_str() == "-";
    // Write beside the target and rename at the end, so a failed export never leaves half a file.
    let tmp = a.output.with_extension("partial");
    let mut out: Box<dyn Write> = if to_stdout {
        Box::new(BufWriter::new(std::io::stdout().lock()))
    } else {
        Box::new(BufWriter::new(File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?))
    };
    let pb = if to_stdout { ProgressBar::hidden() } else { bar(0, "exporting") };
    let mut on_progress = |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    };
    let result = match a.format {
        ExportFormat::Json => ws.export_json(&mut out, &mut on_progress),
        ExportFormat::Markdown => ws.export_markdown(&mut out, &mut on_progress),
    };
    let flushed = out.flush();
    drop(out);
    pb.finish_and_clear();
    if let Err(e) = result.map_err(anyhow::Error::from).and(flushed.map_err(anyhow::Error::from)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if !to_stdout {
        std::fs::rename(&tmp, &a.output).with_context(|| format!("writing {}", a.output.display()))?;
        if !g.json {
            println!("Exported to {}", a.output.display());
        }
    }
    Ok(())
}
