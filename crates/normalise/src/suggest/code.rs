//! Offence codes written in a label in the forms the general rules
//! ([`foi_model::config::find_code_in_label`]) leave alone, so that a
//! label they did not map still says which category it means: a category
//! split or marked ("Cat. 22 B", "#88A"), a bare category number after a
//! word that announces it or at the end ("Class 21 - …", "… - 86"), and
//! Home Office codes ("022/18", "88/01"), which name a category through
//! the reference.

use super::reference::Reference;
use foi_model::config::find_code_in_label;
use std::collections::BTreeSet;

/// A code found in a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeHit {
    /// An offence category, as written ("22 B").
    Category { code: String, written: String },
    /// A Home Office code and the categories it is counted under (usually
    /// one; the "multiple undefined offenders" rape categories share theirs).
    HoCode {
        ho_code: String,
        written: String,
        categories: Vec<String>,
    },
}

/// Words that announce a code: "Class 21", "Offence 71:", "HOC 86".
fn announces(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().trim_end_matches('.'),
        "class" | "cat" | "category" | "code" | "offence" | "hoc" | "ho" | "crime" | "type" | "no"
    )
}

/// Words after which a number is an age, never a code: "under 13".
fn age_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "under" | "over" | "aged" | "age" | "u" | "to" | "and" | "plus" | "than" | "<" | ">"
    )
}

/// Every code written in `label` that names a category of `domain`.
pub fn codes_in_label(
    label: &str,
    domain: &BTreeSet<String>,
    reference: Option<&Reference>,
) -> Vec<CodeHit> {
    let mut out: Vec<CodeHit> = Vec::new();
    let mut push = |hit: CodeHit| {
        if !out.contains(&hit) {
            out.push(hit);
        }
    };
    if let Some(code) = find_code_in_label(label, domain) {
        push(CodeHit::Category {
            written: code.clone(),
            code,
        });
    }
    // Tokens keep '/' (Home Office codes, "4/1"); "<" and ">" stand alone
    // so that "<13" reads as an age.
    let spaced = label.replace('<', " < ").replace('>', " > ");
    let tokens: Vec<&str> = spaced
        .split(|c: char| {
            c.is_whitespace()
                || matches!(c, '(' | ')' | '[' | ']' | ',' | ':' | ';' | '-' | '–' | '—')
        })
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric() && c != '<' && c != '>'))
        .filter(|t| !t.is_empty())
        .collect();
    let n = tokens.len();
    for (i, tok) in tokens.iter().enumerate() {
        let after_age = i > 0 && age_word(tokens[i - 1]);
        // A Home Office code: 1-3 digits, '/', 1-2 digits.
        if let Some((a, b)) = tok.split_once('/') {
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            if domain.contains(*tok) {
                push(CodeHit::Category {
                    code: tok.to_string(),
                    written: tok.to_string(),
                });
            } else if digits(a) && digits(b) && a.len() <= 3 && b.len() <= 2 && !after_age {
                let ho_code = format!("{a:0>3}/{b:0>2}");
                if let Some(r) = reference {
                    let categories: Vec<String> = r
                        .categories_of_ho_code(&ho_code)
                        .into_iter()
                        .filter(|c| domain.contains(*c))
                        .map(str::to_string)
                        .collect();
                    if !categories.is_empty() {
                        push(CodeHit::HoCode {
                            ho_code,
                            written: tok.to_string(),
                            categories,
                        });
                    }
                }
            }
            continue;
        }
        let digits: String = tok.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || after_age {
            continue;
        }
        let number = digits.trim_start_matches('0');
        let rest = &tok[digits.len()..];
        if rest.len() == 1 && rest.chars().all(|c| c.is_ascii_alphabetic()) {
            let code = format!("{number}{}", rest.to_ascii_uppercase());
            if domain.contains(&code) {
                push(CodeHit::Category {
                    code,
                    written: tok.to_string(),
                });
            }
            continue;
        }
        if !rest.is_empty() {
            continue;
        }
        // "22 B": the letter written apart.
        if let Some(next) = tokens.get(i + 1) {
            if next.len() == 1 && next.chars().all(|c| c.is_ascii_alphabetic()) {
                let code = format!("{number}{}", next.to_ascii_uppercase());
                if domain.contains(&code) {
                    push(CodeHit::Category {
                        code,
                        written: format!("{tok} {next}"),
                    });
                    continue;
                }
            }
        }
        let announced = i > 0 && announces(tokens[i - 1]);
        if (i == 0 || i + 1 == n || announced) && domain.contains(number) {
            push(CodeHit::Category {
                code: number.to_string(),
                written: tok.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain() -> BTreeSet<String> {
        [
            "13", "21", "22B", "23", "71", "86", "88A", "4/1", "19D", "19J",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn reference() -> Reference {
        Reference::from_csv(
            "offences.csv",
            "category,category_name,ho_code,offence,offence_class,sub_class
22B,Sexual Activity involving a Child under 16,022/18,Sexual activity with a child under 16,x,y
88A,Sexual Grooming,088/01,Meeting a female child following sexual grooming,x,y
19D,Rape of a Female Child under 16,019/07,Rape of a female aged under 16,x,y
19J,Rape of a female - multiple undefined offenders,019/07,Rape of a female aged under 16,x,y
",
        )
        .expect("reference")
    }

    fn codes(label: &str) -> Vec<String> {
        codes_in_label(label, &domain(), Some(&reference()))
            .into_iter()
            .map(|h| match h {
                CodeHit::Category { code, .. } => code,
                CodeHit::HoCode {
                    ho_code,
                    categories,
                    ..
                } => format!("{ho_code}={}", categories.join("|")),
            })
            .collect()
    }

    #[test]
    fn codes_in_the_forms_forces_write_them() {
        assert_eq!(codes("Cat. 22 B Sexual activity with a child"), ["22B"]);
        assert_eq!(codes("Obscene publications - 86"), ["86"]);
        assert_eq!(codes("Class 21 - Sexual activity"), ["21"]);
        assert_eq!(codes("Offence 71: Child sexual exploitation"), ["71"]);
        assert_eq!(codes("Sexual grooming #88A"), ["88A"]);
        assert_eq!(codes("Manslaughter 4/1"), ["4/1"]);
        assert_eq!(
            codes("Sexual activity with a child u16 - 22/18"),
            ["022/18=22B"]
        );
        assert_eq!(codes("Sexual grooming 088/01"), ["088/01=88A"]);
        assert_eq!(codes("Rape (019/07)"), ["019/07=19D|19J"]);
    }

    #[test]
    fn ages_are_not_codes() {
        assert!(codes("Sexual assault on a female child under 13").is_empty());
        assert!(codes("Rape of a girl aged under 13").is_empty());
        assert!(codes("Sexual activity with a child aged 13 to 21").is_empty());
        assert!(codes("Rape F <13").is_empty());
        assert!(codes("Sexual assault U13").is_empty());
    }
}
