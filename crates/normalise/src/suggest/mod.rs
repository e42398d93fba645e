//! Ranked suggestions for a label no crosswalk maps (issue 16): which value
//! it most likely means, how sure, and why, from evidence foi already has.
//!
//! ```text
//! Suggester::new(&campaign, Evidence { reference, wording, accepted })
//!     .suggest(&dim, "SEX ASSLT F U13", Some(&force)) -> Suggestions
//! ```
//!
//! Evidence, strongest first:
//! - a code written in the label ([`code`]): a category ("Cat. 22 B"), or
//!   a Home Office code ("022/18") that the reference counts under one;
//! - a crosswalk line a person accepted with the same words (this
//!   campaign's, for another force, or another campaign's);
//! - the words ([`index`]): the reference's category names and offence
//!   descriptions, accepted lines and the dimension's own values, read
//!   through shorthand and typos ([`text`]);
//! - for ages, the general age rules after tidying ([`age`]).
//!
//! A suggestion is only a suggestion: nothing here maps a label. When the
//! evidence is weak the answer is [`Verdict::NoSuggestion`]; when a label
//! fits several values about as well (a group such as "Other sexual
//! offences", a label that leaves out the victim's sex) it is
//! [`Verdict::Ambiguous`], with the values it spans. Pure: text in, text out.

pub mod age;
pub mod code;
pub mod context;
pub mod group;
pub mod index;
pub mod kinds;
pub mod reference;
pub mod score;
pub mod statute;
pub mod text;
pub mod victim;
mod withhold;

pub use reference::{Offence, Reference};
pub use text::Wording;

use code::Written;
use foi_model::config::{Campaign, DimKind, Dimension};
use foi_model::{fold_label, DimId, DimValue, ForceId};
use index::{How, Index, Source};
use std::collections::{BTreeMap, BTreeSet};
use text::Side;
use victim::{Ages, DocAges};

/// Below this no value is suggested: the words say too little. Chosen
/// from `suggest-score --calibration`: on the studied parts every
/// suggestion from 0.4 to 0.5 was right, and the labels meaning no single
/// category were declined as often as at 0.5.
pub const WEAK: f64 = 0.4;
/// A runner-up this close to the best makes the label ambiguous.
pub const MARGIN: f64 = 0.1;
/// A part of a label joined to others by a slash suggested at this or
/// more is an offence named on its own.
const CLEAR: f64 = 0.9;
/// How clearly each side of an "and" or "or" must read alone to be an
/// offence of its own.
const JOINED: f64 = 0.6;
/// How many candidates a suggestion lists.
pub const SHOWN: usize = 3;
/// A runner-up scoring less than this is not worth a reviewer's look.
const LISTED: f64 = 0.3;
/// The least a candidate scores to be listed at all (the list is cut at
/// [`SHOWN`], best first): on the studied parts, listing down to 0.2
/// rather than [`LISTED`] put the right value on the list for 9 more of
/// 1,864 labels, and changed no suggestion.
const NEAREST: f64 = 0.2;
/// How clearly a label's part before a dash must read alone to stand for
/// the whole when nothing was read of the whole ("Voyeurism - recording
/// private act"): more than a weak reading, as what follows is unread.
const HEAD: f64 = 0.5;

/// A crosswalk line a person accepted: evidence of what a wording means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub label: String,
    pub value: String,
    /// The force the line is scoped to, if any.
    pub force: Option<ForceId>,
    /// The campaign whose crosswalk holds it.
    pub campaign: String,
    pub file: String,
    pub line: usize,
}

/// What another campaign's crosswalk is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// A dimension of Home Office offence categories (`reference = "offences"`).
    Offences,
    /// An age dimension.
    Ages,
}

/// Everything suggestions are drawn from besides the campaign itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    pub reference: Option<&'a Reference>,
    pub wording: Option<&'a Wording>,
    /// Other campaigns' accepted lines, with what they map onto.
    pub others: &'a [(Shared, Accepted)],
}

/// Which value a label most likely means, or why none is suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestions {
    pub verdict: Verdict,
    /// Best first, at most [`SHOWN`]; with [`Verdict::NoSuggestion`], the
    /// nearest (scoring at least [`NEAREST`]), too weak to suggest.
    pub candidates: Vec<Candidate>,
    /// The values an ambiguous label is between, when only that withheld
    /// it (its words fit them near alike, it names a Home Office group, or
    /// its victim's ages span them): the rows beside it in its reply may
    /// settle which ([`context::rest_is_one`]). Empty otherwise.
    pub between: Vec<String>,
    /// The categories of the Home Office class or sub-class the label
    /// names ("Homicide": 1, 4/1, 4/10, 4/2), whatever rows are beside it.
    /// Empty otherwise.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The first candidate, clearly ahead of any other.
    Suggested,
    /// Several values fit about as well: the candidates are what it spans.
    /// `group` names the reference group the label names, when it does
    /// ("the Home Office sub-class \"Other sexual offences\"").
    Ambiguous { group: Option<String> },
    /// Nothing fits well enough to suggest; the candidates, if any, are
    /// only the nearest.
    NoSuggestion,
}

/// A value a label may mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The value as a crosswalk line writes it ("22B", "13", "0-9").
    pub value: String,
    /// 0 to 1.
    pub score: f64,
    /// Why, strongest first: which code, which accepted line, which words.
    pub reasons: Vec<String>,
    /// Rests on a code written in the label that names this one value,
    /// with the words not against it: the only kind of suggestion a
    /// campaign may let `foi suggest` accept without review.
    pub exact_code: bool,
}

impl Suggestions {
    fn none() -> Suggestions {
        Suggestions {
            verdict: Verdict::NoSuggestion,
            candidates: Vec::new(),
            between: Vec::new(),
            members: Vec::new(),
        }
    }

    /// `candidates` under a verdict that suggests none of them: none may
    /// be taken without review, and `reason` (why none), when given, comes
    /// first among each one's reasons.
    fn withheld(
        verdict: Verdict,
        mut candidates: Vec<Candidate>,
        reason: Option<&str>,
    ) -> Suggestions {
        for c in &mut candidates {
            c.exact_code = false;
            if let Some(r) = reason {
                c.reasons.insert(0, r.to_string());
            }
        }
        Suggestions {
            verdict,
            candidates,
            between: Vec::new(),
            members: Vec::new(),
        }
    }

    /// These suggestions, ambiguous between `values` and nothing else.
    fn between(mut self, values: Vec<String>) -> Suggestions {
        self.between = values;
        self
    }

    /// The suggestion, when there is one clear one.
    pub fn suggested(&self) -> Option<&Candidate> {
        match self.verdict {
            Verdict::Suggested => self.candidates.first(),
            _ => None,
        }
    }

    /// The candidate the campaign's `auto_accept` threshold lets through
    /// without review: a clear suggestion resting on a code in the label,
    /// scoring at least the threshold.
    pub fn auto_accepted(&self, threshold: Option<f64>) -> Option<&Candidate> {
        let t = threshold?;
        self.suggested().filter(|c| c.exact_code && c.score >= t)
    }
}

/// One piece of evidence for a value, before they are merged.
#[derive(Debug, Clone)]
struct Vote {
    value: String,
    score: f64,
    reason: String,
    exact_code: bool,
    /// Where its reason goes, whatever its score: 0 a code in the label,
    /// 1 the same words as an accepted line, 2 the rest (words, ages).
    rank: u8,
    /// What the words' best document made of the label, for a vote from
    /// the words.
    shape: Option<index::Shape>,
}

/// Suggestions for one dimension.
#[derive(Debug, Clone)]
pub struct DimSuggester {
    kind: DimKind,
    domain: BTreeSet<String>,
    /// Whether reference codes written in labels count (offence dimensions).
    codes: bool,
    reference: Option<Reference>,
    wording: Option<Wording>,
    index: Index,
    /// Accepted lines by folded label.
    accepted: BTreeMap<String, Vec<Accepted>>,
    /// Labels are codes of another dimension, read as their names.
    codes_as_names: bool,
    /// The reference's classes and sub-classes, smallest first: what a
    /// residual row ("Other theft") may be the rest of.
    groups: Vec<context::Group>,
    /// The victims' ages of each category whose name says some, less its
    /// narrower siblings' ("Sexual assault on a female aged 13 or over").
    ages: BTreeMap<String, DocAges>,
}

impl DimSuggester {
    /// For a dimension of codes: `domain` its allowed values (empty: any),
    /// `codes` whether it is the offence reference's (codes in labels,
    /// names and descriptions as evidence), `accepted` the lines people
    /// accepted for it.
    pub fn codes(
        domain: &BTreeSet<String>,
        codes: bool,
        evidence: Evidence<'_>,
        accepted: &[Accepted],
    ) -> DimSuggester {
        Self::codes_with(domain, codes, evidence, accepted, &BTreeMap::new())
    }

