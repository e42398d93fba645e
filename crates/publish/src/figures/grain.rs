//! Never add a total to its parts: which of a force's records a figure is
//! read from.
//!
//! A record's grain is the set of dimensions it carries: a stated total
//! carries none, a table by offence carries `offence`. A force's figure
//! for a breakdown is read from exactly one grain, so a stated total and
//! the cells it totals are never added together. Among the grains that
//! carry the breakdown's dimensions, the one whose sum is narrowest is used
//! (a stated total beats cells with suppression); on a tie, the one with
//! fewest dimensions (fewest cells added). A grain carrying an overlapping
//! dimension (offence groups and their sub-groups) serves only a breakdown
//! by that dimension: its values never add up.

use foi_model::config::Config;
use foi_model::{DimId, Interval, Record};
use std::collections::BTreeMap;

/// The records (indexes into `records`, out of `idx`) a force's figure for
/// a breakdown by `dims` is read from, or `None` when no grain carries them.
pub fn choose_grain(
    config: &Config,
    records: &[Record],
    idx: &[usize],
    dims: &[DimId],
) -> Option<Vec<usize>> {
    let overlapping = |d: &DimId| config.campaign.dimension(d).is_some_and(|x| x.overlapping);
    let mut grains: BTreeMap<Vec<DimId>, Vec<usize>> = BTreeMap::new();
    for &i in idx {
        let g: Vec<DimId> = records[i].dims.keys().cloned().collect();
        grains.entry(g).or_default().push(i);
    }
    grains
        .into_iter()
        .filter(|(g, _)| dims.iter().all(|d| g.contains(d)))
        .filter(|(g, _)| g.iter().all(|d| !overlapping(d) || dims.contains(d)))
        .min_by_key(|(g, idx)| {
            let s: Interval = idx.iter().map(|&i| records[i].count.interval).sum();
            (s.hi - s.lo, g.len())
        })
        .map(|(_, idx)| idx)
}
