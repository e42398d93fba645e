//! Why a suggestion is withheld: the rules read once the scores are in,
//! each a reason the label, however well its words fit one value, does
//! not say which (a term for several offences, a flag, a victim only
//! partly the category's, names two categories share, two texts saying
//! the same words of it, a label cut short, a word for a thing of several
//! kinds with no kind said, several offences in one row, apart by slash,
//! conjunction, brackets or a list).

use super::group::Term;
use super::index::Hit;
use super::victim::{self, Ages};
use super::{text, DimSuggester, Suggestions, Verdict, JOINED, LISTED, MARGIN};
use foi_model::ForceId;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

/// What reading a label found, for the rules.
pub(super) struct Reading<'a> {
    pub label: &'a str,
    pub force: Option<&'a ForceId>,
    /// A term for several offences the label is ("Knife crime").
    pub term: Option<&'a Term>,
    /// The label says "flag" or "marker".
    pub flagged: bool,
    /// The label says "all".
    pub spans: bool,
    /// The victim's ages the label says or implies.
    pub ages: Option<Ages>,
    /// The best text of each value, with its score.
    pub by_value: &'a BTreeMap<&'a str, (f64, &'a Hit<'a>)>,
    /// The values whose names say every word of the label.
    pub shared: BTreeSet<&'a str>,
    /// Some text says the label's words and nothing more.
    pub exact: bool,
    /// A code written in the label voted.
    pub coded: bool,
}

