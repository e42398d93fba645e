//! Words for a thing the reference files by its kind: "weapon", where
//! threatening with an offensive weapon is 10C and with a blade 10D;
//! "building", where damage to a residence is 58A and to business and
//! community premises 58B (config/reference/kinds.csv). A label that says
//! the word and no kind of it ("Threatening with a weapon") may mean any;
//! [`Kinds::unsaid`] finds where, and the suggester reads the label once
//! with each kind in its place to see whether the kinds name different
//! categories. Pure text: which categories is the suggester's to find.

use super::text;
use foi_model::ConfigError;

/// One line of the table.
#[derive(Debug, Clone)]
pub struct General {
    /// The word or words as written ("weapon").
    pub written: String,
    stems: Vec<String>,
    /// Its kinds, as the reference words them.
    pub kinds: Vec<String>,
    /// Each kind's stems the general word does not have: a label saying
    /// any of them has said which kind.
    own: Vec<Vec<String>>,
    pub line: usize,
}

/// Where a label says a general word and none of its kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsaid<'a> {
    pub general: &'a str,
    pub kinds: &'a [String],
    /// The label with each kind in the word's place, in the kinds' order.
    pub readings: Vec<String>,
}

/// The lines of config/reference/kinds.csv.
#[derive(Debug, Clone, Default)]
pub struct Kinds {
    lines: Vec<General>,
}

impl Kinds {
    /// Reads the table (header `written,kinds`, the kinds apart by `|`).
    /// A word written twice, fewer than two kinds, a kind with no word of
    /// its own beside the general word's, or a kind saying another line's
    /// word (whose reading would call for another reading in turn) is an
    /// error at its line.
    pub fn from_csv(file: &str, text: &str) -> Result<Kinds, ConfigError> {
        #[derive(serde::Deserialize)]
        struct Row {
            written: String,
            kinds: String,
        }
        let mut lines: Vec<General> = Vec::new();
        for (line, row) in foi_model::table::csv_rows::<Row>(file, text)? {
            let err = |m: String| ConfigError::at(file, line, m);
            let stems = stems(&row.written);
            if stems.is_empty() {
                return Err(err(format!("{:?} has no word", row.written)));
            }
            if let Some(prev) = lines.iter().find(|g| g.stems == stems) {
                return Err(err(format!(
                    "{:?} is the same word as line {}",
                    row.written, prev.line
                )));
            }
            let kinds: Vec<String> = row
                .kinds
                .split('|')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect();
            if kinds.len() < 2 {
                return Err(err(format!(
                    "{:?}: write two kinds or more, apart by |",
                    row.written
                )));
            }
            let mut own = Vec::new();
            for k in &kinds {
                let mine: Vec<String> = stems_of(k)
                    .filter(|s| !stems.contains(s) && !text::is_stopword(s))
                    .collect();
                if mine.is_empty() {
                    return Err(err(format!(
                        "the kind {k:?} says no word beside {:?}'s",
                        row.written
                    )));
                }
                own.push(mine);
            }
            lines.push(General {
                written: row.written.trim().to_string(),
                stems,
                kinds,
                own,
                line,
            });
        }
        for g in &lines {
            for k in &g.kinds {
                let said = stems(k);
                if let Some(other) = lines
                    .iter()
                    .filter(|o| o.stems != g.stems)
                    .find(|o| said.windows(o.stems.len()).any(|w| w == o.stems.as_slice()))
                {
                    return Err(ConfigError::at(
                        file,
                        g.line,
                        format!(
                            "the kind {k:?} says {:?}, the word of line {}",
                            other.written, other.line
                        ),
                    ));
                }
            }
        }
        Ok(Kinds { lines })
    }

