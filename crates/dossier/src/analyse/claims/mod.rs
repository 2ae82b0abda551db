//! Claims: the checkable statements of a story, grouped across its reports, and their standing.
//! One file per pass: [`select`] (what is a claim, which are shown), [`group`] (the encoder's
//! view, one claim's statements), [`dispute`], [`retract`], [`why`] (status and reason).
//!
//! **Claims.** A sentence that ends like a statement (not a heading, not a question), has at
//! least [`MIN_WORDS`] words and something a reader could check: a name the recogniser found,
//! a figure, a date, a speaker (a quotation's or a reported-speech source's). Sentences of
//! colour and background, with none of these, are not claims. A sentence is also read as its
//! clauses (split at semicolons, at a comma before a conjunction or participle, at "and" before
//! an auxiliary), because reports often say the same thing inside differently built sentences:
//! "…, denying there has been a decision to leave Iraq" and "There's been no decision made to
//! leave Iraq". Two sentences are compared through their closest pair of units (sentence or
//! clause) by the encoder's cosine. A story shows its contested and retracted claims and up to
//! [`MAX_CLAIMS`] others, most independent reports first; a claim of one report only needs
//! [`SINGLE_SOURCE_WEIGHT`] of those four things.
//!
//! **Grouping.** Copies found by the reuse stage group, unless their figures differ (a
//! revision). Otherwise two sentences of different reports group when their closest units are
//! at least [`ClaimOptions::same`] alike, their figures do not differ and the agreement judge
//! ([`crate::nli::Judge`]) calls them agreeing.
//!
//! **Disputes.** Only candidate pairs are judged: across sources, statements each among the
//! other's [`NEAREST`] closest in other sources and at least [`ClaimOptions::related`] alike;
//! within one source, two named speakers. A dispute is an explicit denial (the agreement
//! judge's contradiction through a negation, one side worded as a denial: "denied", "no
//! decision has been made") or other figures for the same thing from independent sources,
//! unless the stance judge ([`crate::stance::Judge`], learnt on FNC-1, reading the one sentence
//! as a report) reads either side as agreeing with the other. The stance judge's `disagree`
//! makes no dispute: learnt on headline/article pairs, on sentence pairs it follows any
//! negation (see [`dispute::disputes`]).
//!
//! **Status**, first that holds:
//! - `retracted`: a supporting sentence is attributed to a document ("said the letter", "in a
//!   letter dated …", "It said …" after one) that the story calls a mistake, a draft, wrong,
//!   sent in error, not to have been sent, retracted or corrected; or it gives a figure that
//!   its source called wrong ("The earlier information that police gave out was wrong", the
//!   figure in it or the sentence before); or a later copy of the same text changed its figures;
//! - `contested`: it has contradicting sentences whose independent sources are at least as many
//!   as its own (one report against two leaves the two standing, the one contested);
//! - `corroborated`: two or more independent reports;
//! - `single-source`.
//!
//! Independent reports: the reports of the supporting sentences, where two reports joined by a
//! copied supporting sentence count once.

use crate::analyse::attribution::{attributions, Cues};
use crate::embed::Cache;
use crate::model::{
    sentence_positions, Claim, ClaimStatus, Entity, Quote, Report, Reuse, Sentence,
};
use crate::nli::{self, Pair, Verdict};
use crate::stance::{self, Stance};
use crate::times::{self, TimexType};
use regex::Regex;
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

mod dispute;
mod group;
mod retract;
mod select;
mod why;

use dispute::*;
use group::*;
use retract::*;
use select::*;
use why::*;

