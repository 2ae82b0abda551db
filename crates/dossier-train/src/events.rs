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
use dossier::analyse::cluster::{self, ClusterOptions};
use dossier::analyse::events::{self, EventModel, Signature, FEATURE_NAMES};
use dossier::ingest::{Content, RawDoc};
use dossier::pipeline::{self, Budget, Silent};
use dossier::stream::cluster::Counts;
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
    /// DUC 2004 clusters (`../shared/data/duc2004/dev.jsonl`) to learn from beside ECB+, each
    /// its own pile, halved by cluster like ECB+ by topic.
    #[arg(long)]
    duc: Option<std::path::PathBuf>,
    /// Also learn from each ECB+ topic as a pile of its own (see [`topic_piles`]).
    #[arg(long)]
    topic_piles: bool,
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
}

/// A pile of ECB+ documents read as dossier reads reports, with each document's event.
struct Pile {
    name: String,
    /// How much its score counts when the thresholds are chosen.
    weight: f64,
    terms: Vec<Counts>,
    signatures: Vec<Signature>,
    events: Vec<String>,
}

pub fn train(args: &EventsArgs) -> Result<()> {
    let ecb = ecb_docs(&args.data)?;
    let duc = match &args.duc {
        Some(path) => duc_docs(path)?,
        None => vec![],
    };
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for docs in [ecb, duc].into_iter().filter(|d| !d.is_empty()) {
        let (learn, score): (Vec<Doc>, Vec<Doc>) = match args.half {
            None => (docs, vec![]),
            Some(h) if h < 2 => docs.into_iter().partition(|d| d.half == h),
            Some(h) => bail!("--half {h}: 0 or 1"),
        };
        if args.topic_piles && learn[0].set == "ECB+" {
            train.extend(topic_piles(&learn)?);
            test.extend(topic_piles(&score)?);
        }
        train.push(read(&learn, 1.0)?);
        if !score.is_empty() {
            test.push(read(&score, 1.0)?);
        }
    }
    let mut examples: Vec<(Vec<f32>, bool)> = Vec::new();
    for pile in &train {
        examples.extend(
            events::all_pairs(&pile.terms, &pile.signatures)
                .into_iter()
                .map(|((i, j), x)| (x.to_vec(), pile.events[i] == pile.events[j])),
        );
    }
    let positives = examples.iter().filter(|e| e.1).count();
    let (weights, bias) = newton(&examples, FEATURE_NAMES.len(), args.l2);
    let sources = match &args.duc {
        Some(duc) => format!("--data {} --duc {}", args.data.display(), duc.display()),
        None => format!("--data {}", args.data.display()),
    };
    let mut model = EventModel {
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights,
        bias,
        threshold: 0.5,
        attach: 0.25,
        trained_on: format!(
            "dossier-train events {sources}{} ({} documents, {} pairs, {positives} of one event): Newton's method, l2 {}",
            args.half.map_or(String::new(), |h| format!(" --half {h}")),
            train.iter().map(|p| p.events.len()).sum::<usize>(),
            examples.len(),
            args.l2
        ),
    };
    (model.threshold, model.attach) = best_thresholds(&train, &model);
    println!("{}", model.trained_on);
    for (name, w) in FEATURE_NAMES.iter().zip(&model.weights) {
        println!("  {name:>14} {w:+.3}");
    }
    println!("  {:>14} {:+.3}", "bias", model.bias);
    println!(
        "  threshold {:.2}, attach {:.2}",
        model.threshold, model.attach
    );
    for (what, piles) in [("learnt on", &train), ("scored on", &test)] {
        let (topics, whole): (Vec<&Pile>, Vec<&Pile>) = piles.iter().partition(|p| p.weight < 1.0);
        for pile in whole {
            println!("  {what} {}: {}", pile.name, score(pile, &model));
        }
        if !topics.is_empty() {
            let f1: Vec<f64> = topics.iter().map(|p| score(p, &model).f1).collect();
            println!(
                "  {what} {} topics, each its own pile: mean pairwise F1 {:.3}",
                f1.len(),
                f1.iter().sum::<f64>() / f1.len() as f64
            );
        }
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&model)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(())
}

/// A document of a gold set: its text, its event, and its half (topics or clusters sorted and
/// alternated, as bench/events splits them).
#[derive(Clone)]
pub(crate) struct Doc {
    set: &'static str,
    /// The ECB+ topic or the DUC cluster.
    pub(crate) topic: String,
    id: String,
    text: String,
    pub(crate) event: String,
    pub(crate) half: usize,
}

impl Doc {
    /// The document as a report with no title, URL, date or outlet.
    pub(crate) fn raw(&self) -> RawDoc {
        RawDoc {
            source: self.id.clone(),
            id: self.id.clone(),
            content: Content::Text(self.text.clone()),
            title: None,
            url: None,
            published: None,
            outlet: None,
        }
    }
}

