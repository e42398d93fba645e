//! `foi build`: every response normalised from the cache (or taken from the
//! normalised cache when nothing it depends on changed), the release
//! assembled and written to a staging folder, then published whole.

use crate::release::{self, Manifest, OutputEntry, SourceEntry};
use crate::{diff, exit, headline, incremental, report, Cli, Ctx};
use anyhow::{Context, Result};
use foi_model::{Aggregate, Diagnostic, DiagnosticKind, Record, Severity};
use std::collections::BTreeMap;

/// What the stage could not read or was not sure of, for coverage: the
/// responses that failed, and what each diagnostic says about a force's
/// figures (unmapped labels, cells marked not available, conflicts,
/// periods not covered), read by kind.
/// What coverage must say about the stage: the diagnostics read by kind,
/// and each stale source (its force's figures, or for a national table
/// every force it answers for, come from the last good copy).
///
/// A national table's own diagnostics name no one force ("all forces"):
/// an unmapped label there (a column header, say) leaves out figures of
/// every force the table has rows for, so each of them is flagged.
pub fn gaps(ctx: &Ctx, stage: &Stage, sources: &[SourceEntry]) -> foi_publish::Gaps {
    let everyone = foi_model::ForceId(ALL_FORCES.into());
    let mut diagnostics: Vec<Diagnostic> = Vec::with_capacity(stage.diagnostics.len());
    for d in &stage.diagnostics {
        if d.force.as_ref() == Some(&everyone) && d.is_unmapped() {
            let forces: std::collections::BTreeSet<&foi_model::ForceId> = stage
                .records
                .iter()
                .filter(|r| Some(&r.lineage.file) == d.file.as_ref())
                .map(|r| &r.force)
                .collect();
            for f in forces {
                diagnostics.push(d.clone().force(f));
            }
        } else {
            diagnostics.push(d.clone());
        }
    }
    let mut national_stale = BTreeMap::new();
    for s in sources.iter().filter(|s| s.stale) {
        let why = s
            .error
            .clone()
            .unwrap_or_else(|| "no reason recorded".into());
        match ctx
            .config
            .responses
            .iter()
            .find(|r| r.key == s.key)
            .and_then(|r| r.force.clone())
        {
            Some(force) => diagnostics
                .push(Diagnostic::warning(DiagnosticKind::StaleSource, why).force(&force)),
            None => {
                national_stale.insert(s.key.clone(), why);
            }
        }
    }
    let mut gaps = foi_publish::Gaps::from_diagnostics(&diagnostics, stage.failures.clone());
    gaps.stale.extend(national_stale);
    gaps
}

/// How normalise names the force of a national table's own diagnostics.
const ALL_FORCES: &str = "all forces";

/// Every response normalised.
pub struct Stage {
    pub records: Vec<Record>,
    pub aggregates: Vec<Aggregate>,
    /// Each force's stated totals, checked against what they total.
    pub checks: Vec<foi_model::Check>,
    pub diagnostics: Vec<Diagnostic>,
    /// Response key -> why it could not be read at all.
    pub failures: BTreeMap<String, String>,
    /// Responses read afresh, and taken from the normalised cache.
    pub normalised: usize,
    pub reused: usize,
    /// Response key -> the layout detection read it with.
    pub layouts: BTreeMap<String, String>,
}

/// One response's part of the stage, worked out on any thread.
enum Outcome {
    /// Nothing to read: no figures, or no source.
    Skip,
    /// The source could not be had: why.
    Missing(String),
    Reused(incremental::Cached),
    Normalised(foi_normalise::Normalised),
}

/// Every response normalised, in parallel across cores (rayon), each read
/// once. The outcomes are gathered in the order of `config.responses`, so
/// the stage (and every table built from it) is the same whatever order
/// the threads finish in.
/// The config without the responses (each keys its own) and without the
/// crosswalks (each response keys the lines that can apply to it): the
/// campaign file and the reference tables.
pub fn campaign_sha(ctx: &Ctx) -> String {
    let mut skip = vec![ctx.dirs.campaign.join("responses")];
    skip.extend(
        incremental::crosswalk_files(&ctx.config)
            .into_iter()
            .map(|f| crate::config::shown_path(&ctx.dirs, f)),
    );
    incremental::tree_sha(
        &ctx.dirs.root,
        &[ctx.dirs.config.join("reference"), ctx.dirs.campaign.clone()],
        &skip,
    )
}

