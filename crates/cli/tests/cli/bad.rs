//! Hostile and broken input through the real binary: every file in
//! fixtures/bad/ (and the two made at test time) as one force's response.
//! Each must give exactly the error fixtures/bad/expected.txt lists, on
//! stderr and in coverage.csv, while every other force is still published;
//! the zip bomb and the huge sheet must stay under 500 MB of memory, as the
//! operating system counts it.

use crate::*;
use std::collections::BTreeSet;
use std::process::Output;

#[path = "../../../../fixtures/bad/big.rs"]
mod big;

const MEMORY_CAP_KB: u64 = 500 * 1024;

/// What foi fetch says of a file it refuses as no reply, the name it is
/// kept aside under, and the hint.
fn refused_by_fetch(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    const LOCAL: &str =
        "put the spreadsheet the force sent at this path (not a web page or an empty file)";
    match name {
        "empty.csv" => Some((
            "the file is empty",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.empty",
            LOCAL,
        )),
        "nul-bytes.csv" => Some((
            "the file holds zero (NUL) bytes, so it is neither text nor a workbook foi knows",
            "34e2e137336fcd40a327f71ae4fa3ac7d35d92877b829635f7dffffb9cf87de6.bin",
            "it may be damaged: ask the force for a clean copy, as xlsx, ods, xls or csv",
        )),
        _ => None,
    }
}

/// One file's expected outcome, from fixtures/bad/expected.txt.
struct Expected {
    name: String,
    records: usize,
    /// Each diagnostic as printed (a hint on its own line is kept).
    diagnostics: Vec<String>,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(root().join("fixtures/bad/expected.txt"))
        .expect("fixtures/bad/expected.txt");
    let mut out: Vec<Expected> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("== ") {
            out.push(Expected {
                name: name.to_string(),
                records: 0,
                diagnostics: Vec::new(),
            });
        } else if let Some(n) = line.strip_prefix("records: ") {
            out.last_mut().expect("a file").records = n.parse().expect("count");
        } else if line.starts_with("  hint: ") {
            let d = out
                .last_mut()
                .expect("a file")
                .diagnostics
                .last_mut()
                .expect("a diagnostic");
            d.push('\n');
            d.push_str(line);
        } else if !line.is_empty() {
            out.last_mut()
                .expect("a file")
                .diagnostics
                .push(line.to_string());
        }
    }
    out
}

/// Runs foi, returning its output and peak resident memory in KB: from
/// /usr/bin/time (getrusage of the child) when it is installed, else from
/// the kernel's high-water mark (VmHWM in /proc/<pid>/status) sampled until
/// the process ends.
fn run_measured(dir: &Path, args: &[&str]) -> (Output, u64, &'static str) {
    let bin = assert_cmd::cargo::cargo_bin("foi");
    let time = Path::new("/usr/bin/time");
    if time.is_file() && std::env::var_os("FOI_MEASURE_PROC").is_none() {
        let report = dir.join("time.txt");
        let out = std::process::Command::new(time)
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&report)
            .arg(&bin)
            .args(args)
            .current_dir(dir)
            .output()
            .expect("runs");
        let kb = std::fs::read_to_string(&report)
            .ok()
            .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
            .unwrap_or(0);
        return (out, kb, "getrusage via /usr/bin/time");
    }
    let mut child = std::process::Command::new(&bin)
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let (mut so, mut se) = (
        child.stdout.take().expect("out"),
        child.stderr.take().expect("err"),
    );
    let t1 = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut b).ok();
        b
    });
    let t2 = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut b).ok();
        b
    });
    loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let status = child.wait().expect("status");
    let out = Output {
        status,
        stdout: t1.join().expect("stdout"),
        stderr: t2.join().expect("stderr"),
    };
    (out, peak, "VmHWM sampled from /proc")
}

fn point_surrey_at(config: &Path, source: &str) {
    let text = format!(
        r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = {{ online_method = "cyber_flag" }}
source = {{ path = "{source}" }}

[[table]]
header = '^Offence$'
request = "fy-2016-17"
column = [
  {{ header = '^Offence$', role = "label", dim = "offence" }},
  {{ header = '^Offences$', role = "value" }},
]
"#
    );
    std::fs::write(
        config.join("campaigns/nspcc-online-csa/responses/surrey.toml"),
        text,
    )
    .expect("write surrey.toml");
}

/// (force, request) of every coverage row added to the national figures.
fn included(dir: &Path) -> BTreeSet<(String, String)> {
    read_csv(&dir.join("out/latest/coverage.csv"))
        .into_iter()
        .filter(|r| r["included"] == "true")
        .map(|r| (r["force_id"].clone(), r["request"].clone()))
        .collect()
}

