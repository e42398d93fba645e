//! Property tests run as fuzzers: random and mutated inputs to the value
//! parser, the table detector (reading with a given layout), the layout
//! detector (reading with none), the csv reader and the sniffing path,
//! which must never panic, hang or break their bounds.
//!
//! `cargo test` runs each briefly. `FOI_FUZZ_SECS=600` runs each for ten
//! minutes (`just fuzz`); `FOI_FUZZ_CASES=n` sets the cases of one batch.
//! Each target prints its figures: cases run, seconds, failures.

use crate::corpus;
use crate::*;
use foi_model::{sniff, Format};
use foi_normalise::{parse_text, read_grid, Parsed, Suppression};
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestCaseError, TestRunner};
use std::time::{Duration, Instant};

/// Runs `test` on values of `strategy` in batches of fresh random seeds
/// until FOI_FUZZ_SECS have passed (or one batch when it is unset).
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let secs: u64 = std::env::var("FOI_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cases: u32 = std::env::var("FOI_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if secs > 0 { 2000 } else { 64 });
    let start = Instant::now();
    let deadline = Duration::from_secs(secs);
    let mut total: u64 = 0;
    loop {
        let mut runner = TestRunner::new(PtConfig {
            cases,
            failure_persistence: None,
            ..PtConfig::default()
        });
        let result = runner.run(&strategy, &test);
        total += cases as u64;
        if let Err(e) = result {
            eprintln!(
                "fuzz {name}: FAILED after {total} cases in {:.0} s: {e}",
                start.elapsed().as_secs_f64()
            );
            panic!("fuzz {name}: {e}");
        }
        if start.elapsed() >= deadline {
            break;
        }
    }
    eprintln!(
        "fuzz {name}: {total} cases in {:.1} s ({:.1} min), 0 failures",
        start.elapsed().as_secs_f64(),
        start.elapsed().as_secs_f64() / 60.0
    );
}

/// Small limits, so the bounds are reached often.
fn small() -> Limits {
    Limits {
        max_inflated_bytes: 256 * 1024,
        max_cells_per_sheet: 2_000,
        max_cells_per_workbook: 3_000,
        max_sheets: 5,
        max_line_bytes: 300,
    }
}

/// Every grid read within limits stays within them.
fn check_grid(bytes: &[u8], limits: &Limits) -> Result<(), TestCaseError> {
    let format = sniff(bytes);
    if let Ok(sheets) = read_grid(bytes, format, limits) {
        prop_assert!(sheets.len() as u64 <= limits.max_sheets.max(1));
        let mut all = 0u64;
        for s in &sheets {
            let span = s.rows.len() as u64 * s.width() as u64;
            prop_assert!(span <= limits.max_cells_per_sheet, "span {span}");
            all += span;
        }
        prop_assert!(
            all <= limits
                .max_cells_per_workbook
                .max(limits.max_cells_per_sheet)
        );
    }
    Ok(())
}

fn count_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>~≤≥ ]{0,2}[0-9]{0,7}([,.][0-9]{0,4})?[*]?",
        "(fewer|less|more) than [0-9]{1,3}",
        "[0-9]{1,4} ?(-|to|–) ?[0-9]{1,4}",
        prop::sample::select(vec![
            "*", "**", "-", "..", "n/a", "[c]", "[x]", "redacted", "<5", "nil", "", "  "
        ])
        .prop_map(str::to_string),
    ]
}

#[test]
fn fuzz_value_parser() {
    let cfg = config("fuzz.csv");
    let campaign = cfg.campaign.clone();
    fuzz("value parser", count_text(), move |t| {
        for zeros in [
            foi_model::config::Zeros::Shown,
            foi_model::config::Zeros::NotStated,
        ] {
            let sup = Suppression {
                zeros,
                threshold: campaign.threshold,
                markers: campaign.markers.as_ref(),
                scale: campaign.scale,
            };
            if let Parsed::Count(i) = parse_text(&t, &sup) {
                prop_assert!(i.lo <= i.hi, "{t:?} -> {i:?}");
            }
        }
        Ok(())
    });
}

fn table_cell() -> impl Strategy<Value = String> {
    let mut words: Vec<String> = vec![
        "Offence", "Offences", "Total", "", " ", "<5", "*", "0", "12", "1,234", "#REF!", "Offence ",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    words.extend(corpus::GOOD_ROWS.iter().map(|(l, _)| l.to_string()));
    prop_oneof![
        4 => prop::sample::select(words),
        1 => any::<String>(),
        1 => "[0-9]{1,6}",
    ]
}

/// A csv quoted as Excel writes it, from a grid of cell texts.
fn to_csv(rows: &[Vec<String>], ending: &str) -> Vec<u8> {
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out += &line.join(",");
        out += ending;
    }
    out.into_bytes()
}

#[test]
fn fuzz_table_detector() {
    let cfg = config("fuzz.csv");
    let limits = Limits::DEFAULT;
    let grid = prop::collection::vec(prop::collection::vec(table_cell(), 0..6), 0..24);
    fuzz("table detector", (grid, 0usize..3), |(rows, e)| {
        let bytes = to_csv(&rows, ["\r\n", "\n", "\r"][e]);
        let n = read(&cfg, &bytes, &limits);
        let height = rows.len() as u32;
        for r in &n.records {
            prop_assert!(r.count.interval.lo <= r.count.interval.hi);
            for c in &r.lineage.cells {
                prop_assert!(c.row < height.max(1) + 1, "{c:?} outside {height} rows");
            }
        }
        Ok(())
    });
}

