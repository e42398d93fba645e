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
    };
    let page = l.page.map(|p| format!("; page {p}")).unwrap_or_default();
    format!(
        "{}; … and {} more cells{page}",
        first.describe(),
        foi_publish::thousands((l.cells.len() - CELLS_SHOWN) as u64)
    )
}

pub fn explain(ctx: &Ctx, request: &str, breakdown: &[String], all_cells: bool) -> Result<u8> {
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
        &build::gaps(ctx, &stage, &build::sources(ctx)),
    );
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
        show(fig.total)
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
            show(c.interval),
            if c.flagged { " [flagged]" } else { "" }
        );
        for &i in &c.records {
            let r = &records[i];
            let sheet = r
                .lineage
                .sheet
                .as_ref()
                .map(|s| format!(", sheet {s:?}"))
                .unwrap_or_default();
            crate::outln!(
                "      {}{sheet}, {}: {:?} = {}",
                r.lineage.file,
                cells(&r.lineage, all_cells),
                r.count.text,
                show(r.count.interval)
            );
        }
    }
    crate::outln!(
        "{} contributions add up to {}{}",
        fig.contributions.len(),
        show(sum),
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
