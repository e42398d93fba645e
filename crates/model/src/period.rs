use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A calendar month, for responses that answer month by month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn first_day(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }
    pub fn period(&self) -> Option<Period> {
        let from = self.first_day()?;
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)?
        };
        Some(Period {
            from,
            to: next.pred_opt()?,
        })
    }
}

/// How figures covering some span serve a request's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// They cover the whole period (to within the slack allowed).
    Whole,
    /// They cover only `covered`, a part of the period: a partial answer.
    Partial { covered: Period },
    /// They cover days outside the period: another period's figures, which
    /// can never be added as this one's.
    Other,
}

impl Period {
    /// What figures covering `covered` are for this period. One rule for
    /// every way a source shows what it covers: the dates of counted rows
    /// (with `slack_days` allowed at either end, as no crime need fall on
    /// the first or last day), the months of monthly columns and a stated
    /// period (both exact: slack 0).
    pub fn fit(&self, covered: &Period, slack_days: i64) -> Fit {
        if covered.from < self.from || covered.to > self.to {
            return Fit::Other;
        }
        let short_start = (covered.from - self.from).num_days();
        let short_end = (self.to - covered.to).num_days();
        if short_start <= slack_days && short_end <= slack_days {
            Fit::Whole
        } else {
            Fit::Partial { covered: *covered }
        }
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
    pub fn overlaps(&self, o: &Period) -> bool {
        self.from <= o.to && o.from <= self.to
    }
    /// The months this period is made of, when it starts on a first and
    /// ends on a last day of a month: what monthly columns can be re-binned into.
    pub fn months(&self) -> Option<Vec<Month>> {
        if self.from.day() != 1 || self.to.succ_opt()?.day() != 1 {
            return None;
        }
        let mut out = Vec::new();
        let mut m = Month {
            year: self.from.year(),
            month: self.from.month(),
        };
        loop {
            out.push(m);
            if m.year == self.to.year() && m.month == self.to.month() {
                return Some(out);
            }
            m = if m.month == 12 {
                Month {
                    year: m.year + 1,
                    month: 1,
                }
            } else {
                Month {
                    year: m.year,
                    month: m.month + 1,
                }
            };
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn fit_is_whole_partial_or_other() {
        let fy = Period::new(d(2016, 4, 1), d(2017, 3, 31)).expect("period");
        let p = |a, b| Period::new(a, b).expect("period");
        // Rows from 3 April to 29 March: within a month of both ends.
        assert_eq!(fy.fit(&p(d(2016, 4, 3), d(2017, 3, 29)), 31), Fit::Whole);
        // January to June only.
        let half = p(d(2016, 4, 1), d(2016, 9, 30));
        assert_eq!(fy.fit(&half, 31), Fit::Partial { covered: half });
        // A stated period is exact: a day short is partial.
        let short = p(d(2016, 4, 1), d(2017, 3, 30));
        assert_eq!(fy.fit(&short, 0), Fit::Partial { covered: short });
        assert_eq!(fy.fit(&fy, 0), Fit::Whole);
        // A calendar year runs past the financial year's start.
        assert_eq!(fy.fit(&p(d(2016, 1, 1), d(2016, 12, 31)), 31), Fit::Other);
    }

    #[test]
    fn months_tile_a_financial_year() {
        let fy = Period::new(d(2016, 4, 1), d(2017, 3, 31)).expect("period");
        let months = fy.months().expect("tiles");
        assert_eq!(months.len(), 12);
        assert_eq!(
            months[11],
            Month {
                year: 2017,
                month: 3
            }
        );
        assert_eq!(fy.days(), 365);
        assert!(Period::new(d(2016, 4, 2), d(2017, 3, 31))
            .and_then(|p| p.months())
            .is_none());
    }
}
