//! Never silently wrong (issue 14), through the real binary: each case
//! normalise owns, on the files in fixtures/silent/, shows what foi says
//! and what it publishes. The rules themselves have unit and normalise
//! tests of their own (crates/normalise/tests/normalise/silent.rs).

use crate::*;

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = foi_in(dir).args(args).output().expect("foi runs");
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The repository's config copied to `tmp`, with `toml` as the response
/// `name` of campaign `campaign` (replacing any of that name), and the
/// responses listed in `drop` taken out.
fn with_response(tmp: &Path, campaign: &str, name: &str, toml: &str, drop: &[&str]) {
    let config = copy_config(tmp);
    let responses = config.join("campaigns").join(campaign).join("responses");
    for d in drop {
        std::fs::remove_file(responses.join(format!("{d}.toml"))).expect("drop response");
    }
    std::fs::write(responses.join(format!("{name}.toml")), toml).expect("write response");
}

/// Each diagnostic of a `--log-format json` run: (kind, force, request, message).
fn logged(stderr: &str) -> Vec<(String, String, String, String)> {
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["fields"]["kind"].is_string())
        .map(|e| {
            let f = |k: &str| e["fields"][k].as_str().unwrap_or_default().to_string();
            (f("kind"), f("force"), f("request"), f("message"))
        })
        .collect()
}

/// The national total of a request in the latest release.
fn national_total(tmp: &Path, request: &str) -> String {
    read_csv(&tmp.join("out/latest/national.csv"))
        .into_iter()
        .find(|r| r["request"] == request && r["breakdown"] == "total")
        .map(|r| r["value"].clone())
        .expect("a national total")
}

#[test]
fn a_reply_dated_january_to_june_is_partial_for_a_twelve_month_request() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_response(
        tmp.path(),
        "nspcc-online-csa",
        "cumbria",
        r#"force = "cumbria"
requests = ["ye-jun-2016"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/silent/cumbria-records-jan-jun-2016.csv" }

[[table]]
header = '^Crime Reference$'
shape = "records"
column = [
  { header = '^Crime Reference$', role = "ignore" },
  { header = '^Date Recorded$', role = "date" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Victim Age$', role = "label", dim = "victim_age" },
]
"#,
        &[],
    );
    let r = run(tmp.path(), &["--log-format", "json", "run"]);
    assert_eq!(r.code, Some(3), "published, with warnings: {}", r.stderr);
    let partial: Vec<_> = logged(&r.stderr)
        .into_iter()
        .filter(|d| d.0 == "partial_period")
        .collect();
    assert_eq!(partial.len(), 1, "{partial:#?}");
    let (_, force, request, message) = &partial[0];
    assert_eq!(
        (force.as_str(), request.as_str()),
        ("cumbria", "ye-jun-2016")
    );
    assert!(
        message.contains("are dated 2016-01-04 to 2016-06-27 only, 187 days after its start"),
        "{message}"
    );
    // The 136 crimes are the force's figure, partial: every record says
    // which part of the year it covers.
    let records = read_csv(&tmp.path().join("out/latest/records.csv"));
    let cumbria: Vec<_> = records
        .iter()
        .filter(|r| r["force_id"] == "cumbria" && r["request"] == "ye-jun-2016")
        .collect();
    let rows: u64 = cumbria
        .iter()
        .filter(|r| r["grain"] == "offence+offence_group+online_method+victim_age")
        .map(|r| r["value"].parse::<u64>().expect("count"))
        .sum();
    assert_eq!(rows, 136);
}

/// A national table of the ONS campaign, its force column by name.
fn national(source: &str, rule: &str) -> String {
    format!(
        r#"requests = ["ye-mar-2018"]
status = "answered"
source = {{ path = "fixtures/silent/{source}" }}

[[table]]
header = '(?i)^area name$'
stop = '(?i)^source:'
aggregate_rows = '(?i)^england and wales$'
{rule}

[[table.column]]
header = '(?i)^area name$'
role = "force"

[[table.column]]
header = '(?i)^total recorded crime'
role = "total"

[[table.column]]
header = '.'
role = "by_header"
dim = "offence_group"
"#
    )
}

#[test]
fn a_region_above_its_namesake_force_never_becomes_the_forces_figure() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_response(
        tmp.path(),
        "ons-prc-ye-mar2018",
        "national",
        &national("national-names-only.csv", ""),
        &["ons-table-p1"],
    );
    let r = run(tmp.path(), &["--campaign", "ons-prc-ye-mar2018", "run"]);
    // West Midlands is refused; the rest is published.
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("error: west-midlands, request ye-mar-2018, fixtures/silent/national-names-only.csv: the row \"West Midlands\" (line 11, field 1) may be the force west-midlands or the English region West Midlands (E12000005), and nothing in the row says which;"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("hint: list a code column among the table's force columns, or say what the name means in this table: ambiguous_names = \"force\" or \"area\""),
        "{}",
        r.stderr
    );
    // Not 16,562 (the region's 11,254 taken for the force's 6,546) and not
    // 18,854 (both): the forces foi can be sure of.
    assert_eq!(national_total(tmp.path(), "ye-mar-2018"), "12308");
    let by_force = read_csv(&tmp.path().join("out/latest/by_force.csv"));
    assert!(
        !by_force.iter().any(|r| r["force_id"] == "west-midlands"),
        "{by_force:#?}"
    );
}

