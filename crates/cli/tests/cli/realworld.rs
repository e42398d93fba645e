//! The bundled campaigns made from real published tables in
//! ../shared/realworld (read where they lie, never copied here): ONS tables
//! P1 and C2, and the Home Office's police workforce table 1 (FTE, a
//! measure with decimals). National totals must equal the tables' own
//! figures, and every figure a table states must reconcile.

use crate::*;

fn realworld(file: &str) -> Option<PathBuf> {
    let p = root().join("../shared/realworld").join(file);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: {} is not beside the repository", p.display());
        None
    }
}

/// Runs a bundled campaign; C2 warns of two rows that name two forces
/// (exit 3), which nothing in the config can declare.
fn run_campaign(tmp: &Path, campaign: &str) -> std::process::Output {
    let out = foi(tmp)
        .args(["--campaign", campaign, "run"])
        .output()
        .expect("foi runs");
    assert_eq!(
        out.status.code(),
        Some(if campaign.ends_with("c2-csp-ye-jun2025") {
            3
        } else {
            0
        }),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn national(tmp: &Path) -> BTreeMap<String, String> {
    read_csv(&tmp.join("out/latest/national.csv"))
        .into_iter()
        .map(|r| {
            let group = r["offence_group"].clone();
            (
                if group.is_empty() {
                    "total".into()
                } else {
                    group
                },
                r["value"].clone(),
            )
        })
        .collect()
}

fn assert_reconciled(tmp: &Path, checks: usize) {
    let rec = read_csv(&tmp.join("out/latest/reconciliation.csv"));
    assert_eq!(rec.len(), checks, "figures checked");
    let differ: Vec<_> = rec.iter().filter(|r| r["agrees"] != "true").collect();
    assert!(differ.is_empty(), "reconciliation differences: {differ:#?}");
}

/// Table P1's England and Wales row (K04000001), cell by cell.
const P1_ENGLAND_AND_WALES: &[(&str, u64)] = &[
    ("total", 4_876_282),
    ("violence_against_the_person", 1_395_196),
    ("homicide", 726),
    ("violence_with_injury", 512_012),
    ("violence_without_injury", 586_174),
    ("stalking_and_harassment", 295_571),
    ("death_or_serious_injury_unlawful_driving", 713),
    ("sexual_offences", 150_463),
    ("robbery", 77_059),
    ("theft_offences", 2_009_658),
    ("burglary", 437_510),
    ("residential_burglary", 309_778),
    ("non_residential_burglary", 127_732),
    ("vehicle_offences", 457_010),
    ("theft_from_the_person", 99_393),
    ("bicycle_theft", 99_868),
    ("shoplifting", 382_092),
    ("other_theft_offences", 533_785),
    ("criminal_damage_and_arson", 590_201),
    ("drug_offences", 136_107),
    ("possession_of_weapons_offences", 38_712),
    ("public_order_offences", 386_062),
    ("miscellaneous_crimes_against_society", 92_824),
];

#[test]
fn ons_table_p1_national_totals_equal_its_england_and_wales_row() {
    if realworld("ons_pfa_tables_ye_mar2018_v2.xlsx").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    run_campaign(tmp.path(), "ons-prc-ye-mar2018");
    let got = national(tmp.path());
    for (group, want) in P1_ENGLAND_AND_WALES {
        assert_eq!(
            got.get(*group).map(String::as_str),
            Some(want.to_string().as_str()),
            "{group}"
        );
    }
    assert_eq!(got.len(), P1_ENGLAND_AND_WALES.len(), "{got:?}");
    // Every group and the total, each against the England and Wales row.
    assert_reconciled(tmp.path(), P1_ENGLAND_AND_WALES.len());
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    let added: Vec<_> = coverage
        .iter()
        .filter(|c| c["included"] == "true")
        .collect();
    assert_eq!(
        added.len(),
        44,
        "the 43 forces and British Transport Police"
    );
}

#[test]
fn ons_table_c2_partnerships_add_up_to_each_force_and_the_nation() {
    let Some(file) = realworld("ons_table_C2_csp_ye_jun2025.csv") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let out = run_campaign(tmp.path(), "ons-c2-csp-ye-jun2025");
    // The file's own total: its force subtotal rows, and the partnership
    // rows of a force it gives no subtotal (City of London).
    let text = std::fs::read_to_string(file).expect("read C2");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let n = |s: &str| s.replace(',', "").trim().parse::<u64>().unwrap_or(0);
    let (mut subtotals, mut without_subtotal) = (BTreeMap::new(), BTreeMap::new());
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let code = rec.get(0).unwrap_or("").trim();
        if !(code.starts_with("E23") || code.starts_with("W15")) {
            continue;
        }
        let name = rec.get(1).unwrap_or("").trim().to_string();
        let total = n(rec.get(6).unwrap_or(""));
        if rec.get(3).unwrap_or("").trim().is_empty() {
            *subtotals.entry(name).or_insert(0) += total;
        } else {
            *without_subtotal.entry(name).or_insert(0) += total;
        }
    }
    let file_total: u64 = subtotals.values().sum::<u64>()
        + without_subtotal
            .iter()
            .filter(|(k, _)| !subtotals.keys().any(|s| s.starts_with(k.as_str())))
            .map(|(_, v)| v)
            .sum::<u64>();
    assert_eq!(file_total, 5_204_149);
    let got = national(tmp.path());
    assert_eq!(got["total"], file_total.to_string());
    assert_eq!(got["sexual_offences"], "208960");
    // The campaign asks the 43 police force areas: British Transport Police,
    // which has no partnerships and so no row, is not asked, and no gap is
    // said for it.
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    assert_eq!(coverage.len(), 43);
    assert!(
        coverage.iter().all(|c| c["included"] == "true"),
        "{coverage:#?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("btp"), "{stderr}");
    // Each force's subtotal against its partnerships, for the total and
    // each of the 22 offence groups: no differences.
    assert_reconciled(tmp.path(), 966);
    // The two rows whose code names another force than their name are
    // reported: the run's warnings (exit 3) are these two alone.
    assert!(stderr.contains("this row names two forces: \"Gwent\" (line 134, field 2) is gwent, \"W15000003\" (line 134, field 1) is south-wales; read as gwent"), "{stderr}");
    assert!(
        stderr.contains(
            "\"Surrey\" (line 344, field 2) is surrey, \"E23000032\" (line 344, field 1) is kent"
        ),
        "{stderr}"
    );
}

/// Table 1's "Total 43 forces" row (B60, C60, D60): the floats the sheet
/// holds (122406.45084999985 …) are these decimals, to six places.
const WORKFORCE_43_FORCES: &[(&str, &str)] = &[
    ("sep-2018", "122406.450850"),
    ("mar-2019", "123170.856950"),
    ("sep-2019", "124783.972765"),
];

#[test]
fn ho_workforce_fte_totals_equal_its_43_forces_row_exactly() {
    if realworld("ho_police_workforce_sep19_tables.ods").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let out = run_campaign(tmp.path(), "ho-police-workforce-sep19");
    let release = tmp.path().join("out/latest");
    let national: Vec<(String, String)> = read_csv(&release.join("national.csv"))
        .into_iter()
        .map(|r| (r["request"].clone(), r["value"].clone()))
        .collect();
    let want: Vec<(String, String)> = WORKFORCE_43_FORCES
        .iter()
        .map(|(r, v)| (r.to_string(), v.to_string()))
        .collect();
    assert_eq!(national, want);
    // Each against the table's own row, exactly: difference 0.
    let rec = read_csv(&release.join("reconciliation.csv"));
    assert_eq!(rec.len(), 3);
    for (r, (request, value)) in rec.iter().zip(WORKFORCE_43_FORCES) {
        assert_eq!(
            (
                r["request"].as_str(),
                r["label"].as_str(),
                r["stated_value"].as_str(),
                r["computed_value"].as_str(),
                r["difference"].as_str(),
                r["agrees"].as_str()
            ),
            (
                *request,
                "Total 43 forces",
                *value,
                *value,
                "0.000000",
                "true"
            )
        );
    }
    // The 43 forces asked, each on each date; British Transport Police is
    // a row of the table but not asked.
    let coverage = read_csv(&release.join("coverage.csv"));
    assert_eq!(coverage.len(), 43 * 3);
    assert!(coverage.iter().all(|c| c["included"] == "true"));
    assert!(!coverage.iter().any(|c| c["force_id"] == "btp"));
    // West Midlands, written twice (the region, then the force): the force's
    // row, to all its places.
    let wm: Vec<(String, String)> = read_csv(&release.join("by_force.csv"))
        .into_iter()
        .filter(|r| r["force_id"] == "west-midlands")
        .map(|r| (r["request"].clone(), r["value"].clone()))
        .collect();
    assert_eq!(
        wm,
        [
            ("sep-2018".to_string(), "6558.877300".to_string()),
            ("mar-2019".into(), "6494.700000".into()),
            ("sep-2019".into(), "6405.063575".into()),
        ]
    );
    // The change between dates, exactly.
    let cmp = read_csv(&release.join("comparisons.csv"));
    assert_eq!(cmp[0]["comparison_id"], "sep-2018->mar-2019/matched_panel");
    assert_eq!(cmp[0]["change_value"], "764.406100");
    // The Parquet: a decimal of the measure's six places, exactly.
    use polars::prelude::SerReader;
    let df = polars::prelude::ParquetReader::new(
        std::fs::File::open(release.join("national.parquet")).expect("parquet"),
    )
    .finish()
    .expect("reads");
    let value = df.column("value").expect("value");
    assert_eq!(value.dtype(), &polars::prelude::DataType::Decimal(18, 6));
    for (i, (_, v)) in WORKFORCE_43_FORCES.iter().enumerate() {
        let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
        let want = format!("{whole}.{frac:0<6}");
        assert_eq!(value.get(i).expect("cell").to_string(), want);
    }
    // datapackage.json: a number, in its unit.
    let pkg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(release.join("datapackage.json")).expect("datapackage"),
    )
    .expect("json");
    let field = pkg["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == "national")
        .and_then(|r| {
            r["schema"]["fields"]
                .as_array()
                .and_then(|f| f.iter().find(|f| f["name"] == "value"))
        })
        .expect("national.value")
        .clone();
    assert_eq!(field["type"], "number");
    assert_eq!(field["unit"], "police officers (full-time equivalent)");
    // The workbook: a number, shown to six places.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        open_workbook(release.join("ho-police-workforce-sep19.xlsx")).expect("xlsx");
    let range = wb.worksheet_range("national").expect("national sheet");
    let header: Vec<String> = (0..8)
        .map(|c| {
            range
                .get_value((2, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let col = header
        .iter()
        .position(|h| h.starts_with("Number of police officers"))
        .expect("the value column") as u32;
    assert_eq!(
        range.get_value((5, col)),
        Some(&Data::Float(124_783.972_765))
    );
    // The headline, to its places.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("30 September 2019 (sep-2019): 124,783.972765 police officers (full-time equivalent) from 43 of 43 forces"),
        "{stdout}"
    );
}

#[test]
fn ho_workforce_at_fewer_places_refuses_the_cells_that_have_more() {
    let Some(file) = realworld("ho_police_workforce_sep19_tables.ods") else {
        return;
    };
    // The config copied beside a link to the real files, as it lies beside
    // the repository.
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = tmp.path().join("repo");
    let config = copy_config(&repo);
    std::os::unix::fs::symlink(
        file.parent().and_then(Path::parent).expect("shared"),
        tmp.path().join("shared"),
    )
    .expect("symlink shared");
    let campaign = config.join("campaigns/ho-police-workforce-sep19/campaign.toml");
    let text = std::fs::read_to_string(&campaign).expect("campaign");
    std::fs::write(&campaign, text.replace("decimals = 6", "decimals = 4")).expect("write");
    let out = foi_in(&repo)
        .args(["--campaign", "ho-police-workforce-sep19", "run"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: west-midlands, request sep-2019, ../shared/realworld/ho_police_workforce_sep19_tables.ods, sheet \"Table_1\", cell D32: 6405.063575 has 6 decimal places, more than the 4 the campaign keeps ([measure] decimals in campaign.toml): foi does not round"),
        "{stderr}"
    );
    // The forces whose figures fit four places are added; those that do
    // not are left out of that date, and said.
    let coverage = read_csv(&repo.join("out/latest/coverage.csv"));
    let out_sep19: Vec<&str> = coverage
        .iter()
        .filter(|c| c["request"] == "sep-2019" && c["included"] != "true")
        .map(|c| c["force_id"].as_str())
        .collect();
    // Said for what it is: the row is there, its cell is refused.
    assert!(coverage
        .iter()
        .filter(|c| c["included"] != "true")
        .all(|c| c["reason_code"] == "not_a_count"));
    assert_eq!(
        out_sep19,
        ["metropolitan", "merseyside", "west-midlands", "north-wales"]
    );
}