    /// As [`DimSuggester::codes`], with the ages of accepted lines that are
    /// the reference's category names (by folded label): their own ages,
    /// less their narrower siblings', as the category's are.
    fn codes_with(
        domain: &BTreeSet<String>,
        codes: bool,
        evidence: Evidence<'_>,
        accepted: &[Accepted],
        line_ages: &BTreeMap<String, DocAges>,
    ) -> DimSuggester {
        let wording = evidence.wording;
        let plain = |t: &str, side: Side| {
            let t = text::read(t, wording, side);
            let ages = t.ages.map(DocAges::said);
            (
                t.words.into_iter().map(|w| (w, 1.0)).collect::<Vec<_>>(),
                t.marks,
                ages,
            )
        };
        let mut b = index::Builder::default();
        let mut kept: Vec<context::Group> = Vec::new();
        let mut kept_ages: BTreeMap<String, DocAges> = BTreeMap::new();
        let wanted = |c: &str| domain.is_empty() || domain.contains(c);
        if let (true, Some(r)) = (codes, evidence.reference) {
            let read: BTreeMap<&str, text::Text> = r
                .categories
                .iter()
                .map(|(c, n)| (c.as_str(), text::read(n, wording, Side::Reference)))
                .collect();
            let ages = category_ages(&read);
            kept_ages = ages.iter().map(|(c, a)| (c.to_string(), *a)).collect();
            for (code, name) in r.categories.iter().filter(|(c, _)| wanted(c)) {
                let (w, m, _) = plain(name, Side::Reference);
                let a = ages.get(code.as_str()).copied();
                b.add(name, &w, &[], m, a, vec![code.clone()], Source::Name);
            }
            let names: BTreeMap<&str, BTreeSet<String>> = read
                .iter()
                .map(|(c, t)| (*c, t.words.iter().map(|w| w.stem.clone()).collect()))
                .collect();
            // The categories each description is counted under.
            let mut under: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
            for o in r.offences.iter().filter(|o| wanted(&o.category)) {
                under
                    .entry(fold_label(&o.description))
                    .or_default()
                    .insert(&o.category);
            }
            let mut seen = BTreeSet::new();
            for o in r.offences.iter().filter(|o| wanted(&o.category)) {
                let folded = fold_label(&o.description);
                if !seen.insert((o.category.clone(), folded.clone())) {
                    continue;
                }
                let empty = BTreeSet::new();
                let name = names.get(o.category.as_str()).unwrap_or(&empty);
                let t = text::read(&o.description, wording, Side::Reference);
                // A description's victim is its category's unless it says
                // otherwise ("Sexual assault on a female" is 20A's, 13 and
                // over), and within its category's own ages.
                let category = ages.get(o.category.as_str()).copied();
                let doc_ages = match (t.ages, category) {
                    (Some(a), Some(c)) => Some(DocAges {
                        said: a,
                        own: a.meet(&c.own).unwrap_or(a),
                    }),
                    (Some(a), None) => Some(DocAges::said(a)),
                    // "Assault on a female by penetration" says no age but
                    // is 20A's, 13 and over: a label that says none leaves
                    // it open between 20A and 20B, and is not suggested
                    // one of them on words alone.
                    (None, c) => c,
                };
                let mut words: Vec<(text::Word, f32)> =
                    t.words.into_iter().map(|w| (w, 1.0)).collect();
                // A description several categories share ("Wounding with intent
                // to do grievous bodily harm": 8S, 8T) takes what its category's
                // name says beyond theirs ("constable"): the label must say it.
                let siblings = under.get(&folded).map_or(1, BTreeSet::len);
                let mut needs = Vec::new();
                if siblings > 1 {
                    let common: BTreeSet<&String> = name
                        .iter()
                        .filter(|x| {
                            under[&folded]
                                .iter()
                                .all(|c| names.get(c).is_some_and(|n| n.contains(*x)))
                        })
                        .collect();
                    let own = read.get(o.category.as_str()).map(|t| t.words.clone());
                    for x in own.unwrap_or_default() {
                        if !common.contains(&x.stem) && !words.iter().any(|(y, _)| y.stem == x.stem)
                        {
                            needs.push(x.clone());
                            words.push((x, 1.0));
                        }
                    }
                }
                b.add(
                    &o.description,
                    &words,
                    &needs,
                    t.marks,
                    doc_ages,
                    vec![o.category.clone()],
                    Source::Description {
                        ho_code: o.ho_code.clone(),
                    },
                );
            }
            // Classes and sub-classes: a label naming one spans its categories
            // (the reference spells some two ways: one group, its first spelling).
            let mut groups: BTreeMap<String, (String, &'static str, BTreeSet<String>)> =
                BTreeMap::new();
            for o in r.offences.iter().filter(|o| wanted(&o.category)) {
                for (name, what) in [(&o.class, "class"), (&o.sub_class, "sub-class")] {
                    if !name.trim().is_empty() {
                        groups
                            .entry(fold_label(name))
                            .or_insert_with(|| (name.trim().to_string(), what, BTreeSet::new()))
                            .2
                            .insert(o.category.clone());
                    }
                }
            }
            for (name, what, cats) in groups.into_values() {
                let (w, m, _) = plain(&name, Side::Reference);
                kept.push(context::Group {
                    name: name.clone(),
                    what,
                    members: cats.clone(),
                });
                b.add(
                    &name,
                    &w,
                    &[],
                    m,
                    None,
                    cats.into_iter().collect(),
                    Source::Group { what },
                );
            }
        }
        if !codes {
            // Pairs of opposites found within one value's accepted lines do
            // not tell values apart here (an offence group holds the male
            // and the female category alike).
            let mut by_value: BTreeMap<&str, Vec<text::Marks>> = BTreeMap::new();
            for a in accepted {
                by_value
                    .entry(a.value.as_str())
                    .or_default()
                    .push(text::read(&a.label, wording, Side::Label).marks);
            }
            let varying: Vec<text::Marks> =
                by_value.values().map(|m| text::Marks::varying(m)).collect();
            b.ignore(
                varying
                    .into_iter()
                    .fold(text::Marks::default(), text::Marks::union),
            );
            for v in domain {
                // A value's id is written as a label is ("rape_child_u16",
                // "sexual_assault_child"): its "child" is an age, as a
                // label's is, and "u16" is under 16.
                let text = v.replace('_', " ");
                let (w, m, a) = plain(&text, Side::Label);
                b.add(&text, &w, &[], m, a, vec![v.clone()], Source::Value);
            }
        }
        for a in accepted {
            let (w, m, ages) = plain(&a.label, Side::Label);
            // A line's victim is its category's, as a description's is:
            // "Rape of a female child under 16" mapped to 19D is 13 to 15
            // beside 19E's under 13, whatever its words' "under 16" spans.
            let ages = match (ages, kept_ages.get(&a.value)) {
                (Some(l), Some(c)) => Some(DocAges {
                    said: l.said,
                    own: l.said.meet(&c.own).unwrap_or(l.said),
                }),
                (l, c) => l.or(c.copied()),
            };
            let ages = line_ages.get(&fold_label(&a.label)).copied().or(ages);
            b.add(
                &a.label,
                &w,
                &[],
                m,
                ages,
                vec![a.value.clone()],
                Source::Accepted {
                    campaign: a.campaign.clone(),
                    file: a.file.clone(),
                    line: a.line,
                    force: a.force.as_ref().map(|f| f.0.clone()),
                },
            );
        }
        kept.sort_by_key(|g| g.members.len());
        DimSuggester {
            kind: DimKind::Code,
            domain: domain.clone(),
            codes,
            reference: evidence.reference.filter(|_| codes).cloned(),
            wording: wording.cloned(),
            index: b.build(),
            accepted: by_label(accepted),
            codes_as_names: false,
            groups: kept,
            ages: kept_ages,
        }
    }

    /// For an age dimension: the general rules, and the lines people accepted.
    pub fn ages(accepted: &[Accepted]) -> DimSuggester {
        DimSuggester {
            kind: DimKind::Age,
            domain: BTreeSet::new(),
            codes: false,
            reference: None,
            wording: None,
            index: Index::default(),
            accepted: by_label(accepted),
            codes_as_names: false,
            groups: Vec::new(),
            ages: BTreeMap::new(),
        }
    }

    /// Ranked suggestions for `label` as `force` wrote it.
    pub fn suggest(&self, label: &str, force: Option<&ForceId>) -> Suggestions {
        let out = self.suggest_read(label, force);
        if out.verdict != Verdict::NoSuggestion {
            return out;
        }
        // Nothing was read of the whole: parts of it may be read alone.
        // A header written twice apart by a slash, once in words the
        // reference barely knows ("Lladrad o'r person / Theft from the
        // person", as Welsh forces write them).
        let parts = text::slashed(label);
        if parts.len() > 1 {
            let why = |p: &str| {
                format!("read as {p:?}: nothing was read of the whole, and no other part of it names another value")
            };
            if let Some(read) = self.read_apart(&parts, force, why) {
                return read;
            }
        }
        // A section of an Act is one offence, whatever the words beside it
        // ("Possession of mobile phone in prison - s.40D Prison Act").
        let why =
            |c: &str| format!("read by its citation {c:?}: a section of an Act is one offence");
        if let Some(read) = self.read_apart(&text::citing_clauses(label), force, why) {
            return read;
        }
        // "Voyeurism - recording private act": a head read clearly enough,
        // then after a dash a force's own detail in words the reference
        // does not know (were they another value's, that part would name
        // it, and the parts would disagree).
        let dashed = text::dashed(label);
        let clear = |head: &&str| {
            self.suggest_read(head, force)
                .suggested()
                .is_some_and(|c| c.score >= HEAD)
        };
        if dashed.len() > 1 && dashed.first().is_some_and(clear) {
            let why = |p: &str| {
                format!("read as {p:?}: nothing was read of the whole, and the rest of it, after a dash, names no other value")
            };
            if let Some(read) = self.read_apart(&dashed, force, why) {
                return read;
            }
        }
        // Examples in brackets ("(shops, banks, post offices)") are words
        // no description says, weighing the label's own words down.
        if let Some((kept, examples)) = text::examples(label) {
            let why =
                |k: &str| format!("read as {k:?}: {examples} lists examples of what it counts");
            if let Some(read) = self.read_apart(&[kept.as_str()], force, why) {
                return read;
            }
        }
        out
    }

    /// As [`DimSuggester::suggest`], among the values of the reply's other
    /// rows of this dimension: a row saying it is the rest of what they
    /// count ("Other theft" beside "Shoplifting") is the rest of their
    /// group, not the category of its name; a row ambiguous between values
    /// all but one of which have rows of their own is that one (see
    /// [`context`]).
    pub fn suggest_among(
        &self,
        label: &str,
        force: Option<&ForceId>,
        siblings: &BTreeSet<String>,
    ) -> Suggestions {
        self.read_among(self.suggest(label, force), label, siblings)
    }

    /// `alone`, the suggestions for `label` read alone, read again among
    /// `siblings` ([`DimSuggester::suggest_among`]).
    pub fn read_among(
        &self,
        alone: Suggestions,
        label: &str,
        siblings: &BTreeSet<String>,
    ) -> Suggestions {
        if self.codes_as_names {
            return alone;
        }
        let out = context::rest_of_group(alone, label, siblings, &self.groups);
        context::rest_is_one(out, label, siblings)
    }

    /// Parts of a label nothing was read of, each read alone: what the
    /// first that says anything makes of it, when every part that says
    /// anything names the same value (one part alone may be ambiguous),
    /// with `why` it was read so; never taken without review.
    fn read_apart(
        &self,
        parts: &[&str],
        force: Option<&ForceId>,
        why: impl Fn(&str) -> String,
    ) -> Option<Suggestions> {
        let read: Vec<(&str, Suggestions)> = parts
            .iter()
            .map(|p| (p.trim(), self.suggest_read(p, force)))
            .filter(|(_, s)| s.verdict != Verdict::NoSuggestion)
            .collect();
        let (part, first) = read.first()?;
        let one = first.suggested().map(|c| &c.value);
        if (one.is_none() && parts.len() > 1)
            || !read
                .iter()
                .all(|(_, s)| s.suggested().map(|c| &c.value) == one)
        {
            return None;
        }
        let mut out = first.clone();
        let why = why(part);
        for c in &mut out.candidates {
            c.exact_code = false;
            c.reasons.push(why.clone());
        }
        Some(out)
    }

    fn suggest_read(&self, label: &str, force: Option<&ForceId>) -> Suggestions {
        let named;
        let label = if self.codes_as_names {
            named = derived_label(self.reference.as_ref(), label);
            named.as_str()
        } else {
            label
        };
        let accepted = self.accepted.get(&fold_label(label));
        if let (None, Some((kept, foreign))) = (accepted, self.foreign(label)) {
            let mut out = self.suggest(&kept, force);
            let why = format!(
                "read as {kept:?}: the reference knows no word of {foreign:?} (another language, or a force's own terms)"
            );
            for c in &mut out.candidates {
                c.reasons.push(why.clone());
            }
            return out;
        }
        let mut votes: Vec<Vote> = Vec::new();
        // The same words, accepted for another force or in another campaign.
        if let Some(lines) = accepted {
            for a in lines {
                if a.force.is_some() && a.force.as_ref() == force {
                    continue; // that line would have mapped it
                }
                votes.push(Vote {
                    value: a.value.clone(),
                    score: 0.97,
                    reason: format!(
                        "the same words as {} ({}:{}{})",
                        match &a.force {
                            Some(f) => format!("{f}'s accepted line"),
                            None => "an accepted line".to_string(),
                        },
                        a.file,
                        a.line,
                        if a.campaign.is_empty() {
                            String::new()
                        } else {
                            format!(", campaign {}", a.campaign)
                        }
                    ),
                    exact_code: false,
                    rank: 1,
                    shape: None,
                });
            }
        }
        if self.kind == DimKind::Age {
            for r in age::readings(label) {
                votes.push(Vote {
                    value: r.value.to_string(),
                    score: r.score,
                    reason: r.reason,
                    exact_code: false,
                    rank: 2,
                    shape: None,
                });
            }
            return decide(votes, None);
        }
        let read = text::read(label, self.wording.as_ref(), Side::Label);
        let spans = read.spans;
        let flagged = read.flagged;
        let term = self
            .wording
            .as_ref()
            .and_then(|w| w.group(label, &read.words));
        let query = self.index.read(read);
        let hits = self.index.hits(&query);
        let words = &query.words;
        // The best document for each value, and the best group.
        let mut by_value: BTreeMap<&str, (f64, &index::Hit)> = BTreeMap::new();
        let mut group: Option<&index::Hit> = None;
        for h in &hits {
            if matches!(h.doc.source, Source::Group { .. }) && h.doc.targets.len() > 1 {
                if group.is_none() {
                    group = Some(h);
                }
                continue;
            }
            for t in &h.doc.targets {
                let e = by_value
                    .entry(t.as_str())
                    .or_insert((f64::from(h.score), h));
                if f64::from(h.score) > e.0 {
                    *e = (f64::from(h.score), h);
                }
            }
        }
        // A label that is a category's name and one of its descriptions
        // at once: the words the name says count with the description's.
        let names = best_per_value(&hits, |s| matches!(s, Source::Name));
        // The best description of each value too: where the name alone
        // fits better than any description, a label of the two parts may
        // fit both together best ("Modern slavery - arrange travel for
        // exploitation").
        let described = best_per_value(&hits, |s| matches!(s, Source::Description { .. }));
        let mut named: Vec<(&str, &index::Hit)> = Vec::new();
        for (v, e) in by_value.iter_mut() {
            if let Some(&name) = names.get(v) {
                let mut both = (f64::from(e.1.with_name(name, &query, &self.index)), e.1);
                // Only a description that says two words or more of the
                // label the name does not: one word ("Common" assault) is
                // no second part of the label.
                let adds = |d: &&&index::Hit| d.says_beyond(name) >= 2;
                if let Some(&d) = described.get(v).filter(adds) {
                    let with = f64::from(d.with_name(name, &query, &self.index));
                    if with > both.0 {
                        both = (with, d);
                    }
                }
                if both.0 > e.0 {
                    *e = both;
                    named.push((v, name));
                }
            }
        }
        let text_score = |v: &str| by_value.get(v).map_or(0.0, |e| e.0);
        let text_best = by_value
            .iter()
            .map(|(v, e)| (*v, e.0))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        // Only a vote near the best can need its shape (the order between
        // documents, in `decide`): the rest are not built.
        let near = text_best.map_or(f64::INFINITY, |(_, s)| s - MARGIN);
        for (v, (score, hit)) in &by_value {
            // Victims' ages with none in common: another offence, whatever
            // the words share; or every offence of the value what the
            // label leaves out ("excl. cannabis"). Listed for the
            // reviewer, never suggested.
            let score = if hit.ages == Some(victim::Fit::Apart) || self.index.leaves_out(&query, v)
            {
                score.min(LISTED)
            } else {
                *score
            };
            votes.push(Vote {
                value: v.to_string(),
                score,
                reason: self.explain(v, words, query.ages, hit),
                exact_code: false,
                rank: 2,
                shape: (score >= near).then(|| hit.shape()),
            });
        }
        for (v, name) in named {
            votes.push(Vote {
                value: v.to_string(),
                score: f64::from(name.score),
                reason: self.explain(v, words, query.ages, name),
                exact_code: false,
                rank: 2,
                shape: (f64::from(name.score) >= near).then(|| name.shape()),
            });
        }
        if self.codes {
            // The label's own words the best text of a value does not say.
            let own = own_words(words);
            let unsaid = |v: &str| {
                let matched = by_value.get(v).map_or(&[][..], |e| e.1.matched.as_slice());
                own.iter()
                    .filter(|&&i| !matched.iter().any(|m| m.0 == i))
                    .count()
            };
            self.code_votes(label, &own, &unsaid, &text_score, text_best, &mut votes);
        }
        let group = group.map(|h| {
            let what = match h.doc.source {
                Source::Group { what } => what,
                _ => "group",
            };
            (
                f64::from(h.score),
                format!("the Home Office {what} {:?}", h.doc.text),
                h.doc.targets.clone(),
            )
        });
        // Every word of the label said by two categories' names, and no
        // document the label's whole text: the label names what they
        // share ("Assault": with injury, without), not which. (Categories
        // told apart by the victim's ages are the ages' to tell.)
        let shared: BTreeSet<&str> = hits
            .iter()
            .filter(|h| h.whole && matches!(h.doc.source, Source::Name))
            .flat_map(|h| h.doc.targets.iter().map(String::as_str))
            .collect();
        let exact = hits.iter().any(|h| h.exact);
        let coded = votes.iter().any(|v| v.rank == 0);
        let out = decide(votes, group);
        let read = withhold::Reading {
            label,
            force,
            term,
            flagged,
            spans,
            ages: query.ages,
            by_value: &by_value,
            shared,
            exact,
            coded,
        };
        let mut out = self.withhold(&read, out);
        if out.between.len() < 2 {
            out.between.clear();
            return out;
        }
        // The rows beside a label settle only which of the values whose
        // names say every word of it ("other" and "all" aside) it is:
        // the label is what their names share, and their names' other
        // words are what a row beside it may say ("Sexual assault on a
        // female" beside "… child under 13"). A word no name says
        // ("total", "attempted") is no such label's.
        let said_by_name: BTreeSet<&str> = hits
            .iter()
            .filter(|h| matches!(h.doc.source, Source::Name))
            .filter(|h| {
                words.iter().enumerate().all(|(i, w)| {
                    h.matched.iter().any(|m| m.0 == i)
                        || w.weight <= 0.0
                        || w.word.written == "all"
                        || context::residual(&w.word.written)
                })
            })
            .flat_map(|h| h.doc.targets.iter().map(String::as_str))
            .collect();
        out.between.retain(|v| said_by_name.contains(v.as_str()));
        if out.between.len() < 2 {
            out.between.clear();
        }
        out
    }

    /// A label written twice, apart by a slash, once in words the reference
    /// does not know ("Lladrata o siopau / Shoplifting", as Welsh forces
    /// write headers): the parts it can read, joined, and the rest. A
    /// part is foreign when two or more of its words are unknown and they
    /// outnumber the known ("Lladrad o'r person" knows "person").
    fn foreign(&self, label: &str) -> Option<(String, String)> {
        let parts = text::slashed(label);
        if parts.len() < 2 || self.index.is_empty() {
            return None;
        }
        let (mut kept, mut foreign) = (Vec::new(), Vec::new());
        for part in parts {
            let read = self
                .index
                .read(text::read(part, self.wording.as_ref(), Side::Label));
            let long = |w: &&index::LabelWord| w.word.written.chars().count() > 1;
            let known = read.words.iter().filter(long).filter(|w| w.known()).count();
            let unknown = read
                .words
                .iter()
                .filter(long)
                .filter(|w| !w.known())
                .count();
            if unknown >= 2 && unknown > known {
                foreign.push(part.trim());
            } else {
                kept.push(part.trim());
            }
        }
        (!foreign.is_empty() && !kept.is_empty()).then(|| (kept.join(" / "), foreign.join(" / ")))
    }

    /// Votes from codes written in the label, weighed against the words.
    fn code_votes(
        &self,
        label: &str,
        own: &[usize],
        unsaid_of: &dyn Fn(&str) -> usize,
        text_score: &dyn Fn(&str) -> f64,
        text_best: Option<(&str, f64)>,
        votes: &mut Vec<Vote>,
    ) {
        let name = |c: &str| {
            self.reference
                .as_ref()
                .and_then(|r| r.categories.get(c))
                .map_or(String::new(), |n| format!(" ({n})"))
        };
        for hit in code::codes_in_label(label, &self.domain, self.reference.as_ref()) {
            let what = match &hit.code {
                Written::Category(_) => "category".to_string(),
                Written::HoCode(h) => format!("Home Office code {h}, counted under"),
                Written::HoClass(h) => format!("Home Office class {h}, counted under"),
            };
            // Among several categories of one code, the words of the label
            // and of the code's own description decide.
            let mut ranked: Vec<(String, f64)> = hit
                .categories
                .iter()
                .map(|c| {
                    let by_desc = match &hit.code {
                        Written::HoCode(h) => self.description_fit(h, c),
                        _ => 0.0,
                    };
                    (c.clone(), text_score(c).max(by_desc))
                })
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            let single = ranked.len() == 1;
            let maybe_age = hit.doubts.contains(&code::Doubt::MaybeAge);
            let unannounced = hit.doubts.contains(&code::Doubt::Unannounced);
            let doubt = hit
                .doubt_text()
                .map_or(String::new(), |d| format!(" (not taken alone: {d})"));
            for (k, (c, fit)) in ranked.iter().enumerate() {
                let unsaid = unsaid_of(c);
                let clear = single || (k == 0 && ranked.get(1).is_none_or(|r| fit - r.1 >= MARGIN));
                // Words that fit the code's own description as well as the
                // best say nothing against it.
                let against = text_best.filter(|(v, s)| *s >= WEAK && v != c && *fit < s - MARGIN);
                let (score, how) = match (clear, against) {
                    // Listed below what the words fit, never above it.
                    (_, Some((v, s))) => (
                        // As one contradiction costs a text's score.
                        (s * f64::from(index::CONTRADICTION)).min(0.6),
                        format!("but the words fit {v}{} better", name(v)),
                    ),
                    // Words that agree; but with one of the label's own no
                    // text of the category says, never taken unseen (below).
                    (true, None) if text_score(c) >= 0.3 => (
                        if single { 0.99 } else { 0.95 },
                        if unsaid == 0 {
                            "and the words agree"
                        } else {
                            "and the words agree, but not every word of the label is in its name or descriptions"
                        }
                        .to_string(),
                    ),
                    // A number that may be an age is a code only with words
                    // that agree: alone, it is listed, never suggested.
                    (true, None) if maybe_age => (LISTED, "the words add little".to_string()),
                    // A number alone whose category says none of the
                    // label's own words may be of another classification
                    // ("Sacrilege (27)" in an older Home Office table is no
                    // soliciting): listed only.
                    (true, None) if unannounced && unsaid == own.len() && !own.is_empty() => (
                        LISTED,
                        "but no word of the label is in its name or descriptions".to_string(),
                    ),
                    // Words of the label's own the category's texts do not
                    // say, with any other code: suggested, for a person to
                    // accept, never taken unseen.
                    (true, None) if unsaid > 0 => (
                        CLEAR,
                        if unsaid == own.len() {
                            "but no word of the label is in its name or descriptions"
                        } else {
                            "but not every word of the label is in its name or descriptions"
                        }
                        .to_string(),
                    ),
                    (true, None) => (
                        if single { 0.95 } else { 0.9 },
                        "the words add little".to_string(),
                    ),
                    (false, None) => (0.8, "as is another category of the code".to_string()),
                };
                votes.push(Vote {
                    value: c.clone(),
                    score,
                    reason: format!(
                        "{:?} in the label is {what} {c}{}{doubt}, {how}",
                        hit.written,
                        name(c)
                    ),
                    exact_code: hit.sure() && against.is_none() && score >= 0.95 && unsaid == 0,
                    rank: 0,
                    shape: None,
                });
            }
        }
    }

    /// How well a Home Office code's own description fits a category's
    /// documents (which of 19D and 19J "019/07" means).
    fn description_fit(&self, ho_code: &str, category: &str) -> f64 {
        let Some(r) = &self.reference else {
            return 0.0;
        };
        let Some(name) = r.categories.get(category) else {
            return 0.0;
        };
        r.descriptions_of_ho_code(ho_code)
            .into_iter()
            .filter(|(c, _)| *c == category)
            .map(|(_, d)| {
                let dw: Vec<String> = text::words(d, self.wording.as_ref())
                    .into_iter()
                    .map(|w| w.stem)
                    .collect();
                let nw: Vec<String> = text::words(name, self.wording.as_ref())
                    .into_iter()
                    .map(|w| w.stem)
                    .collect();
                let shared = nw.iter().filter(|w| dw.contains(w)).count();
                shared as f64 / nw.len().max(1) as f64 * 0.5
            })
            .fold(0.0, f64::max)
    }

    /// "words sexual, assault ("aslt"), female ("f") match category name
    /// "Sexual Assault on a Female Child under 13"".
    fn explain(
        &self,
        value: &str,
        words: &[index::LabelWord],
        ages: Option<Ages>,
        hit: &index::Hit,
    ) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut via: Vec<usize> = Vec::new();
        for &(i, stem, how) in &hit.matched {
            let w = &words[i].word;
            let shown = match how {
                How::Same if w.via.is_none() => w.written.clone(),
                How::Same => format!("{} ({:?})", stem, w.written),
                How::Start | How::Shorthand | How::Letter => {
                    format!("{:?} for {stem}", w.written)
                }
                How::Typo => format!("{:?} (a typo of {stem})", w.written),
            };
            if !parts.contains(&shown) {
                parts.push(shown);
            }
            if let Some(k) = w.via {
                if !via.contains(&k) {
                    via.push(k);
                }
            }
        }
        let doc = match &hit.doc.source {
            Source::Name => format!("the category name {:?}", hit.doc.text),
            Source::Description { ho_code } => {
                format!("Home Office offence {ho_code} {:?}", hit.doc.text)
            }
            Source::Group { what } => format!("the {what} {:?}", hit.doc.text),
            Source::Accepted {
                campaign,
                file,
                line,
                force,
            } => format!(
                "{} {:?} ({file}:{line}{})",
                match force {
                    Some(f) => format!("{f}'s accepted line"),
                    None => "the accepted line".to_string(),
                },
                hit.doc.text,
                if campaign.is_empty() {
                    String::new()
                } else {
                    format!(", campaign {campaign}")
                }
            ),
            Source::Value => format!("the value's own words {:?}", hit.doc.text),
        };
        let mut s = if parts.is_empty() {
            format!("the victim's ages match {doc}")
        } else {
            format!("words {} match {doc}", parts.join(", "))
        };
        // The ages weighed as a word: say how.
        if let (Some(a), Some(fit), Some(d)) = (ages, hit.ages, hit.doc.ages) {
            s.push_str(&match fit {
                victim::Fit::Within => format!("; victim {a}, within its {}", d.own),
                victim::Fit::Apart => format!("; but victim {a}, not its {}", d.own),
                victim::Fit::Overlap => format!("; victim {a}, partly its {}", d.own),
            });
        }
        if let Some(w) = &self.wording {
            for k in via {
                s.push_str(&format!("; read through {}", w.describe(k)));
            }
        }
        // The offence is counted elsewhere too, by what the label may not
        // say ("ABH": on a constable, 8S, or another emergency worker,
        // 8T): the reviewer checks the reply counts only this value's.
        if let (Source::Description { ho_code }, Some(r)) = (&hit.doc.source, &self.reference) {
            let others: Vec<&str> = r
                .categories_of_ho_code(ho_code)
                .into_iter()
                .filter(|c| *c != value)
                .collect();
            if !others.is_empty() {
                s.push_str(&format!(
                    "; {ho_code} is counted under {} too",
                    others.join(" and ")
                ));
            }
        }
        s
    }
}

