//! Claims: the factual statements of a story, grouped across its reports, and their standing.
//!
//! **Statements.** Every sentence that ends like a statement (not a heading, not a question)
//! and has at least [`MIN_WORDS`] words. A sentence is also read as its clauses (split at
//! semicolons, at a comma before a conjunction or participle, at "and" before an auxiliary),
//! because reports often say the same thing inside differently built sentences: "…, denying
//! there has been a decision to leave Iraq" and "There's been no decision made to leave Iraq".
//! Two sentences are compared through their closest pair of units (sentence or clause) by the
//! encoder's cosine.
//!
//! **Grouping.** Copies found by the reuse stage always group. Otherwise two sentences of
//! different reports group when their closest units are at least [`ClaimOptions::same`] alike
//! and the [`Judge`] calls them agreeing. Pairs at least [`ClaimOptions::related`] alike that the
//! judge calls contradictory are kept as contradictions, in either direction, when the two
//! speak to one point: across sources, each is among the other's [`NEAREST`] closest
//! statements in other sources; within one source (a report, or two copies of one article),
//! two named speakers say them (a report's own sentences qualify each other rather than
//! dispute). In a story of ten reports nearly every sentence is `related` to many others, and
//! a negation or a number in one of them is no dispute: on the 250 DUC 2004 dev documents,
//! 1,605 of 4,733 claims were contested before these two rules and the judge's anchored
//! evidence (`nli`), 115 of 4,738 with them (`bench/build`).
//!
//! **Status**, first that holds:
//! - `retracted`: a supporting sentence is attributed to a document ("said the letter", "in a
//!   letter dated …", "It said …" after one) that the story calls a mistake, a draft, sent in
//!   error, not to have been sent, retracted or corrected;
//! - `contested`: it has contradicting sentences whose independent sources are at least as many
//!   as its own (one report against two leaves the two standing, the one contested);
//! - `corroborated`: two or more independent reports;
//! - `single-source`.
//!
//! Independent reports: the reports of the supporting sentences, where two reports joined by a
//! copied supporting sentence count once.

use crate::embed::Encoder;
use crate::model::{sentence_positions, Claim, ClaimStatus, Quote, Report, Reuse};
use crate::nli::{Judge, Pair, Verdict};
use regex::Regex;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// Shorter sentences are fragments, datelines or captions rather than statements.
pub const MIN_WORDS: usize = 5;
/// Clauses shorter than this stay part of their neighbour: "he said" is not a statement.
const MIN_CLAUSE_WORDS: usize = 4;
/// Sentences before an "It said …" that may name the document "it" is.
const DOCUMENT_REACH: usize = 3;

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

/// A statement under consideration.
struct Statement<'a> {
    id: &'a str,
    report: usize,
    text: &'a str,
    /// The sentence first, then its clauses.
    units: Vec<&'a str>,
}

