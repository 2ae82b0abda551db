//! `dossier-train former`: learns the story former's join and merge decisions
//! (`dossier::stream::former`) from ECB+ (topics of two events), DUC 2004 (topic clusters) and
//! the UCI headlines together, each set weighing as much as the others.
//!
//! Each pile is replayed as `dossier build` replays it (date order, undated in input
//! order). Round 0 puts every report in its gold story: each live story sharing a word with it
//! is one join example. Each later round replays with the last weights deciding, joins and
//! merges, and adds what it met: every candidate story of each report (joined when most of its
//! members are of the report's event) and, after each placement, every story that could merge
//! with the one that changed (one story when most of the two's members are of one event).
//!
//! `--half H` learns on half H of each set (ECB+ topics, DUC clusters and UCI stories, sorted
//! and alternated) and scores the other half beside the service's gates and batch average link;
//! `--without SET` leaves a set out of the learning, to score it whole as unseen data.

use crate::events::{self, Doc};
use crate::stream::newton_weighted;
use anyhow::{bail, Context, Result};
use dossier::analyse::cluster::{self, ClusterOptions};
use dossier::pipeline::{self, Budget, Silent};
use dossier::stream::cluster::{
    replay, Arrival, Counts, Key, StreamClusterer, StreamOptions, Vocabulary,
};
use dossier::stream::data::{half, read_uci, Scores};
use dossier::stream::former::{is_short, ByLength, Former, JOIN_FEATURES, MERGE_FEATURES};
use dossier::stream::logistic::Logistic;
use dossier::stream::time_of;
use dossier::text::ReportWords;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Parser)]
pub struct FormerArgs {
    /// ECB+ documents (`../shared/data/ecbplus/dev.jsonl`).
    #[arg(long)]
    ecb: PathBuf,
    /// DUC 2004 clusters (`../shared/data/duc2004/dev.jsonl`).
    #[arg(long)]
    duc: PathBuf,
    /// The UCI News Aggregator CSV (`../shared/data/uci-headlines/dev.csv`).
    #[arg(long)]
    uci: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Learn on this half of each set only (0 or 1) and score the other.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..2))]
    half: Option<u64>,
    /// Leave these sets (ecb, duc, uci) out of the learning and score them whole.
    #[arg(long)]
    without: Vec<String>,
    /// Rounds of learning on the stories the former builds with the last weights.
    #[arg(long, default_value_t = 2)]
    rounds: usize,
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Also learn from each ECB+ topic and each DUC cluster as a pile of its own (a set of its
    /// own when the sets are weighed), for more piles of articles than one a set.
    #[arg(long)]
    topic_piles: bool,
}

/// A pile read as dossier reads it: each report's words, time and event.
struct Pile {
    name: String,
    set: &'static str,
    counts: Vec<Counts>,
    times: Vec<Option<i64>>,
    events: Vec<String>,
}

