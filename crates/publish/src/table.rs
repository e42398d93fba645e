//! A published table: named, typed columns, written identically to CSV and Parquet.

use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter};
use std::borrow::Cow;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A count: whole and non-negative.
    Int,
    /// A change: whole, either sign.
    Signed,
    /// A percentage or ratio.
    Number,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(Option<u64>),
    Signed(Option<i64>),
    /// Written with one decimal place, so outputs are byte-stable.
    Number(Option<f64>),
    Bool(bool),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    /// The CSV field; text from sources is neutralised so that a
    /// spreadsheet never reads it as a formula.
    pub fn csv_field(&self) -> String {
        self.csv_text().into_owned()
    }
    /// [`Value::csv_field`], borrowed where the value is text already.
    fn csv_text(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) => neutralised(s),
            Value::Int(Some(n)) => Cow::Owned(n.to_string()),
            Value::Signed(Some(n)) => Cow::Owned(n.to_string()),
            Value::Number(Some(x)) => Cow::Owned(format!("{x:.1}")),
            Value::Int(None) | Value::Signed(None) | Value::Number(None) => Cow::Borrowed(""),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }
}

/// Text starting with =, +, - or @ would run as a formula in Excel (and
/// tab or CR can smuggle one in): prefix it with an apostrophe.
pub fn neutralise(s: &str) -> String {
    neutralised(s).into_owned()
}

fn neutralised(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// File stem: "national", "by_force", "records"…
    pub name: String,
    pub title: String,
    /// What a row is and how to read it, for the xlsx, datapackage and HTML.
    pub description: String,
    /// The columns that identify a row.
    pub key: Vec<String>,
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<Vec<Value>>,
    /// A table held as columns instead of `rows` and published as Parquet
    /// only: lineage, one row per source cell, runs to millions of rows for
    /// a record-level campaign, where a CSV would be ten times the size of
    /// everything else in the release and no one reads it in a text editor.
    pub frame: Option<DataFrame>,
}

impl Table {
    pub fn new(name: &str, title: &str, columns: &[(&str, Kind)]) -> Table {
        Table {
            name: name.to_string(),
            title: title.to_string(),
            description: String::new(),
            key: Vec::new(),
            columns: columns.iter().map(|(n, k)| (n.to_string(), *k)).collect(),
            rows: Vec::new(),
            frame: None,
        }
    }

    /// The number of rows, however the table is held.
    pub fn len(&self) -> usize {
        self.frame.as_ref().map_or(self.rows.len(), |f| f.height())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the table is published as Parquet alone (no CSV, no sheet).
    pub fn parquet_only(&self) -> bool {
        self.frame.is_some()
    }

    pub fn describe(mut self, description: &str, key: &[&str]) -> Table {
        self.description = description.to_string();
        self.key = key.iter().map(|k| k.to_string()).collect();
        self
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| n == name)
    }

    pub fn csv_bytes(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(self.columns.iter().map(|(n, _)| n.as_str()))?;
        for row in &self.rows {
            for v in row {
                w.write_field(v.csv_text().as_bytes())?;
            }
            w.write_record(None::<&[u8]>)?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    pub fn frame(&self) -> polars::prelude::PolarsResult<DataFrame> {
        if let Some(f) = &self.frame {
            return Ok(f.clone());
        }
        let mut cols = Vec::with_capacity(self.columns.len());
        for (i, (name, kind)) in self.columns.iter().enumerate() {
            let col = match kind {
                // Borrowed: polars copies each string once, into its column.
                Kind::Text => Column::new(
                    name.as_str().into(),
                    self.rows
                        .iter()
                        .map(|r| match &r[i] {
                            Value::Text(s) => Cow::Borrowed(s.as_str()),
                            other => Cow::Owned(other.csv_field()),
                        })
                        .collect::<Vec<Cow<str>>>()
                        .iter()
                        .map(|s| s.as_ref())
                        .collect::<Vec<&str>>(),
                ),
                Kind::Int => Column::new(
                    name.as_str().into(),
                    self.rows
                        .iter()
                        .map(|r| match &r[i] {
                            Value::Int(n) => *n,
                            _ => None,
                        })
                        .collect::<Vec<Option<u64>>>(),
                ),
                Kind::Signed => Column::new(
                    name.as_str().into(),
                    self.rows
                        .iter()
                        .map(|r| match &r[i] {
                            Value::Signed(n) => *n,
                            _ => None,
                        })
                        .collect::<Vec<Option<i64>>>(),
                ),
                Kind::Number => Column::new(
                    name.as_str().into(),
                    self.rows
                        .iter()
                        .map(|r| match &r[i] {
                            // The same rounding as the CSV, so both say the same.
                            Value::Number(x) => x.map(|x| (x * 10.0).round() / 10.0),
                            _ => None,
                        })
                        .collect::<Vec<Option<f64>>>(),
                ),
                Kind::Bool => Column::new(
                    name.as_str().into(),
                    self.rows
                        .iter()
                        .map(|r| matches!(r[i], Value::Bool(true)))
                        .collect::<Vec<bool>>(),
                ),
            };
            cols.push(col);
        }
        DataFrame::new(self.rows.len(), cols)
    }

    pub fn parquet_bytes(&self) -> Result<Vec<u8>, polars::prelude::PolarsError> {
        let mut df = self.frame()?;
        let mut buf = Vec::new();
        ParquetWriter::new(&mut buf)
            .with_compression(ParquetCompression::Uncompressed)
            .finish(&mut df)?;
        Ok(buf)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so a reader sees the old file or the new one, never half of one;
/// synced first, so a crash cannot leave a renamed but empty file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, true)
}

/// [`write_atomic`] without the sync: for a cache, where a file a crash
/// damages does not parse and is taken for a miss.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, false)
}

fn write_via_temp(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    // Threads of one process may write beside each other.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
