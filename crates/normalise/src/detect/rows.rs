//! The rows of a found table read in a particular way, and the patterns
//! that find it: which request it answers, whether its stated totals add
//! up, which header cell finds it, and where it ends.

use super::blocks::{Block, Grid};
use super::cells::{short, Kind};
use super::columns::{escape, exact, Part, Place, Table};
use super::period::periods;
use super::{request_periods, row_name, row_text};
use crate::table::flat;
use crate::value::{parse_count, Parsed, Suppression};
use foi_model::Interval;
use std::collections::{BTreeMap, BTreeSet};

/// The request a table answers, from what names a period nearest it:
/// its header cells, the titles right above it, titles further up, the
/// sheet's first titles, the sheet's name. `Err(Ok(why))` when unsure,
/// `Err(Err(why))` when the table is another period's.
pub(super) fn table_request(
    t: &Table,
    place: &Place,
) -> Result<(String, String), Result<String, String>> {
    let g = t.g;
    let b = t.b;
    // (where, its texts, whether it is a title above the table)
    let mut levels: Vec<(String, Vec<String>, bool)> = Vec::new();
    let head: Vec<String> = b
        .header
        .iter()
        .flat_map(|&r| g.filled(r).into_iter().map(move |c| (r, c)))
        .map(|(r, c)| g.text(r, c))
        .collect();
    levels.push(("its header".into(), head, false));
    // Each title on its own, nearest first: a letter's "Question 1 –
    // offences recorded 1 July 2015 to 30 June 2016" speaks for its table
    // before the quoted request that names both periods.
    for (r, adjacent) in &b.titles {
        let level = if *adjacent {
            "the title right above it"
        } else {
            "a title above it"
        };
        levels.push((level.into(), vec![row_text(g, *r)], true));
    }
    if place.block_index > 0 {
        levels.push((
            "the sheet's title".into(),
            place.sheet_titles.to_vec(),
            false,
        ));
    }
    if let Some(n) = &g.sheet.name {
        levels.push(("the sheet's name".into(), vec![n.clone()], false));
    }
    let periods_of = request_periods(t.ctx);
    let mut chosen: Option<(String, String)> = None;
    let mut other: Option<String> = None;
    let mut titled = false;
    for (level, texts, a_title) in &levels {
        let a_title = *a_title;
        // Once a title above the table has named its request, the text
        // further up is the letter around it (the request quoted back,
        // question by question): never a contradiction.
        if titled && a_title {
            continue;
        }
        let mut named_requests: BTreeSet<String> = BTreeSet::new();
        let mut named_other: Vec<String> = Vec::new();
        let mut shown = String::new();
        for text in texts {
            for n in periods(text) {
                match periods_of.iter().find(|(_, p)| *p == n.period) {
                    Some((r, _)) => {
                        named_requests.insert(r.clone());
                        if shown.is_empty() {
                            shown = short(text, 60);
                        }
                    }
                    None => named_other.push(format!("{} to {}", n.period.from, n.period.to)),
                }
            }
        }
        match &chosen {
            None => {
                if named_requests.len() > 1 {
                    return Err(Ok(format!(
                        "{level} names several requests ({})",
                        named_requests.into_iter().collect::<Vec<_>>().join(", ")
                    )));
                }
                if let (Some(r), Some(o)) = (named_requests.iter().next(), named_other.first()) {
                    return Err(Ok(format!(
                        "{level} names request {r}'s period and another ({o}): a comparison?"
                    )));
                }
                if let Some(r) = named_requests.into_iter().next() {
                    titled = a_title;
                    chosen = Some((r.clone(), format!("request {r}: {level} says {shown:?}")));
                } else if other.is_none() && !named_other.is_empty() {
                    other = Some(format!("{level} names {}", named_other[0]));
                }
            }
            // Further text naming one other request contradicts the nearer;
            // naming several, ours among them, it speaks of the whole reply
            // (the request quoted back), not of this table.
            Some((r, _)) => {
                let general = named_requests.len() > 1 && named_requests.contains(r);
                if let Some(x) = named_requests.iter().find(|x| *x != r).filter(|_| !general) {
                    return Err(Ok(format!(
                        "{level} names request {x}, but nearer text names {r}"
                    )));
                }
            }
        }
    }
    match (chosen, other) {
        (Some(c), _) => Ok(c),
        (None, Some(o)) => Err(Err(format!(
            "it is for another period than this response's requests: {o}"
        ))),
        (None, None) => {
            let reqs = &t.ctx.response.requests;
            if reqs.len() == 1 {
                Ok((
                    reqs[0].clone(),
                    format!(
                        "request {}: the response answers that one request, and nothing here names another period",
                        reqs[0]
                    ),
                ))
            } else {
                Err(Ok(
                    "nothing names the period its figures are for, and the response answers several requests"
                        .into(),
                ))
            }
        }
    }
}

