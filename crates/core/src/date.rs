//! Calendar dates (proleptic Gregorian), written `YYYY-MM-DD`.
//!
//! Scenarios and logs need only three things of a date: parse it strictly,
//! print it, and add a number of days. A day count since 1970-01-01 does all
//! three, so this is a small value type rather than a dependency on a calendar
//! crate.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day. Ordered, copyable, and printed as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    day: i64,
}

/// Why a string is not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not written YYYY-MM-DD.
    #[error("expected a date written YYYY-MM-DD (e.g. 2015-12-15), found {0:?}")]
    Form(String),
    /// Written as a date, but no such day exists (2020-02-30).
    #[error("{0} is not a calendar date")]
    NoSuchDay(String),
    /// A year outside 1–9999.
    #[error("{0}: expected a year from 0001 to 9999")]
    Year(String),
}

impl Date {
    /// The date of a year, month (1–12) and day (1–31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date {
            day: days_from_civil(i64::from(year), i64::from(month), i64::from(day)),
        })
    }

    /// This date plus `days` (which may be negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date {
            day: self.day.saturating_add(days),
        }
    }

    /// Whole days from `earlier` to `self` (negative if `self` is earlier).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.day - earlier.day
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError::Form(s.to_owned());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(err());
        };
        let year = i32::try_from(y).map_err(|_| err())?;
        if year == 0 {
            return Err(DateError::Year(s.to_owned()));
        }
        Date::from_ymd(year, m, d).ok_or_else(|| DateError::NoSuchDay(s.to_owned()))
    }
}

impl schemars::JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar day, written YYYY-MM-DD.",
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`, which map the
// proleptic Gregorian calendar onto a day count without tables or loops.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parses_prints_and_adds() {
        assert_eq!(date("2015-12-15").to_string(), "2015-12-15");
        assert_eq!(date("2015-12-07").plus_days(7).to_string(), "2015-12-14");
        assert_eq!(date("2015-12-28").plus_days(7).to_string(), "2016-01-04");
        assert_eq!(date("2016-02-28").plus_days(1).to_string(), "2016-02-29");
        assert_eq!(date("2016-03-01").days_since(date("2016-02-28")), 2);
        assert_eq!(date("1970-01-01").day, 0);
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "2015-13-01",
            "2015-02-29",
            "2015-1-01",
            "15-12-2015",
            "2015-12-1x",
            "",
            "+015-12-15",
            "2015-12-15 ",
            "0000-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad:?} parsed");
        }
        assert!("2016-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn round_trips_every_day_for_centuries() {
        let start = date("1900-01-01");
        for n in 0..(365 * 300) {
            let d = start.plus_days(n);
            assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
        }
    }
}
