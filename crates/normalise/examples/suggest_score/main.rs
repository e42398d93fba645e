//! `just suggest-score`: the crosswalk suggester (issue 16) scored on the
//! labelled set in fixtures/labels/, against the Home Office reference and
//! the wording table alone (no crosswalk line accepted yet: the hardest
//! case, a campaign starting from nothing).
//!
//! Prints, for the tuned and the held-out part apart: top-1 and top-3
//! accuracy on labels that mean a category, how often a label meaning no
//! single category was declined, and how many suggestions the auto-accept
//! threshold would take that are wrong. `--misses` lists every miss, but
//! for the test parts (`*-test.csv`), which are scored, never read;
//! `--label TEXT` shows what the suggester makes of one label; `--dev`
//! scores the parts that may be studied and leaves the test parts out;
//! `--calibration` shows how often a suggestion is right by its score.
//! The real published labels (`realworld-*`) are read from the files
//! of ../shared/realworld/ (or `$FOI_SHARED/realworld`) where they lie.
//! Exits 1 when any goal of issue 16 is not met.

use foi_normalise::suggest::score::{read_labelled, read_replies, score, Outcome, Score};
use foi_normalise::suggest::{DimSuggester, Evidence, Reference, Verdict, Wording};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod realworld;

/// The auto-accept threshold scored: the one docs/config.md shows.
const THRESHOLD: f64 = 0.95;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| {
        eprintln!("{rel}: {e}");
        std::process::exit(2)
    })
}

