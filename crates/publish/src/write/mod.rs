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

/// Every file of a release, in the order they are listed.
fn parts(release: &Release) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    for t in &release.tables {
        if !t.parquet_only() {
            parts.push(Part::Csv(t));
        }
        parts.push(Part::Parquet(t));
    }
    parts.extend([Part::Xlsx, Part::DataPackage, Part::Summary]);
    parts
}

fn render_part(release: &Release, part: &Part<'_>) -> Result<(String, Vec<u8>), PublishError> {
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
            datapackage::datapackage_bytes(release),
        )),
        Part::Summary => Ok((
            "summary.html".into(),
            html::summary_html(release).into_bytes(),
        )),
    }
}

/// Writes every file of the release into `dir`, each atomically and made
/// durable (fsync), and says what was written, in a fixed order whatever
/// order the threads finish in; the first failure in that order is the
/// error.
///
/// The files are rendered in parallel (rayon), each from the release
/// alone, and each is hashed and written as soon as it is rendered, on the
/// same thread: one file's disk writes overlap the others' rendering, and
/// no file is held in memory longer than it takes to write it.
pub fn write(release: &Release, dir: &Path) -> Result<Vec<Output>, PublishError> {
    use rayon::prelude::*;
    use sha2::{Digest, Sha256};
    let outputs: Vec<Result<Output, PublishError>> = parts(release)
        .par_iter()
        .map(|p| {
            let (name, bytes) = render_part(release, p)?;
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
        .collect();
    outputs.into_iter().collect()
}
