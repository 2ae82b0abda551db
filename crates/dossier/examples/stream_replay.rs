//! Replays a headline stream (the UCI News Aggregator CSV: ID,TITLE,URL,PUBLISHER,CATEGORY,
//! STORY,HOSTNAME,TIMESTAMP) through the incremental path (a real store, small batches in
//! TIMESTAMP order) and through the batch path, and scores both against the STORY column.
//! The incremental path embeds each headline with the sentence encoder in `models/` unless
//! `--no-encoder` is given. See bench/stream/README.md.
//!
//!     cargo run --release -p dossier --example stream_replay -- CSV [--batch N] [--window SECS|none]
//!         [--assign X] [--merge X] [--semantic-assign X] [--semantic-merge X] [--no-encoder]
//!         [--threshold X] [--dump PATH]
//!
//! `--dump PATH` writes the incremental assignment as CSV (ID, STORY, PREDICTED), to see which
//! gold stories were glued or split.

use dossier::ingest::{Content, RawDoc};
use dossier::pipeline::{self, Options, Silent};
use dossier::store::Store;
use dossier::stream::cluster::StreamOptions;
use dossier::stream::Engine;
use std::collections::HashMap;
use std::time::Instant;

struct Row {
    id: String,
    title: String,
    story: String,
    timestamp: i64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: stream_replay CSV [--batch N] [--window SECS|none] [--assign X] [--merge X] [--semantic-assign X] [--semantic-merge X] [--no-encoder] [--threshold X] [--dump PATH]");
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

    let mut rows = read_csv(&std::fs::read_to_string(path).expect("the CSV reads"));
    rows.sort_by_key(|r| r.timestamp);
    let gold: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.story.as_str()))
        .collect();
    eprintln!(
        "{} headlines; incremental: batches of {batch}, {stream:?}, encoder: {}",
        rows.len(),
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
    let (reports, _) = pipeline::read_reports(rows.iter().map(doc).collect(), &Silent);
    let dossier = pipeline::analyse(reports, &options, &Silent);
    let batch_assigned: HashMap<String, String> = dossier
        .stories
        .iter()
        .flat_map(|s| s.reports.iter().map(|r| (r.clone(), s.id.clone())))
        .collect();
    print_scores("batch", &gold, &batch_assigned, start.elapsed());
}

fn doc(row: &Row) -> RawDoc {
    let published = chrono::DateTime::from_timestamp_millis(row.timestamp)
        .expect("valid timestamp")
        .to_rfc3339();
    RawDoc {
        source: row.id.clone(),
        id: row.id.clone(),
        content: Content::Text(row.title.clone()),
        title: None,
        url: None,
        published: Some(published),
        outlet: None,
    }
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
    let mut both: HashMap<(&str, &str), usize> = HashMap::new();
    let mut by_gold: HashMap<&str, usize> = HashMap::new();
    let mut by_pred: HashMap<&str, usize> = HashMap::new();
    for (g, p) in &items {
        *both.entry((g, p.as_str())).or_default() += 1;
        *by_gold.entry(g).or_default() += 1;
        *by_pred.entry(p.as_str()).or_default() += 1;
    }
    let tp = pairs(both.values());
    let precision = tp / pairs(by_pred.values()).max(1.0);
    let recall = tp / pairs(by_gold.values()).max(1.0);
    let n = items.len() as f64;
    let (mut bp, mut br) = (0.0, 0.0);
    for (g, p) in &items {
        let shared = both[&(*g, p.as_str())] as f64;
        bp += shared / by_pred[p.as_str()] as f64;
        br += shared / by_gold[g] as f64;
    }
    let (bp, br) = (bp / n, br / n);
    println!(
        "{path:>11}: {} stories (gold {}), pairwise P {precision:.3} R {recall:.3} F1 {:.3}, B-cubed P {bp:.3} R {br:.3} F1 {:.3}, {:.1}s ({:.0} reports/s)",
        by_pred.len(),
        by_gold.len(),
        f1(precision, recall),
        f1(bp, br),
        took.as_secs_f64(),
        n / took.as_secs_f64()
    );
}

fn pairs<'a>(sizes: impl Iterator<Item = &'a usize>) -> f64 {
    sizes.map(|&c| (c * (c - 1) / 2) as f64).sum()
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// RFC 4180 fields: quoted fields may hold commas, doubled quotes and newlines.
fn read_csv(text: &str) -> Vec<Row> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    let header = records.remove(0);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let (id, title, story, ts) = (col("ID"), col("TITLE"), col("STORY"), col("TIMESTAMP"));
    records
        .into_iter()
        .filter(|r| r.len() > ts)
        .map(|r| Row {
            id: format!("uci-{}", r[id]),
            title: r[title].clone(),
            story: r[story].clone(),
            timestamp: r[ts].parse().expect("TIMESTAMP is milliseconds"),
        })
        .collect()
}
