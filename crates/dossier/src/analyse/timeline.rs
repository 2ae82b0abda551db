//! Timeline: what happened when, across a story's reports.
//!
//! Each sentence with a time expression gives one event: its first time expression and its main
//! clause. Time expressions:
//!
//! - dates: "Jan. 3", "January 3, 2020", "3 January", "2020-01-03";
//! - weekdays: "on Sunday", "Monday afternoon", "next Tuesday", "last Friday";
//! - days relative to publication: "yesterday", "today", "tomorrow", "last night",
//!   "two days ago", "four years ago", "last week";
//! - times relative to another event: "less than 24 hours after the parliament voted". Such an
//!   event is placed after (or before) the event of the story that shares the most content words
//!   with the clause after "after"; without one it is not anchored in time and left out.
//!
//! **Dates.** Expressions resolve against the report's publication date: a weekday is the most
//! recent such day on or before publication ("next" looks forward, "last" strictly back), a date
//! without a year takes the publication year unless that puts it more than two months after
//! publication. `date` is given only where that is exact: when the report is dated, or the text
//! gives a full date. Vague spans ("last week", "years ago") order events but give no date.
//!
//! **Order.** Events sort by day, then part of day ("morning" before "evening"), then story
//! order. A report without a date is ordered as if published on the latest date of the story's
//! dated reports; in a story with no dated report, weekdays are read as falling in one week, the
//! one that leaves the longest run of unmentioned days between its last and its first day (news
//! looks back over the last few days: "Friday … Sunday … Monday" is one weekend, not a week
//! from Monday to Friday).
//!
//! **Merging.** The same event told by several reports (same day, most content words shared) is
//! one event citing every sentence that tells it.

use crate::model::{Event, Report};
use crate::text::{words, WEEKDAYS};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

const MONTHS: &str = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";
const NUMBERS: &str = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|forty-eight|fifty|sixty|seventy-two";
const APPROX: &str =
    r"(?:(?:less|more|fewer) than|about|around|nearly|almost|just|some|over|under)\s+";

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
    ))
    .expect("valid regex")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\b\.?(?:,?\s+(\d{{4}})\b)?"
    ))
    .expect("valid regex")
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("valid regex"));
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?i:(next|last|this|on|early|late))\s+)?({})(?:'s)?(?:\s+(morning|afternoon|evening|night))?\b",
        WEEKDAYS.join("|")
    ))
    .expect("valid regex")
});
static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(yesterday|today|tonight|tomorrow|last night)(?:\s+(morning|afternoon|evening))?\b",
    )
    .expect("valid regex")
});
static AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({APPROX})?({NUMBERS})\s+(day|week|month|year)s?\s+ago\b"
    ))
    .expect("valid regex")
});
static LAST_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:last|past)\s+(week|month|year)\b").expect("valid regex")
});
static AFTER_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({APPROX})?({NUMBERS})\s+(hour|day|week)s?\s+(after|before|later)\b([^,.;:]*)"
    ))
    .expect("valid regex")
});
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][\w'.-]*\s+){0,2}[A-Z][\w'.-]*\s*:\s+").expect("valid regex")
});
static TRAILING_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:[\w'.-]+\s+){0,5}(?:said|says|reported|added)\s*\.?$").expect("valid regex")
});

/// Words that open a leading adverbial or subordinate clause, dropped from an event's text.
const LEADERS: &[&str] = &[
    "on",
    "in",
    "at",
    "after",
    "before",
    "following",
    "during",
    "since",
    "as",
    "when",
    "while",
    "meanwhile",
    "however",
    "but",
    "and",
    "earlier",
    "later",
    "yesterday",
    "today",
    "still",
    "separately",
    "also",
    "by",
    "with",
    "amid",
    "despite",
    "although",
    "though",
    "once",
    "until",
];
/// Connectives that open a sentence without adding to its event.
const CONNECTIVES: &[&str] = &["but", "and", "meanwhile", "so", "yet", "still"];
/// The longest event text, in words; longer main clauses are cut at a comma.
const MAX_WORDS: usize = 45;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shift {
    Plain,
    Next,
    Last,
}

