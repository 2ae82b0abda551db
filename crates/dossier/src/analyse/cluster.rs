//! Story clustering: reports about one event form one story.
//!
//! Each report is a tf-idf vector over word stems; two reports are similar by cosine.
//! Stories are built by average-link agglomeration: two groups merge while the mean similarity
//! over all their cross pairs stays above a threshold. Average link (rather than single link)
//! keeps two events from chaining together through one report that mentions both.
//!
//! A second pass attaches fragments (one or two reports) to the established story (three or
//! more) they are most like, when their mean similarity clears a lower bar: a report that
//! covers one side of an event (a reaction, a profile, background) rarely clears the merge
//! threshold against each report of the event, but it is still closer to that story than to
//! any other.
//!
//! Similarities are known only between each report and its closest reports (the most similar
//! few, [`NEIGHBOURS`] or more, found through an inverted index walked a bounded [`WINDOW`]
//! around it); the means count every other pair as 0. The pairs that share a word grow with
//! the square of a pile (30,000 headlines held 1.6 GB of them); these grow with the pile.
//!
//! Invariants: the result is a partition of the input indices; it depends only on the reports'
//! text and order (ties break by index), never on hashing or thread timing.

use super::events::{self, EventModel, Signature};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

/// How many texts of a bigger pile than the one clustered hold each stem: a job that clusters
/// its pile a block at a time (Spark) gives them, so that each word weighs what it weighs in
/// the whole pile and a block's stories are the pile's.
#[derive(Debug, Clone, Default)]
pub struct PileFrequencies {
    /// The texts counted (each distinct text up to [`ESTABLISHED`] times, as clustering counts).
    pub texts: u32,
    pub df: HashMap<String, u32>,
}

/// [`PileFrequencies`] by term number, for [`vectorise`].
pub struct Weights {
    pub texts: f32,
    /// By term number; 0 where the pile did not say (the clustered reports' own count is used).
    pub df: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Minimum mean cosine similarity between two groups for them to be one story.
    pub threshold: f32,
    /// Minimum mean similarity for a fragment to join an established story.
    pub attach: f32,
    /// The learnt pair decision: where reports come with their [`Signature`]s, groups are
    /// formed over its probabilities, at its own thresholds, instead of over the cosine. Off by
    /// default: on DUC 2004 it splits topic clusters by their names (bench/events).
    pub events: Option<Arc<EventModel>>,
    /// Word weights of the whole pile, when the reports clustered are one block of it.
    pub pile: Option<Arc<PileFrequencies>>,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            threshold: 0.2,
            attach: 0.1,
            events: None,
            pile: None,
        }
    }
}

/// Stories with fewer reports than this are fragments that may join an established story.
pub const ESTABLISHED: usize = 3;

/// A report as a sparse unit vector: (term id, weight), sorted by term id.
pub type Vector = Vec<(u32, f32)>;

/// Groups reports (given by their terms, numbered by one [`Vocabulary`]) into stories. Returns
/// groups of indices into `reports`; each group is in input order, and groups are ordered by
/// their first member. With `signatures` (one per report) and an event model in `options`, the
/// links are the model's probabilities; otherwise the words' cosines, the words weighted by
/// `weights` when the reports are a block of a bigger pile.
pub fn cluster(
    reports: &[&[(u32, u32)]],
    signatures: Option<&[&Signature]>,
    weights: Option<&Weights>,
    options: &ClusterOptions,
) -> Vec<Vec<usize>> {
    let singletons = (0..reports.len()).map(|i| vec![i]).collect();
    cluster_from(singletons, reports, signatures, weights, options)
}

