//! Reading replies without being told their layout (issue 13), through
//! the real binary: the bundled campaign with no `[[table]]`s gives the
//! same figures as with them; each layout foi used is published and, pasted
//! into the response, reads the same again; `foi inspect` on the real ONS
//! tables prints a layout that reproduces the hand-written national
//! totals; a reply foi cannot be sure of is refused with its proposal and
//! the other forces go on.

use crate::*;
use std::collections::{BTreeMap, BTreeSet};

const DETECTED: &str = "nspcc-online-csa-detected";

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    foi_in(dir).args(args).output().expect("foi runs")
}

/// A record of records.csv, as the answer keys write it.
fn key_of(row: &Row) -> Vec<String> {
    [
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
    ]
    .iter()
    .map(|c| {
        let v = row.get(*c).cloned().unwrap_or_default();
        if *c == "text" {
            v.strip_prefix('\'').map(str::to_string).unwrap_or(v)
        } else {
            v
        }
    })
    .collect()
}

fn records_by_force(out: &Path) -> BTreeMap<String, BTreeSet<Vec<String>>> {
    let mut by: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
    for r in read_csv(&out.join("latest/records.csv")) {
        by.entry(r["force_id"].clone())
            .or_default()
            .insert(key_of(&r));
    }
    by
}

fn national(out: &Path) -> Vec<(String, String, String, String)> {
    read_csv(&out.join("latest/national.csv"))
        .into_iter()
        .map(|r| {
            (
                r["figure_id"].clone(),
                r["value"].clone(),
                r["lo"].clone(),
                r["forces"].clone(),
            )
        })
        .collect()
}

