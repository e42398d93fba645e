//! Reading a source's bytes into plain grids of cells, whatever the format.

use calamine::{open_workbook_auto_from_rs, Data, Reader, SheetVisible};
use chrono::NaiveDate;
use foi_model::Format;
use std::io::Cursor;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
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

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("this is a PDF: its figures must be entered by hand as [[manual]] entries")]
    Pdf,
    #[error("the file is not a spreadsheet or text table (format {0})")]
    NotTabular(Format),
    #[error("the workbook could not be read: {0}")]
    Workbook(String),
    #[error("the text could not be read as CSV at line {line}: {reason}")]
    Csv { line: u64, reason: String },
}

/// Reads every sheet of a workbook, or the one table of a text file.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Sheet>, ReadError> {
    match format {
        Format::Xlsx | Format::Ods | Format::Xls => read_workbook(bytes),
        Format::Text { utf8 } => read_csv(bytes, utf8).map(|s| vec![s]),
        Format::Html => Ok(vec![crate::html::read_html(&decode(
            bytes,
            std::str::from_utf8(bytes).is_ok(),
        ))]),
        Format::Empty => Err(ReadError::Empty),
        Format::Pdf => Err(ReadError::Pdf),
        other => Err(ReadError::NotTabular(other)),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let metas = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::with_capacity(metas.len());
    for meta in metas {
        let range = wb
            .worksheet_range(&meta.name)
            .map_err(|e| ReadError::Workbook(format!("sheet {:?}: {e}", meta.name)))?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        if let Some((r0, c0)) = range.start() {
            let (r0, c0) = (r0 as usize, c0 as usize);
            for (i, row) in range.rows().enumerate() {
                let cells: Vec<Cell> = std::iter::repeat_n(Cell::Empty, c0)
                    .chain(row.iter().map(convert))
                    .collect();
                let at = r0 + i;
                if rows.len() <= at {
                    rows.resize(at + 1, Vec::new());
                }
                rows[at] = cells;
            }
        }
        sheets.push(Sheet {
            name: Some(meta.name.clone()),
            visible: meta.visible == SheetVisible::Visible,
            rows,
        });
    }
    Ok(sheets)
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => Cell::Date(t.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
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

fn read_csv(bytes: &[u8], utf8: bool) -> Result<Sheet, ReadError> {
    let text = decode(bytes, utf8);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
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
        if rows.len() < at {
            rows.resize(at, Vec::new());
        }
        rows.push(
            rec.iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_string())
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