pub fn normalise_all(ctx: &Ctx) -> Stage {
    let config = &ctx.config;
    let campaign_sha = campaign_sha(ctx);
    // Worker threads have no current span of their own: each response's
    // span hangs under the caller's (the run span, with its run_id).
    let parent = tracing::Span::current();
    // Each response's manifest, read once: its size orders the work, and
    // its sha256 keys and finds the source.
    let manifests: Vec<Option<foi_ingest::Manifest>> = config
        .responses
        .iter()
        .map(|r| {
            foi_ingest::read_manifest(&ctx.cache, &config.campaign.id, &r.key)
                .ok()
                .flatten()
        })
        .collect();
    // Largest source first, each thread taking the next when it is done:
    // the last to start are the smallest, so the cores finish together
    // rather than one waiting on a big workbook picked up late.
    let mut order: Vec<(u64, usize)> = manifests
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_ref().map_or(0, |m| m.size), i))
        .collect();
    order.sort_by_key(|&(bytes, i)| (std::cmp::Reverse(bytes), i));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(order.len()));
    rayon::scope(|s| {
        for _ in 0..rayon::current_num_threads() {
            s.spawn(|_| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(_, i)) = order.get(k) else {
                    break;
                };
                let outcome = normalise_one(
                    ctx,
                    &campaign_sha,
                    &config.responses[i],
                    manifests[i].as_ref(),
                    &parent,
                );
                done.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((i, outcome));
            });
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(i, _)| *i);
    let outcomes = done.into_iter().map(|(_, o)| o);
    let mut stage = Stage {
        records: Vec::new(),
        aggregates: Vec::new(),
        checks: Vec::new(),
        diagnostics: Vec::new(),
        failures: BTreeMap::new(),
        normalised: 0,
        reused: 0,
        layouts: BTreeMap::new(),
    };
    for (response, outcome) in config.responses.iter().zip(outcomes) {
        match outcome {
            Outcome::Skip => {}
            Outcome::Missing(why) => {
                let source = response
                    .source
                    .as_ref()
                    .map(|s| s.display())
                    .unwrap_or_default();
                stage.diagnostics.push(
                    Diagnostic::error(DiagnosticKind::MissingSource, why.clone())
                        .force(&foi_model::ForceId(response.who()))
                        .file(source),
                );
                stage.failures.insert(response.key.clone(), why);
            }
            Outcome::Reused(cached) => {
                stage.reused += 1;
                if let Some(l) = cached.layout {
                    stage.layouts.insert(response.key.clone(), l);
                }
                stage.aggregates.extend(cached.aggregates);
                stage.checks.extend(cached.checks);
                absorb(
                    &mut stage,
                    &response.key,
                    cached.records,
                    cached.diagnostics,
                );
            }
            Outcome::Normalised(n) => {
                stage.normalised += 1;
                if let Some(l) = n.layout {
                    stage.layouts.insert(response.key.clone(), l);
                }
                stage.aggregates.extend(n.aggregates);
                stage.checks.extend(n.checks);
                absorb(&mut stage, &response.key, n.records, n.diagnostics);
            }
        }
    }
    stage
}

