//! The content-addressed raw cache, the per-source manifests, and the
//! places bad bytes are put aside.
//!
//! Layout under the cache directory:
//! - `raw/<first two hex digits>/<sha256>`: the bytes, stored once;
//! - `raw/.tmp-<pid>-<random>`: downloads in progress (never under a final name);
//! - `sources/<campaign>/<key>.json`: one [`Manifest`] per source;
//! - `rejected/<campaign>/<key>/<sha256>.<ext>`: bodies that failed their
//!   checks (the newest [`KEEP_REJECTED`] of each source);
//! - `damaged/<sha256>`: a cached copy whose bytes no longer hash to its
//!   name, moved out of `raw/` so that it is never served and its source is
//!   fetched again.
//!
//! Every file is written to a temporary name on the same file system and
//! renamed into place only when complete (and, for raw bytes, only after the
//! length and hash have been checked against what was read back from disk).

use crate::accept::{self, Refusal};
use crate::{IngestError, Manifest};
use foi_model::{sniff, Format};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Where the bytes with this sha256 live: `<cache>/raw/<first2>/<sha256>`.
pub fn raw_path(cache_dir: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("__");
    cache_dir.join("raw").join(prefix).join(sha256)
}

/// Where a damaged copy is moved: `<cache>/damaged/<sha256>`.
pub(crate) fn damaged_path(cache_dir: &Path, sha256: &str) -> PathBuf {
    cache_dir.join("damaged").join(sha256)
}

/// Reads a cached copy, checking that its bytes still hash to `sha256`.
///
/// A copy that does not is moved to `<cache>/damaged/` (see
/// [`IngestError::Corrupt`]): it is never read again, and the next fetch
/// of its source, finding no copy, fetches it again unconditionally.
pub fn read_raw(cache_dir: &Path, sha256: &str) -> Result<Vec<u8>, IngestError> {
    let path = raw_path(cache_dir, sha256);
    let who = format!("cached copy {}", short(sha256));
    if !is_sha256(sha256) {
        return Err(IngestError::Cache {
            who,
            path,
            reason: format!("\"{sha256}\" is not a sha256 (64 lower-case hex digits)"),
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
        return Err(damaged(cache_dir, sha256, actual));
    }
    Ok(bytes)
}

/// Hashes a cached copy without holding it in memory: `Ok(true)` when its
/// bytes hash to `sha256`, `Ok(false)` when the copy is missing.
/// A damaged copy is moved aside as by [`read_raw`].
pub(crate) fn check_raw(cache_dir: &Path, sha256: &str) -> Result<bool, IngestError> {
    let path = raw_path(cache_dir, sha256);
    let cannot = |e: io::Error| IngestError::Cache {
        who: format!("cached copy {}", short(sha256)),
        path: path.clone(),
        reason: format!("cannot read it: {e}"),
    };
    let mut file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(cannot(e)),
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    let actual = hex::encode(hasher.finalize());
    if actual == sha256 {
        Ok(true)
    } else {
        Err(damaged(cache_dir, sha256, actual))
    }
}

/// Moves a damaged copy to `damaged/` and says so.
fn damaged(cache_dir: &Path, sha256: &str, actual: String) -> IngestError {
    let path = raw_path(cache_dir, sha256);
    let to = damaged_path(cache_dir, sha256);
    let moved = to
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::rename(&path, &to));
    let moved_to = match moved {
        Ok(()) => Some(to),
        // Another reader moved it first.
        Err(_) if !path.exists() && to.exists() => Some(to),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot move a damaged copy aside");
            None
        }
    };
    IngestError::Corrupt {
        path,
        expected: sha256.to_string(),
        actual,
        moved_to,
    }
}

