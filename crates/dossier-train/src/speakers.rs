//! `dossier-train quote-speakers`: learns the ranking that chooses the speaker of a direct
//! quotation among its candidates (`dossier::analyse::attribution::SpeakerModel`) from the
//! `train` documents of PolNeAR. A candidate is right when its words match the gold source
//! of the attribution whose content matches the quotation's (as `bench/quotes/score.py`
//! judges a speaker). The ranking is a softmax over each quotation's candidates, learnt by
//! gradient descent with an L2 penalty; the penalty is chosen by k-fold cross-validation
//! within `train` (documents dealt to folds in turn), and the held-out accuracy of each fold is
//! printed beside the rules'. `dev` documents are never read.

use crate::quotes::{dice, read, same_source, words_in, Doc};
use crate::QuotesArgs;
use anyhow::{bail, Context, Result};
use dossier::analyse::attribution::{speaker_choices, Cues, SpeakerModel, FEATURES};
use std::collections::HashSet;

/// One quotation with a gold match: its candidates' features and which are right.
struct Group {
    doc: usize,
    features: Vec<Vec<f32>>,
    right: Vec<bool>,
}

pub fn train(args: &QuotesArgs) -> Result<()> {
    let docs = read(&args.data)?;
    let groups = groups(&docs);
    let reachable = groups.iter().filter(|g| g.right.contains(&true)).count();
    println!(
        "{} training documents, {} direct quotations with a gold match, {reachable} with a right \
         candidate",
        docs.len(),
        groups.len()
    );
    let fold_of = |g: &Group| g.doc % args.folds;
    let mut best: Option<(f64, f32)> = None;
    for l2 in [0.0001, 0.001, 0.01, 0.1] {
        let mut scores = Vec::new();
        for f in 0..args.folds {
            let (held, kept): (Vec<&Group>, Vec<&Group>) =
                groups.iter().partition(|g| fold_of(g) == f);
            let model = fit(&kept, l2);
            scores.push((
                accuracy(&held, &model),
                accuracy(&held, &SpeakerModel::rules()),
            ));
        }
        let mean = scores.iter().map(|s| s.0).sum::<f64>() / scores.len() as f64;
        let folds: Vec<String> = scores
            .iter()
            .map(|(m, r)| format!("{m:.4} (rules {r:.4})"))
            .collect();
        println!(
            "L2 {l2}: held-out speaker accuracy mean {mean:.4}; folds {}",
            folds.join(", ")
        );
        if best.is_none_or(|b| mean > b.0) {
            best = Some((mean, l2));
        }
    }
    let Some((_, l2)) = best else {
        bail!("no setting was tried");
    };
    let model = fit(&groups.iter().collect::<Vec<_>>(), l2);
    println!("chosen L2 {l2}; weights:");
    for (name, w) in FEATURES.iter().zip(&model.weights) {
        println!("  {name:32} {w:8.3}");
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&model)? + "\n")
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!("wrote {}", args.out.display());
    Ok(())
}

/// The direct quotations of all documents whose content matches a gold one.
fn groups(docs: &[Doc]) -> Vec<Group> {
    let cues = Cues::shipped();
    let mut out = Vec::new();
    for (n, d) in docs.iter().enumerate() {
        for choice in speaker_choices(&d.text, cues) {
            let words = |s: (usize, usize)| -> HashSet<usize> { words_in(&d.words, &[s]) };
            let content = words((choice.content.start, choice.content.end));
            let gold = d
                .gold
                .iter()
                .map(|g| (dice(&g.content, &content), g))
                .filter(|(s, _)| *s >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let Some((_, gold)) = gold else {
                continue;
            };
            let right = choice
                .candidates
                .iter()
                .map(|(span, _)| {
                    let source = span.map(|s| words((s.start, s.end)));
                    same_source(gold.source.as_ref(), source.as_ref())
                })
                .collect();
            out.push(Group {
                doc: n,
                features: choice.candidates.into_iter().map(|(_, x)| x).collect(),
                right,
            });
        }
    }
    out
}

/// The share of quotations whose best-scored candidate is right.
fn accuracy(groups: &[&Group], model: &SpeakerModel) -> f64 {
    let right = groups
        .iter()
        .filter(|g| {
            let mut best: Option<(f32, bool)> = None;
            for (x, &r) in g.features.iter().zip(&g.right) {
                let s = model.score(x);
                if best.is_none_or(|b| s > b.0) {
                    best = Some((s, r));
                }
            }
            best.is_some_and(|b| b.1)
        })
        .count();
    right as f64 / groups.len().max(1) as f64
}

/// Epochs of full-batch gradient descent, and its step.
const EPOCHS: usize = 400;
const STEP: f32 = 0.5;

/// Softmax ranking weights: each quotation with a right candidate pulls its right candidates'
/// share of the probability up.
fn fit(groups: &[&Group], l2: f32) -> SpeakerModel {
    let n = FEATURES.len();
    let mut model = SpeakerModel::rules();
    let usable: Vec<&&Group> = groups.iter().filter(|g| g.right.contains(&true)).collect();
    for _ in 0..EPOCHS {
        let mut grad = vec![0.0f32; n];
        for g in &usable {
            let scores: Vec<f32> = g.features.iter().map(|x| model.score(x)).collect();
            let top = scores.iter().copied().fold(f32::MIN, f32::max);
            let exp: Vec<f32> = scores.iter().map(|s| (s - top).exp()).collect();
            let total: f32 = exp.iter().sum();
            let right_total: f32 = exp
                .iter()
                .zip(&g.right)
                .filter(|(_, &r)| r)
                .map(|(e, _)| e)
                .sum();
            for ((x, e), &r) in g.features.iter().zip(&exp).zip(&g.right) {
                // d(-log P(right))/d score = p - p_right_share for right ones, p for others.
                let p = e / total;
                let target = if r { e / right_total } else { 0.0 };
                for (gi, xi) in grad.iter_mut().zip(x) {
                    *gi += (p - target) * xi;
                }
            }
        }
        for (w, gi) in model.weights.iter_mut().zip(&grad) {
            *w -= STEP * (gi / usable.len().max(1) as f32 + l2 * *w);
        }
    }
    model
}
