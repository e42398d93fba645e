//! The victim's age a text speaks of, as a range of years: what the
//! offence categories that split on age (13, 16, 18) are told apart by.
//!
//! "under 13" is 0–12, "13 or over" and "13+" are 13 and over, "aged 13 to
//! 15" and "13-15" are 13–15, "aged 12" and "12 yrs" are 12; "child",
//! "girl" and "boy" (after the wording table: "female child") are under
//! 18, "woman", "man" and "adult" 18 and over. An age said of the offender
//! ("offender under 18") is not the victim's and is set aside. Words that
//! said an age are taken out of the text's words: the range stands for
//! them, and a range fits another when it lies within it ("16 or over"
//! within "13 and over"), not when the numbers are the same.

use super::text::edit_distance;
use std::fmt;

/// Whole years, both ends included; `hi` none: no upper end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ages {
    pub lo: u16,
    pub hi: Option<u16>,
}

/// The oldest age a text can name.
const OLDEST: u16 = 120;

impl Ages {
    pub const fn new(lo: u16, hi: Option<u16>) -> Ages {
        Ages { lo, hi }
    }

    fn top(&self) -> u16 {
        self.hi.unwrap_or(u16::MAX)
    }

    /// Whether `other` lies within these ages.
    pub fn contains(&self, other: &Ages) -> bool {
        self.lo <= other.lo && other.top() <= self.top()
    }

    /// The ages both have, if any.
    pub fn meet(&self, other: &Ages) -> Option<Ages> {
        let lo = self.lo.max(other.lo);
        let hi = self.top().min(other.top());
        (lo <= hi).then_some(Ages {
            lo,
            hi: (hi != u16::MAX).then_some(hi),
        })
    }

    /// The smallest range holding both.
    fn hull(&self, other: &Ages) -> Ages {
        let hi = self.top().max(other.top());
        Ages {
            lo: self.lo.min(other.lo),
            hi: (hi != u16::MAX).then_some(hi),
        }
    }

    /// Every age: says nothing.
    fn is_all(&self) -> bool {
        self.lo == 0 && self.hi.is_none()
    }
}

impl fmt::Display for Ages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.lo, self.hi) {
            (0, Some(h)) => write!(f, "under {}", h + 1),
            (l, None) => write!(f, "{l} and over"),
            (l, Some(h)) if l == h => write!(f, "aged {l}"),
            (l, Some(h)) => write!(f, "{l} to {h}"),
        }
    }
}

/// A document's ages: as its text says them, and as they are once the
/// narrower categories beside it have taken theirs (19D "under 16" is
/// 13–15 beside 19E "under 13").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocAges {
    pub said: Ages,
    pub own: Ages,
}

/// How a label's ages stand to a document's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The same ages, or within the document's own.
    Within,
    /// None in common: another offence.
    Apart,
    /// Some in common: the label does not say which.
    Overlap,
}

impl DocAges {
    /// Ages a document says itself, with no narrower sibling beside it.
    pub const fn said(ages: Ages) -> DocAges {
        DocAges {
            said: ages,
            own: ages,
        }
    }

    pub fn fit(&self, label: &Ages) -> Fit {
        if *label == self.said || self.own.contains(label) {
            Fit::Within
        } else if self.own.meet(label).is_none() {
            Fit::Apart
        } else {
            Fit::Overlap
        }
    }
}

/// An age written in figures, or in words up to twenty ("under
/// thirteen", "aged eleven"); only ever read beside a cue to an age.
fn number(w: &str) -> Option<u16> {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    if let Some(n) = WORDS.iter().position(|x| *x == w) {
        return u16::try_from(n).ok();
    }
    if w.is_empty() || w.len() > 3 || !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Nobody writes an age "08": a leading zero is a code's ("008/73").
    if w.len() > 1 && w.starts_with('0') {
        return None;
    }
    w.parse().ok().filter(|n| *n <= OLDEST)
}

fn unit(w: &str) -> bool {
    matches!(w, "yrs" | "yr" | "years" | "year" | "y" | "yo" | "old") || months(w)
}

/// An age in months ("under 12 months"): a baby's, counted in years.
fn months(w: &str) -> bool {
    matches!(w, "months" | "month" | "mths" | "mth" | "mnths")
}

fn upward(w: &str) -> bool {
    matches!(
        w,
        "over" | "above" | "older" | "upwards" | "plus" | "more" | "elder"
    ) || misspelt(w, "over")
}

