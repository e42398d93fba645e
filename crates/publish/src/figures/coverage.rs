//! Coverage: how each force answered each request, whether its figures
//! were added, and the true reason why not or why flagged, as a
//! [`Reason`] a program can act on and a sentence a reader can.
//!
//! A row for each force the campaign asked (`forces` in campaign.toml,
//! every force by default) and each request. Rules, in the order they are
//! tried for each:
//! - No response configured: not added (the campaign has no reply).
//! - The response could not be read: not added, with why.
//! - Refused, not held, no response: not added, as the response says.
//! - One figure given two different values (a conflict): not added; the
//!   force's figure for that request is refused, never guessed.
//! - A response whose stated period is not within the request's: not added
//!   ("answered for …").
//! - No figures for the request: not added, saying why: every cell for the
//!   force marked not available, the reply's dates or months not covering
//!   the period, a national source with no row for the force, or nothing
//!   read.
//! - Otherwise added, and flagged for each of: a partial answer; figures
//!   covering part of the period (a stated period within the request's, or
//!   records that carry `covered`); another unit; another definition of a
//!   fixed dimension than most forces; rows left out for labels no
//!   crosswalk maps; cells marked not available; a stale source.
//!
//! Each reason says whether the config already declared it
//! ([`Reason::declared`]): what a response file states (refused, not held,
//! no response, partial, its period, its unit, its fixed definitions) is
//! declared; what foi found in the data or the fetch is not.

use super::gaps::{Finding, Gaps};
use super::national::ByForce;
use foi_model::config::{Config, Request, Response};
use foi_model::{DimId, DimValue, Fit, ForceId, Period, Record, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Why a force's figures for a request were not added, or why they were
/// added and flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    // Not added.
    /// The campaign has no response for this force and request.
    NoResponseConfigured,
    /// Refused under a section of the FOI Act.
    Refused {
        section: String,
    },
    NotHeld,
    NoResponse,
    /// The response could not be read at all.
    FailedToRead {
        why: String,
    },
    /// One figure given two different values, `times` times.
    Conflict {
        times: usize,
    },
    /// The response answered for a period that is not within the request's.
    AnotherPeriod {
        answered: Period,
        asked: Period,
    },
    /// Every cell for the force is marked not available ("..", "[x]").
    NotAvailable {
        cells: usize,
    },
    /// The force's cells hold nothing foi can read as a figure (text, a
    /// measure with more places than the campaign keeps).
    NotACount {
        cells: usize,
    },
    /// The reply's dates or months do not cover the request's period, and
    /// nothing was read for it.
    PeriodNotCovered,
    /// A national source has no row for this force.
    NoRow,
    /// The force's own reply gave no figures for this request.
    NoFigures,
    // Added and flagged.
    /// The response says some of what was asked is missing.
    PartialAnswer,
    /// The figures cover only part of the request's period: as the
    /// response states (`stated`), or as the records found (`covered` on
    /// them). Empty `covered` when a diagnostic said so without the dates.
    PartialPeriod {
        covered: Vec<Period>,
        stated: bool,
    },
    /// The force counted another unit.
    AnotherUnit {
        unit: String,
        asked: String,
    },
    /// A fixed dimension differs from most forces' (keyword search).
    AnotherDefinition {
        dim: DimId,
        value: DimValue,
    },
    /// Rows with labels no crosswalk maps were left out: an undercount.
    Unmapped {
        labels: Vec<String>,
    },
    /// Some cells were marked not available and left out: may undercount.
    SomeNotAvailable {
        cells: usize,
    },
    /// Some cells held nothing foi can read as a figure and were left out:
    /// may undercount.
    SomeNotACount {
        cells: usize,
    },
    /// The last fetch failed; the figures are from the last good copy.
    Stale {
        why: String,
    },
}

