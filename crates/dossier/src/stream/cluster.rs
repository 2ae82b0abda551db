//! Online story assignment: each arriving report joins the most similar live story, or starts
//! one; stories that turn out to be one are merged.
//!
//! A report is a tf-idf vector over word stems (sublinear tf), as in
//! [`analyse::cluster`](crate::analyse::cluster). A story is its centroid: for each term, the
//! mean sublinear tf over its members, weighted by the term's idf. The score of a report against
//! a story is the cosine of the two, so one threshold has the batch meaning "how alike, 0 to 1",
//! but against the story as a whole rather than member by member: a short report (a headline)
//! that names the story's core words scores high even when it shares little with any single
//! member.
//!
//! Time: a story is a candidate only while it is live, that is, its newest report is at most
//! `window` older than the arriving report. Without it, a stream slowly glues together every
//! story about one company or country; with it, a return to a topic after a quiet spell is a
//! new story.
//!
//! Merges: after a report joins a story, the story's centroid is compared with the other live
//! stories that share a term with it; at or above `merge` the two become one. The survivor is
//! the larger story (on a tie, the older), so the id readers have seen most keeps working and
//! the other id is recorded as merged into it.
//!
//! Invariants: every report added is in exactly one story; story keys are never reused; the
//! result depends only on the reports and their order.
//!
//! idf moves as the stream grows; a story's centroid norm is recomputed when the story changes
//! and otherwise lags the idf of later arrivals. The lag only scales a story's scores by the
//! slow drift of its own terms' idf, and it keeps scoring a report proportional to the stories
//! that share its terms rather than to everything live.

use crate::text::{ReportWords, Word};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Minimum cosine between a report and a story's centroid for the report to join it.
    pub assign: f32,
    /// Minimum cosine between two story centroids for the stories to be merged.
    pub merge: f32,
    /// How long a story stays live after its newest report, in seconds; `None`: forever.
    pub window: Option<i64>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            assign: 0.05,
            merge: 0.2,
            window: Some(24 * 3600),
        }
    }
}

/// Stories key reports by a number the caller chooses (the store's arrival number).
pub type Key = u64;

#[derive(Debug, Clone)]
struct StoryState {
    /// Sum over members of each term's sublinear tf.
    tf: HashMap<u32, f32>,
    members: Vec<Key>,
    /// Newest member's time, in seconds.
    last: i64,
    /// Norm of the idf-weighted centroid when the story last changed.
    norm: f32,
}

/// What adding one report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The story the report ended in.
    pub story: Key,
    /// True when the report started a story of its own.
    pub new: bool,
    /// Stories merged into `story` on the way: each key is gone for good.
    pub merged: Vec<Key>,
}

#[derive(Debug, Default)]
pub struct StreamClusterer {
    options: StreamOptions,
    vocabulary: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
    /// Stories by key; a story's key is its first report's key.
    stories: BTreeMap<Key, StoryState>,
    /// Term -> stories whose centroid holds it.
    postings: HashMap<u32, Vec<Key>>,
}

impl StreamClusterer {
    pub fn new(options: StreamOptions) -> StreamClusterer {
        StreamClusterer {
            options,
            ..StreamClusterer::default()
        }
    }

    /// Places a report (key `key`, seen at `time` seconds) in a story.
    pub fn add(&mut self, key: Key, words: &ReportWords, time: i64) -> Placement {
        let tf = self.count(words);
        let vector = self.weigh(&tf);
        let best = self.best_story(&vector, time, None);
        let (story, new) = match best {
            Some((story, score)) if score >= self.options.assign => (story, false),
            _ => (key, true),
        };
        self.join(story, key, &tf, time);
        let mut merged = Vec::new();
        let mut story = story;
        // A merge changes the centroid, which can bring a third story within reach.
        loop {
            let centroid = self.centroid(story);
            let Some((other, score)) = self.best_story(&centroid, time, Some(story)) else {
                break;
            };
            if score < self.options.merge {
                break;
            }
            let (keep, gone) = self.survivor(story, other);
            self.absorb(keep, gone);
            merged.push(gone);
            story = keep;
        }
        Placement { story, new, merged }
    }

    /// Adds a report to a story without scoring: rebuilding the state of stories already
    /// decided (after a restart), where the stored membership is the truth.
    pub fn restore(&mut self, story: Key, key: Key, words: &ReportWords, time: i64) {
        let tf = self.count(words);
        self.join(story, key, &tf, time);
    }

    pub fn members(&self, story: Key) -> &[Key] {
        self.stories.get(&story).map_or(&[], |s| &s.members)
    }

    /// Term counts (sublinear), updating document frequencies.
    fn count(&mut self, words: &ReportWords) -> Vec<(u32, f32)> {
        let mut raw: HashMap<u32, f32> = HashMap::new();
        for word in std::iter::once(&words.title)
            .chain(&words.sentences)
            .flatten()
            .filter(|w| content_word(w))
        {
            let next = self.vocabulary.len() as u32;
            let id = *self.vocabulary.entry(word.stem.clone()).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            *raw.entry(id).or_default() += 1.0;
        }
        self.docs += 1;
        let mut tf: Vec<(u32, f32)> = raw
            .into_iter()
            .map(|(id, c)| {
                self.df[id as usize] += 1;
                (id, 1.0 + c.ln())
            })
            .collect();
        tf.sort_unstable_by_key(|(id, _)| *id);
        tf
    }

    fn idf(&self, term: u32) -> f32 {
        ((self.docs as f32 + 1.0) / (self.df[term as usize] as f32 + 1.0)).ln() + 1.0
    }

    /// tf-idf, L2-normalised.
    fn weigh(&self, tf: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = tf.iter().map(|&(t, w)| (t, w * self.idf(t))).collect();
        normalise(&mut v);
        v
    }

