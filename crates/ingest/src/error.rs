//! [`IngestError`]: what went wrong with one source, in plain words.

use foi_model::{DiagnosticKind, ForceId};
use std::fmt;
use std::path::PathBuf;

/// Why one source could not be fetched or a cached copy could not be read.
///
/// Every variant names who it concerns (the force, and the key when it is not
/// just the force's id) and the path or URL, then says what happened
/// ([`IngestError::detail`] is that last part alone). The details are kept
/// as text so that the error can be cloned, stored in a manifest and shown
/// as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The key or campaign cannot name a file in the cache, or is used twice.
    BadKey {
        force: ForceId,
        key: String,
        reason: String,
    },
    /// A local source file is missing or unreadable.
    Read {
        force: ForceId,
        key: String,
        path: PathBuf,
        reason: String,
    },
    /// The URL cannot be fetched at all (not http or https, no host…).
    BadUrl {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
    },
    /// The server answered with an error status (after retries, for 429 and 5xx).
    Http {
        force: ForceId,
        key: String,
        url: String,
        /// The status line, e.g. "404 Not Found".
        status: String,
        attempts: u32,
    },
    /// No answer: connection refused, timeout, broken connection.
    Network {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
        attempts: u32,
    },
    /// A redirect foi will not follow.
    Redirect {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
    },
    /// The download is bigger than the size cap; it was stopped and discarded.
    TooLarge {
        force: ForceId,
        key: String,
        url: String,
        limit: u64,
    },
    /// The connection closed before the promised number of bytes arrived;
    /// the partial download was discarded.
    Truncated {
        force: ForceId,
        key: String,
        url: String,
        expected: u64,
        received: u64,
        attempts: u32,
    },
    /// What arrived (with status 200, or in the local file) failed the
    /// checks a copy must pass: an HTML page where a spreadsheet is
    /// expected, an empty body, a zip that is no workbook… It never
    /// replaces a good copy: it is kept aside at `kept` for inspection.
    Rejected {
        force: ForceId,
        key: String,
        /// The URL or path as configured.
        origin: String,
        /// What it is, e.g. "the server sent an HTML page (an error or
        /// login page?), not a spreadsheet".
        what: String,
        /// Where it is kept, under the cache directory:
        /// `rejected/<campaign>/<key>/<sha256>.<ext>`.
        kept: PathBuf,
    },
    /// Reading or writing the cache failed. `who` is the force (and key), or
    /// the hash of the copy when no force is known.
    Cache {
        who: String,
        path: PathBuf,
        reason: String,
    },
    /// A cached copy's bytes no longer match the hash it is stored under.
    Corrupt {
        path: PathBuf,
        expected: String,
        actual: String,
        /// Where the damaged file was moved, so that the next fetch fetches
        /// the source again (`None` when it could not be moved).
        moved_to: Option<PathBuf>,
    },
}

impl fmt::Display for IngestError {
    /// `<who>: <url or path>: <detail>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(who) = self.who() {
            write!(f, "{who}: ")?;
        }
        if let Some(place) = self.place() {
            write!(f, "{place}: ")?;
        }
        f.write_str(&self.detail())
    }
}

/// "kent", or "kent (kent-2019)" when the key is not the force's id.
pub(crate) fn who(force: &ForceId, key: &str) -> String {
    if force.0 == key {
        force.0.clone()
    } else {
        format!("{force} ({key})")
    }
}

