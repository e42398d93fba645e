//! foi-publish: canonical records in, national tables out.
//!
//! ```text
//! assemble(&config, &records, &aggregates, &gaps) -> Release   pure: figures, tables, headline
//! write(&release, dir) -> Vec<Output>    CSV, Parquet, xlsx, datapackage.json, summary.html
//! ```
//!
//! Every published figure is an [`Interval`] with its contributions kept
//! ([`Figure::contributions`]), so `foi explain` can walk any national number
//! back to the cells it came from, and the contributions always add up.
//!
//! Rules that decide what is added up:
//! - A force's figure for a breakdown comes from one grain of its records
//!   (the set of dimensions they carry), never from two added together.
//!   Among the grains that carry the breakdown's dimensions, the one whose
//!   sum is narrowest is used (a stated total beats cells with suppression).
//! - A response for a period other than the request's is never added: it is
//!   listed in coverage with the reason.
//! - A response counting another unit, or differing from most forces in a
//!   fixed dimension (e.g. online element found by keyword search), is added
//!   and flagged.

mod datapackage;
mod html;
mod table;
mod xlsx;

pub use datapackage::datapackage;
pub use html::summary_html;
pub use table::{neutralise, write_atomic, write_atomic_unsynced, Kind, Table, Value};
pub use xlsx::{show_range, thousands, workbook_bytes};

use foi_model::config::{Config, Response};
use foi_model::{Aggregate, DimId, DimValue, ForceId, Interval, Record};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("could not build table {table}: {reason}")]
    Table { table: String, reason: String },
}

/// One force's part of a figure, and the records it was read from.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub force: ForceId,
    pub interval: Interval,
    pub flagged: bool,
    /// Indexes into the records given to [`assemble`].
    pub records: Vec<usize>,
}

/// A national figure: a request, a breakdown cell, and who contributed.
#[derive(Debug, Clone)]
pub struct Figure {
    pub request: String,
    /// Empty for the national total.
    pub breakdown: Vec<(DimId, DimValue)>,
    pub total: Interval,
    pub contributions: Vec<Contribution>,
}

impl Figure {
    pub fn breakdown_name(&self) -> String {
        foi_model::record_grain_name(self.breakdown.iter().map(|(d, _)| d))
    }
}

/// How each force answered each request, and whether it was added in.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub force: ForceId,
    pub request: String,
    pub status: String,
    pub unit: String,
    pub period: String,
    pub fixed: String,
    pub included: bool,
    pub flagged: bool,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct AgeFacts {
    /// The exact age with the most victims, with its count.
    pub most_common: Option<(u8, Interval)>,
    /// Victims whose age (or band) lies under `under`.
    pub under: (u8, Interval),
    pub youngest: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct RequestHeadline {
    pub request: String,
    pub title: String,
    pub total: Interval,
    pub forces: usize,
    pub flagged: Vec<ForceId>,
    pub excluded: Vec<(ForceId, String)>,
    pub ages: Option<AgeFacts>,
}

#[derive(Debug, Clone)]
pub struct Headline {
    pub campaign: String,
    pub unit: String,
    pub requests: Vec<RequestHeadline>,
}

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

/// A figure a source states that foi can compute too: a national row
/// ("England and Wales") against the sum of the source's force rows, or a
/// force's stated total against its cells.
#[derive(Debug, Clone)]
pub struct Check {
    pub request: String,
    /// "national", or the force whose own figures are compared.
    pub scope: String,
    /// What was stated: the row's label, or the grain of a force's table.
    pub label: String,
    pub breakdown: String,
    pub stated: Interval,
    pub computed: Interval,
    pub source: String,
    pub cells: String,
}

impl Check {
    /// Two honest ranges for one quantity agree when they meet.
    pub fn agrees(&self) -> bool {
        self.stated.intersect(&self.computed).is_some()
    }
}

/// Everything a release holds, before it is written.
#[derive(Debug, Clone)]
pub struct Release {
    pub campaign: String,
    pub title: String,
    pub description: String,
    /// Who publishes the tables, as the campaign says.
    pub publisher: Option<foi_model::config::Publisher>,
    pub figures: Vec<Figure>,
    pub coverage: Vec<CoverageRow>,
    pub comparisons: Vec<Comparison>,
    /// Reconciliation: every figure a source states that foi also computes.
    pub checks: Vec<Check>,
    pub headline: Headline,
    /// Notes a reader needs: what the shorthand means, what was left out or
    /// flagged, where definitions differ.
    pub notes: Vec<String>,
    pub tables: Vec<Table>,
}

impl Release {
    /// "Published by NSPCC on 20 June 2017. Contact: …", or nothing.
    pub fn published_by(&self) -> Vec<String> {
        let Some(p) = &self.publisher else {
            return Vec::new();
        };
        let mut lines = vec![match &p.published {
            Some(d) => format!("Published by {} on {}.", p.name, d.0.format("%-d %B %Y")),
            None => format!("Published by {}.", p.name),
        }];
        if let Some(c) = &p.contact {
            lines.push(format!("Contact: {c}"));
        }
        lines
    }

    /// How many forces the campaign asked: every force in the coverage table.
    pub fn forces_asked(&self) -> usize {
        self.coverage
            .iter()
            .map(|c| &c.force)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The figure for a request and breakdown cell, as `foi explain` asks.
    pub fn figure(&self, request: &str, breakdown: &[(DimId, String)]) -> Option<&Figure> {
        self.figures.iter().find(|f| {
            f.request == request
                && f.breakdown.len() == breakdown.len()
                && f.breakdown
                    .iter()
                    .zip(breakdown)
                    .all(|((d, v), (d2, v2))| d == d2 && v.to_string().eq_ignore_ascii_case(v2))
        })
    }
}

fn response_for<'c>(config: &'c Config, force: &ForceId, request: &str) -> Option<&'c Response> {
    config
        .responses
        .iter()
        .filter(|r| r.requests.iter().any(|q| q == request))
        .find(|r| r.force.as_ref() == Some(force))
        .or_else(|| {
            // A national table answers for every force it has a row for.
            config
                .responses
                .iter()
                .find(|r| r.force.is_none() && r.requests.iter().any(|q| q == request))
        })
}

