//! Words as the suggester compares them: a label and a reference text
//! pass through the same steps, so that "SEX ASSLT F U13" and "Sexual
//! Assault on a Female Child under 13" meet on the same words.
//!
//! 1. [`raw_words`]: lower case, split at punctuation and between letters
//!    and digits ("u13" is "u", "13"), "<13" read "under 13", "13+" read
//!    "13 over".
//! 2. [`statute::strip`]: statute references taken out ("s.15 SOA 2003"),
//!    or one word when no Act is named ("S47" is "§47").
//! 3. [`Wording`]: shorthand and older names to the reference's words
//!    ("IIOC", "GBH", "indecent assault"), from a reviewed table.
//! 4. [`victim::find`]: the victim's ages, their words set aside.
//! 5. [`stem`]: plurals and "-ing", "-ed", "-e" folded; stop words dropped.

use super::group::{Groups, Term};
use super::kinds::{Kinds, Unsaid};
use super::statute::{self, SECTION};
use super::victim::{self, Ages};
use foi_model::ConfigError;
use std::collections::HashMap;

/// A word as it is matched, with where it came from (for reasons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded form matched against other words ("assault", "femal").
    pub stem: String,
    /// The word as written in the text, lower case ("aslt", "u").
    pub written: String,
    /// The [`Wording`] line that gave this word, when one did.
    pub via: Option<usize>,
}

/// One line of the wording table: a word or phrase as forces write it,
/// and the reference's words for it.
#[derive(Debug, Clone)]
struct Rule {
    written: Vec<String>,
    means: Vec<String>,
    text: String,
    /// The table it is a line of, and where.
    file: String,
    line: usize,
    /// The one side it reads, if only one: labels for a line written
    /// with a digit ("S18", "section 47"), since the reference's own
    /// "section 18" is another Act's; the reference for what its texts
    /// leave unsaid ("cannabis" is class B), which a label saying
    /// "cannabis" need not say again.
    only: Option<Side>,
}

/// Which side a text is: a label, or a reference text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Label,
    Reference,
}

/// Shorthand and older names forces write, and what the reference calls
/// them (config/reference/abbreviations.csv, header `written,means`).
#[derive(Debug, Clone, Default)]
pub struct Wording {
    rules: Vec<Rule>,
    /// The Acts of the statute table, their names as words: a label may
    /// write one out ("Prevention of Crime Act 1953 s.1").
    acts: Vec<Vec<String>>,
    /// Terms for several offences at once (config/reference/groups.csv).
    groups: Groups,
    /// Words for a thing the reference files by its kind
    /// (config/reference/kinds.csv).
    kinds: Kinds,
    /// The rules by their first written word, each list in `rules`'
    /// order: only these can match where a text has that word.
    by_first: HashMap<String, Vec<usize>>,
    /// The names of Acts the rules write ("POA", "public order act").
    act_names: Vec<Vec<String>>,
    /// The initials of the Acts of the statute table ("cda"), an Act's
    /// after a section ([`statute::table_initials`]).
    table_initials: Vec<String>,
}

