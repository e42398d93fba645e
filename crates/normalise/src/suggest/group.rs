//! Words police use for several offences at once, which the Home Office
//! reference does not name: "Knife crime", "Hate crime", "Domestic abuse
//! related", "Fraud" (config/reference/groups.csv). A label that is only
//! such a term is no one category's, however well its words fit one
//! description ("Breach Knife Crime Prevention Order"): it is declined,
//! and the reason says what it names.
//!
//! The reference's own classes and sub-classes ("Violence with injury")
//! are groups already ([`super::index::Source::Group`]); this table is for
//! the terms it does not have.

use super::text;
use foi_model::ConfigError;
use std::collections::BTreeSet;

/// What a term names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Offences of several categories ("knife crime").
    Group,
    /// A flag forces put on offences of any category ("domestic abuse",
    /// "online"): not an offence at all.
    Flag,
    /// A total or a row that is no offence ("Total", "Not recorded").
    Other,
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Term {
    /// The words that name it, stemmed.
    stems: BTreeSet<String>,
    /// Its initials, with and without its small words ("cce" for "child
    /// criminal exploitation"): a label may add them ("… (CCE)").
    initials: [String; 2],
    /// It joins two things ("fraud and computer misuse"): a label naming
    /// it joins them too, where "Fraud - computer misuse" is a class and
    /// then one of its offences.
    joined: bool,
    pub written: String,
    pub kind: Kind,
    /// What it counts, for the reviewer.
    pub what: String,
    pub file: String,
    pub line: usize,
}

impl Term {
    /// The reason a label naming it is declined.
    pub fn reason(&self) -> String {
        let is = match self.kind {
            Kind::Group => "names offences of several categories",
            Kind::Flag => "is a flag on offences of any category, not an offence",
            Kind::Other => "names no offence",
        };
        format!(
            "{:?} {is}: {} ({}:{})",
            self.written, self.what, self.file, self.line
        )
    }
}

/// Words a label adds to a term without narrowing it: "Knife crime
/// offences", "Domestic abuse related", "Hate crime flag".
const GENERIC: [&str; 15] = [
    "offences",
    "crime",
    "related",
    "linked",
    "used",
    "flag",
    "flagged",
    "recorded",
    "incidents",
    "offending",
    "types",
    "category",
    "marker",
    "involving",
    "other",
];

/// The terms of config/reference/groups.csv.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    terms: Vec<Term>,
}

impl Groups {
    /// Reads the table (header `written,kind,what`; kind `group`, `flag`
    /// or `other`); a term written twice, or of generic words alone, is
    /// an error at its line.
    pub fn from_csv(file: &str, text: &str) -> Result<Groups, ConfigError> {
        #[derive(serde::Deserialize)]
        struct Row {
            written: String,
            kind: String,
            what: String,
        }
        let mut terms: Vec<Term> = Vec::new();
        for (line, row) in foi_model::table::csv_rows::<Row>(file, text)? {
            let kind = match row.kind.trim() {
                "group" => Kind::Group,
                "flag" => Kind::Flag,
                "other" => Kind::Other,
                k => {
                    return Err(ConfigError::at(
                        file,
                        line,
                        format!("kind {k:?}: write group, flag or other"),
                    ))
                }
            };
            let stems = stems(&row.written);
            if stems.iter().all(|s| generic(s)) {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!("{:?} has no word of its own", row.written),
                ));
            }
            if let Some(prev) = terms.iter().find(|t| t.stems == stems) {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!("{:?} is the same term as line {}", row.written, prev.line),
                ));
            }
            let words = text::raw_words(&row.written);
            let first = |small: bool| -> String {
                words
                    .iter()
                    .filter(|w| small || !matches!(w.as_str(), "and" | "of" | "the" | "or"))
                    .filter_map(|w| w.chars().next())
                    .collect()
            };
            terms.push(Term {
                stems,
                initials: [first(true), first(false)],
                joined: joins(&words),
                written: row.written.trim().to_string(),
                kind,
                what: row.what.trim().to_string(),
                file: file.to_string(),
                line,
            });
        }
        Ok(Groups { terms })
    }

    /// The term a label is, when its words are a term's and nothing more
    /// (besides [`GENERIC`] words and the victim's ages).
    pub fn named(&self, label: &str) -> Option<&Term> {
        self.named_unless(label, text::cites_section(label))
    }

    /// [`Groups::named`], told whether the label cites a section that is
    /// one offence: then it is that offence's, whatever else it says.
    pub fn named_unless(&self, label: &str, offence_cited: bool) -> Option<&Term> {
        // A row that begins "Total" adds up rows of its kind ("Total
        // theft and handling stolen goods"), whatever follows; so does one
        // whose part after a dash does (a row under a section heading:
        // "Business and community - Total burglary").
        let totals = label.split(" - ").any(|part| {
            let first = part
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .map(str::to_ascii_lowercase);
            matches!(first.as_deref(), Some("total" | "totals" | "subtotal"))
        });
        if totals {
            if let Some(t) = self
                .terms
                .iter()
                .find(|t| t.written.eq_ignore_ascii_case("total"))
            {
                return Some(t);
            }
        }
        let s = stems(label);
        if s.is_empty() || offence_cited {
            return None;
        }
        let joined = joins(&text::raw_words(label)) || label.contains(['/', ',']);
        // Each word of the label not generic is one of the term's, or its
        // initials: a label of more such words than that is no term's, and
        // is passed over before any word is compared.
        let own = s.iter().filter(|w| !generic(w)).count();
        // The longest term whose words the label says, with nothing
        // more but generic words: "Knife crime offences" is "knife crime",
        // "Knife" is not.
        self.terms
            .iter()
            .filter(|t| own <= t.stems.len() + 1 && t.stems.len() <= s.len())
            .filter(|t| joined || !t.joined)
            .filter(|t| {
                // A term's word may be written with a slip ("Suspicous").
                // … or cut short ("Burg OTD").
                let said = |x: &String, y: &String| {
                    x == y
                        || (y.len() >= 5 && text::edit_distance(x, y, 1).is_some())
                        || (x.len() >= 4 && text::abbreviates(x, y))
                };
                let extra = |w: &String| {
                    t.stems.iter().any(|ts| said(w, ts))
                        || generic(w)
                        || (w.len() > 1 && t.initials.contains(w))
                };
                t.stems.iter().all(|ts| s.iter().any(|w| said(w, ts))) && s.iter().all(extra)
            })
            .max_by_key(|t| t.stems.len())
    }
}

