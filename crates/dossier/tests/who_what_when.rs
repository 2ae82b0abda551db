//! Who, what, when on the real two-report example in `../shared/examples/iraq-letter`: the
//! reports are read by the pipeline's own stages, and the recogniser's output is given by hand
//! (the spans a CoNLL-trained model tags in these sentences), so these tests check the merge,
//! attribution and timeline rules, not the model.

use dossier::analyse::{entities, quotes, timeline};
use dossier::ingest::{self, IngestOptions, Input};
use dossier::model::{Entity, Quote, Report};
use dossier::ner::{EntityKind, Mention, Recognizer};
use dossier::pipeline::{self, Budget, Options, SharedRecognizer, Silent};
use std::path::Path;
use std::sync::Arc;

use EntityKind::{Organization as Org, Other, Person, Place};

/// Names as the model tags them. One span keeps its title ("Brig Gen William H Seely"), as a
/// model may, to exercise title stripping.
const NAMES: &[(&str, EntityKind)] = &[
    ("Brig Gen William H Seely", Person),
    ("William Seely", Person),
    ("Seely", Person),
    ("Qassem Soleimani", Person),
    ("Qasem Soleimani", Person),
    ("Soleimani", Person),
    ("Mark Milley", Person),
    ("Milley", Person),
    ("Mark Esper", Person),
    ("Donald Trump", Person),
    ("Trump", Person),
    ("Abu Mahdi al-Muhandis", Person),
    ("Abdul Amir", Person),
    ("Iraq", Place),
    ("Iran", Place),
    ("IRAN", Place),
    ("US", Place),
    ("U.S.", Place),
    ("USA", Place),
    ("United States", Place),
    ("Baghdad", Place),
    ("Washington", Place),
    ("Tehran", Place),
    ("Green Zone", Place),
    ("Iraqi", Other),
    ("Iranian", Other),
    ("American", Other),
    ("Task Force Iraq", Org),
    ("Pentagon", Org),
    ("Joint Chiefs", Org),
    ("Revolutionary Guards", Org),
    ("Quds Force", Org),
    ("The Washington Post", Org),
    ("Treasury Department", Org),
    ("White House", Org),
    ("NPR", Org),
    ("The Hill", Org),
    ("Islamic State", Org),
    ("Air Force One", Other),
];

fn example_reports() -> Vec<Report> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/examples/iraq-letter");
    let ingested = ingest::ingest(&[Input::Path(dir)], &IngestOptions::default());
    assert!(ingested.skipped.is_empty(), "{:?}", ingested.skipped);
    let (reports, skipped) = pipeline::read_reports(ingested.docs, Budget::default(), &Silent);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(reports.len(), 2);
    reports
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Every whole-word occurrence of the names, longest name first, never overlapping.
fn tag(text: &str) -> Vec<Mention> {
    let mut names: Vec<&(&str, EntityKind)> = NAMES.iter().collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut found: Vec<Mention> = Vec::new();
    for (name, kind) in names {
        for (start, _) in text.match_indices(name) {
            let end = start + name.len();
            let clear_before = !text[..start].chars().next_back().is_some_and(is_word_char);
            let clear_after = !text[end..].chars().next().is_some_and(is_word_char);
            let free = found.iter().all(|m| end <= m.start || start >= m.end);
            if clear_before && clear_after && free {
                found.push(Mention {
                    start,
                    end,
                    kind: *kind,
                });
            }
        }
    }
    found.sort_by_key(|m| m.start);
    found
}

fn mentions(reports: &[&Report]) -> Vec<Vec<Vec<Mention>>> {
    reports
        .iter()
        .map(|r| r.sentences.iter().map(|s| tag(&s.text)).collect())
        .collect()
}

/// The one entity that has `form` as its name or an alias.
fn entity<'a>(all: &'a [Entity], form: &str) -> &'a Entity {
    let matching: Vec<&Entity> = all
        .iter()
        .filter(|e| e.name == form || e.aliases.iter().any(|a| a == form))
        .collect();
    assert_eq!(matching.len(), 1, "{form}: {matching:?}");
    matching[0]
}

fn quote<'a>(all: &'a [Quote], starting: &str) -> &'a Quote {
    all.iter()
        .find(|q| q.text.starts_with(starting))
        .unwrap_or_else(|| panic!("no quote starts with {starting:?}: {all:#?}"))
}