impl Wording {
    /// Reads the table (header `written,means`, and `side` where a line
    /// reads only labels or only the reference); an empty side, an
    /// unknown `side` or a line that says the same twice is an error at
    /// its line.
    pub fn from_csv(file: &str, text: &str) -> Result<Wording, ConfigError> {
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            // `side` is written only where a line reads one side.
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(w), Some(m)) = (col("written"), col("means")) else {
            return Err(ConfigError::at(
                file,
                1,
                "the header must be written,means (and, if wanted, side)",
            ));
        };
        let side_col = col("side");
        let mut rules: Vec<Rule> = Vec::new();
        for row in rdr.records() {
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                ConfigError::at(file, line, e.to_string())
            })?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            let written = statute::strip(raw_words(row.get(w).unwrap_or("")), &|_, _| None);
            let means = raw_words(row.get(m).unwrap_or(""));
            if written.is_empty() || means.is_empty() {
                return Err(ConfigError::at(
                    file,
                    line,
                    "both `written` and `means` need a word",
                ));
            }
            if let Some(prev) = rules.iter().find(|r| r.written == written) {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!(
                        "{:?} is already read as {:?} at line {}",
                        written.join(" "),
                        prev.means.join(" "),
                        prev.line
                    ),
                ));
            }
            let digit = written
                .iter()
                .any(|w| w.chars().any(|c| c.is_ascii_digit()));
            let only = match side_col.and_then(|c| row.get(c)).map(str::trim) {
                None | Some("") if digit => Some(Side::Label),
                None | Some("") => None,
                Some("label") => Some(Side::Label),
                Some("reference") if !digit => Some(Side::Reference),
                Some(other) => {
                    return Err(ConfigError::at(
                        file,
                        line,
                        format!(
                            "side {other:?}: leave it empty (both), or write label or reference (a line written with a digit reads labels only)"
                        ),
                    ))
                }
            };
            rules.push(Rule {
                text: format!("{} = {}", written.join(" "), means.join(" ")),
                only,
                written,
                means,
                file: file.to_string(),
                line,
            });
        }
        // Longest first: "burglary in a dwelling" before "burglary dwelling".
        rules.sort_by_key(|r| std::cmp::Reverse(r.written.len()));
        let mut w = Wording {
            rules,
            ..Wording::default()
        };
        w.index_rules();
        Ok(w)
    }

    /// Finds the rules again once they change: by first word, and those
    /// that write an Act.
    fn index_rules(&mut self) {
        self.by_first.clear();
        for (k, r) in self.rules.iter().enumerate() {
            if let Some(first) = r.written.first() {
                self.by_first.entry(first.clone()).or_default().push(k);
            }
        }
        self.act_names = self
            .act_rules()
            .flat_map(|r| [r.written.clone(), r.means.clone()])
            .collect();
    }

    /// The lines that write an Act ("POA": "public order act"), not a
    /// section whose offence ends in "act" ("s.12 SOA": "causing a child
    /// to watch a sexual act"), which is no Act's name.
    fn act_rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules
            .iter()
            .filter(|r| r.means.last().is_some_and(|m| m == "act"))
            .filter(|r| !r.written.iter().any(|w| w.starts_with(SECTION)))
    }

    /// The wording tables of config/reference/ read as one, each given as
    /// (file, text) where it exists: abbreviations.csv
    /// ([`Wording::from_csv`]), statutes.csv ([`Wording::add_statutes`]),
    /// groups.csv ([`Wording::add_groups`]) and kinds.csv
    /// ([`Wording::add_kinds`]).
    pub fn from_tables(
        abbreviations: Option<(&str, &str)>,
        statutes: Option<(&str, &str)>,
        groups: Option<(&str, &str)>,
        kinds: Option<(&str, &str)>,
    ) -> Result<Wording, ConfigError> {
        let mut w = match abbreviations {
            Some((f, t)) => Wording::from_csv(f, t)?,
            None => Wording::default(),
        };
        if let Some((f, t)) = statutes {
            w.add_statutes(f, t)?;
        }
        if let Some((f, t)) = groups {
            w.add_groups(f, t)?;
        }
        if let Some((f, t)) = kinds {
            w.add_kinds(f, t)?;
        }
        Ok(w)
    }

    /// Adds the words for a thing the reference files by its kind
    /// ([`Kinds::from_csv`]).
    pub fn add_kinds(&mut self, file: &str, text: &str) -> Result<(), ConfigError> {
        self.kinds = Kinds::from_csv(file, text)?;
        Ok(())
    }

    /// Where `label` says a word of the kinds table and none of its kinds
    /// ([`Kinds::unsaid`]).
    pub fn unsaid_kinds(&self, label: &str) -> Vec<Unsaid<'_>> {
        let said = words(label, Some(self));
        self.kinds.unsaid(label, &said)
    }

    /// Adds the terms police use for several offences at once
    /// ([`Groups::from_csv`]).
    pub fn add_groups(&mut self, file: &str, text: &str) -> Result<(), ConfigError> {
        self.groups = Groups::from_csv(file, text)?;
        Ok(())
    }

    /// The term of the group table a label is, if it is one. `words` are
    /// the label's as read ([`read`]): a section the tables read as an
    /// offence makes the label that offence's; one they do not read
    /// ("Mental health - s136", a power, not an offence) says nothing
    /// against the term.
    pub fn group(&self, label: &str, words: &[Word]) -> Option<&Term> {
        let offence_cited = words.iter().any(|w| {
            w.via.is_some_and(|k| {
                self.rules
                    .get(k)
                    .is_some_and(|r| r.written.iter().any(|x| x.starts_with(SECTION)))
            })
        });
        self.groups.named_unless(label, offence_cited)
    }

    /// Adds the sections of Acts that are one offence
    /// (config/reference/statutes.csv, header `act,year,section,means`:
    /// "Public Order Act,1986,4A,public fear alarm or distress"). A label's
    /// "s.4A POA" or "Public Order Act 1986 s.4A" is read as what it means
    /// ([`statute`]); without the year, only where no other year's Act of
    /// the same initials has that section. A section twice is an error at
    /// its line.
    pub fn add_statutes(&mut self, file: &str, text: &str) -> Result<(), ConfigError> {
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(a), Some(y), Some(sc), Some(m)) =
            (col("act"), col("year"), col("section"), col("means"))
        else {
            return Err(ConfigError::at(
                file,
                1,
                "the header must be act,year,section,means",
            ));
        };
        let last_col = col("sections");
        let mut sections: Vec<statute::Section> = Vec::new();
        let mut lines: Vec<(usize, String, Vec<String>)> = Vec::new();
        for row in rdr.records() {
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                ConfigError::at(file, line, e.to_string())
            })?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            let get = |i: usize| row.get(i).unwrap_or("").trim();
            let act = raw_words(get(a));
            let year = get(y);
            let section: String = raw_words(get(sc)).concat();
            let means = raw_words(get(m));
            if act.is_empty() || section.is_empty() || means.is_empty() || !statute::year(year) {
                return Err(ConfigError::at(
                    file,
                    line,
                    "each line needs an act, a year (\"1986\"), a section and what it means",
                ));
            }
            let last = match last_col.map(get).filter(|v| !v.is_empty()) {
                None => None,
                Some(v) => Some(v.parse::<u32>().map_err(|_| {
                    ConfigError::at(file, line, "sections is the Act's last section, a number")
                })?),
            };
            let same_act = |s: &&statute::Section| s.act == act && s.year == year;
            if let Some(k) = sections
                .iter()
                .position(|s| same_act(&s) && s.section == section)
            {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!("this section is already read at line {}", lines[k].0),
                ));
            }
            if let (Some(l), Some(other)) =
                (last, sections.iter().find(same_act).and_then(|s| s.last))
            {
                if l != other {
                    return Err(ConfigError::at(
                        file,
                        line,
                        format!("this Act's last section is {other} on another line"),
                    ));
                }
            }
            if !self.acts.contains(&act) {
                self.acts.push(act.clone());
            }
            let text = format!("s.{} {} {year} = {}", get(sc), get(a), means.join(" "));
            lines.push((line, text, means));
            sections.push(statute::Section {
                act,
                year: year.to_string(),
                section,
                last,
            });
        }
        // The single words abbreviations.csv writes an Act by ("POCA").
        let named: Vec<(String, Vec<String>)> = self
            .act_rules()
            .filter_map(|r| match r.written.as_slice() {
                [one] => Some((one.clone(), r.means.clone())),
                _ => None,
            })
            .collect();
        let added: Vec<Rule> = statute::read_by(&sections, &named)
            .into_iter()
            .map(|(l, word)| {
                let (line, text, means) = &lines[l];
                Rule {
                    text: text.clone(),
                    written: vec![word],
                    means: means.clone(),
                    file: file.to_string(),
                    line: *line,
                    only: Some(Side::Label),
                }
            })
            .collect();
        self.table_initials = statute::table_initials(&self.acts);
        self.rules.extend(added);
        self.rules
            .sort_by_key(|r| std::cmp::Reverse(r.written.len()));
        self.index_rules();
        Ok(())
    }

    /// "abbreviations.csv:12 (IIOC = indecent images of children)", for reasons.
    pub fn describe(&self, rule: usize) -> String {
        self.rules.get(rule).map_or_else(String::new, |r| {
            format!("{}:{} ({})", r.file, r.line, r.text)
        })
    }

    /// How many words an Act's name takes at `i`, with its year: a line
    /// whose meaning is an Act ("SOA" = "sexual offences act") as written
    /// or as meant, initials ending in "a" before a year ("CJIA 2008"), or
    /// "act" and a year.
    pub fn act_at(&self, words: &[String], i: usize) -> Option<usize> {
        let at = |phrase: &[String]| {
            !phrase.is_empty()
                && words.len() >= i + phrase.len()
                && words[i..i + phrase.len()] == *phrase
        };
        let mut len = self
            .act_names
            .iter()
            .chain(&self.acts)
            .filter(|p| at(p))
            .map(Vec::len)
            .max();
        let w = words.get(i)?;
        let year_next = words.get(i + 1).is_some_and(|x| statute::year(x))
            || statute::short_year(words, i, i + 1);
        // An Act's initials end in its "A" ("CJIA", "RTA"): "Rape 2019" is
        // no Act.
        let initials = (2..=6).contains(&w.len())
            && w.ends_with('a')
            && w.chars().all(|c| c.is_ascii_alphabetic());
        if len.is_none() && year_next && (w == "act" || initials) {
            len = Some(1);
        }
        if len.is_none() && self.table_initials.contains(w) && statute::section_before(words, i) {
            len = Some(1);
        }
        let len = len?;
        let dated = words.get(i + len).is_some_and(|x| statute::year(x))
            || statute::short_year(words, i, i + len);
        Some(len + usize::from(dated))
    }

    /// Replaces each run of words a line was written for by what it means,
    /// and what that means in turn, once more ("IIOC" is "indecent images
    /// of children", and "images" is "photographs").
    fn apply(&self, raw: Vec<String>, side: Side) -> Vec<(String, String, Option<usize>)> {
        self.apply_within(raw, None, side)
    }

    fn apply_within(
        &self,
        raw: Vec<String>,
        from: Option<usize>,
        side: Side,
    ) -> Vec<(String, String, Option<usize>)> {
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        'words: while i < raw.len() {
            let candidates = self.by_first.get(&raw[i]).map_or(&[][..], Vec::as_slice);
            for &k in candidates {
                let r = &self.rules[k];
                if r.only.is_some_and(|only| only != side) {
                    continue;
                }
                let n = r.written.len();
                if from.is_none() && raw.len() - i >= n && raw[i..i + n] == r.written[..] {
                    let written = statute::shown(&raw[i..i + n].join(" "));
                    for (m, _, _) in self.apply_within(r.means.clone(), Some(k), side) {
                        out.push((m, written.clone(), Some(k)));
                    }
                    i += n;
                    continue 'words;
                }
                if from.is_some_and(|f| f != k)
                    && raw.len() - i >= n
                    && raw[i..i + n] == r.written[..]
                {
                    for m in &r.means {
                        out.push((m.clone(), raw[i..i + n].join(" "), Some(k)));
                    }
                    i += n;
                    continue 'words;
                }
            }
            out.push((raw[i].clone(), raw[i].clone(), None));
            i += 1;
        }
        out
    }
}

/// Lower-case words of a text, split at anything not a letter or digit and
/// between letters and digits; "<" is "under", ">" is "over", "&" is
/// "and", a "+" after a number is "over".
pub fn raw_words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    let mut prev: Option<char> = None;
    let chars: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        k += 1;
        // "children's": the possessive is no word.
        if matches!(c, '\'' | '’')
            && chars.get(k).is_some_and(|n| n.eq_ignore_ascii_case(&'s'))
            && chars.get(k + 1).is_none_or(|n| !n.is_alphanumeric())
            && prev.is_some_and(char::is_alphabetic)
        {
            k += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let boundary = prev
                .is_some_and(|p| p.is_alphanumeric() && (p.is_ascii_digit() != c.is_ascii_digit()));
            if boundary {
                flush(&mut cur, &mut out);
            }
            cur.extend(c.to_lowercase());
        } else {
            flush(&mut cur, &mut out);
            let word = match c {
                '<' | '≤' => Some("under"),
                '>' | '≥' => Some("over"),
                '&' => Some("and"),
                '+' if prev.is_some_and(|p| p.is_ascii_digit()) => Some("over"),
                _ => None,
            };
            if let Some(w) = word {
                out.push(w.to_string());
            }
        }
        prev = Some(c);
    }
    flush(&mut cur, &mut out);
    out
}

