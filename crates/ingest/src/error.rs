//! [`IngestError`]: what went wrong with one source, in plain words.

use foi_model::ForceId;
use std::path::PathBuf;

/// Why one source could not be fetched or a cached copy could not be read.
///
/// Every variant names who it concerns (the force, and the key when it is not
/// just the force's id) and the path or URL, then says what happened. The
/// details are kept as text so that the error can be cloned, stored in a
/// manifest and shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The key or campaign cannot name a file in the cache, or is used twice.
    #[error("{}: {reason}", who(force, key))]
    BadKey {
        force: ForceId,
        key: String,
        reason: String,
    },
    /// A local source file is missing or unreadable.
    #[error("{}: {}: cannot read the file: {reason}", who(force, key), path.display())]
    Read {
        force: ForceId,
        key: String,
        path: PathBuf,
        reason: String,
    },
    /// The URL cannot be fetched at all (not http or https, no host…).
    #[error("{}: {url}: not a URL foi can fetch: {reason}", who(force, key))]
    BadUrl {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
    },
    /// The server answered with an error status (after retries, for 429 and 5xx).
    #[error("{}: {url}: the server answered {status}{}", who(force, key), tries(*attempts))]
    Http {
        force: ForceId,
        key: String,
        url: String,
        /// The status line, e.g. "404 Not Found".
        status: String,
        attempts: u32,
    },
    /// No answer: connection refused, timeout, broken connection.
    #[error("{}: {url}: {reason}{}", who(force, key), tries(*attempts))]
    Network {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
        attempts: u32,
    },
    /// A redirect foi will not follow.
    #[error("{}: {url}: {reason}", who(force, key))]
    Redirect {
        force: ForceId,
        key: String,
        url: String,
        reason: String,
    },
    /// The download is bigger than the size cap; it was stopped and discarded.
    #[error(
        "{}: {url}: the file is larger than the {limit}-byte limit, so the download was stopped",
        who(force, key)
    )]
    TooLarge {
        force: ForceId,
        key: String,
        url: String,
        limit: u64,
    },
    /// The connection closed before the promised number of bytes arrived;
    /// the partial download was discarded.
    #[error(
        "{}: {url}: the server promised {expected} bytes but sent only {received}; the partial download was discarded{}",
        who(force, key),
        tries(*attempts)
    )]
    Truncated {
        force: ForceId,
        key: String,
        url: String,
        expected: u64,
        received: u64,
        attempts: u32,
    },
    /// Reading or writing the cache failed. `who` is the force (and key), or
    /// the hash of the copy when no force is known.
    #[error("{who}: {}: {reason}", path.display())]
    Cache {
        who: String,
        path: PathBuf,
        reason: String,
    },
    /// A cached copy's bytes no longer match the hash it is stored under.
    #[error(
        "cached copy {}: the file is damaged (its sha256 is {actual}, not {expected}); fetch the source again",
        path.display()
    )]
    Corrupt {
        path: PathBuf,
        expected: String,
        actual: String,
    },
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
    }
}
