//! `dossier-train aliases`: learns the learnt alias merge
//! (`crates/dossier/models/aliases-lr.json`, see `dossier::analyse::aliases`) from ECB+ dev.
//!
//! The examples are the pair lines the aliases bench writes with `ALIASES_PAIRS=FILE` and
//! `ALIASES_MODELS=none`: for each story, every pair of entities the rules left apart that the
//! learnt stage would score, with the gold-name pairs joining it would add (`pairs`) and how
//! many of those lie in one gold chain (`right`). A logistic regression over
//! [`dossier::analyse::aliases::FEATURE_NAMES`] is fitted by Newton's method, each pair
//! counting as many times as the gold-name pairs it adds (the bench counts name pairs); the
//! threshold is then the one of 0.05, 0.10, ..., 0.95 with the best alias-pair F1 on the
//! training stories among those keeping their precision at least [`MIN_PRECISION`] (the F1
//! counted as if each pair over the threshold were joined alone).
//!
//! `--folds K` first deals the sorted topics into K folds as the bench does (topic i to fold
//! i % K), learns on K - 1 and prints the held-out fold's figures; `--fold-dir DIR` writes each
//! fold's model as `DIR/fold-F.json` for `ALIASES_MODELS=DIR` of the bench, which scores the
//! held-out folds exactly.

use crate::stream::newton_weighted;
use anyhow::{bail, Context, Result};
use dossier::analyse::aliases::{AliasModel, FEATURE_NAMES};
use serde::Deserialize;
use std::path::PathBuf;

/// The training precision a threshold must keep: above the 0.90 target, so that a held-out
/// story a little worse than the training ones stays over it.
const MIN_PRECISION: f64 = 0.92;

#[derive(clap::Parser)]
pub struct AliasesArgs {
    /// The pair lines of the aliases bench (`ALIASES_PAIRS=FILE ALIASES_MODELS=none`).
    #[arg(long)]
    pairs: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Print K-fold figures by topic first (the bench's `ALIASES_FOLDS=K` folds).
    #[arg(long)]
    folds: Option<usize>,
    /// Where to write each fold's model, learnt without it, as `fold-F.json`.
    #[arg(long)]
    fold_dir: Option<PathBuf>,
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
}

#[derive(Deserialize)]
struct Story {
    topic: u32,
    gold_pairs: usize,
    found_pairs: usize,
    right_pairs: usize,
    pairs: Vec<Pair>,
}

#[derive(Deserialize)]
struct Pair {
    features: Vec<f32>,
    pairs: usize,
    right: usize,
}

pub fn train(args: &AliasesArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.pairs)
        .with_context(|| format!("reading {}", args.pairs.display()))?;
    let stories: Vec<Story> = text
        .lines()
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not a pair line", args.pairs.display(), n + 1))
        })
        .collect::<Result<_>>()?;
    if stories.is_empty() {
        bail!("{} holds no stories", args.pairs.display());
    }
    let mut topics: Vec<u32> = stories.iter().map(|s| s.topic).collect();
    topics.sort_unstable();
    topics.dedup();
    if let Some(k) = args.folds {
        cross_validate(args, &stories, &topics, k)?;
    }
    let all: Vec<&Story> = stories.iter().collect();
    let pairs: usize = all.iter().map(|s| s.pairs.len()).sum();
    let trained_on = format!(
        "dossier-train aliases over bench/aliases pair lines of ECB+ dev ({} stories, {pairs} \
         entity pairs): Newton's method, l2 {}, threshold for training precision >= {MIN_PRECISION}",
        stories.len(),
        args.l2
    );
    let model = fit(&all, args.l2, trained_on);
    println!("all stories: threshold {}; weights:", model.threshold);
    for (name, w) in FEATURE_NAMES.iter().zip(&model.weights) {
        println!("  {name:16} {w:8.3}");
    }
    println!("  {:16} {:8.3}", "bias", model.bias);
    write(&args.out, &model)
}

