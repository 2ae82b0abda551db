//! Clean: remove scraping debris from a report's paragraphs and record every removal.
//!
//! Rules describe patterns of debris (widget labels glued to words, sentences glued by a lost
//! space, notices and prompts that are not part of the story), never particular words of a
//! particular report. Facts are never rewritten: a rule removes or separates text, it does not
//! correct it.

use crate::model::Removal;
use regex::bytes::Regex as BytesRegex;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub paragraphs: Vec<String>,
    pub removed: Vec<Removal>,
}

/// Cleans the paragraphs of one report. `title` is the report's own title, when known: the
/// page's headline repeated as the first paragraph is not report text.
pub fn clean(paragraphs: &[String], title: Option<&str>) -> Cleaned {
    let mut out = Cleaned::default();
    // Seeded hashing: the keys are report text.
    let mut seen: foldhash::HashSet<String> = foldhash::HashSet::default();
    let title = title.map(comparable);
    // Per kept paragraph: whether a timestamp or byline was removed right after it.
    let mut dated: Vec<bool> = Vec::new();
    for raw in paragraphs {
        crate::guard::check();
        let mut text = normalise(raw);
        text = remove_repeated_passages(&text, &mut out.removed);
        text = remove_ui_labels(&text, &mut out.removed);
        text = split_glued_sentences(&text, &mut out.removed);
        text = remove_update_notices(&text, &mut out.removed);
        text = remove_boilerplate_sentences(&text, &mut out.removed);
        text = remove_pickup_note(&text, &mut out.removed);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if is_boilerplate(text) {
            out.removed.push(removal("boilerplate", text));
            continue;
        }
        if is_caption(text) {
            out.removed.push(removal("caption", text));
            continue;
        }
        if out.paragraphs.is_empty() && title.as_deref().is_some_and(|t| t == comparable(text)) {
            out.removed.push(removal("title-repeat", text));
            continue;
        }
        if is_timestamp(text) || is_byline(text) {
            let rule = if is_timestamp(text) {
                "timestamp"
            } else {
                "byline"
            };
            out.removed.push(removal(rule, text));
            if let Some(last) = dated.last_mut() {
                *last = true;
            }
            continue;
        }
        // Scrapers often pick up a block twice (teaser and body); keep the first. Only prose
        // counts: short lines and list entries that end no sentence repeat legitimately
        // (labels under each heading of a schedule, the same meal in each week of a plan).
        if crate::text::has_words(text, 15) && ends_sentence(text) && !seen.insert(text.to_string())
        {
            out.removed.push(removal("repeated-paragraph", text));
            continue;
        }
        out.paragraphs.push(text.to_string());
        dated.push(false);
    }
    remove_link_lists(&mut out, &dated);
    keep_headline_only(&mut out);
    out
}

/// A feed item that is only its headline (the text repeats the title) is a report whose text
/// is that headline, not a page with nothing left after cleaning.
fn keep_headline_only(out: &mut Cleaned) {
    if !out.paragraphs.is_empty() {
        return;
    }
    if let Some(at) = out.removed.iter().position(|r| r.rule == "title-repeat") {
        let headline = out.removed.remove(at);
        out.paragraphs.push(headline.text);
    }
}

/// Lower-case letters and digits only, for comparing a paragraph with the title.
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A line that is only a date and/or time ("11/20/2019 01:14 PM", "Updated: March 5, 2024").
static TIMESTAMP: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)^(?:(?:published|updated|posted|last updated)(?: on| at)?:?\s*)?(?:[a-z]{3,9},?\s+)?(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?\.?$",
    )
    .expect("valid regex")
});

fn is_timestamp(paragraph: &str) -> bool {
    // Every date form holds a digit; without one the pattern need not be compiled.
    paragraph.len() <= 60
        && paragraph.bytes().any(|b| b.is_ascii_digit())
        && TIMESTAMP.is_match(paragraph.to_ascii_lowercase().as_bytes())
}

