//! What changed between two releases, and why: every national figure that
//! differs (revised, new, withdrawn, or the same number over other forces),
//! each force whose part of it moved, and for each such force what the
//! releases record about it that changed: its source's bytes (and the
//! cells of it whose text changed), where it was fetched from and whether
//! it is stale, its response config, the crosswalk lines that can apply to
//! it, how it answered and whether it was added; and what bears on every
//! force: foi's build and the campaign's config.
//!
//! Pure: each release is read by the caller into a [`Snapshot`] (plain
//! data: its facts from manifest.json and its tables as text), and
//! [`compare`] works out the [`Changes`]. A release made before foi
//! recorded something (each force's part of a breakdown, the response and
//! crosswalk fingerprints) is said to be unknown there, never guessed.

mod cells;
mod rows;
mod words;

pub use cells::CellChange;
pub use rows::{Rows, RowsError};
pub use words::{figure_label, show_change, signed};

use foi_model::Interval;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How a release names the force of a source or response that answers for
/// many forces (a national table).
pub const ALL_FORCES: &str = "all forces";

/// A source as a release's manifest records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceState {
    /// The response's key (its file name in `responses/`).
    pub key: String,
    /// The force it answers for, or [`ALL_FORCES`].
    pub force: String,
    /// Its path or URL, as the response config gives it.
    pub source: String,
    /// The sha256 of the copy read; `None` when there was none.
    pub sha256: Option<String>,
    pub stale: bool,
    pub fetched_at: Option<String>,
    /// Why the last fetch failed, when it did.
    pub error: Option<String>,
}

impl SourceState {
    /// Whether what a release was read from differs: where from, the
    /// bytes, or whether they are stale. A new fetch time for the same
    /// bytes (a server saying "not modified") is no change.
    fn differs(&self, other: &SourceState) -> bool {
        self.source != other.source || self.sha256 != other.sha256 || self.stale != other.stale
    }
}

/// A response's fingerprints, as a release's manifest records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResponseState {
    pub key: String,
    pub force: String,
    /// The response config file.
    pub file: String,
    /// sha256 of its text.
    pub sha256: String,
    /// sha256 of the crosswalk lines that can apply to it.
    pub crosswalk_sha256: String,
}

/// One crosswalk line, as a release's manifest records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CrosswalkLine {
    pub file: String,
    pub label: String,
    pub force: Option<String>,
    pub value: String,
    pub line: usize,
}

/// What a release's manifest says it was made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub run_id: String,
    pub campaign: String,
    /// foi's build fingerprint; `None` when the release does not record it.
    pub foi_build: Option<String>,
    /// The campaign's config without its responses and crosswalks (the
    /// campaign file, the reference tables); `None` when not recorded.
    pub campaign_sha256: Option<String>,
    pub sources: Vec<SourceState>,
    /// `None` when the release does not record them (made before foi did).
    pub responses: Option<Vec<ResponseState>>,
    pub crosswalks: Option<Vec<CrosswalkLine>>,
}

/// A national figure as national.csv gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureState {
    pub figure_id: String,
    pub request: String,
    pub breakdown: String,
    pub total: Interval,
    pub forces: u64,
    pub flagged: Vec<String>,
}

/// A force's part of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Part {
    pub interval: Interval,
    pub flagged: bool,
}

/// A force's row of coverage for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageState {
    pub status: String,
    pub included: bool,
    pub flagged: bool,
    pub reason: String,
    pub reason_code: Vec<String>,
}

impl CoverageState {
    fn differs(&self, other: &CoverageState) -> bool {
        self.status != other.status
            || self.included != other.included
            || self.flagged != other.flagged
            || self.reason_code != other.reason_code
    }
}

/// A record as records.csv gives it: what the comparison needs for cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordState {
    pub record_id: String,
    pub request: String,
    pub force: String,
    pub text: String,
    pub interval: Interval,
    pub sha256: String,
    pub source: String,
    pub sheet: String,
    pub cells: String,
}

/// What the comparison reads of one release.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub facts: Facts,
    /// In the release's order.
    pub figures: Vec<FigureState>,
    /// figure id -> force -> its part.
    pub parts: BTreeMap<String, BTreeMap<String, Part>>,
    /// Whether `parts` holds the breakdowns' too (a release made before
    /// contributions were published gives each force's total only).
    pub breakdown_parts: bool,
    /// (force, request) -> its coverage.
    pub coverage: BTreeMap<(String, String), CoverageState>,
    /// The records read from the sources that changed (see
    /// [`changed_sources`]).
    pub records: Vec<RecordState>,
}

