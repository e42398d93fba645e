//! `sniff` on real files from more than one writer, small and over 1 MB
//! (fixtures/writers/, see its README), on the generated corpus, and on the
//! real-world files in ../shared/realworld when they are there.

use foi_model::{sniff, Format};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> Vec<u8> {
    let path = root().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each file and the format it is; the big ones are checked to be big.
fn check(files: &[(&str, Format)]) {
    let mut wrong = Vec::new();
    for (rel, want) in files {
        let bytes = read(rel);
        if rel.contains("-big") {
            assert!(bytes.len() > 1_000_000, "{rel}: only {} bytes", bytes.len());
        }
        let got = sniff(&bytes);
        if got != *want {
            wrong.push(format!("{rel}: sniffed as {got}, is {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The set the sniffing code was written against: openpyxl, which puts
/// `[Content_Types].xml` and `xl/workbook.xml` at the end of the zip.
#[test]
fn openpyxl_workbooks_small_and_big_normal_and_write_only() {
    check(&[
        ("fixtures/writers/openpyxl-small.xlsx", Format::Xlsx),
        ("fixtures/writers/openpyxl-big.xlsx", Format::Xlsx),
        (
            "fixtures/writers/openpyxl-write-only-small.xlsx",
            Format::Xlsx,
        ),
        (
            "fixtures/writers/openpyxl-write-only-big.xlsx",
            Format::Xlsx,
        ),
    ]);
}

/// The generated corpus: xlsx from rust_xlsxwriter (in Excel's order:
/// `[Content_Types].xml` first), ods and xls from the generator's own
/// writers, csv, a PDF, and an HTML table saved as .xls.
#[test]
fn the_generated_corpus() {
    let dir = root().join("fixtures/nspcc");
    let mut files = Vec::new();
    for force in std::fs::read_dir(&dir).expect("fixtures/nspcc") {
        let force = force.expect("entry").path();
        for f in std::fs::read_dir(&force).into_iter().flatten() {
            let f = f.expect("entry").path();
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or_default();
            let want = match ext {
                "xlsx" => Format::Xlsx,
                "ods" => Format::Ods,
                "xls" if name.starts_with("Northumbria") => Format::Html,
                "xls" => Format::Xls,
                "csv" if name == "answer.csv" => continue,
                // Written in Windows-1252, as Excel's "CSV" is.
                "csv" if name.starts_with("Cheshire") => Format::Text { utf8: false },
                "csv" => Format::Text { utf8: true },
                "pdf" => Format::Pdf,
                _ => continue,
            };
            let rel = f.strip_prefix(root()).expect("under root").to_path_buf();
            files.push((rel.to_string_lossy().into_owned(), want));
        }
    }
    assert!(files.len() >= 40, "{}", files.len());
    let files: Vec<(&str, Format)> = files.iter().map(|(p, f)| (p.as_str(), *f)).collect();
    check(&files);
}

/// Kept apart from the code: written by tools the sniffing code was not
/// developed against (pandas, odfpy, xlwt, LibreOffice), and looked at only
/// once it was done.
#[test]
fn held_out_writers() {
    let text = Format::Text { utf8: true };
    check(&[
        ("fixtures/writers/pandas-openpyxl-small.xlsx", Format::Xlsx),
        ("fixtures/writers/pandas-openpyxl-big.xlsx", Format::Xlsx),
        ("fixtures/writers/libreoffice-small.xlsx", Format::Xlsx),
        ("fixtures/writers/libreoffice-big.xlsx", Format::Xlsx),
        ("fixtures/writers/libreoffice-small.ods", Format::Ods),
        ("fixtures/writers/libreoffice-big.ods", Format::Ods),
        ("fixtures/writers/pandas-odf-small.ods", Format::Ods),
        ("fixtures/writers/libreoffice-small.xls", Format::Xls),
        ("fixtures/writers/xlwt-small.xls", Format::Xls),
        ("fixtures/writers/xlwt-big.xls", Format::Xls),
        ("fixtures/writers/pandas-small.csv", text),
        ("fixtures/writers/libreoffice-small.csv", text),
        ("fixtures/writers/pandas-small.html", Format::Html),
        ("fixtures/writers/libreoffice-small.html", Format::Html),
    ]);
}

/// Real replies and published tables (../shared/realworld, read where
/// they lie, never copied into the repository): Excel, LibreOffice and
/// others' files, also held out. Skipped where that folder is absent.
#[test]
fn held_out_real_world_files() {
    let dir = root().join("../shared/realworld");
    if !dir.is_dir() {
        eprintln!("skipped: no {}", dir.display());
        return;
    }
    let files = [
        ("ons_pfa_tables_ye_mar2018_v2.xlsx", Format::Xlsx),
        (
            "police_scotland_covid_enforcement_to_jun2021.xlsx",
            Format::Xlsx,
        ),
        ("ho_arrests_tables_ye_mar2019.ods", Format::Ods),
        ("ho_police_workforce_sep19_tables.ods", Format::Ods),
        ("ho_recorded_crime_1898_2002.xls", Format::Xls),
        ("Durham_hospital_crime_FOI.pdf", Format::Pdf),
    ];
    let mut wrong = Vec::new();
    for (name, want) in files {
        let path = dir.join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipped: no {}", path.display());
            continue;
        };
        let got = sniff(&bytes);
        if got != want {
            wrong.push(format!("{name}: sniffed as {got}, is {want}"));
        }
    }
    for name in [
        "met_borough_crime_jan2017_dec2018.csv",
        "ons_table_C2_csp_ye_jun2025.csv",
        "policeuk_west_midlands_stop_search_2020_08.csv",
    ] {
        if let Ok(bytes) = std::fs::read(dir.join(name)) {
            let got = sniff(&bytes);
            if !matches!(got, Format::Text { .. }) {
                wrong.push(format!("{name}: sniffed as {got}, is text"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
