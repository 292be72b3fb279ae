//! Text into comparable terms for the pattern engine: lower-cased words, English stop words
//! removed, and a light suffix-stripping stemmer (so "worked", "working" and "works" meet).

/// Words that carry no theme.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "bit",
    "both",
    "but",
    "by",
    "can",
    "could",
    "day",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "feel",
    "felt",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "like",
    "lot",
    "made",
    "make",
    "me",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "same",
    "she",
    "should",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "time",
    "to",
    "today",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "way",
    "we",
    "week",
    "went",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yesterday",
    "you",
    "your",
    "yours",
    "yourself",
];

pub fn is_stop_word(w: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    // Every stop word is short; longer words skip the lookup.
    w.len() <= 10 && SET.get_or_init(|| STOP_WORDS.iter().copied().collect()).contains(w)
}

/// A light stemmer: strips common English inflections and a final "e", keeping a root of at least
/// three letters ("deadlines", "deadline" -> "deadlin"; "worked", "working" -> "work").
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    stem_in_place(&mut w);
    w
}

/// [`stem`] without allocating: only truncates (and may append one `y`).
pub fn stem_in_place(w: &mut String) {
    let keep = |root: &str| root.chars().count() >= 3;
    // Plurals and third person.
    if w.ends_with("ies") && keep(&w[..w.len() - 3]) {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("es") && {
        let r = &w[..w.len() - 2];
        keep(r) && (r.ends_with(['s', 'x', 'z']) || r.ends_with("ch") || r.ends_with("sh"))
    } {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && keep(&w[..w.len() - 1])
    {
        w.pop();
    }
    // Derivations and tenses, longest first.
    for suffix in [
        "ational", "fulness", "iveness", "ization", "ingly", "ation", "ement", "ness", "ment", "edly", "ing", "ied",
        "ful", "ed", "ly",
    ] {
        if w.ends_with(suffix) && keep(&w[..w.len() - suffix.len()]) {
            w.truncate(w.len() - suffix.len());
            if suffix == "ied" {
                w.push('y');
            }
            let b = w.as_bytes();
            // "stopped" -> "stopp" -> "stop"
            if b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] && !matches!(b[b.len() - 1], b'l' | b's' | b'z') {
                w.pop();
            }
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
}

/// Calls `f` with the stem of every theme-bearing word of `text`, reusing one buffer.
pub fn each_stem(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::with_capacity(32);
    for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        let w = w.trim_matches('\'');
        if w.len() < 3 || w.chars().all(|c| c.is_numeric()) {
            continue;
        }
        buf.clear();
        if w.is_ascii() {
            buf.push_str(w);
            buf.make_ascii_lowercase();
        } else {
            if w.chars().count() < 3 {
                continue;
            }
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        if is_stop_word(&buf) {
            continue;
        }
        stem_in_place(&mut buf);
        f(&buf);
    }
}

/// The theme-bearing words of a text, stemmed, with the surface form each came from.
pub fn terms(text: &str) -> impl Iterator<Item = (String, &str)> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_numeric()))
        .filter_map(|w| {
            let lower = w.to_lowercase();
            if is_stop_word(&lower) {
                None
            } else {
                Some((stem(&lower), w))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_list_is_sorted_and_unique() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), STOP_WORDS.len(), "no duplicates");
        assert_eq!(sorted, STOP_WORDS, "sorted");
    }

    #[test]
    fn each_stem_agrees_with_terms() {
        let text = "Überstunden again: WORKED late, the deadlines piled up; 3am, 12 o'clock";
        let mut a = Vec::new();
        each_stem(text, |s| a.push(s.to_string()));
        let b: Vec<String> = terms(text).map(|t| t.0).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn inflections_meet_at_one_stem() {
        for w in ["worked", "working", "works"] {
            assert_eq!(stem(w), "work", "{w}");
        }
        assert_eq!(stem("deadlines"), stem("deadline"));
        assert_eq!(stem("stopped"), "stop");
        assert_eq!(stem("worries"), stem("worried"));
        let t: Vec<String> = terms("I felt the deadlines at work today").map(|t| t.0).collect();
        assert_eq!(t, vec![stem("deadlines"), stem("work")]);
    }
}
