//! Imports as every front end sees them: the formats `wisdom import` reads, the preview of an
//! import not made yet (`--dry-run`: what would be added, what maps where, what is skipped and
//! why) and the report of one made.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::entities::Timestamp;
use crate::validate::{Invalid, Limits};

/// What a file to import holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    /// One POST /events object per line.
    JsonLines,
    /// Our own export.
    Json,
    /// `jrnl --export json`.
    Jrnl,
    /// Day One's JSON export: a zip with one JSON file per journal (or one bare journal file).
    DayOne,
    /// Daylio's CSV export.
    Daylio,
    /// A folder (or one file) of Markdown notes: Obsidian or Logseq daily notes and the like.
    Markdown,
}

impl ImportFormat {
    pub const ALL: [ImportFormat; 6] = [
        ImportFormat::JsonLines,
        ImportFormat::Json,
        ImportFormat::Jrnl,
        ImportFormat::DayOne,
        ImportFormat::Daylio,
        ImportFormat::Markdown,
    ];

    /// The name `--format` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::Json => "json",
            Self::Jrnl => "jrnl",
            Self::DayOne => "dayone",
            Self::Daylio => "daylio",
            Self::Markdown => "markdown",
        }
    }

    /// The app's name as people know it.
    pub fn label(self) -> &'static str {
        match self {
            Self::JsonLines => "JSON lines",
            Self::Json => "WisdomOS export",
            Self::Jrnl => "jrnl",
            Self::DayOne => "Day One",
            Self::Daylio => "Daylio",
            Self::Markdown => "Markdown",
        }
    }

    /// The file names its files usually end in (without the dot), most usual first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::JsonLines => &["jsonl", "ndjson", "txt"],
            // Our export: JSON, or a zip when it carries the entries' files.
            Self::Json => &["json", "zip"],
            Self::Jrnl => &["json"],
            Self::DayOne => &["zip", "json"],
            Self::Daylio => &["csv"],
            Self::Markdown => &["md", "markdown", "txt"],
        }
    }

    /// The format a file's name says without doubt, if it does: `.json` and `.zip` files come
    /// from several apps, so those are the person's to say.
    pub fn for_file_name(name: &str) -> Option<ImportFormat> {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match extension.as_str() {
            "jsonl" | "ndjson" => Some(Self::JsonLines),
            "csv" => Some(Self::Daylio),
            "md" | "markdown" => Some(Self::Markdown),
            _ => None,
        }
    }

    /// The format a dropped file or folder is, if that is beyond doubt: a folder is the one format
    /// that reads folders (a vault of notes), a file is as [`ImportFormat::for_file_name`] says.
    pub fn for_dropped(name: &str, folder: bool) -> Option<ImportFormat> {
        if folder {
            let mut formats = Self::ALL.iter().copied().filter(|f| f.reads_folders());
            return formats.next().filter(|_| formats.next().is_none());
        }
        Self::for_file_name(name)
    }

    /// Whether a folder is the usual thing to import (a vault of notes) rather than one file.
    pub fn reads_folders(self) -> bool {
        self == Self::Markdown
    }

    /// Formats from other apps whose entries carry an id of their own there: each import remembers
    /// it, so importing the same export again adds nothing, and each can be previewed.
    pub fn keeps_source_ids(self) -> bool {
        matches!(self, Self::DayOne | Self::Daylio | Self::Markdown)
    }
}

impl fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ImportFormat {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let wanted = s.trim().to_ascii_lowercase().replace([' ', '-', '_'], "");
        match wanted.as_str() {
            "jsonl" | "ndjson" => Ok(Self::JsonLines),
            "md" | "obsidian" | "logseq" => Ok(Self::Markdown),
            other => Self::ALL
                .into_iter()
                .find(|f| f.as_str() == other)
                .ok_or_else(|| Invalid::new("format", s, "jsonl, json, jrnl, dayone, daylio or markdown")),
        }
    }
}

impl Serialize for ImportFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ImportFormat {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How to import: the format and the person's choices (the CLI's flags, the desktop's dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    pub format: ImportFormat,
    /// Where entries go, as the person says.
    pub rules: ImportRules,
    /// Size of the input in bytes, if known, for progress.
    pub size_hint: Option<u64>,
    /// When to ask the language model for the area, type and tone of entries nothing else files.
    pub suggest: Suggest,
    /// The most one text of the source may unpack to ([`Limits::IMPORT_TEXT_BYTES`] unless lowered).
    pub max_source_bytes: u64,
}

impl ImportOptions {
    pub fn new(format: ImportFormat) -> Self {
        ImportOptions {
            format,
            rules: ImportRules::default(),
            size_hint: None,
            suggest: Suggest::Auto,
            max_source_bytes: Limits::IMPORT_TEXT_BYTES,
        }
    }
}

