//! The real `foi fetch` against a real HTTP server on 127.0.0.1 (port 0)
//! serving the fixture corpus. Each test copies the config, points the
//! responses' sources at the server, gives chosen paths a misbehaviour, and
//! checks exit code, messages, cache and manifests, and what the server saw.
//! Only the concurrency test looks at the clock (loosely); no test sends
//! traffic anywhere but loopback.

use crate::server::{self, Reply, Req, Server};
use crate::*;
use foi_ingest::Manifest;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CAMPAIGN: &str = "nspcc-online-csa";
const KENT: &str = "/kent/FOI 17-0412 Response.xlsx";
const MET: &str = "/metropolitan/FOI-2017-0412-response.xlsx";
/// Short waits, so that failing sources fail fast.
const QUICK: &[&str] = &["--retries", "1", "--backoff-ms", "10"];

/// One response's source in the bundled campaign.
#[derive(Debug, Clone)]
struct Src {
    /// The response's key (its file stem).
    key: String,
    force: String,
    /// As configured: "fixtures/nspcc/kent/FOI 17-0412 Response.xlsx".
    rel: String,
    /// Where the server serves it: "/kent/FOI 17-0412 Response.xlsx".
    path: String,
    bytes: Vec<u8>,
}

/// The campaign's responses that have a local source, by key.
fn sources() -> Vec<Src> {
    let dir = root()
        .join("config/campaigns")
        .join(CAMPAIGN)
        .join("responses");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("responses") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("toml");
        let quoted = |prefix: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        };
        let (Some(force), Some(rel)) = (quoted("force = \""), quoted("source = { path = \""))
        else {
            continue;
        };
        let path = format!(
            "/{}",
            rel.strip_prefix("fixtures/nspcc/")
                .expect("under fixtures/nspcc")
        );
        out.push(Src {
            key: p.file_stem().expect("stem").to_string_lossy().into_owned(),
            force,
            bytes: std::fs::read(root().join(&rel)).expect("fixture"),
            rel,
            path,
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    assert!(out.len() >= 10, "only {} sources", out.len());
    for path in [KENT, MET] {
        assert!(out.iter().any(|s| s.path == path), "no source {path}");
    }
    out
}

fn src<'a>(srcs: &'a [Src], path: &str) -> &'a Src {
    srcs.iter().find(|s| s.path == path).expect("source")
}

/// A server with the fixture corpus: `special` may answer a request in its
/// own way (it gets the request, how many came before for that path, and
/// the file's bytes); otherwise the file is served with an ETag.
fn serve(
    srcs: &[Src],
    special: impl Fn(&Req, usize, &[u8]) -> Option<Reply> + Send + Sync + 'static,
) -> Server {
    let files: BTreeMap<String, Vec<u8>> = srcs
        .iter()
        .map(|s| (s.path.clone(), s.bytes.clone()))
        .collect();
    Server::start(move |req, n| match files.get(&req.path) {
        Some(bytes) => special(req, n, bytes).unwrap_or_else(|| server::file(req, bytes)),
        None => Reply::Full(404, vec![], b"not found".to_vec()),
    })
}

/// A copy of the config whose chosen responses are fetched from the server.
struct Setup {
    tmp: tempfile::TempDir,
    config: PathBuf,
}

impl Setup {
    fn new(server: &Server, srcs: &[Src], over_http: impl Fn(&Src) -> bool) -> Setup {
        let tmp = tempfile::tempdir().expect("tmp");
        let config = copy_config(tmp.path());
        let responses = config.join("campaigns").join(CAMPAIGN).join("responses");
        for s in srcs.iter().filter(|s| over_http(s)) {
            let file = responses.join(format!("{}.toml", s.key));
            let text = std::fs::read_to_string(&file).expect("read toml");
            let from = format!("source = {{ path = \"{}\" }}", s.rel);
            let to = format!("source = {{ url = \"{}\" }}", server.url(&s.path));
            assert!(text.contains(&from), "{}: no {from}", file.display());
            std::fs::write(&file, text.replace(&from, &to)).expect("write toml");
        }
        Setup { tmp, config }
    }

    fn cache(&self) -> PathBuf {
        self.tmp.path().join("cache")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = foi(self.tmp.path());
        c.arg("--config-dir")
            .arg(&self.config)
            .args(args)
            .arg("fetch");
        c
    }

