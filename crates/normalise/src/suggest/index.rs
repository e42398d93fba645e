//! Text similarity over short documents (category names, offence
//! descriptions, accepted crosswalk lines), each pointing at the values it
//! stands for.
//!
//! A label and a document are compared word by word ([`super::text`]):
//! each word weighs its rarity over the documents (idf), and a label word
//! may match a document word exactly, as its start ("sex" for "sexual"),
//! as shorthand for it ("aslt" for "assault"), as a single letter ("f" for
//! "female") or with a typo ("grroming"). The score is the share of the
//! label's weight matched times the square root of the share of the
//! document's weight matched: a label must be explained by the document,
//! and a document with much the label does not say ("… on a constable")
//! scores lower than one without.

use super::text::{abbreviates, edit_distance, is_closed, Marks, Text, Word, NOT};
use super::victim::{Ages, DocAges, Fit};

/// What each contradiction between a label and a document costs: a word
/// of the label's the document says the opposite of ("female" for "male",
/// "¬endanger" for "endanger"), other ages, a qualifier the label lacks.
pub(super) const CONTRADICTION: f32 = 0.7;
use std::collections::{BTreeSet, HashMap};

/// What a document is, for reasons and for how the suggester treats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A category's own name in the reference.
    Name,
    /// A Home Office offence description (with its category's name).
    Description { ho_code: String },
    /// A class or sub-class of the reference: several categories.
    Group { what: &'static str },
    /// A crosswalk line a person accepted.
    Accepted {
        campaign: String,
        file: String,
        line: usize,
        force: Option<String>,
    },
    /// One of the dimension's own values, its words as written in the config.
    Value,
}

#[derive(Debug, Clone)]
pub struct Doc {
    /// The text as shown in reasons.
    pub text: String,
    pub targets: Vec<String>,
    pub source: Source,
    /// Word ids and how much each counts (a word of a description that
    /// its category's name already says counts less: the label need not
    /// repeat it).
    words: Vec<(u32, f32)>,
    weight: f32,
    marks: Marks,
    /// Whether the document has numbers, and whether any is the label's is
    /// checked per query.
    numbers: Vec<u32>,
    /// Words of which the label must say one for the document to fit: what
    /// a category's name says beyond the others' that share the document.
    needs: Vec<u32>,
    /// The victim's ages the document is about, its own or its category's.
    pub ages: Option<DocAges>,
}

/// How a label word met a document word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    Same,
    Start,
    Shorthand,
    Typo,
    Letter,
}

impl How {
    fn quality(self) -> f32 {
        match self {
            How::Same => 1.0,
            How::Typo => 0.85,
            How::Start => 0.8,
            How::Shorthand => 0.7,
            How::Letter => 0.5,
        }
    }
}

/// A label as read against the vocabulary.
#[derive(Debug, Clone)]
pub struct Label {
    pub words: Vec<LabelWord>,
    marks: Marks,
    numbers: Vec<u32>,
    /// The victim's ages the label says.
    pub ages: Option<Ages>,
    /// Only implied by a word ("girl"): they count where they fit a
    /// document's or contradict them, and are left out where they overlap.
    implied: bool,
}

/// A label word and the document words it may stand for.
#[derive(Debug, Clone)]
pub struct LabelWord {
    pub word: Word,
    pub weight: f32,
    /// (vocabulary id, how), best first.
    matches: Vec<(u32, How)>,
}

impl LabelWord {
    /// Whether the vocabulary reads this word at all: as one of its own,
    /// or as a typo, shorthand or part of one.
    pub fn known(&self) -> bool {
        !self.matches.is_empty()
    }
}

/// One document's match with a label.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub doc: &'a Doc,
    pub score: f32,
    /// (label word index, the document word as written, how), one per label word matched.
    pub matched: Vec<(usize, &'a str, How)>,
    /// How the label's ages stand to the document's, when both say some.
    pub ages: Option<Fit>,
    /// The document says every word of the label's, and its ages, with
    /// nothing against them.
    pub whole: bool,
    /// … and says nothing more.
    pub exact: bool,
    /// The document's words the label does not say, as bits of their
    /// places in its words (a document has fewer than 64).
    unmet: u64,
    /// The label's weight the document says, of `total`; the score is
    /// their ratio times `rest` (the document's side and contradictions).
    label_matched: f32,
    total: f32,
    rest: f32,
}