/// The victim's ages of each category whose name says some, each less
/// those of its narrower siblings: the categories whose names say the same
/// besides the ages ("Rape of a Female Child under 16" is 13–15 beside
/// "… under 13"; "Sexual Activity involving a Child under 16" beside
/// "… under 13").
fn category_ages<'a>(names: &BTreeMap<&'a str, text::Text>) -> BTreeMap<&'a str, DocAges> {
    let key = |t: &text::Text| -> BTreeSet<String> {
        t.words
            .iter()
            .map(|w| w.stem.clone())
            .filter(|s| !matches!(s.as_str(), "child" | "adult" | "young" | "juvenil"))
            .collect()
    };
    let mut out = BTreeMap::new();
    for (code, t) in names {
        let Some(said) = t.ages else { continue };
        let mine = key(t);
        let siblings: Vec<Ages> = names
            .iter()
            .filter(|(c, o)| c != &code && key(o) == mine)
            .filter_map(|(_, o)| o.ages)
            .collect();
        out.insert(
            *code,
            DocAges {
                said,
                own: victim::own_ages(said, &siblings),
            },
        );
    }
    out
}

fn by_label(accepted: &[Accepted]) -> BTreeMap<String, Vec<Accepted>> {
    let mut out: BTreeMap<String, Vec<Accepted>> = BTreeMap::new();
    for a in accepted {
        out.entry(fold_label(&a.label)).or_default().push(a.clone());
    }
    out
}

