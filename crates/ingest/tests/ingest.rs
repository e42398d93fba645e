//! End-to-end tests of foi-ingest against local files and a tiny HTTP/1.1
//! server on 127.0.0.1 (port 0) started inside each test. No traffic leaves
//! the machine. Timeouts and backoffs are kept short through FetchOptions;
//! no test asserts on timing.

use foi_ingest::{
    fetch_all, fetch_all_with, raw_path, read_manifest, read_raw, FetchOptions, FetchOutcome,
    IngestError, SourceSpec,
};
use foi_model::config::Source;
use foi_model::{DiagnosticKind, ForceId, Format, Severity};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ------------------------------------------------------------- test server

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Req {
    path: String,
    headers: Vec<(String, String)>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Reply {
    /// Status, extra headers and body, with a correct Content-Length.
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Declares `declared` bytes in Content-Length, sends `body`, closes.
    Short { declared: usize, body: Vec<u8> },
    /// No Content-Length: the body runs until the connection closes.
    UntilClose(Vec<u8>),
    /// Waits this long before answering 200 with the body.
    Slow(Duration, Vec<u8>),
    /// Reads the request and then sends nothing for a long time.
    Silent,
}

fn ok(body: &[u8]) -> Reply {
    Reply::Full(200, vec![], body.to_vec())
}

type Handler = dyn Fn(&Req, usize) -> Reply + Send + Sync;

struct Server {
    base: String,
    log: Arc<Mutex<Vec<Req>>>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server; `handler` gets the request and how many earlier
    /// requests there were for the same path.
    async fn start(handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Arc<Mutex<Vec<Req>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let (l, mx) = (log.clone(), max_in_flight.clone());
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let (log, handler, in_flight, mx) =
                    (l.clone(), handler.clone(), in_flight.clone(), mx.clone());
                tokio::spawn(async move {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    mx.fetch_max(now, Ordering::SeqCst);
                    handle(conn, &log, &*handler).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            base,
            log,
            max_in_flight,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self, path: &str) -> Vec<Req> {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn handle(mut conn: TcpStream, log: &Mutex<Vec<Req>>, handler: &Handler) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let req = Req { path, headers };
    let earlier = {
        let mut log = log.lock().expect("log");
        let n = log.iter().filter(|r| r.path == req.path).count();
        log.push(req.clone());
        n
    };
    let reply = handler(&req, earlier);
    let out = match reply {
        Reply::Full(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            [head.into_bytes(), body].concat()
        }
        Reply::Short { declared, body } => [
            format!("HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n")
                .into_bytes(),
            body,
        ]
        .concat(),
        Reply::UntilClose(body) => [
            b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec(),
            body,
        ]
        .concat(),
        Reply::Slow(wait, body) => {
            tokio::time::sleep(wait).await;
            [
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .into_bytes(),
                body,
            ]
            .concat()
        }
        Reply::Silent => {
            tokio::time::sleep(Duration::from_secs(10)).await;
            return;
        }
    };
    let _ = conn.write_all(&out).await;
    let _ = conn.shutdown().await;
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Other",
    }
}

// ------------------------------------------------------------- helpers

/// A fresh directory for one test under Cargo's temporary directory.
fn test_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("foi-ingest")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test dir");
    dir
}

fn options(dir: &Path) -> FetchOptions {
    FetchOptions {
        cache_dir: dir.join("cache"),
        root: dir.to_path_buf(),
        campaign: "test".into(),
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_bytes: 1_000_000,
        ..FetchOptions::default()
    }
}

fn spec(key: &str, source: Source) -> SourceSpec {
    SourceSpec {
        key: key.into(),
        force: ForceId("kent".into()),
        source,
        expect_spreadsheet: true,
    }
}

fn url_spec(url: String) -> SourceSpec {
    spec("kent", Source::Url(url))
}

async fn fetch_one(spec: SourceSpec, opts: &FetchOptions) -> FetchOutcome {
    let mut out = fetch_all(&[spec], opts).await;
    assert_eq!(out.len(), 1);
    out.remove(0)
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every file under the raw cache, as paths relative to it.
fn raw_files(opts: &FetchOptions) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(
                    p.strip_prefix(base)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = Vec::new();
    let base = opts.cache_dir.join("raw");
    walk(&base, &base, &mut out);
    out.sort();
    out
}

const CSV: &[u8] = b"offence,count\n88A,12\n71,<5\n";

// ------------------------------------------------------------- local files

#[tokio::test]
async fn local_file_is_copied_into_the_cache_with_a_manifest() {
    let dir = test_dir("local_ok");
    std::fs::create_dir_all(dir.join("data")).expect("mkdir");
    std::fs::write(dir.join("data/kent.csv"), CSV).expect("write");
    let opts = options(&dir);

    let out = fetch_one(spec("kent", Source::Path("data/kent.csv".into())), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = out.manifest.expect("manifest");
    assert_eq!(m.sha256, sha(CSV));
    assert_eq!(m.size, CSV.len() as u64);
    assert_eq!(m.source, "data/kent.csv");
    assert_eq!(m.force, ForceId("kent".into()));
    assert_eq!(m.format, Format::Text { utf8: true });
    assert_eq!((m.http_status, m.final_url.as_deref()), (None, None));
    assert!(!m.stale && m.error.is_none());
    assert_eq!(m.fetched_at.len(), "2024-01-01T00:00:00Z".len());
    assert!(m.fetched_at.ends_with('Z'));
    // The bytes sit under their hash; the manifest on disk is the same.
    let path = raw_path(&opts.cache_dir, &m.sha256);
    assert!(path.ends_with(format!("raw/{}/{}", &m.sha256[..2], m.sha256)));
    assert_eq!(std::fs::read(&path).expect("raw"), CSV);
    assert_eq!(read_raw(&opts.cache_dir, &m.sha256).expect("read_raw"), CSV);
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        Some(m.clone())
    );
    assert!(opts.cache_dir.join("sources/test/kent.json").is_file());
    // Nothing else (no temporary files) is left in the cache.
    assert_eq!(
        raw_files(&opts),
        vec![format!("{}/{}", &m.sha256[..2], m.sha256)]
    );
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "nobody").expect("read"),
        None
    );
}

#[tokio::test]
async fn an_unchanged_local_file_is_known_by_its_size_and_time_and_not_read_again() {
    let dir = test_dir("local_unchanged");
    std::fs::create_dir_all(dir.join("data")).expect("mkdir");
    let file = dir.join("data/kent.csv");
    std::fs::write(&file, CSV).expect("write");
    let opts = options(&dir);
    let kent = || spec("kent", Source::Path("data/kent.csv".into()));
    let first = fetch_one(kent(), &opts).await.manifest.expect("manifest");
    let when = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert!(first.modified_ns.is_some());

    // Other bytes of the same length, given back the old time: as make
    // would, foi takes the file as unchanged and keeps the cached copy.
    let mut other = CSV.to_vec();
    other[0] ^= 1;
    std::fs::write(&file, &other).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(when))
        .expect("set mtime");
    let second = fetch_one(kent(), &opts).await.manifest.expect("manifest");
    assert_eq!(second.sha256, first.sha256);

    // A new time: read again.
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(when + std::time::Duration::from_secs(1)))
        .expect("set mtime");
    let third = fetch_one(kent(), &opts).await.manifest.expect("manifest");
    assert_eq!(third.sha256, sha(&other));
}

