//! The config language: a campaign, its requests and dimensions, and one file
//! per force response saying where the figures are.
//!
//! Two layers, kept apart: the `*File` structs are what a person wrote
//! (serde, unknown fields refused), and [`Config`] is what they resolve to
//! (forces looked up, regexes compiled, crosswalks loaded, every reference
//! checked). Parsing is pure: the caller hands in text and the path it came
//! from, so every error can name the file and line.

use crate::{
    ConfigError, Crosswalk, DimId, DimValue, ForceId, Forces, Period, Scale, Status, Unit,
};
use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------- as written

/// A date written either bare (`2016-04-01`) or quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateDef(pub NaiveDate);

impl<'de> Deserialize<'de> for DateDef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Toml(dt) => dt.to_string(),
            Raw::Text(s) => s,
        };
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(DateDef)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodDef {
    pub from: DateDef,
    pub to: DateDef,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFile {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// What the request asked forces to count, e.g. "offences".
    pub unit: String,
    /// The figures are a measure with decimals (full-time equivalents,
    /// money), not whole counts.
    pub measure: Option<MeasureDef>,
    /// The forces the campaign asked: `"all"` (the default), `"territorial"`
    /// (the 43 police force areas), or a list of names. Coverage has rows
    /// for these alone, and a national table's rows for others are left out.
    pub forces: Option<AskedDef>,
    #[serde(rename = "request")]
    pub requests: Vec<RequestDef>,
    #[serde(rename = "dimension", default)]
    pub dimensions: Vec<DimensionDef>,
    #[serde(default)]
    pub suppression: SuppressionDef,
    /// The national tables to publish, each a list of dimensions; the
    /// national total is always published.
    #[serde(default)]
    pub breakdowns: Vec<Vec<String>>,
    /// Which dimension the headline's age figures come from.
    #[serde(default)]
    pub headline: HeadlineDef,
    /// Bounds on what one response may make foi read.
    #[serde(default)]
    pub limits: crate::Limits,
    /// When a reply counts as covering a request's whole period.
    #[serde(default)]
    pub coverage: CoverageDef,
    /// Who publishes the tables and how to reach them, for the workbook's
    /// cover and datapackage.json.
    pub publisher: Option<Publisher>,
    /// Where the figures come from, in a sentence, for the workbook's cover
    /// and the HTML summary ("Office for National Statistics, table P1 …").
    /// Without it they say what the responses are: the forces' replies, or
    /// the national tables read.
    pub source: Option<String>,
    /// The licence the published tables are under (default: the Open
    /// Government Licence v3.0, the licence of the public-sector
    /// information they are made from).
    #[serde(default)]
    pub licence: Licence,
    /// What `foi suggest` may add to a crosswalk without a person's accept.
    #[serde(default)]
    pub suggest: SuggestDef,
}

/// `[measure]`: what a figure is when it is not a whole count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// The decimal places figures are kept to, exactly (1 to 9): a value
    /// with more is refused, never rounded.
    pub decimals: u8,
}

/// `forces = "all"`, `forces = "territorial"` or `forces = ["Kent", …]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum AskedDef {
    Word(String),
    List(Vec<String>),
}

/// A licence, as datapackage.json names it: an identifier, a title and
/// where to read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// "OGL-UK-3.0", "CC-BY-4.0" (an SPDX identifier where there is one).
    pub name: String,
    pub title: String,
    /// Its text on the web.
    pub path: String,
}

impl Default for Licence {
    fn default() -> Licence {
        Licence {
            name: "OGL-UK-3.0".into(),
            title: "Open Government Licence v3.0".into(),
            path: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
                .into(),
        }
    }
}

/// `[suggest]`: crosswalk suggestions (`foi suggest`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestDef {
    /// A suggestion resting on an offence code written in the label (one
    /// category, words not against it) and scoring at least this is added
    /// to the crosswalk by `foi suggest` without review. Unset: nothing is
    /// added without a person's accept.
    pub auto_accept: Option<f64>,
}

/// When figures count as covering a request's whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageDef {
    /// Rows counted into a request whose dates stop short of either end of
    /// its period by more than this many days make a partial answer (no
    /// crime need fall on the first or last day). Monthly columns and
    /// stated periods are exact.
    #[serde(default = "default_gap_days")]
    pub gap_days: u32,
}

fn default_gap_days() -> u32 {
    31
}

impl Default for CoverageDef {
    fn default() -> Self {
        CoverageDef {
            gap_days: default_gap_days(),
        }
    }
}

