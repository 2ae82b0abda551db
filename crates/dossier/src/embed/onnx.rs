//! The same encoder run by ONNX Runtime: the graph `scripts/minilm-onnx.py` writes from the
//! checked weights (the arithmetic of `bert.rs`), executed by the `libonnxruntime.so` that
//! `scripts/fetch-models.sh` takes from the PyPI `onnxruntime` wheel. The library is opened when
//! an encoder loads, so neither building nor the candle precisions need it.

use candle_core::{Device, Tensor};
use ort::session::{builder::GraphOptimizationLevel, Session};
use ort::value::Tensor as OrtTensor;
use std::path::Path;
use std::sync::Mutex;

/// The folder of the runtime library inside a models folder, beside the encoder's.
pub const RUNTIME_DIR: &str = "onnxruntime";
/// The library's file name inside [`RUNTIME_DIR`].
pub const RUNTIME_LIBRARY: &str = "libonnxruntime.so";

pub struct OnnxBert {
    /// One run at a time: a run already uses every core (ONNX Runtime's own threads), and
    /// `Session::run` takes the session mutably.
    session: Mutex<Session>,
    outputs: Vec<String>,
}

impl OnnxBert {
    /// Opens `library` (once per process) and the graph at `graph`.
    pub fn load(graph: &Path, library: &Path) -> Result<Self, String> {
        ort::init_from(library)
            .map_err(|e| format!("{}: {e}", library.display()))?
            .commit();
        let session = session(graph).map_err(|e| format!("{}: {e}", graph.display()))?;
        let outputs = session
            .outputs()
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        Ok(Self {
            session: Mutex::new(session),
            outputs,
        })
    }

    /// What `Bert::forward` gives: the states after the embeddings and after each layer.
    pub fn forward(&self, ids: &Tensor, attention: &Tensor) -> candle_core::Result<Vec<Tensor>> {
        let (batch, len) = ids.dims2()?;
        let as_i64 = |t: &Tensor| -> candle_core::Result<Vec<i64>> {
            Ok(t.flatten_all()?
                .to_vec1::<u32>()?
                .into_iter()
                .map(i64::from)
                .collect())
        };
        let input = |t: &Tensor| {
            OrtTensor::from_array(([batch, len], as_i64(t)?)).map_err(candle_core::Error::wrap)
        };
        let inputs = ort::inputs![
            "input_ids" => input(ids)?,
            "attention_mask" => input(attention)?,
        ];
        let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let outputs = session.run(inputs).map_err(candle_core::Error::wrap)?;
        self.outputs
            .iter()
            .map(|name| {
                let (shape, data) = outputs[name.as_str()]
                    .try_extract_tensor::<f32>()
                    .map_err(candle_core::Error::wrap)?;
                let dims: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
                Tensor::from_slice(data, dims, &Device::Cpu)
            })
            .collect()
    }
}

/// A session over every core, with ONNX Runtime's graph optimisations (it fuses the layer
/// norms, GELUs and quantised products the graph spells out op by op). Its threads sleep rather
/// than spin between steps: spinning cost a third more CPU for no gain in time on a shared
/// 2-core machine (bench/speed/README.md).
fn session(graph: &Path) -> ort::Result<Session> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    Session::builder()?
        .with_optimization_level(GraphOptimizationLevel::All)?
        .with_intra_threads(threads)?
        .with_intra_op_spinning(false)?
        .with_inter_threads(1)?
        .commit_from_file(graph)
}
