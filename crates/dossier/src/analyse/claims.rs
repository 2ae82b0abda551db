//! Claims: the checkable statements of a story, grouped across its reports, and their standing.
//!
//! **Claims.** A sentence that ends like a statement (not a heading, not a question), has at
//! least [`MIN_WORDS`] words and something a reader could check: a name (a capitalised word
//! after the first), a number or a quote. Sentences of colour and background, with none of
//! these, are not claims. A sentence is also read as its clauses (split at semicolons, at a
//! comma before a conjunction or participle, at "and" before an auxiliary), because reports
//! often say the same thing inside differently built sentences: "…, denying there has been a
//! decision to leave Iraq" and "There's been no decision made to leave Iraq". Two sentences are
//! compared through their closest pair of units (sentence or clause) by the encoder's cosine.
//!
//! **Grouping.** Copies found by the reuse stage always group. Otherwise two sentences of
//! different reports group when their closest units are at least [`ClaimOptions::same`] alike
//! and the agreement judge ([`crate::nli::Judge`]) calls them agreeing.
//!
//! **Disputes.** Only candidate pairs are judged: across sources, statements each among the
//! other's [`NEAREST`] closest in other sources and at least [`ClaimOptions::related`] alike;
//! within one source, two named speakers. A dispute is the agreement judge's contradiction
//! with its anchored evidence (a negation, an opposite word, another number in the matching
//! slot), unless the stance judge ([`crate::stance::Judge`], learnt on FNC-1, reading the one
//! sentence as a report) reads either side as agreeing with the other; when it reads a denial
//! the reason says so. The stance judge alone is no dispute: on the iraq-letter seed it misses
//! the real one ("will withdraw from Iraq" against "denying there has been a decision to leave
//! Iraq", which it calls unrelated) and reads "Thousands of US soldiers are stationed across
//! Iraqi bases" as denied by "It was not immediately clear if all roughly 5,000 USA troops
//! would leave Iraq"; on DUC 2004 its `disagree` follows any negation (see [`disputes`]).
//!
//! **Status**, first that holds:
//! - `retracted`: a supporting sentence is attributed to a document ("said the letter", "in a
//!   letter dated …", "It said …" after one) that the story calls a mistake, a draft, wrong,
//!   sent in error, not to have been sent, retracted or corrected;
//! - `contested`: it has contradicting sentences whose independent sources are at least as many
//!   as its own (one report against two leaves the two standing, the one contested);
//! - `corroborated`: two or more independent reports;
//! - `single-source`.
//!
//! Independent reports: the reports of the supporting sentences, where two reports joined by a
//! copied supporting sentence count once. Claims are ranked by independent reports, then by
//! supporting sentences, then by story order.

use crate::analyse::attribution::{attributions, Cues};
use crate::embed::Encoder;
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
    pub encoder: &'a Encoder,
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
}

/// The encoder's view of the statements: one vector per unit, and the cosine of the closest
/// units of every two statements (computed once: three passes read it).
struct Space {
    vectors: Vec<Vec<f32>>,
    first_unit: Vec<usize>,
    cosines: Vec<f32>,
    n: usize,
}

