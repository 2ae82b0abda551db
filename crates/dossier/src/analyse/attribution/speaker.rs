//! The speaker of a direct quotation, chosen by a learnt ranking among candidates: the rules'
//! choice, no speaker, and every name (a run of capitalised words) or personal pronoun outside
//! quotations in the quotation's sentence and the two before it, and the sources the rules
//! gave there. Each candidate is described by general features (how far, on which side, in
//! which sentence, a name or a pronoun, the subject of a cue or named right after one, the
//! last speaker, how often named before); a linear score over them, learnt by
//! `dossier-train quote-speakers` on PolNeAR's `train` documents, picks the highest. With a
//! weight on the rules' choice only, this is the rules' answer.

use super::{content_range, is_aside, Cues, Read, Span, Token};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The features of a candidate, in the order of the weights.
pub const FEATURES: &[&str] = &[
    "rules_choice",
    "overlaps_rules_choice",
    "rules_have_none_this_is_one",
    "none",
    "none_with_cue",
    "pronoun",
    "name",
    "same_sentence",
    "sentence_before_same_paragraph",
    "earlier_paragraph",
    "after_quotation",
    "log_distance",
    "subject_of_cue",
    "after_cue",
    "last_speaker",
    "opens_sentence",
    "log_words",
    "quotation_between",
    "nearest_before",
    "nearest_after",
    "log_times_named_before",
    "rules_source",
];

/// A learnt linear score over [`FEATURES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerModel {
    pub features: Vec<String>,
    pub weights: Vec<f32>,
}

/// A direct quotation's content and its candidate speakers with their features (None: no
/// speaker).
#[derive(Debug, Clone)]
pub struct Choice {
    pub content: Span,
    pub candidates: Vec<(Option<Span>, Vec<f32>)>,
}

/// The model `dossier-train quote-speakers` learnt from PolNeAR's training documents.
const SHIPPED: &str = include_str!("../../../models/quote-speakers.json");

impl SpeakerModel {
    /// The model the library ships, read once.
    pub fn shipped() -> &'static SpeakerModel {
        static READ: std::sync::OnceLock<SpeakerModel> = std::sync::OnceLock::new();
        READ.get_or_init(|| {
            let model: SpeakerModel =
                serde_json::from_str(SHIPPED).expect("the shipped speaker model is valid");
            assert_eq!(
                model.features, FEATURES,
                "the shipped speaker model's features"
            );
            model
        })
    }

    /// The rules alone: all weight on their choice.
    pub fn rules() -> SpeakerModel {
        let mut weights = vec![0.0; FEATURES.len()];
        weights[0] = 1.0;
        SpeakerModel {
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            weights,
        }
    }

    pub fn score(&self, features: &[f32]) -> f32 {
        self.weights.iter().zip(features).map(|(w, x)| w * x).sum()
    }

    /// The best-scored candidate's span (the first of equals: the rules' choice).
    pub(super) fn choose(&self, candidates: &[Candidate]) -> Option<(usize, usize)> {
        let mut best: Option<(f32, &Candidate)> = None;
        for c in candidates {
            let s = self.score(&c.features);
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, c));
            }
        }
        best.and_then(|(_, c)| c.span)
    }
}

/// A candidate speaker as a token range (None: no speaker), with its features.
pub(super) struct Candidate {
    pub span: Option<(usize, usize)>,
    pub features: Vec<f32>,
}

/// Where a direct quotation stands: its quotation and sentence (indices into `Read`).
struct Place {
    quote: (usize, usize),
    sentence: usize,
}

