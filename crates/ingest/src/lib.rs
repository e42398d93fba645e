//! foi-ingest: turns a campaign's sources (local paths or http(s) URLs) into
//! a content-addressed raw cache with provenance.
//!
//! # API
//!
//! - [`fetch_all`]`(&[SourceSpec], &FetchOptions) -> Vec<FetchOutcome>`:
//!   fetches every source, in the same order as given; it never fails as a
//!   whole: each [`FetchOutcome`] carries its own manifest, error and warnings.
//!   [`fetch_all_with`] does the same and calls back as each source finishes.
//! - [`read_manifest`], [`raw_path`], [`read_raw`]: read what a fetch left
//!   (`read_raw` checks the hash on every read).
//! - [`SourceSpec::from_response`] makes a spec from a configured response.
//!
//! # Cache layout
//!
//! - `<cache>/raw/<first two hex digits>/<sha256>`: each distinct content
//!   once. Bytes are streamed to a temporary file in `<cache>/raw/`, and
//!   renamed to their final name only after the length and hash have been
//!   checked, so no partial file is ever visible under a final name.
//! - `<cache>/sources/<campaign>/<key>.json`: one [`Manifest`] per source
//!   (written to a temporary file, then renamed).
//!
//! # Behaviour
//!
//! - Local paths are resolved against [`FetchOptions::root`] when relative.
//! - Downloads go through one client (user agent `foi/<version>`, connect and
//!   read timeouts, at most `max_redirects` redirects and never to another
//!   scheme), bounded overall by `concurrency` and per host by `per_host`.
//!   A previous copy's ETag / Last-Modified make the request conditional; a
//!   304 reuses the cached copy. Timeouts, connection failures, truncated
//!   bodies, 429 and 5xx are retried with exponential backoff and jitter, or
//!   after the `Retry-After` of a 429 or 503 (seconds or an HTTP date);
//!   other 4xx are not. Bodies above `max_bytes` are stopped while
//!   streaming, and a body shorter than its Content-Length never enters the
//!   cache. `max_bytes` applies to downloads only, not to local files.
//! - When a source fails and an earlier copy is in the cache, that copy is
//!   kept: the manifest is marked `stale` with the error, and the outcome
//!   carries both the manifest and the error.
//! - The format is sniffed from the bytes ([`foi_model::sniff`]); when a
//!   spreadsheet is expected and something else arrived (an HTML page, a
//!   PDF, an empty body…), the outcome carries a warning. The bytes are
//!   cached anyway.
//! - Temporary files left in the cache by a run that was killed mid-write
//!   are removed at the start of the next run (those of a process that is
//!   gone, or older than a day).
//!
//! Each source is fetched inside a `tracing` span `fetch` with `force` and
//! `key`. [`fetch_all_with`] also reports each outcome as it finishes, for a
//! progress display.

mod cache;
mod error;
mod http;
mod time;

pub use cache::{raw_path, read_manifest, read_raw};
pub use error::IngestError;

use cache::{check_name, has_copy, write_manifest, Durability, FinishError, RawWriter, Stored};
use error::who;
use foi_model::config::{Response, Source};
use foi_model::{ForceId, Format};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::Semaphore;
use tracing::Instrument;

/// How to fetch: where the cache is, and the limits of the downloads.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The cache directory, e.g. `<root>/cache`.
    pub cache_dir: PathBuf,
    /// Relative local paths are resolved against this.
    pub root: PathBuf,
    /// Manifests go in `<cache_dir>/sources/<campaign>/<key>.json`.
    pub campaign: String,
    /// Overall bound on simultaneous fetches (default 8).
    pub concurrency: usize,
    /// Bound on simultaneous downloads from one host (default 2).
    pub per_host: usize,
    /// Time allowed to connect (default 10 s).
    pub connect_timeout: Duration,
    /// A download with no bytes for this long has timed out (default 30 s).
    pub read_timeout: Duration,
    /// Size cap on a download, enforced while streaming (default 50 MB).
    pub max_bytes: u64,
    /// Retries after the first attempt (default 3).
    pub retries: u32,
    /// Delay before the first retry; doubled for each further retry, with
    /// jitter, and never above 60 s (default 1 s).
    pub backoff: Duration,
    /// Redirects followed at most (default 5); never to another scheme.
    pub max_redirects: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            cache_dir: PathBuf::from("cache"),
            root: PathBuf::from("."),
            campaign: String::new(),
            concurrency: 8,
            per_host: 2,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_bytes: 50_000_000,
            retries: 3,
            backoff: Duration::from_secs(1),
            max_redirects: 5,
        }
    }
}