fn normalise_one(
    ctx: &Ctx,
    campaign_sha: &str,
    response: &foi_model::config::Response,
    manifest: Option<&foi_ingest::Manifest>,
    parent: &tracing::Span,
) -> Outcome {
    let config = &ctx.config;
    if !response.status.has_figures() || response.source.is_none() {
        return Outcome::Skip;
    }
    let sha = manifest.map(|m| m.sha256.clone());
    let response_text = std::fs::read(ctx.dirs.root.join(&response.file)).unwrap_or_default();
    let crosswalk_sha = incremental::crosswalk_sha(config, response);
    let key = sha
        .as_deref()
        .map(|sha| incremental::key(campaign_sha, &crosswalk_sha, &response_text, sha));
    if let Some(cached) = key
        .as_deref()
        .and_then(|k| incremental::load(&ctx.cache, &config.campaign.id, k))
    {
        return Outcome::Reused(cached);
    }
    let bytes_sha = match manifest {
        None => Err(not_cached(ctx, response)),
        Some(m) => foi_ingest::read_raw(&ctx.cache, &m.sha256)
            .map(|b| (b, m.sha256.clone()))
            .map_err(|e| e.to_string()),
    };
    let (bytes, sha) = match bytes_sha {
        Ok(x) => x,
        // A manual-only response (figures typed from a PDF) needs no bytes.
        Err(_) if response.tables.is_empty() && !response.manual.is_empty() => {
            (Vec::new(), String::new())
        }
        Err(why) => return Outcome::Missing(why),
    };
    let _span = tracing::info_span!(parent: parent, "normalise", force = %response.who(), key = %response.key)
        .entered();
    let t0 = std::time::Instant::now();
    let n = foi_normalise::normalise(&foi_normalise::Input {
        campaign: &config.campaign,
        forces: &config.forces,
        response,
        bytes: &bytes,
        sha256: &sha,
        limits: &config.campaign.limits,
    });
    let t1 = t0.elapsed().as_millis() as u64;
    drop(bytes);
    if let Some(k) = &key {
        incremental::store(
            &ctx.cache,
            &config.campaign.id,
            k,
            &incremental::Cached {
                records: n.records.clone(),
                aggregates: n.aggregates.clone(),
                checks: n.checks.clone(),
                diagnostics: n.diagnostics.clone(),
                layout: n.layout.clone(),
            },
        );
    }
    tracing::debug!(
        normalise_ms = t1,
        store_ms = t0.elapsed().as_millis() as u64 - t1,
        "response done"
    );
    Outcome::Normalised(n)
}

/// Whether a diagnostic says a response could not be read at all, as
/// opposed to figures it gave that were refused (a conflict) or labels
/// nothing maps: coverage gives each its own reason.
fn unreadable(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
        && matches!(
            d.kind,
            DiagnosticKind::Unreadable | DiagnosticKind::Layout | DiagnosticKind::MissingSource
        )
}

/// Why a source is not in the cache: never fetched, or every body fetched
/// for it so far was refused (kept aside under cache/rejected/).
fn not_cached(ctx: &Ctx, response: &foi_model::config::Response) -> String {
    let rejected = ctx
        .cache
        .join("rejected")
        .join(&ctx.config.campaign.id)
        .join(&response.key);
    let refused = std::fs::read_dir(&rejected).is_ok_and(|mut rd| rd.next().is_some());
    if refused {
        format!(
            "not in the cache: what the last fetch got was refused (not the file the response expects) and nothing earlier was kept; see {}",
            rejected.display()
        )
    } else {
        "not in the cache (run `foi fetch` first)".to_string()
    }
}

fn absorb(stage: &mut Stage, key: &str, records: Vec<Record>, diagnostics: Vec<Diagnostic>) {
    if records.is_empty() {
        if let Some(d) = diagnostics.iter().find(|d| unreadable(d)) {
            stage.failures.insert(key.to_string(), d.message.clone());
        }
    }
    stage.records.extend(records);
    stage.diagnostics.extend(diagnostics);
}

pub fn sources(ctx: &Ctx) -> Vec<SourceEntry> {
    ctx.config
        .responses
        .iter()
        .filter_map(|r| {
            let source = r.source.as_ref()?;
            let m = foi_ingest::read_manifest(&ctx.cache, &ctx.config.campaign.id, &r.key)
                .ok()
                .flatten();
            Some(SourceEntry {
                key: r.key.clone(),
                force: r.who(),
                source: source.display().to_string(),
                status: match &m {
                    None => "missing".into(),
                    Some(m) if m.stale => "stale".into(),
                    Some(m) => match m.http_status {
                        Some(304) => "unchanged".into(),
                        Some(s) => format!("http {s}"),
                        None => "local".into(),
                    },
                },
                sha256: m.as_ref().map(|m| m.sha256.clone()),
                stale: m.as_ref().is_some_and(|m| m.stale),
                fetched_at: m.as_ref().map(|m| m.fetched_at.clone()),
                error: m.and_then(|m| m.error),
            })
        })
        .collect()
}

