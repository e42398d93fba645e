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
    Url, Workbook, Worksheet, XlsxError,
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

/// Excel's most characters in one cell (counted as UTF-16 units, as Excel
/// counts them), less room for the pointer to the whole text.
const CELL_CHARS: usize = 32_000;
/// Excel's most characters in one cell.
#[cfg(test)]
const EXCEL_CELL_CHARS: usize = 32_767;
/// Excel's most rows in a sheet, less the title, subtitle and header rows.
const SHEET_ROWS: usize = 1_048_576 - 3;
/// Excel's most columns in a sheet.
const SHEET_COLUMNS: usize = 16_384;
/// Excel's tallest row, in points.
const ROW_POINTS: f64 = 409.0;

/// Text longer than a cell holds (a record counted from thousands of rows
/// lists them all; a long error in a note): cut, saying where the whole
/// text is.
fn clip(text: &str, whole_in: &str) -> String {
    if text.len() <= CELL_CHARS {
        // UTF-8 is never shorter than UTF-16 in units: it fits.
        return text.to_string();
    }
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > CELL_CHARS
        })
        .map_or(text.len(), |(i, _)| i);
    if end == text.len() {
        return text.to_string();
    }
    format!(
        "{} … (cut here: the whole text is in {whole_in})",
        &text[..end]
    )
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
    !t.parquet_only() && t.len() <= SHEET_ROWS && t.columns.len() <= SHEET_COLUMNS
}

