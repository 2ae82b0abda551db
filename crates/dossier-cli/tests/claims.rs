//! Claims across the two real iraq-letter reports, end to end through the binary with the real
//! encoder and the shipped judge: a claim and its denial, a copy that is not a confirmation, a
//! confirmation in different words, and a letter withdrawn by the general who sent it.

mod common;

use common::*;
use serde_json::Value;

/// The claim one of whose supporting sentences contains `text`.
fn claim_with<'a>(story: &'a Value, sentence: &dyn Fn(&str) -> String, text: &str) -> &'a Value {
    story["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["support"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| sentence(s.as_str().unwrap()).contains(text))
        })
        .unwrap_or_else(|| panic!("no claim stating {text:?} in {:#}", story["claims"]))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn claims_of_the_iraq_letter() {
    let dir = tempfile::tempdir().unwrap();
    let d = build(&[&shared("examples/iraq-letter")], dir.path());
    let story = &d["stories"][0];
    let texts = sentences(&d);
    let sentence = |id: &str| -> String {
        texts
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no sentence {id}"))
    };
    let id_of = |text: &str| id_containing(&texts, text);
    for claim in story["claims"].as_array().unwrap() {
        let keys: Vec<&String> = claim.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "contradict",
                "id",
                "sources",
                "status",
                "support",
                "text",
                "why"
            ],
            "{claim:#}"
        );
        // The reason is for a person: no cosines, no sentence ids (the lists keep those).
        let why = claim["why"].as_str().unwrap();
        assert!(!why.contains("cosine"), "{claim:#}");
        for id in ids(&claim["support"])
            .iter()
            .chain(&ids(&claim["contradict"]))
        {
            assert!(!why.contains(id), "{claim:#}");
        }
    }

    // One report says the military will withdraw; the other report says no decision was made.
    let withdraw = claim_with(story, &sentence, "will withdraw from Iraq");
    assert_eq!(withdraw["status"], "contested", "{withdraw:#}");
    let no_decision_made = id_of("no decision made to leave Iraq");
    assert!(
        ids(&withdraw["contradict"]).contains(&no_decision_made.as_str()),
        "{withdraw:#}"
    );
    assert!(withdraw["why"]
        .as_str()
        .unwrap()
        .contains("negates or denies"));

    // Both reports say there was no decision to leave, in different words: two sources, and
    // the one report saying otherwise does not outweigh them.
    let no_decision = claim_with(story, &sentence, "no decision made to leave Iraq");
    assert_eq!(no_decision["status"], "corroborated", "{no_decision:#}");
    assert_eq!(no_decision["sources"], 2);
    assert!(
        ids(&no_decision["support"]).contains(&id_of("denying there has been a decision").as_str())
    );

    // The helicopter sentence is one text lightly edited into the second report: one source.
    let helicopters = claim_with(
        story,
        &sentence,
        "helicopters would be travelling in and around",
    );
    assert_eq!(ids(&helicopters["support"]).len(), 2, "{helicopters:#}");
    assert_eq!(helicopters["sources"], 1, "{helicopters:#}");
    assert!(helicopters["why"]
        .as_str()
        .unwrap()
        .contains("copy one text"));

    // What the letter said is withdrawn by Milley's "This was a mistake".
    let mistake = id_of("This was a mistake");
    for said in [
        "We respect your sovereign decision to order our departure",
        "informed his Iraqi counterparts in a letter",
        "helicopters would be travelling in and around",
    ] {
        let claim = claim_with(story, &sentence, said);
        assert_eq!(claim["status"], "retracted", "{claim:#}");
        assert!(
            ids(&claim["contradict"]).contains(&mistake.as_str()),
            "{claim:#}"
        );
        assert!(claim["why"]
            .as_str()
            .unwrap()
            .contains("\"This was a mistake\""));
    }
    // Reporting on the letter is not the letter's own claim.
    let esper = claim_with(story, &sentence, "inconsistent");
    assert_ne!(esper["status"], "retracted", "{esper:#}");

    // The page lists them by status, evidence escaped like everything else.
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    for heading in [
        "Contested (",
        "Retracted (",
        "Corroborated (",
        "Single source (",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("withdrawn by Mark Milley: \"This was a mistake\""));
}

