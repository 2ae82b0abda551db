//! The aliases bench (see bench/aliases/README.md): dossier's recogniser and entity merging on
//! the stories of ECB+ dev, scored against its gold entity chains, on two halves of the topics.
//!
//!   cargo run --release -p dossier --example aliases_bench -- ../shared/data/ecbplus/dev.jsonl
//!
//! Printed twice: over the sentences ECB+ lists as fully annotated for coreference (the usual
//! evaluation; elsewhere many mentions of a chained entity are left as singletons), and over
//! every annotated mention.
//!
//! `ALIASES_FOLDS=K` deals the sorted topics into K folds instead of the two halves (topic i to
//! fold i % K) and prints each fold with the mean, min and max over folds.
//!
//! `ALIASES_CACHE=FILE` keeps the recogniser's mentions in FILE (written on the first run, read
//! on later ones), so a change to the merge rules is scored in seconds rather than re-running
//! the encoder over 486 documents.

use dossier::analyse::aliases::{self, AliasModel};
use dossier::analyse::entities::{clean_surface, entities, entity_at};
use dossier::embed::default_models_dir;
use dossier::model::{Entity, Report, Sentence};
use dossier::ner::{EntityKind, Mention, Recognizer, Tagger};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

const NER_HEAD: &[u8] = include_bytes!("../models/ner-head.safetensors");

/// ECB+ entity types of people, organisations and places.
const TYPES: &[&str] = &[
    "HUMAN_PART_PER",
    "HUMAN_PART_ORG",
    "HUMAN_PART_GPE",
    "HUMAN_PART_FAC",
    "LOC_GEO",
    "LOC_FAC",
    "LOC_OTHER",
];

/// Lower-case words a name may hold between its capitalised ones ("Academy of Motion Picture
/// Arts and Sciences", "the Pentagon").
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "de", "del", "la", "le", "du", "da", "van", "von", "bin", "al",
    "'s", "&",
];

#[derive(Deserialize)]
struct Doc {
    doc_id: String,
    topic: u32,
    subtopic: String,
    text: String,
    entities: Vec<Gold>,
}

#[derive(Deserialize, Clone)]
struct Gold {
    chain: String,
    sentence: usize,
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    validated: bool,
}