/// [`cluster`] starting from `start` (a partition of the reports) instead of one group per
/// report: the story former's final pass ([`crate::stream::pass`]) gives it the stories it keeps
/// whole.
pub fn cluster_from(
    start: Vec<Vec<usize>>,
    reports: &[&[(u32, u32)]],
    signatures: Option<&[&Signature]>,
    weights: Option<&Weights>,
    options: &ClusterOptions,
) -> Vec<Vec<usize>> {
    let vectors = vectorise_with(reports, weights);
    let keep = (PAIRS / reports.len().max(1)).max(NEIGHBOURS);
    let mut similar = similar_pairs(&vectors, keep);
    drop(vectors);
    let (mut threshold, mut attach) = (options.threshold, options.attach);
    if let (Some(model), Some(signatures)) = (&options.events, signatures) {
        judge(&mut similar, signatures, model);
        (threshold, attach) = (model.threshold, model.attach);
    }
    let merged = agglomerate_from(start, &similar, threshold);
    let mut groups = attach_fragments(merged, &similar, attach);
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

/// Replaces each link's cosine by the event model's probability that its two reports tell one
/// event. Only the linked pairs are judged: the rest share no word and stay 0.
fn judge(pairs: &mut [((u32, u32), f32)], signatures: &[&Signature], model: &EventModel) {
    let names = events::name_vectors(signatures);
    pairs.par_iter_mut().for_each(|((i, j), s)| {
        let (i, j) = (*i as usize, *j as usize);
        let x = events::pair_features(*s, &names[i], &names[j], signatures[i], signatures[j]);
        *s = model.probability(&x);
    });
}

/// tf-idf with sublinear tf, L2-normalised.
pub fn vectorise(reports: &[&[(u32, u32)]]) -> Vec<Vector> {
    vectorise_with(reports, None)
}

/// [`vectorise`] with the document frequencies of a bigger pile where `weights` gives them.
pub fn vectorise_with(reports: &[&[(u32, u32)]], weights: Option<&Weights>) -> Vec<Vector> {
    let terms = reports
        .iter()
        .flat_map(|r| r.iter().map(|(id, _)| *id as usize + 1))
        .max()
        .unwrap_or(0);
    let mut df = vec![0u32; terms];
    for report in reports {
        for (id, _) in report.iter() {
            df[*id as usize] += 1;
        }
    }
    let mut n = reports.len() as f32;
    if let Some(pile) = weights {
        n = pile.texts;
        for (id, count) in df.iter_mut().enumerate() {
            *count = pile
                .df
                .get(id)
                .copied()
                .filter(|&d| d > 0)
                .unwrap_or(*count);
        }
    }
    reports
        .iter()
        .map(|report| {
            let mut v: Vector = report
                .iter()
                .map(|&(id, c)| {
                    let idf = ((n + 1.0) / (df[id as usize] as f32 + 1.0)).ln() + 1.0;
                    (id, (1.0 + (c as f32).ln()) * idf)
                })
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v
        })
        .collect()
}

/// How many links to its most similar reports each report keeps at least. The clustering sees
/// only these links (a pair is kept when either side keeps it), so memory and the merge work
/// grow with the number of reports, not with the pairs that share a word.
const NEIGHBOURS: usize = 16;

/// How many links a pile keeps in all while each report can keep more than [`NEIGHBOURS`]:
/// a pile of up to half a million reports shares this budget out (a pile of 10,000 keeps 800
/// links a report, all that share a word in practice), about 0.4 GB at most in the merge.
/// Average link counts a missing pair as 0, so the fewer links, the sooner a big story stops
/// growing: small piles keep every link, and only huge ones pay for being bounded.
const PAIRS: usize = 8_000_000;

/// How many reports on each side of a report a term's postings compare it with. A term in
/// thousands of reports (a common word, or the name at the heart of a huge story) would
/// otherwise make its postings quadratic; reports of one event come close together in a pile
/// (in time, or from one crawl), and the terms that are not common still find the rest.
const WINDOW: usize = 512;

/// Each report's `keep` most similar reports (by exact cosine), found through an inverted
/// index whose walks are bounded by [`WINDOW`]. Returns ((i, j), similarity) with i < j,
/// sorted, each pair once.
fn similar_pairs(vectors: &[Vector], keep: usize) -> Vec<((u32, u32), f32)> {
    let postings = Postings::of(vectors);
    let nearest: Vec<Vec<(u32, f32)>> = (0..vectors.len())
        .into_par_iter()
        .map_init(
            || vec![0f32; vectors.len()],
            |scores, i| nearest(i as u32, keep, vectors, &postings, scores),
        )
        .collect();
    let mut pairs: Vec<((u32, u32), f32)> = nearest
        .into_iter()
        .enumerate()
        .flat_map(|(i, near)| {
            near.into_iter().map(move |(j, s)| {
                let i = i as u32;
                ((i.min(j), i.max(j)), s)
            })
        })
        .collect();
    pairs.sort_unstable_by_key(|(k, _)| *k);
    pairs.dedup_by_key(|(k, _)| *k);
    pairs
}

/// The inverted index: for each term, the reports that carry it (ascending) and its weight in
/// each, in one flat list.
struct Postings {
    start: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    fn of(vectors: &[Vector]) -> Postings {
        let terms = vectors
            .iter()
            .flat_map(|v| v.iter().map(|(t, _)| *t as usize + 1))
            .max()
            .unwrap_or(0);
        let mut start = vec![0usize; terms + 1];
        for (t, _) in vectors.iter().flatten() {
            start[*t as usize + 1] += 1;
        }
        for t in 0..terms {
            start[t + 1] += start[t];
        }
        let mut next = start.clone();
        let mut entries = vec![(0u32, 0f32); start[terms]];
        for (doc, v) in vectors.iter().enumerate() {
            for &(t, w) in v {
                entries[next[t as usize]] = (doc as u32, w);
                next[t as usize] += 1;
            }
        }
        Postings { start, entries }
    }

    /// The reports carrying `term` nearest to `doc` in input order, `doc` included, and whether
    /// that is fewer than all.
    fn near(&self, term: u32, doc: u32) -> (&[(u32, f32)], bool) {
        let list = &self.entries[self.start[term as usize]..self.start[term as usize + 1]];
        if list.len() <= 2 * WINDOW + 1 {
            return (list, false);
        }
        let at = list.partition_point(|(d, _)| *d < doc);
        let from = at.saturating_sub(WINDOW).min(list.len() - (2 * WINDOW + 1));
        (&list[from..from + 2 * WINDOW + 1], true)
    }
}

/// The `keep` most similar reports to `doc`: dot products gathered over the bounded postings
/// into `scores` (all zero, and left so), then the exact cosine of the best of them.
fn nearest(
    doc: u32,
    keep: usize,
    vectors: &[Vector],
    postings: &Postings,
    scores: &mut [f32],
) -> Vec<(u32, f32)> {
    let mut touched: Vec<u32> = Vec::new();
    let mut cut = false;
    for &(term, w) in &vectors[doc as usize] {
        let (near, shortened) = postings.near(term, doc);
        cut |= shortened;
        for &(other, wo) in near {
            if other != doc {
                let s = &mut scores[other as usize];
                if *s == 0.0 {
                    touched.push(other);
                }
                *s += w * wo;
            }
        }
    }
    // A sum can round to zero and list its report twice.
    touched.sort_unstable();
    touched.dedup();
    let mut found: Vec<(u32, f32)> = touched
        .into_iter()
        .map(|j| (j, std::mem::take(&mut scores[j as usize])))
        .collect();
    // Where no term's list was shortened, the sums are the cosines, added in the same order.
    // Otherwise a report cut out of a term's window scored low here; the exact cosine of a few
    // more than are kept puts them in their order.
    let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if cut {
        if found.len() > 2 * keep {
            found.select_nth_unstable_by(2 * keep, by_score);
            found.truncate(2 * keep);
        }
        for (j, s) in &mut found {
            let (a, b) = (doc.min(*j), doc.max(*j));
            *s = cosine(&vectors[a as usize], &vectors[b as usize]);
        }
    }
    found.sort_unstable_by(by_score);
    found.truncate(keep);
    // Kept for the whole pile: without the room the candidates took (a hundred times more).
    found.shrink_to_fit();
    found
}

/// The dot product of two unit vectors, summed in term order.
pub fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

#[derive(PartialEq)]
struct Candidate {
    mean: f32,
    a: u32,
    b: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| other.a.cmp(&self.a))
            .then_with(|| other.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-link agglomeration over a sparse similarity graph (missing pairs count as 0), from
/// `groups` (a partition of the reports the pairs number).
fn agglomerate_from(
    groups: Vec<Vec<usize>>,
    pairs: &[((u32, u32), f32)],
    threshold: f32,
) -> Vec<Vec<usize>> {
    let n = groups.len();
    let mut group_of = vec![0u32; groups.iter().map(Vec::len).sum()];
    for (g, group) in groups.iter().enumerate() {
        for &m in group {
            group_of[m] = g as u32;
        }
    }
    let mut members = groups;
    let mut alive = vec![true; n];
    // Sum of similarities between two live groups, keyed by group id.
    let mut links: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); n];
    for &((i, j), s) in pairs {
        let (a, b) = (group_of[i as usize], group_of[j as usize]);
        if a != b {
            *links[a as usize].entry(b).or_default() += s;
            *links[b as usize].entry(a).or_default() += s;
        }
    }
    let mut heap = live_candidates(&links, &members, &alive, threshold);
    while let Some(Candidate { mean, a, b }) = heap.pop() {
        let (ai, bi) = (a as usize, b as usize);
        if !alive[ai] || !alive[bi] {
            continue;
        }
        let sum = links[ai].get(&b).copied().unwrap_or(0.0);
        let current = sum / (members[ai].len() * members[bi].len()) as f32;
        if current != mean {
            continue; // stale entry: a fresher one for this pair is in the heap
        }
        // Merge b into a.
        alive[bi] = false;
        let moved = std::mem::take(&mut members[bi]);
        members[ai].extend(moved);
        let b_links = std::mem::take(&mut links[bi]);
        links[ai].remove(&b);
        for (other, s) in b_links {
            if other == a {
                continue;
            }
            *links[ai].entry(other).or_default() += s;
            let o = &mut links[other as usize];
            let moved = o.remove(&b).unwrap_or(0.0);
            *o.entry(a).or_default() += moved;
        }
        let size_a = members[ai].len();
        let mut fresh: Vec<(u32, f32)> = links[ai].iter().map(|(o, s)| (*o, *s)).collect();
        fresh.sort_unstable_by_key(|(o, _)| *o);
        for (other, sum) in fresh {
            let mean = sum / (size_a * members[other as usize].len()) as f32;
            if mean >= threshold {
                let (x, y) = if a < other { (a, other) } else { (other, a) };
                heap.push(Candidate { mean, a: x, b: y });
            }
        }
        // Each merge pushes the merged group's pairs again and leaves the old entries stale: in
        // a big story of near-copies they would pile up to hundreds of millions. No more pairs
        // are live than were given, so past twice that the heap is made again of those alone.
        if heap.len() > 2 * pairs.len() + n {
            heap = live_candidates(&links, &members, &alive, threshold);
        }
    }
    members
        .into_iter()
        .zip(alive)
        .filter_map(|(m, alive)| alive.then_some(m))
        .collect()
}

