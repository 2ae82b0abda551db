//! Times: time expressions in text, found and given their TimeML (TIMEX3) value.
//!
//! [`tag`] finds dates ("Oct. 27, 1998", "last Friday", "the third quarter"), times of day
//! ("10 p.m. Wednesday"), durations ("the past two months") and sets ("every day"), and
//! resolves each against an anchor, the document's date: `1998-10-27`, `1998-W44`, `P2M`,
//! `PRESENT_REF`. Expressions without their own year or week take the one the sentence's tense
//! points to (a weekday in "will meet Tuesday" is ahead, in "met Tuesday" behind); those that
//! refer back ("the quarter", "a year earlier", "the next day") take the quarter or day the
//! document mentioned last. Without an anchor, what depends on it is left as `X`
//! (`XXXX-WXX-5`).
//!
//! [`published`] reads the publication dates feeds carry; the timeline and ingest both use this
//! module, so the story's dates and `dossier times` agree.

mod find;
pub mod jsonl;
mod lexicon;
pub mod published;
mod resolve;

pub use published::{normalise_published, published_day};

use chrono::NaiveDate;
use regex::Regex;
use resolve::{Discourse, Tense};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression: its byte range in the text, type and TimeML value.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub kind: TimexType,
    pub value: String,
    /// The value rests on the anchor ("yesterday", "Friday"); false when the text alone fixes
    /// it ("Oct. 27, 1998", "three days").
    pub anchored: bool,
}

/// The time expressions of `text`, in order, resolved against `anchor` (the document's date).
pub fn tag(text: &str, anchor: Option<NaiveDate>) -> Vec<Timex> {
    let mut discourse = Discourse::new(anchor);
    // The same text read without an anchor says which values rest on it.
    let mut unanchored = Discourse::new(None);
    find::find(text)
        .into_iter()
        .filter_map(|f| {
            let tense = tense(text, f.start, f.end);
            let lead = lead(text, f.start);
            let (kind, value) = discourse.value(&f.meaning, tense, lead)?;
            let open = unanchored.value(&f.meaning, tense, lead);
            Some(Timex {
                start: f.start,
                end: f.end,
                kind,
                anchored: open.is_none_or(|(_, v)| v.contains('X')),
                value,
            })
        })
        .collect()
}

static WEEKDAY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i){}", lexicon::WEEKDAY)).expect("valid regex"));

/// Whether `text` may hold a weekday ("Friday", "last Friday", "Mondays"): false only where
/// [`tag`] finds none, so that callers after weekdays alone can skip it, a scan of every
/// pattern, on most sentences.
pub fn may_name_a_weekday(text: &str) -> bool {
    WEEKDAY_NAME.is_match(text)
}

/// Words that put what they govern ahead of the document's date. A past auxiliary before one
/// of them ("were planning", "was expected to") still looks ahead, the future seen from the
/// past (on TempEval-3 folds 1-4: 1 weekday fixed, none broken).
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:was|were|had\s+been)\s+(?:going\s+to|set\s+to|scheduled|planned|planning|expected|due\s+to|to)|will|won't|shall|'ll|would|going\s+to|set\s+to|scheduled|planned|planning|plans?\s+to|expects?\s+to|expected|due\s+to|is\s+to|are\s+to|as\s+(?:soon|early)\s+as|next|upcoming|tomorrow)\b")
        .expect("valid regex")
});
static PAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:was|were|had|did|said|ago|yesterday|last|earlier|since|\w{2,}ed)\b")
        .expect("valid regex")
});

static LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(ended|since|by|effective)\s+$").expect("valid regex"));

/// The side of the anchor the word just before an expression puts it on: "the year ended
/// March 31" and "since March" look back, "by March 31" and "effective June 1" ahead (on
/// TempEval-3 folds 1-4: 16 of 16 after "ended", 4 of 4 after "since", 8 of 9 after "by", 2 of 2
/// after "effective"), where the tense of a whole sentence misleads.
fn lead(text: &str, start: usize) -> Option<Tense> {
    let before = &text[floor_char(text, start.saturating_sub(12))..start];
    let word = LEAD.captures(before)?.get(1)?.as_str().to_lowercase();
    Some(if matches!(word.as_str(), "ended" | "since") {
        Tense::Past
    } else {
        Tense::Future
    })
}