/// The value most responses give a fixed dimension: a response that differs
/// is flagged (its figures count something a little different).
fn usual_fixed(config: &Config) -> BTreeMap<DimId, DimValue> {
    let mut counts: BTreeMap<DimId, BTreeMap<DimValue, usize>> = BTreeMap::new();
    for r in config.responses.iter().filter(|r| r.status.has_figures()) {
        for (k, v) in &r.fixed {
            *counts
                .entry(k.clone())
                .or_default()
                .entry(v.clone())
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(k, vs)| {
            vs.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(v, _)| (k, v))
        })
        .collect()
}

/// What normalising could not read, for coverage to report.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    /// Response key -> why it could not be read at all.
    pub failures: BTreeMap<String, String>,
    /// Force -> the labels no crosswalk maps ("offence label \"IIOC\""),
    /// whose rows were left out of a release published anyway
    /// (`--allow-unmapped`): the force's figures fall short by those rows.
    pub unmapped: BTreeMap<ForceId, BTreeSet<String>>,
}

/// Works out coverage, every national figure, and the tables. Pure.
pub fn assemble(
    config: &Config,
    records: &[Record],
    aggregates: &[Aggregate],
    gaps: &Gaps,
) -> Release {
    let failures = &gaps.failures;
    let campaign = &config.campaign;
    let usual = usual_fixed(config);
    // (force, request) -> record indexes
    let mut by_force: BTreeMap<(ForceId, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        by_force
            .entry((r.force.clone(), r.request.clone()))
            .or_default()
            .push(i);
    }
    let mut coverage = Vec::new();
    let mut included: BTreeMap<(ForceId, String), bool> = BTreeMap::new(); // value: flagged
    for force in config.forces.iter() {
        for request in &campaign.requests {
            let response = response_for(config, &force.id, &request.id);
            let idx = by_force.get(&(force.id.clone(), request.id.clone()));
            let mut row = CoverageRow {
                force: force.id.clone(),
                request: request.id.clone(),
                status: "no response".into(),
                unit: String::new(),
                period: String::new(),
                fixed: String::new(),
                included: false,
                flagged: false,
                reason: String::new(),
            };
            match response {
                None => row.reason = "no response configured".into(),
                Some(resp) => {
                    row.status = resp.status.to_string();
                    row.unit = resp.unit.to_string();
                    let period = resp.period.unwrap_or(request.period);
                    row.period = period.to_string();
                    row.fixed = resp
                        .fixed
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let mut flags = Vec::new();
                    if resp.status == foi_model::Status::Partial {
                        flags.push("partial answer: some of what was asked is missing".to_string());
                    }
                    if resp.unit != campaign.unit {
                        flags.push(format!("counts {} not {}", resp.unit, campaign.unit));
                    }
                    for (k, v) in &resp.fixed {
                        if usual.get(k).is_some_and(|u| u != v) {
                            flags.push(format!("{k} is {v}"));
                        }
                    }
                    if let Some(labels) = gaps.unmapped.get(&force.id) {
                        flags.push(format!(
                            "undercounts: rows with labels no crosswalk maps were left out ({})",
                            labels.iter().cloned().collect::<Vec<_>>().join(", ")
                        ));
                    }
                    if let Some(why) = failures.get(&resp.key) {
                        row.reason = format!("could not be read: {why}");
                    } else if !resp.status.has_figures() {
                        row.reason = resp.status.to_string();
                    } else if idx.is_none() {
                        row.reason = if resp.force.is_none() {
                            "the source has no row for this force".into()
                        } else {
                            "no figures could be read for this request".into()
                        };
                    } else if period != request.period {
                        row.reason = format!(
                            "answered for {period}, not the request's {}; not added",
                            request.period
                        );
                    } else {
                        row.included = true;
                        row.flagged = !flags.is_empty();
                        row.reason = flags.join("; ");
                        included.insert((force.id.clone(), request.id.clone()), row.flagged);
                    }
                }
            }
            coverage.push(row);
        }
    }

    let mut breakdowns: Vec<Vec<DimId>> = vec![Vec::new()];
    breakdowns.extend(campaign.breakdowns.iter().cloned());
    let mut figures = Vec::new();
    for request in &campaign.requests {
        for dims in &breakdowns {
            let mut cells: BTreeMap<Vec<DimValue>, Figure> = BTreeMap::new();
            for ((force, req), &flagged) in &included {
                if req != &request.id {
                    continue;
                }
                let Some(idx) = by_force.get(&(force.clone(), req.clone())) else {
                    continue;
                };
                let Some(grain) = choose_grain(config, records, idx, dims) else {
                    continue;
                };
                let mut parts: BTreeMap<Vec<DimValue>, (Interval, Vec<usize>)> = BTreeMap::new();
                for &i in &grain {
                    let key: Vec<DimValue> = dims
                        .iter()
                        .filter_map(|d| records[i].dims.get(d).cloned())
                        .collect();
                    let e = parts.entry(key).or_insert((Interval::ZERO, Vec::new()));
                    e.0 += records[i].count.interval;
                    e.1.push(i);
                }
                for (key, (interval, recs)) in parts {
                    let fig = cells.entry(key.clone()).or_insert_with(|| Figure {
                        request: request.id.clone(),
                        breakdown: dims.iter().cloned().zip(key).collect(),
                        total: Interval::ZERO,
                        contributions: Vec::new(),
                    });
                    fig.total += interval;
                    fig.contributions.push(Contribution {
                        force: force.clone(),
                        interval,
                        flagged,
                        records: recs,
                    });
                }
            }
            if dims.is_empty() && cells.is_empty() {
                cells.insert(
                    Vec::new(),
                    Figure {
                        request: request.id.clone(),
                        breakdown: Vec::new(),
                        total: Interval::ZERO,
                        contributions: Vec::new(),
                    },
                );
            }
            figures.extend(cells.into_values());
        }
    }

    let headline = headline(config, &figures, &coverage);
    let comparisons = compare(config, &figures, &coverage);
    let checks = reconcile(config, records, aggregates);
    let notes = notes(config, &coverage, &comparisons);
    let mut release = Release {
        campaign: campaign.id.clone(),
        title: campaign.title.clone(),
        description: campaign.description.clone(),
        publisher: campaign.publisher.clone(),
        figures,
        coverage,
        comparisons,
        checks,
        headline,
        notes,
        tables: Vec::new(),
    };
    release.tables = tables(config, records, &release);
    release
}

