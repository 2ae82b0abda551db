//! Clean: remove scraping debris from a report's paragraphs and record every removal.
//!
//! Rules describe patterns of debris (widget labels glued to words, sentences glued by a lost
//! space, notices and prompts that are not part of the story), never particular words of a
//! particular report. Facts are never rewritten: a rule removes or separates text, it does not
//! correct it. Each rule is a module named by what it removes, saying why that is not report
//! text; [`clean`] runs them in one order, listed in `EDITS` and `dropped_by`.
//!
//! The rules' patterns are byte patterns without Unicode tables, matched against an
//! ASCII-lower-cased copy of the text (same byte offsets): compiled that way they cost a
//! fraction of a millisecond at start-up instead of about nine, which matters for a CLI that
//! summarises one small story per call.

mod boilerplate;
mod bylines;
mod captions;
mod glued_sentences;
mod link_lists;
mod normalise;
mod pickup_notes;
mod repeated_paragraphs;
mod repeated_passages;
mod shared;
mod timestamps;
mod title_repeat;
mod ui_labels;
mod update_notices;

pub(crate) use bylines::is_byline;
pub(crate) use captions::{is_caption, PICTURES};
pub use normalise::normalise;

use crate::model::Removal;
use shared::removal;

#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub paragraphs: Vec<String>,
    pub removed: Vec<Removal>,
}

/// A rule that cuts debris out of a paragraph's text, recording each cut.
type Edit = fn(&str, &mut Vec<Removal>) -> String;

/// The rules that edit each paragraph's text, in the order they run, with the name each
/// records.
const EDITS: [Edit; 6] = [
    repeated_passages::remove,     // "repeated-passage"
    ui_labels::remove,             // "ui-label"
    glued_sentences::split,        // "glued-sentence"
    update_notices::remove,        // "update-notice"
    boilerplate::remove_sentences, // "boilerplate"
    pickup_notes::remove,          // "pickup-note"
];

/// The rule that drops what is left of a paragraph as a whole, the first that applies in
/// this order, or `None` to keep it. `first`: no paragraph is kept yet; `title`: the report's
/// title, [`title_repeat::comparable`]; `seen`: the prose kept so far.
fn dropped_by(
    text: &str,
    first: bool,
    title: Option<&str>,
    seen: &mut repeated_paragraphs::Seen,
) -> Option<&'static str> {
    if boilerplate::is_boilerplate(text) {
        Some(boilerplate::RULE)
    } else if captions::is_caption(text) {
        Some(captions::RULE)
    } else if first && title_repeat::repeats(text, title) {
        Some(title_repeat::RULE)
    } else if timestamps::is_timestamp(text) {
        Some(timestamps::RULE)
    } else if bylines::is_byline(text) {
        Some(bylines::RULE)
    } else if repeated_paragraphs::repeats(text, seen) {
        Some(repeated_paragraphs::RULE)
    } else {
        None
    }
}

/// Cleans the paragraphs of one report. `title` is the report's own title, when known: the
/// page's headline repeated as the first paragraph is not report text.
pub fn clean(paragraphs: &[String], title: Option<&str>) -> Cleaned {
    let mut out = Cleaned::default();
    let mut seen = repeated_paragraphs::Seen::default();
    let title = title.map(title_repeat::comparable);
    // Per kept paragraph: whether a timestamp or byline was removed right after it.
    let mut dated: Vec<bool> = Vec::new();
    for raw in paragraphs {
        crate::guard::check();
        let mut text = normalise(raw);
        for edit in EDITS {
            text = edit(&text, &mut out.removed);
        }
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let first = out.paragraphs.is_empty();
        match dropped_by(text, first, title.as_deref(), &mut seen) {
            None => {
                out.paragraphs.push(text.to_string());
                dated.push(false);
            }
            Some(rule) => {
                out.removed.push(removal(rule, text));
                if matches!(rule, timestamps::RULE | bylines::RULE) {
                    if let Some(last) = dated.last_mut() {
                        *last = true;
                    }
                }
            }
        }
    }
    // Then the rules that judge the kept paragraphs together.
    link_lists::remove(&mut out, &dated);
    title_repeat::keep_headline_only(&mut out);
    out
}

/// The tests' shorthand: cleans `paragraphs` of a report without a title.
#[cfg(test)]
fn run(paragraphs: &[&str]) -> Cleaned {
    clean(
        &paragraphs.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        None,
    )
}
