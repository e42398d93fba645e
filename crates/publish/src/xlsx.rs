//! The spreadsheet for people who work in Excel, laid out as the UK
//! Government Analysis Function advises for releasing statistics in
//! spreadsheets: a cover sheet, contents and notes first; then one table per
//! sheet, each with a single header row, no merged cells and no blank rows
//! or columns inside it; shorthand ([c], [x]) explained in the notes.

use crate::table::{neutralise, Kind, Table, Value};
use crate::Release;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// "5,653", or "5,650 to 5,661".
pub fn show_range(lo: u64, hi: u64) -> String {
    if lo == hi {
        thousands(lo)
    } else {
        format!("{} to {}", thousands(lo), thousands(hi))
    }
}

pub fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::with_capacity(d.len() + d.len() / 3);
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// "-1,234"; "56".
fn signed_thousands(n: i64) -> String {
    if n < 0 {
        format!("-{}", thousands(n.unsigned_abs()))
    } else {
        thousands(n as u64)
    }
}

/// A whole number from a cell, of either sign.
fn whole(v: &Value) -> Option<i64> {
    match v {
        Value::Int(Some(n)) => i64::try_from(*n).ok(),
        Value::Signed(Some(n)) => Some(*n),
        _ => None,
    }
}

/// For each `<prefix>value` column (`value`, `from_value`, `change_value`,
/// `computed_value`…), its `<prefix>lo` and `<prefix>hi` columns, so an
/// empty value can be shown as the range it lies in.
fn range_columns(t: &Table) -> Vec<Option<(usize, usize)>> {
    t.columns
        .iter()
        .map(|(name, _)| {
            let prefix = name.strip_suffix("value")?;
            Some((
                t.column(&format!("{prefix}lo"))?,
                t.column(&format!("{prefix}hi"))?,
            ))
        })
        .collect()
}

/// What a sheet shows where a table has no number: for a value whose lo
/// and hi are known, the range in words ("5,650 to 5,661"; "[c] 2 to 8" for
/// a force's own suppressed cell in records); otherwise [x].
fn blank_cell(t: &Table, row: &[Value], range: Option<(usize, usize)>, col: usize) -> String {
    let known = range.and_then(|(l, h)| Some((whole(&row[l])?, whole(&row[h])?)));
    match known {
        Some((lo, hi)) => {
            let shown = if lo == hi {
                signed_thousands(lo)
            } else {
                format!("{} to {}", signed_thousands(lo), signed_thousands(hi))
            };
            if t.name == "records" && t.columns[col].0 == "value" {
                // A force's own cell: it suppressed it.
                format!("[c] {shown}")
            } else {
                shown
            }
        }
        None => "[x]".to_string(),
    }
}

/// Sheet names: at most 31 characters, no []:*?/\.
fn sheet_name(t: &Table) -> String {
    let mut n: String = t
        .name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .collect();
    n.truncate(31);
    n
}

