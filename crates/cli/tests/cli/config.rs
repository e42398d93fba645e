//! Config that does not make people type (issue 18, item 5): figures typed
//! from a letter as a grid, `foi check` reading every label against the
//! crosswalks, and a campaign that lists the forces it asked.

use crate::*;

const CAMPAIGN: &str = "config/campaigns/nspcc-online-csa";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = foi_in(dir).args(args).output().expect("foi runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Durham's reply as the generator writes it: one `[[manual]]` entry per
/// figure (request, count, offence label or none for the total).
fn durham_entries(text: &str) -> Vec<(String, String, Option<String>)> {
    let value = |block: &str, key: &str| {
        block
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = ")))
            .map(|v| v.trim().to_string())
    };
    text.split("[[manual]]")
        .skip(1)
        .map(|block| {
            let unquote = |v: String| v.trim_matches('"').to_string();
            let offence = value(block, "dims").map(|d| {
                d.trim_start_matches("{ offence = \"")
                    .trim_end_matches("\" }")
                    .to_string()
            });
            (
                unquote(value(block, "request").expect("request")),
                unquote(value(block, "count").expect("count")),
                offence,
            )
        })
        .collect()
}

/// The same reply with its figures as one `[[manual_table]]`: a row per
/// offence as the letter prints it, a column per request, and the total
/// row.
fn as_grid(text: &str) -> String {
    let head = &text[..text.find("[[manual]]").expect("manual entries")];
    let requests = ["ye-jun-2016", "fy-2016-17"];
    let mut rows: Vec<(String, [String; 2])> = Vec::new();
    for (request, count, offence) in durham_entries(text) {
        let label = offence.unwrap_or_else(|| "Total".into());
        let col = requests
            .iter()
            .position(|r| *r == request)
            .expect("request");
        match rows.iter_mut().find(|(l, _)| *l == label) {
            Some((_, counts)) => counts[col] = count,
            None => {
                let mut counts = [String::new(), String::new()];
                counts[col] = count;
                rows.push((label, counts));
            }
        }
    }
    let mut out = format!(
        "{head}[[manual_table]]\npage = 2\ndims = [\"offence\"]\ncolumns = [\"ye-jun-2016\", \"fy-2016-17\"]\nrows = [\n"
    );
    for (label, [a, b]) in &rows {
        assert!(!a.is_empty() && !b.is_empty(), "{label}: both requests");
        out.push_str(&format!("  [\"{label}\", \"{a}\", \"{b}\"],\n"));
    }
    out.push_str("]\n");
    out
}

#[test]
fn durhams_letter_as_a_grid_publishes_the_same_figures() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_config(tmp.path());
    let durham = tmp.path().join(CAMPAIGN).join("responses/durham.toml");
    let text = std::fs::read_to_string(&durham).expect("durham");
    let entries = durham_entries(&text);
    assert!(entries.len() > 20, "{} entries", entries.len());
    let first = run(tmp.path(), &["run"]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let national = std::fs::read(tmp.path().join("out/latest/national.csv")).expect("national");
    let by_force = std::fs::read(tmp.path().join("out/latest/by_force.csv")).expect("by_force");

    let grid = as_grid(&text);
    // A line per offence instead of five per figure.
    assert!(grid.lines().count() * 4 < text.lines().count(), "{}", grid);
    std::fs::write(&durham, &grid).expect("write");
    let second = run(tmp.path(), &["build"]);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    let national2 = std::fs::read(tmp.path().join("out/latest/national.csv")).expect("national");
    assert_eq!(
        String::from_utf8_lossy(&national2),
        String::from_utf8_lossy(&national)
    );
    assert_eq!(
        std::fs::read(tmp.path().join("out/latest/by_force.csv")).expect("by_force"),
        by_force
    );
    let totals: Vec<String> = read_csv(&tmp.path().join("out/latest/national.csv"))
        .into_iter()
        .filter(|r| r["breakdown"] == "total")
        .map(|r| r["value"].clone())
        .collect();
    assert_eq!(totals, ["3903", "5653"]);
}

#[test]
fn a_campaign_sent_to_one_force_covers_that_force_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let campaign = config.join("campaigns/nspcc-online-csa");
    for e in std::fs::read_dir(campaign.join("responses")).expect("responses") {
        let p = e.expect("entry").path();
        if p.file_stem().is_some_and(|s| s != "durham") {
            std::fs::remove_file(p).expect("rm");
        }
    }
    let durham = campaign.join("responses/durham.toml");
    let text = std::fs::read_to_string(&durham).expect("durham");
    std::fs::write(&durham, as_grid(&text)).expect("write");
    let toml = std::fs::read_to_string(campaign.join("campaign.toml")).expect("campaign");
    let at = toml.find("\n[").expect("a table");
    std::fs::write(
        campaign.join("campaign.toml"),
        format!(
            "{}\nforces = [\"Durham Constabulary\"]\n{}",
            &toml[..at],
            &toml[at..]
        ),
    )
    .expect("write");
    let out = run(tmp.path(), &["run"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("from 1 of 1 forces"), "{}", out.stdout);
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    let rows: Vec<(&str, &str, &str)> = coverage
        .iter()
        .map(|r| {
            (
                r["force_id"].as_str(),
                r["request"].as_str(),
                r["included"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("durham", "ye-jun-2016", "true"),
            ("durham", "fy-2016-17", "true")
        ]
    );

    // A reply from a force it did not ask is a config error at its line.
    std::fs::write(
        campaign.join("responses/kent.toml"),
        "force = \"Kent\"\nrequests = [\"fy-2016-17\"]\nstatus = \"not_held\"\n",
    )
    .expect("write");
    let check = run(tmp.path(), &["check"]);
    assert_eq!(check.code, Some(2), "{}", check.stderr);
    assert!(
        check.stderr.contains("error: config: config/campaigns/nspcc-online-csa/responses/kent.toml:1: kent is not among the forces campaign nspcc-online-csa asked (`forces` in its campaign.toml)"),
        "{}",
        check.stderr
    );
}

#[test]
fn check_reads_every_label_against_the_crosswalks() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let campaign = config.join("campaigns/nspcc-online-csa");

    // Nothing fetched: the figures typed into the config are read; the
    // spreadsheets wait for `foi fetch`.
    let clean = run(tmp.path(), &["check"]);
    assert_eq!(clean.code, Some(0), "{}", clean.stderr);
    assert!(
        clean.stdout.contains("every label of 1 response(s) maps"),
        "{}",
        clean.stdout
    );
    assert!(
        clean
            .stderr
            .contains("40 response(s) could not be read from the cache"),
        "{}",
        clean.stderr
    );

    // A crosswalk line taken away: each label it mapped is a gap, in the
    // letter typed in (with its line) and in every spreadsheet fetched.
    let fetched = run(tmp.path(), &["fetch"]);
    assert_eq!(fetched.code, Some(0), "{}", fetched.stderr);
    let all = run(tmp.path(), &["check"]);
    assert_eq!(all.code, Some(0), "{}", all.stderr);
    assert!(
        all.stdout.contains("every label of 41 response(s) maps"),
        "{}",
        all.stdout
    );
    let cw = campaign.join("crosswalks/offences.csv");
    let lines = std::fs::read_to_string(&cw).expect("crosswalk");
    let gone = "Incest or familial sexual offences,23,\n";
    assert!(lines.contains(gone));
    std::fs::write(&cw, lines.replace(gone, "")).expect("write");
    let gaps = run(tmp.path(), &["check"]);
    assert_eq!(gaps.code, Some(2), "{}", gaps.stderr);
    let durham = std::fs::read_to_string(campaign.join("responses/durham.toml")).expect("durham");
    let line = durham
        .lines()
        .position(|l| l.contains("Incest or familial sexual offences"))
        .expect("durham writes it");
    // The entry starts four lines above its dims.
    let at = format!(
        "config/campaigns/nspcc-online-csa/responses/durham.toml:{}",
        line + 1 - 4
    );
    assert!(
        gaps.stderr.contains(&format!(
            "error: durham, request ye-jun-2016, fixtures/nspcc/durham/FOI 0412-17 letter.pdf: manual entry, page 2 ({at}): unmapped offence label \"Incest or familial sexual offences\" (and 1 more entry)"
        )),
        "{}",
        gaps.stderr
    );
    assert!(
        gaps.stderr.contains("hint: add to config/campaigns/nspcc-online-csa/crosswalks/offences.csv: Incest or familial sexual offences,<offence>,durham"),
        "{}",
        gaps.stderr
    );
    // Spreadsheets that write it, in any case: a gap for each force, at its cell.
    let from_sheets = gaps
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("error: ")
                && l.to_lowercase()
                    .contains("unmapped offence label \"incest or familial sexual offences\"")
                && !l.contains("manual entry")
        })
        .count();
    assert!(from_sheets >= 1, "{}", gaps.stderr);
    assert!(!gaps.stdout.contains("config ok"), "{}", gaps.stdout);
    assert!(
        gaps.stderr.contains(&format!(
            "error: config: {} label(s) map to nothing; add the lines above (`foi suggest` ranks values for each)",
            from_sheets + 1
        )),
        "{}",
        gaps.stderr
    );
}
