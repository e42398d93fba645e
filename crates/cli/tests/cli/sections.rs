//! Replies in sections (fixtures/sections/, written blind): each read
//! through the real binary with the layout and crosswalk lines a person
//! writes for it gives exactly its key's figures, or, where no row is one
//! figure, none, with the rows named. Never a figure from two rows.

use crate::*;
use std::collections::BTreeSet;

const CAMPAIGN: &str = "config/campaigns/nspcc-online-csa";

/// The categories the campaign's offence groups hold: a figure of any
/// other is left out (a warning), so the key's others are not asked for.
fn grouped() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(CAMPAIGN).join("crosswalks/offence_groups.csv"))
        .expect("offence groups");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect()
}

/// `case`'s figures as the key gives them: "request category count".
fn keyed(case: &str, grouped: &BTreeSet<String>) -> Vec<String> {
    let mut want: Vec<String> = read_csv(&root().join("fixtures/sections/key.csv"))
        .into_iter()
        .filter(|r| r["case"] == case && r["kind"] == "figure" && grouped.contains(&r["value"]))
        .map(|r| format!("{} {} {}", r["request"], r["value"], r["count"]))
        .collect();
    want.sort();
    want
}

#[test]
fn every_reply_in_sections_is_read_exactly_or_refused_with_its_rows_named() {
    let grouped = grouped();
    let mut wrong = Vec::new();
    for case in read_csv(&root().join("fixtures/sections/cases.csv")) {
        let (name, force) = (&case["case"], &case["force"]);
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        copy_config(dir);
        let responses = dir.join(CAMPAIGN).join("responses");
        for e in std::fs::read_dir(&responses).expect("responses") {
            std::fs::remove_file(e.expect("entry").path()).expect("remove");
        }
        let fixture = root().join("fixtures/sections").join(name);
        std::fs::copy(
            fixture.join("response.toml"),
            responses.join(format!("{force}.toml")),
        )
        .expect("response");
        let lines = std::fs::read_to_string(fixture.join("crosswalk.csv")).expect("lines");
        let cw = dir.join(CAMPAIGN).join("crosswalks/offences.csv");
        let mut text = std::fs::read_to_string(&cw).expect("crosswalk");
        text.extend(lines.lines().skip(1).map(|l| format!("{l}\n")));
        std::fs::write(&cw, text).expect("write crosswalk");
        let fetch = foi_in(dir).arg("fetch").output().expect("fetch");
        assert!(fetch.status.success(), "{name}: {fetch:?}");
        let build = foi_in(dir)
            .args(["--allow-unmapped", "build"])
            .output()
            .expect("build");
        let said = String::from_utf8_lossy(&build.stderr).into_owned()
            + &String::from_utf8_lossy(&build.stdout);
        let records = dir.join("out/latest/records.csv");
        let mut got: Vec<String> = if records.exists() {
            read_csv(&records)
                .into_iter()
                .filter(|r| &r["force_id"] == force)
                .map(|r| format!("{} {} {}", r["request"], r["offence"], r["text"]))
                .collect()
        } else {
            Vec::new()
        };
        got.sort();
        match case["expect"].as_str() {
            "read" => {
                let want = keyed(name, &grouped);
                if got != want {
                    wrong.push(format!(
                        "{name}: read {got:?}, the key gives {want:?}\n{said}"
                    ));
                }
            }
            _ => {
                if !got.is_empty() || !said.contains("of one table both give the figure for") {
                    wrong.push(format!("{name}: not refused: {got:?}\n{said}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
