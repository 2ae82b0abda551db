//! Summarise: a short extractive summary per story, each sentence citing every report sentence
//! it rests on.
//!
//! Method (concept coverage): the concepts of a story are its content-word stems and the pairs
//! of adjacent stems with at least one content word; a concept is worth the number of reports
//! that carry it, so what many outlets report outweighs one outlet's detail. Sentences are
//! picked greedily by the worth of the concepts they add that are not yet covered, plus a share
//! of the worth of all their concepts (how central they are), per word and favouring early
//! sentences of a report (news puts the event first), until the word budget is spent. A
//! sentence that adds no uncovered concept is never picked and near-copies are excluded
//! outright, which keeps repeats out. Greedy coverage is deterministic and explainable: every
//! pick is the best value per word at its step.
//!
//! A summary sentence must read alone ([`alone`]): prose, not a table row, list entry, caption
//! or credit line; and what it leans on comes first. A sentence whose subject is a pronoun is
//! picked only after the sentence before it in its report, and placed right after it; one whose
//! subject is a bare surname only after a sentence that gives the full name.
//!
//! Before they compete, sentences lose their low-content parts ([`trim`]): weekday mentions,
//! asides in brackets or between paired dashes, an introductory phrase before the main clause.
//! Those words would take budget from what happened. A summary sentence is thus its cited
//! sentence with words left out, never reworded; its cites are the sentence and every copy of
//! it in other reports.

mod alone;
pub mod title;
mod trim;

use crate::model::{sentence_positions, Report, Reuse, SummarySentence};
use crate::text::{self, ReportWords, Word};
use alone::Leans;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Word budget for the whole summary.
    pub words: usize,
    /// The selection's constants.
    pub tuning: Tuning,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions::words(100)
    }
}

impl SummaryOptions {
    pub fn words(words: usize) -> SummaryOptions {
        SummaryOptions {
            words,
            tuning: Tuning::default(),
        }
    }
}

/// The constants of the selection, in one place so that a benchmark can choose them on some
/// clusters and score them on others (bench/duc2004 cross-validates them); the defaults are
/// what that cross-validation picked on each of its five folds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// How much a sentence's centrality (the worth of all its concepts, covered or not) counts
    /// beside what it adds (relevance beside novelty, as in maximal marginal relevance).
    pub centrality: f64,
    /// How much more a report's opening sentence is worth than a late one: news leads with the
    /// event (the first sentence counts 1 + lead, the second 1 + lead/2, ...).
    pub lead: f64,
    /// Value is per word to this power: below 1 so that a long lead sentence that states the
    /// event does not lose to a short detail for its length alone.
    pub length_power: f64,
    /// Share of a story's reports that must carry a concept for it to count (at least two).
    pub share: f64,
    /// Share of the shorter sentence's content words two sentences may have in common before
    /// the second is a near-copy of the first.
    pub overlap: f64,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            centrality: 0.6,
            lead: 3.0,
            length_power: 0.7,
            share: 0.4,
            overlap: 0.5,
        }
    }
}

impl Tuning {
    /// Sets one constant by name (`centrality=0.5`), for the benchmark's grid.
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("{assignment:?} is not NAME=VALUE"))?;
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{assignment:?}: the value is not a number >= 0"))?;
        let field = match name.trim() {
            "centrality" => &mut self.centrality,
            "lead" => &mut self.lead,
            "length-power" => &mut self.length_power,
            "share" => &mut self.share,
            "overlap" => &mut self.overlap,
            other => {
                return Err(format!(
                    "{other:?} is not a summary constant (centrality, lead, length-power, share, overlap)"
                ))
            }
        };
        *field = value;
        Ok(())
    }
}

