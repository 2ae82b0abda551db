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
//! The weights (`crates/dossier/models/former.json`) are learnt by `dossier-train former` on
//! ECB+, DUC 2004 and UCI headlines together.

use super::cluster::Key;
use super::link::time_similarity;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A report's similarities to a candidate story, in this order.
pub const JOIN_FEATURES: [&str; 8] = [
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

/// One logistic regression: a weight per feature it names and a bias.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl Logistic {
    pub fn probability(&self, x: &[f32]) -> f32 {
        let logit = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-logit).exp())
    }

    fn check(&self, names: &[&str], which: &str) -> Result<(), String> {
        if self.features != names || self.weights.len() != names.len() {
            return Err(format!(
                "the former's {which} weights name other features than {names:?}"
            ));
        }
        if !self.bias.is_finite() || self.weights.iter().any(|w| !w.is_finite()) {
            return Err(format!("the former's {which} weights are not all finite"));
        }
        Ok(())
    }
}

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
        self.short.check(names, &format!("{which} (short)"))?;
        self.long.check(names, &format!("{which} (long)"))
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

impl Former {
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
    ]
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
    postings: HashMap<u32, Vec<(Key, f32)>>,
    /// Each member's norm (with the idf when it arrived) and story.
    norm: HashMap<Key, f32>,
    story_of: HashMap<Key, Key>,
    /// Story -> other story -> cosines over their cross pairs of members.
    links: HashMap<Key, HashMap<Key, Link>>,
}

impl Members {
    /// The cosines of a report (its sublinear tfs, and each term's idf beside) to the members
    /// of each story sharing a word with it.
    pub fn cosines(&self, tf: &[(u32, f32)], idf: &[f32]) -> HashMap<Key, Link> {
        let norm = norm(tf, idf);
        let mut dots: HashMap<Key, f32> = HashMap::new();
        for (&(term, w), &i) in tf.iter().zip(idf) {
            for &(member, tf) in self.postings.get(&term).map_or(&[][..], Vec::as_slice) {
                *dots.entry(member).or_default() += w * tf * i * i;
            }
        }
        let mut out: HashMap<Key, Link> = HashMap::new();
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
        cosines: &HashMap<Key, Link>,
    ) {
        for &(term, w) in tf {
            self.postings.entry(term).or_default().push((key, w));
        }
        self.norm.insert(key, norm(tf, idf));
        self.story_of.insert(key, story);
        for (&other, &link) in cosines.iter().filter(|(&o, _)| o != story) {
            self.links
                .entry(story)
                .or_default()
                .entry(other)
                .or_default()
                .add(link);
            self.links
                .entry(other)
                .or_default()
                .entry(story)
                .or_default()
                .add(link);
        }
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
            self.links
                .entry(keep)
                .or_default()
                .entry(other)
                .or_default()
                .add(link);
            self.links
                .entry(other)
                .or_default()
                .entry(keep)
                .or_default()
                .add(back);
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