/// What a document made of a label: the label's words it says, and its
/// own words the label does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    said: BTreeSet<usize>,
    unmet: BTreeSet<u32>,
    ages: Option<DocAges>,
    marks: Marks,
}

impl Shape {
    /// This document fits the label better than `other` whatever the
    /// weights: it says every label word `other` says, and leaves unsaid
    /// only words `other` leaves unsaid too, and one of the two strictly
    /// ("Residential burglary of a home" over "Attempted residential
    /// burglary of a home" for "Burglary - home"). Documents about other
    /// victims' ages, or with opposite marks ("with" and "without"
    /// injury), are the ages' and the marks' to tell apart, never this.
    pub fn dominates(&self, other: &Shape) -> bool {
        self.ages == other.ages
            && self.marks.against(other.marks) == 0
            && other.marks.against(self.marks) == 0
            && self.said.is_superset(&other.said)
            && self.unmet.is_subset(&other.unmet)
            && (self.said != other.said || self.unmet != other.unmet)
    }
}

impl Hit<'_> {
    /// This hit's score with the label words `name` says and this hit
    /// does not counted too: a label that is a category's name and one of
    /// its descriptions at once ("Voyeurism - filming breastfeeding").
    /// Only words of some weight count ("Voyeurism", not "other" or
    /// "offences", which weigh less than half the middle word's): a
    /// name's common words say nothing of which.
    pub fn with_name(&self, name: &Hit<'_>, query: &Label, ix: &Index) -> f32 {
        if self.total <= 0.0 || std::ptr::eq(self.doc, name.doc) {
            return self.score;
        }
        let mine = self.said();
        let extra: f32 = name
            .matched
            .iter()
            .filter(|(i, _, _)| !mine.contains(i) && query.words[*i].weight >= 0.5 * ix.unknown)
            .map(|(i, _, how)| how.quality() * query.words[*i].weight)
            .sum();
        ((self.label_matched + extra) / self.total).min(1.0) * self.rest
    }

    /// How many label words this document says that `other` does not.
    pub fn says_beyond(&self, other: &Hit<'_>) -> usize {
        self.said().difference(&other.said()).count()
    }

    /// The label words this document says, by their places in the label.
    fn said(&self) -> BTreeSet<usize> {
        self.matched.iter().map(|(i, _, _)| *i).collect()
    }

    /// A description's part before a dash and the part after it, when
    /// the label says no word of the part after ("sexual assault" of
    /// "Arranging or facilitating the commission of a child sex offence -
    /// sexual assault").
    pub fn unsaid_qualifier(&self) -> Option<(&str, &str)> {
        if !matches!(self.doc.source, Source::Description { .. }) {
            return None;
        }
        let text = self.doc.text.as_str();
        let at = text.find(" - ").or_else(|| text.find("- "))?;
        let part = text[at..].trim_start_matches([' ', '-']).trim();
        let said = self.matched.iter().any(|(_, w, _)| {
            part.split(|c: char| !c.is_alphanumeric())
                .any(|p| p.eq_ignore_ascii_case(w))
        });
        (!said && !part.is_empty()).then_some((text[..at].trim(), part))
    }

    pub fn shape(&self) -> Shape {
        Shape {
            said: self.said(),
            unmet: self
                .doc
                .words
                .iter()
                .enumerate()
                .filter(|(k, _)| *k < 64 && self.unmet & (1 << k) != 0)
                .map(|(_, (w, _))| *w)
                .collect(),
            ages: self.doc.ages,
            marks: self.doc.marks,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    ids: HashMap<String, u32>,
    stems: Vec<String>,
    /// Each word as first written in a document ("offences" for "offenc").
    surface: Vec<String>,
    idf: Vec<f32>,
    /// What a word that matches nothing weighs: the median idf.
    unknown: f32,
    /// What the victim's ages weigh, in a label and in a document: as rare
    /// as documents with ages, twice (a number and its direction).
    ages: f32,
    /// Each word's negation ("¬motor" for "motor"), and the reverse, when
    /// the vocabulary has it.
    opposite: Vec<Option<u32>>,
    /// Pairs of opposite words that do not tell this index's values apart.
    ignored: Marks,
    docs: Vec<Doc>,
    postings: Vec<Vec<u32>>,
}

/// Builds an [`Index`]: documents added one by one, weights worked out at
/// the end.
#[derive(Debug, Default)]
pub struct Builder {
    index: Index,
}

impl Builder {
    fn id(&mut self, w: &Word) -> u32 {
        let ix = &mut self.index;
        let next = ix.stems.len() as u32;
        *ix.ids.entry(w.stem.clone()).or_insert_with(|| {
            ix.stems.push(w.stem.clone());
            let written = if w.via.is_some() { &w.stem } else { &w.written };
            ix.surface.push(written.trim_start_matches(NOT).to_string());
            ix.postings.push(Vec::new());
            next
        })
    }

    /// Adds a document: its words, each with how much it counts (1 for
    /// most), the words of which the label must say one (`needs`, also
    /// among `words`), its marks, the victim's ages, and the values it
    /// stands for.
    // Each is one thing a document says, read apart by its callers: a
    // struct of them would only be unpacked again here.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        text: &str,
        words: &[(Word, f32)],
        needs: &[Word],
        marks: Marks,
        ages: Option<DocAges>,
        targets: Vec<String>,
        source: Source,
    ) {
        let mut ids: Vec<(u32, f32)> = Vec::with_capacity(words.len());
        for (w, factor) in words {
            let id = self.id(w);
            if !ids.iter().any(|(x, _)| *x == id) {
                ids.push((id, *factor));
            }
        }
        let needs: Vec<u32> = needs.iter().map(|w| self.id(w)).collect();
        let ix = &mut self.index;
        if (ids.is_empty() && ages.is_none()) || targets.is_empty() {
            return;
        }
        let doc = ix.docs.len() as u32;
        for &(id, _) in &ids {
            ix.postings[id as usize].push(doc);
        }
        let numbers = ids
            .iter()
            .filter(|(id, _)| is_number(&ix.stems[*id as usize]))
            .map(|(id, _)| *id)
            .collect();
        ix.docs.push(Doc {
            text: text.to_string(),
            targets,
            source,
            words: ids,
            weight: 0.0,
            marks,
            numbers,
            needs,
            ages,
        });
    }

    /// Leaves the contradictions of `ignored`'s pairs uncounted.
    pub fn ignore(&mut self, ignored: Marks) {
        self.index.ignored = ignored;
    }

    pub fn build(mut self) -> Index {
        let ix = &mut self.index;
        let n = ix.docs.len() as f32;
        ix.idf = ix
            .postings
            .iter()
            .map(|p| ((n + 1.0) / (p.len() as f32 + 0.5)).ln().max(0.1))
            .collect();
        let mut sorted = ix.idf.clone();
        sorted.sort_by(f32::total_cmp);
        ix.unknown = sorted.get(sorted.len() / 2).copied().unwrap_or(1.0);
        ix.opposite = ix
            .stems
            .iter()
            .map(|s| {
                let other = match s.strip_prefix(NOT) {
                    Some(base) => base.to_string(),
                    None => format!("{NOT}{s}"),
                };
                ix.ids.get(&other).copied()
            })
            .collect();
        let aged = ix.docs.iter().filter(|d| d.ages.is_some()).count() as f32;
        ix.ages = 2.0 * ((n + 1.0) / (aged + 0.5)).ln().max(0.1);
        for d in &mut ix.docs {
            d.weight = d
                .words
                .iter()
                .map(|&(w, f)| f * ix.idf[w as usize])
                .sum::<f32>()
                + if d.ages.is_some() { ix.ages } else { 0.0 };
        }
        self.index
    }
}