/// A sentence eligible for the summary.
struct Candidate<'a> {
    id: &'a str,
    /// The sentence, trimmed.
    text: String,
    report: usize,
    position: usize,
    words: usize,
    /// Ids of its concepts, each once.
    concepts: Vec<u32>,
    /// Ids of its content-word stems, sorted, each once: for the near-copy test.
    stems: Vec<u32>,
    /// What the summary must say before it.
    leans: Leans,
    /// The candidate that is the sentence before it in its report, if any.
    previous: Option<usize>,
    /// Surnames it gives with a first name, for later sentences to use alone.
    introduces: Vec<String>,
}

/// Summarises one story. `reports` are the story's reports, oldest first; `reuse` its copied
/// sentence pairs (used to cite every copy of a chosen sentence, and to avoid picking two).
pub fn summarise(
    reports: &[(&Report, &ReportWords)],
    reuse: &[Reuse],
    options: &SummaryOptions,
) -> Vec<SummarySentence> {
    let words_of: Vec<&[Vec<Word>]> = reports
        .iter()
        .map(|(_, w)| w.sentences.as_slice())
        .collect();
    let tuning = &options.tuning;
    let vocabulary = Vocabulary::of(&words_of, tuning.share);
    let candidates = candidates_of(reports, &vocabulary, options.words);
    let copies = copy_groups(reuse);
    let chosen = select(
        &candidates,
        &vocabulary.weights,
        &copies,
        options.words,
        tuning,
    );
    let chosen: Vec<&Candidate> = order(chosen, &candidates)
        .into_iter()
        .map(|i| &candidates[i])
        .collect();
    let positions = sentence_positions(reports.iter().map(|(r, _)| *r));
    chosen
        .into_iter()
        .map(|c| {
            let mut cites: Vec<String> = copies
                .get(c.id)
                .map(|group| group.iter().cloned().collect())
                .unwrap_or_else(|| vec![c.id.to_string()]);
            cites.sort_by_key(|id| {
                positions
                    .get(id.as_str())
                    .copied()
                    .unwrap_or((usize::MAX, 0))
            });
            SummarySentence {
                text: c.text.clone(),
                cites,
            }
        })
        .collect()
}

/// The sentences that may enter the summary, trimmed, with their concepts and what each leans on.
fn candidates_of<'a>(
    reports: &[(&'a Report, &ReportWords)],
    vocabulary: &Vocabulary,
    budget: usize,
) -> Vec<Candidate<'a>> {
    let surnames: FxHashSet<&str> = reports
        .iter()
        .flat_map(|(r, _)| &r.sentences)
        .flat_map(|s| alone::full_names(&s.text))
        .collect();
    let mut candidates = Vec::new();
    let mut index: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for (r, (report, _)) in reports.iter().enumerate() {
        for (p, sentence) in report.sentences.iter().enumerate() {
            if !reads_alone(&sentence.text) {
                continue;
            }
            let trimmed = trim::trim(&sentence.text);
            let n = text::word_count(&trimmed);
            if !(MIN_WORDS..=MAX_WORDS).contains(&n) || n > budget || !alone::is_prose(&trimmed) {
                continue;
            }
            let retokenised;
            let ids = if trimmed == sentence.text {
                &vocabulary.sentence_ids[r][p]
            } else {
                retokenised = vocabulary.ids(&text::words(&trimmed));
                &retokenised
            };
            index.insert((r, p), candidates.len());
            candidates.push(Candidate {
                id: &sentence.id,
                leans: alone::leans_on(&trimmed, &|w| surnames.contains(w)),
                previous: p.checked_sub(1).and_then(|q| index.get(&(r, q)).copied()),
                introduces: alone::full_names(&trimmed).map(str::to_string).collect(),
                report: r,
                position: p,
                words: n,
                concepts: vocabulary.concepts_of(ids),
                stems: stems_of(ids),
                text: trimmed,
            });
        }
    }
    candidates
}

/// Whether what a candidate leans on is among `chosen` (see [`alone::Leans`]).
fn leans_met(c: &Candidate, chosen: &[usize], candidates: &[Candidate]) -> bool {
    match &c.leans {
        Leans::Nothing => true,
        Leans::OnPrevious => c.previous.is_some_and(|p| chosen.contains(&p)),
        Leans::OnName(name) => chosen
            .iter()
            .any(|&j| candidates[j].introduces.iter().any(|n| n == name)),
    }
}