/// Whether words join two things: "and", "or" ("&" is read as "and")
/// between words of their own; "theft of and from vehicles" joins only
/// what is taken how.
fn joins(words: &[String]) -> bool {
    words.windows(3).any(|w| {
        matches!(w[1].as_str(), "and" | "or")
            && !text::is_stopword(&w[0])
            && !text::is_stopword(&w[2])
    })
}

fn stems(text: &str) -> BTreeSet<String> {
    text::words(text, None)
        .into_iter()
        .map(|w| w.stem)
        .collect()
}

pub fn generic(stem: &str) -> bool {
    GENERIC.iter().any(|g| text::stem(g) == stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "written,kind,what
knife crime,group,offences where a knife was used or carried
domestic abuse,flag,offences in a domestic setting
total,other,the sum of the rows
";

    /// A term written with a slip in one of its longer words is the term.
    #[test]
    fn a_term_with_a_slip() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        assert!(g.named("Domestc abuse").is_some());
        assert!(g.named("Knife crimes and robbery").is_none());
    }

    /// … or cut short, as exports cut words ("DOM ABUSE" is too short a
    /// cut to be sure of; four letters are not).
    #[test]
    fn a_term_cut_short() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        assert!(g.named("Domest abuse").is_some());
        assert!(g.named("Knif crime").is_some());
        assert!(g.named("Dom abuse").is_none());
    }

    /// A term with its initials in brackets after it is the term.
    #[test]
    fn a_term_and_its_initials() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        for label in ["Knife crime (KC)", "Domestic abuse (DA) related"] {
            assert!(g.named(label).is_some(), "{label}");
        }
        assert!(g.named("Knife crime (XY)").is_none());
    }

    #[test]
    fn a_label_of_a_terms_words_names_it() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        for label in [
            "Knife crime",
            "KNIFE CRIME OFFENCES",
            "Knife-crime*",
            "Knife crime related incidents",
            // "Other" rows are the term's rest, still of several categories.
            "Other knife crime",
        ] {
            assert_eq!(
                g.named(label).map(|t| t.written.as_str()),
                Some("knife crime"),
                "{label}"
            );
        }
        let t = g.named("Domestic abuse related").expect("flag");
        assert_eq!(t.kind, Kind::Flag);
        assert!(t.reason().contains("not an offence"), "{}", t.reason());
        assert_eq!(g.named("Total").map(|t| t.kind), Some(Kind::Other));
    }

    /// A word beyond the term narrows it: "Knife crime - possession" may
    /// well be one category, for the words to decide.
    #[test]
    fn a_word_more_is_another_label() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        assert!(g.named("Knife crime possession").is_none());
        assert!(g.named("Breach of knife crime prevention order").is_none());
        assert!(g.named("Knife").is_none());
        assert!(g.named("Offences").is_none());
        assert!(g.named("Other offences").is_none());
        // A section of an Act is one offence, whatever the Act's name.
        assert!(g.named("s.4 Knife Crime Act 2026").is_none());
        assert!(g.named("Vehicle crime").is_none());
    }

    /// A term joining two things is named only by a label joining them
    /// too: "Fraud - computer misuse" is the class, then its offence.
    #[test]
    fn a_joined_term_needs_its_join() {
        let g = Groups::from_csv(
            "groups.csv",
            "written,kind,what\nfraud and computer misuse,group,x\n",
        )
        .expect("table");
        for label in [
            "Fraud and computer misuse",
            "Fraud & computer misuse",
            "Fraud / computer misuse",
        ] {
            assert!(g.named(label).is_some(), "{label}");
        }
        assert!(g.named("FRAUD - COMPUTER MISUSE").is_none());
    }

    /// A row that begins "Total" adds up rows, whatever it totals.
    #[test]
    fn a_row_beginning_total_is_a_total() {
        let g = Groups::from_csv("groups.csv", TABLE).expect("table");
        for label in [
            "Total theft and handling stolen goods",
            "TOTAL RECORDED CRIME",
            "Totals",
            "Business and community - Total burglary",
        ] {
            assert_eq!(g.named(label).map(|t| t.kind), Some(Kind::Other), "{label}");
        }
        assert!(g.named("Theft - totalled car").is_none());
    }

    #[test]
    fn a_bad_line_is_an_error_at_its_line() {
        let e = Groups::from_csv(
            "groups.csv",
            "written,kind,what\ngun crime,group,x\nrobbery,sort,y\n",
        )
        .expect_err("kind");
        assert!(e.to_string().contains("groups.csv:3"), "{e}");
        let e = Groups::from_csv(
            "groups.csv",
            "written,kind,what\nhate crime,flag,x\nhate crimes,flag,y\n",
        )
        .expect_err("twice");
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = Groups::from_csv("groups.csv", "written,kind,what\noffences,group,x\n")
            .expect_err("generic");
        assert!(e.to_string().contains("no word of its own"), "{e}");
    }
}
