//! Publication dates as feeds write them, read once for the whole pipeline.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone};

/// Zone abbreviations news feeds put after a time, with their offset in hours.
const ZONES: &[(&str, i32)] = &[
    ("GMT", 0),
    ("UTC", 0),
    ("UT", 0),
    ("Z", 0),
    ("BST", 1),
    ("CET", 1),
    ("CEST", 2),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
];

/// A feed's publication date in ISO 8601: RFC 3339 for an instant with its zone,
/// `YYYY-MM-DDTHH:MM:SS` for a time without one, `YYYY-MM-DD` for a day. Reads ISO 8601,
/// RFC 2822, "October 27, 1998", "Oct. 27, 1998 2:05 p.m. EST", "27 Oct 1998 14:05 GMT",
/// ISO 8601's basic `19981027`, "27/10/1998" when day and month cannot be mistaken; `None` for
/// anything else, rather than a guess.
pub fn normalise_published(raw: &str) -> Option<String> {
    let s = raw.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
            return Some(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    basic(s).or_else(|| slashed(s)).or_else(|| written(s))
}

/// ISO 8601's basic format, without separators: `19981027`, `19981027T140500Z`.
fn basic(s: &str) -> Option<String> {
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let (day, time) = s.split_once('T').unwrap_or((s, ""));
    if !digits(day, 8) {
        return None;
    }
    let day = NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
    if time.is_empty() {
        return Some(day.format("%Y-%m-%d").to_string());
    }
    let (clock, utc) = match time.strip_suffix('Z') {
        Some(clock) => (clock, true),
        None => (time, false),
    };
    let clock = match clock.len() {
        4 if digits(clock, 4) => NaiveTime::parse_from_str(clock, "%H%M").ok()?,
        6 if digits(clock, 6) => NaiveTime::parse_from_str(clock, "%H%M%S").ok()?,
        _ => return None,
    };
    let local = day.and_time(clock);
    Some(if utc {
        local.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    })
}

/// "27/10/1998" and "10/27/1998", when the order of day and month shows (one of them is over
/// 12); "05/06/1998" is May or June as the feed's country writes it, so it is refused.
fn slashed(s: &str) -> Option<String> {
    let parts: Vec<u32> = s
        .split('/')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, y] = parts[..] else {
        return None;
    };
    let (day, month) = match (a > 12, b > 12) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok().filter(|y| *y >= 1000)?, month, day)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// The day a normalised publication date falls on, as written (the publisher's own day).
pub fn published_day(normalised: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(normalised.get(..10)?, "%Y-%m-%d").ok()
}

/// Dates written out: an optional weekday, day and month in either order, a year, then an
/// optional time and zone.
fn written(s: &str) -> Option<String> {
    let cleaned = s.replace([',', '.'], " ");
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| w.parse::<chrono::Weekday>().is_ok())
    {
        words.remove(0);
    }
    let (day, rest) = match words.as_slice() {
        [m, d, y, rest @ ..] | [d, m, y, rest @ ..] if is_month(m) && is_number(d) => (
            NaiveDate::parse_from_str(&format!("{d} {m} {y}"), "%d %B %Y").ok()?,
            rest,
        ),
        _ => return None,
    };
    let (time, zone) = clock(rest)?;
    let Some(time) = time else {
        return Some(day.format("%Y-%m-%d").to_string());
    };
    let local = day.and_time(time);
    Some(match zone {
        Some(hours) => FixedOffset::east_opt(hours * 3600)?
            .from_local_datetime(&local)
            .single()?
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        None => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
    })
}

fn is_month(w: &str) -> bool {
    NaiveDate::parse_from_str(&format!("1 {w} 2000"), "%d %B %Y").is_ok()
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit())
}

/// The time and zone after a date: nothing, "14:05", "2:05 p m EST" (dots already spaces),
/// "at 14:05 GMT". `None` when something else follows.
fn clock(words: &[&str]) -> Option<(Option<NaiveTime>, Option<i32>)> {
    let mut words: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    if words.first().is_some_and(|w| w == "AT") {
        words.remove(0);
    }
    let Some(first) = words.first() else {
        return Some((None, None));
    };
    let mut time = NaiveTime::parse_from_str(first, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(first, "%H:%M"))
        .ok()?;
    let mut rest = &words[1..];
    let meridiem: String = rest.iter().take(2).map(String::as_str).collect();
    let (pm, taken) = match meridiem.as_str() {
        "PM" => (Some(true), 2),
        "AM" => (Some(false), 2),
        _ => match rest.first().map(String::as_str) {
            Some("PM") => (Some(true), 1),
            Some("AM") => (Some(false), 1),
            _ => (None, 0),
        },
    };
    if let Some(pm) = pm {
        use chrono::Timelike;
        let h = time.hour() % 12 + if pm { 12 } else { 0 };
        time = time.with_hour(h)?;
        rest = &rest[taken..];
    }
    match rest {
        [] => Some((Some(time), None)),
        [zone] => {
            let hours = ZONES.iter().find(|(z, _)| z == zone)?.1;
            Some((Some(time), Some(hours)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_feeds_use_are_read() {
        let read = |s| normalise_published(s);
        assert_eq!(
            read("Mon, 06 Jan 2020 14:00:00 +0000").as_deref(),
            Some("2020-01-06T14:00:00Z")
        );
        assert_eq!(read("2020-01-06").as_deref(), Some("2020-01-06"));
        assert_eq!(
            read("2020-01-06T14:05:00+03:00").as_deref(),
            Some("2020-01-06T14:05:00+03:00")
        );
        assert_eq!(read("October 27, 1998").as_deref(), Some("1998-10-27"));
        assert_eq!(read("Oct. 27, 1998").as_deref(), Some("1998-10-27"));
        assert_eq!(
            read("Tuesday, October 27, 1998").as_deref(),
            Some("1998-10-27")
        );
        assert_eq!(
            read("27 Oct 1998 14:05 GMT").as_deref(),
            Some("1998-10-27T14:05:00Z")
        );
        assert_eq!(
            read("Oct. 27, 1998 2:05 p.m. EST").as_deref(),
            Some("1998-10-27T14:05:00-05:00")
        );
        assert_eq!(
            read("27 October 1998 at 09:30").as_deref(),
            Some("1998-10-27T09:30:00")
        );
        assert_eq!(read("19981027").as_deref(), Some("1998-10-27"));
        assert_eq!(
            read("19981027T140500Z").as_deref(),
            Some("1998-10-27T14:05:00Z")
        );
        assert_eq!(read("27/10/1998").as_deref(), Some("1998-10-27"));
        assert_eq!(read("10/27/1998").as_deref(), Some("1998-10-27"));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "last Monday",
            "October 32, 1998",
            "soon",
            "1998",
            "27 Oct 1998 teatime",
            // Day and month in either order: the tool does not guess which.
            "05/06/1998",
            "27/10/98",
            "1998102",
            "19981027T25",
            "",
        ] {
            assert_eq!(normalise_published(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_day_is_the_one_written() {
        assert_eq!(
            published_day("2020-01-06T23:30:00-05:00"),
            NaiveDate::from_ymd_opt(2020, 1, 6)
        );
    }
}
