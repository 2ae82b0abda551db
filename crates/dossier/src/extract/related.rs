//! Lists of links to the site's own other stories, set under or inside an article ("NASA
//! Europa Mission Could Potentially Spot Signs of Alien Life", "Photos: Europa, Mysterious
//! Icy Moon of Jupiter"): a list whose every item is one link, with a headline's text, to a
//! page of the same site. The extractor keeps them, as they sit in the article's markup; the
//! paragraphs they became are dropped and recorded under [`RULE`].
//!
//! Both marks are needed. A list of links out of the site is the article's own matter (the
//! shops in a deals roundup, the sources of a report), and so is a list of short linked names
//! or a list holding any text besides its links.

use super::teasers::{collapse, is_headline};
use crate::model::Removal;
use regex::bytes::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The rule name recorded for a dropped list entry.
pub const RULE: &str = "related-list";

/// A single link is not yet a list of stories.
const MIN_ITEMS: usize = 2;

/// A list and its items, as rs-trafilatura writes its HTML. Byte patterns without Unicode
/// tables (see `clean`).
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s-u)<(?:ul|ol)\b[^>]*>(.*?)</(?:ul|ol)>").expect("valid regex")
});

static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s-u)<li\b[^>]*>(.*?)</li>").expect("valid regex"));

/// An item that is one link and nothing else, bar bold or italic around it.
static LINK_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s-u)^\s*(?:<(?:strong|b|em|i)>\s*)*<a\b[^>]*?\bhref="([^"]*)"[^>]*>([^<]+)</a>\s*(?:</(?:strong|b|em|i)>\s*)*$"#,
    )
    .expect("valid regex")
});

/// Drops from `paragraphs` the entries of the related-story lists in `html` (the extractor's
/// HTML of the same text), and returns them. `page_url` is the page's own address, when known;
/// without it only relative links count as the site's own.
pub fn drop_related(
    paragraphs: &mut Vec<String>,
    html: &str,
    page_url: Option<&str>,
) -> Vec<Removal> {
    let site = page_url.and_then(host);
    let entries: HashSet<String> = LIST
        .captures_iter(html.as_bytes())
        .filter_map(|list| related_entries(list.get(1)?.as_bytes(), site))
        .flatten()
        .collect();
    if entries.is_empty() {
        return Vec::new();
    }
    let mut removed = Vec::new();
    paragraphs.retain(|p| {
        let entry = entries.contains(&collapse(p));
        if entry {
            removed.push(Removal {
                rule: RULE.to_string(),
                text: p.clone(),
            });
        }
        !entry
    });
    removed
}

/// The texts of a list's items when every item is a headline linked to `site`.
fn related_entries(list: &[u8], site: Option<&str>) -> Option<Vec<String>> {
    let mut texts = Vec::new();
    for item in ITEM.captures_iter(list) {
        let link = LINK_ONLY.captures(item.get(1)?.as_bytes())?;
        let href = std::str::from_utf8(link.get(1)?.as_bytes()).ok()?;
        let text = std::str::from_utf8(link.get(2)?.as_bytes()).ok()?;
        let text = collapse(&html_escape::decode_html_entities(text));
        let own = match host(href) {
            None => true,
            Some(h) => site.is_some_and(|s| same_site(h, s)),
        };
        if !own || !is_headline(&text) {
            return None;
        }
        texts.push(text);
    }
    (texts.len() >= MIN_ITEMS).then_some(texts)
}

/// The host of an absolute or scheme-relative address; `None` for a relative one.
fn host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Hosts of one site: equal, or one a subdomain of the other (www.space.com, space.com).
fn same_site(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_list_of_headlines_linked_to_the_site_is_dropped_and_recorded() {
        // The end of an article as rs-trafilatura writes it: the last paragraph, the site's
        // related stories (absolute and relative links), the author's book note.
        let html = r#"<p>The probe could fly through the plume on one of its flybys.</p><ul><li><a href="https://www.example-space.com/europa-mission-life.html">NASA Europa Mission Could Spot Signs of Life</a></li><li><a href="/photos-europa-moon.html">Photos: Europa, Mysterious Icy Moon of Jupiter</a></li><li><em><a href="https://example-space.com/keck.html">Keck Observatory: Twin Telescopes on Mauna Kea</a></em></li></ul><p><em>Follow us on Twitter.</em></p>"#;
        let mut kept = paragraphs(&[
            "The probe could fly through the plume on one of its flybys.",
            "NASA Europa Mission Could Spot Signs of Life",
            "Photos: Europa, Mysterious Icy Moon of Jupiter",
            "Keck Observatory: Twin Telescopes on Mauna Kea",
            "Follow us on Twitter.",
        ]);
        let removed = drop_related(
            &mut kept,
            html,
            Some("https://www.example-space.com/europa-plumes.html"),
        );
        assert_eq!(
            kept,
            [
                "The probe could fly through the plume on one of its flybys.",
                "Follow us on Twitter."
            ]
        );
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|r| r.rule == RULE));
    }

    #[test]
    fn links_out_of_the_site_short_names_and_mixed_items_stay() {
        // A deals roundup: each item links to a shop.
        let deals = r#"<ul><li><a href="https://shop.example.net/p/1">Get the console on sale for $249.95</a></li><li><a href="https://shop.example.net/p/2">Get the headphones for $139 today</a></li></ul>"#;
        // Tags: links to the site, but names, not headlines.
        let tags = r#"<ul><li><a href="/tags/protest">Protest</a></li><li><a href="/tags/china">China</a></li></ul>"#;
        // Items with text besides the link.
        let mixed = r#"<ul><li><a href="/a">Council passes the budget for next year</a> after a long night</li><li><a href="/b">Bus routes to end in April as costs rise</a></li></ul>"#;
        let texts = [
            "Get the console on sale for $249.95",
            "Get the headphones for $139 today",
            "Protest",
            "China",
            "Council passes the budget for next year after a long night",
            "Bus routes to end in April as costs rise",
        ];
        for html in [deals, tags, mixed] {
            let mut kept = paragraphs(&texts);
            assert!(
                drop_related(&mut kept, html, Some("https://www.example.com/story")).is_empty()
            );
            assert_eq!(kept.len(), texts.len());
        }
    }
}
