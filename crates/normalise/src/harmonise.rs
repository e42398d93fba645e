//! Checking a force's figures against each other, and narrowing what it
//! suppressed where its own totals allow.
//!
//! A response may state the same quantity several ways: cells by offence,
//! cells by age, a totals row, a grand total. Each "grain" (the set of
//! dimensions its records carry) adds up to the force's total for the
//! request, so the total is the intersection of those sums. Each suppressed
//! cell is then narrowed: it is at least the total less everything else in
//! its grain at most, and at most the total less everything else at least.

use foi_model::config::{Campaign, Response};
use foi_model::{
    Diagnostic, DiagnosticKind as Kind, DimId, DimValue, ForceId, Interval, Record, Status,
};
use std::collections::{BTreeMap, BTreeSet};

/// Whose figures are compared: force, request, and the values of the
/// campaign's overlapping dimensions.
pub type Context = (ForceId, String, BTreeMap<DimId, DimValue>);

/// A record's overlapping dimension values, and its grain: the other
/// dimensions it carries.
pub fn split(campaign: &Campaign, r: &Record) -> (BTreeMap<DimId, DimValue>, Vec<DimId>) {
    let overlapping = |d: &DimId| campaign.dimension(d).is_some_and(|x| x.overlapping);
    let context = r
        .dims
        .iter()
        .filter(|(d, _)| overlapping(d))
        .map(|(d, v)| (d.clone(), v.clone()))
        .collect();
    let grain = r.dims.keys().filter(|d| !overlapping(d)).cloned().collect();
    (context, grain)
}

/// Checks each force's grains against each other and narrows suppressed
/// cells by them. `left_out` says, by force (`None`: every force), why
/// some of its figures were not read: that force's grains then need not
/// add up, so they are neither checked nor narrowed; the cause is the one
/// report.
pub fn narrow(
    records: &mut [Record],
    campaign: &Campaign,
    response: &Response,
    left_out: &BTreeMap<Option<ForceId>, BTreeSet<String>>,
    diags: &mut Vec<Diagnostic>,
    file: &str,
) {
    if response.status == Status::Partial {
        // Some of what was asked is missing, so no grain need add up to the rest.
        return;
    }
    // Values of an overlapping dimension (a group and its sub-groups) never
    // add up, so each value is checked on its own: records are compared
    // only with records of the same overlapping values.
    let mut by_request: BTreeMap<Context, BTreeMap<Vec<DimId>, Vec<usize>>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        let (context, grain) = split(campaign, r);
        by_request
            .entry((r.force.clone(), r.request.clone(), context))
            .or_default()
            .entry(grain)
            .or_default()
            .push(i);
    }
    let mut updates: Vec<(usize, Interval)> = Vec::new();
    for ((force, request, context), grains) in &by_request {
        if grains.len() < 2 {
            continue;
        }
        let sums: Vec<(&Vec<DimId>, Interval)> = grains
            .iter()
            .map(|(g, idx)| (g, idx.iter().map(|&i| records[i].count.interval).sum()))
            .collect();
        let total = sums
            .iter()
            .try_fold(Interval::new(0, u64::MAX), |acc, (_, s)| acc.intersect(s));
        // Figures left out: the grains need not add up, and the cause was
        // reported where it was found. A disagreement here would only be
        // its echo, and narrowing by a total short of parts would push
        // suppressed cells up.
        if left_out.contains_key(&Some(force.clone())) || left_out.contains_key(&None) {
            continue;
        }
        let Some(total) = total else {
            let parts: Vec<String> = grains
                .iter()
                .zip(&sums)
                .map(|((g, idx), (_, s))| {
                    let cells: Vec<String> =
                        idx.iter().map(|&i| records[i].lineage.describe()).collect();
                    format!(
                        "by {} they add up to {s} ({})",
                        foi_model::record_grain_name(g.iter()),
                        abbreviate(&cells)
                    )
                })
                .collect();
            diags.push(
                Diagnostic::warning(Kind::Disagreement, format!(
                    "the force's figures for request {request}{} disagree: {}; they were published as given",
                    if context.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", crate::describe_dims(context))
                    },
                    parts.join("; ")
                ))
                .force(force)
                .request(request)
                .file(file.to_string()),
            );
            continue;
        };
        for ((_, idx), (_, sum)) in grains.iter().zip(&sums) {
            for &i in idx {
                let own = records[i].count.interval;
                if own.is_point() {
                    continue;
                }
                let others_lo = sum.lo - own.lo;
                let others_hi = sum.hi - own.hi;
                let narrowed = Interval {
                    lo: own.lo.max(total.lo.saturating_sub(others_hi)),
                    hi: own.hi.min(total.hi.saturating_sub(others_lo)),
                };
                if narrowed != own && narrowed.lo <= narrowed.hi {
                    updates.push((i, narrowed));
                }
            }
        }
    }
    for (i, iv) in updates {
        records[i].count.interval = iv;
    }
}

fn abbreviate(cells: &[String]) -> String {
    if cells.len() <= 4 {
        cells.join(", ")
    } else {
        format!("{}, … {} cells", cells[..3].join(", "), cells.len())
    }
}
