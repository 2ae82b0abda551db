//! Finding time expressions: general patterns over month and weekday names, numbers, units and
//! relative words, each giving what the expression means (see [`Meaning`]).

use super::lexicon::{
    self, duration, number, part_of_day, unit, Unit, MONTH, NUMBER, PART_OF_DAY, UNIT, WEEKDAY,
};
use super::resolve::{Meaning, Shift};
use super::TimexType;
use chrono::{NaiveDate, Weekday};
use regex::{Captures, Regex, RegexSet};
use std::sync::LazyLock;

mod names;
mod periods;

/// A time expression found: its byte range and meaning.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub meaning: Meaning,
}

type Reader = fn(&Captures) -> Option<Meaning>;

struct Rule {
    /// What the rule matches, case-insensitive and from word boundary to word boundary.
    pattern: String,
    read: Reader,
    /// Most news texts hold what it finds (see [`everyday`]).
    everyday: bool,
}

/// A year as digits, 1600 to 2099.
const YEAR: &str = r"1[6-9]\d\d|20\d\d";
const VAGUE_PLURAL: &str =
    r"seconds|minutes|hours|days|nights|weeks|weekends|months|quarters|years|decades|centuries";

fn rule(pattern: &str, read: Reader) -> Rule {
    Rule {
        pattern: pattern.to_string(),
        read,
        everyday: false,
    }
}

/// A rule for what most news texts hold (a month, a year, a weekday, a number of days): run on
/// every text, rather than first asking the set of rules whether it matches (see
/// [`ASCII_RULES`]), a question that costs more the more rules it asks about.
fn everyday(pattern: &str, read: Reader) -> Rule {
    Rule {
        everyday: true,
        ..rule(pattern, read)
    }
}

/// A rule's whole pattern, with the flags given: `i` or `i-u`.
fn whole(rule: &Rule, flags: &str) -> String {
    format!(r"(?{flags})\b(?:{})\b", rule.pattern)
}

fn capitalised(c: &Captures, name: &str) -> bool {
    c.name(name)
        .and_then(|m| m.as_str().chars().next())
        .is_some_and(char::is_uppercase)
}

fn group<'t>(c: &Captures<'t>, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str())
}

fn year(c: &Captures, name: &str) -> Option<i32> {
    group(c, name).and_then(|y| y.parse().ok())
}

fn shift(word: Option<&str>) -> Shift {
    let word = word.unwrap_or_default().to_lowercase();
    match word.split_whitespace().last().unwrap_or_default() {
        "last" | "past" | "previous" | "preceding" | "prior" => Shift::Last,
        "next" | "coming" | "following" | "upcoming" => Shift::Next,
        "this" | "current" => Shift::This,
        _ => Shift::Plain,
    }
}

fn fixed(kind: TimexType, value: impl Into<String>) -> Option<Meaning> {
    Some(Meaning::Fixed(kind, value.into()))
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    [
        names::names(),
        days_and_clock(),
        periods::periods(),
        amounts(),
        sets_and_references(),
    ]
    .into_iter()
    .flatten()
    .collect()
});

/// The rules' patterns, for any text.
static UNICODE_RULES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|r| Regex::new(&whole(r, "i")).expect("valid time pattern"))
        .collect()
});

/// The rules' patterns in ASCII terms (word boundaries, spaces, digits and case), for text
/// that [`reads_as_ascii`].
struct AsciiRules {
    patterns: Vec<Regex>,
    /// All but the everyday rules as one set, which tells in one pass which of them match a
    /// text at all: most match none (a text names a few kinds of time), and scanning a text
    /// once a rule was most of the time of a story's timeline.
    set: RegexSet,
    /// Each rule's number in `set`; `None` for the everyday ones.
    in_set: Vec<Option<usize>>,
}

static ASCII_RULES: LazyLock<AsciiRules> = LazyLock::new(|| {
    let patterns: Vec<String> = RULES.iter().map(|r| whole(r, "i-u")).collect();
    let mut asked = Vec::new();
    let in_set = RULES
        .iter()
        .zip(&patterns)
        .map(|(rule, pattern)| {
            (!rule.everyday).then(|| {
                asked.push(pattern);
                asked.len() - 1
            })
        })
        .collect();
    AsciiRules {
        patterns: patterns
            .iter()
            .map(|p| Regex::new(p).expect("valid time pattern"))
            .collect(),
        set: RegexSet::new(asked).expect("valid time patterns"),
        in_set,
    }
});

