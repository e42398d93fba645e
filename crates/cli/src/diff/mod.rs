//! `foi diff [OLD] [NEW]`: what differs between two releases, and why.
//! Each release folder is read into plain data ([`read`]) and compared by
//! foi-publish's pure [`compare`](foi_publish::figures::changes::compare),
//! the comparison every new release makes with the one it replaces for its
//! changes.csv ([`record`]). Exit 0 when no national figure differs, 3
//! when one does (for a CI job to gate on), 2 when the releases cannot be
//! named.

mod read;
pub mod record;
mod show;

use crate::release::{self, Manifest};
use crate::{exit, report};
use anyhow::Result;
use clap::ValueEnum;
use foi_publish::figures::changes::{self, Changes};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// For people: the figures, then why, force by force.
    #[default]
    Text,
    /// Every change and cause as one JSON object.
    Json,
    /// The changes table, as a release's changes.csv holds it.
    Csv,
}

/// A release named on the command line: a folder holding manifest.json
/// (`out/latest`, `out/releases/<run-id>`), or a run id in
/// `out/releases/`.
fn locate(out: &Path, name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    if p.join("manifest.json").is_file() {
        return Some(p.to_path_buf());
    }
    let r = out.join("releases").join(name);
    r.join("manifest.json").is_file().then_some(r)
}

/// The release `new` replaced: the one its manifest names, else the one
/// before it of the same campaign.
fn before(out: &Path, new: &Manifest) -> Option<PathBuf> {
    if let Some(id) = new
        .changes
        .as_ref()
        .and_then(|c| c.previous_release.as_ref())
    {
        if let Some(dir) = locate(out, id) {
            return Some(dir);
        }
    }
    let ids = release::releases(out);
    let at = ids.iter().position(|id| *id == new.run_id)?;
    ids[..at]
        .iter()
        .rev()
        .map(|id| out.join("releases").join(id))
        .find(|dir| release::read_manifest(dir).is_some_and(|m| m.campaign == new.campaign))
}

fn usage(msg: &str) -> Result<u8> {
    report::error(msg);
    Ok(exit::USAGE)
}

pub fn diff(out: &Path, old: Option<&str>, new: Option<&str>, format: Format) -> Result<u8> {
    let new_dir = match new {
        Some(n) => match locate(out, n) {
            Some(d) => d,
            None => {
                return usage(&format!(
                    "no release {n:?}: not a folder with a manifest.json, nor a run id in {}",
                    out.join("releases").display()
                ))
            }
        },
        None => match release::latest(out) {
            Some((_, d)) => d,
            None => {
                return usage(&format!(
                    "{} points at no release: run foi first, or name two releases",
                    out.join("latest").display()
                ))
            }
        },
    };
    let (new_manifest, mut b) = read::snapshot(&new_dir)?;
    let old_dir = match old {
        Some(o) => match locate(out, o) {
            Some(d) => d,
            None => {
                return usage(&format!(
                    "no release {o:?}: not a folder with a manifest.json, nor a run id in {}",
                    out.join("releases").display()
                ))
            }
        },
        None => match before(out, &new_manifest) {
            Some(d) => d,
            None => {
                return usage(&format!(
                    "release {} is the first of {} in {}: nothing before it to compare with",
                    new_manifest.run_id,
                    new_manifest.campaign,
                    out.join("releases").display()
                ))
            }
        },
    };
    let (_, mut a) = read::snapshot(&old_dir)?;
    if a.facts.campaign != b.facts.campaign {
        return usage(&format!(
            "release {} is of campaign {} and {} of {}: only releases of one campaign compare",
            a.facts.run_id, a.facts.campaign, b.facts.run_id, b.facts.campaign
        ));
    }
    let (x, y) = changes::changed_sources(&a, &b);
    read::records(&old_dir, &mut a, &x)?;
    read::records(&new_dir, &mut b, &y)?;
    let c = changes::compare(Some(&a), &b);
    match format {
        Format::Text => report::out(&show::text(&c)),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&Report::of(&c))?;
            text.push('\n');
            report::out(&text);
        }
        // Only the column names reach the CSV, not their titles with the
        // unit.
        Format::Csv => report::out(&String::from_utf8_lossy(&foi_publish::changes_csv(&c, "")?)),
    }
    Ok(if c.figures.is_empty() {
        exit::COMPLETE
    } else {
        exit::WARNINGS
    })
}

/// `--format json`: the changes, with the one-line summary a run ends with.
#[derive(serde::Serialize)]
struct Report<'c> {
    summary: String,
    figures_changed: usize,
    #[serde(flatten)]
    changes: &'c Changes,
}

impl<'c> Report<'c> {
    fn of(changes: &'c Changes) -> Self {
        Report {
            summary: changes.line(),
            figures_changed: changes.figures.len(),
            changes,
        }
    }
}
