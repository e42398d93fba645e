//! The terms a force answered a request on: which response answers it, and
//! what the campaign's usual definitions are.

use foi_model::config::{Config, Response};
use foi_model::{DimId, DimValue, ForceId};
use std::collections::BTreeMap;

/// The response that answers `request` for `force`: the force's own, or
/// else a national table answering for every force it has a row for.
pub fn response_for<'c>(
    config: &'c Config,
    force: &ForceId,
    request: &str,
) -> Option<&'c Response> {
    config
        .responses
        .iter()
        .filter(|r| r.requests.iter().any(|q| q == request))
        .find(|r| r.force.as_ref() == Some(force))
        .or_else(|| {
            config
                .responses
                .iter()
                .find(|r| r.force.is_none() && r.requests.iter().any(|q| q == request))
        })
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
