//! Downloads: the one HTTP client, conditional GET, retries, and streaming
//! into the raw cache with a size cap and a length check.

use crate::cache::{Expect, FinishError, RawWriter, Stored};
use crate::error::who;
use crate::time::{self, backoff, retry_after, MAX_DELAY};
use crate::{FetchOptions, IngestError, Manifest};
use backon::Retryable;
use foi_model::ForceId;
use futures_util::StreamExt;
use reqwest::header::{
    HeaderMap, HeaderName, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::{redirect, Client, StatusCode, Url};
use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;

/// `foi/<version> (+<repository>)`.
pub(crate) const USER_AGENT: &str = concat!(
    "foi/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// Builds the HTTP client every download goes through: user agent,
/// timeouts, rustls, and a redirect policy that follows at most
/// `max_redirects` hops and never changes scheme.
pub(crate) fn client(opts: &FetchOptions) -> Result<Client, String> {
    let max = opts.max_redirects;
    let policy = redirect::Policy::custom(move |attempt| {
        let from = attempt.previous().last().map(|u| u.scheme().to_string());
        let to = attempt.url().scheme().to_string();
        let refusal = match from {
            Some(from) if from != to => Some(format!(
                "the server redirected from {from} to {} and foi never follows a redirect to another scheme",
                attempt.url()
            )),
            _ if attempt.previous().len() > max => Some(format!(
                "more than {max} redirects (last to {})",
                attempt.url()
            )),
            _ => None,
        };
        match refusal {
            Some(reason) => attempt.error(RedirectRefused(reason)),
            None => attempt.follow(),
        }
    });
    Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.read_timeout)
        .redirect(policy)
        .use_rustls_tls()
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))
}

/// The reason a redirect was refused, carried through reqwest's error.
#[derive(Debug)]
struct RedirectRefused(String);

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for RedirectRefused {}

/// Parses a source URL and returns it with the key of its host for the
/// per-host bound ("host:port").
pub(crate) fn parse_url(url: &str) -> Result<(Url, String), String> {
    let parsed = Url::parse(url).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme is \"{}\", not http or https",
            parsed.scheme()
        ));
    }
    let host = parsed.host_str().ok_or("it has no host")?;
    let port = parsed.port_or_known_default().unwrap_or(0);
    let key = format!("{host}:{port}");
    Ok((parsed, key))
}

/// What the server said about the copy, besides its bytes.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub status: u16,
    pub final_url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
}

#[derive(Debug)]
pub(crate) enum Got {
    /// New bytes, stored in the raw cache.
    Fresh(Stored, Meta),
    /// 304: the cached copy is still current.
    NotModified(Meta),
}

/// One source to download, for messages.
pub(crate) struct Target<'a> {
    pub force: &'a ForceId,
    pub key: &'a str,
    pub url: &'a str,
}

enum Retry {
    No,
    Backoff,
    After(Duration),
}

struct Fail {
    err: IngestError,
    retry: Retry,
}

/// Downloads with retries. `cond` is the previous manifest when its copy is
/// in the cache (and known good): its validators make the request
/// conditional. What arrives is stored as `expect` says. Returns the result
/// and the number of attempts made.
pub(crate) async fn fetch(
    client: &Client,
    t: &Target<'_>,
    opts: &FetchOptions,
    cond: Option<&Manifest>,
    expect: &Expect,
    global: &Semaphore,
    host: &Semaphore,
) -> (Result<Got, IngestError>, u32) {
    let attempts = AtomicU32::new(0);
    let result = (|| async {
        attempts.fetch_add(1, Ordering::Relaxed);
        // Per host first, so that a busy host does not hold global slots;
        // both are let go before waiting to retry.
        let _host = host.acquire().await;
        let _global = global.acquire().await;
        attempt(client, t, opts, cond, expect).await
    })
    .retry(backoff(opts.backoff, opts.retries))
    .when(|fail: &Fail| !matches!(fail.retry, Retry::No))
    // A Retry-After replaces the backoff's wait, within the same bounds;
    // with no retries left there is no wait to replace.
    .adjust(|fail: &Fail, next| {
        next.map(|d| match fail.retry {
            Retry::After(after) => after.min(MAX_DELAY),
            _ => d,
        })
    })
    .notify(|fail: &Fail, delay| {
        tracing::warn!(
            attempt = attempts.load(Ordering::Relaxed),
            delay_ms = delay.as_millis() as u64,
            error = %fail.err,
            "retrying"
        );
    })
    .await;
    let n = attempts.load(Ordering::Relaxed);
    (result.map_err(|fail| fail.err.with_attempts(n)), n)
}

