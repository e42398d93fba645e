//! Finding a configured table in a sheet and reading its figures, by
//! content (header text, label text), never by fixed row numbers.

use crate::grid::{Cell, Sheet};
use crate::heading;
use crate::value::{parse_count, qualifier, Parsed};
use crate::{Ctx, Raw, TableRow};
use chrono::{Datelike, NaiveDate};
use foi_model::config::{Blank, NameRule, Role, Shape, Stop, Table};
use foi_model::{
    CellRef, DiagnosticKind as Kind, DimId, DimValue, Fit, ForceId, Interval, Month, Period, Place,
    Severity,
};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A cell as a hash key: what it holds, borrowed. Record-level tables
/// repeat the same few hundred labels, dates and ages on every row, so
/// work done for one cell's value is kept for the next with the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CellKey<'s> {
    Empty,
    Text(&'s str),
    Number(u64),
    Date(NaiveDate),
    Error(&'s str),
}

impl<'s> CellKey<'s> {
    fn of(cell: &'s Cell) -> Self {
        match cell {
            Cell::Empty => CellKey::Empty,
            Cell::Text(t) => CellKey::Text(t),
            Cell::Number(n) => CellKey::Number(n.to_bits()),
            Cell::Date(d) => CellKey::Date(*d),
            Cell::Error(e) => CellKey::Error(e),
        }
    }
}

/// A located table: where its header ends and which column plays which part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub header_row: usize,
    pub first_data_row: usize,
    pub headers: Vec<String>,
    /// Column index -> index into `table.columns`.
    pub roles: BTreeMap<usize, usize>,
    /// The column `where` looks at.
    pub filter_col: Option<usize>,
}

/// Why a configured table could not be located on a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotFound {
    /// No row has a cell matching the table's `header`.
    Header,
    /// The header row has no column matching this column's (or `where`'s)
    /// pattern: the pattern, and the row.
    Column(String, usize),
}