pub fn train(args: &FormerArgs) -> Result<()> {
    let (mut learn, mut score) = (Vec::new(), Vec::new());
    for (set, docs) in [
        ("ecb", events::ecb_docs(&args.ecb)?),
        ("duc", events::duc_docs(&args.duc)?),
    ] {
        split(set, docs, args, &mut learn, &mut score)?;
    }
    let csv = std::fs::read_to_string(&args.uci)
        .with_context(|| format!("cannot read {}", args.uci.display()))?;
    let rows = read_uci(&csv).map_err(|e| anyhow::anyhow!("{}: {e}", args.uci.display()))?;
    match args.half {
        _ if args.without.iter().any(|s| s == "uci") => score.push(headlines(&rows, "UCI whole")?),
        None => learn.push(headlines(&rows, "UCI whole")?),
        Some(h) => {
            learn.push(headlines(
                &half(&rows, h as usize),
                &format!("UCI half {h}"),
            )?);
            let other = 1 - h as usize;
            score.push(headlines(
                &half(&rows, other),
                &format!("UCI half {other}"),
            )?);
        }
    }
    let mut former = fit(&learn, args)?;
    shift_biases(&mut former, &learn);
    for pile in &score {
        compare(pile, &former);
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&former)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// Puts a set's documents in the learning or the scored piles, by `--half` and `--without`.
fn split(
    set: &'static str,
    docs: Vec<Doc>,
    args: &FormerArgs,
    learn: &mut Vec<Pile>,
    score: &mut Vec<Pile>,
) -> Result<()> {
    if args.without.iter().any(|s| s == set) {
        score.push(read(&docs, set, "whole")?);
        return Ok(());
    }
    let Some(h) = args.half else {
        learn.extend(learnt_from(&docs, set, "whole", args)?);
        return Ok(());
    };
    let (own, other): (Vec<Doc>, Vec<Doc>) = docs.into_iter().partition(|d| d.half == h as usize);
    learn.extend(learnt_from(&own, set, &format!("half {h}"), args)?);
    score.push(read(&other, set, &format!("half {}", 1 - h))?);
    Ok(())
}

/// The piles learnt from: the documents as one pile, and with `--topic-piles` each topic too.
fn learnt_from(
    docs: &[Doc],
    set: &'static str,
    part: &str,
    args: &FormerArgs,
) -> Result<Vec<Pile>> {
    let mut piles = vec![read(docs, set, part)?];
    if args.topic_piles {
        let topics: std::collections::BTreeSet<&str> =
            docs.iter().map(|d| d.topic.as_str()).collect();
        let each = if set == "ecb" {
            "ecb topic"
        } else {
            "duc cluster"
        };
        for topic in topics {
            let own: Vec<Doc> = docs.iter().filter(|d| d.topic == topic).cloned().collect();
            piles.push(read(&own, each, topic)?);
        }
    }
    Ok(piles)
}

fn read(docs: &[Doc], set: &'static str, part: &str) -> Result<Pile> {
    let raw = docs.iter().map(Doc::raw).collect();
    let (reports, skipped) = pipeline::read_reports(raw, Budget::default(), &Silent);
    if !skipped.is_empty() {
        bail!("{} {set} documents could not be read", skipped.len());
    }
    let mut vocabulary = Vocabulary::default();
    Ok(Pile {
        name: format!("{set} {part} ({} documents)", docs.len()),
        set,
        counts: reports
            .iter()
            .map(|r| vocabulary.terms(&ReportWords::of(r)))
            .collect(),
        times: vec![None; docs.len()],
        events: docs.iter().map(|d| d.event.clone()).collect(),
    })
}

fn headlines(rows: &[dossier::stream::data::Headline], name: &str) -> Result<Pile> {
    let docs = rows.iter().map(|h| h.doc()).collect::<Result<Vec<_>, _>>();
    let docs = docs.map_err(anyhow::Error::msg)?;
    let (reports, _) = pipeline::read_reports(docs, Budget::default(), &Silent);
    let story: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.story.as_str()))
        .collect();
    let mut vocabulary = Vocabulary::default();
    Ok(Pile {
        name: format!("{name} ({} headlines)", reports.len()),
        set: "uci",
        counts: reports
            .iter()
            .map(|r| vocabulary.terms(&ReportWords::of(r)))
            .collect(),
        times: reports.iter().map(|r| Some(time_of(r, 0))).collect(),
        events: reports
            .iter()
            .map(|r| story[r.id.as_str()].to_string())
            .collect(),
    })
}

/// Join and merge examples, each with its set's weight: (features, label, weight).
type Examples = Vec<(Vec<f32>, bool, f64)>;

