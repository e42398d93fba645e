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

/// Judges a file's format from its first bytes (and, for zips, the names of
/// the entries, which sit in the local headers near the start).
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // ODS stores an uncompressed "mimetype" entry first.
        let head = &bytes[..bytes.len().min(200)];
        if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Format::Ods;
        }
        let look = &bytes[..bytes.len().min(64 * 1024)];
        if contains(look, b"xl/workbook")
            || contains(look, b"[Content_Types].xml") && contains(look, b"xl/")
        {
            return Format::Xlsx;
        }
        return Format::Zip;
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
}
