//! Detection on layouts none of the bundled replies have: each reply is
//! read without a layout, and must give exactly the records a layout
//! written by hand for it gives (the config language is the judge), or be
//! refused. Never other figures.

use crate::*;
use foi_model::{DiagnosticKind, Severity};

/// What detection must do with a reply.
enum Want<'a> {
    /// The records this hand-written layout gives.
    Same(&'a str),
    /// A refusal whose message says this.
    Refused(&'a str),
}

/// The response's own lines, with `source` and no tables.
fn head(force: Option<&str>, requests: &[&str], extra: &str) -> String {
    let mut out = String::new();
    if let Some(f) = force {
        out += &format!("force = \"{f}\"\n");
    }
    out += &format!(
        "requests = [{}]\nstatus = \"answered\"\nfixed = {{ online_method = \"cyber_flag\" }}\nsource = {{ path = \"reply\" }}\n{extra}\n",
        requests
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out
}

fn records(n: &Normalised) -> Vec<String> {
    let mut out: Vec<String> = n
        .records
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {} {:?} {:?} {:?}",
                r.force,
                r.request,
                r.dims,
                r.count.interval,
                r.count.text,
                r.lineage.cells,
                r.covered
            )
        })
        .collect();
    out.sort();
    out
}

fn check(name: &str, head: &str, bytes: &[u8], want: Want) {
    let detected = config_with("responses/reply.toml", head);
    let got = read(&detected, bytes, &Limits::DEFAULT);
    let refusal = got
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && d.kind == DiagnosticKind::Layout);
    if std::env::var_os("FOI_SHOW").is_some() {
        eprintln!(
            "== {name}\n{}\n{}",
            got.layout.as_deref().unwrap_or(""),
            refusal.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    match want {
        Want::Refused(why) => {
            let d =
                refusal.unwrap_or_else(|| panic!("{name}: not refused; read {:#?}", records(&got)));
            assert!(d.message.contains(why), "{name}: {}", d);
            assert!(got.records.is_empty(), "{name}: records beside a refusal");
        }
        Want::Same(layout) => {
            if let Some(d) = refusal {
                panic!("{name}: refused: {d}");
            }
            let hand = config_with("responses/reply.toml", &format!("{head}\n{layout}"));
            let want = read(&hand, bytes, &Limits::DEFAULT);
            if std::env::var_os("FOI_SHOW").is_some() {
                for d in &want.diagnostics {
                    eprintln!("hand: {d}");
                }
            }
            assert!(
                !want.records.is_empty(),
                "{name}: the hand-written layout reads nothing: {:?}",
                want.diagnostics
            );
            assert_eq!(
                records(&got),
                records(&want),
                "{name}: detected {}",
                got.layout.unwrap_or_default()
            );
            assert!(got.layout.is_some(), "{name}: no layout published");
        }
    }
}

#[test]
fn ages_down_the_side_and_offences_across() {
    let csv = "Anytown Police - FOI 0412\nOffences recorded 1 April 2016 to 31 March 2017\n\nAge of victim,Sexual grooming,Obscene publications,Total\nUnder 10,1,2,3\n10-12,3,4,7\n13-15,5,0,5\n16-17,2,1,3\nTotal,11,7,18\n";
    check(
        "transposed",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Age of victim$'
total_rows = '^Total$'
column = [
  { header = '^Age of victim$', role = "label", dim = "victim_age" },
  { header = '^Total$', role = "total" },
  { header = '.', role = "by_header", dim = "offence" },
]"#,
        ),
    );
}

