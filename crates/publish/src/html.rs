//! A self-contained HTML summary: the headline, a chart of each force's
//! total, the coverage table and the notes. No scripts, no fonts, no network
//! at view time: one file that opens anywhere and prints well.

use crate::xlsx::show_range;
use crate::Release;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #0b0c0c}
.headline{font-size:1.15rem}.headline strong{font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}caption{text-align:left;font-weight:bold;margin:.5rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.no{color:#942514}.flag{color:#6f4e00}svg text{font-size:12px;fill:#0b0c0c}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#505a5f}
";

/// One horizontal bar chart of each force's total for a request; a range is
/// drawn as a solid bar to `lo` and a lighter bar on to `hi`.
fn chart(release: &Release, request: &str, title: &str) -> String {
    let Some(fig) = release
        .figures
        .iter()
        .find(|f| f.request == request && f.breakdown.is_empty())
    else {
        return String::new();
    };
    let mut bars: Vec<(&str, u64, u64, bool)> = fig
        .contributions
        .iter()
        .map(|c| (c.force.0.as_str(), c.interval.lo, c.interval.hi, c.flagged))
        .collect();
    bars.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let max = bars.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (170.0, 520.0, 18.0);
    let height = row_h * bars.len() as f64 + 10.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure><svg role=\"img\" aria-labelledby=\"t-{request}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"t-{request}\">{}</title>",
        label_w + bar_w + 90.0,
        label_w + bar_w + 90.0,
        esc(title)
    );
    for (i, (force, lo, hi, flagged)) in bars.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let w_lo = bar_w * *lo as f64 / max as f64;
        let w_hi = bar_w * *hi as f64 / max as f64;
        let colour = if *flagged { "#b58840" } else { "#1d70b8" };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w_lo:.1}\" height=\"{}\" fill=\"{colour}\"/>",
            label_w - 6.0,
            y + 12.0,
            esc(force),
            row_h - 4.0
        );
        if hi > lo {
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\" opacity=\"0.35\"/>",
                label_w + w_lo,
                w_hi - w_lo,
                row_h - 4.0
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w + w_hi + 4.0,
            y + 12.0,
            esc(&show_range(*lo, *hi))
        );
    }
    let _ = write!(
        svg,
        "</svg><figcaption>{}. Flagged forces (another unit or definition) in amber; a lighter bar shows the range where a force suppressed small counts.</figcaption></figure>",
        esc(title)
    );
    svg
}

pub fn summary_html(release: &Release) -> String {
    let h = &release.headline;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p>{}</p>\n<h2>Headline</h2>",
        esc(&release.title),
        esc(&release.title),
        esc(release.description.trim())
    );
    for r in &h.requests {
        let _ = writeln!(
            s,
            "<p class=\"headline\">{}: <strong>{}</strong> {} from {} forces{}</p>",
            esc(&r.title),
            esc(&show_range(r.total.lo, r.total.hi)),
            esc(&h.unit),
            r.forces,
            if r.flagged.is_empty() {
                String::new()
            } else {
                format!(
                    " (flagged: {})",
                    esc(&r
                        .flagged
                        .iter()
                        .map(|f| f.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                )
            }
        );
        if let Some(a) = &r.ages {
            let _ = writeln!(
                s,
                "<p>Most common victim age: {}. Victims under {}: {}. Youngest victim: {}.</p>",
                a.most_common
                    .map(|(a, _)| a.to_string())
                    .unwrap_or_else(|| "unknown".into()),
                a.under.0,
                esc(&show_range(a.under.1.lo, a.under.1.hi)),
                a.youngest
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "unknown".into())
            );
        }
    }
    if !release.comparisons.is_empty() {
        s.push_str("<table><caption>Change between requests</caption><thead><tr><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Forces</th><th scope=\"col\" class=\"n\">Change</th><th scope=\"col\" class=\"n\">%</th><th scope=\"col\">Notes</th></tr></thead><tbody>\n");
        for c in &release.comparisons {
            let change = if c.change.0 == c.change.1 {
                format!("{:+}", c.change.0)
            } else {
                format!("{:+} to {:+}", c.change.0, c.change.1)
            };
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{} ({})</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&c.from),
                esc(&c.to),
                c.forces,
                esc(&c.basis.replace('_', " ")),
                esc(&change),
                c.percent.map(|p| format!("{p:+.1}%")).unwrap_or_default(),
                esc(&c.notes.join("; "))
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("<h2>Totals by force</h2>\n");
    for r in &h.requests {
        s.push_str(&chart(
            release,
            &r.request,
            &format!("{} by force: {}", h.unit, r.title),
        ));
    }
    s.push_str("<h2>Coverage</h2>\n<table><caption>How each force answered each request</caption><thead><tr><th scope=\"col\">Force</th><th scope=\"col\">Request</th><th scope=\"col\">Status</th><th scope=\"col\">Unit</th><th scope=\"col\">Definitions</th><th scope=\"col\">Added</th><th scope=\"col\">Why not, or flagged because</th></tr></thead><tbody>\n");
    for c in &release.coverage {
        let added = match (c.included, c.flagged) {
            (false, _) => "<span class=\"no\">no</span>",
            (true, true) => "<span class=\"flag\">yes, flagged</span>",
            (true, false) => "yes",
        };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{added}</td><td>{}</td></tr>",
            esc(&c.force.0),
            esc(&c.request),
            esc(&c.status),
            esc(&c.unit),
            esc(&c.fixed),
            esc(&c.reason)
        );
    }
    s.push_str("</tbody></table>\n<h2>Notes</h2>\n<ol>\n");
    for n in &release.notes {
        let _ = writeln!(s, "<li>{}</li>", esc(n));
    }
    s.push_str("</ol>\n</body></html>\n");
    s
}
