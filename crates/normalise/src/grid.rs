//! Reading a source's bytes into plain grids of cells, whatever the format.
//!
//! Every reader here is bounded by [`Limits`]: a file that would need more
//! (a zip bomb, a sheet whose cells reach XFD1048576, a 10 MB line) is a
//! [`ReadError`] for that response, never a crash, a hang or exhausted
//! memory. Workbooks are read by `workbook.rs`, HTML by `html.rs`.

use chrono::NaiveDate;
use foi_model::{thousands, CellRef, Format, Limits};
use std::borrow::Cow;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Shared: a workbook's shared string is one allocation however many
    /// cells show it (a record-level sheet repeats a few hundred labels and
    /// dates on every row). A sheet is read and used on one thread.
    Text(Rc<str>),
    Number(f64),
    Date(NaiveDate),
    /// A formula error such as #REF!.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
    /// The cell as a person reads it: numbers without a trailing ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
    /// [`Cell::text`], borrowed from a text cell rather than copied.
    pub fn text_cow(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t.trim()),
            other => Cow::Owned(other.text()),
        }
    }
    /// The cell's text with the spaces it begins with (an indent typed
    /// to show a row is under the one above); else [`Cell::text`].
    pub fn as_written(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t.trim_end()),
            other => Cow::Owned(other.text()),
        }
    }
    /// A text cell with control characters made spaces (see [`clean_text`]).
    pub(crate) fn text_cell(s: &str) -> Cell {
        Cell::Text(Rc::from(clean_text(s).as_ref()))
    }
}

/// Text as a cell holds it: control characters (which no label means, and
/// which could rewrite a terminal that prints them) and bidirectional
/// overrides (which make text display in another order than it is read)
/// become spaces. Tabs and line breaks stay. Labels are matched with
/// punctuation and spacing folded, so this never changes what a label maps to.
pub(crate) fn clean_text(s: &str) -> Cow<'_, str> {
    fn bad(c: char) -> bool {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    // Printable ASCII, tabs and line breaks hold nothing to clean: most
    // cells are, and a byte scan is far cheaper than decoding chars.
    if s.bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r'))
    {
        return Cow::Borrowed(s);
    }
    if s.chars().any(bad) {
        Cow::Owned(s.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// One sheet, cells at absolute zero-based positions.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// `None` for text sources, which have no sheets.
    pub name: Option<String>,
    pub visible: bool,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows
            .get(row)
            .is_none_or(|r| r.iter().all(Cell::is_empty))
    }
}

/// Why a file could not be read at all, in words a researcher can act on.
/// The sheet and cell, where known, are in [`ReadError::sheet`] and
/// [`ReadError::cell`], not in the message.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    #[error("the file is empty (0 bytes): ask the force to send it again")]
    Empty,
    #[error("this is a PDF: its figures must be entered by hand as [[manual]] entries")]
    Pdf,
    #[error(
        "the file is not a spreadsheet or text table (its bytes are {0}, whatever its name says)"
    )]
    NotTabular(Format),
    #[error("this file is password-protected: ask the force for an unprotected copy")]
    Encrypted,
    #[error("the file is damaged or incomplete ({0}): ask the force to send it again")]
    Damaged(String),
    #[error("the workbook could not be read: {0}")]
    Workbook(String),
    #[error("{what}, more than the limit of {limit} ({setting} in the campaign's [limits]): ask the force for a smaller file, or raise the limit if this one is genuine")]
    TooLarge {
        what: String,
        limit: String,
        setting: &'static str,
        sheet: Option<String>,
        cell: Option<String>,
    },
    #[error("{what}: the file is damaged or is not a text file; ask the force for a clean copy")]
    NotText { what: String, line: u64 },
    #[error("the text could not be read as CSV: {reason}")]
    Csv { line: u64, reason: String },
}

impl ReadError {
    /// The sheet the problem is on, when it is on one.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            ReadError::TooLarge { sheet, .. } => sheet.as_deref(),
            _ => None,
        }
    }
    /// The cell ("XFD1048576") or line ("line 3") the problem is at.
    pub fn cell(&self) -> Option<String> {
        match self {
            ReadError::TooLarge { cell, .. } => cell.clone(),
            ReadError::NotText { line, .. } | ReadError::Csv { line, .. } if *line > 0 => {
                Some(format!("line {line}"))
            }
            _ => None,
        }
    }
}

/// A byte count as a person reads it: "2.0 GB", "128 MB", "512 bytes".
pub(crate) fn bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const GB: u64 = 1024 * MB;
    if n >= GB {
        format!("{:.1} GB", n as f64 / GB as f64)
    } else if n >= MB {
        format!("{} MB", n.div_ceil(MB))
    } else {
        format!("{} bytes", thousands(n))
    }
}

