//! The spreadsheet for people who work in Excel, laid out as the UK
//! Government Analysis Function advises for releasing statistics in
//! spreadsheets: a cover sheet, contents and notes first; then one table per
//! sheet, marked up as a table, each with a single header row, no merged
//! cells, no blank rows or columns and no blank cells inside it (shorthand
//! instead: [c] suppressed, [x] not available, [z] does not apply, each
//! explained in the notes); rows tall enough for their wrapped text.

use crate::release::Release;
use crate::show::{show_range, thousands};
use crate::table::{neutralise, Kind, Table, Value};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Table as XlsxTable, TableColumn, TableStyle,
    Url, Workbook, XlsxError,
};

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

/// Excel's most characters in one cell, less room for the pointer.
const CELL_CHARS: usize = 32_000;
/// Excel's most rows in a sheet, less the title, subtitle and header rows.
const SHEET_ROWS: usize = 1_048_576 - 3;

/// Text longer than a cell holds (a record counted from thousands of rows
/// lists them all): cut, saying where the whole text is.
fn clip(text: &str, table: &str) -> String {
    if text.len() <= CELL_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(CELL_CHARS).collect();
    format!("{cut} … (cut here: the whole text is in {table}.csv)")
}

/// The most characters of a list of source cells shown in a sheet: a
/// record counted from one row per crime lists thousands, which no one
/// reads in a spreadsheet and which would make the workbook slow to open.
const LIST_CHARS: usize = 1_000;

/// A "; "-separated list of cells cut after whole items, saying how many
/// are left out and where they all are.
fn clip_list(text: &str, table: &str) -> String {
    if text.len() <= LIST_CHARS {
        return text.to_string();
    }
    let cut = text
        .match_indices("; ")
        .map(|(i, _)| i)
        .take_while(|&i| i <= LIST_CHARS)
        .last()
        .unwrap_or(0);
    let left = text[cut..].matches("; ").count();
    format!(
        "{}; … and {} more (every cell is in {table}.csv and lineage.parquet)",
        &text[..cut],
        thousands(left as u64)
    )
}

