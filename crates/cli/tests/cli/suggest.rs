//! `foi suggest` (issue 16): the bundled campaign with every offence
//! crosswalk line taken out, its labels reviewed and accepted through the
//! real binary, gives the published figures back.

use crate::*;

const CAMPAIGN: &str = "config/campaigns/nspcc-online-csa";
const OFFENCES: &str = "config/campaigns/nspcc-online-csa/crosswalks/offences.csv";
const REVIEW: &str = "config/campaigns/nspcc-online-csa/crosswalks/offences.review.csv";

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = foi_in(dir).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Folded as crosswalks match labels.
fn fold(s: &str) -> String {
    foi_model::fold_label(s)
}

/// The offence crosswalk's lines: (folded label, force) -> value.
fn lines(text: &str) -> BTreeMap<(String, String), String> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            (
                (fold(&r[0]), r.get(2).unwrap_or("").to_string()),
                r[1].to_string(),
            )
        })
        .collect()
}

/// The review file's rows, its comment lines kept apart.
fn review(path: &Path) -> (Vec<String>, Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("review file");
    let comments: Vec<String> = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let body: String = text
        .lines()
        .skip(comments.len())
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    (comments, headers, rows)
}

fn write_review(path: &Path, comments: &[String], headers: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    let body = String::from_utf8(w.into_inner().expect("csv")).expect("utf8");
    std::fs::write(path, comments.join("\n") + "\n" + &body).expect("write review");
}

/// The national figures of a release: figure id -> (lo, hi).
fn national(dir: &Path) -> BTreeMap<String, (String, String)> {
    read_csv(&dir.join("out/latest/national.csv"))
        .into_iter()
        .map(|r| (r["figure_id"].clone(), (r["lo"].clone(), r["hi"].clone())))
        .collect()
}

#[test]
fn suggestions_accepted_for_a_bare_crosswalk_give_the_published_figures_back() {
    // The figures as published with the crosswalk as reviewed by hand.
    let whole = tempfile::tempdir().expect("tmp");
    copy_config(whole.path());
    let (code, _, stderr) = run(whole.path(), &["run"]);
    assert_eq!(code, Some(0), "{stderr}");
    let want = national(whole.path());

    let tmp = tempfile::tempdir().expect("tmp");
    copy_config(tmp.path());
    let original = std::fs::read_to_string(tmp.path().join(OFFENCES)).expect("crosswalk");
    let answers = lines(&original);
    std::fs::write(tmp.path().join(OFFENCES), "label,value,force\n").expect("strip");

    // A run stops on the unmapped labels and shows the suggestions.
    let (code, _, stderr) = run(tmp.path(), &["run"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing was published"), "{stderr}");
    let block = stderr
        .split("suggestions for the labels no crosswalk maps")
        .nth(1)
        .unwrap_or_else(|| panic!("no suggestion block: {stderr}"));
    assert!(
        block.contains("offence \"IIOC\": 53 cell(s), holding 52 (by force: sussex 53)"),
        "{block}"
    );
    assert!(
        block.contains("1. 86 0.76: words indecent (\"iioc\")"),
        "{block}"
    );

    // foi suggest writes the review beside the crosswalk.
    let (code, stdout, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("wrote {REVIEW}: 61 label(s)")),
        "{stdout}"
    );
    let (comments, headers, mut rows) = review(&tmp.path().join(REVIEW));
    assert_eq!(comments[0], format!("# crosswalk: {OFFENCES}"));
    assert_eq!(comments[1], "# dimension: offence");
    assert_eq!(
        headers,
        ["label", "value", "force", "score", "reason", "accept", "moves"]
    );
    // Every label's first suggestion is what the hand-made line said, and
    // the reviewer accepts it.
    let mut seen = std::collections::BTreeSet::new();
    for r in &mut rows {
        if !seen.insert(fold(&r[0])) {
            continue;
        }
        let want = answers
            .get(&(fold(&r[0]), r[2].clone()))
            .or_else(|| answers.get(&(fold(&r[0]), String::new())))
            .or_else(|| {
                answers
                    .iter()
                    .find(|((l, _), _)| *l == fold(&r[0]))
                    .map(|(_, v)| v)
            })
            .unwrap_or_else(|| panic!("no hand-made line for {:?}", r[0]));
        assert_eq!(&r[1], want, "{r:?}");
        assert!(!r[4].starts_with("ambiguous"), "{r:?}");
        r[5] = "yes".into();
    }
    assert_eq!(seen.len(), 61);
    // The moves say what the line brings in: Sussex's IIOC rows.
    let iioc = rows.iter().find(|r| r[0] == "IIOC").expect("IIOC");
    assert_eq!(iioc[2], "sussex");
    assert_eq!(
        iioc[6],
        "fy-2016-17 +24 (offence 86, offence_group indecent_images), ye-jun-2016 +28 (offence 86, offence_group indecent_images)"
    );
    write_review(&tmp.path().join(REVIEW), &comments, &headers, &rows);

    let (code, stdout, stderr) = run(tmp.path(), &["suggest", "--accept", REVIEW]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("added 61 line(s) to {OFFENCES}")),
        "{stdout}"
    );
    let accepted = std::fs::read_to_string(tmp.path().join(OFFENCES)).expect("crosswalk");
    assert!(
        accepted.contains(&format!(
            "# Accepted from {REVIEW} (foi suggest --accept)\n"
        )),
        "{accepted}"
    );
    assert!(accepted.contains("\nIIOC,86,sussex\n"), "{accepted}");

    let (code, _, stderr) = run(tmp.path(), &["run"]);
    assert_eq!(code, Some(0), "{stderr}");
    let got = national(tmp.path());
    assert_eq!(got["ye-jun-2016/total"], ("3903".into(), "3903".into()));
    assert_eq!(got["fy-2016-17/total"], ("5653".into(), "5653".into()));
    assert_eq!(
        got, want,
        "every national figure, offence groups and ages too"
    );

    // Nothing left to suggest.
    let (code, stdout, _) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "every label maps: nothing to suggest\n");
}

