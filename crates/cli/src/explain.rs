//! `foi explain`: a published figure, each force's contribution, and under
//! each the source cells, with a check that they add up.

use crate::headline::show;
use crate::{build, exit, report, Ctx};
use anyhow::Result;
use foi_model::{DimId, Interval};

pub fn explain(ctx: &Ctx, request: &str, breakdown: &[String]) -> Result<u8> {
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
        &build::gaps(&stage),
    );
    let records = stage.records;
    let Some(fig) = release.figure(request, &wanted) else {
        report::error(&format!(
            "no published figure for request {request:?} with {breakdown:?}"
        ));
        return Ok(exit::USAGE);
    };
    println!(
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
        println!(
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
            println!(
                "      {}{sheet}, {}: {:?} = {}",
                r.lineage.file,
                r.lineage.describe(),
                r.count.text,
                show(r.count.interval)
            );
        }
    }
    println!(
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
