//! Scheduled, unattended runs through the real binary: two runs at once
//! (one waits or gives up with exit 75), a run killed with SIGKILL while it
//! publishes (out/latest stays on the previous release, byte for byte), a
//! rerun with nothing changed (nothing normalised, nothing published),
//! JSON logs a collector can read line by line, `--keep`, and `foi check`
//! naming file and line for each kind of config error. No test asserts how
//! long anything took.

use crate::server::{self, Server};
use crate::*;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const CAMPAIGN: &str = "nspcc-online-csa";
const LOCKED: i32 = 75;
/// The responses [`Setup::small`] keeps.
const SMALL: &[&str] = &["kent", "cumbria", "durham", "metropolitan"];

/// A copy of the config in a temporary folder, run from there, so that
/// cache/ and out/ are the default ones beside it.
struct Setup {
    tmp: tempfile::TempDir,
    config: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().expect("tmp");
        let config = copy_config(tmp.path());
        Setup { tmp, config }
    }

    /// The same with only a few responses (Kent's among them), so that a
    /// run takes a fraction of a second.
    fn small() -> Setup {
        let setup = Setup::new();
        let dir = setup.response("kent");
        let dir = dir.parent().expect("responses/");
        for e in std::fs::read_dir(dir).expect("responses/") {
            let p = e.expect("entry").path();
            let key = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if !SMALL.contains(&key) {
                std::fs::remove_file(&p).expect("remove response");
            }
        }
        assert!(setup.response("kent").is_file());
        setup
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn out(&self) -> PathBuf {
        self.dir().join("out")
    }

    fn response(&self, key: &str) -> PathBuf {
        self.config
            .join("campaigns")
            .join(CAMPAIGN)
            .join("responses")
            .join(format!("{key}.toml"))
    }

    /// `foi <args>`, from the copy's folder.
    fn cmd(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("foi"));
        c.current_dir(self.dir()).args(args).env_remove("RUST_LOG");
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("foi runs"))
    }

    /// Replaces `from` (which must be there) in a config file.
    fn edit(&self, file: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(file).expect("read config");
        assert!(text.contains(from), "{}: no {from:?}", file.display());
        std::fs::write(file, text.replacen(from, to, 1)).expect("write config");
    }

    /// Kent's fixed online method: changing it changes Kent's records, and
    /// so the published tables, while every other response stays the same.
    fn kent_method(&self, method: &str) {
        let file = self.response("kent");
        let text = std::fs::read_to_string(&file).expect("kent.toml");
        let line = text
            .lines()
            .find(|l| l.starts_with("fixed = { online_method = "))
            .expect("kent's fixed online_method")
            .to_string();
        self.edit(
            &file,
            &line,
            &format!("fixed = {{ online_method = \"{method}\" }}"),
        );
    }

    /// The release out/latest points at: its id and every file's bytes.
    fn latest(&self) -> (String, BTreeMap<String, Vec<u8>>) {
        let link = std::fs::read_link(self.out().join("latest")).expect("out/latest is a link");
        let id = link
            .file_name()
            .and_then(|n| n.to_str())
            .expect("release id")
            .to_string();
        assert_eq!(link, Path::new("releases").join(&id), "relative link");
        (id, files(&self.out().join("latest")))
    }

    fn releases(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.out().join("releases"))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }

    /// Names in out/ a killed run can leave: staging folders, unrenamed links.
    fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.out())
            .expect("out/")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".staging-") || n.starts_with(".latest-"))
            .collect()
    }
}

/// Every file in a folder, by name (releases are flat).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("release file"))
        })
        .collect()
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(files.get("manifest.json").expect("manifest.json"))
        .expect("manifest parses")
}

