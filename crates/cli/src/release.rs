//! Releases: each run builds in a staging folder and publishes it whole as
//! `out/releases/<run-id>/`, then points `out/latest` at it with an atomic
//! rename. A lock keeps two runs from overlapping; the operating system
//! drops it when a run dies, so a killed run never leaves it held.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held for the whole run; released on drop or when the process dies.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes `out/.lock`, waiting up to `wait`. `Ok(None)`: another run holds it.
pub fn lock(out: &Path, wait: Duration) -> Result<Option<Lock>> {
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join(".lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Who holds it, for a person looking at a stuck run.
                let _ = file.set_len(0);
                let _ = std::io::Write::write_all(
                    &mut &file,
                    format!("{}\n", std::process::id()).as_bytes(),
                );
                clean(out);
                return Ok(Some(Lock { _file: file }));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= wait {
                    return Ok(None);
                }
                if !told {
                    told = true;
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    crate::report::info(&format!(
                        "another foi run (pid {}) holds {}; waiting up to {:?} for it",
                        holder.trim(),
                        path.display(),
                        wait
                    ));
                }
                std::thread::sleep(
                    Duration::from_millis(100)
                        .min(wait.saturating_sub(start.elapsed()))
                        .max(Duration::from_millis(10)),
                );
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

/// Removes what a killed run can leave in `out/`: a half-written staging
/// folder, or the new `latest` link it had not yet renamed into place.
/// Called with the lock held, so no other run is writing them.
fn clean(out: &Path) {
    let Ok(rd) = fs::read_dir(out) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".staging-") {
            let _ = fs::remove_dir_all(e.path());
        } else if name.starts_with(".latest-") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// A fresh staging folder for `id`; leftovers of killed runs are removed
/// first (safe: we hold the lock, so no other run is writing them).
pub fn stage(out: &Path, id: &str) -> Result<PathBuf> {
    clean(out);
    let dir = out.join(format!(".staging-{id}"));
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Removes a staging folder that will not become a release (nothing in
/// it changed, or writing it failed); a folder left behind by a killed
/// run goes at the next [`stage`].
pub fn discard(staging: &Path) {
    let _ = fs::remove_dir_all(staging);
}

/// Moves a complete staging folder into `releases/` and points `latest`
/// at it. Each step is a rename, so a reader sees the old release or the
/// new one, never a mixture.
pub fn publish(out: &Path, staging: &Path, id: &str) -> Result<PathBuf> {
    // Make the files durable before they become visible.
    for e in fs::read_dir(staging)?.flatten() {
        if let Ok(f) = File::open(e.path()) {
            let _ = f.sync_all();
        }
    }
    let releases = out.join("releases");
    fs::create_dir_all(&releases)?;
    let dest = releases.join(id);
    fs::rename(staging, &dest)
        .with_context(|| format!("moving the release into {}", dest.display()))?;
    if let Ok(d) = File::open(&releases) {
        let _ = d.sync_all();
    }
    let tmp = out.join(format!(".latest-{id}"));
    let _ = fs::remove_file(&tmp);
    std::os::unix::fs::symlink(Path::new("releases").join(id), &tmp)
        .with_context(|| format!("linking {}", tmp.display()))?;
    fs::rename(&tmp, out.join("latest")).context("pointing out/latest at the new release")?;
    if let Ok(d) = File::open(out) {
        let _ = d.sync_all();
    }
    Ok(dest)
}

/// The release `out/latest` points at.
pub fn latest(out: &Path) -> Option<(String, PathBuf)> {
    let target = fs::read_link(out.join("latest")).ok()?;
    let id = target.file_name()?.to_str()?.to_string();
    let dir = out.join("releases").join(&id);
    dir.is_dir().then_some((id, dir))
}

/// Removes all but the newest `keep` of the releases foi made (never the
/// one `latest` points at, nor anything else in `releases/`). Returns the
/// ids removed.
pub fn prune(out: &Path, keep: usize) -> Result<Vec<String>> {
    let current = latest(out).map(|(id, _)| id);
    let ids = releases(out);
    let keep = keep.max(1);
    let mut removed = Vec::new();
    if ids.len() > keep {
        for id in &ids[..ids.len() - keep] {
            if Some(id) == current.as_ref() {
                continue;
            }
            fs::remove_dir_all(out.join("releases").join(id))?;
            removed.push(id.clone());
        }
    }
    Ok(removed)
}

/// The releases foi made in `out/releases/`, oldest first. Only what foi
/// named: a folder someone else put there (notes, a copy kept by hand) is
/// never listed, so never removed.
pub fn releases(out: &Path) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(out.join("releases"))
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| is_run_id(n))
                .collect()
        })
        .unwrap_or_default();
    // By the time in the id, then (two runs in one second) by when the
    // release was written; never by the process id.
    let written = |id: &String| {
        fs::metadata(out.join("releases").join(id))
            .and_then(|m| m.modified())
            .ok()
    };
    ids.sort_by_cached_key(|id| {
        let time = id.split('-').next().unwrap_or_default().to_string();
        (time, written(id), id.clone())
    });
    ids
}

