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
//! Meaning: headlines are short, so two stories on one company or one market share most of
//! their stems, and a tf-idf cosine alone glues them together. When the caller passes sentence
//! embeddings (see [`crate::embed`]), a story also keeps the sum of its members' embeddings, and
//! a candidate story must pass both tests: the lexical one above (shares the story's
//! distinctive words) and a semantic one, the cosine between the report's embedding and the
//! story's mean embedding (means the same thing). The semantic test is a gate, not a second
//! ranking: among the stories that pass both, the report joins the one with the best tf-idf
//! score, as without embeddings. A report or a story without an embedding (no encoder loaded,
//! an encoder failure, a story restored without its embeddings) is judged on tf-idf alone, so
//! the clusterer works, with lower precision, when no encoder is loaded.
//!
//! Learned joins: with a [`Linker`] in the options and an embedding, the choice
//! among the stories that pass both tests is a learnt decision over several similarities of
//! the report to each (tf-idf cosine, cosine to the mean and to the nearest member's embedding,
//! time from the story's newest and oldest member, size, share of members from the report's
//! outlet; see [`super::link`]): the report joins the most probable story when that is at least
//! one half, else starts one. A report without an embedding keeps to the tests above.
//!
//! Merges: after a report joins a story, the story's centroid is compared with the other live
//! stories that share a term with it; at or above `merge` (and, with embeddings, at or above
//! `semantic_merge` between the two mean embeddings) the two become one. The survivor is
//! the larger story (on a tie, the older), so the id readers have seen most keeps working and
//! the other id is recorded as merged into it.
//!
//! Learnt former: with a [`Former`] in the options, joins and merges are its two decisions
//! instead of the thresholds and the linker, over centroid and member cosines (members' vectors
//! and their cosine sums between stories are then kept too; see [`super::former`]). The meaning
//! gates still apply. `dossier serve` and `dossier build` use the shipped one unless
//! asked for the thresholds: on held-out halves (bench/events) it groups articles far better
//! than the thresholds (ECB+ 0.80 and DUC 0.83 pairwise F1 against 0.11 and 0.14, whose
//! centroids glue articles of one field together) and headlines with the encoder a little
//! better (UCI 0.86 against 0.85). `StreamOptions::default()` keeps the thresholds, the
//! baseline the benches and `dossier-train` measure against.
//!
//! Final pass: with `final_pass` set (the CLI sets it with the former), the stories shown are
//! the former's reviewed by [`super::pass`]: the stories of long texts re-formed by batch
//! average link, the others merged or given fragments by it. The clusterer keeps the former's
//! own stories; the service reviews them after each batch ([`super::Engine`]), a pile once at
//! the end (the pipeline, after [`replay`]).
//!
//! Piles: [`replay`] places a pile's reports as a service receiving them in date order would
//! (`dossier build`), so that the two give the same stories.
//!
//! Invariants: every report added is in exactly one story; story keys are never reused; the
//! result depends only on the reports, their embeddings, outlets and times, and their order.
//!
//! idf moves as the stream grows; a story's centroid norm is recomputed when the story changes
//! and otherwise lags the idf of later arrivals. The lag only scales a story's scores by the
//! slow drift of its own terms' idf, and it keeps scoring a report proportional to the stories
//! that share its terms rather than to everything live.

use super::former::{self, Former, Link, Members, StoryFacts};
use super::link::{decide, time_similarity, Linker, FEATURE_NAMES};
use crate::embed::cosine;
use crate::text::ReportWords;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Minimum cosine between a report and a story's centroid for the report to join it.
    pub assign: f32,
    /// Minimum cosine between two story centroids for the stories to be merged.
    pub merge: f32,
    /// How long a story stays live after its newest report, in seconds; `None`: forever.
    pub window: Option<i64>,
    /// Minimum cosine between a report's embedding and a story's mean embedding for the report
    /// to join it (when both have one).
    pub semantic_assign: f32,
    /// Minimum cosine between two stories' mean embeddings for them to be merged (when both
    /// have one).
    pub semantic_merge: f32,
    /// The learned join decision (see [`super::link`]); `None`: the fixed gates `assign` and
    /// `semantic_assign`. Merges use the gates either way.
    pub linker: Option<Arc<Linker>>,
    /// The learnt former (see [`super::former`]): joins and merges decided by its two models
    /// instead of `assign`, `merge` and the linker; the meaning gates still apply.
    pub former: Option<Arc<Former>>,
    /// Review the stories of long texts as batch average link would once the reports are
    /// placed (see [`super::pass`]).
    pub final_pass: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            assign: 0.05,
            merge: 0.2,
            window: Some(24 * 3600),
            // Cosines of all-MiniLM-L6-v2 embeddings. A headline sits above 0.4 to the mean of
            // a story about the same event and below it to most stories that merely share a
            // topic. A merge cannot be undone, so two stories' means must be somewhat closer
            // than a report to the story it joins (bench/stream lists the values tried).
            semantic_assign: 0.4,
            semantic_merge: 0.5,
            // The learnt linker beat the gates clearly on one story-disjoint half of the UCI
            // stream, barely on the other, and not on the whole file (bench/stream): not the
            // default.
            linker: None,
            former: None,
            final_pass: false,
        }
    }
}

