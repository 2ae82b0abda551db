//! The `Dossier` model: the one structure every output (JSON, HTML, the summary command) is
//! rendered from. Field names here are the public JSON contract (`dossier.json`, version 1):
//! tools outside the project read them, so rename nothing; add fields freely.

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
    // The next four are filled by later analysis stages; their element shapes are defined by
    // the issues that introduce them, so they stay untyped JSON until then.
    pub entities: Vec<serde_json::Value>,
    pub quotes: Vec<serde_json::Value>,
    pub timeline: Vec<serde_json::Value>,
    pub claims: Vec<serde_json::Value>,
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