/// `s` less its local references: letters then three or more digits, as
/// one token ("L0472", "CR1234/22"), which a force's own system gives
/// and which say nothing of the offence. A Home Office code or category
/// begins with its digits; a section ("s136", "SEC170") is a statute's.
fn without_local_codes(s: &str) -> String {
    s.split_inclusive(|c: char| !c.is_alphanumeric())
        .map(|chunk| {
            let token = chunk.trim_end_matches(|c: char| !c.is_alphanumeric());
            let letters = token.chars().take_while(char::is_ascii_alphabetic).count();
            let digits = token[letters..]
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            let rest = &token[letters + digits..];
            let section = statute::marker(&token[..letters].to_ascii_lowercase());
            if letters > 0
                && digits >= 3
                && !section
                && rest.chars().all(|c| c.is_ascii_alphabetic())
            {
                &chunk[token.len()..]
            } else {
                chunk
            }
        })
        .collect()
}

/// Words that deny what follows them in their clause ("excl. meter").
pub fn is_negator(w: &str) -> bool {
    matches!(w, "no" | "not" | "except" | "excluding" | "excl" | "exc")
}

/// Words that say nothing about which offence: dropped before matching.
pub fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "on"
            | "to"
            | "or"
            | "and"
            | "with"
            | "by"
            | "in"
            | "for"
            | "at"
            | "as"
            | "etc"
            | "per"
            | "from"
            | "than"
            | "into"
            | "its"
            | "his"
            | "her"
            | "their"
            | "be"
            | "being"
            | "been"
            | "is"
            | "are"
            | "was"
            | "were"
            | "this"
            | "that"
            | "which"
            | "who"
            | "s"
            | "yrs"
            | "yr"
            | "year"
            | "years"
            | "aged"
            | "age"
            | "old"
            | "through"
            | "having"
            | "whilst"
            | "while"
            | "when"
            | "where"
            | "any"
            | "such"
            | "if"
            | "all"
    )
}

/// Words whose meaning lies in being exactly themselves: never matched as
/// the start of a longer word ("over" is not "overseas").
pub fn is_closed(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
        || matches!(
            w,
            "under" | "over" | "no" | "not" | "other" | "without" | "male" | "man" | "men"
        )
}

/// Folds the endings that do not change which offence a word names:
/// "offences" and "offence", "inciting" and "incite", "aggravated" and
/// "aggravate" meet. Deliberately light: "publication" stays apart from
/// "public", which a full stemmer would join.
pub fn stem(w: &str) -> String {
    match w {
        "children" => return "child".into(),
        "women" => return "woman".into(),
        "men" => return "man".into(),
        "people" => return "person".into(),
        _ => {}
    }
    if w.chars().any(|c| c.is_ascii_digit()) || w.chars().count() <= 3 {
        return w.to_string();
    }
    let mut s = w.to_string();
    if s.len() > 4 && s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("sses") {
        s.truncate(s.len() - 2);
    } else if s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
        && s.len() > 3
    {
        s.pop();
    }
    if s.len() > 5 && s.ends_with("ing") {
        s.truncate(s.len() - 3);
    } else if s.len() > 4 && s.ends_with("ed") {
        s.truncate(s.len() - 2);
    }
    if s.len() > 4 && s.ends_with('e') {
        s.pop();
    }
    s
}

/// Words whose opposites tell offences apart: a label with one of a pair
/// fits a text with the other worse ("male" and "female", "with" and
/// "without" injury, theft "of" and "from", "under" and "over" an age,
/// "possession" and "supply" of a drug).
/// Read before stop words are dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks(u16);

const PAIRS: [(u16, u16); 5] = [(1, 2), (4, 8), (16, 32), (64, 128), (256, 512)];

impl Marks {
    fn of(words: &[String]) -> Marks {
        let mut m = 0u16;
        // "Theft of tools from a van" is theft from a vehicle: what is
        // taken comes after "of", where from after "from".
        let stolen_from = words
            .iter()
            .position(|w| w == "of")
            .is_some_and(|of| words[of..].iter().any(|w| w == "from"));
        for w in words.iter().filter(|w| !(stolen_from && *w == "of")) {
            // Having a drug, and supplying it.
            if w.starts_with("possess") || w == "poss" {
                m |= 256;
            } else if w.starts_with("suppl") {
                m |= 512;
            }
            m |= match stem(w).as_str() {
                "male" | "man" | "boy" => 1,
                "femal" | "woman" | "girl" => 2,
                "with" => 4,
                "without" => 8,
                "of" => 16,
                "from" => 32,
                "under" => 64,
                "over" => 128,
                _ => 0,
            };
        }
        Marks(m)
    }

    /// Both marks' words.
    pub fn union(self, other: Marks) -> Marks {
        Marks(self.0 | other.0)
    }

    /// The pairs of which some texts have one word and others the other:
    /// what does not tell them apart ("male" and "female" within one
    /// offence group).
    pub fn varying(marks: &[Marks]) -> Marks {
        let mut out = 0u16;
        for (a, b) in PAIRS {
            let one = marks.iter().any(|m| m.0 & a != 0 && m.0 & b == 0);
            let other = marks.iter().any(|m| m.0 & b != 0 && m.0 & a == 0);
            if one && other {
                out |= a | b;
            }
        }
        Marks(out)
    }

    /// How many of a label's marks a text contradicts: the text has the
    /// opposite of a word the label has, and not the label's own.
    pub fn against(self, text: Marks) -> u32 {
        self.against_but(text, Marks::default())
    }

    /// [`Marks::against`], leaving out the pairs `ignored` has a word of.
    pub fn against_but(self, text: Marks, ignored: Marks) -> u32 {
        let (l, t) = (self.0, text.0);
        let mut n = 0;
        for (k, (a, b)) in PAIRS.into_iter().enumerate() {
            if ignored.0 & (a | b) != 0 {
                continue;
            }
            for (mine, theirs) in [(a, b), (b, a)] {
                // The victim's sex: a text with the other sex is another
                // offence even when it names the offender's too ("… female
                // child under 13 by a male").
                let also_mine = k > 0 && t & mine != 0;
                if l & mine != 0 && l & theirs == 0 && t & theirs != 0 && !also_mine {
                    n += 1;
                }
            }
        }
        n
    }
}

/// Marks a word as negated: "¬penetration" in "no penetration" is not
/// "penetration".
pub const NOT: char = '¬';

/// The parts of a text a negation cannot reach past: split at commas,
/// brackets, colons and dashes between words (not the hyphen of "non-fatal").
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // A subsection glued to its section ("s.31(1)(c)", "5(2)") is part of
    // the reference, not a clause of its own.
    let mut glued = vec![false; chars.len()];
    for k in 1..chars.len() {
        if chars[k].1 != '(' || !(chars[k - 1].1.is_alphanumeric() || glued[k - 1]) {
            continue;
        }
        let inner = chars[k + 1..]
            .iter()
            .take_while(|x| x.1.is_ascii_alphanumeric())
            .count();
        if (1..=3).contains(&inner) && chars.get(k + 1 + inner).is_some_and(|x| x.1 == ')') {
            glued[k] = true;
            glued[k + 1 + inner] = true;
        }
    }
    // Brackets within an Act's name ("Infant Life (Preservation) Act
    // 1929", "Sexual Offences (Amendment) Act") are part of the name.
    for k in 0..chars.len() {
        if chars[k].1 != '(' {
            continue;
        }
        let Some(close) = chars[k + 1..]
            .iter()
            .take(40)
            .position(|x| matches!(x.1, '(' | ')'))
            .map(|p| k + 1 + p)
            .filter(|c| chars[*c].1 == ')')
        else {
            continue;
        };
        let after = text[chars.get(close + 1).map_or(text.len(), |x| x.0)..].trim_start();
        let act = after
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("act"))
            && after[3..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if act {
            glued[k] = true;
            glued[close] = true;
        }
    }
    for (k, &(i, c)) in chars.iter().enumerate() {
        let spaced = |j: Option<&(usize, char)>| j.is_none_or(|x| x.1.is_whitespace());
        let boundary = !glued[k]
            && matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '–' | '—')
            || (c == '-'
                && (spaced(k.checked_sub(1).and_then(|p| chars.get(p)))
                    || spaced(chars.get(k + 1))));
        if boundary {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// A text as matched: its words, its [`Marks`], and the victim's ages it
/// says ([`victim`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub words: Vec<Word>,
    pub marks: Marks,
    pub ages: Option<Ages>,
    /// The ages are only implied by a word ("girl", "woman"): they tell
    /// offences apart where they contradict, and say no more. A reference
    /// text's are never implied: its "child" alone is no age.
    pub implied: bool,
    /// A label that says "all" ("All other theft offences", "Sexual
    /// assault (all ages)") counts several offences together: whatever its
    /// words fit best, it is no one category's.
    pub spans: bool,
    /// A label that says "flag" or "marker" ("Modern slavery flag", "Hate
    /// crime - race marker") counts offences of any category marked so:
    /// the reference never says either word.
    pub flagged: bool,
}

