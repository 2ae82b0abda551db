//! Any bytes as a plain-text report, as `build` reads a `.txt` file: sniffed, decoded, then
//! cleaned and segmented; a report or a named skip, never a panic.
#![no_main]

use dossier::ingest::{ingest, IngestOptions, Input};
use dossier::pipeline::{read_reports, Budget, Silent};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    // Through a real file, so that the sniffing and decoding a user's file meets run too.
    let mut file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    file.write_all(data).unwrap();
    let input = Input::parse(file.path().to_str().unwrap());
    let ingested = ingest(&[input], &IngestOptions { max_bytes: 1 << 16 });
    let docs = ingested.docs.len();
    let (reports, skipped) = read_reports(ingested.docs, Budget::default(), &Silent);
    assert_eq!(reports.len() + skipped.len(), docs);
});