impl Snapshot {
    fn source(&self, key: &str) -> Option<&SourceState> {
        self.facts.sources.iter().find(|s| s.key == key)
    }

    fn response(&self, key: &str) -> Option<&ResponseState> {
        self.facts.responses.as_ref()?.iter().find(|r| r.key == key)
    }

    /// A figure's parts, when the release records them.
    fn parts_of(&self, figure: &FigureState) -> Option<&BTreeMap<String, Part>> {
        static NONE: BTreeMap<String, Part> = BTreeMap::new();
        if figure.breakdown != "total" && !self.breakdown_parts {
            return None;
        }
        Some(self.parts.get(&figure.figure_id).unwrap_or(&NONE))
    }
}

/// The sources whose bytes differ between the releases: the sha256s whose
/// records to read, of the previous release and of the current one, so
/// that only their cells are compared.
pub fn changed_sources(
    previous: &Snapshot,
    current: &Snapshot,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut before = BTreeSet::new();
    let mut now = BTreeSet::new();
    for s in &current.facts.sources {
        let Some(p) = previous.source(&s.key) else {
            continue;
        };
        if let (Some(a), Some(b)) = (&p.sha256, &s.sha256) {
            if a != b {
                before.insert(a.clone());
                now.insert(b.clone());
            }
        }
    }
    (before, now)
}

/// How a figure changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Its value or range differs: marked revised ([r]).
    Revised,
    /// Not in the previous release (a new request, a new breakdown value).
    New,
    /// In the previous release, not in this one.
    Withdrawn,
    /// The same value, over other forces or with other forces flagged.
    Forces,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Revised => "revised",
            ChangeKind::New => "new",
            ChangeKind::Withdrawn => "withdrawn",
            ChangeKind::Forces => "forces",
        }
    }

    /// For people: "revised", "same value, other forces".
    pub fn words(self) -> &'static str {
        match self {
            ChangeKind::Forces => "same value, other forces",
            k => k.code(),
        }
    }
}

/// A force's part of a figure, before and now (`None`: no part in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartChange {
    pub force: String,
    pub previous: Option<Part>,
    pub now: Option<Part>,
}

/// A national figure that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureChange {
    pub figure_id: String,
    pub request: String,
    pub breakdown: String,
    pub change: ChangeKind,
    pub previous: Option<FigureState>,
    pub now: Option<FigureState>,
    /// Each force whose part differs; `None` when a release does not
    /// record the forces' parts of this figure.
    pub parts: Option<Vec<PartChange>>,
}

impl FigureChange {
    /// The figure as it is now, or as it was when withdrawn.
    pub fn state(&self) -> &FigureState {
        match (&self.now, &self.previous) {
            (Some(f), _) | (None, Some(f)) => f,
            // Built only with one of them.
            (None, None) => unreachable!("a figure change has a figure"),
        }
    }
}

/// Whether a response or source was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    Added,
    Removed,
    Changed,
}

/// A crosswalk line added, removed, or given another value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    pub file: String,
    pub label: String,
    pub force: Option<String>,
    /// Its value and line number before; `None` when it is new.
    pub previous: Option<(String, usize)>,
    pub now: Option<(String, usize)>,
}

/// A source whose location, bytes or staleness differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceChange {
    pub key: String,
    pub previous: Option<SourceState>,
    pub now: Option<SourceState>,
    /// The cells whose text changed, of this force's figures, when the
    /// bytes changed.
    pub cells: Vec<CellChange>,
}

/// Something a release records that differs, and bears on a force's
/// figures (or on every force's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// foi's build (the fingerprint of the source it was compiled from).
    Build {
        previous: Option<String>,
        now: Option<String>,
    },
    /// The campaign's config apart from responses and crosswalks: the
    /// campaign file and the reference tables.
    CampaignConfig {
        previous: Option<String>,
        now: Option<String>,
    },
    Source(SourceChange),
    Response {
        key: String,
        force: String,
        file: String,
        edit: Edit,
    },
    /// The crosswalk lines that can apply to a response.
    Crosswalk {
        key: String,
        force: String,
        lines: Vec<LineChange>,
    },
    /// How a force answered a request, or whether it was added or flagged.
    Coverage {
        force: String,
        request: String,
        previous: Option<CoverageState>,
        now: Option<CoverageState>,
    },
    /// What the previous release does not record, so cannot be compared.
    Unknown {
        what: String,
    },
}

/// Everything that bears on one force, and whether its part of any figure
/// moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForceChanges {
    pub force: String,
    /// Whether its part of a national figure differs.
    pub moved: bool,
    pub causes: Vec<Cause>,
}

