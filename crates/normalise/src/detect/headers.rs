//! What a header or a title says a column or a table counts: a month, a
//! value of a dimension, a request's period, a total, plain words, or
//! something else (another unit, something narrower).

use super::cells::{is_generic_word, is_total, short, unit_class};
use super::columns::Table;
use super::period::{periods, words};
use super::{request_periods, Context, Mapper};
use crate::table::parse_month;
use chrono::Datelike;
use foi_model::config::DimKind;
use foi_model::{DimValue, Month};
use std::collections::BTreeSet;

/// What a header of a column of figures says.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Meaning {
    Month(Month),
    Dim(usize, DimValue),
    /// Values of dimensions the header could be ("13 yrs": an age, or
    /// offence 13): the table's other headers decide.
    Dims(Vec<(usize, DimValue)>),
    Request(String),
    /// A period no request of the response covers.
    OtherPeriod(String),
    /// Counts of something else than the response counts ("Victims"
    /// beside "Offences").
    OtherUnit(String),
    Total,
    /// A total whose header qualifies what it counts ("Total recorded
    /// crime (excluding fraud)"): read only beside the columns it adds up.
    NarrowTotal,
    Generic,
    Unknown(String),
}

/// Words that carry no meaning of their own in a header or title.
pub(super) fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "of"
            | "a"
            | "an"
            | "and"
            | "or"
            | "by"
            | "with"
            | "in"
            | "to"
            | "for"
            | "at"
            | "on"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "how"
            | "many"
            | "what"
            | "from"
            | "had"
            | "has"
            | "that"
            | "this"
            | "time"
            | "s"
            | "its"
            | "their"
            | "be"
            | "where"
            | "which"
            | "who"
            | "it"
            | "not"
            | "no"
            | "all"
    )
}

/// The words of the campaign's own description of what it asks: a header
/// may use them ("Online offences", "Cyber-flagged crimes").
pub(super) fn campaign_words(ctx: &Context) -> BTreeSet<String> {
    let c = ctx.campaign;
    let mut text = format!("{} {} ", c.title, c.description);
    for r in &c.requests {
        text += &format!("{} {} ", r.title, r.wording);
    }
    for d in &c.dimensions {
        text += &format!("{} ", d.title);
    }
    words(&text)
        .into_iter()
        .filter(|w| w.len() >= 3 && !is_stopword(w) && !w.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// The words of a dimension's id and title, and those headers of its
/// labels use: "age" for ages, "offence", "crime", "code" for offences.
pub(super) fn dim_words(m: &Mapper, d: usize) -> BTreeSet<String> {
    let dim = &m.campaign.dimensions[d];
    let mut out: BTreeSet<String> = words(&format!("{} {}", dim.id.0.replace('_', " "), dim.title))
        .into_iter()
        .filter(|w| w.len() >= 3 && !is_stopword(w))
        .collect();
    if dim.kind == DimKind::Age {
        out.extend(["age", "aged", "ages"].map(String::from));
    }
    if dim.codes_in_labels {
        out.extend(
            [
                "offence",
                "offences",
                "crime",
                "crimes",
                "code",
                "classification",
                "category",
                "type",
                "description",
                "class",
            ]
            .map(String::from),
        );
    }
    out
}

/// What a title says its table counts: the unit it starts with ("Arrests
/// for notifiable offences", after a "Table A.07:" label), or the one
/// just after "Number of" ("Number of persons arrested …", "Number of
/// child victims of …"). A note that mentions a unit in passing ("redacted
/// to protect victims") says nothing.
pub(super) fn title_unit(text: &str) -> Option<&'static str> {
    let w: Vec<String> = words(text)
        .into_iter()
        .filter(|x| x.chars().any(char::is_alphabetic) && x.len() > 1)
        .collect();
    let start = usize::from(w.first().is_some_and(|x| x == "table"));
    if let Some(u) = w.get(start).and_then(|x| unit_class(x)) {
        return Some(u);
    }
    let at = w
        .windows(2)
        .position(|p| matches!(p[0].as_str(), "number" | "numbers" | "count") && p[1] == "of")?;
    w.iter().skip(at + 2).take(3).find_map(|x| unit_class(x))
}

/// The unit the response counts, as a class ("offences", "victims").
pub(super) fn unit_of(ctx: &Context) -> Option<&'static str> {
    words(&ctx.response.unit.0)
        .iter()
        .find_map(|w| unit_class(w))
}