/// The tables the workbook holds: those a person reads in Excel. Lineage
/// (one row per source cell, millions for a record-level campaign; Parquet
/// only) and any table past Excel's row limit stay in their other files.
pub fn in_workbook(t: &Table) -> bool {
    !t.parquet_only() && t.len() <= SHEET_ROWS
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

/// A row height (points) for `text` wrapped in a column `width` characters
/// wide: Excel and LibreOffice do not grow a row to fit wrapped text
/// written by a program, so the text would spill over the rows above.
fn wrapped_height(text: &str, width: f64) -> f64 {
    let per_line = (width * 1.15).max(1.0);
    let lines: f64 = text
        .split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum();
    15.0 * lines
}

/// Text from config as one paragraph: its line breaks are the TOML's.
fn one_paragraph(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The width (in characters) of a table's column: fits its header and its
/// longest cell as shown, within 10 to 60.
fn column_width(t: &Table, c: usize, ranges: &[Option<(usize, usize)>]) -> f64 {
    let longest = t
        .rows
        .iter()
        .map(|row| match &row[c] {
            Value::Text(s) if s.is_empty() => 3,
            Value::Text(s) => neutralise(s).chars().count(),
            Value::Int(Some(n)) => thousands(*n).len(),
            Value::Signed(Some(n)) => signed_thousands(*n).len(),
            Value::Number(Some(x)) => format!("{x:.1}").len(),
            Value::Bool(_) => 3,
            Value::Int(None) | Value::Signed(None) | Value::Number(None) => {
                blank_cell(t, row, ranges[c], c).chars().count()
            }
        })
        .max()
        .unwrap_or(0);
    (longest.max(t.columns[c].0.chars().count()) as f64 + 2.0).clamp(10.0, 60.0)
}

/// A name for the Excel table on a sheet: letters, digits and underscores.
fn table_name(t: &Table) -> String {
    let base: String = t
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("table_{base}")
}

/// Landscape, one page wide, the header row repeated on every page: so a
/// printed or PDF sheet shows every column.
fn print_setup(ws: &mut rust_xlsxwriter::Worksheet, repeat: Option<u32>) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    if let Some(r) = repeat {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

pub fn workbook_bytes(release: &Release) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    // A fixed creation date: the same release gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&release.title)
            .set_creation_datetime(&created),
    );
    let title = Format::new().set_bold().set_font_size(15);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let count = Format::new().set_num_format("#,##0");
    // Shorthand and ranges in a column of numbers line up with the numbers.
    let right = Format::new().set_align(FormatAlign::Right);
    let all_forces = release.forces_asked();

    // Cover
    let cover = wb.add_worksheet();
    cover.set_name("Cover")?;
    let cover_w = 110.0;
    cover.set_column_width(0, cover_w)?;
    print_setup(cover, None)?;
    cover.write_string_with_format(0, 0, &release.title, &title)?;
    let description = one_paragraph(&release.description);
    cover.write_string_with_format(1, 0, &description, &wrap)?;
    cover.set_row_height(1, wrapped_height(&description, cover_w))?;
    let mut row = 2;
    cover.write_string_with_format(row, 0, "Headline", &bold)?;
    row += 1;
    for r in &release.headline.requests {
        cover.write_string(
            row,
            0,
            format!(
                "{}: {} {} from {} of {all_forces} forces",
                r.title,
                show_range(r.total.lo, r.total.hi),
                release.headline.unit,
                r.forces
            ),
        )?;
        row += 1;
    }
    cover.write_string_with_format(row, 0, "About these tables", &bold)?;
    let about = "Each table is on its own sheet, with one header row, marked up as a table. The Contents sheet lists them and the Notes sheet explains the shorthand: [c] a count the force suppressed, followed by its range; [x] not available; [z] does not apply to the row. Ranges are written as \"5,650 to 5,661\". The same tables are published as CSV and Parquet, where a cell shown here as [x] or [z] is empty.";
    cover.write_string_with_format(row + 1, 0, about, &wrap)?;
    cover.set_row_height(row + 1, wrapped_height(about, cover_w))?;
    row += 2;
    cover.write_string_with_format(row, 0, "Source", &bold)?;
    let source = format!(
        "Replies of the {all_forces} police forces asked to Freedom of Information requests. The coverage sheet says how each answered and whether its figures were added; lineage.parquet and the records sheet name the file, sheet and cells behind every figure."
    );
    cover.write_string_with_format(row + 1, 0, &source, &wrap)?;
    cover.set_row_height(row + 1, wrapped_height(&source, cover_w))?;
    row += 2;
    for line in release.published_by() {
        cover.write_string(row, 0, line)?;
        row += 1;
    }

    // Contents
    let contents = wb.add_worksheet();
    contents.set_name("Contents")?;
    print_setup(contents, Some(2))?;
    contents.write_string_with_format(0, 0, "Contents", &title)?;
    contents.write_string(1, 0, "This worksheet contains one table.")?;
    contents.write_string_with_format(2, 0, "Sheet", &bold)?;
    contents.write_string_with_format(2, 1, "Table", &bold)?;
    contents.write_string_with_format(2, 2, "What a row is", &bold)?;
    let (title_w, what_w) = (60.0, 100.0);
    contents.set_column_width(0, 16)?;
    contents.set_column_width(1, title_w)?;
    contents.set_column_width(2, what_w)?;
    // Links at the top of their row, level with the wrapped text beside them.
    let link = Format::new().set_hyperlink().set_align(FormatAlign::Top);
    contents.write_url_with_format(
        3,
        0,
        Url::new("internal:'Notes'!A1").set_text("Notes"),
        &link,
    )?;
    contents.write_string(3, 1, "Notes")?;
    contents.write_string(
        3,
        2,
        "What the shorthand means and where definitions differ",
    )?;
    let (kept, left_out): (Vec<&Table>, Vec<&Table>) =
        release.tables.iter().partition(|t| in_workbook(t));
    for (i, t) in kept.iter().enumerate() {
        let r = 4 + i as u32;
        let name = sheet_name(t);
        contents.write_url_with_format(
            r,
            0,
            Url::new(format!("internal:'{name}'!A1")).set_text(&name),
            &link,
        )?;
        contents.write_string_with_format(r, 1, &t.title, &wrap)?;
        contents.write_string_with_format(r, 2, &t.description, &wrap)?;
        contents.set_row_height(
            r,
            wrapped_height(&t.description, what_w).max(wrapped_height(&t.title, title_w)),
        )?;
    }

    for (i, t) in left_out.iter().enumerate() {
        let r = 4 + (kept.len() + i) as u32;
        let rows = thousands(t.len() as u64);
        let text = if t.parquet_only() {
            format!(
                "{} (in {}.parquet only: {rows} rows, one per source cell, for joining by program)",
                t.title, t.name
            )
        } else {
            format!(
                "{} (in {}.csv and {}.parquet only: {rows} rows, too many to read in a spreadsheet)",
                t.title, t.name, t.name
            )
        };
        contents.write_string(r, 0, &t.name)?;
        contents.write_string_with_format(r, 1, &text, &wrap)?;
        contents.write_string_with_format(r, 2, &t.description, &wrap)?;
        contents.set_row_height(
            r,
            wrapped_height(&t.description, what_w).max(wrapped_height(&text, title_w)),
        )?;
    }

    // Notes: the release's, then the one shorthand only the spreadsheet uses.
    let notes = wb.add_worksheet();
    notes.set_name("Notes")?;
    print_setup(notes, Some(2))?;
    notes.write_string_with_format(0, 0, "Notes", &title)?;
    notes.write_string(1, 0, "This worksheet contains one table.")?;
    notes.write_string_with_format(2, 0, "Note number", &bold)?;
    notes.write_string_with_format(2, 1, "Note text", &bold)?;
    let note_w = 140.0;
    notes.set_column_width(0, 12)?;
    notes.set_column_width(1, note_w)?;
    let z_note = "[z] marks a cell that does not apply to its row: a breakdown column on a total, a force code for a force with none (British Transport Police), a sheet for a text file, an empty list. In the CSV and Parquet such a cell is empty.".to_string();
    for (i, n) in release.notes.iter().chain([&z_note]).enumerate() {
        let r = 3 + i as u32;
        let text = neutralise(n);
        notes.write_string_with_format(r, 0, format!("note {}", i + 1), &wrap)?;
        notes.write_string_with_format(r, 1, &text, &wrap)?;
        notes.set_row_height(r, wrapped_height(&text, note_w))?;
    }

    // One table per sheet.
    for t in kept {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(t))?;
        let header_row = 2;
        print_setup(ws, Some(header_row))?;
        ws.write_string_with_format(0, 0, &t.title, &title)?;
        ws.write_string(
            1,
            0,
            "This worksheet contains one table. See the Notes sheet for [c], [x] and [z].",
        )?;
        let ranges = range_columns(t);
        for (c, (name, _)) in t.columns.iter().enumerate() {
            ws.write_string_with_format(header_row, c as u16, name, &bold)?;
            ws.set_column_width(c as u16, column_width(t, c, &ranges))?;
        }
        for (i, row) in t.rows.iter().enumerate() {
            let r = header_row + 1 + i as u32;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                match v {
                    // Nothing to say here: it does not apply to this row.
                    Value::Text(s) if s.is_empty() => {
                        ws.write_string(r, col, "[z]")?;
                    }
                    Value::Text(s) if t.columns[c].0 == "cells" => {
                        ws.write_string(r, col, clip_list(&neutralise(s), &t.name))?;
                    }
                    Value::Text(s) => {
                        ws.write_string(r, col, clip(&neutralise(s), &t.name))?;
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
                        ws.write_string_with_format(
                            r,
                            col,
                            blank_cell(t, row, ranges[c], c),
                            &right,
                        )?;
                    }
                }
            }
        }
        // Marked up as a table (a screen reader announces it and its
        // headers; filters on the header row). Excel needs a row under it.
        if !t.rows.is_empty() && !t.columns.is_empty() {
            let columns: Vec<TableColumn> = t
                .columns
                .iter()
                .map(|(name, _)| TableColumn::new().set_header(name).set_header_format(&bold))
                .collect();
            let table = XlsxTable::new()
                .set_name(table_name(t))
                .set_columns(&columns)
                .set_style(TableStyle::Light1);
            ws.add_table(
                header_row,
                0,
                header_row + t.rows.len() as u32,
                t.columns.len() as u16 - 1,
                &table,
            )?;
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

    #[test]
    fn a_long_list_of_cells_is_cut_after_a_whole_cell() {
        let short = "B2; B3";
        assert_eq!(clip_list(short, "records"), short);
        let cells: Vec<String> = (1..=400).map(|r| format!("B{r}")).collect();
        let clipped = clip_list(&cells.join("; "), "records");
        assert!(clipped.len() < LIST_CHARS + 100, "{}", clipped.len());
        let kept = clipped.split("; ").filter(|c| c.starts_with('B')).count();
        assert!(clipped.starts_with("B1; B2; B3;"));
        assert!(clipped.ends_with(&format!(
            "; … and {} more (every cell is in records.csv and lineage.parquet)",
            400 - kept
        )));
    }
}
