//! Reading a campaign's config files from disk and handing their text to
//! the model, which resolves and checks them.

use anyhow::{bail, Context, Result};
use foi_model::config::{Config, ConfigFiles};
use foi_model::{ConfigError, Forces};
use std::path::{Path, PathBuf};

pub struct Dirs {
    /// The folder holding config/, fixtures/, cache/ and out/.
    pub root: PathBuf,
    pub config: PathBuf,
    pub campaign: PathBuf,
}

struct CampaignDir<'a>(&'a Path, &'a Path);

impl ConfigFiles for CampaignDir<'_> {
    fn campaign_file(&self, rel: &str) -> Result<(String, String), ConfigError> {
        let path = self.0.join(rel);
        let shown = display(self.1, &path);
        std::fs::read_to_string(&path)
            .map(|t| (shown.clone(), t))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ConfigError::file(shown, "file does not exist"),
                _ => ConfigError::file(shown, format!("cannot read: {e}")),
            })
    }
}

/// A path as the user should see it: relative to the root when inside it.
pub fn display(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// Where a config file lies that [`display`] showed as `shown`: under the
/// root when the config folder was given as a path inside it, else as
/// given (absolute, or from the working folder).
pub fn shown_path(dirs: &Dirs, shown: &str) -> PathBuf {
    let p = Path::new(shown);
    if dirs.config.is_absolute() && p.is_relative() {
        dirs.root.join(p)
    } else {
        p.to_path_buf()
    }
}

/// Campaigns are the folders under config/campaigns with a campaign.toml.
pub fn campaigns(config_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(config_dir.join("campaigns"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().join("campaign.toml").is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

pub fn resolve_dirs(config_dir: &Path, campaign: Option<&str>) -> Result<Dirs> {
    let config = config_dir.to_path_buf();
    let root = config
        .canonicalize()
        .with_context(|| format!("config folder {} not found", config.display()))?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let all = campaigns(&config);
    let id = match campaign {
        Some(c) => c.to_string(),
        None if all.len() == 1 => all[0].clone(),
        None if all.iter().any(|c| c == "nspcc-online-csa") => "nspcc-online-csa".to_string(),
        None => bail!(
            "say which campaign with --campaign (found: {})",
            all.join(", ")
        ),
    };
    if !all.contains(&id) {
        bail!(
            "no campaign {id:?} in {} (found: {})",
            config.join("campaigns").display(),
            all.join(", ")
        );
    }
    Ok(Dirs {
        campaign: config.join("campaigns").join(&id),
        root,
        config,
    })
}

pub fn load(dirs: &Dirs) -> Result<Config, Vec<ConfigError>> {
    let read = |p: &Path| -> Result<String, ConfigError> {
        std::fs::read_to_string(p)
            .map_err(|e| ConfigError::file(display(&dirs.root, p), format!("cannot read: {e}")))
    };
    let one = |e| vec![e];
    let forces_path = dirs.config.join("reference/forces.csv");
    let forces = Forces::from_csv(
        &display(&dirs.root, &forces_path),
        &read(&forces_path).map_err(one)?,
    )
    .map_err(one)?;
    // Regions and countries, which national tables list beside the forces
    // and sometimes by a force's name ("West Midlands").
    let areas_path = dirs.config.join("reference/areas.csv");
    let areas = foi_model::Areas::from_csv(
        &display(&dirs.root, &areas_path),
        &read(&areas_path).map_err(one)?,
    )
    .map_err(one)?;
    let forces = forces.with_areas(areas);
    let offences_path = dirs.config.join("reference/offences.csv");
    let offences = foi_model::config::offence_categories(
        &display(&dirs.root, &offences_path),
        &read(&offences_path).map_err(one)?,
    )
    .map_err(one)?;
    let campaign_path = dirs.campaign.join("campaign.toml");
    let campaign_text = read(&campaign_path).map_err(one)?;
    let mut responses = Vec::new();
    let mut errors = Vec::new();
    let resp_dir = dirs.campaign.join("responses");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&resp_dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    for p in paths {
        match read(&p) {
            Ok(t) => responses.push((display(&dirs.root, &p), t)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Config::from_texts(
        forces,
        &offences,
        (&display(&dirs.root, &campaign_path), &campaign_text),
        &responses,
        &CampaignDir(&dirs.campaign, &dirs.root),
    )
}
