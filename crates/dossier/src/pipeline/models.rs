//! The models a run asks for, loaded once from a models folder: the one place the CLI, the
//! service and the Python package get them from, so that each front end degrades the same way
//! when a file is missing.

use super::{ClaimModels, SharedRecognizer};
use crate::embed::{Encoder, Precision, ENCODER_DIR};
use crate::ner::Tagger;
use std::path::Path;
use std::sync::Arc;

/// The NER head dossier ships (small, trained by `dossier-train`; the encoder under it comes
/// from `scripts/fetch-models.sh`).
pub const NER_HEAD: &[u8] = include_bytes!("../../models/ner-head.safetensors");

/// What could be loaded, and why the rest could not.
#[derive(Default)]
pub struct Loaded {
    pub recognizer: Option<SharedRecognizer>,
    pub claims: Option<ClaimModels>,
    /// The sentence encoder under both, when it loaded.
    pub encoder: Option<Arc<Encoder>>,
    /// One line per stage left without its model, for the caller to show.
    pub warnings: Vec<String>,
}

/// Loads the encoder from `dir` once, at `precision`, for the stages asked for (`entities`:
/// names and quote speakers; `claims`: the claims stage). A model that cannot be loaded leaves its stages out
/// with a warning rather than failing the run: the rest of the analysis needs no model.
pub fn load(dir: &Path, precision: Precision, entities: bool, claims: bool) -> Loaded {
    if !entities && !claims {
        return Loaded::default();
    }
    let encoder = match Encoder::load_with(&dir.join(ENCODER_DIR), precision) {
        Ok(encoder) => Arc::new(encoder),
        Err(e) => {
            return Loaded {
                warnings: vec![format!("no entities, quote speakers or claims: {e}")],
                ..Loaded::default()
            }
        }
    };
    let mut warnings = Vec::new();
    let recognizer = entities
        .then(|| Tagger::with_encoder(encoder.clone(), dir, NER_HEAD))
        .and_then(|tagger| match tagger {
            Ok(tagger) => Some(SharedRecognizer(Arc::new(tagger))),
            Err(e) => {
                warnings.push(format!("no entities or quote speakers: {e}"));
                None
            }
        });
    Loaded {
        recognizer,
        claims: claims.then(|| ClaimModels::shipped(encoder.clone())),
        encoder: Some(encoder),
        warnings,
    }
}
