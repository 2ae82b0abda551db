//! The `Dossier` model: the one structure every output (JSON, HTML, the summary command) is
//! rendered from. Field names here are the public JSON contract (`dossier.json`, version 1):
//! tools outside the project read them, so rename nothing; add fields freely.

use crate::ner::EntityKind;
use serde::{Deserialize, Serialize};

/// Version of the JSON contract written in `dossier.json`.
pub const CONTRACT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Dossier {
    pub version: u32,
    pub reports: Vec<Report>,
    pub stories: Vec<Story>,
}

/// One input report after extraction, cleaning and sentence splitting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// Unique within the dossier.
    pub id: String,
    /// Path or URL as the user gave it.
    pub source: String,
    pub title: Option<String>,
    /// ISO 8601, when the input carried a publication date.
    pub published: Option<String>,
    /// The outlet that published it, when the input names one (JSON Lines `source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The author(s) a web page names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// ISO 639-1 language code, when the page declares or shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Cleaned text; paragraphs are separated by a blank line.
    pub text: String,
    /// Everything the clean stage took out or changed, in order.
    pub removed: Vec<Removal>,
    pub sentences: Vec<Sentence>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Removal {
    /// Name of the cleaning rule that fired.
    pub rule: String,
    /// The text it removed (or, for a repair, the text as it was).
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sentence {
    /// `<report id>:<n>`, n counting from 1; unique in the dossier.
    pub id: String,
    pub text: String,
}

/// A group of reports about one event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Story {
    pub id: String,
    pub title: String,
    /// Report ids, oldest first (publication date, then input order).
    pub reports: Vec<String>,
    pub summary: Vec<SummarySentence>,
    pub reuse: Vec<Reuse>,
    /// Who is named, each once across the story's reports; empty without a recogniser.
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    /// Dated events, oldest first.
    pub timeline: Vec<Event>,
    /// The story's factual statements, grouped across reports, with their standing; empty
    /// without a sentence encoder.
    pub claims: Vec<Claim>,
}

/// A factual statement and how the story's reports bear on it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claim {
    /// `c1`, `c2`, … by rank: most independent reports first, then story order.
    pub id: String,
    /// The earliest sentence that states it.
    pub text: String,
    pub status: ClaimStatus,
    /// Sentences that state it, in story order.
    pub support: Vec<String>,
    /// Sentences that state the opposite or withdraw it, in story order.
    pub contradict: Vec<String>,
    /// Independent reports among the support: reports whose sentences copy each other count once.
    pub sources: usize,
    /// The evidence for the status, in words.
    pub why: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimStatus {
    /// Withdrawn by its source or the source's principal.
    Retracted,
    /// Another report or speaker states the opposite, with at least as many sources.
    Contested,
    /// Two or more independent reports.
    Corroborated,
    SingleSource,
}

/// A person, organisation, place or other name, merged across the spellings of a story.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entity {
    /// `e1`, `e2`, … in order of first mention in the story.
    pub id: String,
    /// The fullest form the reports use (titles stripped for people).
    pub name: String,
    pub kind: EntityKind,
    /// Every other form the reports use, as written.
    pub aliases: Vec<String>,
    /// Ids of the sentences that name it, in story order.
    pub mentions: Vec<String>,
}

/// A direct quotation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Quote {
    /// Entity id of the speaker; null when the text does not say who spoke.
    pub speaker: Option<String>,
    /// The speaker's name: the entity's name, or the document as written ("the letter") when
    /// its author is not named.
    pub speaker_name: Option<String>,
    /// The quoted words, without the quote marks.
    pub text: String,
    /// The sentence where the quotation opens.
    pub cite: String,
}

/// Something that happened at a stated time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Event {
    /// The time expression as written ("Monday afternoon", "Jan. 3").
    pub when: String,
    /// ISO 8601 date, when the report's publication date (or the text) fixes it.
    pub date: Option<String>,
    /// The report has no publication date: `date` is resolved against the day of its wire
    /// dateline, else the latest date of the story's other reports.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// The sentence's main clause.
    pub what: String,
    /// Every sentence that tells it, in story order.
    pub cites: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SummarySentence {
    pub text: String,
    /// Every report sentence this summary sentence rests on: the sentence itself and its copies
    /// in other reports.
    pub cites: Vec<String>,
}

/// A sentence copied, exactly or lightly edited, from one report into another.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reuse {
    /// Sentence id in the earlier report.
    pub from: String,
    /// Sentence id in the later report.
    pub to: String,
    /// Share of the shorter sentence's word pairs found in the other, 0..=1.
    pub similarity: f64,
}

/// Each sentence id with where it stands: (index of its report in `reports`, index in the
/// report). The analysis stages and the renderer order and anchor sentences by it.
pub fn sentence_positions<'a>(
    reports: impl IntoIterator<Item = &'a Report>,
) -> std::collections::HashMap<&'a str, (usize, usize)> {
    reports
        .into_iter()
        .enumerate()
        .flat_map(|(r, report)| {
            report
                .sentences
                .iter()
                .enumerate()
                .map(move |(n, s)| (s.id.as_str(), (r, n)))
        })
        .collect()
}

/// A dossier's reports or stories in order, wherever they are held: in memory, or on disk for
/// a big pile (see [`crate::pipeline::run_on_disk`]), so that the renderers read either.
pub trait Items<T: Clone>: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `i`th item; `i` is below [`Items::len`].
    fn get(&self, i: usize) -> std::io::Result<std::borrow::Cow<'_, T>>;
}

impl<T: Clone + Sync> Items<T> for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn get(&self, i: usize) -> std::io::Result<std::borrow::Cow<'_, T>> {
        Ok(std::borrow::Cow::Borrowed(&self[i]))
    }
}

impl Dossier {
    pub fn report(&self, id: &str) -> Option<&Report> {
        self.reports.iter().find(|r| r.id == id)
    }
}

/// A report made of the given sentences, for tests of the analysis stages.
#[cfg(test)]
pub(crate) fn test_report(id: &str, sentences: &[&str]) -> Report {
    Report {
        id: id.into(),
        source: id.into(),
        title: None,
        published: None,
        outlet: None,
        byline: None,
        language: None,
        text: sentences.join(" "),
        removed: vec![],
        sentences: sentences
            .iter()
            .enumerate()
            .map(|(n, t)| Sentence {
                id: format!("{id}:{}", n + 1),
                text: t.to_string(),
            })
            .collect(),
    }
}
