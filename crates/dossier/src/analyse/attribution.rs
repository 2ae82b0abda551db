//! Attribution in one text: who says what, as spans of the text (PolNeAR's source, cue and
//! content), for direct quotations and reported speech alike ("he said that …", "according to
//! X, …", "X believes …").
//!
//! **Cues** are words that a learnt lexicon ([`Cues`], made by `dossier-train quotes` from
//! PolNeAR's training documents) says mostly stand in an attribution's cue: the share of a
//! word's occurrences inside gold cues, kept when over a threshold chosen on training folds.
//! Adjacent cue words ("has said", "according to") make one cue. A cue inside a quotation is
//! the quoted speaker's, not the report's, and is not read.
//!
//! **Around a cue**, within its sentence (a sentence is never split inside a quotation, so a
//! quotation of several sentences stays whole, nor between a quoted question and its speaker:
//! `"…?" Biden said.`):
//! - the source is the subject before the cue (auxiliaries, adverbs and a time skipped: "X has
//!   long said", "X on Friday said"; a clause between commas skipped: "X, who …, said"; after a
//!   quotation, all the words up to the cue: `"…," X of the Y Center said`), else the words
//!   after it ("…," said parliament speaker X); after "according to" it is always the words
//!   after; a participle after a comma ("…, declaring …") takes its clause's subject; a cue
//!   whose words the lexicon saw mostly without a source ("seems to", "reportedly") has none;
//! - the content is a quotation right after the cue (`X said: "…"`), else the rest of the
//!   sentence after the cue and source; when the cue clause closes the sentence after a comma
//!   or a quotation (`"…," X said.`), the content is what comes before it, and both sides when
//!   it sits inside (`The plan, he said, will fail.`).
//!
//! **Quotations with no cue** in their sentence continue the last speaker named in the
//! paragraph or the one before it ("… ," he said. "…"), and have no source without one.
//! Two apostrophes ('') quote like a double mark, as some wire copy writes it.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

mod speaker;
pub use speaker::{Choice, SpeakerModel, FEATURES};

/// A character range of the text (Unicode code points, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub content: Span,
    pub source: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<Span>,
}

/// Counts of one word: occurrences inside gold cues, inside the cues of attributions that
/// name no source ("seems to", "is expected to", "reportedly"), and in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub cue: u32,
    #[serde(default)]
    pub bare: u32,
    pub all: u32,
}

/// The learnt cue lexicon: per lower-cased word, how often it stood in a gold cue; a word is a
/// cue when seen at least `min_count` times and in a cue at least `threshold` of them. The three
/// settings are chosen together on training folds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cues {
    pub threshold: f32,
    pub min_count: u32,
    /// Quotations with fewer words and no cue of their own are left out (terms, scare quotes).
    pub min_quote_words: u32,
    /// A cue holding a word whose cues named no source at least this share of the time names
    /// none either; None: cues always look for a source.
    #[serde(default)]
    pub bare_share: Option<f32>,
    pub words: HashMap<String, Count>,
}

/// The lexicon `dossier-train quotes` learnt from PolNeAR's training documents.
const SHIPPED: &str = include_str!("../../models/quote-cues.json");

impl Cues {
    /// The lexicon the library ships, read once.
    pub fn shipped() -> &'static Cues {
        static READ: std::sync::OnceLock<Cues> = std::sync::OnceLock::new();
        READ.get_or_init(|| {
            serde_json::from_str(SHIPPED).expect("the shipped cue lexicon is valid")
        })
    }

    pub fn is_cue(&self, word: &str) -> bool {
        self.words.get(word).is_some_and(|c| {
            c.all >= self.min_count && c.cue as f32 >= self.threshold * c.all as f32
        })
    }

    /// Whether a cue holding this word names no source.
    pub fn is_bare(&self, word: &str) -> bool {
        let (Some(share), Some(c)) = (self.bare_share, self.words.get(word)) else {
            return false;
        };
        c.cue >= self.min_count && c.bare as f32 >= share * c.cue as f32
    }

    /// Adds the counts of one annotated text: `cues` are byte ranges of its gold cue pieces,
    /// each marked true when its attribution names no source.
    pub fn count(&mut self, text: &str, cues: &[(usize, usize, bool)]) {
        for t in tokens(text) {
            if !t.word {
                continue;
            }
            let entry = self.words.entry(t.lower.clone()).or_default();
            entry.all += 1;
            let inside = cues.iter().find(|&&(a, b, _)| t.start >= a && t.end <= b);
            if let Some(&(_, _, bare)) = inside {
                entry.cue += 1;
                entry.bare += u32::from(bare);
            }
        }
    }
}

/// A token of the text: a word or one punctuation mark, with its byte range.
#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    lower: String,
    word: bool,
    upper: bool,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    // Two apostrophes stand for a double quotation mark in some wire copy (''Yes,'' he said).
    Regex::new(r"[\p{L}\p{N}]+(?:['’.\-&][\p{L}\p{N}]+)*|''|\S").expect("valid token pattern")
});