/// A character the ASCII patterns read otherwise: a word character or a space beyond ASCII
/// ("é", a no-break space). The Unicode classes restricted to ASCII are the ASCII ones, and
/// case-insensitive ASCII letters match other characters ("K", "ſ") only among these, so in a
/// text without one both kinds of patterns match alike, curly quotes and dashes or not.
static BEYOND_ASCII: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[[\w\s]&&[^\x00-\x7F]]").expect("valid regex"));

fn reads_as_ascii(text: &str) -> bool {
    text.is_ascii() || !BEYOND_ASCII.is_match(text)
}

/// Days relative to the document, weekdays and times of day.
fn days_and_clock() -> Vec<Rule> {
    vec![
        // Clock times: "10:35 a.m.", "10 p.m. EST", "noon".
        rule(
            r"(?P<h>\d{1,2})(?::(?P<min>\d{2}))?\s*(?P<ap>a\.m|p\.m|am|pm)(?:\.?\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET))?",
            |c| {
                let mut h: u32 = group(c, "h")?.parse().ok()?;
                let min: u32 = group(c, "min").map_or(Some(0), |m| m.parse().ok())?;
                let pm = group(c, "ap")?.to_lowercase().starts_with('p');
                if !(1..=12).contains(&h) || min > 59 {
                    return None;
                }
                h = h % 12 + if pm { 12 } else { 0 };
                Some(Meaning::At(None, format!("T{h:02}:{min:02}")))
            },
        ),
        rule(r"(?P<w>noon|midday|midnight)", |c| {
            let t = if group(c, "w")?.eq_ignore_ascii_case("midnight") {
                "T24:00"
            } else {
                "T12:00"
            };
            Some(Meaning::At(None, t.into()))
        }),
        // "yesterday", "late yesterday", "tomorrow morning", "tonight", "last night".
        rule(
            &format!(
                r"(?P<w>yesterday|today|tomorrow|tonight)(?P<s>'s)?(?:\s+(?P<p>{PART_OF_DAY}))?"
            ),
            |c| {
                let word = group(c, "w")?.to_lowercase();
                // "today's world" is the present in general, not a day.
                if word == "today" && c.name("s").is_some() {
                    return None;
                }
                let n = match word.as_str() {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    _ => 0,
                };
                let day = Meaning::Offset { unit: Unit::Day, n };
                let part = if word == "tonight" {
                    Some("night")
                } else {
                    group(c, "p")
                };
                Some(match part.and_then(part_of_day) {
                    Some(p) => Meaning::At(Some(Box::new(day)), format!("T{p}")),
                    None => day,
                })
            },
        ),
        rule(
            &format!(r"(?P<w>last|this)\s+(?P<p>{PART_OF_DAY})|(?P<o>overnight)"),
            |c| {
                let n = i64::from(group(c, "w").is_some_and(|w| w.eq_ignore_ascii_case("last")));
                let p = part_of_day(group(c, "p").or(group(c, "o"))?)?;
                let day = Meaning::Offset {
                    unit: Unit::Day,
                    n: -n,
                };
                Some(Meaning::At(Some(Box::new(day)), format!("T{p}")))
            },
        ),
        // Weekdays: "Friday", "last Friday", "Monday night"; "Mondays" is a set.
        everyday(
            &format!(
                r"(?:(?P<s>last|next|this|this coming|this past|coming|past|previous|following|each|every)\s+)?(?P<d>{WEEKDAY})(?P<pl>s)?(?:\s+(?P<p>{PART_OF_DAY})s?)?"
            ),
            |c| {
                if !capitalised(c, "d") {
                    return None;
                }
                let day: Weekday = lexicon::weekday(group(c, "d")?)?;
                let part = group(c, "p").and_then(part_of_day).map(|p| format!("T{p}"));
                let every = group(c, "s")
                    .is_some_and(|s| ["each", "every"].contains(&s.to_lowercase().as_str()));
                if every || c.name("pl").is_some() {
                    let n = day.number_from_monday();
                    return fixed(
                        TimexType::Set,
                        format!("XXXX-WXX-{n}{}", part.unwrap_or_default()),
                    );
                }
                let day = Meaning::Weekday {
                    day,
                    shift: shift(group(c, "s")),
                };
                Some(match part {
                    Some(p) => Meaning::At(Some(Box::new(day)), p),
                    None => day,
                })
            },
        ),
    ]
}