impl StreamOptions {
    /// The shipped former and its final pass: how `dossier build` and `dossier serve` form
    /// stories unless told otherwise (bench/events).
    pub fn learnt() -> StreamOptions {
        StreamOptions {
            former: Some(super::former::Former::shipped()),
            final_pass: true,
            ..StreamOptions::default()
        }
    }
}

/// Stories key reports by a number the caller chooses (the store's arrival number).
pub type Key = u64;

#[derive(Debug, Clone)]
struct StoryState {
    /// Sum over members of each term's sublinear tf. An Fx map: the norm sums over it, and its
    /// order must be the same in every run for a pile to give the same stories every time.
    tf: FxHashMap<u32, f32>,
    members: Vec<Key>,
    /// Newest member's time, in seconds.
    last: i64,
    /// Norm of the idf-weighted centroid when the story last changed.
    norm: f32,
    /// Sum of the members' embeddings (of those that have one).
    meaning: Option<Vec<f32>>,
    /// Oldest member's time, in seconds.
    first: i64,
    /// The members' embeddings (of those that have one).
    embeddings: Vec<Vec<f32>>,
    /// Members per outlet (of those that name one).
    outlets: HashMap<String, u32>,
    /// Sum of the members' ln(1 + distinct words).
    length: f32,
}

/// A report arriving in the stream.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    /// The caller's number for the report.
    pub key: Key,
    /// Its unit-length sentence embedding, if the caller has one.
    pub embedding: Option<&'a [f32]>,
    /// When it was published, in seconds.
    pub time: i64,
    /// Who published it (an outlet name or the host of its URL), if known.
    pub outlet: Option<&'a str>,
}

/// A report's sublinear term frequencies, made once per report by [`StreamClusterer::terms`]
/// or [`StreamClusterer::counted`] (which count the report into the document frequencies).
#[derive(Debug, Clone)]
pub struct Terms(Vec<(u32, f32)>);

/// What the former reads of a report: its content-word stems, numbered by a [`Vocabulary`],
/// with how often each occurs, sorted by number. A few bytes a word, where the words themselves
/// take about a hundred: a pile of a million reports keeps these, not words.
pub type Counts = Box<[(u32, u32)]>;

/// The stems of a report's words that tell its event: stopwords, one-letter words and words
/// without a letter are left out. Public so that a job forming stories elsewhere (Spark) counts
/// exactly what the clusterers count.
pub fn kept_stems(report: &ReportWords) -> impl Iterator<Item = &str> {
    std::iter::once(&report.title)
        .chain(&report.sentences)
        .flatten()
        .filter(|w| {
            !w.is_stopword() && w.lower.len() >= 2 && w.lower.chars().any(char::is_alphabetic)
        })
        .map(|w| w.stem.as_str())
}

/// Numbers stems in the order they are first met.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    /// The counts of a report's stems: stopwords, one-letter words and words without a letter
    /// say nothing about which event a report covers.
    pub fn terms(&mut self, report: &ReportWords) -> Counts {
        let mut ids: Vec<u32> = kept_stems(report).map(|stem| self.id(stem)).collect();
        ids.sort_unstable();
        ids.chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32))
            .collect()
    }

    /// The stem of each number given so far.
    pub fn stems(&self) -> impl Iterator<Item = (&str, u32)> {
        self.ids.iter().map(|(stem, &id)| (stem.as_str(), id))
    }

    /// The number of a stem, given it the first time it is met.
    pub fn id(&mut self, stem: &str) -> u32 {
        let next = self.ids.len() as u32;
        match self.ids.get(stem) {
            Some(&id) => id,
            None => *self.ids.entry(stem.to_string()).or_insert(next),
        }
    }
}

/// A live story a report could join, with the report's similarities to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub story: Key,
    /// In [`FEATURE_NAMES`] order; the encoder's are 0 when `meaning` is false.
    pub features: [f32; FEATURE_NAMES.len()],
    /// Both the report and the story have embeddings.
    pub meaning: bool,
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
    vocabulary: Vocabulary,
    df: Vec<u32>,
    docs: u32,
    /// Stories by key; a story's key is its first report's key.
    stories: BTreeMap<Key, StoryState>,
    /// Term -> stories whose centroid holds it.
    postings: FxHashMap<u32, Vec<Key>>,
    /// Reports placed, to sweep now and then.
    placed: u64,
    /// The members' own vectors, kept for the learnt former only.
    members: Members,
}

