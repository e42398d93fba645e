//! What normalising (and fetching) found that coverage must say: responses
//! that could not be read, labels no crosswalk maps, cells marked not
//! available, figures given two values, periods not covered, stale sources.
//!
//! Read from diagnostics by their kind ([`DiagnosticKind`]), never their
//! message, so coverage states the true reason for every gap.

use foi_model::{Diagnostic, DiagnosticKind, ForceId, Severity};
use std::collections::{BTreeMap, BTreeSet};

/// Something a diagnostic said about a force's figures that changes what
/// coverage says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    /// A cell for the force is marked not available ("..", "[x]").
    NotAvailable,
    /// A cell for the force holds no figure foi can read (text, a negative
    /// number, a measure with more places than the campaign keeps).
    NotACount,
    /// One figure was given two different values.
    Conflict,
    /// What the reply holds does not cover the request's whole period.
    PartialPeriod,
    /// The last fetch failed and the last good copy was used.
    Stale,
}

/// What the stage could not read or was not sure of, for coverage.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    /// Response key -> why it could not be read at all.
    pub failures: BTreeMap<String, String>,
    /// Force -> the labels no crosswalk maps ("offence label \"IIOC\""),
    /// whose rows were left out of a release published anyway
    /// (`--allow-unmapped`): the force's figures fall short by those rows.
    pub unmapped: BTreeMap<ForceId, BTreeSet<String>>,
    /// (force, request) -> what diagnostics found, and how many times. A
    /// diagnostic that names no request is kept under `None` and holds for
    /// every request of the force.
    pub findings: BTreeMap<(ForceId, Option<String>), BTreeMap<Finding, usize>>,
    /// Response key -> why its source is stale (the last fetch failed and
    /// the last good copy was used), for sources a diagnostic cannot name
    /// by force: a national table answers for many.
    pub stale: BTreeMap<String, String>,
}

impl Gaps {
    /// Reads diagnostics into gaps by their kind. `failures` are the
    /// responses that could not be read at all (response key -> why). A
    /// diagnostic that names no force is about no one force's figures and
    /// is left to the caller to report.
    ///
    /// A conflict is a finding only at warning or error: an identical
    /// repeat (the same total typed twice) is a note and refuses nothing.
    pub fn from_diagnostics(
        diagnostics: &[Diagnostic],
        failures: BTreeMap<String, String>,
    ) -> Gaps {
        let mut gaps = Gaps {
            failures,
            ..Gaps::default()
        };
        for d in diagnostics {
            let Some(force) = &d.force else {
                continue;
            };
            let finding = match &d.kind {
                DiagnosticKind::Unmapped { dim, label } => {
                    gaps.unmapped
                        .entry(force.clone())
                        .or_default()
                        .insert(format!("{dim} label {label:?}"));
                    continue;
                }
                DiagnosticKind::NotAvailable => Finding::NotAvailable,
                DiagnosticKind::NotACount if d.severity > Severity::Note => Finding::NotACount,
                DiagnosticKind::Conflict if d.severity > Severity::Note => Finding::Conflict,
                DiagnosticKind::PartialPeriod => Finding::PartialPeriod,
                DiagnosticKind::StaleSource => Finding::Stale,
                _ => continue,
            };
            *gaps
                .findings
                .entry((force.clone(), d.request.clone()))
                .or_default()
                .entry(finding)
                .or_default() += d.cells;
        }
        gaps
    }

    /// How many times each finding was made about `force`'s figures for
    /// `request`, counting those that name no request.
    pub fn found(&self, force: &ForceId, request: &str) -> BTreeMap<Finding, usize> {
        let mut out: BTreeMap<Finding, usize> = BTreeMap::new();
        for key in [
            (force.clone(), Some(request.to_string())),
            (force.clone(), None),
        ] {
            for (f, n) in self.findings.get(&key).into_iter().flatten() {
                *out.entry(*f).or_default() += n;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foi_model::DimId;

    fn diag(kind: DiagnosticKind, force: &str, request: Option<&str>) -> Diagnostic {
        let mut d =
            Diagnostic::warning(kind, "message text is never read").force(&ForceId(force.into()));
        d.request = request.map(str::to_string);
        d
    }

    #[test]
    fn diagnostics_are_read_by_kind_for_their_force_and_request() {
        let mut conflict = diag(DiagnosticKind::Conflict, "kent", Some("y1"));
        conflict.severity = Severity::Error;
        let mut not_a_count = diag(DiagnosticKind::NotACount, "kent", Some("y2"));
        not_a_count.severity = Severity::Error;
        let mut noted = diag(DiagnosticKind::NotACount, "kent", Some("y1"));
        noted.severity = Severity::Note;
        let diagnostics = vec![
            diag(DiagnosticKind::NotAvailable, "kent", Some("y1")),
            diag(DiagnosticKind::NotAvailable, "kent", Some("y1")),
            diag(DiagnosticKind::NotAvailable, "kent", Some("y2")),
            conflict,
            diag(DiagnosticKind::PartialPeriod, "essex", None),
            diag(DiagnosticKind::StaleSource, "surrey", None),
            diag(
                DiagnosticKind::Unmapped {
                    dim: DimId::new("offence"),
                    label: "IIOC".into(),
                },
                "kent",
                Some("y1"),
            ),
            not_a_count,
            // Nothing coverage says depends on these.
            noted,
            Diagnostic::warning(DiagnosticKind::NotAvailable, "no force named"),
        ];
        let failures = BTreeMap::from([("dorset".to_string(), "damaged".to_string())]);
        let g = Gaps::from_diagnostics(&diagnostics, failures.clone());
        let kent = ForceId("kent".into());
        assert_eq!(g.failures, failures);
        assert_eq!(
            g.found(&kent, "y1"),
            BTreeMap::from([(Finding::NotAvailable, 2), (Finding::Conflict, 1)])
        );
        assert_eq!(
            g.found(&kent, "y2"),
            BTreeMap::from([(Finding::NotAvailable, 1), (Finding::NotACount, 1)])
        );
        // No request named: it holds for each of the force's requests.
        let essex = ForceId("essex".into());
        for r in ["y1", "y2"] {
            assert_eq!(
                g.found(&essex, r),
                BTreeMap::from([(Finding::PartialPeriod, 1)])
            );
        }
        assert_eq!(
            g.found(&ForceId("surrey".into()), "y2"),
            BTreeMap::from([(Finding::Stale, 1)])
        );
        assert_eq!(
            g.unmapped[&kent],
            BTreeSet::from(["offence label \"IIOC\"".to_string()])
        );
        assert_eq!(g.findings.len(), 4);
    }

    #[test]
    fn an_identical_repeat_is_no_conflict() {
        let mut note = diag(DiagnosticKind::Conflict, "kent", Some("y1"));
        note.severity = Severity::Note;
        let g = Gaps::from_diagnostics(&[note], BTreeMap::new());
        assert!(g.found(&ForceId("kent".into()), "y1").is_empty());
    }
}
