//! Stable ids for records and figures: the same inputs give the same ids,
//! so a release's rows can be joined across releases.

use super::national::Figure;
use foi_model::Record;

/// A record's stable id: request, force and its dimension values.
pub fn record_id(r: &Record) -> String {
    let dims: Vec<String> = r.dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{}/{}/{}",
        r.request,
        r.force,
        if dims.is_empty() {
            "total".to_string()
        } else {
            dims.join(",")
        }
    )
}

/// A figure's stable id: "fy-2016-17/total", "fy-2016-17/victim_age=13".
pub fn figure_id(f: &Figure) -> String {
    let dims: Vec<String> = f
        .breakdown
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "{}/{}",
        f.request,
        if dims.is_empty() {
            "total".to_string()
        } else {
            dims.join(",")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{code, record};
    use foi_model::{DimId, DimValue, Interval};

    #[test]
    fn ids_name_request_force_and_dimension_values() {
        let r = record(
            "alpha",
            "y1",
            &[("offence", code("a")), ("age", DimValue::Age(13))],
            1,
            1,
        );
        assert_eq!(record_id(&r), "y1/alpha/age=13,offence=a");
        assert_eq!(
            record_id(&record("alpha", "y1", &[], 1, 1)),
            "y1/alpha/total"
        );
        let f = Figure {
            request: "y1".into(),
            breakdown: vec![(DimId::new("age"), DimValue::Age(13))],
            total: Interval::ZERO,
            contributions: Vec::new(),
        };
        assert_eq!(figure_id(&f), "y1/age=13");
    }
}