/// Amounts of time: durations, and dates so far back or ahead.
fn amounts() -> Vec<Rule> {
    vec![
        // "two days ago", "a year earlier", "a few weeks ago". ("Three days later" counts from
        // the story's last event, not the document's date: a duration.)
        rule(
            &format!(r"(?P<n>{NUMBER})\s+(?P<u>{UNIT})\s+(?P<w>ago|earlier|from\s+now|hence|back)"),
            |c| {
                let u = unit(group(c, "u")?)?;
                let w = group(c, "w")?.to_lowercase();
                let sign = if w == "ago" || w == "earlier" || w == "back" {
                    -1
                } else {
                    1
                };
                match number(group(c, "n")?)? {
                    Some(n) if n == 1.0 && u == Unit::Year && sign < 0 => Some(Meaning::YearBefore),
                    Some(n) => Some(Meaning::Offset {
                        unit: u,
                        n: sign * n as i64,
                    }),
                    None if sign < 0 => fixed(TimexType::Date, "PAST_REF"),
                    None => fixed(TimexType::Date, "FUTURE_REF"),
                }
            },
        ),
        // Durations: "three days", "the past two months", "a five-year", "two more weeks",
        // "the first nine months", "nearly forty years".
        everyday(
            &format!(
                r"(?:(?:the\s+)?(?:last|past|next|coming|previous|first|final|following|initial|remaining|latest|same)\s+)?(?P<n>{NUMBER})(?:\s+|-)(?:(?:more|additional|full|straight|consecutive|trading|business|long|calendar|short)\s+)?(?P<u>{UNIT})(?:-long)?"
            ),
            |c| {
                let u = unit(group(c, "u")?)?;
                let written = group(c, "n")?;
                // "a second" is an ordinal more often than a duration.
                if u == Unit::Second
                    && written.len() < 3
                    && !written.starts_with(|c: char| c.is_ascii_digit())
                {
                    return None;
                }
                fixed(TimexType::Duration, duration(number(written)?, u))
            },
        ),
        // Spans of unknown length: "for years", "in recent months", "the coming weeks".
        rule(
            &format!(
                r"(?:for|in|over|within|during|of|after)\s+(?P<t>(?:the\s+)?(?:(?:past|last|next|coming|recent|following|few|several|many)\s+)?(?:few\s+)?(?P<u>{VAGUE_PLURAL}))"
            ),
            |c| {
                let u = unit(group(c, "u")?)?;
                fixed(TimexType::Duration, duration(None, u))
            },
        ),
    ]
}

