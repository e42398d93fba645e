//! A table as Parquet (polars): the CSV's rows, typed for the tools
//! analysts read them with. Counts are signed 64-bit integers (so `a - b`
//! never wraps, and R reads them as integers), dates are dates, lists are
//! lists, and whatever does not apply is null, as it is an empty field in
//! the CSV.

use crate::table::{Kind, Table, Value};
use chrono::NaiveDate;
use polars::prelude::{
    Column, DataFrame, DataType, IntoColumn, ListBuilderTrait, ListStringChunkedBuilder,
    ParquetCompression, ParquetWriter, PolarsError, PolarsResult,
};

/// Days from 1970-01-01, as Arrow holds a date.
fn epoch_days(d: NaiveDate) -> i32 {
    // Within chrono's years, the day count fits an i32.
    d.signed_duration_since(NaiveDate::default()).num_days() as i32
}

/// A count as a signed 64-bit integer: a count past i64::MAX (nine
/// quintillion) is no count foi could have read, and is refused rather than
/// wrapped.
fn signed(table: &str, column: &str, n: u64) -> PolarsResult<i64> {
    i64::try_from(n).map_err(|_| {
        PolarsError::ComputeError(
            format!("{table}.{column}: {n} is larger than a signed 64-bit integer holds").into(),
        )
    })
}

/// Digits a measure's Parquet decimal holds: eighteen, as an Int64-backed
/// decimal does, so every reader (pyarrow, R's arrow, Spark) takes it.
const DECIMAL_DIGITS: usize = 18;

/// A measure's column as a Parquet decimal of its places: the exact whole
/// steps foi holds, never a float. A value past eighteen digits is refused
/// rather than published as another number.
fn measures(
    table: &str,
    column: &str,
    name: polars::prelude::PlSmallStr,
    steps: Vec<Option<i64>>,
    scale: foi_model::Scale,
) -> PolarsResult<Column> {
    use polars::prelude::{Int128Chunked, IntoSeries, NewChunkedArray};
    let limit = 10_i128.pow(DECIMAL_DIGITS as u32);
    if let Some(n) = steps
        .iter()
        .flatten()
        .find(|n| i128::from(**n).abs() >= limit)
    {
        return Err(PolarsError::ComputeError(
            format!(
                "{table}.{column}: {} has more digits than a Parquet decimal of {DECIMAL_DIGITS} holds",
                scale.fixed_signed(*n)
            )
            .into(),
        ));
    }
    let ca = Int128Chunked::from_iter_options(name, steps.into_iter().map(|n| n.map(i128::from)))
        .into_decimal(DECIMAL_DIGITS, usize::from(scale.decimals()))?;
    Ok(ca.into_series().into_column())
}