/// A warning for each source whose last fetch failed: its figures come
/// from the last good copy, and the release says so (coverage flags them
/// through [`gaps`]).
fn stale_causes(sources: &[SourceEntry]) -> Vec<Diagnostic> {
    sources
        .iter()
        .filter(|s| s.stale)
        .map(|s| {
            let d = Diagnostic::warning(
                DiagnosticKind::StaleSource,
                format!(
                    "the last fetch failed ({}); the figures come from the last good copy, fetched {}",
                    s.error.as_deref().unwrap_or("no reason recorded"),
                    s.fetched_at.as_deref().unwrap_or("at an unknown time")
                ),
            )
            .file(s.source.clone());
            // A national table answers for many forces: it names none.
            if s.force == ALL_FORCES {
                d
            } else {
                d.force(&foi_model::ForceId(s.force.clone()))
            }
        })
        .collect()
}

/// sha256 of everything a release is made from: foi's build, the config,
/// each source's bytes and staleness, and the flags that change the result.
fn inputs_sha(cli: &Cli, config_sha: &str, sources: &[SourceEntry]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::BUILD_ID.as_bytes());
    h.update([0]);
    h.update(config_sha.as_bytes());
    for s in sources {
        h.update([0]);
        h.update(s.key.as_bytes());
        h.update([0]);
        h.update(s.sha256.as_deref().unwrap_or("-").as_bytes());
        h.update([u8::from(s.stale)]);
    }
    h.update([u8::from(cli.allow_unmapped), u8::from(cli.strict)]);
    hex::encode(h.finalize())
}

/// What `foi build` did: its exit code and the counts for the closing line.
pub struct Built {
    pub code: u8,
    pub summary: report::Summary,
}

