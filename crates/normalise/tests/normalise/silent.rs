//! Never silently wrong: each case of issue 14 that normalise owns, on the
//! real files in fixtures/silent/ (its README says what each shows). A
//! partial period, GSS symbols, a name both a force and a region go by, a
//! figure given twice, a missing group line, ods cells without a value
//! type, and a header that matches nothing.

use crate::*;
use foi_model::{DiagnosticKind, Severity};
use foi_normalise::Normalised;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/silent").join(name)).expect("fixture")
}

/// A file of the campaign folder, and how to change its text.
type Patch<'a> = (&'a str, fn(&str) -> String);

/// A campaign folder's files, optionally with one file's text changed.
struct Dir<'a> {
    dir: PathBuf,
    shown: String,
    patch: Option<Patch<'a>>,
}

impl ConfigFiles for Dir<'_> {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        let shown = format!("{}/{rel}", self.shown);
        let text = std::fs::read_to_string(self.dir.join(rel))
            .map_err(|e| ConfigError::file(shown.clone(), e.to_string()))?;
        Ok(match &self.patch {
            Some((file, f)) if *file == rel => (shown, f(&text)),
            _ => (shown, text),
        })
    }
}

/// A bundled campaign's config with one response, written as `toml`.
fn campaign(id: &str, toml: &str, patch: Option<Patch<'_>>) -> Config {
    campaign_as(id, |t| t.to_string(), toml, patch)
}

/// [`campaign`], its campaign.toml changed by `edit`.
fn campaign_as(
    id: &str,
    edit: impl Fn(&str) -> String,
    toml: &str,
    patch: Option<Patch<'_>>,
) -> Config {
    let r = root();
    let forces = Forces::from_csv(
        "forces.csv",
        &std::fs::read_to_string(r.join("config/reference/forces.csv")).expect("forces"),
    )
    .expect("forces")
    .with_areas(
        foi_model::Areas::from_csv(
            "areas.csv",
            &std::fs::read_to_string(r.join("config/reference/areas.csv")).expect("areas"),
        )
        .expect("areas"),
    );
    let offences = foi_model::config::offence_categories(
        "offences.csv",
        &std::fs::read_to_string(r.join("config/reference/offences.csv")).expect("offences"),
    )
    .expect("offences");
    let dir = r.join("config/campaigns").join(id);
    let text = edit(&std::fs::read_to_string(dir.join("campaign.toml")).expect("campaign"));
    Config::from_texts(
        forces,
        &offences,
        ("campaign.toml", &text),
        &[("responses/test.toml".to_string(), toml.to_string())],
        &Dir {
            dir,
            shown: format!("config/campaigns/{id}"),
            patch,
        },
    )
    .unwrap_or_else(|e| panic!("config: {e:?}"))
}

fn run(config: &Config, bytes: &[u8]) -> Normalised {
    read(config, bytes, &Limits::DEFAULT)
}