/// One source to fetch.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// The response's stable key (its file stem, e.g. "kent"): names the manifest.
    pub key: String,
    pub force: ForceId,
    pub source: Source,
    /// Whether figures are to be read from the file as a spreadsheet; when
    /// they are and the bytes are something else, the outcome warns.
    pub expect_spreadsheet: bool,
}

impl SourceSpec {
    /// The spec for a configured response, or `None` when it has no source.
    /// A spreadsheet is expected when the response describes tables.
    pub fn from_response(r: &Response) -> Option<SourceSpec> {
        Some(SourceSpec {
            key: r.key.clone(),
            // A national table answers for many forces: it is named by its key.
            force: r.force.clone().unwrap_or_else(|| ForceId(r.key.clone())),
            source: r.source.clone()?,
            expect_spreadsheet: !r.tables.is_empty(),
        })
    }
}

/// What happened to one source.
///
/// - success: `manifest` is `Some` (not stale), `error` is `None`;
/// - failure with an earlier copy in the cache: `manifest` is `Some` and
///   marked `stale`, `error` is `Some`;
/// - failure with nothing to fall back on: `manifest` is `None`, `error` is `Some`.
#[derive(Debug, Clone)]
pub struct FetchOutcome {
    pub key: String,
    pub manifest: Option<Manifest>,
    pub error: Option<IngestError>,
    /// Things worth a person's attention that did not stop the fetch, each
    /// naming the force and the source.
    pub warnings: Vec<String>,
}

/// Provenance of a cached source, stored as
/// `<cache>/sources/<campaign>/<key>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub key: String,
    pub force: ForceId,
    /// The path or URL as configured.
    pub source: String,
    /// The URL after redirects (downloads only).
    pub final_url: Option<String>,
    /// 200, or 304 when the cached copy was confirmed current.
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub size: u64,
    /// The copy's content address: see [`raw_path`].
    pub sha256: String,
    /// As the server stated it.
    pub content_type: Option<String>,
    /// As sniffed from the bytes.
    pub format: Format,
    /// RFC 3339 UTC: when the copy was last fetched or confirmed current.
    pub fetched_at: String,
    /// Attempts made by the last fetch.
    pub attempts: u32,
    /// The last fetch failed and this is the last good copy.
    pub stale: bool,
    /// Why the last fetch failed, when `stale`.
    pub error: Option<String>,
    /// A local file's modification time (nanoseconds since 1970): with its
    /// size, how an unchanged file is known without reading it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ns: Option<u128>,
}

/// A local source's path: absolute, or relative to the root.
fn local_path(opts: &FetchOptions, p: &str) -> PathBuf {
    if Path::new(p).is_absolute() {
        PathBuf::from(p)
    } else {
        opts.root.join(p)
    }
}

