//! The held-out replies (fixtures/heldout) read by the real `foi run` with
//! their hand-written layouts: every answer key exactly. This proves the
//! keys, and what the layout language can say, for the sets the table
//! detector is scored on (`just detect-score`): generations 1 to 4
//! (seen) and generation 5 (unseen); the refusal-only cases of 2 to 5 are
//! listed here and checked to give, with their best partial layout, only
//! records of their key.

use crate::build::{key_of, KEY_COLUMNS};
use crate::*;
use std::collections::BTreeSet;

fn cases() -> Vec<Row> {
    let cases = read_csv(&root().join("fixtures/heldout/cases.csv"));
    assert!(cases.len() >= 12, "{} held-out cases", cases.len());
    cases
}

/// The cases of one generation.
fn generation(all: &[Row], g: &str) -> Vec<Row> {
    all.iter()
        .filter(|c| c["generation"] == g)
        .cloned()
        .collect()
}

/// The second generation's cases a correct reader refuses (their README
/// says why): the layout language cannot say them (g2-14 to g2-16) or the
/// file alone is ambiguous (g2-13).
const REFUSAL_ONLY: [&str; 4] = [
    "g2-13-q1-q2",
    "g2-14-combined-categories",
    "g2-15-financial-year-footnote",
    "g2-16-months-down",
];

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
    // The held-out forces' wording (offences.csv, scoped to each force),
    // and the general lines some replies need (ages.csv, suppression.csv).
    for (name, header) in [
        ("offences.csv", "label,value,force"),
        ("ages.csv", "label,value"),
        ("suppression.csv", "label,value"),
    ] {
        let target = campaign.join("crosswalks").join(name);
        let mut text = std::fs::read_to_string(&target).expect("campaign crosswalk");
        let added = std::fs::read_to_string(root().join("fixtures/heldout/crosswalks").join(name))
            .expect("held-out crosswalk");
        let mut lines = added.lines().filter(|l| !l.starts_with('#'));
        assert_eq!(lines.next(), Some(header), "{name}: its header");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        std::fs::write(&target, text).expect("write crosswalk");
    }
}

fn key(c: &Row) -> BTreeSet<Vec<String>> {
    read_csv(
        &root()
            .join("fixtures/heldout")
            .join(&c["case"])
            .join("answer.csv"),
    )
    .iter()
    .map(key_of)
    .collect()
}

fn published(tmp: &Path, force: &str) -> BTreeSet<Vec<String>> {
    let path = tmp.join("out/latest/records.csv");
    if !path.is_file() {
        return BTreeSet::new();
    }
    read_csv(&path)
        .iter()
        .filter(|r| r["force_id"] == force)
        .map(key_of)
        .collect()
}

fn assert_keys(tmp: &Path, cases: &[&Row], stderr: &str) {
    for c in cases {
        let force = &c["force"];
        let got = published(tmp, force);
        let want = key(c);
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
    let all = generation(&cases(), "1");
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
    let all = generation(&cases(), "1");
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

/// Every second-generation case a correct reader reads, in one campaign:
/// each force's records equal its answer key, text and cells too.
#[test]
fn second_generation_replies_read_by_their_layouts_give_their_answer_keys() {
    let all = generation(&cases(), "2");
    assert!(all.len() >= 14, "{} second-generation cases", all.len());
    let readable: Vec<&Row> = all.iter().filter(|c| c["expect"] == "read").collect();
    assert!(readable.len() >= 10, "{} readable cases", readable.len());
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &readable);
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "foi run: {stderr}");
    assert_keys(tmp.path(), &readable, &stderr);
}

/// The third generation's cases a correct reader refuses (their README
/// says why): the layout language cannot say them (g3-09, g3-11, g3-14:
/// g3-14's period is not in the file either) or they count another unit
/// (g3-13, which a layout saying so reads exactly).
const REFUSAL_ONLY_3: [&str; 4] = [
    "g3-09-quarters",
    "g3-11-footnote-to-february",
    "g3-13-victims",
    "g3-14-last-12-months",
];

