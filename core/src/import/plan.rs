//! Filing entries from other apps. A reader gives [`SourceEntry`]s (text, time, the labels the app
//! filed them under, tags, a charge if it has moods); [`plan`] decides each one's area, type and
//! tone, finds those an earlier import brought in, and checks every field, all before the write
//! transaction begins (the language model, when it suggests areas, is slow; a transaction would
//! hold other programs off meanwhile). [`Planned::preview`] is `--dry-run`; [`write`] the import.
//!
//! An entry's area, first rule that applies:
//! 1. the entry names one itself (a Markdown note's front matter `area:`);
//! 2. the person's `--area-map` names one of its labels (`journal:Work`, `tag:gym`, `gym`);
//! 3. one of its labels is an area's slug or name (a Day One journal called "Family");
//! 4. the language model's suggestion from the person's own similar entries, as quick capture
//!    shows it, with its type and tone (when the model is installed and the journal has entries
//!    to learn from; about 25 ms an entry, so by default for at most [`SUGGEST_AUTO_MAX`] entries);
//! 5. the default area (`--area`, else personal-growth).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::text::{description_and_narrative, fingerprint};
use super::{at, bad, ImportOptions, Suggest, SUGGEST_AUTO_MAX};
use crate::error::{Error, Result};
use crate::events::insert_event;
use crate::export::{Progress, ProgressFn};
use crate::ids::{derived_id, prefix};
use crate::workspace::Workspace;
use wisdom_model::{
    areas::default_category, validate as v, Event, EventTone, EventType, ImportFormat, ImportMapping, ImportPart,
    ImportPreview, ImportReport, ImportSample, ImportSkip, Limits, MappingTarget,
};

/// Something an app filed an entry under, as `--area-map` names it: `journal:Work`, `tag:family`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub kind: &'static str,
    pub name: String,
}

impl Label {
    pub fn new(kind: &'static str, name: impl Into<String>) -> Self {
        Label { kind, name: name.into() }
    }
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind, self.name)
    }
}

/// A photo, audio or other file an entry refers to; attached by `media.rs` when the export has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MediaRef {
    /// photo, video, audio, pdf, image.
    pub kind: &'static str,
    /// The app's id for it (Day One's identifier), or the link as written.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    /// Where the file is in the export, if anywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub in_export: bool,
    /// Why it will not be attached although the export may have it (a video, a path outside
    /// the imported folder).
    #[serde(skip)]
    pub refused: Option<&'static str>,
}

/// Where an import's media files are read from.
#[derive(Debug, Clone, Default)]
pub(crate) enum MediaFrom {
    #[default]
    Nowhere,
    /// A zip (Day One's export); `MediaRef::file` is a name in it.
    Zip(std::path::PathBuf),
    /// A folder (Markdown notes); `MediaRef::file` is a path under it, checked to stay inside.
    Folder(std::path::PathBuf),
}

/// One entry as its app gave it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceEntry {
    /// The app's id for it, unique within the format.
    pub source_id: String,
    /// Where it is, for messages: `Work.json entries[3]`, `daylio.csv line 14`.
    pub location: String,
    pub occurred_at: DateTime<Utc>,
    /// Empty if the entry has no words; `fallback_title` then stands in.
    pub title: String,
    pub body: String,
    pub fallback_title: String,
    /// What the app filed it under, most telling first (candidates for its area).
    pub labels: Vec<Label>,
    pub tags: Vec<String>,
    pub charge: Option<i64>,
    /// What the entry says of itself (a note's front matter, a Day One star).
    pub area: Option<String>,
    pub kind: Option<EventType>,
    pub tone: Option<EventTone>,
    /// How the reader mapped the app's own fields (a mood to a charge, an activity to a tag).
    pub mapped: Vec<(MappingTarget, String, String, String)>,
    pub media: Vec<MediaRef>,
    /// What the app said beyond the text (Day One's location and weather), kept with its source row.
    pub metadata: Option<serde_json::Value>,
}

/// Everything a reader found.
#[derive(Debug, Default)]
pub(crate) struct SourceRead {
    pub entries: Vec<SourceEntry>,
    pub parts: Vec<ImportPart>,
    pub skipped: Vec<ImportSkip>,
    pub media_from: MediaFrom,
}

