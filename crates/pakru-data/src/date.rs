//! Historical dates with an explicit precision.
//!
//! The sources give dates as "1965", "January 1966", "16-Dec-83" or "the 1950s". A date keeps
//! exactly the precision it was given with, so the app never shows "1 Jan 1965" for "1965".
//! In JSON a date is one string: `"1950s"`, `"1965"`, `"1966-01"` or `"1948-05-01"`.

use std::cmp::Ordering;
use std::fmt;

/// How much of a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Decade,
    Year,
    Month,
    Day,
}

/// A calendar date known to some precision. Months and days are 1-based; unknown parts are 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub precision: Precision,
}

/// The months' English names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date string was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    Malformed,
    Impossible,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Malformed => f.write_str("malformed date"),
            DateError::Impossible => f.write_str("impossible date"),
        }
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

impl Date {
    pub fn year(year: i32) -> Date {
        Date { year, month: 0, day: 0, precision: Precision::Year }
    }

    pub fn ymd(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day, precision: Precision::Day }
    }

    /// Parses `"1950s"`, `"1965"`, `"1966-01"` or `"1948-05-01"`.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        if let Some(decade) = s.strip_suffix('s') {
            let y = digits(decade, 4).ok_or(DateError::Malformed)? as i32;
            if y % 10 != 0 {
                return Err(DateError::Impossible);
            }
            return Ok(Date { year: y, month: 0, day: 0, precision: Precision::Decade });
        }
        let parts: Vec<&str> = s.split('-').collect();
        let year = digits(parts[0], 4).ok_or(DateError::Malformed)? as i32;
        let month = match parts.get(1) {
            None => 0,
            Some(m) => digits(m, 2).ok_or(DateError::Malformed)? as u8,
        };
        let day = match parts.get(2) {
            None => 0,
            Some(d) => digits(d, 2).ok_or(DateError::Malformed)? as u8,
        };
        if parts.len() > 3 {
            return Err(DateError::Malformed);
        }
        if parts.len() >= 2 && !(1..=12).contains(&month) {
            return Err(DateError::Impossible);
        }
        if parts.len() == 3 && (day == 0 || day > days_in_month(year, month)) {
            return Err(DateError::Impossible);
        }
        let precision = match parts.len() {
            1 => Precision::Year,
            2 => Precision::Month,
            _ => Precision::Day,
        };
        Ok(Date { year, month, day, precision })
    }

    /// The first instant the date can mean, in fractional years (1965.0 for "1965").
    pub fn start_year(&self) -> f64 {
        let y = self.year as f64;
        match self.precision {
            Precision::Decade | Precision::Year => y,
            Precision::Month => y + (self.month as f64 - 1.0) / 12.0,
            Precision::Day => {
                let before: u32 = (1..self.month).map(|m| days_in_month(self.year, m) as u32).sum();
                let len = if is_leap(self.year) { 366.0 } else { 365.0 };
                y + (before as f64 + self.day as f64 - 1.0) / len
            }
        }
    }

    /// The end of the period the date covers ("1965" ends at 1966.0).
    pub fn end_year(&self) -> f64 {
        match self.precision {
            Precision::Decade => self.year as f64 + 10.0,
            Precision::Year => self.year as f64 + 1.0,
            Precision::Month => {
                let (y, m) = if self.month == 12 { (self.year + 1, 1) } else { (self.year, self.month + 1) };
                Date { year: y, month: m, day: 0, precision: Precision::Month }.start_year()
            }
            Precision::Day => self.start_year() + 1.0 / if is_leap(self.year) { 366.0 } else { 365.0 },
        }
    }

    /// Where a mark for this date sits: the middle of the period it covers.
    pub fn mid_year(&self) -> f64 {
        (self.start_year() + self.end_year()) / 2.0
    }

    /// The ISO-like form used in the data files.
    pub fn to_iso(self) -> String {
        match self.precision {
            Precision::Decade => format!("{}s", self.year),
            Precision::Year => format!("{:04}", self.year),
            Precision::Month => format!("{:04}-{:02}", self.year, self.month),
            Precision::Day => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS.get(self.month.wrapping_sub(1) as usize).copied().unwrap_or("")
    }
}

