//! A release's tables as their CSV holds them, and what the comparison
//! reads of them. One reading for both sides: the release on disk (the cli
//! reads its CSV) and the release being written (its tables rendered to the
//! same text), so two releases from the same inputs read alike.

use super::{CoverageState, Facts, FigureState, Part, RecordState, Snapshot};
use foi_model::Interval;
use std::collections::BTreeMap;

/// A table as its CSV holds it: the header, and each row's fields as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What could not be read of a release's tables: the table, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}: {reason}")]
pub struct RowsError {
    pub table: String,
    pub reason: String,
}

/// One table's columns, looked up by name once.
struct Cols<'r> {
    table: &'r str,
    rows: &'r Rows,
}

impl<'r> Cols<'r> {
    fn index(&self, name: &str) -> Result<usize, RowsError> {
        self.rows
            .header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| RowsError {
                table: self.table.to_string(),
                reason: format!("no column {name:?}"),
            })
    }
}

fn count(table: &str, row: usize, col: &str, s: &str) -> Result<u64, RowsError> {
    s.parse().map_err(|_| RowsError {
        table: table.to_string(),
        reason: format!("row {}: {col} {s:?} is not a count", row + 1),
    })
}

/// `lo` and `hi` of a row (`value` is one of them when exact).
fn interval(
    table: &str,
    row: usize,
    fields: &[String],
    lo: usize,
    hi: usize,
) -> Result<Interval, RowsError> {
    Ok(Interval::new(
        count(table, row, "lo", &fields[lo])?,
        count(table, row, "hi", &fields[hi])?,
    ))
}

/// "a;b" -> ["a", "b"]; "" -> [].
fn list(s: &str, delimiter: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(delimiter).map(str::to_string).collect()
    }
}

/// Every row's fields, each as long as the header (a short row is padded).
fn fields(rows: &Rows) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    let width = rows.header.len();
    rows.rows.iter().enumerate().map(move |(i, r)| {
        let mut r = r.clone();
        r.resize(width.max(r.len()), String::new());
        (i, r)
    })
}

impl Snapshot {
    /// What the comparison reads of a release: its facts, and its tables
    /// by name (`national`, `coverage`, `by_force`, and `contributions`
    /// when the release published it). Records are added after, only
    /// those of the sources that changed ([`Snapshot::add_records`]).
    pub fn from_rows(facts: Facts, tables: &BTreeMap<String, Rows>) -> Result<Snapshot, RowsError> {
        let table = |name: &str| {
            tables.get(name).ok_or_else(|| RowsError {
                table: name.to_string(),
                reason: "missing from the release".into(),
            })
        };
        let mut snapshot = Snapshot {
            facts,
            ..Snapshot::default()
        };

        let national = table("national")?;
        let c = Cols {
            table: "national",
            rows: national,
        };
        let (id, request, breakdown, lo, hi, forces, flagged) = (
            c.index("figure_id")?,
            c.index("request")?,
            c.index("breakdown")?,
            c.index("lo")?,
            c.index("hi")?,
            c.index("forces")?,
            c.index("flagged_forces")?,
        );
        for (i, f) in fields(national) {
            snapshot.figures.push(FigureState {
                figure_id: f[id].clone(),
                request: f[request].clone(),
                breakdown: f[breakdown].clone(),
                total: interval("national", i, &f, lo, hi)?,
                forces: count("national", i, "forces", &f[forces])?,
                flagged: list(&f[flagged], ";"),
            });
        }

        // Each force's part of each figure: published since contributions
        // were; before, only each force's total (by_force), the part of
        // each request's total.
        let mut parts: BTreeMap<String, BTreeMap<String, Part>> = BTreeMap::new();
        let (name, rows) = match tables.get("contributions") {
            Some(rows) => ("contributions", rows),
            None => ("by_force", table("by_force")?),
        };
        snapshot.breakdown_parts = name == "contributions";
        let c = Cols { table: name, rows };
        let figure = if snapshot.breakdown_parts {
            Some(c.index("figure_id")?)
        } else {
            None
        };
        let (request, force, lo, hi, flagged) = (
            c.index("request")?,
            c.index("force_id")?,
            c.index("lo")?,
            c.index("hi")?,
            c.index("flagged")?,
        );
        for (i, f) in fields(rows) {
            let figure_id = match figure {
                Some(fi) => f[fi].clone(),
                None => format!("{}/total", f[request]),
            };
            parts.entry(figure_id).or_default().insert(
                f[force].clone(),
                Part {
                    interval: interval(name, i, &f, lo, hi)?,
                    flagged: f[flagged] == "true",
                },
            );
        }
        snapshot.parts = parts;

        let coverage = table("coverage")?;
        let c = Cols {
            table: "coverage",
            rows: coverage,
        };
        let (force, request, status, included, flagged, reason, code) = (
            c.index("force_id")?,
            c.index("request")?,
            c.index("status")?,
            c.index("included")?,
            c.index("flagged")?,
            c.index("reason")?,
            c.index("reason_code")?,
        );
        for (_, f) in fields(coverage) {
            snapshot.coverage.insert(
                (f[force].clone(), f[request].clone()),
                CoverageState {
                    status: f[status].clone(),
                    included: f[included] == "true",
                    flagged: f[flagged] == "true",
                    reason: f[reason].clone(),
                    reason_code: list(&f[code], ";"),
                },
            );
        }
        Ok(snapshot)
    }