/// What the header of a column of figures says.
pub(super) fn meaning(
    t: &Table,
    c: usize,
    cwords: &BTreeSet<String>,
    unit: &Option<&str>,
) -> Meaning {
    let m = t.m;
    let own = t.own(c);
    let joined = t.joined[c].clone();
    let Some((bottom, bottom_cell)) = own.first().cloned() else {
        return Meaning::Unknown("has no header".into());
    };
    // A month: "Jul-15", "July 2015", a date cell on the first of a month.
    let month_cell = match bottom_cell {
        crate::grid::Cell::Date(d) if d.day() == 1 => parse_month(bottom_cell, &bottom),
        crate::grid::Cell::Date(_) => None,
        _ => parse_month(bottom_cell, &bottom),
    };
    if let Some(mo) = month_cell.filter(|mo| (1990..=2100).contains(&mo.year)) {
        return Meaning::Month(mo);
    }
    // A value of a dimension: an age, a band, an offence group.
    let mut found: Vec<(usize, DimValue)> = Vec::new();
    for text in [bottom.as_str(), joined.as_str()] {
        for d in m.dims() {
            let dim = &m.campaign.dimensions[d];
            // A bare number ("21") may be an age or a code: both are kept,
            // and the table's other headers decide (a tie is refused).
            if dim.kind == DimKind::Text {
                continue;
            }
            if let Some(v) = m.map(d, text) {
                if !found.iter().any(|(x, _)| *x == d) {
                    found.push((d, v));
                }
            }
        }
    }
    // The header's own cell and the header with what stands above it may
    // name values of different dimensions ("21" an age, "Sexual activity
    // 21" offence 21): both are kept, and the table's other headers decide.
    if !found.is_empty() {
        return Meaning::Dims(found);
    }
    let w = words(&joined);
    // The thing it counts.
    let other_unit = w
        .iter()
        .filter_map(|x| unit_class(x))
        .find(|u| Some(*u) != *unit);
    if let Some(u) = other_unit {
        return Meaning::OtherUnit(format!(
            "counts {u}, not {}",
            unit.unwrap_or("what the response counts")
        ));
    }
    // An Excel pivot table's "Count of Crime Reference": it counts its
    // rows, whatever field it names (a unit named is judged above).
    if w.len() > 2 && w[0] == "count" && w[1] == "of" && periods(&joined).is_empty() {
        return Meaning::Generic;
    }
    let plain = |x: &str| {
        is_generic_word(x)
            || unit_class(x).is_some()
            || cwords.contains(x)
            || (x.len() <= 2 && x.chars().all(|c| c.is_ascii_digit()))
            || x == "-"
    };
    let named = periods(&joined);
    if !named.is_empty() {
        let used: BTreeSet<usize> = named.iter().flat_map(|n| n.words.iter().copied()).collect();
        let rest: Vec<&String> = w
            .iter()
            .enumerate()
            .filter(|(i, x)| !used.contains(i) && !plain(x))
            .map(|(_, x)| x)
            .collect();
        if !rest.is_empty() {
            return Meaning::Unknown(format!(
                "counts something narrower ({:?})",
                rest.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if let Some((super::notes::Footnoted::Unclear, _)) = t.footnoted.get(&c) {
            return Meaning::Unknown("has a footnote naming more than one period".into());
        }
        let distinct = t.header_periods(c);
        if distinct.len() > 1 {
            return Meaning::Unknown("names more than one period".into());
        }
        let Some(&p) = distinct.iter().next() else {
            return Meaning::Unknown("names no period foi can read".into());
        };
        return match request_periods(t.ctx).into_iter().find(|(_, q)| *q == p) {
            Some((r, _)) => Meaning::Request(r),
            None => Meaning::OtherPeriod(format!(
                "is for {} to {}, which no request of this response covers",
                p.from, p.to
            )),
        };
    }
    if is_total(&bottom) || is_total(&joined) {
        // "Total", "Total offences": a total of what the table counts;
        // "Total of selected serious offences": of something narrower,
        // which only a total beside the columns it adds up may be.
        let plain_total = w
            .iter()
            .all(|x| plain(x) || matches!(x.as_str(), "grand" | "totals" | "cyfanswm"));
        return if plain_total {
            Meaning::Total
        } else {
            Meaning::NarrowTotal
        };
    }
    if !w.is_empty() && w.iter().all(|x| plain(x)) {
        return Meaning::Generic;
    }
    Meaning::Unknown(format!("says {:?}", short(&joined, 60)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_title_says_its_table_counts() {
        assert_eq!(
            title_unit("A.07:   Number of persons of all ages arrested for notifiable offences by police force area"),
            Some("people")
        );
        assert_eq!(
            title_unit("Arrests for notifiable offences"),
            Some("arrests")
        );
        assert_eq!(
            title_unit(
                "Number of child VICTIMS of online sexual offences (one victim per offence)"
            ),
            Some("victims")
        );
        assert_eq!(
            title_unit("Table C2: Number of police recorded crimes for headline offences"),
            Some("offences")
        );
        assert_eq!(
            title_unit("Crimes with the cyber flag where the victim was under 18"),
            Some("offences")
        );
        assert_eq!(
            title_unit("Figures of 1 to 4 are redacted to protect victims; - means none."),
            None
        );
        assert_eq!(
            title_unit("Where the victim's age was not recorded it is shown as 'Not known'."),
            None
        );
        assert_eq!(
            title_unit("Table P1:  Police recorded crime by offence group"),
            None
        );
    }
}
