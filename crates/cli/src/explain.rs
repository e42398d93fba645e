//! `foi explain`: a published figure, each force's contribution, and under
//! each the source cells, with a check that they add up.

use crate::headline::show;
use crate::{build, exit, report, Ctx};
use anyhow::Result;
use foi_model::{DimId, Interval, Lineage};

/// Cells listed for a record unless `--all-cells`: enough to find the rows
/// in the source, few enough that a figure counted from a million rows
/// fits on a screen.
const CELLS_SHOWN: usize = 10;

/// The record's cells (and page), cut after [`CELLS_SHOWN`] unless `all`.
fn cells(l: &Lineage, all: bool) -> String {
    if all || l.cells.len() <= CELLS_SHOWN {
        return l.describe();
    }
    let first = Lineage {
        sha256: String::new(),
        file: String::new(),
        sheet: l.sheet.clone(),
        cells: l.cells[..CELLS_SHOWN].to_vec(),
        page: None,
        narrowed_by: Vec::new(),
    };
    let page = l.page.map(|p| format!("; page {p}")).unwrap_or_default();
    format!(
        "{}; … and {} more cells{page}",
        first.describe(),
        foi_publish::thousands((l.cells.len() - CELLS_SHOWN) as u64)
    )
}

/// One record: where it is, what it says, what it counts as, and the
/// stated totals that narrowed it.
fn print_record(lead: &str, r: &foi_model::Record, all_cells: bool, scale: foi_model::Scale) {
    let sheet = r
        .lineage
        .sheet
        .as_ref()
        .map(|s| format!(", sheet {s:?}"))
        .unwrap_or_default();
    crate::outln!(
        "{lead}{}{sheet}, {}: {:?} = {}",
        r.lineage.file,
        cells(&r.lineage, all_cells),
        r.count.text,
        show(scale, r.count.interval)
    );
    for by in &r.lineage.narrowed_by {
        crate::outln!("        narrowed by {by}");
    }
}

pub fn explain(
    ctx: &Ctx,
    request: &str,
    breakdown: &[String],
    all_cells: bool,
    force: Option<&str>,
) -> Result<u8> {
    let config = &ctx.config;
    let mut wanted = Vec::new();
    for b in breakdown {
        let Some((d, v)) = b.split_once('=') else {
            report::error(&format!("{b:?} is not dim=value"));
            return Ok(exit::USAGE);
        };
        wanted.push((DimId::new(d.trim()), v.trim().to_string()));
    }
    // Rebuilt from the cache and config, offline: the same inputs give the
    // same figures as the published release.
    let stage = build::normalise_all(ctx);
    let release = foi_publish::assemble(
        config,
        &stage.records,
        &stage.aggregates,
        &stage.checks,
        &build::gaps(ctx, &stage, &build::sources(ctx)),
    );
    if let Some(name) = force {
        return Ok(one_force(
            ctx, &stage, &release, request, &wanted, all_cells, name,
        ));
    }
    let records = stage.records;
    let Some(fig) = release.figure(request, &wanted) else {
        report::error(&format!(
            "no published figure for request {request:?} with {breakdown:?}"
        ));
        return Ok(exit::USAGE);
    };
    crate::outln!(
        "{request} {}: {}",
        if wanted.is_empty() {
            "total".to_string()
        } else {
            breakdown.join(" ")
        },
        show(ctx.config.campaign.scale, fig.total)
    );
    let mut sum = Interval::ZERO;
    for c in &fig.contributions {
        sum += c.interval;
        let name = config
            .forces
            .get(&c.force)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        crate::outln!(
            "  {} ({name}): {}{}",
            c.force,
            show(ctx.config.campaign.scale, c.interval),
            if c.flagged { " [flagged]" } else { "" }
        );
        for &i in &c.records {
            print_record("      ", &records[i], all_cells, ctx.config.campaign.scale);
        }
    }
    crate::outln!(
        "{} contributions add up to {}{}",
        fig.contributions.len(),
        show(ctx.config.campaign.scale, sum),
        if sum == fig.total {
            ", the published figure"
        } else {
            ", NOT the published figure"
        }
    );
    Ok(if sum == fig.total {
        exit::COMPLETE
    } else {
        exit::FAILED
    })
}

/// `foi explain REQUEST [dim=value …] --force NAME`: every record the force
/// gave for the request that carries the breakdown's values, grain by
/// grain, each with its cells, its count and the stated totals that
/// narrowed it; then every check of the force's own totals.
fn one_force(
    ctx: &Ctx,
    stage: &build::Stage,
    release: &foi_publish::Release,
    request: &str,
    wanted: &[(DimId, String)],
    all_cells: bool,
    name: &str,
) -> u8 {
    let config = &ctx.config;
    let Some(force) = config.forces.resolve(name) else {
        report::error(&format!("unknown force {name:?}"));
        return exit::USAGE;
    };
    let mut records: Vec<&foi_model::Record> = stage
        .records
        .iter()
        .filter(|r| r.force == force.id && r.request == request)
        .filter(|r| {
            wanted.iter().all(|(d, v)| {
                r.dims
                    .get(d)
                    .is_some_and(|x| x.to_string().eq_ignore_ascii_case(v))
            })
        })
        .collect();
    if records.is_empty() {
        report::error(&format!(
            "{} gave no figures for request {request:?}{}",
            force.id,
            if wanted.is_empty() {
                String::new()
            } else {
                " with those values".to_string()
            }
        ));
        return exit::USAGE;
    }
    records.sort_by(|a, b| (a.grain(), &a.dims).cmp(&(b.grain(), &b.dims)));
    crate::outln!(
        "{request} {} ({}): the figures its reply gave",
        force.id,
        force.name
    );
    let mut grain = String::new();
    for r in records {
        if r.grain() != grain {
            grain = r.grain();
            crate::outln!("  by {grain}:");
        }
        let dims: Vec<String> = r.dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let what = if dims.is_empty() {
            "total".to_string()
        } else {
            dims.join(", ")
        };
        print_record(
            &format!("    {what}: "),
            r,
            all_cells,
            ctx.config.campaign.scale,
        );
    }
    let checks: Vec<&foi_publish::Check> = release
        .checks
        .iter()
        .filter(|c| c.scope == force.id.0 && c.request == request)
        .collect();
    if !checks.is_empty() {
        crate::outln!("  its stated totals, checked:");
    }
    for c in checks {
        crate::outln!(
            "    {}{}: stated {} at {}, computed {} from {}: {}",
            c.label,
            if c.breakdown.is_empty() {
                String::new()
            } else {
                format!(" [{}]", c.breakdown)
            },
            show(ctx.config.campaign.scale, c.stated),
            c.cells,
            show(ctx.config.campaign.scale, c.computed),
            c.parts,
            if c.agrees() { "agrees" } else { "DISAGREES" }
        );
    }
    exit::COMPLETE
}
