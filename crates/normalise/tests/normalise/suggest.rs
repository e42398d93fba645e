//! The crosswalk suggester (issue 16) on the bundled campaign's config and
//! on the labelled set in fixtures/labels/.

use crate::{config_with, response_toml, root};
use foi_model::{DimId, ForceId};
use foi_normalise::suggest::score::{read_labelled, read_replies, score, Score};
use foi_normalise::suggest::{DimSuggester, Evidence, Reference, Suggester, Verdict, Wording};
use std::collections::BTreeSet;

#[path = "../../examples/suggest_score/realworld.rs"]
mod realworld;

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect(rel)
}

fn evidence() -> (Reference, Wording) {
    let wording = Wording::from_tables(
        Some((
            "abbreviations.csv",
            &read("config/reference/abbreviations.csv"),
        )),
        Some(("statutes.csv", &read("config/reference/statutes.csv"))),
        Some(("groups.csv", &read("config/reference/groups.csv"))),
        Some(("kinds.csv", &read("config/reference/kinds.csv"))),
    )
    .expect("wording");
    (
        Reference::from_csv("offences.csv", &read("config/reference/offences.csv"))
            .expect("reference"),
        wording,
    )
}

/// `part` scores at least the floors given (top-1, top-3, declined), with no
/// wrong suggestion accepted unseen.
fn meets(part: &str, got: &Score, (top1, top3, declined): (f64, f64, f64)) {
    assert!(got.top1_rate() >= top1, "{part} top-1 {}", got.top1_rate());
    assert!(got.top3_rate() >= top3, "{part} top-3 {}", got.top3_rate());
    assert!(
        got.declined_rate() >= declined,
        "{part} declined {}",
        got.declined_rate()
    );
    assert_eq!(
        got.wrong_auto, 0,
        "{part}: a wrong suggestion would be accepted unseen"
    );
}

#[test]
fn scores_on_the_labelled_set() {
    let (reference, wording) = evidence();
    let domain: BTreeSet<String> = reference.categories.keys().cloned().collect();
    let s = DimSuggester::codes(
        &domain,
        true,
        Evidence {
            reference: Some(&reference),
            wording: Some(&wording),
            others: &[],
        },
        &[],
    );
    // The parts that may be studied, each at a little under its score
    // when its last rule was added: a change that loses labels fails here.
    for (part, top1, top3, declined) in [
        ("tuned", 0.99, 1.0, 1.0),
        ("heldout", 0.99, 1.0, 1.0),
        ("heldout2-dev", 0.96, 0.99, 1.0),
        ("heldout3-dev", 0.97, 0.99, 0.94),
        ("heldout4-dev", 0.95, 0.98, 1.0),
        ("none-dev", 1.0, 1.0, 0.93),
        ("exports-dev", 0.92, 0.98, 1.0),
        ("heldout6-dev", 0.96, 0.97, 0.93),
        ("heldout7-dev", 0.94, 0.98, 0.91),
        ("heldout9-dev", 0.92, 0.97, 0.87),
        ("heldout10-dev", 0.96, 1.0, 0.89),
        ("heldout11-dev", 0.93, 0.96, 0.91),
        ("heldout12-dev", 0.92, 0.93, 0.8),
        ("heldout14-dev", 0.88, 0.97, 0.8),
        ("heldout15-dev", 0.88, 0.97, 0.83),
        ("heldout16-dev", 0.88, 0.98, 0.83),
    ] {
        let rel = format!("fixtures/labels/{part}.csv");
        let labels = read_labelled(&rel, &read(&rel)).expect("labels");
        let got = score(&s, &labels, 0.95);
        assert!(got.with_value + got.without_value >= 100, "{part}");
        meets(part, &got, (top1, top3, declined));
    }
    // Every part, the test parts too: no wrong suggestion is ever taken
    // without review (only that is asserted of a test part).
    for part in [
        "heldout2-test",
        "heldout3-test",
        "heldout4-test",
        "heldout5-test",
        "heldout6-test",
        "heldout7-test",
        "heldout8-test",
        "heldout9-test",
        "heldout10-test",
        "heldout11-test",
        "heldout12-test",
        "heldout13-dev",
        "heldout13-test",
        "heldout14-test",
        "heldout15-test",
        "heldout16-test",
    ] {
        let rel = format!("fixtures/labels/{part}.csv");
        let labels = read_labelled(&rel, &read(&rel)).expect("labels");
        assert_eq!(score(&s, &labels, 0.95).wrong_auto, 0, "{part}");
    }
    // Rows of whole replies, each read among its reply's other rows.
    for part in ["replies-dev", "replies-test"] {
        let rel = format!("fixtures/labels/{part}.csv");
        let labels = read_replies(&rel, &read(&rel)).expect("replies");
        let got = score(&s, &labels, 0.95);
        assert_eq!(got.wrong_auto, 0, "{part}");
        if part == "replies-dev" {
            meets(part, &got, (0.79, 0.96, 0.89));
        }
    }
    // Real published labels, read from ../shared/realworld/ where they lie.
    let shared = std::env::var_os("FOI_SHARED")
        .map_or_else(|| root().join("../shared"), std::path::PathBuf::from)
        .join("realworld");
    if shared.is_dir() {
        for (part, n) in [("realworld-dev", 210), ("realworld-test", 229)] {
            let rel = format!("fixtures/labels/{part}.csv");
            let labels = realworld::labels(&rel, &read(&rel), &shared).expect("real labels");
            assert_eq!(labels.len(), n, "{part}");
            let got = score(&s, &labels, 0.95);
            assert_eq!(got.wrong_auto, 0, "{part}");
            if part == "realworld-dev" {
                meets(part, &got, (0.88, 0.94, 0.85));
            }
        }
    } else {
        eprintln!(
            "{} not found: the real labels are not scored",
            shared.display()
        );
    }
}

