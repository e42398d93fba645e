//! Checking every total a force states against the figures it totals, and
//! narrowing what the force suppressed by all of its totals together.
//!
//! A response may state the same quantity several ways: the cells of a
//! cross-tab, a total for every row and every column, a grand total, a
//! separate table by age. A record's grain is the set of dimensions it
//! carries; a record of a coarser grain totals the records of each finer
//! grain that agree with it on its dimensions (the row total for
//! victim_age=13 totals that row's cells; the grand total totals every
//! row total, every column total and every cell). Each such total is a
//! [`Sum`]: every one is checked and published in reconciliation.csv, and
//! all of them narrow suppressed cells at once ([`solve`]).
//!
//! Two grains of which neither is coarser (an offence table and an age
//! table) each add up to the force's total even when no total is stated:
//! an unstated total stands between them, so they are checked against
//! each other and narrow each other too.

use crate::solve::{solve, Sum};
use foi_model::config::{Campaign, Response};
use foi_model::{
    Check, Diagnostic, DiagnosticKind as Kind, DimId, DimValue, ForceId, Interval, Record, Status,
};
use std::collections::{BTreeMap, BTreeSet};

/// Whose figures are compared: force, request, and the values of the
/// campaign's overlapping dimensions.
type Context = (ForceId, String, BTreeMap<DimId, DimValue>);

/// A grain: the (non-overlapping) dimensions a record carries.
type Grain = BTreeSet<DimId>;

/// A record's overlapping dimension values, and its grain.
fn split(campaign: &Campaign, r: &Record) -> (BTreeMap<DimId, DimValue>, Grain) {
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

/// A record's values of the dimensions in `grain`.
fn restrict(r: &Record, grain: &Grain) -> Vec<DimValue> {
    grain
        .iter()
        .filter_map(|d| r.dims.get(d).cloned())
        .collect()
}

fn grain_name(g: &Grain) -> String {
    foi_model::record_grain_name(g.iter())
}

/// "victim_age=13": the values that pick out a total, without the
/// dimensions the response fixes for every figure (they pick out nothing).
fn describe(
    grain: &Grain,
    key: &[DimValue],
    context: &BTreeMap<DimId, DimValue>,
    fixed: &BTreeMap<DimId, DimValue>,
) -> String {
    grain
        .iter()
        .zip(key)
        .filter(|(d, _)| !fixed.contains_key(*d))
        .map(|(d, v)| format!("{d}={v}"))
        .chain(context.iter().map(|(d, v)| format!("{d}={v}")))
        .collect::<Vec<_>>()
        .join(",")
}

fn abbreviate(cells: &[String]) -> String {
    if cells.len() <= 4 {
        cells.join("; ")
    } else {
        format!("{}; … {} cells", cells[..3].join("; "), cells.len())
    }
}

/// One figure of a comparison: a record, or a total nobody stated.
#[derive(Debug, Clone, Copy)]
enum Node {
    Record(usize),
    Unstated,
}

/// What a [`Sum`] is, for its check and for the lineage of what it narrows.
struct Meaning {
    /// The grain and key of the total.
    grain: Grain,
    key: Vec<DimValue>,
    /// The grain of the parts.
    parts_grain: Grain,
    /// For an unstated total: the other grains that also add up to it.
    others: Vec<Grain>,
}

/// Checks every total the force states and narrows suppressed cells by all
/// of them; returns the checks, one per stated total and finer grain (and
/// per pair of grains tied by an unstated total), for reconciliation.csv.
///
/// `left_out` says, by force (`None`: every force), why some of its
/// figures were not read: that force's totals then need not add up, so
/// they are neither checked nor narrowed (the cause is the one report). A
/// partial answer's totals are checked but narrow nothing: what is missing
/// need not be in its cells.
pub fn narrow(
    records: &mut [Record],
    campaign: &Campaign,
    response: &Response,
    left_out: &BTreeMap<Option<ForceId>, BTreeSet<String>>,
    diags: &mut Vec<Diagnostic>,
    file: &str,
) -> Vec<Check> {
    // Values of an overlapping dimension (a group and its sub-groups) never
    // add up, so each value is checked on its own.
    let mut contexts: BTreeMap<Context, BTreeMap<Grain, Vec<usize>>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        let (context, grain) = split(campaign, r);
        contexts
            .entry((r.force.clone(), r.request.clone(), context))
            .or_default()
            .entry(grain)
            .or_default()
            .push(i);
    }
    let mut checks = Vec::new();
    for ((force, request, context), grains) in &contexts {
        if grains.len() < 2
            || left_out.contains_key(&Some(force.clone()))
            || left_out.contains_key(&None)
        {
            continue;
        }
        let narrowing = response.status != Status::Partial;
        let solved = one_context(records, grains, context, &response.fixed, narrowing);
        for c in &solved.checks {
            checks.push(Check {
                request: request.clone(),
                scope: force.0.clone(),
                label: c.label.clone(),
                breakdown: c.breakdown.clone(),
                stated: c.stated,
                computed: c.computed,
                source: file.to_string(),
                cells: c.cells.clone(),
                parts: c.parts.clone(),
            });
        }
        if solved.inconsistent {
            diags.push(
                Diagnostic::warning(
                    Kind::Disagreement,
                    format!(
                        "the force's totals for request {request}{} each hold alone but cannot all hold together; nothing was narrowed and the figures were published as given",
                        if context.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", crate::describe_dims(context))
                        }
                    ),
                )
                .force(force)
                .request(request)
                .file(file.to_string()),
            );
        }
        for (i, interval, by) in solved.narrowed {
            records[i].count.interval = interval;
            for b in by {
                if !records[i].lineage.narrowed_by.contains(&b) {
                    records[i].lineage.narrowed_by.push(b);
                }
            }
        }
    }
    checks
}

