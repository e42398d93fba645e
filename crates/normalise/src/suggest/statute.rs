//! References to a statute in a text: "s.15 SOA 2003", "Section 47",
//! "(s.63 CJIA 2008)", "Sexual Offences Act 2003 s 3". They say where the
//! law is, not what the offence is called: a section with its Act named is
//! taken out of the words (its numbers would otherwise weigh against the
//! label and read as ages or codes), and a section alone becomes one word,
//! "§47", which the wording table may read ("S47" = actual bodily harm, the
//! section police mean by it with no Act named) and is dropped otherwise.
//!
//! A section with its Act named becomes one word too, "§4a@poa" (with the
//! year when written, "§15@soa@2003"): the wording table reads it where
//! config/reference/statutes.csv says what offence the section is ("s.4A
//! POA" is public fear, alarm or distress), and it is dropped otherwise.

/// Words that announce a section: "s", "sec", "section".
pub fn marker(w: &str) -> bool {
    matches!(
        w,
        "s" | "ss" | "sec" | "secs" | "sect" | "section" | "sections"
    )
}

fn section_number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit())
}

/// A year an Act is known by: "2003".
pub fn year(w: &str) -> bool {
    w.len() == 4
        && w.chars().all(|c| c.is_ascii_digit())
        && (w.starts_with("18") || w.starts_with("19") || w.starts_with("20"))
}

/// A year written with two digits after an Act's name ("SOA03 s.9",
/// "s.31 CDA 98"), read only beside a section, where no age is: `at` is
/// the word after the name, `start` the name's first.
pub fn short_year(words: &[String], start: usize, at: usize) -> bool {
    let two = words
        .get(at)
        .is_some_and(|w| w.len() == 2 && w.chars().all(|c| c.is_ascii_digit()));
    let section_after = words.get(at + 1).is_some_and(|w| marker(w))
        && words.get(at + 2).is_some_and(|w| section_number(w));
    let section_before =
        start >= 2 && marker(&words[start - 2]) && section_number(&words[start - 1]);
    two && (section_after || section_before)
}