/// What differs between a release and the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub campaign: String,
    /// The release compared with; `None` for a first release.
    pub previous: Option<String>,
    /// The release compared.
    pub release: String,
    /// Why the previous release could not be compared, when it could not
    /// be read.
    pub unreadable: Option<String>,
    /// In the release's order; those withdrawn after, in the previous
    /// release's order.
    pub figures: Vec<FigureChange>,
    /// What bears on every force: foi's build, the campaign's config, a
    /// national table.
    pub general: Vec<Cause>,
    /// Each force with anything changed, by id.
    pub forces: Vec<ForceChanges>,
}

impl Changes {
    /// A release with nothing before it.
    pub fn first(campaign: &str, release: &str) -> Changes {
        Changes {
            campaign: campaign.to_string(),
            release: release.to_string(),
            ..Changes::default()
        }
    }

    /// A previous release that could not be read: nothing compared.
    pub fn unreadable(campaign: &str, previous: &str, release: &str, why: &str) -> Changes {
        Changes {
            campaign: campaign.to_string(),
            previous: Some(previous.to_string()),
            release: release.to_string(),
            unreadable: Some(why.to_string()),
            ..Changes::default()
        }
    }

    /// Whether a figure was revised since the previous release: its value
    /// or range differs.
    pub fn revised(&self, figure_id: &str) -> bool {
        self.figures
            .iter()
            .any(|f| f.figure_id == figure_id && f.change == ChangeKind::Revised)
    }

    /// How many figures changed in each way.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.figures.iter().filter(|f| f.change == kind).count()
    }

    pub fn force(&self, id: &str) -> Option<&ForceChanges> {
        self.forces.iter().find(|f| f.force == id)
    }
}

/// What differs between `previous` (none for a first release) and
/// `current`, and why.
pub fn compare(previous: Option<&Snapshot>, current: &Snapshot) -> Changes {
    let facts = &current.facts;
    let Some(prev) = previous else {
        return Changes::first(&facts.campaign, &facts.run_id);
    };
    let figures = figure_changes(prev, current);
    let moved: BTreeSet<&str> = figures
        .iter()
        .flat_map(|f| f.parts.iter().flatten())
        .map(|p| p.force.as_str())
        .collect();
    let lines = line_changes(prev, current);

    let mut general = Vec::new();
    let recorded = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    let (b0, b1) = (recorded(&prev.facts.foi_build), recorded(&facts.foi_build));
    match (&b0, &b1) {
        (Some(a), Some(b)) if a == b => {}
        (Some(_), Some(_)) => general.push(Cause::Build {
            previous: b0.clone(),
            now: b1.clone(),
        }),
        _ => general.push(Cause::Unknown {
            what: format!(
                "whether foi's build changed: release {} does not record it",
                unrecorded(&prev.facts.run_id, &b0, &facts.run_id)
            ),
        }),
    }
    let (c0, c1) = (
        recorded(&prev.facts.campaign_sha256),
        recorded(&facts.campaign_sha256),
    );
    match (&c0, &c1) {
        (Some(a), Some(b)) if a == b => {}
        (Some(_), Some(_)) => general.push(Cause::CampaignConfig {
            previous: c0.clone(),
            now: c1.clone(),
        }),
        _ => general.push(Cause::Unknown {
            what: format!(
                "whether the campaign's config (campaign file, reference tables) changed: release {} does not record it",
                unrecorded(&prev.facts.run_id, &c0, &facts.run_id)
            ),
        }),
    }
    // A national table's own changes, once for every force.
    for key in source_keys(prev, current, ALL_FORCES) {
        if let Some(c) = source_change(prev, current, &key, None) {
            general.push(Cause::Source(c));
        }
    }
    for key in response_keys(prev, current, ALL_FORCES) {
        general.extend(response_causes(prev, current, &key, &lines));
    }

    let mut forces: BTreeSet<String> = moved.iter().map(|f| f.to_string()).collect();
    for s in [prev, current] {
        forces.extend(s.coverage.keys().map(|(f, _)| f.clone()));
        forces.extend(s.facts.sources.iter().map(|x| x.force.clone()));
        forces.extend(s.facts.responses.iter().flatten().map(|x| x.force.clone()));
    }
    forces.remove(ALL_FORCES);
    let fingerprints_known = prev.facts.responses.is_some() && facts.responses.is_some();
    // Requests in the campaign's order, as the figures come.
    let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
    for f in current.figures.iter().chain(&prev.figures) {
        let next = rank.len();
        rank.entry(f.request.as_str()).or_insert(next);
    }
    let mut per_force = Vec::new();
    for force in forces {
        let is_moved = moved.contains(force.as_str());
        let mut causes = Vec::new();
        for key in source_keys(prev, current, &force) {
            causes.extend(source_change(prev, current, &key, Some(&force)).map(Cause::Source));
        }
        // A national table's cells of this force's rows, where they moved
        // its figures or changed.
        for key in source_keys(prev, current, ALL_FORCES) {
            if let Some(c) = source_change(prev, current, &key, Some(&force)) {
                if is_moved || !c.cells.is_empty() {
                    causes.push(Cause::Source(c));
                }
            }
        }
        for key in response_keys(prev, current, &force) {
            causes.extend(response_causes(prev, current, &key, &lines));
        }
        if is_moved && !fingerprints_known {
            causes.push(Cause::Unknown {
                what: format!(
                    "whether {force}'s response config or the crosswalk lines that apply to it changed: release {} does not record them",
                    if prev.facts.responses.is_none() {
                        &prev.facts.run_id
                    } else {
                        &facts.run_id
                    }
                ),
            });
        }
        let mut requests: Vec<&String> = [prev, current]
            .iter()
            .flat_map(|s| s.coverage.keys())
            .filter(|(f, _)| *f == force)
            .map(|(_, r)| r)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        requests.sort_by_key(|r| (rank.get(r.as_str()).copied().unwrap_or(usize::MAX), *r));
        for request in requests {
            let k = (force.clone(), request.clone());
            let (a, b) = (prev.coverage.get(&k), current.coverage.get(&k));
            let differs = match (a, b) {
                (Some(a), Some(b)) => a.differs(b),
                (None, None) => false,
                _ => true,
            };
            if differs {
                causes.push(Cause::Coverage {
                    force: force.clone(),
                    request: request.clone(),
                    previous: a.cloned(),
                    now: b.cloned(),
                });
            }
        }
        if is_moved || !causes.is_empty() {
            per_force.push(ForceChanges {
                force,
                moved: is_moved,
                causes,
            });
        }
    }
    Changes {
        campaign: facts.campaign.clone(),
        previous: Some(prev.facts.run_id.clone()),
        release: facts.run_id.clone(),
        unreadable: None,
        figures,
        general,
        forces: per_force,
    }
}