/// A label's own words besides a code, by index: words of four letters
/// or more that neither announce a code ("Class 8N", "Code 105A", "NFIB
/// 50") nor are added to any offence's label ("offences", "other").
fn own_words(words: &[index::LabelWord]) -> Vec<usize> {
    const CODE_WORDS: [&str; 8] = [
        "class", "code", "codes", "categ", "category", "crime", "offence", "nfib",
    ];
    let own = |w: &index::LabelWord| {
        let stem = w.word.stem.as_str();
        stem.len() >= 4
            && stem.chars().all(|c| c.is_ascii_alphabetic())
            && !CODE_WORDS.contains(&stem)
            && !CODE_WORDS.contains(&w.word.written.as_str())
            && !group::generic(stem)
    };
    (0..words.len()).filter(|&i| own(&words[i])).collect()
}

/// The best hit of each value among documents of one source. Hits come
/// best first, so the first of a value is its best.
fn best_per_value<'h, 'd>(
    hits: &'h [index::Hit<'d>],
    source: impl Fn(&Source) -> bool,
) -> BTreeMap<&'h str, &'h index::Hit<'d>> {
    let mut best = BTreeMap::new();
    for h in hits.iter().filter(|h| source(&h.doc.source)) {
        for t in &h.doc.targets {
            best.entry(t.as_str()).or_insert(h);
        }
    }
    best
}

