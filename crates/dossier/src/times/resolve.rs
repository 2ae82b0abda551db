//! From what an expression means to its TimeML value, against the document's date and what the
//! document mentioned last (a quarter, a day).

use super::lexicon::Unit;
use super::TimexType;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Which way an expression without its own year or week looks from the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// As the sentence's tense says.
    Plain,
    /// "last": strictly before the anchor's.
    Last,
    /// "next": strictly after.
    Next,
    /// "this": the anchor's own (week, year).
    This,
}

/// The tense of the sentence an expression stands in, for dates given without a year or week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

#[derive(Debug, Clone)]
pub enum Meaning {
    /// A value that needs no anchor: a duration, a set, a full date, a year, PRESENT_REF.
    Fixed(TimexType, String),
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    Month {
        year: Option<i32>,
        month: u32,
        shift: Shift,
    },
    Weekday {
        day: Weekday,
        shift: Shift,
    },
    /// `n` units from the anchor, at the unit's grain: "yesterday", "last year", "two weeks ago".
    Offset {
        unit: Unit,
        n: i64,
    },
    Quarter {
        q: u32,
        year: Option<i32>,
    },
    /// A quarter of the year `years` from the anchor's: "next year's first quarter".
    QuarterOf {
        q: u32,
        years: i64,
    },
    /// "the 1988 period": the quarter last mentioned, in the given year (the year without one).
    SameQuarterIn(i32),
    /// "the quarter", "the latest quarter": the quarter last mentioned, `back` quarters before.
    TheQuarter {
        back: i64,
    },
    /// "a year earlier", "the year-ago period": a year before the time last mentioned.
    YearBefore,
    Season {
        season: usize,
        year: Option<i32>,
        shift: Shift,
    },
    /// A day fixed by a rule for each year (a holiday).
    Yearly(fn(i32) -> Option<NaiveDate>),
    /// "the next day", "that day": days after the day last mentioned.
    FromLastDay(i64),
    /// A time of day (`T10:35`, `TNI`) on the day the inner expression names (the anchor's day
    /// when none).
    At(Option<Box<Meaning>>, String),
}

/// Season codes, in calendar order from spring.
const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

/// Resolves a document's expressions in text order.
pub struct Discourse {
    anchor: Option<NaiveDate>,
    quarter: Option<i64>,
    /// The year whose first months ("the nine months") were named after the last quarter:
    /// "a year earlier" is then the year before, not a quarter (on TempEval-3 folds 1-4, 7 of
    /// 9 such).
    year_to_date: Option<i64>,
    day: Option<NaiveDate>,
}

impl Discourse {
    pub fn new(anchor: Option<NaiveDate>) -> Discourse {
        Discourse {
            anchor,
            quarter: None,
            year_to_date: None,
            day: anchor,
        }
    }

    /// `lead` is what the word just before says ("ended March 31" behind, "by March 31" ahead),
    /// heeded by days and months without a year, which otherwise take the nearest.
    pub fn value(
        &mut self,
        meaning: &Meaning,
        tense: Tense,
        lead: Option<Tense>,
    ) -> Option<(TimexType, String)> {
        let value = match meaning {
            Meaning::Fixed(kind, value) => {
                self.remember(value);
                return Some((*kind, value.clone()));
            }
            Meaning::At(day, suffix) => {
                let on = match day {
                    Some(m) => self.value(m, tense, lead)?.1,
                    // A bare clock time is on the day last mentioned.
                    None => self.date_value(self.day),
                };
                let time = if on.len() == 10 {
                    format!("{on}{suffix}")
                } else {
                    on
                };
                return Some((TimexType::Time, time));
            }
            _ => self.date(meaning, tense, lead)?,
        };
        // What refers back stays with the time it refers to.
        if !matches!(
            meaning,
            Meaning::TheQuarter { .. }
                | Meaning::YearBefore
                | Meaning::SameQuarterIn(_)
                | Meaning::FromLastDay(_)
        ) {
            self.remember(&value);
        }
        Some((TimexType::Date, value))
    }