/// A credit line on its own: "By JERUSALEM POST STAFF", "By Jane Doe and John Roe".
pub(crate) fn is_byline(paragraph: &str) -> bool {
    let Some(rest) = paragraph.strip_prefix("By ") else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && !paragraph.ends_with(['.', '!', '?'])
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "and" | "&" | "of" | "in")
        })
}

fn ends_sentence(paragraph: &str) -> bool {
    paragraph
        .trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '!', '?'])
}

/// Bytes compared at a time when looking for a passage repeated inside a block.
const WINDOW: usize = 64;
/// The shortest repeat that is a copy rather than prose repeating itself.
const MIN_PASSAGE: usize = 200;

/// Whether `bytes` may hold a passage that [`remove_repeated_passages`] cuts, in one pass of
/// rolling hashes instead of a map of every window (which cost a fifth of a `dossier summarize`
/// of a DUC cluster, where nearly no block repeats itself). The first copy of such a passage
/// spans `STRIDE` consecutive windows that recur later, and one of them starts at a multiple of
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

/// A passage emitted twice inside one block: some pages carry the article a second time in
/// markup an extractor flattens into the same block (a JSON-LD `articleBody`, nested copies),
/// which comes out as the text and then its copy glued on. A run of [`MIN_PASSAGE`] bytes
/// that repeats earlier text of the same block is that copy; prose does not repeat itself at
/// that length. Repeats across blocks are left to the repeated-paragraph rule.
fn remove_repeated_passages(text: &str, removed: &mut Vec<Removal>) -> String {
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
                        removed.push(removal("repeated-passage", text[start..end].trim()));
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

/// Runs of three or more short lines that end no sentence, each dated or credited (a
/// timestamp or byline removed after it), are lists of links to other stories ("latest news").
/// Undated runs stay: they are as often the report's own list (steps, items, results).
fn remove_link_lists(cleaned: &mut Cleaned, dated: &[bool]) {
    const MIN_RUN: usize = 3;
    let headline_like = |p: &str| {
        !crate::text::has_words(p, 16)
            && !p
                .trim_end_matches(['"', '\'', ')'])
                .ends_with(['.', '!', '?', ':'])
    };
    let mut keep = vec![true; cleaned.paragraphs.len()];
    let mut start = 0;
    while start < cleaned.paragraphs.len() {
        let mut end = start;
        while end < cleaned.paragraphs.len() && headline_like(&cleaned.paragraphs[end]) {
            end += 1;
        }
        let dated_lines = dated[start..end].iter().filter(|d| **d).count();
        if end - start >= MIN_RUN && dated_lines + 1 >= end - start {
            keep[start..end].iter_mut().for_each(|k| *k = false);
        }
        start = end.max(start + 1);
    }
    if keep.iter().all(|k| *k) {
        return;
    }
    let paragraphs = std::mem::take(&mut cleaned.paragraphs);
    for (paragraph, keep) in paragraphs.into_iter().zip(keep) {
        if keep {
            cleaned.paragraphs.push(paragraph);
        } else {
            cleaned.removed.push(removal("link-list", &paragraph));
        }
    }
}

fn removal(rule: &str, text: &str) -> Removal {
    Removal {
        rule: rule.to_string(),
        text: text.to_string(),
    }
}

/// Whitespace collapsed, invisible and control characters dropped (a NUL deep inside a file
/// that passed the binary check is not text to show), typographic and TeX-style quotes made
/// plain so that later stages see one form of each quote mark. Titles go through it too.
pub fn normalise(text: &str) -> String {
    // Runs of ASCII that need no change are copied whole; only the other characters go through
    // the match (char by char, this was a fifth of cleaning).
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_control() && !matches!(b, b' ' | b'`' | b'\'');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let run = rest.bytes().position(|b| !plain(&b)).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let doubled = chars.next() == Some(c);
        let mut used = c.len_utf8();
        match c {
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => out.push('"'),
            '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
            '`' | '\'' if doubled => {
                used += 1;
                out.push('"');
            }
            // A lone backtick is wire copy's opening single quote.
            '`' => out.push('\''),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = &rest[used..];
    }
    out.trim().to_string()
}

// The patterns below are byte patterns without Unicode tables, matched against an
// ASCII-lower-cased copy of the text (same byte offsets): compiled that way they cost a fraction
// of a millisecond at start-up instead of about nine, which matters for a CLI that summarises
// one small story per call.

/// What a widget label names ("info-icon", "share_button"): it follows a hyphen or underscore.
const WIDGETS: [&str; 6] = ["icon", "tooltip", "btn", "button", "badge", "popup"];

/// Labels of page widgets (info icons, tooltips, share buttons) that a scraper copied out of
/// link decorations, usually glued to the linked word: "Baghdadinfo-icon:".
static UI_LABEL: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(&format!(
        r"(?-u)(?:info|help|external|share|link|tooltip|search|close|copy|print|e?mail|play|zoom|expand)[-_](?:{})s?\b",
        WIDGETS.join("|")
    ))
    .expect("valid regex")
});

