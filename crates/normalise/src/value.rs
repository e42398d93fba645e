//! Reading one count cell: "1,234", "12*", "7 (a)", "<5", "1-4", "*",
//! "redacted", "-". Suppressed counts become honest intervals.

use crate::grid::Cell;
use foi_model::config::Zeros;
use foi_model::{Crosswalk, Interval};

/// How a force writes the counts it hides.
#[derive(Debug, Clone, Copy)]
pub struct Suppression<'a> {
    pub zeros: Zeros,
    /// Counts below this are hidden.
    pub threshold: u64,
    /// Marks and words: `suppressed`, `zero`, `not_available`.
    pub markers: Option<&'a Crosswalk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Count(Interval),
    /// Nothing written.
    Blank,
    /// The force says the figure is not available ("..", "n/a").
    NotAvailable,
    /// Not a count: says why.
    Invalid(String),
}

impl Suppression<'_> {
    /// The interval a hidden count below `bound` (exclusive) stands for.
    fn below(&self, bound: u64) -> Interval {
        let lo = match self.zeros {
            Zeros::Shown => 1,
            Zeros::NotStated => 0,
        };
        Interval::new(lo.min(bound.saturating_sub(1)), bound.saturating_sub(1))
    }
}

pub fn parse_count(cell: &Cell, sup: &Suppression) -> Parsed {
    match cell {
        Cell::Empty => Parsed::Blank,
        Cell::Number(n) => number(*n),
        Cell::Date(d) => Parsed::Invalid(format!("a date ({d}) where a count belongs")),
        Cell::Error(e) => Parsed::Invalid(format!("a formula error ({e})")),
        Cell::Text(t) => parse_text(t, sup),
    }
}

fn number(n: f64) -> Parsed {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e15 {
        Parsed::Count(Interval::point(n as u64))
    } else {
        Parsed::Invalid(format!("{n} is not a whole, non-negative count"))
    }
}

pub fn parse_text(raw: &str, sup: &Suppression) -> Parsed {
    let t = raw.trim();
    if t.is_empty() {
        return Parsed::Blank;
    }
    if let Some(m) = sup.markers.and_then(|m| {
        m.entries()
            .iter()
            .find(|e| e.label.trim().eq_ignore_ascii_case(t))
    }) {
        return match m.value.as_str() {
            "zero" => Parsed::Count(Interval::ZERO),
            "not_available" => Parsed::NotAvailable,
            _ => Parsed::Count(sup.below(sup.threshold)),
        };
    }
    let s = strip_footnotes(t);
    let lower = s.to_ascii_lowercase();
    // "<5", "< 5", "less than 5", "fewer than 5"
    for prefix in ["<", "less than", "fewer than"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return match whole(rest) {
                Some(n) if n > 0 => Parsed::Count(sup.below(n)),
                _ => Parsed::Invalid(format!("{t:?} is not a count")),
            };
        }
    }
    // "1-4", "1 to 4": a range the force gives outright.
    for sep in ["-", "–", " to "] {
        if let Some((a, b)) = lower.split_once(sep) {
            if let (Some(a), Some(b)) = (whole(a), whole(b)) {
                if a <= b {
                    return Parsed::Count(Interval::new(a, b));
                }
            }
        }
    }
    match whole(&s) {
        Some(n) => Parsed::Count(Interval::point(n)),
        None => Parsed::Invalid(format!("{t:?} is not a count")),
    }
}

/// "1,234" and "1 234" are 1234.
fn whole(s: &str) -> Option<u64> {
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Drops footnote marks after a figure: "12*", "7 (a)", "30 [note 2]", "5†".
/// A mark alone ("*") is left for the marker table.
fn strip_footnotes(t: &str) -> String {
    let mut s = t.trim().to_string();
    loop {
        let before = s.clone();
        let trimmed = s.trim_end();
        if let Some(x) = trimmed.strip_suffix(['*', '†', '‡', '¹', '²', '³']) {
            s = x.to_string();
        } else if trimmed.ends_with(')') || trimmed.ends_with(']') {
            let open = if trimmed.ends_with(')') { '(' } else { '[' };
            if let Some(i) = trimmed.rfind(open) {
                let inner = &trimmed[i + 1..trimmed.len() - 1];
                if i > 0 && inner.len() <= 12 {
                    s = trimmed[..i].to_string();
                }
            }
        }
        let now = s.trim_end().to_string();
        if now == before.trim_end() || now.is_empty() {
            return if now.is_empty() { t.to_string() } else { now };
        }
        s = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sup(zeros: Zeros, markers: Option<&Crosswalk>) -> Suppression<'_> {
        Suppression {
            zeros,
            threshold: 5,
            markers,
        }
    }

    #[test]
    fn reads_what_forces_write() {
        let markers = Crosswalk::from_csv(
            "m.csv",
            "label,value\n*,suppressed\nredacted,suppressed\n-,zero\n..,not_available\n",
            &|_| None,
        )
        .expect("markers");
        let s = sup(Zeros::NotStated, Some(&markers));
        let c = |t: &str| parse_text(t, &s);
        let i = |lo, hi| Parsed::Count(Interval::new(lo, hi));
        assert_eq!(c("1,234"), i(1234, 1234));
        assert_eq!(c("12*"), i(12, 12));
        assert_eq!(c("7 (a)"), i(7, 7));
        assert_eq!(c("30 [note 2]"), i(30, 30));
        assert_eq!(c("<5"), i(0, 4));
        assert_eq!(c("< 10"), i(0, 9));
        assert_eq!(c("1-4"), i(1, 4));
        assert_eq!(c("*"), i(0, 4));
        assert_eq!(c("Redacted"), i(0, 4));
        assert_eq!(c("-"), i(0, 0));
        assert_eq!(c(".."), Parsed::NotAvailable);
        assert_eq!(c("  "), Parsed::Blank);
        assert!(matches!(c("twelve"), Parsed::Invalid(_)));
        assert!(matches!(c("**"), Parsed::Invalid(_)));
        let shown = sup(Zeros::Shown, Some(&markers));
        assert_eq!(parse_text("<5", &shown), i(1, 4));
        assert_eq!(parse_text("*", &shown), i(1, 4));
        assert_eq!(parse_count(&Cell::Number(3.0), &s), i(3, 3));
        assert!(matches!(
            parse_count(&Cell::Number(2.5), &s),
            Parsed::Invalid(_)
        ));
    }

    proptest! {
        #[test]
        fn printed_counts_read_back(n in 0u64..10_000_000) {
            let s = sup(Zeros::NotStated, None);
            let grouped = {
                let d = n.to_string();
                let mut out = String::new();
                for (i, ch) in d.chars().enumerate() {
                    if i > 0 && (d.len() - i) % 3 == 0 { out.push(','); }
                    out.push(ch);
                }
                out
            };
            prop_assert_eq!(parse_text(&n.to_string(), &s), Parsed::Count(Interval::point(n)));
            prop_assert_eq!(parse_text(&grouped, &s), Parsed::Count(Interval::point(n)));
            prop_assert_eq!(parse_text(&format!("{n}*"), &s), Parsed::Count(Interval::point(n)));
        }

        #[test]
        fn never_panics(t in "\\PC{0,20}") {
            let _ = parse_text(&t, &sup(Zeros::Shown, None));
        }
    }
}
