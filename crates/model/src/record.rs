use crate::{Count, DimId, DimValue, ForceId, Period};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What was counted: "offences", "crimes", "victims"...
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Unit(pub String);

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A zero-based cell position: row and column in a sheet, or line and field
/// in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }
    /// "C14".
    pub fn a1(&self) -> String {
        let mut out = String::with_capacity(8);
        self.write_a1(&mut out);
        out
    }
    /// [`CellRef::a1`] appended to `out`: lineage writes millions of these.
    pub fn write_a1(&self, out: &mut String) {
        // Seven letters name any u32 column (26^7 > 2^32); Excel stops at XFD.
        let mut letters = [0u8; 7];
        let mut at = letters.len();
        let mut col = self.col as u64 + 1;
        while col > 0 && at > 0 {
            at -= 1;
            letters[at] = b'A' + ((col - 1) % 26) as u8;
            col = (col - 1) / 26;
        }
        letters[at..].iter().for_each(|b| out.push(char::from(*b)));
        push_number(out, self.row as u64 + 1);
    }
}

/// `n` in decimal, appended without going through `format!`.
fn push_number(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|b| out.push(char::from(*b)));
}

/// Where a number came from, down to the cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// sha256 of the source bytes, lower-case hex.
    pub sha256: String,
    /// The source as configured: a path or a URL.
    pub file: String,
    /// The sheet, for workbooks; `None` for text sources (csv, html) and
    /// manual entries.
    pub sheet: Option<String>,
    /// The cells whose values make up the count: one for a table cell, one
    /// per row for counted records, none for a manual entry.
    pub cells: Vec<CellRef>,
    /// The page of a document whose figures were entered by hand.
    pub page: Option<u32>,
    /// The stated totals that narrowed the count (a suppressed cell read
    /// as 1 to 3, not 1 to 4, because its row's total is 4), each as where
    /// it stands: "row total F9 (victim_age=13)".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narrowed_by: Vec<String>,
}

impl Lineage {
    /// How a person finds cell `c`: "C14" in a sheet, "line 14, field 3" in text.
    pub fn locate(&self, c: &CellRef) -> String {
        let mut out = String::new();
        self.write_locate(c, &mut out);
        out
    }
    /// [`Lineage::locate`] appended to `out`.
    pub fn write_locate(&self, c: &CellRef, out: &mut String) {
        if self.sheet.is_some() {
            c.write_a1(out);
        } else {
            out.push_str("line ");
            push_number(out, c.row as u64 + 1);
            out.push_str(", field ");
            push_number(out, c.col as u64 + 1);
        }
    }
    /// Every location, joined: "C14; C15", "page 2".
    pub fn describe(&self) -> String {
        let mut out = String::with_capacity(self.cells.len() * 8);
        for c in &self.cells {
            if !out.is_empty() {
                out.push_str("; ");
            }
            self.write_locate(c, &mut out);
        }
        if let Some(p) = self.page {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str("page ");
            push_number(&mut out, p as u64);
        }
        out
    }
}

/// One canonical figure: a force's count for a request, in one cell of the
/// campaign's breakdown.
///
/// A dimension missing from `dims` means "all of it": a record without
/// `victim_age` is a total over ages. The set of dimension ids present is the
/// record's grain; a response may give several grains (an offence table and
/// an age table, a totals row), and publish never adds two grains together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub force: ForceId,
    pub campaign: String,
    pub request: String,
    /// The period the figure covers: the request's, unless the force
    /// answered for another.
    pub period: Period,
    /// The part of `period` the source's figures actually cover, when it
    /// is less than all of it (rows dated January to June counted into a
    /// twelve-month request): the figure is partial, and flagged wherever
    /// it is added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered: Option<Period>,
    pub dims: BTreeMap<DimId, DimValue>,
    pub unit: Unit,
    pub count: Count,
    pub lineage: Lineage,
}

impl Record {
    /// The dimension ids present, joined by "+", or "total".
    pub fn grain(&self) -> String {
        grain_name(self.dims.keys())
    }
}

/// "offence+victim_age", or "total" for no dimensions.
pub fn grain_name<'a>(dims: impl Iterator<Item = &'a DimId>) -> String {
    let names: Vec<&str> = dims.map(|d| d.0.as_str()).collect();
    if names.is_empty() {
        "total".to_string()
    } else {
        names.join("+")
    }
}

/// A figure a source states over all the forces it covers (an "England
/// and Wales" row): checked against the sum foi computes from the same
/// source, never added to anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    pub campaign: String,
    pub request: String,
    /// The row's label as written ("ENGLAND AND WALES8").
    pub label: String,
    pub dims: BTreeMap<DimId, DimValue>,
    pub count: Count,
    pub lineage: Lineage,
}

/// How a force answered a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    Answered,
    /// Answered, but not all of what was asked.
    Partial,
    /// Refused under a section of the FOI Act, e.g. "s.12" (cost limit).
    Refused {
        section: String,
    },
    NotHeld,
    NoResponse,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Answered => f.write_str("answered"),
            Status::Partial => f.write_str("partial"),
            Status::Refused { section } => write!(f, "refused ({section})"),
            Status::NotHeld => f.write_str("not held"),
            Status::NoResponse => f.write_str("no response"),
        }
    }
}

impl Status {
    /// Whether the response carries figures to read.
    pub fn has_figures(&self) -> bool {
        matches!(self, Status::Answered | Status::Partial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(CellRef::new(0, 0).a1(), "A1");
        assert_eq!(CellRef::new(13, 2).a1(), "C14");
        assert_eq!(CellRef::new(0, 26).a1(), "AA1");
        assert_eq!(CellRef::new(1048575, 16383).a1(), "XFD1048576");
        assert_eq!(CellRef::new(u32::MAX, u32::MAX).a1(), "MWLQKWV4294967296");
    }

    #[test]
    fn descriptions() {
        let mut l = Lineage {
            sha256: String::new(),
            file: "a.csv".into(),
            sheet: None,
            cells: vec![CellRef::new(0, 0), CellRef::new(9, 2)],
            page: None,
            narrowed_by: Vec::new(),
        };
        assert_eq!(l.describe(), "line 1, field 1; line 10, field 3");
        l.sheet = Some("Data".into());
        assert_eq!(l.describe(), "A1; C10");
        l.page = Some(4);
        assert_eq!(l.describe(), "A1; C10; page 4");
        l.cells.clear();
        assert_eq!(l.describe(), "page 4");
    }
}