fn tokens(text: &str) -> Vec<Token> {
    TOKEN
        .find_iter(text)
        .map(|m| {
            let s = m.as_str();
            let first = s.chars().next().unwrap_or(' ');
            Token {
                start: m.start(),
                end: m.end(),
                lower: s.to_lowercase(),
                word: first.is_alphanumeric(),
                upper: first.is_uppercase(),
            }
        })
        .collect()
}

fn is_open_quote(t: &Token, next: Option<&Token>, prev: Option<&Token>) -> bool {
    match t.lower.as_str() {
        "“" | "«" => true,
        "\"" | "''" => {
            // A straight mark opens when a word follows it and no word touches it before.
            next.is_some_and(|n| n.start == t.end && n.word)
                && prev.is_none_or(|p| p.end < t.start || !p.word)
        }
        _ => false,
    }
}

fn is_close_quote(t: &Token) -> bool {
    matches!(t.lower.as_str(), "”" | "»" | "\"" | "''")
}

/// Quotations of a paragraph as inclusive token ranges, marks included.
fn quotations(toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for i in 0..toks.len() {
        let t = &toks[i];
        match open {
            None if is_open_quote(t, toks.get(i + 1), i.checked_sub(1).map(|p| &toks[p])) => {
                open = Some(i)
            }
            Some(o) if is_close_quote(t) => {
                out.push((o, i));
                open = None;
            }
            // A curly opening mark inside an open quotation: the earlier one was stray.
            Some(_) if matches!(t.lower.as_str(), "“" | "«") => open = Some(i),
            _ => {}
        }
    }
    out
}

/// Words before a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "st", "jr", "sr", "lt", "col", "sgt",
    "capt", "prof", "rev", "vs", "no", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc",
    "co", "corp", "u.s", "d.c",
];

