//! The content-addressed raw cache and the per-source manifests.
//!
//! Layout under the cache directory:
//! - `raw/<first two hex digits>/<sha256>`: the bytes, stored once;
//! - `raw/.tmp-*`: downloads in progress (never under a final name);
//! - `sources/<campaign>/<key>.json`: one [`Manifest`] per source.
//!
//! Every file is written to a temporary name on the same file system and
//! renamed into place only when complete (and, for raw bytes, only after the
//! length and hash have been checked against what was read back from disk).

use crate::{IngestError, Manifest};
use foi_model::{sniff, Format};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the bytes with this sha256 live: `<cache>/raw/<first2>/<sha256>`.
pub fn raw_path(cache_dir: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("__");
    cache_dir.join("raw").join(prefix).join(sha256)
}

/// Reads a cached copy, checking that its bytes still hash to `sha256`.
pub fn read_raw(cache_dir: &Path, sha256: &str) -> Result<Vec<u8>, IngestError> {
    let path = raw_path(cache_dir, sha256);
    let who = format!("cached copy {}", short(sha256));
    if !is_sha256(sha256) {
        return Err(IngestError::Cache {
            who,
            path,
            reason: format!("{sha256:?} is not a sha256 (64 lower-case hex digits)"),
        });
    }
    let bytes = fs::read(&path).map_err(|e| IngestError::Cache {
        who,
        path: path.clone(),
        reason: match e.kind() {
            io::ErrorKind::NotFound => "not in the cache (fetch the source again)".to_string(),
            _ => format!("cannot read it: {e}"),
        },
    })?;
    let actual = hex::encode(Sha256::digest(&bytes));
    if actual != sha256 {
        return Err(IngestError::Corrupt {
            path,
            expected: sha256.to_string(),
            actual,
        });
    }
    Ok(bytes)
}

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether the raw copy a manifest points to is present with the right size
/// (a cheap check; [`read_raw`] checks the hash).
pub(crate) fn has_copy(cache_dir: &Path, m: &Manifest) -> bool {
    is_sha256(&m.sha256)
        && fs::metadata(raw_path(cache_dir, &m.sha256))
            .is_ok_and(|md| md.is_file() && md.len() == m.size)
}

