//! The tables of a release, built from what [`crate::figures`] worked out:
//! national, by_force, records, lineage, coverage, comparisons and
//! reconciliation. Pure: every writer renders these.

use crate::figures::changes::Changes;
use crate::figures::{figure_id, record_id, Assembly, Topic};
use crate::table::{Column, Kind, Table, Value};
use foi_model::config::Config;
use foi_model::{DimId, ForceId, Interval, Record};
use std::collections::BTreeSet;

/// The three columns of a count given as a range: `<prefix>value` (the
/// figure when it is exact), `<prefix>lo` and `<prefix>hi`. `what` names
/// the figure in a header ("Number of offences", "Stated figure"),
/// `unit` what it counts.
fn range_columns(prefix: &str, what: &str, whose: &str, unit: Option<&str>) -> [Column; 3] {
    // The campaign's figures: a measure's decimals are shown in them.
    let with_unit = |c: Column| match unit {
        Some(u) => c.figures().unit(u),
        None => c.figures(),
    };
    [
        with_unit(Column::new(
            &format!("{prefix}value"),
            Kind::Int,
            what,
            &format!("{whose}, when it is exact; empty (null) when a force suppressed small counts and it is known only to lie between `{prefix}lo` and `{prefix}hi`."),
        )),
        with_unit(Column::new(
            &format!("{prefix}lo"),
            Kind::Int,
            &format!("{what}, lowest possible"),
            &format!("The least {} can be: equal to `{prefix}value` when it is exact.", lower_first(whose)),
        )),
        with_unit(Column::new(
            &format!("{prefix}hi"),
            Kind::Int,
            &format!("{what}, highest possible"),
            &format!("The most {} can be: equal to `{prefix}value` when it is exact.", lower_first(whose)),
        )),
    ]
}

/// "The figure" -> "the figure".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn text(name: &str, title: &str, description: &str) -> Column {
    Column::new(name, Kind::Text, title, description)
}

const REQUEST: &str = "The request the row is for: a request's `id` in the campaign (one period asked of every force).";
const FORCE_ID: &str = "The force: its id in foi's list of forces (config/reference/forces.csv).";
const FORCE_CODE: &str = "The GSS code of the police force area; empty (null) for British Transport Police, which has none.";
const FORCE_NAME: &str = "The force's name.";

