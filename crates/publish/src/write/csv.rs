//! A table as CSV: RFC 4180, lines ending CRLF, text neutralised against
//! formulas.

use crate::table::Table;

pub fn csv_bytes(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(t.columns.iter().map(|c| c.name.as_str()))?;
    for row in &t.rows {
        for v in row {
            w.write_field(v.csv_text().as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