#[derive(Debug, Clone)]
enum Time {
    Date {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    Weekday {
        day: Weekday,
        shift: Shift,
    },
    /// Days from publication; `exact` when the day itself is known ("yesterday", not "last week").
    FromPublication {
        days: i64,
        exact: bool,
    },
    /// Hours from another event, named by the clause that follows.
    FromEvent {
        hours: i64,
        approximate: bool,
        clause: String,
    },
}

struct Found {
    r: usize,
    s: usize,
    when: String,
    time: Time,
    /// Hour of day the expression implies, for order within a day.
    hour: i64,
    what: String,
    stems: HashSet<String>,
}

/// Where an event sits in time: days since the common era, hours, and whether the date is
/// exact enough to print.
#[derive(Clone, Copy)]
struct Placed {
    hours: i64,
    date: Option<NaiveDate>,
}

/// The events of a story's reports, oldest first.
pub fn timeline(reports: &[&Report]) -> Vec<Event> {
    let mut found: Vec<Found> = Vec::new();
    for (r, report) in reports.iter().enumerate() {
        for (s, sentence) in report.sentences.iter().enumerate() {
            if let Some((start, end, time, hour)) = first_time(&sentence.text) {
                let what = main_clause(&sentence.text, start, end);
                found.push(Found {
                    r,
                    s,
                    when: tidy_when(&sentence.text[start..end]),
                    stems: content_stems(&what),
                    time,
                    hour,
                    what,
                });
            }
        }
    }
    let published: Vec<Option<NaiveDate>> = reports.iter().map(|r| publication(r)).collect();
    let fallback = published
        .iter()
        .flatten()
        .max()
        .copied()
        .unwrap_or_else(|| {
            let undated = found
                .iter()
                .filter(|f| published[f.r].is_none())
                .filter_map(|f| match f.time {
                    Time::Weekday {
                        day,
                        shift: Shift::Plain,
                    } => Some(day),
                    _ => None,
                });
            imagined_publication(undated)
        });
    let mut placed: Vec<Option<Placed>> = found
        .iter()
        .map(|f| place(f, published[f.r], fallback))
        .collect();
    for i in 0..found.len() {
        if let Time::FromEvent {
            hours,
            approximate,
            clause,
        } = &found[i].time
        {
            let stems = content_stems(clause);
            let anchor = (0..found.len())
                .filter(|&j| {
                    placed[j].is_some() && !matches!(found[j].time, Time::FromEvent { .. })
                })
                .map(|j| (found[j].stems.intersection(&stems).count(), j))
                .filter(|(shared, _)| *shared >= 2)
                .max_by_key(|(shared, j)| {
                    (*shared, std::cmp::Reverse(placed[*j].map(|p| p.hours)))
                });
            placed[i] = anchor.and_then(|(_, j)| placed[j]).map(|a| Placed {
                hours: a.hours + hours,
                date: a
                    .date
                    .filter(|_| !approximate && hours % 24 == 0)
                    .and_then(|d| d.checked_add_signed(chrono::Duration::hours(*hours))),
            });
        }
    }
    let mut order: Vec<usize> = (0..found.len()).filter(|&i| placed[i].is_some()).collect();
    order.sort_by_key(|&i| (placed[i].map(|p| p.hours), found[i].r, found[i].s));
    merge(&found, &placed, &order, reports)
}

/// One event per distinct happening: an event joins an earlier one of the same day whose
/// content words it mostly shares.
fn merge(
    found: &[Found],
    placed: &[Option<Placed>],
    order: &[usize],
    reports: &[&Report],
) -> Vec<Event> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let day = placed[i].map(|p| p.hours.div_euclid(24));
        let same = groups.iter_mut().find(|g| {
            let j = g[0];
            placed[j].map(|p| p.hours.div_euclid(24)) == day
                && found[j].r != found[i].r
                && overlap(&found[j].stems, &found[i].stems) >= 0.6
        });
        match same {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let first = &found[g[0]];
            Event {
                when: first.when.clone(),
                date: g
                    .iter()
                    .find_map(|&i| placed[i].and_then(|p| p.date))
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                what: first.what.clone(),
                cites: g
                    .iter()
                    .map(|&i| reports[found[i].r].sentences[found[i].s].id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Share of the smaller set found in the other.
fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / smaller as f64
}

fn content_stems(text: &str) -> HashSet<String> {
    words(text)
        .into_iter()
        .filter(|w| !w.is_stopword() && w.lower.chars().any(char::is_alphabetic))
        .map(|w| w.stem)
        .collect()
}

/// The publication day of a report, in the publisher's own time zone (the date as written).
fn publication(report: &Report) -> Option<NaiveDate> {
    let raw = report.published.as_deref()?;
    NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()
}

/// A stand-in publication date for a story without one: a day of the right weekday, so that
/// the weekdays mentioned fall in the most compact week (see the module notes). It orders
/// events only; no date is printed from it.
fn imagined_publication(weekdays: impl Iterator<Item = Weekday>) -> NaiveDate {
    let mut days: Vec<u32> = weekdays.map(|d| d.num_days_from_monday()).collect();
    days.sort_unstable();
    days.dedup();
    // 2001-01-01 was a Monday.
    let monday = NaiveDate::from_ymd_opt(2001, 1, 1).expect("valid date");
    let last = (0..days.len())
        .max_by_key(|&n| {
            let next = days[(n + 1) % days.len()];
            ((next + 7 - days[n] - 1) % 7, std::cmp::Reverse(n))
        })
        .map_or(0, |n| days[n]);
    monday + Days::new(u64::from(last))
}

fn place(f: &Found, published: Option<NaiveDate>, fallback: NaiveDate) -> Option<Placed> {
    let reference = published.unwrap_or(fallback);
    let dated = published.is_some();
    let (day, exact) = match &f.time {
        Time::Date { month, day, year } => match year {
            Some(y) => (NaiveDate::from_ymd_opt(*y, *month, *day)?, true),
            None => {
                let this = NaiveDate::from_ymd_opt(reference.year(), *month, *day)?;
                let day = if this > reference + Days::new(60) {
                    NaiveDate::from_ymd_opt(reference.year() - 1, *month, *day)?
                } else {
                    this
                };
                (day, dated)
            }
        },
        Time::Weekday { day, shift } => {
            let back =
                (7 + reference.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
            let day = match shift {
                Shift::Plain => reference - Days::new(u64::from(back)),
                Shift::Last => reference - Days::new(u64::from(if back == 0 { 7 } else { back })),
                Shift::Next => {
                    let ahead = (7 - back) % 7;
                    reference + Days::new(u64::from(if ahead == 0 { 7 } else { ahead }))
                }
            };
            (day, dated)
        }
        Time::FromPublication { days, exact } => (
            reference.checked_add_signed(chrono::Duration::days(*days))?,
            dated && *exact,
        ),
        Time::FromEvent { .. } => return None,
    };
    let days = i64::from(day.num_days_from_ce());
    Some(Placed {
        hours: days * 24 + f.hour,
        date: exact.then_some(day),
    })
}

/// The first time expression of a sentence: its byte range, meaning and hour of day.
fn first_time(text: &str) -> Option<(usize, usize, Time, i64)> {
    let mut best: Option<(usize, usize, Time, i64)> = None;
    let mut consider = |start: usize, end: usize, time: Time, hour: i64| {
        if best.as_ref().is_none_or(|b| start < b.0) {
            best = Some((start, end, time, hour));
        }
    };
    for c in MONTH_DAY.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if let (Some(month), Ok(day)) = (month_number(&c[1]), c[2].parse::<u32>()) {
            let year = c.get(3).and_then(|y| y.as_str().parse().ok());
            consider(m.start(), m.end(), Time::Date { month, day, year }, 12);
        }
    }
    for c in DAY_MONTH.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if let (Some(month), Ok(day)) = (month_number(&c[2]), c[1].parse::<u32>()) {
            let year = c.get(3).and_then(|y| y.as_str().parse().ok());
            consider(m.start(), m.end(), Time::Date { month, day, year }, 12);
        }
    }
    for c in ISO.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        if let (Ok(year), Ok(month), Ok(day)) = (c[1].parse(), c[2].parse(), c[3].parse()) {
            let year = Some(year);
            consider(m.start(), m.end(), Time::Date { month, day, year }, 12);
        }
    }
    for c in WEEKDAY.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let shift = match c.get(1).map(|s| s.as_str().to_lowercase()).as_deref() {
            Some("next") => Shift::Next,
            Some("last") => Shift::Last,
            _ => Shift::Plain,
        };
        let day: Weekday = c[2].parse().expect("weekday names parse");
        let hour = part_of_day(c.get(3).map(|p| p.as_str()));
        consider(m.start(), m.end(), Time::Weekday { day, shift }, hour);
    }
    for c in RELATIVE_DAY.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let word = c[1].to_lowercase();
        let (days, hour) = match word.as_str() {
            "yesterday" => (-1, part_of_day(c.get(2).map(|p| p.as_str()))),
            "tomorrow" => (1, part_of_day(c.get(2).map(|p| p.as_str()))),
            "tonight" => (0, 21),
            "last night" => (-1, 21),
            _ => (0, part_of_day(c.get(2).map(|p| p.as_str()))),
        };
        consider(
            m.start(),
            m.end(),
            Time::FromPublication { days, exact: true },
            hour,
        );
    }
    for c in AGO.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let Some(n) = number(&c[2]) else { continue };
        let (unit, exact) = match c[3].to_lowercase().as_str() {
            "day" => (1, c.get(1).is_none()),
            "week" => (7, false),
            "month" => (30, false),
            _ => (365, false),
        };
        let time = Time::FromPublication {
            days: -n * unit,
            exact,
        };
        consider(m.start(), m.end(), time, 12);
    }
    for c in LAST_PERIOD.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let days = match c[1].to_lowercase().as_str() {
            "week" => -7,
            "month" => -30,
            _ => -365,
        };
        let time = Time::FromPublication { days, exact: false };
        consider(m.start(), m.end(), time, 12);
    }
    for c in AFTER_EVENT.captures_iter(text) {
        let Some(n) = number(&c[2]) else { continue };
        let unit = match c[3].to_lowercase().as_str() {
            "hour" => 1,
            "day" => 24,
            _ => 24 * 7,
        };
        let direction = c[4].to_lowercase();
        let clause = c[5].trim().to_string();
        if direction == "later" || clause.split_whitespace().count() < 2 {
            continue;
        }
        let sign = if direction == "before" { -1 } else { 1 };
        let approximate = c.get(1).is_some();
        let start = c.get(0).expect("whole match").start();
        let end = c.get(4).expect("direction").end();
        let time = Time::FromEvent {
            hours: sign * n * unit,
            approximate,
            clause,
        };
        consider(start, end, time, 0);
    }
    best
}

