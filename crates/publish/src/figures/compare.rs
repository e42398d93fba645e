//! Comparisons between requests: over every force added to each, and over
//! the matched panel.

use super::coverage::CoverageRow;
use super::national::Figure;
use super::terms::response_for;
use foi_model::config::{Config, Request};
use foi_model::{ForceId, Interval};
use std::collections::BTreeSet;

/// The change between two requests, over every force that was added to
/// each, and over the matched panel: only the forces added to both on the
/// same terms (unit and fixed definitions, neither a partial answer).
#[derive(Debug, Clone)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    /// "all_forces" or "matched_panel".
    pub basis: &'static str,
    pub forces: usize,
    pub from_total: Interval,
    pub to_total: Interval,
    /// `to - from`, as a signed interval.
    pub change: (i64, i64),
    /// Percentage change, when both totals are points and `from` is not zero.
    pub percent: Option<f64>,
    pub notes: Vec<String>,
}

fn signed(i: Interval) -> (i64, i64) {
    (i.lo as i64, i.hi as i64)
}

fn comparison(
    from: &Request,
    to: &Request,
    basis: &'static str,
    forces: &BTreeSet<ForceId>,
    figures: &[Figure],
) -> Comparison {
    let total_of = |req: &str| -> Interval {
        figures
            .iter()
            .find(|f| f.request == req && f.breakdown.is_empty())
            .map(|f| {
                f.contributions
                    .iter()
                    .filter(|c| forces.contains(&c.force))
                    .map(|c| c.interval)
                    .sum()
            })
            .unwrap_or(Interval::ZERO)
    };
    let (a, b) = (total_of(&from.id), total_of(&to.id));
    let (alo, ahi) = signed(a);
    let (blo, bhi) = signed(b);
    let change = (blo - ahi, bhi - alo);
    let percent =
        (a.is_point() && b.is_point() && a.lo > 0).then(|| (change.0 as f64) * 100.0 / a.lo as f64);
    Comparison {
        from: from.id.clone(),
        to: to.id.clone(),
        basis,
        forces: forces.len(),
        from_total: a,
        to_total: b,
        change,
        percent,
        notes: Vec::new(),
    }
}

/// The change from each request to the next, over all added forces and over
/// the matched panel, with a note for every difference that matters.
pub fn compare(config: &Config, figures: &[Figure], coverage: &[CoverageRow]) -> Vec<Comparison> {
    let requests = &config.campaign.requests;
    let mut out = Vec::new();
    for pair in requests.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        let added = |req: &str| -> BTreeSet<ForceId> {
            coverage
                .iter()
                .filter(|c| c.request == req && c.included)
                .map(|c| c.force.clone())
                .collect()
        };
        let (in_from, in_to) = (added(&from.id), added(&to.id));
        let terms = |force: &ForceId, req: &str| {
            response_for(config, force, req).map(|r| {
                (
                    r.unit.clone(),
                    r.fixed.clone(),
                    r.status == foi_model::Status::Partial,
                )
            })
        };
        let mut notes = Vec::new();
        let (p, q) = (from.period, to.period);
        if p.overlaps(&q) {
            let overlap = foi_model::Period {
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
        let mut panel = BTreeSet::new();
        let mut differ = Vec::new();
        for f in in_from.intersection(&in_to) {
            let (a, b) = (terms(f, &from.id), terms(f, &to.id));
            match (a, b) {
                (Some(a), Some(b)) if a == b && !a.2 => {
                    panel.insert(f.clone());
                }
                _ => differ.push(f.0.as_str()),
            }
        }
        if !differ.is_empty() {
            notes.push(format!(
                "answered both on different terms (unit, definitions or a partial answer), left out of the matched panel: {}",
                differ.join(", ")
            ));
        }
        let mut all = comparison(
            from,
            to,
            "all_forces",
            &in_from.union(&in_to).cloned().collect(),
            figures,
        );
        all.notes = notes.clone();
        let mut matched = comparison(from, to, "matched_panel", &panel, figures);
        matched.notes = vec![format!(
            "{} forces added to both requests on the same terms",
            panel.len()
        )];
        out.push(all);
        out.push(matched);
    }
    out
}
