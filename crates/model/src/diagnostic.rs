use crate::{DimId, ForceId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the figure stands as published.
    Note,
    /// A figure was flagged, narrowed, excluded or may be incomplete.
    Warning,
    /// Part of a response could not be used.
    Error,
}

/// What a diagnostic is about. Code that decides anything on a diagnostic
/// (whether a run publishes, which force is flagged, what coverage says)
/// matches on its kind, never on its message, which is for people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DiagnosticKind {
    /// The source could not be read at all: not the format it should be,
    /// damaged, encrypted, or beyond the campaign's limits.
    Unreadable,
    /// A configured sheet, table, header or column is not in the source.
    Layout,
    /// A label no crosswalk maps onto a value of `dim` (an offence wording,
    /// an age, or a code with no line in a derivation crosswalk): the rows
    /// or cells it labels were left out.
    Unmapped { dim: DimId, label: String },
    /// A cell where a count belongs holds something else.
    NotACount,
    /// The force marks a figure as not available ("..", "[x]", "n/a").
    NotAvailable,
    /// The date of a counted row is not a date.
    NotADate,
    /// A row lacks the label it needs.
    MissingLabel,
    /// A row of a national table names no force (a region, a country).
    NotAForce,
    /// A row names two different forces.
    TwoForces,
    /// One figure given two different values (or given twice).
    Conflict,
    /// What a response holds does not cover a request's whole period.
    PartialPeriod,
    /// A force's figures for a request are absent though nothing declared
    /// it: a national source has no row for the force, or its own reply
    /// gave none for the request.
    NoFigures,
    /// A force's own figures disagree with each other.
    Disagreement,
    /// A figure a source states differs from what foi computes from it.
    Reconciliation,
    /// The last fetch failed; the last good copy was used.
    StaleSource,
    /// A source could not be fetched (an HTTP error, no answer, a local
    /// file that cannot be read), with no earlier copy to fall back on.
    FetchFailed,
    /// A cached copy's bytes no longer match its sha256: it was moved aside
    /// and the source fetched again.
    DamagedCopy,
    /// The source is not in the cache (never fetched, or its copy is gone).
    MissingSource,
    /// A fetched file is not what the response expects (an HTML page, a PDF…).
    WrongFormat,
    /// Anything else worth a person's attention.
    Other,
}

impl DiagnosticKind {
    /// The kind's name as logs and manifest.json write it: "unmapped",
    /// "not_a_count", …
    pub fn code(&self) -> &'static str {
        match self {
            DiagnosticKind::Unreadable => "unreadable",
            DiagnosticKind::Layout => "layout",
            DiagnosticKind::Unmapped { .. } => "unmapped",
            DiagnosticKind::NotACount => "not_a_count",
            DiagnosticKind::NotAvailable => "not_available",
            DiagnosticKind::NotADate => "not_a_date",
            DiagnosticKind::MissingLabel => "missing_label",
            DiagnosticKind::NotAForce => "not_a_force",
            DiagnosticKind::TwoForces => "two_forces",
            DiagnosticKind::Conflict => "conflict",
            DiagnosticKind::PartialPeriod => "partial_period",
            DiagnosticKind::NoFigures => "no_figures",
            DiagnosticKind::Disagreement => "disagreement",
            DiagnosticKind::Reconciliation => "reconciliation",
            DiagnosticKind::StaleSource => "stale_source",
            DiagnosticKind::FetchFailed => "fetch_failed",
            DiagnosticKind::DamagedCopy => "damaged_copy",
            DiagnosticKind::MissingSource => "missing_source",
            DiagnosticKind::WrongFormat => "wrong_format",
            DiagnosticKind::Other => "other",
        }
    }
}

/// Something a researcher should hear about a response: where, what, and
/// what to do. Normalise returns these beside its records instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagnosticKind,
    pub force: Option<ForceId>,
    /// The request the figure concerned was for, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// A1 cell, or "line N" for text sources.
    pub cell: Option<String>,
    pub message: String,
    /// How to fix it, e.g. the crosswalk line to add.
    pub hint: Option<String>,
    /// How many cells it stands for: the one at `cell`, and as many more
    /// with the same cause (a row of ".." is one diagnostic of 12 cells).
    #[serde(default = "one")]
    pub cells: usize,
}

fn one() -> usize {
    1
}

impl Diagnostic {
    pub fn new(severity: Severity, kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            kind,
            force: None,
            request: None,
            file: None,
            sheet: None,
            cell: None,
            message: message.into(),
            hint: None,
            cells: 1,
        }
    }
    pub fn error(kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, kind, message)
    }
    pub fn warning(kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, kind, message)
    }
    pub fn note(kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, kind, message)
    }
    /// Whether rows were left out for a label nothing maps.
    pub fn is_unmapped(&self) -> bool {
        matches!(self.kind, DiagnosticKind::Unmapped { .. })
    }
    pub fn force(mut self, f: &ForceId) -> Self {
        self.force = Some(f.clone());
        self
    }
    pub fn request(mut self, r: impl Into<String>) -> Self {
        self.request = Some(r.into());
        self
    }
    pub fn file(mut self, f: impl Into<String>) -> Self {
        self.file = Some(f.into());
        self
    }
    pub fn sheet(mut self, s: impl Into<String>) -> Self {
        self.sheet = Some(s.into());
        self
    }
    pub fn cell(mut self, c: impl Into<String>) -> Self {
        self.cell = Some(c.into());
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `warning: kent: data/kent.xlsx, sheet "Data", cell C7: message (hint)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{sev}: ")?;
        let mut place = Vec::new();
        if let Some(force) = &self.force {
            place.push(force.to_string());
        }
        if let Some(request) = &self.request {
            place.push(format!("request {request}"));
        }
        if let Some(file) = &self.file {
            place.push(file.clone());
        }
        if let Some(sheet) = &self.sheet {
            place.push(format!("sheet {sheet:?}"));
        }
        if let Some(cell) = &self.cell {
            if cell.starts_with("line") {
                place.push(cell.clone());
            } else {
                place.push(format!("cell {cell}"));
            }
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}
