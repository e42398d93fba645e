//! The tables of a release, built from what [`crate::figures`] worked out:
//! national, by_force, records, lineage, coverage, comparisons and
//! reconciliation. Pure: every writer renders these.

use crate::figures::{figure_id, record_id, Assembly};
use crate::table::{Kind, Table, Value};
use foi_model::config::Config;
use foi_model::{DimId, ForceId, Interval, Record};
use std::collections::BTreeSet;

/// Every table of a release, in the order they are published.
pub fn tables(config: &Config, records: &[Record], release: &Assembly) -> Vec<Table> {
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
        ("narrowed_by".into(), Kind::Text),
    ]);
    let mut recs = Table {
        name: "records".into(),
        title: "Canonical records: every figure read, with its source cells".into(),
        description: "One row per figure read from a force's reply. A dimension left empty means \"all of it\": `grain` names the dimensions a record carries, and records of different grains must not be added together (a \"total\" record is the force's own stated total). `text` is the cell as the force wrote it. `narrowed_by` names the force's stated totals that narrowed a suppressed count (`lo` and `hi` then lie within the range its text says), joined by \"; \".".into(),
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
            ("reason_code", Kind::Text),
        ],
    )
    .describe(
        "One row per force and request: how the force answered (answered, partial, refused and the FOI Act section, not held, no response), what it counted and for which period, the definitions fixed for its reply (such as how the online element was found), whether its figures were added to the national figures, and why not or why flagged. `reason_code` names each reason, \";\"-separated: no_response_configured, refused, not_held, no_response, failed_to_read, conflict (one figure given two values), another_period, not_available (every figure marked not available), period_not_covered, no_row (a national source has no row for the force) or no_figures when not added; partial_answer, partial_period, another_unit, another_definition, unmapped, some_not_available or stale when flagged.",
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
            Value::text(c.reason_code()),
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
            ("comparable", Kind::Bool),
            ("forces", Kind::Int),
            ("from_forces", Kind::Int),
            ("to_forces", Kind::Int),
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
        "The change from one request to the next: first over the matched panel of forces added to both on the same terms (basis matched_panel: the same unit and definitions, neither answer partial nor missing rows), then over every force added to either (basis all_forces). `forces` counts the forces compared, `from_forces` and `to_forces` those each total is over. A change is given only where `comparable` is true: over all forces, only when the same forces were added to both requests; otherwise each total is over its own forces and the change columns are empty. `notes` says why not, and lists every difference found between the two.",
        &["comparison_id"],
    );
    for c in &release.comparisons {
        let basis = c.basis.code();
        let mut row = vec![
            Value::text(format!("{}->{}/{basis}", c.from, c.to)),
            Value::text(&c.from),
            Value::text(&c.to),
            Value::text(basis),
            Value::Bool(c.comparable()),
            Value::Int(Some(c.forces as u64)),
            Value::Int(Some(c.from_forces as u64)),
            Value::Int(Some(c.to_forces as u64)),
        ];
        row.extend(interval_values(c.from_total));
        row.extend(interval_values(c.to_total));
        row.push(Value::Signed(
            c.change.and_then(|(lo, hi)| (lo == hi).then_some(lo)),
        ));
        row.push(Value::Signed(c.change.map(|(lo, _)| lo)));
        row.push(Value::Signed(c.change.map(|(_, hi)| hi)));
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
            ("computed_from", Kind::Text),
        ],
    )
    .describe(
        "One row per figure a source states that foi also computes: a national row (\"England and Wales\") against the sum of the same source's force rows, and each total a force states (its grand total, a total for each row and each column) against each finer table it totals (`label`: the grain stated against the grain summed; `breakdown`: which row or column). `agrees` is true when the two ranges meet; `difference` is computed minus stated, when both are exact. `cells` is where the stated figure is, `computed_from` where the figures summed are.",
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
        row.push(Value::text(&c.parts));
        rec.rows.push(row);
    }
    vec![national, by_force, recs, lineage, cov, cmp, rec]
}

fn interval_values(i: Interval) -> [Value; 3] {
    [
        Value::Int(i.value()),
        Value::Int(Some(i.lo)),
        Value::Int(Some(i.hi)),
    ]
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
    row.push(Value::text(r.lineage.narrowed_by.join("; ")));
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
