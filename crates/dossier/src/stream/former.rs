//! The learnt story former: which story a report joins, and which stories are one, decided by
//! two logistic regressions over similarities that suit articles and headlines alike.
//!
//! The centroid cosine of [`super::cluster`] suits headlines (a headline shares its story's core
//! words, not a member's) and glues articles (the centroids of one field share their common
//! words); the mean cosine to a story's members, average link's measure, suits articles and
//! splits headlines (bench/events). So a report's join is a decision over both, with the
//! report's length beside them (and their products with it), so that the decision can lean on
//! one or the other by how many words the report has, plus the nearest member, the story's size
//! and time. After each placement the story that changed is compared with the live stories its
//! members share a word with, and a second decision over the same kind of similarities (of the
//! two stories' centroids and of their members' cross pairs) merges the most probable pair,
//! again and again: batch average link's merges and fragment attachment, made as reports come,
//! so that a pile built and a service fed the same reports in the same order form the same
//! stories, however the reports are batched.
//!
//! The member cosines are kept as sums between stories ([`Members`]): each report's cosine to
//! every member sharing a word is computed once, when it arrives, with the idf of that moment
//! (the same lag as the centroids'), and a merge adds the two stories' sums.
//!
//! The weights are learnt by `dossier-train former` on ECB+, DUC 2004 and UCI headlines
//! together (the shipped ones, `crates/dossier/models/former.json`, on their dev sets whole).
//! It is the service's former and `build`'s: scored on held-out halves it beats
//! the thresholds on articles by far and on headlines with the encoder, but not batch average
//! link on articles, so the stories of long texts it forms are re-formed by the final pass
//! ([`super::pass`]) before anyone sees them (bench/events).

use super::cluster::Key;
use super::link::time_similarity;
use super::logistic::Logistic;
use serde::{Deserialize, Serialize};
// Fx maps: their iteration order, which sets the order of the cosine sums per story, is the same
// in every run (std's is seeded at random), and they hash small keys faster.
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

/// A report's similarities to a candidate story, in this order.
pub const JOIN_FEATURES: [&str; 10] = [
    // tf-idf cosine of the report to the story's centroid.
    "centroid",
    // Mean tf-idf cosine of the report to the story's members.
    "mean",
    // Highest tf-idf cosine of the report to one member.
    "nearest",
    // ln(1 + members).
    "size",
    // ln(1 + distinct words of the report).
    "length",
    "centroid_x_length",
    "mean_x_length",
    // Gaussian of the time from the story's newest member to the report.
    "time",
    // The centroid and mean cosines less the best of the other candidates' (see
    // [`add_margins`]): a report is placed among stories, and a word shared with one story
    // means more when no other story has it.
    "centroid_margin",
    "mean_margin",
];

/// Two stories' similarities, in this order.
pub const MERGE_FEATURES: [&str; 9] = [
    // tf-idf cosine of the two centroids.
    "centroid",
    // Mean tf-idf cosine over the cross pairs of members.
    "mean",
    // Highest cosine of a cross pair.
    "nearest",
    // ln(1 + members) of the smaller and of the larger.
    "small",
    "large",
    // Mean ln(1 + distinct words) of all their members.
    "length",
    "centroid_x_length",
    "mean_x_length",
    // Gaussian of the time between their newest members.
    "time",
];

/// A report's [`JOIN_FEATURES`] against one story.
pub type JoinX = [f32; JOIN_FEATURES.len()];
/// Two stories' [`MERGE_FEATURES`].
pub type MergeX = [f32; MERGE_FEATURES.len()];

/// Reports with at most this many distinct words are short (headlines, posts, a lead alone):
/// their decisions have weights of their own, since one word shared means more in eight than
/// in two hundred, and a story's centroid says more of a headline than any member does.
pub const SHORT: usize = 30;

/// A decision's weights for short texts and for long ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByLength {
    pub short: Logistic,
    pub long: Logistic,
}

impl ByLength {
    /// The probability from the weights for `length` (ln(1 + distinct words), see [`length`]).
    pub fn probability(&self, x: &[f32], length: f32) -> f32 {
        if is_short(length) {
            self.short.probability(x)
        } else {
            self.long.probability(x)
        }
    }

