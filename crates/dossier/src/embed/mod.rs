//! Embed: the all-MiniLM-L6-v2 sentence encoder, loaded from the files `scripts/fetch-models.sh`
//! puts in `models/` (weights are never committed). Two products: contextual states per word
//! (the features the NER head reads) and sentence embeddings (mean-pooled, unit length).

mod bert;
mod onnx;

use crate::timings::{timed, Stage};
use bert::{Bert, Config};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use onnx::OnnxBert;
pub use onnx::{RUNTIME_DIR, RUNTIME_LIBRARY};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokenizers::{Encoding, Tokenizer};

/// Where the encoder lives unless the caller says otherwise: `$DOSSIER_MODELS`, else the
/// `models/` folder of the source tree this binary was built from.
pub fn default_models_dir() -> PathBuf {
    std::env::var_os("DOSSIER_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

/// The folder of this encoder inside a models folder.
pub const ENCODER_DIR: &str = "all-minilm-l6-v2";

/// Cosine of two vectors of one length (0 for vectors of different lengths or of length
/// zero). The encoder's embeddings are unit length, but sums of them are not.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let n = norm(a) * norm(b);
    if n > 0.0 {
        dot / n
    } else {
        0.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("the sentence encoder is missing from {dir} ({detail}); run scripts/fetch-models.sh")]
    Missing { dir: PathBuf, detail: String },
    #[error("cannot load the sentence encoder from {dir}: {detail}")]
    Load { dir: PathBuf, detail: String },
    #[error("encoder failed: {0}")]
    Run(String),
}

impl From<candle_core::Error> for EmbedError {
    fn from(e: candle_core::Error) -> Self {
        EmbedError::Run(e.to_string())
    }
}

/// Which engine runs the encoder and how its dense layers compute: candle with the weights as
/// shipped (`f32`) or quantised to int8 blocks when loaded (`int8`), or ONNX Runtime over the
/// graphs `scripts/fetch-models.sh` writes, f32 (`onnx-f32`) or int8 dense layers
/// (`onnx-int8`). Speed and accuracy of each are in bench/speed/README.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Precision {
    F32,
    Int8,
    #[default]
    OnnxF32,
    OnnxInt8,
}

impl Precision {
    /// The names `FromStr` takes, for command-line help.
    pub const NAMES: [&'static str; 4] = ["f32", "int8", "onnx-f32", "onnx-int8"];

    /// The ONNX graph this precision runs, if ONNX Runtime runs it.
    fn graph(self) -> Option<&'static str> {
        match self {
            Precision::F32 | Precision::Int8 => None,
            Precision::OnnxF32 => Some("encoder-f32.onnx"),
            Precision::OnnxInt8 => Some("encoder-int8.onnx"),
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "f32" => Ok(Precision::F32),
            "int8" => Ok(Precision::Int8),
            "onnx-f32" => Ok(Precision::OnnxF32),
            "onnx-int8" => Ok(Precision::OnnxInt8),
            _ => Err(format!(
                "unknown precision {s:?}: one of {}",
                Precision::NAMES.join(", ")
            )),
        }
    }
}

/// Word pieces per window, special tokens included (the model's position limit).
const MAX_PIECES: usize = 512;
const BATCH: usize = 32;
/// Most pieces one batch may hold (sentences times the longest one's pieces).
const MAX_BATCH_PIECES: usize = 4096;

/// The engine that runs the model.
enum Model {
    Candle(Bert),
    Onnx(OnnxBert),
}

impl Model {
    fn forward(&self, ids: &Tensor, attention: &Tensor) -> candle_core::Result<Vec<Tensor>> {
        match self {
            Model::Candle(bert) => bert.forward(ids, attention),
            Model::Onnx(bert) => bert.forward(ids, attention),
        }
    }
}

pub struct Encoder {
    model: Model,
    tokenizer: Tokenizer,
    hidden: usize,
    device: Device,
}

impl Encoder {
    /// Loads `dir/{config.json, tokenizer.json, model.safetensors}` at the default precision.
    pub fn load(dir: &Path) -> Result<Self, EmbedError> {
        Self::load_with(dir, Precision::default())
    }