/// The person's own filing rules for an import: the CLI's `--area`, `--area-map` and `--mood`, the
/// desktop's table of where entries go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRules {
    /// Area for entries nothing else files, by slug or id. Default: personal-growth.
    pub default_area: Option<String>,
    /// A label of the source (`journal:Work`, `tag:gym`, `activity:gym`, or a bare name matching
    /// any of them) to an area, by slug or id.
    pub area_map: Vec<(String, String)>,
    /// Charges for mood names (Daylio): the person's custom moods, or a default one re-valued.
    pub moods: Vec<(String, i64)>,
}

impl ImportRules {
    /// Files entries labelled `label` under `area` (replacing an earlier rule for the label);
    /// `None` takes the rule away.
    pub fn set_area(&mut self, label: &str, area: Option<&str>) {
        self.area_map.retain(|(l, _)| !l.eq_ignore_ascii_case(label));
        if let Some(area) = area {
            self.area_map.push((label.to_string(), area.to_string()));
        }
    }

    /// Gives the mood `name` the charge `charge` (replacing an earlier one for it).
    pub fn set_mood(&mut self, name: &str, charge: i64) {
        self.moods.retain(|(m, _)| !m.eq_ignore_ascii_case(name));
        self.moods.push((name.to_string(), charge));
    }
}

/// How far a long operation has got (an import, an export, reading entries for meaning); `total`
/// may grow as stages are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// Whole per cent done (0 to 100), for a bar.
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total) * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// When an import asks the language model where entries belong (it needs the model installed and
/// a journal with read entries to learn from; each entry costs about 25 ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Suggest {
    Never,
    /// For up to [`SUGGEST_AUTO_MAX`] entries; past that the default area, and the preview says why.
    #[default]
    Auto,
    Always,
}

/// The most entries an import asks the model about unless told to ask for all: about 25 s.
pub const SUGGEST_AUTO_MAX: usize = 1_000;

/// Reads the person's filing rules (`--area-map FILE`): one `LABEL = AREA` a line, where LABEL is
/// what the preview's mappings show as `from` (`journal:Work`, `tag:gym`, `activity:running`) or
/// a bare name matching any of them (`running`), and AREA an area's slug. Blank lines and lines
/// starting with `#` are left out.
pub fn parse_area_map(text: &str) -> Result<Vec<(String, String)>, Invalid> {
    let mut rules = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.rsplit_once('=') {
            Some((label, area)) if !label.trim().is_empty() && !area.trim().is_empty() => {
                rules.push((label.trim().to_string(), area.trim().to_string()))
            }
            _ => {
                return Err(Invalid::new(
                    "--area-map",
                    format!("line {}: {line}", i + 1),
                    "lines LABEL = AREA, such as journal:Work = work",
                ))
            }
        }
    }
    Ok(rules)
}

/// What an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub events: u64,
    pub insights: u64,
    pub commitments: u64,
    pub boundaries: u64,
    pub boundary_violations: u64,
    pub eras: u64,
    pub autobiography_entries: u64,
    pub metric_snapshots: u64,
    /// Quick-capture templates and the prompts the person wrote, edited or hid (our export only).
    #[serde(default)]
    pub templates: u64,
    #[serde(default)]
    pub prompts: u64,
    /// The daily practice's settings were taken from the import (only into a workspace whose own
    /// were never set).
    #[serde(default)]
    pub settings: bool,
    /// Records already in the workspace (left as they were): same id, or the same entry of the
    /// same app brought in by an earlier import.
    pub already_present: u64,
    /// Photos, audio and other files the imported entries refer to, not brought in: the journal
    /// keeps where each was, so a later import can attach them once attachments exist.
    #[serde(default)]
    pub media_pending: u64,
    /// Photos, audio and files attached to the imported entries.
    #[serde(default)]
    pub attachments: u64,
    /// What the import left out and why (a photo missing from the export, a file too large).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<ImportSkip>,
}

/// What `--dry-run` shows: an import worked out in full and not written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub format: ImportFormat,
    /// Entries found in the source.
    pub found: u64,
    /// Entries the import would add.
    pub new: u64,
    /// Entries an earlier import already brought in; they are left as they are.
    pub already_present: u64,
    /// Of those, entries whose text has changed in the source since: not updated either.
    pub changed_since: u64,
    /// The earliest and latest moments among the entries to add.
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// The parts of the source (a Day One export's journals, a folder's files) with their entries.
    pub parts: Vec<ImportPart>,
    /// What maps where, with how many of the new entries each rule files.
    pub mappings: Vec<ImportMapping>,
    /// What is left out, and why.
    pub skipped: Vec<ImportSkip>,
    /// The first few entries to add, in time order, as they would be filed.
    pub sample: Vec<ImportSample>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPart {
    pub name: String,
    pub entries: u64,
}

/// The field a mapping sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MappingTarget {
    Area,
    Charge,
    Tag,
    Type,
    Tone,
}

