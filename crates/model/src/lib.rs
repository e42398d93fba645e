//! foi-model: the canonical types every stage of foi speaks, and the config
//! language that describes a campaign.
//!
//! The stages meet only here: ingest turns [`Source`]s into cached bytes,
//! normalise turns bytes plus a [`Response`] into [`Record`]s and
//! [`Diagnostic`]s, publish turns records into national tables.
//!
//! Invariants:
//! - No I/O. Config arrives as text (with the path it came from, for errors);
//!   the caller reads files. No clock, no network, no global state.
//! - Every [`Record`] carries its [`Lineage`]: the source's sha256 and the
//!   cells its count came from.
//! - Counts are intervals ([`Interval`]): a suppressed cell ("<5") is an honest
//!   range, never a guess. A measure with decimals (FTE, money) is held in
//!   whole steps of its last place ([`Scale`]), so its sums are exact too.
//!
//! Main entry points: [`config::Config::from_texts`] compiles a campaign's
//! config, [`Crosswalk`] maps labels, [`Interval`] does the arithmetic.

mod area;
mod check;
pub mod config;
mod count;
mod crosswalk;
mod diagnostic;
mod dim;
mod force;
mod format;
mod limits;
mod period;
mod record;
mod scale;
pub mod table;
mod zipdir;

pub use area::{Area, Areas, Place};
pub use check::Check;
pub use count::{thousands, Count, Interval};
pub use crosswalk::{fold_label, Crosswalk, CrosswalkEntry};
pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use dim::{DimId, DimValue};
pub use force::{Force, ForceId, Forces};
pub use format::{sniff, Format};
pub use limits::Limits;
pub use period::{Fit, Month, Period};
pub use record::{
    grain_name as record_grain_name, Aggregate, CellRef, Lineage, Record, Status, Unit,
};
pub use scale::Scale;

/// Errors from reading config text. Each carries the file and, where the
/// parser knows it, the line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}:{line}: {message}")]
    At {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

impl ConfigError {
    pub fn at(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        ConfigError::At {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError::File {
            file: file.into(),
            message: message.into(),
        }
    }
}