/// Merges the votes per value and decides: one clear suggestion, an
/// ambiguous label (a group, or values too close to call), or none.
fn decide(votes: Vec<Vote>, group: Option<(f64, String, Vec<String>)>) -> Suggestions {
    let mut merged: Vec<Candidate> = Vec::new();
    let mut order: Vec<Vote> = votes;
    order.sort_by(|a, b| b.score.total_cmp(&a.score));
    // The reasons of each value: a code in the label first, then the same
    // words accepted, then the rest by score.
    let mut reasons: Vec<Vec<(u8, String)>> = Vec::new();
    // Each value's shape, from its words' vote: where a code names two
    // categories alike ("028/03": 28J and 28L), the words may still tell
    // them apart whatever the weights.
    let mut shapes: Vec<Option<index::Shape>> = Vec::new();
    for v in order {
        match merged.iter().position(|c| c.value == v.value) {
            Some(i) => {
                if shapes[i].is_none() {
                    shapes[i] = v.shape;
                }
                merged[i].exact_code |= v.exact_code;
                if !reasons[i].iter().any(|(_, r)| *r == v.reason) {
                    reasons[i].push((v.rank, v.reason));
                }
            }
            None => {
                merged.push(Candidate {
                    value: v.value,
                    score: v.score,
                    reasons: Vec::new(),
                    exact_code: v.exact_code,
                });
                reasons.push(vec![(v.rank, v.reason)]);
                shapes.push(v.shape);
            }
        }
    }
    for (c, mut r) in merged.iter_mut().zip(reasons) {
        r.sort_by_key(|(rank, _)| *rank);
        c.reasons = r.into_iter().map(|(_, r)| r).collect();
    }
    let best = merged.first().map_or(0.0, |c| c.score);
    let second = merged.get(1).map_or(0.0, |c| c.score);
    if let Some((g, name, targets)) = group {
        // A label that names a group as well as any single value spans the
        // group: list its members the words fit best.
        if g >= WEAK && g > best {
            let mut members: Vec<Candidate> = merged
                .iter()
                .filter(|c| targets.contains(&c.value))
                .cloned()
                .collect();
            if members.is_empty() {
                members = targets
                    .iter()
                    .map(|t| Candidate {
                        value: t.clone(),
                        score: 0.0,
                        reasons: Vec::new(),
                        exact_code: false,
                    })
                    .collect();
            }
            let spans = format!(
                "{name} spans {} categories ({})",
                targets.len(),
                targets.join(", ")
            );
            for m in &mut members {
                m.score = m.score.min(g);
            }
            members.truncate(SHOWN);
            let mut out = Suggestions::withheld(
                Verdict::Ambiguous { group: Some(name) },
                members,
                Some(&spans),
            )
            .between(targets.clone());
            out.members = targets;
            return out;
        }
    }
    // Every runner-up near the best is one the best fits better whatever
    // the weights: the margin is no doubt between them.
    let dominant = shapes.first().and_then(Option::as_ref).is_some_and(|top| {
        merged
            .iter()
            .zip(&shapes)
            .skip(1)
            .take_while(|(c, _)| c.score >= best - MARGIN)
            .all(|(_, s)| s.as_ref().is_some_and(|s| top.dominates(s)))
    });
    // The values near the best, before the list is cut to those shown.
    let near: Vec<String> = if second >= best - MARGIN && !dominant {
        merged
            .iter()
            .take_while(|c| c.score >= best - MARGIN)
            .map(|c| c.value.clone())
            .collect()
    } else {
        Vec::new()
    };
    merged.retain(|c| c.score >= NEAREST);
    merged.truncate(SHOWN);
    if best < WEAK {
        // Too weak to suggest, but the nearest are the reviewer's place to
        // start looking.
        return Suggestions::withheld(Verdict::NoSuggestion, merged, None);
    }
    if !near.is_empty() {
        return Suggestions::withheld(Verdict::Ambiguous { group: None }, merged, None)
            .between(near);
    }
    Suggestions {
        verdict: Verdict::Suggested,
        candidates: merged,
        between: Vec::new(),
        members: Vec::new(),
    }
}

/// Suggestions for every dimension of a campaign that a label can fail to
/// map on: each code and age dimension (a derived one maps the codes of
/// the dimension it derives from).
#[derive(Debug, Clone)]
pub struct Suggester {
    dims: BTreeMap<DimId, DimSuggester>,
}

