//! The pipeline: ingest -> extract -> clean -> segment -> analyse -> summarise, producing one
//! [`Dossier`]. Stages only meet here, through their typed outputs.

use crate::analyse::claims::{self, ClaimOptions};
use crate::analyse::cluster::{self, ClusterOptions};
use crate::analyse::reuse::{self, ReuseOptions};
use crate::analyse::{entities, quotes, timeline};
use crate::embed::Encoder;
use crate::ingest::{self, IngestOptions, Input, RawDoc, Skipped};
use crate::model::{Dossier, Report, Sentence, Story, CONTRACT_VERSION};
use crate::ner::{Mention, Recognizer};
use crate::nli::{FeatureJudge, Judge};
use crate::summarise::{self, SummaryOptions};
use crate::text::ReportWords;
use crate::{clean, extract, segment};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub ingest: IngestOptions,
    pub cluster: ClusterOptions,
    pub reuse: ReuseOptions,
    pub summary: SummaryOptions,
    /// Treat every report as one story (the user already knows they cover one event).
    pub one_story: bool,
    /// Finds names for the entities and quote speakers; without one, stories have no entities
    /// and quotes have no speakers (the timeline needs no names).
    pub recognizer: Option<SharedRecognizer>,
    /// Finds and weighs the claims; without it, stories have no claims.
    pub claims: Option<ClaimModels>,
    pub claim: ClaimOptions,
    /// Stories carry their summary (and the reuse it cites) only: no timeline, entities,
    /// quotes or claims. For callers that print summaries alone (`dossier summarize`), which
    /// would otherwise spend most of their time on stages nobody reads.
    pub summary_only: bool,
}

/// What the claims stage runs on: the sentence encoder (shared with the NER model when both are
/// loaded, so it is in memory once) and the judge of agreement and contradiction.
#[derive(Clone)]
pub struct ClaimModels {
    pub encoder: Arc<Encoder>,
    pub judge: Arc<dyn Judge>,
}

impl ClaimModels {
    /// The encoder with the judge the library ships.
    pub fn shipped(encoder: Arc<Encoder>) -> ClaimModels {
        ClaimModels {
            encoder,
            judge: Arc::new(FeatureJudge::shipped()),
        }
    }
}

impl std::fmt::Debug for ClaimModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClaimModels")
    }
}

/// A recogniser shared by the worker threads that build stories.
#[derive(Clone)]
pub struct SharedRecognizer(pub Arc<dyn Recognizer + Send + Sync>);

impl std::fmt::Debug for SharedRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedRecognizer")
    }
}

/// Progress of long runs, reported per document. Implementations must be cheap: `advance` is
/// called from worker threads.
pub trait Progress: Sync {
    fn stage(&self, name: &str, total: usize);
    fn advance(&self);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: usize) {}
    fn advance(&self) {}
}

/// What a run produced, and what it had to leave out.
#[derive(Debug)]
pub struct Outcome {
    pub dossier: Dossier,
    pub skipped: Vec<Skipped>,
}

/// Runs the whole pipeline over the inputs.
pub fn run(inputs: &[Input], options: &Options, progress: &dyn Progress) -> Outcome {
    let ingested = ingest::ingest(inputs, &options.ingest);
    let mut skipped = ingested.skipped;
    let (reports, failed) = read_reports(ingested.docs, progress);
    skipped.extend(failed);
    let dossier = analyse(reports, options, progress);
    Outcome { dossier, skipped }
}

/// Extract, clean and segment each document, in parallel; ids are made unique in input order.
pub fn read_reports(docs: Vec<RawDoc>, progress: &dyn Progress) -> (Vec<Report>, Vec<Skipped>) {
    progress.stage("reading reports", docs.len());
    let results: Vec<Result<Report, Skipped>> = docs
        .into_par_iter()
        .map(|doc| {
            let source = doc.source.clone();
            let result = extract::extract(doc)
                .map(read_report)
                .and_then(|r| {
                    if r.sentences.is_empty() {
                        Err("nothing left after cleaning".to_string())
                    } else {
                        Ok(r)
                    }
                })
                .map_err(|reason| Skipped {
                    input: source,
                    reason,
                });
            progress.advance();
            result
        })
        .collect();
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    let mut ids = HashSet::new();
    for result in results {
        match result {
            Ok(mut report) => {
                let base = report.id.clone();
                let mut n = 1;
                while !ids.insert(report.id.clone()) {
                    n += 1;
                    report.id = format!("{base}~{n}");
                }
                for (i, s) in report.sentences.iter_mut().enumerate() {
                    s.id = format!("{}:{}", report.id, i + 1);
                }
                reports.push(report);
            }
            Err(s) => skipped.push(s),
        }
    }
    (reports, skipped)
}

fn read_report(extracted: extract::Extracted) -> Report {
    let cleaned = clean::clean(&extracted.paragraphs, extracted.title.as_deref());
    let sentences = segment::sentences(&cleaned.paragraphs)
        .into_iter()
        .map(|text| Sentence {
            id: String::new(),
            text,
        })
        .collect();
    Report {
        id: extracted.id,
        source: extracted.source,
        title: extracted.title,
        published: extracted.published,
        outlet: extracted.outlet,
        byline: extracted.byline,
        language: extracted.language,
        text: cleaned.paragraphs.join("\n\n"),
        removed: cleaned.removed,
        sentences,
    }
}

