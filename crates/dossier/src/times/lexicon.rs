//! Words that name numbers, months, weekdays, units and parts of the day, and the regular
//! expressions built from them.

use chrono::Weekday;

/// Spelled numbers up to the tens; larger ones are built from these ("twenty-four").
const SMALL: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// A number as written: digits, "a"/"an", spelled words ("twenty-four", "two hundred"),
/// or vague amounts ("a few", "several"), which give `None` inside `Some`.
pub const NUMBER: &str = r"\d+\s+\d/\d+|\d+(?:\.\d+)?|an?|(?:a\s+)?(?:few|couple(?:\s+of)?)|several|many|some|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)(?:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand))*";

pub const MONTH: &str = r"January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

pub const WEEKDAY: &str = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

pub const UNIT: &str = r"seconds?|minutes?|hours?|days?|nights?|weekends?|weeks?|fortnights?|months?|quarters?|years?|decades?|century|centuries|millenni(?:um|a)";

pub const PART_OF_DAY: &str = r"morning|afternoon|evening|night";

/// The amount a number phrase gives: `Some(None)` for vague amounts ("several").
pub fn number(written: &str) -> Option<Option<f64>> {
    let w = written.trim().to_lowercase();
    if let Ok(n) = w.parse::<f64>() {
        return Some(Some(n));
    }
    // "5 1/2".
    if let Some((whole, fraction)) = w.split_once(char::is_whitespace) {
        if let (Ok(whole), Some((a, b))) = (whole.parse::<f64>(), fraction.trim().split_once('/')) {
            let (a, b): (f64, f64) = (a.parse().ok()?, b.parse().ok()?);
            return (b > 0.0).then_some(Some(whole + a / b));
        }
    }
    if w == "a" || w == "an" {
        return Some(Some(1.0));
    }
    if ["few", "several", "many", "some"]
        .iter()
        .any(|v| w.ends_with(v))
    {
        return Some(None);
    }
    if w.contains("couple") {
        return Some(Some(2.0));
    }
    let mut total = 0u32;
    let mut current = 0u32;
    for part in w.split(|c: char| c == '-' || c.is_whitespace()) {
        match part {
            "" | "and" => {}
            "hundred" => current = current.max(1) * 100,
            "thousand" => {
                total += current.max(1) * 1000;
                current = 0;
            }
            _ => current += SMALL.iter().find(|(s, _)| *s == part)?.1,
        }
    }
    Some(Some(f64::from(total + current)))
}

/// A spelled year: "nineteen ninety-six", "two thousand", "two thousand and one".
pub fn spelled_year(written: &str) -> Option<i32> {
    let w = written.to_lowercase();
    if let Some(rest) = w.strip_prefix("two thousand") {
        let rest = rest.trim().trim_start_matches("and").trim();
        let n = if rest.is_empty() {
            Some(0.0)
        } else {
            number(rest)?
        };
        return n.map(|n| 2000 + n as i32);
    }
    let (century, rest) = w.split_once(char::is_whitespace)?;
    let c = SMALL.iter().find(|(s, _)| *s == century)?.1;
    let n = number(rest)??;
    (10..=20).contains(&c).then_some(c as i32 * 100 + n as i32)
}

pub fn month(name: &str) -> Option<u32> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == prefix)
    .map(|n| n as u32 + 1)
}

pub fn weekday(name: &str) -> Option<Weekday> {
    name.trim_end_matches(['s', 'S']).parse().ok()
}

/// TimeML's code for a part of the day.
pub fn part_of_day(name: &str) -> Option<&'static str> {
    match name.to_lowercase().as_str() {
        "morning" => Some("MO"),
        "afternoon" => Some("AF"),
        "evening" => Some("EV"),
        "night" | "overnight" => Some("NI"),
        _ => None,
    }
}

/// The units of time, from the finest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Weekend,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
}

