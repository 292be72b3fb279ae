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
    let mut present = 0u64;
    let mut tick = |counted: bool| {
        if counted {
            done += 1;
            if done.is_multiple_of(1000) {
                progress(Progress { done, total });
            }
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
    let mut step = Step { tx, present: &mut present, tick: &mut tick, counted: true };
    r.events = step.each(
        "events",
        "events",
        &doc.events,
        |e| &e.id,
        |e| {
            let check = || -> Result<(), Invalid> {
                v::title("title", &e.title, Limits::TITLE)?;
                v::max_len("description", &e.description, Limits::DESCRIPTION)?;
                v::optional_text("narrative", e.narrative.as_deref(), Limits::NARRATIVE)?;
                v::emotional_charge(e.emotional_charge)?;
                v::moment("occurredAt", e.occurred_at, now)?;
                Ok(())
            };
            check()?;
            let mut e = e.clone();
            e.tags = v::normalise_tags(&e.tags)?;
            e.life_area_id = resolve_area(tx, &e.life_area_id)?;
            insert_event(tx, &e)?;
            touched.insert(e.life_area_id.clone());
            Ok(true)
        },
    )?;
    r.insights = step.each(
        "insights",
        "insights",
        &doc.insights,
        |x| &x.id,
        |ins| {
            v::title("title", &ins.title, Limits::TITLE)?;
            crate::insights::insert_insight(tx, ins, None)?;
            Ok(true)
        },
    )?;
    r.commitments = step.each(
        "commitments",
        "commitments",
        &doc.commitments,
        |x| &x.id,
        |c| {
            crate::commitments::insert_commitment(tx, c)?;
            touched.extend(c.life_area_id.clone());
            Ok(true)
        },
    )?;
    r.boundaries = step.each(
        "boundaries",
        "boundaries",
        &doc.boundaries,
        |x| &x.id,
        |b| {
            crate::boundaries::insert_boundary(tx, b)?;
            Ok(true)
        },
    )?;
    step.counted = false;
    r.boundary_violations = step.each(
        "boundaryViolations",
        "boundary_violations",
        &doc.boundary_violations,
        |x| &x.id,
        |vio| {
            crate::boundaries::insert_violation(tx, vio)?;
            let area: String =
                tx.query_row("SELECT life_area_id FROM boundaries WHERE id = ?1", [&vio.boundary_id], |r| r.get(0))?;
            touched.insert(area);
            Ok(true)
        },
    )?;
    r.eras = step.each(
        "eras",
        "eras",
        &doc.eras,
        |x| &x.id,
        |era| {
            crate::autobiography::insert_era(tx, era)?;
            Ok(true)
        },
    )?;
    r.autobiography_entries = step.each(
        "autobiographyEntries",
        "autobiography_entries",
        &doc.autobiography_entries,
        |x| &x.id,
        |a| {
            crate::autobiography::insert_entry(tx, a)?;
            Ok(true)
        },
    )?;
    r.templates = step.each(
        "templates",
        "templates",
        &doc.templates,
        |x| &x.id,
        |t| {
            crate::templates::insert_template(tx, t)?;
            Ok(true)
        },
    )?;
    r.prompts =
        step.each("prompts", "prompts", &doc.prompts, |x| &x.id, |p| crate::prompts::insert_shaped(tx, p, now))?;
    for (i, s) in doc.metric_snapshots.iter().enumerate() {
        let loc = format!("metricSnapshots[{i}]");
        if crate::snapshots::insert_snapshot(tx, s).map_err(at(loc))? {
            r.metric_snapshots += 1;
        } else {
            present += 1;
        }
    }
    if let Some(settings) = &doc.settings {
        r.settings = crate::practice::adopt_settings(tx, settings, now).map_err(at("settings"))?;
    }
    r.already_present = present;
    progress(Progress { done: total, total });
    Ok(r)
}

/// One kind of record of our export after another, into the import's transaction.
struct Step<'a> {
    tx: &'a Connection,
    /// Records already here (same id), left as they were.
    present: &'a mut u64,
    /// Called once per record; `counted` says whether the kind counts towards the progress total.
    tick: &'a mut dyn FnMut(bool),
    counted: bool,
}

impl Step<'_> {
    /// Inserts each of `records` (field `field` of the export, table `table`) whose id is not
    /// here yet, through `insert` (true if it inserted one); an error names the record. Returns
    /// how many were inserted.
    fn each<T>(
        &mut self,
        field: &str,
        table: &str,
        records: &[T],
        id: impl Fn(&T) -> &String,
        mut insert: impl FnMut(&T) -> Result<bool>,
    ) -> Result<u64> {
        let mut added = 0;
        let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
        for (i, record) in records.iter().enumerate() {
            (self.tick)(self.counted);
            if exists(self.tx, &sql, id(record))? {
                *self.present += 1;
                continue;
            }
            if insert(record).map_err(at(format!("{field}[{i}]")))? {
                added += 1;
            }
        }
        Ok(added)
    }
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
    let default_area = opts.rules.default_area.as_deref().unwrap_or("personal-growth");
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
