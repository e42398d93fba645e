//! `foi diff` for people: each national figure that changed with the
//! forces whose part moved, then why, force by force, down to the cells of
//! a revised reply; then what else changed that moved no figure.

use foi_publish::figures::changes::{Cause, ChangeKind, Changes};
use std::fmt::Write;

/// The most figures listed before "… and N more" (changes.csv and
/// `--format csv` list every one).
const FIGURES_SHOWN: usize = 50;

fn causes(out: &mut String, causes: &[Cause], force: Option<&str>) {
    for c in causes {
        let _ = writeln!(out, "    {}", c.short(force));
        for d in c.detail() {
            let _ = writeln!(out, "        {d}");
        }
    }
}

pub fn text(c: &Changes) -> String {
    let mut out = String::new();
    let previous = c.previous.as_deref().unwrap_or("(none)");
    let _ = writeln!(out, "{}: release {previous} → {}", c.campaign, c.release);
    if let Some(why) = &c.unreadable {
        let _ = writeln!(out, "not compared: {why}");
        return out;
    }
    let _ = writeln!(out, "{}", capitalised(&c.tally()));
    if !c.figures.is_empty() {
        out.push('\n');
    }
    for f in c.figures.iter().take(FIGURES_SHOWN) {
        let mark = match f.change {
            ChangeKind::Revised => "  [r]",
            _ => "",
        };
        let _ = writeln!(out, "{}{mark}", f.line());
        match &f.parts {
            Some(parts) => {
                for p in parts {
                    let _ = writeln!(out, "    {}", p.line());
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "    each force's part: not recorded in release {previous}"
                );
            }
        }
    }
    if c.figures.len() > FIGURES_SHOWN {
        let _ = writeln!(
            out,
            "… and {} more (--format csv lists every one)",
            c.figures.len() - FIGURES_SHOWN
        );
    }
    let (moved, other): (Vec<_>, Vec<_>) = c.forces.iter().partition(|f| f.moved);
    if !c.figures.is_empty() {
        let _ = writeln!(out, "\nWhy");
        for f in &moved {
            let _ = writeln!(out, "  {}", f.force);
            if f.causes.is_empty() {
                let _ = writeln!(out, "    nothing recorded of its own changed");
            }
            causes(&mut out, &f.causes, Some(&f.force));
        }
        let general: Vec<Cause> = c.general_unsaid().cloned().collect();
        if !general.is_empty() {
            let _ = writeln!(out, "  every force");
            causes(&mut out, &general, None);
        }
    }
    let general_other = c.figures.is_empty() && !c.general.is_empty();
    if !other.is_empty() || general_other {
        let _ = writeln!(out, "\nOther changes (no national figure moved)");
        for f in &other {
            let _ = writeln!(out, "  {}", f.force);
            causes(&mut out, &f.causes, Some(&f.force));
        }
        if general_other {
            let _ = writeln!(out, "  every force");
            causes(&mut out, &c.general, None);
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
