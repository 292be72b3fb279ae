//! A folder of Markdown notes (or one note), as Obsidian, Logseq and plain-text journallers keep
//! them. A note's day comes from its front matter (`date:`) or its name (`2024-03-09.md`,
//! `2024_03_09.md` as Logseq names journals, `20240309.md`, `2024-03-09 Dinner.md`); a note with
//! neither is listed as skipped. Headings that start with a time (`## 09:30 Run`, `### 6:15 pm`)
//! split a note into one entry each; otherwise the note is one entry at noon of its day (or at the
//! front matter's time). Tags come from front matter and from `#tags` in the text; front matter
//! may also set `title`, `area`, `type`, `tone` and `charge`. Embedded images (`![[a.jpg]]`,
//! `![](a.jpg)`) leave the text and are kept as references until attachments land.
//!
//! An entry's id here is its file's name, plus the time of its heading when a note holds several.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::frontmatter::{self, FrontMatter};
use super::plan::{skip, Label, MediaRef, SourceEntry, SourceRead};
use super::text::{inline_tags, tidy_blank_lines, title_and_body};
use super::{bad, file_name, problem, read_text_file, ImportProblem};
use crate::error::{Error, Result};
use wisdom_model::{EventTone, EventType, ImportPart, Limits, MappingTarget};

/// Folders of app settings, trash and backups, never notes.
const NOT_NOTES: [&str; 6] = [".obsidian", ".trash", ".git", "logseq", ".logseq", "node_modules"];

pub(super) fn read(path: &Path, is_dir: bool, tz: Tz, limit: u64) -> Result<SourceRead> {
    let mut out = SourceRead::default();
    let mut files = Vec::new();
    if is_dir {
        walk(path, path, &mut files, &mut out)?;
        files.sort();
    } else {
        files.push(PathBuf::from(file_name(path)));
    }
    let root = if is_dir { path } else { path.parent().unwrap_or(Path::new(".")) };
    let root = if root.as_os_str().is_empty() { Path::new(".") } else { root };
    out.media_from = super::plan::MediaFrom::Folder(root.to_path_buf());
    let mut names: HashSet<String> = HashSet::new();
    for rel in files {
        let shown = rel.to_string_lossy().replace('\\', "/");
        let ext = rel.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if is_dir && !matches!(ext.as_str(), "md" | "markdown") {
            skip(&mut out.skipped, "file", "not a Markdown note", Some(shown));
            continue;
        }
        let text = read_text_file(&root.join(&rel), limit).map_err(|e| match e {
            Error::ImportSource { problem, .. } => super::problem(&shown, problem),
            e => e,
        })?;
        let name = file_name(&rel);
        // The name is the id; a second note of the same name elsewhere goes by its path.
        let id = if names.insert(name.clone()) { name } else { shown.clone() };
        let folder = rel.components().next().filter(|_| rel.components().count() > 1);
        let folder = folder.map(|c| c.as_os_str().to_string_lossy().into_owned());
        let entries = note(&shown, &id, folder, &text, tz, root, &rel, &mut out)?;
        if !entries.is_empty() {
            out.parts.push(ImportPart { name: shown, entries: entries.len() as u64 });
        }
        out.entries.extend(entries);
    }
    if out.entries.is_empty() && out.skipped.is_empty() {
        return Err(problem(file_name(path), ImportProblem::NothingToImport("no Markdown notes here".into())));
    }
    Ok(out)
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>, out: &mut SourceRead) -> Result<()> {
    for item in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let item = item.map_err(Error::io(dir))?;
        let path = item.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let kind = item.file_type().map_err(Error::io(&path))?;
        let name = item.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            if NOT_NOTES.contains(&name.as_str()) || name.starts_with('.') {
                skip(&mut out.skipped, "folder", "app settings, trash or history, not notes", Some(name));
            } else {
                walk(root, &path, files, out)?;
            }
        } else if kind.is_file() {
            if files.len() >= Limits::IMPORT_FILES {
                return Err(problem(super::shown(root), ImportProblem::TooManyFiles { limit: Limits::IMPORT_FILES }));
            }
            files.push(rel);
        } else {
            skip(&mut out.skipped, "file", "a link or special file: not followed", Some(rel.to_string_lossy().into()));
        }
    }
    Ok(())
}

