//! In-process timing of `dossier summarize --one-story` for bench/duc2004 (see its README):
//! each INPUT file is one story, summarised in this one process, and timed from reading the
//! file to the rendered JSON. The process first summarises the first INPUT once untimed, which
//! pays its one-time set-up (the segmenter's and cleaner's regular expressions, the stemmer,
//! the thread pool), as the bench's in-process sumy timing leaves out Python's imports and
//! tokenizer set-up. Same allocator and options as the `dossier` binary.
//!
//!     cargo build --release -p dossier-cli --example summarize_timing
//!     target/release/examples/summarize_timing [--words N] CLUSTER.jsonl...
//!
//! Prints one JSON line per INPUT: {"input", "ms", "output"}, where "output" is what
//! `dossier summarize INPUT --one-story --words N --format json` prints.

use dossier::ingest::Input;
use dossier::pipeline::{self, Options, Silent};
use dossier::render::summary::{render, Format};
use dossier::summarise::SummaryOptions;
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut words = 100;
    if let Some(at) = args.iter().position(|a| a == "--words") {
        words = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .expect("--words takes a number");
        args.drain(at..at + 2);
    }
    if args.is_empty() {
        eprintln!("usage: summarize_timing [--words N] CLUSTER.jsonl...");
        std::process::exit(2);
    }
    // As `dossier summarize --one-story` sets them: no models, summaries only.
    let options = Options {
        one_story: true,
        summary_only: true,
        summary: SummaryOptions::words(words),
        ..Options::default()
    };
    let summarize = |path: &str| {
        let outcome = pipeline::run(&[Input::parse(path)], &options, &Silent);
        for skipped in &outcome.skipped {
            eprintln!("warning: skipped {}: {}", skipped.input, skipped.reason);
        }
        render(&outcome.dossier, Format::Json)
    };
    summarize(&args[0]);
    for path in &args {
        let started = Instant::now();
        let output = summarize(path);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!(
            "{}",
            serde_json::json!({ "input": path, "ms": ms, "output": output })
        );
    }
}
