//! Boilerplate: page furniture the extractor took in with the article, such as ad markers,
//! share/subscribe/read-more prompts, "Related:" teasers, copyright lines and
//! "breaking"/"developing" flags. Removed as whole paragraphs, and as sentences glued to the
//! end of a paragraph ("...customers. Share this article"). Only short paragraphs are tested,
//! which bounds the open-ended tails of the pattern ("Read more: ..." runs to the line's end).

use super::shared::removal;
use crate::model::Removal;
use regex::bytes::Regex as BytesRegex;
use std::sync::LazyLock;

/// The rule name recorded for removed boilerplate.
pub(super) const RULE: &str = "boilerplate";

/// A whole line of page furniture, matched against lower-cased text (a byte pattern: see
/// [`super`]).
static BOILERPLATE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?x-u)^(?:
            (?:advertisement|advertising|advert|sponsored(?:\ content)?|ad|promoted|skip\ advert(?:isement)?)
          | (?:share|tweet|pin|email|print|save|comment)(?:\ (?:this|on\ [a-z]+))?(?:\ (?:story|article|page))?
          | (?:subscribe|sign\ up|register|log\ in|download\ (?:our|the)\ app|follow\ us|join\ us|get\ (?:our|the)\ newsletter)\b.*
          | (?:read|see|watch|listen)\ (?:more|next|also|now|the\ full\ story)\b.*
          | (?:related|recommended|more\ on\ this\ story|most\ read|trending)(?:\ (?:stories|articles|content|coverage))?(?::.*)?
          | click\ here\b.*
          | (?:©|\(c\)|copyright\b).*
          | all\ rights\ reserved\.?
          | (?:breaking(?:\ news)?|developing(?:\ story)?|live|updated?)(?:\ [0-9]+(?:[^0-9-].*|-[0-9].*)?)?
        )[.!:]?$",
    )
    .expect("valid regex")
});

/// The words that open a [`BOILERPLATE`] line: a line that opens with none of them (nor
/// with a copyright sign) is not matched against the pattern, as most sentences are not.
const BOILERPLATE_OPENERS: &[&str] = &[
    "ad",
    "advert",
    "advertisement",
    "advertising",
    "all",
    "breaking",
    "click",
    "comment",
    "copyright",
    "developing",
    "download",
    "email",
    "follow",
    "get",
    "join",
    "listen",
    "live",
    "log",
    "more",
    "most",
    "pin",
    "print",
    "promoted",
    "read",
    "recommended",
    "register",
    "related",
    "save",
    "see",
    "share",
    "sign",
    "skip",
    "sponsored",
    "subscribe",
    "trending",
    "tweet",
    "update",
    "updated",
    "watch",
];

/// Whether a whole paragraph is page furniture.
pub(super) fn is_boilerplate(paragraph: &str) -> bool {
    if paragraph.len() > 200 {
        return false;
    }
    let opener = paragraph
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .map_or(paragraph, |end| &paragraph[..end]);
    let may_be = paragraph.starts_with('©')
        || paragraph.starts_with("(c")
        || paragraph.starts_with("(C")
        || BOILERPLATE_OPENERS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(opener));
    may_be && BOILERPLATE.is_match(paragraph.to_ascii_lowercase().as_bytes())
}

/// Prompts glued to the end of a paragraph ("...customers. Share this article"): splits
/// `text` at sentence ends and drops the pieces that are boilerplate on their own.
pub(super) fn remove_sentences(text: &str, removed: &mut Vec<Removal>) -> String {
    let mut pieces = Vec::new();
    let mut start = 0;
    for end in sentence_ends(text) {
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces.push(&text[start..]);
    if pieces.len() < 2 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        if is_boilerplate(piece.trim()) {
            removed.push(removal(RULE, piece.trim()));
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// Where the sentences of `text` end: after a full stop, "!" or "?", perhaps one closing quote
/// or bracket, and the white space that follows (the ends of the pattern `[.!?]["')]?\s+`,
/// written out because compiling a Unicode pattern costs more than splitting a report).
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        let mut after = text[i + 1..].char_indices().peekable();
        if after
            .peek()
            .is_some_and(|&(_, q)| matches!(q, '"' | '\'' | ')'))
        {
            after.next();
        }
        if !after.peek().is_some_and(|&(_, w)| w.is_whitespace()) {
            continue;
        }
        while after.peek().is_some_and(|&(_, w)| w.is_whitespace()) {
            after.next();
        }
        ends.push(after.peek().map_or(text.len(), |&(j, _)| i + 1 + j));
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::run;

    #[test]
    fn related_teasers_and_newsletter_prompts_are_removed() {
        let c = run(&[
            "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
            "Related: Ferry operator fined over 2019 collision",
            "RELATED COVERAGE: Harbour pilots warn of silting",
            "Divers inspected the hull before noon. Sign up for our morning newsletter.",
            "More on this story:",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
                "Divers inspected the hull before noon.",
            ]
        );
        assert!(
            c.removed.iter().all(|r| r.rule == "boilerplate"),
            "{:?}",
            c.removed
        );
    }

    #[test]
    fn every_kind_of_boilerplate_line_gets_past_the_opener_check() {
        // One line per alternative of the pattern: the words checked before it must cover
        // them all, or a line would be kept unmatched.
        for line in [
            "ADVERTISEMENT",
            "Advertising",
            "Advert",
            "Sponsored content",
            "Ad",
            "Promoted",
            "Skip advertisement",
            "Share this story",
            "Tweet",
            "Pin",
            "Email this article",
            "Print",
            "Save",
            "Comment on this story",
            "Subscribe to our daily briefing",
            "Sign up for alerts",
            "Register",
            "Log in to continue reading",
            "Download our app",
            "Follow us",
            "Join us",
            "Get our newsletter",
            "Read more: the council's answer",
            "See also: earlier coverage",
            "Watch now",
            "Listen next",
            "Related stories",
            "Recommended",
            "More on this story",
            "Most read",
            "Trending",
            "Click here to read the report",
            "© 2024 The Daily Courier",
            "(c) The Daily Courier",
            "Copyright 2024 The Daily Courier",
            "All rights reserved.",
            "Breaking news",
            "Developing story",
            "Live",
            "Updated 10:41 GMT",
        ] {
            assert!(is_boilerplate(line), "{line:?} should be boilerplate");
        }
        for prose in [
            "More than 200 people were evacuated from the valley.",
            "All three suspects were released on bail.",
            "Read the council's statement in full on its website.",
        ] {
            assert!(!is_boilerplate(prose), "{prose:?} is prose");
        }
    }

    #[test]
    fn a_wire_revision_label_is_not_an_update_line() {
        // The wire's revision label is part of a headline, not an "Updated 10:32" line.
        assert!(!is_boilerplate(
            "UPDATE 2-McDonald's US sales continue to struggle in February"
        ));
        assert!(is_boilerplate("Updated 10:32 a.m."));
        assert!(is_boilerplate("Updated 2014-03-10 10:32"));
    }
}
