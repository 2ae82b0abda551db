//! A learned decision for "does this report join that story": a logistic regression over
//! similarities of the report to the story, after Miranda et al. (2018), "Multilingual
//! Clustering of Streaming News". The clusterer scores every live story that passes its fixed
//! gates for the report (see [`super::cluster`]); the report joins the most probable one when
//! that probability is at least one half, and starts a story otherwise.
//!
//! The weights are learnt from a replay of the UCI headline stream in two passes: first with
//! every headline put in its gold story, then with the clusterer deciding by the first weights,
//! each candidate labelled by whether most of its members are of the headline's story. The
//! second pass shows the model the fragments and mixtures it meets in use, which the gold pass
//! never does (an imitation-learning step; without it the linker only tied the gates).
//!
//! Two weight sets: one with the encoder's similarities, for a report and a story that both
//! have embeddings, and one on words, time, size and outlet alone for a story without them
//! (restored after a restart). A report without an embedding is placed by the gates: on words
//! alone the learnt weights did not beat them. The shipped weights
//! (`crates/dossier/models/stream-linker.json`) are learnt by `dossier-train stream`; the
//! clusterer uses them only when asked (`StreamOptions::linker`, `dossier serve --learnt-join`),
//! since they beat the gates clearly on one half of that stream only (bench/stream).
//!
//! Time enters as Gaussian similarities with a spread of three days (Miranda et al.'s choice),
//! so that a gap of hours barely counts and a gap of days does.

use super::cluster::{Candidate, Key};
use super::logistic::Logistic;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The similarities of a report to a story, in this order.
pub const FEATURE_NAMES: [&str; 7] = [
    // tf-idf cosine of the report to the story's centroid.
    "words",
    // Gaussian of the time from the story's newest member to the report.
    "time_newest",
    // Gaussian of the time from the story's oldest member to the report.
    "time_oldest",
    // ln(1 + members).
    "size",
    // Share of the story's members from the report's outlet (0 when the report names none).
    "same_outlet",
    // Encoder cosine of the report to the mean of the story's embeddings.
    "meaning_mean",
    // Highest encoder cosine of the report to one member.
    "meaning_nearest",
];

/// Features the words-only weights use: all but the encoder's.
pub const WORDS_FEATURES: usize = 5;

/// Spread of the time similarities, in seconds.
pub const TIME_SPREAD: f64 = 3.0 * 86_400.0;

/// exp(-gap² / 2σ²) for a gap in seconds.
pub fn time_similarity(gap: i64) -> f32 {
    let z = gap as f64 / TIME_SPREAD;
    (-0.5 * z * z).exp() as f32
}

/// The two weight sets, as stored in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linker {
    /// All of [`FEATURE_NAMES`].
    pub meaning: Logistic,
    /// The first [`WORDS_FEATURES`] names.
    pub words: Logistic,
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

const SHIPPED: &str = include_str!("../../models/stream-linker.json");

impl Linker {
    /// The weights the library ships, read once.
    pub fn shipped() -> Arc<Linker> {
        static READ: OnceLock<Arc<Linker>> = OnceLock::new();
        READ.get_or_init(|| {
            Arc::new(
                Linker::from_json(SHIPPED).expect("the shipped stream linker weights are valid"),
            )
        })
        .clone()
    }

    /// Reads and checks a weights file's text.
    pub fn from_json(json: &str) -> Result<Linker, String> {
        let linker: Linker = serde_json::from_str(json)
            .map_err(|e| format!("the stream linker weights do not parse: {e}"))?;
        linker
            .meaning
            .check(&FEATURE_NAMES, "meaning stream linker")?;
        linker
            .words
            .check(&FEATURE_NAMES[..WORDS_FEATURES], "words-only stream linker")?;
        Ok(linker)
    }

    /// Probability of joining, with the meaning weights when the features hold the encoder's
    /// similarities.
    pub fn probability(&self, x: &[f32], meaning: bool) -> f32 {
        if meaning {
            self.meaning.probability(x)
        } else {
            self.words.probability(&x[..WORDS_FEATURES])
        }
    }
}

/// The story a report joins among its candidates: the most probable, when at least one half;
/// ties go to the older story. `None`: the report starts a story.
pub fn decide(linker: &Linker, candidates: &[Candidate]) -> Option<Key> {
    candidates
        .iter()
        .map(|c| (c.story, linker.probability(&c.features, c.meaning)))
        .filter(|&(_, p)| p >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(story, _)| story)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_load_and_favour_alike_stories() {
        let linker = Linker::shipped();
        // A fresh report on the story's words and meaning, against one sharing a stray word.
        let close = [0.5, 1.0, 1.0, 2.0, 0.0, 0.7, 0.8];
        let far = [0.05, 1.0, 1.0, 2.0, 0.0, 0.1, 0.2];
        for meaning in [true, false] {
            let (a, b) = (
                linker.probability(&close, meaning),
                linker.probability(&far, meaning),
            );
            assert!(a > 0.5 && b < 0.5, "meaning {meaning}: {a} {b}");
        }
    }

    #[test]
    fn weights_for_other_features_are_refused() {
        let mut linker = Linker::clone(&Linker::shipped());
        linker.words.features.swap(0, 1);
        let json = serde_json::to_string(&linker).unwrap();
        let err = Linker::from_json(&json).unwrap_err();
        assert!(err.contains("words-only"), "{err}");
        assert!(Linker::from_json("{}")
            .unwrap_err()
            .contains("do not parse"));
    }

    #[test]
    fn time_counts_in_days_not_hours() {
        assert!(time_similarity(3600) > 0.99);
        assert!(time_similarity(6 * 86_400) < 0.2);
    }
}
