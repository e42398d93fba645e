//! The headline: what a researcher quotes from a release.

use super::coverage::{CoverageRow, Reason};
use super::national::Figure;
use foi_model::config::Config;
use foi_model::{DimValue, ForceId, Interval, Scale};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct AgeFacts {
    /// The exact age with the most victims, with its count.
    pub most_common: Option<(u8, Interval)>,
    /// Victims whose age (or band) lies under `under`.
    pub under: (u8, Interval),
    pub youngest: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct RequestHeadline {
    pub request: String,
    pub title: String,
    pub total: Interval,
    pub forces: usize,
    pub flagged: Vec<ForceId>,
    /// The forces not added, and why.
    pub excluded: Vec<(ForceId, Reason)>,
    /// One line for each kind of gap the config did not already declare,
    /// naming every force it touches: "24 forces not added, no row in the
    /// national source: avon-and-somerset, bedfordshire, …". Empty when
    /// every gap is one the config declares.
    pub undeclared: Vec<String>,
    pub ages: Option<AgeFacts>,
}

#[derive(Debug, Clone)]
pub struct Headline {
    pub campaign: String,
    pub unit: String,
    /// Whole counts, or a measure's places: how every figure is shown.
    pub scale: Scale,
    pub requests: Vec<RequestHeadline>,
}

pub fn headline(config: &Config, figures: &[Figure], coverage: &[CoverageRow]) -> Headline {
    let campaign = &config.campaign;
    let requests = campaign
        .requests
        .iter()
        .map(|req| {
            let total = figures
                .iter()
                .find(|f| f.request == req.id && f.breakdown.is_empty());
            let rows: Vec<&CoverageRow> = coverage.iter().filter(|c| c.request == req.id).collect();
            let ages = campaign.headline_age.as_ref().map(|age_dim| {
                let by_age: Vec<(&DimValue, Interval)> = figures
                    .iter()
                    .filter(|f| {
                        f.request == req.id
                            && f.breakdown.len() == 1
                            && &f.breakdown[0].0 == age_dim
                    })
                    .map(|f| (&f.breakdown[0].1, f.total))
                    .collect();
                age_facts(&by_age, 10)
            });
            RequestHeadline {
                request: req.id.clone(),
                title: req.title.clone(),
                total: total.map(|f| f.total).unwrap_or(Interval::ZERO),
                forces: rows.iter().filter(|c| c.included).count(),
                flagged: rows
                    .iter()
                    .filter(|c| c.flagged)
                    .map(|c| c.force.clone())
                    .collect(),
                excluded: rows
                    .iter()
                    .filter(|c| !c.included)
                    .flat_map(|c| c.reasons.iter().map(|r| (c.force.clone(), r.clone())))
                    .collect(),
                undeclared: undeclared(&rows),
                ages,
            }
        })
        .collect();
    Headline {
        campaign: campaign.title.clone(),
        unit: campaign.unit.to_string(),
        scale: campaign.scale,
        requests,
    }
}

/// The gaps the config did not declare, a line for each kind: the forces
/// not added first, then those added but flagged, each kind in the order
/// its first force comes.
pub fn undeclared(rows: &[&CoverageRow]) -> Vec<String> {
    let mut order: Vec<(bool, &'static str)> = Vec::new();
    let mut found: BTreeMap<(bool, &'static str), (&'static str, Vec<&str>)> = BTreeMap::new();
    for c in rows {
        for r in c.undeclared() {
            let key = (c.included, r.code());
            let e = found.entry(key).or_insert_with(|| {
                order.push(key);
                (r.summary(), Vec::new())
            });
            if !e.1.contains(&c.force.0.as_str()) {
                e.1.push(&c.force.0);
            }
        }
    }
    order.sort_by_key(|(included, _)| *included);
    order
        .into_iter()
        .map(|key| {
            let (summary, forces) = &found[&key];
            let n = forces.len();
            format!(
                "{n} {} {}, {summary}: {}",
                if n == 1 { "force" } else { "forces" },
                if key.0 {
                    "added but flagged"
                } else {
                    "not added"
                },
                forces.join(", ")
            )
        })
        .collect()
}

/// Facts about ages from a by-age table mixing exact ages and bands.
pub fn age_facts(by_age: &[(&DimValue, Interval)], under: u8) -> AgeFacts {
    let mut most: Option<(u8, Interval)> = None;
    let mut under_total = Interval::ZERO;
    let mut youngest: Option<u8> = None;
    for (v, n) in by_age {
        if let DimValue::Age(a) = v {
            if most.is_none_or(|(_, m)| n.lo > m.lo) {
                most = Some((*a, *n));
            }
            if n.lo > 0 {
                youngest = Some(youngest.map_or(*a, |y| y.min(*a)));
            }
        }
        if let Some((lo, hi)) = v.age_range() {
            if hi < under {
                under_total += *n;
            } else if lo < under {
                // A band straddling the line: anywhere from none to all of it.
                under_total += Interval::new(0, n.hi);
            }
        }
    }
    AgeFacts {
        most_common: most,
        under: (under, under_total),
        youngest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::testing::{answered, config, declined, record};
    use crate::figures::{assemble, Finding, Gaps};

    #[test]
    fn a_national_source_that_leaves_forces_out_says_so_in_the_headline() {
        let c = config(&[("national", answered(None, &["y1"], ""))]);
        let records = vec![record("alpha", "y1", &[], 5, 5)];
        let mut gaps = Gaps::default();
        gaps.findings.insert(
            (ForceId("beta".into()), Some("y1".into())),
            BTreeMap::from([(Finding::NotAvailable, 2)]),
        );
        let h = assemble(&c, &records, &[], &[], &gaps).headline;
        let y1 = &h.requests[0];
        assert_eq!(y1.forces, 1);
        assert_eq!(
            y1.undeclared,
            vec![
                "1 force not added, every figure marked not available in the source: beta",
                "2 forces not added, no row in the national source: gamma, delta",
            ]
        );
        // y2 was not asked of anyone: nothing undeclared about it.
        assert!(h.requests[1].undeclared.is_empty());
        assert_eq!(h.requests[1].excluded.len(), 4);
    }

    #[test]
    fn declared_gaps_make_no_headline_lines() {
        let c = config(&[
            (
                "alpha",
                answered(Some("alpha"), &["y1", "y2"], "status = \"partial\""),
            ),
            (
                "beta",
                declined("beta", "status = \"refused\"\nsection = \"s.12\""),
            ),
        ]);
        let records = vec![
            record("alpha", "y1", &[], 5, 5),
            record("alpha", "y2", &[], 5, 5),
        ];
        let h = assemble(&c, &records, &[], &[], &Gaps::default()).headline;
        for r in &h.requests {
            assert!(r.undeclared.is_empty(), "{:?}", r.undeclared);
            assert_eq!(r.flagged, vec![ForceId("alpha".into())]);
        }
    }

    #[test]
    fn flagged_forces_the_config_did_not_expect_come_after_those_left_out() {
        let c = config(&[
            ("alpha", answered(Some("alpha"), &["y1"], "")),
            ("beta", answered(Some("beta"), &["y1"], "")),
        ]);
        let records = vec![record("alpha", "y1", &[], 5, 5)];
        let mut gaps = Gaps::default();
        gaps.stale.insert("alpha".into(), String::new());
        let h = assemble(&c, &records, &[], &[], &gaps).headline;
        assert_eq!(
            h.requests[0].undeclared,
            vec![
                "1 force not added, no figures could be read: beta",
                "1 force added but flagged, the last fetch failed; figures from the last good copy: alpha",
            ]
        );
    }

    #[test]
    fn age_facts_read_exact_ages_and_bands() {
        let (a12, a13, band) = (
            DimValue::Age(12),
            DimValue::Age(13),
            DimValue::AgeBand {
                lo: 8,
                hi: Some(11),
            },
        );
        let facts = age_facts(
            &[
                (&a12, Interval::point(4)),
                (&a13, Interval::new(6, 9)),
                (&band, Interval::new(1, 4)),
            ],
            10,
        );
        assert_eq!(facts.most_common, Some((13, Interval::new(6, 9))));
        assert_eq!(facts.youngest, Some(12));
        // A band straddling 10 counts anywhere from none to all of it.
        assert_eq!(facts.under, (10, Interval::new(0, 4)));
    }
}
