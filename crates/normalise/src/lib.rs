//! foi-normalise: one force's response in, canonical records out.
//!
//! ```text
//! normalise(&Input { campaign, response, bytes, sha256 }) -> Normalised { records, diagnostics }
//! ```
//!
//! The bytes are read whatever their format (xlsx, xls, ods, csv in UTF-8 or
//! Windows-1252, an HTML table saved as .xls), each configured table is found
//! by its header text, labels are mapped through the campaign's crosswalks,
//! counts are parsed into intervals, and a force's own totals are checked
//! against its cells, narrowing suppressed cells where they allow.
//!
//! Invariants: pure (no network, no clock, no files: the caller hands in the
//! bytes); never panics on input; a problem is a [`Diagnostic`] naming force,
//! file, sheet and cell, and the rest of the response is still read.

pub mod detect;
mod grid;
mod harmonise;
pub mod heading;
mod html;
mod solve;
pub mod suggest;
mod table;
mod value;
mod workbook;

pub use grid::{read as read_grid, Cell, ReadError, Sheet};
pub use value::{parse_text, Parsed, Suppression};

use foi_model::config::{Campaign, Response};
use foi_model::{
    fold_label, sniff, Aggregate, CellRef, Count, Diagnostic, DiagnosticKind as Kind, DimId,
    DimValue, ForceId, Interval, Lineage, Period, Record, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

/// Everything normalise needs to read one response.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub campaign: &'a Campaign,
    /// The reference list of forces, for sources that name a force per row.
    pub forces: &'a foi_model::Forces,
    pub response: &'a Response,
    /// The source's bytes (from the raw cache); empty for manual-only responses.
    pub bytes: &'a [u8],
    /// sha256 of `bytes`, for lineage.
    pub sha256: &'a str,
    /// Bounds on what reading the bytes may take.
    pub limits: &'a foi_model::Limits,
}

#[derive(Debug, Clone, Default)]
pub struct Normalised {
    pub records: Vec<Record>,
    /// Totals a source states over all its forces: to be checked, not added.
    pub aggregates: Vec<foi_model::Aggregate>,
    /// Every total the source states for a force, checked against the
    /// figures it totals: for reconciliation.csv.
    pub checks: Vec<foi_model::Check>,
    pub diagnostics: Vec<Diagnostic>,
    /// The layout detection read the response with, in the config
    /// language (a comment, then `[[table]]`s), for a response that gave
    /// none; published with the release so it can be reviewed and pinned.
    /// `None` when the response said where its figures are, or when
    /// detection was refused.
    pub layout: Option<String>,
}

impl Normalised {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// A figure read from a table, before the response's fixed facts are added.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    /// The row's force, in a source answering for many; else the response's.
    pub force: Option<ForceId>,
    /// Set for a row stating a total over all the source's forces.
    pub aggregate: Option<String>,
    pub request: String,
    pub dims: BTreeMap<DimId, DimValue>,
    pub interval: Interval,
    pub text: String,
    pub cells: Vec<CellRef>,
    pub sheet: Option<String>,
    pub page: Option<u32>,
    /// Where a figure typed into the config was written
    /// ("responses/durham.toml:14"): said beside its page when it is given
    /// twice, as a grid's rows share one page.
    pub typed_at: Option<String>,
    /// The part of the request's period the figure covers, when less
    /// than all of it.
    pub covered: Option<Period>,
    /// Why the row may not be the force's at all (a name an area shares):
    /// the force's figures for the request are refused.
    pub doubt: Option<String>,
    /// The rows of a table the figure was read from (more than one where
    /// monthly columns were summed); none for a figure typed into the
    /// config or counted from rows of crimes.
    pub rows: Vec<TableRow>,
}

/// A row of a table, for telling whether two figures came from two rows
/// of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableRow {
    /// The table: its sheet and header row.
    pub table: (Option<String>, usize),
    pub row: usize,
    /// Its label as read (with the heading it is under).
    pub label: String,
    /// Whether the table's rows name their forces: there, a row that
    /// repeats another's label is that figure given twice.
    pub of_many: bool,
}

/// How a person finds a cell: "C14" in a sheet, "line 14, field 3" in text.
pub(crate) fn place(sheet: &Sheet, c: CellRef) -> String {
    if sheet.name.is_some() {
        c.a1()
    } else {
        format!("line {}, field {}", c.row + 1, c.col + 1)
    }
}