/// The candidates of each attribution whose content holds a quotation, by index in `read.found`;
/// the rules' choice comes first.
pub(super) fn candidates(read: &Read, cues: &Cues) -> Vec<(usize, Vec<Candidate>)> {
    let places: Vec<(usize, Place)> = (read.found.iter().enumerate())
        .filter_map(|(k, f)| Some((k, place(read, content_range(f))?)))
        .collect();
    if places.is_empty() {
        return Vec::new();
    }
    let words = Words::of(read);
    let mut out = Vec::new();
    for (k, place) in places {
        let spans = spans(read, k, &place, &words);
        let features =
            |span: Option<(usize, usize)>| features(read, cues, &words, (k, &place), span, &spans);
        let candidates = spans
            .iter()
            .map(|&span| Candidate {
                span,
                features: features(span),
            })
            .collect();
        out.push((k, candidates));
    }
    out
}

/// Where each capitalised word of a text stands, which tokens are quoted, and the tokens.
struct Words<'a> {
    toks: &'a [Token],
    at: HashMap<&'a str, Vec<usize>>,
    quoted: Vec<bool>,
}

impl<'a> Words<'a> {
    fn of(read: &'a Read) -> Self {
        let toks = &read.toks;
        let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in toks.iter().enumerate().filter(|(_, t)| t.word && t.upper) {
            at.entry(&t.lower).or_default().push(i);
        }
        let mut quoted = vec![false; toks.len()];
        for &(a, b) in &read.quotes {
            quoted[a..=b].fill(true);
        }
        Words { toks, at, quoted }
    }

    /// How many times the capitalised word stands before token `before`.
    fn times_before(&self, word: &str, before: usize) -> usize {
        self.at
            .get(word)
            .map_or(0, |at| at.partition_point(|&i| i < before))
    }

    /// Whether the text also writes the word in lower case ("The" and "the").
    fn in_lower_case(&self, word: &str) -> bool {
        self.toks
            .iter()
            .any(|t| t.word && !t.upper && t.lower == word)
    }
}

fn place(read: &Read, (c0, c1): (usize, usize)) -> Option<Place> {
    let &quote = read.quotes.iter().find(|&&(a, b)| a >= c0 && b < c1)?;
    let sentence = read
        .sentences
        .iter()
        .position(|&(s0, s1, _)| s0 <= quote.0 && quote.0 < s1)?;
    Some(Place { quote, sentence })
}