/// One statement contradicting another.
struct Against<'a> {
    a: usize,
    b: usize,
    /// The unit of each side that clashes.
    units: [&'a str; 2],
    /// The agreement judge's evidence, in words.
    evidence: String,
    clash: Clash,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clash {
    /// One side denies what the other states.
    Denial,
    /// Other figures for the same thing.
    Figures,
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
    let members = groups(&story, &space, judges.agreement, options);
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
        Story {
            reports,
            statements,
            copies,
            copied_into,
            speaker,
            retracting,
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

impl Space {
    fn encode(statements: &[Statement], encoder: &Encoder) -> Option<Space> {
        let units: Vec<&str> = statements.iter().flat_map(|s| s.units.clone()).collect();
        let vectors = encoder.embed(&units).ok()?;
        let mut first_unit = Vec::with_capacity(statements.len());
        let mut at = 0;
        for s in statements {
            first_unit.push(at);
            at += s.units.len();
        }
        let n = statements.len();
        let mut space = Space {
            vectors,
            first_unit,
            cosines: vec![0.0; n * n],
            n,
        };
        for i in 0..n {
            for j in i + 1..n {
                let (cosine, ..) = space.closest(statements, i, j);
                space.cosines[i * n + j] = cosine;
                space.cosines[j * n + i] = cosine;
            }
        }
        Some(space)
    }

    fn cosine(&self, i: usize, j: usize) -> f32 {
        self.cosines[i * self.n + j]
    }

    fn sentence(&self, statement: usize) -> &[f32] {
        &self.vectors[self.first_unit[statement]]
    }

    /// The closest pair of units of two statements: (cosine, unit of i, unit of j).
    fn closest<'a>(
        &self,
        statements: &[Statement<'a>],
        i: usize,
        j: usize,
    ) -> (f32, &'a str, &'a str) {
        let mut best = (f32::NEG_INFINITY, statements[i].text, statements[j].text);
        for (a, ua) in statements[i].units.iter().enumerate() {
            for (b, ub) in statements[j].units.iter().enumerate() {
                let (va, vb) = (
                    &self.vectors[self.first_unit[i] + a],
                    &self.vectors[self.first_unit[j] + b],
                );
                let cosine: f32 = va.iter().zip(vb).map(|(x, y)| x * y).sum();
                if cosine > best.0 {
                    best = (cosine, ua, ub);
                }
            }
        }
        best
    }
}

/// Each statement's [`NEAREST`] closest statements in other sources, closest first, as
/// (cosine, statement). Within a story every sentence is about its subject, so a high cosine
/// often means only "the same story": two statements speak to one point when each is among
/// the other's closest (the margin idea of bitext mining).
fn nearest(story: &Story, space: &Space) -> Vec<Vec<(f32, usize)>> {
    let n = story.statements.len();
    let mut near: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in i + 1..n {
            if story.one_source(i, j) {
                continue;
            }
            let cosine = space.cosine(i, j);
            near[i].push((cosine, j));
            near[j].push((cosine, i));
        }
    }
    for list in &mut near {
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        list.truncate(NEAREST);
    }
    near
}

fn mutual(near: &[Vec<(f32, usize)>], i: usize, j: usize) -> bool {
    near[i].iter().any(|&(_, k)| k == j) && near[j].iter().any(|&(_, k)| k == i)
}

/// The statements of each claim: copies, and sentences of different reports the agreement
/// judge reads as saying the same thing, unless each gives a figure the other does not ("41
/// Kurds on hunger strike" is not "1,500 Kurds outside the hospital").
fn groups(
    story: &Story,
    space: &Space,
    judge: &dyn nli::Judge,
    options: &ClaimOptions,
) -> Vec<Vec<usize>> {
    let statements = &story.statements;
    let mut sets = UnionFind::new(statements.len());
    // A copy with other figures is a revision (see [`revisions`]), not the same claim.
    for &(a, b) in &story.copies {
        if !figures_conflict(&statements[a], &statements[b]) {
            sets.union(a, b);
        }
    }
    for i in 0..statements.len() {
        for j in i + 1..statements.len() {
            if statements[i].report == statements[j].report
                || space.cosine(i, j) < options.same
                || figures_conflict(&statements[i], &statements[j])
            {
                continue;
            }
            let (cosine, ui, uj) = space.closest(statements, i, j);
            if judge.judge(&pair(ui, uj, cosine)).verdict == Verdict::Agree {
                sets.union(i, j);
            }
        }
    }
    sets.classes()
}

/// The shorter unit as hypothesis: a clause is judged against the longer statement it may be
/// part of.
fn pair<'a>(ui: &'a str, uj: &'a str, cosine: f32) -> Pair<'a> {
    let (premise, hypothesis) = if uj.len() <= ui.len() {
        (ui, uj)
    } else {
        (uj, ui)
    };
    Pair {
        premise,
        hypothesis,
        cosine,
    }
}

/// The stance the sentence `j` takes on the statement `i` as a claim, the sentence read as a
/// report of its own. A whole report would lend one sentence the tone of another: an article
/// about a withdrawn letter is full of "mistake" and "denying", and its sentence on the drone
/// strike then "denies" another report's account of the same strike.
fn stance_of(
    story: &Story,
    space: &Space,
    judge: &dyn stance::Judge,
    i: usize,
    j: usize,
) -> Stance {
    let (claim, other) = (&story.statements[i], &story.statements[j]);
    let claim = stance::Claim::new(claim.text, space.sentence(i).to_vec());
    let report = stance::Report::new(&[other.text], vec![space.sentence(j).to_vec()]);
    judge.judge(&claim, &report).stance
}

/// Disputes between candidate pairs: across sources, statements each among the other's
/// closest; within one source, two named speakers (a report's own sentences qualify rather
/// than dispute each other). A dispute is a [`Clash`] a reader would recognise, unless the
/// stance judge reads either sentence as agreeing with the other. Neither the stance judge's
/// `disagree` nor a bare contradiction of the agreement judge makes one: on the 250 DUC 2004
/// dev documents they followed any negation or other word in a sentence on another point
/// (Blair's two "not a matter for us" statements contested each other).
fn disputes<'a>(
    story: &Story<'a>,
    space: &Space,
    near: &[Vec<(f32, usize)>],
    judges: Judges,
    options: &ClaimOptions,
) -> Vec<Against<'a>> {
    let statements = &story.statements;
    let mut out = Vec::new();
    for i in 0..statements.len() {
        for j in i + 1..statements.len() {
            let one_source = story.one_source(i, j);
            let candidate = if one_source {
                story.two_voices(i, j)
            } else {
                mutual(near, i, j)
            };
            if !candidate
                || story.retracting[i] && story.retracting[j]
                || space.cosine(i, j) < options.related
            {
                continue;
            }
            let (cosine, ui, uj) = space.closest(statements, i, j);
            let judgement = judges.agreement.judge(&pair(ui, uj, cosine));
            let alike = cosine >= options.same;
            let Some(clash) = clash(story, (i, j), [ui, uj], alike, &judgement) else {
                continue;
            };
            let agrees = [(i, j), (j, i)]
                .iter()
                .any(|&(a, b)| stance_of(story, space, judges.stance, a, b) == Stance::Agree);
            if !agrees {
                out.push(Against {
                    a: i,
                    b: j,
                    units: [ui, uj],
                    evidence: judgement.evidence.join("; "),
                    clash,
                });
            }
        }
    }
    out
}

