//! Offence codes written in a label in the forms the general rules
//! ([`foi_model::config::find_code_in_label`]) leave alone, so that a
//! label they did not map still says which category it means: a category
//! split or marked ("Cat. 22 B", "#88A", "NFIB 50"), a bare category number
//! after a word that announces it or at the end ("Class 21 - …", "… - 86"),
//! and Home Office codes ("022/18", "88/01", "073-07"), which name a
//! category through the reference.
//!
//! A code that can mean more than one category is never taken for one
//! ([`CodeHit::sure`]): a Home Office code the reference counts under
//! several (the rape codes under 19C–19H and 19J/19K), a code whose class
//! number is another category (codes move: 083/05 is counted under 80 since
//! 2017, under 83 before), a bare number that is also a Home Office class
//! spanning other categories ("71": category 71, or class 071, whose
//! 071/17 is 88A), and a number that may be an age ("Girls 13").

use super::reference::Reference;
use std::collections::BTreeSet;

/// A code found in a label: what it is as written, and every category it
/// may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeHit {
    /// As written ("22 B", "083/05").
    pub written: String,
    pub code: Written,
    /// The categories it may mean, its plain reading first.
    pub categories: Vec<String>,
    /// Why it may mean another category than its plain reading, or be no
    /// code at all.
    pub doubts: Vec<Doubt>,
}

/// What a code in a label is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// An offence category ("22B").
    Category(String),
    /// A Home Office code ("022/18").
    HoCode(String),
    /// A Home Office class ("HO 19": the codes 019/xx), not a category.
    HoClass(String),
}

/// Why a code may not mean the one category it reads as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doubt {
    /// The reference counts the Home Office code under several categories.
    SharedCode,
    /// The number is also the Home Office class whose codes are counted
    /// under these other categories too ("71": 071/17 is 88A).
    AlsoHoClass(Vec<String>),
    /// The code's class number is this other category: the code may have
    /// been counted there before it moved ("083/05": 83, now 80).
    ClassIsCategory(String),
    /// A bare number that may be an age ("Girls 13", "Rape F 16").
    MaybeAge,
    /// A bare number no word announces as a category ("Sacrilege (27)"):
    /// it may be of another classification, as an older Home Office
    /// table's class numbers are ("27" was sacrilege, now soliciting).
    Unannounced,
}

impl CodeHit {
    /// Names one category, with nothing to doubt: the only kind of code a
    /// suggestion may be accepted on without review.
    pub fn sure(&self) -> bool {
        self.categories.len() == 1 && self.doubts.is_empty()
    }

    /// "the Home Office code 083/05's class number is category 83 (codes move)".
    pub fn doubt_text(&self) -> Option<String> {
        let d = self.doubts.first()?;
        Some(match d {
            Doubt::SharedCode => "counted under several categories".to_string(),
            Doubt::AlsoHoClass(c) => format!(
                "also the Home Office class whose codes are counted under {}",
                c.join(", ")
            ),
            Doubt::ClassIsCategory(c) => {
                format!("its class number is category {c} (codes move between categories)")
            }
            Doubt::MaybeAge => "it may be an age".to_string(),
            Doubt::Unannounced => {
                "a number alone may be another classification's, as older Home Office tables' are"
                    .to_string()
            }
        })
    }
}

/// Words that announce a code: "Class 21", "Offence 71:", "HOC 86".
pub fn announces(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().trim_end_matches('.'),
        "class" | "cat" | "category" | "code" | "offence" | "hoc" | "ho" | "crime" | "type" | "no"
    )
}

/// Words that announce a Home Office class rather than a category.
fn announces_ho(w: &str) -> bool {
    matches!(w.to_ascii_lowercase().as_str(), "ho" | "hoc" | "office")
}

/// Words after which a number is an age, never a code: "under 13".
fn age_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "under"
            | "over"
            | "aged"
            | "age"
            | "ages"
            | "u"
            | "to"
            | "and"
            | "plus"
            | "than"
            | "<"
            | ">"
    )
}

