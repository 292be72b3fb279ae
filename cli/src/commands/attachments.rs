//! `wisdom event attach` and `wisdom attachment list|show|rm|extract`: files kept inside the
//! encrypted journal. Only `extract` writes a file in the clear, where the person asks.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use wisdom_core::model::{Attachment, EntryKind};

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Subcommand)]
pub enum AttachmentCommand {
    /// Every attachment with its id (or one entry's, with --event or --bio).
    List {
        /// Only this event's attachments (an id or unique prefix).
        #[arg(long, conflicts_with = "bio")]
        event: Option<String>,
        /// Only this autobiography entry's attachments.
        #[arg(long)]
        bio: Option<String>,
    },
    /// One attachment: its file name, type, size, hash and entry.
    Show { id: String },
    /// Remove an attachment (the entry stays).
    Rm { id: String },
    /// Write an attachment's file out, e.g. `wisdom attachment extract att_01 -o photo.jpg` ("-" for stdout).
    Extract {
        id: String,
        #[arg(long, short = 'o')]
        output: PathBuf,
    },
}

/// `wisdom event attach ID FILE...` and `wisdom bio attach`: all the files, or none.
pub fn attach(g: &Global, kind: EntryKind, entry: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let added = ws.attach_files(kind, entry, files)?;
    if g.json {
        return output::json(&serde_json::json!({ "attachments": added }));
    }
    for a in &added {
        println!("Attached {} as {} ({}, {})", a.file_name, a.id, a.media_type, size(a.size));
    }
    Ok(())
}

pub fn run(g: &Global, c: AttachmentCommand) -> anyhow::Result<()> {
    match c {
        AttachmentCommand::List { event, bio } => {
            let ws = session::open(g)?;
            let entry = match (&event, &bio) {
                (Some(e), _) => Some((EntryKind::Event, e.as_str())),
                (None, Some(b)) => Some((EntryKind::Autobiography, b.as_str())),
                (None, None) => None,
            };
            let list = ws.attachments(entry)?;
            if g.json {
                let usage = ws.attachment_usage()?;
                return output::json(&serde_json::json!({ "attachments": list, "usage": usage }));
            }
            let mut t =
                Table::new(&[("ID", 30), ("ENTRY", 30), ("NAME", 40), ("TYPE", 24), ("SIZE", 10), ("THUMB", 5)]);
            for a in &list {
                t.row(vec![
                    a.id.clone(),
                    a.entry_id.clone(),
                    a.file_name.clone(),
                    a.media_type.clone(),
                    size(a.size),
                    if a.has_thumbnail { "yes" } else { "" }.into(),
                ]);
            }
            t.print()
        }
        AttachmentCommand::Show { id } => {
            let ws = session::open(g)?;
            let a = ws.attachment(&id)?;
            if g.json {
                return output::json(&a);
            }
            show(&a)
        }
        AttachmentCommand::Rm { id } => {
            let mut ws = session::open(g)?;
            let a = ws.delete_attachment(&id)?;
            if g.json {
                return output::json(&a);
            }
            println!("Removed attachment {} ({})", a.id, a.file_name);
            Ok(())
        }
        AttachmentCommand::Extract { id, output: to } => extract(g, &id, to),
    }
}

fn show(a: &Attachment) -> anyhow::Result<()> {
    output::fields(&[
        ("id", a.id.clone()),
        ("entry", format!("{} {}", a.entry_kind.as_str(), a.entry_id)),
        ("name", a.file_name.clone()),
        ("type", a.media_type.clone()),
        ("size", format!("{} ({} bytes)", size(a.size), a.size)),
        ("hash", format!("blake2b-256:{}", a.hash)),
        ("added", output::date(&a.created_at)),
        ("thumbnail", if a.has_thumbnail { "yes" } else { "no" }.into()),
    ])
}

/// Writes beside the target and renames at the end: a failed extract (a damaged file) leaves
/// no half file under the name asked for.
fn extract(g: &Global, id: &str, to: PathBuf) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    if to.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        ws.attachment_content(id, &mut out)?;
        return Ok(out.flush()?);
    }
    let mut tmp_name = to.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".partial");
    let tmp = to.with_file_name(tmp_name);
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?);
    let written = ws.attachment_content(id, &mut out).map_err(anyhow::Error::from);
    let flushed = out.flush().map_err(anyhow::Error::from);
    drop(out);
    let a = match written.and_then(|a| flushed.map(|_| a)) {
        Ok(a) => a,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    std::fs::rename(&tmp, &to).with_context(|| format!("writing {}", to.display()))?;
    if g.json {
        return output::json(&a);
    }
    println!("Wrote {} ({}) to {}", a.file_name, size(a.size), to.display());
    Ok(())
}

pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
