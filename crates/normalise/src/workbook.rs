//! Reading workbooks (xlsx, ods, xls) within [`Limits`].
//!
//! calamine trusts what a file says about itself: a sheet's declared
//! dimension, the shared-string count, an .xls sheet's DIMENSIONS record
//! are all used to size allocations, and a failed allocation aborts the
//! process. So before calamine sees a workbook, the parts it would trust are
//! checked here with the same zip and XML readers it uses:
//!
//! - xlsx and ods: the zip directory's declared sizes (which the zip reader
//!   then enforces while inflating) must add up to at most
//!   `max_inflated_bytes`; the shared-string count must fit its part.
//! - ods: content.xml is scanned for the box each table's cells span,
//!   repeated rows and columns included, before calamine lays it out.
//! - xls: every sheet's records are walked for the box its cells span and
//!   the dimension it claims, before calamine lays it out.
//! - xlsx sheets are read cell by cell (`worksheet_cells_reader`), never
//!   through `worksheet_range`, and each cell is placed only if the grid
//!   stays within the cell limits.
//!
//! An encrypted workbook (an OLE2 file holding an EncryptedPackage, or an
//! .xls with a FILEPASS record) is said to be password-protected. A panic
//! inside a reader becomes an error for the response.

use crate::grid::{bytes as size_text, Bounded, Cell, ReadError, Sheet};
use calamine::{Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx, XlsxError};
use chrono::NaiveDate;
use foi_model::thousands;
use foi_model::{CellRef, Format, Limits};
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub(crate) fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    let run = || match format {
        Format::Xlsx => read_xlsx(bytes, limits),
        Format::Ods => read_ods(bytes, limits),
        _ => read_xls(bytes, limits),
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => Err(ReadError::Workbook(
            "the file is malformed in a way the spreadsheet reader cannot handle; ask the force to save it again as xlsx".into(),
        )),
    }
}

fn too_many_sheets(n: usize, limits: &Limits) -> Result<(), ReadError> {
    if n as u64 > limits.max_sheets {
        return Err(ReadError::TooLarge {
            what: format!("the workbook has {} sheets", thousands(n as u64)),
            limit: format!("{} sheets", thousands(limits.max_sheets)),
            setting: "max_sheets",
            sheet: None,
            cell: None,
        });
    }
    Ok(())
}

fn zip_error(e: zip::result::ZipError) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => ReadError::Encrypted,
        ZipError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ReadError::Damaged("it ends before its last part: it was cut short".into())
        }
        ZipError::InvalidArchive(m) if m.contains("EOCD") || m.contains("end of central") => {
            ReadError::Damaged("its zip directory is missing: it was probably cut short".into())
        }
        other => ReadError::Damaged(format!("its zip structure is broken: {other}")),
    }
}

/// Checks a zip-based workbook before calamine opens it: the parts'
/// declared sizes against `max_inflated_bytes`, encryption, and the
/// shared-string count. Returns the archive for further checks.
fn check_zip<'b>(
    bytes: &'b [u8],
    limits: &Limits,
) -> Result<zip::ZipArchive<Cursor<&'b [u8]>>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    let mut total: u64 = 0;
    let mut shared: Option<(usize, u64)> = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(zip_error)?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        total = total.saturating_add(entry.size());
        let name = String::from_utf8_lossy(entry.name_raw()).to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") {
            shared = Some((i, entry.size()));
        }
    }
    if total > limits.max_inflated_bytes {
        return Err(ReadError::TooLarge {
            what: format!("the workbook unpacks to {}", size_text(total)),
            limit: size_text(limits.max_inflated_bytes),
            setting: "max_inflated_bytes",
            sheet: None,
            cell: None,
        });
    }
    if let Some((i, size)) = shared {
        // calamine reserves room for uniqueCount strings before reading one;
        // a string takes at least "<si/>", so more than size / 5 is a lie.
        let mut head = Vec::new();
        let file = zip.by_index(i).map_err(zip_error)?;
        file.take(4096)
            .read_to_end(&mut head)
            .map_err(|e| ReadError::Damaged(format!("its shared strings cannot be read: {e}")))?;
        if let Some(n) = unique_count(&head) {
            if n > size / 5 {
                return Err(ReadError::Damaged(format!(
                    "its shared-strings part says it holds {} strings but is only {} long",
                    thousands(n),
                    size_text(size)
                )));
            }
        }
    }
    Ok(zip)
}

