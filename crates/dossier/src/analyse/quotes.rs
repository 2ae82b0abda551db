//! Quotes: direct quotations in a story's reports and who said them.
//!
//! **Finding quotations.** Double quote marks of every common form (straight, curly,
//! guillemets, and the LaTeX / Penn Treebank `` and '' of DUC and some wire copy) pair up
//! within a report. A quotation may run over several sentences, because the
//! segmenter splits at full stops inside quotes; its pieces are joined and it cites the sentence
//! where it opens, which is where a reader starts reading it. An opening mark left unclosed for
//! [`MAX_SPAN`] sentences, or followed by a mark that plainly opens a new quotation, was a stray
//! mark and is dropped. Single quote marks are read only in sentences without double ones (where
//! they are not nested quotations) and only when they stand outside words, so apostrophes
//! ("don't", "Guards' ") never open a quotation. Quoted stretches shorter than [`MIN_WORDS`]
//! words are scare quotes or terms ("a mere "draft""), not statements, and are left out.
//!
//! **Finding the speaker**, in this order:
//! 1. right after the quotation: `"…," said X`, `"…," X said`, `"…," X told reporters`,
//!    `"…," according to X`;
//! 2. before it, the nearest speech verb and its subject: `X said the plan would "…"`,
//!    `X tweeted: "…"`, `X: "…"`;
//! 3. a participle (`…, adding "…"`, `telling reporters "…"`) or no attribution at all after an
//!    earlier quotation of the same sentence: that quotation's speaker, else the person the
//!    sentence opens with;
//! 4. no speech verb at all, and the quotation opens in the sentence right after the one where
//!    the report's last quote closed (`"…," Lee said. "…"`): that quote's speaker, unless
//!    another person is named between them; a sentence between, or a quote without a speaker,
//!    ends the run.
//!
//! X is a name the recogniser found (titles between the verb and the name are skipped), a
//! pronoun, or a document. "He"/"she" go back to the last person quoted in the same report
//! within [`PRONOUN_REACH`] sentences, and never past another person named since. A document ("the letter said") speaks for its author when
//! the story names exactly one ("a letter signed by X", "X sent a letter", "X informed them in a
//! letter"). Anything else leaves the speaker null: a wrong name is worse than none.
//!
//! A quotation split around its attribution (`"…," he said, "…"`) is one quote.

use crate::analyse::entities::entity_at;
use crate::model::{Entity, Quote, Report};
use crate::ner::{EntityKind, Mention};
use regex::Regex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Fewer quoted words than this are a term or scare quote, not a statement.
pub const MIN_WORDS: usize = 3;
/// Sentences a quotation may run over before its opening mark is taken for a stray one.
pub const MAX_SPAN: usize = 3;
/// How many sentences back a pronoun may find its speaker.
pub const PRONOUN_REACH: usize = 3;

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "told",
    "tells",
    "tweeted",
    "tweets",
    "wrote",
    "writes",
    "stated",
    "states",
    "declared",
    "announced",
    "asked",
    "asks",
    "replied",
    "insisted",
    "warned",
    "warns",
    "explained",
    "noted",
    "continued",
    "posted",
    "argued",
    "claimed",
    "described",
    "concluded",
    "confirmed",
    "urged",
    "acknowledged",
    "recalled",
    "responded",
    "remarked",
    "according to",
];

/// Speech verbs without a subject of their own: the speaker is the sentence's.
const PARTICIPLES: &[&str] = &[
    "adding",
    "saying",
    "telling",
    "writing",
    "tweeting",
    "noting",
    "warning",
    "insisting",
    "arguing",
    "explaining",
    "declaring",
    "stressing",
];

/// Nouns for things that "say" what their author wrote.
const DOCUMENTS: &[&str] = &[
    "letter",
    "statement",
    "memo",
    "memorandum",
    "note",
    "message",
    "email",
    "document",
    "communique",
    "report",
    "directive",
    "order",
    "notice",
];

static SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    let words = SPEECH_VERBS
        .iter()
        .chain(PARTICIPLES)
        .copied()
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(r"(?i)\b(?:{words})\b")).expect("valid regex")
});

static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:the|this|that|a|an)\s+(?:{})\b",
        DOCUMENTS.join("|")
    ))
    .expect("valid regex")
});

static AUTHORED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sent|signed|written|issued|penned|authored|drafted)\s+by\s+")
        .expect("valid regex")
});

static AUTHORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sent|signed|wrote|issued|penned|drafted|informed)\b")
        .expect("valid regex")
});

