//! What the words around a table can say that its figures cannot: that
//! they are rounded ("All figures have been rounded to the nearest 5"), or
//! that they are another force's (a neighbour's reply attached in error).
//! Either makes every figure read from the table wrong for the force the
//! response is for, so each is a doubt that refuses the response.

use foi_model::{fold_label, ForceId, Forces};

/// The note that says a table's figures are rounded, if one does.
pub fn rounding(notes: &[(usize, String)]) -> Option<&str> {
    notes.iter().map(|(_, t)| t.as_str()).find(|t| {
        let f = fold_label(t);
        let words: Vec<&str> = f.split(' ').collect();
        words.iter().enumerate().any(|(i, w)| {
            matches!(*w, "rounded" | "rounding")
                // "… not rounded", "no rounding": the figures are exact.
                && !matches!(i.checked_sub(1).map(|j| words[j]), Some("not" | "no" | "without"))
        })
    })
}

/// Another force a text names by a name only a force has ("Durham
/// Constabulary", "West Yorkshire Police"), when it does not name the
/// response's own force too (a joint unit names both).
pub fn other_force<'f>(text: &str, own: &ForceId, forces: &'f Forces) -> Option<&'f str> {
    let folded = format!(" {} ", fold_label(text));
    let says = |name: &str| {
        let n = fold_label(name);
        !n.is_empty() && folded.contains(&format!(" {n} "))
    };
    let unmistakable = |name: &str| {
        let n = fold_label(name);
        n.split(' ').count() >= 2
            && n.split(' ')
                .any(|w| matches!(w, "police" | "constabulary" | "service"))
    };
    let names = |f: &'f foi_model::Force| {
        std::iter::once(f.name.as_str())
            .chain(f.aliases.iter().map(String::as_str))
            .filter(|n| unmistakable(n))
    };
    let mine = forces.get(own)?;
    if names(mine).any(says) {
        return None;
    }
    forces
        .iter()
        .filter(|f| f.id != *own)
        .find_map(|f| names(f).find(|n| says(n)).map(|_| f.name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(texts: &[&str]) -> Vec<(usize, String)> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, t.to_string()))
            .collect()
    }

    #[test]
    fn a_note_that_figures_are_rounded_is_found() {
        let n = notes(&[
            "Offence types not listed had none.",
            "All figures have been rounded to the nearest 5. Totals are rounded independently.",
        ]);
        assert!(rounding(&n).is_some_and(|t| t.starts_with("All figures")));
        assert!(rounding(&notes(&["Figures may not sum due to rounding"])).is_some());
        // Exact figures said to be exact are no doubt.
        assert_eq!(rounding(&notes(&["Figures are not rounded."])), None);
        assert_eq!(rounding(&notes(&["Offences recorded 2016/17"])), None);
    }

    fn forces() -> Forces {
        Forces::from_csv(
            "forces.csv",
            "code,id,name,aliases\nE23000008,durham,Durham Constabulary,Durham\nE23000013,cleveland,Cleveland Police,Cleveland\nE23000010,north-yorkshire,North Yorkshire Police,North Yorkshire\n",
        )
        .expect("forces")
    }

    #[test]
    fn a_neighbours_name_in_a_title_is_found() {
        let f = forces();
        let cleveland = ForceId("cleveland".into());
        assert_eq!(
            other_force(
                "Durham Constabulary - Freedom of Information Request 412/17",
                &cleveland,
                &f
            ),
            Some("Durham Constabulary")
        );
        // Its own name, or both (a joint unit): no doubt.
        assert_eq!(
            other_force("Cleveland Police FOI 412/17", &cleveland, &f),
            None
        );
        assert_eq!(
            other_force(
                "Cleveland Police and Durham Constabulary Joint Unit",
                &cleveland,
                &f
            ),
            None
        );
        // A place is no force: "Durham Road", "North Yorkshire" alone.
        assert_eq!(
            other_force("Station, Durham Road, Middlesbrough", &cleveland, &f),
            None
        );
        assert_eq!(
            other_force("Offences in North Yorkshire", &cleveland, &f),
            None
        );
    }
}
