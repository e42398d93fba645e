use crate::{crosswalk::fold_label, ConfigError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A force's stable identifier: the data.police.uk slug ("kent", "btp").
///
/// Slugs rather than GSS codes because British Transport Police has no GSS
/// code; the code travels beside it in [`Force::code`] and in every table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ForceId(pub String);

impl fmt::Display for ForceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Force {
    pub id: ForceId,
    /// GSS code of the police force area (E23…, W15…); empty for BTP.
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// The reference list of forces, resolvable by any name variant, with the
/// areas (regions, countries) that stand beside them in national tables:
/// a row naming a place is read as a force's only when it cannot be an
/// area's ([`Forces::place`]).
#[derive(Debug, Clone, Default)]
pub struct Forces {
    forces: Vec<Force>,
    by_name: BTreeMap<String, usize>,
    areas: crate::Areas,
}

#[derive(Deserialize)]
struct ForceRow {
    code: String,
    id: String,
    name: String,
    aliases: String,
}

/// Words that forces add to or drop from their names at will.
const NAME_NOISE: &[&str] = &["police", "constabulary", "service", "force"];

/// Files each of `keys` (folded) under `idx`; a key that already names
/// another entry is `Err((key, that entry))`: a reference table must never
/// let one name mean two things.
pub(crate) fn index_names(
    by_name: &mut BTreeMap<String, usize>,
    keys: Vec<String>,
    idx: usize,
    fold: fn(&str) -> String,
) -> Result<(), (String, usize)> {
    for key in keys {
        let k = fold(&key);
        match by_name.get(&k) {
            Some(&other) if other != idx => return Err((key, other)),
            _ => {
                by_name.insert(k, idx);
            }
        }
    }
    Ok(())
}

fn fold_force_name(name: &str) -> String {
    let folded = fold_label(&name.replace('&', " and "));
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !NAME_NOISE.contains(w))
        .collect();
    if words.is_empty() {
        folded
    } else {
        words.join(" ")
    }
}

impl Forces {
    /// Parses `config/reference/forces.csv` (code,id,name,aliases with
    /// aliases separated by `|`).
    pub fn from_csv(file: &str, text: &str) -> Result<Forces, ConfigError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let mut forces = Forces::default();
        for (i, row) in rdr.deserialize::<ForceRow>().enumerate() {
            let line = i + 2;
            let row = row.map_err(|e| ConfigError::at(file, line, e.to_string()))?;
            let force = Force {
                id: ForceId(row.id.trim().to_string()),
                code: row.code.trim().to_string(),
                name: row.name.trim().to_string(),
                aliases: row
                    .aliases
                    .split('|')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
            };
            let idx = forces.forces.len();
            let mut keys = vec![force.id.0.clone(), force.name.clone()];
            if !force.code.is_empty() {
                keys.push(force.code.clone());
            }
            keys.extend(force.aliases.iter().cloned());
            index_names(&mut forces.by_name, keys, idx, fold_force_name).map_err(
                |(key, other)| {
                    ConfigError::at(
                        file,
                        line,
                        format!(
                            "name {key:?} already names force {}",
                            forces.forces[other].id
                        ),
                    )
                },
            )?;
            forces.forces.push(force);
        }
        Ok(forces)
    }

    /// Finds a force by id, GSS code, name or any known variant, ignoring
    /// case, punctuation and words like "Police" or "Constabulary".
    pub fn resolve(&self, name: &str) -> Option<&Force> {
        self.by_name
            .get(&fold_force_name(name))
            .map(|&i| &self.forces[i])
    }

    /// The same forces, with the reference list of areas beside them.
    pub fn with_areas(mut self, areas: crate::Areas) -> Forces {
        self.areas = areas;
        self
    }

    /// The areas (regions, countries) national tables list beside forces.
    pub fn areas(&self) -> &crate::Areas {
        &self.areas
    }

    pub fn get(&self, id: &ForceId) -> Option<&Force> {
        self.forces.iter().find(|f| &f.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Force> {
        self.forces.iter()
    }

    pub fn len(&self) -> usize {
        self.forces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forces.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_variants() {
        let csv = "code,id,name,aliases\nE23000001,metropolitan,Metropolitan Police Service,MPS|Met\nW15000004,dyfed-powys,Dyfed Powys Police,Dyfed-Powys\nE23000036,avon-and-somerset,Avon & Somerset Constabulary,\n,btp,British Transport Police,BTP\n";
        let f = Forces::from_csv("forces.csv", csv).expect("parses");
        for name in ["MPS", "Met", "metropolitan police service", "E23000001"] {
            assert_eq!(
                f.resolve(name).map(|f| f.id.0.as_str()),
                Some("metropolitan")
            );
        }
        assert_eq!(
            f.resolve("Dyfed-Powys Police").map(|f| f.id.0.as_str()),
            Some("dyfed-powys")
        );
        assert_eq!(
            f.resolve("Avon and Somerset").map(|f| f.id.0.as_str()),
            Some("avon-and-somerset")
        );
        assert_eq!(
            f.resolve("British Transport Police")
                .map(|f| f.code.as_str()),
            Some("")
        );
        assert!(f.resolve("Police Scotland").is_none());
    }
}