/// Placements between two sweeps of the members' embeddings of stories no longer live.
const SWEEP: u64 = 1024;

impl StreamClusterer {
    pub fn new(options: StreamOptions) -> StreamClusterer {
        StreamClusterer {
            options,
            ..StreamClusterer::default()
        }
    }

    /// Places a report in a story: with a linker and an embedding, the most probable candidate
    /// (see [`decide`]); otherwise the best-scoring story that passes the gates. On words alone
    /// the linker's words-only weights did not beat the gates (bench/stream), so a report
    /// without an embedding keeps to the gates; the words-only weights judge only stories that
    /// lack a meaning.
    pub fn add(&mut self, arrival: &Arrival, terms: &Terms) -> Placement {
        let story = match (
            &self.options.former,
            &self.options.linker,
            arrival.embedding,
        ) {
            (Some(former), _, _) => self.learnt_join(former, terms, arrival),
            (None, Some(linker), Some(_)) => decide(linker, &self.candidates(terms, arrival)),
            _ => {
                let gate = Gate {
                    lexical: self.options.assign,
                    semantic: self.options.semantic_assign,
                    meaning: arrival.embedding,
                };
                self.best_story(&self.weigh(&terms.0), &gate, arrival.time, None)
            }
        };
        self.place(arrival, terms, story)
    }

    /// Counts a report's terms, and the report into the document frequencies: once per report,
    /// before [`StreamClusterer::add`] (or [`StreamClusterer::candidates`] and
    /// [`StreamClusterer::place`]).
    pub fn terms(&mut self, words: &ReportWords) -> Terms {
        let counts = self.count(words);
        self.counted(&counts)
    }

    /// A report's stem counts, numbered by this clusterer's vocabulary, without counting the
    /// report into the document frequencies (see [`StreamClusterer::counted`]).
    pub fn count(&mut self, words: &ReportWords) -> Counts {
        self.vocabulary.terms(words)
    }

    /// The options the clusterer was made with.
    pub fn options(&self) -> &StreamOptions {
        &self.options
    }

    /// [`StreamClusterer::terms`] for a report whose stems a caller numbered already (a pile
    /// read before it is grouped). One clusterer takes numbers from one [`Vocabulary`] only:
    /// either its own, through [`StreamClusterer::terms`], or the caller's.
    pub fn counted(&mut self, counts: &[(u32, u32)]) -> Terms {
        self.docs += 1;
        let top = counts
            .iter()
            .map(|(id, _)| *id as usize + 1)
            .max()
            .unwrap_or(0);
        if self.df.len() < top {
            self.df.resize(top, 0);
        }
        Terms(
            counts
                .iter()
                .map(|&(id, c)| {
                    self.df[id as usize] += 1;
                    (id, 1.0 + (c as f32).ln())
                })
                .collect(),
        )
    }

    /// The live stories that pass the gates for the report (`assign`, and `semantic_assign`
    /// where both sides have a meaning), and its similarities to each. The linker chooses among
    /// these only: learnt on a stream where few stories are live at once, it would otherwise
    /// take a headline about another event of the same company for the story's.
    pub fn candidates(&self, terms: &Terms, arrival: &Arrival) -> Vec<Candidate> {
        let vector = self.weigh(&terms.0);
        let gate = Gate {
            lexical: self.options.assign,
            semantic: self.options.semantic_assign,
            meaning: arrival.embedding,
        };
        let mut out: Vec<Candidate> = self
            .scores(&vector, arrival.time, None)
            .into_iter()
            .filter(|&(story, score)| score >= gate.lexical && gate.admits(&self.stories[&story]))
            .map(|(story, score)| self.candidate(story, score, arrival))
            .collect();
        out.sort_unstable_by_key(|c| c.story);
        out
    }

    fn candidate(&self, story: Key, score: f32, arrival: &Arrival) -> Candidate {
        let state = &self.stories[&story];
        let n = state.members.len() as f32;
        let same_outlet = arrival
            .outlet
            .and_then(|o| state.outlets.get(o))
            .map_or(0.0, |&c| c as f32 / n);
        let mut features = [
            score,
            time_similarity(arrival.time - state.last),
            time_similarity(arrival.time - state.first),
            (1.0 + n).ln(),
            same_outlet,
            0.0,
            0.0,
        ];
        let meaning = match (arrival.embedding, &state.meaning) {
            (Some(e), Some(sum)) if !state.embeddings.is_empty() => {
                features[5] = cosine(e, sum);
                features[6] = state
                    .embeddings
                    .iter()
                    .map(|m| cosine(e, m))
                    .fold(f32::NEG_INFINITY, f32::max);
                true
            }
            _ => false,
        };
        Candidate {
            story,
            features,
            meaning,
        }
    }

