//! A self-contained HTML summary for everyone: the headline, the change
//! between requests, each force's total as a table drawn as a bar chart,
//! the breakdowns, how each force answered, the reconciliation, the notes,
//! and links to the data files and sources. No scripts, no fonts, nothing
//! loaded from elsewhere: one file that opens anywhere, fits a phone's width
//! and prints well.
//!
//! Built with maud, so every text is escaped by construction: a force's
//! name or a note can hold `<`, `&` or quotes and still be only text.
//!
//! For every reader (WCAG 2.2 AA, checked with axe-core in headless
//! Chromium by scripts/check-html):
//! - landmarks (header, nav, main, footer) and one heading outline;
//! - each chart is a table (force, figure, status), its bars drawn in a
//!   column of their own and hidden from screen readers, which read the
//!   figures instead;
//! - a flagged force is told apart by a label ("flagged") and a hatched,
//!   outlined bar as well as its colour, each bar colour 3:1 or more
//!   against the other and the page;
//! - tables wrap rather than scroll at 390 px.

use super::Output;
use crate::figures::changes::{figure_label, show_change, Cause, ChangeKind};
use crate::figures::{Basis, Check, Figure};
use crate::release::Release;
use crate::show::thousands;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::BTreeMap;

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

/// "6.1 KB", "1.3 MB".
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1_000.0),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
}

