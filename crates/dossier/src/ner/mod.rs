//! Named-entity recognition: which spans of a sentence name a person, an organisation, a place
//! or another proper name. The analysis stages (entities, quotes, timeline) only see
//! [`Mention`]s through the [`Recognizer`] trait, so the model behind it can be swapped.

use serde::{Deserialize, Serialize};

/// The four CoNLL-2003 classes, named as the JSON contract names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Other,
}

/// One recognised name in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range of the name in the sentence text; always on char boundaries.
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}

/// Finds the names in sentences. Implementations must be deterministic: the same sentences give
/// the same mentions.
pub trait Recognizer: Sync {
    /// One list of mentions per input sentence, in sentence order; mentions ordered by start.
    fn recognise(&self, sentences: &[&str]) -> Vec<Vec<Mention>>;
}

pub mod conll;
pub mod head;
pub mod words;

use crate::embed::{EmbedError, Encoder};
use candle_core::{Device, Tensor};
use head::HeadConfig;

/// Input rows of the head for sentences given as words: the encoder states of the configured
/// layers and the casing features, (words, input width) per sentence.
pub fn features(
    encoder: &Encoder,
    config: &HeadConfig,
    sentences: &[Vec<&str>],
) -> Result<Vec<Tensor>, EmbedError> {
    let states = encoder.word_states(sentences, &config.layers)?;
    sentences
        .iter()
        .zip(states)
        .map(|(words, states)| {
            let headline = head::is_headline(words);
            let casing: Vec<f32> = words
                .iter()
                .enumerate()
                .flat_map(|(i, w)| head::casing(w, i == 0, headline))
                .collect();
            let casing = Tensor::from_vec(casing, (words.len(), head::CASING), &Device::Cpu)?;
            Ok(Tensor::cat(&[&states, &casing], 1)?)
        })
        .collect()
}