fn downward(w: &str) -> bool {
    matches!(w, "under" | "below" | "younger" | "less" | "fewer") || misspelt(w, "under")
}

/// "undr", "udner", "ovr": one slip from the word, and only ever read
/// before a number.
fn misspelt(w: &str, word: &str) -> bool {
    w.len() >= 3
        && w.chars().all(|c| c.is_ascii_alphabetic())
        && edit_distance(w, word, 1).is_some()
}

/// Words naming whoever an age that follows is said of: the offender's
/// set it aside.
fn offender(w: &str) -> bool {
    matches!(
        w,
        "offender" | "offenders" | "perpetrator" | "perpetrators" | "suspect" | "suspects"
    )
}

fn victim(w: &str) -> bool {
    matches!(
        w,
        "victim"
            | "victims"
            | "child"
            | "children"
            | "person"
            | "persons"
            | "people"
            | "female"
            | "females"
            | "male"
            | "males"
            | "adult"
            | "adults"
            | "relative"
            | "member"
    )
}

/// Words that say an age without a number.
fn implied(w: &str) -> Option<Ages> {
    match w {
        "child" | "children" | "juvenile" | "juveniles" | "young" => Some(Ages::new(0, Some(17))),
        "adult" | "adults" => Some(Ages::new(18, None)),
        _ => None,
    }
}

/// What [`find`] read: the victim's ages, and which words said an age.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub victim: Option<Ages>,
    /// The ages are only implied by a word ("girl", "woman"), no number.
    pub implied: bool,
    /// One per word: whether it was part of an age (the victim's or the
    /// offender's).
    pub used: Vec<bool>,
}

/// Reads the ages in one clause's words (lower case, after the wording
/// table).
pub fn find(words: &[String]) -> Found {
    let n = words.len();
    let mut used = vec![false; n];
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    let mut said: Vec<Ages> = Vec::new();
    let mut i = 0;
    while i < n {
        let Some(mut v) = number(w(i)) else {
            i += 1;
            continue;
        };
        // A number in words is an age only after a word that says so
        // ("under thirteen", "aged eleven"): "one or more" is no age.
        let spelt = !w(i).starts_with(|c: char| c.is_ascii_digit());
        let before = |x: &str| downward(x) || upward(x) || matches!(x, "aged" | "age" | "than");
        if spelt && !(i >= 1 && before(w(i - 1))) {
            i += 1;
            continue;
        }
        // Months as whole years: "under 12 months" is under 1, "aged 18
        // months" is 1.
        if months(w(i + 1)) {
            v = if i >= 1 && downward(w(i - 1)) {
                v.div_ceil(12)
            } else {
                v / 12
            };
        }
        let mut start = i;
        let mut end = i + 1; // exclusive
        let mut ages: Option<Ages> = None;
        let mut cue = false;
        // Before the number: "under 13", "younger than 13", "aged 13".
        if i >= 1 && downward(w(i - 1)) {
            ages = Some(Ages::new(0, v.checked_sub(1)));
            start = i - 1;
        } else if i >= 1 && upward(w(i - 1)) {
            ages = Some(Ages::new(v + 1, None));
            start = i - 1;
        } else if i >= 2 && w(i - 1) == "than" && downward(w(i - 2)) {
            ages = Some(Ages::new(0, v.checked_sub(1)));
            start = i - 2;
        } else if i >= 2 && w(i - 1) == "than" && upward(w(i - 2)) {
            ages = Some(Ages::new(v + 1, None));
            start = i - 2;
        } else if i >= 3 && w(i - 1) == "and" && number(w(i - 2)).is_some() && w(i - 3) == "between"
        {
            i += 1;
            continue; // read from the first number
        }
        if i >= 1 && matches!(w(start.saturating_sub(1)), "aged" | "age" | "ages") && start > 0 {
            start -= 1;
            cue = true;
        }
        if start >= 1 && w(start - 1) == "between" {
            // "between 13 and 15"
            if w(end) == "and" {
                if let Some(m) = number(w(end + 1)).filter(|m| *m > v) {
                    ages = Some(Ages::new(v, Some(m)));
                    start -= 1;
                    end += 2;
                }
            }
        }
        // After the number: units, "and over", "or under", "plus", "to 15".
        while unit(w(end)) || (w(end) == "of" && w(end + 1) == "age") {
            if w(end) == "of" {
                end += 1;
            }
            end += 1;
            cue = true;
        }
        if ages.is_none() {
            let (a, b) = (w(end), w(end + 1));
            if matches!(a, "and" | "or") && upward(b) {
                ages = Some(Ages::new(v, None));
                end += 2;
            } else if matches!(a, "and" | "or") && downward(b) {
                ages = Some(Ages::new(0, Some(v)));
                end += 2;
            } else if upward(a) {
                ages = Some(Ages::new(v, None));
                end += 1;
            } else if let Some(m) = number(if a == "to" { b } else { a }).filter(|m| *m > v) {
                ages = Some(Ages::new(v, Some(m)));
                end += if a == "to" { 2 } else { 1 };
                while unit(w(end)) {
                    end += 1;
                }
            } else if cue {
                ages = Some(Ages::new(v, Some(v)));
            }
        }
        let Some(ages) = ages else {
            i += 1;
            continue;
        };
        // Whose age: the nearest word before naming someone.
        let of_offender = (0..start)
            .rev()
            .map(w)
            .find(|x| offender(x) || victim(x))
            .is_some_and(offender);
        for u in used.iter_mut().take(end.min(n)).skip(start) {
            *u = true;
        }
        if !of_offender {
            said.push(ages);
        }
        i = end;
    }
    let explicit = said
        .iter()
        .try_fold(Ages::new(0, None), |acc, a| acc.meet(a));
    let victim = match (said.is_empty(), explicit) {
        (false, Some(a)) => Some(a),
        // Ages that cannot all hold ("13+" and "under 13"): none said.
        (false, None) => None,
        (true, _) => words
            .iter()
            .filter_map(|x| implied(x))
            .reduce(|a, b| a.hull(&b)),
    };
    Found {
        victim: victim.filter(|a| !a.is_all()),
        implied: said.is_empty(),
        used,
    }
}