/// A text's words as matched: read, statute references taken out, passed
/// through the wording table, ages set aside, stop words dropped,
/// stemmed; each stem once. A word after "no", "not", "other than",
/// "except" or "excluding" ("excl") in the same clause is negated ([`NOT`]); after
/// "without", up to the next small word; after "non", the one word.
pub fn read(text: &str, wording: Option<&Wording>, side: Side) -> Text {
    // (word, as written, wording line, clause)
    let mut all: Vec<(String, String, Option<usize>, usize)> = Vec::new();
    let act = |w: &[String], i: usize| act_at(wording, w, i);
    let text = match side {
        Side::Label => without_local_codes(text),
        Side::Reference => text.to_string(),
    };
    for (c, clause) in clauses(&text).into_iter().enumerate() {
        let raw = statute::strip(raw_words(clause), &act);
        let words = match wording {
            Some(w) => w.apply(raw, side),
            None => raw.into_iter().map(|r| (r.clone(), r, None)).collect(),
        };
        all.extend(
            words
                .into_iter()
                .map(|(w, written, via)| (w, written, via, c)),
        );
    }
    let plain: Vec<String> = all.iter().map(|x| x.0.clone()).collect();
    let found = victim::find(&plain);
    let mut read: Vec<(&str, &str, Option<usize>, bool)> = Vec::with_capacity(all.len());
    let mut negating = false;
    // After "without": whether a word it denies has come yet.
    let mut without: Option<bool> = None;
    let mut non = false;
    let mut clause = usize::MAX;
    for (k, (w, written, via, c)) in all.iter().enumerate() {
        if *c != clause {
            negating = false;
            without = None;
            non = false;
            clause = *c;
        }
        if found.used.get(k).copied().unwrap_or(false) || w.starts_with(SECTION) {
            continue;
        }
        let negator = is_negator(w)
            || (w == "than" && k > 0 && all[k - 1].0 == "other" && all[k - 1].3 == *c);
        // "without" denies the thing it names ("without injury", "without
        // firearm certificate"), up to the next small word, not the rest
        // of the clause ("… without injury on a constable").
        let small = is_stopword(w);
        let denied = negating || (without.is_some() && !small) || non;
        read.push((w, written, *via, denied && !negator && w != "non"));
        negating |= negator;
        // "non" is a prefix: it denies the one word it is put to
        // ("non-motor vehicle", "non-fatal strangulation").
        non = w == "non";
        without = match (w.as_str(), without) {
            ("without", _) => Some(false),
            (_, Some(named)) if small && named => None,
            (_, Some(named)) => Some(named || !small),
            (_, None) => None,
        };
    }
    let plain: Vec<String> = read
        .iter()
        .filter(|r| !r.3)
        .map(|r| r.0.to_string())
        .collect();
    let marks = Marks::of(&plain);
    let mut out: Vec<Word> = Vec::with_capacity(read.len());
    for (w, written, via, negated) in read {
        if is_stopword(w) {
            continue;
        }
        let mut stem = stem(w);
        if negated {
            stem.insert(0, NOT);
        }
        if out.iter().any(|x| x.stem == stem) {
            continue;
        }
        out.push(Word {
            stem,
            written: written.to_string(),
            via,
        });
    }
    // A word the text says as well as denies is said: "firearms …
    // without firearm certificate" is about firearms.
    let said: Vec<String> = out.iter().map(|w| w.stem.clone()).collect();
    out.retain(|w| {
        w.stem
            .strip_prefix(NOT)
            .is_none_or(|plain| !said.iter().any(|s| s == plain))
    });
    let ages = found
        .victim
        .filter(|_| !(found.implied && side == Side::Reference));
    Text {
        words: out,
        marks,
        ages,
        implied: found.implied && ages.is_some(),
        spans: side == Side::Label && all.iter().any(|x| x.0 == "all"),
        flagged: side == Side::Label
            && all.iter().any(|x| {
                matches!(
                    x.1.as_str(),
                    "flag" | "flags" | "flagged" | "marker" | "markers"
                )
            }),
    }
}

/// [`Wording::act_at`], or without a table, initials ending in "a" or "act" before
/// a year ("CJIA 2008").
fn act_at(wording: Option<&Wording>, words: &[String], i: usize) -> Option<usize> {
    match wording {
        Some(w) => w.act_at(words, i),
        None => Wording::default().act_at(words, i),
    }
}

/// A label's parts either side of each slash between words ("Murder /
/// attempted murder", "Arson/criminal damage"); a slash within
/// shorthand ("S/A", "w/o", "M/V") or between numbers joins nothing.
pub fn slashed(label: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in label.match_indices('/') {
        let word = |s: &str, last: bool| -> usize {
            let w = if last {
                s.trim_end().rsplit(|c: char| !c.is_alphabetic()).next()
            } else {
                s.trim_start().split(|c: char| !c.is_alphabetic()).next()
            };
            w.map_or(0, str::len)
        };
        let (before, after) = (&label[start..i], &label[i + 1..]);
        // A slash spaced on both sides between worded parts parts them,
        // whatever mark or number is beside it ("cwnstabl) / Assault",
        // "16+ / Rape").
        let spaced = before.ends_with(char::is_whitespace)
            && after.starts_with(char::is_whitespace)
            && worded(before)
            && worded(after);
        if spaced || (word(before, true) >= 3 && word(after, false) >= 3) {
            parts.push(&label[start..i]);
            start = i + 1;
        }
    }
    parts.push(&label[start..]);
    parts
}

/// The items of a list written with commas and a conjunction outside
/// brackets ("Riot and violent disorder, affray", "Robbery, burglary or
/// theft"): where one row may count offences of several categories. A
/// comma with no conjunction beside it ("Sexual assault, female") lists
/// nothing.
pub fn listed(label: &str) -> Vec<&str> {
    let mut depth = 0i32;
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in label.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(&label[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&label[start..]);
    if pieces.len() < 2 {
        return Vec::new();
    }
    let mut items = Vec::new();
    let mut joined = false;
    for piece in pieces {
        let sides = conjoined(piece);
        match sides.first() {
            // "Riot and violent disorder": each side an item.
            Some(&(left, _)) => {
                joined = true;
                items.push(left);
                items.push(sides.last().map_or(piece, |s| s.1));
            }
            None => items.push(piece.trim()),
        }
    }
    if !joined || items.iter().any(|p| !worded(p)) {
        return Vec::new();
    }
    items
}

/// A part's leading words, each shorter than the whole ("Religiously
/// aggravated" and "Religiously" of "Religiously aggravated wounding"):
/// what may be said of the part after a slash too.
pub fn heads(part: &str) -> impl Iterator<Item = &str> {
    let part = part.trim();
    part.match_indices(' ')
        .map(move |(i, _)| part[..i].trim())
        .filter(|h| h.chars().any(char::is_alphanumeric))
}

/// A part's trailing phrases that open with a preposition ("of a police
/// officer" of "suffocation of a police officer"): a victim, place or
/// means that may be said of the part before a slash too. (Any trailing
/// words would let an offence's own words, "actual bodily harm", make
/// the part before read as it.)
pub fn tails(part: &str) -> impl Iterator<Item = &str> {
    const OPENING: [&str; 10] = [
        "of", "from", "in", "on", "with", "to", "by", "at", "against", "upon",
    ];
    let part = part.trim();
    part.match_indices(' ')
        .map(move |(i, _)| part[i..].trim())
        .filter(|t| {
            t.split_whitespace()
                .next()
                .is_some_and(|w| OPENING.iter().any(|o| w.eq_ignore_ascii_case(o)))
        })
}

/// A label's alternatives in brackets ("Burglary residential (home &
/// unconnected outbuildings)", "Assault (with or without injury)"), each
/// in the brackets' place: where one row may count
/// offences of several categories. Brackets saying what is included or
/// left out, or bounding an age ("(13 and over)"), are none.
pub fn bracketed(label: &str) -> Option<Vec<String>> {
    let open = label.find('(')?;
    let close = open + label[open..].find(')')?;
    let inner = &label[open + 1..close];
    let first = inner.split_whitespace().next()?.to_lowercase();
    if first.starts_with("incl") || first.starts_with("exc") || is_negator(&first) {
        return None;
    }
    let parts: Vec<&str> = inner
        .split(['/', ',', '&'])
        .flat_map(|p| p.split(" and ").flat_map(|q| q.split(" or ")))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let bound = |p: &str| {
        let w = p.split_whitespace().next().unwrap_or("").to_lowercase();
        AGE_BOUNDS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit())
    };
    // A section cited is an offence of its own ("Wounding (s.18/s.20)").
    let offence = |p: &str| worded(p) || cites_section(p);
    if parts.len() < 2 || parts.iter().any(|p| bound(p) || !offence(p)) {
        return None;
    }
    let (before, after) = (label[..open].trim(), label[close + 1..].trim());
    Some(
        parts
            .into_iter()
            .map(|p| format!("{before} {p} {after}").trim().to_string())
            .collect(),
    )
}