/// The `uniqueCount` attribute of `<sst …>`, if the head of the part has one.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("<sst")?;
    let tag_end = text[sst..].find('>').map(|e| sst + e).unwrap_or(text.len());
    let tag = &text[sst..tag_end];
    let at = tag.find("uniqueCount")?;
    let digits: String = tag[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    // Too many digits for a u64 is a lie too.
    Some(digits.parse().unwrap_or(u64::MAX))
}

fn xlsx_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::Encrypted,
        XlsxError::Zip(z) => zip_error(z),
        XlsxError::Io(e) => ReadError::Damaged(format!("a part cannot be unpacked: {e}")),
        other => ReadError::Workbook(other.to_string()),
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    drop(check_zip(bytes, limits)?);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let metas = wb.sheets_metadata().to_vec();
    too_many_sheets(metas.len(), limits)?;
    let mut sheets = Vec::with_capacity(metas.len());
    let mut spanned: u64 = 0;
    // Each shared string's cell, made once for the whole workbook.
    let mut shared: rustc_hash::FxHashMap<usize, Cell> = Default::default();
    for meta in metas {
        let visible = meta.visible == SheetVisible::Visible;
        let mut grid = Bounded::new(limits, Some(meta.name.clone()), spanned);
        if meta.typ == SheetType::WorkSheet {
            let mut cells = match wb.worksheet_cells_reader(&meta.name) {
                Ok(c) => Some(c),
                // A chart or dialog sheet filed as a worksheet: nothing to read.
                Err(XlsxError::NotAWorksheet(_)) => None,
                Err(e) => return Err(sheet_error(&meta.name, xlsx_error(e))),
            };
            // The sheet's declared dimension is never trusted: the cells are
            // placed one by one, each checked against the limits.
            while let Some(reader) = cells.as_mut() {
                match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (row, col) = c.get_position();
                        let cell = match c.get_value() {
                            // calamine lends each shared string from its one
                            // copy: its address names it.
                            DataRef::SharedString(s) => shared
                                .entry(s.as_ptr() as usize)
                                .or_insert_with(|| Cell::text_cell(s))
                                .clone(),
                            other => convert_ref(other),
                        };
                        grid.put(row, col, cell)?;
                    }
                    Ok(None) => break,
                    Err(e) => return Err(sheet_error(&meta.name, xlsx_error(e))),
                }
            }
        }
        spanned = spanned.saturating_add(grid.span());
        sheets.push(grid.finish(visible));
    }
    Ok(sheets)
}

fn sheet_error(sheet: &str, e: ReadError) -> ReadError {
    match e {
        ReadError::Workbook(m) => ReadError::Workbook(format!("sheet {sheet:?}: {m}")),
        other => other,
    }
}

fn read_ods(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    let mut zip = check_zip(bytes, limits)?;
    let untyped = check_ods_content(&mut zip, limits)?;
    drop(zip);
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        calamine::OdsError::Zip(z) => zip_error(z),
        other => ReadError::Workbook(other.to_string()),
    })?;
    read_ranges(&mut wb, limits, &untyped)
}

fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    check_xls(bytes, limits)?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        other => ReadError::Workbook(other.to_string()),
    })?;
    read_ranges(&mut wb, limits, &Untyped::new())
}

/// Text cells an ods holds without an `office:value-type` (valid ODF,
/// written by some tools), which calamine reads as empty: by sheet name,
/// (row, column, text).
type Untyped = std::collections::HashMap<String, Vec<(u32, u32, String)>>;

/// Sheets from a reader that has already laid every sheet out (ods, xls),
/// after the checks above bounded how large those layouts can be, with
/// the untyped text cells the reader left out put back where they stand.
fn read_ranges<RS, R>(
    wb: &mut R,
    limits: &Limits,
    untyped: &Untyped,
) -> Result<Vec<Sheet>, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metas = wb.sheets_metadata().to_vec();
    too_many_sheets(metas.len(), limits)?;
    let mut sheets = Vec::with_capacity(metas.len());
    let mut spanned: u64 = 0;
    for meta in metas {
        let range = wb
            .worksheet_range(&meta.name)
            .map_err(|e| ReadError::Workbook(format!("sheet {:?}: {e}", meta.name)))?;
        let mut grid = Bounded::new(limits, Some(meta.name.clone()), spanned);
        if let Some((r0, c0)) = range.start() {
            for (r, row) in range.rows().enumerate() {
                for (c, d) in row.iter().enumerate() {
                    grid.put(r0 + r as u32, c0 + c as u32, convert(d))?;
                }
            }
        }
        for (r, c, text) in untyped.get(&meta.name).into_iter().flatten() {
            if !grid.holds(*r, *c) {
                grid.put(*r, *c, Cell::text_cell(text))?;
            }
        }
        spanned = spanned.saturating_add(grid.span());
        sheets.push(grid.finish(meta.visible == SheetVisible::Visible));
    }
    Ok(sheets)
}

