//! A release: everything worked out from the records, and the tables built
//! from it, before any file is written.

use crate::figures::changes::{Changes, Facts, Rows, RowsError, Snapshot};
use crate::figures::{
    Assembly, Check, Comparison, CoverageRow, Figure, Headline, Note, Reason, Topic,
};
use crate::table::{Table, Value};
use foi_model::config::{Config, Licence, Publisher, Request};
use foi_model::{DimId, ForceId, Record};
use std::collections::{BTreeMap, BTreeSet};

/// A file the figures were read from: a force's reply, or a national table
/// answering for many forces, as the records' lineage names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Its path or URL, as the response config gives it.
    pub file: String,
    pub sha256: String,
    /// The forces whose figures were read from it, by id.
    pub forces: Vec<ForceId>,
    /// Their names, in the same order.
    pub names: Vec<String>,
}

impl SourceFile {
    /// Whether `file` is a web address (else a path on the machine that
    /// built the release).
    pub fn is_url(&self) -> bool {
        self.file.starts_with("https://") || self.file.starts_with("http://")
    }

    /// "Kent Police", "Avon & Somerset Constabulary and 43 other forces".
    pub fn whose(&self) -> String {
        match self.names.as_slice() {
            [] => "no force".to_string(),
            [one] => one.clone(),
            [first, rest @ ..] => format!(
                "{first} and {} other {}",
                rest.len(),
                if rest.len() == 1 { "force" } else { "forces" }
            ),
        }
    }
}

/// Every source file the records were read from, in the order of its file
/// name, each with the forces it gave figures for.
pub fn sources(config: &Config, records: &[Record]) -> Vec<SourceFile> {
    let mut by: BTreeMap<(&str, &str), BTreeSet<&ForceId>> = BTreeMap::new();
    for r in records {
        by.entry((r.lineage.file.as_str(), r.lineage.sha256.as_str()))
            .or_default()
            .insert(&r.force);
    }
    by.into_iter()
        .map(|((file, sha256), forces)| {
            let forces: Vec<ForceId> = forces.into_iter().cloned().collect();
            SourceFile {
                file: file.to_string(),
                sha256: sha256.to_string(),
                names: forces
                    .iter()
                    .map(|f| {
                        config
                            .forces
                            .get(f)
                            .map_or_else(|| f.0.clone(), |x| x.name.clone())
                    })
                    .collect(),
                forces,
            }
        })
        .collect()
}

/// Everything a release holds, before it is written.
#[derive(Debug, Clone)]
pub struct Release {
    pub campaign: String,
    pub title: String,
    pub description: String,
    /// Who publishes the tables, as the campaign says.
    pub publisher: Option<Publisher>,
    /// Where the figures come from, in a sentence: the campaign's own
    /// words, or what its responses are.
    pub source: String,
    pub licence: Licence,
    /// What the campaign counts: "offences".
    pub unit: String,
    /// The campaign's requests: ids, titles and periods.
    pub requests: Vec<Request>,
    /// Each dimension's title, by id.
    pub dimensions: BTreeMap<DimId, String>,
    /// Every file the records were read from, with its sha256.
    pub sources: Vec<SourceFile>,
    pub figures: Vec<Figure>,
    pub coverage: Vec<CoverageRow>,
    pub comparisons: Vec<Comparison>,
    /// Reconciliation: every figure a source states that foi also computes.
    pub checks: Vec<Check>,
    pub headline: Headline,
    /// Notes a reader needs: what the shorthand means, what was left out or
    /// flagged, where definitions differ.
    pub notes: Vec<Note>,
    pub tables: Vec<Table>,
    /// What differs from the release this one replaced (set by
    /// [`Release::revise`]; until then, a first release's).
    pub changes: Changes,
}

impl Release {
    pub fn new(
        config: &Config,
        assembly: Assembly,
        tables: Vec<Table>,
        sources: Vec<SourceFile>,
    ) -> Release {
        let campaign = &config.campaign;
        let Assembly {
            figures,
            coverage,
            comparisons,
            checks,
            headline,
            mut notes,
        } = assembly;
        let changes = Changes::first(&campaign.id, "");
        notes.push(revisions_note(&changes));
        Release {
            campaign: campaign.id.clone(),
            title: campaign.title.clone(),
            description: campaign.description.clone(),
            publisher: campaign.publisher.clone(),
            source: campaign
                .source
                .clone()
                .unwrap_or_else(|| default_source(config)),
            licence: campaign.licence.clone(),
            unit: campaign.unit.to_string(),
            requests: campaign.requests.clone(),
            dimensions: campaign
                .dimensions
                .iter()
                .map(|d| (d.id.clone(), d.title.clone()))
                .collect(),
            sources,
            figures,
            coverage,
            comparisons,
            checks,
            headline,
            notes,
            tables,
            changes,
        }
    }

