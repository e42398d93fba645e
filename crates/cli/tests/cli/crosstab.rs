//! A cross-tab with a total for every row and every column (issue 14):
//! every stated total is checked and listed in reconciliation.csv, a total
//! its cells cannot reach is reported with its cells and narrows nothing,
//! and the totals that hold narrow suppressed cells together, each
//! narrowed cell saying which totals narrowed it.

use crate::*;

/// Surrey's 2016/17 reply replaced by `file` in fixtures/crosstab/.
fn with_crosstab(tmp: &Path, file: &str, zeros: &str) {
    let config = copy_config(tmp);
    let response = config
        .join("campaigns/nspcc-online-csa/responses")
        .join("surrey-fy-2016-17.toml");
    std::fs::write(
        response,
        format!(
            r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = {{ online_method = "cyber_flag" }}
{zeros}
source = {{ path = "fixtures/crosstab/{file}" }}

[[table]]
header = '^Victim age$'
total_rows = '^Total$'
column = [
  {{ header = '^Victim age$', role = "label", dim = "victim_age" }},
  {{ header = '(?i)^(rape|sexual)', role = "by_header", dim = "offence" }},
  {{ header = '^Total$', role = "total" }},
]
"#
        ),
    )
    .expect("write response");
}

fn surrey_checks(tmp: &Path) -> Vec<Row> {
    read_csv(&tmp.join("out/latest/reconciliation.csv"))
        .into_iter()
        .filter(|r| r["scope"] == "surrey" && r["request"] == "fy-2016-17")
        .collect()
}

fn surrey_record(tmp: &Path, offence: &str, age: &str) -> Row {
    read_csv(&tmp.join("out/latest/records.csv"))
        .into_iter()
        .find(|r| r["force_id"] == "surrey" && r["offence"] == offence && r["victim_age"] == age)
        .unwrap_or_else(|| panic!("no record for {offence} {age}"))
}

#[test]
fn every_row_and_column_total_is_checked_and_they_narrow_together() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_crosstab(tmp.path(), "crosstab.xlsx", "zeros = \"shown\"");
    let run = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");

    // 5 row totals against their cells, 3 column totals against theirs,
    // and the grand total against the row totals and the column totals.
    let checks = surrey_checks(tmp.path());
    let mut listed: Vec<(String, String, String)> = checks
        .iter()
        .map(|c| {
            (
                c["label"].clone(),
                c["breakdown"].clone(),
                c["cells"].clone(),
            )
        })
        .collect();
    listed.sort();
    let cells = "offence+offence_group+online_method+victim_age";
    let want: Vec<(String, String, String)> = [
        (
            format!("offence+offence_group+online_method against {cells}"),
            "offence=19D,offence_group=rape_child_u16",
            "B9",
        ),
        (
            format!("offence+offence_group+online_method against {cells}"),
            "offence=20B,offence_group=sexual_assault_child",
            "C9",
        ),
        (
            format!("offence+offence_group+online_method against {cells}"),
            "offence=88A,offence_group=grooming",
            "D9",
        ),
        (
            "online_method against offence+offence_group+online_method".into(),
            "",
            "E9",
        ),
        (
            "online_method against online_method+victim_age".into(),
            "",
            "E9",
        ),
        (
            format!("online_method+victim_age against {cells}"),
            "victim_age=0-9",
            "E4",
        ),
        (
            format!("online_method+victim_age against {cells}"),
            "victim_age=13",
            "E5",
        ),
        (
            format!("online_method+victim_age against {cells}"),
            "victim_age=14",
            "E6",
        ),
        (
            format!("online_method+victim_age against {cells}"),
            "victim_age=15",
            "E7",
        ),
        (
            format!("online_method+victim_age against {cells}"),
            "victim_age=16-17",
            "E8",
        ),
    ]
    .into_iter()
    .map(|(a, b, c)| (a, b.to_string(), c.to_string()))
    .collect();
    assert_eq!(listed, want);
    assert!(checks.iter().all(|c| c["agrees"] == "true"), "{checks:?}");
    let row13 = checks
        .iter()
        .find(|c| c["breakdown"] == "victim_age=13")
        .expect("row 13's check");
    // Two "*" (1 to 4 each) and a 0 against a stated 4: 2 to 8, and it meets.
    assert_eq!(
        (
            row13["stated_value"].as_str(),
            row13["computed_lo"].as_str(),
            row13["computed_hi"].as_str()
        ),
        ("4", "2", "8")
    );
    assert_eq!(row13["computed_from"], "B5; C5; D5");

    // Row 13 alone allows 1 to 3 for each "*"; with the column totals too,
    // each is exact.
    let b5 = surrey_record(tmp.path(), "19D", "13");
    let c5 = surrey_record(tmp.path(), "20B", "13");
    assert_eq!((b5["text"].as_str(), b5["value"].as_str()), ("*", "1"));
    assert_eq!((c5["text"].as_str(), c5["value"].as_str()), ("*", "3"));
    // B5 is read from its column's total (42 less the column's 41); C5
    // then from row 13's (4 less B5's 1 and D5's 0).
    assert_eq!(
        b5["narrowed_by"],
        "the stated total for offence=19D,offence_group=rape_child_u16 at B9"
    );
    assert!(
        c5["narrowed_by"].contains("the stated total for victim_age=13 at E5"),
        "{}",
        c5["narrowed_by"]
    );

    // foi explain shows the narrower figure and the totals that narrowed it.
    let explain = foi_in(tmp.path())
        .args([
            "explain",
            "fy-2016-17",
            "victim_age=13",
            "--force",
            "Surrey Police",
        ])
        .output()
        .expect("explain");
    let text = String::from_utf8_lossy(&explain.stdout);
    let c5_line = text
        .lines()
        .position(|l| l.contains("crosstab.xlsx, sheet \"FOI 2016-17\", C5: \"*\" = 3"))
        .unwrap_or_else(|| panic!("{text}"));
    let below: Vec<&str> = text.lines().skip(c5_line + 1).take(2).collect();
    assert!(
        below
            .iter()
            .any(|l| l.trim() == "narrowed by the stated total for victim_age=13 at E5"),
        "{below:?}"
    );
}

