//! `dossier-train quotes`: learns the cue lexicon of `dossier::analyse::attribution` from the
//! `train` documents of PolNeAR. Each word's counts (in a gold cue, in all) are kept; the
//! threshold and minimum count that make a word a cue are chosen by k-fold cross-validation
//! within `train` (lexicon counted on k-1 folds, attribution F1 measured on the last), and the
//! spread over folds at the chosen setting is printed. `dev` documents are never read here.
//!
//! The metric is PolNeAR's (as `bench/quotes/score.py` computes it for the report): a content
//! matches a gold one when their words overlap with Dice >= 0.5, one-to-one; the speaker is
//! right when the source words overlap with Dice >= 0.5 or one holds the other, and a gold
//! without source needs none.

use crate::QuotesArgs;
use anyhow::{bail, Context, Result};
use dossier::analyse::attribution::{attributions, Attribution, Cues, Span};
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::sync::LazyLock;

/// One gold attribution: content and source as sets of word indices, or None for no source.
pub(crate) struct Gold {
    pub(crate) content: HashSet<usize>,
    pub(crate) source: Option<HashSet<usize>>,
}

pub(crate) struct Doc {
    pub(crate) text: String,
    /// Byte ranges of the gold cue pieces, true when their attribution names no source.
    cues: Vec<(usize, usize, bool)>,
    pub(crate) gold: Vec<Gold>,
    /// Character ranges of the words.
    pub(crate) words: Vec<(usize, usize)>,
}

pub fn train(args: &QuotesArgs) -> Result<()> {
    let docs = read(&args.data)?;
    println!("{} training documents", docs.len());
    let folds: Vec<Vec<&Doc>> = (0..args.folds)
        .map(|f| docs.iter().skip(f).step_by(args.folds).collect())
        .collect();
    let counted: Vec<Cues> = (0..args.folds)
        .map(|f| {
            count(
                docs.iter()
                    .enumerate()
                    .filter(|(i, _)| i % args.folds != f)
                    .map(|(_, d)| d),
            )
        })
        .collect();
    let cross_validate = |(t, m, q, b): Setting| -> Vec<f64> {
        folds
            .iter()
            .zip(&counted)
            .map(|(held, cues)| {
                let cues = Cues {
                    threshold: t,
                    min_count: m,
                    min_quote_words: q,
                    bare_share: b,
                    words: cues.words.clone(),
                };
                score(held, &cues).f1()
            })
            .collect()
    };
    let mut settings = Vec::new();
    for q in [1, 2, 3, 4] {
        for m in [3, 5, 10] {
            for k in 6..=12 {
                settings.push((k as f32 * 0.05, m, q, None));
            }
        }
    }
    let Some((_, (t, m, q, _), _)) = best(settings, cross_validate) else {
        bail!("no setting was tried");
    };
    // The share of sourceless cues that makes a cue word sourceless, given the other three
    // (a second pass keeps the grid small).
    let shares = [None, Some(0.5), Some(0.6), Some(0.7), Some(0.8)];
    let settings = shares.into_iter().map(|b| (t, m, q, b)).collect();
    let Some((mean, (threshold, min_count, min_quote_words, bare_share), scores)) =
        best(settings, cross_validate)
    else {
        bail!("no setting was tried");
    };
    let (lo, hi) = scores
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &s| (a.min(s), b.max(s)));
    println!(
        "chosen: threshold {threshold:.2}, min count {min_count}, min quote words \
         {min_quote_words}, sourceless share {bare_share:?}; attribution F1 on held-out \
         train folds: mean {mean:.4}, min {lo:.4}, max {hi:.4} ({} folds)",
        args.folds
    );
    let mut cues = count(docs.iter());
    cues.threshold = threshold;
    cues.min_count = min_count;
    cues.min_quote_words = min_quote_words;
    cues.bare_share = bare_share;
    // Words never seen in a cue can never be cues: they are left out of the file.
    cues.words.retain(|_, c| c.cue > 0);
    std::fs::write(&args.out, serde_json::to_string(&cues)? + "\n")
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!("wrote {} ({} words)", args.out.display(), cues.words.len());
    Ok(())
}

/// Threshold, min count, min quote words and sourceless share of a lexicon.
type Setting = (f32, u32, u32, Option<f32>);

/// The setting with the best mean score over folds, with that mean and the fold scores.
fn best(
    settings: Vec<Setting>,
    cross_validate: impl Fn(Setting) -> Vec<f64>,
) -> Option<(f64, Setting, Vec<f64>)> {
    let mut best: Option<(f64, Setting, Vec<f64>)> = None;
    for setting in settings {
        let scores = cross_validate(setting);
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        if best.as_ref().is_none_or(|b| mean > b.0) {
            best = Some((mean, setting, scores));
        }
    }
    best
}

fn count<'a>(docs: impl Iterator<Item = &'a Doc>) -> Cues {
    let mut cues = Cues::default();
    for d in docs {
        cues.count(&d.text, &d.cues);
    }
    cues
}