impl DimSuggester {
    /// `out`, the suggestions decided on the scores, withheld where a
    /// rule says the label does not tell which value it means.
    pub(super) fn withhold(&self, r: &Reading<'_>, out: Suggestions) -> Suggestions {
        // A term for several offences at once ("Knife crime"), however
        // well its words fit one description.
        if let Some(term) = r.term {
            let group = Some(format!("{:?}", term.written));
            return Suggestions::withheld(
                Verdict::Ambiguous { group },
                out.candidates,
                Some(&term.reason()),
            );
        }
        if r.flagged {
            let why = "the label says \"flag\" or \"marker\": it counts offences of any category marked so, not an offence";
            return Suggestions::withheld(
                Verdict::Ambiguous { group: None },
                out.candidates,
                Some(why),
            );
        }
        // "Rape of a female:": a heading over the rows below it (their
        // subtotal, where it holds figures), as foi reads a table.
        if crate::heading::opens_section(r.label, None) {
            let why = "the label ends in a colon: a heading over the rows below it, not one category's row";
            return Suggestions::withheld(
                Verdict::Ambiguous { group: None },
                out.candidates,
                Some(why),
            );
        }
        if out.verdict != Verdict::Suggested {
            return out;
        }
        let ambiguous = Verdict::Ambiguous { group: None };
        // A victim only partly the suggested category's, the rest another
        // listed category's ("Sexual assault on a girl": under 18, where
        // 20B is under 13 and 20A 13 and over): the label does not say
        // which of the categories the reference splits by age it means.
        if let (Some(top), Some(ages), false) = (out.suggested(), r.ages, r.coded) {
            let own = |v: &str| self.ages.get(v).map(|a| a.own);
            let partly = self
                .ages
                .get(&top.value)
                .filter(|a| a.fit(&ages) == victim::Fit::Overlap);
            if let Some(mine) = partly.map(|a| a.own) {
                let rest = out.candidates.iter().skip(1).find_map(|c| {
                    own(&c.value)
                        .filter(|o| o.meet(&mine).is_none() && o.meet(&ages).is_some())
                        .map(|o| (c, o))
                });
                if let Some((other, theirs)) = rest {
                    let why = format!(
                        "the label's victim ({ages}) is only partly {}'s ({mine}), and {} counts the victims {theirs}: the label does not say which",
                        top.value, other.value
                    );
                    let between = vec![top.value.clone(), other.value.clone()];
                    return Suggestions::withheld(ambiguous, out.candidates, Some(&why))
                        .between(between);
                }
            }
        }
        // Less the categories the suggested one fits better whatever the
        // weights ("Attempted distraction burglary" beside "Attempted
        // burglary" for "Att. burglary - home").
        let top = out
            .suggested()
            .and_then(|c| r.by_value.get(c.value.as_str()))
            .map(|(_, h)| h.shape());
        let dominated = |v: &str| {
            let other = r.by_value.get(v).map(|(_, h)| h.shape());
            top.as_ref()
                .zip(other)
                .is_some_and(|(t, o)| t.dominates(&o))
        };
        let shared = r.shared.iter().filter(|v| !dominated(v)).count();
        if shared > 1 && !r.exact && !r.coded && r.ages.is_none() {
            return Suggestions::withheld(ambiguous, out.candidates, None);
        }
        // The candidates after the first that are listed at all.
        let runners_up = || out.candidates.iter().skip(1).filter(|c| c.score >= LISTED);
        // Another value whose text says the same words of the label as
        // the suggested one's but for another victim's ages, which the
        // label does not say ("Attempted rape of a female": aged 16 or
        // over, 19C, or under 16, 19D), or for a victim of any age where
        // the suggested one's is a child ("Paying for sexual services":
        // of a child, 71, or of a person subjected to force, 27): the
        // reference splits the offence by what the label leaves out.
        if let (None, false, Some(top)) = (r.ages, r.coded, out.suggested()) {
            let words =
                |h: &Hit<'_>| -> BTreeSet<usize> { h.matched.iter().map(|m| m.0).collect() };
            let said_of = |v: &str| r.by_value.get(v).map(|(_, h)| (h.doc.ages, words(h)));
            if let Some((Some(mine), said)) = said_of(&top.value) {
                let mine = mine.own;
                let child = mine.hi.is_some_and(|h| h < ADULT);
                let apart = runners_up().find_map(|c| match said_of(&c.value)? {
                    (Some(theirs), w) if w == said && mine.meet(&theirs.own).is_none() => {
                        Some((c, theirs.own.to_string()))
                    }
                    (None, w) if w == said && child => Some((c, "any age".to_string())),
                    _ => None,
                });
                if let Some((other, theirs)) = apart {
                    let why = format!(
                        "the label says no victim's age, and the reference splits its offence by it: {} is {mine}, {} {theirs}",
                        top.value, other.value,
                    );
                    let between = vec![top.value.clone(), other.value.clone()];
                    return Suggestions::withheld(ambiguous, out.candidates, Some(&why))
                        .between(between);
                }
            }
        }
        // Another value whose text says the same words of the label as
        // the suggested one's: what tells them apart is not in the label.
        let hit = |v: &str| r.by_value.get(v).map(|(_, h)| *h);
        let top = out.suggested().and_then(|c| hit(&c.value));
        let alike = runners_up().find(|c| {
            top.zip(hit(&c.value))
                .is_some_and(|(t, o)| t.says_beyond(o) == 0 && o.says_beyond(t) == 0)
        });
        if let (Some(other), false, false) = (alike, r.exact, r.coded) {
            // A label cut short ("… CONTROLLED DRUG - CLASS", as exports
            // cut fields) lost what came next, which may be that.
            if text::cut_short(r.label) {
                let why = format!(
                    "the label ends {:?}, cut short: {} says the same words of it, and what was cut may tell them apart",
                    r.label.split_whitespace().last().unwrap_or(""),
                    other.value
                );
                return Suggestions::withheld(ambiguous, out.candidates, Some(&why));
            }
            // A description whose part after a dash the label says nothing
            // of ("… a child sex offence - sexual assault"): that part is
            // what the reference files it by.
            // Unless the category files the same offence under other such
            // parts too ("- Male child", "- Female child"): then the part
            // tells nothing of the category.
            let varies = |main: &str, value: &str| {
                self.reference.as_ref().is_some_and(|r| {
                    let main = main.to_lowercase();
                    r.offences
                        .iter()
                        .filter(|o| o.category == value)
                        .filter(|o| o.description.to_lowercase().starts_with(&main))
                        .count()
                        > 1
                })
            };
            let qualifier = top
                .and_then(|t| t.unsaid_qualifier())
                .filter(|(main, _)| out.suggested().is_some_and(|c| !varies(main, &c.value)))
                // … nor where the other's text has the same part: then it
                // is not what tells them apart.
                .filter(|(_, part)| {
                    hit(&other.value)
                        .is_none_or(|o| !o.doc.text.to_lowercase().contains(&part.to_lowercase()))
                });
            if let Some((_, part)) = qualifier {
                let why = format!(
                    "the label says nothing of {part:?}, which files {:?} under its category, and {} says the same words of it",
                    top.map_or("", |t| t.doc.text.as_str()),
                    other.value
                );
                return Suggestions::withheld(ambiguous, out.candidates, Some(&why));
            }
        }
        // "Threatening with a weapon": a word for a thing the reference
        // files by its kind, no kind said, and the kinds read in its place
        // naming different categories, the suggested one among them.
        if let (false, false, Some(top)) = (r.exact, r.coded, out.suggested()) {
            if let Some((why, between)) = self.kind_unsaid(r.label, &top.value, r.force) {
                return Suggestions::withheld(ambiguous, out.candidates, Some(&why))
                    .between(between);
            }
        }
        if r.spans {
            let all = "the label says \"all\": it counts several offences";
            return Suggestions::withheld(ambiguous, out.candidates, Some(all));
        }
        // "Murder / attempted murder": offences of two categories, each
        // clear on its own, written as one row.
        if !r.coded {
            if let Some(why) = self.several(r.label, r.force) {
                return Suggestions::withheld(ambiguous, out.candidates, Some(&why));
            }
        }
        out
    }