/// How far, in bytes, the words that give an expression its tense are looked for.
const WINDOW: usize = 60;

fn floor_char(text: &str, at: usize) -> usize {
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// The tense of the words nearest `start..end` in its sentence that mark one: "will",
/// "planned", "said", "-ed".
fn tense(text: &str, start: usize, end: usize) -> Tense {
    // "Wednesday's ruling" names an event that has happened, whatever the sentence says of it
    // ("would look for ways around Wednesday's ruling"): 8 of 8 such weekdays on TempEval-3
    // folds 1-4 lie on or before the document's date.
    if text[end..].starts_with("'s") || text[end..].starts_with("\u{2019}s") {
        return Tense::Past;
    }
    let from = text[..start]
        .rfind(['.', '!', '?', '\n', ';'])
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .find(['.', '!', '?', '\n', ';'])
        .map_or(text.len(), |i| end + i);
    let from = floor_char(text, from.max(start.saturating_sub(WINDOW)));
    let to = floor_char(text, to.min(end + WINDOW));
    let nearest = |cue: &Regex| {
        let before = cue
            .find_iter(&text[from..start])
            .last()
            .map(|m| start - (from + m.end()));
        let after = cue.find(&text[end..to]).map(|m| m.start());
        before.into_iter().chain(after).min()
    };
    match (nearest(&FUTURE), nearest(&PAST)) {
        (Some(f), Some(p)) if f <= p => Tense::Future,
        (Some(_), None) => Tense::Future,
        (_, Some(_)) => Tense::Past,
        (None, None) => Tense::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, anchor: &str) -> Vec<(String, &'static str, String)> {
        let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
        tag(text, anchor)
            .into_iter()
            .map(|t| (text[t.start..t.end].to_string(), t.kind.as_str(), t.value))
            .collect()
    }

    fn found(written: &str, kind: &'static str, value: &str) -> (String, &'static str, String) {
        (written.into(), kind, value.into())
    }

    #[test]
    fn news_dates_resolve_against_the_report_date() {
        // Friday 7 August 1998.
        let text = "Suspected bombs exploded outside the U.S. embassies in Nairobi and Dar es \
            Salaam on Friday, killing dozens. The FBI said last week it had no warning; \
            investigators will arrive on Monday and stay for two weeks. Aug. 7, 1998 will be \
            remembered for years.";
        assert_eq!(
            values(text, "1998-08-07"),
            [
                found("Friday", "DATE", "1998-08-07"),
                found("last week", "DATE", "1998-W31"),
                found("Monday", "DATE", "1998-08-10"),
                found("two weeks", "DURATION", "P2W"),
                found("Aug. 7, 1998", "DATE", "1998-08-07"),
                found("years", "DURATION", "PXY"),
            ]
        );
        // Thursday 2 November 1989: the word before a day or month without a year says which
        // side it is on, where the nearest would be the wrong one.
        let text = "Revenue for the year ended March 31 rose 8%; the offer runs until a vote by \
            June 1, and prices have fallen since December.";
        assert_eq!(
            values(text, "1989-11-02"),
            [
                found("the year", "DURATION", "P1Y"),
                found("March 31", "DATE", "1989-03-31"),
                found("June 1", "DATE", "1990-06-01"),
                found("December", "DATE", "1988-12"),
            ]
        );
        // Friday 7 January 2000.
        let text = "Relatives in Miami said they would look for ways to get around Wednesday's \
            ruling.";
        assert_eq!(
            values(text, "2000-01-07"),
            [found("Wednesday", "DATE", "2000-01-05")]
        );
        // The future seen from the past: "was planned" looks ahead.
        let text = "Organisers said a march on Saturday was planned.";
        assert_eq!(
            values(text, "2000-01-07"),
            [found("Saturday", "DATE", "2000-01-08")]
        );
    }

    #[test]
    fn quarters_and_the_year_before_follow_the_report() {
        let text = "Net income in the third quarter rose 12% from a year earlier, the company \
            said yesterday. Sales for the first nine months were flat, and it expects \
            growth to resume early next year.";
        assert_eq!(
            values(text, "1989-10-26"),
            [
                found("the third quarter", "DATE", "1989-Q3"),
                found("a year earlier", "DATE", "1988-Q3"),
                found("yesterday", "DATE", "1989-10-25"),
                found("the first nine months", "DURATION", "P9M"),
                found("early next year", "DATE", "1990"),
            ]
        );
        // A fiscal year numbers its quarters otherwise: "the latest period" is the one named.
        let text = "Sales for the fiscal second quarter ended Sept. 30 rose 4%, and profit in \
            the latest period doubled.";
        assert_eq!(
            values(text, "1989-10-26"),
            [
                found("the fiscal second quarter", "DATE", "1989-Q2"),
                found("Sept. 30", "DATE", "1989-09-30"),
                found("the latest period", "DATE", "1989-Q2"),
            ]
        );
        let text = "Earnings should recover in the second half of 1999, after a decline over \
            the last decade.";
        assert_eq!(
            values(text, "1998-10-26"),
            [
                found("the second half of 1999", "DATE", "1999-H2"),
                found("the last decade", "DATE", "198"),
            ]
        );
    }

    #[test]
    fn times_of_day_and_sets() {
        let text = "The blast came at 10:35 a.m. Friday. Rallies are now held daily; rescuers \
            had arrived by noon. Markets close on Saturdays.";
        assert_eq!(
            values(text, "1998-08-08"),
            [
                found("10:35 a.m. Friday", "TIME", "1998-08-07T10:35"),
                found("now", "DATE", "PRESENT_REF"),
                found("daily", "SET", "P1D"),
                // On the day last mentioned.
                found("noon", "TIME", "1998-08-07T12:00"),
                found("Saturdays", "SET", "XXXX-WXX-6"),
            ]
        );
    }

    #[test]
    fn without_a_date_what_depends_on_it_stays_open() {
        let text = "The ceasefire collapsed on Tuesday, three years after the accord of \
            March 3, 1999 was signed.";
        assert_eq!(
            values(text, "not a date"),
            [
                found("Tuesday", "DATE", "XXXX-WXX-2"),
                found("three years", "DURATION", "P3Y"),
                found("March 3, 1999", "DATE", "1999-03-03"),
            ]
        );
    }

    #[test]
    fn text_beyond_ascii_reads_as_ascii_text_does() {
        // Text without word or space characters beyond ASCII is read with ASCII patterns:
        // curly quotes change nothing.
        let plain = values(
            "He said \"we met on Friday\" and left two days ago.",
            "2000-01-07",
        );
        let curly = values(
            "He said \u{201c}we met on Friday\u{201d} and left two days ago.",
            "2000-01-07",
        );
        assert_eq!(plain, curly);
        assert_eq!(plain.len(), 2);
        // A letter beyond ASCII is a word character: a weekday glued to one is no weekday.
        assert!(values("the na\u{ef}veMonday project", "2000-01-07").is_empty());
        assert_eq!(values("the naive Monday project", "2000-01-07").len(), 1);
        // A no-break space is a space.
        let kinds = |text| -> Vec<(&str, String)> {
            values(text, "2000-01-07")
                .into_iter()
                .map(|(_, kind, value)| (kind, value))
                .collect()
        };
        assert_eq!(
            kinds("They left two\u{a0}days ago."),
            [("DATE", "2000-01-05".to_string())]
        );
    }

    #[test]
    fn weekdays_are_never_found_where_none_is_named() {
        let texts = [
            "The ceasefire collapsed on Tuesday, three years after the accord.",
            "Markets close on Saturdays and at noon on holidays.",
            "Talks resume next week, two days after the vote, at 10 p.m. EST.",
        ];
        for text in texts {
            let weekdays = tag(text, None)
                .into_iter()
                .filter(|t| t.value.starts_with("XXXX-WXX-"))
                .count();
            assert_eq!(may_name_a_weekday(text), weekdays > 0, "{text}");
        }
    }

    #[test]
    fn words_that_only_look_like_times_are_left() {
        let text = "A 6-year-old girl may march with 2000 people; she works 24 hours a day \
            for Junior Achievement, the second time in May 1998. The farm had a surplus and \
            expects another this year.";
        assert_eq!(
            values(text, "1998-06-01"),
            [
                found("24 hours", "DURATION", "PT24H"),
                found("May 1998", "DATE", "1998-05"),
                found("this year", "DATE", "1998"),
            ]
        );
    }
}
