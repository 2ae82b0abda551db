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
use crate::text::{ReportWords, Word};
use rustc_hash::FxHashMap;

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
    /// All word pairs, sorted, each once (a few dozen: sorted lists intersect faster than
    /// hash sets are built).
    pairs: Vec<u64>,
    /// Pairs with at least one content word, each once: the ones worth indexing.
    content: Vec<u64>,
}

/// Sentences with the same words, in story order: the first stands for all in the comparison.
struct Copies<'a> {
    /// (sentence id, report index), the first one oldest.
    members: Vec<(&'a str, usize)>,
    shingled: Shingled,
}

/// Finds copied sentences between different reports. `reports` are the story's reports with
/// their words, oldest report first; each pair points from the older report to the newer.
///
/// Sentences with the same words are compared once: a sentence syndicated to hundreds of
/// outlets would otherwise cost (and list) every pair of its copies. Such copies each point
/// from their oldest copy in another report, and two groups of copies that are alike are joined
/// by one pair, so the copies that belong together are still connected, in linear space. Each
/// group links to at most [`LINKS`] later groups, so that edits of one sentence in thousands of
/// reports stay linear too.
pub fn reuse(reports: &[(&Report, &ReportWords)], options: &ReuseOptions) -> Vec<Reuse> {
    let groups = copies(reports, options);
    let mut found: Vec<Reuse> = Vec::new();
    for group in &groups {
        copies_within(&group.members, &mut found);
    }
    found.extend(alike_groups(&groups, options));
    found.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    found
}

/// The story's sentences of at least `min_words` words, grouped by their exact words, each
/// group shingled once.
fn copies<'r>(reports: &[(&'r Report, &ReportWords)], options: &ReuseOptions) -> Vec<Copies<'r>> {
    let mut groups: Vec<Copies> = Vec::new();
    // Words are numbered within the story, so that a sentence is a list of integers and a word
    // pair one u64 without collisions. Words are hashed with foldhash (seeded: they are input),
    // numbers with Fx; SipHash was the costliest step of a small story.
    let mut word_ids: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let mut by_words: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
    for (r, (report, report_words)) in reports.iter().enumerate() {
        crate::guard::check();
        for (s, words) in report.sentences.iter().zip(&report_words.sentences) {
            if words.len() < options.min_words {
                continue;
            }
            let key: Vec<u32> = words
                .iter()
                .map(|w| {
                    let next = word_ids.len() as u32;
                    *word_ids.entry(w.lower.as_str()).or_insert(next)
                })
                .collect();
            if let Some(&g) = by_words.get(&key) {
                groups[g].members.push((s.id.as_str(), r));
                continue;
            }
            let shingled = shingle(r, &key, words);
            by_words.insert(key, groups.len());
            groups.push(Copies {
                members: vec![(s.id.as_str(), r)],
                shingled,
            });
        }
    }
    groups
}

/// A sentence's word pairs (its numbered words `key`), all and those not of two stopwords.
fn shingle(report: usize, key: &[u32], words: &[Word]) -> Shingled {
    let mut pairs = Vec::with_capacity(key.len());
    let mut content = Vec::with_capacity(key.len());
    for (ids, w) in key.windows(2).zip(words.windows(2)) {
        let h = u64::from(ids[0]) << 32 | u64::from(ids[1]);
        pairs.push(h);
        if !(w[0].is_stopword() && w[1].is_stopword()) {
            content.push(h);
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    content.sort_unstable();
    content.dedup();
    Shingled {
        report,
        pairs,
        content,
    }
}

/// The links between groups of copies alike enough, each group to at most [`LINKS`] later ones.
fn alike_groups(groups: &[Copies], options: &ReuseOptions) -> Vec<Reuse> {
    // The inverted index as one sorted list of (content pair, group): the groups that hold a
    // pair are a run of it, in group order.
    let mut index: Vec<(u64, u32)> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, group)| group.shingled.content.iter().map(move |&h| (h, i as u32)))
        .collect();
    index.sort_unstable();
    let mut found = Vec::new();
    let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, group) in groups.iter().enumerate() {
        shared.clear();
        for &h in &group.shingled.content {
            for &(_, j) in later(&index, h, i as u32) {
                *shared.entry(j).or_default() += 1;
            }
        }
        // Candidates share at least two content pairs; the exact score is computed only for
        // them.
        let mut alike: Vec<(f64, u32)> = shared
            .iter()
            .filter(|(_, n)| **n >= 2)
            .map(|(&j, _)| (j, &groups[j as usize]))
            .filter(|(_, other)| spans_reports(group, other))
            .map(|(j, other)| {
                let (sa, sb) = (&group.shingled, &other.shingled);
                let common = crate::text::shared_sorted(&sa.pairs, &sb.pairs);
                (common as f64 / sa.pairs.len().min(sb.pairs.len()) as f64, j)
            })
            .filter(|(similarity, _)| *similarity >= options.min_similarity)
            .collect();
        alike.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        alike.truncate(LINKS);
        found.extend(
            alike
                .into_iter()
                .filter_map(|(similarity, j)| link(group, &groups[j as usize], similarity)),
        );
    }
    found
}