/// Words after which a number says an age: "13 yrs", "13 and over".
fn age_after(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().trim_end_matches('.'),
        "yrs"
            | "yr"
            | "years"
            | "year"
            | "yo"
            | "plus"
            | "and"
            | "or"
            | "over"
            | "under"
            | "older"
            | "younger"
            | "above"
            | "below"
            | "+"
    )
}

/// Words after which a number is a statute's section, never a code:
/// "s 39", "Section 47", "Sec 15 SOA 2003".
fn section_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().trim_end_matches('.'),
        "s" | "ss"
            | "sec"
            | "secs"
            | "sect"
            | "section"
            | "sections"
            | "art"
            | "article"
            | "reg"
            | "regulation"
            | "para"
            | "paragraph"
            | "sch"
            | "schedule"
            | "act"
            | "rule"
    )
}

/// A section written as one token: "s40D", "S.18", "sec139A".
fn section_ref(t: &str) -> bool {
    let letters: String = t.chars().take_while(char::is_ascii_alphabetic).collect();
    let rest = t[letters.len()..].trim_start_matches('.');
    !letters.is_empty() && section_word(&letters) && rest.starts_with(|c: char| c.is_ascii_digit())
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A token and the character written right after it ('+', '-', …).
struct Token<'a> {
    text: &'a str,
    after: Option<char>,
    /// In a bracket glued to a number before it: a subsection
    /// ("s.40D(3A)", "s.31(1)(c)"), never a code.
    subsection: bool,
}

/// Tokens keep '/' (Home Office codes, "4/1"); "<" and ">" stand alone so
/// that "<13" reads as an age.
fn tokens(label: &str) -> Vec<Token<'_>> {
    let split = |c: char| {
        c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ':' | ';' | '-' | '–' | '—')
    };
    let mut out = Vec::new();
    let mut start = None;
    let chars: Vec<(usize, char)> = label.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let cut = split(c) || matches!(c, '<' | '>' | '+');
        if cut {
            if let Some(s) = start.take() {
                let mut t = token(&label[s..i], Some(c));
                let before = label[..s].chars().rev().take(2).collect::<Vec<char>>();
                let glued =
                    matches!(before.as_slice(), ['(', p] if p.is_alphanumeric() || *p == ')');
                let bracketed = label[..s].trim_end().ends_with('(');
                // "s40D", or "s" then "40D": the section a bracket after it
                // is a subsection of, with a space between or none.
                let cited = |o: &[Token]| match o {
                    [.., p] if section_ref(p.text) => true,
                    [.., w, n] => {
                        section_word(w.text) && n.text.starts_with(|c: char| c.is_ascii_digit())
                    }
                    _ => false,
                };
                t.subsection = (glued
                    && out
                        .last()
                        .is_some_and(|p: &Token| p.text.contains(|c: char| c.is_ascii_digit())))
                    || (bracketed && cited(&out));
                out.push(t);
            }
            if matches!(c, '<' | '>' | '+') {
                let next = chars.get(k + 1).map(|x| x.1);
                out.push(token(&label[i..i + c.len_utf8()], next));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(token(&label[s..], None));
    }
    out.retain(|t| !t.text.is_empty());
    out
}

fn token(raw: &str, after: Option<char>) -> Token<'_> {
    Token {
        text: raw
            .trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '<' | '>' | '+' | '/')),
        after,
        subsection: false,
    }
}

