//! UI labels: the labels of page widgets (info icons, tooltips, share buttons) that a scraper
//! copied out of link decorations, usually glued to the linked word. They are the page's
//! furniture, not words of the report: the bundled example's Al Jazeera report reads
//! "Baghdadinfo-icon: Seventeen hours after the USinfo-icon military ...".

use super::shared::removal;
use crate::model::Removal;
use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for a removed label.
const RULE: &str = "ui-label";

/// What a widget label names ("info-icon", "share_button"): it follows a hyphen or underscore.
const WIDGETS: [&str; 6] = ["icon", "tooltip", "btn", "button", "badge", "popup"];

/// A widget's label, matched against lower-cased text (a byte pattern: see [`super`]).
static UI_LABEL: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(&format!(
        r"(?-u)(?:info|help|external|share|link|tooltip|search|close|copy|print|e?mail|play|zoom|expand)[-_](?:{})s?\b",
        WIDGETS.join("|")
    ))
    .expect("valid regex")
});

/// Cuts every widget label out of `text`.
pub(super) fn remove(text: &str, removed: &mut Vec<Removal>) -> String {
    // Compiling the pattern costs more than cleaning a whole report: it is compiled only for
    // text that names a widget after a hyphen or underscore, which report text rarely does.
    let bytes = text.as_bytes();
    let names_widget = memchr::memchr2_iter(b'-', b'_', bytes).any(|i| {
        WIDGETS.iter().any(|w| {
            bytes[i + 1..]
                .get(..w.len())
                .is_some_and(|after| after.eq_ignore_ascii_case(w.as_bytes()))
        })
    });
    if !names_widget {
        return text.to_string();
    }
    let folded = text.to_ascii_lowercase();
    if !UI_LABEL.is_match(folded.as_bytes()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in UI_LABEL.find_iter(folded.as_bytes()) {
        removed.push(removal(RULE, &text[m.range()]));
        out.push_str(&text[last..m.start()]);
        last = m.end();
    }
    out.push_str(&text[last..]);
    // A label standing alone between spaces leaves a double space behind.
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use crate::clean::run;

    #[test]
    fn glued_widget_labels_are_removed_and_recorded() {
        let c = run(&[
            "Baghdadinfo-icon: The USinfo-icon military and President Trumpinfo-icon's aides met.",
        ]);
        assert_eq!(
            c.paragraphs,
            ["Baghdad: The US military and President Trump's aides met."]
        );
        assert_eq!(c.removed.len(), 3);
        assert!(c
            .removed
            .iter()
            .all(|r| r.rule == "ui-label" && r.text == "info-icon"));
    }
}
