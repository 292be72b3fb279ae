//! How results reach the terminal: the seed's JSON with `--json`, tidy aligned tables without.

use std::io::{IsTerminal, Write};

use serde::Serialize;

/// Prints pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A plain table: a header row, then rows, columns padded to fit; long cells are cut with "…".
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    max: Vec<usize>,
}

impl Table {
    pub fn new(headers: &[(&'static str, usize)]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.0).collect(),
            rows: Vec::new(),
            max: headers.iter().map(|h| h.1).collect(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn print(&self) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        if self.rows.is_empty() {
            writeln!(out, "(none)")?;
            return Ok(());
        }
        let cut = |s: &str, max: usize| -> String {
            let s = s.replace(['\n', '\r'], " ");
            if s.chars().count() > max {
                s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
            } else {
                s
            }
        };
        let cells: Vec<Vec<String>> =
            self.rows.iter().map(|r| r.iter().enumerate().map(|(i, c)| cut(c, self.max[i])).collect()).collect();
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| cells.iter().map(|r| r[i].chars().count()).chain([self.headers[i].len()]).max().unwrap_or(0))
            .collect();
        let bold = std::io::stdout().is_terminal();
        let line = |cols: Vec<String>| -> String {
            let last = cols.len() - 1;
            cols.iter()
                .enumerate()
                .map(|(i, c)| if i == last { c.clone() } else { format!("{c:<w$}", w = widths[i]) })
                .collect::<Vec<_>>()
                .join("  ")
        };
        let header = line(self.headers.iter().map(|h| h.to_string()).collect());
        if bold {
            writeln!(out, "\x1b[1m{header}\x1b[0m")?;
        } else {
            writeln!(out, "{header}")?;
        }
        for r in cells {
            writeln!(out, "{}", line(r).trim_end())?;
        }
        Ok(())
    }
}

/// Search hits, one to a paragraph: kind, date, title and id, then the matching passage indented
/// under it. Matched terms are bold on a terminal; piped, the passage is its plain text.
pub fn hits(hits: &[wisdom_model::SearchHit]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if hits.is_empty() {
        writeln!(out, "(none)")?;
        return Ok(());
    }
    let bold = std::io::stdout().is_terminal();
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let date = h.date.as_ref().map(|d| format!("  {}", date(d))).unwrap_or_default();
        writeln!(out, "{}{date}  {}  ({})", h.kind, h.title, h.id)?;
        writeln!(out, "    {}", passage(&h.snippet, bold))?;
    }
    Ok(())
}

/// A snippet on one line, its marked parts in bold when `bold`.
fn passage(snippet: &wisdom_model::Snippet, bold: bool) -> String {
    snippet
        .0
        .iter()
        .map(|p| {
            let text = p.text.replace(['\n', '\r'], " ");
            if bold && p.marked {
                format!("\x1b[1m{text}\x1b[0m")
            } else {
                text
            }
        })
        .collect()
}

/// `key: value` lines for one record.
pub fn fields(pairs: &[(&str, String)]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let w = pairs.iter().map(|p| p.0.len()).max().unwrap_or(0);
    for (k, v) in pairs {
        if v.contains('\n') {
            writeln!(out, "{k}:")?;
            for l in v.lines() {
                writeln!(out, "  {l}")?;
            }
        } else {
            writeln!(out, "{k:<w$}  {v}")?;
        }
    }
    Ok(())
}

pub fn date(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()
}

pub fn opt_date(at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.as_ref().map(date).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::passage;
    use wisdom_model::{Snippet, SnippetPart};

    #[test]
    fn a_passage_is_plain_when_piped_and_bold_only_where_marked_on_a_terminal() {
        let part = |text: &str, marked| SnippetPart { text: text.into(), marked };
        let s = Snippet(vec![part("…said [so]\nthen ", false), part("burnout", true), part(" again", false)]);
        assert_eq!(passage(&s, false), "…said [so] then burnout again");
        assert_eq!(passage(&s, true), "…said [so] then \x1b[1mburnout\x1b[0m again");
    }
}
