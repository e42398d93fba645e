//! The `foi` command: the CLI definition and the glue between the stages.
//! Each stage lives in its own crate; this file only wires them and picks
//! the exit code.

mod config;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use foi_model::config::Config;
use foi_model::{Diagnostic, DimId, Interval, Record, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, as documented in the README.
mod exit {
    pub const COMPLETE: u8 = 0;
    /// Something could not be read or was refused; whatever could be read
    /// was published.
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const WARNINGS: u8 = 3;
}

#[derive(Parser)]
#[command(
    name = "foi",
    version,
    about = "Turn police forces' FOI spreadsheets into one harmonised national dataset"
)]
struct Cli {
    /// The config folder (reference tables, crosswalks, campaigns).
    #[arg(long, global = true, default_value = "config")]
    config_dir: PathBuf,
    /// Which campaign under config/campaigns/ (default: the only one, or nspcc-online-csa).
    #[arg(long, global = true)]
    campaign: Option<String>,
    /// Where fetched sources are kept (default: <root>/cache).
    #[arg(long, global = true)]
    cache_dir: Option<PathBuf>,
    /// Where the release is written (default: <root>/out).
    #[arg(long, global = true)]
    out: Option<PathBuf>,
    /// Publish even when some labels map to nothing, and list what was left out.
    #[arg(long, global = true)]
    allow_unmapped: bool,
    /// Treat every warning as a failure.
    #[arg(long, global = true)]
    strict: bool,
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Print only the headline and errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Fetching: a download that sends nothing for this many seconds has
    /// timed out (default 30; decimals allowed).
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_seconds)]
    fetch_timeout: Option<std::time::Duration>,
    /// Fetching: retries after a failed attempt (default 3).
    #[arg(long, global = true, value_name = "N")]
    retries: Option<u32>,
    /// Fetching: the wait before the first retry, doubled for each further
    /// one (default 1000).
    #[arg(long, global = true, value_name = "MS")]
    backoff_ms: Option<u64>,
    /// Fetching: the largest download accepted, in bytes (default 50000000).
    #[arg(long, global = true, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    max_bytes: Option<u64>,
    /// Fetching: sources fetched at once (default 8).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: Option<u16>,
    /// Fetching: downloads from one host at once (default 2).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    per_host: Option<u16>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Fetch every response, then build and publish the national dataset.
    Run,
    /// Fetch every response into the cache.
    Fetch,
    /// Normalise and publish from the cache, offline.
    Build,
    /// Check the config without running.
    Check,
    /// Trace a published figure to the cells it came from:
    /// `foi explain fy-2016-17 offence_group=grooming`.
    Explain {
        request: String,
        /// dim=value pairs picking a breakdown cell; none for the total.
        breakdown: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::FAILED)
        }
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

struct Ctx {
    dirs: config::Dirs,
    config: Config,
    cache: PathBuf,
    out: PathBuf,
}

fn load(cli: &Cli) -> Result<std::result::Result<Ctx, u8>> {
    let dirs = config::resolve_dirs(&cli.config_dir, cli.campaign.as_deref())?;
    let config = match config::load(&dirs) {
        Ok(c) => c,
        Err(errors) => {
            for e in &errors {
                eprintln!("config error: {e}");
            }
            return Ok(Err(exit::USAGE));
        }
    };
    let cache = cli
        .cache_dir
        .clone()
        .unwrap_or_else(|| dirs.root.join("cache"));
    let out = cli.out.clone().unwrap_or_else(|| dirs.root.join("out"));
    Ok(Ok(Ctx {
        dirs,
        config,
        cache,
        out,
    }))
}

fn run(cli: &Cli) -> Result<u8> {
    let ctx = match load(cli)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match &cli.command {
        Command::Check => {
            println!(
                "config ok: campaign {} with {} requests, {} dimensions, {} responses",
                ctx.config.campaign.id,
                ctx.config.campaign.requests.len(),
                ctx.config.campaign.dimensions.len(),
                ctx.config.responses.len()
            );
            Ok(exit::COMPLETE)
        }
        Command::Fetch => {
            let (code, _) = fetch(cli, &ctx)?;
            Ok(code)
        }
        Command::Build => build(cli, &ctx),
        Command::Run => {
            let (fetch_code, _) = fetch(cli, &ctx)?;
            let build_code = build(cli, &ctx)?;
            Ok(worst(fetch_code, build_code))
        }
        Command::Explain { request, breakdown } => explain(&ctx, request, breakdown),
    }
}