/// A quotation as found: where it opens and closes, and its words.
struct Found {
    first: usize,
    open: usize,
    last: usize,
    close: usize,
    text: String,
}

/// Who the text says spoke.
#[derive(Clone)]
enum Who {
    Entity(usize),
    Pronoun,
    Document(String),
    /// A participle: the speaker already speaking in the sentence, else its subject.
    Previous,
}

/// The direct quotations of a story's reports with their speakers, in story order.
/// `mentions[r][s]` are the recogniser's mentions in `reports[r].sentences[s]`; without them
/// (no recogniser) quotations are still found, with unknown speakers.
pub fn quotes(
    reports: &[&Report],
    mentions: &[Vec<Vec<Mention>>],
    entities: &[Entity],
) -> Vec<Quote> {
    let mentions = on_sentences(reports, mentions);
    let story = Story {
        reports,
        mentions: &mentions,
        entities,
        authors: RefCell::default(),
    };
    let mut out = Vec::new();
    for r in 0..reports.len() {
        story.report_quotes(r, &mut out);
    }
    out
}

/// The mentions that lie on their sentence's characters: others are a recogniser's bug, and are
/// dropped rather than trusted to slice text with.
fn on_sentences(reports: &[&Report], mentions: &[Vec<Vec<Mention>>]) -> Vec<Vec<Vec<Mention>>> {
    reports
        .iter()
        .zip(mentions)
        .map(|(report, per_sentence)| {
            report
                .sentences
                .iter()
                .zip(per_sentence)
                .map(|(sentence, found)| {
                    found
                        .iter()
                        .filter(|m| sentence.text.get(m.start..m.end).is_some())
                        .cloned()
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The speakers a report's later quotations may go on with, each with where its quotation
/// ends (sentence, byte after it).
#[derive(Default)]
struct Run {
    /// The last person quoted.
    last_person: Option<(usize, (usize, usize))>,
    /// The speaker of the report's last quote, when it had one.
    last_speaker: Option<(usize, (usize, usize))>,
}

/// The text of quotation `found[n]`, joined with the next one when only its attribution stands
/// between them (`"…," he said, "…"`), and the index of the quotation after those used.
fn joined(report: &Report, found: &[Found], n: usize) -> (String, usize) {
    let q = &found[n];
    let mut text = q.text.clone();
    if let Some(following) = found.get(n + 1) {
        let last = &report.sentences[q.last].text;
        if following.first == q.last
            && is_bare_attribution(&last[past(last, q.close)..following.open])
        {
            text.push(' ');
            text.push_str(&following.text);
            return (text, n + 2);
        }
    }
    (text, n + 1)
}

/// Whether the text between two quotations is only their attribution: `," he said, "`.
fn is_bare_attribution(gap: &str) -> bool {
    let gap = gap.trim();
    gap.ends_with(',') && gap.split_whitespace().count() <= 6 && SPEECH.is_match(gap)
}

fn find_quotations(report: &Report) -> Vec<Found> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    for (s, sentence) in report.sentences.iter().enumerate() {
        let text = sentence.text.as_str();
        if open.is_some_and(|o| s - o.sentence >= MAX_SPAN) {
            open = None;
        }
        let had_double = double_quotations(report, s, &mut open, &mut out);
        if !had_double && open.is_none() {
            out.extend(single_quotations(s, text));
        }
    }
    out
}

/// A double quotation opened and not yet closed.
#[derive(Clone, Copy)]
struct Open {
    sentence: usize,
    /// Byte offset of the opening mark in its sentence.
    at: usize,
    /// The mark that closes it.
    close: &'static str,
}

/// Reads the double marks of sentence `s`, closing what `open` holds and opening anew; pushes
/// each closed quotation long enough to count. Whether the sentence had a double mark.
fn double_quotations(
    report: &Report,
    s: usize,
    open: &mut Option<Open>,
    out: &mut Vec<Found>,
) -> bool {
    let text = report.sentences[s].text.as_str();
    let mut had_double = false;
    // The end of the last two-character mark read, whose second character is not a mark.
    let mut read_to = 0;
    for (at, _) in text.char_indices() {
        let Some((mark, closing)) = double_mark(text, at).filter(|_| at >= read_to) else {
            continue;
        };
        read_to = at + mark.len();
        match *open {
            Some(o) if mark == o.close || (o.close == "”" && mark == "\"") => {
                if o.sentence < s
                    && opens_here(text, at, mark.len())
                    && !closes_here(text, at, mark.len())
                {
                    // The mark left open earlier was a stray one; this one opens.
                    *open = Some(Open {
                        sentence: s,
                        at,
                        close: o.close,
                    });
                    continue;
                }
                let quoted = gather(report, o.sentence, o.at, s, at);
                if quoted.split_whitespace().count() >= MIN_WORDS {
                    out.push(Found {
                        first: o.sentence,
                        open: o.at,
                        last: s,
                        close: at,
                        text: quoted,
                    });
                }
                *open = None;
                had_double = true;
            }
            None if !closing.is_empty() => {
                *open = Some(Open {
                    sentence: s,
                    at,
                    close: closing,
                });
                had_double = true;
            }
            // A mark that only closes, with nothing open, is a stray one; another kind of mark
            // inside an open quotation is part of it.
            _ => {}
        }
    }
    had_double
}

/// The double quotation mark at byte `at`, with the mark that closes it (none for a mark that
/// only closes). `` and '' are one mark of two characters: LaTeX and Penn Treebank text (DUC,
/// some wire copy) quotes with them. `clean` turns them into straight marks, but reports made
/// without it (a library caller's) reach this stage as written.
fn double_mark(text: &str, at: usize) -> Option<(&'static str, &'static str)> {
    const MARKS: [(&str, &str); 7] = [
        ("``", "''"),
        ("''", "''"),
        ("\"", "\""),
        ("“", "”"),
        ("«", "»"),
        ("”", ""),
        ("»", ""),
    ];
    MARKS
        .into_iter()
        .find(|(mark, _)| text[at..].starts_with(mark))
}

/// The byte offset just past the mark at `at`.
fn past(text: &str, at: usize) -> usize {
    let len = double_mark(text, at).map_or_else(
        || text[at..].chars().next().map_or(0, char::len_utf8),
        |(mark, _)| mark.len(),
    );
    at + len
}

/// Whether the mark of `len` bytes at `at` stands where a quotation opens: after a space or
/// bracket and before a word.
fn opens_here(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    before.is_none_or(|b| b.is_whitespace() || "([—–".contains(b))
        && after.is_some_and(|a| !a.is_whitespace())
}

fn closes_here(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    before.is_some_and(|b| !b.is_whitespace()) && after.is_none_or(|a| !a.is_alphanumeric())
}

/// The quoted words from just after the opening mark to just before the closing one, across
/// sentences, without the comma that hands over to the attribution.
fn gather(report: &Report, first: usize, start: usize, last: usize, end: usize) -> String {
    let mut pieces: Vec<&str> = Vec::new();
    for s in first..=last {
        let text = report.sentences[s].text.as_str();
        let from = if s == first { past(text, start) } else { 0 };
        let to = if s == last { end } else { text.len() };
        pieces.push(&text[from..to]);
    }
    pieces
        .join(" ")
        .trim()
        .trim_end_matches(',')
        .trim()
        .to_string()
}

/// Single-quoted stretches of one sentence: an opening mark before a word and after a space,
/// a closing one after a word and before a space or punctuation.
fn single_quotations(s: usize, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if !matches!(c, '\'' | '‘' | '’') {
            continue;
        }
        match open {
            None if c != '’' && opens_here(text, at, c.len_utf8()) => open = Some(at),
            Some(start) if c != '‘' && closes_here(text, at, c.len_utf8()) => {
                let quoted = text[past(text, start)..at]
                    .trim()
                    .trim_end_matches(',')
                    .to_string();
                if quoted.split_whitespace().count() >= MIN_WORDS {
                    out.push(Found {
                        first: s,
                        open: start,
                        last: s,
                        close: at,
                        text: quoted,
                    });
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

struct Story<'a> {
    reports: &'a [&'a Report],
    mentions: &'a [Vec<Vec<Mention>>],
    entities: &'a [Entity],
    /// [`Story::author`]'s answer for each document noun asked about: it reads the whole
    /// story, so asked once a quotation it would cost the square of the story's size (a
    /// syndicated text carried by hundreds of outlets asks it hundreds of times).
    authors: RefCell<HashMap<String, Option<usize>>>,
}

impl Story<'_> {
    /// The quotes of report `r`, appended to `out`, whose last quote a quotation of the same
    /// sentence with no attribution of its own goes on with.
    fn report_quotes(&self, r: usize, out: &mut Vec<Quote>) {
        let report = self.reports[r];
        let found = find_quotations(report);
        let mut run = Run::default();
        let mut n = 0;
        while n < found.len() {
            let q = &found[n];
            let who = self.who(r, &found, n, out.last(), &run);
            let (text, next) = joined(report, &found, n);
            let closing = &found[next - 1];
            let ends = (
                closing.last,
                past(&report.sentences[closing.last].text, closing.close),
            );
            let speaker = self.speaker(r, q, who.as_ref(), &run);
            if let Some(e) = speaker {
                if self.entities[e].kind == EntityKind::Person {
                    run.last_person = Some((e, ends));
                }
            }
            run.last_speaker = speaker.map(|e| (e, ends));
            let speaker_name = match (&who, speaker) {
                (_, Some(e)) => Some(self.entities[e].name.clone()),
                (Some(Who::Document(written)), None) => Some(written.clone()),
                _ => None,
            };
            out.push(Quote {
                speaker: speaker.map(|e| self.entities[e].id.clone()),
                speaker_name,
                text,
                cite: report.sentences[q.first].id.clone(),
            });
            n = next;
        }
    }

    /// Who the text says spoke quotation `found[n]` of report `r`; `last`: the story's last
    /// quote so far.
    fn who(
        &self,
        r: usize,
        found: &[Found],
        n: usize,
        last: Option<&Quote>,
        run: &Run,
    ) -> Option<Who> {
        let q = &found[n];
        let previous = (n > 0 && found[n - 1].last == q.first).then(|| &found[n - 1]);
        match self.attribution(r, q, &found[n + 1..], previous) {
            // No attribution of its own, or a participle ("adding"): the speaker of the
            // sentence's earlier quotation goes on speaking.
            None | Some(Who::Previous) if previous.is_some() => last
                .and_then(|quote| quote.speaker.as_ref())
                .and_then(|id| self.entities.iter().position(|e| &e.id == id))
                .map(Who::Entity),
            Some(Who::Previous) => self.sentence_subject(r, q.first),
            // No attribution at all: a quotation opening in the sentence right after the
            // last quote goes on with its speaker, unless another person is named between.
            None => run
                .last_speaker
                .filter(|&(e, (s, at))| {
                    q.first == s + 1
                        && !self.speaks_outside(r, q)
                        && !self.names_other(r, (s, at), q, e)
                })
                .map(|(e, _)| Who::Entity(e)),
            who => who,
        }
    }

    /// The entity `who` stands for in quotation `q` of report `r`: a pronoun the last person quoted, never
    /// across another person named since ("…," Lee said. Chen disagreed. "…," he said.), a
    /// document its one author; a wrong name is worse than none.
    fn speaker(&self, r: usize, q: &Found, who: Option<&Who>, run: &Run) -> Option<usize> {
        match who? {
            Who::Entity(e) => Some(*e),
            Who::Pronoun => run
                .last_person
                .filter(|&(e, (s, at))| {
                    q.first <= s + PRONOUN_REACH && !self.names_other(r, (s, at), q, e)
                })
                .map(|(e, _)| e),
            Who::Document(noun) => self.author(noun),
            Who::Previous => None,
        }
    }

    fn mentions(&self, r: usize, s: usize) -> &[Mention] {
        self.mentions
            .get(r)
            .and_then(|m| m.get(s))
            .map_or(&[], Vec::as_slice)
    }

    fn entity_of(&self, r: usize, s: usize, m: &Mention) -> Option<usize> {
        let sentence = &self.reports[r].sentences[s];
        let surface = sentence.text.get(m.start..m.end)?;
        let entity = entity_at(self.entities, &sentence.id, surface)?;
        self.entities.iter().position(|e| e.id == entity.id)
    }

    /// The speaker the text names for quotation `q`: after it, then before it.
    fn attribution(
        &self,
        r: usize,
        q: &Found,
        later: &[Found],
        previous: Option<&Found>,
    ) -> Option<Who> {
        let last = &self.reports[r].sentences[q.last].text;
        let after_end = later
            .first()
            .filter(|n| n.first == q.last)
            .map_or(last.len(), |n| n.open);
        let after_start = past(last, q.close);
        if let Some(who) = self.after(r, q.last, after_start, after_end) {
            return Some(who);
        }
        let first = &self.reports[r].sentences[q.first].text;
        let before_start = previous
            .filter(|p| p.last == q.first)
            .map_or(0, |p| past(first, p.close));
        self.before(r, q.first, before_start, q.open)
    }

    /// `, said X` / `, X said` / `, according to X` at the start of `text[from..to]`.
    fn after(&self, r: usize, s: usize, from: usize, to: usize) -> Option<Who> {
        let text = &self.reports[r].sentences[s].text;
        let span = &text[from..to];
        let lead = span.len() - span.trim_start_matches([',', '.', ' ', '!', '?']).len();
        let start = from + lead;
        let verb = SPEECH.find(&text[start..to])?;
        let (verb_start, verb_end) = (start + verb.start(), start + verb.end());
        if PARTICIPLES.contains(&verb.as_str().to_lowercase().as_str()) {
            return None;
        }
        if verb.start() == 0 {
            return self.who_after(r, s, verb_end, to);
        }
        // The subject must fill all the text between the quotation and the verb.
        self.who_before(r, s, start, verb_start, true)
    }

    /// The nearest speech verb before the quotation, and its subject.
    fn before(&self, r: usize, s: usize, from: usize, to: usize) -> Option<Who> {
        let text = &self.reports[r].sentences[s].text;
        let verb = SPEECH.find_iter(&text[from..to]).last();
        let Some(verb) = verb else {
            // `X: "…"`: a name introducing the quotation with a colon.
            let head = text[from..to].trim_end();
            let head = head.strip_suffix(':')?;
            return self.who_before(r, s, from, from + head.len(), true);
        };
        let (verb_start, verb_end) = (from + verb.start(), from + verb.end());
        if PARTICIPLES.contains(&verb.as_str().to_lowercase().as_str()) {
            return Some(Who::Previous);
        }
        self.who_before(r, s, from, verb_start, false)
            .or_else(|| self.who_after(r, s, verb_end, to))
    }

    /// The name, pronoun or document that ends right at `to` (the subject of a verb there).
    /// `whole`: it must also fill `text[from..to]`, but for titles before a name.
    fn who_before(&self, r: usize, s: usize, from: usize, to: usize, whole: bool) -> Option<Who> {
        let text = &self.reports[r].sentences[s].text;
        let head = text[from..to].trim_end();
        let end = from + head.len();
        if let Some(m) = self
            .mentions(r, s)
            .iter()
            .filter(|m| m.start >= from && m.end <= end && is_speaker_kind(m.kind))
            .find(|m| {
                let lead = &text[from..m.start];
                m.end == end
                    && (!whole
                        || is_title_run(lead)
                        || m.kind == EntityKind::Person && is_role_run(lead))
            })
        {
            return self.entity_of(r, s, m).map(Who::Entity);
        }
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.last().is_some_and(|w| is_pronoun(w)) && (!whole || words.len() == 1) {
            return Some(Who::Pronoun);
        }
        DOCUMENT
            .find_iter(head)
            .last()
            .filter(|d| d.end() == head.len() && (!whole || d.start() == 0))
            .map(|d| Who::Document(d.as_str().to_lowercase()))
    }

    /// The name, pronoun or document right after a verb ending at `from`: titles before a name
    /// ("said Defence Secretary Mark Esper") are skipped.
    fn who_after(&self, r: usize, s: usize, from: usize, to: usize) -> Option<Who> {
        let text = &self.reports[r].sentences[s].text;
        let rest = text[from..to].trim_start();
        let start = to - text[from..to].trim_start().len();
        let first_word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default();
        if is_pronoun(first_word) {
            return Some(Who::Pronoun);
        }
        if let Some(d) = DOCUMENT.find(rest).filter(|d| d.start() == 0) {
            return Some(Who::Document(d.as_str().to_lowercase()));
        }
        let m = self
            .mentions(r, s)
            .iter()
            .filter(|m| m.start >= start && m.end <= to)
            .find(|m| {
                let between = &text[start..m.start];
                m.kind == EntityKind::Person && is_role_run(between)
                    || is_speaker_kind(m.kind)
                        && matches!(between.trim().to_lowercase().as_str(), "" | "the")
            })?;
        self.entity_of(r, s, m).map(Who::Entity)
    }

    /// Whether the sentences of quotation `q` hold a speech verb outside it (an attribution
    /// the speaker of which was not found: "an official said").
    fn speaks_outside(&self, r: usize, q: &Found) -> bool {
        let first = &self.reports[r].sentences[q.first].text;
        let last = &self.reports[r].sentences[q.last].text;
        SPEECH.is_match(&first[..q.open]) || SPEECH.is_match(&last[past(last, q.close)..])
    }

    /// Whether a person other than entity `e` is named from byte `at` of sentence `s` to the
    /// end of the sentence where quotation `q` closes, outside the quotation.
    fn names_other(&self, r: usize, (s, at): (usize, usize), q: &Found, e: usize) -> bool {
        (s..=q.last).any(|k| {
            self.mentions(r, k).iter().any(|m| {
                let quoted = (k, m.start) >= (q.first, q.open) && (k, m.start) <= (q.last, q.close);
                m.kind == EntityKind::Person
                    && (k > s || m.start >= at)
                    && !quoted
                    && self.entity_of(r, k, m) != Some(e)
            })
        })
    }

    /// The person or organisation a sentence opens with ("X denounced …, telling reporters").
    fn sentence_subject(&self, r: usize, s: usize) -> Option<Who> {
        let text = &self.reports[r].sentences[s].text;
        let m = self
            .mentions(r, s)
            .iter()
            .find(|m| is_speaker_kind(m.kind))?;
        if !is_title_run(&text[..m.start]) {
            return None;
        }
        self.entity_of(r, s, m).map(Who::Entity)
    }

    /// The one author the story names for a document ("the letter"), if exactly one.
    fn author(&self, document: &str) -> Option<usize> {
        let noun = document.rsplit(' ').next()?;
        if let Some(known) = self.authors.borrow().get(noun) {
            return *known;
        }
        let author = self.find_author(noun);
        self.authors.borrow_mut().insert(noun.to_string(), author);
        author
    }

    fn find_author(&self, noun: &str) -> Option<usize> {
        let noun_re = Regex::new(&format!(r"(?i)\b{}\b", regex::escape(noun))).ok()?;
        let mut found: Vec<usize> = Vec::new();
        for (r, report) in self.reports.iter().enumerate() {
            for (s, sentence) in report.sentences.iter().enumerate() {
                let text = &sentence.text;
                let nouns: Vec<usize> = noun_re.find_iter(text).map(|m| m.start()).collect();
                if nouns.is_empty() {
                    continue;
                }
                let people: Vec<&Mention> = self
                    .mentions(r, s)
                    .iter()
                    .filter(|m| is_speaker_kind(m.kind) && m.kind != EntityKind::Place)
                    .collect();
                // "… sent by X": the name right after "by".
                for by in AUTHORED_BY.find_iter(text) {
                    if !nouns.iter().any(|&n| n < by.start()) {
                        continue;
                    }
                    if let Some(m) = people
                        .iter()
                        .find(|m| m.start >= by.end() && is_title_run(&text[by.end()..m.start]))
                    {
                        found.extend(self.entity_of(r, s, m));
                    }
                }
                // "X sent a letter", "X informed them in a letter": X, the verb, then the noun.
                for verb in AUTHORS.find_iter(text) {
                    let names_document = nouns.iter().any(|&n| {
                        n >= verb.end() && text[verb.end()..n].split_whitespace().count() <= 6
                    });
                    if !names_document {
                        continue;
                    }
                    let subject = people.iter().rfind(|m| {
                        m.end <= verb.start() && is_apposition_end(&text[m.end..verb.start()])
                    });
                    if let Some(m) = subject {
                        found.extend(self.entity_of(r, s, m));
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

fn is_speaker_kind(kind: EntityKind) -> bool {
    kind != EntityKind::Other
}

fn is_pronoun(word: &str) -> bool {
    matches!(word.to_lowercase().as_str(), "he" | "she")
}

/// Whether the text before a name is only capitalised words (titles, ranks, "US"), at most
/// four, or an opening connective ("But").
fn is_title_run(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 4
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase) || matches!(*w, "of" | "the" | "and")
        })
}

/// Whether the text before a person's name is a run of titles and role words, capitalised or
/// not ("parliament speaker", "the party's deputy leader"), at most five words and none of them
/// a word that ties the name to another clause ("by", "to", "that").
fn is_role_run(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 5
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
                && !ROLE_BREAKS.contains(&w.to_lowercase().as_str())
        })
}

/// Words that never stand inside a title before a name.
const ROLE_BREAKS: &[&str] = &[
    "by", "to", "for", "with", "that", "on", "in", "at", "from", "about", "against", "and", "or",
    "but", "he", "she", "they", "it", "was", "is", "were", "said", "told", "says",
];

/// Whether the text between a name and its verb is at most an appositive's closing comma or
/// nothing: "X, sent" / "X sent".
fn is_apposition_end(text: &str) -> bool {
    matches!(text.trim(), "" | ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::entities::entities;
    use crate::analyse::tagged;
    use crate::model::test_report;
    use EntityKind::{Organization as Org, Person};

    /// The report's quotes as (speaker name, text, cite).
    fn said(
        sentences: &[&str],
        names: &[(&str, EntityKind)],
    ) -> Vec<(Option<String>, String, String)> {
        let report = test_report("r", sentences);
        let refs = [&report];
        let mentions = vec![tagged(&report, names)];
        let found = entities(&refs, &mentions);
        quotes(&refs, &mentions, &found)
            .into_iter()
            .map(|q| {
                // A named speaker is an entity and goes by its name.
                let entity = q.speaker.and_then(|id| found.iter().find(|e| e.id == id));
                if let Some(e) = entity {
                    assert_eq!(q.speaker_name.as_ref(), Some(&e.name));
                }
                (q.speaker_name, q.text, q.cite)
            })
            .collect()
    }

    fn quote(speaker: Option<&str>, text: &str, cite: &str) -> (Option<String>, String, String) {
        (
            speaker.map(str::to_string),
            text.to_string(),
            cite.to_string(),
        )
    }

    #[test]
    fn attribution_after_the_quote_in_either_order() {
        let q = said(
            &[
                "“We are ready to talk,” said Foreign Minister Ali Reza.",
                "«We will not give up on it», Reza added.",
                "\"Talks resume next week,\" according to the Foreign Ministry.",
                "\"It is over for now,\" an official said.",
            ],
            &[
                ("Ali Reza", Person),
                ("Reza", Person),
                ("Foreign Ministry", Org),
            ],
        );
        assert_eq!(
            q,
            [
                quote(Some("Ali Reza"), "We are ready to talk", "r:1"),
                quote(Some("Ali Reza"), "We will not give up on it", "r:2"),
                quote(Some("Foreign Ministry"), "Talks resume next week", "r:3"),
                // "an official" names nobody: unknown, not guessed.
                quote(None, "It is over for now", "r:4"),
            ]
        );
    }

    #[test]
    fn attribution_before_the_quote_and_colon_introductions() {
        let q = said(
            &[
                "Ann Lee said the ceasefire would \"hold for as long as both sides want it\".",
                "Writing late on Monday, Ann Lee tweeted: \"The border is open again!\"",
                "Bo Chen: \"Nothing has been decided yet.\"",
                "Bo Chen criticised the plan, telling reporters it was \"a gift to smugglers everywhere\".",
            ],
            &[("Ann Lee", Person), ("Bo Chen", Person)],
        );
        let speakers: Vec<Option<&str>> = q.iter().map(|(s, _, _)| s.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("Ann Lee"),
                Some("Ann Lee"),
                Some("Bo Chen"),
                Some("Bo Chen")
            ]
        );
        assert_eq!(q[0].1, "hold for as long as both sides want it");
    }

    #[test]
    fn titles_in_lower_case_before_the_name() {
        let q = said(
            &[
                "\"The vote will be held on Friday,\" said parliament speaker Apostolos Kaklamanis.",
                "\"We will abstain,\" opposition leader Ann Lee said.",
                "\"It is final,\" said a report by Ann Lee.",
            ],
            &[("Apostolos Kaklamanis", Person), ("Ann Lee", Person)],
        );
        let speakers: Vec<Option<&str>> = q.iter().map(|(s, _, _)| s.as_deref()).collect();
        // A report written by someone is not that person speaking.
        assert_eq!(
            speakers,
            [
                Some("Apostolos Kaklamanis"),
                Some("Ann Lee"),
                Some("a report")
            ]
        );
    }

    #[test]
    fn split_and_multi_sentence_quotes_are_one_quote() {
        let q = said(
            &[
                "\"We came here in peace.",
                "We leave in peace,\" said Ann Lee.",
                "\"We will leave,\" she said, \"and we will not come back.\"",
                "“We are sorry,” she said, “and we mean it.”",
            ],
            &[("Ann Lee", Person)],
        );
        assert_eq!(
            q,
            [
                quote(
                    Some("Ann Lee"),
                    "We came here in peace. We leave in peace",
                    "r:1"
                ),
                quote(
                    Some("Ann Lee"),
                    "We will leave and we will not come back.",
                    "r:3"
                ),
                quote(Some("Ann Lee"), "We are sorry and we mean it.", "r:4"),
            ]
        );
    }

    #[test]
    fn pronouns_reach_back_only_to_a_recent_person_speaker() {
        let q = said(
            &[
                "\"He never answered our calls,\" he said.",
                "\"The talks went well,\" Ann Lee told reporters.",
                "\"We expect a deal soon,\" she added.",
                "The talks resumed.",
                "Delegates arrived.",
                "Nobody spoke for hours.",
                "Then food came.",
                "\"It was all a misunderstanding,\" he said.",
            ],
            &[("Ann Lee", Person)],
        );
        let speakers: Vec<Option<&str>> = q.iter().map(|(s, _, _)| s.as_deref()).collect();
        assert_eq!(speakers, [None, Some("Ann Lee"), Some("Ann Lee"), None]);
    }

    #[test]
    fn an_unattributed_quotation_goes_on_only_right_after_its_speaker() {
        let q = said(
            &[
                "\"The talks went well,\" Ann Lee told reporters.",
                "\"We expect a deal within the week.\"",
                "Bo Chen disagreed with her.",
                "\"There is no deal on the table.\"",
                "\"Nothing was signed today,\" said Bo Chen.",
                "\"We will keep trying anyway,\" Ann Lee said of Bo Chen.",
                "\"He knows where to find us.\"",
            ],
            &[("Ann Lee", Person), ("Bo Chen", Person)],
        );
        let speakers: Vec<Option<&str>> = q.iter().map(|(s, _, _)| s.as_deref()).collect();
        // A sentence between, or another man named after the quote, stops the run.
        assert_eq!(
            speakers,
            [
                Some("Ann Lee"),
                Some("Ann Lee"),
                None,
                Some("Bo Chen"),
                Some("Ann Lee"),
                None
            ]
        );
    }

    #[test]
    fn a_pronoun_never_reaches_past_another_person() {
        let q = said(
            &[
                "\"We are leaving tonight,\" Ann Lee said.",
                "Bo Chen arrived an hour later.",
                "\"It is over for us,\" he said.",
            ],
            &[("Ann Lee", Person), ("Bo Chen", Person)],
        );
        assert_eq!(q[1].0, None);
    }

    #[test]
    fn a_document_speaks_for_the_one_author_the_story_names() {
        let names = [("Ann Lee", Person), ("Bo Chen", Person)];
        let q = said(
            &[
                "The letter was signed by Ambassador Ann Lee.",
                "\"We regret the decision to close the embassy,\" said the letter.",
                "\"Staff will leave within days,\" the statement said.",
            ],
            &names,
        );
        assert_eq!(q[0].0.as_deref(), Some("Ann Lee"));
        // No author named for the statement: it is shown as written, with no speaker.
        assert_eq!(q[1].0.as_deref(), Some("the statement"));

        let q = said(
            &[
                "Ann Lee sent a letter to the minister.",
                "Bo Chen signed the letter too.",
                "\"We regret the decision to close the embassy,\" said the letter.",
            ],
            &names,
        );
        // Two possible authors: unknown rather than guessed.
        assert_eq!(q[0].0.as_deref(), Some("the letter"));
    }

    #[test]
    fn latex_and_treebank_marks_quote_like_double_ones() {
        let q = said(
            &[
                "``I would like to make it clear that all meetings related to Cambodian affairs must be conducted in the Kingdom of Cambodia,'' Hun Sen told reporters.",
                "He said the opposition's concerns were ``just an excuse for them to stay abroad.''",
                "The government accused them of trying to ``internationalize'' the crisis.",
                "''We will not go back until it is safe,'' said Sam Rainsy.",
            ],
            &[("Hun Sen", Person), ("Sam Rainsy", Person)],
        );
        assert_eq!(
            q,
            [
                quote(
                    Some("Hun Sen"),
                    "I would like to make it clear that all meetings related to Cambodian affairs must be conducted in the Kingdom of Cambodia",
                    "r:1"
                ),
                quote(
                    Some("Hun Sen"),
                    "just an excuse for them to stay abroad.",
                    "r:2"
                ),
                quote(
                    Some("Sam Rainsy"),
                    "We will not go back until it is safe",
                    "r:4"
                ),
            ]
        );
    }

    #[test]
    fn apostrophes_and_scare_quotes_are_not_quotations() {
        let q = said(
            &[
                "Lee's aides said the 'talks will go on' and the Guards' chief agreed.",
                "The deal was a \"mistake\" and \"unfair\", critics said.",
                "Officials don't call it a 'crisis' yet.",
            ],
            &[],
        );
        assert_eq!(q, [quote(None, "talks will go on", "r:1")]);
    }

    #[test]
    fn spans_off_the_sentence_are_ignored() {
        let report = test_report("r", &["“Ça va,” dit-il, “très bien merci.” said Zoë."]);
        let bad = vec![vec![
            Mention {
                start: 1,
                end: 2,
                kind: Person,
            },
            Mention {
                start: 40,
                end: 400,
                kind: Person,
            },
        ]];
        let found = entities(&[&report], std::slice::from_ref(&bad));
        assert!(found.is_empty());
        let said = quotes(&[&report], &[bad], &found);
        assert!(said.iter().all(|q| q.speaker.is_none()));
    }

    #[test]
    fn without_mentions_quotes_are_found_with_unknown_speakers() {
        let report = test_report("r", &["\"We are ready to talk,\" said Ali Reza."]);
        let found = quotes(&[&report], &[], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].speaker, None);
        assert_eq!(found[0].speaker_name, None);
    }
}
