//! `foi fetch`: every source into the raw cache, with a progress bar on a
//! terminal and a one-line summary; with `--verify`, every cached copy
//! hashed first.

use crate::{exit, report, worst, Cli, Ctx};
use anyhow::{Context, Result};
use foi_model::{Diagnostic, Severity};

/// The exit code, how many sources are stale or failed, and every
/// diagnostic the fetch reported (each with its kind, force and source).
/// What `foi fetch` did: its exit code, its counts, and every diagnostic
/// (errors, stale sources, refused bodies), each with its kind.
pub struct Fetched {
    pub code: u8,
    pub sources: usize,
    pub stale: usize,
    pub failed: usize,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn fetch(cli: &Cli, ctx: &Ctx) -> Result<Fetched> {
    let specs: Vec<foi_ingest::SourceSpec> = ctx
        .config
        .responses
        .iter()
        .filter_map(foi_ingest::SourceSpec::from_response)
        .collect();
    let defaults = foi_ingest::FetchOptions::default();
    let read_timeout = cli.fetch_timeout.unwrap_or(defaults.read_timeout);
    let opts = foi_ingest::FetchOptions {
        cache_dir: ctx.cache.clone(),
        root: ctx.dirs.root.clone(),
        campaign: ctx.config.campaign.id.clone(),
        read_timeout,
        connect_timeout: defaults.connect_timeout.min(read_timeout),
        retries: cli.retries.unwrap_or(defaults.retries),
        backoff: cli
            .backoff_ms
            .map_or(defaults.backoff, std::time::Duration::from_millis),
        max_bytes: cli.max_bytes.unwrap_or(defaults.max_bytes),
        concurrency: cli.concurrency.map_or(defaults.concurrency, usize::from),
        per_host: cli.per_host.map_or(defaults.per_host, usize::from),
        ..defaults
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let mut code = exit::COMPLETE;
    let mut diagnostics = Vec::new();
    let mut note = |d: &Diagnostic, code: &mut u8| {
        report::diagnostic(d);
        *code = worst(
            *code,
            match d.severity {
                Severity::Error => exit::FAILED,
                Severity::Warning => exit::WARNINGS,
                Severity::Note => exit::COMPLETE,
            },
        );
        diagnostics.push(d.clone());
    };
    if cli.verify {
        // Before the fetch, which then fetches again what was damaged.
        let v = foi_ingest::verify(&opts.cache_dir, &opts.campaign);
        for d in &v.diagnostics {
            note(d, &mut code);
        }
        if !cli.quiet {
            let state = match v.damaged {
                0 => "all intact".to_string(),
                n => format!(
                    "{n} damaged, moved to {} and fetched again",
                    opts.cache_dir.join("damaged").display()
                ),
            };
            report::info(&format!(
                "verified {} cached copies ({:.1} MB): {state}",
                v.checked,
                v.bytes as f64 / 1e6
            ));
        }
    }
    // One bar per run, on a terminal only, and never among JSON log lines.
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let text = matches!(cli.log_format, crate::LogFormat::Text);
    let bar = if on_terminal && text && !cli.quiet && !specs.is_empty() {
        let bar = indicatif::ProgressBar::new(specs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} fetching [{bar:30}] {pos}/{len} sources, {elapsed} {wide_msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcomes = runtime.block_on(foi_ingest::fetch_all_with(&specs, &opts, |o| {
        bar.set_message(o.key.clone());
        bar.inc(1);
    }));
    bar.finish_and_clear();
    let (mut downloaded, mut unchanged, mut local, mut stale, mut failed) = (0, 0, 0, 0, 0);
    for o in &outcomes {
        // The error (or, when the last good copy is kept, a stale warning)
        // and any warnings, each with its kind.
        for d in &o.diagnostics {
            note(d, &mut code);
        }
        match (&o.error, &o.manifest) {
            (Some(_), Some(m)) if m.stale => stale += 1,
            (Some(_), _) => failed += 1,
            (None, Some(m)) => match m.http_status {
                Some(304) => unchanged += 1,
                Some(_) => downloaded += 1,
                None => local += 1,
            },
            (None, None) => {}
        }
    }
    if cli.strict && code == exit::WARNINGS {
        code = exit::FAILED;
    }
    if !cli.quiet {
        let fresh: Vec<String> = [
            (downloaded, "downloaded"),
            (unchanged, "unchanged since the last fetch"),
            (local, "local"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        let mut line = format!(
            "fetched {} of {} sources",
            outcomes.len() - stale - failed,
            outcomes.len()
        );
        if !fresh.is_empty() {
            line.push_str(&format!(" ({})", fresh.join(", ")));
        }
        if stale > 0 {
            line.push_str(&format!("; {stale} stale (last good copy kept)"));
        }
        if failed > 0 {
            line.push_str(&format!("; {failed} failed"));
        }
        let verdict = match code {
            exit::COMPLETE => "complete",
            exit::WARNINGS => "complete with warnings",
            _ => "incomplete",
        };
        report::info(&format!("{line}; {verdict}"));
    }
    Ok(Fetched {
        code,
        sources: outcomes.len(),
        stale,
        failed,
        diagnostics,
    })
}

/// "30", "0.25": a positive number of seconds, to the millisecond.
pub fn parse_seconds(s: &str) -> std::result::Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(secs) if (0.001..=86_400.0).contains(&secs) => Ok(std::time::Duration::from_millis(
            (secs * 1000.0).round() as u64,
        )),
        _ => Err(format!(
            "\"{s}\" is not a number of seconds between 0.001 and 86400"
        )),
    }
}
