//! Replays a headline stream (the UCI News Aggregator CSV: ID,TITLE,URL,PUBLISHER,CATEGORY,
//! STORY,HOSTNAME,TIMESTAMP; read as [`dossier::stream::data`] says) through the incremental path
//! (a real store, small batches in TIMESTAMP order) and through the batch path, and scores both
//! against the STORY column. The incremental path embeds each headline with the sentence
//! encoder in `models/` unless `--no-encoder` is given. See bench/stream/README.md.
//!
//!     cargo run --release -p dossier --example stream_replay -- CSV [--batch N] [--window SECS|none]
//!         [--assign X] [--merge X] [--semantic-assign X] [--semantic-merge X] [--no-encoder]
//!         [--learnt | --linker PATH | --former PATH [--no-final-pass]] [--half 0|1] [--threshold X] [--dump PATH]
//!
//! Joins are decided by the fixed thresholds (the engine's default), or with `--learnt` by the
//! shipped linker, with `--linker PATH` by weights that `dossier-train stream` wrote. `--half`
//! replays one story-disjoint half of the file.
//!
//! `--dump PATH` writes the incremental assignment as CSV (ID, STORY, PREDICTED), to see which
//! gold stories were glued or split.

use dossier::pipeline::{self, Budget, Options, Silent};
use dossier::store::Store;
use dossier::stream::cluster::StreamOptions;
use dossier::stream::data::{half, read_uci, Headline, Scores};
use dossier::stream::link::Linker;
use dossier::stream::Engine;
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: stream_replay CSV [--batch N] [--window SECS|none] [--assign X] [--merge X] [--semantic-assign X] [--semantic-merge X] [--no-encoder] [--learnt | --linker PATH | --former PATH [--no-final-pass]] [--half 0|1] [--threshold X] [--dump PATH]");
        std::process::exit(2);
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let batch: usize = flag("--batch").map_or(1, |v| v.parse().expect("--batch N"));
    let mut stream = StreamOptions::default();
    if let Some(w) = flag("--window") {
        stream.window = (w != "none").then(|| w.parse().expect("--window SECS|none"));
    }
    if let Some(a) = flag("--assign") {
        stream.assign = a.parse().expect("--assign X");
    }
    if let Some(m) = flag("--merge") {
        stream.merge = m.parse().expect("--merge X");
    }
    if let Some(a) = flag("--semantic-assign") {
        stream.semantic_assign = a.parse().expect("--semantic-assign X");
    }
    if let Some(m) = flag("--semantic-merge") {
        stream.semantic_merge = m.parse().expect("--semantic-merge X");
    }
    if args.iter().any(|a| a == "--learnt") {
        stream.linker = Some(Linker::shipped());
    }
    if let Some(path) = flag("--linker") {
        let json = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
        let linker = Linker::from_json(&json).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        stream.linker = Some(std::sync::Arc::new(linker));
    }
    if let Some(path) = flag("--former") {
        let json = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
        let former = dossier::stream::former::Former::from_json(&json)
            .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        stream.former = Some(std::sync::Arc::new(former));
        // As `dossier serve` forms stories with a former.
        stream.final_pass = !args.iter().any(|a| a == "--no-final-pass");
    }
    let encoder = (!args.iter().any(|a| a == "--no-encoder")).then(|| {
        let dir = dossier::embed::default_models_dir().join(dossier::embed::ENCODER_DIR);
        std::sync::Arc::new(dossier::embed::Encoder::load(&dir).unwrap_or_else(|e| {
            eprintln!("stream_replay: {e} (or pass --no-encoder)");
            std::process::exit(1)
        }))
    });
    let mut options = Options::default();
    if let Some(t) = flag("--threshold") {
        options.cluster.threshold = t.parse().expect("--threshold X");
    }

    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    let mut rows = read_uci(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    if let Some(h) = flag("--half") {
        match h.as_str() {
            "0" => rows = half(&rows, 0),
            "1" => rows = half(&rows, 1),
            _ => fail("--half 0|1"),
        }
    }
    let gold: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.story.as_str()))
        .collect();
    eprintln!(
        "{} headlines; incremental: batches of {batch}, {}, encoder: {}",
        rows.len(),
        if stream.former.is_some() {
            "learnt former"
        } else if stream.linker.is_some() {
            "learnt linker"
        } else {
            "gates"
        },
        if encoder.is_some() { "yes" } else { "no" }
    );

    let dir = std::env::temp_dir().join(format!("dossier-stream-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let start = Instant::now();
    let mut store = Store::open(&dir).expect("store opens");
    let mut engine = Engine::open(&dir, options.clone(), stream, encoder).expect("engine opens");
    for chunk in rows.chunks(batch) {
        store
            .accept(chunk.iter().map(doc).collect())
            .expect("accepted");
        while engine.step(batch).expect("step").handled > 0 {}
    }
    let mut incremental: HashMap<String, String> = HashMap::new();
    for id in engine.story_ids() {
        let story = engine
            .store()
            .story(id)
            .expect("reads")
            .expect("live story");
        for report in story.reports {
            incremental.insert(report, story.id.clone());
        }
    }
    let took = start.elapsed();
    std::fs::remove_dir_all(&dir).ok();
    if let Some(path) = flag("--dump") {
        let mut csv = String::from("ID,STORY,PREDICTED\n");
        for row in &rows {
            let predicted = incremental.get(&row.id).map_or("", String::as_str);
            csv.push_str(&format!("{},{},{predicted}\n", row.id, row.story));
        }
        std::fs::write(&path, csv).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    print_scores("incremental", &gold, &incremental, took);

    let start = Instant::now();
    let (reports, _) =
        pipeline::read_reports(rows.iter().map(doc).collect(), Budget::default(), &Silent);
    let (dossier, _) = pipeline::analyse(reports, &options, &Silent);
    let batch_assigned: HashMap<String, String> = dossier
        .stories
        .iter()
        .flat_map(|s| s.reports.iter().map(|r| (r.clone(), s.id.clone())))
        .collect();
    print_scores("batch", &gold, &batch_assigned, start.elapsed());
}

fn fail(message: &str) -> ! {
    eprintln!("stream_replay: {message}");
    std::process::exit(1)
}

fn doc(row: &Headline) -> dossier::ingest::RawDoc {
    row.doc().unwrap_or_else(|e| fail(&e))
}

fn print_scores(
    path: &str,
    gold: &HashMap<&str, &str>,
    got: &HashMap<String, String>,
    took: std::time::Duration,
) {
    // Reports the path could not read count as singletons, so nothing drops out of the score.
    let items: Vec<(&str, String)> = gold
        .iter()
        .map(|(id, g)| {
            let p = got
                .get(*id)
                .cloned()
                .unwrap_or_else(|| format!("unread:{id}"));
            (*g, p)
        })
        .collect();
    let n = items.len() as f64;
    println!(
        "{path:>11}: {}, {:.1}s ({:.0} reports/s)",
        Scores::of(&items),
        took.as_secs_f64(),
        n / took.as_secs_f64()
    );
}
