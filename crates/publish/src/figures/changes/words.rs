//! Changes in words: a figure's change ("fy-2016-17 total 5,653 → 5,671
//! (+18)"), each cause in a phrase ("kent's reply revised (2 cells)") and
//! in detail (hashes, fetch times, the cells), the run's closing change
//! line, and what the changes table and the notes say about the release
//! compared with. One wording for changes.csv, the summary, the workbook,
//! `foi diff` and the run's log.

use super::cells::CellChange;
use super::{
    Cause, ChangeKind, Changes, CoverageState, Edit, FigureChange, LineChange, Part, PartChange,
    SourceChange, ALL_FORCES,
};
use crate::show::thousands;
use foi_model::{Interval, Scale};

/// How many forces with nothing of their own changed are named one by one.
const QUIET_NAMED: usize = 3;

/// "+1,750", "-12", "0"; "+0.5" for a measure.
pub fn signed(scale: Scale, n: i64) -> String {
    match n {
        0 => "0".to_string(),
        _ => scale.show_signed(n),
    }
}

/// "fy-2016-17 total", "fy-2016-17 offence_group=grooming".
pub fn figure_label(figure_id: &str) -> String {
    figure_id.replacen('/', " ", 1)
}

fn show(scale: Scale, i: Interval) -> String {
    scale.range(i)
}

fn diff(a: u64, b: u64) -> i64 {
    b as i64 - a as i64
}

/// How a figure moved: "+18"; "+2" when both ends of a range moved alike;
/// else how each end moved.
pub fn show_change(scale: Scale, a: Interval, b: Interval) -> String {
    let (lo, hi) = (diff(a.lo, b.lo), diff(a.hi, b.hi));
    if lo == hi {
        signed(scale, lo)
    } else {
        format!(
            "lowest {}, highest {}",
            signed(scale, lo),
            signed(scale, hi)
        )
    }
}

/// "1 cell", "2 cells".
fn cells_word(n: usize) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { "cell" } else { "cells" }
    )
}

/// A path's last part: "offences.csv".
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The first 12 characters of a hash, for people.
fn short_hash(h: &str) -> String {
    if h.len() > 12 {
        format!("{}…", &h[..12])
    } else {
        h.to_string()
    }
}

