//! `dossier-train stream`: learns the stream linker (see `dossier::stream::link`) from the UCI
//! headline stream. The stream is replayed in time order with every headline put in its gold
//! story; before each placement, every live story sharing a word with the headline gives one
//! example (its similarities; joined or not). Two logistic regressions are fitted by Newton's
//! method with a small L2 penalty: one on all the similarities, one without the encoder's.
//!
//! With `--folds`, it first learns on each story-disjoint half and replays the other half
//! through the clusterer, with the learnt linker and with the fixed gates, to print an honest
//! comparison; the written weights are learnt on the whole file.

use crate::StreamArgs;
use anyhow::{bail, Context, Result};
use dossier::embed::{default_models_dir, Encoder, ENCODER_DIR};
use dossier::pipeline::{self, Budget, Silent};
use dossier::stream::cluster::{Arrival, Key, StreamClusterer, StreamOptions};
use dossier::stream::data::{half, read_uci, Headline, Scores};
use dossier::stream::link::{decide, Linker, FEATURE_NAMES, WORDS_FEATURES};
use dossier::stream::logistic::Logistic;
use dossier::stream::{lead, outlet, time_of};
use dossier::text::ReportWords;
use std::collections::{BTreeSet, HashMap};

/// A headline read as the engine reads it.
struct Item {
    story: String,
    words: ReportWords,
    embedding: Vec<f32>,
    time: i64,
    outlet: Option<String>,
}

impl Item {
    fn arrival(&self, key: Key, meaning: bool) -> Arrival<'_> {
        Arrival {
            key,
            embedding: meaning.then_some(self.embedding.as_slice()),
            time: self.time,
            outlet: self.outlet.as_deref(),
        }
    }
}

