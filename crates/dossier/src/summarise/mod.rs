//! Summarise: a short extractive summary per story, each sentence citing every report sentence
//! it rests on.
//!
//! Method (concept coverage): the concepts of a story are its content-word stems and the pairs
//! of adjacent stems with at least one content word; a concept is worth the number of reports
//! that carry it, so what many outlets report outweighs one outlet's detail. Sentences are picked greedily by the
//! worth of the concepts they add that are not yet covered, per word and favouring early
//! sentences of a report (news puts the event first), until the word budget is spent. Covered
//! concepts add nothing, which keeps repeats out; near-copies are also excluded outright.
//! Greedy coverage is deterministic and explainable: every pick is the best value per word at
//! its step.

use crate::model::{sentence_positions, Report, Reuse, SummarySentence};
use crate::text::{self, ReportWords};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Word budget for the whole summary.
    pub words: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions { words: 100 }
    }
}

/// A sentence eligible for the summary.
struct Candidate<'a> {
    id: &'a str,
    text: &'a str,
    report: usize,
    position: usize,
    words: usize,
    concepts: Vec<u32>,
    stems: HashSet<&'a str>,
}

/// Summarises one story. `reports` are the story's reports, oldest first; `reuse` its copied
/// sentence pairs (used to cite every copy of a chosen sentence, and to avoid picking two).
pub fn summarise(
    reports: &[(&Report, &ReportWords)],
    reuse: &[Reuse],
    options: &SummaryOptions,
) -> Vec<SummarySentence> {
    let words_of: Vec<&[Vec<text::Word>]> = reports
        .iter()
        .map(|(_, w)| w.sentences.as_slice())
        .collect();
    let (ids, weights) = concept_weights(&words_of);
    let mut candidates = Vec::new();
    for (r, (report, _)) in reports.iter().enumerate() {
        for (p, sentence) in report.sentences.iter().enumerate() {
            let n = text::word_count(&sentence.text);
            if !eligible(&sentence.text, n, options.words) {
                continue;
            }
            let words = &words_of[r][p];
            let concepts = concepts(words)
                .filter_map(|c| ids.get(&c).copied())
                .collect();
            candidates.push(Candidate {
                id: &sentence.id,
                text: &sentence.text,
                report: r,
                position: p,
                words: n,
                concepts,
                stems: words
                    .iter()
                    .filter(|w| !w.is_stopword())
                    .map(|w| w.stem.as_str())
                    .collect(),
            });
        }
    }
    let copies = copy_groups(reuse);
    let chosen = select(&candidates, &weights, &copies, options.words);
    let mut chosen: Vec<&Candidate> = chosen.into_iter().map(|i| &candidates[i]).collect();
    // Leads first: a report's opening sentence states the event, later ones add to it.
    chosen.sort_by_key(|c| (c.position, c.report));
    let order = sentence_positions(reports.iter().map(|(r, _)| *r));
    chosen
        .into_iter()
        .map(|c| {
            let mut cites: Vec<String> = copies
                .get(c.id)
                .map(|group| group.iter().cloned().collect())
                .unwrap_or_else(|| vec![c.id.to_string()]);
            cites.sort_by_key(|id| order.get(id.as_str()).copied().unwrap_or((usize::MAX, 0)));
            SummarySentence {
                text: c.text.to_string(),
                cites,
            }
        })
        .collect()
}

/// Sentences a reader can take out of context: full sentences of summary length, not
/// questions, not lead-ins to a list or quote.
fn eligible(sentence: &str, words: usize, budget: usize) -> bool {
    let starts_well = sentence
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\'');
    let ends = sentence.trim_end_matches(['"', '\'', ')']);
    (6..=60).contains(&words)
        && words <= budget
        && starts_well
        && !ends.ends_with('?')
        && !ends.ends_with(':')
}

