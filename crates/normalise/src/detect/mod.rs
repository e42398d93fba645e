//! Reading a response without being told its layout: finding each table
//! on each sheet and proposing its layout in the config language's own
//! terms ([`TableDef`]), with a confidence and the reasons for it.
//!
//! By content, never by position: which rows hold figures and which head
//! them (`blocks`), what each column holds and what the campaign makes of
//! it (`columns`: labels its crosswalks, age rules or offence reference
//! map, ages, months and requests as headers, dates, forces, a flag), and
//! which request a table answers, from its headers, its titles and its
//! sheet's name (`period`). A proposal is then read back through the
//! config language and `table.rs`, and must select exactly the rows and
//! columns detection saw; anything that does not fit is said as
//! uncertain, and an uncertain detection is refused, never guessed: a
//! refusal with a proposal costs a researcher a minute, a wrong figure
//! costs the dataset.
//!
//! Pure, like the rest of normalise: grids and config in, a proposal out.

mod blocks;
mod cells;
mod columns;
mod doubts;
mod headers;
mod notes;
pub mod period;
mod render;
mod rows;

pub use render::{plain as toml_string, render};

use crate::grid::Sheet;
use crate::value::Suppression;
use blocks::Grid;
use foi_model::config::{Campaign, DimKind, Response, TableDef};
use foi_model::{CellRef, DimValue, ForceId, Forces, Period, Place};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cell::RefCell;

/// Below this, a table's detection is not trusted: the response is
/// refused with the proposal.
pub const THRESHOLD: f64 = 0.7;

/// What detection found in a file.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// Sheet by sheet: what was found and what was passed over, and why.
    pub sheets: Vec<SheetFinding>,
    /// The tables to read, in the order of the sheets.
    pub tables: Vec<Proposal>,
    /// Why the detection cannot be trusted; empty when it can.
    pub uncertain: Vec<String>,
    /// The lowest confidence of its tables (0 with none).
    pub confidence: f64,
    /// The proposed layout in the config language (`[[table]]`s).
    pub layout: String,
}

impl Detection {
    /// Whether the proposal may be read without a person looking at it.
    pub fn trusted(&self) -> bool {
        self.uncertain.is_empty() && !self.tables.is_empty() && self.confidence >= THRESHOLD
    }
}

/// One sheet: its name, and what detection made of it.
#[derive(Debug, Clone, Serialize)]
pub struct SheetFinding {
    pub name: Option<String>,
    pub visible: bool,
    /// Tables passed over, and why ("not counts", "hidden").
    pub notes: Vec<String>,
}

/// One table found, and the layout proposed for it.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub sheet: Option<String>,
    /// "A4:K18" in a workbook, "lines 4 to 18" in a text file.
    pub range: String,
    /// Header rows, as a person numbers them (1-based).
    pub header_rows: Vec<usize>,
    pub first_row: usize,
    pub last_row: usize,
    pub shape: &'static str,
    /// The request the table answers, when one.
    pub request: Option<String>,
    pub columns: Vec<ColumnFinding>,
    /// Rows read in a particular way: totals, aggregates, rows left out.
    pub rows: Vec<String>,
    pub confidence: f64,
    /// The evidence for the proposal.
    pub reasons: Vec<String>,
    /// What is uncertain; the proposal is refused when anything is.
    pub uncertain: Vec<String>,
    /// The `[[table]]` in the config language.
    pub toml: String,
    #[serde(skip)]
    pub def: Option<TableDef>,
    /// Data rows (0-based), for checking the proposal reads them.
    #[serde(skip)]
    pub data_rows: Vec<usize>,
    #[serde(skip)]
    pub sheet_index: usize,
    #[serde(skip)]
    pub header_row: usize,
    /// Sheet column -> index into the layout's columns.
    #[serde(skip)]
    pub roles: std::collections::BTreeMap<usize, usize>,
    /// Columns of counts for a period no request of the response covers
    /// (column, header, period): left unread.
    #[serde(skip)]
    pub other_periods: Vec<(String, String, Period)>,
}

/// One column of a table and the part it plays.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnFinding {
    /// "B" in a workbook, "field 2" in a text file.
    pub column: String,
    pub header: String,
    /// The role, as the config language writes it ("label offence",
    /// "by_header victim_age", "value fy-2016-17", "ignore").
    pub role: String,
    pub evidence: String,
}

/// What detection needs besides the grids.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub campaign: &'a Campaign,
    pub forces: &'a Forces,
    pub response: &'a Response,
}

