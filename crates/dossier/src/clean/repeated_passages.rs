//! Repeated passages: a passage emitted twice inside one block. Some pages carry the article a
//! second time in markup an extractor flattens into the same block (a JSON-LD `articleBody`,
//! nested copies), which comes out as the text and then its copy glued on: a cbsnews page of
//! the extraction benchmark gave 3,853 tokens for a 983-token article. A run of
//! [`MIN_PASSAGE`] bytes that repeats earlier text of the same block is that copy; prose does
//! not repeat itself at that length. Repeats across blocks are left to
//! [`super::repeated_paragraphs`].

use super::shared::removal;
use crate::model::Removal;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// The rule name recorded for a cut copy.
pub(super) const RULE: &str = "repeated-passage";

/// Bytes compared at a time when looking for a passage repeated inside a block.
const WINDOW: usize = 64;
/// The shortest repeat that is a copy rather than prose repeating itself.
const MIN_PASSAGE: usize = 200;

/// Whether `bytes` may hold a passage that [`remove`] cuts, in one pass of rolling hashes
/// instead of a map of every window (which cost a fifth of a `dossier summarize` of a DUC
/// cluster, where nearly no block repeats itself). The first copy of such a passage spans
/// `STRIDE` consecutive windows that recur later, and one of them starts at a multiple of
/// `STRIDE`: only those windows are remembered. Equal windows hash alike, so no repeat is
/// missed; a collision only costs the full scan.
fn may_repeat(bytes: &[u8]) -> bool {
    const STRIDE: usize = MIN_PASSAGE - WINDOW + 1;
    const BASE: u64 = 0x0100_0000_01b3;
    let top = BASE.wrapping_pow(WINDOW as u32 - 1);
    let mut hash = bytes[..WINDOW].iter().fold(0u64, |h, &b| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(b))
    });
    // Seeded hashing: the windows are report text. A bit per value of the hash's top bits
    // answers most probes without hashing again (few windows are remembered, so few bits are
    // set); the set decides the rest.
    let mut anchors: foldhash::HashSet<u64> = foldhash::HashSet::default();
    let mut bits = [0u64; 64];
    let slot = |hash: u64| ((hash >> 58) as usize, 1u64 << ((hash >> 52) & 63));
    let mut until_anchor = 0;
    for i in 0..=bytes.len() - WINDOW {
        if i > 0 {
            hash = hash
                .wrapping_sub(u64::from(bytes[i - 1]).wrapping_mul(top))
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(bytes[i + WINDOW - 1]));
        }
        let (word, bit) = slot(hash);
        if bits[word] & bit != 0 && anchors.contains(&hash) {
            return true;
        }
        if until_anchor == 0 {
            bits[word] |= bit;
            anchors.insert(hash);
            until_anchor = STRIDE;
        }
        until_anchor -= 1;
    }
    false
}

/// Cuts every later copy of a passage of [`MIN_PASSAGE`] bytes or more out of `text`.
pub(super) fn remove(text: &str, removed: &mut Vec<Removal>) -> String {
    let bytes = text.as_bytes();
    if bytes.len() < WINDOW + MIN_PASSAGE || !may_repeat(bytes) {
        return text.to_string();
    }
    // Seeded hashing: the windows are report text. Sized for every window up front and probed
    // once per window.
    let mut first_seen: foldhash::HashMap<&[u8], usize> =
        HashMap::with_capacity_and_hasher(bytes.len() - WINDOW + 1, Default::default());
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i + WINDOW <= bytes.len() {
        let window = &bytes[i..i + WINDOW];
        match first_seen.entry(window) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(first) if *first.get() + WINDOW <= i => {
                let j = *first.get();
                // The copy runs as long as it matches, and never into itself.
                let len = (0..i - j)
                    .take_while(|&t| i + t < bytes.len() && bytes[i + t] == bytes[j + t])
                    .count();
                if len >= MIN_PASSAGE {
                    let (start, end) = word_bounds(bytes, i, i + len);
                    if start < end {
                        removed.push(removal(RULE, text[start..end].trim()));
                        out.push_str(&text[last..start]);
                        last = end;
                    }
                    // A copy with no word boundary to cut at (a run of one character, a
                    // blob with no spaces) is not prose either way; stepping over it keeps
                    // the scan linear, where stepping one byte re-measured the same run at
                    // every offset (43 s for 300 KB of one letter).
                    i = if start < end { end } else { i + len };
                    continue;
                }
            }
            Entry::Occupied(_) => {}
        }
        i += 1;
    }
    if last == 0 {
        return text.to_string();
    }
    out.push_str(&text[last..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The span shrunk to whole words: it starts after and ends at a space or sentence mark, so
/// that a cut never splits a word (both are ASCII, hence character boundaries too).
fn word_bounds(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    let boundary = |b: u8| b.is_ascii_whitespace() || matches!(b, b'.' | b'!' | b'?' | b'"');
    while start < end && start > 0 && !boundary(bytes[start - 1]) {
        start += 1;
    }
    while end > start && end < bytes.len() && !boundary(bytes[end]) {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::run;

    #[test]
    fn a_copy_glued_inside_a_block_is_cut_out() {
        // An article carried twice in the page (body and JSON-LD `articleBody`) comes out
        // of the extractor as one block: the text, then its later part again, glued on.
        let lede = "Two former officials testified side by side before the committee on Tuesday.";
        let part = "Morrison said he had feared how the call would play in Washington's political \
                    climate. \"My fears have been realized,\" he told the committee. Volker said he \
                    had no knowledge of any effort to urge Ukraine to investigate the Bidens.";
        let block = format!("{lede} {part}{part} Schiff closed the hearing at six.");
        let c = run(&[&block]);
        assert_eq!(
            c.paragraphs,
            [format!("{lede} {part} Schiff closed the hearing at six.")]
        );
        assert_eq!(c.removed.len(), 1, "{:?}", c.removed);
        assert_eq!(c.removed[0].rule, "repeated-passage");
        assert_eq!(c.removed[0].text, part);
        // Shorter repeats are prose, not copies: a refrain, a repeated quote.
        let refrain =
            "\"We will rebuild,\" the mayor said. The crowd answered: \"We will rebuild.\" \
                       She said it again at the cemetery: \"We will rebuild.\"";
        assert_eq!(run(&[refrain]).paragraphs, [refrain]);
    }

    #[test]
    fn a_copy_is_found_wherever_it_starts() {
        // The quick pass remembers only some windows: a copy must be found whatever its offset
        // from them, and text without one must be let through. Letters from a small
        // generator, so that no window repeats by chance.
        let noise = |n: usize, mut x: u32| -> String {
            (0..n)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(b'a' + ((x >> 16) % 26) as u8)
                })
                .collect()
        };
        let passage = noise(MIN_PASSAGE, 1);
        for offset in 0..=MIN_PASSAGE - WINDOW + 1 {
            let text = format!("{}{passage}{}{passage}", noise(offset, 2), noise(3, 3));
            assert!(may_repeat(text.as_bytes()), "offset {offset}");
        }
        let once = format!("{}{passage}{}", noise(WINDOW, 2), noise(MIN_PASSAGE, 3));
        assert!(!may_repeat(once.as_bytes()));
    }

    #[test]
    fn a_blob_without_spaces_is_kept_whole() {
        // One repeated letter repeats every window; with no word boundary to cut at, the copy
        // rule steps over it (it used to re-measure the run at every offset: 43 s for 300 KB).
        let blob = "a".repeat(300_000);
        let c = run(&[&blob]);
        assert_eq!(c.paragraphs, [blob]);
        assert!(c.removed.is_empty());
    }
}
