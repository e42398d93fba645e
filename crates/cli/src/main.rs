//! The `foi` command: the CLI definition and the glue between the stages.
//! Each stage lives in its own crate; this file only wires them and picks
//! the exit code.

mod build;
mod check;
mod config;
mod diff;
mod explain;
mod fetch;
mod headline;
mod incremental;
mod inspect;
mod release;
mod report;
mod suggest;
mod verdict;

/// The fingerprint of the source this foi was built from (see build.rs):
/// in every normalised-cache key and release fingerprint.
pub const BUILD_ID: &str = env!("FOI_BUILD_ID");

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use fetch::parse_seconds;
use foi_model::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Exit codes, as documented in the README.
mod exit {
    pub const COMPLETE: u8 = 0;
    /// Something could not be read or was refused; whatever could be read
    /// was published.
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const WARNINGS: u8 = 3;
    /// Another run holds the lock (EX_TEMPFAIL: try again later).
    pub const LOCKED: u8 = 75;
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
    /// When another run holds the lock, wait this many seconds for it
    /// before giving up with exit code 75.
    #[arg(long, global = true, value_name = "SECS", default_value = "0", value_parser = parse_wait)]
    wait: Duration,
    /// How many releases to keep in out/releases (the newest; never the one
    /// out/latest points at).
    #[arg(long, global = true, value_name = "N", default_value_t = 10)]
    keep: usize,
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
    /// Fetching: first hash every copy in the cache, move the damaged ones
    /// aside, and fetch their sources again (reads the whole cache).
    #[arg(long, global = true)]
    verify: bool,
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
    /// Check the config without fetching: files, sources, and every label
    /// of the manual entries and cached sources against the crosswalks.
    Check,
    /// Trace a published figure to the cells it came from:
    /// `foi explain fy-2016-17 offence_group=grooming`.
    Explain {
        request: String,
        /// dim=value pairs picking a breakdown cell; none for the total.
        breakdown: Vec<String>,
        /// List every source cell of each record. Without it a record
        /// counted from one row per crime shows its first 10 cells and how
        /// many more there are (records.csv and lineage.parquet list all).
        #[arg(long)]
        all_cells: bool,
        /// One force's reply instead of a national figure: every record it
        /// gave for the request (with the breakdown's values), each with
        /// its cells and the stated totals that narrowed it, and every
        /// check of its totals.
        #[arg(long, value_name = "FORCE")]
        force: Option<String>,
    },
    /// What differs between two releases, and why: each national figure
    /// that changed, the forces whose part moved, and what changed in what
    /// the releases record (a reply's cells, a response's config, a
    /// crosswalk line, how a force answered, foi's build). Exit 0 when no
    /// figure differs, 3 when one does.
    Diff {
        /// The earlier release: a release folder or a run id in
        /// out/releases (default: the release NEW replaced).
        old: Option<String>,
        /// The later release (default: out/latest).
        new: Option<String>,
        /// text for people; json or csv (the changes table) for tools.
        #[arg(long, value_enum, default_value_t = diff::Format::Text)]
        format: diff::Format,
    },
    /// Show what foi sees in a reply it has not been told about: each
    /// table, each column's part and why, the figures it would read, and
    /// the `[[table]]`s to paste into the response.
    Inspect {
        /// The reply: xlsx, xls, ods, csv or an HTML table.
        file: PathBuf,
        /// The force that sent it (a name or alias); leave out for a
        /// table that answers for many forces.
        #[arg(long)]
        force: Option<String>,
        /// The requests it answers (default: all the campaign's).
        #[arg(long = "request", value_name = "ID")]
        requests: Vec<String>,
        /// Write responses/<force>.toml for the campaign with the layout.
        #[arg(long)]
        write: bool,
        /// With --write: replace a response file a person wrote.
        #[arg(long, requires = "write")]
        overwrite: bool,
        #[arg(long, value_enum, default_value_t = inspect::Format::Text)]
        format: inspect::Format,
    },
    /// Suggest crosswalk lines for every label nothing maps, ranked, with
    /// the figures each would move, and write them for review beside the
    /// crosswalk (offences.review.csv).
    Suggest {
        /// Append the lines marked yes in this review file's `accept`
        /// column to its crosswalk.
        #[arg(long, value_name = "FILE")]
        accept: Option<PathBuf>,
    },
}

