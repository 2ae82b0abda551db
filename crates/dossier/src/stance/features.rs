//! What the stance model sees of a claim and a report: how much of the claim the report carries
//! (tf-idf and word overlap, the encoder's cosines), and the words a reader looks for around
//! that overlap: refuting words ("hoax", "denied"), negation, hedging ("reportedly", "claims")
//! and reporting verbs, in the claim, in the whole report, in its lead and in the sentences
//! closest to the claim.

use crate::embed::cosine;
use crate::text::words;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Words that deny or debunk.
const REFUTE: &[&str] = &[
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "denying",
    "denial",
    "despite",
    "nope",
    "doubt",
    "doubts",
    "doubtful",
    "bogus",
    "debunk",
    "debunked",
    "debunks",
    "prank",
    "pranks",
    "retract",
    "retracted",
    "retraction",
    "untrue",
    "misleading",
    "myth",
    "satire",
    "satirical",
    "refute",
    "refuted",
    "refutes",
    "dismissed",
    "dismisses",
    "rejected",
    "rejects",
    "incorrect",
    "wrong",
    "fabricated",
    "baseless",
    "unfounded",
    "falsely",
    "hoaxes",
];

/// Words that hold a statement at arm's length.
const HEDGE: &[&str] = &[
    "reportedly",
    "allegedly",
    "alleged",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "rumor",
    "rumors",
    "rumored",
    "rumour",
    "rumours",
    "rumoured",
    "unconfirmed",
    "unverified",
    "purportedly",
    "purported",
    "apparently",
    "appears",
    "appeared",
    "possibly",
    "may",
    "might",
    "could",
    "suggests",
    "suggested",
    "speculation",
    "speculated",
    "suspected",
    "believed",
    "supposedly",
    "whether",
    "if",
    "unclear",
];

/// Words that attribute a statement to someone.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "according",
    "reported",
    "reports",
    "report",
    "stated",
    "announced",
    "sources",
    "source",
    "confirmed",
    "confirms",
];

const NEGATION: &[&str] = &[
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot",
];

/// Sentences at the start of a report that make its lead.
const LEAD: usize = 3;
/// Sentences closest to the claim that count as "near" it.
const NEAR: usize = 3;

/// Inverse document frequency of word stems, learnt from a set of reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Idf {
    /// The idf of a stem the reports never used.
    pub unseen: f32,
    /// Sorted, so that the file and every sum over it come out the same on every run.
    pub stems: BTreeMap<String, f32>,
}

impl Idf {
    /// Smoothed idf, `ln((1 + n) / (1 + df)) + 1`, over the reports' content stems. Stems seen in
    /// one report only are left out of the table (they get `unseen`, which is their value), so
    /// the table stays small.
    pub fn learn<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Idf {
        let mut df: HashMap<&str, usize> = HashMap::new();
        let mut n = 0usize;
        for report in reports {
            n += 1;
            for stem in report.tf.keys() {
                *df.entry(stem).or_default() += 1;
            }
        }
        let idf = |df: usize| ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0;
        Idf {
            unseen: idf(1),
            stems: df
                .into_iter()
                .filter(|&(_, d)| d > 1)
                // Two decimals are plenty for a weight, and keep the shipped file small.
                .map(|(s, d)| (s.to_string(), (idf(d) * 100.0).round() / 100.0))
                .collect(),
        }
    }

    pub fn of(&self, stem: &str) -> f32 {
        self.stems.get(stem).copied().unwrap_or(self.unseen)
    }
}

/// One sentence, tokenised and encoded.
#[derive(Debug, Clone)]
struct Sentence {
    /// Content stems (no stopwords), each once.
    stems: HashSet<String>,
    refute: bool,
    negation: bool,
    hedge: bool,
    reporting: bool,
    vector: Vec<f32>,
}

impl Sentence {
    fn new(text: &str, vector: Vec<f32>) -> Sentence {
        let words = words(text);
        let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.lower.as_str()));
        Sentence {
            stems: words
                .iter()
                .filter(|w| !w.is_stopword())
                .map(|w| w.stem.clone())
                .collect(),
            refute: has(REFUTE),
            negation: has(NEGATION) || words.iter().any(|w| w.lower.ends_with("n't")),
            hedge: has(HEDGE),
            reporting: has(REPORTING),
            vector,
        }
    }
}

/// A claim (a headline or a sentence) ready to be compared with reports.
#[derive(Debug, Clone)]
pub struct Claim {
    sentence: Sentence,
    question: bool,
    stems: Vec<String>,
    bigrams: HashSet<(String, String)>,
    numbers: HashSet<String>,
}

impl Claim {
    /// `vector` is the encoder's embedding of `text`.
    pub fn new(text: &str, vector: Vec<f32>) -> Claim {
        let stems: Vec<String> = words(text)
            .into_iter()
            .filter(|w| !w.is_stopword())
            .map(|w| w.stem)
            .collect();
        Claim {
            sentence: Sentence::new(text, vector),
            question: text.contains('?'),
            bigrams: bigrams(&stems),
            numbers: numbers(text),
            stems,
        }
    }
}