/// A gold name with the dossier entity that carries it, if any.
struct Scored {
    chain: String,
    entity: Option<usize>,
    validated: bool,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    names: usize,
    covered: usize,
    gold_pairs: usize,
    found_pairs: usize,
    right_pairs: usize,
    docs: usize,
    seconds: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.names += o.names;
        self.covered += o.covered;
        self.gold_pairs += o.gold_pairs;
        self.found_pairs += o.found_pairs;
        self.right_pairs += o.right_pairs;
        self.docs += o.docs;
        self.seconds += o.seconds;
    }
    fn precision(&self) -> f64 {
        self.right_pairs as f64 / self.found_pairs.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.right_pairs as f64 / self.gold_pairs.max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn coverage(&self) -> f64 {
        self.covered as f64 / self.names.max(1) as f64
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or("../shared/data/ecbplus/dev.jsonl".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let docs: Vec<Doc> = text
        .lines()
        .enumerate()
        .map(|(n, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1)))
        .collect();
    let tagger = Tagger::load(&default_models_dir(), NER_HEAD).expect("the NER model loads");
    let cache_path = std::env::var("ALIASES_CACHE").ok();
    let mut cache = Cache::read(cache_path.as_deref());

    let mut stories: BTreeMap<(u32, String), Vec<&Doc>> = BTreeMap::new();
    for d in &docs {
        stories
            .entry((d.topic, d.subtopic.clone()))
            .or_default()
            .push(d);
    }
    let mut topics: Vec<u32> = docs.iter().map(|d| d.topic).collect();
    topics.sort_unstable();
    topics.dedup();
    let k: usize = std::env::var("ALIASES_FOLDS")
        .ok()
        .map(|v| v.parse().expect("ALIASES_FOLDS is a number of folds"))
        .unwrap_or(2)
        .clamp(2, topics.len());
    let fold_of = |t: u32| topics.iter().position(|&x| x == t).unwrap() % k;

    // [validated sentences only, all sentences][fold]
    let mut tallies = [vec![Tally::default(); k], vec![Tally::default(); k]];
    let mut halves = [[Tally::default(); 2]; 2];
    let models = learnt_models(k);
    let pairs_path = std::env::var("ALIASES_PAIRS").ok();
    let out = Output {
        dump: std::env::var("ALIASES_DUMP").is_ok(),
        pairs: pairs_path.is_some(),
    };
    let mut lines = Vec::new();
    for ((topic, subtopic), story) in &stories {
        let fold = fold_of(*topic);
        let model = match &models {
            Learnt::Shipped => Some(AliasModel::shipped()),
            Learnt::PerFold(m) => Some(&m[fold]),
            Learnt::Rules => None,
        };
        let (both, line) = score_story(&tagger, &mut cache, (*topic, subtopic), story, model, out);
        let half = topics.iter().position(|&x| x == *topic).unwrap() % 2;
        for (setting, t) in both.iter().enumerate() {
            tallies[setting][fold].add(t);
            halves[setting][half].add(t);
        }
        lines.extend(line);
    }
    if let Some(path) = pairs_path {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let names: Vec<String> = (0..k)
        .map(|f| {
            let ids: Vec<String> = topics
                .iter()
                .filter(|&&t| fold_of(t) == f)
                .map(u32::to_string)
                .collect();
            ids.join(",")
        })
        .collect();
    for (setting, folds) in tallies.iter().enumerate() {
        let title = [
            "validated sentences (the usual evaluation)",
            "all annotated sentences",
        ];
        println!("\nECB+ dev, {}: people, organisations and places written as names; a story = one gold event\n", title[setting]);
        print_table(folds, &names);
        if k != 2 {
            println!("\nThe same, summed over the halves (topics sorted and alternated):\n");
            let [a, b] = [0, 1].map(|h| {
                let ids: Vec<String> = topics
                    .iter()
                    .skip(h)
                    .step_by(2)
                    .map(u32::to_string)
                    .collect();
                ids.join(",")
            });
            print_table(&halves[setting], &[a, b]);
        }
    }
    if cache.read {
        println!(
            "\n(docs/s: the recogniser's mentions were read from the cache; not a speed figure)"
        );
    }
    if let Some(path) = cache_path {
        cache.write(&path);
    }
}

/// Which learnt merge follows the rules: the shipped model, one model per fold (learnt on the
/// other folds), or none.
enum Learnt {
    Shipped,
    PerFold(Vec<AliasModel>),
    Rules,
}

/// `ALIASES_MODELS`: unset for the shipped model, `none` for the rules alone, or a folder of
/// `fold-F.json` files (F = 1..K, written by `dossier-train aliases --folds K --fold-dir`).
fn learnt_models(k: usize) -> Learnt {
    match std::env::var("ALIASES_MODELS").ok().as_deref() {
        None => Learnt::Shipped,
        Some("none") => Learnt::Rules,
        Some(dir) => Learnt::PerFold(
            (1..=k)
                .map(|f| {
                    let path = format!("{dir}/fold-{f}.json");
                    let text =
                        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                    AliasModel::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
                })
                .collect(),
        ),
    }
}

/// One sentence's mentions as `[start, end, kind]`.
type Found = Vec<(usize, usize, EntityKind)>;

/// The recogniser's mentions per document, one list per sentence.
#[derive(Default)]
struct Cache {
    docs: HashMap<String, Vec<Found>>,
    read: bool,
}

impl Cache {
    fn read(path: Option<&str>) -> Cache {
        let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
            return Cache::default();
        };
        let docs = serde_json::from_str(&text).expect("the mention cache is JSON");
        Cache { docs, read: true }
    }

    fn write(&self, path: &str) {
        if !self.read {
            let json = serde_json::to_string(&self.docs).expect("mentions serialise");
            std::fs::write(path, json).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }

    fn mentions(&mut self, tagger: &Tagger, doc_id: &str, report: &Report) -> Vec<Vec<Mention>> {
        let found = self.docs.entry(doc_id.to_string()).or_insert_with(|| {
            let texts: Vec<&str> = report.sentences.iter().map(|s| s.text.as_str()).collect();
            tagger
                .recognise(&texts)
                .into_iter()
                .map(|ms| ms.into_iter().map(|m| (m.start, m.end, m.kind)).collect())
                .collect()
        });
        found
            .iter()
            .map(|ms| {
                ms.iter()
                    .map(|&(start, end, kind)| Mention { start, end, kind })
                    .collect()
            })
            .collect()
    }
}

/// One row per fold (A and B for two halves), then the spread: A-B for two halves, the mean,
/// min and max over folds for more.
fn print_table(folds: &[Tally], names: &[String]) {
    println!("| fold | topics | docs | gold names | coverage | alias pairs (gold) | found | precision | recall | F1 | docs/s |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (f, t) in folds.iter().enumerate() {
        let label = match folds.len() {
            2 => ["A", "B"][f].to_string(),
            _ => (f + 1).to_string(),
        };
        println!(
            "| {label} | {} | {} | {} | {:.3} | {} | {} | {:.3} | {:.3} | {:.3} | {:.1} |",
            names[f],
            t.docs,
            t.names,
            t.coverage(),
            t.gold_pairs,
            t.found_pairs,
            t.precision(),
            t.recall(),
            t.f1(),
            t.docs as f64 / t.seconds
        );
    }
    if let [a, b] = folds {
        println!(
            "| spread (A-B) | | | | {:+.3} | | | {:+.3} | {:+.3} | {:+.3} | |",
            a.coverage() - b.coverage(),
            a.precision() - b.precision(),
            a.recall() - b.recall(),
            a.f1() - b.f1()
        );
        return;
    }
    let measures: [fn(&Tally) -> f64; 4] =
        [Tally::coverage, Tally::precision, Tally::recall, Tally::f1];
    for (row, pick) in [
        ("mean", mean as fn(&[f64]) -> f64),
        ("min", |v: &[f64]| {
            v.iter().copied().fold(f64::INFINITY, f64::min)
        }),
        ("max", |v: &[f64]| {
            v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        }),
    ] {
        let [c, p, r, f] = measures.map(|m| pick(&folds.iter().map(m).collect::<Vec<_>>()));
        println!("| {row} over folds | | | | {c:.3} | | | {p:.3} | {r:.3} | {f:.3} | |");
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// One gold event's documents as reports, recognised and merged (the rules, then the learnt
/// model when one is given); its gold names scored. Tallies over validated sentences, then
/// over all; with `pairs`, also the story's line for `dossier-train aliases`.
fn score_story(
    tagger: &Tagger,
    cache: &mut Cache,
    (topic, subtopic): (u32, &str),
    story: &[&Doc],
    model: Option<&AliasModel>,
    out: Output,
) -> ([Tally; 2], Option<serde_json::Value>) {
    let started = Instant::now();
    let reports: Vec<Report> = story.iter().map(|d| report(d)).collect();
    let found: Vec<Vec<Vec<Mention>>> = story
        .iter()
        .zip(&reports)
        .map(|(d, r)| cache.mentions(tagger, &d.doc_id, r))
        .collect();
    let refs: Vec<&Report> = reports.iter().collect();
    let ruled = entities(&refs, &found);
    let gold = gold_names(story);
    let line = out.pairs.then(|| {
        let carried: Vec<Option<usize>> = gold
            .iter()
            .map(|g| carrier(&reports[g.doc], &found[g.doc], &ruled, g.sentence, g.span))
            .collect();
        pair_line((topic, subtopic), &ruled, &gold, &carried)
    });
    let merged = match model {
        Some(model) => aliases::merge(&refs, ruled, model),
        None => ruled,
    };
    let seconds = started.elapsed().as_secs_f64();
    let scored: Vec<Scored> = gold
        .iter()
        .map(|g| {
            let entity = carrier(&reports[g.doc], &found[g.doc], &merged, g.sentence, g.span);
            if out.dump {
                let shown = entity.map_or("-".to_string(), |e| {
                    format!("{} {:?}", merged[e].id, merged[e].name)
                });
                println!(
                    "{subtopic}\t{}\t{}\t{}\t{}",
                    g.validated, g.chain, g.text, shown
                );
            }
            Scored {
                chain: g.chain.clone(),
                entity,
                validated: g.validated,
            }
        })
        .collect();
    let validated: Vec<&Scored> = scored.iter().filter(|s| s.validated).collect();
    let all: Vec<&Scored> = scored.iter().collect();
    (
        [
            tally(&validated, story.len(), seconds),
            tally(&all, story.len(), seconds),
        ],
        line,
    )
}

/// What a story run writes beside its tallies: the gold names one per line, the pair line.
#[derive(Clone, Copy)]
struct Output {
    dump: bool,
    pairs: bool,
}

/// The story's line for `dossier-train aliases`: the tally of the rules alone over validated
/// sentences, and for every pair of rule entities the learnt stage would score (both carrying
/// a validated gold name), its features, the gold-name pairs joining it would add and how many
/// of those are in one gold chain.
fn pair_line(
    (topic, subtopic): (u32, &str),
    ruled: &[Entity],
    gold: &[GoldName],
    carried: &[Option<usize>],
) -> serde_json::Value {
    let mut chains: Vec<HashMap<&str, usize>> = vec![HashMap::new(); ruled.len()];
    let mut scored = Vec::new();
    for (g, &entity) in gold.iter().zip(carried).filter(|(g, _)| g.validated) {
        if let Some(e) = entity {
            *chains[e].entry(g.chain.as_str()).or_default() += 1;
        }
        scored.push(Scored {
            chain: g.chain.clone(),
            entity,
            validated: true,
        });
    }
    let base = tally(&scored.iter().collect::<Vec<_>>(), 0, 0.0);
    let pairs: Vec<serde_json::Value> = aliases::pairs(ruled)
        .into_iter()
        .filter_map(|(i, j, features)| {
            let (a, b) = (&chains[i], &chains[j]);
            let total = a.values().sum::<usize>() * b.values().sum::<usize>();
            let right: usize = a.iter().map(|(c, n)| n * b.get(c).unwrap_or(&0)).sum();
            (total > 0)
                .then(|| serde_json::json!({"features": features, "pairs": total, "right": right}))
        })
        .collect();
    serde_json::json!({
        "topic": topic,
        "story": subtopic,
        "gold_pairs": base.gold_pairs,
        "found_pairs": base.found_pairs,
        "right_pairs": base.right_pairs,
        "pairs": pairs,
    })
}

/// A gold name of a story: where it lies and its chain.
struct GoldName {
    doc: usize,
    sentence: usize,
    /// Byte range in its line.
    span: (usize, usize),
    chain: String,
    validated: bool,
    text: String,
}

/// The story's gold mentions of people, organisations and places written as names.
fn gold_names(story: &[&Doc]) -> Vec<GoldName> {
    let lower = lower_case_words(story);
    let mut out = Vec::new();
    for (d, doc) in story.iter().enumerate() {
        let lines: Vec<&str> = doc.text.split('\n').collect();
        // Gold offsets count characters from the start of the document.
        let starts: Vec<usize> = lines
            .iter()
            .scan(0, |at, l| {
                let start = *at;
                *at += l.chars().count() + 1;
                Some(start)
            })
            .collect();
        for g in &doc.entities {
            if !TYPES.contains(&g.kind.as_str()) {
                continue;
            }
            let (Some(line), Some(&from)) = (lines.get(g.sentence), starts.get(g.sentence)) else {
                continue;
            };
            let Some(span) = bytes(line, g.start - from.min(g.start), g.end - from.min(g.end))
            else {
                eprintln!(
                    "{}: mention {}..{} lies outside its sentence",
                    doc.doc_id, g.start, g.end
                );
                continue;
            };
            if !is_name(line, span, &lower) {
                continue;
            }
            out.push(GoldName {
                doc: d,
                sentence: g.sentence,
                span,
                chain: g.chain.clone(),
                validated: g.validated,
                text: line[span.0..span.1].to_string(),
            });
        }
    }
    out
}

fn tally(scored: &[&Scored], docs: usize, seconds: f64) -> Tally {
    let mut t = Tally {
        names: scored.len(),
        covered: scored.iter().filter(|s| s.entity.is_some()).count(),
        docs,
        seconds,
        ..Tally::default()
    };
    for (i, a) in scored.iter().enumerate() {
        for b in &scored[i + 1..] {
            let same_chain = a.chain == b.chain;
            let same_entity = a.entity.is_some() && a.entity == b.entity;
            t.gold_pairs += usize::from(same_chain);
            t.found_pairs += usize::from(same_entity);
            t.right_pairs += usize::from(same_chain && same_entity);
        }
    }
    t
}

/// A document as a report: one sentence per line, the URL line of ECB+ documents left out (it is
/// no part of the report's text; gold mentions never lie in it).
fn report(doc: &Doc) -> Report {
    let sentences: Vec<Sentence> = doc
        .text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.starts_with("http"))
        .map(|(n, l)| Sentence {
            id: format!("{}:{n}", doc.doc_id),
            text: l.to_string(),
        })
        .collect();
    Report {
        id: doc.doc_id.clone(),
        source: doc.doc_id.clone(),
        title: None,
        published: None,
        outlet: None,
        byline: None,
        language: None,
        text: doc.text.clone(),
        removed: vec![],
        sentences,
    }
}

/// Words the story writes in lower case somewhere ("police", "she", "president").
fn lower_case_words(story: &[&Doc]) -> HashSet<String> {
    story
        .iter()
        .flat_map(|d| d.text.split([' ', '\n']))
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(str::to_string)
        .collect()
}

/// A gold mention written as a name: its words are capitalised or connectors, and one of its
/// capitalised words is never written in lower case in the story (so it is capitalised for
/// being a name, not for starting a sentence or a title-case headline). "I" is no name.
fn is_name(line: &str, (start, end): (usize, usize), lower: &HashSet<String>) -> bool {
    let mut named = false;
    for w in line[start..end].split(' ') {
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        let folded = w.to_lowercase();
        if w.chars().next().is_some_and(char::is_uppercase) {
            let pronoun = w == "I" || w.starts_with("I'") || w.starts_with("I’");
            named |= !pronoun && !lower.contains(&folded);
        } else if !CONNECTORS.contains(&folded.as_str()) {
            return false;
        }
    }
    named
}

/// Byte range of a character range of a line, if it lies inside it.
fn bytes(line: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let byte = |c: usize| {
        line.char_indices()
            .map(|(b, _)| b)
            .chain([line.len()])
            .nth(c)
    };
    Some((byte(start)?, byte(end)?)).filter(|(a, b)| a < b)
}

/// The entity carrying a gold mention: that of the recognised mention overlapping it most.
fn carrier(
    report: &Report,
    found: &[Vec<Mention>],
    merged: &[Entity],
    line: usize,
    (start, end): (usize, usize),
) -> Option<usize> {
    let id = format!("{}:{line}", report.id);
    let s = report.sentences.iter().position(|s| s.id == id)?;
    let sentence = &report.sentences[s];
    let best = found[s]
        .iter()
        .filter(|m| m.start < end && start < m.end)
        .max_by_key(|m| m.end.min(end) - m.start.max(start))?;
    let surface = clean_surface(&sentence.text[best.start..best.end]);
    let entity = entity_at(merged, &sentence.id, &surface)?;
    merged.iter().position(|e| e.id == entity.id)
}
