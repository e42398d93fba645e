//! Crash consistency: `foi run` over a campaign served on loopback, killed
//! with SIGKILL at random moments (while it fetches, normalises, writes
//! the release or renames it into place). After each kill:
//!
//! - `out/latest` is the release it was before, byte for byte, or a new
//!   whole release (every file its manifest lists, with that sha256);
//! - every copy in the cache has the bytes its name (sha256) says, every
//!   manifest and normalised entry under a final name parses;
//! - the next run completes (exit 0) and publishes, and afterwards no
//!   temporary file of the killed run is left anywhere.
//!
//! `cargo test` kills a few runs; `just crash-test N` kills N (release
//! build). `FOI_CRASH_SEED` repeats a sequence of moments.

use crate::server::{self, Server};
use crate::*;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CAMPAIGN: &str = "nspcc-online-csa";

/// A small deterministic generator (xorshift64*): no crate needed, and a
/// seed repeats a run's moments exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Every response's source served from `fixtures/` over loopback; the
/// Sussex CSV (text) comes with or without a final blank line in turn,
/// so each run that gets through has a source that changed to fetch and a
/// release to publish.
struct Campaign {
    tmp: tempfile::TempDir,
    config: PathBuf,
    _server: Server,
}

fn serve_all() -> Campaign {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let responses = config.join("campaigns").join(CAMPAIGN).join("responses");
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut rewrites = Vec::new();
    for e in std::fs::read_dir(&responses).expect("responses") {
        let path = e.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("response");
        let Some(start) = text.find("source = { path = \"") else {
            continue;
        };
        let rest = &text[start + "source = { path = \"".len()..];
        let rel = rest[..rest.find('"').expect("closing quote")].to_string();
        files.insert(
            format!("/{rel}"),
            std::fs::read(root().join(&rel)).expect("fixture"),
        );
        rewrites.push((path, text, rel));
    }
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    let server = Server::start(move |req, _| {
        let Some(bytes) = files.get(&req.path) else {
            return server::Reply::Full(404, vec![], b"not found".to_vec());
        };
        let mut bytes = bytes.clone();
        if req.path.ends_with(".csv") && req.path.contains("sussex") {
            // Alternates per fetch of it, whatever the client holds.
            if count.fetch_add(1, Ordering::SeqCst) % 2 == 1 {
                bytes.extend_from_slice(b"\n");
            }
        }
        server::file(req, &bytes)
    });
    for (path, text, rel) in rewrites {
        let from = format!("source = {{ path = \"{rel}\" }}");
        let to = format!(
            "source = {{ url = \"{}\" }}",
            server.url(&format!("/{rel}"))
        );
        std::fs::write(&path, text.replace(&from, &to)).expect("rewrite");
    }
    Campaign {
        tmp,
        config,
        _server: server,
    }
}

impl Campaign {
    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("foi"));
        c.current_dir(self.dir())
            .args(["--retries", "0", "--backoff-ms", "1", "run"]);
        c
    }

    /// A comment with the run's number in campaign.toml: every response is
    /// normalised again (the campaign's config is in each cache key), so
    /// kills land in normalising too.
    fn touch_config(&self, n: usize) {
        let file = self
            .config
            .join("campaigns")
            .join(CAMPAIGN)
            .join("campaign.toml");
        let text = std::fs::read_to_string(&file).expect("campaign.toml");
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("# crash-test run"))
            .collect();
        std::fs::write(
            &file,
            format!("# crash-test run {n}\n{}\n", kept.join("\n")),
        )
        .expect("write");
    }

    fn latest(&self) -> Option<String> {
        std::fs::read_link(self.dir().join("out/latest"))
            .ok()
            .map(|t| t.to_string_lossy().into_owned())
    }

    /// Every file of a release, by name.
    fn release(&self, link: &str) -> BTreeMap<String, Vec<u8>> {
        let dir = self.dir().join("out").join(link);
        std::fs::read_dir(&dir)
            .expect("release folder")
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("release file"),
                )
            })
            .collect()
    }
}

/// The release holds every file its manifest lists, with that size and sha256.
fn assert_whole(files: &BTreeMap<String, Vec<u8>>, when: &str) {
    let manifest: serde_json::Value =
        serde_json::from_slice(files.get("manifest.json").expect("manifest.json"))
            .unwrap_or_else(|e| panic!("{when}: manifest.json: {e}"));
    let outputs = manifest["outputs"].as_array().expect("outputs");
    assert!(!outputs.is_empty(), "{when}");
    for o in outputs {
        let name = o["name"].as_str().expect("name");
        let bytes = files
            .get(name)
            .unwrap_or_else(|| panic!("{when}: {name} missing from the release"));
        assert_eq!(o["bytes"], bytes.len(), "{when}: {name}");
        assert_eq!(o["sha256"], server::sha256(bytes), "{when}: {name}");
    }
    assert_eq!(files.len(), outputs.len() + 1, "{when}: stray files");
}