/// What makes two statements a dispute a reader would recognise:
/// - a denial: the agreement judge reads a contradiction through a negation about what the
///   other states, and one side, not both, words it as a denial ("denied", "refuted", "no
///   decision has been made", "is not true");
/// - other figures: two statements alike enough to state one claim (at least
///   [`ClaimOptions::same`]), of independent sources and not copies of one text, with another
///   number in the matching slot. Copies of one text with other figures are a revision.
fn clash(
    story: &Story,
    (i, j): (usize, usize),
    units: [&str; 2],
    alike: bool,
    judgement: &nli::Judgement,
) -> Option<Clash> {
    let says = |what: &str| judgement.evidence.iter().any(|e| e.starts_with(what));
    let denies = units.map(|u| DENIAL.is_match(u));
    if judgement.verdict == Verdict::Contradict
        && says("one negates or denies")
        && denies[0] != denies[1]
    {
        return Some(Clash::Denial);
    }
    let copies = story.copies.contains(&(i, j)) || story.copies.contains(&(j, i));
    let independent = !story.one_source(i, j) && !copies;
    (says("different numbers") && independent && alike).then_some(Clash::Figures)
}

/// A claim from the statements that state it, and its standing.
fn judge_claim(
    story: &Story,
    support: &[usize],
    members: &[Vec<usize>],
    against: &[Against],
    retractions: &[Retraction],
    quotes: &[Quote],
) -> Claim {
    let statements = &story.statements;
    let group_of = |k: usize| members.iter().find(|m| m.contains(&k)).expect("grouped");
    // A contradiction of one statement of a claim is a contradiction of the claim: all the
    // statements of the other side stand against it.
    let mut opposing: BTreeSet<usize> = BTreeSet::new();
    let mut reasons: Vec<String> = Vec::new();
    for x in against {
        let (other, unit) = match (support.contains(&x.a), support.contains(&x.b)) {
            (true, false) => (x.b, x.units[1]),
            (false, true) => (x.a, x.units[0]),
            _ => continue,
        };
        opposing.extend(group_of(other));
        let verb = match x.clash {
            Clash::Denial => "denies it",
            Clash::Figures => "gives other figures",
        };
        let reason = format!(
            "{} {verb}: \"{unit}\" ({})",
            speaker_or_outlet(story, other),
            x.evidence
        );
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    let opposing: Vec<usize> = opposing.into_iter().collect();
    let sets = independent_sets(support, story);
    let sources = sets.len();
    let opposing_sources = independent_sets(&opposing, story).len();
    let retracted: Vec<&Retraction> = retractions
        .iter()
        .filter(|r| support.iter().any(|&s| r.attributed.contains(&s)))
        .collect();
    let status = if !retracted.is_empty() {
        ClaimStatus::Retracted
    } else if !opposing.is_empty() && opposing_sources >= sources {
        ClaimStatus::Contested
    } else if sources >= 2 {
        ClaimStatus::Corroborated
    } else {
        ClaimStatus::SingleSource
    };
    let mut why = who_says_it(story, support, &sets);
    for r in &retracted {
        why.push_str(&format!("; retracted: {}", withdrawal(story, r, quotes)));
    }
    if !reasons.is_empty() {
        why.push_str(&format!("; {}", reasons.join("; ")));
        if status != ClaimStatus::Contested && status != ClaimStatus::Retracted {
            why.push_str("; it stands, as more independent reports state it than deny it");
        }
    }
    let mut contradict: Vec<usize> = opposing.clone();
    contradict.extend(retracted.iter().map(|r| r.by));
    contradict.sort_unstable();
    contradict.dedup();
    let ids = |list: &[usize]| list.iter().map(|&s| statements[s].id.to_string()).collect();
    Claim {
        id: String::new(),
        text: statements[support[0]].text.to_string(),
        status,
        support: ids(support),
        contradict: ids(&contradict),
        sources,
        why,
    }
}

fn speaker_or_outlet(story: &Story, statement: usize) -> String {
    let outlet = story.outlet(statement);
    match story.speaker.get(story.statements[statement].id) {
        Some(name) => format!("{name} (in {outlet})"),
        None => outlet,
    }
}

/// Who states a claim, in words: the independent reports, the copies counted once, and the
/// named speaker of its first sentence.
fn who_says_it(story: &Story, support: &[usize], sets: &[Vec<usize>]) -> String {
    let lead = |set: &Vec<usize>| story.outlet(support[set[0]]);
    let mut why = match sets {
        [set] if set.len() == 1 && support.len() > 1 => {
            format!("only {} states it, {} times", lead(set), support.len())
        }
        [set] if set.len() == 1 => format!("only {} states it", lead(set)),
        [_] => "one independent source states it".to_string(),
        _ => format!(
            "{} independent reports state it: {}",
            sets.len(),
            names(sets.iter().map(lead))
        ),
    };
    for set in sets.iter().filter(|s| s.len() > 1) {
        why.push_str(&format!(
            "; {} copy one text, counted once",
            names(set.iter().map(|&k| story.outlet(support[k])))
        ));
    }
    if let Some(name) = story.speaker.get(story.statements[support[0]].id) {
        why.push_str(&format!("; said by {name}"));
    }
    why
}

/// "A", "A and B", "A, B and C"; a name that recurs is given once with its count.
fn names(list: impl Iterator<Item = String>) -> String {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for name in list {
        match counted.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counted.push((name, 1)),
        }
    }
    let shown: Vec<String> = counted
        .into_iter()
        .map(|(n, c)| {
            if c == 1 {
                n
            } else {
                format!("{n} ({c} reports)")
            }
        })
        .collect();
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Why a claim is withdrawn, in words: what withdrew it and who.
fn withdrawal(story: &Story, r: &Retraction, quotes: &[Quote]) -> String {
    let by = story.statements[r.by].id;
    let words = quotes
        .iter()
        .find(|q| q.cite == by && RETRACTION.is_match(&q.text))
        .map_or(story.statements[r.by].text, |q| q.text.as_str());
    let who = match story.speaker.get(by) {
        Some(name) => format!("withdrawn by {name}: \"{words}\""),
        None => format!("withdrawn in {}: \"{words}\"", story.outlet(r.by)),
    };
    match &r.what {
        Withdrawn::Document(document) => format!("it comes from the {document}, {who}"),
        Withdrawn::Figure => format!("its figures were {who}"),
        Withdrawn::Revision => format!(
            "a later version of the same text, in {}, gives other figures: \"{words}\"",
            story.outlet(r.by)
        ),
    }
}

/// The independent sources among some statements: the indices (into `of`) of the statements of
/// each, reports joined by a copy between two of the statements counted once.
fn independent_sets(of: &[usize], story: &Story) -> Vec<Vec<usize>> {
    let statements = &story.statements;
    let reports: Vec<usize> = of.iter().map(|&s| statements[s].report).collect();
    let mut sets = UnionFind::new(story.reports.len());
    for &(a, b) in &story.copies {
        if of.contains(&a) && of.contains(&b) {
            sets.union(statements[a].report, statements[b].report);
        }
    }
    // One entry per report, grouped by its set.
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for (k, &r) in reports.iter().enumerate() {
        if !seen.insert(r) {
            continue;
        }
        let root = sets.find(r);
        match out.iter_mut().find(|(root_of, _)| *root_of == root) {
            Some((_, set)) => set.push(k),
            None => out.push((root, vec![k])),
        }
    }
    out.into_iter().map(|(_, set)| set).collect()
}

fn is_statement(text: &str) -> bool {
    let trimmed = text.trim_end();
    let ends = trimmed
        .trim_end_matches(['"', '”', '\'', '’', ')'])
        .ends_with(['.', '!']);
    ends && crate::text::word_count(trimmed) >= MIN_WORDS
}

/// The sentences that name someone or something: the recogniser's mentions, or, when the story
/// was read without it, those with a capitalised word after the first (every sentence has one
/// first) other than "I".
struct Named<'a>(Option<HashSet<&'a str>>);