/// "the cached copy <sha256> is damaged (its bytes hash to <actual>);
/// moved to <path>": said of a damaged copy found while fetching or
/// verifying, where what follows is that its source is fetched again.
pub(crate) fn damage_note(expected: &str, actual: &str, moved_to: Option<&Path>) -> String {
    let moved = match moved_to {
        Some(to) => format!("moved to {}", to.display()),
        None => "it could not be moved aside".to_string(),
    };
    format!("the cached copy {expected} is damaged (its bytes hash to {actual}); {moved}")
}

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether the raw copy a manifest points to is present with the right size
/// (a cheap check; [`read_raw`] and [`check_raw`] check the hash).
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
            "the {what} \"{}\" cannot name a file in the cache (it must be non-empty, not start with '.', and contain no '/' or '\\')",
            name.escape_default()
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
    let mut w = BufWriter::new(temp_in(dir, &format!(".{}.json", m.key))?);
    w.write_all(text.as_bytes())?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    if durability == Durability::Synced {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

/// A new temporary file in `dir`, named `<stem>.tmp-<pid>-<6 random
/// letters or digits>`: the process id tells [`sweep_temps`] whose it is.
/// Removed when dropped, unless persisted under its final name.
fn temp_in(dir: &Path, stem: &str) -> io::Result<NamedTempFile> {
    let prefix = format!("{stem}.tmp-{}-", std::process::id());
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).rand_bytes(TEMP_RAND);
    #[cfg(unix)]
    {
        // As any new file: what the umask allows, not tempfile's 0600, so
        // that a cache written by one account can be read by another.
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

const TEMP_RAND: usize = 6;

/// Temporary files older than this are abandoned whoever wrote them.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes the temporary files in `dir` (made by [`temp_in`]) that no
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

/// The id of the process that made a temporary file, from its name:
/// `<stem>.tmp-<pid>-<6 letters or digits>`, or as foi named them before
/// it used tempfile, `<stem>.tmp-<pid>-<n>-<nanos>`.
fn temp_owner(name: &str) -> Option<u32> {
    let (_, rest) = name.rsplit_once(".tmp-")?;
    let (pid, tail) = rest.split_once('-')?;
    let pid = pid.parse().ok()?;
    let ours = tail.len() == TEMP_RAND && tail.bytes().all(|b| b.is_ascii_alphanumeric());
    let before = tail
        .split_once('-')
        .is_some_and(|(n, t)| n.parse::<u64>().is_ok() && t.parse::<u64>().is_ok());
    (ours || before).then_some(pid)
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

/// How many rejected bodies of one source are kept (the newest).
pub(crate) const KEEP_REJECTED: usize = 5;

/// The folder a source's rejected bodies go to:
/// `<cache>/rejected/<campaign>/<key>`.
pub(crate) fn rejected_dir(cache_dir: &Path, campaign: &str, key: &str) -> PathBuf {
    cache_dir.join("rejected").join(campaign).join(key)
}

/// Removes all but the newest [`KEEP_REJECTED`] files in `dir`.
fn prune_rejected(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| temp_owner(&e.file_name().to_string_lossy()).is_none())
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    for (_, path) in files.into_iter().skip(KEEP_REJECTED) {
        let _ = fs::remove_file(path);
    }
}

/// What is expected of a body before it may become a source's copy.
#[derive(Debug, Clone)]
pub(crate) struct Expect {
    pub spreadsheet: bool,
    /// Where a body that fails is put: see [`rejected_dir`].
    pub rejected_dir: PathBuf,
}

/// Where stored bytes went.
#[derive(Debug, Clone)]
pub(crate) enum Kept {
    /// Into the raw cache, under their sha256.
    Raw,
    /// They failed their checks, and were put aside at `path`.
    Aside { path: PathBuf, refusal: Refusal },
}

/// What was stored: the bytes' identity, what they are, and where they went.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub sha256: String,
    pub size: u64,
    pub format: Format,
    pub kept: Kept,
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
    cache_dir: PathBuf,
    file: BufWriter<NamedTempFile>,
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
        let tmp = temp_in(&raw_dir, "").map_err(io_err)?;
        Ok(RawWriter {
            cache_dir: cache_dir.to_path_buf(),
            file: BufWriter::with_capacity(64 * 1024, tmp),
            hasher: Sha256::new(),
            len: 0,
        })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn write(&mut self, chunk: &[u8]) -> Result<(), FinishError> {
        self.file
            .write_all(chunk)
            .map_err(|error| FinishError::Io {
                path: self.cache_dir.join("raw"),
                error,
            })?;
        self.hasher.update(chunk);
        self.len += chunk.len() as u64;
        Ok(())
    }

    /// Checks the length (against `expected` when given, and against what
    /// is on disk) and the hash of what is on disk, sniffs the format, and
    /// renames the file: to its content address when it passes the checks
    /// of `expect` (replacing whatever is there, which may be a damaged
    /// copy of the same bytes), or else into the source's rejected folder.
    /// Blocking.
    pub(crate) fn finish(
        self,
        expected: Option<u64>,
        expect: &Expect,
    ) -> Result<Stored, FinishError> {
        if let Some(expected) = expected {
            if expected != self.len {
                return Err(FinishError::Length {
                    expected,
                    received: self.len,
                });
            }
        }
        let RawWriter {
            cache_dir,
            file,
            hasher,
            len,
        } = self;
        let tmp_path = file.get_ref().path().to_path_buf();
        let io_err = |error| FinishError::Io {
            path: tmp_path.clone(),
            error,
        };
        let tmp = file.into_inner().map_err(|e| io_err(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io_err)?;
        let sha256 = hex::encode(hasher.finalize());
        let bytes = fs::read(tmp.path()).map_err(io_err)?;
        if bytes.len() as u64 != len || hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(FinishError::Verify { path: tmp_path });
        }
        let format = sniff(&bytes);
        let refusal = accept::check(expect.spreadsheet, format, &bytes).err();
        drop(bytes);
        let (dest, kept) = match refusal {
            None => (raw_path(&cache_dir, &sha256), Kept::Raw),
            Some(refusal) => {
                let path = expect
                    .rejected_dir
                    .join(format!("{sha256}.{}", accept::extension(format)));
                (path.clone(), Kept::Aside { path, refusal })
            }
        };
        let dest_err = |error| FinishError::Io {
            path: dest.clone(),
            error,
        };
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(dest_err)?;
        }
        // Over any file of that name: the same bytes, unless it was damaged.
        tmp.persist(&dest).map_err(|e| dest_err(e.error))?;
        if matches!(kept, Kept::Aside { .. }) {
            prune_rejected(&expect.rejected_dir);
        }
        Ok(Stored {
            sha256,
            size: len,
            format,
            kept,
        })
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

    fn expect(dir: &Path, spreadsheet: bool) -> Expect {
        Expect {
            spreadsheet,
            rejected_dir: rejected_dir(dir, "c", "kent"),
        }
    }

    fn store(dir: &Path, bytes: &[u8], spreadsheet: bool) -> Stored {
        let mut w = RawWriter::create(dir).expect("writer");
        w.write(bytes).expect("write");
        w.finish(Some(bytes.len() as u64), &expect(dir, spreadsheet))
            .expect("finish")
    }

    #[test]
    fn stores_under_hash_and_reads_back() {
        let dir = tempdir("store");
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"a,b\n").expect("write");
        w.write(b"1,2\n").expect("write");
        let s = w.finish(Some(8), &expect(&dir, true)).expect("finish");
        assert_eq!(s.sha256, hex::encode(Sha256::digest(b"a,b\n1,2\n")));
        assert_eq!(s.size, 8);
        assert_eq!(s.format, Format::Text { utf8: true });
        assert!(matches!(s.kept, Kept::Raw));
        let path = raw_path(&dir, &s.sha256);
        assert!(path.starts_with(dir.join("raw").join(&s.sha256[..2])));
        assert_eq!(read_raw(&dir, &s.sha256).expect("read"), b"a,b\n1,2\n");
        assert!(check_raw(&dir, &s.sha256).expect("check"));
        // No temporary files left behind.
        assert_eq!(entries(&dir.join("raw")), vec![s.sha256[..2].to_string()]);
        // Storing the same bytes again is fine.
        let again = store(&dir, b"a,b\n1,2\n", true);
        assert_eq!(again.sha256, s.sha256);
        assert_eq!(entries(&dir.join("raw")), vec![s.sha256[..2].to_string()]);
        // As any new file, not tempfile's owner-only 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("md").permissions().mode();
            assert_ne!(mode & 0o044, 0, "{mode:o}");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn wrong_length_is_never_stored() {
        let dir = tempdir("short");
        let mut w = RawWriter::create(&dir).expect("writer");
        w.write(b"abc").expect("write");
        assert!(matches!(
            w.finish(Some(10), &expect(&dir, true)),
            Err(FinishError::Length {
                expected: 10,
                received: 3
            })
        ));
        assert!(entries(&dir.join("raw")).is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_body_that_fails_its_checks_is_put_aside_never_in_raw() {
        let dir = tempdir("aside");
        let page = b"<!DOCTYPE html><html><body>Sign in</body></html>";
        let s = store(&dir, page, true);
        let Kept::Aside { path, refusal } = &s.kept else {
            panic!("{:?}", s.kept)
        };
        assert_eq!(*refusal, Refusal::HtmlPage);
        assert_eq!(
            *path,
            rejected_dir(&dir, "c", "kent").join(format!("{}.html", s.sha256))
        );
        assert_eq!(fs::read(path).expect("kept"), page);
        assert!(!raw_path(&dir, &s.sha256).exists());
        assert!(entries(&dir.join("raw")).is_empty());
        // Nothing expected of it: cached.
        assert!(matches!(store(&dir, page, false).kept, Kept::Raw));
        // Only the newest few are kept.
        for i in 0..KEEP_REJECTED + 3 {
            let body = format!("<html><body>error {i}</body></html>");
            let s = store(&dir, body.as_bytes(), true);
            assert!(matches!(s.kept, Kept::Aside { .. }));
        }
        assert_eq!(
            entries(&rejected_dir(&dir, "c", "kent")).len(),
            KEEP_REJECTED
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_copy_is_refused_moved_aside_and_replaced_by_the_same_bytes() {
        let dir = tempdir("corrupt");
        let s = store(&dir, b"hello", false);
        let raw = raw_path(&dir, &s.sha256);
        fs::write(&raw, b"HELLO").expect("overwrite");
        let e = read_raw(&dir, &s.sha256).expect_err("corrupt");
        let IngestError::Corrupt { moved_to, .. } = &e else {
            panic!("{e}")
        };
        assert_eq!(moved_to.as_deref(), Some(&*damaged_path(&dir, &s.sha256)));
        assert!(e.to_string().contains("damaged"), "{e}");
        assert!(!raw.exists());
        assert_eq!(
            fs::read(damaged_path(&dir, &s.sha256)).expect("moved"),
            b"HELLO"
        );
        assert!(!check_raw(&dir, &s.sha256).expect("gone"));
        // Damaged in place again: the same bytes stored anew replace it.
        store(&dir, b"hello", false);
        fs::write(&raw, b"HELLO").expect("overwrite");
        assert!(matches!(
            check_raw(&dir, &s.sha256),
            Err(IngestError::Corrupt { .. })
        ));
        fs::write(&raw, b"HELLO").expect("damaged again");
        store(&dir, b"hello", false);
        assert_eq!(read_raw(&dir, &s.sha256).expect("repaired"), b"hello");
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
        let mine = temp_in(&raw, "").expect("temp");
        let name = mine
            .path()
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(temp_owner(&name), Some(std::process::id()), "{name}");
        // Pids are below 2^22 on Linux: this one cannot be running.
        let dead = raw.join(".tmp-4294967295-a1B2c3");
        let manifest = raw.join(".kent.json.tmp-4294967295-Zz09yx");
        let before = raw.join(".tmp-4294967295-0-123");
        fs::write(&dead, b"half").expect("write");
        fs::write(&manifest, b"{").expect("write");
        fs::write(&before, b"half").expect("write");
        fs::write(raw.join("notes.tmp-x"), b"keep").expect("write");
        fs::write(raw.join(".tmp-12-not-numbers"), b"keep").expect("write");
        let expected = if cfg!(target_os = "linux") { 3 } else { 0 };
        assert_eq!(sweep_temps(&raw), expected);
        assert!(mine.path().exists());
        assert_eq!(dead.exists(), expected == 0);
        assert!(raw.join("notes.tmp-x").exists());
        assert!(raw.join(".tmp-12-not-numbers").exists());
        assert_eq!(sweep_temps(&dir.join("missing")), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_file_owners() {
        assert_eq!(temp_owner(".tmp-123-aB3xY9"), Some(123));
        assert_eq!(temp_owner(".kent-2019.json.tmp-9-000000"), Some(9));
        assert_eq!(temp_owner(".tmp-123-4-567"), Some(123));
        assert_eq!(temp_owner(".kent-2019.json.tmp-9-0-1"), Some(9));
        assert_eq!(temp_owner("kent.json"), None);
        assert_eq!(temp_owner(".tmp-abc-1-2"), None);
        assert_eq!(temp_owner(".tmp-1-2"), None);
        assert_eq!(temp_owner(".tmp-1-abcdefg"), None);
        assert_eq!(temp_owner(".tmp-1-ab.def"), None);
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