#[test]
fn the_campaigns_own_lines_and_groups() {
    let config = config_with("responses/surrey.toml", &response_toml("x.csv"));
    let (reference, wording) = evidence();
    let s = Suggester::new(
        &config.campaign,
        Evidence {
            reference: Some(&reference),
            wording: Some(&wording),
            others: &[],
        },
    );
    let offence = DimId::new("offence");
    // Sussex's reviewed shorthand, written by another force.
    let got = s.suggest(
        &offence,
        "Sex Aslt on Female U13",
        Some(&ForceId("kent".into())),
    );
    assert_eq!(got.verdict, Verdict::Suggested);
    let top = &got.candidates[0];
    assert_eq!((top.value.as_str(), top.score), ("20B", 1.0));
    assert!(
        top.reasons[0].starts_with("the same words as sussex's accepted line (config/campaigns/nspcc-online-csa/crosswalks/offences.csv:"),
        "{top:?}"
    );
    // A group label spans categories: no line fits.
    let got = s.suggest(&offence, "Other sexual offences", None);
    assert_eq!(
        got.verdict,
        Verdict::Ambiguous {
            group: Some("the Home Office sub-class \"Other sexual offences\"".into())
        }
    );
    // An offence group for a code no line places: none for codes the
    // campaign does not count (adults' offences, other offences).
    let group = DimId::new("offence_group");
    for code in ["17A", "19F", "88E", "19J"] {
        let got = s.suggest(&group, code, None);
        assert_eq!(
            got.verdict,
            Verdict::NoSuggestion,
            "{code}: {:?}",
            got.candidates
        );
    }
    // An age written as forces do.
    let age = DimId::new("victim_age");
    let got = s.suggest(&age, "13yrs", None);
    assert_eq!(got.suggested().map(|c| c.value.as_str()), Some("13"));
    let got = s.suggest(&age, "Over 16", None);
    assert!(got.suggested().is_none());
    assert_eq!(got.verdict, Verdict::Ambiguous { group: None });
    assert_eq!(
        got.candidates
            .iter()
            .map(|c| c.value.as_str())
            .collect::<Vec<_>>(),
        ["17+", "16+"]
    );
}