/// Sheet names: at most 31 characters, no []:*?/\.
fn sheet_name(t: &Table) -> String {
    t.name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
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
    (15.0 * lines).min(ROW_POINTS)
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

/// What went wrong writing the workbook, and where: the sheet, and the
/// cell when there is one, with the table's own row and column.
#[derive(Debug, thiserror::Error)]
#[error("sheet {sheet:?}{at}: {source}")]
pub struct WorkbookError {
    pub sheet: String,
    /// ", cell K14 (row 11 of table coverage, column reason)", or empty.
    pub at: String,
    #[source]
    pub source: XlsxError,
}

/// A cell's A1 name: column 10, row 13 -> "K14".
fn a1(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A worksheet and what its errors and cut texts should name.
struct Sheet<'w> {
    ws: &'w mut Worksheet,
    name: String,
    /// Where the whole of a text cut to fit a cell is: "coverage.csv".
    whole_in: String,
    /// The table the sheet holds, and the sheet row of its header, so an
    /// error names the table's row and column as well as the cell.
    table: Option<(&'w Table, u32)>,
}

impl<'w> Sheet<'w> {
    fn new(wb: &'w mut Workbook, name: &str, whole_in: &str) -> Result<Sheet<'w>, WorkbookError> {
        let ws = wb.add_worksheet();
        let sheet = Sheet {
            ws,
            name: name.to_string(),
            whole_in: whole_in.to_string(),
            table: None,
        };
        let fail = sheet.fail(None);
        sheet.ws.set_name(name).map_err(fail)?;
        Ok(sheet)
    }

    /// An error at `cell` (or the sheet as a whole).
    fn fail(&self, cell: Option<(u32, u16)>) -> impl FnOnce(XlsxError) -> WorkbookError {
        let at = match (cell, self.table) {
            (None, _) => String::new(),
            (Some((r, c)), Some((t, header))) if r >= header => {
                let column = t
                    .columns
                    .get(usize::from(c))
                    .map_or("?", |(n, _)| n.as_str());
                let row = if r == header {
                    "the header".to_string()
                } else {
                    format!("row {}", r - header)
                };
                format!(
                    ", cell {} ({row} of table {}, column {column})",
                    a1(r, c),
                    t.name
                )
            }
            (Some((r, c)), _) => format!(", cell {}", a1(r, c)),
        };
        let sheet = self.name.clone();
        move |source| WorkbookError { sheet, at, source }
    }

    /// Text, cut to what a cell holds.
    fn text(
        &mut self,
        r: u32,
        c: u16,
        text: &str,
        f: Option<&Format>,
    ) -> Result<(), WorkbookError> {
        let text = clip(text, &self.whole_in);
        let fail = self.fail(Some((r, c)));
        match f {
            Some(f) => self.ws.write_string_with_format(r, c, text, f),
            None => self.ws.write_string(r, c, text),
        }
        .map(|_| ())
        .map_err(fail)
    }

    fn number(&mut self, r: u32, c: u16, x: f64, f: Option<&Format>) -> Result<(), WorkbookError> {
        let fail = self.fail(Some((r, c)));
        match f {
            Some(f) => self.ws.write_number_with_format(r, c, x, f),
            None => self.ws.write_number(r, c, x),
        }
        .map(|_| ())
        .map_err(fail)
    }

    fn link(&mut self, r: u32, c: u16, url: Url, f: &Format) -> Result<(), WorkbookError> {
        let fail = self.fail(Some((r, c)));
        self.ws
            .write_url_with_format(r, c, url, f)
            .map(|_| ())
            .map_err(fail)
    }

    /// A row tall enough for each text, wrapped in its column's width.
    fn height(&mut self, r: u32, texts: &[(&str, f64)]) -> Result<(), WorkbookError> {
        let h = texts
            .iter()
            .map(|(t, w)| wrapped_height(t, *w))
            .fold(0.0, f64::max);
        let fail = self.fail(Some((r, 0)));
        self.ws.set_row_height(r, h).map(|_| ()).map_err(fail)
    }

    fn width(&mut self, c: u16, w: f64) -> Result<(), WorkbookError> {
        let fail = self.fail(Some((0, c)));
        self.ws.set_column_width(c, w).map(|_| ()).map_err(fail)
    }

    /// Landscape, one page wide, the header row repeated on every page: so
    /// a printed or PDF sheet shows every column.
    fn print_setup(&mut self, repeat: Option<u32>) -> Result<(), WorkbookError> {
        self.ws.set_landscape();
        self.ws.set_print_fit_to_pages(1, 0);
        if let Some(r) = repeat {
            let fail = self.fail(Some((r, 0)));
            self.ws.set_repeat_rows(r, r).map_err(fail)?;
        }
        Ok(())
    }
}

pub fn workbook_bytes(release: &Release) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = Workbook::new();
    let whole = |source| WorkbookError {
        sheet: String::new(),
        at: " (the workbook as a whole)".into(),
        source,
    };
    wb.set_zip_compression_level(1);
    // A fixed creation date: the same release gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(whole)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(clip(&release.title, "datapackage.json"))
            .set_creation_datetime(&created),
    );
    cover(&mut wb, release)?;
    let (kept, left_out): (Vec<&Table>, Vec<&Table>) =
        release.tables.iter().partition(|t| in_workbook(t));
    contents(&mut wb, &kept, &left_out)?;
    notes(&mut wb, release)?;
    for t in kept {
        table_sheet(&mut wb, t)?;
    }
    wb.save_to_buffer().map_err(whole)
}

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(15)
}

fn wrap_format() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

