//! `foi inspect FILE`: what foi sees in a reply nobody has described to
//! it. Sheet by sheet, each table found, its header, each column's part
//! and the evidence for it, the first figures as read, the records it
//! would give with their totals per request, and the `[[table]]`s to paste
//! into the response; `--write` writes the response file itself.
//!
//! The file is read exactly as `foi build` reads a response without
//! `[[table]]`s: the same detection, the same reading, the same refusal.

use crate::{exit, report, Ctx};
use anyhow::{bail, Context as _, Result};
use clap::ValueEnum;
use foi_model::config::{resolve_response_text, Response, Source};
use foi_model::{DimId, Interval, Record, Severity};
use foi_normalise::detect::{toml_string, Detection, Proposal};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How `foi inspect` writes what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object, for tools.
    Json,
}

/// What `foi inspect` was asked.
pub struct Args<'a> {
    pub file: &'a Path,
    pub force: Option<&'a str>,
    pub requests: &'a [String],
    pub write: bool,
    pub overwrite: bool,
    pub format: Format,
}

/// The first line of a response file `foi inspect --write` wrote: such a
/// file may be written again; any other is a person's and is kept.
const WRITTEN: &str = "# Written by foi inspect";

/// How many figures of each table are shown as read.
const FIRST: usize = 6;

pub fn run(ctx: &Ctx, a: &Args) -> Result<u8> {
    let config = &ctx.config;
    let bytes = std::fs::read(a.file).with_context(|| format!("reading {}", a.file.display()))?;
    let source = source_path(&ctx.dirs.root, a.file);
    let force = match a.force {
        None => None,
        Some(name) => Some(
            config
                .forces
                .resolve(name)
                .map(|f| f.id.clone())
                .with_context(|| {
                    format!("unknown force {name:?} (see config/reference/forces.csv)")
                })?,
        ),
    };
    for r in a.requests {
        if config.campaign.request(r).is_none() {
            bail!(
                "unknown request {r:?} (the campaign's: {})",
                request_ids(ctx).join(", ")
            );
        }
    }
    let requests: Vec<String> = if a.requests.is_empty() {
        request_ids(ctx)
    } else {
        a.requests.to_vec()
    };
    let key = match &force {
        Some(f) => f.0.clone(),
        None => slug(a.file),
    };
    let response_file = format!(
        "{}/responses/{key}.toml",
        crate::config::display(&ctx.dirs.root, &ctx.dirs.campaign)
    );
    let head = response_head(force.as_ref().map(|f| f.0.as_str()), &requests, &source);
    let response = resolve_response_text(&config.forces, &config.campaign, &response_file, &head)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let sha = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&bytes))
    };
    let seen = foi_normalise::inspect(&foi_normalise::Input {
        campaign: &config.campaign,
        forces: &config.forces,
        response: &response,
        bytes: &bytes,
        sha256: &sha,
        limits: &config.campaign.limits,
    });
    let trusted =
        seen.detection.as_ref().is_some_and(Detection::trusted) && seen.normalised.layout.is_some();
    match a.format {
        Format::Text => report::out(&text(ctx, a, &response, &seen, trusted)),
        Format::Json => report::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json(ctx, a, &response, &seen, trusted))?
        )),
    }
    if a.write {
        if !trusted {
            report::error(&format!(
                "not written: foi is not sure of this layout (see above); check the proposal, correct it, and write {response_file} yourself"
            ));
            return Ok(exit::FAILED);
        }
        let path = ctx.dirs.root.join(&response_file);
        if let Ok(old) = std::fs::read_to_string(&path) {
            if !old.starts_with(WRITTEN) && !a.overwrite {
                report::error(&format!(
                    "not written: {response_file} exists and was not written by foi inspect; run with --overwrite to replace it"
                ));
                return Ok(exit::FAILED);
            }
        }
        let answered = answered_requests(&requests, &seen.normalised.records);
        let body = response_text(
            force.as_ref().map(|f| f.0.as_str()),
            &answered,
            &source,
            a.file,
            seen.detection
                .as_ref()
                .map(|d| d.layout.as_str())
                .unwrap_or(""),
        );
        // What is written is checked as `foi check` would check it.
        resolve_response_text(&config.forces, &config.campaign, &response_file, &body)
            .map_err(|e| anyhow::anyhow!("the response foi would write is not valid: {e}"))?;
        foi_publish::write_atomic(&path, body.as_bytes())
            .with_context(|| format!("writing {response_file}"))?;
        report::info(&format!(
            "wrote {response_file}: add what the reply says beyond its tables (fixed = {{ … }}, unit, zeros, note) before you build"
        ));
    }
    Ok(if trusted {
        exit::COMPLETE
    } else {
        exit::FAILED
    })
}