/// Summary order. Leads first: a report's opening sentence states the event, later ones add to
/// it; but a sentence goes only after what it leans on, and one whose pronoun stands for the
/// sentence before it in its report goes right after that sentence.
fn order(chosen: Vec<usize>, candidates: &[Candidate]) -> Vec<usize> {
    let mut pending = chosen;
    pending.sort_by_key(|&i| (candidates[i].position, candidates[i].report));
    let mut out: Vec<usize> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let follows_last = |&i: &usize| {
            candidates[i].leans == Leans::OnPrevious
                && candidates[i].previous == out.last().copied()
        };
        let next = pending
            .iter()
            .position(follows_last)
            .or_else(|| {
                pending
                    .iter()
                    .position(|&i| leans_met(&candidates[i], &out, candidates))
            })
            .unwrap_or(0);
        out.push(pending.remove(next));
    }
    out
}

/// Summary sentences run from 6 to 60 words (after trimming): shorter ones say too little,
/// longer ones are run-ons that would eat the budget.
const MIN_WORDS: usize = 6;
const MAX_WORDS: usize = 60;

/// Sentences a reader can take out of context: full sentences, not questions, not lead-ins to
/// a list or quote.
fn reads_alone(sentence: &str) -> bool {
    let starts_well = sentence
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\'');
    let ends = sentence.trim_end_matches(['"', '\'', ')']);
    starts_well && !ends.ends_with('?') && !ends.ends_with(':')
}

/// The story's concepts and what each is worth. A concept is a content-word stem or a pair of
/// adjacent stems with at least one content word: words reward covering the story's
/// vocabulary; pairs reward its phrases ("green zone", "drone strike"), which single words
/// cannot tell apart. Stems and concepts are numbered once, so that the selection compares
/// integers, not strings (hashed with Fx: the keys are the story's own words, not input an
/// attacker could shape into collisions at scale, and SipHash cost a tenth of a run).
struct Vocabulary<'w> {
    stems: FxHashMap<&'w str, u32>,
    concepts: FxHashMap<u64, u32>,
    /// By concept id.
    weights: Vec<f64>,
    /// Per report and sentence, its words as (stem id, is stopword): numbered once here and
    /// reused for every sentence that trimming leaves as it is.
    sentence_ids: Vec<Vec<WordIds>>,
}

/// A sentence's words as (stem id, is stopword); `None` for a word the story does not know.
type WordIds = Vec<Option<(u32, bool)>>;

/// The second half of a single word's concept key (no stem has this id).
const SINGLE: u32 = u32::MAX;