#[test]
fn gss_symbols_need_no_markers_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_response(
        tmp.path(),
        "ons-prc-ye-mar2018",
        "national",
        &national("national-gss-symbols.csv", "ambiguous_names = \"force\""),
        &["ons-table-p1"],
    );
    let r = run(
        tmp.path(),
        &[
            "--campaign",
            "ons-prc-ye-mar2018",
            "--log-format",
            "json",
            "run",
        ],
    );
    assert_eq!(r.code, Some(3), "warnings, no errors: {}", r.stderr);
    let said = logged(&r.stderr);
    assert!(!said.iter().any(|d| d.0 == "not_a_count"), "{said:#?}");
    // A row of "..": said once for its force and request.
    let surrey: Vec<_> = said.iter().filter(|d| d.1 == "surrey").collect();
    assert_eq!(surrey.len(), 1, "{said:#?}");
    assert_eq!(
        (surrey[0].0.as_str(), surrey[0].2.as_str()),
        ("not_available", "ye-mar-2018")
    );
    let records = read_csv(&tmp.path().join("out/latest/records.csv"));
    let cell = |force: &str, group: &str| -> (String, String, String) {
        records
            .iter()
            .find(|r| r["force_id"] == force && r["offence_group"] == group)
            .map(|r| (r["text"].clone(), r["lo"].clone(), r["hi"].clone()))
            .unwrap_or_else(|| panic!("{force} {group}"))
    };
    let t = |a: &str, lo: &str, hi: &str| (a.to_string(), lo.to_string(), hi.to_string());
    assert_eq!(cell("kent", "robbery"), t("[c]", "0", "4"));
    assert_eq!(cell("sussex", "sexual_offences"), t("[low]", "1", "4"));
    assert_eq!(cell("sussex", "robbery"), t("12 [u]", "12", "12"));
    // Written "'-" in the CSV, which never lets a cell start like a formula.
    assert_eq!(cell("sussex", "drug_offences"), t("'-", "0", "0"));
    assert!(!records.iter().any(|r| r["force_id"] == "surrey"));
}

#[test]
fn a_missing_group_line_is_said_once_per_reply_without_an_echo() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let cw = config.join("campaigns/nspcc-online-csa/crosswalks/offence_groups.csv");
    let text = std::fs::read_to_string(&cw).expect("crosswalk");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("23,")).collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "one line for 23");
    std::fs::write(&cw, kept.join("\n") + "\n").expect("write");
    let r = run(tmp.path(), &["--allow-unmapped", "run"]);
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("offence 23 belongs to no offence_group"))
        .collect();
    // One per reply that has offence 23 (41 replies, two of them Essex's
    // and Surrey's halves), each with its cells: never one per figure.
    let mut forces: Vec<&str> = errors
        .iter()
        .filter_map(|l| l.strip_prefix("error: ")?.split(',').next())
        .collect();
    let replies = forces.len();
    forces.dedup();
    assert_eq!(replies, 40, "{errors:#?}");
    assert_eq!(forces.len(), 38);
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("error: bedfordshire, fixtures/nspcc/bedfordshire/Beds FOI 0412-17.xlsx: offence 23 belongs to no offence_group: 2 figures (2 source cells: B14; C14) left out")),
        "{errors:#?}"
    );
    // The totals that no longer add up without those figures are not
    // reported again as the forces' own disagreements.
    assert!(!r.stderr.contains("disagree"), "{}", r.stderr);
}

#[test]
fn an_ods_whose_cells_have_no_value_type_is_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_response(
        tmp.path(),
        "nspcc-online-csa",
        "surrey-fy-2016-17",
        r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/silent/untyped-cells.ods" }

[[table]]
header = '^Offence$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Offences$', role = "value" },
]
"#,
        &[],
    );
    let r = run(tmp.path(), &["run"]);
    // Every deviation of the campaign is declared in its config: exit 0.
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let by_force = read_csv(&tmp.path().join("out/latest/by_force.csv"));
    let surrey = by_force
        .iter()
        .find(|r| r["force_id"] == "surrey" && r["request"] == "fy-2016-17")
        .expect("surrey's figure");
    // 12 + 30 + 7 + "<5".
    assert_eq!((surrey["lo"].as_str(), surrey["hi"].as_str()), ("49", "53"));
}

#[test]
fn a_header_that_matches_nothing_shows_the_rows_foi_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    with_response(
        tmp.path(),
        "nspcc-online-csa",
        "surrey-fy-2016-17",
        r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/silent/empty-sheet.ods" }

[[table]]
header = '^URN$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Offences$', role = "value" },
]
"#,
        &[],
    );
    let r = run(tmp.path(), &["run"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("error: surrey, fixtures/silent/empty-sheet.ods, sheet \"Data\": no header row matching \"^URN$\" (occurrence 1) on this sheet: foi read no cells at all on it"),
        "{}",
        r.stderr
    );
}