#[test]
fn a_code_with_no_group_line_lists_the_group_of_its_like() {
    let mut config = config_with("responses/surrey.toml", &response_toml("x.csv"));
    let (_, _, cw) = config
        .campaign
        .derivations
        .iter_mut()
        .find(|(_, to, _)| to.0 == "offence_group")
        .expect("offence groups");
    let text = read("config/campaigns/nspcc-online-csa/crosswalks/offence_groups.csv")
        .lines()
        .filter(|l| !l.starts_with("19H,"))
        .collect::<Vec<_>>()
        .join("\n");
    *cw =
        foi_model::Crosswalk::from_csv("offence_groups.csv", &text, &|_| None).expect("crosswalk");
    let (reference, wording) = evidence();
    let s = Suggester::new(
        &config.campaign,
        Evidence {
            reference: Some(&reference),
            wording: Some(&wording),
            others: &[],
        },
    );
    // Listed, never wrongly suggested: the groups' few lines weigh words
    // less surely than the whole reference does (rape against male), so
    // the reviewer is shown the close call.
    let got = s.suggest(&DimId::new("offence_group"), "19H", None);
    assert!(
        got.candidates.iter().any(|c| c.value == "rape_child_u13"),
        "{got:?}"
    );
    assert!(
        got.suggested().is_none_or(|c| c.value == "rape_child_u13"),
        "{got:?}"
    );
}

/// The suggester over the full reference and wording table, as
/// `just suggest-score` runs it.
fn reference_suggester() -> DimSuggester {
    let (reference, wording) = evidence();
    let domain: BTreeSet<String> = reference.categories.keys().cloned().collect();
    DimSuggester::codes(
        &domain,
        true,
        Evidence {
            reference: Some(&reference),
            wording: Some(&wording),
            others: &[],
        },
        &[],
    )
}

/// Each label is suggested its category, clearly.
fn assert_suggested(s: &DimSuggester, cases: &[(&str, &str)]) {
    for (label, want) in cases {
        let got = s.suggest(label, None);
        assert_eq!(
            got.verdict,
            Verdict::Suggested,
            "{label}: {:?}",
            got.candidates
        );
        assert_eq!(
            got.candidates[0].value, *want,
            "{label}: {:?}",
            got.candidates
        );
    }
}

/// A category whose name says the label's words and one more ("Attempted
/// …", "Aggravated …", "Distraction …") is no rival to the one that says
/// them alone, however near its score; a pair told apart by "with" and
/// "without" still is, and "without" denies only what it names.
#[test]
fn a_name_with_a_word_more_is_no_rival() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[
            ("Residential burglary - home", "28I"),
            ("Attempted burglary of a home", "28J"),
            ("Burglary business and community premises", "30C"),
            ("Assault on police occasioning injury", "8S"),
            ("Common assault on a constable without injury", "104"),
        ],
    );
    // With or without injury: groups.csv names it a term for both.
    let got = s.suggest("Racially aggravated assault", None);
    assert!(
        matches!(got.verdict, Verdict::Ambiguous { .. }),
        "{:?}",
        got.candidates
    );
    let between: Vec<&str> = got.candidates.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(between[..2], ["8P", "105B"]);
}

/// A row naming offences of two categories joined by a slash, each clear
/// on its own, is no one category's; a slash between words of one
/// offence, or two names of one category, changes nothing.
#[test]
fn offences_of_two_categories_joined_by_a_slash() {
    let s = reference_suggester();
    for label in ["Murder / attempted murder", "Blackmail/kidnapping"] {
        let got = s.suggest(label, None);
        assert_eq!(got.verdict, Verdict::Ambiguous { group: None }, "{label}");
        assert!(got.candidates.len() > 1, "{label}");
    }
    assert_suggested(&s, &[("Theft from the person/pickpocketing", "39")]);
    // Read at 0.6 each, as a side of "and" or "or" is.
    joins_several(
        &s,
        &[
            "Murder / GBH with intent",
            "Kidnapping / false imprisonment / slavery",
        ],
    );
    // Another word for the first part's offence, said with its head, or
    // with the last part's victim.
    assert_suggested(
        &s,
        &[
            ("Racially aggravated wounding / GBH s20", "8P"),
            (
                "Non-fatal strangulation/suffocation of a police officer",
                "8S",
            ),
        ],
    );
}

/// A word for a thing the reference files by its kind, no kind said
/// (config/reference/kinds.csv): the kinds read in its place name
/// different categories, and the reason says which; a kind said, in the
/// reference's words or a force's ("knife"), is read as usual.
#[test]
fn a_word_for_several_kinds_without_its_kind_names_neither() {
    let s = reference_suggester();
    withheld_because(
        &s,
        &["Threatening with a weapon", "Weapons on school premises"],
        "the label says \"weapon\", and not which kind",
    );
    withheld_because(
        &s,
        &["Criminal damage to a building"],
        "\"residence\" is 58A, \"building business and community\" is 58B",
    );
    assert_suggested(
        &s,
        &[
            ("Threatening with a knife in a public place", "10D"),
            ("Threaten with an offensive weapon", "10C"),
            ("Criminal damage to a building other than a dwelling", "58B"),
        ],
    );
}

