//! Areas that are not police forces but stand in the same tables: English
//! regions, countries, England and Wales. National tables list them beside
//! the forces, by name as often as by code, and one name can be both ("West
//! Midlands" is a police force and an English region), so a row is only a
//! force's when nothing says it could be an area's.

use crate::crosswalk::fold_label;
use crate::force::{Force, Forces};
use crate::ConfigError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One area of config/reference/areas.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// GSS code: E12000005, E92000001, K04000001…
    pub code: String,
    pub name: String,
    /// What sort of area, for messages: "English region", "country".
    pub kind: String,
    pub aliases: Vec<String>,
}

impl Area {
    /// "the English region West Midlands (E12000005)".
    pub fn describe(&self) -> String {
        format!("the {} {} ({})", self.kind, self.name, self.code)
    }
}

/// The reference list of areas, resolvable by code, name or alias.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    areas: Vec<Area>,
    by_name: BTreeMap<String, usize>,
}

#[derive(Deserialize)]
struct AreaRow {
    code: String,
    name: String,
    kind: String,
    aliases: String,
}

/// How an area's name is matched: folded as labels are ("&" as "and"),
/// and without the word "region" ("West Midlands Region" in Home Office
/// tables). Unlike a force's name, "Police" is kept: "West Midlands Police"
/// is never the region.
fn fold_area_name(name: &str) -> String {
    let folded = fold_label(&name.replace('&', " and "));
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && *w != "region")
        .collect();
    if words.is_empty() {
        folded
    } else {
        words.join(" ")
    }
}

impl Areas {
    /// Parses `config/reference/areas.csv` (code,name,kind,aliases with
    /// aliases separated by `|`).
    pub fn from_csv(file: &str, text: &str) -> Result<Areas, ConfigError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut areas = Areas::default();
        for (i, row) in rdr.deserialize::<AreaRow>().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| ConfigError::at(file, line, e.to_string()))?;
            let area = Area {
                code: row.code.trim().to_string(),
                name: row.name.trim().to_string(),
                kind: row.kind.trim().to_string(),
                aliases: row
                    .aliases
                    .split('|')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
            };
            if area.code.is_empty() || area.name.is_empty() || area.kind.is_empty() {
                return Err(ConfigError::at(
                    file,
                    line,
                    "an area needs a code, a name and a kind",
                ));
            }
            let idx = areas.areas.len();
            let mut keys = vec![area.code.clone(), area.name.clone()];
            keys.extend(area.aliases.iter().cloned());
            crate::force::index_names(&mut areas.by_name, keys, idx, fold_area_name).map_err(
                |(key, other)| {
                    ConfigError::at(
                        file,
                        line,
                        format!(
                            "name {key:?} already names area {}",
                            areas.areas[other].code
                        ),
                    )
                },
            )?;
            areas.areas.push(area);
        }
        Ok(areas)
    }

    /// Finds an area by GSS code, name or alias, ignoring case, punctuation
    /// and the word "region".
    pub fn resolve(&self, name: &str) -> Option<&Area> {
        self.by_name
            .get(&fold_area_name(name))
            .map(|&i| &self.areas[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Area> {
        self.areas.iter()
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }
}

/// What a cell naming a place names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    Force(&'a Force),
    Area(&'a Area),
    /// A name both a force and an area go by ("West Midlands"): which one
    /// the cell means must come from elsewhere (a code in the row, or the
    /// table's rule).
    Both(&'a Force, &'a Area),
    /// Neither a force nor a known area.
    Unknown,
}

impl Forces {
    /// What `text` names: a force, an area, both, or neither. A footnote
    /// mark glued to a name ("North West9", "ENGLAND AND WALES8") is
    /// dropped when the name as written names nothing.
    pub fn place(&self, text: &str) -> Place<'_> {
        let find = |t: &str| (self.resolve(t), self.areas().resolve(t));
        let (force, area) = match find(text) {
            (None, None) => find(crate::config::strip_footnote_digits(text)),
            found => found,
        };
        match (force, area) {
            (Some(f), Some(a)) => Place::Both(f, a),
            (Some(f), None) => Place::Force(f),
            (None, Some(a)) => Place::Area(a),
            (None, None) => Place::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "code,name,kind,aliases\nE12000005,West Midlands,English region,\nE12000006,East of England,English region,East|Eastern\nK04000001,England and Wales,group of countries,\n";
    const FORCES: &str = "code,id,name,aliases\nE23000014,west-midlands,West Midlands Police,West Midlands|WMP\nE23000015,staffordshire,Staffordshire Police,Staffordshire\n";

    fn places() -> Forces {
        Forces::from_csv("forces.csv", FORCES)
            .expect("forces")
            .with_areas(Areas::from_csv("areas.csv", AREAS).expect("areas"))
    }

    #[test]
    fn a_name_both_go_by_is_both() {
        let p = places();
        let code = |pl: Place<'_>| match pl {
            Place::Force(f) => format!("force {}", f.id),
            Place::Area(a) => format!("area {}", a.code),
            Place::Both(f, a) => format!("both {} {}", f.id, a.code),
            Place::Unknown => "unknown".into(),
        };
        assert_eq!(
            code(p.place("West Midlands ")),
            "both west-midlands E12000005"
        );
        assert_eq!(code(p.place("West Midlands Police")), "force west-midlands");
        assert_eq!(code(p.place("E23000014")), "force west-midlands");
        assert_eq!(code(p.place("WMP")), "force west-midlands");
        assert_eq!(code(p.place("E12000005")), "area E12000005");
        assert_eq!(code(p.place("West Midlands Region")), "area E12000005");
        assert_eq!(code(p.place("Eastern")), "area E12000006");
        assert_eq!(code(p.place("East ")), "area E12000006");
        assert_eq!(code(p.place("ENGLAND AND WALES8")), "area K04000001");
        assert_eq!(code(p.place("Staffordshire")), "force staffordshire");
        assert_eq!(code(p.place("Total 43 forces")), "unknown");
    }

    #[test]
    fn a_name_given_twice_is_refused() {
        let e = Areas::from_csv(
            "areas.csv",
            "code,name,kind,aliases\nE12000001,North East,English region,\nE12000002,North West,English region,north-east\n",
        )
        .expect_err("clash");
        assert_eq!(
            e.to_string(),
            "areas.csv:3: name \"north-east\" already names area E12000001"
        );
    }
}