    /// Each general word `label` says, not after a negator ("not
    /// building"), beside no word of any of its kinds ("Threatening with
    /// a weapon", not "… an offensive weapon", nor "knife", which the
    /// wording tables read as an article with a blade or point): the
    /// label with each kind in its place. `said` are the label's words as
    /// read ([`text::words`]), wording tables applied.
    pub fn unsaid<'a>(&'a self, label: &str, said: &[text::Word]) -> Vec<Unsaid<'a>> {
        let spans = word_spans(label);
        let names = |own: &[String]| {
            said.iter().any(|w| {
                own.iter().any(|o| {
                    *o == w.stem
                        || (w.written.chars().count() >= 4 && o.starts_with(&w.stem))
                        || text::abbreviates(&w.written, o)
                })
            })
        };
        let mut out = Vec::new();
        for g in &self.lines {
            let n = g.stems.len();
            let Some(at) = (0..spans.len().saturating_sub(n - 1)).find(|&i| {
                spans[i..i + n]
                    .iter()
                    .zip(&g.stems)
                    .all(|((_, w), s)| text::stem(w) == *s)
                    && (i == 0 || !text::is_negator(&spans[i - 1].1))
            }) else {
                continue;
            };
            if g.own.iter().any(|own| names(own)) {
                continue;
            }
            let (start, end) = (spans[at].0.start, spans[at + n - 1].0.end);
            let readings = g
                .kinds
                .iter()
                .map(|k| format!("{}{k}{}", &label[..start], &label[end..]))
                .collect();
            out.push(Unsaid {
                general: &g.written,
                kinds: &g.kinds,
                readings,
            });
        }
        out
    }
}

fn stems_of(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| text::stem(&w.to_lowercase()))
}

fn stems(s: &str) -> Vec<String> {
    stems_of(s).filter(|w| !text::is_stopword(w)).collect()
}

/// A label's words, lower case, with where each lies.
fn word_spans(label: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in label.char_indices().chain([(label.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, label[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "written,kinds
weapon,offensive weapon|article with a blade or point|firearm
building,residence|building business and community
";

    fn unsaid(k: &Kinds, label: &str) -> Vec<String> {
        let said = text::words(label, None);
        k.unsaid(label, &said)
            .into_iter()
            .flat_map(|u| u.readings)
            .collect()
    }

    #[test]
    fn a_general_word_without_its_kind_is_read_with_each_kind() {
        let k = Kinds::from_csv("kinds.csv", TABLE).expect("table");
        assert_eq!(
            unsaid(&k, "Threatening with a weapon"),
            [
                "Threatening with a offensive weapon",
                "Threatening with a article with a blade or point",
                "Threatening with a firearm",
            ]
        );
        assert_eq!(
            unsaid(&k, "Weapons on school premises")[0],
            "offensive weapon on school premises"
        );
        assert_eq!(
            unsaid(&k, "CRIMINAL DAMAGE - BUILDING")[0],
            "CRIMINAL DAMAGE - residence"
        );
    }

    #[test]
    fn a_kind_said_or_the_word_denied_leaves_nothing_unsaid() {
        let k = Kinds::from_csv("kinds.csv", TABLE).expect("table");
        for label in [
            "Threaten with an offensive weapon",
            "Threaten with a blade or other weapon",
            "CRIMINAL DAMAGE TO A BUILDING - BUSINE",
            "Criminal damage (not building)",
            "Criminal damage to a dwelling",
        ] {
            assert!(unsaid(&k, label).is_empty(), "{label}");
        }
    }

    #[test]
    fn a_table_that_would_read_without_end_is_refused_at_its_line() {
        let twice = "written,kinds\nweapon,knife|gun\nweapons,club|bat\n";
        let err = Kinds::from_csv("kinds.csv", twice).expect_err("twice");
        assert!(err.to_string().contains("kinds.csv:3"), "{err}");
        let one = "written,kinds\nweapon,offensive weapon\n";
        let err = Kinds::from_csv("kinds.csv", one).expect_err("one");
        assert!(err.to_string().contains("two kinds"), "{err}");
        let bare = "written,kinds\nweapon,weapon|firearm\n";
        let err = Kinds::from_csv("kinds.csv", bare).expect_err("bare");
        assert!(err.to_string().contains("no word beside"), "{err}");
        let cycle = "written,kinds\nweapon,building weapon|firearm\nbuilding,weapon store|home\n";
        let err = Kinds::from_csv("kinds.csv", cycle).expect_err("cycle");
        assert!(err.to_string().contains("kinds.csv:2"), "{err}");
    }
}