/// Reads every sheet of a workbook, or the one table of a text file, within
/// `limits`.
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    match format {
        Format::Xlsx | Format::Ods | Format::Xls => crate::workbook::read(bytes, format, limits),
        Format::Text { utf8 } => read_csv(bytes, utf8, limits).map(|s| vec![s]),
        Format::Html => {
            crate::html::read_html(&decode(bytes, std::str::from_utf8(bytes).is_ok()), limits)
                .map(|s| vec![s])
        }
        Format::Empty => Err(ReadError::Empty),
        Format::Pdf => Err(ReadError::Pdf),
        Format::Unknown => match utf16(bytes) {
            // "Unicode text" as Excel saves it: UTF-16 with a byte-order mark.
            Some(text) => read_csv_text(&text, limits).map(|s| vec![s]),
            // Text with a stray zero byte: say where, rather than "unknown".
            None if looks_like_text(bytes) => read_csv(bytes, false, limits).map(|s| vec![s]),
            None => Err(ReadError::NotTabular(format)),
        },
        other => Err(ReadError::NotTabular(other)),
    }
}

/// Text in UTF-8, or else Windows-1252 (what Excel on Windows saves as CSV).
pub fn decode(bytes: &[u8], utf8: bool) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    if utf8 {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        text.into_owned()
    }
}

/// UTF-16 text with a byte-order mark, decoded.
fn utf16(bytes: &[u8]) -> Option<String> {
    let enc = if bytes.starts_with(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, _, _) = enc.decode(bytes);
    Some(text.into_owned())
}

/// Mostly printable bytes with line breaks: text, even if damaged.
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let odd = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0))
        .count();
    let nul = head.iter().filter(|&&b| b == 0).count();
    odd == 0 && nul * 4 < head.len()
}

/// The 1-based line of byte offset `at`, counting CR, LF and CRLF as one
/// line break each, as an editor shows them.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    let mut line = 1;
    let mut i = 0;
    while i < at.min(bytes.len()) {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

/// The first line longer than `max` bytes: (line, its length).
fn long_line(bytes: &[u8], max: u64) -> Option<(u64, u64)> {
    let mut line = 1u64;
    let mut len = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => {
                if len > max {
                    return Some((line, len));
                }
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                len = 0;
            }
            _ => len += 1,
        }
        i += 1;
    }
    (len > max).then_some((line, len))
}

fn read_csv(bytes: &[u8], utf8: bool, limits: &Limits) -> Result<Sheet, ReadError> {
    read_csv_text(&decode(bytes, utf8), limits)
}

fn bytes_exact(n: u64) -> String {
    format!("{} bytes", thousands(n))
}

fn read_csv_text(text: &str, limits: &Limits) -> Result<Sheet, ReadError> {
    if let Some((line, len)) = long_line(text.as_bytes(), limits.max_line_bytes) {
        return Err(ReadError::TooLarge {
            what: format!("line {line} is {} long", bytes_exact(len)),
            limit: bytes_exact(limits.max_line_bytes),
            setting: "max_line_bytes",
            sheet: None,
            cell: Some(format!("line {line}")),
        });
    }
    if let Some(at) = text.find('\0') {
        let line = line_at(text.as_bytes(), at);
        return Err(ReadError::NotText {
            what: format!("line {line} holds a zero (NUL) byte, which text never does"),
            line,
        });
    }
    // One kind of line break, so every line number is the one an editor
    // shows, whether the file ends its lines with CRLF, LF or a lone CR.
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut width = 0u64;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ReadError::Csv {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            reason: e.to_string(),
        })?;
        let line = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(rows.len() + 1);
        // Lines are 1-based and a quoted field may span lines: place each
        // record at its own starting line so lineage names the right one.
        let at = line.saturating_sub(1);
        width = width.max(rec.len() as u64);
        let span = (at as u64 + 1).saturating_mul(width);
        if span > limits.max_cells_per_sheet {
            return Err(ReadError::TooLarge {
                what: format!("the table spans {} cells by line {line}", thousands(span)),
                limit: format!("{} cells", thousands(limits.max_cells_per_sheet)),
                setting: "max_cells_per_sheet",
                sheet: None,
                cell: Some(format!("line {line}")),
            });
        }
        if rows.len() < at {
            rows.resize(at, Vec::new());
        }
        rows.push(
            rec.iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::text_cell(f)
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet {
        name: None,
        visible: true,
        rows,
    })
}

/// Lays one sheet's cells out as rows as they arrive, refusing any that
/// would make the grid span more cells than the limits allow.
pub(crate) struct Bounded<'a> {
    limits: &'a Limits,
    name: Option<String>,
    /// Cells the workbook's earlier sheets span.
    before: u64,
    /// The grid so far: `rows` rows, each as long as its last cell.
    grid: Vec<Vec<Cell>>,
    rows: u64,
    cols: u64,
}

impl<'a> Bounded<'a> {
    pub fn new(limits: &'a Limits, name: Option<String>, before: u64) -> Self {
        Bounded {
            limits,
            name,
            before,
            grid: Vec::new(),
            rows: 0,
            cols: 0,
        }
    }