fn remove_ui_labels(text: &str, removed: &mut Vec<Removal>) -> String {
    // Compiling the pattern costs more than cleaning a whole report: it is compiled only for
    // text that names a widget after a hyphen or underscore, which report text rarely does.
    let bytes = text.as_bytes();
    let names_widget = memchr::memchr2_iter(b'-', b'_', bytes).any(|i| {
        WIDGETS.iter().any(|w| {
            bytes[i + 1..]
                .get(..w.len())
                .is_some_and(|after| after.eq_ignore_ascii_case(w.as_bytes()))
        })
    });
    if !names_widget {
        return text.to_string();
    }
    let folded = text.to_ascii_lowercase();
    if !UI_LABEL.is_match(folded.as_bytes()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in UI_LABEL.find_iter(folded.as_bytes()) {
        removed.push(removal("ui-label", &text[m.range()]));
        out.push_str(&text[last..m.start()]);
        last = m.end();
    }
    out.push_str(&text[last..]);
    // A label standing alone between spaces leaves a double space behind.
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sentence end glued to the next sentence by a lost space: "The Hill.The head". The word
/// before the stop must end in two lower-case letters, so abbreviations ("U.S."), decimals and
/// domain names ("thehill.com") never match. Returns the byte offsets where a space belongs.
fn glued_sentence_splits(text: &str) -> Vec<usize> {
    // Every candidate is at an ASCII stop, so the scan jumps from stop to stop and decodes
    // characters only around one: a table of every character cost a tenth of a DUC cluster's
    // summary.
    let mut splits = Vec::new();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        let mut before = text[..i].chars().rev();
        if !(before.next().is_some_and(char::is_lowercase)
            && before.next().is_some_and(char::is_lowercase))
        {
            continue;
        }
        let mut after = text[i + 1..].char_indices();
        let mut next = after.next();
        if next.is_some_and(|(_, c)| matches!(c, '"' | '\'' | ')')) {
            next = after.next();
        }
        if let Some((at, c)) = next {
            if c.is_uppercase() && after.next().is_some_and(|(_, c)| c.is_lowercase()) {
                splits.push(i + 1 + at);
            }
        }
    }
    splits
}

fn split_glued_sentences(text: &str, removed: &mut Vec<Removal>) -> String {
    let splits = glued_sentence_splits(text);
    let mut out = String::with_capacity(text.len() + splits.len());
    let mut last = 0;
    for split in splits {
        let word_start = text[..split]
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1);
        let word_end = text[split..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| split + i);
        removed.push(removal("glued-sentence", &text[word_start..word_end]));
        out.push_str(&text[last..split]);
        out.push(' ');
        last = split;
    }
    out.push_str(&text[last..]);
    out
}

/// Notices about the page rather than the event: update promises and live-page status lines.
static UPDATE_NOTICE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)\b(?:we(?: will|'ll| are going to| plan to)(?: continue to)? update (?:this|the) (?:story|article|report|post|page)|this (?:story|article|report|post|page) (?:is developing|is being updated|has been updated|will be updated|may be updated)|(?:please )?check back (?:later )?for (?:more |further )?updates|refresh (?:this page )?for (?:the latest )?updates)\b",
    )
    .expect("valid regex")
});

/// Every update notice holds one of these words: text without them is left alone without
/// compiling the pattern.
const NOTICE_WORDS: [&str; 2] = ["update", "developing"];

