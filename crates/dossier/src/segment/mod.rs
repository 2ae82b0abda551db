//! Segment: paragraphs to sentences.
//!
//! sentencex does the hard part (abbreviations, initials, decimals, quotations that run past a
//! full stop). Paragraphs are segmented one by one, so a headline without a full stop never
//! swallows the next sentence.

use crate::text::WEEKDAYS;
use std::collections::HashSet;

/// Splits cleaned paragraphs into sentences, in order.
pub fn sentences(paragraphs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut names: Option<HashSet<(&str, &str)>> = None;
    for paragraph in paragraphs {
        crate::guard::check();
        let mut pieces: Vec<String> = Vec::new();
        for piece in sentencex::segment("en", paragraph) {
            let piece = piece.trim();
            let cuts = name_ends(piece, || {
                names.get_or_insert_with(|| plain_pairs(paragraphs))
            });
            let starts = std::iter::once(0).chain(cuts.iter().copied());
            let ends = cuts.iter().copied().chain(std::iter::once(piece.len()));
            for (start, end) in starts.zip(ends) {
                push_piece(&mut pieces, piece[start..end].trim());
            }
        }
        reattach_quote_marks(&mut pieces);
        out.extend(pieces);
    }
    out
}

/// Adds a piece of the segmenter's output to the sentences of a paragraph, mending its cuts.
fn push_piece(pieces: &mut Vec<String>, piece: &str) {
    if piece.is_empty() {
        return;
    }
    let Some(prev) = pieces.last_mut() else {
        pieces.push(piece.to_string());
        return;
    };
    if continues(prev, piece) {
        prev.push(' ');
        prev.push_str(piece);
    } else if let Some(end) = label_end(prev, piece) {
        // "… Nadler, D-N." + "Y. "It is a surrender …"": the label ends the sentence, and the
        // next one starts after it.
        prev.push_str(&piece[..end]);
        let rest = piece[end..].trim_start();
        if !rest.is_empty() {
            pieces.push(rest.to_string());
        }
    } else {
        pieces.push(piece.to_string());
    }
}

/// Where sentences end inside `piece` although the segmenter read the full stop as an
/// abbreviation's: after a name whose last word is also an abbreviation ("… strongman Hun Sen.
/// Sam Rainsy wrote …", where "Sen." reads as "Senator"). The report itself tells: it writes the same
/// two words without the full stop elsewhere ("Hun Sen's party"), which a title never is.
/// Byte offsets of the starts of the sentences that follow.
fn name_ends<'p>(
    piece: &str,
    names: impl FnOnce() -> &'p HashSet<(&'p str, &'p str)>,
) -> Vec<usize> {
    // Each candidate is a full stop followed by white space inside the piece, which most
    // pieces (one sentence each) do not have: those need not be split into tokens.
    let inner_stop = memchr::memchr_iter(b'.', piece.as_bytes())
        .any(|i| piece[i + 1..].starts_with(char::is_whitespace));
    if !inner_stop {
        return Vec::new();
    }
    let tokens: Vec<(usize, &str)> = piece
        .split_whitespace()
        .map(|t| (t.as_ptr() as usize - piece.as_ptr() as usize, t))
        .collect();
    let candidates: Vec<usize> = (1..tokens.len().saturating_sub(1))
        .filter(|&i| {
            let (word, next) = (tokens[i].1, tokens[i + 1].1);
            word.strip_suffix('.').is_some_and(capitalised_word)
                && capitalised_word(tokens[i - 1].1)
                && next
                    .trim_start_matches(['"', '\''])
                    .starts_with(char::is_uppercase)
        })
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let names = names();
    candidates
        .into_iter()
        .filter(|&i| names.contains(&(tokens[i - 1].1, tokens[i].1.trim_end_matches('.'))))
        .map(|i| tokens[i + 1].0)
        .collect()
}

/// A capitalised word of letters only: "Sen", "Hun" (not "U.S", "D-N" or "Sen's").
fn capitalised_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().all(char::is_alphabetic)
}

