//! Reconciliation: every figure a source states that foi also computes,
//! with both, so a reader sees each check and whether it agrees.

use foi_model::config::Config;
use foi_model::{Aggregate, DimId, DimValue, ForceId, Interval, Record};
use std::collections::BTreeMap;

/// A figure a source states that foi can compute too: a national row
/// ("England and Wales") against the sum of the source's force rows, or a
/// force's stated total against its cells.
#[derive(Debug, Clone)]
pub struct Check {
    pub request: String,
    /// "national", or the force whose own figures are compared.
    pub scope: String,
    /// What was stated: the row's label, or the grain of a force's table.
    pub label: String,
    pub breakdown: String,
    pub stated: Interval,
    pub computed: Interval,
    pub source: String,
    pub cells: String,
}

impl Check {
    /// Two honest ranges for one quantity agree when they meet.
    pub fn agrees(&self) -> bool {
        self.stated.intersect(&self.computed).is_some()
    }
}

fn describe(dims: &BTreeMap<DimId, DimValue>) -> String {
    dims.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Every figure a source states that foi also computes, with both.
pub fn reconcile(config: &Config, records: &[Record], aggregates: &[Aggregate]) -> Vec<Check> {
    let mut checks = Vec::new();
    // A national row against the sum of the same source's force rows.
    for a in aggregates {
        let computed: Interval = records
            .iter()
            .filter(|r| {
                r.lineage.sha256 == a.lineage.sha256 && r.request == a.request && r.dims == a.dims
            })
            .map(|r| r.count.interval)
            .sum();
        checks.push(Check {
            request: a.request.clone(),
            scope: "national".into(),
            label: a.label.clone(),
            breakdown: describe(&a.dims),
            stated: a.count.interval,
            computed,
            source: a.lineage.file.clone(),
            cells: a.lineage.describe(),
        });
    }
    // A force's coarsest grain (its stated total) against each finer one,
    // separately for each value of an overlapping dimension.
    let overlapping = |d: &DimId| config.campaign.dimension(d).is_some_and(|x| x.overlapping);
    type Key = (ForceId, String, BTreeMap<DimId, DimValue>);
    let mut grains: BTreeMap<Key, BTreeMap<Vec<DimId>, Vec<&Record>>> = BTreeMap::new();
    for r in records {
        let context: BTreeMap<DimId, DimValue> = r
            .dims
            .iter()
            .filter(|(d, _)| overlapping(d))
            .map(|(d, v)| (d.clone(), v.clone()))
            .collect();
        grains
            .entry((r.force.clone(), r.request.clone(), context))
            .or_default()
            .entry(r.dims.keys().filter(|d| !overlapping(d)).cloned().collect())
            .or_default()
            .push(r);
    }
    for ((force, request, context), by_grain) in grains {
        let Some((stated_grain, stated)) = by_grain.iter().min_by_key(|(g, _)| g.len()) else {
            continue;
        };
        let stated_sum: Interval = stated.iter().map(|r| r.count.interval).sum();
        for (grain, recs) in &by_grain {
            if grain == stated_grain {
                continue;
            }
            checks.push(Check {
                request: request.clone(),
                scope: force.0.clone(),
                label: format!(
                    "{} against {}",
                    foi_model::record_grain_name(stated_grain.iter()),
                    foi_model::record_grain_name(grain.iter())
                ),
                breakdown: describe(&context),
                stated: stated_sum,
                computed: recs.iter().map(|r| r.count.interval).sum(),
                source: stated
                    .first()
                    .map(|r| r.lineage.file.clone())
                    .unwrap_or_default(),
                cells: stated
                    .iter()
                    .map(|r| r.lineage.describe())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{answered, code, config, record};
    use foi_model::Count;

    #[test]
    fn a_stated_total_is_checked_against_its_cells_never_added() {
        let c = config(&[("alpha", answered(Some("alpha"), &["y1"], ""))]);
        let records = vec![
            record("alpha", "y1", &[], 12, 12),
            record("alpha", "y1", &[("offence", code("a"))], 1, 4),
            record("alpha", "y1", &[("offence", code("b"))], 6, 6),
        ];
        let checks = reconcile(&c, &records, &[]);
        assert_eq!(checks.len(), 1);
        let k = &checks[0];
        assert_eq!(
            (k.scope.as_str(), k.label.as_str()),
            ("alpha", "total against offence")
        );
        assert_eq!(
            (k.stated, k.computed),
            (Interval::point(12), Interval::new(7, 10))
        );
        assert!(!k.agrees(), "12 cannot be 7 to 10");
    }

    #[test]
    fn a_national_row_is_checked_against_the_sum_of_its_sources_force_rows() {
        let c = config(&[("national", answered(None, &["y1"], ""))]);
        // Two force rows of one source (one sha256), one suppressed.
        let alpha = record("alpha", "y1", &[], 5, 5);
        let mut beta = record("beta", "y1", &[], 1, 4);
        beta.lineage = alpha.lineage.clone();
        let lineage = alpha.lineage.clone();
        let records = vec![alpha, beta];
        let aggregate = Aggregate {
            campaign: "test".into(),
            request: "y1".into(),
            label: "England and Wales".into(),
            dims: BTreeMap::new(),
            count: Count {
                interval: Interval::point(8),
                text: "8".into(),
            },
            lineage,
        };
        let checks = reconcile(&c, &records, &[aggregate]);
        let k = &checks[0];
        assert_eq!(k.scope, "national");
        assert_eq!(k.computed, Interval::new(6, 9));
        assert!(k.agrees(), "8 lies within 6 to 9");
    }
}
