//! What the run tells its operator: readable lines on a terminal, or one
//! JSON object per event (`--log-format json`) for log collectors. Every
//! JSON line carries level, message and the run id.

use foi_model::{Diagnostic, Severity};
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

/// A progress line: "fetched 14 of 14 sources".
pub fn info(msg: &str) {
    match json() {
        Some(id) => tracing::info!(run_id = id, "{msg}"),
        None => eprintln!("{msg}"),
    }
}

pub fn warn(msg: &str) {
    match json() {
        Some(id) => tracing::warn!(run_id = id, "{msg}"),
        None => eprintln!("warning: {msg}"),
    }
}

pub fn error(msg: &str) {
    match json() {
        Some(id) => tracing::error!(run_id = id, "{msg}"),
        None => eprintln!("error: {msg}"),
    }
}

/// A normaliser's diagnostic, with its place as separate JSON fields.
pub fn diagnostic(d: &Diagnostic) {
    let Some(id) = json() else {
        eprintln!("{d}");
        return;
    };
    let force = d.force.as_ref().map(|f| f.0.as_str()).unwrap_or("");
    let request = d.request.as_deref().unwrap_or("");
    let file = d.file.as_deref().unwrap_or("");
    let sheet = d.sheet.as_deref().unwrap_or("");
    let cell = d.cell.as_deref().unwrap_or("");
    let hint = d.hint.as_deref().unwrap_or("");
    let msg = &d.message;
    let kind = d.kind.code();
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
