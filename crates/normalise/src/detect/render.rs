//! Writing a layout in the config language, as a person would: one
//! `[[table]]` each, patterns in literal strings, defaults left out, the
//! columns one to a line.

use foi_model::config::{Blank, NameRule, Role, Shape, TableDef};
use std::fmt::Write;

/// A TOML string: a literal one ('…') when the text allows, which is how
/// people write patterns, else a basic one with escapes.
fn quote(s: &str) -> String {
    if !s.contains('\'') && !s.chars().any(char::is_control) {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A plain string (ids, values, paths): always a basic string.
pub fn plain(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Label => "label",
        Role::ByHeader => "by_header",
        Role::Value => "value",
        Role::Total => "total",
        Role::Request => "request",
        Role::Period => "period",
        Role::Month => "month",
        Role::Date => "date",
        Role::Force => "force",
        Role::Heading => "heading",
        Role::Ignore => "ignore",
    }
}

/// The tables as `[[table]]`s.
pub fn render(tables: &[TableDef]) -> String {
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("[[table]]\n");
        let mut line = |k: &str, v: String| {
            let _ = writeln!(out, "{k} = {v}");
        };
        if let Some(s) = &t.sheet {
            line("sheet", quote(s));
        }
        line("header", quote(&t.header));
        if t.occurrence != 1 {
            line("occurrence", t.occurrence.to_string());
        }
        if t.header_rows != 1 {
            line("header_rows", t.header_rows.to_string());
        }
        if let Some(s) = &t.stop {
            line("stop", quote(s));
        }
        if t.shape == Shape::Records {
            line("shape", plain("records"));
        }
        if let Some(r) = &t.request {
            line("request", plain(r));
        }
        if let Some(w) = &t.filter {
            line(
                "where",
                format!(
                    "{{ column = {}, equals = [{}] }}",
                    quote(&w.column),
                    w.equals
                        .iter()
                        .map(|e| plain(e))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if let Some(s) = &t.total_rows {
            line("total_rows", quote(s));
        }
        if let Some(s) = &t.skip_rows {
            line("skip_rows", quote(s));
        }
        if let Some(s) = &t.aggregate_rows {
            line("aggregate_rows", quote(s));
        }
        if let Some(n) = t.ambiguous_names {
            line(
                "ambiguous_names",
                plain(match n {
                    NameRule::Force => "force",
                    NameRule::Area => "area",
                    NameRule::AreaThenForce => "area_then_force",
                }),
            );
        }
        for (pat, r) in &t.requests {
            let _ = writeln!(out, "requests.{} = {}", quote(pat), plain(r));
        }
        out.push_str("column = [\n");
        for c in &t.columns {
            let mut parts = vec![
                format!("header = {}", quote(&c.header)),
                format!("role = {}", plain(role(c.role))),
            ];
            if let Some(d) = &c.dim {
                parts.push(format!("dim = {}", plain(d)));
            }
            if let Some(r) = &c.request {
                parts.push(format!("request = {}", plain(r)));
            }
            if c.blank == Some(Blank::Total) {
                parts.push(format!("blank = {}", plain("total")));
            }
            let _ = writeln!(out, "  {{ {} }},", parts.join(", "));
        }
        out.push_str("]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use foi_model::config::{ColumnDef, LayoutFile, WhereDef};

    #[test]
    fn a_layout_reads_back_as_written() {
        let t = TableDef {
            sheet: Some("^Table P1$".into()),
            header: r"^Total recorded crime \(excluding fraud4\)$".into(),
            occurrence: 2,
            header_rows: 2,
            stop: Some("^Source:".into()),
            shape: Shape::Records,
            filter: Some(WhereDef {
                column: "^Online$".into(),
                equals: vec!["Y".into()],
            }),
            request: Some("fy-2016-17".into()),
            total_rows: Some("^Total$".into()),
            skip_rows: Some("^(Numbers|It's)$".into()),
            aggregate_rows: Some("(?i)england and wales".into()),
            ambiguous_names: Some(NameRule::Force),
            requests: Default::default(),
            columns: vec![ColumnDef {
                header: "^Offence \"A\"$".into(),
                role: Role::Label,
                dim: Some("offence".into()),
                request: None,
                blank: Some(Blank::Total),
            }],
        };
        let text = render(std::slice::from_ref(&t));
        let back: LayoutFile = toml::from_str(&text).expect(&text);
        let b = &back.tables[0];
        assert_eq!(b.header, t.header);
        assert_eq!(b.skip_rows, t.skip_rows);
        assert_eq!(b.columns[0].header, t.columns[0].header);
        assert_eq!(b.filter, t.filter);
        assert_eq!(b.occurrence, 2);
        assert_eq!(b.shape, Shape::Records);
        assert!(
            text.contains("header = '^Total recorded crime \\(excluding fraud4\\)$'"),
            "{text}"
        );
    }
}