    /// The cells the grid spans: rows times columns, from A1.
    pub fn span(&self) -> u64 {
        self.rows.saturating_mul(self.cols)
    }

    pub fn put(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), ReadError> {
        if cell == Cell::Empty {
            return Ok(());
        }
        let rows = self.rows.max(row as u64 + 1);
        let cols = self.cols.max(col as u64 + 1);
        let span = rows.saturating_mul(cols);
        if span > self.limits.max_cells_per_sheet {
            let corner = CellRef::new((rows - 1) as u32, (cols - 1) as u32).a1();
            return Err(ReadError::TooLarge {
                what: format!(
                    "the sheet's cells reach {}, so it spans A1:{corner} ({} cells)",
                    CellRef::new(row, col).a1(),
                    thousands(span)
                ),
                limit: format!("{} cells", thousands(self.limits.max_cells_per_sheet)),
                setting: "max_cells_per_sheet",
                sheet: self.name.clone(),
                cell: Some(CellRef::new(row, col).a1()),
            });
        }
        let total = self.before.saturating_add(span);
        if total > self.limits.max_cells_per_workbook {
            return Err(ReadError::TooLarge {
                what: format!(
                    "the workbook's sheets span {} cells together by this sheet",
                    thousands(total)
                ),
                limit: format!("{} cells", thousands(self.limits.max_cells_per_workbook)),
                setting: "max_cells_per_workbook",
                sheet: self.name.clone(),
                cell: Some(CellRef::new(row, col).a1()),
            });
        }
        self.rows = rows;
        self.cols = cols;
        // Within the limits checked above, so these allocations are bounded.
        let (r, c) = (row as usize, col as usize);
        if self.grid.len() <= r {
            self.grid.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.grid[r];
        if line.len() <= c {
            // A new row is as wide as the rows before it will be: one
            // allocation, not one per doubling.
            if line.capacity() == 0 {
                line.reserve_exact(self.cols as usize);
            }
            line.resize(c + 1, Cell::Empty);
        }
        line[c] = cell;
        Ok(())
    }

    /// Whether a cell has been put at `row`, `col`.
    pub fn holds(&self, row: u32, col: u32) -> bool {
        self.grid
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .is_some_and(|c| *c != Cell::Empty)
    }

    pub fn finish(self, visible: bool) -> Sheet {
        Sheet {
            name: self.name,
            visible,
            rows: self.grid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(s: &str) -> Result<Sheet, ReadError> {
        read_csv(s.as_bytes(), true, &Limits::DEFAULT)
    }

    #[test]
    fn line_endings_all_count() {
        let s = csv("a,1\r\nb,2\rc,3\nd,4").expect("reads");
        let firsts: Vec<String> = s.rows.iter().map(|r| r[0].text()).collect();
        assert_eq!(firsts, ["a", "b", "c", "d"]);
        let e = csv("a\rb\r\nc\0\n").expect_err("nul");
        assert_eq!(e.cell().as_deref(), Some("line 3"), "{e}");
    }

    #[test]
    fn long_lines_are_refused() {
        let limits = Limits {
            max_line_bytes: 10,
            ..Limits::DEFAULT
        };
        let e = read_csv(b"a,b\r\n0123456789ab\n", true, &limits).expect_err("long");
        assert_eq!(e.cell().as_deref(), Some("line 2"));
        assert!(e.to_string().starts_with("line 2 is 12 bytes long"), "{e}");
        assert!(read_csv(b"0123456789\r\n", true, &limits).is_ok());
    }

    #[test]
    fn control_characters_become_spaces() {
        let s = csv("Grooming\u{7}\u{1b}[2J,\u{202E}5\n").expect("reads");
        assert_eq!(s.cell(0, 0).text(), "Grooming  [2J");
        assert_eq!(s.cell(0, 1).text(), "5");
    }

    #[test]
    fn bounded_grid() {
        let limits = Limits {
            max_cells_per_sheet: 100,
            ..Limits::DEFAULT
        };
        let mut b = Bounded::new(&limits, Some("S".into()), 0);
        b.put(0, 0, Cell::Number(1.0)).expect("a1");
        b.put(9, 9, Cell::Number(1.0)).expect("j10");
        let e = b.put(10, 0, Cell::Number(1.0)).expect_err("a11");
        assert_eq!(e.cell().as_deref(), Some("A11"));
        assert_eq!(e.sheet(), Some("S"));
        let s = b.finish(true);
        assert_eq!(s.rows.len(), 10);
        assert_eq!(s.rows[9].len(), 10);
        assert_eq!(s.rows[5].len(), 0);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes(2 * 1024 * 1024 * 1024), "2.0 GB");
        assert_eq!(bytes(128 * 1024 * 1024), "128 MB");
        assert_eq!(thousands(17_179_869_184), "17,179,869,184");
    }
}