impl<'w> Vocabulary<'w> {
    /// In a story of several reports a concept is worth the number of reports carrying it, and
    /// only concepts carried by several reports count (`share` of them, at least two). A
    /// story of one report counts repeats within it instead.
    fn of(words_of: &[&'w [Vec<Word>]], share: f64) -> Vocabulary<'w> {
        let mut stems: FxHashMap<&'w str, u32> = FxHashMap::default();
        let mut concepts: FxHashMap<u64, u32> = FxHashMap::default();
        let mut reports_with: Vec<u32> = Vec::new();
        let mut occurrences: Vec<u32> = Vec::new();
        let mut seen_in: Vec<usize> = Vec::new();
        let mut sentence_ids = Vec::with_capacity(words_of.len());
        for (r, report) in words_of.iter().enumerate() {
            let mut report_ids = Vec::with_capacity(report.len());
            for sentence in report.iter() {
                let ids: WordIds = sentence
                    .iter()
                    .map(|w| {
                        let next = stems.len() as u32;
                        Some((
                            *stems.entry(w.stem.as_str()).or_insert(next),
                            w.is_stopword(),
                        ))
                    })
                    .collect();
                for key in keys(&ids) {
                    let next = concepts.len() as u32;
                    let id = *concepts.entry(key).or_insert(next) as usize;
                    if id == reports_with.len() {
                        reports_with.push(0);
                        occurrences.push(0);
                        seen_in.push(usize::MAX);
                    }
                    occurrences[id] += 1;
                    if seen_in[id] != r {
                        seen_in[id] = r;
                        reports_with[id] += 1;
                    }
                }
                report_ids.push(ids);
            }
            sentence_ids.push(report_ids);
        }
        let n = words_of.len();
        let weights = if n > 1 {
            let min_reports = ((n as f64 * share).round() as u32).max(2);
            reports_with
                .iter()
                .map(|&k| if k >= min_reports { k as f64 } else { 0.0 })
                .collect()
        } else {
            occurrences
                .iter()
                .map(|&k| if k >= 2 { k as f64 } else { 0.0 })
                .collect()
        };
        Vocabulary {
            stems,
            concepts,
            weights,
            sentence_ids,
        }
    }

    fn ids(&self, words: &[Word]) -> WordIds {
        words
            .iter()
            .map(|w| {
                self.stems
                    .get(w.stem.as_str())
                    .map(|&id| (id, w.is_stopword()))
            })
            .collect()
    }

    /// The known concepts of a sentence (given by its words' ids), each once. A trimmed
    /// sentence may join two words that were apart in the report: such a pair is no concept
    /// of the story.
    fn concepts_of(&self, ids: &[Option<(u32, bool)>]) -> Vec<u32> {
        let mut out: Vec<u32> = keys(ids)
            .filter_map(|k| self.concepts.get(&k).copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The content-word stem ids of a sentence (given by its words' ids), sorted, each once.
fn stems_of(ids: &[Option<(u32, bool)>]) -> Vec<u32> {
    let mut out: Vec<u32> = ids
        .iter()
        .flatten()
        .filter(|(_, stop)| !stop)
        .map(|&(id, _)| id)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Concept keys of a sentence given its words' (stem id, is stopword): adjacent pairs with a
/// content word, then content words alone. An unknown word (None) breaks the pairs around it.
fn keys(ids: &[Option<(u32, bool)>]) -> impl Iterator<Item = u64> + '_ {
    let pairs = ids.windows(2).filter_map(|w| match (w[0], w[1]) {
        (Some((a, sa)), Some((b, sb))) if !(sa && sb) => Some(u64::from(a) << 32 | u64::from(b)),
        _ => None,
    });
    let singles = ids
        .iter()
        .flatten()
        .filter(|(_, stop)| !stop)
        .map(|&(a, _)| u64::from(a) << 32 | u64::from(SINGLE));
    pairs.chain(singles)
}

/// Each sentence id with every sentence it is a copy of (itself included), following reuse
/// links transitively. Members of a group share one set: a story of many syndicated copies has
/// groups of hundreds, and a set per member would be quadratic.
fn copy_groups(reuse: &[Reuse]) -> HashMap<String, Rc<BTreeSet<String>>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut ids: Vec<&str> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for pair in reuse {
        let [a, b] = [pair.from.as_str(), pair.to.as_str()].map(|id| {
            *index.entry(id).or_insert_with(|| {
                ids.push(id);
                parent.push(parent.len());
                parent.len() - 1
            })
        });
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
    }
    let mut sets: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let r = root(&mut parent, i);
        sets.entry(r).or_default().insert(id.to_string());
    }
    let sets: HashMap<usize, Rc<BTreeSet<String>>> =
        sets.into_iter().map(|(r, s)| (r, Rc::new(s))).collect();
    ids.iter()
        .enumerate()
        .map(|(i, id)| (id.to_string(), Rc::clone(&sets[&root(&mut parent, i)])))
        .collect()
}

/// Greedy budgeted coverage. Returns indices into `candidates`.
fn select(
    candidates: &[Candidate],
    weights: &[f64],
    copies: &HashMap<String, Rc<BTreeSet<String>>>,
    budget: usize,
    tuning: &Tuning,
) -> Vec<usize> {
    let mut covered = vec![false; weights.len()];
    let mut taken = vec![false; candidates.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0usize;
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (i, c) in candidates.iter().enumerate() {
            if taken[i] || used + c.words > budget {
                continue;
            }
            let (gain, total) = c.concepts.iter().fold((0.0, 0.0), |(gain, total), &k| {
                let w = weights[k as usize];
                let new = if covered[k as usize] { 0.0 } else { w };
                (gain + new, total + w)
            });
            if gain <= 0.0 {
                continue;
            }
            // What it adds, plus a share of how central it is: of two sentences that add
            // alike, the one about the heart of the story, whose concepts are covered already,
            // is the better read. Per word, but softly (see `Tuning::length_power`).
            let value = (gain + tuning.centrality * total)
                * (1.0 + tuning.lead / (1.0 + c.position as f64))
                / (c.words as f64).powf(tuning.length_power);
            if best.is_some_and(|(v, _)| value <= v)
                || !leans_met(c, &chosen, candidates)
                || redundant(c, &chosen, candidates, copies, tuning.overlap)
            {
                continue;
            }
            best = Some((value, i));
        }
        let Some((_, i)) = best else { break };
        for &k in &candidates[i].concepts {
            covered[k as usize] = true;
        }
        used += candidates[i].words;
        taken[i] = true;
        chosen.push(i);
    }
    if chosen.is_empty() {
        // Nothing repeats (a very short story): fall back to the opening sentences.
        for (i, c) in candidates.iter().enumerate() {
            if c.report == 0 && used + c.words <= budget {
                used += c.words;
                chosen.push(i);
            }
        }
    }
    chosen
}

/// A copy of a chosen sentence, or one that shares most of its content words with one (more
/// than `overlap` of the shorter one's).
fn redundant(
    c: &Candidate,
    chosen: &[usize],
    candidates: &[Candidate],
    copies: &HashMap<String, Rc<BTreeSet<String>>>,
    overlap: f64,
) -> bool {
    chosen.iter().any(|&j| {
        let other = &candidates[j];
        if copies.get(c.id).is_some_and(|g| g.contains(other.id)) {
            return true;
        }
        let shared = text::shared_sorted(&c.stems, &other.stems) as f64;
        let smaller = c.stems.len().min(other.stems.len()).max(1) as f64;
        shared / smaller > overlap
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report as report;

    fn run(reports: &[&Report], reuse: &[Reuse], words: usize) -> Vec<SummarySentence> {
        let tokens: Vec<ReportWords> = reports.iter().map(|r| ReportWords::of(r)).collect();
        let pairs: Vec<(&Report, &ReportWords)> = reports.iter().copied().zip(&tokens).collect();
        summarise(&pairs, reuse, &SummaryOptions::words(words))
    }

    fn words(summary: &[SummarySentence]) -> usize {
        summary.iter().map(|s| text::word_count(&s.text)).sum()
    }

    #[test]
    fn what_several_reports_carry_wins_and_budget_holds() {
        let a = report(
            "a",
            &[
                "Floods forced thousands from their homes in the river valley on Sunday.",
                "A local baker said his shop had been open for forty years without trouble.",
            ],
        );
        let b = report(
            "b",
            &[
                "Rescue teams reached villages cut off by floods in the river valley on Monday.",
                "Thousands left their homes as floods covered the river valley.",
            ],
        );
        let c = report(
            "c",
            &["The floods in the river valley drove thousands of people from their homes."],
        );
        let reports = [&a, &b, &c];
        let summary = run(&reports, &[], 20);
        assert!(!summary.is_empty() && words(&summary) <= 20, "{summary:?}");
        assert!(summary.iter().all(|s| !s.text.contains("baker")));
    }

    #[test]
    fn of_two_sentences_that_add_alike_the_central_one_wins() {
        // Both second sentences add the harbour bridge, in as many words; only one also speaks
        // of the earthquake in Arlen that every report leads with. The other comes first.
        let a = report(
            "a",
            &[
                "A strong earthquake struck the port city of Arlen early on Sunday.",
                "Engineers later closed and inspected the harbour bridge.",
            ],
        );
        let b = report(
            "b",
            &[
                "A strong earthquake struck the port city of Arlen on Sunday.",
                "The earthquake in Arlen wrecked the harbour bridge.",
            ],
        );
        let c = report(
            "c",
            &["A strong earthquake struck the port city of Arlen on Sunday morning."],
        );
        let summary = run(&[&a, &b, &c], &[], 20);
        assert!(summary.iter().any(|s| s.cites == ["b:2"]), "{summary:?}");
        assert!(summary.iter().all(|s| !s.text.contains("Engineers")));
    }

    #[test]
    fn copies_are_cited_together_and_picked_once() {
        let a = report(
            "a",
            &["The ministry said the bridge over the river would open to traffic in May."],
        );
        let b = report(
            "b",
            &["The ministry said the bridge over the river would open to traffic in early May."],
        );
        let reuse = vec![Reuse {
            from: "a:1".into(),
            to: "b:1".into(),
            similarity: 0.9,
        }];
        let summary = run(&[&a, &b], &reuse, 100);
        assert_eq!(summary.len(), 1, "{summary:?}");
        assert_eq!(summary[0].cites, ["a:1", "b:1"]);
    }

    #[test]
    fn near_copies_without_a_reuse_link_are_picked_once() {
        // The same fact worded nearly alike in three reports: one sentence says it.
        let a = report(
            "a",
            &[
                "Storms flooded the coastal town of Marlow and forced hundreds of families from their homes.",
                "The mayor asked the army for boats to reach the farms cut off by the water.",
            ],
        );
        let b = report(
            "b",
            &[
                "Storms flooded the coastal town of Marlow, forcing hundreds of families from their homes.",
                "The army sent boats to reach the farms cut off by the flood water.",
            ],
        );
        let c = report(
            "c",
            &["Hundreds of families left their homes after storms flooded the coastal town of Marlow."],
        );
        let summary = run(&[&a, &b, &c], &[], 100);
        let flood = summary
            .iter()
            .filter(|s| s.text.contains("flooded the coastal town"))
            .count();
        assert_eq!(flood, 1, "{summary:?}");
        assert!(
            summary.iter().any(|s| s.text.contains("boats")),
            "{summary:?}"
        );
    }

    #[test]
    fn summary_sentences_are_trimmed_and_cite_what_they_trimmed() {
        let a = report(
            "a",
            &[
                "Rebels on Tuesday seized the northern town of Kalo after two days of fighting with the army.",
                "In a statement on Wednesday, the army vowed to retake Kalo from the rebels within a week.",
            ],
        );
        let b = report(
            "b",
            &[
                "Rebels seized the northern town of Kalo on Tuesday after two days of fighting with the army.",
                "Fighting around Kalo has driven thousands of people from their homes, the army said.",
            ],
        );
        let reuse = vec![Reuse {
            from: "a:1".into(),
            to: "b:1".into(),
            similarity: 0.8,
        }];
        let summary = run(&[&a, &b], &reuse, 100);
        assert_eq!(
            summary[0].text,
            "Rebels seized the northern town of Kalo after two days of fighting with the army.",
            "{summary:?}"
        );
        assert_eq!(summary[0].cites, ["a:1", "b:1"]);
        assert!(
            summary.iter().all(|s| !s.text.contains("day ")
                && !s.text.contains("In a statement")
                && s.text.starts_with(char::is_uppercase)),
            "{summary:?}"
        );
    }

    #[test]
    fn the_budget_holds_with_every_sentence_cited() {
        let reports: Vec<Report> = (1..=4)
            .map(|n| {
                report(
                    &format!("r{n}"),
                    &[
                        "The central bank raised its main interest rate by half a point to curb inflation.",
                        "Inflation reached nine percent in October, the highest level in twenty years.",
                        "Shares in the largest banks rose after the central bank announced the rate decision.",
                        "Mortgage lenders said monthly payments would rise for millions of home owners.",
                    ],
                )
            })
            .collect();
        let refs: Vec<&Report> = reports.iter().collect();
        for budget in [15, 30, 45] {
            let summary = run(&refs, &[], budget);
            assert!(!summary.is_empty(), "budget {budget}");
            assert!(words(&summary) <= budget, "budget {budget}: {summary:?}");
            assert!(summary.iter().all(|s| !s.cites.is_empty()));
        }
    }

    #[test]
    fn a_pronoun_subject_follows_the_sentence_it_stands_for() {
        let a = report(
            "a",
            &[
                "Eurozone finance ministers met in Brussels to agree a rescue for the stricken bank.",
                "They agreed a rescue of forty billion euros for the bank after talks in Brussels.",
            ],
        );
        // Its own report's opening: nothing before it says who "they" are.
        let b = report(
            "b",
            &["They agreed a rescue of forty billion euros for the bank after long talks in Brussels."],
        );
        let c = report(
            "c",
            &["Finance ministers agreed a rescue of forty billion euros for the bank in Brussels."],
        );
        let summary = run(&[&a, &b, &c], &[], 100);
        assert!(
            summary.iter().any(|s| s.text.contains("forty billion")),
            "{summary:?}"
        );
        assert!(summary.iter().all(|s| s.cites != ["b:1"]), "{summary:?}");
        for (i, s) in summary.iter().enumerate() {
            if s.cites == ["a:2"] {
                assert!(i > 0 && summary[i - 1].cites == ["a:1"], "{summary:?}");
            }
        }
    }

    #[test]
    fn a_surname_alone_comes_after_the_full_name() {
        let a = report(
            "a",
            &["Bublik said the umpire had treated him unfairly during the Paris Open final."],
        );
        let b = report(
            "b",
            &[
                "Alexander Bublik lost the Paris Open final to the top seed in straight sets.",
                "Bublik said the umpire had treated him unfairly throughout the final in Paris.",
            ],
        );
        let c = report(
            "c",
            &["The top seed beat Alexander Bublik in straight sets in the Paris Open final."],
        );
        let summary = run(&[&a, &b, &c], &[], 100);
        let bare = summary
            .iter()
            .position(|s| s.text.starts_with("Bublik"))
            .expect("the umpire sentence is what two reports add");
        let full = summary
            .iter()
            .position(|s| s.text.contains("Alexander Bublik"));
        assert!(full.is_some_and(|f| f < bare), "{summary:?}");
    }

    #[test]
    fn table_rows_and_credit_lines_stay_out() {
        let standings = "1. Jeff Gordon 5,328 2. Mark Martin 4,964 3. Dale Jarrett 4,619 4. Rusty Wallace 4,501";
        let reports: Vec<Report> = (1..=3)
            .map(|n| {
                report(
                    &format!("r{n}"),
                    &[
                        "Jeff Gordon clinched his third Winston Cup title with a race to spare at Rockingham.",
                        standings,
                        "Staff writer Dana Okafor contributed to this report on the Winston Cup title race.",
                    ],
                )
            })
            .collect();
        let refs: Vec<&Report> = reports.iter().collect();
        let summary = run(&refs, &[], 100);
        assert!(
            summary.iter().any(|s| s.text.contains("clinched")),
            "{summary:?}"
        );
        assert!(
            summary
                .iter()
                .all(|s| !s.text.contains("5,328") && !s.text.contains("contributed")),
            "{summary:?}"
        );
    }

    #[test]
    fn a_single_report_still_gets_a_summary() {
        let a = report(
            "a",
            &[
                "Two pupils won the regional science fair on Tuesday with a water purifier.",
                "The judges praised the low cost of the purifier design.",
            ],
        );
        let summary = run(&[&a], &[], 100);
        assert_eq!(summary[0].cites, ["a:1"]);
    }
}
