//! Reuse: sentences copied between the reports of a story, exactly or lightly edited.
//!
//! A sentence is compared as the set of its word pairs (lower-cased bigrams). Copy-editing
//! changes a few words and keeps most pairs, while two reports that merely cover the same fact
//! share few pairs. The score is the share of the shorter sentence's pairs found in the longer
//! one, so a copy trimmed of a clause still scores high.
//!
//! Written here rather than taken from a MinHash crate: sentences are a few dozen pairs long,
//! where MinHash estimates are too noisy, and an exact inverted index is cheap at this size.

use crate::model::{Report, Reuse};
use crate::text::ReportWords;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone)]
pub struct ReuseOptions {
    /// Minimum share of the shorter sentence's word pairs present in the other.
    pub min_similarity: f64,
    /// Sentences shorter than this many words are too generic to call copies.
    pub min_words: usize,
}

impl Default for ReuseOptions {
    fn default() -> Self {
        ReuseOptions {
            min_similarity: 0.5,
            min_words: 6,
        }
    }
}

struct Shingled {
    report: usize,
    /// All word pairs.
    pairs: HashSet<u64>,
    /// Pairs with at least one content word: the ones worth indexing.
    content: Vec<u64>,
}

/// Finds copied sentences between different reports. `reports` are the story's reports with
/// their words, oldest report first; each pair points from the older report to the newer.
pub fn reuse(reports: &[(&Report, &ReportWords)], options: &ReuseOptions) -> Vec<Reuse> {
    let mut sentences: Vec<(&str, Shingled)> = Vec::new();
    for (r, (report, report_words)) in reports.iter().enumerate() {
        for (s, words) in report.sentences.iter().zip(&report_words.sentences) {
            if words.len() < options.min_words {
                continue;
            }
            let mut pairs = HashSet::new();
            let mut content = Vec::new();
            for w in words.windows(2) {
                let h = hash_pair(&w[0].lower, &w[1].lower);
                if pairs.insert(h) && !(w[0].is_stopword() && w[1].is_stopword()) {
                    content.push(h);
                }
            }
            sentences.push((
                s.id.as_str(),
                Shingled {
                    report: r,
                    pairs,
                    content,
                },
            ));
        }
    }
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, (_, sh)) in sentences.iter().enumerate() {
        for h in &sh.content {
            index.entry(*h).or_default().push(i as u32);
        }
    }
    // Candidates share at least two content pairs; the exact score is computed only for them.
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for (i, (_, sh)) in sentences.iter().enumerate() {
        for h in &sh.content {
            for &j in &index[h] {
                if j as usize > i && sentences[j as usize].1.report != sh.report {
                    *shared.entry((i as u32, j)).or_default() += 1;
                }
            }
        }
    }
    let mut found: Vec<Reuse> = shared
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .filter_map(|((i, j), _)| {
            let (a, sa) = &sentences[i as usize];
            let (b, sb) = &sentences[j as usize];
            let common = sa.pairs.intersection(&sb.pairs).count();
            let similarity = common as f64 / sa.pairs.len().min(sb.pairs.len()) as f64;
            (similarity >= options.min_similarity).then(|| {
                let (from, to) = if sa.report < sb.report {
                    (a, b)
                } else {
                    (b, a)
                };
                Reuse {
                    from: from.to_string(),
                    to: to.to_string(),
                    similarity: (similarity * 1000.0).round() / 1000.0,
                }
            })
        })
        .collect();
    found.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    found
}

fn hash_pair(a: &str, b: &str) -> u64 {
    // DefaultHasher::new() has fixed keys, so hashes (and results) are the same on every run.
    let mut h = DefaultHasher::new();
    (a, b).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    fn run(reports: &[&Report]) -> Vec<Reuse> {
        let words: Vec<ReportWords> = reports.iter().map(|r| ReportWords::of(r)).collect();
        let pairs: Vec<(&Report, &ReportWords)> = reports.iter().copied().zip(&words).collect();
        reuse(&pairs, &ReuseOptions::default())
    }

    #[test]
    fn edited_copy_found_paraphrase_not() {
        let a = test_report(
            "a",
            &[
                "The ministry said the new bridge over the river would open to traffic in early May.",
                "Officials expect heavy use from commuters on the eastern bank.",
            ],
        );
        let b = test_report(
            "b",
            &[
                "Commuters from the east side are expected to use it heavily, officials believe.",
                "The ministry said the bridge over the river would open to traffic in May.",
            ],
        );
        let found = run(&[&a, &b]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].from.as_str(), found[0].to.as_str()),
            ("a:1", "b:2")
        );
        assert!(found[0].similarity > 0.7);
    }

    #[test]
    fn copies_within_one_report_are_not_reuse() {
        let a = test_report(
            "a",
            &[
                "The ministry said the bridge would open to traffic in May.",
                "The ministry said the bridge would open to traffic in May.",
            ],
        );
        assert!(run(&[&a]).is_empty());
    }
}
