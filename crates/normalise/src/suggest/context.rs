//! A label among the reply's other rows. "Other theft" is category 49's
//! name, and also what a reply breaking theft down into "Theft from the
//! person", "Bicycle theft" and "Shoplifting" calls the rest of theft (as
//! ONS and the Met do): which it is, the label alone cannot say, but the
//! rows beside it can.

use super::{group, text};
use super::{Candidate, Suggestions, Verdict, SHOWN};
use std::collections::BTreeSet;

/// A group of the reference: a Home Office class or sub-class and the
/// categories it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// As the reference writes it ("Theft", "Other theft").
    pub name: String,
    /// "class" or "sub-class".
    pub what: &'static str,
    pub members: BTreeSet<String>,
}

/// Words that make a row the rest of what the rows beside it count.
const RESIDUAL: [&str; 6] = [
    "other",
    "others",
    "remaining",
    "misc",
    "miscellaneous",
    "elsewhere",
];

/// Whether a label says it counts what other rows leave ("Other theft",
/// "Theft - all other", "Miscellaneous").
pub fn residual(label: &str) -> bool {
    let words = text::raw_words(label);
    // "Theft in a dwelling other than from a meter" leaves something
    // out; it is not the rest of anything.
    words.iter().enumerate().any(|(i, w)| {
        RESIDUAL.contains(&w.as_str()) && words.get(i + 1).is_none_or(|n| n != "than")
    })
}

/// Whether a label names a group: says every word of its name but the
/// residual and generic ones ("Other theft" names "Theft" and "Other
/// theft"; "Other notifiable offences" names neither).
pub fn names(label: &str, group: &str) -> bool {
    let said: BTreeSet<String> = text::raw_words(label)
        .iter()
        .map(|w| text::stem(w))
        .collect();
    let own: Vec<String> = text::raw_words(group)
        .iter()
        .filter(|w| !RESIDUAL.contains(&w.as_str()) && !text::is_stopword(w))
        .map(|w| text::stem(w))
        .filter(|w| !group::generic(w))
        .collect();
    !own.is_empty() && own.iter().all(|w| said.contains(w))
}

/// `out`, the suggestions for `label`, read among `siblings`, the values
/// of the reply's other rows of the same dimension: a residual label
/// whose suggested category is in a group it names ("Other theft":
/// theft) and the rows beside it break into a few parts (two or more of
/// its other categories, and fewer than half) counts the rest of that
/// group, the smallest such group: withheld as ambiguous, naming the
/// rest. `groups` are the reference's, smallest first.
pub fn rest_of_group(
    out: Suggestions,
    label: &str,
    siblings: &BTreeSet<String>,
    groups: &[Group],
) -> Suggestions {
    // A code written in the label says which, whatever is beside it.
    let Some(top) = out
        .suggested()
        .filter(|c| !c.exact_code)
        .map(|c| c.value.clone())
    else {
        return out;
    };
    if !residual(label) {
        return out;
    }
    // A reply naming most of a group's other categories row by row lists
    // categories, and its "Other theft" is the Home Office's own category
    // of that name; one naming a few lists sub-groups ("Shoplifting",
    // "Bicycle theft"), and its "Other theft" is all the rest.
    let broken = groups.iter().find(|g| {
        let others = g.members.iter().filter(|m| **m != top);
        let beside = others.clone().filter(|m| siblings.contains(*m)).count();
        g.members.contains(&top)
            && names(label, &g.name)
            && beside >= 2
            && 2 * beside < others.count()
    });
    let Some(g) = broken else {
        return out;
    };
    // Another row read as the same category leaves it in the rest.
    let (beside, rest): (Vec<&String>, Vec<&String>) = g
        .members
        .iter()
        .partition(|m| **m != top && siblings.contains(*m));
    let beside: Vec<&str> = beside.into_iter().map(String::as_str).collect();
    let rest: Vec<&str> = rest.into_iter().map(String::as_str).collect();
    let why = format!(
        "beside the reply's rows for {} of the Home Office {} {:?}, {label:?} may count the rest of it: {}",
        beside.join(", "),
        g.what,
        g.name,
        rest.join(", ")
    );
    let group = Some(format!(
        "the rest of the Home Office {} {:?}",
        g.what, g.name
    ));
    // A category with its own row beside it is no candidate for the rest.
    let candidates = out
        .candidates
        .into_iter()
        .filter(|c| !beside.contains(&c.value.as_str()))
        .collect();
    Suggestions::withheld(Verdict::Ambiguous { group }, candidates, Some(&why))
}

