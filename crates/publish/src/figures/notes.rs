//! The notes a reader needs: what the shorthand means, what was left out
//! or flagged, where definitions differ.

use super::compare::Comparison;
use super::coverage::CoverageRow;
use foi_model::config::Config;

pub fn notes(config: &Config, coverage: &[CoverageRow], comparisons: &[Comparison]) -> Vec<String> {
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