    /// A story's centroid as a unit vector.
    fn centroid(&self, story: Key) -> Vec<(u32, f32)> {
        let state = &self.stories[&story];
        let mut v: Vec<(u32, f32)> = state
            .tf
            .iter()
            .map(|(&t, &w)| (t, w * self.idf(t)))
            .collect();
        v.sort_unstable_by_key(|(t, _)| *t);
        normalise(&mut v);
        v
    }

    /// The live story most similar to `vector` (a unit vector), other than `except`; ties go to
    /// the older story.
    fn best_story(
        &self,
        vector: &[(u32, f32)],
        time: i64,
        except: Option<Key>,
    ) -> Option<(Key, f32)> {
        let mut dots: HashMap<Key, f32> = HashMap::new();
        for &(term, w) in vector {
            let Some(stories) = self.postings.get(&term) else {
                continue;
            };
            let weight = w * self.idf(term);
            for &story in stories {
                let state = &self.stories[&story];
                let mean = state.tf[&term] / state.members.len() as f32;
                *dots.entry(story).or_default() += weight * mean;
            }
        }
        let live = |s: &StoryState| match self.options.window {
            Some(window) => time - s.last <= window,
            None => true,
        };
        dots.into_iter()
            .filter(|(story, _)| Some(*story) != except)
            .filter(|(story, _)| live(&self.stories[story]))
            .map(|(story, dot)| {
                let state = &self.stories[&story];
                let norm = state.norm / state.members.len() as f32;
                (story, if norm > 0.0 { dot / norm } else { 0.0 })
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    }

    fn join(&mut self, story: Key, key: Key, tf: &[(u32, f32)], time: i64) {
        let state = self.stories.entry(story).or_insert_with(|| StoryState {
            tf: HashMap::new(),
            members: Vec::new(),
            last: time,
            norm: 0.0,
        });
        for &(term, w) in tf {
            let entry = state.tf.entry(term).or_insert(0.0);
            if *entry == 0.0 {
                self.postings.entry(term).or_default().push(story);
            }
            *entry += w;
        }
        state.members.push(key);
        state.last = state.last.max(time);
        self.renorm(story);
    }

    /// The surviving key and the merged one.
    fn survivor(&self, a: Key, b: Key) -> (Key, Key) {
        let (sa, sb) = (
            self.stories[&a].members.len(),
            self.stories[&b].members.len(),
        );
        if sa > sb || (sa == sb && a < b) {
            (a, b)
        } else {
            (b, a)
        }
    }

    fn absorb(&mut self, keep: Key, gone: Key) {
        let old = self.stories.remove(&gone).expect("merged story exists");
        for term in old.tf.keys() {
            if let Some(list) = self.postings.get_mut(term) {
                list.retain(|s| *s != gone);
            }
        }
        let state = self.stories.get_mut(&keep).expect("surviving story exists");
        for (term, w) in old.tf {
            let entry = state.tf.entry(term).or_insert(0.0);
            if *entry == 0.0 {
                self.postings.entry(term).or_default().push(keep);
            }
            *entry += w;
        }
        state.members.extend(old.members);
        state.last = state.last.max(old.last);
        self.renorm(keep);
    }

    /// Recomputes the norm of the story's summed (not averaged) idf-weighted term vector.
    fn renorm(&mut self, story: Key) {
        let norm = self.stories[&story]
            .tf
            .iter()
            .map(|(&t, &w)| (w * self.idf(t)).powi(2))
            .sum::<f32>()
            .sqrt();
        self.stories.get_mut(&story).expect("story exists").norm = norm;
    }
}

fn content_word(word: &Word) -> bool {
    !word.is_stopword() && word.lower.len() >= 2 && word.lower.chars().any(char::is_alphabetic)
}

fn normalise(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn words(text: &str) -> ReportWords {
        ReportWords {
            title: text::words(text),
            sentences: vec![],
        }
    }

    #[test]
    fn reports_join_the_matching_live_story() {
        let mut c = StreamClusterer::new(StreamOptions {
            window: Some(3600),
            ..StreamOptions::default()
        });
        let a = c.add(
            1,
            &words("Mt. Gox bitcoin exchange files for bankruptcy"),
            0,
        );
        let b = c.add(
            2,
            &words("American Airlines and JetBlue end their ticketing deal"),
            10,
        );
        let d = c.add(
            3,
            &words("Bitcoin exchange Mt. Gox seeks bankruptcy protection"),
            20,
        );
        assert!(a.new && b.new && !d.new);
        assert_eq!(d.story, 1);
        // The same words after the story went quiet start a new story.
        let e = c.add(4, &words("Mt. Gox bitcoin bankruptcy hearing"), 20 + 7200);
        assert!(e.new);
        assert_eq!(c.members(1), &[1, 3]);
    }

    #[test]
    fn stories_that_meet_are_merged_into_the_larger() {
        let mut c = StreamClusterer::new(StreamOptions {
            assign: 0.5,
            merge: 0.3,
            window: None,
        });
        c.add(1, &words("ferry sinks off Valencia coast"), 0);
        c.add(2, &words("ferry sinks off Valencia coast, rescuers say"), 1);
        c.add(3, &words("rescuers search sea near Valencia"), 2);
        // Close to both: joins the two-report story, whose centroid then meets the other.
        let p = c.add(
            4,
            &words("rescuers search sea off Valencia coast after ferry sinks"),
            3,
        );
        assert_eq!(p.story, 1);
        assert_eq!(p.merged, vec![3]);
        assert_eq!(c.members(1), &[1, 2, 4, 3]);
        assert!(c.members(3).is_empty());
    }
}