fn convert_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::SharedString(s) => Cell::text_cell(s),
        DataRef::String(s) => Cell::text_cell(s),
        other => convert(&Data::from(other.clone())),
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::text_cell(s),
        Data::Bool(b) => Cell::Text(b.to_string().into()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => Cell::Date(t.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::text_cell(s)),
        Data::DurationIso(s) => Cell::text_cell(s),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// The box a sheet's cells span, from A1, as rows and columns.
#[derive(Default)]
struct Span {
    rows: u64,
    cols: u64,
}

impl Span {
    fn reach(&mut self, row: u64, col: u64) {
        self.rows = self.rows.max(row.saturating_add(1));
        self.cols = self.cols.max(col.saturating_add(1));
    }
    fn cells(&self) -> u64 {
        self.rows.saturating_mul(self.cols)
    }
    fn corner(&self) -> String {
        let row = self.rows.saturating_sub(1).min(u32::MAX as u64) as u32;
        let col = self.cols.saturating_sub(1).min(u32::MAX as u64) as u32;
        CellRef::new(row, col).a1()
    }
}

/// Refuses a sheet whose cells span more than the limits, before a reader
/// lays it out. `claims` says the span is what the file says, not cells seen.
fn check_span(
    sheet: &str,
    span: &Span,
    before: u64,
    claims: bool,
    limits: &Limits,
) -> Result<(), ReadError> {
    let cells = span.cells();
    let corner = span.corner();
    if cells > limits.max_cells_per_sheet {
        return Err(ReadError::TooLarge {
            what: format!(
                "the sheet {} A1:{corner} ({} cells)",
                if claims { "claims to span" } else { "spans" },
                thousands(cells)
            ),
            limit: format!("{} cells", thousands(limits.max_cells_per_sheet)),
            setting: "max_cells_per_sheet",
            sheet: Some(sheet.to_string()),
            cell: Some(corner),
        });
    }
    let total = before.saturating_add(cells);
    if !claims && total > limits.max_cells_per_workbook {
        return Err(ReadError::TooLarge {
            what: format!(
                "the workbook's sheets span {} cells together by this sheet",
                thousands(total)
            ),
            limit: format!("{} cells", thousands(limits.max_cells_per_workbook)),
            setting: "max_cells_per_workbook",
            sheet: Some(sheet.to_string()),
            cell: None,
        });
    }
    Ok(())
}

/// Scans an ods's content.xml for the box each table's cells span,
/// repeated rows and columns counted as calamine would lay them out, and
/// gathers the text of cells that carry no `office:value-type`.
fn check_ods_content(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<Untyped, ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let mut untyped = Untyped::new();
    let Ok(file) = zip.by_name("content.xml") else {
        return Ok(untyped);
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut buf = Vec::new();
    let mut tables = 0usize;
    let mut name = String::new();
    let mut span = Span::default();
    let mut before = 0u64;
    let mut row = 0u64;
    let mut col = 0u64;
    let mut row_repeat = 1u64;
    let mut row_last_col: Option<u64> = None;
    // An untyped cell being read: its first column, columns repeated, and
    // its text so far; and how deep inside a note (office:annotation) or
    // paragraph the reader is.
    let mut cell: Option<(u64, u64, String)> = None;
    let mut in_note = 0usize;
    let mut paragraphs = 0usize;
    let repeat = |e: &BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1u64)
            .max(1)
    };
    loop {
        buf.clear();
        let (event, open) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e.into_owned(), true),
            Ok(Event::Empty(e)) => (e.into_owned(), false),
            Ok(Event::End(e)) => {
                match e.name().as_ref() {
                    "office:annotation" => in_note = in_note.saturating_sub(1),
                    "table:table-cell" | "table:covered-table-cell" => {
                        if let Some((c, n, text)) = cell.take() {
                            keep_untyped(&mut untyped, &name, row, row_repeat, c, n, text);
                        }
                    }
                    "table:table-row" => {
                        if let Some(c) = row_last_col.take() {
                            span.reach(row + row_repeat - 1, c);
                        }
                        row = row.saturating_add(row_repeat);
                    }
                    "table:table" => {
                        check_span(&name, &span, before, false, limits)?;
                        before = before.saturating_add(span.cells());
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(ReadError::Damaged(format!(
                    "its content.xml is not well-formed: {e}"
                )))
            }
            Ok(Event::Text(t)) => {
                if let (Some((_, _, text)), 0) = (cell.as_mut(), in_note) {
                    text.push_str(&t.xml10_content());
                }
                continue;
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some((_, _, text)), 0) = (cell.as_mut(), in_note) {
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) => text.push(ch),
                        _ => text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r).unwrap_or(""),
                        ),
                    }
                }
                continue;
            }
            Ok(_) => continue,
        };
        match event.name().as_ref() {
            "table:table" => {
                tables += 1;
                too_many_sheets(tables, limits)?;
                name = event
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_else(|| format!("sheet {tables}"));
                span = Span::default();
                row = 0;
            }
            "table:table-row" => {
                row_repeat = repeat(&event, "table:number-rows-repeated");
                col = 0;
                row_last_col = None;
                if !open {
                    row = row.saturating_add(row_repeat);
                }
            }
            "office:annotation" if open => in_note += 1,
            "text:p" if cell.is_some() && in_note == 0 => {
                // Paragraphs of one cell, one per line, as calamine joins them.
                if let Some((_, _, text)) = cell.as_mut() {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                }
                paragraphs += 1;
            }
            "text:s" if in_note == 0 => {
                if let Some((_, _, text)) = cell.as_mut() {
                    let n = repeat(&event, "text:c").min(1000);
                    text.extend(std::iter::repeat_n(' ', n as usize));
                }
            }
            "text:tab" if in_note == 0 => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push('\t');
                }
            }
            "text:line-break" if in_note == 0 => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push('\n');
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeat(&event, "table:number-columns-repeated");
                let typed = event
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some();
                if open && !typed {
                    cell = Some((col, n, String::new()));
                    paragraphs = 0;
                }
                // An element with content, or a typed value, is a cell
                // calamine keeps; a bare empty element is padding.
                let has_value = open || typed;
                if has_value {
                    row_last_col = Some(col.saturating_add(n - 1));
                }
                col = col.saturating_add(n);
                // Check as we go: one row can repeat its way to billions.
                let mut now = Span {
                    rows: span.rows,
                    cols: span.cols,
                };
                if let Some(c) = row_last_col {
                    now.reach(row.saturating_add(row_repeat - 1), c);
                }
                check_span(&name, &now, before, false, limits)?;
            }
            _ => {}
        }
    }
    Ok(untyped)
}