/// Human form at the real precision: "1950s", "1965", "January 1966", "1 May 1948".
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Decade => write!(f, "{}s", self.year),
            Precision::Year => write!(f, "{}", self.year),
            Precision::Month => write!(f, "{} {}", self.month_name(), self.year),
            Precision::Day => write!(f, "{} {} {}", self.day, self.month_name(), self.year),
        }
    }
}

/// Chronological order by start, then the less precise first (so "1965" sorts before
/// "March 1965").
impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month, self.day, self.precision).cmp(&(other.year, other.month, other.day, other.precision))
    }
}

impl Date {
    /// A whole number in the same order as [`Ord`] (for [`crate::order::sort_by_key`]).
    pub fn sort_key(&self) -> i64 {
        ((self.year as i64) << 24) | ((self.month as i64) << 16) | ((self.day as i64) << 8) | self.precision as i64
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Formats a span: "1979–1989", "24 September – 10 October 2016", "1950s".
pub fn format_span(start: &Date, end: Option<&Date>) -> String {
    let Some(end) = end else { return start.to_string() };
    if start.precision == Precision::Day && end.precision == Precision::Day && start.year == end.year {
        if start.month == end.month {
            return format!("{}–{} {} {}", start.day, end.day, start.month_name(), start.year);
        }
        return format!("{} {} – {} {} {}", start.day, start.month_name(), end.day, end.month_name(), end.year);
    }
    if start.precision == Precision::Year && end.precision == Precision::Year {
        return format!("{}–{}", start.year, end.year);
    }
    format!("{start} – {end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_key_orders_like_ord() {
        let dates: Vec<Date> =
            ["1950s", "1947", "1965", "1965-03", "1965-03-01", "1965-03-02", "1966-01", "-44", "2024-12-31"]
                .iter()
                .filter_map(|s| Date::parse(s).ok())
                .collect();
        assert!(dates.len() >= 8);
        for a in &dates {
            for b in &dates {
                assert_eq!(a.sort_key().cmp(&b.sort_key()), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(Date::parse("1950s").unwrap().precision, Precision::Decade);
        assert_eq!(Date::parse("1965").unwrap(), Date::year(1965));
        let m = Date::parse("1966-01").unwrap();
        assert_eq!((m.year, m.month, m.precision), (1966, 1, Precision::Month));
        assert_eq!(Date::parse("1948-05-01").unwrap(), Date::ymd(1948, 5, 1));
    }

    #[test]
    fn rejects_malformed_and_impossible() {
        for s in ["", "65", "1965-1", "1965/01/01", "19x5", "1965-01-01-01", "1955s", "abcd", "1965-"] {
            assert!(Date::parse(s).is_err(), "{s:?} accepted");
        }
        assert_eq!(Date::parse("1965-13"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2019-02-29"), Err(DateError::Impossible));
        assert_eq!(Date::parse("1965-04-31"), Err(DateError::Impossible));
        assert_eq!(Date::parse("1955s"), Err(DateError::Impossible));
        assert!(Date::parse("2020-02-29").is_ok());
        assert_eq!(Date::parse("19x5"), Err(DateError::Malformed));
    }

    #[test]
    fn displays_at_real_precision() {
        assert_eq!(Date::parse("1965").unwrap().to_string(), "1965");
        assert_eq!(Date::parse("1966-01").unwrap().to_string(), "January 1966");
        assert_eq!(Date::parse("1948-05-01").unwrap().to_string(), "1 May 1948");
        assert_eq!(Date::parse("1950s").unwrap().to_string(), "1950s");
        let a = Date::parse("2016-09-24").unwrap();
        let b = Date::parse("2016-10-10").unwrap();
        assert_eq!(format_span(&a, Some(&b)), "24 September – 10 October 2016");
        assert_eq!(format_span(&Date::year(1979), Some(&Date::year(1989))), "1979–1989");
    }

    #[test]
    fn fractional_years() {
        assert_eq!(Date::year(1965).start_year(), 1965.0);
        assert_eq!(Date::year(1965).end_year(), 1966.0);
        let d = Date::ymd(1948, 5, 1);
        assert!((d.start_year() - (1948.0 + 121.0 / 366.0)).abs() < 1e-9);
        assert!(Date::parse("1966-12").unwrap().end_year() == 1967.0);
        assert!(Date::ymd(1965, 1, 1) > Date::year(1965));
    }
}