#[test]
fn a_row_total_its_cells_cannot_reach_is_reported_with_its_cells() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_crosstab(tmp.path(), "crosstab-disagrees.xlsx", "");
    let run = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("[victim_age=16-17]"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(
        warning,
        "warning: surrey, request fy-2016-17, fixtures/crosstab/crosstab-disagrees.xlsx: reconciliation: fy-2016-17 online_method+victim_age against offence+offence_group+online_method+victim_age [victim_age=16-17]: the source states 60 (at E8) but foi computes 50 to 53 from B8; C8; D8"
    );
    let checks = surrey_checks(tmp.path());
    let disagree: Vec<(&str, &str)> = checks
        .iter()
        .filter(|c| c["agrees"] == "false")
        .map(|c| (c["label"].as_str(), c["breakdown"].as_str()))
        .collect();
    // The wrong row total, and the grand total against the row totals it
    // throws out; the grand total against the columns agrees.
    assert_eq!(
        disagree,
        [
            ("online_method against online_method+victim_age", ""),
            (
                "online_method+victim_age against offence+offence_group+online_method+victim_age",
                "victim_age=16-17"
            ),
        ]
    );
    // The broken total narrows nothing; the column total still reads the
    // "<4" exactly (9 - 0 - 0 - 5 - 2).
    let d8 = surrey_record(tmp.path(), "88A", "16-17");
    assert_eq!((d8["text"].as_str(), d8["value"].as_str()), ("<4", "2"));
    assert!(
        !d8["narrowed_by"].contains("victim_age=16-17"),
        "{}",
        d8["narrowed_by"]
    );
    assert!(d8["narrowed_by"].contains("at D9"), "{}", d8["narrowed_by"]);
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(tmp.path().join("out/latest/manifest.json")).expect("manifest"),
    )
    .expect("json");
    let kinds: Vec<&str> = m["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| c["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["reconciliation", "reconciliation"]);
}