/// Alternatives in brackets, each read in the brackets' place, clear and of
/// several categories; one alternative, or words that bound an age, are
/// read as usual.
#[test]
fn alternatives_in_brackets_of_several_categories() {
    let s = reference_suggester();
    joins_several(
        &s,
        &[
            "Burglary residential (home & unconnected outbuildings)",
            "Assault on a constable (with injury / without injury)",
        ],
    );
    assert_suggested(&s, &[("Robbery (business)", "34A")]);
}

/// "Knife or offensive weapon on school premises": the left side read with
/// the right's last words names one category, the right another.
#[test]
fn a_side_read_with_the_others_last_words_names_its_own_category() {
    let s = reference_suggester();
    joins_several(
        &s,
        &["Bladed article or offensive weapon – school premises"],
    );
}

/// Each of `labels` is ambiguous, and its first reason says `why`.
fn withheld_because(s: &DimSuggester, labels: &[&str], why: &str) {
    for label in labels {
        let got = s.suggest(label, None);
        assert_eq!(got.verdict, Verdict::Ambiguous { group: None }, "{label}");
        assert!(
            got.candidates[0].reasons[0].contains(why),
            "{label}: {:?}",
            got.candidates
        );
    }
}

/// Each of `labels` is ambiguous because it joins offences of several
/// categories.
fn joins_several(s: &DimSuggester, labels: &[&str]) {
    withheld_because(s, labels, "joins offences of several categories");
}

/// "And" or "or" joining two offences each clear on its own, of two
/// categories, is no one category's (an ONS row "Assault with injury and
/// assault with intent to cause serious harm"); joining words of one
/// offence, or a side that reads weakly alone, changes nothing.
#[test]
fn offences_of_two_categories_joined_by_and_or_or() {
    let s = reference_suggester();
    joins_several(
        &s,
        &[
            "Assault with injury and assault with intent to cause serious harm",
            "Causing death by dangerous driving or by careless driving when under the influence of drink or drugs",
            // The left side read weakly, the right with its head clearly.
            "Religiously aggravated public order or harassment",
        ],
    );
    assert_suggested(
        &s,
        &[
            ("Rape of a woman 16 years & over (1)", "19C"),
            ("Kidnapping and false imprisonment", "36"),
        ],
    );
}

/// A side that is a Home Office group ("Theft and handling stolen
/// goods"), or what a label says it includes ("Manslaughter incl.
/// corporate manslaughter", "Drug possession incl. cannabis"), joins
/// several categories too, as does a list of offences of several; a
/// conjunction the reference writes itself ("drink or drugs", whichever
/// conjunction the label writes), or a side that is a word of the other's
/// offence ("Theft or taking of a pedal cycle"), joins nothing.
#[test]
fn a_group_or_an_inclusion_beside_an_offence_is_several_categories() {
    let s = reference_suggester();
    joins_several(
        &s,
        &[
            "Theft and handling stolen goods",
            "Manslaughter incl. corporate manslaughter",
            // What the inclusion is in reads weakly, but as one category.
            "Indecent image offences (incl. intimate image sharing)",
            // Each side clear enough alone (kidnapping reads only as a
            // word begun).
            "Kidnap and child abduction",
            // A word sharing the other side's head: racially aggravated
            // assault.
            "Racially aggravated harassment or assault",
        ],
    );
    // A Home Office group no category's name says the word of.
    let homicide = s.suggest("Homicide", None);
    assert_eq!(homicide.members, ["1", "4/1", "4/10", "4/2"]);
    withheld_because(
        &s,
        &["Homicide & attempted murder"],
        "\"Homicide\" is 1 or 4/1 or 4/10 or 4/2, \"attempted murder\" is 2",
    );
    // A list with commas, each item clear.
    withheld_because(
        &s,
        &["Riot and violent disorder, affray"],
        "\"Riot\" is 62A, \"affray\" is 66",
    );
    // What the inclusion is in is several categories itself.
    withheld_because(
        &s,
        &["Drug possession incl. cannabis"],
        "which is several categories (92D, 92E)",
    );
    // … or a Home Office class.
    withheld_because(
        &s,
        &["Public order offences incl. affray"],
        "which is the Home Office class \"Public Order Offences\", several categories",
    );
    assert_suggested(
        &s,
        &[
            ("Theft or unauthorised taking of a motor vehicle", "48"),
            ("Theft or taking of a pedal cycle", "44"),
            // A name's own conjunction, however the label writes it.
            ("Other offences against the state & public order", "66"),
            (
                "Causing death by careless driving when under the influence of drink or drugs",
                "4/6",
            ),
        ],
    );
}