/// Shorter sentences are fragments, datelines or captions rather than statements.
pub const MIN_WORDS: usize = 5;
/// Clauses shorter than this stay part of their neighbour: "he said" is not a statement.
const MIN_CLAUSE_WORDS: usize = 4;
/// Sentences before an "It said …" that may name the document "it" is.
const DOCUMENT_REACH: usize = 3;
/// How many of a statement's closest statements in other sources it may contradict.
const NEAREST: usize = 3;
/// At most this many claims a story (besides the contested and retracted, always shown): the
/// issue's "a handful to a few dozen"; set from that, not tuned on any data.
const MAX_CLAIMS: usize = 30;
/// A claim in one report only is kept when it has at least this many of a name, a figure, a
/// date and a speaker: "Police said 19 nationalities were among the dead", not "Many wept".
const SINGLE_SOURCE_WEIGHT: usize = 2;
/// Two statements of which the shorter has this share of its words in the other are one
/// statement (four words in five: a rewording, not a new sentence on the subject). Set, not
/// tuned: precision before recall.
const SAME_WORDING: f32 = 0.8;

#[derive(Debug, Clone)]
pub struct ClaimOptions {
    /// Cosine from which two units are about the same thing and may contradict.
    pub related: f32,
    /// Cosine from which two agreeing units state the same claim.
    pub same: f32,
}

impl Default for ClaimOptions {
    fn default() -> Self {
        ClaimOptions {
            related: 0.5,
            same: 0.7,
        }
    }
}

/// What the earlier stages found in the story's reports.
#[derive(Clone, Copy)]
pub struct Found<'a> {
    pub reuse: &'a [Reuse],
    pub quotes: &'a [Quote],
    pub entities: &'a [Entity],
}

/// The models the stage runs on.
#[derive(Clone, Copy)]
pub struct Judges<'a> {
    /// The sentence encoder, through the story's cache (the NER pass has most sentences).
    pub encoder: &'a Cache<'a>,
    /// Whether two sentences say the same thing, and the words of a clash between two.
    pub agreement: &'a dyn nli::Judge,
    /// Whether a report denies a claim.
    pub stance: &'a dyn stance::Judge,
}

/// A statement under consideration.
struct Statement<'a> {
    id: &'a str,
    report: usize,
    text: &'a str,
    /// The sentence first, then its clauses.
    units: Vec<&'a str>,
    /// How much a reader could check in it (see [`weight`]).
    weight: usize,
    /// Its figures: numbers outside dates, as written without thousands separators.
    figures: BTreeSet<String>,
}

/// The statements of a story and what the earlier stages found about them.
struct Story<'a> {
    reports: &'a [&'a Report],
    statements: Vec<Statement<'a>>,
    /// Pairs of statements one of which copies the other.
    copies: Vec<(usize, usize)>,
    /// (statement, report) pairs where the statement is copied into that report.
    copied_into: HashSet<(usize, usize)>,
    /// The named speaker of a quoted sentence, by sentence id.
    speaker: HashMap<&'a str, &'a str>,
    retracting: Vec<bool>,
    /// Each statement's copy family: statements joined by a chain of copies (versions of one
    /// text, however many outlets ran it) share one.
    family: Vec<usize>,
}

/// The story's claims. `reports` are the story's reports, oldest first; `reuse` and `quotes`
/// are the earlier stages' output for them. A failure of the encoder (a bug, not bad input)
/// leaves the story without claims rather than stopping the pipeline.
pub fn claims(
    reports: &[&Report],
    found: Found,
    judges: Judges,
    options: &ClaimOptions,
) -> Vec<Claim> {
    let quotes = found.quotes;
    let story = Story::new(reports, found);
    if story.statements.is_empty() {
        return vec![];
    }
    let Some(space) = Space::encode(&story.statements, judges.encoder) else {
        return vec![];
    };
    let near = nearest(&story, &space);
    let members = groups(&story, &space, &near, judges.agreement, options);
    let against = disputes(&story, &space, &near, judges, options);
    let mut retractions = retractions(&story, quotes);
    retractions.extend(figure_withdrawals(&story, &space, options));
    retractions.extend(revisions(&story));
    let out: Vec<(usize, Claim)> = members
        .iter()
        .map(|support| {
            let claim = judge_claim(&story, support, &members, &against, &retractions, quotes);
            (support[0], claim)
        })
        .collect();
    select(&story, out)
        .into_iter()
        .enumerate()
        .map(|(n, claim)| Claim {
            id: format!("c{}", n + 1),
            ..claim
        })
        .collect()
}

