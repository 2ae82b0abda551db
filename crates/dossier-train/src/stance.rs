//! `dossier-train stance`: learns the two stages of the stance judge from the FNC-1 training
//! files and, with `--folds K`, first measures them by K-fold cross-validation with folds split
//! by body (no body is both learnt from and scored) or, with `--split topic`, by topic (no claim
//! either). Inside each training part, the stance stage's shape (logistic regression or one
//! hidden layer) and how strongly rare classes are weighted are chosen by an inner two-fold
//! split of that part, so the scored fold never picks a constant.
//!
//! Every distinct body sentence and headline is encoded once and kept in `--cache`, so that
//! training again does not re-encode (about 35,000 texts: minutes on two cores).

use crate::{Split, StanceArgs};
use anyhow::{bail, Context, Result};
use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Linear, Module, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use dossier::embed::{default_models_dir, Encoder, ENCODER_DIR};
use dossier::stance::data::{read_bodies, read_pairs, PairRow};
use dossier::stance::net::Layer;
use dossier::stance::{
    body_sentences, Claim, FeatureJudge, Features, Idf, Net, Report, Stance, Weights, HAND_FEATURES,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

/// The stance stage's candidate shapes and class-weight powers, chosen per training part.
const HIDDEN: [usize; 2] = [0, 32];
const POWERS: [f32; 2] = [0.5, 1.0];
/// The relatedness stage: one hidden layer, classes unweighted (fixed before any measurement).
const RELATED_HIDDEN: usize = 32;

pub fn train(args: &StanceArgs) -> Result<()> {
    let read = |name: &str| {
        let path = args.data.join(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok::<_, anyhow::Error>((path, text))
    };
    let (path, text) = read("train_bodies.jsonl")?;
    let bodies = read_bodies(&text).with_context(|| path.display().to_string())?;
    let (path, text) = read("train_stances.jsonl")?;
    let pairs = read_pairs(&text).with_context(|| path.display().to_string())?;
    if pairs.iter().any(|p| p.stance.is_none()) {
        bail!("{}: every pair needs a gold stance", path.display());
    }
    let set = DataSet::load(&bodies, &pairs, args)?;
    if args.folds > 1 {
        cross_validate(&set, args)?;
    }
    let all: Vec<usize> = (0..set.pairs.len()).collect();
    let (weights, choice) = fit_both(&set, &all, args)?;
    let weights = Weights {
        trained_on: format!(
            "dossier-train stance: FNC-1 train_bodies.jsonl and train_stances.jsonl ({} pairs, {} bodies); {choice}, chosen on two {}-disjoint halves; seed {}",
            set.pairs.len(),
            bodies.len(),
            format!("{:?}", args.split).to_lowercase(),
            args.seed
        ),
        ..weights
    };
    FeatureJudge::new(weights.clone()).map_err(anyhow::Error::msg)?;
    std::fs::write(&args.out, serde_json::to_string(&weights)? + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// The prepared reports and claims, and each pair as indices into them.
struct DataSet {
    reports: Vec<Report>,
    claims: Vec<Claim>,
    /// (claim, report, gold, body id)
    pairs: Vec<(usize, usize, Stance, u64)>,
}

impl DataSet {
    fn load(
        bodies: &[dossier::stance::data::Body],
        rows: &[PairRow],
        args: &StanceArgs,
    ) -> Result<DataSet> {
        let sentences: Vec<Vec<String>> = bodies.iter().map(|b| body_sentences(&b.body)).collect();
        let mut headlines: Vec<&str> = rows.iter().map(|p| p.headline.as_str()).collect();
        headlines.sort_unstable();
        headlines.dedup();
        let mut texts: Vec<&str> = sentences.iter().flatten().map(String::as_str).collect();
        texts.extend(&headlines);
        let vectors = cached_vectors(&texts, args)?;
        let reports = sentences
            .iter()
            .map(|s| {
                let texts: Vec<&str> = s.iter().map(String::as_str).collect();
                Report::new(&texts, texts.iter().map(|t| vectors[*t].clone()).collect())
            })
            .collect();
        let claims = headlines
            .iter()
            .map(|h| Claim::new(h, vectors[*h].clone()))
            .collect();
        let report_of: HashMap<u64, usize> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| (b.body_id, i))
            .collect();
        let claim_of: HashMap<&str, usize> =
            headlines.iter().enumerate().map(|(i, h)| (*h, i)).collect();
        let pairs = rows
            .iter()
            .map(|p| {
                let report = *report_of
                    .get(&p.body_id)
                    .with_context(|| format!("pair {}: no body {}", p.id, p.body_id))?;
                let gold = p.stance.expect("checked at load");
                Ok((claim_of[p.headline.as_str()], report, gold, p.body_id))
            })
            .collect::<Result<_>>()?;
        Ok(DataSet {
            reports,
            claims,
            pairs,
        })
    }

    /// Feature rows of the given pairs, with an idf table.
    fn rows(&self, pairs: &[usize], idf: &Idf) -> Vec<Features> {
        pairs
            .iter()
            .map(|&i| {
                let (c, r, _, _) = self.pairs[i];
                Features::of(&self.claims[c], &self.reports[r], idf)
            })
            .collect()
    }

    /// The idf table of the bodies of the given pairs.
    fn idf(&self, pairs: &[usize]) -> Idf {
        let mut seen: Vec<usize> = pairs.iter().map(|&i| self.pairs[i].1).collect();
        seen.sort_unstable();
        seen.dedup();
        Idf::learn(seen.iter().map(|&r| &self.reports[r]))
    }

    /// `k` (training, scored) splits of the given pairs. By body: each body's pairs are scored
    /// in one split and learnt from in the others. By topic: bodies and headlines joined by a
    /// related pair form one topic, each topic is scored in one split, and a pair is learnt
    /// from only where neither its body's nor its headline's topic is scored (the competition
    /// test set has new claims as well as new bodies); an unrelated pair across two topics in
    /// different splits is left out.
    fn splits(
        &self,
        pairs: &[usize],
        k: usize,
        seed: u64,
        by: Split,
    ) -> Vec<(Vec<usize>, Vec<usize>)> {
        let topics = match by {
            Split::Body => None,
            Split::Topic => Some(self.topics()),
        };
        // Each side's group: the body itself, or the topic of the body and of the headline.
        let groups = |i: usize| {
            let (c, r, _, _) = self.pairs[i];
            match &topics {
                None => (r, r),
                Some(t) => (t[r], t[self.reports.len() + c]),
            }
        };
        let mut ids: Vec<usize> = pairs
            .iter()
            .flat_map(|&i| {
                let (a, b) = groups(i);
                [a, b]
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut state = seed | 1;
        shuffle(&mut ids, &mut state);
        let fold: HashMap<usize, usize> =
            ids.iter().enumerate().map(|(n, id)| (*id, n % k)).collect();
        (0..k)
            .map(|f| {
                let (mut train, mut test) = (Vec::new(), Vec::new());
                for &i in pairs {
                    let (a, b) = groups(i);
                    match (fold[&a] == f, fold[&b] == f) {
                        (true, true) => test.push(i),
                        (false, false) => train.push(i),
                        _ => {}
                    }
                }
                (train, test)
            })
            .collect()
    }

    /// Connected parts of the graph of bodies and headlines with an edge per related pair:
    /// entry `r` for report `r`, entry `reports + c` for claim `c`.
    fn topics(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.reports.len() + self.claims.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &(c, r, gold, _) in &self.pairs {
            if gold != Stance::Unrelated {
                let (a, b) = (
                    root(&mut parent, r),
                    root(&mut parent, self.reports.len() + c),
                );
                parent[a] = b;
            }
        }
        (0..parent.len()).map(|x| root(&mut parent, x)).collect()
    }
}

/// Vectors of all texts, from the cache where it has them; the rest are encoded in chunks,
/// and the cache is written after each chunk so that an interrupted run keeps its work.
fn cached_vectors<'a>(texts: &[&'a str], args: &StanceArgs) -> Result<HashMap<&'a str, Vec<f32>>> {
    let mut cache = read_cache(&args.cache)?;
    let mut missing: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| !cache.contains_key(*t))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        let models = args.models.clone().unwrap_or_else(default_models_dir);
        let encoder = Encoder::load_with(&models.join(ENCODER_DIR), args.precision)?;
        std::fs::create_dir_all(&args.cache)?;
        let started = Instant::now();
        for (k, chunk) in missing.chunks(2000).enumerate() {
            for (t, v) in chunk.iter().zip(encoder.embed(chunk)?) {
                cache.insert(t.to_string(), v);
            }
            write_cache(&args.cache, &cache)?;
            eprintln!(
                "encoded {} of {} texts ({:.0} s)",
                k * 2000 + chunk.len(),
                missing.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(texts.iter().map(|t| (*t, cache[*t].clone())).collect())
}

const CACHE_TEXTS: &str = "fnc1-texts.json";
const CACHE_VECTORS: &str = "fnc1-vectors.safetensors";

/// The cache: the texts as a JSON list, their vectors as one matrix in the same order.
fn read_cache(dir: &Path) -> Result<HashMap<String, Vec<f32>>> {
    let Ok(texts) = std::fs::read_to_string(dir.join(CACHE_TEXTS)) else {
        return Ok(HashMap::new());
    };
    let damaged = || {
        format!(
            "the vector cache in {} is damaged; delete it",
            dir.display()
        )
    };
    let texts: Vec<String> = serde_json::from_str(&texts).with_context(damaged)?;
    let vectors = candle_core::safetensors::load(dir.join(CACHE_VECTORS), &Device::Cpu)
        .with_context(damaged)?
        .remove("vectors")
        .with_context(damaged)?
        .to_vec2::<f32>()?;
    if vectors.len() != texts.len() {
        bail!(damaged());
    }
    Ok(texts.into_iter().zip(vectors).collect())
}

fn write_cache(dir: &Path, cache: &HashMap<String, Vec<f32>>) -> Result<()> {
    let texts: Vec<&String> = cache.keys().collect();
    let width = cache.values().next().map_or(0, Vec::len);
    let flat: Vec<f32> = texts
        .iter()
        .flat_map(|t| cache[*t].iter().copied())
        .collect();
    let matrix = Tensor::from_vec(flat, (texts.len(), width), &Device::Cpu)?;
    candle_core::safetensors::save(
        &HashMap::from([("vectors".to_string(), matrix)]),
        dir.join(CACHE_VECTORS),
    )?;
    std::fs::write(dir.join(CACHE_TEXTS), serde_json::to_vec(&texts)?)?;
    Ok(())
}

/// Learns both stages on the given pairs; says which stance-stage shape was chosen.
fn fit_both(set: &DataSet, pairs: &[usize], args: &StanceArgs) -> Result<(Weights, String)> {
    let (hidden, power) = choose(set, pairs, args)?;
    let idf = set.idf(pairs);
    let rows = set.rows(pairs, &idf);
    let gold: Vec<Stance> = pairs.iter().map(|&i| set.pairs[i].2).collect();
    let (related, stance) = fit_stages(&rows, &gold, hidden, power, args)?;
    Ok((
        Weights {
            features: HAND_FEATURES.iter().map(|s| s.to_string()).collect(),
            idf,
            related,
            stance,
            trained_on: String::new(),
        },
        format!("stance stage: {hidden} hidden units, class weights (1/frequency)^{power}"),
    ))
}

fn fit_stages(
    rows: &[Features],
    gold: &[Stance],
    hidden: usize,
    power: f32,
    args: &StanceArgs,
) -> Result<(Net, Net)> {
    let x: Vec<&[f32]> = rows.iter().map(|f| f.values.as_slice()).collect();
    let related_y: Vec<u32> = gold
        .iter()
        .map(|&s| u32::from(s == Stance::Unrelated))
        .collect();
    let related = fit(&x, &related_y, 2, RELATED_HIDDEN, 0.0, args)?;
    let (x3, y3): (Vec<&[f32]>, Vec<u32>) = x
        .iter()
        .zip(gold)
        .filter_map(|(x, s)| {
            Stance::RELATED
                .iter()
                .position(|k| k == s)
                .map(|k| (*x, k as u32))
        })
        .unzip();
    let stance = fit(&x3, &y3, 3, hidden, power, args)?;
    Ok((related, stance))
}

/// The stance stage's shape and class-weight power with the best macro-F1 over the related
/// pairs of an inner two-fold split of the training bodies.
fn choose(set: &DataSet, pairs: &[usize], args: &StanceArgs) -> Result<(usize, f32)> {
    let inner = set.splits(pairs, 2, args.seed ^ 0x5bd1_e995, args.split);
    let mut best = (f64::MIN, HIDDEN[0], POWERS[0]);
    for hidden in HIDDEN {
        for power in POWERS {
            let mut score = 0.0;
            for (train, test) in &inner {
                let related = |p: &&usize| set.pairs[**p].2 != Stance::Unrelated;
                let train: Vec<usize> = train.iter().filter(related).copied().collect();
                let test: Vec<usize> = test.iter().filter(related).copied().collect();
                let idf = set.idf(&train);
                let (x, y) = stance_rows(set, &train, &idf);
                let net = fit(&as_slices(&x), &y, 3, hidden, power, args)?;
                let (tx, ty) = stance_rows(set, &test, &idf);
                let predicted: Vec<u32> = tx
                    .iter()
                    .map(|r| argmax(&net.probabilities(r)) as u32)
                    .collect();
                score += macro_f1(&ty, &predicted, 3) / 2.0;
            }
            eprintln!("  inner choice: {hidden} hidden, power {power}: stance macro-F1 {score:.4}");
            if score > best.0 {
                best = (score, hidden, power);
            }
        }
    }
    Ok((best.1, best.2))
}

fn stance_rows(set: &DataSet, pairs: &[usize], idf: &Idf) -> (Vec<Vec<f32>>, Vec<u32>) {
    let x = set.rows(pairs, idf).into_iter().map(|f| f.values).collect();
    let y = pairs
        .iter()
        .map(|&i| {
            Stance::RELATED
                .iter()
                .position(|k| *k == set.pairs[i].2)
                .expect("related") as u32
        })
        .collect();
    (x, y)
}

fn as_slices(x: &[Vec<f32>]) -> Vec<&[f32]> {
    x.iter().map(Vec::as_slice).collect()
}

fn argmax(p: &[f32]) -> usize {
    (0..p.len())
        .max_by(|&a, &b| p[a].total_cmp(&p[b]))
        .expect("classes")
}

/// Mean F1 over classes.
fn macro_f1(gold: &[u32], predicted: &[u32], classes: usize) -> f64 {
    (0..classes as u32)
        .map(|c| f1(gold, predicted, c))
        .sum::<f64>()
        / classes as f64
}

fn f1(gold: &[u32], predicted: &[u32], class: u32) -> f64 {
    let tp = gold
        .iter()
        .zip(predicted)
        .filter(|(g, p)| **g == class && **p == class)
        .count() as f64;
    let gold_n = gold.iter().filter(|g| **g == class).count() as f64;
    let predicted_n = predicted.iter().filter(|p| **p == class).count() as f64;
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (gold_n + predicted_n)
    }
}

/// Learns a classifier by mini-batch AdamW on the weighted cross-entropy, each class weighted
/// by `(1 / its frequency)^power` (0: unweighted), scaled so the weights average 1 per row.
fn fit(
    x: &[&[f32]],
    y: &[u32],
    classes: usize,
    hidden: usize,
    power: f32,
    args: &StanceArgs,
) -> Result<Net> {
    let (n, d) = (x.len(), x[0].len());
    let (mean, scale) = standardisation(x);
    let flat: Vec<f32> = x
        .iter()
        .flat_map(|r| {
            r.iter()
                .zip(mean.iter().zip(&scale))
                .map(|(v, (m, s))| (v - m) / s)
        })
        .collect();
    let device = Device::Cpu;
    let xs = Tensor::from_vec(flat, (n, d), &device)?;
    let ys = Tensor::new(y, &device)?;
    let mut counts = vec![0f32; classes];
    y.iter().for_each(|&c| counts[c as usize] += 1.0);
    let raw: Vec<f32> = counts
        .iter()
        .map(|&c| (n as f32 / c.max(1.0)).powf(power))
        .collect();
    let norm = y.iter().map(|&c| raw[c as usize]).sum::<f32>() / n as f32;
    let row_weights: Vec<f32> = y.iter().map(|&c| raw[c as usize] / norm).collect();
    let ws = Tensor::new(row_weights.as_slice(), &device)?;

    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
    let layers: Vec<Linear> = if hidden == 0 {
        vec![candle_nn::linear(d, classes, vb.pp("out"))?]
    } else {
        vec![
            candle_nn::linear(d, hidden, vb.pp("hidden"))?,
            candle_nn::linear(hidden, classes, vb.pp("out"))?,
        ]
    };
    seeded_init(&varmap, args.seed)?;
    let forward = |x: &Tensor| -> candle_core::Result<Tensor> {
        let mut h = x.clone();
        for (i, l) in layers.iter().enumerate() {
            h = l.forward(&h)?;
            if i + 1 < layers.len() {
                h = h.relu()?;
            }
        }
        Ok(h)
    };
    let mut optimiser = candle_nn::AdamW::new(
        varmap.all_vars(),
        ParamsAdamW {
            lr: args.lr,
            weight_decay: args.weight_decay,
            ..Default::default()
        },
    )?;
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut state = args.seed | 1;
    for _ in 0..args.epochs {
        shuffle(&mut order, &mut state);
        for batch in order.chunks(args.batch) {
            let index = Tensor::new(batch, &device)?;
            let logits = forward(&xs.index_select(&index, 0)?)?;
            let logp = candle_nn::ops::log_softmax(&logits, D::Minus1)?;
            let target = ys.index_select(&index, 0)?.unsqueeze(1)?;
            let picked = logp.gather(&target, 1)?.squeeze(1)?;
            let w = ws.index_select(&index, 0)?;
            let loss = (picked * w)?
                .sum_all()?
                .neg()?
                .affine(1.0 / batch.len() as f64, 0.0)?;
            optimiser.backward_step(&loss)?;
        }
    }
    let layers = layers
        .iter()
        .map(|l| {
            Ok(Layer {
                weights: l.weight().to_vec2::<f32>()?,
                bias: l
                    .bias()
                    .expect("linear layers have a bias")
                    .to_vec1::<f32>()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Net {
        mean,
        scale,
        layers,
    })
}

/// Starting weights uniform in ±1/sqrt(inputs) from a fixed generator: candle cannot seed its
/// CPU generator, and two runs must write the same weights.
fn seeded_init(varmap: &VarMap, seed: u64) -> Result<()> {
    let vars = varmap
        .data()
        .lock()
        .expect("no other thread holds the varmap");
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    let mut state = seed | 1;
    for name in names {
        let var = &vars[name];
        let dims = var.dims().to_vec();
        let fan_in = if dims.len() == 2 {
            dims[1]
        } else {
            vars[&name.replace("bias", "weight")].dims()[1]
        };
        let bound = 1.0 / (fan_in as f32).sqrt();
        let values: Vec<f32> = (0..var.elem_count())
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bound * (2.0 * (state >> 40) as f32 / (1u64 << 24) as f32 - 1.0)
            })
            .collect();
        var.set(&Tensor::from_vec(values, dims, var.device())?)?;
    }
    Ok(())
}

fn standardisation(x: &[&[f32]]) -> (Vec<f32>, Vec<f32>) {
    let (n, d) = (x.len() as f32, x[0].len());
    let mut mean = vec![0f32; d];
    for r in x {
        mean.iter_mut().zip(*r).for_each(|(m, v)| *m += v / n);
    }
    let mut var = vec![0f32; d];
    for r in x {
        var.iter_mut()
            .zip(r.iter().zip(&mean))
            .for_each(|(s, (v, m))| *s += (v - m) * (v - m) / n);
    }
    // A feature that never varies is left unscaled rather than divided by zero.
    let scale = var
        .iter()
        .map(|v| if *v > 1e-12 { v.sqrt() } else { 1.0 })
        .collect();
    (mean, scale)
}

/// The per-fold figures of the cross-validation, then their mean and spread.
fn cross_validate(set: &DataSet, args: &StanceArgs) -> Result<()> {
    let all: Vec<usize> = (0..set.pairs.len()).collect();
    let folds = set.splits(&all, args.folds, args.seed, args.split);
    let mut table: Vec<Score> = Vec::new();
    let unrelated_share = set
        .pairs
        .iter()
        .filter(|p| p.2 == Stance::Unrelated)
        .count() as f64
        / set.pairs.len() as f64;
    let mut predictions = Vec::new();
    for (k, (train, test)) in folds.iter().enumerate() {
        let started = Instant::now();
        let (weights, choice) = fit_both(set, train, args)?;
        let learnt = started.elapsed().as_secs_f64();
        let judge = FeatureJudge::new(weights).map_err(anyhow::Error::msg)?;
        let started = Instant::now();
        let predicted: Vec<Stance> = test
            .iter()
            .map(|&i| {
                let (c, r, _, _) = set.pairs[i];
                judge
                    .decide(&Features::of(&set.claims[c], &set.reports[r], judge.idf()))
                    .stance
            })
            .collect();
        let seconds = started.elapsed().as_secs_f64();
        let gold: Vec<Stance> = test.iter().map(|&i| set.pairs[i].2).collect();
        let score = Score::of(
            &gold,
            &predicted,
            unrelated_share,
            test.len() as f64 / seconds,
        );
        eprintln!(
            "fold {}: learnt from {} pairs, scored on {}; {choice}; learnt in {learnt:.0} s",
            k + 1,
            train.len(),
            test.len()
        );
        println!("{}", score.row(&format!("fold {}", k + 1)));
        predictions.extend(test.iter().zip(&predicted).map(|(&i, s)| (i, *s)));
        table.push(score);
    }
    println!("{}", Score::summary(&table));
    if let Some(path) = &args.predictions {
        predictions.sort_unstable_by_key(|(i, _)| *i);
        let lines: String = predictions
            .iter()
            .map(|(i, s)| format!("{{\"id\": {i}, \"stance\": \"{}\"}}\n", s.as_str()))
            .collect();
        std::fs::write(path, lines).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The FNC-1 figures of one fold.
struct Score {
    fnc: f64,
    fnc_mix: f64,
    f1: [f64; 4],
    macro_f1: f64,
    pairs_per_s: f64,
}

impl Score {
    /// `unrelated_share` is the share of unrelated pairs in the whole data: a topic split
    /// scores fewer of them than FNC-1 has (an unrelated pair across topics in different folds
    /// is scored nowhere), so the score is also given with unrelated pairs weighted back to it.
    fn of(gold: &[Stance], predicted: &[Stance], unrelated_share: f64, pairs_per_s: f64) -> Score {
        let unrelated = gold.iter().filter(|s| **s == Stance::Unrelated).count() as f64;
        let share = unrelated / gold.len() as f64;
        let reweight = unrelated_share / (1.0 - unrelated_share) * (1.0 - share) / share;
        let fnc = |w: f64| {
            let (mut got, mut best) = (0.0, 0.0);
            for (g, p) in gold.iter().zip(predicted) {
                let related = |s: &Stance| *s != Stance::Unrelated;
                let weight = if related(g) { 1.0 } else { w };
                best += weight * if related(g) { 1.0 } else { 0.25 };
                if related(g) == related(p) {
                    got += weight * 0.25;
                }
                if related(g) && g == p {
                    got += 0.75;
                }
            }
            100.0 * got / best
        };
        let code = |s: &[Stance]| -> Vec<u32> {
            s.iter()
                .map(|k| Stance::ALL.iter().position(|a| a == k).expect("stance") as u32)
                .collect()
        };
        let (g, p) = (code(gold), code(predicted));
        let f1 = [0, 1, 2, 3].map(|c| f1(&g, &p, c));
        Score {
            fnc: fnc(1.0),
            fnc_mix: fnc(reweight),
            f1,
            macro_f1: f1.iter().sum::<f64>() / 4.0,
            pairs_per_s,
        }
    }

    fn row(&self, name: &str) -> String {
        format!(
            "{name:<8} FNC {:6.2} (at FNC-1's mix {:6.2})  macro-F1 {:.3}  F1 agree {:.3} disagree {:.3} discuss {:.3} unrelated {:.3}  {:.0} pairs/s",
            self.fnc, self.fnc_mix, self.macro_f1, self.f1[0], self.f1[1], self.f1[2], self.f1[3], self.pairs_per_s
        )
    }

    /// Mean ± standard deviation over folds, per column.
    fn summary(folds: &[Score]) -> String {
        let stat = |f: &dyn Fn(&Score) -> f64| {
            let v: Vec<f64> = folds.iter().map(f).collect();
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
            (m, sd)
        };
        let columns: BTreeMap<usize, (&str, (f64, f64))> = [
            ("FNC-1 score", stat(&|s| s.fnc)),
            ("FNC-1 score at FNC-1's mix", stat(&|s| s.fnc_mix)),
            ("macro-F1", stat(&|s| s.macro_f1)),
            ("F1 agree", stat(&|s| s.f1[0])),
            ("F1 disagree", stat(&|s| s.f1[1])),
            ("F1 discuss", stat(&|s| s.f1[2])),
            ("F1 unrelated", stat(&|s| s.f1[3])),
            ("pairs/s (features + model)", stat(&|s| s.pairs_per_s)),
        ]
        .into_iter()
        .enumerate()
        .collect();
        let mut out = format!("mean ± sd over {} folds:", folds.len());
        for (name, (m, sd)) in columns.values() {
            out.push_str(&format!("\n  {name:<28} {m:9.3} ± {sd:.3}"));
        }
        out
    }
}

/// Fisher-Yates with a fixed xorshift generator: the same order on every run.
fn shuffle<T>(v: &mut [T], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        v.swap(i, (*state % (i as u64 + 1)) as usize);
    }
}