fn fit(piles: &[Pile], args: &FormerArgs) -> Result<Former> {
    let mut joins: Vec<Examples> = vec![Vec::new(); piles.len()];
    let mut merges: Vec<Examples> = vec![Vec::new(); piles.len()];
    let mut former = never();
    for round in 0..=args.rounds {
        for (k, pile) in piles.iter().enumerate() {
            let policy = (round > 0).then_some(&former);
            let (j, m) = examples(pile, policy);
            joins[k].extend(j);
            merges[k].extend(m);
        }
        former = Former {
            join: by_length(&joins, piles, &JOIN_FEATURES, args.l2, "join"),
            merge: match round {
                0 => never().merge,
                _ => by_length(&merges, piles, &MERGE_FEATURES, args.l2, "merge"),
            },
            trained_on: format!(
                "dossier-train former{}{} --rounds {} --l2 {}: {}",
                args.half.map_or(String::new(), |h| format!(" --half {h}")),
                args.without
                    .iter()
                    .map(|s| format!(" --without {s}"))
                    .collect::<String>(),
                args.rounds,
                args.l2,
                piles
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
    }
    let json = serde_json::to_string(&former)?;
    Former::from_json(&json).map_err(anyhow::Error::msg)
}

/// Logistic regression fits the log loss over candidates, most of which are not joined, and
/// joins too rarely for the pairwise F1: each bias (joins and merges, short and long texts) is
/// shifted by the amount that groups the training piles best (mean pairwise F1, each set
/// weighing the same), the short and the long pairs apart.
fn shift_biases(former: &mut Former, piles: &[Pile]) {
    const SHIFTS: [f32; 5] = [-2.0, -1.0, 0.0, 1.0, 2.0];
    for short in [true, false] {
        let mut best = (f64::MIN, 0.0, 0.0);
        for join in SHIFTS {
            for merge in SHIFTS {
                let trial = shifted(former, short, join, merge);
                let f1 = mean_f1(&trial, piles);
                if f1 > best.0 {
                    best = (f1, join, merge);
                }
            }
        }
        eprintln!(
            "short {short}: bias shifts {:?} (training F1 {:.3})",
            (best.1, best.2),
            best.0
        );
        *former = shifted(former, short, best.1, best.2);
    }
}

fn shifted(former: &Former, short: bool, join: f32, merge: f32) -> Former {
    let mut out = former.clone();
    let (j, m) = match short {
        true => (&mut out.join.short, &mut out.merge.short),
        false => (&mut out.join.long, &mut out.merge.long),
    };
    j.bias += join;
    m.bias += merge;
    out
}

/// Mean pairwise F1 of the piles grouped by `former`, each set weighing the same.
fn mean_f1(former: &Former, piles: &[Pile]) -> f64 {
    let options = StreamOptions {
        former: Some(Arc::new(former.clone())),
        ..StreamOptions::default()
    };
    let mut by_set: HashMap<&str, Vec<f64>> = HashMap::new();
    for pile in piles {
        let counts: Vec<&[(u32, u32)]> = pile.counts.iter().map(|c| &**c).collect();
        let groups = replay(&counts, &pile.times, &[], &options);
        by_set
            .entry(pile.set)
            .or_default()
            .push(score(pile, &groups).f1);
    }
    let means = by_set
        .values()
        .map(|f| f.iter().sum::<f64>() / f.len() as f64);
    means.sum::<f64>() / by_set.len().max(1) as f64
}

fn score(pile: &Pile, groups: &[Vec<usize>]) -> Scores {
    let mut items = vec![(String::new(), String::new()); pile.counts.len()];
    for (g, group) in groups.iter().enumerate() {
        for &i in group {
            items[i] = (pile.events[i].clone(), g.to_string());
        }
    }
    Scores::of(&items)
}

/// The decision's weights for short and long texts, each learnt on its examples
/// ([`JOIN_FEATURES`] hold the length at 4, [`MERGE_FEATURES`] at 5).
fn by_length(
    examples: &[Examples],
    piles: &[Pile],
    names: &[&str],
    l2: f64,
    which: &str,
) -> ByLength {
    let at = if names.len() == JOIN_FEATURES.len() {
        4
    } else {
        5
    };
    let part = |short: bool| -> Vec<Examples> {
        examples
            .iter()
            .map(|e| {
                e.iter()
                    .filter(|(x, _, _)| is_short(x[at]) == short)
                    .cloned()
                    .collect()
            })
            .collect()
    };
    ByLength {
        short: learn(&part(true), piles, names, l2, &format!("{which} short")),
        long: learn(&part(false), piles, names, l2, &format!("{which} long")),
    }
}

/// A logistic regression over the examples of all piles, each set weighing as much as another.
fn learn(examples: &[Examples], piles: &[Pile], names: &[&str], l2: f64, which: &str) -> Logistic {
    let mut per_set: HashMap<&str, usize> = HashMap::new();
    for (e, p) in examples.iter().zip(piles) {
        *per_set.entry(p.set).or_default() += e.len();
    }
    let mut all = Vec::new();
    for (e, p) in examples.iter().zip(piles) {
        let w = 1.0 / per_set[p.set].max(1) as f64;
        all.extend(e.iter().map(|(x, y, _)| (x.clone(), *y, w)));
    }
    let (weights, bias) = newton_weighted(&all, names.len(), l2);
    eprintln!(
        "{which}: {} examples: weights {weights:?}, bias {bias}",
        all.len()
    );
    Logistic {
        features: names.iter().map(|s| s.to_string()).collect(),
        weights,
        bias,
    }
}

/// Decisions that never join or merge: round 0's placeholder.
fn never() -> Former {
    let zero = |names: &[&str]| Logistic {
        features: names.iter().map(|s| s.to_string()).collect(),
        weights: vec![0.0; names.len()],
        bias: -10.0,
    };
    let both = |names: &[&str]| ByLength {
        short: zero(names),
        long: zero(names),
    };
    Former {
        join: both(&JOIN_FEATURES),
        merge: both(&MERGE_FEATURES),
        trained_on: String::new(),
    }
}

/// The replay order of a pile: by time, the undated after the dated in input order.
fn order(pile: &Pile) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pile.counts.len()).collect();
    order.sort_by_key(|&i| (pile.times[i].is_none(), pile.times[i], i));
    order
}

