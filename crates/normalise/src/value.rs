//! Reading one count cell: "1,234", "12*", "7 (a)", "<5", "≤5", "1-4", "*",
//! "redacted", "-", "[x]". Suppressed counts become honest intervals.
//!
//! The symbols of the Government Statistical Service are built in, so a
//! table that uses them needs no markers file. Their meanings are those of
//! the Government Analysis Function's guidance "Symbols in tables,
//! definitions and help"
//! (https://analysisfunction.civilservice.gov.uk/policy-store/symbols-in-tables-definitions-and-help/),
//! whose current shorthand every ONS table carries:
//!
//! - `[x]` not available, `[z]` not applicable: no figure, said.
//! - `[c]` confidential: a count withheld to protect people, read as
//!   suppressed (below the response's threshold), as a force's "*" is.
//! - `[low]` a low figure that rounds to zero but is not zero: for a
//!   count, at least one and below the threshold.
//! - `[u]` low reliability, `[e]` estimated, `[p]` provisional, `[r]`
//!   revised, `[b]` break in series: qualify a figure beside them ("12
//!   [u]"), which is kept and the mark said ([`qualifier`]); alone they
//!   give no figure.
//!
//! and the older symbols that guidance replaced, still in Home Office
//! tables (ho_arrests_tables_ye_mar2019.ods keys them "' .. ' = Data not
//! available", "' - ' = Nil"): `..` not available, and `-` nil, which for
//! a whole count is zero.
//!
//! A campaign whose figures are a measure (`[measure] decimals = N`: FTE,
//! money) reads numbers with up to N decimal places exactly, as whole steps
//! of the last place ([`Scale`]); more places are refused, never rounded. A
//! spreadsheet number (a binary float) is the decimal it lies within
//! floating-point error of ([`Scale::from_f64`]). A leading currency sign
//! ("£1,234.50") is dropped. Suppression reads as for counts, in steps:
//! "<5" is 0 to 4.999999 at six places. `[low]` gives no range for a
//! measure (what rounds to zero depends on a rounding the table does not
//! say), so it is not available.
//!
//! A campaign's markers file is read first: a publisher's own key beats
//! the general convention (`-,not_available` for a force whose dash means
//! "not recorded", `[c],not_available` where secondary suppression hides
//! counts larger than the threshold), and adds marks the symbols lack.

use crate::grid::Cell;
use foi_model::config::Zeros;
use foi_model::{Crosswalk, Interval, Scale};

/// How a force writes the counts it hides.
#[derive(Debug, Clone, Copy)]
pub struct Suppression<'a> {
    pub zeros: Zeros,
    /// Counts below this are hidden, in whole units.
    pub threshold: u64,
    /// Marks and words: `suppressed`, `zero`, `not_available`.
    pub markers: Option<&'a Crosswalk>,
    /// Whole counts, or a measure's decimal places: what a figure may hold.
    pub scale: Scale,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Count(Interval),
    /// Nothing written.
    Blank,
    /// The source says there is no figure here: what its mark means ("not
    /// available", "not applicable").
    NotAvailable(&'static str),
    /// Not a count: says why.
    Invalid(String),
}

