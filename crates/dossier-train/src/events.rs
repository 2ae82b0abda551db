//! `dossier-train events`: learns the event model (`crates/dossier/models/events-lr.json`), the
//! pair decision the story clustering groups by, from ECB+ (two events of one kind per topic).
//!
//! Every pair of documents of the training topics that shares a word is one example, labelled by
//! whether the two are of one event (`subtopic`); a logistic regression over
//! [`dossier::analyse::events::FEATURE_NAMES`] is fitted by Newton's method. The grouping
//! thresholds are then chosen by clustering the training documents as one pile and keeping the
//! pair that scores the best pairwise F1. `--half H` learns on one half of the topics (sorted,
//! alternated, as bench/events splits them) and scores the other half, clustered the same way.

use crate::stream::newton;
use anyhow::{bail, Context, Result};
use dossier::analyse::cluster::{self, ClusterOptions, Terms};
use dossier::analyse::events::{self, EventModel, Signature, FEATURE_NAMES};
use dossier::ingest::{Content, RawDoc};
use dossier::pipeline::{self, Budget, Silent};
use dossier::stream::data::Scores;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(clap::Parser)]
pub struct EventsArgs {
    /// ECB+ documents as JSON Lines (`../shared/data/ecbplus/dev.jsonl`).
    #[arg(long)]
    data: std::path::PathBuf,
    #[arg(long)]
    out: std::path::PathBuf,
    /// Learn on this half of the topics only (0 or 1) and score the other.
    #[arg(long)]
    half: Option<usize>,
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
}

/// A pile of ECB+ documents read as dossier reads reports, with each document's event.
struct Pile {
    terms: Vec<Terms>,
    signatures: Vec<Signature>,
    events: Vec<String>,
}

pub fn train(args: &EventsArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: not JSON Lines", args.data.display()))?;
    let topics: Vec<i64> = docs
        .iter()
        .map(|d| d["topic"].as_i64())
        .collect::<Option<BTreeSet<_>>>()
        .context("a document without a topic")?
        .into_iter()
        .collect();
    let in_half = |d: &serde_json::Value, h: usize| {
        let at = topics.binary_search(&d["topic"].as_i64().unwrap_or(-1));
        at.is_ok_and(|i| i % 2 == h)
    };
    let (train, test): (Vec<_>, Vec<_>) = match args.half {
        None => (docs.iter().collect(), vec![]),
        Some(h) if h < 2 => docs.iter().partition(|d| in_half(d, h)),
        Some(h) => bail!("--half {h}: 0 or 1"),
    };
    let pile = read(&train)?;
    let examples: Vec<(Vec<f32>, bool)> = events::all_pairs(&pile.terms, &pile.signatures)
        .into_iter()
        .map(|((i, j), x)| (x.to_vec(), pile.events[i] == pile.events[j]))
        .collect();
    let positives = examples.iter().filter(|e| e.1).count();
    let (weights, bias) = newton(&examples, FEATURE_NAMES.len(), args.l2);
    let mut model = EventModel {
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights,
        bias,
        threshold: 0.5,
        attach: 0.25,
        trained_on: format!(
            "dossier-train events --data {}{} ({} documents, {} pairs, {positives} of one event): Newton's method, l2 {}",
            args.data.display(),
            args.half.map_or(String::new(), |h| format!(" --half {h}")),
            train.len(),
            examples.len(),
            args.l2
        ),
    };
    (model.threshold, model.attach) = best_thresholds(&pile, &model);
    println!("{}", model.trained_on);
    for (name, w) in FEATURE_NAMES.iter().zip(&model.weights) {
        println!("  {name:>14} {w:+.3}");
    }
    println!("  {:>14} {:+.3}", "bias", model.bias);
    println!(
        "  threshold {:.2}, attach {:.2}; training pile: {}",
        model.threshold,
        model.attach,
        score(&pile, &model)
    );
    if !test.is_empty() {
        let held = read(&test)?;
        println!("  other half ({} documents): {}", test.len(), score(&held, &model));
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&model)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(())
}

/// The documents as reports (one sentence a line; an ECB+ document's URL line left out, as
/// bench/events feeds them, since only those documents carry one).
fn read(docs: &[&serde_json::Value]) -> Result<Pile> {
    let mut raw = Vec::new();
    let mut events = Vec::new();
    for d in docs {
        let id = d["doc_id"].as_str().context("a document without doc_id")?;
        let text = d["text"].as_str().context("a document without text")?;
        let has_url = id.ends_with("ecbplus") && d["sent_ids"][0].as_i64() == Some(0);
        let body: Vec<&str> = text.lines().skip(has_url as usize).collect();
        raw.push(RawDoc {
            source: id.to_string(),
            id: id.to_string(),
            content: Content::Text(body.join("\n")),
            title: None,
            url: None,
            published: None,
            outlet: None,
        });
        events.push(d["subtopic"].as_str().context("no subtopic")?.to_string());
    }
    let (reports, skipped) = pipeline::read_reports(raw, Budget::default(), &Silent);
    if !skipped.is_empty() {
        bail!("{} documents could not be read", skipped.len());
    }
    let (terms, signatures) = events::read_pile(&reports);
    Ok(Pile {
        terms,
        signatures,
        events,
    })
}

/// The grouping of `pile` by `model`, scored against its events.
fn score(pile: &Pile, model: &EventModel) -> Scores {
    let terms: Vec<&[(u32, u32)]> = pile.terms.iter().map(|t| &**t).collect();
    let signed: Vec<&Signature> = pile.signatures.iter().collect();
    let options = ClusterOptions {
        events: Some(Arc::new(model.clone())),
        ..ClusterOptions::default()
    };
    let mut items = vec![(String::new(), String::new()); terms.len()];
    for (g, group) in cluster::cluster(&terms, Some(&signed), &options)
        .iter()
        .enumerate()
    {
        for &i in group {
            items[i] = (pile.events[i].clone(), g.to_string());
        }
    }
    Scores::of(&items)
}

/// The merge and attach thresholds that group the training pile best (pairwise F1; ties to the
/// higher threshold, the more cautious).
fn best_thresholds(pile: &Pile, model: &EventModel) -> (f32, f32) {
    let mut best = (f64::MIN, 0.5, 0.25);
    for t in (1..20).map(|k| k as f32 * 0.05) {
        for attach in [0.5 * t, 0.75 * t, t] {
            let trial = EventModel {
                threshold: t,
                attach,
                ..model.clone()
            };
            let f1 = score(pile, &trial).f1;
            if f1 >= best.0 {
                best = (f1, t, attach);
            }
        }
    }
    (best.1, best.2)
}