/// Pairs of capitalised words that a report writes without a full stop after the second
/// ("Hun Sen's", "Hun Sen told"): the second is a name there, not an abbreviation.
fn plain_pairs(paragraphs: &[String]) -> HashSet<(&str, &str)> {
    let mut pairs = HashSet::new();
    for paragraph in paragraphs {
        let tokens: Vec<&str> = paragraph.split_whitespace().collect();
        for w in tokens.windows(2) {
            let second = w[1].trim_end_matches([',', ';', ':', ')', '"', '\'']);
            let second = second
                .strip_suffix("'s")
                .or_else(|| second.strip_suffix("’s"))
                .unwrap_or(second);
            if capitalised_word(w[0]) && capitalised_word(second) && !w[1].contains('.') {
                pairs.insert((w[0], second));
            }
        }
    }
    pairs
}

/// The segmenter cuts between a full stop and the quote mark after it by the spaces, not by
/// what the mark does: a quotation that opens the next sentence ("… was locked. "They locked
/// us out," …") ends up on the sentence before it, and one that closes a sentence whose opening
/// mark was elsewhere ("… what they want." Besides …") on the sentence after. A mark is set off
/// by a space only on the side away from its words, so each goes back to its words.
fn reattach_quote_marks(pieces: &mut Vec<String>) {
    const MARKS: [char; 2] = ['"', '\''];
    for i in 1..pieces.len() {
        let mut head = pieces[i].chars();
        if let (Some(mark), Some(space)) = (head.next(), head.next()) {
            if MARKS.contains(&mark) && space.is_whitespace() {
                let rest = head.as_str().trim_start().to_string();
                pieces[i - 1].push(mark);
                pieces[i] = rest;
            }
        }
    }
    for i in (0..pieces.len().saturating_sub(1)).rev() {
        let mut tail = pieces[i].chars().rev();
        if let (Some(mark), Some(space)) = (tail.next(), tail.next()) {
            if MARKS.contains(&mark) && space.is_whitespace() {
                let kept = tail.rev().collect::<String>().trim_end().to_string();
                pieces[i] = kept;
                pieces[i + 1].insert(0, mark);
            }
        }
    }
    pieces.retain(|p| p.chars().any(char::is_alphanumeric));
}

/// What may follow a clock time besides a weekday: a month or a time zone.
const TIME_FOLLOWERS: &[&str] = &[
    "Jan",
    "January",
    "Feb",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "Sept",
    "September",
    "Oct",
    "October",
    "Nov",
    "November",
    "Dec",
    "December",
    "ET",
    "EST",
    "EDT",
    "GMT",
    "UTC",
    "PT",
    "PST",
    "PDT",
    "local",
];

/// Whether `next` continues `prev` although the segmenter split them: a clock time ("3 p.m.")
/// followed by the day or zone it belongs to, a stray fragment of closing punctuation, or the
/// rest of a dotted label cut after an initial ("Nadler, D-N." + "Y., who leads").
fn continues(prev: &str, next: &str) -> bool {
    if !next.chars().any(char::is_alphanumeric) {
        return true;
    }
    if ends_with_initial(prev) && rest_of_label(next) {
        return true;
    }
    let clock = ["a.m.", "p.m.", "A.M.", "P.M."]
        .iter()
        .any(|t| prev.ends_with(t));
    let first = next
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    clock && (WEEKDAYS.contains(&first) || TIME_FOLLOWERS.contains(&first))
}

/// "… D-N." or "… U.S.": the last word ends in a capital letter and a full stop.
fn ends_with_initial(text: &str) -> bool {
    let mut tail = text.chars().rev();
    tail.next() == Some('.') && tail.next().is_some_and(|c| c.is_ascii_uppercase())
}

