//! The Home Office offence reference (config/reference/offences.csv) as the
//! suggester reads it: each category with its name, and every offence
//! description with its Home Office code, class and sub-class.

use foi_model::ConfigError;
use std::collections::BTreeMap;

/// One notifiable offence: a row of offences.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offence {
    /// The offence category ("22B").
    pub category: String,
    /// The Home Office code ("022/18").
    pub ho_code: String,
    /// The offence as the Home Office describes it.
    pub description: String,
    /// "Sexual Offences", "Violence Against The Person".
    pub class: String,
    /// "Other sexual offences", "Rape"; may be empty.
    pub sub_class: String,
}

/// The offence reference: categories and their names, every offence.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub file: String,
    /// Category code -> name.
    pub categories: BTreeMap<String, String>,
    pub offences: Vec<Offence>,
    /// Every category name and offence description, lower-cased once:
    /// what [`Reference::says`] looks through.
    folded: Vec<String>,
}

impl Reference {
    /// Reads offences.csv (`category,category_name,ho_code,offence,
    /// offence_class,sub_class,…`); a missing column or an empty category
    /// is an error naming the file and line.
    pub fn from_csv(file: &str, text: &str) -> Result<Reference, ConfigError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| ConfigError::at(file, 1, format!("no `{name}` column")))
        };
        let (cat, name, ho, off, class, sub) = (
            col("category")?,
            col("category_name")?,
            col("ho_code")?,
            col("offence")?,
            col("offence_class")?,
            col("sub_class")?,
        );
        let mut reference = Reference {
            file: file.to_string(),
            ..Default::default()
        };
        for row in rdr.records() {
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                ConfigError::at(file, line, e.to_string())
            })?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            let get = |i: usize| row.get(i).unwrap_or("").trim().to_string();
            let category = get(cat);
            if category.is_empty() {
                return Err(ConfigError::at(file, line, "empty category"));
            }
            reference
                .categories
                .entry(category.clone())
                .or_insert_with(|| get(name));
            reference.offences.push(Offence {
                category,
                ho_code: get(ho),
                description: get(off),
                class: get(class),
                sub_class: get(sub),
            });
        }
        reference.folded = reference
            .categories
            .values()
            .chain(reference.offences.iter().map(|o| &o.description))
            .map(|t| t.to_lowercase())
            .collect();
        Ok(reference)
    }

    /// Whether a category name or offence description says `phrase`
    /// ("drink or drugs"), whatever its case.
    pub fn says(&self, phrase: &str) -> bool {
        let phrase = phrase.to_lowercase();
        self.folded.iter().any(|t| t.contains(&phrase))
    }

    /// The categories a Home Office code is counted under ("019/07" is
    /// both 19D and 19J), in the reference's order.
    pub fn categories_of_ho_code(&self, ho_code: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for o in self.offences.iter().filter(|o| o.ho_code == ho_code) {
            if !out.contains(&o.category.as_str()) {
                out.push(&o.category);
            }
        }
        out
    }

    /// The Home Office's descriptions under a code, for reasons.
    pub fn descriptions_of_ho_code(&self, ho_code: &str) -> Vec<(&str, &str)> {
        self.offences
            .iter()
            .filter(|o| o.ho_code == ho_code)
            .map(|o| (o.category.as_str(), o.description.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "category,category_name,ho_code,offence,offence_class,sub_class,commenced,changed
19D,Rape of a Female Child under 16,019/07,Rape of a female aged under 16,Sexual Offences,Rape,,
19J,Rape of a female - multiple undefined offenders,019/07,Rape of a female aged under 16,Sexual Offences,Rape,,
22B,Sexual Activity involving a Child under 16,022/18,Sexual activity with a child under 16 - Female child - no penetration,Sexual Offences,Other sexual offences,,
";

    #[test]
    fn reads_categories_and_codes() {
        let r = Reference::from_csv("offences.csv", TEXT).expect("reads");
        assert_eq!(r.categories.len(), 3);
        assert_eq!(r.categories_of_ho_code("019/07"), ["19D", "19J"]);
        assert_eq!(r.categories_of_ho_code("022/18"), ["22B"]);
        assert!(r.categories_of_ho_code("999/99").is_empty());
    }

    #[test]
    fn says_a_phrase_of_a_name_or_description_whatever_its_case() {
        let r = Reference::from_csv(
            "offences.csv",
            "category,category_name,ho_code,offence,offence_class,sub_class\n\
             4/6,Causing Death by Careless Driving under influence of drink or drugs,004/06,Causing death by careless driving when under the influence,x,y\n",
        )
        .expect("reference");
        assert!(r.says("Drink or drugs"));
        assert!(r.says("careless driving when"));
        assert!(!r.says("drink and drugs"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = Reference::from_csv("o.csv", "category,name\n").expect_err("columns");
        assert_eq!(err.to_string(), "o.csv:1: no `category_name` column");
        let bad = TEXT.replacen("22B,", ",", 1);
        let err = Reference::from_csv("o.csv", &bad).expect_err("empty");
        assert_eq!(err.to_string(), "o.csv:4: empty category");
    }
}
