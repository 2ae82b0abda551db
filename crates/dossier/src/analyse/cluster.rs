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
//! Invariants: the result is a partition of the input indices; it depends only on the reports'
//! text and order (ties break by index), never on hashing or thread timing.

use crate::text::ReportWords;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Minimum mean cosine similarity between two groups for them to be one story.
    pub threshold: f32,
    /// Minimum mean similarity for a fragment to join an established story.
    pub attach: f32,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            threshold: 0.2,
            attach: 0.1,
        }
    }
}

/// Stories with fewer reports than this are fragments that may join an established story.
pub const ESTABLISHED: usize = 3;

/// A report as a sparse unit vector: (term id, weight), sorted by term id.
type Vector = Vec<(u32, f32)>;

/// Groups reports (given by their words) into stories. Returns groups of indices into
/// `reports`; each group is in input order, and groups are ordered by their first member.
pub fn cluster(reports: &[ReportWords], options: &ClusterOptions) -> Vec<Vec<usize>> {
    let vectors = vectorise(reports);
    let similar = similar_pairs(&vectors);
    let merged = agglomerate(reports.len(), &similar, options.threshold);
    let mut groups = attach_fragments(merged, &similar, options.attach);
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

/// Term counts per report, then tf-idf with sublinear tf, L2-normalised.
fn vectorise(reports: &[ReportWords]) -> Vec<Vector> {
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut counts: Vec<HashMap<u32, f32>> = Vec::with_capacity(reports.len());
    for report in reports {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        let all = std::iter::once(&report.title).chain(&report.sentences);
        for word in all.flatten() {
            if word.is_stopword()
                || word.lower.len() < 2
                || !word.lower.chars().any(char::is_alphabetic)
            {
                continue;
            }
            let next = vocabulary.len() as u32;
            let id = *vocabulary.entry(word.stem.clone()).or_insert(next);
            *tf.entry(id).or_default() += 1.0;
        }
        counts.push(tf);
    }
    let mut df = vec![0u32; vocabulary.len()];
    for tf in &counts {
        for id in tf.keys() {
            df[*id as usize] += 1;
        }
    }
    let n = reports.len() as f32;
    counts
        .into_iter()
        .map(|tf| {
            let mut v: Vector = tf
                .into_iter()
                .map(|(id, c)| {
                    let idf = ((n + 1.0) / (df[id as usize] as f32 + 1.0)).ln() + 1.0;
                    (id, (1.0 + c.ln()) * idf)
                })
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            v.sort_unstable_by_key(|(id, _)| *id);
            v
        })
        .collect()
}

/// Cosine similarity of every pair of reports that share a term, through an inverted index so
/// that unrelated reports cost nothing. Returns ((i, j), similarity) with i < j.
fn similar_pairs(vectors: &[Vector]) -> Vec<((u32, u32), f32)> {
    let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
    for (doc, v) in vectors.iter().enumerate() {
        for (term, w) in v {
            postings.entry(*term).or_default().push((doc as u32, *w));
        }
    }
    // In a big pile, terms in more than a tenth of all reports say little about which event a
    // report covers and would make the pass quadratic; small piles keep every term.
    let common = (vectors.len() / 10).max(1000);
    let mut dots: HashMap<(u32, u32), f32> = HashMap::new();
    let mut terms: Vec<&u32> = postings.keys().collect();
    terms.sort_unstable();
    for term in terms {
        let list = &postings[term];
        if list.len() > common {
            continue;
        }
        for (a, &(i, wi)) in list.iter().enumerate() {
            for &(j, wj) in &list[a + 1..] {
                *dots.entry((i, j)).or_default() += wi * wj;
            }
        }
    }
    let mut pairs: Vec<((u32, u32), f32)> = dots.into_iter().collect();
    pairs.sort_unstable_by_key(|(k, _)| *k);
    pairs
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

/// Average-link agglomeration over a sparse similarity graph (missing pairs count as 0).
fn agglomerate(n: usize, pairs: &[((u32, u32), f32)], threshold: f32) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut alive = vec![true; n];
    // Sum of similarities between two live groups, keyed by group id.
    let mut links: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    let mut heap = BinaryHeap::new();
    for &((i, j), s) in pairs {
        links[i as usize].insert(j, s);
        links[j as usize].insert(i, s);
        if s >= threshold {
            heap.push(Candidate {
                mean: s,
                a: i,
                b: j,
            });
        }
    }
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
    }
    members
        .into_iter()
        .zip(alive)
        .filter_map(|(m, alive)| alive.then_some(m))
        .collect()
}

/// Moves each fragment into the established story with the highest mean similarity to it, if
/// that mean reaches `attach`. Fragments are compared with the stories as agglomeration left
/// them, so the order fragments are handled in cannot change the result.
fn attach_fragments(
    groups: Vec<Vec<usize>>,
    pairs: &[((u32, u32), f32)],
    attach: f32,
) -> Vec<Vec<usize>> {
    let mut group_of = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of.insert(m as u32, g);
        }
    }
    let established = |g: usize| groups[g].len() >= ESTABLISHED;
    // Similarity sums between each fragment and each established story.
    let mut sums: HashMap<(usize, usize), f32> = HashMap::new();
    for &((i, j), s) in pairs {
        let (gi, gj) = (group_of[&i], group_of[&j]);
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
    use crate::text;

    fn report(text: &str) -> ReportWords {
        ReportWords {
            title: vec![],
            sentences: vec![text::words(text)],
        }
    }

    #[test]
    fn same_event_groups_unrelated_stays_apart() {
        let reports = [
            report("Floods hit Valencia after record rainfall; rescuers search flooded towns near Valencia."),
            report("Chess champion wins the world title in a tiebreak match in Singapore."),
            report("Rescuers in Valencia search towns flooded by record rainfall as floods recede."),
            report("The world chess title went to the champion after a Singapore tiebreak."),
        ];
        let groups = cluster(&reports, &ClusterOptions::default());
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
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
        assert_eq!(agglomerate(3, &pairs, 0.3), vec![vec![0, 1], vec![2]]);
        assert_eq!(agglomerate(3, &pairs, 0.2), vec![vec![0, 1, 2]]);
    }
}
