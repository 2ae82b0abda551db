//! A block readability confirms may still carry page furniture at its ends: on pages whose
//! markup gives the extractor no paragraphs, the article, the page title and date line before
//! it, and the share bar, related links and comments after it come out as one block. Most of
//! that block is the article, so [`super::consensus`] keeps it whole. Here its leading and
//! trailing stretches that readability does not have are cut off, at word boundaries, and
//! recorded under [`RULE`].

use super::consensus::{hash, GRAM};
use crate::model::Removal;
use rustc_hash::FxHashSet;

/// The rule name recorded for a cut-off stretch.
pub const RULE: &str = "unconfirmed-edge";

/// Letters and digits an unconfirmed end must have to be cut: a headline's worth, so that a
/// word or two the extractors render differently (a trailing link, a footnote mark) is not.
const MIN_EDGE: usize = 2 * GRAM;

/// Letters and digits in a row that readability must have for a stretch to count as its
/// text: a phrase of some six words. A few words shared by chance (a headline repeating the
/// article's words, a comment quoting the page's address) are not an anchor.
const ANCHOR: usize = 3 * GRAM;

/// Cuts from `block` its leading and trailing stretches that hold no anchor, and returns
/// them. `theirs` are readability's runs.
pub fn trim(block: &mut String, theirs: &FxHashSet<u64>) -> Vec<Removal> {
    // Letters and digits, lower-cased, each with the byte range of the character it came from.
    let chars: Vec<(char, usize, usize)> = block
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (l, i, i + c.len_utf8())))
        .collect();
    if chars.len() < GRAM {
        return Vec::new();
    }
    let letters: Vec<char> = chars.iter().map(|c| c.0).collect();
    let mut covered = vec![false; letters.len()];
    for (i, run) in letters.windows(GRAM).enumerate() {
        if theirs.contains(&hash(run)) {
            covered[i..i + GRAM].fill(true);
        }
    }
    let Some((first, last)) = anchored_span(&covered) else {
        return Vec::new();
    };
    let mut start = 0;
    let mut end = block.len();
    if first >= MIN_EDGE {
        start = word_start(block, chars[first].1);
    }
    if chars.len() - 1 - last >= MIN_EDGE {
        end = word_end(block, chars[last].2);
    }
    let mut removed = Vec::new();
    for piece in [&block[end..], &block[..start]] {
        if !piece.trim().is_empty() {
            removed.push(Removal {
                rule: RULE.to_string(),
                text: piece.trim().to_string(),
            });
        }
    }
    removed.reverse();
    *block = block[start..end].trim().to_string();
    removed
}

/// The first and last letter of the anchors (stretches of at least [`ANCHOR`] letters all in
/// readability's runs).
fn anchored_span(covered: &[bool]) -> Option<(usize, usize)> {
    let mut span: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < covered.len() {
        let len = covered[i..]
            .iter()
            .take_while(|&&c| c == covered[i])
            .count();
        if covered[i] && len >= ANCHOR {
            let first = span.map_or(i, |s| s.0);
            span = Some((first, i + len - 1));
        }
        i += len;
    }
    span
}

/// The start of the word holding byte `at`.
fn word_start(text: &str, at: usize) -> usize {
    text[..at].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// The end of the word holding the byte before `at` (its closing punctuation included).
fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> FxHashSet<u64> {
        let letters: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        letters.windows(GRAM).map(hash).collect()
    }

    const ARTICLE: &str = "The village hall will reopen in May after a two-year repair of its roof, the parish council said on Monday. Volunteers raised most of the cost through a summer fair and a sponsored walk along the canal.";

    #[test]
    fn a_title_line_before_and_a_share_bar_and_comments_after_the_article_are_cut() {
        // A page without paragraph markup: the extractor returns its title, date line,
        // article, share bar and comments as one block; readability has only the article.
        let mut block = format!(
            "Village hall to reopen Posted on 3 March by admin {ARTICLE} Share this:FacebookTwitterEmail \
             Like this: Loading... 2 Responses to village hall reopening, on 4 March said: great news for the hall reopen Reply"
        );
        let removed = trim(&mut block, &runs(ARTICLE));
        assert_eq!(block, ARTICLE);
        let texts: Vec<&str> = removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts[0],
            "Village hall to reopen Posted on 3 March by admin"
        );
        assert!(texts[1].starts_with("Share this:") && texts[1].ends_with("Reply"));
        assert!(removed.iter().all(|r| r.rule == RULE));
    }

    #[test]
    fn a_block_readability_has_whole_or_with_a_short_difference_is_left_alone() {
        let mut block = ARTICLE.to_string();
        assert!(trim(&mut block, &runs(ARTICLE)).is_empty());
        assert_eq!(block, ARTICLE);
        // A trailing link text the extractors render differently is shorter than an edge.
        let mut block = format!("{ARTICLE} (Photo: PA)");
        assert!(trim(&mut block, &runs(ARTICLE)).is_empty());
        // A few words shared by chance are not an anchor: nothing to measure the edges by.
        let mut block =
            "Reopen the village hall, said one reader of the parish newsletter.".to_string();
        assert!(trim(&mut block, &runs(ARTICLE)).is_empty());
    }
}