#[tokio::test]
async fn missing_local_file_is_an_error_naming_force_and_path() {
    let dir = test_dir("local_missing");
    let opts = options(&dir);

    let out = fetch_one(
        spec("kent", Source::Path("data/missing.xlsx".into())),
        &opts,
    )
    .await;

    assert!(out.manifest.is_none());
    let e = out.error.expect("error");
    assert!(matches!(e, IngestError::Read { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.starts_with("kent: "), "{msg}");
    assert!(msg.contains("data/missing.xlsx"), "{msg}");
    assert!(msg.contains("does not exist"), "{msg}");
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        None
    );
}

#[tokio::test]
async fn missing_local_file_keeps_the_last_good_copy_marked_stale() {
    let dir = test_dir("local_stale");
    std::fs::write(dir.join("kent.csv"), CSV).expect("write");
    let opts = options(&dir);
    let source = Source::Path("kent.csv".into());
    let good = fetch_one(spec("kent", source.clone()), &opts)
        .await
        .manifest
        .expect("first fetch");

    std::fs::remove_file(dir.join("kent.csv")).expect("rm");
    let out = fetch_one(spec("kent", source.clone()), &opts).await;

    let e = out.error.expect("error");
    assert!(e.to_string().contains("kent.csv"), "{e}");
    let m = out.manifest.expect("stale manifest");
    assert!(m.stale);
    assert_eq!(m.error.as_deref(), Some(e.to_string().as_str()));
    assert_eq!(
        (m.sha256.as_str(), m.size),
        (good.sha256.as_str(), good.size)
    );
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        Some(m.clone())
    );
    assert_eq!(
        read_raw(&opts.cache_dir, &m.sha256).expect("copy kept"),
        CSV
    );
    // One warning, as data: the source is stale, and why.
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.severity, &d.kind),
        (Severity::Warning, &DiagnosticKind::StaleSource)
    );
    assert_eq!(
        (d.force.as_ref(), d.file.as_deref()),
        (Some(&m.force), Some("kent.csv"))
    );
    assert_eq!(
        d.message,
        format!(
            "cannot read the file: the file does not exist; using the last good copy, fetched {}",
            good.fetched_at
        )
    );

    // When the file is back, the manifest is fresh again.
    std::fs::write(dir.join("kent.csv"), CSV).expect("write");
    let m = fetch_one(spec("kent", source), &opts)
        .await
        .manifest
        .expect("fresh");
    assert!(!m.stale && m.error.is_none());
}

#[tokio::test]
async fn outcomes_keep_the_order_of_the_specs_and_refuse_duplicate_keys() {
    let dir = test_dir("order");
    std::fs::write(dir.join("a.csv"), b"a\n1\n").expect("write");
    std::fs::write(dir.join("b.csv"), b"b\n2\n").expect("write");
    let opts = options(&dir);
    let specs = [
        spec("b", Source::Path("b.csv".into())),
        spec("missing", Source::Path("nope.csv".into())),
        spec("a", Source::Path("a.csv".into())),
        spec("a", Source::Path("b.csv".into())),
        spec("../evil", Source::Path("a.csv".into())),
    ];

    let out = fetch_all(&specs, &opts).await;

    let keys: Vec<&str> = out.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["b", "missing", "a", "a", "../evil"]);
    assert_eq!(out[0].manifest.as_ref().map(|m| m.size), Some(4));
    assert!(out[1].error.is_some());
    assert_eq!(
        out[2].manifest.as_ref().map(|m| m.sha256.clone()),
        Some(sha(b"a\n1\n"))
    );
    let dup = out[3]
        .error
        .as_ref()
        .expect("duplicate refused")
        .to_string();
    assert!(dup.contains("same key"), "{dup}");
    let bad = out[4].error.as_ref().expect("bad key refused").to_string();
    assert!(bad.contains("cannot name a file"), "{bad}");
}