/// Labels mapped the way reading maps them, remembered.
pub struct Mapper<'a> {
    pub campaign: &'a Campaign,
    pub forces: &'a Forces,
    /// Whose crosswalk lines apply: the response's force, or every force.
    pub force: ForceId,
    /// A source answering for many forces: force columns are looked for.
    pub national: bool,
    /// By dimension: each label mapped so far (a sheet of one row per crime
    /// repeats a few hundred labels).
    memo: RefCell<Vec<FxHashMap<String, Option<DimValue>>>>,
}

impl<'a> Mapper<'a> {
    pub fn new(ctx: &Context<'a>) -> Self {
        Mapper {
            campaign: ctx.campaign,
            forces: ctx.forces,
            force: ctx
                .response
                .force
                .clone()
                .unwrap_or_else(|| ForceId("all forces".into())),
            national: ctx.response.force.is_none(),
            memo: RefCell::default(),
        }
    }
    /// The dimensions a response can state (not derived ones), by index.
    pub fn dims(&self) -> impl Iterator<Item = usize> + '_ {
        self.campaign
            .dimensions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.derive_from.is_none())
            .map(|(i, _)| i)
    }
    pub fn map(&self, dim: usize, text: &str) -> Option<DimValue> {
        if let Some(v) = self.memo.borrow().get(dim).and_then(|m| m.get(text)) {
            return v.clone();
        }
        let v = self
            .campaign
            .dimensions
            .get(dim)
            .and_then(|d| d.map(text, &self.force).ok());
        let mut memo = self.memo.borrow_mut();
        if memo.len() <= dim {
            memo.resize_with(dim + 1, Default::default);
        }
        memo[dim].insert(text.to_string(), v.clone());
        v
    }
    /// Whether a row label is something the campaign knows: a value of a
    /// dimension with a fixed meaning (not free text), or a place.
    pub fn knows(&self, text: &str) -> bool {
        let t = text.trim();
        if t.is_empty() {
            return false;
        }
        if self
            .dims()
            .any(|d| self.campaign.dimensions[d].kind != DimKind::Text && self.map(d, t).is_some())
        {
            return true;
        }
        self.national && !matches!(self.forces.place(t), Place::Unknown)
    }
}

/// How a person finds a cell ("C14", "line 14, field 3").
pub(crate) fn at(sheet: &Sheet, r: usize, c: usize) -> String {
    crate::place(sheet, CellRef::new(r as u32, c as u32))
}

/// How a person names a column ("C", "field 3").
pub(crate) fn column_name(sheet: &Sheet, c: usize) -> String {
    if sheet.name.is_some() {
        let a1 = CellRef::new(0, c as u32).a1();
        a1.trim_end_matches(|ch: char| ch.is_ascii_digit())
            .to_string()
    } else {
        format!("field {}", c + 1)
    }
}

/// A row as a person numbers it.
pub(crate) fn row_name(sheet: &Sheet, r: usize) -> String {
    if sheet.name.is_some() {
        format!("row {}", r + 1)
    } else {
        format!("line {}", r + 1)
    }
}

/// The requests of the response and the period each covers (the
/// response's own period where it answered another).
pub(crate) fn request_periods(ctx: &Context) -> Vec<(String, Period)> {
    ctx.response
        .requests
        .iter()
        .filter_map(|r| {
            let p = ctx
                .response
                .period
                .or_else(|| ctx.campaign.request(r).map(|q| q.period))?;
            Some((r.clone(), p))
        })
        .collect()
}

