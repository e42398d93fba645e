//! A published table: named, typed columns and their rows, as every writer
//! reads them ([`crate::write`] renders each as CSV, Parquet and a sheet).

use polars::prelude::DataFrame;
use std::borrow::Cow;

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
    pub fn csv_text(&self) -> Cow<'_, str> {
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
}
