//! Dates and years by name or number: "Oct. 23, 1998", "last October", "1990's", "the
//! nineties", "10/27/98".

use super::{capitalised, everyday, fixed, group, rule, shift, year, Rule, YEAR};
use crate::times::lexicon::{self, number, spelled_year, MONTH, WEEKDAY};
use crate::times::resolve::{Meaning, Shift};
use crate::times::TimexType;
use chrono::NaiveDate;
use regex::Captures;

pub(super) fn names() -> Vec<Rule> {
    vec![
        // "Friday, Oct. 23, 1998", "Oct. 23", "October 23rd 1998".
        everyday(
            &format!(
                r"(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<m>{MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>{YEAR}))?"
            ),
            day_of_month,
        ),
        // "23 October 1998", "the 5th of November".
        rule(
            &format!(
                r"(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH})\.?(?:,?\s+(?P<y>{YEAR}))?"
            ),
            day_of_month,
        ),
        // "last October", "May 1998", "mid-November".
        everyday(
            &format!(
                r"(?:(?P<s>last|next|this|this past|this coming)\s+)?(?P<m>{MONTH})\.?(?:,?\s+(?:of\s+)?(?P<y>{YEAR}))?"
            ),
            month,
        ),
        // "in May", "since March": a month after a preposition of time.
        rule(
            r"(?:in|since|until|by|during|through|before|after|from|early|late|mid-?)\s+(?P<t>May|March)",
            month_after_preposition,
        ),
        rule(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})", iso_date),
        rule(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})", us_date),
        // Years, but not amounts: "in 1998", "fiscal 1989", "1990's".
        everyday(
            &format!(
                r"(?P<pre>\$\s*|#\s*|[\d.,]\s*)?(?P<y>{YEAR})(?P<s>'?s)?(?P<post>\s*(?:%|percent|people|[\d,]))?"
            ),
            year_number,
        ),
        // Spelled years: "nineteen ninety-six", "the year two thousand".
        rule(
            r"(?:the\s+year\s+)?(?P<y>(?:nineteen|eighteen|twenty)\s+(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)",
            spelled,
        ),
        // Decades: "the nineties", "the 90s".
        rule(
            r"the\s+(?:(?:nineteen|eighteen)[\s-]+)?(?P<d>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)|the\s+'?(?P<n>\d0)'?s",
            decade,
        ),
        // Centuries: "the 20th century".
        rule(r"the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century", century),
    ]
}

/// A day and month as written ("Oct. 23", "23 October"), with the year when given; the month
/// capitalised, so that "may" and "march" as verbs are no dates.
fn day_of_month(c: &Captures) -> Option<Meaning> {
    let month = lexicon::month(group(c, "m")?)?;
    let day = group(c, "d")?.parse().ok()?;
    (capitalised(c, "m") && (1..=31).contains(&day)).then_some(Meaning::Date {
        year: year(c, "y"),
        month,
        day,
    })
}

/// A month by its capitalised full name; a bare "May" or "March" only with "last" or a year,
/// where a month is meant and not the verb.
fn month(c: &Captures) -> Option<Meaning> {
    let name = group(c, "m")?;
    let full = name.len() > 3 || name.eq_ignore_ascii_case("may");
    let ambiguous = ["may", "march"].contains(&name.to_lowercase().as_str());
    let framed = c.name("s").is_some() || c.name("y").is_some();
    if !capitalised(c, "m") || !full || (ambiguous && !framed) {
        return None;
    }
    Some(Meaning::Month {
        year: year(c, "y"),
        month: lexicon::month(name)?,
        shift: shift(group(c, "s")),
    })
}

fn month_after_preposition(c: &Captures) -> Option<Meaning> {
    Some(Meaning::Month {
        year: None,
        month: lexicon::month(group(c, "t")?)?,
        shift: Shift::Plain,
    })
}

/// A calendar day given by numbers, as a fixed date.
fn numbered_day(y: i32, c: &Captures) -> Option<Meaning> {
    let date = NaiveDate::from_ymd_opt(
        y,
        group(c, "m")?.parse().ok()?,
        group(c, "d")?.parse().ok()?,
    )?;
    fixed(TimexType::Date, date.format("%Y-%m-%d").to_string())
}

fn iso_date(c: &Captures) -> Option<Meaning> {
    numbered_day(year(c, "y")?, c)
}

/// "10/27/98": a two-digit year is the nearest to 1975 (the corpora's decades).
fn us_date(c: &Captures) -> Option<Meaning> {
    let y: i32 = group(c, "y")?.parse().ok()?;
    let y = if y < 100 {
        1900 + y + if y < 50 { 100 } else { 0 }
    } else {
        y
    };
    numbered_day(y, c)
}

/// A year standing alone ("in 1998"), not an amount ("$1998", "1998 people"); "1990's" is the
/// decade.
fn year_number(c: &Captures) -> Option<Meaning> {
    if c.name("pre").is_some() || c.name("post").is_some() {
        return None;
    }
    let y = group(c, "y")?;
    if c.name("s").is_some() {
        return fixed(TimexType::Date, format!("{}X", &y[..3]));
    }
    fixed(TimexType::Date, y)
}

fn spelled(c: &Captures) -> Option<Meaning> {
    let y = spelled_year(group(c, "y")?)?;
    fixed(TimexType::Date, format!("{y:04}"))
}

fn decade(c: &Captures) -> Option<Meaning> {
    let tens = match group(c, "d") {
        Some(word) => number(&word.to_lowercase().replace("ies", "y"))?? as i32,
        None => group(c, "n")?.parse().ok()?,
    };
    fixed(TimexType::Date, format!("19{}", tens / 10))
}

/// TimeML writes a century as its first two digits: "the 20th century" is `19`.
fn century(c: &Captures) -> Option<Meaning> {
    let n: i32 = group(c, "n")?.parse().ok()?;
    fixed(TimexType::Date, format!("{:02}", n - 1))
}