fn cover(wb: &mut Workbook, release: &Release) -> Result<(), WorkbookError> {
    let (title, bold, wrap) = (title_format(), Format::new().set_bold(), wrap_format());
    let all_forces = release.forces_asked();
    let mut cover = Sheet::new(wb, "Cover", "summary.html")?;
    let cover_w = 110.0;
    cover.width(0, cover_w)?;
    cover.print_setup(None)?;
    cover.text(0, 0, &release.title, Some(&title))?;
    let description = one_paragraph(&release.description);
    cover.text(1, 0, &description, Some(&wrap))?;
    cover.height(1, &[(&description, cover_w)])?;
    let mut row = 2;
    cover.text(row, 0, "Headline", Some(&bold))?;
    row += 1;
    for r in &release.headline.requests {
        let line = format!(
            "{}: {} {} from {} of {all_forces} forces",
            r.title,
            show_range(r.total.lo, r.total.hi),
            release.headline.unit,
            r.forces
        );
        cover.text(row, 0, &line, None)?;
        row += 1;
        // Every gap the config did not declare, under the figure it is in.
        for gap in &r.undeclared {
            let text = format!("{}: {gap}", r.title);
            cover.text(row, 0, &text, Some(&wrap))?;
            cover.height(row, &[(&text, cover_w)])?;
            row += 1;
        }
    }
    cover.text(row, 0, "About these tables", Some(&bold))?;
    let about = "Each table is on its own sheet, with one header row, marked up as a table. The Contents sheet lists them and the Notes sheet explains the shorthand: [c] a count the force suppressed, followed by its range; [x] not available; [z] does not apply to the row. Ranges are written as \"5,650 to 5,661\". The same tables are published as CSV and Parquet, where a cell shown here as [x] or [z] is empty.";
    cover.text(row + 1, 0, about, Some(&wrap))?;
    cover.height(row + 1, &[(about, cover_w)])?;
    row += 2;
    cover.text(row, 0, "Source", Some(&bold))?;
    let source = format!(
        "Replies of the {all_forces} police forces asked to Freedom of Information requests. The coverage sheet says how each answered and whether its figures were added; lineage.parquet and the records sheet name the file, sheet and cells behind every figure."
    );
    cover.text(row + 1, 0, &source, Some(&wrap))?;
    cover.height(row + 1, &[(&source, cover_w)])?;
    row += 2;
    for line in release.published_by() {
        cover.text(row, 0, &line, None)?;
        row += 1;
    }
    Ok(())
}

fn contents(wb: &mut Workbook, kept: &[&Table], left_out: &[&Table]) -> Result<(), WorkbookError> {
    let (title, bold, wrap) = (title_format(), Format::new().set_bold(), wrap_format());
    let mut contents = Sheet::new(wb, "Contents", "datapackage.json")?;
    contents.print_setup(Some(2))?;
    contents.text(0, 0, "Contents", Some(&title))?;
    contents.text(1, 0, "This worksheet contains one table.", None)?;
    contents.text(2, 0, "Sheet", Some(&bold))?;
    contents.text(2, 1, "Table", Some(&bold))?;
    contents.text(2, 2, "What a row is", Some(&bold))?;
    let (title_w, what_w) = (60.0, 100.0);
    contents.width(0, 16.0)?;
    contents.width(1, title_w)?;
    contents.width(2, what_w)?;
    // Links at the top of their row, level with the wrapped text beside them.
    let link = Format::new().set_hyperlink().set_align(FormatAlign::Top);
    contents.link(
        3,
        0,
        Url::new("internal:'Notes'!A1").set_text("Notes"),
        &link,
    )?;
    contents.text(3, 1, "Notes", None)?;
    contents.text(
        3,
        2,
        "What the shorthand means and where definitions differ",
        None,
    )?;
    for (i, t) in kept.iter().enumerate() {
        let r = 4 + i as u32;
        let name = sheet_name(t);
        contents.link(
            r,
            0,
            Url::new(format!("internal:'{name}'!A1")).set_text(&name),
            &link,
        )?;
        contents.text(r, 1, &t.title, Some(&wrap))?;
        contents.text(r, 2, &t.description, Some(&wrap))?;
        contents.height(r, &[(&t.description, what_w), (&t.title, title_w)])?;
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
                "{} (in {}.csv and {}.parquet only: {rows} rows of {} columns, more than a sheet holds)",
                t.title,
                t.name,
                t.name,
                thousands(t.columns.len() as u64)
            )
        };
        contents.text(r, 0, &t.name, None)?;
        contents.text(r, 1, &text, Some(&wrap))?;
        contents.text(r, 2, &t.description, Some(&wrap))?;
        contents.height(r, &[(&t.description, what_w), (&text, title_w)])?;
    }
    Ok(())
}