#[test]
fn one_row_per_crime_with_an_online_flag_is_read_for_the_flagged_rows() {
    let mut csv = String::from("Ref,Date recorded,Offence,Age,Online flag\n");
    let rows = [
        ("03/07/2015", "Sexual grooming", "13", "Y"),
        ("05/07/2015", "Sexual grooming", "14", "N"),
        ("12/10/2015", "Obscene publications", "15", "Y"),
        ("01/05/2016", "Sexual grooming", "13", "Y"),
        ("11/11/2016", "Obscene publications", "12", "N"),
        ("20/03/2017", "Sexual grooming", "16", "Y"),
        ("30/06/2016", "Obscene publications", "15", "Y"),
        ("02/04/2016", "Sexual grooming", "13", "y"),
    ];
    for (i, (d, o, a, f)) in rows.iter().enumerate() {
        csv += &format!("R{i},{d},{o},{a},{f}\n");
    }
    check(
        "online flag",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Ref$'
shape = "records"
where = { column = '^Online flag$', equals = ["Y"] }
column = [
  { header = '^Date recorded$', role = "date" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Age$', role = "label", dim = "victim_age" },
]"#,
        ),
    );
}

#[test]
fn two_requests_stacked_under_titles_that_name_them() {
    let csv = "Anytown Police\n\nJuly 2015 to June 2016\nOffence,Number\nSexual grooming,3\nObscene publications,5\nTotal,8\n\n\nApril 2016 to March 2017\nOffence,Number\nSexual grooming,4\nObscene publications,9\nTotal,13\n";
    check(
        "stacked",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
request = "ye-jun-2016"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Number$', role = "value" },
]

[[table]]
header = '^Offence$'
occurrence = 2
request = "fy-2016-17"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Number$', role = "value" },
]"#,
        ),
    );
}

#[test]
fn months_written_as_iso_months() {
    let mut header = String::from("Offence");
    let mut grooming = String::from("Sexual grooming");
    let mut images = String::from("Obscene publications");
    let months: Vec<(i32, u32)> = (0..21)
        .map(|i| (2015 + (6 + i) / 12, ((6 + i) % 12 + 1) as u32))
        .collect();
    for (i, (y, m)) in months.iter().enumerate() {
        header += &format!(",{y}-{m:02}");
        grooming += &format!(",{}", i % 3);
        images += &format!(",{}", (i + 1) % 4);
    }
    let csv = format!("{header}\n{grooming}\n{images}\n");
    check(
        "iso months",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^20', role = "month" },
]"#,
        ),
    );
}