#[test]
fn the_campaign_without_layouts_gives_every_answer_key_and_the_same_national_figures() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path())
        .args(["--campaign", DETECTED, "run"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let got = records_by_force(&tmp.path().join("out"));
    let dir = root().join("fixtures/nspcc");
    let mut keys = 0;
    for e in std::fs::read_dir(&dir).expect("fixtures") {
        let p = e.expect("entry").path();
        if !p.join("answer.csv").is_file() {
            continue;
        }
        let force = p.file_name().and_then(|n| n.to_str()).expect("name");
        let want: BTreeSet<Vec<String>> =
            read_csv(&p.join("answer.csv")).iter().map(key_of).collect();
        let have = got.get(force).cloned().unwrap_or_default();
        assert_eq!(have, want, "{force}: records differ from its answer key");
        keys += 1;
    }
    assert!(keys >= 40, "{keys} answer keys");
    let totals: BTreeMap<String, String> = national(&tmp.path().join("out"))
        .into_iter()
        .filter(|(id, ..)| id.ends_with("/total"))
        .map(|(id, v, _, _)| (id, v))
        .collect();
    assert_eq!(totals["ye-jun-2016/total"], "3903");
    assert_eq!(totals["fy-2016-17/total"], "5653");
    // The same national tables as the hand-written layouts give.
    let hand = tempfile::tempdir().expect("tmp");
    let o = foi(hand.path()).arg("run").output().expect("runs");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        national(&tmp.path().join("out")),
        national(&hand.path().join("out"))
    );
    // Every reply read by detection has its layout in the release, and
    // the manifest lists it.
    let layouts: BTreeSet<String> = std::fs::read_dir(tmp.path().join("out/latest/layouts"))
        .expect("layouts/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(layouts.len(), 40, "{layouts:?}");
    assert!(layouts.contains("kent.toml") && !layouts.contains("durham.toml"));
    let manifest =
        std::fs::read_to_string(tmp.path().join("out/latest/manifest.json")).expect("manifest");
    assert!(manifest.contains("\"layouts/kent.toml\""), "{manifest}");
    let kent = std::fs::read_to_string(tmp.path().join("out/latest/layouts/kent.toml"))
        .expect("kent layout");
    assert!(kent.starts_with("# The layout foi detected"), "{kent}");
    assert!(kent.contains("[[table]]\nsheet = '^Jul 15 - Jun 16$'\nheader = '^Offence$'\nrequest = \"ye-jun-2016\"\ntotal_rows = '^Total$'\n"), "{kent}");
}

#[test]
fn a_published_layout_pasted_into_its_response_reads_the_same() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let out = run_in(tmp.path(), &["--campaign", DETECTED, "run"]);
    assert_eq!(out.status.code(), Some(0));
    let before = records_by_force(&tmp.path().join("out"));
    // Pin every layout: the response followed by the published layout.
    let responses = config.join("campaigns").join(DETECTED).join("responses");
    let mut pinned = 0;
    for e in std::fs::read_dir(tmp.path().join("out/latest/layouts")).expect("layouts") {
        let p = e.expect("entry").path();
        let name = p.file_name().expect("name").to_owned();
        let layout = std::fs::read_to_string(&p).expect("layout");
        let response = responses.join(&name);
        let text = std::fs::read_to_string(&response).expect("response");
        std::fs::write(&response, format!("{text}\n{layout}")).expect("pin");
        pinned += 1;
    }
    assert_eq!(pinned, 40);
    let out = run_in(tmp.path(), &["--campaign", DETECTED, "run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Pinned, nothing is detected any more, and the figures are the same.
    assert!(std::fs::read_dir(tmp.path().join("out/latest/layouts")).is_err());
    assert_eq!(records_by_force(&tmp.path().join("out")), before);
}

/// The real file, or `None` (and a note) when it is not beside the repository.
fn realworld(file: &str) -> Option<PathBuf> {
    let p = root().join("../shared/realworld").join(file);
    p.is_file().then_some(p).or_else(|| {
        eprintln!("skipped: {file} is not beside the repository");
        None
    })
}

/// `foi inspect` on a real ONS file prints a layout which, pasted into a
/// response in place of the hand-written tables, gives the same national
/// figures.
fn inspect_reproduces(campaign: &str, response: &str, file: &str) {
    let Some(path) = realworld(file) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let printed = foi(tmp.path())
        .args(["--campaign", campaign, "inspect"])
        .arg(&path)
        .output()
        .expect("inspect runs");
    let stdout = String::from_utf8_lossy(&printed.stdout);
    assert_eq!(printed.status.code(), Some(0), "{stdout}");
    let layout = &stdout[stdout.find("[[table]]").expect("a layout")..];
    let file_of = config
        .join("campaigns")
        .join(campaign)
        .join("responses")
        .join(response);
    let hand = std::fs::read_to_string(&file_of).expect("response");
    let head = &hand[..hand.find("[[table]]").expect("hand-written tables")];
    let head = head.replace(
        &format!("../shared/realworld/{file}"),
        &path.display().to_string(),
    );
    // The hand-written layout, then the printed one, in the same place.
    let hand = hand.replace(
        &format!("../shared/realworld/{file}"),
        &path.display().to_string(),
    );
    std::fs::write(&file_of, &hand).expect("write");
    let a = run_in(tmp.path(), &["--campaign", campaign, "run"]);
    assert!(matches!(a.status.code(), Some(0) | Some(3)));
    let want = national(&tmp.path().join("out"));
    std::fs::write(&file_of, format!("{head}{layout}")).expect("write");
    let b = run_in(tmp.path(), &["--campaign", campaign, "run"]);
    assert!(
        matches!(b.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(national(&tmp.path().join("out")), want, "{layout}");
    assert!(want.len() >= 23);
}

#[test]
fn inspect_on_ons_table_p1_prints_a_layout_that_gives_its_national_totals() {
    inspect_reproduces(
        "ons-prc-ye-mar2018",
        "ons-table-p1.toml",
        "ons_pfa_tables_ye_mar2018_v2.xlsx",
    );
}

#[test]
fn inspect_on_ons_table_c2_prints_a_layout_that_gives_its_national_totals() {
    inspect_reproduces(
        "ons-c2-csp-ye-jun2025",
        "ons-table-c2.toml",
        "ons_table_C2_csp_ye_jun2025.csv",
    );
}

#[test]
fn inspect_writes_a_response_and_never_over_a_persons() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let responses = config.join("campaigns/nspcc-online-csa/responses");
    let file = "fixtures/nspcc/cumbria/Response FOI 2017-412.xlsx";
    // cumbria.toml is hand-written: kept.
    let out = run_in(
        tmp.path(),
        &["inspect", file, "--force", "Cumbria", "--write"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("exists and was not written by foi inspect; run with --overwrite"));
    let hand = std::fs::read_to_string(responses.join("cumbria.toml")).expect("cumbria");
    assert!(hand.starts_with("# Generated by foi-fixtures"));
    let out = run_in(
        tmp.path(),
        &[
            "inspect",
            file,
            "--force",
            "Cumbria",
            "--write",
            "--overwrite",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(responses.join("cumbria.toml")).expect("written");
    assert!(written.starts_with("# Written by foi inspect"), "{written}");
    assert!(written.contains("force = \"cumbria\"\nrequests = [\"ye-jun-2016\", \"fy-2016-17\"]\nstatus = \"answered\"\nsource = { path = \"fixtures/nspcc/cumbria/Response FOI 2017-412.xlsx\" }\n"), "{written}");
    assert!(
        written.contains(
            "{ header = '^Jul 15 - Jun 16$', role = \"value\", request = \"ye-jun-2016\" }"
        ),
        "{written}"
    );
    // Written by foi inspect, it may be written again; and it checks.
    let again = run_in(
        tmp.path(),
        &["inspect", file, "--force", "Cumbria", "--write"],
    );
    assert_eq!(again.status.code(), Some(0));
    let check = run_in(tmp.path(), &["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn inspect_speaks_json_for_tools() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path())
        .args([
            "inspect",
            "fixtures/nspcc/west-yorkshire/WYP_FOI_0412_2017.xlsx",
            "--force",
            "West Yorkshire",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["trusted"], true);
    assert_eq!(v["force"], "west-yorkshire");
    let table = &v["detection"]["tables"][0];
    assert_eq!(table["shape"], "records");
    let roles: Vec<&str> = table["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["role"].as_str().unwrap_or(""))
        .collect();
    assert!(
        roles.contains(&"date") && roles.contains(&"label offence"),
        "{roles:?}"
    );
    assert!(v["layout"]
        .as_str()
        .unwrap_or("")
        .contains("shape = \"records\""));
    assert!(v["records"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn a_reply_foi_cannot_be_sure_of_is_refused_with_its_proposal_and_the_rest_published() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    // Two requests' tables stacked, and nothing says which is which.
    std::fs::write(
        tmp.path().join("unsure.csv"),
        "Kent Police\n\nOffence,Offences\nSexual grooming,4\nObscene publications,9\nTotal,13\n\nOffence,Offences\nSexual grooming,6\nObscene publications,11\nTotal,17\n",
    )
    .expect("write");
    let kent = config
        .join("campaigns")
        .join(DETECTED)
        .join("responses/kent.toml");
    let text = std::fs::read_to_string(&kent).expect("kent");
    let text = text.replace(
        "fixtures/nspcc/kent/FOI 17-0412 Response.xlsx",
        "unsure.csv",
    );
    std::fs::write(&kent, text).expect("write");
    let out = run_in(
        tmp.path(),
        &["--campaign", DETECTED, "--log-format", "json", "run"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let refusal = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["fields"]["kind"] == "layout" && e["fields"]["force"] == "kent")
        .unwrap_or_else(|| panic!("a layout error for kent: {stderr}"));
    let message = refusal["fields"]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with(
            "foi could not be sure where this response's figures are, so none were read: "
        ),
        "{message}"
    );
    assert!(message.contains("nothing names the period"), "{message}");
    let hint = refusal["fields"]["hint"].as_str().unwrap_or("");
    assert!(
        hint.contains("[[table]]") && hint.contains("header = '^Offence$'"),
        "{hint}"
    );
    // Kent adds nothing; the other forces are published.
    let records = read_csv(&tmp.path().join("out/latest/records.csv"));
    assert!(records.iter().all(|r| r["force_id"] != "kent"));
    assert!(records.iter().any(|r| r["force_id"] == "essex"));
}

#[test]
fn check_says_a_sheet_means_nothing_for_a_csv() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let essex = config.join("campaigns/nspcc-online-csa/responses/essex-fy-2016-17.toml");
    let text = std::fs::read_to_string(&essex).expect("essex");
    let text = text.replace("[[table]]\n", "[[table]]\nsheet = '^Table 1$'\n");
    std::fs::write(&essex, text).expect("write");
    let out = run_in(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("essex-fy-2016-17.toml:13: `sheet` means nothing for fixtures/nspcc/essex/Essex FOI 7412 2016-17.csv, a text file with no sheets: drop the line"),
        "{stderr}"
    );
    // Built anyway, the one table is read, with a warning.
    let out = run_in(tmp.path(), &["run"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`sheet = \"^Table 1$\"` means nothing for a text file, which has no sheets; its one table was read"),
        "{stderr}"
    );
}
