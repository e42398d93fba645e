//! Integration tests: the real `foi` binary on real files. One test binary
//! for the crate; each module covers one part of the CLI.

mod bad;
mod batch;
mod build;
mod config;
mod crash;
mod crosstab;
mod crosswalk;
mod detect;
mod diff;
mod fetch;
mod heldout;
mod publish;
mod realworld;
mod sections;
mod server;
mod silent;
mod suggest;
mod verdict;

pub use assert_cmd::Command;
pub use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// `foi` run from the workspace root with its cache and output in `tmp`.
pub fn foi(tmp: &Path) -> Command {
    let mut c = Command::cargo_bin("foi").expect("foi binary");
    c.current_dir(root())
        .arg("--cache-dir")
        .arg(tmp.join("cache"))
        .arg("--out")
        .arg(tmp.join("out"));
    c
}

/// foi run in `dir`: with the config (and the cache and out folders) a
/// test copied or made there, not the repository's.
pub fn foi_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("foi").expect("foi binary");
    c.current_dir(dir);
    c
}

pub type Row = BTreeMap<String, String>;

pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().expect("headers").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub use foi_publish::thousands;

/// Copies the config to `tmp/config` so a test can break one response.
pub fn copy_config(tmp: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read_dir") {
            let e = e.expect("entry");
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).expect("copy");
            }
        }
    }
    let config = tmp.join("config");
    copy(&root().join("config"), &config);
    // Sources are paths relative to the config folder's parent.
    std::os::unix::fs::symlink(root().join("fixtures"), tmp.join("fixtures"))
        .expect("symlink fixtures");
    config
}
