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

    /// [`Recognizer::recognise`], for a recogniser that reads the sentence encoder: it runs
    /// through `cache`, so that what it encodes is not encoded again by the stages after it.
    fn recognise_cached(&self, sentences: &[&str], cache: &Cache) -> Vec<Vec<Mention>> {
        let _ = cache;
        self.recognise(sentences)
    }
}

pub mod conll;
pub mod head;
pub mod words;

use crate::embed::{Cache, EmbedError, Encoder, ENCODER_DIR};
use candle_core::{Device, Tensor};
use head::{Head, HeadConfig, TAGS};
use std::path::Path;
use std::sync::Arc;

/// The NER model: the frozen MiniLM encoder and the trained head.
pub struct Tagger {
    encoder: Arc<Encoder>,
    head: Head,
}

impl Tagger {
    /// Loads the encoder from `models` (see [`crate::embed::default_models_dir`]) and the head
    /// from `head`, the bytes of a file written by `dossier-train ner` (the binary carries the
    /// one in `crates/dossier/models/`: a few MB, trained on CoNLL-2003).
    pub fn load(models: &Path, head: &[u8]) -> Result<Self, EmbedError> {
        let encoder = Arc::new(Encoder::load(&models.join(ENCODER_DIR))?);
        Self::with_encoder(encoder, models, head)
    }

    /// The tagger over an encoder already loaded from `models` (shared with other stages).
    pub fn with_encoder(
        encoder: Arc<Encoder>,
        models: &Path,
        head: &[u8],
    ) -> Result<Self, EmbedError> {
        let head = Head::from_bytes(head, &Device::Cpu).map_err(|e| EmbedError::Load {
            dir: models.to_path_buf(),
            detail: format!("NER head: {e}"),
        })?;
        if head.config.encoder_width != encoder.hidden_size() {
            return Err(EmbedError::Load {
                dir: models.to_path_buf(),
                detail: "the NER head was trained over a different encoder".into(),
            });
        }
        Ok(Self { encoder, head })
    }

    /// One BIO tag per word, for sentences already split into words.
    pub fn tag_words(&self, sentences: &[Vec<&str>]) -> Result<Vec<Vec<&'static str>>, EmbedError> {
        self.tag_words_cached(sentences, &Cache::new(&self.encoder))
    }

    /// [`Tagger::tag_words`] through a cache of this tagger's encoder (another encoder's
    /// cache is passed over: its states are not the ones the head was trained on).
    fn tag_words_cached(
        &self,
        sentences: &[Vec<&str>],
        cache: &Cache,
    ) -> Result<Vec<Vec<&'static str>>, EmbedError> {
        let own;
        let cache = if std::ptr::eq(cache.encoder(), &*self.encoder) {
            cache
        } else {
            own = Cache::new(&self.encoder);
            &own
        };
        features(cache, &self.head.config, sentences)?
            .iter()
            .zip(sentences)
            .map(|(rows, words)| {
                let mut tags: Vec<&str> =
                    self.head.tag(rows)?.into_iter().map(|t| TAGS[t]).collect();
                keep_names_whole(words, &mut tags);
                Ok(tags)
            })
            .collect()
    }
}

/// A one-word name followed by one capitalised word, in running text, is most often a name of
/// two words ("Green Zone", "Quds Force", "Islamic State"): the head, reading an uncased
/// encoder, often takes the first word alone. Not when another capitalised word follows (a
/// title before a name: "Palestinian President Yasser Arafat"), and not in headlines, where
/// every word is capitalised.
fn keep_names_whole(words: &[&str], tags: &mut [&'static str]) {
    if head::is_headline(words) {
        return;
    }
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    for i in 1..words.len() {
        let title_case = capitalised(words[i]) && words[i].chars().skip(1).any(char::is_lowercase);
        let alone = i < 2 || tags[i - 2] == "O";
        let last = !words.get(i + 1).is_some_and(|w| capitalised(w));
        let Some(class) = tags[i - 1].strip_prefix("B-") else {
            continue;
        };
        if tags[i] == "O" && title_case && alone && last {
            tags[i] = TAGS
                .iter()
                .find(|t| t.strip_prefix("I-") == Some(class))
                .copied()
                .unwrap_or(tags[i]);
        }
    }
}

impl Recognizer for Tagger {
    /// A failure of the encoder (which would be a bug, not bad input) leaves the sentences
    /// without mentions rather than stopping the pipeline.
    fn recognise(&self, sentences: &[&str]) -> Vec<Vec<Mention>> {
        self.recognise_cached(sentences, &Cache::new(&self.encoder))
    }

    fn recognise_cached(&self, sentences: &[&str], cache: &Cache) -> Vec<Vec<Mention>> {
        let spans: Vec<Vec<(usize, usize)>> = sentences.iter().map(|s| words::words(s)).collect();
        let split: Vec<Vec<&str>> = sentences
            .iter()
            .zip(&spans)
            .map(|(s, w)| w.iter().map(|&(a, b)| &s[a..b]).collect())
            .collect();
        let Ok(tags) = self.tag_words_cached(&split, cache) else {
            return vec![vec![]; sentences.len()];
        };
        spans
            .iter()
            .zip(tags)
            .map(|(spans, tags)| {
                conll::spans(tags.into_iter())
                    .into_iter()
                    .map(|(first, end, class)| Mention {
                        start: spans[first].0,
                        end: spans[end - 1].1,
                        kind: match class {
                            "PER" => EntityKind::Person,
                            "ORG" => EntityKind::Organization,
                            "LOC" => EntityKind::Place,
                            _ => EntityKind::Other,
                        },
                    })
                    .collect()
            })
            .collect()
    }
}

/// Input rows of the head for sentences given as words: the encoder states of the configured
/// layers and the casing features, (words, input width) per sentence.
pub fn features(
    encoder: &Cache,
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
