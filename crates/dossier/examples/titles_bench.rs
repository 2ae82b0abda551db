//! The titles bench (see bench/titles/README.md): how many story titles of a built dossier name
//! a place, a person or organisation, stay under the length limit and carry no ellipsis, on the
//! two halves of its stories (the rule's constants were chosen reading the first half).
//!
//!   cargo run --release -p dossier --example titles_bench -- OUT/dossier.json [--retitle]
//!
//! `--retitle` titles each story again with the library's rule from what the dossier holds
//! (headlines, summary, names): a dossier built before a change to the rule is scored without
//! re-running the models. Every title is printed after the figures, for reading.

use dossier::model::{Dossier, Entity, Story};
use dossier::ner::EntityKind;
use dossier::summarise::title::{names, title, LIMIT};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: titles_bench DOSSIER_JSON [--retitle]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(path, e));
    let dossier: Dossier = serde_json::from_str(&text).unwrap_or_else(|e| fail(path, e));
    let titles: Vec<String> = if args.iter().any(|a| a == "--retitle") {
        dossier
            .stories
            .iter()
            .map(|s| retitle(&dossier, s))
            .collect()
    } else {
        dossier.stories.iter().map(|s| s.title.clone()).collect()
    };
    let half = dossier.stories.len().div_ceil(2);
    println!(
        "{:<8} {:>7} {:>7} {:>9} {:>8} {:>9} {:>8}",
        "half", "stories", "place", "per/org", "<90", "ellipsis", "mean ch"
    );
    for (name, range) in [("first", 0..half), ("second", half..dossier.stories.len())] {
        row(name, &dossier.stories[range.clone()], &titles[range]);
    }
    row("all", &dossier.stories, &titles);
    for (story, title) in dossier.stories.iter().zip(&titles) {
        let has = |kinds: &[EntityKind], mark: char| {
            let named = story
                .entities
                .iter()
                .any(|e| kinds.contains(&e.kind) && names(title, e));
            if named {
                mark
            } else {
                '-'
            }
        };
        let place = has(&[EntityKind::Place], 'P');
        let who = has(&[EntityKind::Person, EntityKind::Organization], 'W');
        println!("{:>3} {place}{who} {title}", title.chars().count());
    }
}

fn fail(path: &str, error: impl std::fmt::Display) -> ! {
    eprintln!("{path}: {error}");
    std::process::exit(1)
}

fn retitle(dossier: &Dossier, story: &Story) -> String {
    let members: Vec<_> = story
        .reports
        .iter()
        .filter_map(|id| dossier.report(id))
        .collect();
    let headline = members.iter().find_map(|r| r.title.as_deref());
    let summary: Vec<&str> = story.summary.iter().map(|s| s.text.as_str()).collect();
    let first = members
        .iter()
        .find_map(|r| r.sentences.first())
        .map_or("", |s| s.text.as_str());
    title(headline, &summary, first, &story.entities)
}

fn row(name: &str, stories: &[Story], titles: &[String]) {
    let share = |test: &dyn Fn(&Story, &str) -> bool| {
        stories
            .iter()
            .zip(titles)
            .filter(|(s, t)| test(s, t))
            .count()
    };
    let kind = |kinds: &'static [EntityKind]| {
        move |s: &Story, t: &str| {
            s.entities
                .iter()
                .any(|e: &Entity| kinds.contains(&e.kind) && names(t, e))
        }
    };
    let chars: usize = titles.iter().map(|t| t.chars().count()).sum();
    println!(
        "{name:<8} {:>7} {:>7} {:>9} {:>8} {:>9} {:>8.1}",
        stories.len(),
        share(&kind(&[EntityKind::Place])),
        share(&kind(&[EntityKind::Person, EntityKind::Organization])),
        share(&|_, t| t.chars().count() < LIMIT),
        share(&|_, t| t.contains('…') || t.contains("...")),
        chars as f64 / titles.len().max(1) as f64,
    );
}
