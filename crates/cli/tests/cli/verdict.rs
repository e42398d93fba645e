//! Exit codes that explain themselves: every cause of exit 1 or 3 is
//! logged as it is found, listed in manifest.json and summed up in a
//! closing line; what the config declares is not a cause; a closed pipe
//! never stops a run; staleness reaches the release.

use crate::server::{self, Reply, Server};
use crate::*;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const CAMPAIGN: &str = "nspcc-online-csa";

fn manifest(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("out/latest/manifest.json")).expect("manifest.json");
    serde_json::from_slice(&bytes).expect("manifest parses")
}

fn latest(dir: &Path) -> String {
    std::fs::read_link(dir.join("out/latest"))
        .expect("out/latest")
        .to_string_lossy()
        .into_owned()
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn ran(c: &mut Command) -> Ran {
    let out = c.output().expect("foi runs");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_bundled_campaign_declares_every_deviation_and_exits_0() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = ran(foi(tmp.path()).arg("run"));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("3,903 offences"), "{}", run.stdout);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    let last = run.stderr.lines().last().expect("a closing line");
    assert!(
        last.starts_with("foi run complete (exit code 0) in "),
        "{last}"
    );
    assert!(
        last.ends_with(": 41 sources, 39 of 44 forces added, 58 figures, 0 warnings, 0 errors"),
        "{last}"
    );
    let m = manifest(tmp.path());
    assert_eq!(m["exit_code"], 0);
    assert_eq!(m["causes"], serde_json::json!([]));
    assert_eq!(m["summary"]["forces_added"], 39);
    assert_eq!(m["foi_build"].as_str().map(str::len), Some(64));
}

#[test]
fn a_closed_pipe_never_stops_a_run() {
    for format in ["text", "json"] {
        let tmp = tempfile::tempdir().expect("tmp");
        // stdout and stderr both into a pipe whose reader has gone, as
        // `foi run 2>&1 | head -0` leaves them.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("foi"))
            .current_dir(root())
            .args(["--cache-dir", &tmp.path().join("cache").to_string_lossy()])
            .args(["--out", &tmp.path().join("out").to_string_lossy()])
            .args(["--log-format", format, "run"])
            .stdout(Stdio::from(writer.try_clone().expect("clone")))
            .stderr(Stdio::from(writer))
            .status()
            .expect("foi runs");
        assert_eq!(status.code(), Some(0), "{format}");
        assert_eq!(manifest(tmp.path())["exit_code"], 0, "{format}");
        assert!(tmp.path().join("out/latest/national.csv").is_file());
    }
}

/// A copy of the config in `tmp` whose Kent response is fetched from
/// `server` (serving Kent's fixture), the rest read from files.
fn kent_over_http(tmp: &Path, server: &Server) -> PathBuf {
    let config = copy_config(tmp);
    let file = config
        .join("campaigns")
        .join(CAMPAIGN)
        .join("responses/kent.toml");
    let text = std::fs::read_to_string(&file).expect("kent.toml");
    let from = "source = { path = \"fixtures/nspcc/kent/FOI 17-0412 Response.xlsx\" }";
    let to = format!("source = {{ url = \"{}\" }}", server.url("/kent.xlsx"));
    assert!(text.contains(from));
    std::fs::write(&file, text.replace(from, &to)).expect("write");
    config
}