fn analysed() -> (Vec<Report>, Vec<Entity>, Vec<Quote>) {
    let reports = example_reports();
    let refs: Vec<&Report> = reports.iter().collect();
    let tagged = mentions(&refs);
    let found = entities::entities(&refs, &tagged);
    let said = quotes::quotes(&refs, &tagged, &found);
    (reports, found, said)
}

#[test]
fn spellings_of_one_name_are_one_entity() {
    let (_, found, _) = analysed();

    let soleimani = entity(&found, "Qasem Soleimani");
    assert_eq!(soleimani.name, "Qassem Soleimani");
    assert_eq!(soleimani.kind, Person);
    assert_eq!(entity(&found, "Soleimani").id, soleimani.id);
    // Cited in both reports.
    assert!(soleimani.mentions.iter().any(|m| m.starts_with("000_")));
    assert!(soleimani.mentions.iter().any(|m| m.starts_with("001_")));

    let seely = entity(&found, "Seely");
    assert_eq!(seely.name, "William H Seely");
    assert_eq!(entity(&found, "William Seely").id, seely.id);
    assert_eq!(entity(&found, "Brig Gen William H Seely").id, seely.id);

    let us = entity(&found, "US");
    assert_eq!(us.name, "United States");
    assert_eq!(us.kind, Place);
    for form in ["U.S.", "USA", "American"] {
        assert_eq!(entity(&found, form).id, us.id, "{form}");
    }

    let trump = entity(&found, "Trump");
    assert_eq!(trump.name, "Donald Trump");
}

