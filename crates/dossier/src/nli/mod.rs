//! Natural-language inference: does one statement agree with another, contradict it, or say
//! something else? The claims stage only sees [`Judge`], so a stronger model (a fine-tuned
//! cross-encoder, say) can replace the shipped one without touching it.
//!
//! The shipped [`FeatureJudge`] is a multinomial logistic regression over evidence a reader
//! would point at: negation that one side has and the other lacks, denial and opposite verbs,
//! numbers, days and names that differ for the same slot, word overlap and the sentence
//! encoder's cosine. Its weights (`crates/dossier/models/nli-lr.json`) are learnt by
//! `dossier-train nli` from RTE train and half of SNLI dev (see [`data`]).

pub mod data;
mod features;

pub use features::{Features, FEATURE_NAMES};

use serde::{Deserialize, Serialize};

/// What the hypothesis is to the premise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The premise supports the hypothesis (entailment).
    Agree,
    /// The premise and the hypothesis cannot both be true.
    Contradict,
    /// Neither (neutral).
    Unrelated,
}

impl Verdict {
    /// Order of the classes in the weights file and in [`Judgement::probabilities`].
    pub const ALL: [Verdict; 3] = [Verdict::Agree, Verdict::Contradict, Verdict::Unrelated];
}

/// Two statements to compare. `cosine` is the sentence encoder's cosine of the two, which the
/// caller has already computed to find related pairs; a judge is free to ignore it.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub premise: &'a str,
    pub hypothesis: &'a str,
    pub cosine: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Probability of each verdict, in [`Verdict::ALL`] order.
    pub probabilities: [f32; 3],
    /// The evidence that fired, in words ("negation in one only: no"), for the reader.
    pub evidence: Vec<String>,
}

impl Judgement {
    pub fn probability(&self, verdict: Verdict) -> f32 {
        self.probabilities[Verdict::ALL
            .iter()
            .position(|v| *v == verdict)
            .expect("a verdict")]
    }
}

/// Decides agree / contradict / unrelated for a pair. Implementations must be deterministic.
pub trait Judge: Send + Sync {
    fn judge(&self, pair: &Pair) -> Judgement;
}

/// The weights of the logistic regression: one row of [`FEATURE_NAMES`]-many weights and one
/// bias per verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// The feature names the weights were trained for, checked at load.
    pub features: Vec<String>,
    pub weights: [Vec<f32>; 3],
    pub bias: [f32; 3],
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

impl Weights {
    /// Class probabilities for one feature vector.
    pub fn probabilities(&self, x: &[f32]) -> [f32; 3] {
        let mut logits = [0f32; 3];
        for (k, logit) in logits.iter_mut().enumerate() {
            *logit = self.bias[k]
                + self.weights[k]
                    .iter()
                    .zip(x)
                    .map(|(w, v)| w * v)
                    .sum::<f32>();
        }
        softmax(logits)
    }
}

pub fn softmax(logits: [f32; 3]) -> [f32; 3] {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e = logits.map(|l| (l - max).exp());
    let sum: f32 = e.iter().sum();
    e.map(|v| v / sum)
}

/// The weights the library ships.
const SHIPPED: &str = include_str!("../../models/nli-lr.json");

/// The feature-based judge.
pub struct FeatureJudge {
    weights: Weights,
}

impl FeatureJudge {
    /// The judge with the shipped weights.
    pub fn shipped() -> FeatureJudge {
        FeatureJudge::new(serde_json::from_str(SHIPPED).expect("the shipped NLI weights parse"))
            .expect("the shipped NLI weights match the features")
    }

    /// A judge with other weights, which must name the same features in the same order.
    pub fn new(weights: Weights) -> Result<FeatureJudge, String> {
        if weights.features != FEATURE_NAMES
            || weights
                .weights
                .iter()
                .any(|w| w.len() != FEATURE_NAMES.len())
        {
            return Err("the NLI weights were trained for other features".into());
        }
        Ok(FeatureJudge { weights })
    }
}

impl Judge for FeatureJudge {
    fn judge(&self, pair: &Pair) -> Judgement {
        let features = Features::of(pair);
        let probabilities = self.weights.probabilities(&features.values);
        let best = (0..3)
            .max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]))
            .expect("three classes");
        Judgement {
            verdict: Verdict::ALL[best],
            probabilities,
            evidence: features.evidence,
        }
    }
}