    /// Whether a label is offences of several categories joined by a
    /// slash, or by "and" or "or", each suggested on its own: the reason
    /// to give.
    fn several(&self, label: &str, force: Option<&ForceId>) -> Option<String> {
        let read = |t: &str| self.suggest(t, force);
        let parts = text::slashed(label);
        if let Some((first, rest)) = parts.split_first().filter(|(_, r)| !r.is_empty()) {
            // Each part an offence on its own, clearly ("Murder"), not a
            // word of one ("drugs/instruments to procure abortion"), nor
            // another word for the first's offence that the first part's
            // head, or the last part's tail, is said of too ("Religiously
            // aggravated wounding / GBH s20", "Non-fatal strangulation /
            // suffocation of a police officer").
            // (Read one by one: a part that reads unclearly ends it.)
            // Each part is read once, as each_its_own reaches it.
            let value_of = |s: &Suggestions| s.suggested().map(|c| c.value.clone());
            let value = |part: &str| value_of(&read(part));
            let first_read = read(first);
            let mine = value_of(&first_read);
            // (A head or tail that names the value alone, "Assault
            // occasioning actual bodily", would make anything read so.)
            let same = |part: &str, reading: &Suggestions| {
                let theirs = value_of(reading);
                let head = text::heads(first).any(|h| {
                    mine.is_some()
                        && value(h) != mine
                        && value(&format!("{h} {}", part.trim())) == mine
                });
                head || text::tails(part).any(|t| {
                    theirs.is_some()
                        && value(t) != theirs
                        && value(&format!("{} {t}", first.trim())) == theirs
                })
            };
            let own = std::iter::once((*first, first_read)).chain(
                rest.iter()
                    .map(|p| (*p, read(p)))
                    .filter(|(p, reading)| !same(p, reading)),
            );
            if let Some(why) = each_its_own(own, JOINED, false) {
                return Some(why);
            }
        }
        // A conjunction more often joins words of one offence ("Causing or
        // allowing …", "fear, alarm or distress") than a slash does, yet
        // those sides alone read weakly or as the same category.
        //
        // A side may be several values itself ("Theft and handling stolen
        // goods": theft spans a Home Office class): the label spans them,
        // unless the side is a word of the other's offence ("Theft or
        // taking of a pedal cycle": theft of a pedal cycle).
        let joined = text::conjoined(label)
            .into_iter()
            .find_map(|(left, right)| {
                // "drink or drugs", "theft or unauthorised": a conjunction
                // the reference writes itself joins words of one offence.
                // (Whichever conjunction the label writes: "state & public
                // order" is the reference's "state or public order".)
                let said = ["and", "or"].iter().any(|conjunction| {
                    let phrase = format!(
                        "{} {conjunction} {}",
                        left.rsplit(' ').next().unwrap_or(""),
                        right.split(' ').next().unwrap_or("")
                    );
                    self.reference.as_ref().is_some_and(|r| r.says(&phrase))
                });
                if said {
                    return None;
                }
                let sides = [(left, read(left)), (right, read(right))];
                let value = |s: &Suggestions| s.suggested().map(|c| c.value.clone());
                let distributed = text::complement(right).is_some_and(|c| {
                    let whole = value(&sides[1].1);
                    whole.is_some() && value(&read(&format!("{left} {c}"))) == whole
                });
                each_its_own(sides.iter().map(|(p, s)| (*p, s)), JOINED, !distributed)
                    .or_else(|| self.shared_head(&sides[0], right, force))
                    .or_else(|| self.shared_tail(left, &sides[1], force))
            });
        if joined.is_some() {
            return joined;
        }
        // "Riot and violent disorder, affray": a list, each item clear.
        let items: Vec<(&str, Suggestions)> = text::listed(label)
            .into_iter()
            .map(|p| (p, read(p)))
            .collect();
        if let Some(why) = each_its_own(items.iter().map(|(p, s)| (*p, s)), JOINED, false) {
            return Some(why);
        }
        // "Burglary residential (home & unconnected outbuildings)": the
        // alternatives in brackets, each read in the brackets' place,
        // clear and of several categories.
        if let Some(readings) = text::bracketed(label) {
            let read: Vec<(&str, Suggestions)> =
                readings.iter().map(|r| (r.as_str(), read(r))).collect();
            if let Some(why) = each_its_own(read.iter().map(|(p, s)| (*p, s)), JOINED, false) {
                return Some(why);
            }
        }
        // "Manslaughter incl. corporate manslaughter": what a label says
        // it includes may be another category's, read alone or as a kind
        // of what it is included in ("corporate" manslaughter).
        let (main, included) = text::including(label)?;
        let whole = read(&main);
        // … or what it is included in is several categories itself
        // ("Drug possession incl. cannabis": 92D and 92E).
        if whole.verdict != Verdict::Suggested && whole.between.len() > 1 {
            return Some(format!(
                "the label counts {main:?}, which is several categories ({}), {included:?} among them",
                whole.between.join(", ")
            ));
        }
        // ("Public order offences including affray": a Home Office class,
        // or a term for several offences.)
        if let Verdict::Ambiguous { group: Some(group) } = &whole.verdict {
            return Some(format!(
                "the label counts {main:?}, which is {group}, several categories, {included:?} among them"
            ));
        }
        // What it is included in need only read as one category, however
        // weakly ("Indecent image offences"): it is what the label counts.
        let kind = format!("{included} {main}");
        let found = [included.as_str(), kind.as_str()]
            .into_iter()
            .find_map(|part| {
                let alone = read(part);
                each_its_own([(main.as_str(), &whole), (part, &alone)], JOINED, false).or_else(
                    || {
                        let (y, x) = (whole.suggested()?, alone.suggested()?);
                        (x.score >= JOINED && x.value != y.value).then(|| {
                            format!(
                                "the label joins offences of several categories: {:?} is {}, {part:?} is {}",
                                main.trim(),
                                y.value,
                                x.value
                            )
                        })
                    },
                )
            });
        found
    }

