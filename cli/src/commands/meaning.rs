//! The language model's side of the journal: computing the vectors entries lack (with a progress
//! bar), and saying once, plainly, when this device has no model.

use wisdom_core::{meaning, Progress, Workspace};

use super::io::bar;
use crate::{output, Global};

/// Computes the vectors the journal lacks, with a progress bar when someone watches. Without the
/// model, says so once per journal and carries on (keyword patterns and search still work).
pub fn backfill(g: &Global, ws: &mut Workspace) -> anyhow::Result<()> {
    let model = match meaning::language_model() {
        Ok(m) => m,
        Err(e) => {
            if ws.first_notice("language_model_missing")? && !g.json {
                eprintln!("note: {e}; insights use keyword matching and search by meaning is off");
            }
            return Ok(());
        }
    };
    let status = ws.meaning_status()?;
    if status.is_complete() {
        return Ok(());
    }
    let pb = bar(status.total - status.embedded, "reading entries");
    let mut on_progress = |p: Progress| {
        pb.set_length(p.total.max(1));
        pb.set_position(p.done);
    };
    let read = ws.embed_backlog(&model, &mut on_progress)?;
    pb.finish_and_clear();
    if read > 0 {
        if let Some(r) = ws.detect_patterns_after_reading()? {
            if !g.json && r.created + r.retired > 0 {
                eprintln!("note: patterns looked for again: {} new, {} no longer found", r.created, r.retired);
            }
            // The new insights are entries to read too (a handful: no bar).
            ws.embed_backlog(&model, &mut |_| {})?;
        }
    }
    Ok(())
}

/// `wisdom embed`: reads every entry that has not been read yet, then shows how far it got.
pub fn embed(g: &Global) -> anyhow::Result<()> {
    let mut ws = crate::session::open(g)?;
    backfill(g, &mut ws)?;
    let status = ws.meaning_status()?;
    if g.json {
        return output::json(&status);
    }
    if status.model_available {
        println!("{} of {} entries read by the language model.", status.embedded, status.total);
    } else {
        println!("No language model on this device: {} of {} entries read earlier.", status.embedded, status.total);
    }
    Ok(())
}