/// Every table of a release, in the order they are published.
pub fn tables(config: &Config, records: &[Record], release: &Assembly) -> Vec<Table> {
    let campaign = &config.campaign;
    let unit = campaign.unit.to_string();
    let number_of = format!("Number of {unit}");
    let force_of = |id: &ForceId| config.forces.get(id);
    let dim_title = |d: &DimId| {
        campaign
            .dimension(d)
            .map_or_else(|| d.0.clone(), |x| x.title.clone())
    };
    let breakdown_dims: Vec<DimId> = campaign
        .breakdowns
        .iter()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // national
    let mut cols = vec![
        text("figure_id", "Figure ID", "Identifies the figure: its request, then its breakdown cell (\"fy-2016-17/offence_group=grooming\"), or \"total\" for the request's total."),
        text("request", "Request", REQUEST),
        text("breakdown", "Breakdown", "The dimensions the figure breaks the request's total down by, joined by \"+\"; \"total\" for the total itself."),
    ];
    cols.extend(breakdown_dims.iter().map(|d| {
        text(
            &d.0,
            &dim_title(d),
            &format!("Which {} the figure is for: a value of the campaign's `{d}` dimension; empty (null) when the figure is not broken down by it.", lower_first(&dim_title(d))),
        )
    }));
    cols.extend(range_columns(
        "",
        &number_of,
        "The national figure",
        Some(&unit),
    ));
    cols.extend([
        Column::new("forces", Kind::Int, "Forces added", "How many forces' figures were added up to make the figure.").unit("forces"),
        Column::new("flagged_forces", Kind::List(";"), "Forces added but flagged", "The forces added whose figures count something a little different from what was asked or may fall short of it (coverage says why), by force id; in the CSV joined by \";\", empty when there are none.").unit("forces"),
        Column::new("revised", Kind::Bool, "Revised since the previous release", "Whether the figure's value or range differs from the release this one replaced ([r] in the spreadsheet); the changes table gives its previous value and why. False in a first release."),
    ]);
    let mut national = Table::new("national", "National figures by request and breakdown", cols)
        .describe(
            "One row per national figure: each request's total (breakdown \"total\") and its breakdowns. `value` is the figure when it is exact; `lo` and `hi` always give its range. `forces` counts the forces added; `flagged_forces` lists those whose figures count something a little different; `revised` marks a figure that differs from the release this one replaced.",
            &["figure_id"],
        )
        .about(&[Topic::Ranges, Topic::Grain, Topic::Flagged, Topic::Revisions]);
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
        row.push(Value::list(
            f.contributions
                .iter()
                .filter(|c| c.flagged)
                .map(|c| c.force.0.as_str()),
            ";",
        ));
        // Marked by `revise`, once the release is compared with the last.
        row.push(Value::Bool(false));
        national.rows.push(row);
    }

    // by_force
    let mut cols = vec![
        text("request", "Request", REQUEST),
        text("force_id", "Force ID", FORCE_ID),
        text("force_code", "Force area code", FORCE_CODE),
        text("force_name", "Force", FORCE_NAME),
    ];
    cols.extend(range_columns(
        "",
        &number_of,
        "The force's total",
        Some(&unit),
    ));
    cols.push(flagged_column());
    let mut by_force = Table::new("by_force", "Each force's total by request", cols)
        .describe(
            "One row per force added to a request's national total: its contribution. `force_code` is the GSS code of the police force area (empty for British Transport Police).",
            &["request", "force_id"],
        )
        .refers(&["force_id", "request"], "coverage", &["force_id", "request"])
        .about(&[Topic::Ranges, Topic::Flagged]);
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

    // contributions
    let mut cols = vec![
        text(
            "figure_id",
            "Figure ID",
            "The national figure, as the national table identifies it.",
        ),
        text("request", "Request", REQUEST),
        text("force_id", "Force ID", FORCE_ID),
    ];
    cols.extend(range_columns(
        "",
        &number_of,
        "The force's part of the figure",
        Some(&unit),
    ));
    cols.push(flagged_column());
    let mut contributions = Table::new(
        "contributions",
        "Each force's part of each national figure",
        cols,
    )
    .describe(
        "One row per national figure and force added to it: the force's part, read from one grain of its records, so the parts of a figure add up to it. A force with no records for a breakdown value has no row for it.",
        &["figure_id", "force_id"],
    )
    .refers(&["figure_id"], "national", &["figure_id"])
    .refers(&["force_id", "request"], "coverage", &["force_id", "request"])
    .about(&[Topic::Ranges, Topic::Flagged]);
    for f in &release.figures {
        let id = figure_id(f);
        for c in &f.contributions {
            let mut row = vec![
                Value::text(&id),
                Value::text(&f.request),
                Value::text(&c.force.0),
            ];
            row.extend(interval_values(c.interval));
            row.push(Value::Bool(c.flagged));
            contributions.rows.push(row);
        }
    }

    // records and lineage
    let all_dims: Vec<DimId> = campaign.dimensions.iter().map(|d| d.id.clone()).collect();
    let mut cols = vec![
        text("record_id", "Record ID", "Identifies the record: request, force, then each dimension's value."),
        text("campaign", "Campaign", "The campaign's id."),
        text("request", "Request", REQUEST),
        text("force_id", "Force ID", FORCE_ID),
        text("force_code", "Force area code", FORCE_CODE),
        Column::new("period_from", Kind::Date, "Period from", "The first day of the period the record counts (the request's, or the force's own where it answered for another)."),
        Column::new("period_to", Kind::Date, "Period to", "The last day of the period the record counts."),
        text("unit", "Unit", &format!("What the record counts: \"{unit}\" as asked, or what the force counted instead (coverage flags it).")),
        text("grain", "Grain", "The dimensions the record carries, joined by \"+\" (\"total\" for a force's stated total): records of different grains must never be added together."),
    ];
    cols.extend(all_dims.iter().map(|d| {
        text(
            &d.0,
            &dim_title(d),
            &format!("Which {} the record is for: a value of the campaign's `{d}` dimension; empty (null) when the record is not broken down by it (it covers all of it).", lower_first(&dim_title(d))),
        )
    }));
    cols.push(text("text", "As written", "The figure as the force wrote it: \"12\", \"<5\", \"*\", or \"1 row\" for a count of rows."));
    cols.extend(range_columns(
        "",
        "Count",
        "The record's count, in its `unit`",
        None,
    ));
    cols.extend([
        text("source_sha256", "Source file SHA-256", "The SHA-256 of the source file's bytes, as fetched: the file in datapackage.json's `sources`."),
        text("source", "Source file", "The source file: its path or URL as the response config gives it."),
        text("sheet", "Sheet", "The sheet the record was read from; empty (null) for a text file or a document."),
        Column::new("cells", Kind::List("; "), "Cells", "Every cell the record was read from, in A1 form (\"C14\"), as \"line N, field M\" in a text file, or \"page N\" of a document typed in; in the CSV joined by \"; \". The lineage table has one row for each."),
        // Each total names its cells joined by "; ": the totals are
            // joined by " | ".
            Column::new("narrowed_by", Kind::List(" | "), "Narrowed by", "The force's stated totals that narrowed a suppressed count, so `lo` and `hi` lie within the range its text says; in the CSV joined by \" | \" (each names its cells, joined by \"; \"), empty when none did."),
    ]);
    let mut recs = Table::new("records", "Canonical records: every figure read, with its source cells", cols)
        .describe(
            "One row per figure read from a force's reply. A dimension left empty means \"all of it\": `grain` names the dimensions a record carries, and records of different grains must not be added together (a \"total\" record is the force's own stated total). `text` is the cell as the force wrote it. `narrowed_by` names the force's stated totals that narrowed a suppressed count (`lo` and `hi` then lie within the range its text says).",
            &["record_id"],
        )
        .refers(&["force_id", "request"], "coverage", &["force_id", "request"])
        .about(&[Topic::Ranges, Topic::Shorthand, Topic::Grain]);
    let mut lineage = Table::new(
        "lineage",
        "Lineage: the source cells of every record",
        vec![
            text("record_id", "Record ID", "The record, as the records table identifies it."),
            Column::new("part", Kind::Int, "Part", "The cell's place among the record's cells, counting from 1."),
            text("cell", "Cell", "The source cell in A1 form, \"line N, field M\" in a text file, or \"page N\" of a document whose figures were typed in."),
        ],
    )
    .describe(
        "One row per source cell of each record, for joining: the cell in A1 form, \"line N, field M\" in a text file, or \"page N\" of a document whose figures were typed in, as the records table's `cells` lists them. The record's source file, its sha256 and the sheet are in the records table. Published as Parquet only: a record-level campaign gives one row per crime.",
        &["record_id", "part"],
    )
    .refers(&["record_id"], "records", &["record_id"]);
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
        vec![
            text("force_id", "Force ID", FORCE_ID),
            text("force_code", "Force area code", FORCE_CODE),
            text("force_name", "Force", FORCE_NAME),
            text("request", "Request", REQUEST),
            text("status", "Status", "How the force answered: answered, partial, refused and the FOI Act section, not held, no response."),
            text("unit", "Unit", "What the force counted; empty (null) when it gave no figures."),
            Column::new("period_from", Kind::Date, "Period from", "The first day of the period the force answered for; empty (null) when no response is configured."),
            Column::new("period_to", Kind::Date, "Period to", "The last day of the period the force answered for; empty (null) when no response is configured."),
            Column::new("fixed", Kind::List("; "), "Definitions", "The definitions the response fixes for all its figures, as dimension=value (\"online_method=cyber_flag\"); in the CSV joined by \"; \"."),
            Column::new("included", Kind::Bool, "Added", "Whether the force's figures were added to the national figures."),
            Column::new("flagged", Kind::Bool, "Flagged", "Added, but counting something a little different from what was asked or maybe falling short of it."),
            text("reason", "Why not added or why flagged", "Why the figures were not added, or each reason they were flagged, in words; empty (null) when added as asked."),
            Column::new("reason_code", Kind::List(";"), "Reason codes", "The reasons as codes, in the CSV joined by \";\": no_response_configured, refused, not_held, no_response, failed_to_read, conflict (one figure given two values), another_period, not_available (every figure marked not available), not_a_count (the cells hold nothing readable as a figure), period_not_covered, no_row (a national source has no row for the force) or no_figures when not added; partial_answer, partial_period, another_unit, another_definition, unmapped, some_not_available, some_not_a_count or stale when flagged."),
        ],
    )
    .describe(
        "One row per force and request: how the force answered (answered, partial, refused and the FOI Act section, not held, no response), what it counted and for which period, the definitions fixed for its reply (such as how the online element was found), whether its figures were added to the national figures, and why not or why flagged. `reason_code` names each reason.",
        &["force_id", "request"],
    )
    .about(&[Topic::NotAdded, Topic::Flagged]);
    for c in &release.coverage {
        let force = force_of(&c.force);
        cov.rows.push(vec![
            Value::text(&c.force.0),
            Value::text(force.map(|f| f.code.clone()).unwrap_or_default()),
            Value::text(force.map(|f| f.name.clone()).unwrap_or_default()),
            Value::text(&c.request),
            Value::text(&c.status),
            Value::text(&c.unit),
            Value::Date(c.period.map(|p| p.from)),
            Value::Date(c.period.map(|p| p.to)),
            // Already "; "-joined dimension=value pairs.
            Value::List(c.fixed.clone()),
            Value::Bool(c.included),
            Value::Bool(c.flagged),
            Value::text(&c.reason),
            Value::list(c.reasons.iter().map(|r| r.code()), ";"),
        ]);
    }

    // comparisons
    let mut cols = vec![
        text("comparison_id", "Comparison ID", "Identifies the comparison: from request -> to request / basis."),
        text("from_request", "From request", "The earlier request: a request's `id` in the campaign."),
        text("to_request", "To request", "The later request."),
        text("basis", "Basis", "matched_panel: only the forces added to both requests on the same terms; all_forces: every force added to either."),
        Column::new("comparable", Kind::Bool, "Comparable", "Whether a change is given: over all forces, only when the same forces were added to both requests."),
        Column::new("forces", Kind::Int, "Forces compared", "How many forces are compared: the panel, or every force added to either.").unit("forces"),
        Column::new("from_forces", Kind::Int, "Forces in the first total", "How many forces the from total is over.").unit("forces"),
        Column::new("to_forces", Kind::Int, "Forces in the second total", "How many forces the to total is over.").unit("forces"),
    ];
    cols.extend(range_columns(
        "from_",
        &format!("{number_of}, from"),
        "The from request's total over the forces compared",
        Some(&unit),
    ));
    cols.extend(range_columns(
        "to_",
        &format!("{number_of}, to"),
        "The to request's total over the forces compared",
        Some(&unit),
    ));
    cols.extend(
        range_columns(
            "change_",
            &format!("Change in {unit}"),
            "The change, to minus from; empty (null) when not comparable, and empty too",
            Some(&unit),
        )
        .map(|c| Column {
            kind: Kind::Signed,
            ..c
        }),
    );
    cols.extend([
        Column::new("percent_change", Kind::Number, "Change (%)", "The change as a percentage of the from total, to one decimal place; empty (null) when not comparable or either total is a range.").unit("percent"),
        Column::new("notes", Kind::List("; "), "Notes", "Why not comparable, and every difference found between the two requests (overlapping periods, forces in one only, other units or methods); in the CSV joined by \"; \"."),
    ]);
    let mut cmp = Table::new("comparisons", "The change between requests", cols)
        .describe(
            "The change from one request to the next: first over the matched panel of forces added to both on the same terms (basis matched_panel: the same unit and definitions, neither answer partial nor missing rows), then over every force added to either (basis all_forces). `forces` counts the forces compared, `from_forces` and `to_forces` those each total is over. A change is given only where `comparable` is true: over all forces, only when the same forces were added to both requests; otherwise each total is over its own forces and the change columns are empty. `notes` says why not, and lists every difference found between the two.",
            &["comparison_id"],
        )
        .about(&[Topic::Ranges, Topic::Comparison]);
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
        row.push(Value::list(&c.notes, "; "));
        cmp.rows.push(row);
    }

    // reconciliation
    let mut cols = vec![
        text("check_id", "Check ID", "Identifies the check: request / scope / label / breakdown."),
        text("request", "Request", REQUEST),
        text("scope", "Whose figure", "\"national\" for a national source's own row (\"England and Wales\"), else the force whose stated total is checked."),
        text("label", "What is checked", "The grain stated against the grain summed (\"total against offence\"), or the national row's label."),
        text("breakdown", "Row or column", "Which row or column of the breakdown the stated total is for (dimension=value, joined by \",\"); empty (null) for a grand total."),
    ];
    cols.extend(range_columns(
        "stated_",
        &format!("Stated {unit}"),
        "The figure the source states",
        Some(&unit),
    ));
    cols.extend(range_columns(
        "computed_",
        &format!("Computed {unit}"),
        "foi's sum of the figures it totals",
        Some(&unit),
    ));
    cols.extend([
        Column::new(
            "difference",
            Kind::Signed,
            &format!("Difference in {unit}"),
            "Computed minus stated, when both are exact; empty (null) otherwise.",
        )
        .figures()
        .unit(&unit),
        Column::new(
            "agrees",
            Kind::Bool,
            "Agrees",
            "Whether the stated and computed ranges meet.",
        ),
        text(
            "source",
            "Source file",
            "The source file the stated figure is in.",
        ),
        Column::new(
            "cells",
            Kind::List("; "),
            "Cells",
            "Where the stated figure is: its cells, in the CSV joined by \"; \".",
        ),
        text(
            "computed_from",
            "Computed from",
            "Where the figures summed are (the first few cells, and how many).",
        ),
    ]);
    let mut rec = Table::new(
        "reconciliation",
        "Reconciliation: figures the sources state against what foi computes",
        cols,
    )
    .describe(
        "One row per figure a source states that foi also computes: a national row (\"England and Wales\") against the sum of the same source's force rows, and each total a force states (its grand total, a total for each row and each column) against each finer table it totals (`label`: the grain stated against the grain summed; `breakdown`: which row or column). `agrees` is true when the two ranges meet; `difference` is computed minus stated, when both are exact. `cells` is where the stated figure is, `computed_from` where the figures summed are.",
        &["check_id"],
    )
    .about(&[Topic::Ranges]);
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
        // A lineage's cells, "; "-joined as the column's delimiter.
        row.push(Value::List(c.cells.clone()));
        row.push(Value::text(&c.parts));
        rec.rows.push(row);
    }
    let changes = changes(&Changes::first(&campaign.id, ""), &unit);
    vec![
        national,
        by_force,
        contributions,
        recs,
        lineage,
        cov,
        cmp,
        rec,
        changes,
    ]
}

