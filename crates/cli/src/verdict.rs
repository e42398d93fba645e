//! Why a run exits as it does. Every warning and error a run finds is a
//! cause, kept as data: the exit code is worked out from the causes alone,
//! each cause is logged as it is found, and manifest.json lists them all,
//! so an exit code of 1 or 3 always says why.
//!
//! What the config already declares (a refusal, a partial answer, another
//! unit, a keyword search instead of the cyber flag) is published with its
//! flag and is not a cause: a campaign whose every deviation is declared
//! exits 0. Exit 3 is for what nobody declared: a stale source, a figure a
//! source states that does not add up, a force a national table leaves out.

use crate::exit;
use foi_model::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};

/// The causes of a run's exit code, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Causes {
    list: Vec<Diagnostic>,
    /// `--allow-unmapped`: rows with labels nothing maps are left out and
    /// their forces flagged, so such a label is a warning, not an error.
    allow_unmapped: bool,
}

impl Causes {
    pub fn new(allow_unmapped: bool) -> Self {
        Causes {
            list: Vec::new(),
            allow_unmapped,
        }
    }

    /// Keeps `d` when it is a warning or an error; notes are not causes.
    pub fn push(&mut self, d: Diagnostic) {
        if d.severity != Severity::Note {
            self.list.push(d);
        }
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// The causes of one kind, in the order found.
    pub fn iter_kind<'a>(
        &'a self,
        kind: &'a foi_model::DiagnosticKind,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.list.iter().filter(move |d| &d.kind == kind)
    }

    /// Whether `d` counts as an error for the exit code.
    fn is_error(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Error && !(self.allow_unmapped && d.is_unmapped())
    }

    pub fn errors(&self) -> usize {
        self.list.iter().filter(|d| self.is_error(d)).count()
    }

    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    /// 1 when anything could not be read or was refused (or, with
    /// `strict`, on any warning); 3 on warnings; else 0.
    pub fn exit_code(&self, strict: bool) -> u8 {
        match (self.errors(), self.warnings()) {
            (0, 0) => exit::COMPLETE,
            (0, _) if !strict => exit::WARNINGS,
            _ => exit::FAILED,
        }
    }

    /// The causes as manifest.json lists them.
    pub fn entries(&self) -> Vec<CauseEntry> {
        self.list
            .iter()
            .map(|d| CauseEntry {
                severity: if self.is_error(d) { "error" } else { "warning" }.into(),
                kind: d.kind.code().into(),
                force: d.force.as_ref().map(|f| f.0.clone()),
                request: d.request.clone(),
                file: d.file.clone(),
                sheet: d.sheet.clone(),
                cell: d.cell.clone(),
                message: d.message.clone(),
                hint: d.hint.clone(),
            })
            .collect()
    }
}

/// One cause as manifest.json lists it: flat, for `jq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CauseEntry {
    /// "error" or "warning", as it counted towards the exit code.
    pub severity: String,
    /// The diagnostic's kind: "stale_source", "unmapped", "reconciliation", …
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl CauseEntry {
    /// Logs a cause read back from an earlier release's manifest, as it was
    /// logged when found.
    pub fn log(&self) {
        // The kind is shown by its name; the variant's data is in the message.
        let kind = foi_model::DiagnosticKind::Other;
        let mut d = match self.severity.as_str() {
            "error" => Diagnostic::error(kind, &self.message),
            _ => Diagnostic::warning(kind, &self.message),
        };
        d.force = self.force.clone().map(foi_model::ForceId);
        d.request = self.request.clone();
        d.file = self.file.clone();
        d.sheet = self.sheet.clone();
        d.cell = self.cell.clone();
        d.hint = self.hint.clone();
        crate::report::diagnostic_as(&d, &self.kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foi_model::{DiagnosticKind, DimId};

    fn unmapped() -> Diagnostic {
        Diagnostic::error(
            DiagnosticKind::Unmapped {
                dim: DimId::new("offence"),
                label: "IIOC".into(),
            },
            "unmapped offence label \"IIOC\"",
        )
    }

    #[test]
    fn notes_are_not_causes_and_nothing_found_is_complete() {
        let mut c = Causes::new(false);
        c.push(Diagnostic::note(DiagnosticKind::NotAForce, "a region row"));
        assert_eq!(c.exit_code(false), exit::COMPLETE);
        assert_eq!(c.exit_code(true), exit::COMPLETE);
        assert!(c.entries().is_empty());
    }

    #[test]
    fn warnings_give_3_and_strict_makes_them_1() {
        let mut c = Causes::new(false);
        c.push(Diagnostic::warning(
            DiagnosticKind::StaleSource,
            "the last fetch failed",
        ));
        assert_eq!(c.exit_code(false), exit::WARNINGS);
        assert_eq!(c.exit_code(true), exit::FAILED);
        assert_eq!(c.entries()[0].kind, "stale_source");
    }

    #[test]
    fn errors_give_1_and_allowed_unmapped_labels_are_warnings() {
        let mut c = Causes::new(false);
        c.push(unmapped());
        assert_eq!(c.exit_code(false), exit::FAILED);
        let mut allowed = Causes::new(true);
        allowed.push(unmapped());
        assert_eq!(allowed.exit_code(false), exit::WARNINGS);
        assert_eq!(allowed.entries()[0].severity, "warning");
        assert_eq!((allowed.errors(), allowed.warnings()), (0, 1));
    }
}
