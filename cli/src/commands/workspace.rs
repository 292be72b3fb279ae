use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use wisdom_core::model::{LifeAreaCluster, LifeAreas, SnapshotPeriod};
use wisdom_core::{new_workspace_path, Clock, KdfParams, Workspace};

use crate::output::{self, Table};
use crate::session;
use crate::Global;

#[derive(Args)]
pub struct InitArgs {
    /// The workspace's name, e.g. "My journal".
    #[arg(long)]
    name: String,
    /// Argon2id memory in MiB (at least 19). Default: tuned so an unlock takes about half a second here.
    #[arg(long, value_name = "MIB")]
    kdf_memory_mib: Option<u32>,
    /// Argon2id passes (at least 2).
    #[arg(long, value_name = "N")]
    kdf_iterations: Option<u32>,
}

#[derive(Args)]
pub struct SnapshotArgs {
    /// Area slug or id.
    area: String,
    /// First day (default: 30 days ago).
    #[arg(long)]
    from: Option<String>,
    /// Last day (default: today).
    #[arg(long)]
    to: Option<String>,
    #[arg(long, default_value = "daily", value_parser = super::enum_arg::<SnapshotPeriod>)]
    period: SnapshotPeriod,
}

#[derive(Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from the first line of FILE (else env WISDOM_NEW_PASSPHRASE, else a prompt).
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

pub fn init(g: &Global, a: InitArgs) -> anyhow::Result<()> {
    let path = g.workspace.clone().unwrap_or_else(|| new_workspace_path(&a.name));
    let kdf = match (a.kdf_memory_mib, a.kdf_iterations) {
        (None, None) => KdfParams::calibrate(),
        (m, t) => KdfParams {
            memory_kib: m.map_or(KdfParams::BASELINE.memory_kib, |m| m.saturating_mul(1024)),
            iterations: t.unwrap_or(KdfParams::BASELINE.iterations),
            parallelism: 1,
        },
    };
    kdf.check()?;
    if path.exists() {
        anyhow::bail!(wisdom_core::Error::AlreadyExists(path));
    }
    let pass = session::new_passphrase("WISDOM_PASSPHRASE", g.passphrase_file.as_deref(), "New passphrase")?;
    let mut ws = Workspace::create(&path, &a.name, &pass, kdf, Clock::system())?;
    drop(pass);
    session::remember(&ws, Some(Utc::now()))?;
    let recovery = ws.take_recovery_key().map(|k| k.display());
    if g.json {
        let recovery_key = recovery.as_ref().map(|k| k.as_str());
        output::json(&serde_json::json!({
            "id": ws.id(), "name": ws.name()?, "path": ws.path(), "kdf": kdf, "recoveryKey": recovery_key
        }))?;
    } else {
        println!("Created workspace {:?} at {}", ws.name()?, ws.path().display());
        println!("Key file: {}.key (keep it with the workspace; it is backed up with it)", ws.path().display());
        if let Some(k) = recovery {
            super::recovery::show_new_key_text(&k);
        }
    }
    Ok(())
}

pub fn list(g: &Global) -> anyhow::Result<()> {
    let reg = session::registry()?;
    if g.json {
        return output::json(&serde_json::json!({ "workspaces": reg.entries() }));
    }
    let mut t = Table::new(&[("NAME", 40), ("PATH", 70), ("KDF", 20), ("LAST OPENED", 16)]);
    for e in reg.entries() {
        t.row(vec![
            e.name.clone(),
            e.path.display().to_string(),
            format!("{} MiB x{}", e.kdf.memory_kib / 1024, e.kdf.iterations),
            output::opt_date(&e.last_opened_at),
        ]);
    }
    t.print()
}

pub fn passwd(g: &Global, a: PasswdArgs) -> anyhow::Result<()> {
    let path = session::workspace_path(g)?;
    let old = session::passphrase(g)?;
    let new = session::new_passphrase("WISDOM_NEW_PASSPHRASE", a.new_passphrase_file.as_deref(), "New passphrase")?;
    let kdf = Workspace::change_passphrase(&path, &old, &new, None, Clock::system())?;
    // The data key is the same, but a changed passphrase is a moment to lock: unlock with the new one.
    crate::agent::client::forget(&path);
    session::note_kdf(&path, kdf)?;
    if !g.json {
        println!("Passphrase changed.");
    }
    Ok(())
}

pub fn areas(g: &Global) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let life_areas = ws.life_areas()?;
    if g.json {
        return output::json(&LifeAreas { life_areas });
    }
    let mut t = Table::new(&[("CLUSTER", 24), ("AREA", 24), ("SLUG", 22), ("SCORE", 6), ("STATUS", 12)]);
    for a in life_areas {
        t.row(vec![a.cluster.label().into(), a.name, a.slug, format!("{:.1}", a.current_score), a.status.to_string()]);
    }
    t.print()
}

pub fn area(g: &Global, slug: &str) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let a = ws.life_area(slug)?;
    let why = ws.score_breakdown(slug)?;
    if g.json {
        return output::json(&serde_json::json!({ "lifeArea": a, "breakdown": why }));
    }
    output::fields(&[
        ("area", format!("{} ({})", a.name, a.slug)),
        ("cluster", a.cluster.label().into()),
        ("score", format!("{:.1} {}", a.current_score, a.status)),
        ("momentum", format!("{:+.1}", why.momentum)),
        ("commitments", format!("{:+.1}", why.commitments)),
        ("boundaries", format!("{:+.1}", why.boundaries)),
        ("upsets", format!("{:+.1}", why.upsets)),
        ("breakthroughs", format!("{:+.1}", why.breakthroughs)),
    ])
}

