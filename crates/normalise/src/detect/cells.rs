//! What a cell holds, as detection sees it, and the words it judges
//! headers and row labels by.

use crate::grid::Cell;
use crate::table::parse_date;
use crate::value::{parse_text, Parsed, Suppression};
use foi_model::fold_label;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Empty,
    /// A whole, non-negative count, written or as text ("57", "1,234",
    /// "<5", "*", "1-4", "12*", a marker such as "redacted").
    Count,
    /// A mark that stands where a count would: "..", "[x]", "n/a".
    Mark,
    /// A number that is no count: a fraction or below zero (a rate, a
    /// percentage, a change).
    Decimal,
    Date,
    Text,
}

impl Kind {
    /// A cell of a column of figures.
    pub fn is_figure(self) -> bool {
        matches!(self, Kind::Count | Kind::Mark)
    }
    pub fn is_value(self) -> bool {
        matches!(self, Kind::Count | Kind::Mark | Kind::Decimal | Kind::Date)
    }
}

/// What a cell holds. Dates written as text ("05-Jul-15", "2016-04-03")
/// are dates, so a column of them is a date column.
pub fn kind(cell: &Cell, sup: &Suppression) -> Kind {
    match cell {
        Cell::Empty => Kind::Empty,
        Cell::Number(n) => {
            if n.is_finite() && *n >= 0.0 && n.fract() == 0.0 && *n < 1e15 {
                Kind::Count
            } else {
                Kind::Decimal
            }
        }
        Cell::Date(_) => Kind::Date,
        Cell::Error(_) => Kind::Text,
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Kind::Empty;
            }
            // A date has digits and at least two separators or a month.
            if t.starts_with(|c: char| c.is_ascii_digit()) && parse_date(cell).is_some() {
                return Kind::Date;
            }
            match parse_text(t, sup) {
                Parsed::Count(_) => Kind::Count,
                Parsed::NotAvailable(_) => Kind::Mark,
                Parsed::Blank => Kind::Empty,
                Parsed::Invalid(_) => {
                    let numeric = t.replace([',', ' '], "");
                    if numeric.parse::<f64>().is_ok() || numeric.ends_with('%') {
                        Kind::Decimal
                    } else {
                        Kind::Text
                    }
                }
            }
        }
    }
}

/// Words that say a row or column is a total: "Total", "Grand Total",
/// "Total victims", "Cyfanswm / Total", "All offences".
pub fn is_total(text: &str) -> bool {
    let f = fold_label(foi_model::config::strip_footnote_digits(text.trim()));
    let words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [] => false,
        ["total", ..] | ["grand", "total", ..] | ["totals", ..] | ["cyfanswm", ..] => true,
        [.., "total"] | [.., "totals"] => true,
        ["all"] | ["all", "offences" | "crimes" | "crime" | "ages" | "victims"] => true,
        ["overall"] | ["sum"] => true,
        _ => false,
    }
}

/// The class of thing a unit word counts: "offences" and "crimes" alike.
pub fn unit_class(word: &str) -> Option<&'static str> {
    let w = word.trim_end_matches('s');
    Some(match w {
        // Welsh forces answer in both languages: "Troseddau / Offences".
        "offence" | "offense" | "crime" | "offences" | "trosedd" | "troseddau" => "offences",
        "victim" | "dioddefwr" | "dioddefwyr" => "victims",
        "incident" => "incidents",
        "arrest" => "arrests",
        "person" | "people" => "people",
        "suspect" | "offender" | "perpetrator" => "suspects",
        _ => return None,
    })
}

/// Words a header of a count column may hold besides its period and its
/// unit: "Number of offences", "Count", "No.", "Offences recorded".
pub fn is_generic_word(word: &str) -> bool {
    matches!(
        word,
        "number"
            | "numbers"
            | "no"
            | "count"
            | "counts"
            | "of"
            | "the"
            | "total"
            | "recorded"
            | "figure"
            | "figures"
            | "in"
            | "for"
            | "during"
            | "period"
            | "a"
            | "an"
            | "all"
            | "n"
            | "volume"
            | "amount"
            | "frequency"
            | "freq"
            | "data"
            | "value"
            | "values"
            | "nos"
            // Welsh: "Nifer / Number", "Rhif", "Cyfanswm / Total".
            | "nifer"
            | "rhif"
            | "cyfanswm"
    )
}

/// The first words of a header or title row, for messages: cut at `n` chars.
pub fn short(text: &str, n: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Welsh force's bilingual header is read by both its halves.
    #[test]
    fn welsh_headers_say_what_english_ones_do() {
        assert!(["nifer", "number"].iter().all(|w| is_generic_word(w)));
        assert!(is_generic_word("cyfanswm"));
        assert_eq!(unit_class("troseddau"), Some("offences"));
        assert_eq!(unit_class("dioddefwyr"), Some("victims"));
    }
    use foi_model::config::Zeros;

    #[test]
    fn kinds() {
        let sup = Suppression {
            zeros: Zeros::NotStated,
            threshold: 5,
            markers: None,
            scale: foi_model::Scale::COUNT,
        };
        let k = |c: Cell| kind(&c, &sup);
        let t = |s: &str| Cell::Text(s.into());
        assert_eq!(k(Cell::Number(12.0)), Kind::Count);
        assert_eq!(k(Cell::Number(12.5)), Kind::Decimal);
        assert_eq!(k(Cell::Number(-3.0)), Kind::Decimal);
        assert_eq!(k(t("1,234")), Kind::Count);
        assert_eq!(k(t("<5")), Kind::Count);
        // "*" is a count only where the campaign's markers say so.
        assert_eq!(k(t("*")), Kind::Text);
        assert_eq!(k(t("12*")), Kind::Count);
        assert_eq!(k(t("..")), Kind::Mark);
        assert_eq!(k(t("[x]")), Kind::Mark);
        assert_eq!(k(t("12.5%")), Kind::Decimal);
        assert_eq!(k(t("05-Jul-15")), Kind::Date);
        assert_eq!(k(t("2016-04-03")), Kind::Date);
        assert_eq!(k(t("Under 10")), Kind::Text);
        assert_eq!(k(t("Total")), Kind::Text);
        assert_eq!(k(t("  ")), Kind::Empty);
    }

    #[test]
    fn totals() {
        for t in [
            "Total",
            "TOTAL ",
            "Grand Total",
            "Total victims",
            "Cyfanswm / Total",
            "Total (offences listed)",
            "Total recorded crime (excluding fraud4)",
            "All offences",
        ] {
            assert!(is_total(t), "{t}");
        }
        for t in [
            "Sexual offences",
            "All other theft offences",
            "Offence",
            "Totally",
        ] {
            assert!(!is_total(t), "{t}");
        }
    }
}
