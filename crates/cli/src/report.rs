//! What the run tells its operator: readable lines on a terminal, or one
//! JSON object per event (`--log-format json`) for log collectors. Every
//! JSON line carries level, message and the run id.
//!
//! Nothing here stops a run: a closed stdout or stderr (`foi run | head -1`,
//! a log collector that restarted) drops the text, and the run goes on to
//! publish. Rust's own `println!` would panic on the closed pipe.

use foi_model::{Diagnostic, Severity};
use std::io::Write;
use std::sync::OnceLock;

struct Mode {
    json: bool,
    run_id: String,
}

static MODE: OnceLock<Mode> = OnceLock::new();

pub fn init(json: bool, run_id: &str) {
    let _ = MODE.set(Mode {
        json,
        run_id: run_id.to_string(),
    });
}

fn json() -> Option<&'static str> {
    MODE.get().filter(|m| m.json).map(|m| m.run_id.as_str())
}

pub fn run_id() -> &'static str {
    MODE.get().map(|m| m.run_id.as_str()).unwrap_or("")
}

/// Text the reader asked for (the headline, `foi explain`), on stdout.
pub fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
}

/// `format!` arguments to stdout, with a line break, through [`out`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::report::out(&format!("{}\n", format_args!($($arg)*)))
    };
}

fn err_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A progress line: "fetched 14 of 14 sources".
pub fn info(msg: &str) {
    match json() {
        Some(id) => tracing::info!(run_id = id, "{msg}"),
        None => err_line(msg),
    }
}

pub fn error(msg: &str) {
    match json() {
        Some(id) => tracing::error!(run_id = id, "{msg}"),
        None => err_line(&format!("error: {msg}")),
    }
}

/// A diagnostic, with its kind and place as separate JSON fields.
pub fn diagnostic(d: &Diagnostic) {
    diagnostic_as(d, d.kind.code())
}

/// [`diagnostic`], its kind given by name (a cause read back from a
/// release's manifest).
pub fn diagnostic_as(d: &Diagnostic, kind: &str) {
    let Some(id) = json() else {
        err_line(&d.to_string());
        return;
    };
    let force = d.force.as_ref().map(|f| f.0.as_str()).unwrap_or("");
    let request = d.request.as_deref().unwrap_or("");
    let file = d.file.as_deref().unwrap_or("");
    let sheet = d.sheet.as_deref().unwrap_or("");
    let cell = d.cell.as_deref().unwrap_or("");
    let hint = d.hint.as_deref().unwrap_or("");
    let msg = &d.message;
    match d.severity {
        Severity::Error => {
            tracing::error!(
                run_id = id,
                kind,
                force,
                request,
                file,
                sheet,
                cell,
                hint,
                "{msg}"
            )
        }
        Severity::Warning => {
            tracing::warn!(
                run_id = id,
                kind,
                force,
                request,
                file,
                sheet,
                cell,
                hint,
                "{msg}"
            )
        }
        Severity::Note => {
            tracing::info!(
                run_id = id,
                kind,
                force,
                request,
                file,
                sheet,
                cell,
                hint,
                "{msg}"
            )
        }
    }
}

/// What a run counted, as its closing line says it and manifest.json
/// records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub sources: usize,
    pub stale: usize,
    pub failed: usize,
    pub forces: usize,
    /// Forces added to at least one request's national figure.
    pub forces_added: usize,
    pub figures: usize,
    pub warnings: usize,
    pub errors: usize,
}

/// What a run did, for its closing line and closing JSON event.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub command: &'static str,
    pub exit_code: u8,
    pub duration_ms: u64,
    pub counts: Counts,
    /// The release the run published, or the one it left in place.
    pub release: Option<String>,
    /// What differs from the release the published one replaced.
    pub changes: Option<foi_publish::Changes>,
}

/// The line before the closing line when a run published: how many
/// national figures changed since the release it replaced, the first, and
/// why. In JSON, one event (`fields.event = "changes"`) with the counts,
/// the forces whose part moved and the line as fields.
fn changes(c: &foi_publish::Changes) {
    use foi_publish::figures::changes::ChangeKind;
    let line = c.line();
    let Some(id) = json() else {
        err_line(&line);
        return;
    };
    let forces: Vec<&str> = c
        .forces
        .iter()
        .filter(|f| f.moved)
        .map(|f| f.force.as_str())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let causes: Vec<String> = c
        .figures
        .iter()
        .flat_map(|f| c.why(f))
        .filter(|w| seen.insert(w.clone()))
        .collect();
    tracing::info!(
        run_id = id,
        event = "changes",
        previous_release = c.previous.as_deref().unwrap_or(""),
        figures_changed = c.figures.len(),
        revised = c.count(ChangeKind::Revised),
        new = c.count(ChangeKind::New),
        withdrawn = c.count(ChangeKind::Withdrawn),
        forces = forces.join(";"),
        causes = causes.join("; "),
        "{line}"
    );
}

/// The run's last line: its verdict and counts, so a scheduler's log says
/// at a glance what happened. In JSON, one event with each count a field.
pub fn closing(s: &Summary) {
    let c = &s.counts;
    let verdict = match s.exit_code {
        0 => "complete",
        3 => "complete with warnings",
        75 => "locked",
        2 => "usage or config error",
        _ => "incomplete",
    };
    let secs = s.duration_ms as f64 / 1000.0;
    if let Some(c) = &s.changes {
        changes(c);
    }
    if let Some(id) = json() {
        let release = s.release.as_deref().unwrap_or("");
        tracing::info!(
            run_id = id,
            event = "finished",
            command = s.command,
            exit_code = s.exit_code,
            duration_ms = s.duration_ms,
            sources = c.sources,
            stale = c.stale,
            failed = c.failed,
            forces = c.forces,
            forces_added = c.forces_added,
            figures = c.figures,
            warnings = c.warnings,
            errors = c.errors,
            release,
            figures_changed = s.changes.as_ref().map_or(0, |x| x.figures.len()),
            "foi {} {verdict} (exit code {})",
            s.command,
            s.exit_code
        );
        return;
    }
    let mut parts = vec![format!(
        "{} source{}",
        c.sources,
        if c.sources == 1 { "" } else { "s" }
    )];
    if c.stale > 0 {
        parts.push(format!("{} stale", c.stale));
    }
    if c.failed > 0 {
        parts.push(format!("{} failed", c.failed));
    }
    if c.forces > 0 {
        parts.push(format!("{} of {} forces added", c.forces_added, c.forces));
        parts.push(format!("{} figures", c.figures));
    }
    parts.push(format!(
        "{} warning{}",
        c.warnings,
        if c.warnings == 1 { "" } else { "s" }
    ));
    parts.push(format!(
        "{} error{}",
        c.errors,
        if c.errors == 1 { "" } else { "s" }
    ));
    err_line(&format!(
        "foi {} {verdict} (exit code {}) in {secs:.1} s: {}",
        s.command,
        s.exit_code,
        parts.join(", ")
    ));
}
