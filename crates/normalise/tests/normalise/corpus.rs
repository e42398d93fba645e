//! The bad-input corpus: how each file in fixtures/bad/ is made. The small
//! ones are committed (`FOI_BLESS=1 cargo test -p foi-normalise --test
//! normalise bad` rewrites them); the large ones (a zip bomb, a 10 MB line)
//! are made at test time by fixtures/bad/big.rs.

#[path = "../../../../fixtures/bad/big.rs"]
pub mod big;

use std::io::{Cursor, Write};

/// A cell of a hand-made sheet.
#[derive(Clone)]
pub enum X {
    S(String),
    N(f64),
    /// A formula whose cached value is an error ("#REF!").
    E(&'static str),
    /// A shared string, by index.
    Shared(usize),
}

fn s(t: &str) -> X {
    X::S(t.to_string())
}

/// Column letters of a zero-based column.
fn col_name(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' && c != '\r' {
                // XML 1.0 cannot hold most controls even escaped: Excel
                // writes them as _xHHHH_, which calamine decodes.
                format!("_x{:04X}_", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A worksheet's XML from (row, col, cell) triples, zero-based.
pub fn sheet_xml(cells: &[(u32, u32, X)], dimension: Option<&str>) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    if let Some(d) = dimension {
        out += &format!(r#"<dimension ref="{d}"/>"#);
    }
    out += "<sheetData>";
    let mut row: Option<u32> = None;
    for (r, c, x) in cells {
        if row != Some(*r) {
            if row.is_some() {
                out += "</row>";
            }
            out += &format!(r#"<row r="{}">"#, r + 1);
            row = Some(*r);
        }
        let at = format!("{}{}", col_name(*c), r + 1);
        out += &match x {
            X::S(t) => format!(
                r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                esc(t)
            ),
            X::N(n) => format!(r#"<c r="{at}"><v>{n}</v></c>"#),
            X::E(e) => format!(r#"<c r="{at}" t="e"><f>1/0</f><v>{}</v></c>"#, esc(e)),
            X::Shared(i) => format!(r#"<c r="{at}" t="s"><v>{i}</v></c>"#),
        };
    }
    if row.is_some() {
        out += "</row>";
    }
    out += "</sheetData></worksheet>";
    out
}

/// An xlsx of named sheets, plus any extra parts (name, body).
pub fn xlsx(sheets: &[(&str, String)], extra: &[(&str, String)]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        book += &format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            esc(name)
        );
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    if extra.iter().any(|(n, _)| *n == "xl/sharedStrings.xml") {
        types += r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#;
        rels += &format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
            sheets.len() + 1
        );
    }
    types += "</Types>";
    book += "</sheets></workbook>";
    rels += "</Relationships>";
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), types),
        ("_rels/.rels".into(), r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml".into(), book),
        ("xl/_rels/workbook.xml.rels".into(), rels),
    ];
    for (i, (_, xml)) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml.clone()));
    }
    for (n, body) in extra {
        parts.push((n.to_string(), body.clone()));
    }
    zip(
        &parts
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_bytes()))
            .collect::<Vec<_>>(),
        true,
    )
}

/// A zip of (name, body), deflated or stored, with fixed timestamps.
pub fn zip(parts: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        let method = if deflate && *name != "mimetype" {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(zip::DateTime::default());
        w.start_file(*name, opts).expect("start");
        w.write_all(body).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

pub const GOOD_ROWS: &[(&str, f64)] = &[
    ("Sexual grooming", 3.0),
    ("Rape of a female child under 13", 2.0),
    ("Sexual activity involving a child under 13", 4.0),
];

fn table(rows: &[(X, X)]) -> Vec<(u32, u32, X)> {
    let mut cells = vec![(0, 0, s("Offence")), (0, 1, s("Offences"))];
    for (i, (a, b)) in rows.iter().enumerate() {
        cells.push((i as u32 + 1, 0, a.clone()));
        cells.push((i as u32 + 1, 1, b.clone()));
    }
    cells
}

fn good_cells() -> Vec<(u32, u32, X)> {
    table(
        &GOOD_ROWS
            .iter()
            .map(|(l, n)| (s(l), X::N(*n)))
            .collect::<Vec<_>>(),
    )
}

pub fn good_xlsx() -> Vec<u8> {
    xlsx(&[("Data", sheet_xml(&good_cells(), None))], &[])
}

pub fn good_csv() -> Vec<u8> {
    let mut out = String::from("Offence,Offences\r\n");
    for (l, n) in GOOD_ROWS {
        out += &format!("{l},{n}\r\n");
    }
    out.into_bytes()
}

/// An OLE2 file holding what Office writes for a password-protected
/// workbook: EncryptionInfo and EncryptedPackage streams.
fn encrypted() -> Vec<u8> {
    let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
    let mut info = c.create_stream("/EncryptionInfo").expect("stream");
    info.write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0]).expect("w");
    info.write_all(b"<?xml version=\"1.0\"?><encryption/>")
        .expect("w");
    drop(info);
    let mut pkg = c.create_stream("/EncryptedPackage").expect("stream");
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    pkg.write_all(&noise).expect("w");
    drop(pkg);
    c.flush().expect("flush");
    c.into_inner().into_inner()
}

