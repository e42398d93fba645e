//! A small campaign for the figures' unit tests, resolved by the model from
//! text as the binary's is: four forces, two requests a year apart,
//! offences (a, b), an overlapping group dimension, ages, and how the
//! online element was found.

use foi_model::config::{Config, ConfigFiles};
use foi_model::{
    ConfigError, Count, DimId, DimValue, ForceId, Forces, Interval, Lineage, Period, Record, Unit,
};
use std::collections::BTreeSet;

const FORCES: &str = "code,id,name,aliases
E1,alpha,Alpha Police,
E2,beta,Beta Police,
E3,gamma,Gamma Police,
E4,delta,Delta Police,
";

const CAMPAIGN: &str = r#"
id = "test"
title = "Test campaign"
unit = "offences"
breakdowns = [["offence"], ["age"], ["group"]]

[headline]
age = "age"

[[request]]
id = "y1"
title = "Year one"
period = { from = 2015-04-01, to = 2016-03-31 }

[[request]]
id = "y2"
title = "Year two"
period = { from = 2016-04-01, to = 2017-03-31 }

[[dimension]]
id = "offence"
title = "Offence"
kind = "code"
values = ["a", "b"]

[[dimension]]
id = "group"
title = "Group and sub-group"
kind = "code"
values = ["all", "part"]
overlapping = true

[[dimension]]
id = "age"
title = "Age"
kind = "age"

[[dimension]]
id = "online_method"
title = "How the online element was found"
kind = "code"
values = ["cyber_flag", "keyword_search"]
"#;

struct NoFiles;

impl ConfigFiles for NoFiles {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        Err(ConfigError::file(rel, "no files in these tests"))
    }
}

/// A response that answered `requests`, reading one value column, with
/// `extra` lines (a unit, a period, fixed definitions, `status =
/// "partial"`). `force` `None` is a national table.
pub fn answered(force: Option<&str>, requests: &[&str], extra: &str) -> String {
    let force = force
        .map(|f| format!("force = \"{f}\"\n"))
        .unwrap_or_default();
    let status = if extra.contains("status =") {
        ""
    } else {
        "status = \"answered\"\n"
    };
    // A national table names the force on each row.
    let force_column = if force.is_empty() {
        "{ header = 'force', role = \"force\" }, "
    } else {
        ""
    };
    format!(
        "{force}requests = [{}]\n{status}{extra}\nsource = {{ path = \"reply.csv\" }}\n\n[[table]]\nheader = 'x'\ncolumn = [{force_column}{{ header = 'x', role = \"value\", request = \"{}\" }}]\n",
        requests
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", "),
        requests[0]
    )
}

/// A response with no figures: `status` is its lines ("status =
/// \"refused\"\nsection = \"s.12\"").
pub fn declined(force: &str, status: &str) -> String {
    format!("force = \"{force}\"\nrequests = [\"y1\", \"y2\"]\n{status}\n")
}

/// The campaign with these responses: (file stem, text).
pub fn config(responses: &[(&str, String)]) -> Config {
    config_as("", responses)
}

/// [`config`], with `top` (top-level keys: `forces = [...]`, `measure =
/// {...}`) added to the campaign.
pub fn config_as(top: &str, responses: &[(&str, String)]) -> Config {
    let campaign = CAMPAIGN.replacen("\nbreakdowns", &format!("\n{top}\nbreakdowns"), 1);
    let forces = Forces::from_csv("forces.csv", FORCES).expect("forces");
    let files: Vec<(String, String)> = responses
        .iter()
        .map(|(k, t)| (format!("responses/{k}.toml"), t.clone()))
        .collect();
    Config::from_texts(
        forces,
        &BTreeSet::new(),
        ("campaign.toml", &campaign),
        &files,
        &NoFiles,
    )
    .unwrap_or_else(|e| panic!("config: {e:?}"))
}

/// The period of a request in [`CAMPAIGN`].
pub fn period(request: &str) -> Period {
    let (from, to) = match request {
        "y1" => ((2015, 4, 1), (2016, 3, 31)),
        _ => ((2016, 4, 1), (2017, 3, 31)),
    };
    let d =
        |(y, m, day): (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("a date");
    Period::new(d(from), d(to)).expect("a period")
}

/// A record of `force` for `request`, with `dims`, counting `lo..=hi`.
pub fn record(force: &str, request: &str, dims: &[(&str, DimValue)], lo: u64, hi: u64) -> Record {
    Record {
        force: ForceId(force.into()),
        campaign: "test".into(),
        request: request.into(),
        period: period(request),
        covered: None,
        dims: dims
            .iter()
            .map(|(d, v)| (DimId::new(d), v.clone()))
            .collect(),
        unit: Unit("offences".into()),
        count: Count {
            interval: Interval::new(lo, hi),
            text: if lo == hi {
                lo.to_string()
            } else {
                format!("{lo} to {hi}")
            },
        },
        lineage: Lineage {
            sha256: format!("sha-{force}"),
            file: format!("{force}.csv"),
            sheet: None,
            cells: Vec::new(),
            page: None,
            narrowed_by: Vec::new(),
        },
    }
}

/// `DimValue::Code`.
pub fn code(s: &str) -> DimValue {
    DimValue::Code(s.into())
}