    /// [`Encoder::load`] at the given precision.
    pub fn load_with(dir: &Path, precision: Precision) -> Result<Self, EmbedError> {
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| EmbedError::Missing {
                dir: dir.to_path_buf(),
                detail: format!("{name}: {e}"),
            })
        };
        let load_err = |detail: String| EmbedError::Load {
            dir: dir.to_path_buf(),
            detail,
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| load_err(format!("config.json: {e}")))?;
        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)
            .map_err(|e| load_err(format!("tokenizer.json: {e}")))?;
        // The shipped tokenizer pads and truncates everything to 128 pieces; windows and
        // padding are handled here instead, with an attention mask.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| load_err(format!("tokenizer.json: {e}")))?;
        let device = Device::Cpu;
        let model = match precision.graph() {
            Some(graph) => Model::Onnx(Self::onnx(dir, graph)?),
            None => {
                let weights = read("model.safetensors")?;
                let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
                    .map_err(|e| load_err(format!("model.safetensors: {e}")))?;
                let bert = Bert::new(&config, vb, precision == Precision::Int8)
                    .map_err(|e| load_err(format!("weights: {e}")))?;
                Model::Candle(bert)
            }
        };
        Ok(Self {
            model,
            tokenizer,
            hidden: config.hidden_size,
            device,
        })
    }

    /// The graph `graph` of the encoder folder `dir`, with the runtime library beside that
    /// folder.
    fn onnx(dir: &Path, graph: &str) -> Result<OnnxBert, EmbedError> {
        let library = dir
            .parent()
            .unwrap_or(dir)
            .join(RUNTIME_DIR)
            .join(RUNTIME_LIBRARY);
        for file in [dir.join(graph), library.clone()] {
            if !file.is_file() {
                return Err(EmbedError::Missing {
                    dir: dir.to_path_buf(),
                    detail: format!("{} is not there", file.display()),
                });
            }
        }
        OnnxBert::load(&dir.join(graph), &library).map_err(|detail| EmbedError::Load {
            dir: dir.to_path_buf(),
            detail,
        })
    }

    /// Width of one layer's state.
    pub fn hidden_size(&self) -> usize {
        self.hidden
    }

    /// For each sentence (given as words), one row per word: the states of the word's first
    /// piece in `layers` (0 = embeddings, 1.. = encoder layers), concatenated. Sentences longer
    /// than the model's window are encoded in consecutive windows of whole words.
    pub fn word_states(
        &self,
        sentences: &[Vec<&str>],
        layers: &[usize],
    ) -> Result<Vec<Tensor>, EmbedError> {
        Cache::new(self).word_states(sentences, layers)
    }

    /// Sentence embeddings: mean of the last layer over the pieces, unit length. A text given
    /// more than once (copies between reports are common) is encoded once.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Cache::new(self).embed(sentences)
    }

    /// Runs the model over piece sequences, shortest first in batches of similar length (so
    /// padding adds little work), handing each batch's states (all layers), its attention
    /// mask and the indices of its sequences to `take`.
    fn run(
        &self,
        pieces: &[&[u32]],
        mut take: impl FnMut(&[usize], &[Tensor], &Tensor) -> Result<(), EmbedError>,
    ) -> Result<(), EmbedError> {
        let lengths: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
        let order = by_length(&lengths);
        for chunk in batches(&order, &lengths) {
            crate::guard::check();
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| pieces[i]).collect();
            timed(Stage::Encoder, || -> Result<(), EmbedError> {
                let (ids, attention) = self.pad(&batch)?;
                let states = self.model.forward(&ids, &attention)?;
                take(chunk, &states, &attention)
            })?;
        }
        Ok(())
    }

    fn tokenize<'s, E>(&self, inputs: Vec<E>) -> Result<Vec<Encoding>, EmbedError>
    where
        E: Into<tokenizers::EncodeInput<'s>> + Send,
    {
        self.tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| EmbedError::Run(e.to_string()))
    }

    /// Splits a sentence's words into runs that fit the model's window, each with its
    /// encoding. `whole` is the encoding of all the words, which is the only window of all but
    /// the longest sentences.
    fn windows<'a>(
        &self,
        words: &[&'a str],
        whole: Encoding,
    ) -> Result<Vec<(Vec<&'a str>, Encoding)>, EmbedError> {
        if whole.get_ids().len() <= MAX_PIECES {
            return Ok(vec![(words.to_vec(), whole)]);
        }
        // Pieces per word; a word the tokenizer drops still takes a row.
        let mut per_word = vec![0usize; words.len()];
        for w in whole.get_word_ids().iter().flatten() {
            per_word[*w as usize] += 1;
        }
        let mut runs: Vec<Vec<&'a str>> = Vec::new();
        let mut current: Vec<&'a str> = Vec::new();
        let mut pieces = 2; // [CLS] and [SEP]
        for (&word, &n) in words.iter().zip(&per_word) {
            let n = n.clamp(1, MAX_PIECES - 2);
            if pieces + n > MAX_PIECES {
                runs.push(std::mem::take(&mut current));
                pieces = 2;
            }
            current.push(word);
            pieces += n;
        }
        runs.push(current);
        let encodings = self.tokenize(runs.clone())?;
        Ok(runs.into_iter().zip(encodings).collect())
    }

    fn pad(&self, pieces: &[&[u32]]) -> Result<(Tensor, Tensor), EmbedError> {
        let len = pieces.iter().map(|p| p.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(pieces.len() * len);
        let mut attention = Vec::with_capacity(pieces.len() * len);
        for p in pieces {
            ids.extend_from_slice(p);
            ids.extend(std::iter::repeat_n(0, len - p.len()));
            attention.extend(std::iter::repeat_n(1u32, p.len()));
            attention.extend(std::iter::repeat_n(0u32, len - p.len()));
        }
        let shape = (pieces.len(), len);
        Ok((
            Tensor::from_vec(ids, shape, &self.device)?,
            Tensor::from_vec(attention, shape, &self.device)?,
        ))
    }
}