/// An ods whose one row, repeated a million times, repeats a valued cell
/// across every column: a few hundred bytes that lay out as 17 billion cells.
fn repeat_bomb_ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Data"><table:table-row><table:table-cell office:value-type="string"><text:p>Offence</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Offences</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content.as_bytes()),
            ("META-INF/manifest.xml", manifest.as_bytes()),
        ],
        true,
    )
}

/// Every committed bad file: (name, bytes).
pub fn committed() -> Vec<(&'static str, Vec<u8>)> {
    let good = good_xlsx();
    let mut huge = good_cells();
    huge.push((1_048_575, 16_383, X::N(1.0)));
    let shared = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="4000000000000"><si><t>Offence</t></si><si><t>Offences</t></si></sst>"#;
    let mut shared_cells = good_cells();
    shared_cells[0].2 = X::Shared(0);
    shared_cells[1].2 = X::Shared(1);
    let many: Vec<(String, String)> = (1..=200)
        .map(|i| {
            (
                format!("Sheet{i}"),
                sheet_xml(&if i == 1 { good_cells() } else { vec![] }, None),
            )
        })
        .collect();
    let many_refs: Vec<(&str, String)> =
        many.iter().map(|(n, x)| (n.as_str(), x.clone())).collect();
    let html = {
        let mut h = String::from("<html><head><meta charset=\"utf-8\"><title>FOI</title></head><body><table border=1><tr><th>Offence</th><th>Offences</th></tr>");
        for (l, n) in GOOD_ROWS {
            h += &format!("<tr><td>{l}</td><td>{n}</td></tr>");
        }
        h += "</table></body></html>";
        h.into_bytes()
    };
    vec![
        ("truncated.xlsx", good[..good.len() * 6 / 10].to_vec()),
        ("huge-dimension.xlsx", xlsx(&[("Data", sheet_xml(&huge, None))], &[])),
        (
            "dimension-claim.xlsx",
            xlsx(&[("Data", sheet_xml(&good_cells(), Some("A1:XFD1048576")))], &[]),
        ),
        (
            "shared-strings-count.xlsx",
            xlsx(
                &[("Data", sheet_xml(&shared_cells, None))],
                &[("xl/sharedStrings.xml", shared.to_string())],
            ),
        ),
        ("encrypted.xlsx", encrypted()),
        ("empty.csv", Vec::new()),
        ("xlsx-named.csv", good.clone()),
        ("csv-named.xlsx", good_csv()),
        ("html-named.xls", html),
        (
            "nul-bytes.csv",
            b"Offence,Offences\r\nSexual grooming,3\r\nRape of a female child under 13,2\0\r\n".to_vec(),
        ),
        (
            "mixed-line-endings.csv",
            b"Offence,Offences\r\nSexual grooming,3\nRape of a female child under 13,2\rSexual activity involving a child under 13,4\r\n".to_vec(),
        ),
        (
            "formula-errors.xlsx",
            xlsx(
                &[(
                    "Data",
                    sheet_xml(
                        &table(&[
                            (s("Sexual grooming"), X::N(3.0)),
                            (s("Rape of a female child under 13"), X::E("#REF!")),
                            (s("Sexual activity involving a child under 13"), X::E("#DIV/0!")),
                        ]),
                        None,
                    ),
                )],
                &[],
            ),
        ),
        (
            "spaces-only.xlsx",
            xlsx(
                &[(
                    "Data",
                    sheet_xml(
                        &table(&[
                            (s("Sexual grooming"), X::N(3.0)),
                            (s("Rape of a female child under 13"), s("   ")),
                            (s("Sexual activity involving a child under 13"), X::N(4.0)),
                        ]),
                        None,
                    ),
                )],
                &[],
            ),
        ),
        ("many-sheets.xlsx", xlsx(&many_refs, &[])),
        (
            "other-scripts.xlsx",
            xlsx(
                &[(
                    "Data",
                    sheet_xml(
                        &table(&[
                            (s("Sexual\u{1b}grooming\u{7}"), X::N(3.0)),
                            (s("\u{202E}Rape of a female child under 13"), X::N(2.0)),
                            (s("Сексуальное домогательство"), X::N(1.0)),
                            (s("الاستمالة الجنسية"), X::N(1.0)),
                        ]),
                        None,
                    ),
                )],
                &[],
            ),
        ),
        ("repeat-bomb.ods", repeat_bomb_ods()),
    ]
}

/// The bad files made at test time: (name, bytes).
pub fn generated() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("zip-bomb.xlsx", big::zip_bomb()),
        ("long-line.csv", big::long_line_csv()),
    ]
}
