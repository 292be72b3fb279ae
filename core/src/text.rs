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
    STOP_WORDS.binary_search(&w).is_ok()
}

/// A light stemmer: strips common English inflections and a final "e", keeping a root of at least
/// three letters ("deadlines", "deadline" -> "deadlin"; "worked", "working" -> "work").
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    let keep = |root: &str| root.chars().count() >= 3;
    // Plurals and third person.
    if let Some(r) = w.strip_suffix("ies").filter(|r| keep(r)) {
        w = format!("{r}y");
    } else if let Some(r) = w
        .strip_suffix("es")
        .filter(|r| keep(r) && (r.ends_with(['s', 'x', 'z']) || r.ends_with("ch") || r.ends_with("sh")))
    {
        w = r.to_string();
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
        if let Some(r) = w.strip_suffix(suffix).filter(|r| keep(r)) {
            let mut root = r.to_string();
            if suffix == "ied" {
                root.push('y');
            }
            let b = root.as_bytes();
            // "stopped" -> "stopp" -> "stop"
            if b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] && !matches!(b[b.len() - 1], b'l' | b's' | b'z') {
                root.pop();
            }
            w = root;
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    w
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
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), STOP_WORDS.len(), "no duplicates");
        assert_eq!(sorted, STOP_WORDS, "sorted");
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