/// Text with `backticked` words (column names in the notes) as code.
fn prose(s: &str) -> Markup {
    // An unpaired backtick: the text as written.
    if s.matches('`').count() % 2 == 1 {
        return html! { (s) };
    }
    html! {
        @for (i, part) in s.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// The page's look. Colours from the GOV.UK palette: text #0b0c0c, muted
/// #505a5f (7:1 on white), links and added bars #1d70b8 (5.2:1 on white);
/// flagged bars a light amber (#f7c873, 3.3:1 against the blue bars) hatched
/// in black and outlined, so they differ by pattern and edge as well as
/// colour, whatever colours a reader sees.
const STYLE: &str = "
:root{--ink:#0b0c0c;--muted:#505a5f;--blue:#1d70b8;--amber:#f7c873;--line:#b1b4b6}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:1rem;max-width:62rem;margin:0 auto;padding:0 1rem 2rem;color:var(--ink);line-height:1.45;overflow-wrap:break-word}
a{color:var(--blue)}a:focus{outline:3px solid #fd0;background:#fd0;color:var(--ink)}
.skip{position:absolute;left:-999px}.skip:focus{position:static}
header{padding-top:1.5rem}
h1{font-size:1.8rem;line-height:1.2;margin:.2rem 0 .6rem}h2{font-size:1.4rem;margin-top:2.4rem;border-bottom:2px solid var(--ink)}h3{margin:1.6rem 0 .4rem;font-size:1.15rem}
.meta{color:var(--muted);font-size:.95rem}
nav ul{list-style:none;padding:0;margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.95rem}
.headline{font-size:1.15rem;margin:.8rem 0 .2rem}.headline strong{font-size:1.5rem}.small{font-size:.95rem;color:var(--muted)}
.warn{border-left:5px solid #d4351c;padding-left:.6rem}
table{border-collapse:collapse;width:100%;font-size:.95rem;margin:.6rem 0 1rem}
caption{text-align:left;font-weight:bold;margin:.4rem 0;font-size:1rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
th[scope=row]{font-weight:normal}
.cov td,.bd th,.chg th[scope=row],.chg td.why{overflow-wrap:anywhere}
.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:.95em;background:#f3f2f1;padding:0 .2em;overflow-wrap:anywhere}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere;word-break:break-all}
.file{overflow-wrap:anywhere}
.flag{display:inline-block;font-weight:bold;font-size:.85rem;border:1px solid var(--ink);padding:0 .3em;border-radius:3px;white-space:nowrap}
.no{font-weight:bold;color:#942514}
.chart td.plot{width:45%;padding-left:0;padding-top:.55rem}
.bars{display:block;white-space:nowrap;line-height:1}
.chart th .small{font-size:.85rem}
.bars span{display:inline-block;height:1rem;vertical-align:middle;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.bars .added{background:var(--blue)}
.bars .flagged{background:repeating-linear-gradient(45deg,var(--ink) 0 1.5px,var(--amber) 1.5px 5px);outline:1px solid var(--ink);outline-offset:-1px}
.bars .range{background:#fff;border:2px solid var(--blue);border-left:0}
.bars .range.flagged{border:0}
.key{list-style:none;padding:0;margin:.3rem 0;font-size:.95rem}.key li{margin:.2rem 0}.key .bars{display:inline-block;width:2rem;margin-right:.4rem}.key .bars span{width:100%}
details{margin:.6rem 0}summary{cursor:pointer;color:var(--blue);text-decoration:underline}
footer{margin-top:3rem;border-top:2px solid var(--ink);padding-top:.6rem;font-size:.95rem}
@media (max-width:40rem){body{padding:0 .6rem 1.5rem}h1{font-size:1.5rem}table{font-size:.9rem}th,td{padding:.25rem .25rem}.chart td.plot{width:35%}}
@media print{nav,.skip{display:none}h2{break-after:avoid}tr{break-inside:avoid}details>*{display:block}}
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

/// "20 June 2017".
fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A request's total figure.
fn total<'r>(release: &'r Release, request: &str) -> Option<&'r Figure> {
    release
        .figures
        .iter()
        .find(|f| f.request == request && f.breakdown.is_empty())
}

fn headline(release: &Release, names: &BTreeMap<String, String>) -> Markup {
    let h = &release.headline;
    let all_forces = release.forces_asked();
    html! {
        @for r in &h.requests {
            p.headline {
                (r.title) ": " strong { (release.headline.scale.range(r.total)) } " " (h.unit)
                " from " (r.forces) " of " (all_forces) " forces"
            }
            @if let Some(a) = &r.ages {
                p {
                    "Most common victim age: "
                    (a.most_common.map(|(a, _)| a.to_string()).unwrap_or_else(|| "unknown".into()))
                    ". Victims under " (a.under.0) ": " (release.headline.scale.range(a.under.1))
                    ". Youngest victim: "
                    (a.youngest.map(|a| a.to_string()).unwrap_or_else(|| "unknown".into())) "."
                }
            }
            @for line in &r.undeclared {
                p.small.warn { (capitalised(line)) }
            }
            @if !r.flagged.is_empty() {
                p.small {
                    "Added but flagged, as they count something a little different: "
                    ({
                        let mut flagged: Vec<&str> =
                            r.flagged.iter().map(|f| name_of(names, &f.0)).collect();
                        flagged.sort_unstable();
                        flagged.join(", ")
                    })
                    "."
                }
            }
        }
    }
}

/// One table for each pair of requests compared, a row for each basis,
/// its notes in a list below.
fn comparisons(release: &Release) -> Markup {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for c in &release.comparisons {
        if !pairs.contains(&(c.from.as_str(), c.to.as_str())) {
            pairs.push((&c.from, &c.to));
        }
    }
    html! {
        @for (from, to) in pairs {
            @let (from_t, to_t) = (release.request_title(from), release.request_title(to));
            @let rows: Vec<_> = release.comparisons.iter().filter(|c| c.from == from && c.to == to).collect();
            table {
                caption { "Change from " (from_t) " to " (to_t) }
                thead { tr {
                    th scope="col" { "Forces compared" }
                    th scope="col" .n { (from_t) }
                    th scope="col" .n { (to_t) }
                    th scope="col" .n { "Change" }
                } }
                tbody {
                    @for c in &rows {
                        tr {
                            th scope="row" { (basis(c)) }
                            td.n { (release.headline.scale.range(c.from_total)) }
                            td.n { (release.headline.scale.range(c.to_total)) }
                            td.n {
                                @match c.change {
                                    None => "not comparable",
                                    Some((lo, hi)) if lo == hi => (release.headline.scale.show_signed(lo)),
                                    Some((lo, hi)) => (format!("{} to {}", release.headline.scale.show_signed(lo), release.headline.scale.show_signed(hi))),
                                }
                                @if let Some(p) = c.percent { br; (format!("({p:+.1}%)")) }
                            }
                        }
                    }
                }
            }
            ul.small {
                @for c in &rows {
                    li { strong { (basis(c)) ": " } (prose(&c.notes.join("; "))) "." }
                }
            }
        }
    }
}

fn basis(c: &crate::figures::Comparison) -> String {
    match c.basis {
        Basis::MatchedPanel if c.forces == 1 => {
            "The one force added to both on the same terms".to_string()
        }
        Basis::MatchedPanel => format!("The {} forces added to both on the same terms", c.forces),
        Basis::AllForces if c.comparable() => {
            format!("All {} added to both", forces_word(c.forces))
        }
        Basis::AllForces => format!(
            "All forces added to each ({} and {})",
            c.from_forces, c.to_forces
        ),
    }
}

/// What differs from the release this one replaced: each national figure
/// that changed, before and now, and why; then, for each force, what
/// changed in what the release records (its reply's cells, its config).
fn changes(release: &Release, names: &BTreeMap<String, String>) -> Markup {
    let c = &release.changes;
    let previous = c.previous.as_deref().unwrap_or("");
    let revised = c.count(ChangeKind::Revised);
    let phrases = |causes: &[Cause], force: Option<&str>| -> String {
        causes
            .iter()
            .map(|x| x.short(force))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // Each cause in detail: its phrase, then what it was and is.
    let detail = |causes: &[Cause], force: Option<&str>| -> Vec<(String, Vec<String>)> {
        causes
            .iter()
            .map(|x| (x.short(force), x.detail()))
            .collect()
    };
    let (moved, other): (Vec<_>, Vec<_>) = c.forces.iter().partition(|f| f.moved);
    let who = |id: &str| name_of(names, id).to_string();
    html! {
        p { (c.description()) }
        @if revised > 0 {
            p.small { "Revised figures are marked [r] in the spreadsheet and " code { "revised" } " in national.csv; changes.csv lists each figure below with why it changed." }
        }
        @if !c.figures.is_empty() {
            table.chg {
                caption { "National figures changed since release " (previous) }
                thead { tr {
                    th scope="col" { "Figure" }
                    th scope="col" .n { "Previous release" }
                    th scope="col" .n { "This release" }
                    th scope="col" .n { "Change" }
                    th scope="col" { "Forces whose part changed" }
                } }
                tbody {
                    @for f in &c.figures {
                        tr {
                            th scope="row" { (figure_label(&f.figure_id)) br; span.small { (f.change.words()) } }
                            td.n { @match &f.previous { Some(p) => (release.headline.scale.range(p.total)), None => "not published" } }
                            td.n { @match &f.now { Some(n) => (release.headline.scale.range(n.total)), None => "withdrawn" } }
                            td.n {
                                @match (&f.previous, &f.now) {
                                    (Some(p), Some(n)) => (show_change(c.scale, p.total, n.total)),
                                    _ => "",
                                }
                            }
                            td.why {
                                @match &f.parts {
                                    Some(parts) => {
                                        (parts.iter().take(PARTS_SHOWN).map(|p| p.line()).collect::<Vec<_>>().join("; "))
                                        @if parts.len() > PARTS_SHOWN { "; and " (parts.len() - PARTS_SHOWN) " more (changes.csv lists them)" }
                                    }
                                    None => { "not recorded in release " (previous) }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Why" }
            ul {
                @for f in &moved {
                    li { strong { (who(&f.force)) ": " }
                        @if f.causes.is_empty() { "nothing recorded of its own changed" } @else { (phrases(&f.causes, Some(&f.force))) }
                    }
                }
                @let general: Vec<Cause> = c.general_unsaid().cloned().collect();
                @if !general.is_empty() { li { strong { "Every force: " } (phrases(&general, None)) } }
            }
        }
        @if !other.is_empty() || (c.figures.is_empty() && !c.general.is_empty()) {
            h3 { "Other changes, which moved no national figure" }
            ul {
                @for f in &other { li { strong { (who(&f.force)) ": " } (phrases(&f.causes, Some(&f.force))) } }
                @if c.figures.is_empty() && !c.general.is_empty() { li { strong { "Every force: " } (phrases(&c.general, None)) } }
            }
        }
        @if c.forces.iter().any(|f| f.causes.iter().any(|x| !x.detail().is_empty())) || c.general.iter().any(|x| !x.detail().is_empty()) {
            details {
                summary { "In detail: each reply's cells that changed, its hashes and fetch times, the config files" }
                dl {
                    @for f in &c.forces {
                        @let d = detail(&f.causes, Some(&f.force));
                        @if d.iter().any(|(_, lines)| !lines.is_empty()) {
                            dt { (who(&f.force)) }
                            @for (phrase, lines) in &d {
                                @if !lines.is_empty() {
                                    dd { (phrase) }
                                    @for l in lines { dd.small.file { (l) } }
                                }
                            }
                        }
                    }
                    @let g = detail(&c.general, None);
                    @if g.iter().any(|(_, lines)| !lines.is_empty()) {
                        dt { "Every force" }
                        @for (phrase, lines) in &g {
                            @if !lines.is_empty() {
                                dd { (phrase) }
                                @for l in lines { dd.small.file { (l) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The most forces' parts listed under a changed figure (a new foi build
/// can move every force's).
const PARTS_SHOWN: usize = 5;

/// How the bars are drawn, in words and swatches: those the chart uses.
fn key(any_flagged: bool, any_range: bool) -> Markup {
    html! {
        ul.key aria-label="Key to the bars" {
            li { span.bars aria-hidden="true" { span.added {} } "Added" }
            @if any_flagged {
                li { span.bars aria-hidden="true" { span.flagged {} } "Added but flagged (hatched, with the label \u{201c}flagged\u{201d}): counts something a little different or may fall short" }
            }
            @if any_range {
                li { span.bars aria-hidden="true" { span.range {} } "An open bar: the range a total lies in where a force suppressed small counts" }
            }
        }
    }
}

/// A request's total for each force added, as a table whose last column
/// draws it: the chart and its data in one.
fn chart(release: &Release, names: &BTreeMap<String, String>, request: &str) -> Markup {
    let Some(fig) = total(release, request) else {
        return html! {};
    };
    let why: BTreeMap<&str, &str> = release
        .coverage
        .iter()
        .filter(|c| c.request == request && c.flagged)
        .map(|c| (c.force.0.as_str(), c.reason.as_str()))
        .collect();
    let mut bars: Vec<(&str, &str, u64, u64, bool)> = fig
        .contributions
        .iter()
        .map(|c| {
            (
                c.force.0.as_str(),
                name_of(names, &c.force.0),
                c.interval.lo,
                c.interval.hi,
                c.flagged,
            )
        })
        .collect();
    bars.sort_by(|a, b| b.3.cmp(&a.3).then(a.1.cmp(b.1)));
    let max = bars.iter().map(|b| b.3).max().unwrap_or(1).max(1) as f64;
    let pct = |n: u64| format!("width:{:.2}%", 100.0 * n as f64 / max);
    let unit = capitalised(&release.unit);
    html! {
        @if bars.is_empty() {
            p { "No force was added." }
        } @else {
            (key(bars.iter().any(|b| b.4), bars.iter().any(|b| b.2 != b.3)))
            table.chart {
                caption { (unit) " by force, " (release.request_title(request)) ", largest first" }
                thead { tr {
                    th scope="col" { "Force" }
                    th scope="col" .n { (unit) }
                    th scope="col" { "Chart" }
                } }
                tbody {
                    @for (id, name, lo, hi, flagged) in &bars {
                        @let style = if *flagged { "flagged" } else { "added" };
                        tr {
                            th scope="row" {
                                (name)
                                @if *flagged {
                                    br;
                                    span.flag { "flagged" }
                                    @if let Some(w) = why.get(id) { " " span.small { (w) } }
                                }
                            }
                            td.n { (release.headline.scale.range(foi_model::Interval::new(*lo, *hi))) }
                            td.plot {
                                span.bars aria-hidden="true" {
                                    span class=(style) style=(pct(*lo)) {}
                                    @if hi > lo { span class=(format!("range {style}")) style=(pct(hi - lo)) {} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One breakdown's figures: its name ("offence_group"), its values in the
/// order the figures come, and each (value, request)'s figure.
type Breakdown<'r> = (String, Vec<String>, BTreeMap<(String, String), &'r Figure>);

/// For each breakdown, a table of its values by request.
fn breakdowns(release: &Release) -> Markup {
    let mut tables: Vec<Breakdown> = Vec::new();
    for f in release.figures.iter().filter(|f| !f.breakdown.is_empty()) {
        let name = f.breakdown_name();
        let value = f
            .breakdown
            .iter()
            .map(|(_, v)| v.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let i = match tables.iter().position(|t| t.0 == name) {
            Some(i) => i,
            None => {
                tables.push((name.clone(), Vec::new(), BTreeMap::new()));
                tables.len() - 1
            }
        };
        let t = &mut tables[i];
        if !t.1.contains(&value) {
            t.1.push(value.clone());
        }
        t.2.insert((value, f.request.clone()), f);
    }
    let title = |name: &str| {
        name.split('+')
            .map(|d| {
                release
                    .dimensions
                    .iter()
                    .find(|(k, _)| k.0 == d)
                    .map_or(d.to_string(), |(_, t)| t.to_lowercase())
            })
            .collect::<Vec<_>>()
            .join(" and ")
    };
    html! {
        @if tables.is_empty() {
            p { "The campaign publishes its totals only." }
        }
        @for (name, values, figures) in &tables {
            table.bd {
                caption { (capitalised(&release.unit)) " by " (title(name)) }
                thead { tr {
                    th scope="col" { (capitalised(&title(name))) }
                    @for r in &release.requests { th scope="col" .n { (r.title) } }
                } }
                tbody {
                    @for v in values {
                        tr {
                            th scope="row" { (v) }
                            @for r in &release.requests {
                                td.n {
                                    @match figures.get(&(v.clone(), r.id.clone())) {
                                        Some(f) => (release.headline.scale.range(f.total)),
                                        None => "[x]",
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One row per force, a column per request: added, flagged or not, and why.
fn coverage(release: &Release, names: &BTreeMap<String, String>) -> Markup {
    let mut forces: Vec<(&str, &str)> = Vec::new();
    for c in &release.coverage {
        let id = c.force.0.as_str();
        if !forces.iter().any(|(f, _)| *f == id) {
            forces.push((id, name_of(names, id)));
        }
    }
    forces.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    html! {
        table.cov {
            caption { "How each force answered, and whether its figures were added" }
            thead { tr {
                th scope="col" { "Force" }
                @for r in &release.requests { th scope="col" { (r.title) } }
            } }
            tbody {
                @for (id, name) in &forces {
                    tr {
                        th scope="row" { (name) }
                        @for r in &release.requests {
                            td {
                                @match release.coverage.iter().find(|c| c.force.0 == *id && c.request == r.id) {
                                    None => span.no { "not added" },
                                    Some(c) => {
                                        // The cell already says "not added".
                                        @let reason = c.reason.trim_end_matches("; not added");
                                        @match (c.included, c.flagged) {
                                            (false, _) => span.no { "not added" },
                                            (true, true) => span.flag { "flagged" },
                                            (true, false) => "added",
                                        }
                                        @if !reason.is_empty() { ": " (prose(reason)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How many stated figures were checked, and every one that differs.
fn reconciliation(release: &Release, names: &BTreeMap<String, String>) -> Markup {
    let differ: Vec<&Check> = release.checks.iter().filter(|c| !c.agrees()).collect();
    let n = release.checks.len();
    html! {
        p {
            @if n == 0 {
                "No source states a figure foi also computes, so there was nothing to check."
            } @else {
                (thousands(n as u64)) " " (if n == 1 { "figure" } else { "figures" })
                " the sources state (a force's own totals, a national table's England and Wales row) were checked against foi's sum of the figures they total: "
                @if differ.is_empty() { "every one agrees." }
                @else { (thousands((n - differ.len()) as u64)) " agree and " (differ.len()) " differ." }
            }
        }
        @if !differ.is_empty() {
            table {
                caption { "Stated figures that differ from foi's sum" }
                thead { tr {
                    th scope="col" { "Whose figure" }
                    th scope="col" { "What" }
                    th scope="col" .n { "Stated" }
                    th scope="col" .n { "Sum" }
                    th scope="col" .n { "Difference" }
                } }
                tbody {
                    @for c in &differ {
                        tr {
                            th scope="row" {
                                (if c.scope == "national" { "National table" } else { name_of(names, &c.scope) })
                                br; span.small { (release.request_title(&c.request)) }
                            }
                            td {
                                (c.label) @if !c.breakdown.is_empty() { " (" (c.breakdown) ")" }
                                br; span.small.file { (c.source) ", " (c.cells) }
                            }
                            td.n { (release.headline.scale.range(c.stated)) }
                            td.n { (release.headline.scale.range(c.computed)) }
                            td.n {
                                @match (c.computed.value(), c.stated.value()) {
                                    (Some(a), Some(b)) => (release.headline.scale.show_signed(a as i64 - b as i64)),
                                    _ => "ranges do not meet",
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every file of the release, linked, with what it holds and its size.
fn data_files(release: &Release, files: &[Output]) -> Markup {
    let sized = |name: &str| {
        let s = files
            .iter()
            .find(|o| o.name == name)
            .map(|o| format!(", {}", size(o.bytes)));
        html! { a href=(name) { (name) } (s.unwrap_or_default()) }
    };
    let workbook = format!("{}.xlsx", release.campaign);
    html! {
        ul {
            li { "The spreadsheet, every table on its own sheet with a cover, contents and notes: " (sized(&workbook)) }
            @for t in &release.tables {
                li {
                    (t.title) ": "
                    @if !t.parquet_only() { (sized(&format!("{}.csv", t.name))) " and " }
                    (sized(&format!("{}.parquet", t.name)))
                }
            }
            li { "What every table and column holds, its types and units, the licence and the sources (Frictionless Data Package): " (sized("datapackage.json")) }
        }
    }
}

/// Where the figures come from: the campaign's words, then every file
/// with its SHA-256.
fn sources(release: &Release) -> Markup {
    html! {
        p { (release.source) }
        @if !release.sources.is_empty() {
            details {
                summary { "The " (release.sources.len()) " source " (if release.sources.len() == 1 { "file" } else { "files" }) ", with the SHA-256 of each" }
                table {
                    caption { "Source files" }
                    thead { tr {
                        th scope="col" { "Whose figures" }
                        th scope="col" { "File and SHA-256" }
                    } }
                    tbody {
                        @for s in &release.sources {
                            tr {
                                th scope="row" { (s.whose()) }
                                td {
                                    @if s.is_url() { a.file href=(s.file) { (s.file) } } @else { span.file { (s.file) } }
                                    br; span.hash { (s.sha256) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn footer(release: &Release) -> Markup {
    let p = release.publisher.as_ref();
    let l = &release.licence;
    html! {
        footer {
            @if let Some(p) = p {
                p {
                    "Published by " (p.name)
                    @if let Some(d) = &p.published { " on " (long_date(d.0)) }
                    "."
                    @if let Some(n) = &p.next_update { " Next update: " (n) "." }
                }
                @if let Some(c) = &p.contact {
                    p {
                        "Contact: "
                        @if c.contains('@') && !c.contains("://") { a href=(format!("mailto:{c}")) { (c) } }
                        @else if c.starts_with("https://") || c.starts_with("http://") { a href=(c) { (c) } }
                        @else { (c) }
                    }
                }
            } @else {
                p { "No publisher, release date or contact is declared for this campaign." }
            }
            p { "These tables may be used and re-used under the " a href=(l.path) { (l.title) } "." }
        }
    }
}

pub fn summary_html(release: &Release, files: &[Output]) -> String {
    let names = force_names(release);
    let released = release
        .publisher
        .as_ref()
        .and_then(|p| p.published)
        .map(|d| long_date(d.0));
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (release.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#main" { "Skip to the figures" }
                header {
                    h1 { (release.title) }
                    p { (release.description.split_whitespace().collect::<Vec<_>>().join(" ")) }
                    p.meta {
                        @match &released { Some(d) => { "Released " (d) }, None => "Release date not given" }
                        @if let Some(p) = &release.publisher { " by " (p.name) }
                        ". " a href="#data" { "Data files" } " · " a href="#sources" { "Sources" }
                    }
                    nav aria-label="Sections" {
                        ul {
                            li { a href="#headline" { "Headline" } }
                            li { a href="#changes" { "Changes" } }
                            li { a href="#by-force" { "Totals by force" } }
                            li { a href="#breakdowns" { "Breakdowns" } }
                            li { a href="#coverage" { "Coverage" } }
                            li { a href="#reconciliation" { "Reconciliation" } }
                            li { a href="#notes" { "Notes" } }
                            li { a href="#data" { "Data files" } }
                            li { a href="#sources" { "Sources" } }
                        }
                    }
                }
                main #main {
                    section aria-labelledby="headline" {
                        h2 #headline { "Headline" }
                        (headline(release, &names))
                        (comparisons(release))
                    }
                    section aria-labelledby="changes" {
                        h2 #changes { "Changes since the previous release" }
                        (changes(release, &names))
                    }
                    section aria-labelledby="by-force" {
                        h2 #by-force { "Totals by force" }
                        @for r in &release.headline.requests {
                            h3 { (r.title) }
                            (chart(release, &names, &r.request))
                        }
                    }
                    section aria-labelledby="breakdowns" {
                        h2 #breakdowns { "Breakdowns" }
                        (breakdowns(release))
                    }
                    section aria-labelledby="coverage" {
                        h2 #coverage { "Coverage" }
                        (coverage(release, &names))
                    }
                    section aria-labelledby="reconciliation" {
                        h2 #reconciliation { "Reconciliation" }
                        (reconciliation(release, &names))
                    }
                    section aria-labelledby="notes" {
                        h2 #notes { "Notes" }
                        ol { @for n in &release.notes { li { (prose(&n.text)) } } }
                    }
                    section aria-labelledby="data" {
                        h2 #data { "Data files" }
                        (data_files(release, files))
                    }
                    section aria-labelledby="sources" {
                        h2 #sources { "Sources" }
                        (sources(release))
                    }
                }
                (footer(release))
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_by_construction() {
        let m = prose("a <b> & `col<1>` \"q\"");
        assert_eq!(
            m.into_string(),
            "a &lt;b&gt; &amp; <code>col&lt;1&gt;</code> &quot;q&quot;"
        );
        // An unpaired backtick is text.
        assert_eq!(prose("a ` b").into_string(), "a ` b");
    }

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(6_107), "6.1 KB");
        assert_eq!(size(1_273_750), "1.3 MB");
    }
}