/// Micro-averaged counts over documents.
#[derive(Default)]
struct Tally {
    gold: usize,
    predicted: usize,
    right: usize,
}

impl Tally {
    fn f1(&self) -> f64 {
        if self.right == 0 {
            return 0.0;
        }
        let p = self.right as f64 / self.predicted as f64;
        let r = self.right as f64 / self.gold as f64;
        2.0 * p * r / (p + r)
    }
}

fn score(docs: &[&Doc], cues: &Cues) -> Tally {
    let mut tally = Tally::default();
    for d in docs {
        let predicted = attributions(&d.text, cues);
        tally.gold += d.gold.len();
        tally.predicted += predicted.len();
        tally.right += right(d, &predicted);
    }
    tally
}

/// Attributions whose content matches a gold one (one-to-one, best Dice first) and whose
/// source is right.
fn right(d: &Doc, predicted: &[Attribution]) -> usize {
    let words = |s: &Span| -> HashSet<usize> { words_in(&d.words, &[(s.start, s.end)]) };
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let contents: Vec<HashSet<usize>> = predicted.iter().map(|p| words(&p.content)).collect();
    for (g, gold) in d.gold.iter().enumerate() {
        for (p, content) in contents.iter().enumerate() {
            let dice = dice(&gold.content, content);
            if dice >= 0.5 {
                pairs.push((dice, g, p));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_p) = (HashSet::new(), HashSet::new());
    let mut n = 0;
    for (_, g, p) in pairs {
        if used_g.contains(&g) || used_p.contains(&p) {
            continue;
        }
        used_g.insert(g);
        used_p.insert(p);
        let source = predicted[p].source.as_ref().map(words);
        n += usize::from(same_source(d.gold[g].source.as_ref(), source.as_ref()));
    }
    n
}

pub(crate) fn same_source(
    gold: Option<&HashSet<usize>>,
    predicted: Option<&HashSet<usize>>,
) -> bool {
    match (gold, predicted) {
        (None, None) => true,
        (Some(g), Some(p)) => {
            !g.is_empty()
                && !p.is_empty()
                && (dice(g, p) >= 0.5 || g.is_subset(p) || p.is_subset(g))
        }
        _ => false,
    }
}

pub(crate) fn dice(a: &HashSet<usize>, b: &HashSet<usize>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// The indices of the words overlapping any of the character ranges.
pub(crate) fn words_in(words: &[(usize, usize)], ranges: &[(usize, usize)]) -> HashSet<usize> {
    words
        .iter()
        .enumerate()
        .filter(|(_, &(a, b))| ranges.iter().any(|&(s, e)| a < e && s < b))
        .map(|(i, _)| i)
        .collect()
}

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{M}\p{N}_]+").expect("valid word pattern"));

/// Character ranges of the words of `text` (runs of letters, digits and `_`, as Python's `\w+`).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut chars = 0;
    let mut last = 0;
    WORD.find_iter(text)
        .map(|m| {
            chars += text[last..m.start()].chars().count();
            let start = chars;
            chars += m.as_str().chars().count();
            last = m.end();
            (start, chars)
        })
        .collect()
}

/// The `train` documents of a PolNeAR JSON Lines file (gzip or plain).
pub(crate) fn read(path: &std::path::Path) -> Result<Vec<Doc>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut docs = Vec::new();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.with_context(|| format!("{}: reading line {}", path.display(), n + 1))?;
        let v: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {} is not JSON", path.display(), n + 1))?;
        if v["split"] != "train" {
            continue;
        }
        docs.push(doc(&v).with_context(|| format!("{}: line {}", path.display(), n + 1))?);
    }
    Ok(docs)
}

fn doc(v: &Value) -> Result<Doc> {
    let text = v["text"].as_str().context("no text")?.to_string();
    let words = words(&text);
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let pieces = |role: &Value| -> Result<Vec<(usize, usize)>> {
        role["spans"]
            .as_array()
            .context("a role without spans")?
            .iter()
            .map(|s| {
                let a = s[0].as_u64().context("bad span")? as usize;
                let b = s[1].as_u64().context("bad span")? as usize;
                if a > b || b >= bytes.len() {
                    bail!("span {a}..{b} off the text");
                }
                Ok((a, b))
            })
            .collect()
    };
    let mut cues = Vec::new();
    let mut gold = Vec::new();
    for a in v["attributions"].as_array().context("no attributions")? {
        if !a["cue"].is_null() {
            cues.extend(
                pieces(&a["cue"])?
                    .into_iter()
                    .map(|(s, e)| (bytes[s], bytes[e], a["source"].is_null())),
            );
        }
        let source = if a["source"].is_null() {
            None
        } else {
            Some(words_in(&words, &pieces(&a["source"])?))
        };
        gold.push(Gold {
            content: words_in(&words, &pieces(&a["content"])?),
            source,
        });
    }
    Ok(Doc {
        text,
        cues,
        gold,
        words,
    })
}