/// Notes: the release's, then the one shorthand only the spreadsheet uses.
fn notes(wb: &mut Workbook, release: &Release) -> Result<(), WorkbookError> {
    let (title, bold, wrap) = (title_format(), Format::new().set_bold(), wrap_format());
    let mut notes = Sheet::new(wb, "Notes", "summary.html and coverage.csv")?;
    notes.print_setup(Some(2))?;
    notes.text(0, 0, "Notes", Some(&title))?;
    notes.text(1, 0, "This worksheet contains one table.", None)?;
    notes.text(2, 0, "Note number", Some(&bold))?;
    notes.text(2, 1, "Note text", Some(&bold))?;
    let note_w = 140.0;
    notes.width(0, 12.0)?;
    notes.width(1, note_w)?;
    let z_note = "[z] marks a cell that does not apply to its row: a breakdown column on a total, a force code for a force with none (British Transport Police), a sheet for a text file, an empty list. In the CSV and Parquet such a cell is empty.".to_string();
    for (i, n) in release.notes.iter().chain([&z_note]).enumerate() {
        let r = 3 + i as u32;
        let text = neutralise(n);
        notes.text(r, 0, &format!("note {}", i + 1), Some(&wrap))?;
        notes.text(r, 1, &text, Some(&wrap))?;
        notes.height(r, &[(&text, note_w)])?;
    }
    Ok(())
}

