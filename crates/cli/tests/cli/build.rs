//! `foi run` and `foi build` on the bundled campaign, checked against the
//! answer keys in fixtures/.

use crate::*;
use std::collections::{BTreeMap, BTreeSet};

pub const KEY_COLUMNS: &[&str] = &[
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

/// A published record as an answer key states it: the key's columns.
pub fn key_of(row: &Row) -> Vec<String> {
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
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
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

/// "5,653" or "5,650 to 5,661", as `foi explain` and the headline show a count.
fn parse_range(s: &str) -> Option<(u64, u64)> {
    let n = |t: &str| t.trim().replace(',', "").parse::<u64>().ok();
    match s.split_once(" to ") {
        Some((lo, hi)) => Some((n(lo)?, n(hi)?)),
        None => n(s).map(|v| (v, v)),
    }
}

/// Checks one `foi explain` against the national row it explains: its
/// figure is the row's, its contributions are the row's forces (and the
/// row's flagged ones), they add up to the figure, and under each the
/// source cells add up to the force's part. Returns what is wrong.
fn check_explain(row: &Row, stdout: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let want = (
        row["lo"].parse::<u64>().expect("lo"),
        row["hi"].parse::<u64>().expect("hi"),
    );
    let mut lines = stdout.lines();
    let figure = lines
        .next()
        .and_then(|l| l.rsplit_once(": "))
        .and_then(|(_, v)| parse_range(v));
    if figure != Some(want) {
        errors.push(format!("figure {figure:?}, national.csv {want:?}"));
    }
    // (force, lo, hi, flagged, cells lo, cells hi)
    let mut forces: Vec<(String, u64, u64, bool, u64, u64)> = Vec::new();
    let mut footer = None;
    for line in lines {
        // What narrowed the record above: not a figure.
        if line.trim_start().starts_with("narrowed by ") {
            continue;
        }
        if let Some(cell) = line.strip_prefix("      ") {
            let Some(((lo, hi), last)) = cell
                .rsplit_once(" = ")
                .and_then(|(_, v)| parse_range(v))
                .zip(forces.last_mut())
            else {
                errors.push(format!("a source line outside a force: {line:?}"));
                continue;
            };
            last.4 += lo;
            last.5 += hi;
        } else if let Some(part) = line.strip_prefix("  ") {
            let flagged = part.ends_with(" [flagged]");
            let part = part.trim_end_matches(" [flagged]");
            let force = part.split(' ').next().unwrap_or_default().to_string();
            match part.rsplit_once("): ").and_then(|(_, v)| parse_range(v)) {
                Some((lo, hi)) => forces.push((force, lo, hi, flagged, 0, 0)),
                None => errors.push(format!("unreadable contribution {line:?}")),
            }
        } else {
            footer = Some(line.to_string());
        }
    }
    let n: usize = row["forces"].parse().expect("forces");
    if forces.len() != n {
        errors.push(format!(
            "{} contributions, {n} forces in national.csv",
            forces.len()
        ));
    }
    let sum = forces
        .iter()
        .fold((0, 0), |(lo, hi), f| (lo + f.1, hi + f.2));
    if sum != want {
        errors.push(format!("contributions add up to {sum:?}, not {want:?}"));
    }
    for (force, lo, hi, _, cells_lo, cells_hi) in &forces {
        if (*cells_lo, *cells_hi) != (*lo, *hi) {
            errors.push(format!(
                "{force}: its cells add up to {cells_lo}..{cells_hi}, not {lo}..{hi}"
            ));
        }
    }
    let flagged: BTreeSet<&str> = forces
        .iter()
        .filter(|f| f.3)
        .map(|f| f.0.as_str())
        .collect();
    let want_flagged: BTreeSet<&str> = row["flagged_forces"]
        .split(';')
        .filter(|f| !f.is_empty())
        .collect();
    if flagged != want_flagged {
        errors.push(format!(
            "flagged {flagged:?}, national.csv {want_flagged:?}"
        ));
    }
    let footer = footer.unwrap_or_default();
    if !footer.ends_with(", the published figure") {
        errors.push(format!("says {footer:?}"));
    }
    errors
}

/// The checker itself: a canned explanation with one force's cells short,
/// a sum that misses and a flag that national.csv does not have.
#[test]
fn check_explain_finds_what_does_not_add_up() {
    let row: Row = [
        ("lo", "10"),
        ("hi", "12"),
        ("forces", "2"),
        ("flagged_forces", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let good = "fy total: 10 to 12\n  kent (Kent Police): 4 to 6\n      a.xlsx, sheet \"S\", B2: \"<5\" = 1 to 3\n      a.xlsx, sheet \"S\", B3: \"3\" = 3\n  essex (Essex Police): 6\n      b.csv, line 2, field 3: \"6\" = 6\n2 contributions add up to 10 to 12, the published figure\n";
    assert_eq!(check_explain(&row, good), Vec::<String>::new());
    let bad = "fy total: 10 to 12\n  kent (Kent Police): 4 to 6 [flagged]\n      a.xlsx, sheet \"S\", B2: \"<5\" = 1 to 3\n  essex (Essex Police): 5\n      b.csv, line 2, field 3: \"5\" = 5\n2 contributions add up to 9 to 11, NOT the published figure\n";
    let errors = check_explain(&row, bad).join("\n");
    for want in [
        "kent: its cells add up to 1..3, not 4..6",
        "contributions add up to (9, 11)",
        "flagged {\"kent\"}",
        "NOT the published figure",
    ] {
        assert!(errors.contains(want), "finds {want:?}: {errors}");
    }
}

/// Every row of national.csv, explained: the forces' parts add up to the
/// published figure, and each part's source cells add up to it.
#[test]
fn explain_adds_up_to_every_national_figure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path()).arg("run").output().expect("runs");
    assert!(matches!(out.status.code(), Some(0) | Some(3)));
    let national = read_csv(&tmp.path().join("out/latest/national.csv"));
    let dims: Vec<String> = {
        let mut rdr = csv::Reader::from_path(tmp.path().join("out/latest/national.csv"))
            .expect("national.csv");
        let header = rdr.headers().expect("header").clone();
        // The breakdown columns sit between `breakdown` and `value`.
        let from = header
            .iter()
            .position(|h| h == "breakdown")
            .expect("breakdown")
            + 1;
        let to = header.iter().position(|h| h == "value").expect("value");
        header
            .iter()
            .take(to)
            .skip(from)
            .map(str::to_string)
            .collect()
    };
    assert!(!dims.is_empty(), "national.csv has breakdown columns");
    assert!(national.len() > 10, "{} national figures", national.len());
    // Each explain re-normalises from the (normalised) cache: a few at once.
    let workers = 4;
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (national, dims, tmp) = (&national, &dims, tmp.path());
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for row in national.iter().skip(w).step_by(workers) {
                        let mut cmd = foi(tmp);
                        cmd.arg("explain").arg(&row["request"]);
                        for d in dims {
                            if !row[d].is_empty() {
                                cmd.arg(format!("{d}={}", row[d]));
                            }
                        }
                        let out = cmd.output().expect("explain runs");
                        let stdout = String::from_utf8_lossy(&out.stdout);
                        let mut errors = check_explain(row, &stdout);
                        if out.status.code() != Some(0) {
                            errors.push(format!(
                                "exit {:?}: {}",
                                out.status.code(),
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                        if !errors.is_empty() {
                            failures.push(format!(
                                "{}: {}\n{stdout}",
                                row["figure_id"],
                                errors.join("; ")
                            ));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} figures do not explain:\n{}",
        failures.len(),
        national.len(),
        failures.join("\n")
    );
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
    let out = foi_in(tmp.path()).arg("check").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("config/campaigns/nspcc-online-csa/responses/bad.toml:3:"),
        "points at file and line: {stderr}"
    );
}

/// A record counted from many rows lists its first 10 cells and how many
/// more there are; `--all-cells` lists every one, and the count of cells
/// shown that way is the record's count of rows.
#[test]
fn explain_cuts_long_cell_lists_unless_asked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path()).arg("run").output().expect("runs");
    assert!(matches!(out.status.code(), Some(0) | Some(3)));
    let explain = |extra: &[&str]| -> String {
        let out = foi(tmp.path())
            .args(["explain", "fy-2016-17"])
            .args(extra)
            .output()
            .expect("explain runs");
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // `file, B2; B3: "12 rows" = 12` -> ("file, B2; B3", 12).
    let sources = |text: &str| -> Vec<(String, u64)> {
        text.lines()
            .filter_map(|l| l.strip_prefix("      "))
            .filter(|l| l.contains(" rows\" = "))
            .filter_map(|l| {
                let (left, _) = l.rsplit_once(": \"")?;
                let (_, n) = l.rsplit_once(" = ")?;
                Some((left.to_string(), n.parse().ok()?))
            })
            .collect()
    };
    let cut = explain(&[]);
    let all = explain(&["--all-cells"]);
    let (cut, all) = (sources(&cut), sources(&all));
    assert_eq!(cut.len(), all.len(), "the same records");
    let long: Vec<_> = cut.iter().zip(&all).filter(|(_, (_, n))| *n > 10).collect();
    assert!(!long.is_empty(), "records counted from more than 10 rows");
    for ((short, n), (full, _)) in long {
        let more = format!("; … and {} more cells", n - 10);
        assert!(short.ends_with(&more), "{short} (ends with {more:?})");
        assert_eq!(short.matches("; ").count(), 10, "{short}");
        assert!(!full.contains('…'), "{full}");
        assert_eq!(full.matches("; ").count() as u64, n - 1, "{full}");
        assert!(full.starts_with(short.trim_end_matches(&more)), "{full}");
    }
}