/// What the readers share: the response, and the diagnostics so far.
pub(crate) struct Ctx<'a> {
    pub campaign: &'a Campaign,
    pub forces: &'a foi_model::Forces,
    /// The force of the row being read, in a source answering for many.
    pub row_force: Option<ForceId>,
    /// Why the row being read may not be its force's (see [`Raw::doubt`]).
    pub row_doubt: Option<String>,
    pub response: &'a Response,
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Unmapped labels already reported: (dim, label, force) -> (diagnostic
    /// index, further cells), so a label on 200 rows is one error, not
    /// 200. By force, in a source for many: each force whose rows were
    /// left out is named (and flagged when the rest is published).
    unmapped_seen: BTreeMap<(DimId, String, ForceId), (usize, usize)>,
    /// Marked cells already reported, by force, request and what the mark
    /// means -> (diagnostic index, further cells): a row of ".." is one
    /// warning, not one per cell.
    marks_seen: BTreeMap<(ForceId, Option<String>, &'static str), (usize, usize)>,
    /// Why figures of a force were left out (unmapped labels, cells with
    /// no figure), by force; `None` for every force of the response. Its
    /// figures then need not add up, so they are neither narrowed nor
    /// reported as disagreeing on their own account.
    pub left_out: BTreeMap<Option<ForceId>, BTreeSet<String>>,
    /// For the table being read with `ambiguous_names =
    /// "area_then_force"`: row -> (its place among the rows of a name a
    /// force and an area share, how many there are).
    pub shared_names: BTreeMap<usize, (usize, usize)>,
    /// [`Ctx::map`]'s answers so far, by dimension and force: a label on
    /// thousands of rows is mapped once.
    mapped: std::cell::RefCell<Vec<MapMemo>>,
}

/// The labels of one dimension mapped for one force, and what they map to.
type MapMemo = (
    DimId,
    Option<ForceId>,
    std::collections::HashMap<String, Option<DimValue>>,
);

impl<'a> Ctx<'a> {
    fn diag(
        &mut self,
        severity: Severity,
        kind: Kind,
        sheet: &Sheet,
        at: Option<CellRef>,
        message: String,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::new(severity, kind, message)
            .force(&self.who())
            .file(self.file.clone());
        if let Some(name) = &sheet.name {
            d = d.sheet(name.clone());
        }
        if let Some(c) = at {
            d = d.cell(place(sheet, c));
        }
        d.hint = hint;
        self.diagnostics.push(d);
    }
    pub fn error(
        &mut self,
        kind: Kind,
        sheet: &Sheet,
        at: Option<CellRef>,
        message: String,
        hint: Option<String>,
    ) {
        self.diag(Severity::Error, kind, sheet, at, message, hint)
    }
    pub fn warning(
        &mut self,
        kind: Kind,
        sheet: &Sheet,
        at: Option<CellRef>,
        message: String,
        hint: Option<String>,
    ) {
        self.diag(Severity::Warning, kind, sheet, at, message, hint)
    }
    pub fn note(&mut self, kind: Kind, sheet: &Sheet, at: Option<CellRef>, message: String) {
        self.diag(Severity::Note, kind, sheet, at, message, None)
    }
    /// The force a diagnostic or a force-scoped crosswalk line is about: the
    /// row's, the response's, or (for a national table's own rows) all.
    pub fn who(&self) -> ForceId {
        self.row_force
            .clone()
            .or_else(|| self.response.force.clone())
            .unwrap_or_else(|| ForceId("all forces".into()))
    }
    pub fn map(&self, dim: &DimId, label: &str) -> Option<DimValue> {
        // Mapping depends only on the dimension, the label and whose it is.
        let force = self.row_force.as_ref().or(self.response.force.as_ref());
        let mut memo = self.mapped.borrow_mut();
        let i = match memo
            .iter()
            .position(|(d, f, _)| d == dim && f.as_ref() == force)
        {
            Some(i) => i,
            None => {
                memo.push((dim.clone(), force.cloned(), Default::default()));
                memo.len() - 1
            }
        };
        let labels = &mut memo[i].2;
        if let Some(v) = labels.get(label) {
            return v.clone();
        }
        let v = self
            .campaign
            .dimension(dim)
            .and_then(|d| d.map(label, &self.who()).ok());
        labels.insert(label.to_string(), v.clone());
        v
    }
    /// A cell with a mark meaning the figure is not there, or qualifying
    /// it: one diagnostic per force, request and meaning, which counts
    /// the further cells.
    pub fn marked(
        &mut self,
        severity: Severity,
        sheet: &Sheet,
        at: CellRef,
        request: Option<&str>,
        meaning: &'static str,
        message: String,
    ) {
        let key = (self.who(), request.map(str::to_string), meaning);
        if let Some((i, more)) = self.marks_seen.get_mut(&key) {
            *more += 1;
            self.diagnostics[*i].cells += 1;
            return;
        }
        self.marks_seen.insert(key, (self.diagnostics.len(), 0));
        let kind = if severity == Severity::Note {
            Kind::Other
        } else {
            Kind::NotAvailable
        };
        self.diag(severity, kind, sheet, Some(at), message, None);
        if let (Some(r), Some(d)) = (request, self.diagnostics.last_mut()) {
            d.request = Some(r.to_string());
        }
    }
    /// Notes that figures of the row's force (or, outside a row, of every
    /// force) were left out, and why.
    pub fn leave_out(&mut self, why: impl Into<String>) {
        let force = self
            .row_force
            .clone()
            .or_else(|| self.response.force.clone());
        self.left_out.entry(force).or_default().insert(why.into());
    }
    /// An unmapped label: an error that says which crosswalk line to add.
    pub fn unmapped(&mut self, sheet: &Sheet, at: CellRef, dim: &DimId, label: &str) {
        let file = self
            .campaign
            .dimension(dim)
            .and_then(|d| d.crosswalk.as_ref().map(|c| c.file.clone()))
            .unwrap_or_else(|| "the campaign's crosswalk".into());
        let label = label.trim();
        self.leave_out(format!(
            "figures labelled {label:?}, which no {dim} crosswalk line maps"
        ));
        let key = (dim.clone(), label.to_string(), self.who());
        if let Some((i, more)) = self.unmapped_seen.get_mut(&key) {
            *more += 1;
            self.diagnostics[*i].cells += 1;
            return;
        }
        self.unmapped_seen.insert(key, (self.diagnostics.len(), 0));
        let quoted = if label.contains([',', '"']) {
            format!("\"{}\"", label.replace('"', "\"\""))
        } else {
            label.to_string()
        };
        self.diag(
            Severity::Error,
            Kind::Unmapped {
                dim: dim.clone(),
                label: label.to_string(),
            },
            sheet,
            Some(at),
            format!("unmapped {dim} label {label:?}"),
            Some(format!(
                "add to {file}: {quoted},<{dim}>,{}",
                self.row_force
                    .as_ref()
                    .or(self.response.force.as_ref())
                    .map(|f| f.0.as_str())
                    .unwrap_or("")
            )),
        );
    }
    pub fn suppression(&self) -> Suppression<'a> {
        Suppression {
            zeros: self.response.zeros,
            threshold: self.response.threshold,
            markers: self.campaign.markers.as_ref(),
            scale: self.campaign.scale,
        }
    }
}

