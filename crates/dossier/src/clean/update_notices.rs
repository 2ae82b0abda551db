//! Update notices: sentences about the page rather than the event, such as update promises
//! ("We will continue to update this story as new information becomes available.") and
//! live-page status lines ("This story is developing."). A report read later, or beside other
//! reports in a dossier, is not being updated, and a summary that quoted the promise would
//! state something false about the dossier. Only whole sentences are cut.

use super::shared::{holds_word, removal};
use crate::model::Removal;
use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for a removed notice.
const RULE: &str = "update-notice";

/// A notice's opening words, matched against lower-cased text (a byte pattern: see
/// [`super`]).
static UPDATE_NOTICE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)\b(?:we(?: will|'ll| are going to| plan to)(?: continue to)? update (?:this|the) (?:story|article|report|post|page)|this (?:story|article|report|post|page) (?:is developing|is being updated|has been updated|will be updated|may be updated)|(?:please )?check back (?:later )?for (?:more |further )?updates|refresh (?:this page )?for (?:the latest )?updates)\b",
    )
    .expect("valid regex")
});

/// Every update notice holds one of these words: text without them is left alone without
/// compiling the pattern.
const NOTICE_WORDS: [&str; 2] = ["update", "developing"];

/// Cuts every sentence of `text` that opens with an update notice.
pub(super) fn remove(text: &str, removed: &mut Vec<Removal>) -> String {
    if !NOTICE_WORDS.iter().any(|w| holds_word(text, w.as_bytes())) {
        return text.to_string();
    }
    let folded = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in UPDATE_NOTICE.find_iter(folded.as_bytes()) {
        // Only whole sentences: at the start of the paragraph or right after a sentence end.
        let before = text[..m.start()].trim_end();
        if m.start() < last || !(before.is_empty() || before.ends_with(['.', '!', '?', '"', '\'']))
        {
            continue;
        }
        // The notice runs to the end of its sentence.
        let end = text[m.end()..]
            .find(['.', '!', '?'])
            .map_or(text.len(), |i| m.end() + i + 1);
        out.push_str(&text[last..m.start()]);
        removed.push(removal(RULE, text[m.start()..end].trim()));
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn notices_and_prompts_go_facts_stay() {
        let c = run(&[
            "Local shops said the closure would cost them customers.Share this article",
            "Advertisement",
            "The traffic will include CH-47, UP-I-60, and AH-64 helicopters.",
            "It was unclear. We will continue to update this story as new information becomes available.",
            "Share this article",
            "Read more: Five things to know about the vote",
            "Trump threatens 'retaliation'",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "Local shops said the closure would cost them customers.",
                "The traffic will include CH-47, UP-I-60, and AH-64 helicopters.",
                "It was unclear.",
                "Trump threatens 'retaliation'"
            ]
        );
        let rules: Vec<&str> = c.removed.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "glued-sentence",
                "boilerplate",
                "boilerplate",
                "update-notice",
                "boilerplate",
                "boilerplate"
            ]
        );
    }

    #[test]
    fn a_notice_inside_a_sentence_stays() {
        let c = run(&[
            "The minister told parliament that we will update the report when the count is \
             done. This story is developing.",
        ]);
        assert_eq!(
            c.paragraphs,
            ["The minister told parliament that we will update the report when the count is done."]
        );
        let notices: Vec<&str> = c.removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(notices, ["This story is developing."]);
    }
}
