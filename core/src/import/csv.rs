//! Comma-separated values as RFC 4180 has them (and as Daylio writes them): fields in double
//! quotes may hold commas, line breaks and doubled quotes (`""`); lines end in CRLF or LF. Small
//! enough to read here in full rather than add a crate.

/// One record and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A quote in the wrong place, or one never closed; `line` is where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CsvError {
    pub line: usize,
    pub message: &'static str,
}

/// Every record of `text`. Lines with nothing on them are left out.
pub(super) fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut start = 1;
    let mut at_field_start = true;
    let mut quoted_field = false;
    let end_record = |fields: &mut Vec<String>, field: &mut String, out: &mut Vec<Record>, start: usize| {
        fields.push(std::mem::take(field));
        if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push(Record { line: start, fields: std::mem::take(fields) });
        }
        fields.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if at_field_start => {
                let opened = line;
                quoted_field = true;
                at_field_start = false;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                        None => return Err(CsvError { line: opened, message: "a quoted field is never closed" }),
                    }
                }
                match chars.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(_) => {
                        return Err(CsvError { line, message: "a quoted field must end at a comma or the line's end" })
                    }
                }
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
                quoted_field = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                end_record(&mut fields, &mut field, &mut out, start);
                line += 1;
                start = line;
                at_field_start = true;
                quoted_field = false;
            }
            c => {
                if quoted_field {
                    return Err(CsvError { line, message: "a quoted field must end at a comma or the line's end" });
                }
                at_field_start = false;
                field.push(c);
            }
        }
    }
    if !fields.is_empty() || !field.is_empty() {
        end_record(&mut fields, &mut field, &mut out, start);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text).unwrap().into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn quotes_hold_commas_line_breaks_and_doubled_quotes() {
        let text = "a,b,c\r\n1,\"two, too\",\"say \"\"hi\"\"\nthen go\"\r\n\n4,,\n";
        assert_eq!(
            fields(text),
            vec![vec!["a", "b", "c"], vec!["1", "two, too", "say \"hi\"\nthen go"], vec!["4", "", ""]]
        );
        let lines: Vec<usize> = records(text).unwrap().iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn the_last_record_needs_no_line_break_and_an_empty_quoted_field_is_a_field() {
        assert_eq!(fields("x,\"\""), vec![vec!["x", ""]]);
        assert_eq!(fields("only"), vec![vec!["only"]]);
    }

    #[test]
    fn a_quote_left_open_or_followed_by_text_names_its_line() {
        assert_eq!(
            records("a\nb,\"open\nstill").unwrap_err(),
            CsvError { line: 2, message: "a quoted field is never closed" }
        );
        assert_eq!(records("a\n\"x\"y,z").unwrap_err().line, 2);
    }
}