/// Sentences of a paragraph as token ranges, never split inside a quotation.
fn sentences_of(toks: &[Token], quotes: &[(usize, usize)], cues: &Cues) -> Vec<(usize, usize)> {
    let inside = |i: usize| quotes.iter().any(|&(a, b)| i > a && i < b);
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..toks.len() {
        let closes_inside = quotes.iter().any(|&(_, b)| b == i + 1);
        if !matches!(toks[i].lower.as_str(), "." | "!" | "?") || inside(i) && !closes_inside {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        if toks[i].lower == "."
            && prev.is_some_and(|p| {
                ABBREVIATIONS.contains(&p.lower.as_str()) || (p.upper && p.end - p.start == 1)
            })
        {
            continue;
        }
        let mut end = i + 1;
        while toks.get(end).is_some_and(is_close_quote) && quotes.iter().any(|q| q.1 == end) {
            end += 1;
        }
        // A bracket or comma after the stop shows an abbreviation ("(D-Mo.), who said").
        let continues = |n: &Token| matches!(n.lower.as_str(), ")" | "]" | "," | ";" | ":");
        // `"…?" Biden said.`: a question or exclamation closing a quotation, then a name and a
        // cue, is one sentence with its attribution.
        let attributed = end > i + 1
            && matches!(toks[i].lower.as_str(), "?" | "!")
            && (end..toks.len().min(end + 6))
                .take_while(|&k| toks[k].word)
                .any(|k| !toks[k].upper && cues.is_cue(&toks[k].lower));
        if !attributed
            && toks
                .get(end)
                .is_none_or(|n| n.upper || !n.word && !continues(n))
        {
            out.push((start, end));
            start = end;
        }
    }
    if start < toks.len() {
        out.push((start, toks.len()));
    }
    out
}

/// Words between a subject and its cue that belong to neither ("has long said").
fn is_aside(t: &Token) -> bool {
    matches!(
        t.lower.as_str(),
        "has"
            | "have"
            | "had"
            | "also"
            | "would"
            | "will"
            | "did"
            | "does"
            | "do"
            | "not"
            | "n't"
            | "never"
            | "then"
            | "later"
            | "once"
            | "still"
            | "again"
            | "previously"
            | "recently"
            | "is"
            | "was"
            | "are"
            | "were"
            | "may"
            | "might"
            | "could"
            | "can"
    ) || (t.lower.ends_with("ly") && t.lower.len() > 4)
}

/// Words that end a subject going leftwards or a name going rightwards.
fn is_boundary(t: &Token) -> bool {
    !t.word && !matches!(t.lower.as_str(), "'" | "’" | "." | "-" | "(" | ")") && t.lower != "’s"
        || matches!(
            t.lower.as_str(),
            "that"
                | "and"
                | "but"
                | "which"
                | "who"
                | "when"
                | "as"
                | "because"
                | "if"
                | "while"
                | "after"
                | "before"
                | "since"
                | "so"
                | "where"
                | "although"
                | "though"
                | "in"
                | "on"
                | "at"
                | "during"
                | "to"
                | "about"
                | "with"
                | "for"
                | "than"
        )
}

/// The most words a source spans.
const MAX_SOURCE: usize = 12;

/// Token index ranges (end exclusive) found for one attribution.
struct Found {
    content: Vec<(usize, usize)>,
    source: Option<(usize, usize)>,
    cue: Option<(usize, usize)>,
}

/// What the rules read in one text, by token index.
struct Read {
    toks: Vec<Token>,
    found: Vec<Found>,
    /// Sentences as token ranges, with the index of their paragraph.
    sentences: Vec<(usize, usize, usize)>,
    quotes: Vec<(usize, usize)>,
}

/// The attributions of `text`, in text order, with character offsets; the speakers of direct
/// quotations chosen by the shipped [`SpeakerModel`].
pub fn attributions(text: &str, cues: &Cues) -> Vec<Attribution> {
    attributions_with(text, cues, SpeakerModel::shipped())
}

/// [`attributions`] with the speakers of direct quotations chosen by `model`.
pub fn attributions_with(text: &str, cues: &Cues, model: &SpeakerModel) -> Vec<Attribution> {
    let mut read = read(text, cues);
    let chosen: Vec<(usize, Option<(usize, usize)>)> = speaker::candidates(&read, cues)
        .into_iter()
        .map(|(k, candidates)| (k, model.choose(&candidates)))
        .collect();
    for (k, source) in chosen {
        read.found[k].source = source;
    }
    spans(text, &read)
}

/// The direct quotations of `text` with the candidate speakers the model chooses among.
pub fn speaker_choices(text: &str, cues: &Cues) -> Vec<Choice> {
    let read = read(text, cues);
    let chars = char_offsets(text);
    let span = |(a, b): (usize, usize)| Span {
        start: chars[read.toks[a].start],
        end: chars[read.toks[b - 1].end],
    };
    speaker::candidates(&read, cues)
        .into_iter()
        .map(|(k, candidates)| Choice {
            content: span(content_range(&read.found[k])),
            candidates: candidates
                .into_iter()
                .map(|c| (c.span.map(span), c.features))
                .collect(),
        })
        .collect()
}

/// The rules' attributions of `text`, paragraph by paragraph, sentence by sentence.
fn read(text: &str, cues: &Cues) -> Read {
    let toks = tokens(text);
    let mut found: Vec<Found> = Vec::new();
    let mut sentences = Vec::new();
    let mut all_quotes = Vec::new();
    let mut reach = 0;
    // The subject of the sentence just before, when it attributed nothing ("Dianne Bystrom
    // agreed."): a quotation that follows with no cue is most likely theirs.
    let mut subject: Option<(usize, usize)> = None;
    for (n, (p0, p1)) in paragraphs(text, &toks).into_iter().enumerate() {
        let quotes: Vec<(usize, usize)> = quotations(&toks[p0..p1])
            .into_iter()
            .map(|(a, b)| (a + p0, b + p0))
            .collect();
        let local: Vec<(usize, usize)> = quotes.iter().map(|&(a, b)| (a - p0, b - p0)).collect();
        let before = found.len();
        for (s0, s1) in sentences_of(&toks[p0..p1], &local, cues) {
            // The last speaker named; an attribution without one ("when asked") does not
            // stand between a quotation and the speaker it goes on with.
            let earlier = subject.or_else(|| found[reach..].iter().rev().find_map(|f| f.source));
            let here = in_sentence(&toks, &quotes, (s0 + p0, s1 + p0), cues, earlier);
            subject = here
                .is_empty()
                .then(|| leading_name(&toks, s0 + p0, s1 + p0))
                .flatten();
            found.extend(here);
            sentences.push((s0 + p0, s1 + p0, n));
        }
        reach = before;
        all_quotes.extend(quotes);
    }
    Read {
        toks,
        found,
        sentences,
        quotes: all_quotes,
    }
}

/// The token range from the first piece of an attribution's content to the end of its last.
fn content_range(f: &Found) -> (usize, usize) {
    let first = f.content.first().map_or(0, |c| c.0);
    let last = f.content.last().map_or(0, |c| c.1);
    (first, last)
}

/// The attributions read, with character offsets.
fn spans(text: &str, read: &Read) -> Vec<Attribution> {
    let chars = char_offsets(text);
    let span = |(a, b): (usize, usize)| Span {
        start: chars[read.toks[a].start],
        end: chars[read.toks[b - 1].end],
    };
    read.found
        .iter()
        .map(|f| Attribution {
            content: span(content_range(f)),
            source: f.source.map(span),
            cue: f.cue.map(span),
        })
        .collect()
}

/// The attributions of one sentence of a paragraph (token ranges of `toks`): one per cue, then
/// one per quotation no cue's content holds, of at least the lexicon's `min_quote_words` words.
/// `earlier`: the source of the last attribution of this paragraph or the one before.
fn in_sentence(
    toks: &[Token],
    quotes: &[(usize, usize)],
    sentence: (usize, usize),
    cues: &Cues,
    earlier: Option<(usize, usize)>,
) -> Vec<Found> {
    let mut here = by_cue(toks, quotes, sentence, cues);
    let unclaimed = unclaimed_quotations(toks, quotes, sentence, cues, &here, earlier);
    here.extend(unclaimed);
    here.sort_by_key(|f| f.content.first().map_or(0, |c| c.0));
    here
}

/// The cues of a sentence outside its quotations, as token ranges: a run of cue words, with
/// the "to" of "went on to say".
fn cue_marks(
    toks: &[Token],
    quotes: &[(usize, usize)],
    (s0, s1): (usize, usize),
    cues: &Cues,
) -> Vec<(usize, usize)> {
    let mut marks = Vec::new();
    let mut i = s0;
    while i < s1 {
        let in_quote = quotes.iter().any(|&(a, b)| i > a && i < b);
        if in_quote || !toks[i].word || !cues.is_cue(&toks[i].lower) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < s1 && toks[j].word && (cues.is_cue(&toks[j].lower) || toks[j].lower == "to") {
            j += 1;
        }
        marks.push((i, j));
        i = j;
    }
    marks
}

/// One attribution per cue of the sentence, where its content and source are found.
fn by_cue(
    toks: &[Token],
    quotes: &[(usize, usize)],
    (s0, s1): (usize, usize),
    cues: &Cues,
) -> Vec<Found> {
    let marks = cue_marks(toks, quotes, (s0, s1), cues);
    let mut here: Vec<Found> = Vec::new();
    for (k, &cue) in marks.iter().enumerate() {
        // The content after a cue stops where the next attribution's clause begins
        // ("X said A, and Y vowed B").
        let limit = marks
            .get(k + 1)
            .map(|next| subject_start(toks, s0, next.0))
            .filter(|&at| at > cue.1 && at > s0 && is_coordination(&toks[at - 1]))
            .unwrap_or(s1);
        let previous = here.last().and_then(|f| f.source);
        let bare = (cue.0..cue.1).any(|i| cues.is_bare(&toks[i].lower));
        if let Some(f) = around(toks, quotes, (s0, s1), limit, cue, previous, bare) {
            here.push(f);
        }
    }
    here
}

/// The quotations of the sentence that no cue's content holds, long enough to count, each
/// given the speaker the sentence names around it or else `earlier`.
fn unclaimed_quotations(
    toks: &[Token],
    quotes: &[(usize, usize)],
    (s0, s1): (usize, usize),
    cues: &Cues,
    by_cue: &[Found],
    earlier: Option<(usize, usize)>,
) -> Vec<Found> {
    let held = |a: usize, b: usize| {
        by_cue
            .iter()
            .any(|f| f.content.iter().any(|&(c0, c1)| c0 <= a && b < c1))
    };
    let long_enough = |a: usize, b: usize| {
        toks[a..=b].iter().filter(|t| t.word).count() >= cues.min_quote_words as usize
    };
    quotes
        .iter()
        .filter(|&&(a, b)| a >= s0 && b < s1 && !held(a, b) && long_enough(a, b))
        .map(|&(a, b)| Found {
            content: vec![(a, b + 1)],
            source: introduced(toks, s0, a)
                .or_else(|| named_after(toks, b + 1, s1))
                .or_else(|| (a > s0).then(|| leading_name(toks, s0, a)).flatten())
                .or(earlier),
            cue: None,
        })
        .collect()
}

/// `X: "…"`: the name before a colon that introduces the quotation opening at `at`, when it is
/// all the sentence holds before it.
fn introduced(toks: &[Token], s0: usize, at: usize) -> Option<(usize, usize)> {
    let colon = at
        .checked_sub(1)
        .filter(|&c| c >= s0 && toks[c].lower == ":")?;
    let start = noun_phrase_start(toks, s0, colon);
    (start == s0 && start < colon).then_some((start, colon))
}

/// `"…," Trump answered.` / `"…," answered Trump.`: a name or pronoun and one lower-case word
/// (a verb the lexicon does not know), in either order, as all the clause after a quotation
/// that ends at `at` and hands over to it with a comma, question or exclamation mark.
fn named_after(toks: &[Token], at: usize, s1: usize) -> Option<(usize, usize)> {
    let hands_over = at >= 2 && matches!(toks[at - 2].lower.as_str(), "," | "?" | "!");
    if !hands_over || at + 1 >= s1 {
        return None;
    }
    let ends = |k: usize| k >= s1 || matches!(toks[k].lower.as_str(), "." | "," | "!" | "?");
    let name_end = |from: usize| {
        if matches!(toks[from].lower.as_str(), "he" | "she" | "they") {
            return from + 1;
        }
        let mut k = from;
        let initial = |k: usize| toks[k].lower == "." && toks.get(k + 1).is_some_and(|t| t.upper);
        while k < s1 && (toks[k].upper || initial(k)) {
            k += 1;
        }
        k
    };
    let verb = |k: usize| k < s1 && toks[k].word && !toks[k].upper;
    let n = name_end(at);
    if n > at && verb(n) && ends(n + 1) {
        return Some((at, n));
    }
    let n = name_end(at + 1);
    (verb(at) && n > at + 1 && ends(n)).then_some((at + 1, n))
}

/// The subject a sentence opens with, when it is capitalised words before a lower-case word
/// ("But Senator Ann Lee called it …", "In Ohio, Lee called it …"), before `to`.
fn leading_name(toks: &[Token], s0: usize, to: usize) -> Option<(usize, usize)> {
    let mut a = s0;
    while a < to
        && matches!(
            toks[a].lower.as_str(),
            "but" | "and" | "so" | "yet" | "still"
        )
    {
        a += 1;
    }
    let name = |a: usize| {
        let mut b = a;
        while b < to
            && (toks[b].upper || matches!(toks[b].lower.as_str(), "." | "(" | ")") && b > a)
        {
            b += 1;
        }
        let verb_follows = toks.get(b).is_some_and(|t| t.word && !t.upper);
        (b > a && verb_follows).then_some((a, b))
    };
    // Else after an opening phrase set off by a comma ("In an interview on Fox, …").
    name(a).or_else(|| {
        let comma = (a..to.min(a + 10)).find(|&k| toks[k].lower == ",")?;
        name(comma + 1)
    })
}

/// Where the subject of the cue at `cue` begins: back over asides, then over the noun phrase.
fn subject_start(toks: &[Token], s0: usize, cue: usize) -> usize {
    noun_phrase_start(toks, s0, subject_end(toks, s0, cue))
}

/// Where the subject of the cue at `cue` ends: back over asides ("has long said") and a time
/// between subject and verb ("Beck on Wednesday called", "Trump at the time said").
fn subject_end(toks: &[Token], s0: usize, cue: usize) -> usize {
    let mut k = cue;
    loop {
        while k > s0 && toks[k - 1].word && is_aside(&toks[k - 1]) {
            k -= 1;
        }
        let mut t = k;
        while t > s0 && (is_time_word(&toks[t - 1]) || toks[t - 1].lower == "the") {
            t -= 1;
        }
        if !(t..k).any(|i| is_time_word(&toks[i])) {
            return k;
        }
        if t > s0 && matches!(toks[t - 1].lower.as_str(), "on" | "at" | "in" | "during") {
            t -= 1;
        }
        k = t;
    }
}

fn is_time_word(t: &Token) -> bool {
    const WHEN: &[&str] = &[
        "today",
        "yesterday",
        "tonight",
        "time",
        "past",
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "weekend",
        "month",
        "year",
        "earlier",
        "last",
        "this",
    ];
    WHEN.contains(&t.lower.as_str())
        || crate::text::WEEKDAYS
            .iter()
            .any(|day| day.eq_ignore_ascii_case(&t.lower))
}

/// The first token of the noun phrase that ends just before `end`.
fn noun_phrase_start(toks: &[Token], s0: usize, end: usize) -> usize {
    let mut j = end;
    while j > s0 && end - j < MAX_SOURCE && !is_boundary(&toks[j - 1]) {
        j -= 1;
    }
    j
}

fn is_coordination(t: &Token) -> bool {
    matches!(
        t.lower.as_str(),
        "," | ";" | "and" | "but" | "while" | "whereas" | "—" | "–"
    )
}

/// Paragraphs (lines) as token ranges.
fn paragraphs(text: &str, toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..toks.len() {
        if text[toks[i - 1].end..toks[i].start].contains('\n') {
            out.push((start, i));
            start = i;
        }
    }
    if start < toks.len() {
        out.push((start, toks.len()));
    }
    out
}

/// The source and content around cue `cue` of sentence `sentence` (token ranges of `toks`);
/// content after the cue ends by `limit`. `previous`: the source of the sentence's attribution
/// before, which a participle ("…, adding that …") goes on with. `bare`: the cue names no
/// source ("seems to", "reportedly"), though its subject still bounds the content.
fn around(
    toks: &[Token],
    quotes: &[(usize, usize)],
    (s0, s1): (usize, usize),
    limit: usize,
    cue: (usize, usize),
    previous: Option<(usize, usize)>,
    bare: bool,
) -> Option<Found> {
    let according = toks[cue.0].lower == "according";
    let mut end = s1.min(limit);
    while end > cue.1 && matches!(toks[end - 1].lower.as_str(), "." | "!" | "?" | "," | ";") {
        end -= 1;
    }
    let at = CueAt {
        toks,
        quotes,
        s0,
        end,
        cue,
        according,
        participle: toks[cue.0].lower.ends_with("ing") && !according,
    };
    let (right, inverted) = at.name_after();
    let source = at.source(at.subject_before(previous), right, previous);
    let content = at.content(source, inverted)?;
    Some(Found {
        content,
        source: source.filter(|_| !bare),
        cue: Some(cue),
    })
}

/// One cue in its sentence, as [`around`] reads it: the sentence starts at `s0`, the content
/// after the cue ends by `end`.
struct CueAt<'a> {
    toks: &'a [Token],
    quotes: &'a [(usize, usize)],
    s0: usize,
    end: usize,
    cue: (usize, usize),
    according: bool,
    participle: bool,
}

