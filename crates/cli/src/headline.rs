//! The headline `foi run` ends with: what a researcher quotes.

use foi_model::config::Config;
use foi_model::{Interval, Scale};
use foi_publish::{Basis, Release};

/// "5,653", "5,650 to 5,661"; a measure to its places ("124,783.972765").
pub fn show(scale: Scale, i: Interval) -> String {
    scale.range(i)
}

/// "+1,750", "-12"; "+0" for no change, as a change is always signed.
fn signed(scale: Scale, d: i64) -> String {
    if d == 0 {
        "+0".to_string()
    } else {
        scale.show_signed(d)
    }
}

/// "1 force", "37 forces".
fn forces(n: usize) -> String {
    format!("{n} {}", if n == 1 { "force" } else { "forces" })
}

pub fn print(release: &Release, config: &Config) {
    crate::report::out(&render(release, config));
}

/// The headline as text, one line each.
pub fn render(release: &Release, _config: &Config) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let h = &release.headline;
    let n = release.forces_asked();
    let scale = h.scale;
    let _ = writeln!(out, "{}", h.campaign);
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
        let _ = writeln!(
            out,
            "  {} ({}): {} {} from {} of {n} forces{flagged}",
            r.title,
            r.request,
            show(scale, r.total),
            h.unit,
            r.forces
        );
        // Every gap the config did not declare, plainly, under its total.
        for line in &r.undeclared {
            let _ = writeln!(out, "    {}: {line}", r.request);
        }
    }
    // The matched panel first: the like-for-like change. A change over
    // different sets of forces is never printed; the line says why.
    for c in &release.comparisons {
        let basis = match c.basis {
            Basis::MatchedPanel if c.forces == 0 => "matched panel".to_string(),
            Basis::MatchedPanel => format!("matched panel of {}", forces(c.forces)),
            Basis::AllForces if c.comparable() => format!("all {}", forces(c.forces)),
            Basis::AllForces => "all forces".to_string(),
        };
        let change = match (c.change, &c.not_comparable) {
            (Some((lo, hi)), _) if lo == hi => signed(scale, lo),
            (Some((lo, hi)), _) => format!("{} to {}", signed(scale, lo), signed(scale, hi)),
            (None, why) => format!(
                "not comparable, {}",
                why.as_deref().unwrap_or("the forces differ")
            ),
        };
        let percent = c
            .percent
            .map(|p| format!(" ({p:+.1}%)"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  change, {} to {}, {basis}: {change}{percent}",
            c.from, c.to
        );
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
            let _ = writeln!(
                out,
                "  {}: most common victim age {common}; victims under {}: {}; youngest victim {youngest}",
                r.title,
                ages.under.0,
                show(scale, ages.under.1)
            );
        }
    }
    out
}
