//! Micro-benchmarks (divan) of the parts of normalising a response that
//! scale with its rows: the value parser, reading a grid, table
//! detection with a records table read row by row, and the same read
//! without a layout (detection finding it).
//!
//! `cargo bench -p foi-normalise` (release profile). Measured, never
//! asserted: BENCHMARKS.md has the whole-build figures (`just bench`).

use foi_model::config::{Config, ConfigFiles, Zeros};
use foi_model::{ConfigError, Forces, Format, Limits};
use foi_normalise::{normalise, parse_text, read_grid, Input, Suppression};
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Count cells as forces write them.
const COUNTS: [&str; 12] = [
    "57", "1,234", "12*", "7 (a)", "<5", "1-4", "*", "redacted", "-", "0", " 3 ", "n/a",
];

#[divan::bench]
fn value_parser(bencher: divan::Bencher) {
    let sup = Suppression {
        zeros: Zeros::NotStated,
        threshold: 5,
        markers: None,
        scale: foi_model::Scale::COUNT,
    };
    bencher
        .counter(divan::counter::ItemsCount::new(COUNTS.len()))
        .bench(|| {
            for t in COUNTS {
                divan::black_box(parse_text(divan::black_box(t), &sup));
            }
        });
}

/// A one-row-per-crime export: two title rows and a blank row above the
/// header, then `rows` crimes.
fn records_csv(rows: usize) -> Vec<u8> {
    const OFFENCES: [&str; 6] = [
        "22B - Sexual Activity involving a Child under 16",
        "88A - Sexual Grooming",
        "86 - Obscene Publications etc",
        "71 - Abuse of children through sexual exploitation",
        "21 - Sexual Activity involving a Child under 13",
        "23 - Incest or familial sexual offences",
    ];
    let mut s = String::from(
        "Surrey Police - FOI 0412/17,,,,,\n\
         \"Crimes with the cyber flag, victim under 18\",,,,,\n\
         ,,,,,\n\
         Occurrence ID,Offence,Victim Age at Offence,Victim Gender,Beat,Date Created\n",
    );
    for i in 0..rows {
        let age = if i % 23 == 0 {
            "Not recorded".to_string()
        } else {
            (10 + i % 8).to_string()
        };
        s += &format!(
            "52{:08},{},{age},{},B{:03},{:02}/{:02}/2016\n",
            i * 53,
            OFFENCES[i % OFFENCES.len()],
            if i % 5 < 3 { "F" } else { "M" },
            i % 400,
            1 + i % 28,
            4 + i % 9,
        );
    }
    s.into_bytes()
}

struct CampaignDir(PathBuf);

impl ConfigFiles for CampaignDir {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        std::fs::read_to_string(self.0.join(rel))
            .map(|t| (rel.to_string(), t))
            .map_err(|e| ConfigError::file(rel.to_string(), e.to_string()))
    }
}

/// The bundled campaign with one records response for the export above.
fn config() -> Config {
    let r = root();
    let read = |p: &str| std::fs::read_to_string(r.join(p)).expect("config file");
    let forces =
        Forces::from_csv("forces.csv", &read("config/reference/forces.csv")).expect("forces");
    let offences = foi_model::config::offence_categories(
        "offences.csv",
        &read("config/reference/offences.csv"),
    )
    .expect("offences");
    let response = r#"force = "surrey"
requests = ["ye-jun-2016", "fy-2016-17"]
status = "answered"
fixed = { online_method = "cyber_flag" }
source = { path = "export.csv" }

[[table]]
header = '^Occurrence ID$'
shape = "records"
column = [
  { header = '^Occurrence ID$', role = "ignore" },
  { header = '^Offence$', role = "label", dim = "offence" },
  { header = '^Victim Age at Offence$', role = "label", dim = "victim_age" },
  { header = '^Victim Gender$', role = "ignore" },
  { header = '^Beat$', role = "ignore" },
  { header = '^Date Created$', role = "date" },
]
"#;
    let dir = r.join("config/campaigns/nspcc-online-csa");
    Config::from_texts(
        forces,
        &offences,
        (
            "campaign.toml",
            &read("config/campaigns/nspcc-online-csa/campaign.toml"),
        ),
        &[("responses/surrey.toml".to_string(), response.to_string())],
        &CampaignDir(dir),
    )
    .unwrap_or_else(|e| panic!("config: {e:?}"))
}

const ROWS: [usize; 2] = [1_000, 20_000];

/// Reading the export's bytes into a grid, and nothing else.
#[divan::bench(args = ROWS)]
fn read_csv_grid(bencher: divan::Bencher, rows: usize) {
    let bytes = records_csv(rows);
    bencher
        .counter(divan::counter::ItemsCount::new(rows))
        .bench(|| {
            read_grid(
                divan::black_box(&bytes),
                Format::Text { utf8: true },
                &Limits::DEFAULT,
            )
            .expect("reads")
        });
}

/// The whole of normalising the export: reading, finding the table under
/// its title rows by its header, mapping each row's labels, parsing its
/// date and counting it into each request.
#[divan::bench(args = ROWS)]
fn detect_and_read_records_table(bencher: divan::Bencher, rows: usize) {
    let bytes = records_csv(rows);
    let config = config();
    let response = config.responses.first().expect("the response");
    bencher
        .counter(divan::counter::ItemsCount::new(rows))
        .bench(|| {
            let n = normalise(&Input {
                campaign: &config.campaign,
                forces: &config.forces,
                response,
                bytes: divan::black_box(&bytes),
                sha256: "0",
                limits: &Limits::DEFAULT,
            });
            assert!(!n.has_errors(), "{:?}", n.diagnostics.first());
            n
        });
}

/// The same export read without a layout: finding the table, giving each
/// column its part (mapping every distinct label), checking the proposal,
/// then reading with it. Against `detect_and_read_records_table`, the
/// cost of detection.
#[divan::bench(args = ROWS)]
fn detect_layout_and_read(bencher: divan::Bencher, rows: usize) {
    let bytes = records_csv(rows);
    let config = config();
    let mut response = config.responses.first().expect("the response").clone();
    response.tables.clear();
    bencher
        .counter(divan::counter::ItemsCount::new(rows))
        .bench(|| {
            let n = normalise(&Input {
                campaign: &config.campaign,
                forces: &config.forces,
                response: &response,
                bytes: divan::black_box(&bytes),
                sha256: "0",
                limits: &Limits::DEFAULT,
            });
            assert!(n.layout.is_some(), "{:?}", n.diagnostics.first());
            n
        });
}
