//! Stance: what a report says of a claim. Given a claim (a headline or one sentence) and a
//! report, the report agrees with it, disagrees (denies or debunks it), discusses it without
//! taking a side, or is about something else. This is the FNC-1 task, and the model is learnt
//! from its training set.
//!
//! Callers see [`Judge`], so a stronger model can replace the shipped one. The shipped
//! [`FeatureJudge`] decides in two stages, as the strongest FNC-1 systems do: whether the report
//! is about the claim at all (tf-idf, word overlap and the encoder's cosines), and if it is,
//! which of the three stances it takes (refuting, negating, hedging and reporting words in the
//! report, its lead and the sentences nearest the claim, and the encoder's view of the claim
//! and those sentences). Its weights (`crates/dossier/models/stance.json`) are learnt by
//! `dossier-train stance`.
//!
//! Claims and reports are prepared once ([`Claim`], [`Report`]), from text and the encoder's
//! vectors, so one report is compared with many claims without re-encoding it.

pub mod data;
mod features;
pub mod net;

pub use features::{Claim, Features, Idf, Report, HAND_FEATURES};
pub use net::Net;

use crate::embed::{EmbedError, Encoder};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Agree,
    Disagree,
    Discuss,
    Unrelated,
}

impl Stance {
    /// Order of the classes in [`Judgement::probabilities`].
    pub const ALL: [Stance; 4] = [
        Stance::Agree,
        Stance::Disagree,
        Stance::Discuss,
        Stance::Unrelated,
    ];
    /// The classes of the second stage, in the order of its outputs.
    pub const RELATED: [Stance; 3] = [Stance::Agree, Stance::Disagree, Stance::Discuss];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Agree => "agree",
            Stance::Disagree => "disagree",
            Stance::Discuss => "discuss",
            Stance::Unrelated => "unrelated",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub stance: Stance,
    /// Probability of each stance, in [`Stance::ALL`] order.
    pub probabilities: [f32; 4],
    /// The report sentence closest to the claim: the one to quote when the report agrees or
    /// disagrees.
    pub sentence: Option<usize>,
}

impl Judgement {
    pub fn probability(&self, stance: Stance) -> f32 {
        self.probabilities[Stance::ALL
            .iter()
            .position(|s| *s == stance)
            .expect("a stance")]
    }
}

/// Decides the stance of a report towards a claim. Implementations must be deterministic.
pub trait Judge: Send + Sync {
    fn judge(&self, claim: &Claim, report: &Report) -> Judgement;
}

/// Everything the shipped model is made of: the idf table its tf-idf features use, and the two
/// stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// The feature names the stages were trained for, checked at load.
    pub features: Vec<String>,
    pub idf: Idf,
    /// Related (output 0) or unrelated (output 1).
    pub related: Net,
    /// Agree, disagree, discuss, given related.
    pub stance: Net,
    /// How the file was made (command and data), for the record.
    pub trained_on: String,
}

const SHIPPED: &str = include_str!("../../models/stance.json");

/// The two-stage feature model.
pub struct FeatureJudge {
    weights: Weights,
}

impl FeatureJudge {
    /// The judge with the shipped weights.
    pub fn shipped() -> FeatureJudge {
        FeatureJudge::new(serde_json::from_str(SHIPPED).expect("the shipped stance weights parse"))
            .expect("the shipped stance weights match the features")
    }

    /// A judge with other weights, which must be for the same features.
    pub fn new(weights: Weights) -> Result<FeatureJudge, String> {
        if weights.features != HAND_FEATURES {
            return Err("the stance weights were trained for other features".into());
        }
        let nets = [&weights.related, &weights.stance];
        if nets
            .iter()
            .any(|n| !n.is_consistent() || n.inputs() < HAND_FEATURES.len())
            || weights.related.outputs() != 2
            || weights.stance.outputs() != 3
        {
            return Err("the stance weights have the wrong shape".into());
        }
        Ok(FeatureJudge { weights })
    }

    pub fn idf(&self) -> &Idf {
        &self.weights.idf
    }