/// The day in a note's name: `2024-03-09`, `2024_03_09`, `2024.03.09` or `20240309` at its start.
/// `Err` when the name starts like a date that does not exist (`2024-02-30`).
fn day_in_name(stem: &str) -> std::result::Result<Option<NaiveDate>, String> {
    let b = stem.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let (y, m, d, len) = if digits(0..4)
        && matches!(b.get(4), Some(b'-' | b'_' | b'.'))
        && digits(5..7)
        && b.get(7) == b.get(4)
        && digits(8..10)
    {
        (&stem[0..4], &stem[5..7], &stem[8..10], 10)
    } else if digits(0..8) {
        (&stem[0..4], &stem[4..6], &stem[6..8], 8)
    } else {
        return Ok(None);
    };
    if b.get(len).is_some_and(u8::is_ascii_digit) {
        return Ok(None);
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| stem[..len].to_string())
}

/// A front matter date: `2024-03-09`, `2024-03-09 18:30`, `2024-03-09T18:30:00`, or with an offset.
fn front_matter_moment(s: &str, tz: Tz) -> Option<(NaiveDate, Option<DateTime<Utc>>)> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some((d.date_naive(), Some(d.with_timezone(&Utc))));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some((n.date(), local(tz, n.date(), n.time())));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| (d, None))
}

fn local(tz: Tz, day: NaiveDate, t: NaiveTime) -> Option<DateTime<Utc>> {
    let at = day.and_time(t);
    tz.from_local_datetime(&at)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(at + chrono::Duration::hours(1))).earliest())
        .map(|d| d.with_timezone(&Utc))
}

/// A heading that starts with a time: `## 09:30 Run`, `### 6:15 pm - Call`, `## 21:05`.
fn timed_heading(line: &str) -> Option<(NaiveTime, String)> {
    let text = line.strip_prefix('#')?.trim_start_matches('#');
    let text = text.strip_prefix(' ')?.trim();
    let clock_len = text.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(text.len());
    let clock = &text[..clock_len];
    let mut t = NaiveTime::parse_from_str(clock, "%H:%M").ok()?;
    let mut rest = text[clock_len..].trim_start();
    let lower = rest.to_lowercase();
    for (suffix, pm) in [("pm", true), ("am", false), ("p.m.", true), ("a.m.", false)] {
        if lower.starts_with(suffix) && lower[suffix.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()) {
            use chrono::Timelike;
            t = t.with_hour(t.hour() % 12 + if pm { 12 } else { 0 })?;
            rest = rest[suffix.len()..].trim_start();
            break;
        }
    }
    let title = rest.trim_start_matches(['-', '–', '—', ':', '|', '·']).trim().to_string();
    Some((t, title))
}

