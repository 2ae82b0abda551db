//! Word-level text handling shared by the analysis and summary stages: one tokenizer, one
//! stopword list and one stemmer, so that "the same word" means the same thing everywhere.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::sync::OnceLock;

/// The days of the week as news writes them, Monday first (the order chrono counts in).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// English function words and reporting filler that carry no topic. Kept short on purpose:
/// idf weighting handles the rest.
const STOPWORDS: &[&str] = &[
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
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
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
    "last",
    "like",
    "may",
    "me",
    "might",
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
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
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
    "this",
    "those",
    "through",
    "to",
    "too",
    "told",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
    "don",
    "didn",
    "doesn",
    "isn",
    "wasn",
    "weren",
    "won",
    "wouldn",
    "couldn",
    "shouldn",
    "ll",
    "re",
    "ve",
    "d",
    "m",
    "mr",
    "mrs",
    "ms",
    "new",
    "according",
    "two",
    "three",
    "year",
    "years",
    "time",
    "get",
    "got",
    "make",
    "made",
    "many",
    "well",
    "still",
    "however",
    "another",
    "way",
    "going",
    "go",
    "went",
    "around",
    "back",
    "told",
    "week",
    "day",
    "per",
    "cent",
];

pub fn is_stopword(lower: &str) -> bool {
    // Fx rather than SipHash: the keys are a fixed list, and this runs for every word.
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(lower)
}

/// A report's words, title and sentence by sentence. Made once per report and shared by every
/// analysis stage, so that no sentence is tokenised twice.
#[derive(Debug, Clone)]
pub struct ReportWords {
    pub title: Vec<Word>,
    /// Parallel to the report's sentences.
    pub sentences: Vec<Vec<Word>>,
}

impl ReportWords {
    pub fn of(report: &crate::model::Report) -> ReportWords {
        ReportWords {
            title: report.title.as_deref().map(words).unwrap_or_default(),
            sentences: report.sentences.iter().map(|s| words(&s.text)).collect(),
        }
    }
}

/// A word of a sentence: its lower-cased form and its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub lower: String,
    pub stem: String,
    /// Starts with an upper-case letter in the source (a hint for names).
    pub capitalised: bool,
    /// Whether `lower` is a stopword, looked up once: the stages ask for every word, often
    /// several times.
    stopword: bool,
}

impl Word {
    pub fn is_stopword(&self) -> bool {
        self.stopword
    }
}

/// A word's stem and whether it is a stopword, through a per-thread cache: news text repeats
/// its words, and stemming is the costliest step of tokenising.
fn stem_of(lower: &str) -> (String, bool) {
    thread_local! {
        // foldhash, seeded per process: fast, and the keys are input words, which a long-running
        // service must not let anyone shape into collisions.
        static CACHE: RefCell<foldhash::HashMap<String, (String, bool)>> = RefCell::default();
    }
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    CACHE.with(|cache| {
        if let Some(known) = cache.borrow().get(lower) {
            return known.clone();
        }
        let stem = STEMMER
            .get_or_init(|| Stemmer::create(Algorithm::English))
            .stem(lower)
            .into_owned();
        let known = (stem, is_stopword(lower));
        let mut cache = cache.borrow_mut();
        // Bounded so that a long stream cannot grow it without limit.
        if cache.len() >= 200_000 {
            cache.clear();
        }
        cache.insert(lower.to_string(), known.clone());
        known
    })
}

/// Splits text into words: runs of letters and digits, keeping inner apostrophes, hyphens and
/// dots ("al-Muhandis", "U.S.") as part of the word. Possessive "'s" is dropped so that
/// "Iraq's" and "Iraq" are one word.
pub fn words(text: &str) -> Vec<Word> {
    // About one word per six bytes of news text (word and space): sized so that the list
    // rarely grows, without holding much unused room (every distinct text keeps its words).
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    for raw in raw_words(text) {
        let trimmed = raw
            .strip_suffix("'s")
            .or_else(|| raw.strip_suffix("’s"))
            .unwrap_or(raw);
        let mut lower = String::with_capacity(trimmed.len());
        if trimmed.is_ascii() {
            lower.extend(
                trimmed
                    .bytes()
                    .filter(|&b| b != b'.')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        } else {
            lower.extend(
                trimmed
                    .chars()
                    .filter(|c| *c != '.')
                    .flat_map(char::to_lowercase),
            );
        }
        if lower.is_empty() {
            continue;
        }
        let (stem, stopword) = stem_of(&lower);
        let capitalised = trimmed.chars().next().is_some_and(char::is_uppercase);
        out.push(Word {
            stopword,
            lower,
            stem,
            capitalised,
        });
    }
    out
}

/// The raw word spans of `text`, as written.
pub fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        let tail = &rest[start..];
        let mut end = tail.len();
        let mut chars = tail.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                continue;
            }
            let joins = matches!(c, '\'' | '’' | '-' | '.')
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
            if !joins {
                end = i;
                break;
            }
        }
        let word = &tail[..end];
        rest = &tail[end..];
        Some(word)
    })
}

/// How many elements two sorted lists (of word or word-pair ids, each once) share.
pub fn shared_sorted<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Number of words as a reader (and ROUGE) counts them: whitespace-separated tokens that
/// contain a letter or digit.
pub fn word_count(text: &str) -> usize {
    count_words(text, usize::MAX)
}

/// Whether `text` has at least `n` words as [`word_count`] counts them. It reads only as far as
/// the `n`th word: rules that ask this of whole paragraphs spent 3% of a `dossier summarize`
/// counting words past the point where the answer was known.
pub fn has_words(text: &str, n: usize) -> bool {
    count_words(text, n) >= n
}

/// Words counted up to `limit`.
fn count_words(text: &str, limit: usize) -> usize {
    // One pass over the characters (it runs several times per paragraph): a token is counted at
    // its first letter or digit.
    let mut count = 0;
    let mut counted = false;
    for c in text.chars() {
        if c.is_whitespace() {
            counted = false;
        } else if !counted && c.is_alphanumeric() {
            count += 1;
            if count == limit {
                break;
            }
            counted = true;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_abbreviations_and_hyphenated_names() {
        let w: Vec<String> = words("The U.S. troops left al-Muhandis's base, Iraq's capital.")
            .into_iter()
            .map(|w| w.lower)
            .collect();
        assert_eq!(
            w,
            [
                "the",
                "us",
                "troops",
                "left",
                "al-muhandis",
                "base",
                "iraq",
                "capital"
            ]
        );
    }

    #[test]
    fn stems_merge_inflections() {
        let a = words("withdrawals");
        let b = words("withdrawal");
        assert_eq!(a[0].stem, b[0].stem);
        assert!(words("The")[0].is_stopword());
        assert!(words("Baghdad")[0].capitalised);
    }

    #[test]
    fn counts_words_like_a_reader() {
        assert_eq!(
            word_count("\"This was a mistake,\" Milley told reporters - twice."),
            8
        );
        assert!(has_words("one two, three", 3));
        assert!(!has_words("one two, -", 3));
        assert!(has_words("", 0));
    }
}