    /// Adds the records of `rows` (a release's records table) read from a
    /// source whose sha256 is in `sha256s`: the records of the sources that
    /// changed, for their cells ([`super::changed_sources`]).
    pub fn add_records(
        &mut self,
        rows: &Rows,
        sha256s: &std::collections::BTreeSet<String>,
    ) -> Result<(), RowsError> {
        let c = Cols {
            table: "records",
            rows,
        };
        let (id, request, force, text, lo, hi, sha, source, sheet, cells) = (
            c.index("record_id")?,
            c.index("request")?,
            c.index("force_id")?,
            c.index("text")?,
            c.index("lo")?,
            c.index("hi")?,
            c.index("source_sha256")?,
            c.index("source")?,
            c.index("sheet")?,
            c.index("cells")?,
        );
        for (i, f) in fields(rows) {
            if !sha256s.contains(&f[sha]) {
                continue;
            }
            self.records.push(RecordState {
                record_id: f[id].clone(),
                request: f[request].clone(),
                force: f[force].clone(),
                text: f[text].clone(),
                interval: interval("records", i, &f, lo, hi)?,
                sha256: f[sha].clone(),
                source: f[source].clone(),
                sheet: f[sheet].clone(),
                cells: f[cells].clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(header: &[&str], rows: &[&[&str]]) -> Rows {
        Rows {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn a_release_without_contributions_gives_each_forces_part_of_the_totals_only() {
        let mut tables = BTreeMap::new();
        tables.insert(
            "national".to_string(),
            rows(
                &[
                    "figure_id",
                    "request",
                    "breakdown",
                    "value",
                    "lo",
                    "hi",
                    "forces",
                    "flagged_forces",
                ],
                &[
                    &["y1/total", "y1", "total", "", "6", "9", "2", "beta"],
                    &["y1/age=3", "y1", "age", "4", "4", "4", "1", ""],
                ],
            ),
        );
        tables.insert(
            "by_force".to_string(),
            rows(
                &["request", "force_id", "value", "lo", "hi", "flagged"],
                &[
                    &["y1", "alpha", "5", "5", "5", "false"],
                    &["y1", "beta", "", "1", "4", "true"],
                ],
            ),
        );
        tables.insert(
            "coverage".to_string(),
            rows(
                &[
                    "force_id",
                    "request",
                    "status",
                    "included",
                    "flagged",
                    "reason",
                    "reason_code",
                ],
                &[&["beta", "y1", "answered", "true", "true", "stale", "stale"]],
            ),
        );
        let s = Snapshot::from_rows(Facts::default(), &tables).expect("reads");
        assert!(!s.breakdown_parts);
        assert_eq!(s.figures[0].total, Interval::new(6, 9));
        assert_eq!(s.figures[0].flagged, vec!["beta".to_string()]);
        assert_eq!(
            s.parts["y1/total"]["beta"],
            Part {
                interval: Interval::new(1, 4),
                flagged: true
            }
        );
        assert!(!s.parts.contains_key("y1/age=3"));
        assert_eq!(
            s.coverage[&("beta".to_string(), "y1".to_string())].reason_code,
            vec!["stale".to_string()]
        );

        // A table without a column it needs names both.
        tables.insert("coverage".to_string(), rows(&["force_id"], &[]));
        let e = Snapshot::from_rows(Facts::default(), &tables).expect_err("no request");
        assert_eq!(e.to_string(), "coverage: no column \"request\"");
    }
}