/// Who publishes a campaign's tables. A date, not a clock reading: the
/// same config and cache give the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// "NSPCC", "University of Leeds, School of Law".
    pub name: String,
    /// An email address or a web page.
    pub contact: Option<String>,
    /// When these figures were first published.
    pub published: Option<DateDef>,
    /// When the next release is due, in words ("June 2018", "not planned").
    pub next_update: Option<String>,
    /// This release's version, as datapackage.json gives it ("1.1" for a
    /// revision); without it, one worked out from the tables' contents.
    pub version: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDef {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub wording: String,
    pub period: PeriodDef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimKind {
    /// Values are codes: from a crosswalk, a reference table or a fixed list.
    Code,
    /// Values are ages or age bands.
    Age,
    /// Values are labels as written (trimmed, footnote marks dropped):
    /// partnerships, hospitals, anything without a fixed list.
    Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionDef {
    pub id: String,
    pub title: String,
    pub kind: DimKind,
    /// CSV `label,value[,force]`, relative to the campaign folder.
    pub crosswalk: Option<String>,
    /// The allowed codes, when they are a short fixed list.
    pub values: Option<Vec<String>>,
    /// "offences": codes are Home Office offence categories from
    /// config/reference/offences.csv, and labels that contain one ("88A",
    /// "022/B") map to it without a crosswalk line.
    pub reference: Option<String>,
    /// A dimension computed from another through a crosswalk (offence group
    /// from offence code); responses never state it.
    pub derive_from: Option<String>,
    /// Values overlap (a group and its sub-groups, as in ONS tables): figures
    /// are published per value, never added across values.
    #[serde(default)]
    pub overlapping: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionDef {
    /// Counts below this are shown as "<5", "*"…: a suppressed cell is
    /// `[0 or 1, threshold - 1]`.
    #[serde(default = "default_threshold")]
    pub threshold: u64,
    /// CSV `label,value`: value is `suppressed`, `zero` or `not_available`.
    pub markers: Option<String>,
}

fn default_threshold() -> u64 {
    5
}

impl Default for SuppressionDef {
    fn default() -> Self {
        SuppressionDef {
            threshold: default_threshold(),
            markers: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadlineDef {
    pub age: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusDef {
    Answered,
    Partial,
    Refused,
    NotHeld,
    NoResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zeros {
    /// The force writes 0 where there were none, so "<5" means 1 to 4.
    Shown,
    /// Nothing said: "<5" means 0 to 4.
    #[default]
    NotStated,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFile {
    /// The force that answered. Absent for a source that answers for many
    /// forces (a national table): its tables then have a `role = "force"`
    /// column.
    pub force: Option<String>,
    /// The requests this response answers.
    pub requests: Vec<String>,
    pub status: StatusDef,
    /// The FOI Act section of a refusal, e.g. "s.12".
    pub section: Option<String>,
    #[serde(default)]
    pub note: String,
    /// What the force counted, when not what was asked (e.g. "victims").
    pub unit: Option<String>,
    /// The period the force actually answered for, when not the request's.
    pub period: Option<PeriodDef>,
    /// Dimensions fixed for the whole response, e.g. `online_method`.
    #[serde(default)]
    pub fixed: BTreeMap<String, String>,
    pub source: Option<SourceDef>,
    #[serde(default)]
    pub zeros: Zeros,
    /// The force's own suppression threshold, when not the campaign's.
    pub suppressed_below: Option<u64>,
    #[serde(rename = "table", default)]
    pub tables: Vec<TableDef>,
    #[serde(rename = "manual", default)]
    pub manual: Vec<ManualDef>,
    /// Figures typed in as a grid, a row of labels and its counts as the
    /// letter prints them: each becomes [`ManualDef`]s.
    #[serde(rename = "manual_table", default)]
    pub manual_tables: Vec<ManualTableDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    /// A local file, relative to the repository root (the config dir's parent).
    pub path: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Counts in cells.
    #[default]
    Table,
    /// One row per crime: rows are counted.
    Records,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// Regex on sheet names; the first visible sheet when absent. Hidden
    /// sheets are never read.
    pub sheet: Option<String>,
    /// Regex: the header row is the first row with a cell matching it.
    pub header: String,
    /// Which match of `header` on the sheet starts this table (1 = first).
    #[serde(default = "one")]
    pub occurrence: usize,
    /// Rows in the header; merged cells are filled across, rows joined by " ".
    #[serde(default = "one")]
    pub header_rows: usize,
    /// Where the table ends: "blank_row" (default: at the first blank
    /// row), "end" (the end of the sheet; blank rows inside are skipped),
    /// or a regex on the first non-empty cell of a row (blank rows inside
    /// are skipped).
    pub stop: Option<String>,
    #[serde(default)]
    pub shape: Shape,
    /// Only the rows whose cell in a column says so: a reply of one row
    /// per crime that holds more than was asked (every crime, with an
    /// online flag column) is read for the rows that were asked about.
    #[serde(rename = "where")]
    pub filter: Option<WhereDef>,
    /// The request this table answers, when the response answers several
    /// and this table holds one of them.
    pub request: Option<String>,
    /// Regex on a row's label cells: a stated total row, checked, never added.
    pub total_rows: Option<String>,
    /// Regex on a row's label cells: rows to leave out (notes, subheadings).
    pub skip_rows: Option<String>,
    /// With a `role = "force"` column: rows whose force cell matches this
    /// are the source's own total over all its forces ("England and
    /// Wales"): checked against foi's sum, never added. Other rows that
    /// name no force (regions, countries) are left out.
    pub aggregate_rows: Option<String>,
    /// With a `role = "force"` column: what a name that is both a force's
    /// and an area's ("West Midlands": the police force and the English
    /// region) means in this table when no code in the row says. Unset,
    /// such a row is refused, and so is that force's figure for the
    /// request: foi never guesses from the order of the rows.
    pub ambiguous_names: Option<NameRule>,
    /// Header text (regex) to request id, for columns with `role = "request"`.
    #[serde(default)]
    pub requests: BTreeMap<String, String>,
    #[serde(rename = "column")]
    pub columns: Vec<ColumnDef>,
}

/// `where = { column = '(?i)online', equals = ["Y", "Yes"] }`: the rows
/// to read are those whose cell under the column whose header matches
/// `column` is one of `equals` (compared without regard to case or the
/// white space around it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhereDef {
    /// Regex on the (joined) header text of the column to look at.
    pub column: String,
    /// The values that keep a row.
    pub equals: Vec<String>,
}

/// Which of the two a name that a force and an area share means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameRule {
    /// The table lists no area by that name: the row is the force's.
    Force,
    /// The row is the area's: left out (or, matching `aggregate_rows`, checked).
    Area,
    /// The table lists each area above the forces in it, so a name both
    /// go by is written twice: the area's row first, the force's after it
    /// (Home Office tables: the West Midlands region, then its forces down
    /// to the West Midlands force). Checked: a name written once, or more
    /// than twice, is refused as with no rule.
    AreaThenForce,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A row label: the cell gives the value of `dim`.
    Label,
    /// A value column whose header gives the value of `dim` (ages as columns).
    ByHeader,
    /// The one count column of a long table.
    Value,
    /// A stated total over the columns given by header.
    Total,
    /// A value column whose header names a request ("2016/17").
    Request,
    /// A column whose cells name each row's request: by the request's
    /// period ("2016/17", "Jul 2015 - Jun 2016"), or through the table's
    /// `requests` patterns (a long table holding several requests).
    Period,
    /// A value column whose header names a month ("Jul-15"): summed into requests.
    Month,
    /// The date of a counted record (shape = "records").
    Date,
    /// The force a row belongs to, by GSS code or name, in a source that
    /// answers for many forces. With several force columns (code and name),
    /// the first non-empty one decides: a code that is not a force's (a
    /// region's) makes the row no force's, whatever its name says.
    Force,
    /// A column whose cell heads the rows from its own down to the next
    /// filled one (a pivot table's outer field, written on its group's
    /// first row only: "Rape", then blank): each row's label is read with
    /// it, as under a section heading ("Rape - Female under 13").
    Heading,
    Ignore,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// Regex on the (joined) header text.
    pub header: String,
    pub role: Role,
    pub dim: Option<String>,
    /// The request this column's figures belong to (years as columns),
    /// instead of the table's or the response's.
    pub request: Option<String>,
    /// For a label column: `blank = "total"` reads an empty cell as the
    /// total over this dimension (a subtotal row), not as a missing label.
    pub blank: Option<Blank>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blank {
    Total,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualDef {
    pub request: String,
    pub page: u32,
    /// The figure as printed.
    pub count: String,
    /// Labels as printed, mapped through the crosswalks like cell labels.
    #[serde(default)]
    pub dims: BTreeMap<String, String>,
    /// Where it was written: "responses/durham.toml:14", for messages (set
    /// on load).
    #[serde(skip)]
    pub at: String,
}

/// `[[manual_table]]`: figures typed from a document as its table prints
/// them, one row of labels and counts at a time.
///
/// ```toml
/// [[manual_table]]
/// page = 2
/// dims = ["offence"]                        # what each row's labels give
/// columns = ["ye-jun-2016", "fy-2016-17"]   # each count column's request
/// rows = [
///   ["Rape of a female child under 13", "1", "0"],
///   ["Total", "40", "38"],
/// ]
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualTableDef {
    pub page: u32,
    /// The request of every count column, when the columns do not say.
    pub request: Option<String>,
    /// The dimensions the labels at the start of each row give, in order.
    #[serde(default)]
    pub dims: Vec<String>,
    /// One entry per count column, left to right: a request id, or
    /// `{ request = "…", victim_age = "Under 13" }` (labels of a dimension
    /// across). Default: one column, of `request`.
    pub columns: Option<Vec<GridColumnDef>>,
    /// Regex on a label: that row (or column) is the total over its
    /// dimension. Default `(?i)^(grand )?total$`; an empty label is one too.
    pub total: Option<String>,
    pub rows: Vec<toml::Spanned<Vec<GridCellDef>>>,
}

/// A count column of a grid: its request, or its request and labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GridColumnDef {
    Request(String),
    Labels(BTreeMap<String, String>),
}

/// A grid cell: text as printed ("1,234", "*", "-"), or a bare number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GridCellDef {
    Text(String),
    Int(i64),
    Float(f64),
    /// Anything else (`true`, a date, a list): refused at its row's line.
    Other(toml::Value),
}

impl GridCellDef {
    fn text(&self) -> Option<String> {
        match self {
            GridCellDef::Text(t) => Some(t.clone()),
            GridCellDef::Int(n) => Some(n.to_string()),
            // The shortest text that reads back as the same float: what
            // was written ("1225.8943"), as TOML parsed it.
            GridCellDef::Float(x) => Some(format!("{x}")),
            GridCellDef::Other(_) => None,
        }
    }
}

// ---------------------------------------------------------------- resolved

#[derive(Debug, Clone)]
pub struct Request {
    pub id: String,
    pub title: String,
    pub wording: String,
    pub period: Period,
}

/// Where a dimension's values come from.
#[derive(Debug, Clone)]
pub struct Dimension {
    pub id: DimId,
    pub title: String,
    pub kind: DimKind,
    pub crosswalk: Option<Crosswalk>,
    /// Allowed codes (from `values` or the reference table); empty: any.
    pub domain: BTreeSet<String>,
    /// Whether labels containing a reference code map without a crosswalk.
    pub codes_in_labels: bool,
    pub derive_from: Option<DimId>,
    pub overlapping: bool,
}

/// Why a label could not be mapped: carries the crosswalk line to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub dim: DimId,
    pub label: String,
    pub crosswalk: Option<String>,
}

impl Dimension {
    /// Maps a label as a force wrote it onto the canonical value: a force's
    /// own crosswalk line, then a general one, then the general rules
    /// (ages and bands written plainly; reference codes inside labels).
    pub fn map(&self, label: &str, force: &ForceId) -> Result<DimValue, Unmapped> {
        let unmapped = || Unmapped {
            dim: self.id.clone(),
            label: label.trim().to_string(),
            crosswalk: self.crosswalk.as_ref().map(|c| c.file.clone()),
        };
        if let Some(entry) = self.crosswalk.as_ref().and_then(|c| c.lookup(label, force)) {
            return DimValue::parse(self.kind == DimKind::Age, &entry.value).ok_or_else(unmapped);
        }
        let value = match self.kind {
            DimKind::Text => {
                let t = strip_footnote_digits(label.trim());
                (!t.is_empty()).then(|| DimValue::Code(t.to_string()))
            }
            DimKind::Age => parse_age_label(label),
            DimKind::Code => {
                let trimmed = label.trim();
                if self.domain.contains(trimmed) {
                    Some(DimValue::Code(trimmed.to_string()))
                } else if self.codes_in_labels {
                    find_code_in_label(label, &self.domain).map(DimValue::Code)
                } else {
                    None
                }
            }
        };
        match value {
            Some(v) => Ok(v),
            // "fraud4", "Stalking and harassment5": a footnote mark glued to
            // the label; "Stalking and harassment 5": one after a space.
            // Tried once more without it, only now that the label as
            // written maps to nothing ("Under 5" and "Aged 5" map as written).
            None => {
                let glued = strip_footnote_digits(label.trim());
                let stripped = if glued.len() < label.trim().len() {
                    glued
                } else {
                    strip_spaced_footnote(label.trim())
                };
                if stripped.len() < label.trim().len() && !stripped.is_empty() {
                    self.map(stripped, force).map_err(|_| unmapped())
                } else {
                    Err(unmapped())
                }
            }
        }
    }

    /// Checks a canonical value against the domain.
    pub fn allows(&self, v: &DimValue) -> bool {
        match (self.kind, v) {
            (_, DimValue::Unknown) => true,
            (DimKind::Age, DimValue::Age(_) | DimValue::AgeBand { .. }) => true,
            (DimKind::Text, DimValue::Code(_)) => true,
            (DimKind::Code, DimValue::Code(c)) => self.domain.is_empty() || self.domain.contains(c),
            _ => false,
        }
    }
}

/// Drops footnote marks from the end of a label: digits glued to a word
/// ("ENGLAND AND WALES8", "fraud4", "Residential burglary6,7") and
/// bracketed notes ("Humberside [note 4]", "Total [1]"). "Under 10", "22B"
/// and "2016/17" keep their digits: a digit is a footnote only when glued
/// to a word.
pub fn strip_footnote_digits(label: &str) -> &str {
    let mut t = label.trim_end();
    loop {
        let before = t;
        // "[note 4]", "[4]", "[notes 1 and 2]"
        if let Some(open) = t.strip_suffix(']').and_then(|x| x.rfind('[')) {
            let inner = t[open + 1..t.len() - 1].to_ascii_lowercase();
            if open > 0
                && (inner.starts_with("note")
                    || inner
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == ' '))
            {
                t = t[..open].trim_end();
            }
        }
        let without = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',');
        let glued_to_word = without
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic() || *c == ')')
            .count()
            >= 2;
        if without.len() < t.len() && glued_to_word && !without.ends_with(char::is_whitespace) {
            t = without.trim_end();
        }
        if t == before {
            return t;
        }
    }
}

/// Drops a footnote number written after a space at the end of a label:
/// "Stalking and harassment 5", "Residential burglary 6,7". Only for
/// labels that map to nothing as written: [`Dimension::map`] tries it
/// last, so "Under 5" (an age band) and "Aged 5" (an age) keep their
/// number. A number alone, or after a word that takes one ("under",
/// "aged", "over"), is never a footnote.
pub fn strip_spaced_footnote(label: &str) -> &str {
    let t = label.trim_end();
    let Some(space) = t.rfind(char::is_whitespace) else {
        return t;
    };
    // The white space may be more than one byte (a no-break space).
    let (head, tail) = (t[..space].trim_end(), t[space..].trim_start());
    let is_mark = !tail.is_empty()
        && tail.split(',').all(|n| {
            let n = n.trim();
            !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
        });
    let last_word = head
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    let takes_number = matches!(
        last_word.as_str(),
        "under" | "over" | "aged" | "age" | "and" | "to" | "than" | "u" | "-" | "–"
    ) || last_word.chars().all(|c| c.is_ascii_digit() || c == '-');
    if is_mark && head.chars().any(char::is_alphabetic) && !takes_number {
        head
    } else {
        t
    }
}

/// General rules for age labels: "13", "13 yrs", "10-12", "10 to 12",
/// "under 10", "16 and over", "18+", "unknown".
pub fn parse_age_label(label: &str) -> Option<DimValue> {
    let t = label.trim();
    if let Some(n) = t.strip_suffix('+') {
        return n
            .trim()
            .parse()
            .ok()
            .map(|lo| DimValue::AgeBand { lo, hi: None });
    }
    // "<10", "< 10": under ten, never age 10 (folding would drop the sign);
    // "<=9" and ">16", ">=17" likewise.
    if let Some(rest) = t.strip_prefix(['<', '>', '\u{2264}', '\u{2265}']) {
        let below = t.starts_with(['<', '\u{2264}']);
        let (or_equal, n) = match rest.strip_prefix('=') {
            Some(r) => (true, r),
            None => (t.starts_with(['\u{2264}', '\u{2265}']), rest),
        };
        let n: u8 = n.trim().parse().ok()?;
        return Some(match (below, or_equal) {
            (true, true) => DimValue::AgeBand { lo: 0, hi: Some(n) },
            (true, false) => DimValue::AgeBand {
                lo: 0,
                hi: Some(n.checked_sub(1)?),
            },
            (false, true) => DimValue::AgeBand { lo: n, hi: None },
            (false, false) => DimValue::AgeBand {
                lo: n.checked_add(1)?,
                hi: None,
            },
        });
    }
    if t.contains(['<', '>', '\u{2264}', '\u{2265}']) {
        return None;
    }
    let folded = crate::fold_label(label);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    // "Aged 10-12", "Ages 13 to 15": the word before a band says nothing.
    if words.len() >= 3
        && matches!(words[0], "aged" | "age" | "ages")
        && words[1].parse::<u8>().is_ok()
    {
        words.remove(0);
    }
    let num = |w: &str| w.parse::<u8>().ok();
    let unit = |w: &[&str]| {
        w.iter()
            .all(|x| matches!(*x, "yr" | "yrs" | "year" | "years" | "old" | "aged" | "age"))
    };
    match words.as_slice() {
        ["unknown"]
        | ["not", "known"]
        | ["not", "recorded"]
        | ["nk"]
        | ["age", "unknown"]
        | ["unknown", "age"]
        | ["age", "not", "known"]
        | ["age", "not", "recorded"] => Some(DimValue::Unknown),
        [n, rest @ ..] if num(n).is_some() && unit(rest) => num(n).map(DimValue::Age),
        ["aged" | "age", n, rest @ ..] if num(n).is_some() && unit(rest) => {
            num(n).map(DimValue::Age)
        }
        [a, "to" | "-", b, rest @ ..] | [a, b, rest @ ..]
            if num(a).is_some() && num(b).is_some() && unit(rest) && label.contains(['-', 't']) =>
        {
            let (a, b) = (num(a)?, num(b)?);
            (a <= b).then_some(DimValue::AgeBand { lo: a, hi: Some(b) })
        }
        [n, "and" | "or", "under" | "below" | "younger", rest @ ..] if unit(rest) => {
            num(n).map(|hi| DimValue::AgeBand {
                lo: 0,
                hi: Some(hi),
            })
        }
        ["under" | "below", n, rest @ ..] if unit(rest) => {
            let n = num(n)?;
            (n > 0).then(|| DimValue::AgeBand {
                lo: 0,
                hi: Some(n - 1),
            })
        }
        [n, "and" | "or", "over" | "above" | "older", rest @ ..]
        | [n, "plus" | "over", rest @ ..]
            if unit(rest) =>
        {
            num(n).map(|lo| DimValue::AgeBand { lo, hi: None })
        }
        ["over" | "above" | "older" | "aged", "over" | "above", n, rest @ ..]
        | ["over" | "above" | "older", "than", n, rest @ ..]
        | ["over" | "above", n, rest @ ..]
            if unit(rest) =>
        {
            num(n)
                .and_then(|n| n.checked_add(1))
                .map(|lo| DimValue::AgeBand { lo, hi: None })
        }
        _ => None,
    }
}

/// Finds a reference code written inside a label: "22B", "022/B",
/// "Sexual grooming 88A", "(71) Abuse of children…", "… (21)". A bare number
/// counts only as the whole label, its first word, or in brackets, so
/// "under 13" is not code 13.
pub fn find_code_in_label(label: &str, domain: &BTreeSet<String>) -> Option<String> {
    let bracketed: Vec<&str> = label
        .split(['(', '['])
        .skip(1)
        .filter_map(|s| s.split([')', ']']).next())
        .map(str::trim)
        .collect();
    let tokens: Vec<String> = label
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ':' | '-'))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_string())
        .collect();
    // "1 July 2015 - 30 June 2016" is a period, not offence 1.
    let month = |w: &str| {
        let w = w.to_ascii_lowercase();
        [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .any(|m| w.starts_with(m))
    };
    let mut found: Vec<String> = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        // A slash sets a category's letter apart ("022/B"); between digits
        // it is a category or Home Office code of its own ("4/4", "019/07"),
        // never its digits run together (44).
        if tok.contains('/') && !tok.ends_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let t = tok.replace('/', "");
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            continue;
        }
        let rest = &t[digits.len()..];
        let number = digits.trim_start_matches('0');
        let letter_suffix = rest.len() == 1 && rest.chars().all(|c| c.is_ascii_alphabetic());
        let a_day = tokens.get(i + 1).is_some_and(|next| month(next));
        // "13 and over", "13 to 15", "13-15", "16 or 17", "10 years": an
        // age, not offence 13.
        let an_age = tokens.get(i + 1).is_some_and(|next| {
            let next = next.to_ascii_lowercase();
            next.chars().all(|c| c.is_ascii_digit())
                || [
                    "and", "or", "to", "plus", "over", "under", "and/or", "years", "year", "yrs",
                    "yr", "yo",
                ]
                .contains(&next.as_str())
        });
        let candidate = if letter_suffix {
            format!("{number}{}", rest.to_ascii_uppercase())
        } else if rest.is_empty()
            && !a_day
            && ((i == 0 && !an_age) || bracketed.contains(&tok.as_str()))
        {
            number.to_string()
        } else {
            continue;
        };
        if domain.contains(&candidate) && !found.contains(&candidate) {
            found.push(candidate);
        }
    }
    // A label naming two categories ("19E & 19H combined") is a figure for
    // both together: given to either, it would be a false figure.
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// A table definition with its regexes compiled.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: Option<Regex>,
    pub header: Regex,
    pub occurrence: usize,
    pub header_rows: usize,
    pub stop: Stop,
    pub shape: Shape,
    pub filter: Option<RowFilter>,
    pub request: Option<String>,
    pub total_rows: Option<Regex>,
    pub skip_rows: Option<Regex>,
    pub aggregate_rows: Option<Regex>,
    pub ambiguous_names: Option<NameRule>,
    pub requests: Vec<(Regex, String)>,
    pub columns: Vec<Column>,
}