impl Suggester {
    pub fn new(campaign: &Campaign, evidence: Evidence<'_>) -> Suggester {
        let mut dims = BTreeMap::new();
        for d in &campaign.dimensions {
            let own = own_lines(campaign, d);
            let s = match d.kind {
                DimKind::Text => continue,
                DimKind::Age => {
                    let mut lines = own;
                    lines.extend(shared(evidence, Shared::Ages));
                    DimSuggester::ages(&lines)
                }
                DimKind::Code if d.derive_from.is_some() => derived(campaign, d, evidence),
                DimKind::Code => {
                    let mut lines = own;
                    if d.codes_in_labels {
                        lines.extend(shared(evidence, Shared::Offences));
                    }
                    DimSuggester::codes(&d.domain, d.codes_in_labels, evidence, &lines)
                }
            };
            dims.insert(d.id.clone(), s);
        }
        Suggester { dims }
    }

    /// Suggestions for a label of `dim` as `force` wrote it; none for a
    /// dimension the campaign does not have.
    pub fn suggest(&self, dim: &DimId, label: &str, force: Option<&ForceId>) -> Suggestions {
        match self.dims.get(dim) {
            Some(s) => s.suggest(label, force),
            None => Suggestions::none(),
        }
    }

    /// `alone`, the suggestions for a label of `dim` read alone
    /// ([`Suggester::suggest`]), read again among the values of the
    /// reply's other rows of `dim` ([`DimSuggester::suggest_among`]).
    pub fn read_among(
        &self,
        dim: &DimId,
        alone: Suggestions,
        label: &str,
        siblings: &BTreeSet<String>,
    ) -> Suggestions {
        match self.dims.get(dim) {
            Some(s) => s.read_among(alone, label, siblings),
            None => alone,
        }
    }
}

/// The campaign's own accepted lines for a dimension.
fn own_lines(campaign: &Campaign, d: &Dimension) -> Vec<Accepted> {
    let cw = match &d.derive_from {
        Some(_) => campaign
            .derivations
            .iter()
            .find(|(_, to, _)| to == &d.id)
            .map(|(_, _, cw)| cw),
        None => d.crosswalk.as_ref(),
    };
    cw.map(|cw| {
        cw.entries()
            .iter()
            .map(|e| Accepted {
                label: e.label.clone(),
                value: e.value.clone(),
                force: e.force.clone(),
                campaign: String::new(),
                file: cw.file.clone(),
                line: e.line,
            })
            .collect()
    })
    .unwrap_or_default()
}

fn shared(evidence: Evidence<'_>, what: Shared) -> Vec<Accepted> {
    evidence
        .others
        .iter()
        .filter(|(s, _)| *s == what)
        .map(|(_, a)| a.clone())
        .collect()
}

/// A derived dimension (offence group from offence): its labels are codes
/// of the dimension it derives from, read as their categories' names. The
/// evidence is the codes already in each group: a code whose name is like
/// theirs is suggested their group.
fn derived(campaign: &Campaign, d: &Dimension, evidence: Evidence<'_>) -> DimSuggester {
    let mut lines = own_lines(campaign, d);
    for a in &mut lines {
        a.label = derived_label(evidence.reference, &a.label);
    }
    // A category's name says its ages as a boundary ("under 16"); what it
    // holds is less its narrower siblings' ("Rape of a Male Child under 16"
    // is 13 to 15 beside 19H's under 13), so a code under 13 is never
    // placed with it on the words "under 16".
    let mut line_ages = BTreeMap::new();
    if let Some(r) = evidence.reference {
        let read: BTreeMap<&str, text::Text> = r
            .categories
            .iter()
            .map(|(c, n)| (c.as_str(), text::read(n, evidence.wording, Side::Reference)))
            .collect();
        for (code, ages) in category_ages(&read) {
            if let Some(name) = r.categories.get(code) {
                line_ages.insert(fold_label(name), ages);
            }
        }
    }
    let mut s = DimSuggester::codes_with(
        &d.domain,
        false,
        Evidence {
            reference: None,
            ..evidence
        },
        &lines,
        &line_ages,
    );
    // A code with a line would have mapped: no line has the same words.
    s.accepted = BTreeMap::new();
    s.reference = evidence.reference.cloned();
    s.codes_as_names = true;
    s
}

/// What a derived dimension's suggester reads for a code: its category's
/// name ("Rape of a Male Child under 16" for 19G), or the code itself.
pub fn derived_label(reference: Option<&Reference>, code: &str) -> String {
    match reference.and_then(|r| r.categories.get(code)) {
        Some(n) => n.clone(),
        None => code.to_string(),
    }
}

