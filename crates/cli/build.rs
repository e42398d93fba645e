//! Sets `FOI_BUILD_ID`: the sha256 of foi's own source (each crate's
//! `src/` and `Cargo.toml`, the workspace's `Cargo.toml` and `Cargo.lock`).
//! The normalised cache and the no-change check key on it, so a foi built
//! from different code never reuses what another build made, whatever the
//! version number says (it stays 0.1.0 between releases).

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let crates = root.join("crates");
    let mut files = Vec::new();
    let mut watched = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    if let Ok(rd) = std::fs::read_dir(&crates) {
        for krate in rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
            watched.push(krate.join("Cargo.toml"));
            watched.push(krate.join("src"));
            walk(&krate.join("src"), &mut files);
        }
    }
    files.extend(watched.iter().filter(|p| p.is_file()).cloned());
    files.sort();
    let id = if files.is_empty() {
        // Built outside the workspace (from a package): the version is all
        // there is to go on.
        format!(
            "version-{}",
            std::env::var("CARGO_PKG_VERSION").unwrap_or_default()
        )
    } else {
        let mut h = Sha256::new();
        for f in &files {
            h.update(
                f.strip_prefix(&root)
                    .unwrap_or(f)
                    .to_string_lossy()
                    .as_bytes(),
            );
            h.update([0]);
            h.update(std::fs::read(f).unwrap_or_default());
            h.update([0]);
        }
        hex::encode(h.finalize())
    };
    println!("cargo:rustc-env=FOI_BUILD_ID={id}");
    // Cargo scans a watched folder's files for changes.
    for w in &watched {
        println!("cargo:rerun-if-changed={}", w.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for p in rd.flatten().map(|e| e.path()) {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}