/// One rule of an import: `from` (a label of the source, as `--area-map` names it, such as
/// `journal:Work`, `tag:family`, `mood:rad`, `activity:gym`) sets `target` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportMapping {
    pub target: MappingTarget,
    pub from: String,
    pub to: String,
    /// New entries this rule applies to.
    pub entries: u64,
    /// Why this rule: "--area-map", "names the area", "suggested from similar entries", "default
    /// area", "Daylio's default mood", "unknown mood: no charge"...
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSkip {
    /// What is left out, e.g. "photo", "file", "tag".
    pub what: String,
    pub count: u64,
    pub reason: String,
    /// A few of them by name, e.g. file names or locations.
    pub examples: Vec<String>,
}

/// An entry as it would be filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSample {
    pub occurred_at: Timestamp,
    pub title: String,
    pub life_area_id: String,
    #[serde(rename = "type")]
    pub kind: crate::EventType,
    pub tone: crate::EventTone,
    pub emotional_charge: i64,
    pub tags: Vec<String>,
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_rule_for_a_label_or_a_mood_replaces_the_earlier_one_whatever_its_case() {
        let mut r = super::ImportRules::default();
        r.set_area("activity:Sleep", Some("mental-health"));
        r.set_area("tag:gym", Some("physical-health"));
        r.set_area("activity:sleep", Some("time-energy"));
        assert_eq!(
            r.area_map,
            vec![("tag:gym".into(), "physical-health".into()), ("activity:sleep".into(), "time-energy".into())]
        );
        r.set_area("TAG:GYM", None);
        assert_eq!(r.area_map, vec![("activity:sleep".into(), "time-energy".into())]);
        r.set_mood("awful", -4);
        r.set_mood("Awful", -5);
        assert_eq!(r.moods, vec![("Awful".into(), -5)]);
    }

    #[test]
    fn progress_is_whole_per_cents_of_a_known_total() {
        let p = |done, total| super::Progress { done, total }.percent();
        assert_eq!((p(0, 0), p(5, 0), p(1, 3), p(2, 3), p(3, 3), p(7, 3)), (0, 0, 33, 66, 100, 100));
    }

    #[test]
    fn a_dropped_folder_is_a_vault_of_notes_whatever_its_name() {
        use super::ImportFormat::*;
        assert_eq!(super::ImportFormat::for_dropped("/home/ines/Obsidian Vault", true), Some(Markdown));
        assert_eq!(super::ImportFormat::for_dropped("/home/ines/export.csv", true), Some(Markdown));
        assert_eq!(super::ImportFormat::for_dropped("/home/ines/export.csv", false), Some(Daylio));
        assert_eq!(super::ImportFormat::for_dropped("/home/ines/Journal", false), None);
    }

    #[test]
    fn a_file_name_says_its_format_only_when_no_other_app_uses_its_extension() {
        assert_eq!(ImportFormat::for_file_name("/home/ines/Daylio_export.CSV"), Some(ImportFormat::Daylio));
        assert_eq!(ImportFormat::for_file_name("events.jsonl"), Some(ImportFormat::JsonLines));
        assert_eq!(ImportFormat::for_file_name("2026-03-01.md"), Some(ImportFormat::Markdown));
        // Ours, jrnl's and Day One's all write .json; Day One and ours both zip.
        assert_eq!(ImportFormat::for_file_name("journal.json"), None);
        assert_eq!(ImportFormat::for_file_name("Export-All.zip"), None);
        assert_eq!(ImportFormat::for_file_name("notes"), None);
    }

    use super::*;

    #[test]
    fn formats_parse_by_name_and_by_common_spellings() {
        for f in ImportFormat::ALL {
            assert_eq!(f.as_str().parse::<ImportFormat>().unwrap(), f);
        }
        assert_eq!("Day-One".parse::<ImportFormat>().unwrap(), ImportFormat::DayOne);
        assert_eq!("obsidian".parse::<ImportFormat>().unwrap(), ImportFormat::Markdown);
        assert_eq!("ndjson".parse::<ImportFormat>().unwrap(), ImportFormat::JsonLines);
        assert_eq!("evernote".parse::<ImportFormat>().unwrap_err().field, "format");
    }

    #[test]
    fn a_report_without_media_pending_still_reads() {
        let r: ImportReport = serde_json::from_str(
            r#"{"events":1,"insights":0,"commitments":0,"boundaries":0,"boundaryViolations":0,"eras":0,
                "autobiographyEntries":0,"metricSnapshots":0,"alreadyPresent":0}"#,
        )
        .unwrap();
        assert_eq!((r.events, r.media_pending), (1, 0));
    }

    #[test]
    fn area_maps_read_rules_and_name_the_bad_line() {
        let rules = parse_area_map("# mine\njournal:Work = work\n\n running=physical-health \n").unwrap();
        assert_eq!(
            rules,
            [("journal:Work".to_string(), "work".to_string()), ("running".into(), "physical-health".into())]
        );
        assert_eq!(parse_area_map("ok = work\nnonsense\n").unwrap_err().value, "line 2: nonsense");
    }
}
