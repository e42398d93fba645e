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
        let lo_hi = (t.column("lo"), t.column("hi"));
        for (c, (name, _)) in t.columns.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16, name, &bold)?;
            ws.set_column_width(c as u16, (name.len().max(10) + 2) as f64)?;
        }
        for (i, row) in t.rows.iter().enumerate() {
            let r = header_row + 1 + i as u32;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                let is_value = t.columns[c].0 == "value";
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
                        let range = match (is_value, lo_hi) {
                            (true, (Some(l), Some(h))) => match (&row[l], &row[h]) {
                                (Value::Int(Some(lo)), Value::Int(Some(hi)))
                                    if t.name == "records" =>
                                {
                                    // A force's own cell: it suppressed it.
                                    Some(format!("[c] {}", show_range(*lo, *hi)))
                                }
                                (Value::Int(Some(lo)), Value::Int(Some(hi))) => {
                                    Some(show_range(*lo, *hi))
                                }
                                _ => None,
                            },
                            _ => None,
                        };
                        ws.write_string(r, col, range.unwrap_or_else(|| "[x]".to_string()))?;
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
