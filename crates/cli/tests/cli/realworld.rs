//! The two bundled campaigns made from real ONS tables in ../shared/realworld
//! (read where they lie, never copied here): national totals must equal the
//! tables' own figures, and every figure a table states must reconcile.

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
    // Each force's subtotal against its partnerships, for the total and
    // each of the 22 offence groups: no differences.
    assert_reconciled(tmp.path(), 966);
    // The two rows whose code names another force than their name are reported.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("this row names two forces: \"Gwent\" (line 134, field 2) is gwent, \"W15000003\" (line 134, field 1) is south-wales; read as gwent"), "{stderr}");
    assert!(
        stderr.contains(
            "\"Surrey\" (line 344, field 2) is surrey, \"E23000032\" (line 344, field 1) is kent"
        ),
        "{stderr}"
    );
}