/// What a GSS shorthand mark standing alone in a count cell means.
#[derive(Clone, Copy)]
enum Symbol {
    NotAvailable(&'static str),
    Zero,
    Suppressed,
    Low,
}

/// The built-in symbols, matched without regard to case.
fn symbol(t: &str) -> Option<Symbol> {
    // Every count cell passes here: most are digits, and no symbol is
    // longer than "[low]".
    if t.len() > 5 || t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    const SYMBOLS: &[(&str, Symbol)] = &[
        ("..", Symbol::NotAvailable("not available")),
        ("[x]", Symbol::NotAvailable("not available")),
        ("[z]", Symbol::NotAvailable("not applicable")),
        ("[w]", Symbol::NotAvailable("no data")),
        (
            "[u]",
            Symbol::NotAvailable("marked as of low reliability, but no figure is given"),
        ),
        ("-", Symbol::Zero),
        ("\u{2013}", Symbol::Zero),
        ("\u{2014}", Symbol::Zero),
        ("[c]", Symbol::Suppressed),
        ("[low]", Symbol::Low),
    ];
    const QUALIFYING: &[&str] = &["[e]", "[p]", "[r]", "[b]", "[f]"];
    if let Some((_, s)) = SYMBOLS.iter().find(|(m, _)| m.eq_ignore_ascii_case(t)) {
        return Some(*s);
    }
    QUALIFYING
        .iter()
        .any(|m| m.eq_ignore_ascii_case(t))
        .then_some(Symbol::NotAvailable(
            "a mark that qualifies a figure, but no figure is given",
        ))
}

/// The GSS mark that qualifies a figure beside it ("12 [u]", "340[e]"),
/// and what it means: the figure is read as written, and the mark said.
pub fn qualifier(raw: &str) -> Option<&'static str> {
    let t = raw.trim_end();
    if !t.ends_with(']') {
        return None;
    }
    let open = t.rfind('[')?;
    if t[..open].trim().is_empty() {
        return None;
    }
    const MARKS: &[(&str, &str)] = &[
        ("[u]", "of low reliability"),
        ("[e]", "an estimate"),
        ("[p]", "provisional"),
        ("[r]", "revised"),
        ("[b]", "after a break in the series"),
        ("[f]", "a forecast"),
    ];
    let mark = &t[open..];
    MARKS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(mark))
        .map(|(_, meaning)| *meaning)
}

impl Suppression<'_> {
    /// The interval a hidden figure below `bound` (exclusive, in steps)
    /// stands for: for a count 0 (or 1) to bound - 1, for a measure down to
    /// the smallest step above zero.
    fn below(&self, bound: u64) -> Interval {
        let lo = match self.zeros {
            Zeros::Shown => 1,
            Zeros::NotStated => 0,
        };
        Interval::new(lo.min(bound.saturating_sub(1)), bound.saturating_sub(1))
    }

    /// Below the threshold, in steps.
    fn hidden(&self) -> Interval {
        self.below(self.scale.whole(self.threshold))
    }

    /// A number written as text, in steps: a whole count ("1,234"), or a
    /// measure's decimal ("1,225.8943", "£12.50").
    fn amount(&self, s: &str) -> Option<u64> {
        if self.scale.is_count() {
            whole(s)
        } else {
            self.scale.parse(without_currency(s)).ok()
        }
    }
}

/// "£1,234.50" is 1,234.50: a measure of money may carry its sign.
fn without_currency(s: &str) -> &str {
    let t = s.trim();
    t.strip_prefix(['£', '$', '€']).unwrap_or(t)
}