/// The refusal-only cases of a generation are the ones listed; each one's
/// best partial layout (where the language allows one) publishes records
/// of its key and nothing else: no wrong figure, only missing ones.
fn refusal_only_cases_are_listed_and_read_only_in_part(g: &str, listed: &[&str]) {
    let all = generation(&cases(), g);
    let refusal: BTreeSet<&str> = all
        .iter()
        .filter(|c| c["expect"] == "refusal")
        .map(|c| c["case"].as_str())
        .collect();
    assert_eq!(refusal, listed.iter().copied().collect(), "cases.csv");
    for c in all.iter().filter(|c| refusal.contains(c["case"].as_str())) {
        let response = std::fs::read_to_string(
            root()
                .join("fixtures/heldout")
                .join(&c["case"])
                .join("response.toml"),
        )
        .expect("response.toml");
        assert!(
            response.contains("# Refusal-only: "),
            "{}: its response says why",
            c["case"]
        );
        // No layout at all: foi would read it by detection, which is the
        // score's to judge, not this test's.
        if !response.lines().any(|l| l.trim() == "[[table]]") {
            continue;
        }
        let tmp = tempfile::tempdir().expect("tmp");
        heldout_config(tmp.path(), &[c]);
        let out = foi_in(tmp.path()).arg("run").output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "{}: foi run: {stderr}",
            c["case"]
        );
        let got = published(tmp.path(), &c["force"]);
        let want = key(c);
        // A reply the language can say but the file alone does not (Q1,
        // Q2): the layout, written knowing the letter, reads it exactly.
        if c["layout_language"] == "yes" {
            assert!(got == want, "{}: not its answer key: {stderr}", c["case"]);
        }
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            !got.is_empty() && extra.is_empty(),
            "{}: the partial layout publishes records not in its key\n columns: {KEY_COLUMNS:?}\n extra: {extra:#?}\n stderr: {stderr}",
            c["case"]
        );
    }
}

/// The second generation's refusal-only cases, at least four.
#[test]
fn second_generation_refusal_only_cases_are_listed_and_read_only_in_part() {
    refusal_only_cases_are_listed_and_read_only_in_part("2", &REFUSAL_ONLY);
}

/// The third generation's refusal-only cases, at least three.
#[test]
fn third_generation_refusal_only_cases_are_listed_and_read_only_in_part() {
    assert!(REFUSAL_ONLY_3.len() >= 3);
    refusal_only_cases_are_listed_and_read_only_in_part("3", &REFUSAL_ONLY_3);
}

/// Every third-generation case a correct reader reads, in one campaign:
/// each force's records equal its answer key, text and cells too.
#[test]
fn third_generation_replies_read_by_their_layouts_give_their_answer_keys() {
    let all = generation(&cases(), "3");
    assert!(
        (12..=16).contains(&all.len()),
        "{} third-generation cases",
        all.len()
    );
    let readable: Vec<&Row> = all.iter().filter(|c| c["expect"] == "read").collect();
    assert!(readable.len() >= 9, "{} readable cases", readable.len());
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &readable);
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "foi run: {stderr}");
    assert_keys(tmp.path(), &readable, &stderr);
}

/// The fourth generation's cases a correct reader refuses (their README
/// says why): no counts (shares only, g4-10), figures rounded to the
/// nearest 5 (g4-11), another force's figures (g4-12), a total that
/// disagrees with its rows (g4-13, whose partial layout reads the rows).
const REFUSAL_ONLY_4: [&str; 4] = [
    "g4-10-percentages-only",
    "g4-11-rounded-to-5",
    "g4-12-neighbours-figures",
    "g4-13-total-disagrees",
];

/// The fourth generation's refusal-only cases, at least three.
#[test]
fn fourth_generation_refusal_only_cases_are_listed_and_read_only_in_part() {
    assert!(REFUSAL_ONLY_4.len() >= 3);
    refusal_only_cases_are_listed_and_read_only_in_part("4", &REFUSAL_ONLY_4);
}

/// Every fourth-generation case a correct reader reads, in one campaign:
/// each force's records equal its answer key, text and cells too.
#[test]
fn fourth_generation_replies_read_by_their_layouts_give_their_answer_keys() {
    let all = generation(&cases(), "4");
    assert!(
        (12..=14).contains(&all.len()),
        "{} fourth-generation cases",
        all.len()
    );
    let readable: Vec<&Row> = all.iter().filter(|c| c["expect"] == "read").collect();
    assert!(readable.len() >= 9, "{} readable cases", readable.len());
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &readable);
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "foi run: {stderr}");
    assert_keys(tmp.path(), &readable, &stderr);
}

