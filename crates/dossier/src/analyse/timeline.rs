//! Timeline: what happened when, across a story's reports.
//!
//! Each sentence with a time expression gives one event: its first time expression that places
//! it, and its main clause. Time expressions are found and resolved by [`crate::times`] (the
//! same resolver as `dossier times`): dates ("Jan. 3", "January 3, 2020"), weekdays ("on
//! Sunday", "next Tuesday"), days relative to publication ("yesterday", "two days ago"), weeks,
//! months, quarters and years ("last week", "in March", "in 2003"). A duration followed by
//! "after" or "before" and a clause ("less than 24 hours after the parliament voted") places its
//! event after (or before) the event of the story that shares the most content words with that
//! clause; without one it is not anchored in time and left out.
//!
//! **Dates.** Expressions resolve against the report's publication date. A report without one
//! is resolved against the day of its wire dateline ("TEHRAN, August 8 (Xinhua) --") when it has
//! one, else the latest date of the story's dated reports, and its events are marked
//! `inferred`. `date` is given only for a day: a week, month or year orders its event (from its
//! first day) but prints no date.
//!
//! **Order.** Events sort by time, then part of day ("morning" before "evening"), then story
//! order. In a story with no dated report, weekdays are read as falling in one week, the one
//! that leaves the longest run of unmentioned days between its last and its first day (news
//! looks back over the last few days: "Friday … Sunday … Monday" is one weekend, not a week
//! from Monday to Friday); such events print no date and come after any dated ones.
//!
//! **Merging.** The same event told by several reports (same day, most content words shared) is
//! one event citing every sentence that tells it. Only events on a known day merge: two
//! undated "Monday"s may be different weeks.

use crate::model::{Event, Report};
use crate::text::words;
use crate::times::{self, Timex, TimexType};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;
use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][\w'.-]*\s+){0,2}[A-Z][\w'.-]*\s*:\s+").expect("valid regex")
});
/// A wire service's dateline, "TEHRAN, August 8 (Xinhua) --": the place, the day the report was
/// filed and the agency, before the story begins.
static WIRE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[A-Z][\w'.-]*(?:[ ,]+[A-Z][\w'.-]*){0,3},\s+(?P<day>[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*(?:\([^)]{1,30}\))?\s*(?:--|_|\u{2014})")
        .expect("valid regex")
});
static TRAILING_ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:[\w'.-]+\s+){0,5}(?:said|says|reported|added)\s*\.?$").expect("valid regex")
});
/// "after the parliament voted": the event another is timed from.
static FROM_EVENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s+(after|before)\b([^,.;:]*)").expect("valid regex"));
/// Words that make an amount a bound ("less than 24 hours"): its event is not on a known day.
const BOUNDS: &[&str] = &[
    "less",
    "more",
    "fewer",
    "nearly",
    "around",
    "approximately",
    "roughly",
    "at",
    "up",
    "no",
    "not",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "whose",
];
static QUANTIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*at\s+(?:least|most)\b").expect("valid regex"));
/// A main clause that opens like this is a fragment: the sentence is kept whole.
static FRAGMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:which|who|whom|whose|that|where|because|if|unless|whether|to)\b")
        .expect("valid regex")
});

/// Words that open a leading adverbial or subordinate clause, dropped from an event's text.
/// ("But" and "and" open the main clause itself: "But a deal reached between A and his rival,
/// B, has opened the door" keeps its subject.)
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

/// Where a time expression places its event.
#[derive(Debug, Clone)]
enum Time {
    /// From a day on: the day itself (`exact`) or the first day of a week, month or year.
    From {
        day: NaiveDate,
        hour: i64,
        exact: bool,
    },
    /// Hours from another event, named by the clause that follows.
    FromEvent {
        hours: i64,
        approximate: bool,
        clause: String,
    },
}

#[derive(Clone)]
struct Found {
    r: usize,
    s: usize,
    when: String,
    time: Time,
    /// How its date is known: a full date in the text is known whatever the report's dating.
    dating: Dating,
    what: String,
    /// The content stems of `what`, found when first asked for: only events on one day, or
    /// those another is timed from, are compared.
    stems: OnceCell<HashSet<String>>,
}

impl Found {
    fn stems(&self) -> &HashSet<String> {
        self.stems.get_or_init(|| content_stems(&self.what))
    }
}

/// Where an event sits in time: hours since the common era, and the day to print.
#[derive(Clone, Copy)]
struct Placed {
    hours: i64,
    date: Option<NaiveDate>,
}

