//! Reading without being told the layout (issue 13): every bundled
//! response and every real ONS table, read with its `[[table]]`s removed,
//! must give exactly the records its hand-written layout gives, or be
//! refused with a proposal. Never a different figure.

use crate::*;
use foi_model::config::{Config, Response};
use foi_model::{DiagnosticKind, Record, Severity};

/// A campaign folder's files, shown as the foi binary shows them.
struct Dir(PathBuf, String);

impl ConfigFiles for Dir {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        let shown = format!("{}/{rel}", self.1);
        std::fs::read_to_string(self.0.join(rel))
            .map(|t| (shown.clone(), t))
            .map_err(|e| ConfigError::file(shown, e.to_string()))
    }
}

/// A bundled campaign with all its responses.
pub fn campaign(id: &str) -> Config {
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
    let text = std::fs::read_to_string(dir.join("campaign.toml")).expect("campaign");
    let mut responses: Vec<(String, String)> = std::fs::read_dir(dir.join("responses"))
        .expect("responses")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                format!(
                    "config/campaigns/{id}/responses/{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                ),
                std::fs::read_to_string(&p).expect("response"),
            )
        })
        .collect();
    responses.sort();
    Config::from_texts(
        forces,
        &offences,
        (&format!("config/campaigns/{id}/campaign.toml"), &text),
        &responses,
        &Dir(dir, format!("config/campaigns/{id}")),
    )
    .unwrap_or_else(|e| panic!("config: {e:?}"))
}

/// The source's bytes, read where the response says (relative to the
/// repository root); `None` when it is not there (real files live beside
/// the repository).
fn bytes(r: &Response) -> Option<Vec<u8>> {
    match &r.source {
        Some(foi_model::config::Source::Path(p)) => std::fs::read(root().join(p)).ok(),
        _ => None,
    }
}

fn read_with(config: &Config, response: &Response, bytes: &[u8]) -> Normalised {
    normalise(&Input {
        campaign: &config.campaign,
        forces: &config.forces,
        response,
        bytes,
        sha256: "0",
        limits: &config.campaign.limits,
    })
}

/// Records as compared: everything a record carries.
fn key(r: &Record) -> String {
    format!(
        "{} {} {:?} {:?} {} {} {:?} {:?} {:?}",
        r.force,
        r.request,
        r.dims,
        r.covered,
        r.period.from,
        r.count.interval,
        r.count.text,
        r.lineage.sheet,
        r.lineage.cells
    )
}

#[derive(Debug, PartialEq, Eq)]
pub enum Score {
    Exact,
    Wrong(String),
    Refused(String),
}

/// Reads `response` with its tables and without, and compares.
pub fn score(config: &Config, response: &Response) -> Option<Score> {
    if response.tables.is_empty() {
        return None;
    }
    let b = bytes(response)?;
    let want = read_with(config, response, &b);
    let mut stripped = response.clone();
    stripped.tables.clear();
    let got = read_with(config, &stripped, &b);
    let refused = got
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && d.kind == DiagnosticKind::Layout);
    if let Some(d) = refused {
        return Some(Score::Refused(d.to_string()));
    }
    let mut w: Vec<String> = want.records.iter().map(key).collect();
    let mut g: Vec<String> = got.records.iter().map(key).collect();
    w.sort();
    g.sort();
    let mut wa: Vec<String> = want
        .aggregates
        .iter()
        .map(|a| format!("{} {:?} {}", a.request, a.dims, a.count.interval))
        .collect();
    let mut ga: Vec<String> = got
        .aggregates
        .iter()
        .map(|a| format!("{} {:?} {}", a.request, a.dims, a.count.interval))
        .collect();
    wa.sort();
    ga.sort();
    if w == g && wa == ga {
        return Some(Score::Exact);
    }
    let missing: Vec<&String> = w.iter().filter(|x| !g.contains(x)).take(3).collect();
    let extra: Vec<&String> = g.iter().filter(|x| !w.contains(x)).take(3).collect();
    Some(Score::Wrong(format!(
        "{} records against {}; missing {missing:?}; extra {extra:?}; aggregates {} against {}",
        g.len(),
        w.len(),
        ga.len(),
        wa.len()
    )))
}

fn run(id: &str) -> Vec<(String, Score)> {
    let config = campaign(id);
    let mut out = Vec::new();
    for r in &config.responses {
        if let Some(s) = score(&config, r) {
            out.push((r.key.clone(), s));
        }
    }
    out
}

fn report(id: &str, scores: &[(String, Score)]) -> (usize, usize, usize) {
    let (mut exact, mut wrong, mut refused) = (0, 0, 0);
    for (k, s) in scores {
        match s {
            Score::Exact => exact += 1,
            Score::Wrong(why) => {
                wrong += 1;
                eprintln!("{id} {k}: WRONG: {why}");
            }
            Score::Refused(why) => {
                refused += 1;
                eprintln!("{id} {k}: refused: {why}");
            }
        }
    }
    eprintln!(
        "{id}: {} files: {exact} exact, {wrong} wrong, {refused} refused",
        scores.len()
    );
    (exact, wrong, refused)
}

#[test]
fn every_bundled_response_reads_the_same_without_its_layout() {
    let scores = run("nspcc-online-csa");
    let (exact, wrong, refused) = report("nspcc-online-csa", &scores);
    assert_eq!(wrong, 0, "a detected layout gave other figures");
    assert_eq!(refused, 0, "refused");
    assert_eq!(exact, scores.len());
}

#[test]
fn the_real_ons_tables_read_the_same_without_their_layout() {
    for id in ["ons-prc-ye-mar2018", "ons-c2-csp-ye-jun2025"] {
        let scores = run(id);
        let (exact, wrong, refused) = report(id, &scores);
        assert_eq!(wrong, 0, "{id}: a detected layout gave other figures");
        assert_eq!(refused, 0, "{id}: refused");
        assert_eq!(exact, scores.len());
    }
}
