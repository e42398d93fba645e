//! National figures: for each request and breakdown cell, the sum of every
//! added force's part, each part kept beside it.
//!
//! A suppressed cell is an interval, a sum of intervals is an interval, and
//! a figure is a point only when every part is. Each force's part is read
//! from one grain of its records ([`super::grain`]), and the parts always
//! add up to the figure, so `foi explain` can walk it back to the cells.

use super::grain::choose_grain;
use foi_model::config::Config;
use foi_model::{DimId, DimValue, ForceId, Interval, Record};
use std::collections::BTreeMap;

/// One force's part of a figure, and the records it was read from.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub force: ForceId,
    pub interval: Interval,
    pub flagged: bool,
    /// Indexes into the records given to [`crate::assemble`].
    pub records: Vec<usize>,
}

/// A national figure: a request, a breakdown cell, and who contributed.
#[derive(Debug, Clone)]
pub struct Figure {
    pub request: String,
    /// Empty for the national total.
    pub breakdown: Vec<(DimId, DimValue)>,
    pub total: Interval,
    pub contributions: Vec<Contribution>,
}

impl Figure {
    pub fn breakdown_name(&self) -> String {
        foi_model::record_grain_name(self.breakdown.iter().map(|(d, _)| d))
    }
}

/// (force, request) -> the indexes of its records.
pub type ByForce = BTreeMap<(ForceId, String), Vec<usize>>;

/// Every record's index under its force and request.
pub fn by_force(records: &[Record]) -> ByForce {
    let mut by: ByForce = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        by.entry((r.force.clone(), r.request.clone()))
            .or_default()
            .push(i);
    }
    by
}

/// Every national figure: each request's total (always there, zero when no
/// force was added) and each breakdown's cells, summed over the forces
/// `added` (force, request -> whether flagged).
pub fn national(
    config: &Config,
    records: &[Record],
    by_force: &ByForce,
    added: &BTreeMap<(ForceId, String), bool>,
) -> Vec<Figure> {
    let campaign = &config.campaign;
    let mut breakdowns: Vec<Vec<DimId>> = vec![Vec::new()];
    breakdowns.extend(campaign.breakdowns.iter().cloned());
    let mut figures = Vec::new();
    for request in &campaign.requests {
        for dims in &breakdowns {
            let mut cells: BTreeMap<Vec<DimValue>, Figure> = BTreeMap::new();
            for ((force, req), &flagged) in added {
                if req != &request.id {
                    continue;
                }
                let Some(idx) = by_force.get(&(force.clone(), req.clone())) else {
                    continue;
                };
                let Some(grain) = choose_grain(config, records, idx, dims) else {
                    continue;
                };
                let mut parts: BTreeMap<Vec<DimValue>, (Interval, Vec<usize>)> = BTreeMap::new();
                for &i in &grain {
                    let key: Vec<DimValue> = dims
                        .iter()
                        .filter_map(|d| records[i].dims.get(d).cloned())
                        .collect();
                    let e = parts.entry(key).or_insert((Interval::ZERO, Vec::new()));
                    e.0 += records[i].count.interval;
                    e.1.push(i);
                }
                for (key, (interval, recs)) in parts {
                    let fig = cells.entry(key.clone()).or_insert_with(|| Figure {
                        request: request.id.clone(),
                        breakdown: dims.iter().cloned().zip(key).collect(),
                        total: Interval::ZERO,
                        contributions: Vec::new(),
                    });
                    fig.total += interval;
                    fig.contributions.push(Contribution {
                        force: force.clone(),
                        interval,
                        flagged,
                        records: recs,
                    });
                }
            }
            if dims.is_empty() && cells.is_empty() {
                cells.insert(
                    Vec::new(),
                    Figure {
                        request: request.id.clone(),
                        breakdown: Vec::new(),
                        total: Interval::ZERO,
                        contributions: Vec::new(),
                    },
                );
            }
            figures.extend(cells.into_values());
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{answered, code, config, record};

    fn added(pairs: &[(&str, &str, bool)]) -> BTreeMap<(ForceId, String), bool> {
        pairs
            .iter()
            .map(|(f, r, flagged)| ((ForceId(f.to_string()), r.to_string()), *flagged))
            .collect()
    }

    fn total<'f>(figures: &'f [Figure], request: &str) -> &'f Figure {
        figures
            .iter()
            .find(|f| f.request == request && f.breakdown.is_empty())
            .expect("a total")
    }

    #[test]
    fn a_sum_of_intervals_is_a_point_only_when_every_part_is() {
        let c = config(&[
            ("alpha", answered(Some("alpha"), &["y1", "y2"], "")),
            ("beta", answered(Some("beta"), &["y1", "y2"], "")),
        ]);
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            // Suppressed: "<5" where zeros are shown.
            record("beta", "y1", &[], 1, 4),
            record("alpha", "y2", &[], 5, 5),
            record("beta", "y2", &[], 3, 3),
        ];
        let by = by_force(&records);
        let figures = national(
            &c,
            &records,
            &by,
            &added(&[
                ("alpha", "y1", false),
                ("beta", "y1", false),
                ("alpha", "y2", false),
                ("beta", "y2", true),
            ]),
        );
        let y1 = total(&figures, "y1");
        assert_eq!(y1.total, Interval::new(6, 9));
        assert_eq!(y1.total.value(), None);
        let y2 = total(&figures, "y2");
        assert_eq!(y2.total, Interval::point(8));
        // The parts are kept, add up to the figure, and carry their flag.
        let parts: Interval = y2.contributions.iter().map(|c| c.interval).sum();
        assert_eq!(parts, y2.total);
        let beta = y2
            .contributions
            .iter()
            .find(|c| c.force.0 == "beta")
            .expect("beta's part");
        assert!(beta.flagged);
        assert_eq!(beta.records, vec![3]);
    }

    #[test]
    fn only_forces_added_count_and_a_request_always_has_a_total() {
        let c = config(&[("alpha", answered(Some("alpha"), &["y1", "y2"], ""))]);
        let records = vec![
            record("alpha", "y1", &[("offence", code("a"))], 2, 2),
            record("alpha", "y1", &[("offence", code("b"))], 3, 3),
            record("beta", "y1", &[], 100, 100),
        ];
        let by = by_force(&records);
        let figures = national(&c, &records, &by, &added(&[("alpha", "y1", false)]));
        assert_eq!(total(&figures, "y1").total, Interval::point(5));
        let y2 = total(&figures, "y2");
        assert_eq!(y2.total, Interval::ZERO);
        assert!(y2.contributions.is_empty());
        let by_offence: Vec<(String, Interval)> = figures
            .iter()
            .filter(|f| f.request == "y1" && f.breakdown_name() == "offence")
            .map(|f| (f.breakdown[0].1.to_string(), f.total))
            .collect();
        assert_eq!(
            by_offence,
            vec![
                ("a".to_string(), Interval::point(2)),
                ("b".to_string(), Interval::point(3))
            ]
        );
    }
}
