//! The standfirst: the one- or two-sentence summary a page sets under its headline, in a
//! heading of its own ("There are more devices, platforms and services to choose from than
//! ever before. Here's how to figure out what's best..."). It is the page's summary of the
//! report, not its text, and the page says so twice: the same words are its meta
//! description, and they are marked up as a heading, not a paragraph. The extractor keeps it
//! as the first block; when both marks are there, that block is dropped and recorded under
//! [`RULE`].
//!
//! Either mark alone is not enough: many pages reuse the report's first paragraph as their
//! description (a `<p>`, which is report text), and a heading is usually a section title.

use super::consensus::comparable;
use crate::model::Removal;
use regex::bytes::Regex;
use std::sync::LazyLock;

/// The rule name recorded for a dropped standfirst.
pub const RULE: &str = "standfirst";

/// A heading element and its inner HTML, as rs-trafilatura writes its HTML. Byte pattern
/// without Unicode tables (see `clean`).
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s-u)<h[1-6]\b[^>]*>(.*?)</h[1-6]>").expect("valid regex"));

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?-u)<[^>]*>").expect("valid regex"));

/// Drops the first of `paragraphs` when it is the page's `description` and `html` (the
/// extractor's HTML of the same text) has it as a heading, and returns it.
pub fn drop_standfirst(
    paragraphs: &mut Vec<String>,
    html: &str,
    description: Option<&str>,
) -> Option<Removal> {
    let first = comparable(paragraphs.first()?);
    if !reads_as_sentences(paragraphs.first()?)
        || first != comparable(description?)
        || !HEADING
            .captures_iter(html.as_bytes())
            .filter_map(|c| c.get(1))
            .any(|inner| comparable(&heading_text(inner.as_bytes())) == first)
    {
        return None;
    }
    Some(Removal {
        rule: RULE.to_string(),
        text: paragraphs.remove(0),
    })
}

/// A section title ("Hostage swap") ends no sentence; a standfirst does.
fn reads_as_sentences(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?'])
}

fn heading_text(inner: &[u8]) -> String {
    let text = TAG.replace_all(inner, &b" "[..]);
    html_escape::decode_html_entities(&String::from_utf8_lossy(&text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESCRIPTION: &str = "The council's budget leaves the libraries open but cuts bus routes. Here is what changes for whom, and when.";

    fn paragraphs(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    const BODY: [&str; 2] = [
        "The council approved its budget for next year on Tuesday night, after a debate that ran past midnight.",
        "Three bus routes on the east side will end in April, the transport committee said.",
    ];

    #[test]
    fn a_standfirst_heading_that_is_the_description_is_dropped_and_recorded() {
        // rs-trafilatura's HTML of a news page: headline, the standfirst in an h2 (with the
        // typographic apostrophe the page uses), then the body.
        let html = format!(
            "<div><h1>What the budget means for you</h1>\n<h2>The council\u{2019}s budget leaves the \
             libraries open but <em>cuts</em> bus routes. Here is what changes for whom, and when. </h2>\
             </div><div><p>{}</p> <p>{}</p></div>",
            BODY[0], BODY[1]
        );
        let mut kept = paragraphs(&[DESCRIPTION, BODY[0], BODY[1]]);
        let removed = drop_standfirst(&mut kept, &html, Some(DESCRIPTION)).unwrap();
        assert_eq!(kept, BODY);
        assert_eq!(removed.rule, RULE);
        assert_eq!(removed.text, DESCRIPTION);
    }

    #[test]
    fn a_first_paragraph_reused_as_the_description_or_a_section_heading_stays() {
        // The page's description is its first paragraph, marked up as one: report text.
        let html = format!("<h1>Budget passed</h1><p>{}</p><p>{}</p>", BODY[0], BODY[1]);
        let mut kept = paragraphs(&BODY);
        assert!(drop_standfirst(&mut kept, &html, Some(BODY[0])).is_none());
        assert_eq!(kept, BODY);
        // A heading that is not the description is a section title.
        let html = format!("<h2>{DESCRIPTION}</h2><p>{}</p>", BODY[0]);
        let mut kept = paragraphs(&[DESCRIPTION, BODY[0]]);
        assert!(
            drop_standfirst(&mut kept, &html, Some("Budget passed after late debate")).is_none()
        );
        assert!(drop_standfirst(&mut kept, &html, None).is_none());
        assert_eq!(kept.len(), 2);
        // A heading that ends no sentence is a title, even when the description repeats it.
        let html = format!("<h2>Budget night</h2><p>{}</p>", BODY[0]);
        let mut kept = paragraphs(&["Budget night", BODY[0]]);
        assert!(drop_standfirst(&mut kept, &html, Some("Budget night")).is_none());
    }
}
