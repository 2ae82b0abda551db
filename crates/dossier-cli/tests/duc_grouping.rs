//! Story grouping on DUC 2004 dev: 250 documents in 25 known clusters, given as one pile.
//! Prints pairwise and B-cubed precision/recall/F1 against the known clusters, and the confusion:
//! each story that holds more than one known cluster, and each known cluster split over stories.

mod common;

use common::*;
use std::collections::{BTreeMap, HashMap};

#[test]
fn duc2004_dev_grouping() {
    let f1 = grouping_f1();
    // The story former places the articles one by one as `dossier serve` would, and its final
    // pass re-forms the stories of long texts by average link (the former alone: 0.839 in the
    // service, bench/events). Guards the measured level (pairwise F1 0.889; the grouping is
    // deterministic). The issue's
    // target, 0.95, is not met: what is lost is pairs of DUC clusters that are one topic in two
    // phases (the Microsoft trial and the AOL-Netscape deal; Anwar's arrest and the APEC summit
    // in Kuala Lumpur, which share two identical documents) and loose clusters that split in
    // two. Under tf-idf cosine these known clusters are less coherent than the stories found
    // (mean silhouette 0.198 against 0.211), so no cut of the similarity reaches them; see
    // issue 2's report for the variants measured.
    assert!(f1 >= 0.88, "pairwise F1 fell to {f1:.3}");
}

/// Builds the 250 documents as one pile and prints how the stories
/// match the known clusters; the pairwise F1.
fn grouping_f1() -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("pile.jsonl");
    duc_pile(&pile, |_| true);
    // Grouping reads neither names nor claims: skip both models, which would only cost minutes.
    let out = dir.path().join("out");
    let result = build_raw(&pile, &out, &["--quiet", "--no-entities", "--no-claims"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let d = read_json(&out.join("dossier.json"));

    let gold: HashMap<String, String> = d["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap();
            (id.to_string(), id.rsplit_once('-').unwrap().0.to_string())
        })
        .collect();
    assert_eq!(
        gold.len(),
        250,
        "every document is read, syndicated copies included"
    );
    let mut predicted = HashMap::new();
    for story in d["stories"].as_array().unwrap() {
        for r in story["reports"].as_array().unwrap() {
            predicted.insert(
                r.as_str().unwrap().to_string(),
                story["id"].as_str().unwrap().to_string(),
            );
        }
    }
    let ids: Vec<&String> = gold.keys().collect();
    let (mut tp, mut fp, mut fnn) = (0f64, 0f64, 0f64);
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            match (gold[*a] == gold[*b], predicted[*a] == predicted[*b]) {
                (true, true) => tp += 1.0,
                (false, true) => fp += 1.0,
                (true, false) => fnn += 1.0,
                (false, false) => {}
            }
        }
    }
    let (p, r) = (tp / (tp + fp), tp / (tp + fnn));
    let f1 = 2.0 * p * r / (p + r);
    // B-cubed: per document, the share of its predicted story that shares its gold cluster, and
    // the share of its gold cluster found in its predicted story.
    let (mut bp, mut br) = (0f64, 0f64);
    for a in &ids {
        let story = &predicted[*a];
        let cluster = &gold[*a];
        let in_story = ids.iter().filter(|b| &predicted[**b] == story).count() as f64;
        let in_cluster = ids.iter().filter(|b| &gold[**b] == cluster).count() as f64;
        let both = ids
            .iter()
            .filter(|b| &predicted[**b] == story && &gold[**b] == cluster)
            .count() as f64;
        bp += both / in_story;
        br += both / in_cluster;
    }
    let n = ids.len() as f64;
    let (bp, br) = (bp / n, br / n);
    print_confusion(&d, &gold);
    let stories = d["stories"].as_array().unwrap().len();
    println!(
        "DUC 2004 dev grouping: {stories} stories for 25 clusters; pairwise P {p:.3} R {r:.3} F1 {f1:.3}; \
         B-cubed P {bp:.3} R {br:.3} F1 {:.3}",
        2.0 * bp * br / (bp + br)
    );
    f1
}

/// Prints the stories that mix known clusters and the known clusters split over stories, with
/// how many documents each part holds.
fn print_confusion(d: &serde_json::Value, gold: &HashMap<String, String>) {
    let mut split: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, story) in d["stories"].as_array().unwrap().iter().enumerate() {
        let mut parts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in story["reports"].as_array().unwrap() {
            *parts.entry(gold[r.as_str().unwrap()].as_str()).or_default() += 1;
        }
        if parts.len() > 1 {
            println!("story {n} mixes {parts:?}");
        }
        for (cluster, count) in parts {
            split.entry(cluster).or_default().push(count);
        }
    }
    for (cluster, parts) in split {
        if parts.len() > 1 {
            println!("{cluster} is split {parts:?}");
        }
    }
}