impl CueAt<'_> {
    /// The subject before the cue: a relative pronoun, the noun phrase (or all the words after a
    /// quotation), the name before a parenthetical, or the subject of an earlier verb.
    fn subject_before(&self, previous: Option<(usize, usize)>) -> Option<(usize, usize)> {
        let (toks, s0) = (self.toks, self.s0);
        let subject_end = subject_end(toks, s0, self.cue.0);
        let j = after_quotation(toks, self.quotes, s0, subject_end)
            .unwrap_or_else(|| noun_phrase_start(toks, s0, subject_end));
        let word_before = subject_end
            .checked_sub(1)
            .filter(|&k| k >= s0)
            .map(|k| toks[k].lower.as_str());
        // "…, who said": the relative pronoun is the subject as written.
        let left = if matches!(word_before, Some("who" | "which" | "that")) {
            Some((subject_end - 1, subject_end))
        } else if j < subject_end {
            Some((j, subject_end))
        } else {
            parenthetical(toks, self.quotes, s0, subject_end)
        };
        left.filter(|_| !self.according)
            .or_else(|| match word_before {
                // "He went on to say …": the subject of the verb before the infinitive.
                Some("to") => leading_name(toks, s0, subject_end - 1),
                // "She greeted supporters and told them …": the subject of the first verb.
                Some("and" | "but") => previous.or_else(|| leading_name(toks, s0, subject_end - 1)),
                _ => None,
            })
    }

    /// The name after the cue ("said X", "according to X"), when it closes the clause or
    /// follows a quotation, and whether the cue follows a quotation (`"…," said X`).
    fn name_after(&self) -> (Option<(usize, usize)>, bool) {
        let (toks, cue, end) = (self.toks, self.cue, self.end);
        let mut r = cue.1;
        while r < end && r - cue.1 < MAX_SOURCE && !is_boundary(&toks[r]) {
            r += 1;
        }
        // Outside "according to", a name after the cue closes its clause ("…," said X.), it
        // does not begin the reported clause ("said he was …").
        let closes = r == end || matches!(toks[r].lower.as_str(), "," | ";" | "." | "—" | "–");
        let mut k = cue.0;
        while k > self.s0 && toks[k - 1].lower == "," {
            k -= 1;
        }
        let inverted = closes_quote(self.quotes, k);
        let right = (r > cue.1 && (self.according || closes || inverted)).then_some((cue.1, r));
        (right, inverted)
    }

    /// The source among the subject before and the name after the cue.
    fn source(
        &self,
        left: Option<(usize, usize)>,
        right: Option<(usize, usize)>,
        previous: Option<(usize, usize)>,
    ) -> Option<(usize, usize)> {
        let (toks, s0, cue) = (self.toks, self.s0, self.cue);
        if self.according {
            return right;
        }
        if !self.participle {
            return left.or(right);
        }
        let after_link = cue.0 > s0
            && matches!(
                toks[cue.0 - 1].lower.as_str(),
                "," | "of" | "by" | "after" | "before" | "without" | "while" | "for" | "from"
            );
        if after_link {
            // "Clinton celebrated with supporters, declaring …", "She followed that by saying
            // …": the clause's subject, not the words before the comma or preposition.
            previous.or_else(|| leading_name(toks, s0, cue.0))
        } else {
            left.or(previous).or_else(|| leading_name(toks, s0, cue.0))
        }
    }

    /// The content: the words after the cue clause, those before it when the clause closes the
    /// sentence or sits between commas inside it or follows a quotation, or both.
    fn content(
        &self,
        source: Option<(usize, usize)>,
        inverted: bool,
    ) -> Option<Vec<(usize, usize)>> {
        let (toks, quotes, s0, end, cue) = (self.toks, self.quotes, self.s0, self.end, self.cue);
        let clause_start = source.map_or(cue.0, |s| s.0.min(cue.0));
        let clause_end = match source {
            Some(s) if s.1 > cue.1 && s.0 >= cue.1 => s.1,
            _ => cue.1,
        };
        // What precedes the clause, without the comma or colon joining them.
        let mut before_end = clause_start;
        while before_end > s0 && is_joint(&toks[before_end - 1]) {
            before_end -= 1;
        }
        let joined_before = before_end < clause_start || closes_quote(quotes, clause_start);
        let mut after_start = clause_end;
        while after_start < end && is_joint(&toks[after_start]) {
            after_start += 1;
        }
        let after = (after_start < end).then_some((after_start, end));
        let closing =
            after.is_none() || after_start > clause_end || closes_quote(quotes, clause_start);
        let before =
            (before_end > s0 && (joined_before && closing || self.according) && !self.participle)
                .then_some((s0, before_end));
        // `"…," said X, a Y`: after a quotation and its speaker comes the speaker's appositive.
        let appositive = inverted && source.is_some_and(|s| s.0 >= cue.1);
        match (before, after) {
            (Some(b), Some(a)) if after_start > clause_end && !appositive => Some(vec![b, a]),
            (Some(b), _) => Some(vec![b]),
            (None, Some(a)) => Some(vec![quote_at(quotes, a).unwrap_or(a)]),
            (None, None) => None,
        }
    }
}