/// A local file's modification time, nanoseconds since 1970.
fn modified_ns(path: &Path) -> Option<u128> {
    let md = std::fs::metadata(path).ok()?;
    let t = md.modified().ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

/// Fetches every source into the cache. The outcomes are in the order of
/// `specs`; a failing source never stops the others.
pub async fn fetch_all(specs: &[SourceSpec], opts: &FetchOptions) -> Vec<FetchOutcome> {
    fetch_all_with(specs, opts, |_| {}).await
}

/// [`fetch_all`], calling `on_done` with each source's outcome as soon as
/// that source is finished (in the order they finish), e.g. to drive a
/// progress bar.
pub async fn fetch_all_with<F>(
    specs: &[SourceSpec],
    opts: &FetchOptions,
    on_done: F,
) -> Vec<FetchOutcome>
where
    F: Fn(&FetchOutcome) + Sync,
{
    sweep_abandoned(opts);
    let mut hosts: HashMap<String, Semaphore> = HashMap::new();
    let mut any_url = false;
    for spec in specs {
        if let Source::Url(u) = &spec.source {
            any_url = true;
            if let Ok((_, host)) = http::parse_url(u) {
                hosts
                    .entry(host)
                    .or_insert_with(|| Semaphore::new(opts.per_host.max(1)));
            }
        }
    }
    let ctx = Ctx {
        global: Semaphore::new(opts.concurrency.max(1)),
        hosts,
        client: if any_url {
            Some(http::client(opts))
        } else {
            None
        },
    };
    let mut seen = HashSet::new();
    let duplicate: Vec<bool> = specs.iter().map(|s| !seen.insert(&s.key)).collect();
    let (ctx, on_done) = (&ctx, &on_done);
    let fetches = specs.iter().zip(duplicate).map(|(spec, dup)| async move {
        // At error level, so that it is enabled whenever any event inside
        // it is: a "retrying" warning then always says which source.
        let span = tracing::error_span!("fetch", force = %spec.force, key = %spec.key);
        let outcome = fetch_one(spec, opts, ctx, dup).instrument(span).await;
        on_done(&outcome);
        outcome
    });
    futures_util::future::join_all(fetches).await
}

/// Removes the temporary files that a run killed mid-write left in the
/// cache (they never carry a final name, so they are only wasted space).
fn sweep_abandoned(opts: &FetchOptions) {
    let mut dirs = vec![opts.cache_dir.join("raw")];
    if check_name("campaign", &opts.campaign).is_ok() {
        dirs.push(opts.cache_dir.join("sources").join(&opts.campaign));
    }
    let removed: usize = dirs.iter().map(|d| cache::sweep_temps(d)).sum();
    if removed > 0 {
        tracing::info!(
            removed,
            "removed temporary files left in the cache by an interrupted run"
        );
    }
}

struct Ctx {
    global: Semaphore,
    hosts: HashMap<String, Semaphore>,
    client: Option<Result<reqwest::Client, String>>,
}

/// A successful fetch: new bytes, or a confirmation that the copy is current.
enum Fetched {
    Fresh(Stored, Option<http::Meta>),
    NotModified(http::Meta),
}

async fn fetch_one(
    spec: &SourceSpec,
    opts: &FetchOptions,
    ctx: &Ctx,
    duplicate: bool,
) -> FetchOutcome {
    let who = who(&spec.force, &spec.key);
    let src = spec.source.display();
    let mut out = FetchOutcome {
        key: spec.key.clone(),
        manifest: None,
        error: None,
        warnings: Vec::new(),
    };
    let bad_key = |reason: String| IngestError::BadKey {
        force: spec.force.clone(),
        key: spec.key.clone(),
        reason,
    };
    if let Err(reason) =
        check_name("key", &spec.key).and_then(|()| check_name("campaign", &opts.campaign))
    {
        out.error = Some(bad_key(reason));
        return out;
    }
    if duplicate {
        out.error = Some(bad_key(
            "another source in this run has the same key; each needs its own".into(),
        ));
        return out;
    }
    let prev = match read_manifest(&opts.cache_dir, &opts.campaign, &spec.key) {
        Ok(m) => m,
        Err(e) => {
            out.warnings
                .push(format!("{who}: {src}: ignoring the previous manifest: {e}"));
            None
        }
    };
    let prev_copy = prev.as_ref().filter(|m| has_copy(&opts.cache_dir, m));

    // A local file with the size and modification time of the cached copy
    // is not read again: a scheduled run over large files costs a stat each.
    // Taken before the file is read: a file changed while it is copied then
    // looks changed next time too, and is read again.
    let local_modified = match &spec.source {
        Source::Path(p) => modified_ns(&local_path(opts, p)),
        Source::Url(_) => None,
    };
    if let (Source::Path(p), Some(prev)) = (&spec.source, prev_copy) {
        let path = local_path(opts, p);
        let same = prev.source == src
            && prev.modified_ns.is_some()
            && local_modified == prev.modified_ns
            && std::fs::metadata(&path).is_ok_and(|md| md.len() == prev.size);
        if same {
            tracing::info!(ok = true, attempts = 0, "unchanged local file");
            let manifest = Manifest {
                fetched_at: time::now_rfc3339(),
                attempts: 1,
                stale: false,
                error: None,
                ..prev.clone()
            };
            let written = write_manifest(
                &opts.cache_dir,
                &opts.campaign,
                &manifest,
                Durability::Confirmation,
            );
            if let Err(e) = written {
                out.error = Some(IngestError::Cache {
                    who,
                    path: cache::manifest_path(&opts.cache_dir, &opts.campaign, &spec.key),
                    reason: format!("cannot write the manifest: {e}"),
                });
                return out;
            }
            out.manifest = Some(manifest);
            return out;
        }
    }
    let (result, attempts) = match &spec.source {
        Source::Path(p) => (fetch_local(spec, p, opts, ctx).await, 1),
        Source::Url(u) => fetch_url(spec, u, opts, ctx, prev_copy).await,
    };
    tracing::info!(ok = result.is_ok(), attempts, "fetched");

    // A 304 only confirms the copy (see `Durability`).
    let durability = match &result {
        Ok(Fetched::NotModified(_)) => Durability::Confirmation,
        _ => Durability::Synced,
    };
    let manifest = match result {
        Ok(Fetched::Fresh(stored, meta)) => Manifest {
            key: spec.key.clone(),
            force: spec.force.clone(),
            source: src.to_string(),
            final_url: meta.as_ref().map(|m| m.final_url.clone()),
            http_status: meta.as_ref().map(|m| m.status),
            etag: meta.as_ref().and_then(|m| m.etag.clone()),
            last_modified: meta.as_ref().and_then(|m| m.last_modified.clone()),
            size: stored.size,
            sha256: stored.sha256,
            content_type: meta.as_ref().and_then(|m| m.content_type.clone()),
            format: stored.format,
            fetched_at: time::now_rfc3339(),
            attempts,
            stale: false,
            error: None,
            modified_ns: local_modified,
        },
        Ok(Fetched::NotModified(meta)) => {
            // Only asked for when there is a copy to fall back on.
            let Some(prev) = prev_copy else {
                out.error = Some(IngestError::Cache {
                    who,
                    path: opts.cache_dir.clone(),
                    reason: "the server answered 304 but there is no cached copy".into(),
                });
                return out;
            };
            Manifest {
                final_url: Some(meta.final_url),
                http_status: Some(meta.status),
                etag: meta.etag.or_else(|| prev.etag.clone()),
                last_modified: meta.last_modified.or_else(|| prev.last_modified.clone()),
                fetched_at: time::now_rfc3339(),
                attempts,
                stale: false,
                error: None,
                ..prev.clone()
            }
        }
        Err(err) => {
            let Some(prev) = prev.as_ref() else {
                out.error = Some(err);
                return out;
            };
            let mut stale = prev.clone();
            stale.stale = true;
            stale.error = Some(err.to_string());
            stale.attempts = attempts;
            if let Err(e) =
                write_manifest(&opts.cache_dir, &opts.campaign, &stale, Durability::Synced)
            {
                out.warnings.push(format!(
                    "{who}: {src}: could not mark the previous manifest stale: {e}"
                ));
            }
            if prev_copy.is_some() {
                // The error itself is in the outcome; warn only of what it
                // does not say.
                if stale.source != src {
                    out.warnings.push(format!(
                        "{who}: {src}: the last good copy came from {}, not from this source",
                        stale.source
                    ));
                }
                push_format_warning(&mut out.warnings, spec, &who, stale.format);
                out.manifest = Some(stale);
            } else {
                out.warnings.push(format!(
                    "{who}: {src}: the last good copy ({}) is missing from the cache, so there is nothing to fall back on",
                    stale.sha256
                ));
            }
            out.error = Some(err);
            return out;
        }
    };
    if let Err(e) = write_manifest(&opts.cache_dir, &opts.campaign, &manifest, durability) {
        out.error = Some(IngestError::Cache {
            who,
            path: cache::manifest_path(&opts.cache_dir, &opts.campaign, &spec.key),
            reason: format!("cannot write the manifest: {e}"),
        });
        return out;
    }
    // Some force systems export a real table as HTML (often named .xls):
    // only an HTML page without a table is likely an error or login page.
    let html_table = manifest.format == Format::Html
        && cache::read_raw(&opts.cache_dir, &manifest.sha256)
            .is_ok_and(|b| b.windows(6).any(|w| w.eq_ignore_ascii_case(b"<table")));
    if !html_table {
        push_format_warning(&mut out.warnings, spec, &who, manifest.format);
    }
    out.manifest = Some(manifest);
    out
}

fn push_format_warning(warnings: &mut Vec<String>, spec: &SourceSpec, who: &str, format: Format) {
    if !spec.expect_spreadsheet || format.is_spreadsheet() {
        return;
    }
    let (remote, src) = match &spec.source {
        Source::Url(u) => (true, u),
        Source::Path(p) => (false, p),
    };
    let what = match format {
        Format::Html if remote => "the server sent an HTML page (an error or login page?)",
        Format::Html => "the file is an HTML page",
        Format::Pdf if remote => "the server sent a PDF",
        Format::Pdf => "the file is a PDF",
        Format::Empty if remote => "the server sent an empty file",
        Format::Empty => "the file is empty",
        Format::Zip if remote => "the server sent a zip archive that is not a workbook",
        Format::Zip => "the file is a zip archive that is not a workbook",
        _ if remote => "the server sent a file of unknown format",
        _ => "the file is of unknown format",
    };
    warnings.push(format!("{who}: {src}: {what}, not a spreadsheet"));
}

async fn fetch_url(
    spec: &SourceSpec,
    url: &str,
    opts: &FetchOptions,
    ctx: &Ctx,
    prev_copy: Option<&Manifest>,
) -> (Result<Fetched, IngestError>, u32) {
    let bad_url = |reason: String| IngestError::BadUrl {
        force: spec.force.clone(),
        key: spec.key.clone(),
        url: url.to_string(),
        reason,
    };
    let host = match http::parse_url(url) {
        Ok((_, host)) => host,
        Err(reason) => return (Err(bad_url(reason)), 0),
    };
    let (Some(host_sem), Some(client)) = (ctx.hosts.get(&host), ctx.client.as_ref()) else {
        return (Err(bad_url("internal: no client for this host".into())), 0);
    };
    let client = match client {
        Ok(c) => c,
        Err(reason) => {
            return (
                Err(IngestError::Network {
                    force: spec.force.clone(),
                    key: spec.key.clone(),
                    url: url.to_string(),
                    reason: reason.clone(),
                    attempts: 0,
                }),
                0,
            )
        }
    };
    // Conditional only for the same source, with validators to send.
    let cond =
        prev_copy.filter(|m| m.source == url && (m.etag.is_some() || m.last_modified.is_some()));
    let target = http::Target {
        force: &spec.force,
        key: &spec.key,
        url,
    };
    let (result, attempts) = http::fetch(client, &target, opts, cond, &ctx.global, host_sem).await;
    let result = result.map(|got| match got {
        http::Got::Fresh(stored, meta) => Fetched::Fresh(stored, Some(meta)),
        http::Got::NotModified(meta) => Fetched::NotModified(meta),
    });
    (result, attempts)
}

async fn fetch_local(
    spec: &SourceSpec,
    p: &str,
    opts: &FetchOptions,
    ctx: &Ctx,
) -> Result<Fetched, IngestError> {
    let path = local_path(opts, p);
    let _permit = ctx.global.acquire().await;
    let cache_dir = opts.cache_dir.clone();
    let file = path.clone();
    let result = tokio::task::spawn_blocking(move || store_file(&file, &cache_dir)).await;
    let read_err = |reason: String| IngestError::Read {
        force: spec.force.clone(),
        key: spec.key.clone(),
        path: path.clone(),
        reason,
    };
    match result {
        Ok(Ok(stored)) => Ok(Fetched::Fresh(stored, None)),
        Ok(Err(LocalError::Read(reason))) => Err(read_err(reason)),
        Ok(Err(LocalError::Store(FinishError::Length { .. }))) => Err(read_err(
            "the file changed while it was being read; try again".into(),
        )),
        Ok(Err(LocalError::Store(e))) => Err(IngestError::Cache {
            who: who(&spec.force, &spec.key),
            path: e.path().map(Path::to_path_buf).unwrap_or_default(),
            reason: e.reason(),
        }),
        Err(e) => Err(read_err(format!("reading was interrupted: {e}"))),
    }
}

enum LocalError {
    Read(String),
    Store(FinishError),
}

/// Copies a local file into the raw cache. Blocking.
fn store_file(path: &Path, cache_dir: &Path) -> Result<Stored, LocalError> {
    let read = |e: std::io::Error| {
        LocalError::Read(match e.kind() {
            std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        })
    };
    let md = std::fs::metadata(path).map_err(read)?;
    if md.is_dir() {
        return Err(LocalError::Read("it is a directory, not a file".into()));
    }
    let mut file = std::fs::File::open(path).map_err(read)?;
    let mut writer = RawWriter::create(cache_dir).map_err(LocalError::Store)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read(e)),
        };
        writer.write(&buf[..n]).map_err(LocalError::Store)?;
    }
    writer.finish(Some(md.len())).map_err(LocalError::Store)
}
