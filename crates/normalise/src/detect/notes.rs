//! Footnotes that say what a column's period is. A force answering "the
//! twelve months to June 2016" may head the column "2015/16*" and say under
//! the table "* 2015/16 here covers 1 July 2015 to 30 June 2016": read
//! alone, the header names the financial year, and the request would go
//! unanswered (or, worse, another force's "2015/16" would be taken for the
//! year to June). Only a note tied to the header by its mark is believed;
//! a note that names more than one other period is doubt, never a choice.

use super::blocks::{Block, Grid};
use super::cells::Kind;
use super::period::periods;
use foi_model::Period;
use std::collections::BTreeSet;

/// How far below a table a footnote may lie.
const NOTE_ROWS: usize = 12;

/// The footnote mark a header ends with: "2015/16*" → "*", "2016 (a)" →
/// "(a)", "2016/17 [note 3]" → "[note 3]", "2016¹" → "¹".
pub fn footnote_mark(header: &str) -> Option<&str> {
    let t = header.trim_end();
    if let Some(last) = t.chars().last() {
        if matches!(last, '*' | '†' | '‡' | '¹' | '²' | '³' | '⁴' | '⁵') {
            // "**" is one mark.
            let body = t.trim_end_matches(last);
            return (!body.trim().is_empty()).then(|| &t[body.len()..]);
        }
    }
    for (open, close) in [('(', ')'), ('[', ']')] {
        if t.ends_with(close) {
            let i = t.rfind(open)?;
            let inner = t[i + 1..t.len() - 1].trim();
            let short_letter = inner.len() == 1 && inner.chars().all(|c| c.is_ascii_alphabetic());
            let numbered = inner.chars().all(|c| c.is_ascii_digit()) && !inner.is_empty();
            let note = inner
                .to_ascii_lowercase()
                .strip_prefix("note")
                .is_some_and(|n| n.trim().chars().all(|c| c.is_ascii_digit()));
            if i > 0 && (short_letter || (numbered && inner.len() <= 2) || note) {
                return Some(&t[i..]);
            }
        }
    }
    None
}

/// Whether a note is the one a mark points to: it starts with the mark
/// ("* 2015/16 here covers …", "(a) Figures for …", "Note 3: …").
pub fn note_is_for(note: &str, mark: &str) -> bool {
    let n = note.trim_start();
    if let Some(rest) = n.strip_prefix(mark) {
        // "*" must not match "**".
        let m = mark.chars().next();
        return !(m.is_some_and(|m| rest.starts_with(m)) && mark.chars().all(|c| Some(c) == m));
    }
    let inner = mark.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']'));
    if inner.to_ascii_lowercase().starts_with("note") {
        let n = n.to_ascii_lowercase();
        return n
            .strip_prefix(&inner.to_ascii_lowercase())
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()));
    }
    // "a) …", "1. …", "1 …" for marks written "(a)" or "(1)".
    mark.starts_with('(')
        && n.strip_prefix(inner)
            .is_some_and(|rest| rest.starts_with([')', '.', ' ', ':']))
}

/// What a header's footnote says its period is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Footnoted {
    /// The note names one period besides the header's own: that one.
    Period(Period),
    /// The note names several other periods: which one is unclear.
    Unclear,
}

/// The period a note gives a header that names `own`: the one period the
/// note names other than `own` (a note restating the header's own period
/// changes nothing).
pub fn period_in_note(note: &str, own: &BTreeSet<Period>) -> Option<Footnoted> {
    let other: BTreeSet<Period> = periods(note)
        .into_iter()
        .map(|n| n.period)
        .filter(|p| !own.contains(p))
        .collect();
    match other.len() {
        0 => None,
        1 => other.into_iter().next().map(Footnoted::Period),
        _ => Some(Footnoted::Unclear),
    }
}

/// Rows of text near a table that may be its notes: those below it (up to
/// the next row of figures) and its titles above. Row index and text.
pub fn notes_near(g: &Grid, b: &Block) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let last = b.rows.last().copied().unwrap_or(0);
    let height = g.sheet.rows.len();
    for r in last + 1..height.min(last + 1 + NOTE_ROWS) {
        let filled = g.filled(r);
        let figures = filled
            .iter()
            .filter(|&&c| matches!(g.kind(r, c), Kind::Count | Kind::Mark))
            .count();
        if figures >= 2 {
            break;
        }
        if !filled.is_empty() {
            out.push((r, super::row_text(g, r)));
        }
    }
    out.extend(b.titles.iter().map(|&(r, _)| (r, super::row_text(g, r))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn period(a: (i32, u32, u32), b: (i32, u32, u32)) -> Period {
        let d = |(y, m, dd): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        Period::new(d(a), d(b)).expect("period")
    }

    #[test]
    fn marks_a_header_may_end_with() {
        assert_eq!(footnote_mark("2015/16*"), Some("*"));
        assert_eq!(footnote_mark("2015/16 **"), Some("**"));
        assert_eq!(footnote_mark("2016 (a)"), Some("(a)"));
        assert_eq!(footnote_mark("2016/17 [note 3]"), Some("[note 3]"));
        assert_eq!(footnote_mark("2016/17 (1)"), Some("(1)"));
        assert_eq!(footnote_mark("2016¹"), Some("¹"));
        // No mark: a plain header, a mark alone, a qualifier in brackets.
        assert_eq!(footnote_mark("2016/17"), None);
        assert_eq!(footnote_mark("*"), None);
        assert_eq!(footnote_mark("2015/16 (Jul-Jun)"), None);
        assert_eq!(footnote_mark("Total (2016)"), None);
    }

    #[test]
    fn a_note_answers_to_its_own_mark_only() {
        assert!(note_is_for("* 2015/16 here covers …", "*"));
        assert!(note_is_for("  *2015/16 here covers …", "*"));
        assert!(!note_is_for("** provisional", "*"));
        assert!(note_is_for("** provisional", "**"));
        assert!(note_is_for("(a) July to June", "(a)"));
        assert!(note_is_for("a) July to June", "(a)"));
        assert!(note_is_for("Note 3: July to June", "[note 3]"));
        assert!(!note_is_for("Note 31: July to June", "[note 3]"));
        assert!(note_is_for("1. July to June", "(1)"));
        assert!(!note_is_for("12 months to June", "(1)"));
        assert!(!note_is_for("Figures are by financial year", "*"));
    }

    /// The note's period is the one it names besides the header's: "2015/16
    /// here covers 1 July 2015 to 30 June 2016" gives the year to June.
    #[test]
    fn a_note_gives_the_period_it_names_besides_the_headers() {
        let fy1516 = period((2015, 4, 1), (2016, 3, 31));
        let ye_jun16 = period((2015, 7, 1), (2016, 6, 30));
        let own = BTreeSet::from([fy1516]);
        assert_eq!(
            period_in_note(
                "* 2015/16 here covers 1 July 2015 to 30 June 2016, the twelve months you asked for, not the financial year.",
                &own
            ),
            Some(Footnoted::Period(ye_jun16))
        );
        // Restating the header's own period changes nothing.
        assert_eq!(
            period_in_note(
                "* 2015/16 is the financial year, 1 April 2015 to 31 March 2016",
                &own
            ),
            None
        );
        assert_eq!(period_in_note("* provisional figures", &own), None);
        // Two other periods: unclear, never a choice.
        assert_eq!(
            period_in_note(
                "* 1 July 2015 to 30 June 2016 for offences, 1 January 2015 to 31 December 2015 for victims",
                &own
            ),
            Some(Footnoted::Unclear)
        );
    }
}
