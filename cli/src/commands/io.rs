//! Import and export, with a progress bar when a person is watching.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wisdom_core::{ImportFormat, ImportOptions, ImportPreview, ImportRules, Progress, Suggest};

use crate::output;
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct ImportArgs {
    /// The export to read (for markdown, a folder of notes or one note).
    file: PathBuf,
    /// jsonl: one POST /events object per line; json: a WisdomOS export (its .json, or its zip with
    /// the attachments); jrnl: `jrnl --export json`;
    /// dayone: Day One's JSON export zip (or one journal's .json); daylio: Daylio's CSV export;
    /// markdown: a folder of daily notes (Obsidian, Logseq) or one note.
    #[arg(long, value_parser = ["jsonl", "json", "jrnl", "dayone", "daylio", "markdown"])]
    format: String,
    /// Show what the import would do (entries, dates, what maps where, what is left out and why)
    /// and write nothing. For dayone, daylio and markdown.
    #[arg(long)]
    dry_run: bool,
    /// The area for entries nothing else files, by slug. Default: personal-growth.
    #[arg(long)]
    area: Option<String>,
    /// Your filing rules: a file of `LABEL = AREA` lines, LABEL as --dry-run shows it
    /// (`journal:Work = work`, `tag:gym = physical-health`) or a bare name (`running = physical-health`).
    #[arg(long, value_name = "FILE")]
    area_map: Option<PathBuf>,
    /// A charge (-5 to 5) for a Daylio mood, e.g. `--mood zonked=-3`; repeat for more.
    #[arg(long = "mood", value_name = "NAME=CHARGE")]
    moods: Vec<String>,
    /// When to ask the language model where entries belong: auto (up to 1,000 entries), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    suggest: SuggestArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SuggestArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
    Markdown,
    /// A zip with our JSON, every attachment and a Markdown journal that links to them.
    Zip,
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

fn import_options(a: &ImportArgs) -> anyhow::Result<ImportOptions> {
    let format: ImportFormat = a.format.parse()?;
    let area_map = match &a.area_map {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            wisdom_core::parse_area_map(&text)?
        }
        None => Vec::new(),
    };
    let moods =
        a.moods
            .iter()
            .map(|m| {
                let (name, charge) =
                    m.rsplit_once('=').ok_or_else(|| session::usage(format!("--mood {m}: write NAME=CHARGE")))?;
                let charge =
                    charge.trim().trim_start_matches('+').parse().map_err(|_| {
                        session::usage(format!("--mood {m}: the charge is a whole number from -5 to 5"))
                    })?;
                Ok((name.trim().to_string(), charge))
            })
            .collect::<anyhow::Result<Vec<(String, i64)>>>()?;
    let suggest = match a.suggest {
        SuggestArg::Auto => Suggest::Auto,
        SuggestArg::Always => Suggest::Always,
        SuggestArg::Never => Suggest::Never,
    };
    let rules = ImportRules { default_area: a.area.clone(), area_map, moods };
    Ok(ImportOptions { rules, suggest, ..ImportOptions::new(format) })
}

pub fn import(g: &Global, a: ImportArgs) -> anyhow::Result<()> {
    let opts = import_options(&a)?;
    if a.dry_run && !opts.format.keeps_source_ids() {
        anyhow::bail!(session::usage("--dry-run previews dayone, daylio and markdown imports"));
    }
    let mut ws = session::open(g)?;
    let pb = bar(0, if a.dry_run { "reading" } else { "importing" });
    let mut on_progress = |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    };
    if a.dry_run {
        let preview = ws.preview_import(&a.file, &opts, &mut on_progress);
        pb.finish_and_clear();
        let preview = preview?;
        if g.json {
            return output::json(&preview);
        }
        return print_preview(&a.file, &preview);
    }
    let report = ws.import_path(&a.file, &opts, &mut on_progress);
    pb.finish_and_clear();
    let report = report?;
    thumbnails(&mut ws)?;
    // The imported entries are read by the language model now; each batch is committed, so the
    // journal can be used meanwhile and an interrupted run resumes next time.
    super::meaning::backfill(g, &mut ws)?;
    if g.json {
        return output::json(&report);
    }
    let mut parts = vec![plural(report.events, "event")];
    for (n, what) in [
        (report.insights, "insight"),
        (report.commitments, "commitment"),
        (report.boundaries, "boundary"),
        (report.autobiography_entries, "autobiography entry"),
        (report.templates, "template"),
        (report.prompts, "prompt"),
    ] {
        if n > 0 {
            parts.push(plural(n, what));
        }
    }
    let mut line = format!("Imported {}", parts.join(", "));
    if report.already_present > 0 {
        line += &format!(" ({} already present)", report.already_present);
    }
    println!("{line}.");
    if report.settings {
        println!("The daily practice's settings came with it (`wisdom settings` shows them).");
    }
    if report.attachments > 0 {
        println!(
            "Attached {}.",
            plural(report.attachments, "photo or file").replace("photo or files", "photos or files")
        );
    }
    if report.media_pending > 0 {
        println!(
            "{} the entries refer to {} not attached (each entry keeps its references):",
            plural(report.media_pending, "photo or file").replace("photo or files", "photos or files"),
            if report.media_pending == 1 { "is" } else { "are" }
        );
    }
    print_skips(&report.skipped);
    Ok(())
}

