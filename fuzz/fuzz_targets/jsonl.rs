//! Any bytes as JSON Lines (a feed, a request body), then each report through extraction,
//! cleaning and segmentation: every line a report or a named skip, never a panic.
#![no_main]

use dossier::ingest::json_lines;
use dossier::pipeline::{read_reports, Budget, Silent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ingested = json_lines("fuzz.jsonl", data, 4096);
    let docs = ingested.docs.len();
    let (reports, skipped) = read_reports(ingested.docs, Budget::default(), &Silent);
    assert_eq!(reports.len() + skipped.len(), docs);
});
