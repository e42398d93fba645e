//! `verify`: every copy in the raw cache hashed, and the damaged ones moved
//! aside so that the next fetch fetches their sources again.

use crate::cache::{self, check_name, is_sha256};
use crate::{IngestError, Manifest};
use foi_model::{Diagnostic, DiagnosticKind};
use std::collections::BTreeMap;
use std::path::Path;

/// What [`verify`] found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Copies hashed.
    pub checked: usize,
    /// Their bytes, together.
    pub bytes: u64,
    /// Copies whose bytes no longer hash to their name: each was moved to
    /// `<cache>/damaged/`.
    pub damaged: usize,
    /// A `damaged_copy` warning for each damaged copy, once per source of
    /// the campaign that uses it (its force, and its source as the file),
    /// or once without a force when no source of the campaign uses it; a
    /// warning for each copy that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Hashes every copy under `<cache>/raw/` and moves each damaged one to
/// `<cache>/damaged/`; the sources of `campaign` that used it then have no
/// copy, and the next fetch fetches them again unconditionally. Blocking;
/// reads the whole raw cache.
pub fn verify(cache_dir: &Path, campaign: &str) -> Verification {
    let users = users(cache_dir, campaign);
    let mut v = Verification::default();
    let walk = walkdir::WalkDir::new(cache_dir.join("raw"))
        .min_depth(2)
        .max_depth(2)
        .sort_by_file_name();
    for entry in walk.into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        let in_place = entry
            .path()
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| name.get(..2).is_some_and(|p| d == p));
        if !entry.file_type().is_file() || !is_sha256(&name) || !in_place {
            continue;
        }
        let sha256 = name.into_owned();
        v.checked += 1;
        v.bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        let err = match cache::check_raw(cache_dir, &sha256) {
            Ok(_) => continue,
            Err(e) => e,
        };
        let IngestError::Corrupt {
            actual, moved_to, ..
        } = &err
        else {
            v.diagnostics
                .push(Diagnostic::warning(DiagnosticKind::Other, err.to_string()));
            continue;
        };
        v.damaged += 1;
        let what = cache::damage_note(&sha256, actual, moved_to.as_deref());
        match users.get(&sha256) {
            Some(ms) => {
                for m in ms {
                    v.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticKind::DamagedCopy,
                            format!("{what}; the source is fetched again"),
                        )
                        .force(&m.force)
                        .file(m.source.clone()),
                    );
                }
            }
            None => v.diagnostics.push(Diagnostic::warning(
                DiagnosticKind::DamagedCopy,
                format!("{what}; no source of campaign {campaign} uses it"),
            )),
        }
    }
    v
}

/// The campaign's manifests, by the copy they point at.
fn users(cache_dir: &Path, campaign: &str) -> BTreeMap<String, Vec<Manifest>> {
    let mut by_sha: BTreeMap<String, Vec<Manifest>> = BTreeMap::new();
    if check_name("campaign", campaign).is_err() {
        return by_sha;
    }
    let dir = cache_dir.join("sources").join(campaign);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return by_sha;
    };
    let mut keys: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .filter(|k| check_name("key", k).is_ok())
        .collect();
    keys.sort();
    for key in keys {
        if let Ok(Some(m)) = cache::read_manifest(cache_dir, campaign, &key) {
            by_sha.entry(m.sha256.clone()).or_default().push(m);
        }
    }
    by_sha
}
