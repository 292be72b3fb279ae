//! Day One's JSON export: a zip with one JSON file per journal (`Journal.json`, `Work.json`) and
//! the media in `photos/`, `videos/`, `audios/`, `pdfs/` (each file named by its md5 and type), or
//! one journal's JSON file alone. Each entry has a `uuid` (its id here), a `creationDate` (UTC) and
//! the `timeZone` it was written in, Markdown `text` in which Day One escapes punctuation with
//! backslashes and refers to its media as `![](dayone-moment://ID)` links, `tags`, `starred`, and
//! optionally `location` and `weather`.
//!
//! The first line of the text is the title, the rest the body, both unescaped. Media links leave
//! the text; the entry's photos, audio and PDFs found in the zip become its attachments in text
//! order (`media.rs`), videos are left out (listed), and each entry keeps the list of its media
//! (identifier, md5, file in the export) with its source row. Location, weather, journal and time
//! zone are kept there too.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::archive::Archive;
use super::plan::{skip, Label, MediaFrom, MediaRef, SourceEntry, SourceRead};
use super::text::{tidy_blank_lines, title_and_body, unescape_markdown};
use super::{bad, file_name, json_message, problem, read_text_file, shown, ImportProblem};
use crate::error::{Error, Result};
use wisdom_model::{EventType, ImportPart, MappingTarget};