/// Every code written in `label` that names a category of `domain`.
pub fn codes_in_label(
    label: &str,
    domain: &BTreeSet<String>,
    reference: Option<&Reference>,
) -> Vec<CodeHit> {
    let mut out: Vec<CodeHit> = Vec::new();
    let bracketed: Vec<&str> = label
        .split(['(', '['])
        .skip(1)
        .filter_map(|s| s.split([')', ']']).next())
        .map(str::trim)
        .collect();
    let tokens = tokens(label);
    let n = tokens.len();
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text);
    // The token after letters it was read with ("5E" of "NFIB 5E"): no
    // category of its own.
    let mut joined = None;
    for (i, tok) in tokens.iter().enumerate() {
        if tok.subsection || joined == Some(i) {
            continue;
        }
        let t = tok.text;
        let prev = if i > 0 { text(i - 1) } else { "" };
        let after_age = age_word(prev);
        let section = section_word(prev);
        // A Home Office code: 1-3 digits, '/', 1-2 digits ("022/18", "23/4");
        // or 3 digits, '-' or '.', 2 digits ("073-07", "073.07").
        let ho = t.split_once('/').or_else(|| t.split_once('.')).or_else(|| {
            (digits(t) && t.len() == 3 && tok.after == Some('-'))
                .then(|| (t, text(i + 1)))
                .filter(|(_, b)| digits(b) && b.len() == 2)
        });
        if let Some((a, b)) = ho {
            // "Cat 4.1": a category written with a slash, written with a
            // point, where a word announces a code (alone, "4.1" may be
            // anything).
            let slashed = format!("{a}/{b}");
            let announced_point = t.contains('.') && i > 0 && announces(prev);
            if domain.contains(t) {
                push(&mut out, category(t, t, domain, reference));
            } else if announced_point && domain.contains(&slashed) {
                push(&mut out, category(&slashed, t, domain, reference));
            } else if digits(a) && b.len() == 1 && b.chars().all(|c| c.is_ascii_alphabetic()) {
                // "022/B": a category with its letter set apart.
                let code = format!("{}{}", a.trim_start_matches('0'), b.to_ascii_uppercase());
                if domain.contains(&code) {
                    push(&mut out, category(&code, t, domain, reference));
                }
            } else if digits(a)
                && digits(b)
                && a.len() <= 3
                && b.len() <= 2
                && !after_age
                && !section
            {
                let dotted = t.contains('.') && a.len() < 3 && !announced_point;
                if let (Some(r), false) = (reference, dotted) {
                    let written = if t.contains('/') || t.contains('.') {
                        t.to_string()
                    } else {
                        format!("{a}-{b}")
                    };
                    push(
                        &mut out,
                        ho_code(&format!("{a:0>3}/{b:0>2}"), &written, domain, r),
                    );
                }
            }
            continue;
        }
        // "NFIB90", "nfib5e": a category that begins with letters, written
        // whole.
        let upper = t.to_ascii_uppercase();
        if t.starts_with(|c: char| c.is_ascii_alphabetic())
            && t.contains(|c: char| c.is_ascii_digit())
            && domain.contains(&upper)
        {
            push(&mut out, category(&upper, t, domain, reference));
            continue;
        }
        // "NFIB 50": a category whose letters are written apart.
        if t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            if let Some(next) = tokens.get(i + 1) {
                let code = format!(
                    "{}{}",
                    t.to_ascii_uppercase(),
                    next.text.to_ascii_uppercase()
                );
                if next.text.starts_with(|c: char| c.is_ascii_digit()) && domain.contains(&code) {
                    joined = Some(i + 1);
                    push(
                        &mut out,
                        category(&code, &format!("{t} {}", next.text), domain, reference),
                    );
                }
            }
            continue;
        }
        let number_part: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if number_part.is_empty() || after_age || section {
            continue;
        }
        let number = number_part.trim_start_matches('0');
        let rest = &t[number_part.len()..];
        if rest.len() == 1 && rest.chars().all(|c| c.is_ascii_alphabetic()) {
            let code = format!("{number}{}", rest.to_ascii_uppercase());
            if domain.contains(&code) {
                push(&mut out, category(&code, t, domain, reference));
            }
            continue;
        }
        if !rest.is_empty() {
            continue;
        }
        // "22 B": the letter written apart.
        if let Some(next) = tokens.get(i + 1) {
            let l = next.text;
            if l.len() == 1 && l.chars().all(|c| c.is_ascii_alphabetic()) {
                let code = format!("{number}{}", l.to_ascii_uppercase());
                if domain.contains(&code) {
                    push(
                        &mut out,
                        category(&code, &format!("{t} {l}"), domain, reference),
                    );
                    continue;
                }
            }
        }
        // An age: "13+", "13 yrs", "13 and over", "13-15".
        let next = text(i + 1);
        let ranged = digits(prev) && i > 0 && tokens[i - 1].after == Some('-');
        let aged = tok.after == Some('+') || age_after(next) || ranged;
        if aged {
            continue;
        }
        let announced = i > 0 && announces(prev);
        let bracket = bracketed.contains(&t);
        if !(i == 0 || i + 1 == n || announced || bracket) {
            continue;
        }
        if i > 0 && announces_ho(prev) && !domain.contains(number) {
            // "HO 19": a Home Office class, not a category.
            if let Some(r) = reference {
                let cats = class_categories(number, domain, r);
                if !cats.is_empty() {
                    push(
                        &mut out,
                        CodeHit {
                            written: format!("{prev} {t}"),
                            code: Written::HoClass(format!("{number:0>3}")),
                            doubts: if cats.len() > 1 {
                                vec![Doubt::SharedCode]
                            } else {
                                Vec::new()
                            },
                            categories: cats,
                        },
                    );
                }
            }
            continue;
        }
        if domain.contains(number) {
            let mut hit = category(number, t, domain, reference);
            // "Girls 13", "Rape F 16": unannounced, a number an age could be.
            if !announced && number.parse::<u32>().is_ok_and(|v| v <= 18) {
                hit.doubts.push(Doubt::MaybeAge);
            } else if !announced && digits(number) {
                hit.doubts.push(Doubt::Unannounced);
            }
            push(&mut out, hit);
        }
    }
    out
}

