//! The JSON imports: our own export, jrnl's JSON export, and a JSON-lines stream of events in the
//! seed's POST /events shape (with `lifeArea` given by slug). Records keep the ids they carry.

use std::collections::BTreeSet;
use std::io::BufRead;

use chrono::{Local, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;

use super::{at, json_message, ImportFormat, ImportOptions, ImportReport, MAX_LINE_BYTES};
use crate::areas::resolve_area;
use crate::error::{Error, Result};
use crate::events::{build_event, build_event_as, insert_event, EventBatch};
use crate::export::{ExportDocument, Progress, ProgressFn, EXPORT_FORMAT};
use crate::ids::{prefix, IdSequence};
use wisdom_model::{validate as v, EventCategory, EventTone, EventType, Invalid, Limits, NewEvent};

pub(super) fn import(
    tx: &Connection,
    input: &mut dyn BufRead,
    opts: &ImportOptions,
    now: chrono::DateTime<Utc>,
    touched: &mut BTreeSet<String>,
    progress: ProgressFn<'_>,
) -> Result<ImportReport> {
    match opts.format {
        ImportFormat::JsonLines => import_jsonl(tx, input, opts, now, touched, progress),
        ImportFormat::Json => import_ours(tx, input, now, touched, progress),
        ImportFormat::Jrnl => import_jrnl(tx, input, opts, now, touched, progress),
        other => unreachable!("{other} is not a JSON format"),
    }
}

fn import_jsonl(
    tx: &Connection,
    input: &mut dyn BufRead,
    opts: &ImportOptions,
    now: chrono::DateTime<Utc>,
    touched: &mut BTreeSet<String>,
    progress: ProgressFn<'_>,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let total = opts.size_hint.unwrap_or(0);
    let mut read = 0u64;
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut batch = EventBatch::new();
    let mut ids = IdSequence::new(prefix::EVENT, now);
    loop {
        buf.clear();
        let n = std::io::Read::take(&mut *input, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(Error::io("import"))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        read += n as u64;
        let location = format!("line {line_no}");
        if buf.len() > MAX_LINE_BYTES {
            return Err(Error::Import { location, message: format!("line longer than {MAX_LINE_BYTES} bytes") });
        }
        let text = std::str::from_utf8(&buf)
            .map_err(|_| Error::Import { location: location.clone(), message: "not valid UTF-8".into() })?;
        if text.trim().is_empty() {
            continue;
        }
        let new: NewEvent = serde_json::from_str(text)
            .map_err(|e| Error::Import { location: location.clone(), message: json_message(&e) })?;
        let event = build_event_as(tx, &new, now, ids.next_id()).map_err(at(location.clone()))?;
        touched.insert(event.life_area_id.clone());
        batch.push(tx, event, location)?;
        report.events += 1;
        if report.events % 500 == 0 {
            progress(Progress { done: read, total: total.max(read) });
        }
    }
    batch.flush(tx)?;
    progress(Progress { done: read, total: read });
    Ok(report)
}

fn exists(tx: &Connection, sql: &str, id: &str) -> Result<bool> {
    Ok(tx.prepare_cached(sql)?.query_row([id], |_| Ok(())).optional()?.is_some())
}

fn import_ours(
    tx: &Connection,
    input: &mut dyn BufRead,
    now: chrono::DateTime<Utc>,
    touched: &mut BTreeSet<String>,
    progress: ProgressFn<'_>,
) -> Result<ImportReport> {
    let doc: ExportDocument = serde_json::from_reader(input)
        .map_err(|e| Error::Import { location: format!("line {}", e.line()), message: json_message(&e) })?;
    if doc.format != EXPORT_FORMAT {
        return Err(Error::Import {
            location: "format".into(),
            message: format!("not a WisdomOS export: {:?}", doc.format),
        });
    }
    if doc.version > crate::export::EXPORT_VERSION {
        return Err(Error::Import {
            location: "version".into(),
            message: format!("export version {} is newer than this app understands", doc.version),
        });
    }
    let total = (doc.events.len() + doc.insights.len() + doc.commitments.len() + doc.boundaries.len()) as u64;
    let mut done = 0u64;
    let mut r = ImportReport::default();
    let mut tick = |done: &mut u64| {
        *done += 1;
        if (*done).is_multiple_of(1000) {
            progress(Progress { done: *done, total });
        }
    };

    for (i, a) in doc.life_areas.iter().enumerate() {
        let loc = format!("lifeAreas[{i}]");
        if exists(tx, "SELECT 1 FROM life_areas WHERE id = ?1", &a.id)? {
            continue;
        }
        v::title("name", &a.name, Limits::NAME).map_err(|e| at(loc.clone())(e.into()))?;
        tx.execute(
            "INSERT INTO life_areas (id, slug, name, description, cluster, sort_order, is_active, current_score,
                 status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 50.0, 'BALANCED', ?8, ?9)",
            rusqlite::params![
                a.id,
                a.slug,
                a.name,
                a.description,
                a.cluster.as_str(),
                a.sort_order,
                a.is_active,
                crate::time::to_db(a.created_at),
                crate::time::to_db(a.updated_at)
            ],
        )
        .map_err(|e| at(loc)(e.into()))?;
    }
    for (i, e) in doc.events.iter().enumerate() {
        let loc = format!("events[{i}]");
        tick(&mut done);
        if exists(tx, "SELECT 1 FROM events WHERE id = ?1", &e.id)? {
            r.already_present += 1;
            continue;
        }
        let check = || -> Result<(), Invalid> {
            v::title("title", &e.title, Limits::TITLE)?;
            v::max_len("description", &e.description, Limits::DESCRIPTION)?;
            v::optional_text("narrative", e.narrative.as_deref(), Limits::NARRATIVE)?;
            v::emotional_charge(e.emotional_charge)?;
            v::moment("occurredAt", e.occurred_at, now)?;
            Ok(())
        };
        check().map_err(|x| at(loc.clone())(x.into()))?;
        let mut e = e.clone();
        e.tags = v::normalise_tags(&e.tags).map_err(|x| at(loc.clone())(x.into()))?;
        e.life_area_id = resolve_area(tx, &e.life_area_id).map_err(at(loc.clone()))?;
        insert_event(tx, &e).map_err(at(loc))?;
        touched.insert(e.life_area_id.clone());
        r.events += 1;
    }
    for (i, ins) in doc.insights.iter().enumerate() {
        let loc = format!("insights[{i}]");
        tick(&mut done);
        if exists(tx, "SELECT 1 FROM insights WHERE id = ?1", &ins.id)? {
            r.already_present += 1;
            continue;
        }
        v::title("title", &ins.title, Limits::TITLE).map_err(|x| at(loc.clone())(x.into()))?;
        crate::insights::insert_insight(tx, ins, None).map_err(at(loc))?;
        r.insights += 1;
    }
    for (i, c) in doc.commitments.iter().enumerate() {
        let loc = format!("commitments[{i}]");
        tick(&mut done);
        if exists(tx, "SELECT 1 FROM commitments WHERE id = ?1", &c.id)? {
            r.already_present += 1;
            continue;
        }
        crate::commitments::insert_commitment(tx, c).map_err(at(loc))?;
        if let Some(a) = &c.life_area_id {
            touched.insert(a.clone());
        }
        r.commitments += 1;
    }
    for (i, b) in doc.boundaries.iter().enumerate() {
        let loc = format!("boundaries[{i}]");
        tick(&mut done);
        if exists(tx, "SELECT 1 FROM boundaries WHERE id = ?1", &b.id)? {
            r.already_present += 1;
            continue;
        }
        crate::boundaries::insert_boundary(tx, b).map_err(at(loc))?;
        r.boundaries += 1;
    }
    for (i, vio) in doc.boundary_violations.iter().enumerate() {
        let loc = format!("boundaryViolations[{i}]");
        if exists(tx, "SELECT 1 FROM boundary_violations WHERE id = ?1", &vio.id)? {
            r.already_present += 1;
            continue;
        }
        crate::boundaries::insert_violation(tx, vio).map_err(at(loc))?;
        let area: String =
            tx.query_row("SELECT life_area_id FROM boundaries WHERE id = ?1", [&vio.boundary_id], |r| r.get(0))?;
        touched.insert(area);
        r.boundary_violations += 1;
    }
    for (i, era) in doc.eras.iter().enumerate() {
        let loc = format!("eras[{i}]");
        if exists(tx, "SELECT 1 FROM eras WHERE id = ?1", &era.id)? {
            r.already_present += 1;
            continue;
        }
        crate::autobiography::insert_era(tx, era).map_err(at(loc))?;
        r.eras += 1;
    }
    for (i, a) in doc.autobiography_entries.iter().enumerate() {
        let loc = format!("autobiographyEntries[{i}]");
        if exists(tx, "SELECT 1 FROM autobiography_entries WHERE id = ?1", &a.id)? {
            r.already_present += 1;
            continue;
        }
        crate::autobiography::insert_entry(tx, a).map_err(at(loc))?;
        r.autobiography_entries += 1;
    }
    for (i, s) in doc.metric_snapshots.iter().enumerate() {
        let loc = format!("metricSnapshots[{i}]");
        if crate::snapshots::insert_snapshot(tx, s).map_err(at(loc))? {
            r.metric_snapshots += 1;
        } else {
            r.already_present += 1;
        }
    }
    progress(Progress { done: total, total });
    Ok(r)
}

#[derive(Deserialize)]
struct JrnlExport {
    entries: Vec<JrnlEntry>,
}

#[derive(Deserialize)]
struct JrnlEntry {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

fn import_jrnl(
    tx: &Connection,
    input: &mut dyn BufRead,
    opts: &ImportOptions,
    now: chrono::DateTime<Utc>,
    touched: &mut BTreeSet<String>,
    progress: ProgressFn<'_>,
) -> Result<ImportReport> {
    let doc: JrnlExport = serde_json::from_reader(input)
        .map_err(|e| Error::Import { location: format!("line {}", e.line()), message: json_message(&e) })?;
    let default_area = opts.default_area.as_deref().unwrap_or("personal-growth");
    let default_area = resolve_area(tx, default_area).map_err(at("--area"))?;
    let total = doc.entries.len() as u64;
    let mut r = ImportReport::default();
    for (i, j) in doc.entries.into_iter().enumerate() {
        let loc = format!("entries[{i}]");
        let bad = |field: &str, value: &str, allowed: &str| at(loc.clone())(Invalid::new(field, value, allowed).into());
        let date =
            NaiveDate::parse_from_str(&j.date, "%Y-%m-%d").map_err(|_| bad("date", &j.date, "a date YYYY-MM-DD"))?;
        let time = match j.time.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
                .map_err(|_| bad("time", t, "a time HH:MM"))?,
            None => NaiveTime::MIN,
        };
        // jrnl writes local wall-clock time.
        let occurred_at = Local
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| bad("time", &format!("{date} {time}"), "a time that exists locally"))?;
        // A jrnl tag that names a life area (@work) files the entry there.
        let tags: Vec<String> = j.tags.iter().map(|t| t.trim_start_matches(['@', '#']).to_lowercase()).collect();
        let area = tags
            .iter()
            .find_map(|t| wisdom_model::areas::spec(t).map(|s| s.id()))
            .unwrap_or_else(|| default_area.clone());
        let mut title = j.title.trim().to_string();
        let mut body = j.body.trim().to_string();
        if title.chars().count() > Limits::TITLE {
            body = format!("{title}\n\n{body}");
            title = title.chars().take(Limits::TITLE - 1).collect::<String>() + "…";
        }
        if title.is_empty() {
            title = format!("Journal entry {date}");
        }
        let (description, narrative) = if body.chars().count() > Limits::DESCRIPTION {
            (body.chars().take(280).collect::<String>() + "…", Some(body))
        } else {
            (body, None)
        };
        let new = NewEvent {
            life_area_id: Some(area),
            life_area: None,
            kind: if j.starred { EventType::Milestone } else { EventType::Learning },
            category: EventCategory::Personal,
            tone: EventTone::Neutral,
            title,
            description,
            narrative,
            occurred_at: Some(occurred_at),
            emotional_charge: 0,
            tags,
        };
        let event = build_event(tx, &new, now).map_err(at(loc.clone()))?;
        insert_event(tx, &event).map_err(at(loc))?;
        touched.insert(event.life_area_id);
        r.events += 1;
        if r.events % 500 == 0 {
            progress(Progress { done: r.events, total });
        }
    }
    progress(Progress { done: total, total });
    Ok(r)
}