fn month_number(name: &str) -> Option<u32> {
    let prefix: String = name.chars().take(3).collect();
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == prefix)
    .map(|n| n as u32 + 1)
}

fn number(word: &str) -> Option<i64> {
    if let Ok(n) = word.parse() {
        return Some(n);
    }
    let n = match word.to_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "forty-eight" => 48,
        "fifty" => 50,
        "sixty" => 60,
        "seventy-two" => 72,
        _ => return None,
    };
    Some(n)
}

/// An hour standing for a part of the day, so that "Monday morning" sorts before "Monday
/// night"; a bare day sits at noon.
fn part_of_day(part: Option<&str>) -> i64 {
    match part.map(str::to_lowercase).as_deref() {
        Some("morning") => 9,
        Some("afternoon") => 15,
        Some("evening") => 19,
        Some("night") => 22,
        _ => 12,
    }
}

/// The time expression as a reader would say it: without a leading "on".
fn tidy_when(written: &str) -> String {
    let trimmed = written.trim();
    match trimmed.split_once(' ') {
        Some((first, rest)) if first.eq_ignore_ascii_case("on") => rest.to_string(),
        _ => trimmed.to_string(),
    }
}

/// A sentence's main clause: without a dateline, leading adverbial or subordinate clauses
/// (including the one holding the time expression, which `when` already gives), opening
/// connectives and a trailing attribution.
fn main_clause(sentence: &str, when_start: usize, when_end: usize) -> String {
    let mut offset = DATELINE.find(sentence).map_or(0, |m| m.end());
    for _ in 0..2 {
        let rest = &sentence[offset..];
        let Some(comma) = first_comma_outside_quotes(rest) else {
            break;
        };
        let head = &rest[..comma];
        let tail = rest[comma + 1..].trim_start();
        let first = head
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let holds_time = offset + comma > when_start && offset <= when_start;
        let adverbial = LEADERS.contains(&first.as_str())
            || first.len() > 4 && first.ends_with("ing")
            || holds_time && when_end <= offset + comma;
        if !adverbial || tail.split_whitespace().count() < 4 {
            break;
        }
        offset = sentence.len() - tail.len();
    }
    let mut text = sentence[offset..].trim();
    while let Some((first, rest)) = text.split_once(' ') {
        let word = first.trim_end_matches(',').to_lowercase();
        if !CONNECTIVES.contains(&word.as_str()) || rest.split_whitespace().count() < 4 {
            break;
        }
        text = rest.trim_start();
    }
    let mut text = text.to_string();
    if let Some(m) = TRAILING_ATTRIBUTION.find(&text) {
        text.replace_range(m.start().., ".");
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > MAX_WORDS {
        let cut = words[..MAX_WORDS]
            .iter()
            .rposition(|w| w.ends_with(','))
            .filter(|&n| n >= MAX_WORDS / 2)
            .unwrap_or(MAX_WORDS - 1);
        text = format!("{}…", words[..=cut].join(" ").trim_end_matches(','));
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn first_comma_outside_quotes(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' | '“' | '”' => quoted = !quoted,
            ',' if !quoted => return Some(at),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_report;

    fn dated(id: &str, published: Option<&str>, sentences: &[&str]) -> Report {
        let mut r = test_report(id, sentences);
        r.published = published.map(str::to_string);
        r
    }

    /// (when, date, first cite) of each event, in timeline order.
    fn events(reports: &[Report]) -> Vec<(String, Option<String>, String)> {
        let refs: Vec<&Report> = reports.iter().collect();
        timeline(&refs)
            .into_iter()
            .map(|e| (e.when, e.date, e.cites[0].clone()))
            .collect()
    }

    fn event(when: &str, date: Option<&str>, cite: &str) -> (String, Option<String>, String) {
        (when.into(), date.map(str::to_string), cite.into())
    }

    #[test]
    fn dates_take_the_publication_year_unless_that_lies_ahead() {
        let r = dated(
            "r",
            Some("2020-01-02T08:00:00+03:00"),
            &[
                "The protests began on Dec. 30 outside the embassy.",
                "The treaty was signed on January 3, 2019, in Geneva.",
                "A summit is planned for 3 January in Paris.",
                "Nothing happened in between.",
            ],
        );
        assert_eq!(
            events(&[r]),
            [
                event("January 3, 2019", Some("2019-01-03"), "r:2"),
                event("Dec. 30", Some("2019-12-30"), "r:1"),
                event("3 January", Some("2020-01-03"), "r:3"),
            ]
        );
    }

    #[test]
    fn weekdays_and_relative_days_resolve_against_publication() {
        // Wednesday 8 January 2020.
        let r = dated(
            "r",
            Some("2020-01-08"),
            &[
                "Talks will resume next Monday in Vienna.",
                "Rockets hit the base on Monday night.",
                "The envoy landed Monday morning in Baghdad.",
                "The embassy closed yesterday after the attack.",
                "Officials met on Wednesday to discuss the closure.",
                "Troops arrived two days ago from Kuwait.",
                "Last week the ministry warned of attacks.",
                "A similar raid failed last Wednesday near Basra.",
            ],
        );
        assert_eq!(
            events(&[r]),
            [
                event("Last week", None, "r:7"),
                event("last Wednesday", Some("2020-01-01"), "r:8"),
                event("Monday morning", Some("2020-01-06"), "r:3"),
                event("two days ago", Some("2020-01-06"), "r:6"),
                event("Monday night", Some("2020-01-06"), "r:2"),
                event("yesterday", Some("2020-01-07"), "r:4"),
                event("Wednesday", Some("2020-01-08"), "r:5"),
                event("next Monday", Some("2020-01-13"), "r:1"),
            ]
        );
    }

    #[test]
    fn undated_reports_read_their_weekdays_as_one_compact_week() {
        let r = dated(
            "r",
            None,
            &[
                "The ceasefire collapsed on Tuesday, witnesses said.",
                "Fighting began on Saturday near the border.",
                "On Sunday, both sides agreed to talks.",
            ],
        );
        assert_eq!(
            events(&[r]),
            [
                event("Saturday", None, "r:2"),
                event("Sunday", None, "r:3"),
                event("Tuesday", None, "r:1"),
            ]
        );
    }

    #[test]
    fn an_undated_report_orders_by_the_story_dated_ones() {
        // Friday 10 January 2020: "Thursday" is the 9th, and the undated report's "Monday" the
        // 6th, ordered but not printed as a date.
        let a = dated(
            "a",
            Some("2020-01-10"),
            &["Ministers resigned on Thursday in protest."],
        );
        let b = dated("b", None, &["The strike began on Monday at dawn."]);
        assert_eq!(
            events(&[a, b]),
            [
                event("Monday", None, "b:1"),
                event("Thursday", Some("2020-01-09"), "a:1"),
            ]
        );
    }

    #[test]
    fn times_after_another_event_follow_it() {
        let r = dated(
            "r",
            Some("2020-01-08"),
            &[
                "Two days after the parliament voted to expel foreign troops, the embassy closed.",
                "The parliament voted on Sunday to expel foreign troops.",
                "Three hours after the lunar eclipse, nothing moved.",
            ],
        );
        let found = events(&[r]);
        assert_eq!(
            found,
            [
                event("Sunday", Some("2020-01-05"), "r:2"),
                event("Two days after", Some("2020-01-07"), "r:1"),
            ],
            "an event after something the story does not date is left out"
        );
    }

    #[test]
    fn one_event_told_by_two_reports_cites_both() {
        let a = dated(
            "a",
            Some("2020-01-06"),
            &["Parliament voted on Sunday to expel US troops."],
        );
        let b = dated(
            "b",
            Some("2020-01-06"),
            &["On Sunday, parliament voted to expel all US troops from the country."],
        );
        let refs = [&a, &b];
        let found = timeline(&refs);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].cites, ["a:1", "b:1"]);
        assert_eq!(found[0].date.as_deref(), Some("2020-01-05"));
    }

    #[test]
    fn the_event_is_the_main_clause() {
        assert_eq!(
            main_clause(
                "But on Monday, officials in Ankara said the border would reopen.",
                7,
                13
            ),
            "Officials in Ankara said the border would reopen."
        );
        assert_eq!(
            main_clause("The border will reopen on Friday, officials said.", 23, 32),
            "The border will reopen on Friday."
        );
        assert_eq!(
            main_clause(
                "Kabul: Following the deal, the last convoy left on Tuesday.",
                48,
                58
            ),
            "The last convoy left on Tuesday."
        );
    }
}
