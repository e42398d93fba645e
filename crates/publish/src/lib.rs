//! foi-publish: canonical records in, national tables out.
//!
//! ```text
//! assemble(&config, &records, &aggregates, &gaps) -> Release   pure: figures, tables, headline
//! release.revise(changes)               what differs from the last release: [r], changes
//! write(&release, dir) -> Vec<Output>    CSV, Parquet, xlsx, datapackage.json, summary.html
//! ```
//!
//! [`figures::changes`] compares two releases, each read by the caller into
//! a [`Snapshot`] (plain data); the release being written gives its own
//! ([`Release::snapshot`]).
//!
//! Two trees, one way: [`figures`] works out every number a release holds
//! and why (pure arithmetic over records and config, a module per rule);
//! [`write`] builds the tables from them and renders every file. A
//! [`Release`] is what passes between them.
//!
//! Every published figure is an [`Interval`](foi_model::Interval) with its
//! contributions kept ([`Figure::contributions`]), so `foi explain` can
//! walk any national number back to the cells it came from, and the
//! contributions always add up.

pub mod figures;
mod release;
mod show;
mod table;
pub mod write;

pub use figures::changes::{Changes, Snapshot};
pub use figures::{
    age_facts, figure_id, record_id, AgeFacts, Basis, Check, Comparison, Contribution, CoverageRow,
    Figure, Finding, Gaps, Headline, Note, Reason, RequestHeadline, Topic,
};
pub use release::{Release, SourceFile};
pub use show::{show_range, thousands};
pub use table::{at_scale, neutralise, Column, ForeignKey, Kind, Table, Value};
pub use write::datapackage::datapackage;
pub use write::html::summary_html;
pub use write::xlsx::workbook_bytes;
pub use write::{write, write_atomic, write_atomic_unsynced, Output, PublishError};

/// The changes table as CSV, as a release's changes.csv holds it (for
/// `foi diff --format csv`).
pub fn changes_csv(
    changes: &figures::changes::Changes,
    unit: &str,
) -> Result<Vec<u8>, PublishError> {
    let t = write::tables::changes(changes, unit);
    write::csv::csv_bytes(&t).map_err(|e| PublishError::Table {
        table: t.name.clone(),
        reason: e.to_string(),
    })
}

use foi_model::config::Config;
use foi_model::{Aggregate, Record};

/// Works out coverage, every national figure, and the tables. Pure.
/// `checks` are the forces' own stated totals as normalising checked them.
pub fn assemble(
    config: &Config,
    records: &[Record],
    aggregates: &[Aggregate],
    checks: &[Check],
    gaps: &Gaps,
) -> Release {
    let assembly = figures::assemble(config, records, aggregates, checks, gaps);
    let mut tables = write::tables::tables(config, records, &assembly);
    table::at_scale(&mut tables, config.campaign.scale);
    let sources = release::sources(config, records);
    Release::new(config, assembly, tables, sources)
}