    /// Where `label` says a word of config/reference/kinds.csv and none of
    /// its kinds, and the label read with each kind in its place names
    /// several values, `top` among them: the reason, and the values.
    fn kind_unsaid(
        &self,
        label: &str,
        top: &str,
        force: Option<&ForceId>,
    ) -> Option<(String, Vec<String>)> {
        let wording = self.wording.as_ref()?;
        wording.unsaid_kinds(label).into_iter().find_map(|u| {
            let mut named: Vec<(String, &str)> = Vec::new();
            for (reading, kind) in u.readings.iter().zip(u.kinds) {
                if let Some(c) = self.suggest(reading, force).suggested() {
                    if !named.iter().any(|(v, _)| *v == c.value) {
                        named.push((c.value.clone(), kind));
                    }
                }
            }
            (named.len() > 1 && named.iter().any(|(v, _)| v == top)).then(|| {
                let each: Vec<String> = named
                    .iter()
                    .map(|(v, k)| format!("{k:?} is {v}"))
                    .collect();
                (
                    format!(
                        "the label says {:?}, and not which kind, where the reference files its kinds apart: {}",
                        u.general,
                        each.join(", ")
                    ),
                    named.into_iter().map(|(v, _)| v).collect(),
                )
            })
        })
    }

    /// "Racially aggravated harassment or assault": the right side a word
    /// that shares the left's head ("racially aggravated assault"), read
    /// so, naming other values than the left, clear on its own: the reason
    /// the label joins several categories. `left` with its reading.
    fn shared_head(
        &self,
        (left, first): &(&str, Suggestions),
        right: &str,
        force: Option<&ForceId>,
    ) -> Option<String> {
        let (head, _) = left.rsplit_once(' ')?;
        if right.contains(' ') {
            return None;
        }
        // The left side need only be suggested ("Racially aggravated public
        // order" reads weakly, its words short of the category's name): the
        // other reading, with its head, is what must be clear.
        let x = first.suggested()?;
        let whole = format!("{head} {right}");
        let other = self.suggest(&whole, force);
        let named = match other.suggested() {
            Some(c) if c.score >= JOINED => vec![c.value.clone()],
            Some(_) => return None,
            // A term for several offences ("racially aggravated assault")
            // names no members: those its words fit about as well as the
            // best stand for them.
            None if other.between.is_empty()
                && matches!(other.verdict, Verdict::Ambiguous { group: Some(_) }) =>
            {
                let best = other.candidates.first().map_or(0.0, |c| c.score);
                other
                    .candidates
                    .iter()
                    .take_while(|c| c.score >= best - MARGIN)
                    .map(|c| c.value.clone())
                    .collect()
            }
            None => other.between.clone(),
        };
        (!named.is_empty() && !named.contains(&x.value)).then(|| {
            format!(
                "the label joins offences of several categories: {left:?} is {}, {whole:?} is {}",
                x.value,
                named.join(" or ")
            )
        })
    }