pub fn train(args: &StreamArgs) -> Result<()> {
    let csv = std::fs::read_to_string(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let mut rows = read_uci(&csv).map_err(|e| anyhow::anyhow!("{}: {e}", args.data.display()))?;
    if let Some(h) = args.half {
        rows = half(&rows, h as usize);
    }
    let models = args.models.clone().unwrap_or_else(default_models_dir);
    let encoder = Encoder::load(&models.join(ENCODER_DIR))?;
    let items = read_items(&rows, &encoder)?;
    eprintln!("{} headlines", items.len());

    if args.folds {
        let stories: Vec<&str> = items
            .iter()
            .map(|i| i.story.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for fold in 0..2 {
            let learn: BTreeSet<&str> = stories.iter().skip(fold).step_by(2).copied().collect();
            let (train, test): (Vec<&Item>, Vec<&Item>) =
                items.iter().partition(|i| learn.contains(i.story.as_str()));
            let linker = fit(&train, args, "fold")?;
            println!(
                "learnt on half {fold} ({} headlines), scored on half {} ({}):",
                train.len(),
                1 - fold,
                test.len()
            );
            for meaning in [true, false] {
                let label = if meaning { "encoder" } else { "words only" };
                let gates = replay(&test, meaning, None);
                let learnt = replay(&test, meaning, Some(&linker));
                println!("  {label:>10}, gates:  {gates}");
                println!("  {label:>10}, linker: {learnt}");
            }
        }
    }
    let all: Vec<&Item> = items.iter().collect();
    let linker = fit(&all, args, "all")?;
    std::fs::write(&args.out, serde_json::to_string_pretty(&linker)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

fn read_items(rows: &[Headline], encoder: &Encoder) -> Result<Vec<Item>> {
    let docs = rows
        .iter()
        .map(Headline::doc)
        .collect::<Result<Vec<_>, _>>();
    let docs = docs.map_err(anyhow::Error::msg)?;
    // The engine skips what it cannot read (a headline that cleaning empties) the same way.
    let (reports, skipped) = pipeline::read_reports(docs, Budget::default(), &Silent);
    if reports.is_empty() {
        bail!("no headline could be read");
    }
    eprintln!("{} headlines left out as unreadable", skipped.len());
    let story: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.story.as_str()))
        .collect();
    let leads: Vec<String> = reports.iter().map(lead).collect();
    let texts: Vec<&str> = leads.iter().map(String::as_str).collect();
    let embeddings = encoder.embed(&texts)?;
    Ok(reports
        .iter()
        .zip(embeddings)
        .map(|(report, embedding)| Item {
            story: story[report.id.as_str()].to_string(),
            words: ReportWords::of(report),
            embedding,
            time: time_of(report, 0),
            outlet: outlet(report),
        })
        .collect())
}

/// Both weight sets, learnt from the stream of `items` (in time order).
fn fit(items: &[&Item], args: &StreamArgs, which: &str) -> Result<Linker> {
    let mut linker = fit_on(items, args, which, None)?;
    for _ in 0..args.rounds {
        linker = fit_on(items, args, which, Some(&linker))?;
    }
    Ok(linker)
}

fn fit_on(
    items: &[&Item],
    args: &StreamArgs,
    which: &str,
    policy: Option<&Linker>,
) -> Result<Linker> {
    let mut fitted = Vec::new();
    for (meaning, n) in [(true, FEATURE_NAMES.len()), (false, WORDS_FEATURES)] {
        let mut examples = examples(items, meaning, n);
        if let Some(policy) = policy {
            examples.extend(own_examples(items, meaning, n, policy));
        }
        let joins = examples.iter().filter(|(_, y)| *y).count();
        let (weights, bias) = newton(&examples, n, args.l2);
        eprintln!(
            "{which}: {} examples ({joins} joins), meaning {meaning}: weights {weights:?}, bias {bias}",
            examples.len()
        );
        fitted.push(Logistic {
            features: FEATURE_NAMES[..n].iter().map(|s| s.to_string()).collect(),
            weights,
            bias,
        });
    }
    let words = fitted.pop().expect("two fits");
    let meaning = fitted.pop().expect("two fits");
    let linker = Linker {
        meaning,
        words,
        trained_on: format!(
            "dossier-train stream --data {}{} ({} headlines): Newton's method, l2 {}, {} rounds on its own stories",
            args.data.display(),
            args.half.map_or(String::new(), |h| format!(" --half {h}")),
            items.len(),
            args.l2,
            args.rounds
        ),
    };
    // The same checks as loading the shipped file.
    Linker::from_json(&serde_json::to_string(&linker)?).map_err(anyhow::Error::msg)
}

/// (features, joined) for every live story that shares a word with each headline, replaying the
/// stream with every headline put in its gold story.
fn examples(items: &[&Item], meaning: bool, n: usize) -> Vec<(Vec<f32>, bool)> {
    let mut c = StreamClusterer::new(StreamOptions {
        // Gold placement only: no merges.
        merge: f32::INFINITY,
        ..StreamOptions::default()
    });
    let mut story_key: HashMap<&str, Key> = HashMap::new();
    let mut out = Vec::new();
    for (key, item) in items.iter().enumerate() {
        let arrival = item.arrival(key as Key, meaning);
        let terms = c.terms(&item.words);
        let gold = story_key.get(item.story.as_str()).copied();
        for candidate in c.candidates(&terms, &arrival) {
            out.push((
                candidate.features[..n].to_vec(),
                Some(candidate.story) == gold,
            ));
        }
        c.place(&arrival, &terms, gold);
        story_key.entry(&item.story).or_insert(key as Key);
    }
    out
}

/// (features, joined) for every candidate story as the clusterer meets them when it decides by
/// `policy` (with merges): a candidate should be joined when most of its members are of the
/// headline's gold story. These are the stories the linker meets in use, fragments included.
fn own_examples(
    items: &[&Item],
    meaning: bool,
    n: usize,
    policy: &Linker,
) -> Vec<(Vec<f32>, bool)> {
    let mut c = StreamClusterer::new(StreamOptions::default());
    let mut gold_of: HashMap<Key, HashMap<&str, usize>> = HashMap::new();
    let mut out = Vec::new();
    for (key, item) in items.iter().enumerate() {
        let arrival = item.arrival(key as Key, meaning);
        let terms = c.terms(&item.words);
        let candidates = c.candidates(&terms, &arrival);
        for candidate in &candidates {
            let counts = &gold_of[&candidate.story];
            let best = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(g, _)| *g);
            out.push((
                candidate.features[..n].to_vec(),
                best == Some(item.story.as_str()),
            ));
        }
        let story = decide(policy, &candidates);
        let placed = c.place(&arrival, &terms, story);
        for gone in &placed.merged {
            let counts = gold_of.remove(gone).unwrap_or_default();
            let into = gold_of.entry(placed.story).or_default();
            for (g, k) in counts {
                *into.entry(g).or_default() += k;
            }
        }
        *gold_of
            .entry(placed.story)
            .or_default()
            .entry(item.story.as_str())
            .or_default() += 1;
    }
    out
}

/// Logistic regression by Newton's method: minimises the mean log loss plus l2/2 times the
/// squared weights (not the bias). Returns (weights, bias).
pub(crate) fn newton(examples: &[(Vec<f32>, bool)], n: usize, l2: f64) -> (Vec<f32>, f32) {
    let weighted: Vec<(Vec<f32>, bool, f64)> =
        examples.iter().map(|(x, y)| (x.clone(), *y, 1.0)).collect();
    newton_weighted(&weighted, n, l2)
}

/// [`newton`] with a weight per example: minimises the weighted mean log loss plus l2/2 times
/// the squared weights.
pub(crate) fn newton_weighted(
    examples: &[(Vec<f32>, bool, f64)],
    n: usize,
    l2: f64,
) -> (Vec<f32>, f32) {
    let d = n + 1;
    let mut beta = vec![0f64; d];
    let m = examples
        .iter()
        .map(|e| e.2)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    for _ in 0..50 {
        let mut grad = vec![0f64; d];
        let mut hess = vec![vec![0f64; d]; d];
        for (x, y, weight) in examples {
            let x: Vec<f64> = x.iter().map(|&v| v as f64).chain([1.0]).collect();
            let logit: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-logit).exp());
            let r = p - if *y { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-12);
            for i in 0..d {
                grad[i] += weight * r * x[i] / m;
                for j in 0..d {
                    hess[i][j] += weight * w * x[i] * x[j] / m;
                }
            }
        }
        for i in 0..n {
            grad[i] += l2 * beta[i];
            hess[i][i] += l2;
        }
        let step = solve(hess, grad);
        let size: f64 = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        beta.iter_mut().zip(&step).for_each(|(b, s)| *b -= s);
        if size < 1e-8 {
            break;
        }
    }
    let bias = beta.pop().expect("bias") as f32;
    (beta.into_iter().map(|b| b as f32).collect(), bias)
}