impl Reason {
    /// The reason's name as coverage.csv's `reason_code` writes it.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NoResponseConfigured => "no_response_configured",
            Reason::Refused { .. } => "refused",
            Reason::NotHeld => "not_held",
            Reason::NoResponse => "no_response",
            Reason::FailedToRead { .. } => "failed_to_read",
            Reason::Conflict { .. } => "conflict",
            Reason::AnotherPeriod { .. } => "another_period",
            Reason::NotAvailable { .. } => "not_available",
            Reason::NotACount { .. } => "not_a_count",
            Reason::PeriodNotCovered => "period_not_covered",
            Reason::NoRow => "no_row",
            Reason::NoFigures => "no_figures",
            Reason::PartialAnswer => "partial_answer",
            Reason::PartialPeriod { .. } => "partial_period",
            Reason::AnotherUnit { .. } => "another_unit",
            Reason::AnotherDefinition { .. } => "another_definition",
            Reason::Unmapped { .. } => "unmapped",
            Reason::SomeNotAvailable { .. } => "some_not_available",
            Reason::SomeNotACount { .. } => "some_not_a_count",
            Reason::Stale { .. } => "stale",
        }
    }

    /// Whether the config already says so: a response file's status,
    /// period, unit and fixed definitions are declared (and the forces it
    /// has no response for, which the campaign did not ask); what foi
    /// found in the data or the fetch is not.
    pub fn declared(&self) -> bool {
        match self {
            Reason::NoResponseConfigured
            | Reason::Refused { .. }
            | Reason::NotHeld
            | Reason::NoResponse
            | Reason::AnotherPeriod { .. }
            | Reason::PartialAnswer
            | Reason::AnotherUnit { .. }
            | Reason::AnotherDefinition { .. } => true,
            Reason::PartialPeriod { stated, .. } => *stated,
            Reason::FailedToRead { .. }
            | Reason::Conflict { .. }
            | Reason::NotAvailable { .. }
            | Reason::NotACount { .. }
            | Reason::PeriodNotCovered
            | Reason::NoRow
            | Reason::NoFigures
            | Reason::Unmapped { .. }
            | Reason::SomeNotAvailable { .. }
            | Reason::SomeNotACount { .. }
            | Reason::Stale { .. } => false,
        }
    }

    /// Whether figures so flagged may fall short of the whole of what was
    /// asked: such a force is left out of the matched panel.
    pub fn incomplete(&self) -> bool {
        matches!(
            self,
            Reason::PartialAnswer
                | Reason::PartialPeriod { .. }
                | Reason::Unmapped { .. }
                | Reason::SomeNotAvailable { .. }
                | Reason::SomeNotACount { .. }
        )
    }

    /// A few words for many forces at once, as the headline groups them:
    /// "no row in the national source".
    pub fn summary(&self) -> &'static str {
        match self {
            Reason::NoResponseConfigured => "no response configured",
            Reason::Refused { .. } => "refused",
            Reason::NotHeld => "not held",
            Reason::NoResponse => "no response",
            Reason::FailedToRead { .. } => "the source could not be read",
            Reason::Conflict { .. } => "one figure given two different values",
            Reason::AnotherPeriod { .. } => "answered for another period",
            Reason::NotAvailable { .. } => "every figure marked not available in the source",
            Reason::NotACount { .. } => "the source's cells hold nothing foi can read as a figure",
            Reason::PeriodNotCovered => "the reply does not cover the request's period",
            Reason::NoRow => "no row in the national source",
            Reason::NoFigures => "no figures could be read",
            Reason::PartialAnswer => "partial answer",
            Reason::PartialPeriod { .. } => "figures cover only part of the period",
            Reason::AnotherUnit { .. } => "another unit counted",
            Reason::AnotherDefinition { .. } => "another definition",
            Reason::Unmapped { .. } => "rows with labels no crosswalk maps left out",
            Reason::SomeNotAvailable { .. } => "some figures marked not available",
            Reason::SomeNotACount { .. } => "some cells hold nothing foi can read as a figure",
            Reason::Stale { .. } => "the last fetch failed; figures from the last good copy",
        }
    }
}