/// A release is whole: every output its manifest lists is there with the
/// bytes the manifest gives, and nothing else is.
fn assert_whole(id: &str, files: &BTreeMap<String, Vec<u8>>) {
    let m = manifest(files);
    assert_eq!(m["run_id"], id, "manifest of {id}");
    let outputs = m["outputs"].as_array().expect("outputs");
    assert!(outputs.len() >= 8, "{id}: only {} outputs", outputs.len());
    for o in outputs {
        let name = o["name"].as_str().expect("name");
        let bytes = files
            .get(name)
            .unwrap_or_else(|| panic!("{id}: {name} missing"));
        assert_eq!(o["sha256"], server::sha256(bytes), "{id}: {name}");
        assert_eq!(o["bytes"], bytes.len(), "{id}: {name}");
    }
    assert_eq!(files.len(), outputs.len() + 1, "{id}: {:?}", files.keys());
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Complete, or complete with warnings (the bundled campaign has
    /// flagged responses).
    fn ok(self) -> Run {
        assert!(
            matches!(self.code, Some(0) | Some(3)),
            "exit {:?}: {}",
            self.code,
            self.stderr
        );
        self
    }

    /// The one line starting with `prefix`.
    fn line(&self, prefix: &str) -> &str {
        let found: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with(prefix))
            .collect();
        assert_eq!(found.len(), 1, "one {prefix:?} line in: {}", self.stderr);
        found[0]
    }
}

/// Waits (up to 60 s, then fails the test) for `what` to hold.
fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < end, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Reads a child's stderr on a thread, line by line, into a channel.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().expect("piped stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A run in the background, killed if the test fails before it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Opens the gate when dropped, so a failing test never leaves a run stuck.
struct Gate(Arc<AtomicBool>);

impl Drop for Gate {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn two_runs_at_once_one_runs_the_other_waits_or_exits_75() {
    // Kent is fetched from a server that answers only when the gate opens:
    // the first run holds the lock, mid-fetch, for as long as the test needs.
    let gate = Gate(Arc::new(AtomicBool::new(false)));
    let kent = root().join("fixtures/nspcc/kent/FOI 17-0412 Response.xlsx");
    let bytes = std::fs::read(&kent).expect("kent fixture");
    let server = {
        let gate = gate.0.clone();
        Server::start(move |req, _| {
            while !gate.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
            server::file(req, &bytes)
        })
    };
    let setup = Setup::small();
    setup.edit(
        &setup.response("kent"),
        "source = { path = \"fixtures/nspcc/kent/FOI 17-0412 Response.xlsx\" }",
        &format!("source = {{ url = \"{}\" }}", server.url("/kent.xlsx")),
    );