/// (severity, kind, force, request, message) of each diagnostic.
fn said(n: &Normalised) -> Vec<(Severity, String, String, String, String)> {
    n.diagnostics
        .iter()
        .map(|d| {
            (
                d.severity,
                d.kind.code().to_string(),
                d.force.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
                d.request.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

/// Each record as "force request dims = lo..hi".
fn figures(n: &Normalised) -> Vec<String> {
    n.records
        .iter()
        .map(|r| {
            format!(
                "{} {} {} = {}",
                r.force,
                r.request,
                r.dims
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
                r.count.interval
            )
        })
        .collect()
}

// ------------------------------------------------------------ periods

const RECORDS: &str = r#"force = "cumbria"
requests = ["ye-jun-2016", "fy-2016-17"]
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
"#;

#[test]
fn counted_rows_that_stop_short_of_the_period_are_partial() {
    let config = campaign("nspcc-online-csa", RECORDS, None);
    let n = run(&config, &fixture("cumbria-records-jan-jun-2016.csv"));
    // Every row is counted into the twelve months to June 2016 (136), and
    // those from April into 2016/17: none is lost, and none passes as whole.
    let total = |req: &str| -> u64 {
        n.records
            .iter()
            .filter(|r| r.request == req)
            .map(|r| r.count.interval.lo)
            .sum()
    };
    assert_eq!(total("ye-jun-2016"), 136);
    let covered = |req: &str| -> Vec<String> {
        let mut c: Vec<String> = n
            .records
            .iter()
            .filter(|r| r.request == req)
            .map(|r| r.covered.map(|c| c.to_string()).unwrap_or_default())
            .collect();
        c.dedup();
        c
    };
    assert_eq!(covered("ye-jun-2016"), ["2016-01-04 to 2016-06-27"]);
    assert_eq!(covered("fy-2016-17"), ["2016-04-02 to 2016-06-27"]);
    let partial: Vec<_> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "partial_period")
        .collect();
    assert_eq!(partial.len(), 2, "{partial:#?}");
    assert_eq!(
        partial[0],
        (
            Severity::Warning,
            "partial_period".into(),
            "cumbria".into(),
            "ye-jun-2016".into(),
            "the rows counted into request ye-jun-2016 (2015-07-01 to 2016-06-30) are dated 2016-01-04 to 2016-06-27 only, 187 days after its start (more than the 31 days allowed, [coverage] gap_days): cumbria's figures for it are partial".into()
        )
    );
    assert_eq!(partial[1].3, "fy-2016-17");
    assert!(
        partial[1]
            .4
            .contains("are dated 2016-04-02 to 2016-06-27 only, 277 days before its end"),
        "{}",
        partial[1].4
    );
}

#[test]
fn a_request_with_no_dated_row_in_its_period_says_so() {
    let config = campaign("nspcc-online-csa", RECORDS, None);
    let csv = "Crime Reference,Date Recorded,Offence,Victim Age\n\
               A1,05/01/2015,Sexual grooming,13\n\
               A2,20/03/2015,Sexual grooming,14\n";
    let n = run(&config, csv.as_bytes());
    assert!(n.records.is_empty());
    let partial: Vec<_> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "partial_period")
        .map(|d| (d.2, d.3, d.4))
        .collect();
    assert_eq!(
        partial,
        [
            (
                "cumbria".to_string(),
                "ye-jun-2016".to_string(),
                "none of cumbria's 2 dated rows falls in request ye-jun-2016 (2015-07-01 to 2016-06-30); they are dated 2015-01-05 to 2015-03-20: nothing was counted for it".to_string()
            ),
            (
                "cumbria".to_string(),
                "fy-2016-17".to_string(),
                "none of cumbria's 2 dated rows falls in request fy-2016-17 (2016-04-01 to 2017-03-31); they are dated 2015-01-05 to 2015-03-20: nothing was counted for it".to_string()
            ),
        ]
    );
}

#[test]
fn coverage_is_each_forces_own_in_a_national_table_of_rows() {
    let toml = r#"requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "national.csv" }

[[table]]
header = '^Force$'
shape = "records"
column = [
  { header = '^Force$', role = "force" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Date$', role = "date" },
]
"#;
    let config = campaign("nspcc-online-csa", toml, None);
    // Kent's rows span the year; Sussex's stop at the end of June.
    let csv = "Force,Offence,Date
               Kent,Sexual grooming,2016-04-12
               Sussex,Sexual grooming,2016-04-02
               Kent,Sexual grooming,2016-09-30
               Sussex,Sexual grooming,2016-06-30
               Kent,Sexual grooming,2017-03-20
";
    let n = run(&config, csv.as_bytes());
    let covered: Vec<(String, Option<String>)> = n
        .records
        .iter()
        .map(|r| (r.force.0.clone(), r.covered.map(|c| c.to_string())))
        .collect();
    assert_eq!(
        covered,
        [
            ("kent".to_string(), None),
            (
                "sussex".to_string(),
                Some("2016-04-02 to 2016-06-30".to_string())
            )
        ]
    );
    let partial: Vec<_> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "partial_period")
        .map(|d| (d.2, d.3))
        .collect();
    assert_eq!(partial, [("sussex".to_string(), "fy-2016-17".to_string())]);
}

#[test]
fn monthly_columns_that_cover_part_of_a_request_are_partial_by_the_same_rule() {
    let toml = r#"force = "staffordshire"
requests = ["ye-jun-2016", "fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/silent/monthly-jul-dec-2015.csv" }

[[table]]
header = '^Offence$'
total_rows = '^Total$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^[A-Z][a-z]{2}-\d\d$', role = "month" },
  { header = '^Total$', role = "ignore" },
]
"#;
    let config = campaign("nspcc-online-csa", toml, None);
    let n = run(&config, &fixture("monthly-jul-dec-2015.csv"));
    // July to December 2015: half of the twelve months to June 2016, added
    // up and marked partial; none of 2016/17.
    assert_eq!(
        figures(&n),
        [
            "staffordshire ye-jun-2016 offence=22B,offence_group=sexual_activity_child,online_method=cyber_flag = 26",
            "staffordshire ye-jun-2016 offence=86,offence_group=indecent_images,online_method=cyber_flag = 22",
            "staffordshire ye-jun-2016 offence=88A,offence_group=grooming,online_method=cyber_flag = 18",
            "staffordshire ye-jun-2016 online_method=cyber_flag = 66",
        ]
    );
    assert!(n
        .records
        .iter()
        .all(|r| r.covered.map(|c| c.to_string()).as_deref() == Some("2015-07-01 to 2015-12-31")));
    let partial: Vec<_> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "partial_period")
        .map(|d| (d.3, d.4))
        .collect();
    assert_eq!(
        partial,
        [
            (
                "ye-jun-2016".to_string(),
                "the monthly columns cover only part of request ye-jun-2016 (2015-07-01 to 2016-06-30): 6 of its 12 months, missing 2016-01, 2016-02, 2016-03, 2016-04, 2016-05, 2016-06; staffordshire's figures for it are partial".to_string()
            ),
            (
                "fy-2016-17".to_string(),
                "the monthly columns hold no month of request fy-2016-17 (2016-04-01 to 2017-03-31); nothing was read for it from this table".to_string()
            ),
        ]
    );
}

// ------------------------------------------------------------ symbols

/// A national table of the ONS campaign (no markers file), its force
/// column by name.
fn national(source: &str, rule: Option<&str>) -> String {
    format!(
        r#"requests = ["ye-mar-2018"]
status = "answered"
source = {{ path = "fixtures/silent/{source}" }}

[[table]]
header = '(?i)^area name$'
stop = '(?i)^source:'
aggregate_rows = '(?i)^england and wales$'
{}

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
"#,
        rule.map(|r| format!("ambiguous_names = \"{r}\""))
            .unwrap_or_default()
    )
}