    fn date(&self, meaning: &Meaning, tense: Tense, lead: Option<Tense>) -> Option<String> {
        let Some(anchor) = self.anchor else {
            return Some(unanchored(meaning));
        };
        let value = match *meaning {
            Meaning::Date { year, month, day } => match year {
                Some(y) => ymd(NaiveDate::from_ymd_opt(y, month, day)?),
                None => {
                    let options: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
                        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                        .collect();
                    let near = options
                        .iter()
                        .map(|d| (*d - anchor).num_days().abs())
                        .min()?;
                    let way = direction(near as f64 / 30.44, lead, tense);
                    ymd(pick(options.into_iter(), anchor, way)?)
                }
            },
            Meaning::Month { year, month, shift } => {
                let back = (12 + anchor.month() - month) % 12;
                let near = back.min(12 - back);
                let way = direction(f64::from(near), lead, tense);
                let year = year.unwrap_or_else(|| match (shift, way) {
                    (Shift::Plain, Tense::Past) => month_year(anchor, month, Shift::Last)
                        .max(anchor.year() - i32::from(month > anchor.month())),
                    (Shift::Plain, Tense::Future) => month_year(anchor, month, Shift::Next)
                        .min(anchor.year() + i32::from(month < anchor.month())),
                    _ => month_year(anchor, month, shift),
                });
                format!("{year:04}-{month:02}")
            }
            Meaning::Weekday { day, shift } => ymd(weekday(anchor, day, shift, tense)),
            // "the weekend" in a report from Monday to Friday is the one just past, unless
            // the sentence looks ahead.
            Meaning::Offset {
                unit: Unit::Weekend,
                n: 0,
            } if anchor.weekday().num_days_from_monday() < 5 && tense != Tense::Future => {
                offset(anchor, Unit::Weekend, -1)?
            }
            Meaning::Offset { unit, n } => offset(anchor, unit, n)?,
            Meaning::Quarter { q, year } => {
                let year = year.unwrap_or_else(|| {
                    let ahead = q > (anchor.month0() / 3) + 1;
                    anchor.year() - i32::from(ahead && tense == Tense::Past)
                });
                format!("{year:04}-Q{q}")
            }
            Meaning::QuarterOf { q, years } => {
                format!("{:04}-Q{q}", i64::from(anchor.year()) + years)
            }
            Meaning::TheQuarter { back } => {
                // None mentioned yet: the last quarter that has ended.
                let last = self.quarter.unwrap_or(quarter_index(anchor) - 1);
                quarter_value(last - back)?
            }
            Meaning::SameQuarterIn(year) => match (self.year_to_date, self.quarter) {
                (None, Some(q)) => format!("{year:04}-Q{}", q % 4 + 1),
                _ => format!("{year:04}"),
            },
            Meaning::YearBefore => match (self.year_to_date, self.quarter) {
                (Some(y), _) => format!("{:04}", y - 1),
                (None, Some(q)) => quarter_value(q - 4)?,
                (None, None) => format!("{:04}", anchor.year() - 1),
            },
            Meaning::Season {
                season,
                year,
                shift,
            } => {
                let year = year.unwrap_or_else(|| season_year(anchor, season, shift, tense));
                format!("{year:04}-{}", SEASONS[season])
            }
            Meaning::Yearly(day_in) => {
                let options = (anchor.year() - 1..=anchor.year() + 1).filter_map(day_in);
                ymd(pick(options, anchor, tense)?)
            }
            Meaning::FromLastDay(n) => {
                ymd(self.day?.checked_add_signed(chrono::Duration::days(n))?)
            }
            Meaning::Fixed(..) | Meaning::At(..) => return None,
        };
        Some(value)
    }

