//! The spreadsheet for people who work in Excel, laid out as the UK
//! Government Analysis Function advises for releasing statistics in
//! spreadsheets: a cover sheet, contents and notes first; then one table per
//! sheet, marked up as a table, each with a single header row, no merged
//! cells, no blank rows or columns and no blank cells inside it (shorthand
//! instead: [c] suppressed, [x] not available, [z] does not apply, each
//! explained in the notes); rows tall enough for their wrapped text.
//!
//! The checklist it is held to, point by point (crates/cli/tests/cli/
//! publish.rs, `the_workbook_meets_the_analysis_function_checklist`): a
//! cover with the title, what the tables are, the periods, the source (the
//! campaign's own), the release date, next update, publisher, contact and
//! licence; contents linking by title to every sheet there is and no
//! other; notes in a table, referred to from the titles and headers as
//! [note N]; plain headers with units; long text wrapped in columns of
//! sensible width; no empty sheet; document properties set from the
//! campaign, never the clock.

use crate::figures::Topic;
use crate::release::Release;
use crate::show::thousands;
use crate::table::{neutralise, Kind, Table, Value};
use chrono::Datelike;
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

/// A number from a cell as the sheet shows it: "1,234", "-12", a measure
/// to its places ("1,225.894300").
fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Int(Some(n)) => Some(thousands(*n)),
        Value::Signed(Some(n)) => Some(signed_thousands(*n)),
        Value::Decimal(Some(n), s) => Some(s.grouped(*n)),
        _ => None,
    }
}

/// The spreadsheet number format of a table's measure columns: "#,##0.000000".
fn measure_format(t: &Table) -> Format {
    let places = t
        .columns
        .iter()
        .find_map(|c| match c.kind {
            Kind::Decimal(s) => Some(usize::from(s.decimals())),
            _ => None,
        })
        .unwrap_or(0);
    Format::new().set_num_format(format!("#,##0.{}", "0".repeat(places)))
}

