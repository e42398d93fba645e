//! `foi run` and `foi build` on the bundled campaign, checked against the
//! answer keys in fixtures/.

use crate::*;
use std::collections::{BTreeMap, BTreeSet};

const KEY_COLUMNS: &[&str] = &[
    "request",
    "offence",
    "offence_group",
    "victim_age",
    "online_method",
    "unit",
    "period_from",
    "period_to",
    "text",
    "lo",
    "hi",
    "cells",
];

fn key_of(row: &Row) -> Vec<String> {
    KEY_COLUMNS
        .iter()
        .map(|c| {
            let v = row.get(*c).cloned().unwrap_or_default();
            // Published text is neutralised against formulas ("'-"); the key holds it as written.
            if *c == "text" {
                v.strip_prefix('\'').map(str::to_string).unwrap_or(v)
            } else {
                v
            }
        })
        .collect()
}

/// Forces with an answer key: fixtures/nspcc/<force>/answer.csv.
fn answer_keys() -> BTreeMap<String, Vec<Row>> {
    let dir = root().join("fixtures/nspcc");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).expect("fixtures/nspcc") {
        let p = e.expect("entry").path();
        let key = p.join("answer.csv");
        if key.is_file() {
            let force = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            out.insert(force, read_csv(&key));
        }
    }
    assert!(
        out.len() >= 10,
        "expected at least 10 answer keys, found {}",
        out.len()
    );
    out
}

#[test]
fn every_fixture_normalises_to_its_answer_key() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "foi run failed: {stderr}"
    );
    let records = read_csv(&tmp.path().join("out/latest/records.csv"));
    let mut by_force: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
    for r in &records {
        by_force
            .entry(r["force_id"].clone())
            .or_default()
            .insert(key_of(r));
    }
    for (force, rows) in answer_keys() {
        let want: BTreeSet<Vec<String>> = rows.iter().map(key_of).collect();
        let got = by_force.remove(&force).unwrap_or_default();
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{force}: records differ from fixtures/nspcc/{force}/answer.csv\n columns: {KEY_COLUMNS:?}\n missing: {missing:#?}\n extra: {extra:#?}\n stderr: {stderr}"
        );
    }
}

/// The national total for each request equals the ground truth of the
/// forces whose figures should be added (fixtures/nspcc/expected.csv, written
/// by the generator from its own ground truth, not from foi's output).
#[test]
fn national_totals_equal_the_answer_keys() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path()).arg("run").output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = read_csv(&root().join("fixtures/nspcc/expected.csv"));
    assert!(!expected.is_empty());
    let national = read_csv(&tmp.path().join("out/latest/national.csv"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for e in &expected {
        let row = national
            .iter()
            .find(|r| r["request"] == e["request"] && r["breakdown"] == "total")
            .unwrap_or_else(|| panic!("no national total for {}", e["request"]));
        assert_eq!(
            row["value"], e["total"],
            "national total for {}",
            e["request"]
        );
        assert_eq!(
            row["forces"], e["forces"],
            "forces covered for {}",
            e["request"]
        );
        let total: u64 = e["total"].parse().expect("total");
        assert!(
            stdout.contains(&thousands(total)),
            "headline shows {total}: {stdout}"
        );
    }
}

#[test]
fn a_missing_file_is_reported_and_the_rest_published() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let responses = config.join("campaigns/nspcc-online-csa/responses");
    let kent = responses.join("kent.toml");
    let text = std::fs::read_to_string(&kent).expect("kent.toml");
    let broken = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("source") {
                "source = { path = \"fixtures/nspcc/kent/no-such-file.xlsx\" }".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&kent, broken).expect("write");
    let out = Command::cargo_bin("foi")
        .expect("foi")
        .current_dir(tmp.path())
        .arg("run")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code says incomplete; stderr: {stderr}"
    );
    assert!(stderr.contains("kent"), "names the force: {stderr}");
    assert!(
        stderr.contains("fixtures/nspcc/kent/no-such-file.xlsx"),
        "names the file: {stderr}"
    );
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    let kent_rows: Vec<_> = coverage
        .iter()
        .filter(|c| c["force_id"] == "kent")
        .collect();
    assert!(kent_rows
        .iter()
        .all(|c| c["included"] == "false" && c["reason"].contains("could not be read")));
    assert!(
        coverage.iter().filter(|c| c["included"] == "true").count() >= 9,
        "the other forces are still published"
    );
}

#[test]
fn explain_adds_up_to_every_national_figure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path()).arg("run").output().expect("runs");
    assert!(matches!(out.status.code(), Some(0) | Some(3)));
    let national = read_csv(&tmp.path().join("out/latest/national.csv"));
    let dims = ["offence_group", "victim_age"];
    for row in national
        .iter()
        .filter(|r| r["breakdown"] != "victim_age" || r["victim_age"] == "13")
    {
        let mut cmd = foi(tmp.path());
        cmd.arg("explain").arg(&row["request"]);
        for d in dims {
            if !row[d].is_empty() {
                cmd.arg(format!("{d}={}", row[d]));
            }
        }
        let out = cmd.output().expect("explain runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{row:?}\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(", the published figure"), "{stdout}");
    }
}

#[test]
fn check_reports_config_errors_with_file_and_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let path = config.join("campaigns/nspcc-online-csa/responses/bad.toml");
    std::fs::write(
        &path,
        "force = \"Kent Police\"\nrequests = [\"fy-2016-17\"]\nstatus = \"answred\"\n",
    )
    .expect("write");
    let out = Command::cargo_bin("foi")
        .expect("foi")
        .current_dir(tmp.path())
        .arg("check")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("config/campaigns/nspcc-online-csa/responses/bad.toml:3:"),
        "points at file and line: {stderr}"
    );
}
