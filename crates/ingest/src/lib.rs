//! foi-ingest: turns a campaign's sources (local paths or http(s) URLs) into
//! a content-addressed raw cache with provenance.
//!
//! # API
//!
//! - [`fetch_all`]`(&[SourceSpec], &FetchOptions) -> Vec<FetchOutcome>`:
//!   fetches every source, in the same order as given; it never fails as a
//!   whole: each [`FetchOutcome`] carries its own manifest, error and
//!   diagnostics. [`fetch_all_with`] does the same and calls back as each
//!   source finishes.
//! - [`verify`]: hashes every copy in the raw cache and moves the damaged
//!   ones aside, so that the fetch that follows fetches their sources again
//!   (`foi fetch --verify`).
//! - [`read_manifest`], [`raw_path`], [`read_raw`]: read what a fetch left
//!   (`read_raw` checks the hash on every read, and moves a damaged copy
//!   aside).
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
//! - `<cache>/rejected/<campaign>/<key>/<sha256>.<ext>`: bodies that failed
//!   their checks (see below), kept for inspection; the newest five of each
//!   source.
//! - `<cache>/damaged/<sha256>`: cached copies whose bytes no longer hash to
//!   their name, moved out of `raw/`.
//!
//! # Behaviour
//!
//! - Local paths are resolved against [`FetchOptions::root`] when relative.
//!   A local file with the size and modification time its manifest records
//!   is not read again (a scheduled run over large files costs a stat each).
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
//! - **What arrives is checked before it may replace a copy.** The format
//!   is sniffed from the bytes ([`foi_model::sniff`]). An empty body is never
//!   a reply; where the response reads figures from a spreadsheet
//!   ([`SourceSpec::expect_spreadsheet`]), the bytes must be a spreadsheet
//!   (xlsx, ods, xls, csv) or an HTML page with a `<table>` (some force
//!   systems export tables so); an HTML page without one (an error or login
//!   page), a PDF, a zip that is no workbook or unknown bytes are refused,
//!   whatever the HTTP status. A refused body goes to
//!   `<cache>/rejected/…`, never into `raw/`, and the source has failed
//!   ([`IngestError::Rejected`], naming where the body is): as for any
//!   failure, the last good copy is kept and marked stale, and the manifest
//!   records the rejected body in [`Manifest::rejected`]. The same holds for
//!   a local file (an HTML page saved where the spreadsheet was expected): it
//!   is copied aside too, since it may be overwritten before anyone looks.
//! - When a source fails and an earlier copy is in the cache, that copy is
//!   kept: the manifest is marked `stale` with the error, and the outcome
//!   carries both the manifest and the error. Only a copy fetched from the
//!   path or URL configured now counts: after the config names another, the
//!   old copy is never used (its manifest is removed when the new source
//!   fails), nor made the base of a conditional request. With nothing to fall back on
//!   the outcome carries the error alone; no manifest is written for a
//!   source never fetched (an earlier manifest whose copy is gone is marked
//!   stale all the same).
//! - **The cache verifies what it serves.** [`read_raw`] checks the sha256
//!   on every read. Before a download is made conditional on a cached copy,
//!   that copy is hashed: a copy known to be bad never earns a 304. A
//!   damaged copy (found by either, or by [`verify`]) is moved to
//!   `<cache>/damaged/`, and its source fetched again unconditionally; a
//!   new copy whose sha256 names a damaged file replaces it. Local sources
//!   are not hashed on each run (only their size and modification time are
//!   compared): [`read_raw`] and [`verify`] catch their damage.
//! - Temporary files left in the cache by a run that was killed mid-write
//!   are removed at the start of the next run (those of a process that is
//!   gone, or older than a day): their names carry the writer's process id.
//!
//! Each source is fetched inside a `tracing` span `fetch` with `force` and
//! `key`. [`fetch_all_with`] also reports each outcome as it finishes, for a
//! progress display.
//!
//! # Manifest fields
//!
//! See [`Manifest`]. What the build reads: `sha256` (the copy to read),
//! `stale` and `error` (the last fetch failed and this is the last good
//! copy, and why), and `rejected` (the last fetch's body was refused, and
//! where it is kept). `http_status` is 304 when the copy was confirmed
//! current, and `None` for a local file.

mod accept;
mod cache;
mod error;
mod fetch;
mod http;
mod time;
mod verify;

pub use cache::{raw_path, read_manifest, read_raw};
pub use error::IngestError;
pub use fetch::{fetch_all, fetch_all_with};
pub use verify::{verify, Verification};

use foi_model::config::{Response, Source};
use foi_model::{Diagnostic, ForceId, Format};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

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
    /// jitter (each wait is between half and all of that), and never above
    /// 60 s (default 1 s).
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
    /// they are, bytes that are something else are refused (see the crate
    /// docs).
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
            expect_spreadsheet: r.reads_tables(),
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
    /// Everything about this source worth a person's attention, each with
    /// its kind, the force, and the source (URL or path) as its file:
    /// - the error, as an error, when nothing usable is left (kind
    ///   `fetch_failed`, `wrong_format` for a rejected body, …);
    /// - or, when the last good copy is kept, a `stale_source` warning
    ///   saying why;
    /// - and warnings that did not stop the fetch: a damaged cached copy
    ///   fetched again (`damaged_copy`), an unreadable previous manifest…
    pub diagnostics: Vec<Diagnostic>,
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
    /// 200, or 304 when the cached copy was confirmed current; `None` for a
    /// local file.
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
    /// When the last fetch failed because what arrived was refused (the
    /// manifest is then `stale`, or there is no copy): what it was and
    /// where it is kept. `None` after a fetch that succeeded or failed
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Rejected>,
}

/// A body refused by the last fetch (see the crate docs), kept aside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// Where it is kept: `<cache>/rejected/<campaign>/<key>/<sha256>.<ext>`.
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// As sniffed from the bytes.
    pub format: Format,
    /// Why it was refused, for a person ("the server sent an HTML page (an
    /// error or login page?), not a spreadsheet").
    pub reason: String,
    /// The status it came with (200…; `None` for a local file).
    pub http_status: Option<u16>,
    /// As the server stated it.
    pub content_type: Option<String>,
    /// RFC 3339 UTC: when it arrived.
    pub at: String,
}
