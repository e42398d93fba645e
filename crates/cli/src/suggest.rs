//! `foi suggest`: every label no crosswalk maps, with its forces, cells and
//! figures, its ranked suggestions (foi_normalise::suggest) and the figures
//! each would move, written as a review CSV beside the crosswalk; and
//! `foi suggest --accept FILE`, which appends the lines a person marked to
//! the crosswalk. Nothing is mapped without a person's accept, except what
//! the campaign's `[suggest] auto_accept` lets through (a code written in
//! the label, scoring at least the threshold).

use crate::{config, outln, report, Ctx};
use anyhow::{bail, Context, Result};
use foi_model::config::{Campaign, Config, DimKind, Response};
use foi_model::{
    fold_label, Crosswalk, Diagnostic, DiagnosticKind, DimId, ForceId, Interval, Record,
};
use foi_normalise::suggest::{
    self as sg, Accepted, Evidence, Reference, Shared, Suggester, Suggestions, Verdict, Wording,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How a national table's own diagnostics name their force.
const ALL_FORCES: &str = "all forces";

/// One label no crosswalk maps, gathered over the forces that write it.
#[derive(Debug, Clone)]
pub struct Label {
    pub dim: DimId,
    pub label: String,
    /// Force -> cells it labels there, and the first place.
    pub forces: BTreeMap<String, (usize, String)>,
    /// Indexes into `config.responses` of the responses that gave it.
    responses: BTreeSet<usize>,
}

impl Label {
    fn cells(&self) -> usize {
        self.forces.values().map(|(c, _)| c).sum()
    }

    /// The force a suggested line is scoped to: the one force that writes
    /// the label, or none (a general line) when several do.
    fn scope(&self) -> Option<&str> {
        match self.forces.keys().collect::<Vec<_>>().as_slice() {
            [one] if one.as_str() != ALL_FORCES => Some(one.as_str()),
            _ => None,
        }
    }
}

/// What adding a line would change: the figures it brings in, by request
/// and value, and what else it changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moves {
    /// (request, "offence=22B offence_group=…") -> the figures it adds.
    pub added: BTreeMap<(String, String), Interval>,
    /// Figures already there that the line changes (narrowed by totals
    /// that now hold).
    pub changed: usize,
    /// What would still be left out, said by a new diagnostic ("19F
    /// belongs to no offence_group").
    pub then: Vec<String>,
}

impl Moves {
    fn show(&self) -> String {
        if self.added.is_empty() && self.changed == 0 && self.then.is_empty() {
            return "moves no figure".to_string();
        }
        let mut by_request: BTreeMap<&str, (Interval, BTreeSet<&str>)> = BTreeMap::new();
        for ((req, values), n) in &self.added {
            let e = by_request
                .entry(req)
                .or_insert((Interval::point(0), BTreeSet::new()));
            e.0 = Interval::new(e.0.lo + n.lo, e.0.hi + n.hi);
            e.1.insert(values);
        }
        let mut parts: Vec<String> = by_request
            .iter()
            .map(|(req, (n, values))| {
                let values: Vec<&str> = values.iter().copied().collect();
                format!("{req} {} ({})", plus(*n), values.join("; "))
            })
            .collect();
        if self.changed > 0 {
            parts.push(format!("narrows {} other figure(s)", self.changed));
        }
        for t in &self.then {
            parts.push(format!("then {t}"));
        }
        parts.join(", ")
    }
}

fn plus(n: Interval) -> String {
    if n.is_point() {
        format!("+{}", n.lo)
    } else {
        format!("+{} to {}", n.lo, n.hi)
    }
}

/// A label with its suggestions and what each would move.
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub label: Label,
    pub suggestions: Suggestions,
    /// Per candidate, in the same order.
    pub moves: Vec<Moves>,
    /// The figures its cells hold (what any line would bring in).
    pub figures: Option<Interval>,
}