/// A cell's text with every run of white space (line breaks in a header
/// cell included) as one space: how header patterns see it. Borrowed when
/// the text already is (every data row is checked for a header).
pub(crate) fn flat(text: &str) -> Cow<'_, str> {
    let mut space = true; // at the start, as after a space
    for c in text.chars() {
        if c.is_whitespace() {
            if c != ' ' || space {
                return Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            space = true;
        } else {
            space = false;
        }
    }
    if space && !text.is_empty() {
        // A trailing space.
        return Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Cow::Borrowed(text)
}

fn find_header(sheet: &Sheet, table: &Table, from_row: usize) -> Option<usize> {
    let mut seen = 0;
    for r in from_row..sheet.rows.len() {
        if sheet.rows[r]
            .iter()
            .any(|c| !c.is_empty() && table.header.is_match(&flat(&c.text_cow())))
        {
            seen += 1;
            if seen == table.occurrence {
                return Some(r);
            }
        }
    }
    None
}

/// Joins a multi-row header; an empty cell in an upper row takes the text
/// to its left, as a merged cell spanning those columns would show.
pub(crate) fn header_texts(sheet: &Sheet, first: usize, rows: usize) -> Vec<String> {
    let width = sheet.width();
    let mut out = vec![String::new(); width];
    for r in first..first + rows {
        let upper = r + 1 < first + rows;
        let mut carry = String::new();
        for (c, slot) in out.iter_mut().enumerate() {
            let mut t = sheet.cell(r, c).text();
            if t.is_empty() && upper {
                t = carry.clone();
            } else if upper {
                carry = t.clone();
            }
            if !t.is_empty() {
                if !slot.is_empty() {
                    slot.push(' ');
                }
                slot.push_str(&t);
            }
        }
    }
    out.iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// What foi read at the top of a sheet, for an error that says no header
/// matched: the first few non-empty rows, each cut short; `None` when the
/// sheet holds nothing. So the reader sees at once whether the pattern or
/// the file is at fault.
fn first_rows(sheet: &Sheet) -> Option<String> {
    const ROWS: usize = 5;
    const CHARS: usize = 80;
    let shown: Vec<String> = (0..sheet.rows.len())
        .filter(|&r| !sheet.row_is_blank(r))
        .take(ROWS)
        .map(|r| {
            let text = sheet.rows[r]
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| format!("{:?}", flat(&c.text_cow())))
                .collect::<Vec<_>>()
                .join(", ");
            let text = match text.char_indices().nth(CHARS) {
                Some((i, _)) => format!("{}…", &text[..i]),
                None => text,
            };
            let at = if sheet.name.is_some() { "row" } else { "line" };
            format!("{at} {}: {text}", r + 1)
        })
        .collect();
    (!shown.is_empty()).then(|| shown.join(" | "))
}

/// Where `table` is on `sheet`, and which column plays which part: by the
/// header's text alone. An empty header cell is matched only by a column
/// whose pattern is `^$` (a label column the force left unheaded), and
/// only when the column holds something in the table's rows.
pub(crate) fn find(sheet: &Sheet, table: &Table) -> Result<Located, NotFound> {
    let header_row = find_header(sheet, table, 0).ok_or(NotFound::Header)?;
    let headers = header_texts(sheet, header_row, table.header_rows);
    let mut roles = BTreeMap::new();
    for (c, h) in headers.iter().enumerate() {
        let found = if h.is_empty() {
            table
                .columns
                .iter()
                .position(|col| col.header.as_str() == "^$")
        } else {
            table.columns.iter().position(|col| col.header.is_match(h))
        };
        if let Some(i) = found {
            roles.insert(c, i);
        }
    }
    for (i, col) in table.columns.iter().enumerate() {
        let needed = matches!(
            col.role,
            Role::Label | Role::Value | Role::Date | Role::Force
        );
        if needed && col.header.as_str() != "^$" && !roles.values().any(|&j| j == i) {
            return Err(NotFound::Column(
                col.header.as_str().to_string(),
                header_row,
            ));
        }
    }
    let filter_col = match &table.filter {
        None => None,
        Some(f) => match headers
            .iter()
            .position(|h| !h.is_empty() && f.column.is_match(h))
        {
            Some(c) => Some(c),
            None => return Err(NotFound::Column(f.column.as_str().to_string(), header_row)),
        },
    };
    let mut loc = Located {
        header_row,
        first_data_row: header_row + table.header_rows,
        headers,
        roles,
        filter_col,
    };
    // Unheaded columns that hold nothing in the table's rows are spacers.
    let unheaded: Vec<usize> = loc
        .roles
        .keys()
        .copied()
        .filter(|&c| loc.headers[c].is_empty())
        .collect();
    if !unheaded.is_empty() {
        let rows = data_rows(sheet, table, &loc);
        for c in unheaded {
            if rows.iter().all(|&r| sheet.cell(r, c).is_empty()) {
                loc.roles.remove(&c);
            }
        }
    }
    Ok(loc)
}

fn locate(sheet: &Sheet, table: &Table, ctx: &mut Ctx) -> Option<Located> {
    match find(sheet, table) {
        Ok(loc) => Some(loc),
        Err(NotFound::Header) => {
            let pattern = format!(
                "no header row matching {:?} (occurrence {}) on this sheet",
                table.header.as_str(),
                table.occurrence
            );
            let (message, hint) = match first_rows(sheet) {
                Some(rows) => (
                    format!("{pattern}; the first non-empty rows foi read: {rows}"),
                    "check the table's `header` pattern against these rows",
                ),
                None => (
                    format!("{pattern}: foi read no cells at all on it"),
                    "the pattern is not at fault: open the file, and if the figures are there, ask the force for a copy saved as xlsx",
                ),
            };
            ctx.error(Kind::Layout, sheet, None, message, Some(hint.into()));
            None
        }
        Err(NotFound::Column(pattern, header_row)) => {
            let headers = header_texts(sheet, header_row, table.header_rows);
            ctx.error(
                Kind::Layout,
                sheet,
                Some(CellRef::new(header_row as u32, 0)),
                format!(
                    "no column header matches {:?} (headers: {})",
                    pattern,
                    headers
                        .iter()
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("{h:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            );
            None
        }
    }
}

/// The rows of the table: from below the header to the stop, without
/// the rows `where` leaves out.
pub(crate) fn data_rows(sheet: &Sheet, table: &Table, loc: &Located) -> Vec<usize> {
    let mut rows = Vec::new();
    // Whether a cell's value matches the header pattern, by value: a
    // million rows hold a few thousand distinct values.
    let mut is_header: FxHashMap<CellKey<'_>, bool> = FxHashMap::default();
    for r in loc.first_data_row..sheet.rows.len() {
        // In a text file, a row with no fields at all is a line inside a
        // quoted field that spans lines (or an empty line the CSV reader
        // skips): not a blank row of the table. ",,," is.
        if sheet.name.is_none() && sheet.rows[r].is_empty() {
            continue;
        }
        let first = sheet.rows[r]
            .iter()
            .find(|c| !c.is_empty())
            .map(Cell::text_cow);
        match (&first, &table.stop) {
            (None, Stop::BlankRow) => break,
            (None, _) => continue,
            (Some(t), Stop::At(stop)) if stop.is_match(t) => break,
            _ => {}
        }
        // Another table's header starts here.
        if r != loc.header_row
            && sheet.rows[r].iter().any(|c| {
                *is_header
                    .entry(CellKey::of(c))
                    .or_insert_with(|| !c.is_empty() && table.header.is_match(&flat(&c.text_cow())))
            })
        {
            break;
        }
        if let (Some(f), Some(c)) = (&table.filter, loc.filter_col) {
            if !f.keeps(&sheet.cell(r, c).text_cow()) {
                continue;
            }
        }
        rows.push(r);
    }
    rows
}

/// Reads a month header: "Jul-15", "July 2015", "2015-07", "07/2015", or a date cell.
pub(crate) fn parse_month(cell: &Cell, text: &str) -> Option<Month> {
    if let Cell::Date(d) = cell {
        return Some(Month {
            year: d.year(),
            month: d.month(),
        });
    }
    let t = text.trim();
    for fmt in [
        "%b-%y", "%b %y", "%B %Y", "%b %Y", "%B-%Y", "%b-%Y", "%Y-%m", "%m/%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("01 {t}"), &format!("%d {fmt}")) {
            return Some(Month {
                year: d.year(),
                month: d.month(),
            });
        }
    }
    None
}

/// Reads a recorded date: a date cell, or text as UK forces write it.
pub fn parse_date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(t) => {
            let t = t.trim();
            // The whole text ("5 July 2015"), else its first word (a date
            // followed by a time).
            let first = t.split_whitespace().next().unwrap_or(t);
            // An ISO 8601 date-time ("2020-07-31T23:08:00+00:00"): its
            // date as written.
            let iso = match first.split_once('T') {
                Some((d, _)) if d.len() == 10 && d.as_bytes().get(4) == Some(&b'-') => d,
                _ => first,
            };
            // chrono's %Y also reads "15" as the year 15, so a format only
            // counts when it gives a year a police record could have.
            [
                "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y",
                "%d-%b-%y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y",
            ]
            .iter()
            .flat_map(|f| [t, first, iso].map(|text| NaiveDate::parse_from_str(text, f).ok()))
            .flatten()
            .find(|d| (1900..=2100).contains(&d.year()))
        }
        _ => None,
    }
}

pub fn read_table(sheet: &Sheet, table: &Table, ctx: &mut Ctx, out: &mut Vec<Raw>) {
    // Nothing of the last table's last row carries over.
    ctx.row_force = None;
    ctx.row_doubt = None;
    let Some(loc) = locate(sheet, table, ctx) else {
        return;
    };
    let rows = data_rows(sheet, table, &loc);
    ctx.shared_names = shared_names(sheet, table, &loc, &rows, ctx);
    match table.shape {
        Shape::Table => read_cells(sheet, table, &loc, &rows, ctx, out),
        Shape::Records => read_records(sheet, table, &loc, &rows, ctx, out),
    }
}

/// The table's force columns, as (layout column, sheet column), in the
/// layout's order.
fn force_columns(table: &Table, loc: &Located) -> Vec<(usize, usize)> {
    let mut cols: Vec<(usize, usize)> = loc
        .roles
        .iter()
        .filter(|(_, &i)| table.columns[i].role == Role::Force)
        .map(|(&c, &i)| (i, c))
        .collect();
    cols.sort_unstable();
    cols
}

/// With `ambiguous_names = "area_then_force"`: for each row whose first
/// force cell holds a name a force and an area share, its place among the
/// table's rows of that name and how many there are (`(0, 2)`: the first
/// of two, the area's). Empty for any other table.
fn shared_names(
    sheet: &Sheet,
    table: &Table,
    loc: &Located,
    rows: &[usize],
    ctx: &Ctx,
) -> BTreeMap<usize, (usize, usize)> {
    if table.ambiguous_names != Some(NameRule::AreaThenForce) {
        return BTreeMap::new();
    }
    let cols = force_columns(table, loc);
    let mut by_force: BTreeMap<ForceId, Vec<usize>> = BTreeMap::new();
    for &r in rows {
        let first = cols
            .iter()
            .map(|&(_, c)| sheet.cell(r, c).text())
            .find(|t| !t.is_empty());
        if let Some(Place::Both(f, _)) = first.as_deref().map(|t| ctx.forces.place(t)) {
            by_force.entry(f.id.clone()).or_default().push(r);
        }
    }
    by_force
        .values()
        .flat_map(|rs| rs.iter().enumerate().map(|(i, &r)| (r, (i, rs.len()))))
        .collect()
}

/// The label columns of a row, mapped, or `None` when the row is to be
/// left out (blank, skipped, or unmapped: the last reported).
enum RowLabels {
    Dims(BTreeMap<DimId, DimValue>),
    Total(BTreeMap<DimId, DimValue>),
    /// A row stating a total over all the source's forces, with its label.
    Aggregate(String, BTreeMap<DimId, DimValue>),
    Skip,
}

/// In a source answering for many forces: whose row this is. Sets
/// `ctx.row_force` (and `ctx.row_doubt` when the row might be an area's);
/// `Err` carries the row's own label when it names no force (a region, a
/// country, "England and Wales").
///
/// Each force cell names a force, an area (config/reference/areas.csv), a
/// name both go by ("West Midlands"), or nothing known. Force columns are
/// read in the order the config lists them, and the first non-empty one
/// decides, unless it holds a name both go by: then the next that names
/// one or the other does (a code column), and failing that the table's
/// `ambiguous_names`. Nothing decides: the row is read as the force's with
/// a doubt, which refuses that force's figures for the request. Never the
/// order of the rows: a region's row above its namesake force's must not
/// become the force's figure. When another force column names a different
/// force, the row is reported.
fn row_force(
    sheet: &Sheet,
    table: &Table,
    loc: &Located,
    r: usize,
    ctx: &mut Ctx,
) -> Result<(), (String, Option<String>)> {
    ctx.row_force = None;
    ctx.row_doubt = None;
    let cols = force_columns(table, loc);
    if cols.is_empty() {
        return Ok(());
    }
    let cells: Vec<(usize, String)> = cols
        .iter()
        .map(|&(_, c)| (c, sheet.cell(r, c).text()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let label = cells
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let forces = ctx.forces;
    let places: Vec<Place<'_>> = cells.iter().map(|(_, t)| forces.place(t)).collect();
    let Some(first) = places.first() else {
        return Err((label, None));
    };
    let at = |c: usize| crate::place(sheet, CellRef::new(r as u32, c as u32));
    let (force, decided_by) = match *first {
        Place::Force(f) => (f, 0),
        Place::Area(a) => return Err((label, Some(a.describe()))),
        Place::Unknown => return Err((label, None)),
        Place::Both(f, area) => {
            let other = places
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, p)| matches!(p, Place::Force(_) | Place::Area(_)));
            match (other, table.ambiguous_names) {
                (Some((i, Place::Force(g))), _) => (*g, i),
                (Some((_, Place::Area(a))), _) => return Err((label, Some(a.describe()))),
                (None, Some(NameRule::Area)) => return Err((label, Some(area.describe()))),
                (_, Some(NameRule::Force)) => (f, 0),
                (None, Some(NameRule::AreaThenForce))
                    if ctx.shared_names.get(&r) == Some(&(0, 2)) =>
                {
                    return Err((label, Some(area.describe())))
                }
                (None, Some(NameRule::AreaThenForce))
                    if ctx.shared_names.get(&r) == Some(&(1, 2)) =>
                {
                    (f, 0)
                }
                _ => {
                    ctx.row_doubt = Some(format!(
                        "the row {:?} ({}) may be the force {} or {}, and nothing in the row says which",
                        cells[0].1,
                        at(cells[0].0),
                        f.id,
                        area.describe()
                    ));
                    (f, 0)
                }
            }
        }
    };
    let force = force.id.clone();
    ctx.row_force = Some(force.clone());
    let (first_col, first_text) = &cells[decided_by];
    for (i, (c, t)) in cells.iter().enumerate() {
        if i == decided_by {
            continue;
        }
        if let Place::Force(other) | Place::Both(other, _) = places[i] {
            if other.id != force {
                let why = if decided_by == 0 {
                    "from the force column listed first".to_string()
                } else {
                    format!("as {:?} is also an area's name", cells[0].1)
                };
                ctx.warning(
                    Kind::TwoForces,
                    sheet,
                    Some(CellRef::new(r as u32, *c as u32)),
                    format!(
                        "this row names two forces: {first_text:?} ({}) is {force}, {t:?} ({}) is {}; read as {force}, {why}",
                        at(*first_col),
                        at(*c),
                        other.id,
                    ),
                    Some("if the other column is right, list it first among the table's force columns".into()),
                );
            }
        }
    }
    Ok(())
}

/// The section heading a row is under: its column and text.
type Heading = (usize, String);

fn row_labels(
    sheet: &Sheet,
    table: &Table,
    loc: &Located,
    r: usize,
    heading: Option<&Heading>,
    ctx: &mut Ctx,
) -> RowLabels {
    let label_cols: Vec<(usize, &DimId, bool)> = loc
        .roles
        .iter()
        .filter_map(|(&c, &i)| {
            let col = &table.columns[i];
            (col.role == Role::Label).then_some(()).and(
                col.dim
                    .as_ref()
                    .map(|d| (c, d, col.blank == Some(Blank::Total))),
            )
        })
        .collect();
    let texts: Vec<Cow<str>> = label_cols
        .iter()
        .map(|(c, _, _)| sheet.cell(r, *c).text_cow())
        .collect();
    let first_text = || {
        sheet.rows[r]
            .iter()
            .find(|c| !c.is_empty())
            .map(Cell::text_cow)
            .unwrap_or_default()
    };
    let matches_any =
        |re: &regex::Regex| texts.iter().any(|t| re.is_match(t)) || re.is_match(&first_text());
    if table.skip_rows.as_ref().is_some_and(matches_any) {
        return RowLabels::Skip;
    }
    let aggregate = match row_force(sheet, table, loc, r, ctx) {
        Ok(()) => None,
        Err((label, area)) => {
            if table
                .aggregate_rows
                .as_ref()
                .is_some_and(|re| re.is_match(&label))
            {
                Some(label)
            } else {
                let at = Some(CellRef::new(r as u32, 0));
                match area {
                    Some(area) => ctx.note(
                        Kind::NotAForce,
                        sheet,
                        at,
                        format!("row {label:?} is {area}, not a force, and was left out"),
                    ),
                    // A misspelt force would be missed here: say so loudly.
                    None => ctx.warning(
                        Kind::NotAForce,
                        sheet,
                        at,
                        format!(
                            "row {label:?} names no force and no known area, and was left out"
                        ),
                        Some("if it is a force, add its name to the aliases in config/reference/forces.csv; if an area, to config/reference/areas.csv".into()),
                    ),
                }
                return RowLabels::Skip;
            }
        }
    };
    // A force the campaign did not ask: its row is no part of the figures
    // (a national table lists every force; a campaign may ask some).
    if let Some(f) = ctx.row_force.clone() {
        if !ctx.campaign.asks(&f) {
            ctx.note(
                Kind::Other,
                sheet,
                Some(CellRef::new(r as u32, 0)),
                format!(
                    "row for {f}, which campaign {} did not ask (`forces` in campaign.toml), was left out",
                    ctx.campaign.id
                ),
            );
            return RowLabels::Skip;
        }
    }
    let is_total = table.total_rows.as_ref().is_some_and(matches_any);
    let mut dims = BTreeMap::new();
    for ((c, dim, blank_total), text) in label_cols.iter().zip(&texts) {
        if is_total
            && table
                .total_rows
                .as_ref()
                .is_some_and(|re| re.is_match(text))
        {
            continue;
        }
        if text.is_empty() {
            // A subtotal row: no label here means all of this dimension.
            if is_total || *blank_total {
                continue;
            }
            ctx.warning(
                Kind::MissingLabel,
                sheet,
                Some(CellRef::new(r as u32, *c as u32)),
                format!("row has no {dim} label and was left out"),
                None,
            );
            ctx.leave_out(format!("rows with no {dim} label"));
            return RowLabels::Skip;
        }
        // Under a heading, the label with it says more than the label
        // alone ("Rape of a female - aged under 13"): that is read first,
        // and the one reported when neither maps.
        let qualified = heading
            .filter(|(col, _)| col == c)
            .map(|(_, h)| heading::qualify(h, text));
        let mapped = match &qualified {
            Some(q) => ctx.map(dim, q).or_else(|| ctx.map(dim, text)),
            None => ctx.map(dim, text),
        };
        match mapped {
            Some(v) => {
                dims.insert((*dim).clone(), v);
            }
            None => {
                let shown = qualified.as_deref().unwrap_or(text);
                ctx.unmapped(sheet, CellRef::new(r as u32, *c as u32), dim, shown);
                return RowLabels::Skip;
            }
        }
    }
    match (aggregate, is_total) {
        (Some(label), _) => RowLabels::Aggregate(label, dims),
        (None, true) => RowLabels::Total(dims),
        (None, false) => RowLabels::Dims(dims),
    }
}

/// What monthly columns gave for one row and month: the sum, its cells and texts.
type MonthCells = (Interval, Vec<CellRef>, Vec<String>);

/// Whose figure a row gives: its force (in a source for many forces), its
/// aggregate label (a row over all of them), and its dimensions.
type RowKey = (Option<ForceId>, Option<String>, BTreeMap<DimId, DimValue>);

fn read_cells(
    sheet: &Sheet,
    table: &Table,
    loc: &Located,
    rows: &[usize],
    ctx: &mut Ctx,
    out: &mut Vec<Raw>,
) {
    // What each value column contributes: a request and/or a dimension value.
    struct ValueCol {
        col: usize,
        request: Option<String>,
        dim: Option<(DimId, DimValue)>,
        month: Option<Month>,
    }
    let mut value_cols = Vec::new();
    // A column naming each row's request, in a long table.
    let period_col = loc
        .roles
        .iter()
        .find(|(_, &i)| table.columns[i].role == Role::Period)
        .map(|(&c, _)| c);
    let periods: Vec<(String, Period)> = ctx
        .response
        .requests
        .iter()
        .filter_map(|r| {
            let p = ctx
                .response
                .period
                .or_else(|| ctx.campaign.request(r).map(|q| q.period))?;
            Some((r.clone(), p))
        })
        .collect();
    let single_request = table
        .request
        .clone()
        .or_else(|| (ctx.response.requests.len() == 1).then(|| ctx.response.requests[0].clone()));
    for (&c, &i) in &loc.roles {
        let col = &table.columns[i];
        let header = &loc.headers[c];
        let at = CellRef::new(loc.header_row as u32, c as u32);
        let mut vc = ValueCol {
            col: c,
            request: col.request.clone().or_else(|| single_request.clone()),
            dim: None,
            month: None,
        };
        match col.role {
            Role::Label
            | Role::Date
            | Role::Force
            | Role::Ignore
            | Role::Period
            | Role::Heading => continue,
            Role::Value | Role::Total => {}
            Role::ByHeader => {
                let Some(dim) = &col.dim else { continue };
                // Under a merged "Victim age" the joined header reads "Victim
                // age 13": try it whole, then each header row's own text.
                let own_rows = (loc.header_row..loc.header_row + table.header_rows)
                    .rev()
                    .map(|r| sheet.cell(r, c).text());
                let found = std::iter::once(header.clone())
                    .chain(own_rows)
                    .filter(|t| !t.is_empty())
                    .find_map(|t| ctx.map(dim, &t));
                match found {
                    Some(v) => vc.dim = Some((dim.clone(), v)),
                    None => {
                        ctx.unmapped(sheet, at, dim, header);
                        continue;
                    }
                }
            }
            Role::Request => match table.requests.iter().find(|(re, _)| re.is_match(header)) {
                Some((_, r)) => vc.request = Some(r.clone()),
                None => {
                    ctx.error(
                        Kind::Layout,
                        sheet,
                        Some(at),
                        format!("column {header:?} names no request of this response"),
                        Some("add its header pattern to the table's `requests`".into()),
                    );
                    continue;
                }
            },
            Role::Month => match parse_month(
                sheet.cell(loc.header_row + table.header_rows - 1, c),
                header,
            ) {
                Some(m) => vc.month = Some(m),
                None => {
                    ctx.error(
                        Kind::Layout,
                        sheet,
                        Some(at),
                        format!("column {header:?} is not a month"),
                        None,
                    );
                    continue;
                }
            },
        }
        if vc.request.is_none() && vc.month.is_none() && period_col.is_none() {
            ctx.error(
                Kind::Layout,
                sheet,
                Some(at),
                "this response answers several requests: say which one this table holds (`request = ...`)".to_string(),
                None,
            );
            return;
        }
        value_cols.push(vc);
    }
    let sup = ctx.suppression();
    // Monthly figures, summed into requests after all rows are read.
    // With the rows each figure was summed from.
    let mut monthly: BTreeMap<RowKey, (BTreeMap<Month, MonthCells>, Vec<TableRow>)> =
        BTreeMap::new();
    // Why a force's monthly rows may not be its own (a name an area shares).
    let mut doubts: BTreeMap<ForceId, String> = BTreeMap::new();
    // The column of row labels a heading is written in.
    let label_col = loc
        .roles
        .iter()
        .find(|(_, &i)| table.columns[i].role == Role::Label && table.columns[i].dim.is_some())
        .map(|(&c, _)| c);
    let mut sections = heading::Sections::default();
    // A heading column's text, carried down its blank cells.
    let heading_col = loc
        .roles
        .iter()
        .find(|(_, &i)| table.columns[i].role == Role::Heading)
        .map(|(&c, _)| c);
    let mut carried: Option<String> = None;
    for (i, &r) in rows.iter().enumerate() {
        if let Some(t) = heading_col
            .map(|c| sheet.cell(r, c).text())
            .filter(|t| !t.is_empty())
        {
            carried = Some(t);
        }
        let mut over: Option<Heading> = None;
        if let Some(c) = label_col {
            let label = sheet.cell(r, c).as_written();
            let figureless = value_cols.iter().all(|v| sheet.cell(r, v.col).is_empty());
            let next = rows.get(i + 1).map(|&n| sheet.cell(n, c).as_written());
            let section = match sections.read(&label, figureless, next.as_deref()) {
                heading::Row::Heading => continue,
                heading::Row::Under(h) => Some(h.to_string()),
                heading::Row::HeadingWithFigures | heading::Row::Alone => None,
            };
            over = heading::over(carried.as_deref(), section).map(|h| (c, h));
        }
        let labels = row_labels(sheet, table, loc, r, over.as_ref(), ctx);
        // Which row of which table a figure is from, so that two rows
        // giving one figure are found (see `finish`).
        // (Only rows a label tells apart: a force's row given twice in a
        // table of forces is a figure given twice.)
        let from = label_col.map(|c| {
            let own = sheet.cell(r, c).text();
            TableRow {
                table: (sheet.name.clone(), loc.header_row),
                row: r,
                label: match &over {
                    Some((hc, h)) if *hc == c => heading::qualify(h, &own),
                    _ => own.trim().to_string(),
                },
                of_many: ctx.row_force.is_some(),
            }
        });
        let (dims, aggregate, from) = match labels {
            RowLabels::Skip => continue,
            RowLabels::Dims(d) => (d, None, from.into_iter().collect()),
            RowLabels::Total(d) => (d, None, Vec::new()),
            RowLabels::Aggregate(label, d) => (d, Some(label), Vec::new()),
        };
        let force = ctx.row_force.clone();
        let doubt = ctx.row_doubt.clone();
        let row_request = match period_col {
            None => None,
            Some(c) => match row_request(sheet, table, &periods, r, c, ctx) {
                Some(req) => Some(req),
                None => continue,
            },
        };
        for vc in &value_cols {
            let cell = sheet.cell(r, vc.col);
            let at = CellRef::new(r as u32, vc.col as u32);
            let interval = match parse_count(cell, &sup) {
                Parsed::Count(i) => {
                    let marked = match cell {
                        Cell::Text(t) => qualifier(t),
                        _ => None,
                    };
                    if let Some(meaning) = marked {
                        ctx.marked(
                            Severity::Note,
                            sheet,
                            at,
                            vc.request.as_deref(),
                            meaning,
                            format!(
                                "{:?}: the source marks this figure as {meaning}; it was read as {}",
                                cell.text(),
                                sup.scale.interval(i)
                            ),
                        );
                    }
                    i
                }
                Parsed::Blank => continue,
                Parsed::NotAvailable(meaning) => {
                    ctx.marked(
                        Severity::Warning,
                        sheet,
                        at,
                        vc.request.as_deref(),
                        meaning,
                        format!(
                            "{:?} means {meaning}: the source gives no figure here, so none was added",
                            cell.text()
                        ),
                    );
                    ctx.leave_out(format!("figures marked {meaning}"));
                    continue;
                }
                Parsed::Invalid(why) => {
                    ctx.error(Kind::NotACount, sheet, Some(at), why, None);
                    // Whose figure it was, for coverage's reason.
                    let request = row_request.clone().or_else(|| vc.request.clone());
                    if let (Some(r), Some(d)) = (request, ctx.diagnostics.last_mut()) {
                        d.request = Some(r);
                    }
                    ctx.leave_out("cells that hold no count");
                    continue;
                }
            };
            let mut d = dims.clone();
            if let Some((id, v)) = &vc.dim {
                d.insert(id.clone(), v.clone());
            }
            if let Some(m) = vc.month {
                if let (Some(doubt), Some(f)) = (&doubt, &force) {
                    doubts.entry(f.clone()).or_insert_with(|| doubt.clone());
                }
                let key = (force.clone(), aggregate.clone(), d);
                let (by_month, rows_of) = monthly.entry(key).or_default();
                for f in &from {
                    if !rows_of.contains(f) {
                        rows_of.push(f.clone());
                    }
                }
                let e = by_month
                    .entry(m)
                    .or_insert((Interval::ZERO, Vec::new(), Vec::new()));
                e.0 += interval;
                e.1.push(at);
                e.2.push(cell.text());
                continue;
            }
            let Some(request) = row_request.clone().or_else(|| vc.request.clone()) else {
                continue;
            };
            out.push(Raw {
                force: force.clone(),
                aggregate: aggregate.clone(),
                request,
                dims: d,
                interval,
                text: cell.text(),
                cells: vec![at],
                sheet: sheet.name.clone(),
                page: None,
                typed_at: None,
                covered: None,
                doubt: doubt.clone(),
                rows: from.clone(),
            });
        }
    }
    // What follows is about the whole table, not its last row.
    ctx.row_force = None;
    ctx.row_doubt = None;
    if monthly.is_empty() {
        return;
    }
    let months_given: std::collections::BTreeSet<Month> =
        value_cols.iter().filter_map(|v| v.month).collect();
    let requests: Vec<String> = table
        .request
        .iter()
        .cloned()
        .chain(if table.request.is_none() {
            ctx.response.requests.clone()
        } else {
            Vec::new()
        })
        .collect();
    let who = ctx.who();
    for req in requests {
        let Some(period) = ctx.campaign.request(&req).map(|r| r.period) else {
            continue;
        };
        let Some(needed) = period.months() else {
            ctx.warning(
                Kind::PartialPeriod,
                sheet,
                None,
                format!(
                    "request {req}'s period ({period}) is not whole months, so monthly columns cannot be added up into it; nothing was read for it from this table"
                ),
                Some("ask the force for figures by day or for the request's own period".into()),
            );
            set_request(&mut ctx.diagnostics, &req);
            continue;
        };
        // The months this request holds that the table gives: months
        // outside the request are another request's, never this one's.
        let given: Vec<Month> = needed
            .iter()
            .filter(|m| months_given.contains(m))
            .copied()
            .collect();
        let span = match (given.first(), given.last()) {
            (Some(a), Some(b)) => a
                .period()
                .zip(b.period())
                .and_then(|(a, b)| Period::new(a.from, b.to)),
            _ => None,
        };
        let holes = given.len() < needed.len()
            && needed.iter().any(|m| {
                Some(m) > given.first() && Some(m) < given.last() && !months_given.contains(m)
            });
        let covered = match coverage(&period, span, holes, 0) {
            Coverage::Whole => None,
            Coverage::Nothing => {
                ctx.warning(
                    Kind::PartialPeriod,
                    sheet,
                    None,
                    format!(
                        "the monthly columns hold no month of request {req} ({period}); nothing was read for it from this table"
                    ),
                    Some("if this table answers another request only, say which with `request = ...`".into()),
                );
                set_request(&mut ctx.diagnostics, &req);
                continue;
            }
            Coverage::Partial(covered) => {
                let missing: Vec<String> = needed
                    .iter()
                    .filter(|m| !months_given.contains(m))
                    .map(|m| format!("{}-{:02}", m.year, m.month))
                    .collect();
                ctx.warning(
                    Kind::PartialPeriod,
                    sheet,
                    None,
                    format!(
                        "the monthly columns cover only part of request {req} ({period}): {} of its {} months, missing {}; {who}'s figures for it are partial",
                        given.len(),
                        needed.len(),
                        missing.join(", ")
                    ),
                    None,
                );
                set_request(&mut ctx.diagnostics, &req);
                Some(covered)
            }
        };
        for ((force, aggregate, dims), (by_month, rows_of)) in &monthly {
            let mut interval = Interval::ZERO;
            let mut cells = Vec::new();
            let mut texts = Vec::new();
            for m in &needed {
                if let Some((i, c, t)) = by_month.get(m) {
                    interval += *i;
                    cells.extend(c);
                    texts.extend(t.iter().cloned());
                }
            }
            if cells.is_empty() {
                continue;
            }
            out.push(Raw {
                force: force.clone(),
                aggregate: aggregate.clone(),
                request: req.clone(),
                dims: dims.clone(),
                interval,
                text: format!("sum of {} months", texts.len()),
                cells,
                sheet: sheet.name.clone(),
                page: None,
                typed_at: None,
                covered,
                doubt: force.as_ref().and_then(|f| doubts.get(f).cloned()),
                rows: rows_of.clone(),
            });
        }
    }
}

/// The request a row of a long table holds, from its period cell: the
/// table's `requests` patterns first, else the period the cell names
/// ("2016/17", "Jul 2015 - Jun 2016"), which must be one of the
/// response's requests' periods day for day. A row for another period is
/// left out with a note; a row whose cell names no period, with a warning.
fn row_request(
    sheet: &Sheet,
    table: &Table,
    periods: &[(String, Period)],
    r: usize,
    c: usize,
    ctx: &mut Ctx,
) -> Option<String> {
    let text = sheet.cell(r, c).text();
    if let Some((_, req)) = table.requests.iter().find(|(re, _)| re.is_match(&text)) {
        return Some(req.clone());
    }
    let named = crate::detect::period::periods(&text);
    let at = Some(CellRef::new(r as u32, c as u32));
    match named.as_slice() {
        [one] => match periods.iter().find(|(_, p)| *p == one.period) {
            Some((req, _)) => Some(req.clone()),
            None => {
                if let Some(at) = at {
                    ctx.marked(
                        Severity::Note,
                        sheet,
                        at,
                        None,
                        "another period",
                        format!(
                            "{text:?} ({} to {}) is no request of this response: its row was left out",
                            one.period.from, one.period.to
                        ),
                    );
                }
                None
            }
        },
        _ => {
            ctx.warning(
                Kind::MissingLabel,
                sheet,
                at,
                format!("{text:?} names no one period, so the row's request is not known: it was left out"),
                Some("add a pattern for it to the table's `requests`".into()),
            );
            ctx.leave_out("rows whose period could not be read");
            None
        }
    }
}

/// Sets the request of the diagnostic just pushed.
fn set_request(diagnostics: &mut [foi_model::Diagnostic], request: &str) {
    if let Some(d) = diagnostics.last_mut() {
        d.request = Some(request.to_string());
    }
}

/// What a table's figures say of a request's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coverage {
    /// All of it.
    Whole,
    /// Only this part: the figures are partial for the request.
    Partial(Period),
    /// None of it.
    Nothing,
}

