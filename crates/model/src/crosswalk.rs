use crate::{ConfigError, ForceId};
use std::collections::BTreeMap;

/// Folds a label for matching: lower case, punctuation and runs of white
/// space to one space, trimmed. "Sexual  Grooming (88A) " and
/// "sexual grooming 88a" fold alike.
pub fn fold_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// The key a label is matched by: folded, or for labels made only of
/// marks ("*", "-", ".."), the marks themselves, which must stay distinct.
fn match_key(label: &str) -> String {
    let folded = fold_label(label);
    if folded.is_empty() {
        label.trim().to_string()
    } else {
        folded
    }
}

/// One reviewed line of a crosswalk: a label as forces write it, what it
/// means, and optionally the one force that writes it that way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkEntry {
    pub label: String,
    pub value: String,
    pub force: Option<ForceId>,
    /// 1-based line in the crosswalk file, for messages.
    pub line: usize,
}

/// A label-to-value table an analyst can review and diff, read from CSV
/// with the header `label,value[,force]`.
#[derive(Debug, Clone, Default)]
pub struct Crosswalk {
    pub file: String,
    entries: Vec<CrosswalkEntry>,
    // (folded label, force scope) -> entry index
    index: BTreeMap<(String, Option<ForceId>), usize>,
}

impl Crosswalk {
    /// Parses crosswalk CSV. `resolve_force` turns the optional force column
    /// into a force id, so that a typo there is an error at its line.
    pub fn from_csv(
        file: &str,
        text: &str,
        resolve_force: &dyn Fn(&str) -> Option<ForceId>,
    ) -> Result<Crosswalk, ConfigError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| ConfigError::at(file, 1, e.to_string()))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(label_col), Some(value_col)) = (col("label"), col("value")) else {
            return Err(ConfigError::at(
                file,
                1,
                "a crosswalk's header must be label,value[,force]",
            ));
        };
        let force_col = col("force");
        let mut cw = Crosswalk {
            file: file.to_string(),
            ..Default::default()
        };
        for row in rdr.records() {
            let row = row.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                ConfigError::at(file, line, e.to_string())
            })?;
            let line = row.position().map(|p| p.line() as usize).unwrap_or(0);
            let label = row.get(label_col).unwrap_or("").trim();
            let value = row.get(value_col).unwrap_or("").trim();
            if label.is_empty() {
                return Err(ConfigError::at(file, line, "empty label"));
            }
            let force = match force_col.and_then(|c| row.get(c)).map(str::trim) {
                None | Some("") => None,
                Some(name) => Some(resolve_force(name).ok_or_else(|| {
                    ConfigError::at(file, line, format!("unknown force {name:?}"))
                })?),
            };
            let key = (match_key(label), force.clone());
            if let Some(&prev) = cw.index.get(&key) {
                let p = &cw.entries[prev];
                if p.value != value {
                    return Err(ConfigError::at(
                        file,
                        line,
                        format!(
                            "label {label:?} maps to {value:?} here but to {:?} at line {}",
                            p.value, p.line
                        ),
                    ));
                }
                continue;
            }
            cw.index.insert(key, cw.entries.len());
            cw.entries.push(CrosswalkEntry {
                label: label.to_string(),
                value: value.to_string(),
                force,
                line,
            });
        }
        Ok(cw)
    }

    /// The entry for a label: one scoped to this force first, then a general one.
    pub fn lookup(&self, label: &str, force: &ForceId) -> Option<&CrosswalkEntry> {
        let folded = match_key(label);
        self.index
            .get(&(folded.clone(), Some(force.clone())))
            .or_else(|| self.index.get(&(folded, None)))
            .map(|&i| &self.entries[i])
    }

    pub fn entries(&self) -> &[CrosswalkEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_scopes() {
        assert_eq!(
            fold_label("  Sexual  Grooming (88A) "),
            "sexual grooming 88a"
        );
        let cw = Crosswalk::from_csv(
            "x.csv",
            "label,value,force\nSexual grooming,88A,\nGrooming,88A,kent\n",
            &|n| (n == "kent").then(|| ForceId("kent".into())),
        )
        .expect("parses");
        let kent = ForceId("kent".into());
        let essex = ForceId("essex".into());
        assert_eq!(
            cw.lookup("SEXUAL GROOMING ", &essex)
                .map(|e| e.value.as_str()),
            Some("88A")
        );
        assert_eq!(cw.lookup("grooming", &kent).map(|e| e.line), Some(3));
        assert!(cw.lookup("grooming", &essex).is_none());
    }

    #[test]
    fn conflicting_lines_name_both() {
        let err = Crosswalk::from_csv("x.csv", "label,value\na,1\nA ,2\n", &|_| None)
            .expect_err("conflict");
        assert_eq!(
            err.to_string(),
            "x.csv:3: label \"A\" maps to \"2\" here but to \"1\" at line 2"
        );
    }
}
