//! A short block is confirmed by readability only where readability has it. A tag list under
//! an article ("Afghanistan", "United States"), a topic label, a lone "SOURCE:" are words
//! the article itself uses, so [`super::consensus`] finds their few runs of letters somewhere
//! in readability's text even when readability left the block out. A block that short must
//! also be where readability has it: the runs that straddle its junction with the block
//! before it or the one after it must be readability's too. A block that fails is dropped
//! and recorded under [`RULE`].

use super::consensus::{hash, GRAM};
use rustc_hash::FxHashSet;

/// The rule name recorded for a dropped block.
pub const RULE: &str = "unplaced-block";

/// Blocks with fewer letters and digits than this are checked in place: a phrase of some six
/// words (as [`super::edges`] anchors on), past which a block's own runs rarely all occur in
/// unrelated text.
pub const SHORT: usize = 3 * GRAM;

/// Whether readability's runs (`theirs`) have block `i` of `blocks` (letters and digits,
/// lower-cased, in the extractor's order) joined to the block before or after it.
pub fn in_place(blocks: &[Vec<char>], i: usize, theirs: &FxHashSet<u64>) -> bool {
    let joined_to = |before: &[char], after: &[char]| {
        let tail = &before[before.len().saturating_sub(GRAM - 1)..];
        let head = &after[..after.len().min(GRAM - 1)];
        let junction: Vec<char> = tail.iter().chain(head).copied().collect();
        junction.len() >= GRAM
            && junction
                .windows(GRAM)
                .all(|run| theirs.contains(&hash(run)))
    };
    let block = &blocks[i];
    (i > 0 && joined_to(&blocks[i - 1], block))
        || blocks.get(i + 1).is_some_and(|next| joined_to(block, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(text: &str) -> Vec<char> {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }

    fn runs(text: &str) -> FxHashSet<u64> {
        letters(text).windows(GRAM).map(hash).collect()
    }

    // What readability has of a report: a heading inside it, and the article's last line.
    const READABILITY: &str = "Two United States service members were killed in a helicopter crash in Afghanistan, the military said. Hostage swap The crash comes a day after the Taliban swapped two Western hostages. More than 2,500 Afghan civilians have been killed this year, according to the United Nations.";

    #[test]
    fn a_tag_list_whose_words_the_article_uses_is_not_in_place_a_heading_inside_it_is() {
        // The extractor's blocks: the article with its section heading, then the tag list
        // readability left out.
        let blocks: Vec<Vec<char>> = [
            "Two United States service members were killed in a helicopter crash in Afghanistan, the military said.",
            "Hostage swap",
            "The crash comes a day after the Taliban swapped two Western hostages.",
            "More than 2,500 Afghan civilians have been killed this year, according to the United Nations.",
            "Afghanistan",
            "United States",
        ]
        .iter()
        .map(|b| letters(b))
        .collect();
        let theirs = runs(READABILITY);
        let placed: Vec<bool> = (0..blocks.len())
            .map(|i| in_place(&blocks, i, &theirs))
            .collect();
        assert_eq!(placed, [true, true, true, true, false, false]);
    }
}
