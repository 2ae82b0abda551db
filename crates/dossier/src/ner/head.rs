//! The tagging head over the frozen encoder: per word, the encoder's states of a few layers plus
//! casing features (the encoder is uncased, and capitals are most of what marks a name in
//! English), projected, joined with the projections of the neighbouring words, and scored
//! against the nine BIO tags. Training (`dossier-train ner`) and tagging share this code, so the
//! model that is measured is the model that runs.

use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{linear, Linear, VarBuilder};
use std::collections::HashMap;

/// BIO tags over the four CoNLL classes; the order is the head's output order.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// Casing features per word; see [`casing`].
pub const CASING: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadConfig {
    /// Encoder states read per word (0 = embeddings, 1.. = layers).
    pub layers: Vec<usize>,
    /// Neighbours on each side whose projections join a word's.
    pub context: usize,
    /// Width of the per-word projection and of the joined layer.
    pub hidden: usize,
    /// Width of one encoder layer.
    pub encoder_width: usize,
}

impl HeadConfig {
    /// Width of a word's input row: the chosen layers plus the casing features.
    pub fn input_width(&self) -> usize {
        self.layers.len() * self.encoder_width + CASING
    }

    fn to_tensors(&self, dev: &Device) -> Result<Vec<(String, Tensor)>> {
        let layers: Vec<u32> = self.layers.iter().map(|&l| l as u32).collect();
        let sizes = [
            self.context as u32,
            self.hidden as u32,
            self.encoder_width as u32,
        ];
        Ok(vec![
            ("config.layers".into(), Tensor::new(layers.as_slice(), dev)?),
            ("config.sizes".into(), Tensor::new(&sizes, dev)?),
        ])
    }

    fn from_tensors(t: &HashMap<String, Tensor>) -> Result<Self> {
        let get = |name: &str| {
            t.get(name)
                .ok_or_else(|| candle_core::Error::Msg(format!("head file lacks {name}")))?
                .to_vec1::<u32>()
        };
        let layers = get("config.layers")?
            .into_iter()
            .map(|l| l as usize)
            .collect();
        let sizes = get("config.sizes")?;
        if sizes.len() != 3 {
            candle_core::bail!("head file: config.sizes has {} values, not 3", sizes.len());
        }
        Ok(Self {
            layers,
            context: sizes[0] as usize,
            hidden: sizes[1] as usize,
            encoder_width: sizes[2] as usize,
        })
    }
}

pub struct Head {
    pub config: HeadConfig,
    project: Linear,
    join: Linear,
    out: Linear,
}

impl Head {
    /// A head with the weights in `vb` (fresh ones when `vb` is backed by a training VarMap).
    pub fn new(config: HeadConfig, vb: VarBuilder) -> Result<Self> {
        let window = 2 * config.context + 1;
        Ok(Self {
            project: linear(config.input_width(), config.hidden, vb.pp("project"))?,
            join: linear(window * config.hidden, config.hidden, vb.pp("join"))?,
            out: linear(config.hidden, TAGS.len(), vb.pp("out"))?,
            config,
        })
    }

    /// Reads a head written by [`Head::save`].
    pub fn from_bytes(bytes: &[u8], dev: &Device) -> Result<Self> {
        let tensors = candle_core::safetensors::load_buffer(bytes, dev)?;
        let config = HeadConfig::from_tensors(&tensors)?;
        let weights: HashMap<String, Tensor> = tensors
            .into_iter()
            .filter(|(name, _)| !name.starts_with("config."))
            .collect();
        Self::new(config, VarBuilder::from_tensors(weights, DType::F32, dev))
    }

    /// Writes the weights (taken from the training `VarMap`) with the configuration beside them.
    pub fn save(
        config: &HeadConfig,
        weights: &HashMap<String, Tensor>,
        path: &std::path::Path,
    ) -> Result<()> {
        let mut all = weights.clone();
        all.extend(config.to_tensors(&Device::Cpu)?);
        candle_core::safetensors::save(&all, path)
    }

    /// Tag scores (n, 9) for the n words whose input rows are `rows` (n, input width).
    /// `window[k]` gives, for each word, the row of its neighbour at offset `k - context`, or n
    /// for a neighbour past its sentence's ends ([`window`] builds it). Each row is projected
    /// once however many windows it is in.
    pub fn logits(&self, rows: &Tensor, window: &[Tensor], dropout: f32) -> Result<Tensor> {
        let rows = if dropout > 0.0 {
            candle_nn::ops::dropout(rows, dropout)?
        } else {
            rows.clone()
        };
        let projected = self.project.forward(&rows)?.relu()?;
        let outside = projected.narrow(0, 0, 1)?.zeros_like()?;
        let projected = Tensor::cat(&[&projected, &outside], 0)?;
        let joined = window
            .iter()
            .map(|index| projected.index_select(index, 0))
            .collect::<Result<Vec<_>>>()?;
        let joined = Tensor::cat(&joined, D::Minus1)?;
        let joined = if dropout > 0.0 {
            candle_nn::ops::dropout(&joined, dropout)?
        } else {
            joined
        };
        self.out.forward(&self.join.forward(&joined)?.relu()?)
    }