/// What the encoder made of the texts one story's stages give it: the sentence vector of each
/// piece sequence it has run over. The NER head's pass over a sentence yields that sentence's
/// vector as well as its word states, so the claims stage that asks for it next finds it here
/// instead of running the model again. Keyed by the pieces rather than the text: a sentence
/// split into words for the head (\"did n't\") can tokenize differently from the raw text,
/// and only the same pieces give the same vector.
pub struct Cache<'e> {
    encoder: &'e Encoder,
    vectors: Mutex<HashMap<Vec<u32>, Vec<f32>>>,
}

impl<'e> Cache<'e> {
    pub fn new(encoder: &'e Encoder) -> Self {
        Self {
            encoder,
            vectors: Mutex::new(HashMap::new()),
        }
    }

    /// The encoder this cache holds the work of.
    pub fn encoder(&self) -> &'e Encoder {
        self.encoder
    }

    /// [`Encoder::embed`], running the model only over texts not seen before.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self.encoder.tokenize(sentences.to_vec())?;
        let ids: Vec<&[u32]> = encodings
            .iter()
            .map(|e| &e.get_ids()[..e.get_ids().len().min(MAX_PIECES)])
            .collect();
        let mut missing: Vec<&[u32]> = {
            let known = self.known();
            ids.iter()
                .copied()
                .filter(|p| !known.contains_key(*p))
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        self.encoder.run(&missing, |chunk, states, attention| {
            let last = states.last().expect("layers");
            self.keep(chunk.iter().map(|&i| missing[i]), last, attention)
        })?;
        let known = self.known();
        Ok(ids.iter().map(|p| known[*p].clone()).collect())
    }

    /// [`Encoder::word_states`]; keeps the sentence vector of every window it runs over.
    pub fn word_states(
        &self,
        sentences: &[Vec<&str>],
        layers: &[usize],
    ) -> Result<Vec<Tensor>, EmbedError> {
        let encoder = self.encoder;
        let mut windows: Vec<(usize, Vec<&str>, Encoding)> = Vec::new();
        for (i, (words, whole)) in sentences
            .iter()
            .zip(encoder.tokenize(sentences.to_vec())?)
            .enumerate()
        {
            for (run, encoding) in encoder.windows(words, whole)? {
                windows.push((i, run, encoding));
            }
        }
        // A sentence repeated in the story (wire copy under other reports) runs once.
        let mut slot: HashMap<&[u32], usize> = HashMap::new();
        let mut distinct: Vec<usize> = Vec::new();
        let of_window: Vec<usize> = windows
            .iter()
            .enumerate()
            .map(|(w, (_, _, e))| {
                *slot.entry(e.get_ids()).or_insert_with(|| {
                    distinct.push(w);
                    distinct.len() - 1
                })
            })
            .collect();
        let pieces: Vec<&[u32]> = distinct.iter().map(|&w| windows[w].2.get_ids()).collect();
        let mut states: Vec<Option<Tensor>> = vec![None; distinct.len()];
        encoder.run(&pieces, |chunk, all, attention| {
            let last = all.last().expect("layers");
            self.keep(chunk.iter().map(|&d| pieces[d]), last, attention)?;
            let chosen: Vec<Tensor> = layers.iter().map(|&l| all[l].clone()).collect();
            let joined = Tensor::cat(&chosen, 2)?;
            for (b, &d) in chunk.iter().enumerate() {
                let (_, words, encoding) = &windows[distinct[d]];
                let first = first_pieces(encoding, words.len());
                let index = Tensor::new(first.as_slice(), &encoder.device)?;
                states[d] = Some(joined.get(b)?.index_select(&index, 0)?);
            }
            Ok(())
        })?;
        let width = encoder.hidden * layers.len();
        let mut per_sentence: Vec<Vec<Tensor>> = vec![Vec::new(); sentences.len()];
        for ((i, _, _), d) in windows.iter().zip(of_window) {
            per_sentence[*i].push(states[d].clone().expect("every window encoded"));
        }
        per_sentence
            .into_iter()
            .map(|parts| {
                if parts.is_empty() {
                    Ok(Tensor::zeros((0, width), DType::F32, &encoder.device)?)
                } else {
                    Ok(Tensor::cat(&parts, 0)?)
                }
            })
            .collect()
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u32>, Vec<f32>>> {
        self.vectors.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores the sentence vectors of one batch: `last` is its last layer, `pieces` its
    /// sequences in batch order.
    fn keep<'p>(
        &self,
        pieces: impl Iterator<Item = &'p [u32]>,
        last: &Tensor,
        attention: &Tensor,
    ) -> Result<(), EmbedError> {
        let pooled = bert::mean_pool(last, attention)?.to_vec2::<f32>()?;
        let mut known = self.known();
        for (p, row) in pieces.zip(pooled) {
            known.entry(p.to_vec()).or_insert(row);
        }
        Ok(())
    }
}