    /// Notes the quarter or day a value names, for the expressions that refer back to it.
    fn remember(&mut self, value: &str) {
        // "the first nine months", "the six months": what is reported up to now in the year.
        if value == "P6M" || value == "P9M" {
            self.year_to_date = self
                .quarter
                .map(|q| q / 4)
                .or(self.anchor.map(|a| i64::from(a.year())));
        }
        if let Some((y, q)) = value.split_once("-Q") {
            if let (Ok(y), Ok(q)) = (y.parse::<i64>(), q.parse::<i64>()) {
                self.year_to_date = None;
                // Later text refers back to a quarter reported on, not one forecast.
                let ended = self.anchor.is_none_or(|a| y * 4 + q - 1 < quarter_index(a));
                if ended {
                    self.quarter = Some(y * 4 + q - 1);
                }
            }
        } else if let Ok(day) = NaiveDate::parse_from_str(value.get(..10).unwrap_or(""), "%Y-%m-%d")
        {
            self.day = Some(day);
        }
    }

    fn date_value(&self, day: Option<NaiveDate>) -> String {
        day.map_or_else(|| "XXXX-XX-XX".into(), ymd)
    }
}

/// How far, in months, the nearest candidate of a day or month named without a year must lie
/// before the sentence's tense may choose another: a month about as near on either side
/// ("in April" in October) goes the way the tense points, a near one is the nearest whatever
/// the tense. On TempEval-3 folds 1-4 (bench/times): from 4 months, 2 fixed and none broken;
/// from 2, 3 fixed and 2 broken; from 0 (the tense always), 3 fixed and 18 broken.
const TENSE_FROM_MONTHS: f64 = 4.0;