/// The cross-report stages over already-read reports.
pub fn analyse(reports: Vec<Report>, options: &Options, progress: &dyn Progress) -> Dossier {
    let words: Vec<ReportWords> = reports.par_iter().map(ReportWords::of).collect();
    let mut groups: Vec<Vec<usize>> = if options.one_story {
        if reports.is_empty() {
            vec![]
        } else {
            vec![(0..reports.len()).collect()]
        }
    } else {
        cluster::cluster(&words, &options.cluster)
    };
    progress.stage("analysing stories", groups.len());
    // Biggest stories first; among equals, the one whose first report came first.
    groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g.iter().min().copied()));
    let stories: Vec<Story> = groups
        .into_par_iter()
        .map(|group| {
            let story = build_story(&reports, &words, group, options);
            progress.advance();
            story
        })
        .collect();
    Dossier {
        version: CONTRACT_VERSION,
        reports,
        stories,
    }
}

/// One story over reports already known to belong together, oldest first by the same rule as
/// [`analyse`]: the stream worker's way into the per-story stages, so that a story grown report
/// by report is analysed exactly like one built in a batch. The id is the batch rule's; a caller
/// that keeps ids of its own overwrites it.
pub fn story_of(reports: &[Report], options: &Options) -> Story {
    let words: Vec<ReportWords> = reports.par_iter().map(ReportWords::of).collect();
    build_story(reports, &words, (0..reports.len()).collect(), options)
}

fn build_story(
    all: &[Report],
    words: &[ReportWords],
    mut group: Vec<usize>,
    options: &Options,
) -> Story {
    group.sort_by_cached_key(|&i| {
        let when = published_instant(&all[i]);
        (when.is_none(), when, i)
    });
    let members: Vec<&Report> = group.iter().map(|&i| &all[i]).collect();
    let with_words: Vec<(&Report, &ReportWords)> =
        group.iter().map(|&i| (&all[i], &words[i])).collect();
    let reuse = reuse::reuse(&with_words, &options.reuse);
    let summary = summarise::summarise(&with_words, &reuse, &options.summary);
    let title = members
        .iter()
        .find_map(|r| r.title.clone())
        .or_else(|| summary.first().map(|s| headline(&s.text)))
        .unwrap_or_else(|| headline(&members[0].sentences[0].text));
    if options.summary_only {
        return Story {
            id: story_id(&members[0].id),
            title,
            reports: members.iter().map(|r| r.id.clone()).collect(),
            summary,
            reuse,
            timeline: vec![],
            entities: vec![],
            quotes: vec![],
            claims: vec![],
        };
    }
    let mentions: Vec<Vec<Vec<Mention>>> = match &options.recognizer {
        Some(SharedRecognizer(recognizer)) => members
            .iter()
            .map(|r| {
                let sentences: Vec<&str> = r.sentences.iter().map(|s| s.text.as_str()).collect();
                recognizer.recognise(&sentences)
            })
            .collect(),
        None => vec![],
    };
    let entities = entities::entities(&members, &mentions);
    let quotes = quotes::quotes(&members, &mentions, &entities);
    let claims = match &options.claims {
        Some(models) => claims::claims(
            &members,
            &reuse,
            &quotes,
            &models.encoder,
            models.judge.as_ref(),
            &options.claim,
        ),
        None => vec![],
    };
    Story {
        id: story_id(&members[0].id),
        title,
        reports: members.iter().map(|r| r.id.clone()).collect(),
        summary,
        reuse,
        timeline: timeline::timeline(&members),
        entities,
        quotes,
        claims,
    }
}

/// A story is named after its oldest report, so its id does not change as newer reports join.
fn story_id(first_report: &str) -> String {
    let digest = Sha256::digest(first_report.as_bytes());
    format!("story-{}", &hex::encode(digest)[..12])
}

/// Reports without a date sort after dated ones, in input order.
pub fn published_instant(report: &Report) -> Option<DateTime<Utc>> {
    let raw = report.published.as_deref()?;
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|d| d.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// The first words of a sentence, as a story title.
fn headline(sentence: &str) -> String {
    const MAX_WORDS: usize = 14;
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= MAX_WORDS {
        return sentence.trim_end_matches(['.', ' ']).to_string();
    }
    format!(
        "{}…",
        words[..MAX_WORDS]
            .join(" ")
            .trim_end_matches([',', ';', ':'])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    #[test]
    fn summary_only_stories_keep_the_summary_and_skip_the_rest() {
        let reports = vec![
            test_report(
                "a",
                &[
                    "Floods forced thousands from their homes in the river valley on March 3, 2024.",
                    "\"We will rebuild every bridge,\" the governor said after visiting the valley.",
                ],
            ),
            test_report(
                "b",
                &[
                    "Thousands left their homes as floods covered the river valley on March 3, 2024.",
                    "\"We will rebuild every bridge,\" the governor told reporters in the valley.",
                ],
            ),
        ];
        let full = story_of(&reports, &Options::default());
        assert!(
            !full.quotes.is_empty() && !full.timeline.is_empty(),
            "{full:?}"
        );
        let options = Options {
            summary_only: true,
            ..Options::default()
        };
        let only = story_of(&reports, &options);
        assert_eq!(only.summary, full.summary);
        assert_eq!(only.reuse, full.reuse);
        assert_eq!(only.title, full.title);
        assert!(only.quotes.is_empty() && only.timeline.is_empty() && only.entities.is_empty());
    }
}