/// A content word (stem) or a pair of adjacent stems. Words reward covering the story's
/// vocabulary; pairs reward its phrases ("green zone", "drone strike"), which single words
/// cannot tell apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Concept {
    Word(String),
    Pair(String, String),
}

fn concepts(words: &[text::Word]) -> impl Iterator<Item = Concept> + '_ {
    let pairs = words
        .windows(2)
        .filter(|w| !(w[0].is_stopword() && w[1].is_stopword()))
        .map(|w| Concept::Pair(w[0].stem.clone(), w[1].stem.clone()));
    let singles = words
        .iter()
        .filter(|w| !w.is_stopword())
        .map(|w| Concept::Word(w.stem.clone()));
    pairs.chain(singles)
}

/// Concept ids and their weights. In a story of several reports a concept is worth the number
/// of reports carrying it, and only concepts carried by several reports count (two in five of
/// them, at least two). A story of one report counts repeats within it instead.
fn concept_weights(words_of: &[&[Vec<text::Word>]]) -> (HashMap<Concept, u32>, Vec<f64>) {
    let mut ids: HashMap<Concept, u32> = HashMap::new();
    let mut reports_with: Vec<u32> = Vec::new();
    let mut occurrences: Vec<u32> = Vec::new();
    for report in words_of {
        let mut seen = HashSet::new();
        for sentence in report.iter() {
            for c in concepts(sentence) {
                let next = ids.len() as u32;
                let id = *ids.entry(c).or_insert(next);
                if id as usize == reports_with.len() {
                    reports_with.push(0);
                    occurrences.push(0);
                }
                occurrences[id as usize] += 1;
                if seen.insert(id) {
                    reports_with[id as usize] += 1;
                }
            }
        }
    }
    let n = words_of.len();
    let weights = if n > 1 {
        let min_reports = ((n as f64 * 0.4).round() as u32).max(2);
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
    (ids, weights)
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
) -> Vec<usize> {
    let mut covered = vec![false; weights.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0usize;
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (i, c) in candidates.iter().enumerate() {
            if used + c.words > budget
                || chosen.contains(&i)
                || redundant(c, &chosen, candidates, copies)
            {
                continue;
            }
            let mut seen = HashSet::new();
            let gain: f64 = c
                .concepts
                .iter()
                .filter(|k| !covered[**k as usize] && seen.insert(**k))
                .map(|k| weights[*k as usize])
                .sum();
            if gain <= 0.0 {
                continue;
            }
            let value = gain * position_prior(c.position) / (c.words as f64).powf(0.8);
            if best.is_none_or(|(v, _)| value > v) {
                best = Some((value, i));
            }
        }
        let Some((_, i)) = best else { break };
        for k in &candidates[i].concepts {
            covered[*k as usize] = true;
        }
        used += candidates[i].words;
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

/// News leads with the event: the first sentences of a report are worth more (a lead sentence
/// counts three times, the second twice, the tenth about 1.2 times).
fn position_prior(position: usize) -> f64 {
    1.0 + 2.0 / (1.0 + position as f64)
}

fn redundant(
    c: &Candidate,
    chosen: &[usize],
    candidates: &[Candidate],
    copies: &HashMap<String, Rc<BTreeSet<String>>>,
) -> bool {
    chosen.iter().any(|&j| {
        let other = &candidates[j];
        if copies.get(c.id).is_some_and(|g| g.contains(other.id)) {
            return true;
        }
        let shared = c.stems.intersection(&other.stems).count() as f64;
        let smaller = c.stems.len().min(other.stems.len()).max(1) as f64;
        shared / smaller > 0.6
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report as report;

    fn run(reports: &[&Report], reuse: &[Reuse], words: usize) -> Vec<SummarySentence> {
        let tokens: Vec<ReportWords> = reports.iter().map(|r| ReportWords::of(r)).collect();
        let pairs: Vec<(&Report, &ReportWords)> = reports.iter().copied().zip(&tokens).collect();
        summarise(&pairs, reuse, &SummaryOptions { words })
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
