//! The published release of the bundled campaign, checked as its readers
//! will use it: every table snapshotted; the spreadsheet and the Parquet
//! read back and compared with the CSV, cell by cell; datapackage.json
//! checked against the CSV it describes (what `frictionless validate`
//! checks); two builds from one cache byte-identical; the HTML summary
//! self-contained.
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

/// Field name -> Table Schema type ("string", "integer", "number", "boolean").
fn field_types(resource: &Json) -> BTreeMap<String, String> {
    resource["schema"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["name"].as_str().expect("name").to_string(),
                f["type"].as_str().expect("type").to_string(),
            )
        })
        .collect()
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
/// decimal place.
fn parquet_cell(v: polars::prelude::AnyValue) -> String {
    use polars::prelude::AnyValue;
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => foi_publish::neutralise(s),
        AnyValue::StringOwned(ref s) => foi_publish::neutralise(s),
        AnyValue::UInt64(n) => n.to_string(),
        AnyValue::Int64(n) => n.to_string(),
        AnyValue::Float64(x) => format!("{x:.1}"),
        AnyValue::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
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
            .map(|c| parquet_cell(c.get(i).expect("cell")))
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
        Some(other) => format!("{other:?}"),
    }
}

#[test]
fn the_spreadsheet_says_what_the_csv_says() {
    let p = published();
    let pkg = datapackage(&p.release);
    let path = p.release.join("nspcc-online-csa.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("the xlsx opens");
    let sheets = wb.sheet_names();
    let mut want_sheets = vec!["Cover", "Contents", "Notes"];
    // Lineage, one row per source cell, is for machines: Parquet only.
    want_sheets.extend(
        resources(&pkg)
            .iter()
            .filter(|r| !parquet_only(r))
            .map(|r| r["name"].as_str().expect("name")),
    );
    assert_eq!(
        sheets, want_sheets,
        "cover, contents and notes first, then one table per sheet"
    );
    for sheet in &sheets {
        let merged = wb.merge_cells_by_sheet_name(sheet).expect("merged cells");
        assert!(merged.is_empty(), "{sheet}: no merged cells: {merged:?}");
    }

    // The contents list every table, linked by sheet name.
    let contents = wb.worksheet_range("Contents").expect("Contents");
    let listed: BTreeSet<String> = contents
        .rows()
        .filter_map(|r| r.first().map(|c| cell_text(Some(c))))
        .collect();
    for t in table_names(&pkg) {
        assert!(listed.contains(t), "Contents lists {t}: {listed:?}");
    }
    // The notes explain the shorthand the tables use.
    let notes = wb.worksheet_range("Notes").expect("Notes");
    let notes_text: String = notes
        .rows()
        .flat_map(|r| r.iter().map(|c| cell_text(Some(c))))
        .collect::<Vec<_>>()
        .join("\n");
    for mark in ["[c]", "[x]", "[z]"] {
        assert!(notes_text.contains(mark), "the notes explain {mark}");
    }

    wb.load_tables().expect("tables");
    let mut problems = Vec::new();
    for resource in resources(&pkg) {
        let table = resource["name"].as_str().expect("name");
        if parquet_only(resource) {
            continue;
        }
        let types = field_types(resource);
        let (header, rows) = csv_table(&p.release.join(format!("{table}.csv")));
        // Marked up as one Excel table, its headers the CSV's.
        let marked: Vec<String> = wb
            .table_names_in_sheet(table)
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(marked.len(), 1, "{table}: one table marked up: {marked:?}");
        let xt = wb.table_by_name(&marked[0]).expect("table");
        assert_eq!(
            xt.columns(),
            header,
            "{table}: the marked-up table's headers"
        );
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
        assert!(!cell_text(at(0, 0)).is_empty(), "{table}: a title in A1");
        let header_row = 2u32;
        let got_header: Vec<String> = (0..header.len() as u32)
            .map(|c| cell_text(at(header_row, c)))
            .collect();
        assert_eq!(got_header, header, "{table}: one header row, as the CSV");
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
                let ty = types.get(&header[c]).map(String::as_str);
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
                    // An empty text cell does not apply to its row: [z].
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
        if parquet_only(resource) {
            // Nothing to compare with: its snapshot and the datapackage
            // check read it.
            continue;
        }
        let types = field_types(resource);
        let (header, rows) = csv_table(&p.release.join(format!("{table}.csv")));
        let df = read_parquet(&p.release.join(format!("{table}.parquet")));
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, header, "{table}: the same columns, in order");
        assert_eq!(df.height(), rows.len(), "{table}: the same number of rows");
        for (c, col) in df.columns().iter().enumerate() {
            let ty = types[&header[c]].as_str();
            let dtype_ok = matches!(
                (ty, col.dtype()),
                ("string", DataType::String)
                    | ("integer", DataType::UInt64 | DataType::Int64)
                    | ("number", DataType::Float64)
                    | ("boolean", DataType::Boolean)
            );
            assert!(
                dtype_ok,
                "{table}.{}: {ty} in the CSV's schema, {:?} in the parquet",
                header[c],
                col.dtype()
            );
            for (i, row) in rows.iter().enumerate() {
                let got = parquet_cell(col.get(i).expect("cell"));
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
/// descriptors, each CSV's dialect and encoding, field names and order,
/// every value against its type and constraints, and primary keys present
/// and unique.
fn validate_datapackage(dir: &Path) -> Vec<String> {
    let pkg = datapackage(dir);
    let mut errors = Vec::new();
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
            .filter(|n| n != "summary.png") // scripts/check-html's screenshot
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
    // The SVG namespace is a name, not something fetched.
    let lower = html
        .to_ascii_lowercase()
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains("<html lang=\"en\">"));
    for banned in [
        "<script", "src=", "href=", "url(", "@import", "http:", "https:",
    ] {
        assert!(
            !lower.contains(banned),
            "summary.html needs nothing from elsewhere: found {banned:?}"
        );
    }
    // Balanced: every table, figure and list closed.
    for tag in ["table", "figure", "svg", "ol", "p", "tr", "td", "th"] {
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
}

/// A campaign's `[publisher]` is on the workbook's cover, at the foot of
/// the HTML summary and among datapackage.json's contributors.
#[test]
fn the_publisher_is_named_where_readers_look() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let campaign = config.join("campaigns/nspcc-online-csa/campaign.toml");
    let text = std::fs::read_to_string(&campaign).expect("campaign.toml");
    std::fs::write(
        &campaign,
        format!(
            "{text}\n[publisher]\nname = \"Example Charity\"\ncontact = \"research@example.org\"\npublished = 2017-06-20\n"
        ),
    )
    .expect("write");
    let out = foi_in(tmp.path()).arg("run").output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let release = tmp.path().join("out/latest");

    let mut wb: Xlsx<_> = open_workbook(release.join("nspcc-online-csa.xlsx")).expect("xlsx");
    let cover = wb.worksheet_range("Cover").expect("Cover");
    let lines: Vec<String> = cover
        .rows()
        .filter_map(|r| r.first().map(|c| cell_text(Some(c))))
        .collect();
    for want in [
        "Published by Example Charity on 20 June 2017.",
        "Contact: research@example.org",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want:?} in {lines:?}");
    }
    assert!(lines.iter().any(|l| l == "Source"), "{lines:?}");

    let html = String::from_utf8(read(&release.join("summary.html"))).expect("UTF-8");
    assert!(html.contains("<p>Published by Example Charity on 20 June 2017.</p>"));
    assert!(html.contains("<p>Contact: research@example.org</p>"));

    let pkg = datapackage(&release);
    assert_eq!(
        pkg["contributors"],
        serde_json::json!([
            { "title": "Example Charity", "role": "publisher", "email": "research@example.org" }
        ])
    );
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
            (
                "campaign.toml",
                r#"id = "split-national"
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
"#,
            ),
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
    let description = cell_text(cover.get_value((1, 0)));
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
