//! Checking a force's figures against each other, and narrowing what it
//! suppressed where its own totals allow.
//!
//! A response may state the same quantity several ways: cells by offence,
//! cells by age, a totals row, a grand total. Each "grain" (the set of
//! dimensions its records carry) adds up to the force's total for the
//! request, so the total is the intersection of those sums. Each suppressed
//! cell is then narrowed: it is at least the total less everything else in
//! its grain at most, and at most the total less everything else at least.

use foi_model::config::Response;
use foi_model::{Diagnostic, DimId, Interval, Record, Status};
use std::collections::BTreeMap;

pub fn narrow(
    records: &mut [Record],
    response: &Response,
    diags: &mut Vec<Diagnostic>,
    file: &str,
) {
    if response.status == Status::Partial {
        // Some of what was asked is missing, so no grain need add up to the rest.
        return;
    }
    let mut by_request: BTreeMap<&str, BTreeMap<Vec<DimId>, Vec<usize>>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        by_request
            .entry(r.request.as_str())
            .or_default()
            .entry(r.dims.keys().cloned().collect())
            .or_default()
            .push(i);
    }
    let mut updates: Vec<(usize, Interval)> = Vec::new();
    for (request, grains) in &by_request {
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
                Diagnostic::warning(format!(
                    "the force's figures for request {request} disagree: {}; they were published as given",
                    parts.join("; ")
                ))
                .force(&response.force)
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