/// The more serious of two exit codes.
fn worst(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        exit::COMPLETE => 0,
        exit::WARNINGS => 1,
        _ => 2,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

fn fetch(cli: &Cli, ctx: &Ctx) -> Result<(u8, usize)> {
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
    // One bar per run, on a terminal only.
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = if on_terminal && !cli.quiet && !specs.is_empty() {
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
    let mut code = exit::COMPLETE;
    let (mut downloaded, mut unchanged, mut local, mut stale, mut failed) = (0, 0, 0, 0, 0);
    for o in &outcomes {
        for w in &o.warnings {
            eprintln!("warning: {w}");
            code = worst(code, exit::WARNINGS);
        }
        match (&o.error, &o.manifest) {
            (Some(e), Some(m)) if m.stale => {
                stale += 1;
                eprintln!(
                    "warning: {e} (using the last good copy, fetched {})",
                    m.fetched_at
                );
                code = worst(code, exit::WARNINGS);
            }
            (Some(e), _) => {
                failed += 1;
                eprintln!("error: {e}");
                code = worst(code, exit::FAILED);
            }
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
        eprintln!("{line}; {verdict}");
    }
    Ok((code, stale + failed))
}

/// "30", "0.25": a positive number of seconds, to the millisecond.
fn parse_seconds(s: &str) -> std::result::Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(secs) if (0.001..=86_400.0).contains(&secs) => Ok(std::time::Duration::from_millis(
            (secs * 1000.0).round() as u64,
        )),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0.001 and 86400"
        )),
    }
}

fn is_unmapped(d: &Diagnostic) -> bool {
    d.message.starts_with("unmapped ")
}

/// Every response normalised from the cache.
struct Stage {
    records: Vec<Record>,
    diagnostics: Vec<Diagnostic>,
    /// Response key -> why it could not be read at all.
    failures: BTreeMap<String, String>,
}

fn normalise_all(ctx: &Ctx) -> Stage {
    let config = &ctx.config;
    let mut stage = Stage {
        records: Vec::new(),
        diagnostics: Vec::new(),
        failures: BTreeMap::new(),
    };
    for response in &config.responses {
        if !response.status.has_figures() {
            continue;
        }
        let Some(source) = &response.source else {
            continue;
        };
        let manifest = foi_ingest::read_manifest(&ctx.cache, &config.campaign.id, &response.key)
            .ok()
            .flatten();
        let bytes_sha = match manifest {
            None => Err("not in the cache (run `foi fetch` first)".to_string()),
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
            Err(why) => {
                stage.diagnostics.push(
                    Diagnostic::error(why.clone())
                        .force(&response.force)
                        .file(source.display()),
                );
                stage.failures.insert(response.key.clone(), why);
                continue;
            }
        };
        let n = foi_normalise::normalise(&foi_normalise::Input {
            campaign: &config.campaign,
            response,
            bytes: &bytes,
            sha256: &sha,
            limits: &config.campaign.limits,
        });
        if n.records.is_empty() && n.has_errors() {
            let why = n
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.message.clone())
                .unwrap_or_default();
            stage.failures.insert(response.key.clone(), why);
        }
        stage.records.extend(n.records);
        stage.diagnostics.extend(n.diagnostics);
    }
    stage
}

fn build(cli: &Cli, ctx: &Ctx) -> Result<u8> {
    let config = &ctx.config;
    let Stage {
        records,
        diagnostics,
        failures,
    } = normalise_all(ctx);
    let unmapped = diagnostics.iter().filter(|d| is_unmapped(d)).count();
    for d in &diagnostics {
        if !cli.quiet || d.severity == Severity::Error {
            eprintln!("{d}");
        }
    }
    if unmapped > 0 && !cli.allow_unmapped {
        eprintln!(
            "error: {unmapped} label(s) map to nothing, so nothing was published; add the crosswalk lines above, or run with --allow-unmapped to publish the rest"
        );
        return Ok(exit::FAILED);
    }
    let release = foi_publish::assemble(config, &records, &failures);
    let outputs = foi_publish::write(&release, &ctx.out)?;
    if !cli.quiet {
        eprintln!("wrote {} files to {}", outputs.len(), ctx.out.display());
    }
    print_headline(&release.headline, config);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !is_unmapped(d))
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count()
        + unmapped;
    let flagged = release.coverage.iter().any(|c| c.flagged);
    let code = if errors > 0 || !failures.is_empty() {
        exit::FAILED
    } else if warnings > 0 || flagged {
        if cli.strict {
            exit::FAILED
        } else {
            exit::WARNINGS
        }
    } else {
        exit::COMPLETE
    };
    if code == exit::FAILED && (!failures.is_empty() || errors > 0) {
        eprintln!(
            "incomplete: {} response(s) could not be read and {errors} error(s) were found; the rest was published",
            failures.len()
        );
    }
    Ok(code)
}

