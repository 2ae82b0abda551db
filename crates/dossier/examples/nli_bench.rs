//! The NLI bench (see bench/nli/README.md): the shipped judge on RTE dev (2-way) and on the
//! reporting half of SNLI dev (3-way; the other half trained the weights).
//!
//!   cargo run --release -p dossier --example nli_bench -- ../shared/data/nli

use dossier::embed::{cosine, default_models_dir, Encoder, ENCODER_DIR};
use dossier::nli::data::{read_rte, read_snli, Example, SnliHalf};
use dossier::nli::{FeatureJudge, Judge, Pair, Verdict};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let data = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or("../shared/data/nli".into()),
    );
    let read = |rel: &str| std::fs::read_to_string(data.join(rel)).expect("NLI data readable");
    let rte = read_rte(&read("rte/dev.tsv")).expect("RTE dev parses");
    let snli = read_snli(&read("snli/dev.jsonl"), SnliHalf::Report).expect("SNLI dev parses");
    let encoder = Encoder::load(&default_models_dir().join(ENCODER_DIR)).expect("encoder");
    let judge = FeatureJudge::shipped();

    println!("| set | pairs | accuracy | contradiction P | R | F1 | pairs/s (with encoder) | pairs/s (judge only) |");
    println!("|---|---|---|---|---|---|---|---|");
    for (name, examples) in [
        ("RTE dev (2-way)", &rte),
        ("SNLI dev, reporting half (3-way)", &snli),
    ] {
        let started = Instant::now();
        let texts: Vec<&str> = examples
            .iter()
            .flat_map(|e| [e.premise.as_str(), e.hypothesis.as_str()])
            .collect();
        let vectors = encoder.embed(&texts).expect("encoder runs");
        let judged_at = Instant::now();
        let verdicts: Vec<Verdict> = examples
            .iter()
            .zip(vectors.chunks(2))
            .map(|(e, v)| {
                let cosine = cosine(&v[0], &v[1]);
                judge
                    .judge(&Pair {
                        premise: &e.premise,
                        hypothesis: &e.hypothesis,
                        cosine,
                    })
                    .verdict
            })
            .collect();
        let judge_s = judged_at.elapsed().as_secs_f64();
        let total_s = started.elapsed().as_secs_f64();
        let m = score(examples, &verdicts);
        let n = examples.len() as f64;
        println!(
            "| {name} | {} | {:.3} | {} | {} | {} | {:.0} | {:.0} |",
            examples.len(),
            m.accuracy,
            m.precision.map_or("-".into(), |v| format!("{v:.3}")),
            m.recall.map_or("-".into(), |v| format!("{v:.3}")),
            m.f1.map_or("-".into(), |v| format!("{v:.3}")),
            n / total_s,
            n / judge_s
        );
    }
}

struct Metrics {
    accuracy: f64,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
}

/// Accuracy against the gold label (RTE's not_entailment accepts contradict and unrelated);
/// contradiction precision and recall only where the gold labels single contradictions out.
fn score(examples: &[Example], verdicts: &[Verdict]) -> Metrics {
    let correct = examples
        .iter()
        .zip(verdicts)
        .filter(|(e, v)| e.gold.contains(v))
        .count();
    let three_way = examples.iter().all(|e| e.gold.len() == 1);
    let is_contra = |e: &Example| e.gold == [Verdict::Contradict];
    let tp = examples
        .iter()
        .zip(verdicts)
        .filter(|(e, v)| is_contra(e) && **v == Verdict::Contradict)
        .count() as f64;
    let predicted = verdicts
        .iter()
        .filter(|v| **v == Verdict::Contradict)
        .count() as f64;
    let actual = examples.iter().filter(|e| is_contra(e)).count() as f64;
    let (precision, recall) = (tp / predicted.max(1.0), tp / actual.max(1.0));
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::EPSILON);
    Metrics {
        accuracy: correct as f64 / examples.len().max(1) as f64,
        precision: three_way.then_some(precision),
        recall: three_way.then_some(recall),
        f1: three_way.then_some(f1),
    }
}