// ------------------------------------------------------------- HTTP

#[tokio::test]
async fn http_200_is_cached_with_its_headers() {
    let server = Server::start(|_, _| {
        Reply::Full(
            200,
            vec![
                ("ETag", "\"v1\"".into()),
                ("Last-Modified", "Wed, 01 May 2024 12:00:00 GMT".into()),
                ("Content-Type", "text/csv".into()),
            ],
            CSV.to_vec(),
        )
    })
    .await;
    let dir = test_dir("http_ok");
    let opts = options(&dir);
    let url = server.url("/foi/kent.csv");

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = out.manifest.expect("manifest");
    assert_eq!(m.source, url);
    assert_eq!(m.final_url.as_deref(), Some(url.as_str()));
    assert_eq!(m.http_status, Some(200));
    assert_eq!(m.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        m.last_modified.as_deref(),
        Some("Wed, 01 May 2024 12:00:00 GMT")
    );
    assert_eq!(m.content_type.as_deref(), Some("text/csv"));
    assert_eq!((m.sha256.clone(), m.size), (sha(CSV), CSV.len() as u64));
    assert_eq!(m.attempts, 1);
    assert_eq!(read_raw(&opts.cache_dir, &m.sha256).expect("raw"), CSV);
    let reqs = server.requests("/foi/kent.csv");
    assert_eq!(reqs.len(), 1);
    let ua = reqs[0].header("user-agent").unwrap_or_default();
    assert!(ua.starts_with("foi/"), "{ua}");
    assert_eq!(reqs[0].header("if-none-match"), None);
}

#[tokio::test]
async fn second_fetch_is_answered_by_304_without_a_download() {
    let bodies_sent = Arc::new(AtomicUsize::new(0));
    let sent = bodies_sent.clone();
    let server = Server::start(move |req, _| {
        if req.header("if-none-match") == Some("\"v1\"") {
            return Reply::Full(304, vec![("ETag", "\"v1\"".into())], vec![]);
        }
        sent.fetch_add(1, Ordering::SeqCst);
        Reply::Full(
            200,
            vec![
                ("ETag", "\"v1\"".into()),
                ("Last-Modified", "Wed, 01 May 2024 12:00:00 GMT".into()),
            ],
            CSV.to_vec(),
        )
    })
    .await;
    let dir = test_dir("http_304");
    let opts = options(&dir);
    let url = server.url("/kent.csv");

    let first = fetch_one(url_spec(url.clone()), &opts)
        .await
        .manifest
        .expect("first");
    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    let m = out.manifest.expect("manifest");
    assert_eq!(m.http_status, Some(304));
    assert_eq!(m.sha256, first.sha256);
    assert_eq!(m.format, first.format);
    assert!(!m.stale);
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        Some(m)
    );
    let reqs = server.requests("/kent.csv");
    assert_eq!(reqs.len(), 2);
    let conditional: Vec<&Req> = reqs
        .iter()
        .filter(|r| r.header("if-none-match").is_some())
        .collect();
    assert_eq!(conditional.len(), 1);
    assert_eq!(
        conditional[0].header("if-modified-since"),
        Some("Wed, 01 May 2024 12:00:00 GMT")
    );
    assert_eq!(bodies_sent.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn no_conditional_request_when_the_cached_copy_is_gone() {
    let server = Server::start(|req, _| {
        if req.header("if-none-match").is_some() {
            return Reply::Full(304, vec![], vec![]);
        }
        Reply::Full(200, vec![("ETag", "\"v1\"".into())], CSV.to_vec())
    })
    .await;
    let dir = test_dir("http_copy_gone");
    let opts = options(&dir);
    let url = server.url("/kent.csv");
    let first = fetch_one(url_spec(url.clone()), &opts)
        .await
        .manifest
        .expect("first");
    std::fs::remove_file(raw_path(&opts.cache_dir, &first.sha256)).expect("rm");

    let out = fetch_one(url_spec(url), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.manifest.expect("manifest").http_status, Some(200));
    assert!(server
        .requests("/kent.csv")
        .iter()
        .all(|r| r.header("if-none-match").is_none()));
    assert_eq!(
        read_raw(&opts.cache_dir, &first.sha256).expect("restored"),
        CSV
    );
}

#[tokio::test]
async fn a_500_then_200_recovers() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::Full(500, vec![], b"oops".to_vec())
        } else {
            ok(CSV)
        }
    })
    .await;
    let dir = test_dir("http_500_200");
    let opts = options(&dir);

    let out = fetch_one(url_spec(server.url("/kent.csv")), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    let m = out.manifest.expect("manifest");
    assert_eq!((m.attempts, m.http_status), (2, Some(200)));
    assert_eq!(m.sha256, sha(CSV));
    assert_eq!(server.requests("/kent.csv").len(), 2);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::Full(429, vec![("Retry-After", "0".into())], vec![])
        } else {
            ok(CSV)
        }
    })
    .await;
    let dir = test_dir("http_429");
    let opts = options(&dir);

    let out = fetch_one(url_spec(server.url("/kent.csv")), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.manifest.expect("manifest").attempts, 2);
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let server = Server::start(|_, _| Reply::Full(404, vec![], b"no".to_vec())).await;
    let dir = test_dir("http_404");
    let opts = options(&dir);
    let url = server.url("/gone.xlsx");

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.manifest.is_none());
    let msg = out.error.expect("error").to_string();
    assert_eq!(
        msg,
        format!("kent: {url}: the server answered 404 Not Found")
    );
    assert_eq!(server.requests("/gone.xlsx").len(), 1);
}

