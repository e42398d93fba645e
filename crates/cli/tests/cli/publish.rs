//! The published release of the bundled campaign, checked as its readers
//! will use it: every table snapshotted; the spreadsheet and the Parquet
//! read back and compared with the CSV, cell by cell (the Parquet with
//! polars here, and with pyarrow by scripts/check-parquet); the workbook
//! held to the Analysis Function's checklist point by point;
//! datapackage.json checked against the CSV it describes (what
//! `frictionless validate` checks); two builds from one cache
//! byte-identical; the HTML summary self-contained.
//!
//! Snapshots live in snapshots/ beside this file; `just bless` refreshes
//! them when the corpus or publish changes on purpose.

use crate::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Tables every release of the bundled campaign holds, in this order
/// (others may come between or after them: each test takes the list from
/// datapackage.json, and a new table needs its snapshot blessed).
const TABLES: &[&str] = &[
    "national",
    "by_force",
    "records",
    "lineage",
    "coverage",
    "comparisons",
];

/// A CSV larger than this is snapshotted as its sha256, its row counts by
/// force and its first rows, so no snapshot file nears 1 MB.
const WHOLE_SNAPSHOT_LIMIT: usize = 500_000;

/// One `foi run` of the bundled campaign, shared by this module's tests.
/// It lives under Cargo's scratch folder for tests, named by process id;
/// folders left by earlier test processes are removed first.
struct Published {
    /// The temporary root: `cache/` and `out/` are inside.
    root: PathBuf,
    /// The release `out/latest` points at.
    release: PathBuf,
}

fn published() -> &'static Published {
    static ONCE: OnceLock<Published> = OnceLock::new();
    ONCE.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
        std::fs::create_dir_all(scratch).expect("scratch dir");
        for e in std::fs::read_dir(scratch).expect("scratch dir").flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(pid) = name.strip_prefix("publish-") {
                if !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let root = scratch.join(format!("publish-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("mkdir");
        let out = foi(&root).arg("run").output().expect("foi run");
        assert!(
            matches!(out.status.code(), Some(0) | Some(3)),
            "foi run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let release = root
            .join("out/latest")
            .canonicalize()
            .expect("out/latest points at a release");
        Published { root, release }
    })
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn datapackage(dir: &Path) -> Json {
    serde_json::from_slice(&read(&dir.join("datapackage.json"))).expect("datapackage.json is JSON")
}

/// Header and rows of a CSV, as text.
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn resources(pkg: &Json) -> &Vec<Json> {
    pkg["resources"].as_array().expect("resources")
}

/// The release's tables, as datapackage.json lists them.
fn table_names(pkg: &Json) -> Vec<&str> {
    resources(pkg)
        .iter()
        .map(|r| r["name"].as_str().expect("name"))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Whether a resource is published as Parquet only (lineage).
fn parquet_only(resource: &Json) -> bool {
    resource["format"] == "parquet"
}

fn resource<'a>(pkg: &'a Json, name: &str) -> &'a Json {
    resources(pkg)
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
}

fn read_parquet(path: &Path) -> polars::prelude::DataFrame {
    use polars::prelude::{ParquetReader, SerReader};
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(file)
        .finish()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A Parquet cell as the CSV writes it: nulls empty, text neutralised
/// against formulas (the Parquet holds it as written), numbers to one
/// decimal place, dates in ISO 8601, a list's items joined by `delimiter`.
fn parquet_cell(v: polars::prelude::AnyValue, delimiter: &str) -> String {
    use polars::prelude::AnyValue;
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => foi_publish::neutralise(s),
        AnyValue::StringOwned(ref s) => foi_publish::neutralise(s),
        AnyValue::Int64(n) => n.to_string(),
        AnyValue::Float64(x) => format!("{x:.1}"),
        // A measure: its every place, as the CSV writes it.
        v @ AnyValue::Decimal(..) => v.to_string(),
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::Date(days) => (chrono_epoch() + chrono::Days::new(days as u64))
            .format("%Y-%m-%d")
            .to_string(),
        AnyValue::List(items) => {
            let items: Vec<String> = items
                .str()
                .expect("a list of text")
                .iter()
                .map(|i| i.expect("no null items").to_string())
                .collect();
            foi_publish::neutralise(&items.join(delimiter))
        }
        other => format!("{other:?}"),
    }
}

fn chrono_epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch")
}

/// A Parquet table written out as the CSV of it would be: the header, then
/// each row, lines ending CRLF. Lineage is Parquet only; as text it is
/// snapshotted and checked like every CSV.
fn parquet_as_csv(path: &Path) -> Vec<u8> {
    let df = read_parquet(path);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(df.get_column_names().iter().map(|n| n.as_str()))
        .expect("header");
    for i in 0..df.height() {
        let row: Vec<String> = df
            .columns()
            .iter()
            .map(|c| parquet_cell(c.get(i).expect("cell"), "; "))
            .collect();
        w.write_record(&row).expect("row");
    }
    w.into_inner().expect("flush")
}

/// A table's rows as CSV bytes: its CSV file, or its Parquet as CSV.
fn table_bytes(dir: &Path, resource: &Json) -> Vec<u8> {
    let path = dir.join(resource["path"].as_str().expect("path"));
    if parquet_only(resource) {
        parquet_as_csv(&path)
    } else {
        read(&path)
    }
}

// ---------------------------------------------------------------------------
// Snapshots

#[test]
fn every_table_matches_its_snapshot() {
    let p = published();
    let pkg = datapackage(&p.release);
    let names = table_names(&pkg);
    let core: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| TABLES.contains(n))
        .collect();
    assert_eq!(core, TABLES, "the release's tables, in order: {names:?}");
    for name in &names {
        let res = resource(&pkg, name);
        let bytes = table_bytes(&p.release, res);
        let file = res["path"].as_str().expect("path");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        // RFC 4180, as datapackage.json's dialect says: every line ends CRLF.
        assert!(text.ends_with("\r\n"), "{name}.csv ends with CRLF");
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{name}.csv: every line ends CRLF"
        );
        let lf = text.replace("\r\n", "\n");
        let snapshot = if bytes.len() <= WHOLE_SNAPSHOT_LIMIT {
            lf
        } else {
            summary_of_large_csv(&bytes, &lf)
        };
        insta::assert_snapshot!(file.to_string(), snapshot);
    }
    let pkg_text = String::from_utf8(read(&p.release.join("datapackage.json"))).expect("UTF-8");
    insta::assert_snapshot!("datapackage.json", pkg_text);
}

/// For a table too large to snapshot whole: its sha256 and size, its rows
/// counted by request and force (the first two parts of the record id), so
/// a change shows where it happened, and its header and first rows.
fn summary_of_large_csv(bytes: &[u8], lf: &str) -> String {
    let mut rdr = csv::Reader::from_reader(bytes);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = 0;
    for r in rdr.records() {
        let r = r.expect("row");
        rows += 1;
        let id = r.get(0).unwrap_or_default();
        let group: Vec<&str> = id.splitn(3, '/').take(2).collect();
        *counts.entry(group.join("/")).or_default() += 1;
    }
    let mut s = format!(
        "sha256 {}\nbytes {}\nrows {rows}\n\nrows by request/force:\n",
        sha256(bytes),
        bytes.len()
    );
    for (k, n) in &counts {
        s.push_str(&format!("{k} {n}\n"));
    }
    s.push_str("\nheader and first 20 rows:\n");
    for line in lf.lines().take(21) {
        s.push_str(line);
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// The spreadsheet

/// "1,234"; "-1,234".
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// What the spreadsheet shows where the CSV has no number: for a `value`
/// column (or `from_value`, `change_value`…) whose `lo` and `hi` are known,
/// the range in words ("5,650 to 5,661"; "[c] 2 to 8" for a cell a force
/// suppressed, in records); otherwise [x], not available.
fn expected_blank(table: &str, header: &[String], row: &[String], col: usize) -> String {
    let name = &header[col];
    let known = |n: String| -> Option<i64> {
        header
            .iter()
            .position(|h| *h == n)
            .and_then(|i| row[i].parse().ok())
    };
    if let Some(prefix) = name.strip_suffix("value") {
        if let (Some(lo), Some(hi)) = (known(format!("{prefix}lo")), known(format!("{prefix}hi"))) {
            let range = if lo == hi {
                grouped(lo)
            } else {
                format!("{} to {}", grouped(lo), grouped(hi))
            };
            return if table == "records" {
                format!("[c] {range}")
            } else {
                range
            };
        }
    }
    "[x]".to_string()
}

fn cell_text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::DateTime(x)) => x
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Some(other) => format!("{other:?}"),
    }
}

