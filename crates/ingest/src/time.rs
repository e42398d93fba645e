//! Timestamps for provenance and backoff delays with jitter, without a
//! date-time or random-number crate.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The current time as RFC 3339 UTC, to the second ("2024-05-01T12:00:00Z").
pub(crate) fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

/// Seconds since the Unix epoch as RFC 3339 UTC.
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Longest wait between two attempts, whatever the backoff or Retry-After.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(60);

/// The wait before retry number `retry` (1 for the first retry):
/// `base * 2^(retry-1)`, capped at [`MAX_DELAY`], then scaled by a random
/// factor between 0.5 and 1 so that parallel fetches do not retry in step.
pub(crate) fn backoff(base: Duration, retry: u32) -> Duration {
    let exp = base
        .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
        .min(MAX_DELAY);
    let mut h = RandomState::new().build_hasher();
    h.write_u32(retry);
    let unit = (h.finish() >> 11) as f64 / (1u64 << 53) as f64; // [0, 1)
    exp.mul_f64(0.5 + unit / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_714_564_800 + 3_661), "2024-05-01T13:01:01Z");
        assert_eq!(rfc3339(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(now_rfc3339().len(), 20);
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let base = Duration::from_millis(100);
        for retry in 1..6 {
            let full = base * (1 << (retry - 1));
            let d = backoff(base, retry);
            assert!(d >= full / 2 && d <= full, "{retry}: {d:?}");
        }
        assert!(backoff(Duration::from_secs(10), 40) <= MAX_DELAY);
    }
}