fn main() {
    let misses = std::env::args().any(|a| a == "--misses");
    // `--dev`: the parts that may be studied only, for trying a change
    // without seeing the test parts' score move with each try.
    let dev = std::env::args().any(|a| a == "--dev");
    let reference = Reference::from_csv(
        "config/reference/offences.csv",
        &read("config/reference/offences.csv"),
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let table = |f: &'static str| (f, read(f));
    let [a, s, g, k] = [
        "config/reference/abbreviations.csv",
        "config/reference/statutes.csv",
        "config/reference/groups.csv",
        "config/reference/kinds.csv",
    ]
    .map(table);
    let wording = Wording::from_tables(
        Some((a.0, &a.1)),
        Some((s.0, &s.1)),
        Some((g.0, &g.1)),
        Some((k.0, &k.1)),
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let domain: BTreeSet<String> = reference.categories.keys().cloned().collect();
    let suggester = DimSuggester::codes(
        &domain,
        true,
        Evidence {
            reference: Some(&reference),
            wording: Some(&wording),
            others: &[],
        },
        &[],
    );
    // `--label TEXT`: what the suggester makes of one label, with every
    // candidate and reason (for reading a miss).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--label") {
        let label = args
            .get(i + 1)
            .unwrap_or_else(|| fail("--label needs a text"));
        let s = suggester.suggest(label, None);
        println!("{label:?}: {:?}", s.verdict);
        for c in &s.candidates {
            println!("    {} {:.2} {}", c.value, c.score, c.reasons.join(" | "));
        }
        return;
    }
    let calibration = args.iter().any(|a| a == "--calibration");
    let mut studied: Vec<Score> = Vec::new();
    let mut ok = true;
    // heldout2: written after the suggester's first score, by someone who
    // never saw its code, split by a hash of each label into a part whose
    // misses may be studied (dev) and one never looked at (test).
    for part in [
        "tuned",
        "heldout",
        "heldout2-dev",
        "heldout2-test",
        "heldout3-dev",
        "heldout3-test",
        "heldout4-dev",
        "heldout4-test",
        "heldout5-test",
        "none-dev",
        "exports-dev",
        "heldout6-dev",
        "heldout6-test",
        "heldout7-dev",
        "heldout7-test",
        "heldout8-test",
        "heldout9-dev",
        "heldout9-test",
        "heldout10-dev",
        "heldout10-test",
        "heldout11-dev",
        "heldout11-test",
        "heldout12-dev",
        "heldout12-test",
        "heldout13-dev",
        "heldout13-test",
        "heldout14-dev",
        "heldout14-test",
        "heldout15-dev",
        "heldout15-test",
        "heldout16-dev",
        "heldout16-test",
        "replies-dev",
        "replies-test",
        "realworld-dev",
        "realworld-test",
    ] {
        if dev && part.ends_with("-test") {
            continue;
        }
        let labels = if let Some(half) = part.strip_prefix("realworld-") {
            // Real published labels, read from the files where they lie.
            let rel = format!("fixtures/labels/realworld-{half}.csv");
            let shared = std::env::var_os("FOI_SHARED")
                .map_or_else(|| root().join("../shared"), PathBuf::from)
                .join("realworld");
            if !shared.is_dir() {
                println!("{part}: {} not found, not scored", shared.display());
                continue;
            }
            realworld::labels(&rel, &read(&rel), &shared).unwrap_or_else(|e| fail(&e))
        } else if part.starts_with("replies-") {
            // Rows of replies, each read among its reply's other rows.
            let rel = format!("fixtures/labels/{part}.csv");
            read_replies(&rel, &read(&rel)).unwrap_or_else(|e| fail(&e.to_string()))
        } else {
            let rel = format!("fixtures/labels/{part}.csv");
            read_labelled(&rel, &read(&rel)).unwrap_or_else(|e| fail(&e.to_string()))
        };
        let s = score(&suggester, &labels, THRESHOLD);
        print(part, &s);
        // The test part's misses are never listed: what is read is tuned to.
        // A wrong suggestion taken without review is listed on every part:
        // it is a fault to mend, not a score to keep unseen.
        if misses && !part.ends_with("-test") {
            list_misses(&s, |o| !o.top1 || o.wrong_auto);
        } else {
            list_misses(&s, |o| o.wrong_auto);
        }
        ok &= s.top1_rate() >= 0.9
            && s.top3_rate() >= 0.98
            && s.declined_rate() >= 0.9
            && s.wrong_auto == 0;
        if !part.ends_with("-test") {
            studied.push(s);
        }
    }
    if calibration {
        print_calibration(&studied);
    }
    if !ok {
        println!("a goal of issue 16 is not met (top-1 >= 90%, top-3 >= 98%, declined >= 90%, no wrong auto-accept)");
        std::process::exit(1);
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}

fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

fn print(part: &str, s: &Score) {
    println!(
        "{part:8} {} labels: top-1 {} ({}/{}), top-3 {} ({}/{}), declined {} ({}/{} without a single category), auto-accepted at {THRESHOLD}: {} ({} wrong)",
        s.with_value + s.without_value,
        pct(s.top1_rate()),
        s.top1,
        s.with_value,
        pct(s.top3_rate()),
        s.top3,
        s.with_value,
        pct(s.declined_rate()),
        s.declined,
        s.without_value,
        s.auto_accepted,
        s.wrong_auto,
    );
}

/// How often a suggestion is right, by its score, over the parts that may
/// be studied: what the weak and auto-accept thresholds are chosen from.
fn print_calibration(parts: &[Score]) {
    let bands = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01];
    let mut counts = vec![(0usize, 0usize); bands.len() - 1];
    for o in parts.iter().flat_map(|s| &s.outcomes) {
        let Some(c) = o.suggestions.suggested() else {
            continue;
        };
        let Some(b) = bands
            .windows(2)
            .position(|w| c.score >= w[0] && c.score < w[1])
        else {
            continue;
        };
        counts[b].0 += 1;
        counts[b].1 += usize::from(o.labelled.value.as_deref() == Some(c.value.as_str()));
    }
    println!("suggestions by score, over the studied parts:");
    for (w, (n, right)) in bands.windows(2).zip(counts) {
        println!(
            "  {:.2}-{:.2}: {n} suggested, {right} right",
            w[0],
            w[1].min(1.0)
        );
    }
}

fn list_misses(s: &Score, listed: impl Fn(&Outcome) -> bool) {
    for o in s.outcomes.iter().filter(|o| listed(o)) {
        let want = o.labelled.value.as_deref().unwrap_or("none");
        let got = match &o.suggestions.verdict {
            Verdict::Suggested => "suggested".to_string(),
            Verdict::Ambiguous { group } => format!(
                "ambiguous{}",
                group.as_ref().map_or(String::new(), |g| format!(" ({g})"))
            ),
            Verdict::NoSuggestion => "no suggestion".to_string(),
        };
        println!(
            "  miss [{}] {:?}: want {want}, {got}:",
            o.labelled.style, o.labelled.label
        );
        for c in &o.suggestions.candidates {
            println!(
                "      {} {:.2}{} {}",
                c.value,
                c.score,
                if c.exact_code { " code" } else { "" },
                c.reasons.join(" | ")
            );
        }
    }
}
