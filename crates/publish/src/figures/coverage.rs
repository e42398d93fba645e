//! Coverage: how each force answered each request, whether its figures
//! were added, and why not or why flagged.

use super::national::ByForce;
use super::terms::{response_for, usual_fixed};
use foi_model::config::Config;
use foi_model::ForceId;
use std::collections::{BTreeMap, BTreeSet};

/// How each force answered each request, and whether it was added in.
#[derive(Debug, Clone)]
pub struct CoverageRow {
    pub force: ForceId,
    pub request: String,
    pub status: String,
    pub unit: String,
    pub period: String,
    pub fixed: String,
    pub included: bool,
    pub flagged: bool,
    pub reason: String,
}

/// What normalising could not read, for coverage to report.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    /// Response key -> why it could not be read at all.
    pub failures: BTreeMap<String, String>,
    /// Force -> the labels no crosswalk maps ("offence label \"IIOC\""),
    /// whose rows were left out of a release published anyway
    /// (`--allow-unmapped`): the force's figures fall short by those rows.
    pub unmapped: BTreeMap<ForceId, BTreeSet<String>>,
}

/// A coverage row for every force and request, in the forces' order.
pub fn coverage(config: &Config, by_force: &ByForce, gaps: &Gaps) -> Vec<CoverageRow> {
    let failures = &gaps.failures;
    let campaign = &config.campaign;
    let usual = usual_fixed(config);
    let mut coverage = Vec::new();
    for force in config.forces.iter() {
        for request in &campaign.requests {
            let response = response_for(config, &force.id, &request.id);
            let idx = by_force.get(&(force.id.clone(), request.id.clone()));
            let mut row = CoverageRow {
                force: force.id.clone(),
                request: request.id.clone(),
                status: "no response".into(),
                unit: String::new(),
                period: String::new(),
                fixed: String::new(),
                included: false,
                flagged: false,
                reason: String::new(),
            };
            match response {
                None => row.reason = "no response configured".into(),
                Some(resp) => {
                    row.status = resp.status.to_string();
                    row.unit = resp.unit.to_string();
                    let period = resp.period.unwrap_or(request.period);
                    row.period = period.to_string();
                    row.fixed = resp
                        .fixed
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let mut flags = Vec::new();
                    if resp.status == foi_model::Status::Partial {
                        flags.push("partial answer: some of what was asked is missing".to_string());
                    }
                    if resp.unit != campaign.unit {
                        flags.push(format!("counts {} not {}", resp.unit, campaign.unit));
                    }
                    for (k, v) in &resp.fixed {
                        if usual.get(k).is_some_and(|u| u != v) {
                            flags.push(format!("{k} is {v}"));
                        }
                    }
                    if let Some(labels) = gaps.unmapped.get(&force.id) {
                        flags.push(format!(
                            "undercounts: rows with labels no crosswalk maps were left out ({})",
                            labels.iter().cloned().collect::<Vec<_>>().join(", ")
                        ));
                    }
                    if let Some(why) = failures.get(&resp.key) {
                        row.reason = format!("could not be read: {why}");
                    } else if !resp.status.has_figures() {
                        row.reason = resp.status.to_string();
                    } else if idx.is_none() {
                        row.reason = if resp.force.is_none() {
                            "the source has no row for this force".into()
                        } else {
                            "no figures could be read for this request".into()
                        };
                    } else if period != request.period {
                        row.reason = format!(
                            "answered for {period}, not the request's {}; not added",
                            request.period
                        );
                    } else {
                        row.included = true;
                        row.flagged = !flags.is_empty();
                        row.reason = flags.join("; ");
                    }
                }
            }
            coverage.push(row);
        }
    }
    coverage
}

/// (force, request) -> whether flagged, for every pair added.
pub fn added(coverage: &[CoverageRow]) -> BTreeMap<(ForceId, String), bool> {
    coverage
        .iter()
        .filter(|c| c.included)
        .map(|c| ((c.force.clone(), c.request.clone()), c.flagged))
        .collect()
}