/// Adds one left-out thing to a list of skips, merged with its kind (a few kept as examples).
pub(crate) fn skip(skips: &mut Vec<ImportSkip>, what: &str, reason: &str, example: Option<String>) {
    let i = match skips.iter().position(|s| s.what == what && s.reason == reason) {
        Some(i) => i,
        None => {
            skips.push(ImportSkip { what: what.into(), count: 0, reason: reason.into(), examples: Vec::new() });
            skips.len() - 1
        }
    };
    let s = &mut skips[i];
    s.count += 1;
    if let Some(e) = example {
        if s.examples.len() < 5 && !s.examples.contains(&e) {
            s.examples.push(e);
        }
    }
}

/// An entry ready to write.
#[derive(Debug)]
struct NewEntry {
    source_id: String,
    location: String,
    event: Event,
    content_hash: String,
    metadata: Option<String>,
    pending_media: Option<String>,
    media: u64,
    media_refs: Vec<MediaRef>,
}

/// An import worked out, not written.
#[derive(Debug)]
pub(crate) struct Planned {
    format: ImportFormat,
    found: u64,
    new: Vec<NewEntry>,
    already_present: u64,
    changed_since: u64,
    parts: Vec<ImportPart>,
    skipped: Vec<ImportSkip>,
    mappings: BTreeMap<(MappingTarget, String, String, String), u64>,
    media_from: MediaFrom,
}

/// How areas are named in this workspace, and the person's rules.
struct Filing {
    /// Lower-cased id, slug and name of every area -> (id, slug).
    areas: HashMap<String, (String, String)>,
    /// Lower-cased label (`journal:work`, or a bare name) -> (id, slug).
    rules: HashMap<String, (String, String)>,
    default: (String, String),
    /// Whether to ask the language model about entries nothing else files.
    suggest: bool,
    /// Why the model was not asked, when it would have been.
    unsuggested: Option<String>,
}

impl Filing {
    fn new(conn: &Connection, opts: &ImportOptions) -> Result<Self> {
        let mut areas = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, slug, name FROM life_areas WHERE is_active")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (id, slug, name) = row?;
            for key in [&id, &slug, &name] {
                areas.insert(key.to_lowercase(), (id.clone(), slug.clone()));
            }
        }
        let find = |given: &str, location: String| -> Result<(String, String)> {
            areas
                .get(&given.trim().to_lowercase())
                .cloned()
                .ok_or_else(|| bad(location, format!("no life area {given:?}; `wisdom area list` shows their slugs")))
        };
        let default = find(opts.rules.default_area.as_deref().unwrap_or("personal-growth"), "--area".into())?;
        let mut rules = HashMap::new();
        for (label, area) in &opts.rules.area_map {
            rules.insert(label.trim().to_lowercase(), find(area, format!("--area-map {label}"))?);
        }
        Ok(Filing { areas, rules, default, suggest: false, unsuggested: None })
    }

    /// The area the person's rules or a label's own name give an entry, and the label.
    fn by_label(&self, e: &SourceEntry) -> Option<(String, (String, String), &'static str)> {
        let rule = e.labels.iter().find_map(|l| {
            let found = self.rules.get(&l.key().to_lowercase()).or_else(|| self.rules.get(&l.name.to_lowercase()));
            found.map(|a| (l.key(), a.clone(), "your rule"))
        });
        rule.or_else(|| {
            e.labels.iter().find_map(|l| self.named(&l.name).map(|a| (l.key(), a.clone(), "names the area")))
        })
    }

    /// An area a label names by itself: `family`, `Family`, `#physical-health`, `Work & Purpose`.
    fn named(&self, name: &str) -> Option<&(String, String)> {
        let name = name.trim().trim_start_matches(['#', '@']).to_lowercase();
        self.areas.get(&name).or_else(|| self.areas.get(&name.replace([' ', '_'], "-")))
    }
}

