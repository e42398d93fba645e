//! Reconciliation: every figure a source states that foi also computes,
//! with both, so a reader sees each check and whether it agrees.

use foi_model::{Aggregate, DimId, DimValue, Interval, Record};
use std::collections::BTreeMap;

pub use foi_model::Check;

fn describe(dims: &BTreeMap<DimId, DimValue>) -> String {
    dims.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Every figure a source states that foi also computes, with both: each
/// national row against the sum of the same source's force rows, and the
/// checks normalising made of each force's own totals (`force_checks`:
/// every stated total against each finer table it totals).
pub fn reconcile(
    records: &[Record],
    aggregates: &[Aggregate],
    force_checks: &[Check],
) -> Vec<Check> {
    let mut checks = Vec::new();
    // A national row against the sum of the same source's force rows.
    for a in aggregates {
        let rows: Vec<&Record> = records
            .iter()
            .filter(|r| {
                r.lineage.sha256 == a.lineage.sha256 && r.request == a.request && r.dims == a.dims
            })
            .collect();
        let computed: Interval = rows.iter().map(|r| r.count.interval).sum();
        let parts = match rows.as_slice() {
            [] => String::new(),
            [one] => one.lineage.describe(),
            [first, .., last] => format!(
                "the {} force rows, {} to {}",
                rows.len(),
                first.lineage.describe(),
                last.lineage.describe()
            ),
        };
        checks.push(Check {
            request: a.request.clone(),
            scope: "national".into(),
            label: a.label.clone(),
            breakdown: describe(&a.dims),
            stated: a.count.interval,
            computed,
            source: a.lineage.file.clone(),
            cells: a.lineage.describe(),
            parts,
        });
    }
    checks.extend(force_checks.iter().cloned());
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::record;
    use foi_model::Count;

    #[test]
    fn a_forces_own_checks_are_published_beside_the_national_ones() {
        let own = Check {
            request: "y1".into(),
            scope: "alpha".into(),
            label: "total against offence".into(),
            breakdown: String::new(),
            stated: Interval::point(12),
            computed: Interval::new(7, 10),
            source: "alpha.csv".into(),
            cells: "B9".into(),
            parts: "C5; C6".into(),
        };
        let checks = reconcile(&[], &[], std::slice::from_ref(&own));
        assert_eq!(checks, [own]);
        assert!(!checks[0].agrees(), "12 cannot be 7 to 10");
    }

    #[test]
    fn a_national_row_is_checked_against_the_sum_of_its_sources_force_rows() {
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
        let checks = reconcile(&records, &[aggregate], &[]);
        let k = &checks[0];
        assert_eq!(k.scope, "national");
        assert_eq!(k.computed, Interval::new(6, 9));
        assert!(k.agrees(), "8 lies within 6 to 9");
    }
}