#[test]
fn a_label_column_without_a_header() {
    let csv =
        ",2015/16 (Jul-Jun),2016/17\nSexual grooming,3,4\nObscene publications,5,6\nTotal,8,10\n";
    check(
        "unheaded",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^2016/17$'
total_rows = '^Total$'
column = [
  { header = '^$', role = "label", dim = "offence" },
  { header = '^2015/16', role = "value", request = "ye-jun-2016" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn a_blank_line_under_the_header_and_footnotes_after_labels() {
    let csv = "Offence,Jul 2015 - Jun 2016,Apr 2016 - Mar 2017\n,,\nSexual grooming 1,3,4\nObscene publications,5,6\nTotal,8,10\n";
    check(
        "spaced header",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
stop = "end"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Jul 2015', role = "value", request = "ye-jun-2016" },
  { header = '^Apr 2016', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn percentages_beside_the_counts_are_not_read() {
    let csv = "Offence,2016/17,% of all\nSexual grooming,3,37.5\nObscene publications,5,62.5\nTotal,8,100\n";
    check(
        "percentages",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn a_table_for_many_forces() {
    let csv = "Offences by police force area, 2016/17\n\nForce,Offences\nKent Police,140\nEssex Police,187\nWest Midlands Police,301\nTotal,628\n";
    check(
        "national",
        &head(None, &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Force$'
request = "fy-2016-17"
aggregate_rows = '^Total$'
column = [
  { header = '^Force$', role = "force" },
  { header = '^Offences$', role = "value" },
]"#,
        ),
    );
}

#[test]
fn offences_and_victims_under_each_year() {
    let csv = "Offence,2015/16 (Jul-Jun),,2016/17,\n,Offences,Victims,Offences,Victims\nSexual grooming,3,2,4,4\nObscene publications,5,5,6,5\n";
    check(
        "two units",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
header_rows = 2
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2015/16 \(Jul-Jun\) Offences$', role = "value", request = "ye-jun-2016" },
  { header = '^2016/17 Offences$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn iso_date_times_in_one_row_per_crime() {
    let csv = "Crime reference,Reported,HO class,Victim age\nA1,2015-07-31T23:08:00+00:00,88A,13\nA2,2016-01-04T10:00:00+00:00,86,15\nA3,2016-05-01T09:30:00+00:00,88A,14\nA4,2017-02-02T08:00:00+00:00,86,12\n";
    check(
        "iso date-times",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Crime reference$'
shape = "records"
column = [
  { header = '^Reported$', role = "date" },
  { header = '^HO class$', role = "label", dim = "offence" },
  { header = '^Victim age$', role = "label", dim = "victim_age" },
]"#,
        ),
    );
}

// ---------------------------------------------------------------- refused

#[test]
fn two_stacked_tables_nothing_names_are_refused() {
    let csv = "Offence,Offences\nSexual grooming,4\nObscene publications,9\n\nOffence,Offences\nSexual grooming,6\nObscene publications,11\n";
    check(
        "stacked unnamed",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("nothing names the period"),
    );
}

#[test]
fn a_reply_for_another_period_is_refused() {
    let csv = "Offences recorded in calendar year 2016\n\nOffence,Offences\nSexual grooming,4\nObscene publications,9\n";
    check(
        "other period",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("no table of figures"),
    );
}

#[test]
fn counts_of_something_else_are_refused() {
    let csv = "Offence,Number of arrests\nSexual grooming,4\nObscene publications,9\n";
    check(
        "arrests",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("no table of figures"),
    );
}

#[test]
fn a_subtotal_read_as_a_total_is_caught() {
    let csv = "Offence,2016/17\nSexual grooming,4\nObscene publications,9\nTotal images and grooming,13\nRape of a female child under 16,2\n";
    check(
        "subtotal",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("could not be sure"),
    );
}

#[test]
fn a_code_and_a_description_that_disagree_are_refused() {
    let csv = "HO code,Offence,2016/17\n88A,Sexual grooming,4\n86,Sexual grooming,9\n";
    check(
        "disagreeing labels",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("disagree"),
    );
}

#[test]
fn a_long_table_with_a_column_of_periods() {
    let csv = "Period,Offence,Count\n2014/15,Sexual grooming,1\n2015/16 (Jul-Jun),Sexual grooming,3\n2015/16 (Jul-Jun),Obscene publications,5\n2016/17,Sexual grooming,4\n2016/17,Obscene publications,6\n";
    check(
        "period column",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Period$'
column = [
  { header = '^Period$', role = "period" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Count$', role = "value" },
]"#,
        ),
    );
}

#[test]
fn a_column_of_periods_read_through_the_tables_requests() {
    // The config language's own rule, without detection.
    let toml = format!(
        "{}\n[[table]]\nheader = '^Period$'\nrequests = {{ '^Year one$' = \"ye-jun-2016\" }}\ncolumn = [\n  {{ header = '^Period$', role = \"period\" }},\n  {{ header = '^Offence$', role = \"label\", dim = \"offence\" }},\n  {{ header = '^Count$', role = \"value\" }},\n]\n",
        head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], "")
    );
    let csv = "Period,Offence,Count\nYear one,Sexual grooming,3\n2016/17,Sexual grooming,4\nsome time,Sexual grooming,9\n";
    let n = read(
        &config_with("responses/reply.toml", &toml),
        csv.as_bytes(),
        &Limits::DEFAULT,
    );
    let got: Vec<(String, String)> = n
        .records
        .iter()
        .map(|r| (r.request.clone(), r.count.text.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("fy-2016-17".to_string(), "4".to_string()),
            ("ye-jun-2016".to_string(), "3".to_string())
        ]
    );
    assert!(n
        .diagnostics
        .iter()
        .any(|d| d.message == "\"some time\" names no one period, so the row's request is not known: it was left out"));
}

#[test]
fn ages_under_each_period_block_by_block() {
    let csv = "Offence,2015/16 (Jul-Jun),,,2016/17,,\n,Under 10,10-17,Total,Under 10,10-17,Total\nSexual grooming,1,2,3,0,4,4\nObscene publications,2,3,5,1,1,2\nTotal,3,5,8,1,5,6\n";
    check(
        "blocks by period",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
header_rows = 2
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2015/16 \(Jul-Jun\) (Under 10|10-17)$', role = "by_header", dim = "victim_age", request = "ye-jun-2016" },
  { header = '^2015/16 \(Jul-Jun\) Total$', role = "total", request = "ye-jun-2016" },
  { header = '^2016/17 (Under 10|10-17)$', role = "by_header", dim = "victim_age", request = "fy-2016-17" },
  { header = '^2016/17 Total$', role = "total", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn rows_that_carry_counts_are_not_one_row_per_crime() {
    let csv = "Date,Offence,Number\n01/07/2015,Sexual grooming,3\n01/08/2015,Sexual grooming,2\n01/05/2016,Obscene publications,4\n";
    check(
        "counted rows",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("not one row per crime"),
    );
}

#[test]
fn row_numbers_beside_the_labels_are_not_counts() {
    let csv = "No.,Offence,Offences\n1,Sexual grooming,4\n2,Obscene publications,9\n3,Rape of a female child under 16,2\n,Total,15\n";
    check(
        "row numbers",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
request = "fy-2016-17"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Offences$', role = "value" },
]"#,
        ),
    );
}

#[test]
fn requests_down_the_side_and_ages_across() {
    let csv = "Online child sexual offences by age of victim\n\nPeriod,<10,10-12,13-15,16-17,Total\n1st July 2015 to 30th June 2016,2,5,9,3,19\n01/04/2016-31/03/2017,1,6,12,4,23\n";
    check(
        "periods down the side",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Period$'
column = [
  { header = '^Period$', role = "period" },
  { header = '^(<10|10-12|13-15|16-17)$', role = "by_header", dim = "victim_age" },
  { header = '^Total$', role = "total" },
]"#,
        ),
    );
}

#[test]
fn numbers_that_could_be_ages_under_a_header_that_does_not_say_are_refused() {
    let csv = "Ref,Date recorded,Offence,Years\nA1,03/07/2015,Sexual grooming,13\nA2,05/08/2015,Obscene publications,14\nA3,01/05/2016,Sexual grooming,12\nA4,11/11/2016,Obscene publications,15\nA5,20/01/2017,Sexual grooming,13\n";
    check(
        "ages unsaid",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("could be victim_age"),
    );
}

#[test]
fn a_last_row_that_adds_up_is_a_total_whatever_it_is_called() {
    let csv = "Offence,Jul 2015 - Jun 2016,2016/17\nSexual grooming,3,4\nObscene publications,5,9\nRape of a female child under 16,0,2\nAll reported,8,15\n";
    check(
        "unnamed total",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
total_rows = '^All reported$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Jul 2015', role = "value", request = "ye-jun-2016" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
    // One column adding up may be a coincidence: the label stays a label
    // (and, mapping to nothing, an error with the line to add).
    let csv = "Offence,2016/17\nSexual grooming,4\nObscene publications,9\nSexual communication with a child,13\n";
    let n = read(
        &config_with(
            "responses/reply.toml",
            &head(Some("kent"), &["fy-2016-17"], ""),
        ),
        csv.as_bytes(),
        &Limits::DEFAULT,
    );
    assert!(n
        .diagnostics
        .iter()
        .any(|d| matches!(&d.kind, DiagnosticKind::Unmapped { label, .. } if label == "Sexual communication with a child")));
}

#[test]
fn one_on_every_row_is_still_one_crime_a_row() {
    let csv = "Ref,Date recorded,Offence,Victim age,Number of crimes\nA1,03/07/2015,Sexual grooming,13,1\nA2,05/08/2015,Obscene publications,14,1\nA3,01/05/2016,Sexual grooming,12,1\n";
    check(
        "ones",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Ref$'
shape = "records"
column = [
  { header = '^Date recorded$', role = "date" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Victim age$', role = "label", dim = "victim_age" },
]"#,
        ),
    );
}

// ---------------------------------------------------------- the language

/// The config of one response written `toml`, or its error as shown.
fn config_error(toml: &str) -> String {
    let r = root();
    let forces = Forces::from_csv(
        "forces.csv",
        &std::fs::read_to_string(r.join("config/reference/forces.csv")).expect("forces"),
    )
    .expect("forces");
    let offences = foi_model::config::offence_categories(
        "offences.csv",
        &std::fs::read_to_string(r.join("config/reference/offences.csv")).expect("offences"),
    )
    .expect("offences");
    struct Dir(PathBuf);
    impl ConfigFiles for Dir {
        fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
            std::fs::read_to_string(self.0.join(rel))
                .map(|t| (rel.to_string(), t))
                .map_err(|e| ConfigError::file(rel.to_string(), e.to_string()))
        }
    }
    let dir = r.join("config/campaigns/nspcc-online-csa");
    let campaign = std::fs::read_to_string(dir.join("campaign.toml")).expect("campaign");
    match Config::from_texts(
        forces,
        &offences,
        ("campaign.toml", &campaign),
        &[("responses/kent.toml".to_string(), toml.to_string())],
        &Dir(dir),
    ) {
        Ok(_) => String::new(),
        Err(e) => e
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[test]
fn a_where_is_checked_on_load_with_its_line() {
    let table = |w: &str| {
        format!(
            "{}\n[[table]]\nheader = '^Ref$'\nshape = \"records\"\n{w}\ncolumn = [\n  {{ header = '^Date$', role = \"date\" }},\n]\n",
            head(Some("kent"), &["fy-2016-17"], "")
        )
    };
    assert_eq!(
        config_error(&table(
            "where = { column = '(?i)online', equals = [\"Y\"] }"
        )),
        ""
    );
    assert_eq!(
        config_error(&table("where = { column = '(?i)online', equals = [] }")),
        "responses/kent.toml:11: `where` needs the values that keep a row: equals = [\"Y\", \"Yes\"]"
    );
    let bad = config_error(&table("where = { column = '(online', equals = [\"Y\"] }"));
    assert!(
        bad.starts_with("responses/kent.toml:11: bad pattern \"(online\""),
        "{bad}"
    );
    let unknown = config_error(&table("where = { column = 'x', is = [\"Y\"] }"));
    assert!(
        unknown.starts_with("responses/kent.toml:11:") && unknown.contains("unknown field `is`"),
        "{unknown}"
    );
}

#[test]
fn a_where_reads_only_the_rows_it_keeps() {
    let toml = format!(
        "{}\n[[table]]\nheader = '^Ref$'\nshape = \"records\"\nwhere = {{ column = '(?i)^online', equals = [\"yes\"] }}\ncolumn = [\n  {{ header = '^Date$', role = \"date\" }},\n  {{ header = '^Offence$', role = \"label\", dim = \"offence\" }},\n]\n",
        head(Some("kent"), &["fy-2016-17"], "")
    );
    let csv = "Ref,Date,Offence,Online?\nA,01/05/2016,Sexual grooming,Yes\nB,02/05/2016,Sexual grooming,No\nC,03/05/2016,Sexual grooming, YES \nD,04/05/2016,Sexual grooming,\n";
    let n = read(
        &config_with("responses/kent.toml", &toml),
        csv.as_bytes(),
        &Limits::DEFAULT,
    );
    let counts: Vec<String> = n.records.iter().map(|r| r.count.text.clone()).collect();
    assert_eq!(counts, ["2 rows"], "{:?}", n.diagnostics);
    // A column `where` names that is not there is a layout error.
    let csv = "Ref,Date,Offence\nA,01/05/2016,Sexual grooming\n";
    let n = read(
        &config_with("responses/kent.toml", &toml),
        csv.as_bytes(),
        &Limits::DEFAULT,
    );
    assert!(n.records.is_empty());
    assert!(n
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Layout
            && d.message
                .starts_with("no column header matches \"(?i)^online\"")));
}

#[test]
fn a_sheet_named_with_a_space_after_is_found_by_its_trimmed_name() {
    use crate::corpus::{sheet_xml, xlsx, X};
    let s = |t: &str| X::S(t.to_string());
    let cells = vec![
        (0, 0, s("Offence")),
        (0, 1, s("2016/17")),
        (1, 0, s("Sexual grooming")),
        (1, 1, X::N(4.0)),
    ];
    let bytes = xlsx(
        &[
            ("Notes", sheet_xml(&[(0, 0, s("notes"))], None)),
            ("Table P1 ", sheet_xml(&cells, None)),
        ],
        &[],
    );
    let toml = format!(
        "{}\n[[table]]\nsheet = '^Table P1$'\nheader = '^Offence$'\ncolumn = [\n  {{ header = '^Offence$', role = \"label\", dim = \"offence\" }},\n  {{ header = '^2016/17$', role = \"value\" }},\n]\n",
        head(Some("kent"), &["fy-2016-17"], "")
    );
    let n = read(
        &config_with("responses/kent.toml", &toml),
        &bytes,
        &Limits::DEFAULT,
    );
    assert_eq!(n.records.len(), 1, "{:?}", n.diagnostics);
    // Detection names it the same way, and reads it.
    check(
        "trailing space",
        &head(Some("kent"), &["fy-2016-17"], ""),
        &bytes,
        Want::Same(
            r#"[[table]]
sheet = '^Table P1$'
header = '^Offence$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

#[test]
fn tables_side_by_side_are_refused() {
    let csv = "Offence,2016/17,,Victim age,2016/17\nSexual grooming,4,,Under 10,1\nObscene publications,9,,10-17,12\nTotal,13,,Total,13\n";
    check(
        "side by side",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("side by side"),
    );
}

#[test]
fn a_table_that_counts_something_else_is_refused() {
    // Offences across, but its total column counts arrests.
    let csv = "Offence group by force\n\nForce,Total number of arrests,Sexual grooming,Obscene publications\nKent Police,40,10,30\nEssex Police,25,5,20\n";
    check(
        "arrests by offence",
        &head(None, &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("counts something else than offences"),
    );
    // A title that says what it counts.
    let csv = "Number of victims of online offences, 2016/17\n\nOffence,Count\nSexual grooming,4\nObscene publications,9\n";
    check(
        "victims",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("its title counts victims"),
    );
}

/// Ages as numbers down the side, one of them with every figure blank (a
/// pivot leaves zeros empty), then "Not known" and the total row: the
/// blank row is a row of the table, and the rows after it are read.
#[test]
fn an_age_with_every_figure_blank_does_not_end_the_table() {
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nAge of victim,Sexual grooming,Obscene publications,Total\nUnder 10,1,2,3\n13,3,4,7\n14,5,,5\n15,,,\nNot known,2,1,3\nAll ages,11,7,18\n";
    check(
        "blank age row",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Age of victim$'
total_rows = '^All ages$'
column = [
  { header = '^Age of victim$', role = "label", dim = "victim_age" },
  { header = '^Total$', role = "total" },
  { header = '.', role = "by_header", dim = "offence" },
]"#,
        ),
    );
}

/// One row per crime, but the crime references repeat: a pivot's source
/// built from two extracts lists the crimes both cover twice. Counting the
/// rows would count those twice: refused.
#[test]
fn crime_references_that_repeat_are_refused() {
    let mut csv = String::from("Crime Reference,Recorded,Offence\n");
    for i in 0..12 {
        csv += &format!("CR/{:05},{:02}/05/2016,Sexual grooming\n", 100 + i, i + 1);
    }
    // The same three crimes again, from the second extract.
    for i in 0..3 {
        csv += &format!("CR/{:05},{:02}/05/2016,Sexual grooming\n", 100 + i, i + 1);
    }
    check(
        "repeated references",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("looks like crime references, and 3 of them repeat"),
    );
}

/// One row per crime with a column naming the request each row belongs
/// to: the rows may be grouped by request (a crime in two overlapping
/// requests listed under each), which counting by date cannot tell:
/// refused.
#[test]
fn a_column_naming_the_requests_is_refused() {
    let mut csv = String::from("Recorded,Offence,Period\n");
    for i in 0..8 {
        csv += &format!(
            "{:02}/05/2016,Sexual grooming,1 April 2016 to 31 March 2017\n",
            i + 1
        );
    }
    check(
        "period column",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("names periods"),
    );
}

/// Figures just under a table in its columns that detection did not take
/// as part of it: the table may be cut short, so nothing is read.
#[test]
fn figures_passed_over_just_below_a_table_are_refused() {
    // Ages as numbers, then a row the campaign cannot read ending the table
    // as detection sees it, then "Not known" and the total row.
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nAge of victim,Sexual grooming,Obscene publications,Total\n10,1,2,3\n13,3,4,7\n14,5,,5\n15,2,1,3\nNone below 16,,,\nNot known,2,1,3\nAll ages,13,8,21\n";
    check(
        "figures below",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("hold figures in its columns but were not read"),
    );
}

/// A total row whose figures happen to rise (22, 25, 52 beside a "≤5") is
/// still the table's total, not a header of ages across: it is read and
/// checked, and the "≤5" cells are narrowed by it.
#[test]
fn a_total_row_whose_figures_rise_is_no_header() {
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nOffence,Under 13,13-15,Total\nSexual grooming,≤5,7,12\nObscene publications,17,18,35\nTotal,22,25,47\n\n≤5 = between 1 and 5 offences\n";
    check(
        "rising total",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
stop = '^≤5 ='
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Total$', role = "total" },
  { header = '^(Under 13|13-15)$', role = "by_header", dim = "victim_age" },
]"#,
        ),
    );
}

/// "2015/16*" with "* … 1 July 2015 to 30 June 2016" under the table is
/// the twelve months to June 2016, as the note says, not the financial
/// year the header alone names.
#[test]
fn a_footnote_says_what_period_a_column_is() {
    let csv = "Offence,2015/16*,2016/17\nSexual grooming,4,6\nObscene publications,9,11\nTotal,13,17\n\n* 2015/16 here covers 1 July 2015 to 30 June 2016, the twelve months you asked for.\n2016/17 is the financial year.\n";
    check(
        "footnoted period",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2015/16\*$', role = "value", request = "ye-jun-2016" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]"#,
        ),
    );
}

/// "2015/16" with no note is the financial year: beside "2016/17" it
/// leaves the twelve months to June 2016 unanswered, which a force that
/// answered for the financial year instead and one that did not answer
/// look the same in. Refused, never read as "no figures".
#[test]
fn a_request_left_unanswered_beside_another_period_is_refused() {
    let csv = "Offence,2015/16,2016/17\nSexual grooming,4,6\nObscene publications,9,11\nTotal,13,17\n\nFigures are by financial year.\n";
    check(
        "other period beside",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("no table or column answers request ye-jun-2016"),
    );
}

/// Home Office codes across, some of them bare numbers ("21", "86") that
/// could as well be ages: the table's other headers are offences, so these
/// are too, and the Total adds up.
#[test]
fn bare_number_codes_across_are_offences_beside_other_codes() {
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nVictim age,19D,19E,21,86,Total\nUnder 10,1,0,2,0,3\n10-12,0,1,1,1,3\nAll ages,1,1,3,1,6\n";
    check(
        "bare codes across",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Victim age$'
total_rows = '^All ages$'
column = [
  { header = '^Victim age$', role = "label", dim = "victim_age" },
  { header = '^(19D|19E|21|86)$', role = "by_header", dim = "offence" },
  { header = '^Total$', role = "total" },
]"#,
        ),
    );
}

/// An Excel pivot table pasted as values, in compact form: each group's
/// heading carries its subtotal above its offences, "(blank)" rows for an
/// empty field, "Grand Total", and the count headed "Count of Crime
/// Reference". The subtotals are checked and left out; the offences read.
#[test]
fn a_pivot_in_compact_form_reads_its_offences_not_its_group_subtotals() {
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nRow Labels,Count of Crime Reference\nRape of a child,5\nRape of a Female Child under 16,3\nRape of a Female Child under 13,2\nOther child sexual offences,13\nSexual grooming,4\nObscene publications,9\n(blank),\n(blank),\nGrand Total,18\n";
    check(
        "pivot compact",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Row Labels$'
total_rows = '^Grand Total$'
skip_rows = '^(Rape of a child|Other child sexual offences|\(blank\))$'
column = [
  { header = '^Row Labels$', role = "label", dim = "offence" },
  { header = '^Count of Crime Reference$', role = "value" },
]"#,
        ),
    );
    // A heading whose figure is not its rows' sum is no subtotal: the
    // label maps to nothing, and the reply is not read as if it were.
    let wrong = csv.replace("Rape of a child,5", "Rape of a child,6");
    let detected = config_with(
        "responses/reply.toml",
        &head(Some("kent"), &["fy-2016-17"], ""),
    );
    let got = read(&detected, wrong.as_bytes(), &Limits::DEFAULT);
    assert!(got.records.is_empty(), "{:#?}", records(&got));
}

/// A Welsh force's bilingual headers: "Nifer / Number" is a count, and
/// "Cyfanswm / Total" its total.
#[test]
fn welsh_and_english_headers_are_read() {
    let csv = "Troseddau a gofnodwyd 1 April 2016 to 31 March 2017\n\nMath o drosedd / Offence type,Nifer / Number\nSexual grooming,4\nObscene publications,9\nCyfanswm / Total,13\n";
    check(
        "bilingual",
        &head(Some("north-wales"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Math o drosedd / Offence type$'
total_rows = '^Cyfanswm / Total$'
column = [
  { header = '^Math o drosedd / Offence type$', role = "label", dim = "offence" },
  { header = '^Nifer / Number$', role = "value" },
]"#,
        ),
    );
}

/// A letter quoting the request back, question by question, then a table
/// under each question's heading: each table is its nearest heading's
/// request, whatever the letter above says of the others.
#[test]
fn a_letter_quoting_the_request_reads_each_table_by_its_nearest_heading() {
    let csv = "Anytown Police\n\nYou asked:\n\"1. How many offences were recorded in the 12 months to 30 June 2016?\"\n\"2. How many offences were recorded in 2016/17 (1 April 2016 to 31 March 2017)?\"\n\nQuestion 1 - offences recorded 1 July 2015 to 30 June 2016:\n\nOffence,Crimes\nSexual grooming,4\nObscene publications,9\nTotal,13\n\nQuestion 2 - offences recorded 1 April 2016 to 31 March 2017:\n\nOffence,Crimes\nSexual grooming,6\nObscene publications,11\nTotal,17\n\nYours faithfully,\n";
    check(
        "letter",
        &head(Some("kent"), &["ye-jun-2016", "fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Same(
            r#"[[table]]
header = '^Offence$'
request = "ye-jun-2016"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Crimes$', role = "value" },
]

[[table]]
header = '^Offence$'
occurrence = 2
request = "fy-2016-17"
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Crimes$', role = "value" },
]"#,
        ),
    );
}

/// Figures a note says are rounded would be published as exact counts.
#[test]
fn a_table_whose_note_says_it_is_rounded_is_refused() {
    let csv = "Offences recorded 1 April 2016 to 31 March 2017\n\nOffence,Offences\nSexual grooming,5\nObscene publications,10\nTotal,15\n\nAll figures have been rounded to the nearest 5.\n";
    check(
        "rounded",
        &head(Some("kent"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("a note says its figures are rounded"),
    );
}

/// A reply whose title names a neighbouring force holds that force's
/// figures: read as this force's, every one would be wrong.
#[test]
fn a_reply_titled_with_another_forces_name_is_refused() {
    let csv = "Durham Constabulary - Freedom of Information Request 412/17\nOffences recorded 1 April 2016 to 31 March 2017\n\nOffence,Offences\nSexual grooming,4\nObscene publications,9\nTotal,13\n";
    check(
        "neighbour",
        &head(Some("cleveland"), &["fy-2016-17"], ""),
        csv.as_bytes(),
        Want::Refused("names Durham Constabulary, not cleveland"),
    );
    // Its own name: read.
    let own = csv.replace("Durham Constabulary", "Cleveland Police");
    let detected = config_with(
        "responses/reply.toml",
        &head(Some("cleveland"), &["fy-2016-17"], ""),
    );
    assert_eq!(
        read(&detected, own.as_bytes(), &Limits::DEFAULT)
            .records
            .len(),
        3
    );
}