#[test]
fn no_claims_flag_skips_the_stage() {
    let dir = tempfile::tempdir().unwrap();
    let out = build_raw(
        &shared("examples/iraq-letter"),
        dir.path(),
        &["--quiet", "--no-claims", "--no-entities"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let d = read_json(&dir.path().join("dossier.json"));
    assert_eq!(d["stories"][0]["claims"], serde_json::json!([]));
}

/// In a story of ten reports on one subject nearly every sentence is like every other, so a
/// negation or another number somewhere in a related sentence is no dispute: a contradiction
/// needs the two statements to speak to one point, and within one report two named speakers.
/// DUC 2004 cluster d30001 (Cambodian coalition talks, autumn 1998), with the real encoder and
/// judge.
#[test]
fn sentences_on_other_points_or_of_one_report_do_not_contest_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("d30001.jsonl");
    duc_pile(&pile, |name| name == "d30001");
    let d = build(&[&pile], &dir.path().join("out"));
    let texts = sentences(&d);
    let id_of = |text: &str| id_containing(&texts, text);
    let claims: Vec<&Value> = d["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["claims"].as_array().unwrap())
        .collect();
    // A claim left out as background contests nothing; one shown must not be contested by
    // the other.
    let uncontested_by = |claim: &str, others: &[&str]| {
        let id = id_of(claim);
        for claim in claims
            .iter()
            .filter(|c| ids(&c["support"]).contains(&id.as_str()))
        {
            for other in others {
                assert!(
                    !ids(&claim["contradict"]).contains(&id_of(other).as_str()),
                    "{other:?} contests {claim:#}"
                );
            }
        }
    };
    // Across reports, at cosine 0.52-0.6 to the rejection, each about something else: the king
    // praising a later agreement, the party calling for a return to talks, another day's
    // complaint.
    uncontested_by(
        "Hun Sen on Friday rejected opposition parties' demands",
        &[
            "King Norodom Sihanouk on Tuesday praised agreements",
            "Hun Sen's party recently called on Ranariddh to return to the negotiation table",
            "assurances were not strong enough",
        ],
    );
    // Within one report, its own sentences saying one thing twice (at cosine 0.78 and 0.63):
    // the request to stop the loans and the letter advising against them, the king declining to
    // chair a summit and his words that he will not preside over one.
    uncontested_by(
        "asked the Asian Development Bank Monday to stop providing loans",
        &["not to provide any new loans"],
    );
    uncontested_by(
        "has declined requests to chair a summit",
        &["Papa will not preside over any summit meeting"],
    );
}

/// DUC 2004 cluster d31022 (the Goteborg dance-hall fire, October 1998): the police withdrew
/// their first death toll ("Police earlier had reported 65 dead, but backed off that figure
/// ... 'The earlier information that police gave out was wrong'"), and the agency's lead was
/// rewritten with new figures as the count changed. The withdrawn figure is retracted by the
/// police's words, an earlier version of the lead by the later one, and the sentences telling of
/// the withdrawal stand. A story shows a few dozen claims, not every sentence.
#[test]
fn a_withdrawn_toll_and_a_revised_lead_are_retracted() {
    let dir = tempfile::tempdir().unwrap();
    let pile = dir.path().join("d31022.jsonl");
    duc_pile(&pile, |name| name == "d31022");
    let d = build(&[&pile], &dir.path().join("out"));
    let texts = sentences(&d);
    let claims: Vec<&Value> = d["stories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["claims"].as_array().unwrap())
        .collect();
    let with = |text: &str| -> Vec<&Value> {
        let id = id_containing(&texts, text);
        claims
            .iter()
            .copied()
            .filter(|c| ids(&c["support"]).contains(&id.as_str()))
            .collect()
    };
    let wrong: Vec<String> = texts
        .iter()
        .filter(|(_, t)| t.contains("The earlier information that police gave out was wrong"))
        .map(|(id, _)| id.clone())
        .collect();

    let toll = with("killing 65 people and injuring 157 others");
    assert_eq!(toll.len(), 1, "{toll:#?}");
    assert_eq!(toll[0]["status"], "retracted", "{:#}", toll[0]);
    assert!(
        ids(&toll[0]["contradict"])
            .iter()
            .any(|id| wrong.iter().any(|w| w == id)),
        "{:#}",
        toll[0]
    );
    assert!(toll[0]["why"]
        .as_str()
        .unwrap()
        .contains("withdrawn by Hans Carlsson"));

    let first = with("killing at least 60 people and injuring about 180");
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0]["status"], "retracted", "{:#}", first[0]);
    assert!(first[0]["why"]
        .as_str()
        .unwrap()
        .contains("a later version of the same text"));

    for telling in with("Police earlier had reported 65 dead") {
        assert_ne!(telling["status"], "retracted", "{telling:#}");
    }
    let others = claims
        .iter()
        .filter(|c| c["status"] != "retracted" && c["status"] != "contested")
        .count();
    assert!((5..=30).contains(&others), "{others} claims");
}
