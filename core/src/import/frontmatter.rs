//! The properties at the top of a Markdown note: YAML front matter between `---` lines as
//! Obsidian writes it (`key: value`, lists as `[a, b]` or as `- a` lines below the key), or
//! Logseq's `key:: value` lines. Only the simple YAML notes use; anything else is kept as text.

/// A note's properties (keys lower-cased) with the line each is on, and where its text begins.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct FrontMatter {
    pub fields: Vec<(String, Vec<String>, usize)>,
    /// The 0-based line the note's text starts on.
    pub body_line: usize,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<(&[String], usize)> {
        self.fields.iter().find(|(k, _, _)| k == key).map(|(_, v, l)| (v.as_slice(), *l))
    }

    pub fn first(&self, key: &str) -> Option<(&str, usize)> {
        self.get(key).and_then(|(v, l)| v.first().map(|s| (s.as_str(), l)))
    }
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// A value as a list: `[a, b]`, `a, b`, or one value.
fn values(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let inner = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    let parts: Vec<String> = match inner {
        Some(inner) => inner.split(',').map(unquote).collect(),
        None if raw.starts_with(['"', '\'']) => vec![unquote(raw)],
        None => raw.split(',').map(unquote).collect(),
    };
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Reads a note's properties. `Err(line)` (1-based) when front matter opens and never closes.
pub(super) fn parse(lines: &[&str]) -> Result<FrontMatter, usize> {
    let mut fm = FrontMatter::default();
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        let close = lines.iter().skip(1).position(|l| matches!(l.trim_end(), "---" | "...")).ok_or(1usize)? + 1;
        let mut i = 1;
        while i < close {
            let line = lines[i];
            if let Some((key, value)) = line.split_once(':').filter(|_| !line.starts_with([' ', '\t', '-', '#'])) {
                let mut list = values(value);
                let mut j = i + 1;
                while j < close && lines[j].trim_start().starts_with("- ") {
                    list.extend(values(lines[j].trim_start()[2..].trim()));
                    j += 1;
                }
                fm.fields.push((key.trim().to_lowercase(), list, i + 1));
                i = j;
            } else {
                i += 1;
            }
        }
        fm.body_line = close + 1;
        return Ok(fm);
    }
    // Logseq: `key:: value` lines first (maybe as outline bullets).
    for (i, line) in lines.iter().enumerate() {
        let l = line.trim_start().trim_start_matches("- ");
        match l.split_once(":: ") {
            Some((key, value)) if !key.contains(' ') && !key.is_empty() => {
                fm.fields.push((key.to_lowercase(), values(value), i + 1));
                fm.body_line = i + 1;
            }
            _ => break,
        }
    }
    Ok(fm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_with_flow_and_block_lists() {
        let note = "---\ntitle: \"Dinner, at last\"\ndate: 2024-03-09\ntags: [family, 'slow food']\naliases:\n  - Dinner\n  - Supper\n---\n# Text";
        let lines: Vec<&str> = note.lines().collect();
        let fm = parse(&lines).unwrap();
        assert_eq!(fm.first("title"), Some(("Dinner, at last", 2)));
        assert_eq!(fm.first("date"), Some(("2024-03-09", 3)));
        assert_eq!(fm.get("tags").unwrap().0, ["family", "slow food"]);
        assert_eq!(fm.get("aliases").unwrap().0, ["Dinner", "Supper"]);
        assert_eq!(lines[fm.body_line], "# Text");
    }

    #[test]
    fn front_matter_never_closed_is_an_error_at_line_one() {
        assert_eq!(parse(&["---", "date: 2024-03-09", "text"]), Err(1));
    }

    #[test]
    fn logseq_properties_and_notes_without_any() {
        let fm = parse(&["tags:: work, deep-work", "- Wrote the plan"]).unwrap();
        assert_eq!(fm.get("tags").unwrap().0, ["work", "deep-work"]);
        assert_eq!(fm.body_line, 1);
        assert_eq!(parse(&["Just text: with a colon"]).unwrap(), FrontMatter::default());
    }
}