/// Keeps a code once; a code that names no category of the domain is none.
fn push(out: &mut Vec<CodeHit>, hit: CodeHit) {
    if !hit.categories.is_empty() && !out.iter().any(|h| h.code == hit.code) {
        out.push(hit);
    }
}

/// A category as written; a bare number is also the Home Office class of
/// that number, which may span other categories.
fn category(
    code: &str,
    written: &str,
    domain: &BTreeSet<String>,
    reference: Option<&Reference>,
) -> CodeHit {
    let mut hit = CodeHit {
        written: written.to_string(),
        code: Written::Category(code.to_string()),
        categories: vec![code.to_string()],
        doubts: Vec::new(),
    };
    if let (true, Some(r)) = (digits(code), reference) {
        let others: Vec<String> = class_categories(code, domain, r)
            .into_iter()
            .filter(|c| c != code)
            .collect();
        if !others.is_empty() {
            hit.categories.extend(others.iter().cloned());
            hit.doubts.push(Doubt::AlsoHoClass(others));
        }
    }
    hit
}

/// A Home Office code and the categories it is counted under; doubted when
/// several, or when its class number is another category.
fn ho_code(ho: &str, written: &str, domain: &BTreeSet<String>, r: &Reference) -> CodeHit {
    let categories: Vec<String> = r
        .categories_of_ho_code(ho)
        .into_iter()
        .filter(|c| domain.contains(*c))
        .map(str::to_string)
        .collect();
    let mut doubts = Vec::new();
    if categories.len() > 1 {
        doubts.push(Doubt::SharedCode);
    }
    let class = ho.split('/').next().unwrap_or("").trim_start_matches('0');
    if !class.is_empty()
        && r.categories.contains_key(class)
        && !categories.iter().any(|c| c == class)
        && !categories.is_empty()
    {
        doubts.push(Doubt::ClassIsCategory(class.to_string()));
    }
    CodeHit {
        written: written.to_string(),
        code: Written::HoCode(ho.to_string()),
        categories,
        doubts,
    }
}