/// A subsection or a letter set apart: "4 a" (4A), "31 1 b" (31(1)(b)).
fn part(w: &str) -> bool {
    (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        || (w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
}

/// The section word a reference without its Act becomes: "§47".
pub const SECTION: char = '§';

/// What an Act's words are known by: their initials ("public order act"
/// and "poa" alike are "poa"), and the year when written.
fn act_key(words: &[String]) -> (String, Option<&str>) {
    let (name, year) = match words.split_last() {
        Some((y, rest)) if year(y) => (rest, Some(y.as_str())),
        // A year of two digits ("03") is left unsaid: its century is a guess.
        Some((y, rest)) if y.len() == 2 && y.chars().all(|c| c.is_ascii_digit()) => (rest, None),
        _ => (words, None),
    };
    let key = match name {
        [one] => one.clone(),
        _ => name
            .iter()
            .filter(|w| !matches!(w.as_str(), "the" | "of" | "and"))
            .filter_map(|w| w.chars().next())
            .collect(),
    };
    (key, year)
}

/// The names an Act is written by: as enacted, and without the words
/// that join its own ("Protection from Harassment Act" is "PHA" as often
/// as "PFHA"; "Offences against the Person Act" is "OAPA" and "OPA").
pub fn names(act: &[String]) -> Vec<Vec<String>> {
    let short: Vec<String> = act
        .iter()
        .filter(|w| !matches!(w.as_str(), "from" | "against" | "to" | "for" | "in" | "on"))
        .cloned()
        .collect();
    if short.len() == act.len() || short.len() < 2 {
        vec![act.to_vec()]
    } else {
        vec![act.to_vec(), short]
    }
}

/// The word a section of a named Act becomes: "§4a@poa", "§15@soa@2003".
/// `section` is its number and letter ("4a"), `act` the Act's words as
/// written ("poa", "sexual offences act 2003").
pub fn reference(section: &str, act: &[String]) -> String {
    let (key, year) = act_key(act);
    match year {
        Some(y) => format!("{SECTION}{section}@{key}@{y}"),
        None => format!("{SECTION}{section}@{key}"),
    }
}

/// A reference word as a reason shows it: "§4a@poa@1986" is "s.4a poa 1986".
pub fn shown(word: &str) -> String {
    match word.strip_prefix(SECTION) {
        Some(rest) => format!("s.{}", rest.replace('@', " ")),
        None => word.to_string(),
    }
}

/// Takes statute references out of a clause's raw words (see the module).
/// `act` says how many words an Act's name takes at a position, if one
/// starts there ("soa", "soa 2003", "sexual offences act 2003").
pub fn strip(raw: Vec<String>, act: &dyn Fn(&[String], usize) -> Option<usize>) -> Vec<String> {
    let n = raw.len();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        // An Act named without its "Act", followed by its section: "Public
        // Order s.4" (without a section, "public order" is only words).
        if let Some((k, name)) = unsaid_act(&raw, i, act) {
            if let Some((section, end)) = section_after(&raw, i + k) {
                out.push(reference(&section, &name));
                i = end;
                continue;
            }
        }
        // An Act, perhaps followed by its section: "SOA 2003 s 3".
        if let Some(k) = act(&raw, i) {
            let mut j = i + k;
            if let Some((section, end)) = section_after(&raw, j) {
                out.push(reference(&section, &raw[i..i + k]));
                j = end;
            }
            i = j;
            continue;
        }
        if i + 1 < n && marker(&raw[i]) && section_number(&raw[i + 1]) {
            // Its parts, then perhaps its Act: "s 4 a poa", "s 63 cjia 2008",
            // "s 3 of the sexual offences act".
            let j = i + 2;
            let mut parts = 0;
            while j + parts < n
                && parts < 3
                && part(&raw[j + parts])
                && act(&raw, j + parts).is_none()
            {
                parts += 1;
            }
            let after = j + parts;
            let mut of = after;
            if of < n && matches!(raw[of].as_str(), "of" | "under") {
                of += 1;
            }
            if of < n && raw[of] == "the" {
                of += 1;
            }
            let mut section = raw[i + 1].clone();
            push_letter(&mut section, &raw[j..after]);
            if let Some(k) = act(&raw, after) {
                out.push(reference(&section, &raw[after..after + k]));
                i = after + k;
                continue;
            }
            if let Some(k) = act(&raw, of).filter(|_| of > after) {
                out.push(reference(&section, &raw[of..of + k]));
                i = of + k;
                continue;
            }
            // "Section 4 Public Order": the Act without its "Act".
            let unsaid = unsaid_act(&raw, after, act)
                .map(|found| (after, found))
                .or_else(|| {
                    let found = unsaid_act(&raw, of, act).filter(|_| of > after);
                    found.map(|found| (of, found))
                });
            if let Some((at, (k, name))) = unsaid {
                out.push(reference(&section, &name));
                i = at + k;
                continue;
            }
            // No Act: "§47", with a letter glued on at the end ("s 4 a").
            let mut word = format!("{SECTION}{}", raw[i + 1]);
            let mut next = j;
            if parts == 1 && raw[j].chars().all(|c| c.is_ascii_alphabetic()) && j + 1 == n {
                word.push_str(&raw[j]);
                next += 1;
            }
            out.push(word);
            i = next;
            continue;
        }
        out.push(raw[i].clone());
        i += 1;
    }
    out
}

/// A section named at `j`, after its Act ("s 4 a"): its number and
/// letter ("4a"), and where the words after it start.
fn section_after(raw: &[String], j: usize) -> Option<(String, usize)> {
    let number = raw.get(j + 1).filter(|_| marker(&raw[j]))?;
    if !section_number(number) {
        return None;
    }
    let first = j + 2;
    let end = first
        + raw[first..]
            .iter()
            .take_while(|w| part(w) && w.len() == 1)
            .count();
    let mut section = number.clone();
    push_letter(&mut section, &raw[first..end]);
    Some((section, end))
}

/// An Act written without the word "Act" at `i` ("public order 1986"):
/// how many words it takes, and its name with "Act" put back, for the
/// Act's key. Only a name of two words or more: "Theft s.1" is too near
/// the offence's own word to read as the Theft Act.
fn unsaid_act(
    raw: &[String],
    i: usize,
    act: &dyn Fn(&[String], usize) -> Option<usize>,
) -> Option<(usize, Vec<String>)> {
    (2..=6).rev().find_map(|m| {
        let words = raw.get(i..i + m)?;
        if words.iter().any(|w| w == "act" || year(w)) {
            return None;
        }
        let mut name = words.to_vec();
        name.push("act".to_string());
        let dated = raw.get(i + m).filter(|w| year(w));
        if let Some(y) = dated {
            name.push(y.clone());
        }
        (act(&name, 0) == Some(name.len())).then(|| (m + usize::from(dated.is_some()), name))
    })
}

/// A section's letter, when its first part is one ("4" "a" is 4A; the
/// subsection of "5 (2)" is not read).
fn push_letter(section: &mut String, parts: &[String]) {
    if let Some(p) = parts
        .first()
        .filter(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        section.push_str(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(words: &[String], i: usize) -> Option<usize> {
        let w = words.get(i)?;
        let k = match w.as_str() {
            "soa" | "cjia" | "poa" => 1,
            "sexual"
                if words.get(i + 1).is_some_and(|x| x == "offences")
                    && words.get(i + 2).is_some_and(|x| x == "act") =>
            {
                3
            }
            _ if words.get(i + 1).is_some_and(|x| year(x)) && w.len() <= 6 => 1,
            _ => return None,
        };
        Some(k + usize::from(words.get(i + k).is_some_and(|x| year(x))))
    }

    fn stripped(text: &str) -> String {
        strip(super::super::text::raw_words(text), &act).join(" ")
    }

    #[test]
    fn a_section_with_its_act_is_one_word_of_both() {
        assert_eq!(
            stripped("Sec 15 SOA 2003 meeting child"),
            "§15@soa@2003 meeting child"
        );
        assert_eq!(
            stripped("Extreme porn images (s.63 CJIA 2008)"),
            "extreme porn images §63@cjia@2008"
        );
        assert_eq!(
            stripped("Racially aggravated s.4A POA"),
            "racially aggravated §4a@poa"
        );
        assert_eq!(
            stripped("SOA 2003 s.3 sexual assault"),
            "§3@soa@2003 sexual assault"
        );
        // An Act's name written out is known by its initials.
        assert_eq!(
            stripped("s.3 of the Sexual Offences Act 2003"),
            "§3@soa@2003"
        );
        assert_eq!(
            stripped("Dangerous driving (s.2 RTA 1988)"),
            "dangerous driving §2@rta@1988"
        );
        // A subsection is not read: "5 (2)" is section 5.
        assert_eq!(
            stripped("Possession s.5(2) MDA 1971"),
            "possession §5@mda@1971"
        );
        // An Act named without a section says nothing of the offence.
        assert_eq!(
            stripped("Offences under the SOA 2003"),
            "offences under the"
        );
    }

    /// Initials with a year of two digits beside a section are the Act
    /// ("SOA03 s.9", "s.31 CDA 98"); the century is not guessed.
    #[test]
    fn an_act_with_a_year_of_two_digits_beside_a_section() {
        let act = |w: &[String], i: usize| super::super::text::Wording::default().act_at(w, i);
        let stripped = |t: &str| strip(super::super::text::raw_words(t), &act).join(" ");
        assert_eq!(stripped("SOA03 s.9"), "§9@soa");
        assert_eq!(stripped("s.31 CDA 98"), "§31@cda");
        assert_eq!(stripped("s.31 1 c CDA 1998"), "§31@cda@1998");
        // With no section beside them, two digits are no year.
        assert_eq!(stripped("Rape FA 16"), "rape fa 16");
    }

    /// An Act's name without "Act", next to a section, is the Act; with
    /// no section it is only words.
    #[test]
    fn an_act_named_without_act_beside_a_section() {
        assert_eq!(stripped("Sexual Offences s.9"), "§9@soa");
        assert_eq!(stripped("Section 3 Sexual Offences 2003"), "§3@soa@2003");
        assert_eq!(stripped("s.3 of the Sexual Offences"), "§3@soa");
        assert_eq!(stripped("Other sexual offences"), "other sexual offences");
    }

    #[test]
    fn an_acts_words_are_known_by_their_initials() {
        let w = |s: &str| super::super::text::raw_words(s);
        assert_eq!(reference("4a", &w("Public Order Act 1986")), "§4a@poa@1986");
        assert_eq!(reference("4a", &w("POA")), "§4a@poa");
        assert_eq!(
            reference("18", &w("Offences against the Person Act")),
            "§18@oapa"
        );
        assert_eq!(
            reference("63", &w("Criminal Justice and Immigration Act 2008")),
            "§63@cjia@2008"
        );
    }

    #[test]
    fn a_section_alone_is_one_word() {
        assert_eq!(stripped("Common assault (s.39)"), "common assault §39");
        assert_eq!(stripped("S47 assault"), "§47 assault");
        assert_eq!(stripped("Section 18 wounding"), "§18 wounding");
        assert_eq!(stripped("Assault s.4a"), "assault §4a");
        // "S/A" is no section.
        assert_eq!(stripped("S/A on F U13"), "s a on f u 13");
    }
}