/// A report (an article body) ready to be compared with claims.
#[derive(Debug, Clone)]
pub struct Report {
    sentences: Vec<Sentence>,
    /// Content stem counts over the whole report (sorted: sums over it keep one order).
    tf: BTreeMap<String, f32>,
    bigrams: HashSet<(String, String)>,
    numbers: HashSet<String>,
    mean: Vec<f32>,
}

impl Report {
    /// `vectors` are the encoder's embeddings of `sentences`, in order.
    pub fn new(sentences: &[&str], vectors: Vec<Vec<f32>>) -> Report {
        let mut tf: BTreeMap<String, f32> = BTreeMap::new();
        let mut bigram_set = HashSet::new();
        let mut number_set = HashSet::new();
        for s in sentences {
            let stems: Vec<String> = words(s)
                .into_iter()
                .filter(|w| !w.is_stopword())
                .map(|w| w.stem)
                .collect();
            bigram_set.extend(bigrams(&stems));
            for stem in stems {
                *tf.entry(stem).or_default() += 1.0;
            }
            number_set.extend(numbers(s));
        }
        let mean = mean(&vectors);
        Report {
            sentences: sentences
                .iter()
                .zip(vectors)
                .map(|(s, v)| Sentence::new(s, v))
                .collect(),
            tf,
            bigrams: bigram_set,
            numbers: number_set,
            mean,
        }
    }

    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }
}

fn bigrams(stems: &[String]) -> HashSet<(String, String)> {
    stems
        .windows(2)
        .map(|w| (w[0].clone(), w[1].clone()))
        .collect()
}

/// Numbers as written, without separators ("1,500" and "1500" are one).
fn numbers(text: &str) -> HashSet<String> {
    crate::text::raw_words(text)
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|w| w.replace(',', ""))
        .collect()
}

fn mean(vectors: &[Vec<f32>]) -> Vec<f32> {
    let Some(first) = vectors.first() else {
        return Vec::new();
    };
    let mut sum = vec![0f32; first.len()];
    for v in vectors {
        for (s, x) in sum.iter_mut().zip(v) {
            *s += x;
        }
    }
    sum
}

/// Names of the features, in the order of [`Features::values`]. The encoder's own dimensions
/// (the claim's vector times the nearest sentences', one value per dimension) were tried too:
/// they let the model learn the training claims' topics, and cost on claims it had not seen
/// (bench/stance).
pub const HAND_FEATURES: [&str; 36] = [
    "tfidf cosine, whole report",
    "tfidf cosine, lead",
    "claim words in report",
    "claim words in report, idf-weighted",
    "claim words in lead, idf-weighted",
    "claim words in the best sentence, idf-weighted",
    "claim word pairs in report",
    "claim numbers in report",
    "claim has numbers",
    "encoder cosine, best sentence",
    "encoder cosine, mean of nearest",
    "encoder cosine, whole report",
    "encoder cosine, first sentence",
    "log claim words",
    "log report sentences",
    "claim refutes",
    "claim negates",
    "claim hedges",
    "claim attributes",
    "claim is a question",
    "report refutes (share of sentences)",
    "report negates (share)",
    "report hedges (share)",
    "report attributes (share)",
    "lead refutes",
    "lead hedges",
    "nearest refute (share)",
    "nearest negate (share)",
    "nearest hedge (share)",
    "nearest attribute (share)",
    "overlapping refute (share)",
    "overlapping negate (share)",
    "overlapping hedge (share)",
    "negation in claim xor best sentence",
    "refuting in claim xor nearest",
    "cosine of best minus report mean",
];

/// The feature vector of one claim against one report.
#[derive(Debug, Clone)]
pub struct Features {
    pub values: Vec<f32>,
    /// The report sentence closest to the claim (by the encoder), if the report has any.
    pub nearest: Option<usize>,
}

