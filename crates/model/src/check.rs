use crate::Interval;
use serde::{Deserialize, Serialize};

/// A figure a source states that foi computes too, with both: a force's
/// stated total (of a row, a column, a table) against the sum of the
/// figures it totals, or a national row ("England and Wales") against the
/// sum of the same source's force rows. Checked, never added; every one is
/// published in `reconciliation.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub request: String,
    /// "national", or the force whose own figures are compared.
    pub scope: String,
    /// What was compared: "total against offence" (the grains), or a
    /// national row's label as written.
    pub label: String,
    /// The stated figure's dimension values ("victim_age=13"), and those of
    /// an overlapping dimension it is checked within.
    pub breakdown: String,
    pub stated: Interval,
    pub computed: Interval,
    pub source: String,
    /// Where the stated figure is ("F9"; "C5; C6" for a sum of figures).
    pub cells: String,
    /// Where the figures it is checked against are ("B9; C9; D9; E9").
    #[serde(default)]
    pub parts: String,
}

impl Check {
    /// Two honest ranges for one quantity agree when they meet.
    pub fn agrees(&self) -> bool {
        self.stated.intersect(&self.computed).is_some()
    }
}
