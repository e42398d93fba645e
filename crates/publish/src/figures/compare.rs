//! Comparisons between requests: the matched panel first, then every force
//! added to each.
//!
//! The rule: a change is a like-for-like change or it is not given.
//! - The matched panel holds only the forces added to both requests on the
//!   same terms: the same unit and fixed definitions in both, and neither
//!   answer incomplete (a partial answer, figures covering part of the
//!   period, rows left out for unmapped labels, cells marked not
//!   available). Its change comes first: it is the one to quote.
//! - The change over all forces is given only when the same forces were
//!   added to both requests. When the sets differ, each total is still
//!   shown over its own forces, but no change or percentage is worked out
//!   between them, and the comparison says plainly why ("ye-jun-2016 has 1
//!   force and fy-2016-17 has 5"): a change over different forces measures
//!   who answered as much as what happened.
//! - A percentage needs both totals exact and the first above zero.

use super::coverage::CoverageRow;
use super::national::Figure;
use foi_model::config::{Config, Request};
use foi_model::{ForceId, Interval, Period};
use std::collections::BTreeSet;

/// The forces a comparison is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Only the forces added to both requests on the same terms.
    MatchedPanel,
    /// Every force added to either request.
    AllForces,
}

impl Basis {
    /// As comparisons.csv's `basis` writes it.
    pub fn code(&self) -> &'static str {
        match self {
            Basis::MatchedPanel => "matched_panel",
            Basis::AllForces => "all_forces",
        }
    }
}

/// The change between two requests over one set of forces.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    pub basis: Basis,
    /// The forces compared: the panel, or every force added to either.
    pub forces: usize,
    /// How many forces each total is over.
    pub from_forces: usize,
    pub to_forces: usize,
    pub from_total: Interval,
    pub to_total: Interval,
    /// `to - from`, as a signed interval; `None` when not comparable.
    pub change: Option<(i64, i64)>,
    /// Percentage change, when comparable, both totals are points and
    /// `from` is not zero.
    pub percent: Option<f64>,
    /// Why no change is given: "ye-jun-2016 has 1 force and fy-2016-17 has 5".
    pub not_comparable: Option<String>,
    pub notes: Vec<String>,
}

impl Comparison {
    pub fn comparable(&self) -> bool {
        self.change.is_some()
    }
}

fn signed(i: Interval) -> (i64, i64) {
    (i.lo as i64, i.hi as i64)
}

fn forces_word(n: usize) -> String {
    format!("{n} {}", if n == 1 { "force" } else { "forces" })
}

/// The total of a request's national figure over `forces`.
fn total_over(figures: &[Figure], request: &str, forces: &BTreeSet<ForceId>) -> Interval {
    figures
        .iter()
        .find(|f| f.request == request && f.breakdown.is_empty())
        .map(|f| {
            f.contributions
                .iter()
                .filter(|c| forces.contains(&c.force))
                .map(|c| c.interval)
                .sum()
        })
        .unwrap_or(Interval::ZERO)
}

/// The change from `a` to `b`, and its percentage when both are exact.
fn change(a: Interval, b: Interval) -> ((i64, i64), Option<f64>) {
    let (alo, ahi) = signed(a);
    let (blo, bhi) = signed(b);
    let change = (blo - ahi, bhi - alo);
    let percent =
        (a.is_point() && b.is_point() && a.lo > 0).then(|| (change.0 as f64) * 100.0 / a.lo as f64);
    (change, percent)
}

/// Why two sets of forces cannot be compared, or `None` when they can.
fn why_not(from: &str, to: &str, a: &BTreeSet<ForceId>, b: &BTreeSet<ForceId>) -> Option<String> {
    if a.is_empty() && b.is_empty() {
        Some("no force was added to either".into())
    } else if a.len() != b.len() {
        Some(format!(
            "{from} has {} and {to} has {}",
            forces_word(a.len()),
            b.len()
        ))
    } else if a != b {
        Some(format!(
            "{from} and {to} each have {}, but not the same ones",
            forces_word(a.len())
        ))
    } else {
        None
    }
}

/// Notes on the periods: overlapping, or of different lengths.
fn period_notes(p: Period, q: Period) -> Vec<String> {
    let mut notes = Vec::new();
    if p.overlaps(&q) {
        let overlap = Period {
            from: p.from.max(q.from),
            to: p.to.min(q.to),
        };
        notes.push(format!(
            "the periods overlap by {} days ({overlap}): offences recorded then are counted in both",
            overlap.days()
        ));
    }
    if p.days() != q.days() {
        notes.push(format!(
            "the periods differ in length: {} days and {} days",
            p.days(),
            q.days()
        ));
    }
    notes
}

/// The forces added to `request`, and their rows.
fn added<'c>(coverage: &'c [CoverageRow], request: &str) -> Vec<&'c CoverageRow> {
    coverage
        .iter()
        .filter(|c| c.request == request && c.included)
        .collect()
}