impl Features {
    pub fn of(claim: &Claim, report: &Report, idf: &Idf) -> Features {
        let n = report.sentences.len();
        let cosines: Vec<f32> = report
            .sentences
            .iter()
            .map(|s| cosine(&claim.sentence.vector, &s.vector))
            .collect();
        let by_cosine = ranked(&cosines);
        let overlaps: Vec<f32> = report
            .sentences
            .iter()
            .map(|s| weighted_share(&claim.stems, idf, |t| s.stems.contains(t)))
            .collect();
        let by_overlap = ranked(&overlaps);
        let near: Vec<&Sentence> = by_cosine
            .iter()
            .take(NEAR)
            .map(|&i| &report.sentences[i])
            .collect();
        let overlapping: Vec<&Sentence> = by_overlap
            .iter()
            .take(NEAR)
            .map(|&i| &report.sentences[i])
            .collect();
        let lead: Vec<&Sentence> = report.sentences.iter().take(LEAD).collect();
        let all: Vec<&Sentence> = report.sentences.iter().collect();
        let best = by_cosine.first().map(|&i| &report.sentences[i]);
        let cos_best = by_cosine.first().map_or(0.0, |&i| cosines[i]);
        let cos_near = mean_of(by_cosine.iter().take(NEAR).map(|&i| cosines[i]));
        let cos_report = cosine(&claim.sentence.vector, &report.mean);
        let c = &claim.sentence;
        let lead_tf = term_counts(&lead);
        let values = vec![
            tfidf_cosine(&claim.stems, &report.tf, idf),
            tfidf_cosine(&claim.stems, &lead_tf, idf),
            share(&claim.stems, |t| report.tf.contains_key(t)),
            weighted_share(&claim.stems, idf, |t| report.tf.contains_key(t)),
            weighted_share(&claim.stems, idf, |t| lead_tf.contains_key(t)),
            by_overlap.first().map_or(0.0, |&i| overlaps[i]),
            share_of_set(&claim.bigrams, |b| report.bigrams.contains(b)),
            share_of_set(&claim.numbers, |x| report.numbers.contains(x)),
            flag(!claim.numbers.is_empty()),
            cos_best,
            cos_near,
            cos_report,
            cosines.first().copied().unwrap_or(0.0),
            (1.0 + claim.stems.len() as f32).ln(),
            (1.0 + n as f32).ln(),
            flag(c.refute),
            flag(c.negation),
            flag(c.hedge),
            flag(c.reporting),
            flag(claim.question),
            rate(&all, |s| s.refute),
            rate(&all, |s| s.negation),
            rate(&all, |s| s.hedge),
            rate(&all, |s| s.reporting),
            rate(&lead, |s| s.refute),
            rate(&lead, |s| s.hedge),
            rate(&near, |s| s.refute),
            rate(&near, |s| s.negation),
            rate(&near, |s| s.hedge),
            rate(&near, |s| s.reporting),
            rate(&overlapping, |s| s.refute),
            rate(&overlapping, |s| s.negation),
            rate(&overlapping, |s| s.hedge),
            flag(best.is_some_and(|b| b.negation != c.negation)),
            flag(c.refute != (rate(&near, |s| s.refute) > 0.0)),
            cos_best - cos_report,
        ];
        debug_assert_eq!(values.len(), HAND_FEATURES.len());
        Features {
            values,
            nearest: by_cosine.first().copied(),
        }
    }
}

/// Indices sorted by falling score.
fn ranked(scores: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
}

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn mean_of(values: impl Iterator<Item = f32>) -> f32 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f32
    }
}

fn rate(sentences: &[&Sentence], has: impl Fn(&Sentence) -> bool) -> f32 {
    mean_of(sentences.iter().map(|s| flag(has(s))))
}

fn term_counts(sentences: &[&Sentence]) -> BTreeMap<String, f32> {
    let mut tf = BTreeMap::new();
    for s in sentences {
        for stem in &s.stems {
            *tf.entry(stem.clone()).or_default() += 1.0;
        }
    }
    tf
}

fn share(stems: &[String], found: impl Fn(&String) -> bool) -> f32 {
    mean_of(stems.iter().map(|t| flag(found(t))))
}

fn share_of_set<T>(set: &HashSet<T>, found: impl Fn(&T) -> bool) -> f32 {
    mean_of(set.iter().map(|t| flag(found(t))))
}

fn weighted_share(stems: &[String], idf: &Idf, found: impl Fn(&String) -> bool) -> f32 {
    let total: f32 = stems.iter().map(|t| idf.of(t)).sum();
    if total == 0.0 {
        return 0.0;
    }
    stems
        .iter()
        .filter(|t| found(t))
        .map(|t| idf.of(t))
        .sum::<f32>()
        / total
}

/// Cosine of the claim's and the text's tf-idf vectors, with sublinear term frequency.
fn tfidf_cosine(claim: &[String], text: &BTreeMap<String, f32>, idf: &Idf) -> f32 {
    let mut claim_tf: BTreeMap<&str, f32> = BTreeMap::new();
    for t in claim {
        *claim_tf.entry(t).or_default() += 1.0;
    }
    let weight = |tf: f32, t: &str| (1.0 + tf.ln()) * idf.of(t);
    let norm = |m: &mut dyn Iterator<Item = f32>| m.map(|w| w * w).sum::<f32>().sqrt();
    let a = norm(&mut claim_tf.iter().map(|(t, &f)| weight(f, t)));
    let b = norm(&mut text.iter().map(|(t, &f)| weight(f, t)));
    if a == 0.0 || b == 0.0 {
        return 0.0;
    }
    let dot: f32 = claim_tf
        .iter()
        .filter_map(|(t, &f)| text.get(*t).map(|&g| weight(f, t) * weight(g, t)))
        .sum();
    dot / (a * b)
}
