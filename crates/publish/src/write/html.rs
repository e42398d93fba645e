//! A self-contained HTML summary: the headline, the change between
//! requests, a chart of each force's total, how each force answered, and
//! the notes. No scripts, no fonts, no network at view time: one file that
//! opens anywhere, fits a phone's width and prints well.

use crate::figures::Basis;
use crate::release::Release;
use crate::show::{show_range, thousands};
use std::collections::BTreeMap;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Escaped, with `backticked` words (column names in the notes) as code.
fn esc_text(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    // An unpaired backtick: put it back as written.
    if s.matches('`').count() % 2 == 1 {
        return esc(s);
    }
    out
}

/// "+1,750", "-12", "0".
fn signed(n: i64) -> String {
    match n {
        0 => "0".to_string(),
        n if n > 0 => format!("+{}", thousands(n as u64)),
        n => format!("-{}", thousands(n.unsigned_abs())),
    }
}

/// "1 force", "37 forces".
fn forces_word(n: usize) -> String {
    format!("{n} {}", if n == 1 { "force" } else { "forces" })
}

/// "Abc" from "abc".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #0b0c0c}h3{margin:1.6rem 0 .4rem;font-size:1.1rem}
.headline{font-size:1.15rem;margin-bottom:.2rem}.headline strong{font-size:1.5rem}.facts{margin-top:.2rem}.small{font-size:.9rem;color:#505a5f}
.scroll{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}caption{text-align:left;font-weight:bold;margin:.5rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th[scope=row]{font-weight:normal}.cmp th[scope=row]{min-width:11rem}.cmp td:last-child{min-width:16rem}.cov th[scope=row]{white-space:nowrap}
.no{color:#942514;font-weight:bold}.flag{color:#6f4e00;font-weight:bold}code{font-size:.95em;background:#f3f2f1;padding:0 .2em}
figure{margin:0 0 1rem}figure svg{display:block;width:100%;min-width:640px;max-width:820px;height:auto}svg text{font-size:12px;fill:#0b0c0c}figcaption{font-size:.9rem;color:#505a5f}
.key span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;vertical-align:baseline}
@media print{.scroll{overflow:visible}h2{break-after:avoid}figure,tr{break-inside:avoid}}
";

/// Force id -> name, from the coverage table (every force is in it).
fn force_names(release: &Release) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    if let Some(t) = release.tables.iter().find(|t| t.name == "coverage") {
        if let (Some(id), Some(name)) = (t.column("force_id"), t.column("force_name")) {
            for row in &t.rows {
                let (id, name) = (row[id].csv_field(), row[name].csv_field());
                if !name.is_empty() {
                    names.insert(id, name);
                }
            }
        }
    }
    names
}

fn name_of<'a>(names: &'a BTreeMap<String, String>, id: &'a str) -> &'a str {
    names.get(id).map(String::as_str).unwrap_or(id)
}

fn request_title<'a>(release: &'a Release, id: &'a str) -> &'a str {
    release
        .headline
        .requests
        .iter()
        .find(|r| r.request == id)
        .map(|r| r.title.as_str())
        .unwrap_or(id)
}

/// One horizontal bar chart of each force's total for a request; a range is
/// drawn as a solid bar to `lo` and a lighter bar on to `hi`.
fn chart(release: &Release, names: &BTreeMap<String, String>, request: &str) -> String {
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
        .map(|c| {
            (
                name_of(names, &c.force.0),
                c.interval.lo,
                c.interval.hi,
                c.flagged,
            )
        })
        .collect();
    bars.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let max = bars.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let (label_w, bar_w, value_w, row_h) = (230.0, 480.0, 110.0, 18.0);
    let width = label_w + bar_w + value_w;
    let height = row_h * bars.len() as f64 + 8.0;
    let title = format!(
        "{} by force, {}",
        capitalised(&release.headline.unit),
        request_title(release, request)
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure><div class=\"scroll\" role=\"region\" aria-label=\"{title}\" tabindex=\"0\"><svg role=\"img\" aria-labelledby=\"t-{id}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"t-{id}\">{}</title>",
        esc(&title),
        id = esc(request),
        title = esc(&title),
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
        "</svg></div><figcaption>{}. <span class=\"key\"><span style=\"background:#1d70b8\"></span>added</span><span class=\"key\"><span style=\"background:#b58840\"></span>added but flagged (another unit or definition)</span>; a lighter bar shows the range where a force suppressed small counts.</figcaption></figure>",
        esc(&title)
    );
    svg
}

fn headline(release: &Release, names: &BTreeMap<String, String>, s: &mut String) {
    let h = &release.headline;
    let all_forces = release.forces_asked();
    for r in &h.requests {
        let _ = writeln!(
            s,
            "<p class=\"headline\">{}: <strong>{}</strong> {} from {} of {all_forces} forces</p>",
            esc(&r.title),
            esc(&show_range(r.total.lo, r.total.hi)),
            esc(&h.unit),
            r.forces,
        );
        if let Some(a) = &r.ages {
            let _ = writeln!(
                s,
                "<p class=\"facts\">Most common victim age: {}. Victims under {}: {}. Youngest victim: {}.</p>",
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
        for line in &r.undeclared {
            let _ = writeln!(s, "<p class=\"small no\">{}</p>", esc(&capitalised(line)));
        }
        if !r.flagged.is_empty() {
            let mut flagged: Vec<&str> = r.flagged.iter().map(|f| name_of(names, &f.0)).collect();
            flagged.sort_unstable();
            let _ = writeln!(
                s,
                "<p class=\"small\">Added but flagged, as they count something a little different: {}.</p>",
                esc(&flagged.join(", "))
            );
        }
    }
}

fn comparisons(release: &Release, s: &mut String) {
    // One table for each pair of requests compared, a row for each basis.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for c in &release.comparisons {
        if !pairs.contains(&(c.from.as_str(), c.to.as_str())) {
            pairs.push((&c.from, &c.to));
        }
    }
    for (from, to) in pairs {
        let (from_t, to_t) = (request_title(release, from), request_title(release, to));
        let _ = writeln!(
            s,
            "<div class=\"scroll\" role=\"region\" aria-label=\"Change from {f} to {t}\" tabindex=\"0\"><table class=\"cmp\"><caption>Change from {f} to {t}</caption><thead><tr><th scope=\"col\">Forces compared</th><th scope=\"col\" class=\"n\">{f}</th><th scope=\"col\" class=\"n\">{t}</th><th scope=\"col\" class=\"n\">Change</th><th scope=\"col\" class=\"n\">Change (%)</th><th scope=\"col\">Notes</th></tr></thead><tbody>",
            f = esc(from_t),
            t = esc(to_t)
        );
        for c in release
            .comparisons
            .iter()
            .filter(|c| c.from == from && c.to == to)
        {
            let basis = match c.basis {
                Basis::MatchedPanel if c.forces == 1 => {
                    "The one force added to both on the same terms".to_string()
                }
                Basis::MatchedPanel => {
                    format!("The {} forces added to both on the same terms", c.forces)
                }
                Basis::AllForces if c.comparable() => {
                    format!("All {} added to both", forces_word(c.forces))
                }
                Basis::AllForces => format!(
                    "All forces added to each ({} and {})",
                    c.from_forces, c.to_forces
                ),
            };
            let change = match c.change {
                None => "not comparable".to_string(),
                Some((lo, hi)) if lo == hi => signed(lo),
                Some((lo, hi)) => format!("{} to {}", signed(lo), signed(hi)),
            };
            let _ = writeln!(
                s,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&basis),
                esc(&show_range(c.from_total.lo, c.from_total.hi)),
                esc(&show_range(c.to_total.lo, c.to_total.hi)),
                esc(&change),
                c.percent
                    .map(|p| format!("{p:+.1}%"))
                    .unwrap_or_else(|| "[x]".into()),
                esc_text(&capitalised(&c.notes.join("; ")))
            );
        }
        s.push_str("</tbody></table></div>\n");
    }
}

/// One row per force, a column per request: added, flagged or not, and why.
fn coverage(release: &Release, names: &BTreeMap<String, String>, s: &mut String) {
    let requests: Vec<&str> = release
        .headline
        .requests
        .iter()
        .map(|r| r.request.as_str())
        .collect();
    let mut forces: Vec<(&str, &str)> = Vec::new();
    for c in &release.coverage {
        let id = c.force.0.as_str();
        if !forces.iter().any(|(f, _)| *f == id) {
            forces.push((id, name_of(names, id)));
        }
    }
    forces.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    s.push_str("<div class=\"scroll\" role=\"region\" aria-label=\"How each force answered\" tabindex=\"0\"><table class=\"cov\"><caption>How each force answered, and whether its figures were added</caption><thead><tr><th scope=\"col\">Force</th>");
    for r in &requests {
        let _ = write!(
            s,
            "<th scope=\"col\">{}</th>",
            esc(request_title(release, r))
        );
    }
    s.push_str("</tr></thead><tbody>\n");
    for (id, name) in forces {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", esc(name));
        for r in &requests {
            let cell = match release
                .coverage
                .iter()
                .find(|c| c.force.0 == id && c.request == *r)
            {
                None => "<span class=\"no\">not added</span>".to_string(),
                Some(c) => {
                    // The cell already says "not added".
                    let reason = c.reason.trim_end_matches("; not added");
                    let why = if reason.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", esc_text(reason))
                    };
                    match (c.included, c.flagged) {
                        (false, _) => format!("<span class=\"no\">not added</span>{why}"),
                        (true, true) => format!("<span class=\"flag\">added, flagged</span>{why}"),
                        (true, false) => format!("added{why}"),
                    }
                }
            };
            let _ = write!(s, "<td>{cell}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>\n");
}

pub fn summary_html(release: &Release) -> String {
    let names = force_names(release);
    let h = &release.headline;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p>{}</p>\n<h2>Headline</h2>",
        esc(&release.title),
        esc(&release.title),
        esc(release.description.trim())
    );
    headline(release, &names, &mut s);
    comparisons(release, &mut s);
    s.push_str("<h2>Totals by force</h2>\n");
    for r in &h.requests {
        let _ = writeln!(s, "<h3>{}</h3>", esc(&r.title));
        s.push_str(&chart(release, &names, &r.request));
    }
    s.push_str("<h2>Coverage</h2>\n");
    coverage(release, &names, &mut s);
    s.push_str("<h2>Notes</h2>\n<ol>\n");
    for n in &release.notes {
        let _ = writeln!(s, "<li>{}</li>", esc_text(n));
    }
    s.push_str("</ol>\n");
    for line in release.published_by() {
        s.push_str(&format!("<p>{}</p>\n", esc(&line)));
    }
    s.push_str("</body></html>\n");
    s
}