/// A comma, colon or dash joining a cue clause to its content.
fn is_joint(t: &Token) -> bool {
    matches!(t.lower.as_str(), "," | ":" | "—" | "–")
}

/// The most tokens between the commas of a parenthetical after a subject.
const MAX_PARENTHETICAL: usize = 30;

/// The subject before words set off by commas right before the cue at `end`, when the
/// subject opens its clause: `"…," Graham, a former candidate, told …` keeps the appositive
/// (a noun phrase) with the name; `Trump, who has told aides …, said` and `De Blasio, speaking
/// on WOR710, called` leave the clause out.
fn parenthetical(
    toks: &[Token],
    quotes: &[(usize, usize)],
    s0: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let comma = end
        .checked_sub(1)
        .filter(|&c| c > s0 && toks[c].lower == ",")?;
    let inner = noun_phrase_start(toks, s0, comma);
    // The opening comma: the nearest one before, not inside a quotation.
    let open = (comma.saturating_sub(MAX_PARENTHETICAL).max(s0 + 1)..comma)
        .rev()
        .take_while(|&k| !quotes.iter().any(|&(_, b)| b == k))
        .find(|&k| toks[k].lower == ",");
    if let Some(open) = open {
        let name = noun_phrase_start(toks, s0, open);
        let opens_clause =
            name == s0 || closes_quote(quotes, name) || (name > s0 && toks[name - 1].lower == ",");
        if name < open && opens_clause {
            let appositive = inner == open + 1 && inner < comma;
            return Some((name, if appositive { comma } else { open }));
        }
    }
    // "…, Jim Poolman, said": at least the name before the comma.
    (inner < comma && !closes_quote(quotes, inner)).then_some((inner, comma))
}