pub fn unit(written: &str) -> Option<Unit> {
    let w = written.to_lowercase();
    let u = match w.trim_end_matches('s') {
        "second" => Unit::Second,
        "minute" => Unit::Minute,
        "hour" => Unit::Hour,
        "day" | "night" => Unit::Day,
        "weekend" => Unit::Weekend,
        "week" => Unit::Week,
        "fortnight" => return None,
        "month" => Unit::Month,
        "quarter" => Unit::Quarter,
        "year" => Unit::Year,
        "decade" => Unit::Decade,
        "century" | "centurie" => Unit::Century,
        _ if w.starts_with("millenni") => Unit::Millennium,
        _ => return None,
    };
    Some(u)
}

/// The TimeML duration of `n` units (`None`: an unknown number, "PXY"); a fraction goes to
/// the next smaller unit ("2 1/2 years" is `P2Y6M`, "5 1/2 hours" `PT5H30M`).
pub fn duration(n: Option<f64>, unit: Unit) -> String {
    if let Some(n) = n.filter(|n| n.fract() != 0.0) {
        let smaller = match unit {
            Unit::Year => Some((Unit::Month, 12.0)),
            Unit::Week => Some((Unit::Day, 7.0)),
            Unit::Day => Some((Unit::Hour, 24.0)),
            Unit::Hour => Some((Unit::Minute, 60.0)),
            Unit::Minute => Some((Unit::Second, 60.0)),
            _ => None,
        };
        let rest = smaller
            .map(|(u, per)| (u, n.fract() * per))
            .filter(|(_, r)| r.fract() == 0.0);
        if let Some((small, rest)) = rest {
            let whole = duration(Some(n.trunc()), unit);
            let part = duration(Some(rest), small);
            // Joined under one P, with the T before the first time unit.
            let part = part.trim_start_matches('P');
            let part = if whole.contains('T') {
                part.trim_start_matches('T')
            } else {
                part
            };
            return format!("{whole}{part}");
        }
    }
    let amount = |scale: f64, letter: &str| match n {
        Some(n) if n.fract() == 0.0 => format!("{}{letter}", (n * scale) as i64),
        Some(n) => format!("{}{letter}", n * scale),
        None => format!("X{letter}"),
    };
    match unit {
        Unit::Second => format!("PT{}", amount(1.0, "S")),
        Unit::Minute => format!("PT{}", amount(1.0, "M")),
        Unit::Hour => format!("PT{}", amount(1.0, "H")),
        Unit::Day => format!("P{}", amount(1.0, "D")),
        Unit::Weekend => format!("P{}", amount(2.0, "D")),
        Unit::Week => format!("P{}", amount(1.0, "W")),
        Unit::Month => format!("P{}", amount(1.0, "M")),
        Unit::Quarter => format!("P{}", amount(1.0, "Q")),
        Unit::Year => format!("P{}", amount(1.0, "Y")),
        Unit::Decade if n.is_none() => "PXDE".into(),
        Unit::Decade => format!("P{}", amount(10.0, "Y")),
        Unit::Century if n.is_none() => "PXC".into(),
        Unit::Century => format!("P{}", amount(100.0, "Y")),
        Unit::Millennium => format!("P{}", amount(1.0, "L")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        assert_eq!(number("twenty-four"), Some(Some(24.0)));
        assert_eq!(number("two hundred"), Some(Some(200.0)));
        assert_eq!(number("a few"), Some(None));
        assert_eq!(number("an"), Some(Some(1.0)));
        assert_eq!(number("1.5"), Some(Some(1.5)));
        assert_eq!(number("fortnight"), None);
        assert_eq!(spelled_year("nineteen ninety-six"), Some(1996));
        assert_eq!(spelled_year("two thousand and one"), Some(2001));
    }

    #[test]
    fn durations_in_timeml() {
        assert_eq!(duration(Some(3.0), Unit::Day), "P3D");
        assert_eq!(duration(None, Unit::Year), "PXY");
        assert_eq!(duration(Some(5.0), Unit::Hour), "PT5H");
        assert_eq!(duration(Some(2.0), Unit::Decade), "P20Y");
        assert_eq!(duration(Some(1.0), Unit::Weekend), "P2D");
        assert_eq!(duration(number("2 1/2").unwrap(), Unit::Year), "P2Y6M");
        assert_eq!(duration(number("5 1/2").unwrap(), Unit::Hour), "PT5H30M");
        assert_eq!(duration(Some(1.5), Unit::Day), "P1DT12H");
    }
}