/// Checks stated totals against their parts: a total row against the
/// rows above it, a total column against the columns beside it.
pub(super) fn check_totals(
    t: &mut Table,
    parts: &BTreeMap<usize, (Part, String)>,
    figure_cols: &[usize],
    notes: &mut Vec<String>,
) {
    let g = t.g;
    let sup = Suppression {
        zeros: t.ctx.response.zeros,
        threshold: t.ctx.response.threshold,
        markers: t.ctx.campaign.markers.as_ref(),
        scale: foi_model::Scale::COUNT,
    };
    let read = |r: usize, c: usize| match parse_count(g.sheet.cell(r, c), &sup) {
        Parsed::Count(i) => Some(i),
        Parsed::Blank => Some(Interval::ZERO),
        _ => None,
    };
    let fits = |sum: Interval, stated: Interval| sum.lo <= stated.hi && stated.lo <= sum.hi;
    // Total rows: each against the rows above it since the last total
    // (not when the rows' values overlap).
    let rows_overlap = parts.values().any(|(p, _)| match p {
        Part::Label(d) => t.m.campaign.dimensions[*d].overlapping,
        _ => false,
    });
    let mut checked = 0;
    let mut from = 0;
    let rows = t.b.rows.clone();
    for (i, &r) in rows.iter().enumerate() {
        if !t.totals.contains(&r) || rows_overlap {
            continue;
        }
        for &c in figure_cols {
            let mut sum = Interval::ZERO;
            let mut ok = true;
            for &x in &rows[from..i] {
                if t.totals.contains(&x) || t.subtotals.contains(&x) {
                    continue;
                }
                match read(x, c) {
                    Some(v) => sum += v,
                    None => ok = false,
                }
            }
            let Some(stated) = read(r, c) else { continue };
            if !ok {
                continue;
            }
            checked += 1;
            if !fits(sum, stated) {
                t.uncertain.push(format!(
                    "{} ({:?}) is not the sum of the rows above it in column {} ({} against {})",
                    row_name(g.sheet, r),
                    g.text(r, t.b.label_col),
                    t.col(c),
                    stated,
                    sum
                ));
                return;
            }
        }
        from = i + 1;
    }
    if checked > 0 {
        t.reasons.push(format!(
            "the total row adds up ({checked} cell{} checked)",
            if checked == 1 { "" } else { "s" }
        ));
    }
    // Total columns: against the columns of a dimension beside them.
    // Values that overlap (a group and its sub-groups) do not add up.
    let overlapping = parts.values().any(|(p, _)| match p {
        Part::ByHeader(d, _, _) => t.m.campaign.dimensions[*d].overlapping,
        _ => false,
    });
    if overlapping {
        return;
    }
    // Each total column, and the columns it adds up: a table's own, or
    // (under a period) those of its request.
    let blocks = parts
        .values()
        .any(|(p, _)| matches!(p, Part::ByHeader(_, _, Some(_))));
    let totals: Vec<(usize, Option<String>)> = parts
        .iter()
        .filter_map(|(c, (p, _))| match p {
            Part::Total => Some((*c, None)),
            Part::Value(Some(r)) if blocks => Some((*c, Some(r.clone()))),
            _ => None,
        })
        .collect();
    let mut checked = 0;
    for (tc, request) in &totals {
        let tc = *tc;
        let across: Vec<usize> = parts
            .iter()
            .filter(|(_, (p, _))| matches!(p, Part::ByHeader(_, _, r) if r == request))
            .map(|(c, _)| *c)
            .collect();
        for &r in &t.b.rows {
            let Some(stated) = read(r, tc) else { continue };
            let mut sum = Interval::ZERO;
            let mut ok = true;
            for &c in &across {
                match read(r, c) {
                    Some(v) => sum += v,
                    None => ok = false,
                }
            }
            if !ok {
                continue;
            }
            checked += 1;
            if !fits(sum, stated) {
                t.uncertain.push(format!(
                    "column {} ({:?}) is not the sum of the columns beside it at {} ({} against {})",
                    t.col(tc),
                    t.joined[tc],
                    row_name(g.sheet, r),
                    stated,
                    sum
                ));
                return;
            }
        }
    }
    if checked > 0 {
        notes.push(format!(
            "the total column adds up across the columns beside it ({checked} rows checked)"
        ));
    }
}

