//! A second opinion on what the article is. rs-trafilatura keeps the blocks it scores as
//! content, and on many pages that includes blocks around the article (related-story lists,
//! tag and category lists, author boxes, a sidebar the page's markup does not set apart). A
//! readability-style extractor (dom_smoothie, a port of Mozilla's Readability) chooses the
//! article differently: the one subtree with the best text score, trimmed of link-dense
//! parts. The two err in different places, so a block that rs-trafilatura kept and readability
//! left out is most likely page furniture: it is dropped and recorded under
//! [`RULE`]. A short block must also stand where readability has it ([`placement`]).
//!
//! The second opinion is only asked where it can be trusted: readability must have found an
//! article of some length, and most of what it found must be in rs-trafilatura's text too
//! (otherwise the two picked different parts of the page, and neither is a check on the
//! other).
//!
//! Text is compared as runs of [`GRAM`] letters and digits, lower-cased, with everything else
//! left out: the two extractors join blocks, space words around inline markup and decode
//! entities differently, and that must not count as disagreement. It also works the same for
//! scripts written without spaces.

use super::{edges, placement};
use crate::model::Removal;
use rustc_hash::FxHashSet;
use std::hash::{Hash, Hasher};

/// The rule name recorded for a dropped block.
pub const RULE: &str = "unconfirmed-block";

/// Letters and digits per compared run: long enough that a run rarely occurs in unrelated
/// text, short enough that a one-line heading still has a few.
pub(super) const GRAM: usize = 10;

/// Below this many letters and digits readability found no article to speak of.
const MIN_ARTICLE: usize = 300;

/// Share of readability's runs that must be in rs-trafilatura's text for the two to be
/// looking at the same article.
const MIN_OVERLAP: f64 = 0.5;

/// Share of a block's runs that readability must have for the block to stay.
const MIN_CONFIRMED: f64 = 0.5;

/// The most of rs-trafilatura's text the check may drop. A page whose article is mostly
/// furniture by this measure (over half of it, as when the extractor took in a whole
/// sidebar) is still cleaned; past this share readability has more likely kept only part of
/// a long article, and rs-trafilatura's text is left whole.
const MAX_DROPPED: f64 = 0.6;

/// Drops from `paragraphs` (rs-trafilatura's blocks, in order) the ones readability did not
/// find in `html`, and returns what was dropped. Leaves everything when readability finds no
/// article, or another one.
pub fn drop_unconfirmed(paragraphs: &mut Vec<String>, html: &str) -> Vec<Removal> {
    let Some(article) = readability_text(html) else {
        return Vec::new();
    };
    let article = comparable(&article);
    if article.len() < MIN_ARTICLE {
        return Vec::new();
    }
    let theirs = grams(&article);
    let ours = grams(&comparable(&paragraphs.join("\n")));
    let shared = theirs.iter().filter(|g| ours.contains(g)).count();
    if (shared as f64) < MIN_OVERLAP * theirs.len() as f64 {
        return Vec::new();
    }
    let article_text: String = article.iter().collect();
    let blocks: Vec<Vec<char>> = paragraphs.iter().map(|p| comparable(p)).collect();
    let mut total = 0;
    let mut dropped = 0;
    let verdicts: Vec<Option<&str>> = (0..blocks.len())
        .map(|i| {
            let block = &blocks[i];
            total += block.len();
            let verdict = if block.is_empty() {
                // No letters at all: left for the cleaning rules.
                None
            } else if !has_runs_of(block, &article_text, &theirs) {
                Some(RULE)
            } else if block.len() < placement::SHORT && !placement::in_place(&blocks, i, &theirs) {
                Some(placement::RULE)
            } else {
                None
            };
            if verdict.is_some() {
                dropped += block.len();
            }
            verdict
        })
        .collect();
    if dropped as f64 > MAX_DROPPED * total as f64 {
        return Vec::new();
    }
    let mut removed = Vec::new();
    for (mut paragraph, verdict) in std::mem::take(paragraphs).into_iter().zip(verdicts) {
        match verdict {
            None => {
                removed.extend(edges::trim(&mut paragraph, &theirs));
                paragraphs.push(paragraph);
            }
            Some(rule) => removed.push(Removal {
                rule: rule.to_string(),
                text: paragraph,
            }),
        }
    }
    removed
}

/// Whether readability has most of `block`'s runs (`theirs`), or, for a block too short for
/// runs (a label, a short heading), has it anywhere in `article_text`.
fn has_runs_of(block: &[char], article_text: &str, theirs: &FxHashSet<u64>) -> bool {
    if block.len() < GRAM {
        return article_text.contains(&block.iter().collect::<String>());
    }
    let runs: Vec<u64> = block.windows(GRAM).map(hash).collect();
    let found = runs.iter().filter(|g| theirs.contains(g)).count();
    found as f64 >= MIN_CONFIRMED * runs.len() as f64
}

/// The article text readability finds in the page, if it finds one. The check is optional:
/// should the second parser fail on some page, even by panicking, the page goes on without it.
fn readability_text(html: &str) -> Option<String> {
    std::panic::catch_unwind(|| {
        let mut readability = dom_smoothie::Readability::new(html, None, None).ok()?;
        let article = readability.parse().ok()?;
        Some(article.text_content.to_string())
    })
    .ok()
    .flatten()
}