fn parse_wait(s: &str) -> std::result::Result<Duration, String> {
    if s.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    parse_seconds(s)
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = chrono::Utc::now();
    // Sorts by time; the process id keeps two runs in one second apart.
    let run_id = format!(
        "{}-{}",
        started.format("%Y%m%dT%H%M%SZ"),
        std::process::id()
    );
    init_logging(cli.log_format);
    report::init(matches!(cli.log_format, LogFormat::Json), &run_id);
    let span = tracing::error_span!("run", run_id = %run_id);
    let _entered = span.enter();
    match run(&cli, started) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report::error(&format!("{e:#}"));
            ExitCode::from(exit::FAILED)
        }
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    // Without RUST_LOG: warnings and errors; in JSON also foi's own progress
    // lines ("published release …"), which text mode prints anyway.
    let default = match format {
        LogFormat::Text => "warn",
        LogFormat::Json => "warn,foi=info,foi_ingest=warn,foi_normalise=warn,foi_publish=warn",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // A closed stderr drops log lines; by default the subscriber would
    // report each failure with eprintln!, which panics on a closed pipe.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    match format {
        LogFormat::Text => builder.init(),
        // Each line: timestamp, level, fields (message, and run_id on foi's
        // own events), the current span, and the span list from the run
        // span (which carries run_id) down.
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
                report::error(&format!("config: {e}"));
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

fn run(cli: &Cli, started: chrono::DateTime<chrono::Utc>) -> Result<u8> {
    // Two releases need no config: only where they are.
    if let Command::Diff { old, new, format } = &cli.command {
        let out = cli.out.clone().unwrap_or_else(|| {
            cli.config_dir
                .canonicalize()
                .ok()
                .and_then(|c| c.parent().map(|p| p.join("out")))
                .unwrap_or_else(|| PathBuf::from("out"))
        });
        return diff::diff(&out, old.as_deref(), new.as_deref(), *format);
    }
    let ctx = match load(cli)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match &cli.command {
        Command::Check => Ok(check::run(&ctx)),
        Command::Explain {
            request,
            breakdown,
            all_cells,
            force,
        } => explain::explain(&ctx, request, breakdown, *all_cells, force.as_deref()),
        Command::Diff { .. } => unreachable!("diff runs without config, above"),
        Command::Inspect {
            file,
            force,
            requests,
            write,
            overwrite,
            format,
        } => inspect::run(
            &ctx,
            &inspect::Args {
                file,
                force: force.as_deref(),
                requests,
                write: *write,
                overwrite: *overwrite,
                format: *format,
            },
        ),
        Command::Suggest { accept } => suggest::run(&ctx, accept.as_deref()),
        Command::Fetch | Command::Build | Command::Run => {
            // Runs that write never overlap; the OS drops the lock of a killed run.
            let Some(_lock) = release::lock(&ctx.out, cli.wait)? else {
                report::error(&format!(
                    "another foi run holds the lock on {} (waited {:?}); try again later",
                    ctx.out.display(),
                    cli.wait
                ));
                return Ok(exit::LOCKED);
            };
            let clock = std::time::Instant::now();
            let fetched = match cli.command {
                Command::Build => None,
                _ => Some(fetch::fetch(cli, &ctx)?),
            };
            let (code, mut summary) = match (&cli.command, fetched) {
                (Command::Fetch, Some(f)) => {
                    let mut causes = verdict::Causes::new(cli.allow_unmapped);
                    causes.extend(f.diagnostics);
                    let summary = report::Summary {
                        counts: report::Counts {
                            sources: f.sources,
                            stale: f.stale,
                            failed: f.failed,
                            warnings: causes.warnings(),
                            errors: causes.errors(),
                            ..Default::default()
                        },
                        ..Default::default()
                    };
                    (f.code, summary)
                }
                (_, f) => {
                    let (fetch_code, diagnostics) =
                        f.map_or((exit::COMPLETE, Vec::new()), |f| (f.code, f.diagnostics));
                    let built = build::build(cli, &ctx, started, diagnostics)?;
                    (worst(fetch_code, built.code), built.summary)
                }
            };
            summary.command = match cli.command {
                Command::Fetch => "fetch",
                Command::Build => "build",
                _ => "run",
            };
            summary.exit_code = code;
            summary.duration_ms = clock.elapsed().as_millis() as u64;
            if !cli.quiet || code != exit::COMPLETE {
                report::closing(&summary);
            }
            Ok(code)
        }
    }
}

/// Each response whose local source file does not exist, as
/// "<response file>:<line>: source file <path> does not exist". Paths are
/// relative to the root (the config folder's parent), as `foi fetch` reads them.
fn missing_sources(ctx: &Ctx) -> Vec<String> {
    let mut out = Vec::new();
    for r in &ctx.config.responses {
        let Some(foi_model::config::Source::Path(p)) = &r.source else {
            continue;
        };
        if ctx.dirs.root.join(p).exists() {
            continue;
        }
        let text = std::fs::read_to_string(ctx.dirs.root.join(&r.file)).unwrap_or_default();
        let line = text
            .lines()
            .position(|l| l.contains(p.as_str()))
            .or_else(|| {
                text.lines()
                    .position(|l| l.trim_start().starts_with("source"))
            })
            .map_or(1, |i| i + 1);
        out.push(format!("{}:{line}: source file {p} does not exist", r.file));
    }
    out
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