/// Where a table ends.
#[derive(Debug, Clone, Default)]
pub enum Stop {
    /// At the first blank row.
    #[default]
    BlankRow,
    /// At the end of the sheet; blank rows inside are skipped.
    End,
    /// At a row whose first non-empty cell matches; blank rows inside are
    /// skipped.
    At(Regex),
}

/// The rows a table reads: those whose cell under the column whose
/// header matches `column` is one of `equals` (see [`WhereDef`]).
#[derive(Debug, Clone)]
pub struct RowFilter {
    pub column: Regex,
    /// Folded as [`RowFilter::keeps`] compares them: trimmed, lower case.
    pub equals: Vec<String>,
}

impl RowFilter {
    /// Whether a cell's text keeps its row.
    pub fn keeps(&self, text: &str) -> bool {
        let t = text.trim().to_lowercase();
        self.equals.contains(&t)
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: Regex,
    pub role: Role,
    pub dim: Option<DimId>,
    pub request: Option<String>,
    pub blank: Option<Blank>,
}

#[derive(Debug, Clone)]
pub enum Source {
    Path(String),
    Url(String),
}

impl Source {
    pub fn display(&self) -> &str {
        match self {
            Source::Path(p) | Source::Url(p) => p,
        }
    }
}

/// One force's response, resolved.
#[derive(Debug, Clone)]
pub struct Response {
    /// The config file it came from, for messages.
    pub file: String,
    /// A stable key: the response file's stem ("kent").
    pub key: String,
    /// `None` for a source answering for many forces (a national table).
    pub force: Option<ForceId>,
    pub requests: Vec<String>,
    pub status: Status,
    pub note: String,
    pub unit: Unit,
    pub period: Option<Period>,
    pub fixed: BTreeMap<DimId, DimValue>,
    pub source: Option<Source>,
    pub zeros: Zeros,
    pub threshold: u64,
    pub tables: Vec<Table>,
    pub manual: Vec<ManualDef>,
}

impl Response {
    /// Whether the response's figures are found by detection: it has
    /// figures, and neither `[[table]]`s nor `[[manual]]` entries say
    /// where they are.
    pub fn detects_layout(&self) -> bool {
        self.status.has_figures() && self.tables.is_empty() && self.manual.is_empty()
    }
    /// Whether figures are read from the source as a spreadsheet or text
    /// table (configured tables, or detected ones).
    pub fn reads_tables(&self) -> bool {
        !self.tables.is_empty() || self.detects_layout()
    }
    /// The force, or "all forces" for a national table: for messages.
    pub fn who(&self) -> String {
        self.force
            .as_ref()
            .map(|f| f.0.clone())
            .unwrap_or_else(|| "all forces".to_string())
    }
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: Unit,
    /// Whole counts, or a measure's decimal places (`[measure]`).
    pub scale: Scale,
    /// The forces asked (`forces`); `None`: every force.
    pub asked: Option<BTreeSet<ForceId>>,
    pub requests: Vec<Request>,
    pub dimensions: Vec<Dimension>,
    pub derivations: Vec<(DimId, DimId, Crosswalk)>,
    pub markers: Option<Crosswalk>,
    pub threshold: u64,
    pub breakdowns: Vec<Vec<DimId>>,
    pub headline_age: Option<DimId>,
    pub limits: crate::Limits,
    /// Days a request's counted rows may stop short of either end of its
    /// period and still cover it whole ([`CoverageDef::gap_days`]).
    pub gap_days: i64,
    pub publisher: Option<Publisher>,
    pub source: Option<String>,
    pub licence: Licence,
    /// `[suggest] auto_accept`, checked to lie in 0.9..=1.
    pub auto_accept: Option<f64>,
}

impl Campaign {
    pub fn request(&self, id: &str) -> Option<&Request> {
        self.requests.iter().find(|r| r.id == id)
    }
    pub fn dimension(&self, id: &DimId) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| &d.id == id)
    }
    /// Whether the campaign asked `force` (every force unless `forces`
    /// says otherwise).
    pub fn asks(&self, force: &ForceId) -> bool {
        self.asked.as_ref().is_none_or(|a| a.contains(force))
    }
}

