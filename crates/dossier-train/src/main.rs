//! `dossier-train ner`: trains the NER head over the frozen MiniLM encoder on CoNLL-2003 and
//! writes the small file dossier ships (`crates/dossier/models/ner-head.safetensors`).
//! The encoder's word states are computed once per data set (and cached when asked: they take
//! minutes on two cores); the head then trains in well under a minute per epoch. The last epoch
//! is written: the development file is scored after each epoch to watch the run, never to pick
//! the model, so its score stays a fair estimate.

use anyhow::{bail, Context, Result};
use candle_core::{DType, Device, Tensor, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use clap::{Parser, Subcommand};
use dossier::embed::{default_models_dir, Encoder, ENCODER_DIR};
use dossier::ner::conll::{self, Sentence};
use dossier::ner::head::{window, Head, HeadConfig, TAGS};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod aliases;
mod events;
mod former;
mod nli;
mod quotes;
mod speakers;
mod stance;
mod stream;

#[derive(Parser)]
#[command(about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train the NER head on CoNLL-2003 files.
    ///
    /// Example (from the repository root, after scripts/fetch-models.sh):
    ///   cargo run --release -p dossier-train -- ner \
    ///     --train ../shared/data/conll2003/eng.train --dev ../shared/data/conll2003/eng.testa \
    ///     --out crates/dossier/models/ner-head.safetensors --cache /tmp/ner-cache
    Ner(NerArgs),
    /// Learn the weights of the feature-based NLI judge from RTE train and the training half
    /// of SNLI dev (the other half is kept for bench/nli).
    ///
    /// Example (from the repository root, after scripts/fetch-models.sh):
    ///   cargo run --release -p dossier-train -- nli --data ../shared/data/nli \
    ///     --out crates/dossier/models/nli-lr.json
    Nli(NliArgs),
    /// Learn the stream linker's weights (join a story or start one) from the UCI headline
    /// stream; `--folds` first prints a story-disjoint two-fold comparison with the gates.
    ///
    /// Example (from the repository root, after scripts/fetch-models.sh):
    ///   cargo run --release -p dossier-train -- stream \
    ///     --data ../shared/data/uci-headlines/dev.csv \
    ///     --out crates/dossier/models/stream-linker.json --folds
    Stream(StreamArgs),
    /// Learn the stance judge (agree / disagree / discuss / unrelated) from the FNC-1 training
    /// files; `--folds K` first prints K-fold cross-validation figures, folds split by body.
    ///
    /// Example (from the repository root, after scripts/fetch-models.sh):
    ///   cargo run --release -p dossier-train -- stance --data ../shared/data/fnc1 \
    ///     --out crates/dossier/models/stance.json --cache target/stance-cache --folds 5
    Stance(StanceArgs),
    /// Learn the cue lexicon of `dossier quotes` from PolNeAR's `train` documents, its
    /// threshold chosen by k-fold cross-validation within them (`dev` is never read).
    ///
    /// Example (from the repository root):
    ///   cargo run --release -p dossier-train -- quotes \
    ///     --data ../shared/data/polnear/dev.jsonl.gz --out crates/dossier/models/quote-cues.json
    Quotes(QuotesArgs),
    /// Learn how `dossier quotes` chooses the speaker of a direct quotation among candidates,
    /// from PolNeAR's `train` documents; k-fold cross-validation within them first prints the
    /// held-out speaker accuracy beside the rules' (`dev` is never read).
    ///
    /// Example (from the repository root):
    ///   cargo run --release -p dossier-train -- quote-speakers \
    ///     --data ../shared/data/polnear/dev.jsonl.gz --out crates/dossier/models/quote-speakers.json
    QuoteSpeakers(QuotesArgs),
    /// Learn the event model (are two reports of one event?) the story grouping uses, from
    /// ECB+ dev; `--half H` learns on one half of its topics and scores the other.
    ///
    /// Example (from the repository root):
    ///   cargo run --release -p dossier-train -- events \
    ///     --data ../shared/data/ecbplus/dev.jsonl --out crates/dossier/models/events-lr.json
    Events(events::EventsArgs),
    /// Learn the story former's join and merge decisions from ECB+, DUC 2004 and the UCI
    /// headlines together; `--half H` learns on one half of each and scores the other.
    ///
    /// Example (from the repository root):
    ///   cargo run --release -p dossier-train -- former --ecb ../shared/data/ecbplus/dev.jsonl \
    ///     --duc ../shared/data/duc2004/dev.jsonl --uci ../shared/data/uci-headlines/dev.csv \
    ///     --out crates/dossier/models/former.json
    Former(former::FormerArgs),
    /// Learn the alias merge that follows the entity rules from the pair lines of
    /// bench/aliases over ECB+ dev; `--folds K` first prints the held-out figures by topic fold.
    ///
    /// Example (from the repository root, after scripts/fetch-models.sh):
    ///   ALIASES_MODELS=none ALIASES_PAIRS=/tmp/alias-pairs.jsonl cargo run --release \
    ///     -p dossier --example aliases_bench -- ../shared/data/ecbplus/dev.jsonl
    ///   cargo run --release -p dossier-train -- aliases --pairs /tmp/alias-pairs.jsonl \
    ///     --out crates/dossier/models/aliases-lr.json --folds 11 --fold-dir /tmp/alias-folds
    Aliases(aliases::AliasesArgs),
}