/// The story's claims. `reports` are the story's reports, oldest first; `reuse` and `quotes`
/// are the earlier stages' output for them. A failure of the encoder (a bug, not bad input)
/// leaves the story without claims rather than stopping the pipeline.
pub fn claims(
    reports: &[&Report],
    reuse: &[Reuse],
    quotes: &[Quote],
    encoder: &Encoder,
    judge: &dyn Judge,
    options: &ClaimOptions,
) -> Vec<Claim> {
    let statements: Vec<Statement> = reports
        .iter()
        .enumerate()
        .flat_map(|(r, report)| {
            report
                .sentences
                .iter()
                .filter(|s| is_statement(&s.text))
                .map(move |s| Statement {
                    id: &s.id,
                    report: r,
                    text: &s.text,
                    units: std::iter::once(s.text.as_str())
                        .chain(clauses(&s.text))
                        .collect(),
                })
        })
        .collect();
    if statements.is_empty() {
        return vec![];
    }
    let units: Vec<&str> = statements.iter().flat_map(|s| s.units.clone()).collect();
    let Ok(vectors) = encoder.embed(&units) else {
        return vec![];
    };
    let mut first_unit = Vec::with_capacity(statements.len());
    let mut at = 0;
    for s in &statements {
        first_unit.push(at);
        at += s.units.len();
    }
    let index: HashMap<&str, usize> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let copies: Vec<(usize, usize)> = reuse
        .iter()
        .filter_map(|r| Some((*index.get(r.from.as_str())?, *index.get(r.to.as_str())?)))
        .collect();

    let mut groups = UnionFind::new(statements.len());
    for &(a, b) in &copies {
        groups.union(a, b);
    }
    // Two statements are of one source when they are of one report, or each is copied into
    // the other's report (one article syndicated twice): a report does not dispute itself.
    // Sharing some copied passage is not enough: two outlets quote the same agency line and
    // still disagree elsewhere.
    let copied_into: HashSet<(usize, usize)> = copies
        .iter()
        .flat_map(|&(a, b)| [(a, statements[b].report), (b, statements[a].report)])
        .collect();
    let one_source = |i: usize, j: usize| {
        let (ri, rj) = (statements[i].report, statements[j].report);
        ri == rj || copied_into.contains(&(i, rj)) && copied_into.contains(&(j, ri))
    };
    let speaker: HashMap<&str, &str> = quotes
        .iter()
        .filter_map(|q| Some((q.cite.as_str(), q.speaker_name.as_deref()?)))
        .collect();
    let retracting: Vec<bool> = statements
        .iter()
        .map(|s| RETRACTION.is_match(s.text))
        .collect();
    // Contradictions: (i, j, cosine, the unit of each side, the evidence in words).
    let mut against: Vec<(usize, usize, f32, [&str; 2], String)> = Vec::new();
    let mut nearest: Vec<Nearest> = vec![Nearest::default(); statements.len()];
    for i in 0..statements.len() {
        for j in i + 1..statements.len() {
            let (cosine, ui, uj) = closest(&statements, &first_unit, &vectors, i, j);
            if !one_source(i, j) {
                nearest[i].offer(cosine);
                nearest[j].offer(cosine);
            }
            if cosine < options.related {
                continue;
            }
            // The shorter unit as hypothesis: a clause is judged against the longer statement
            // it may be part of.
            let (premise, hypothesis) = if uj.len() <= ui.len() {
                (ui, uj)
            } else {
                (uj, ui)
            };
            let judgement = judge.judge(&Pair {
                premise,
                hypothesis,
                cosine,
            });
            let (si, sj) = (&statements[i], &statements[j]);
            // Within one source a dispute is two named speakers set against each other; the
            // report's own sentences, or one speaker's, qualify rather than contest each other.
            let two_voices = match (speaker.get(si.id), speaker.get(sj.id)) {
                (Some(a), Some(b)) => a != b,
                _ => false,
            };
            match judgement.verdict {
                // A contradiction the judge cannot explain is not shown to a reader as one, and
                // two withdrawals of the same thing are no dispute.
                Verdict::Contradict
                    if !(judgement.evidence.is_empty()
                        || one_source(i, j) && !two_voices
                        || retracting[i] && retracting[j]) =>
                {
                    let why = format!("{} (cosine {cosine:.2})", judgement.evidence.join("; "));
                    against.push((i, j, cosine, [ui, uj], why));
                }
                Verdict::Agree if cosine >= options.same && si.report != sj.report => {
                    groups.union(i, j)
                }
                _ => {}
            }
        }
    }

    // Within a story every sentence is about its subject, so a cosine over `related` often
    // means only "the same story": two statements of different sources speak to one point
    // when each is among the other's closest statements in other sources (the margin idea of
    // bitext mining).
    against.retain(|(i, j, cosine, ..)| {
        one_source(*i, *j) || nearest[*i].admits(*cosine) && nearest[*j].admits(*cosine)
    });
    let retractions = retractions(reports, &statements, quotes);
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..statements.len() {
        let root = groups.find(i);
        let g = *group_of.entry(root).or_insert_with(|| {
            members.push(vec![]);
            members.len() - 1
        });
        members[g].push(i);
    }
    let mut out = Vec::new();
    for support in &members {
        let in_group = |k: usize| support.contains(&k);
        // A contradiction of one statement of a group is a contradiction of the claim the
        // group states: all its statements stand against this one.
        let mut opposing: BTreeSet<usize> = BTreeSet::new();
        let mut reasons: Vec<String> = Vec::new();
        for (a, b, _, units, why) in &against {
            let (other, unit) = match (in_group(*a), in_group(*b)) {
                (true, false) => (*b, units[1]),
                (false, true) => (*a, units[0]),
                _ => continue,
            };
            let root = groups.find(other);
            opposing.extend((0..statements.len()).filter(|&k| groups.find(k) == root));
            reasons.push(format!("{} says \"{unit}\": {why}", statements[other].id));
        }
        let sources = independent(support, &statements, &copies);
        let opposing_sources = independent(
            &opposing.iter().copied().collect::<Vec<_>>(),
            &statements,
            &copies,
        );
        let retracted: Vec<&Retraction> = retractions
            .iter()
            .filter(|r| support.iter().any(|&s| r.attributed.contains(&s)))
            .collect();
        let mut contradict: Vec<usize> = opposing.iter().copied().collect();
        contradict.extend(retracted.iter().map(|r| r.by));

        let copied = support.len() > sources;
        let mut why = match sources {
            1 if support.len() > 1 => format!(
                "{} sentences state it, but they copy one text: one independent source",
                support.len()
            ),
            1 => "one report states it".to_string(),
            n if copied => format!(
                "{n} independent reports state it ({} sentences, copies counted once)",
                support.len()
            ),
            n => format!("{n} independent reports state it"),
        };
        if let Some(&first) = support.first() {
            if let Some(name) = speaker.get(statements[first].id) {
                why.push_str(&format!("; said by {name}"));
            }
        }
        let status = if !retracted.is_empty() {
            for r in &retracted {
                let by = statements[r.by].id;
                let words = quotes
                    .iter()
                    .find(|q| q.cite == by && RETRACTION.is_match(&q.text))
                    .map_or(statements[r.by].text, |q| q.text.as_str());
                why.push_str(&format!(
                    "; retracted: it comes from {}, withdrawn by {}: \"{words}\" ({by})",
                    r.document,
                    speaker.get(by).unwrap_or(&"the story"),
                ));
            }
            ClaimStatus::Retracted
        } else if !opposing.is_empty() && opposing_sources >= sources {
            ClaimStatus::Contested
        } else if sources >= 2 {
            ClaimStatus::Corroborated
        } else {
            ClaimStatus::SingleSource
        };
        if !reasons.is_empty() {
            why.push_str(&format!("; contested: {}", reasons.join("; ")));
            if status != ClaimStatus::Contested && status != ClaimStatus::Retracted {
                why.push_str(&format!(
                    " (from {opposing_sources} independent report{}, fewer than its own)",
                    if opposing_sources == 1 { "" } else { "s" }
                ));
            }
        }
        contradict.sort_unstable();
        contradict.dedup();
        out.push(Claim {
            id: String::new(),
            text: statements[support[0]].text.to_string(),
            status,
            support: support
                .iter()
                .map(|&s| statements[s].id.to_string())
                .collect(),
            contradict: contradict
                .iter()
                .map(|&s| statements[s].id.to_string())
                .collect(),
            sources,
            why,
        });
    }
    for (n, claim) in out.iter_mut().enumerate() {
        claim.id = format!("c{}", n + 1);
    }
    out
}

