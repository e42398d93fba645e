//! What a body must be before it may become a source's copy.
//!
//! Nothing is a reply: an empty body never is. Where the response reads
//! figures from a spreadsheet, the bytes must be one (xlsx, ods, xls, csv)
//! or an HTML page with a table (some force systems export a real table as
//! HTML, often named .xls); an HTML page without one is an error or login
//! page, and a PDF, a zip that is no workbook or unknown bytes cannot be
//! read either. A body that fails is kept aside, never cached as the copy.

use foi_model::Format;

/// Why a body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Empty,
    /// HTML with no `<table>`.
    HtmlPage,
    Pdf,
    /// A zip without a workbook in it.
    Zip,
    /// Neither a spreadsheet nor text: zero bytes where text has none.
    Unknown,
}

/// Whether `bytes` (sniffed as `format`) may become the copy of a source
/// that does (or does not) expect a spreadsheet.
pub(crate) fn check(expect_spreadsheet: bool, format: Format, bytes: &[u8]) -> Result<(), Refusal> {
    if format == Format::Empty {
        return Err(Refusal::Empty);
    }
    if !expect_spreadsheet || format.is_spreadsheet() {
        return Ok(());
    }
    match format {
        Format::Html if has_table(bytes) => Ok(()),
        Format::Html => Err(Refusal::HtmlPage),
        Format::Pdf => Err(Refusal::Pdf),
        Format::Zip => Err(Refusal::Zip),
        _ => Err(Refusal::Unknown),
    }
}

fn has_table(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"<table"))
}

impl Refusal {
    /// What arrived, for a person: "the server sent an HTML page (an error
    /// or login page?), not a spreadsheet".
    pub(crate) fn describe(self, remote: bool) -> String {
        let what = match (self, remote) {
            (Refusal::Empty, true) => "the server sent an empty file",
            (Refusal::Empty, false) => "the file is empty",
            (Refusal::HtmlPage, true) => "the server sent an HTML page (an error or login page?)",
            (Refusal::HtmlPage, false) => "the file is an HTML page with no table",
            (Refusal::Pdf, true) => "the server sent a PDF",
            (Refusal::Pdf, false) => "the file is a PDF",
            (Refusal::Zip, true) => "the server sent a zip archive that is not a workbook",
            (Refusal::Zip, false) => "the file is a zip archive that is not a workbook",
            (Refusal::Unknown, true) => {
                "the server sent a file that holds zero (NUL) bytes, so it is neither text nor a workbook foi knows"
            }
            (Refusal::Unknown, false) => {
                "the file holds zero (NUL) bytes, so it is neither text nor a workbook foi knows"
            }
        };
        if matches!(self, Refusal::Empty | Refusal::Unknown) {
            what.to_string()
        } else {
            format!("{what}, not a spreadsheet")
        }
    }
}

impl Refusal {
    /// What to do about it.
    pub(crate) fn hint(self, remote: bool) -> &'static str {
        match (self, remote) {
            (Refusal::Empty, true) => "try again later; if it stays empty, check the URL",
            (Refusal::HtmlPage, true) => {
                "open the kept page to see what the server said (a sign-in, a moved file, an error) and fix the URL in the response's config"
            }
            (Refusal::Empty | Refusal::HtmlPage, false) => {
                "put the spreadsheet the force sent at this path (not a web page or an empty file)"
            }
            (Refusal::Pdf, _) => {
                "type its figures into [[manual]] entries in the response's config, or ask the force for a spreadsheet"
            }
            (Refusal::Zip, _) => "open the kept archive: the spreadsheet may be inside it",
            (Refusal::Unknown, _) => {
                "it may be damaged: ask the force for a clean copy, as xlsx, ods, xls or csv"
            }
        }
    }
}

/// The extension a kept-aside file is given, so that it opens in the right
/// program.
pub(crate) fn extension(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "xlsx",
        Format::Ods => "ods",
        Format::Zip => "zip",
        Format::Xls => "xls",
        Format::Html => "html",
        Format::Pdf => "pdf",
        Format::Text { .. } => "txt",
        Format::Empty => "empty",
        Format::Unknown => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foi_model::sniff;

    fn judge(expect: bool, bytes: &[u8]) -> Result<(), Refusal> {
        check(expect, sniff(bytes), bytes)
    }

    #[test]
    fn what_may_become_a_copy() {
        let login = b"<!DOCTYPE html><html><body><form>Sign in</form></body></html>";
        let table = b"<html><body><TABLE><tr><td>88A</td><td>12</td></tr></TABLE></body></html>";
        assert_eq!(judge(true, b""), Err(Refusal::Empty));
        assert_eq!(judge(false, b""), Err(Refusal::Empty));
        assert_eq!(judge(true, login), Err(Refusal::HtmlPage));
        assert_eq!(judge(false, login), Ok(()));
        assert_eq!(judge(true, table), Ok(()));
        assert_eq!(judge(true, b"%PDF-1.4 ..."), Err(Refusal::Pdf));
        assert_eq!(judge(false, b"%PDF-1.4 ..."), Ok(()));
        assert_eq!(judge(true, b"PK\x03\x04 not a workbook"), Err(Refusal::Zip));
        assert_eq!(judge(true, b"\x00\x01\x02"), Err(Refusal::Unknown));
        assert_eq!(judge(true, b"offence,count\n88A,12\n"), Ok(()));
    }

    #[test]
    fn descriptions() {
        assert_eq!(
            Refusal::HtmlPage.describe(true),
            "the server sent an HTML page (an error or login page?), not a spreadsheet"
        );
        assert_eq!(
            Refusal::Empty.describe(true),
            "the server sent an empty file"
        );
        assert_eq!(
            Refusal::HtmlPage.describe(false),
            "the file is an HTML page with no table, not a spreadsheet"
        );
    }
}