#[test]
fn different_people_and_places_stay_apart() {
    let (_, found, _) = analysed();
    assert_ne!(
        entity(&found, "Mark Milley").id,
        entity(&found, "Mark Esper").id
    );
    assert_eq!(
        entity(&found, "Milley").id,
        entity(&found, "Mark Milley").id
    );

    let iraq = entity(&found, "Iraq");
    let iran = entity(&found, "Iran");
    assert_ne!(iraq.id, iran.id);
    assert_eq!(entity(&found, "Iraqi").id, iraq.id);
    assert_eq!(entity(&found, "Iranian").id, iran.id);
    assert_eq!(entity(&found, "IRAN").id, iran.id);
    // The task force is named after Iraq but is not Iraq.
    assert_ne!(entity(&found, "Task Force Iraq").id, iraq.id);
    // Names that hold an ordinary word stay whole.
    assert_eq!(entity(&found, "Green Zone").kind, Place);
    assert_eq!(entity(&found, "Quds Force").kind, Org);
    assert!(found.iter().all(|e| e.name != "Green"), "{found:#?}");

    // Ids follow first mention and are unique.
    let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
    let expected: Vec<String> = (1..=found.len()).map(|n| format!("e{n}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn milley_and_trump_are_quoted_by_name() {
    let (_, found, said) = analysed();
    let milley = &entity(&found, "Milley").id;
    let trump = &entity(&found, "Trump").id;
    let seely = &entity(&found, "Seely").id;

    for start in [
        "This was a mistake",
        // "… ," he said: the pronoun goes back to Milley, quoted just before.
        "It was a mistake, an honest mistake",
        "It shouldn't have been sent",
        "should not have been sent",
        // The other report names him by surname only, after the quote.
        "That letter is a draft",
        // "…, adding the letter was, "…"": the same speaker goes on.
        "poorly worded",
    ] {
        let q = quote(&said, start);
        assert_eq!(q.speaker.as_ref(), Some(milley), "{q:?}");
        assert_eq!(q.speaker_name.as_deref(), Some("Mark Milley"));
    }
    for start in [
        "If there's any hostility",
        "IRAN WILL NEVER",
        "charge them sanctions",
    ] {
        let q = quote(&said, start);
        assert_eq!(q.speaker.as_ref(), Some(trump), "{q:?}");
    }
    // "…," said the letter: the letter the story says Seely sent.
    let letter = quote(&said, "We respect your sovereign decision");
    assert_eq!(letter.speaker.as_ref(), Some(seely), "{letter:?}");
    assert_eq!(letter.cite, "000_2b2fdff0ab78541a:5");

    // Unnamed speakers stay unknown.
    for start in ["at least a little while", "limited repositioning"] {
        let q = quote(&said, start);
        assert_eq!(q.speaker, None, "{q:?}");
        assert_eq!(q.speaker_name, None, "{q:?}");
    }
    // Scare quotes are not quotations.
    assert!(said
        .iter()
        .all(|q| q.text != "draft" && q.text != "mistake"));
}

fn position(events: &[dossier::model::Event], cite: &str) -> usize {
    events
        .iter()
        .position(|e| e.cites.iter().any(|c| c == cite))
        .unwrap_or_else(|| panic!("no event cites {cite}: {events:#?}"))
}

#[test]
fn friday_strike_sunday_vote_monday_denial_in_order() {
    let reports = example_reports();
    let refs: Vec<&Report> = reports.iter().collect();
    // The two reports are different texts.
    let events = timeline::timeline(&refs, &[0, 1]);

    let strike = position(&events, "000_2b2fdff0ab78541a:15");
    let vote = position(&events, "000_2b2fdff0ab78541a:16");
    let denial = position(&events, "000_2b2fdff0ab78541a:10");
    assert!(strike < vote && vote < denial, "{events:#?}");
    assert_eq!(events[strike].when, "Friday");
    assert_eq!(events[vote].when, "Sunday");
    assert_eq!(events[denial].when, "Monday");
    assert!(events[vote]
        .what
        .starts_with("Iraqi parliament on Sunday passed"));
    // The reports carry no publication date: nothing to resolve the days against.
    assert!(events.iter().all(|e| e.date.is_none()), "{events:#?}");
    // "less than 24 hours after the Iraqi parliament demanded their expulsion": after the vote.
    let withdrawal = position(&events, "001_dc76dc18e09841e1:4");
    assert!(vote < withdrawal, "{events:#?}");
}

#[test]
fn days_resolve_against_the_publication_date() {
    let mut reports = example_reports();
    // As if both were published on Monday 6 January 2020.
    for r in &mut reports {
        r.published = Some("2020-01-06T18:00:00Z".into());
    }
    let refs: Vec<&Report> = reports.iter().collect();
    // The two reports are different texts.
    let events = timeline::timeline(&refs, &[0, 1]);
    let date = |cite: &str| events[position(&events, cite)].date.clone();
    assert_eq!(
        date("000_2b2fdff0ab78541a:15").as_deref(),
        Some("2020-01-03")
    );
    assert_eq!(
        date("000_2b2fdff0ab78541a:16").as_deref(),
        Some("2020-01-05")
    );
    assert_eq!(
        date("000_2b2fdff0ab78541a:10").as_deref(),
        Some("2020-01-06")
    );
    assert_eq!(
        date("001_dc76dc18e09841e1:13").as_deref(),
        Some("2020-01-06")
    );
    let dates: Vec<&str> = events.iter().filter_map(|e| e.date.as_deref()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "{events:#?}");
}

/// Stands in for the model in the pipeline: returns the spans given by hand above.
struct HandTagged;

impl Recognizer for HandTagged {
    fn recognise(&self, sentences: &[&str]) -> Vec<Vec<Mention>> {
        sentences.iter().map(|s| tag(s)).collect()
    }
}

#[test]
fn the_pipeline_fills_entities_quotes_and_timeline_through_its_recogniser() {
    let options = |recognizer| Options {
        one_story: true,
        recognizer,
        ..Options::default()
    };
    let (with, _) = pipeline::analyse(
        example_reports(),
        &options(Some(SharedRecognizer(Arc::new(HandTagged)))),
        &Silent,
    );
    let story = &with.stories[0];
    let milley = &entity(&story.entities, "Milley").id;
    assert_eq!(
        quote(&story.quotes, "This was a mistake").speaker.as_ref(),
        Some(milley)
    );
    assert!(!story.timeline.is_empty());

    // Without a recogniser: no entities, quotes without speakers, the same timeline.
    let (without, _) = pipeline::analyse(example_reports(), &options(None), &Silent);
    let bare = &without.stories[0];
    assert!(bare.entities.is_empty());
    assert_eq!(bare.quotes.len(), story.quotes.len());
    assert!(bare.quotes.iter().all(|q| q.speaker.is_none()));
    assert_eq!(bare.timeline, story.timeline);
}