async fn attempt(
    client: &Client,
    t: &Target<'_>,
    opts: &FetchOptions,
    cond: Option<&Manifest>,
    expect: &Expect,
) -> Result<Got, Fail> {
    let mut req = client.get(t.url);
    if let Some(prev) = cond {
        if let Some(etag) = &prev.etag {
            req = req.header(IF_NONE_MATCH, etag.as_str());
        }
        if let Some(lm) = &prev.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm.as_str());
        }
    }
    let resp = req.send().await.map_err(|e| send_error(t, opts, &e))?;
    let status = resp.status();
    let headers = resp.headers();
    let meta = Meta {
        status: status.as_u16(),
        final_url: resp.url().to_string(),
        etag: header(headers, ETAG),
        last_modified: header(headers, LAST_MODIFIED),
        content_type: header(headers, CONTENT_TYPE),
    };
    tracing::debug!(status = status.as_u16(), final_url = %meta.final_url, "response");
    if status == StatusCode::NOT_MODIFIED && cond.is_some() {
        return Ok(Got::NotModified(meta));
    }
    if !status.is_success() {
        let retry = if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::SERVICE_UNAVAILABLE
        {
            header(headers, RETRY_AFTER)
                .and_then(|v| retry_after(&v, SystemTime::now()))
                .map_or(Retry::Backoff, Retry::After)
        } else if status.is_server_error() {
            Retry::Backoff
        } else {
            Retry::No
        };
        let err = IngestError::Http {
            force: t.force.clone(),
            key: t.key.to_string(),
            url: t.url.to_string(),
            status: format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string(),
            attempts: 1,
        };
        return Err(Fail { err, retry });
    }
    let expected = header(headers, CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
    let too_large = || Fail {
        err: IngestError::TooLarge {
            force: t.force.clone(),
            key: t.key.to_string(),
            url: t.url.to_string(),
            limit: opts.max_bytes,
        },
        retry: Retry::No,
    };
    if expected.is_some_and(|n| n > opts.max_bytes) {
        return Err(too_large());
    }
    let mut writer = RawWriter::create(&opts.cache_dir).map_err(|e| finish_error(t, e))?;
    let mut body = resp.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| body_error(t, opts, &e, expected, writer.len()))?;
        if writer.len() + chunk.len() as u64 > opts.max_bytes {
            return Err(too_large());
        }
        writer.write(&chunk).map_err(|e| finish_error(t, e))?;
    }
    let expect = expect.clone();
    let stored = tokio::task::spawn_blocking(move || writer.finish(expected, &expect))
        .await
        .map_err(|e| Fail {
            err: IngestError::Cache {
                who: who(t.force, t.key),
                path: opts.cache_dir.join("raw"),
                reason: format!("storing the download failed: {e}"),
            },
            retry: Retry::No,
        })?
        .map_err(|e| finish_error(t, e))?;
    Ok(Got::Fresh(stored, meta))
}

