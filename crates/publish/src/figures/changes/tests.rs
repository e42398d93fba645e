//! The comparison's rules, each on two small releases built by hand.

use super::*;

fn figure(id: &str, lo: u64, hi: u64, forces: u64) -> FigureState {
    let (request, rest) = id.split_once('/').expect("request/figure");
    FigureState {
        figure_id: id.to_string(),
        request: request.to_string(),
        breakdown: rest.split('=').next().unwrap_or(rest).to_string(),
        total: Interval::new(lo, hi),
        forces,
        flagged: Vec::new(),
    }
}

fn part(n: u64) -> Part {
    Part {
        interval: Interval::point(n),
        flagged: false,
    }
}

fn answered() -> CoverageState {
    CoverageState {
        status: "answered".into(),
        included: true,
        flagged: false,
        reason: String::new(),
        reason_code: Vec::new(),
    }
}

fn source(force: &str, sha: &str) -> SourceState {
    SourceState {
        key: force.into(),
        force: force.into(),
        source: format!("replies/{force}.csv"),
        sha256: Some(sha.into()),
        stale: false,
        fetched_at: Some("2026-11-28T06:15:02Z".into()),
        error: None,
    }
}

fn response(force: &str, crosswalk: &str) -> ResponseState {
    ResponseState {
        key: force.into(),
        force: force.into(),
        file: format!("responses/{force}.toml"),
        sha256: format!("config of {force}"),
        crosswalk_sha256: crosswalk.into(),
    }
}

fn record(force: &str, sha: &str, id: &str, text: &str, cell: &str) -> RecordState {
    RecordState {
        record_id: format!("y1/{force}/{id}"),
        request: "y1".into(),
        force: force.into(),
        text: text.into(),
        interval: Interval::ZERO,
        sha256: sha.into(),
        source: format!("replies/{force}.csv"),
        sheet: String::new(),
        cells: cell.into(),
    }
}

/// Alpha gave 10 (6 of offence a, 4 of b), beta 5 (all a).
fn base(run: &str) -> Snapshot {
    let mut parts = BTreeMap::new();
    parts.insert(
        "y1/total".to_string(),
        [
            ("alpha".to_string(), part(10)),
            ("beta".to_string(), part(5)),
        ]
        .into(),
    );
    parts.insert(
        "y1/offence=a".to_string(),
        [
            ("alpha".to_string(), part(6)),
            ("beta".to_string(), part(5)),
        ]
        .into(),
    );
    parts.insert(
        "y1/offence=b".to_string(),
        [("alpha".to_string(), part(4))].into(),
    );
    Snapshot {
        scale: foi_model::Scale::COUNT,
        facts: Facts {
            run_id: run.into(),
            campaign: "test".into(),
            foi_build: Some("build-1".into()),
            campaign_sha256: Some("campaign-1".into()),
            sources: vec![source("alpha", "a1"), source("beta", "b1")],
            responses: Some(vec![response("alpha", "cw-a"), response("beta", "cw-b")]),
            crosswalks: Some(vec![CrosswalkLine {
                file: "config/crosswalks/offences.csv".into(),
                label: "Grooming".into(),
                force: Some("beta".into()),
                value: "a".into(),
                line: 4,
            }]),
        },
        figures: vec![
            figure("y1/total", 15, 15, 2),
            figure("y1/offence=a", 11, 11, 2),
            figure("y1/offence=b", 4, 4, 1),
        ],
        parts,
        breakdown_parts: true,
        coverage: [
            (("alpha".to_string(), "y1".to_string()), answered()),
            (("beta".to_string(), "y1".to_string()), answered()),
        ]
        .into(),
        records: Vec::new(),
    }
}

fn set(s: &mut Snapshot, figure: &str, force: &str, n: Option<u64>) {
    let parts = s.parts.entry(figure.to_string()).or_default();
    match n {
        Some(n) => {
            parts.insert(force.to_string(), part(n));
        }
        None => {
            parts.remove(force);
        }
    }
    let total: u64 = parts.values().map(|p| p.interval.lo).sum();
    let forces = parts.len() as u64;
    match s.figures.iter_mut().find(|f| f.figure_id == figure) {
        Some(f) => {
            f.total = Interval::point(total);
            f.forces = forces;
        }
        None => s.figures.push(self::figure(figure, total, total, forces)),
    }
    s.figures.retain(|f| f.forces > 0);
}

fn kinds(c: &[Cause]) -> Vec<&'static str> {
    c.iter()
        .map(|c| match c {
            Cause::Build { .. } => "build",
            Cause::CampaignConfig { .. } => "campaign_config",
            Cause::Source(_) => "source",
            Cause::Response { .. } => "response",
            Cause::Crosswalk { .. } => "crosswalk",
            Cause::Coverage { .. } => "coverage",
            Cause::Unknown { .. } => "unknown",
        })
        .collect()
}

