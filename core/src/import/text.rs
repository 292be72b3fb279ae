//! Text as other apps write it, made into an entry's title and body: the first line is the title
//! (a Markdown heading's `#`s dropped), the rest the body; Day One's backslash escapes undone;
//! `#tags` found in running text.

use wisdom_model::Limits;

/// Splits a note into its title (the first line with words, heading marks dropped) and the rest.
/// A title too long for one is cut, and the whole line starts the body instead.
pub(super) fn title_and_body(text: &str) -> (String, String) {
    let text = text.trim_matches(|c: char| c.is_whitespace());
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let line = first.trim();
    let heading = line.trim_start_matches('#');
    let title = if heading.len() < line.len() && (heading.is_empty() || heading.starts_with(' ')) {
        heading.trim()
    } else {
        line
    };
    let body = rest.trim().to_string();
    if title.chars().count() > Limits::TITLE {
        let cut: String = title.chars().take(Limits::TITLE - 1).collect();
        let body = if body.is_empty() { title.to_string() } else { format!("{title}\n\n{body}") };
        return (cut.trim_end().to_string() + "…", body);
    }
    (title.to_string(), body)
}

/// A body too long for an event's description keeps its opening there and goes whole to the
/// narrative (as the jrnl import does). Past the narrative's limit it is refused by validation.
pub(super) fn description_and_narrative(body: String) -> (String, Option<String>) {
    if body.chars().count() > Limits::DESCRIPTION {
        let opening: String = body.chars().take(280).collect();
        (opening.trim_end().to_string() + "…", Some(body))
    } else {
        (body, None)
    }
}

/// Undoes Day One's Markdown escapes: it writes `\.`, `\!`, `\(`, `\-` and so on for punctuation
/// the person typed, and `\\` for a backslash. A backslash before anything else is kept.
pub(super) fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_punctuation() {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Collapses the blank lines left where something was taken out of a text.
pub(super) fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    out
}

/// The `#tags` of running text as Obsidian and Logseq read them: `#` at the start of a word,
/// then letters, digits, `_`, `-` or `/`, not only digits (`#1` is not a tag); Logseq's
/// `#[[two words]]` too. Headings (`# Title`), code spans and fenced code are not looked at.
pub(super) fn inline_tags(text: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        let mut prev = ' ';
        let mut i = 0;
        while i < line.len() {
            let c = line[i..].chars().next().unwrap_or(' ');
            if c == '`' {
                in_code = !in_code;
            } else if c == '#' && !in_code && (prev.is_whitespace() || prev == '(') {
                let rest = &line[i + 1..];
                if let Some(inner) = rest.strip_prefix("[[").and_then(|r| r.split_once("]]")).map(|(t, _)| t) {
                    if !inner.trim().is_empty() {
                        tags.push(inner.trim().to_string());
                    }
                    i += 1 + 2 + inner.len() + 2;
                    prev = ']';
                    continue;
                }
                let word: String =
                    rest.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/')).collect();
                if !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) {
                    tags.push(word.clone());
                    i += 1 + word.len();
                    prev = 'x';
                    continue;
                }
            }
            prev = c;
            i += c.len_utf8();
        }
    }
    tags
}

/// A short stable fingerprint of a text (blake2b, 16 bytes in hex), to tell whether a source
/// entry changed since it was imported.
pub(super) fn fingerprint(parts: &[&str]) -> String {
    use blake2::digest::{Update, VariableOutput};
    let mut h = blake2::Blake2bVar::new(16).expect("16 is a valid blake2b output size");
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let mut out = [0u8; 16];
    h.finalize_variable(&mut out).expect("the output is 16 bytes");
    out.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_title_without_heading_marks() {
        assert_eq!(
            title_and_body("# Lisbon, day one\n\nWe walked.\n"),
            ("Lisbon, day one".into(), "We walked.".into())
        );
        assert_eq!(title_and_body("\n\nJust a line"), ("Just a line".into(), String::new()));
        // A hashtag is not a heading.
        assert_eq!(title_and_body("#gratitude today").0, "#gratitude today");
        let long = "word ".repeat(60);
        let (title, body) = title_and_body(&long);
        assert_eq!(title.chars().count(), Limits::TITLE);
        assert!(title.ends_with('…'));
        assert_eq!(body, long.trim());
    }

    #[test]
    fn day_one_escapes_are_undone_and_real_backslashes_kept() {
        assert_eq!(
            unescape_markdown(r"Finally\! It's 3\.5 km \(uphill\) \- worth it\\ C:\temp"),
            r"Finally! It's 3.5 km (uphill) - worth it\ C:\temp"
        );
        assert_eq!(unescape_markdown("emoji 🎉 stay"), "emoji 🎉 stay");
    }

    #[test]
    fn tags_are_found_where_a_person_wrote_them_and_nowhere_else() {
        let text = "# Heading\nRan 5k #running #health/sleep, then #1 (#focus)\n`#notatag` and a#b\n```\n#code\n```\n#[[deep work]] ok";
        assert_eq!(inline_tags(text), ["running", "health/sleep", "focus", "deep work"]);
    }

    #[test]
    fn blank_lines_collapse_to_one() {
        assert_eq!(tidy_blank_lines("a\n\n\n\nb  \n\n"), "a\n\nb");
    }

    #[test]
    fn fingerprints_tell_texts_apart_and_do_not_run_parts_together() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