impl<'a> Named<'a> {
    fn new(entities: &'a [Entity]) -> Named<'a> {
        Named((!entities.is_empty()).then(|| {
            entities
                .iter()
                .flat_map(|e| e.mentions.iter().map(String::as_str))
                .collect()
        }))
    }

    fn names(&self, sentence: &Sentence) -> bool {
        match &self.0 {
            Some(ids) => ids.contains(sentence.id.as_str()),
            None => sentence.text.split_whitespace().skip(1).any(|w| {
                let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
                w != "I" && w.chars().next().is_some_and(char::is_uppercase)
            }),
        }
    }
}

/// What a reader could check in a sentence, one point each: a name, a figure, a date, a
/// speaker (a quotation's named speaker or a reported-speech source: "X said", "according to
/// X"). Nought is colour or background. Also the sentence's figures.
fn weigh(sentence: &Sentence, named: &Named, quoted: bool) -> (usize, BTreeSet<String>) {
    let text = sentence.text.as_str();
    let dates: Vec<times::Timex> = times::tag(text, None)
        .into_iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .collect();
    let figures = figures(text, &dates);
    let spoken = quoted
        || attributions(text, Cues::shipped())
            .iter()
            .any(|a| a.source.is_some());
    let points = [
        named.names(sentence),
        !figures.is_empty(),
        !dates.is_empty(),
        spoken,
    ];
    (points.iter().filter(|&&p| p).count(), figures)
}

/// The numbers of a text outside its date expressions.
fn figures(text: &str, dates: &[times::Timex]) -> BTreeSet<String> {
    NUMBER
        .find_iter(text)
        .filter(|m| {
            !dates
                .iter()
                .any(|d| d.start <= m.start() && m.end() <= d.end)
        })
        .map(|m| m.as_str().replace(',', ""))
        .collect()
}

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?").expect("valid regex"));

/// Each of two statements has a figure the other lacks: "killing 60 people and injuring 162"
/// against "killing 60 people and injuring 155", not "killing 60" against "60 on Friday, 1998".
fn figures_conflict(a: &Statement, b: &Statement) -> bool {
    !a.figures.is_empty()
        && !b.figures.is_empty()
        && !a.figures.is_subset(&b.figures)
        && !b.figures.is_subset(&a.figures)
}

static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i);\s+|,\s+(?:but|while|although|though|whereas|because)\s+|,\s+(\w+ing\b)|\s+and\s+((?:will|would|could|has|have|had|is|was|were|said)\b)|\s+but\s+",
    )
    .expect("valid regex")
});