pub fn dashboard(g: &Global) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let d = ws.dashboard()?;
    if g.json {
        return output::json(&d);
    }
    println!("{}: overall {:.1}", ws.name()?, d.overall_score);
    let dist = &d.distribution;
    println!(
        "flourishing {}  thriving {}  balanced {}  struggling {}  crisis {}",
        dist.flourishing, dist.thriving, dist.balanced, dist.struggling, dist.crisis
    );
    let areas = ws.life_areas()?;
    for c in LifeAreaCluster::ALL {
        let line: Vec<String> =
            areas.iter().filter(|a| a.cluster == *c).map(|a| format!("{} {:.0}", a.slug, a.current_score)).collect();
        println!("  {:<24} {}", c.label(), line.join(" · "));
    }
    println!(
        "\nTop areas: {}",
        d.top_areas.iter().map(|a| format!("{} {:.1}", a.slug, a.score)).collect::<Vec<_>>().join(", ")
    );
    if !d.needs_attention.is_empty() {
        println!(
            "Needs attention: {}",
            d.needs_attention
                .iter()
                .map(|a| format!("{} {:.1} {}", a.slug, a.score, a.status))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("Active commitments: {}", d.active_commitments);
    for r in &d.upcoming_reviews {
        let due = if r.overdue { "overdue since" } else { "review" };
        println!("  {due} {}: {}", output::date(&r.next_review_at), r.statement);
    }
    if !d.recent_activity.is_empty() {
        println!("\nRecent activity:");
        let mut t = Table::new(&[("WHEN", 16), ("AREA", 20), ("TYPE", 12), ("CHARGE", 6), ("TITLE", 60)]);
        for e in &d.recent_activity {
            t.row(vec![
                output::date(&e.occurred_at),
                e.life_area.clone(),
                e.kind.to_string(),
                format!("{:+}", e.emotional_charge),
                e.title.clone(),
            ]);
        }
        t.print()?;
    }
    Ok(())
}

pub fn search(g: &Global, query: &str, limit: u32, by_meaning: bool) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let results = if by_meaning {
        // Without a model the search itself says so; reading new entries first needs one.
        if wisdom_core::meaning::language_model().is_ok() {
            super::meaning::backfill(g, &mut ws)?;
        }
        ws.search_by_meaning(query, limit)?
    } else {
        ws.search(query, limit)?
    };
    if g.json {
        return output::json(&serde_json::json!({ "results": results }));
    }
    output::hits(&results)
}

pub fn tags(g: &Global) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let tags = ws.tags()?;
    if g.json {
        let list: Vec<_> = tags.iter().map(|(n, c)| serde_json::json!({"tag": n, "events": c})).collect();
        return output::json(&serde_json::json!({ "tags": list }));
    }
    let mut t = Table::new(&[("TAG", 48), ("EVENTS", 8)]);
    for (n, c) in tags {
        t.row(vec![n, c.to_string()]);
    }
    t.print()
}

pub fn refresh(g: &Global) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    ws.refresh_scores()?;
    ws.run_due_jobs()?;
    if g.json {
        return output::json(&LifeAreas { life_areas: ws.life_areas()? });
    }
    println!("Scores recomputed for {} areas.", ws.life_areas()?.len());
    Ok(())
}

pub fn snapshots(g: &Global, a: SnapshotArgs) -> anyhow::Result<()> {
    let ws = session::open(g)?;
    let tz = ws.timezone()?;
    let day = |field: &str, s: &str| -> anyhow::Result<chrono::NaiveDate> {
        Ok(crate::when::parse(field, s, crate::when::DayPart::Noon)?.with_timezone(&tz).date_naive())
    };
    let today = ws.today()?;
    let to = a.to.as_deref().map(|s| day("to", s)).transpose()?.unwrap_or(today);
    let from = a.from.as_deref().map(|s| day("from", s)).transpose()?.unwrap_or(to - chrono::Duration::days(30));
    let snaps = ws.snapshots(&a.area, a.period, from, to)?;
    if g.json {
        return output::json(&serde_json::json!({ "snapshots": snaps }));
    }
    let mut t = Table::new(&[
        ("DATE", 10),
        ("SCORE", 6),
        ("STATUS", 12),
        ("EVENTS", 6),
        ("UPSETS", 6),
        ("BREAKTHROUGHS", 13),
        ("", 40),
    ]);
    for s in snaps {
        let bar = "#".repeat((s.score / 2.5).round() as usize);
        t.row(vec![
            s.date.to_string(),
            format!("{:.1}", s.score),
            s.status.to_string(),
            s.event_count.to_string(),
            s.upset_count.to_string(),
            s.breakthrough_count.to_string(),
            bar,
        ]);
    }
    t.print()
}

pub fn timezone(g: &Global, name: Option<String>) -> anyhow::Result<()> {
    let mut ws = session::open(g)?;
    let tz = match name {
        Some(n) => ws.set_timezone(&n)?,
        None => ws.timezone()?,
    };
    if g.json {
        return output::json(&serde_json::json!({ "timezone": tz.name() }));
    }
    println!("{}", tz.name());
    Ok(())
}
