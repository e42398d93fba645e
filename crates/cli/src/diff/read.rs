//! Reading a release folder into what the comparison reads: manifest.json
//! as [`Facts`], the tables as text, and the records of the sources that
//! changed. A release made before foi recorded something leaves it out
//! (`None`), which the comparison says is unknown.

use crate::release::{self, Manifest};
use anyhow::{bail, Context, Result};
use foi_publish::figures::changes::{
    CrosswalkLine, Facts, ResponseState, Rows, Snapshot, SourceState,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a manifest says the release was made from.
pub fn facts(m: &Manifest) -> Facts {
    Facts {
        run_id: m.run_id.clone(),
        campaign: m.campaign.clone(),
        foi_build: Some(m.foi_build.clone()).filter(|b| !b.is_empty()),
        campaign_sha256: m.campaign_sha256.clone(),
        sources: m.sources.iter().map(source).collect(),
        responses: m
            .response_configs
            .as_ref()
            .map(|rs| rs.iter().map(response).collect()),
        crosswalks: m.crosswalks.as_deref().map(lines),
    }
}

pub fn response(r: &release::ResponseConfig) -> ResponseState {
    ResponseState {
        key: r.key.clone(),
        force: r.force.clone(),
        file: r.file.clone(),
        sha256: r.sha256.clone(),
        crosswalk_sha256: r.crosswalk_sha256.clone(),
    }
}

/// Every line of the crosswalk files, each naming its file.
pub fn lines(files: &[release::CrosswalkFile]) -> Vec<CrosswalkLine> {
    files
        .iter()
        .flat_map(|f| {
            f.lines.iter().map(|l| CrosswalkLine {
                file: f.file.clone(),
                label: l.label.clone(),
                force: l.force.clone(),
                value: l.value.clone(),
                line: l.line,
            })
        })
        .collect()
}

pub fn source(s: &release::SourceEntry) -> SourceState {
    SourceState {
        key: s.key.clone(),
        force: s.force.clone(),
        source: s.source.clone(),
        sha256: s.sha256.clone(),
        stale: s.stale,
        fetched_at: s.fetched_at.clone(),
        error: s.error.clone(),
    }
}

/// A CSV table of a release as text; with `only`, just the rows whose
/// column holds one of the values (a release's records, of the sources
/// that changed: a record-level campaign's records.csv is large).
pub fn rows(path: &Path, only: Option<(&str, &BTreeSet<String>)>) -> Result<Rows> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let header: Vec<String> = rdr
        .headers()
        .with_context(|| format!("reading {}", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let filter = match only {
        Some((col, values)) => match header.iter().position(|h| h == col) {
            Some(i) => Some((i, values)),
            None => bail!("{}: no column {col:?}", path.display()),
        },
        None => None,
    };
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while rdr
        .read_record(&mut record)
        .with_context(|| format!("reading {}", path.display()))?
    {
        if let Some((i, values)) = filter {
            if !record.get(i).is_some_and(|v| values.contains(v)) {
                continue;
            }
        }
        out.push(record.iter().map(str::to_string).collect());
    }
    Ok(Rows { header, rows: out })
}

/// A release's manifest and what the comparison reads of it (no records
/// yet: see [`records`]).
pub fn snapshot(dir: &Path) -> Result<(Manifest, Snapshot)> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a release's manifest", path.display()))?;
    let mut tables = BTreeMap::new();
    for name in ["national", "contributions", "by_force", "coverage"] {
        let path = dir.join(format!("{name}.csv"));
        // Contributions are published since schema 3; before, each force's
        // total (by_force) is all there is.
        if name == "contributions" && !path.exists() {
            continue;
        }
        tables.insert(name.to_string(), rows(&path, None)?);
    }
    let snapshot = Snapshot::from_rows(facts(&manifest), &tables)
        .with_context(|| format!("reading the release in {}", dir.display()))?;
    Ok((manifest, snapshot))
}

/// Adds to `snapshot` the records of `dir` read from the sources with
/// these sha256s.
pub fn records(dir: &Path, snapshot: &mut Snapshot, sha256s: &BTreeSet<String>) -> Result<()> {
    if sha256s.is_empty() {
        return Ok(());
    }
    let path = dir.join("records.csv");
    let rows = rows(&path, Some(("source_sha256", sha256s)))?;
    snapshot
        .add_records(&rows, sha256s)
        .with_context(|| format!("reading {}", path.display()))
}