fn write(path: &PathBuf, model: &AliasModel) -> Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(model)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Learns on all folds but one, prints the held-out one's figures (the rules alone, then with
/// the learnt joins), and writes the fold's model when asked.
fn cross_validate(args: &AliasesArgs, stories: &[Story], topics: &[u32], k: usize) -> Result<()> {
    if k < 2 || k > topics.len() {
        bail!("--folds must be between 2 and the {} topics", topics.len());
    }
    let fold_of = |s: &Story| topics.iter().position(|&t| t == s.topic).unwrap_or(0) % k;
    println!("| fold | threshold | rules P / R / F1 | learnt P / R / F1 (each pair alone) |");
    let mut summed = [Counts::default(); 2];
    println!("|---|---|---|---|");
    for f in 0..k {
        let (held, kept): (Vec<&Story>, Vec<&Story>) =
            stories.iter().partition(|s| fold_of(s) == f);
        let model = fit(
            &kept,
            args.l2,
            format!("fold {} of {k}: learnt on the others", f + 1),
        );
        let rules = counts(&held, 2.0, &model);
        let learnt = counts(&held, model.threshold, &model);
        println!(
            "| {} | {:.2} | {} | {} |",
            f + 1,
            model.threshold,
            show(rules),
            show(learnt)
        );
        summed[0].add(rules);
        summed[1].add(learnt);
        if let Some(dir) = &args.fold_dir {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            write(&dir.join(format!("fold-{}.json", f + 1)), &model)?;
        }
    }
    println!(
        "| all folds | | {} | {} |",
        show(summed[0]),
        show(summed[1])
    );
    Ok(())
}

fn show(c: Counts) -> String {
    let (p, r, f) = c.figures();
    format!("{p:.3} / {r:.3} / {f:.3}")
}

/// Weights by Newton's method, then the threshold (see the module notes).
fn fit(stories: &[&Story], l2: f64, trained_on: String) -> AliasModel {
    let examples: Vec<(Vec<f32>, bool, f64)> = stories
        .iter()
        .flat_map(|s| &s.pairs)
        .flat_map(|p| {
            [
                (p.features.clone(), true, p.right as f64),
                (p.features.clone(), false, (p.pairs - p.right) as f64),
            ]
        })
        .filter(|e| e.2 > 0.0)
        .collect();
    let (weights, bias) = newton_weighted(&examples, FEATURE_NAMES.len(), l2);
    let mut model = AliasModel {
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights,
        bias,
        threshold: 1.0,
        trained_on,
    };
    let best = (1..20)
        .map(|n| n as f32 * 0.05)
        .map(|t| (t, counts(stories, t, &model).figures()))
        .filter(|(_, (p, _, _))| *p >= MIN_PRECISION)
        .max_by(|a, b| a.1 .2.total_cmp(&b.1 .2));
    if let Some((t, _)) = best {
        model.threshold = t;
    }
    model
}

/// Gold, found and right alias pairs over some stories.
#[derive(Default, Clone, Copy)]
struct Counts {
    gold: usize,
    found: usize,
    right: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.gold += o.gold;
        self.found += o.found;
        self.right += o.right;
    }

    /// Precision, recall and F1.
    fn figures(&self) -> (f64, f64, f64) {
        let p = self.right as f64 / self.found.max(1) as f64;
        let r = self.right as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Alias pairs over `stories` when every scored pair at or over `threshold` is joined alone (a
/// threshold over 1 joins none: the rules' counts).
fn counts(stories: &[&Story], threshold: f32, model: &AliasModel) -> Counts {
    let mut c = Counts::default();
    for s in stories {
        c.gold += s.gold_pairs;
        c.found += s.found_pairs;
        c.right += s.right_pairs;
        for p in s
            .pairs
            .iter()
            .filter(|p| model.probability(&p.features) >= threshold)
        {
            c.found += p.pairs;
            c.right += p.right;
        }
    }
    c
}