#[derive(Deserialize)]
struct Journal {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    uuid: String,
    creation_date: String,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
    #[serde(default)]
    location: Option<serde_json::Value>,
    #[serde(default)]
    weather: Option<serde_json::Value>,
    #[serde(default)]
    photos: Vec<Media>,
    #[serde(default)]
    videos: Vec<Media>,
    #[serde(default)]
    audios: Vec<Media>,
    #[serde(default)]
    pdf_attachments: Vec<Media>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Media {
    identifier: String,
    #[serde(default)]
    md5: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    order_in_entry: Option<i64>,
}

/// Each media list of an entry: its kind as we name it, the folder Day One puts its files in, and
/// the word its links use (`dayone-moment:/video/ID`; photos have none: `dayone-moment://ID`).
const MEDIA: [(&str, &str, &str); 4] = [
    ("photo", "photos", ""),
    ("video", "videos", "video"),
    ("audio", "audios", "audio"),
    ("pdf", "pdfs", "pdfAttachment"),
];

pub(super) fn read(path: &Path, tz: Tz, limit: u64) -> Result<SourceRead> {
    let mut head = [0u8; 4];
    let is_zip = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(Error::io(path))
        .map(|n| n >= 2 && head[..2] == *b"PK")?;
    let mut journals: Vec<(String, String)> = Vec::new();
    let mut out = SourceRead::default();
    // As entries name them (`photos/<md5>.jpeg`) -> the name in the zip, and its declared size.
    let mut files: HashMap<String, (String, u64)> = HashMap::new();
    if is_zip {
        let mut archive = Archive::open(path, limit)?;
        let names = archive.names().to_vec();
        for name in &names {
            let lower = name.to_lowercase();
            if lower.ends_with('/') {
                continue;
            }
            let top = lower.split('/').rev().nth(1).unwrap_or("");
            if MEDIA.iter().any(|(_, dir, _)| *dir == top) {
                // As entries name them, `photos/<md5>.jpeg`, whatever folder the zip wraps them in.
                let mut tail = name.rsplitn(3, '/').take(2).collect::<Vec<_>>();
                tail.reverse();
                let size = archive.declared_size(name).unwrap_or(0);
                files.insert(tail.join("/"), (name.clone(), size));
            } else if lower.ends_with(".json") {
                let stem = name.rsplit('/').next().unwrap_or(name).trim_end_matches(".json").to_string();
                journals.push((stem, archive.read_text(name)?));
            } else {
                skip(&mut out.skipped, "file", "not a journal or media file of a Day One export", Some(name.clone()));
            }
        }
        out.media_from = MediaFrom::Zip(path.to_path_buf());
        if journals.is_empty() {
            return Err(problem(
                shown(path),
                ImportProblem::NothingToImport(
                    "the zip holds no journal JSON file; export from Day One as JSON (File > Export > JSON)".into(),
                ),
            ));
        }
    } else {
        let stem = file_name(path);
        let stem = stem.strip_suffix(".json").unwrap_or(&stem).to_string();
        journals.push((stem, read_text_file(path, limit)?));
    }
    let several = journals.len() > 1;
    for (journal, text) in journals {
        let file = format!("{journal}.json");
        let parsed: Journal = serde_json::from_str(&text).map_err(|e| {
            bad(format!("{file}: line {}", e.line()), format!("not a Day One journal: {}", json_message(&e)))
        })?;
        out.parts.push(ImportPart { name: journal.clone(), entries: parsed.entries.len() as u64 });
        for (i, e) in parsed.entries.into_iter().enumerate() {
            let location = format!("{file}: entries[{i}]");
            if let Some(entry) = entry(e, &journal, several, &location, tz, is_zip.then_some(&files), &mut out)? {
                out.entries.push(entry);
            }
        }
    }
    Ok(out)
}

fn entry(
    e: Entry,
    journal: &str,
    several: bool,
    location: &str,
    tz: Tz,
    files: Option<&HashMap<String, (String, u64)>>,
    out: &mut SourceRead,
) -> Result<Option<SourceEntry>> {
    let zone: Tz = e.time_zone.as_deref().and_then(|z| z.parse().ok()).unwrap_or(tz);
    let occurred_at = moment(&e.creation_date, zone)
        .ok_or_else(|| bad(location, format!("creationDate {:?} is not a date and time", e.creation_date)))?;
    let raw = e.text.unwrap_or_default();
    let (text, linked) = take_media_links(&raw);
    let text = tidy_blank_lines(&unescape_markdown(&text));

    // Media in the order the text shows them, then any the text does not show.
    let mut listed: Vec<(&str, &str, &str, &Media)> = Vec::new();
    for ((kind, dir, word), list) in MEDIA.iter().zip([&e.photos, &e.videos, &e.audios, &e.pdf_attachments]) {
        let mut list: Vec<&Media> = list.iter().collect();
        list.sort_by_key(|m| m.order_in_entry.unwrap_or(i64::MAX));
        listed.extend(list.into_iter().map(|m| (*kind, *dir, *word, m)));
    }
    let mut media = Vec::new();
    let find = |word: &str, id: &str| listed.iter().position(|(_, _, w, m)| *w == word && m.identifier == id);
    let mut order: Vec<usize> = Vec::new();
    for p in linked.iter().filter_map(|(word, id)| find(word, id)) {
        if !order.contains(&p) {
            order.push(p);
        }
    }
    let unlinked: Vec<usize> = (0..listed.len()).filter(|i| !order.contains(i)).collect();
    order.extend(unlinked);
    for i in order {
        let (kind, dir, _, m) = listed[i];
        let mut file = m.md5.as_ref().map(|md5| format!("{dir}/{md5}.{}", m.kind.as_deref().unwrap_or("jpeg")));
        let found = match (files, &file) {
            (Some(files), Some(f)) => files.get(f),
            _ => None,
        };
        let refused = match found {
            _ if kind == "video" => Some("videos are not attached (too large to keep in the journal file)"),
            Some((_, size)) if *size > wisdom_model::Limits::ATTACHMENT_BYTES => {
                Some("larger than one attachment may be (100 MiB)")
            }
            _ => None,
        };
        if let Some((name, _)) = found {
            file = Some(name.clone());
        }
        media.push(MediaRef {
            kind,
            id: m.identifier.clone(),
            md5: m.md5.clone(),
            file,
            in_export: found.is_some(),
            refused,
        });
    }
    for (word, id) in &linked {
        if find(word, id).is_none() {
            let kind = MEDIA.iter().find(|(_, _, w)| w == word).map_or("photo", |m| m.0);
            media.push(MediaRef { kind, id: id.clone(), md5: None, file: None, in_export: false, refused: None });
        }
    }

    if text.is_empty() && media.is_empty() {
        skip(&mut out.skipped, "entry", "no text and no media", Some(location.to_string()));
        return Ok(None);
    }
    let (title, body) = title_and_body(&text);
    let local_day = occurred_at.with_timezone(&zone).format("%-d %B %Y");
    let fallback_title = match media.first().map(|m| m.kind) {
        Some("photo") => format!("Photo, {local_day}"),
        Some(kind) => format!("{}, {local_day}", capitalised(kind)),
        None => format!("{journal}, {local_day}"),
    };
    let mut labels = vec![Label::new("journal", journal)];
    labels.extend(e.tags.iter().map(|t| Label::new("tag", t.clone())));
    let mut mapped: Vec<_> = e
        .tags
        .iter()
        .map(|t| (MappingTarget::Tag, format!("tag:{t}"), t.to_lowercase(), "Day One tag".to_string()))
        .collect();
    let mut tags = e.tags.clone();
    // Which journal an entry was in, when there were several (the default one goes without saying).
    if several && !journal.eq_ignore_ascii_case("journal") {
        let tag = journal.to_lowercase().replace(' ', "-");
        mapped.push((MappingTarget::Tag, format!("journal:{journal}"), tag.clone(), "the journal it was in".into()));
        tags.push(tag);
    }
    if e.starred {
        mapped.push((
            MappingTarget::Type,
            "starred".into(),
            EventType::Milestone.as_str().into(),
            "Day One star".into(),
        ));
    }
    let mut metadata = serde_json::Map::new();
    metadata.insert("journal".into(), journal.into());
    metadata.insert("timeZone".into(), zone.name().into());
    if e.starred {
        metadata.insert("starred".into(), true.into());
    }
    for (key, value) in [("location", e.location), ("weather", e.weather)] {
        if let Some(v) = value.filter(|v| !v.is_null()) {
            metadata.insert(key.into(), v);
        }
    }
    Ok(Some(SourceEntry {
        source_id: e.uuid,
        location: location.to_string(),
        occurred_at,
        title,
        body,
        fallback_title,
        labels,
        tags,
        kind: e.starred.then_some(EventType::Milestone),
        mapped,
        media,
        metadata: Some(serde_json::Value::Object(metadata)),
        ..Default::default()
    }))
}

/// Day One writes `2023-04-01T08:15:30Z`; a time without its offset is read in the entry's zone.
fn moment(s: &str, zone: Tz) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    zone.from_local_datetime(&naive).earliest().map(|d| d.with_timezone(&Utc))
}