/// The one decision, for counted rows and monthly columns alike, of what
/// figures found for `found` (the first to the last date counted into a
/// request, or the first to the last month given of it; `None` when
/// nothing falls in the period) say of the request's `period`:
/// [`Period::fit`] with `slack_days` allowed at either end (a month for
/// counted rows, as no crime need fall on the first or last day; none for
/// months, which are exact). `holes` says something inside the span is
/// missing (a month not given): partial, whatever the ends.
pub(crate) fn coverage(
    period: &Period,
    found: Option<Period>,
    holes: bool,
    slack_days: i64,
) -> Coverage {
    // Only what lies inside the period is this request's.
    let Some(found) = found.and_then(|f| Period::new(f.from.max(period.from), f.to.min(period.to)))
    else {
        return Coverage::Nothing;
    };
    match period.fit(&found, slack_days) {
        Fit::Whole if !holes => Coverage::Whole,
        _ => Coverage::Partial(found),
    }
}

fn read_records(
    sheet: &Sheet,
    table: &Table,
    loc: &Located,
    rows: &[usize],
    ctx: &mut Ctx,
    out: &mut Vec<Raw>,
) {
    let Some(date_col) = loc
        .roles
        .iter()
        .find(|(_, &i)| table.columns[i].role == Role::Date)
        .map(|(&c, _)| c)
    else {
        ctx.error(
            Kind::Layout,
            sheet,
            None,
            "a records table needs a column with role = \"date\"".into(),
            None,
        );
        return;
    };
    let requests: Vec<(String, foi_model::Period)> = ctx
        .response
        .requests
        .iter()
        .filter(|r| table.request.as_ref().is_none_or(|t| t == *r))
        .filter_map(|r| ctx.campaign.request(r).map(|q| (r.clone(), q.period)))
        .collect();
    // Whose figure a row counts to is worked out once per distinct set of
    // the cells `row_labels` reads (label and force columns, and the first
    // cell when skip or total patterns look at it), when that gave a figure
    // and reported nothing: a million rows hold a few thousand such sets.
    let key_cols: Vec<usize> = loc
        .roles
        .iter()
        .filter(|(_, &i)| matches!(table.columns[i].role, Role::Label | Role::Force))
        .map(|(&c, _)| c)
        .collect();
    let reads_first = table.skip_rows.is_some() || table.total_rows.is_some();
    let mut seen: FxHashMap<Vec<CellKey<'_>>, usize> = FxHashMap::default();
    let mut probe: Vec<CellKey<'_>> = Vec::with_capacity(key_cols.len() + 1);
    // Each distinct figure's key, and its index.
    let mut keys: Vec<RowKey> = Vec::new();
    let mut key_index: FxHashMap<RowKey, usize> = FxHashMap::default();
    // Each request's cells by key index.
    let mut counted: Vec<Vec<Vec<CellRef>>> = vec![Vec::new(); requests.len()];
    // A request listed twice counts into one figure, once per listing.
    let canon: Vec<usize> = requests
        .iter()
        .map(|(id, _)| requests.iter().position(|(x, _)| x == id).unwrap_or(0))
        .collect();
    // Forces print the same few hundred dates on thousands of rows.
    let mut dates: FxHashMap<&str, Option<NaiveDate>> = FxHashMap::default();
    // By request and key: the first and last date counted into it; by key:
    // the first and last date of all its dated rows, and how many there
    // are. What part of each request a force's rows cover is worked out
    // from these.
    let mut spans: Vec<Vec<Option<(NaiveDate, NaiveDate)>>> = vec![Vec::new(); requests.len()];
    let mut all_spans: Vec<Option<(NaiveDate, NaiveDate)>> = Vec::new();
    let mut dated: Vec<usize> = Vec::new();
    // Why a key's rows may not be its force's (a name an area shares).
    let mut doubts: Vec<Option<String>> = Vec::new();
    for &r in rows {
        probe.clear();
        probe.extend(key_cols.iter().map(|&c| CellKey::of(sheet.cell(r, c))));
        if reads_first {
            let first = sheet.rows[r].iter().find(|c| !c.is_empty());
            probe.push(first.map_or(CellKey::Empty, CellKey::of));
        }
        let k = match seen.get(probe.as_slice()) {
            Some(&k) => {
                ctx.row_force.clone_from(&keys[k].0);
                k
            }
            None => {
                let reported = ctx.diagnostics.len();
                let dims = match row_labels(sheet, table, loc, r, None, ctx) {
                    RowLabels::Dims(d) => d,
                    RowLabels::Total(_) | RowLabels::Aggregate(..) | RowLabels::Skip => continue,
                };
                let key: RowKey = (ctx.row_force.clone(), None, dims);
                let k = match key_index.get(&key) {
                    Some(&k) => k,
                    None => {
                        keys.push(key.clone());
                        key_index.insert(key, keys.len() - 1);
                        all_spans.push(None);
                        dated.push(0);
                        doubts.push(None);
                        keys.len() - 1
                    }
                };
                if doubts[k].is_none() {
                    doubts[k].clone_from(&ctx.row_doubt);
                }
                if ctx.diagnostics.len() == reported {
                    seen.insert(probe.clone(), k);
                }
                k
            }
        };
        let at = CellRef::new(r as u32, date_col as u32);
        let date = match sheet.cell(r, date_col) {
            Cell::Text(t) => *dates
                .entry(&**t)
                .or_insert_with(|| parse_date(sheet.cell(r, date_col))),
            cell => parse_date(cell),
        };
        let Some(date) = date else {
            ctx.error(
                Kind::NotADate,
                sheet,
                Some(at),
                format!(
                    "{:?} is not a date; the row was left out",
                    sheet.cell(r, date_col).text()
                ),
                None,
            );
            ctx.leave_out("rows whose date could not be read");
            continue;
        };
        dated[k] += 1;
        widen(&mut all_spans[k], date);
        for (q, (_, period)) in requests.iter().enumerate() {
            if period.contains(date) {
                let by_key = &mut counted[canon[q]];
                if by_key.len() <= k {
                    by_key.resize_with(keys.len(), Vec::new);
                    spans[canon[q]].resize(keys.len(), None);
                }
                by_key[k].push(at);
                widen(&mut spans[canon[q]][k], date);
            }
        }
    }
    // What part of each request each force's rows cover.
    let mut covered: BTreeMap<(usize, Option<ForceId>), Period> = BTreeMap::new();
    let forces: std::collections::BTreeSet<&Option<ForceId>> = (0..keys.len())
        .filter(|&k| dated[k] > 0)
        .map(|k| &keys[k].0)
        .collect();
    for (q, (request, period)) in requests.iter().enumerate() {
        if canon[q] != q {
            continue;
        }
        for &force in &forces {
            let of_force = || (0..keys.len()).filter(|&k| &keys[k].0 == force);
            let found = of_force()
                .filter_map(|k| spans[q].get(k).copied().flatten())
                .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
                .and_then(|(a, b)| Period::new(a, b));
            let judged = coverage(period, found, false, ctx.campaign.gap_days);
            ctx.row_force.clone_from(force);
            match judged {
                Coverage::Whole => {}
                Coverage::Partial(c) => {
                    let short = |days: i64| {
                        if days > ctx.campaign.gap_days {
                            format!("{days} day{}", if days == 1 { "" } else { "s" })
                        } else {
                            String::new()
                        }
                    };
                    let ends: Vec<String> = [
                        (short((c.from - period.from).num_days()), "after its start"),
                        (short((period.to - c.to).num_days()), "before its end"),
                    ]
                    .into_iter()
                    .filter(|(d, _)| !d.is_empty())
                    .map(|(d, end)| format!("{d} {end}"))
                    .collect();
                    ctx.warning(
                        Kind::PartialPeriod,
                        sheet,
                        None,
                        format!(
                            "the rows counted into request {request} ({period}) are dated {c} only, {} (more than the {} days allowed, [coverage] gap_days): {}'s figures for it are partial",
                            ends.join(" and "),
                            ctx.campaign.gap_days,
                            ctx.who()
                        ),
                        Some("ask the force for the rest of the period".into()),
                    );
                    set_request(&mut ctx.diagnostics, request);
                    covered.insert((q, force.clone()), c);
                }
                Coverage::Nothing => {
                    let rows: usize = of_force().map(|k| dated[k]).sum();
                    let span = of_force()
                        .filter_map(|k| all_spans[k])
                        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
                    ctx.warning(
                        Kind::PartialPeriod,
                        sheet,
                        None,
                        format!(
                            "none of {}'s {rows} dated row{} falls in request {request} ({period}){}: nothing was counted for it",
                            ctx.who(),
                            if rows == 1 { "" } else { "s" },
                            span.map(|(a, b)| format!("; they are dated {a} to {b}"))
                                .unwrap_or_default()
                        ),
                        Some("check the date column and the response's requests".into()),
                    );
                    set_request(&mut ctx.diagnostics, request);
                }
            }
        }
    }
    ctx.row_force = None;
    // In the order of (request, key), as one map keyed by both would give.
    let mut order: Vec<usize> = (0..requests.len()).filter(|&q| canon[q] == q).collect();
    order.sort_by(|&a, &b| requests[a].0.cmp(&requests[b].0));
    let mut by_key: Vec<usize> = (0..keys.len()).collect();
    by_key.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    for q in order {
        let request = &requests[q].0;
        let mut cells = std::mem::take(&mut counted[q]);
        for &k in &by_key {
            let Some(c) = cells.get_mut(k).map(std::mem::take) else {
                continue;
            };
            if c.is_empty() {
                continue;
            }
            let (force, _, dims) = keys[k].clone();
            out.push(Raw {
                covered: covered.get(&(q, force.clone())).copied(),
                doubt: doubts[k].clone(),
                force,
                aggregate: None,
                request: request.clone(),
                dims,
                interval: Interval::point(c.len() as u64),
                text: format!("{} row{}", c.len(), if c.len() == 1 { "" } else { "s" }),
                cells: c,
                sheet: sheet.name.clone(),
                page: None,
                typed_at: None,
                // One row per crime: its rows are added, by design.
                rows: Vec::new(),
            });
        }
    }
}