/// A header as the sheet writes it, less its note references: "Number of
/// offences [note 1]" -> "Number of offences".
fn without_notes(h: &str) -> String {
    match h.find(" [note ") {
        Some(i) => h[..i].to_string(),
        None => h.to_string(),
    }
}

/// The tables with a sheet: those published as CSV with at least one row.
fn sheets_of(dir: &Path, pkg: &Json) -> Vec<String> {
    resources(pkg)
        .iter()
        .filter(|r| !parquet_only(r))
        .map(|r| r["name"].as_str().expect("name").to_string())
        .filter(|t| !csv_table(&dir.join(format!("{t}.csv"))).1.is_empty())
        .collect()
}

#[test]
fn the_spreadsheet_says_what_the_csv_says() {
    let p = published();
    let pkg = datapackage(&p.release);
    let path = p.release.join("nspcc-online-csa.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("the xlsx opens");
    let sheets = wb.sheet_names();
    let mut want_sheets = vec!["Cover".to_string(), "Contents".into(), "Notes".into()];
    // Lineage, one row per source cell, is for machines: Parquet only.
    want_sheets.extend(sheets_of(&p.release, &pkg));
    assert_eq!(
        sheets, want_sheets,
        "cover, contents and notes first, then one table per sheet"
    );
    for sheet in &sheets {
        let merged = wb.merge_cells_by_sheet_name(sheet).expect("merged cells");
        assert!(merged.is_empty(), "{sheet}: no merged cells: {merged:?}");
    }

    wb.load_tables().expect("tables");
    let mut problems = Vec::new();
    for resource in resources(&pkg) {
        let table = resource["name"].as_str().expect("name");
        if !sheets.iter().any(|s| s == table) {
            continue;
        }
        let fields: Vec<&Json> = resource["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .collect();
        let (header, rows) = csv_table(&p.release.join(format!("{table}.csv")));
        let titles: Vec<String> = fields
            .iter()
            .map(|f| f["title"].as_str().expect("a title").to_string())
            .collect();
        // Marked up as one Excel table, its headers the fields' titles.
        let marked: Vec<String> = wb
            .table_names_in_sheet(table)
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(marked.len(), 1, "{table}: one table marked up: {marked:?}");
        let xt = wb.table_by_name(&marked[0]).expect("table");
        let got: Vec<String> = xt.columns().iter().map(|h| without_notes(h)).collect();
        assert_eq!(got, titles, "{table}: the marked-up table's headers");
        assert_eq!(
            xt.data().height(),
            rows.len(),
            "{table}: the marked-up table covers every row"
        );
        let range = wb.worksheet_range(table).expect("sheet");
        let at = |r: u32, c: u32| range.get_value((r, c));
        // Row 1: the title; row 2: a line saying what the sheet holds;
        // row 3: the one header row; then the rows, with nothing below or
        // beside them.
        assert_eq!(range.start(), Some((0, 0)), "{table}: starts at A1");
        let title = resource["title"].as_str().expect("title");
        assert!(
            cell_text(at(0, 0)).starts_with(title),
            "{table}: its title in A1"
        );
        let header_row = 2u32;
        let got_header: Vec<String> = (0..header.len() as u32)
            .map(|c| without_notes(&cell_text(at(header_row, c))))
            .collect();
        assert_eq!(got_header, titles, "{table}: one header row, of titles");
        let end = range.end().expect("not empty");
        assert_eq!(
            end,
            (header_row + rows.len() as u32, header.len() as u32 - 1),
            "{table}: exactly the CSV's rows and columns, nothing beside or below"
        );
        for (i, row) in rows.iter().enumerate() {
            let r = header_row + 1 + i as u32;
            if (0..header.len() as u32).all(|c| cell_text(at(r, c)).is_empty()) {
                problems.push(format!("{table}: row {} is blank", r + 1));
            }
            for (c, csv) in row.iter().enumerate() {
                let got = at(r, c as u32);
                let ty = fields[c]["type"].as_str();
                let ok = match (ty, csv.as_str()) {
                    (Some("integer" | "number"), "") => {
                        cell_text(got) == expected_blank(table, &header, row, c)
                    }
                    (Some("integer" | "number"), n) => {
                        let n: f64 = n.parse().expect("a number in the CSV");
                        match got {
                            Some(Data::Float(x)) => *x == n,
                            Some(Data::Int(x)) => *x as f64 == n,
                            _ => false,
                        }
                    }
                    (Some("boolean"), b) => {
                        cell_text(got) == if b == "true" { "yes" } else { "no" }
                    }
                    (Some("date"), d) if !d.is_empty() => {
                        matches!(got, Some(Data::DateTime(_))) && cell_text(got) == d
                    }
                    // A list as the CSV writes it, codes spaced out after
                    // their ";" (a long list of cells is cut after a whole
                    // cell).
                    (Some("list"), items) if !items.is_empty() => {
                        let delimiter = fields[c]["delimiter"].as_str().expect("delimiter");
                        let joined = if delimiter == ";" {
                            items.split(';').collect::<Vec<_>>().join("; ")
                        } else {
                            items.to_string()
                        };
                        let shown = cell_text(got);
                        shown == joined
                            || (shown.contains("; … and ")
                                && joined
                                    .starts_with(shown.split("; … and ").next().unwrap_or("?")))
                    }
                    // An empty cell does not apply to its row: [z].
                    (_, "") => cell_text(got) == "[z]",
                    (_, text) => cell_text(got) == text,
                };
                if !ok {
                    problems.push(format!(
                        "{table} row {} column {}: xlsx {got:?}, csv {csv:?}",
                        r + 1,
                        header[c]
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} cells differ:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

// ---------------------------------------------------------------------------
// Parquet

#[test]
fn the_parquet_holds_the_csv_rows() {
    use polars::prelude::DataType;
    let p = published();
    let pkg = datapackage(&p.release);
    let mut problems = Vec::new();
    for resource in resources(&pkg) {
        let table = resource["name"].as_str().expect("name");
        let fields: Vec<&Json> = resource["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .collect();
        let df = read_parquet(&p.release.join(format!("{table}.parquet")));
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let want: Vec<&str> = fields
            .iter()
            .map(|f| f["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, want, "{table}: the schema's columns, in order");
        for (col, f) in df.columns().iter().zip(&fields) {
            let ty = f["type"].as_str().expect("type");
            // Signed counts: `a - b` must never wrap, and R must read them
            // as integers.
            let dtype_ok = match (ty, col.dtype()) {
                ("string", DataType::String)
                | ("integer", DataType::Int64)
                | ("number", DataType::Float64 | DataType::Decimal(..))
                | ("boolean", DataType::Boolean)
                | ("date", DataType::Date) => true,
                ("list", DataType::List(inner)) => **inner == DataType::String,
                _ => false,
            };
            assert!(
                dtype_ok,
                "{table}.{}: {ty} in datapackage.json, {:?} in the parquet",
                f["name"],
                col.dtype()
            );
            // What does not apply is null, never an empty string.
            if let Ok(text) = col.str() {
                let empty = text.iter().filter(|v| *v == Some("")).count();
                assert_eq!(empty, 0, "{table}.{}: {empty} empty strings", f["name"]);
            }
        }
        if parquet_only(resource) {
            // Nothing to compare with: its snapshot and the datapackage
            // check read it.
            continue;
        }
        let (header, rows) = csv_table(&p.release.join(format!("{table}.csv")));
        assert_eq!(names, header, "{table}: the same columns, in order");
        assert_eq!(df.height(), rows.len(), "{table}: the same number of rows");
        for (c, col) in df.columns().iter().enumerate() {
            let delimiter = fields[c]["delimiter"].as_str().unwrap_or("; ");
            for (i, row) in rows.iter().enumerate() {
                let got = parquet_cell(col.get(i).expect("cell"), delimiter);
                if got != row[c] {
                    problems.push(format!(
                        "{table} row {} column {}: parquet {got:?}, csv {:?}",
                        i + 1,
                        header[c],
                        row[c]
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} cells differ:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

/// The same comparison through pyarrow, the Arrow library pandas, R and
/// Spark read Parquet with (scripts/check-parquet; .ci/run installs pyarrow
/// and runs it on the README's release). Skipped, saying so, where pyarrow
/// is not installed.
#[test]
fn pyarrow_reads_every_parquet_table_as_its_csv() {
    let p = published();
    let out = std::process::Command::new(root().join("scripts/check-parquet"))
        .arg(&p.release)
        .env("FOI_NO_INSTALL", "1")
        .output()
        .expect("scripts/check-parquet runs");
    let said = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => assert!(said.contains("every value as its CSV"), "{said}"),
        Some(2) => eprintln!("SKIPPED pyarrow_reads_every_parquet_table_as_its_csv: {said}"),
        other => panic!("scripts/check-parquet exited {other:?}:\n{said}"),
    }
}

/// lineage.parquet names, part by part, exactly the cells (and pages) each
/// record's row of records.csv lists, for every record and no other.
#[test]
fn lineage_names_each_records_cells() {
    let p = published();
    let (header, rows) = csv_table(&p.release.join("records.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let (id, cells) = (col("record_id"), col("cells"));
    let want: BTreeMap<String, String> = rows
        .iter()
        .map(|r| (r[id].clone(), r[cells].clone()))
        .collect();
    let lineage = parquet_as_csv(&p.release.join("lineage.parquet"));
    let mut rdr = csv::Reader::from_reader(lineage.as_slice());
    assert_eq!(
        rdr.headers().expect("header").iter().collect::<Vec<_>>(),
        ["record_id", "part", "cell"]
    );
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rdr.records() {
        let r = r.expect("row");
        let parts = got.entry(r[0].to_string()).or_default();
        assert_eq!(r[1], (parts.len() + 1).to_string(), "parts count up: {r:?}");
        assert!(!r[2].is_empty(), "every part names a place: {r:?}");
        parts.push(r[2].to_string());
    }
    let got: BTreeMap<String, String> = got.into_iter().map(|(k, v)| (k, v.join("; "))).collect();
    assert_eq!(got.len(), want.len(), "every record has lineage");
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------
// datapackage.json, checked as `frictionless validate` checks it

/// Every problem `frictionless validate` would report for a tabular data
/// package whose resources are local CSV files: the package and resource
/// descriptors, each CSV's dialect, encoding, size and sha256, field names
/// and order, every value against its type and constraints, primary keys
/// present and unique, and foreign keys found in the table they refer to.
fn validate_datapackage(dir: &Path) -> Vec<String> {
    let pkg = datapackage(dir);
    let mut errors = Vec::new();
    // Each resource's header and rows, for the foreign keys.
    let mut read_tables: BTreeMap<String, (Vec<String>, Vec<Vec<String>>)> = BTreeMap::new();
    let mut err = |s: String| errors.push(s);
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
    };
    if pkg["profile"] != "tabular-data-package" {
        err(format!("package profile {}", pkg["profile"]));
    }
    if !pkg["name"].as_str().is_some_and(name_ok) {
        err(format!("package name {}", pkg["name"]));
    }
    let Some(resources) = pkg["resources"].as_array().filter(|r| !r.is_empty()) else {
        err("no resources".into());
        return errors;
    };
    let mut resource_names = BTreeSet::new();
    for res in resources {
        let rname = res["name"].as_str().unwrap_or_default().to_string();
        if !name_ok(&rname) || !resource_names.insert(rname.clone()) {
            err(format!(
                "resource name {rname:?} missing, malformed or repeated"
            ));
        }
        if res["profile"] != "tabular-data-resource" {
            err(format!("{rname}: profile {}", res["profile"]));
        }
        let Some(path) = res["path"].as_str() else {
            err(format!("{rname}: no path"));
            continue;
        };
        // A path is relative, inside the package, with no way out of it.
        if path.starts_with('/') || path.split('/').any(|p| p == ".." || p.is_empty()) {
            err(format!("{rname}: unsafe path {path:?}"));
            continue;
        }
        let parquet = parquet_only(res);
        if parquet {
            if !path.ends_with(".parquet") || res["mediatype"] != "application/vnd.apache.parquet" {
                err(format!(
                    "{rname}: a Parquet resource at {path:?}, mediatype {}",
                    res["mediatype"]
                ));
            }
        } else if res["encoding"] != "utf-8" || res["format"] != "csv" {
            err(format!(
                "{rname}: encoding {} format {}",
                res["encoding"], res["format"]
            ));
        }
        let d = &res["dialect"];
        let terminator = d["lineTerminator"].as_str().unwrap_or("\r\n");
        if d["delimiter"].as_str().unwrap_or(",") != ","
            || d["quoteChar"].as_str().unwrap_or("\"") != "\""
            || d["header"] == false
            || d["doubleQuote"] == false
        {
            err(format!("{rname}: a dialect this check does not read: {d}"));
        }
        // A Parquet table is checked as the CSV of it would be.
        let bytes = if parquet {
            parquet_as_csv(&dir.join(path))
        } else {
            let Ok(bytes) = std::fs::read(dir.join(path)) else {
                err(format!("{rname}: {path} cannot be read"));
                continue;
            };
            if let Some(n) = res["bytes"].as_u64() {
                if n != bytes.len() as u64 {
                    err(format!(
                        "{rname}: {} bytes, datapackage.json says {n}",
                        bytes.len()
                    ));
                }
            }
            if let Some(h) = res["hash"].as_str() {
                if h != format!("sha256:{}", sha256(&bytes)) {
                    err(format!(
                        "{rname}: its sha256 is not the hash datapackage.json gives"
                    ));
                }
            }
            bytes
        };
        let Ok(text) = String::from_utf8(bytes) else {
            err(format!("{rname}: {path} is not UTF-8"));
            continue;
        };
        if !text.is_empty() && !text.ends_with(terminator) {
            err(format!("{rname}: {path} does not end with {terminator:?}"));
        }
        let schema = &res["schema"];
        let fields: Vec<&Json> = schema["fields"]
            .as_array()
            .map(|f| f.iter().collect())
            .unwrap_or_default();
        let missing: Vec<&str> = schema["missingValues"]
            .as_array()
            .map(|m| m.iter().filter_map(Json::as_str).collect())
            .unwrap_or_else(|| vec![""]);
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => {
                err(format!("{rname}: header: {e}"));
                continue;
            }
        };
        let names: Vec<String> = fields
            .iter()
            .map(|f| f["name"].as_str().unwrap_or_default().to_string())
            .collect();
        if header != names {
            err(format!(
                "{rname}: header {header:?} is not the schema's fields {names:?}"
            ));
            continue;
        }
        let key_names: Vec<String> = match &schema["primaryKey"] {
            Json::Null => Vec::new(),
            Json::String(k) => vec![k.clone()],
            Json::Array(ks) => ks
                .iter()
                .map(|k| k.as_str().unwrap_or_default().to_string())
                .collect(),
            other => {
                err(format!("{rname}: primaryKey {other}"));
                Vec::new()
            }
        };
        let mut key = Vec::new();
        for k in &key_names {
            match names.iter().position(|n| n == k) {
                Some(i) => key.push(i),
                None => err(format!("{rname}: primary key {k:?} is not a field")),
            }
        }
        let mut seen = BTreeSet::new();
        let mut kept = Vec::new();
        for (n, row) in rdr.records().enumerate() {
            let line = n + 2;
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    err(format!("{rname} row {line}: {e}"));
                    continue;
                }
            };
            if row.len() != fields.len() {
                err(format!(
                    "{rname} row {line}: {} cells, {} fields",
                    row.len(),
                    fields.len()
                ));
                continue;
            }
            for (v, f) in row.iter().zip(&fields) {
                if let Some(problem) = check_value(v, f, &missing) {
                    err(format!(
                        "{rname} row {line} field {}: {problem}",
                        f["name"].as_str().unwrap_or_default()
                    ));
                }
            }
            if !key.is_empty() {
                let k: Vec<&str> = key.iter().map(|&i| &row[i]).collect();
                if k.iter().any(|v| missing.contains(v)) {
                    err(format!(
                        "{rname} row {line}: primary key {k:?} has an empty part"
                    ));
                } else if !seen.insert(k.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
                    err(format!("{rname} row {line}: primary key {k:?} repeated"));
                }
            }
            kept.push(row.iter().map(str::to_string).collect::<Vec<_>>());
        }
        read_tables.insert(rname.clone(), (header, kept));
    }
    // Foreign keys: each row's values are a row of the table they refer to.
    for res in resources {
        let rname = res["name"].as_str().unwrap_or_default();
        let Some(keys) = res["schema"]["foreignKeys"].as_array() else {
            continue;
        };
        for k in keys {
            let strings = |j: &Json| -> Vec<String> {
                j.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (fields, target, target_fields) = (
                strings(&k["fields"]),
                k["reference"]["resource"].as_str().unwrap_or_default(),
                strings(&k["reference"]["fields"]),
            );
            let (Some((h, rows)), Some((th, trows))) =
                (read_tables.get(rname), read_tables.get(target))
            else {
                err(format!(
                    "{rname}: a foreign key to {target:?}, which was not read"
                ));
                continue;
            };
            let at = |h: &[String], names: &[String]| -> Option<Vec<usize>> {
                names
                    .iter()
                    .map(|n| h.iter().position(|x| x == n))
                    .collect()
            };
            let (Some(idx), Some(tidx)) = (at(h, &fields), at(th, &target_fields)) else {
                err(format!("{rname}: foreign key fields {fields:?} -> {target}.{target_fields:?} are not all fields"));
                continue;
            };
            let known: BTreeSet<Vec<&str>> = trows
                .iter()
                .map(|r| tidx.iter().map(|&i| r[i].as_str()).collect())
                .collect();
            for (n, r) in rows.iter().enumerate() {
                let v: Vec<&str> = idx.iter().map(|&i| r[i].as_str()).collect();
                if !known.contains(&v) {
                    err(format!(
                        "{rname} row {}: {v:?} is no row of {target}",
                        n + 2
                    ));
                }
            }
        }
    }
    // Every CSV of the release is described.
    for e in std::fs::read_dir(dir).expect("release dir").flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.ends_with(".csv")
            && !resources
                .iter()
                .any(|r| r["path"].as_str() == Some(name.as_str()))
        {
            errors.push(format!("{name} is not in datapackage.json"));
        }
    }
    errors
}

/// One value against its field: type (integer, number, boolean, string,
/// date) and constraints (required, minimum, maximum, enum, pattern-free).
fn check_value(v: &str, field: &Json, missing: &[&str]) -> Option<String> {
    let c = &field["constraints"];
    if missing.contains(&v) {
        return (c["required"] == true).then(|| "required but empty".to_string());
    }
    let ty = field["type"].as_str().unwrap_or("any");
    let is_int = |s: &str| {
        let d = s.strip_prefix('-').unwrap_or(s);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    };
    let number: Option<f64> = match ty {
        "integer" => {
            if !is_int(v) {
                return Some(format!("{v:?} is not an integer"));
            }
            v.parse::<f64>().ok()
        }
        "number" => match v.parse::<f64>() {
            Ok(x) if x.is_finite() && !v.starts_with('+') => Some(x),
            _ => return Some(format!("{v:?} is not a number")),
        },
        "boolean" => {
            let t = field["trueValues"]
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_str).collect::<Vec<_>>())
                .unwrap_or_else(|| vec!["true", "True", "TRUE", "1"]);
            let f = field["falseValues"]
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_str).collect::<Vec<_>>())
                .unwrap_or_else(|| vec!["false", "False", "FALSE", "0"]);
            if !t.contains(&v) && !f.contains(&v) {
                return Some(format!("{v:?} is not a boolean"));
            }
            None
        }
        "date" => {
            let ok = v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if !ok {
                return Some(format!("{v:?} is not a date"));
            }
            None
        }
        // The items joined by the field's delimiter: none of them empty.
        "list" => {
            let d = field["delimiter"].as_str().unwrap_or(",");
            if v.split(d).any(str::is_empty) {
                return Some(format!("{v:?} has an empty item"));
            }
            None
        }
        "string" | "any" => None,
        other => return Some(format!("type {other} is not checked here")),
    };
    if let Some(x) = number {
        if let Some(min) = c["minimum"].as_f64() {
            if x < min {
                return Some(format!("{v} is below the minimum {min}"));
            }
        }
        if let Some(max) = c["maximum"].as_f64() {
            if x > max {
                return Some(format!("{v} is above the maximum {max}"));
            }
        }
    }
    if let Some(allowed) = c["enum"].as_array() {
        if !allowed.iter().any(|a| a.as_str() == Some(v)) {
            return Some(format!("{v:?} is not one of {allowed:?}"));
        }
    }
    for k in ["minLength", "maxLength", "pattern", "unique"] {
        if !c[k].is_null() {
            return Some(format!("constraint {k} is not checked here"));
        }
    }
    None
}

#[test]
fn the_datapackage_describes_its_csv() {
    let p = published();
    let errors = validate_datapackage(&p.release);
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors[..errors.len().min(40)].join("\n")
    );
}

/// The check itself finds what it should: a release with a repeated key, a
/// word where a count belongs, a negative count, an empty key and a column
/// out of order.
#[test]
fn the_datapackage_check_finds_broken_csv() {
    let p = published();
    let tmp = tempfile::tempdir().expect("tmp");
    for e in std::fs::read_dir(&p.release).expect("release").flatten() {
        std::fs::copy(e.path(), tmp.path().join(e.file_name())).expect("copy");
    }
    let by_force = tmp.path().join("by_force.csv");
    let text = String::from_utf8(read(&by_force)).expect("UTF-8");
    let mut lines: Vec<String> = text.split_terminator("\r\n").map(str::to_string).collect();
    let first = lines[1].clone();
    lines.push(first); // a repeated key
    let cells = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let mut word = cells(&lines[2]);
    word[4] = "twelve".into();
    lines[2] = word.join(",");
    let mut negative = cells(&lines[3]);
    negative[5] = "-1".into();
    lines[3] = negative.join(",");
    let mut no_key = cells(&lines[4]);
    no_key[1] = String::new();
    lines[4] = no_key.join(",");
    std::fs::write(&by_force, format!("{}\r\n", lines.join("\r\n"))).expect("write");
    let coverage = tmp.path().join("coverage.csv");
    let text = String::from_utf8(read(&coverage)).expect("UTF-8");
    std::fs::write(
        &coverage,
        text.replacen("force_id,force_code", "force_code,force_id", 1),
    )
    .expect("write");

    let errors = validate_datapackage(tmp.path()).join("\n");
    for want in [
        "repeated",
        "by_force: its sha256 is not the hash datapackage.json gives",
        "by_force: a foreign key to \"coverage\", which was not read",
        "\"twelve\" is not an integer",
        "-1 is below the minimum 0",
        "has an empty part",
        "coverage: header",
    ] {
        assert!(errors.contains(want), "finds {want:?}:\n{errors}");
    }
}

// ---------------------------------------------------------------------------
// Reproducible builds

#[test]
fn two_builds_from_one_cache_are_byte_identical() {
    let p = published();
    let out2 = tempfile::tempdir().expect("tmp");
    let out = Command::cargo_bin("foi")
        .expect("foi")
        .current_dir(root())
        .arg("--cache-dir")
        .arg(p.root.join("cache"))
        .arg("--out")
        .arg(out2.path())
        .arg("build")
        .output()
        .expect("foi build");
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = out2.path().join("latest").canonicalize().expect("latest");
    assert_ne!(second, p.release);
    let files = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .expect("release")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            // scripts/check-html's screenshots
            .filter(|n| n != "summary.png" && n != "summary-phone.png")
            .collect()
    };
    let names = files(&p.release);
    assert_eq!(names, files(&second), "the same files");
    let pkg = datapackage(&p.release);
    // Each table as CSV and Parquet, or Parquet alone.
    let mut expected: BTreeSet<String> = resources(&pkg)
        .iter()
        .flat_map(|r| {
            let t = r["name"].as_str().expect("name");
            if parquet_only(r) {
                vec![format!("{t}.parquet")]
            } else {
                vec![format!("{t}.csv"), format!("{t}.parquet")]
            }
        })
        .collect();
    for n in [
        "nspcc-online-csa.xlsx",
        "datapackage.json",
        "summary.html",
        "manifest.json",
    ] {
        expected.insert(n.to_string());
    }
    assert_eq!(names, expected, "every file a release holds");
    let mut differ = Vec::new();
    for n in names.iter().filter(|n| *n != "manifest.json") {
        if read(&p.release.join(n)) != read(&second.join(n)) {
            differ.push(n.clone());
        }
    }
    assert!(differ.is_empty(), "differ between builds: {differ:?}");

    // manifest.json differs by design (run id, times), but the outputs it
    // lists are the files as written, and the same in both.
    let manifest = |dir: &Path| -> Json {
        serde_json::from_slice(&read(&dir.join("manifest.json"))).expect("manifest.json")
    };
    let (m1, m2) = (manifest(&p.release), manifest(&second));
    assert_eq!(m1["outputs"], m2["outputs"]);
    for o in m1["outputs"].as_array().expect("outputs") {
        let name = o["name"].as_str().expect("name");
        let bytes = read(&p.release.join(name));
        assert_eq!(
            o["sha256"],
            sha256(&bytes),
            "{name}'s sha256 in manifest.json"
        );
        assert_eq!(o["bytes"], bytes.len(), "{name}'s size in manifest.json");
    }
}

// ---------------------------------------------------------------------------
// The HTML summary (scripts/check-html renders it in a real browser)

#[test]
fn the_summary_is_one_self_contained_file() {
    let p = published();
    let html = String::from_utf8(read(&p.release.join("summary.html"))).expect("UTF-8");
    let lower = html.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains("<html lang=\"en\">"));
    // Nothing is loaded from elsewhere: no scripts, images, styles or fonts.
    for banned in [
        "<script", "src=", "url(", "@import", "<link", "<img", "<iframe",
    ] {
        assert!(
            !lower.contains(banned),
            "summary.html needs nothing from elsewhere: found {banned:?}"
        );
    }
    // Links go to a section of the page, a file of the release beside it,
    // an email address, or (the licence, a source's URL) a web page a
    // reader may choose to open.
    let files: BTreeSet<String> = std::fs::read_dir(&p.release)
        .expect("release")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let mut linked = BTreeSet::new();
    for href in html.split("href=\"").skip(1) {
        let href = href.split('"').next().unwrap_or_default();
        let ok = href.starts_with('#')
            || href.starts_with("mailto:")
            || href.starts_with("https://")
            || files.contains(href);
        assert!(ok, "a link to {href:?}");
        linked.insert(href.to_string());
    }
    // Every data file is linked.
    let pkg = datapackage(&p.release);
    for r in resources(&pkg) {
        let path = r["path"].as_str().expect("path");
        assert!(linked.contains(path), "the summary links {path}");
    }
    for f in ["nspcc-online-csa.xlsx", "datapackage.json"] {
        assert!(linked.contains(f), "the summary links {f}");
    }
    // Landmarks, and every section the nav names is there.
    for tag in ["<header>", "<nav ", "<main ", "<footer>"] {
        assert!(lower.contains(tag), "a {tag} landmark");
    }
    for anchor in linked.iter().filter(|h| h.starts_with('#')) {
        assert!(
            html.contains(&format!("id=\"{}\"", &anchor[1..])),
            "{anchor} leads somewhere"
        );
    }
    // Balanced: every table, list and paragraph closed.
    for tag in ["table", "ol", "ul", "p", "tr", "td", "th", "section"] {
        let open =
            lower.matches(&format!("<{tag}>")).count() + lower.matches(&format!("<{tag} ")).count();
        let close = lower.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close}");
    }
    // The headline figures are the national totals.
    let national = read_csv(&p.release.join("national.csv"));
    for row in national.iter().filter(|r| r["breakdown"] == "total") {
        let lo: u64 = row["lo"].parse().expect("lo");
        let hi: u64 = row["hi"].parse().expect("hi");
        let shown = foi_publish::show_range(lo, hi);
        assert!(html.contains(&shown), "the headline shows {shown}");
    }
    // Every chart's data is in its table: each force's total as by_force
    // gives it, and a flagged force says so in words, not by colour alone.
    let by_force = read_csv(&p.release.join("by_force.csv"));
    let charts: Vec<&str> = html.split("<table class=\"chart\">").skip(1).collect();
    assert_eq!(charts.len(), 2, "a chart for each request");
    for (chart, request) in charts.iter().zip(["ye-jun-2016", "fy-2016-17"]) {
        let chart = chart.split("</table>").next().unwrap_or_default();
        let rows: Vec<&Row> = by_force
            .iter()
            .filter(|r| r["request"] == request)
            .collect();
        assert_eq!(
            chart.matches("<tr>").count(),
            rows.len() + 1,
            "{request}: a row per force"
        );
        for r in rows {
            let name = r["force_name"].replace('&', "&amp;");
            let lo: u64 = r["lo"].parse().expect("lo");
            let hi: u64 = r["hi"].parse().expect("hi");
            let row = chart
                .split("<tr>")
                .find(|tr| tr.contains(&format!("<th scope=\"row\">{name}")))
                .unwrap_or_else(|| panic!("{request}: a row for {name}"));
            assert!(
                row.contains(&foi_publish::show_range(lo, hi)),
                "{request}: {name}'s figure"
            );
            let labelled = row.contains("<span class=\"flag\">flagged</span>");
            assert_eq!(
                labelled,
                r["flagged"] == "true",
                "{request}: {name} labelled flagged"
            );
            // Its bar is hatched too, and hidden from screen readers, which
            // read the figure in the row instead.
            assert!(row.contains("<span class=\"bars\" aria-hidden=\"true\">"));
            assert_eq!(row.contains("class=\"flagged\""), labelled);
        }
    }
    // The breakdowns and the reconciliation are shown.
    for caption in [
        "<caption>Offences by offence group</caption>",
        "<caption>Offences by victim&#39;s age</caption>",
    ] {
        assert!(
            html.contains(caption) || html.contains(&caption.replace("&#39;", "'")),
            "{caption}"
        );
    }
    assert!(
        html.contains("figures the sources state"),
        "the reconciliation is summed up"
    );
}

/// A campaign's `[publisher]` is on the workbook's cover, at the foot of
/// the HTML summary and among datapackage.json's contributors; its source
/// and licence are where readers look too.
#[test]
fn the_publisher_is_named_where_readers_look() {
    let tmp = tempfile::tempdir().expect("tmp");
    let release = published_with_publisher(tmp.path());

    let mut wb: Xlsx<_> = open_workbook(release.join("nspcc-online-csa.xlsx")).expect("xlsx");
    let cover = wb.worksheet_range("Cover").expect("Cover");
    let lines: Vec<String> = cover
        .rows()
        .filter_map(|r| r.first().map(|c| cell_text(Some(c))))
        .collect();
    let after = |heading: &str| -> String {
        let i = lines
            .iter()
            .position(|l| l == heading)
            .unwrap_or_else(|| panic!("a {heading:?} heading on the cover: {lines:?}"));
        lines.get(i + 1).cloned().unwrap_or_default()
    };
    assert_eq!(after("Source"), PUBLISHER_SOURCE);
    assert_eq!(after("Release date"), "20 June 2017");
    assert_eq!(after("Next update"), "June 2018");
    assert_eq!(after("Publisher"), "Example Charity");
    assert_eq!(after("Contact"), "research@example.org");
    assert_eq!(
        after("Licence"),
        "These tables may be used and re-used under the Creative Commons Attribution 4.0 International licence."
    );

    let html = String::from_utf8(read(&release.join("summary.html"))).expect("UTF-8");
    assert!(html
        .contains("<p>Published by Example Charity on 20 June 2017. Next update: June 2018.</p>"));
    assert!(html.contains(
        "<p>Contact: <a href=\"mailto:research@example.org\">research@example.org</a></p>"
    ));
    assert!(html.contains(PUBLISHER_SOURCE));
    assert!(html.contains("Released 20 June 2017 by Example Charity."));

    let pkg = datapackage(&release);
    assert_eq!(
        pkg["contributors"],
        serde_json::json!([
            { "title": "Example Charity", "role": "publisher", "email": "research@example.org" }
        ])
    );
    assert_eq!(pkg["version"], "2.1");
    assert_eq!(pkg["created"], "2017-06-20T00:00:00Z");
    assert_eq!(
        pkg["licenses"],
        serde_json::json!([{
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International licence",
            "path": "https://creativecommons.org/licenses/by/4.0/"
        }])
    );
}

const PUBLISHER_SOURCE: &str =
    "Replies to the NSPCC's Freedom of Information requests, 2017, as the forces sent them.";

/// The bundled campaign with a publisher, a source and a licence of its
/// own, run in `tmp`: its release.
fn published_with_publisher(tmp: &Path) -> PathBuf {
    let config = copy_config(tmp);
    let campaign = config.join("campaigns/nspcc-online-csa/campaign.toml");
    let text = std::fs::read_to_string(&campaign).expect("campaign.toml");
    // Top-level keys before the first table.
    let text = text.replacen(
        "unit = \"offences\"",
        &format!("unit = \"offences\"\nsource = \"{PUBLISHER_SOURCE}\""),
        1,
    );
    std::fs::write(
        &campaign,
        format!(
            "{text}\n[publisher]\nname = \"Example Charity\"\ncontact = \"research@example.org\"\npublished = 2017-06-20\nnext_update = \"June 2018\"\nversion = \"2.1\"\n\n[licence]\nname = \"CC-BY-4.0\"\ntitle = \"Creative Commons Attribution 4.0 International licence\"\npath = \"https://creativecommons.org/licenses/by/4.0/\"\n"
        ),
    )
    .expect("write");
    let out = foi_in(tmp).arg("run").output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmp.join("out/latest")
}

// ---------------------------------------------------------------------------
// The workbook against the Government Analysis Function's checklist
// ("Releasing statistics in spreadsheets"), point by point

/// A file inside the workbook (a zip of XML parts), as text.
fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("an xlsx is a zip");
    let mut s = String::new();
    zip.by_name(part)
        .unwrap_or_else(|e| panic!("{part}: {e}"))
        .read_to_string(&mut s)
        .expect("UTF-8 XML");
    s
}

/// The value of each `name="…"` attribute in `xml`'s `<tag …>` elements.
fn attributes<'x>(xml: &'x str, tag: &str, name: &str) -> Vec<&'x str> {
    xml.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|e| {
            let e = e.split('>').next()?;
            let v = e
                .split(&format!(" {name}=\""))
                .nth(1)
                .or_else(|| e.strip_prefix(&format!("{name}=\"")))?;
            v.split('"').next()
        })
        .collect()
}

/// The checklist, on a workbook: every point it fails.
fn workbook_checklist(release: &Path, campaign: &str) -> Vec<String> {
    let mut fails = Vec::new();
    let path = release.join(format!("{campaign}.xlsx"));
    let mut wb: Xlsx<_> = open_workbook(&path).expect("the xlsx opens");
    wb.load_tables().expect("tables");
    let sheets = wb.sheet_names();
    let pkg = datapackage(release);

    // 1. A cover sheet first, with the title, what the tables are, the
    //    source (the campaign's own), contact, release date and licence.
    if sheets.first().map(String::as_str) != Some("Cover") {
        fails.push(format!("1. the first sheet is not the cover: {sheets:?}"));
    }
    let cover = wb.worksheet_range("Cover").expect("Cover");
    let lines: Vec<String> = cover
        .rows()
        .map(|r| r.first().map(|c| cell_text(Some(c))).unwrap_or_default())
        .collect();
    if lines.first() != pkg["title"].as_str().map(str::to_string).as_ref() {
        fails.push(format!(
            "1. the cover's A1 is not the title: {:?}",
            lines.first()
        ));
    }
    for heading in [
        "About these tables",
        "Periods covered",
        "Source",
        "Release date",
        "Next update",
        "Publisher",
        "Contact",
        "Licence",
    ] {
        match lines.iter().position(|l| l == heading) {
            Some(i) if lines.get(i + 1).is_some_and(|t| !t.trim().is_empty()) => {}
            _ => fails.push(format!(
                "1. the cover has no {heading:?} with text under it"
            )),
        }
    }
    if lines
        .iter()
        .any(|l| l.contains("Replies of the 44 police forces"))
        && campaign.starts_with("ons-")
    {
        fails.push("1. the cover names the wrong source".into());
    }

    // 2. Contents: marked up as a table, linking by a descriptive title to
    //    every sheet after it, and to no sheet that is not there.
    let contents_tables = wb.table_names_in_sheet("Contents");
    if contents_tables.len() != 1 {
        fails.push(format!(
            "2. Contents is not one marked-up table: {contents_tables:?}"
        ));
    }
    let rels = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    let locations: Vec<String> = attributes(&rels, "hyperlink", "location")
        .into_iter()
        .map(|l| l.replace("&apos;", "'"))
        .collect();
    let linked: Vec<String> = locations
        .iter()
        .map(|l| l.trim_end_matches("!A1").trim_matches('\'').to_string())
        .collect();
    let after_contents: Vec<String> = sheets.iter().skip(2).cloned().collect();
    if linked != after_contents {
        fails.push(format!(
            "2. Contents links {linked:?}, the sheets after it are {after_contents:?}"
        ));
    }
    let contents = wb.worksheet_range("Contents").expect("Contents");
    for row in contents.rows().skip(3) {
        let (sheet, text) = (cell_text(row.first()), cell_text(row.get(1)));
        if text.is_empty() || text == sheet {
            fails.push(format!(
                "2. the link to {sheet} is not descriptive: {text:?}"
            ));
        }
    }

    // 3. Notes: marked up as a table; every [note N] a sheet refers to is
    //    there, and every note is referred to.
    if wb.table_names_in_sheet("Notes").len() != 1 {
        fails.push("3. Notes is not one marked-up table".into());
    }
    let notes = wb.worksheet_range("Notes").expect("Notes");
    let numbers: Vec<String> = notes.rows().skip(3).map(|r| cell_text(r.first())).collect();
    let mut referred = BTreeSet::new();
    for sheet in sheets.iter().skip(3) {
        let range = wb.worksheet_range(sheet).expect("sheet");
        for row in range.rows().take(3) {
            for c in row {
                let t = cell_text(Some(c));
                let mut refs: Vec<u32> = t
                    .split("[note ")
                    .skip(1)
                    .filter_map(|x| x.split(']').next()?.parse().ok())
                    .collect();
                // "[note 4] to [note 9]" refers to every note between.
                if t.contains("] to [note ") {
                    for pair in t.split("] to [note ").collect::<Vec<_>>().windows(2) {
                        let from: Option<u32> =
                            pair[0].rsplit("[note ").next().and_then(|x| x.parse().ok());
                        let to: Option<u32> =
                            pair[1].split(']').next().and_then(|x| x.parse().ok());
                        if let (Some(a), Some(b)) = (from, to) {
                            refs.extend(a..=b);
                        }
                    }
                }
                referred.extend(refs);
            }
        }
    }
    for n in &referred {
        if !numbers.contains(&format!("note {n}")) {
            fails.push(format!(
                "3. [note {n}] is referred to but not on the Notes sheet"
            ));
        }
    }
    for n in &numbers {
        let k: u32 = n.trim_start_matches("note ").parse().unwrap_or(0);
        if !referred.contains(&k) {
            fails.push(format!("3. {n} is referred to by no sheet"));
        }
    }

    // 4. Plain headers with units: each table's header row is its fields'
    //    titles in words (no code names such as figure_id, lo or hi), each
    //    count naming what it counts.
    // 7. No empty sheets: each table sheet has rows, and each table with
    //    rows has a sheet.
    for r in resources(&pkg) {
        let name = r["name"].as_str().expect("name");
        let fields = r["schema"]["fields"].as_array().expect("fields");
        let rows = if parquet_only(r) {
            0
        } else {
            csv_table(&release.join(format!("{name}.csv"))).1.len()
        };
        let has_sheet = sheets.iter().any(|s| s == name);
        if has_sheet != (rows > 0) {
            fails.push(format!("7. {name}: {rows} rows, a sheet: {has_sheet}"));
        }
        if !has_sheet {
            continue;
        }
        let range = wb.worksheet_range(name).expect("sheet");
        if range.height() <= 3 {
            fails.push(format!("7. the {name} sheet is empty"));
        }
        for (c, f) in fields.iter().enumerate() {
            let header = cell_text(range.get_value((2, c as u32)));
            let code = f["name"].as_str().expect("name");
            if header == code
                || header.contains('_')
                || !header.starts_with(|ch: char| ch.is_uppercase())
            {
                fails.push(format!("4. {name}: the header {header:?} is a code name"));
            }
            if let Some(unit) = f["unit"].as_str() {
                let words = without_notes(&header).to_lowercase();
                let named = words.contains(unit) || (unit == "percent" && words.contains('%'));
                if !named {
                    fails.push(format!(
                        "4. {name}: the header {header:?} does not say it counts {unit}"
                    ));
                }
            }
        }
    }

    // 5. Text wrapped, widths sensible: every column of every sheet is
    //    given a width between 8 and 120 characters, and a text longer than
    //    its column wraps (its cell's style wraps text).
    let styles = xlsx_part(&path, "xl/styles.xml");
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|x| x.split("</cellXfs>").next())
        .unwrap_or_default();
    let wraps: Vec<bool> = xfs
        .split("<xf ")
        .skip(1)
        .map(|xf| {
            xf.split("</xf>")
                .next()
                .unwrap_or(xf)
                .contains("wrapText=\"1\"")
        })
        .collect();
    for (i, sheet) in sheets.iter().enumerate() {
        let xml = xlsx_part(&path, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let widths: Vec<f64> = attributes(&xml, "col", "width")
            .iter()
            .filter_map(|w| w.parse().ok())
            .collect();
        if widths.is_empty() || widths.iter().any(|w| !(8.0..=121.0).contains(w)) {
            fails.push(format!("5. {sheet}: column widths {widths:?}"));
        }
        let cols: Vec<(u32, u32, f64)> = xml
            .split("<col ")
            .skip(1)
            .filter_map(|c| {
                let c = c.split('>').next()?;
                let get = |k: &str| c.split(&format!("{k}=\"")).nth(1)?.split('"').next();
                Some((
                    get("min")?.parse().ok()?,
                    get("max")?.parse().ok()?,
                    get("width")?.parse().ok()?,
                ))
            })
            .collect();
        let width_of = |col: u32| {
            cols.iter()
                .find(|(a, b, _)| (*a..=*b).contains(&col))
                .map(|c| c.2)
        };
        let range = wb.worksheet_range(sheet).expect("sheet");
        let cells: Vec<&str> = xml.split("<c r=\"").skip(1).collect();
        for c in cells {
            let at = c.split('"').next().unwrap_or_default();
            let letters: String = at
                .chars()
                .take_while(|ch| ch.is_ascii_alphabetic())
                .collect();
            let row: u32 = at[letters.len()..].parse().unwrap_or(0);
            let col = letters
                .bytes()
                .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
            let style: usize = c
                .split('>')
                .next()
                .and_then(|h| h.split(" s=\"").nth(1))
                .and_then(|v| v.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            // Text cells only: a number is drawn by Excel in its own way.
            let text = match range.get_value((row - 1, col - 1)) {
                Some(Data::String(t)) => t.clone(),
                _ => continue,
            };
            let Some(w) = width_of(col) else { continue };
            // Titles and one-line captions above a table may run on.
            if row > 2
                && text.chars().count() as f64 > w + 1.0
                && !wraps.get(style).copied().unwrap_or(false)
            {
                fails.push(format!(
                    "5. {sheet}!{at}: {} characters in a column {w} wide, not wrapped",
                    text.chars().count()
                ));
                break;
            }
        }
    }

    // 6. Tables marked up: each table sheet holds one Excel table.
    for sheet in sheets.iter().skip(2) {
        if wb.table_names_in_sheet(sheet).len() != 1 {
            fails.push(format!("6. {sheet} is not one marked-up table"));
        }
    }

    // 8. Document properties set: title, subject, author, keywords and a
    //    date (from the campaign, never the clock).
    let core = xlsx_part(&path, "docProps/core.xml");
    for tag in [
        "dc:title",
        "dc:subject",
        "dc:creator",
        "cp:keywords",
        "dcterms:created",
    ] {
        let v = core
            .split(&format!("<{tag}"))
            .nth(1)
            .and_then(|x| x.split('>').nth(1))
            .and_then(|x| x.split('<').next())
            .unwrap_or_default();
        if v.trim().is_empty() {
            fails.push(format!("8. the document property {tag} is empty"));
        }
    }
    if core.contains(&format!("{}", chrono::Utc::now().format("%Y-%m-%dT"))) {
        fails.push("8. a document date is today's: the clock reached the workbook".into());
    }
    fails
}

#[test]
fn the_workbook_meets_the_analysis_function_checklist() {
    let p = published();
    let fails = workbook_checklist(&p.release, "nspcc-online-csa");
    assert!(
        fails.is_empty(),
        "the bundled workbook:\n{}",
        fails.join("\n")
    );
    // With a publisher, a source and a licence of its own, each is on the
    // cover (the_publisher_is_named_where_readers_look checks the words).
    let tmp = tempfile::tempdir().expect("tmp");
    let release = published_with_publisher(tmp.path());
    let fails = workbook_checklist(&release, "nspcc-online-csa");
    assert!(fails.is_empty(), "with a publisher:\n{}", fails.join("\n"));
    let core = xlsx_part(&release.join("nspcc-online-csa.xlsx"), "docProps/core.xml");
    assert!(
        core.contains("2017-06-20T00:00:00Z"),
        "created on the release date: {core}"
    );
    assert!(
        core.contains("<dc:creator>Example Charity</dc:creator>"),
        "{core}"
    );
}

/// The ONS campaign's workbook names its own source (it once said
/// "Replies of the 44 police forces asked to Freedom of Information
/// requests" for table P1), and meets the checklist too.
#[test]
fn the_ons_workbook_names_its_own_source() {
    let file = root().join("../shared/realworld/ons_pfa_tables_ye_mar2018_v2.xlsx");
    if !file.is_file() {
        eprintln!("skipped: {} is not beside the repository", file.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let out = foi(tmp.path())
        .args(["--campaign", "ons-prc-ye-mar2018", "run"])
        .output()
        .expect("foi runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let release = tmp.path().join("out/latest");
    let fails = workbook_checklist(&release, "ons-prc-ye-mar2018");
    assert!(fails.is_empty(), "{}", fails.join("\n"));
    let mut wb: Xlsx<_> = open_workbook(release.join("ons-prc-ye-mar2018.xlsx")).expect("xlsx");
    let cover = wb.worksheet_range("Cover").expect("Cover");
    let lines: Vec<String> = cover.rows().map(|r| cell_text(r.first())).collect();
    let i = lines
        .iter()
        .position(|l| l == "Source")
        .expect("a Source heading");
    assert!(
        lines[i + 1].starts_with("Office for National Statistics, \"Police recorded crime by offence group and police force area, year ending March 2018\", table P1"),
        "{}",
        lines[i + 1]
    );
    let html = String::from_utf8(read(&release.join("summary.html"))).expect("UTF-8");
    assert!(html.contains("table P1 (policeforceareatablesyearendingmarch2018v2.xlsx)"));
    // Its one source file, with the forces it answers for.
    let pkg = datapackage(&release);
    let sources = pkg["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(sources[0]["forces"].as_array().map(Vec::len), Some(44));
}

/// A campaign of one request has nothing to compare: its comparisons table
/// is published empty as CSV and Parquet, with no sheet in the workbook,
/// and the cover says so.
#[test]
fn a_campaign_of_one_request_has_no_empty_sheet() {
    let tmp = tempfile::tempdir().expect("tmp");
    campaign_in(
        tmp.path(),
        "split-national",
        &[
            ("campaign.toml", SPLIT_CAMPAIGN),
            ("crosswalks/markers.csv", "label,value\n..,not_available\n"),
            ("responses/recorded-crime.toml", SPLIT_NATIONAL),
        ],
    );
    let (code, _, stderr) = run_campaign(tmp.path(), "split-national");
    let release = tmp.path().join("out/latest");
    assert!(
        release.join("comparisons.csv").is_file(),
        "exit {code:?}: {stderr}"
    );
    assert!(csv_table(&release.join("comparisons.csv")).1.is_empty());
    let mut wb: Xlsx<_> = open_workbook(release.join("split-national.xlsx")).expect("xlsx");
    assert!(
        !wb.sheet_names().iter().any(|s| s == "comparisons"),
        "{:?}",
        wb.sheet_names()
    );
    let cover = wb.worksheet_range("Cover").expect("Cover");
    assert!(
        cover.rows().any(|r| cell_text(r.first()).contains(
            "comparisons.csv and comparisons.parquet: no rows in this release, so no sheet"
        )),
        "the cover says why comparisons has no sheet"
    );
    let fails = workbook_checklist(&release, "split-national");
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

// ---------------------------------------------------------------------------
// Never silently wrong: every gap said where the figure is published

/// A campaign of its own in a copy of the config: each (path under the
/// campaign folder, text). Sources are read from the repository's fixtures.
fn campaign_in(tmp: &Path, id: &str, files: &[(&str, &str)]) {
    let dir = copy_config(tmp).join("campaigns").join(id);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write config");
    }
}

/// `foi --campaign <id> run` in `tmp`: exit code, stdout and stderr.
fn run_campaign(tmp: &Path, id: &str) -> (Option<i32>, String, String) {
    let out = foi_in(tmp)
        .args(["--campaign", id, "run"])
        .output()
        .expect("foi runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn coverage_row<'r>(rows: &'r [Row], force: &str, request: &str) -> &'r Row {
    rows.iter()
        .find(|r| r["force_id"] == force && r["request"] == request)
        .unwrap_or_else(|| panic!("no coverage row for {force} {request}"))
}

/// A campaign of one request, answered by a national table.
const SPLIT_CAMPAIGN: &str = r#"id = "split-national"
title = "Recorded crime from a national table in two parts"
unit = "offences"
breakdowns = [["crime"]]

[suppression]
markers = "crosswalks/markers.csv"

[[request]]
id = "ye-mar-2018"
title = "Year ending March 2018"
period = { from = 2017-04-01, to = 2018-03-31 }

[[dimension]]
id = "crime"
title = "Crime"
kind = "text"
"#;

/// A national table in two parts, one under the other in one file: part
/// 1a ends where 1b's title starts.
const SPLIT_NATIONAL: &str = r#"requests = ["ye-mar-2018"]
status = "answered"
source = { path = "fixtures/national/recorded-crime.csv" }

[[table]]
header = '^Area code$'
stop = '^Table 1b'
column = [
  { header = '^Area code$', role = "force" },
  { header = '^Area name$', role = "force" },
  { header = '.', role = "by_header", dim = "crime" },
]

[[table]]
header = '^Area code$'
occurrence = 2
stop = '(?i)^source:'
column = [
  { header = '^Area code$', role = "force" },
  { header = '^Area name$', role = "force" },
  { header = '.', role = "by_header", dim = "crime" },
]
"#;

/// Issue 14: a national source split into two tables that between them
/// missed 24 forces published "20 of 44 forces" with no warning, and a
/// force whose row is all ".." was said to have no row.
#[test]
fn a_national_source_that_leaves_forces_out_says_so_in_coverage_and_headline() {
    let tmp = tempfile::tempdir().expect("tmp");
    campaign_in(
        tmp.path(),
        "split-national",
        &[
            ("campaign.toml", SPLIT_CAMPAIGN),
            ("crosswalks/markers.csv", "label,value\n..,not_available\n"),
            ("responses/recorded-crime.toml", SPLIT_NATIONAL),
        ],
    );
    let (code, stdout, stderr) = run_campaign(tmp.path(), "split-national");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stdout.contains(
            "Year ending March 2018 (ye-mar-2018): 73,604 offences from 20 of 44 forces\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "    ye-mar-2018: 1 force not added, every figure marked not available in the source: leicestershire\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    ye-mar-2018: 23 forces not added, no row in the national source: northamptonshire, cambridgeshire, "),
        "{stdout}"
    );
    let release = tmp.path().join("out/latest");
    let coverage = read_csv(&release.join("coverage.csv"));
    let leicestershire = coverage_row(&coverage, "leicestershire", "ye-mar-2018");
    assert_eq!(leicestershire["included"], "false");
    assert_eq!(leicestershire["reason_code"], "not_available");
    assert_eq!(
        leicestershire["reason"],
        "the source marks this force's figures as not available (2 cells)"
    );
    let no_row: Vec<&str> = coverage
        .iter()
        .filter(|r| r["reason_code"] == "no_row")
        .map(|r| {
            assert_eq!(r["reason"], "the source has no row for this force");
            r["force_id"].as_str()
        })
        .collect();
    assert_eq!(no_row.len(), 23, "{no_row:?}");
    assert!(no_row.contains(&"btp") && !no_row.contains(&"leicestershire"));
    let added = coverage.iter().filter(|r| r["included"] == "true").count();
    assert_eq!(added, 20);
    // The same in the summary a reader opens.
    let html = String::from_utf8(read(&release.join("summary.html"))).expect("UTF-8");
    assert!(html.contains("23 forces not added, no row in the national source: northamptonshire"));
}

/// Issue 14: "change, ye-jun-2016 to fy-2016-17, 5 forces: +2,083
/// (+1627.3%)" was printed when one request had one force and the other
/// five. The matched panel comes first; the rest is not comparable.
#[test]
fn a_change_over_different_forces_is_not_given_the_matched_panel_comes_first() {
    let tmp = tempfile::tempdir().expect("tmp");
    let response = |request: &str, file: &str| {
        format!(
            "requests = [\"{request}\"]\nstatus = \"answered\"\nsource = {{ path = \"fixtures/national/{file}\" }}\n\n[[table]]\nheader = '^Force$'\ncolumn = [\n  {{ header = '^Force$', role = \"force\" }},\n  {{ header = '^Offences$', role = \"value\" }},\n]\n"
        )
    };
    let (r1, r2) = (
        response("fy-2015-16", "offences-2015-16.csv"),
        response("fy-2016-17", "offences-2016-17.csv"),
    );
    campaign_in(
        tmp.path(),
        "changes",
        &[
            (
                "campaign.toml",
                r#"id = "changes"
title = "Offences, two years"
unit = "offences"

[[request]]
id = "fy-2015-16"
title = "2015/16"
period = { from = 2015-04-01, to = 2016-03-31 }

[[request]]
id = "fy-2016-17"
title = "2016/17"
period = { from = 2016-04-01, to = 2017-03-31 }
"#,
            ),
            ("responses/fy-2015-16.toml", &r1),
            ("responses/fy-2016-17.toml", &r2),
        ],
    );
    let (code, stdout, stderr) = run_campaign(tmp.path(), "changes");
    assert!(matches!(code, Some(0) | Some(3)), "{stderr}");
    let changes: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("change,"))
        .collect();
    assert_eq!(
        changes,
        [
            "  change, fy-2015-16 to fy-2016-17, matched panel of 1 force: +7 (+5.5%)",
            "  change, fy-2015-16 to fy-2016-17, all forces: not comparable, fy-2015-16 has 1 force and fy-2016-17 has 5",
        ],
        "{stdout}"
    );
    let cmp = read_csv(&tmp.path().join("out/latest/comparisons.csv"));
    assert_eq!(cmp[0]["basis"], "matched_panel");
    assert_eq!(
        (
            cmp[0]["comparable"].as_str(),
            cmp[0]["change_value"].as_str()
        ),
        ("true", "7")
    );
    assert_eq!(cmp[1]["basis"], "all_forces");
    for col in ["change_value", "change_lo", "change_hi", "percent_change"] {
        assert_eq!(cmp[1][col], "", "{col} over different forces");
    }
    assert_eq!(cmp[1]["comparable"], "false");
    assert_eq!(
        (
            cmp[1]["from_forces"].as_str(),
            cmp[1]["to_forces"].as_str(),
            cmp[1]["from_value"].as_str(),
            cmp[1]["to_value"].as_str()
        ),
        ("1", "5", "128", "2213")
    );
    assert!(
        cmp[1]["notes"].starts_with("not comparable: fy-2015-16 has 1 force and fy-2016-17 has 5")
    );
}

/// Issue 15: one long text (a note, a description) past Excel's 32,767
/// characters failed the whole release with an error about the xlsx. And
/// a force that says it answered for part of a request's period is added,
/// flagged on every figure it enters and left out of the matched panel.
#[test]
fn long_text_never_fails_a_release_and_a_partial_period_is_flagged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let campaign_dir = config.join("campaigns/nspcc-online-csa");
    let campaign = campaign_dir.join("campaign.toml");
    let text = std::fs::read_to_string(&campaign).expect("campaign.toml");
    let start = text.find("description = \"\"\"").expect("a description");
    let end = start + 20 + text[start + 20..].find("\"\"\"").expect("its end") + 3;
    let long: String = (1..=2_000)
        .map(|i| format!("Sentence {i} of a long description. "))
        .collect();
    assert!(long.len() > 70_000);
    std::fs::write(
        &campaign,
        format!(
            "{}description = \"\"\"{long}\"\"\"{}",
            &text[..start],
            &text[end..]
        ),
    )
    .expect("write campaign.toml");
    let essex = campaign_dir.join("responses/essex-fy-2016-17.toml");
    let text = std::fs::read_to_string(&essex).expect("essex");
    std::fs::write(
        &essex,
        text.replacen(
            "status = \"answered\"",
            "status = \"answered\"\nperiod = { from = 2016-04-01, to = 2016-09-30 }",
            1,
        ),
    )
    .expect("write essex");

    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let release = tmp.path().join("out/latest");
    let mut wb: Xlsx<_> = open_workbook(release.join("nspcc-online-csa.xlsx")).expect("xlsx");
    let cover = wb.worksheet_range("Cover").expect("Cover");
    // Under the "About these tables" heading.
    assert_eq!(cell_text(cover.get_value((1, 0))), "About these tables");
    let description = cell_text(cover.get_value((2, 0)));
    assert!(description.encode_utf16().count() <= 32_767);
    assert!(description.starts_with("Sentence 1 of a long description."));
    assert!(description.ends_with(" … (cut here: the whole text is in summary.html)"));
    let html = String::from_utf8(read(&release.join("summary.html"))).expect("UTF-8");
    assert!(html.contains("Sentence 2000 of a long description."));

    let coverage = read_csv(&release.join("coverage.csv"));
    let essex = coverage_row(&coverage, "essex", "fy-2016-17");
    assert_eq!(
        (essex["included"].as_str(), essex["flagged"].as_str()),
        ("true", "true")
    );
    assert_eq!(essex["reason_code"], "partial_period");
    assert_eq!(
        essex["reason"],
        "partial period: figures cover 2016-04-01 to 2016-09-30 only"
    );
    assert_eq!(
        coverage_row(&coverage, "essex", "ye-jun-2016")["flagged"],
        "false"
    );
    let national = read_csv(&release.join("national.csv"));
    for row in national.iter().filter(|r| r["request"] == "fy-2016-17") {
        if row["forces"] != "0" && row["flagged_forces"].split(';').all(|f| f != "essex") {
            // Essex may have no figure in this cell; where it has, it is flagged.
            let by_force = read_csv(&release.join("by_force.csv"));
            assert!(by_force.iter().any(|b| b["force_id"] == "essex"
                && b["request"] == "fy-2016-17"
                && b["flagged"] == "true"));
        }
    }
    let cmp = read_csv(&release.join("comparisons.csv"));
    assert_eq!(cmp[0]["basis"], "matched_panel");
    assert_eq!(cmp[0]["forces"], "36", "essex left out of the panel");
    assert!(stdout.contains("matched panel of 36 forces"), "{stdout}");
}
