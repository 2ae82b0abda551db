//! Links to other stories set between the paragraphs of an article ("SINGER CANCELS TOUR
//! AFTER FALL", "You may also like" lists): each is a paragraph that is nothing but one link
//! whose text reads as a headline. The extractor keeps them, since they sit inside the
//! article's markup; only the markup tells them from the article's own short lines, so they
//! are found in the extractor's HTML, and the text paragraph that matches one is dropped and
//! recorded under [`RULE`].
//!
//! A linked line that ends a sentence is kept (prose that happens to be a link: "Read the
//! council's statement."), and so is a short one (a product or a person linked by name, as
//! a recipe or a list of people has them).

use crate::model::Removal;
use regex::bytes::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The rule name recorded for a dropped teaser.
pub const RULE: &str = "link-teaser";

/// Fewer words than this is a name, not a headline.
const MIN_WORDS: usize = 5;

/// A paragraph holding one link and nothing else, bar bold or italic around it, as
/// rs-trafilatura writes its HTML. Byte pattern without Unicode tables (see `clean`).
static LINK_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?s-u)<p>\s*(?:<(?:strong|b|em|i)>\s*)*<a\b[^>]*>([^<]+)</a>\s*(?:</(?:strong|b|em|i)>\s*)*</p>",
    )
    .expect("valid regex")
});

/// Drops from `paragraphs` the teaser links found in `html` (the extractor's HTML of the same
/// text), and returns what was dropped.
pub fn drop_teasers(paragraphs: &mut Vec<String>, html: &str) -> Vec<Removal> {
    let teasers: HashSet<String> = LINK_ONLY
        .captures_iter(html.as_bytes())
        .filter_map(|c| c.get(1))
        .filter_map(|m| std::str::from_utf8(m.as_bytes()).ok())
        .map(|text| collapse(&html_escape::decode_html_entities(text)))
        .filter(|text| is_headline(text))
        .collect();
    if teasers.is_empty() {
        return Vec::new();
    }
    let mut removed = Vec::new();
    paragraphs.retain(|p| {
        let teaser = teasers.contains(&collapse(p));
        if teaser {
            removed.push(Removal {
                rule: RULE.to_string(),
                text: p.clone(),
            });
        }
        !teaser
    });
    removed
}

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn is_headline(text: &str) -> bool {
    crate::text::word_count(text) >= MIN_WORDS
        && !text.trim_end_matches(['"', '\'', ')', ']']).ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_links_between_paragraphs_go_linked_prose_and_names_stay() {
        // As rs-trafilatura writes a page's article: body paragraphs, an inline link, a
        // teaser in bold caps, a "you may also like" run, a linked sentence, a linked name.
        let html = r#"<p>The singer cancelled the rest of her tour on Monday, her <a href="/agent">agent</a> said.</p>
<p><strong><a href="/music/singer-falls-london">SINGER HURT IN FALL AT LONDON SHOW, FANS SAY</a></strong></p>
<p>She is expected to make a full recovery.</p>
<p>You may also like...</p>
<p><a href="/music/will-the-band-reunite">Will the band reunite in 2020?</a></p>
<p><a href="/music/ten-best-live-albums">Ten best live albums of the decade &amp; more</a></p>
<p><a href="/statement.pdf">Read the promoter's full statement on the cancelled dates.</a></p>
<p><a href="/venue/harbour-hall">Harbour Hall</a></p>"#;
        let mut paragraphs: Vec<String> = [
            "The singer cancelled the rest of her tour on Monday, her agent said.",
            "SINGER HURT IN FALL AT LONDON SHOW, FANS SAY",
            "She is expected to make a full recovery.",
            "You may also like...",
            "Will the band reunite in 2020?",
            "Ten best live albums of the decade & more",
            "Read the promoter's full statement on the cancelled dates.",
            "Harbour Hall",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let removed = drop_teasers(&mut paragraphs, html);
        assert_eq!(
            paragraphs,
            [
                "The singer cancelled the rest of her tour on Monday, her agent said.",
                "She is expected to make a full recovery.",
                "You may also like...",
                "Read the promoter's full statement on the cancelled dates.",
                "Harbour Hall",
            ]
        );
        let texts: Vec<&str> = removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "SINGER HURT IN FALL AT LONDON SHOW, FANS SAY",
                "Will the band reunite in 2020?",
                "Ten best live albums of the decade & more",
            ]
        );
        assert!(removed.iter().all(|r| r.rule == RULE));
    }
}