/// Whether a force's two rows are on the same terms, neither incomplete.
fn same_terms(a: &CoverageRow, b: &CoverageRow) -> bool {
    a.unit == b.unit
        && a.fixed == b.fixed
        && !a.reasons.iter().chain(&b.reasons).any(|r| r.incomplete())
}

/// The matched panel and the all-forces comparison for one pair of requests.
fn pair(
    from: &Request,
    to: &Request,
    figures: &[Figure],
    coverage: &[CoverageRow],
) -> [Comparison; 2] {
    let (rows_from, rows_to) = (added(coverage, &from.id), added(coverage, &to.id));
    let ids = |rows: &[&CoverageRow]| -> BTreeSet<ForceId> {
        rows.iter().map(|c| c.force.clone()).collect()
    };
    let (in_from, in_to) = (ids(&rows_from), ids(&rows_to));
    let mut panel = BTreeSet::new();
    let mut differ = Vec::new();
    for a in &rows_from {
        let Some(b) = rows_to.iter().find(|b| b.force == a.force) else {
            continue;
        };
        if same_terms(a, b) {
            panel.insert(a.force.clone());
        } else {
            differ.push(a.force.0.as_str());
        }
    }
    let periods = period_notes(from.period, to.period);

    let mut notes = periods.clone();
    let only_from: Vec<&str> = in_from.difference(&in_to).map(|f| f.0.as_str()).collect();
    let only_to: Vec<&str> = in_to.difference(&in_from).map(|f| f.0.as_str()).collect();
    if !only_from.is_empty() {
        notes.push(format!(
            "added to {} only: {}",
            from.id,
            only_from.join(", ")
        ));
    }
    if !only_to.is_empty() {
        notes.push(format!("added to {} only: {}", to.id, only_to.join(", ")));
    }
    if !differ.is_empty() {
        notes.push(format!(
            "answered both on different terms (unit, definitions, a partial answer or period, rows left out), left out of the matched panel: {}",
            differ.join(", ")
        ));
    }
    let all = over(from, to, Basis::AllForces, &in_from, &in_to, figures, notes);

    let mut notes = vec![format!(
        "{} added to both requests on the same terms",
        forces_word(panel.len())
    )];
    notes.extend(periods);
    let matched = over(
        from,
        to,
        Basis::MatchedPanel,
        &panel,
        &panel,
        figures,
        notes,
    );
    [matched, all]
}

/// The comparison of `from` over `a` with `to` over `b`.
fn over(
    from: &Request,
    to: &Request,
    basis: Basis,
    a: &BTreeSet<ForceId>,
    b: &BTreeSet<ForceId>,
    figures: &[Figure],
    mut notes: Vec<String>,
) -> Comparison {
    let (from_total, to_total) = (
        total_over(figures, &from.id, a),
        total_over(figures, &to.id, b),
    );
    let not_comparable = match basis {
        Basis::MatchedPanel if a.is_empty() => {
            Some("no force was added to both on the same terms".to_string())
        }
        Basis::MatchedPanel => None,
        Basis::AllForces => why_not(&from.id, &to.id, a, b),
    };
    let (change, percent) = match &not_comparable {
        Some(why) => {
            notes.insert(0, format!("not comparable: {why}"));
            (None, None)
        }
        None => {
            let (c, p) = change(from_total, to_total);
            (Some(c), p)
        }
    };
    Comparison {
        from: from.id.clone(),
        to: to.id.clone(),
        basis,
        forces: a.union(b).count(),
        from_forces: a.len(),
        to_forces: b.len(),
        from_total,
        to_total,
        change,
        percent,
        not_comparable,
        notes,
    }
}

