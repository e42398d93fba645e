//! Writing a release: the tables built from the figures ([`tables`]), each
//! rendered as CSV and Parquet, an accessible xlsx, a Frictionless
//! `datapackage.json` and a self-contained HTML summary, each file written
//! atomically.

mod atomic;
pub(crate) mod csv;
pub mod datapackage;
pub mod html;
mod parquet;
pub mod tables;
pub mod xlsx;

pub use atomic::{write_atomic, write_atomic_unsynced};

use crate::release::Release;
use crate::table::Table;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("could not build table {table}: {reason}")]
    Table { table: String, reason: String },
    #[error("could not write {file}: {source}")]
    Workbook {
        file: String,
        source: Box<xlsx::WorkbookError>,
    },
}

/// A file written into a release.
#[derive(Debug, Clone)]
pub struct Output {
    /// The file name within the release folder.
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One file of a release, rendered on its own.
enum Part<'a> {
    Csv(&'a Table),
    Parquet(&'a Table),
    Xlsx,
    DataPackage,
    Summary,
}

/// Every file of a release, in the order they are listed: first the files
/// rendered from the release alone, then those that describe them
/// (datapackage.json gives each table's size and sha256; the summary links
/// every file with its size).
fn parts(release: &Release) -> (Vec<Part<'_>>, Vec<Part<'_>>) {
    let mut first = Vec::new();
    for t in &release.tables {
        if !t.parquet_only() {
            first.push(Part::Csv(t));
        }
        first.push(Part::Parquet(t));
    }
    first.push(Part::Xlsx);
    (first, vec![Part::DataPackage, Part::Summary])
}

fn render_part(
    release: &Release,
    part: &Part<'_>,
    written: &[Output],
) -> Result<(String, Vec<u8>), PublishError> {
    let fail = |t: &Table, reason: String| PublishError::Table {
        table: t.name.clone(),
        reason,
    };
    match part {
        Part::Csv(t) => csv::csv_bytes(t)
            .map(|b| (format!("{}.csv", t.name), b))
            .map_err(|e| fail(t, e.to_string())),
        Part::Parquet(t) => parquet::parquet_bytes(t)
            .map(|b| (format!("{}.parquet", t.name), b))
            .map_err(|e| fail(t, e.to_string())),
        Part::Xlsx => {
            let file = format!("{}.xlsx", release.campaign);
            xlsx::workbook_bytes(release)
                .map(|b| (file.clone(), b))
                .map_err(|source| PublishError::Workbook {
                    file,
                    source: Box::new(source),
                })
        }
        Part::DataPackage => Ok((
            "datapackage.json".into(),
            datapackage::datapackage_bytes(release, written),
        )),
        Part::Summary => Ok((
            "summary.html".into(),
            html::summary_html(release, written).into_bytes(),
        )),
    }
}

/// Renders, hashes and writes `parts` in parallel (rayon), each as soon as
/// it is rendered, on the same thread: one file's disk writes overlap the
/// others' rendering, and no file is held in memory longer than it takes to
/// write it. The outputs come back in `parts`' order.
fn write_parts(
    release: &Release,
    dir: &Path,
    parts: &[Part<'_>],
    written: &[Output],
) -> Vec<Result<Output, PublishError>> {
    use rayon::prelude::*;
    use sha2::{Digest, Sha256};
    parts
        .par_iter()
        .map(|p| {
            let (name, bytes) = render_part(release, p, written)?;
            let path = dir.join(&name);
            write_atomic(&path, &bytes).map_err(|source| PublishError::Write {
                path: path.display().to_string(),
                source,
            })?;
            Ok(Output {
                sha256: hex::encode(Sha256::digest(&bytes)),
                bytes: bytes.len() as u64,
                name,
            })
        })
        .collect()
}

/// Writes every file of the release into `dir`, each atomically and made
/// durable (fsync), and says what was written, in a fixed order whatever
/// order the threads finish in; the first failure in that order is the
/// error.
pub fn write(release: &Release, dir: &Path) -> Result<Vec<Output>, PublishError> {
    let (first, then) = parts(release);
    let mut outputs: Vec<Output> = write_parts(release, dir, &first, &[])
        .into_iter()
        .collect::<Result<_, _>>()?;
    let described: Vec<Output> = write_parts(release, dir, &then, &outputs)
        .into_iter()
        .collect::<Result<_, _>>()?;
    outputs.extend(described);
    Ok(outputs)
}