/// The pairs of live groups whose mean similarity clears `threshold`, each once: the entries of
/// the merge heap that are not stale.
fn live_candidates(
    links: &[FxHashMap<u32, f32>],
    members: &[Vec<usize>],
    alive: &[bool],
    threshold: f32,
) -> BinaryHeap<Candidate> {
    let mut heap = Vec::new();
    for (a, group_links) in links.iter().enumerate() {
        if !alive[a] {
            continue;
        }
        for (&b, &sum) in group_links {
            let mean = sum / (members[a].len() * members[b as usize].len()) as f32;
            if (a as u32) < b && mean >= threshold {
                heap.push(Candidate {
                    mean,
                    a: a as u32,
                    b,
                });
            }
        }
    }
    BinaryHeap::from(heap)
}

/// Moves each fragment into the established story with the highest mean similarity to it, if
/// that mean reaches `attach`. Fragments are compared with the stories as agglomeration left
/// them, so the order fragments are handled in cannot change the result.
fn attach_fragments(
    groups: Vec<Vec<usize>>,
    pairs: &[((u32, u32), f32)],
    attach: f32,
) -> Vec<Vec<usize>> {
    let mut group_of = vec![0; groups.iter().map(Vec::len).sum()];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m] = g;
        }
    }
    let established = |g: usize| groups[g].len() >= ESTABLISHED;
    // Similarity sums between each fragment and each established story.
    let mut sums: HashMap<(usize, usize), f32> = HashMap::new();
    for &((i, j), s) in pairs {
        let (gi, gj) = (group_of[i as usize], group_of[j as usize]);
        if !established(gi) && established(gj) {
            *sums.entry((gi, gj)).or_default() += s;
        } else if established(gi) && !established(gj) {
            *sums.entry((gj, gi)).or_default() += s;
        }
    }
    let mut best: HashMap<usize, (f32, usize)> = HashMap::new();
    for ((fragment, story), sum) in sums {
        let mean = sum / (groups[fragment].len() * groups[story].len()) as f32;
        let entry = best.entry(fragment).or_insert((f32::MIN, usize::MAX));
        if mean > entry.0 || (mean == entry.0 && story < entry.1) {
            *entry = (mean, story);
        }
    }
    let mut out = groups.clone();
    let mut moved = vec![false; groups.len()];
    let mut fragments: Vec<(&usize, &(f32, usize))> = best.iter().collect();
    fragments.sort_unstable_by_key(|(f, _)| **f);
    for (&fragment, &(mean, story)) in fragments {
        if mean >= attach {
            let members = groups[fragment].clone();
            out[story].extend(members);
            moved[fragment] = true;
        }
    }
    out.into_iter()
        .zip(moved)
        .filter_map(|(g, moved)| (!moved).then_some(g))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::cluster::{Counts, Vocabulary};
    use crate::text::{self, ReportWords};

    /// The terms of each text, as one report's sentence.
    fn terms(texts: &[&str]) -> Vec<Counts> {
        let mut vocabulary = Vocabulary::default();
        texts
            .iter()
            .map(|t| {
                vocabulary.terms(&ReportWords {
                    title: vec![],
                    sentences: vec![text::words(t)],
                })
            })
            .collect()
    }

    fn borrowed(terms: &[Counts]) -> Vec<&[(u32, u32)]> {
        terms.iter().map(|t| &**t).collect()
    }

    #[test]
    fn a_block_weighed_by_the_pile_has_the_vectors_it_has_in_the_pile() {
        let pile = terms(&[
            "Floods hit Valencia after record rainfall; rescuers search flooded towns.",
            "Chess champion wins the world title in a tiebreak match in Singapore.",
            "Rescuers in Valencia search towns flooded by record rainfall as floods recede.",
            "Floods in Pakistan: rescuers reach towns cut off by the rainfall.",
        ]);
        let mut df = Vec::new();
        for (id, _) in pile.iter().flat_map(|r| r.iter()) {
            let id = *id as usize;
            df.resize(df.len().max(id + 1), 0);
            df[id] += 1;
        }
        let whole = vectorise(&borrowed(&pile));
        let block = [pile[0].clone(), pile[2].clone()];
        let weights = Weights { texts: 4.0, df };

        let weighed = vectorise_with(&borrowed(&block), Some(&weights));

        assert_eq!(weighed, [whole[0].clone(), whole[2].clone()]);
        // Alone, the block would weigh "rescuers" and "floods" as it weighs "Valencia".
        assert_ne!(vectorise(&borrowed(&block)), weighed);
    }

    #[test]
    fn same_event_groups_unrelated_stays_apart() {
        let reports = terms(&[
            "Floods hit Valencia after record rainfall; rescuers search flooded towns near Valencia.",
            "Chess champion wins the world title in a tiebreak match in Singapore.",
            "Rescuers in Valencia search towns flooded by record rainfall as floods recede.",
            "The world chess title went to the champion after a Singapore tiebreak.",
        ]);
        let groups = cluster(&borrowed(&reports), None, None, &ClusterOptions::default());
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
    }

    /// The 3,318 headlines of the UCI stream, each ending with one outlet's name (a word every
    /// report carries), between two reports of another event at the two ends of the pile.
    fn headline_pile() -> Vec<Counts> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/uci-headlines/dev.csv"
        );
        let csv = std::fs::read_to_string(path).expect("the UCI headlines in ../shared/data");
        let headlines = crate::stream::data::read_uci(&csv).unwrap();
        let mut texts = vec![
            "Floods hit Valencia after record rainfall; rescuers search flooded towns. (Reuters)"
                .to_string(),
        ];
        texts.extend(headlines.iter().map(|h| format!("{} (Reuters)", h.title)));
        texts
            .push("Rescuers in Valencia search towns flooded by record rainfall. (Reuters)".into());
        terms(&texts.iter().map(String::as_str).collect::<Vec<_>>())
    }

    #[test]
    fn bounded_candidates_keep_each_reports_closest() {
        let reports = headline_pile();
        let vectors = vectorise(&borrowed(&reports));
        let n = vectors.len();
        // The fewest links a report keeps in a huge pile.
        let pairs = similar_pairs(&vectors, NEIGHBOURS);
        // Every pair shares "Reuters": all pairs sharing a word would be n(n-1)/2.
        assert!(pairs.len() <= n * NEIGHBOURS, "{} pairs", pairs.len());
        let kept: std::collections::HashSet<(u32, u32)> = pairs.iter().map(|p| p.0).collect();
        // Each report's most similar report, found by comparing it with every other, is kept
        // whenever it is close enough to matter for the clustering.
        let mut missed = vec![];
        for i in 0..n {
            let best = (0..n)
                .filter(|&j| j != i)
                .map(|j| (j, cosine(&vectors[i.min(j)], &vectors[i.max(j)])))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .unwrap();
            let pair = (i.min(best.0) as u32, i.max(best.0) as u32);
            if best.1 >= ClusterOptions::default().attach && !kept.contains(&pair) {
                missed.push((i, best));
            }
        }
        assert!(missed.is_empty(), "{missed:?}");
        // The two reports of one event at the two ends of the pile still meet.
        assert!(kept.contains(&(0, n as u32 - 1)));
    }

    #[test]
    fn fragments_join_the_closest_established_story_only() {
        let groups = vec![vec![0, 1, 2], vec![3], vec![4]];
        // 3 is close enough to the story on average; 4 is not.
        let pairs = vec![((0, 3), 0.3), ((1, 3), 0.1), ((2, 3), 0.0), ((0, 4), 0.2)];
        assert_eq!(
            attach_fragments(groups, &pairs, 0.1),
            vec![vec![0, 1, 2, 3], vec![4]]
        );
    }

    #[test]
    fn average_link_handles_merged_groups() {
        let pairs = vec![((0, 1), 0.9), ((1, 2), 0.5), ((0, 2), 0.0)];
        // 2 joins {0,1} only if the mean (0.5 + 0.0) / 2 = 0.25 clears the threshold.
        let singletons = || vec![vec![0], vec![1], vec![2]];
        assert_eq!(
            agglomerate_from(singletons(), &pairs, 0.3),
            vec![vec![0, 1], vec![2]]
        );
        assert_eq!(
            agglomerate_from(singletons(), &pairs, 0.2),
            vec![vec![0, 1, 2]]
        );
    }
}
