//! `foi check`: every check of the config that needs no network. The
//! loader has checked the files themselves (file:line); here, whether each
//! local source exists, whether a csv's table names a sheet, and whether
//! the crosswalks map every label the responses give: those of `[[manual]]`
//! and `[[manual_table]]` entries (typed into the config), and those of
//! every source already in the cache, normalised offline as `foi build`
//! would read it. Each label nothing maps is printed with the line to add.

use crate::{exit, inspect, outln, report, Ctx};
use foi_model::{Diagnostic, Severity};

/// What the labels check found.
struct Labels {
    /// Labels no crosswalk maps, and errors in figures typed into the config.
    gaps: Vec<Diagnostic>,
    /// Responses whose labels were read (from the cache, or typed in).
    read: usize,
    /// Responses with a source not in the cache: their labels are unknown.
    not_cached: usize,
}

pub fn run(ctx: &Ctx) -> u8 {
    // What the loader cannot see: whether each local source exists.
    let mut missing = crate::missing_sources(ctx);
    missing.extend(inspect::meaningless_sheets(ctx));
    for m in &missing {
        report::error(&format!("config: {m}"));
    }
    if !missing.is_empty() {
        return exit::USAGE;
    }
    let labels = labels(ctx);
    for d in &labels.gaps {
        report::diagnostic(d);
    }
    let campaign = &ctx.config.campaign;
    if !labels.gaps.is_empty() {
        let unmapped = labels.gaps.iter().filter(|d| d.is_unmapped()).count();
        let typed = labels.gaps.len() - unmapped;
        let mut said = Vec::new();
        if unmapped > 0 {
            said.push(format!("{unmapped} label(s) map to nothing"));
        }
        if typed > 0 {
            said.push(format!(
                "{typed} figure(s) typed into the config cannot be read"
            ));
        }
        report::error(&format!(
            "config: {}; add the lines above (`foi suggest` ranks values for each)",
            said.join(" and ")
        ));
        return exit::USAGE;
    }
    outln!(
        "config ok: campaign {} with {} requests, {} dimensions, {} responses; every label of {} response(s) maps",
        campaign.id,
        campaign.requests.len(),
        campaign.dimensions.len(),
        ctx.config.responses.len(),
        labels.read
    );
    if labels.not_cached > 0 {
        report::info(&format!(
            "{} response(s) could not be read from the cache (not fetched yet, or unreadable: `foi build` says which): their labels were not checked",
            labels.not_cached
        ));
    }
    exit::COMPLETE
}

/// Every response normalised from the cache (offline; figures typed into
/// the config need no cache), keeping what says the config is short: a
/// label no crosswalk maps, and for a reply whose figures are all typed
/// in, any error in them (a count that is not one).
fn labels(ctx: &Ctx) -> Labels {
    let stage = crate::build::normalise_all(ctx);
    let typed: std::collections::BTreeSet<String> = ctx
        .config
        .responses
        .iter()
        .filter(|r| !r.reads_tables() && r.status.has_figures())
        .filter_map(|r| r.source.as_ref().map(|s| s.display().to_string()))
        .collect();
    let gaps = stage
        .diagnostics
        .into_iter()
        .filter(|d| {
            d.is_unmapped()
                || (d.severity == Severity::Error
                    && d.kind != foi_model::DiagnosticKind::MissingSource
                    && d.file.as_ref().is_some_and(|f| typed.contains(f)))
        })
        .collect();
    let with_figures = ctx
        .config
        .responses
        .iter()
        .filter(|r| r.status.has_figures() && r.source.is_some())
        .count();
    Labels {
        gaps,
        read: with_figures - stage.failures.len(),
        not_cached: stage.failures.len(),
    }
}