impl Index {
    /// Whether every description of `value` says a word the label denies
    /// ("cannabis" of "Possession of drugs (excl. cannabis)"): the value is
    /// what the label leaves out, whatever name it shares with another.
    pub fn leaves_out(&self, query: &Label, value: &str) -> bool {
        let denied: Vec<u32> = query
            .words
            .iter()
            .filter_map(|lw| lw.word.stem.strip_prefix(NOT))
            .filter_map(|plain| self.ids.get(plain).copied())
            .collect();
        if denied.is_empty() {
            return false;
        }
        let mut described = self
            .docs
            .iter()
            .filter(|d| {
                matches!(d.source, Source::Description { .. })
                    && d.targets.iter().any(|t| t == value)
            })
            .peekable();
        described.peek().is_some()
            && described.all(|d| d.words.iter().any(|(w, _)| denied.contains(w)))
    }
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn knows(&self, stem: &str) -> bool {
        self.ids.contains_key(stem)
    }

    /// Reads a label's words against the vocabulary: what each may stand
    /// for and what it weighs.
    pub fn read(&self, text: Text) -> Label {
        let Text {
            words,
            marks,
            ages,
            implied,
            ..
        } = text;
        let words = self.joined(words);
        let numbers = words
            .iter()
            .filter(|w| is_number(&w.stem))
            .filter_map(|w| self.ids.get(&w.stem).copied())
            .collect();
        // Whether each word follows one announcing a code ("Cat 20").
        let announced: Vec<bool> = (0..words.len())
            .map(|i| i > 0 && super::code::announces(&words[i - 1].written))
            .collect();
        let words = words
            .into_iter()
            .zip(announced)
            .map(|(word, announced)| {
                let matches = self.matches(&word.stem);
                let weight = match self.ids.get(&word.stem) {
                    Some(&id) => self.idf[id as usize],
                    None if word.stem.chars().count() == 1 => self.unknown * 0.5,
                    // A number or code no text of the reference has and no
                    // word announces ("(8C)", "(63)": an older
                    // classification's, a footnote, a year) says nothing
                    // the documents could say.
                    None if matches.is_empty()
                        && !announced
                        && word.stem.chars().any(|c| c.is_ascii_digit()) =>
                    {
                        0.0
                    }
                    None if matches.is_empty() => self.unknown,
                    None => matches
                        .iter()
                        .map(|&(id, _)| self.idf[id as usize])
                        .fold(0.0, f32::max),
                };
                LabelWord {
                    word,
                    weight,
                    matches,
                }
            })
            .collect();
        Label {
            words,
            marks,
            numbers,
            ages,
            implied,
        }
    }