/// Whether a part of a label has a word of its own (three letters or
/// more), not only numbers, initials or marks.
fn worded(part: &str) -> bool {
    part.split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 3)
}

/// Words that, after "and" or "or", bound an age ("13 and over").
const AGE_BOUNDS: [&str; 6] = ["over", "under", "above", "below", "older", "upwards"];

/// A label's two sides at each "and", "or" or "&" outside brackets
/// ("Assault with injury and assault with intent to cause serious harm"),
/// each side with words of its own: where a label may join two offences.
pub fn conjoined(label: &str) -> Vec<(&str, &str)> {
    let mut depth = 0i32;
    let mut sides = Vec::new();
    let lower = label.to_lowercase();
    // Byte offsets in the lower-cased label are the label's only where
    // lower-casing kept every character's length.
    if lower.len() != label.len() {
        return sides;
    }
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !lower.is_char_boundary(i) {
            i += 1;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ => {}
        }
        let at_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let conj = ["and", "or", "&"]
            .into_iter()
            .find(|c| lower[i..].starts_with(c))
            .filter(|c| {
                let end = i + c.len();
                at_word && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric())
            });
        if let (Some(c), 0) = (conj, depth) {
            let (left, right) = (label[..i].trim(), label[i + c.len()..].trim());
            // "16 years and over": a bound of an age, not a second offence.
            let bound = right
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| AGE_BOUNDS.iter().any(|b| w.eq_ignore_ascii_case(b)));
            if worded(left) && worded(right) && !bound {
                sides.push((left, right));
            }
            i += c.len();
            continue;
        }
        i += 1;
    }
    sides
}

/// What a side of a conjunction says from its first preposition on
/// ("of a pedal cycle" of "taking of a pedal cycle"): the words the other
/// side may share ("Theft or taking of a pedal cycle").
pub fn complement(side: &str) -> Option<&str> {
    tails(side).next()
}