/// The join and merge examples of one replay of `pile`: gold placement without `policy`, else
/// the policy's own decisions.
fn examples(pile: &Pile, policy: Option<&Former>) -> (Examples, Examples) {
    let mut c = StreamClusterer::new(StreamOptions {
        former: Some(Arc::new(policy.cloned().unwrap_or_else(never))),
        ..StreamOptions::default()
    });
    let mut events: HashMap<Key, HashMap<&str, usize>> = HashMap::new();
    let mut gold: HashMap<&str, Key> = HashMap::new();
    let (mut joins, mut merges) = (Vec::new(), Vec::new());
    for i in order(pile) {
        let event = pile.events[i].as_str();
        let terms = c.counted(&pile.counts[i]);
        let arrival = Arrival {
            key: i as Key,
            embedding: None,
            time: pile.times[i].unwrap_or(0),
            outlet: None,
        };
        let candidates = c.join_candidates(&terms, &arrival);
        for (story, x) in &candidates {
            let label = match policy {
                None => gold.get(event) == Some(story),
                Some(_) => majority(&events[story]) == event,
            };
            joins.push((x.to_vec(), label, 1.0));
        }
        let chosen = match policy {
            None => gold.get(event).copied(),
            Some(f) => best(candidates.iter().map(|(s, x)| (*s, f.joins(x)))),
        };
        let (story, _) = c.put(&arrival, &terms, chosen);
        gold.entry(event).or_insert(story);
        *events.entry(story).or_default().entry(event).or_default() += 1;
        if policy.is_none() {
            continue;
        }
        for (other, x) in c.merge_candidates(story, arrival.time) {
            let label = majority(&events[&story]) == majority(&events[&other]);
            merges.push((x.to_vec(), label, 1.0));
        }
        let (keep, gone) = c.settle(story, arrival.time);
        for g in gone {
            let counts = events.remove(&g).unwrap_or_default();
            let into = events.entry(keep).or_default();
            for (e, n) in counts {
                *into.entry(e).or_default() += n;
            }
        }
    }
    (joins, merges)
}

/// The event most of a story's members are of (ties to the first by name).
fn majority<'a>(counts: &HashMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map_or("", |(e, _)| e)
}

fn best(judged: impl Iterator<Item = (Key, f32)>) -> Option<Key> {
    judged
        .filter(|&(_, p)| p >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(s, _)| s)
}

/// Prints the pile's scores by the learnt former, the service's gates and batch average link.
fn compare(pile: &Pile, former: &Former) {
    let counts: Vec<&[(u32, u32)]> = pile.counts.iter().map(|c| &**c).collect();
    let learnt = StreamOptions {
        former: Some(Arc::new(former.clone())),
        ..StreamOptions::default()
    };
    let join_only = StreamOptions {
        former: Some(Arc::new(Former {
            merge: never().merge,
            ..former.clone()
        })),
        ..StreamOptions::default()
    };
    let runs = [
        ("learnt former", replay(&counts, &pile.times, &[], &learnt)),
        (
            "learnt joins, no merge",
            replay(&counts, &pile.times, &[], &join_only),
        ),
        (
            "gates (serve)",
            replay(&counts, &pile.times, &[], &StreamOptions::default()),
        ),
        (
            "average link (build)",
            cluster::cluster(&counts, None, None, &ClusterOptions::default()),
        ),
    ];
    println!("{}:", pile.name);
    for (label, groups) in runs {
        println!("  {label:>22}: {}", score(pile, &groups));
    }
}
