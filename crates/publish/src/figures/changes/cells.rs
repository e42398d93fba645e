//! The cells of a revised source whose text changed: each record of a
//! force read from the source's old bytes and from its new, matched by
//! record id (request, force and dimension values), so a figure the force
//! revised shows where it is and what it said before and after, whatever
//! rows were inserted above it.

use super::RecordState;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The most cells of one record listed: a record counted from one row per
/// crime names thousands.
pub const CELLS_SHOWN: usize = 10;

/// A figure of a source whose text changed: where it is, and what it said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub request: String,
    /// The record, as records.csv identifies it.
    pub record: String,
    /// Its sheet; empty for a text file.
    pub sheet: String,
    /// The cells it is read from now (or was, when it is gone), as
    /// records.csv lists them, the first [`CELLS_SHOWN`].
    pub cells: Vec<String>,
    /// How many cells that is in all.
    pub cell_count: usize,
    /// Its text before (`None`: no such figure in the old bytes) and now
    /// (`None`: none in the new).
    pub previous: Option<String>,
    pub now: Option<String>,
    /// For a figure counted from many cells (one row per crime), the cells
    /// counted now and not before, and before and not now (the first
    /// [`CELLS_SHOWN`] of each).
    pub counted: Vec<String>,
    pub uncounted: Vec<String>,
}

fn split(cells: &str) -> Vec<&str> {
    if cells.is_empty() {
        Vec::new()
    } else {
        cells.split("; ").collect()
    }
}

/// The cells of `these` not in `others`, in `these`' order: the first
/// [`CELLS_SHOWN`].
fn only_in(these: &str, others: &str) -> Vec<String> {
    let others: BTreeSet<&str> = split(others).into_iter().collect();
    split(these)
        .into_iter()
        .filter(|c| !others.contains(c))
        .take(CELLS_SHOWN)
        .map(str::to_string)
        .collect()
}

/// `force`'s records read from bytes `before` (in `previous`) and `now`
/// (in `current`) whose text differs, or that are in one only.
pub fn cell_changes(
    previous: &[RecordState],
    current: &[RecordState],
    force: &str,
    before: &str,
    now: &str,
) -> Vec<CellChange> {
    let of = |records: &'_ [RecordState], sha: &str| -> BTreeMap<String, RecordState> {
        records
            .iter()
            .filter(|r| r.force == force && r.sha256 == sha)
            .map(|r| (r.record_id.clone(), r.clone()))
            .collect()
    };
    let (a, b) = (of(previous, before), of(current, now));
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (x, y) = (a.get(id), b.get(id));
        if matches!((x, y), (Some(x), Some(y)) if x.text == y.text) {
            continue;
        }
        let Some(r) = y.or(x) else { continue };
        let cells = split(&r.cells);
        let (counted, uncounted) = match (x, y) {
            (Some(x), Some(y)) if split(&x.cells).len() > 1 || cells.len() > 1 => {
                (only_in(&y.cells, &x.cells), only_in(&x.cells, &y.cells))
            }
            _ => (Vec::new(), Vec::new()),
        };
        out.push(CellChange {
            request: r.request.clone(),
            record: id.clone(),
            sheet: r.sheet.clone(),
            cell_count: cells.len(),
            cells: cells
                .into_iter()
                .take(CELLS_SHOWN)
                .map(str::to_string)
                .collect(),
            previous: x.map(|x| x.text.clone()),
            now: y.map(|y| y.text.clone()),
            counted,
            uncounted,
        });
    }
    // In the file's order: by sheet, then where the first cell is.
    out.sort_by_cached_key(|c| {
        (
            c.sheet.clone(),
            c.cells.first().map(|x| position(x)),
            c.record.clone(),
        )
    });
    out
}

/// Where a cell lies, to order cells as the file does: "line 16, field 3"
/// -> (16, 3); "C14" -> (14, 3); "page 2" -> (2, 0); else at the end.
fn position(cell: &str) -> (u64, u64) {
    let num = |s: &str| s.trim().parse::<u64>().ok();
    if let Some(rest) = cell.strip_prefix("line ") {
        if let Some((l, f)) = rest.split_once(", field ") {
            if let (Some(l), Some(f)) = (num(l), num(f)) {
                return (l, f);
            }
        }
    }
    if let Some(p) = cell.strip_prefix("page ").and_then(num) {
        return (p, 0);
    }
    let letters: String = cell.chars().take_while(char::is_ascii_uppercase).collect();
    if let Some(row) = num(&cell[letters.len()..]) {
        if !letters.is_empty() {
            let col = letters
                .bytes()
                .fold(0u64, |n, b| n * 26 + u64::from(b - b'A' + 1));
            return (row, col);
        }
    }
    (u64::MAX, u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use foi_model::Interval;

    fn record(id: &str, sha: &str, text: &str, cells: &str) -> RecordState {
        RecordState {
            record_id: id.into(),
            request: "y1".into(),
            force: "alpha".into(),
            text: text.into(),
            interval: Interval::ZERO,
            sha256: sha.into(),
            source: "alpha.csv".into(),
            sheet: String::new(),
            cells: cells.into(),
        }
    }

    #[test]
    fn a_figure_is_matched_by_what_it_counts_not_where_it_is() {
        let old = vec![
            record("y1/alpha/offence=a", "s1", "12", "B5"),
            record("y1/alpha/offence=b", "s1", "<5", "B6"),
            record("y1/alpha/total", "s1", "16", "B7"),
        ];
        // A row inserted above: every cell moved down one; b revised, and
        // the total with it.
        let new = vec![
            record("y1/alpha/offence=a", "s2", "12", "B6"),
            record("y1/alpha/offence=b", "s2", "6", "B7"),
            record("y1/alpha/total", "s2", "18", "B8"),
        ];
        let changes = cell_changes(&old, &new, "alpha", "s1", "s2");
        let said: Vec<(&str, &str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| {
                (
                    c.record.as_str(),
                    c.cells[0].as_str(),
                    c.previous.as_deref(),
                    c.now.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            said,
            vec![
                ("y1/alpha/offence=b", "B7", Some("<5"), Some("6")),
                ("y1/alpha/total", "B8", Some("16"), Some("18")),
            ]
        );
    }

    #[test]
    fn a_row_counted_under_another_value_names_its_cell_on_both_sides() {
        let old = vec![
            record(
                "y1/alpha/age=13",
                "s1",
                "2 rows",
                "line 2, field 4; line 5, field 4",
            ),
            record("y1/alpha/age=14", "s1", "1 row", "line 3, field 4"),
        ];
        let new = vec![
            record("y1/alpha/age=13", "s2", "1 row", "line 2, field 4"),
            record(
                "y1/alpha/age=14",
                "s2",
                "2 rows",
                "line 3, field 4; line 5, field 4",
            ),
        ];
        let changes = cell_changes(&old, &new, "alpha", "s1", "s2");
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].uncounted, vec!["line 5, field 4".to_string()]);
        assert!(changes[0].counted.is_empty());
        assert_eq!(changes[1].counted, vec!["line 5, field 4".to_string()]);
        assert_eq!(changes[1].previous.as_deref(), Some("1 row"));
        assert_eq!(changes[1].cell_count, 2);
        // Another force's records, or another copy's, are not compared.
        assert!(cell_changes(&old, &new, "beta", "s1", "s2").is_empty());
        assert_eq!(position("line 16, field 3"), (16, 3));
        assert_eq!(position("AA7"), (7, 27));
        assert_eq!(position("page 2"), (2, 0));
        assert_eq!(cell_changes(&old, &new, "alpha", "s1", "s3").len(), 2);
    }
}