/// The ages of several clauses: all those said must hold at once.
pub fn combine(parts: impl IntoIterator<Item = Option<Ages>>) -> Option<Ages> {
    let mut out: Option<Ages> = None;
    for a in parts.into_iter().flatten() {
        out = match out {
            None => Some(a),
            Some(o) => Some(o.meet(&a).unwrap_or(o)),
        };
    }
    out
}

/// The ages a category's own offences cover, beside its narrower
/// siblings: `said` less every sibling range lying within it at one end
/// ("under 16" less "under 13" is 13–15).
pub fn own_ages(said: Ages, siblings: &[Ages]) -> Ages {
    let mut own = said;
    for s in siblings {
        if *s == said || !said.contains(s) {
            continue;
        }
        if s.lo <= own.lo && s.top() >= own.lo {
            own.lo = s.top().saturating_add(1);
        } else if s.top() >= own.top() && s.lo <= own.top() {
            own.hi = s.lo.checked_sub(1);
        }
    }
    if own.hi.is_some_and(|h| h < own.lo) {
        return said;
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ages(text: &str) -> Option<String> {
        let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        find(&words)
            .victim
            .map(|a| format!("{}-{}", a.lo, a.hi.map_or("".into(), |h| h.to_string())))
    }

    #[test]
    fn ages_as_forces_write_them() {
        assert_eq!(ages("rape female child under 13").as_deref(), Some("0-12"));
        assert_eq!(
            ages("sexual assault male 13 or over").as_deref(),
            Some("13-")
        );
        assert_eq!(
            ages("sexual assault female 13 over").as_deref(),
            Some("13-")
        );
        assert_eq!(ages("female 13 years plus").as_deref(), Some("13-"));
        assert_eq!(
            ages("female aged 16 years or older").as_deref(),
            Some("16-")
        );
        assert_eq!(ages("child aged 13 to 15").as_deref(), Some("13-15"));
        assert_eq!(
            ages("rape female under 16 13 15 yrs").as_deref(),
            Some("13-15")
        );
        assert_eq!(ages("rape girl aged 12").as_deref(), Some("12-12"));
        assert_eq!(ages("child 12 and under").as_deref(), Some("0-12"));
        assert_eq!(ages("murder under 1 yr of age").as_deref(), Some("0-0"));
        assert_eq!(ages("child over 15").as_deref(), Some("16-"));
        assert_eq!(ages("between 13 and 15").as_deref(), Some("13-15"));
    }

    /// Ages in words up to twenty, and in months as whole years; a
    /// number word with no cue to an age is none.
    #[test]
    fn ages_in_words_and_in_months() {
        assert_eq!(ages("rape girl under thirteen").as_deref(), Some("0-12"));
        assert_eq!(ages("victim aged eleven").as_deref(), Some("11-11"));
        assert_eq!(
            ages("infanticide child under 12 months").as_deref(),
            Some("0-0")
        );
        assert_eq!(ages("murder under 6 months").as_deref(), Some("0-0"));
        assert_eq!(ages("victim aged 18 months").as_deref(), Some("1-1"));
        assert_eq!(ages("one or more offenders"), None);
    }

    /// A slip in "under" or "over" before a number is still an age; the
    /// same slip with no number after it is no age.
    #[test]
    fn a_misspelt_under_or_over_before_a_number() {
        assert_eq!(ages("rape female child undr 16").as_deref(), Some("0-15"));
        assert_eq!(ages("rape male child udner 13").as_deref(), Some("0-12"));
        assert_eq!(ages("sexual assault female ovr 13").as_deref(), Some("14-"));
        assert_eq!(ages("rape female child undr"), Some("0-17".into()));
        assert_eq!(ages("order 13"), None);
    }

    #[test]
    fn words_that_imply_an_age() {
        assert_eq!(ages("rape female child").as_deref(), Some("0-17"));
        assert_eq!(ages("rape female adult").as_deref(), Some("18-"));
        // "Women and girls": every age, so none.
        assert_eq!(ages("sexual assault female adult and female child"), None);
        // A number said overrides the words.
        assert_eq!(
            ages("sexual assault female adult and female child 13 over").as_deref(),
            Some("13-")
        );
    }

    #[test]
    fn an_offenders_age_is_not_the_victims() {
        assert_eq!(
            ages("sexual activity child under 13 offender under 18").as_deref(),
            Some("0-12")
        );
        assert_eq!(
            ages("offender 18 or over and victim under 16").as_deref(),
            Some("0-15")
        );
        assert_eq!(
            ages("causing child watch sexual act offender aged 18 or over").as_deref(),
            Some("0-17")
        );
    }

    #[test]
    fn numbers_that_are_not_ages() {
        assert_eq!(ages("possession class 2 drug"), None);
        assert_eq!(ages("sexual offences act 2003"), None);
        // A Home Office code ("008/73", split at its slash as labels'
        // words are), not a victim 8 to 73.
        assert_eq!(ages("008 73"), None);
        assert_eq!(ages("assault 08 06"), None);
    }

    #[test]
    fn the_words_of_an_age_are_marked() {
        let words: Vec<String> = "rape female aged 16 or over by male"
            .split(' ')
            .map(str::to_string)
            .collect();
        assert_eq!(
            find(&words).used,
            [false, false, true, true, true, true, false, false]
        );
    }

    #[test]
    fn a_range_fits_a_wider_one_not_one_it_leaves() {
        let rape_u16 = DocAges {
            said: Ages::new(0, Some(15)),
            own: own_ages(
                Ages::new(0, Some(15)),
                &[Ages::new(0, Some(12)), Ages::new(16, None)],
            ),
        };
        assert_eq!(rape_u16.own, Ages::new(13, Some(15)));
        assert_eq!(rape_u16.fit(&Ages::new(0, Some(15))), Fit::Within);
        assert_eq!(rape_u16.fit(&Ages::new(13, Some(15))), Fit::Within);
        assert_eq!(rape_u16.fit(&Ages::new(15, Some(15))), Fit::Within);
        assert_eq!(rape_u16.fit(&Ages::new(12, Some(12))), Fit::Apart);
        assert_eq!(rape_u16.fit(&Ages::new(0, Some(17))), Fit::Overlap);
        let over13 = DocAges::said(Ages::new(13, None));
        assert_eq!(over13.fit(&Ages::new(16, None)), Fit::Within);
        assert_eq!(over13.fit(&Ages::new(18, None)), Fit::Within);
        assert_eq!(over13.fit(&Ages::new(0, Some(12))), Fit::Apart);
        assert_eq!(Ages::new(0, Some(12)).to_string(), "under 13");
        assert_eq!(Ages::new(13, Some(15)).to_string(), "13 to 15");
    }
}