    /// Tags one sentence whose input rows are `rows` (n, input width).
    pub fn tag(&self, rows: &Tensor) -> Result<Vec<usize>> {
        let n = rows.dim(0)?;
        if n == 0 {
            return Ok(vec![]);
        }
        let window = window(&[(0, n)], self.config.context, rows.device())?;
        let scores = candle_nn::ops::log_softmax(&self.logits(rows, &window, 0.0)?, D::Minus1)?;
        Ok(viterbi(&scores.to_vec2::<f32>()?))
    }
}

/// The neighbour index tensors of [`Head::logits`] for rows holding whole sentences, given as
/// (first row, length) in row order.
pub fn window(sentences: &[(usize, usize)], context: usize, dev: &Device) -> Result<Vec<Tensor>> {
    let n: usize = sentences.iter().map(|s| s.1).sum();
    let c = context as isize;
    (-c..=c)
        .map(|offset| {
            let mut index = Vec::with_capacity(n);
            for &(first, len) in sentences {
                for i in 0..len as isize {
                    let j = i + offset;
                    index.push(if (0..len as isize).contains(&j) {
                        (first as isize + j) as u32
                    } else {
                        n as u32
                    });
                }
            }
            Tensor::new(index.as_slice(), dev)
        })
        .collect()
}

/// Casing of a word in its sentence: the signal the uncased encoder cannot see.
pub fn casing(word: &str, first_in_sentence: bool, headline: bool) -> [f32; CASING] {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    let mut f = [0f32; CASING];
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    f[0] = flag(!letters.is_empty() && upper == 0);
    f[1] = flag(first_upper && upper == 1);
    f[2] = flag(letters.len() >= 2 && upper == letters.len());
    f[3] = flag(upper >= 1 && !first_upper || (first_upper && upper > 1 && upper < letters.len()));
    f[4] = flag(word.chars().any(|c| c.is_numeric()));
    f[5] = flag(letters.is_empty() && !word.chars().any(|c| c.is_numeric()));
    f[6] = flag(first_in_sentence);
    f[7] = flag(word.contains('-'));
    f[8] = flag(word.contains('.'));
    f[9] = flag(headline);
    f
}

/// Whether a sentence is set in capitals (a headline or dateline), where capitals say nothing.
pub fn is_headline(words: &[&str]) -> bool {
    let (mut upper, mut letters) = (0, 0);
    for c in words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphabetic())
    {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= 4 && upper * 10 >= letters * 8
}

/// The best tag sequence under the BIO rule (an `I-X` only continues an `X`), from per-word tag
/// log-probabilities.
pub fn viterbi(scores: &[Vec<f32>]) -> Vec<usize> {
    let allowed = |prev: Option<usize>, next: usize| {
        let name = TAGS[next];
        match name.strip_prefix("I-") {
            None => true,
            Some(class) => prev.is_some_and(|p| TAGS[p].len() > 2 && &TAGS[p][2..] == class),
        }
    };
    let t = TAGS.len();
    let mut best: Vec<f32> = (0..t)
        .map(|k| {
            if allowed(None, k) {
                scores[0][k]
            } else {
                f32::NEG_INFINITY
            }
        })
        .collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(scores.len());
    for row in &scores[1..] {
        let mut next = vec![f32::NEG_INFINITY; t];
        let mut from = vec![0; t];
        for k in 0..t {
            for (p, &score) in best.iter().enumerate() {
                if allowed(Some(p), k) && score + row[k] > next[k] {
                    next[k] = score + row[k];
                    from[k] = p;
                }
            }
        }
        back.push(from);
        best = next;
    }
    let mut tag = (0..t)
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut path = vec![tag];
    for from in back.iter().rev() {
        tag = from[tag];
        path.push(tag);
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_never_starts_an_entity_inside() {
        let ln = |p: f32| p.ln();
        // Word 1 leans I-PER, but after O only a B can start a name: the decoder picks B-PER.
        let mut a = vec![ln(0.01); 9];
        a[0] = ln(0.9);
        let mut b = vec![ln(0.01); 9];
        b[2] = ln(0.6);
        b[1] = ln(0.3);
        assert_eq!(viterbi(&[a, b]), vec![0, 1]);
    }

    #[test]
    fn casing_marks_what_an_uncased_encoder_misses() {
        assert_eq!(casing("Iraq", false, false)[1], 1.0);
        assert_eq!(casing("NATO", false, false)[2], 1.0);
        assert_eq!(casing("McDonald", false, false)[3], 1.0);
        assert_eq!(casing("said", false, false)[0], 1.0);
        assert_eq!(casing(",", false, false)[5], 1.0);
        assert!(is_headline(&[
            "SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"
        ]));
        assert!(!is_headline(&["The", "US", "said", "so"]));
    }
}