/// The position of each word's first piece; a word the tokenizer drops entirely (a control
/// character, say) falls back to [CLS] so every word keeps its row.
fn first_pieces(encoding: &Encoding, words: usize) -> Vec<u32> {
    let mut first = vec![0u32; words];
    let mut seen = vec![false; words];
    for (p, word) in encoding.get_word_ids().iter().enumerate() {
        if let Some(w) = word {
            let w = *w as usize;
            if w < words && !seen[w] {
                seen[w] = true;
                first[w] = p as u32;
            }
        }
    }
    first
}

/// Indices of `pieces` from the fewest pieces to the most (ties in input order).
fn by_length(pieces: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| pieces[i]);
    order
}

/// `order` (sorted by length) cut into batches of similar length, capped in pieces as well as
/// in sentences: attention memory grows with the square of the length, and a page of debris
/// can make one 500-piece "sentence" (32 of those took about 1 GB at once).
fn batches<'a>(order: &'a [usize], pieces: &[usize]) -> Vec<&'a [usize]> {
    let mut chunks: Vec<&[usize]> = Vec::new();
    let mut start = 0;
    for end in 1..=order.len() {
        let next_too_big =
            end < order.len() && (end + 1 - start) * pieces[order[end]] > MAX_BATCH_PIECES;
        if end == order.len() || end - start == BATCH || next_too_big {
            chunks.push(&order[start..end]);
            start = end;
        }
    }
    chunks
}