/// A name usable as one path component: not empty, no separators, not hidden.
pub(crate) fn check_name(what: &str, name: &str) -> Result<(), String> {
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || name.chars().any(char::is_control)
    {
        Err(format!(
            "the {what} {name:?} cannot name a file in the cache (it must be non-empty, not start with '.', and contain no '/' or '\\')"
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn manifest_path(cache_dir: &Path, campaign: &str, key: &str) -> PathBuf {
    cache_dir
        .join("sources")
        .join(campaign)
        .join(format!("{key}.json"))
}

/// Reads the manifest of a source, or `None` when there is none yet.
pub fn read_manifest(
    cache_dir: &Path,
    campaign: &str,
    key: &str,
) -> Result<Option<Manifest>, IngestError> {
    let path = manifest_path(cache_dir, campaign, key);
    let err = |reason: String| IngestError::Cache {
        who: format!("{campaign}/{key}"),
        path: path.clone(),
        reason,
    };
    check_name("campaign", campaign).map_err(err)?;
    check_name("key", key).map_err(err)?;
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(format!("cannot read the manifest: {e}"))),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| err(format!("the manifest is not valid: {e}")))
}

/// How much a manifest write must survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// Synced before it is renamed into place: it records a new copy, or a
    /// failure, which a crash must not lose.
    Synced,
    /// Renamed into place unsynced: it only confirms that the copy is
    /// still current (a new `fetched_at`); a crash that loses it leaves the
    /// previous manifest, which says the same but for that time. A
    /// scheduled run that changes nothing writes one of these per source.
    Confirmation,
}

/// Writes a manifest: temporary file, sync (see [`Durability`]), rename.
pub(crate) fn write_manifest(
    cache_dir: &Path,
    campaign: &str,
    m: &Manifest,
    durability: Durability,
) -> io::Result<PathBuf> {
    let path = manifest_path(cache_dir, campaign, &m.key);
    let dir = path.parent().unwrap_or(cache_dir);
    fs::create_dir_all(dir)?;
    let mut text = serde_json::to_string_pretty(m).map_err(io::Error::other)?;
    text.push('\n');
    let (tmp, file) = create_temp(dir, &format!(".{}.json", m.key))?;
    let result = (|| {
        let mut w = BufWriter::new(file);
        w.write_all(text.as_bytes())?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if durability == Durability::Synced {
            file.sync_all()?;
        }
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| path)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Creates a new, uniquely named temporary file in `dir`.
fn create_temp(dir: &Path, stem: &str) -> io::Result<(PathBuf, File)> {
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = dir.join(format!("{stem}.tmp-{}-{n}-{nanos}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Temporary files older than this are abandoned whoever wrote them.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes the temporary files in `dir` (made by [`create_temp`]) that no
/// running process is writing: those whose process is gone (where that can
/// be told, i.e. on Linux), and any older than a day. Returns how many were
/// removed. Processes sharing a cache are assumed to see each other's ids.
pub(crate) fn sweep_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if (old || process_gone(pid)) && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The id of the process that made a temporary file, from its name
/// (`<stem>.tmp-<pid>-<n>-<nanos>`).
fn temp_owner(name: &str) -> Option<u32> {
    let (_, rest) = name.rsplit_once(".tmp-")?;
    let mut parts = rest.split('-');
    let pid = parts.next()?.parse().ok()?;
    let rest: Vec<&str> = parts.collect();
    let numeric = rest.len() == 2 && rest.iter().all(|p| p.parse::<u64>().is_ok());
    numeric.then_some(pid)
}

/// Whether the process is known to have ended.
fn process_gone(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        let proc = Path::new("/proc");
        proc.join("self").exists() && !proc.join(pid.to_string()).exists()
    } else {
        false
    }
}

/// What was stored: the copy's identity and what its bytes are.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub sha256: String,
    pub size: u64,
    pub format: Format,
}

/// Why a finished download was not stored.
#[derive(Debug)]
pub(crate) enum FinishError {
    /// Fewer (or more) bytes than promised.
    Length {
        expected: u64,
        received: u64,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// What was read back from disk is not what was written.
    Verify {
        path: PathBuf,
    },
}

impl FinishError {
    /// Plain words for the cache failures (not used for `Length`).
    pub(crate) fn reason(&self) -> String {
        match self {
            FinishError::Length { expected, received } => {
                format!("expected {expected} bytes, got {received}")
            }
            FinishError::Io { error, .. } => format!("cannot write to the cache: {error}"),
            FinishError::Verify { .. } => {
                "the bytes read back from the cache differ from those received (disk problem?)"
                    .to_string()
            }
        }
    }
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            FinishError::Length { .. } => None,
            FinishError::Io { path, .. } | FinishError::Verify { path } => Some(path),
        }
    }
}

/// Streams bytes into a temporary file under `raw/`, hashing as it goes.
/// Dropped without [`RawWriter::finish`], the temporary file is removed.
pub(crate) struct RawWriter {
    raw_dir: PathBuf,
    tmp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
    hasher: Sha256,
    len: u64,
}

impl RawWriter {
    pub(crate) fn create(cache_dir: &Path) -> Result<RawWriter, FinishError> {
        let raw_dir = cache_dir.join("raw");
        let io_err = |error| FinishError::Io {
            path: raw_dir.clone(),
            error,
        };
        fs::create_dir_all(&raw_dir).map_err(io_err)?;
        let (tmp, file) = create_temp(&raw_dir, "").map_err(io_err)?;
        Ok(RawWriter {
            raw_dir,
            tmp: Some(tmp),
            file: Some(BufWriter::with_capacity(64 * 1024, file)),
            hasher: Sha256::new(),
            len: 0,
        })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn write(&mut self, chunk: &[u8]) -> Result<(), FinishError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        file.write_all(chunk).map_err(|error| FinishError::Io {
            path: self.raw_dir.clone(),
            error,
        })?;
        self.hasher.update(chunk);
        self.len += chunk.len() as u64;
        Ok(())
    }

    /// Checks the length (against `expected` when given, and against what
    /// is on disk) and the hash of what is on disk, sniffs the format, and
    /// renames the file to its content address. Blocking.
    pub(crate) fn finish(mut self, expected: Option<u64>) -> Result<Stored, FinishError> {
        if let Some(expected) = expected {
            if expected != self.len {
                return Err(FinishError::Length {
                    expected,
                    received: self.len,
                });
            }
        }
        let tmp = self.tmp.clone().unwrap_or_default();
        let io_err = |error| FinishError::Io {
            path: tmp.clone(),
            error,
        };
        if let Some(file) = self.file.take() {
            let file = file.into_inner().map_err(|e| io_err(e.into_error()))?;
            file.sync_all().map_err(io_err)?;
        }
        let sha256 = hex::encode(std::mem::take(&mut self.hasher).finalize());
        let bytes = fs::read(&tmp).map_err(io_err)?;
        if bytes.len() as u64 != self.len || hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(FinishError::Verify { path: tmp });
        }
        let format = sniff(&bytes);
        drop(bytes);
        let dest = raw_path(self.raw_dir.parent().unwrap_or(&self.raw_dir), &sha256);
        let dest_err = |error| FinishError::Io {
            path: dest.clone(),
            error,
        };
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(dest_err)?;
        }
        let present = fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == self.len);
        if present {
            // Same bytes already stored (content-addressed): keep that copy.
            let _ = fs::remove_file(&tmp);
        } else {
            fs::rename(&tmp, &dest).map_err(dest_err)?;
        }
        self.tmp = None;
        Ok(Stored {
            sha256,
            size: self.len,
            format,
        })
    }
}