    let mut first = Running(
        setup
            .cmd(&["run"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("first run starts"),
    );
    let first_lines = lines_of(&mut first.0);
    until("the first run to ask for Kent", || {
        !server.exchanges("/kent.xlsx").is_empty()
    });

    // The second, started while the first holds the lock: gives up at once.
    let second = setup.run(&["run"]);
    assert_eq!(second.code, Some(LOCKED), "{}", second.stderr);
    assert!(
        second
            .line("error: ")
            .starts_with("error: another foi run holds the lock on "),
        "{}",
        second.stderr
    );

    // The third waits for it.
    let mut third = Running(
        setup
            .cmd(&["run", "--wait", "60"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("third run starts"),
    );
    let third_lines = lines_of(&mut third.0);
    let mut third_said = Vec::new();
    until("the third run to say it waits", || {
        third_said.extend(third_lines.try_iter());
        third_said.iter().any(|l| l.contains("waiting up to 60s"))
    });
    let holder = third_said
        .iter()
        .find(|l| l.contains("waiting up to 60s"))
        .expect("waiting line");
    assert!(
        holder.contains(&format!("(pid {})", first.0.id())),
        "names the run it waits for: {holder}"
    );
    assert!(third.0.try_wait().expect("try_wait").is_none());

    gate.0.store(true, Ordering::SeqCst);
    let first_code = first.0.wait().expect("first run ends").code();
    let first_said: Vec<String> = first_lines.iter().collect();
    assert!(
        matches!(first_code, Some(0) | Some(3)),
        "{first_code:?}: {first_said:#?}"
    );
    let third_code = third.0.wait().expect("third run ends").code();
    third_said.extend(third_lines.iter());
    assert!(
        matches!(third_code, Some(0) | Some(3)),
        "{third_code:?}: {third_said:#?}"
    );
    // The third ran after the first had published, and found it current.
    let (id, release) = setup.latest();
    assert!(id.ends_with(&format!("-{}", first.0.id())), "{id}");
    assert_whole(&id, &release);
    assert!(
        third_said
            .iter()
            .any(|l| l.starts_with(&format!("nothing changed since release {id}"))),
        "{third_said:#?}"
    );
    assert_eq!(setup.releases(), vec![id]);
}

/// Whether out/ holds this run's staging folder.
fn staging_of(out: &Path, pid: u32) -> bool {
    std::fs::read_dir(out)
        .map(|rd| {
            rd.flatten().any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(".staging-") && n.ends_with(&format!("-{pid}"))
            })
        })
        .unwrap_or(false)
}

#[test]
fn a_run_killed_while_publishing_leaves_latest_on_the_previous_release() {
    let setup = Setup::small();
    setup.run(&["run"]).ok();
    let (first, first_files) = setup.latest();
    assert_whole(&first, &first_files);

    // Each run publishes something other than the release before it: Kent's
    // online method changes whenever a run gets through.
    let methods = ["keyword_search", "not_stated", "cyber_flag"];
    let mut method = 0;
    setup.kent_method(methods[method]);
    // Kills a few milliseconds after the start (while it reads), then at
    // growing delays after the run's staging folder appears (while it
    // publishes: writing, renaming into releases/, swapping the link).
    let mut plan: Vec<(bool, u64)> = vec![(false, 5), (false, 30)];
    plan.extend([0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 34].map(|ms| (true, ms)));
    let (mut mid_publish, mut got_through) = (0, 0);
    for (after_staging, ms) in plan {
        let (previous, before) = setup.latest();
        let mut run = Running(
            setup
                .cmd(&["run"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("foi starts"),
        );
        let child = &mut run.0;
        let pid = child.id();
        let mine = |name: &str| name.ends_with(&format!("-{pid}"));
        while after_staging
            && !staging_of(&setup.out(), pid)
            && child.try_wait().expect("try_wait").is_none()
        {
            std::thread::sleep(Duration::from_micros(100));
        }
        std::thread::sleep(Duration::from_millis(ms));
        // SIGKILL (std's kill on Unix); the run may have ended by itself.
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let killed = status.signal() == Some(9);
        let when = format!(
            "killed {ms} ms after {}",
            if after_staging {
                "staging"
            } else {
                "the start"
            }
        );

        let (now, after) = setup.latest();
        if now == previous {
            assert!(killed, "the run ended ({status:?}) without publishing");
            assert_eq!(
                after, before,
                "{when}: out/latest is not the previous release byte for byte"
            );
            // Killed mid-publish: it had begun writing the new release.
            if setup.leftovers().iter().any(|n| mine(n)) || setup.releases().iter().any(|n| mine(n))
            {
                mid_publish += 1;
            }
        } else {
            // It got as far as swapping out/latest: the new release is whole.
            assert!(
                mine(&now),
                "{when}: {now} is neither {previous} nor run {pid}'s"
            );
            assert_whole(&now, &after);
            assert_ne!(manifest(&after)["outputs"], manifest(&before)["outputs"]);
            got_through += 1;
            method = (method + 1) % methods.len();
            setup.kent_method(methods[method]);
        }
        // Releases are never touched once published.
        assert_eq!(
            files(&setup.out().join("releases").join(&previous)),
            before,
            "{when}"
        );
    }
    eprintln!("{mid_publish} kill(s) mid-publish, {got_through} run(s) got through");
    assert!(
        mid_publish > 0,
        "no kill landed while a run was publishing ({got_through} got through)"
    );

    // The lock died with the killed runs; the next run publishes and
    // clears what they left.
    let (previous, before) = setup.latest();
    let run = setup.run(&["run"]).ok();
    assert!(setup.leftovers().is_empty(), "{:?}", setup.leftovers());
    let (id, release) = setup.latest();
    assert_ne!(id, previous);
    assert_whole(&id, &release);
    assert_ne!(manifest(&release)["outputs"], manifest(&before)["outputs"]);
    assert!(
        run.line("published release ").contains(&id),
        "{}",
        run.stderr
    );
    assert_eq!(
        files(&setup.out().join("releases").join(&first)),
        first_files
    );
}

#[test]
fn a_rerun_with_nothing_changed_normalises_and_publishes_nothing() {
    let setup = Setup::small();
    let first = setup.run(&["run"]).ok();
    let (id, release) = setup.latest();
    let m = manifest(&release);
    let n = m["normalised"].as_u64().expect("normalised");
    assert_eq!(n, SMALL.len() as u64, "{m}");
    assert_eq!(m["reused"], 0);
    assert_eq!(
        first.line("normalised "),
        format!("normalised {n} responses, 0 unchanged since the last build")
    );

    let second = setup.run(&["run"]).ok();
    assert_eq!(
        second.line("normalised "),
        format!("normalised 0 responses, {n} unchanged since the last build")
    );
    assert!(
        second
            .line("nothing changed since release ")
            .starts_with(&format!("nothing changed since release {id}: ")),
        "{}",
        second.stderr
    );
    assert_eq!(setup.latest(), (id.clone(), release));
    assert_eq!(setup.releases(), vec![id.clone()]);
    assert_eq!(
        second.code, first.code,
        "the same warnings as the run it matches"
    );

    // One response changed: only it is read again.
    setup.kent_method("keyword_search");
    let third = setup.run(&["run"]).ok();
    assert_eq!(
        third.line("normalised "),
        format!(
            "normalised 1 responses, {} unchanged since the last build",
            n - 1
        )
    );
    let (id3, release3) = setup.latest();
    assert_ne!(id3, id);
    let m3 = manifest(&release3);
    assert_eq!(
        (m3["normalised"].as_u64(), m3["reused"].as_u64()),
        (Some(1), Some(n - 1))
    );
}

/// Fixing crosswalks, a line at a time: a line scoped to one force sends
/// only that force's responses to be read again; a line for every force
/// sends them all.
#[test]
fn a_crosswalk_line_for_one_force_rereads_only_that_force() {
    let setup = Setup::small();
    setup.run(&["run"]).ok();
    let n = SMALL.len();
    let offences = setup
        .config
        .join(format!("campaigns/{CAMPAIGN}/crosswalks/offences.csv"));
    let add = |line: &str| {
        let text = std::fs::read_to_string(&offences).expect("offences.csv");
        std::fs::write(&offences, format!("{text}{line}\n")).expect("write");
    };
    add("A wording only Kent uses,88A,kent");
    let kent_only = setup.run(&["run"]).ok();
    assert_eq!(
        kent_only.line("normalised "),
        format!(
            "normalised 1 responses, {} unchanged since the last build",
            n - 1
        )
    );
    add("A wording any force might use,88A");
    let everyone = setup.run(&["run"]).ok();
    assert_eq!(
        everyone.line("normalised "),
        format!("normalised {n} responses, 0 unchanged since the last build")
    );
}

/// Each stderr line of a `--log-format json` run: parses, and has a level,
/// a message and the run id (its own field, or the `run` span's).
fn json_lines(run: &Run) -> Vec<(String, String, String)> {
    assert!(!run.stderr.is_empty(), "no log at all");
    run.stderr
        .lines()
        .map(|l| {
            let e: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|err| panic!("{err}: {l}"));
            let level = e["level"].as_str().unwrap_or_default().to_string();
            let message = e["fields"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let run_id = e["fields"]["run_id"]
                .as_str()
                .or_else(|| {
                    e["spans"].as_array().and_then(|spans| {
                        spans
                            .iter()
                            .find(|s| s["name"] == "run")
                            .and_then(|s| s["run_id"].as_str())
                    })
                })
                .unwrap_or_default()
                .to_string();
            assert!(
                ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"].contains(&level.as_str()),
                "level: {l}"
            );
            assert!(!message.is_empty(), "message: {l}");
            assert!(!run_id.is_empty(), "run id: {l}");
            (level, message, run_id)
        })
        .collect()
}

#[test]
fn json_logs_parse_line_by_line_with_level_message_and_run_id() {
    let setup = Setup::small();
    // No RUST_LOG: foi's own lines.
    let first = setup.run(&["--log-format", "json", "run"]).ok();
    let lines = json_lines(&first);
    let (id, release) = setup.latest();
    assert!(lines.iter().all(|(_, _, run)| run == &id), "{lines:#?}");
    assert_eq!(manifest(&release)["run_id"], id);
    for said in [
        "fetched 4 of 4 sources",
        "normalised ",
        "published release ",
    ] {
        assert!(
            lines.iter().any(|(_, m, _)| m.starts_with(said)),
            "{said:?} in {lines:#?}"
        );
    }

    // Everything, down to debug, with a table that is not where Kent's
    // config says: the error lines too.
    setup.edit(
        &setup.response("kent"),
        "header = '^Offence$'",
        "header = '^Nothing like this$'",
    );
    let second = Run::from(
        setup
            .cmd(&["--log-format", "json", "run"])
            .env("RUST_LOG", "debug")
            .output()
            .expect("foi runs"),
    );
    assert_eq!(second.code, Some(1), "{}", second.stderr);
    let lines = json_lines(&second);
    let run_id = &lines[0].2;
    assert_ne!(run_id, &id);
    assert!(lines.iter().all(|(_, _, r)| r == run_id), "{lines:#?}");
    assert!(lines.iter().any(|(l, _, _)| l == "ERROR"), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|(l, m, _)| l == "ERROR" && m.starts_with("incomplete: ")),
        "{lines:#?}"
    );

    // A config error.
    setup.edit(
        &setup.response("kent"),
        "status = \"answered\"",
        "status = \"answred\"",
    );
    let third = setup.run(&["--log-format", "json", "check"]);
    assert_eq!(third.code, Some(2), "{}", third.stderr);
    let lines = json_lines(&third);
    assert!(lines
        .iter()
        .any(|(l, m, _)| l == "ERROR" && m.contains("kent.toml:")));
}

#[test]
fn keep_prunes_all_but_the_newest_releases() {
    let setup = Setup::small();
    let mut ids = Vec::new();
    for method in ["cyber_flag", "keyword_search", "not_stated"] {
        setup.kent_method(method);
        let run = setup.run(&["--keep", "2", "run"]).ok();
        let (id, release) = setup.latest();
        assert_whole(&id, &release);
        assert!(run.line("published release ").contains(&id));
        ids.push(id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "three different releases: {ids:?}");
    assert_eq!(setup.releases(), ids[1..].to_vec());
    assert_eq!(setup.latest().0, ids[2]);

    setup.kent_method("cyber_flag");
    let run = setup.run(&["--keep", "1", "run"]).ok();
    assert!(run
        .line("published release ")
        .ends_with("; pruned 2 old release(s)"));
    let (id, _) = setup.latest();
    assert_eq!(setup.releases(), vec![id.clone()]);

    // Only releases foi made are pruned: a folder put there by hand stays.
    let by_hand = setup.out().join("releases/copy-for-the-board");
    std::fs::create_dir_all(&by_hand).expect("mkdir");
    std::fs::write(by_hand.join("note.txt"), "kept by hand").expect("write");
    setup.kent_method("keyword_search");
    let run = setup.run(&["--keep", "1", "run"]).ok();
    assert!(run
        .line("published release ")
        .ends_with("; pruned 1 old release(s)"));
    let (newest, _) = setup.latest();
    assert_ne!(newest, id);
    assert_eq!(
        setup.releases(),
        vec![newest, "copy-for-the-board".to_string()]
    );
    assert!(by_hand.join("note.txt").exists());
}

/// One kind of config error, made in a fresh copy of the config.
struct Broken {
    what: &'static str,
    /// The file to change, relative to the campaign folder.
    file: &'static str,
    /// Changes the file's text, returning the new text.
    change: fn(&str) -> String,
    /// The line the error is on: the first line of the changed text
    /// containing this.
    at: &'static str,
    /// What the message says after "<file>:<line>: ".
    says: &'static str,
}

fn replace_line(text: &str, starts: &str, with: &str) -> String {
    assert!(text.lines().any(|l| l.starts_with(starts)), "no {starts:?}");
    text.lines()
        .map(|l| if l.starts_with(starts) { with } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn check_names_file_and_line_for_each_kind_of_config_error() {
    let cases = [
        Broken {
            what: "unknown force",
            file: "responses/kent.toml",
            change: |t| replace_line(t, "force = ", "force = \"Nowhere Constabulary\""),
            at: "Nowhere Constabulary",
            says: "unknown force \"Nowhere Constabulary\"",
        },
        Broken {
            what: "crosswalk target not in config/reference/offences.csv",
            file: "crosswalks/offences.csv",
            change: |t| format!("{t}Made-up offence wording,99Z\n"),
            at: "Made-up offence wording",
            says: "\"99Z\" is not a known offence code",
        },
        Broken {
            what: "crosswalk file that does not exist",
            file: "campaign.toml",
            change: |t| t.replace("crosswalks/ages.csv", "crosswalks/no-such-ages.csv"),
            at: "crosswalks/no-such-ages.csv",
            says: "config/campaigns/nspcc-online-csa/crosswalks/no-such-ages.csv: file does not exist",
        },
        Broken {
            what: "local source that does not exist",
            file: "responses/kent.toml",
            change: |t| {
                replace_line(
                    t,
                    "source = ",
                    "source = { path = \"fixtures/nspcc/kent/no-such-file.xlsx\" }",
                )
            },
            at: "no-such-file.xlsx",
            says: "source file fixtures/nspcc/kent/no-such-file.xlsx does not exist",
        },
        Broken {
            what: "two responses from one force to one request",
            file: "responses/kent2.toml",
            change: |_| {
                std::fs::read_to_string(
                    root().join("config/campaigns/nspcc-online-csa/responses/kent.toml"),
                )
                .expect("kent.toml")
            },
            at: "requests = ",
            says: "kent already has a response for request \"ye-jun-2016\" in config/campaigns/nspcc-online-csa/responses/kent.toml",
        },
        Broken {
            what: "a request's period that ends before it starts",
            file: "campaign.toml",
            change: |t| {
                t.replace(
                    "period = { from = 2016-04-01, to = 2017-03-31 }",
                    "period = { from = 2017-04-01, to = 2017-03-31 }",
                )
            },
            at: "from = 2017-04-01",
            says: "period ends (2017-03-31) before it starts (2017-04-01)",
        },
        Broken {
            what: "a response's period that ends before it starts",
            file: "responses/essex-fy-2016-17.toml",
            change: |t| {
                replace_line(
                    t,
                    "requests = ",
                    "requests = [\"fy-2016-17\"]\nperiod = { from = 2017-03-31, to = 2016-04-01 }",
                )
            },
            at: "period = ",
            says: "period ends (2016-04-01) before it starts (2017-03-31)",
        },
        Broken {
            what: "bad TOML",
            file: "responses/kent.toml",
            change: |t| replace_line(t, "status = ", "status = \"answered"),
            at: "status = ",
            says: "",
        },
        Broken {
            what: "unknown key in a response",
            file: "responses/kent.toml",
            change: |t| replace_line(t, "status = ", "status = \"answered\"\ncolour = \"red\""),
            at: "colour = ",
            says: "unknown field `colour`",
        },
        Broken {
            what: "unknown key in the campaign",
            file: "campaign.toml",
            change: |t| replace_line(t, "unit = ", "unit = \"offences\"\nunits = \"offences\""),
            at: "units = ",
            says: "unknown field `units`",
        },
        Broken {
            what: "unknown key in the campaign's publisher",
            file: "campaign.toml",
            change: |t| format!("{t}[publisher]\nname = \"Example Charity\"\nphone = \"0800\"\n"),
            at: "phone = ",
            says: "unknown field `phone`, expected one of `name`, `contact`, `published`",
        },
        Broken {
            what: "unknown force in a crosswalk's force column",
            file: "crosswalks/offences.csv",
            change: |t| {
                let t = t.replacen("label,value\n", "label,value,force\n", 1);
                format!("{t}Sexual grooming (made up),88A,Atlantis Police\n")
            },
            at: "Atlantis Police",
            says: "unknown force \"Atlantis Police\"",
        },
    ];

    // The pristine copy is fine, so each error below is the change's.
    let clean = Setup::new();
    let run = clean.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    for case in cases {
        let setup = Setup::new();
        let campaign = setup.config.join("campaigns").join(CAMPAIGN);
        let path = campaign.join(case.file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let changed = (case.change)(&text);
        std::fs::write(&path, &changed).expect("write");
        let line = changed
            .lines()
            .position(|l| l.contains(case.at))
            .unwrap_or_else(|| panic!("{}: no {:?} in the changed file", case.what, case.at))
            + 1;
        let want = format!(
            "error: config: config/campaigns/{CAMPAIGN}/{}:{line}: {}",
            case.file, case.says
        );
        let run = setup.run(&["check"]);
        assert_eq!(run.code, Some(2), "{}: {}", case.what, run.stderr);
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&want)),
            "{}: want a line starting {want:?}, got:\n{}",
            case.what,
            run.stderr
        );
    }
}