/// A cell of the header's first row whose pattern finds this header row
/// and no row of the table below it, and which match of it this is.
pub(super) fn header_pattern(
    g: &Grid,
    b: &Block,
    header_row: usize,
    data_rows: &[usize],
) -> Option<(String, usize)> {
    let sheet = g.sheet;
    let last = data_rows.last().copied().unwrap_or(header_row);
    let mut cells: Vec<usize> = g.filled(header_row);
    // Text first: a number in a header (an age) is a number in the rows too.
    cells.sort_by_key(|&c| (g.kind(header_row, c) != Kind::Text, c));
    for c in cells {
        let text = flat(&g.text(header_row, c)).into_owned();
        if text.is_empty() {
            continue;
        }
        let Ok(re) = regex::Regex::new(&exact(&text)) else {
            continue;
        };
        let hit = |r: usize| {
            sheet.rows.get(r).is_some_and(|row| {
                row.iter()
                    .any(|x| !x.is_empty() && re.is_match(&flat(&x.text_cow())))
            })
        };
        if (header_row + 1..=last).any(hit) {
            continue;
        }
        let occurrence = (0..=header_row).filter(|&r| hit(r)).count();
        let _ = b;
        return Some((exact(&text), occurrence.max(1)));
    }
    None
}

/// Where the table ends, when not at the first blank row after it: at
/// the first row after it (a pattern on its first cell), or at the end of
/// the sheet.
pub(super) fn stop_for(g: &Grid, b: &Block, data_rows: &[usize], last: usize) -> Option<String> {
    let sheet = g.sheet;
    let next = (last + 1..sheet.rows.len()).find(|&r| g.live[r]);
    let next_nonblank = (last + 1..sheet.rows.len()).find(|&r| g.live[r] && !g.is_blank(r));
    let blank_next = next.is_none_or(|r| g.is_blank(r));
    if !b.gaps && blank_next {
        return None;
    }
    let Some(r) = next_nonblank else {
        return Some("end".into());
    };
    let first = g
        .filled(r)
        .first()
        .map(|&c| flat(&g.text(r, c)).into_owned())
        .unwrap_or_default();
    let firsts: Vec<String> = data_rows
        .iter()
        .filter_map(|&x| {
            g.filled(x)
                .first()
                .map(|&c| flat(&g.text(x, c)).into_owned())
        })
        .collect();
    let words: Vec<&str> = first.split(' ').collect();
    for n in 1..=words.len() {
        let prefix = words[..n].join(" ");
        let pat = format!("^{}", escape(&prefix));
        let Ok(re) = regex::Regex::new(&pat) else {
            continue;
        };
        if !firsts.iter().any(|f| re.is_match(f)) {
            return Some(pat);
        }
    }
    Some(exact(&first))
}
