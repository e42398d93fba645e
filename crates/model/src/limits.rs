//! Bounds on what one response may make foi read, so a broken or hostile
//! file is an error for that response rather than a crash, a hang or
//! exhausted memory. Written as an optional `[limits]` table in
//! campaign.toml; every bound has a safe default.

use serde::Deserialize;

/// How much one response may make foi read. Reaching a bound is an error
/// for that response; the other responses carry on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Bytes a workbook (xlsx, ods: a zip) may inflate to, all parts
    /// together, judged from the sizes its zip directory declares (which the
    /// zip reader then enforces) before anything is inflated.
    pub max_inflated_bytes: u64,
    /// Cells one sheet may span: the rows times the columns of the box
    /// around its non-empty cells, which is what a grid of it holds.
    pub max_cells_per_sheet: u64,
    /// Cells all the sheets of a workbook may span together.
    pub max_cells_per_workbook: u64,
    /// Sheets a workbook may have.
    pub max_sheets: u64,
    /// Bytes one line of a text (csv) file may have.
    pub max_line_bytes: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_inflated_bytes: 128 * 1024 * 1024,
        max_cells_per_sheet: 2_000_000,
        max_cells_per_workbook: 4_000_000,
        max_sheets: 100,
        max_line_bytes: 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let l: Limits = toml::from_str("").expect("empty");
        assert_eq!(l, Limits::DEFAULT);
        let l: Limits = toml::from_str("max_sheets = 7").expect("one");
        assert_eq!(l.max_sheets, 7);
        assert_eq!(l.max_line_bytes, Limits::DEFAULT.max_line_bytes);
        assert!(toml::from_str::<Limits>("max_sheet = 7").is_err());
    }
}