/// "5,653", or "5,650 to 5,661".
fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn show(i: Interval) -> String {
    if i.is_point() {
        thousands(i.lo)
    } else {
        format!("{} to {}", thousands(i.lo), thousands(i.hi))
    }
}

fn print_headline(h: &foi_publish::Headline, config: &Config) {
    let n = config.forces.len();
    println!("{}", h.campaign);
    for r in &h.requests {
        let flagged = if r.flagged.is_empty() {
            String::new()
        } else {
            format!(
                "; flagged: {}",
                r.flagged
                    .iter()
                    .map(|f| f.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        println!(
            "  {} ({}): {} {} from {} of {n} forces{flagged}",
            r.title,
            r.request,
            show(r.total),
            h.unit,
            r.forces
        );
    }
    if let [first, .., last] = h.requests.as_slice() {
        let (a, b) = (first.total, last.total);
        let lo = b.lo as i128 - a.hi as i128;
        let hi = b.hi as i128 - a.lo as i128;
        let pct = |d: i128, base: u64| {
            if base == 0 {
                0.0
            } else {
                d as f64 * 100.0 / base as f64
            }
        };
        let sign = |d: i128| {
            if d >= 0 {
                format!("+{}", thousands(d as u64))
            } else {
                format!("-{}", thousands((-d) as u64))
            }
        };
        if lo == hi {
            println!(
                "  change, {} to {}: {} ({:+.1}%)",
                first.title,
                last.title,
                sign(lo),
                pct(lo, a.lo)
            );
        } else {
            println!(
                "  change, {} to {}: {} to {}",
                first.title,
                last.title,
                sign(lo),
                sign(hi)
            );
        }
    }
    for r in &h.requests {
        if let Some(ages) = &r.ages {
            let common = ages
                .most_common
                .map(|(a, _)| a.to_string())
                .unwrap_or_else(|| "unknown".into());
            let youngest = ages
                .youngest
                .map(|a| a.to_string())
                .unwrap_or_else(|| "unknown".into());
            println!(
                "  {}: most common victim age {common}; victims under {}: {}; youngest victim {youngest}",
                r.title,
                ages.under.0,
                show(ages.under.1)
            );
        }
    }
}

fn explain(ctx: &Ctx, request: &str, breakdown: &[String]) -> Result<u8> {
    let config = &ctx.config;
    let mut wanted = Vec::new();
    for b in breakdown {
        let Some((d, v)) = b.split_once('=') else {
            eprintln!("error: {b:?} is not dim=value");
            return Ok(exit::USAGE);
        };
        wanted.push((DimId::new(d.trim()), v.trim().to_string()));
    }
    // Rebuilt from the cache and config, offline: the same inputs give the
    // same figures as the published release.
    let stage = normalise_all(ctx);
    let records = stage.records;
    let release = foi_publish::assemble(config, &records, &stage.failures);
    let Some(fig) = release.figure(request, &wanted) else {
        eprintln!("error: no published figure for request {request:?} with {breakdown:?}");
        return Ok(exit::USAGE);
    };
    println!(
        "{request} {}: {}",
        if wanted.is_empty() {
            "total".to_string()
        } else {
            breakdown.join(" ")
        },
        show(fig.total)
    );
    let mut sum = Interval::ZERO;
    for c in &fig.contributions {
        sum += c.interval;
        let name = config
            .forces
            .get(&c.force)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        println!(
            "  {} ({name}): {}{}",
            c.force,
            show(c.interval),
            if c.flagged { " [flagged]" } else { "" }
        );
        for &i in &c.records {
            let r = &records[i];
            let sheet = r
                .lineage
                .sheet
                .as_ref()
                .map(|s| format!(", sheet {s:?}"))
                .unwrap_or_default();
            println!(
                "      {}{sheet}, {}: {:?} = {}",
                r.lineage.file,
                r.lineage.describe(),
                r.count.text,
                show(r.count.interval)
            );
        }
    }
    println!(
        "{} contributions add up to {}{}",
        fig.contributions.len(),
        show(sum),
        if sum == fig.total {
            ", the published figure"
        } else {
            ", NOT the published figure"
        }
    );
    Ok(if sum == fig.total {
        exit::COMPLETE
    } else {
        exit::FAILED
    })
}
