//! What each column of a found table is, in the campaign's terms, and the
//! layout that says so.
//!
//! A column of row labels is one whose values a dimension maps (its
//! crosswalk, the age rules, the offence reference; a free-text
//! dimension only when the header names it); a column of figures is read
//! by its header: a month, a value of a dimension (ages across), a
//! request's period, a total, or plain words ("Number of offences") when
//! it is the table's one column of figures. A header that says something
//! else ("Number of offences involving a knife", "Rate per 1,000",
//! "Number of incidents") is not this campaign's figure.

use super::blocks::{kind_of, Block, Grid};
use super::cells::{is_total, short, unit_class, Kind};
use super::headers::{campaign_words, dim_words, meaning, title_unit, unit_of, Meaning};
use super::notes::{footnote_mark, note_is_for, notes_near, period_in_note, Footnoted};
use super::period::{periods, words};
use super::rows::{check_totals, header_pattern, stop_for, table_request};
use super::{column_name, range, request_periods, row_name, row_text, ColumnFinding, Context};
use super::{Mapper, Proposal};
use crate::table::{flat, header_texts};
use foi_model::config::{Blank, ColumnDef, DimKind, NameRule, Role, Shape, TableDef, WhereDef};
use foi_model::{DimValue, Month, Place as Where};
use std::collections::{BTreeMap, BTreeSet};

/// Where a block is, for the layout and for finding its request.
pub struct Place<'p> {
    pub sheet_index: usize,
    pub block_index: usize,
    /// Title rows above the sheet's first table.
    pub sheet_titles: &'p [String],
    /// Whether the workbook has more than one visible sheet (so `sheet`
    /// must say which).
    pub named_sheet: bool,
}

pub enum Outcome {
    /// Not a table of this campaign's figures: why.
    Passed(String),
    Table(Box<Proposal>),
}

/// The part a column plays.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Part {
    Label(usize),
    /// Each row's request, named by its period.
    Period,
    Force,
    Date,
    /// A value of a dimension as header, and the request its header
    /// names above it ("2016/17" over "Under 10"), if any.
    ByHeader(usize, DimValue, Option<String>),
    /// A column of figures for a request (named by its header) or, with
    /// `None`, for the table's request.
    Value(Option<String>),
    Month(Month),
    Total,
    /// A group written on its first row only, heading the rows below.
    Heading,
    Ignore(String),
}

/// A GSS code: a letter and eight digits (E23000014).
pub(super) fn is_gss_code(t: &str) -> bool {
    let t = t.trim();
    t.len() == 9
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t[1..].chars().all(|c| c.is_ascii_digit())
}