/// Keeps the text of an untyped ods cell, at every place it is repeated
/// (the box was checked against the limits as the scan went).
fn keep_untyped(
    untyped: &mut Untyped,
    sheet: &str,
    row: u64,
    rows: u64,
    col: u64,
    cols: u64,
    text: String,
) {
    if text.trim().is_empty() {
        return;
    }
    let cells = untyped.entry(sheet.to_string()).or_default();
    for r in row..row.saturating_add(rows) {
        for c in col..col.saturating_add(cols) {
            if let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) {
                cells.push((r, c, text.clone()));
            }
        }
    }
}

/// Walks an .xls file's sheets' records for the box their cells span and
/// the dimension each claims (which calamine reserves memory for), and says
/// so plainly when the file is an encrypted workbook.
fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ReadError::Damaged(format!("its OLE2 structure is broken: {e}")))?;
    let names: Vec<String> = cfb
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .collect();
    if names
        .iter()
        .any(|n| n == "EncryptedPackage" || n == "EncryptionInfo")
    {
        return Err(ReadError::Encrypted);
    }
    let Some(stream) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| cfb.is_stream(s))
    else {
        return Err(ReadError::Workbook(
            "it is an OLE2 file (like an .xls) but holds no workbook".into(),
        ));
    };
    let mut data = Vec::new();
    cfb.open_stream(stream)
        .and_then(|mut s| s.read_to_end(&mut data))
        .map_err(|e| ReadError::Damaged(format!("its workbook stream cannot be read: {e}")))?;
    check_biff(&data, limits)
}

fn u16_at(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
}

fn u32_at(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
}

