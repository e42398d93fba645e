//! Some force systems export an HTML table and name it .xls. Reads the
//! first `<table>`'s rows and cells; nothing else of HTML matters here.
//!
//! One pass over the text, each byte looked at a bounded number of times,
//! so a hostile page (a million cells on one row, a sea of '<') cannot make
//! it slow; the grid it builds is bounded by the sheet's cell limit.

use crate::grid::{Cell, ReadError, Sheet};
use foi_model::thousands;
use foi_model::Limits;

pub fn read_html(text: &str, limits: &Limits) -> Result<Sheet, ReadError> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<table").unwrap_or(0);
    let mut t = Table {
        text,
        limits,
        rows: Vec::new(),
        row: None,
        cell: None,
        width: 0,
    };
    let mut i = start;
    while let Some(off) = lower[i..].find('<') {
        let p = i + off;
        // A '<' with no '>' after it: nothing after it is a tag.
        let Some(gt) = lower[p..].find('>') else {
            break;
        };
        let tag = &lower[p + 1..p + gt];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let name_len = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        match (closing, &tag[..name_len]) {
            (false, "tr") => {
                t.close_cell(p)?;
                t.close_row();
                t.row = Some(Vec::new());
            }
            (true, "tr") => {
                t.close_cell(p)?;
                t.close_row();
            }
            (false, "td" | "th") => {
                t.close_cell(p)?;
                if t.row.is_none() {
                    t.row = Some(Vec::new());
                }
                t.cell = Some((p + gt + 1, colspan(tag)));
            }
            (true, "td" | "th") => t.close_cell(p)?,
            (true, "table") => {
                t.close_cell(p)?;
                t.close_row();
                break;
            }
            _ => {}
        }
        i = p + gt + 1;
    }
    t.close_cell(text.len())?;
    t.close_row();
    Ok(Sheet {
        name: None,
        visible: true,
        rows: t.rows,
    })
}

struct Table<'a> {
    text: &'a str,
    limits: &'a Limits,
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    /// The open cell: where its content starts, and its colspan.
    cell: Option<(usize, usize)>,
    width: usize,
}

impl Table<'_> {
    fn close_cell(&mut self, end: usize) -> Result<(), ReadError> {
        let Some((from, span)) = self.cell.take() else {
            return Ok(());
        };
        let value = unescape(&strip_tags(&self.text[from..end.max(from)]));
        let row = self.row.get_or_insert_with(Vec::new);
        row.push(if value.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::text_cell(&value)
        });
        row.extend(std::iter::repeat_n(Cell::Empty, span - 1));
        self.width = self.width.max(row.len());
        let spans = (self.rows.len() as u64 + 1).saturating_mul(self.width as u64);
        if spans > self.limits.max_cells_per_sheet {
            return Err(ReadError::TooLarge {
                what: format!(
                    "the HTML table spans {} cells by row {}",
                    thousands(spans),
                    self.rows.len() + 1
                ),
                limit: format!("{} cells", thousands(self.limits.max_cells_per_sheet)),
                setting: "max_cells_per_sheet",
                sheet: None,
                cell: None,
            });
        }
        Ok(())
    }
    fn close_row(&mut self) {
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
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
                .take(4)
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

    fn read(s: &str) -> Sheet {
        read_html(s, &Limits::DEFAULT).expect("reads")
    }

    #[test]
    fn reads_a_table() {
        let s = read("<html><body><p>x</p><table><tr><th>Offence</th><th colspan=2>Count</th></tr><tr><td>Grooming &amp; more</td><td>&lt;5</td></tr></table></body></html>");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].len(), 3);
        assert_eq!(s.cell(1, 0).text(), "Grooming & more");
        assert_eq!(s.cell(1, 1).text(), "<5");
    }

    #[test]
    fn unclosed_cells_and_rows() {
        let s = read("<table><tr><td>a<td><b>b</b><tr><td>c</table><table><tr><td>no</table>");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.cell(0, 1).text(), "b");
        assert_eq!(s.cell(1, 0).text(), "c");
    }

    #[test]
    fn hostile_pages_are_quick_and_bounded() {
        let many = format!("<table><tr>{}</tr></table>", "<td>1".repeat(200_000));
        let s = read(&many);
        assert_eq!(s.rows[0].len(), 200_000);
        let lt = "<".repeat(1_000_000);
        assert!(read(&lt).rows.is_empty());
        let limits = Limits {
            max_cells_per_sheet: 1000,
            ..Limits::DEFAULT
        };
        let wide = "<table><tr><td colspan=256>x</td><td colspan=256>y</td><td colspan=256>z</td><td colspan=256>w</td></tr></table>";
        assert!(read_html(wide, &limits).is_err());
    }
}
