//! The held-out replies (fixtures/heldout) read by the real `foi run` with
//! their hand-written layouts: every answer key exactly. This proves the
//! keys, and what the layout language can say, for the set the table
//! detector is scored on (`just detect-score`).

use crate::build::{key_of, KEY_COLUMNS};
use crate::*;
use std::collections::BTreeSet;

fn cases() -> Vec<Row> {
    let cases = read_csv(&root().join("fixtures/heldout/cases.csv"));
    assert!(cases.len() >= 12, "{} held-out cases", cases.len());
    cases
}

/// A copy of the config whose NSPCC campaign holds only the given held-out
/// responses, its crosswalk with the held-out forces' lines added.
fn heldout_config(tmp: &Path, cases: &[&Row]) {
    let config = copy_config(tmp);
    let campaign = config.join("campaigns/nspcc-online-csa");
    let responses = campaign.join("responses");
    for e in std::fs::read_dir(&responses).expect("responses") {
        std::fs::remove_file(e.expect("entry").path()).expect("rm");
    }
    for c in cases {
        std::fs::copy(
            root()
                .join("fixtures/heldout")
                .join(&c["case"])
                .join("response.toml"),
            responses.join(format!("{}.toml", c["case"])),
        )
        .expect("copy response");
    }
    let offences = campaign.join("crosswalks/offences.csv");
    let mut text = std::fs::read_to_string(&offences).expect("offences.csv");
    let added = std::fs::read_to_string(root().join("fixtures/heldout/crosswalks/offences.csv"))
        .expect("held-out crosswalk");
    let mut lines = added.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("label,value,force"), "its header");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&offences, text).expect("write offences.csv");
}

fn assert_keys(tmp: &Path, cases: &[&Row], stderr: &str) {
    let records = read_csv(&tmp.join("out/latest/records.csv"));
    for c in cases {
        let force = &c["force"];
        let got: BTreeSet<Vec<String>> = records
            .iter()
            .filter(|r| &r["force_id"] == force)
            .map(key_of)
            .collect();
        let want: BTreeSet<Vec<String>> = read_csv(
            &root()
                .join("fixtures/heldout")
                .join(&c["case"])
                .join("answer.csv"),
        )
        .iter()
        .map(key_of)
        .collect();
        assert!(!want.is_empty(), "{}: an empty key", c["case"]);
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{} ({force}): records differ from its answer.csv\n columns: {KEY_COLUMNS:?}\n missing: {missing:#?}\n extra: {extra:#?}\n stderr: {stderr}",
            c["case"]
        );
    }
}

/// Every case the layout language can say (plainly or by a trick), in one
/// campaign: each force's records equal its answer key, text and cells too.
#[test]
fn held_out_replies_read_by_their_layouts_give_their_answer_keys() {
    let all = cases();
    let readable: Vec<&Row> = all
        .iter()
        .filter(|c| c["layout_language"] != "needs-where")
        .collect();
    assert!(readable.len() >= 12, "{} readable cases", readable.len());
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &readable);
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 3: a cell marked "[x]" (not available) is a warning.
    assert_eq!(out.status.code(), Some(3), "foi run: {stderr}");
    assert_keys(tmp.path(), &readable, &stderr);
    // The one warning: the offence the GSS-style reply cannot count.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        !warnings.is_empty()
            && warnings
                .iter()
                .all(|w| w.contains("hertfordshire") && w.contains("[x]")),
        "unexpected warnings: {warnings:#?}"
    );
}

/// A case that needs the row filter `where` (issue 13): until the config
/// language has it, foi refuses the response's config (exit 2, naming
/// the field), never reads it without its filter; once it has it, the
/// answer key exactly.
#[test]
fn a_reply_that_needs_a_row_filter_is_refused_or_read_exactly() {
    let all = cases();
    let filtered: Vec<&Row> = all
        .iter()
        .filter(|c| c["layout_language"] == "needs-where")
        .collect();
    assert!(!filtered.is_empty(), "a case needs `where`");
    for c in filtered {
        let tmp = tempfile::tempdir().expect("tmp");
        heldout_config(tmp.path(), &[c]);
        let out = foi_in(tmp.path()).arg("run").output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(2) => {
                assert!(
                    stderr.contains("where") && stderr.contains(&c["case"]),
                    "{}: refused for another reason: {stderr}",
                    c["case"]
                );
                assert!(!tmp.path().join("out/latest").exists(), "nothing published");
            }
            Some(0 | 3) => assert_keys(tmp.path(), &[c], &stderr),
            other => panic!("{}: exit {other:?}: {stderr}", c["case"]),
        }
    }
}