/// A run id as foi makes them: "20261128T041305Z-6578" (UTC time, process id).
fn is_run_id(name: &str) -> bool {
    let Some((time, pid)) = name.split_once('-') else {
        return false;
    };
    let b = time.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b.iter()
            .enumerate()
            .all(|(i, c)| matches!(i, 8 | 15) || c.is_ascii_digit())
        && !pid.is_empty()
        && pid.bytes().all(|c| c.is_ascii_digit())
}

/// What a run did, written into its release as manifest.json. The run's
/// time and the tool's version live here, never in the tables, so the
/// tables of two runs on the same inputs are byte-identical.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub run_id: String,
    pub started: String,
    pub finished: String,
    pub foi_version: String,
    /// The fingerprint of the source foi was built from (FOI_BUILD_ID).
    #[serde(default)]
    pub foi_build: String,
    pub campaign: String,
    pub config_sha256: String,
    pub sources: Vec<SourceEntry>,
    pub normalised: usize,
    pub reused: usize,
    pub outputs: Vec<OutputEntry>,
    pub exit_code: u8,
    /// Every warning and error that made the exit code what it is.
    #[serde(default)]
    pub causes: Vec<crate::verdict::CauseEntry>,
    /// The counts of the run's closing line.
    #[serde(default)]
    pub summary: crate::report::Counts,
    /// sha256 of everything the release was made from: foi's build, the
    /// config, each source's bytes and staleness, and the flags that change
    /// the result. A run whose inputs match reads nothing and publishes
    /// nothing.
    #[serde(default)]
    pub inputs_sha256: String,
    /// The headline as `foi run` printed it, to print again.
    #[serde(default)]
    pub headline: String,
    /// Responses with figures: what a no-change run would have reused.
    #[serde(default)]
    pub responses: usize,
    /// sha256 of the campaign's config without its responses and
    /// crosswalks (those are fingerprinted per response below): the
    /// campaign file and the reference tables. Absent before schema 3.
    #[serde(default)]
    pub campaign_sha256: Option<String>,
    /// Each response's config and the crosswalk lines that can apply to
    /// it, fingerprinted, so a later release can say whether they
    /// changed. Absent before schema 3.
    #[serde(default)]
    pub response_configs: Option<Vec<ResponseConfig>>,
    /// Every crosswalk line the campaign had. Absent before schema 3.
    #[serde(default)]
    pub crosswalks: Option<Vec<CrosswalkFile>>,
    /// What differs from the release this one replaced (changes.csv).
    /// Absent before schema 3.
    #[serde(default)]
    pub changes: Option<ChangesEntry>,
}

/// A response's fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseConfig {
    pub key: String,
    pub force: String,
    /// The response config file, relative to the root.
    pub file: String,
    /// sha256 of its text.
    pub sha256: String,
    /// sha256 of the crosswalk lines that can apply to it (the normalised
    /// cache's key holds the same).
    pub crosswalk_sha256: String,
}

/// A crosswalk file's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosswalkFile {
    pub file: String,
    pub lines: Vec<CrosswalkLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosswalkLine {
    pub line: usize,
    pub label: String,
    pub value: String,
    pub force: Option<String>,
}

/// What differs from the release a release replaced, in counts and the
/// run's closing change line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesEntry {
    /// The release compared with; `null` for a first release.
    pub previous_release: Option<String>,
    pub figures_changed: usize,
    pub revised: usize,
    pub new: usize,
    pub withdrawn: usize,
    /// The forces whose part of a national figure moved.
    pub forces: Vec<String>,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceEntry {
    pub key: String,
    pub force: String,
    pub source: String,
    pub status: String,
    pub sha256: Option<String>,
    pub stale: bool,
    /// When the copy used was fetched (or last confirmed current).
    #[serde(default)]
    pub fetched_at: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).ok()?).ok()
}

pub fn write_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(m)?;
    bytes.push(b'\n');
    foi_publish::write_atomic(&dir.join("manifest.json"), &bytes)?;
    Ok(())
}

/// Refuses an output folder that is a file, or a `latest` that is not ours.
pub fn check_out(out: &Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let latest = out.join("latest");
    if latest.exists() && fs::symlink_metadata(&latest).is_ok_and(|m| !m.file_type().is_symlink()) {
        bail!(
            "{} is not a link to a release: move it away",
            latest.display()
        );
    }
    Ok(())
}