#[test]
fn a_bad_accept_adds_nothing_and_names_the_review_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_config(tmp.path());
    let cw = tmp.path().join(OFFENCES);
    let text = std::fs::read_to_string(&cw).expect("crosswalk");
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with("IIOC,") && !l.starts_with("CSE,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&cw, &kept).expect("write");
    // Offline: what is not in the cache is not reviewed, and said so.
    let (code, _, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("not in the cache: run `foi fetch` first"),
        "{stderr}"
    );
    let (code, _, stderr) = run(tmp.path(), &["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (comments, headers, mut rows) = review(&tmp.path().join(REVIEW));
    let labels: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, ["CSE", "IIOC"].into_iter().collect());
    let cse = rows.iter().position(|r| r[0] == "CSE").expect("CSE");
    assert_eq!(rows[cse][1], "71");
    rows[cse][1] = "71Z".into();
    rows[cse][5] = "yes".into();
    write_review(&tmp.path().join(REVIEW), &comments, &headers, &rows);
    let (code, _, stderr) = run(tmp.path(), &["suggest", "--accept", REVIEW]);
    assert_eq!(code, Some(1), "{stderr}");
    // The review's line: its comment lines, the header, then the rows.
    assert!(
        stderr.contains(&format!(
            "nothing was added:\n  {REVIEW}:{}: \"71Z\" is not a value of offence",
            comments.len() + 2 + cse
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&cw).expect("crosswalk"), kept);
}

/// The bundled config in `dir`, with Durham's obscene publications row
/// worded `label`: the campaign file's path and text.
fn durham_writes(dir: &Path, label: &str) -> (PathBuf, String) {
    copy_config(dir);
    let durham = dir.join(CAMPAIGN).join("responses/durham.toml");
    let text = std::fs::read_to_string(&durham).expect("durham");
    std::fs::write(
        &durham,
        text.replace("\"Obscene publications\" }", &format!("\"{label}\" }}")),
    )
    .expect("write");
    let campaign = dir.join(CAMPAIGN).join("campaign.toml");
    let toml = std::fs::read_to_string(&campaign).expect("campaign");
    (campaign, toml)
}

#[test]
fn a_code_written_in_the_label_is_added_without_review_when_the_campaign_says() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (campaign, toml) = durham_writes(tmp.path(), "Obscene publications - Cat 86");

    // A threshold outside 0.9..=1 is an error at its line.
    std::fs::write(&campaign, format!("{toml}\n[suggest]\nauto_accept = 0.5\n")).expect("write");
    let (code, _, stderr) = run(tmp.path(), &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    let line = toml.lines().count() + 3;
    assert!(
        stderr.contains(&format!(
            "{CAMPAIGN}/campaign.toml:{line}: [suggest] auto_accept = 0.5 must lie between 0.9 and 1"
        )),
        "{stderr}"
    );

    // Without a threshold the line waits for a person.
    std::fs::write(&campaign, &toml).expect("write");
    let (code, _, stderr) = run(tmp.path(), &["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("without review"), "{stdout}");
    let (_, _, rows) = review(&tmp.path().join(REVIEW));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        &rows[0][..3],
        ["Obscene publications - Cat 86", "86", "durham"]
    );
    assert_eq!(rows[0][3], "0.99");
    assert!(
        rows[0][4].starts_with(
            "\"86\" in the label is category 86 (Obscene Publications etc), and the words agree"
        ),
        "{rows:?}"
    );
    assert_eq!(rows[0][5], "");

    // With one, it goes straight in, and the run publishes.
    std::fs::write(
        &campaign,
        format!("{toml}\n[suggest]\nauto_accept = 0.95\n"),
    )
    .expect("write");
    let (code, stdout, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(&format!("added 1 line(s) to {OFFENCES} without review")),
        "{stdout}"
    );
    let (_, _, rows) = review(&tmp.path().join(REVIEW));
    assert_eq!(rows[0][5], "auto");
    let cw = std::fs::read_to_string(tmp.path().join(OFFENCES)).expect("crosswalk");
    assert!(
        cw.ends_with("Obscene publications - Cat 86,86,durham\n"),
        "{cw}"
    );
    let (code, _, stderr) = run(tmp.path(), &["run"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        national(tmp.path())["fy-2016-17/total"],
        ("5653".into(), "5653".into())
    );
}

/// A number alone is no code to take unseen, whatever the threshold:
/// older Home Office tables number their classes otherwise ("Sacrilege
/// (27)"; 27 is soliciting now). The line waits for a person.
#[test]
fn a_bare_number_in_the_label_waits_for_a_person_whatever_the_threshold() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (campaign, toml) = durham_writes(tmp.path(), "Obscene publications - 86");
    std::fs::write(
        &campaign,
        format!("{toml}\n[suggest]\nauto_accept = 0.95\n"),
    )
    .expect("write");
    let (code, _, stderr) = run(tmp.path(), &["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(tmp.path(), &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("without review"), "{stdout}");
    let (_, _, rows) = review(&tmp.path().join(REVIEW));
    assert_eq!(&rows[0][..3], ["Obscene publications - 86", "86", "durham"]);
    assert!(
        rows[0][4].contains("not taken alone: a number alone may be another classification's"),
        "{rows:?}"
    );
    assert_eq!(rows[0][5], "");
}

/// The bundled config in `dir` with Durham's reply given the rows
/// `labels` (one offence each) and the crosswalk the lines `lines`;
/// fetched and suggested: the review's rows, and what `foi suggest`
/// printed.
fn durham_rows(dir: &Path, labels: &[&str], lines: &str) -> (Vec<Vec<String>>, String) {
    copy_config(dir);
    let durham = dir.join(CAMPAIGN).join("responses/durham.toml");
    let mut text = std::fs::read_to_string(&durham).expect("durham");
    for label in labels {
        text.push_str(&format!(
            "\n[[manual]]\nrequest = \"fy-2016-17\"\npage = 2\ncount = \"1\"\ndims = {{ offence = \"{label}\" }}\n"
        ));
    }
    std::fs::write(&durham, text).expect("write");
    let cw = dir.join(OFFENCES);
    let mut crosswalk = std::fs::read_to_string(&cw).expect("crosswalk");
    crosswalk.push_str(lines);
    std::fs::write(&cw, crosswalk).expect("write");
    let (code, _, stderr) = run(dir, &["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(dir, &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, _, rows) = review(&dir.join(REVIEW));
    (rows, stdout)
}

/// A row saying it is the rest ("Other theft") beside rows that break its
/// group into a few parts (theft from the person, shoplifting, bicycle
/// theft) counts the rest of the group, not category 49 of its name: the
/// review says so, and suggests nothing to accept.
#[test]
fn a_residual_row_is_read_among_the_rows_beside_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (rows, stdout) = durham_rows(
        tmp.path(),
        &[
            "Theft from the person",
            "Shoplifting",
            "Bicycle theft",
            "Other theft",
        ],
        "Theft from the person,39,durham\nShoplifting,46,durham\nBicycle theft,44,durham\n",
    );
    let other = reviewed(
        &rows,
        "Other theft",
        "ambiguous (the rest of the Home Office class \"Theft\"): beside the reply's rows for 39, 44, 46 of the Home Office class \"Theft\", \"Other theft\" may count the rest of it: 35, 40, 41, 42, 43, 47, 49, 49A",
        &stdout,
    );
    assert!(other.iter().all(|r| r[2] == "durham"), "{other:?}");
}

/// The review's rows for `label`, at least one, each giving `why` first
/// and waiting for a person (nothing in `accept`).
fn reviewed<'a>(
    rows: &'a [Vec<String>],
    label: &str,
    why: &str,
    stdout: &str,
) -> Vec<&'a Vec<String>> {
    let of: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == label).collect();
    assert!(!of.is_empty(), "{rows:?}\n{stdout}");
    for r in &of {
        assert!(r[4].starts_with(why), "{r:?}");
        assert_eq!(r[5], "", "{r:?}");
    }
    of
}

/// A row saying it is the rest, between values all but one of which have
/// rows of their own ("All other robbery" beside "Business robbery"), is
/// the one they leave: suggested, with the rows that settle it.
#[test]
fn a_residual_row_the_rows_beside_it_settle_is_suggested() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (rows, stdout) = durham_rows(
        tmp.path(),
        &["Business robbery", "All other robbery"],
        "Business robbery,34A,durham\n",
    );
    let rest = rows
        .iter()
        .find(|r| r[0] == "All other robbery")
        .unwrap_or_else(|| panic!("{rows:?}\n{stdout}"));
    assert_eq!(&rest[1..3], ["34B", "durham"], "{rest:?}");
    assert!(
        rest[4].starts_with(
            "of 34A, 34B, which the label does not tell apart, the reply's rows beside it count 34A: it is the rest, 34B"
        ),
        "{rest:?}"
    );
    assert_eq!(rest[5], "", "{rest:?}");
}

/// A generic row beside its specific sibling ("Sexual assault on a
/// female" beside "… on a female child under 13") may be the rest or the
/// total of the rows beside it: ambiguous, the rest first, and the
/// review says so.
#[test]
fn a_generic_row_beside_its_specific_sibling_may_be_the_rest_or_the_total() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (rows, stdout) = durham_rows(tmp.path(), &["Sexual assault on a female"], "");
    let generic = reviewed(
        &rows,
        "Sexual assault on a female",
        "ambiguous: of 20A, 20B, the reply's rows beside it count 20B: this row is the rest, 20A, or their total",
        &stdout,
    );
    assert_eq!(generic[0][1], "20A", "{rows:?}\n{stdout}");
}

/// A reply naming its rows' offence only with the section heading above
/// them ("Rape of a female child:" then "- aged under 13", again under
/// "Rape of a male child:"): each row is reviewed with its heading, the
/// accepted lines are written so, and the build reads every row as its
/// own offence, the boys' apart from the girls'.
#[test]
fn a_reply_in_sections_is_reviewed_and_read_with_its_headings() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    copy_config(dir);
    std::fs::write(
        dir.join("sections.csv"),
        "Offence,2016/17,Jul 15 - Jun 16\nRape of a female child:,,\n- aged under 13,12,10\n- aged under 16,8,7\nRape of a male child:,,\n- aged under 13,3,2\n- aged under 16,2,1\nSexual grooming,20,15\n",
    )
    .expect("write reply");
    std::fs::write(
        dir.join(CAMPAIGN).join("responses/cumbria.toml"),
        r#"force = "cumbria"
requests = ["ye-jun-2016", "fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "sections.csv" }

[[table]]
header = '^Offence$'
requests = { '^Jul 15' = "ye-jun-2016", '^2016/17$' = "fy-2016-17" }
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^(Jul 15 - Jun 16|2016/17)$', role = "request" },
]
"#,
    )
    .expect("write response");
    let (code, _, stderr) = run(dir, &["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(dir, &["suggest"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (comments, headers, mut rows) = review(&dir.join(REVIEW));
    let mut firsts = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in &mut rows {
        if seen.insert(r[0].clone()) {
            firsts.push((r[0].clone(), r[1].clone(), r[2].clone()));
            r[5] = "yes".into();
        }
    }
    let want = [
        ("Rape of a female child - aged under 13", "19E"),
        ("Rape of a female child - aged under 16", "19D"),
        ("Rape of a male child - aged under 13", "19H"),
        ("Rape of a male child - aged under 16", "19G"),
    ];
    assert_eq!(
        firsts,
        want.map(|(l, v)| (l.to_string(), v.to_string(), "cumbria".to_string())),
        "{stdout}"
    );
    write_review(&dir.join(REVIEW), &comments, &headers, &rows);
    let (code, _, stderr) = run(dir, &["suggest", "--accept", REVIEW]);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, _, stderr) = run(dir, &["build"]);
    let mut got: Vec<String> = read_csv(&dir.join("out/latest/records.csv"))
        .into_iter()
        .filter(|r| r["force_id"] == "cumbria")
        .map(|r| format!("{} {} {}", r["request"], r["offence"], r["value"]))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "fy-2016-17 19D 8",
            "fy-2016-17 19E 12",
            "fy-2016-17 19G 2",
            "fy-2016-17 19H 3",
            "fy-2016-17 88A 20",
            "ye-jun-2016 19D 7",
            "ye-jun-2016 19E 10",
            "ye-jun-2016 19G 1",
            "ye-jun-2016 19H 2",
            "ye-jun-2016 88A 15",
        ],
        "{stderr}"
    );
}
