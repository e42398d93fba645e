//! Normalised results, cached by what they depend on: the source's bytes,
//! the campaign's config (of its crosswalks, only the lines that can apply
//! to the response's force), the response's own config and foi's build
//! (the fingerprint of its source: a foi with other normalise code never
//! reuses these).
//! A response none of those changed for is not read again.

use foi_model::config::{Config, Response};
use foi_model::{Aggregate, Crosswalk, Diagnostic, Record};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cached {
    pub records: Vec<Record>,
    pub aggregates: Vec<Aggregate>,
    #[serde(default)]
    pub checks: Vec<foi_model::Check>,
    pub diagnostics: Vec<Diagnostic>,
    /// The layout detection read the response with (see
    /// `foi_normalise::Normalised::layout`), published under layouts/.
    #[serde(default)]
    pub layout: Option<String>,
}

/// `campaign_sha` is the config's fingerprint without its crosswalk files;
/// `crosswalk_sha` the lines of them that apply to the response.
pub fn key(
    campaign_sha: &str,
    crosswalk_sha: &str,
    response_text: &[u8],
    source_sha: &str,
) -> String {
    key_for(
        crate::BUILD_ID,
        campaign_sha,
        crosswalk_sha,
        response_text,
        source_sha,
    )
}

/// [`key`] for the foi built from source `build`.
fn key_for(
    build: &str,
    campaign_sha: &str,
    crosswalk_sha: &str,
    response_text: &[u8],
    source_sha: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(build.as_bytes());
    h.update([0]);
    h.update(campaign_sha.as_bytes());
    h.update([0]);
    h.update(crosswalk_sha.as_bytes());
    h.update([0]);
    h.update(response_text);
    h.update([0]);
    h.update(source_sha.as_bytes());
    hex::encode(h.finalize())
}

/// Every crosswalk file of the campaign: their lines enter a response's
/// key through [`crosswalk_sha`], not through the config's fingerprint.
pub fn crosswalk_files(config: &Config) -> Vec<&str> {
    crosswalks(config).map(|c| c.file.as_str()).collect()
}

/// Every crosswalk of the campaign: its dimensions', its derivations' and
/// its markers'.
pub fn crosswalks(config: &Config) -> impl Iterator<Item = &Crosswalk> {
    let c = &config.campaign;
    c.dimensions
        .iter()
        .filter_map(|d| d.crosswalk.as_ref())
        .chain(c.derivations.iter().map(|(_, _, cw)| cw))
        .chain(c.markers.as_ref())
}

/// sha256 of the crosswalk lines that can apply to a response: every line
/// without a force, and the lines scoped to the response's force (all of
/// them for a source answering for many forces). A line added for one
/// force sends only that force's responses to be normalised again, which
/// is how a researcher fixing crosswalks works.
pub fn crosswalk_sha(config: &Config, response: &Response) -> String {
    let mut h = Sha256::new();
    for cw in crosswalks(config) {
        h.update(cw.file.as_bytes());
        h.update([0]);
        let mut lines: Vec<(&str, &str, &str)> = cw
            .entries()
            .iter()
            .filter(|e| match (&e.force, &response.force) {
                (None, _) | (_, None) => true,
                (Some(f), Some(r)) => f == r,
            })
            .map(|e| {
                (
                    e.label.as_str(),
                    e.value.as_str(),
                    e.force.as_ref().map_or("", |f| f.0.as_str()),
                )
            })
            .collect();
        // The order of a crosswalk's lines decides nothing: a label has
        // one meaning per force.
        lines.sort_unstable();
        for (label, value, force) in lines {
            for part in [label, value, force] {
                h.update(part.as_bytes());
                h.update([0]);
            }
        }
        h.update([1]);
    }
    hex::encode(h.finalize())
}

fn path(cache: &Path, campaign: &str, key: &str) -> PathBuf {
    cache
        .join("normalised")
        .join(campaign)
        .join(format!("{key}.json"))
}

pub fn load(cache: &Path, campaign: &str, key: &str) -> Option<Cached> {
    let bytes = std::fs::read(path(cache, campaign, key)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn store(cache: &Path, campaign: &str, key: &str, value: &Cached) {
    let Ok(bytes) = serde_json::to_vec(value) else {
        return;
    };
    // A cache that cannot be written costs time next run, nothing else; nor
    // is it synced: an entry a crash damages does not parse, and [`load`]
    // takes it for a miss. Syncing 44 entries held each normalising thread
    // up on the disk.
    let _ = foi_publish::write_atomic_unsynced(&path(cache, campaign, key), &bytes);
}

/// Removes what a killed run left in the campaign's normalised cache:
/// temporary files that never got their final name. Called under the run
/// lock, so no other run is writing them.
pub fn sweep(cache: &Path, campaign: &str) {
    let dir = cache.join("normalised").join(campaign);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// sha256 over every file in the given folders (recursively, sorted by
/// path), skipping the files and folders in `skip`: a fingerprint of the
/// config.
pub fn tree_sha(root: &Path, dirs: &[PathBuf], skip: &[PathBuf]) -> String {
    // Compared as the file system names them: a config folder given as
    // "config" or as an absolute path is the same folder.
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut files = Vec::new();
    fn walk(dir: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if !skip.is_empty() && std::fs::canonicalize(&p).is_ok_and(|c| skip.contains(&c)) {
                continue;
            }
            if p.is_dir() {
                walk(&p, skip, out);
            } else {
                out.push(p);
            }
        }
    }
    // Walked by their real paths, so each file is named relative to the
    // root whether the config folder was given relative or absolute.
    for d in dirs {
        walk(
            &std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()),
            &skip,
            &mut files,
        );
    }
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(std::fs::read(&f).unwrap_or_default());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foi_built_from_other_code_never_reuses_a_cached_response() {
        let k = |build: &str| key_for(build, "config", "crosswalks", b"force = \"kent\"", "bytes");
        assert_ne!(k("build-a"), k("build-b"));
        assert_eq!(k("build-a"), k("build-a"));
        assert_eq!(crate::BUILD_ID.len(), 64, "{}", crate::BUILD_ID);
    }

    #[test]
    fn sweep_removes_only_temporary_files() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("normalised").join("c");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("abc.json"), b"{}").expect("write");
        std::fs::write(dir.join(".abc.json.tmp-123-0"), b"{").expect("write");
        sweep(tmp.path(), "c");
        let left: Vec<String> = std::fs::read_dir(&dir)
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["abc.json"]);
    }
}
