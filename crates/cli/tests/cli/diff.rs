//! `foi diff` and the changes every release records (issue 17): a release,
//! then one force's reply revised (two cells of a CSV), one crosswalk line
//! changed, one force now refusing, each rebuilt; every diff names exactly
//! its cause and the figures it moved, with the old and new values, which
//! the test works out for itself from the two releases' national.csv.
//! Two releases from the same inputs diff as identical, and the same
//! previous release with the same inputs gives the same bytes.

use crate::*;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

const CAMPAIGN: &str = "config/campaigns/nspcc-online-csa";

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

/// `foi run` in `dir`, which must publish.
fn publish(dir: &Path, extra: &[&str]) -> (PathBuf, Ran) {
    let r = ran(foi_in(dir).args(extra).arg("run"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let release = dir.join("out/latest").canonicalize().expect("latest");
    (release, r)
}

fn run_id(release: &Path) -> String {
    release
        .file_name()
        .expect("a release folder")
        .to_string_lossy()
        .into_owned()
}

/// `foi diff --format json` between two releases (the default ones when
/// none are given), and its exit code.
fn diff_json(dir: &Path, releases: &[&Path]) -> (Option<i32>, Json) {
    let r = ran(foi_in(dir)
        .args(["diff", "--format", "json"])
        .args(releases));
    let json = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
    (r.code, json)
}

/// figure_id -> (lo, hi) as a release's national.csv gives it.
fn national(release: &Path) -> BTreeMap<String, (u64, u64)> {
    read_csv(&release.join("national.csv"))
        .into_iter()
        .map(|r| {
            let n = |k: &str| r[k].parse::<u64>().expect("a count");
            (r["figure_id"].clone(), (n("lo"), n("hi")))
        })
        .collect()
}

/// The figures whose value or range differs between two releases, as the
/// test sees them: (figure id, before, now).
type Moved = Vec<(String, Option<(u64, u64)>, Option<(u64, u64)>)>;

fn moved(a: &Path, b: &Path) -> Moved {
    let (x, y) = (national(a), national(b));
    let ids: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
    ids.into_iter()
        .filter(|id| x.get(*id) != y.get(*id))
        .map(|id| (id.clone(), x.get(id).copied(), y.get(id).copied()))
        .collect()
}

fn range(v: &Json) -> Option<(u64, u64)> {
    let t = v.get("total")?;
    Some((t["lo"].as_u64()?, t["hi"].as_u64()?))
}

/// The figures the diff says were revised, new or withdrawn, sorted.
fn said(diff: &Json) -> Moved {
    let mut out: Moved = diff["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .filter(|f| f["change"] != "forces")
        .map(|f| {
            (
                f["figure_id"].as_str().expect("id").to_string(),
                range(&f["previous"]),
                range(&f["now"]),
            )
        })
        .collect();
    out.sort();
    out
}

/// Each force the diff names, whether its part moved, and its causes'
/// kinds.
fn forces(diff: &Json) -> Vec<(String, bool, Vec<String>)> {
    diff["forces"]
        .as_array()
        .expect("forces")
        .iter()
        .map(|f| {
            (
                f["force"].as_str().expect("force").to_string(),
                f["moved"].as_bool().expect("moved"),
                f["causes"]
                    .as_array()
                    .expect("causes")
                    .iter()
                    .map(|c| c["kind"].as_str().expect("kind").to_string())
                    .collect(),
            )
        })
        .collect()
}

/// Every figure's changed parts are `force`'s alone, and they add up to
/// the figure's change, end by end.
fn parts_are_only(diff: &Json, force: &str) {
    for f in diff["figures"].as_array().expect("figures") {
        let parts = f["parts"].as_array().expect("parts recorded");
        assert_eq!(parts.len(), 1, "{f}");
        assert_eq!(parts[0]["force"], force, "{f}");
        let end = |v: &Json, k: &str| v["interval"][k].as_i64().unwrap_or(0);
        let fig = |v: &Json, k: &str| v["total"][k].as_i64().unwrap_or(0);
        for k in ["lo", "hi"] {
            assert_eq!(
                fig(&f["now"], k) - fig(&f["previous"], k),
                end(&parts[0]["now"], k) - end(&parts[0]["previous"], k),
                "{k} of {f}"
            );
        }
    }
}

/// The release's changes.csv is what `foi diff --format csv` says between
/// it and the release it replaced; national.csv marks the revised figures.
fn the_release_says_what_diff_says(dir: &Path, release: &Path, diff: &Json) {
    let csv = ran(foi_in(dir).args(["diff", "--format", "csv"]));
    let written = std::fs::read_to_string(release.join("changes.csv")).expect("changes.csv");
    assert_eq!(csv.stdout, written);
    let revised: BTreeSet<String> = diff["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .filter(|f| f["change"] == "revised")
        .map(|f| f["figure_id"].as_str().expect("id").to_string())
        .collect();
    let marked: BTreeSet<String> = read_csv(&release.join("national.csv"))
        .into_iter()
        .filter(|r| r["revised"] == "true")
        .map(|r| r["figure_id"].clone())
        .collect();
    assert_eq!(marked, revised);
    // [r] in the workbook's national sheet, on the same rows.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(release.join("nspcc-online-csa.xlsx")).expect("workbook");
    let sheet = wb.worksheet_range("national").expect("national sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c.starts_with("Figure ID")))
        .expect("header row");
    let col = rows[header]
        .iter()
        .position(|c| c.starts_with("Revised since the previous release"))
        .expect("revised column");
    let shown: BTreeSet<String> = rows[header + 1..]
        .iter()
        .filter(|r| r[col] == "[r]")
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(shown, revised);
}

/// A copy of Cheshire's reply the test can revise, and the config reading
/// it (before the first release, so the config does not change after).
fn setup(root: &Path) -> PathBuf {
    copy_config(root);
    let reply = root.join("replies/cheshire.csv");
    std::fs::create_dir_all(reply.parent().expect("folder")).expect("mkdir");
    std::fs::copy(
        root.join("fixtures/nspcc/cheshire/Cheshire_FOI_0412.csv"),
        &reply,
    )
    .expect("copy");
    let toml = root.join(CAMPAIGN).join("responses/cheshire.toml");
    let text = std::fs::read_to_string(&toml).expect("cheshire.toml");
    let text = text.replace(
        "fixtures/nspcc/cheshire/Cheshire_FOI_0412.csv",
        "replies/cheshire.csv",
    );
    std::fs::write(&toml, text).expect("write");
    reply
}

fn replace_bytes(path: &Path, from: &[u8], to: &[u8]) {
    let bytes = std::fs::read(path).expect("read");
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| {
            panic!(
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(from)
            )
        });
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(to);
    out.extend_from_slice(&bytes[at + from.len()..]);
    std::fs::write(path, out).expect("write");
}

fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("release")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        let kind = e.file_type().expect("type");
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&p).expect("link"), &t).expect("link");
        } else if kind.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

#[test]
fn each_change_is_named_with_the_figures_it_moved() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    let reply = setup(root);

    // The first release says it has nothing to compare with.
    let (r1, run) = publish(root, &[]);
    assert!(
        run.stderr
            .contains("the first release of nspcc-online-csa: nothing earlier to compare with\nfoi run complete"),
        "{}",
        run.stderr
    );
    assert!(read_csv(&r1.join("changes.csv")).is_empty());
    assert!(read_csv(&r1.join("national.csv"))
        .iter()
        .all(|r| r["revised"] == "false"));
    let html = std::fs::read_to_string(r1.join("summary.html")).expect("summary");
    assert!(html.contains("This is the first release of these tables"));
    let no_earlier = ran(foi_in(root).arg("diff"));
    assert_eq!(no_earlier.code, Some(2), "{}", no_earlier.stderr);
    assert!(no_earlier
        .stderr
        .contains("nothing before it to compare with"));

    // 1. Cheshire revises its reply: grooming 12 -> 14 for 2016/17, and
    // its stated total with it.
    replace_bytes(&reply, b"meeting a child,9,12", b"meeting a child,9,14");
    replace_bytes(&reply, b"Total,67,112", b"Total,67,114");
    let (r2, run) = publish(root, &[]);
    let line = format!(
        "2 national figures changed since release {}: fy-2016-17 total 5,653 → 5,655 (+2): cheshire's reply revised (2 cells)\nfoi run complete",
        run_id(&r1)
    );
    assert!(run.stderr.contains(&line), "{}", run.stderr);
    let (code, diff) = diff_json(root, &[]);
    assert_eq!(code, Some(3), "figures differ");
    assert_eq!(diff["previous"], run_id(&r1));
    assert_eq!(diff["release"], run_id(&r2));
    let m = moved(&r1, &r2);
    assert_eq!(said(&diff), m);
    assert_eq!(
        m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["fy-2016-17/offence_group=grooming", "fy-2016-17/total"]
    );
    assert_eq!(m[1].1, Some((5653, 5653)));
    assert_eq!(m[1].2, Some((5655, 5655)));
    assert_eq!(
        forces(&diff),
        [("cheshire".into(), true, vec!["source".into()])]
    );
    assert_eq!(diff["general"], serde_json::json!([]));
    parts_are_only(&diff, "cheshire");
    let cells: Vec<(String, String, String)> = diff["forces"][0]["causes"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| {
            (
                c["cells"][0].as_str().expect("cell").to_string(),
                c["previous"].as_str().expect("was").to_string(),
                c["now"].as_str().expect("is").to_string(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("line 16, field 3".into(), "12".into(), "14".into()),
            ("line 17, field 3".into(), "112".into(), "114".into())
        ]
    );
    the_release_says_what_diff_says(root, &r2, &diff);
    // For people: the figure, the part, the cells.
    let text = ran(foi_in(root).arg("diff"));
    assert_eq!(text.code, Some(3));
    for l in [
        "fy-2016-17 total 5,653 → 5,655 (+2)  [r]",
        "    cheshire 112 → 114 (+2)",
        "    cheshire's reply revised (2 cells)",
        "        line 16, field 3: \"12\" → \"14\" (fy-2016-17/cheshire/",
    ] {
        assert!(text.stdout.contains(l), "{l:?} in\n{}", text.stdout);
    }

    // 2. An analyst reads Sussex's "Grooming" as indecent images. The same
    // previous release and the same inputs give the same bytes: a copy of
    // out/ is built from the same cache.
    let cw = root.join(CAMPAIGN).join("crosswalks/offences.csv");
    replace_bytes(&cw, b"\nGrooming,88A,sussex\n", b"\nGrooming,86,sussex\n");
    copy_dir(&root.join("out"), &root.join("out2"));
    let (r3, run) = publish(root, &["--log-format", "json"]);
    let event = run
        .stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<Json>(l).ok())
        .find(|j| j["fields"]["event"] == "changes")
        .unwrap_or_else(|| panic!("a changes event: {}", run.stderr));
    assert_eq!(event["fields"]["previous_release"], run_id(&r2));
    assert_eq!(event["fields"]["forces"], "sussex");
    assert_eq!(event["fields"]["revised"], 4);
    let twin = ran(foi_in(root).args(["--out", "out2", "build"]));
    assert_eq!(twin.code, Some(0), "{}", twin.stderr);
    let r3b = root.join("out2/latest").canonicalize().expect("latest");
    assert_eq!(files(&r3), files(&r3b));
    for f in files(&r3).iter().filter(|f| *f != "manifest.json") {
        assert_eq!(
            std::fs::read(r3.join(f)).expect("read"),
            std::fs::read(r3b.join(f)).expect("read"),
            "{f} differs between two builds on the same previous release"
        );
    }
    let (code, diff) = diff_json(root, &[]);
    assert_eq!(code, Some(3));
    let m = moved(&r2, &r3);
    assert_eq!(said(&diff), m);
    assert_eq!(
        m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        [
            "fy-2016-17/offence_group=grooming",
            "fy-2016-17/offence_group=indecent_images",
            "ye-jun-2016/offence_group=grooming",
            "ye-jun-2016/offence_group=indecent_images",
        ]
    );
    assert_eq!(
        forces(&diff),
        [("sussex".into(), true, vec!["crosswalk".into()])]
    );
    assert_eq!(diff["general"], serde_json::json!([]));
    parts_are_only(&diff, "sussex");
    let lines = &diff["forces"][0]["causes"][0]["lines"];
    assert_eq!(lines.as_array().map(Vec::len), Some(1), "{lines}");
    assert_eq!(lines[0]["label"], "Grooming");
    assert_eq!(lines[0]["force"], "sussex");
    assert_eq!(lines[0]["previous"][0], "88A");
    assert_eq!(lines[0]["now"][0], "86");
    the_release_says_what_diff_says(root, &r3, &diff);

    // 3. Cumbria now refuses (s.12).
    std::fs::write(
        root.join(CAMPAIGN).join("responses/cumbria.toml"),
        "force = \"cumbria\"\nrequests = [\"ye-jun-2016\", \"fy-2016-17\"]\nstatus = \"refused\"\nsection = \"s.12\"\n",
    )
    .expect("write");
    let (r4, _) = publish(root, &[]);
    let (code, diff) = diff_json(root, &[]);
    assert_eq!(code, Some(3));
    let m = moved(&r3, &r4);
    assert_eq!(said(&diff), m);
    // Every figure Cumbria had a part in, less its part.
    let cumbria: BTreeMap<String, (u64, u64)> = read_csv(&r3.join("contributions.csv"))
        .into_iter()
        .filter(|r| r["force_id"] == "cumbria")
        .map(|r| {
            let n = |k: &str| r[k].parse::<u64>().expect("a count");
            (r["figure_id"].clone(), (n("lo"), n("hi")))
        })
        .collect();
    let figures: BTreeSet<String> = diff["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .map(|f| f["figure_id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(figures, cumbria.keys().cloned().collect());
    for (id, before, now) in &m {
        let (b, n, part) = (before.expect("before"), now.expect("now"), cumbria[id]);
        assert_eq!((b.0 - part.0, b.1 - part.1), n, "{id}");
    }
    parts_are_only(&diff, "cumbria");
    assert_eq!(
        forces(&diff),
        [(
            "cumbria".into(),
            true,
            vec![
                "source".into(),
                "response".into(),
                "coverage".into(),
                "coverage".into()
            ]
        )]
    );
    let coverage: Vec<(&str, &str, &str)> = diff["forces"][0]["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .filter(|c| c["kind"] == "coverage")
        .map(|c| {
            (
                c["request"].as_str().expect("request"),
                c["previous"]["status"].as_str().expect("status"),
                c["now"]["status"].as_str().expect("status"),
            )
        })
        .collect();
    assert_eq!(
        coverage,
        [
            ("ye-jun-2016", "answered", "refused (s.12)"),
            ("fy-2016-17", "answered", "refused (s.12)")
        ]
    );
    assert_eq!(
        diff["forces"][0]["causes"][0]["now"],
        Json::Null,
        "no longer read"
    );
    the_release_says_what_diff_says(root, &r4, &diff);

    // Any two releases by run id or folder: the first against the last
    // names all three forces.
    let (code, diff) = diff_json(root, &[Path::new(&run_id(&r1)), &r4]);
    assert_eq!(code, Some(3));
    let named: Vec<String> = forces(&diff).into_iter().map(|f| f.0).collect();
    assert_eq!(named, ["cheshire", "cumbria", "sussex"]);

    // Two releases from the same inputs are the same: a build into another
    // out/ from the same cache and config.
    let again = ran(foi_in(root).args(["--out", "out3", "build"]));
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let r4b = root.join("out3/latest").canonicalize().expect("latest");
    let (code, diff) = diff_json(root, &[&r4, &r4b]);
    assert_eq!(code, Some(0), "{diff}");
    assert_eq!(diff["figures"], serde_json::json!([]));
    assert_eq!(diff["forces"], serde_json::json!([]));
    assert_eq!(diff["general"], serde_json::json!([]));
    let text = ran(foi_in(root).arg("diff").arg(&r4).arg(&r4b));
    assert_eq!(text.code, Some(0));
    assert!(
        text.stdout.contains("No national figure changed"),
        "{}",
        text.stdout
    );

    // A release made before releases recorded contributions and
    // fingerprints: what it does not record is unknown, never guessed.
    let old = root.join("old");
    copy_dir(&r1, &old);
    std::fs::remove_file(old.join("contributions.csv")).expect("rm");
    let mut m: Json =
        serde_json::from_slice(&std::fs::read(old.join("manifest.json")).expect("manifest"))
            .expect("json");
    let obj = m.as_object_mut().expect("object");
    for k in [
        "campaign_sha256",
        "response_configs",
        "crosswalks",
        "changes",
    ] {
        obj.remove(k);
    }
    obj.insert("schema_version".into(), 2.into());
    std::fs::write(old.join("manifest.json"), m.to_string()).expect("write");
    let (code, diff) = diff_json(root, &[&old, &r2]);
    assert_eq!(code, Some(3));
    assert_eq!(
        forces(&diff),
        [(
            "cheshire".into(),
            true,
            vec!["source".into(), "unknown".into()]
        )]
    );
    assert_eq!(diff["general"][0]["kind"], "unknown");
    let grooming = diff["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["figure_id"] == "fy-2016-17/offence_group=grooming")
        .expect("grooming");
    assert_eq!(
        grooming["parts"],
        Json::Null,
        "a breakdown's parts are not recorded"
    );
}

#[test]
fn releases_that_cannot_be_named_are_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let none = ran(foi(tmp.path()).arg("diff"));
    assert_eq!(none.code, Some(2), "{}", none.stderr);
    assert!(
        none.stderr.contains("points at no release"),
        "{}",
        none.stderr
    );
    let wrong = ran(foi(tmp.path()).args(["diff", "20261128T021810Z-2349", "latest"]));
    assert_eq!(wrong.code, Some(2), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("no release \"latest\"")
            && wrong
                .stderr
                .contains(&out.join("releases").display().to_string()),
        "{}",
        wrong.stderr
    );
    let format = ran(foi(tmp.path()).args(["diff", "--format", "xml"]));
    assert_eq!(format.code, Some(2), "{}", format.stderr);
}