/// The table's columns as a polars frame: its own frame when it is held as
/// columns, else built from its rows.
pub fn frame(t: &Table) -> PolarsResult<DataFrame> {
    if let Some(f) = &t.frame {
        return Ok(f.clone());
    }
    let mut cols = Vec::with_capacity(t.columns.len());
    for (i, c) in t.columns.iter().enumerate() {
        let name = c.name.as_str().into();
        let cells = t.rows.iter().map(|r| &r[i]);
        let col = match c.kind {
            Kind::Text => Column::new(
                name,
                cells
                    .map(|v| match v {
                        Value::Text(s) if s.is_empty() => None,
                        Value::Text(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<Option<&str>>>(),
            ),
            Kind::Int => Column::new(
                name,
                cells
                    .map(|v| match v {
                        Value::Int(Some(n)) => signed(&t.name, &c.name, *n).map(Some),
                        _ => Ok(None),
                    })
                    .collect::<PolarsResult<Vec<Option<i64>>>>()?,
            ),
            Kind::Signed => Column::new(
                name,
                cells
                    .map(|v| match v {
                        Value::Signed(n) => *n,
                        _ => None,
                    })
                    .collect::<Vec<Option<i64>>>(),
            ),
            Kind::Decimal(scale) => measures(
                &t.name,
                &c.name,
                name,
                cells
                    .map(|v| match v {
                        Value::Decimal(n, _) => *n,
                        _ => None,
                    })
                    .collect(),
                scale,
            )?,
            Kind::Number => Column::new(
                name,
                cells
                    .map(|v| match v {
                        // The same rounding as the CSV, so both say the same.
                        Value::Number(x) => x.map(|x| (x * 10.0).round() / 10.0),
                        _ => None,
                    })
                    .collect::<Vec<Option<f64>>>(),
            ),
            Kind::Bool => Column::new(
                name,
                cells
                    .map(|v| matches!(v, Value::Bool(true)))
                    .collect::<Vec<bool>>(),
            ),
            Kind::Date => Column::new(
                name,
                cells
                    .map(|v| match v {
                        Value::Date(d) => d.map(epoch_days),
                        _ => None,
                    })
                    .collect::<Vec<Option<i32>>>(),
            )
            .cast(&DataType::Date)?,
            Kind::List(delimiter) => {
                let mut b = ListStringChunkedBuilder::new(name, t.rows.len(), t.rows.len());
                for v in cells {
                    match v {
                        Value::List(s) if s.is_empty() => b.append_values_iter(std::iter::empty()),
                        Value::List(s) => b.append_values_iter(s.split(delimiter)),
                        _ => b.append_null(),
                    }
                }
                b.finish().into_column()
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Column as TableColumn;
    use polars::prelude::AnyValue;

    fn one(kind: Kind, values: Vec<Value>) -> DataFrame {
        let mut t = Table::new("t", "t", vec![TableColumn::new("c", kind, "C", "")]);
        t.rows = values.into_iter().map(|v| vec![v]).collect();
        frame(&t).expect("a frame")
    }

    #[test]
    fn a_measure_is_a_decimal_of_its_places_exactly() {
        let six = foi_model::Scale::measure(6).expect("six");
        let df = one(
            Kind::Decimal(six),
            vec![
                Value::Decimal(Some(124_783_972_765), six),
                Value::Decimal(Some(-3_500_000), six),
                Value::Decimal(None, six),
            ],
        );
        let c = df.column("c").expect("c");
        assert_eq!(c.dtype(), &DataType::Decimal(18, 6));
        assert_eq!(c.get(0).expect("cell").to_string(), "124783.972765");
        assert_eq!(c.get(1).expect("cell").to_string(), "-3.500000");
        assert_eq!(c.get(2).expect("cell"), AnyValue::Null);
        // Nineteen digits would not fit: refused, never another number.
        let mut t = Table::new(
            "t",
            "t",
            vec![TableColumn::new("c", Kind::Decimal(six), "C", "")],
        );
        t.rows = vec![vec![Value::Decimal(Some(1_000_000_000_000_000_000), six)]];
        let e = frame(&t).expect_err("too many digits");
        assert!(e.to_string().contains("t.c: 1000000000000.000000"), "{e}");
    }

    #[test]
    fn counts_are_signed_so_a_difference_never_wraps() {
        let df = one(Kind::Int, vec![Value::Int(Some(3)), Value::Int(None)]);
        let c = df.column("c").expect("c");
        assert_eq!(c.dtype(), &DataType::Int64);
        assert_eq!(c.get(0).expect("cell"), AnyValue::Int64(3));
        assert_eq!(c.get(1).expect("cell"), AnyValue::Null);
        let mut t = Table::new("t", "t", vec![TableColumn::new("c", Kind::Int, "C", "")]);
        t.rows = vec![vec![Value::Int(Some(u64::MAX))]];
        let e = frame(&t).expect_err("too large");
        assert!(e.to_string().contains("t.c: 18446744073709551615"), "{e}");
    }

    #[test]
    fn empty_text_is_null_dates_are_dates_lists_are_lists() {
        let df = one(Kind::Text, vec![Value::text("a"), Value::text("")]);
        let c = df.column("c").expect("c");
        assert_eq!(c.null_count(), 1);
        let d = NaiveDate::from_ymd_opt(2016, 6, 30).expect("date");
        let df = one(Kind::Date, vec![Value::Date(Some(d)), Value::Date(None)]);
        let c = df.column("c").expect("c");
        assert_eq!(c.dtype(), &DataType::Date);
        assert_eq!(c.get(0).expect("cell"), AnyValue::Date(epoch_days(d)));
        assert_eq!(epoch_days(d), 16982);
        let df = one(
            Kind::List("; "),
            vec![Value::list(["B2", "B3"], "; "), Value::List(String::new())],
        );
        let c = df.column("c").expect("c");
        assert_eq!(c.dtype(), &DataType::List(Box::new(DataType::String)));
        let lists = c.list().expect("a list column");
        let first = lists.get_as_series(0).expect("a list");
        let items: Vec<Option<&str>> = first.str().expect("text").iter().collect();
        let items: Vec<&str> = items.into_iter().flatten().collect();
        assert_eq!(items, ["B2", "B3"]);
        assert_eq!(lists.get_as_series(1).expect("a list").len(), 0);
        assert_eq!(c.null_count(), 0, "an empty list is a list");
    }
}
