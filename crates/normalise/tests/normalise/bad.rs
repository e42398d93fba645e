//! Every file in fixtures/bad/ read as Surrey's response: what it gives
//! (records, and each diagnostic as printed) must be exactly what
//! fixtures/bad/expected.txt says. `FOI_BLESS=1` rewrites the committed
//! files and expected.txt from corpus.rs.

use crate::corpus::{committed, generated};
use crate::*;

/// What reading one bad file gives, as expected.txt holds it.
pub fn outcome(name: &str, bytes: &[u8]) -> String {
    let cfg = config(&format!("fixtures/bad/{name}"));
    let n = read(&cfg, bytes, &Limits::DEFAULT);
    let mut out = format!("== {name}\nrecords: {}\n", n.records.len());
    for d in &n.diagnostics {
        out += &format!("{d}\n");
    }
    out
}

#[test]
fn every_bad_file_gives_its_exact_error() {
    let dir = root().join("fixtures/bad");
    let bless = std::env::var_os("FOI_BLESS").is_some();
    let mut got = String::new();
    for (name, bytes) in committed() {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, &bytes).expect("write");
        }
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        got += &outcome(name, &on_disk);
    }
    for (name, bytes) in generated() {
        got += &outcome(name, &bytes);
    }
    let expected_path = dir.join("expected.txt");
    if bless {
        std::fs::write(&expected_path, &got).expect("write expected");
    }
    let want = std::fs::read_to_string(&expected_path).expect("fixtures/bad/expected.txt");
    if want != got {
        let w: Vec<&str> = want.lines().collect();
        let g: Vec<&str> = got.lines().collect();
        let first = w
            .iter()
            .zip(&g)
            .position(|(a, b)| a != b)
            .unwrap_or(w.len().min(g.len()));
        panic!(
            "fixtures/bad/expected.txt differs at line {}:\n want: {:?}\n  got: {:?}\n--- got in full:\n{got}",
            first + 1,
            w.get(first),
            g.get(first)
        );
    }
}

/// Every committed bad file is small: the big ones are made at test time.
#[test]
fn committed_bad_files_are_small() {
    for (name, _) in committed() {
        let len = std::fs::metadata(root().join("fixtures/bad").join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len < 64 * 1024, "{name} is {len} bytes");
    }
}

/// The zip bomb really is one: its sheet declares and holds 2 GiB.
#[test]
fn the_zip_bomb_is_real() {
    let bomb = corpus::big::zip_bomb();
    assert!(bomb.len() < 8 * 1024 * 1024, "{} bytes", bomb.len());
    let z = zip::ZipArchive::new(std::io::Cursor::new(&bomb)).expect("a zip");
    let total: u64 = (0..z.len())
        .map(|i| z.by_index_data(i).expect("entry").size())
        .sum();
    assert!(total > 2_000_000_000, "{total}");
}