/// A Home Office code counted under two categories (028/03: 28J and the
/// distraction burglary 28L) names neither alone; the words choose as
/// they would without it, the one saying nothing the label leaves out.
#[test]
fn the_words_choose_between_two_categories_of_one_code() {
    let s = reference_suggester();
    assert_suggested(&s, &[("ATT BURG RES HOME 028/03", "28J")]);
    let got = s.suggest("Burglary 028/03", None);
    assert_ne!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
}

/// Against the real reference: a victim the label implies ("girl", "boy":
/// under 18) partly one category's and partly another's names neither;
/// ages said in the label or in a category's name choose, and a category
/// holding every child's offence is the one.
#[test]
fn a_victim_only_partly_a_categorys_is_not_suggested() {
    let s = reference_suggester();
    withheld_because(
        &s,
        &["Sexual assault on a girl", "Sexual assault on a boy"],
        "the label does not say which",
    );
    assert_suggested(
        &s,
        &[
            ("Sexual assault on a boy under 13", "17B"),
            ("Sexual activity involving a child under 16", "22B"),
            ("Meeting a child following sexual grooming", "88A"),
        ],
    );
}

/// Against the real reference: "Other Theft" beside the Met's theft rows
/// (theft from the person, bicycles, shops) is the rest of the class; beside every other category of its sub-class,
/// category 49; alone, category 49.
#[test]
fn other_theft_is_read_among_the_rows_beside_it() {
    let s = reference_suggester();
    let values = |v: &[&str]| -> BTreeSet<String> { v.iter().map(|x| x.to_string()).collect() };
    let met = s.suggest_among("Other Theft", None, &values(&["39", "44", "46"]));
    assert_eq!(
        met.verdict,
        Verdict::Ambiguous {
            group: Some("the rest of the Home Office class \"Theft\"".into())
        },
        "{:?}",
        met.candidates
    );
    let listed = values(&["35", "40", "41", "42", "43", "47", "49A", "39", "44", "46"]);
    for siblings in [listed, values(&[])] {
        let got = s.suggest_among("Other theft", None, &siblings);
        assert_eq!(
            got.suggested().map(|c| c.value.as_str()),
            Some("49"),
            "{siblings:?}"
        );
    }
}

/// "TWOC" is the unauthorised taking of a vehicle (s.12 Theft Act 1968),
/// "aggravated TWOC" the aggravated vehicle taking of s.12A.
#[test]
fn twoc_is_unauthorised_taking_and_aggravated_twoc_aggravated_vehicle_taking() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[
            ("TWOC offences", "48"),
            ("Aggravated TWOC - damage", "37/2"),
        ],
    );
}

/// Everyday names of offences the reference words otherwise: pickpocketing
/// is theft from the person, human trafficking modern slavery, bestiality
/// intercourse with an animal, cyber flashing sending a photograph of
/// genitals, online grooming sexual grooming, hostage taking detaining a
/// hostage, cannabis cultivation production of a cannabis plant.
#[test]
fn everyday_names_read_as_the_references_words() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[
            ("Theft - pickpocket", "39"),
            ("Human trafficking offences", "106"),
            ("Bestiality offences", "88D"),
            ("Cyberflashing", "88E"),
            ("Online grooming of a child", "88A"),
            ("Taking hostages", "36"),
            ("Cultivation of cannabis", "92A"),
        ],
    );
}

/// Orders and behaviours police write as initials: SHPO, SOPO, CCB.
#[test]
fn initials_of_orders_and_behaviours() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[
            ("Breach SHPO", "66"),
            ("CCB in a family relationship", "8U"),
        ],
    );
}