/// The labels no crosswalk maps, from a stage's diagnostics.
pub fn unmapped(config: &Config, diagnostics: &[Diagnostic]) -> Vec<Label> {
    let mut out: BTreeMap<(DimId, String), Label> = BTreeMap::new();
    for d in diagnostics {
        let DiagnosticKind::Unmapped { dim, label } = &d.kind else {
            continue;
        };
        // Labels are matched folded: "SEXUAL GROOMING" is "Sexual grooming".
        let e = out
            .entry((dim.clone(), fold_label(label)))
            .or_insert_with(|| Label {
                dim: dim.clone(),
                label: label.clone(),
                forces: BTreeMap::new(),
                responses: BTreeSet::new(),
            });
        let force = d
            .force
            .as_ref()
            .map_or(ALL_FORCES.to_string(), |f| f.0.clone());
        let place = [d.file.as_deref(), d.sheet.as_deref(), d.cell.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let f = e.forces.entry(force).or_insert((0, place));
        f.0 += d.cells;
        for (i, r) in config.responses.iter().enumerate() {
            let file = r.source.as_ref().map(|s| s.display());
            if file.is_some() && file == d.file.as_deref() {
                e.responses.insert(i);
            }
        }
    }
    let mut v: Vec<Label> = out.into_values().collect();
    // The labels that hold most cells first: the ones worth a look first.
    v.sort_by(|a, b| b.cells().cmp(&a.cells()).then(a.label.cmp(&b.label)));
    v
}

/// The evidence beside the campaign: the offence reference, the wording
/// table, and every other campaign's accepted lines.
pub struct Loaded {
    reference: Option<Reference>,
    wording: Option<Wording>,
    others: Vec<(Shared, Accepted)>,
    /// Other campaigns whose config did not load, and why.
    pub skipped: Vec<String>,
}

pub fn load_evidence(ctx: &Ctx) -> Result<Loaded> {
    let read = |rel: &str| -> Result<Option<(String, String)>> {
        let path = ctx.dirs.config.join(rel);
        let shown = config::display(&ctx.dirs.root, &path);
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(Some((shown, t))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {shown}")),
        }
    };
    let reference = match read("reference/offences.csv")? {
        Some((f, t)) => Some(Reference::from_csv(&f, &t).map_err(|e| anyhow::anyhow!("{e}"))?),
        None => None,
    };
    let tables = [
        read("reference/abbreviations.csv")?,
        read("reference/statutes.csv")?,
        read("reference/groups.csv")?,
        read("reference/kinds.csv")?,
    ];
    let wording = if tables.iter().all(Option::is_none) {
        None
    } else {
        let [a, s, g, k] = tables
            .each_ref()
            .map(|t| t.as_ref().map(|(f, t)| (f.as_str(), t.as_str())));
        Some(Wording::from_tables(a, s, g, k).map_err(|e| anyhow::anyhow!("{e}"))?)
    };
    let mut others = Vec::new();
    let mut skipped = Vec::new();
    for id in config::campaigns(&ctx.dirs.config) {
        if id == ctx.config.campaign.id {
            continue;
        }
        let loaded = config::resolve_dirs(&ctx.dirs.config, Some(&id))
            .map_err(|e| vec![e.to_string()])
            .and_then(|d| {
                config::load(&d).map_err(|es| es.iter().map(|e| e.to_string()).collect())
            });
        let other = match loaded {
            Ok(c) => c,
            Err(why) => {
                skipped.push(format!("{id}: {}", why.join("; ")));
                continue;
            }
        };
        for d in &other.campaign.dimensions {
            let shared = match (d.kind, d.codes_in_labels, d.derive_from.is_some()) {
                (DimKind::Age, _, _) => Shared::Ages,
                (DimKind::Code, true, false) => Shared::Offences,
                _ => continue,
            };
            let Some(cw) = &d.crosswalk else { continue };
            for e in cw.entries() {
                others.push((
                    shared,
                    Accepted {
                        label: e.label.clone(),
                        value: e.value.clone(),
                        force: e.force.clone(),
                        campaign: id.clone(),
                        file: cw.file.clone(),
                        line: e.line,
                    },
                ));
            }
        }
    }
    Ok(Loaded {
        reference,
        wording,
        others,
        skipped,
    })
}

pub fn suggester(campaign: &Campaign, loaded: &Loaded) -> Suggester {
    Suggester::new(
        campaign,
        Evidence {
            reference: loaded.reference.as_ref(),
            wording: loaded.wording.as_ref(),
            others: &loaded.others,
        },
    )
}

/// The crosswalk a dimension's lines go in: its own, or for a derived
/// dimension the derivation's.
fn crosswalk_of<'a>(campaign: &'a Campaign, dim: &DimId) -> Option<&'a Crosswalk> {
    let d = campaign.dimension(dim)?;
    match &d.derive_from {
        Some(_) => campaign
            .derivations
            .iter()
            .find(|(_, to, _)| to == dim)
            .map(|(_, _, cw)| cw),
        None => d.crosswalk.as_ref(),
    }
}

/// Where a dimension's crosswalk is shown ("config/campaigns/…/offences.csv"),
/// or where one would go.
fn crosswalk_file(ctx: &Ctx, dim: &DimId) -> String {
    crosswalk_of(&ctx.config.campaign, dim)
        .map(|c| c.file.clone())
        .unwrap_or_else(|| {
            config::display(
                &ctx.dirs.root,
                &ctx.dirs
                    .campaign
                    .join("crosswalks")
                    .join(format!("{dim}.csv")),
            )
        })
}

