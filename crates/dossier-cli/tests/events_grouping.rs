//! Stories are events: an ECB+ topic holds two events of one kind, and each must be a story of
//! its own.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// ECB+ topic 2: Hugh Jackman named host of the 2009 Oscars, Ellen DeGeneres of the 2014
/// ones. The default former tells them apart (as it does six of the 22 dev topics exactly;
/// bench/events has the pairwise figures).
#[test]
fn two_oscars_hosts_named_are_two_stories() {
    let (found, wanted) = stories_of_topic(2, &[]);
    assert_eq!(found, wanted);
}

/// ECB+ topic 14: two fires that gutted a Waitrose supermarket (Banstead, Surrey, and
/// Wellington, Somerset, years apart), told in nearly the same words: words alone make three
/// stories of them, the event model's names and years two.
#[test]
fn two_supermarket_fires_are_two_stories_by_the_event_model() {
    let (found, wanted) = stories_of_topic(14, &["--events"]);
    assert_eq!(found, wanted);
}

/// The stories `dossier build` with `extra` forms of one ECB+ dev topic, and the topic's events,
/// each as sets of document ids, sorted.
fn stories_of_topic(topic: u64, extra: &[&str]) -> (Vec<BTreeSet<String>>, Vec<BTreeSet<String>>) {
    let data = shared("data/ecbplus/dev.jsonl");
    let raw = std::fs::read_to_string(&data).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (../shared must sit beside the project)",
            data.display()
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("pile.jsonl");
    let mut lines = String::new();
    let mut gold: BTreeMap<String, String> = BTreeMap::new();
    for line in raw.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        if doc["topic"] != topic {
            continue;
        }
        let id = doc["doc_id"].as_str().unwrap();
        // The URL line only the `ecbplus` documents carry would tell the events apart by itself.
        let text: Vec<&str> = doc["text"].as_str().unwrap().lines().collect();
        let skip = (id.ends_with("ecbplus") && doc["sent_ids"][0] == 0) as usize;
        let body = text[skip..].join("\n");
        lines.push_str(&serde_json::json!({ "id": id, "text": body }).to_string());
        lines.push('\n');
        gold.insert(
            id.to_string(),
            doc["subtopic"].as_str().unwrap().to_string(),
        );
    }
    std::fs::write(&pile, lines).unwrap();
    let out = dir.path().join("out");
    let args = [&["--quiet", "--no-entities", "--no-claims"][..], extra].concat();
    let result = build_raw(&pile, &out, &args);
    assert!(result.status.success(), "{}", stderr(&result));
    let d = read_json(&out.join("dossier.json"));
    let stories: Vec<BTreeSet<String>> = d["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["reports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    let mut expected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (id, event) in &gold {
        expected.entry(event).or_default().insert(id.clone());
    }
    assert_eq!(expected.len(), 2, "topic {topic} holds two events");
    let mut found = stories;
    found.sort();
    let mut wanted: Vec<BTreeSet<String>> = expected.into_values().collect();
    wanted.sort();
    (found, wanted)
}