impl Drop for RawWriter {
    fn drop(&mut self) {
        self.file = None;
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("foi-ingest-unit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).expect("temp dir");
        d
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn stores_under_hash_and_reads_back() {
        let dir = tempdir("store");
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"a,b\n").expect("write");
        w.write(b"1,2\n").expect("write");
        let s = w.finish(Some(8)).expect("finish");
        assert_eq!(s.sha256, hex::encode(Sha256::digest(b"a,b\n1,2\n")));
        assert_eq!(s.size, 8);
        assert_eq!(s.format, Format::Text { utf8: true });
        let path = raw_path(&dir, &s.sha256);
        assert!(path.starts_with(dir.join("raw").join(&s.sha256[..2])));
        assert_eq!(read_raw(&dir, &s.sha256).expect("read"), b"a,b\n1,2\n");
        // No temporary files left behind.
        assert_eq!(entries(&dir.join("raw")), vec![s.sha256[..2].to_string()]);
        // Storing the same bytes again is fine.
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"a,b\n1,2\n").expect("write");
        assert_eq!(w.finish(None).expect("finish").sha256, s.sha256);
        assert_eq!(entries(&dir.join("raw")), vec![s.sha256[..2].to_string()]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn wrong_length_is_never_stored() {
        let dir = tempdir("short");
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"abc").expect("write");
        assert!(matches!(
            w.finish(Some(10)),
            Err(FinishError::Length {
                expected: 10,
                received: 3
            })
        ));
        assert!(entries(&dir.join("raw")).is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn damaged_copy_is_refused() {
        let dir = tempdir("corrupt");
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"hello").expect("write");
        let s = w.finish(None).expect("finish");
        fs::write(raw_path(&dir, &s.sha256), b"HELLO").expect("overwrite");
        let e = read_raw(&dir, &s.sha256).expect_err("corrupt");
        assert!(matches!(e, IngestError::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("damaged"));
        let e = read_raw(&dir, "../../etc/passwd").expect_err("bad hash");
        assert!(e.to_string().contains("not a sha256"), "{e}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn abandoned_temporary_files_are_swept() {
        let dir = tempdir("sweep");
        let raw = dir.join("raw");
        fs::create_dir_all(&raw).expect("mkdir");
        // Ours (still being written), a dead process's, and other files.
        let (mine, _file) = create_temp(&raw, "").expect("temp");
        // Pids are below 2^22 on Linux: this one cannot be running.
        let dead = raw.join(".tmp-4294967295-0-123");
        let manifest = raw.join(".kent.json.tmp-4294967295-1-5");
        fs::write(&dead, b"half").expect("write");
        fs::write(&manifest, b"{").expect("write");
        fs::write(raw.join("notes.tmp-x"), b"keep").expect("write");
        fs::write(raw.join(".tmp-12-not-numbers"), b"keep").expect("write");
        let expected = if cfg!(target_os = "linux") { 2 } else { 0 };
        assert_eq!(sweep_temps(&raw), expected);
        assert!(mine.exists());
        assert_eq!(dead.exists(), expected == 0);
        assert!(raw.join("notes.tmp-x").exists());
        assert!(raw.join(".tmp-12-not-numbers").exists());
        assert_eq!(sweep_temps(&dir.join("missing")), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_file_owners() {
        assert_eq!(temp_owner(".tmp-123-4-567"), Some(123));
        assert_eq!(temp_owner(".kent-2019.json.tmp-9-0-1"), Some(9));
        assert_eq!(temp_owner("kent.json"), None);
        assert_eq!(temp_owner(".tmp-abc-1-2"), None);
        assert_eq!(temp_owner(".tmp-1-2"), None);
    }

    #[test]
    fn names() {
        assert!(check_name("key", "kent").is_ok());
        assert!(check_name("key", "kent-2019_a").is_ok());
        for bad in ["", ".", "..", ".hidden", "a/b", "a\\b"] {
            assert!(check_name("key", bad).is_err(), "{bad:?}");
        }
    }
}