/// Reads one response. Never fails as a whole: what cannot be read is a
/// diagnostic, and whatever could be read is returned.
pub fn normalise(input: &Input) -> Normalised {
    read(input).1
}

/// What `foi inspect` shows: the detection (for a response without
/// tables) and what reading with it gave.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub detection: Option<detect::Detection>,
    pub normalised: Normalised,
    /// The sheets as read: name, visibility, size.
    pub sheets: Vec<SheetSummary>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetSummary {
    pub name: Option<String>,
    pub visible: bool,
    pub rows: usize,
    pub columns: usize,
}

/// [`normalise`], keeping what detection found.
pub fn inspect(input: &Input) -> Inspection {
    let (detection, normalised, sheets) = read(input);
    Inspection {
        detection,
        normalised,
        sheets,
    }
}

/// Kinds of trouble that, found while reading with a detected layout, say
/// the layout is wrong rather than the data: the response is refused.
fn misread(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Layout | Kind::NotACount | Kind::NotADate | Kind::MissingLabel | Kind::Disagreement
    )
}

/// The text published for a detected layout.
fn layout_text(response: &Response, d: &detect::Detection) -> String {
    format!(
        "# The layout foi detected in {} for {} (confidence {:.2}).\n# Review it; to pin it, copy the [[table]]s below into the response.\n\n{}",
        response.source.as_ref().map(|s| s.display()).unwrap_or(""),
        response.file,
        d.confidence,
        d.layout
    )
}