#[test]
fn a_stale_source_is_said_in_the_log_the_manifest_and_a_new_release() {
    let kent = std::fs::read(root().join("fixtures/nspcc/kent/FOI 17-0412 Response.xlsx"))
        .expect("kent fixture");
    let broken = Arc::new(AtomicBool::new(false));
    let b = broken.clone();
    let server = Server::start(move |req, _| {
        if b.load(Ordering::SeqCst) {
            Reply::Full(503, vec![], b"down for maintenance".to_vec())
        } else {
            server::file(req, &kent)
        }
    });
    let tmp = tempfile::tempdir().expect("tmp");
    kent_over_http(tmp.path(), &server);
    let quick = ["--retries", "0", "--backoff-ms", "1"];
    let first = ran(foi_in(tmp.path()).args(quick).arg("run"));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let good = latest(tmp.path());

    broken.store(true, Ordering::SeqCst);
    let run = ran(foi_in(tmp.path())
        .args(quick)
        .args(["--log-format", "json", "run"]));
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    // Published anew, though every table but the manifest may be the same:
    // the release must not say the source was fetched fine.
    assert_ne!(latest(tmp.path()), good, "{}", run.stderr);
    let m = manifest(tmp.path());
    let kent_source = m["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["key"] == "kent")
        .expect("kent")
        .clone();
    assert_eq!(kent_source["stale"], true);
    let causes = m["causes"].as_array().expect("causes");
    assert_eq!(causes.len(), 1, "{causes:?}");
    assert_eq!(causes[0]["kind"], "stale_source");
    assert_eq!(causes[0]["severity"], "warning");
    assert_eq!(causes[0]["force"], "kent");
    assert!(
        causes[0]["message"]
            .as_str()
            .expect("message")
            .contains("503 Service Unavailable"),
        "{causes:?}"
    );
    // The warning is a WARN line with its kind, and the closing event
    // carries the counts.
    let events: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(events.iter().any(|e| e["level"] == "WARN"
        && e["fields"]["kind"] == "stale_source"
        && e["fields"]["force"] == "kent"));
    let finished = events
        .iter()
        .find(|e| e["fields"]["event"] == "finished")
        .expect("closing event");
    assert_eq!(finished["fields"]["exit_code"], 3);
    assert_eq!(finished["fields"]["stale"], 1);
    assert_eq!(finished["fields"]["warnings"], 1);

    // A separate build, with nothing new, says why it exits 3.
    let build = ran(foi_in(tmp.path()).arg("build"));
    assert_eq!(build.code, Some(3), "{}", build.stderr);
    let warning = build
        .stderr
        .lines()
        .find(|l| l.starts_with("warning: kent"))
        .unwrap_or_else(|| panic!("no stale warning: {}", build.stderr));
    assert!(warning.contains("the last fetch failed"), "{warning}");
    assert!(build
        .stderr
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("foi build complete with warnings (exit code 3)")));
}

#[test]
fn a_config_change_publishes_a_release_that_names_the_config() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let first = ran(foi_in(tmp.path()).arg("run"));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = manifest(tmp.path());
    // A change that moves no figure: the tables stay the same, but the
    // release must not keep the old config's fingerprint.
    let kent = config
        .join("campaigns")
        .join(CAMPAIGN)
        .join("responses/kent.toml");
    let text = std::fs::read_to_string(&kent).expect("kent.toml");
    std::fs::write(&kent, format!("# reviewed\n{text}")).expect("write");
    let second = ran(foi_in(tmp.path()).arg("run"));
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    let after = manifest(tmp.path());
    assert_ne!(after["run_id"], before["run_id"], "{}", second.stderr);
    assert_ne!(after["config_sha256"], before["config_sha256"]);
    // And a run with nothing changed publishes nothing.
    let third = ran(foi_in(tmp.path()).arg("run"));
    assert_eq!(third.code, Some(0), "{}", third.stderr);
    assert_eq!(manifest(tmp.path())["run_id"], after["run_id"]);
    assert!(
        third.stderr.contains("nothing changed since release"),
        "{}",
        third.stderr
    );
}

#[test]
fn allow_unmapped_covers_labels_typed_in_from_a_letter() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = copy_config(tmp.path());
    let durham = config
        .join("campaigns")
        .join(CAMPAIGN)
        .join("responses/durham.toml");
    let text = std::fs::read_to_string(&durham).expect("durham.toml");
    let label = "Sexual assault on a male child under 13";
    assert!(text.contains(label));
    std::fs::write(&durham, text.replace(label, "S.7 assault (boy) U13")).expect("write");

    let refused = ran(foi_in(tmp.path()).arg("run"));
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("unmapped offence label \"S.7 assault (boy) U13\""),
        "{}",
        refused.stderr
    );
    assert!(!tmp.path().join("out/latest").exists());

    let allowed = ran(foi_in(tmp.path()).args(["--allow-unmapped", "run"]));
    assert_eq!(allowed.code, Some(3), "{}", allowed.stderr);
    let coverage = read_csv(&tmp.path().join("out/latest/coverage.csv"));
    let durham_rows: Vec<_> = coverage
        .iter()
        .filter(|c| c["force_id"] == "durham")
        .collect();
    assert!(!durham_rows.is_empty());
    for c in durham_rows {
        assert_eq!(c["flagged"], "true", "{c:?}");
        assert!(
            c["reason"].contains("offence label \"S.7 assault (boy) U13\""),
            "{c:?}"
        );
    }
    let causes = manifest(tmp.path())["causes"].clone();
    assert!(
        causes
            .as_array()
            .expect("causes")
            .iter()
            .any(|c| c["kind"] == "unmapped" && c["force"] == "durham"),
        "{causes}"
    );
}