pub fn build(
    cli: &Cli,
    ctx: &Ctx,
    started: chrono::DateTime<chrono::Utc>,
    fetched: Vec<Diagnostic>,
) -> Result<Built> {
    let config = &ctx.config;
    let config_sha = incremental::tree_sha(
        &ctx.dirs.root,
        &[ctx.dirs.config.join("reference"), ctx.dirs.campaign.clone()],
        &[],
    );
    let source_entries = sources(ctx);
    let inputs = inputs_sha(cli, &config_sha, &source_entries);
    release::check_out(&ctx.out)?;
    incremental::sweep(&ctx.cache, &config.campaign.id);
    // Nothing the last release was made from has changed: read nothing,
    // publish nothing, and say what that release said, causes and all.
    // Unless a source was missing from the cache then (not fetched yet,
    // its copy damaged): the inputs name the source's bytes, not whether
    // the cache held them, so a copy repaired since must be read.
    if let Some((id, m)) = release::latest(&ctx.out)
        .and_then(|(id, dir)| release::read_manifest(&dir).map(|m| (id, m)))
        .filter(|(_, m)| m.inputs_sha256 == inputs)
        .filter(|(_, m)| {
            !m.causes.iter().any(|c| {
                [
                    DiagnosticKind::MissingSource,
                    DiagnosticKind::DamagedCopy,
                    DiagnosticKind::FetchFailed,
                ]
                .iter()
                .any(|k| k.code() == c.kind)
            })
        })
    {
        for c in &m.causes {
            c.log();
        }
        if !cli.quiet {
            report::info(&format!(
                "normalised 0 responses, {} unchanged since the last build",
                m.responses
            ));
            report::info(&format!(
                "nothing changed since release {id}: the same config, sources and foi build; no new release published ({}, exit code {} as then)",
                ctx.out.join("latest").display(),
                m.exit_code
            ));
        }
        report::out(&m.headline);
        let summary = report::Summary {
            counts: m.summary.clone(),
            release: Some(id),
            ..Default::default()
        };
        return Ok(Built {
            code: m.exit_code,
            summary,
        });
    }
    let clock = std::time::Instant::now();
    let lap =
        |phase: &str| tracing::debug!(phase, ms = clock.elapsed().as_millis() as u64, "phase done");
    let mut causes = crate::verdict::Causes::new(cli.allow_unmapped);
    // What fetch found that the sources' manifests do not record (the
    // staleness they do record is reported below, from the manifests).
    causes.extend(
        fetched
            .into_iter()
            .filter(|d| d.kind != DiagnosticKind::StaleSource),
    );
    for d in stale_causes(&source_entries) {
        report::diagnostic(&d);
        causes.push(d);
    }
    let mut stage = normalise_all(ctx);
    lap("normalise");
    // A source this run's fetch could not get is reported once, by the
    // fetch, not again as missing from the cache; coverage gives the
    // fetch's reason.
    let fetch_failed: BTreeMap<(Option<foi_model::ForceId>, Option<String>), String> = causes
        .iter_kind(&DiagnosticKind::FetchFailed)
        .chain(causes.iter_kind(&DiagnosticKind::WrongFormat))
        .filter(|d| d.severity == Severity::Error)
        .map(|d| ((d.force.clone(), d.file.clone()), d.message.clone()))
        .collect();
    if !fetch_failed.is_empty() {
        stage.diagnostics.retain(|d| {
            !(d.kind == DiagnosticKind::MissingSource
                && fetch_failed.contains_key(&(d.force.clone(), d.file.clone())))
        });
        for r in &config.responses {
            let place = (
                Some(foi_model::ForceId(r.who())),
                r.source.as_ref().map(|s| s.display().to_string()),
            );
            if let Some(why) = fetch_failed.get(&place) {
                stage.failures.insert(r.key.clone(), why.clone());
            }
        }
    }
    let unmapped = stage.diagnostics.iter().filter(|d| d.is_unmapped()).count();
    for d in &stage.diagnostics {
        if !cli.quiet || d.severity == Severity::Error {
            report::diagnostic(d);
        }
    }
    causes.extend(stage.diagnostics.iter().cloned());
    if !cli.quiet {
        report::info(&format!(
            "normalised {} responses, {} unchanged since the last build",
            stage.normalised, stage.reused
        ));
    }
    let mut summary = report::Summary {
        counts: report::Counts {
            sources: source_entries.len(),
            stale: source_entries.iter().filter(|s| s.stale).count(),
            failed: source_entries.iter().filter(|s| s.sha256.is_none()).count(),
            forces: config
                .forces
                .iter()
                .filter(|f| config.campaign.asks(&f.id))
                .count(),
            ..Default::default()
        },
        ..Default::default()
    };
    if unmapped > 0 && !cli.allow_unmapped {
        report::error(&format!(
            "{unmapped} label(s) map to nothing, so nothing was published; add the crosswalk lines above, or run with --allow-unmapped to publish the rest"
        ));
        crate::suggest::after_failed_build(ctx, &stage.diagnostics);
        summary.counts.warnings = causes.warnings();
        summary.counts.errors = causes.errors();
        return Ok(Built {
            code: exit::FAILED,
            summary,
        });
    }
    let mut release = foi_publish::assemble(
        config,
        &stage.records,
        &stage.aggregates,
        &stage.checks,
        &gaps(ctx, &stage, &source_entries),
    );
    lap("assemble");
    // What coverage found missing that no diagnostic has already said: a
    // national table without a row for a force, a reply with no figures
    // for a request. (A conflict, a stale source, cells not available, a
    // period not covered are causes already, from their diagnostics.)
    for (row, reason) in release.undeclared() {
        if !matches!(
            reason,
            foi_publish::Reason::NoRow | foi_publish::Reason::NoFigures
        ) {
            continue;
        }
        let d = Diagnostic::warning(DiagnosticKind::NoFigures, format!("{reason}; not added"))
            .force(&row.force)
            .request(row.request.clone());
        report::diagnostic(&d);
        causes.push(d);
    }
    let mut differences = 0;
    for c in release.checks.iter().filter(|c| !c.agrees()) {
        differences += 1;
        let mut d = Diagnostic::warning(
            DiagnosticKind::Reconciliation,
            format!(
                "reconciliation: {} {}{}: the source states {} (at {}) but foi computes {} from {}",
                c.request,
                c.label,
                if c.breakdown.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", c.breakdown)
                },
                headline::show(config.campaign.scale, c.stated),
                c.cells,
                headline::show(config.campaign.scale, c.computed),
                if c.parts.is_empty() {
                    "nothing"
                } else {
                    c.parts.as_str()
                }
            ),
        )
        .request(c.request.clone())
        .file(c.source.clone());
        if c.scope != "national" {
            d = d.force(&foi_model::ForceId(c.scope.clone()));
        }
        report::diagnostic(&d);
        causes.push(d);
    }
    if !cli.quiet && !release.checks.is_empty() {
        report::info(&format!(
            "reconciliation: {} figures the sources state checked, {differences} differences",
            release.checks.len(),
        ));
    }
    let code = causes.exit_code(cli.strict);
    summary.exit_code = code;
    summary.counts.warnings = causes.warnings();
    summary.counts.errors = causes.errors();
    summary.counts.figures = release.figures.len();
    summary.counts.forces_added = release
        .coverage
        .iter()
        .filter(|c| c.included)
        .map(|c| &c.force)
        .collect::<std::collections::BTreeSet<_>>()
        .len();

    // Each file is written into a staging folder as soon as it is rendered,
    // then the folder is published whole. Something the release records
    // changed (or the no-change check above would have returned), so it is
    // published even when its tables are the same as the last release's:
    // its manifest says the truth about this run (a source gone stale, a
    // config fix that changed only the exit code).
    let id = report::run_id();
    // What differs from the release this one replaces: changes.csv, the
    // revised figures, and the run's closing change line. The previous
    // release is an input: the same one and the same inputs give the same
    // bytes.
    let fingerprints = diff::record::fingerprints(ctx, campaign_sha(ctx));
    let facts = diff::record::facts(ctx, id, &source_entries, &fingerprints);
    let changes = diff::record::since_previous(&ctx.out, &release, facts)
        .context("comparing with the previous release")?;
    lap("compare");
    summary.changes = Some(changes.clone());
    let changes_entry = diff::record::entry(&changes);
    release.revise(changes);
    let staging = release::stage(&ctx.out, id)?;
    let mut outputs: Vec<OutputEntry> = match foi_publish::write(&release, &staging) {
        Ok(written) => written
            .into_iter()
            .map(|o| OutputEntry {
                name: o.name,
                bytes: o.bytes,
                sha256: o.sha256,
            })
            .collect(),
        Err(e) => {
            release::discard(&staging);
            return Err(e).context("writing the release");
        }
    };
    // Each layout detection read a response with, to review and to pin.
    for (key, text) in &stage.layouts {
        use sha2::{Digest, Sha256};
        let name = format!("layouts/{key}.toml");
        if let Err(e) = foi_publish::write_atomic(&staging.join(&name), text.as_bytes()) {
            release::discard(&staging);
            return Err(e).context("writing the release's layouts");
        }
        outputs.push(OutputEntry {
            name,
            bytes: text.len() as u64,
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
        });
    }
    lap("write");
    let files = outputs.len();
    let manifest = Manifest {
        schema_version: 3,
        run_id: id.to_string(),
        started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        finished: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        foi_version: env!("CARGO_PKG_VERSION").to_string(),
        foi_build: crate::BUILD_ID.to_string(),
        campaign: config.campaign.id.clone(),
        config_sha256: config_sha,
        sources: source_entries,
        normalised: stage.normalised,
        reused: stage.reused,
        outputs,
        exit_code: code,
        causes: causes.entries(),
        summary: summary.counts.clone(),
        inputs_sha256: inputs,
        headline: headline::render(&release, config),
        responses: stage.normalised + stage.reused,
        campaign_sha256: Some(fingerprints.campaign_sha256),
        response_configs: Some(fingerprints.responses),
        crosswalks: Some(fingerprints.crosswalks),
        changes: Some(changes_entry),
    };
    release::write_manifest(&staging, &manifest)?;
    let dest = release::publish(&ctx.out, &staging, id)?;
    let pruned = release::prune(&ctx.out, cli.keep)?;
    summary.release = Some(id.to_string());
    if !cli.quiet {
        report::info(&format!(
            "published release {id}: {} files in {} ({} now points at it){}",
            files + 1,
            dest.display(),
            ctx.out.join("latest").display(),
            if pruned.is_empty() {
                String::new()
            } else {
                format!("; pruned {} old release(s)", pruned.len())
            }
        ));
    }
    lap("publish");
    headline::print(&release, config);
    if code == exit::FAILED && causes.errors() > 0 {
        report::error(&format!(
            "incomplete: {} response(s) could not be read and {} error(s) were found; the rest was published",
            stage.failures.len(),
            causes.errors()
        ));
    }
    Ok(Built { code, summary })
}