/// Cells a reply's table is made of: labels the campaign maps, headers of
/// periods, months, ages and totals, counts and marks, dates, and noise.
fn reply_cell() -> impl Strategy<Value = String> {
    let mut words: Vec<String> = [
        "Offence",
        "Victim age",
        "Age",
        "Total",
        "Grand Total",
        "",
        " ",
        "<5",
        "*",
        "-",
        "..",
        "[x]",
        "0",
        "12",
        "1,234",
        "12.5",
        "-3",
        "2016/17",
        "2015/16 (Jul-Jun)",
        "Jul 2015 - Jun 2016",
        "12 months to June 2016",
        "Apr 2016 - Mar 2017",
        "Jul-15",
        "Aug-15",
        "2016-04",
        "Under 10",
        "10-12",
        "13 yrs",
        "Aged 5",
        "Not known",
        "05/07/2015",
        "2016-04-03",
        "31/03/2017",
        "Y",
        "N",
        "Online flag",
        "Date recorded",
        "Ref",
        "Number of offences",
        "Victims",
        "Count",
        "Kent Police",
        "E23000032",
        "West Midlands",
        "England and Wales",
        "Period",
        "Notes",
        "Source: police",
        "Financial year 2016/17",
        "FY1617",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    words.extend(corpus::GOOD_ROWS.iter().map(|(l, _)| l.to_string()));
    prop_oneof![
        6 => prop::sample::select(words),
        1 => any::<String>(),
        2 => "[0-9]{1,4}",
    ]
}

/// The detector on random replies: it never panics, every layout it
/// would read with reads back as config, and whatever a detected layout
/// reads lies in the grid.
#[test]
fn fuzz_layout_detector() {
    let cfg = config_with(
        "responses/kent.toml",
        "force = \"kent\"\nrequests = [\"ye-jun-2016\", \"fy-2016-17\"]\nstatus = \"answered\"\nsource = { path = \"reply.csv\" }\n",
    );
    let national = config_with(
        "responses/all.toml",
        "requests = [\"fy-2016-17\"]\nstatus = \"answered\"\nsource = { path = \"reply.csv\" }\n",
    );
    let limits = Limits::DEFAULT;
    let grid = prop::collection::vec(prop::collection::vec(reply_cell(), 0..7), 0..30);
    fuzz("layout detector", (grid, any::<bool>()), |(rows, many)| {
        let bytes = to_csv(&rows, "\n");
        let config = if many { &national } else { &cfg };
        let r = response(config);
        let sheets = match read_grid(&bytes, sniff(&bytes), &limits) {
            Ok(s) => s,
            Err(_) => return Ok(()),
        };
        let d = foi_normalise::detect::detect(
            &sheets,
            &foi_normalise::detect::Context {
                campaign: &config.campaign,
                forces: &config.forces,
                response: r,
            },
        );
        // A layout foi would read with is valid config (an uncertain one,
        // refused, need not be).
        if d.trusted() {
            let back = foi_model::config::resolve_layout(&config.campaign, r, "layout", &d.layout);
            prop_assert!(back.is_ok(), "{:?}\n{}", back.err(), d.layout);
        }
        prop_assert!(d.confidence >= 0.0 && d.confidence <= 1.0);
        let n = read(config, &bytes, &limits);
        let height = rows.len() as u32;
        for rec in &n.records {
            prop_assert!(rec.count.interval.lo <= rec.count.interval.hi);
            for c in &rec.lineage.cells {
                prop_assert!(c.row < height.max(1) + 1, "{c:?} outside {height} rows");
            }
        }
        if n.layout.is_some() {
            prop_assert!(d.trusted());
        }
        Ok(())
    });
}

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(vec![0u8]),
        Just("é".as_bytes().to_vec()),
        Just(vec![0xE9]),
        Just(vec![0xEF, 0xBB, 0xBF]),
        "[a-z0-9 <*]{0,12}".prop_map(String::into_bytes),
        Just(vec![b'x'; 400]),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

#[test]
fn fuzz_csv() {
    let limits = small();
    fuzz("csv", csv_bytes(), |bytes| {
        check_grid(&bytes, &limits)?;
        for utf8 in [true, false] {
            if let Ok(s) = read_grid(&bytes, Format::Text { utf8 }, &limits) {
                let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
                prop_assert!(
                    s[0].rows.len() <= lines,
                    "{} rows from {lines} lines",
                    s[0].rows.len()
                );
            }
        }
        Ok(())
    });
}

/// Real files of every format, and the committed bad ones.
fn seeds() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = corpus::committed().into_iter().map(|(_, b)| b).collect();
    out.push(corpus::good_xlsx());
    out.push(corpus::good_csv());
    out
}

/// Mutations: flip, insert, delete and truncate bytes, or splice seeds.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    let n = seeds.len();
    (
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 0..8),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(move |(i, edits, cut)| {
            let mut b = seeds[i].clone();
            for (at, byte, op) in edits {
                if b.is_empty() {
                    b.push(byte);
                    continue;
                }
                let p = at.index(b.len());
                match op {
                    0 => b[p] = byte,
                    1 => b.insert(p, byte),
                    2 => {
                        b.remove(p);
                    }
                    _ => b[p] ^= 1 << (byte % 8),
                }
            }
            if let Some(c) = cut {
                let len = b.len();
                b.truncate(c.index(len + 1));
            }
            b
        })
}

#[test]
fn fuzz_sniff_and_read() {
    let limits = small();
    let bytes = prop_oneof![
        3 => mutated(),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ];
    fuzz("sniff and read", bytes, |b| check_grid(&b, &limits));
}