fn header(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn network(t: &Target<'_>, reason: String) -> Fail {
    Fail {
        err: IngestError::Network {
            force: t.force.clone(),
            key: t.key.to_string(),
            url: t.url.to_string(),
            reason,
            attempts: 1,
        },
        retry: Retry::Backoff,
    }
}

fn send_error(t: &Target<'_>, opts: &FetchOptions, e: &reqwest::Error) -> Fail {
    let refused = std::iter::successors(e.source(), |&s| s.source())
        .find_map(|s| s.downcast_ref::<RedirectRefused>());
    if e.is_redirect() || refused.is_some() {
        let reason = refused
            .map(|r| r.0.clone())
            .unwrap_or_else(|| format!("the redirect failed: {}", chain(e)));
        return Fail {
            err: IngestError::Redirect {
                force: t.force.clone(),
                key: t.key.to_string(),
                url: t.url.to_string(),
                reason,
            },
            retry: Retry::No,
        };
    }
    if e.is_builder() {
        return Fail {
            err: IngestError::BadUrl {
                force: t.force.clone(),
                key: t.key.to_string(),
                url: t.url.to_string(),
                reason: chain(e),
            },
            retry: Retry::No,
        };
    }
    let reason = if e.is_timeout() && e.is_connect() {
        format!(
            "could not connect within {} (connect timeout)",
            time::shown(opts.connect_timeout)
        )
    } else if e.is_timeout() {
        format!(
            "the server sent nothing for {} (read timeout)",
            time::shown(opts.read_timeout)
        )
    } else if e.is_connect() {
        format!("could not connect: {}", root_cause(e))
    } else {
        format!("the request failed: {}", chain(e))
    };
    network(t, reason)
}

fn body_error(
    t: &Target<'_>,
    opts: &FetchOptions,
    e: &reqwest::Error,
    expected: Option<u64>,
    received: u64,
) -> Fail {
    if e.is_timeout() {
        return network(
            t,
            format!(
                "the download stalled: nothing for {} after {received} bytes (read timeout)",
                time::shown(opts.read_timeout)
            ),
        );
    }
    match expected {
        Some(expected) => truncated(t, expected, received),
        None => network(
            t,
            format!("the connection broke after {received} bytes: {}", chain(e)),
        ),
    }
}

/// Fewer bytes than the server said it would send: worth another try.
fn truncated(t: &Target<'_>, expected: u64, received: u64) -> Fail {
    Fail {
        err: IngestError::Truncated {
            force: t.force.clone(),
            key: t.key.to_string(),
            url: t.url.to_string(),
            expected,
            received,
            attempts: 1,
        },
        retry: Retry::Backoff,
    }
}

fn finish_error(t: &Target<'_>, e: FinishError) -> Fail {
    match e {
        FinishError::Length { expected, received } => truncated(t, expected, received),
        other => Fail {
            err: IngestError::Cache {
                who: who(t.force, t.key),
                path: other.path().map(|p| p.to_path_buf()).unwrap_or_default(),
                reason: other.reason(),
            },
            retry: Retry::No,
        },
    }
}

/// The innermost cause of an error ("Connection refused (os error 111)").
fn root_cause(e: &reqwest::Error) -> String {
    std::iter::successors(e.source(), |&s| s.source())
        .last()
        .map_or_else(|| e.to_string(), |s| s.to_string())
}

/// The causes of an error, without reqwest's own top line (which repeats
/// the URL), joined by ": ".
fn chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in std::iter::successors(e.source(), |&s| s.source()) {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_version_and_repository() {
        assert!(USER_AGENT.starts_with(concat!("foi/", env!("CARGO_PKG_VERSION"), " (+")));
        assert!(USER_AGENT.ends_with(')'));
    }

    #[test]
    fn urls_and_host_keys() {
        let (_, k) = parse_url("https://www.kent.police.uk/foi/x.xlsx").expect("url");
        assert_eq!(k, "www.kent.police.uk:443");
        let (_, k) = parse_url("http://127.0.0.1:8080/x").expect("url");
        assert_eq!(k, "127.0.0.1:8080");
        assert!(parse_url("ftp://example.invalid/x").is_err());
        assert!(parse_url("not a url").is_err());
    }
}