/// Everything a run needs, resolved and checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub forces: Forces,
    pub campaign: Campaign,
    pub responses: Vec<Response>,
}

/// The files a campaign needs besides its campaign.toml, by path relative to
/// the campaign folder, read by the caller.
pub trait ConfigFiles {
    /// Text of a file relative to the campaign folder, with the display path.
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError>;
}

/// Line of a byte offset in text, 1-based.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn toml_error(file: &str, text: &str, e: toml::de::Error) -> ConfigError {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    ConfigError::at(file, line, e.message().to_string())
}

/// Finds the line where `needle` first appears after `key`, for errors about
/// values that parsed but do not resolve.
fn line_of_value(text: &str, needle: &str) -> usize {
    text.find(needle).map(|o| line_of(text, o)).unwrap_or(1)
}

fn compile(file: &str, text: &str, pattern: &str) -> Result<Regex, ConfigError> {
    thread_local! {
        // A campaign's responses repeat the same header patterns (44 forces
        // answering in a few layouts): each is compiled once per thread,
        // and a clone shares the compiled form.
        static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
            Default::default();
    }
    if let Some(re) = COMPILED.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = Regex::new(pattern).map_err(|e| {
        ConfigError::at(
            file,
            line_of_value(text, pattern),
            format!("bad pattern {pattern:?}: {e}"),
        )
    })?;
    COMPILED.with(|c| c.borrow_mut().insert(pattern.to_string(), re.clone()));
    Ok(re)
}

/// The line of the first `key = …` (or `key.… =`, `[….key]`) starting at or
/// after byte `from`, comments skipped; for errors about a value whose own
/// text could be anywhere (several requests each have a `period`).
fn line_of_key(text: &str, from: usize, key: &str) -> usize {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if start < from {
            continue;
        }
        let t = line.trim_start();
        let is_key = t
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']));
        let is_table = t.starts_with('[')
            && (t.contains(&format!(".{key}]")) || t.contains(&format!("[{key}]")));
        if is_key || is_table {
            return i + 1;
        }
    }
    line_of_value(text, key)
}

/// Parses `period` into a [`Period`], refusing an empty one; `from` is
/// where in `text` to look for its line (the start of its request).
fn period(file: &str, text: &str, p: &PeriodDef, from: usize) -> Result<Period, ConfigError> {
    Period::new(p.from.0, p.to.0).ok_or_else(|| {
        ConfigError::at(
            file,
            line_of_key(text, from, "period"),
            format!("period ends ({}) before it starts ({})", p.to.0, p.from.0),
        )
    })
}

/// The Home Office offence categories of config/reference/offences.csv
/// (its `category` column), which `code` dimensions with `reference =
/// "offences"` check their values against.
pub fn offence_categories(file: &str, text: &str) -> Result<BTreeSet<String>, ConfigError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
        .clone();
    let col = headers
        .iter()
        .position(|h| h == "category")
        .ok_or_else(|| ConfigError::at(file, 1, "no `category` column"))?;
    let mut out = BTreeSet::new();
    for row in rdr.records() {
        let row = row.map_err(|e| {
            ConfigError::at(
                file,
                e.position().map(|p| p.line() as usize).unwrap_or(0),
                e.to_string(),
            )
        })?;
        if let Some(c) = row.get(col) {
            out.insert(c.trim().to_string());
        }
    }
    Ok(out)
}