/// Letters and digits only, lower-cased.
pub(super) fn comparable(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn grams(chars: &[char]) -> FxHashSet<u64> {
    chars.windows(GRAM).map(hash).collect()
}

pub(super) fn hash(run: &[char]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    run.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(article: &str, aside: &str) -> String {
        format!(
            r#"<!DOCTYPE html><html><head><title>Harbour dredging</title></head><body>
            <header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
            <main><article><h1>Harbour dredging to start in spring</h1>{article}</article>
            {aside}</main><footer><p>Riverside Courier, 12 Quay Street</p></footer></body></html>"#
        )
    }

    fn paragraphs(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    const BODY: [&str; 4] = [
        "The harbour authority will begin dredging the main channel in March, its chair told the council on Tuesday, after two ferries ran aground on silt last winter.",
        "Dredging is expected to take eleven weeks and to cost about 4.2 million pounds, which the authority will raise from higher mooring fees over five years.",
        "Fishermen said the work was overdue but asked for the spoil to be dumped further out to sea, away from the mussel beds at the mouth of the estuary.",
        "The council will vote on the plan at its next meeting, when engineers are due to present a survey of the channel floor.",
    ];

    fn body_html() -> String {
        BODY.iter().map(|p| format!("<p>{p}</p>")).collect()
    }

    #[test]
    fn blocks_readability_leaves_out_are_dropped_and_recorded() {
        let related = [
            "Ferry operator fined over 2019 collision",
            "Harbour pilots warn of silting at the estuary mouth",
            "Mussel farmers count cost of cold spring",
        ];
        let aside = format!(
            r#"<aside class="related"><h3>You may also like</h3><ul>{}</ul></aside>"#,
            related
                .iter()
                .map(|r| format!(r#"<li><a href="/story/{}">{r}</a></li>"#, r.len()))
                .collect::<String>()
        );
        let html = page(&body_html(), &aside);
        // What rs-trafilatura returned for this page: the article and the related links.
        let mut kept = paragraphs(&BODY);
        kept.push("You may also like".into());
        kept.extend(related.iter().map(|r| r.to_string()));
        let removed = drop_unconfirmed(&mut kept, &html);
        assert_eq!(kept, paragraphs(&BODY));
        let texts: Vec<&str> = removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts[0], "You may also like");
        assert_eq!(&texts[1..], related);
        assert!(removed.iter().all(|r| r.rule == RULE));
    }

    #[test]
    fn blocks_are_compared_by_letters_not_spacing_or_punctuation() {
        let html = page(&body_html(), "");
        // The same text as rs-trafilatura may render it: other spacing, quotes and case.
        let mut kept: Vec<String> = BODY
            .iter()
            .map(|p| p.replace(", ", " , ").replace("March", "MARCH"))
            .collect();
        let before = kept.clone();
        assert!(drop_unconfirmed(&mut kept, &html).is_empty());
        assert_eq!(kept, before);
    }

    #[test]
    fn nothing_is_dropped_when_readability_finds_another_text_or_none() {
        // Readability finds only a short notice: no article to check against.
        let html = page("<p>This page has moved.</p>", "");
        let mut kept = paragraphs(&BODY);
        assert!(drop_unconfirmed(&mut kept, &html).is_empty());
        assert_eq!(kept.len(), 4);
        // Readability finds an article, but not the one rs-trafilatura returned.
        let html = page(&body_html(), "");
        let mut other = paragraphs(&[
            "Volunteers planted four hundred oak saplings along the ring road on Saturday morning, the parks department said.",
            "The trees replace an avenue of limes felled after a storm two years ago.",
        ]);
        assert!(drop_unconfirmed(&mut other, &html).is_empty());
        assert_eq!(other.len(), 2);
    }

    #[test]
    fn nothing_is_dropped_when_readability_confirms_little_of_the_text() {
        // Readability found the first part of a long report only (here: the page holds no
        // more); what rs-trafilatura has beyond it is most of the text, and is kept.
        let html = page(&body_html(), "");
        let sequel = [
            "Engineers said a second phase, planned for the autumn, would deepen the approach to the container berths by a further two metres.",
            "That work would need a licence from the marine agency, which has asked for a study of how the spoil would move with the tides.",
            "The authority said it expected the study to be finished by June and the licence to be decided before the end of the summer.",
            "Shipping companies have said they will move their larger vessels to other ports if the approach is not deepened within three years.",
            "The port handled just over two million tonnes of freight last year, a fifth less than before the channel began to silt up.",
            "Councillors from both parties said they would back the first phase but wanted to see the costs of the second before committing to it.",
            "The last full dredge of the channel was in 1998, when the work took five months and closed the inner harbour to ferries for six weeks.",
            "Residents of the quay asked the authority to limit night work, after complaints about noise from the pumps during a trial in the autumn.",
            "The authority said the dredgers would work in daylight only, except for two weekends when the tides would allow no other window.",
        ];
        let mut kept = paragraphs(&BODY);
        kept.extend(sequel.iter().map(|p| p.to_string()));
        let before = kept.clone();
        assert!(drop_unconfirmed(&mut kept, &html).is_empty());
        assert_eq!(kept, before);
    }
}