/// Reads what the workspace already holds and files every entry. Nothing is written.
pub(crate) fn plan(
    ws: &Workspace,
    source: SourceRead,
    opts: &ImportOptions,
    progress: ProgressFn<'_>,
) -> Result<Planned> {
    let now = ws.now();
    let conn = &ws.conn;
    let mut filing = Filing::new(conn, opts)?;
    let format = opts.format;
    let mut p = Planned {
        format,
        found: source.entries.len() as u64,
        new: Vec::new(),
        already_present: 0,
        changed_since: 0,
        parts: source.parts,
        skipped: source.skipped,
        mappings: BTreeMap::new(),
        media_from: source.media_from,
    };
    let mut seen = HashSet::new();
    let mut imported = conn.prepare("SELECT content_hash FROM import_sources WHERE format = ?1 AND source_id = ?2")?;
    let mut event_exists = conn.prepare("SELECT 1 FROM events WHERE id = ?1")?;
    let mut fresh = Vec::new();
    for e in source.entries {
        if !seen.insert(e.source_id.clone()) {
            skip(&mut p.skipped, "entry", "its id appears twice in the export: kept once", Some(e.location));
            continue;
        }
        let content_hash = fingerprint(&[&e.title, &e.body, &e.tags.join("\n"), &format!("{:?}", e.charge)]);
        let before: Option<String> =
            imported.query_row(params![format.as_str(), e.source_id], |r| r.get(0)).optional()?;
        if let Some(before) = before {
            p.already_present += 1;
            p.changed_since += u64::from(before != content_hash);
            continue;
        }
        let id = derived_id(prefix::EVENT, e.occurred_at, format!("{format}\0{}", e.source_id).as_bytes());
        if event_exists.exists([&id])? {
            // Imported on another device and synced here.
            p.already_present += 1;
            continue;
        }
        fresh.push((e, id, content_hash));
    }

    // The model is slow: asked only for entries nothing else files, and by default only so many.
    let unfiled = fresh.iter().filter(|(e, _, _)| e.area.is_none() && filing.by_label(e).is_none()).count();
    let unusable = if opts.suggest == Suggest::Never || unfiled == 0 {
        None
    } else if !crate::meaning::language_model_installed() {
        Some("the language model is not installed on this device".to_string())
    } else if ws.meaning_status()?.embedded < 5 {
        Some("the language model has read too few of your entries yet to learn from (wisdom embed)".to_string())
    } else if opts.suggest == Suggest::Auto && unfiled > SUGGEST_AUTO_MAX {
        Some(format!(
            "{unfiled} entries are more than the language model is asked about by default ({SUGGEST_AUTO_MAX}; --suggest always asks, at about 25 ms an entry)"
        ))
    } else {
        None
    };
    filing.suggest = opts.suggest != Suggest::Never && unfiled > 0 && unusable.is_none();
    filing.unsuggested = unusable;
    let total = fresh.len() as u64;
    let every = if filing.suggest { 5 } else { 500 };
    for (i, (e, id, content_hash)) in fresh.into_iter().enumerate() {
        if i % every == 0 {
            progress(Progress { done: i as u64, total });
        }
        let entry = file_entry(ws, &filing, e, id, content_hash, now, &mut p)?;
        p.new.push(entry);
    }
    progress(Progress { done: total, total });
    Ok(p)
}