fn tries(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl IngestError {
    /// Records how many attempts were made, where the variant says so.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            IngestError::Http { attempts, .. }
            | IngestError::Network { attempts, .. }
            | IngestError::Truncated { attempts, .. } => *attempts = n,
            _ => {}
        }
        self
    }

    /// What the error is about, as a diagnostic's kind.
    pub fn kind(&self) -> DiagnosticKind {
        match self {
            IngestError::Rejected { .. } => DiagnosticKind::WrongFormat,
            IngestError::Corrupt { .. } => DiagnosticKind::DamagedCopy,
            IngestError::BadKey { .. } | IngestError::Cache { .. } => DiagnosticKind::Other,
            IngestError::Read { .. }
            | IngestError::BadUrl { .. }
            | IngestError::Http { .. }
            | IngestError::Network { .. }
            | IngestError::Redirect { .. }
            | IngestError::TooLarge { .. }
            | IngestError::Truncated { .. } => DiagnosticKind::FetchFailed,
        }
    }

    fn who(&self) -> Option<String> {
        match self {
            IngestError::BadKey { force, key, .. }
            | IngestError::Read { force, key, .. }
            | IngestError::BadUrl { force, key, .. }
            | IngestError::Http { force, key, .. }
            | IngestError::Network { force, key, .. }
            | IngestError::Redirect { force, key, .. }
            | IngestError::TooLarge { force, key, .. }
            | IngestError::Truncated { force, key, .. }
            | IngestError::Rejected { force, key, .. } => Some(who(force, key)),
            IngestError::Cache { who, .. } => Some(who.clone()),
            IngestError::Corrupt { .. } => None,
        }
    }

    fn place(&self) -> Option<String> {
        match self {
            IngestError::BadKey { .. } => None,
            IngestError::Read { path, .. } | IngestError::Cache { path, .. } => {
                Some(path.display().to_string())
            }
            IngestError::BadUrl { url, .. }
            | IngestError::Http { url, .. }
            | IngestError::Network { url, .. }
            | IngestError::Redirect { url, .. }
            | IngestError::TooLarge { url, .. }
            | IngestError::Truncated { url, .. } => Some(url.clone()),
            IngestError::Rejected { origin, .. } => Some(origin.clone()),
            IngestError::Corrupt { path, .. } => Some(format!("cached copy {}", path.display())),
        }
    }

    /// What happened, without who it concerns or where (which a diagnostic
    /// carries in fields of its own).
    pub fn detail(&self) -> String {
        match self {
            IngestError::BadKey { reason, .. } => reason.clone(),
            IngestError::Read { reason, .. } => format!("cannot read the file: {reason}"),
            IngestError::BadUrl { reason, .. } => format!("not a URL foi can fetch: {reason}"),
            IngestError::Http {
                status, attempts, ..
            } => format!("the server answered {status}{}", tries(*attempts)),
            IngestError::Network {
                reason, attempts, ..
            } => format!("{reason}{}", tries(*attempts)),
            IngestError::Redirect { reason, .. } => reason.clone(),
            IngestError::TooLarge { limit, .. } => format!(
                "the file is larger than the {limit}-byte limit, so the download was stopped"
            ),
            IngestError::Truncated {
                expected,
                received,
                attempts,
                ..
            } => format!(
                "the server promised {expected} bytes but sent only {received}; the partial download was discarded{}",
                tries(*attempts)
            ),
            IngestError::Rejected { what, kept, .. } => {
                format!("{what}; it was kept aside in the cache as {}", kept.display())
            }
            IngestError::Cache { reason, .. } => reason.clone(),
            IngestError::Corrupt {
                expected,
                actual,
                moved_to,
                ..
            } => {
                let moved = match moved_to {
                    Some(to) => format!("; it was moved to {}", to.display()),
                    None => String::new(),
                };
                format!(
                    "the file is damaged (its sha256 is {actual}, not {expected}){moved}; fetch the source again (`foi fetch`)"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_force_key_and_url() {
        let e = IngestError::Http {
            force: ForceId("kent".into()),
            key: "kent".into(),
            url: "https://example.invalid/foi.xlsx".into(),
            status: "503 Service Unavailable".into(),
            attempts: 1,
        }
        .with_attempts(4);
        assert_eq!(
            e.to_string(),
            "kent: https://example.invalid/foi.xlsx: the server answered 503 Service Unavailable (after 4 attempts)"
        );
        assert_eq!(
            e.detail(),
            "the server answered 503 Service Unavailable (after 4 attempts)"
        );
        assert_eq!(e.kind(), DiagnosticKind::FetchFailed);
        let e = IngestError::Read {
            force: ForceId("kent".into()),
            key: "kent-2019".into(),
            path: PathBuf::from("data/kent.xlsx"),
            reason: "the file does not exist".into(),
        };
        assert_eq!(
            e.to_string(),
            "kent (kent-2019): data/kent.xlsx: cannot read the file: the file does not exist"
        );
        let e = IngestError::Rejected {
            force: ForceId("kent".into()),
            key: "kent".into(),
            origin: "https://example.invalid/foi.xlsx".into(),
            what: "the server sent an empty file, not a spreadsheet".into(),
            kept: PathBuf::from("rejected/c/kent/e3b0c442.empty"),
        };
        assert_eq!(
            e.to_string(),
            "kent: https://example.invalid/foi.xlsx: the server sent an empty file, not a spreadsheet; it was kept aside in the cache as rejected/c/kent/e3b0c442.empty"
        );
        assert_eq!(e.kind(), DiagnosticKind::WrongFormat);
        let e = IngestError::Corrupt {
            path: PathBuf::from("cache/raw/ab/abc"),
            expected: "abc".into(),
            actual: "def".into(),
            moved_to: Some(PathBuf::from("cache/damaged/abc")),
        };
        assert_eq!(
            e.to_string(),
            "cached copy cache/raw/ab/abc: the file is damaged (its sha256 is def, not abc); it was moved to cache/damaged/abc; fetch the source again (`foi fetch`)"
        );
        assert_eq!(e.kind(), DiagnosticKind::DamagedCopy);
    }
}
