//! Section headings inside a table: a row with a label and no figures
//! ("Rape of a female:") that says what the rows below it are about, rows
//! whose labels mean nothing alone ("- aged under 13", "Attempted") and
//! repeat under the next heading. A row under a heading is read with it:
//! its label is looked up as "Rape of a female - aged under 13" first, and
//! alone only when that finds nothing.
//!
//! Text rules only: whether a row holds figures is the reader's to say.

/// Marks a force puts before a row under a heading (indents written out).
const BULLETS: [char; 5] = ['-', '–', '—', '•', '·'];

/// Whether a figureless row labelled `label`, above a row labelled
/// `next`, heads a section: it ends in a colon ("Residential - home:"), or
/// the row below is marked as under it (a dash, a bullet, an indent).
pub fn opens_section(label: &str, next: Option<&str>) -> bool {
    if label.trim().is_empty() {
        return false;
    }
    // A marked row is under another, not over the next.
    label.trim_end().ends_with(':') || (!is_under(label) && next.is_some_and(is_under))
}

/// Where a row of a table stands among its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    /// It heads the rows below it.
    Heading,
    /// It heads the rows below it and carries figures of its own (their
    /// subtotal, or the rest): read as a row, not with a heading.
    HeadingWithFigures,
    /// It is under this heading.
    Under(&'a str),
    /// It is under none.
    Alone,
}

/// A table's sections, read row by row, top to bottom.
#[derive(Debug, Default)]
pub struct Sections {
    heading: Option<String>,
    /// Whether the heading was known by the marks of the rows below it:
    /// then its section ends at the first row without one.
    by_marks: bool,
}

impl Sections {
    /// Reads the next row: its label, whether it holds no figures, and
    /// the label of the row below it, each as written (with its indent).
    ///
    /// A row with figures heads a section only by its rows' marks or its
    /// colon, never as the row above another: a row of figures above
    /// another is the common case.
    pub fn read(&mut self, label: &str, figureless: bool, next: Option<&str>) -> Row<'_> {
        if opens_section(label, next) {
            self.by_marks = !label.trim().ends_with(':');
            self.heading = Some(label.trim().to_string());
            return if figureless {
                Row::Heading
            } else {
                Row::HeadingWithFigures
            };
        }
        if self.by_marks && !is_under(label) {
            self.heading = None;
        }
        match &self.heading {
            Some(h) => Row::Under(h),
            None => Row::Alone,
        }
    }
}

/// Whether a label is marked as under the row above it.
pub fn is_under(label: &str) -> bool {
    let starts_spaced = label.starts_with([' ', '\u{a0}']) && !label.trim().is_empty();
    starts_spaced || label.trim_start().starts_with(BULLETS)
}

/// What heads a row: the group of a heading column (role = "heading")
/// carried down to it, then the section heading it is under, as one
/// heading (a row "- aged under 13" under "Rape" and "Female:" reads as
/// "Rape - Female - aged under 13").
pub fn over(group: Option<&str>, section: Option<String>) -> Option<String> {
    match (group, section) {
        (Some(g), Some(s)) => Some(qualify(g, &s)),
        (Some(g), None) => Some(g.to_string()),
        (None, s) => s,
    }
}

/// A row's label read with its section's heading: "Rape of a female" and
/// "- aged under 13" are "Rape of a female - aged under 13".
pub fn qualify(heading: &str, label: &str) -> String {
    let head = heading.trim().trim_end_matches(':').trim_end();
    let own = label.trim().trim_start_matches(BULLETS).trim_start();
    format!("{head} - {own}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_ends_in_a_colon_or_has_marked_rows_below() {
        assert!(opens_section("Rape of a female:", Some("Aged under 13")));
        assert!(opens_section("Rape of a female", Some("- aged under 13")));
        assert!(opens_section("Burglary", Some("   Attempted")));
        assert!(opens_section("Rape", Some("• Under 13")));
        // A row with no figures above another offence is a blank row of
        // figures, not a heading.
        assert!(!opens_section("Sexual grooming", Some("Incest")));
        assert!(!opens_section("Sexual grooming", None));
        assert!(!opens_section("  ", Some("- aged under 13")));
        assert!(!opens_section("- aged under 13", Some("- aged under 16")));
        assert!(!opens_section("  Under 13", Some("  Under 16")));
    }

    #[test]
    fn a_section_runs_to_the_next_heading_or_to_its_last_marked_row() {
        let mut s = Sections::default();
        let rows = [
            ("Rape of a female:", true, Row::Heading),
            ("Under 13", false, Row::Under("Rape of a female:")),
            ("Rape of a male", true, Row::Heading),
            ("- under 13", false, Row::Under("Rape of a male")),
            ("- under 16", false, Row::Under("Rape of a male")),
            ("Sexual grooming", false, Row::Alone),
            // A figureless row that heads nothing is a row like any other.
            ("Incest", true, Row::Alone),
            // A subtotal over marked rows heads them, and is read itself.
            ("Rape of a child", false, Row::HeadingWithFigures),
            ("– Female under 13", false, Row::Under("Rape of a child")),
            ("  Male under 13", false, Row::Under("Rape of a child")),
            ("Sexual grooming", false, Row::Alone),
        ];
        for (i, (label, figureless, want)) in rows.iter().enumerate() {
            let next = rows.get(i + 1).map(|r| r.0);
            assert_eq!(s.read(label, *figureless, next), *want, "{label}");
        }
    }

    #[test]
    fn a_group_column_heads_before_a_section() {
        let both = over(Some("Rape"), Some("Female:".into())).expect("heads");
        assert_eq!(
            qualify(&both, "- aged under 13"),
            "Rape - Female - aged under 13"
        );
        assert_eq!(over(Some("Rape"), None).as_deref(), Some("Rape"));
        assert_eq!(
            over(None, Some("Female:".into())).as_deref(),
            Some("Female:")
        );
        assert_eq!(over(None, None), None);
    }

    #[test]
    fn a_row_under_a_heading_reads_as_heading_then_label() {
        assert_eq!(
            qualify("Rape of a female:", "- aged under 13"),
            "Rape of a female - aged under 13"
        );
        assert_eq!(
            qualify("Residential - home:", "Attempted"),
            "Residential - home - Attempted"
        );
        assert_eq!(qualify(" Rape ", "  • Under 13 "), "Rape - Under 13");
    }
}
