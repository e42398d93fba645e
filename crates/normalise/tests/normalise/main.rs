//! Integration tests of foi-normalise: the bad-input corpus in
//! fixtures/bad/ and long-running property tests ("fuzzing") of the value
//! parser, the table detector, and the csv and sniffing paths. One test
//! binary for the crate; each module covers one part.

mod bad;
mod corpus;
mod detect;
mod fuzz;
mod layouts;
mod records;
mod silent;
mod suggest;

use foi_model::config::{Config, ConfigFiles, Response};
use foi_model::{ConfigError, Forces, Limits};
use foi_normalise::{normalise, Input, Normalised};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

struct CampaignDir(PathBuf);

impl ConfigFiles for CampaignDir {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        // Shown as the foi binary shows it: relative to the workspace root.
        let shown = format!("config/campaigns/nspcc-online-csa/{rel}");
        std::fs::read_to_string(self.0.join(rel))
            .map(|t| (shown.clone(), t))
            .map_err(|e| ConfigError::file(shown, e.to_string()))
    }
}

/// The one response every bad file is read as: Surrey's, a table headed
/// "Offence" with a count column "Offences", for 2016/17.
pub fn response_toml(source: &str) -> String {
    format!(
        r#"force = "surrey"
requests = ["fy-2016-17"]
status = "answered"
fixed = {{ online_method = "cyber_flag" }}
source = {{ path = "{source}" }}

[[table]]
header = '^Offence$'
request = "fy-2016-17"
column = [
  {{ header = '^Offence$', role = "label", dim = "offence" }},
  {{ header = '^Offences$', role = "value" }},
]
"#
    )
}

/// The bundled campaign's config with one response read from `source`.
pub fn config(source: &str) -> Config {
    config_with("responses/surrey.toml", &response_toml(source))
}

/// The bundled campaign's config with one response, written as `toml`.
pub fn config_with(name: &str, toml: &str) -> Config {
    let r = root();
    let forces = Forces::from_csv(
        "forces.csv",
        &std::fs::read_to_string(r.join("config/reference/forces.csv")).expect("forces"),
    )
    .expect("forces parse")
    .with_areas(
        foi_model::Areas::from_csv(
            "areas.csv",
            &std::fs::read_to_string(r.join("config/reference/areas.csv")).expect("areas"),
        )
        .expect("areas parse"),
    );
    let offences = foi_model::config::offence_categories(
        "offences.csv",
        &std::fs::read_to_string(r.join("config/reference/offences.csv")).expect("offences"),
    )
    .expect("offences parse");
    let dir = r.join("config/campaigns/nspcc-online-csa");
    let campaign = std::fs::read_to_string(dir.join("campaign.toml")).expect("campaign");
    Config::from_texts(
        forces,
        &offences,
        ("campaign.toml", &campaign),
        &[(name.to_string(), toml.to_string())],
        &CampaignDir(dir),
    )
    .unwrap_or_else(|e| panic!("config: {e:?}"))
}

pub fn response(config: &Config) -> &Response {
    config.responses.first().expect("the response")
}

pub fn read(config: &Config, bytes: &[u8], limits: &Limits) -> Normalised {
    normalise(&Input {
        campaign: &config.campaign,
        forces: &config.forces,
        response: response(config),
        bytes,
        sha256: "0",
        limits,
    })
}
