//! Some force systems export an HTML table and name it .xls. Reads the
//! first `<table>`'s rows and cells; nothing else of HTML matters here.

use crate::grid::{Cell, Sheet};

pub fn read_html(text: &str) -> Sheet {
    let lower = text.to_ascii_lowercase();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let start = lower.find("<table").unwrap_or(0);
    let end = lower[start..]
        .find("</table")
        .map(|e| start + e)
        .unwrap_or(lower.len());
    let mut pos = start;
    while let Some(tr) = lower[pos..end].find("<tr") {
        let row_start = pos + tr;
        let row_end = lower[row_start..end]
            .find("</tr")
            .map(|e| row_start + e)
            .unwrap_or(end);
        let mut cells = Vec::new();
        let mut cpos = row_start;
        loop {
            let td = lower[cpos..row_end].find("<td");
            let th = lower[cpos..row_end].find("<th");
            let Some(open) = [td, th].into_iter().flatten().min() else {
                break;
            };
            let open = cpos + open;
            let Some(gt) = lower[open..row_end].find('>') else {
                break;
            };
            let tag = &lower[open..open + gt];
            let content_start = open + gt + 1;
            let content_end = [
                lower[content_start..row_end].find("</td"),
                lower[content_start..row_end].find("</th"),
                lower[content_start..row_end].find("<td"),
                lower[content_start..row_end].find("<th"),
            ]
            .into_iter()
            .flatten()
            .min()
            .map(|e| content_start + e)
            .unwrap_or(row_end);
            let value = unescape(&strip_tags(&text[content_start..content_end]));
            let span = colspan(tag);
            cells.push(if value.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(value)
            });
            for _ in 1..span {
                cells.push(Cell::Empty);
            }
            cpos = content_end;
        }
        rows.push(cells);
        pos = row_end + 1;
        if pos >= end {
            break;
        }
    }
    Sheet {
        name: None,
        visible: true,
        rows,
    }
}

fn colspan(tag: &str) -> usize {
    tag.find("colspan")
        .and_then(|i| {
            let rest = &tag[i + 7..];
            let digits: String = rest
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse().ok()
        })
        .unwrap_or(1)
        .clamp(1, 256)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unescape(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_table() {
        let s = read_html("<html><body><p>x</p><table><tr><th>Offence</th><th colspan=2>Count</th></tr><tr><td>Grooming &amp; more</td><td>&lt;5</td></tr></table></body></html>");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].len(), 3);
        assert_eq!(s.cell(1, 0).text(), "Grooming & more");
        assert_eq!(s.cell(1, 1).text(), "<5");
    }
}
