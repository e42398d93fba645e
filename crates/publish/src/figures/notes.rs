//! The notes a reader needs: what the shorthand means, what was left out
//! or flagged and why, where definitions differ. One note per force left
//! out or flagged, so no note grows with the number of forces.

use super::compare::{Basis, Comparison};
use super::coverage::CoverageRow;
use foi_model::config::Config;
use foi_model::ForceId;
use std::collections::BTreeMap;

/// What a note is about, so a table can refer to the notes that bear on it
/// (the spreadsheet's "[note 4]").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// How a suppressed count is given as a range.
    Ranges,
    /// What [c] and [x] mean.
    Shorthand,
    /// Never a stated total added to its cells.
    Grain,
    /// A force left out of a request's figures, and why.
    NotAdded,
    /// A force added but flagged, and why.
    Flagged,
    /// A difference between two requests that bears on their comparison.
    Comparison,
    /// What differs from the release this one replaced ([r]).
    Revisions,
}

/// A note a reader needs, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub topic: Topic,
    pub text: String,
}

impl Note {
    fn new(topic: Topic, text: impl Into<String>) -> Note {
        Note {
            topic,
            text: text.into(),
        }
    }
}

/// One note per force and reason: "north-yorkshire (ye-jun-2016,
/// fy-2016-17): refused (s.12)", in the forces' order.
fn per_force<'c>(rows: impl Iterator<Item = &'c CoverageRow>) -> Vec<String> {
    let mut order: Vec<(&ForceId, &str)> = Vec::new();
    let mut requests: BTreeMap<(&ForceId, &str), Vec<&str>> = BTreeMap::new();
    for c in rows {
        let key = (&c.force, c.reason.as_str());
        if !requests.contains_key(&key) {
            order.push(key);
        }
        requests.entry(key).or_default().push(&c.request);
    }
    order
        .into_iter()
        .map(|key| format!("{} ({}): {}", key.0, requests[&key].join(", "), key.1))
        .collect()
}

pub fn notes(config: &Config, coverage: &[CoverageRow], comparisons: &[Comparison]) -> Vec<Note> {
    let campaign = &config.campaign;
    let mut notes = vec![
        Note::new(Topic::Ranges, format!(
            "Counts are {} as the forces recorded them. Where a force hid small numbers (\"<5\", \"*\", \"redacted\"), the figure is a range: `value` is empty and `lo` and `hi` give the range; in the spreadsheet a range reads \"5,650 to 5,661\". A range is narrowed wherever the force's own totals allow.",
            campaign.unit
        )),
        Note::new(Topic::Shorthand, "[c] marks a count a force suppressed (a range is given beside it); [x] marks a figure that is not available."),
        Note::new(Topic::Grain, "A force's figures are taken from one table of its reply for each breakdown, never adding a stated total to the cells it totals."),
    ];
    for n in per_force(coverage.iter().filter(|c| !c.included)) {
        notes.push(Note::new(Topic::NotAdded, format!("Not added: {n}.")));
    }
    let flagged = per_force(coverage.iter().filter(|c| c.flagged));
    if !flagged.is_empty() {
        notes.push(Note::new(
            Topic::Flagged,
            "Forces added but flagged count something a little different from what was asked, or may fall short of it; each is listed below with why.",
        ));
    }
    for n in flagged {
        notes.push(Note::new(
            Topic::Flagged,
            format!("Added but flagged: {n}."),
        ));
    }
    for c in comparisons.iter().filter(|c| c.basis == Basis::AllForces) {
        for n in &c.notes {
            notes.push(Note::new(
                Topic::Comparison,
                format!("Comparing {} with {}: {n}.", c.from, c.to),
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use crate::figures::testing::{answered, config, declined, record};
    use crate::figures::{assemble, Gaps};

    #[test]
    fn one_note_per_force_left_out_or_flagged_never_one_for_all() {
        let c = config(&[
            (
                "alpha",
                declined("alpha", "status = \"refused\"\nsection = \"s.12\""),
            ),
            ("beta", declined("beta", "status = \"not_held\"")),
            (
                "gamma",
                answered(Some("gamma"), &["y1", "y2"], "unit = \"victims\""),
            ),
        ]);
        let records = vec![
            record("gamma", "y1", &[], 1, 1),
            record("gamma", "y2", &[], 2, 2),
        ];
        let notes = assemble(&c, &records, &[], &[], &Gaps::default()).notes;
        let said: Vec<&str> = notes
            .iter()
            .map(|n| n.text.as_str())
            .filter(|n| n.starts_with("Not added") || n.starts_with("Added but flagged:"))
            .collect();
        assert_eq!(
            said,
            vec![
                "Not added: alpha (y1, y2): refused (s.12).",
                "Not added: beta (y1, y2): not held.",
                "Not added: delta (y1, y2): no response configured.",
                "Added but flagged: gamma (y1, y2): counts victims not offences.",
            ]
        );
    }
}