    /// Puts the report in `story` (or a new story of its own when `None`), then merges the
    /// stories that now meet.
    pub fn place(&mut self, arrival: &Arrival, terms: &Terms, story: Option<Key>) -> Placement {
        let (story, new) = self.put(arrival, terms, story);
        let (story, merged) = self.settle(story, arrival.time);
        Placement { story, new, merged }
    }

    /// [`StreamClusterer::place`] without the merges: returns the story and whether it is new.
    pub fn put(&mut self, arrival: &Arrival, terms: &Terms, story: Option<Key>) -> (Key, bool) {
        let (story, new) = match story {
            Some(story) => (story, false),
            None => (arrival.key, true),
        };
        self.index(story, terms, arrival.key);
        self.join(story, &terms.0, arrival);
        self.placed += 1;
        if self.placed.is_multiple_of(SWEEP) {
            self.forget_closed_members(arrival.time);
        }
        (story, new)
    }

    /// Merges into `story` (or it into) the stories that meet it at `time`, one at a time: a
    /// merge changes the story, which can bring a third within reach. Returns the surviving
    /// key and the keys merged away.
    pub fn settle(&mut self, mut story: Key, time: i64) -> (Key, Vec<Key>) {
        let mut merged = Vec::new();
        while let Some(other) = self.merge_with(story, time) {
            let (keep, gone) = self.survivor(story, other);
            self.absorb(keep, gone);
            merged.push(gone);
            story = keep;
        }
        (story, merged)
    }

    /// Adds a report to a story without scoring: rebuilding the state of stories already
    /// decided (after a restart), where the stored membership is the truth.
    /// The arrival's embedding is not taken: see [`StreamClusterer::restore_meaning`].
    pub fn restore(&mut self, story: Key, arrival: &Arrival, terms: &Terms) {
        self.index(story, terms, arrival.key);
        self.join(
            story,
            &terms.0,
            &Arrival {
                embedding: None,
                ..*arrival
            },
        );
    }

    /// Adds a restored member's embedding to its story, for the stories that may still take
    /// reports (see [`StreamClusterer::live`]).
    pub fn restore_meaning(&mut self, story: Key, embedding: &[f32]) {
        if let Some(state) = self.stories.get_mut(&story) {
            add_meaning(&mut state.meaning, embedding);
            state.embeddings.push(embedding.to_vec());
        }
    }

    /// Drops the members' embeddings of the stories no longer live at `time`: only live
    /// stories are candidates, and a service that runs for months would otherwise hold an
    /// embedding per report it ever saw. The sum stays: one vector per story.
    fn forget_closed_members(&mut self, time: i64) {
        let Some(window) = self.options.window else {
            return;
        };
        for state in self.stories.values_mut() {
            if time - state.last > window && !state.embeddings.is_empty() {
                state.embeddings = Vec::new();
            }
        }
        let stories = &self.stories;
        self.members
            .forget(|s| stories.get(&s).is_none_or(|s| time - s.last > window));
    }

    /// Stories still live for a report arriving at `time`.
    pub fn live(&self, time: i64) -> Vec<Key> {
        self.stories
            .iter()
            .filter(|(_, s)| self.is_live(s, time))
            .map(|(&k, _)| k)
            .collect()
    }

    pub fn members(&self, story: Key) -> &[Key] {
        self.stories.get(&story).map_or(&[], |s| &s.members)
    }

    /// The members of every story, live or not, oldest story first.
    pub fn stories(&self) -> impl Iterator<Item = &[Key]> {
        self.stories.values().map(|s| s.members.as_slice())
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

    fn is_live(&self, story: &StoryState, time: i64) -> bool {
        match self.options.window {
            Some(window) => time - story.last <= window,
            None => true,
        }
    }

    /// Among the live stories other than `except` that pass `gate`, the one whose centroid is
    /// most similar to `vector` (a unit vector); ties go to the older story.
    fn best_story(
        &self,
        vector: &[(u32, f32)],
        gate: &Gate,
        time: i64,
        except: Option<Key>,
    ) -> Option<Key> {
        self.scores(vector, time, except)
            .into_iter()
            .filter(|&(story, score)| score >= gate.lexical && gate.admits(&self.stories[&story]))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(story, _)| story)
    }