/// The release of the two that does not record a fact (`value` is the
/// previous release's).
fn unrecorded<'a>(previous: &'a str, value: &Option<String>, current: &'a str) -> &'a str {
    if value.is_none() {
        previous
    } else {
        current
    }
}

/// Every figure that differs, in the current release's order, then those
/// withdrawn in the previous release's.
fn figure_changes(prev: &Snapshot, current: &Snapshot) -> Vec<FigureChange> {
    let before: BTreeMap<&str, &FigureState> = prev
        .figures
        .iter()
        .map(|f| (f.figure_id.as_str(), f))
        .collect();
    let now: BTreeSet<&str> = current
        .figures
        .iter()
        .map(|f| f.figure_id.as_str())
        .collect();
    let mut out = Vec::new();
    for f in &current.figures {
        let old = before.get(f.figure_id.as_str()).copied();
        let change = match old {
            None => ChangeKind::New,
            Some(o) if o.total != f.total => ChangeKind::Revised,
            Some(o) if o.forces != f.forces || o.flagged != f.flagged => ChangeKind::Forces,
            Some(_) => continue,
        };
        out.push(FigureChange {
            figure_id: f.figure_id.clone(),
            request: f.request.clone(),
            breakdown: f.breakdown.clone(),
            change,
            parts: part_changes(old.map(|o| prev.parts_of(o)), Some(current.parts_of(f))),
            previous: old.cloned(),
            now: Some(f.clone()),
        });
    }
    for o in prev
        .figures
        .iter()
        .filter(|o| !now.contains(o.figure_id.as_str()))
    {
        out.push(FigureChange {
            figure_id: o.figure_id.clone(),
            request: o.request.clone(),
            breakdown: o.breakdown.clone(),
            change: ChangeKind::Withdrawn,
            parts: part_changes(Some(prev.parts_of(o)), None),
            previous: Some(o.clone()),
            now: None,
        });
    }
    out
}