    /// What the comparison with the previous release reads of this one:
    /// its tables as their CSV will hold them, so that it reads as the
    /// same release read back from disk.
    pub fn snapshot(&self, facts: Facts) -> Result<Snapshot, RowsError> {
        let tables = self
            .tables
            .iter()
            .filter(|t| {
                ["national", "contributions", "by_force", "coverage"].contains(&t.name.as_str())
            })
            .map(|t| (t.name.clone(), rows(t, |_| true)))
            .collect();
        Snapshot::from_rows(facts, &tables)
    }

    /// The records table's rows read from the sources with these sha256s,
    /// as records.csv will hold them.
    pub fn records_rows(&self, sha256s: &BTreeSet<String>) -> Rows {
        let Some(t) = self.tables.iter().find(|t| t.name == "records") else {
            return Rows::default();
        };
        let Some(sha) = t.column("source_sha256") else {
            return Rows::default();
        };
        rows(
            t,
            |row| matches!(&row[sha], Value::Text(s) if sha256s.contains(s)),
        )
    }

    /// Marks the figures revised since the previous release, fills the
    /// changes table and says in the notes what the release was compared
    /// with.
    pub fn revise(&mut self, changes: Changes) {
        crate::write::tables::revise(&mut self.tables, &changes, &self.unit);
        for n in self
            .notes
            .iter_mut()
            .filter(|n| n.topic == Topic::Revisions)
        {
            *n = revisions_note(&changes);
        }
        self.changes = changes;
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

    /// A request's title, or its id when it has none.
    pub fn request_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.requests
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.title.as_str())
    }

    /// The notes on `topics`, with their numbers (from 1), in order.
    pub fn notes_on<'a>(
        &'a self,
        topics: &'a [crate::figures::Topic],
    ) -> impl Iterator<Item = (usize, &'a Note)> + 'a {
        self.notes
            .iter()
            .enumerate()
            .filter(|(_, n)| topics.contains(&n.topic))
            .map(|(i, n)| (i + 1, n))
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

/// A table's rows that `keep`, as its CSV holds them.
fn rows(t: &Table, keep: impl Fn(&[Value]) -> bool) -> Rows {
    Rows {
        header: t.columns.iter().map(|c| c.name.clone()).collect(),
        rows: t
            .rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.iter().map(Value::csv_field).collect())
            .collect(),
    }
}

/// The note on revisions: what [r] marks and what the release was compared
/// with, or that it is the first.
fn revisions_note(changes: &Changes) -> Note {
    let text = match (&changes.previous, &changes.unreadable) {
        (Some(previous), None) => format!(
            "[r] marks a national figure revised since release {previous}, which this release replaced: its value or range differs (`revised` in the national table). In all, {}. The changes table gives each changed figure's previous and new value, each force whose part moved, and why.",
            changes.tally()
        ),
        _ => changes.description(),
    };
    Note {
        topic: Topic::Revisions,
        text,
    }
}

/// What the responses are, when the campaign does not say where its
/// figures come from: the forces' own replies, the national tables read, or
/// both.
fn default_source(config: &Config) -> String {
    let (national, own): (Vec<_>, Vec<_>) = config
        .responses
        .iter()
        .filter(|r| r.status.has_figures() && r.source.is_some())
        .partition(|r| r.force.is_none());
    let own_forces: BTreeSet<&ForceId> = own.iter().filter_map(|r| r.force.as_ref()).collect();
    let mut parts = Vec::new();
    if !own_forces.is_empty() {
        let n = own_forces.len();
        parts.push(format!(
            "the replies of {n} police {} to Freedom of Information requests",
            if n == 1 { "force" } else { "forces" }
        ));
    }
    if !national.is_empty() {
        let files: Vec<&str> = national
            .iter()
            .filter_map(|r| r.source.as_ref().map(|s| s.display()))
            .collect();
        parts.push(format!(
            "the national {} {}",
            if files.len() == 1 { "table" } else { "tables" },
            files.join(", ")
        ));
    }
    if parts.is_empty() {
        return "No source gave figures.".to_string();
    }
    let text = parts.join(", and ");
    let mut c = text.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => text,
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