/// A section of a named Act that is one offence (config/reference/
/// statutes.csv) reads as that offence, with the label's own words.
#[test]
fn a_section_of_a_named_act_is_its_offence() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[
            ("Offences under s.4A POA", "9A"),
            ("s.4A Public Order Act 1986 - racially aggravated", "9B"),
            ("Coercive control (s.76 Serious Crime Act 2015)", "8U"),
            ("Sexual Offences Act 2003 s.67", "88E"),
            ("s.139 CJA 1988", "10D"),
            ("Assault s.47 OAPA 1861", "8N"),
            // PHA and POCA are Acts, as POA is, not words of an offence.
            ("Harassment - fear of violence (s4 PHA)", "8L"),
            ("STALKING S2A PHA", "8Q"),
            ("Tipping off (POCA)", "38"),
        ],
    );
    let got = s.suggest("s.67 SOA 2003", None);
    assert!(
        got.candidates[0]
            .reasons
            .iter()
            .any(|r| r.contains("statutes.csv") && r.contains("voyeurism")),
        "{:?}",
        got.candidates[0].reasons
    );
}

/// A label that is a category's name and one of its descriptions reads as
/// both, even where the name alone fits better than any one description.
#[test]
fn a_name_and_a_description_together() {
    let s = reference_suggester();
    let got = s.suggest("MOD SLAVERY - ARRANGE TRAVEL FOR EXPLOITATION", None);
    assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
    let top = &got.candidates[0];
    assert_eq!(top.value, "106");
    let reasons = top.reasons.join(" | ");
    assert!(
        reasons.contains("036/08") && reasons.contains("category name"),
        "{reasons}"
    );
}

/// Cannabis is a class B drug, which the reference's cannabis descriptions
/// do not say: "Class B" possession spans 92D (class B, other) and 92E
/// (cannabis); cannabis alone is 92E.
#[test]
fn cannabis_is_class_b() {
    let s = reference_suggester();
    for label in ["Possession of a Class B drug", "POSS CLASS B"] {
        let got = s.suggest(label, None);
        assert_eq!(got.verdict, Verdict::Ambiguous { group: None }, "{label}");
        let values: Vec<&str> = got.candidates.iter().map(|c| c.value.as_str()).collect();
        assert!(
            values.contains(&"92D") && values.contains(&"92E"),
            "{label}: {values:?}"
        );
    }
    assert_suggested(&s, &[("Possession of cannabis", "92E")]);
}

/// A section no table reads beside a term of the group table ("s136" of
/// the Mental Health Act, a power) leaves the term a term; a section the
/// statute table reads is the offence.
#[test]
fn a_section_no_table_reads_leaves_a_term() {
    let s = reference_suggester();
    let got = s.suggest("Mental health - s136", None);
    assert_eq!(
        got.verdict,
        Verdict::Ambiguous {
            group: Some("\"mental health\"".into())
        },
        "{:?}",
        got.candidates
    );
    assert_suggested(&s, &[("Harassment - fear of violence (s4 PHA)", "8L")]);
}

/// A label ending in a colon heads the rows below it (their subtotal,
/// where it holds figures): no one category's row, however well its
/// words fit one.
#[test]
fn a_heading_is_no_one_categorys_row() {
    let s = reference_suggester();
    withheld_because(
        &s,
        &["Residential - home:", "Burglary business and community:"],
        "the label ends in a colon: a heading",
    );
    assert_suggested(&s, &[("Burglary business and community", "30C")]);
}

/// A value every offence of which the label leaves out ("excl.
/// cannabis": 92E is cannabis alone) is listed, never suggested, though
/// it shares its name with the value meant (92D).
#[test]
fn a_value_the_label_leaves_out_is_never_suggested() {
    let s = reference_suggester();
    assert_suggested(
        &s,
        &[("Possession of controlled drugs (excl. cannabis)", "92D")],
    );
}

/// Two values' texts saying the same words of a label but for victims
/// of ages apart, which the label does not say ("Attempted rape of a
/// female": aged 16 or over, 19C; under 16, 19D): neither is suggested.
#[test]
fn a_label_leaving_out_the_age_the_reference_splits_by_names_neither() {
    let s = reference_suggester();
    withheld_because(
        &s,
        &["Attempted rape of a female"],
        "the label says no victim's age, and the reference splits its offence by it",
    );
    assert_suggested(&s, &[("Attempted rape of a female aged 16 or over", "19C")]);
}
