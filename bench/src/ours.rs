//! Our own store's runs: the encrypted workspace through `Workspace` (and the CLI's unlock agent),
//! and the same workspace unencrypted (what SQLCipher costs).

use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{Duration, Utc};
use wisdom_core::model::{EventFilter, EventTone, EventType, NewEvent};
use wisdom_core::{Clock, ImportFormat, ImportOptions, KeyFile, Passphrase, Workspace};

use crate::measure::{once, repeat};
use crate::report::{Sample, System};
use crate::{jsonl, push, search_mix, timed, Plan, PASS, TAG, WORD};

pub(crate) fn new_event(i: usize) -> NewEvent {
    NewEvent {
        life_area_id: None,
        life_area: Some(["work", "family", "nature", "finance"][i % 4].into()),
        kind: EventType::ALL[i % EventType::ALL.len()],
        category: wisdom_core::model::EventCategory::Personal,
        tone: EventTone::Neutral,
        title: format!("Benchmark entry {i}"),
        description: "A short note written during the benchmark, about the garden and the day".into(),
        narrative: None,
        occurred_at: None,
        emotional_charge: (i % 11) as i64 - 5,
        tags: vec![TAG.into(), "bench".into()],
    }
}

/// The operations every store answers, on an unlocked workspace.
fn workspace_ops(
    samples: &mut Vec<Sample>,
    n: usize,
    ws: &mut Workspace,
    system: System,
    plan: &Plan,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut i = 0;
    timed(samples, plan, "insert one event", system, n, || {
        repeat(plan.reps * 20, |_| {
            i += 1;
            ws.create_event(&new_event(i))?;
            Ok(())
        })
    })?;
    timed(samples, plan, "tag filter (50 newest)", system, n, || {
        repeat(plan.reps, |_| {
            ws.list_events(&EventFilter { tag: Some(TAG.into()), limit: Some(50), ..Default::default() })?;
            Ok(())
        })
    })?;
    timed(samples, plan, "text search (top 20)", system, n, || {
        repeat(plan.reps, |_| {
            ws.search(WORD, 20)?;
            Ok(())
        })
    })?;
    search_mix(samples, n, system, plan, |q| Ok(ws.search(q, 20).map(drop)?))?;
    timed(samples, plan, "date range (30 days)", system, n, || {
        repeat(plan.reps, |_| {
            ws.list_events(&EventFilter { from: Some(now - Duration::days(30)), to: Some(now), ..Default::default() })?;
            Ok(())
        })
    })?;
    // The timeline's paging (issue 13): the first page against one 25,000 entries deep.
    for (op, offset) in [("timeline page 1 (50 a page)", 0), ("timeline page 501 (offset 25,000)", 25_000)] {
        let page = EventFilter { limit: Some(50), offset: Some(offset), ..Default::default() };
        timed(samples, plan, op, system, n, || repeat(plan.reps, |_| Ok(ws.list_events(&page).map(drop)?)))?;
    }
    let mark = ws.list_events(&EventFilter { limit: Some(1), offset: Some(24_999), ..Default::default() })?;
    if let Some(mark) = mark.first() {
        let page = EventFilter { limit: Some(50), after: Some(mark.id.clone()), ..Default::default() };
        timed(samples, plan, "timeline page 501 (after the 25,000th)", system, n, || {
            repeat(plan.reps, |_| Ok(ws.list_events(&page).map(drop)?))
        })?;
    }
    timed(samples, plan, "dashboard", system, n, || {
        repeat(plan.reps, |_| {
            ws.dashboard()?;
            Ok(())
        })
    })?;
    Ok(())
}