/// The clauses of a sentence, when it has more than one.
fn clauses(sentence: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    for c in CLAUSE_BREAK.captures_iter(sentence) {
        let m = c.get(0).expect("whole match");
        let piece = sentence[start..m.start()].trim();
        if crate::text::word_count(piece) >= MIN_CLAUSE_WORDS {
            parts.push(piece);
            // A participle or auxiliary that marks the break opens the next clause.
            start = c.get(1).or(c.get(2)).map_or(m.end(), |w| w.start());
        }
    }
    let last = sentence[start..].trim();
    if crate::text::word_count(last) >= MIN_CLAUSE_WORDS {
        parts.push(last);
    } else if let Some(prev) = parts.pop() {
        // Too short to stand: it belongs with the clause before it.
        let from = prev.as_ptr() as usize - sentence.as_ptr() as usize;
        parts.push(sentence[from..].trim());
    }
    if parts.len() > 1 {
        parts
    } else {
        vec![]
    }
}

/// Words that withdraw what a document said.
static RETRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        \b(?:was|is|were|been)\s+(?:a|an)\s+(?:[\w-]+\s+)?["“']?(?:mistake|error|draft)\b
        | \b(?:should\s+not|shouldn['’]t|ought\s+not\s+to)\s+have\s+been\s+(?:sent|released|published|issued|posted|circulated)\b
        | \bsent\s+(?:by|in)\s+["“']?(?:mistake|error)\b
        | \b(?:we|i)\s+retract\b
        | \b(?:was|were|has|have)\s+(?:since\s+)?(?:been\s+)?(?:retracted|rescinded|corrected)\b
        | \b(?:earlier|previous|initial|first)\s+(?:[\w-]+\s+){0,5}?(?:was|were|is|are)\s+(?:wrong|incorrect|inaccurate|mistaken)\b
        | ^\s*correction\s*:
        "#,
    )
    .expect("valid regex")
});

/// A statement worded as a denial of another: a verb of denying, a decision or finding said
/// not to exist, a claim called untrue. Not "rejected" or "dismissed", whose object is more
/// often a demand or an offer than a statement ("Hun Sen rejected the opposition's demands").
static DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        \b(?:den(?:y|ies|ied|ying|ial)|refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?)\b
        | \bno\s+(?:[\w-]+\s+){1,2}(?:has|had|have)\s+been\s+(?:made|taken|reached|found)\b
        | \bthere(?:\s+is|\s+was|\s+has|['’]s)(?:\s+been)?\s+no\s+[\w-]+\s+(?:made|taken|reached|found)\b
        | \b(?:is|was|are|were)\s+(?:not\s+true|untrue|false|baseless|unfounded)\b
        "#,
    )
    .expect("valid regex")
});