/// Sets, holidays, and the present, past and future without a date.
fn sets_and_references() -> Vec<Rule> {
    vec![
        // Sets: "daily", "every quarter", "each July".
        rule(
            r"(?P<a>daily|weekly|monthly|annually|yearly|hourly|nightly)",
            |c| {
                let u = match group(c, "a")?.to_lowercase().as_str() {
                    "daily" | "nightly" => Unit::Day,
                    "weekly" => Unit::Week,
                    "monthly" => Unit::Month,
                    "hourly" => Unit::Hour,
                    "quarterly" => Unit::Quarter,
                    _ => Unit::Year,
                };
                fixed(TimexType::Set, duration(Some(1.0), u))
            },
        ),
        rule(
            &format!(
                r"(?:every|each|per)\s+(?:other\s+)?(?P<u>second|minute|hour|day|night|week|month|quarter|year|(?P<m>{MONTH}))"
            ),
            |c| {
                if let Some(m) = group(c, "m") {
                    return fixed(TimexType::Set, format!("XXXX-{:02}", lexicon::month(m)?));
                }
                fixed(TimexType::Set, duration(Some(1.0), unit(group(c, "u")?)?))
            },
        ),
        // Holidays.
        rule(
            r"(?P<h>Christmas(?:\s+Day|\s+Eve)?|New\s+Year's(?:\s+Day|\s+Eve)?|Thanksgiving(?:\s+Day)?|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween|Veterans\s+Day)",
            |c| {
                let h = group(c, "h")?.to_lowercase();
                let rule: fn(i32) -> Option<NaiveDate> = if h.starts_with("christmas eve") {
                    |y| NaiveDate::from_ymd_opt(y, 12, 24)
                } else if h.starts_with("christmas") {
                    |y| NaiveDate::from_ymd_opt(y, 12, 25)
                } else if h.ends_with("eve") {
                    |y| NaiveDate::from_ymd_opt(y, 12, 31)
                } else if h.starts_with("new") {
                    |y| NaiveDate::from_ymd_opt(y, 1, 1)
                } else if h.starts_with("thanksgiving") {
                    |y| NaiveDate::from_weekday_of_month_opt(y, 11, Weekday::Thu, 4)
                } else if h.starts_with("independence") {
                    |y| NaiveDate::from_ymd_opt(y, 7, 4)
                } else if h.starts_with("labor") {
                    |y| NaiveDate::from_weekday_of_month_opt(y, 9, Weekday::Mon, 1)
                } else if h.starts_with("memorial") {
                    |y| last_weekday_of(y, 5, Weekday::Mon)
                } else if h.starts_with("halloween") {
                    |y| NaiveDate::from_ymd_opt(y, 10, 31)
                } else {
                    |y| NaiveDate::from_ymd_opt(y, 11, 11)
                };
                Some(Meaning::Yearly(rule))
            },
        ),
        // Now, then and later, without a date.
        rule(
            r"(?P<w>(?:right\s+)?now|current|currently|nowadays|these\s+days|at\s+present|presently|the\s+present)",
            |_| fixed(TimexType::Date, "PRESENT_REF"),
        ),
        rule(
            r"(?P<w>(?:more\s+|most\s+|until\s+)?recently|recent|lately|formerly|the\s+past)",
            |_| fixed(TimexType::Date, "PAST_REF"),
        ),
        rule(
            r"(?P<w>the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|the\s+(?:near|short|long)\s+term)",
            |_| fixed(TimexType::Date, "FUTURE_REF"),
        ),
    ]
}

fn last_weekday_of(year: i32, month: u32, day: Weekday) -> Option<NaiveDate> {
    (1..=5)
        .rev()
        .find_map(|n| NaiveDate::from_weekday_of_month_opt(year, month, day, n))
}

/// Words that belong to the amount they precede: "nearly" in "nearly forty years".
static AMOUNT_MODIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|around|approximately|roughly|nearly|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|not\s+more\s+than|another|an\s+additional|each\s+of\s+the)\s+$")
        .expect("valid modifier pattern")
});

/// Words that belong to the time they precede: "early" in "early next year", "the" in "the
/// third quarter" (but not in "the Aug. 7 bombing", where it belongs to the noun).
static TIME_MODIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:early|late|mid|post|pre|fiscal|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+turn\s+of|all\s+of|most\s+of|much\s+of|a\s+good\s+part\s+of)[\s-]+$")
        .expect("valid modifier pattern")
});
static THE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|earlier|later)\s+$").expect("valid modifier pattern")
});

/// Which modifiers an expression takes on its left.
fn modifiers(m: &Meaning, text: &str) -> Vec<&'static Regex> {
    // Bounds go with amounts: "nearly forty years", "more than four years ago", not "another
    // this year".
    let first_word = text.split([' ', '-']).next().unwrap_or_default();
    let amount = matches!(
        m,
        Meaning::Fixed(TimexType::Duration | TimexType::Set, _)
            | Meaning::Offset { .. }
            | Meaning::YearBefore
    ) && number(first_word).is_some();
    let named = matches!(
        m,
        Meaning::Date { .. }
            | Meaning::Month { .. }
            | Meaning::Weekday { .. }
            | Meaning::At(..)
            | Meaning::Fixed(TimexType::Set, _)
    ) || matches!(m, Meaning::Fixed(TimexType::Date, v) if !v.starts_with('P') || v.ends_with("_REF"));
    let mut out = vec![&*TIME_MODIFIER];
    if amount {
        out.push(&*AMOUNT_MODIFIER);
    }
    // "the" and "earlier"/"later" go with relative times ("the past year", "earlier this
    // month"), not with names of days and years.
    if !named && !text.to_lowercase().starts_with("the ") {
        out.push(&*THE);
    }
    out
}