/// `"…," Jeffrey Lewis of the James Martin Center said`: after a quotation that hands over to
/// its attribution (it ends with a comma, question or exclamation mark), the words up to the
/// cue are its speaker, prepositions and all. The start of those words, when so.
fn after_quotation(
    toks: &[Token],
    quotes: &[(usize, usize)],
    s0: usize,
    end: usize,
) -> Option<usize> {
    let start = (s0..end).rev().find(|&k| closes_quote(quotes, k))?;
    let hands_over = toks
        .get(start.checked_sub(2)?)
        .is_some_and(|t| matches!(t.lower.as_str(), "," | "?" | "!"));
    let plain = toks[start..end]
        .iter()
        .all(|t| t.word || matches!(t.lower.as_str(), "." | "(" | ")" | "'" | "’"));
    (hands_over && plain && toks[start].upper && end - start <= MAX_SOURCE + 6).then_some(start)
}

/// Whether a quotation closes right before token `at`.
fn closes_quote(quotes: &[(usize, usize)], at: usize) -> bool {
    quotes.iter().any(|&(_, b)| b + 1 == at)
}

/// The quotation that the range opens with, when it is all the range holds.
fn quote_at(quotes: &[(usize, usize)], (a, b): (usize, usize)) -> Option<(usize, usize)> {
    quotes
        .iter()
        .find(|&&(q0, q1)| q0 == a && q1 + 1 >= b.saturating_sub(1))
        .map(|&(q0, q1)| (q0, q1 + 1))
}