#[derive(Parser)]
struct QuotesArgs {
    /// PolNeAR JSON Lines (gzip or plain) with a `split` field; only `train` lines are read.
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Folds of the training documents for choosing the settings.
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Split {
    Body,
    Topic,
}

#[derive(Parser)]
struct StanceArgs {
    /// Folder with `train_bodies.jsonl` and `train_stances.jsonl`.
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Folder to keep the encoder's vectors of every body sentence and headline in.
    #[arg(long)]
    cache: PathBuf,
    /// Cross-validate first with this many body-disjoint folds (0: learn only).
    #[arg(long, default_value_t = 0)]
    folds: usize,
    /// What the folds keep apart: bodies (FNC-1's own hold-out), or topics (bodies and
    /// headlines joined by related pairs: no claim is seen either, as on the competition test).
    #[arg(long, value_enum, default_value_t = Split::Body)]
    split: Split,
    /// Write the cross-validated prediction of every pair here (`{"id", "stance"}` lines, `id`
    /// the pair's row number), for an outside scorer.
    #[arg(long)]
    predictions: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    epochs: usize,
    #[arg(long, default_value_t = 128)]
    batch: usize,
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    #[arg(long, default_value_t = 1e-2)]
    weight_decay: f64,
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// Folder holding the encoder (default: $DOSSIER_MODELS or the repository's models/).
    #[arg(long)]
    models: Option<PathBuf>,
    /// The encoder's engine and precision: onnx-f32, onnx-int8, f32 or int8 (to measure what
    /// each costs; give each its own --cache).
    #[arg(long, default_value = "onnx-f32")]
    precision: dossier::embed::Precision,
}

#[derive(Parser)]
struct StreamArgs {
    /// The UCI News Aggregator CSV (with `STORY` as gold).
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// L2 penalty on the weights (not the bias).
    #[arg(long, default_value_t = 1e-3)]
    l2: f64,
    /// Before learning on the whole file, learn on each story-disjoint half and score the other.
    #[arg(long, conflicts_with = "half")]
    folds: bool,
    /// Rounds of learning again on the stories the clusterer itself builds with the last
    /// weights (fragments and all), added to the gold-placed examples.
    #[arg(long, default_value_t = 2)]
    rounds: usize,
    /// Learn on one story-disjoint half of the file only (0 or 1), to score the other.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..2))]
    half: Option<u64>,
    /// Folder holding the encoder (default: $DOSSIER_MODELS or the repository's models/).
    #[arg(long)]
    models: Option<PathBuf>,
}

#[derive(Parser)]
struct NliArgs {
    /// Folder with `rte/train.tsv` and `snli/dev.jsonl`.
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 3000)]
    steps: usize,
    #[arg(long, default_value_t = 0.5)]
    lr: f32,
    /// L2 penalty on the weights (not the biases).
    #[arg(long, default_value_t = 1e-3)]
    l2: f32,
    /// Folder holding the encoder (default: $DOSSIER_MODELS or the repository's models/).
    #[arg(long)]
    models: Option<PathBuf>,
}

