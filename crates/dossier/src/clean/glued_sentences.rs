//! Glued sentences: a sentence end glued to the next sentence by a space lost in scraping
//! ("A request for comment from The Hill.The head of ..."). Nothing is removed: a space is
//! put back and the glued word recorded, because the sentence splitter would otherwise read
//! the two sentences as one. The word before the stop must end in two lower-case letters, so
//! abbreviations ("U.S."), decimals and domain names ("thehill.com") never match.

use super::shared::removal;
use crate::model::Removal;

/// The rule name recorded for a separated pair of sentences.
const RULE: &str = "glued-sentence";

/// The byte offsets in `text` where a space belongs between two glued sentences.
fn glued_sentence_splits(text: &str) -> Vec<usize> {
    // Every candidate is at an ASCII stop, so the scan jumps from stop to stop and decodes
    // characters only around one: a table of every character cost a tenth of a DUC cluster's
    // summary.
    let mut splits = Vec::new();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        let mut before = text[..i].chars().rev();
        if !(before.next().is_some_and(char::is_lowercase)
            && before.next().is_some_and(char::is_lowercase))
        {
            continue;
        }
        let mut after = text[i + 1..].char_indices();
        let mut next = after.next();
        if next.is_some_and(|(_, c)| matches!(c, '"' | '\'' | ')')) {
            next = after.next();
        }
        if let Some((at, c)) = next {
            if c.is_uppercase() && after.next().is_some_and(|(_, c)| c.is_lowercase()) {
                splits.push(i + 1 + at);
            }
        }
    }
    splits
}

/// Puts a space between every two glued sentences of `text`, recording the glued word.
pub(super) fn split(text: &str, removed: &mut Vec<Removal>) -> String {
    let splits = glued_sentence_splits(text);
    let mut out = String::with_capacity(text.len() + splits.len());
    let mut last = 0;
    for split in splits {
        let word_start = text[..split]
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1);
        let word_end = text[split..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| split + i);
        removed.push(removal(RULE, &text[word_start..word_end]));
        out.push_str(&text[last..split]);
        out.push(' ');
        last = split;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn glued_sentences_are_split_but_abbreviations_kept() {
        let c = run(&[
            "A request for comment from The Hill.The head of the U.S. unit, at thehill.com, spoke.",
        ]);
        assert_eq!(
            c.paragraphs,
            ["A request for comment from The Hill. The head of the U.S. unit, at thehill.com, spoke."]
        );
        assert_eq!(c.removed[0].rule, "glued-sentence");
        assert_eq!(c.removed[0].text, "Hill.The");
    }
}