pub fn parse_count(cell: &Cell, sup: &Suppression) -> Parsed {
    match cell {
        Cell::Empty => Parsed::Blank,
        Cell::Number(n) => match sup.scale.from_f64(*n) {
            Ok(steps) => Parsed::Count(Interval::point(steps)),
            Err(why) => Parsed::Invalid(why),
        },
        Cell::Date(d) => Parsed::Invalid(format!("a date ({d}) where a count belongs")),
        Cell::Error(e) => Parsed::Invalid(format!("a formula error ({e})")),
        Cell::Text(t) => parse_text(t, sup),
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
            "not_available" => Parsed::NotAvailable("not available"),
            _ => Parsed::Count(sup.hidden()),
        };
    }
    if let Some(s) = symbol(t) {
        return match s {
            Symbol::NotAvailable(why) => Parsed::NotAvailable(why),
            Symbol::Zero => Parsed::Count(Interval::ZERO),
            Symbol::Suppressed => Parsed::Count(sup.hidden()),
            Symbol::Low if !sup.scale.is_count() => Parsed::NotAvailable(
                "a figure that rounds to zero, to a rounding the table does not give",
            ),
            // Not zero, so at least one whether or not the force shows zeros.
            Symbol::Low => {
                let hi = sup.threshold.saturating_sub(1).max(1);
                Parsed::Count(Interval::new(1, hi))
            }
        };
    }
    let s = strip_footnotes(t);
    let lower = s.to_ascii_lowercase();
    // "≤5", "<= 5", "5 or fewer": the bound itself may be hidden.
    for prefix in ["≤", "<=", "=<"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return match whole(rest) {
                Some(n) if n > 0 => Parsed::Count(sup.below(n + 1)),
                _ => Parsed::Invalid(format!("{t:?} is not a count")),
            };
        }
    }
    for suffix in ["or fewer", "or less", "or under"] {
        if let Some(n) = lower.strip_suffix(suffix).and_then(whole) {
            if n > 0 {
                return Parsed::Count(sup.below(n + 1));
            }
        }
    }
    // "<5", "< 5", "less than 5", "fewer than 5"
    for prefix in ["<", "less than", "fewer than"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return match sup.amount(rest) {
                Some(n) if n > 0 => Parsed::Count(sup.below(n)),
                _ => Parsed::Invalid(format!("{t:?} is not a count")),
            };
        }
    }
    // "1-4", "1 to 4": a range the force gives outright.
    for sep in ["-", "–", " to "] {
        if let Some((a, b)) = lower.split_once(sep) {
            if let (Some(a), Some(b)) = (sup.amount(a), sup.amount(b)) {
                if a <= b {
                    return Parsed::Count(Interval::new(a, b));
                }
            }
        }
    }
    if !sup.scale.is_count() {
        return match sup.scale.parse(without_currency(&s)) {
            Ok(n) => Parsed::Count(Interval::point(n)),
            Err(why) => Parsed::Invalid(why),
        };
    }
    match whole(&s) {
        Some(n) => Parsed::Count(Interval::point(n)),
        // A decimal in a campaign of counts: say how to declare a measure.
        None if Scale::measure(Scale::MAX_DECIMALS).is_some_and(|m| m.parse(&s).is_ok()) => {
            Parsed::Invalid(format!(
                "{t:?} is not a whole count (figures with decimals need [measure] decimals = N in campaign.toml)"
            ))
        }
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
            scale: Scale::COUNT,
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
        assert_eq!(c(".."), Parsed::NotAvailable("not available"));
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

    /// "≤5" hides the bound itself: 0 to 5, or 1 to 5 where the force shows
    /// its zeros; never the "<5" interval, which would leave out 5.
    #[test]
    fn at_most_includes_its_bound() {
        let s = sup(Zeros::NotStated, None);
        let shown = sup(Zeros::Shown, None);
        let i = |lo, hi| Parsed::Count(Interval::new(lo, hi));
        assert_eq!(parse_text("≤5", &s), i(0, 5));
        assert_eq!(parse_text("≤ 5", &shown), i(1, 5));
        assert_eq!(parse_text("<=3", &shown), i(1, 3));
        assert_eq!(parse_text("5 or fewer", &s), i(0, 5));
        assert_eq!(parse_text("10 or less", &shown), i(1, 10));
        assert!(matches!(parse_text("≤0", &s), Parsed::Invalid(_)));
        assert!(matches!(parse_text("≤", &s), Parsed::Invalid(_)));
        assert!(matches!(parse_text("or fewer", &s), Parsed::Invalid(_)));
    }

    #[test]
    fn gss_symbols_need_no_markers_file() {
        let s = sup(Zeros::NotStated, None);
        let c = |t: &str| parse_text(t, &s);
        let i = |lo, hi| Parsed::Count(Interval::new(lo, hi));
        assert_eq!(c(".."), Parsed::NotAvailable("not available"));
        assert_eq!(c("[x]"), Parsed::NotAvailable("not available"));
        assert_eq!(c("[X]"), Parsed::NotAvailable("not available"));
        assert_eq!(c("[z]"), Parsed::NotAvailable("not applicable"));
        // Nil: zero, in a dash of any width.
        assert_eq!(c("-"), i(0, 0));
        assert_eq!(c(" \u{2013} "), i(0, 0));
        // Confidential: suppressed below the threshold.
        assert_eq!(c("[c]"), i(0, 4));
        assert_eq!(parse_text("[c]", &sup(Zeros::Shown, None)), i(1, 4));
        // Rounds to zero but is not zero.
        assert_eq!(c("[low]"), i(1, 4));
        // A qualifying mark keeps its figure, and is said.
        assert_eq!(c("12 [u]"), i(12, 12));
        assert_eq!(qualifier("12 [u]"), Some("of low reliability"));
        assert_eq!(qualifier("1,340[e]"), Some("an estimate"));
        assert_eq!(qualifier("12"), None);
        assert_eq!(qualifier("[u]"), None);
        assert_eq!(qualifier("30 [note 2]"), None);
        // Alone, it gives no figure.
        assert!(matches!(c("[u]"), Parsed::NotAvailable(_)));
    }

    #[test]
    fn a_markers_file_beats_the_symbols() {
        let markers = Crosswalk::from_csv(
            "m.csv",
            "label,value\n-,not_available\n[c],not_available\n",
            &|_| None,
        )
        .expect("markers");
        let s = sup(Zeros::NotStated, Some(&markers));
        assert_eq!(parse_text("-", &s), Parsed::NotAvailable("not available"));
        assert_eq!(parse_text("[c]", &s), Parsed::NotAvailable("not available"));
        // The symbols it does not name keep their meaning.
        assert_eq!(
            parse_text("[z]", &s),
            Parsed::NotAvailable("not applicable")
        );
    }

    #[test]
    fn a_measure_reads_decimals_exactly_in_steps() {
        let markers = Crosswalk::from_csv("m.csv", "label,value\n*,suppressed\n", &|_| None)
            .expect("markers");
        let s = Suppression {
            zeros: Zeros::NotStated,
            threshold: 5,
            markers: Some(&markers),
            scale: Scale::measure(4).expect("four places"),
        };
        let c = |t: &str| parse_text(t, &s);
        let i = |lo, hi| Parsed::Count(Interval::new(lo, hi));
        assert_eq!(c("1225.8943"), i(12_258_943, 12_258_943));
        assert_eq!(c("1,225.89"), i(12_258_900, 12_258_900));
        assert_eq!(c("£12.50"), i(125_000, 125_000));
        assert_eq!(c("7"), i(70_000, 70_000));
        assert_eq!(c("12.5*"), i(125_000, 125_000));
        // Hidden below the threshold: 0 to 4.9999.
        assert_eq!(c("*"), i(0, 49_999));
        assert_eq!(c("<5"), i(0, 49_999));
        assert_eq!(c("<0.5"), i(0, 4_999));
        assert_eq!(c("1.5-2.5"), i(15_000, 25_000));
        assert_eq!(c("-"), i(0, 0));
        assert_eq!(c(".."), Parsed::NotAvailable("not available"));
        assert!(matches!(c("[low]"), Parsed::NotAvailable(_)));
        // More places than declared: refused, not rounded.
        match c("6405.063575") {
            Parsed::Invalid(why) => {
                assert!(why.contains("6 decimal places, more than the 4"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(c("-3.5"), Parsed::Invalid(_)));
        assert!(matches!(c("twelve"), Parsed::Invalid(_)));
        // A spreadsheet's float after adding up: 0.30000000000000004.
        assert_eq!(parse_count(&Cell::Number(0.1 + 0.2), &s), i(3_000, 3_000));
        assert_eq!(
            parse_count(&Cell::Number(1225.8943), &s),
            i(12_258_943, 12_258_943)
        );
        assert!(matches!(
            parse_count(&Cell::Number(1815.8959459459447), &s),
            Parsed::Invalid(_)
        ));
    }

    #[test]
    fn a_count_still_refuses_decimals_and_says_how_to_declare_a_measure() {
        let s = sup(Zeros::NotStated, None);
        match parse_count(&Cell::Number(1225.8943), &s) {
            Parsed::Invalid(why) => {
                assert!(
                    why.starts_with("1225.8943 is not a whole, non-negative count"),
                    "{why}"
                );
                assert!(why.contains("[measure] decimals"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_text("1,225.8943", &s),
            Parsed::Invalid("\"1,225.8943\" is not a whole count (figures with decimals need [measure] decimals = N in campaign.toml)".into())
        );
        assert_eq!(
            parse_text("twelve", &s),
            Parsed::Invalid("\"twelve\" is not a count".into())
        );
        assert!(matches!(parse_text("£12", &s), Parsed::Invalid(_)));
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
