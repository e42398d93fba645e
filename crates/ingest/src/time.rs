//! Timestamps for provenance, `Retry-After`, and the backoff between
//! attempts.

use backon::ExponentialBuilder;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The current time as RFC 3339 UTC, to the second ("2024-05-01T12:00:00Z").
pub(crate) fn now_rfc3339() -> String {
    rfc3339(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    )
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

/// How long a `Retry-After` value asks to wait: a number of seconds, or
/// until an HTTP date in any of the three forms RFC 9110 has a client read
/// (no wait when that date has passed).
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A duration as messages show it: "500ms", "30s", "1.5s".
pub(crate) fn shown(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        let s = format!("{:.3}", d.as_secs_f64());
        format!("{}s", s.trim_end_matches('0'))
    }
}

/// Longest wait between two attempts, whatever the backoff or Retry-After.
pub(crate) const MAX_DELAY: Duration = Duration::from_secs(60);

/// The waits between attempts: before retry n (1 for the first),
/// `base * 2^(n-1)` scaled by a random factor between 0.5 and 1, so that
/// parallel fetches do not retry in step, and never above [`MAX_DELAY`];
/// `retries` of them at most.
///
/// backon adds its jitter on top of a delay (up to twice it), so the delay
/// it starts from is half of ours, and its cap half of [`MAX_DELAY`].
pub(crate) fn backoff(base: Duration, retries: u32) -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(base / 2)
        .with_factor(2.0)
        .with_max_delay(MAX_DELAY / 2)
        .with_max_times(retries as usize)
        .with_jitter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use backon::BackoffBuilder;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_714_564_800 + 3_661), "2024-05-01T13:01:01Z");
        assert_eq!(rfc3339(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(now_rfc3339().len(), 20);
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_in_seconds_or_until_a_date() {
        let now = at(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after(" 2 ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        // The obsolete forms a client must still read (RFC 9110, 5.6.7).
        assert_eq!(
            retry_after("Sunday, 06-Nov-94 08:50:37 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Sun Nov  6 08:51:37 1994", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after("Tue, 29 Feb 2000 00:00:00 GMT", at(951_782_390)),
            Some(Duration::from_secs(10))
        );
        for secs in [0u64, 951_782_400, 1_714_568_461, 4_107_542_399] {
            let text = httpdate::fmt_http_date(at(secs));
            assert_eq!(retry_after(&text, at(0)), Some(Duration::from_secs(secs)));
        }
        for bad in [
            "",
            "soon",
            "-1",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Wed, 30 Feb 2000 00:00:00 GMT",
            // The wrong day of the week for the date.
            "Mon, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn durations_as_shown() {
        assert_eq!(shown(Duration::from_millis(500)), "500ms");
        assert_eq!(shown(Duration::from_secs(30)), "30s");
        assert_eq!(shown(Duration::from_millis(1500)), "1.5s");
        assert_eq!(shown(Duration::from_millis(2250)), "2.25s");
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        // backon works in f32 seconds: the bounds hold to the microsecond.
        let slack = Duration::from_micros(1);
        let base = Duration::from_millis(100);
        for _ in 0..50 {
            let delays: Vec<Duration> = backoff(base, 5).build().collect();
            assert_eq!(delays.len(), 5);
            for (i, d) in delays.iter().enumerate() {
                let full = base * (1 << i);
                assert!(
                    *d + slack >= full / 2 && *d <= full + slack,
                    "retry {}: {d:?}",
                    i + 1
                );
            }
        }
        let long: Vec<Duration> = backoff(Duration::from_secs(10), 40).build().collect();
        assert_eq!(long.len(), 40);
        assert!(long.iter().all(|d| *d <= MAX_DELAY + slack), "{long:?}");
        assert!(long[39] >= MAX_DELAY / 2);
        assert_eq!(backoff(base, 0).build().count(), 0);
        assert!(backoff(Duration::ZERO, 3).build().all(|d| d.is_zero()));
    }
}