impl Config {
    /// Resolves a campaign: `campaign` is (path, text) of campaign.toml,
    /// `responses` the (path, text) of each response file, `offences` the
    /// reference offence categories, and `files` reads crosswalks.
    pub fn from_texts(
        forces: Forces,
        offences: &BTreeSet<String>,
        campaign: (&str, &str),
        responses: &[(String, String)],
        files: &dyn ConfigFiles,
    ) -> Result<Config, Vec<ConfigError>> {
        let campaign = resolve_campaign(&forces, offences, campaign.0, campaign.1, files)
            .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let mut resolved: Vec<Response> = Vec::new();
        let mut seen: BTreeMap<(Option<ForceId>, String), String> = BTreeMap::new();
        for (path, text) in responses {
            match resolve_response(&forces, &campaign, path, text) {
                Ok(r) => {
                    for req in &r.requests {
                        if let Some(prev) =
                            seen.insert((r.force.clone(), req.clone()), path.clone())
                        {
                            errors.push(ConfigError::at(
                                path,
                                line_of_value(text, "requests"),
                                format!(
                                    "{} already has a response for request {req:?} in {prev}",
                                    r.who()
                                ),
                            ));
                        }
                    }
                    resolved.push(r);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        resolved.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Config {
            forces,
            campaign,
            responses: resolved,
        })
    }
}

fn resolve_campaign(
    forces: &Forces,
    offences: &BTreeSet<String>,
    file: &str,
    text: &str,
    files: &dyn ConfigFiles,
) -> Result<Campaign, ConfigError> {
    let def: CampaignFile = toml::from_str(text).map_err(|e| toml_error(file, text, e))?;
    // The id names folders and files in the cache and the output: it must
    // be one plain path component, never a way out of them.
    if def.id.is_empty()
        || def.id.starts_with('.')
        || !def
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(ConfigError::at(
            file,
            line_of_value(text, &def.id),
            format!(
                "campaign id {:?} must be a plain name (letters, digits, '-', '_', '.'; not starting with '.')",
                def.id
            ),
        ));
    }
    let resolve_force = |n: &str| forces.resolve(n).map(|f| f.id.clone());
    let mut requests = Vec::new();
    for r in &def.requests {
        if requests.iter().any(|x: &Request| x.id == r.id) {
            return Err(ConfigError::at(
                file,
                line_of_value(text, &format!("\"{}\"", r.id)),
                format!("request {:?} is declared twice", r.id),
            ));
        }
        requests.push(Request {
            id: r.id.clone(),
            title: r.title.clone(),
            wording: r.wording.clone(),
            period: period(
                file,
                text,
                &r.period,
                text.find(&format!("\"{}\"", r.id)).unwrap_or(0),
            )?,
        });
    }
    if requests.is_empty() {
        return Err(ConfigError::file(
            file,
            "a campaign needs at least one [[request]]",
        ));
    }
    let load_cw = |rel: &str| -> Result<Crosswalk, ConfigError> {
        // A file that cannot be read is reported where it is named.
        let (path, body) = files.campaign_file(rel).map_err(|e| match e {
            ConfigError::File {
                file: path,
                message,
            } => ConfigError::at(file, line_of_value(text, rel), format!("{path}: {message}")),
            e => e,
        })?;
        Crosswalk::from_csv(&path, &body, &resolve_force)
    };
    let mut dimensions = Vec::new();
    let mut derivations = Vec::new();
    for d in &def.dimensions {
        let id = DimId::new(&d.id);
        if d.id == "request" || dimensions.iter().any(|x: &Dimension| x.id == id) {
            return Err(ConfigError::at(
                file,
                line_of_value(text, &format!("\"{}\"", d.id)),
                format!("dimension id {:?} is reserved or declared twice", d.id),
            ));
        }
        let mut domain: BTreeSet<String> = d.values.iter().flatten().cloned().collect();
        let codes_in_labels = match d.reference.as_deref() {
            None => false,
            Some("offences") => {
                domain.extend(offences.iter().cloned());
                true
            }
            Some(other) => {
                return Err(ConfigError::at(
                    file,
                    line_of_value(text, other),
                    format!("unknown reference table {other:?} (known: offences)"),
                ))
            }
        };
        let crosswalk = d.crosswalk.as_deref().map(load_cw).transpose()?;
        if let Some(from) = &d.derive_from {
            let Some(cw) = crosswalk.clone() else {
                return Err(ConfigError::at(
                    file,
                    line_of_value(text, from),
                    format!(
                        "dimension {:?} derives from {from:?} but has no crosswalk",
                        d.id
                    ),
                ));
            };
            derivations.push((DimId::new(from), id.clone(), cw));
        }
        // Every crosswalk target must be in the domain.
        if let (Some(cw), DimKind::Code, false) = (&crosswalk, d.kind, domain.is_empty()) {
            if d.derive_from.is_none() {
                for e in cw.entries() {
                    if !domain.contains(&e.value) && !e.value.eq_ignore_ascii_case("unknown") {
                        return Err(ConfigError::at(
                            &cw.file,
                            e.line,
                            format!("{:?} is not a known {} code", e.value, d.id),
                        ));
                    }
                }
            }
        }
        if let (Some(cw), DimKind::Age) = (&crosswalk, d.kind) {
            for e in cw.entries() {
                if DimValue::parse(true, &e.value).is_none() {
                    return Err(ConfigError::at(
                        &cw.file,
                        e.line,
                        format!("{:?} is not an age, band (10-12, 18+) or unknown", e.value),
                    ));
                }
            }
        }
        dimensions.push(Dimension {
            id,
            title: d.title.clone(),
            kind: d.kind,
            crosswalk,
            domain,
            codes_in_labels,
            derive_from: d.derive_from.as_deref().map(DimId::new),
            overlapping: d.overlapping,
        });
    }
    for (from, to, cw) in &derivations {
        let Some(source) = dimensions.iter().find(|d| &d.id == from) else {
            return Err(ConfigError::at(
                file,
                line_of_value(text, &from.0),
                format!("dimension {to} derives from unknown dimension {from}"),
            ));
        };
        for e in cw.entries() {
            if !source.domain.is_empty() && !source.domain.contains(&e.label) {
                return Err(ConfigError::at(
                    &cw.file,
                    e.line,
                    format!("{:?} is not a known {from} code", e.label),
                ));
            }
        }
    }
    let mut breakdowns = Vec::new();
    for b in &def.breakdowns {
        let mut dims = Vec::new();
        for d in b {
            let id = DimId::new(d);
            if !dimensions.iter().any(|x| x.id == id) {
                return Err(ConfigError::at(
                    file,
                    line_of_value(text, "breakdowns"),
                    format!("breakdown names unknown dimension {d:?}"),
                ));
            }
            dims.push(id);
        }
        breakdowns.push(dims);
    }
    let markers = def
        .suppression
        .markers
        .as_deref()
        .map(load_cw)
        .transpose()?;
    if let Some(m) = &markers {
        for e in m.entries() {
            if !matches!(e.value.as_str(), "suppressed" | "zero" | "not_available") {
                return Err(ConfigError::at(
                    &m.file,
                    e.line,
                    format!(
                        "{:?} is not a marker meaning (suppressed, zero, not_available)",
                        e.value
                    ),
                ));
            }
        }
    }
    let headline_age = def.headline.age.as_deref().map(DimId::new);
    if let Some(a) = &headline_age {
        if !dimensions
            .iter()
            .any(|d| &d.id == a && d.kind == DimKind::Age)
        {
            return Err(ConfigError::at(
                file,
                line_of_value(text, "[headline]"),
                format!("headline age {a} is not an age dimension"),
            ));
        }
    }
    if let Some(t) = def.suggest.auto_accept {
        if !(0.9..=1.0).contains(&t) {
            return Err(ConfigError::at(
                file,
                line_of_key(text, 0, "auto_accept"),
                format!("[suggest] auto_accept = {t} must lie between 0.9 and 1 (a suggestion's score; docs/config.md)"),
            ));
        }
    }
    let scale = match def.measure {
        None => Scale::COUNT,
        Some(m) => Scale::measure(m.decimals).ok_or_else(|| {
            ConfigError::at(
                file,
                line_of_key(text, 0, "decimals"),
                format!(
                    "[measure] decimals = {} must lie between 1 and {} (whole counts need no [measure])",
                    m.decimals,
                    Scale::MAX_DECIMALS
                ),
            )
        })?,
    };
    let asked = asked_forces(forces, def.forces.as_ref(), file, text)?;
    Ok(Campaign {
        id: def.id,
        title: def.title,
        description: def.description,
        unit: Unit(def.unit),
        scale,
        asked,
        requests,
        dimensions,
        derivations,
        markers,
        threshold: def.suppression.threshold,
        breakdowns,
        headline_age,
        limits: def.limits,
        gap_days: i64::from(def.coverage.gap_days),
        publisher: def.publisher,
        source: def
            .source
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")),
        licence: def.licence,
        auto_accept: def.suggest.auto_accept,
    })
}

/// The forces a campaign's `forces` names; `None` for all of them.
fn asked_forces(
    forces: &Forces,
    def: Option<&AskedDef>,
    file: &str,
    text: &str,
) -> Result<Option<BTreeSet<ForceId>>, ConfigError> {
    let at = |msg: String| ConfigError::at(file, line_of_key(text, 0, "forces"), msg);
    match def {
        None => Ok(None),
        Some(AskedDef::Word(w)) if w == "all" => Ok(None),
        Some(AskedDef::Word(w)) if w == "territorial" => Ok(Some(
            forces
                .iter()
                .filter(|f| !f.code.is_empty())
                .map(|f| f.id.clone())
                .collect(),
        )),
        Some(AskedDef::Word(w)) => Err(at(format!(
            "forces = {w:?}: write \"all\", \"territorial\" (the 43 police force areas) or a list of forces"
        ))),
        Some(AskedDef::List(names)) => {
            if names.is_empty() {
                return Err(at(
                    "forces = []: a campaign asks at least one force".into(),
                ));
            }
            let mut out = BTreeSet::new();
            for n in names {
                let f = forces.resolve(n).ok_or_else(|| {
                    ConfigError::at(
                        file,
                        line_of_value(text, &format!("\"{n}\"")),
                        format!("unknown force {n:?} (see config/reference/forces.csv)"),
                    )
                })?;
                out.insert(f.id.clone());
            }
            Ok(Some(out))
        }
    }
}

/// What a table's definition is checked against: the campaign, whether
/// the response names its force, its requests, and the text it came from
/// (for lines in errors).
struct Scope<'a> {
    campaign: &'a Campaign,
    has_force: bool,
    requests: &'a [String],
    file: &'a str,
    text: &'a str,
}