/// Every copy in cache/raw has the bytes its name says; every manifest and
/// normalised entry under a final name parses. Returns the temporary files
/// found (a killed run may leave them; the next run must sweep them).
fn check_cache(cache: &Path, when: &str) -> Vec<PathBuf> {
    let mut temps = Vec::new();
    let raw = cache.join("raw");
    for e in std::fs::read_dir(&raw).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            for f in std::fs::read_dir(&p).expect("raw prefix").flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                let bytes = std::fs::read(f.path()).expect("raw copy");
                assert_eq!(
                    server::sha256(&bytes),
                    name,
                    "{when}: {}",
                    f.path().display()
                );
            }
        } else {
            temps.push(p);
        }
    }
    for sub in [
        cache.join("sources").join(CAMPAIGN),
        cache.join("normalised").join(CAMPAIGN),
    ] {
        for e in std::fs::read_dir(&sub).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                temps.push(e.path());
                continue;
            }
            let bytes = std::fs::read(e.path()).expect("cache entry");
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_else(|err| {
                panic!("{when}: {} does not parse: {err}", e.path().display())
            });
        }
    }
    temps
}

/// Staging folders and half-made links a killed run leaves in out/.
fn out_leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".staging-") || n.starts_with(".latest-"))
        .collect()
}

/// What the killed run's stderr shows it had reached.
fn phase(stderr: &str) -> &'static str {
    if stderr.contains("published release") {
        "after publishing"
    } else if stderr.contains("reconciliation:") {
        "writing or renaming the release"
    } else if stderr.contains("normalised ") {
        "assembling"
    } else if stderr.contains("fetched ") {
        "normalising"
    } else {
        "fetching"
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_a_whole_release_and_a_true_cache() {
    let kills: usize = std::env::var("FOI_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("FOI_CRASH_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(99_540_737);
    let mut rng = Rng(seed | 1);
    let campaign = serve_all();
    let cache = campaign.dir().join("cache");
    let out = campaign.dir().join("out");

    // A first whole run, then one timed as each killed run will go (the
    // config touched, one source changed): kills are spread over as long.
    let first = campaign.cmd().output().expect("foi runs");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    campaign.touch_config(usize::MAX);
    let t0 = Instant::now();
    let timed = campaign.cmd().output().expect("foi runs");
    let span = t0.elapsed().as_millis() as u64;
    assert_eq!(timed.status.code(), Some(0));
    let mut phases: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut published_by_killed, mut swept) = (0, 0);
    for n in 0..kills {
        campaign.touch_config(n);
        let before = campaign.latest().expect("a release");
        let before_files = campaign.release(&before);
        let log = campaign.dir().join(format!("killed-{n}.log"));
        let mut child = campaign
            .cmd()
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("foi starts");
        let at = rng.below(span * 11 / 10);
        std::thread::sleep(Duration::from_millis(at));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let stderr = std::fs::read_to_string(&log).unwrap_or_default();
        let when = format!("kill {n} at {at} ms (seed {seed})");
        if status.signal() == Some(9) {
            *phases.entry(phase(&stderr)).or_default() += 1;
        } else {
            *phases.entry("after it ended").or_default() += 1;
        }

        // out/latest: the release before, untouched, or a new whole one.
        let now = campaign.latest().expect("out/latest");
        if now == before {
            assert_eq!(campaign.release(&now), before_files, "{when}");
        } else {
            assert_whole(&campaign.release(&now), &when);
            assert_eq!(
                std::fs::read_dir(out.join(&before))
                    .map(|rd| rd.count())
                    .ok(),
                Some(before_files.len()),
                "{when}: the previous release was changed"
            );
            published_by_killed += 1;
        }
        let temps = check_cache(&cache, &when);
        let leftovers = out_leftovers(&out);
        swept += temps.len() + leftovers.len();

        // The next run completes, publishes, and sweeps what was left.
        let next = campaign.cmd().output().expect("foi runs");
        assert_eq!(
            next.status.code(),
            Some(0),
            "{when}: the next run: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        let after = campaign.latest().expect("out/latest");
        assert_whole(&campaign.release(&after), &format!("{when}, next run"));
        let temps = check_cache(&cache, &format!("{when}, next run"));
        assert!(
            temps.is_empty(),
            "{when}: left after the next run: {temps:?}"
        );
        assert!(
            out_leftovers(&out).is_empty(),
            "{when}: {:?}",
            out_leftovers(&out)
        );
    }
    eprintln!(
        "crash test: {kills} kills over {span} ms runs (seed {seed}): {phases:?}; {published_by_killed} killed runs had already published; {swept} temporary files or folders swept by the next run"
    );
}