/// Solves a x = b by Gaussian elimination with partial pivoting (a is small and, with the L2
/// term, positive definite).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let d = b.len();
    for col in 0..d {
        let pivot = (col..d)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .expect("a row");
        a.swap(col, pivot);
        b.swap(col, pivot);
        let p = a[col][col];
        if p.abs() < 1e-300 {
            continue;
        }
        let (top, below) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (i, row) in below.iter_mut().enumerate() {
            let f = row[col] / p;
            for (x, y) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * y;
            }
            b[col + 1 + i] -= f * b[col];
        }
    }
    let mut x = vec![0f64; d];
    for row in (0..d).rev() {
        let s: f64 = (row + 1..d).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-300 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

/// Replays `items` through a clusterer and scores the stories it ends with: joins decided by
/// `linker` when given (on words alone too, unlike the engine, to measure the words-only
/// weights), else by the gates.
fn replay(items: &[&Item], meaning: bool, linker: Option<&Linker>) -> Scores {
    let mut c = StreamClusterer::new(StreamOptions {
        linker: None,
        ..StreamOptions::default()
    });
    let mut story: Vec<Key> = Vec::with_capacity(items.len());
    for (key, item) in items.iter().enumerate() {
        let arrival = item.arrival(key as Key, meaning);
        let terms = c.terms(&item.words);
        let placed = match linker {
            Some(linker) => {
                let joins = decide(linker, &c.candidates(&terms, &arrival));
                c.place(&arrival, &terms, joins)
            }
            None => c.add(&arrival, &terms),
        };
        for gone in &placed.merged {
            story
                .iter_mut()
                .filter(|s| **s == *gone)
                .for_each(|s| *s = placed.story);
        }
        story.push(placed.story);
    }
    let pairs: Vec<(&str, String)> = items
        .iter()
        .zip(&story)
        .map(|(i, s)| (i.story.as_str(), s.to_string()))
        .collect();
    Scores::of(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_recovers_a_separating_direction() {
        // Joins when x0 is high, whatever x1.
        let examples: Vec<(Vec<f32>, bool)> = (0..200)
            .map(|i| {
                let x0 = (i % 20) as f32 / 20.0;
                let x1 = (i % 7) as f32 / 7.0;
                let noisy = i % 17 == 0;
                (vec![x0, x1], (x0 > 0.5) != noisy)
            })
            .collect();
        let (w, b) = newton(&examples, 2, 1e-3);
        assert!(w[0] > 5.0 && w[1].abs() < 1.0, "{w:?} {b}");
        assert!(b < 0.0);
    }
}
