//! The whole pipeline on the real two-report example in `../shared/examples/iraq-letter`.

mod common;

use common::*;

#[test]
fn iraq_letter_becomes_one_cited_story() {
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();

    assert_eq!(d["version"], 1);
    assert_eq!(d["reports"].as_array().unwrap().len(), 2);
    let stories = d["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 1);
    let story = &stories[0];
    assert_eq!(story["reports"].as_array().unwrap().len(), 2);

    // Debris is gone from every output but recorded as removed.
    let cleaned_text: String = d["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(!cleaned_text.contains("info-icon"));
    // Only the record of what was removed may still name the debris.
    let mut parts = html.split("<details class=\"removed\">");
    let mut shown = parts.next().unwrap().to_string();
    for part in parts {
        shown.push_str(part.split_once("</details>").expect("closed list").1);
    }
    assert!(!shown.contains("info-icon"));
    assert!(!story["title"].as_str().unwrap().contains("info-icon"));
    assert!(cleaned_text.starts_with("Baghdad: Seventeen hours"));
    assert!(cleaned_text.contains("President Donald Trump saw Iran vow"));
    assert!(
        cleaned_text.contains("UP-I-60"),
        "facts are never rewritten"
    );
    let removed: Vec<&str> = d["reports"][0]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        removed.iter().all(|r| *r == "ui-label") && removed.len() == 9,
        "{removed:?}"
    );

    // The summary: at least three sentences, each citing real sentences, both reports cited,
    // and no update notice.
    let all = sentences(&d);
    let summary = story["summary"].as_array().unwrap();
    assert!(summary.len() >= 3, "{summary:?}");
    let mut reports_cited = std::collections::HashSet::new();
    for s in summary {
        let text = s["text"].as_str().unwrap();
        assert!(!text.contains("update this story"));
        let cites = s["cites"].as_array().unwrap();
        assert!(!cites.is_empty());
        for c in cites {
            let id = c.as_str().unwrap();
            text_of(&all, id);
            reports_cited.insert(id.split(':').next().unwrap().to_string());
        }
    }
    assert_eq!(reports_cited.len(), 2, "summary cites both reports");
    let words: usize = summary
        .iter()
        .map(|s| s["text"].as_str().unwrap().split_whitespace().count())
        .sum();
    assert!(words <= 100, "within the default budget: {words}");

    // The two Green Zone sentences are paired as reuse.
    let reuse = story["reuse"].as_array().unwrap();
    let green_zone = reuse.iter().find(|p| {
        let from = text_of(&all, p["from"].as_str().unwrap());
        let to = text_of(&all, p["to"].as_str().unwrap());
        from.contains("helicopters would be travelling in and around")
            && from.contains("Green Zone")
            && to.contains("helicopters would be travelling in and around")
            && to.contains("Green Zone")
    });
    let pair = green_zone.unwrap_or_else(|| panic!("Green Zone reuse not found in {reuse:?}"));
    assert!(pair["similarity"].as_f64().unwrap() >= 0.5);
    assert_ne!(
        pair["from"].as_str().unwrap().split(':').next(),
        pair["to"].as_str().unwrap().split(':').next()
    );
}

#[test]
fn sentences_survive_titles_initials_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let all = sentences(&d);
    assert!(all.iter().any(|(_, t)| t.starts_with("The letter appeared to have been sent by Brig Gen William H Seely, head of the United States military's task force in Iraq")));
    assert!(all
        .iter()
        .any(|(_, t)| t == "\"This was a mistake,\" Milley told reporters."));
    assert!(all.iter().any(
        |(_, t)| t.starts_with("\"It was a mistake, an honest mistake") && t.ends_with("he said.")
    ));
    assert!(
        all.iter()
            .any(|(_, t)| t == "Trump threatens 'retaliation'"),
        "headline kept as its own sentence"
    );
    assert!(all.iter().any(|(_, t)| t == "It said helicopters would be travelling in and around the Green Zone as part of the preparations."));
    // Ids are unique.
    let ids: std::collections::HashSet<_> = all.iter().map(|(i, _)| i).collect();
    assert_eq!(ids.len(), all.len());
}

#[test]
fn bundled_example_groups_and_cites() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/harbour-bridge");
    let d = build(&[&example], dir.path());
    let stories = d["stories"].as_array().unwrap();
    assert_eq!(
        stories.len(),
        2,
        "the bridge story and the unrelated science fair"
    );
    assert_eq!(stories[0]["reports"].as_array().unwrap().len(), 3);
    assert_eq!(
        stories[1]["reports"],
        serde_json::json!(["harbour-times-2"])
    );
    // The sentence copied into all three reports is cited from all three.
    let copied = stories[0]["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["text"]
                .as_str()
                .unwrap()
                .starts_with("Engineers from Northgate Consulting found the crack")
        })
        .expect("the shared sentence is in the summary");
    assert_eq!(copied["cites"].as_array().unwrap().len(), 3);
}

#[test]
fn summarize_prints_citations_in_each_format() {
    let example = shared("examples/iraq-letter");
    let path = example.to_str().unwrap();
    let text = run(&["summarize", path, "--quiet"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with("(2 reports)"), "{text}");
    assert!(lines.len() >= 4, "{text}");
    for line in &lines[1..] {
        let (_, cites) = line
            .split_once(" [")
            .unwrap_or_else(|| panic!("no citation: {line}"));
        for cite in cites.trim_end_matches(']').split("][") {
            let (report, n) = cite.split_once(':').unwrap();
            assert!(
                report == "000_2b2fdff0ab78541a" || report == "001_dc76dc18e09841e1",
                "{line}"
            );
            assert!(n.parse::<usize>().is_ok(), "{line}");
        }
    }

    let json = run(&[
        "summarize",
        path,
        "--format",
        "json",
        "--words",
        "40",
        "--quiet",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let summary = v["stories"][0]["summary"].as_array().unwrap();
    let words: usize = summary
        .iter()
        .map(|s| s["text"].as_str().unwrap().split_whitespace().count())
        .sum();
    assert!(!summary.is_empty() && words <= 40, "{words}");

    let md = run(&["summarize", path, "--format", "markdown", "--quiet"]);
    assert!(String::from_utf8(md.stdout).unwrap().starts_with("## "));
}