fn periods(ps: &[Period]) -> String {
    ps.iter()
        .map(Period::to_string)
        .collect::<Vec<_>>()
        .join(" and ")
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoResponseConfigured => f.write_str("no response configured"),
            Reason::Refused { section } => write!(f, "refused ({section})"),
            Reason::NotHeld => f.write_str("not held"),
            Reason::NoResponse => f.write_str("no response"),
            Reason::FailedToRead { why } => write!(f, "could not be read: {why}"),
            Reason::Conflict { times } => write!(
                f,
                "the source gives {} two different values; refused rather than guessed",
                if *times == 1 {
                    "a figure".to_string()
                } else {
                    format!("{times} figures")
                }
            ),
            Reason::AnotherPeriod { answered, asked } => write!(
                f,
                "answered for {answered}, not the request's {asked}; not added"
            ),
            Reason::NotAvailable { cells } => write!(
                f,
                "the source marks this force's figures as not available ({cells} {})",
                if *cells == 1 { "cell" } else { "cells" }
            ),
            Reason::NotACount { cells } => write!(
                f,
                "the source's {} for this force {} nothing foi can read as a figure (see the errors)",
                if *cells == 1 { "cell" } else { "cells" },
                if *cells == 1 { "holds" } else { "hold" }
            ),
            Reason::PeriodNotCovered => {
                f.write_str("what the reply holds does not cover the request's period; not added")
            }
            Reason::NoRow => f.write_str("the source has no row for this force"),
            Reason::NoFigures => f.write_str("no figures could be read for this request"),
            Reason::PartialAnswer => {
                f.write_str("partial answer: some of what was asked is missing")
            }
            Reason::PartialPeriod { covered, .. } if covered.is_empty() => {
                f.write_str("partial period: the figures do not cover the whole period")
            }
            Reason::PartialPeriod { covered, .. } => {
                write!(f, "partial period: figures cover {} only", periods(covered))
            }
            Reason::AnotherUnit { unit, asked } => write!(f, "counts {unit} not {asked}"),
            Reason::AnotherDefinition { dim, value } => write!(f, "{dim} is {value}"),
            Reason::Unmapped { labels } => write!(
                f,
                "undercounts: rows with labels no crosswalk maps were left out ({})",
                labels.join(", ")
            ),
            Reason::SomeNotAvailable { cells } => write!(
                f,
                "may undercount: {cells} {} marked not available left out",
                if *cells == 1 { "cell" } else { "cells" }
            ),
            Reason::SomeNotACount { cells } => write!(
                f,
                "may undercount: {cells} {} holding nothing foi can read as a figure left out",
                if *cells == 1 { "cell" } else { "cells" }
            ),
            Reason::Stale { why } if why.is_empty() => {
                f.write_str("stale: the last fetch failed; figures from the last good copy")
            }
            Reason::Stale { why } => write!(
                f,
                "stale: the last fetch failed ({why}); figures from the last good copy"
            ),
        }
    }
}

/// How each force answered each request, and whether it was added in.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub force: ForceId,
    pub request: String,
    pub status: String,
    pub unit: String,
    /// The period the response answered for; `None` with no response.
    pub period: Option<Period>,
    pub fixed: String,
    pub included: bool,
    /// Added, with at least one reason: its figures count something a
    /// little different or may fall short.
    pub flagged: bool,
    /// Why not added (one reason), or each reason it was flagged.
    pub reasons: Vec<Reason>,
    /// The reasons as one sentence: what coverage.csv's `reason` says.
    pub reason: String,
}

impl CoverageRow {
    fn new(force: &ForceId, request: &Request) -> CoverageRow {
        CoverageRow {
            force: force.clone(),
            request: request.id.clone(),
            status: "no response".into(),
            unit: String::new(),
            period: None,
            fixed: String::new(),
            included: false,
            flagged: false,
            reasons: Vec::new(),
            reason: String::new(),
        }
    }

    fn not_added(mut self, why: Reason) -> CoverageRow {
        self.reason = why.to_string();
        self.reasons = vec![why];
        self
    }

    fn added(mut self, flags: Vec<Reason>) -> CoverageRow {
        self.included = true;
        self.flagged = !flags.is_empty();
        self.reason = flags
            .iter()
            .map(Reason::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        self.reasons = flags;
        self
    }

    /// The reasons the config did not already declare.
    pub fn undeclared(&self) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(|r| !r.declared())
    }