/// The categories of `domain` the Home Office codes of class `number`
/// ("71": 071/xx) are counted under, in the reference's order.
fn class_categories(number: &str, domain: &BTreeSet<String>, r: &Reference) -> Vec<String> {
    let prefix = format!("{number:0>3}/");
    let mut out: Vec<String> = Vec::new();
    for o in r.offences.iter().filter(|o| o.ho_code.starts_with(&prefix)) {
        if domain.contains(&o.category) && !out.contains(&o.category) {
            out.push(o.category.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain() -> BTreeSet<String> {
        [
            "13", "21", "22B", "23", "71", "86", "88A", "4/1", "4/4", "44", "19D", "19J", "39",
            "47", "80", "83", "105A", "104", "NFIB50", "NFIB90", "NFIB5E", "15", "3A",
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
88A,Sexual Grooming,071/17,Sexual communication with a child,x,y
71,Abuse of Children through Sexual Exploitation,071/03,Paying for the sexual services of a child,x,y
19D,Rape of a Female Child under 16,019/07,Rape of a female aged under 16,x,y
19J,Rape of a female - multiple undefined offenders,019/07,Rape of a female aged under 16,x,y
4/4,Causing Death or Serious Injury by Dangerous Driving,004/04,Causing death by dangerous driving,x,y
44,Theft or Unauthorised Taking of Pedal Cycle,044/00,Theft of a pedal cycle,x,y
86,Obscene Publications etc,086/01,Obscene publications,x,y
80,Absconding from Lawful Custody,083/05,Absconding from lawful custody,x,y
83,Bail Offences,083/01,Failing to surrender to bail,x,y
73,Abuse of Position of Trust of a Sexual Nature,073/07,Abuse of position of trust,x,y
105A,Assault without Injury,105/01,Common assault,x,y
104,Assault without Injury on a Constable,105/02,Assault on a constable,x,y
",
        )
        .expect("reference")
    }

    fn codes(label: &str) -> Vec<String> {
        let mut d = domain();
        d.insert("73".into());
        codes_in_label(label, &d, Some(&reference()))
            .into_iter()
            .map(|h| {
                let head = match &h.code {
                    Written::Category(c) => c.clone(),
                    Written::HoCode(c) => format!("{c}="),
                    Written::HoClass(c) => format!("class {c}="),
                };
                let cats = match &h.code {
                    Written::Category(_) if h.categories.len() == 1 => String::new(),
                    Written::Category(_) => format!("={}", h.categories.join("|")),
                    _ => h.categories.join("|"),
                };
                format!("{head}{cats}{}", if h.sure() { "" } else { "?" })
            })
            .collect()
    }

    #[test]
    fn codes_in_the_forms_forces_write_them() {
        assert_eq!(codes("Cat. 22 B Sexual activity with a child"), ["22B"]);
        assert_eq!(codes("Class 21 - Sexual activity"), ["21"]);
        assert_eq!(codes("Sexual grooming #88A"), ["88A"]);
        assert_eq!(codes("Manslaughter 4/1"), ["4/1"]);
        assert_eq!(
            codes("Sexual activity with a child u16 - 22/18"),
            ["022/18=22B"]
        );
        assert_eq!(codes("Sexual grooming 088/01"), ["088/01=88A"]);
        assert_eq!(codes("Sexual activity 022/B"), ["22B"]);
        assert_eq!(codes("Computer misuse NFIB 50"), ["NFIB50"]);
        assert_eq!(codes("NFIB90 Other fraud n.e.c."), ["NFIB90"]);
        assert_eq!(codes("nfib5e - online shopping"), ["NFIB5E"]);
        // Its number is no category of its own (5E, endangering life).
        assert_eq!(codes("NFIB 5E wrongful credit"), ["NFIB5E"]);
    }

    /// A bracket glued to a section's number is its subsection: "(3A)"
    /// after "s.40D" is no category 3A, and "(13)" no age or code.
    #[test]
    fn a_subsection_is_no_code() {
        assert!(codes("Possess mobile phone in prison (s40D(3A) Prison Act)").is_empty());
        assert!(codes("Possess mobile phone in prison s40D (3A) Prison Act").is_empty());
        assert!(codes("Section 40D (3A)").is_empty());
        assert!(codes("s.31(1)(c) CDA (4/1)").len() == 1);
        assert_eq!(codes("Sexual activity (22B)"), ["22B"]);
        assert_eq!(codes("Manslaughter(4/1)"), ["4/1"]);
    }

    #[test]
    fn a_home_office_code_written_with_a_dash_or_a_point() {
        assert_eq!(codes("073-07"), ["073/07=73"]);
        assert_eq!(codes("Abuse of trust 073.07"), ["073/07=73"]);
        // Two digits either side are an age range, not a code.
        assert!(codes("Sexual activity with a child 13-15").is_empty());
    }

    #[test]
    fn a_code_written_with_a_point_after_a_word_that_announces_one() {
        assert_eq!(codes("Cat 4.4"), ["4/4"]);
        // No category "88/1": the Home Office code 088/01.
        assert_eq!(codes("Class 88.1 grooming"), ["088/01=88A"]);
        // Unannounced, a short number with a point is no code.
        assert!(codes("Death by dangerous driving 4.4").is_empty());
    }

    #[test]
    fn a_category_written_with_a_slash_is_not_its_digits() {
        // "4/4" is never category 44 (Theft of a pedal cycle).
        assert_eq!(codes("(4/4) Death by dangerous driving"), ["4/4"]);
        assert_eq!(codes("Death by dangerous driving 4/4"), ["4/4"]);
    }

    #[test]
    fn a_code_counted_under_several_categories_is_never_sure() {
        assert_eq!(codes("Rape (019/07)"), ["019/07=19D|19J?"]);
    }

    #[test]
    fn a_code_whose_class_is_another_category_is_never_sure() {
        // 083/05 has been counted under 80 since April 2017, under 83 before.
        assert_eq!(codes("Escape from custody 083/05"), ["083/05=80?"]);
        // 071/17 is 88A, but class 71 is a category of its own.
        assert_eq!(codes("071/17"), ["071/17=88A?"]);
        assert_eq!(codes("071/03"), ["071/03=71"]);
    }

    #[test]
    fn a_bare_number_that_is_also_a_home_office_class_is_never_sure() {
        // Category 71, or class 071, whose 071/17 is counted under 88A.
        assert_eq!(codes("Offence 71"), ["71=71|88A?"]);
        assert_eq!(codes("71 (CSE)"), ["71=71|88A?"]);
        // Category 86's class holds 86 alone.
        assert_eq!(codes("Class 86"), ["86"]);
        // "HO 105": no category 105, the class spans 105A and 104.
        assert_eq!(codes("HO 105"), ["class 105=105A|104?"]);
    }

    /// A number no word announces may be of an older classification:
    /// read, never taken unseen ("Sacrilege (27)" in a Home Office table
    /// of 1898 to 2002; 27 is soliciting now).
    #[test]
    fn a_bare_number_no_word_announces_is_never_sure() {
        assert_eq!(codes("Obscene publications - 86"), ["86?"]);
        assert_eq!(codes("Obscene publications (86)"), ["86?"]);
        assert_eq!(codes("Category 86 obscene publications"), ["86"]);
        // A code with a letter or the Home Office form is no such number.
        assert_eq!(codes("Common assault (105A)"), ["105A"]);
        assert_eq!(codes("Obscene publications 086/01"), ["086/01=86"]);
    }

    #[test]
    fn numbers_that_may_be_ages_are_never_sure() {
        assert_eq!(codes("Girls 13"), ["13?"]);
        assert_eq!(codes("Code 13"), ["13"]);
    }

    #[test]
    fn ages_are_not_codes() {
        assert!(codes("Sexual assault on a female child under 13").is_empty());
        assert!(codes("Rape of a girl aged under 13").is_empty());
        assert!(codes("Sexual activity with a child aged 13 to 21").is_empty());
        assert!(codes("Rape F <13").is_empty());
        assert!(codes("Sexual assault U13").is_empty());
        assert!(codes("Sexual assault - women and girls 13+").is_empty());
        assert!(codes("Rape of a female 13 yrs").is_empty());
        assert!(codes("Rape F U16 (13-15)").is_empty());
        assert!(codes("Sexual assault female 13 and over").is_empty());
    }

    #[test]
    fn statute_sections_are_not_codes() {
        assert!(codes("Common assault (s.39)").is_empty());
        assert!(codes("Common assault s 39").is_empty());
        assert!(codes("ABH Section 47").is_empty());
        assert!(codes("Sec 15 SOA 2003 - meeting child after grooming").is_empty());
        assert!(codes("Trespass with intent (sexual) s.63").is_empty());
    }
}
