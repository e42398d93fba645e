//! Record-level tables (one row per crime) across many forces: rows that
//! repeat the same labels are worked out once, and that must change
//! nothing a row read afresh would give — each force's counts, the cells
//! behind them, and a report for every row that needs one.

use crate::*;

/// A national record-level table: a note in column A (empty on most
/// rows, so a row's first cell is usually its force), the force by name in
/// B and C, the offence in D, the date in E. The skip pattern reads the
/// first cell: rows noted "Example" are left out.
fn national(source: &str) -> String {
    format!(
        r#"requests = ["fy-2016-17"]
status = "answered"
fixed = {{ online_method = "cyber_flag" }}
source = {{ path = "{source}" }}

[[table]]
shape = "records"
header = '^Note$'
skip_rows = '^Example'
column = [
  {{ header = '^Note$', role = "ignore" }},
  {{ header = '^Force$', role = "force" }},
  {{ header = '^Other force$', role = "force" }},
  {{ header = '^Offence$', role = "label", dim = "offence" }},
  {{ header = '^Date$', role = "date" }},
]
"#
    )
}

fn national_config() -> Config {
    config_with("responses/national.toml", &national("national.csv"))
}

#[test]
fn repeated_rows_count_as_if_each_were_read_afresh() {
    let config = national_config();
    let grooming = "Sexual grooming 88A";
    let mut csv = String::from("Note,Force,Other force,Offence,Date\n");
    let mut add = |note: &str, force: &str, other: &str, offence: &str, date: &str| {
        csv.push_str(&format!("{note},{force},{other},{offence},{date}\n"));
    };
    // Kent and Sussex share every label: the force column tells them apart.
    for _ in 0..5 {
        add("", "Kent Police", "", grooming, "2016-05-01");
    }
    for _ in 0..3 {
        add("", "Sussex Police", "", grooming, "2016-06-01");
    }
    // Rows the skip pattern leaves out by their first cell, with labels
    // already seen.
    for _ in 0..4 {
        add("Example", "Kent Police", "", grooming, "2016-05-01");
    }
    // Two forces named on one row, three times: read as Kent, each reported.
    for _ in 0..3 {
        add("", "Kent Police", "Sussex Police", grooming, "2016-07-01");
    }
    // A label no crosswalk maps, twice: one error, "and 1 more cell".
    add("", "Sussex Police", "", "Made-up offence", "2016-08-01");
    add("", "Sussex Police", "", "Made-up offence", "2016-08-02");
    // A seen label set with a date outside the request: not counted.
    add("", "Kent Police", "", grooming, "2015-01-01");
    let n = normalise(&Input {
        campaign: &config.campaign,
        forces: &config.forces,
        response: config.responses.first().expect("response"),
        bytes: csv.as_bytes(),
        sha256: "0",
        limits: &Limits::DEFAULT,
    });
    let counts: Vec<(String, u64, Vec<String>)> = n
        .records
        .iter()
        .map(|r| {
            (
                r.force.0.clone(),
                r.count.interval.lo,
                r.lineage
                    .cells
                    .iter()
                    .map(|c| r.lineage.locate(c))
                    .collect(),
            )
        })
        .collect();
    let lines = |from: u32, to: u32| -> Vec<String> {
        (from..=to).map(|l| format!("line {l}, field 5")).collect()
    };
    let mut kent = lines(2, 6);
    kent.extend(lines(14, 16));
    assert_eq!(
        counts,
        vec![
            ("kent".to_string(), 8, kent),
            ("sussex".to_string(), 3, lines(7, 9)),
        ]
    );
    let said: Vec<String> = n
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.severity, d.message))
        .collect();
    let two_forces = said
        .iter()
        .filter(|m| m.contains("this row names two forces"))
        .count();
    assert_eq!(two_forces, 3, "{said:#?}");
    let unmapped: Vec<&String> = said.iter().filter(|m| m.contains("unmapped")).collect();
    assert_eq!(unmapped.len(), 1, "{said:#?}");
    assert!(
        unmapped[0].ends_with("unmapped offence label \"Made-up offence\" (and 1 more cell)"),
        "{said:#?}"
    );
    // Each force's rows cover a month or two of the year: partial, each
    // said once, for its own force and request.
    let partial: Vec<(String, String)> = n
        .diagnostics
        .iter()
        .filter(|d| d.kind == foi_model::DiagnosticKind::PartialPeriod)
        .map(|d| {
            (
                d.force.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
                d.request.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        partial,
        vec![
            ("kent".to_string(), "fy-2016-17".to_string()),
            ("sussex".to_string(), "fy-2016-17".to_string())
        ]
    );
    let covered: Vec<String> = n
        .records
        .iter()
        .map(|r| r.covered.map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        covered,
        vec!["2016-05-01 to 2016-07-01", "2016-06-01 to 2016-06-01"]
    );
}