#[tokio::test]
async fn persistent_failure_keeps_the_last_good_copy_marked_stale() {
    let server = Server::start(|_, n| {
        if n == 0 {
            ok(CSV)
        } else {
            Reply::Full(503, vec![], vec![])
        }
    })
    .await;
    let dir = test_dir("http_stale");
    let opts = options(&dir);
    let url = server.url("/kent.csv");
    let good = fetch_one(url_spec(url.clone()), &opts)
        .await
        .manifest
        .expect("first");

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    let e = out.error.expect("error");
    assert!(matches!(e, IngestError::Http { attempts: 3, .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("503 Service Unavailable (after 3 attempts)"),
        "{e}"
    );
    let m = out.manifest.expect("stale manifest");
    assert!(m.stale);
    assert_eq!(m.sha256, good.sha256);
    assert_eq!(m.attempts, 3);
    assert_eq!(
        read_raw(&opts.cache_dir, &m.sha256).expect("copy kept"),
        CSV
    );
    assert_eq!(server.requests("/kent.csv").len(), 1 + 3);
}

#[tokio::test]
async fn a_body_bigger_than_max_bytes_is_stopped() {
    let big = vec![b'x'; 5000];
    let body = big.clone();
    let server = Server::start(move |req, _| {
        if req.path == "/declared" {
            ok(&body)
        } else {
            Reply::UntilClose(body.clone())
        }
    })
    .await;
    let dir = test_dir("http_too_large");
    let opts = FetchOptions {
        max_bytes: 1000,
        ..options(&dir)
    };

    for path in ["/streamed", "/declared"] {
        let out = fetch_one(url_spec(server.url(path)), &opts).await;
        assert!(out.manifest.is_none(), "{path}");
        let e = out.error.expect("error");
        assert!(
            matches!(e, IngestError::TooLarge { limit: 1000, .. }),
            "{path}: {e:?}"
        );
        assert!(
            e.to_string().contains("larger than the 1000-byte limit"),
            "{e}"
        );
        // Not retried: the file will not shrink.
        assert_eq!(server.requests(path).len(), 1, "{path}");
    }
    assert!(raw_files(&opts).is_empty(), "{:?}", raw_files(&opts));
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        None
    );
}

#[tokio::test]
async fn a_truncated_body_never_enters_the_cache() {
    let server = Server::start(|_, _| Reply::Short {
        declared: 1000,
        body: vec![b'y'; 100],
    })
    .await;
    let dir = test_dir("http_truncated");
    let opts = options(&dir);
    let url = server.url("/kent.xlsx");

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.manifest.is_none());
    let e = out.error.expect("error");
    assert!(
        matches!(
            e,
            IngestError::Truncated {
                expected: 1000,
                attempts: 3,
                ..
            }
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(msg.starts_with(&format!("kent: {url}: ")), "{msg}");
    assert!(msg.contains("promised 1000 bytes"), "{msg}");
    assert!(raw_files(&opts).is_empty(), "{:?}", raw_files(&opts));
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        None
    );
}

const PAGE: &[u8] = b"<!DOCTYPE html><html><body>Please log in</body></html>";

/// A server that answers `/foi.xlsx` with `first` and then with what
/// `later` gives for each later request (by its number, from 1).
async fn changing(first: Reply, later: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Server {
    let first = std::sync::Mutex::new(Some(first));
    Server::start(move |_, n| match n {
        0 => first
            .lock()
            .expect("first")
            .take()
            .unwrap_or_else(|| Reply::Full(500, vec![], vec![])),
        n => later(n),
    })
    .await
}

fn html(body: &[u8]) -> Reply {
    Reply::Full(
        200,
        vec![("Content-Type", "text/html; charset=utf-8".into())],
        body.to_vec(),
    )
}

/// The files kept aside for the source `kent` of campaign `test`.
fn rejected_files(opts: &FetchOptions) -> Vec<String> {
    let dir = opts.cache_dir.join("rejected/test/kent");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn an_html_page_with_nothing_to_fall_back_on_fails_and_is_kept_aside() {
    let server = Server::start(|_, _| html(PAGE)).await;
    let dir = test_dir("http_html");
    let opts = options(&dir);
    let url = server.url("/foi.xlsx");

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.manifest.is_none());
    let kept = format!("rejected/test/kent/{}.html", sha(PAGE));
    let e = out.error.expect("refused");
    assert!(matches!(e, IngestError::Rejected { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "kent: {url}: the server sent an HTML page (an error or login page?), not a spreadsheet; it was kept aside in the cache as {kept}"
        )
    );
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.severity, &d.kind),
        (Severity::Error, &DiagnosticKind::WrongFormat)
    );
    assert_eq!(d.force, Some(ForceId("kent".into())));
    assert_eq!(d.file.as_deref(), Some(url.as_str()));
    assert_eq!(d.message, e.detail());
    // Kept for inspection, never in the raw cache, and no manifest.
    assert_eq!(
        std::fs::read(opts.cache_dir.join(&kept)).expect("kept"),
        PAGE
    );
    assert!(raw_files(&opts).is_empty(), "{:?}", raw_files(&opts));
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        None
    );

    // Nothing expected of it (no tables to read): cached as it is.
    let out = fetch_one(
        SourceSpec {
            expect_spreadsheet: false,
            ..url_spec(url)
        },
        &opts,
    )
    .await;
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.manifest.expect("cached").format, Format::Html);
}