    /// The cosine of `vector` (a unit vector) to the centroid of each live story other than
    /// `except` that shares a term with it.
    fn scores(&self, vector: &[(u32, f32)], time: i64, except: Option<Key>) -> Vec<(Key, f32)> {
        // The story's state is looked up once a call, not once a shared term: this loop is the
        // former's hot spot in a pile (perf), a story's centroid against every story after each
        // placement.
        let mut dots: FxHashMap<Key, (f32, &StoryState)> = FxHashMap::default();
        for &(term, w) in vector {
            let Some(stories) = self.postings.get(&term) else {
                continue;
            };
            let weight = w * self.idf(term);
            for &story in stories {
                let (dot, state) = dots
                    .entry(story)
                    .or_insert_with(|| (0.0, &self.stories[&story]));
                let mean = state.tf[&term] / state.members.len() as f32;
                *dot += weight * mean;
            }
        }
        dots.into_iter()
            .filter(|(story, _)| Some(*story) != except)
            .filter(|(_, (_, state))| self.is_live(state, time))
            .map(|(story, (dot, state))| {
                let norm = state.norm / state.members.len() as f32;
                (story, if norm > 0.0 { dot / norm } else { 0.0 })
            })
            .collect()
    }

    fn join(&mut self, story: Key, tf: &[(u32, f32)], arrival: &Arrival) {
        let time = arrival.time;
        let state = self.stories.entry(story).or_insert_with(|| StoryState {
            tf: FxHashMap::default(),
            members: Vec::new(),
            last: time,
            norm: 0.0,
            meaning: None,
            first: time,
            embeddings: Vec::new(),
            outlets: HashMap::new(),
            length: 0.0,
        });
        state.length += former::length(tf.len());
        if let Some(e) = arrival.embedding {
            add_meaning(&mut state.meaning, e);
            state.embeddings.push(e.to_vec());
        }
        if let Some(outlet) = arrival.outlet {
            *state.outlets.entry(outlet.to_string()).or_default() += 1;
        }
        for &(term, w) in tf {
            let entry = state.tf.entry(term).or_insert(0.0);
            if *entry == 0.0 {
                self.postings.entry(term).or_default().push(story);
            }
            *entry += w;
        }
        state.members.push(arrival.key);
        state.last = state.last.max(time);
        state.first = state.first.min(time);
        self.renorm(story);
    }

    /// The story another merges into `story` at `time`, if any: by the former's merge decision
    /// when it has one, else the live story whose centroid clears the `merge` gates.
    fn merge_with(&self, story: Key, time: i64) -> Option<Key> {
        let Some(former) = &self.options.former else {
            let centroid = self.centroid(story);
            let gate = Gate {
                lexical: self.options.merge,
                semantic: self.options.semantic_merge,
                meaning: self.stories[&story].meaning.as_deref(),
            };
            return self.best_story(&centroid, &gate, time, Some(story));
        };
        let judged = self.merge_candidates(story, time).into_iter();
        most_probable(judged.map(|(other, x)| (other, former.merges(&x))))
    }

    /// The live stories the former could merge with `story` at `time` (members sharing a word,
    /// past the meaning gate), with the [`former::MERGE_FEATURES`] of each pair.
    pub fn merge_candidates(&self, story: Key, time: i64) -> Vec<(Key, former::MergeX)> {
        let centroid = self.centroid(story);
        let scores: HashMap<Key, f32> = self
            .scores(&centroid, time, Some(story))
            .into_iter()
            .collect();
        let gate = Gate {
            lexical: 0.0,
            semantic: self.options.semantic_merge,
            meaning: self.stories[&story].meaning.as_deref(),
        };
        let facts = self.facts(story);
        let mut out: Vec<(Key, former::MergeX)> = self
            .members
            .neighbours(story)
            .filter(|(other, _)| scores.contains_key(other))
            .filter(|(other, _)| gate.admits(&self.stories[other]))
            .map(|(other, cross)| {
                let x = former::merge_features(scores[&other], cross, &facts, &self.facts(other));
                (other, x)
            })
            .collect();
        out.sort_unstable_by_key(|(k, _)| *k);
        out
    }

    /// The story the former's join decision puts a report in (`None`: a story of its own).
    fn learnt_join(&self, former: &Former, terms: &Terms, arrival: &Arrival) -> Option<Key> {
        let judged = self.join_candidates(terms, arrival).into_iter();
        most_probable(judged.map(|(story, x)| (story, former.joins(&x))))
    }

    /// The live stories whose members share a word with the report, past the meaning gate,
    /// with the report's [`former::JOIN_FEATURES`] to each.
    pub fn join_candidates(&self, terms: &Terms, arrival: &Arrival) -> Vec<(Key, former::JoinX)> {
        let vector = self.weigh(&terms.0);
        let scores: HashMap<Key, f32> = self
            .scores(&vector, arrival.time, None)
            .into_iter()
            .collect();
        let gate = Gate {
            lexical: 0.0,
            semantic: self.options.semantic_assign,
            meaning: arrival.embedding,
        };
        let length = former::length(terms.0.len());
        let mut out: Vec<(Key, former::JoinX)> = self
            .members
            .cosines(&terms.0, &self.idfs(&terms.0))
            .into_iter()
            .filter(|(story, _)| scores.contains_key(story))
            .filter(|(story, _)| gate.admits(&self.stories[story]))
            .map(|(story, members): (Key, Link)| {
                let facts = self.facts(story);
                let x =
                    former::join_features(scores[&story], members, &facts, length, arrival.time);
                (story, x)
            })
            .collect();
        out.sort_unstable_by_key(|(k, _)| *k);
        former::add_margins(&mut out);
        out
    }