/// CSV text of a crosswalk's lines, with `extra` appended.
fn crosswalk_text(cw: Option<&Crosswalk>, extra: &[(String, String, Option<String>)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["label", "value", "force"]);
    for e in cw.map(|c| c.entries()).unwrap_or_default() {
        let _ = w.write_record([
            e.label.as_str(),
            e.value.as_str(),
            e.force.as_ref().map_or("", |f| f.0.as_str()),
        ]);
    }
    for (l, v, f) in extra {
        let _ = w.write_record([l.as_str(), v.as_str(), f.as_deref().unwrap_or("")]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The campaign with one more line in a dimension's crosswalk.
fn with_line(
    config: &Config,
    dim: &DimId,
    label: &str,
    value: &str,
    force: Option<&str>,
) -> Option<Campaign> {
    let mut campaign = config.campaign.clone();
    let file = crosswalk_of(&campaign, dim)
        .map(|c| c.file.clone())
        .unwrap_or_else(|| format!("{dim}.csv"));
    let text = crosswalk_text(
        crosswalk_of(&campaign, dim),
        &[(
            label.to_string(),
            value.to_string(),
            force.map(str::to_string),
        )],
    );
    let resolve = |n: &str| config.forces.resolve(n).map(|f| f.id.clone());
    let cw = Crosswalk::from_csv(&file, &text, &resolve).ok()?;
    let d = campaign.dimensions.iter_mut().find(|d| &d.id == dim)?;
    if d.derive_from.is_some() {
        let (_, _, slot) = campaign
            .derivations
            .iter_mut()
            .find(|(_, to, _)| to == dim)?;
        *slot = cw;
    } else {
        d.crosswalk = Some(cw);
    }
    Some(campaign)
}

/// A response normalised against `campaign`, from the cache.
fn normalise(
    ctx: &Ctx,
    campaign: &Campaign,
    response: &Response,
) -> Option<foi_normalise::Normalised> {
    let bytes = match foi_ingest::read_manifest(&ctx.cache, &campaign.id, &response.key)
        .ok()
        .flatten()
    {
        Some(m) => (foi_ingest::read_raw(&ctx.cache, &m.sha256).ok()?, m.sha256),
        None if response.tables.is_empty() => (Vec::new(), String::new()),
        None => return None,
    };
    Some(foi_normalise::normalise(&foi_normalise::Input {
        campaign,
        forces: &ctx.config.forces,
        response,
        bytes: &bytes.0,
        sha256: &bytes.1,
        limits: &campaign.limits,
    }))
}

type Key = (String, String, String);

/// Each figure of a response by (request, force, dimension values).
fn figures(records: &[Record]) -> BTreeMap<Key, Interval> {
    let mut out: BTreeMap<Key, Interval> = BTreeMap::new();
    for r in records {
        let dims = r
            .dims
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        let e = out
            .entry((r.request.clone(), r.force.0.clone(), dims))
            .or_insert(Interval::point(0));
        *e = Interval::new(e.lo + r.count.interval.lo, e.hi + r.count.interval.hi);
    }
    out
}

/// What `after` has that `before` had not, for one label's line.
fn diff(
    campaign: &Campaign,
    dim: &DimId,
    before: &[&foi_normalise::Normalised],
    after: &[foi_normalise::Normalised],
) -> Moves {
    // The dimension and those derived from it say where a figure goes.
    let shown: BTreeSet<&DimId> = campaign
        .dimensions
        .iter()
        .filter(|d| &d.id == dim || d.derive_from.as_ref() == Some(dim))
        .map(|d| &d.id)
        .collect();
    let mut moves = Moves::default();
    let old: Vec<Record> = before
        .iter()
        .flat_map(|n| n.records.iter().cloned())
        .collect();
    let new: Vec<Record> = after
        .iter()
        .flat_map(|n| n.records.iter().cloned())
        .collect();
    let (old_f, new_f) = (figures(&old), figures(&new));
    for r in &new {
        let key = {
            let dims = r
                .dims
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            (r.request.clone(), r.force.0.clone(), dims)
        };
        if old_f.contains_key(&key) {
            continue;
        }
        let values = r
            .dims
            .iter()
            .filter(|(k, _)| shown.contains(k))
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let e = moves
            .added
            .entry((r.request.clone(), values))
            .or_insert(Interval::point(0));
        *e = Interval::new(e.lo + r.count.interval.lo, e.hi + r.count.interval.hi);
    }
    moves.changed = new_f
        .iter()
        .filter(|(k, v)| old_f.get(*k).is_some_and(|o| o != *v))
        .count();
    let said: BTreeSet<&DiagnosticKind> = before
        .iter()
        .flat_map(|n| n.diagnostics.iter().map(|d| &d.kind))
        .collect();
    for d in after.iter().flat_map(|n| n.diagnostics.iter()) {
        if let DiagnosticKind::Unmapped { dim, label } = &d.kind {
            let then = format!("{dim} has no line for {label:?}: those figures stay out");
            if !said.contains(&d.kind) && !moves.then.contains(&then) {
                moves.then.push(then);
            }
        }
    }
    moves
}

/// Each label's suggestions, and what each candidate would move.
pub fn review(ctx: &Ctx, labels: Vec<Label>, suggester: &Suggester) -> Vec<Reviewed> {
    let config = &ctx.config;
    // Each response that gave an unmapped label, normalised as it is.
    let affected: BTreeSet<usize> = labels
        .iter()
        .flat_map(|l| l.responses.iter().copied())
        .collect();
    let baseline: BTreeMap<usize, foi_normalise::Normalised> = affected
        .par_iter()
        .filter_map(|&i| normalise(ctx, &config.campaign, &config.responses[i]).map(|n| (i, n)))
        .collect();
    let read = read_among_replies(config, &labels, &baseline, suggester);
    labels
        .into_par_iter()
        .zip(read)
        .map(|(label, suggestions)| {
            let moved = |value: &str| -> Moves {
                let Some(campaign) =
                    with_line(config, &label.dim, &label.label, value, label.scope())
                else {
                    return Moves::default();
                };
                let before: Vec<&foi_normalise::Normalised> = label
                    .responses
                    .iter()
                    .filter_map(|i| baseline.get(i))
                    .collect();
                let after: Vec<foi_normalise::Normalised> = label
                    .responses
                    .iter()
                    .filter_map(|&i| normalise(ctx, &campaign, &config.responses[i]))
                    .collect();
                diff(&campaign, &label.dim, &before, &after)
            };
            let moves: Vec<Moves> = suggestions
                .candidates
                .iter()
                .map(|c| moved(&c.value))
                .collect();
            // What the cells hold, whatever they are mapped to: through the
            // first candidate, or any value the dimension allows.
            let probe = suggestions
                .candidates
                .first()
                .map(|c| c.value.clone())
                .or_else(|| any_value(config, &label.dim));
            let figures = match (moves.first(), probe) {
                (Some(m), _) => Some(total(m)),
                (None, Some(v)) => Some(total(&moved(&v))),
                (None, None) => None,
            };
            Reviewed {
                label,
                suggestions,
                moves,
                figures,
            }
        })
        .collect()
}

/// Each label's suggestions, read among the rows beside it in every reply
/// that gives it (`baseline`: each such reply normalised as it is).
fn read_among_replies(
    config: &Config,
    labels: &[Label],
    baseline: &BTreeMap<usize, foi_normalise::Normalised>,
    suggester: &Suggester,
) -> Vec<Suggestions> {
    // Each label read alone first: what is known of the rows beside it
    // that no line maps yet.
    let alone: Vec<Suggestions> = labels
        .par_iter()
        .map(|label| {
            let force = label.scope().map(|f| ForceId(f.to_string()));
            suggester.suggest(&label.dim, &label.label, force.as_ref())
        })
        .collect();
    let mut unmapped: BTreeMap<(usize, &DimId), BTreeSet<String>> = BTreeMap::new();
    for (label, s) in labels.iter().zip(&alone) {
        if let Some(c) = s.suggested() {
            for &i in &label.responses {
                unmapped
                    .entry((i, &label.dim))
                    .or_default()
                    .insert(c.value.clone());
            }
        }
    }
    // The values of the rows beside a label in response `i`: those its
    // lines map (in the records, or, where a dimension derived from it
    // has no line for the value, in what that dimension could not map)
    // and those suggested for the rest.
    let beside = |i: usize, dim: &DimId| -> BTreeSet<String> {
        let mut values = BTreeSet::new();
        if let Some(n) = baseline.get(&i) {
            for r in &n.records {
                values.extend(r.dims.get(dim).map(ToString::to_string));
            }
            for d in &n.diagnostics {
                if let DiagnosticKind::Unmapped { dim: of, label } = &d.kind {
                    let derived = config.campaign.dimension(of);
                    if derived.is_some_and(|d| d.derive_from.as_ref() == Some(dim)) {
                        values.insert(label.clone());
                    }
                }
            }
        }
        values.extend(unmapped.get(&(i, dim)).into_iter().flatten().cloned());
        values
    };
    labels
        .par_iter()
        .zip(alone)
        .map(|(label, alone)| {
            let among: Vec<Suggestions> = label
                .responses
                .iter()
                .map(|&i| {
                    let siblings = beside(i, &label.dim);
                    suggester.read_among(&label.dim, alone.clone(), &label.label, &siblings)
                })
                .collect();
            settle(alone, among)
        })
        .collect()
}

/// A label's suggestions from its reading alone and its readings among
/// each reply's rows: withheld if any reply's rows withhold it; settled
/// only if every reply's rows settle it alike, since one line serves them
/// all; read as every reply's rows read it when they all read it alike.
fn settle(alone: Suggestions, among: Vec<Suggestions>) -> Suggestions {
    let value = |s: &Suggestions| s.suggested().map(|c| c.value.clone());
    if alone.verdict == Verdict::Suggested {
        return among
            .into_iter()
            .find(|s| s.verdict != Verdict::Suggested)
            .unwrap_or(alone);
    }
    match among.split_first() {
        Some((first, rest))
            if value(first).is_some() && rest.iter().all(|s| value(s) == value(first)) =>
        {
            first.clone()
        }
        // Read alike among every reply's rows: what they add to the
        // reasons ("the rest, 20A, or their total") is true of all.
        Some((first, rest)) if rest.iter().all(|s| s == first) => first.clone(),
        _ => alone,
    }
}

fn total(m: &Moves) -> Interval {
    m.added.values().fold(Interval::point(0), |a, n| {
        Interval::new(a.lo + n.lo, a.hi + n.hi)
    })
}

/// Some value a dimension allows, to learn what a label's cells hold.
fn any_value(config: &Config, dim: &DimId) -> Option<String> {
    let d = config.campaign.dimension(dim)?;
    match d.kind {
        DimKind::Age => Some("unknown".into()),
        _ => d.domain.iter().next().cloned(),
    }
}

/// The score as the review shows it.
fn score(s: f64) -> String {
    format!("{s:.2}")
}

/// The lines people read: per label its forces, cells and figures, then
/// each candidate with its score, reasons and moves.
pub fn render(reviewed: &[Reviewed]) -> Vec<String> {
    let mut out = Vec::new();
    for r in reviewed {
        let forces: Vec<String> = r
            .label
            .forces
            .iter()
            .map(|(f, (cells, _))| format!("{f} {cells}"))
            .collect();
        let figures = r
            .figures
            .map_or(String::new(), |n| format!(", holding {}", show(n)));
        out.push(format!(
            "{} {:?}: {} cell(s){figures} (by force: {})",
            r.label.dim,
            r.label.label,
            r.label.cells(),
            forces.join(", ")
        ));
        match &r.suggestions.verdict {
            Verdict::NoSuggestion => {
                let nearest = if r.suggestions.candidates.is_empty() {
                    ""
                } else {
                    "; the nearest, too weak to suggest:"
                };
                out.push(format!(
                    "    no suggestion: nothing foi knows fits these words well enough{nearest}"
                ));
            }
            Verdict::Ambiguous { group } => out.push(format!(
                "    ambiguous: {}; no single line fits without knowing more",
                group.as_deref().map_or_else(
                    || "these fit about as well".to_string(),
                    |g| format!("it names {g}")
                )
            )),
            Verdict::Suggested => {}
        }
        for (k, c) in r.suggestions.candidates.iter().enumerate() {
            out.push(format!(
                "  {}. {} {}{}: {}",
                k + 1,
                c.value,
                score(c.score),
                if c.exact_code { " (code)" } else { "" },
                c.reasons.join("; ")
            ));
            if let Some(m) = r.moves.get(k) {
                out.push(format!("       {}", m.show()));
            }
        }
    }
    out
}

fn show(n: Interval) -> String {
    if n.is_point() {
        n.lo.to_string()
    } else {
        format!("{} to {}", n.lo, n.hi)
    }
}

/// The review file beside a crosswalk: "offences.csv" -> "offences.review.csv".
fn review_path(crosswalk: &Path) -> PathBuf {
    let stem = crosswalk
        .file_stem()
        .map_or_else(|| "crosswalk".into(), |s| s.to_string_lossy().into_owned());
    crosswalk.with_file_name(format!("{stem}.review.csv"))
}

/// Writes `text` to `path` through a temporary file in the same folder.
fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))
}