/// Whether a suggested value is one the dimension allows.
pub fn allowed(d: &Dimension, value: &str) -> bool {
    DimValue::parse(d.kind == DimKind::Age, value).is_some_and(|v| d.allows(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference cut down to the categories the rules below tell apart.
    const REFERENCE: &str = "category,category_name,ho_code,offence,offence_class,sub_class,commenced,changed
8N,Assault with injury,008/06,Assault occasioning actual bodily harm,Violence Against The Person,Violence with injury,,
105A,Assault without Injury,105/01,Common assault and battery,Violence Against The Person,Violence without injury,,
19C,Rape of a Female aged 16 and over,019/16,Rape of a female aged 16 or over,Sexual Offences,Rape,,
19D,Rape of a Female Child under 16,019/17,Rape of a female child under 16,Sexual Offences,Rape,,
19E,Rape of a Female Child under 13,019/18,Rape of a female child under 13,Sexual Offences,Rape,,
20A,Sexual Assault on a Female aged 13 or over,020/03,Assault on a female by penetration,Sexual Offences,Other sexual offences,,
20A,Sexual Assault on a Female aged 13 or over,020/05,Sexual assault on a female,Sexual Offences,Other sexual offences,,
20B,Sexual Assault on a Female Child under 13,020/04,Assault of a female child under 13 by penetration,Sexual Offences,Other sexual offences,,
49,Other Theft,049/01,Other theft,Theft,Other theft,,
";

    fn suggester() -> DimSuggester {
        let r = Reference::from_csv("offences.csv", REFERENCE).expect("reference");
        let w = Wording::from_csv(
            "abbreviations.csv",
            "written,means\nwoman,female adult\ngirl,female child\nu,under\n",
        )
        .expect("wording");
        let domain: BTreeSet<String> = r.categories.keys().cloned().collect();
        DimSuggester::codes(
            &domain,
            true,
            Evidence {
                reference: Some(&r),
                wording: Some(&w),
                others: &[],
            },
            &[],
        )
    }

    /// A suggester over the reference lines `rows` alone, no wording.
    fn suggester_of(rows: &str) -> DimSuggester {
        let header =
            "category,category_name,ho_code,offence,offence_class,sub_class,commenced,changed\n";
        let r = Reference::from_csv("offences.csv", &format!("{header}{rows}")).expect("reference");
        let domain: BTreeSet<String> = r.categories.keys().cloned().collect();
        let evidence = Evidence {
            reference: Some(&r),
            ..Evidence::default()
        };
        DimSuggester::codes(&domain, true, evidence, &[])
    }

    /// `label` is ambiguous, and the first reason says `why`.
    fn withheld_because(s: &DimSuggester, label: &str, why: &str) {
        let got = s.suggest(label, None);
        assert_eq!(
            got.verdict,
            Verdict::Ambiguous { group: None },
            "{label}: {:?}",
            got.candidates
        );
        assert!(
            got.candidates[0].reasons[0].contains(why),
            "{label}: {:?}",
            got.candidates
        );
    }

    fn verdict(s: &DimSuggester, label: &str) -> (Verdict, Vec<String>) {
        let got = s.suggest(label, None);
        let values = got.candidates.iter().map(|c| c.value.clone()).collect();
        (got.verdict, values)
    }

    /// An accepted line's victim is its category's: "Rape of a female
    /// child under 16" mapped to 19D holds 13 to 15, so a row under 13 is
    /// 19E's, not tied with the line on the words "under 16".
    #[test]
    fn an_accepted_lines_ages_are_its_categorys() {
        let r = Reference::from_csv("offences.csv", REFERENCE).expect("reference");
        let domain: BTreeSet<String> = r.categories.keys().cloned().collect();
        let line = Accepted {
            label: "Rape of a female child under 16".into(),
            value: "19D".into(),
            force: None,
            campaign: String::new(),
            file: "offences.csv".into(),
            line: 7,
        };
        let evidence = Evidence {
            reference: Some(&r),
            ..Evidence::default()
        };
        let s = DimSuggester::codes(&domain, true, evidence, &[line]);
        let got = s.suggest("Rape of a female child - aged under 13", None);
        assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "19E");
        assert!(
            got.candidates
                .iter()
                .all(|c| c.value != "19D" || c.score < 0.9),
            "{:?}",
            got.candidates
        );
    }

    /// A code is taken unseen only where the label's own words are all
    /// said by its category's texts, or agree well: a word of its own
    /// they do not say leaves it for a person.
    #[test]
    fn a_codes_category_must_say_the_labels_own_words_to_be_taken_unseen() {
        let s = suggester();
        let auto = |label: &str| {
            s.suggest(label, None)
                .auto_accepted(Some(0.95))
                .map(|c| c.value.clone())
        };
        assert_eq!(auto("Common assault (105A)").as_deref(), Some("105A"));
        assert_eq!(auto("105A"), Some("105A".to_string()));
        // Words that agree, with one of the label's own its texts do not
        // say ("church"): suggested, for a person.
        let got = s.suggest("Common assault in church (105A)", None);
        assert_eq!(got.candidates[0].value, "105A");
        assert_eq!(auto("Common assault in church (105A)"), None);
        // "Sacrilege", "vandalism": said by no text of 105A, and "common"
        // too little to agree.
        let got = s.suggest("Vandalism common 105A", None);
        assert_eq!(got.verdict, Verdict::Suggested);
        assert_eq!(got.candidates[0].value, "105A");
        assert!(
            got.candidates[0].reasons[0].contains("not every word of the label"),
            "{:?}",
            got.candidates[0]
        );
        assert_eq!(auto("Vandalism common 105A"), None);
        // No word of its own said: "Sacrilege" is no assault.
        let got = s.suggest("Sacrilege (105A)", None);
        assert!(got.candidates[0].reasons[0].contains("no word of the label"));
        assert_eq!(auto("Sacrilege (105A)"), None);
    }

    /// A number or code the reference has nowhere, and no word announces,
    /// weighs nothing against the words: "(63)" after an older
    /// classification's offence name, "01" of a force's own reference.
    #[test]
    fn an_unknown_number_no_word_announces_weighs_nothing() {
        let s = suggester();
        let top = |label: &str| s.suggest(label, None).candidates[0].score;
        assert_eq!(
            top("Common assault and battery (63)"),
            top("Common assault and battery")
        );
        assert_eq!(top("Other theft - 2019/20"), top("Other theft"));
        // Announced, a number names a category: "Cat 63" is no such.
        assert!(top("Common assault and battery cat 63") < top("Common assault and battery"));
    }

    /// A number alone whose category says none of the label's words is
    /// listed, never suggested: "Sacrilege (27)" is no soliciting.
    #[test]
    fn a_bare_number_whose_category_says_none_of_the_words_is_listed() {
        let s = suggester();
        let (v, _) = verdict(&s, "Sacrilege (49)");
        assert_ne!(v, Verdict::Suggested);
        // Announced, it is suggested for a person to accept.
        let (v, values) = verdict(&s, "Sacrilege - category 49");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "49"));
    }

    /// A code written in the label stands where its own description fits
    /// the words as well as any other does: "common assault" is said by
    /// 008/57 ("racially or religiously aggravated common assault") too.
    #[test]
    fn words_its_description_says_too_are_nothing_against_a_code() {
        let reference = "category,category_name,ho_code,offence,offence_class,sub_class,commenced,changed
105A,Assault without Injury,105/01,Common assault and battery,Violence Against The Person,Violence without injury,,
105B,Racially or religiously Aggravated Assault without Injury,008/57,Racially or religiously aggravated common assault or beating,Violence Against The Person,Violence without injury,,
";
        let r = Reference::from_csv("offences.csv", reference).expect("reference");
        let domain: BTreeSet<String> = r.categories.keys().cloned().collect();
        let s = DimSuggester::codes(
            &domain,
            true,
            Evidence {
                reference: Some(&r),
                wording: None,
                others: &[],
            },
            &[],
        );
        let (v, values) = verdict(&s, "008/57 - COMMON ASSAULT (RACE)");
        assert_eq!(
            (v, values[0].as_str()),
            (Verdict::Suggested, "105B"),
            "{values:?}"
        );
        // Words another category's description says and the code's does
        // not still weigh against it.
        let (_, values) = verdict(&s, "008/57 - Common assault and battery");
        assert_eq!(values[0], "105A", "{values:?}");
    }

    #[test]
    fn the_victims_ages_choose_among_categories_split_by_age() {
        let s = suggester();
        for (label, want) in [
            ("Rape of a female aged 16 or over", "19C"),
            ("Rape F U16 (13-15 yrs)", "19D"),
            ("Rape of a girl aged 12", "19E"),
            // "woman": a female adult, within 19C's 16 and over.
            ("Rape of a woman", "19C"),
            ("Sexual assault on a female aged 16 or over", "20A"),
        ] {
            let (v, values) = verdict(&s, label);
            assert_eq!(v, Verdict::Suggested, "{label}: {values:?}");
            assert_eq!(values[0], want, "{label}");
        }
        // The reason says the ages.
        let got = s.suggest("Rape of a girl aged 12", None);
        assert!(
            got.candidates[0].reasons[0].contains("victim aged 12, within its under 13"),
            "{:?}",
            got.candidates[0].reasons
        );
    }

    /// Ages said outright that straddle two categories' ("12 to 15": 19E's
    /// under 13 and 19D's 13 to 15) name neither.
    #[test]
    fn ages_that_straddle_categories_name_neither() {
        let s = suggester();
        let (v, values) = verdict(&s, "Rape of a female aged 12 to 15");
        assert_ne!(v, Verdict::Suggested, "{values:?}");
    }

    /// A category whose victims' ages share none with the label's is
    /// another offence: listed for the reviewer at most, never suggested.
    /// A victim the label implies ("girl": under 18) only partly the
    /// suggested category's, the rest another's, names neither; ages the
    /// label says, or a category's name says, choose.
    #[test]
    fn a_victim_only_partly_the_categorys_names_neither() {
        let s = suggester();
        withheld_because(&s, "Sexual assault on a girl", "the label's victim (under 18) is only partly 20B's (under 13), and 20A counts the victims 13 and over");
        let (v, values) = verdict(&s, "Sexual assault on a girl under 13");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "20B"));
    }

    #[test]
    fn ages_apart_are_listed_never_suggested() {
        let s = suggester();
        let got = s.suggest("Sexual assault on a female aged 8", None);
        assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "20B");
        for c in got.candidates.iter().filter(|c| c.value == "20A") {
            assert!(c.score <= LISTED, "{c:?}");
        }
    }

    #[test]
    fn a_description_without_ages_is_its_categorys_ages() {
        // "Sexual assault on a female" is 20A's (13 and over): a label
        // saying no age leaves 20A and 20B open.
        let s = suggester();
        let (v, values) = verdict(&s, "Sexual assault on a female");
        assert_eq!(v, Verdict::Ambiguous { group: None });
        assert_eq!(values[..2], ["20A", "20B"]);
    }

    /// A header written in two languages reads as the part whose words
    /// the reference knows; the other part's unknown words do not dilute
    /// it. A part with one unknown word beside known ones is kept.
    #[test]
    fn a_part_in_words_the_reference_does_not_know_is_left_out() {
        let s = suggester();
        let got = s.suggest("Treisio menyw / Rape of a woman", None);
        assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "19C");
        assert!(got.candidates[0].reasons.iter().any(|r| r.contains(
            "read as \"Rape of a woman\": the reference knows no word of \"Treisio menyw\""
        )));
        assert_eq!(
            s.foreign("Rape of a woman / Treisio menyw"),
            Some(("Rape of a woman".into(), "Treisio menyw".into()))
        );
        assert_eq!(s.foreign("Rape of a woman / Treisio"), None);
        assert_eq!(s.foreign("Rape of a woman"), None);
        // Both parts unknown: nothing to read instead.
        assert_eq!(s.foreign("Treisio menyw / Ymosod rhywiol"), None);
    }

    /// "Common assault - qwzx vrrp blorf": nothing of the whole reads, its
    /// head before the dash does, and what follows names no other value,
    /// so the head stands for it (never taken unseen). A detail naming
    /// another value, or a head read weakly, stands for nothing.
    #[test]
    fn a_head_before_a_dash_stands_for_a_detail_the_reference_does_not_know() {
        let s = suggester();
        let by_head = |label: &str| {
            let got = s.suggest(label, None);
            got.suggested()
                .filter(|c| c.reasons.iter().any(|r| r.contains("after a dash")))
                .map(|c| (c.value.clone(), c.exact_code))
        };
        assert_eq!(
            by_head("Common assault - qwzx vrrp blorf"),
            Some(("105A".into(), false))
        );
        assert_eq!(by_head("Common assault - other theft"), None);
        assert_eq!(by_head("Blorf female - qwzx vrrp"), None);
    }

    /// Parts apart by a slash, each an offence of its own category read
    /// alone, are several offences, whichever comes first; a part the
    /// first's head is said of too ("Sexual assault on a female child
    /// under 13 / assault by penetration": the assault by penetration of
    /// that child) is not an offence of its own, nor one whose tail the
    /// first says too ("Assault by penetration / sexual assault on a
    /// female child under 13").
    #[test]
    fn a_slash_parts_offences_unless_one_part_says_the_others_words_too() {
        let s = suggester();
        for l in [
            "Common assault and battery / Assault occasioning actual bodily harm",
            "Assault occasioning actual bodily harm / common assault and battery",
        ] {
            withheld_because(&s, l, "the label joins offences of several categories");
        }
        for l in [
            "Sexual assault on a female child under 13 / assault by penetration",
            "Assault by penetration / sexual assault on a female child under 13",
        ] {
            let got = s.suggest(l, None);
            assert_eq!(
                got.suggested().map(|c| c.value.as_str()),
                Some("20B"),
                "{l}"
            );
        }
    }

    /// A child's offence beside the same words of one for a victim of any
    /// age, the label saying no victim: the label does not say which.
    #[test]
    fn a_childs_offence_beside_the_same_for_anyone_names_neither() {
        let s = suggester_of(
            "71,Abuse of Children through Sexual Exploitation,071/03,Paying for the sexual services of a child - child under 13,Sexual Offences,,,
27,Soliciting for the Purpose of Prostitution,167/02,Paying or promising to pay for the sexual services of a person subjected to exploitative conduct to induce or encourage them,Sexual Offences,,,
",
        );
        withheld_because(
            &s,
            "Paying for sexual services",
            "the label says no victim's age, and the reference splits its offence by it: 71 is under 13, 27 any age",
        );
        let (v, values) = verdict(&s, "Paying for sexual services of a child under 13");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "71"));
    }

    /// A label cut short is not suggested where another value's text
    /// says the same words of it: what was cut may tell them apart.
    #[test]
    fn a_label_cut_short_is_not_told_from_its_like() {
        let s = suggester_of(
            "92D,Possession of controlled drugs,092/59,Having possession of a controlled drug - Class A - Other,Drug offences,,,
92D,Possession of controlled drugs,092/68,Having possession of a controlled drug - Class C - Other,Drug offences,,,
92E,Possession of cannabis,092/61,Having possession of a controlled drug - cannabis,Drug offences,,,
92A,Trafficking in controlled drugs,092/79,Possession of a controlled drug with intent to supply - Class A - Other,Drug offences,,,
",
        );
        withheld_because(
            &s,
            "HAVING POSSESSION OF A CONTROLLED DRUG - CLASS",
            "cut short: 92A says the same words",
        );
        let (v, values) = verdict(&s, "HAVING POSSESSION OF A CONTROLLED DRUG - CLASS C");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "92D"));
    }

    /// A description's part after a dash that the label leaves out, where
    /// another category's text says the same words of the label, is what
    /// files the offence: the label is not told between them. A part the
    /// category varies ("- Male child", "- Female child") tells nothing.
    #[test]
    fn a_part_after_a_dash_the_label_leaves_out_may_be_what_files_it() {
        let s = suggester_of(
            "71,Abuse of Children through Sexual Exploitation,071/01,Arranging or facilitating the commission of a child sex offence - sexual assault,Sexual offences,,,
22B,Sexual Activity involving a child under 16,022/30,Arranging or facilitating a child sex offence by a young offender under 18 in a school or care home setting,Sexual offences,,,
21,Sexual Activity involving a child under 13,021/15,Causing a child to watch a sexual act - Male child,Sexual offences,,,
21,Sexual Activity involving a child under 13,021/16,Causing a child to watch a sexual act - Female child,Sexual offences,,,
73,Abuse of Position of Trust of a sexual nature,073/16,Abuse of trust: causing a child to watch a sexual act in a care home or school setting,Sexual offences,,,
",
        );
        withheld_because(
            &s,
            "Arranging or facilitating a child sex offence",
            "says nothing of \"sexual assault\"",
        );
        let (v, values) = verdict(
            &s,
            "Arranging or facilitating a child sex offence - sexual assault",
        );
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "71"));
        let (v, values) = verdict(&s, "Causing a child to watch a sexual act");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "21"));
    }

    /// A header written twice, once in words barely known, is read by the
    /// part that says something, when nothing was read of the whole.
    #[test]
    fn a_part_of_a_header_written_twice_is_read_alone() {
        let s = suggester();
        let label = "Lladrad o'r person / Other theft";
        assert_eq!(s.suggest_read(label, None).verdict, Verdict::NoSuggestion);
        let got = s.suggest(label, None);
        assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "49");
        assert!(got.candidates[0]
            .reasons
            .iter()
            .any(|r| r.starts_with("read as \"Other theft\": nothing was read of the whole")));
    }

    /// Examples in brackets weigh the words down: read without them, and
    /// said so, only where nothing was read with them.
    #[test]
    fn examples_in_brackets_are_read_past_when_nothing_is_read_with_them() {
        let s = suggester();
        let label = "Theft (wallets, ladders, lawnmowers, tablets, bicycles)";
        let got = s.suggest(label, None);
        assert_eq!(got.verdict, Verdict::Suggested, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "49");
        assert!(!got.candidates[0].exact_code);
        assert!(got.candidates[0]
            .reasons
            .iter()
            .any(|r| r.contains("read as \"Theft\": (wallets") && r.contains("lists examples")));
        assert_eq!(s.suggest_read(label, None).verdict, Verdict::NoSuggestion);
        // A bracket read with the words is never read past.
        let got = s.suggest("Other theft (phones, bags)", None);
        assert!(got.candidates[0]
            .reasons
            .iter()
            .all(|r| !r.contains("lists examples")));
    }

    /// Words that fit too little to suggest leave the nearest listed for
    /// the reviewer, never suggested, never taken without review.
    #[test]
    fn too_weak_to_suggest_lists_the_nearest() {
        let s = suggester();
        let got = s.suggest("Actual bodily harm zzzz qqqq wwww vvvv", None);
        assert_eq!(got.verdict, Verdict::NoSuggestion, "{:?}", got.candidates);
        assert_eq!(got.candidates[0].value, "8N");
        assert!(got
            .candidates
            .iter()
            .all(|c| c.score >= NEAREST && c.score < WEAK));
        assert!(got.suggested().is_none() && got.auto_accepted(Some(0.9)).is_none());
        // Nothing near at all: nothing listed.
        assert!(s.suggest("zzzz qqqq", None).candidates.is_empty());
    }

    /// A term police use for several offences ("Knife crime") is declined
    /// even where one description says its words ("Breach Knife Crime
    /// Prevention Order"); a word more, and the words decide again.
    #[test]
    fn a_term_for_several_offences_is_never_one_category() {
        let r = Reference::from_csv(
            "offences.csv",
            &format!(
                "{REFERENCE}66,Other Offences against the State or public order,068/17,Breach Knife Crime Prevention Order,Public Order Offences,,,\n"
            ),
        )
        .expect("reference");
        let mut w = Wording::default();
        w.add_groups(
            "groups.csv",
            "written,kind,what\nknife crime,group,offences where a knife was used or carried\n",
        )
        .expect("groups");
        let domain: BTreeSet<String> = r.categories.keys().cloned().collect();
        let evidence = Evidence {
            reference: Some(&r),
            wording: Some(&w),
            others: &[],
        };
        let s = DimSuggester::codes(&domain, true, evidence, &[]);
        let got = s.suggest("KNIFE CRIME offences", None);
        assert_eq!(
            got.verdict,
            Verdict::Ambiguous {
                group: Some("\"knife crime\"".into())
            }
        );
        assert!(got.candidates.iter().all(|c| !c.exact_code));
        assert!(got.candidates[0].reasons[0].contains("several categories"));
        let (v, values) = verdict(&s, "Breach of knife crime prevention order");
        assert_eq!((v, values[0].as_str()), (Verdict::Suggested, "66"));
    }

    #[test]
    fn a_label_saying_all_is_never_one_category() {
        let s = suggester();
        assert_eq!(verdict(&s, "Other theft offences").0, Verdict::Suggested);
        let (v, values) = verdict(&s, "All other theft offences");
        assert_eq!(v, Verdict::Ambiguous { group: None });
        assert_eq!(values[0], "49");
        let got = s.suggest("All other theft offences", None);
        assert!(got.candidates[0].reasons[0].contains("says \"all\""));
    }

    #[test]
    fn words_two_category_names_share_name_neither() {
        let s = suggester();
        let (v, values) = verdict(&s, "Assault");
        assert_eq!(v, Verdict::Ambiguous { group: None }, "{values:?}");
        assert!(values.contains(&"8N".to_string()) && values.contains(&"105A".to_string()));
        // What tells them apart, said: one.
        assert_eq!(verdict(&s, "Assault with injury").1[0], "8N");
        assert_eq!(verdict(&s, "Assault with injury").0, Verdict::Suggested);
    }

    #[test]
    fn category_ages_less_their_narrower_siblings() {
        let names: BTreeMap<&str, text::Text> = [
            ("19C", "Rape of a Female aged 16 and over"),
            ("19D", "Rape of a Female Child under 16"),
            ("19E", "Rape of a Female Child under 13"),
            ("8N", "Assault with injury"),
        ]
        .into_iter()
        .map(|(c, n)| (c, text::read(n, None, Side::Reference)))
        .collect();
        let ages = category_ages(&names);
        assert_eq!(ages["19D"].own, Ages::new(13, Some(15)));
        assert_eq!(ages["19D"].said, Ages::new(0, Some(15)));
        assert_eq!(ages["19E"].own, Ages::new(0, Some(12)));
        assert_eq!(ages["19C"].own, Ages::new(16, None));
        assert!(!ages.contains_key("8N"));
    }
}