impl Scope<'_> {
    fn at(&self, needle: &str, msg: String) -> ConfigError {
        ConfigError::at(self.file, line_of_value(self.text, needle), msg)
    }

    fn compile(&self, pattern: &str) -> Result<Regex, ConfigError> {
        compile(self.file, self.text, pattern)
    }

    /// One `[[table]]`, resolved and checked.
    fn table(&self, t: &TableDef) -> Result<Table, ConfigError> {
        let campaign = self.campaign;
        let at = |needle: &str, msg: String| self.at(needle, msg);
        let mut columns = Vec::new();
        for c in &t.columns {
            let dim = c.dim.as_deref().map(DimId::new);
            let needs_dim = matches!(c.role, Role::Label | Role::ByHeader);
            match (&dim, needs_dim) {
                (None, true) => {
                    return Err(at(&c.header, format!("column {:?} needs a dim", c.header)))
                }
                (Some(d), true) if campaign.dimension(d).is_none() => {
                    return Err(at(&d.0, format!("unknown dimension {:?}", d.0)))
                }
                (Some(d), false) => {
                    return Err(at(&d.0, format!("a {:?} column takes no dim", c.role)))
                }
                _ => {}
            }
            if let Some(r) = &c.request {
                if !self.requests.contains(r) {
                    return Err(at(
                        r,
                        format!("column request {r:?} is not among the response's requests"),
                    ));
                }
                if matches!(
                    c.role,
                    Role::Label
                        | Role::Date
                        | Role::Ignore
                        | Role::Request
                        | Role::Period
                        | Role::Heading
                ) {
                    // At the column, not the request's id: that is written
                    // first in the response's `requests`.
                    return Err(at(
                        &c.header,
                        format!("a {:?} column takes no request", c.role),
                    ));
                }
            }
            if c.blank.is_some() && c.role != Role::Label {
                return Err(at(&c.header, "only a label column takes `blank`".into()));
            }
            columns.push(Column {
                header: self.compile(&c.header)?,
                role: c.role,
                dim,
                request: c.request.clone(),
                blank: c.blank,
            });
        }
        if let Some(h) = columns.iter().find(|c| c.role == Role::Heading) {
            let label = columns
                .iter()
                .any(|c| c.role == Role::Label && c.dim.is_some());
            if !label || columns.iter().filter(|c| c.role == Role::Heading).count() > 1 {
                return Err(at(
                    h.header.as_str(),
                    "a table takes one heading column, beside a label column it heads".into(),
                ));
            }
        }
        let has_force_column = columns.iter().any(|c| c.role == Role::Force);
        match (self.has_force, has_force_column) {
            (false, false) => {
                return Err(at(
                    &t.header,
                    "a response without `force` answers for many forces: its tables need a column with role = \"force\"".into(),
                ))
            }
            (true, true) => {
                return Err(at(
                    "force",
                    "a response for one force has no `role = \"force\"` column; drop `force` to read the force from each row".into(),
                ))
            }
            _ => {}
        }
        if t.aggregate_rows.is_some() && !has_force_column {
            return Err(at(
                "aggregate_rows",
                "aggregate_rows needs a column with role = \"force\"".into(),
            ));
        }
        if t.ambiguous_names.is_some() && !has_force_column {
            return Err(at(
                "ambiguous_names",
                "ambiguous_names needs a column with role = \"force\"".into(),
            ));
        }
        if let Some(r) = &t.request {
            if !self.requests.contains(r) {
                return Err(at(
                    r,
                    format!("table request {r:?} is not among the response's requests"),
                ));
            }
        }
        let mut requests = Vec::new();
        for (pat, r) in &t.requests {
            if !self.requests.contains(r) {
                return Err(at(
                    r,
                    format!("request {r:?} is not among the response's requests"),
                ));
            }
            requests.push((self.compile(pat)?, r.clone()));
        }
        if t.shape == Shape::Records && !campaign.scale.is_count() {
            return Err(at(
                "shape",
                "shape = \"records\" counts rows, but this campaign's figures are a measure ([measure] in campaign.toml): read them from cells".into(),
            ));
        }
        if t.header_rows == 0 || t.occurrence == 0 {
            return Err(at("header", "header_rows and occurrence start at 1".into()));
        }
        let stop = match t.stop.as_deref() {
            None | Some("blank_row") => Stop::BlankRow,
            Some("end") => Stop::End,
            Some(p) => Stop::At(self.compile(p)?),
        };
        let filter = match &t.filter {
            None => None,
            Some(w) => {
                let equals: Vec<String> = w
                    .equals
                    .iter()
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect();
                if equals.is_empty() {
                    return Err(at(
                        "equals",
                        "`where` needs the values that keep a row: equals = [\"Y\", \"Yes\"]"
                            .into(),
                    ));
                }
                Some(RowFilter {
                    column: self.compile(&w.column)?,
                    equals,
                })
            }
        };
        let opt = |p: &Option<String>| p.as_deref().map(|p| self.compile(p)).transpose();
        Ok(Table {
            sheet: opt(&t.sheet)?,
            header: self.compile(&t.header)?,
            occurrence: t.occurrence,
            header_rows: t.header_rows,
            stop,
            shape: t.shape,
            filter,
            request: t.request.clone(),
            total_rows: opt(&t.total_rows)?,
            skip_rows: opt(&t.skip_rows)?,
            aggregate_rows: opt(&t.aggregate_rows)?,
            ambiguous_names: t.ambiguous_names,
            requests,
            columns,
        })
    }
}

/// A layout as written on its own: `[[table]]`s and nothing else (what
/// detection proposes, and what a release publishes under layouts/).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutFile {
    #[serde(rename = "table", default)]
    pub tables: Vec<TableDef>,
}

/// Resolves a layout's text (`[[table]]`s only) for `response`, as the
/// response's own tables would be: every check of the config language
/// applies, and errors name `file` and the line.
pub fn resolve_layout(
    campaign: &Campaign,
    response: &Response,
    file: &str,
    text: &str,
) -> Result<Vec<Table>, ConfigError> {
    let def: LayoutFile = toml::from_str(text).map_err(|e| toml_error(file, text, e))?;
    let scope = Scope {
        campaign,
        has_force: response.force.is_some(),
        requests: &response.requests,
        file,
        text,
    };
    def.tables.iter().map(|t| scope.table(t)).collect()
}

/// Resolves one response file's text against a resolved campaign (what
/// `foi inspect` writes is checked this way before it is written).
pub fn resolve_response_text(
    forces: &Forces,
    campaign: &Campaign,
    file: &str,
    text: &str,
) -> Result<Response, ConfigError> {
    resolve_response(forces, campaign, file, text)
}

fn resolve_response(
    forces: &Forces,
    campaign: &Campaign,
    file: &str,
    text: &str,
) -> Result<Response, ConfigError> {
    let def: ResponseFile = toml::from_str(text).map_err(|e| toml_error(file, text, e))?;
    let at = |needle: &str, msg: String| ConfigError::at(file, line_of_value(text, needle), msg);
    let force = match &def.force {
        None => None,
        Some(name) => Some(
            forces
                .resolve(name)
                .ok_or_else(|| {
                    at(
                        name,
                        format!("unknown force {name:?} (see config/reference/forces.csv)"),
                    )
                })?
                .id
                .clone(),
        ),
    };
    if let Some(f) = &force {
        if !campaign.asks(f) {
            return Err(at(
                def.force.as_deref().unwrap_or("force"),
                format!(
                    "{f} is not among the forces campaign {} asked (`forces` in its campaign.toml)",
                    campaign.id
                ),
            ));
        }
    }
    if def.requests.is_empty() {
        return Err(at(
            "requests",
            "a response must name the requests it answers".into(),
        ));
    }
    for r in &def.requests {
        if campaign.request(r).is_none() {
            return Err(at(r, format!("unknown request {r:?}")));
        }
    }
    let status = match (def.status, &def.section) {
        (StatusDef::Refused, Some(s)) => Status::Refused { section: s.clone() },
        (StatusDef::Refused, None) => {
            return Err(at(
                "status",
                "a refusal needs its FOI Act section, e.g. section = \"s.12\"".into(),
            ))
        }
        (StatusDef::Answered, _) => Status::Answered,
        (StatusDef::Partial, _) => Status::Partial,
        (StatusDef::NotHeld, _) => Status::NotHeld,
        (StatusDef::NoResponse, _) => Status::NoResponse,
    };
    let period = def
        .period
        .as_ref()
        .map(|p| period(file, text, p, 0))
        .transpose()?;
    if period.is_some() && def.requests.len() != 1 {
        return Err(at(
            "period",
            "a period override applies to exactly one request".into(),
        ));
    }
    let mut fixed = BTreeMap::new();
    for (k, v) in &def.fixed {
        let id = DimId::new(k);
        let dim = campaign
            .dimension(&id)
            .ok_or_else(|| at(k, format!("unknown dimension {k:?}")))?;
        let value = DimValue::parse(dim.kind == DimKind::Age, v)
            .filter(|val| dim.allows(val))
            .ok_or_else(|| at(v, format!("{v:?} is not a value of {k}")))?;
        fixed.insert(id, value);
    }
    let source = match &def.source {
        None => None,
        Some(SourceDef {
            path: Some(p),
            url: None,
        }) => Some(Source::Path(p.clone())),
        Some(SourceDef {
            path: None,
            url: Some(u),
        }) => {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return Err(at(u, format!("source url {u:?} must be http or https")));
            }
            Some(Source::Url(u.clone()))
        }
        Some(_) => {
            return Err(at(
                "source",
                "a source has exactly one of path or url".into(),
            ))
        }
    };
    if status.has_figures() && source.is_none() {
        return Err(at("status", format!("an {status} response needs a source")));
    }
    // A response with figures and neither tables nor manual entries is
    // read by detection: normalise finds its tables and proposes their
    // layout (`foi inspect` shows it).
    let scope = Scope {
        campaign,
        has_force: force.is_some(),
        requests: &def.requests,
        file,
        text,
    };
    let tables = def
        .tables
        .iter()
        .map(|t| scope.table(t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut manual = def.manual.clone();
    let headers = header_lines(text, "[[manual]]");
    for (i, m) in manual.iter_mut().enumerate() {
        let line = headers.get(i).copied().unwrap_or(1);
        m.at = format!("{file}:{line}");
        if !def.requests.contains(&m.request) {
            return Err(ConfigError::at(
                file,
                line,
                format!(
                    "manual entry for request {:?} not among the response's requests",
                    m.request
                ),
            ));
        }
    }
    let grids = header_lines(text, "[[manual_table]]");
    for (i, g) in def.manual_tables.iter().enumerate() {
        let line = grids.get(i).copied().unwrap_or(1);
        manual.extend(grid_entries(campaign, &def.requests, g, file, text, line)?);
    }
    let key = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".toml")
        .to_string();
    Ok(Response {
        file: file.to_string(),
        key,
        force,
        requests: def.requests,
        status,
        note: def.note,
        unit: def.unit.map(Unit).unwrap_or_else(|| campaign.unit.clone()),
        period,
        fixed,
        source,
        zeros: def.zeros,
        threshold: def.suppressed_below.unwrap_or(campaign.threshold),
        tables,
        manual,
    })
}