const YES: [&str; 8] = ["yes", "y", "x", "1", "true", "accept", "ok", "✓"];

/// The review CSV for one crosswalk.
fn review_csv(
    crosswalk: &str,
    dim: &DimId,
    reviewed: &[&Reviewed],
    threshold: Option<f64>,
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "label", "value", "force", "score", "reason", "accept", "moves",
    ]);
    for r in reviewed {
        let force = r.label.scope().unwrap_or("");
        let auto = r
            .suggestions
            .auto_accepted(threshold)
            .map(|c| c.value.clone());
        let prefix = match &r.suggestions.verdict {
            Verdict::Suggested => String::new(),
            Verdict::Ambiguous { group: Some(g) } => format!("ambiguous ({g}): "),
            Verdict::Ambiguous { group: None } => "ambiguous: ".to_string(),
            Verdict::NoSuggestion => "no suggestion, the nearest too weak to suggest: ".to_string(),
        };
        if r.suggestions.candidates.is_empty() {
            let held = r
                .figures
                .map_or(String::new(), |n| format!("its cells hold {}", show(n)));
            let _ = w.write_record([
                r.label.label.as_str(),
                "",
                force,
                "",
                "no suggestion: nothing foi knows fits these words well enough; write the value yourself",
                "",
                held.as_str(),
            ]);
            continue;
        }
        for (k, c) in r.suggestions.candidates.iter().enumerate() {
            let accept = if auto.as_deref() == Some(c.value.as_str()) {
                "auto"
            } else {
                ""
            };
            let moves = r.moves.get(k).map_or(String::new(), Moves::show);
            let _ = w.write_record([
                r.label.label.as_str(),
                c.value.as_str(),
                force,
                score(c.score).as_str(),
                format!("{prefix}{}", c.reasons.join("; ")).as_str(),
                accept,
                moves.as_str(),
            ]);
        }
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    format!(
        "# crosswalk: {crosswalk}\n# dimension: {dim}\n# Suggestions by foi suggest for labels no line of the crosswalk maps, best first.\n# Write yes in `accept` on each line to add (at most one per label and force;\n# change `value` or `force` as needed), then run: foi suggest --accept <this file>\n# `auto`: added already ([suggest] auto_accept in campaign.toml).\n{body}"
    )
}

