//! The labels of fixtures/labels/realworld.csv, read from the real files
//! of ../shared/realworld/ where they lie (they are not copied into the
//! repository): each line names a file, a sheet and a cell, and the
//! category the cell's text means.

use calamine::{open_workbook_auto, Reader};
use foi_normalise::suggest::score::Labelled;
use std::collections::HashMap;
use std::path::Path;

/// "C6" as (row, column) from 0: (5, 2).
fn cell(at: &str) -> Option<(u32, u32)> {
    let letters = at.chars().take_while(char::is_ascii_alphabetic).count();
    let (col, row) = at.split_at(letters);
    let col = col.chars().try_fold(0u32, |n, c| {
        Some(n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1))
    })?;
    let row: u32 = row.parse().ok()?;
    (col > 0 && row > 0).then(|| (row - 1, col - 1))
}

/// A cell's text as a reader sees it: line breaks and runs of spaces
/// from wrapped headers are one space.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cells of one file by (row, column): a workbook's sheet, or a csv
/// file's records, each at the line it starts on.
struct Grid(HashMap<(u32, u32), String>);

impl Grid {
    fn read(path: &Path, sheet: &str) -> Result<Grid, String> {
        let shown = path.display();
        let mut cells = HashMap::new();
        if path.extension().is_some_and(|e| e == "csv") {
            let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes.as_slice());
            for record in rdr.records() {
                let record = record.map_err(|e| format!("{shown}: {e}"))?;
                // The line a record starts on, from its byte offset (the
                // reader's own line count lags on the first records), past
                // the line end the offset may still be at.
                let mut start = record.position().map_or(0, |p| p.byte() as usize);
                while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                    start += 1;
                }
                let row = bytes[..start.min(bytes.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u32;
                for (c, text) in record.iter().enumerate() {
                    cells.insert((row, c as u32), squeezed(text));
                }
            }
        } else {
            let mut book = open_workbook_auto(path).map_err(|e| format!("{shown}: {e}"))?;
            let range = book
                .worksheet_range(sheet)
                .map_err(|e| format!("{shown}, sheet {sheet}: {e}"))?;
            for (r, c, v) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.insert((r0 + r as u32, c0 + c as u32), squeezed(&v.to_string()));
            }
        }
        Ok(Grid(cells))
    }

    /// The texts beside a cell in its table: along its column or its row,
    /// whichever holds more distinct texts (a column of offence rows, a
    /// row of offence headers), each once, the cell's own left out.
    fn siblings(&self, at: &str) -> Vec<String> {
        let Some((row, col)) = cell(at) else {
            return Vec::new();
        };
        let along = |same: &dyn Fn(u32, u32) -> bool| -> Vec<String> {
            let mut texts: Vec<(&(u32, u32), &String)> = self
                .0
                .iter()
                .filter(|((r, c), t)| {
                    same(*r, *c) && (*r, *c) != (row, col) && t.chars().any(char::is_alphabetic)
                })
                .collect();
            texts.sort();
            let mut seen = std::collections::BTreeSet::new();
            texts
                .into_iter()
                .map(|(_, t)| t.clone())
                .filter(|t| seen.insert(t.clone()))
                .collect()
        };
        let column = along(&|_, c| c == col);
        let row = along(&|r, _| r == row);
        if column.len() >= row.len() {
            column
        } else {
            row
        }
    }

    fn text(&self, at: &str) -> Option<&str> {
        self.0
            .get(&cell(at)?)
            .map(String::as_str)
            .filter(|t| !t.is_empty())
    }
}

/// The labelled set the key describes: each cell's text (with its code
/// cell's after it, where given) and the category it means.
pub fn labels(file: &str, key: &str, shared: &Path) -> Result<Vec<Labelled>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(key.as_bytes());
    let mut grids: HashMap<(String, String), Grid> = HashMap::new();
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| format!("{file}: {e}"))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize| row.get(i).unwrap_or("").trim().to_string();
        let (name, sheet, at, with_code, value) = (get(0), get(1), get(2), get(3), get(4));
        let grid = match grids.entry((name.clone(), sheet.clone())) {
            std::collections::hash_map::Entry::Occupied(g) => g.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(Grid::read(&shared.join(&name), &sheet)?)
            }
        };
        let text = |at: &str| {
            grid.text(at)
                .map(str::to_string)
                .ok_or_else(|| format!("{file}:{line}: {name} {sheet} {at} is empty or no cell"))
        };
        let mut label = text(&at)?;
        if !with_code.is_empty() {
            label = format!("{label} {}", text(&with_code)?);
        }
        if value.is_empty() {
            return Err(format!("{file}:{line}: a value (or none) is needed"));
        }
        out.push(Labelled {
            label,
            value: (value != "none").then_some(value),
            style: if with_code.is_empty() {
                "real"
            } else {
                "real, with code"
            }
            .to_string(),
            siblings: grid.siblings(&at),
        });
    }
    Ok(out)
}