/// For each `<prefix>value` column (`value`, `from_value`, `change_value`,
/// `computed_value`…), its `<prefix>lo` and `<prefix>hi` columns, so an
/// empty value can be shown as the range it lies in.
fn range_columns(t: &Table) -> Vec<Option<(usize, usize)>> {
    t.columns
        .iter()
        .map(|c| {
            let prefix = c.name.strip_suffix("value")?;
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
    let known = range.and_then(|(l, h)| Some((number_text(&row[l])?, number_text(&row[h])?)));
    match known {
        Some((lo, hi)) => {
            let shown = if lo == hi {
                lo
            } else {
                format!("{lo} to {hi}")
            };
            if t.name == "records" && t.columns[col].name == "value" {
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

/// The tables the workbook holds: those a person reads in Excel, each with
/// rows. Lineage (one row per source cell, millions for a record-level
/// campaign; Parquet only), any table past Excel's row limit, and a table
/// with no rows (comparisons, for a campaign of one request) stay in their
/// other files: no sheet is empty.
pub fn in_workbook(t: &Table) -> bool {
    !t.parquet_only()
        && !t.rows.is_empty()
        && t.len() <= SHEET_ROWS
        && t.columns.len() <= SHEET_COLUMNS
}

/// Why a table has no sheet, for the cover.
fn why_no_sheet(t: &Table) -> String {
    if t.parquet_only() {
        format!(
            "{} ({}.parquet only: {} rows, one per source cell, for joining by program)",
            t.title,
            t.name,
            thousands(t.len() as u64)
        )
    } else if t.rows.is_empty() {
        format!(
            "{} ({}.csv and {}.parquet: no rows in this release, so no sheet)",
            t.title, t.name, t.name
        )
    } else {
        format!(
            "{} ({}.csv and {}.parquet only: {} rows of {} columns, more than a sheet holds)",
            t.title,
            t.name,
            t.name,
            thousands(t.len() as u64),
            thousands(t.columns.len() as u64)
        )
    }
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

/// The narrowest and widest a table's column is drawn, in characters:
/// longer text wraps within it.
const MIN_WIDTH: f64 = 10.0;
const MAX_WIDTH: f64 = 50.0;

/// A cell as the sheet shows it, for measuring.
fn shown(t: &Table, row: &[Value], ranges: &[Option<(usize, usize)>], c: usize) -> String {
    match &row[c] {
        Value::Text(s) if s.is_empty() => "[z]".into(),
        Value::Text(s) => neutralise(s),
        Value::List(s) if s.is_empty() => "[z]".into(),
        Value::List(s) => list_shown(t, c, s),
        Value::Int(Some(n)) => thousands(*n),
        Value::Signed(Some(n)) => signed_thousands(*n),
        Value::Decimal(Some(n), s) => s.grouped(*n),
        Value::Number(Some(x)) => format!("{x:.1}"),
        // GSS shorthand for a revised figure, in a column of its own so
        // the figure stays a number.
        Value::Bool(true) if t.columns[c].name == "revised" => "[r]".into(),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).into(),
        Value::Date(Some(_)) => "2016-06-30".into(),
        Value::Date(None) => "[z]".into(),
        Value::Int(None) | Value::Signed(None) | Value::Decimal(None, _) | Value::Number(None) => {
            blank_cell(t, row, ranges[c], c)
        }
    }
}

/// A list as the sheet shows it: as the CSV writes it (codes spaced out
/// after their ";"), a long list of cells cut after a whole cell.
fn list_shown(t: &Table, c: usize, s: &str) -> String {
    // Codes joined by ";" read better spaced out; other lists are shown as
    // the CSV writes them.
    let joined = match t.columns[c].kind {
        Kind::List(";") => s.split(';').collect::<Vec<_>>().join("; "),
        _ => s.to_string(),
    };
    if t.columns[c].name == "cells" {
        clip_list(&neutralise(&joined), &t.name)
    } else {
        neutralise(&joined)
    }
}

/// The width (in characters) of a table's column: fits its longest cell as
/// shown and the longest word of its header, within 10 to 50; a header or
/// text longer than that wraps.
fn column_width(t: &Table, c: usize, header: &str, ranges: &[Option<(usize, usize)>]) -> f64 {
    let longest = t
        .rows
        .iter()
        .map(|row| shown(t, row, ranges, c).chars().count())
        .max()
        .unwrap_or(0);
    let word = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    // A header of a few words may take two lines over a narrow column of
    // numbers, not one line as wide as itself.
    let header_w = (header.chars().count() as f64 / 2.0).ceil() as usize;
    (longest.max(word).max(header_w) as f64 + 2.0).clamp(MIN_WIDTH, MAX_WIDTH)
}

/// A name for the Excel table on a sheet: letters, digits and underscores.
fn table_name(name: &str) -> String {
    let base: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("table_{base}")
}

/// "[note 4]", "[note 4] [note 5]", "[note 4] to [note 9]": the notes as a
/// title refers to them, runs of more than two shortened.
fn note_refs(numbers: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("[note {}] to [note {}]", numbers[i], numbers[j]));
        } else {
            out.extend((i..=j).map(|k| format!("[note {}]", numbers[k])));
        }
        i = j + 1;
    }
    out.join(" ")
}

/// "Title [note 1] [note 3]", or the title alone.
fn with_notes(title: &str, numbers: &[usize]) -> String {
    if numbers.is_empty() {
        title.to_string()
    } else {
        format!("{title} {}", note_refs(numbers))
    }
}

/// The workbook's notes: the release's, then the one for [z], which only
/// the spreadsheet writes; each with the sheets that refer to it.
struct Notes {
    texts: Vec<String>,
    /// The number of the note on ranges, on [c] and [x], and on [z].
    ranges: Option<usize>,
    shorthand: Option<usize>,
    z: usize,
}

impl Notes {
    fn new(release: &Release) -> Notes {
        let mut texts: Vec<String> = release.notes.iter().map(|n| n.text.clone()).collect();
        let number = |topic: Topic| {
            release
                .notes
                .iter()
                .position(|n| n.topic == topic)
                .map(|i| i + 1)
        };
        texts.push("[z] marks a cell that does not apply to its row: a breakdown column on a total, a force code for a force with none (British Transport Police), a sheet for a text file, an empty list. In the CSV such a cell is empty, and in the Parquet it is null (an empty list stays a list).".to_string());
        Notes {
            ranges: number(Topic::Ranges),
            shorthand: number(Topic::Shorthand),
            z: texts.len(),
            texts,
        }
    }

    /// The notes a table's title refers to: every note on its topics, and
    /// those on the shorthand its cells use.
    fn for_table(&self, release: &Release, t: &Table, marks: &Marks) -> Vec<usize> {
        let mut n: Vec<usize> = release.notes_on(&t.topics).map(|(i, _)| i).collect();
        if marks.c_or_x {
            n.extend(self.shorthand);
        }
        if marks.z {
            n.push(self.z);
        }
        n.sort_unstable();
        n.dedup();
        n
    }
}

/// Which shorthand a sheet's cells use.
#[derive(Default)]
struct Marks {
    c_or_x: bool,
    z: bool,
}

/// The sheets' names and titles, and the notes that refer to them: for the
/// Notes sheet's "Sheets" column.
struct Referrers(Vec<(usize, String)>);

impl Referrers {
    fn sheets_of(&self, note: usize) -> String {
        let names: Vec<&str> = self
            .0
            .iter()
            .filter(|(n, _)| *n == note)
            .map(|(_, s)| s.as_str())
            .collect();
        if names.is_empty() {
            "All".to_string()
        } else {
            names.join(", ")
        }
    }
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
                    .map_or("?", |c| c.name.as_str());
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

    fn date(
        &mut self,
        r: u32,
        c: u16,
        d: chrono::NaiveDate,
        f: &Format,
    ) -> Result<(), WorkbookError> {
        let fail = self.fail(Some((r, c)));
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
            .and_then(|x| self.ws.write_datetime_with_format(r, c, x, f).map(|_| ()))
            .map_err(fail)
    }

    /// Marks the header row and the `rows` under it up as an Excel table
    /// (a screen reader announces it and its headers; filters on the
    /// header row), its headers `header`.
    fn mark_up(
        &mut self,
        header: &[&str],
        header_row: u32,
        rows: usize,
        name: &str,
    ) -> Result<(), WorkbookError> {
        if rows == 0 || header.is_empty() {
            return Ok(());
        }
        let bold = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let columns: Vec<TableColumn> = header
            .iter()
            .map(|h| TableColumn::new().set_header(*h).set_header_format(&bold))
            .collect();
        let table = XlsxTable::new()
            .set_name(name)
            .set_columns(&columns)
            .set_style(TableStyle::Light1);
        let fail = self.fail(Some((header_row, 0)));
        self.ws
            .add_table(
                header_row,
                0,
                header_row + rows as u32,
                header.len() as u16 - 1,
                &table,
            )
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

/// Which shorthand a table's cells will show.
fn marks(t: &Table) -> Marks {
    let ranges = range_columns(t);
    let mut m = Marks::default();
    for row in &t.rows {
        for (c, v) in row.iter().enumerate() {
            match v {
                Value::Text(s) | Value::List(s) if s.is_empty() => m.z = true,
                Value::Date(None) => m.z = true,
                Value::Int(None)
                | Value::Signed(None)
                | Value::Decimal(None, _)
                | Value::Number(None) => {
                    let b = blank_cell(t, row, ranges[c], c);
                    if b.starts_with('[') {
                        m.c_or_x = true;
                    }
                }
                _ => {}
            }
        }
    }
    m
}

/// A sheet's headers: each column's title, the `value` columns (a figure
/// that may be a range) referring to the note on ranges.
fn headers(t: &Table, notes: &Notes) -> Vec<String> {
    let ranges = range_columns(t);
    t.columns
        .iter()
        .enumerate()
        .map(|(c, col)| match (ranges[c], notes.ranges) {
            (Some(_), Some(n)) => with_notes(&col.title, &[n]),
            _ => col.title.clone(),
        })
        .collect()
}

/// "20 June 2017".
fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn workbook_bytes(release: &Release) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = Workbook::new();
    let whole = |source| WorkbookError {
        sheet: String::new(),
        at: " (the workbook as a whole)".into(),
        source,
    };
    wb.set_zip_compression_level(1);
    // Dates from config, never the clock: the same release gives the same
    // bytes.
    let published = release
        .publisher
        .as_ref()
        .and_then(|p| p.published)
        .map(|d| d.0);
    let created = match published {
        Some(d) => ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8),
        None => ExcelDateTime::from_ymd(2000, 1, 1),
    }
    .map_err(whole)?;
    let author = release
        .publisher
        .as_ref()
        .map_or("foi", |p| p.name.as_str());
    wb.set_properties(
        &DocProperties::new()
            .set_title(clip(&release.title, "datapackage.json"))
            .set_subject(clip(
                &match one_paragraph(&release.description) {
                    d if d.is_empty() => release.title.clone(),
                    d => d,
                },
                "datapackage.json",
            ))
            .set_author(author)
            .set_company(author)
            .set_category("Statistics")
            .set_keywords(format!(
                "police, Freedom of Information, {}, {}",
                release.unit, release.campaign
            ))
            .set_comment(clip(&release.source, "datapackage.json"))
            .set_status(match published {
                Some(d) => format!("Published {}", long_date(d)),
                None => "Release date not given".to_string(),
            })
            .set_creation_datetime(&created),
    );
    let notes = Notes::new(release);
    let (kept, left_out): (Vec<&Table>, Vec<&Table>) =
        release.tables.iter().partition(|t| in_workbook(t));
    // Every sheet's notes, worked out before any sheet is written: the
    // Notes sheet (third) lists the sheets that refer to each note.
    let refs: Vec<Vec<usize>> = kept
        .iter()
        .map(|t| notes.for_table(release, t, &marks(t)))
        .collect();
    let mut referrers = Referrers(Vec::new());
    for (t, ns) in kept.iter().zip(&refs) {
        for &n in ns {
            referrers.0.push((n, sheet_name(t)));
        }
        if let Some(r) = notes.ranges {
            if !ns.contains(&r) && range_columns(t).iter().any(Option::is_some) {
                referrers.0.push((r, sheet_name(t)));
            }
        }
    }
    cover(&mut wb, release, &kept, &left_out)?;
    contents(&mut wb, &kept)?;
    notes_sheet(&mut wb, &notes, &referrers)?;
    for (t, ns) in kept.iter().zip(&refs) {
        table_sheet(&mut wb, t, &headers(t, &notes), ns)?;
    }
    wb.save_to_buffer().map_err(whole)
}

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(15)
}

fn heading_format() -> Format {
    Format::new().set_bold().set_font_size(12)
}

fn wrap_format() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// A link that reads as what it leads to, at the top of its row.
fn link_format() -> Format {
    Format::new()
        .set_hyperlink()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

/// The cover: what the tables are, for which periods, what they say, where
/// they come from, how to read them, what else is published, when, by whom,
/// how to get in touch, and under which licence. One column of headed
/// paragraphs, nothing merged.
fn cover(
    wb: &mut Workbook,
    release: &Release,
    kept: &[&Table],
    left_out: &[&Table],
) -> Result<(), WorkbookError> {
    let (title, heading, wrap, link) = (
        title_format(),
        heading_format(),
        wrap_format(),
        link_format(),
    );
    let all_forces = release.forces_asked();
    let mut cover = Sheet::new(wb, "Cover", "summary.html")?;
    let w = 110.0;
    cover.width(0, w)?;
    cover.print_setup(None)?;
    cover.text(0, 0, &release.title, Some(&title))?;
    let mut row = 1;
    // A heading, then its paragraphs, each wrapped in a row tall enough.
    let section = |cover: &mut Sheet, row: &mut u32, head: &str, lines: &[String]| {
        cover.text(*row, 0, head, Some(&heading))?;
        *row += 1;
        for line in lines {
            cover.text(*row, 0, line, Some(&wrap))?;
            cover.height(*row, &[(line, w)])?;
            *row += 1;
        }
        Ok::<(), WorkbookError>(())
    };
    let about = match one_paragraph(&release.description) {
        d if d.is_empty() => {
            "The campaign gives no description of its tables (description in campaign.toml)."
                .to_string()
        }
        d => d,
    };
    section(&mut cover, &mut row, "About these tables", &[about])?;
    let periods: Vec<String> = release
        .requests
        .iter()
        .map(|r| {
            format!(
                "{}: {} to {}",
                r.title,
                long_date(r.period.from),
                long_date(r.period.to)
            )
        })
        .collect();
    section(&mut cover, &mut row, "Periods covered", &periods)?;
    let mut headline = Vec::new();
    for r in &release.headline.requests {
        headline.push(format!(
            "{}: {} {} from {} of {all_forces} forces",
            r.title,
            release.headline.scale.range(r.total),
            release.headline.unit,
            r.forces
        ));
        // Every gap the config did not declare, under the figure it is in.
        for gap in &r.undeclared {
            headline.push(format!("{}: {gap}", r.title));
        }
    }
    section(&mut cover, &mut row, "Headline figures", &headline)?;
    let mut changes = vec![release.changes.description()];
    if !release.changes.figures.is_empty() {
        changes.push("Each revised figure is marked [r] in the national sheet's last column; the changes sheet lists every figure that changed, its previous value, the forces whose part moved, and why.".to_string());
    }
    section(
        &mut cover,
        &mut row,
        "Changes since the previous release",
        &changes,
    )?;
    section(
        &mut cover,
        &mut row,
        "Source",
        &[
            release.source.clone(),
            "The coverage sheet says how each force answered and whether its figures were added; the records sheet (and lineage.parquet) name the file, sheet and cells behind every figure, and datapackage.json lists every source file with its SHA-256.".to_string(),
        ],
    )?;
    section(
        &mut cover,
        &mut row,
        "How to read these tables",
        &["Each table is on its own sheet, with one header row, marked up as a table. The Contents sheet links to each. The Notes sheet explains the shorthand, and titles and headers refer to the notes that bear on them as [note 1]: [c] a count the force suppressed, followed by its range; [x] not available; [z] does not apply to the row; [r] revised since the previous release. Ranges are written as \"5,650 to 5,661\".".to_string()],
    )?;
    let mut files = vec![format!(
        "Each table with a sheet here is also published as CSV and Parquet ({}), with datapackage.json describing every file and summary.html summarising the release.",
        kept.iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    files.extend(left_out.iter().map(|t| why_no_sheet(t)));
    section(&mut cover, &mut row, "Other files", &files)?;
    let publisher = release.publisher.as_ref();
    let not_given = |what: &str, key: &str| {
        format!("Not given: the campaign declares no {what} ([publisher] {key} in campaign.toml).")
    };
    section(
        &mut cover,
        &mut row,
        "Release date",
        &[match publisher.and_then(|p| p.published) {
            Some(d) => long_date(d.0),
            None => not_given("release date", "published"),
        }],
    )?;
    section(
        &mut cover,
        &mut row,
        "Next update",
        &[match publisher.and_then(|p| p.next_update.clone()) {
            Some(n) => n,
            None => not_given("next update", "next_update"),
        }],
    )?;
    section(
        &mut cover,
        &mut row,
        "Publisher",
        &[match publisher {
            Some(p) => p.name.clone(),
            None => not_given("publisher", "name"),
        }],
    )?;
    cover.text(row, 0, "Contact", Some(&heading))?;
    row += 1;
    match publisher.and_then(|p| p.contact.as_deref()) {
        Some(c) if c.contains('@') && !c.contains("://") => {
            cover.link(row, 0, Url::new(format!("mailto:{c}")).set_text(c), &link)?
        }
        Some(c) if c.starts_with("https://") || c.starts_with("http://") => {
            cover.link(row, 0, Url::new(c).set_text(c), &link)?
        }
        Some(c) => cover.text(row, 0, c, Some(&wrap))?,
        None => cover.text(row, 0, &not_given("contact", "contact"), Some(&wrap))?,
    }
    row += 1;
    cover.text(row, 0, "Licence", Some(&heading))?;
    row += 1;
    let l = &release.licence;
    cover.text(
        row,
        0,
        &format!(
            "These tables may be used and re-used under the {}.",
            l.title
        ),
        Some(&wrap),
    )?;
    row += 1;
    cover.link(
        row,
        0,
        Url::new(&l.path).set_text(format!("Read the {}", l.title)),
        &link,
    )?;
    Ok(())
}

/// Contents: a table of every sheet after it, each linked by its title.
fn contents(wb: &mut Workbook, kept: &[&Table]) -> Result<(), WorkbookError> {
    let (title, wrap, link) = (title_format(), wrap_format(), link_format());
    let mut contents = Sheet::new(wb, "Contents", "datapackage.json")?;
    let header_row = 2;
    contents.print_setup(Some(header_row))?;
    contents.text(0, 0, "Contents", Some(&title))?;
    contents.text(
        1,
        0,
        "This worksheet contains one table. Each link in the second column opens its sheet.",
        None,
    )?;
    let (sheet_w, title_w, what_w) = (16.0, 50.0, 90.0);
    contents.width(0, sheet_w)?;
    contents.width(1, title_w)?;
    contents.width(2, what_w)?;
    let mut rows: Vec<(String, String, String)> = vec![(
        "Notes".into(),
        "Notes on these tables".into(),
        "What the shorthand means, which forces were left out or flagged and why, and where definitions differ".into(),
    )];
    rows.extend(
        kept.iter()
            .map(|t| (sheet_name(t), t.title.clone(), t.description.clone())),
    );
    let header = ["Sheet", "Table (a link to its sheet)", "What a row is"];
    for (i, (sheet, title, what)) in rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        contents.text(r, 0, sheet, Some(&wrap))?;
        contents.link(
            r,
            1,
            Url::new(format!("internal:'{sheet}'!A1")).set_text(title),
            &link,
        )?;
        contents.text(r, 2, what, Some(&wrap))?;
        contents.height(r, &[(what, what_w), (title, title_w)])?;
    }
    contents.mark_up(&header, header_row, rows.len(), "table_contents")?;
    Ok(())
}

/// Notes: a table of every note, with the sheets that refer to it.
fn notes_sheet(
    wb: &mut Workbook,
    notes: &Notes,
    referrers: &Referrers,
) -> Result<(), WorkbookError> {
    let (title, wrap) = (title_format(), wrap_format());
    let mut sheet = Sheet::new(wb, "Notes", "summary.html and coverage.csv")?;
    let header_row = 2;
    sheet.print_setup(Some(header_row))?;
    sheet.text(0, 0, "Notes", Some(&title))?;
    sheet.text(
        1,
        0,
        "This worksheet contains one table. Titles and headers on the other sheets refer to these notes as [note 1], [note 2]…",
        None,
    )?;
    let (note_w, sheets_w) = (110.0, 30.0);
    sheet.width(0, 12.0)?;
    sheet.width(1, note_w)?;
    sheet.width(2, sheets_w)?;
    for (i, n) in notes.texts.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        let text = neutralise(n);
        let sheets = referrers.sheets_of(i + 1);
        sheet.text(r, 0, &format!("note {}", i + 1), Some(&wrap))?;
        sheet.text(r, 1, &text, Some(&wrap))?;
        sheet.text(r, 2, &sheets, Some(&wrap))?;
        sheet.height(r, &[(&text, note_w), (&sheets, sheets_w)])?;
    }
    sheet.mark_up(
        &["Note number", "Note text", "Sheets that refer to it"],
        header_row,
        notes.texts.len(),
        "table_notes",
    )?;
    Ok(())
}

/// One table on its own sheet: a title (with the notes that bear on it), a
/// line saying what the sheet holds, one header row of plain words with
/// units, the rows, marked up as a table. Text longer than its column
/// wraps, in a row tall enough for it.
fn table_sheet(
    wb: &mut Workbook,
    t: &Table,
    headers: &[String],
    notes: &[usize],
) -> Result<(), WorkbookError> {
    let (title, header_format) = (
        title_format(),
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top),
    );
    let count = Format::new().set_num_format("#,##0");
    let measure = measure_format(t);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = wrap_format();
    // Shorthand and ranges in a column of numbers line up with the numbers.
    let right = Format::new().set_align(FormatAlign::Right);
    let header_row = 2;
    let mut ws = Sheet::new(wb, &sheet_name(t), &format!("{}.csv", t.name))?;
    ws.table = Some((t, header_row));
    ws.print_setup(Some(header_row))?;
    ws.text(0, 0, &with_notes(&t.title, notes), Some(&title))?;
    ws.text(
        1,
        0,
        "This worksheet contains one table. Some cells refer to notes, which are on the Notes sheet.",
        None,
    )?;
    let ranges = range_columns(t);
    let widths: Vec<f64> = (0..t.columns.len())
        .map(|c| column_width(t, c, &headers[c], &ranges))
        .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.text(header_row, c as u16, h, Some(&header_format))?;
        ws.width(c as u16, widths[c])?;
    }
    let header_texts: Vec<(&str, f64)> = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| (h.as_str(), *w))
        .collect();
    ws.height(header_row, &header_texts)?;
    for (i, row) in t.rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        // The texts wider than their column, which wrap.
        let mut wrapped: Vec<(String, f64)> = Vec::new();
        for (c, v) in row.iter().enumerate() {
            let col = c as u16;
            match v {
                Value::Text(_) | Value::List(_) | Value::Bool(_) | Value::Date(None) => {
                    let text = shown(t, row, &ranges, c);
                    if text.chars().count() as f64 > widths[c] - 1.0 {
                        ws.text(r, col, &text, Some(&wrap))?;
                        wrapped.push((text, widths[c]));
                    } else {
                        ws.text(r, col, &text, None)?;
                    }
                }
                Value::Int(Some(n)) => ws.number(r, col, *n as f64, Some(&count))?,
                Value::Signed(Some(n)) => ws.number(r, col, *n as f64, Some(&count))?,
                Value::Decimal(Some(n), s) => {
                    ws.number(r, col, s.signed_to_f64(*n), Some(&measure))?
                }
                Value::Number(Some(x)) => ws.number(r, col, (x * 10.0).round() / 10.0, None)?,
                Value::Date(Some(d)) => ws.date(r, col, *d, &date)?,
                Value::Int(None)
                | Value::Signed(None)
                | Value::Decimal(None, _)
                | Value::Number(None) => {
                    // A range where a point belongs: say so in words; else [x].
                    ws.text(r, col, &blank_cell(t, row, ranges[c], c), Some(&right))?
                }
            }
        }
        if !wrapped.is_empty() {
            let texts: Vec<(&str, f64)> = wrapped.iter().map(|(s, w)| (s.as_str(), *w)).collect();
            ws.height(r, &texts)?;
        }
    }
    let header: Vec<&str> = headers.iter().map(String::as_str).collect();
    ws.mark_up(&header, header_row, t.rows.len(), &table_name(&t.name))?;
    if matches!(t.columns.first(), Some(c) if c.kind == Kind::Text) {
        let fail = ws.fail(Some((header_row + 1, 0)));
        ws.ws.set_freeze_panes(header_row + 1, 0).map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(cols: &[(&str, Kind)]) -> Vec<crate::table::Column> {
        cols.iter()
            .map(|(n, k)| crate::table::Column::new(n, *k, n, ""))
            .collect()
    }

    fn table(name: &str, cols: &[(&str, Kind)], row: Vec<Value>) -> Table {
        let mut t = Table::new(name, name, columns(cols));
        t.rows.push(row);
        t
    }

    #[test]
    fn notes_are_referred_to_by_number_runs_shortened() {
        assert_eq!(note_refs(&[]), "");
        assert_eq!(note_refs(&[1, 3]), "[note 1] [note 3]");
        assert_eq!(
            note_refs(&[1, 2, 4, 5, 6, 7]),
            "[note 1] [note 2] [note 4] to [note 7]"
        );
        assert_eq!(with_notes("Coverage", &[4]), "Coverage [note 4]");
    }

    #[test]
    fn a_long_header_wraps_over_a_narrow_column_of_numbers() {
        let t = table("t", &[("lo", Kind::Int)], vec![Value::Int(Some(12))]);
        let w = column_width(
            &t,
            0,
            "Number of offences, lowest possible [note 1]",
            &[None],
        );
        assert!((MIN_WIDTH..=25.0).contains(&w), "{w}");
        let long = table(
            "t",
            &[("reason", Kind::Text)],
            vec![Value::text("x".repeat(300))],
        );
        assert_eq!(column_width(&long, 0, "Reason", &[None]), MAX_WIDTH);
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
        release.notes.push(crate::figures::Note {
            topic: Topic::Comparison,
            text: "n".repeat(70_000),
        });
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
        let mut t = Table::new(
            "wide",
            "Too wide",
            columns(&[("a", Kind::Text), ("b", Kind::Int)]),
        );
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
        let names: Vec<String> = (0..=SHEET_COLUMNS).map(|i| format!("c{i}")).collect();
        let cols: Vec<(&str, Kind)> = names.iter().map(|n| (n.as_str(), Kind::Text)).collect();
        let mut wide = Table::new("wide", "Too wide", columns(&cols));
        wide.rows.push(vec![Value::text("x"); SHEET_COLUMNS + 1]);
        assert!(!in_workbook(&wide), "left out of the workbook");
        let e = table_sheet(&mut Workbook::new(), &wide, &names, &[])
            .expect_err("too wide for a sheet");
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
