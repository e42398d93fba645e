//! Timestamps for provenance and backoff delays with jitter, without a
//! random-number crate.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The current time as RFC 3339 UTC, to the second ("2024-05-01T12:00:00Z").
pub(crate) fn now_rfc3339() -> String {
    rfc3339(now_secs())
}

/// Seconds since the Unix epoch as RFC 3339 UTC.
pub(crate) fn rfc3339(secs: u64) -> String {
    // Past chrono's range (year 262,143) only for a corrupt time.
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or(chrono::DateTime::UNIX_EPOCH)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Seconds since the Unix epoch of an HTTP date in its preferred form
/// (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT").
pub(crate) fn parse_http_date(s: &str) -> Option<u64> {
    let (_, rest) = s.trim().split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x == month)? as u32 + 1;
    let d: u32 = day.parse().ok()?;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, min, sec] = hms.as_slice() else {
        return None;
    };
    if *h > 23 || *min > 59 || *sec > 60 || y < 1970 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    let epoch = chrono::DateTime::UNIX_EPOCH.date_naive();
    let days = u64::try_from((date - epoch).num_days()).ok()?;
    Some(days * 86_400 + h * 3600 + min * 60 + sec)
}

/// How long a `Retry-After` value asks to wait: a number of seconds, or
/// until an HTTP date (no wait when that date has passed). `now` is seconds
/// since the Unix epoch.
pub(crate) fn retry_after(value: &str, now: u64) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    parse_http_date(value).map(|at| Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
    fn parses_http_dates_both_ways_round() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
            Some(951_782_400)
        );
        for secs in [0u64, 951_782_400, 1_714_568_461, 4_107_542_399] {
            let text = chrono::DateTime::from_timestamp(secs as i64, 0)
                .expect("in range")
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            assert_eq!(parse_http_date(&text), Some(secs), "{text}");
        }
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Wed, 30 Feb 2000 00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_until_a_date() {
        let now = 784_111_777;
        assert_eq!(retry_after(" 2 ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-1", now), None);
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