#[test]
fn the_same_release_twice_has_no_changes() {
    let a = base("r1");
    let mut b = base("r2");
    // A later fetch confirming the same bytes is no change.
    b.facts.sources[0].fetched_at = Some("2026-12-01T06:15:02Z".into());
    let c = compare(Some(&a), &b);
    assert!(c.figures.is_empty(), "{:?}", c.figures);
    assert!(c.general.is_empty() && c.forces.is_empty(), "{c:?}");
    assert_eq!(c.line(), "no national figure changed since release r1");
}

#[test]
fn a_revised_reply_names_the_force_its_cells_and_the_figures_it_moved() {
    let mut a = base("r1");
    let mut b = base("r2");
    b.facts.sources[0].sha256 = Some("a2".into());
    set(&mut b, "y1/offence=b", "alpha", Some(6));
    set(&mut b, "y1/total", "alpha", Some(12));
    a.records = vec![
        record("alpha", "a1", "offence=a", "6", "line 2, field 2"),
        record("alpha", "a1", "offence=b", "<5", "line 3, field 2"),
        record("alpha", "a1", "total", "10", "line 4, field 2"),
    ];
    b.records = vec![
        record("alpha", "a2", "offence=a", "6", "line 2, field 2"),
        record("alpha", "a2", "offence=b", "6", "line 3, field 2"),
        record("alpha", "a2", "total", "12", "line 4, field 2"),
    ];
    assert_eq!(
        changed_sources(&a, &b),
        (["a1".to_string()].into(), ["a2".to_string()].into())
    );
    let c = compare(Some(&a), &b);
    let figures: Vec<String> = c.figures.iter().map(FigureChange::line).collect();
    assert_eq!(
        figures,
        vec!["y1 total 15 → 17 (+2)", "y1 offence=b 4 → 6 (+2)"]
    );
    assert!(c.revised("y1/total") && c.revised("y1/offence=b"));
    assert!(!c.revised("y1/offence=a"));
    let parts = c.figures[1].parts.as_ref().expect("parts known");
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].line(), "alpha 4 → 6 (+2)");
    assert!(c.general.is_empty());
    assert_eq!(c.forces.len(), 1);
    let alpha = &c.forces[0];
    assert!(alpha.moved);
    assert_eq!(kinds(&alpha.causes), vec!["source"]);
    let Cause::Source(s) = &alpha.causes[0] else {
        unreachable!()
    };
    let cells: Vec<String> = s.cells.iter().map(words::cell_line).collect();
    assert_eq!(
        cells,
        vec![
            "line 3, field 2: \"<5\" → \"6\" (y1/alpha/offence=b)",
            "line 4, field 2: \"10\" → \"12\" (y1/alpha/total)",
        ]
    );
    assert_eq!(
        c.line(),
        "2 national figures changed since release r1: y1 total 15 → 17 (+2): alpha's reply revised (2 cells)"
    );
}

#[test]
fn a_crosswalk_line_is_a_cause_only_for_the_forces_it_can_apply_to() {
    let a = base("r1");
    let mut b = base("r2");
    // Beta's "Grooming" now means b: its 5 move from a to b.
    b.facts.crosswalks.as_mut().expect("lines")[0].value = "b".into();
    b.facts.responses.as_mut().expect("responses")[1].crosswalk_sha256 = "cw-b2".into();
    set(&mut b, "y1/offence=a", "beta", None);
    set(&mut b, "y1/offence=b", "beta", Some(5));
    let c = compare(Some(&a), &b);
    let figures: Vec<String> = c.figures.iter().map(FigureChange::line).collect();
    assert_eq!(
        figures,
        vec!["y1 offence=a 11 → 6 (-5)", "y1 offence=b 4 → 9 (+5)"]
    );
    assert_eq!(c.forces.len(), 1, "{:?}", c.forces);
    assert_eq!(c.forces[0].force, "beta");
    assert_eq!(
        c.forces[0].causes[0].short(Some("beta")),
        "a crosswalk line that applies to beta changed: offences.csv line 4 \"Grooming\" (beta): a → b"
    );
    assert_eq!(
        c.why(&c.figures[0]),
        vec!["a crosswalk line that applies to beta changed: offences.csv line 4 \"Grooming\" (beta): a → b"]
    );
}