fn remove_update_notices(text: &str, removed: &mut Vec<Removal>) -> String {
    if !NOTICE_WORDS.iter().any(|w| holds_word(text, w.as_bytes())) {
        return text.to_string();
    }
    let folded = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in UPDATE_NOTICE.find_iter(folded.as_bytes()) {
        // Only whole sentences: at the start of the paragraph or right after a sentence end.
        let before = text[..m.start()].trim_end();
        if m.start() < last || !(before.is_empty() || before.ends_with(['.', '!', '?', '"', '\'']))
        {
            continue;
        }
        // The notice runs to the end of its sentence.
        let end = text[m.end()..]
            .find(['.', '!', '?'])
            .map_or(text.len(), |i| m.end() + i + 1);
        out.push_str(&text[last..m.start()]);
        removed.push(removal("update-notice", text[m.start()..end].trim()));
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Whole paragraphs that are page furniture: ad markers, share/subscribe/read-more prompts,
/// copyright lines, "breaking"/"developing" flags. Only short paragraphs are tested (see
/// [`is_boilerplate`]), which bounds the open-ended tails.
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

/// Prompts glued to the end of a paragraph ("...customers. Share this article"): split at
/// sentence ends and drop the pieces that are boilerplate on their own.
fn remove_boilerplate_sentences(text: &str, removed: &mut Vec<Removal>) -> String {
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
            removed.push(removal("boilerplate", piece.trim()));
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

/// A wire service's pickup note left at the end of a write-through: the opening words of the
/// paragraph an editor should resume from, then where it was in the previous version ("Clinton
/// had hoped, 3rd graf pvs", "The men, pickup 9th pvs", "No member, 5th graf, 1st
/// Ld-Writethru"). It ends the paragraph and runs from the last sentence end.
static PICKUP_NOTE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r#"(?i-u)(?:^|[.!?]["')]?\s+)([^.!?]{0,80}?(?:pickup\s+)?(?:\d{1,2}(?:st|nd|rd|th)\s+(?:graf|pvs)|graf\s+\d{1,2})\b[^.!?]{0,40})$"#,
    )
    .expect("valid regex")
});

fn remove_pickup_note(text: &str, removed: &mut Vec<Removal>) -> String {
    // Every note holds one of these words; without one the pattern need not be compiled (nor
    // the paragraph copied to fold its case).
    if !holds_word(text, b"graf") && !holds_word(text, b"pvs") {
        return text.to_string();
    }
    let Some(note) = PICKUP_NOTE.captures(text.as_bytes()).and_then(|c| c.get(1)) else {
        return text.to_string();
    };
    removed.push(removal("pickup-note", text[note.start()..].trim()));
    text[..note.start()].to_string()
}

/// Whether `text` holds `word` (lower-case ASCII) in any case, found through its first letter
/// rather than by folding a copy of the text.
fn holds_word(text: &str, word: &[u8]) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(word[0], word[0].to_ascii_uppercase(), bytes).any(|i| {
        bytes[i..]
            .get(..word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

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

fn is_boilerplate(paragraph: &str) -> bool {
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

/// A photo caption or credit line that the extractor took in with the article: a line that
/// opens with a credit label ("Photo: …", "Image copyright …", "FILE PHOTO: …"), or a short
/// paragraph that ends with a photo credit in brackets ("… on Monday. (AP Photo/Jane Doe)"),
/// which is how captions end and body paragraphs never do.
static CAPTION: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?x-u)
          ^(?:file\ photo\s*:
            | (?:photo|photograph|image|picture|video|graphic|illustration)s?
              (?:\ (?:credit|copyright|caption|courtesy)\b|\s*(?::|\bby\b)))
        | \((?:[a-z.]+\ )?(?:photo|photograph|image|picture|file\ photo)s?\b
              (?:\ by|\ credit|\ courtesy(?:\ of)?)?\s*[:/]?[^()]{0,80}\)\s*$",
    )
    .expect("valid regex")
});