impl<'a> Story<'a> {
    fn new(reports: &'a [&'a Report], found: Found<'a>) -> Story<'a> {
        let speaker: HashMap<&str, &str> = found
            .quotes
            .iter()
            .filter_map(|q| Some((q.cite.as_str(), q.speaker_name.as_deref()?)))
            .collect();
        let named = Named::new(found.entities);
        let statements: Vec<Statement> = reports
            .iter()
            .enumerate()
            .flat_map(|(r, report)| {
                let (named, speaker) = (&named, &speaker);
                report.sentences.iter().filter_map(move |s| {
                    let quoted = speaker.contains_key(s.id.as_str());
                    let (weight, figures) = weigh(s, named, quoted);
                    let withdraws = RETRACTION.is_match(&s.text);
                    (is_statement(&s.text) && weight > 0 || withdraws).then(|| Statement {
                        id: &s.id,
                        report: r,
                        text: &s.text,
                        units: std::iter::once(s.text.as_str())
                            .chain(clauses(&s.text))
                            .collect(),
                        weight,
                        figures,
                    })
                })
            })
            .collect();
        let index: HashMap<&str, usize> = statements
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let copies: Vec<(usize, usize)> = found
            .reuse
            .iter()
            .filter_map(|r| Some((*index.get(r.from.as_str())?, *index.get(r.to.as_str())?)))
            .collect();
        let copied_into = copies
            .iter()
            .flat_map(|&(a, b)| [(a, statements[b].report), (b, statements[a].report)])
            .collect();
        let retracting = statements
            .iter()
            .map(|s| RETRACTION.is_match(s.text))
            .collect();
        let mut families = UnionFind::new(statements.len());
        for &(a, b) in &copies {
            families.union(a, b);
        }
        let family = (0..statements.len()).map(|i| families.find(i)).collect();
        Story {
            reports,
            statements,
            copies,
            copied_into,
            speaker,
            retracting,
            family,
        }
    }

    /// Two statements are of one source when they are of one report, or each is copied into
    /// the other's report (one article syndicated twice): a report does not dispute itself.
    /// Sharing some copied passage is not enough: two outlets quote the same agency line and
    /// still disagree elsewhere.
    fn one_source(&self, i: usize, j: usize) -> bool {
        let (ri, rj) = (self.statements[i].report, self.statements[j].report);
        ri == rj || self.copied_into.contains(&(i, rj)) && self.copied_into.contains(&(j, ri))
    }

    /// Two different named speakers: within one source, the only way to a dispute.
    fn two_voices(&self, i: usize, j: usize) -> bool {
        let name = |k: usize| self.speaker.get(self.statements[k].id);
        matches!((name(i), name(j)), (Some(a), Some(b)) if a != b)
    }

    /// What a reader knows a report by: its outlet, else its title, else its file.
    fn outlet(&self, statement: usize) -> String {
        let report = self.reports[self.statements[statement].report];
        report
            .outlet
            .clone()
            .or_else(|| report.title.as_ref().map(|t| format!("\"{t}\"")))
            .unwrap_or_else(|| {
                let file = std::path::Path::new(&report.source).file_name();
                file.map_or(report.source.clone(), |f| f.to_string_lossy().into_owned())
            })
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n).collect())
    }

    fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.0[root] != root {
            root = self.0[root];
        }
        let mut x = x;
        while self.0[x] != root {
            let next = self.0[x];
            self.0[x] = root;
            x = next;
        }
        root
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }

    /// The members of each set, sets in order of their first member.
    fn classes(&mut self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut class_of: HashMap<usize, usize> = HashMap::new();
        for i in 0..self.0.len() {
            let root = self.find(i);
            let c = *class_of.entry(root).or_insert_with(|| {
                out.push(vec![]);
                out.len() - 1
            });
            out[c].push(i);
        }
        out
    }
}