/// Marks each figure revised since the previous release in the national
/// table, and fills the changes table.
pub fn revise(tables: &mut [Table], c: &Changes, unit: &str) {
    for t in tables.iter_mut() {
        match t.name.as_str() {
            "national" => {
                let (Some(id), Some(revised)) = (t.column("figure_id"), t.column("revised")) else {
                    continue;
                };
                for row in &mut t.rows {
                    let figure = row[id].csv_field();
                    row[revised] = Value::Bool(c.revised(&figure));
                }
            }
            "changes" => *t = changes(c, unit),
            _ => {}
        }
    }
}

/// The changes table: each national figure that differs from the release
/// this one replaced, with its previous and new values, the forces whose
/// part moved, and why. `foi diff --format csv` writes the same table.
pub fn changes(c: &Changes, unit: &str) -> Table {
    let number_of = format!("Number of {unit}");
    let mut cols = vec![
        text("figure_id", "Figure ID", "The national figure, as the national table identifies it (a withdrawn figure is in the previous release only)."),
        text("request", "Request", REQUEST),
        text("breakdown", "Breakdown", "The dimensions the figure breaks the request's total down by, joined by \"+\"; \"total\" for the total itself."),
        text("change", "Change", "revised: its value or range differs ([r] in the spreadsheet); new: not in the previous release (a new request or breakdown value); withdrawn: in the previous release only; forces: the same value, over other forces or with others flagged."),
    ];
    cols.extend(range_columns(
        "previous_",
        &format!("{number_of}, previous release"),
        "The figure in the previous release; empty (null) for a new figure, and empty too",
        Some(unit),
    ));
    cols.extend(range_columns(
        "",
        &format!("{number_of}, this release"),
        "The figure in this release; empty (null) for a withdrawn figure, and empty too",
        Some(unit),
    ));
    cols.extend([
        Column::new("change_value", Kind::Signed, &format!("Change in {unit}"), "This release's figure minus the previous release's, when both are exact; empty (null) otherwise.").figures().unit(unit),
        Column::new("lo_change", Kind::Signed, &format!("Change in the lowest possible number of {unit}"), "How much `lo` moved: this release's minus the previous release's; empty (null) for a new or withdrawn figure.").figures().unit(unit),
        Column::new("hi_change", Kind::Signed, &format!("Change in the highest possible number of {unit}"), "How much `hi` moved: this release's minus the previous release's; empty (null) for a new or withdrawn figure.").figures().unit(unit),
        Column::new("previous_forces", Kind::Int, "Forces added, previous release", "How many forces' figures the previous release added up; empty (null) for a new figure.").unit("forces"),
        Column::new("forces", Kind::Int, "Forces added, this release", "How many forces' figures this release adds up; empty (null) for a withdrawn figure.").unit("forces"),
        Column::new("forces_changed", Kind::List(";"), "Forces whose part changed", "The forces whose part of the figure differs (added, left out, or another number), by force id; in the CSV joined by \";\"; empty when a release does not record the forces' parts of the figure (`parts` says so)."),
        text("parts", "Each changed part", "Each force's part before and now (\"kent 160 → 178 (+18)\"; \"not added\" where it was not added), joined by \"; \"; or why the parts are not known."),
        text("why", "Why it changed", "What changed in what the releases record, for each force whose part moved (its reply's bytes and the cells whose text changed, its response config, a crosswalk line that applies to it, how it answered and whether it was added) and for every force (foi's build, the campaign's config), joined by \"; \"."),
        text("previous_release", "Previous release", "The run id of the release this one is compared with: the one it replaced."),
    ]);
    let mut t = Table::new(
        "changes",
        "Changes since the previous release: each national figure that differs, and why",
        cols,
    )
    .describe(
        &format!(
            "{} One row per national figure that differs from the previous release: its previous and new values (a range where a force suppressed small counts), how much each end moved, the forces whose part changed and by how much, and why, from what the two releases record.",
            c.description()
        ),
        &["figure_id"],
    )
    .about(&[Topic::Revisions, Topic::Ranges]);
    let previous = c.previous.clone().unwrap_or_default();
    for f in &c.figures {
        let state = f.state();
        let (p, n) = (f.previous.as_ref(), f.now.as_ref());
        let mut row = vec![
            Value::text(&f.figure_id),
            Value::text(&f.request),
            Value::text(&state.breakdown),
            Value::text(f.change.code()),
        ];
        let none = [Value::Int(None), Value::Int(None), Value::Int(None)];
        row.extend(p.map_or(none.clone(), |p| interval_values(p.total)));
        row.extend(n.map_or(none, |n| interval_values(n.total)));
        let both = p.zip(n).map(|(p, n)| (p.total, n.total));
        let d = |a: u64, b: u64| b as i64 - a as i64;
        row.push(Value::Signed(
            both.and_then(|(a, b)| Some(d(a.value()?, b.value()?))),
        ));
        row.push(Value::Signed(both.map(|(a, b)| d(a.lo, b.lo))));
        row.push(Value::Signed(both.map(|(a, b)| d(a.hi, b.hi))));
        row.push(Value::Int(p.map(|p| p.forces)));
        row.push(Value::Int(n.map(|n| n.forces)));
        match &f.parts {
            Some(parts) => {
                row.push(Value::list(parts.iter().map(|p| p.force.as_str()), ";"));
                row.push(Value::text(
                    parts
                        .iter()
                        .map(|p| p.line())
                        .collect::<Vec<_>>()
                        .join("; "),
                ));
            }
            None => {
                row.push(Value::List(String::new()));
                row.push(Value::text(format!(
                    "not known: release {previous} does not record each force's part of a breakdown"
                )));
            }
        }
        row.push(Value::text(c.why(f).join("; ")));
        row.push(Value::text(&previous));
        t.rows.push(row);
    }
    crate::table::at_scale(std::slice::from_mut(&mut t), c.scale);
    t
}

/// Whether a force's part is flagged: the same column in by_force and
/// contributions.
fn flagged_column() -> Column {
    Column::new(
        "flagged",
        Kind::Bool,
        "Flagged",
        "Whether the force's figures count something a little different from what was asked or may fall short of it: coverage says why.",
    )
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
        Value::Date(Some(r.period.from)),
        Value::Date(Some(r.period.to)),
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
    // `describe` joins the cells with "; ", as the column's delimiter.
    row.push(Value::List(r.lineage.describe()));
    row.push(Value::list(&r.lineage.narrowed_by, " | "));
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
    let mut part: Vec<i64> = Vec::with_capacity(n);
    // Every cell's name in one buffer, cut into a column after.
    let mut names = String::with_capacity(n * 8);
    let mut ends: Vec<usize> = Vec::with_capacity(n);
    for (r, id) in order.iter().zip(ids) {
        let l = &r.lineage;
        let rows = l.cells.len() + usize::from(l.page.is_some());
        record_id.extend_constant(rows, Some(id.as_str()));
        part.extend(1..=rows as i64);
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