/// Finds every table on the visible sheets and proposes its layout.
pub fn detect(sheets: &[Sheet], ctx: &Context) -> Detection {
    let mapper = Mapper::new(ctx);
    let sup = Suppression {
        zeros: ctx.response.zeros,
        threshold: ctx.response.threshold,
        markers: ctx.campaign.markers.as_ref(),
        // Detection looks for whole counts (fractions are rates): a
        // measure's table is laid out by hand, and read at its scale.
        scale: foi_model::Scale::COUNT,
    };
    let visible = sheets.iter().filter(|s| s.visible).count();
    let mut findings = Vec::new();
    let mut tables: Vec<Proposal> = Vec::new();
    let mut passed: Vec<(usize, blocks::Block, String)> = Vec::new();
    for (si, sheet) in sheets.iter().enumerate() {
        let mut finding = SheetFinding {
            name: sheet.name.clone(),
            visible: sheet.visible,
            notes: Vec::new(),
        };
        if !sheet.visible {
            finding
                .notes
                .push("hidden: never read (a force hides what it chose not to show)".into());
            findings.push(finding);
            continue;
        }
        let grid = Grid::new(sheet, &sup);
        let found = blocks::blocks(&grid, &mapper);
        if found.is_empty() {
            finding
                .notes
                .push(if grid.kinds.iter().all(|r| r.is_empty()) {
                    "empty".into()
                } else {
                    "no table of figures: no rows of counts or dates".into()
                });
        }
        let sheet_titles: Vec<String> = found
            .first()
            .map(|b| {
                b.titles
                    .iter()
                    .filter(|(_, adjacent)| !adjacent)
                    .map(|(r, _)| row_text(&grid, *r))
                    .collect()
            })
            .unwrap_or_default();
        for (bi, block) in found.iter().enumerate() {
            let place = columns::Place {
                sheet_index: si,
                block_index: bi,
                sheet_titles: &sheet_titles,
                named_sheet: visible > 1,
            };
            match columns::analyse(&grid, block, &mapper, ctx, &place) {
                columns::Outcome::Passed(why) => {
                    finding
                        .notes
                        .push(format!("{}: passed over: {why}", block_range(&grid, block)));
                    passed.push((si, block.clone(), block_range(&grid, block)));
                }
                columns::Outcome::Table(p) => tables.push(*p),
            }
        }
        findings.push(finding);
    }
    // Figures just below a table, in its columns, that were passed over:
    // the table may have been cut short (its last rows, its total row), so
    // the table read is in doubt.
    for p in &mut tables {
        let Some(sheet) = sheets.get(p.sheet_index) else {
            continue;
        };
        let last = p.data_rows.last().copied().unwrap_or(p.header_row);
        for (si, block, range) in &passed {
            let first = block.header.first().copied().unwrap_or(block.rows[0]);
            let columns_shared = block.rows.iter().any(|&r| {
                p.roles.keys().any(|&c| {
                    c != block.label_col
                        && matches!(
                            crate::value::parse_count(
                                sheet.cell(r, c),
                                &Suppression {
                                    zeros: ctx.response.zeros,
                                    threshold: ctx.response.threshold,
                                    markers: ctx.campaign.markers.as_ref(),
                                    scale: foi_model::Scale::COUNT,
                                },
                            ),
                            crate::value::Parsed::Count(_)
                        )
                })
            });
            if *si == p.sheet_index && first > last && first <= last + 3 && columns_shared {
                p.uncertain.push(format!(
                    "rows just below it ({range}) hold figures in its columns but were not read: the table may be cut short"
                ));
            }
        }
    }
    for p in &mut tables {
        if let (Some(def), Some(sheet)) = (&p.def, sheets.get(p.sheet_index)) {
            if let Err(why) = check(sheet, def, p, ctx) {
                p.uncertain.push(why);
            }
            if def.shape == foi_model::config::Shape::Records {
                let doubts = one_row_per_crime(sheet, def, p, ctx);
                p.uncertain.extend(doubts);
            }
        }
    }
    let mut uncertain: Vec<String> = unanswered_beside_other_periods(&tables, ctx);
    for p in &tables {
        for u in &p.uncertain {
            uncertain.push(format!("{} {}: {u}", sheet_label(&p.sheet), p.range));
        }
        if p.uncertain.is_empty() && p.confidence < THRESHOLD {
            uncertain.push(format!(
                "{} {}: confidence {:.2} is below {THRESHOLD}",
                sheet_label(&p.sheet),
                p.range,
                p.confidence
            ));
        }
    }
    if tables.is_empty() {
        uncertain.push(
            "no table of figures the campaign's requests and dimensions explain was found".into(),
        );
    }
    let confidence = tables
        .iter()
        .map(|p| p.confidence)
        .fold(None, |a: Option<f64>, c| Some(a.map_or(c, |a| a.min(c))))
        .unwrap_or(0.0);
    let defs: Vec<TableDef> = tables.iter().filter_map(|p| p.def.clone()).collect();
    Detection {
        sheets: findings,
        layout: render(&defs),
        tables,
        uncertain,
        confidence,
    }
}