/// The proposal, indented, for a hint.
fn indented(layout: &str) -> String {
    layout
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn read(input: &Input) -> (Option<detect::Detection>, Normalised, Vec<SheetSummary>) {
    let Input {
        campaign,
        forces,
        response,
        bytes,
        sha256,
        limits,
    } = *input;
    let who = response
        .force
        .clone()
        .unwrap_or_else(|| ForceId("all forces".into()));
    let file = response
        .source
        .as_ref()
        .map(|s| s.display().to_string())
        .unwrap_or_default();
    let mut ctx = Ctx {
        campaign,
        forces,
        row_force: None,
        row_doubt: None,
        response,
        file: file.clone(),
        diagnostics: Vec::new(),
        unmapped_seen: BTreeMap::new(),
        marks_seen: BTreeMap::new(),
        left_out: BTreeMap::new(),
        shared_names: BTreeMap::new(),
        mapped: Default::default(),
    };
    let mut raws = Vec::new();
    let mut summaries = Vec::new();
    if !response.status.has_figures() {
        return (None, Normalised::default(), summaries);
    }
    let mut detection = None;
    let mut layout = None;
    if response.reads_tables() {
        let format = sniff(bytes);
        match grid::read(bytes, format, limits) {
            Err(e) => {
                let mut d = Diagnostic::error(Kind::Unreadable, e.to_string())
                    .force(&who)
                    .file(file.clone());
                d.sheet = e.sheet().map(str::to_string);
                d.cell = e.cell();
                ctx.diagnostics.push(d)
            }
            Ok(sheets) => {
                summaries = sheets
                    .iter()
                    .map(|s| SheetSummary {
                        name: s.name.clone(),
                        visible: s.visible,
                        rows: s.rows.len(),
                        columns: s.width(),
                    })
                    .collect();
                let detected;
                let tables: &[foi_model::config::Table] = if response.tables.is_empty() {
                    let d = detect::detect(
                        &sheets,
                        &detect::Context {
                            campaign,
                            forces,
                            response,
                        },
                    );
                    let resolved = if d.trusted() {
                        foi_model::config::resolve_layout(
                            campaign,
                            response,
                            &format!("the layout detected for {}", response.file),
                            &d.layout,
                        )
                        .map_err(|e| vec![format!("the proposal does not read back: {e}")])
                    } else {
                        Err(d.uncertain.clone())
                    };
                    detected = match resolved {
                        Ok(tables) => {
                            layout = Some(layout_text(response, &d));
                            tables
                        }
                        Err(why) => {
                            ctx.diagnostics
                                .push(refusal(response, &who, &file, &why, &d.layout));
                            Vec::new()
                        }
                    };
                    detection = Some(d);
                    &detected
                } else {
                    &response.tables
                };
                for table in tables {
                    match pick_sheet(&sheets, table) {
                        Ok((sheet, warning)) => {
                            if let Some(w) = warning {
                                ctx.diagnostics.push(
                                    Diagnostic::warning(Kind::Layout, w)
                                        .force(&who)
                                        .file(file.clone())
                                        .hint("drop the table's `sheet` line"),
                                );
                            }
                            table::read_table(sheet, table, &mut ctx, &mut raws)
                        }
                        Err(msg) => ctx.diagnostics.push(
                            Diagnostic::error(Kind::Layout, msg)
                                .force(&who)
                                .file(file.clone()),
                        ),
                    }
                }
            }
        }
    }
    read_manual(&mut ctx, &mut raws);
    for (i, more) in ctx.unmapped_seen.values().chain(ctx.marks_seen.values()) {
        if *more > 0 {
            ctx.diagnostics[*i].message += &format!(
                " (and {more} more cell{})",
                if *more == 1 { "" } else { "s" }
            );
        }
    }
    let (mut records, mut aggregates) = finish(&mut ctx, raws, sha256);
    let mut checks = harmonise::narrow(
        &mut records,
        campaign,
        response,
        &ctx.left_out,
        &mut ctx.diagnostics,
        &file,
    );
    // Read with a layout foi found itself, trouble that says the layout
    // is wrong refuses the response: a wrong figure is worse than none.
    if layout.is_some() {
        let troubles: Vec<String> = ctx
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning && misread(&d.kind))
            .take(3)
            .map(|d| {
                let place = [
                    d.sheet.as_ref().map(|s| format!("sheet {s:?}")),
                    d.cell.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                if place.is_empty() {
                    d.message.clone()
                } else {
                    format!("{place}: {}", d.message)
                }
            })
            .chain(
                // A total the figures read with it cannot meet: the layout
                // took the wrong rows or columns as much as the force erred.
                checks.iter().filter(|c| !c.agrees()).map(|c| {
                    format!(
                        "{} [{}]: the source states {} at {} but its figures add up to {}",
                        c.label,
                        c.breakdown,
                        campaign.scale.interval(c.stated),
                        c.cells,
                        campaign.scale.interval(c.computed)
                    )
                }),
            )
            .take(3)
            .collect();
        if !troubles.is_empty() {
            let proposal = detection
                .as_ref()
                .map(|d| d.layout.clone())
                .unwrap_or_default();
            let why: Vec<String> = troubles
                .into_iter()
                .map(|t| format!("read with it, {t}"))
                .collect();
            ctx.diagnostics
                .push(refusal(response, &who, &file, &why, &proposal));
            records.clear();
            aggregates.clear();
            checks.clear();
            layout = None;
        }
    }
    records.sort_by(|a, b| (&a.force, &a.request, &a.dims).cmp(&(&b.force, &b.request, &b.dims)));
    (
        detection,
        Normalised {
            records,
            aggregates,
            checks,
            diagnostics: ctx.diagnostics,
            layout,
        },
        summaries,
    )
}

/// The error that refuses a response whose layout detection could not be
/// sure of: what is uncertain, and the proposal to check and pin.
fn refusal(
    response: &Response,
    who: &ForceId,
    file: &str,
    why: &[String],
    proposal: &str,
) -> Diagnostic {
    let shown: Vec<&str> = why.iter().take(4).map(String::as_str).collect();
    let more = why.len().saturating_sub(shown.len());
    Diagnostic::error(
        Kind::Layout,
        format!(
            "foi could not be sure where this response's figures are, so none were read: {}{}",
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ),
    )
    .force(who)
    .file(file.to_string())
    .hint(if proposal.trim().is_empty() {
        format!(
            "say where the figures are with [[table]]s in {} (`foi inspect {file}` shows what foi sees)",
            response.file
        )
    } else {
        format!(
            "check this proposal (`foi inspect {file}` explains it), correct it and paste it into {} to pin it:\n{}",
            response.file,
            indented(proposal)
        )
    })
}

/// The sheet a table lives on: the first visible sheet whose name matches
/// (as written, or with the white space around it trimmed: "Table P1 "),
/// or the first visible sheet. Hidden sheets hold what a force chose not
/// to show (often stale figures), so they are never read. A text file has
/// one table and no sheets: a `sheet` pattern means nothing there, and is
/// said in a warning.
fn pick_sheet<'s>(
    sheets: &'s [Sheet],
    table: &foi_model::config::Table,
) -> Result<(&'s Sheet, Option<String>), String> {
    let names = || {
        sheets
            .iter()
            .filter_map(|s| {
                s.name
                    .as_ref()
                    .map(|n| format!("{n:?}{}", if s.visible { "" } else { " (hidden)" }))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let ([only], Some(re)) = (sheets, &table.sheet) {
        if only.name.is_none() {
            return Ok((
                only,
                Some(format!(
                    "`sheet = {:?}` means nothing for a text file, which has no sheets; its one table was read",
                    re.as_str()
                )),
            ));
        }
    }
    match &table.sheet {
        None => sheets
            .iter()
            .find(|s| s.visible)
            .map(|s| (s, None))
            .ok_or_else(|| format!("no visible sheet (sheets: {})", names())),
        Some(re) => sheets
            .iter()
            .filter(|s| s.visible)
            .find(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| re.is_match(n) || re.is_match(n.trim()))
            })
            .map(|s| (s, None))
            .ok_or_else(|| {
                format!(
                    "no visible sheet matches {:?} (sheets: {}); hidden sheets are never read",
                    re.as_str(),
                    names()
                )
            }),
    }
}

fn read_manual(ctx: &mut Ctx, raws: &mut Vec<Raw>) {
    let entries = ctx.response.manual.clone();
    let sup = ctx.suppression();
    let mut new = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut left_out = Vec::new();
    // One error per label, counting the entries it labels (a grid repeats
    // a row's label under every request).
    let mut unmapped_seen: BTreeMap<(DimId, String), usize> = BTreeMap::new();
    for m in &entries {
        let mut dims = BTreeMap::new();
        let mut ok = true;
        // "manual entry, page 2 (responses/durham.toml:14)": where it is
        // printed, and where it was typed.
        let place = if m.at.is_empty() {
            format!("manual entry, page {}", m.page)
        } else {
            format!("manual entry, page {} ({})", m.page, m.at)
        };
        for (dim, label) in &m.dims {
            let id = DimId::new(dim);
            match ctx
                .campaign
                .dimension(&id)
                .map(|d| d.map(label, &ctx.who()))
            {
                Some(Ok(v)) => {
                    dims.insert(id, v);
                }
                _ => {
                    ok = false;
                    let key = (id.clone(), fold_label(label));
                    if let Some(&i) = unmapped_seen.get(&key) {
                        diags[i].cells += 1;
                        continue;
                    }
                    unmapped_seen.insert(key, diags.len());
                    let file = ctx
                        .campaign
                        .dimension(&id)
                        .and_then(|d| d.crosswalk.as_ref().map(|c| c.file.clone()))
                        .unwrap_or_else(|| "the campaign's crosswalk".into());
                    let trimmed = label.trim();
                    let quoted = if trimmed.contains([',', '"']) {
                        format!("\"{}\"", trimmed.replace('"', "\"\""))
                    } else {
                        trimmed.to_string()
                    };
                    diags.push(
                        Diagnostic::error(
                            Kind::Unmapped {
                                dim: id.clone(),
                                label: trimmed.to_string(),
                            },
                            format!("{place}: unmapped {dim} label {label:?}"),
                        )
                        .force(&ctx.who())
                        .request(&m.request)
                        .file(ctx.file.clone())
                        .hint(format!(
                            "add to {file}: {quoted},<{dim}>,{}",
                            ctx.response.force.as_ref().map_or("", |f| f.0.as_str())
                        )),
                    );
                    left_out.push(format!(
                        "figures labelled {:?}, which no {dim} crosswalk line maps",
                        label.trim()
                    ));
                }
            }
        }
        match parse_text(&m.count, &sup) {
            Parsed::Count(interval) if ok => new.push(Raw {
                force: None,
                aggregate: None,
                request: m.request.clone(),
                dims,
                interval,
                text: m.count.clone(),
                cells: Vec::new(),
                sheet: None,
                page: Some(m.page),
                typed_at: (!m.at.is_empty()).then(|| m.at.clone()),
                covered: None,
                doubt: None,
                rows: Vec::new(),
            }),
            Parsed::Count(_) => {}
            Parsed::NotAvailable(meaning) => {
                diags.push(
                    Diagnostic::warning(
                        Kind::NotAvailable,
                        format!(
                            "{place}: {:?} means {meaning}: no figure, so none was added",
                            m.count.trim()
                        ),
                    )
                    .force(&ctx.who())
                    .request(&m.request)
                    .file(ctx.file.clone()),
                );
                left_out.push(format!("figures marked {meaning}"));
            }
            Parsed::Blank => diags.push(
                Diagnostic::error(Kind::NotACount, format!("{place}: the count is empty"))
                    .force(&ctx.who())
                    .request(&m.request)
                    .file(ctx.file.clone())
                    .hint("write the figure as printed, or drop the entry"),
            ),
            Parsed::Invalid(why) => diags.push(
                Diagnostic::error(Kind::NotACount, format!("{place}: {why}"))
                    .force(&ctx.who())
                    .request(&m.request)
                    .file(ctx.file.clone()),
            ),
        }
    }
    for &i in unmapped_seen.values() {
        let more = diags[i].cells - 1;
        if more > 0 {
            diags[i].message += &format!(
                " (and {more} more entr{})",
                if more == 1 { "y" } else { "ies" }
            );
        }
    }
    raws.extend(new);
    ctx.diagnostics.extend(diags);
    for why in left_out {
        ctx.leave_out(why);
    }
}

/// Where a figure was given, for a message: its cells, or the first few
/// of a counted figure's thousands.
fn brief(l: &Lineage) -> String {
    if l.cells.len() <= 4 {
        return l.describe();
    }
    let first: Vec<String> = l.cells[..3].iter().map(|c| l.locate(c)).collect();
    format!("{}, … ({} cells)", first.join("; "), l.cells.len())
}

/// A figure as given: "11,254", or the text and its range ("<5" (0 to 4)).
fn as_given(c: &Count, scale: foi_model::Scale) -> String {
    match c.interval.value() {
        Some(n) => scale.show(n),
        None => format!("{:?} ({})", c.text, scale.interval(c.interval)),
    }
}

/// Why a force's figures for a request were refused.
#[derive(PartialEq, Eq)]
enum Refusal {
    /// One figure given two different values.
    Values(String),
    /// A row that may be an area's, not the force's.
    Doubt(String),
    /// Two rows of one table giving one figure.
    Rows(String),
}

impl Refusal {
    fn text(&self) -> &str {
        match self {
            Refusal::Values(t) | Refusal::Doubt(t) | Refusal::Rows(t) => t,
        }
    }
}

/// A derivation line missing: the records it leaves out, for one message.
struct Gap {
    from: DimId,
    file: String,
    records: usize,
    /// Source cells behind them, and the first few, as a person finds them.
    cells: usize,
    shown: Vec<String>,
}

/// Two rows of one table among `before` and `now`, when there are.
fn two_rows<'a>(
    before: &'a [TableRow],
    now: &'a [TableRow],
) -> Option<(&'a TableRow, &'a TableRow)> {
    let all: Vec<&TableRow> = before.iter().chain(now).collect();
    all.iter().enumerate().find_map(|(i, a)| {
        all[i + 1..]
            .iter()
            .find(|b| b.table == a.table && b.row != a.row && (b.label != a.label || !a.of_many))
            .map(|b| (*a, *b))
    })
}