/// `text` as a pattern that matches it literally, escaping only what
/// a pattern gives a meaning to outside brackets ("Jul 15 - Jun 16" stays
/// readable; "(HO code)" becomes "\\(HO code\\)").
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a column numbers the rows (1, 2, 3, … under "No.", "Ref" or
/// nothing): it counts nothing and labels nothing.
fn is_row_numbers(g: &Grid, rows: &[usize], c: usize, header: &str) -> bool {
    let numbers: Vec<u64> = rows
        .iter()
        .map(|&r| g.text(r, c))
        .filter(|v| !v.is_empty())
        .filter_map(|v| v.parse().ok())
        .collect();
    let filled = rows.iter().filter(|&&r| !g.text(r, c).is_empty()).count();
    let index_header = words(header).iter().all(|w| {
        matches!(
            w.as_str(),
            "no" | "number" | "nos" | "ref" | "row" | "id" | "item" | "index" | "line"
        )
    });
    index_header
        && numbers.len() >= 3
        && numbers.len() == filled
        && numbers.windows(2).all(|w| w[1] == w[0] + 1)
        && numbers[0] <= 1
}

/// A regex matching exactly `text`.
pub(crate) fn exact(text: &str) -> String {
    format!("^{}$", escape(text))
}

/// Everything `analyse` works out about a block, shared by its steps.
pub(super) struct Table<'g, 'a> {
    pub(super) g: &'g Grid<'g>,
    pub(super) b: &'g Block,
    pub(super) m: &'g Mapper<'a>,
    pub(super) ctx: &'g Context<'a>,
    /// Joined header text per sheet column.
    pub(super) joined: Vec<String>,
    /// Rows whose label says they are totals.
    pub(super) totals: BTreeSet<usize>,
    pub(super) reasons: Vec<String>,
    pub(super) uncertain: Vec<String>,
    pub(super) confidence: f64,
    /// Columns whose header's footnote says what period they are for: the
    /// note's row and what it says.
    pub(super) footnoted: BTreeMap<usize, (Footnoted, usize)>,
    /// Group headings carrying the sum of the rows below them: left out,
    /// and never in a total's sum.
    pub(super) subtotals: BTreeSet<usize>,
    /// Section headings with no figures ("Rape of a female:"): the heading
    /// over each row under one, and the heading rows (see [`crate::heading`]).
    pub(super) under: BTreeMap<usize, String>,
    pub(super) heads: BTreeSet<usize>,
    /// A column left of the labels holding a group on its first row only
    /// (a pivot table's outer field), carried down over its blanks.
    pub(super) heading_col: Option<usize>,
}

impl Table<'_, '_> {
    pub(super) fn header_row_count(&self) -> usize {
        match (self.b.header.first(), self.b.header.last()) {
            (Some(a), Some(b)) => b - a + 1,
            _ => 0,
        }
    }
    /// A column's own header texts, bottom row first.
    pub(super) fn own(&self, c: usize) -> Vec<(String, &crate::grid::Cell)> {
        self.b
            .header
            .iter()
            .rev()
            .map(|&r| {
                (
                    flat(&self.g.text(r, c)).into_owned(),
                    self.g.sheet.cell(r, c),
                )
            })
            .filter(|(t, _)| !t.is_empty())
            .collect()
    }
    pub(super) fn col(&self, c: usize) -> String {
        column_name(self.g.sheet, c)
    }
    pub(super) fn doubt(&mut self, factor: f64, why: String) {
        self.confidence *= factor;
        self.reasons.push(why);
    }
    /// The texts of a column in the data rows, but for total rows and
    /// section headings, each as the reader looks it up (see `label`).
    pub(super) fn values(&self, c: usize) -> Vec<(usize, String)> {
        self.b
            .rows
            .iter()
            .filter(|r| !self.totals.contains(r) && !self.heads.contains(r))
            .map(|&r| (r, self.label(r, c)))
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }
    /// A row's label in column `c`: read with the section heading over
    /// it where the campaign knows it so ("Rape of a female - aged under
    /// 13"), as the reader reads it first; else as written.
    pub(super) fn label(&self, r: usize, c: usize) -> String {
        let own = self.g.text(r, c);
        match self.under.get(&r) {
            Some(h) if c == self.b.label_col => {
                let q = crate::heading::qualify(h, &own);
                if self.m.knows(&q) {
                    q
                } else {
                    own
                }
            }
            _ => own,
        }
    }
}

/// A cell as a whole count for checking sums: a number, an empty cell
/// (none), or text of digits ("1,234"); `None` for anything else.
fn whole_count(g: &Grid, r: usize, c: usize) -> Option<u64> {
    match g.sheet.cell(r, c) {
        crate::grid::Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(*n as u64),
        crate::grid::Cell::Empty => Some(0),
        other => other.text().replace(',', "").trim().parse().ok(),
    }
}

/// Each column whose header names a period and carries a footnote mark,
/// with what the note of that mark says (see `notes`).
fn footnoted_headers(
    notes: &[(usize, String)],
    joined: &[String],
) -> BTreeMap<usize, (Footnoted, usize)> {
    let mut out = BTreeMap::new();
    for (c, header) in joined.iter().enumerate() {
        let Some(mark) = footnote_mark(header) else {
            continue;
        };
        let own: BTreeSet<_> = periods(header).into_iter().map(|n| n.period).collect();
        if own.is_empty() {
            continue;
        }
        for (r, text) in notes {
            if note_is_for(text, mark) {
                if let Some(f) = period_in_note(text, &own) {
                    out.insert(c, (f, *r));
                }
                break;
            }
        }
    }
    out
}

impl Table<'_, '_> {
    /// The periods a column's header names, as its footnote corrects them.
    pub(super) fn header_periods(&self, c: usize) -> BTreeSet<foi_model::Period> {
        match self.footnoted.get(&c) {
            Some((Footnoted::Period(p), _)) => BTreeSet::from([*p]),
            Some((Footnoted::Unclear, _)) => BTreeSet::new(),
            None => periods(&self.joined[c])
                .into_iter()
                .map(|n| n.period)
                .collect(),
        }
    }
}

/// The section headings of a block (rows holding a label and nothing
/// else, that [`crate::heading::opens_section`]): the heading over each
/// row under one, and the heading rows.
fn headings(g: &Grid, b: &Block) -> (BTreeMap<usize, String>, BTreeSet<usize>) {
    let mut rows: Vec<usize> = b.skip.iter().chain(&b.rows).copied().collect();
    rows.sort_unstable();
    let mut under = BTreeMap::new();
    let mut heads = BTreeSet::new();
    let mut sections = crate::heading::Sections::default();
    for (i, &r) in rows.iter().enumerate() {
        let label = g.sheet.cell(r, b.label_col).as_written();
        let next = rows
            .get(i + 1)
            .map(|&n| g.sheet.cell(n, b.label_col).as_written());
        let figureless = g.filled(r) == [b.label_col];
        match sections.read(&label, figureless, next.as_deref()) {
            crate::heading::Row::Heading => {
                heads.insert(r);
            }
            crate::heading::Row::Under(h) => {
                under.insert(r, h.to_string());
            }
            crate::heading::Row::HeadingWithFigures | crate::heading::Row::Alone => {}
        }
    }
    (under, heads)
}

/// A column left of the labels holding text on the first data row and on
/// some others, blank on the rest, whose labels repeat in the label
/// column: a group written on its first row only, as a pivot table's
/// outer field is ("Rape", then blank, over "Female under 13", "Male
/// under 13"), that tells the repeated labels apart.
fn heading_column(g: &Grid, b: &Block) -> Option<usize> {
    let first = *b.rows.first()?;
    // Two labels at least written again: one name repeated ("West
    // Midlands", the region and the force) is no pattern of groups.
    let mut seen = BTreeSet::new();
    let mut repeated = BTreeSet::new();
    for &r in &b.rows {
        let l = g.text(r, b.label_col);
        if !l.is_empty() && !seen.insert(l.clone()) {
            repeated.insert(l);
        }
    }
    if repeated.len() < 2 {
        return None;
    }
    b.columns.iter().copied().find(|&c| {
        let filled: Vec<usize> = b
            .rows
            .iter()
            .copied()
            .filter(|&r| !g.text(r, c).is_empty())
            .collect();
        c < b.label_col
            && !g.text(first, c).is_empty()
            && filled.len() >= 2
            && filled.len() < b.rows.len()
            && filled
                .iter()
                .all(|&r| g.kind(r, c) == Kind::Text && !is_gss_code(&g.text(r, c)))
    })
}

/// The block with its labels in the column right of `b.label_col`,
/// where `b.label_col` is a group written on its first row only (blank on
/// some rows) beside a text column filled on more rows whose labels
/// repeat: "Rape, Female under 13" then ", Male under 13".
fn outer_field(g: &Grid, b: &Block) -> Option<Block> {
    let c = b.label_col;
    let next = b.columns.iter().copied().find(|&x| x > c)?;
    let filled = |x: usize| b.rows.iter().filter(|&&r| !g.text(r, x).is_empty()).count();
    let text = |x: usize| {
        b.rows
            .iter()
            .filter(|&&r| !g.text(r, x).is_empty())
            .all(|&r| g.kind(r, x) == Kind::Text)
    };
    let moved = Block {
        label_col: next,
        ..b.clone()
    };
    (filled(c) < b.rows.len() && filled(next) > filled(c) && text(next) && text(c))
        .then_some(moved)
        .filter(|m| heading_column(g, m) == Some(c))
}

/// Decides what a block is, and proposes its layout.
pub fn analyse(g: &Grid, b: &Block, m: &Mapper, ctx: &Context, place: &Place) -> Outcome {
    // A group column taken for the labels (filled in half the rows, where
    // groups are short): the labels are the column to its right.
    let regrouped = outer_field(g, b);
    let b = regrouped.as_ref().unwrap_or(b);
    let sheet = g.sheet;
    let Some(&header_row) = b.header.first() else {
        return Outcome::Passed(
            "no header row above its figures, so its columns cannot be named".into(),
        );
    };
    let mut t = Table {
        g,
        b,
        m,
        ctx,
        joined: Vec::new(),
        totals: BTreeSet::new(),
        reasons: Vec::new(),
        uncertain: Vec::new(),
        confidence: 1.0,
        footnoted: BTreeMap::new(),
        subtotals: BTreeSet::new(),
        under: BTreeMap::new(),
        heads: BTreeSet::new(),
        heading_col: None,
    };
    (t.under, t.heads) = headings(g, b);
    t.heading_col = heading_column(g, b);
    if let Some(hc) = t.heading_col {
        // Each row under its group, then its section if any.
        let mut carried: Option<String> = None;
        for &r in &b.rows {
            let own = g.text(r, hc);
            if !own.is_empty() {
                carried = Some(own);
            }
            let section = t.under.remove(&r);
            if let Some(h) = crate::heading::over(carried.as_deref(), section) {
                t.under.insert(r, h);
            }
        }
    }
    t.joined = header_texts(sheet, header_row, t.header_row_count());
    // Notes below the table and titles above it: what footnotes and the
    // words around it say, read once.
    let near = notes_near(g, b);
    t.footnoted = footnoted_headers(&near, &t.joined);
    t.totals = b
        .rows
        .iter()
        .copied()
        .filter(|&r| {
            let label = g.text(r, b.label_col);
            let first = g
                .filled(r)
                .first()
                .map(|&c| g.text(r, c))
                .unwrap_or_default();
            is_total(&label) || (label.is_empty() && is_total(&first))
        })
        .collect();
    let records = b.date_col.is_some();
    let cwords = campaign_words(ctx);
    let unit = unit_of(ctx);

    // ---------------------------------------------------------- columns
    let mut parts: BTreeMap<usize, (Part, String)> = BTreeMap::new();
    if let Some(hc) = t.heading_col {
        parts.insert(
            hc,
            (
                Part::Heading,
                "a group on its first row only, over labels that repeat from group to group: it heads the rows below it".into(),
            ),
        );
    }
    if let Some(d) = b.date_col {
        let dated = b
            .rows
            .iter()
            .filter(|&&r| g.kind(r, d) == Kind::Date)
            .count();
        parts.insert(
            d,
            (
                Part::Date,
                format!(
                    "{dated} of {} rows hold a date: one row per crime",
                    b.rows.len()
                ),
            ),
        );
    }
    // Forces, in a source for many.
    let mut force_cols: Vec<(usize, usize, bool)> = Vec::new(); // (col, resolved, codes)
    if m.national {
        for &c in &b.columns {
            if parts.contains_key(&c) {
                continue;
            }
            let vals = t.values(c);
            let resolved = vals
                .iter()
                .filter(|(_, v)| !matches!(m.forces.place(v), Where::Unknown))
                .count();
            let forces: BTreeSet<String> = vals
                .iter()
                .filter_map(|(_, v)| match m.forces.place(v) {
                    Where::Force(f) | Where::Both(f, _) => Some(f.id.0.clone()),
                    _ => None,
                })
                .collect();
            if !vals.is_empty() && resolved * 5 >= vals.len() * 3 && forces.len() >= 2 {
                let codes = vals.iter().filter(|(_, v)| is_gss_code(v)).count() * 2 > vals.len();
                force_cols.push((c, resolved, codes));
                parts.insert(
                    c,
                    (
                        Part::Force,
                        format!(
                            "{resolved} of {} cells name a force or an area ({} forces){}",
                            vals.len(),
                            forces.len(),
                            if codes { ", by GSS code" } else { ", by name" }
                        ),
                    ),
                );
            }
        }
    }
    // Each row's request, in a long table: a column of periods.
    let mut period_col = None;
    if !records {
        let reqs = request_periods(ctx);
        for &c in &b.columns {
            if parts.contains_key(&c) {
                continue;
            }
            let vals = t.values(c);
            if vals.len() < 2 {
                continue;
            }
            let named: Vec<_> = vals
                .iter()
                .filter_map(|(_, v)| match periods(v).as_slice() {
                    [one] => Some(one.period),
                    _ => None,
                })
                .collect();
            if named.len() * 5 < vals.len() * 4 {
                continue;
            }
            let answered: BTreeSet<String> = named
                .iter()
                .filter_map(|p| reqs.iter().find(|(_, q)| q == p).map(|(r, _)| r.clone()))
                .collect();
            if answered.is_empty() {
                continue;
            }
            parts.insert(
                c,
                (
                    Part::Period,
                    format!(
                        "{} of {} cells name a period: each row's request ({})",
                        named.len(),
                        vals.len(),
                        answered.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ),
            );
            period_col = Some(c);
            break;
        }
    }
    // Row labels.
    let mut label_of: BTreeMap<usize, Vec<(usize, f64, bool)>> = BTreeMap::new(); // dim -> (col, share, evidence)
                                                                                  // Columns of plain numbers an age dimension would map though their
                                                                                  // header does not say so: ages, perhaps, that foi would not read.
    let mut maybe: Vec<(usize, usize)> = Vec::new(); // (col, dim)
    let fixed: BTreeSet<usize> = m
        .dims()
        .filter(|&d| {
            ctx.response
                .fixed
                .contains_key(&m.campaign.dimensions[d].id)
        })
        .collect();
    for &c in &b.columns {
        if parts.contains_key(&c) || is_row_numbers(g, &b.rows, c, &t.joined[c]) {
            continue;
        }
        let kind = kind_of(g, &b.rows, c);
        if matches!(kind, Kind::Count | Kind::Mark | Kind::Decimal) && !records {
            // Figures, unless the header says they are labels (ages down
            // the side: "Age of victim" over 5, 9, 10).
            let header_words: BTreeSet<String> = words(&t.joined[c]).into_iter().collect();
            let is_age_label = m.dims().any(|d| {
                m.campaign.dimensions[d].kind == DimKind::Age
                    && header_words.iter().any(|w| dim_words(m, d).contains(w))
            }) && c == b.label_col;
            if !is_age_label {
                continue;
            }
        }
        let vals = t.values(c);
        if vals.is_empty() {
            continue;
        }
        let header_words: BTreeSet<String> = words(&t.joined[c]).into_iter().collect();
        let numeric = vals.iter().all(|(_, v)| v.parse::<f64>().is_ok());
        let mut best: Option<(usize, f64, bool)> = None;
        let mut tie = false;
        for d in m.dims() {
            if fixed.contains(&d) {
                continue;
            }
            let dim = &m.campaign.dimensions[d];
            let evidence = header_words.iter().any(|w| dim_words(m, d).contains(w));
            let share = match dim.kind {
                DimKind::Text => {
                    let codes = vals.iter().filter(|(_, v)| is_gss_code(v)).count();
                    if !evidence || codes * 2 > vals.len() || numeric {
                        continue;
                    }
                    1.0
                }
                DimKind::Age | DimKind::Code => {
                    if numeric && !evidence {
                        let ages = vals.iter().filter(|(_, v)| m.map(d, v).is_some()).count();
                        if dim.kind == DimKind::Age && ages * 5 >= vals.len() * 4 {
                            maybe.push((c, d));
                        }
                        continue;
                    }
                    if numeric && dim.kind == DimKind::Code && !header_words.contains("code") {
                        continue;
                    }
                    // A column of references (every value new) is told
                    // from labels by its first few hundred values.
                    let mut seen = BTreeSet::new();
                    let sample = vals
                        .iter()
                        .filter(|(_, v)| seen.insert(v.as_str()))
                        .take(300)
                        .filter(|(_, v)| m.map(d, v).is_some())
                        .count();
                    if sample == 0 {
                        continue;
                    }
                    let mapped = vals.iter().filter(|(_, v)| m.map(d, v).is_some()).count();
                    if mapped == 0 {
                        continue;
                    }
                    mapped as f64 / vals.len() as f64
                }
            };
            if share < 0.5 {
                continue;
            }
            match best {
                Some((_, s, e)) if (s - share).abs() < 1e-9 && e == evidence => tie = true,
                Some((_, s, e)) if share < s || (share == s && e && !evidence) => {}
                _ => {
                    best = Some((d, share, evidence));
                    tie = false;
                }
            }
        }
        if let Some((d, share, evidence)) = best {
            if tie {
                t.uncertain.push(format!(
                    "column {} ({:?}) could label more than one dimension",
                    t.col(c),
                    t.joined[c]
                ));
            }
            label_of.entry(d).or_default().push((c, share, evidence));
        }
    }
    for (c, d) in &maybe {
        if !label_of.contains_key(d) && !parts.contains_key(c) {
            t.uncertain.push(format!(
                "column {} ({:?}) holds numbers that could be {}, and its header does not say",
                t.col(*c),
                t.joined[*c],
                m.campaign.dimensions[*d].id
            ));
        }
    }
    for (d, cands) in &label_of {
        let dim_id = &m.campaign.dimensions[*d].id;
        // Two columns giving one dimension (a code and its description):
        // read one, when they agree row by row.
        let mut chosen = cands[0];
        for &other in &cands[1..] {
            let disagree = b.rows.iter().find(|&&r| {
                let (x, y) = (g.text(r, chosen.0), g.text(r, other.0));
                match (m.map(*d, &x), m.map(*d, &y)) {
                    (Some(a), Some(b)) => a != b,
                    _ => false,
                }
            });
            if let Some(&r) = disagree {
                t.uncertain.push(format!(
                    "columns {} and {} both give {dim_id} and disagree at {}",
                    t.col(chosen.0),
                    t.col(other.0),
                    row_name(sheet, r)
                ));
                continue;
            }
            let holds_total = |c: usize| t.totals.iter().any(|&r| is_total(&g.text(r, c)));
            let better = other.1 > chosen.1 + 1e-9
                || ((other.1 - chosen.1).abs() < 1e-9
                    && holds_total(other.0)
                    && !holds_total(chosen.0));
            let (keep, drop) = if better {
                (other, chosen)
            } else {
                (chosen, other)
            };
            parts.insert(
                drop.0,
                (
                    Part::Ignore(format!(
                        "gives the same {dim_id} as column {}",
                        t.col(keep.0)
                    )),
                    String::new(),
                ),
            );
            chosen = keep;
        }
        let (c, share, evidence) = chosen;
        let vals = t.values(c);
        let example = vals
            .iter()
            .find_map(|(_, v)| m.map(*d, v).map(|x| format!("{:?} is {x}", short(v, 40))))
            .unwrap_or_default();
        let mapped = (share * vals.len() as f64).round() as usize;
        parts.insert(
            c,
            (
                Part::Label(*d),
                format!(
                    "{mapped} of {} labels map to {dim_id}{}{}",
                    vals.len(),
                    if example.is_empty() {
                        String::new()
                    } else {
                        format!(" ({example})")
                    },
                    if evidence {
                        "; the header names it"
                    } else {
                        ""
                    }
                ),
            ),
        );
        if share < 0.999 {
            t.doubt(
                0.75 + 0.25 * share,
                format!(
                    "{} of column {}'s labels map to nothing yet (a crosswalk line each)",
                    vals.len() - mapped,
                    t.col(c)
                ),
            );
        }
    }
    // A flag saying which rows were asked about (one row per crime).
    let mut filter: Option<WhereDef> = None;
    if records {
        for &c in &b.columns {
            if parts.contains_key(&c) {
                continue;
            }
            let vals: BTreeSet<String> = b
                .rows
                .iter()
                .map(|&r| g.text(r, c).trim().to_lowercase())
                .filter(|v| !v.is_empty())
                .collect();
            let flags = ["y", "n", "yes", "no", "true", "false", "1", "0", "x"];
            if vals.is_empty() || !vals.iter().all(|v| flags.contains(&v.as_str())) {
                continue;
            }
            let topic: Vec<String> = words(&t.joined[c])
                .into_iter()
                .filter(|w| {
                    !matches!(
                        w.as_str(),
                        "flag" | "flagged" | "marker" | "indicator" | "enabled" | "yes" | "no"
                    ) && cwords.contains(w)
                })
                .collect();
            let mut keep: Vec<String> = Vec::new();
            for &r in &b.rows {
                let v = g.text(r, c).trim().to_string();
                let yes = matches!(v.to_lowercase().as_str(), "y" | "yes" | "true" | "1" | "x");
                if yes && !keep.iter().any(|k| k.eq_ignore_ascii_case(&v)) {
                    keep.push(v);
                }
            }
            keep.sort();
            if topic.is_empty() {
                parts.insert(
                    c,
                    (
                        Part::Ignore("a flag the campaign does not ask about".into()),
                        String::new(),
                    ),
                );
                continue;
            }
            if keep.is_empty() || filter.is_some() {
                t.uncertain.push(format!(
                    "column {} ({:?}) flags the rows asked about, but foi cannot tell which value keeps a row",
                    t.col(c),
                    t.joined[c]
                ));
                continue;
            }
            filter = Some(WhereDef {
                column: exact(&t.joined[c]),
                equals: keep.clone(),
            });
            parts.insert(
                c,
                (
                    Part::Ignore(String::new()),
                    format!(
                        "a flag on {}: only rows marked {} are read",
                        topic.join(" "),
                        keep.iter()
                            .map(|k| format!("{k:?}"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                ),
            );
            t.reasons.push(format!(
                "column {} ({:?}) flags {}: only rows marked {} are read",
                t.col(c),
                t.joined[c],
                topic.join(" "),
                keep.join(" or ")
            ));
        }
    }

    // ---------------------------------------------------------- figures
    // One row per crime carries no counts: a column of them says the rows
    // are already counted (a date, an offence and a number).
    if records {
        for &c in &b.columns {
            if parts.contains_key(&c) || !matches!(kind_of(g, &b.rows, c), Kind::Count | Kind::Mark)
            {
                continue;
            }
            // "Number: 1" on every row still counts one crime a row.
            let ones = b.rows.iter().all(|&r| {
                let v = g.text(r, c);
                v.is_empty() || v == "1"
            });
            if ones {
                parts.insert(
                    c,
                    (
                        Part::Ignore("1 on every row: one crime a row, as counted".into()),
                        String::new(),
                    ),
                );
                continue;
            }
            if matches!(
                meaning(&t, c, &cwords, &unit),
                Meaning::Generic | Meaning::Total | Meaning::Request(_) | Meaning::Month(_)
            ) {
                t.uncertain.push(format!(
                    "its rows carry counts (column {}, {:?}), so they are not one row per crime",
                    t.col(c),
                    t.joined[c]
                ));
            }
        }
    }
    let mut meanings: Vec<(usize, Meaning)> = Vec::new();
    let mut decimals = Vec::new();
    if !records {
        for &c in &b.columns {
            if parts.contains_key(&c) {
                continue;
            }
            // Row numbers (1, 2, 3, …) count nothing.
            if is_row_numbers(g, &b.rows, c, &t.joined[c]) {
                parts.insert(
                    c,
                    (
                        Part::Ignore("row numbers (1, 2, 3, …), not counts".into()),
                        String::new(),
                    ),
                );
                continue;
            }
            match kind_of(g, &b.rows, c) {
                Kind::Count | Kind::Mark => meanings.push((c, meaning(&t, c, &cwords, &unit))),
                Kind::Decimal => decimals.push(c),
                _ => {}
            }
        }
    }
    // A header that is a value of more than one dimension is read as the
    // one most of the table's headers are values of.
    let mut votes: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, mn) in &meanings {
        if let Meaning::Dims(found) = mn {
            for (d, _) in found {
                *votes.entry(*d).or_default() += 1;
            }
        }
    }
    let top = votes.values().copied().max().unwrap_or(0);
    let leaders: Vec<usize> = votes
        .iter()
        .filter(|(_, &n)| n == top)
        .map(|(&d, _)| d)
        .collect();
    for (_, mn) in &mut meanings {
        if let Meaning::Dims(found) = mn {
            let pick = match leaders.as_slice() {
                [d] => found.iter().find(|(x, _)| x == d).cloned(),
                _ => None,
            };
            *mn = match (pick, found.as_slice()) {
                (Some((d, v)), _) => Meaning::Dim(d, v),
                (None, [(d, v)]) if leaders.is_empty() => Meaning::Dim(*d, v.clone()),
                _ => Meaning::Unknown(format!(
                    "is a value of {}, unlike the headers beside it",
                    found
                        .iter()
                        .map(|(d, _)| m.campaign.dimensions[*d].id.0.clone())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            };
        }
    }
    if decimals.len() > meanings.len() {
        return Outcome::Passed(format!(
            "most of its columns are not counts ({} of {} hold fractions or negative numbers: rates, percentages, changes)",
            decimals.len(),
            decimals.len() + meanings.len()
        ));
    }
    // Ages (or any dimension's values) under a period, block by block: the
    // period the joined header names over each value.
    let reqs = request_periods(ctx);
    let mut dim_request: BTreeMap<usize, Option<String>> = BTreeMap::new();
    for (c, mn) in &mut meanings {
        if !matches!(mn, Meaning::Dim(..)) {
            continue;
        }
        let named = t.header_periods(*c);
        match named.len() {
            0 => {
                dim_request.insert(*c, None);
            }
            1 => {
                let p = *named.iter().next().unwrap_or(&foi_model::Period {
                    from: chrono::NaiveDate::MIN,
                    to: chrono::NaiveDate::MIN,
                });
                match reqs.iter().find(|(_, q)| *q == p) {
                    Some((r, _)) => {
                        dim_request.insert(*c, Some(r.clone()));
                    }
                    None => {
                        *mn = Meaning::OtherPeriod(format!(
                            "is for {} to {}, which no request of this response covers",
                            p.from, p.to
                        ))
                    }
                }
            }
            _ => *mn = Meaning::Unknown("names more than one period".into()),
        }
    }
    let blocks_by_request = !dim_request.is_empty() && dim_request.values().all(Option::is_some);
    if dim_request.values().any(Option::is_some) && !blocks_by_request {
        t.uncertain
            .push("some column headers name a period above their values, others do not".into());
    }
    let of = |want: fn(&Meaning) -> bool| -> Vec<usize> {
        meanings
            .iter()
            .filter(|(_, mn)| want(mn))
            .map(|(c, _)| *c)
            .collect()
    };
    let months = of(|x| matches!(x, Meaning::Month(_)));
    let dims_across = of(|x| matches!(x, Meaning::Dim(..)));
    let requests = of(|x| matches!(x, Meaning::Request(_)));
    let totals = of(|x| matches!(x, Meaning::Total));
    let generic = of(|x| matches!(x, Meaning::Generic));
    let mut table_request_needed = false;
    for c in &decimals {
        parts.insert(
            *c,
            (
                Part::Ignore(
                    "not counts (fractions or negative numbers: rates, percentages)".into(),
                ),
                String::new(),
            ),
        );
    }
    let across_dims: BTreeSet<usize> = meanings
        .iter()
        .filter_map(|(_, mn)| match mn {
            Meaning::Dim(d, _) => Some(*d),
            _ => None,
        })
        .collect();
    if records {
        // Counted rows: nothing more to read.
    } else if !months.is_empty() {
        if !dims_across.is_empty() || !requests.is_empty() {
            t.uncertain
                .push("columns of months beside columns of other things".into());
        }
    } else if !dims_across.is_empty() {
        if across_dims.len() > 1 {
            t.uncertain
                .push("its column headers give values of more than one dimension".into());
        }
        if !requests.is_empty() && !blocks_by_request {
            t.uncertain
                .push("columns of requests beside columns of dimension values".into());
        }
        table_request_needed = !blocks_by_request;
    } else if !requests.is_empty() {
    } else if generic.len() + totals.len() == 1 {
        table_request_needed = true;
    } else if generic.len() + totals.len() > 1 {
        return Outcome::Passed(format!(
            "{} columns of figures, and no header says which this campaign asks for",
            generic.len() + totals.len()
        ));
    } else {
        let said: Vec<String> = meanings
            .iter()
            .filter_map(|(c, mn)| match mn {
                Meaning::Unknown(why) | Meaning::OtherPeriod(why) | Meaning::OtherUnit(why) => {
                    Some(format!("column {} {why}", t.col(*c)))
                }
                Meaning::NarrowTotal => Some(format!(
                    "column {} is a total of something narrower ({:?})",
                    t.col(*c),
                    short(&t.joined[*c], 50)
                )),
                _ => None,
            })
            .take(3)
            .collect();
        return Outcome::Passed(if said.is_empty() {
            "no column of figures".into()
        } else {
            format!(
                "no column holds this campaign's figures ({})",
                said.join("; ")
            )
        });
    }
    let single = dims_across.is_empty()
        && requests.is_empty()
        && months.is_empty()
        && generic.len() + totals.len() == 1;
    for (c, mn) in &meanings {
        let evidence = format!("header {:?}", short(&t.joined[*c], 60));
        let part = match mn {
            Meaning::Month(mo) => Part::Month(*mo),
            Meaning::Dim(d, v) => {
                Part::ByHeader(*d, v.clone(), dim_request.get(c).cloned().flatten())
            }
            Meaning::Request(r) => Part::Value(Some(r.clone())),
            Meaning::Total | Meaning::Generic if single => Part::Value(None),
            Meaning::Total | Meaning::NarrowTotal if !dims_across.is_empty() => Part::Total,
            Meaning::NarrowTotal => {
                t.doubt(
                    0.85,
                    format!(
                        "column {} ({:?}) is a total of something narrower than the campaign asks: not read",
                        t.col(*c),
                        short(&t.joined[*c], 60)
                    ),
                );
                Part::Ignore("a total of something narrower than the campaign asks".into())
            }
            Meaning::Total => Part::Ignore(format!(
                "a total over columns of {}: no request's",
                if months.is_empty() {
                    "requests"
                } else {
                    "months"
                }
            )),
            Meaning::Generic => Part::Ignore("a count beside the table's own columns".into()),
            Meaning::OtherPeriod(why) | Meaning::OtherUnit(why) => Part::Ignore(why.clone()),
            Meaning::Dims(_) => Part::Ignore("a value of several dimensions".into()),
            Meaning::Unknown(why) => {
                t.doubt(
                    0.85,
                    format!(
                        "column {} ({:?}) holds counts foi does not read: it {why}",
                        t.col(*c),
                        short(&t.joined[*c], 60)
                    ),
                );
                Part::Ignore(why.clone())
            }
        };
        let evidence = match (&part, mn) {
            (Part::Month(mo), _) => format!("{evidence} is the month {}-{:02}", mo.year, mo.month),
            (Part::ByHeader(d, v, r), _) => format!(
                "{evidence} is {} {v}{}",
                m.campaign.dimensions[*d].id,
                r.as_ref()
                    .map(|r| format!(", for request {r}"))
                    .unwrap_or_default()
            ),
            (Part::Value(Some(r)), _) => match t.footnoted.get(c) {
                Some((_, note)) => format!(
                    "{evidence} names request {r}'s period, as its footnote at {} says",
                    super::at(
                        g.sheet,
                        *note,
                        g.filled(*note).first().copied().unwrap_or(0)
                    )
                ),
                None => format!("{evidence} names request {r}'s period"),
            },
            (Part::Value(None), Meaning::Total) => {
                format!("{evidence}: the table's one column of counts")
            }
            (Part::Value(None), _) => format!("{evidence}: the table's one column of counts"),
            (Part::Total, _) => format!("{evidence}: a total over the columns beside it"),
            _ => evidence,
        };
        parts.insert(*c, (part, evidence));
    }
    // What the words around the table say of all its figures.
    if let Some(note) = super::doubts::rounding(&near) {
        t.uncertain.push(format!(
            "a note says its figures are rounded ({:?}): foi reads each figure as the count itself, so a rounded one would be published as exact",
            short(note, 80)
        ));
    }
    if let Some(own) = &ctx.response.force {
        let texts = near
            .iter()
            .map(|(_, t)| t.as_str())
            .chain(place.sheet_titles.iter().map(String::as_str));
        for text in texts {
            if let Some(other) = super::doubts::other_force(text, own, m.forces) {
                t.uncertain.push(format!(
                    "the text around it names {other}, not {own}: another force's figures, sent in error?"
                ));
                break;
            }
        }
    }
    // Columns for a period no request covers: said at the response's
    // level, where a request left unanswered makes them a doubt.
    let other_periods: Vec<(String, String, foi_model::Period)> = meanings
        .iter()
        .filter(|(_, mn)| matches!(mn, Meaning::OtherPeriod(_)))
        .filter_map(|(c, _)| {
            let p = t.header_periods(*c).into_iter().next()?;
            Some((t.col(*c), t.joined[*c].clone(), p))
        })
        .collect();
    // Every other column holding something reads nothing.
    for &c in &b.columns {
        parts.entry(c).or_insert_with(|| {
            (
                Part::Ignore("nothing the campaign asks about".into()),
                String::new(),
            )
        });
    }
    let labels: Vec<usize> = parts
        .iter()
        .filter(|(_, (p, _))| matches!(p, Part::Label(_)))
        .map(|(c, _)| *c)
        .collect();
    // Tables side by side (offences in A:C, ages in E:G) share their rows
    // but not their labels: a column of figures between two label columns
    // says so.
    if !records {
        let figures_at: Vec<usize> = parts
            .iter()
            .filter(|(_, (p, _))| {
                matches!(
                    p,
                    Part::Value(_) | Part::ByHeader(..) | Part::Month(_) | Part::Total
                )
            })
            .map(|(c, _)| *c)
            .collect();
        if let (Some(&first), Some(&last)) = (labels.first(), labels.last()) {
            if let Some(&c) = figures_at.iter().find(|&&c| c > first && c < last) {
                t.uncertain.push(format!(
                    "column {} holds figures between two columns of labels: two tables side by side?",
                    t.col(c)
                ));
            }
        }
    }
    let has_force = !force_cols.is_empty();
    if m.national && !has_force {
        return Outcome::Passed("no column of forces, in a source that answers for many".into());
    }
    if !records && labels.is_empty() && !has_force && period_col.is_none() {
        return Outcome::Passed("no column of row labels the campaign's dimensions map".into());
    }

    // ---------------------------------------------------------- unit
    // What the table counts: a column beside the ones read that counts
    // something else ("Total number of arrests") while none read says it
    // counts what the response does, or a title whose first unit is
    // another ("Number of persons arrested for offences"), says the
    // figures may not be this response's.
    let ours = unit;
    let names_ours = |text: &str| {
        words(text)
            .iter()
            .any(|w| unit_class(w).is_some() && unit_class(w) == ours)
    };
    let other_units: Vec<usize> = meanings
        .iter()
        .filter(|(_, mn)| matches!(mn, Meaning::OtherUnit(_)))
        .map(|(c, _)| *c)
        .collect();
    let read_say_ours = parts
        .iter()
        // A value of a dimension ("Sexual offences") names no unit.
        .filter(|(_, (p, _))| matches!(p, Part::Value(_) | Part::Total))
        .any(|(c, _)| names_ours(&t.joined[*c]));
    if let Some(&c) = other_units.first() {
        if !read_say_ours {
            t.uncertain.push(format!(
                "column {} ({:?}) counts something else than {}, and no column read says it counts {}",
                t.col(c),
                short(&t.joined[c], 50),
                ours.unwrap_or("what the response counts"),
                ours.unwrap_or("that")
            ));
        }
    }
    let titles: Vec<String> = b
        .titles
        .iter()
        .map(|(r, _)| row_text(g, *r))
        .chain(place.sheet_titles.iter().cloned())
        .collect();
    if let Some((title, first)) = titles
        .iter()
        .find_map(|t| title_unit(t).map(|u| (t.clone(), u)))
    {
        if Some(first) != ours && ours.is_some() {
            t.uncertain.push(format!(
                "its title counts {first} ({:?}), not {}",
                short(&title, 60),
                ours.unwrap_or("")
            ));
        }
    }

    // ---------------------------------------------------------- request
    let mut request: Option<String> = None;
    if table_request_needed && period_col.is_none() {
        match table_request(&t, place) {
            Ok((r, why)) => {
                t.reasons.push(why);
                request = Some(r);
            }
            Err(Err(other)) => return Outcome::Passed(other),
            Err(Ok(why)) => t.uncertain.push(why),
        }
    }

    // ---------------------------------------------------------- rows
    let mut notes = Vec::new();
    let label_col = labels.first().copied().unwrap_or(b.label_col);
    let figure_cols: Vec<usize> = parts
        .iter()
        .filter(|(_, (p, _))| {
            matches!(
                p,
                Part::Value(_) | Part::ByHeader(..) | Part::Month(_) | Part::Total
            )
        })
        .map(|(c, _)| *c)
        .collect();
    let has_figure = |r: usize| figure_cols.iter().any(|&c| g.kind(r, c).is_figure());
    // A last row whose label means nothing to the campaign and whose every
    // figure (two or more) is the sum of the rows above it is their total,
    // whatever it is called ("All reported").
    if t.totals.is_empty() && !records && b.rows.len() >= 3 {
        if let Some(&last) = b.rows.last() {
            let label = g.text(last, label_col);
            let known = labels.iter().any(|&c| match &parts[&c].0 {
                Part::Label(d) => m.map(*d, &t.label(last, c)).is_some(),
                _ => false,
            });
            let exact = |r: usize, c: usize| whole_count(g, r, c);
            let rest = &b.rows[..b.rows.len() - 1];
            let adds_up = !figure_cols.is_empty()
                && figure_cols.iter().all(|&c| {
                    let sum: Option<u64> = rest.iter().map(|&r| exact(r, c)).sum();
                    matches!((sum, exact(last, c)), (Some(s), Some(v)) if s == v)
                })
                // Two columns adding up at once is no coincidence; one
                // could be (a new offence's count equal to the rest).
                && figure_cols
                    .iter()
                    .filter(|&&c| exact(last, c).is_some_and(|v| v > 0))
                    .count()
                    >= 2;
            if !label.is_empty() && !known && labels.len() == 1 && adds_up {
                t.totals.insert(last);
                t.reasons.push(format!(
                    "{} ({:?}) is the sum of the rows above it: their total",
                    row_name(sheet, last),
                    label
                ));
            }
        }
    }
    // Rows of labels alone whose labels map to nothing: left out.
    let mut skips: Vec<String> = b.skip.iter().map(|&r| row_text(g, r)).collect();
    for &r in &b.skip {
        notes.push(format!(
            "{} ({:?}) lies between the header and the figures: {}",
            row_name(sheet, r),
            short(&row_text(g, r), 40),
            if t.heads.contains(&r) {
                "heads the rows below it, each read with it"
            } else {
                "left out"
            }
        ));
    }
    if !records {
        for &r in &b.rows {
            if has_figure(r) || t.totals.contains(&r) {
                continue;
            }
            let unmapped = labels.iter().any(|&c| {
                let v = t.label(r, c);
                let d = match &parts[&c].0 {
                    Part::Label(d) => *d,
                    _ => return false,
                };
                !v.is_empty()
                    && m.campaign.dimensions[d].kind != DimKind::Text
                    && m.map(d, &v).is_none()
            });
            if unmapped {
                let first = g
                    .filled(r)
                    .first()
                    .map(|&c| g.text(r, c))
                    .unwrap_or_default();
                skips.push(first);
                notes.push(format!(
                    "{}: {:?} holds no figures: {}",
                    row_name(sheet, r),
                    short(&row_text(g, r), 50),
                    if t.heads.contains(&r) {
                        "heads the rows below it, each read with it"
                    } else {
                        "left out"
                    }
                ));
            }
        }
    }
    // Group headings carrying their group's subtotal (a pivot table in
    // compact form: "Rape of a child 12" above its offences): each such
    // row's figures are the sum of the rows below it, to the next. Two
    // groups or more, all adding up, every member a label the campaign
    // knows: checked here, then left out (never added, never a label).
    if !records {
        let unmapped = |r: usize| {
            labels.iter().any(|&c| match &parts[&c].0 {
                Part::Label(d) => {
                    let v = t.label(r, c);
                    !v.is_empty()
                        && m.campaign.dimensions[*d].kind != DimKind::Text
                        && m.map(*d, &v).is_none()
                }
                _ => false,
            })
        };
        let whole = |r: usize, c: usize| whole_count(g, r, c);
        let rows: Vec<usize> = b
            .rows
            .iter()
            .copied()
            .filter(|&r| has_figure(r) && !t.totals.contains(&r))
            .collect();
        let heads: Vec<usize> = rows.iter().copied().filter(|&r| unmapped(r)).collect();
        let groups: Vec<(usize, Vec<usize>)> = heads
            .iter()
            .enumerate()
            .map(|(i, &h)| {
                let end = heads.get(i + 1).copied().unwrap_or(usize::MAX);
                let members = rows.iter().copied().filter(|&r| r > h && r < end).collect();
                (h, members)
            })
            .collect();
        let add_up = groups.len() >= 2
            && groups.iter().all(|(h, members)| {
                !members.is_empty()
                    && figure_cols.iter().all(|&c| {
                        let sum: Option<u64> = members.iter().map(|&r| whole(r, c)).sum();
                        matches!((sum, whole(*h, c)), (Some(s), Some(v)) if s == v)
                    })
            });
        if add_up {
            for (h, members) in &groups {
                t.subtotals.insert(*h);
                skips.push(g.text(*h, label_col));
                notes.push(format!(
                    "{} ({:?}) is the subtotal of the {} rows below it (checked): left out",
                    row_name(sheet, *h),
                    short(&g.text(*h, label_col), 40),
                    members.len()
                ));
            }
            t.reasons.push(format!(
                "{} group headings each carry the sum of the rows below them",
                groups.len()
            ));
        }
    }
    skips.sort();
    skips.dedup();
    // Empty labels in rows with figures: a subtotal (national tables) or
    // something foi cannot place.
    let mut blank_total: BTreeSet<usize> = BTreeSet::new();
    if !records {
        for &c in &labels {
            let empty: Vec<usize> = b
                .rows
                .iter()
                .copied()
                .filter(|&r| has_figure(r) && !t.totals.contains(&r) && g.text(r, c).is_empty())
                .collect();
            if empty.is_empty() {
                continue;
            }
            if has_force {
                blank_total.insert(c);
                notes.push(format!(
                    "{} rows with no {} label: each a force's total over its rows (checked against them)",
                    empty.len(),
                    t.joined[c]
                ));
            } else {
                t.uncertain.push(format!(
                    "{} has figures but no label in column {}",
                    row_name(sheet, empty[0]),
                    t.col(c)
                ));
            }
        }
    }
    // Totals.
    let total_texts: BTreeSet<String> = t
        .totals
        .iter()
        .map(|&r| {
            let label = g.text(r, label_col);
            if label.is_empty() {
                g.filled(r)
                    .first()
                    .map(|&c| g.text(r, c))
                    .unwrap_or_default()
            } else {
                label
            }
        })
        .collect();
    if !records {
        check_totals(&mut t, &parts, &figure_cols, &mut notes);
    }
    // National tables: the source's own total, and names an area shares.
    let mut aggregate: Vec<String> = Vec::new();
    let mut ambiguous = None;
    let mut force_order: Vec<usize> = Vec::new();
    if has_force {
        let names: Vec<usize> = force_cols.iter().filter(|f| !f.2).map(|f| f.0).collect();
        let codes: Vec<usize> = force_cols.iter().filter(|f| f.2).map(|f| f.0).collect();
        // Names first: a code typed wrong is caught by the name beside it
        // (and reported); codes first where a name would lose a row.
        let rescued = b.rows.iter().any(|&r| {
            names.iter().any(|&n| {
                let v = g.text(r, n);
                !v.is_empty() && matches!(m.forces.place(&v), Where::Unknown)
            }) && codes
                .iter()
                .any(|&c| matches!(m.forces.place(&g.text(r, c)), Where::Force(_)))
        });
        if rescued {
            force_order.extend(&codes);
            force_order.extend(&names);
        } else {
            force_order.extend(&names);
            force_order.extend(&codes);
        }
        let mut areas = 0;
        let mut both = false;
        for &r in &b.rows {
            for &c in &force_cols.iter().map(|f| f.0).collect::<Vec<_>>() {
                match m.forces.place(&g.text(r, c)) {
                    Where::Area(a) if a.code == "K04000001" => {
                        let p = format!("(?i){}", escape(&a.name.to_lowercase()));
                        if !aggregate.contains(&p) {
                            aggregate.push(p);
                        }
                    }
                    Where::Area(_) => areas += 1,
                    Where::Both(..) => both = true,
                    _ => {}
                }
            }
        }
        for tt in &total_texts {
            let p = exact(tt);
            if !aggregate.contains(&p) {
                aggregate.push(p);
            }
        }
        if !aggregate.is_empty() {
            notes.push("the source's own total over its forces: checked, never added".into());
        }
        if both && areas == 0 && codes.is_empty() {
            ambiguous = Some(NameRule::Force);
            notes.push(
                "a name a force and an area share is the force's: the table lists no area".into(),
            );
        }
    }

    // ---------------------------------------------------------- layout
    let last = *b.rows.last().unwrap_or(&header_row);
    let header_rows = t.header_row_count();
    // The rows the reader goes through: every row from below the header
    // to the last data row but blank ones, and those `where` keeps.
    let first_data = header_row + header_rows;
    let filter_col = filter.as_ref().and_then(|f| {
        b.columns
            .iter()
            .copied()
            .find(|&c| exact(&t.joined[c]) == f.column)
    });
    let keep: Vec<String> = filter
        .as_ref()
        .map(|f| f.equals.iter().map(|e| e.to_lowercase()).collect())
        .unwrap_or_default();
    let data_rows: Vec<usize> = (first_data..=last)
        .filter(|&r| g.live[r] && !g.is_blank(r))
        .filter(|&r| filter_col.is_none_or(|c| keep.contains(&g.text(r, c).trim().to_lowercase())))
        .collect();
    let stop = stop_for(g, b, &data_rows, last);
    let mut columns: Vec<ColumnDef> = Vec::new();
    let mut roles: BTreeMap<usize, usize> = BTreeMap::new();
    let mut findings: Vec<ColumnFinding> = Vec::new();
    let mut order: Vec<usize> = force_order.clone();
    order.extend(parts.keys().copied().filter(|c| !force_order.contains(c)));
    let mut by_header_text: BTreeMap<String, (Role, Option<String>, Option<String>)> =
        BTreeMap::new();
    for c in order {
        let (part, evidence) = &parts[&c];
        let (role, dim, req, shown) = match part {
            Part::Label(d) => {
                let id = m.campaign.dimensions[*d].id.0.clone();
                (Role::Label, Some(id.clone()), None, format!("label {id}"))
            }
            Part::Force => (Role::Force, None, None, "force".into()),
            Part::Period => (Role::Period, None, None, "period".into()),
            Part::Date => (Role::Date, None, None, "date".into()),
            Part::ByHeader(d, _, r) => {
                let id = m.campaign.dimensions[*d].id.0.clone();
                (
                    Role::ByHeader,
                    Some(id.clone()),
                    r.clone(),
                    format!(
                        "by_header {id}{}",
                        r.as_ref().map(|r| format!(" {r}")).unwrap_or_default()
                    ),
                )
            }
            Part::Value(r) => (
                Role::Value,
                None,
                r.clone(),
                match r {
                    Some(r) => format!("value {r}"),
                    None => format!(
                        "value{}",
                        request
                            .as_ref()
                            .map(|r| format!(" {r}"))
                            .unwrap_or_default()
                    ),
                },
            ),
            Part::Month(_) => (Role::Month, None, None, "month".into()),
            Part::Total => (Role::Total, None, None, "total".into()),
            Part::Heading => (Role::Heading, None, None, "heading".into()),
            Part::Ignore(why) => {
                findings.push(ColumnFinding {
                    column: t.col(c),
                    header: t.joined[c].clone(),
                    role: "ignore".into(),
                    evidence: if evidence.is_empty() {
                        why.clone()
                    } else {
                        evidence.clone()
                    },
                });
                // Only a column with a header can be said to be ignored;
                // unheaded ones are read by nobody anyway.
                if t.joined[c].is_empty()
                    || filter
                        .as_ref()
                        .is_some_and(|f| f.column == exact(&t.joined[c]))
                {
                    continue;
                }
                (Role::Ignore, None, None, "ignore".into())
            }
        };
        if role != Role::Ignore {
            findings.push(ColumnFinding {
                column: t.col(c),
                header: t.joined[c].clone(),
                role: shown,
                evidence: evidence.clone(),
            });
        }
        let header = if t.joined[c].is_empty() {
            if role == Role::Label
                && b.columns
                    .iter()
                    .filter(|&&x| t.joined[x].is_empty())
                    .count()
                    == 1
            {
                "^$".to_string()
            } else {
                t.uncertain.push(format!(
                    "column {} has no header, so the layout cannot name it",
                    t.col(c)
                ));
                continue;
            }
        } else {
            exact(&t.joined[c])
        };
        let key = t.joined[c].clone();
        if let Some(prev) = by_header_text.get(&key) {
            if *prev != (role, dim.clone(), req.clone()) {
                t.uncertain
                    .push(format!("two columns headed {key:?} play different parts"));
            }
            let i = columns.iter().position(|d| d.header == header).unwrap_or(0);
            roles.insert(c, i);
            continue;
        }
        by_header_text.insert(key, (role, dim.clone(), req.clone()));
        roles.insert(c, columns.len());
        columns.push(ColumnDef {
            header,
            role,
            dim,
            request: req,
            blank: blank_total.contains(&c).then_some(Blank::Total),
        });
    }
    let (header, occurrence) = match header_pattern(g, b, header_row, &data_rows) {
        Some(x) => x,
        None => {
            t.uncertain
                .push("no cell of its header row tells it apart from the rows below".into());
            (exact(&row_text(g, header_row)), 1)
        }
    };
    let skip_rows = (!skips.is_empty()).then(|| {
        format!(
            "^({})$",
            skips
                .iter()
                .map(|s| escape(flat(s).as_ref()))
                .collect::<Vec<_>>()
                .join("|")
        )
    });
    let total_rows = (!total_texts.is_empty() && !has_force && !records).then(|| {
        if total_texts.len() == 1 {
            exact(total_texts.iter().next().map(String::as_str).unwrap_or(""))
        } else {
            format!(
                "^({})$",
                total_texts
                    .iter()
                    .map(|s| escape(s))
                    .collect::<Vec<_>>()
                    .join("|")
            )
        }
    });
    let def = TableDef {
        sheet: sheet
            .name
            .as_ref()
            .filter(|_| place.named_sheet)
            .map(|n| exact(n.trim())),
        header,
        occurrence,
        header_rows,
        stop: stop.clone(),
        shape: if records {
            Shape::Records
        } else {
            Shape::Table
        },
        filter: filter.clone(),
        request: request.clone(),
        total_rows,
        skip_rows,
        aggregate_rows: (!aggregate.is_empty()).then(|| aggregate.join("|")),
        ambiguous_names: ambiguous,
        requests: BTreeMap::new(),
        columns,
    };
    for tt in &total_texts {
        notes.push(format!("{tt:?}: a stated total, checked, never added"));
    }
    if let Some(s) = &stop {
        notes.push(format!("the table ends at a row starting {s:?}"));
    }
    let toml = super::render(std::slice::from_ref(&def));
    let span = {
        let mut cols = b.columns.clone();
        cols.sort_unstable();
        cols
    };
    let p = Proposal {
        sheet: sheet.name.clone(),
        range: range(sheet, header_row, last, &span),
        header_rows: b.header.iter().map(|r| r + 1).collect(),
        first_row: b.rows[0] + 1,
        last_row: last + 1,
        shape: if records { "records" } else { "table" },
        request,
        columns: findings,
        rows: notes,
        confidence: t.confidence,
        reasons: t.reasons,
        uncertain: t.uncertain,
        toml,
        def: Some(def),
        data_rows,
        sheet_index: place.sheet_index,
        header_row,
        roles,
        other_periods,
    };
    Outcome::Table(Box::new(p))
}
