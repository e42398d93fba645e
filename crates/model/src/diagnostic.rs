use crate::ForceId;
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

/// Something a researcher should hear about a response: where, what, and
/// what to do. Normalise returns these beside its records instead of failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub force: Option<ForceId>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// A1 cell, or "line N" for text sources.
    pub cell: Option<String>,
    pub message: String,
    /// How to fix it, e.g. the crosswalk line to add.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            force: None,
            file: None,
            sheet: None,
            cell: None,
            message: message.into(),
            hint: None,
        }
    }
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }
    pub fn note(message: impl Into<String>) -> Self {
        Self::new(Severity::Note, message)
    }
    pub fn force(mut self, f: &ForceId) -> Self {
        self.force = Some(f.clone());
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