    /// The reasons' codes, ";"-joined, as coverage.csv's `reason_code`.
    pub fn reason_code(&self) -> String {
        self.reasons
            .iter()
            .map(Reason::code)
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// The value most responses give a fixed dimension: a response that differs
/// is flagged (its figures count something a little different).
pub fn usual_fixed(config: &Config) -> BTreeMap<DimId, DimValue> {
    let mut counts: BTreeMap<DimId, BTreeMap<DimValue, usize>> = BTreeMap::new();
    for r in config.responses.iter().filter(|r| r.status.has_figures()) {
        for (k, v) in &r.fixed {
            *counts
                .entry(k.clone())
                .or_default()
                .entry(v.clone())
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(k, vs)| {
            vs.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(v, _)| (k, v))
        })
        .collect()
}

/// The responses that answer `request` for `force`: the force's own, or
/// else every national table answering that request (one that leaves the
/// force out speaks for it too: it has no row for it).
fn responses_for<'c>(config: &'c Config, force: &ForceId, request: &str) -> Vec<&'c Response> {
    let answering = || {
        config
            .responses
            .iter()
            .filter(move |r| r.requests.iter().any(|q| q == request))
    };
    let own: Vec<&Response> = answering()
        .filter(|r| r.force.as_ref() == Some(force))
        .collect();
    if !own.is_empty() {
        return own;
    }
    answering().filter(|r| r.force.is_none()).collect()
}

/// The periods `force`'s records for a request say they cover, when less
/// than the whole of it.
fn covered(records: &[Record], idx: &[usize]) -> Vec<Period> {
    idx.iter()
        .filter_map(|&i| records[i].covered)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A coverage row for every force and request, in the forces' order.
pub fn coverage(
    config: &Config,
    records: &[Record],
    by_force: &ByForce,
    gaps: &Gaps,
) -> Vec<CoverageRow> {
    let usual = usual_fixed(config);
    let mut rows = Vec::new();
    for force in config.forces.iter().filter(|f| config.campaign.asks(&f.id)) {
        for request in &config.campaign.requests {
            let responses = responses_for(config, &force.id, &request.id);
            let row = CoverageRow::new(&force.id, request);
            rows.push(match responses.first() {
                None => row.not_added(Reason::NoResponseConfigured),
                Some(first) => {
                    let idx = by_force
                        .get(&(force.id.clone(), request.id.clone()))
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let answer = Answer {
                        config,
                        usual: &usual,
                        gaps,
                        force: &force.id,
                        request,
                        responses: &responses,
                        records,
                        idx,
                    };
                    answer.row(describe(row, first))
                }
            });
        }
    }
    rows
}

/// The row's status, unit, period and definitions, as the response says.
fn describe(mut row: CoverageRow, resp: &Response) -> CoverageRow {
    row.status = resp.status.to_string();
    row.unit = resp.unit.to_string();
    row.fixed = resp
        .fixed
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    row
}

/// One force's answer to one request, and everything known about it.
struct Answer<'a> {
    config: &'a Config,
    usual: &'a BTreeMap<DimId, DimValue>,
    gaps: &'a Gaps,
    force: &'a ForceId,
    request: &'a Request,
    /// The force's own response, or every national one for the request.
    responses: &'a [&'a Response],
    records: &'a [Record],
    /// Its records for the request.
    idx: &'a [usize],
}

