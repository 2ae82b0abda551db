//! One logistic regression as the stream's learnt decisions store it: the linker's and the
//! former's weight files hold these, each naming the features its weights are for.

use serde::{Deserialize, Serialize};

/// A weight per feature it names, and a bias.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl Logistic {
    /// The probability from feature values `x` (at least as many as the weights; the rest are
    /// ignored).
    pub fn probability(&self, x: &[f32]) -> f32 {
        let logit = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-logit).exp())
    }

    /// That the weights are for exactly `names` and finite; `what` names them in the error.
    pub(super) fn check(&self, names: &[&str], what: &str) -> Result<(), String> {
        if self.features != names || self.weights.len() != names.len() {
            return Err(format!(
                "the {what} weights name other features than {names:?}"
            ));
        }
        if !self.bias.is_finite() || self.weights.iter().any(|w| !w.is_finite()) {
            return Err(format!("the {what} weights are not all finite"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_for_other_features_or_not_finite_are_refused() {
        let model = Logistic {
            features: vec!["cosine".into(), "time".into()],
            weights: vec![2.0, 1.0],
            bias: -1.0,
        };
        assert!(model.check(&["cosine", "time"], "test").is_ok());
        let p = model.probability(&[1.0, 0.0]);
        assert!((p - 1.0 / (1.0 + (-1.0f32).exp())).abs() < 1e-6, "{p}");
        let err = model.check(&["cosine"], "test").unwrap_err();
        assert!(err.contains("other features"), "{err}");
        let broken = Logistic {
            bias: f32::NAN,
            ..model
        };
        let err = broken.check(&["cosine", "time"], "test").unwrap_err();
        assert!(err.contains("not all finite"), "{err}");
    }
}