/// Things that say something and can be withdrawn.
const DOCUMENTS: &str = "letter|memo|memorandum|message|statement|tweet|post|announcement|press release|release|email|notice|document|directive|order|report|article";

static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:the|this|that|a|an|its|his|her)\s+(?:[\w-]+\s+)?({DOCUMENTS})\b"
    ))
    .expect("valid regex")
});

/// A sentence that reports what a document said: "said the letter", "the letter said",
/// "informed them in a letter dated Sunday that …".
static ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:said|says|stated|states|reads|read|wrote|announced|informed|told|warned)\s+(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s*(?:[,.;:]|$)|\ban?\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s+purporting\b|\b(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\s+(?:[\w-]+\s+){{0,3}}?(?:said|says|stated|states|reads|read|warned|announced)\b|\bin\s+an?\s+(?:[\w-]+\s+)?(?:{DOCUMENTS})\b[^.]{{0,40}}\bthat\b"
    ))
    .expect("valid regex")
});

static IT_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*it\s+(?:said|says|stated|states|added|read|reads)\b").expect("valid regex")
});

/// A withdrawal, and the statements it withdraws.
struct Retraction {
    /// The withdrawing sentence, or the later version of a revised one.
    by: usize,
    attributed: Vec<usize>,
    what: Withdrawn,
}

enum Withdrawn {
    /// A document ("letter") called a mistake, a draft, wrong.
    Document(String),
    /// Figures called wrong by the source that gave them.
    Figure,
    /// An earlier version of a copied text whose figures a later version changed.
    Revision,
}

