//! Fetching each source: the unchanged-local-file shortcut, downloads and
//! local copies, the checks on what arrived, and falling back on the last
//! good copy.

use crate::cache::{
    self, check_name, has_copy, read_manifest, write_manifest, Durability, Expect, FinishError,
    Kept, RawWriter, Stored,
};
use crate::error::who;
use crate::{http, time, FetchOptions, FetchOutcome, IngestError, Manifest, Rejected, SourceSpec};
use foi_model::config::Source;
use foi_model::{Diagnostic, DiagnosticKind, Severity};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use tokio::sync::Semaphore;
use tracing::Instrument;

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

/// A diagnostic about `spec`: its force, and its source as the file.
fn about(spec: &SourceSpec, severity: Severity, kind: DiagnosticKind, msg: String) -> Diagnostic {
    Diagnostic::new(severity, kind, msg)
        .force(&spec.force)
        .file(spec.source.display())
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
        diagnostics: Vec::new(),
    };
    let bad_key = |reason: String| IngestError::BadKey {
        force: spec.force.clone(),
        key: spec.key.clone(),
        reason,
    };
    if let Err(reason) =
        check_name("key", &spec.key).and_then(|()| check_name("campaign", &opts.campaign))
    {
        return failed(out, spec, bad_key(reason), None);
    }
    if duplicate {
        let reason = format!(
            "another source in this run has the same key \"{}\"; each needs its own",
            spec.key
        );
        return failed(out, spec, bad_key(reason), None);
    }
    let prev = match read_manifest(&opts.cache_dir, &opts.campaign, &spec.key) {
        Ok(m) => m,
        Err(e) => {
            out.diagnostics.push(about(
                spec,
                Severity::Warning,
                DiagnosticKind::Other,
                format!("ignoring the previous manifest: {e}"),
            ));
            None
        }
    };
    // A copy fetched from another path or URL than the one configured now
    // answered another question as far as foi knows: it is never this
    // source's fallback, nor the base of a conditional request.
    let (prev, moved) = match prev {
        Some(m) if m.source != src => (None, true),
        other => (other, false),
    };
    let mut prev_copy = prev.as_ref().filter(|m| has_copy(&opts.cache_dir, m));

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
        let same = prev.modified_ns.is_some()
            && local_modified == prev.modified_ns
            && std::fs::metadata(&path).is_ok_and(|md| md.len() == prev.size);
        if same {
            tracing::info!(ok = true, attempts = 0, "unchanged local file");
            let manifest = Manifest {
                fetched_at: time::now_rfc3339(),
                attempts: 1,
                stale: false,
                error: None,
                rejected: None,
                ..prev.clone()
            };
            return done(out, spec, opts, manifest, Durability::Confirmation);
        }
    }
    // A download is made conditional on the cached copy only once that
    // copy is known good: a damaged copy must not be confirmed by a 304.
    // (The cost, one hash of each cached download per run, is small beside
    // the request; local files are compared by size and time alone.)
    if let (Source::Url(_), Some(prev)) = (&spec.source, prev_copy) {
        let (cache_dir, sha) = (opts.cache_dir.clone(), prev.sha256.clone());
        // As many at once as fetches: each reads a whole copy.
        let permit = ctx.global.acquire().await;
        let checked = tokio::task::spawn_blocking(move || cache::check_raw(&cache_dir, &sha)).await;
        drop(permit);
        match checked {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => prev_copy = None,
            Ok(Err(IngestError::Corrupt {
                expected,
                actual,
                moved_to,
                ..
            })) => {
                out.diagnostics.push(about(
                    spec,
                    Severity::Warning,
                    DiagnosticKind::DamagedCopy,
                    format!(
                        "{}; fetching it again",
                        cache::damage_note(&expected, &actual, moved_to.as_deref())
                    ),
                ));
                prev_copy = None;
            }
            Ok(Err(e)) => {
                out.diagnostics.push(about(
                    spec,
                    Severity::Warning,
                    e.kind(),
                    format!("{}; fetching it again", e.detail()),
                ));
                prev_copy = None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not check the cached copy");
                prev_copy = None;
            }
        }
    }
    let expect = Expect {
        spreadsheet: spec.expect_spreadsheet,
        rejected_dir: cache::rejected_dir(&opts.cache_dir, &opts.campaign, &spec.key),
    };
    let (result, attempts) = match &spec.source {
        Source::Path(p) => (fetch_local(spec, p, opts, ctx, &expect).await, 1),
        Source::Url(u) => fetch_url(spec, u, opts, ctx, prev_copy, &expect).await,
    };
    tracing::info!(
        ok = matches!(
            result,
            Ok(Fetched::NotModified(_))
                | Ok(Fetched::Fresh(
                    Stored {
                        kept: Kept::Raw,
                        ..
                    },
                    _
                ))
        ),
        attempts,
        "fetched"
    );

    let fresh = |stored: Stored, meta: Option<http::Meta>| Manifest {
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
        rejected: None,
    };
    match result {
        Ok(Fetched::Fresh(
            Stored {
                kept: Kept::Aside { path, refusal },
                sha256,
                size,
                format,
            },
            meta,
        )) => {
            let remote = matches!(spec.source, Source::Url(_));
            let what = refusal.describe(remote);
            let rejected = Rejected {
                path: path.clone(),
                sha256,
                size,
                format,
                reason: what.clone(),
                http_status: meta.as_ref().map(|m| m.status),
                content_type: meta.as_ref().and_then(|m| m.content_type.clone()),
                at: time::now_rfc3339(),
            };
            let err = IngestError::Rejected {
                force: spec.force.clone(),
                key: spec.key.clone(),
                origin: src.to_string(),
                what,
                kept: path
                    .strip_prefix(&opts.cache_dir)
                    .unwrap_or(&path)
                    .to_path_buf(),
            };
            let prior = Prior {
                manifest: prev.as_ref(),
                copy: prev_copy,
                moved,
            };
            let hint = refusal.hint(remote);
            fall_back(
                out,
                spec,
                opts,
                prior,
                err,
                attempts,
                Some((rejected, hint)),
            )
        }
        Ok(Fetched::Fresh(stored, meta)) => {
            done(out, spec, opts, fresh(stored, meta), Durability::Synced)
        }
        Ok(Fetched::NotModified(meta)) => {
            // Only asked for when there is a copy to fall back on.
            let Some(prev) = prev_copy else {
                let err = IngestError::Cache {
                    who,
                    path: opts.cache_dir.clone(),
                    reason: "the server answered 304 but there is no cached copy".into(),
                };
                return failed(out, spec, err, None);
            };
            let manifest = Manifest {
                final_url: Some(meta.final_url),
                http_status: Some(meta.status),
                etag: meta.etag.or_else(|| prev.etag.clone()),
                last_modified: meta.last_modified.or_else(|| prev.last_modified.clone()),
                fetched_at: time::now_rfc3339(),
                attempts,
                stale: false,
                error: None,
                rejected: None,
                ..prev.clone()
            };
            // A 304 only confirms the copy (see `Durability`).
            done(out, spec, opts, manifest, Durability::Confirmation)
        }
        Err(err) => {
            let prior = Prior {
                manifest: prev.as_ref(),
                copy: prev_copy,
                moved,
            };
            fall_back(out, spec, opts, prior, err, attempts, None)
        }
    }
}