pub(crate) fn ours(
    samples: &mut Vec<Sample>,
    n: usize,
    events: &[NewEvent],
    dir: &Path,
    plan: &Plan,
    wisdom: Option<&Path>,
) -> anyhow::Result<()> {
    let path = dir.join("ours.wisdom");
    let pass = Passphrase::new(PASS);
    let mut ws = Workspace::create(&path, "Bench", &pass, plan.kdf, Clock::system())?;
    let text = jsonl(events)?;
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    let (_, stat) = once(|| Ok(ws.import(&mut Cursor::new(text.as_bytes()), &opts, &mut |_| {})?))?;
    push(samples, "bulk import", System::Ours, n, stat);
    drop(ws);

    // Unlock: the KDF alone, then a whole open (KDF, database, score refresh for time passing).
    let key_file = KeyFile::read(&KeyFile::path_for(&path))?;
    timed(samples, plan, "unlock: KDF", System::Ours, n, || {
        repeat(5, |_| {
            key_file.open(&pass, &path)?;
            Ok(())
        })
    })?;
    timed(samples, plan, "unlock: whole open (KDF included)", System::Ours, n, || {
        repeat(5, |_| {
            Workspace::open(&path, &pass, Clock::system())?;
            Ok(())
        })
    })?;

    let mut ws = Workspace::open(&path, &pass, Clock::system())?;
    workspace_ops(samples, n, &mut ws, System::Ours, plan)?;
    timed(samples, plan, "pattern detection (90 days)", System::Ours, n, || {
        repeat(3, |_| {
            ws.detect_patterns()?;
            Ok(())
        })
    })?;
    let now = Utc::now();
    let first = now - Duration::days(((n as f64 / 5_000.0) * 90.0).max(90.0) as i64 + 1);
    timed(samples, plan, "pattern detection (all)", System::Ours, n, || {
        repeat(2, |_| {
            ws.detect_patterns_between(first, now)?;
            Ok(())
        })
    })?;
    timed(samples, plan, "export JSON", System::Ours, n, || {
        repeat(2, |_| {
            ws.export_json(&mut std::io::sink(), &mut |_| {})?;
            Ok(())
        })
    })?;
    let today = ws.today()?;
    let mut k = 0;
    timed(samples, plan, "snapshot back-fill (1 year, 30 areas)", System::Ours, n, || {
        repeat(2, |_| {
            let end = today - Duration::days(1 + 366 * k);
            k += 1;
            ws.backfill_snapshots(end - Duration::days(364), end)?;
            Ok(())
        })
    })?;
    // The daily practice (issue 15), after the back-fill so that the year has its scores.
    timed(samples, plan, "today overview", System::Ours, n, || {
        repeat(plan.reps, |_| Ok(ws.today_overview().map(drop)?))
    })?;
    let year = chrono::Datelike::year(&today);
    timed(samples, plan, "year in pixels", System::Ours, n, || {
        repeat(plan.reps, |_| Ok(ws.calendar(year).map(drop)?))
    })?;
    drop(ws);

    if let Some(bin) = wisdom.filter(|_| plan.wants("whole")) {
        let stat = repeat(plan.process_reps, |_| {
            let out = Command::new(bin)
                .args(["--workspace", path.to_str().unwrap_or_default(), "event", "list", "--limit", "1", "--json"])
                .env("WISDOM_PASSPHRASE", PASS)
                .env("WISDOM_HOME", dir.join("home"))
                .stdin(Stdio::null())
                .output()?;
            anyhow::ensure!(out.status.success(), "wisdom failed: {}", String::from_utf8_lossy(&out.stderr));
            Ok(())
        })?;
        push(samples, "one command, whole process", System::OursCli, n, stat);
        agent_commands(samples, n, bin, &path, dir, plan)?;
    }
    Ok(())
}

/// Whole `wisdom` commands after `wisdom unlock` (issue 13): the agent holds the key, so no
/// command pays the KDF. The agent runs in this run's own runtime folder and is locked after.
fn agent_commands(
    samples: &mut Vec<Sample>,
    n: usize,
    bin: &Path,
    path: &Path,
    dir: &Path,
    plan: &Plan,
) -> anyhow::Result<()> {
    let run = dir.join("run");
    std::fs::create_dir_all(&run)?;
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    // The passphrase is given to `unlock` only: a timed command that fell back to it fails.
    let wisdom = |args: &[&str], passphrase: Option<&str>| -> anyhow::Result<()> {
        let mut c = Command::new(bin);
        c.arg("--workspace").arg(path).args(args).env("WISDOM_HOME", dir.join("home")).env("XDG_RUNTIME_DIR", &run);
        match passphrase {
            Some(p) => c.env("WISDOM_PASSPHRASE", p).env_remove("WISDOM_NO_AGENT"),
            None => c.env_remove("WISDOM_PASSPHRASE"),
        };
        let out = c.stdin(Stdio::null()).output()?;
        anyhow::ensure!(out.status.success(), "wisdom {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    };
    wisdom(&["unlock"], Some(PASS))?;
    let timed = |args: &[&str]| repeat(plan.process_reps, |_| wisdom(args, None));
    let tag = timed(&["event", "list", "--tag", TAG, "--limit", "50", "--json"]);
    let search = timed(&["search", WORD, "--limit", "20", "--json"]);
    wisdom(&["lock"], None)?;
    push(samples, "tag filter, whole command (agent)", System::OursCli, n, tag?);
    push(samples, "text search, whole command (agent)", System::OursCli, n, search?);
    Ok(())
}

pub(crate) fn ours_plaintext(
    samples: &mut Vec<Sample>,
    n: usize,
    events: &[NewEvent],
    dir: &Path,
    plan: &Plan,
) -> anyhow::Result<()> {
    let mut ws = Workspace::create_plaintext_for_benchmark(&dir.join("plaintext.db"), Clock::system())?;
    let text = jsonl(events)?;
    let opts = ImportOptions::new(ImportFormat::JsonLines);
    let (_, stat) = once(|| Ok(ws.import(&mut Cursor::new(text.as_bytes()), &opts, &mut |_| {})?))?;
    push(samples, "bulk import", System::OursPlaintext, n, stat);
    workspace_ops(samples, n, &mut ws, System::OursPlaintext, plan)
}