/// Takes embedded images and files out of a note: `![[photo.jpg]]` and `![alt](photo.jpg)` (web
/// images stay, as links).
fn take_embeds(text: &str, root: &Path, rel: &Path) -> (String, Vec<MediaRef>) {
    let mut out = String::with_capacity(text.len());
    let mut media = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("![") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let target = if let Some(inner) = after.strip_prefix('[').and_then(|a| a.split_once("]]")).map(|(t, _)| t) {
            Some((inner.split('|').next().unwrap_or(inner).to_string(), 2 + 1 + inner.len() + 2))
        } else {
            after.split_once("](").and_then(|(alt, tail)| {
                let (target, _) = tail.split_once(')')?;
                (!alt.contains('\n') && !target.contains("://"))
                    .then(|| (target.to_string(), 2 + alt.len() + 2 + target.len() + 1))
            })
        };
        match target {
            Some((target, len)) if !target.trim().is_empty() => {
                let target = target.trim().to_string();
                let beside = rel.parent().map(|p| root.join(p).join(&target)).unwrap_or_else(|| root.join(&target));
                let found = [beside, root.join(&target)].into_iter().find(|p| p.is_file());
                // A link may climb out of the folder (`../../etc/passwd`, a symlink): only files
                // inside the imported folder are read.
                let inside = found.as_ref().is_none_or(|p| {
                    let (Ok(p), Ok(root)) = (p.canonicalize(), root.canonicalize()) else { return false };
                    p.starts_with(root)
                });
                let found = found.filter(|_| inside);
                let kind = match Path::new(&target).extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
                    Some("mp3" | "m4a" | "wav" | "ogg" | "webm") => "audio",
                    Some("mp4" | "mov") => "video",
                    Some("pdf") => "pdf",
                    _ => "image",
                };
                let file =
                    found.as_ref().map(|p| p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/"));
                let refused = if !inside {
                    Some("outside the imported folder: not read")
                } else if kind == "video" {
                    Some("videos are not attached (too large to keep in the journal file)")
                } else {
                    None
                };
                media.push(MediaRef { kind, id: target, md5: None, in_export: file.is_some(), file, refused });
                rest = &rest[at + len..];
            }
            _ => {
                out.push_str("![");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, media)
}

#[allow(clippy::too_many_arguments)]
fn note(
    shown: &str,
    id: &str,
    folder: Option<String>,
    text: &str,
    tz: Tz,
    root: &Path,
    rel: &Path,
    out: &mut SourceRead,
) -> Result<Vec<SourceEntry>> {
    let lines: Vec<&str> = text.lines().collect();
    let fm = frontmatter::parse(&lines)
        .map_err(|line| bad(format!("{shown}: line {line}"), "front matter opened with --- is never closed"))?;
    let at_line = |l: usize| format!("{shown}: line {l}");
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let named_day = day_in_name(&stem).map_err(|d| bad(shown, format!("the date {d} in its name does not exist")))?;
    let (day, at) = match fm.first("date").or_else(|| fm.first("created")).or_else(|| fm.first("day")) {
        Some((value, line)) => {
            let (d, at) = front_matter_moment(value, tz)
                .ok_or_else(|| bad(at_line(line), format!("date {value:?} is not a date YYYY-MM-DD")))?;
            (d, at)
        }
        None => match named_day {
            Some(d) => (d, None),
            None => {
                skip(&mut out.skipped, "note", "no date in its name or front matter", Some(shown.to_string()));
                return Ok(Vec::new());
            }
        },
    };
    let noon = local(tz, day, NaiveTime::from_hms_opt(12, 0, 0).expect("noon exists"))
        .ok_or_else(|| bad(shown, format!("{day} has no noon in {tz}")))?;
    let whole_at = at.unwrap_or(noon);
    let own = own_fields(&fm, &at_line)?;

    // Sections: (first line, time, heading title, lines).
    let mut sections: Vec<(usize, Option<NaiveTime>, String, Vec<&str>)> =
        vec![(fm.body_line + 1, None, String::new(), Vec::new())];
    let mut fenced = false;
    for (i, line) in lines.iter().enumerate().skip(fm.body_line) {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        match (!fenced).then(|| timed_heading(line)).flatten() {
            Some((t, title)) => sections.push((i + 1, Some(t), title, Vec::new())),
            None => sections.last_mut().expect("one section at least").3.push(line),
        }
    }
    let timed = sections.len() > 1;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut entries = Vec::new();
    for (line, time, heading, body) in sections {
        let (raw, media) = take_embeds(&body.join("\n"), root, rel);
        let raw = tidy_blank_lines(&raw);
        let mut tags: Vec<String> =
            fm.get("tags").or_else(|| fm.get("tag")).map(|(t, _)| t.to_vec()).unwrap_or_default();
        tags.extend(inline_tags(&raw));
        let (mut title, mut body) = if heading.is_empty() { title_and_body(&raw) } else { (heading, raw) };
        if time.is_none() && is_just_a_date(&title, day) {
            (title, body) = title_and_body(&body);
        }
        title = plain_title(&title);
        if timed && time.is_none() && title.is_empty() && media.is_empty() {
            continue; // the note's own date heading before its timed sections
        }
        if let Some((t, _)) = fm.first("title").filter(|_| !timed) {
            if !title.is_empty() && title != t {
                body = if body.is_empty() { title } else { format!("{title}\n\n{body}") };
            }
            title = t.to_string();
        }
        if title.is_empty() && body.is_empty() && media.is_empty() {
            continue;
        }
        let key = match time {
            Some(t) => format!("{id}#{}", t.format("%H:%M")),
            None if timed => format!("{id}#"),
            None => id.to_string(),
        };
        let n = seen.entry(key.clone()).or_default();
        *n += 1;
        let source_id = if *n == 1 { key } else { format!("{key}#{n}") };
        let occurred_at = match time {
            Some(t) => {
                local(tz, day, t).ok_or_else(|| bad(at_line(line), format!("{day} {t} does not exist in {tz}")))?
            }
            None => whole_at,
        };
        let mut labels: Vec<Label> = tags.iter().map(|t| Label::new("tag", t.clone())).collect();
        labels.extend(folder.iter().map(|f| Label::new("folder", f.clone())));
        let mapped =
            tags.iter().map(|t| (MappingTarget::Tag, format!("tag:{t}"), t.to_lowercase(), "tag".into())).collect();
        entries.push(SourceEntry {
            source_id,
            location: at_line(line),
            occurred_at,
            title,
            body,
            fallback_title: format!("{}, {}", stem, day.format("%-d %B %Y")),
            labels,
            tags,
            mapped,
            media,
            area: own.area.clone(),
            kind: own.kind,
            tone: own.tone,
            charge: own.charge,
            ..Default::default()
        });
    }
    Ok(entries)
}

/// What front matter may say of a note's entries.
#[derive(Default)]
struct Own {
    area: Option<String>,
    kind: Option<EventType>,
    tone: Option<EventTone>,
    charge: Option<i64>,
}

fn own_fields(fm: &FrontMatter, at_line: &dyn Fn(usize) -> String) -> Result<Own> {
    let mut own = Own { area: fm.first("area").map(|(a, _)| a.to_string()), ..Own::default() };
    if let Some((t, l)) = fm.first("type") {
        own.kind = Some(t.parse().map_err(|e: wisdom_model::UnknownVariant| bad(at_line(l), e.to_string()))?);
    }
    if let Some((t, l)) = fm.first("tone") {
        own.tone = Some(t.parse().map_err(|e: wisdom_model::UnknownVariant| bad(at_line(l), e.to_string()))?);
    }
    if let Some((c, l)) = fm.first("charge") {
        let c: i64 = c
            .trim_start_matches('+')
            .parse()
            .map_err(|_| bad(at_line(l), format!("charge {c:?} is not a whole number from -5 to 5")))?;
        wisdom_model::validate::emotional_charge(c).map_err(|e| bad(at_line(l), e.to_string()))?;
        own.charge = Some(c);
    }
    Ok(own)
}

/// A title as it reads: without an outline's bullet, links as their words (`[[Ana]]` is Ana,
/// `[[Ana Silva|Ana]]` is Ana).
fn plain_title(title: &str) -> String {
    let t = title.trim();
    let t = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).unwrap_or(t);
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]") else { break };
        let inner = &rest[open + 2..open + close];
        out.push_str(&rest[..open]);
        out.push_str(inner.rsplit('|').next().unwrap_or(inner));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// A title that only says the day (`2024-03-09`, `Saturday, March 9, 2024`), which the file
