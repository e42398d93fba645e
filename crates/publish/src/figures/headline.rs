//! The headline: what a researcher quotes from a release.

use super::coverage::CoverageRow;
use super::national::Figure;
use foi_model::config::Config;
use foi_model::{DimValue, ForceId, Interval};

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
    pub excluded: Vec<(ForceId, String)>,
    pub ages: Option<AgeFacts>,
}

#[derive(Debug, Clone)]
pub struct Headline {
    pub campaign: String,
    pub unit: String,
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
                    .map(|c| (c.force.clone(), c.reason.clone()))
                    .collect(),
                ages,
            }
        })
        .collect();
    Headline {
        campaign: campaign.title.clone(),
        unit: campaign.unit.to_string(),
        requests,
    }
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