/// The grain a force's figure for `dims` is read from: among the grains
/// whose records all carry `dims`, the one whose total is narrowest; on a
/// tie, the one with fewest dimensions (fewest cells added).
fn choose_grain(
    config: &Config,
    records: &[Record],
    idx: &[usize],
    dims: &[DimId],
) -> Option<Vec<usize>> {
    let overlapping = |d: &DimId| config.campaign.dimension(d).is_some_and(|x| x.overlapping);
    let mut grains: BTreeMap<Vec<DimId>, Vec<usize>> = BTreeMap::new();
    for &i in idx {
        let g: Vec<DimId> = records[i].dims.keys().cloned().collect();
        grains.entry(g).or_default().push(i);
    }
    grains
        .into_iter()
        .filter(|(g, _)| dims.iter().all(|d| g.contains(d)))
        // Values of an overlapping dimension never add up: such a grain
        // serves only a breakdown by that dimension.
        .filter(|(g, _)| g.iter().all(|d| !overlapping(d) || dims.contains(d)))
        .min_by_key(|(g, idx)| {
            let s: Interval = idx.iter().map(|&i| records[i].count.interval).sum();
            (s.hi - s.lo, g.len())
        })
        .map(|(_, idx)| idx)
}

fn describe(dims: &BTreeMap<DimId, DimValue>) -> String {
    dims.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Every figure a source states that foi also computes, with both.
fn reconcile(config: &Config, records: &[Record], aggregates: &[Aggregate]) -> Vec<Check> {
    let mut checks = Vec::new();
    // A national row against the sum of the same source's force rows.
    for a in aggregates {
        let computed: Interval = records
            .iter()
            .filter(|r| {
                r.lineage.sha256 == a.lineage.sha256 && r.request == a.request && r.dims == a.dims
            })
            .map(|r| r.count.interval)
            .sum();
        checks.push(Check {
            request: a.request.clone(),
            scope: "national".into(),
            label: a.label.clone(),
            breakdown: describe(&a.dims),
            stated: a.count.interval,
            computed,
            source: a.lineage.file.clone(),
            cells: a.lineage.describe(),
        });
    }
    // A force's coarsest grain (its stated total) against each finer one,
    // separately for each value of an overlapping dimension.
    let overlapping = |d: &DimId| config.campaign.dimension(d).is_some_and(|x| x.overlapping);
    type Key = (ForceId, String, BTreeMap<DimId, DimValue>);
    let mut grains: BTreeMap<Key, BTreeMap<Vec<DimId>, Vec<&Record>>> = BTreeMap::new();
    for r in records {
        let context: BTreeMap<DimId, DimValue> = r
            .dims
            .iter()
            .filter(|(d, _)| overlapping(d))
            .map(|(d, v)| (d.clone(), v.clone()))
            .collect();
        grains
            .entry((r.force.clone(), r.request.clone(), context))
            .or_default()
            .entry(r.dims.keys().filter(|d| !overlapping(d)).cloned().collect())
            .or_default()
            .push(r);
    }
    for ((force, request, context), by_grain) in grains {
        let Some((stated_grain, stated)) = by_grain.iter().min_by_key(|(g, _)| g.len()) else {
            continue;
        };
        let stated_sum: Interval = stated.iter().map(|r| r.count.interval).sum();
        for (grain, recs) in &by_grain {
            if grain == stated_grain {
                continue;
            }
            checks.push(Check {
                request: request.clone(),
                scope: force.0.clone(),
                label: format!(
                    "{} against {}",
                    foi_model::record_grain_name(stated_grain.iter()),
                    foi_model::record_grain_name(grain.iter())
                ),
                breakdown: describe(&context),
                stated: stated_sum,
                computed: recs.iter().map(|r| r.count.interval).sum(),
                source: stated
                    .first()
                    .map(|r| r.lineage.file.clone())
                    .unwrap_or_default(),
                cells: stated
                    .iter()
                    .map(|r| r.lineage.describe())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
    }
    checks
}

fn headline(config: &Config, figures: &[Figure], coverage: &[CoverageRow]) -> Headline {
    let campaign = &config.campaign;
    let requests = campaign
        .requests
        .iter()
        .map(|req| {
            let total = figures
                .iter()
                .find(|f| f.request == req.id && f.breakdown.is_empty());
            let rows: Vec<&CoverageRow> = coverage.iter().filter(|c| c.request == req.id).collect();
            let ages = campaign.headline_age.as_ref().map(|age_dim| {
                let by_age: Vec<(&DimValue, Interval)> = figures
                    .iter()
                    .filter(|f| {
                        f.request == req.id
                            && f.breakdown.len() == 1
                            && &f.breakdown[0].0 == age_dim
                    })
                    .map(|f| (&f.breakdown[0].1, f.total))
                    .collect();
                age_facts(&by_age, 10)
            });
            RequestHeadline {
                request: req.id.clone(),
                title: req.title.clone(),
                total: total.map(|f| f.total).unwrap_or(Interval::ZERO),
                forces: rows.iter().filter(|c| c.included).count(),
                flagged: rows
                    .iter()
                    .filter(|c| c.flagged)
                    .map(|c| c.force.clone())
                    .collect(),
                excluded: rows
                    .iter()
                    .filter(|c| !c.included)
                    .map(|c| (c.force.clone(), c.reason.clone()))
                    .collect(),
                ages,
            }
        })
        .collect();
    Headline {
        campaign: campaign.title.clone(),
        unit: campaign.unit.to_string(),
        requests,
    }
}

/// Facts about ages from a by-age table mixing exact ages and bands.
pub fn age_facts(by_age: &[(&DimValue, Interval)], under: u8) -> AgeFacts {
    let mut most: Option<(u8, Interval)> = None;
    let mut under_total = Interval::ZERO;
    let mut youngest: Option<u8> = None;
    for (v, n) in by_age {
        if let DimValue::Age(a) = v {
            if most.is_none_or(|(_, m)| n.lo > m.lo) {
                most = Some((*a, *n));
            }
            if n.lo > 0 {
                youngest = Some(youngest.map_or(*a, |y| y.min(*a)));
            }
        }
        if let Some((lo, hi)) = v.age_range() {
            if hi < under {
                under_total += *n;
            } else if lo < under {
                // A band straddling the line: anywhere from none to all of it.
                under_total += Interval::new(0, n.hi);
            }
        }
    }
    AgeFacts {
        most_common: most,
        under: (under, under_total),
        youngest,
    }
}

fn interval_values(i: Interval) -> [Value; 3] {
    [
        Value::Int(i.value()),
        Value::Int(Some(i.lo)),
        Value::Int(Some(i.hi)),
    ]
}

/// A record's stable id: request, force and its dimension values.
pub fn record_id(r: &Record) -> String {
    let dims: Vec<String> = r.dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{}/{}/{}",
        r.request,
        r.force,
        if dims.is_empty() {
            "total".to_string()
        } else {
            dims.join(",")
        }
    )
}

/// A figure's stable id: "fy-2016-17/total", "fy-2016-17/victim_age=13".
pub fn figure_id(f: &Figure) -> String {
    let dims: Vec<String> = f
        .breakdown
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "{}/{}",
        f.request,
        if dims.is_empty() {
            "total".to_string()
        } else {
            dims.join(",")
        }
    )
}

fn signed(i: Interval) -> (i64, i64) {
    (i.lo as i64, i.hi as i64)
}

fn comparison(
    from: &foi_model::config::Request,
    to: &foi_model::config::Request,
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
fn compare(config: &Config, figures: &[Figure], coverage: &[CoverageRow]) -> Vec<Comparison> {
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

fn notes(config: &Config, coverage: &[CoverageRow], comparisons: &[Comparison]) -> Vec<String> {
    let campaign = &config.campaign;
    let mut notes = vec![
        format!(
            "Counts are {} as the forces recorded them. Where a force hid small numbers (\"<5\", \"*\", \"redacted\"), the figure is a range: `value` is empty and `lo` and `hi` give the range; in the spreadsheet a range reads \"5,650 to 5,661\". A range is narrowed wherever the force's own totals allow.",
            campaign.unit
        ),
        "[c] marks a count a force suppressed (a range is given beside it); [x] marks a figure that is not available.".to_string(),
        "A force's figures are taken from one table of its reply for each breakdown, never adding a stated total to the cells it totals.".to_string(),
    ];
    let excluded: Vec<String> = coverage
        .iter()
        .filter(|c| !c.included)
        .map(|c| format!("{} ({}): {}", c.force, c.request, c.reason))
        .collect();
    if !excluded.is_empty() {
        notes.push(format!("Not added: {}.", excluded.join("; ")));
    }
    let flagged: Vec<String> = coverage
        .iter()
        .filter(|c| c.flagged)
        .map(|c| format!("{} ({}): {}", c.force, c.request, c.reason))
        .collect();
    if !flagged.is_empty() {
        notes.push(format!(
            "Added but flagged, as they count something a little different: {}.",
            flagged.join("; ")
        ));
    }
    for c in comparisons.iter().filter(|c| c.basis == "all_forces") {
        for n in &c.notes {
            notes.push(format!("Comparing {} with {}: {n}.", c.from, c.to));
        }
    }
    notes
}

/// One record's row of the records table.
fn record_row(r: &Record, id: &str, all_dims: &[DimId], force_code: Option<String>) -> Vec<Value> {
    let mut row = vec![
        Value::text(id),
        Value::text(&r.campaign),
        Value::text(&r.request),
        Value::text(&r.force.0),
        Value::text(force_code.unwrap_or_default()),
        Value::text(r.period.from.to_string()),
        Value::text(r.period.to.to_string()),
        Value::text(&r.unit.0),
        Value::text(r.grain()),
    ];
    for d in all_dims {
        row.push(Value::text(
            r.dims.get(d).map(|v| v.to_string()).unwrap_or_default(),
        ));
    }
    row.push(Value::text(&r.count.text));
    row.extend(interval_values(r.count.interval));
    row.push(Value::text(&r.lineage.sha256));
    row.push(Value::text(&r.lineage.file));
    row.push(Value::text(r.lineage.sheet.clone().unwrap_or_default()));
    row.push(Value::text(r.lineage.describe()));
    row
}

/// The lineage table's columns: one row per source cell (or PDF page) of
/// each record, in the records table's order. Built straight into columns:
/// a record counted from one row per crime has thousands of cells, and the
/// table millions of rows.
fn lineage_frame(
    order: &[&Record],
    ids: &[String],
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::{Column, DataFrame, IntoColumn, StringChunked};
    use polars_arrow::array::MutableBinaryViewArray;
    let n: usize = order
        .iter()
        .map(|r| r.lineage.cells.len() + usize::from(r.lineage.page.is_some()))
        .sum();
    // A record's rows all point at one copy of its id: the id repeated row
    // by row would be a hundred bytes a row, 100 MB for a million rows.
    let mut record_id = MutableBinaryViewArray::<str>::with_capacity(n);
    let mut part: Vec<u64> = Vec::with_capacity(n);
    // Every cell's name in one buffer, cut into a column after.
    let mut names = String::with_capacity(n * 8);
    let mut ends: Vec<usize> = Vec::with_capacity(n);
    for (r, id) in order.iter().zip(ids) {
        let l = &r.lineage;
        let rows = l.cells.len() + usize::from(l.page.is_some());
        record_id.extend_constant(rows, Some(id.as_str()));
        part.extend(1..=rows as u64);
        for c in &l.cells {
            l.write_locate(c, &mut names);
            ends.push(names.len());
        }
        if let Some(p) = l.page {
            // As the records table's `cells` names it.
            names.push_str("page ");
            names.push_str(&p.to_string());
            ends.push(names.len());
        }
    }
    let mut start = 0;
    let cell: Vec<&str> = ends
        .iter()
        .map(|&end| {
            let s = &names[start..end];
            start = end;
            s
        })
        .collect();
    DataFrame::new(
        n,
        vec![
            StringChunked::with_chunk("record_id".into(), record_id.freeze()).into_column(),
            Column::new("part".into(), part),
            Column::new("cell".into(), cell),
        ],
    )
}

fn tables(config: &Config, records: &[Record], release: &Release) -> Vec<Table> {
    let campaign = &config.campaign;
    let force_of = |id: &ForceId| config.forces.get(id);
    let breakdown_dims: Vec<DimId> = campaign
        .breakdowns
        .iter()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // national
    let mut cols: Vec<(String, Kind)> = vec![
        ("figure_id".into(), Kind::Text),
        ("request".into(), Kind::Text),
        ("breakdown".into(), Kind::Text),
    ];
    cols.extend(breakdown_dims.iter().map(|d| (d.0.clone(), Kind::Text)));
    cols.extend([
        ("value".into(), Kind::Int),
        ("lo".into(), Kind::Int),
        ("hi".into(), Kind::Int),
        ("forces".into(), Kind::Int),
        ("flagged_forces".into(), Kind::Text),
    ]);
    let mut national = Table {
        name: "national".into(),
        title: "National figures by request and breakdown".into(),
        description: "One row per national figure: each request's total (breakdown \"total\") and its breakdowns. `value` is the figure when it is exact; `lo` and `hi` always give its range. `forces` counts the forces added; `flagged_forces` lists those whose figures count something a little different.".into(),
        key: vec!["figure_id".into()],
        columns: cols,
        rows: Vec::new(),
        frame: None,
    };
    for f in &release.figures {
        let mut row = vec![
            Value::text(figure_id(f)),
            Value::text(&f.request),
            Value::text(f.breakdown_name()),
        ];
        for d in &breakdown_dims {
            row.push(Value::text(
                f.breakdown
                    .iter()
                    .find(|(k, _)| k == d)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default(),
            ));
        }
        row.extend(interval_values(f.total));
        row.push(Value::Int(Some(f.contributions.len() as u64)));
        row.push(Value::text(
            f.contributions
                .iter()
                .filter(|c| c.flagged)
                .map(|c| c.force.0.clone())
                .collect::<Vec<_>>()
                .join(";"),
        ));
        national.rows.push(row);
    }

    // by_force
    let mut by_force = Table::new(
        "by_force",
        "Each force's total by request",
        &[
            ("request", Kind::Text),
            ("force_id", Kind::Text),
            ("force_code", Kind::Text),
            ("force_name", Kind::Text),
            ("value", Kind::Int),
            ("lo", Kind::Int),
            ("hi", Kind::Int),
            ("flagged", Kind::Bool),
        ],
    )
    .describe(
        "One row per force added to a request's national total: its contribution. `force_code` is the GSS code of the police force area (empty for British Transport Police).",
        &["request", "force_id"],
    );
    for f in release.figures.iter().filter(|f| f.breakdown.is_empty()) {
        for c in &f.contributions {
            let force = force_of(&c.force);
            let mut row = vec![
                Value::text(&f.request),
                Value::text(&c.force.0),
                Value::text(force.map(|x| x.code.clone()).unwrap_or_default()),
                Value::text(force.map(|x| x.name.clone()).unwrap_or_default()),
            ];
            row.extend(interval_values(c.interval));
            row.push(Value::Bool(c.flagged));
            by_force.rows.push(row);
        }
    }

    // records and lineage
    let all_dims: Vec<DimId> = campaign.dimensions.iter().map(|d| d.id.clone()).collect();
    let mut cols: Vec<(String, Kind)> = [
        "record_id",
        "campaign",
        "request",
        "force_id",
        "force_code",
        "period_from",
        "period_to",
        "unit",
        "grain",
    ]
    .iter()
    .map(|n| (n.to_string(), Kind::Text))
    .collect();
    cols.extend(all_dims.iter().map(|d| (d.0.clone(), Kind::Text)));
    cols.extend([
        ("text".into(), Kind::Text),
        ("value".into(), Kind::Int),
        ("lo".into(), Kind::Int),
        ("hi".into(), Kind::Int),
        ("source_sha256".into(), Kind::Text),
        ("source".into(), Kind::Text),
        ("sheet".into(), Kind::Text),
        ("cells".into(), Kind::Text),
    ]);
    let mut recs = Table {
        name: "records".into(),
        title: "Canonical records: every figure read, with its source cells".into(),
        description: "One row per figure read from a force's reply. A dimension left empty means \"all of it\": `grain` names the dimensions a record carries, and records of different grains must not be added together (a \"total\" record is the force's own stated total). `text` is the cell as the force wrote it.".into(),
        key: vec!["record_id".into()],
        columns: cols,
        rows: Vec::new(),
        frame: None,
    };
    let mut lineage = Table::new(
        "lineage",
        "Lineage: the source cells of every record",
        &[
            ("record_id", Kind::Text),
            ("part", Kind::Int),
            ("cell", Kind::Text),
        ],
    )
    .describe(
        "One row per source cell of each record, for joining: the cell in A1 form, \"line N, field M\" in a text file, or \"page N\" of a document whose figures were typed in, as the records table's `cells` lists them. The record's source file, its sha256 and the sheet are in the records table. Published as Parquet only: a record-level campaign gives one row per crime.",
        &["record_id", "part"],
    );
    let mut order: Vec<&Record> = records.iter().collect();
    order.sort_by(|a, b| (&a.request, &a.force, &a.dims).cmp(&(&b.request, &b.force, &b.dims)));
    let ids: Vec<String> = order.iter().map(|r| record_id(r)).collect();
    // The records' rows in parallel (a record counted from one row per
    // crime names thousands of cells in its `cells` column), beside the
    // lineage columns.
    let (rows, frame) = rayon::join(
        || {
            use rayon::prelude::*;
            order
                .par_iter()
                .zip(&ids)
                .map(|(r, id)| {
                    record_row(r, id, &all_dims, force_of(&r.force).map(|f| f.code.clone()))
                })
                .collect()
        },
        || lineage_frame(&order, &ids),
    );
    recs.rows = rows;
    // Three columns of one length, each named once: nothing to fail on.
    lineage.frame = Some(frame.expect("lineage columns have one length and distinct names"));

    // coverage
    let mut cov = Table::new(
        "coverage",
        "Which forces answered each request, and whether their figures were added",
        &[
            ("force_id", Kind::Text),
            ("force_code", Kind::Text),
            ("force_name", Kind::Text),
            ("request", Kind::Text),
            ("status", Kind::Text),
            ("unit", Kind::Text),
            ("period", Kind::Text),
            ("fixed", Kind::Text),
            ("included", Kind::Bool),
            ("flagged", Kind::Bool),
            ("reason", Kind::Text),
        ],
    )
    .describe(
        "One row per force and request: how the force answered (answered, partial, refused and the FOI Act section, not held, no response), what it counted and for which period, the definitions fixed for its reply (such as how the online element was found), whether its figures were added to the national figures, and why not or why flagged.",
        &["force_id", "request"],
    );
    for c in &release.coverage {
        let force = force_of(&c.force);
        cov.rows.push(vec![
            Value::text(&c.force.0),
            Value::text(force.map(|f| f.code.clone()).unwrap_or_default()),
            Value::text(force.map(|f| f.name.clone()).unwrap_or_default()),
            Value::text(&c.request),
            Value::text(&c.status),
            Value::text(&c.unit),
            Value::text(&c.period),
            Value::text(&c.fixed),
            Value::Bool(c.included),
            Value::Bool(c.flagged),
            Value::text(&c.reason),
        ]);
    }

    // comparisons
    let mut cmp = Table::new(
        "comparisons",
        "The change between requests",
        &[
            ("comparison_id", Kind::Text),
            ("from_request", Kind::Text),
            ("to_request", Kind::Text),
            ("basis", Kind::Text),
            ("forces", Kind::Int),
            ("from_value", Kind::Int),
            ("from_lo", Kind::Int),
            ("from_hi", Kind::Int),
            ("to_value", Kind::Int),
            ("to_lo", Kind::Int),
            ("to_hi", Kind::Int),
            ("change_value", Kind::Signed),
            ("change_lo", Kind::Signed),
            ("change_hi", Kind::Signed),
            ("percent_change", Kind::Number),
            ("notes", Kind::Text),
        ],
    )
    .describe(
        "The change from one request to the next: over every force added to either (basis all_forces), and over the matched panel of forces added to both on the same terms (basis matched_panel). `notes` lists every difference found between the two.",
        &["comparison_id"],
    );
    for c in &release.comparisons {
        let mut row = vec![
            Value::text(format!("{}->{}/{}", c.from, c.to, c.basis)),
            Value::text(&c.from),
            Value::text(&c.to),
            Value::text(c.basis),
            Value::Int(Some(c.forces as u64)),
        ];
        row.extend(interval_values(c.from_total));
        row.extend(interval_values(c.to_total));
        row.push(Value::Signed(
            (c.change.0 == c.change.1).then_some(c.change.0),
        ));
        row.push(Value::Signed(Some(c.change.0)));
        row.push(Value::Signed(Some(c.change.1)));
        row.push(Value::Number(c.percent));
        row.push(Value::text(c.notes.join("; ")));
        cmp.rows.push(row);
    }
    let mut rec = Table::new(
        "reconciliation",
        "Reconciliation: figures the sources state against what foi computes",
        &[
            ("check_id", Kind::Text),
            ("request", Kind::Text),
            ("scope", Kind::Text),
            ("label", Kind::Text),
            ("breakdown", Kind::Text),
            ("stated_value", Kind::Int),
            ("stated_lo", Kind::Int),
            ("stated_hi", Kind::Int),
            ("computed_value", Kind::Int),
            ("computed_lo", Kind::Int),
            ("computed_hi", Kind::Int),
            ("difference", Kind::Signed),
            ("agrees", Kind::Bool),
            ("source", Kind::Text),
            ("cells", Kind::Text),
        ],
    )
    .describe(
        "One row per figure a source states that foi also computes: a national row (\"England and Wales\") against the sum of the same source's force rows, and each force's stated total against its cells. `agrees` is true when the two ranges meet; `difference` is computed minus stated, when both are exact.",
        &["check_id"],
    );
    for c in &release.checks {
        let mut row = vec![
            Value::text(format!(
                "{}/{}/{}/{}",
                c.request, c.scope, c.label, c.breakdown
            )),
            Value::text(&c.request),
            Value::text(&c.scope),
            Value::text(&c.label),
            Value::text(&c.breakdown),
        ];
        row.extend(interval_values(c.stated));
        row.extend(interval_values(c.computed));
        row.push(Value::Signed(
            match (c.computed.value(), c.stated.value()) {
                (Some(a), Some(b)) => Some(a as i64 - b as i64),
                _ => None,
            },
        ));
        row.push(Value::Bool(c.agrees()));
        row.push(Value::text(&c.source));
        row.push(Value::text(&c.cells));
        rec.rows.push(row);
    }
    vec![national, by_force, recs, lineage, cov, cmp, rec]
}

/// A file written into a release.
#[derive(Debug, Clone)]
pub struct Output {
    /// The file name within the release folder.
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One file of a release, rendered on its own.
enum Part<'a> {
    Csv(&'a Table),
    Parquet(&'a Table),
    Xlsx,
    DataPackage,
    Summary,
}

/// Every file of a release, in the order they are listed.
fn parts(release: &Release) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    for t in &release.tables {
        if !t.parquet_only() {
            parts.push(Part::Csv(t));
        }
        parts.push(Part::Parquet(t));
    }
    parts.extend([Part::Xlsx, Part::DataPackage, Part::Summary]);
    parts
}

fn render_part(release: &Release, part: &Part<'_>) -> Result<(String, Vec<u8>), PublishError> {
    let fail = |t: &Table, reason: String| PublishError::Table {
        table: t.name.clone(),
        reason,
    };
    match part {
        Part::Csv(t) => t
            .csv_bytes()
            .map(|b| (format!("{}.csv", t.name), b))
            .map_err(|e| fail(t, e.to_string())),
        Part::Parquet(t) => t
            .parquet_bytes()
            .map(|b| (format!("{}.parquet", t.name), b))
            .map_err(|e| fail(t, e.to_string())),
        Part::Xlsx => workbook_bytes(release)
            .map(|b| (format!("{}.xlsx", release.campaign), b))
            .map_err(|e| PublishError::Table {
                table: format!("{}.xlsx", release.campaign),
                reason: e.to_string(),
            }),
        Part::DataPackage => Ok((
            "datapackage.json".into(),
            datapackage::datapackage_bytes(release),
        )),
        Part::Summary => Ok(("summary.html".into(), summary_html(release).into_bytes())),
    }
}

/// Writes every file of the release into `dir`, each atomically and made
/// durable (fsync), and says what was written, in a fixed order whatever
/// order the threads finish in; the first failure in that order is the
/// error.
///
/// The files are rendered in parallel (rayon), each from the release
/// alone, and each is hashed and written as soon as it is rendered, on the
/// same thread: one file's disk writes overlap the others' rendering, and
/// no file is held in memory longer than it takes to write it.
pub fn write(release: &Release, dir: &Path) -> Result<Vec<Output>, PublishError> {
    use rayon::prelude::*;
    use sha2::{Digest, Sha256};
    let outputs: Vec<Result<Output, PublishError>> = parts(release)
        .par_iter()
        .map(|p| {
            let (name, bytes) = render_part(release, p)?;
            let path = dir.join(&name);
            write_atomic(&path, &bytes).map_err(|source| PublishError::Write {
                path: path.display().to_string(),
                source,
            })?;
            Ok(Output {
                sha256: hex::encode(Sha256::digest(&bytes)),
                bytes: bytes.len() as u64,
                name,
            })
        })
        .collect();
    outputs.into_iter().collect()
}