/// Each force whose part differs. The outer `Option` is whether the figure
/// is in that release (absent: no force's part); the inner whether the
/// release records the parts (unknown: `None` for the whole answer).
fn part_changes(
    before: Option<Option<&BTreeMap<String, Part>>>,
    now: Option<Option<&BTreeMap<String, Part>>>,
) -> Option<Vec<PartChange>> {
    let empty = BTreeMap::new();
    let before = before.unwrap_or(Some(&empty))?;
    let now = now.unwrap_or(Some(&empty))?;
    let forces: BTreeSet<&String> = before.keys().chain(now.keys()).collect();
    Some(
        forces
            .into_iter()
            .filter_map(|f| {
                let (a, b) = (before.get(f).copied(), now.get(f).copied());
                (a != b).then(|| PartChange {
                    force: f.clone(),
                    previous: a,
                    now: b,
                })
            })
            .collect(),
    )
}

/// The keys of the sources that answer for `force`, in either release.
fn source_keys(prev: &Snapshot, current: &Snapshot, force: &str) -> BTreeSet<String> {
    [prev, current]
        .iter()
        .flat_map(|s| &s.facts.sources)
        .filter(|s| s.force == force)
        .map(|s| s.key.clone())
        .collect()
}

fn response_keys(prev: &Snapshot, current: &Snapshot, force: &str) -> BTreeSet<String> {
    [prev, current]
        .iter()
        .flat_map(|s| s.facts.responses.iter().flatten())
        .filter(|r| r.force == force)
        .map(|r| r.key.clone())
        .collect()
}

/// A source's change, if any; with the cells of `force`'s records whose
/// text changed (of every force's when `None`: then none are listed).
fn source_change(
    prev: &Snapshot,
    current: &Snapshot,
    key: &str,
    force: Option<&str>,
) -> Option<SourceChange> {
    let (a, b) = (prev.source(key), current.source(key));
    let differs = match (a, b) {
        (Some(a), Some(b)) => a.differs(b),
        (None, None) => false,
        _ => true,
    };
    if !differs {
        return None;
    }
    let cells = match (
        a.and_then(|a| a.sha256.as_ref()),
        b.and_then(|b| b.sha256.as_ref()),
        force,
    ) {
        (Some(x), Some(y), Some(force)) if x != y => {
            cells::cell_changes(&prev.records, &current.records, force, x, y)
        }
        _ => Vec::new(),
    };
    Some(SourceChange {
        key: key.to_string(),
        previous: a.cloned(),
        now: b.cloned(),
        cells,
    })
}

/// A response's config and its crosswalk lines, where they changed.
fn response_causes(
    prev: &Snapshot,
    current: &Snapshot,
    key: &str,
    lines: &[LineChange],
) -> Vec<Cause> {
    let (a, b) = (prev.response(key), current.response(key));
    let mut out = Vec::new();
    // Unrecorded in either release: said once per force, by the caller.
    if prev.facts.responses.is_none() || current.facts.responses.is_none() {
        return out;
    }
    let edit = match (a, b) {
        (None, Some(_)) => Some(Edit::Added),
        (Some(_), None) => Some(Edit::Removed),
        (Some(a), Some(b)) if a.sha256 != b.sha256 => Some(Edit::Changed),
        _ => None,
    };
    if let Some(edit) = edit {
        let r = b.or(a);
        out.push(Cause::Response {
            key: key.to_string(),
            force: r.map(|r| r.force.clone()).unwrap_or_default(),
            file: r.map(|r| r.file.clone()).unwrap_or_default(),
            edit,
        });
    }
    if let (Some(a), Some(b)) = (a, b) {
        if a.crosswalk_sha256 != b.crosswalk_sha256 {
            let applies = |l: &LineChange| {
                b.force == ALL_FORCES || l.force.is_none() || l.force.as_deref() == Some(&b.force)
            };
            out.push(Cause::Crosswalk {
                key: key.to_string(),
                force: b.force.clone(),
                lines: lines.iter().filter(|l| applies(l)).cloned().collect(),
            });
        }
    }
    out
}

/// Every crosswalk line added, removed or given another value, by file,
/// label and force (a line moved within its file is no change).
fn line_changes(prev: &Snapshot, current: &Snapshot) -> Vec<LineChange> {
    type Key = (String, String, Option<String>);
    let index = |s: &Snapshot| -> BTreeMap<Key, (String, usize)> {
        s.facts
            .crosswalks
            .iter()
            .flatten()
            .map(|l| {
                (
                    (l.file.clone(), l.label.clone(), l.force.clone()),
                    (l.value.clone(), l.line),
                )
            })
            .collect()
    };
    let (a, b) = (index(prev), index(current));
    let keys: BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k), b.get(k));
            let same = matches!((x, y), (Some(x), Some(y)) if x.0 == y.0);
            (!same).then(|| LineChange {
                file: k.0.clone(),
                label: k.1.clone(),
                force: k.2.clone(),
                previous: x.cloned(),
                now: y.cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
