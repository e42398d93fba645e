//! A release: everything worked out from the records, and the tables built
//! from it, before any file is written.

use crate::figures::{Assembly, Check, Comparison, CoverageRow, Figure, Headline};
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
