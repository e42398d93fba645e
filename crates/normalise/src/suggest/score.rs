//! How good the suggestions are on a labelled set (`just suggest-score`):
//! labels with the value each means, or none.

use super::{DimSuggester, Suggestions, Verdict};
use std::collections::{BTreeSet, HashMap};

/// What a labelled label means: a value, or no single one (`none`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub label: String,
    /// `None`: a group label, an ambiguous one, or no offence.
    pub value: Option<String>,
    /// What makes it hard: "abbreviation", "typo", "group", …
    pub style: String,
    /// The labels of the rows beside it in its table, where it was read
    /// from one (the real published labels); none for a list.
    pub siblings: Vec<String>,
}

/// One label's outcome, for the listing of misses.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub labelled: Labelled,
    pub suggestions: Suggestions,
    /// Right: the value suggested (or declined for `none`).
    pub top1: bool,
    /// The value among the candidates listed.
    pub top3: bool,
    /// Accepted without review at the threshold, and wrong.
    pub wrong_auto: bool,
}

/// The counts `just suggest-score` prints.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub with_value: usize,
    pub top1: usize,
    pub top3: usize,
    pub without_value: usize,
    pub declined: usize,
    pub auto_accepted: usize,
    pub wrong_auto: usize,
    pub outcomes: Vec<Outcome>,
}

impl Score {
    pub fn top1_rate(&self) -> f64 {
        ratio(self.top1, self.with_value)
    }
    pub fn top3_rate(&self) -> f64 {
        ratio(self.top3, self.with_value)
    }
    pub fn declined_rate(&self) -> f64 {
        ratio(self.declined, self.without_value)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores `suggester` on `labels`; `threshold` is the auto-accept
/// threshold whose wrong acceptances are counted.
pub fn score(suggester: &DimSuggester, labels: &[Labelled], threshold: f64) -> Score {
    let mut s = Score::default();
    // Each sibling's value as the suggester reads it alone: what `foi
    // suggest` knows of rows no line maps yet.
    let mut read: HashMap<&str, Option<String>> = HashMap::new();
    for l in labels {
        let siblings: BTreeSet<String> = l
            .siblings
            .iter()
            .filter_map(|t| {
                read.entry(t.as_str())
                    .or_insert_with(|| {
                        suggester
                            .suggest(t, None)
                            .suggested()
                            .map(|c| c.value.clone())
                    })
                    .clone()
            })
            .collect();
        let suggestions = suggester.suggest_among(&l.label, None, &siblings);
        let auto = suggestions
            .auto_accepted(Some(threshold))
            .map(|c| c.value.clone());
        let listed = |v: &str| suggestions.candidates.iter().any(|c| c.value == v);
        let (top1, top3) = match &l.value {
            Some(v) => {
                s.with_value += 1;
                let top1 = suggestions.suggested().is_some_and(|c| &c.value == v);
                (top1, listed(v))
            }
            None => {
                s.without_value += 1;
                let declined = suggestions.verdict != Verdict::Suggested;
                (declined, declined)
            }
        };
        let wrong_auto = auto.as_ref().is_some_and(|a| l.value.as_ref() != Some(a));
        if l.value.is_some() {
            s.top1 += usize::from(top1);
            s.top3 += usize::from(top3);
        } else {
            s.declined += usize::from(top1);
        }
        s.auto_accepted += usize::from(auto.is_some());
        s.wrong_auto += usize::from(wrong_auto);
        s.outcomes.push(Outcome {
            labelled: l.clone(),
            suggestions,
            top1,
            top3,
            wrong_auto,
        });
    }
    s
}

/// Reads a labelled set: CSV `label,value,style`, `value` a category or
/// `none`; lines starting with '#' are comments.
pub fn read_labelled(file: &str, text: &str) -> Result<Vec<Labelled>, foi_model::ConfigError> {
    rows(file, text)?
        .into_iter()
        .map(|(line, row)| {
            let get = |i: usize| row.get(i).cloned().unwrap_or_default();
            if get(0).is_empty() || get(1).is_empty() {
                return Err(foi_model::ConfigError::at(
                    file,
                    line,
                    "a label and a value (or none) are needed",
                ));
            }
            Ok(labelled(get(0), &get(1), get(2)))
        })
        .collect()
}

/// Reads a labelled set of replies: CSV `reply,label,value,style`, each
/// row a row of one reply's table in its order; each label's siblings
/// are the other rows of its reply, and a row under a section heading is
/// read with it ("Rape of a female - aged under 13").
pub fn read_replies(file: &str, text: &str) -> Result<Vec<Labelled>, foi_model::ConfigError> {
    let mut rows: Vec<(String, Labelled)> = rows(file, text)?
        .into_iter()
        .map(|(line, row)| {
            let get = |i: usize| row.get(i).cloned().unwrap_or_default();
            if get(0).is_empty() || get(1).is_empty() || get(2).is_empty() {
                return Err(foi_model::ConfigError::at(
                    file,
                    line,
                    "a reply, a label and a value (or none) are needed",
                ));
            }
            Ok((get(0), labelled(get(1), &get(2), get(3))))
        })
        .collect::<Result<_, _>>()?;
    // A row under a section heading is read with it, as foi reads a
    // table (`crate::heading`); the file gives no figures, so a row is a
    // heading by its words alone.
    let mut sections = crate::heading::Sections::default();
    let mut reply = String::new();
    for i in 0..rows.len() {
        if rows[i].0 != reply {
            reply.clone_from(&rows[i].0);
            sections = crate::heading::Sections::default();
        }
        let next = rows
            .get(i + 1)
            .filter(|(r, _)| *r == reply)
            .map(|(_, l)| l.label.clone());
        let label = rows[i].1.label.clone();
        if let crate::heading::Row::Under(h) = sections.read(&label, true, next.as_deref()) {
            rows[i].1.label = crate::heading::qualify(h, &label);
        }
    }
    let siblings: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(me, (reply, _))| {
            rows.iter()
                .enumerate()
                .filter(|(i, (r, _))| *i != me && r == reply)
                .map(|(_, (_, l))| l.label.clone())
                .collect()
        })
        .collect();
    Ok(rows
        .into_iter()
        .zip(siblings)
        .map(|((_, mut l), s)| {
            l.siblings = s;
            l
        })
        .collect())
}

fn labelled(label: String, value: &str, style: String) -> Labelled {
    Labelled {
        label,
        value: (value != "none").then(|| value.to_string()),
        style,
        siblings: Vec::new(),
    }
}

/// A labelled CSV's rows, each with the line it starts on, its fields
/// trimmed; lines starting with '#' are comments.
fn rows(file: &str, text: &str) -> Result<Vec<(usize, Vec<String>)>, foi_model::ConfigError> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    rdr.records()
        .map(|row| {
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                foi_model::ConfigError::at(file, line, e.to_string())
            })?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            Ok((line, row.iter().map(|f| f.trim().to_string()).collect()))
        })
        .collect()
}
