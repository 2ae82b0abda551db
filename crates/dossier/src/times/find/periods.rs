//! Quarters, halves, seasons, and weeks to centuries relative to the document: "the third
//! quarter", "the year-ago period", "the second half of 1990", "last fall", "next year".

use super::{everyday, fixed, group, rule, shift, year, Rule, YEAR};
use crate::times::lexicon::{duration, unit, Unit};
use crate::times::resolve::{Meaning, Shift};
use crate::times::TimexType;
use regex::Captures;

pub(super) fn periods() -> Vec<Rule> {
    vec![
        // "the third quarter", "third-quarter", "the 1989 second quarter", "next year's first
        // quarter", "the fourth quarter of 1998".
        rule(
            &format!(
                r"(?:the\s+)?(?:(?P<y>{YEAR})\s+|(?P<rel>next|last|this)\s+year's\s+|(?P<ya>year-(?:ago|earlier))\s+)?(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]+(?:fiscal[-\s]+)?quarter(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR}))?"
            ),
            quarter,
        ),
        // "the 1988 period": the quarter last mentioned, in that year.
        rule(
            &format!(r"the\s+(?P<y>{YEAR})\s+(?:fiscal\s+)?(?:quarter|period)"),
            |c| Some(Meaning::SameQuarterIn(year(c, "y")?)),
        ),
        // "the quarter", "the latest quarter", "the year-earlier period", "year-ago".
        rule(
            r"the\s+(?:(?P<m>latest|last|current|most\s+recent|recent|previous|prior|preceding|year-earlier|year-ago|year-before|comparable|same)\s+)?(?:fiscal\s+)?(?P<u>quarter|period)|(?P<ya>year-(?:earlier|ago))",
            the_quarter,
        ),
        // Halves of a named year: "the first half of 1998" is `1998-H1`, not the year.
        rule(
            &format!(
                r"(?:the\s+)?(?P<h>first|second|last|latter)\s+half\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR})\b"
            ),
            half,
        ),
        // "last fall", "the summer of 1998", "this spring".
        rule(
            &format!(
                r"(?:(?P<s>last|this|next|this past|this coming|the|early|late|mid)[\s-]+)?(?P<n>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<y>{YEAR}))?"
            ),
            season,
        ),
        // "the weekend", "this weekend", "last week", "next year", "the current fiscal year",
        // "the past year", "the following month".
        everyday(
            r"(?P<t>(?:the\s+)?(?P<s>last|past|next|coming|previous|preceding|prior|following|this|current|upcoming|full|the)\s+(?:(?:fiscal|calendar)\s+)?(?P<u>day|week|weekend|month|quarter|year|decade|century))(?P<ended>\s+end(?:ed|ing)\b)?",
            relative_unit,
        ),
    ]
}

/// The steps "last", "next" and "this" take from the anchor: -1, 1, 0.
fn steps(word: &str) -> i64 {
    match shift(Some(word)) {
        Shift::Last => -1,
        Shift::Next => 1,
        _ => 0,
    }
}

/// A numbered quarter, of a year given, of one relative to the document's ("next year's"),
/// or of the year the sentence points to.
fn quarter(c: &Captures) -> Option<Meaning> {
    let q = match group(c, "o")?.to_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        _ => 4,
    };
    if c.name("ya").is_some() {
        return Some(Meaning::QuarterOf { q, years: -1 });
    }
    if let Some(rel) = group(c, "rel") {
        return Some(Meaning::QuarterOf {
            q,
            years: steps(rel),
        });
    }
    Some(Meaning::Quarter {
        q,
        year: year(c, "y").or(year(c, "y2")),
    })
}

/// "the quarter", "the latest quarter" and their kin refer to the quarter the document reports
/// on (the one named last, else the last one ended); "the year-ago period" is that quarter a
/// year back.
fn the_quarter(c: &Captures) -> Option<Meaning> {
    if c.name("ya").is_some() {
        return Some(Meaning::YearBefore);
    }
    let m = group(c, "m").unwrap_or_default().to_lowercase();
    let period = group(c, "u")?.eq_ignore_ascii_case("period");
    match m.as_str() {
        "year-earlier" | "year-ago" | "year-before" | "comparable" => Some(Meaning::YearBefore),
        // The quarter reported on, which a fiscal year may number otherwise than the calendar
        // (on TempEval-3 folds 1-4, rather than the last calendar quarter ended: 1 fixed, none
        // broken).
        "latest" | "most recent" | "recent" => Some(Meaning::TheQuarter { back: 0 }),
        _ if period => None,
        "last" | "previous" | "prior" | "preceding" => Some(Meaning::TheQuarter { back: 1 }),
        "current" => Some(Meaning::Offset {
            unit: Unit::Quarter,
            n: 0,
        }),
        _ => Some(Meaning::TheQuarter { back: 0 }),
    }
}

fn half(c: &Captures) -> Option<Meaning> {
    let h = if group(c, "h")?.eq_ignore_ascii_case("first") {
        1
    } else {
        2
    };
    fixed(TimexType::Date, format!("{}-H{h}", group(c, "y")?))
}

/// A season with a year or a word that places it ("last fall"); a bare "fall" is a verb as
/// often as not.
fn season(c: &Captures) -> Option<Meaning> {
    if c.name("s").is_none() && c.name("y").is_none() {
        return None;
    }
    let season = match group(c, "n")?.to_lowercase().as_str() {
        "spring" => 0,
        "summer" => 1,
        "fall" | "autumn" => 2,
        _ => 3,
    };
    Some(Meaning::Season {
        season,
        year: year(c, "y"),
        shift: shift(group(c, "s")),
    })
}

/// A unit of the calendar relative to the document ("last week", "the current year"), or to
/// the day last mentioned ("the next day").
fn relative_unit(c: &Captures) -> Option<Meaning> {
    let u = unit(group(c, "u")?)?;
    let s = group(c, "s")?.to_lowercase();
    // "the year ended March 31": the twelve months up to a day, a duration.
    if s == "the" && c.name("ended").is_some() {
        return fixed(TimexType::Duration, duration(Some(1.0), u));
    }
    if s == "the" && u == Unit::Quarter {
        return Some(Meaning::TheQuarter { back: 0 });
    }
    if s == "the" && matches!(u, Unit::Day | Unit::Decade | Unit::Century) {
        return None;
    }
    let n = steps(&s);
    if u == Unit::Day {
        return Some(Meaning::FromLastDay(n));
    }
    Some(Meaning::Offset { unit: u, n })
}