    /// Keeps the report's own vector for the former's member cosines (only when it has one).
    fn index(&mut self, story: Key, terms: &Terms, key: Key) {
        if self.options.former.is_none() {
            return;
        }
        let idf = self.idfs(&terms.0);
        let cosines = self.members.cosines(&terms.0, &idf);
        self.members.add(key, story, (&terms.0, &idf), &cosines);
    }

    fn idfs(&self, tf: &[(u32, f32)]) -> Vec<f32> {
        tf.iter().map(|&(t, _)| self.idf(t)).collect()
    }

    fn facts(&self, story: Key) -> StoryFacts {
        let state = &self.stories[&story];
        StoryFacts {
            members: state.members.len(),
            length: state.length,
            last: state.last,
        }
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
        if self.options.former.is_some() {
            self.members.merge(keep, gone, &old.members);
        }
        state.length += old.length;
        state.members.extend(old.members);
        state.last = state.last.max(old.last);
        state.first = state.first.min(old.first);
        state.embeddings.extend(old.embeddings);
        for (outlet, n) in old.outlets {
            *state.outlets.entry(outlet).or_default() += n;
        }
        if let Some(meaning) = &old.meaning {
            add_meaning(&mut state.meaning, meaning);
        }
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

/// The stories a service would form of a pile: each report (given by its counts, numbered by
/// one [`Vocabulary`]) placed as it arrives, in the order of `times` (in seconds), the undated
/// after the dated in input order and timed as the newest before them, as a service that
/// receives them then would time them. Returns the former's groups of indices into `counts`,
/// each ascending, oldest story first, before any final pass ([`super::pass`], the caller's,
/// which knows what else the reports are weighed by). `meanings` gives a report's embedding
/// where it has one (the service's lead embeddings; missing or none: words alone).
pub fn replay(
    counts: &[&[(u32, u32)]],
    times: &[Option<i64>],
    meanings: &[Option<&[f32]>],
    options: &StreamOptions,
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&i| (times[i].is_none(), times[i], i));
    let mut former = StreamClusterer::new(options.clone());
    let mut newest = None;
    for i in order {
        let time = times[i].or(newest).unwrap_or(0);
        newest = Some(time);
        let terms = former.counted(counts[i]);
        let arrival = Arrival {
            key: i as Key,
            embedding: meanings.get(i).copied().flatten(),
            time,
            outlet: None,
        };
        former.add(&arrival, &terms);
    }
    former
        .stories()
        .map(|members| {
            let mut group: Vec<usize> = members.iter().map(|&k| k as usize).collect();
            group.sort_unstable();
            group
        })
        .collect()
}

/// What a candidate story must pass besides being live.
struct Gate<'a> {
    /// Minimum tf-idf cosine.
    lexical: f32,
    /// Minimum cosine to the story's mean embedding, checked when both sides have one.
    semantic: f32,
    /// The arriving side's embedding (or embedding sum; only its direction counts).
    meaning: Option<&'a [f32]>,
}

impl Gate<'_> {
    fn admits(&self, story: &StoryState) -> bool {
        match (self.meaning, &story.meaning) {
            (Some(a), Some(b)) => cosine(a, b) >= self.semantic,
            _ => true,
        }
    }
}

/// The most probable story of those judged, when at least one half; ties go to the older.
fn most_probable(judged: impl Iterator<Item = (Key, f32)>) -> Option<Key> {
    judged
        .filter(|&(_, p)| p >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(story, _)| story)
}