/// Names the model only: its weights say nothing a log reader wants.
impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encoder(hidden {})", self.hidden)
    }
}

/// The fetched encoder, for the library's unit tests.
#[cfg(test)]
pub(crate) fn test_encoder() -> Encoder {
    Encoder::load(&default_models_dir().join(ENCODER_DIR))
        .expect("the encoder is fetched by scripts/fetch-models.sh (the README's commands run it)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoder() -> Encoder {
        test_encoder()
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let e = encoder();
        let v = e
            .embed(&[
                "There has been no decision to leave Iraq.",
                "No decision has been made to withdraw from Iraq.",
                "The school science fair opens on Saturday.",
            ])
            .unwrap();
        let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        let norm = cos(&v[0], &v[0]);
        assert!((norm - 1.0).abs() < 1e-4, "unit length, got {norm}");
        assert!(cos(&v[0], &v[1]) > 0.6, "{}", cos(&v[0], &v[1]));
        assert!(cos(&v[0], &v[2]) < 0.2, "{}", cos(&v[0], &v[2]));
    }

    #[test]
    fn copies_and_long_texts_embed_as_they_do_alone() {
        let e = encoder();
        assert!(e.embed(&[]).unwrap().is_empty());
        let long = "debris ".repeat(600);
        let texts = [
            "The strike will end this week.",
            long.as_str(),
            "The strike will end this week.",
            "Ships wait at anchor outside the harbour.",
        ];
        let together = e.embed(&texts).unwrap();
        assert_eq!(together.len(), 4);
        assert_eq!(together[0], together[2], "a copy gets the same vector");
        for (text, vector) in texts.iter().zip(&together) {
            let gap = largest_gap(&e.embed(&[text]).unwrap()[0], vector);
            assert!(gap < 1e-4, "{gap} for {:.40}", text);
        }
    }

    /// The largest difference between two vectors, component by component.
    fn largest_gap(a: &[f32], b: &[f32]) -> f32 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max)
    }

    #[test]
    fn the_word_pass_gives_the_sentence_vector_of_the_same_pieces() {
        let e = encoder();
        let cache = Cache::new(&e);
        let words = vec!["Milley", "said", "it", "was", "a", "mistake", "."];
        let split = vec!["They", "did", "n't", "sign", "."];
        cache.word_states(&[words, split], &[6]).unwrap();
        assert_eq!(cache.known().len(), 2);
        let texts = ["Milley said it was a mistake.", "They didn't sign."];
        let vectors = cache.embed(&texts).unwrap();
        // The first text tokenizes as its words do; "didn't" does not ("didn" against "did",
        // "n"), so it needs a pass of its own.
        assert_eq!(cache.known().len(), 3);
        for (text, vector) in texts.iter().zip(&vectors) {
            let gap = largest_gap(&e.embed(&[text]).unwrap()[0], vector);
            assert!(gap < 1e-5, "{gap} for {text}");
        }
    }

    #[test]
    fn int8_vectors_stay_close_to_f32() {
        let dir = default_models_dir().join(ENCODER_DIR);
        let int8 = Encoder::load_with(&dir, Precision::Int8).unwrap();
        let texts = [
            "The strike will end this week, the union said on Tuesday.",
            "Ships wait at anchor outside the harbour.",
            "No decision has been made to withdraw from Iraq.",
        ];
        let exact = encoder().embed(&texts).unwrap();
        for (a, b) in exact.iter().zip(int8.embed(&texts).unwrap()) {
            assert!(cosine(a, &b) > 0.99, "{}", cosine(a, &b));
        }
    }

    /// The first `n` sentences of the DUC 2004 dev documents, split on full stops, as words.
    fn duc_sentences(n: usize) -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/duc2004/dev.jsonl"
        );
        let text = std::fs::read_to_string(path).expect("DUC 2004 dev in ../shared/data");
        let mut sentences = Vec::new();
        for line in text.lines() {
            let cluster: serde_json::Value = serde_json::from_str(line).unwrap();
            for doc in cluster["docs"].as_array().unwrap() {
                let words: Vec<&str> = doc.as_str().unwrap().split_whitespace().collect();
                for sentence in words.split_inclusive(|w| w.ends_with('.')) {
                    sentences.push(sentence.join(" "));
                }
            }
        }
        sentences.truncate(n);
        sentences
    }

    #[test]
    fn onnx_runtime_agrees_with_candle_on_real_sentences() {
        let dir = default_models_dir().join(ENCODER_DIR);
        let candle = Encoder::load_with(&dir, Precision::F32).unwrap();
        let onnx = Encoder::load_with(&dir, Precision::OnnxF32).unwrap();
        let int8 = Encoder::load_with(&dir, Precision::OnnxInt8).unwrap();
        let texts = duc_sentences(60);
        let words: Vec<Vec<&str>> = texts.iter().map(|t| t.split(' ').collect()).collect();
        let layers = [0, 4, 6];
        let exact = candle.word_states(&words, &layers).unwrap();
        for (a, b) in exact.iter().zip(onnx.word_states(&words, &layers).unwrap()) {
            assert_eq!(a.dims(), b.dims());
            let diff = (a - b).unwrap().abs().unwrap().max_all().unwrap();
            assert!(diff.to_scalar::<f32>().unwrap() < 1e-3);
        }
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = candle.embed(&texts).unwrap();
        for (a, b) in vectors.iter().zip(onnx.embed(&texts).unwrap()) {
            assert!(largest_gap(a, &b) < 1e-4, "{}", largest_gap(a, &b));
        }
        // int8 moves vectors more (its inputs share one scale per batch), but not far.
        for (a, b) in vectors.iter().zip(int8.embed(&texts).unwrap()) {
            assert!(cosine(a, &b) > 0.95, "{}", cosine(a, &b));
        }
    }

    #[test]
    fn a_missing_runtime_names_the_file_and_the_fetch_script() {
        let models = tempfile::tempdir().unwrap();
        let dir = models.path().join(ENCODER_DIR);
        std::fs::create_dir(&dir).unwrap();
        for file in ["config.json", "tokenizer.json", "encoder-f32.onnx"] {
            std::fs::copy(
                default_models_dir().join(ENCODER_DIR).join(file),
                dir.join(file),
            )
            .unwrap();
        }
        let error = Encoder::load_with(&dir, Precision::OnnxF32)
            .unwrap_err()
            .to_string();
        assert!(error.contains(RUNTIME_LIBRARY), "{error}");
        assert!(error.contains("scripts/fetch-models.sh"), "{error}");
    }

    #[test]
    fn one_row_per_word_even_across_windows() {
        let e = encoder();
        let long: Vec<&str> = std::iter::repeat_n("antidisestablishmentarianism", 300).collect();
        let pieces = e.tokenizer.encode(long[0], false).unwrap().get_ids().len();
        assert!(
            pieces * 300 > MAX_PIECES,
            "the long sentence must need two windows"
        );
        let short = vec!["Milley", "said", "it", "was", "a", "mistake", "."];
        let states = e
            .word_states(&[short.clone(), long, vec![]], &[5, 6])
            .unwrap();
        assert_eq!(states[0].dims(), &[7, 2 * e.hidden_size()]);
        assert_eq!(states[1].dims(), &[300, 2 * e.hidden_size()]);
        assert_eq!(states[2].dims(), &[0, 2 * e.hidden_size()]);
        // Batching must not change a sentence's states, nor a word's position in a window.
        let alone = e.word_states(&[short], &[5, 6]).unwrap();
        let diff = (&alone[0] - &states[0])
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap();
        assert!(diff.to_scalar::<f32>().unwrap() < 1e-4);
    }
}