#[test]
fn a_force_now_refused_is_left_out_of_every_figure_it_was_in() {
    let a = base("r1");
    let mut b = base("r2");
    b.facts.sources.retain(|s| s.force != "alpha");
    b.facts.responses.as_mut().expect("responses")[0].sha256 = "refused now".into();
    b.coverage.insert(
        ("alpha".into(), "y1".into()),
        CoverageState {
            status: "refused (s.12)".into(),
            included: false,
            flagged: false,
            reason: "refused (s.12)".into(),
            reason_code: vec!["refused".into()],
        },
    );
    for f in ["y1/total", "y1/offence=a", "y1/offence=b"] {
        set(&mut b, f, "alpha", None);
    }
    let c = compare(Some(&a), &b);
    let figures: Vec<String> = c.figures.iter().map(FigureChange::line).collect();
    assert_eq!(
        figures,
        vec![
            "y1 total 15 → 5 (-10)",
            "y1 offence=a 11 → 5 (-6)",
            "y1 offence=b withdrawn (was 4)"
        ]
    );
    assert_eq!(c.figures[2].change, ChangeKind::Withdrawn);
    let alpha = c.force("alpha").expect("alpha");
    assert_eq!(kinds(&alpha.causes), vec!["source", "response", "coverage"]);
    let said: Vec<String> = alpha
        .causes
        .iter()
        .map(|x| x.short(Some("alpha")))
        .collect();
    assert_eq!(
        said,
        vec![
            "alpha's reply no longer read (replies/alpha.csv)",
            "alpha's response config changed (alpha.toml)",
            "alpha y1 now refused (s.12), not added (was answered, added)",
        ]
    );
}

#[test]
fn what_an_older_release_does_not_record_is_unknown_never_guessed() {
    let mut a = base("r1");
    a.facts.responses = None;
    a.facts.crosswalks = None;
    a.facts.campaign_sha256 = None;
    // Before contributions were published: each force's total only.
    a.breakdown_parts = false;
    a.parts.retain(|k, _| k.ends_with("/total"));
    let mut b = base("r2");
    set(&mut b, "y1/offence=b", "alpha", Some(6));
    set(&mut b, "y1/total", "alpha", Some(12));
    let c = compare(Some(&a), &b);
    assert_eq!(kinds(&c.general), vec!["unknown"]);
    assert!(c.general[0]
        .short(None)
        .starts_with("unknown whether the campaign's config"));
    // The total's parts are known; the breakdown's are not.
    assert!(c.figures[0].parts.is_some());
    assert_eq!(c.figures[1].parts, None);
    let alpha = c.force("alpha").expect("alpha");
    assert_eq!(kinds(&alpha.causes), vec!["unknown"]);
    let why = c.why(&c.figures[1]);
    assert_eq!(
        why[0],
        "each force's part of it is not recorded in release r1"
    );
    assert!(
        why[1].starts_with("unknown whether alpha's response config"),
        "{why:?}"
    );
}

#[test]
fn a_first_release_says_so() {
    let c = compare(None, &base("r1"));
    assert_eq!(c.previous, None);
    assert!(c.figures.is_empty());
    assert_eq!(
        c.line(),
        "the first release of test: nothing earlier to compare with"
    );
    assert!(c.description().starts_with("This is the first release"));
}

#[test]
fn a_new_build_bears_on_every_figure_and_a_stale_source_alone_moves_none() {
    let a = base("r1");
    let mut b = base("r2");
    b.facts.foi_build = Some("build-2".into());
    b.facts.sources[1].stale = true;
    b.facts.sources[1].error = Some("the server answered 503".into());
    set(&mut b, "y1/total", "alpha", Some(11));
    let c = compare(Some(&a), &b);
    assert_eq!(kinds(&c.general), vec!["build"]);
    assert_eq!(
        c.why(&c.figures[0]),
        vec![
            "nothing recorded of alpha's own changed",
            "foi's build changed"
        ]
    );
    let beta = c.force("beta").expect("beta");
    assert!(!beta.moved);
    assert_eq!(
        beta.causes[0].short(Some("beta")),
        "beta's reply now stale (the last fetch failed: the server answered 503)"
    );
}

#[test]
fn a_new_breakdown_value_is_a_new_figure_with_the_forces_that_gave_it() {
    let a = base("r1");
    let mut b = base("r2");
    // Alpha now counts 3 of offence c, which no force gave before.
    b.facts.sources[0].sha256 = Some("a2".into());
    set(&mut b, "y1/offence=c", "alpha", Some(3));
    set(&mut b, "y1/total", "alpha", Some(13));
    let c = compare(Some(&a), &b);
    let figures: Vec<String> = c.figures.iter().map(FigureChange::line).collect();
    assert_eq!(
        figures,
        vec!["y1 total 15 → 18 (+3)", "y1 offence=c new: 3"]
    );
    assert_eq!(c.figures[1].change, ChangeKind::New);
    // Not revised: it was not published before.
    assert!(!c.revised("y1/offence=c"));
    let parts = c.figures[1].parts.as_ref().expect("parts");
    assert_eq!(parts[0].line(), "alpha no part → 3");
    assert_eq!(
        c.description(),
        "Compared with release r1, which this release replaced: 2 national figures changed (1 revised, 1 new)."
    );
}