/// The rules' choice, no speaker, then names, pronouns and the rules' sources of the window.
fn spans(read: &Read, k: usize, place: &Place, words: &Words) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![read.found[k].source, None];
    let (w0, w1) = window(read, place);
    let mut i = w0;
    while i < w1 {
        if words.quoted[i] || !read.toks[i].word {
            i += 1;
            continue;
        }
        if is_pronoun(&read.toks[i]) {
            out.push(Some((i, i + 1)));
        } else if read.toks[i].upper {
            let end = name_end(&read.toks, i, w1);
            // A sentence's opening word that the text also writes in lower case ("The", "But")
            // is not part of a name.
            let opens = read.sentences.iter().any(|s| s.0 == i);
            let start = if opens && words.in_lower_case(&read.toks[i].lower) {
                i + 1
            } else {
                i
            };
            if start < end {
                out.push(Some((start, end)));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    for f in &read.found[..k] {
        if let Some(s) = f.source.filter(|s| s.0 >= w0 && s.1 <= w1) {
            out.push(Some(s));
        }
    }
    let mut seen = HashSet::new();
    out.retain(|s| seen.insert(*s));
    out
}

/// The tokens of the quotation's sentence and the two before it.
fn window(read: &Read, place: &Place) -> (usize, usize) {
    let first = place.sentence.saturating_sub(2);
    (read.sentences[first].0, read.sentences[place.sentence].1)
}

fn is_pronoun(t: &Token) -> bool {
    matches!(t.lower.as_str(), "he" | "she" | "they" | "we" | "i")
}

/// The end of the capitalised words from `i` (initials and "Jr." held in).
fn name_end(toks: &[Token], i: usize, to: usize) -> usize {
    let mut j = i;
    while j < to && (toks[j].word && toks[j].upper || toks[j].lower == "." && j > i) {
        j += 1;
    }
    while j > i + 1 && toks[j - 1].lower == "." {
        j -= 1;
    }
    j
}

/// The features of one candidate, in the order of [`FEATURES`].
fn features(
    read: &Read,
    cues: &Cues,
    words: &Words,
    (k, place): (usize, &Place),
    span: Option<(usize, usize)>,
    all: &[Option<(usize, usize)>],
) -> Vec<f32> {
    let f = &read.found[k];
    let rules = f.source;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let mut x = vec![0.0; FEATURES.len()];
    x[0] = flag(span == rules);
    let Some((c0, c1)) = span else {
        x[3] = 1.0;
        x[4] = flag(f.cue.is_some());
        return x;
    };
    // A name where the rules found none (a quotation with no cue, a speaker paragraphs back).
    x[2] = flag(rules.is_none());
    let toks = &read.toks;
    let (q0, q1) = place.quote;
    x[1] = flag(span != rules && rules.is_some_and(|r| r.0 < c1 && c0 < r.1));
    x[5] = flag(c1 == c0 + 1 && is_pronoun(&toks[c0]));
    x[6] = flag(toks[c0].upper && !is_pronoun(&toks[c0]));
    position(read, place, (c0, c1), &mut x);
    x[12] = flag(subject_of_cue(toks, cues, c1));
    x[13] = flag(c0 > 0 && toks[c0 - 1].word && cues.is_cue(&toks[c0 - 1].lower));
    let last = read.found[..k].iter().rev().find_map(|f| f.source);
    x[14] = flag(last.is_some_and(|l| l.0 < c1 && c0 < l.1));
    x[16] = (1.0 + (c0..c1).filter(|&i| toks[i].word).count() as f32).ln() / 2.0;
    let nearest = |before: bool| {
        all.iter()
            .flatten()
            .filter(|s| (s.1 <= q0) == before && (s.0 > q1) != before)
            .min_by_key(|s| distance(**s, place.quote))
            .copied()
    };
    x[18] = flag(nearest(true) == span);
    x[19] = flag(nearest(false) == span);
    let named = words.times_before(&toks[c1 - 1].lower, c0);
    x[20] = (1.0 + named as f32).ln() / 3.0;
    x[21] = flag(read.found.iter().any(|f| f.source == span));
    x
}

/// The features of where a candidate stands: its sentence and paragraph against the
/// quotation's, its side, distance, whether it opens its sentence, a quotation between.
fn position(read: &Read, place: &Place, (c0, c1): (usize, usize), x: &mut [f32]) {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let (q0, q1) = place.quote;
    let sentence = read
        .sentences
        .iter()
        .position(|&(s0, s1, _)| s0 <= c0 && c0 < s1)
        .unwrap_or(place.sentence);
    let paragraph = |s: usize| read.sentences[s].2;
    x[7] = flag(sentence == place.sentence);
    x[8] = flag(sentence < place.sentence && paragraph(sentence) == paragraph(place.sentence));
    x[9] = flag(paragraph(sentence) < paragraph(place.sentence));
    x[10] = flag(c0 > q1);
    x[11] = (1.0 + distance((c0, c1), place.quote) as f32).ln() / 4.0;
    x[15] = flag(c0 == read.sentences[sentence].0);
    x[17] = flag(
        read.quotes
            .iter()
            .any(|&(a, b)| (a > c1 && b < q0) || (a > q1 && b < c0)),
    );
}

/// Tokens between a span and the quotation.
fn distance((c0, c1): (usize, usize), (q0, q1): (usize, usize)) -> usize {
    if c1 <= q0 {
        q0 - c1
    } else {
        c0.saturating_sub(q1)
    }
}

/// Whether a cue follows the span, past auxiliaries and adverbs ("X has long said").
fn subject_of_cue(toks: &[Token], cues: &Cues, end: usize) -> bool {
    let mut k = end;
    while k < toks.len() && toks[k].word && is_aside(&toks[k]) {
        k += 1;
    }
    toks.get(k).is_some_and(|t| t.word && cues.is_cue(&t.lower))
}