#[derive(Parser)]
struct NerArgs {
    #[arg(long)]
    train: PathBuf,
    /// Scored after each epoch, to watch the run (the last epoch is written).
    #[arg(long)]
    dev: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// Encoder states read per word (0 = embeddings, 1-6 = layers).
    #[arg(long, value_delimiter = ',', default_value = "4,5,6")]
    layers: Vec<usize>,
    /// Neighbouring words on each side that a word's tag sees.
    #[arg(long, default_value_t = 2)]
    context: usize,
    #[arg(long, default_value_t = 256)]
    hidden: usize,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    #[arg(long, default_value_t = 256)]
    batch: usize,
    #[arg(long, default_value_t = 2e-3)]
    lr: f64,
    #[arg(long, default_value_t = 0.3)]
    dropout: f32,
    /// Folder to keep the encoder's word states in between runs.
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Folder holding the encoder (default: $DOSSIER_MODELS or the repository's models/).
    #[arg(long)]
    models: Option<PathBuf>,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Ner(args) => train_ner(&args),
        Command::Nli(args) => nli::train(&args),
        Command::Stream(args) => stream::train(&args),
        Command::Quotes(args) => quotes::train(&args),
        Command::QuoteSpeakers(args) => speakers::train(&args),
        Command::Stance(args) => stance::train(&args),
        Command::Events(args) => events::train(&args),
        Command::Former(args) => former::train(&args),
        Command::Aliases(args) => aliases::train(&args),
    }
}

/// All words of a data set as one matrix, with each sentence's first row and each word's gold
/// tag.
struct Table {
    rows: Tensor,
    starts: Vec<usize>,
    tags: Vec<u32>,
    sentences: Vec<Sentence>,
}