    /// The stance from a feature vector made with this judge's idf table.
    pub fn decide(&self, features: &Features) -> Judgement {
        let x = &features.values;
        let related = self.weights.related.probabilities(x)[0];
        let given = self.weights.stance.probabilities(x);
        let probabilities = [
            related * given[0],
            related * given[1],
            related * given[2],
            1.0 - related,
        ];
        let stance = if related < 0.5 {
            Stance::Unrelated
        } else {
            let best = (0..3)
                .max_by(|&a, &b| given[a].total_cmp(&given[b]))
                .expect("three classes");
            Stance::RELATED[best]
        };
        Judgement {
            stance,
            probabilities,
            sentence: features.nearest,
        }
    }
}

impl Judge for FeatureJudge {
    fn judge(&self, claim: &Claim, report: &Report) -> Judgement {
        self.decide(&Features::of(claim, report, &self.weights.idf))
    }
}

/// The sentences of an article body: its lines are paragraphs.
pub fn body_sentences(body: &str) -> Vec<String> {
    let paragraphs: Vec<String> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    crate::segment::sentences(&paragraphs)
}

/// Reports from article bodies, all sentences encoded in one call (the encoder batches them and
/// encodes a repeated sentence once).
pub fn prepare_reports(encoder: &Encoder, bodies: &[&str]) -> Result<Vec<Report>, EmbedError> {
    let sentences: Vec<Vec<String>> = bodies.iter().map(|b| body_sentences(b)).collect();
    let flat: Vec<&str> = sentences.iter().flatten().map(String::as_str).collect();
    let mut vectors = encoder.embed(&flat)?.into_iter();
    Ok(sentences
        .iter()
        .map(|s| {
            let texts: Vec<&str> = s.iter().map(String::as_str).collect();
            Report::new(&texts, vectors.by_ref().take(s.len()).collect())
        })
        .collect())
}

/// Claims from their texts, encoded in one call.
pub fn prepare_claims(encoder: &Encoder, texts: &[&str]) -> Result<Vec<Claim>, EmbedError> {
    Ok(texts
        .iter()
        .zip(encoder.embed(texts)?)
        .map(|(t, v)| Claim::new(t, v))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::test_encoder as encoder;

    #[test]
    fn the_shipped_judge_tells_a_denial_from_a_report_and_an_other_story() {
        let e = encoder();
        let judge = FeatureJudge::shipped();
        let claim = &prepare_claims(
            &e,
            &["HBO and Apple in talks to launch a streaming service"],
        )
        .unwrap()[0];
        let reports = prepare_reports(
            &e,
            &[
                "HBO and Apple are in talks to launch a streaming service in April, people \
                 familiar with the matter said. The service would cost $15 a month.\n\
                 Apple would promote the service at its event in March.",
                "HBO has denied a report that it is in talks with Apple about a streaming \
                 service. \"The story is false,\" a spokesman said.\nNo deal was discussed, and \
                 the report was a hoax, the company said.",
                "A small meteorite crashed into a wooded area in Nicaragua's capital overnight, \
                 the government said on Sunday.\nResidents heard a boom that left a crater near \
                 the airport.",
            ],
        )
        .unwrap();
        let [agree, deny, other] = [0, 1, 2].map(|i| judge.judge(claim, &reports[i]));
        assert_eq!(other.stance, Stance::Unrelated, "{other:?}");
        assert_ne!(agree.stance, Stance::Unrelated, "{agree:?}");
        assert_ne!(deny.stance, Stance::Unrelated, "{deny:?}");
        assert!(
            deny.probability(Stance::Disagree) > agree.probability(Stance::Disagree),
            "{deny:?} {agree:?}"
        );
        let sum: f32 = agree.probabilities.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4);
        assert_eq!(agree.sentence, Some(0));
    }

    #[test]
    fn weights_for_other_features_are_refused() {
        let mut weights: Weights = serde_json::from_str(SHIPPED).unwrap();
        weights.features.pop();
        assert!(FeatureJudge::new(weights).is_err());
        let mut weights: Weights = serde_json::from_str(SHIPPED).unwrap();
        weights.stance.layers.last_mut().unwrap().bias.push(0.0);
        assert!(FeatureJudge::new(weights).is_err());
    }
}
