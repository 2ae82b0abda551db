//! Timestamps: a line that is only a date and/or time ("11/20/2019 01:14 PM", "Updated: March
//! 5, 2024"). It is the page's dating of itself or of a neighbouring link, not a sentence of
//! the report; the report's own date is read from the page's metadata. A timestamp after a
//! short line also marks that line as a link to another story (see [`super::link_lists`]).

use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for a removed timestamp.
pub(super) const RULE: &str = "timestamp";

/// A date, perhaps labelled and followed by a time, matched against lower-cased text (a byte
/// pattern: see [`super`]).
static TIMESTAMP: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)^(?:(?:published|updated|posted|last updated)(?: on| at)?:?\s*)?(?:[a-z]{3,9},?\s+)?(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?\.?$",
    )
    .expect("valid regex")
});

/// Whether a whole paragraph is a date and/or time.
pub(super) fn is_timestamp(paragraph: &str) -> bool {
    // Every date form holds a digit; without one the pattern need not be compiled.
    paragraph.len() <= 60
        && paragraph.bytes().any(|b| b.is_ascii_digit())
        && TIMESTAMP.is_match(paragraph.to_ascii_lowercase().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_time_lines_are_timestamps_sentences_with_dates_are_not() {
        for line in [
            "11/20/2019 01:14 PM",
            "Updated: March 5, 2024",
            "Published on 2024-03-05 at 10:32 a.m. EST",
            "Tuesday, 5 Mar 2024, 10:32",
        ] {
            assert!(is_timestamp(line), "{line:?} is a timestamp");
        }
        for prose in [
            "March 5, 2024 was the day the vote failed.",
            "The council met on 11/20/2019 to discuss the budget.",
            "Updated figures were released on Tuesday.",
        ] {
            assert!(!is_timestamp(prose), "{prose:?} is prose");
        }
    }
}