/// Writes the manifest of a good copy into the outcome.
fn done(
    mut out: FetchOutcome,
    spec: &SourceSpec,
    opts: &FetchOptions,
    manifest: Manifest,
    durability: Durability,
) -> FetchOutcome {
    if let Err(e) = write_manifest(&opts.cache_dir, &opts.campaign, &manifest, durability) {
        let err = IngestError::Cache {
            who: who(&spec.force, &spec.key),
            path: cache::manifest_path(&opts.cache_dir, &opts.campaign, &spec.key),
            reason: format!("cannot write the manifest: {e}"),
        };
        return failed(out, spec, err, None);
    }
    out.manifest = Some(manifest);
    out
}

/// The outcome of a source that failed with nothing usable: the error, as
/// an error diagnostic (with a hint when there is one).
fn failed(
    mut out: FetchOutcome,
    spec: &SourceSpec,
    err: IngestError,
    hint: Option<String>,
) -> FetchOutcome {
    let mut d = about(spec, Severity::Error, err.kind(), err.detail());
    d.hint = hint;
    out.diagnostics.push(d);
    out.error = Some(err);
    out
}

/// What an earlier fetch of a source left.
struct Prior<'a> {
    /// Its manifest, when it was fetched from the source configured now.
    manifest: Option<&'a Manifest>,
    /// The same, when its copy is in the cache (and, for a download, intact).
    copy: Option<&'a Manifest>,
    /// The source was fetched before from another path or URL than the one
    /// configured now.
    moved: bool,
}

