//! `dossier-train nli`: full-batch gradient descent on a three-class logistic regression over
//! the judge's features. RTE's `not_entailment` allows two classes, so its loss is the negative
//! log of their summed probability: the model itself decides which of the two a pair is.

use crate::NliArgs;
use anyhow::{Context, Result};
use dossier::embed::{cosine, default_models_dir, Encoder, ENCODER_DIR};
use dossier::nli::data::{read_rte, read_snli, Example, SnliHalf};
use dossier::nli::{Features, Pair, Verdict, Weights, FEATURE_NAMES};

pub fn train(args: &NliArgs) -> Result<()> {
    let read = |rel: &str| {
        let path = args.data.join(rel);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let mut examples = read_rte(&read("rte/train.tsv")?).map_err(anyhow::Error::msg)?;
    let rte = examples.len();
    examples
        .extend(read_snli(&read("snli/dev.jsonl")?, SnliHalf::Train).map_err(anyhow::Error::msg)?);
    eprintln!("{rte} RTE pairs, {} SNLI pairs", examples.len() - rte);
    let models = args.models.clone().unwrap_or_else(default_models_dir);
    let encoder = Encoder::load(&models.join(ENCODER_DIR))?;
    let rows = feature_rows(&encoder, &examples)?;
    let gold: Vec<[bool; 3]> = examples
        .iter()
        .map(|e| Verdict::ALL.map(|v| e.gold.contains(&v)))
        .collect();

    let d = FEATURE_NAMES.len();
    let mut model = Weights {
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights: [vec![0f32; d], vec![0f32; d], vec![0f32; d]],
        bias: [0f32; 3],
        trained_on: format!(
            "dossier-train nli: RTE train.tsv ({rte} pairs) and the even-numbered premises of SNLI dev.jsonl ({} pairs); {} steps, lr {}, l2 {}",
            examples.len() - rte,
            args.steps,
            args.lr,
            args.l2
        ),
    };
    let n = rows.len() as f32;
    for step in 0..args.steps {
        let mut gw = [vec![0f32; d], vec![0f32; d], vec![0f32; d]];
        let mut gb = [0f32; 3];
        let mut loss = 0.0;
        for (x, allowed) in rows.iter().zip(&gold) {
            let p = model.probabilities(x);
            let mass: f32 = (0..3).filter(|&k| allowed[k]).map(|k| p[k]).sum();
            loss -= mass.max(1e-9).ln();
            for k in 0..3 {
                // d(-log sum_{j in S} p_j)/d logit_k = p_k - [k in S] p_k / sum_{j in S} p_j
                let g = p[k]
                    - if allowed[k] {
                        p[k] / mass.max(1e-9)
                    } else {
                        0.0
                    };
                gb[k] += g;
                for (gwk, xi) in gw[k].iter_mut().zip(x) {
                    *gwk += g * xi;
                }
            }
        }
        for k in 0..3 {
            model.bias[k] -= args.lr * gb[k] / n;
            for (wi, gi) in model.weights[k].iter_mut().zip(&gw[k]) {
                *wi -= args.lr * (gi / n + args.l2 * *wi);
            }
        }
        if step % 500 == 0 || step + 1 == args.steps {
            eprintln!("step {step}: loss {:.4}", loss / n);
        }
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&model)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// The features of every pair, with the encoder's cosine of its two sides.
pub fn feature_rows(encoder: &Encoder, examples: &[Example]) -> Result<Vec<Vec<f32>>> {
    let texts: Vec<&str> = examples
        .iter()
        .flat_map(|e| [e.premise.as_str(), e.hypothesis.as_str()])
        .collect();
    let vectors = encoder.embed(&texts)?;
    Ok(examples
        .iter()
        .zip(vectors.chunks(2))
        .map(|(e, v)| {
            let cosine = cosine(&v[0], &v[1]);
            Features::of(&Pair {
                premise: &e.premise,
                hypothesis: &e.hypothesis,
                cosine,
            })
            .values
        })
        .collect())
}