fn train_ner(args: &NerArgs) -> Result<()> {
    let models = args.models.clone().unwrap_or_else(default_models_dir);
    let encoder = Encoder::load(&models.join(ENCODER_DIR))?;
    let config = HeadConfig {
        layers: args.layers.clone(),
        context: args.context,
        hidden: args.hidden,
        encoder_width: encoder.hidden_size(),
    };
    let train = table(&encoder, &config, &args.train, args.cache.as_deref())?;
    let dev = table(&encoder, &config, &args.dev, args.cache.as_deref())?;
    let dev_rows: Vec<Tensor> = dev_sentences(&dev)?;

    let device = Device::Cpu;
    let varmap = VarMap::new();
    let head = Head::new(
        config.clone(),
        VarBuilder::from_varmap(&varmap, DType::F32, &device),
    )?;
    let mut optimiser = AdamW::new(
        varmap.all_vars(),
        ParamsAdamW {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let n = train.tags.len();
    let mut order: Vec<u32> = (0..train.sentences.len() as u32).collect();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    for epoch in 1..=args.epochs {
        let started = Instant::now();
        shuffle(&mut order, &mut rng);
        // Linear decay to a tenth of the starting rate over the run.
        let progress = (epoch - 1) as f64 / args.epochs as f64;
        optimiser.set_learning_rate(args.lr * (1.0 - 0.9 * progress));
        let mut total = 0.0;
        for batch in batches(&train, &order, args.batch) {
            let mut index = Vec::new();
            let mut local = Vec::with_capacity(batch.len());
            for &s in &batch {
                let (first, len) = (train.starts[s], train.sentences[s].words.len());
                local.push((index.len(), len));
                index.extend(first as u32..(first + len) as u32);
            }
            let rows = train
                .rows
                .index_select(&Tensor::new(index.as_slice(), &device)?, 0)?;
            let window = window(&local, args.context, &device)?;
            let target: Vec<u32> = index.iter().map(|&i| train.tags[i as usize]).collect();
            let target = Tensor::new(target.as_slice(), &device)?;
            let logits = head.logits(&rows, &window, args.dropout)?;
            let loss = candle_nn::loss::cross_entropy(&logits, &target)?;
            optimiser.backward_step(&loss)?;
            total += loss.to_scalar::<f32>()? as f64 * index.len() as f64;
        }
        let predicted = dev_rows
            .iter()
            .map(|rows| head.tag(rows))
            .collect::<candle_core::Result<Vec<_>>>()?;
        let score = conll::score(&dev.sentences, &predicted);
        eprintln!(
            "epoch {epoch:2}: loss {:.4}  dev P {:.4} R {:.4} F1 {:.4}  ({:.0} s)",
            total / n as f64,
            score.precision,
            score.recall,
            score.f1,
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let weights: HashMap<String, Tensor> = varmap
        .data()
        .lock()
        .expect("no other thread holds the varmap")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_tensor().clone()))
        .collect();
    Head::save(&config, &weights, &args.out)?;
    eprintln!("head written to {}", args.out.display());
    Ok(())
}

/// Each development sentence's input rows, for tagging it the way `dossier` does.
fn dev_sentences(t: &Table) -> Result<Vec<Tensor>> {
    let mut out = Vec::with_capacity(t.sentences.len());
    let mut start = 0;
    for s in &t.sentences {
        out.push(t.rows.narrow(0, start, s.words.len())?);
        start += s.words.len();
    }
    Ok(out)
}

/// Sentences (indices into the table) in the given order, grouped into batches of about
/// `words` words.
fn batches(t: &Table, order: &[u32], words: usize) -> Vec<Vec<usize>> {
    let mut out = vec![];
    let mut current = vec![];
    let mut size = 0;
    for &s in order {
        current.push(s as usize);
        size += t.sentences[s as usize].words.len();
        if size >= words {
            out.push(std::mem::take(&mut current));
            size = 0;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn table(
    encoder: &Encoder,
    config: &HeadConfig,
    file: &Path,
    cache: Option<&Path>,
) -> Result<Table> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let sentences = conll::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if sentences.is_empty() {
        bail!("{}: no sentences", file.display());
    }
    let mut tags = Vec::new();
    let mut starts = Vec::new();
    for s in &sentences {
        starts.push(tags.len());
        for gold in s.gold_bio() {
            let tag = TAGS
                .iter()
                .position(|t| *t == gold)
                .with_context(|| format!("{}: unknown tag {gold}", file.display()))?;
            tags.push(tag as u32);
        }
    }
    let layers: Vec<String> = config.layers.iter().map(|l| l.to_string()).collect();
    let cached = cache.map(|dir| {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        dir.join(format!("{name}.layers-{}.safetensors", layers.join("-")))
    });
    let device = Device::Cpu;
    let rows = match cached.as_ref().filter(|p| p.exists()) {
        Some(path) => {
            eprintln!("{}: word states from {}", file.display(), path.display());
            candle_core::safetensors::load(path, &device)?
                .remove("rows")
                .context("cache file lacks rows")?
        }
        None => {
            let started = Instant::now();
            let mut parts = Vec::new();
            for (k, chunk) in sentences.chunks(512).enumerate() {
                let words: Vec<Vec<&str>> = chunk
                    .iter()
                    .map(|s| s.words.iter().map(String::as_str).collect())
                    .collect();
                parts.extend(dossier::ner::features(
                    &dossier::embed::Cache::new(encoder),
                    config,
                    &words,
                )?);
                eprint!(
                    "\r{}: encoded {} of {} sentences",
                    file.display(),
                    (k * 512 + chunk.len()),
                    sentences.len()
                );
            }
            eprintln!(" ({:.0} s)", started.elapsed().as_secs_f64());
            let rows = Tensor::cat(&parts, 0)?;
            if let Some(path) = &cached {
                std::fs::create_dir_all(path.parent().expect("cache file has a folder"))?;
                candle_core::safetensors::save(
                    &HashMap::from([("rows".to_string(), rows.clone())]),
                    path,
                )?;
            }
            rows
        }
    };
    if rows.dim(0)? != tags.len() || rows.dim(D::Minus1)? != config.input_width() {
        bail!(
            "{}: cached word states do not match the data; delete the cache",
            file.display()
        );
    }
    Ok(Table {
        rows,
        starts,
        tags,
        sentences,
    })
}

/// Fisher-Yates with a fixed xorshift generator: the same order on every run.
fn shuffle(v: &mut [u32], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        v.swap(i, (*state % (i as u64 + 1)) as usize);
    }
}