#[tokio::test]
async fn a_body_that_fails_its_checks_never_replaces_the_last_good_copy() {
    let zip_not_workbook = {
        // A zip whose directory lists only a text file.
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
        z.extend_from_slice(&[0; 12]);
        z.extend_from_slice(&[5, 0, 0, 0]);
        z.extend_from_slice(b"a.txt");
        let cd = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
        z.extend_from_slice(&[0; 20]);
        z.extend_from_slice(&[5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(b"a.txt");
        z.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
        z.extend_from_slice(&(z.len() as u32 - cd).to_le_bytes());
        z.extend_from_slice(&cd.to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z
    };
    let cases: Vec<(&str, Reply, &str, Format)> = vec![
        (
            "html",
            html(PAGE),
            "the server sent an HTML page (an error or login page?), not a spreadsheet",
            Format::Html,
        ),
        (
            "empty",
            Reply::Full(200, vec![], vec![]),
            "the server sent an empty file",
            Format::Empty,
        ),
        (
            "pdf",
            Reply::Full(200, vec![], b"%PDF-1.4\n%%EOF\n".to_vec()),
            "the server sent a PDF, not a spreadsheet",
            Format::Pdf,
        ),
        (
            "zip",
            Reply::Full(200, vec![], zip_not_workbook.clone()),
            "the server sent a zip archive that is not a workbook, not a spreadsheet",
            Format::Zip,
        ),
    ];
    for (name, bad, what, format) in cases {
        let bad = std::sync::Mutex::new(Some(bad));
        let server = changing(ok(CSV), move |_| {
            bad.lock()
                .expect("bad")
                .take()
                .unwrap_or_else(|| Reply::Full(500, vec![], vec![]))
        })
        .await;
        let dir = test_dir(&format!("http_refused_{name}"));
        let opts = options(&dir);
        let url = server.url("/foi.xlsx");
        let good = fetch_one(url_spec(url.clone()), &opts)
            .await
            .manifest
            .expect("good copy");

        let out = fetch_one(url_spec(url.clone()), &opts).await;

        let e = out.error.expect("refused");
        assert!(matches!(e, IngestError::Rejected { .. }), "{name}: {e:?}");
        assert!(e.to_string().contains(what), "{name}: {e}");
        // The last good copy, marked stale, with the refused body beside it.
        let m = out.manifest.expect("stale manifest");
        assert!(m.stale, "{name}");
        assert_eq!(
            (m.sha256.as_str(), m.size),
            (good.sha256.as_str(), good.size)
        );
        assert_eq!(m.fetched_at, good.fetched_at);
        assert_eq!(m.error.as_deref(), Some(e.to_string().as_str()));
        let r = m.rejected.clone().expect("rejected recorded");
        assert_eq!(r.format, format, "{name}");
        assert_eq!(r.reason, what);
        assert_eq!(r.http_status, Some(200));
        assert_eq!(
            std::fs::read(&r.path).expect("kept aside").len() as u64,
            r.size
        );
        assert!(r
            .path
            .starts_with(opts.cache_dir.join("rejected/test/kent")));
        assert_eq!(
            read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
            Some(m.clone())
        );
        assert_eq!(
            read_raw(&opts.cache_dir, &m.sha256).expect("copy kept"),
            CSV
        );
        assert_eq!(
            raw_files(&opts),
            vec![format!("{}/{}", &sha(CSV)[..2], sha(CSV))]
        );
        // One warning: stale, saying why.
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.severity, &d.kind),
            (Severity::Warning, &DiagnosticKind::StaleSource)
        );
        assert_eq!(
            d.message,
            format!(
                "{}; using the last good copy, fetched {}",
                e.detail(),
                good.fetched_at
            )
        );
    }
}

#[tokio::test]
async fn an_html_table_is_a_reply() {
    const TABLE: &[u8] =
        b"<html><body><table><tr><td>Offence</td><td>Count</td></tr><tr><td>88A</td><td>12</td></tr></table></body></html>";
    let server = Server::start(|_, _| html(TABLE)).await;
    let dir = test_dir("http_html_table");
    let opts = options(&dir);

    let out = fetch_one(url_spec(server.url("/foi.xls")), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = out.manifest.expect("manifest");
    assert_eq!(m.format, Format::Html);
    assert_eq!(read_raw(&opts.cache_dir, &m.sha256).expect("raw"), TABLE);
}

#[tokio::test]
async fn a_local_html_page_where_a_spreadsheet_was_expected_keeps_the_last_good_copy() {
    let dir = test_dir("local_html");
    let file = dir.join("kent.csv");
    std::fs::write(&file, CSV).expect("write");
    let opts = options(&dir);
    let kent = || spec("kent", Source::Path("kent.csv".into()));
    let good = fetch_one(kent(), &opts).await.manifest.expect("good");

    std::fs::write(&file, PAGE).expect("an export saved as HTML");
    let out = fetch_one(kent(), &opts).await;

    let e = out.error.expect("refused");
    assert_eq!(
        e.to_string(),
        format!(
            "kent: kent.csv: the file is an HTML page with no table, not a spreadsheet; it was kept aside in the cache as rejected/test/kent/{}.html",
            sha(PAGE)
        )
    );
    let m = out.manifest.expect("stale");
    assert!(m.stale);
    assert_eq!(m.sha256, good.sha256);
    let r = m.rejected.expect("rejected");
    assert_eq!((r.format, r.http_status), (Format::Html, None));
    assert_eq!(rejected_files(&opts), vec![format!("{}.html", sha(PAGE))]);
    assert_eq!(read_raw(&opts.cache_dir, &good.sha256).expect("kept"), CSV);

    // Fixed: fresh again, and the manifest no longer speaks of it.
    std::fs::write(&file, CSV).expect("write");
    let m = fetch_one(kent(), &opts).await.manifest.expect("fresh");
    assert!(!m.stale && m.error.is_none() && m.rejected.is_none());
}

#[tokio::test]
async fn an_openpyxl_workbook_over_1_mb_is_a_workbook() {
    let book = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/writers/openpyxl-big.xlsx"),
    )
    .expect("fixture");
    assert!(book.len() > 1_000_000);
    let body = book.clone();
    let server = Server::start(move |_, _| ok(&body)).await;
    let dir = test_dir("http_openpyxl");
    let opts = FetchOptions {
        max_bytes: 10_000_000,
        ..options(&dir)
    };

    let out = fetch_one(url_spec(server.url("/AS-FOI-0412-17.xlsx")), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = out.manifest.expect("manifest");
    assert_eq!(m.format, Format::Xlsx);
    assert_eq!(read_raw(&opts.cache_dir, &m.sha256).expect("raw"), book);
}

/// Flips one byte of a cached copy, as a failing disk or a stray edit would.
fn damage(opts: &FetchOptions, sha256: &str) {
    let path = raw_path(&opts.cache_dir, sha256);
    let mut bytes = std::fs::read(&path).expect("cached");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    std::fs::write(&path, bytes).expect("damage");
}

#[tokio::test]
async fn a_damaged_copy_is_fetched_again_without_a_conditional_request() {
    let server = Server::start(|req, _| {
        if req.header("if-none-match") == Some("\"v1\"") {
            return Reply::Full(304, vec![("ETag", "\"v1\"".into())], vec![]);
        }
        Reply::Full(200, vec![("ETag", "\"v1\"".into())], CSV.to_vec())
    })
    .await;
    let dir = test_dir("http_damaged_304");
    let opts = options(&dir);
    let url = server.url("/kent.csv");
    let first = fetch_one(url_spec(url.clone()), &opts)
        .await
        .manifest
        .expect("first");
    damage(&opts, &first.sha256);

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    let m = out.manifest.expect("manifest");
    assert_eq!(
        (m.http_status, m.sha256.as_str()),
        (Some(200), first.sha256.as_str())
    );
    assert_eq!(read_raw(&opts.cache_dir, &m.sha256).expect("repaired"), CSV);
    let reqs = server.requests("/kent.csv");
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].header("if-none-match"),
        None,
        "no 304 for a bad copy"
    );
    // Said, and the damaged file kept for a look.
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(
        (d.severity, &d.kind),
        (Severity::Warning, &DiagnosticKind::DamagedCopy)
    );
    let mut bad = CSV.to_vec();
    bad[CSV.len() / 2] ^= 0x20;
    assert_eq!(
        d.message,
        format!(
            "the cached copy {} is damaged (its bytes hash to {}); moved to {}; fetching it again",
            m.sha256,
            sha(&bad),
            opts.cache_dir.join("damaged").join(&m.sha256).display()
        )
    );
    assert!(opts.cache_dir.join("damaged").join(&m.sha256).is_file());

    // Intact: conditional again, and a 304.
    let out = fetch_one(url_spec(url), &opts).await;
    assert_eq!(out.manifest.expect("manifest").http_status, Some(304));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[tokio::test]
async fn a_damaged_copy_is_replaced_by_the_same_bytes_fetched_again() {
    // No validators: every fetch is a full 200 with the same bytes.
    let server = Server::start(|_, _| ok(CSV)).await;
    let dir = test_dir("http_damaged_200");
    let opts = options(&dir);
    let url = server.url("/kent.csv");
    let first = fetch_one(url_spec(url.clone()), &opts)
        .await
        .manifest
        .expect("first");
    damage(&opts, &first.sha256);

    let out = fetch_one(url_spec(url), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.manifest.expect("manifest").sha256, first.sha256);
    assert_eq!(
        read_raw(&opts.cache_dir, &first.sha256).expect("repaired"),
        CSV
    );

    // A local file stored again (its time changed) over a copy damaged in
    // place replaces it too.
    std::fs::write(dir.join("kent.csv"), CSV).expect("write");
    let local = || spec("kent-local", Source::Path("kent.csv".into()));
    fetch_one(local(), &opts).await.manifest.expect("local");
    damage(&opts, &first.sha256);
    std::fs::File::options()
        .write(true)
        .open(dir.join("kent.csv"))
        .and_then(|f| f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5)))
        .expect("touch");
    let out = fetch_one(local(), &opts).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        read_raw(&opts.cache_dir, &first.sha256).expect("repaired"),
        CSV
    );
}