/// The character offset of every byte offset that starts a character, and of the end.
fn char_offsets(text: &str) -> Vec<usize> {
    let mut out = vec![0; text.len() + 1];
    let mut n = 0;
    for (at, c) in text.char_indices() {
        for b in 0..c.len_utf8() {
            out[at + b] = n;
        }
        n += 1;
    }
    out[text.len()] = n;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (content, source) of each attribution the shipped lexicon finds, as text.
    fn found(text: &str) -> Vec<(String, Option<String>)> {
        let chars: Vec<char> = text.chars().collect();
        let cut = |s: Span| chars[s.start..s.end].iter().collect::<String>();
        attributions(text, Cues::shipped())
            .into_iter()
            .map(|a| (cut(a.content), a.source.map(cut)))
            .collect()
    }

    fn pair(content: &str, source: Option<&str>) -> (String, Option<String>) {
        (content.to_string(), source.map(str::to_string))
    }

    #[test]
    fn the_speaker_after_the_quotation_with_a_lower_case_title() {
        assert_eq!(
            found("\"The vote will be held on Friday,\" said parliament speaker Apostolos Kaklamanis."),
            [pair(
                "\"The vote will be held on Friday,\"",
                Some("parliament speaker Apostolos Kaklamanis")
            )]
        );
    }

    #[test]
    fn reported_speech_and_according_to() {
        assert_eq!(
            found("Ann Lee said that the talks would resume next week."),
            [pair(
                "that the talks would resume next week",
                Some("Ann Lee")
            )]
        );
        assert_eq!(
            found("According to the election commission, turnout fell to 41 percent."),
            [pair(
                "turnout fell to 41 percent",
                Some("the election commission")
            )]
        );
    }

    #[test]
    fn an_appositive_between_the_quotation_and_the_cue() {
        let got = found("“Ted Cruz is not my favorite by any means,” Graham, a former candidate, told CBS News.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("Graham, a former candidate"));
    }

    #[test]
    fn a_quotation_without_a_cue_goes_on_with_the_last_speaker() {
        let got = found(
            "“We came here in peace,” she said.\n“We leave in peace, and we will not come back.”",
        );
        assert_eq!(
            got,
            [
                pair("“We came here in peace,”", Some("she")),
                pair(
                    "“We leave in peace, and we will not come back.”",
                    Some("she")
                ),
            ]
        );
    }

    #[test]
    fn the_subject_before_a_clause_set_off_by_commas_or_a_time() {
        let sources = |text: &str| -> Vec<Option<String>> {
            found(text).into_iter().map(|(_, s)| s).collect()
        };
        // The relative clause is an attribution of its own, its source "who".
        assert_eq!(
            sources("Trump, who has told aides he sees the issues as connected, said the ban would stay."),
            [Some("who".to_string()), Some("Trump".to_string())]
        );
        assert_eq!(
            sources(
                "Sen. Claire McCaskill (D-Mo.), speaking on the radio, said the vote was close."
            ),
            [Some("Sen. Claire McCaskill (D-Mo.)".to_string())]
        );
        assert_eq!(
            sources("Beck on Wednesday called him \"a horrible human being.\""),
            [Some("Beck".to_string())]
        );
    }

    #[test]
    fn a_long_speaker_phrase_after_a_quotation() {
        let got = found("\"It would be a stretch for them,\" Jeffrey Lewis of the Center for Nonproliferation Studies said.");
        assert_eq!(
            got,
            [pair(
                "\"It would be a stretch for them,\"",
                Some("Jeffrey Lewis of the Center for Nonproliferation Studies")
            )]
        );
    }

    #[test]
    fn a_participle_after_a_comma_takes_the_clauses_subject() {
        let got = found("Clinton celebrated in Florida with supporters, declaring it \"another super Tuesday for our campaign.\"");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("Clinton"));
    }

    #[test]
    fn a_participle_after_a_preposition_takes_the_clauses_subject() {
        let got = found("She followed that by saying, \"I am not a natural politician.\"");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("She"));
    }

    #[test]
    fn cues_that_name_no_source() {
        let got = found("Hizbollah seems unlikely to want to take on Israel again.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, None);
    }

    #[test]
    fn two_apostrophes_quote_like_a_double_mark() {
        assert_eq!(
            found("''The clock is ticking,'' said Kevin Hecht, a tunneling expert."),
            [pair("''The clock is ticking,''", Some("Kevin Hecht"))]
        );
    }

    #[test]
    fn a_question_quoted_then_its_speaker() {
        let got = found("“Does he not understand what we wrote?” Biden said. Nobody answered.");
        assert_eq!(
            got,
            [pair(
                "“Does he not understand what we wrote?”",
                Some("Biden")
            )]
        );
    }

    #[test]
    fn a_name_and_an_unknown_verb_after_a_quotation() {
        let got = found("“I would say this,” Trump answered.");
        assert_eq!(got, [pair("“I would say this,”", Some("Trump"))]);
    }

    #[test]
    fn a_quotation_after_a_sentence_that_names_its_speaker() {
        let got = found("\"We won,\" said Craig Robinson.\nDianne Bystrom agreed. \"Mainstream Republicans are running out of time.\"");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1.as_deref(), Some("Dianne Bystrom"));
    }

    #[test]
    fn the_subject_of_the_verb_before_an_infinitive_cue() {
        let got = found("He went on to say her behavior is “very different from a mistake.”");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("He"));
    }

    #[test]
    fn the_learnt_choice_names_the_speaker_of_an_opening_participle() {
        let text = "Remarking upon the governor's \"quiet courage,\" Ortiz said, \"Whatever you think of her politics, she never once backed down.\"";
        let source_of = |model: &SpeakerModel| -> Vec<Option<String>> {
            let chars: Vec<char> = text.chars().collect();
            attributions_with(text, Cues::shipped(), model)
                .into_iter()
                .map(|a| a.source.map(|s| chars[s.start..s.end].iter().collect()))
                .collect()
        };
        // The rules give "Remarking" no subject; the learnt ranking takes the name of its
        // sentence, the one subject of a cue there.
        assert_eq!(
            source_of(&SpeakerModel::rules()),
            [Some("Ortiz".to_string()), None]
        );
        assert_eq!(
            source_of(SpeakerModel::shipped()),
            [Some("Ortiz".to_string()), Some("Ortiz".to_string())]
        );
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "Zoë Müller said: “The count is final.”";
        let a = &attributions(text, Cues::shipped())[0];
        assert_eq!(a.source, Some(Span { start: 0, end: 10 }));
        assert_eq!(a.content, Span { start: 17, end: 38 });
        assert_eq!(text.chars().count(), 38);
    }
}