/// The lines (1-based) of each `header` (`[[manual]]`) in `text`, in order.
fn header_lines(text: &str, header: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(header))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A `[[manual_table]]` as the entries it stands for, one per count,
/// checked: its dimensions and requests known, every row as wide as its
/// labels and columns. `line` is where the table starts.
fn grid_entries(
    campaign: &Campaign,
    requests: &[String],
    g: &ManualTableDef,
    file: &str,
    text: &str,
    line: usize,
) -> Result<Vec<ManualDef>, ConfigError> {
    let err = |line: usize, msg: String| ConfigError::at(file, line, msg);
    let key_line = |key: &str| line_of_key(text, line_of_offset(text, line), key);
    let stated = |d: &str, key: &str| -> Result<(), ConfigError> {
        match campaign.dimension(&DimId::new(d)) {
            None => Err(err(key_line(key), format!("unknown dimension {d:?}"))),
            Some(dim) if dim.derive_from.is_some() => Err(err(
                key_line(key),
                format!(
                    "{d} is derived from {}: forces never state it",
                    dim.derive_from.as_ref().map_or("", |x| x.0.as_str())
                ),
            )),
            Some(_) => Ok(()),
        }
    };
    for (i, d) in g.dims.iter().enumerate() {
        stated(d, "dims")?;
        if g.dims[..i].contains(d) {
            return Err(err(
                key_line("dims"),
                format!("dimension {d:?} is named twice"),
            ));
        }
    }
    let request_of = |r: Option<&String>, key: &str| -> Result<String, ConfigError> {
        match r.or(g.request.as_ref()) {
            Some(r) if requests.contains(r) => Ok(r.clone()),
            Some(r) => Err(err(
                key_line(key),
                format!("request {r:?} is not among the response's requests"),
            )),
            None if requests.len() == 1 => Ok(requests[0].clone()),
            None => Err(err(
                line,
                "this response answers several requests: say which each column holds (`request = \"…\"`, or `columns = [\"<request>\", …]`)".into(),
            )),
        }
    };
    let total = match &g.total {
        Some(p) => compile(file, text, p)?,
        None => compile(file, text, "(?i)^(grand )?total$")?,
    };
    let is_total = |label: &str| label.trim().is_empty() || total.is_match(label.trim());
    // Each count column: its request and the labels it adds.
    let mut columns: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    match &g.columns {
        None => columns.push((request_of(None, "request")?, BTreeMap::new())),
        Some(cols) if cols.is_empty() => {
            return Err(err(key_line("columns"), "`columns` lists no column".into()))
        }
        Some(cols) => {
            for c in cols {
                match c {
                    GridColumnDef::Request(r) => {
                        columns.push((request_of(Some(r), "columns")?, BTreeMap::new()))
                    }
                    GridColumnDef::Labels(labels) => {
                        let mut dims = BTreeMap::new();
                        for (k, v) in labels {
                            if k == "request" {
                                continue;
                            }
                            stated(k, "columns")?;
                            if g.dims.contains(k) {
                                return Err(err(
                                    key_line("columns"),
                                    format!("{k} is given by the rows' labels and by a column"),
                                ));
                            }
                            if !is_total(v) {
                                dims.insert(k.clone(), v.clone());
                            }
                        }
                        columns.push((request_of(labels.get("request"), "columns")?, dims));
                    }
                }
            }
        }
    }
    let width = g.dims.len() + columns.len();
    let mut out = Vec::new();
    for row in &g.rows {
        let row_line = line_of(text, row.span().start);
        let cells = row.get_ref();
        if cells.len() != width {
            return Err(err(
                row_line,
                format!(
                    "this row has {} cell{}, but {} label{} ({}) and {} count{} make {width}",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    g.dims.len(),
                    if g.dims.len() == 1 { "" } else { "s" },
                    g.dims.join(", "),
                    columns.len(),
                    if columns.len() == 1 { "" } else { "s" },
                ),
            ));
        }
        let texts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.text().ok_or_else(|| {
                    err(
                        row_line,
                        format!("cell {} of this row is neither text nor a number", i + 1),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let (labels, counts) = texts.split_at(g.dims.len());
        let mut row_dims = BTreeMap::new();
        for (d, label) in g.dims.iter().zip(labels) {
            if !is_total(label) {
                row_dims.insert(d.clone(), label.clone());
            }
        }
        for (k, ((request, col_dims), count)) in columns.iter().zip(counts).enumerate() {
            if count.trim().is_empty() {
                return Err(err(
                    row_line,
                    format!(
                        "count {} of this row is empty: write the figure as printed (\"0\", \"-\", \"*\")",
                        k + 1
                    ),
                ));
            }
            let mut dims = row_dims.clone();
            dims.extend(col_dims.iter().map(|(a, b)| (a.clone(), b.clone())));
            out.push(ManualDef {
                request: request.clone(),
                page: g.page,
                count: count.clone(),
                dims,
                at: format!("{file}:{row_line}"),
            });
        }
    }
    Ok(out)
}

/// The byte offset where 1-based `line` starts.
fn line_of_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORCES: &str = "code,id,name,aliases
E1,kent,Kent Police,
E2,essex,Essex Police,
,btp,British Transport Police,BTP
";

    const CAMPAIGN: &str = r#"id = "c"
title = "C"
unit = "offences"

[[request]]
id = "y1"
title = "Y1"
period = { from = 2016-04-01, to = 2017-03-31 }

[[request]]
id = "y2"
title = "Y2"
period = { from = 2017-04-01, to = 2018-03-31 }

[[dimension]]
id = "offence"
title = "Offence"
kind = "code"
values = ["a", "b"]

[[dimension]]
id = "age"
title = "Age"
kind = "age"
"#;

    struct NoFiles;
    impl ConfigFiles for NoFiles {
        fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
            Err(ConfigError::file(rel, "no files here"))
        }
    }

    /// The campaign (with `extra` after its first line) and one response.
    fn load(extra: &str, response: &str) -> Result<Config, Vec<ConfigError>> {
        let forces = Forces::from_csv("forces.csv", FORCES).expect("forces");
        let campaign = CAMPAIGN.replacen('\n', &format!("\n{extra}\n"), 1);
        let responses = vec![("responses/r.toml".to_string(), response.to_string())];
        Config::from_texts(
            forces,
            &BTreeSet::new(),
            ("campaign.toml", &campaign),
            &responses,
            &NoFiles,
        )
    }

    fn errors(r: Result<Config, Vec<ConfigError>>) -> Vec<String> {
        r.expect_err("errors")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const KENT: &str = "force = \"kent\"\nrequests = [\"y1\", \"y2\"]\nstatus = \"answered\"\nsource = { path = \"letter.pdf\" }\n";

    #[test]
    fn a_measure_declares_its_places() {
        let c = load("measure = { decimals = 4 }", KENT).expect("loads");
        assert_eq!(c.campaign.scale, Scale::measure(4).expect("four"));
        assert!(load("", KENT).expect("loads").campaign.scale.is_count());
        assert_eq!(
            errors(load("measure = { decimals = 12 }", KENT)),
            ["campaign.toml:2: [measure] decimals = 12 must lie between 1 and 9 (whole counts need no [measure])"]
        );
        let e = errors(load("measure = { decimals = 4, symbol = \"£\" }", KENT));
        assert!(e[0].contains("unknown field `symbol`"), "{e:?}");
        // Counting rows makes whole numbers: not a measure's figures.
        let rows = format!("{KENT}\n[[table]]\nheader = 'Date'\nshape = \"records\"\nrequest = \"y1\"\ncolumn = [{{ header = 'Date', role = \"date\" }}]\n");
        let e = errors(load("measure = { decimals = 2 }", &rows));
        assert!(
            e[0].starts_with("responses/r.toml:8: shape = \"records\" counts rows"),
            "{e:?}"
        );
    }

    #[test]
    fn a_heading_column_heads_a_label_column() {
        let table = |columns: &str| {
            format!("{KENT}\n[[table]]\nheader = 'Offence'\nrequest = \"y1\"\ncolumn = [\n{columns}\n]\n")
        };
        let good = table(
            "{ header = 'Group', role = \"heading\" },\n{ header = 'Offence', role = \"label\", dim = \"offence\" },\n{ header = 'N', role = \"value\" },",
        );
        assert!(load("", &good).is_ok(), "{:?}", load("", &good).err());
        let alone =
            table("{ header = 'Group', role = \"heading\" },\n{ header = 'N', role = \"value\" },");
        assert_eq!(
            errors(load("", &alone)),
            ["responses/r.toml:10: a table takes one heading column, beside a label column it heads"]
        );
        let with_request = table(
            "{ header = 'Group', role = \"heading\", request = \"y2\" },\n{ header = 'Offence', role = \"label\", dim = \"offence\" },",
        );
        assert_eq!(
            errors(load("", &with_request)),
            ["responses/r.toml:10: a Heading column takes no request"]
        );
    }

    #[test]
    fn a_campaign_lists_the_forces_it_asked() {
        let all = load("", KENT).expect("loads");
        assert_eq!(all.campaign.asked, None);
        assert!(all.campaign.asks(&ForceId("btp".into())));
        let t = load("forces = \"territorial\"", KENT).expect("loads");
        assert_eq!(
            t.campaign.asked,
            Some([ForceId("essex".into()), ForceId("kent".into())].into())
        );
        assert!(!t.campaign.asks(&ForceId("btp".into())));
        let one = load("forces = [\"Kent Police\"]", KENT).expect("loads");
        assert_eq!(one.campaign.asked, Some([ForceId("kent".into())].into()));
        assert_eq!(
            errors(load("forces = [\"Kent\", \"Wessex\"]", KENT)),
            ["campaign.toml:2: unknown force \"Wessex\" (see config/reference/forces.csv)"]
        );
        assert!(errors(load("forces = \"some\"", KENT))[0]
            .starts_with("campaign.toml:2: forces = \"some\": write \"all\""));
        assert!(errors(load("forces = []", KENT))[0].contains("asks at least one force"));
        // A reply from a force the campaign did not ask is a mistake.
        assert_eq!(
            errors(load("forces = [\"essex\"]", KENT)),
            ["responses/r.toml:1: kent is not among the forces campaign c asked (`forces` in its campaign.toml)"]
        );
    }

    const GRID: &str = r#"
[[manual_table]]
page = 2
dims = ["offence"]
columns = ["y1", "y2"]
rows = [
  ["Offence a", "1", 0],
  ["Offence b", "<5", "3"],
  ["Total", "6", "3"],
]

[[manual_table]]
page = 3
request = "y2"
dims = ["offence"]
columns = [{ age = "Under 13" }, { age = "13", request = "y1" }, { age = "All ages" }]
total = '(?i)^(total|all ages)$'
rows = [
  ["Offence a", "2", "1", "2"],
  ["", "2", "1", "2"],
]
"#;

    #[test]
    fn a_grid_is_its_entries() {
        let c = load("", &format!("{KENT}{GRID}")).expect("loads");
        let got: Vec<String> = c.responses[0]
            .manual
            .iter()
            .map(|m| {
                let dims: Vec<String> = m.dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(
                    "{}: {} p{} [{}] {:?}",
                    m.at,
                    m.request,
                    m.page,
                    dims.join(","),
                    m.count
                )
            })
            .collect();
        let want = [
            "responses/r.toml:11: y1 p2 [offence=Offence a] \"1\"",
            "responses/r.toml:11: y2 p2 [offence=Offence a] \"0\"",
            "responses/r.toml:12: y1 p2 [offence=Offence b] \"<5\"",
            "responses/r.toml:12: y2 p2 [offence=Offence b] \"3\"",
            "responses/r.toml:13: y1 p2 [] \"6\"",
            "responses/r.toml:13: y2 p2 [] \"3\"",
            "responses/r.toml:23: y2 p3 [age=Under 13,offence=Offence a] \"2\"",
            "responses/r.toml:23: y1 p3 [age=13,offence=Offence a] \"1\"",
            "responses/r.toml:23: y2 p3 [offence=Offence a] \"2\"",
            "responses/r.toml:24: y2 p3 [age=Under 13] \"2\"",
            "responses/r.toml:24: y1 p3 [age=13] \"1\"",
            "responses/r.toml:24: y2 p3 [] \"2\"",
        ];
        assert_eq!(got, want);
        // A plain entry says its line too.
        let plain = format!("{KENT}\n[[manual]]\nrequest = \"y1\"\npage = 1\ncount = \"4\"\n");
        let c = load("", &plain).expect("loads");
        assert_eq!(c.responses[0].manual[0].at, "responses/r.toml:6");
    }

    #[test]
    fn a_grid_is_checked_on_load_at_its_lines() {
        let bad = |grid: &str| errors(load("", &format!("{KENT}{grid}")));
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\ndims = [\"offence\"]\ncolumns = [\"y1\", \"y2\"]\nrows = [\n  [\"Offence a\", \"1\", \"2\"],\n  [\"Offence b\", \"1\"],\n]\n"),
            ["responses/r.toml:12: this row has 2 cells, but 1 label (offence) and 2 counts make 3"]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\ndims = [\"crime\"]\nrequest = \"y1\"\nrows = [[\"x\", \"1\"]]\n"),
            ["responses/r.toml:8: unknown dimension \"crime\""]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\ndims = [\"offence\"]\nrows = [[\"x\", \"1\"]]\n"),
            ["responses/r.toml:6: this response answers several requests: say which each column holds (`request = \"…\"`, or `columns = [\"<request>\", …]`)"]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\ndims = [\"offence\"]\ncolumns = [\"y1\", \"y3\"]\nrows = [[\"x\", \"1\", \"2\"]]\n"),
            ["responses/r.toml:9: request \"y3\" is not among the response's requests"]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\nrequest = \"y1\"\ndims = [\"offence\"]\nrows = [\n  [\"x\", \"\"],\n]\n"),
            ["responses/r.toml:11: count 1 of this row is empty: write the figure as printed (\"0\", \"-\", \"*\")"]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\nrequest = \"y1\"\ndims = [\"offence\"]\ncolumns = [{ offence = \"a\" }]\nrows = [[\"x\", \"1\"]]\n"),
            ["responses/r.toml:10: offence is given by the rows' labels and by a column"]
        );
        assert_eq!(
            bad("\n[[manual_table]]\npage = 2\nrequest = \"y1\"\nrows = [[true]]\n"),
            ["responses/r.toml:9: cell 1 of this row is neither text nor a number"]
        );
    }

    #[test]
    fn age_labels() {
        let cases = [
            ("13", "13"),
            ("13 yrs", "13"),
            ("Aged 4", "4"),
            ("10-12", "10-12"),
            ("10 to 12", "10-12"),
            ("Under 10", "0-9"),
            ("9 and under", "0-9"),
            ("10 and under", "0-10"),
            ("16 and over", "16+"),
            ("18+", "18+"),
            ("Not known", "unknown"),
            ("<10", "0-9"),
            ("< 10", "0-9"),
            ("<=9", "0-9"),
            (">17", "18+"),
            ("Over 15", "16+"),
            ("Aged 10-12", "10-12"),
            ("Ages 13 to 15", "13-15"),
            ("Age unknown", "unknown"),
        ];
        for (label, want) in cases {
            assert_eq!(
                parse_age_label(label).map(|v| v.to_string()).as_deref(),
                Some(want),
                "{label}"
            );
        }
        assert_eq!(parse_age_label("Total"), None);
        assert_eq!(parse_age_label("10 <"), None);
        assert_eq!(parse_age_label("<0"), None);
    }

    #[test]
    fn footnotes_dropped() {
        for (label, want) in [
            ("ENGLAND AND WALES8", "ENGLAND AND WALES"),
            ("fraud4", "fraud"),
            ("Residential burglary6,7", "Residential burglary"),
            ("Humberside [note 4]", "Humberside"),
            ("Total [1]", "Total"),
            ("London10", "London"),
            ("Under 10", "Under 10"),
            ("22B", "22B"),
            ("2016/17", "2016/17"),
            ("[x]", "[x]"),
        ] {
            assert_eq!(strip_footnote_digits(label), want, "{label}");
        }
    }

    #[test]
    fn a_footnote_after_a_space_is_dropped_only_when_the_label_then_maps() {
        assert_eq!(
            strip_spaced_footnote("Stalking and harassment 5"),
            "Stalking and harassment"
        );
        assert_eq!(
            strip_spaced_footnote("Residential burglary 6,7"),
            "Residential burglary"
        );
        assert_eq!(strip_spaced_footnote("Under 5"), "Under 5");
        assert_eq!(strip_spaced_footnote("Aged 5"), "Aged 5");
        assert_eq!(strip_spaced_footnote("10 - 12"), "10 - 12");
        assert_eq!(strip_spaced_footnote("2016 17"), "2016 17");
        assert_eq!(strip_spaced_footnote("Total 123"), "Total 123");
        assert_eq!(
            strip_spaced_footnote("Stalking and harassment\u{2005}5"),
            "Stalking and harassment"
        );
        assert_eq!(strip_spaced_footnote("x\u{2005}"), "x\u{2005}".trim_end());
        let cw = Crosswalk::from_csv(
            "groups.csv",
            "label,value\nStalking and harassment,stalking\n",
            &|_| None,
        )
        .expect("crosswalk");
        let dim = |kind, crosswalk| Dimension {
            id: DimId::new("d"),
            title: "d".into(),
            kind,
            crosswalk,
            domain: BTreeSet::new(),
            codes_in_labels: false,
            derive_from: None,
            overlapping: false,
        };
        let force = ForceId("kent".into());
        let groups = dim(DimKind::Code, Some(cw));
        assert_eq!(
            groups.map("Stalking and harassment 5", &force),
            Ok(DimValue::Code("stalking".into()))
        );
        assert!(groups.map("Robbery 5", &force).is_err());
        let ages = dim(DimKind::Age, None);
        assert_eq!(
            ages.map("Under 5", &force),
            Ok(DimValue::AgeBand { lo: 0, hi: Some(4) })
        );
        assert_eq!(ages.map("Aged 5", &force), Ok(DimValue::Age(5)));
    }

    #[test]
    fn codes_in_labels() {
        let domain: BTreeSet<String> = ["1", "13", "19E", "19H", "21", "22B", "88A", "71"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let f = |l: &str| find_code_in_label(l, &domain);
        assert_eq!(f("22B").as_deref(), Some("22B"));
        assert_eq!(f("022/B").as_deref(), Some("22B"));
        assert_eq!(f("Sexual grooming 88A").as_deref(), Some("88A"));
        assert_eq!(
            f("71 Abuse of children through sexual exploitation").as_deref(),
            Some("71")
        );
        assert_eq!(f("Sexual assault on a female child under 13"), None);
        assert_eq!(
            f("Sexual activity with a child (22B)").as_deref(),
            Some("22B")
        );
        assert_eq!(
            f("Sexual activity with a child under 13 (21)").as_deref(),
            Some("21")
        );
        // "4/4" (death by dangerous driving) is not 44 (pedal cycle theft).
        let domain: BTreeSet<String> = ["44", "4/4"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            find_code_in_label("(4/4) Death by dangerous driving", &domain),
            None
        );
        assert_eq!(
            find_code_in_label("4/4 Death by dangerous driving", &domain),
            None
        );
        // Two categories in one figure: neither.
        assert_eq!(
            f("Rape of a female or male child under 13 (19E & 19H)"),
            None
        );
        assert_eq!(f("22B and 88A combined"), None);
        // The same code twice is one.
        assert_eq!(f("22B Sexual activity (22B)").as_deref(), Some("22B"));
        // A date's day is no code.
        assert_eq!(f("1 July 2015 - 30 June 2016"), None);
        assert_eq!(f("13 Mar 2017"), None);
        // An age is no code.
        for age in [
            "13 and over",
            "13 to 15",
            "13-15",
            "13 - 15",
            "13 years",
            "1 yr",
        ] {
            assert_eq!(f(age), None, "{age}");
        }
        assert_eq!(f("13 Child abduction").as_deref(), Some("13"));
    }
}