#[tokio::test]
async fn a_copy_found_damaged_when_read_is_fetched_again_by_the_next_fetch() {
    let dir = test_dir("local_damaged");
    std::fs::write(dir.join("kent.csv"), CSV).expect("write");
    let opts = options(&dir);
    let kent = || spec("kent", Source::Path("kent.csv".into()));
    let first = fetch_one(kent(), &opts).await.manifest.expect("first");
    damage(&opts, &first.sha256);

    // The build reads it: refused, and moved aside.
    let e = read_raw(&opts.cache_dir, &first.sha256).expect_err("damaged");
    assert!(
        matches!(
            e,
            IngestError::Corrupt {
                moved_to: Some(_),
                ..
            }
        ),
        "{e:?}"
    );
    // The local file is unchanged, but its copy is gone: read again.
    let out = fetch_one(kent(), &opts).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        read_raw(&opts.cache_dir, &first.sha256).expect("repaired"),
        CSV
    );
}

#[tokio::test]
async fn verify_finds_every_damaged_copy_and_the_next_fetch_repairs_it() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/a.csv" => ok(b"a\n1\n"),
        _ => ok(CSV),
    })
    .await;
    let dir = test_dir("verify");
    let opts = options(&dir);
    let specs = vec![
        spec("kent", Source::Url(server.url("/kent.csv"))),
        spec("a", Source::Url(server.url("/a.csv"))),
    ];
    let out = fetch_all(&specs, &opts).await;
    assert!(out.iter().all(|o| o.error.is_none()), "{out:?}");
    let intact = foi_ingest::verify(&opts.cache_dir, "test");
    assert_eq!((intact.checked, intact.damaged), (2, 0));
    assert_eq!(intact.bytes, (CSV.len() + 4) as u64);
    assert!(intact.diagnostics.is_empty(), "{:?}", intact.diagnostics);

    damage(&opts, &sha(CSV));
    let v = foi_ingest::verify(&opts.cache_dir, "test");

    assert_eq!((v.checked, v.damaged), (2, 1));
    assert_eq!(v.diagnostics.len(), 1, "{:?}", v.diagnostics);
    let d = &v.diagnostics[0];
    assert_eq!(d.kind, DiagnosticKind::DamagedCopy);
    assert_eq!(d.force, Some(ForceId("kent".into())));
    assert_eq!(d.file.as_deref(), Some(server.url("/kent.csv").as_str()));
    assert!(!raw_path(&opts.cache_dir, &sha(CSV)).exists());
    let out = fetch_all(&specs, &opts).await;
    assert!(out.iter().all(|o| o.error.is_none()), "{out:?}");
    assert_eq!(read_raw(&opts.cache_dir, &sha(CSV)).expect("repaired"), CSV);
    assert_eq!(
        server.requests("/kent.csv")[1].header("if-none-match"),
        None
    );
    assert_eq!(foi_ingest::verify(&opts.cache_dir, "test").damaged, 0);
}