impl Answer<'_> {
    fn row(&self, mut row: CoverageRow) -> CoverageRow {
        let resp = self.responses[0];
        let asked = self.request.period;
        let period = resp.period.unwrap_or(asked);
        row.period = Some(period);
        let found = self.gaps.found(self.force, &self.request.id);
        let national = resp.force.is_none();
        // The first response that failed: for a national source, only a
        // reason when the force has no figures (another table had its row).
        let failed = self
            .responses
            .iter()
            .find_map(|r| self.gaps.failures.get(&r.key))
            .filter(|_| !national || self.idx.is_empty());
        if let Some(why) = failed {
            return row.not_added(Reason::FailedToRead { why: why.clone() });
        }
        match &resp.status {
            Status::Refused { section } => {
                return row.not_added(Reason::Refused {
                    section: section.clone(),
                })
            }
            Status::NotHeld => return row.not_added(Reason::NotHeld),
            Status::NoResponse => return row.not_added(Reason::NoResponse),
            Status::Answered | Status::Partial => {}
        }
        if let Some(&times) = found.get(&Finding::Conflict) {
            return row.not_added(Reason::Conflict { times });
        }
        let fit = asked.fit(&period, 0);
        if fit == Fit::Other {
            return row.not_added(Reason::AnotherPeriod {
                answered: period,
                asked,
            });
        }
        if self.idx.is_empty() {
            return row.not_added(if let Some(&cells) = found.get(&Finding::NotAvailable) {
                Reason::NotAvailable { cells }
            } else if let Some(&cells) = found.get(&Finding::NotACount) {
                Reason::NotACount { cells }
            } else if found.contains_key(&Finding::PartialPeriod) {
                Reason::PeriodNotCovered
            } else if national {
                Reason::NoRow
            } else {
                Reason::NoFigures
            });
        }
        row.added(self.flags(resp, fit, &found))
    }

    /// Every reason an added force's figures are flagged.
    fn flags(&self, resp: &Response, fit: Fit, found: &BTreeMap<Finding, usize>) -> Vec<Reason> {
        let campaign = &self.config.campaign;
        let mut flags = Vec::new();
        if resp.status == Status::Partial {
            flags.push(Reason::PartialAnswer);
        }
        let covered = covered(self.records, self.idx);
        if let Fit::Partial { covered } = fit {
            flags.push(Reason::PartialPeriod {
                covered: vec![covered],
                stated: true,
            });
        } else if !covered.is_empty() || found.contains_key(&Finding::PartialPeriod) {
            flags.push(Reason::PartialPeriod {
                covered,
                stated: false,
            });
        }
        if resp.unit != campaign.unit {
            flags.push(Reason::AnotherUnit {
                unit: resp.unit.to_string(),
                asked: campaign.unit.to_string(),
            });
        }
        for (k, v) in &resp.fixed {
            if self.usual.get(k).is_some_and(|u| u != v) {
                flags.push(Reason::AnotherDefinition {
                    dim: k.clone(),
                    value: v.clone(),
                });
            }
        }
        if let Some(labels) = self.gaps.unmapped.get(self.force) {
            flags.push(Reason::Unmapped {
                labels: labels.iter().cloned().collect(),
            });
        }
        if let Some(&cells) = found.get(&Finding::NotAvailable) {
            flags.push(Reason::SomeNotAvailable { cells });
        }
        if let Some(&cells) = found.get(&Finding::NotACount) {
            flags.push(Reason::SomeNotACount { cells });
        }
        let stale = self
            .responses
            .iter()
            .find_map(|r| self.gaps.stale.get(&r.key))
            .cloned()
            .or_else(|| found.contains_key(&Finding::Stale).then(String::new));
        if let Some(why) = stale {
            flags.push(Reason::Stale { why });
        }
        flags
    }
}