/// Where the last initial of a dotted label ends when the segmenter cut the label before it
/// and the sentence ends with the label: `prev` ends in a hyphenated label ("D-N.") and `next`
/// opens with one more initial and a space ("Y. …").
fn label_end(prev: &str, next: &str) -> Option<usize> {
    let last = prev.rsplit(char::is_whitespace).next()?;
    if !(last.contains('-') && ends_with_initial(last)) {
        return None;
    }
    let mut head = next.chars();
    match (head.next(), head.next(), head.next()) {
        (Some(c), Some('.'), Some(w)) if c.is_ascii_uppercase() && w.is_whitespace() => Some(2),
        _ => None,
    }
}

/// A piece no sentence starts like: a lower-case word, or one more initial followed by a comma,
/// semicolon or closing bracket ("Y., who …").
fn rest_of_label(next: &str) -> bool {
    let mut head = next.chars();
    match (head.next(), head.next(), head.next()) {
        (Some(c), _, _) if c.is_lowercase() => true,
        (Some(c), Some('.'), Some(p)) => c.is_ascii_uppercase() && matches!(p, ',' | ';' | ')'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        sentences(&[text.to_string()])
    }

    #[test]
    fn news_abbreviations_and_initials_hold() {
        let s = split(
            "The letter came from Brig Gen William H Seely, head of the U.S. task force. \
             Gen. Mark Milley spoke on Jan. 6 about a 3.5 percent rise. Mr. Esper agreed.",
        );
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("task force."));
        assert!(s[1].starts_with("Gen. Mark Milley"));
    }

    #[test]
    fn quotations_that_span_a_full_stop_stay_whole() {
        let s = split(
            "\"We respect your decision. We will leave soon,\" said the letter. It was unsigned.",
        );
        assert_eq!(
            s,
            [
                "\"We respect your decision. We will leave soon,\" said the letter.",
                "It was unsigned."
            ]
        );
    }

    #[test]
    fn party_and_state_labels_hold() {
        let s = split(
            "\"It is a sad day,\" declared Rep. Jerrold Nadler, D-N.Y., who leads the panel. \
             Sen. Dianne Feinstein (D-Calif.) agreed on Tuesday. Others did not.",
        );
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("who leads the panel."), "{s:?}");
        let s = split(
            "\"The resignation was wrong,\" declared Rep. Jerrold Nadler, D-N.Y. \"It is a \
             surrender to a developing sexual McCarthyism.\"",
        );
        assert_eq!(
            s,
            [
                "\"The resignation was wrong,\" declared Rep. Jerrold Nadler, D-N.Y.",
                "\"It is a surrender to a developing sexual McCarthyism.\""
            ]
        );
    }

    #[test]
    fn quote_marks_stay_with_the_sentence_they_open_or_close() {
        let s = split(
            "He was stopped at the gym door, which was locked. \"They locked us out,\" said \
             Mario Elie. \"Everybody has to stay together.",
        );
        assert_eq!(
            s,
            [
                "He was stopped at the gym door, which was locked.",
                "\"They locked us out,\" said Mario Elie.",
                "\"Everybody has to stay together."
            ]
        );
    }

    #[test]
    fn a_name_that_ends_like_an_abbreviation_ends_its_sentence() {
        let s = sentences(&[
            "Hun Sen's party won 64 seats.".into(),
            "The king praised strongman Hun Sen. Sam Rainsy wrote to the king. \
             Democratic Sen. Dianne Feinstein agreed."
                .into(),
        ]);
        assert_eq!(
            s,
            [
                "Hun Sen's party won 64 seats.",
                "The king praised strongman Hun Sen.",
                "Sam Rainsy wrote to the king.",
                "Democratic Sen. Dianne Feinstein agreed."
            ]
        );
    }

    #[test]
    fn clock_times_keep_their_day() {
        let s = split("They met at 3 p.m. Tuesday in the capital. Talks ended late.");
        assert_eq!(
            s,
            [
                "They met at 3 p.m. Tuesday in the capital.",
                "Talks ended late."
            ]
        );
    }

    #[test]
    fn headlines_stay_apart_from_the_next_paragraph() {
        let s = sentences(&[
            "Trump threatens 'retaliation'".into(),
            "Thousands of soldiers are stationed there.".into(),
        ]);
        assert_eq!(s.len(), 2);
    }
}