#[test]
fn gss_symbols_are_read_without_a_markers_file() {
    let config = campaign(
        "ons-prc-ye-mar2018",
        &national("national-gss-symbols.csv", Some("force")),
        None,
    );
    assert!(config.campaign.markers.is_none(), "no markers file");
    let n = run(&config, &fixture("national-gss-symbols.csv"));
    assert_eq!(
        figures(&n),
        [
            "dorset ye-mar-2018  = 5678",
            "dorset ye-mar-2018 offence_group=drug_offences = 321",
            "dorset ye-mar-2018 offence_group=robbery = 89",
            "kent ye-mar-2018  = 12345",
            "kent ye-mar-2018 offence_group=drug_offences = 1234",
            // [c]: confidential, suppressed below the threshold.
            "kent ye-mar-2018 offence_group=robbery = 0 to 4",
            "kent ye-mar-2018 offence_group=sexual_offences = 456",
            // "-": nil.
            "sussex ye-mar-2018 offence_group=drug_offences = 0",
            // "12 [u]": kept, and said.
            "sussex ye-mar-2018 offence_group=robbery = 12",
            // [low]: not zero, and small.
            "sussex ye-mar-2018 offence_group=sexual_offences = 1 to 4",
            // ambiguous_names = "force": the table lists no region.
            "west-midlands ye-mar-2018  = 6546",
            "west-midlands ye-mar-2018 offence_group=drug_offences = 400",
            "west-midlands ye-mar-2018 offence_group=robbery = 250",
            "west-midlands ye-mar-2018 offence_group=sexual_offences = 350",
        ]
    );
    let d = said(&n);
    assert!(!d.iter().any(|d| d.1 == "not_a_count"), "{d:#?}");
    let marks: Vec<(Severity, String, String, String)> = d
        .into_iter()
        .filter(|d| d.1 == "not_available" || d.1 == "other")
        .map(|d| (d.0, d.2, d.3, d.4))
        .collect();
    let w = |force: &str, msg: &str| {
        (
            Severity::Warning,
            force.to_string(),
            "ye-mar-2018".to_string(),
            msg.to_string(),
        )
    };
    assert_eq!(
        marks,
        [
            // A row of "..": one warning for the force and request.
            w("surrey", "\"..\" means not available: the source gives no figure here, so none was added (and 3 more cells)"),
            w("sussex", "\"[x]\" means not available: the source gives no figure here, so none was added"),
            (
                Severity::Note,
                "sussex".to_string(),
                "ye-mar-2018".to_string(),
                "\"12 [u]\": the source marks this figure as of low reliability; it was read as 12".to_string()
            ),
            w("dorset", "\"[z]\" means not applicable: the source gives no figure here, so none was added"),
        ]
    );
}

#[test]
fn manual_entries_say_what_is_wrong_in_words() {
    let toml = r#"force = "durham"
requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/nspcc/durham/FOI 0412-17 letter.pdf" }

[[manual]]
request = "fy-2016-17"
page = 2
count = ".."
dims = { offence = "Sexual grooming" }

[[manual]]
request = "fy-2016-17"
page = 2
count = "twelve"
dims = { offence = "Obscene publications" }

[[manual]]
request = "fy-2016-17"
page = 2
count = "-"
dims = { offence = "Sexual activity with a child under 16" }
"#;
    let config = campaign("nspcc-online-csa", toml, None);
    let n = run(&config, b"");
    assert_eq!(
        figures(&n),
        ["durham fy-2016-17 offence=22B,offence_group=sexual_activity_child,online_method=cyber_flag = 0"]
    );
    let d: Vec<String> = said(&n).into_iter().map(|d| d.4).collect();
    assert_eq!(
        d,
        [
            "manual entry, page 2 (responses/test.toml:7): \"..\" means not available: no figure, so none was added",
            "manual entry, page 2 (responses/test.toml:13): \"twelve\" is not a count",
        ]
    );
}

// ------------------------------------------------------------ names