    fn check(&self, names: &[&str], which: &str) -> Result<(), String> {
        self.short
            .check(names, &format!("former's {which} (short)"))?;
        self.long.check(names, &format!("former's {which} (long)"))
    }
}

/// Whether a (mean) ln(1 + distinct words) is that of a short text.
pub fn is_short(length: f32) -> bool {
    length <= self::length(SHORT)
}

/// The two decisions, as stored in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Former {
    /// Over [`JOIN_FEATURES`].
    pub join: ByLength,
    /// Over [`MERGE_FEATURES`].
    pub merge: ByLength,
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

const SHIPPED: &str = include_str!("../../models/former.json");

impl Former {
    /// The weights the library ships (learnt on the three dev sets whole), read once.
    pub fn shipped() -> Arc<Former> {
        static READ: OnceLock<Arc<Former>> = OnceLock::new();
        READ.get_or_init(|| {
            Arc::new(Former::from_json(SHIPPED).expect("the shipped former weights are valid"))
        })
        .clone()
    }

    /// Reads and checks a weights file's text.
    pub fn from_json(json: &str) -> Result<Former, String> {
        let former: Former = serde_json::from_str(json)
            .map_err(|e| format!("the former's weights do not parse: {e}"))?;
        former.join.check(&JOIN_FEATURES, "join")?;
        former.merge.check(&MERGE_FEATURES, "merge")?;
        Ok(former)
    }

    /// Probability that a report joins a story, from its [`JOIN_FEATURES`].
    pub fn joins(&self, x: &JoinX) -> f32 {
        self.join.probability(x, x[4])
    }

    /// Probability that two stories are one, from their [`MERGE_FEATURES`].
    pub fn merges(&self, x: &MergeX) -> f32 {
        self.merge.probability(x, x[5])
    }
}

/// The cosines of one side (a report or a story) to one story's members.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Link {
    pub sum: f32,
    pub max: f32,
}

impl Link {
    fn add(&mut self, other: Link) {
        self.sum += other.sum;
        self.max = self.max.max(other.max);
    }
}

/// What the former knows of a story besides its centroid.
#[derive(Debug, Clone, Copy)]
pub struct StoryFacts {
    pub members: usize,
    /// Sum of the members' ln(1 + distinct words).
    pub length: f32,
    /// Newest member's time, in seconds.
    pub last: i64,
}

/// The join features of a report of `length` (ln(1 + distinct words)) arriving at `time` against
/// a story, given its centroid cosine and member cosines.
pub fn join_features(
    centroid: f32,
    members: Link,
    story: &StoryFacts,
    length: f32,
    time: i64,
) -> JoinX {
    let n = story.members as f32;
    let mean = members.sum / n;
    [
        centroid,
        mean,
        members.max,
        (1.0 + n).ln(),
        length,
        centroid * length,
        mean * length,
        time_similarity(time - story.last),
        0.0,
        0.0,
    ]
}

/// Sets the margins of [`JOIN_FEATURES`]: each candidate's centroid and mean cosines less the
/// highest among the other candidates' (less 0 when it is the only one).
pub fn add_margins(candidates: &mut [(Key, JoinX)]) {
    for (feature, margin) in [(0, 8), (1, 9)] {
        let (mut first, mut second) = (0f32, 0f32);
        for (_, x) in candidates.iter() {
            if x[feature] > first {
                second = first;
                first = x[feature];
            } else if x[feature] > second {
                second = x[feature];
            }
        }
        for (_, x) in candidates.iter_mut() {
            let best_other = if x[feature] >= first { second } else { first };
            x[margin] = x[feature] - best_other;
        }
    }
}

/// The merge features of two stories, given their centroid cosine and cross-pair cosines.
pub fn merge_features(centroid: f32, cross: Link, a: &StoryFacts, b: &StoryFacts) -> MergeX {
    let (na, nb) = (a.members as f32, b.members as f32);
    let mean = cross.sum / (na * nb);
    let length = (a.length + b.length) / (na + nb);
    [
        centroid,
        mean,
        cross.max,
        (1.0 + na.min(nb)).ln(),
        (1.0 + na.max(nb)).ln(),
        length,
        centroid * length,
        mean * length,
        time_similarity(a.last - b.last),
    ]
}

