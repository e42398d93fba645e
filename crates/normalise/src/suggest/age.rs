//! Age labels the general rules ([`parse_age_label`]) did not read, read
//! again after tidying what forces add around an age: units glued on
//! ("13yrs"), symbols ("<10", "U10", "16+"), number words ("under ten"),
//! "aged" in front, "and above" for "and over"; and the words forces use
//! for an age they do not know.

use foi_model::config::parse_age_label;
use foi_model::DimValue;

/// One reading of an age label: the value, how sure, and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub value: DimValue,
    pub score: f64,
    pub reason: String,
}

fn number_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "zero" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        _ => return None,
    })
}

/// The label's words, tidied: lower case, numbers apart from letters,
/// symbols as words, units and "aged" dropped, number words as digits.
fn tidy(label: &str) -> Vec<String> {
    let mut spaced = String::new();
    let mut prev: Option<char> = None;
    for c in label.chars() {
        let c = match c {
            '–' | '—' => '-',
            c => c,
        };
        if prev.is_some_and(|p| {
            p.is_alphanumeric() && c.is_alphanumeric() && p.is_ascii_digit() != c.is_ascii_digit()
        }) {
            spaced.push(' ');
        }
        match c {
            '<' => spaced.push_str(" under "),
            '>' => spaced.push_str(" over "),
            '&' => spaced.push_str(" and "),
            '+' => spaced.push_str(" and over "),
            '-' => spaced.push_str(" - "),
            '/' => spaced.push(' '),
            c if c.is_alphanumeric() => spaced.extend(c.to_lowercase()),
            _ => spaced.push(' '),
        }
        prev = Some(c);
    }
    let mut out: Vec<String> = Vec::new();
    for w in spaced.split_whitespace() {
        let w = number_word(w).unwrap_or(w);
        match w {
            "yrs" | "yr" | "year" | "years" | "old" | "yo" | "y" | "o" | "victim" | "victims"
            | "s" => {}
            "aged" | "age" if out.is_empty() => {}
            "u" => out.push("under".into()),
            "above" | "older" | "plus" => out.push("over".into()),
            "below" | "younger" | "less" => out.push("under".into()),
            _ => out.push(w.to_string()),
        }
    }
    // "13 and over and over" from "13+ and over".
    out.dedup();
    out
}

/// Whether the words say the age is not known.
fn not_known(words: &[String]) -> bool {
    let has = |w: &str| words.iter().any(|x| x == w);
    has("unknown")
        || has("nk")
        || has("blank")
        || (has("n") && has("k") && words.len() == 2)
        || ((has("not") || has("no") || has("un"))
            && (has("known")
                || has("recorded")
                || has("stated")
                || has("given")
                || has("provided")))
}

/// The ways an age label may be read, best first; empty when none.
pub fn readings(label: &str) -> Vec<Reading> {
    let words = tidy(label);
    if words.is_empty() {
        return Vec::new();
    }
    if not_known(&words) {
        return vec![Reading {
            value: DimValue::Unknown,
            score: 0.9,
            reason: format!("{label:?} says the age is not known"),
        }];
    }
    let tidied = words.join(" ");
    // "over 16" is 17 and over to some, 16 and over to others.
    if let [over, n] = words.as_slice() {
        if over == "over" {
            if let Ok(n) = n.parse::<u8>() {
                let more = n.saturating_add(1);
                return vec![
                    Reading {
                        value: DimValue::AgeBand { lo: more, hi: None },
                        score: 0.7,
                        reason: format!("\"over {n}\" read as older than {n}"),
                    },
                    Reading {
                        value: DimValue::AgeBand { lo: n, hi: None },
                        score: 0.65,
                        reason: format!("\"over {n}\" read as {n} and over"),
                    },
                ];
            }
        }
    }
    match parse_age_label(&tidied) {
        Some(v) => vec![Reading {
            value: v,
            score: 0.95,
            reason: format!("read as {tidied:?} by the general age rules"),
        }],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(label: &str) -> Vec<String> {
        readings(label)
            .into_iter()
            .map(|r| r.value.to_string())
            .collect()
    }

    #[test]
    fn what_forces_add_around_an_age() {
        assert_eq!(read("13yrs"), ["13"]);
        assert_eq!(read("Aged 13 years"), ["13"]);
        assert_eq!(read("<10"), ["0-9"]);
        assert_eq!(read("U10"), ["0-9"]);
        assert_eq!(read("Under ten"), ["0-9"]);
        assert_eq!(read("Aged 10 – 12"), ["10-12"]);
        assert_eq!(read("10 yrs & under"), ["0-10"]);
        assert_eq!(read("16 and above"), ["16+"]);
        assert_eq!(read("Age 16+"), ["16+"]);
        assert_eq!(read("Over 16"), ["17+", "16+"]);
    }

    #[test]
    fn ages_not_known() {
        for label in [
            "Age unknown",
            "N/K",
            "Not Known",
            "DOB not recorded",
            "Blank",
            "Age not given",
        ] {
            assert_eq!(read(label), ["unknown"], "{label}");
        }
        assert!(read("Total").is_empty());
        assert!(read("Offences").is_empty());
    }
}