fn file_entry(
    ws: &Workspace,
    filing: &Filing,
    e: SourceEntry,
    id: String,
    content_hash: String,
    now: DateTime<Utc>,
    p: &mut Planned,
) -> Result<NewEntry> {
    let loc = e.location.clone();
    let mut note = |target: MappingTarget, from: &str, to: &str, why: &str| {
        *p.mappings.entry((target, from.to_string(), to.to_string(), why.to_string())).or_default() += 1;
    };
    for (target, from, to, why) in &e.mapped {
        note(*target, from, to, why);
    }
    let title = if e.title.trim().is_empty() { e.fallback_title.clone() } else { e.title.clone() };
    let by_label = if e.area.is_none() { filing.by_label(&e) } else { None };
    let suggestion = if filing.suggest && e.area.is_none() && by_label.is_none() {
        ws.suggest_for_text(&crate::meaning::text_of(&title, &e.body)).unwrap_or_else(|err| {
            tracing::debug!(error = %err, "no suggestion for an imported entry");
            None
        })
    } else {
        None
    };
    let (area, slug) = if let Some(given) = &e.area {
        let found = filing
            .named(given)
            .cloned()
            .ok_or_else(|| bad(&loc, format!("no life area {given:?}; `wisdom area list` shows their slugs")))?;
        note(MappingTarget::Area, &format!("area:{given}"), &found.1, "the entry's own area");
        found
    } else if let Some((from, found, why)) = by_label {
        note(MappingTarget::Area, &from, &found.1, why);
        found
    } else if let Some(s) = suggestion.as_ref().and_then(|s| filing.areas.get(&s.life_area_id.to_lowercase())) {
        note(MappingTarget::Area, "text", &s.1, "suggested from your similar entries");
        s.clone()
    } else {
        let why = match &filing.unsuggested {
            Some(reason) => format!("default area (--area); not suggested: {reason}"),
            None => "default area (--area)".to_string(),
        };
        note(MappingTarget::Area, "everything else", &filing.default.1, &why);
        filing.default.clone()
    };

    let kind = match (e.kind, &suggestion) {
        (Some(k), _) => k,
        (None, Some(s)) => {
            note(MappingTarget::Type, "text", s.kind.as_str(), "suggested from your similar entries");
            s.kind
        }
        (None, None) => {
            note(MappingTarget::Type, "everything else", EventType::Learning.as_str(), "default type");
            EventType::Learning
        }
    };
    let charge = e.charge.unwrap_or(0);
    let tone = match (e.tone, e.charge, &suggestion) {
        (Some(t), _, _) => t,
        (None, Some(c), _) => {
            let t = tone_of_charge(c);
            note(MappingTarget::Tone, "charge", t.as_str(), "follows the mood's charge");
            t
        }
        (None, None, Some(s)) => {
            note(MappingTarget::Tone, "text", s.tone.as_str(), "suggested from your similar entries");
            s.tone
        }
        (None, None, None) => {
            note(MappingTarget::Tone, "everything else", EventTone::Neutral.as_str(), "default tone");
            EventTone::Neutral
        }
    };

    let mut tags: Vec<String> = Vec::new();
    for raw in &e.tags {
        match v::normalise_tags(std::slice::from_ref(raw)) {
            Ok(t) if tags.len() < Limits::TAGS => {
                if !tags.contains(&t[0]) {
                    tags.push(t[0].clone());
                }
            }
            Ok(_) => skip(&mut p.skipped, "tag", "more than 32 tags on one entry", Some(raw.clone())),
            Err(_) => skip(
                &mut p.skipped,
                "tag",
                "not a tag here (longer than 48 characters, or a comma in it)",
                Some(raw.clone()),
            ),
        }
    }

    let (description, narrative) = description_and_narrative(e.body);
    let check = || -> std::result::Result<(), wisdom_model::Invalid> {
        v::title("title", &title, Limits::TITLE)?;
        v::optional_text("narrative", narrative.as_deref(), Limits::NARRATIVE)?;
        v::emotional_charge(charge)?;
        v::moment("date", e.occurred_at, now)?;
        Ok(())
    };
    check().map_err(|x| at(loc.clone())(Error::Invalid(x)))?;

    for m in &e.media {
        let reason = match (m.refused, m.in_export) {
            (Some(why), _) => why,
            (None, true) => continue,
            (None, false) => "referred to by an entry but missing from the export",
        };
        skip(&mut p.skipped, m.kind, reason, m.file.clone().or_else(|| Some(m.id.clone())));
    }
    let event = Event {
        id,
        category: default_category(&slug),
        life_area_id: area,
        kind,
        tone,
        title: title.trim().to_string(),
        description,
        narrative,
        occurred_at: e.occurred_at,
        emotional_charge: charge,
        tags,
        created_at: now,
        updated_at: now,
    };
    Ok(NewEntry {
        source_id: e.source_id,
        location: loc,
        event,
        content_hash,
        metadata: e.metadata.map(|m| m.to_string()),
        pending_media: (!e.media.is_empty()).then(|| serde_json::to_string(&e.media).unwrap_or_default()),
        media: e.media.len() as u64,
        media_refs: e.media,
    })
}