    /// A word split in two ("Black mail", "Shop lifting", "Man
    /// slaughter") is the one word the vocabulary has, when one of its
    /// halves is no word of the vocabulary's.
    fn joined(&self, words: Vec<Word>) -> Vec<Word> {
        let mut out: Vec<Word> = Vec::with_capacity(words.len());
        let mut it = words.into_iter().peekable();
        while let Some(w) = it.next() {
            let whole = it.peek().and_then(|next| {
                let halves_known = self.knows(&w.stem) && self.knows(&next.stem);
                let plain = |x: &Word| {
                    x.via.is_none()
                        && !x.stem.starts_with(NOT)
                        && x.written.chars().all(|c| c.is_ascii_alphabetic())
                };
                let stem = super::text::stem(&format!("{}{}", w.written, next.written));
                (!halves_known && plain(&w) && plain(next) && self.knows(&stem)).then(|| Word {
                    stem,
                    written: format!("{} {}", w.written, next.written),
                    via: None,
                })
            });
            match whole {
                Some(j) => {
                    it.next();
                    out.push(j);
                }
                None => out.push(w),
            }
        }
        out
    }

    fn matches(&self, l: &str) -> Vec<(u32, How)> {
        let mut out: HashMap<u32, How> = HashMap::new();
        let known = self.ids.get(l).copied();
        if let Some(id) = known {
            out.insert(id, How::Same);
        }
        let len = l.chars().count();
        let letter = len == 1 && l.chars().all(|c| c.is_alphabetic());
        if len < 3 && !letter {
            return out.into_iter().collect();
        }
        let first = l.chars().next();
        for (id, v) in self.stems.iter().enumerate() {
            let id = id as u32;
            if Some(id) == known || v.chars().next() != first {
                continue;
            }
            let how = if letter {
                (v.chars().count() >= 3 && !v.chars().any(|c| c.is_ascii_digit()))
                    .then_some(How::Letter)
            } else if (!is_closed(l) && v.starts_with(l))
                || (!is_closed(v) && v.chars().count() >= 4 && l.starts_with(v.as_str()))
            {
                Some(How::Start)
            } else if known.is_some() {
                None
            } else if abbreviates(l, v) || abbreviates(l, &self.surface[id as usize]) {
                // Against the word as written too: "shplftng" keeps the
                // "ng" its stem "shoplift" has lost.
                Some(How::Shorthand)
            } else {
                let max = if len >= 8 { 2 } else { 1 };
                (len >= 4 && edit_distance(l, v, max).is_some()).then_some(How::Typo)
            };
            if let Some(h) = how {
                out.entry(id)
                    .and_modify(|e| {
                        if h.quality() > e.quality() {
                            *e = h
                        }
                    })
                    .or_insert(h);
            }
        }
        let mut v: Vec<(u32, How)> = out.into_iter().collect();
        v.sort_by(|a, b| b.1.quality().total_cmp(&a.1.quality()).then(a.0.cmp(&b.0)));
        v
    }

