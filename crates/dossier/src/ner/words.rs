//! Splits a sentence into words the way the CoNLL-2003 training text is split (Penn-style:
//! punctuation apart, possessive `'s` apart, `U.S.` and hyphenated names whole), keeping each
//! word's byte range so tags map back onto the sentence.

use regex::Regex;
use std::sync::LazyLock;

static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Dotted abbreviations: U.S., U.N., p.m.
        r"(?:\p{L}\.){2,}",
        // A capital initial: William H. Seely.
        r"|\p{Lu}\.",
        // Possessive and contracted endings, split off as the treebank does.
        r"|['’][sStT]\b",
        // Numbers with separators: 1,200  3.5  12:30  1996-08-22
        r"|\p{N}+(?:[.,:/-]\p{N}+)*",
        // Words, hyphenated and ampersanded compounds whole (Al-Qaeda, AT&T), up to an
        // apostrophe that starts a possessive.
        r"|[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|['’](?:[\p{L}&&[^sStT]]|[sStT]\p{L})|[-&][\p{L}\p{N}])*",
        r"|\S",
    ))
    .expect("valid word pattern")
});

/// Word byte ranges, in order.
pub fn words(sentence: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = WORD
        .find_iter(sentence)
        .map(|m| (m.start(), m.end()))
        .collect();
    // "don't": the word pattern stops at the apostrophe; give "n't" its treebank form by
    // moving the "n" from the word onto the ending.
    for i in 1..out.len() {
        let (start, end) = out[i];
        let text = &sentence[start..end];
        if (text == "'t" || text == "’t") && out[i - 1].1 == start && out[i - 1].1 > out[i - 1].0
        {
            let prev = &sentence[out[i - 1].0..out[i - 1].1];
            if prev.ends_with('n') && prev.len() > 1 {
                out[i - 1].1 -= 1;
                out[i].0 -= 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        words(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn splits_like_the_treebank() {
        assert_eq!(
            split("Trump's U.S. envoy, Brig Gen William H. Seely, didn't sign (it)."),
            [
                "Trump", "'s", "U.S.", "envoy", ",", "Brig", "Gen", "William", "H.", "Seely", ",",
                "did", "n't", "sign", "(", "it", ")", "."
            ]
        );
        assert_eq!(
            split("Al-Qaeda paid $1,200.50 on 1996-08-22 to AT&T at 3:30 p.m."),
            [
                "Al-Qaeda",
                "paid",
                "$",
                "1,200.50",
                "on",
                "1996-08-22",
                "to",
                "AT&T",
                "at",
                "3:30",
                "p.m."
            ]
        );
        assert_eq!(
            split("O'Brien met “Qasem” Soleimani’s aide"),
            [
                "O'Brien",
                "met",
                "“",
                "Qasem",
                "”",
                "Soleimani",
                "’s",
                "aide"
            ]
        );
    }
}