fn request_ids(ctx: &Ctx) -> Vec<String> {
    ctx.config
        .campaign
        .requests
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

/// The path a response names its source by: relative to the folder
/// holding config/ when the file is inside it, else as given.
fn source_path(root: &Path, file: &Path) -> String {
    // As named from the working folder first (a fixtures/ link inside the
    // root stays inside it), then with every link followed.
    let cwd = std::env::current_dir().unwrap_or_default();
    let cwd_real = std::fs::canonicalize(&cwd).unwrap_or_else(|_| cwd.clone());
    let candidates = [
        cwd.join(file),
        cwd_real.join(file),
        std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()),
    ];
    for c in &candidates {
        if let Ok(rel) = c.strip_prefix(root) {
            return rel.display().to_string();
        }
    }
    candidates[2].display().to_string()
}

/// A response file's name from a national table's file name.
fn slug(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "national".into()
    } else {
        out
    }
}

/// The response's own lines: what it answers and where its source is.
fn response_head(force: Option<&str>, requests: &[String], source: &str) -> String {
    let mut out = String::new();
    if let Some(f) = force {
        let _ = writeln!(out, "force = {}", toml_string(f));
    }
    let _ = writeln!(
        out,
        "requests = [{}]",
        requests
            .iter()
            .map(|r| toml_string(r))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("status = \"answered\"\n");
    let _ = writeln!(out, "source = {{ path = {} }}", toml_string(source));
    out
}

/// The requests the reply's records answer, in the campaign's order.
fn answered_requests(all: &[String], records: &[Record]) -> Vec<String> {
    let have: BTreeSet<&str> = records.iter().map(|r| r.request.as_str()).collect();
    let out: Vec<String> = all
        .iter()
        .filter(|r| have.contains(r.as_str()))
        .cloned()
        .collect();
    if out.is_empty() {
        all.to_vec()
    } else {
        out
    }
}

fn response_text(
    force: Option<&str>,
    requests: &[String],
    source: &str,
    file: &Path,
    layout: &str,
) -> String {
    format!(
        "{WRITTEN} from {}: review it before you build.\n# Add what the reply says beyond its tables: fixed = {{ … }}, unit, zeros, note.\n{}\n{layout}",
        file.display(),
        response_head(force, requests, source)
    )
}

/// Records grouped by request and grain (the dimensions they carry,
/// fixed ones aside), each group's count and sum.
fn totals(
    campaign: &foi_model::config::Campaign,
    response: &Response,
    records: &[Record],
) -> BTreeMap<String, BTreeMap<String, (usize, Interval)>> {
    let mut out: BTreeMap<String, BTreeMap<String, (usize, Interval)>> = BTreeMap::new();
    for r in records {
        let dims: Vec<&DimId> = r
            .dims
            .keys()
            .filter(|d| {
                !response.fixed.contains_key(*d)
                    && campaign
                        .dimension(d)
                        .is_none_or(|x| x.derive_from.is_none())
            })
            .collect();
        let grain = if dims.is_empty() {
            "total".to_string()
        } else {
            format!(
                "by {}",
                dims.iter()
                    .map(|d| d.0.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let e = out
            .entry(r.request.clone())
            .or_default()
            .entry(grain)
            .or_insert((0, Interval::ZERO));
        e.0 += 1;
        e.1 += r.count.interval;
    }
    out
}

/// The records a proposal's table gave: those whose cells lie in its rows.
fn of_table<'r>(p: &Proposal, records: &'r [Record]) -> Vec<&'r Record> {
    let mut out: Vec<&Record> = records
        .iter()
        .filter(|r| {
            r.lineage.sheet == p.sheet
                && r.lineage.cells.first().is_some_and(|c| {
                    let row = c.row as usize + 1;
                    row >= p.first_row && row <= p.last_row
                })
        })
        .collect();
    out.sort_by_key(|r| r.lineage.cells.first().map(|c| (c.row, c.col)));
    out
}

fn dims_text(r: &Record, response: &Response) -> String {
    let shown: Vec<String> = r
        .dims
        .iter()
        .filter(|(d, _)| !response.fixed.contains_key(*d))
        .map(|(d, v)| format!("{d}={v}"))
        .collect();
    if shown.is_empty() {
        "total".into()
    } else {
        shown.join(", ")
    }
}

fn text(
    ctx: &Ctx,
    a: &Args,
    response: &Response,
    seen: &foi_normalise::Inspection,
    trusted: bool,
) -> String {
    let mut o = String::new();
    let records = &seen.normalised.records;
    let format = foi_model::sniff(&std::fs::read(a.file).unwrap_or_default());
    let _ = writeln!(
        o,
        "{}: {format}, {} sheet{}",
        a.file.display(),
        seen.sheets.len(),
        if seen.sheets.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        o,
        "read as {} answering {} (campaign {})",
        response.who(),
        response.requests.join(", "),
        ctx.config.campaign.id
    );
    let Some(d) = &seen.detection else {
        for diag in &seen.normalised.diagnostics {
            let _ = writeln!(o, "{diag}");
        }
        return o;
    };
    for (i, s) in seen.sheets.iter().enumerate() {
        let finding = d.sheets.get(i);
        let _ = writeln!(
            o,
            "\n{} ({} rows, {} columns{})",
            match &s.name {
                Some(n) => format!("sheet {n:?}"),
                None => "the file's one table".into(),
            },
            s.rows,
            s.columns,
            if s.visible { "" } else { ", hidden" }
        );
        for p in d.tables.iter().filter(|p| p.sheet_index == i) {
            let header = if p.header_rows.len() == 1 {
                format!("header row {}", p.header_rows[0])
            } else {
                format!(
                    "header rows {} to {}",
                    p.header_rows[0],
                    p.header_rows.last().unwrap_or(&0)
                )
            };
            let _ = writeln!(
                o,
                "  table {}: {header}, {} rows {} to {}{}, confidence {:.2}",
                p.range,
                if p.shape == "records" {
                    "one crime per row,"
                } else {
                    "data"
                },
                p.first_row,
                p.last_row,
                p.request
                    .as_ref()
                    .map(|r| format!(", request {r}"))
                    .unwrap_or_default(),
                p.confidence
            );
            for c in &p.columns {
                let _ = writeln!(
                    o,
                    "    {:<6} {:<40} {}{}",
                    c.column,
                    format!("{:?}", short(&c.header, 38)),
                    c.role,
                    if c.evidence.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", c.evidence)
                    }
                );
            }
            for r in &p.rows {
                let _ = writeln!(o, "    row: {r}");
            }
            for r in &p.reasons {
                let _ = writeln!(o, "    because {r}");
            }
            for u in &p.uncertain {
                let _ = writeln!(o, "    UNCERTAIN: {u}");
            }
            let given = of_table(p, records);
            if !given.is_empty() {
                let _ = writeln!(o, "    first figures as read:");
                for r in given.iter().take(FIRST) {
                    let at = r
                        .lineage
                        .cells
                        .first()
                        .map(|c| r.lineage.locate(c))
                        .unwrap_or_default();
                    let _ = writeln!(
                        o,
                        "      {at}: {}{} {}: {:?} = {}",
                        if response.force.is_none() {
                            format!("{} ", r.force)
                        } else {
                            String::new()
                        },
                        r.request,
                        dims_text(r, response),
                        r.count.text,
                        r.count.interval
                    );
                }
                if given.len() > FIRST {
                    let _ = writeln!(o, "      … and {} more", given.len() - FIRST);
                }
            }
        }
        for n in finding.map(|f| f.notes.as_slice()).unwrap_or_default() {
            let _ = writeln!(o, "  {n}");
        }
    }
    let _ = writeln!(
        o,
        "\nrecords: {}{}",
        records.len(),
        if response.force.is_none() {
            format!(
                " for {} forces",
                records
                    .iter()
                    .map(|r| &r.force)
                    .collect::<BTreeSet<_>>()
                    .len()
            )
        } else {
            String::new()
        }
    );
    for (request, grains) in totals(&ctx.config.campaign, response, records) {
        let overlapping = |g: &str| {
            ctx.config
                .campaign
                .dimensions
                .iter()
                .any(|d| d.overlapping && g.contains(d.id.0.as_str()))
        };
        let shown: Vec<String> = grains
            .iter()
            .map(|(g, (n, sum))| {
                format!(
                    "{g}: {} ({n} record{})",
                    if overlapping(g) {
                        "values overlap, so no sum".to_string()
                    } else {
                        sum.to_string()
                    },
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        let _ = writeln!(o, "  {request}: {}", shown.join("; "));
    }
    let problems: Vec<&foi_model::Diagnostic> = seen
        .normalised
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(o, "\nwhat reading reported:");
        for p in problems.iter().take(12) {
            let first = p.to_string();
            let first = first.lines().next().unwrap_or("");
            let _ = writeln!(o, "  {first}");
        }
        if problems.len() > 12 {
            let _ = writeln!(o, "  … and {} more", problems.len() - 12);
        }
    }
    if trusted {
        let _ = writeln!(
            o,
            "\nfoi build reads this reply with this layout (confidence {:.2}); to pin it, paste it into the response:\n",
            d.confidence
        );
    } else {
        let _ = writeln!(
            o,
            "\nfoi build would refuse this reply: {}\nthe proposal, to check and correct:\n",
            if d.uncertain.is_empty() {
                "reading with the layout found problems (above)".to_string()
            } else {
                d.uncertain.join("; ")
            }
        );
    }
    o.push_str(&d.layout);
    o
}

fn short(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn json(
    ctx: &Ctx,
    a: &Args,
    response: &Response,
    seen: &foi_normalise::Inspection,
    trusted: bool,
) -> serde_json::Value {
    let totals: BTreeMap<String, BTreeMap<String, serde_json::Value>> =
        totals(&ctx.config.campaign, response, &seen.normalised.records)
            .into_iter()
            .map(|(r, g)| {
                (
                    r,
                    g.into_iter()
                        .map(|(g, (n, sum))| {
                            (
                                g,
                                serde_json::json!({ "records": n, "lo": sum.lo, "hi": sum.hi }),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
    serde_json::json!({
        "file": a.file.display().to_string(),
        "campaign": ctx.config.campaign.id,
        "force": response.force.as_ref().map(|f| f.0.clone()),
        "requests": response.requests,
        "sheets": seen.sheets,
        "detection": seen.detection,
        "trusted": trusted,
        "records": seen.normalised.records,
        "totals": totals,
        "diagnostics": seen.normalised.diagnostics,
        "layout": seen.detection.as_ref().map(|d| d.layout.clone()),
    })
}

/// `foi check`: each table that names a `sheet` for a source that is a
/// text file (a csv has no sheets, so the line means nothing), as
/// "<response file>:<line>: …". Sources that are not local files, or not
/// there, are left to the other checks.
pub fn meaningless_sheets(ctx: &Ctx) -> Vec<String> {
    let mut out = Vec::new();
    for r in &ctx.config.responses {
        let Some(Source::Path(p)) = &r.source else {
            continue;
        };
        if !r.tables.iter().any(|t| t.sheet.is_some()) {
            continue;
        }
        let path: PathBuf = ctx.dirs.root.join(p);
        let Ok(mut f) = std::fs::File::open(&path) else {
            continue;
        };
        let mut head = vec![0u8; 8192];
        let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
        head.truncate(n);
        if !matches!(
            foi_model::sniff(&head),
            foi_model::Format::Text { .. } | foi_model::Format::Html
        ) {
            continue;
        }
        let text = std::fs::read_to_string(ctx.dirs.root.join(&r.file)).unwrap_or_default();
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("sheet"))
            .map_or(1, |i| i + 1);
        out.push(format!(
            "{}:{line}: `sheet` means nothing for {p}, a text file with no sheets: drop the line",
            r.file
        ));
    }
    out
}
