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

/// A subsection or a letter set apart: "4 a" (4A), "31 1 b" (31(1)(b)),
/// or the two letters of a section put between two others ("3ZA",
/// "40CA"), unless an Act's initials.
fn part(w: &str) -> bool {
    (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        || (w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
        || inserted(w)
}

/// Letters of a section inserted between two others: "za" of 3ZA, "ca"
/// of 40CA. Read as such only where no Act starts ("s.18 FA" is the
/// Firearms Act's).
fn inserted(w: &str) -> bool {
    w.len() == 2
        && w.chars().all(|c| c.is_ascii_alphabetic())
        && (w.starts_with('z') || w.ends_with('a'))
}

/// The section word a reference without its Act becomes: "§47".
pub const SECTION: char = '§';

/// What an Act's words are known by: a name written out by all its words
/// ("criminal-attempts-act"), since Acts share initials (the Criminal
/// Attempts and the Child Abduction Act are both "CAA"); initials as
/// written ("poa"); and the year when written.
fn act_key(words: &[String]) -> (String, Option<&str>) {
    let (name, year) = match words.split_last() {
        Some((y, rest)) if year(y) => (rest, Some(y.as_str())),
        // A year of two digits ("03") is left unsaid: its century is a guess.
        Some((y, rest)) if y.len() == 2 && y.chars().all(|c| c.is_ascii_digit()) => (rest, None),
        _ => (words, None),
    };
    (name.join("-"), year)
}

/// The initials an Act's name is written by: "public order act" is
/// "poa", "criminal justice and immigration act" "cjia".
pub fn initials(name: &[String]) -> String {
    name.iter()
        .filter(|w| !matches!(w.as_str(), "the" | "of" | "and"))
        .filter_map(|w| w.chars().next())
        .collect()
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

/// The word a section of a named Act becomes: "§4a@poa",
/// "§15@sexual-offences-act@2003". `section` is its number and letter
/// ("4a"), `act` the Act's words as written ("poa", "sexual offences act
/// 2003").
pub fn reference(section: &str, act: &[String]) -> String {
    let (key, year) = act_key(act);
    keyed(section, &key, year)
}

/// The word of a section of the Act known by `key` (its initials or its
/// words joined, as [`reference`] makes them), with its year or without.
pub fn keyed(section: &str, key: &str, year: Option<&str>) -> String {
    match year {
        Some(y) => format!("{SECTION}{section}@{key}@{y}"),
        None => format!("{SECTION}{section}@{key}"),
    }
}

/// A line of the statute table: a section of an Act that is one offence.
#[derive(Debug, Clone)]
pub struct Section {
    /// The Act's short title as words ("public order act").
    pub act: Vec<String>,
    pub year: String,
    /// Its number and letter as one word ("4a").
    pub section: String,
    /// The Act's last section, where the table gives it: a section past
    /// it is no section of this Act.
    pub last: Option<u32>,
}

/// A section's number without its letter: "4a" is 4.
fn number(section: &str) -> Option<u32> {
    let digits: String = section.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The words each line of the statute table is read by, with the line:
/// its section of the Act written out ("§1@criminal-attempts-act@1981"),
/// and by each of its initials ("§4a@poa@1986"): as enacted, without the
/// words joining its own (PHA as PFHA), and as abbreviations.csv writes
/// them (`named`: "POCA", "proceeds of crime act"). Each with its year,
/// and without it where no other year's Act of that key has the section.
///
/// Initials are an Act's only where they are no other Act's of the table,
/// since a reference of shared initials may be to a section the table
/// does not list: the Criminal Attempts and the Child Abduction Act are
/// both "CAA", and "s.1 CAA" (attempt) is not child abduction. Where
/// abbreviations.csv says which Act initials name ("CJA" is the Criminal
/// Justice Act, not the Coroners and Justice Act), they are that Act's;
/// and a section past the last of every other Act of those initials is
/// the one Act's that can have it ("s.30 CDA": the Criminal Damage Act has
/// 12 sections, so it is the Crime and Disorder Act's).
pub fn read_by(sections: &[Section], named: &[(String, Vec<String>)]) -> Vec<(usize, String)> {
    let keys: Vec<Vec<String>> = sections.iter().map(|s| keys(&s.act, named)).collect();
    let reads = |l: usize, key: &str, dated: bool| -> bool {
        let s = &sections[l];
        // Its words written out (the first key) are this Act's alone.
        if *key == keys[l][0] {
            return true;
        }
        let said: Vec<&Vec<String>> = named
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, means)| means)
            .collect();
        if !said.is_empty() {
            return names(&s.act).iter().any(|n| said.contains(&n));
        }
        sections
            .iter()
            .enumerate()
            .filter(|(m, o)| o.act != s.act && keys[*m].iter().any(|k| k == key))
            .filter(|(_, o)| !dated || o.year == s.year)
            .all(|(_, o)| matches!((o.last, number(&s.section)), (Some(last), Some(n)) if n > last))
    };
    let mut out: Vec<(usize, String)> = Vec::new();
    // Per section of a key without its year: the years it is written
    // for, and the line of the first.
    let mut yearless: Vec<(String, Vec<&str>, usize)> = Vec::new();
    for (l, s) in sections.iter().enumerate() {
        for key in &keys[l] {
            if reads(l, key, true) {
                out.push((l, keyed(&s.section, key, Some(&s.year))));
            }
            if reads(l, key, false) {
                let bare = keyed(&s.section, key, None);
                match yearless.iter_mut().find(|(b, _, _)| *b == bare) {
                    Some((_, years, _)) => years.push(&s.year),
                    None => yearless.push((bare, vec![&s.year], l)),
                }
            }
        }
    }
    for (bare, mut years, l) in yearless {
        years.sort_unstable();
        years.dedup();
        if years.len() == 1 {
            out.push((l, bare));
        }
    }
    out
}

/// What an Act of the table is known by (see [`read_by`]).
fn keys(act: &[String], named: &[(String, Vec<String>)]) -> Vec<String> {
    let variants = names(act);
    let mut keys = vec![act.join("-")];
    let initials = variants.iter().map(|n| initials(n));
    let said = named
        .iter()
        .filter(|(_, means)| variants.contains(means))
        .map(|(k, _)| k.clone());
    for key in initials.chain(said) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The initials of the Acts of the table, which a word after a section
/// is read as ("s.30 CDA") though no line of abbreviations.csv names them.
pub fn table_initials(acts: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = acts
        .iter()
        .flat_map(|a| names(a))
        .map(|n| initials(&n))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the words before `i` are a section ("s 30", "s 31 1 c").
pub fn section_before(words: &[String], i: usize) -> bool {
    (0..=3).any(|parts| {
        i >= parts + 2
            && words[i - parts..i].iter().all(|w| part(w))
            && section_number(&words[i - parts - 1])
            && marker(&words[i - parts - 2])
    })
}

/// A reference word as a reason shows it: "§4a@poa@1986" is "s.4a poa 1986".
pub fn shown(word: &str) -> String {
    match word.strip_prefix(SECTION) {
        Some(rest) => format!("s.{}", rest.replace(['@', '-'], " ")),
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
            // Unless an Act follows the section: "Criminal damage s.30
            // CDA" is the offence's words, then the Act's section.
            let section =
                section_after(&raw, i + k, act).filter(|(_, end)| act(&raw, *end).is_none());
            if let Some((section, end)) = section {
                out.push(reference(&section, &name));
                i = end;
                continue;
            }
        }
        // An Act, perhaps followed by its section: "SOA 2003 s 3".
        if let Some(k) = act(&raw, i) {
            let mut j = i + k;
            if let Some((section, end)) = section_after(&raw, j, act) {
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
fn section_after(
    raw: &[String],
    j: usize,
    act: &dyn Fn(&[String], usize) -> Option<usize>,
) -> Option<(String, usize)> {
    let number = raw.get(j + 1).filter(|_| marker(&raw[j]))?;
    if !section_number(number) {
        return None;
    }
    let first = j + 2;
    let end = first
        + raw[first..]
            .iter()
            .enumerate()
            .take_while(|(k, w)| {
                (part(w) && w.len() == 1) || (*k == 0 && inserted(w) && act(raw, first).is_none())
            })
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
        // An Act's name written out is known by all its words.
        assert_eq!(
            stripped("s.3 of the Sexual Offences Act 2003"),
            "§3@sexual-offences-act@2003"
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

    /// Two letters put between sections ("3ZA", "40CA") are the section's
    /// own: s.3ZA is not s.3. Two letters an Act starts with are the Act.
    #[test]
    fn a_section_inserted_between_two_others_is_its_own() {
        assert_eq!(
            stripped("Computer misuse (CMA 1990 s.3ZA)"),
            "computer misuse §3za@cma@1990"
        );
        assert_eq!(stripped("s.40CA SOA 2003"), "§40ca@soa@2003");
        assert_eq!(stripped("s 3 za soa"), "§3za@soa");
        assert_eq!(stripped("s.4A POA"), "§4a@poa");
        assert_eq!(stripped("s.18 POA"), "§18@poa");
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
        assert_eq!(stripped("Sexual Offences s.9"), "§9@sexual-offences-act");
        assert_eq!(
            stripped("Section 3 Sexual Offences 2003"),
            "§3@sexual-offences-act@2003"
        );
        assert_eq!(
            stripped("s.3 of the Sexual Offences"),
            "§3@sexual-offences-act"
        );
        assert_eq!(stripped("Other sexual offences"), "other sexual offences");
    }

    /// Written out, an Act is known by its words; by initials, by those.
    #[test]
    fn an_acts_words_are_its_key_and_initials_are_theirs() {
        let w = |s: &str| super::super::text::raw_words(s);
        assert_eq!(
            reference("4a", &w("Public Order Act 1986")),
            "§4a@public-order-act@1986"
        );
        assert_eq!(reference("4a", &w("POA")), "§4a@poa");
        assert_eq!(reference("31", &w("CDA 98")), "§31@cda");
        assert_eq!(initials(&w("Offences against the Person Act")), "oapa");
        assert_eq!(initials(&w("Criminal Justice and Immigration Act")), "cjia");
        assert_eq!(
            shown("§1@criminal-attempts-act@1981"),
            "s.1 criminal attempts act 1981"
        );
    }

    fn section(act: &str, year: &str, section: &str, last: Option<u32>) -> Section {
        Section {
            act: super::super::text::raw_words(act),
            year: year.to_string(),
            section: section.to_string(),
            last,
        }
    }

    fn words_of(sections: &[Section], named: &[(String, Vec<String>)], line: usize) -> Vec<String> {
        read_by(sections, named)
            .into_iter()
            .filter(|(l, _)| *l == line)
            .map(|(_, w)| w)
            .collect()
    }

    /// Initials two Acts of the table share are neither's, since the
    /// other may have the section too ("s.1 CAA" may be an attempt).
    #[test]
    fn shared_initials_are_no_acts_alone() {
        let table = [
            section("Child Abduction Act", "1984", "1", None),
            section("Criminal Attempts Act", "1981", "9", None),
        ];
        assert_eq!(
            words_of(&table, &[], 0),
            [
                "§1@child-abduction-act@1984",
                "§1@caa@1984",
                "§1@child-abduction-act"
            ]
        );
        assert_eq!(
            words_of(&table, &[], 1),
            [
                "§9@criminal-attempts-act@1981",
                "§9@caa@1981",
                "§9@criminal-attempts-act"
            ]
        );
    }

    /// A section past the last of every other Act of the same initials
    /// is the one Act's that can have it.
    #[test]
    fn a_section_past_the_other_acts_last_is_the_ones_that_has_it() {
        let table = [
            section("Crime and Disorder Act", "1998", "30", Some(121)),
            section("Criminal Damage Act", "1971", "2", Some(12)),
        ];
        assert!(words_of(&table, &[], 0).contains(&"§30@cda".to_string()));
        assert!(!words_of(&table, &[], 1).contains(&"§2@cda".to_string()));
        // Without the other Act's last section, no section is sure.
        let table = [
            section("Crime and Disorder Act", "1998", "30", None),
            section("Criminal Damage Act", "1971", "2", None),
        ];
        assert!(!words_of(&table, &[], 0).contains(&"§30@cda".to_string()));
    }

    /// Initials abbreviations.csv gives an Act are that Act's, shared or
    /// not ("CJA" is the Criminal Justice Act), and a key of it ("POCA").
    #[test]
    fn initials_abbreviations_give_an_act_are_its() {
        let w = |s: &str| super::super::text::raw_words(s);
        let table = [
            section("Criminal Justice Act", "1988", "160", None),
            section("Coroners and Justice Act", "2009", "62", None),
            section("Proceeds of Crime Act", "2002", "327", None),
        ];
        let named = [
            ("cja".to_string(), w("criminal justice act")),
            ("poca".to_string(), w("proceeds of crime act")),
        ];
        assert!(words_of(&table, &named, 0).contains(&"§160@cja".to_string()));
        assert!(!words_of(&table, &named, 1).contains(&"§62@cja".to_string()));
        assert!(words_of(&table, &named, 2).contains(&"§327@poca".to_string()));
    }

    /// The same section of two years of one Act is read only with its year.
    #[test]
    fn a_section_of_two_years_needs_its_year() {
        let table = [
            section("Sexual Offences Act", "2003", "15", None),
            section("Sexual Offences Act", "1956", "15", None),
        ];
        assert_eq!(
            words_of(&table, &[], 0),
            ["§15@sexual-offences-act@2003", "§15@soa@2003"]
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