fn is_statement(text: &str) -> bool {
    let trimmed = text.trim_end();
    let ends = trimmed
        .trim_end_matches(['"', '”', '\'', '’', ')'])
        .ends_with(['.', '!']);
    ends && crate::text::word_count(trimmed) >= MIN_WORDS
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

/// The closest pair of units of two statements: (cosine, unit of i, unit of j).
fn closest<'a>(
    statements: &[Statement<'a>],
    first_unit: &[usize],
    vectors: &[Vec<f32>],
    i: usize,
    j: usize,
) -> (f32, &'a str, &'a str) {
    let mut best = (f32::NEG_INFINITY, statements[i].text, statements[j].text);
    for (a, ua) in statements[i].units.iter().enumerate() {
        for (b, ub) in statements[j].units.iter().enumerate() {
            let (va, vb) = (&vectors[first_unit[i] + a], &vectors[first_unit[j] + b]);
            let cosine: f32 = va.iter().zip(vb).map(|(x, y)| x * y).sum();
            if cosine > best.0 {
                best = (cosine, ua, ub);
            }
        }
    }
    best
}

/// Reports among the statements, reports joined by a copy between two of them counted once.
fn independent(of: &[usize], statements: &[Statement], copies: &[(usize, usize)]) -> usize {
    let reports: BTreeSet<usize> = of.iter().map(|&s| statements[s].report).collect();
    let mut sets = UnionFind::new(statements.iter().map(|s| s.report + 1).max().unwrap_or(0));
    for &(a, b) in copies {
        if of.contains(&a) && of.contains(&b) {
            sets.union(statements[a].report, statements[b].report);
        }
    }
    reports
        .iter()
        .map(|&r| sets.find(r))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Words that withdraw what a document said.
static RETRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        \b(?:was|is|were|been)\s+(?:a|an)\s+(?:[\w-]+\s+)?["“']?(?:mistake|error|draft)\b
        | \b(?:should\s+not|shouldn['’]t|ought\s+not\s+to)\s+have\s+been\s+(?:sent|released|published|issued|posted|circulated)\b
        | \bsent\s+(?:by|in)\s+["“']?(?:mistake|error)\b
        | \b(?:we|i)\s+retract\b
        | \b(?:was|has\s+been|have\s+been)\s+(?:retracted|rescinded)\b
        | ^\s*correction\s*:
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

/// A withdrawal of a document, and the statements that came from it.
struct Retraction {
    document: String,
    /// The withdrawing sentence.
    by: usize,
    attributed: Vec<usize>,
}

fn retractions(reports: &[&Report], statements: &[Statement], quotes: &[Quote]) -> Vec<Retraction> {
    let position = sentence_positions(reports.iter().copied());
    let document_in = |text: &str| DOCUMENT.captures(text).map(|c| c[1].to_lowercase());
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
        let (r, n) = position[s.id];
        // "This was a mistake" names its document in the sentence before.
        let Some(document) = document_in(s.text).or_else(|| {
            n.checked_sub(1)
                .and_then(|p| document_in(&reports[r].sentences[p].text))
        }) else {
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
            document: format!("the {document}"),
            by: i,
            attributed,
        });
    }
    out
}

/// How many of a statement's closest statements in other sources it may contradict.
const NEAREST: usize = 3;

/// The [`NEAREST`] highest cosines of one statement to statements of other sources.
#[derive(Debug, Clone, Copy, Default)]
struct Nearest {
    best: [f32; NEAREST],
    seen: usize,
}

impl Nearest {
    fn offer(&mut self, cosine: f32) {
        self.seen += 1;
        let last = NEAREST - 1;
        if self.seen <= NEAREST || cosine > self.best[last] {
            let at = self.seen.min(NEAREST) - 1;
            self.best[at] = cosine;
            // Keep `best` sorted, highest first, over the slots filled.
            let mut k = at;
            while k > 0 && self.best[k] > self.best[k - 1] {
                self.best.swap(k, k - 1);
                k -= 1;
            }
        }
    }

    /// Whether a statement at `cosine` is among the closest.
    fn admits(&self, cosine: f32) -> bool {
        self.seen < NEAREST || cosine >= self.best[NEAREST - 1]
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_keeps_the_highest_cosines_in_any_order() {
        let mut n = Nearest::default();
        n.offer(0.55);
        // Fewer statements in other reports than NEAREST: every one is among the closest.
        assert!(n.admits(0.1));
        for c in [0.2, 0.9, 0.6, 0.3, 0.7] {
            n.offer(c);
        }
        assert_eq!(n.best, [0.9, 0.7, 0.6]);
        assert!(n.admits(0.6) && n.admits(0.8));
        assert!(!n.admits(0.55), "fourth closest");
    }
}