/// Takes `![...](dayone-moment:...)` links out of a text, and says what they pointed at: the
/// link's word (`""` for a photo, `video`, `audio`, `pdfAttachment`) and the identifier.
fn take_media_links(text: &str) -> (String, Vec<(String, String)>) {
    const SCHEME: &str = "](dayone-moment:";
    let mut out = String::with_capacity(text.len());
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(SCHEME) {
        let (before, after) = rest.split_at(at);
        let start = before.rfind("![").filter(|&s| !before[s..].contains('\n'));
        let end = after.find(')');
        let (Some(start), Some(end)) = (start, end) else {
            out.push_str(&rest[..at + SCHEME.len()]);
            rest = &rest[at + SCHEME.len()..];
            continue;
        };
        let target = after[SCHEME.len()..end].trim_start_matches('/');
        let (word, id) = target.rsplit_once('/').unwrap_or(("", target));
        links.push((word.to_string(), id.to_string()));
        out.push_str(&before[..start]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (out, links)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_links_leave_the_text_in_order_with_their_kind() {
        let (text, links) = take_media_links(
            "Harbour at dusk\n![](dayone-moment://AB12)\nthen ![a clip](dayone-moment:/video/CD34) and [a link](https://x.org)",
        );
        assert_eq!(text, "Harbour at dusk\n\nthen  and [a link](https://x.org)");
        assert_eq!(links, [("".to_string(), "AB12".to_string()), ("video".to_string(), "CD34".to_string())]);
    }

    #[test]
    fn creation_dates_are_instants_and_naive_ones_read_in_the_entry_zone() {
        let lisbon: Tz = "Europe/Lisbon".parse().unwrap();
        let utc = Utc.with_ymd_and_hms(2023, 7, 1, 8, 15, 30).unwrap();
        assert_eq!(moment("2023-07-01T08:15:30Z", lisbon), Some(utc));
        // Lisbon is UTC+1 in summer.
        assert_eq!(moment("2023-07-01T09:15:30", lisbon), Some(utc));
        assert_eq!(moment("yesterday", lisbon), None);
    }
}
