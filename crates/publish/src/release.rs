//! A release: everything worked out from the records, and the tables built
//! from it, before any file is written.

use crate::figures::{Assembly, Check, Comparison, CoverageRow, Figure, Headline, Reason};
use crate::table::Table;
use foi_model::config::{Config, Publisher};
use foi_model::DimId;
use std::collections::BTreeSet;

/// Everything a release holds, before it is written.
#[derive(Debug, Clone)]
pub struct Release {
    pub campaign: String,
    pub title: String,
    pub description: String,
    /// Who publishes the tables, as the campaign says.
    pub publisher: Option<Publisher>,
    pub figures: Vec<Figure>,
    pub coverage: Vec<CoverageRow>,
    pub comparisons: Vec<Comparison>,
    /// Reconciliation: every figure a source states that foi also computes.
    pub checks: Vec<Check>,
    pub headline: Headline,
    /// Notes a reader needs: what the shorthand means, what was left out or
    /// flagged, where definitions differ.
    pub notes: Vec<String>,
    pub tables: Vec<Table>,
}

impl Release {
    pub fn new(config: &Config, assembly: Assembly, tables: Vec<Table>) -> Release {
        let campaign = &config.campaign;
        let Assembly {
            figures,
            coverage,
            comparisons,
            checks,
            headline,
            notes,
        } = assembly;
        Release {
            campaign: campaign.id.clone(),
            title: campaign.title.clone(),
            description: campaign.description.clone(),
            publisher: campaign.publisher.clone(),
            figures,
            coverage,
            comparisons,
            checks,
            headline,
            notes,
            tables,
        }
    }

    /// "Published by NSPCC on 20 June 2017. Contact: …", or nothing.
    pub fn published_by(&self) -> Vec<String> {
        let Some(p) = &self.publisher else {
            return Vec::new();
        };
        let mut lines = vec![match &p.published {
            Some(d) => format!("Published by {} on {}.", p.name, d.0.format("%-d %B %Y")),
            None => format!("Published by {}.", p.name),
        }];
        if let Some(c) = &p.contact {
            lines.push(format!("Contact: {c}"));
        }
        lines
    }

    /// How many forces the campaign asked: every force in the coverage table.
    pub fn forces_asked(&self) -> usize {
        self.coverage
            .iter()
            .map(|c| &c.force)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Every reason a force was left out or flagged that the config did not
    /// already declare (a national source with no row for it, a conflict,
    /// a period the data does not cover, a failed read, a stale source…),
    /// with its coverage row: what a run should warn about.
    pub fn undeclared(&self) -> impl Iterator<Item = (&CoverageRow, &Reason)> {
        self.coverage
            .iter()
            .flat_map(|c| c.undeclared().map(move |r| (c, r)))
    }

    /// The figure for a request and breakdown cell, as `foi explain` asks.
    pub fn figure(&self, request: &str, breakdown: &[(DimId, String)]) -> Option<&Figure> {
        self.figures.iter().find(|f| {
            f.request == request
                && f.breakdown.len() == breakdown.len()
                && f.breakdown
                    .iter()
                    .zip(breakdown)
                    .all(|((d, v), (d2, v2))| d == d2 && v.to_string().eq_ignore_ascii_case(v2))
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::figures::testing::{answered, config, declined, record};
    use crate::Gaps;

    #[test]
    fn what_the_config_did_not_declare_is_listed_for_the_run_to_warn_about() {
        let c = config(&[
            ("national", answered(None, &["y1"], "")),
            ("delta", declined("delta", "status = \"not_held\"")),
        ]);
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("beta", "y1", &[], 6, 6),
        ];
        let release = crate::assemble(&c, &records, &[], &[], &Gaps::default());
        let said: Vec<(&str, &str, &str)> = release
            .undeclared()
            .map(|(c, r)| (c.force.0.as_str(), c.request.as_str(), r.code()))
            .collect();
        // Gamma has no row in the national table; delta's "not held" and
        // y2, which no national table answers, are declared.
        assert_eq!(said, vec![("gamma", "y1", "no_row")]);
    }
}