/// `out`, the suggestions for `label`, read among `siblings`: a label
/// ambiguous only between values ([`Suggestions::between`]) all but one
/// of which have rows of their own beside it is the one they leave when
/// it says it is the rest ("All other robbery" beside "Business robbery":
/// 34B), suggested for review, never taken unseen. A label that does not
/// say so ("Sexual assault on a female" beside "… child under 13") may be
/// the rest or the total of the rows beside it: it stays ambiguous, the
/// rest first, and the reason says so.
pub fn rest_is_one(out: Suggestions, label: &str, siblings: &BTreeSet<String>) -> Suggestions {
    if out.verdict == Verdict::Suggested || out.between.len() < 2 {
        return out;
    }
    let (beside, rest): (Vec<&String>, Vec<&String>) =
        out.between.iter().partition(|v| siblings.contains(*v));
    let ([one], false) = (rest.as_slice(), beside.is_empty()) else {
        return out;
    };
    let one = (*one).clone();
    let beside = beside
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let best = out.candidates.first().map_or(0.0, |c| c.score);
    let mut chosen = out
        .candidates
        .iter()
        .find(|c| c.value == one)
        .cloned()
        .unwrap_or_else(|| Candidate {
            value: one.clone(),
            score: best,
            reasons: Vec::new(),
            exact_code: false,
        });
    let said_rest = residual(label);
    // Where the label says it is the rest, a value with its own row beside
    // it is no candidate (it may be, where the label may be their total).
    let mut others: Vec<Candidate> = out
        .candidates
        .iter()
        .filter(|c| c.value != one && !(said_rest && siblings.contains(&c.value)))
        .cloned()
        .collect();
    let between = out.between.join(", ");
    let (verdict, why) = if said_rest {
        (
            Verdict::Suggested,
            format!("of {between}, which the label does not tell apart, the reply's rows beside it count {beside}: it is the rest, {one}"),
        )
    } else {
        let why = format!("of {between}, the reply's rows beside it count {beside}: this row is the rest, {one}, or their total; the label does not say which");
        for c in &mut others {
            c.reasons.insert(0, why.clone());
        }
        (out.verdict.clone(), why)
    };
    chosen.reasons.insert(0, why);
    chosen.exact_code = false;
    let mut candidates = vec![chosen];
    candidates.append(&mut others);
    candidates.truncate(SHOWN);
    Suggestions {
        verdict,
        candidates,
        between: Vec::new(),
        members: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, what: &'static str, members: &[&str]) -> Group {
        Group {
            name: name.into(),
            what,
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn theft() -> Vec<Group> {
        let other = ["35", "40", "41", "42", "43", "47", "49", "49A"];
        let class = [&other[..], &["39", "44", "46"]].concat();
        vec![
            group("Other theft", "sub-class", &other),
            group("Theft", "class", &class),
        ]
    }

    fn suggested(value: &str) -> Suggestions {
        Suggestions {
            verdict: Verdict::Suggested,
            candidates: vec![Candidate {
                value: value.into(),
                score: 1.0,
                reasons: vec!["words other, theft match the category name".into()],
                exact_code: false,
            }],
            between: Vec::new(),
            members: Vec::new(),
        }
    }

    fn values(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_residual_row_beside_rows_breaking_its_group_down_is_the_rest_of_it() {
        // ONS and the Met: theft from the person, bicycle theft and
        // shoplifting, then "Other theft" for the rest of the class.
        let mut read = suggested("49");
        read.candidates.push(Candidate {
            value: "39".into(),
            score: 0.5,
            reasons: vec!["words theft match".into()],
            exact_code: false,
        });
        let got = rest_of_group(read, "Other theft", &values(&["39", "44", "46"]), &theft());
        assert_eq!(
            got.verdict,
            Verdict::Ambiguous {
                group: Some("the rest of the Home Office class \"Theft\"".into())
            }
        );
        assert!(
            got.candidates[0].reasons[0]
                .contains("may count the rest of it: 35, 40, 41, 42, 43, 47, 49, 49A"),
            "{:?}",
            got.candidates
        );
        // 39 has its own row: no candidate for the rest.
        let values: Vec<&str> = got.candidates.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["49"]);
    }

    #[test]
    fn a_residual_row_beside_most_of_its_group_stays_suggested() {
        // Most other categories of the class have their own rows: the
        // reply lists categories, and "Other theft" is the one so named.
        let got = rest_of_group(
            suggested("49"),
            "Other theft",
            &values(&["35", "40", "41", "42", "47", "49A", "46"]),
            &theft(),
        );
        assert_eq!(got, suggested("49"));
    }

    #[test]
    fn without_rows_of_its_group_beside_it_a_label_is_read_alone() {
        // One row of the group beside it, or another row of its own
        // category, breaks nothing down.
        for siblings in [
            values(&[]),
            values(&["8N", "105A"]),
            values(&["46"]),
            values(&["49", "46"]),
        ] {
            let got = rest_of_group(suggested("49"), "Other theft", &siblings, &theft());
            assert_eq!(got, suggested("49"));
        }
    }

    #[test]
    fn only_a_label_saying_it_is_the_rest_counts_the_rest() {
        // "Theft by an employee" beside shoplifting is theft by an employee.
        let got = rest_of_group(
            suggested("49"),
            "Theft not classified elsewhere",
            &values(&["44", "46"]),
            &theft(),
        );
        assert!(matches!(got.verdict, Verdict::Ambiguous { .. }));
        let got = rest_of_group(
            suggested("41"),
            "Theft by an employee",
            &values(&["44", "46"]),
            &theft(),
        );
        assert_eq!(got, suggested("41"));
    }

    #[test]
    fn only_the_rest_of_a_group_the_label_names_is_counted() {
        assert!(names("All other theft offences", "Theft"));
        assert!(names("Other Theft", "Other theft"));
        assert!(!names(
            "Other notifiable offences",
            "Miscellaneous crimes against society"
        ));
        assert!(!names(
            "Other forgery",
            "Miscellaneous crimes against society"
        ));
        // "Other notifiable" beside rows of the class it does not name.
        let misc = [group(
            "Miscellaneous crimes against society",
            "class",
            &["61", "66", "99", "802", "814"],
        )];
        let got = rest_of_group(
            suggested("99"),
            "Other notifiable offences",
            &values(&["61", "66"]),
            &misc,
        );
        assert_eq!(got, suggested("99"));
    }

    fn ambiguous(between: &[&str]) -> Suggestions {
        Suggestions {
            verdict: Verdict::Ambiguous { group: None },
            candidates: between
                .iter()
                .map(|v| Candidate {
                    value: v.to_string(),
                    score: 0.8,
                    reasons: vec!["words robbery match".into()],
                    exact_code: false,
                })
                .collect(),
            between: between.iter().map(|v| v.to_string()).collect(),
            members: Vec::new(),
        }
    }

    #[test]
    fn a_residual_row_whose_values_but_one_have_rows_beside_it_is_that_one() {
        let got = rest_is_one(
            ambiguous(&["34A", "34B"]),
            "All other robbery",
            &values(&["34A", "39"]),
        );
        assert_eq!(got.verdict, Verdict::Suggested);
        let values: Vec<&str> = got.candidates.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["34B"]);
        assert!(got.candidates[0].reasons[0].contains("count 34A: it is the rest, 34B"));
        assert!(!got.candidates[0].exact_code);
    }

    #[test]
    fn a_row_not_saying_it_is_the_rest_may_be_the_total_and_stays_ambiguous() {
        let got = rest_is_one(
            ambiguous(&["20B", "20A"]),
            "Sexual assault on a female",
            &values(&["20B"]),
        );
        assert_eq!(got.verdict, Verdict::Ambiguous { group: None });
        assert_eq!(got.candidates[0].value, "20A");
        assert!(got.candidates[0].reasons[0].contains("this row is the rest, 20A, or their total"));
    }

    #[test]
    fn rows_beside_leaving_several_values_or_none_settle_nothing() {
        let three = ambiguous(&["34A", "34B", "34C"]);
        for siblings in [values(&["34A"]), values(&[]), values(&["8N"])] {
            let got = rest_is_one(three.clone(), "All other robbery", &siblings);
            assert_eq!(got, three);
        }
        // Another rule withheld it (no values it is only between).
        let mut flagged = ambiguous(&["34A", "34B"]);
        flagged.between.clear();
        let got = rest_is_one(flagged.clone(), "All other robbery", &values(&["34A"]));
        assert_eq!(got, flagged);
    }

    #[test]
    fn residual_words_are_whole_words() {
        assert!(residual("Theft - all other"));
        assert!(residual("MISC OFFENCES"));
        assert!(!residual("Brother assaulted"));
        assert!(!residual("Theft from the person"));
    }
}
