//! What a new release records so the next can say what changed (each
//! response's config and the crosswalk lines that can apply to it,
//! fingerprinted; the campaign's config without them), and its comparison
//! with the release it replaces, for changes.csv and the run's closing
//! change line.

use super::read;
use crate::release::{self, ChangesEntry, CrosswalkFile, CrosswalkLine, ResponseConfig};
use crate::{incremental, Ctx};
use foi_publish::figures::changes::{self, ChangeKind, Changes, Facts};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What a release records of its config, beyond the config's sha256.
pub struct Fingerprints {
    pub campaign_sha256: String,
    pub responses: Vec<ResponseConfig>,
    pub crosswalks: Vec<CrosswalkFile>,
}

pub fn fingerprints(ctx: &Ctx, campaign_sha256: String) -> Fingerprints {
    let config = &ctx.config;
    let responses = config
        .responses
        .iter()
        .map(|r| {
            // The bytes the normalised cache keys: an unreadable file
            // hashes as empty there too.
            let text = std::fs::read(ctx.dirs.root.join(&r.file)).unwrap_or_default();
            ResponseConfig {
                key: r.key.clone(),
                force: r.who(),
                file: r.file.clone(),
                sha256: hex::encode(Sha256::digest(&text)),
                crosswalk_sha256: incremental::crosswalk_sha(config, r),
            }
        })
        .collect();
    let mut crosswalks: Vec<CrosswalkFile> = Vec::new();
    for cw in incremental::crosswalks(config) {
        // A crosswalk used by two dimensions is one file.
        if crosswalks.iter().any(|f| f.file == cw.file) {
            continue;
        }
        crosswalks.push(CrosswalkFile {
            file: cw.file.clone(),
            lines: cw
                .entries()
                .iter()
                .map(|e| CrosswalkLine {
                    line: e.line,
                    label: e.label.clone(),
                    value: e.value.clone(),
                    force: e.force.as_ref().map(|f| f.0.clone()),
                })
                .collect(),
        });
    }
    Fingerprints {
        campaign_sha256,
        responses,
        crosswalks,
    }
}

/// What a manifest about to be written records, as the comparison reads
/// it.
pub fn facts(
    ctx: &Ctx,
    run_id: &str,
    sources: &[release::SourceEntry],
    fp: &Fingerprints,
) -> Facts {
    Facts {
        run_id: run_id.to_string(),
        campaign: ctx.config.campaign.id.clone(),
        foi_build: Some(crate::BUILD_ID.to_string()),
        campaign_sha256: Some(fp.campaign_sha256.clone()),
        sources: sources.iter().map(read::source).collect(),
        responses: Some(fp.responses.iter().map(read::response).collect()),
        crosswalks: Some(read::lines(&fp.crosswalks)),
    }
}

/// The release a new release of `campaign` replaces: the one `out/latest`
/// points at, when it is the campaign's; else the campaign's newest.
pub fn previous(out: &Path, campaign: &str) -> Option<(String, PathBuf)> {
    let of_campaign =
        |dir: &Path| release::read_manifest(dir).is_some_and(|m| m.campaign == campaign);
    if let Some((id, dir)) = release::latest(out) {
        if of_campaign(&dir) {
            return Some((id, dir));
        }
    }
    release::releases(out)
        .into_iter()
        .rev()
        .map(|id| {
            let dir = out.join("releases").join(&id);
            (id, dir)
        })
        .find(|(_, dir)| of_campaign(dir))
}

/// The release being written compared with the one it replaces. A
/// previous release that cannot be read is said so in the changes, and
/// does not stop the release.
pub fn since_previous(
    out: &Path,
    release: &foi_publish::Release,
    facts: Facts,
) -> anyhow::Result<Changes> {
    let (campaign, run_id) = (facts.campaign.clone(), facts.run_id.clone());
    let mut current = release.snapshot(facts)?;
    let Some((id, dir)) = previous(out, &campaign) else {
        return Ok(Changes::first(&campaign, &run_id));
    };
    let compared = (|| -> anyhow::Result<Changes> {
        let (_, mut before) = read::snapshot(&dir)?;
        let (old, new) = changes::changed_sources(&before, &current);
        read::records(&dir, &mut before, &old)?;
        current.add_records(&release.records_rows(&new), &new)?;
        Ok(changes::compare(Some(&before), &current))
    })();
    Ok(
        compared
            .unwrap_or_else(|e| Changes::unreadable(&campaign, &id, &run_id, &format!("{e:#}"))),
    )
}

/// The changes as manifest.json records them.
pub fn entry(c: &Changes) -> ChangesEntry {
    ChangesEntry {
        previous_release: c.previous.clone(),
        figures_changed: c.figures.len(),
        revised: c.count(ChangeKind::Revised),
        new: c.count(ChangeKind::New),
        withdrawn: c.count(ChangeKind::Withdrawn),
        forces: c
            .forces
            .iter()
            .filter(|f| f.moved)
            .map(|f| f.force.clone())
            .collect(),
        summary: c.line(),
    }
}
