//! The crosswalk suggester (issue 16): suggestions for 1,000 labels against
//! the whole offence reference, and building its index.
//!
//! `cargo bench -p foi-normalise --bench suggest`. Measured, never
//! asserted: the figures are in BENCHMARKS.md.

use foi_normalise::suggest::score::read_labelled;
use foi_normalise::suggest::{DimSuggester, Evidence, Reference, Wording};
use std::collections::BTreeSet;
use std::path::Path;

fn main() {
    divan::main();
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel),
    )
    .expect(rel)
}

fn evidence() -> (Reference, Wording) {
    let reference = Reference::from_csv("offences.csv", &read("config/reference/offences.csv"))
        .expect("reference");
    let wording = Wording::from_tables(
        Some((
            "abbreviations.csv",
            &read("config/reference/abbreviations.csv"),
        )),
        Some(("statutes.csv", &read("config/reference/statutes.csv"))),
        Some(("groups.csv", &read("config/reference/groups.csv"))),
        Some(("kinds.csv", &read("config/reference/kinds.csv"))),
    )
    .expect("wording");
    (reference, wording)
}

fn suggester(reference: &Reference, wording: &Wording) -> DimSuggester {
    let domain: BTreeSet<String> = reference.categories.keys().cloned().collect();
    DimSuggester::codes(
        &domain,
        true,
        Evidence {
            reference: Some(reference),
            wording: Some(wording),
            others: &[],
        },
        &[],
    )
}

/// 1,000 labels: the labelled set's, each also written in capitals, with a
/// force's note after it and with its first word dropped, until there are
/// 1,000 different ones.
fn labels() -> Vec<String> {
    let mut base = Vec::new();
    for part in ["tuned", "heldout"] {
        let rel = format!("fixtures/labels/{part}.csv");
        base.extend(
            read_labelled(&rel, &read(&rel))
                .expect("labels")
                .into_iter()
                .map(|l| l.label),
        );
    }
    let mut out: Vec<String> = Vec::new();
    for b in &base {
        for v in [
            b.clone(),
            b.to_uppercase(),
            format!("{b} (online)"),
            b.split_once(' ').map_or(b.clone(), |(_, r)| r.to_string()),
        ] {
            if out.len() < 1000 && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

#[divan::bench(sample_count = 10)]
fn suggest_1000_labels(bencher: divan::Bencher) {
    let (reference, wording) = evidence();
    let s = suggester(&reference, &wording);
    let labels = labels();
    bencher
        .counter(divan::counter::ItemsCount::new(labels.len()))
        .bench(|| {
            for l in &labels {
                divan::black_box(s.suggest(divan::black_box(l), None));
            }
        });
}

#[divan::bench(sample_count = 10)]
fn build_index(bencher: divan::Bencher) {
    let (reference, wording) = evidence();
    bencher.bench(|| divan::black_box(suggester(&reference, &wording)));
}