/// How a report's dates are known.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
enum Dating {
    Published,
    /// From the other reports of the story.
    Inferred,
    /// Not at all: the story has no dated report.
    Imagined,
}

/// The events of a story's reports, oldest first.
/// `texts[r]` numbers report `r`'s text: copies of one text (as the pipeline finds them) share
/// a number.
pub fn timeline(reports: &[&Report], texts: &[usize]) -> Vec<Event> {
    events_of(reports, texts, None)
}

/// [`timeline`], with each report's events taken from `memo` when it has tagged the same text
/// against the same anchor before.
pub fn remembered(reports: &[&Report], texts: &[usize], memo: &TagMemo) -> Vec<Event> {
    events_of(reports, texts, Some(memo))
}

/// Each report's events, kept by its text and anchor between analyses of the stories it is in:
/// a service analyses a story whole again each time a report joins it, and tagging every
/// report's text ([`times::tag`]) was most of that work (bench/events, `--sets live`). Tagging is
/// a function of the text and the anchor alone, so what is kept is what would be found again.
#[derive(Default)]
pub struct TagMemo(Mutex<HashMap<MemoKey, Vec<Found>>>);

/// A report's text (its digest) and the anchor it was read against.
type MemoKey = ([u8; 32], NaiveDate, Dating);

/// Reports whose events a [`TagMemo`] keeps; past that it starts again (a few kilobytes a
/// report: some 100 MB at most).
const MEMO_REPORTS: usize = 20_000;

impl std::fmt::Debug for TagMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TagMemo")
    }
}

