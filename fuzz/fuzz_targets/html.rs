//! Any bytes as a web page, through extraction, cleaning and segmentation: a report or a named
//! skip, never a panic.
#![no_main]

use dossier::ingest::{Content, RawDoc};
use dossier::pipeline::{read_reports, Budget, Silent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let doc = RawDoc {
        source: "fuzz.html".into(),
        id: "fuzz".into(),
        content: Content::Html(data.to_vec()),
        title: None,
        url: Some("https://fuzz.example/page".into()),
        published: None,
        outlet: None,
    };
    let (reports, skipped) = read_reports(vec![doc], Budget::default(), &Silent);
    assert_eq!(reports.len() + skipped.len(), 1);
});