/// ln(1 + distinct words) of a report.
pub fn length(distinct: usize) -> f32 {
    (1.0 + distinct as f32).ln()
}

/// Every member's tf-idf vector, indexed by word, and the cosine sums between stories.
#[derive(Debug, Default, Clone)]
pub struct Members {
    /// Word -> (member, its sublinear tf).
    postings: FxHashMap<u32, Vec<(Key, f32)>>,
    /// Each member's norm (with the idf when it arrived) and story.
    norm: FxHashMap<Key, f32>,
    story_of: FxHashMap<Key, Key>,
    /// Story -> other story -> cosines over their cross pairs of members.
    links: FxHashMap<Key, FxHashMap<Key, Link>>,
}

impl Members {
    /// The cosines of a report (its sublinear tfs, and each term's idf beside) to the members
    /// of each story sharing a word with it.
    pub fn cosines(&self, tf: &[(u32, f32)], idf: &[f32]) -> FxHashMap<Key, Link> {
        let norm = norm(tf, idf);
        let mut dots: FxHashMap<Key, f32> = FxHashMap::default();
        for (&(term, w), &i) in tf.iter().zip(idf) {
            for &(member, tf) in self.postings.get(&term).map_or(&[][..], Vec::as_slice) {
                *dots.entry(member).or_default() += w * tf * i * i;
            }
        }
        let mut out: FxHashMap<Key, Link> = FxHashMap::default();
        for (member, dot) in dots {
            let cosine = dot / (norm * self.norm[&member]).max(f32::MIN_POSITIVE);
            out.entry(self.story_of[&member]).or_default().add(Link {
                sum: cosine,
                max: cosine,
            });
        }
        out
    }

    /// Adds a report to `story`, with its cosines to the other stories' members (from
    /// [`Members::cosines`], taken before it was added).
    pub fn add(
        &mut self,
        key: Key,
        story: Key,
        (tf, idf): (&[(u32, f32)], &[f32]),
        cosines: &FxHashMap<Key, Link>,
    ) {
        for &(term, w) in tf {
            self.postings.entry(term).or_default().push((key, w));
        }
        self.norm.insert(key, norm(tf, idf));
        self.story_of.insert(key, story);
        for (&other, &link) in cosines.iter().filter(|(&o, _)| o != story) {
            self.add_link(story, other, link);
            self.add_link(other, story, link);
        }
    }

    fn add_link(&mut self, from: Key, to: Key, link: Link) {
        self.links
            .entry(from)
            .or_default()
            .entry(to)
            .or_default()
            .add(link);
    }

    /// The stories whose members share a word with `story`'s, and the cross-pair cosines.
    pub fn neighbours(&self, story: Key) -> impl Iterator<Item = (Key, Link)> + '_ {
        self.links
            .get(&story)
            .into_iter()
            .flatten()
            .map(|(&k, &l)| (k, l))
    }

    /// `gone`'s members now belong to `keep`.
    pub fn merge(&mut self, keep: Key, gone: Key, members: &[Key]) {
        for m in members {
            self.story_of.insert(*m, keep);
        }
        let old = self.links.remove(&gone).unwrap_or_default();
        for (other, link) in old {
            let back = self
                .links
                .get_mut(&other)
                .and_then(|l| l.remove(&gone))
                .unwrap_or(link);
            if other == keep {
                continue;
            }
            self.add_link(keep, other, link);
            self.add_link(other, keep, back);
        }
        if let Some(own) = self.links.get_mut(&keep) {
            own.remove(&gone);
        }
    }

    /// Forgets the members of the stories `closed` says can take no more reports.
    pub fn forget(&mut self, closed: impl Fn(Key) -> bool) {
        let story_of = &self.story_of;
        for list in self.postings.values_mut() {
            list.retain(|(m, _)| !closed(story_of[m]));
        }
        self.postings.retain(|_, l| !l.is_empty());
        self.norm.retain(|m, _| !closed(story_of[m]));
        self.story_of.retain(|_, s| !closed(*s));
        self.links.retain(|s, _| !closed(*s));
        for links in self.links.values_mut() {
            links.retain(|o, _| !closed(*o));
        }
    }
}