impl TagMemo {
    fn events(
        &self,
        r: usize,
        report: &Report,
        (anchor, dating): (NaiveDate, Dating),
    ) -> Vec<Found> {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for sentence in &report.sentences {
            hash.update(sentence.text.as_bytes());
            hash.update(b"\n");
        }
        let key = (hash.finalize().into(), anchor, dating);
        let kept = self.lock().get(&key).cloned();
        if let Some(found) = kept {
            return found.into_iter().map(|f| Found { r, ..f }).collect();
        }
        let found = report_events(r, report, (anchor, dating));
        let mut memo = self.lock();
        if memo.len() >= MEMO_REPORTS {
            memo.clear();
        }
        memo.insert(key, found.clone());
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<MemoKey, Vec<Found>>> {
        // A panic while holding it leaves a map of whole entries: still good.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn events_of(reports: &[&Report], texts: &[usize], memo: Option<&TagMemo>) -> Vec<Event> {
    let published: Vec<Option<NaiveDate>> = reports.iter().map(|r| publication(r)).collect();
    let latest = published.iter().flatten().max().copied();
    let anchors: Vec<(NaiveDate, Dating)> = match latest {
        Some(latest) => published
            .iter()
            .zip(reports)
            .map(|(p, report)| match p {
                Some(d) => (*d, Dating::Published),
                None => (
                    dateline_day(report, latest).unwrap_or(latest),
                    Dating::Inferred,
                ),
            })
            .collect(),
        None => {
            let weekdays = reports.iter().flat_map(|r| plain_weekdays(r));
            let imagined = imagined_publication(weekdays);
            vec![(imagined, Dating::Imagined); reports.len()]
        }
    };
    let copies = copies(texts, &anchors);
    let mut found: Vec<Found> = Vec::new();
    for (r, report) in reports.iter().enumerate() {
        if copies[r].is_some() {
            found.extend(match memo {
                Some(memo) => memo.events(r, report, anchors[r]),
                None => report_events(r, report, anchors[r]),
            });
        }
    }
    let mut placed: Vec<Option<Placed>> = found
        .iter()
        .map(|f| match f.time {
            Time::From { day, hour, exact } => Some(Placed {
                hours: i64::from(day.num_days_from_ce()) * 24 + hour,
                date: (exact && f.dating != Dating::Imagined).then_some(day),
            }),
            Time::FromEvent { .. } => None,
        })
        .collect();
    place_from_events(&mut found, &mut placed);
    let mut order: Vec<usize> = (0..found.len()).filter(|&i| placed[i].is_some()).collect();
    // Undated after dated: an imagined week is no place among real dates.
    order.sort_by_key(|&i| {
        let imagined = found[i].dating == Dating::Imagined;
        (imagined, placed[i].map(|p| p.hours), found[i].r, found[i].s)
    });
    merge(&found, &placed, &order, (reports, &copies))
}

/// For each report that is the first of its text read against its date, the later copies of
/// it (`None` for those copies). A syndicated text carried by hundreds of outlets tells its
/// events once, citing every copy: read per copy, the events of undated clauses would repeat
/// once a copy, and the merge and the placing of events timed from others would cost the
/// square of the copies.
fn copies(texts: &[usize], anchors: &[(NaiveDate, Dating)]) -> Vec<Option<Vec<usize>>> {
    let mut first: HashMap<(usize, (NaiveDate, Dating)), usize> = HashMap::new();
    let mut copies: Vec<Option<Vec<usize>>> = Vec::with_capacity(texts.len());
    for (r, (&text, &anchor)) in texts.iter().zip(anchors).enumerate() {
        match first.entry((text, anchor)) {
            Entry::Occupied(e) => {
                copies[*e.get()].get_or_insert_with(Vec::new).push(r);
                copies.push(None);
            }
            Entry::Vacant(e) => {
                e.insert(r);
                copies.push(Some(Vec::new()));
            }
        }
    }
    copies
}

/// The sentences of a report with a time expression that places them, resolved against
/// `anchor`. The report is tagged as one text, so that "the next day" follows the day before.
fn report_events(r: usize, report: &Report, (anchor, dating): (NaiveDate, Dating)) -> Vec<Found> {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(report.sentences.len());
    for sentence in &report.sentences {
        starts.push(text.len());
        text.push_str(&sentence.text);
        text.push('\n');
    }
    let mut events: Vec<Found> = Vec::new();
    for timex in times::tag(&text, Some(anchor)) {
        let s = starts.partition_point(|&start| start <= timex.start) - 1;
        if events.last().is_some_and(|e| e.s == s) {
            continue;
        }
        let sentence = &report.sentences[s].text;
        if is_only_dateline(sentence) {
            continue;
        }
        let (start, end) = (timex.start - starts[s], timex.end - starts[s]);
        if end > sentence.len() {
            // Runs on into the next sentence: not this sentence's time.
            continue;
        }
        let parts = (&sentence[..start], &sentence[start..end], &sentence[end..]);
        let Some((time, when_end)) = time_of(&timex, parts.0, parts.1, parts.2) else {
            continue;
        };
        let what = main_clause(sentence, start, end);
        events.push(Found {
            r,
            s,
            when: sentence[start..end + when_end].trim().to_string(),
            stems: OnceCell::new(),
            time,
            // A date the text gives in full is known whatever the report's dating.
            dating: if timex.anchored {
                dating
            } else {
                Dating::Published
            },
            what,
        });
    }
    events
}

/// Where a time expression (`written`) places its event, and how much of the text after it
/// belongs to `when` ("after" in "two days after the vote").
fn time_of(timex: &Timex, before: &str, written: &str, after: &str) -> Option<(Time, usize)> {
    if timex.kind == TimexType::Duration {
        let c = FROM_EVENT.captures(after)?;
        let clause = c[2].trim().to_string();
        let hours = duration_hours(&timex.value)?;
        if clause.split_whitespace().count() < 2 {
            return None;
        }
        let sign = if c[1].eq_ignore_ascii_case("before") {
            -1
        } else {
            1
        };
        let first = written.split_whitespace().next().unwrap_or_default();
        let time = Time::FromEvent {
            hours: sign * hours,
            approximate: BOUNDS.contains(&first.to_lowercase().as_str()),
            clause,
        };
        return Some((time, c.get(1).expect("direction").end()));
    }
    if !matches!(timex.kind, TimexType::Date | TimexType::Time) || names_a_thing(timex, before) {
        return None;
    }
    let (day, hour, exact) = first_day(&timex.value)?;
    Some((Time::From { day, hour, exact }, 0))
}

/// Whether a year is part of a name rather than the time of the sentence: "the 2015 nuclear
/// accord", "its 1998 report".
fn names_a_thing(timex: &Timex, before: &str) -> bool {
    let year = timex.value.len() == 4 && timex.value.chars().all(|c| c.is_ascii_digit());
    let last = before.split_whitespace().next_back().unwrap_or_default();
    year && DETERMINERS.contains(&last.to_lowercase().as_str())
}

/// The hours of a TimeML duration of days, weeks or hours (`P2D`, `PT24H`).
fn duration_hours(value: &str) -> Option<i64> {
    let (body, clock) = match value.strip_prefix("PT") {
        Some(body) => (body, true),
        None => (value.strip_prefix('P')?, false),
    };
    let (number, unit) = body.split_at(body.len().checked_sub(1)?);
    let n: i64 = number.parse().ok()?;
    let per = match (clock, unit) {
        (true, "H") => 1,
        (false, "D") => 24,
        (false, "W") => 24 * 7,
        _ => return None,
    };
    Some(n * per)
}

/// The first day a TimeML date value covers, the hour its part of day stands for, and whether
/// it names that day exactly.
fn first_day(value: &str) -> Option<(NaiveDate, i64, bool)> {
    let (date, time) = value.split_once('T').unwrap_or((value, ""));
    let hour = match time {
        "MO" => 9,
        "AF" => 15,
        "EV" => 19,
        "NI" => 22,
        "" => 12,
        clock => clock.get(..2).and_then(|h| h.parse().ok()).unwrap_or(12),
    };
    if let Ok(day) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        return Some((day, hour, true));
    }
    let (year, rest) = date.split_once('-').unwrap_or((date, ""));
    let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
    let day = if let Some(week) = rest.strip_prefix('W') {
        let (week, weekend) = week.split_once('-').unwrap_or((week, ""));
        let monday = NaiveDate::from_isoywd_opt(year, week.parse().ok()?, Weekday::Mon)?;
        monday + Days::new(if weekend == "WE" { 5 } else { 0 })
    } else if let Some(q) = rest.strip_prefix('Q') {
        NaiveDate::from_ymd_opt(year, q.parse::<u32>().ok()? * 3 - 2, 1)?
    } else if let Some(h) = rest.strip_prefix('H') {
        NaiveDate::from_ymd_opt(year, h.parse::<u32>().ok()? * 6 - 5, 1)?
    } else {
        let month = match rest {
            "" => 1,
            "SP" => 3,
            "SU" => 6,
            "FA" => 9,
            "WI" => 12,
            m => m.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(year, month, 1)?
    };
    Some((day, 12, false))
}

/// Events timed from another ("two days after the vote") take the time of the event of the
/// story that shares the most content words with the clause that names it.
fn place_from_events(found: &mut [Found], placed: &mut [Option<Placed>]) {
    for i in 0..found.len() {
        let Time::FromEvent {
            hours,
            approximate,
            clause,
        } = &found[i].time
        else {
            continue;
        };
        let (hours, approximate) = (*hours, *approximate);
        let stems = content_stems(clause);
        let anchor = (0..found.len())
            .filter(|&j| placed[j].is_some() && !matches!(found[j].time, Time::FromEvent { .. }))
            .map(|j| (found[j].stems().intersection(&stems).count(), j))
            .filter(|(shared, _)| *shared >= 2)
            .max_by_key(|(shared, j)| (*shared, std::cmp::Reverse(placed[*j].map(|p| p.hours))));
        let Some(j) = anchor.map(|(_, j)| j) else {
            continue;
        };
        placed[i] = placed[j].map(|a| Placed {
            hours: a.hours + hours,
            date: a
                .date
                .filter(|_| !approximate && hours % 24 == 0)
                .and_then(|d| d.checked_add_signed(chrono::Duration::hours(hours))),
        });
        // Known as well as the event it is timed from.
        found[i].dating = found[j].dating;
    }
}

/// One event per distinct happening: an event joins an earlier one of the same known day whose
/// content words it mostly shares.
fn merge(
    found: &[Found],
    placed: &[Option<Placed>],
    order: &[usize],
    (reports, copies): (&[&Report], &[Option<Vec<usize>>]),
) -> Vec<Event> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let day = placed[i].and_then(|p| p.date);
        let same = groups.iter_mut().find(|g| {
            let j = g[0];
            day.is_some()
                && placed[j].and_then(|p| p.date) == day
                && found[j].r != found[i].r
                && overlap(found[j].stems(), found[i].stems()) >= 0.6
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
            let dated = g
                .iter()
                .find(|&&i| placed[i].and_then(|p| p.date).is_some());
            Event {
                when: first.when.clone(),
                date: dated
                    .and_then(|&i| placed[i].and_then(|p| p.date))
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                inferred: dated.is_some_and(|&i| found[i].dating == Dating::Inferred),
                what: first.what.clone(),
                cites: g
                    .iter()
                    .flat_map(|&i| {
                        let (r, s) = (found[i].r, found[i].s);
                        let later = copies[r].as_deref().unwrap_or_default();
                        std::iter::once(r)
                            .chain(later.iter().copied())
                            .map(move |c| reports[c].sentences[s].id.clone())
                    })
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

/// The publication day of a report, as written (the publisher's own day).
fn publication(report: &Report) -> Option<NaiveDate> {
    times::published_day(report.published.as_deref()?)
}

/// The day an undated report was filed, from its wire dateline ("WASHINGTON, August 11 (Xinhua)
/// --"), its year the one nearest the story's latest date: a better anchor for its weekdays than
/// the story's latest date, which may be a week later.
fn dateline_day(report: &Report, latest: NaiveDate) -> Option<NaiveDate> {
    let first = &report.sentences.first()?.text;
    let day = WIRE_DATELINE.captures(first)?.name("day")?.as_str();
    let timex = times::tag(day, Some(latest)).into_iter().next()?;
    NaiveDate::parse_from_str(&timex.value, "%Y-%m-%d").ok()
}

/// A sentence that is a dateline and nothing more tells no event.
fn is_only_dateline(sentence: &str) -> bool {
    WIRE_DATELINE
        .find(sentence)
        .is_some_and(|m| sentence[m.end()..].trim().is_empty())
}

/// The weekdays a report names without "next" or "last", for placing an undated story's week.
fn plain_weekdays(report: &Report) -> Vec<Weekday> {
    report
        .sentences
        .iter()
        .filter(|s| times::may_name_a_weekday(&s.text))
        .flat_map(|s| times::tag(&s.text, None))
        .filter(|t| t.kind == TimexType::Date)
        .filter_map(|t| {
            let n = t.value.strip_prefix("XXXX-WXX-")?.parse::<u8>().ok()?;
            Weekday::try_from(n.checked_sub(1)?).ok()
        })
        .collect()
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
        // A head that is little more than the time ("Last week, ...", "Earlier on Monday,
        // ..."); not a main clause that happens to hold it ("X won in July's elections, ...").
        let holds_time = offset + comma > when_start && offset <= when_start;
        let time_words = sentence[when_start..when_end].split_whitespace().count();
        let only_time = holds_time
            && when_end <= offset + comma
            && head.split_whitespace().count() <= time_words + 2;
        // "At least 82 were killed, ..." opens with an amount, not a place or time.
        let amount = QUANTIFIER.is_match(head);
        let adverbial = LEADERS.contains(&first.as_str()) && !amount
            || first.len() > 4 && first.ends_with("ing")
            || only_time;
        // What follows must stand as a clause: not "which it calls illegal".
        if !adverbial || tail.split_whitespace().count() < 4 || FRAGMENT.is_match(tail) {
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
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        match c {
            '"' | '“' | '”' => quoted = !quoted,
            // "1,000" is one number.
            ',' if at > 0
                && bytes[at - 1].is_ascii_digit()
                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {}
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
        timeline(&refs, &distinct(reports.len()))
            .into_iter()
            .map(|e| (e.when, e.date, e.cites[0].clone()))
            .collect()
    }

    /// Text numbers for reports that are no copies of one another.
    fn distinct(n: usize) -> Vec<usize> {
        (0..n).collect()
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
    fn an_undated_report_is_resolved_against_the_story_dated_ones_and_marked() {
        // Friday 10 January 2020: "Thursday" is the 9th; the undated report's "Monday" is
        // read against the same day, the 6th, and marked as inferred.
        let a = dated(
            "a",
            Some("2020-01-10"),
            &["Ministers resigned on Thursday in protest."],
        );
        let b = dated(
            "b",
            None,
            &[
                "The strike began on Monday at dawn.",
                "The union was founded on March 3, 1999, in Lodz.",
            ],
        );
        let refs = [&a, &b];
        let found = timeline(&refs, &distinct(refs.len()));
        let summary: Vec<(&str, Option<&str>, bool)> = found
            .iter()
            .map(|e| (e.when.as_str(), e.date.as_deref(), e.inferred))
            .collect();
        assert_eq!(
            summary,
            [
                ("March 3, 1999", Some("1999-03-03"), false),
                ("Monday", Some("2020-01-06"), true),
                ("Thursday", Some("2020-01-09"), false),
            ]
        );
    }

    #[test]
    fn an_undated_wire_report_is_dated_by_its_dateline() {
        // Tuesday 18 August 1998 is the story's latest date; the undated Xinhua report was
        // filed on Saturday the 8th, as its dateline says, so its "Friday" is the 7th, not the
        // 14th. The dateline itself is no event.
        let a = dated(
            "a",
            Some("1998-08-18"),
            &["Albright paid tribute Tuesday to the bombing victims in Nairobi."],
        );
        let b = dated(
            "b",
            None,
            &[
                "WASHINGTON, August 8 (Xinhua) --",
                "The Friday explosions at U.S. embassies in Nairobi and Dar es Salaam killed \
                 at least 110 people.",
                "President Bill Clinton Saturday vowed to hunt down those responsible.",
            ],
        );
        let refs = [&a, &b];
        let summary: Vec<(String, Option<String>, bool)> = timeline(&refs, &distinct(refs.len()))
            .into_iter()
            .map(|e| (e.when, e.date, e.inferred))
            .collect();
        let row = |when: &str, date: &str, inferred| (when.into(), Some(date.into()), inferred);
        assert_eq!(
            summary,
            [
                row("Friday", "1998-08-07", true),
                row("Saturday", "1998-08-08", true),
                row("Tuesday", "1998-08-18", false),
            ]
        );
    }

    #[test]
    fn undated_events_come_after_dated_ones_and_never_merge() {
        // Neither report is dated: their "Monday"s may be different weeks, so the same words
        // stay two events; the full date in the text is known and comes first.
        let a = dated(
            "a",
            None,
            &["Parliament voted on Monday to expel US troops from the country."],
        );
        let b = dated(
            "b",
            None,
            &[
                "Parliament voted on Monday to expel all US troops from the country.",
                "The base was built on 4 May 2004 near Baghdad.",
            ],
        );
        let found = events(&[a, b]);
        assert_eq!(
            found,
            [
                event("4 May 2004", Some("2004-05-04"), "b:2"),
                event("Monday", None, "a:1"),
                event("Monday", None, "b:1"),
            ]
        );
    }

    #[test]
    fn a_clause_that_holds_a_time_is_kept_whole() {
        let sentence = "The party won 64 of the 122 seats in July's elections, short of the \
            two-thirds majority needed to govern alone.";
        let start = sentence.find("July").unwrap();
        assert_eq!(main_clause(sentence, start, start + 4), sentence);
        let sentence = "But a deal reached between Hun Sen and his rival, Prince Ranariddh, last \
            week has opened the door for their return.";
        let start = sentence.find("last").unwrap();
        assert_eq!(
            main_clause(sentence, start, start + 9),
            "A deal reached between Hun Sen and his rival, Prince Ranariddh, last week has \
            opened the door for their return."
        );
        let sentence = "At least 82 were killed and 1,700 injured, officials said as dawn broke \
            Saturday.";
        let start = sentence.find("Saturday").unwrap();
        assert_eq!(main_clause(sentence, start, start + 8), sentence);
        let sentence = "Last year, of 1,000 children examined, 10 percent had lost a parent.";
        assert_eq!(
            main_clause(sentence, 0, 9),
            "Of 1,000 children examined, 10 percent had lost a parent."
        );
    }

    #[test]
    fn the_event_is_never_a_fragment() {
        let sentence = "On Monday, which it calls illegal, the embassy shut its doors to visitors.";
        assert_eq!(
            main_clause(sentence, 3, 9),
            "On Monday, which it calls illegal, the embassy shut its doors to visitors."
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
        let found = timeline(&refs, &distinct(refs.len()));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].cites, ["a:1", "b:1"]);
        assert_eq!(found[0].date.as_deref(), Some("2020-01-05"));
    }

    #[test]
    fn copies_of_one_text_tell_its_events_once_and_each_is_cited() {
        let text = ["Rescuers reached the village on Tuesday."];
        let cites = |reports: &[Report]| -> Vec<Vec<String>> {
            let refs: Vec<&Report> = reports.iter().collect();
            // All four are copies of one text.
            timeline(&refs, &vec![0; refs.len()])
                .into_iter()
                .map(|e| e.cites)
                .collect()
        };
        // An agency text carried by three outlets on one day, and by a fourth a week later,
        // whose "Tuesday" is another day.
        let mut reports: Vec<Report> = ["a", "b", "c"]
            .iter()
            .map(|id| dated(id, Some("2021-03-04"), &text))
            .collect();
        reports.push(dated("d", Some("2021-03-11"), &text));
        assert_eq!(cites(&reports), [vec!["a:1", "b:1", "c:1"], vec!["d:1"]]);
        // Undated, events never merge: read once a copy, the text's would repeat.
        let undated: Vec<Report> = ["a", "b", "c"]
            .iter()
            .map(|id| dated(id, None, &text))
            .collect();
        assert_eq!(cites(&undated), [vec!["a:1", "b:1", "c:1"]]);
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