/// name already gave.
fn is_just_a_date(title: &str, day: NaiveDate) -> bool {
    let t = title.trim().trim_start_matches("- ").to_lowercase();
    if t.is_empty() {
        return false;
    }
    let iso = day.format("%Y-%m-%d").to_string();
    let spelled =
        [day.format("%A, %B %-d, %Y"), day.format("%B %-d, %Y"), day.format("%-d %B %Y"), day.format("%a, %b %-d, %Y")];
    t == iso || t.replace('_', "-") == iso || spelled.iter().any(|s| s.to_string().to_lowercase() == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_names_as_apps_write_them() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 9);
        for name in ["2024-03-09", "2024_03_09", "2024.03.09", "20240309", "2024-03-09 Dinner", "2024-03-09-dinner"] {
            assert_eq!(day_in_name(name), Ok(d), "{name}");
        }
        for name in ["Ideas", "2024", "2024-03", "202403091", "2024-03_09"] {
            assert_eq!(day_in_name(name), Ok(None), "{name}");
        }
        assert_eq!(day_in_name("2024-02-30"), Err("2024-02-30".into()));
    }

    #[test]
    fn timed_headings_in_both_clocks() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(timed_heading("## 09:30 Morning run"), Some((t(9, 30), "Morning run".into())));
        assert_eq!(timed_heading("### 6:15 pm - Call with Mum"), Some((t(18, 15), "Call with Mum".into())));
        assert_eq!(timed_heading("## 21:05"), Some((t(21, 5), String::new())));
        assert_eq!(timed_heading("## 2024 plans"), None);
        assert_eq!(timed_heading("#10:00 not a heading"), None);
        assert_eq!(timed_heading("10:00 plain text"), None);
    }

    #[test]
    fn embeds_leave_the_text_and_web_images_stay() {
        let root = Path::new("/nonexistent");
        let (text, media) = take_embeds(
            "Sea ![[IMG_1.jpg|300]] and ![](voice.m4a) but ![x](https://e.org/a.png)",
            root,
            Path::new("n.md"),
        );
        assert_eq!(text, "Sea  and  but ![x](https://e.org/a.png)");
        assert_eq!(
            media.iter().map(|m| (m.kind, m.id.as_str(), m.in_export)).collect::<Vec<_>>(),
            [("image", "IMG_1.jpg", false), ("audio", "voice.m4a", false)]
        );
    }
}