/// Where a row is, as a person finds it: "line 6" of a text file, "row 6
/// of sheet Data".
fn row_place(r: &TableRow) -> String {
    match &r.table.0 {
        Some(sheet) => format!("row {} of sheet {sheet}", r.row + 1),
        None => format!("line {}", r.row + 1),
    }
}

/// Adds what the response fixes for all its figures (period, unit, fixed
/// dimensions, derived dimensions), and checks each figure is given once.
/// Rows stating a total over all the source's forces become aggregates.
///
/// A figure given twice with the same value is read once (a note). Given
/// with two different values, it is a conflict: foi cannot know which is
/// right, so every figure of that force for that request is refused (an
/// error naming both cells and both values), and the national figure goes
/// without it rather than with a guess. So is a force's whose rows might be
/// an area's ([`Raw::doubt`]).
fn finish(ctx: &mut Ctx, raws: Vec<Raw>, sha256: &str) -> (Vec<Record>, Vec<Aggregate>) {
    let response = ctx.response;
    let campaign = ctx.campaign;
    type Key = (
        Option<ForceId>,
        Option<String>,
        String,
        BTreeMap<DimId, DimValue>,
    );
    // Where each figure was first given, so that its cells are described
    // only when it is given twice.
    enum First {
        Record(usize),
        Aggregate(usize),
        Described(String, Count),
    }
    let mut seen: BTreeMap<Key, First> = BTreeMap::new();
    // The table rows each figure was read from so far.
    let mut rows_seen: BTreeMap<Key, Vec<TableRow>> = BTreeMap::new();
    // Where each first figure typed into the config was written.
    let mut typed_first: BTreeMap<Key, String> = BTreeMap::new();
    let mut out: Vec<Record> = Vec::with_capacity(raws.len());
    let mut aggregates: Vec<Aggregate> = Vec::new();
    // Why each force's figures for a request are refused.
    let mut refused: BTreeMap<(ForceId, String), Vec<Refusal>> = BTreeMap::new();
    // Aggregates given twice with two values: neither is checked against.
    let mut bad_aggregates: BTreeSet<usize> = BTreeSet::new();
    // Codes with no line in a derivation crosswalk, by derived dimension,
    // code and force: one error each, however many records they leave out.
    let mut gaps: BTreeMap<(DimId, String, ForceId), Gap> = BTreeMap::new();
    let mut notes: Vec<Diagnostic> = Vec::new();
    for raw in raws {
        let Some(request) = campaign.request(&raw.request) else {
            continue;
        };
        let force = raw.force.clone().or_else(|| response.force.clone());
        let who = force
            .clone()
            .unwrap_or_else(|| ForceId("all forces".into()));
        let typed_at = raw.typed_at;
        let lineage = Lineage {
            sha256: sha256.to_string(),
            file: ctx.file.clone(),
            sheet: raw.sheet,
            cells: raw.cells,
            page: raw.page,
            narrowed_by: Vec::new(),
        };
        let mut dims = raw.dims;
        for (k, v) in &response.fixed {
            dims.insert(k.clone(), v.clone());
        }
        let mut gap = false;
        for (from, to, cw) in &campaign.derivations {
            if let Some(DimValue::Code(code)) = dims.get(from) {
                match cw.lookup(code, &who) {
                    Some(e) => {
                        dims.insert(to.clone(), DimValue::Code(e.value.clone()));
                    }
                    None => {
                        let g = gaps
                            .entry((to.clone(), code.clone(), who.clone()))
                            .or_insert_with(|| Gap {
                                from: from.clone(),
                                file: cw.file.clone(),
                                records: 0,
                                cells: 0,
                                shown: Vec::new(),
                            });
                        g.records += 1;
                        g.cells += lineage.cells.len().max(1);
                        for c in &lineage.cells {
                            if g.shown.len() < 4 {
                                g.shown.push(lineage.locate(c));
                            }
                        }
                        if let (Some(p), true) = (lineage.page, g.shown.len() < 4) {
                            g.shown.push(format!("page {p}"));
                        }
                        gap = true;
                    }
                }
            }
        }
        // Left out as a row with an unmapped label is: its figure would be
        // published without the breakdown it belongs to.
        if gap {
            continue;
        }
        if let (Some(doubt), Some(f)) = (&raw.doubt, &force) {
            let why = refused.entry((f.clone(), raw.request.clone())).or_default();
            let doubt = Refusal::Doubt(doubt.clone());
            if !why.contains(&doubt) {
                why.push(doubt);
            }
            continue;
        }
        let key = (
            force.clone(),
            raw.aggregate.clone(),
            raw.request.clone(),
            dims.clone(),
        );
        let count = Count {
            interval: raw.interval,
            text: raw.text,
        };
        // "page 2 (responses/durham.toml:15)": a page alone would not
        // tell two rows of one grid apart.
        let here = match &typed_at {
            Some(t) => format!("{} ({t})", brief(&lineage)),
            None => brief(&lineage),
        };
        // Two rows of one table giving one figure: the crosswalk reads
        // them as one value (two sections' "- aged under 13"), or they are
        // parts of it. foi neither adds them nor keeps one: refused, even
        // where the two agree.
        let before = rows_seen.entry(key.clone()).or_default();
        let clash = two_rows(before, &raw.rows).map(|(a, b)| (a.clone(), b.clone()));
        for r in &raw.rows {
            if !before.contains(r) {
                before.push(r.clone());
            }
        }
        if let (Some((a, b)), Some(f), None) = (clash, &force, &raw.aggregate) {
            let what = format!("request {} ({})", raw.request, describe_dims(&dims));
            let why = Refusal::Rows(format!(
                "rows {:?} ({}) and {:?} ({}) of one table both give the figure for {what}",
                a.label,
                row_place(&a),
                b.label,
                row_place(&b),
            ));
            let list = refused.entry((f.clone(), raw.request.clone())).or_default();
            if !list.contains(&why) {
                list.push(why);
            }
            continue;
        }
        if let Some(first) = seen.get(&key) {
            let (mut prev, prev_count) = match first {
                First::Record(i) => (brief(&out[*i].lineage), out[*i].count.clone()),
                First::Aggregate(i) => {
                    (brief(&aggregates[*i].lineage), aggregates[*i].count.clone())
                }
                First::Described(d, c) => (d.clone(), c.clone()),
            };
            if let Some(t) = typed_first.get(&key) {
                prev = format!("{prev} ({t})");
            }
            let what = format!("request {} ({})", raw.request, describe_dims(&dims));
            if prev_count.interval == count.interval {
                notes.push(
                    Diagnostic::note(
                        Kind::Other,
                        format!(
                            "the figure for {what} is given twice with the same value, {}, at {prev} and {}; it was read once",
                            as_given(&count, campaign.scale),
                            here
                        ),
                    )
                    .force(&who)
                    .request(&raw.request)
                    .file(ctx.file.clone()),
                );
                continue;
            }
            let why = format!(
                "the figure for {what} is given as {} at {prev} and as {} at {}",
                as_given(&prev_count, campaign.scale),
                as_given(&count, campaign.scale),
                here
            );
            match (first, &force, &raw.aggregate) {
                (First::Aggregate(i), _, _) => {
                    bad_aggregates.insert(*i);
                    let mut d = Diagnostic::error(
                        Kind::Conflict,
                        format!("{why}: two different values, so neither is checked against"),
                    )
                    .request(&raw.request)
                    .file(ctx.file.clone());
                    d.sheet.clone_from(&lineage.sheet);
                    ctx.diagnostics.push(d);
                }
                (_, Some(f), None) => refused
                    .entry((f.clone(), raw.request.clone()))
                    .or_default()
                    .push(Refusal::Values(why)),
                _ => {}
            }
            continue;
        }
        if let Some(t) = typed_at {
            typed_first.insert(key.clone(), t);
        }
        if let Some(label) = raw.aggregate {
            seen.insert(key, First::Aggregate(aggregates.len()));
            aggregates.push(Aggregate {
                campaign: campaign.id.clone(),
                request: raw.request,
                label,
                dims,
                count,
                lineage,
            });
            continue;
        }
        let Some(force) = force else {
            seen.insert(key, First::Described(brief(&lineage), count));
            continue;
        };
        seen.insert(key, First::Record(out.len()));
        out.push(Record {
            force,
            campaign: campaign.id.clone(),
            request: raw.request,
            period: response.period.unwrap_or(request.period),
            covered: raw.covered,
            dims,
            unit: response.unit.clone(),
            count,
            lineage,
        });
    }
    for ((to, code, force), g) in gaps {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        ctx.diagnostics.push(
            Diagnostic::error(
                Kind::Unmapped {
                    dim: to.clone(),
                    label: code.clone(),
                },
                format!(
                    "{} {code} belongs to no {to}: {} figure{} ({} source cell{}: {}{}) left out",
                    g.from,
                    g.records,
                    plural(g.records),
                    g.cells,
                    plural(g.cells),
                    g.shown.join("; "),
                    if g.cells > g.shown.len() { "; …" } else { "" }
                ),
            )
            .force(&force)
            .file(ctx.file.clone())
            .hint(format!("add to {}: {code},<{to}>", g.file)),
        );
        ctx.left_out.entry(Some(force)).or_default().insert(format!(
            "figures for {} {code}, which belongs to no {to}",
            g.from
        ));
    }
    for ((force, request), why) in &refused {
        let shown: Vec<&str> = why.iter().take(3).map(Refusal::text).collect();
        let more = why.len() - shown.len();
        let doubt = why.iter().any(|w| matches!(w, Refusal::Doubt(_)));
        let rows = why.iter().any(|w| matches!(w, Refusal::Rows(_)));
        ctx.diagnostics.push(
            Diagnostic::error(
                Kind::Conflict,
                format!(
                    "{}{}; foi cannot tell which is right, so none of {force}'s figures for request {request} were added",
                    shown.join("; "),
                    if more > 0 {
                        format!("; and {more} more")
                    } else {
                        String::new()
                    }
                ),
            )
            .force(force)
            .request(request)
            .file(ctx.file.clone())
            .hint(if doubt {
                "list a code column among the table's force columns, or say what the name means in this table: ambiguous_names = \"force\" or \"area\""
            } else if rows {
                "give each row a crosswalk line of its own value: a row under a heading is looked up with it first (\"Rape of a female - aged under 13\"); rows that are parts of one value are not added up, so ask the source for that figure"
            } else {
                "ask the source which figure is right"
            }),
        );
    }
    ctx.diagnostics.extend(notes);
    if !refused.is_empty() {
        out.retain(|r| !refused.contains_key(&(r.force.clone(), r.request.clone())));
    }
    if !bad_aggregates.is_empty() {
        aggregates = aggregates
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !bad_aggregates.contains(i))
            .map(|(_, a)| a)
            .collect();
    }
    (out, aggregates)
}

pub(crate) fn describe_dims(dims: &BTreeMap<DimId, DimValue>) -> String {
    if dims.is_empty() {
        return "total".into();
    }
    dims.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
