//! Helpers shared by the cleaning rules.

use crate::model::Removal;

/// The record of one cut: the rule's name as it appears in a dossier's `removed` list, and
/// the text it took out.
pub(super) fn removal(rule: &str, text: &str) -> Removal {
    Removal {
        rule: rule.to_string(),
        text: text.to_string(),
    }
}

/// Whether `text` holds `word` (lower-case ASCII) in any case, found through its first letter
/// rather than by folding a copy of the text. The rules that look for a pattern use it to
/// leave text without the pattern's key word alone without compiling the pattern.
pub(super) fn holds_word(text: &str, word: &[u8]) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(word[0], word[0].to_ascii_uppercase(), bytes).any(|i| {
        bytes[i..]
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}