/// How many later sentences (groups of copies) one sentence links to at most, the most alike
/// first. A story rarely holds more than a few edits of one sentence; a story of thousands of
/// near-copies would otherwise list (and keep in memory) every pair of them, where a chain of
/// links already connects them.
const LINKS: usize = 16;

/// How many later groups holding a word pair one group is compared with through that pair. A
/// phrase that thousands of sentences share would otherwise cost the square of their number;
/// the rarer pairs of two alike sentences still bring them together.
const WINDOW: usize = 256;

/// The groups after `group` in the run of `index` that holds `pair`, at most [`WINDOW`].
fn later(index: &[(u64, u32)], pair: u64, group: u32) -> &[(u64, u32)] {
    let from = index.partition_point(|&e| e <= (pair, group));
    let to = index[from..].partition_point(|&(h, _)| h == pair);
    &index[from..from + to.min(WINDOW)]
}

/// Each copy points from the oldest copy in another report (copies within one report are not
/// reuse).
fn copies_within(members: &[(&str, usize)], found: &mut Vec<Reuse>) {
    let (first, first_report) = members[0];
    let other = members.iter().find(|(_, r)| *r != first_report);
    for &(id, report) in &members[1..] {
        let from = if report != first_report {
            Some((first, first_report))
        } else {
            other.copied()
        };
        if let Some((from, from_report)) = from {
            found.push(ordered((from, from_report), (id, report), 1.0));
        }
    }
}

fn spans_reports(a: &Copies, b: &Copies) -> bool {
    a.shingled.report != b.shingled.report
        || a.members
            .iter()
            .chain(&b.members)
            .any(|(_, r)| *r != a.shingled.report)
}

/// One pair between two alike groups of copies: the oldest sentence of each, or the closest
/// to that in another report.
fn link(a: &Copies, b: &Copies, similarity: f64) -> Option<Reuse> {
    let (a0, b0) = (a.members[0], b.members[0]);
    let pair = if a0.1 != b0.1 {
        Some((a0, b0))
    } else {
        b.members
            .iter()
            .find(|(_, r)| *r != a0.1)
            .map(|&m| (a0, m))
            .or_else(|| a.members.iter().find(|(_, r)| *r != b0.1).map(|&m| (m, b0)))
    };
    pair.map(|(x, y)| ordered(x, y, similarity))
}

/// The pair from the older report to the newer.
fn ordered(x: (&str, usize), y: (&str, usize), similarity: f64) -> Reuse {
    let (from, to) = if x.1 < y.1 { (x.0, y.0) } else { (y.0, x.0) };
    Reuse {
        from: from.to_string(),
        to: to.to_string(),
        similarity: (similarity * 1000.0).round() / 1000.0,
    }
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
    fn syndicated_copies_point_from_the_oldest_and_stay_connected() {
        let lead =
            "The ministry said the new bridge over the river would open to traffic in early May.";
        let edited = "The ministry said the bridge over the river would open to traffic in May.";
        let reports: Vec<Report> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| test_report(id, &[if *id == "d" { edited } else { lead }]))
            .collect();
        let found = run(&reports.iter().collect::<Vec<_>>());
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str()))
            .collect();
        // Not all six pairs: the copies from the oldest, and the edit joined to the group once.
        assert_eq!(pairs, [("a:1", "b:1"), ("a:1", "c:1"), ("a:1", "d:1")]);
        assert_eq!(found[0].similarity, 1.0);
        assert!(found[2].similarity > 0.7 && found[2].similarity < 1.0);
    }

    #[test]
    fn edits_of_one_sentence_in_many_reports_stay_connected_in_few_links() {
        let outlets = [
            "Reuters",
            "AP",
            "AFP",
            "Bloomberg",
            "Xinhua",
            "Kyodo",
            "Yonhap",
            "Interfax",
            "Anadolu",
            "EFE",
            "Ansa",
            "Tass",
            "Bernama",
            "Antara",
            "Notimex",
            "Prensa",
            "Belga",
            "Lusa",
            "Agerpres",
            "Ritzau",
        ];
        let reports: Vec<Report> = outlets
            .iter()
            .flat_map(|o| [(o, "early"), (o, "late")])
            .enumerate()
            .map(|(i, (outlet, when))| {
                let text = format!(
                    "The ministry said the new bridge over the river would open to traffic in {when} May, {outlet} reported."
                );
                test_report(&format!("r{i}"), &[&text])
            })
            .collect();
        let found = run(&reports.iter().collect::<Vec<_>>());
        // All 40 sentences are alike (780 pairs); each links to at most LINKS later ones.
        assert!(found.len() <= reports.len() * LINKS, "{}", found.len());
        let mut root: Vec<usize> = (0..reports.len()).collect();
        fn find(root: &mut [usize], i: usize) -> usize {
            if root[i] != i {
                root[i] = find(root, root[i]);
            }
            root[i]
        }
        for pair in &found {
            let report = |id: &str| id[1..id.find(':').unwrap()].parse::<usize>().unwrap();
            let (a, b) = (
                find(&mut root, report(&pair.from)),
                find(&mut root, report(&pair.to)),
            );
            root[a] = b;
        }
        let first = find(&mut root, 0);
        assert!((0..reports.len()).all(|i| find(&mut root, i) == first));
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
