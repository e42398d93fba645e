//! The arithmetic of a release, pure: records and config in, every national
//! figure, coverage, comparisons, reconciliation, headline and notes out.
//! No tables, no files: [`crate::write`] turns what is worked out here into
//! those.
//!
//! Rules that decide what is added up, each in its own module with its
//! tests:
//! - [`grain`]: never add a total to its parts. A force's figure for a
//!   breakdown comes from one grain of its records (the set of dimensions
//!   they carry), never from two added together.
//! - [`national`]: a suppressed cell is an interval, a sum of intervals is an
//!   interval, and a figure is a point only when every part is; each
//!   force's part is kept beside the figure and they add up to it.
//! - [`coverage`]: a response for a period other than the request's is never
//!   added: it is listed in coverage with the reason. A response counting
//!   another unit, or differing from most forces in a fixed dimension (e.g.
//!   online element found by keyword search), is added and flagged.
//! - [`reconcile`]: every figure a source states that foi also computes is
//!   checked, never added.
//! - [`compare`]: the matched panel holds only forces added to both
//!   requests on the same terms.
//! - [`changes`]: what differs from the release this one replaces, and
//!   why, from what each release records (never guessed).

pub mod changes;
mod compare;
mod coverage;
mod gaps;
mod grain;
mod headline;
mod ids;
mod national;
mod notes;
mod reconcile;
#[cfg(test)]
pub(crate) mod testing;

pub use compare::{Basis, Comparison};
pub use coverage::{CoverageRow, Reason};
pub use gaps::{Finding, Gaps};
pub use headline::{age_facts, AgeFacts, Headline, RequestHeadline};
pub use ids::{figure_id, record_id};
pub use national::{Contribution, Figure};
pub use notes::{Note, Topic};
pub use reconcile::Check;

use foi_model::config::Config;
use foi_model::{Aggregate, Record};

/// Everything worked out from the records, before any table is built.
#[derive(Debug, Clone)]
pub struct Assembly {
    pub figures: Vec<Figure>,
    pub coverage: Vec<CoverageRow>,
    pub comparisons: Vec<Comparison>,
    pub checks: Vec<Check>,
    pub headline: Headline,
    pub notes: Vec<Note>,
}

/// Works out coverage, every national figure, the comparisons, the
/// reconciliation, the headline and the notes.
pub fn assemble(
    config: &Config,
    records: &[Record],
    aggregates: &[Aggregate],
    checks: &[Check],
    gaps: &Gaps,
) -> Assembly {
    let by_force = national::by_force(records);
    let coverage = coverage::coverage(config, records, &by_force, gaps);
    let added = coverage::added(&coverage);
    let figures = national::national(config, records, &by_force, &added);
    let headline = headline::headline(config, &figures, &coverage);
    let comparisons = compare::compare(config, &figures, &coverage);
    let checks = reconcile::reconcile(records, aggregates, checks);
    let notes = notes::notes(config, &coverage, &comparisons);
    Assembly {
        figures,
        coverage,
        comparisons,
        checks,
        headline,
        notes,
    }
}
