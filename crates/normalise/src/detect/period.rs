//! Reading the periods a piece of text names: a title ("Online child
//! sexual offences, 1 July 2015 to 30 June 2016"), a sheet name ("Jul 15 -
//! Jun 16", "FY1617", "YE Jun16"), a column header ("2016/17", "12 months
//! to June 2016", "2015/16 (Jul-Jun)"). What is named is compared with a
//! request's period day for day; nothing is guessed from a year alone
//! inside a longer text ("FOI 2017/0412" names no period).

use chrono::{Datelike, NaiveDate};
use foi_model::Period;

/// One period named in a text, and which of the text's words name it (so
/// that what is left can be judged: "Number of offences" beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub period: Period,
    /// Indexes into [`words`] of the text.
    pub words: Vec<usize>,
}

/// A text split for reading periods: lower case, letters apart from
/// digits ("jul15" → "jul", "15"), numbers joined by "/", "-" or "." kept
/// whole ("2016/17", "01/07/2015", "2015-16"), apostrophes dropped ("'17").
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = cur.chars().last().is_some_and(|p| p.is_ascii_digit());
        let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() {
            if cur.chars().last().is_some_and(|p| p.is_alphabetic()) {
                flush(&mut cur, &mut out);
            }
            cur.push(c);
        } else if c.is_alphabetic() {
            if prev_digit {
                flush(&mut cur, &mut out);
            }
            cur.extend(c.to_lowercase());
        } else if matches!(c, '/' | '.' | '-') && prev_digit && next_digit {
            cur.push(c);
        } else if matches!(c, '\'' | '\u{2019}') {
            // "Apr '17", "victim's": dropped.
        } else {
            flush(&mut cur, &mut out);
            if matches!(c, '-' | '\u{2013}' | '\u{2014}') {
                out.push("-".into());
            }
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// The month a word names: English names and abbreviations, and Welsh
/// ones ("Gorff", "Meh"), as bilingual replies write them.
fn month(w: &str) -> Option<u32> {
    const NAMES: &[(&[&str], u32)] = &[
        (&["jan", "january", "ion", "ionawr"], 1),
        (&["feb", "february", "chwef", "chwefror"], 2),
        (&["mar", "march", "maw", "mawrth"], 3),
        (&["apr", "april", "ebr", "ebrill"], 4),
        (&["may", "mai"], 5),
        (&["jun", "june", "meh", "mehefin"], 6),
        (&["jul", "july", "gorff", "gorffennaf"], 7),
        (&["aug", "august", "awst"], 8),
        (&["sep", "sept", "september", "medi"], 9),
        (&["oct", "october", "hyd", "hydref"], 10),
        (&["nov", "november", "tach", "tachwedd"], 11),
        (&["dec", "december", "rhag", "rhagfyr"], 12),
    ];
    NAMES
        .iter()
        .find(|(names, _)| names.contains(&w))
        .map(|(_, m)| *m)
}

/// A year written in full or as two digits ("2016", "16"), within the
/// years a police record could have.
fn year(w: &str) -> Option<i32> {
    if !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = match w.len() {
        2 => 2000 + w.parse::<i32>().ok()?,
        4 => w.parse().ok()?,
        _ => return None,
    };
    (1990..=2100).contains(&y).then_some(y)
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn first_day(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// A date written as one word: "01/07/2015", "30/06/16", "2015-07-01",
/// "01.07.2015", "01-07-2015".
fn date_word(w: &str) -> Option<NaiveDate> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    [
        "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y",
    ]
    .iter()
    .filter_map(|f| NaiveDate::parse_from_str(w, f).ok())
    .find(|d| (1990..=2100).contains(&d.year()))
}

/// A date at word `i`: one word ("01/07/2015"), or a day, a month and a
/// year ("1 July 2015", "30 Jun 16"). The date and the words it took.
fn date_at(w: &[String], i: usize) -> Option<(NaiveDate, usize)> {
    let first = w.get(i)?;
    if let Some(d) = date_word(first) {
        return Some((d, 1));
    }
    let day: u32 = first.parse().ok().filter(|d| (1..=31).contains(d))?;
    if first.len() > 2 {
        return None;
    }
    // "1st July 2015", "30th June 2016".
    let k = match w.get(i + 1).map(String::as_str) {
        Some("st" | "nd" | "rd" | "th") => i + 2,
        _ => i + 1,
    };
    let m = month(w.get(k)?)?;
    let y = year(w.get(k + 1)?)?;
    NaiveDate::from_ymd_opt(y, m, day).map(|d| (d, k + 2 - i))
}

/// A month and year at word `i`: "jul 2015", "jul 15", "july 2015".
fn month_year_at(w: &[String], i: usize) -> Option<(i32, u32, usize)> {
    let m = month(w.get(i)?)?;
    // "Jul-15": the dash between them.
    let (y, n) = match w.get(i + 1).map(String::as_str) {
        Some("-") => (year(w.get(i + 2)?)?, 3),
        Some(y) => (year(y)?, 2),
        None => return None,
    };
    Some((y, m, n))
}

/// Words between two ends of a range: "-", "to", "until", "and".
fn is_range_word(w: &str) -> bool {
    matches!(w, "-" | "to" | "until" | "till" | "and" | "i")
}

/// A financial year written as one word: "2016/17", "2016-17",
/// "2016/2017"; two-digit forms ("16/17") only after "FY" or "financial
/// year", where they cannot be an age band. The first year.
fn fiscal_word(w: &str, prefixed: bool) -> Option<i32> {
    let (a, b) = w.split_once(['/', '-'])?;
    let ya = match a.len() {
        4 => year(a)?,
        2 if prefixed => year(a)?,
        _ => return None,
    };
    let yb = match b.len() {
        2 => year(b)?,
        4 => year(b)?,
        _ => return None,
    };
    (yb == ya + 1).then_some(ya)
}

/// "fy1617": "FY" and four digits, the second year after the first.
fn fiscal_glued(w: &str) -> Option<i32> {
    if w.len() != 4 || !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (a, b) = (year(&w[..2])?, year(&w[2..])?);
    (b == a + 1).then_some(a)
}

/// Every period `text` names, in the order written.
pub fn periods(text: &str) -> Vec<Named> {
    let w = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        match period_at(&w, i) {
            Some((period, n)) => {
                out.push(Named {
                    period,
                    words: (i..i + n).collect(),
                });
                i += n;
            }
            None => i += 1,
        }
    }
    // A cell that is only a year: the calendar year ("2016" as a header).
    if out.is_empty() && w.len() == 1 && w[0].len() == 4 {
        if let (Some(y), Some(from), Some(to)) = (
            year(&w[0]),
            year(&w[0]).and_then(|y| first_day(y, 1)),
            year(&w[0]).and_then(|y| last_day(y, 12)),
        ) {
            let _ = y;
            if let Some(p) = Period::new(from, to) {
                out.push(Named {
                    period: p,
                    words: vec![0],
                });
            }
        }
    }
    out
}

/// The period starting at word `i`, and how many words it takes.
fn period_at(w: &[String], i: usize) -> Option<(Period, usize)> {
    let word = |k: usize| w.get(k).map(String::as_str).unwrap_or("");
    // Two dates written as one word: "01/04/2016-31/03/2017".
    if let Some((a, b)) = word(i)
        .split_once('-')
        .filter(|(a, b)| a.contains('/') && b.contains('/'))
    {
        if let (Some(from), Some(to)) = (date_word(a), date_word(b)) {
            return Period::new(from, to).map(|p| (p, 1));
        }
    }
    // A range of dates: "1 July 2015 to 30 June 2016", "01/07/15 - 30/06/16".
    if let Some((from, n)) = date_at(w, i) {
        if is_range_word(word(i + n)) {
            if let Some((to, m)) = date_at(w, i + n + 1) {
                return Period::new(from, to).map(|p| (p, n + 1 + m));
            }
        }
    }
    // A range of months: "Jul 2015 - Jun 2016", "Jul15-Jun16", "Apr '17 to Mar '18".
    if let Some((y1, m1, n)) = month_year_at(w, i) {
        if is_range_word(word(i + n)) {
            if let Some((y2, m2, k)) = month_year_at(w, i + n + 1) {
                let p = Period::new(first_day(y1, m1)?, last_day(y2, m2)?)?;
                return Some((p, n + 1 + k));
            }
        }
    }
    // "July to June 2016", "April - March 2017": the first month in the
    // year before when it comes after the second.
    if let Some(m1) = month(word(i)) {
        if is_range_word(word(i + 1)) {
            if let Some((y2, m2, k)) = month_year_at(w, i + 2) {
                let y1 = if m1 > m2 { y2 - 1 } else { y2 };
                let p = Period::new(first_day(y1, m1)?, last_day(y2, m2)?)?;
                return Some((p, 2 + k));
            }
        }
    }
    // Twelve months to a month or a day: "12 months to June 2016", "year
    // ending March 2018", "YE Jun16", "12m to Jun16", "year to 30/06/2016".
    let lead = match (word(i), word(i + 1)) {
        ("12" | "twelve", "months" | "month" | "m") => 2,
        ("year" | "ye" | "yr", _) => 1,
        _ => 0,
    };
    if lead > 0 {
        let mut k = i + lead;
        while matches!(
            word(k),
            "to" | "ending" | "ended" | "end" | "up" | "-" | "and" | "including" | "inclusive"
        ) {
            k += 1;
        }
        if k > i + lead || word(i) == "ye" || word(i + 1) == "m" {
            if let Some((to, n)) = date_at(w, k) {
                let from = to.with_year(to.year() - 1)?.succ_opt()?;
                return Period::new(from, to).map(|p| (p, k + n - i));
            }
            if let Some((y, m, n)) = month_year_at(w, k) {
                let to = last_day(y, m)?;
                let (fy, fm) = if m == 12 { (y, 1) } else { (y - 1, m + 1) };
                let p = Period::new(first_day(fy, fm)?, to)?;
                return Some((p, k + n - i));
            }
        }
    }
    // A financial year: "2016/17", "FY 16/17", "financial year 2016-17",
    // "FY1617", with the months it runs if not April to March: "2015/16
    // (Jul-Jun)".
    let (prefix, at) = match (word(i), word(i + 1)) {
        ("fy", _) => (1, i + 1),
        ("financial", "year") => (2, i + 2),
        _ => (0, i),
    };
    let first = fiscal_word(word(at), prefix > 0).or_else(|| {
        if prefix == 1 {
            fiscal_glued(word(at))
        } else {
            None
        }
    });
    if let Some(y) = first {
        let mut n = prefix + 1;
        let (mut m1, mut m2) = (4, 3);
        if let (Some(a), "-", Some(b)) = (month(word(at + 1)), word(at + 2), month(word(at + 3))) {
            if a == b % 12 + 1 {
                (m1, m2) = (a, b);
                n += 3;
            }
        }
        let p = Period::new(first_day(y, m1)?, last_day(y + 1, m2)?)?;
        return Some((p, n));
    }
    // "Calendar year 2016".
    if (word(i), word(i + 1)) == ("calendar", "year") {
        let y = year(word(i + 2))?;
        return Period::new(first_day(y, 1)?, last_day(y, 12)?).map(|p| (p, 3));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Vec<String> {
        periods(text)
            .into_iter()
            .map(|n| format!("{}..{}", n.period.from, n.period.to))
            .collect()
    }

    const YE_JUN_2016: &str = "2015-07-01..2016-06-30";
    const FY_2016_17: &str = "2016-04-01..2017-03-31";

    #[test]
    fn the_ways_forces_name_the_year_to_june_2016() {
        for text in [
            "12 months to June 2016",
            "Jul 2015 - Jun 2016",
            "Jul 15 - Jun 16",
            "Jul 15 \u{2013} Jun 16",
            "Jul15 - Jun16",
            "JUL15-JUN16",
            "Jul 2015 to Jun 2016",
            "01/07/15 - 30/06/16",
            "01/07/2015 - 30/06/2016",
            "Online child sexual offences, 1 July 2015 to 30 June 2016",
            "Offence (1 Jul 2015 - 30 Jun 2016)",
            "Period: 1 July 2015 to 30 June 2016",
            "Year to June 2016",
            "Year ending June 2016",
            "YE Jun16",
            "12m to Jun16",
            "12 months to 30/06/2016",
            "2015/16 (Jul-Jun)",
            "2015-16 (Jul-Jun)",
            "Gorff15-Meh16 Jul15-Jun16",
            "1st July 2015 to 30th June 2016",
            "Twelve months ending 30th June 2016",
            "The 12 months up to and including June 2016",
            "01/07/2015-30/06/2016",
            "Period covered: 01.07.2015 \u{2013} 30.06.2016",
            "Jul-15 to Jun-16",
        ] {
            let got = named(text);
            assert!(
                !got.is_empty() && got.iter().all(|p| p == YE_JUN_2016),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn the_ways_forces_name_2016_17() {
        for text in [
            "2016/17",
            "2016-17",
            "FY 16/17",
            "FY 16-17",
            "FY1617",
            "Financial year 2016/17",
            "Apr 2016 - Mar 2017",
            "Apr16 - Mar17",
            "APR16-MAR17",
            "Year to March 2017",
            "01/04/16 - 31/03/17",
            "Apr '16 to Mar '17",
            "April 2016 to March 2017",
        ] {
            assert_eq!(named(text), [FY_2016_17], "{text}");
        }
    }

    #[test]
    fn numbers_that_are_no_period() {
        for text in [
            "FOI 2017/0412",
            "Freedom of Information request 0412/17",
            "FOI 17-0412",
            "FOI 412-17",
            "16-17",
            "10-12",
            "Under 10",
            "Victim age 13",
            "2002 to 2016 population",
            "Population figures (mid-2016)",
            "Offence",
            "Total",
            "Table P1:  Police recorded crime, year ending March 181,2,3",
        ] {
            assert_eq!(named(text), Vec::<String>::new(), "{text}");
        }
        assert_eq!(named("Calendar year 2016"), ["2016-01-01..2016-12-31"]);
        assert_eq!(named("2016"), ["2016-01-01..2016-12-31"]);
        assert_eq!(named("Year ending March 2018"), ["2017-04-01..2018-03-31"]);
    }

    #[test]
    fn a_text_may_name_two_periods() {
        assert_eq!(
            named("year ending march 2017 compared with year ending March 2018"),
            ["2016-04-01..2017-03-31", "2017-04-01..2018-03-31"]
        );
    }

    #[test]
    fn the_words_a_period_takes() {
        let w = words("Apr '17 to Mar '18 Number of offences");
        assert_eq!(
            w,
            ["apr", "17", "to", "mar", "18", "number", "of", "offences"]
        );
        let p = periods("Apr '17 to Mar '18 Number of offences");
        assert_eq!(p[0].words, [0, 1, 2, 3, 4]);
    }
}