#[test]
fn every_bad_file_gives_its_error_and_the_rest_is_published() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let config = copy_config(dir);
    // Surrey answers only with the bad files: its own responses go.
    let responses = config.join("campaigns/nspcc-online-csa/responses");
    for e in std::fs::read_dir(&responses).expect("responses") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        if text.lines().any(|l| l.trim() == "force = \"surrey\"") {
            std::fs::remove_file(&p).expect("remove");
        }
    }
    let generated = dir.join("generated");
    std::fs::create_dir_all(&generated).expect("mkdir");
    std::fs::write(generated.join("zip-bomb.xlsx"), big::zip_bomb()).expect("bomb");
    std::fs::write(generated.join("long-line.csv"), big::long_line_csv()).expect("line");

    // The campaign as bundled: who is published when nothing is broken.
    let (base, base_kb, _) = run_measured(dir, &["run"]);
    assert!(
        matches!(base.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&base.stderr)
    );
    let others = included(dir);
    assert!(others.len() >= 9, "{others:?}");

    let cases = expected();
    assert!(cases.len() >= 18, "{} cases", cases.len());
    let mut report = vec![format!("baseline run: peak {} MB", base_kb / 1024)];
    for case in &cases {
        let source = if dir.join("generated").join(&case.name).is_file() {
            format!("generated/{}", case.name)
        } else {
            format!("fixtures/bad/{}", case.name)
        };
        point_surrey_at(&config, &source);
        let unmapped = case.diagnostics.iter().any(|d| d.contains("unmapped "));
        let mut args = vec!["run"];
        if unmapped {
            // Unmapped labels stop publication unless allowed.
            args.push("--allow-unmapped");
        }
        let (out, kb, how) = run_measured(dir, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        report.push(format!(
            "{}: exit {:?}, peak {} MB ({how})",
            case.name,
            out.status.code(),
            kb / 1024
        ));

        // Exactly the diagnostics expected for Surrey, in order.
        let got: Vec<String> = {
            let lines: Vec<&str> = stderr.lines().collect();
            let mut v: Vec<String> = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                if l.contains(": surrey, ") {
                    let mut d = l.to_string();
                    if let Some(h) = lines.get(i + 1).filter(|h| h.starts_with("  hint: ")) {
                        d.push('\n');
                        d.push_str(h);
                    }
                    v.push(d);
                }
            }
            v
        };
        let mut want: Vec<String> = case
            .diagnostics
            .iter()
            .map(|d| {
                d.replace(
                    "fixtures/bad/",
                    &format!("{}/", source.rsplit_once('/').expect("dir").0),
                )
            })
            .collect();
        // Files that are no reply at all: foi fetch refuses them before the
        // build could read them (keeping each aside).
        if let Some((what, kept, hint)) = refused_by_fetch(&case.name) {
            // Said once, by the fetch: not again as missing from the cache.
            want = vec![
                format!("error: surrey, {source}: {what}; it was kept aside in the cache as rejected/nspcc-online-csa/surrey/{kept}\n  hint: {hint}"),
            ];
        }
        assert_eq!(got, want, "{}: diagnostics on stderr\n{stderr}", case.name);

        let errors = want
            .iter()
            .any(|d| d.starts_with("error: ") && !d.contains("unmapped "));
        if errors {
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}: exit code\n{stderr}",
                case.name
            );
        } else {
            assert!(
                matches!(out.status.code(), Some(0) | Some(3)),
                "{}: {stderr}",
                case.name
            );
        }

        // Coverage says why Surrey was not added, in the same words.
        let coverage = read_csv(&dir.join("out/latest/coverage.csv"));
        let surrey = coverage
            .iter()
            .find(|r| r["force_id"] == "surrey" && r["request"] == "fy-2016-17")
            .unwrap_or_else(|| panic!("{}: no coverage row for surrey", case.name));
        if case.records == 0 && errors {
            let message = want[want.len() - 1]
                .lines()
                .next()
                .and_then(|l| l.splitn(3, ": ").nth(2))
                .expect("a message");
            assert_eq!(surrey["included"], "false", "{}", case.name);
            assert_eq!(
                surrey["reason"],
                format!("could not be read: {message}"),
                "{}: coverage reason",
                case.name
            );
        } else {
            assert_eq!(surrey["included"], "true", "{}: {surrey:?}", case.name);
        }

        // Everyone else is still published.
        let now: BTreeSet<_> = included(dir)
            .into_iter()
            .filter(|(f, _)| f != "surrey")
            .collect();
        assert_eq!(
            now, others,
            "{}: the other forces are still published",
            case.name
        );

        if matches!(
            case.name.as_str(),
            "zip-bomb.xlsx" | "huge-dimension.xlsx" | "repeat-bomb.ods"
        ) {
            assert!(kb > 0, "{}: memory was measured", case.name);
            assert!(
                kb < MEMORY_CAP_KB,
                "{}: peak memory {} MB, over 500 MB",
                case.name,
                kb / 1024
            );
        }
    }
    eprintln!("{}", report.join("\n"));
}

/// Names from config never let a write escape the cache or output folders:
/// a campaign id of "../../escape" is refused, and nothing appears outside
/// the folders.
#[test]
fn names_from_config_never_write_outside_the_cache_or_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("work");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let config = copy_config(&dir);
    let campaign = config.join("campaigns/nspcc-online-csa/campaign.toml");
    let text = std::fs::read_to_string(&campaign).expect("campaign.toml");
    let text = text.replace("id = \"nspcc-online-csa\"", "id = \"../../escape\"");
    std::fs::write(&campaign, text).expect("write");
    let out = foi_in(&dir).arg("run").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("campaign id \"../../escape\" must be a plain name"),
        "{stderr}"
    );
    let mut outside = Vec::new();
    for e in std::fs::read_dir(tmp.path()).expect("tmp") {
        let name = e.expect("entry").file_name();
        if name != "work" {
            outside.push(name);
        }
    }
    assert!(outside.is_empty(), "written outside: {outside:?}\n{stderr}");
    for e in std::fs::read_dir(&dir).expect("work") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(
            ["config", "fixtures", "cache", "out"].contains(&name.as_str()),
            "unexpected {name:?} beside the folders\n{stderr}"
        );
    }
}