/// The BIFF record walk behind [`check_xls`].
fn check_biff(data: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // Sheet names by the offset of their BOF, from BOUNDSHEET records.
    let mut names: Vec<(u64, String)> = Vec::new();
    let mut pos = 0usize;
    let mut in_sheet: Option<String> = None;
    let mut span = Span::default();
    let mut before = 0u64;
    let mut bofs = 0usize;
    while pos + 4 <= data.len() {
        let typ = u16_at(data, pos).unwrap_or(0);
        let len = u16_at(data, pos + 2).unwrap_or(0) as usize;
        let start = pos + 4;
        let r = &data[start..(start + len).min(data.len())];
        match typ {
            // BOUNDSHEET8: lbPlyPos, hsState, dt, ShortXLUnicodeString name.
            0x0085 => {
                let at = u32_at(r, 0).unwrap_or(0);
                let cch = r.get(6).copied().unwrap_or(0) as usize;
                let wide = r.get(7).is_some_and(|f| f & 1 == 1);
                let name = if wide {
                    let units: Vec<u16> = r
                        .get(8..8 + 2 * cch)
                        .unwrap_or(&[])
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    r.get(8..8 + cch)
                        .unwrap_or(&[])
                        .iter()
                        .map(|&b| b as char)
                        .collect()
                };
                names.push((at, name));
                too_many_sheets(names.len(), limits)?;
            }
            // BOF: a substream starts; the first is the workbook globals.
            0x0809 => {
                bofs += 1;
                if bofs > 1 {
                    let name = names
                        .iter()
                        .find(|(at, _)| *at == pos as u64)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_else(|| format!("sheet {}", bofs - 1));
                    in_sheet = Some(name);
                    span = Span::default();
                }
            }
            // EOF of a substream.
            0x000A => {
                if let Some(name) = in_sheet.take() {
                    check_span(&name, &span, before, false, limits)?;
                    before = before.saturating_add(span.cells());
                }
            }
            // DIMENSIONS: calamine reserves rows x columns cells for it.
            0x0200 => {
                if let Some(name) = &in_sheet {
                    let (rf, rl, cf, cl) = if r.len() >= 14 {
                        (u32_at(r, 0), u32_at(r, 4), u16_at(r, 8), u16_at(r, 10))
                    } else {
                        (u16_at(r, 0), u16_at(r, 2), u16_at(r, 4), u16_at(r, 6))
                    };
                    let (rf, rl, cf, cl) = (
                        rf.unwrap_or(0),
                        rl.unwrap_or(0),
                        cf.unwrap_or(0),
                        cl.unwrap_or(0),
                    );
                    if rl >= 1 && rl - 1 < rf {
                        return Err(ReadError::Damaged(format!(
                            "sheet {name:?} says its rows end before they start"
                        )));
                    }
                    let claimed = Span {
                        rows: rl.saturating_sub(rf).max(1),
                        cols: if cf > 0xFF || cl < cf { cl } else { cl - cf }.max(1),
                    };
                    check_span(name, &claimed, before, true, limits)?;
                }
            }
            // Cells: row and column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if in_sheet.is_some() => {
                if let (Some(row), Some(col)) = (u16_at(r, 0), u16_at(r, 2)) {
                    span.reach(row, col);
                }
            }
            // MULRK: a row, a first column, and the last column at the end.
            0x00BD if in_sheet.is_some() && r.len() >= 6 => {
                if let (Some(row), Some(last)) = (u16_at(r, 0), u16_at(r, r.len() - 2)) {
                    let first = u16_at(r, 2).unwrap_or(0);
                    span.reach(row, last.max(first));
                }
            }
            _ => {}
        }
        pos = start + len;
    }
    if let Some(name) = in_sheet {
        check_span(&name, &span, before, false, limits)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_counts() {
        assert_eq!(
            unique_count(br#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si>"#),
            Some(2)
        );
        assert_eq!(
            unique_count(br#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
        assert_eq!(unique_count(br#"<sst count="3">"#), None);
    }

    #[test]
    fn biff_spans() {
        let limits = Limits {
            max_cells_per_sheet: 1000,
            ..Limits::DEFAULT
        };
        let rec = |typ: u16, data: &[u8]| {
            let mut v = typ.to_le_bytes().to_vec();
            v.extend((data.len() as u16).to_le_bytes());
            v.extend(data);
            v
        };
        let number = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend([0u8; 10]);
            rec(0x0203, &d)
        };
        let mut s = rec(0x0809, &[0; 16]);
        s.extend(rec(0x000A, &[]));
        s.extend(rec(0x0809, &[0; 16]));
        s.extend(number(0, 0));
        s.extend(number(9, 9));
        s.extend(rec(0x000A, &[]));
        check_biff(&s, &limits).expect("100 cells");
        let mut big = s.clone();
        big.extend(rec(0x0809, &[0; 16]));
        big.extend(number(100, 100));
        big.extend(rec(0x000A, &[]));
        let e = check_biff(&big, &limits).expect_err("10,201 cells");
        assert_eq!(e.cell().as_deref(), Some("CW101"));
        assert_eq!(e.sheet(), Some("sheet 2"));
    }
}