/// `foi suggest`: review every unmapped label, write the review files.
pub fn run(ctx: &Ctx, accept: Option<&Path>) -> Result<u8> {
    if let Some(file) = accept {
        return accept_file(ctx, file);
    }
    let stage = crate::build::normalise_all(ctx);
    if !stage.failures.is_empty() {
        report::info(&format!(
            "{} response(s) could not be read (not in the cache: run `foi fetch` first, or see `foi build`); their labels are not reviewed",
            stage.failures.len()
        ));
    }
    let labels = unmapped(&ctx.config, &stage.diagnostics);
    if labels.is_empty() {
        outln!("every label maps: nothing to suggest");
        return Ok(crate::exit::COMPLETE);
    }
    let loaded = load_evidence(ctx)?;
    for s in &loaded.skipped {
        report::info(&format!("not using campaign {s}"));
    }
    let suggester = suggester(&ctx.config.campaign, &loaded);
    let reviewed = review(ctx, labels, &suggester);
    for line in render(&reviewed) {
        outln!("{line}");
    }
    let threshold = ctx.config.campaign.auto_accept;
    let mut by_dim: BTreeMap<&DimId, Vec<&Reviewed>> = BTreeMap::new();
    for r in &reviewed {
        by_dim.entry(&r.label.dim).or_default().push(r);
    }
    for (dim, rs) in by_dim {
        let shown = crosswalk_file(ctx, dim);
        let path = config::shown_path(&ctx.dirs, &shown);
        // What the campaign lets through without review goes in first.
        let auto: Vec<(String, String, Option<String>)> = rs
            .iter()
            .filter_map(|r| {
                r.suggestions.auto_accepted(threshold).map(|c| {
                    (
                        r.label.label.clone(),
                        c.value.clone(),
                        r.label.scope().map(str::to_string),
                    )
                })
            })
            .collect();
        if !auto.is_empty() {
            let t = threshold.unwrap_or(1.0);
            append(
                ctx,
                &path,
                &auto,
                &format!("Accepted by foi suggest without review: a code written in the label, scoring at least {t} ([suggest] auto_accept in campaign.toml)"),
            )?;
            outln!(
                "added {} line(s) to {shown} without review ([suggest] auto_accept = {t}: a code written in the label)",
                auto.len()
            );
        }
        let review = review_path(&path);
        write_atomic(&review, &review_csv(&shown, dim, &rs, threshold))?;
        let shown_review = config::display(&ctx.dirs.root, &review);
        outln!(
            "wrote {shown_review}: {} label(s), {} suggestion(s); write yes in `accept` on the lines to add, then: foi suggest --accept {shown_review}",
            rs.len(),
            rs.iter().map(|r| r.suggestions.candidates.len()).sum::<usize>()
        );
    }
    Ok(crate::exit::COMPLETE)
}