#[tokio::test]
async fn redirects_are_bounded_and_never_change_scheme() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/old" => Reply::Full(302, vec![("Location", "/new".into())], vec![]),
        "/new" => ok(CSV),
        "/loop" => Reply::Full(302, vec![("Location", "/loop".into())], vec![]),
        "/to-https" => {
            let host = req.header("host").unwrap_or_default().to_string();
            Reply::Full(
                302,
                vec![("Location", format!("https://{host}/new"))],
                vec![],
            )
        }
        _ => Reply::Full(404, vec![], vec![]),
    })
    .await;
    let dir = test_dir("http_redirects");
    let opts = FetchOptions {
        max_redirects: 3,
        ..options(&dir)
    };

    let out = fetch_one(url_spec(server.url("/old")), &opts).await;
    let m = out.manifest.expect("followed");
    assert_eq!(m.source, server.url("/old"));
    assert_eq!(m.final_url, Some(server.url("/new")));

    let out = fetch_one(url_spec(server.url("/loop")), &opts).await;
    let e = out.error.expect("loop refused");
    assert!(matches!(e, IngestError::Redirect { .. }), "{e:?}");
    assert!(e.to_string().contains("more than 3 redirects"), "{e}");
    assert_eq!(server.requests("/loop").len(), 4);

    let out = fetch_one(url_spec(server.url("/to-https")), &opts).await;
    let e = out.error.expect("scheme change refused");
    assert!(e.to_string().contains("another scheme"), "{e}");
    assert_eq!(server.requests("/to-https").len(), 1);
}