fn add_meaning(sum: &mut Option<Vec<f32>>, embedding: &[f32]) {
    match sum {
        Some(sum) => sum.iter_mut().zip(embedding).for_each(|(s, e)| *s += e),
        None => *sum = Some(embedding.to_vec()),
    }
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
    use crate::embed::{default_models_dir, Encoder, ENCODER_DIR};
    use crate::text;
    use std::sync::OnceLock;

    fn words(text: &str) -> ReportWords {
        ReportWords {
            title: text::words(text),
            sentences: vec![],
        }
    }

    /// Adds a headline with no outlet.
    fn add(
        c: &mut StreamClusterer,
        key: Key,
        text: &str,
        embedding: Option<&[f32]>,
        time: i64,
    ) -> Placement {
        let terms = c.terms(&words(text));
        c.add(
            &Arrival {
                key,
                embedding,
                time,
                outlet: None,
            },
            &terms,
        )
    }

    fn restore(c: &mut StreamClusterer, story: Key, key: Key, text: &str, time: i64) {
        let terms = c.terms(&words(text));
        c.restore(
            story,
            &Arrival {
                key,
                embedding: None,
                time,
                outlet: None,
            },
            &terms,
        );
    }

    #[test]
    fn reports_join_the_matching_live_story() {
        let mut c = StreamClusterer::new(StreamOptions {
            window: Some(3600),
            ..StreamOptions::default()
        });
        let a = add(
            &mut c,
            1,
            "Mt. Gox bitcoin exchange files for bankruptcy",
            None,
            0,
        );
        let b = add(
            &mut c,
            2,
            "American Airlines and JetBlue end their ticketing deal",
            None,
            10,
        );
        let d = add(
            &mut c,
            3,
            "Bitcoin exchange Mt. Gox seeks bankruptcy protection",
            None,
            20,
        );
        assert!(a.new && b.new && !d.new);
        assert_eq!(d.story, 1);
        // The same words after the story went quiet start a new story.
        let e = add(
            &mut c,
            4,
            "Mt. Gox bitcoin bankruptcy hearing",
            None,
            20 + 7200,
        );
        assert!(e.new);
        assert_eq!(c.members(1), &[1, 3]);
    }

    #[test]
    fn stories_that_meet_are_merged_into_the_larger() {
        let texts = [
            "ferry sinks off Valencia coast",
            "ferry sinks off Valencia coast, rescuers say",
            "rescuers search sea near Valencia",
            "rescuers search sea off Valencia coast after ferry sinks",
        ];
        // On words alone, and with the meaning check (which these stories pass) as well.
        for vectors in [None, Some(encoder().embed(&texts).unwrap())] {
            let mut c = StreamClusterer::new(StreamOptions {
                assign: 0.5,
                merge: 0.3,
                window: None,
                linker: None,
                ..StreamOptions::default()
            });
            let placed: Vec<Placement> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let e = vectors.as_ref().map(|v| v[i].as_slice());
                    add(&mut c, i as Key + 1, t, e, i as i64)
                })
                .collect();
            assert_eq!(placed[2].story, 3, "{placed:?}");
            // Close to both: joins the two-report story, whose centroid then meets the other.
            let p = &placed[3];
            assert_eq!(p.story, 1);
            assert_eq!(p.merged, vec![3]);
            assert_eq!(c.members(1), &[1, 2, 4, 3]);
            assert!(c.members(3).is_empty());
        }
    }

    fn encoder() -> &'static Encoder {
        static ENCODER: OnceLock<Encoder> = OnceLock::new();
        ENCODER.get_or_init(|| {
            Encoder::load(&default_models_dir().join(ENCODER_DIR)).expect(
                "the encoder is fetched by scripts/fetch-models.sh (the README's commands run it)",
            )
        })
    }

    /// Two events about one company, their headlines interleaved as a wire delivers them.
    const RECALL: [&str; 4] = [
        "Tesla recalls 50,000 Model S cars over faulty seat belts",
        "Tesla issues recall for Model S seat belt defect",
        "Seat belt problem prompts Tesla to recall sedans",
        "Regulators review Tesla seat belt recall",
    ];
    const FACTORY: [&str; 4] = [
        "Tesla opens battery factory in Nevada",
        "Tesla's Nevada gigafactory begins battery production",
        "Battery production starts at Tesla plant in the Nevada desert",
        "Tesla battery plant brings thousands of jobs to Nevada",
    ];

    /// Places the two streams, interleaved, a minute apart; returns the story of each report
    /// (recall reports are keys 1, 3, 5, 7; factory reports 2, 4, 6, 8).
    fn place(c: &mut StreamClusterer, embed: bool) -> Vec<Placement> {
        let texts: Vec<&str> = RECALL
            .iter()
            .zip(FACTORY.iter())
            .flat_map(|(a, b)| [*a, *b])
            .collect();
        let vectors = embed.then(|| encoder().embed(&texts).unwrap());
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let e = vectors.as_ref().map(|v| v[i].as_slice());
                add(c, i as Key + 1, t, e, 60 * i as i64)
            })
            .collect()
    }

    /// The options with the shipped linker deciding joins.
    fn learnt() -> StreamOptions {
        StreamOptions {
            linker: Some(Linker::shipped()),
            ..StreamOptions::default()
        }
    }

    #[test]
    fn meaning_keeps_apart_stories_that_share_their_words() {
        for options in [StreamOptions::default(), learnt()] {
            let mut c = StreamClusterer::new(options.clone());
            let placed = place(&mut c, true);
            assert_eq!(c.members(1), &[1, 3, 5, 7], "{placed:?}");
            assert_eq!(c.members(2), &[2, 4, 6, 8], "{placed:?}");
            // On words alone, "Tesla" is enough at the default join threshold: the two glue.
            let mut words_only = StreamClusterer::new(options);
            place(&mut words_only, false);
            assert_eq!(words_only.members(1).len(), 8);
        }
    }

    #[test]
    fn a_story_keeps_its_key_as_it_grows() {
        for options in [StreamOptions::default(), learnt()] {
            let mut c = StreamClusterer::new(options);
            let placed = place(&mut c, true);
            assert!(placed[0].new && placed[1].new);
            for (i, p) in placed.iter().enumerate().skip(2) {
                assert!(!p.new && p.merged.is_empty(), "report {}: {p:?}", i + 1);
                assert_eq!(p.story, if i % 2 == 0 { 1 } else { 2 });
            }
        }
    }

    #[test]
    fn a_story_restored_without_embeddings_is_judged_on_words() {
        let clusterer = || StreamClusterer::new(StreamOptions::default());
        let mut c = clusterer();
        restore(&mut c, 1, 1, RECALL[0], 0);
        restore(&mut c, 1, 2, RECALL[1], 60);
        let e = encoder().embed(&[FACTORY[0]]).unwrap();
        // No meaning on the story's side: "Tesla" alone lets the report in.
        let p = add(&mut c, 3, FACTORY[0], Some(&e[0]), 120);
        assert_eq!(p.story, 1);
        // Once the story has its meaning back, the same report is kept out.
        let mut c = clusterer();
        let recall = encoder().embed(&RECALL[..2]).unwrap();
        for (i, v) in recall.iter().enumerate() {
            restore(&mut c, 1, i as Key + 1, RECALL[i], 60 * i as i64);
            c.restore_meaning(1, v);
        }
        assert_eq!(c.live(120), vec![1]);
        let p = add(&mut c, 3, FACTORY[0], Some(&e[0]), 120);
        assert!(p.new, "{p:?}");
    }

    #[test]
    fn the_linker_judges_a_story_without_meaning_on_its_words_only_weights() {
        let mut c = StreamClusterer::new(learnt());
        restore(&mut c, 1, 1, RECALL[0], 0);
        restore(&mut c, 1, 2, RECALL[1], 60);
        let e = encoder().embed(&[RECALL[2], FACTORY[0]]).unwrap();
        let arrival = |key, embedding| Arrival {
            key,
            embedding: Some(embedding),
            time: 120,
            outlet: None,
        };
        let (recall, factory) = (words(RECALL[2]), words(FACTORY[0]));
        let terms = c.terms(&recall);
        let candidates = c.candidates(&terms, &arrival(3, &e[0]));
        assert_eq!(candidates.len(), 1);
        assert!(!candidates[0].meaning);
        assert_eq!(candidates[0].features[5..], [0.0, 0.0]);
        let p = c.place(&arrival(3, &e[0]), &terms, Some(1));
        assert_eq!(p.story, 1);
        // The other event shares only "Tesla" with the story: it starts its own.
        let terms = c.terms(&factory);
        let p = c.add(&arrival(4, &e[1]), &terms);
        assert!(p.new, "{p:?}");
    }

    #[test]
    fn candidates_carry_the_similarities_the_linker_weighs() {
        let mut c = StreamClusterer::new(StreamOptions {
            window: None,
            ..learnt()
        });
        let e = encoder().embed(&RECALL).unwrap();
        for (i, text) in RECALL[..3].iter().enumerate() {
            let terms = c.terms(&words(text));
            let arrival = Arrival {
                key: i as Key + 1,
                embedding: Some(&e[i]),
                time: 3600 * i as i64,
                outlet: Some(if i == 0 { "reuters.com" } else { "apnews.com" }),
            };
            c.add(&arrival, &terms);
        }
        assert_eq!(c.members(1), &[1, 2, 3]);
        let w = words(RECALL[3]);
        let arrival = Arrival {
            key: 4,
            embedding: Some(&e[3]),
            time: 3 * 86_400 + 7200,
            outlet: Some("apnews.com"),
        };
        let terms = c.terms(&w);
        let found = c.candidates(&terms, &arrival);
        let [candidate] = found.as_slice() else {
            panic!("{found:?}")
        };
        let f = candidate.features;
        assert!(candidate.meaning && f[0] > 0.2, "{f:?}");
        // Three days after the newest member: one standard deviation.
        assert!(
            (f[1] - (-0.5f32).exp()).abs() < 1e-6 && f[2] < f[1],
            "{f:?}"
        );
        assert!((f[3] - 4f32.ln()).abs() < 1e-6);
        assert!((f[4] - 2.0 / 3.0).abs() < 1e-6);
        let nearest = (0..3)
            .map(|i| cosine(&e[3], &e[i]))
            .fold(f32::MIN, f32::max);
        assert!((f[6] - nearest).abs() < 1e-6, "{f:?}");
        assert!(f[5] > 0.5, "{f:?}");
    }
}