impl FigureChange {
    /// "fy-2016-17 total 5,653 → 5,671 (+18)".
    pub fn line(&self) -> String {
        let label = figure_label(&self.figure_id);
        match (&self.previous, &self.now, self.change) {
            (Some(p), Some(n), ChangeKind::Forces) => {
                let mut what = Vec::new();
                if p.forces != n.forces {
                    what.push(format!("now from {} forces (was {})", n.forces, p.forces));
                }
                if p.flagged != n.flagged {
                    what.push(format!(
                        "flagged now: {} (was: {})",
                        list_or_none(&n.flagged),
                        list_or_none(&p.flagged)
                    ));
                }
                format!(
                    "{label} {}, unchanged; {}",
                    show(self.scale, n.total),
                    what.join("; ")
                )
            }
            (Some(p), Some(n), _) => format!(
                "{label} {} → {} ({})",
                show(self.scale, p.total),
                show(self.scale, n.total),
                show_change(self.scale, p.total, n.total)
            ),
            (None, Some(n), _) => format!("{label} new: {}", show(self.scale, n.total)),
            (Some(p), None, _) => format!("{label} withdrawn (was {})", show(self.scale, p.total)),
            (None, None, _) => label,
        }
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

fn part(scale: Scale, p: Option<Part>) -> String {
    match p {
        None => "no part".to_string(),
        Some(p) if p.flagged => format!("{} (flagged)", show(scale, p.interval)),
        Some(p) => show(scale, p.interval),
    }
}

impl PartChange {
    /// "kent 160 → 178 (+18)", "cumbria 120 → no part".
    pub fn line(&self) -> String {
        let change = match (self.previous, self.now) {
            (Some(a), Some(b)) if a.interval != b.interval => {
                format!(" ({})", show_change(self.scale, a.interval, b.interval))
            }
            _ => String::new(),
        };
        format!(
            "{} {} → {}{change}",
            self.force,
            part(self.scale, self.previous),
            part(self.scale, self.now)
        )
    }
}

/// How a force answered a request and whether it was added, the reasons
/// by code (the words are in the detail): "refused (s.12), not added";
/// "answered, added, flagged: stale".
fn coverage_state(c: &CoverageState) -> String {
    let codes = c.reason_code.join(", ");
    let added = match (c.included, c.flagged) {
        (true, true) => format!("added, flagged: {codes}"),
        (true, false) => "added".to_string(),
        (false, _) if codes.is_empty() || c.reason == c.status => "not added".to_string(),
        (false, _) => format!("not added: {codes}"),
    };
    format!("{}, {added}", c.status)
}

/// Why a force was left out or flagged, in coverage's words, when they say
/// more than its status.
fn coverage_reason(c: &CoverageState) -> Option<&str> {
    let reason = c.reason.trim_end_matches("; not added");
    (!reason.is_empty() && reason != c.status).then_some(reason)
}

fn line_change(l: &LineChange) -> String {
    let scope = l
        .force
        .as_ref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    let at = |line: usize| format!("{} line {line}", file_name(&l.file));
    match (&l.previous, &l.now) {
        (Some((a, _)), Some((b, n))) => format!("{} \"{}\"{scope}: {a} → {b}", at(*n), l.label),
        (None, Some((b, n))) => format!("{} \"{}\"{scope} added: {b}", at(*n), l.label),
        (Some((a, n)), None) => format!("{} \"{}\"{scope} removed (was {a})", at(*n), l.label),
        (None, None) => format!("{} \"{}\"{scope}", file_name(&l.file), l.label),
    }
}

impl SourceChange {
    /// "kent's reply", "the national table p1.xlsx".
    fn who(&self) -> String {
        let s = self.now.as_ref().or(self.previous.as_ref());
        match s {
            Some(s) if s.force == ALL_FORCES => {
                format!("the national table {}", file_name(&s.source))
            }
            Some(s) => format!("{}'s reply", s.force),
            None => format!("source {}", self.key),
        }
    }

    fn short(&self, force: Option<&str>) -> String {
        let who = self.who();
        let (p, n) = match (&self.previous, &self.now) {
            (None, Some(n)) => return format!("{who} now read ({})", n.source),
            (Some(p), None) => return format!("{who} no longer read ({})", p.source),
            (Some(p), Some(n)) => (p, n),
            (None, None) => return who,
        };
        let mut what = Vec::new();
        if p.source != n.source {
            what.push(format!("now from {} (was {})", n.source, p.source));
        }
        match (&p.sha256, &n.sha256) {
            (Some(a), Some(b)) if a != b => {
                let national = n.force == ALL_FORCES;
                what.push(match (self.cells.len(), force) {
                    // Said of every force: its cells are said of each.
                    (_, None) => "revised".to_string(),
                    (0, _) => "revised (no figure's text changed)".to_string(),
                    (k, Some(f)) if national => {
                        format!("revised ({} of {f}'s rows)", cells_word(k))
                    }
                    (k, _) => format!("revised ({})", cells_word(k)),
                });
            }
            (None, Some(_)) => what.push("now in the cache".to_string()),
            (Some(_), None) => what.push("no longer in the cache".to_string()),
            _ => {}
        }
        if p.stale != n.stale {
            what.push(if n.stale {
                format!(
                    "now stale (the last fetch failed: {})",
                    n.error.as_deref().unwrap_or("no reason recorded")
                )
            } else {
                "no longer stale".to_string()
            });
        }
        format!("{who} {}", what.join(", "))
    }

    fn detail(&self) -> Vec<String> {
        let mut out = Vec::new();
        // A source added or removed: its phrase names it.
        if let (Some(p), Some(n)) = (&self.previous, &self.now) {
            out.push(format!("source {}: {}", self.key, n.source));
            if p.source != n.source {
                out.push(format!("was {}", p.source));
            }
            if p.sha256 != n.sha256 {
                let h = |s: &Option<String>| s.as_deref().map_or("none".to_string(), short_hash);
                let at = |s: &Option<String>| s.clone().unwrap_or_else(|| "unknown".into());
                out.push(format!(
                    "sha256 {} → {}, fetched {} → {}",
                    h(&p.sha256),
                    h(&n.sha256),
                    at(&p.fetched_at),
                    at(&n.fetched_at)
                ));
            }
        }
        for c in &self.cells {
            out.push(cell_line(c));
        }
        out
    }
}

/// "line 16, field 3: \"12\" → \"14\" (fy-2016-17/cheshire/offence=88A)";
/// "'Apr 16'!B7: …".
pub fn cell_line(c: &CellChange) -> String {
    let mut place = c.cells.join("; ");
    if c.cell_count > c.cells.len() {
        place.push_str(&format!(
            "; … and {} more",
            thousands((c.cell_count - c.cells.len()) as u64)
        ));
    }
    if !c.sheet.is_empty() {
        place = format!("'{}'!{place}", c.sheet);
    }
    let text = |t: &Option<String>| {
        t.as_ref()
            .map_or("none".to_string(), |t| format!("\"{t}\""))
    };
    let mut line = format!(
        "{place}: {} → {} ({})",
        text(&c.previous),
        text(&c.now),
        c.record
    );
    if !c.counted.is_empty() {
        line.push_str(&format!("; now counts {}", c.counted.join("; ")));
    }
    if !c.uncounted.is_empty() {
        line.push_str(&format!("; no longer counts {}", c.uncounted.join("; ")));
    }
    line
}

impl Cause {
    /// The cause in a phrase: "kent's reply revised (2 cells)". `force`:
    /// the force it is said of (a national table's cells are counted for
    /// it).
    pub fn short(&self, force: Option<&str>) -> String {
        match self {
            Cause::Build { .. } => "foi's build changed".to_string(),
            Cause::CampaignConfig { .. } => {
                "the campaign's config changed (its campaign file or the reference tables)"
                    .to_string()
            }
            Cause::Source(s) => s.short(force),
            Cause::Response {
                force, file, edit, ..
            } => {
                let who = if force == ALL_FORCES {
                    "the national table's".to_string()
                } else {
                    format!("{force}'s")
                };
                let did = match edit {
                    Edit::Added => "added",
                    Edit::Removed => "removed",
                    Edit::Changed => "changed",
                };
                format!("{who} response config {did} ({})", file_name(file))
            }
            Cause::Crosswalk { force, lines, .. } => {
                let whom = if force == ALL_FORCES {
                    "the national table"
                } else {
                    force
                };
                match lines.as_slice() {
                    [] => format!("the crosswalk lines that apply to {whom} changed"),
                    [one] => format!(
                        "a crosswalk line that applies to {whom} changed: {}",
                        line_change(one)
                    ),
                    [first, rest @ ..] => format!(
                        "{} crosswalk lines that apply to {whom} changed: {}, and {} more",
                        lines.len(),
                        line_change(first),
                        rest.len()
                    ),
                }
            }
            Cause::Coverage {
                force,
                request,
                previous,
                now,
            } => match (previous, now) {
                (Some(a), Some(b)) => format!(
                    "{force} {request} now {} (was {})",
                    coverage_state(b),
                    coverage_state(a)
                ),
                (None, Some(b)) => format!("{force} {request} now {}", coverage_state(b)),
                (Some(a), None) => format!(
                    "{force} {request} no longer asked (was {})",
                    coverage_state(a)
                ),
                (None, None) => format!("{force} {request}"),
            },
            Cause::Unknown { what } => format!("unknown {what}"),
        }
    }

    /// The cause in detail, a line each: what it was and is (hashes, fetch
    /// times, crosswalk lines, the cells whose text changed).
    pub fn detail(&self) -> Vec<String> {
        match self {
            Cause::Build { previous, now } => vec![format!(
                "foi build {} → {}",
                short_hash(previous.as_deref().unwrap_or("unknown")),
                short_hash(now.as_deref().unwrap_or("unknown"))
            )],
            Cause::CampaignConfig { previous, now } => vec![format!(
                "config sha256 {} → {}",
                short_hash(previous.as_deref().unwrap_or("unknown")),
                short_hash(now.as_deref().unwrap_or("unknown"))
            )],
            Cause::Source(s) => s.detail(),
            Cause::Response { file, .. } => vec![file.clone()],
            // One line is in the phrase already.
            Cause::Crosswalk { lines, .. } if lines.len() > 1 => {
                lines.iter().map(line_change).collect()
            }
            Cause::Crosswalk { .. } => Vec::new(),
            Cause::Coverage { previous, now, .. } => {
                let mut out = Vec::new();
                if let Some(r) = now.as_ref().and_then(coverage_reason) {
                    out.push(format!("now: {r}"));
                }
                if let Some(r) = previous.as_ref().and_then(coverage_reason) {
                    out.push(format!("before: {r}"));
                }
                out
            }
            Cause::Unknown { .. } => Vec::new(),
        }
    }
}

/// The most phrases the closing change line gives for a figure.
const WHY_SHOWN: usize = 3;

impl Changes {
    /// What bears on every force, less a national table's change where
    /// the forces whose part moved say it already, with their cells.
    pub fn general_unsaid(&self) -> impl Iterator<Item = &Cause> {
        let said: std::collections::BTreeSet<&str> = self
            .forces
            .iter()
            .filter(|f| f.moved)
            .flat_map(|f| &f.causes)
            .filter_map(|c| match c {
                Cause::Source(s) => Some(s.key.as_str()),
                _ => None,
            })
            .collect();
        self.general
            .iter()
            .filter(move |c| !matches!(c, Cause::Source(s) if said.contains(s.key.as_str())))
    }

    /// Why a figure changed, a phrase each: the causes of each force whose
    /// part moved, then what bears on every force.
    pub fn why(&self, f: &FigureChange) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut forces: Vec<&str> = Vec::new();
        match &f.parts {
            Some(parts) => forces.extend(parts.iter().map(|p| p.force.as_str())),
            None => {
                out.push(format!(
                    "each force's part of it is not recorded in release {}",
                    self.previous.as_deref().unwrap_or(&self.release)
                ));
                // What moved the forces' totals for the request.
                let total = format!("{}/total", f.request);
                if let Some(t) = self.figures.iter().find(|t| t.figure_id == total) {
                    forces.extend(t.parts.iter().flatten().map(|p| p.force.as_str()));
                }
            }
        }
        // Forces whose own records did not change: named one by one while
        // few, else in one line (a national table moves every force).
        let mut quiet: Vec<(usize, &str)> = Vec::new();
        for force in forces {
            let own: Vec<String> = self
                .force(force)
                .map(|c| c.causes.as_slice())
                .unwrap_or_default()
                .iter()
                // How the force answered another request bears not on
                // this figure.
                .filter(|c| !matches!(c, Cause::Coverage { request, .. } if *request != f.request))
                .map(|c| c.short(Some(force)))
                .collect();
            if own.is_empty() {
                quiet.push((out.len(), force));
                out.push(format!("nothing recorded of {force}'s own changed"));
            }
            out.extend(own);
        }
        if quiet.len() > QUIET_NAMED {
            let names: Vec<&str> = quiet.iter().map(|(_, f)| *f).collect();
            let line = format!(
                "nothing recorded of their own changed for {} forces ({} and {} more)",
                names.len(),
                names[..QUIET_NAMED].join(", "),
                names.len() - QUIET_NAMED
            );
            let first = quiet[0].0;
            let drop: std::collections::BTreeSet<usize> = quiet.iter().map(|(i, _)| *i).collect();
            out = out
                .into_iter()
                .enumerate()
                .filter_map(|(i, s)| match i {
                    i if i == first => Some(line.clone()),
                    i if drop.contains(&i) => None,
                    _ => Some(s),
                })
                .collect();
        }
        out.extend(self.general_unsaid().map(|c| c.short(None)));
        let mut seen = std::collections::BTreeSet::new();
        out.retain(|s| seen.insert(s.clone()));
        out
    }

    /// The one line a run ends with: how many national figures changed
    /// since the release it replaced, the first (a total where one moved),
    /// and why.
    pub fn line(&self) -> String {
        let Some(previous) = &self.previous else {
            return format!(
                "the first release of {}: nothing earlier to compare with",
                self.campaign
            );
        };
        if let Some(why) = &self.unreadable {
            return format!("not compared with release {previous}, which could not be read: {why}");
        }
        let Some(first) = self
            .figures
            .iter()
            .find(|f| f.breakdown == "total")
            .or(self.figures.first())
        else {
            let other: Vec<String> = self
                .general
                .iter()
                .map(|c| c.short(None))
                .chain(
                    self.forces
                        .iter()
                        .flat_map(|f| f.causes.iter().map(|c| c.short(Some(&f.force)))),
                )
                .collect();
            return if other.is_empty() {
                format!("no national figure changed since release {previous}")
            } else {
                format!(
                    "no national figure changed since release {previous}; other changes: {}",
                    shortened(&other)
                )
            };
        };
        let n = self.figures.len();
        format!(
            "{n} national {} changed since release {previous}: {}: {}",
            if n == 1 { "figure" } else { "figures" },
            first.line(),
            shortened(&self.why(first))
        )
    }

    /// What the release is compared with, and in all what changed: for
    /// the changes table, the notes and the summary.
    pub fn description(&self) -> String {
        let Some(previous) = &self.previous else {
            return "This is the first release of these tables: there is no earlier release to compare with, so no figure is marked revised.".to_string();
        };
        if let Some(why) = &self.unreadable {
            return format!("The release this one replaced, {previous}, could not be read ({why}), so no figure is marked revised.");
        }
        format!(
            "Compared with release {previous}, which this release replaced: {}.",
            self.tally()
        )
    }

    /// "3 national figures changed (2 revised, 1 new)"; "no national
    /// figure changed".
    pub fn tally(&self) -> String {
        let counts: Vec<String> = [
            (ChangeKind::Revised, "revised"),
            (ChangeKind::New, "new"),
            (ChangeKind::Withdrawn, "withdrawn"),
            (
                ChangeKind::Forces,
                "the same but over other forces or with others flagged",
            ),
        ]
        .iter()
        .filter_map(|(k, word)| {
            let n = self.count(*k);
            (n > 0).then(|| format!("{n} {word}"))
        })
        .collect();
        match self.figures.len() {
            0 => "no national figure changed".to_string(),
            n => format!(
                "{n} national {} changed ({})",
                if n == 1 { "figure" } else { "figures" },
                counts.join(", ")
            ),
        }
    }
}

/// The first [`WHY_SHOWN`] phrases, "; "-joined, and how many more.
fn shortened(phrases: &[String]) -> String {
    let mut s = phrases
        .iter()
        .take(WHY_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if phrases.len() > WHY_SHOWN {
        s.push_str(&format!("; and {} more", phrases.len() - WHY_SHOWN));
    }
    s
}