#[tokio::test]
async fn a_silent_server_times_out_and_is_retried() {
    let server = Server::start(|_, _| Reply::Silent).await;
    let dir = test_dir("http_timeout");
    let opts = FetchOptions {
        read_timeout: Duration::from_millis(100),
        retries: 1,
        ..options(&dir)
    };

    let out = fetch_one(url_spec(server.url("/slow")), &opts).await;

    let e = out.error.expect("timeout");
    assert!(
        matches!(e, IngestError::Network { attempts: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("read timeout"), "{e}");
    assert_eq!(server.requests("/slow").len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_plain_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/kent.csv", listener.local_addr().expect("addr"));
    drop(listener);
    let dir = test_dir("http_refused");
    let opts = FetchOptions {
        retries: 1,
        ..options(&dir)
    };

    let out = fetch_one(url_spec(url.clone()), &opts).await;

    let msg = out.error.expect("error").to_string();
    assert!(
        msg.starts_with(&format!("kent: {url}: could not connect: ")),
        "{msg}"
    );
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
    assert!(msg.ends_with("(after 2 attempts)"), "{msg}");
}

#[tokio::test]
async fn downloads_from_one_host_are_bounded() {
    let server = Server::start(|_, _| Reply::Slow(Duration::from_millis(50), CSV.to_vec())).await;
    let dir = test_dir("http_per_host");
    let opts = FetchOptions {
        per_host: 2,
        concurrency: 8,
        ..options(&dir)
    };
    let specs: Vec<SourceSpec> = (0..6)
        .map(|i| {
            spec(
                &format!("k{i}"),
                Source::Url(server.url(&format!("/f{i}.csv"))),
            )
        })
        .collect();

    let out = fetch_all(&specs, &opts).await;

    assert!(out.iter().all(|o| o.error.is_none()), "{out:?}");
    // Every response has the same bytes: stored once.
    assert_eq!(raw_files(&opts).len(), 1);
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=2).contains(&max), "{max} requests at once");
}

#[tokio::test]
async fn each_outcome_is_reported_as_its_source_finishes() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/gone.csv" => Reply::Full(404, vec![], vec![]),
        _ => ok(CSV),
    })
    .await;
    let dir = test_dir("progress");
    let opts = options(&dir);
    let specs = vec![
        spec("a", Source::Url(server.url("/a.csv"))),
        spec("b", Source::Url(server.url("/gone.csv"))),
        spec("c", Source::Path("missing.csv".into())),
    ];
    let seen = Mutex::new(Vec::new());

    let out = fetch_all_with(&specs, &opts, |o| {
        seen.lock()
            .expect("seen")
            .push((o.key.clone(), o.error.is_some()));
    })
    .await;

    let mut seen = seen.into_inner().expect("seen");
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("a".to_string(), false),
            ("b".to_string(), true),
            ("c".to_string(), true)
        ]
    );
    let keys: Vec<&str> = out.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_means_retry_now() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::Full(
                503,
                vec![("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT".into())],
                vec![],
            )
        } else {
            ok(CSV)
        }
    })
    .await;
    let dir = test_dir("http_retry_after_date");
    // A backoff this long would outlast the test: only Retry-After can
    // make the retry come at once.
    let opts = FetchOptions {
        backoff: Duration::from_secs(600),
        ..options(&dir)
    };

    let out = tokio::time::timeout(
        Duration::from_secs(30),
        fetch_one(url_spec(server.url("/kent.csv")), &opts),
    )
    .await
    .expect("retried without the backoff");

    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.manifest.expect("manifest").attempts, 2);
    assert_eq!(server.requests("/kent.csv").len(), 2);
}

#[tokio::test]
async fn temporary_files_of_an_interrupted_run_are_removed() {
    let server = Server::start(|_, _| ok(CSV)).await;
    let dir = test_dir("sweep");
    let opts = options(&dir);
    let raw = opts.cache_dir.join("raw");
    std::fs::create_dir_all(&raw).expect("mkdir");
    // As a process killed mid-download leaves it (no such pid can run).
    let leftover = raw.join(".tmp-4294967295-0-1");
    std::fs::write(&leftover, b"half a spreadsheet").expect("write");

    let out = fetch_one(url_spec(server.url("/kent.csv")), &opts).await;

    assert!(out.error.is_none(), "{:?}", out.error);
    if cfg!(target_os = "linux") {
        assert!(!leftover.exists());
        assert_eq!(
            raw_files(&opts),
            vec![format!("{0}/{1}", &sha(CSV)[..2], sha(CSV))]
        );
    }
}

#[tokio::test]
async fn a_copy_from_a_source_no_longer_configured_is_never_a_fallback() {
    let dir = test_dir("moved");
    std::fs::write(dir.join("old.csv"), CSV).expect("write");
    let opts = options(&dir);
    fetch_one(spec("kent", Source::Path("old.csv".into())), &opts)
        .await
        .manifest
        .expect("old source fetched");

    // The config now names another file, which is not there.
    let out = fetch_one(spec("kent", Source::Path("new.csv".into())), &opts).await;

    assert!(out.manifest.is_none());
    let e = out.error.expect("error");
    assert!(matches!(e, IngestError::Read { .. }), "{e:?}");
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.diagnostics[0].kind, DiagnosticKind::FetchFailed);
    assert_eq!(out.diagnostics[0].severity, Severity::Error);
    // The old manifest is gone, so that nothing reads the old file's copy
    // for this source.
    assert_eq!(
        read_manifest(&opts.cache_dir, "test", "kent").expect("read"),
        None
    );
}