/// A request no table answers, beside a column of counts for a period no
/// request covers: the force may have answered that request for another
/// period ("2015/16", the financial year, for the twelve months to June
/// 2016), or may not have answered it. Only a person can tell; reading the
/// rest would say the request has no figures, which may be false.
fn unanswered_beside_other_periods(tables: &[Proposal], ctx: &Context) -> Vec<String> {
    use foi_model::config::Shape;
    let mut answered = std::collections::BTreeSet::new();
    for p in tables {
        let Some(def) = &p.def else { continue };
        let named: Vec<&String> = def
            .request
            .iter()
            .chain(def.requests.values())
            .chain(def.columns.iter().filter_map(|c| c.request.as_ref()))
            .collect();
        // Counted rows answer whatever their dates cover; a table naming
        // no request answers the response's only one.
        if def.shape == Shape::Records || named.is_empty() {
            return Vec::new();
        }
        answered.extend(named.into_iter().cloned());
    }
    let requests = request_periods(ctx);
    let unanswered: Vec<&(String, Period)> = requests
        .iter()
        .filter(|(r, _)| !answered.contains(r))
        .collect();
    let mut out = Vec::new();
    for (r, rp) in unanswered {
        for p in tables {
            for (col, header, op) in &p.other_periods {
                out.push(format!(
                    "no table or column answers request {r} ({} to {}), and column {col} ({header:?}) of {} {} holds counts for {} to {}: if the force answered {r} for that period, write this response's layout by hand (a response of its own with `period`); if it did not answer {r}, pin the proposal below",
                    rp.from,
                    rp.to,
                    sheet_label(&p.sheet),
                    p.range,
                    op.from,
                    op.to
                ));
            }
        }
    }
    out
}

fn sheet_label(name: &Option<String>) -> String {
    match name {
        Some(n) => format!("sheet {n:?}"),
        None => "the file".into(),
    }
}

