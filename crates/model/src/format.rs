use crate::zipdir;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a file really is, judged from its bytes, never from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Office Open XML workbook (a zip with xl/workbook.xml).
    Xlsx,
    /// OpenDocument spreadsheet (a zip whose mimetype says so).
    Ods,
    /// Any other zip.
    Zip,
    /// OLE2 compound file: BIFF8 .xls, or an encrypted xlsx.
    Xls,
    Html,
    Pdf,
    /// Plain text (csv): UTF-8, or else assumed Windows-1252.
    Text {
        utf8: bool,
    },
    Empty,
    Unknown,
}

impl Format {
    pub fn is_spreadsheet(&self) -> bool {
        matches!(
            self,
            Format::Xlsx | Format::Ods | Format::Xls | Format::Text { .. }
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Zip => "zip",
            Format::Xls => "xls",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Text { utf8: true } => "text (utf-8)",
            Format::Text { utf8: false } => "text (windows-1252)",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        })
    }
}

/// Judges a file's format from its bytes, never from its name.
///
/// A zip is judged by what its central directory lists, so the order its
/// writer put the entries in does not matter. Everything else by its first bytes: the OLE2 signature (xls), `%PDF`,
/// an HTML start, or else text. Fast on any input (a zip's directory is
/// read, never its contents) and never panics.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Format::Xls;
    }
    if bytes.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    let head = &bytes[..bytes.len().min(2048)];
    let start = head
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(head)
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| {
            &head[i + if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
                3
            } else {
                0
            }..]
        })
        .unwrap_or(&[]);
    let lower: Vec<u8> = start
        .iter()
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && (contains(&lower, b"<table") || contains(&lower, b"<body")))
    {
        return Format::Html;
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Format::Unknown;
    }
    Format::Text {
        utf8: std::str::from_utf8(bytes).is_ok(),
    }
}

const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// A zip: an OpenDocument spreadsheet when its `mimetype` entry (stored
/// uncompressed, as the standard requires) says so; an Office Open XML
/// workbook when it has `xl/workbook.xml` (or `.bin`), or
/// `[Content_Types].xml` and parts under `xl/`; else any other zip.
///
/// Without a central directory (a file cut short) the local headers in the
/// first 64 KiB are looked at instead, so that a damaged workbook is still
/// called a workbook and its reader says what is wrong with it.
fn sniff_zip(bytes: &[u8]) -> Format {
    let Some(entries) = zipdir::entries(bytes) else {
        return sniff_zip_head(bytes);
    };
    let (mut content_types, mut xl_part) = (false, false);
    for e in entries {
        if e.name == b"mimetype" {
            let ods = zipdir::stored_prefix(bytes, &e, ODS_MIMETYPE.len() + 2)
                .is_some_and(|m| m.trim_ascii() == ODS_MIMETYPE);
            if ods {
                return Format::Ods;
            }
        } else if e.name.eq_ignore_ascii_case(b"xl/workbook.xml")
            || e.name.eq_ignore_ascii_case(b"xl/workbook.bin")
        {
            return Format::Xlsx;
        } else if e.name.eq_ignore_ascii_case(b"[Content_Types].xml") {
            content_types = true;
        } else if e.name.len() > 3 && e.name[..3].eq_ignore_ascii_case(b"xl/") {
            xl_part = true;
        }
    }
    if content_types && xl_part {
        Format::Xlsx
    } else {
        Format::Zip
    }
}

/// [`sniff_zip`] for a zip with no central directory: the entry names in
/// the local headers near the start.
fn sniff_zip_head(bytes: &[u8]) -> Format {
    // ODS stores an uncompressed "mimetype" entry first.
    let head = &bytes[..bytes.len().min(200)];
    if contains(head, ODS_MIMETYPE) {
        return Format::Ods;
    }
    let look = &bytes[..bytes.len().min(64 * 1024)];
    if contains(look, b"xl/workbook")
        || contains(look, b"[Content_Types].xml") && contains(look, b"xl/")
    {
        return Format::Xlsx;
    }
    Format::Zip
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b""), Format::Empty);
        assert_eq!(sniff(b"%PDF-1.4"), Format::Pdf);
        assert_eq!(sniff(b"  <html><body><table>"), Format::Html);
        assert_eq!(sniff(b"\xEF\xBB\xBF<!DOCTYPE html>"), Format::Html);
        assert_eq!(sniff(b"a,b\n1,2\n"), Format::Text { utf8: true });
        assert_eq!(sniff(b"caf\xe9,1\n"), Format::Text { utf8: false });
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Format::Xls
        );
    }

    #[test]
    fn a_zip_is_what_its_central_directory_lists() {
        use crate::zipdir::tests::zip;
        let sheet = vec![b'x'; 200_000];
        // openpyxl's order: the sheet first, the workbook and content
        // types last, far past the first 64 KiB.
        let openpyxl = zip(
            &[
                ("xl/worksheets/sheet1.xml", &sheet),
                ("xl/workbook.xml", b"<workbook/>"),
                ("[Content_Types].xml", b"<Types/>"),
            ],
            b"",
        );
        assert_eq!(sniff(&openpyxl), Format::Xlsx);
        let parts = zip(
            &[
                ("xl/worksheets/sheet1.xml", &sheet),
                ("[Content_Types].xml", b"<Types/>"),
            ],
            b"",
        );
        assert_eq!(sniff(&parts), Format::Xlsx);
        let ods = zip(&[("content.xml", &sheet), ("mimetype", ODS_MIMETYPE)], b"");
        assert_eq!(sniff(&ods), Format::Ods);
        let odt = zip(
            &[("mimetype", b"application/vnd.oasis.opendocument.text")],
            b"",
        );
        assert_eq!(sniff(&odt), Format::Zip);
        let other = zip(&[("report.docx", &sheet), ("xl.txt", b"1")], b"");
        assert_eq!(sniff(&other), Format::Zip);
        assert_eq!(sniff(&zip(&[], b"")), Format::Zip);
        // Cut short, it has no directory: the first local headers decide.
        assert_eq!(sniff(&openpyxl[..100]), Format::Zip);
        let excel = zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/worksheets/sheet1.xml", &sheet),
            ],
            b"",
        );
        assert_eq!(sniff(&excel[..150_000]), Format::Xlsx);
    }
}