/// One table on its own sheet: a title, a line saying what the sheet
/// holds, one header row, the rows, marked up as a table.
fn table_sheet(wb: &mut Workbook, t: &Table) -> Result<(), WorkbookError> {
    let (title, bold) = (title_format(), Format::new().set_bold());
    let count = Format::new().set_num_format("#,##0");
    // Shorthand and ranges in a column of numbers line up with the numbers.
    let right = Format::new().set_align(FormatAlign::Right);
    let header_row = 2;
    let mut ws = Sheet::new(wb, &sheet_name(t), &format!("{}.csv", t.name))?;
    ws.table = Some((t, header_row));
    ws.print_setup(Some(header_row))?;
    ws.text(0, 0, &t.title, Some(&title))?;
    ws.text(
        1,
        0,
        "This worksheet contains one table. See the Notes sheet for [c], [x] and [z].",
        None,
    )?;
    let ranges = range_columns(t);
    for (c, (name, _)) in t.columns.iter().enumerate() {
        ws.text(header_row, c as u16, name, Some(&bold))?;
        ws.width(c as u16, column_width(t, c, &ranges))?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        for (c, v) in row.iter().enumerate() {
            let col = c as u16;
            match v {
                // Nothing to say here: it does not apply to this row.
                Value::Text(s) if s.is_empty() => ws.text(r, col, "[z]", None)?,
                Value::Text(s) if t.columns[c].0 == "cells" => {
                    ws.text(r, col, &clip_list(&neutralise(s), &t.name), None)?
                }
                Value::Text(s) => ws.text(r, col, &neutralise(s), None)?,
                Value::Int(Some(n)) => ws.number(r, col, *n as f64, Some(&count))?,
                Value::Signed(Some(n)) => ws.number(r, col, *n as f64, Some(&count))?,
                Value::Number(Some(x)) => ws.number(r, col, (x * 10.0).round() / 10.0, None)?,
                Value::Bool(b) => ws.text(r, col, if *b { "yes" } else { "no" }, None)?,
                Value::Int(None) | Value::Signed(None) | Value::Number(None) => {
                    // A range where a point belongs: say so in words; else [x].
                    ws.text(r, col, &blank_cell(t, row, ranges[c], c), Some(&right))?
                }
            }
        }
    }
    // Marked up as a table (a screen reader announces it and its headers;
    // filters on the header row). Excel needs a row under it.
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
        let fail = ws.fail(Some((header_row, 0)));
        ws.ws
            .add_table(
                header_row,
                0,
                header_row + t.rows.len() as u32,
                t.columns.len() as u16 - 1,
                &table,
            )
            .map_err(fail)?;
    }
    if matches!(t.columns.first(), Some((_, Kind::Text))) {
        let fail = ws.fail(Some((header_row + 1, 0)));
        ws.ws.set_freeze_panes(header_row + 1, 0).map_err(fail)?;
    }
    Ok(())
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

    /// Every text cell of every sheet of a workbook, read back.
    fn cells(bytes: &[u8]) -> Vec<(String, String)> {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("the workbook opens");
        let mut out = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet");
            for c in range.used_cells() {
                if let (_, _, Data::String(s)) = c {
                    out.push((name.clone(), s.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn long_text_never_fails_a_release_it_is_cut_where_it_shows() {
        use crate::figures::testing::{answered, config};
        use crate::Gaps;
        // A reply that could not be read, with an error far past Excel's
        // limit, in characters that take two UTF-16 units each.
        let c = config(&[("alpha", answered(Some("alpha"), &["y1", "y2"], ""))]);
        let mut gaps = Gaps::default();
        let why = "\u{1F600}".repeat(20_000);
        gaps.failures.insert("alpha".into(), why.clone());
        let mut release = crate::assemble(&c, &[], &[], &[], &gaps);
        // And one note longer than any cell.
        release.notes.push("n".repeat(70_000));
        let bytes = workbook_bytes(&release).expect("the workbook is written");
        let cells = cells(&bytes);
        for (sheet, text) in &cells {
            let units = text.encode_utf16().count();
            assert!(units <= EXCEL_CELL_CHARS, "{sheet}: {units} units");
        }
        let cut = |sheet: &str, whole_in: &str| {
            cells
                .iter()
                .filter(|(s, t)| {
                    s == sheet
                        && t.ends_with(&format!(" … (cut here: the whole text is in {whole_in})"))
                })
                .count()
        };
        // The note and the two "not added" notes (alpha, both requests) are
        // cut; the coverage table's two reasons too.
        assert_eq!(cut("Notes", "summary.html and coverage.csv"), 2);
        assert_eq!(cut("coverage", "coverage.csv"), 2);
        // The whole text is where the pointer says.
        let coverage = release
            .tables
            .iter()
            .find(|t| t.name == "coverage")
            .expect("coverage");
        let csv =
            String::from_utf8(crate::write::csv::csv_bytes(coverage).expect("csv")).expect("UTF-8");
        assert!(csv.contains(&format!("could not be read: {why}")));
    }

    #[test]
    fn a_writer_failure_names_the_sheet_the_table_row_and_column() {
        let mut t = Table::new("wide", "Too wide", &[("a", Kind::Text), ("b", Kind::Int)]);
        t.rows.push(vec![Value::text("x"), Value::Int(Some(1))]);
        t.rows.push(vec![Value::text("y"), Value::Int(Some(2))]);
        let mut wb = Workbook::new();
        let mut sheet = Sheet::new(&mut wb, "wide", "wide.csv").expect("sheet");
        sheet.table = Some((&t, 2));
        let e = sheet.fail(Some((4, 1)))(XlsxError::MaxStringLengthExceeded);
        assert!(
            e.to_string()
                .starts_with("sheet \"wide\", cell B5 (row 2 of table wide, column b): "),
            "{e}"
        );
        // A real failure: more columns than a sheet holds.
        let columns: Vec<(String, Kind)> = (0..=SHEET_COLUMNS)
            .map(|i| (format!("c{i}"), Kind::Text))
            .collect();
        let mut wide = Table::new("wide", "Too wide", &[]);
        wide.columns = columns;
        wide.rows.push(vec![Value::text("x"); SHEET_COLUMNS + 1]);
        assert!(!in_workbook(&wide), "left out of the workbook");
        let e = table_sheet(&mut Workbook::new(), &wide).expect_err("too wide for a sheet");
        assert!(
            e.to_string().starts_with(
                "sheet \"wide\", cell XFE3 (the header of table wide, column c16384): "
            ),
            "{e}"
        );
    }

    #[test]
    fn a_cell_is_cut_by_what_excel_counts() {
        assert_eq!(clip("short", "x.csv"), "short");
        // 32,000 characters of two bytes each: more bytes than the limit,
        // but within it as Excel counts.
        let e = "é".repeat(CELL_CHARS);
        assert_eq!(clip(&e, "x.csv"), e);
        let long = "é".repeat(CELL_CHARS + 1);
        let cut = clip(&long, "x.csv");
        assert!(cut.starts_with(&e));
        assert!(cut.ends_with(" … (cut here: the whole text is in x.csv)"));
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_CHARS);
    }
}