/// The side of the anchor a day or month without a year lies on, its nearest candidate
/// `near_months` away: the word before decides, else the tense where the nearest is far.
fn direction(near_months: f64, lead: Option<Tense>, tense: Tense) -> Tense {
    match lead {
        Some(side) => side,
        None if near_months >= TENSE_FROM_MONTHS => tense,
        None => Tense::Unknown,
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The value of an expression that needs an anchor, in a document that has none.
fn unanchored(meaning: &Meaning) -> String {
    match meaning {
        Meaning::Date {
            year: Some(y),
            month,
            day,
        } => format!("{y:04}-{month:02}-{day:02}"),
        Meaning::Date { month, day, .. } => format!("XXXX-{month:02}-{day:02}"),
        Meaning::Month {
            year: Some(y),
            month,
            ..
        } => format!("{y:04}-{month:02}"),
        Meaning::Month { month, .. } => format!("XXXX-{month:02}"),
        Meaning::Weekday { day, .. } => format!("XXXX-WXX-{}", day.number_from_monday()),
        Meaning::Quarter { q, year } => match year {
            Some(y) => format!("{y:04}-Q{q}"),
            None => format!("XXXX-Q{q}"),
        },
        Meaning::Offset {
            unit: Unit::Year, ..
        } => "XXXX".into(),
        Meaning::Offset {
            unit: Unit::Month, ..
        } => "XXXX-XX".into(),
        Meaning::Offset {
            unit: Unit::Week | Unit::Weekend,
            ..
        } => "XXXX-WXX".into(),
        _ => "XXXX-XX-XX".into(),
    }
}

/// Of the candidate days, the one the tense points to: the latest on or before the anchor in
/// the past, the earliest on or after it in the future, else the nearest.
fn pick(
    options: impl Iterator<Item = NaiveDate>,
    anchor: NaiveDate,
    tense: Tense,
) -> Option<NaiveDate> {
    let options: Vec<NaiveDate> = options.collect();
    let nearest = || {
        options
            .iter()
            .min_by_key(|d| (**d - anchor).num_days().abs())
            .copied()
    };
    match tense {
        Tense::Past => options.iter().filter(|d| **d <= anchor).max().copied(),
        Tense::Future => options.iter().filter(|d| **d >= anchor).min().copied(),
        Tense::Unknown => None,
    }
    .or_else(nearest)
}

/// The year of a month named without one: "last" and "next" look strictly back and ahead; a
/// bare month is the nearest one, the earlier when two are as near (news looks back). The
/// tense of the sentence was tried here and chose worse on TempEval-3 (bench/times).
fn month_year(anchor: NaiveDate, month: u32, shift: Shift) -> i32 {
    let (y, m) = (anchor.year(), anchor.month());
    match shift {
        Shift::Last => y - i32::from(month >= m),
        Shift::Next => y + i32::from(month <= m),
        Shift::This => y,
        Shift::Plain if month + 6 < m => y + 1,
        Shift::Plain if m + 6 <= month => y - 1,
        Shift::Plain => y,
    }
}

fn weekday(anchor: NaiveDate, day: Weekday, shift: Shift, tense: Tense) -> NaiveDate {
    let back = (7 + anchor.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
    let ahead = (7 - back) % 7;
    let (back, ahead) = (u64::from(back), u64::from(ahead));
    match shift {
        Shift::Last => anchor - Days::new(if back == 0 { 7 } else { back }),
        Shift::Next => anchor + Days::new(if ahead == 0 { 7 } else { ahead }),
        Shift::This => {
            let monday = anchor - Days::new(u64::from(anchor.weekday().num_days_from_monday()));
            monday + Days::new(u64::from(day.num_days_from_monday()))
        }
        Shift::Plain if tense == Tense::Future => anchor + Days::new(ahead),
        // News tells what happened: a bare weekday is the latest such day.
        Shift::Plain => anchor - Days::new(back),
    }
}

fn offset(anchor: NaiveDate, unit: Unit, n: i64) -> Option<String> {
    let months = |k: i64| -> Option<NaiveDate> {
        let first = anchor.with_day(1)?;
        if k >= 0 {
            first.checked_add_months(Months::new(k as u32))
        } else {
            first.checked_sub_months(Months::new((-k) as u32))
        }
    };
    let value = match unit {
        Unit::Second | Unit::Minute | Unit::Hour => ymd(anchor),
        Unit::Day => ymd(anchor.checked_add_signed(chrono::Duration::days(n))?),
        Unit::Week | Unit::Weekend => {
            let d = anchor.checked_add_signed(chrono::Duration::weeks(n))?;
            let w = d.iso_week();
            let we = if unit == Unit::Weekend { "-WE" } else { "" };
            format!("{:04}-W{:02}{we}", w.year(), w.week())
        }
        Unit::Month => months(n)?.format("%Y-%m").to_string(),
        Unit::Quarter => quarter_value(quarter_index(anchor) + n)?,
        Unit::Year => format!("{:04}", i64::from(anchor.year()) + n),
        // TimeML writes a decade as its first three digits: "the last decade" is `198`.
        Unit::Decade => format!("{:03}", (i64::from(anchor.year()) + 10 * n) / 10),
        Unit::Century => format!("{:02}", (i64::from(anchor.year()) + 100 * n) / 100),
        Unit::Millennium => format!("{}", (i64::from(anchor.year()) + 1000 * n) / 1000),
    };
    Some(value)
}

/// Quarters counted from year 0, so that "a year before" is four back.
fn quarter_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 4 + i64::from(d.month0() / 3)
}

fn quarter_value(index: i64) -> Option<String> {
    (index >= 0).then(|| format!("{:04}-Q{}", index / 4, index % 4 + 1))
}

fn season_year(anchor: NaiveDate, season: usize, shift: Shift, tense: Tense) -> i32 {
    // Spring is 0: March to May; winter (3) is December to February, named by its December.
    let now = ((anchor.month() + 9) % 12 / 3) as usize;
    let y = anchor.year() - i32::from(anchor.month() <= 2);
    match shift {
        Shift::Last => y - i32::from(season >= now),
        Shift::Next => y + i32::from(season <= now),
        Shift::This => y,
        Shift::Plain => match tense {
            Tense::Past => y - i32::from(season > now),
            Tense::Future => y + i32::from(season < now),
            Tense::Unknown => y,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(anchor: &str, meaning: Meaning, tense: Tense) -> String {
        let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").unwrap();
        Discourse::new(Some(anchor))
            .value(&meaning, tense, None)
            .unwrap()
            .1
    }

    #[test]
    fn weekdays_follow_the_tense() {
        // Friday 27 October 1989.
        let tuesday = |shift| Meaning::Weekday {
            day: Weekday::Tue,
            shift,
        };
        assert_eq!(
            at("1989-10-27", tuesday(Shift::Plain), Tense::Past),
            "1989-10-24"
        );
        assert_eq!(
            at("1989-10-27", tuesday(Shift::Plain), Tense::Future),
            "1989-10-31"
        );
        assert_eq!(
            at("1989-10-27", tuesday(Shift::Last), Tense::Unknown),
            "1989-10-24"
        );
        assert_eq!(
            at("1989-10-27", tuesday(Shift::Next), Tense::Past),
            "1989-10-31"
        );
    }

    #[test]
    fn months_and_days_without_a_year_take_the_nearest() {
        let april = Meaning::Month {
            year: None,
            month: 4,
            shift: Shift::Plain,
        };
        assert_eq!(at("1998-12-05", april.clone(), Tense::Unknown), "1999-04");
        assert_eq!(at("1998-06-05", april.clone(), Tense::Future), "1998-04");
        // As near on either side: the tense chooses.
        assert_eq!(at("1989-10-26", april.clone(), Tense::Future), "1990-04");
        assert_eq!(at("1989-10-26", april.clone(), Tense::Unknown), "1989-04");
        let march = Meaning::Month {
            year: None,
            month: 3,
            shift: Shift::Plain,
        };
        assert_eq!(at("1989-11-02", march.clone(), Tense::Past), "1989-03");
        assert_eq!(at("1989-11-02", march, Tense::Unknown), "1990-03");
        let nov25 = Meaning::Date {
            year: None,
            month: 11,
            day: 25,
        };
        assert_eq!(at("2000-01-15", nov25, Tense::Unknown), "1999-11-25");
    }

    #[test]
    fn offsets_keep_their_grain() {
        let off = |unit, n| Meaning::Offset { unit, n };
        assert_eq!(
            at("1998-02-23", off(Unit::Week, -1), Tense::Past),
            "1998-W08"
        );
        assert_eq!(
            at("1998-02-23", off(Unit::Month, -1), Tense::Past),
            "1998-01"
        );
        assert_eq!(
            at("1998-02-23", off(Unit::Day, -1), Tense::Past),
            "1998-02-22"
        );
        assert_eq!(at("1998-02-23", off(Unit::Year, 1), Tense::Past), "1999");
        assert_eq!(
            at("1998-02-23", off(Unit::Quarter, -1), Tense::Past),
            "1997-Q4"
        );
    }

    #[test]
    fn a_year_earlier_is_the_quarter_last_mentioned_a_year_back() {
        let anchor = NaiveDate::from_ymd_opt(1989, 10, 26);
        let mut d = Discourse::new(anchor);
        let third = Meaning::Quarter { q: 3, year: None };
        assert_eq!(d.value(&third, Tense::Past, None).unwrap().1, "1989-Q3");
        assert_eq!(
            d.value(&Meaning::YearBefore, Tense::Past, None).unwrap().1,
            "1988-Q3"
        );
        // After "the first nine months", the year before is a year, not a quarter.
        let nine_months = Meaning::Fixed(TimexType::Duration, "P9M".into());
        d.value(&nine_months, Tense::Past, None);
        assert_eq!(
            d.value(&Meaning::YearBefore, Tense::Past, None).unwrap().1,
            "1988"
        );
        assert_eq!(
            d.value(&Meaning::SameQuarterIn(1988), Tense::Past, None)
                .unwrap()
                .1,
            "1988"
        );
        // A quarter named again is what later text compares with.
        d.value(&third, Tense::Past, None);
        assert_eq!(
            d.value(&Meaning::YearBefore, Tense::Past, None).unwrap().1,
            "1988-Q3"
        );
        let mut fresh = Discourse::new(anchor);
        assert_eq!(
            fresh
                .value(&Meaning::YearBefore, Tense::Past, None)
                .unwrap()
                .1,
            "1988"
        );
    }
}