    /// Runs `foi [args] fetch` to the end.
    fn fetch(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("foi runs");
        Run {
            code: out.status.code(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `foi <args>` (the subcommand among them) to the end.
    fn foi(&self, args: &[&str]) -> Run {
        let out = foi(self.tmp.path())
            .arg("--config-dir")
            .arg(&self.config)
            .args(args)
            .output()
            .expect("foi runs");
        Run {
            code: out.status.code(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn manifest(&self, key: &str) -> Option<Manifest> {
        foi_ingest::read_manifest(&self.cache(), CAMPAIGN, key).expect("manifest readable")
    }

    /// The files under cache/raw/<aa>/ (final names), after checking that
    /// each one's bytes hash to its name, and the temporary files in
    /// cache/raw/ with their sizes.
    fn raw(&self) -> (BTreeSet<String>, Vec<(String, u64)>) {
        let raw = self.cache().join("raw");
        let (mut finals, mut temps) = (BTreeSet::new(), Vec::new());
        for e in std::fs::read_dir(&raw).into_iter().flatten() {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                for f in std::fs::read_dir(e.path()).expect("prefix dir") {
                    let f = f.expect("entry");
                    let sha = f.file_name().to_string_lossy().into_owned();
                    let bytes = std::fs::read(f.path()).expect("raw file");
                    assert_eq!(server::sha256(&bytes), sha, "{}", f.path().display());
                    assert_eq!(sha[..2], name, "{}", f.path().display());
                    finals.insert(sha);
                }
            } else {
                assert!(name.starts_with(".tmp-"), "unexpected {name} in cache/raw");
                // (It may have just been renamed, by a run still going.)
                if let Ok(md) = e.metadata() {
                    temps.push((name, md.len()));
                }
            }
        }
        (finals, temps)
    }
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

impl Run {
    /// The lines that start with `prefix` ("warning: ", "error: ").
    fn lines(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    /// The summary line.
    fn summary(&self) -> &str {
        let found = self.lines("fetched ");
        assert_eq!(found.len(), 1, "{}", self.stderr);
        found[0]
    }

    /// The JSON log events (with `--log-format json`).
    fn events(&self) -> Vec<serde_json::Value> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

fn shas(srcs: &[Src], except: &[&str]) -> BTreeSet<String> {
    srcs.iter()
        .filter(|s| !except.contains(&s.path.as_str()))
        .map(|s| server::sha256(&s.bytes))
        .collect()
}

// ------------------------------------------------------------- the tests

#[test]
fn all_sources_are_fetched_at_once() {
    const DELAY: Duration = Duration::from_millis(400);
    let srcs = sources();
    let server = serve(&srcs, |req, _, bytes| {
        Some(Reply::Delayed(DELAY, Box::new(server::file(req, bytes))))
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    let started = Instant::now();
    let run = setup.fetch(&["--per-host", "64", "--concurrency", "64"]);
    let wall = started.elapsed();

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let n = srcs.len();
    assert_eq!(
        run.summary(),
        format!("fetched {n} of {n} sources ({n} downloaded); complete")
    );
    // Every request was being answered at the same time...
    assert_eq!(server.max_in_flight(), n);
    // ...so the run took about as long as one source, not all of them.
    let sum = DELAY * n as u32;
    eprintln!(
        "concurrency: {n} sources delayed {DELAY:?} each (sum {sum:?}) fetched in {wall:?}: {:.2} of the sum",
        wall.as_secs_f64() / sum.as_secs_f64()
    );
    assert!(wall < sum.mul_f64(0.6), "{wall:?} for a sum of {sum:?}");
}

#[test]
fn downloads_are_bounded_per_host_and_overall() {
    let srcs = sources();
    for (args, bound) in [
        (&[][..], 2),                                         // the default per host
        (&["--per-host", "32", "--concurrency", "3"][..], 3), // overall
    ] {
        let server = serve(&srcs, |req, _, bytes| {
            let reply = server::file(req, bytes);
            Some(Reply::Delayed(Duration::from_millis(50), Box::new(reply)))
        });
        let setup = Setup::new(&server, &srcs, |_| true);

        let run = setup.fetch(args);

        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(server.log().len(), srcs.len());
        assert_eq!(server.max_in_flight(), bound, "{args:?}");
    }
}

#[test]
fn a_second_run_is_answered_with_304s_and_downloads_no_body() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();

    let first = setup.fetch(&[]);

    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(
        first.summary(),
        format!("fetched {n} of {n} sources ({n} downloaded); complete")
    );
    let (cached, temps) = setup.raw();
    assert_eq!(cached, shas(&srcs, &[]));
    assert!(temps.is_empty(), "{temps:?}");
    for s in &srcs {
        let m = setup.manifest(&s.key).expect("manifest");
        assert_eq!(m.source, server.url(&s.path));
        assert_eq!(m.final_url.as_deref(), Some(server.url(&s.path).as_str()));
        assert_eq!(m.http_status, Some(200));
        assert_eq!(m.etag, Some(server::etag(&s.bytes)));
        assert_eq!(m.sha256, server::sha256(&s.bytes));
        assert_eq!(m.size, s.bytes.len() as u64);
        assert_eq!(m.force.0, s.force);
        // A file may answer several requests (one response file each).
        let k = srcs.iter().filter(|t| t.path == s.path).count();
        let ex = server.exchanges(&s.path);
        assert_eq!(ex.len(), k, "{}", s.path);
        for e in &ex {
            assert_eq!((e.status, e.body_sent), (200, s.bytes.len() as u64));
            assert_eq!(e.req.header("if-none-match"), None);
        }
    }

    let second = setup.fetch(&[]);

    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert_eq!(
        second.summary(),
        format!("fetched {n} of {n} sources ({n} unchanged since the last fetch); complete")
    );
    for s in &srcs {
        let k = srcs.iter().filter(|t| t.path == s.path).count();
        let ex = server.exchanges(&s.path);
        assert_eq!(ex.len(), 2 * k, "{}", s.path);
        let etag = server::etag(&s.bytes);
        for e in &ex[k..] {
            assert_eq!(e.req.header("if-none-match"), Some(etag.as_str()));
            assert_eq!(
                e.req.header("if-modified-since"),
                Some("Mon, 03 Jul 2017 09:00:00 GMT")
            );
            assert_eq!((e.status, e.body_sent), (304, 0), "{}", s.path);
        }
        let m = setup.manifest(&s.key).expect("manifest");
        assert_eq!(m.http_status, Some(304));
        assert_eq!(m.sha256, server::sha256(&s.bytes));
    }
    assert_eq!(setup.raw().0, shas(&srcs, &[]));
    // Every request named foi and its version.
    let agent = format!("foi/{} (+", env!("CARGO_PKG_VERSION"));
    for e in server.log() {
        let ua = e.req.header("user-agent").unwrap_or_default();
        assert!(ua.starts_with(&agent), "{ua:?}");
    }
}

#[test]
fn a_500_then_200_recovers() {
    let srcs = sources();
    let server = serve(&srcs, |req, n, _| {
        (req.path == KENT && n == 0).then(|| Reply::Full(500, vec![], b"oops".to_vec()))
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    let run = setup.fetch(QUICK);

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let statuses: Vec<u16> = server.exchanges(KENT).iter().map(|e| e.status).collect();
    assert_eq!(statuses, [500, 200]);
    let m = setup.manifest("kent").expect("manifest");
    assert_eq!((m.attempts, m.http_status), (2, Some(200)));
    assert_eq!(m.sha256, server::sha256(&src(&srcs, KENT).bytes));
    assert_eq!(setup.raw().0, shas(&srcs, &[]));
}

#[test]
fn a_429_waits_as_retry_after_says() {
    let srcs = sources();
    let server = serve(&srcs, |req, n, _| {
        (req.path == KENT && n == 0)
            .then(|| Reply::Full(429, vec![("Retry-After", "1".into())], vec![]))
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    // No backoff at all: only Retry-After can make foi wait.
    let run = setup.fetch(&["--backoff-ms", "0", "--log-format", "json"]);

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let ex = server.exchanges(KENT);
    let statuses: Vec<u16> = ex.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [429, 200]);
    let retries: Vec<(String, u64)> = run
        .events()
        .iter()
        .filter(|e| e["fields"]["message"] == "retrying")
        .map(|e| {
            let key = e["span"]["key"].as_str().unwrap_or_default().to_string();
            (key, e["fields"]["delay_ms"].as_u64().unwrap_or_default())
        })
        .collect();
    assert_eq!(retries, [("kent".to_string(), 1000)]);
    assert_eq!(setup.manifest("kent").expect("manifest").attempts, 2);
}

#[test]
fn a_stalled_response_times_out_is_retried_then_reported() {
    let srcs = sources();
    let kent_len = src(&srcs, KENT).bytes.len() as u64;
    let half = kent_len / 2;
    let server = serve(&srcs, move |req, _, bytes| match req.path.as_str() {
        // Half the body, then nothing.
        KENT => Some(Reply::Stall {
            declared: bytes.len() as u64,
            body: bytes[..half as usize].to_vec(),
        }),
        // Not even a status line.
        MET => Some(Reply::Silent),
        _ => None,
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    let run = setup.fetch(&[QUICK, &["--fetch-timeout", "0.5"]].concat());

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.lines("error: "),
        [
            format!(
                "error: kent, {}: the download stalled: nothing for 500ms after {half} bytes (read timeout) (after 2 attempts)",
                server.url(KENT)
            ),
            format!(
                "error: metropolitan, {}: the server sent nothing for 500ms (read timeout) (after 2 attempts)",
                server.url(MET)
            ),
        ]
    );
    let n = srcs.len();
    assert_eq!(
        run.summary(),
        format!(
            "fetched {} of {n} sources ({} downloaded); 2 failed; incomplete",
            n - 2,
            n - 2
        )
    );
    for path in [KENT, MET] {
        assert_eq!(server.exchanges(path).len(), 2, "{path}");
    }
    assert_eq!(setup.manifest("kent"), None);
    assert_eq!(setup.manifest("metropolitan"), None);
    let (cached, temps) = setup.raw();
    assert_eq!(cached, shas(&srcs, &[KENT, MET]));
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn a_truncated_body_never_enters_the_cache() {
    let srcs = sources();
    let server = serve(&srcs, |req, _, bytes| {
        (req.path == KENT).then(|| Reply::Short {
            declared: bytes.len() as u64,
            body: bytes[..bytes.len() / 2].to_vec(),
        })
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let len = src(&srcs, KENT).bytes.len();

    let run = setup.fetch(&["--retries", "2", "--backoff-ms", "10"]);

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.lines("error: "),
        [format!(
            "error: kent, {}: the server promised {len} bytes but sent only {}; the partial download was discarded (after 3 attempts)",
            server.url(KENT),
            len / 2
        )]
    );
    assert_eq!(server.exchanges(KENT).len(), 3);
    assert_eq!(setup.manifest("kent"), None);
    let (cached, temps) = setup.raw();
    assert_eq!(cached, shas(&srcs, &[KENT]));
    assert!(temps.is_empty(), "{temps:?}");
}

const PAGE: &[u8] = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>Please sign in to view this document</form></body></html>\n";

fn sign_in_page() -> Reply {
    Reply::Full(
        200,
        vec![("Content-Type", "text/html; charset=utf-8".into())],
        PAGE.to_vec(),
    )
}

/// The value of one figure in out/latest/national.csv.
fn national(setup: &Setup, figure: &str) -> String {
    read_csv(&setup.tmp.path().join("out/latest/national.csv"))
        .into_iter()
        .find(|r| r["figure_id"] == figure)
        .map(|r| r["value"].clone())
        .unwrap_or_else(|| panic!("no figure {figure}"))
}

#[test]
fn an_html_page_sent_with_200_never_replaces_the_last_good_copy() {
    let srcs = sources();
    let broken = Arc::new(AtomicBool::new(false));
    let b = broken.clone();
    let server = serve(&srcs, move |req, _, _| {
        (req.path == KENT && b.load(Ordering::SeqCst)).then(sign_in_page)
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();
    let first = setup.fetch(&[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let good = setup.manifest("kent").expect("manifest");

    broken.store(true, Ordering::SeqCst);
    let run = setup.fetch(&[]);

    // Reported as a stale source, exactly as an HTTP error is.
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let kept = setup
        .cache()
        .join("rejected")
        .join(CAMPAIGN)
        .join("kent")
        .join(format!("{}.html", server::sha256(PAGE)));
    assert_eq!(
        run.lines("warning: "),
        [format!(
            "warning: kent, {}: the server sent an HTML page (an error or login page?), not a spreadsheet; it was kept aside in the cache as rejected/{CAMPAIGN}/kent/{}.html; using the last good copy, fetched {}",
            server.url(KENT),
            server::sha256(PAGE),
            good.fetched_at
        )]
    );
    assert_eq!(run.lines("error: "), Vec::<&str>::new());
    assert_eq!(
        run.summary(),
        format!(
            "fetched {} of {n} sources ({} unchanged since the last fetch); 1 stale (last good copy kept); complete with warnings",
            n - 1,
            n - 1
        )
    );
    // The manifest still points at the good copy, says it is stale and
    // why, and where the page is.
    let m = setup.manifest("kent").expect("manifest");
    assert!(m.stale);
    assert_eq!(
        (m.sha256.as_str(), m.format),
        (good.sha256.as_str(), foi_model::Format::Xlsx)
    );
    let r = m.rejected.expect("rejected body recorded");
    assert_eq!(r.path, kept);
    assert_eq!(r.format, foi_model::Format::Html);
    assert_eq!(r.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(std::fs::read(&kept).expect("kept aside"), PAGE);
    assert_eq!(setup.raw().0, shas(&srcs, &[]));

    // In the JSON log, the warning is data: its kind, force and source.
    let json = setup.fetch(&["--log-format", "json"]);
    let warned: Vec<(String, String, String)> = json
        .events()
        .iter()
        .filter(|e| e["level"] == "WARN")
        .map(|e| {
            let f = |k: &str| e["fields"][k].as_str().unwrap_or_default().to_string();
            (f("kind"), f("force"), f("file"))
        })
        .collect();
    assert_eq!(
        warned,
        [(
            "stale_source".to_string(),
            "kent".to_string(),
            server.url(KENT)
        )]
    );

    // The whole run publishes the national figure with Kent in it.
    let out = setup.foi(&["run"]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert_eq!(national(&setup, "ye-jun-2016/total"), "3903");

    // --strict turns the warning into a failure.
    let strict = setup.fetch(&["--strict"]);
    assert_eq!(strict.code, Some(1), "{}", strict.stderr);
    assert_eq!(strict.lines("warning: ").len(), 1, "{}", strict.stderr);
}

#[test]
fn an_html_page_with_no_good_copy_to_fall_back_on_fails_the_source() {
    let srcs = sources();
    let server = serve(&srcs, |req, _, _| (req.path == KENT).then(sign_in_page));
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();

    let run = setup.fetch(&[]);

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let kept = setup.cache().join(format!(
        "rejected/{CAMPAIGN}/kent/{}.html",
        server::sha256(PAGE)
    ));
    assert_eq!(
        run.lines("error: "),
        [format!(
            "error: kent, {}: the server sent an HTML page (an error or login page?), not a spreadsheet; it was kept aside in the cache as rejected/{CAMPAIGN}/kent/{}.html",
            server.url(KENT),
            server::sha256(PAGE)
        )]
    );
    assert_eq!(
        run.summary(),
        format!(
            "fetched {} of {n} sources ({} downloaded); 1 failed; incomplete",
            n - 1,
            n - 1
        )
    );
    assert_eq!(setup.manifest("kent"), None);
    assert_eq!(std::fs::read(&kept).expect("kept aside"), PAGE);
    assert_eq!(setup.raw().0, shas(&srcs, &[KENT]));
}

#[test]
fn an_openpyxl_workbook_over_1_mb_is_sniffed_as_xlsx_and_read_by_the_build() {
    const AVON: &str = "/avon-and-somerset/AS-FOI-0412-17.xlsx";
    let book = std::fs::read(root().join("fixtures/writers/openpyxl-big.xlsx")).expect("fixture");
    assert!(book.len() > 1_000_000, "{} bytes", book.len());
    let srcs = sources();
    assert!(srcs.iter().any(|s| s.path == AVON));
    // As generated (rust_xlsxwriter, Excel's layout), then as openpyxl
    // wrote the same rows and 61,739 older ones.
    let baseline = {
        let server = serve(&srcs, |_, _, _| None);
        let setup = Setup::new(&server, &srcs, |_| true);
        let run = setup.foi(&["run"]);
        assert!(matches!(run.code, Some(0 | 3)), "{}", run.stderr);
        std::fs::read_to_string(setup.tmp.path().join("out/latest/national.csv")).expect("national")
    };
    let body = book.clone();
    let server = serve(&srcs, move |req, _, _| {
        (req.path == AVON).then(|| server::file(req, &body))
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    let run = setup.foi(&["--max-bytes", "5000000", "run"]);

    assert!(matches!(run.code, Some(0 | 3)), "{}", run.stderr);
    assert!(!run.stderr.contains("not a spreadsheet"), "{}", run.stderr);
    assert!(!run.stderr.contains("avon-and-somerset"), "{}", run.stderr);
    let m = setup.manifest("avon-and-somerset").expect("manifest");
    assert_eq!(m.format, foi_model::Format::Xlsx);
    assert_eq!(m.sha256, server::sha256(&book));
    let national_csv = std::fs::read_to_string(setup.tmp.path().join("out/latest/national.csv"))
        .expect("national");
    assert_eq!(national_csv, baseline);
    assert_eq!(national(&setup, "ye-jun-2016/total"), "3903");
    // And the figures come from that file: its sha256 is on the lineage.
    let records = read_csv(&setup.tmp.path().join("out/latest/records.csv"));
    let avon: Vec<&Row> = records
        .iter()
        .filter(|r| r["force_id"] == "avon-and-somerset")
        .collect();
    assert!(!avon.is_empty());
    assert!(
        avon.iter().all(|r| r["source_sha256"] == m.sha256),
        "{:?}",
        avon[0]
    );
}

/// Flips one byte in the middle of a cached copy.
fn damage(setup: &Setup, sha256: &str) {
    let path = foi_ingest::raw_path(&setup.cache(), sha256);
    let bytes = std::fs::read(&path).expect("cached copy");
    std::fs::write(&path, flipped(&bytes)).expect("damage");
}

fn flipped(bytes: &[u8]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    bytes
}

/// The sha256 of a copy [`damage`]d.
fn damaged_sha(bytes: &[u8]) -> String {
    server::sha256(&flipped(bytes))
}

/// The raw cache's copies, by name, whose bytes hash to their name, and
/// those that do not.
fn intact(setup: &Setup) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut good, mut bad) = (BTreeSet::new(), BTreeSet::new());
    for dir in std::fs::read_dir(setup.cache().join("raw"))
        .expect("raw")
        .flatten()
    {
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).expect("prefix").flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(f.path()).expect("copy");
            if server::sha256(&bytes) == name {
                good.insert(name);
            } else {
                bad.insert(name);
            }
        }
    }
    (good, bad)
}

#[test]
fn a_damaged_copy_is_repaired_by_the_next_fetch_never_confirmed_by_a_304() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();
    let first = setup.fetch(&[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let sha = server::sha256(&src(&srcs, KENT).bytes);
    damage(&setup, &sha);
    // The build refuses to read it...
    let build = setup.foi(&["build"]);
    assert!(
        build.stderr.contains("the file is damaged"),
        "{}",
        build.stderr
    );
    // ...which moved it aside; damaged once more in place, as a disk that
    // goes on failing would.
    assert!(!foi_ingest::raw_path(&setup.cache(), &sha).exists());
    let again = setup.fetch(&[]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    damage(&setup, &sha);
    let before = server.exchanges(KENT).len();

    let run = setup.fetch(&[]);

    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(
        run.lines("warning: "),
        [format!(
            "warning: kent, {}: the cached copy {sha} is damaged (its bytes hash to {}); moved to {}; fetching it again",
            server.url(KENT),
            damaged_sha(&src(&srcs, KENT).bytes),
            setup.cache().join("damaged").join(&sha).display()
        )]
    );
    // Asked for without a validator, and sent whole.
    let ex = &server.exchanges(KENT)[before..];
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].req.header("if-none-match"), None);
    assert_eq!(ex[0].status, 200);
    assert_eq!(
        run.summary(),
        format!(
            "fetched {n} of {n} sources (1 downloaded, {} unchanged since the last fetch); complete with warnings",
            n - 1
        )
    );
    assert_eq!(intact(&setup), (shas(&srcs, &[]), BTreeSet::new()));
    let build = setup.foi(&["build"]);
    assert!(!build.stderr.contains("damaged"), "{}", build.stderr);
}

#[test]
fn a_damaged_copy_is_replaced_when_the_same_bytes_come_again_with_200() {
    let srcs = sources();
    // Kent's server sends no validators: every fetch is a full 200.
    let server = serve(&srcs, |req, _, bytes| {
        (req.path == KENT).then(|| Reply::Full(200, vec![], bytes.to_vec()))
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let first = setup.fetch(&[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let sha = server::sha256(&src(&srcs, KENT).bytes);
    damage(&setup, &sha);

    let run = setup.fetch(&[]);

    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(run.lines("warning: ").len(), 1, "{}", run.stderr);
    assert_eq!(
        server
            .exchanges(KENT)
            .iter()
            .map(|e| e.status)
            .collect::<Vec<_>>(),
        [200, 200]
    );
    assert_eq!(intact(&setup), (shas(&srcs, &[]), BTreeSet::new()));
    assert_eq!(setup.manifest("kent").expect("manifest").sha256, sha);
}

#[test]
fn fetch_verify_hashes_every_copy_and_fetches_the_damaged_ones_again() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    // Local files, as the bundled campaign has them: an unchanged file is
    // known by its size and time alone, so only --verify looks at its copy.
    let setup = Setup::new(&server, &srcs, |_| false);
    let n = srcs.len();
    let first = setup.fetch(&[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let copies = shas(&srcs, &[]).len();
    let clean = setup.fetch(&["--verify"]);
    assert_eq!(clean.code, Some(0), "{}", clean.stderr);
    assert!(
        clean.stderr.lines().any(
            |l| l.starts_with(&format!("verified {copies} cached copies ("))
                && l.ends_with("): all intact")
        ),
        "{}",
        clean.stderr
    );
    let sha = server::sha256(&src(&srcs, KENT).bytes);
    damage(&setup, &sha);
    let plain = setup.fetch(&[]);
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert_eq!(intact(&setup).1, BTreeSet::from([sha.clone()]));

    let run = setup.fetch(&["--verify"]);

    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let kent = src(&srcs, KENT);
    assert_eq!(
        run.lines("warning: "),
        [format!(
            "warning: kent, {}: the cached copy {sha} is damaged (its bytes hash to {}); moved to {}; the source is fetched again",
            kent.rel,
            damaged_sha(&kent.bytes),
            setup.cache().join("damaged").join(&sha).display()
        )]
    );
    assert!(
        run.stderr.lines().any(
            |l| l.starts_with(&format!("verified {copies} cached copies ("))
                && l.ends_with(&format!(
                    "): 1 damaged, moved to {} and fetched again",
                    setup.cache().join("damaged").display()
                ))
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.summary(),
        format!("fetched {n} of {n} sources ({n} local); complete with warnings")
    );
    assert_eq!(intact(&setup), (shas(&srcs, &[]), BTreeSet::new()));
}

#[test]
fn a_body_above_the_size_cap_is_stopped_before_it_is_all_read() {
    const TOTAL: u64 = 64 << 20;
    let srcs = sources();
    let server = serve(&srcs, |req, _, _| match req.path.as_str() {
        // No Content-Length: stopped while streaming.
        KENT => Some(Reply::Stream {
            total: TOTAL,
            declare: false,
        }),
        // Declared too large: stopped at the headers.
        MET => Some(Reply::Stream {
            total: TOTAL,
            declare: true,
        }),
        _ => None,
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();

    let run = setup.fetch(&[QUICK, &["--max-bytes", "100000"]].concat());

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let too_large = |key: &str, path: &str| {
        format!(
            "error: {key}, {}: the file is larger than the 100000-byte limit, so the download was stopped",
            server.url(path)
        )
    };
    assert_eq!(
        run.lines("error: "),
        [too_large("kent", KENT), too_large("metropolitan", MET)]
    );
    assert_eq!(
        run.summary(),
        format!(
            "fetched {} of {n} sources ({} downloaded); 2 failed; incomplete",
            n - 2,
            n - 2
        )
    );
    for path in [KENT, MET] {
        // Not retried (the file will not shrink), and cut off: the server
        // could not send it all.
        let ex = server.settled(path);
        assert_eq!(ex.len(), 1, "{path}");
        assert!(ex[0].done, "{path}");
        assert!(ex[0].body_sent < TOTAL, "{path}: {} sent", ex[0].body_sent);
    }
    assert_eq!(setup.manifest("kent"), None);
    assert_eq!(setup.manifest("metropolitan"), None);
    let (cached, temps) = setup.raw();
    assert_eq!(cached, shas(&srcs, &[KENT, MET]));
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn a_redirect_loop_ends_with_an_error() {
    let srcs = sources();
    let here = server::encode_path(KENT);
    let server = serve(&srcs, move |req, _, _| {
        (req.path == KENT).then(|| Reply::Full(302, vec![("Location", here.clone())], vec![]))
    });
    let setup = Setup::new(&server, &srcs, |_| true);

    let run = setup.fetch(QUICK);

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let url = server.url(KENT);
    assert_eq!(
        run.lines("error: "),
        [format!(
            "error: kent, {url}: more than 5 redirects (last to {url})"
        )]
    );
    // The first request and 5 redirects followed; a loop is not retried.
    assert_eq!(server.exchanges(KENT).len(), 6);
    assert_eq!(setup.manifest("kent"), None);
}

#[test]
fn a_failed_source_keeps_its_last_good_copy_and_is_reported_stale() {
    let srcs = sources();
    let broken = Arc::new(AtomicBool::new(false));
    let b = broken.clone();
    let server = serve(&srcs, move |req, _, _| {
        (req.path == KENT && b.load(Ordering::SeqCst))
            .then(|| Reply::Full(503, vec![], b"down for maintenance".to_vec()))
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let n = srcs.len();
    let first = setup.fetch(QUICK);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let good = setup.manifest("kent").expect("manifest");

    broken.store(true, Ordering::SeqCst);
    let run = setup.fetch(QUICK);

    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let error = format!(
        "kent: {}: the server answered 503 Service Unavailable (after 2 attempts)",
        server.url(KENT)
    );
    assert_eq!(
        run.lines("warning: "),
        [format!(
            "warning: kent, {}: the server answered 503 Service Unavailable (after 2 attempts); using the last good copy, fetched {}",
            server.url(KENT),
            good.fetched_at
        )]
    );
    assert_eq!(run.lines("error: "), Vec::<&str>::new());
    assert_eq!(
        run.summary(),
        format!(
            "fetched {} of {n} sources ({} unchanged since the last fetch); 1 stale (last good copy kept); complete with warnings",
            n - 1,
            n - 1
        )
    );
    let m = setup.manifest("kent").expect("stale manifest");
    assert!(m.stale);
    assert_eq!(m.error.as_deref(), Some(error.as_str()));
    assert_eq!((m.sha256.as_str(), m.attempts), (good.sha256.as_str(), 2));
    assert_eq!(
        foi_ingest::read_raw(&setup.cache(), &m.sha256).expect("copy kept"),
        src(&srcs, KENT).bytes
    );
    assert_eq!(setup.raw().0, shas(&srcs, &[]));

    let strict = setup.fetch(&[QUICK, &["--strict"]].concat());
    assert_eq!(strict.code, Some(1), "{}", strict.stderr);
}

#[test]
fn a_run_killed_mid_download_leaves_no_partial_file_under_a_final_name() {
    const BIG: u64 = 4 << 20;
    let srcs = sources();
    let healthy = Arc::new(AtomicBool::new(false));
    let h = healthy.clone();
    let server = serve(&srcs, move |req, _, _| {
        (req.path == KENT && !h.load(Ordering::SeqCst)).then(|| Reply::Stall {
            declared: BIG,
            body: vec![b'z'; (BIG / 2) as usize],
        })
    });
    let setup = Setup::new(&server, &srcs, |_| true);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("foi"))
        .current_dir(root())
        .arg("--config-dir")
        .arg(&setup.config)
        .arg("--cache-dir")
        .arg(setup.cache())
        .arg("fetch")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("foi starts");

    // Wait until (nearly all of) the half body is on disk.
    let deadline = Instant::now() + Duration::from_secs(20);
    let partial = loop {
        let (_, temps) = setup.raw();
        if let Some(t) = temps.iter().find(|(_, size)| *size >= BIG / 2 - 64 * 1024) {
            break t.clone();
        }
        assert!(Instant::now() < deadline, "no partial download: {temps:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    // Every file under a final name is whole (raw() checks each hash), the
    // partial one is only under its temporary name, and kent has no manifest.
    let (cached, temps) = setup.raw();
    assert!(
        temps.iter().any(|(name, _)| *name == partial.0),
        "{temps:?}"
    );
    assert!(!cached.contains(&server::sha256(&vec![b'z'; (BIG / 2) as usize])));
    assert_eq!(setup.manifest("kent"), None);
    for s in &srcs {
        if let Some(m) = setup.manifest(&s.key) {
            assert_eq!(m.sha256, server::sha256(&s.bytes), "{}", s.key);
            assert!(cached.contains(&m.sha256), "{}", s.key);
        }
    }

    // The next run fetches it whole and clears the leftover.
    healthy.store(true, Ordering::SeqCst);
    let run = setup.fetch(QUICK);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let m = setup.manifest("kent").expect("manifest");
    assert_eq!(m.sha256, server::sha256(&src(&srcs, KENT).bytes));
    let (cached, temps) = setup.raw();
    assert_eq!(cached, shas(&srcs, &[]));
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn each_source_is_fetched_in_its_own_tracing_span() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    let setup = Setup::new(&server, &srcs, |_| true);

    let out = setup
        .command(&["--log-format", "json"])
        .env("RUST_LOG", "foi_ingest=info")
        .output()
        .expect("foi runs");
    let run = Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let spans: BTreeSet<(String, String)> = run
        .events()
        .iter()
        .filter(|e| e["fields"]["message"] == "fetched" && e["span"]["name"] == "fetch")
        .map(|e| {
            assert_eq!(e["fields"]["ok"], true, "{e}");
            let field = |f: &str| e["span"][f].as_str().unwrap_or_default().to_string();
            (field("force"), field("key"))
        })
        .collect();
    let want: BTreeSet<(String, String)> = srcs
        .iter()
        .map(|s| (s.force.clone(), s.key.clone()))
        .collect();
    assert_eq!(spans, want);
}

#[test]
fn urls_and_local_paths_mix_and_no_progress_bar_off_a_terminal() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    let over_http = |s: &Src| s.key.as_str() < "k";
    let setup = Setup::new(&server, &srcs, over_http);
    let remote = srcs.iter().filter(|s| over_http(s)).count();
    assert!(remote > 0 && remote < srcs.len());

    let run = setup.fetch(&[]);

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.summary(),
        format!(
            "fetched {0} of {0} sources ({remote} downloaded, {1} local); complete",
            srcs.len(),
            srcs.len() - remote
        )
    );
    for s in &srcs {
        let m = setup.manifest(&s.key).expect("manifest");
        assert_eq!(m.sha256, server::sha256(&s.bytes), "{}", s.key);
        if over_http(s) {
            assert_eq!(m.source, server.url(&s.path));
            assert_eq!(m.http_status, Some(200));
            assert_eq!(server.exchanges(&s.path).len(), 1);
        } else {
            assert_eq!(m.source, s.rel);
            assert_eq!(m.http_status, None);
            assert!(server.exchanges(&s.path).is_empty());
        }
    }
    // stderr is a pipe here: no bar, no cursor movement, no colour.
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    assert!(!run.stderr.contains("fetching"), "{:?}", run.stderr);
}

/// Every small file in fixtures/writers (xlsx, ods, xls, csv and HTML from
/// openpyxl, pandas, odfpy, xlwt and LibreOffice) in place of Avon and
/// Somerset's reply: fetched, sniffed as what it is, and read by the build
/// into the same national figures. (The big openpyxl file has a test of its
/// own; the other big ones, 62,000 rows each, cost a minute in a debug
/// build, and are sniffed in crates/model/tests/sniff.rs.)
#[test]
fn every_small_writers_file_gives_the_same_national_figures() {
    let srcs = sources();
    let server = serve(&srcs, |_, _, _| None);
    let setup = Setup::new(&server, &srcs, |_| false);
    let base = setup.foi(&["run"]);
    assert!(matches!(base.code, Some(0 | 3)), "{}", base.stderr);
    let national_csv = || {
        std::fs::read_to_string(setup.tmp.path().join("out/latest/national.csv")).expect("national")
    };
    let baseline = national_csv();
    let toml = setup
        .config
        .join("campaigns")
        .join(CAMPAIGN)
        .join("responses/avon-and-somerset.toml");
    let original = std::fs::read_to_string(&toml).expect("toml");
    let dir = root().join("fixtures/writers");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/writers")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-small."))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12, "{files:?}");
    let mut wrong = Vec::new();
    for name in &files {
        let want = match name.rsplit('.').next() {
            Some("xlsx") => foi_model::Format::Xlsx,
            Some("ods") => foi_model::Format::Ods,
            Some("xls") => foi_model::Format::Xls,
            Some("csv") => foi_model::Format::Text { utf8: true },
            Some("html") => foi_model::Format::Html,
            _ => panic!("{name}"),
        };
        std::fs::write(
            &toml,
            original.replace(
                "fixtures/nspcc/avon-and-somerset/AS-FOI-0412-17.xlsx",
                &format!("fixtures/writers/{name}"),
            ),
        )
        .expect("toml");
        let run = setup.foi(&["run"]);
        let m = setup.manifest("avon-and-somerset").expect("manifest");
        if !matches!(run.code, Some(0 | 3)) || m.format != want || national_csv() != baseline {
            wrong.push(format!(
                "{name}: exit {:?}, sniffed as {}, national.csv {}\n{}",
                run.code,
                m.format,
                if national_csv() == baseline {
                    "the same"
                } else {
                    "differs"
                },
                run.stderr
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