/// Every time expression of `text`, leftmost-longest, never overlapping.
pub fn find(text: &str) -> Vec<Found> {
    let mut all: Vec<Found> = Vec::new();
    if reads_as_ascii(text) {
        let ascii = &*ASCII_RULES;
        let matched = ascii.set.matches(text);
        for (i, rule) in RULES.iter().enumerate() {
            if ascii.in_set[i].is_none_or(|j| matched.matched(j)) {
                read_rule(rule, &ascii.patterns[i], text, &mut all);
            }
        }
    } else {
        for (rule, pattern) in RULES.iter().zip(UNICODE_RULES.iter()) {
            read_rule(rule, pattern, text, &mut all);
        }
    }
    all.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::new();
    for f in all {
        if kept.last().is_none_or(|k| f.start >= k.end) {
            kept.push(f);
        }
    }
    let mut kept = join_clock_and_day(text, kept);
    let mut previous_end = 0;
    for f in kept.iter_mut() {
        let regexes = modifiers(&f.meaning, &text[f.start..f.end]);
        f.start = extend_left(text, previous_end, f.start, &regexes);
        previous_end = f.end;
    }
    kept
}

/// The expressions one rule finds in `text`, added to `all`.
fn read_rule(rule: &Rule, pattern: &Regex, text: &str, all: &mut Vec<Found>) {
    for c in pattern.captures_iter(text) {
        let Some(meaning) = (rule.read)(&c) else {
            continue;
        };
        let span = c
            .name("t")
            .unwrap_or_else(|| c.get(0).expect("whole match"));
        let duration = matches!(meaning, Meaning::Fixed(TimexType::Duration, _));
        if !stands_alone(text, span.end()) || duration && is_rate(text, span.start()) {
            continue;
        }
        let end = with_abbreviation_dot(text, span.end());
        all.push(Found {
            start: span.start(),
            end,
            meaning,
        });
    }
}

static AMOUNT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:\d|\b(?:million|billion|percent|cents|dollars|times|once|twice|{VAGUE_PLURAL}))\s+$"
    ))
    .expect("valid pattern")
});
static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^an?\s").expect("valid pattern"));

/// Whether "a day" at `start` is the second half of a rate ("24 hours a day", "$2 a year",
/// "twice a week"): a frequency of something else, not a time.
fn is_rate(text: &str, start: usize) -> bool {
    let before = &text[floor_boundary(text, start.saturating_sub(20))..start];
    ARTICLE.is_match(&text[start..]) && AMOUNT_BEFORE.is_match(before)
}

fn floor_boundary(text: &str, at: usize) -> usize {
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// Whether a span is not the first part of a compound ("a year-earlier", "1990-style").
fn stands_alone(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    !(after.next() == Some('-') && after.next().is_some_and(char::is_alphanumeric))
}

/// The end of a span, past the full stop of "a.m." and "p.m." (a word boundary cannot end a
/// pattern after a dot).
fn with_abbreviation_dot(text: &str, end: usize) -> usize {
    let span = &text[..end];
    let abbreviated = [".m", ".M"].iter().any(|m| span.ends_with(m));
    if abbreviated && text[end..].starts_with('.') {
        end + 1
    } else {
        end
    }
}

/// "10 p.m. Wednesday", "noon Thursday": one expression.
fn join_clock_and_day(text: &str, found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        if let Some(last) = out.last_mut() {
            let between = &text[last.end..f.start];
            let close = between
                .trim_matches(|c: char| c.is_whitespace() || c == ',')
                .is_empty()
                || between.trim().eq_ignore_ascii_case("on");
            if let (Meaning::At(None, clock), true) = (&last.meaning, close && between.len() <= 4) {
                if is_day(&f.meaning) {
                    last.meaning = Meaning::At(Some(Box::new(f.meaning)), clock.clone());
                    last.end = f.end;
                    continue;
                }
            }
        }
        out.push(f);
    }
    out
}

fn is_day(m: &Meaning) -> bool {
    matches!(
        m,
        Meaning::Weekday { .. }
            | Meaning::Date { .. }
            | Meaning::Offset {
                unit: Unit::Day,
                ..
            }
    ) || matches!(m, Meaning::Fixed(TimexType::Date, v) if v.len() == 10)
}

fn extend_left(text: &str, floor: usize, start: usize, modifiers: &[&Regex]) -> usize {
    let mut start = start;
    'grow: loop {
        let window_start = floor.max(start.saturating_sub(40));
        let window_start = (window_start..start)
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(start);
        for modifier in modifiers {
            if let Some(m) = modifier.find(&text[window_start..start]) {
                if m.start() < m.end() {
                    start = window_start + m.start();
                    continue 'grow;
                }
            }
        }
        return start;
    }
}