/// The change from each request to the next: the matched panel, then
/// every force, with a note for every difference that matters.
pub fn compare(config: &Config, figures: &[Figure], coverage: &[CoverageRow]) -> Vec<Comparison> {
    config
        .campaign
        .requests
        .windows(2)
        .flat_map(|w| pair(&w[0], &w[1], figures, coverage))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{answered, config, record};
    use crate::figures::{assemble, Gaps};
    use foi_model::Record;

    /// Every force answered both years unless `only` says otherwise.
    fn comparisons(responses: &[(&str, String)], records: &[Record]) -> Vec<Comparison> {
        let c = config(responses);
        assemble(&c, records, &[], &[], &Gaps::default()).comparisons
    }

    fn both(force: &str) -> (&str, String) {
        (force, answered(Some(force), &["y1", "y2"], ""))
    }

    fn totals(force: &str, y1: u64, y2: u64) -> Vec<Record> {
        vec![
            record(force, "y1", &[], y1, y1),
            record(force, "y2", &[], y2, y2),
        ]
    }

    #[test]
    fn the_matched_panel_comes_first_and_a_change_over_different_forces_is_not_given() {
        // The case: one force added to y1, four to y2.
        let mut records = totals("alpha", 128, 130);
        for f in ["beta", "gamma", "delta"] {
            records.push(record(f, "y2", &[], 700, 700));
        }
        let responses = [
            both("alpha"),
            ("beta", answered(Some("beta"), &["y2"], "")),
            ("gamma", answered(Some("gamma"), &["y2"], "")),
            ("delta", answered(Some("delta"), &["y2"], "")),
        ];
        let cmp = comparisons(&responses, &records);
        assert_eq!(cmp.len(), 2);
        let (panel, all) = (&cmp[0], &cmp[1]);
        assert_eq!(panel.basis, Basis::MatchedPanel, "the panel first");
        assert_eq!(panel.forces, 1);
        assert_eq!(panel.change, Some((2, 2)));
        assert_eq!(panel.percent.map(|p| (p * 10.0).round() / 10.0), Some(1.6));
        assert_eq!(all.basis, Basis::AllForces);
        assert!(!all.comparable());
        assert_eq!(all.percent, None);
        assert_eq!((all.from_forces, all.to_forces, all.forces), (1, 4, 4));
        assert_eq!(all.from_total, Interval::point(128));
        assert_eq!(all.to_total, Interval::point(2230));
        assert_eq!(
            all.not_comparable.as_deref(),
            Some("y1 has 1 force and y2 has 4")
        );
        assert_eq!(all.notes[0], "not comparable: y1 has 1 force and y2 has 4");
    }

    #[test]
    fn over_the_same_forces_the_change_is_given() {
        let mut records = totals("alpha", 10, 15);
        records.extend(totals("beta", 10, 5));
        let cmp = comparisons(&[both("alpha"), both("beta")], &records);
        let all = &cmp[1];
        assert!(all.comparable());
        assert_eq!(all.change, Some((0, 0)));
        assert_eq!(all.percent, Some(0.0));
        assert_eq!(all.forces, 2);
    }

    #[test]
    fn as_many_forces_but_not_the_same_ones_are_not_comparable() {
        let records = vec![
            record("alpha", "y1", &[], 10, 10),
            record("beta", "y2", &[], 12, 12),
        ];
        let cmp = comparisons(&[both("alpha"), both("beta")], &records);
        let (panel, all) = (&cmp[0], &cmp[1]);
        assert_eq!(
            all.not_comparable.as_deref(),
            Some("y1 and y2 each have 1 force, but not the same ones")
        );
        // Nobody answered both: the panel is empty, and says so.
        assert_eq!(panel.forces, 0);
        assert!(!panel.comparable());
        assert_eq!(
            panel.not_comparable.as_deref(),
            Some("no force was added to both on the same terms")
        );
    }

    #[test]
    fn the_matched_panel_holds_only_forces_added_to_both_on_the_same_terms() {
        let responses = [
            (
                "alpha",
                answered(
                    Some("alpha"),
                    &["y1", "y2"],
                    "fixed = { online_method = \"cyber_flag\" }",
                ),
            ),
            // Cyber flag one year, keyword search the next.
            (
                "beta-y1",
                answered(
                    Some("beta"),
                    &["y1"],
                    "fixed = { online_method = \"cyber_flag\" }",
                ),
            ),
            (
                "beta-y2",
                answered(
                    Some("beta"),
                    &["y2"],
                    "fixed = { online_method = \"keyword_search\" }",
                ),
            ),
            // A partial answer.
            (
                "gamma",
                answered(
                    Some("gamma"),
                    &["y1", "y2"],
                    "status = \"partial\"\nfixed = { online_method = \"cyber_flag\" }",
                ),
            ),
            (
                "delta",
                answered(
                    Some("delta"),
                    &["y1", "y2"],
                    "fixed = { online_method = \"cyber_flag\" }",
                ),
            ),
        ];
        let mut records = Vec::new();
        for f in ["alpha", "beta", "gamma"] {
            records.extend(totals(f, 10, 20));
        }
        // Delta's y2 rows cover April to September only.
        records.extend(totals("delta", 10, 20));
        let p = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        records[7].covered = Period::new(p(2016, 4, 1), p(2016, 9, 30));
        let cmp = comparisons(&responses, &records);
        let (panel, all) = (&cmp[0], &cmp[1]);
        assert_eq!(panel.forces, 1, "alpha alone");
        assert_eq!(panel.from_total, Interval::point(10));
        assert!(all.comparable(), "the same four forces in both");
        assert_eq!(all.change, Some((40, 40)));
        assert!(
            all.notes
                .iter()
                .any(|n| n.ends_with("left out of the matched panel: beta, gamma, delta")),
            "{:?}",
            all.notes
        );
    }
}