fn retractions(story: &Story, quotes: &[Quote]) -> Vec<Retraction> {
    let (reports, statements) = (story.reports, &story.statements);
    let position = sentence_positions(reports.iter().copied());
    // A document may speak through a quote the quotes stage already attributed to it.
    let quoted_from: HashMap<&str, String> = quotes
        .iter()
        .filter_map(|q| {
            let name = q.speaker_name.as_deref()?;
            Some((q.cite.as_str(), document_in(name)?))
        })
        .collect();

    let mut out: Vec<Retraction> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if !RETRACTION.is_match(s.text) {
            continue;
        }
        let Some(document) = named_document(story, i) else {
            continue;
        };
        let attributed = statements
            .iter()
            .enumerate()
            .filter(|(_, t)| !RETRACTION.is_match(t.text))
            .filter(|(_, t)| {
                let (tr, tn) = position[t.id];
                let names = |text: &str| document_in(text).as_deref() == Some(document.as_str());
                (ATTRIBUTED.is_match(t.text) && names(t.text))
                    || quoted_from.get(t.id) == Some(&document)
                    || (IT_SAID.is_match(t.text)
                        && reports[tr].sentences[tn.saturating_sub(DOCUMENT_REACH)..tn]
                            .iter()
                            .rev()
                            .find_map(|p| document_in(&p.text))
                            .as_deref()
                            == Some(document.as_str()))
            })
            .map(|(k, _)| k)
            .collect();
        out.push(Retraction {
            by: i,
            attributed,
            what: Withdrawn::Document(document),
        });
    }
    out
}

fn document_in(text: &str) -> Option<String> {
    DOCUMENT.captures(text).map(|c| c[1].to_lowercase())
}

/// The sentence before a withdrawing statement, in its report.
fn sentence_before<'a>(story: &Story<'a>, statement: &Statement) -> Option<&'a Sentence> {
    let report = story.reports[statement.report];
    let n = report.sentences.iter().position(|s| s.id == statement.id)?;
    report.sentences.get(n.checked_sub(1)?)
}

/// The document a withdrawing statement names: "This was a mistake" names it in the sentence
/// before.
fn named_document(story: &Story, withdrawing: usize) -> Option<String> {
    let s = &story.statements[withdrawing];
    document_in(s.text).or_else(|| document_in(&sentence_before(story, s)?.text))
}

/// A withdrawal that names no document withdraws figures: "Police earlier had reported 65
/// dead, but backed off that figure. “The earlier information that police gave out was
/// wrong.”" The figures are the withdrawing sentence's, else those of the sentence before it
/// (the giver); the claims withdrawn state one of them, in a report no later than the
/// withdrawal's, and are about the same thing (at least [`ClaimOptions::related`] alike to the
/// withdrawing sentence or its giver). Givers and withdrawals report the withdrawal and stand.
fn figure_withdrawals(story: &Story, space: &Space, options: &ClaimOptions) -> Vec<Retraction> {
    let statements = &story.statements;
    let index: HashMap<&str, usize> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let withdrawals: Vec<(usize, Vec<usize>, BTreeSet<String>)> = (0..statements.len())
        .filter(|&w| story.retracting[w] && named_document(story, w).is_none())
        .filter_map(|w| {
            let s = &statements[w];
            let before = sentence_before(story, s).and_then(|b| index.get(b.id.as_str()).copied());
            let giver = if s.figures.is_empty() { before? } else { w };
            let figures = statements[giver].figures.clone();
            Some((w, vec![w, giver], figures)).filter(|(.., f)| !f.is_empty())
        })
        .collect();
    let speaking: HashSet<usize> = withdrawals.iter().flat_map(|(_, g, _)| g.clone()).collect();
    withdrawals
        .iter()
        .map(|(w, givers, figures)| Retraction {
            by: *w,
            attributed: (0..statements.len())
                .filter(|t| !speaking.contains(t) && !story.retracting[*t])
                .filter(|&t| statements[t].report <= statements[*w].report)
                .filter(|&t| !statements[t].figures.is_disjoint(figures))
                .filter(|&t| {
                    givers
                        .iter()
                        .any(|&g| space.cosine(g, t) >= options.related)
                })
                .collect(),
            what: Withdrawn::Figure,
        })
        .collect()
}