/// The fifth generation's cases a correct reader refuses (their README
/// says why): a column for part of a request (April to December 2016,
/// g5-07, whose partial layout reads the other column) and another unit
/// (incidents, g5-08, which a layout saying so reads exactly).
const REFUSAL_ONLY_5: [&str; 2] = ["g5-07-april-to-december", "g5-08-incidents"];

/// The fifth generation's refusal-only cases, two.
#[test]
fn fifth_generation_refusal_only_cases_are_listed_and_read_only_in_part() {
    refusal_only_cases_are_listed_and_read_only_in_part("5", &REFUSAL_ONLY_5);
}

/// Every fifth-generation case a correct reader reads, in one campaign:
/// each force's records equal its answer key, text and cells too.
#[test]
fn fifth_generation_replies_read_by_their_layouts_give_their_answer_keys() {
    let all = generation(&cases(), "5");
    assert_eq!(all.len(), 8, "fifth-generation cases");
    let readable: Vec<&Row> = all.iter().filter(|c| c["expect"] == "read").collect();
    assert_eq!(readable.len(), 6, "readable cases");
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &readable);
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "foi run: {stderr}");
    assert_keys(tmp.path(), &readable, &stderr);
}

/// Reads a case with two responses on its one file, each reading one
/// column (`read`) for one request, with the force's own period where it
/// is not the request's, and checks its whole answer key.
fn read_by_two_responses(case: &str, responses: [(&str, &str, &str, &str, &str); 2]) {
    let all = cases();
    let c = all
        .iter()
        .find(|c| c["case"] == case)
        .expect("the case is listed");
    let tmp = tempfile::tempdir().expect("tmp");
    heldout_config(tmp.path(), &[]);
    let dir = tmp
        .path()
        .join("config/campaigns/nspcc-online-csa/responses");
    let source = format!("fixtures/heldout/{case}/{}", c["file"]);
    let force = &c["force"];
    for (name, request, period, read, ignore) in responses {
        std::fs::write(
            dir.join(format!("{name}.toml")),
            format!(
                "force = \"{force}\"\nrequests = [\"{request}\"]\nstatus = \"answered\"\n{period}\
                 fixed = {{ online_method = \"cyber_flag\" }}\nsource = {{ path = \"{source}\" }}\n\n\
                 [[table]]\nheader = '^Offence$'\ntotal_rows = '^Total$'\ncolumn = [\n\
                 \x20 {{ header = '^Offence$', role = \"label\", dim = \"offence\" }},\n\
                 \x20 {{ header = '{read}', role = \"value\" }},\n\
                 \x20 {{ header = '{ignore}', role = \"ignore\" }},\n]\n"
            ),
        )
        .expect("write response");
    }
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "foi run: {stderr}");
    assert_keys(tmp.path(), &[c], &stderr);
}

/// The key of g2-15 (a financial year 2015/16 beside 2016/17) is what
/// two responses on the one file give, the first answering ye-jun-2016
/// for the force's own period: what one response cannot say.
#[test]
fn a_financial_year_beside_the_request_is_read_exactly_by_two_responses() {
    read_by_two_responses(
        "g2-15-financial-year-footnote",
        [
            ("derbyshire-fy", "fy-2016-17", "", "^2016/17$", "^2015/16$"),
            (
                "derbyshire-ye",
                "ye-jun-2016",
                "period = { from = 2015-04-01, to = 2016-03-31 }\n",
                "^2015/16$",
                "^2016/17$",
            ),
        ],
    );
}

/// The key of g3-11 (2016/17 only to the end of February, a footnote
/// says) is what two responses on the one file give, the second answering
/// fy-2016-17 for the eleven months the force gave.
#[test]
fn a_column_cut_short_by_its_footnote_is_read_exactly_by_two_responses() {
    read_by_two_responses(
        "g3-11-footnote-to-february",
        [
            (
                "surrey-ye",
                "ye-jun-2016",
                "",
                "^Jul 2015 - Jun 2016$",
                "^2016/17",
            ),
            (
                "surrey-fy",
                "fy-2016-17",
                "period = { from = 2016-04-01, to = 2017-02-28 }\n",
                "^2016/17",
                "^Jul 2015 - Jun 2016$",
            ),
        ],
    );
}
