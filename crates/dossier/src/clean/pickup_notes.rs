//! Pickup notes: a wire service's note left at the end of a write-through, giving the opening
//! words of the paragraph an editor should resume from and where it was in the previous
//! version ("Clinton had hoped, 3rd graf pvs", "The men, pickup 9th pvs", "No member, 5th
//! graf, 1st Ld-Writethru"). It is an instruction to editors, not report text: 11 DUC 2004
//! development documents carry one, and the summariser had picked one as a sentence. The note
//! ends the paragraph and runs from the last sentence end.

use super::shared::{holds_word, removal};
use crate::model::Removal;
use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for a removed note.
const RULE: &str = "pickup-note";

/// A note at the end of a paragraph (a byte pattern: see [`super`]).
static PICKUP_NOTE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r#"(?i-u)(?:^|[.!?]["')]?\s+)([^.!?]{0,80}?(?:pickup\s+)?(?:\d{1,2}(?:st|nd|rd|th)\s+(?:graf|pvs)|graf\s+\d{1,2})\b[^.!?]{0,40})$"#,
    )
    .expect("valid regex")
});

/// Cuts the pickup note that ends `text`, if there is one.
pub(super) fn remove(text: &str, removed: &mut Vec<Removal>) -> String {
    // Every note holds one of these words; without one the pattern need not be compiled (nor
    // the paragraph copied to fold its case).
    if !holds_word(text, b"graf") && !holds_word(text, b"pvs") {
        return text.to_string();
    }
    let Some(note) = PICKUP_NOTE.captures(text.as_bytes()).and_then(|c| c.get(1)) else {
        return text.to_string();
    };
    removed.push(removal(RULE, text[note.start()..].trim()));
    text[..note.start()].to_string()
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn wire_pickup_notes_go_and_prose_about_grafts_stays() {
        let c = run(&[
            "Hamas denounced the visit but avoided any threats. Hamas is, 2nd graf pvs",
            "Relatives waited at the hospital all night. The men, pickup 9th pvs",
            "He said no member may defy the party. \"No member, 5th graf, 1st Ld-Writethru",
            "The general pledged to clean up the graft-riddled administration.",
            "Rescuers reached the 3rd floor of the building by noon.",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "Hamas denounced the visit but avoided any threats.",
                "Relatives waited at the hospital all night.",
                "He said no member may defy the party.",
                "The general pledged to clean up the graft-riddled administration.",
                "Rescuers reached the 3rd floor of the building by noon.",
            ]
        );
        let notes: Vec<&str> = c
            .removed
            .iter()
            .filter(|r| r.rule == "pickup-note")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "Hamas is, 2nd graf pvs",
                "The men, pickup 9th pvs",
                "\"No member, 5th graf, 1st Ld-Writethru"
            ]
        );
    }
}