pub fn workbook_bytes(release: &Release) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date: the same release gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&release.title)
            .set_creation_datetime(&created),
    );
    let title = Format::new().set_bold().set_font_size(15);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let count = Format::new().set_num_format("#,##0");

    // Cover
    let cover = wb.add_worksheet();
    cover.set_name("Cover")?;
    cover.set_column_width(0, 110)?;
    cover.write_string_with_format(0, 0, &release.title, &title)?;
    cover.write_string_with_format(1, 0, release.description.trim(), &wrap)?;
    let mut row = 2;
    cover.write_string_with_format(row, 0, "Headline", &bold)?;
    row += 1;
    for r in &release.headline.requests {
        cover.write_string(
            row,
            0,
            format!(
                "{}: {} {} from {} forces",
                r.title,
                show_range(r.total.lo, r.total.hi),
                release.headline.unit,
                r.forces
            ),
        )?;
        row += 1;
    }
    cover.write_string_with_format(row, 0, "About these tables", &bold)?;
    cover.write_string_with_format(
        row + 1,
        0,
        "Each table is on its own sheet, with one header row. The Contents sheet lists them and the Notes sheet explains the shorthand [c] (a count the force suppressed, followed by its range) and [x] (not available). Ranges are written as \"5,650 to 5,661\".",
        &wrap,
    )?;

    // Contents
    let contents = wb.add_worksheet();
    contents.set_name("Contents")?;
    contents.write_string_with_format(0, 0, "Contents", &title)?;
    contents.write_string(1, 0, "This worksheet contains one table.")?;
    contents.write_string_with_format(2, 0, "Sheet", &bold)?;
    contents.write_string_with_format(2, 1, "Table", &bold)?;
    contents.write_string_with_format(2, 2, "What a row is", &bold)?;
    contents.set_column_width(0, 14)?;
    contents.set_column_width(1, 60)?;
    contents.set_column_width(2, 100)?;
    contents.write_string(3, 0, "Notes")?;
    contents.write_string(3, 1, "Notes")?;
    contents.write_string(
        3,
        2,
        "What the shorthand means and where definitions differ",
    )?;
    for (i, t) in release.tables.iter().enumerate() {
        let r = 4 + i as u32;
        let name = sheet_name(t);
        contents.write_url_with_text(r, 0, format!("internal:'{name}'!A1").as_str(), &name)?;
        contents.write_string(r, 1, &t.title)?;
        contents.write_string_with_format(r, 2, &t.description, &wrap)?;
    }

    // Notes
    let notes = wb.add_worksheet();
    notes.set_name("Notes")?;
    notes.write_string_with_format(0, 0, "Notes", &title)?;
    notes.write_string(1, 0, "This worksheet contains one table.")?;
    notes.write_string_with_format(2, 0, "Note number", &bold)?;
    notes.write_string_with_format(2, 1, "Note text", &bold)?;
    notes.set_column_width(0, 12)?;
    notes.set_column_width(1, 140)?;
    for (i, n) in release.notes.iter().enumerate() {
        let r = 3 + i as u32;
        notes.write_string(r, 0, format!("note {}", i + 1))?;
        notes.write_string_with_format(r, 1, neutralise(n), &wrap)?;
    }

    // One table per sheet.
    for t in &release.tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(t))?;
        ws.write_string_with_format(0, 0, &t.title, &title)?;
        ws.write_string(
            1,
            0,
            "This worksheet contains one table. See the Notes sheet for [c] and [x].",
        )?;
        let header_row = 2;
        let ranges = range_columns(t);
        for (c, (name, _)) in t.columns.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16, name, &bold)?;
            ws.set_column_width(c as u16, (name.len().max(10) + 2) as f64)?;
        }
        for (i, row) in t.rows.iter().enumerate() {
            let r = header_row + 1 + i as u32;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                match v {
                    Value::Text(s) => {
                        ws.write_string(r, col, neutralise(s))?;
                    }
                    Value::Int(Some(n)) => {
                        ws.write_number_with_format(r, col, *n as f64, &count)?;
                    }
                    Value::Signed(Some(n)) => {
                        ws.write_number_with_format(r, col, *n as f64, &count)?;
                    }
                    Value::Number(Some(x)) => {
                        ws.write_number(r, col, (x * 10.0).round() / 10.0)?;
                    }
                    Value::Bool(b) => {
                        ws.write_string(r, col, if *b { "yes" } else { "no" })?;
                    }
                    Value::Int(None) | Value::Signed(None) | Value::Number(None) => {
                        // A range where a point belongs: say so in words; else [x].
                        ws.write_string(r, col, blank_cell(t, row, ranges[c], c))?;
                    }
                }
            }
        }
        if matches!(t.columns.first(), Some((_, Kind::Text))) {
            ws.set_freeze_panes(header_row + 1, 0)?;
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, cols: &[(&str, Kind)], row: Vec<Value>) -> Table {
        let mut t = Table::new(name, name, cols);
        t.rows.push(row);
        t
    }

    #[test]
    fn an_empty_value_shows_its_range_whatever_its_prefix() {
        let t = table(
            "reconciliation",
            &[
                ("computed_value", Kind::Int),
                ("computed_lo", Kind::Int),
                ("computed_hi", Kind::Int),
                ("change_value", Kind::Signed),
                ("change_lo", Kind::Signed),
                ("change_hi", Kind::Signed),
                ("difference", Kind::Signed),
            ],
            vec![
                Value::Int(None),
                Value::Int(Some(68)),
                Value::Int(Some(1080)),
                Value::Signed(None),
                Value::Signed(Some(-1250)),
                Value::Signed(Some(40)),
                Value::Signed(None),
            ],
        );
        let ranges = range_columns(&t);
        let row = &t.rows[0];
        assert_eq!(blank_cell(&t, row, ranges[0], 0), "68 to 1,080");
        assert_eq!(blank_cell(&t, row, ranges[3], 3), "-1,250 to 40");
        // No lo and hi beside it: not available.
        assert_eq!(blank_cell(&t, row, ranges[6], 6), "[x]");
    }

    #[test]
    fn a_suppressed_record_is_marked_c() {
        let t = table(
            "records",
            &[("value", Kind::Int), ("lo", Kind::Int), ("hi", Kind::Int)],
            vec![Value::Int(None), Value::Int(Some(1)), Value::Int(Some(4))],
        );
        let ranges = range_columns(&t);
        assert_eq!(blank_cell(&t, &t.rows[0], ranges[0], 0), "[c] 1 to 4");
    }
}
