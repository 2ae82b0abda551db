//! A small feed-forward classifier over standardised features: a logistic regression when it
//! has one layer, a multi-layer perceptron (ReLU between layers) when it has more. Plain Rust
//! arithmetic: one pair is a few thousand multiply-adds, not worth a tensor library.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// One row of input weights per output.
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Net {
    /// Each input is read as `(x - mean) / scale`.
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub layers: Vec<Layer>,
}

impl Net {
    pub fn inputs(&self) -> usize {
        self.mean.len()
    }

    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(0, |l| l.bias.len())
    }

    /// Whether every layer's shape fits the one before it.
    pub fn is_consistent(&self) -> bool {
        let mut width = self.inputs();
        self.scale.len() == width
            && !self.layers.is_empty()
            && self.layers.iter().all(|l| {
                let fits = l.weights.len() == l.bias.len()
                    && l.weights.iter().all(|row| row.len() == width);
                width = l.bias.len();
                fits
            })
    }

    /// Class probabilities (softmax of the last layer).
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        let mut h: Vec<f32> = x
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer
                .weights
                .iter()
                .zip(&layer.bias)
                .map(|(row, b)| b + row.iter().zip(&h).map(|(w, v)| w * v).sum::<f32>())
                .collect();
            if i + 1 < self.layers.len() {
                h.iter_mut().for_each(|v| *v = v.max(0.0));
            }
        }
        softmax(&h)
    }
}

fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_layer_net_computes_relu_then_softmax() {
        let net = Net {
            mean: vec![1.0, 0.0],
            scale: vec![2.0, 1.0],
            layers: vec![
                Layer {
                    weights: vec![vec![1.0, 0.0], vec![0.0, -1.0]],
                    bias: vec![0.0, 0.0],
                },
                Layer {
                    weights: vec![vec![1.0, 1.0], vec![0.0, 0.0]],
                    bias: vec![0.0, 0.0],
                },
            ],
        };
        assert!(net.is_consistent());
        // Standardised (1, 2); hidden relu(1), relu(-2) = (1, 0); logits (1, 0).
        let p = net.probabilities(&[3.0, 2.0]);
        let expected = 1.0 / (1.0 + (-1f32).exp());
        assert!((p[0] - expected).abs() < 1e-6, "{p:?}");
        assert_eq!(net.outputs(), 2);
    }
}