/// The tone a mood's charge implies.
pub(crate) fn tone_of_charge(charge: i64) -> EventTone {
    match charge {
        c if c >= 2 => EventTone::Positive,
        c if c <= -2 => EventTone::Negative,
        _ => EventTone::Neutral,
    }
}

impl Planned {
    /// Each new entry's event id and the media it refers to, and where to read them.
    pub(crate) fn media(&self) -> (&MediaFrom, impl Iterator<Item = (&str, &[MediaRef])>) {
        let entries = self.new.iter().filter(|n| !n.media_refs.is_empty());
        (&self.media_from, entries.map(|n| (n.event.id.as_str(), n.media_refs.as_slice())))
    }

    /// The left-out list (for the report of an import that was written).
    pub(crate) fn skipped(&self) -> &[ImportSkip] {
        &self.skipped
    }

    /// The report of an import with nothing new to write, if that is what this is.
    pub(crate) fn nothing_to_write(&self) -> Option<ImportReport> {
        self.new.is_empty().then(|| ImportReport { already_present: self.already_present, ..Default::default() })
    }

    pub(crate) fn preview(&self) -> ImportPreview {
        let mut by_time: Vec<&NewEntry> = self.new.iter().collect();
        by_time.sort_by_key(|n| n.event.occurred_at);
        let mut mappings: Vec<ImportMapping> = self
            .mappings
            .iter()
            .map(|((target, from, to, why), n)| ImportMapping {
                target: *target,
                from: from.clone(),
                to: to.clone(),
                entries: *n,
                why: why.clone(),
            })
            .collect();
        mappings.sort_by(|a, b| a.target.cmp(&b.target).then(b.entries.cmp(&a.entries)).then(a.from.cmp(&b.from)));
        ImportPreview {
            format: self.format,
            found: self.found,
            new: self.new.len() as u64,
            already_present: self.already_present,
            changed_since: self.changed_since,
            first: by_time.first().map(|n| n.event.occurred_at),
            last: by_time.last().map(|n| n.event.occurred_at),
            parts: self.parts.clone(),
            mappings,
            skipped: self.skipped.clone(),
            sample: by_time
                .iter()
                .take(5)
                .map(|n| ImportSample {
                    occurred_at: n.event.occurred_at,
                    title: n.event.title.clone(),
                    life_area_id: n.event.life_area_id.clone(),
                    kind: n.event.kind,
                    tone: n.event.tone,
                    emotional_charge: n.event.emotional_charge,
                    tags: n.event.tags.clone(),
                })
                .collect(),
        }
    }
}

/// Writes a planned import inside the caller's transaction. An entry another import wrote since
/// the plan was made (another program, the same export) counts as already present.
pub(crate) fn write(
    tx: &Connection,
    planned: &Planned,
    now: DateTime<Utc>,
    touched: &mut std::collections::BTreeSet<String>,
    progress: ProgressFn<'_>,
) -> Result<ImportReport> {
    let mut report = ImportReport { already_present: planned.already_present, ..Default::default() };
    let total = planned.new.len() as u64;
    let mut remember = tx.prepare_cached(
        "INSERT INTO import_sources (format, source_id, event_id, content_hash, imported_at, metadata, pending_media)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (format, source_id) DO NOTHING",
    )?;
    let mut event_exists = tx.prepare_cached("SELECT 1 FROM events WHERE id = ?1")?;
    for (i, n) in planned.new.iter().enumerate() {
        if i % 200 == 0 {
            progress(Progress { done: i as u64, total });
        }
        let added = remember.execute(params![
            planned.format.as_str(),
            n.source_id,
            n.event.id,
            n.content_hash,
            crate::time::to_db(now),
            n.metadata,
            n.pending_media
        ])?;
        if added == 0 || event_exists.exists([&n.event.id])? {
            report.already_present += 1;
            continue;
        }
        insert_event(tx, &n.event).map_err(at(n.location.clone()))?;
        touched.insert(n.event.life_area_id.clone());
        report.events += 1;
        report.media_pending += n.media;
    }
    progress(Progress { done: total, total });
    Ok(report)
}
