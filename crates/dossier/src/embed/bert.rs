//! The BERT encoder of all-MiniLM-L6-v2, written over candle-core/nn rather than taken from
//! candle-transformers: that crate adds over a minute to a cold build on two cores for the one
//! model we need. Weight names follow the Hugging Face `BertModel` layout (no `bert.` prefix).

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{embedding, layer_norm, linear, Embedding, LayerNorm, Linear, VarBuilder};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
}

struct Embeddings {
    words: Embedding,
    positions: Embedding,
    types: Embedding,
    norm: LayerNorm,
}

impl Embeddings {
    fn new(c: &Config, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            words: embedding(c.vocab_size, c.hidden_size, vb.pp("word_embeddings"))?,
            positions: embedding(
                c.max_position_embeddings,
                c.hidden_size,
                vb.pp("position_embeddings"),
            )?,
            types: embedding(
                c.type_vocab_size,
                c.hidden_size,
                vb.pp("token_type_embeddings"),
            )?,
            norm: layer_norm(c.hidden_size, c.layer_norm_eps, vb.pp("LayerNorm"))?,
        })
    }

    fn forward(&self, ids: &Tensor) -> Result<Tensor> {
        let (_, len) = ids.dims2()?;
        let positions = Tensor::arange(0u32, len as u32, ids.device())?.unsqueeze(0)?;
        let x = self.words.forward(ids)?;
        let x = x.broadcast_add(&self.positions.forward(&positions)?)?;
        let x = x.broadcast_add(&self.types.forward(&ids.zeros_like()?)?)?;
        self.norm.forward(&x)
    }
}

/// A dense layer with its weights as loaded (f32), or quantised at load time to blocks of 32
/// int8 weights sharing one scale (GGML's Q8_0), which candle multiplies by int8 dot products
/// over the inputs quantised the same way: the dense layers are most of the model's work.
enum Dense {
    F32(Linear),
    /// `pad` zero inputs are appended: candle's fast int8 kernel (AVX512-VNNI) takes only
    /// widths that are multiples of 256, and MiniLM's are mostly 384.
    Int8 {
        weight: QMatMul,
        bias: Tensor,
        pad: usize,
    },
}

/// Inputs a quantised layer's width is rounded up to.
const INT8_WIDTH: usize = 256;

fn dense(inputs: usize, outputs: usize, vb: VarBuilder, int8: bool) -> Result<Dense> {
    let layer = linear(inputs, outputs, vb)?;
    match int8 {
        false => Ok(Dense::F32(layer)),
        true => {
            let pad = inputs.next_multiple_of(INT8_WIDTH) - inputs;
            let weight = layer.weight().pad_with_zeros(1, 0, pad)?;
            let weight = QTensor::quantize(&weight, GgmlDType::Q8_0)?;
            let bias = layer.bias().expect("linear() loads a bias").clone();
            Ok(Dense::Int8 {
                weight: QMatMul::from_qtensor(weight)?,
                bias,
                pad,
            })
        }
    }
}

impl Module for Dense {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Dense::F32(layer) => layer.forward(x),
            Dense::Int8 { weight, bias, pad } => {
                let x = x.pad_with_zeros(D::Minus1, 0, *pad)?;
                weight.forward(&x)?.broadcast_add(bias)
            }
        }
    }
}

struct Layer {
    query: Dense,
    key: Dense,
    value: Dense,
    attention_out: Dense,
    attention_norm: LayerNorm,
    intermediate: Dense,
    out: Dense,
    out_norm: LayerNorm,
    heads: usize,
}

impl Layer {
    fn new(c: &Config, vb: VarBuilder, int8: bool) -> Result<Self> {
        let h = c.hidden_size;
        let att = vb.pp("attention");
        Ok(Self {
            query: dense(h, h, att.pp("self.query"), int8)?,
            key: dense(h, h, att.pp("self.key"), int8)?,
            value: dense(h, h, att.pp("self.value"), int8)?,
            attention_out: dense(h, h, att.pp("output.dense"), int8)?,
            attention_norm: layer_norm(h, c.layer_norm_eps, att.pp("output.LayerNorm"))?,
            intermediate: dense(h, c.intermediate_size, vb.pp("intermediate.dense"), int8)?,
            out: dense(c.intermediate_size, h, vb.pp("output.dense"), int8)?,
            out_norm: layer_norm(h, c.layer_norm_eps, vb.pp("output.LayerNorm"))?,
            heads: c.num_attention_heads,
        })
    }

    /// `mask` is additive, shaped (batch, 1, 1, len): 0 for real tokens, a large negative
    /// number for padding.
    fn forward(&self, x: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (b, len, h) = x.dims3()?;
        let head = h / self.heads;
        let split = |t: Tensor| -> Result<Tensor> {
            t.reshape((b, len, self.heads, head))?
                .transpose(1, 2)?
                .contiguous()
        };
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (head as f64).sqrt())?.broadcast_add(mask)?;
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = weights
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b, len, h))?;
        let x = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.intermediate.forward(&x)?.gelu_erf()?;
        self.out_norm.forward(&(self.out.forward(&inner)? + x)?)
    }
}

pub struct Bert {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl Bert {
    /// `int8`: quantise the dense layers when loading.
    pub fn new(c: &Config, vb: VarBuilder, int8: bool) -> Result<Self> {
        let layers = (0..c.num_hidden_layers)
            .map(|i| Layer::new(c, vb.pp(format!("encoder.layer.{i}")), int8))
            .collect::<Result<_>>()?;
        Ok(Self {
            embeddings: Embeddings::new(c, vb.pp("embeddings"))?,
            layers,
        })
    }

    /// Hidden states after the embeddings (index 0) and after each layer (1..=layers), each
    /// (batch, len, hidden). `attention` is 1 for real tokens and 0 for padding, (batch, len).
    pub fn forward(&self, ids: &Tensor, attention: &Tensor) -> Result<Vec<Tensor>> {
        let mask = ((attention.to_dtype(DType::F32)? - 1.0)? * 1e4)?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        let mut states = vec![self.embeddings.forward(ids)?];
        for layer in &self.layers {
            let next = layer.forward(states.last().expect("embeddings pushed first"), &mask)?;
            states.push(next);
        }
        Ok(states)
    }
}

/// Mean of the token states over real tokens, L2-normalised: the sentence embedding the model
/// was trained to produce.
pub fn mean_pool(states: &Tensor, attention: &Tensor) -> Result<Tensor> {
    let mask = attention.to_dtype(DType::F32)?.unsqueeze(D::Minus1)?;
    let sum = states.broadcast_mul(&mask)?.sum(1)?;
    let mean = sum.broadcast_div(&mask.sum(1)?)?;
    mean.broadcast_div(&mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?)
}