/// A check before it is placed (force, request and file are the caller's).
struct Found {
    label: String,
    breakdown: String,
    stated: Interval,
    computed: Interval,
    cells: String,
    parts: String,
}

struct Solved {
    checks: Vec<Found>,
    /// Record index, its narrowed interval, and what narrowed it.
    narrowed: Vec<(usize, Interval, Vec<String>)>,
    inconsistent: bool,
}

fn one_context(
    records: &[Record],
    grains: &BTreeMap<Grain, Vec<usize>>,
    context: &BTreeMap<DimId, DimValue>,
    fixed: &BTreeMap<DimId, DimValue>,
    narrowing: bool,
) -> Solved {
    let real: Vec<&Grain> = grains.keys().collect();
    // Every grain two stated grains have in common, down to the total:
    // where none is stated, an unstated total ties them.
    let mut all: BTreeSet<Grain> = real.iter().map(|g| (*g).clone()).collect();
    loop {
        let mut more = Vec::new();
        for a in &all {
            for b in &all {
                let c: Grain = a.intersection(b).cloned().collect();
                if !all.contains(&c) {
                    more.push(c);
                }
            }
        }
        if more.is_empty() {
            break;
        }
        all.extend(more);
    }
    // The values: every record's, then each unstated total's.
    let mut nodes: Vec<Node> = Vec::new();
    let mut values: Vec<Interval> = Vec::new();
    let mut node_of: BTreeMap<(Grain, Vec<DimValue>), usize> = BTreeMap::new();
    for (g, idx) in grains {
        for &i in idx {
            node_of.insert((g.clone(), restrict(&records[i], g)), nodes.len());
            nodes.push(Node::Record(i));
            values.push(records[i].count.interval);
        }
    }
    for c in all.iter().filter(|c| !grains.contains_key(*c)) {
        for idx in grains
            .iter()
            .filter(|(g, _)| c.is_subset(g))
            .map(|(_, idx)| idx)
        {
            for &i in idx {
                let key = (c.clone(), restrict(&records[i], c));
                if let std::collections::btree_map::Entry::Vacant(e) = node_of.entry(key) {
                    e.insert(nodes.len());
                    nodes.push(Node::Unstated);
                    values.push(Interval::new(0, u64::MAX));
                }
            }
        }
    }
    // Each total (stated or not) equals the sum of each finer stated
    // grain's records that agree with it.
    let mut sums: Vec<Sum> = Vec::new();
    let mut meanings: Vec<Meaning> = Vec::new();
    for ((c, key), &parent) in &node_of {
        for h in real.iter().filter(|h| c.len() < h.len() && c.is_subset(h)) {
            let parts: Vec<usize> = grains[*h]
                .iter()
                .filter(|&&i| restrict(&records[i], c) == *key)
                .map(|&i| node_of[&((*h).clone(), restrict(&records[i], h))])
                .collect();
            let others: Vec<Grain> = real
                .iter()
                .filter(|g| *g != h && c.is_subset(g) && c != **g)
                .map(|g| (*g).clone())
                .collect();
            sums.push(Sum { parent, parts });
            meanings.push(Meaning {
                grain: c.clone(),
                key: key.clone(),
                parts_grain: (*h).clone(),
                others,
            });
        }
    }
    let cells_of = |parts: &[usize]| -> String {
        abbreviate(
            &parts
                .iter()
                .filter_map(|&n| match nodes[n] {
                    Node::Record(i) => Some(records[i].lineage.describe()),
                    Node::Unstated => None,
                })
                .collect::<Vec<_>>(),
        )
    };
    let sum_of = |parts: &[usize]| -> Interval { parts.iter().map(|&n| values[n]).sum() };
    // The checks a reader looks for: each stated total against each finer
    // stated grain with none stated between them, and, where a total is
    // unstated, the first finer grain's sum against each other's.
    let mut checks = Vec::new();
    for (k, (sum, m)) in sums.iter().zip(&meanings).enumerate() {
        let between = real.iter().any(|b| {
            m.grain.len() < b.len()
                && b.len() < m.parts_grain.len()
                && m.grain.is_subset(b)
                && b.is_subset(&m.parts_grain)
        });
        if between {
            continue;
        }
        match nodes[sum.parent] {
            Node::Record(i) => checks.push(Found {
                label: format!(
                    "{} against {}",
                    grain_name(&m.grain),
                    grain_name(&m.parts_grain)
                ),
                breakdown: describe(&m.grain, &m.key, context, fixed),
                stated: records[i].count.interval,
                computed: sum_of(&sum.parts),
                cells: records[i].lineage.describe(),
                parts: cells_of(&sum.parts),
            }),
            Node::Unstated => {
                // Compared with the first grain that adds up to the same
                // unstated total; the first itself is not compared.
                let Some(first) = sums[..k]
                    .iter()
                    .zip(&meanings)
                    .find(|(s, _)| s.parent == sum.parent)
                else {
                    continue;
                };
                checks.push(Found {
                    label: format!(
                        "{} against {}",
                        grain_name(&first.1.parts_grain),
                        grain_name(&m.parts_grain)
                    ),
                    breakdown: describe(&m.grain, &m.key, context, fixed),
                    stated: sum_of(&first.0.parts),
                    computed: sum_of(&sum.parts),
                    cells: cells_of(&first.0.parts),
                    parts: cells_of(&sum.parts),
                });
            }
        }
    }
    let mut narrowed = Vec::new();
    let mut inconsistent = false;
    if narrowing {
        let solved = solve(&values, &sums);
        inconsistent = solved.inconsistent;
        let what = |k: usize, n: usize| -> String {
            let m = &meanings[k];
            if sums[k].parent == n {
                return format!(
                    "the figures it totals by {} ({})",
                    grain_name(&m.parts_grain),
                    cells_of(&sums[k].parts)
                );
            }
            let at = describe(&m.grain, &m.key, &BTreeMap::new(), fixed);
            match nodes[sums[k].parent] {
                Node::Record(i) => format!(
                    "the stated {} at {}",
                    if at.is_empty() {
                        "total".to_string()
                    } else {
                        format!("total for {at}")
                    },
                    records[i].lineage.describe()
                ),
                Node::Unstated => format!(
                    "the sum of the figures by {}{}",
                    m.others
                        .iter()
                        .map(grain_name)
                        .collect::<Vec<_>>()
                        .join(" and by "),
                    if at.is_empty() {
                        String::new()
                    } else {
                        format!(" for {at}")
                    }
                ),
            }
        };
        for (n, node) in nodes.iter().enumerate() {
            let Node::Record(i) = *node else { continue };
            if solved.values[n] != values[n] {
                let by: Vec<String> = solved.narrowed_by[n].iter().map(|&k| what(k, n)).collect();
                narrowed.push((i, solved.values[n], by));
            }
        }
    }
    // A broken sum is reported by its check (reconciliation.csv, and a
    // warning for each check that does not agree); it narrows nothing.
    Solved {
        checks,
        narrowed,
        inconsistent,
    }
}
