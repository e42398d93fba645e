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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{answered, code, config, record};
    use foi_model::DimValue;

    fn dims(ds: &[&str]) -> Vec<DimId> {
        ds.iter().map(|d| DimId::new(d)).collect()
    }

    fn sum(records: &[Record], idx: &[usize]) -> Interval {
        idx.iter().map(|&i| records[i].count.interval).sum()
    }

    #[test]
    fn never_add_a_total_to_its_parts_a_figure_comes_from_one_grain() {
        let c = config(&[("alpha", answered(Some("alpha"), &["y1"], ""))]);
        // A stated total of 10, and the offences it totals: 4 and 6.
        let records = vec![
            record("alpha", "y1", &[], 10, 10),
            record("alpha", "y1", &[("offence", code("a"))], 4, 4),
            record("alpha", "y1", &[("offence", code("b"))], 6, 6),
        ];
        let all = [0, 1, 2];
        let total = choose_grain(&c, &records, &all, &[]).expect("a grain");
        assert_eq!(sum(&records, &total), Interval::point(10), "not 20");
        let by_offence = choose_grain(&c, &records, &all, &dims(&["offence"])).expect("a grain");
        assert_eq!(by_offence, vec![1, 2]);
        // No grain carries ages: no figure by age for this force.
        assert_eq!(choose_grain(&c, &records, &all, &dims(&["age"])), None);
    }

    #[test]
    fn the_narrowest_grain_wins_and_on_a_tie_the_one_with_fewest_dimensions() {
        let c = config(&[("alpha", answered(Some("alpha"), &["y1"], ""))]);
        // Cells with suppression (1 to 4) beside a stated total of 10.
        let records = vec![
            record("alpha", "y1", &[("offence", code("a"))], 1, 4),
            record("alpha", "y1", &[("offence", code("b"))], 6, 6),
            record("alpha", "y1", &[], 10, 10),
            // Ages, exact: as narrow as the total, with a dimension more.
            record("alpha", "y1", &[("age", DimValue::Age(12))], 3, 3),
            record("alpha", "y1", &[("age", DimValue::Age(13))], 7, 7),
        ];
        let all = [0, 1, 2, 3, 4];
        assert_eq!(choose_grain(&c, &records, &all, &[]), Some(vec![2]));
        // Without the stated total the exact ages beat the suppressed offences.
        let total = choose_grain(&c, &records, &[0, 1, 3, 4], &[]).expect("a grain");
        assert_eq!(total, vec![3, 4]);
    }

    #[test]
    fn an_overlapping_dimension_serves_only_a_breakdown_by_itself() {
        let c = config(&[("alpha", answered(Some("alpha"), &["y1"], ""))]);
        // A group (10) and its sub-group (4): never 14.
        let records = vec![
            record("alpha", "y1", &[("group", code("all"))], 10, 10),
            record("alpha", "y1", &[("group", code("part"))], 4, 4),
        ];
        assert_eq!(choose_grain(&c, &records, &[0, 1], &[]), None);
        assert_eq!(
            choose_grain(&c, &records, &[0, 1], &dims(&["group"])),
            Some(vec![0, 1])
        );
    }
}