/// A row's cells, joined, for titles and messages.
pub(crate) fn row_text(g: &Grid, r: usize) -> String {
    g.filled(r)
        .into_iter()
        .map(|c| g.text(r, c))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a block lies, as a person reads it.
pub(crate) fn block_range(g: &Grid, b: &blocks::Block) -> String {
    let top = b.header.first().copied().unwrap_or(b.rows[0]);
    let bottom = *b.rows.last().unwrap_or(&top);
    range(g.sheet, top, bottom, &b.columns)
}

pub(crate) fn range(sheet: &Sheet, top: usize, bottom: usize, cols: &[usize]) -> String {
    let (lo, hi) = (
        cols.first().copied().unwrap_or(0),
        cols.last().copied().unwrap_or(0),
    );
    if sheet.name.is_some() {
        format!("{}:{}", at(sheet, top, lo), at(sheet, bottom, hi))
    } else {
        format!("lines {} to {}", top + 1, bottom + 1)
    }
}

/// Counting rows is right only when each row is one crime. Two things a
/// layout that ignores a column would miss, each a doubt:
/// - a column of references (crime numbers) that repeats: the same crime
///   listed twice, as in a pivot's source built from overlapping extracts;
/// - a column naming periods that either names the campaign's requests or
///   disagrees with a row's own date: the rows are grouped by extract or
///   by request, which a count by date alone cannot tell apart.
fn one_row_per_crime(sheet: &Sheet, def: &TableDef, p: &Proposal, ctx: &Context) -> Vec<String> {
    use foi_model::config::Role;
    let reference_header = regex::Regex::new(
        r"(?i)\b(ref|reference|urn|crime\s*(no|num|number|id)|occurrence|incident\s*(no|num|number|id)|case\s*(no|number|id)|id)\b",
    )
    .ok();
    let date_col = p
        .roles
        .iter()
        .find(|(_, &i)| def.columns.get(i).is_some_and(|d| d.role == Role::Date))
        .map(|(&c, _)| c);
    let requests = request_periods(ctx);
    let mut doubts = Vec::new();
    for (&c, &i) in &p.roles {
        if def.columns.get(i).is_none_or(|d| d.role != Role::Ignore) {
            continue;
        }
        let shown = sheet
            .cell(p.header_row, c)
            .text()
            .chars()
            .take(40)
            .collect::<String>();
        let values: Vec<(usize, String)> = p
            .data_rows
            .iter()
            .map(|&r| (r, sheet.cell(r, c).text()))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        if values.len() < 5 {
            continue;
        }
        let looks_like_reference = |t: &str| {
            t.chars().count() >= 4
                && t.chars().any(|ch| ch.is_ascii_digit())
                && !t.contains(' ')
                && crate::table::parse_date(&crate::grid::Cell::text_cell(t)).is_none()
        };
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        let mut repeats = Vec::new();
        for (r, t) in &values {
            if let Some(&first) = seen.get(t.as_str()) {
                repeats.push((first, *r, t.as_str()));
            } else {
                seen.insert(t.as_str(), *r);
            }
        }
        let reference = reference_header
            .as_ref()
            .is_some_and(|re| re.is_match(&shown))
            || (values
                .iter()
                .filter(|(_, t)| looks_like_reference(t))
                .count()
                * 10
                >= values.len() * 9
                && seen.len() * 5 >= values.len() * 4);
        if reference && !repeats.is_empty() {
            let (first, again, t) = repeats[0];
            doubts.push(format!(
                "column {} ({shown:?}) looks like crime references, and {} of them repeat ({t:?} at {} and {}): the rows are not one per crime (the same crime listed twice?), so counting them would count some twice",
                column_name(sheet, c),
                repeats.len(),
                at(sheet, first, c),
                at(sheet, again, c)
            ));
            continue;
        }
        // A column of periods.
        let named: Vec<(usize, Period)> = values
            .iter()
            .filter_map(|(r, t)| {
                let found = period::periods(t);
                (found.len() == 1).then(|| (*r, found[0].period))
            })
            .collect();
        if named.len() * 2 < values.len() {
            continue;
        }
        let names_a_request = named
            .iter()
            .any(|(_, np)| requests.iter().any(|(_, rp)| rp == np));
        let against_date = date_col.and_then(|dc| {
            named.iter().find_map(|(r, np)| {
                let d = crate::table::parse_date(sheet.cell(*r, dc))?;
                (!np.contains(d)).then_some(*r)
            })
        });
        if names_a_request || against_date.is_some() {
            doubts.push(format!(
                "column {} ({shown:?}) names periods ({:?}{}): the rows may be grouped by extract or by request, which counting by date alone cannot tell apart",
                column_name(sheet, c),
                values[0].1,
                match against_date {
                    Some(r) => format!(
                        "; {} is dated outside the period its row names",
                        at(sheet, r, date_col.unwrap_or(c))
                    ),
                    None => ", a request's period".to_string(),
                }
            ));
        }
    }
    doubts
}

/// Reads the proposal back through the config language and `table.rs`:
/// it must find the header where detection did, give each column the
/// part detection gave it, and read exactly the data rows detection saw.
fn check(sheet: &Sheet, def: &TableDef, p: &Proposal, ctx: &Context) -> Result<(), String> {
    let text = render(std::slice::from_ref(def));
    let tables = foi_model::config::resolve_layout(ctx.campaign, ctx.response, "layout", &text)
        .map_err(|e| format!("the proposal is not valid config: {e}"))?;
    let table = tables.first().ok_or("the proposal holds no table")?;
    let loc = crate::table::find(sheet, table).map_err(|e| match e {
        crate::table::NotFound::Header => {
            format!("the header pattern {:?} finds no row", def.header)
        }
        crate::table::NotFound::Column(pat, _) => {
            format!("no column header matches {pat:?}")
        }
    })?;
    if loc.header_row != p.header_row {
        return Err(format!(
            "the header pattern {:?} finds {} rather than {}",
            def.header,
            row_name(sheet, loc.header_row),
            row_name(sheet, p.header_row)
        ));
    }
    let rows = crate::table::data_rows(sheet, table, &loc);
    if rows != p.data_rows {
        let first_diff = rows
            .iter()
            .zip(&p.data_rows)
            .find(|(a, b)| a != b)
            .map(|(a, _)| *a)
            .or_else(|| rows.get(p.data_rows.len()).copied())
            .or_else(|| p.data_rows.get(rows.len()).copied());
        return Err(format!(
            "read through the layout, the table's rows differ from those found (from {})",
            first_diff.map_or("the start".into(), |r| row_name(sheet, r))
        ));
    }
    // A column that holds nothing in the table's rows may take a part that
    // reads nothing from it (a spacer under a merged heading).
    let harmless = |c: usize| {
        p.data_rows.iter().all(|&r| sheet.cell(r, c).is_empty())
            && loc.roles.get(&c).is_none_or(|&i| {
                def.columns.get(i).is_some_and(|d| {
                    matches!(
                        d.role,
                        foi_model::config::Role::Total
                            | foi_model::config::Role::Value
                            | foi_model::config::Role::Ignore
                    )
                })
            })
    };
    let differs = loc
        .roles
        .keys()
        .chain(p.roles.keys())
        .find(|&&c| loc.roles.get(&c) != p.roles.get(&c) && !harmless(c))
        .copied();
    if let Some(differs) = differs {
        return Err(format!(
            "read through the layout, column {} ({:?}) plays another part than the one found",
            column_name(sheet, differs),
            loc.headers.get(differs).cloned().unwrap_or_default()
        ));
    }
    Ok(())
}