/// A source failed: its last good copy, when there is one, is kept and
/// marked stale (with why, and the refused body when that is why).
fn fall_back(
    mut out: FetchOutcome,
    spec: &SourceSpec,
    opts: &FetchOptions,
    prev: Prior<'_>,
    err: IngestError,
    attempts: u32,
    rejected: Option<(Rejected, &str)>,
) -> FetchOutcome {
    let (rejected, hint) = match rejected {
        Some((r, hint)) => (Some(r), Some(hint.to_string())),
        None => (None, None),
    };
    let Some(manifest) = prev.manifest else {
        if prev.moved {
            // Its manifest must not lead the build to that copy.
            let path = cache::manifest_path(&opts.cache_dir, &opts.campaign, &spec.key);
            let _ = std::fs::remove_file(path);
        }
        return failed(out, spec, err, hint);
    };
    let mut stale = manifest.clone();
    stale.stale = true;
    stale.error = Some(err.to_string());
    stale.attempts = attempts;
    stale.rejected = rejected;
    if let Err(e) = write_manifest(&opts.cache_dir, &opts.campaign, &stale, Durability::Synced) {
        out.diagnostics.push(about(
            spec,
            Severity::Warning,
            DiagnosticKind::Other,
            format!("could not mark the previous manifest stale: {e}"),
        ));
    }
    if prev.copy.is_none() {
        let missing = format!(
            "the last good copy ({}) is not in the cache, so there is nothing to fall back on",
            stale.sha256
        );
        let hint = match hint {
            Some(h) => format!("{h}; {missing}"),
            None => missing,
        };
        return failed(out, spec, err, Some(hint));
    }
    let msg = format!(
        "{}; using the last good copy, fetched {}",
        err.detail(),
        stale.fetched_at
    );
    out.diagnostics.push(about(
        spec,
        Severity::Warning,
        DiagnosticKind::StaleSource,
        msg,
    ));
    out.manifest = Some(stale);
    out.error = Some(err);
    out
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

async fn fetch_url(
    spec: &SourceSpec,
    url: &str,
    opts: &FetchOptions,
    ctx: &Ctx,
    prev_copy: Option<&Manifest>,
    expect: &Expect,
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
    // Conditional only with validators to send (the copy is this source's).
    let cond = prev_copy.filter(|m| m.etag.is_some() || m.last_modified.is_some());
    let target = http::Target {
        force: &spec.force,
        key: &spec.key,
        url,
    };
    let (result, attempts) =
        http::fetch(client, &target, opts, cond, expect, &ctx.global, host_sem).await;
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
    expect: &Expect,
) -> Result<Fetched, IngestError> {
    let path = local_path(opts, p);
    let _permit = ctx.global.acquire().await;
    let cache_dir = opts.cache_dir.clone();
    let file = path.clone();
    let expect = expect.clone();
    let result = tokio::task::spawn_blocking(move || store_file(&file, &cache_dir, &expect)).await;
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

/// Copies a local file into the raw cache (or, when it fails its checks,
/// aside). Blocking.
fn store_file(path: &Path, cache_dir: &Path, expect: &Expect) -> Result<Stored, LocalError> {
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
    writer
        .finish(Some(md.len()), expect)
        .map_err(LocalError::Store)
}