    /// Every document that shares a word with the label, scored, best first.
    pub fn hits(&self, query: &Label) -> Vec<Hit<'_>> {
        let label = &query.words;
        let worded: f32 = label.iter().map(|w| w.weight).sum();
        let aged = if query.ages.is_some() { self.ages } else { 0.0 };
        if worded + aged <= 0.0 {
            return Vec::new();
        }
        // Per vocabulary word, the label words that match it and how.
        let mut by_word: HashMap<u32, Vec<(usize, How)>> = HashMap::new();
        for (i, lw) in label.iter().enumerate() {
            for &(id, how) in &lw.matches {
                by_word.entry(id).or_default().push((i, how));
            }
        }
        let mut candidates: Vec<u32> = by_word
            .keys()
            .flat_map(|id| self.postings[*id as usize].iter().copied())
            .collect();
        // A label of ages alone ("Under 13") meets every document with ages.
        if label.is_empty() && query.ages.is_some() {
            candidates.extend(
                (0..self.docs.len() as u32).filter(|d| self.docs[*d as usize].ages.is_some()),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        // The label's own words, to find the documents that deny one.
        let said: Vec<u32> = label
            .iter()
            .filter_map(|lw| lw.matches.iter().find(|m| m.1 == How::Same).map(|m| m.0))
            .collect();
        // The words the label denies ("not dwelling"), where no document
        // denies them too and the vocabulary has only the words.
        let denied: Vec<u32> = label
            .iter()
            .filter_map(|lw| lw.word.stem.strip_prefix(NOT))
            .filter_map(|plain| self.ids.get(plain).copied())
            .collect();
        let mut best = vec![(0.0f32, None::<(u32, How)>); label.len()];
        let mut out = Vec::with_capacity(candidates.len());
        for d in candidates {
            let doc = &self.docs[d as usize];
            best.iter_mut().for_each(|b| *b = (0.0, None));
            let mut doc_matched = 0.0f32;
            // Every word of the document's met, however (a typo, a start):
            // the label says all it says.
            let mut doc_all = true;
            let mut unmet = 0u64;
            for (k, &(w, factor)) in doc.words.iter().enumerate() {
                let Some(ms) = by_word.get(&w) else {
                    doc_all &= factor <= 0.0;
                    if factor > 0.0 && k < 64 {
                        unmet |= 1 << k;
                    }
                    continue;
                };
                let mut cover = 0.0f32;
                // A word the label says outright is that label word's: an
                // initial or a typo elsewhere in the label is not read as
                // it too ("M" is no "multiple" beside "multiple").
                let said_outright = ms.iter().any(|(_, how)| *how == How::Same);
                for &(i, how) in ms {
                    if said_outright && how != How::Same {
                        continue;
                    }
                    let q = how.quality();
                    cover = cover.max(q);
                    if q > best[i].0 {
                        best[i] = (q, Some((w, how)));
                    }
                }
                doc_matched += cover * factor * self.idf[w as usize];
            }
            let mut label_matched: f32 = best
                .iter()
                .zip(label)
                .map(|((q, _), lw)| q * lw.weight)
                .sum();
            // The victim's ages: within the document's count as a word both
            // say; apart, as a contradiction; a document that says none
            // (its offence does not turn on age) leaves them out.
            let mut total = worded + aged;
            let mut apart = false;
            let fit = match (&query.ages, &doc.ages) {
                (Some(l), Some(d)) => Some(d.fit(l)),
                (Some(_), None) => {
                    total = worded;
                    None
                }
                _ => None,
            };
            match fit {
                Some(Fit::Within) => {
                    label_matched += self.ages;
                    doc_matched += self.ages;
                }
                Some(Fit::Apart) => apart = true,
                Some(Fit::Overlap) if query.implied => total = worded,
                // Ages the label says outright that straddle the document's
                // ("13 and over" against a child's offence): the label's
                // offence is another, or spans several.
                Some(Fit::Overlap) => apart = true,
                None => {}
            }
            // What the label says a thing is not ("not dwelling/vehicle")
            // is no word a document that never names the thing leaves
            // unsaid: it counts where the document names it, either way.
            let unnamed: f32 = best
                .iter()
                .zip(label)
                .filter(|((_, m), lw)| m.is_none() && lw.word.stem.starts_with(NOT))
                .map(|(_, lw)| lw.weight)
                .sum();
            total -= unnamed;
            if total <= 0.0 {
                continue;
            }
            let cover_label = label_matched / total;
            let cover_doc = if doc.weight > 0.0 {
                doc_matched / doc.weight
            } else {
                0.0
            };
            // Ages that are not the label's: "under 16" for "under 13".
            let other_numbers = !query.numbers.is_empty()
                && !doc.numbers.is_empty()
                && !doc.numbers.iter().any(|n| query.numbers.contains(n));
            // "Arson not endangering life" for "Arson endangering life".
            let denies = doc.words.iter().any(|(w, _)| {
                self.opposite[*w as usize].is_some_and(|o| said.contains(&o)) || denied.contains(w)
            });
            // "… on a constable" for a label that says no constable.
            let lacks = !doc.needs.is_empty() && !doc.needs.iter().any(|n| by_word.contains_key(n));
            let against = query.marks.against_but(doc.marks, self.ignored)
                + u32::from(other_numbers)
                + u32::from(denies)
                + u32::from(lacks)
                + u32::from(apart);
            let rest = cover_doc.sqrt() * CONTRADICTION.powi(against as i32);
            let score = cover_label * rest;
            if score <= 0.0 {
                continue;
            }
            let matched = best
                .iter()
                .enumerate()
                .filter_map(|(i, (_, m))| {
                    m.map(|(w, how)| (i, self.surface[w as usize].as_str(), how))
                })
                .collect();
            let whole = against == 0
                && !label.is_empty()
                && best.iter().all(|(_, m)| m.is_some())
                && !matches!(fit, Some(Fit::Overlap));
            out.push(Hit {
                doc,
                score,
                matched,
                ages: fit,
                whole,
                exact: whole && doc_all,
                unmet,
                label_matched,
                total,
                rest,
            });
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::super::text::{read, Side};
    use super::*;

    fn index(docs: &[(&str, &str)]) -> Index {
        let mut b = Builder::default();
        for (text, value) in docs {
            let t = read(text, None, Side::Reference);
            let w: Vec<(Word, f32)> = t.words.into_iter().map(|w| (w, 1.0)).collect();
            let ages = t.ages.map(DocAges::said);
            b.add(
                text,
                &w,
                &[],
                t.marks,
                ages,
                vec![value.to_string()],
                Source::Name,
            );
        }
        b.build()
    }

    fn top(ix: &Index, label: &str) -> Option<(String, f32)> {
        let l = ix.read(read(label, None, Side::Label));
        ix.hits(&l)
            .first()
            .map(|h| (h.doc.targets[0].clone(), h.score))
    }

    #[test]
    fn the_document_that_explains_the_label_wins() {
        let ix = index(&[
            ("Sexual Assault on a Male Child under 13", "17B"),
            ("Sexual Assault on a Female Child under 13", "20B"),
            ("Sexual Assault on a Female aged 13 or over", "20A"),
            ("Rape of a Female Child under 13", "19E"),
        ]);
        assert_eq!(
            top(&ix, "Sexual assault on a male child under 13")
                .map(|t| t.0)
                .as_deref(),
            Some("17B")
        );
        assert_eq!(
            top(&ix, "SEX ASLT F under 13").map(|t| t.0).as_deref(),
            Some("20B")
        );
        let (v, s) = top(&ix, "Sexual assualt on a female child under 13").expect("typo");
        assert_eq!(v, "20B");
        assert!(s > 0.8, "{s}");
    }

    #[test]
    fn ages_within_count_as_words_and_ages_apart_against() {
        let ix = index(&[
            ("Rape of a Female aged 16 and over", "19C"),
            ("Rape of a Female Child under 13", "19E"),
        ]);
        let l = ix.read(read("Rape of a female aged 18", None, Side::Label));
        let hits = ix.hits(&l);
        assert_eq!(hits[0].doc.targets[0], "19C");
        assert_eq!(hits[0].ages, Some(Fit::Within));
        assert!(hits[0].whole && hits[0].exact);
        let other = hits
            .iter()
            .find(|h| h.doc.targets[0] == "19E")
            .expect("19E");
        assert_eq!(other.ages, Some(Fit::Apart));
        assert!(!other.whole);
        assert!(other.score < hits[0].score * CONTRADICTION + 1e-6);
        // A label of ages alone meets the documents with ages.
        let l = ix.read(read("Under 13", None, Side::Label));
        assert_eq!(ix.hits(&l)[0].doc.targets[0], "19E");
        // The same text, exactly.
        let l = ix.read(read("Rape of a female child under 13", None, Side::Label));
        assert!(ix.hits(&l)[0].exact);
    }

    #[test]
    fn a_word_split_in_two_is_the_word() {
        let ix = index(&[("Blackmail", "35"), ("Theft of Mail", "42")]);
        assert_eq!(top(&ix, "Black mail").map(|t| t.0).as_deref(), Some("35"));
        // Two words the vocabulary has stay two.
        let ix = index(&[("Theft of mail", "42"), ("Theftmail", "x")]);
        assert_eq!(top(&ix, "Theft mail").map(|t| t.0).as_deref(), Some("42"));
    }

    /// The document that says the label's words and no more fits better
    /// than one that says them and more, whatever the scores; not where
    /// the two differ in a marked pair ("with" and "without").
    #[test]
    fn a_name_with_a_word_more_is_dominated() {
        let ix = index(&[
            ("Residential Burglary of a Home", "28I"),
            ("Attempted Residential Burglary of a Home", "28J"),
            ("Distraction Burglary Residential Home", "28K"),
            ("Attempted Burglary Business and Community", "30D"),
            ("Racially Aggravated Assault with Injury", "8P"),
            ("Racially Aggravated Assault without Injury", "105B"),
        ]);
        let shape = |label: &str, value: &str| {
            let l = ix.read(read(label, None, Side::Label));
            let hits = ix.hits(&l);
            let hit = hits.iter().find(|h| h.doc.targets[0] == value);
            hit.expect(value).shape()
        };
        let (home, attempt) = (
            shape("Burglary - home", "28I"),
            shape("Burglary - home", "28J"),
        );
        assert!(home.dominates(&attempt) && !attempt.dominates(&home));
        // A label word more said, and no word more unsaid: better.
        let label = "Attempted burglary";
        assert!(shape(label, "28J").dominates(&shape(label, "28K")));
        // Each leaves unsaid words the other says: no order.
        let (home, business) = (shape(label, "28J"), shape(label, "30D"));
        assert!(!home.dominates(&business) && !business.dominates(&home));
        let label = "Racially aggravated assault";
        assert!(!shape(label, "8P").dominates(&shape(label, "105B")));
    }

    /// A word the label says outright is not read a second time through
    /// another label word's initial: "M" beside "multiple" is male.
    #[test]
    fn a_word_said_outright_is_not_an_initial_too() {
        let ix = index(&[
            ("Rape of a male multiple undefined offenders", "19K"),
            ("Rape of a female multiple undefined offenders", "19J"),
        ]);
        let l = ix.read(read(
            "Rape M multiple undefined offenders",
            None,
            Side::Label,
        ));
        let hits = ix.hits(&l);
        assert_eq!(hits[0].doc.targets[0], "19K");
        let female = hits
            .iter()
            .find(|h| h.doc.targets[0] == "19J")
            .expect("19J");
        assert_eq!(female.matched.len(), 4, "{:?}", female.matched);
    }

    /// A label that is a category's name and one of its descriptions at
    /// once scores with the words of both; a common word of the name's
    /// adds nothing.
    #[test]
    fn a_name_and_a_description_together() {
        let mut docs = vec![
            ("Exposure and Voyeurism", "88E"),
            ("Film another while breastfeeding", "88E"),
            ("Other Theft", "49"),
            ("Theft if not classified elsewhere", "49"),
        ];
        // Enough other words that "other" and "theft" are common ones.
        let filler: Vec<String> = (0..40).map(|k| format!("Other theft kind{k}")).collect();
        docs.extend(filler.iter().map(|f| (f.as_str(), "x")));
        let ix = index(&docs);
        let hit = |label: &str, text: &str| {
            let l = ix.read(read(label, None, Side::Label));
            let hits = ix.hits(&l);
            let h = hits
                .iter()
                .find(|h| h.doc.text == text)
                .expect(text)
                .clone();
            (l, h)
        };
        let label = "Voyeurism - filming breastfeeding";
        let (l, film) = hit(label, "Film another while breastfeeding");
        let (_, name) = hit(label, "Exposure and Voyeurism");
        assert!(film.with_name(&name, &l, &ix) > film.score + 0.1);
        let label = "Other theft not elsewhere";
        let (l, desc) = hit(label, "Theft if not classified elsewhere");
        let (_, name) = hit(label, "Other Theft");
        assert!((desc.with_name(&name, &l, &ix) - desc.score).abs() < 1e-6);
    }

    /// What a label says an offence is not ("not dwelling") weighs
    /// against a document that names it, and not against one that never
    /// names it.
    #[test]
    fn what_the_label_denies() {
        let ix = index(&[
            ("Criminal damage endangering life other", "58D"),
            ("Criminal damage to a dwelling endangering life", "58A"),
        ]);
        let l = ix.read(read(
            "Criminal damage endangering life (not dwelling)",
            None,
            Side::Label,
        ));
        let hits = ix.hits(&l);
        assert_eq!(hits[0].doc.targets[0], "58D");
        let dwelling = hits
            .iter()
            .find(|h| h.doc.targets[0] == "58A")
            .expect("58A");
        assert!(dwelling.score < hits[0].score * CONTRADICTION + 1e-6);
        // "dwelling" costs the document that never names one nothing (the
        // word "not" alone is a word the label says and it does not).
        let plain = ix.read(read(
            "Criminal damage endangering life not",
            None,
            Side::Label,
        ));
        let plain = ix.hits(&plain)[0].score;
        assert!(
            (plain - hits[0].score).abs() < 1e-6,
            "{plain} {}",
            hits[0].score
        );
    }

    /// A word written without its vowels is read against the word as
    /// written as well as its stem ("shplftng": "shoplifting").
    #[test]
    fn vowels_dropped_from_the_whole_word() {
        let ix = index(&[("Shoplifting", "46"), ("Theft from the person", "39")]);
        assert_eq!(top(&ix, "SHPLFTNG").map(|t| t.0).as_deref(), Some("46"));
    }

    #[test]
    fn words_that_match_nothing_weigh_against() {
        let ix = index(&[
            ("Sexual Grooming", "88A"),
            ("Obscene Publications etc", "86"),
        ]);
        let (_, plain) = top(&ix, "Sexual grooming").expect("plain");
        let (_, noisy) = top(&ix, "Sexual grooming zzzz qqqq").expect("noisy");
        assert!(plain > 0.99 && noisy < 0.7, "{plain} {noisy}");
    }
}