/// (force, request) -> whether flagged, for every pair added.
pub fn added(coverage: &[CoverageRow]) -> BTreeMap<(ForceId, String), bool> {
    coverage
        .iter()
        .filter(|c| c.included)
        .map(|c| ((c.force.clone(), c.request.clone()), c.flagged))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::national::by_force;
    use crate::figures::testing::{answered, config, config_as, declined, record};

    /// Coverage of these responses and records, with these gaps.
    fn cover(responses: &[(&str, String)], records: &[Record], gaps: &Gaps) -> Vec<CoverageRow> {
        let c = config(responses);
        coverage(&c, records, &by_force(records), gaps)
    }

    fn row<'r>(rows: &'r [CoverageRow], force: &str, request: &str) -> &'r CoverageRow {
        rows.iter()
            .find(|c| c.force.0 == force && c.request == request)
            .unwrap_or_else(|| panic!("no row for {force} {request}"))
    }

    fn finding(force: &str, request: &str, f: Finding, n: usize) -> Gaps {
        let mut g = Gaps::default();
        g.findings.insert(
            (ForceId(force.into()), Some(request.into())),
            BTreeMap::from([(f, n)]),
        );
        g
    }

    #[test]
    fn what_a_response_declares_is_said_and_declared() {
        let rows = cover(
            &[
                (
                    "alpha",
                    declined("alpha", "status = \"refused\"\nsection = \"s.12\""),
                ),
                ("beta", declined("beta", "status = \"not_held\"")),
                ("gamma", declined("gamma", "status = \"no_response\"")),
            ],
            &[],
            &Gaps::default(),
        );
        let cases = [
            (
                "alpha",
                Reason::Refused {
                    section: "s.12".into(),
                },
                "refused (s.12)",
            ),
            ("beta", Reason::NotHeld, "not held"),
            ("gamma", Reason::NoResponse, "no response"),
            (
                "delta",
                Reason::NoResponseConfigured,
                "no response configured",
            ),
        ];
        for (force, reason, text) in cases {
            let r = row(&rows, force, "y2");
            assert!(!r.included && !r.flagged, "{force}");
            assert_eq!(r.reasons, vec![reason], "{force}");
            assert_eq!(r.reason, text);
            assert_eq!(r.undeclared().count(), 0, "{force}: declared");
        }
    }

    #[test]
    fn coverage_has_rows_for_the_forces_asked_alone() {
        // A campaign sent to one force: no row for the three it did not ask.
        let c = config_as(
            "forces = [\"beta\"]",
            &[("beta", answered(Some("beta"), &["y1", "y2"], ""))],
        );
        let records = vec![
            record("beta", "y1", &[], 7, 7),
            record("beta", "y2", &[], 9, 9),
        ];
        let rows = coverage(&c, &records, &by_force(&records), &Gaps::default());
        let got: Vec<(&str, &str, bool)> = rows
            .iter()
            .map(|r| (r.force.0.as_str(), r.request.as_str(), r.included))
            .collect();
        assert_eq!(got, [("beta", "y1", true), ("beta", "y2", true)]);
        // A national table with no row for a force not asked says nothing of it.
        let c = config_as(
            "forces = [\"alpha\", \"beta\"]",
            &[("national", answered(None, &["y1"], ""))],
        );
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("beta", "y1", &[], 7, 7),
        ];
        let rows = coverage(&c, &records, &by_force(&records), &Gaps::default());
        assert!(rows.iter().all(|r| r.undeclared().count() == 0));
        assert!(!rows
            .iter()
            .any(|r| r.force.0 == "gamma" || r.force.0 == "delta"));
        assert!(row(&rows, "alpha", "y1").included && row(&rows, "beta", "y1").included);
    }

    #[test]
    fn a_national_source_that_leaves_forces_out_says_so() {
        // A national table answering y1 with rows for alpha and beta only.
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("beta", "y1", &[], 7, 7),
        ];
        let rows = cover(
            &[("national", answered(None, &["y1"], ""))],
            &records,
            &Gaps::default(),
        );
        for force in ["gamma", "delta"] {
            let r = row(&rows, force, "y1");
            assert!(!r.included);
            assert_eq!(r.reasons, vec![Reason::NoRow]);
            assert_eq!(r.reason, "the source has no row for this force");
            assert_eq!(r.reason_code(), "no_row");
            assert_eq!(r.undeclared().count(), 1, "the config did not say so");
        }
        assert!(row(&rows, "alpha", "y1").included);
        // No national source answers y2 at all: nothing was asked.
        assert_eq!(
            row(&rows, "alpha", "y2").reasons,
            vec![Reason::NoResponseConfigured]
        );
    }

    #[test]
    fn cells_that_hold_no_figure_are_said_not_a_missing_row() {
        // A national table: gamma's row is there, but its y1 cell is not a
        // figure foi can read; beta's y1 cells are read but one is not.
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("beta", "y1", &[], 7, 7),
        ];
        let mut gaps = finding("gamma", "y1", Finding::NotACount, 1);
        gaps.findings.insert(
            (ForceId("beta".into()), Some("y1".into())),
            BTreeMap::from([(Finding::NotACount, 2)]),
        );
        let rows = cover(
            &[("national", answered(None, &["y1"], ""))],
            &records,
            &gaps,
        );
        let gamma = row(&rows, "gamma", "y1");
        assert!(!gamma.included);
        assert_eq!(gamma.reasons, vec![Reason::NotACount { cells: 1 }]);
        assert_eq!(
            gamma.reason,
            "the source's cell for this force holds nothing foi can read as a figure (see the errors)"
        );
        let beta = row(&rows, "beta", "y1");
        assert!(beta.included && beta.flagged);
        assert_eq!(beta.reason_code(), "some_not_a_count");
        assert!(beta.reasons[0].incomplete());
        assert_eq!(row(&rows, "delta", "y1").reasons, vec![Reason::NoRow]);
    }

    #[test]
    fn a_row_of_not_available_marks_is_not_a_missing_row() {
        let records = vec![record("alpha", "y1", &[], 5, 5)];
        let gaps = finding("beta", "y1", Finding::NotAvailable, 3);
        let rows = cover(
            &[("national", answered(None, &["y1"], ""))],
            &records,
            &gaps,
        );
        let beta = row(&rows, "beta", "y1");
        assert!(!beta.included);
        assert_eq!(beta.reasons, vec![Reason::NotAvailable { cells: 3 }]);
        assert_eq!(
            beta.reason,
            "the source marks this force's figures as not available (3 cells)"
        );
        assert!(!beta.reasons[0].declared());
    }

    #[test]
    fn some_cells_not_available_flag_the_figures_added() {
        let records = vec![record("alpha", "y1", &[], 5, 5)];
        let gaps = finding("alpha", "y1", Finding::NotAvailable, 1);
        let rows = cover(
            &[("alpha", answered(Some("alpha"), &["y1"], ""))],
            &records,
            &gaps,
        );
        let alpha = row(&rows, "alpha", "y1");
        assert!(alpha.included && alpha.flagged);
        assert_eq!(alpha.reasons, vec![Reason::SomeNotAvailable { cells: 1 }]);
        assert_eq!(
            alpha.reason,
            "may undercount: 1 cell marked not available left out"
        );
    }

    #[test]
    fn two_values_for_one_figure_refuse_it() {
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("alpha", "y2", &[], 6, 6),
        ];
        let gaps = finding("alpha", "y1", Finding::Conflict, 1);
        let rows = cover(
            &[("alpha", answered(Some("alpha"), &["y1", "y2"], ""))],
            &records,
            &gaps,
        );
        let y1 = row(&rows, "alpha", "y1");
        assert!(!y1.included, "refused, never guessed");
        assert_eq!(y1.reasons, vec![Reason::Conflict { times: 1 }]);
        assert_eq!(
            y1.reason,
            "the source gives a figure two different values; refused rather than guessed"
        );
        assert!(!y1.reasons[0].declared());
        // The other request's figures stand.
        assert!(row(&rows, "alpha", "y2").included);
    }

    #[test]
    fn a_response_that_could_not_be_read_says_why() {
        let mut gaps = Gaps::default();
        gaps.failures
            .insert("alpha".into(), "the file is damaged".into());
        let rows = cover(
            &[("alpha", answered(Some("alpha"), &["y1"], ""))],
            &[],
            &gaps,
        );
        let r = row(&rows, "alpha", "y1");
        assert_eq!(
            r.reasons,
            vec![Reason::FailedToRead {
                why: "the file is damaged".into()
            }]
        );
        assert_eq!(r.reason, "could not be read: the file is damaged");
        assert_eq!(r.undeclared().count(), 1);
    }

    #[test]
    fn records_covering_part_of_the_period_are_added_and_flagged() {
        let mut half = record("alpha", "y2", &[], 136, 136);
        let p = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let covered = Period::new(p(2016, 4, 1), p(2016, 9, 30)).expect("period");
        half.covered = Some(covered);
        let rows = cover(
            &[("alpha", answered(Some("alpha"), &["y2"], ""))],
            &[half],
            &Gaps::default(),
        );
        let r = row(&rows, "alpha", "y2");
        assert!(r.included && r.flagged);
        assert_eq!(
            r.reasons,
            vec![Reason::PartialPeriod {
                covered: vec![covered],
                stated: false
            }]
        );
        assert_eq!(
            r.reason,
            "partial period: figures cover 2016-04-01 to 2016-09-30 only"
        );
        assert_eq!(r.undeclared().count(), 1, "found in the data, not declared");
        assert!(r.reasons[0].incomplete());
    }

    #[test]
    fn a_stated_period_is_whole_partial_or_another() {
        let responses = [
            // Within y2: added and flagged partial, as declared.
            (
                "alpha",
                answered(
                    Some("alpha"),
                    &["y2"],
                    "period = { from = 2016-04-01, to = 2016-09-30 }",
                ),
            ),
            // A calendar year across y1 and y2: another period, not added.
            (
                "beta",
                answered(
                    Some("beta"),
                    &["y2"],
                    "period = { from = 2016-01-01, to = 2016-12-31 }",
                ),
            ),
            // Exactly y2.
            (
                "gamma",
                answered(
                    Some("gamma"),
                    &["y2"],
                    "period = { from = 2016-04-01, to = 2017-03-31 }",
                ),
            ),
        ];
        let records = vec![
            record("alpha", "y2", &[], 1, 1),
            record("beta", "y2", &[], 2, 2),
            record("gamma", "y2", &[], 3, 3),
        ];
        let rows = cover(&responses, &records, &Gaps::default());
        let alpha = row(&rows, "alpha", "y2");
        assert!(alpha.included && alpha.flagged);
        assert_eq!(alpha.reason_code(), "partial_period");
        assert_eq!(alpha.undeclared().count(), 0, "the response says so");
        let beta = row(&rows, "beta", "y2");
        assert!(!beta.included);
        assert_eq!(
            beta.reason,
            "answered for 2016-01-01 to 2016-12-31, not the request's 2016-04-01 to 2017-03-31; not added"
        );
        let gamma = row(&rows, "gamma", "y2");
        assert!(gamma.included && !gamma.flagged);
    }

    #[test]
    fn another_unit_or_definition_is_added_and_flagged_as_declared() {
        let responses = [
            (
                "alpha",
                answered(
                    Some("alpha"),
                    &["y1"],
                    "unit = \"victims\"\nfixed = { online_method = \"cyber_flag\" }",
                ),
            ),
            (
                "beta",
                answered(
                    Some("beta"),
                    &["y1"],
                    "fixed = { online_method = \"keyword_search\" }",
                ),
            ),
            (
                "gamma",
                answered(
                    Some("gamma"),
                    &["y1"],
                    "fixed = { online_method = \"cyber_flag\" }",
                ),
            ),
        ];
        let records = vec![
            record("alpha", "y1", &[], 1, 1),
            record("beta", "y1", &[], 2, 2),
            record("gamma", "y1", &[], 3, 3),
        ];
        let rows = cover(&responses, &records, &Gaps::default());
        let alpha = row(&rows, "alpha", "y1");
        assert_eq!(alpha.reason, "counts victims not offences");
        let beta = row(&rows, "beta", "y1");
        assert_eq!(beta.reason, "online_method is keyword_search");
        for r in [alpha, beta] {
            assert!(r.included && r.flagged);
            assert_eq!(r.undeclared().count(), 0);
            assert!(!r.reasons[0].incomplete());
        }
        assert!(!row(&rows, "gamma", "y1").flagged);
    }

    #[test]
    fn unmapped_rows_and_a_stale_source_are_flagged_and_not_declared() {
        let records = vec![record("alpha", "y1", &[], 1, 1)];
        let mut gaps = Gaps::default();
        gaps.unmapped.insert(
            ForceId("alpha".into()),
            BTreeSet::from(["offence label \"IIOC\"".to_string()]),
        );
        gaps.stale.insert("alpha".into(), "http 500".into());
        let rows = cover(
            &[("alpha", answered(Some("alpha"), &["y1"], ""))],
            &records,
            &gaps,
        );
        let r = row(&rows, "alpha", "y1");
        assert!(r.included && r.flagged);
        assert_eq!(r.reason_code(), "unmapped;stale");
        assert_eq!(
            r.reason,
            "undercounts: rows with labels no crosswalk maps were left out (offence label \"IIOC\"); stale: the last fetch failed (http 500); figures from the last good copy"
        );
        assert_eq!(r.undeclared().count(), 2);
    }

    #[test]
    fn no_figures_read_and_a_period_not_covered_are_told_apart() {
        let gaps = finding("beta", "y1", Finding::PartialPeriod, 1);
        let rows = cover(
            &[
                ("alpha", answered(Some("alpha"), &["y1"], "")),
                ("beta", answered(Some("beta"), &["y1"], "")),
            ],
            &[],
            &gaps,
        );
        assert_eq!(row(&rows, "alpha", "y1").reasons, vec![Reason::NoFigures]);
        assert_eq!(
            row(&rows, "beta", "y1").reasons,
            vec![Reason::PeriodNotCovered]
        );
    }
}
