//! Normalised results, cached by what they depend on: the source's bytes,
//! the campaign's config, the response's own config and foi's version. A
//! response none of those changed for is not read again.

use foi_model::{Aggregate, Diagnostic, Record};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cached {
    pub records: Vec<Record>,
    pub aggregates: Vec<Aggregate>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn key(campaign_sha: &str, response_text: &[u8], source_sha: &str) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update([0]);
    h.update(campaign_sha.as_bytes());
    h.update([0]);
    h.update(response_text);
    h.update([0]);
    h.update(source_sha.as_bytes());
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
    // A cache that cannot be written costs time next run, nothing else.
    let _ = write_unsynced(&path(cache, campaign, key), &bytes);
}

/// Written whole under a temporary name and renamed, but not synced: an
/// entry a crash damages does not parse, and [`load`] takes it for a miss.
/// Syncing 44 entries held each normalising thread up on the disk.
fn write_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// sha256 over every file in the given folders (recursively, sorted by
/// path), skipping `skip`: a fingerprint of the config.
pub fn tree_sha(root: &Path, dirs: &[PathBuf], skip: Option<&Path>) -> String {
    let mut files = Vec::new();
    fn walk(dir: &Path, skip: Option<&Path>, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if Some(p.as_path()) == skip {
                continue;
            }
            if p.is_dir() {
                walk(&p, skip, out);
            } else {
                out.push(p);
            }
        }
    }
    for d in dirs {
        walk(d, skip, &mut files);
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
