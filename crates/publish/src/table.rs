//! A published table: named, typed and described columns and their rows,
//! as every writer reads them ([`crate::write`] renders each as CSV,
//! Parquet, a sheet, and a resource of datapackage.json).
//!
//! One rule for what does not apply, whatever the format: an empty text or
//! date, or a number that is not known, is null in the Parquet and an empty
//! field in the CSV (datapackage.json's `missingValues`); the spreadsheet
//! says which it is ([z] does not apply, [x] not available, or the range a
//! suppressed count lies in).

use chrono::NaiveDate;
use foi_model::Scale;
use polars::prelude::DataFrame;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A count: whole and non-negative (a signed 64-bit integer in the
    /// Parquet, so a difference of two never wraps).
    Int,
    /// A change: whole, either sign.
    Signed,
    /// A measure with decimals (FTE, money), of either sign: exact text at
    /// the scale's places in the CSV ("1225.894300"), a float in the
    /// Parquet (the double nearest that decimal, which prints back as it),
    /// a number shown to the same places in the spreadsheet.
    Decimal(Scale),
    /// A percentage or ratio.
    Number,
    Bool,
    /// A calendar date: ISO 8601 in the CSV, a date in the Parquet.
    Date,
    /// A list of text items: a list in the Parquet, the items joined by
    /// this delimiter in the CSV (an empty field for an empty list).
    List(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Empty when it does not apply to the row: null in the Parquet.
    Text(String),
    Int(Option<u64>),
    Signed(Option<i64>),
    /// Whole steps of the scale's last place (see [`foi_model::Scale`]).
    Decimal(Option<i64>, Scale),
    /// Written with one decimal place, so outputs are byte-stable.
    Number(Option<f64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    /// The items as the CSV writes them, already joined by the column's
    /// delimiter ([`Value::list`]): a record counted from one row per crime
    /// lists thousands of cells, kept as one string, not one per cell.
    List(String),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// A list, its items joined by `delimiter`. An item that holds the
    /// delimiter itself would read back as two: its own occurrences become
    /// ", ".
    pub fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>, delimiter: &str) -> Value {
        let mut out = String::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push_str(delimiter);
            }
            let item = item.as_ref();
            if item.contains(delimiter) {
                out.push_str(&item.replace(delimiter, ", "));
            } else {
                out.push_str(item);
            }
        }
        Value::List(out)
    }

    /// The CSV field; text from sources is neutralised so that a
    /// spreadsheet never reads it as a formula.
    pub fn csv_field(&self) -> String {
        self.csv_text().into_owned()
    }

    /// [`Value::csv_field`], borrowed where the value is text already.
    pub fn csv_text(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) | Value::List(s) => neutralised(s),
            Value::Int(Some(n)) => Cow::Owned(n.to_string()),
            Value::Signed(Some(n)) => Cow::Owned(n.to_string()),
            Value::Decimal(Some(n), s) => Cow::Owned(s.fixed_signed(*n)),
            Value::Number(Some(x)) => Cow::Owned(format!("{x:.1}")),
            Value::Date(Some(d)) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            Value::Int(None)
            | Value::Signed(None)
            | Value::Decimal(None, _)
            | Value::Number(None)
            | Value::Date(None) => Cow::Borrowed(""),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }

    /// Whether the value is missing: null in the Parquet, empty in the CSV.
    pub fn is_null(&self) -> bool {
        match self {
            Value::Text(s) => s.is_empty(),
            Value::Int(n) => n.is_none(),
            Value::Signed(n) => n.is_none(),
            Value::Decimal(n, _) => n.is_none(),
            Value::Number(x) => x.is_none(),
            Value::Date(d) => d.is_none(),
            Value::Bool(_) | Value::List(_) => false,
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

/// A column: its name in the CSV and Parquet, its type, and what a reader
/// needs to use it: a plain header (the spreadsheet's, with its unit), what
/// it holds, and the unit a number counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// "Lowest possible number of offences": the spreadsheet's header and
    /// datapackage.json's field title.
    pub title: String,
    pub description: String,
    /// What a number counts: "offences", "forces", "percent".
    pub unit: Option<String>,
    /// Whether its numbers are the campaign's figures (a national figure, a
    /// count, a stated total, a change): a measure's decimals are shown in
    /// it ([`at_scale`]). Counts of forces or cells are not.
    pub figures: bool,
}

impl Column {
    pub fn new(name: &str, kind: Kind, title: &str, description: &str) -> Column {
        Column {
            name: name.to_string(),
            kind,
            title: title.to_string(),
            description: description.to_string(),
            unit: None,
            figures: false,
        }
    }

    /// Marks the column as holding the campaign's figures.
    pub fn figures(mut self) -> Column {
        self.figures = true;
        self
    }

    pub fn unit(mut self, unit: &str) -> Column {
        self.unit = Some(unit.to_string());
        self
    }
}

/// Columns of a table whose values are found in another's key: lineage's
/// `record_id` in records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub fields: Vec<String>,
    pub table: String,
    pub reference: Vec<String>,
}

