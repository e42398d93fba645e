//! A label no crosswalk maps: an error naming force, file, cell and label,
//! with the line to add; nothing published unless --allow-unmapped, and
//! then the force is flagged as short wherever its figures are added.

use crate::*;

/// The config with Sussex's "IIOC" line taken out of the offence crosswalk.
fn without_iioc(tmp: &Path) {
    let config = copy_config(tmp);
    let cw = config.join("campaigns/nspcc-online-csa/crosswalks/offences.csv");
    let text = std::fs::read_to_string(&cw).expect("crosswalk");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("IIOC,")).collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "one IIOC line");
    std::fs::write(&cw, kept.join("\n") + "\n").expect("write");
}

fn run(tmp: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = foi_in(tmp).args(extra).arg("run").output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_unmapped_label_names_its_cell_and_the_line_to_add() {
    let tmp = tempfile::tempdir().expect("tmp");
    without_iioc(tmp.path());
    let (code, stderr) = run(tmp.path(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    let first = stderr
        .lines()
        .find(|l| l.contains("unmapped offence label \"IIOC\""))
        .unwrap_or_else(|| panic!("no unmapped error: {stderr}"));
    assert!(
        first.starts_with("error: sussex, fixtures/nspcc/sussex/sussex_foi_0412.csv, line "),
        "{first}"
    );
    assert!(
        first.contains(", field 3: unmapped offence label \"IIOC\" (and "),
        "{first}"
    );
    assert!(
        stderr.contains("hint: add to config/campaigns/nspcc-online-csa/crosswalks/offences.csv: IIOC,<offence>,sussex"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert!(!tmp.path().join("out/latest").exists(), "nothing published");
}

#[test]
fn allow_unmapped_publishes_the_rest_and_lists_what_was_left_out() {
    let tmp = tempfile::tempdir().expect("tmp");
    without_iioc(tmp.path());
    let (code, stderr) = run(tmp.path(), &["--allow-unmapped"]);
    assert_eq!(code, Some(3), "complete with warnings: {stderr}");
    assert!(
        stderr.contains("unmapped offence label \"IIOC\""),
        "{stderr}"
    );
    let national = read_csv(&tmp.path().join("out/latest/national.csv"));
    let total = |req: &str| -> u64 {
        national
            .iter()
            .find(|r| r["request"] == req && r["breakdown"] == "total")
            .map(|r| r["value"].parse().expect("point"))
            .expect("total")
    };
    // Sussex's indecent-image rows are left out, so its total falls short.
    assert!(total("fy-2016-17") < 5653);
    // Added, but flagged as short in coverage and in the national figures,
    // naming the label whose rows are missing.
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    let sussex: Vec<_> = coverage
        .iter()
        .filter(|c| c["force_id"] == "sussex" && c["included"] == "true")
        .collect();
    assert!(!sussex.is_empty(), "sussex is added");
    for c in &sussex {
        assert_eq!(c["flagged"], "true", "{c:?}");
        assert!(
            c["reason"].contains(
                "undercounts: rows with labels no crosswalk maps were left out (offence label \"IIOC\")"
            ),
            "{c:?}"
        );
    }
    // Only the force with the unmapped label.
    assert!(coverage
        .iter()
        .filter(|c| c["reason"].contains("undercounts"))
        .all(|c| c["force_id"] == "sussex"));
    let flagged = national
        .iter()
        .find(|r| r["request"] == "fy-2016-17" && r["breakdown"] == "total")
        .map(|r| r["flagged_forces"].clone())
        .expect("total");
    assert!(flagged.split(';').any(|f| f == "sussex"), "{flagged}");
}