/// Makes the thumbnails an import left for later, with a progress bar; each batch is committed,
/// so an interrupted run resumes at the next import or `wisdom attachment list`.
fn thumbnails(ws: &mut wisdom_core::Workspace) -> anyhow::Result<()> {
    let pb = bar(0, "making thumbnails");
    let left = ws.make_thumbnails(usize::MAX, &mut |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    });
    pb.finish_and_clear();
    left?;
    Ok(())
}

fn print_skips(skipped: &[wisdom_core::model::ImportSkip]) {
    for s in skipped {
        let examples = if s.examples.is_empty() {
            String::new()
        } else {
            let more = if s.count as usize > s.examples.len() { ", …" } else { "" };
            format!(" ({}{more})", s.examples.join(", "))
        };
        println!("  {}: {}{examples}", plural(s.count, &s.what), s.reason);
    }
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else if one.ends_with('y') && !one.ends_with("ey") {
        format!("{n} {}ies", &one[..one.len() - 1])
    } else {
        format!("{n} {one}s")
    }
}

fn print_preview(file: &std::path::Path, p: &ImportPreview) -> anyhow::Result<()> {
    let parts: Vec<String> = p.parts.iter().map(|x| format!("{} ({})", x.name, x.entries)).collect();
    println!("{} {} (dry run: nothing was written)", p.format.label(), file.display());
    print!("  {} found", plural(p.found, "entry"));
    if p.parts.len() > 1 && p.parts.len() <= 12 {
        print!(" in {}", parts.join(", "));
    } else if p.parts.len() > 12 {
        print!(" in {} files", p.parts.len());
    }
    println!();
    let range = match (&p.first, &p.last) {
        (Some(a), Some(b)) => format!(", {} to {}", output::date(a), output::date(b)),
        _ => String::new(),
    };
    println!("  {} to add{range}", plural(p.new, "new entry"));
    if p.already_present > 0 {
        let changed = if p.changed_since > 0 {
            format!(" ({} changed in the export since: not updated)", p.changed_since)
        } else {
            String::new()
        };
        println!("  {} already imported, left as they are{changed}", p.already_present);
    }
    if !p.mappings.is_empty() {
        println!("\nWhere they go:");
        let mut t = output::Table::new(&[("SETS", 6), ("FROM", 32), ("TO", 24), ("ENTRIES", 7), ("WHY", 160)]);
        for m in &p.mappings {
            let target = serde_json::to_value(m.target)?.as_str().unwrap_or_default().to_string();
            t.row(vec![target, m.from.clone(), m.to.clone(), m.entries.to_string(), m.why.clone()]);
        }
        t.print()?;
    }
    if !p.skipped.is_empty() {
        println!("\nLeft out:");
        print_skips(&p.skipped);
    }
    if !p.sample.is_empty() {
        println!("\nFirst entries:");
        let mut t =
            output::Table::new(&[("WHEN", 16), ("TITLE", 40), ("AREA", 22), ("TYPE", 12), ("CHARGE", 6), ("TAGS", 40)]);
        for e in &p.sample {
            let area = e.life_area_id.strip_prefix("area_").unwrap_or(&e.life_area_id).to_string();
            let tags = e.tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ");
            t.row(vec![
                output::date(&e.occurred_at),
                e.title.clone(),
                area,
                e.kind.to_string(),
                format!("{:+}", e.emotional_charge),
                tags,
            ]);
        }
        t.print()?;
    }
    if p.new > 0 {
        println!("\nRun the same command without --dry-run to import.");
    }
    Ok(())
}

pub fn export(g: &Global, a: ExportArgs) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    if let ExportFormat::Zip = a.format {
        return export_zip(g, &ws, &a.output);
    }
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
        ExportFormat::Zip => unreachable!("written by export_zip"),
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

/// A zip needs to seek: written to a file beside the target, renamed when whole.
fn export_zip(g: &Global, ws: &wisdom_core::Workspace, to: &std::path::Path) -> anyhow::Result<()> {
    if to.as_os_str() == "-" {
        anyhow::bail!(session::usage("a zip export is written to a file: give -o FILE.zip"));
    }
    let tmp = to.with_extension("partial");
    let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let pb = bar(0, "exporting");
    let result = ws.export_zip(BufWriter::new(file), &mut |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    });
    pb.finish_and_clear();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    std::fs::rename(&tmp, to).with_context(|| format!("writing {}", to.display()))?;
    if !g.json {
        println!("Exported to {}", to.display());
    }
    Ok(())
}
