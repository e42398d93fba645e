//! Reading a config table: a csv file with a header, `#` comments, each
//! row deserialised by its header's names, an error at the row's line.

use crate::ConfigError;
use serde::de::DeserializeOwned;

/// The rows of `text` (the file `file`), each with its line.
pub fn csv_rows<T: DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<Vec<(usize, T)>, ConfigError> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ConfigError::at(file, line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| {
            line_past_comments(text, p.byte() as usize, p.line() as usize)
        });
        let row: T = record
            .deserialize(Some(&headers))
            .map_err(|e| ConfigError::at(file, line, e.to_string()))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// The line a record starts on: the csv reader's position is where it
/// began reading, before any comment lines it skipped.
fn line_past_comments(text: &str, mut at: usize, mut line: usize) -> usize {
    while text.get(at..).is_some_and(|rest| rest.starts_with('#')) {
        match text[at..].find('\n') {
            Some(end) => {
                at += end + 1;
                line += 1;
            }
            None => break,
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Row {
        written: String,
    }

    #[test]
    fn rows_carry_their_lines_and_a_bad_row_names_its_line() {
        let text = "written\n# a comment\nknife\nweapon\n";
        let rows: Vec<(usize, Row)> = csv_rows("t.csv", text).expect("rows");
        let got: Vec<(usize, &str)> = rows.iter().map(|(l, r)| (*l, r.written.as_str())).collect();
        assert_eq!(got, [(3, "knife"), (4, "weapon")]);
        let err = csv_rows::<Row>("t.csv", "other\nx\n")
            .err()
            .expect("missing column");
        assert!(err.to_string().starts_with("t.csv:2:"), "{err}");
    }
}