/// A label's main part and what it says it includes ("Manslaughter incl.
/// corporate manslaughter", "Indecent image offences (including intimate
/// image sharing)"): the words after "incl." or "including", to the end of
/// their bracket, and the label less them (and less their bracket).
pub fn including(label: &str) -> Option<(String, String)> {
    let lower = label.to_lowercase();
    if lower.len() != label.len() {
        return None;
    }
    let at = ["including ", "incl. ", "incl ", "inc. "]
        .iter()
        .filter_map(|w| {
            lower
                .match_indices(w)
                .find(|(i, _)| *i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
                .map(|(i, _)| (i, w.len()))
        })
        .min()?;
    let (start, len) = at;
    let open = label[..start]
        .rfind('(')
        .filter(|&o| !label[o..start].contains(')'));
    let end = match open {
        Some(_) => label[start..].find(')').map_or(label.len(), |c| start + c),
        None => label.len(),
    };
    let included = label[start + len..end].trim().to_string();
    let cut = open.unwrap_or(start);
    let rest = if open.is_some() && end < label.len() {
        &label[end + 1..]
    } else {
        ""
    };
    let main = format!("{} {}", &label[..cut], rest);
    let main = main
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([',', '-', ' '])
        .to_string();
    (worded(&main) && worded(&included)).then_some((main, included))
}

/// Whether a label ends where nothing can end ("… DRUG - CLASS", "… TO
/// ENGAGE IN", "… (PRESERV"): a field cut at its width, as crime-system
/// exports cut them.
pub fn cut_short(label: &str) -> bool {
    let open = label.matches('(').count() > label.matches(')').count();
    // The last word as written: "sneak-in" and "(8A)" end nothing short;
    // nor does "a" ("Class A") or "in" ("engage in" may be all it says).
    let last = label
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    const OPEN: [&str; 14] = [
        "class", "of", "to", "by", "for", "with", "and", "or", "on", "the", "an", "from", "than",
        "into",
    ];
    open || OPEN.contains(&last.as_str())
}

/// A label less its brackets that list examples ("Commercial robbery
/// (shops, banks, post offices)"), and the brackets left out, when it has
/// any: items apart by commas, or "e.g." / "such as" first. A bracket
/// that says "incl." or "excl." narrows or widens what the label counts,
/// and stays.
pub fn examples(label: &str) -> Option<(String, String)> {
    let (mut kept, mut left) = (String::new(), Vec::new());
    let mut rest = label;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = rest[open + 1..close].trim();
        let lower = inside.to_ascii_lowercase();
        let first = lower
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("");
        let qualifies =
            is_negator(first) || matches!(first, "incl" | "including" | "inc" | "includes");
        let listed = inside.contains(',') || inside.contains(';');
        let given =
            lower.starts_with("e.g") || lower.starts_with("eg ") || lower.starts_with("such as");
        kept.push_str(&rest[..open]);
        if !qualifies && (listed || given) {
            left.push(&rest[open..=close]);
        } else {
            kept.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    kept.push_str(rest);
    let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    (!left.is_empty() && kept.chars().any(char::is_alphabetic)).then(|| (kept, left.join(" ")))
}

/// The clauses of a label that cite a section of an Act, when it has
/// others too ("Possession of mobile phone in prison - s.40D Prison Act"
/// gives "s.40D Prison Act").
pub fn citing_clauses(text: &str) -> Vec<&str> {
    let all = clauses(text);
    if all.len() < 2 {
        return Vec::new();
    }
    all.into_iter()
        .map(str::trim)
        .filter(|clause| {
            statute::strip(raw_words(clause), &|w, i| act_at(None, w, i))
                .iter()
                .any(|w| w.starts_with(SECTION))
        })
        .collect()
}

/// A label's worded parts either side of each dash spaced on either
/// side ("Voyeurism - recording private act", "THEFT -SHOPS"); a dash
/// within a word ("ill-treatment", "13-15") parts nothing.
pub fn dashed(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let spaced = |j: usize| text[j..].chars().next().is_none_or(char::is_whitespace);
        let before = i > 0 && text[..i].ends_with(char::is_whitespace);
        if matches!(c, '-' | '–' | '—') && (before || spaced(i + c.len_utf8())) {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.into_iter().filter(|p| worded(p)).collect()
}

/// Whether a label cites a section of an Act ("s.4 Fraud Act 2006",
/// "S47"): its offence is the section's, whatever else its words say.
pub fn cites_section(text: &str) -> bool {
    clauses(text).into_iter().any(|clause| {
        statute::strip(raw_words(clause), &|w, i| act_at(None, w, i))
            .iter()
            .any(|w| w.starts_with(SECTION))
    })
}

/// A label's words as matched (see [`read`]).
pub fn words(text: &str, wording: Option<&Wording>) -> Vec<Word> {
    read(text, wording, Side::Label).words
}

/// Whether `short` could be `long` written without some of its letters,
/// keeping its first ("aslt" for "assault", "dmg" for "damage").
pub fn abbreviates(short: &str, long: &str) -> bool {
    let mut s = short.chars();
    let mut l = long.chars();
    if s.next() != l.next() {
        return false;
    }
    s.all(|c| l.any(|d| d == c))
}

/// Optimal string alignment distance (Damerau-Levenshtein without
/// repeated edits of one substring), stopping early past `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let v = d[a.len() * w + b.len()];
    (v <= max).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(s: &str, wording: Option<&Wording>) -> Vec<String> {
        words(s, wording).into_iter().map(|w| w.stem).collect()
    }

    /// The clauses citing a section, apart from the words beside them.
    #[test]
    fn the_clauses_citing_a_section() {
        assert_eq!(
            citing_clauses("Possession of mobile phone in prison - s.40D(3A) Prison Act"),
            ["s.40D(3A) Prison Act"]
        );
        assert_eq!(
            citing_clauses("Prejudicing an investigation (POCA s.342)"),
            ["POCA s.342"]
        );
        // One clause is the whole label: nothing to read apart.
        assert!(citing_clauses("s.4A POA").is_empty());
        assert!(citing_clauses("Theft - shoplifting").is_empty());
    }

    /// A field cut at its width ends where no label ends.
    #[test]
    fn a_label_cut_short_ends_where_none_ends() {
        for cut in [
            "HAVING POSSESSION OF A CONTROLLED DRUG - CLASS",
            "CAUSING OR INCITING A CHILD UNDER 13 TO",
            "CHILD DESTRUCTION - INFANT LIFE (PRESERV",
            "Theft of and",
        ] {
            assert!(cut_short(cut), "{cut}");
        }
        for whole in [
            "Possession of Class A",
            "Burglary residential (home) - sneak-in",
            "Less serious wounding (8A)",
            "Engage in",
            "Rape of a female 16 and over",
        ] {
            assert!(!cut_short(whole), "{whole}");
        }
    }

    /// Examples in brackets are left out; what narrows or widens the
    /// label stays.
    #[test]
    fn brackets_listing_examples_are_left_out() {
        assert_eq!(
            examples("Commercial robbery (shops, banks, post offices)"),
            Some((
                "Commercial robbery".into(),
                "(shops, banks, post offices)".into()
            ))
        );
        assert_eq!(
            examples("Other theft (e.g. tools) - of which online"),
            Some((
                "Other theft - of which online".into(),
                "(e.g. tools)".into()
            ))
        );
        for kept in [
            "Burglary (incl. attempts, aggravated)",
            "Robbery (business)",
            "Possession of drugs (excl. cannabis, khat)",
            "(a, b)",
            "Theft (unclosed, bracket",
        ] {
            assert_eq!(examples(kept), None, "{kept}");
        }
    }

    #[test]
    fn symbols_and_glued_numbers_are_words() {
        assert_eq!(
            raw_words("SEX ASSLT F U13"),
            ["sex", "asslt", "f", "u", "13"]
        );
        assert_eq!(raw_words("Rape F <13"), ["rape", "f", "under", "13"]);
        assert_eq!(raw_words("16+"), ["16", "over"]);
        assert_eq!(raw_words("13yrs & over"), ["13", "yrs", "and", "over"]);
        assert_eq!(
            raw_words("Sexual assault – male"),
            ["sexual", "assault", "male"]
        );
    }

    #[test]
    fn endings_fold_but_publication_is_not_public() {
        assert_eq!(stem("offences"), stem("offence"));
        assert_eq!(stem("inciting"), stem("incite"));
        assert_eq!(stem("aggravated"), stem("aggravate"));
        assert_eq!(stem("children"), "child");
        assert_eq!(stem("photographs"), "photograph");
        assert_ne!(stem("publications"), stem("public"));
        assert_eq!(stem("13"), "13");
        assert_ne!(stem("male"), stem("female"));
    }

    #[test]
    fn the_wording_table_reads_shorthand_on_both_sides() {
        let table = Wording::from_csv(
            "abbreviations.csv",
            "written,means\nIIOC,indecent images of children\nu,under\nimages,photographs\n",
        )
        .expect("table");
        assert_eq!(
            stems("IIOC", Some(&table)),
            ["indecent", "photograph", "child"]
        );
        // "U13" is read "under 13", the victim's ages, which leave the words.
        assert_eq!(stems("Rape F U13", Some(&table)), ["rape", "f"]);
        assert_eq!(
            read("Rape F U13", Some(&table), Side::Label).ages,
            Some(Ages::new(0, Some(12)))
        );
        let w = words("IIOC", Some(&table));
        assert_eq!(w[0].written, "iioc");
        assert!(table
            .describe(w[0].via.expect("via"))
            .starts_with("abbreviations.csv:2 (iioc = "));
    }

    #[test]
    fn a_table_line_twice_is_an_error_at_its_line() {
        let err = Wording::from_csv("a.csv", "written,means\nGBH,grievous bodily harm\ngbh,x\n")
            .expect_err("twice");
        assert_eq!(
            err.to_string(),
            "a.csv:3: \"gbh\" is already read as \"grievous bodily harm\" at line 2"
        );
        let err = Wording::from_csv("a.csv", "written,means\n,x\n").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "a.csv:2: both `written` and `means` need a word"
        );
    }

    /// A line may read one side only: the reference, for what its texts
    /// leave unsaid; labels, as a line written with a digit always does.
    #[test]
    fn a_line_may_read_one_side() {
        let table = Wording::from_csv(
            "a.csv",
            "written,means,side\ncannabis,class b cannabis,reference\nweed,cannabis\nS47,actual bodily harm\n",
        )
        .expect("table");
        let stems = |t: &str, side: Side| -> Vec<String> {
            read(t, Some(&table), side)
                .words
                .into_iter()
                .map(|w| w.stem)
                .collect()
        };
        assert_eq!(
            stems("cannabis", Side::Reference),
            ["class", "b", "cannabis"]
        );
        assert_eq!(stems("cannabis", Side::Label), ["cannabis"]);
        assert_eq!(stems("weed", Side::Label), ["cannabis"]);
        assert!(stems("S47", Side::Label).contains(&stem("bodily")));
        assert!(!stems("S47", Side::Reference).contains(&stem("bodily")));
        let err = Wording::from_csv("a.csv", "written,means,side\nweed,cannabis,labels\n")
            .expect_err("side");
        assert!(
            err.to_string().starts_with("a.csv:2: side \"labels\""),
            "{err}"
        );
        let err = Wording::from_csv("a.csv", "written,means,side\nS47,abh,reference\n")
            .expect_err("digit");
        assert!(err.to_string().contains("digit"), "{err}");
    }

    /// A reference text's stems, read with no wording table.
    fn reference_stems(t: &str) -> Vec<String> {
        read(t, None, Side::Reference)
            .words
            .into_iter()
            .map(|w| w.stem)
            .collect()
    }

    #[test]
    fn negation_reaches_to_the_end_of_its_clause() {
        let stems = reference_stems;
        assert_eq!(
            stems("Arson not endangering life"),
            ["arson", "not", "¬endanger", "¬life"]
        );
        assert_eq!(
            stems("Sexual activity - Female child - no penetration - Offender under 18"),
            [
                "sexual",
                "activity",
                "femal",
                "child",
                "no",
                "¬penetration",
                "offender"
            ]
        );
        // A word said and denied is said: the vehicle is one, not a motor one.
        assert_eq!(
            stems("Theft from vehicle other than a motor vehicle"),
            ["theft", "vehicl", "other", "¬motor"]
        );
        assert_eq!(stems("Theft (excl. meter)"), ["theft", "excl", "¬meter"]);
        // "non" denies the word it is put to alone.
        assert_eq!(
            stems("Non-fatal strangulation"),
            ["non", "¬fatal", "strangulation"]
        );
        assert_eq!(
            stems("Theft from a non-motor vehicle"),
            ["theft", "non", "¬motor", "vehicl"]
        );
    }

    /// A section whose offence's words end in "act" ("s.12 SOA 2003":
    /// "causing a child to watch a sexual act") is no Act: a label with
    /// those words keeps them.
    #[test]
    fn an_offence_ending_in_act_is_no_act() {
        let statutes = "act,year,section,means\nSexual Offences Act,2003,12,causing a child to watch a sexual act\n";
        let w = Wording::from_tables(None, Some(("statutes.csv", statutes)), None, None)
            .expect("table");
        assert_eq!(
            stems("Causing a child to watch a sexual act", Some(&w)),
            ["caus", "child", "watch", "sexual", "act"]
        );
        // The section cited is still read as its offence.
        assert!(stems("s.12 SOA 2003", Some(&w)).contains(&"watch".to_string()));
    }

    /// A force's own reference ("L0472") says nothing of the offence; a
    /// section, a category or a Home Office code is left for its reader.
    #[test]
    fn local_references_are_no_words() {
        assert_eq!(
            without_local_codes("L0472 THEFT FROM METER"),
            " THEFT FROM METER"
        );
        assert_eq!(without_local_codes("Theft (CR1234/22)"), "Theft (/22)");
        assert_eq!(without_local_codes("ABC123X assault"), " assault");
        for kept in [
            "s136 MHA",
            "SEC170 CEMA",
            "105A",
            "NFIB90",
            "u13",
            "S47 OAPA",
        ] {
            assert_eq!(without_local_codes(kept), kept);
        }
        assert_eq!(
            raw_words("L0472 theft"),
            ["l", "0472", "theft"],
            "labels only"
        );
        assert_eq!(
            read("L0472 theft", None, Side::Label)
                .words
                .iter()
                .map(|w| w.stem.as_str())
                .collect::<Vec<_>>(),
            ["theft"]
        );
    }

    #[test]
    fn offences_joined_by_a_slash() {
        assert_eq!(
            slashed("Murder / attempted murder"),
            ["Murder ", " attempted murder"]
        );
        assert_eq!(
            slashed("Arson/criminal damage"),
            ["Arson", "criminal damage"]
        );
        assert_eq!(slashed("S/A on F U13"), ["S/A on F U13"]);
        assert_eq!(slashed("Assault w/o injury"), ["Assault w/o injury"]);
        // Spaced, whatever mark or number stands beside it.
        assert_eq!(
            slashed("Trais rhywiol 16+ / Rape 16 or over"),
            ["Trais rhywiol 16+ ", " Rape 16 or over"]
        );
        assert_eq!(
            slashed("Assault (constable) / Ymosod"),
            ["Assault (constable) ", " Ymosod"]
        );
        assert_eq!(slashed("Rape 2016 / 17"), ["Rape 2016 / 17"]);
    }

    #[test]
    fn a_sides_complement_starts_at_its_first_preposition() {
        assert_eq!(
            complement("taking of a pedal cycle"),
            Some("of a pedal cycle")
        );
        assert_eq!(complement("handling stolen goods"), None);
        assert_eq!(complement("of a child"), None);
    }

    #[test]
    fn what_a_label_says_it_includes_is_read_apart() {
        let got = including;
        assert_eq!(
            got("Manslaughter incl. corporate manslaughter"),
            Some(("Manslaughter".into(), "corporate manslaughter".into()))
        );
        assert_eq!(
            got("Indecent image offences (including intimate image sharing) *"),
            Some((
                "Indecent image offences *".into(),
                "intimate image sharing".into()
            ))
        );
        assert_eq!(
            got("Manslaughter (all types incl. corporate)"),
            Some(("Manslaughter".into(), "corporate".into()))
        );
        assert_eq!(got("Incest or familial sexual offences"), None);
        assert_eq!(got("Drugs (incl. 1)"), None);
    }

    #[test]
    fn a_label_is_joined_at_each_and_or_outside_brackets() {
        assert_eq!(
            conjoined("Assault with injury and assault with intent"),
            [("Assault with injury", "assault with intent")]
        );
        assert_eq!(
            conjoined("Fraud & forgery or theft"),
            [("Fraud", "forgery or theft"), ("Fraud & forgery", "theft")]
        );
        // Words within words, brackets and sides without words join nothing.
        assert!(conjoined("Organised crime (and gangs)").is_empty());
        assert!(conjoined("Rape - 16 and 17").is_empty());
        assert!(conjoined("Vandalism or").is_empty());
        // An age's bound is no second offence.
        assert!(conjoined("Rape of a woman 16 years & over (1)").is_empty());
        assert!(conjoined("Victims aged 13 or under").is_empty());
    }

    /// A subsection glued to its section stays in its clause; a bracket
    /// set apart by a space still starts one.
    #[test]
    fn a_subsection_is_no_clause() {
        assert_eq!(clauses("s.31(1)(c) CDA 1998"), ["s.31(1)(c) CDA 1998"]);
        assert_eq!(clauses("Rape (F) 16+"), ["Rape ", "F", " 16+"]);
        // Brackets within an Act's name are part of it.
        assert_eq!(
            clauses("Child destruction - Infant Life (Preservation) Act 1929"),
            ["Child destruction ", " Infant Life (Preservation) Act 1929"]
        );
        assert_eq!(clauses("Theft (Act 1968)")[0], "Theft ");
    }

    /// "Theft of tools from a van" is theft from: a "from" after "of"
    /// says where it was taken from, and the "of" no more counts.
    #[test]
    fn theft_of_a_thing_from_a_place_is_theft_from() {
        let marks = |t: &str| read(t, None, Side::Label).marks;
        assert_eq!(marks("Theft of tools from van"), marks("Theft from van"));
        assert_ne!(marks("Theft of van"), marks("Theft from van"));
        assert_eq!(marks("Theft of van").against(marks("Theft from a van")), 1);
    }

    /// "without" denies what it names, up to the next small word, and no
    /// more of the clause: "on a constable" is said.
    #[test]
    fn without_denies_what_it_names() {
        let stems = reference_stems;
        assert_eq!(
            stems("Assault without Injury on a Constable"),
            ["assault", "without", "¬injury", "constabl"]
        );
        assert_eq!(
            stems("Possessing firearms without firearm certificate"),
            ["possess", "firearm", "without", "¬certificat"]
        );
        assert_eq!(
            stems("Sexual activity without consent"),
            ["sexual", "activity", "without", "¬consent"]
        );
    }

    #[test]
    fn opposites_count_against() {
        let m = |s: &str| read(s, None, Side::Label).marks;
        let label = m("Rape of a male child under 13");
        assert_eq!(
            label.against(m("Rape of a female child under 13 by a male")),
            1
        );
        assert_eq!(
            m("Sexual activity child under 13").against(m("under 13 by an offender over 18")),
            0
        );
        assert_eq!(
            label.against(m("Rape of a male child under 13 by a male")),
            0
        );
        // Ages are no marks: they are read as ranges ([`victim`]).
        assert_eq!(label.against(m("Rape of a Male aged 16 and over")), 0);
        assert_eq!(
            m("Assault with injury").against(m("Assault without Injury")),
            1
        );
        assert_eq!(
            m("Theft of a motor vehicle").against(m("Theft from a Motor Vehicle")),
            1
        );
        assert_eq!(m("Sexual activity").against(m("Female child")), 0);
        // Having a drug is not supplying it; possessing it with intent to
        // supply says both.
        assert_eq!(
            m("Possession of cannabis resin").against(m("Supplying cannabis resin")),
            1
        );
        assert_eq!(
            m("Possession of cannabis").against(m("Possession with intent to supply cannabis")),
            0
        );
    }

    #[test]
    fn a_possessive_is_no_word() {
        assert_eq!(raw_words("Children's homes"), ["children", "homes"]);
        assert_eq!(raw_words("Children’s homes"), ["children", "homes"]);
        // A quote's "s" after a space is left alone.
        assert_eq!(raw_words("Class 's'"), ["class", "s"]);
    }

    #[test]
    fn statute_references_leave_the_words() {
        let table = Wording::from_csv(
            "abbreviations.csv",
            "written,means\nSOA,sexual offences act\nS47,actual bodily harm\n",
        )
        .expect("table");
        assert_eq!(
            stems(
                "Sec 15 SOA 2003 - meeting child after grooming",
                Some(&table)
            ),
            ["meet", "child", "after", "groom"]
        );
        assert_eq!(
            stems(
                "s.3 of the Sexual Offences Act 2003 sexual assault",
                Some(&table)
            ),
            ["sexual", "assault"]
        );
        // A section alone is read through the table ("S47"), or dropped.
        assert_eq!(
            stems("Section 47 assault", Some(&table)),
            ["actual", "bodily", "harm", "assault"]
        );
        assert_eq!(
            stems("Common assault (s.39)", Some(&table)),
            ["common", "assault"]
        );
        // An Act's name: a table line meaning an Act, or initials
        // or "act" before a year.
        let w = |s: &str| raw_words(s);
        assert_eq!(table.act_at(&w("soa 2003 s 3"), 0), Some(2));
        assert_eq!(table.act_at(&w("sexual offences act"), 0), Some(3));
        assert_eq!(table.act_at(&w("cjia 2008"), 0), Some(2));
        assert_eq!(table.act_at(&w("the act 1988"), 1), Some(2));
        assert_eq!(table.act_at(&w("rape 2019"), 0), None);
        assert_eq!(stems("Rape 2019", Some(&table)), ["rape", "2019"]);
        assert_eq!(table.act_at(&w("rape female"), 0), None);
    }

    #[test]
    fn a_section_of_a_named_act_reads_as_its_offence() {
        let mut table = Wording::from_csv(
            "abbreviations.csv",
            "written,means\nPOA,public order act\nSOA,sexual offences act\n",
        )
        .expect("table");
        table
            .add_statutes(
                "statutes.csv",
                "act,year,section,means\n\
                 Public Order Act,1986,4A,public fear alarm or distress\n\
                 Sexual Offences Act,2003,15,meeting a child following sexual grooming\n\
                 Sexual Offences Act,1956,15,indecent assault on a man\n",
            )
            .expect("statutes");
        assert_eq!(
            stems("Racially aggravated s.4A POA", Some(&table)),
            ["racially", "aggravat", "public", "fear", "alarm", "distress"]
        );
        assert_eq!(
            stems("s.4A of the Public Order Act 1986", Some(&table)),
            ["public", "fear", "alarm", "distress"]
        );
        let w = words("s.4A POA", Some(&table));
        assert_eq!(w[0].written, "s.4a poa");
        assert_eq!(
            table.describe(w[0].via.expect("via")),
            "statutes.csv:2 (s.4A Public Order Act 1986 = public fear alarm or distress)"
        );
        // Two Acts of one name have a section 15: the year says which, and
        // without it neither is read.
        assert_eq!(
            stems("Sec 15 SOA 2003 - grooming", Some(&table)),
            ["meet", "child", "follow", "sexual", "groom"]
        );
        assert_eq!(stems("Sec 15 SOA - grooming", Some(&table)), ["groom"]);
        // A section the table does not list says nothing.
        assert_eq!(stems("s.5 POA", Some(&table)), Vec::<String>::new());
    }

    /// An Act of the table is read written out, with no line naming it,
    /// and by its initials with or without the words joining its own.
    #[test]
    fn an_act_is_read_by_its_name_and_either_initials() {
        let mut table = Wording::default();
        table
            .add_statutes(
                "statutes.csv",
                "act,year,section,means
                 Protection from Harassment Act,1997,2,harassment
                 Prevention of Crime Act,1953,1,possession of an offensive weapon
",
            )
            .expect("statutes");
        for label in [
            "s.2 PHA 1997",
            "s.2 PFHA 1997",
            "Protection from Harassment Act 1997 s.2",
            "Section 2 of the Protection from Harassment Act",
        ] {
            assert_eq!(stems(label, Some(&table)), ["harassment"], "{label}");
        }
        assert_eq!(
            stems("s.1 Prevention of Crime Act 1953", Some(&table)),
            ["possession", "offensiv", "weapon"]
        );
        assert!(cites_section("s.1 Prevention of Crime Act 1953"));
        assert!(!cites_section("Prevention of crime"));
    }

    /// Acts sharing initials: written out, each is itself; by initials,
    /// only a section past the other's last.
    #[test]
    fn acts_sharing_initials_are_told_apart_or_not_read() {
        let mut table = Wording::default();
        table
            .add_statutes(
                "statutes.csv",
                "act,year,section,means,sections
Child Abduction Act,1984,1,abduction of a child by parent,13
Criminal Attempts Act,1981,9,interference with a motor vehicle,11
Crime and Disorder Act,1998,30,racially or religiously aggravated criminal damage,121
Criminal Damage Act,1971,2,threats to destroy or damage property,12
",
            )
            .expect("statutes");
        // Section 1 of the Criminal Attempts Act is an attempt, which the
        // table does not list: no child abduction.
        assert_eq!(
            stems("Attempted murder - s1 Criminal Attempts Act", Some(&table)),
            ["attempt", "murder"]
        );
        assert_eq!(
            stems("s.1 CAA 1984", Some(&table)),
            ["abduction", "child", "parent"]
        );
        assert_eq!(stems("s.1 CAA", Some(&table)), Vec::<String>::new());
        // "CDA" after a section the Criminal Damage Act cannot have, and
        // the offence's words before it kept.
        assert_eq!(
            stems("Criminal damage s30 CDA", Some(&table)),
            ["criminal", "damag", "racially", "religiously", "aggravat"]
        );
        assert_eq!(stems("s.2 CDA", Some(&table)), Vec::<String>::new());
        let err = table
            .add_statutes(
                "s.csv",
                "act,year,section,means,sections\nTheft Act,1968,12,a,x\n",
            )
            .expect_err("not a number");
        assert!(err.to_string().starts_with("s.csv:2: "), "{err}");
        let err = table
            .add_statutes(
                "s.csv",
                "act,year,section,means,sections\nTheft Act,1968,12,a,36\nTheft Act,1968,13,b,35\n",
            )
            .expect_err("two lasts");
        assert_eq!(
            err.to_string(),
            "s.csv:3: this Act's last section is 36 on another line"
        );
    }

    #[test]
    fn a_statute_line_twice_or_without_its_year_is_an_error_at_its_line() {
        let mut table = Wording::default();
        let err = table
            .add_statutes(
                "s.csv",
                "act,year,section,means\nTheft Act,1968,12,a\nTheft Act,1968,12,b\n",
            )
            .expect_err("twice");
        assert_eq!(
            err.to_string(),
            "s.csv:3: this section is already read at line 2"
        );
        let err = table
            .add_statutes("s.csv", "act,year,section,means\nTheft Act,,12,a\n")
            .expect_err("no year");
        assert!(err.to_string().starts_with("s.csv:2: "), "{err}");
        let err = table
            .add_statutes("s.csv", "act,section,means\n")
            .expect_err("header");
        assert!(err.to_string().contains("act,year,section,means"), "{err}");
    }

    #[test]
    fn a_label_saying_flag_or_marker_is_flagged() {
        for label in [
            "Modern slavery flag",
            "HATE CRIME - RACE MARKER",
            "DA flagged offences",
        ] {
            assert!(read(label, None, Side::Label).flagged, "{label}");
        }
        assert!(!read("Modern slavery", None, Side::Label).flagged);
        assert!(!read("Flag offences", None, Side::Reference).flagged);
    }

    #[test]
    fn a_label_saying_all_spans_several_offences() {
        assert!(read("All other theft offences", None, Side::Label).spans);
        assert!(read("Sexual assault (all ages)", None, Side::Label).spans);
        assert!(!read("Other theft offences", None, Side::Label).spans);
        // A reference text's "all" ("all reasonable steps") is its own.
        assert!(!read("All TEW offences", None, Side::Reference).spans);
        // "all" itself matches nothing and weighs nothing.
        assert_eq!(
            stems("All other theft offences", None),
            ["other", "theft", "offenc"]
        );
    }

    #[test]
    fn the_victims_ages_are_read_and_set_aside() {
        let t = read(
            "Sexual assault on a female aged 16 or over",
            None,
            Side::Label,
        );
        assert_eq!(t.ages, Some(Ages::new(16, None)));
        assert!(!t.implied);
        assert_eq!(
            t.words.iter().map(|w| w.stem.as_str()).collect::<Vec<_>>(),
            ["sexual", "assault", "femal"]
        );
        // "child" in a label implies under 18; in the reference it is no age.
        let l = read("Rape of a female child", None, Side::Label);
        assert_eq!((l.ages, l.implied), (Some(Ages::new(0, Some(17))), true));
        assert_eq!(
            read("Rape of a female child", None, Side::Reference).ages,
            None
        );
    }

    #[test]
    fn shorthand_and_typos() {
        assert!(abbreviates("aslt", "assault"));
        assert!(abbreviates("dmg", "damage"));
        assert!(!abbreviates("aslt", "salt"));
        assert_eq!(edit_distance("grroming", "grooming", 2), Some(1));
        assert_eq!(edit_distance("invloving", "involving", 2), Some(1));
        assert_eq!(edit_distance("femal", "male", 1), None);
    }

    #[test]
    fn a_list_needs_commas_and_a_conjunction() {
        assert_eq!(
            listed("Riot and violent disorder, affray"),
            ["Riot", "violent disorder", "affray"]
        );
        assert_eq!(
            listed("Robbery, burglary or theft (all)"),
            ["Robbery", "burglary", "theft (all)"]
        );
        assert!(listed("Sexual assault, female").is_empty());
        assert!(listed("Assault (with, or without injury)").is_empty());
        assert!(listed("Theft and handling").is_empty());
    }

    #[test]
    fn alternatives_in_brackets_are_read_with_the_words_outside() {
        assert_eq!(
            bracketed("Burglary residential (home & unconnected outbuildings)"),
            Some(vec![
                "Burglary residential home".to_string(),
                "Burglary residential unconnected outbuildings".to_string(),
            ])
        );
        assert_eq!(
            bracketed("Assault (with or without injury) - police"),
            Some(vec![
                "Assault with - police".to_string(),
                "Assault without injury - police".to_string(),
            ])
        );
        assert_eq!(
            bracketed("Wounding (s.18/s.20)"),
            Some(vec![
                "Wounding s.18".to_string(),
                "Wounding s.20".to_string()
            ])
        );
        for none in [
            "Rape (incl. attempts)",
            "Offence (19/20)",
            "Sexual assault (13 and over)",
            "Theft (not shoplifting or cycles)",
            "Robbery (business)",
        ] {
            assert_eq!(bracketed(none), None, "{none}");
        }
    }

    #[test]
    fn a_spaced_dash_parts_a_label_and_a_dash_within_a_word_does_not() {
        assert_eq!(
            dashed("Voyeurism - recording private act"),
            ["Voyeurism ", " recording private act"]
        );
        assert_eq!(dashed("THEFT -SHOPS – 49"), ["THEFT ", "SHOPS "]);
        assert_eq!(
            dashed("Ill-treatment of a child aged 13-15"),
            ["Ill-treatment of a child aged 13-15"]
        );
    }
}