fn rows(header: &[&str], rows: &[&[&str]]) -> Rows {
    Rows {
        header: header.iter().map(|s| s.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
    }
}

/// A measure's release writes every figure at its places ("122406.450850"):
/// read back, the figures are the same whole steps they were written from,
/// and the release says its scale.
fn measure_tables(lo: &str) -> BTreeMap<String, Rows> {
    let national = rows(
        &[
            "figure_id",
            "request",
            "breakdown",
            "lo",
            "hi",
            "forces",
            "flagged_forces",
        ],
        &[&["sep-2019/total", "sep-2019", "total", lo, lo, "43", ""]],
    );
    let by_force = rows(
        &["request", "force_id", "lo", "hi", "flagged"],
        &[&["sep-2019", "kent", "3552.570200", "3552.570200", "false"]],
    );
    let coverage = rows(
        &[
            "force_id",
            "request",
            "status",
            "included",
            "flagged",
            "reason",
            "reason_code",
        ],
        &[],
    );
    [
        ("national".to_string(), national),
        ("by_force".to_string(), by_force),
        ("coverage".to_string(), coverage),
    ]
    .into()
}

#[test]
fn a_measures_release_reads_back_at_its_places() {
    let s = Snapshot::from_rows(base("r1").facts, &measure_tables("122406.450850")).expect("reads");
    let six = foi_model::Scale::measure(6).expect("six places");
    assert_eq!(s.scale, six);
    assert_eq!(s.figures[0].total, Interval::point(122_406_450_850));
    assert_eq!(
        s.parts["sep-2019/total"]["kent"].interval,
        Interval::point(3_552_570_200)
    );
    // A count's release has no places.
    let counts = rows(
        &[
            "figure_id",
            "request",
            "breakdown",
            "lo",
            "hi",
            "forces",
            "flagged_forces",
        ],
        &[&["y1/total", "y1", "total", "5653", "5653", "44", ""]],
    );
    let mut tables = measure_tables("1");
    tables.insert("national".into(), counts);
    tables.insert(
        "by_force".into(),
        rows(&["request", "force_id", "lo", "hi", "flagged"], &[]),
    );
    assert_eq!(
        Snapshot::from_rows(base("r1").facts, &tables)
            .expect("reads")
            .scale,
        foi_model::Scale::COUNT
    );
}

/// Figures kept to other places are other numbers: two such releases are
/// said to be incomparable, never compared step for step.
#[test]
fn releases_at_other_places_are_not_compared() {
    let a = Snapshot::from_rows(base("r1").facts, &measure_tables("122406.450850")).expect("six");
    let b = Snapshot::from_rows(base("r2").facts, &measure_tables("122406.45085")).expect("five");
    let c = compare(Some(&a), &b);
    assert!(c.figures.is_empty());
    let why = c.unreadable.expect("said");
    assert!(
        why.contains("6 decimal places and this release to 5"),
        "{why}"
    );
    // The same places: the measure compares and shows at its places.
    let b = Snapshot::from_rows(base("r2").facts, &measure_tables("122406.950850")).expect("six");
    let c = compare(Some(&a), &b);
    assert_eq!(c.figures.len(), 1);
    assert_eq!(
        c.figures[0].line(),
        "sep-2019 total 122,406.45085 → 122,406.95085 (+0.5)"
    );
}

/// A national table's config moves every force's part: the forces whose
/// own records are unchanged are one line, not one each.
#[test]
fn many_forces_with_nothing_of_their_own_changed_are_one_line() {
    let mut a = base("r1");
    let mut b = base("r2");
    for s in [&mut a, &mut b] {
        let parts = s.parts.get_mut("y1/total").expect("total");
        for f in ["gamma", "delta", "epsilon"] {
            parts.insert(f.to_string(), part(1));
        }
    }
    for p in b.parts.get_mut("y1/total").expect("total").values_mut() {
        p.interval = Interval::point(p.interval.lo + 1);
    }
    b.figures[0].total = Interval::point(b.figures[0].total.lo + 5);
    b.facts.foi_build = Some("another".into());
    let c = compare(Some(&a), &b);
    let why = c.why(&c.figures[0]);
    assert_eq!(
        why,
        vec![
            "nothing recorded of their own changed for 5 forces (alpha, beta, delta and 2 more)",
            "foi's build changed"
        ],
        "{why:?}"
    );
}
