//! Readers for the public NLI sets the judge is trained and measured on (`../shared/data/nli/`):
//! GLUE RTE (`index, sentence1, sentence2, label` TSV, 2-way) and SNLI (JSON Lines, 3-way).
//!
//! SNLI is only there as its dev file, so it is split in two: premises (captions) alternate
//! between a training half and a reporting half in order of first appearance, so that no
//! premise is seen on both sides. Training reads [`SnliHalf::Train`], the bench
//! [`SnliHalf::Report`].

use super::Verdict;
use std::collections::HashMap;

/// One labelled pair. `gold` lists the verdicts the label allows: RTE's `not_entailment` is
/// either contradiction or neutral.
#[derive(Debug, Clone)]
pub struct Example {
    pub premise: String,
    pub hypothesis: String,
    pub gold: Vec<Verdict>,
}

pub fn read_rte(tsv: &str) -> Result<Vec<Example>, String> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [_, premise, hypothesis, label] = cols[..] else {
                return Err(format!("line {}: expected 4 columns", n + 2));
            };
            let gold = match label.trim() {
                "entailment" => vec![Verdict::Agree],
                "not_entailment" => vec![Verdict::Contradict, Verdict::Unrelated],
                other => return Err(format!("line {}: unknown label {other:?}", n + 2)),
            };
            Ok(Example {
                premise: premise.into(),
                hypothesis: hypothesis.into(),
                gold,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnliHalf {
    Train,
    Report,
}

/// The pairs of one half of an SNLI file; pairs without a gold label ("-") are left out.
pub fn read_snli(jsonl: &str, half: SnliHalf) -> Result<Vec<Example>, String> {
    let mut captions: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let field = |k: &str| {
            v[k].as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("line {}: no {k}", n + 1))
        };
        let premise = field("sentence1")?;
        let next = captions.len();
        let caption = *captions.entry(premise.clone()).or_insert(next);
        let in_half = if caption & 1 == 0 {
            SnliHalf::Train
        } else {
            SnliHalf::Report
        };
        let gold = match field("gold_label")?.as_str() {
            "entailment" => Verdict::Agree,
            "contradiction" => Verdict::Contradict,
            "neutral" => Verdict::Unrelated,
            _ => continue,
        };
        if in_half == half {
            out.push(Example {
                premise,
                hypothesis: field("sentence2")?,
                gold: vec![gold],
            });
        }
    }
    Ok(out)
}