/// The block at the end of a run that stopped on unmapped labels: the
/// same suggestions `foi suggest` gives, on stderr.
pub fn after_failed_build(ctx: &Ctx, diagnostics: &[Diagnostic]) {
    let labels = unmapped(&ctx.config, diagnostics);
    if labels.is_empty() {
        return;
    }
    let loaded = match load_evidence(ctx) {
        Ok(l) => l,
        Err(e) => {
            report::info(&format!("no suggestions: {e:#}"));
            return;
        }
    };
    let suggester = suggester(&ctx.config.campaign, &loaded);
    let reviewed = review(ctx, labels, &suggester);
    report::info("suggestions for the labels no crosswalk maps (`foi suggest` writes them for review beside the crosswalk):");
    for line in render(&reviewed) {
        report::info(&format!("  {line}"));
    }
}

/// Appends lines to a crosswalk file under a comment, then checks that
/// the campaign still loads; if it does not, the file is put back and the
/// errors (pointing at file and line) are the error.
fn append(
    ctx: &Ctx,
    path: &Path,
    lines: &[(String, String, Option<String>)],
    why: &str,
) -> Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut text = old
        .clone()
        .unwrap_or_else(|| "label,value,force\n".to_string());
    let scoped = lines.iter().any(|(_, _, f)| f.is_some());
    if scoped {
        text = with_force_column(&text);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("# {why}\n"));
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for (l, v, f) in lines {
        let _ = w.write_record([l.as_str(), v.as_str(), f.as_deref().unwrap_or("")]);
    }
    text.push_str(&String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default());
    write_atomic(path, &text)?;
    if let Err(errors) = config::load(&ctx.dirs) {
        match &old {
            Some(o) => write_atomic(path, o)?,
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        bail!(
            "the crosswalk would not load with these lines, so nothing was added:\n  {}",
            all.join("\n  ")
        );
    }
    Ok(())
}

