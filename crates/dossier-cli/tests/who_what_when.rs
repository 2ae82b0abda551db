//! Who, what, when on the real iraq-letter example, end to end: the shipped NER model finds the
//! names, the entity stage merges their spellings, quotes get their speakers and the timeline
//! puts the days in order. (The library's own test of the same stages gives the names by hand;
//! this one is the model's.)

mod common;

use common::*;
use serde_json::Value;

fn entity_of<'a>(story: &'a Value, name: &str) -> &'a Value {
    story["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name || e["aliases"].as_array().unwrap().iter().any(|a| a == name))
        .unwrap_or_else(|| panic!("no entity named {name:?} in {:#}", story["entities"]))
}

#[test]
fn names_quotes_and_days_of_the_iraq_letter() {
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let story = &d["stories"][0];

    // One entity per referent, across spellings and reports.
    let soleimani = entity_of(story, "Qassem Soleimani");
    assert_eq!(soleimani["id"], entity_of(story, "Qasem Soleimani")["id"]);
    assert_eq!(soleimani["kind"], "person");
    let seely = entity_of(story, "Seely");
    assert_eq!(seely["id"], entity_of(story, "William Seely")["id"]);
    assert_eq!(seely["name"], "William H Seely");
    let us = entity_of(story, "US");
    for form in ["U.S.", "United States"] {
        assert_eq!(us["id"], entity_of(story, form)["id"], "{form}");
    }
    // ... and never across people who share a first name, or places one letter apart.
    let milley = entity_of(story, "Mark Milley");
    assert_ne!(milley["id"], entity_of(story, "Mark Esper")["id"]);
    assert_ne!(
        entity_of(story, "Iraq")["id"],
        entity_of(story, "Iran")["id"]
    );

    // Names holding an ordinary word stay whole, and a title alone is nobody.
    let names: Vec<&str> = story["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            let aliases = e["aliases"].as_array().unwrap().iter();
            aliases.chain([&e["name"]]).map(|n| n.as_str().unwrap())
        })
        .collect();
    for name in ["Green Zone", "Quds Force"] {
        assert!(names.contains(&name), "{name} not among {names:?}");
    }
    for junk in ["Green", "Zone", "Brig Gen"] {
        assert!(!names.contains(&junk), "{junk} among {names:?}");
    }
    assert_eq!(entity_of(story, "Green Zone")["kind"], "place");

    // Quotes keep their speakers, wherever the name stands.
    let quotes = story["quotes"].as_array().unwrap();
    let said_by = |text: &str| -> &Value {
        &quotes
            .iter()
            .find(|q| q["text"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("no quote with {text:?}"))["speaker"]
    };
    let trump = entity_of(story, "Donald Trump");
    assert_eq!(said_by("This was a mistake"), &milley["id"]);
    assert_eq!(said_by("honest mistake"), &milley["id"]);
    assert_eq!(
        said_by("IRAN WILL NEVER HAVE A NUCLEAR WEAPON"),
        &trump["id"]
    );
    assert_eq!(said_by("If there's any hostility"), &trump["id"]);

    // The Friday strike, the Sunday vote and the Monday denial, in that order.
    let timeline = story["timeline"].as_array().unwrap();
    let at = |when: &str, what: &str| -> usize {
        timeline
            .iter()
            .position(|e| {
                e["when"].as_str().unwrap().contains(when)
                    && e["what"].as_str().unwrap().contains(what)
            })
            .unwrap_or_else(|| panic!("no {when} event with {what:?} in {timeline:#?}"))
    };
    let strike = at("Friday", "Soleimani");
    let vote = at("Sunday", "parliament");
    let denial = at("Monday", "draft");
    assert!(strike < vote && vote < denial, "{strike} {vote} {denial}");
}

#[test]
fn tags_a_conll_file_for_conlleval() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.conll");
    std::fs::write(
        &file,
        "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n\
         call NN I-NP O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n",
    )
    .unwrap();
    let out = run(&["entities", "--conll", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        8,
        "4 words, a blank line, 2 words, a blank line: {text}"
    );
    assert_eq!((lines[4], lines[7]), ("", ""));
    assert_eq!(
        lines[0].split(' ').take(2).collect::<Vec<_>>(),
        ["EU", "I-ORG"]
    );
    assert!(lines[5].starts_with("Peter I-PER B-PER"), "{text}");
    assert!(lines[6].starts_with("Blackburn I-PER I-PER"), "{text}");

    let bad = dir.path().join("bad.conll");
    std::fs::write(&bad, "lonely\n").unwrap();
    let out = run(&["entities", "--conll", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.conll"), "{}", stderr(&out));
}