/// Stretches a span of dates to take in `date`.
fn widen(span: &mut Option<(NaiveDate, NaiveDate)>, date: NaiveDate) {
    *span = Some(match *span {
        None => (date, date),
        Some((a, b)) => (a.min(date), b.max(date)),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_one_rule_for_rows_and_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let p = |a, b| Period::new(a, b).expect("period");
        let year = p(d(2015, 7, 1), d(2016, 6, 30));
        // Rows from 3 July to 27 June: no crime need fall on the first or last day.
        assert_eq!(
            coverage(&year, Some(p(d(2015, 7, 3), d(2016, 6, 27))), false, 31),
            Coverage::Whole
        );
        // January to June only.
        let half = p(d(2016, 1, 4), d(2016, 6, 27));
        assert_eq!(
            coverage(&year, Some(half), false, 31),
            Coverage::Partial(half)
        );
        // Months are exact: a month short is partial, and so is one missing between.
        let months = p(d(2015, 7, 1), d(2016, 5, 31));
        assert_eq!(
            coverage(&year, Some(months), false, 0),
            Coverage::Partial(months)
        );
        assert_eq!(
            coverage(&year, Some(year), true, 0),
            Coverage::Partial(year)
        );
        assert_eq!(coverage(&year, Some(year), false, 0), Coverage::Whole);
        // Only what lies inside the period counts for it.
        assert_eq!(
            coverage(&year, Some(p(d(2015, 4, 1), d(2016, 6, 30))), false, 0),
            Coverage::Whole
        );
        assert_eq!(
            coverage(&year, Some(p(d(2014, 1, 1), d(2014, 12, 31))), false, 31),
            Coverage::Nothing
        );
        assert_eq!(coverage(&year, None, false, 31), Coverage::Nothing);
    }

    #[test]
    fn dates_as_forces_write_them() {
        let d = |t: &str| parse_date(&Cell::Text(t.into())).map(|d| d.to_string());
        assert_eq!(d("05-Jul-15").as_deref(), Some("2015-07-05"));
        assert_eq!(d("05/07/15").as_deref(), Some("2015-07-05"));
        assert_eq!(d("05/07/2015").as_deref(), Some("2015-07-05"));
        assert_eq!(d("2015-07-05 10:32").as_deref(), Some("2015-07-05"));
        assert_eq!(d("5 July 2015").as_deref(), Some("2015-07-05"));
        assert_eq!(
            d("2020-07-31T23:08:00+00:00").as_deref(),
            Some("2020-07-31")
        );
        assert_eq!(d("31/02/2016"), None);
    }
}
