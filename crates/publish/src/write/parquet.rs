//! A table as Parquet (polars): the CSV's rows, typed.

use crate::table::{Kind, Table, Value};
use polars::prelude::{Column, DataFrame, ParquetCompression, ParquetWriter, PolarsResult};
use std::borrow::Cow;

/// The table's columns as a polars frame: its own frame when it is held as
/// columns, else built from its rows.
pub fn frame(t: &Table) -> PolarsResult<DataFrame> {
    if let Some(f) = &t.frame {
        return Ok(f.clone());
    }
    let mut cols = Vec::with_capacity(t.columns.len());
    for (i, (name, kind)) in t.columns.iter().enumerate() {
        let col = match kind {
            // Borrowed: polars copies each string once, into its column.
            Kind::Text => Column::new(
                name.as_str().into(),
                t.rows
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
                t.rows
                    .iter()
                    .map(|r| match &r[i] {
                        Value::Int(n) => *n,
                        _ => None,
                    })
                    .collect::<Vec<Option<u64>>>(),
            ),
            Kind::Signed => Column::new(
                name.as_str().into(),
                t.rows
                    .iter()
                    .map(|r| match &r[i] {
                        Value::Signed(n) => *n,
                        _ => None,
                    })
                    .collect::<Vec<Option<i64>>>(),
            ),
            Kind::Number => Column::new(
                name.as_str().into(),
                t.rows
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
                t.rows
                    .iter()
                    .map(|r| matches!(r[i], Value::Bool(true)))
                    .collect::<Vec<bool>>(),
            ),
        };
        cols.push(col);
    }
    DataFrame::new(t.rows.len(), cols)
}

pub fn parquet_bytes(t: &Table) -> PolarsResult<Vec<u8>> {
    let mut df = frame(t)?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Uncompressed)
        .finish(&mut df)?;
    Ok(buf)
}