/// Every caption names its picture with one of these ("photograph" and "file photo"
/// included): other text is left alone without compiling the pattern.
pub(crate) const PICTURES: [&str; 6] = [
    "photo",
    "image",
    "picture",
    "video",
    "graphic",
    "illustration",
];

pub(crate) fn is_caption(paragraph: &str) -> bool {
    if crate::text::has_words(paragraph, 61) {
        return false;
    }
    let folded = paragraph.to_ascii_lowercase();
    PICTURES.iter().any(|p| folded.contains(p)) && CAPTION.is_match(folded.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_pickup_notes_go_and_prose_about_grafts_stays() {
        let c = run(&[
            "Hamas denounced the visit but avoided any threats. Hamas is, 2nd graf pvs",
            "Relatives waited at the hospital all night. The men, pickup 9th pvs",
            "He said no member may defy the party. \"No member, 5th graf, 1st Ld-Writethru",
            "The general pledged to clean up the graft-riddled administration.",
            "Rescuers reached the 3rd floor of the building by noon.",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "Hamas denounced the visit but avoided any threats.",
                "Relatives waited at the hospital all night.",
                "He said no member may defy the party.",
                "The general pledged to clean up the graft-riddled administration.",
                "Rescuers reached the 3rd floor of the building by noon.",
            ]
        );
        let notes: Vec<&str> = c
            .removed
            .iter()
            .filter(|r| r.rule == "pickup-note")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "Hamas is, 2nd graf pvs",
                "The men, pickup 9th pvs",
                "\"No member, 5th graf, 1st Ld-Writethru"
            ]
        );
    }

    #[test]
    fn captions_and_photo_credits_are_removed_as_captions() {
        let c = run(&[
            "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
            "Passengers wait on the pier after the ferry ran aground. (AP Photo/Lena Fischer)",
            "Photo: Tomas Reyes/Harbour Daily",
            "FILE PHOTO: The ferry Northern Star leaves port in 2019.",
            "Image copyright Getty Images",
            "Divers inspected the hull (the photo shows a long gash) before noon.",
            "Rescuers said the photo they released was taken by a passenger.",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "The ferry ran aground at dawn on Tuesday, the harbour authority said.",
                "Divers inspected the hull (the photo shows a long gash) before noon.",
                "Rescuers said the photo they released was taken by a passenger.",
            ]
        );
        assert_eq!(
            c.removed.iter().filter(|r| r.rule == "caption").count(),
            4,
            "{:?}",
            c.removed
        );
    }

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

    fn run(paragraphs: &[&str]) -> Cleaned {
        clean(
            &paragraphs.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            None,
        )
    }

    #[test]
    fn headline_timestamps_bylines_and_link_lists_go() {
        let paragraphs: Vec<String> = [
            "Son of former president stabbed in Berlin",
            "By STAFF REPORTER",
            "The son of the former president was stabbed to death on Tuesday, police said.",
            "Trump threatens 'retaliation'",
            "A suspect was arrested at the scene.",
            "Council approves budget",
            "11/20/2019 01:14 PM",
            "Strikes hit the north - reports",
            "11/20/2019 09:39 AM",
            "Minister resigns after vote",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let c = clean(
            &paragraphs,
            Some("Son of former president stabbed in Berlin"),
        );
        assert_eq!(
            c.paragraphs,
            [
                "The son of the former president was stabbed to death on Tuesday, police said.",
                "Trump threatens 'retaliation'",
                "A suspect was arrested at the scene."
            ]
        );
        let rules: Vec<&str> = c.removed.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "title-repeat",
                "byline",
                "timestamp",
                "timestamp",
                "link-list",
                "link-list",
                "link-list"
            ]
        );
    }

    #[test]
    fn glued_widget_labels_are_removed_and_recorded() {
        let c = run(&[
            "Baghdadinfo-icon: The USinfo-icon military and President Trumpinfo-icon's aides met.",
        ]);
        assert_eq!(
            c.paragraphs,
            ["Baghdad: The US military and President Trump's aides met."]
        );
        assert_eq!(c.removed.len(), 3);
        assert!(c
            .removed
            .iter()
            .all(|r| r.rule == "ui-label" && r.text == "info-icon"));
    }

    #[test]
    fn glued_sentences_are_split_but_abbreviations_kept() {
        let c = run(&[
            "A request for comment from The Hill.The head of the U.S. unit, at thehill.com, spoke.",
        ]);
        assert_eq!(
            c.paragraphs,
            ["A request for comment from The Hill. The head of the U.S. unit, at thehill.com, spoke."]
        );
        assert_eq!(c.removed[0].rule, "glued-sentence");
        assert_eq!(c.removed[0].text, "Hill.The");
    }

    #[test]
    fn notices_and_prompts_go_facts_stay() {
        let c = run(&[
            "Local shops said the closure would cost them customers.Share this article",
            "Advertisement",
            "The traffic will include CH-47, UP-I-60, and AH-64 helicopters.",
            "It was unclear. We will continue to update this story as new information becomes available.",
            "Share this article",
            "Read more: Five things to know about the vote",
            "Trump threatens 'retaliation'",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                "Local shops said the closure would cost them customers.",
                "The traffic will include CH-47, UP-I-60, and AH-64 helicopters.",
                "It was unclear.",
                "Trump threatens 'retaliation'"
            ]
        );
        let rules: Vec<&str> = c.removed.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "glued-sentence",
                "boilerplate",
                "boilerplate",
                "update-notice",
                "boilerplate",
                "boilerplate"
            ]
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
    fn quotes_and_whitespace_are_normalised() {
        let c =
            run(&["``We respect  it,'' he said \u{201c}today\u{201d}\u{00a0}– it\u{2019}s done."]);
        assert_eq!(
            c.paragraphs,
            ["\"We respect it,\" he said \"today\" – it's done."]
        );
    }

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
    fn repeated_list_entries_stay_repeated_prose_goes() {
        let entry =
            "Asparagus and Eggs [1 cup asparagus, 2 soft-boiled or poached eggs, ½ cup sweet \
                     potato (or 1 slice whole-grain toast), 1 tsp. olive oil for potatoes]";
        let teaser = "The plan swaps one snack for a second breakfast, and keeps every meal under \
                      five hundred calories.";
        let c = run(&[
            teaser, "Week 1", "Meal 1", entry, "Week 2", "Meal 1", entry, teaser,
        ]);
        assert_eq!(
            c.paragraphs,
            [teaser, "Week 1", "Meal 1", entry, "Week 2", "Meal 1", entry]
        );
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].rule, "repeated-paragraph");
    }

    #[test]
    fn repeated_paragraphs_are_dropped() {
        let block = "The council said the bridge would stay closed until every support had been checked by engineers.";
        let c = run(&[
            block,
            "Eat every 2-3 hours",
            "Other.",
            block,
            "Eat every 2-3 hours",
        ]);
        assert_eq!(
            c.paragraphs,
            [
                block,
                "Eat every 2-3 hours",
                "Other.",
                "Eat every 2-3 hours"
            ]
        );
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].rule, "repeated-paragraph");
    }

    #[test]
    fn control_characters_are_dropped() {
        let c = run(&["The vote\0 passed\u{1b}[31m on Tuesday.\u{7f}"]);
        assert_eq!(c.paragraphs, ["The vote passed[31m on Tuesday."]);
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

    #[test]
    fn a_headline_only_report_keeps_its_headline() {
        let headline = "UPDATE 2-McDonald's US sales continue to struggle in February";
        // The wire's revision label is part of a headline, not an "Updated 10:32" line.
        assert!(!is_boilerplate(headline));
        assert!(is_boilerplate("Updated 10:32 a.m."));
        assert!(is_boilerplate("Updated 2014-03-10 10:32"));
        let c = clean(&[headline.to_string()], Some(headline));
        assert_eq!(c.paragraphs, [headline]);
        assert!(c.removed.is_empty(), "{:?}", c.removed);
        // With a body, the headline repeated above it is still dropped.
        let body = "Sales at restaurants open at least 13 months fell 1.4 percent in February.";
        let c = clean(&[headline.to_string(), body.to_string()], Some(headline));
        assert_eq!(c.paragraphs, [body]);
    }
}