/// The norm of a tf-idf vector given as its tfs and each term's idf.
fn norm(tf: &[(u32, f32)], idf: &[f32]) -> f32 {
    tf.iter()
        .zip(idf)
        .map(|(&(_, w), i)| (w * i).powi(2))
        .sum::<f32>()
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_compare_each_candidate_with_the_best_other() {
        let x = |centroid: f32, mean: f32| {
            let mut x = [0.0; JOIN_FEATURES.len()];
            x[0] = centroid;
            x[1] = mean;
            x
        };
        let mut candidates = vec![(1, x(0.5, 0.1)), (2, x(0.2, 0.3)), (3, x(0.1, 0.3))];
        add_margins(&mut candidates);
        let margins: Vec<[f32; 2]> = candidates.iter().map(|(_, x)| [x[8], x[9]]).collect();
        // Two candidates tie on the mean: neither is ahead of the other.
        let expected = [[0.3, -0.2], [-0.3, 0.0], [-0.4, 0.0]];
        let close = margins
            .iter()
            .flatten()
            .zip(expected.iter().flatten())
            .all(|(a, b)| (a - b).abs() < 1e-6);
        assert!(close, "{margins:?}");
        let mut alone = vec![(1, x(0.4, 0.2))];
        add_margins(&mut alone);
        assert_eq!([alone[0].1[8], alone[0].1[9]], [0.4, 0.2]);
    }

    /// Adds a report (term, tf) with idf 1 everywhere to `story`.
    fn add(members: &mut Members, key: Key, story: Key, tf: &[(u32, f32)]) -> FxHashMap<Key, Link> {
        let idf = vec![1.0; tf.len()];
        let cosines = members.cosines(tf, &idf);
        members.add(key, story, (tf, &idf), &cosines);
        cosines
    }

    #[test]
    fn member_cosines_are_summed_per_story_and_merges_add_them() {
        let mut m = Members::default();
        add(&mut m, 1, 1, &[(0, 1.0), (1, 1.0)]);
        add(&mut m, 2, 2, &[(0, 1.0)]);
        let third = add(&mut m, 3, 3, &[(0, 1.0), (2, 1.0)]);
        let half = 0.5f32;
        let sqrt_half = half.sqrt();
        assert!((third[&1].sum - half).abs() < 1e-6, "{third:?}");
        assert!((third[&2].max - sqrt_half).abs() < 1e-6, "{third:?}");
        let of = |m: &Members, s: Key| -> FxHashMap<Key, Link> { m.neighbours(s).collect() };
        assert!((of(&m, 1)[&2].sum - sqrt_half).abs() < 1e-6);
        // Story 3 merges into 1: its links to 2 join 1's, and nobody links to 3 any more.
        m.merge(1, 3, &[3]);
        let one = of(&m, 1);
        assert_eq!(one.len(), 1, "{one:?}");
        assert!((one[&2].sum - 2.0 * sqrt_half).abs() < 1e-6, "{one:?}");
        assert!((one[&2].max - sqrt_half).abs() < 1e-6);
        assert!(!of(&m, 2).contains_key(&3));
        // A report like members 1 and 3 now counts both in story 1.
        let next = m.cosines(&[(0, 1.0)], &[1.0]);
        assert!((next[&1].sum - 2.0 * sqrt_half).abs() < 1e-6, "{next:?}");
        assert!((next[&2].sum - 1.0).abs() < 1e-6, "{next:?}");
    }

    #[test]
    fn weights_for_other_features_are_refused() {
        let logistic = |names: &[&str]| Logistic {
            features: names.iter().map(|s| s.to_string()).collect(),
            weights: vec![0.0; names.len()],
            bias: 0.0,
        };
        let both = |names: &[&str]| ByLength {
            short: logistic(names),
            long: logistic(names),
        };
        let mut former = Former {
            join: both(&JOIN_FEATURES),
            merge: both(&MERGE_FEATURES),
            trained_on: String::new(),
        };
        let json = serde_json::to_string(&former).unwrap();
        assert_eq!(Former::from_json(&json).unwrap(), former);
        former.merge.long.features.swap(0, 1);
        let err = Former::from_json(&serde_json::to_string(&former).unwrap()).unwrap_err();
        assert!(err.contains("merge (long)"), "{err}");
    }
}