/// A crosswalk's text with a `force` column in its header, if it had none.
fn with_force_column(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if !done && !t.trim_start().starts_with('#') && !t.trim().is_empty() {
            done = true;
            let cols: Vec<&str> = t.split(',').map(str::trim).collect();
            if !cols.contains(&"force") {
                out.push_str(t);
                out.push_str(",force\n");
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// `foi suggest --accept FILE`: the lines marked in a review file,
/// appended to its crosswalk.
fn accept_file(ctx: &Ctx, file: &Path) -> Result<u8> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let shown_file = file.display().to_string();
    let header = |key: &str| {
        text.lines()
            .take_while(|l| l.starts_with('#'))
            .find_map(|l| {
                l.strip_prefix(&format!("# {key}:"))
                    .map(|v| v.trim().to_string())
            })
    };
    let (Some(crosswalk), Some(dim)) = (header("crosswalk"), header("dimension")) else {
        bail!("{shown_file}:1: not a review file of foi suggest (no \"# crosswalk:\" and \"# dimension:\" lines)");
    };
    let dim = DimId(dim);
    let Some(d) = ctx.config.campaign.dimension(&dim) else {
        bail!(
            "{shown_file}:2: campaign {} has no dimension {dim}",
            ctx.config.campaign.id
        );
    };
    if crosswalk != crosswalk_file(ctx, &dim) {
        bail!(
            "{shown_file}:1: the review is for {crosswalk}, but dimension {dim}'s crosswalk is {}",
            crosswalk_file(ctx, &dim)
        );
    }
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| anyhow::anyhow!("{shown_file}: {e}"))?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h.trim() == n);
    let (Some(lc), Some(vc), Some(fc), Some(ac)) =
        (col("label"), col("value"), col("force"), col("accept"))
    else {
        bail!("{shown_file}: the header must have label, value, force and accept");
    };
    let existing = crosswalk_of(&ctx.config.campaign, &dim);
    // (folded label, force) -> (review line, label, value, force).
    type Chosen = (usize, String, String, Option<String>);
    let mut chosen: BTreeMap<(String, Option<ForceId>), Chosen> = BTreeMap::new();
    let mut errors = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| anyhow::anyhow!("{shown_file}: {e}"))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| row.get(i).unwrap_or("").trim().to_string();
        let mark = get(ac).to_lowercase();
        if !YES.contains(&mark.as_str()) {
            continue;
        }
        let (label, value, force) = (get(lc), get(vc), get(fc));
        if value.is_empty() {
            errors.push(format!("{shown_file}:{line}: accepted without a value"));
            continue;
        }
        let ok = match &d.derive_from {
            Some(_) => d.domain.is_empty() || d.domain.contains(&value),
            None => sg::allowed(d, &value),
        };
        if !ok {
            errors.push(format!(
                "{shown_file}:{line}: {value:?} is not a value of {dim}"
            ));
            continue;
        }
        let force_id = match force.as_str() {
            "" => None,
            f => match ctx.config.forces.resolve(f) {
                Some(x) => Some(x.id.clone()),
                None => {
                    errors.push(format!("{shown_file}:{line}: unknown force {f:?}"));
                    continue;
                }
            },
        };
        let key = (fold_label(&label), force_id.clone());
        if let Some((prev, _, v, _)) = chosen.get(&key) {
            if *v != value {
                errors.push(format!(
                    "{shown_file}:{line}: {label:?} is accepted as {value:?} here but as {v:?} at line {prev}"
                ));
            }
            continue;
        }
        // A line the crosswalk has already (an auto-accepted one).
        let force_ref = force_id.clone().unwrap_or_else(|| ForceId(String::new()));
        if existing
            .and_then(|c| c.lookup(&label, &force_ref))
            .is_some_and(|e| e.value == value && e.force == force_id)
        {
            continue;
        }
        chosen.insert(key, (line, label, value, force_id.map(|f| f.0)));
    }
    if !errors.is_empty() {
        bail!("nothing was added:\n  {}", errors.join("\n  "));
    }
    if chosen.is_empty() {
        outln!("{shown_file}: no line marked yes in `accept`; nothing added");
        return Ok(crate::exit::COMPLETE);
    }
    let lines: Vec<(String, String, Option<String>)> =
        chosen.into_values().map(|(_, l, v, f)| (l, v, f)).collect();
    let path = config::shown_path(&ctx.dirs, &crosswalk);
    let review = config::display(
        &ctx.dirs.root,
        &std::path::absolute(file).unwrap_or(file.to_path_buf()),
    );
    append(
        ctx,
        &path,
        &lines,
        &format!("Accepted from {review} (foi suggest --accept)"),
    )?;
    outln!(
        "added {} line(s) to {crosswalk} from {shown_file}; `foi build` uses them",
        lines.len()
    );
    Ok(crate::exit::COMPLETE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_force_column_is_added_to_a_header_without_one() {
        assert_eq!(
            with_force_column("# note\nlabel,value\na,1\n"),
            "# note\nlabel,value,force\na,1\n"
        );
        assert_eq!(
            with_force_column("label,value,force\n"),
            "label,value,force\n"
        );
    }

    fn read_as(verdict: Verdict, value: &str) -> Suggestions {
        Suggestions {
            verdict,
            candidates: vec![sg::Candidate {
                value: value.into(),
                score: 0.8,
                reasons: Vec::new(),
                exact_code: false,
            }],
            between: Vec::new(),
            members: Vec::new(),
        }
    }

    /// One line serves every reply that gives a label: any reply's rows
    /// withhold it, and only all replies' rows alike settle it.
    #[test]
    fn a_label_in_several_replies_is_settled_only_by_all_alike() {
        let ambiguous = || read_as(Verdict::Ambiguous { group: None }, "34A");
        let suggested = |v: &str| read_as(Verdict::Suggested, v);
        // Withheld by one reply's rows.
        let got = settle(suggested("49"), vec![suggested("49"), ambiguous()]);
        assert_eq!(got.verdict, Verdict::Ambiguous { group: None });
        // Settled alike by every reply's rows, or not at all.
        let got = settle(ambiguous(), vec![suggested("34B"), suggested("34B")]);
        assert_eq!(got, suggested("34B"));
        let got = settle(ambiguous(), vec![suggested("34B"), ambiguous()]);
        assert_eq!(got, ambiguous());
        let got = settle(ambiguous(), vec![suggested("34B"), suggested("34A")]);
        assert_eq!(got, ambiguous());
        // Still ambiguous, with what every reply's rows add to the reasons.
        let mut reasoned = ambiguous();
        reasoned.candidates[0]
            .reasons
            .push("the rest, or their total".into());
        let got = settle(ambiguous(), vec![reasoned.clone(), reasoned.clone()]);
        assert_eq!(got, reasoned);
        let got = settle(ambiguous(), vec![reasoned, ambiguous()]);
        assert_eq!(got, ambiguous());
        assert_eq!(settle(suggested("49"), Vec::new()), suggested("49"));
    }

    #[test]
    fn moves_read_as_requests_and_values() {
        let mut m = Moves::default();
        m.added.insert(
            ("fy-2016-17".into(), "offence 22B".into()),
            Interval::new(3, 7),
        );
        m.added.insert(
            ("ye-jun-2016".into(), "offence 22B".into()),
            Interval::point(2),
        );
        assert_eq!(
            m.show(),
            "fy-2016-17 +3 to 7 (offence 22B), ye-jun-2016 +2 (offence 22B)"
        );
        assert_eq!(Moves::default().show(), "moves no figure");
    }

    #[test]
    fn the_review_file_lies_beside_the_crosswalk() {
        assert_eq!(
            review_path(Path::new("config/campaigns/x/crosswalks/offences.csv")),
            Path::new("config/campaigns/x/crosswalks/offences.review.csv")
        );
    }
}