/// A copy whose figures differ from its original's is one text revised: the later version
/// (reports are in time order) withdraws the earlier ("killing at least 60 people and
/// injuring about 180" edited into "killing 65 people and injuring 157 others").
fn revisions(story: &Story) -> Vec<Retraction> {
    let statements = &story.statements;
    story
        .copies
        .iter()
        .filter(|&&(a, b)| figures_conflict(&statements[a], &statements[b]))
        .filter_map(|&(a, b)| {
            let (early, late) = if statements[a].report <= statements[b].report {
                (a, b)
            } else {
                (b, a)
            };
            (statements[early].report < statements[late].report).then(|| Retraction {
                by: late,
                attributed: vec![early],
                what: Withdrawn::Revision,
            })
        })
        .collect()
}

/// The claims a reader should see, best first: most independent reports, then most
/// statements, then most to check, then story order. Contested and retracted claims always;
/// others up to [`MAX_CLAIMS`], a claim of one report only with at least
/// [`SINGLE_SOURCE_WEIGHT`].
fn select(story: &Story, mut claims: Vec<(usize, Claim)>) -> Vec<Claim> {
    let weight = |first: usize| story.statements[first].weight;
    claims.sort_by_key(|(first, c)| {
        (
            Reverse((c.sources, c.support.len(), weight(*first))),
            *first,
        )
    });
    let shown = |c: &Claim| matches!(c.status, ClaimStatus::Contested | ClaimStatus::Retracted);
    let mut room = MAX_CLAIMS;
    claims
        .into_iter()
        .filter(|(first, c)| {
            if shown(c) {
                return true;
            }
            let worth = c.sources > 1 || weight(*first) >= SINGLE_SOURCE_WEIGHT;
            let keep = worth && room > 0;
            room -= usize::from(keep);
            keep
        })
        .map(|(_, c)| c)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn weight_of(text: &str) -> usize {
        let sentence = Sentence {
            id: "r:1".to_string(),
            text: text.to_string(),
        };
        weigh(&sentence, &Named::new(&[]), false).0
    }

    #[test]
    fn what_a_reader_could_check_is_counted() {
        // A name and a speaker; a figure and a name; a date, a name, a speaker.
        assert_eq!(
            weight_of("The lead detective, Hans Carlsson, said the fire started on the stage."),
            2
        );
        assert_eq!(weight_of("The fire killed 60 people in Goteborg."), 2);
        assert_eq!(
            weight_of("Hun Sen said on Oct. 30 that the talks were over."),
            3
        );
        // Colour and background: nothing to check.
        assert_eq!(
            weight_of("The streets were quiet and the air smelled of smoke."),
            0
        );
        assert_eq!(weight_of("I think it was the right thing to do."), 0);
    }

    #[test]
    fn figures_leave_out_dates_and_thousands_separators() {
        let figures = |text: &str| {
            let dates = times::tag(text, None);
            figures(text, &dates).into_iter().collect::<Vec<_>>()
        };
        assert_eq!(
            figures("About 1,500 Kurds gathered on Nov. 16, 1998."),
            ["1500"]
        );
        assert_eq!(figures("It killed 60 and injured 162."), ["162", "60"]);
    }

    #[test]
    fn a_denial_is_worded_as_one() {
        for denial in [
            "Indonesia on Tuesday denied claims that its troops massacred 40 people.",
            "There's been no decision made to leave Iraq.",
            "No decision has been made on the tariffs.",
            "The ministry said the report was untrue.",
        ] {
            assert!(DENIAL.is_match(denial), "{denial}");
        }
        for other in [
            "Hun Sen rejected the opposition's demands for talks abroad.",
            "Blair said it was not a matter for the British government.",
        ] {
            assert!(!DENIAL.is_match(other), "{other}");
        }
    }

    #[test]
    fn names_are_listed_once_with_their_count() {
        let list = |v: &[&str]| names(v.iter().map(|s| s.to_string()));
        assert_eq!(list(&["AP"]), "AP");
        assert_eq!(list(&["AP", "NYT", "AP"]), "AP (2 reports) and NYT");
        assert_eq!(list(&["AP", "NYT", "Xinhua"]), "AP, NYT and Xinhua");
    }

    #[test]
    fn an_earlier_figure_called_wrong_is_a_retraction() {
        assert!(RETRACTION.is_match("The earlier information that police gave out was wrong."));
        assert!(RETRACTION.is_match("The statement has since been corrected."));
        assert!(!RETRACTION.is_match("Blair said it was wrong to intervene."));
    }
}