/// ECB+ documents, one sentence a line; an ECB+ (`ecbplus`) document's URL line left out, as
/// bench/events feeds them, since only those documents carry one.
pub(crate) fn ecb_docs(path: &std::path::Path) -> Result<Vec<Doc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: not JSON Lines", path.display()))?;
    let topics: Vec<i64> = docs
        .iter()
        .map(|d| d["topic"].as_i64())
        .collect::<Option<BTreeSet<_>>>()
        .with_context(|| format!("{}: a document without a topic", path.display()))?
        .into_iter()
        .collect();
    docs.iter()
        .map(|d| {
            let id = d["doc_id"].as_str().context("a document without doc_id")?;
            let text = d["text"].as_str().context("a document without text")?;
            let has_url = id.ends_with("ecbplus") && d["sent_ids"][0].as_i64() == Some(0);
            let body: Vec<&str> = text.lines().skip(has_url as usize).collect();
            let topic = d["topic"].as_i64().unwrap_or_default();
            Ok(Doc {
                set: "ECB+",
                topic: topic.to_string(),
                id: id.to_string(),
                text: body.join("\n"),
                event: d["subtopic"].as_str().context("no subtopic")?.to_string(),
                half: topics.binary_search(&topic).unwrap_or_default() % 2,
            })
        })
        .collect()
}

/// DUC 2004 documents (`{"cluster", "docs"}` lines), each cluster one story.
pub(crate) fn duc_docs(path: &std::path::Path) -> Result<Vec<Doc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut clusters: Vec<serde_json::Value> = text
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: not JSON Lines", path.display()))?;
    clusters.sort_by(|a, b| a["cluster"].as_str().cmp(&b["cluster"].as_str()));
    let mut out = Vec::new();
    for (n, c) in clusters.iter().enumerate() {
        let name = c["cluster"].as_str().context("a cluster without a name")?;
        for (k, doc) in c["docs"].as_array().context("no docs")?.iter().enumerate() {
            out.push(Doc {
                set: "DUC",
                topic: name.to_string(),
                id: format!("{name}-{k}"),
                text: doc
                    .as_str()
                    .context("a document that is not text")?
                    .to_string(),
                event: name.to_string(),
                half: n % 2,
            });
        }
    }
    Ok(out)
}

/// The documents as one pile of reports, read as dossier reads them.
fn read(docs: &[Doc], weight: f64) -> Result<Pile> {
    let raw = docs.iter().map(Doc::raw).collect();
    let (reports, skipped) = pipeline::read_reports(raw, Budget::default(), &Silent);
    if !skipped.is_empty() {
        bail!("{} documents could not be read", skipped.len());
    }
    let (terms, signatures) = events::read_pile(&reports);
    Ok(Pile {
        name: format!("{} ({} documents)", docs[0].set, docs.len()),
        weight,
        terms,
        signatures,
        events: docs.iter().map(|d| d.event.clone()).collect(),
    })
}

/// Each topic of `docs` as a pile of its own: a pile of one kind of event, where the words the
/// topic shares weigh little and a model learnt on mixed piles splits too much. Together they
/// weigh as much as one whole pile.
fn topic_piles(docs: &[Doc]) -> Result<Vec<Pile>> {
    let topics: BTreeSet<&str> = docs.iter().map(|d| d.topic.as_str()).collect();
    let weight = 1.0 / topics.len().max(1) as f64;
    topics
        .iter()
        .map(|t| {
            let own: Vec<Doc> = docs.iter().filter(|d| d.topic == *t).cloned().collect();
            let mut pile = read(&own, weight)?;
            pile.name = format!("ECB+ topic {t}");
            Ok(pile)
        })
        .collect()
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
    for (g, group) in cluster::cluster(&terms, Some(&signed), None, &options)
        .iter()
        .enumerate()
    {
        for &i in group {
            items[i] = (pile.events[i].clone(), g.to_string());
        }
    }
    Scores::of(&items)
}

/// The merge and attach thresholds that group the training piles best (mean pairwise F1; ties
/// to the higher threshold, the more cautious).
fn best_thresholds(piles: &[Pile], model: &EventModel) -> (f32, f32) {
    let mut best = (f64::MIN, 0.5, 0.25);
    for t in (1..20).map(|k| k as f32 * 0.05) {
        for attach in [0.5 * t, 0.75 * t, t] {
            let trial = EventModel {
                threshold: t,
                attach,
                ..model.clone()
            };
            let f1 = piles
                .iter()
                .map(|p| p.weight * score(p, &trial).f1)
                .sum::<f64>();
            if f1 >= best.0 {
                best = (f1, t, attach);
            }
        }
    }
    (best.1, best.2)
}