#[test]
fn a_name_a_force_and_a_region_share_is_never_read_by_the_order_of_rows() {
    let config = campaign(
        "ons-prc-ye-mar2018",
        &national("national-names-only.csv", None),
        None,
    );
    let n = run(&config, &fixture("national-names-only.csv"));
    // West Midlands: both rows could be the force or the region, so none
    // of its figures is read. The other forces are, and the regions are
    // left out by name.
    let forces: std::collections::BTreeSet<String> =
        n.records.iter().map(|r| r.force.0.clone()).collect();
    assert_eq!(
        forces.into_iter().collect::<Vec<_>>(),
        [
            "derbyshire",
            "leicestershire",
            "lincolnshire",
            "northamptonshire",
            "nottinghamshire",
            "staffordshire",
            "warwickshire",
            "west-mercia"
        ]
    );
    let total: u64 = n
        .records
        .iter()
        .filter(|r| r.dims.is_empty())
        .map(|r| r.count.interval.lo)
        .sum();
    assert_eq!(total, 12_308, "the national figure without West Midlands");
    let d = said(&n);
    let errors: Vec<_> = d.iter().filter(|d| d.0 == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{d:#?}");
    assert_eq!(
        (
            errors[0].1.as_str(),
            errors[0].2.as_str(),
            errors[0].3.as_str()
        ),
        ("conflict", "west-midlands", "ye-mar-2018")
    );
    assert_eq!(
        errors[0].4,
        "the row \"West Midlands\" (line 11, field 1) may be the force west-midlands or the English region West Midlands (E12000005), and nothing in the row says which; the row \"West Midlands\" (line 15, field 1) may be the force west-midlands or the English region West Midlands (E12000005), and nothing in the row says which; foi cannot tell which is right, so none of west-midlands's figures for request ye-mar-2018 were added"
    );
    assert!(d.iter().any(|d| d.4
        == "row \"East Midlands\" is the English region East Midlands (E12000004), not a force, and was left out"));
    // The table's own England and Wales row is still checked against.
    assert_eq!(n.aggregates.len(), 3);

    // Said to be the region: both rows are left out, without an error.
    let area = campaign(
        "ons-prc-ye-mar2018",
        &national("national-names-only.csv", Some("area")),
        None,
    );
    let n = run(&area, &fixture("national-names-only.csv"));
    assert!(!n.records.iter().any(|r| r.force.0 == "west-midlands"));
    assert!(!n.has_errors(), "{:#?}", said(&n));

    // Said to be the force: two values for one figure, refused with both.
    let force = campaign(
        "ons-prc-ye-mar2018",
        &national("national-names-only.csv", Some("force")),
        None,
    );
    let n = run(&force, &fixture("national-names-only.csv"));
    assert!(!n.records.iter().any(|r| r.force.0 == "west-midlands"));
    let conflict: Vec<_> = said(&n).into_iter().filter(|d| d.1 == "conflict").collect();
    assert_eq!(conflict.len(), 1);
    assert!(
        conflict[0].4.starts_with("the figure for request ye-mar-2018 (total) is given as 11,254 at line 11, field 2 and as 6,546 at line 15, field 2; "),
        "{}",
        conflict[0].4
    );
}

#[test]
fn a_code_in_the_row_decides_what_a_shared_name_means() {
    let toml = r#"requests = ["ye-mar-2018"]
status = "answered"
source = { path = "national.csv" }

[[table]]
header = '^Name$'
[[table.column]]
header = '^Name$'
role = "force"
[[table.column]]
header = '^Code$'
role = "force"
[[table.column]]
header = '^Total$'
role = "total"
"#;
    let config = campaign("ons-prc-ye-mar2018", toml, None);
    let csv = "Name,Code,Total\nWest Midlands,E12000005,11254\nWest Midlands,E23000014,6546\n";
    let n = run(&config, csv.as_bytes());
    assert_eq!(figures(&n), ["west-midlands ye-mar-2018  = 6546"]);
    assert!(!n.has_errors(), "{:#?}", said(&n));
}

#[test]
fn one_figure_given_twice_is_read_once_and_two_values_are_refused() {
    let config = campaign(
        "ons-prc-ye-mar2018",
        &national("national-repeats.csv", None),
        None,
    );
    let n = run(&config, &fixture("national-repeats.csv"));
    assert_eq!(
        figures(&n),
        ["kent ye-mar-2018  = 1000", "surrey ye-mar-2018  = 3000"]
    );
    let d = said(&n);
    assert_eq!(
        d,
        [
            (
                Severity::Error,
                "conflict".into(),
                "essex".into(),
                "ye-mar-2018".into(),
                "the figure for request ye-mar-2018 (total) is given as 2,000 at line 2, field 2 and as 2,100 at line 6, field 2; foi cannot tell which is right, so none of essex's figures for request ye-mar-2018 were added".into()
            ),
            (
                Severity::Note,
                "other".into(),
                "kent".into(),
                "ye-mar-2018".into(),
                "the figure for request ye-mar-2018 (total) is given twice with the same value, 1,000, at line 3, field 2 and line 5, field 2; it was read once".into()
            ),
        ]
    );
}

// ------------------------------------------------------------ one report per cause

#[test]
fn a_missing_group_line_is_one_error_and_no_echo() {
    // South Yorkshire: offences by age, with a totals row and column, so
    // the rows the missing line leaves out would make every total disagree.
    let toml = std::fs::read_to_string(
        root().join("config/campaigns/nspcc-online-csa/responses/south-yorkshire.toml"),
    )
    .expect("response");
    let without_23: fn(&str) -> String = |t| {
        t.lines()
            .filter(|l| !l.starts_with("23,"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let config = campaign(
        "nspcc-online-csa",
        &toml,
        Some(("crosswalks/offence_groups.csv", without_23)),
    );
    let bytes = std::fs::read(root().join("fixtures/nspcc/south-yorkshire/SYP FOI 0412-17.xlsx"))
        .expect("fixture");
    let n = run(&config, &bytes);
    let d = said(&n);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        n.diagnostics[0].kind,
        DiagnosticKind::Unmapped {
            dim: foi_model::DimId::new("offence_group"),
            label: "23".into()
        }
    );
    assert!(
        d[0].4
            .starts_with("offence 23 belongs to no offence_group: 20 figures (20 source cells: "),
        "{}",
        d[0].4
    );
    assert_eq!(d[0].2, "south-yorkshire");
    // Its figures are left out, as an unmapped row's are.
    assert!(!n
        .records
        .iter()
        .any(|r| r.dims.get(&foi_model::DimId::new("offence"))
            == Some(&foi_model::DimValue::Code("23".into()))));
}

#[test]
fn an_unmapped_label_in_a_national_table_names_each_force_it_shortens() {
    let toml = r#"requests = ["ye-mar-2018"]
status = "answered"
source = { path = "national.csv" }

[[table]]
header = '^Area$'
[[table.column]]
header = '^Area$'
role = "force"
[[table.column]]
header = '^Group$'
role = "label"
dim = "offence_group"
[[table.column]]
header = '^Offences$'
role = "value"
"#;
    let config = campaign("ons-prc-ye-mar2018", toml, None);
    let csv = "Area,Group,Offences
               Kent,Robbery,10
               Kent,Made-up group,3
               Kent,Made-up group,4
               Sussex,Robbery,20
               Sussex,Made-up group,5
";
    let n = run(&config, csv.as_bytes());
    let unmapped: Vec<(String, String)> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "unmapped")
        .map(|d| (d.2, d.4))
        .collect();
    // Each force whose rows were left out is named, so each is flagged as
    // short when the rest is published: one error per force, not per cell.
    assert_eq!(
        unmapped,
        [
            (
                "kent".to_string(),
                "unmapped offence_group label \"Made-up group\" (and 1 more cell)".to_string()
            ),
            (
                "sussex".to_string(),
                "unmapped offence_group label \"Made-up group\"".to_string()
            ),
        ]
    );
}

// ------------------------------------------------------------ readers

fn surrey_table(header: &str) -> String {
    format!(
        r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = {{ online_method = "cyber_flag" }}
source = {{ path = "fixtures/silent/untyped-cells.ods" }}

[[table]]
header = '{header}'
request = "fy-2016-17"
column = [
  {{ header = '^Offence$', role = "label", dim = "offence" }},
  {{ header = '^Offences$', role = "value" }},
]
"#
    )
}

#[test]
fn ods_cells_without_a_value_type_read_as_their_text() {
    let config = campaign("nspcc-online-csa", &surrey_table("^Offence$"), None);
    let n = run(&config, &fixture("untyped-cells.ods"));
    assert_eq!(
        figures(&n),
        [
            "surrey fy-2016-17 offence=19E,offence_group=rape_child_u13,online_method=cyber_flag = 0 to 4",
            "surrey fy-2016-17 offence=22B,offence_group=sexual_activity_child,online_method=cyber_flag = 7",
            "surrey fy-2016-17 offence=86,offence_group=indecent_images,online_method=cyber_flag = 30",
            // The note on the cell ("checked 99 times") is not its text.
            "surrey fy-2016-17 offence=88A,offence_group=grooming,online_method=cyber_flag = 12",
        ]
    );
    assert!(n.diagnostics.is_empty(), "{:#?}", said(&n));
}

#[test]
fn a_header_that_matches_nothing_shows_what_the_sheet_holds() {
    let config = campaign("nspcc-online-csa", &surrey_table("^URN$"), None);
    let n = run(&config, &fixture("untyped-cells.ods"));
    let d = &n.diagnostics[0];
    assert_eq!(
        d.message,
        "no header row matching \"^URN$\" (occurrence 1) on this sheet; the first non-empty rows foi read: row 1: \"Surrey Police: FOI 2017/0412, offences recorded in 2016/17\" | row 3: \"Offence\", \"Offences\" | row 4: \"Sexual grooming\", \"12\" | row 5: \"Take, make & distribute indecent photographs of children\", \"30\" | row 6: \"Sexual activity with a child under 16\", \"7\""
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("check the table's `header` pattern against these rows")
    );
    let n = run(&config, &fixture("empty-sheet.ods"));
    assert_eq!(
        n.diagnostics[0].message,
        "no header row matching \"^URN$\" (occurrence 1) on this sheet: foi read no cells at all on it"
    );
}

// ------------------------------------------------------------ issue 18

/// Top-level keys go before the first table of a campaign.toml.
fn with_top(text: &str, lines: &str) -> String {
    let at = text.find("\n[").unwrap_or(text.len());
    format!("{}\n{lines}\n{}", &text[..at], &text[at..])
}

#[test]
fn a_name_written_twice_is_the_area_then_the_force_when_the_table_says_so() {
    let config = campaign(
        "ons-prc-ye-mar2018",
        &national("national-names-only.csv", Some("area_then_force")),
        None,
    );
    let n = run(&config, &fixture("national-names-only.csv"));
    assert!(!n.has_errors(), "{:#?}", said(&n));
    let wm: Vec<String> = figures(&n)
        .into_iter()
        // Its total: the force's row, not the region's.
        .filter(|f| f.starts_with("west-midlands ye-mar-2018  ="))
        .collect();
    assert_eq!(wm, ["west-midlands ye-mar-2018  = 6546"]);
    assert!(said(&n).iter().any(|d| d.4
        == "row \"West Midlands\" is the English region West Midlands (E12000005), not a force, and was left out"));
    // Written once, the name still decides nothing: refused.
    let once: String = String::from_utf8(fixture("national-names-only.csv"))
        .expect("utf-8")
        .lines()
        .filter(|l| !l.starts_with("West Midlands ,"))
        .collect::<Vec<_>>()
        .join("\n");
    let n = run(&config, once.as_bytes());
    let conflicts: Vec<_> = said(&n).into_iter().filter(|d| d.1 == "conflict").collect();
    assert_eq!(conflicts.len(), 1, "{:#?}", said(&n));
    assert!(!figures(&n).iter().any(|f| f.starts_with("west-midlands ")));
}

#[test]
fn rows_of_forces_the_campaign_did_not_ask_are_left_out() {
    let config = campaign_as(
        "ons-prc-ye-mar2018",
        |t| with_top(t, "forces = [\"Derbyshire\", \"Leicestershire\"]"),
        &national("national-names-only.csv", Some("area_then_force")),
        None,
    );
    let n = run(&config, &fixture("national-names-only.csv"));
    let forces: std::collections::BTreeSet<String> =
        n.records.iter().map(|r| r.force.0.clone()).collect();
    assert_eq!(
        forces.into_iter().collect::<Vec<_>>(),
        ["derbyshire", "leicestershire"]
    );
    assert!(said(&n).iter().any(|d| d.0 == Severity::Note
        && d.4 == "row for staffordshire, which campaign ons-prc-ye-mar2018 did not ask (`forces` in campaign.toml), was left out"));
    assert!(!n.has_errors(), "{:#?}", said(&n));
}

/// Durham's letter, as a grid: the figures of the table on page 2.
const DURHAM_GRID: &str = r#"force = "durham"
requests = ["ye-jun-2016", "fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "fixtures/nspcc/durham/FOI 0412-17 letter.pdf" }

[[manual_table]]
page = 2
dims = ["offence"]
columns = ["ye-jun-2016", "fy-2016-17"]
rows = [
  ["Sexual assault on a male child under 13", "1", "0"],
  ["Rape of a female child under 16", "2", 1],
  ["Sexual grooming", "5", "7"],
  ["Total", "8", "8"],
  ["Total", "8", "8"],
]
"#;

#[test]
fn a_grid_reads_as_the_entries_it_stands_for() {
    let grid = campaign("nspcc-online-csa", DURHAM_GRID, None);
    let n = run(&grid, b"");
    assert_eq!(
        figures(&n),
        [
            "durham fy-2016-17 offence=17B,offence_group=sexual_assault_child,online_method=cyber_flag = 0",
            "durham fy-2016-17 offence=19D,offence_group=rape_child_u16,online_method=cyber_flag = 1",
            "durham fy-2016-17 offence=88A,offence_group=grooming,online_method=cyber_flag = 7",
            "durham fy-2016-17 online_method=cyber_flag = 8",
            "durham ye-jun-2016 offence=17B,offence_group=sexual_assault_child,online_method=cyber_flag = 1",
            "durham ye-jun-2016 offence=19D,offence_group=rape_child_u16,online_method=cyber_flag = 2",
            "durham ye-jun-2016 offence=88A,offence_group=grooming,online_method=cyber_flag = 5",
            "durham ye-jun-2016 online_method=cyber_flag = 8",
        ]
    );
    // The total printed twice is read once, with a note; it is checked
    // against the offences it totals.
    let d = said(&n);
    assert!(!n.has_errors(), "{d:#?}");
    assert_eq!(
        d.iter()
            .filter(|d| d.0 == Severity::Note && d.4.contains("given twice with the same value"))
            .count(),
        2,
        "{d:#?}"
    );
    // Each at the line it was typed on: both are on page 2.
    assert!(d.iter().any(|d| d.4
        == "the figure for request fy-2016-17 (online_method=cyber_flag) is given twice with the same value, 8, at page 2 (responses/test.toml:15) and page 2 (responses/test.toml:16); it was read once"), "{d:#?}");
    assert_eq!(n.checks.len(), 2);
    assert!(n.checks.iter().all(|c| c.agrees()));
    // Each record says the page it was typed from.
    assert!(n
        .records
        .iter()
        .all(|r| r.lineage.page == Some(2) && r.lineage.cells.is_empty()));

    // The same figures as [[manual]] entries give the same records.
    let mut entries =
        String::from(&DURHAM_GRID[..DURHAM_GRID.find("[[manual_table]]").expect("grid")]);
    for (label, a, b) in [
        ("Sexual assault on a male child under 13", "1", "0"),
        ("Rape of a female child under 16", "2", "1"),
        ("Sexual grooming", "5", "7"),
    ] {
        for (request, count) in [("ye-jun-2016", a), ("fy-2016-17", b)] {
            entries.push_str(&format!(
                "[[manual]]\nrequest = \"{request}\"\npage = 2\ncount = \"{count}\"\ndims = {{ offence = \"{label}\" }}\n\n"
            ));
        }
    }
    for request in ["ye-jun-2016", "fy-2016-17"] {
        entries.push_str(&format!(
            "[[manual]]\nrequest = \"{request}\"\npage = 2\ncount = \"8\"\n\n"
        ));
    }
    let plain = run(&campaign("nspcc-online-csa", &entries, None), b"");
    assert_eq!(figures(&plain), figures(&n));
}

#[test]
fn a_grid_label_nothing_maps_is_one_error_with_its_line_and_the_line_to_add() {
    let toml = DURHAM_GRID.replace("Sexual grooming", "Grooming (online)");
    let n = run(&campaign("nspcc-online-csa", &toml, None), b"");
    let unmapped: Vec<_> = n
        .diagnostics
        .iter()
        .filter(|d| matches!(d.kind, DiagnosticKind::Unmapped { .. }))
        .collect();
    assert_eq!(unmapped.len(), 1, "{unmapped:#?}");
    assert_eq!(
        unmapped[0].message,
        "manual entry, page 2 (responses/test.toml:14): unmapped offence label \"Grooming (online)\" (and 1 more entry)"
    );
    assert_eq!(unmapped[0].cells, 2);
    assert_eq!(
        unmapped[0].hint.as_deref(),
        Some("add to config/campaigns/nspcc-online-csa/crosswalks/offences.csv: Grooming (online),<offence>,durham")
    );
    // The rest of the grid is read; its total is not checked (a figure is missing).
    assert!(figures(&n).iter().any(|f| f.contains("offence=19D")));
    assert!(n.checks.is_empty());
}

/// A table of full-time equivalents by force, as a csv writes it.
const FTE: &str =
    "Force,FTE\nKent,\"3,547.5841\"\nEssex,3187.495\nSurrey,[c]\nTotal,\"6,735.0791\"\n";

fn fte_response() -> String {
    r#"requests = ["ye-mar-2018"]
status = "answered"
source = { path = "fte.csv" }

[[table]]
header = '^Force$'
aggregate_rows = '^Total$'
column = [{ header = '^Force$', role = "force" }, { header = '^FTE$', role = "total" }]
"#
    .to_string()
}

#[test]
fn a_measure_is_read_exactly_at_its_places() {
    let config = campaign_as(
        "ons-prc-ye-mar2018",
        |t| with_top(t, "measure = { decimals = 4 }"),
        &fte_response(),
        None,
    );
    let n = run(&config, FTE.as_bytes());
    assert_eq!(
        figures(&n),
        [
            "essex ye-mar-2018  = 31874950",
            "kent ye-mar-2018  = 35475841",
            // "[c]": hidden below 5, so 0 to 4.9999.
            "surrey ye-mar-2018  = 0 to 49999",
        ]
    );
    assert_eq!(n.aggregates.len(), 1);
    assert_eq!(n.aggregates[0].count.interval.lo, 67_350_791);
    assert!(!n.has_errors(), "{:#?}", said(&n));

    // More places than declared: that cell is refused, with the reason.
    let three = campaign_as(
        "ons-prc-ye-mar2018",
        |t| with_top(t, "measure = { decimals = 3 }"),
        &fte_response(),
        None,
    );
    let n = run(&three, FTE.as_bytes());
    let errors: Vec<_> = n
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{:#?}", said(&n));
    assert_eq!(errors[0].kind, DiagnosticKind::NotACount);
    assert_eq!(errors[0].cell.as_deref(), Some("line 2, field 2"));
    assert_eq!(
        errors[0].message,
        "3,547.5841 has 4 decimal places, more than the 3 the campaign keeps ([measure] decimals in campaign.toml): foi does not round"
    );
    assert!(!figures(&n).iter().any(|f| f.starts_with("kent ")));

    // A count campaign refuses them as before, saying how to declare a measure.
    let count = campaign("ons-prc-ye-mar2018", &fte_response(), None);
    let n = run(&count, FTE.as_bytes());
    assert!(
        said(&n)
            .iter()
            .any(|d| d.1 == "not_a_count" && d.4 == "\"3,547.5841\" is not a whole count (figures with decimals need [measure] decimals = N in campaign.toml)"),
        "{:#?}",
        said(&n)
    );
}

#[test]
fn a_total_typed_twice_with_two_values_refuses_the_force_naming_both_lines() {
    let toml = DURHAM_GRID.replacen("[\"Total\", \"8\", \"8\"]", "[\"Total\", \"8\", \"9\"]", 1);
    let n = run(&campaign("nspcc-online-csa", &toml, None), b"");
    let conflicts: Vec<String> = said(&n)
        .into_iter()
        .filter(|d| d.1 == "conflict")
        .map(|d| format!("{} {}: {}", d.2, d.3, d.4))
        .collect();
    assert_eq!(
        conflicts,
        ["durham fy-2016-17: the figure for request fy-2016-17 (online_method=cyber_flag) is given as 9 at page 2 (responses/test.toml:15) and as 8 at page 2 (responses/test.toml:16); foi cannot tell which is right, so none of durham's figures for request fy-2016-17 were added"]
    );
    // The other request, its totals the same, is read.
    assert!(figures(&n).iter().all(|f| f.contains("ye-jun-2016")));
}

// ------------------------------------------------------------ sections

/// A reply whose rows name their offence only with the section heading
/// above them: "- aged under 13" is a female child's under one heading
/// and a male child's under the next, with the same figures in both.
const SECTIONS: &str = "Offence,2016/17
Rape of a female child:,
- aged under 13,12
- aged under 16,8
Rape of a male child:,
- aged under 13,12
- aged under 16,8
Sexual grooming,20
";

const SECTIONS_TOML: &str = r#"force = "cumbria"
requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "sections.csv" }

[[table]]
header = '^Offence$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^2016/17$', role = "value", request = "fy-2016-17" },
]
"#;

#[test]
fn two_rows_of_one_table_giving_one_figure_are_refused_even_when_they_agree() {
    // A crosswalk line for the row alone reads both sections' rows as one
    // offence: read once, the force's figure would lose the boys.
    let config = campaign(
        "nspcc-online-csa",
        SECTIONS_TOML,
        Some(("crosswalks/offences.csv", |t| {
            format!("{t}- aged under 13,19E,\n- aged under 16,19D,\n")
        })),
    );
    let n = run(&config, SECTIONS.as_bytes());
    assert!(n.records.is_empty(), "{:#?}", figures(&n));
    let d = said(&n);
    assert_eq!(
        d.iter().filter(|d| d.0 == Severity::Error).collect::<Vec<_>>(),
        [&(
            Severity::Error,
            "conflict".into(),
            "cumbria".into(),
            "fy-2016-17".into(),
            "rows \"Rape of a female child - aged under 13\" (line 3) and \"Rape of a male child - aged under 13\" (line 6) of one table both give the figure for request fy-2016-17 (offence=19E, offence_group=rape_child_u13, online_method=cyber_flag); rows \"Rape of a female child - aged under 16\" (line 4) and \"Rape of a male child - aged under 16\" (line 7) of one table both give the figure for request fy-2016-17 (offence=19D, offence_group=rape_child_u16, online_method=cyber_flag); foi cannot tell which is right, so none of cumbria's figures for request fy-2016-17 were added".into()
        )]
    );
}

#[test]
fn a_row_under_a_section_heading_is_read_with_it() {
    let config = campaign(
        "nspcc-online-csa",
        SECTIONS_TOML,
        Some(("crosswalks/offences.csv", |t| {
            format!(
                "{t}Rape of a female child - aged under 13,19E,\nRape of a female child - aged under 16,19D,\nRape of a male child - aged under 13,19H,\nRape of a male child - aged under 16,19G,\n"
            )
        })),
    );
    let n = run(&config, SECTIONS.as_bytes());
    assert!(!n.has_errors(), "{:#?}", said(&n));
    let mut got = figures(&n);
    got.sort();
    // "Sexual grooming", under no mark, is read alone where the heading
    // with it means nothing.
    assert_eq!(
        got,
        [
            "cumbria fy-2016-17 offence=19D,offence_group=rape_child_u16,online_method=cyber_flag = 8",
            "cumbria fy-2016-17 offence=19E,offence_group=rape_child_u13,online_method=cyber_flag = 12",
            "cumbria fy-2016-17 offence=19G,offence_group=rape_child_u16,online_method=cyber_flag = 8",
            "cumbria fy-2016-17 offence=19H,offence_group=rape_child_u13,online_method=cyber_flag = 12",
            "cumbria fy-2016-17 offence=88A,offence_group=grooming,online_method=cyber_flag = 20",
        ]
    );

    // Unmapped, a row under a heading is reported with it: the crosswalk
    // line to write.
    let config = campaign("nspcc-online-csa", SECTIONS_TOML, None);
    let n = run(&config, SECTIONS.as_bytes());
    let unmapped: Vec<String> = n
        .diagnostics
        .iter()
        .filter_map(|d| match &d.kind {
            DiagnosticKind::Unmapped { label, .. } => Some(label.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        unmapped,
        [
            "Rape of a female child - aged under 13",
            "Rape of a female child - aged under 16",
            "Rape of a male child - aged under 13",
            "Rape of a male child - aged under 16"
        ]
    );
}

#[test]
fn two_rows_summed_by_month_into_one_figure_are_refused() {
    let toml = r#"force = "cumbria"
requests = ["ye-jun-2016"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "monthly.csv" }

[[table]]
header = '^Offence$'
column = [
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^[A-Z][a-z]{2}-\d\d$', role = "month" },
]
"#;
    let config = campaign(
        "nspcc-online-csa",
        toml,
        Some(("crosswalks/offences.csv", |t| {
            format!("{t}Grooming (online),88A,\n")
        })),
    );
    let months = [
        "Jul-15", "Aug-15", "Sep-15", "Oct-15", "Nov-15", "Dec-15", "Jan-16", "Feb-16", "Mar-16",
        "Apr-16", "May-16", "Jun-16",
    ];
    let csv = format!(
        "Offence,{}\nSexual grooming,{}\nGrooming (online),{}\n",
        months.join(","),
        ["1"; 12].join(","),
        ["1"; 12].join(",")
    );
    let n = run(&config, csv.as_bytes());
    assert!(n.records.is_empty(), "{:#?}", figures(&n));
    let conflict: Vec<_> = said(&n).into_iter().filter(|d| d.1 == "conflict").collect();
    assert_eq!(conflict.len(), 1, "{conflict:#?}");
    assert!(
        conflict[0].4.starts_with("rows \"Sexual grooming\" (line 2) and \"Grooming (online)\" (line 3) of one table both give the figure for request ye-jun-2016 (offence=88A"),
        "{}",
        conflict[0].4
    );
}

/// A pivot table in tabular form writes its outer field on a group's
/// first row only ("Rape", then blank): read without a layout, that
/// column heads the rows below it, and the labels that repeat from group
/// to group are each read with their group.
#[test]
fn a_group_written_on_its_first_row_only_heads_the_rows_below_it() {
    let toml = r#"force = "dorset"
requests = ["fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "groups.csv" }
"#;
    let config = campaign(
        "nspcc-online-csa",
        toml,
        Some(("crosswalks/offences.csv", |t| {
            format!(
                "{t}Rape - Female under 13,19E,\nRape - Male under 13,19H,\nSexual assault - Female under 13,20B,\nSexual assault - Male under 13,17B,\n"
            )
        })),
    );
    let csv = "Offence group,Offence,2016/17
Rape,Female under 13,6
,Male under 13,2
Sexual assault,Female under 13,9
,Male under 13,3
Total,,20
";
    let n = run(&config, csv.as_bytes());
    assert!(!n.has_errors(), "{:#?}", said(&n));
    let mut got: Vec<String> = n
        .records
        .iter()
        .filter_map(|r| {
            r.dims
                .get(&foi_model::DimId::new("offence"))
                .map(|o| format!("{o} {}", r.count.interval))
        })
        .collect();
    got.sort();
    assert_eq!(got, ["17B 3", "19E 6", "19H 2", "20B 9"]);
}