/// What a table's notes are about: the spreadsheet refers to every note on
/// each topic a table lists ([`Table::topics`]).
pub use crate::figures::Topic;

#[derive(Debug, Clone)]
pub struct Table {
    /// File stem: "national", "by_force", "records"…
    pub name: String,
    pub title: String,
    /// What a row is and how to read it, for the xlsx, datapackage and HTML.
    pub description: String,
    /// The columns that identify a row.
    pub key: Vec<String>,
    pub columns: Vec<Column>,
    pub foreign_keys: Vec<ForeignKey>,
    /// The notes that bear on the table as a whole.
    pub topics: Vec<Topic>,
    pub rows: Vec<Vec<Value>>,
    /// A table held as columns instead of `rows` and published as Parquet
    /// only: lineage, one row per source cell, runs to millions of rows for
    /// a record-level campaign, where a CSV would be ten times the size of
    /// everything else in the release and no one reads it in a text editor.
    pub frame: Option<DataFrame>,
}

impl Table {
    pub fn new(name: &str, title: &str, columns: Vec<Column>) -> Table {
        Table {
            name: name.to_string(),
            title: title.to_string(),
            description: String::new(),
            key: Vec::new(),
            columns,
            foreign_keys: Vec::new(),
            topics: Vec::new(),
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

    /// Its `fields` hold values of `table`'s `reference` columns.
    pub fn refers(mut self, fields: &[&str], table: &str, reference: &[&str]) -> Table {
        self.foreign_keys.push(ForeignKey {
            fields: fields.iter().map(|f| f.to_string()).collect(),
            table: table.to_string(),
            reference: reference.iter().map(|f| f.to_string()).collect(),
        });
        self
    }

    pub fn about(mut self, topics: &[Topic]) -> Table {
        self.topics = topics.to_vec();
        self
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// Shows a measure's decimals: every column of the campaign's figures
/// becomes [`Kind::Decimal`], its whole steps [`Value::Decimal`]. Nothing
/// changes for a count (or a column already converted): the tables are
/// built in steps, one arithmetic for both, and only shown at the scale.
pub fn at_scale(tables: &mut [Table], scale: Scale) {
    if scale.is_count() {
        return;
    }
    for t in tables {
        let cols: Vec<usize> = (0..t.columns.len())
            .filter(|&c| {
                t.columns[c].figures && matches!(t.columns[c].kind, Kind::Int | Kind::Signed)
            })
            .collect();
        for &c in &cols {
            t.columns[c].kind = Kind::Decimal(scale);
        }
        for row in &mut t.rows {
            for &c in &cols {
                let steps = match row[c] {
                    Value::Int(n) => n.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                    Value::Signed(n) => n,
                    _ => continue,
                };
                row[c] = Value::Decimal(steps, scale);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_item_never_holds_its_delimiter() {
        let v = Value::list(["a", "b; c", "d"], "; ");
        assert_eq!(v, Value::List("a; b, c; d".into()));
        assert_eq!(
            Value::list(Vec::<&str>::new(), ";"),
            Value::List(String::new())
        );
    }

    #[test]
    fn what_does_not_apply_is_null_and_an_empty_field() {
        for v in [
            Value::text(""),
            Value::Int(None),
            Value::Date(None),
            Value::Number(None),
        ] {
            assert!(v.is_null(), "{v:?}");
            assert_eq!(v.csv_field(), "");
        }
        // An empty list is a list with nothing in it, not a missing one.
        assert!(!Value::List(String::new()).is_null());
        let d = NaiveDate::from_ymd_opt(2016, 6, 30).expect("date");
        assert_eq!(Value::Date(Some(d)).csv_field(), "2016-06-30");
    }

    #[test]
    fn a_measure_is_shown_at_its_places_and_counts_of_forces_are_not() {
        let six = Scale::measure(6).expect("six");
        let mut t = Table::new(
            "national",
            "t",
            vec![
                Column::new("value", Kind::Int, "v", "").figures(),
                Column::new("change", Kind::Signed, "c", "").figures(),
                Column::new("forces", Kind::Int, "f", ""),
            ],
        );
        t.rows.push(vec![
            Value::Int(Some(124_783_972_765)),
            Value::Signed(Some(-3_500_000)),
            Value::Int(Some(43)),
        ]);
        t.rows.push(vec![
            Value::Int(None),
            Value::Signed(None),
            Value::Int(Some(1)),
        ]);
        let mut tables = [t];
        at_scale(&mut tables, six);
        // Twice is once.
        at_scale(&mut tables, six);
        let t = &tables[0];
        assert_eq!(t.columns[0].kind, Kind::Decimal(six));
        assert_eq!(t.columns[2].kind, Kind::Int);
        let fields: Vec<String> = t.rows[0].iter().map(Value::csv_field).collect();
        assert_eq!(fields, ["124783.972765", "-3.500000", "43"]);
        assert!(t.rows[1][0].is_null());
        assert_eq!(t.rows[1][0].csv_field(), "");
    }
}