    /// "Bladed article or offensive weapon – school premises": the left
    /// side read with the right's last words ("Bladed article – school
    /// premises") naming one value, the right another, each clear: the
    /// reason the label joins several categories. `right` with its
    /// reading.
    fn shared_tail(
        &self,
        left: &str,
        (right, second): &(&str, Suggestions),
        force: Option<&ForceId>,
    ) -> Option<String> {
        let value = |s: &Suggestions, at: f64| {
            s.suggested()
                .filter(|c| c.score >= at)
                .map(|c| c.value.clone())
        };
        let y = value(second, JOINED)?;
        let words: Vec<(usize, &str)> = right.trim_end().match_indices(' ').collect();
        words.iter().find_map(|(i, _)| {
            let tail = right[*i..].trim_start_matches([' ', '-', '–']).trim();
            if !tail.chars().any(char::is_alphanumeric) {
                return None;
            }
            let whole = format!("{} {tail}", left.trim());
            let x = value(&self.suggest(&whole, force), JOINED)?;
            let alone = value(&self.suggest(tail, force), 0.0);
            (x != y && alone.as_ref() != Some(&x)).then(|| {
                format!(
                    "the label joins offences of several categories: {whole:?} is {x}, {:?} is {y}",
                    right.trim()
                )
            })
        })
    }
}

/// The age a victim is no child at: an offence whose victims are all
/// younger is a child's.
const ADULT: u16 = 18;

/// The reason a label's parts, each with its reading, name several
/// categories, when each is suggested on its own at `clear` or more, or,
/// where `groups`, names a Home Office group.
fn each_its_own<'a, S: Borrow<Suggestions>>(
    parts: impl IntoIterator<Item = (&'a str, S)>,
    clear: f64,
    groups: bool,
) -> Option<String> {
    let mut values: Vec<(String, &str)> = Vec::new();
    for (part, s) in parts {
        let s: &Suggestions = s.borrow();
        let value = match s.suggested() {
            Some(c) if c.score >= clear => c.value.clone(),
            // A Home Office group ("Theft", "Homicide"), not a term for
            // offences of any category ("vulnerable adult").
            None if groups
                && matches!(s.verdict, Verdict::Ambiguous { group: Some(_) })
                && s.between.len() > 1 =>
            {
                s.between.join(" or ")
            }
            None if groups && s.members.len() > 1 => s.members.join(" or "),
            _ => return None,
        };
        if !values.iter().any(|(v, _)| *v == value) {
            values.push((value, part));
        }
    }
    (values.len() > 1).then(|| {
        let each: Vec<String> = values
            .iter()
            .map(|(v, p)| format!("{:?} is {v}", p.trim()))
            .collect();
        format!(
            "the label joins offences of several categories: {}",
            each.join(", ")
        )
    })
}
